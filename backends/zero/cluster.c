/*
 * backends/zero/cluster.c - the DNA Cluster master's API (spec 9.1.1): the
 * handle, its settings, its rings, starting and stopping its thread
 * (cluster_loop.c), its stats. docs/libzero.md, "The master".
 *
 * lib/api_zero.c has refused NULL handles, unknown flags, num_apps out of
 * 1..DNA_CLUSTER_MAX_NUM_SLAVES, queue lengths of 0 and unknown modes.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "backends/zero/cluster.h"
#include "util/api_message.h"

#define ZC_MAX_QUEUE_LEN (1u << 20)

static uint32_t pow2_at_least(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

pfring_dna_cluster *pf_zc_cluster_create(u_int32_t cluster_id, u_int32_t num_apps, u_int32_t flags)
{
	int32_t owner;
	int rc = zc_pool_unlink_stale(cluster_id, &owner);

	if (rc == 1)
		pf_api_message("dna_cluster_create(%u): removed the leftover of a master that "
			       "died (pid %d)", cluster_id, owner);
	else if (rc < 0) {
		if (rc == -EEXIST)
			pf_api_message("dna_cluster_create(%u): cluster %u is in use by the "
				       "master of process %d", cluster_id, cluster_id, owner);
		else
			pf_api_message("dna_cluster_create(%u): cannot check /pfring_zero.%u: %s",
				       cluster_id, cluster_id, strerror(-rc));
		errno = -rc;
		return NULL;
	}
	if (flags & DNA_CLUSTER_HUGEPAGES)
		pf_api_message("dna_cluster_create(%u): DNA_CLUSTER_HUGEPAGES: huge pages are not "
			       "supported yet, the cluster uses 4 KiB pages", cluster_id);

	pfring_dna_cluster *h = calloc(1, sizeof(*h));
	if (!h) {
		errno = ENOMEM;
		return NULL;
	}
	h->cluster_id = cluster_id;
	h->num_slaves = num_apps;
	h->flags = flags;
	h->rx_queue_len = ZC_DEFAULT_QUEUE_LEN;
	h->tx_queue_len = ZC_DEFAULT_QUEUE_LEN;
	h->additional_buffers = ZC_DEFAULT_ADDITIONAL;
	h->mode = send_and_recv_mode;
	h->rx_core = h->tx_core = ZC_NO_CORE;
	h->dist_pending.form = PF_ZERO_DIST_DEFAULT;
	atomic_init(&h->dist_changed, true);
	pthread_mutex_init(&h->dist_lock, NULL);
	return h;
}

/* Settings that size the pool: refused once it exists. */
static int pool_made(pfring_dna_cluster *h, const char *call)
{
	if (!h->pool)
		return 0;
	pf_api_message("%s(cluster %u): the cluster was enabled already: its pool is made",
		       call, h->cluster_id);
	return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EBUSY);
}

int pf_zc_cluster_low_level_settings(pfring_dna_cluster *h, u_int32_t rx_queue_len,
				     u_int32_t tx_queue_len, u_int32_t additional_buffers)
{
	if (pool_made(h, "dna_cluster_low_level_settings"))
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (rx_queue_len > ZC_MAX_QUEUE_LEN || tx_queue_len > ZC_MAX_QUEUE_LEN ||
	    additional_buffers > ZC_MAX_QUEUE_LEN) {
		pf_api_message("dna_cluster_low_level_settings(%u, %u, %u): each at most %u",
			       rx_queue_len, tx_queue_len, additional_buffers, ZC_MAX_QUEUE_LEN);
		return pf_api_invalid();
	}
	h->rx_queue_len = rx_queue_len;
	h->tx_queue_len = tx_queue_len;
	h->additional_buffers = additional_buffers;
	return 0;
}

int pf_zc_cluster_register_ring(pfring_dna_cluster *h, pfring *ring)
{
	int ifindex = 0;

	if (h->running) {
		pf_api_message("dna_cluster_register_ring(cluster %u): disable the cluster first",
			       h->cluster_id);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EBUSY);
	}
	if (h->num_rings == DNA_CLUSTER_MAX_NUM_SOCKETS) {
		pf_api_message("dna_cluster_register_ring(cluster %u): %u rings registered "
			       "already (DNA_CLUSTER_MAX_NUM_SOCKETS)",
			       h->cluster_id, DNA_CLUSTER_MAX_NUM_SOCKETS);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, ENOSPC);
	}
	for (uint32_t i = 0; i < h->num_rings; i++)
		if (h->rings[i] == ring)
			return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EEXIST);
	/* contract: a ring without an ifindex is known by its index + 1 */
	if (pfring_get_bound_device_ifindex(ring, &ifindex) != 0 || ifindex <= 0)
		ifindex = (int)h->num_rings + 1;
	/* the master sends on these rings: it must not receive its own sends
	 * back (a sim: ring sees its NIC's TX by default); a ring that cannot
	 * choose its direction (dna:) never does */
	(void)pfring_set_direction(ring, rx_only_direction);
	h->ifindex[h->num_rings] = (uint32_t)ifindex;
	h->rings[h->num_rings++] = ring;
	return 0;
}

void pf_zc_cluster_set_cpu_affinity(pfring_dna_cluster *h, u_int32_t rx_core_id,
				    u_int32_t tx_core_id)
{
	h->rx_core = rx_core_id;
	h->tx_core = tx_core_id;  /* one thread does RX and TX: recorded only */
}

