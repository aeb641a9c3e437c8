/*
 * backends/sim/host.h - the simulator's host: delivers a simulated NIC's frames through
 * core's pipeline (core/socket.h, core/cluster.h) into per-ring shared-memory
 * rings (core/ring.h). backends/sim/sim.c serves the pfring_* API from them.
 *
 * Names: "sim:NAME", "sim:NAME@Q" (RX queue Q only), "sim:NAME?k=v&k=v",
 * "sim:NAME@Q?k=v". pfring_open parses them (lib/devname.h); sim_name_from()
 * takes one NIC and at most one queue from the result (Q must be below the
 * NIC's queues=), and the host hands the options to sim_opts_parse(). The first
 * open of NAME must name a source.
 *
 * One host per NIC, shared by every ring bound to it in this process. The host
 * is pull-driven: a reader whose ring is empty pumps the NIC under the host's
 * mutex. Each frame goes to every enabled ring bound to its queue (or to the
 * whole device) that is in no cluster, and to one member of each cluster (the
 * member pf_cluster_member_for() picks among the members bound to the frame's
 * queue that are not send-only); then that ring's pipeline (pf_socket_filter)
 * decides.
 *
 * Decisions where PF_RING or the brief is silent:
 *  - A disabled ring (not yet pfring_enable_ring'd) in no cluster is not offered
 *    frames at all: they are neither seen, nor dropped, nor counted on it (as
 *    PF_RING, whose ring is not attached to the device until enabled).
 *  - A member of a per-flow cluster that is not enabled keeps its flows (a flow
 *    never moves to another member because one worker started later): its
 *    pipeline runs and a frame it passes is treated as on a full ring: the
 *    lossless wire waits until the member is enabled and reads; with rate= it is
 *    dropped and counted on that member. Disabling it again does the same.
 *    Round-robin clusters skip members that are not enabled (docs/filtering.md).
 *  - A send-only ring (pfring_set_socket_mode) is offered nothing, and a cluster
 *    balances over its other members.
 *  - Pacing. Without rate=, the wire is lossless: when a destination ring is
 *    full, the frame stays pending (not counted, not dropped) for that ring
 *    until its reader makes room; destinations already served keep their copy.
 *    Frames flow only as fast as the slowest enabled ring is read, so a program
 *    must read every enabled ring on the NIC (or disable it). With rate= the
 *    wire runs on real time (virtual time of the first frame = time of the first
 *    pump): frames due by now are delivered, and a full ring drops (counted).
 *  - Frames this process sends on a NIC (pfring_send) are offered to its rings
 *    as transmitted packets (rx = 0, the TX capture of PF_RING): ring direction
 *    decides; a full ring drops them (a send never waits for a reader).
 *  - Timestamps: the frame's virtual time; with PF_RING_HW_TIMESTAMP the NIC's
 *    hardware clock at arrival (hdr->ts, extended_hdr.timestamp_ns and
 *    pfring_next_pkt_raw_timestamp all give it).
 *  - Selectable fd: an eventfd per ring. It is readable when a recv would make
 *    progress: packets are queued, or the wire has frames it could deliver
 *    now. It is cleared when the ring is empty and the wire is idle (source
 *    exhausted), blocked (lossless, another ring full) or paced (rate=, next
 *    frame not due). It is set again by a pump that queues packets on the ring
 *    (at the poll watermark, or when the pump stops), by a reader that frees
 *    room in a ring the wire was blocked on, and by a send towards the NIC.
 *    pfring_poll() pumps and returns > 0 once poll_watermark packets are
 *    queued, or at least one when the wire cannot bring more now.
 *  - Clusters are per NIC: a cluster id names one cluster on each device.
 */
#ifndef PF_SIM_HOST_H
#define PF_SIM_HOST_H

#include <pthread.h>
#include <stdint.h>
#include <pfring.h>

#include "core/socket.h"
#include "core/ring.h"
#include "sim/nic.h"

struct pf_cluster;

#define SIM_HOST_RING_SLOTS 4096   /* module default: slots of caplen bytes */
#define SIM_HOST_MAX_RINGS  256    /* rings bound to one NIC */

struct sim_host;

/* One ring bound to a NIC: a sim: ring's priv_data (sim_ring_of()). */
struct sim_ring {
	struct pf_socket sock;
	struct sim_host *host;
	pfring *ring;
	int queue;                 /* -1: every queue of the device */
	int efd;                   /* eventfd, the selectable fd */
	int efd_set;               /* host-locked: the eventfd is readable */
	uint8_t enabled;           /* host-locked */
	uint8_t send_only;         /* host-locked: socket mode send_only_mode */
	uint32_t owed;             /* frames the wire holds for this ring (atomic) */
	uint8_t long_header, hw_ts;
	uint32_t caplen;
	struct pf_cluster *cluster;/* host-locked: the cluster it is in, or NULL */
	void *mem;                 /* the ring's region (mmap) */
	size_t mem_size;
	struct pf_ring_prod prod;  /* host-locked */
	struct pf_ring_cons cons;  /* the reader's */
	/* chapter-8 extras (backends/sim/host.c "reflection"; backends/sim/sim.c) */
	struct pf_home home;       /* pf_user_home() with reflect/bounce; ctx = this ring */
	char reflector[SIM_NAME_LEN]; /* host-locked: pfring_set_reflector_device, "" = none */
	uint8_t filtering_mode;    /* pfring_set_filtering_mode */
	uint8_t *last;             /* the last packet received (long header only) */
	uint32_t last_len, last_cap;
};

