/*
 * backends/sim/host_priv.h - what the simulator host's files share (host.c: the
 * hosts and their rings' life and settings; host_pump.c: eventfds, the pump
 * and core's delivery step; host_tx.c: sending, TX capture, reflection). The
 * host's interface to the sim backend and pfsim is host.h.
 *
 * Locks: sim_hosts_lock (the list of hosts) before a host's lock; a host's lock
 * serializes its NIC, its rings' producers, clusters and pending frame.
 */
#ifndef PF_BACKENDS_SIM_HOST_PRIV_H
#define PF_BACKENDS_SIM_HOST_PRIV_H

#include <pthread.h>

#include "backends/sim/host.h"
#include "core/cluster.h"

/* A reflected or bounced frame, sent once the host lock is dropped. */
struct sim_tx {
	struct sim_tx *next;
	char dev[SIM_NAME_LEN];  /* "" = the host's own NIC (bounce) */
	u32 len;
	u8 data[];
};

struct sim_owed {
	struct sim_ring *r;
	u16 rule_id, plugin_id;
};

struct sim_host {
	struct sim_host *next;
	struct sim_nic *nic;
	pthread_mutex_t lock;
	struct sim_ring *rings[SIM_HOST_MAX_RINGS];
	u32 nrings;
	struct pf_cluster *clusters[SIM_HOST_MAX_RINGS];
	u32 nclusters;
	/* lossless: the frame still owed to full rings */
	struct sim_owed owed[SIM_HOST_MAX_RINGS];
	u32 nowed;
	struct sim_frame pf;
	struct pf_pkt ptmpl;
	u8 pdata[SIM_MAX_FRAME];
	/* rate=: real time of the first pump <-> virtual time of its frame */
	u8 paced, clock_started, error_reported;
	u64 real0, virt0;
	/* reflection: frames to send once the lock is dropped */
	struct sim_tx *tx_head, **tx_tail;
	u32 ntx;
};

/* Error-checking lock (host.c): a signal handler that interrupted a thread
 * holding it gets EDEADLK from sim_host_close instead of hanging. */
extern pthread_mutex_t sim_hosts_lock;
extern struct sim_host *sim_hosts;

/* host_pump.c, h's lock held: wake r's reader / every reader of h. */
void sim_efd_signal(struct sim_ring *r);
void sim_efd_signal_all(struct sim_host *h);
/* host_pump.c: one frame of h's NIC (rx) or sent on it (TX capture) through
 * core's delivery step into h's rings; h's lock held. lossless: a full ring
 * is owed the frame (the wire waits) instead of dropping it. */
void sim_dispatch(struct sim_host *h, const struct sim_frame *f, u8 rx, int lossless);
/* host_pump.c: forget what r is owed, counted as dropped; h's lock held. */
void sim_owed_forget(struct sim_host *h, struct sim_ring *r);

/* host_tx.c: queue a copy of p for NIC dev (NULL: h's own), sent by
 * sim_tx_flush once h's lock is dropped. 0, or -1 (no such NIC, no memory). */
int sim_tx_queue(struct sim_host *h, const char *dev, const struct pf_pkt *p);
void sim_tx_flush(struct sim_host *h);
/* host_tx.c: r's pf_home (core's user-space home with reflect and bounce). */
void sim_ring_home_init(struct sim_ring *r);

#endif /* PF_BACKENDS_SIM_HOST_PRIV_H */
