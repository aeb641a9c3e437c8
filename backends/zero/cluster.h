/*
 * backends/zero/cluster.h - the DNA Cluster master's state, shared by its API
 * (cluster.c) and its thread (cluster_loop.c); the counters tests and tools
 * may read (pf_zc_cluster_counters). Not for libpfring's users.
 *
 * Ownership: the handle owns its pool (from the first dna_cluster_enable to
 * dna_cluster_destroy) and its registered rings (dna_cluster_destroy closes
 * them, as spec 9.1.1 says). The master thread alone calls the pool's master
 * functions while it runs; the API's thread only when it is stopped.
 */
#ifndef PF_BACKENDS_ZERO_CLUSTER_H
#define PF_BACKENDS_ZERO_CLUSTER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "backends/zero/zc_pool.h"
#include "backends/zero/zero.h"

#define ZC_RX_BURST        32u   /* frames taken from one ring per round */
#define ZC_TX_BURST        32u   /* buffers taken from one slave's tx queue per round */
#define ZC_REAP_EVERY_NS   2000000ull  /* zc_pool_reap at most this often */
#define ZC_DEFAULT_QUEUE_LEN  1024u
#define ZC_DEFAULT_ADDITIONAL 256u
#define ZC_NO_CORE         UINT32_MAX

/* What the master counts. Written by the master thread only (relaxed stores),
 * read by any thread. */
struct pf_zc_cluster_counters {
	uint64_t rx;            /* frames taken from the registered rings (tot_rx_packets) */
	uint64_t tx;            /* frames sent by the master: FRWD and slave TX (tot_tx_packets) */
	uint64_t processed;     /* shares of received frames the slaves gave back, released or
				 * sent (tot_rx_processed); not the spares they were given */
	uint64_t delivered;     /* shares put in slaves' rx queues (attached or not yet) */
	uint64_t verdict_drops; /* DNA_CLUSTER_DROP, or a verdict of no known value */
	uint64_t no_slave;      /* PASS whose id_mask has no slave id below num_slaves (a full
				 * rx queue is its slave's zc_pool_rx_drops) */
	uint64_t no_buffer;     /* frames dropped: the pool had no free buffer */
	uint64_t frwd;          /* frames with the FRWD verdict */
	uint64_t frwd_refused;  /* FRWD without DNA_CLUSTER_DIRECT_FORWARDING or in recv_only_mode */
	uint64_t tx_errors;     /* sends that failed, or to an ifindex no registered ring has */
	uint64_t tx_refused;    /* slave sends dropped: the cluster is in recv_only_mode */
	uint64_t truncated;     /* frames longer than a buffer (ZC_BUF_DATA), cut */
	uint64_t reaped;        /* slaves reaped (detached or dead) */
	uint64_t reclaimed;     /* shares of received frames taken back from reaped slaves */
};

#define ZC_NUM_COUNTERS (sizeof(struct pf_zc_cluster_counters) / sizeof(uint64_t))

struct pfring_dna_cluster {
	uint32_t cluster_id, num_slaves, flags;
	uint32_t rx_queue_len, tx_queue_len, additional_buffers;
	socket_mode mode;
	uint32_t rx_core, tx_core;     /* ZC_NO_CORE: not bound */

	uint32_t num_rings;
	pfring *rings[DNA_CLUSTER_MAX_NUM_SOCKETS];
	uint32_t ifindex[DNA_CLUSTER_MAX_NUM_SOCKETS];

	struct zc_pool *pool;          /* from the first enable */
	pthread_t thread;
	bool running;                  /* the thread exists (joined at disable) */
	_Atomic bool stop;
	_Atomic uint32_t active_wait;

	/* The distribution function: set from any thread, taken by the master
	 * thread at its next round (dist_changed). */
	pthread_mutex_t dist_lock;
	struct pf_zero_distribution dist_pending;
	_Atomic bool dist_changed;

	_Atomic uint64_t counters[ZC_NUM_COUNTERS];  /* struct pf_zc_cluster_counters, in order */
};

/* cluster_loop.c: the master thread (arg: the handle). */
void *pf_zc_cluster_loop(void *arg);

/* A snapshot of h's counters. */
void pf_zc_cluster_counters(pfring_dna_cluster *h, struct pf_zc_cluster_counters *out);

/* h's pool (NULL before the first enable): tests read its free count with the
 * cluster disabled. */
struct zc_pool *pf_zc_cluster_pool(pfring_dna_cluster *h);

#endif
