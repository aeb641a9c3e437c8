/*
 * backends/sim/shared_proto.h - shared mode of the simulated NIC: the pfsim server and
 * the protocol its clients (backends/sim/sim_shared.c) speak.
 *
 * pfsim (tools/pfsim.c -> pfsim_main() in tools/pfsim/daemon.c -> pfsim_serve()
 * in backends/sim/shared_server.c) runs the
 * in-process host (backends/sim/host.h) for the NICs named on its command line:
 *
 *   pfsim -n NAME -o 'pcap=FILE&queues=2' [-n NAME2 -o ...] [-d DIR] [-w N]
 *         [-m MiB] [-M MiB] [-v]
 *
 * and listens on the UNIX seqpacket socket DIR/NAME.sock for each NAME (DIR:
 * -d, else $PFSIM_DIR, else $XDG_RUNTIME_DIR/pfsim, else /tmp/pfsim-$EUID:
 * pfsim_socket_dir(), the one rule both sides use). In a process that has no
 * NIC NAME, "sim:NAME" or "sim:NAME@Q" with no options attaches to it when that
 * socket exists (backends/sim/sim.c hands the ring to backends/sim/sim_shared.c).
 *
 * Who may talk (backends/sim/shared_access.c):
 *  - The socket folder must be a folder (not a symbolic link) owned by the
 *    effective uid and not writable by group or others; pfsim creates it 0700
 *    when missing, and both pfsim and its clients refuse one that is not so,
 *    with a message naming it, its owner and its mode.
 *  - Both ends check the other's SO_PEERCRED: the same uid, or root. pfsim
 *    answers a refused client's first request with the reason (errno EACCES)
 *    and closes; a client refuses a pfsim running as another uid.
 *  - One pfsim per NAME and folder: pfsim holds an flock on DIR/NAME.sock.lock
 *    for as long as it serves NAME; a second pfsim for NAME exits 1 with a
 *    message while the first is alive, and takes over a path left by a dead
 *    one. On exit pfsim unlinks the socket only if it is still the one it
 *    bound (same device and inode), then the lock file.
 *
 * Design:
 *  - One connection per ring. The client sends fixed-size requests (struct
 *    pfsim_req) and gets one struct pfsim_resp for each; they mirror the kernel
 *    module's setsockopt calls: OPEN, ENABLE, DISABLE, SET_CLUSTER,
 *    REMOVE_FROM_CLUSTER, SET_DIRECTION, SET_SOCKET_MODE, SET_SAMPLING.
 *  - Stats need no request: pfsim counts the host ring's drops again on the
 *    shared ring (mirrored before each publish, and every round for rings not
 *    enabled), so pfring_stats reads recv (frames relayed) and drop from the
 *    shared ring's producer page, without a lock or a round trip: 5.4.6
 *    programs call it from signal handlers.
 *  - OPEN: pfsim opens a ring on its in-process host ("sim:NAME[@Q]", the
 *    client's caplen and flags: that ring runs the pipeline and is the cluster
 *    member) and creates a second ring in a memfd, of which pfsim is the
 *    producer (pf_ring_init) and the client the consumer: the response carries
 *    the memfd and an eventfd (SCM_RIGHTS); the client mmaps the memfd and
 *    pf_ring_attach()es it, validating everything pfsim wrote (and pfsim
 *    trusts nothing the client writes into it: core/ring.h).
 *  - The wire: pfsim's loop relays each enabled client's host ring into its
 *    shared ring (pfring_recv copying straight into a slot reserved in the
 *    shared ring, so one copy), only while the shared ring has room. The host
 *    is lossless, so a slow client holds the wire exactly as in-process; pfsim
 *    signals the client's eventfd when it queued packets. With nothing to move
 *    and a ring enabled pfsim sleeps in poll() for 1 ms (a client freeing room
 *    does not wake pfsim: the tick is what resumes a wire held by a full
 *    ring), with no ring enabled for up to 100 ms (sockets wake it).
 *  - pfsim gone: once a client has read every frame already in its shared
 *    ring, recv (blocking or not), poll and every request return
 *    PF_RING_ERROR_GENERIC with errno ENODEV, after one line on stderr (per
 *    ring). The client sees it as a hang-up of its socket, checked whenever its
 *    ring is empty. pfring_stats goes on reading the shared ring; pfring_close
 *    frees everything.
 *  - A capture that fails (a corrupt record): once a client's host ring is
 *    empty, pfsim sends it one unrequested response (rc PF_RING_ERROR_GENERIC,
 *    err_no EIO, msg the reason) and hangs up; the client reads its frames,
 *    then that last word, and returns it instead of ENODEV.
 *  - -w N holds the wire until N rings have been enabled (so that a cluster of
 *    N processes splits a capture from its first frame); default 1.
 *  - Close: pfring_close sends CLOSE (no answer) and closes the socket.
 *    Death: a client's socket at EOF or error (POLLHUP) without a CLOSE. Both
 *    close its host ring: it leaves its cluster, frames owed to it are counted
 *    dropped (backends/sim/host_pump.c), the other members go on, and its shared ring is
 *    unmapped. For a death (and for every close with -v) pfsim prints
 *    "pfsim: NAME: ring N lost, reclaimed (offered X, relayed Y)" ("closed,
 *    reclaimed" for a close) where offered = frames the wire gave it
 *    (inserted + dropped on its host ring).
 *  - Fairness: per round pfsim relays at most PFSIM_RELAY_MAX frames to a
 *    client, pumps its host ring at most PFSIM_PUMP_STEPS times of at most
 *    PFSIM_PUMP_STEP frames, and stops after PFSIM_CLIENT_NS; requests and
 *    SIGINT/SIGTERM are served between rounds (and SIGTERM between clients),
 *    so a client whose filter or sampling passes 1 frame in 65536 cannot hold
 *    pfsim (it held it ~7 s per round before).
 *  - Memory: a client costs its shared ring plus its host ring (4096 slots of
 *    its caplen each). OPEN is refused with PF_RING_ERROR_NOT_ENOUGH_MEMORY
 *    (errno ENOMEM) and a message giving the limit when one client would need
 *    more than -M MiB (default PFSIM_RING_MIB: enough for the largest caplen)
 *    or all clients of this pfsim more than -m MiB (default PFSIM_TOTAL_MIB).
 *  - A client's requests have a 5 s receive timeout; pfsim never blocks on a
 *    client (MSG_DONTWAIT, MSG_NOSIGNAL).
 *  - Filtering (spec 8.9 - 8.12): ADD_RULE, REMOVE_RULE, RULE_STATS, HASH_RULE,
 *    HASH_RULE_STATS, PURGE_IDLE, PURGE_IDLE_HASH, SET_BPF, REMOVE_BPF,
 *    TOGGLE_POLICY. The request is struct pfsim_req followed, in the same
 *    message, by a body (union pfsim_body) of exactly the size the op needs:
 *    a filtering_rule, a hash_filtering_rule, or SET_BPF's b instructions
 *    (1 .. PF_BPF_MAXINSNS, at most 32 KiB: one seqpacket message fits the
 *    default socket buffer). pfsim applies it to the client's host ring's
 *    pf_socket with the calls lib/filter_ops.c makes and answers core's
 *    result (rc = 0 or a negative PF_E* value, NOT a PF_RING_ERROR_* code):
 *    the client maps it with pfring_error_from_core() and prints the messages
 *    the in-process ops print. The client compiles BPF (libpcap) itself, so a
 *    bad expression never reaches pfsim; pfsim's core validates the program
 *    (a refusal's reason comes back in msg). pfsim zeroes a rule's internals
 *    and terminates its strings before core sees it.
 *  - Plugins: a rule naming a plugin runs with the plugins registered in
 *    pfsim's process (none by default, so such a rule is refused as invalid).
 *    Rule stats come back as at most PFSIM_STATS_MAX bytes.
 *  - Not forwarded (the client returns PF_RING_ERROR_NOT_SUPPORTED): hw rules,
 *    send, device clock.
 */