int pf_zc_cluster_set_mode(pfring_dna_cluster *h, socket_mode mode)
{
	if (h->running) {
		pf_api_message("dna_cluster_set_mode(cluster %u): disable the cluster first",
			       h->cluster_id);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EBUSY);
	}
	h->mode = mode;
	return 0;
}

void pf_zc_cluster_set_distribution_function(pfring_dna_cluster *h,
					     const struct pf_zero_distribution *d)
{
	pthread_mutex_lock(&h->dist_lock);
	h->dist_pending = *d;
	atomic_store_explicit(&h->dist_changed, true, memory_order_release);
	pthread_mutex_unlock(&h->dist_lock);
}

void pf_zc_cluster_set_wait_mode(pfring_dna_cluster *h, u_int32_t active_wait)
{
	atomic_store_explicit(&h->active_wait, active_wait ? 1u : 0u, memory_order_relaxed);
}

/* The pool for the settings: every slave's rx queue full, its spare buffers,
 * as many again in its hands or on their way back (tx or release), and the
 * master's own in flight (one rx burst per ring). */
static int make_pool(pfring_dna_cluster *h)
{
	uint32_t len = h->rx_queue_len > h->tx_queue_len ? h->rx_queue_len : h->tx_queue_len;
	uint32_t spare = (h->flags & DNA_CLUSTER_NO_ADDITIONAL_BUFFERS) ? 0 : h->additional_buffers;
	struct zc_pool_config cfg;

	if (spare > len)
		len = spare;  /* the spare queue holds them all */
	cfg.queue_slots = pow2_at_least(len);
	cfg.num_slaves = h->num_slaves;
	cfg.num_buffers = h->num_slaves *
				  (pow2_at_least(h->rx_queue_len) + pow2_at_least(h->tx_queue_len) + spare) +
			  ZC_RX_BURST * (h->num_rings ? h->num_rings : 1);
	int rc = zc_pool_create(h->cluster_id, &cfg, &h->pool);

	if (rc == -EEXIST) {
		int32_t owner;

		/* a master died since create: its leftover goes, as at create */
		if (zc_pool_unlink_stale(h->cluster_id, &owner) == 1)
			rc = zc_pool_create(h->cluster_id, &cfg, &h->pool);
	}
	if (rc) {
		pf_api_message("dna_cluster_enable(cluster %u): cannot make its pool of %u buffers "
			       "(/pfring_zero.%u): %s", h->cluster_id, cfg.num_buffers,
			       h->cluster_id, strerror(-rc));
		return pf_api_fail(PF_RING_ERROR_GENERIC, -rc);
	}
	return 0;
}

int pf_zc_cluster_enable(pfring_dna_cluster *h)
{
	sigset_t all, old;
	int rc;

	if (h->running)
		return 0;
	if (h->num_rings == 0 && h->mode != send_only_mode) {
		pf_api_message("dna_cluster_enable(cluster %u): no ring registered",
			       h->cluster_id);
		return pf_api_invalid();
	}
	for (uint32_t i = 0; i < h->num_rings; i++) {
		rc = pfring_enable_ring(h->rings[i]);
		if (rc != 0)
			return rc;  /* the ring's call said why */
	}
	if (!h->pool && (rc = make_pool(h)) != 0)
		return rc;
	atomic_store(&h->stop, false);
	/* the thread takes no signal: a handler calling dna_cluster_disable runs
	 * in one of the program's threads, which may join it */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&h->thread, NULL, pf_zc_cluster_loop, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		pf_api_message("dna_cluster_enable(cluster %u): cannot start its thread: %s",
			       h->cluster_id, strerror(rc));
		return pf_api_fail(PF_RING_ERROR_GENERIC, rc);
	}
	h->running = true;
	return 0;
}

/* Slaves stay attached and the pool stays: enable again goes on with them. */
int pf_zc_cluster_disable(pfring_dna_cluster *h)
{
	if (!h->running)
		return 0;
	atomic_store(&h->stop, true);
	if (pthread_equal(pthread_self(), h->thread))
		return 0;  /* from the distribution function: the thread ends after its round */
	pthread_join(h->thread, NULL);
	h->running = false;
	return 0;
}

void pf_zc_cluster_counters(pfring_dna_cluster *h, struct pf_zc_cluster_counters *out)
{
	uint64_t *o = (uint64_t *)out;

	for (size_t i = 0; i < ZC_NUM_COUNTERS; i++)
		o[i] = atomic_load_explicit(&h->counters[i], memory_order_relaxed);
}

struct zc_pool *pf_zc_cluster_pool(pfring_dna_cluster *h)
{
	return h->pool;
}

int pf_zc_cluster_stats(pfring_dna_cluster *h, u_int64_t *tot_rx_packets,
			u_int64_t *tot_tx_packets, u_int64_t *tot_rx_processed)
{
	struct pf_zc_cluster_counters c;

	pf_zc_cluster_counters(h, &c);
	*tot_rx_packets = c.rx;
	*tot_tx_packets = c.tx;
	*tot_rx_processed = c.processed;
	return 0;
}

void pf_zc_cluster_destroy(pfring_dna_cluster *h)
{
	pf_zc_cluster_disable(h);
	if (h->running)  /* disabled from its own thread: it ends on its own */
		pthread_join(h->thread, NULL);
	zc_pool_close(h->pool);  /* attached slaves keep their mapping */
	for (uint32_t i = 0; i < h->num_rings; i++)
		pfring_close(h->rings[i]);
	pthread_mutex_destroy(&h->dist_lock);
	free(h);
}