/* What a pump left behind, for the reader's wait. */
enum sim_pump_state {
	SIM_PUMP_MORE = 0,         /* the wire may have more now */
	SIM_PUMP_IDLE,             /* source exhausted */
	SIM_PUMP_BLOCKED,          /* lossless: a full ring holds the wire */
	SIM_PUMP_PACED,            /* rate=: next frame not due yet */
	SIM_PUMP_ERROR,            /* the source failed (message printed once) */
};

static inline struct sim_ring *sim_ring_of(pfring *ring)
{
	return (struct sim_ring *)ring->priv_data;
}

struct pf_devname;

/* What a sim: name opens. */
struct sim_name {
	char nic[SIM_NAME_LEN];
	int queue;                 /* -1: every queue */
	const char *options;       /* the name's "k=v&k=v" after '?', NULL without '?' */
};

/* From the name pfring_open parsed: one NIC, one queue at most. 0, or -1
 * with the reason in err[0 .. errlen). */
int sim_name_from(const struct pf_devname *dn, struct sim_name *out, char *err,
		  size_t errlen);

/* Open n. 0 and *out, or a negative PF_RING_ERROR_* with errno and a message
 * on stderr naming the problem. */
int sim_host_open(pfring *ring, const struct sim_name *n, struct sim_ring **out);
/* 0; -1 when called from a signal handler that interrupted this thread inside
 * the host (it holds the host's locks): then r is left attached and its memory
 * kept until the process exits (the 5.4.6 programs that close from a SIGINT
 * handler exit right after; using r afterwards is a use after close). */
int sim_host_close(struct sim_ring *r);

void sim_host_set_enabled(struct sim_ring *r, int enabled);
/* pfring_set_socket_mode: a send-only ring is offered no frame. */
void sim_host_set_send_only(struct sim_ring *r, int send_only);

/* Deliver frames until r has packets queued (and a batch went by), or the wire
 * stops; *wait_ns is how long a paced wire has until its next frame. */
enum sim_pump_state sim_host_pump(struct sim_ring *r, uint64_t *wait_ns);
/* The same, taking at most max frames off the wire (pfsim bounds the work it
 * does for one client per round: backends/sim/shared_server.c). */
enum sim_pump_state sim_host_pump_max(struct sim_ring *r, uint32_t max, uint64_t *wait_ns);

/* The reader freed room in r: wake rings the wire was blocked on r for. */
void sim_host_reader_progress(struct sim_ring *r);

int sim_host_set_cluster(struct sim_ring *r, uint32_t id, cluster_type type);
int sim_host_remove_from_cluster(struct sim_ring *r);

/* pf_ring_prod_stats of r, under the host lock. */
void sim_host_prod_stats(struct sim_ring *r, struct pf_ring_stats *s);

/* TX on r's NIC (if_index < 0) or the NIC with that ifindex; then TX capture.
 * len, or a negative PF_RING_ERROR_*. */
int sim_host_send(struct sim_ring *r, const uint8_t *data, uint32_t len, int if_index);

/* NIC calls under the host lock (PF_RING_ERROR_* as sim/nic.h). Cluster calls
 * above return core's negative errno values. */
int sim_host_add_hw_rule(struct sim_ring *r, const hw_filtering_rule *rule);
int sim_host_remove_hw_rule(struct sim_ring *r, uint16_t rule_id);
void sim_host_clock(struct sim_ring *r, int op, struct timespec *ts, int8_t sign);
#define SIM_CLOCK_GET    0
#define SIM_CLOCK_SET    1
#define SIM_CLOCK_ADJUST 2
struct sim_nic *sim_host_nic(struct sim_ring *r);

/*
 * Reflection (spec 8.8). Rule actions reflect_* / bounce_* and the ring's
 * reflector device queue a copy of the unmodified frame while the host lock is
 * held; the frames are sent (sim_nic_send, then TX capture on the target's
 * rings) once the lock is dropped, so two NICs reflecting into each other never
 * take each other's locks. A reflect to a device with no sim NIC fails at once
 * (counted in the ring's reflect_errors); a device that went away before the
 * send drops the frame silently.
 */
/* "sim:NAME" or "NAME" (NULL or "" removes it). 0, or PF_RING_ERROR_*. */
int sim_host_set_reflector(struct sim_ring *r, const char *device);
/* As sim_host_send, and *ts_ns = the NIC's hardware clock the frame went with. */
int sim_host_send_ts(struct sim_ring *r, const uint8_t *data, uint32_t len, int if_index,
		     uint64_t *ts_ns);
/* Bind r to RX queue q (RING_ANY_CHANNEL: every queue). 0 or PF_RING_ERROR_*. */
int sim_host_set_queue(struct sim_ring *r, uint32_t q);
/* pfring_enable_rss_rehash: r's NIC steers with the symmetric RSS key. */
void sim_host_rss_rehash(struct sim_ring *r);
/* Keep a copy of the packet just received (pfring_send_last_rx_packet). */
int sim_host_keep_last(struct sim_ring *r, const uint8_t *data, uint32_t len);

#endif /* PF_SIM_HOST_H */