#ifndef PF_SIM_SHARED_PROTO_H
#define PF_SIM_SHARED_PROTO_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pf_ring.h>
#include "core/bpf.h"

#define PFSIM_MAGIC       0x5046534du   /* "PFSM" */
#define PFSIM_VERSION     5
#define PFSIM_MAX_CLIENTS 64            /* rings per NIC */
#define PFSIM_MAX_NICS    16            /* NICs one pfsim serves */
#define PFSIM_PATH_LEN    108           /* sun_path */
#define PFSIM_STATS_MAX   256           /* bytes of rule stats in a response */
#define PFSIM_RING_MIB    160           /* -M default: a client at caplen 16384 fits */
#define PFSIM_TOTAL_MIB   1024          /* -m default */

enum pfsim_op {
	PFSIM_OPEN = 1,          /* a = queue (-1: all), b = caplen, c = open flags */
	PFSIM_ENABLE,
	PFSIM_DISABLE,
	PFSIM_SET_CLUSTER,       /* a = id, b = cluster_type */
	PFSIM_REMOVE_FROM_CLUSTER,
	PFSIM_SET_DIRECTION,     /* a = packet_direction */
	PFSIM_SET_SAMPLING,      /* a = rate */
	PFSIM_ADD_RULE,          /* body: filtering_rule */
	PFSIM_REMOVE_RULE,       /* a = rule id */
	PFSIM_RULE_STATS,        /* a = rule id, b = bytes wanted (<= PFSIM_STATS_MAX) */
	PFSIM_HASH_RULE,         /* body: hash_filtering_rule, a = add (1) or remove (0) */
	PFSIM_HASH_RULE_STATS,   /* body: hash_filtering_rule, b = bytes wanted */
	PFSIM_PURGE_IDLE,        /* a = inactivity seconds */
	PFSIM_PURGE_IDLE_HASH,   /* a = inactivity seconds */
	PFSIM_SET_BPF,           /* body: b instructions */
	PFSIM_REMOVE_BPF,
	PFSIM_TOGGLE_POLICY,     /* a = default accept */
	PFSIM_SET_SOCKET_MODE,   /* a = socket_mode */
	PFSIM_CLOSE,             /* pfring_close: no answer; pfsim logs no reclaim */
};

