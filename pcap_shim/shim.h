/*
 * pcap_shim/shim.h - a pfring handle as libpcap programs see it.
 *
 * The pcap_t handed to the program is a real one, made by the system
 * libpcap's pcap_open_dead(DLT_EN10MB, SHIM_DEFAULT_SNAPLEN): an identity
 * for the side table, an errbuf for pcap_geterr, a link type for
 * pcap_datalink. Its snaplen and precision are never changed (a dead handle
 * is born activated and libpcap refuses; the shim does not write libpcap's
 * private struct): the program's settings live in struct shim, and the calls
 * that read them (pcap_snapshot, pcap_get_tstamp_precision) or need them
 * (pcap_compile, pcap_dump_open*) are intercepted (settings.c, compile.c,
 * dump.c).
 */
#ifndef PF_PCAP_SHIM_SHIM_H
#define PF_PCAP_SHIM_SHIM_H

#include <pcap/pcap.h>
#include <pfring.h>

#define SHIM_DEFAULT_SNAPLEN 262144   /* libpcap's and tcpdump's default */

struct shim {
	pcap_t *p;               /* the dead handle the program holds */
	char *device;            /* the name given to pcap_create */
	pfring *ring;            /* NULL until activated */
	/* as set before pcap_activate; buffer_size is kept and not used: a
	 * ring's size is its backend's (docs/pcap-shim.md) */
	int snaplen, promisc, timeout_ms, immediate, buffer_size, rfmon;
	int activated, nonblock;
	int active_poll;         /* PCAP_PF_RING_ACTIVE_POLL=1: never sleep in a read */
	int nano;                /* PCAP_TSTAMP_PRECISION_NANO asked: ts.tv_usec holds ns */
	volatile int break_loop; /* pcap_breakloop, often from a signal handler */
	struct bpf_program filter; /* a copy of the program pcap_setfilter got; bf_insns NULL: none */
	u_int64_t filtered_out;  /* received from the ring, refused by the filter */
	struct pcap_pkthdr next_hdr; /* pcap_next_ex's header */
};

/* Is this device name pfring's? Prefixed names (sim:, dna:, multi:,
 * dnacluster:, userspace:, hub:) always are; a kernel interface name ("eth1",
 * "eth1@0", "any") is when pf_ring.ko is loaded (/proc/net/pf_ring exists)
 * and PCAP_NO_PF_RING is not set. */
int shim_is_pfring_name(const char *device);

/* The PCAP_PF_RING_* environment (env.c). */
struct shim_env {
	u_int cluster_id;          /* 0: none */
	cluster_type cluster_type;
	const char *appname;       /* NULL: none (points into the environment) */
	int active_poll, rss_rehash;
	u_int32_t open_flags;      /* PF_RING_DNA_SYMMETRIC_RSS */
};

/* Reads and checks the environment: 0, or PCAP_ERROR with the message in
 * the handle's errbuf and on stderr. */
int shim_env_read(struct shim *s, struct shim_env *e);
/* Applies it to the freshly opened s->ring: 0, or PCAP_ERROR (errbuf set)
 * when the cluster cannot be joined; settings the backend lacks are
 * reported on stderr and skipped. */
int shim_env_apply(struct shim *s, const struct shim_env *e);

/* The side table. shim_find returns NULL for a handle that is not pfring's
 * (the caller then hands it to the real libpcap); it takes no lock and may
 * be called from a signal handler (pcap_breakloop). */
struct shim *shim_new(const char *device, char *errbuf);
struct shim *shim_find(pcap_t *p);
void shim_free(struct shim *s);   /* unlinks, closes ring and dead handle */

/* A fresh dead handle of the real libpcap with this handle's link type,
 * snaplen and time stamp precision, for a libpcap call that reads them from
 * the pcap_t (pcap_compile, pcap_dump_open); the caller closes it with
 * shim_real()->close. NULL (and the handle's errbuf set) on failure. */
pcap_t *shim_dead_like(struct shim *s);

/* Writes the message into the dead handle's own errbuf, where the real
 * pcap_geterr() and pcap_perror() find it. */
void shim_seterr(struct shim *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* PF_PCAP_SHIM_SHIM_H */