struct pfsim_req {
	uint32_t magic, version;
	uint32_t op;
	int32_t a;
	uint32_t b, c;
};

union pfsim_body {
	filtering_rule rule;
	hash_filtering_rule hash_rule;
	struct pf_bpf_insn insns[PF_BPF_MAXINSNS];
};

struct pfsim_resp {
	int32_t rc;              /* 0 or a negative PF_RING_ERROR_* */
	int32_t err_no;          /* errno for the client when rc < 0 (0: its own) */
	uint32_t ifindex;
	uint32_t num_queues;
	uint8_t mac[6];
	uint8_t pad[2];
	uint64_t region_size;    /* OPEN: bytes of the memfd */
	char msg[256];           /* why, when rc < 0 */
	uint32_t capacity;       /* HASH_RULE: the precise table's size (for messages) */
	uint32_t data_len;       /* RULE_STATS, HASH_RULE_STATS: bytes in data */
	uint8_t data[PFSIM_STATS_MAX];
};

/* The socket folder into out: dir (pfsim -d) when not NULL or "", else
 * $PFSIM_DIR, else $XDG_RUNTIME_DIR/pfsim, else /tmp/pfsim-$EUID. 0 or -1 (too
 * long). pfsim and its clients both use it. */
int pfsim_socket_dir(const char *dir, char *out, size_t len);
/* pfsim_socket_dir(dir)/NAME.sock into path. 0 or -1 (too long). */
int pfsim_socket_path(const char *dir, const char *name, char *path, size_t len);
/* The lock file beside a socket (SOCK.lock), which pfsim holds (flock) while it
 * serves the NIC: into out. 0 or -1 (too long). */
int pfsim_lock_path(const char *sock_path, char *out, size_t len);
/* 0 when dir is a folder (not a link) of ours not writable by group or others
 * (create: made 0700 first if missing); else -1 and a line in err naming it,
 * its owner and mode. */
int pfsim_dir_check(const char *dir, int create, char *err, size_t len);
/* 0 when sock's peer runs as our effective uid or as root; else -1 and who it
 * is in err. */
int pfsim_peer_check(int sock, char *err, size_t len);

/* What the pfsim daemon (tools/pfsim/daemon.c: its options) asks the server for. */
struct pfsim_config {
	struct {
		const char *name;     /* -n: served as sim:NAME (< SIM_NAME_LEN bytes) */
		const char *opts;     /* -o: its options, as in sim:NAME?OPTIONS */
	} nic[PFSIM_MAX_NICS];
	unsigned n;
	unsigned hold;                /* -w: hold the wire until this many rings are enabled */
	int verbose;                  /* -v: log every close */
	uint64_t ring_limit;          /* -M: bytes one client may cost */
	uint64_t total_limit;         /* -m: bytes all clients may cost */
	const char *dir;              /* -d, NULL: pfsim_socket_dir()'s default */
};

/* Serve cfg's NICs until *stop is set (the daemon's SIGINT/SIGTERM handler).
 * 0 then, or 1 after a message when a NIC or the socket folder could not be set up. */
int pfsim_serve(const struct pfsim_config *cfg, volatile sig_atomic_t *stop);

#endif /* PF_SIM_SHARED_PROTO_H */
