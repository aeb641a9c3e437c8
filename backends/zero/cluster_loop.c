/*
 * backends/zero/cluster_loop.c - the DNA Cluster's master thread. Each round:
 *   1. take back what the slaves released (zc_pool_collect);
 *   2. send what the slaves asked to send (zc_pool_tx_take), out of the
 *      registered ring of the buffer's ifindex and of its extra egress rings;
 *   3. top up each attached slave's spare buffers (zc_pool_spare_fill);
 *   4. receive up to ZC_RX_BURST frames from each registered ring, copy each
 *      into a pool buffer and act on the distribution function's verdict;
 *   5. every ZC_REAP_EVERY_NS, reap the slaves that left or died;
 *   6. with nothing done: spin (active wait) or sleep, backing off.
 * The counters are kept here and published once per round.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "backends/zero/cluster.h"
#include "core/hash.h"
#include "core/parse.h"
#include "util/api_message.h"

#define ZC_IDLE_MIN_NS 1000L      /* passive wait: first sleep */
#define ZC_IDLE_MAX_NS 1000000L   /* passive wait: longest sleep */

struct master {
	pfring_dna_cluster *h;
	struct zc_pool *pool;
	struct pf_zero_distribution dist;
	pfring_dna_cluster_slaves_info info;  /* for the slaves_info form */
	uint32_t all_slaves;                   /* mask of 0..num_slaves-1 */
	struct pf_zc_cluster_counters c;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void publish(struct master *m)
{
	const uint64_t *c = (const uint64_t *)&m->c;

	for (size_t i = 0; i < ZC_NUM_COUNTERS; i++)
		atomic_store_explicit(&m->h->counters[i], c[i], memory_order_relaxed);
}

/* The registered ring sending out of ifindex (0: the first), or -1. */
static int ring_of(const pfring_dna_cluster *h, uint32_t ifindex)
{
	if (ifindex == 0)
		return h->num_rings ? 0 : -1;
	for (uint32_t i = 0; i < h->num_rings; i++)
		if (h->ifindex[i] == ifindex)
			return (int)i;
	return -1;
}

static void send_on(struct master *m, int r, uint8_t *data, uint32_t len, uint8_t flush)
{
	if (r < 0) {
		m->c.tx_errors++;
		return;
	}
	if (pfring_send(m->h->rings[r], (char *)data, len, flush) > 0)
		m->c.tx++;
	else
		m->c.tx_errors++;
}

/* 2. A slave's send: its ifindex's ring, then each extra egress; then put. */
static uint32_t slave_tx(struct master *m)
{
	uint32_t h[ZC_TX_BURST], n, done = 0;
	bool refused = m->h->mode == recv_only_mode;

	for (uint32_t s = 0; s < m->h->num_slaves; s++) {
		uint64_t spares = zc_pool_spares_back(m->pool);

		while ((n = zc_pool_tx_take(m->pool, s, h, ZC_TX_BURST)) > 0) {
			/* a slave's own packet in a spare is sent, not processed */
			m->c.processed += n - (zc_pool_spares_back(m->pool) - spares);
			spares = zc_pool_spares_back(m->pool);
			for (uint32_t i = 0; i < n; i++) {
				struct zc_buf *b = zc_pool_buf(m->pool, h[i]);
				uint8_t *data = zc_pool_data(m->pool, h[i]);
				uint32_t len = b->len <= ZC_BUF_DATA ? b->len : ZC_BUF_DATA;
				uint32_t extra = b->num_extra_egress <= ZC_MAX_EXTRA_EGRESS ?
							 b->num_extra_egress : ZC_MAX_EXTRA_EGRESS;

				if (refused) {
					m->c.tx_refused++;
				} else {
					send_on(m, ring_of(m->h, b->ifindex), data, len, i + 1 == n);
					for (uint32_t e = 0; e < extra; e++)
						send_on(m, ring_of(m->h, b->extra_egress[e]), data, len,
							i + 1 == n);
				}
				zc_pool_put(m->pool, h[i]);
			}
			done += n;
		}
	}
	return done;
}

/* The default distribution: the bidirectional IP hash of core/ (the per-flow
 * 2-tuple cluster's: <ip a, ip b>, symmetric), one slave by hash % slaves. */
static int default_distribution(const uint8_t *data, uint32_t len, uint32_t num_slaves,
				uint32_t *mask, uint32_t *hash)
{
	struct pkt_parsing_info info;

	pf_parse(data, len, PF_RING_PARSE_L3, &info);
	*hash = pf_flow_hash(&info, cluster_per_flow_2_tuple, 0);
	*mask = 1u << (*hash % num_slaves);
	return DNA_CLUSTER_PASS;
}

/* 4. One frame, copied into buffer bh (held by the master): the verdict. */
static void distribute(struct master *m, uint32_t bh)
{
	struct zc_buf *b = zc_pool_buf(m->pool, bh);
	uint8_t *data = zc_pool_data(m->pool, bh);
	uint32_t mask = 0, hash = 0, given;
	int verdict;

	if (m->dist.form == PF_ZERO_DIST_DEFAULT)
		verdict = default_distribution(data, b->len, m->h->num_slaves, &mask, &hash);
	else
		verdict = pf_zero_distribute(&m->dist, data, (u_int16_t)b->len, &m->info, &mask,
					     &hash);
	b->hash = hash;
	switch (verdict) {
	case DNA_CLUSTER_PASS:
		if (!(mask & m->all_slaves)) {
			m->c.no_slave++;
			break;
		}
		/* a full queue is counted in its slave's zc_pool_rx_drops */
		given = zc_pool_fanout(m->pool, bh, mask & m->all_slaves);
		m->c.delivered += (uint64_t)__builtin_popcount(given);
		return;
	case DNA_CLUSTER_FRWD:
		m->c.frwd++;
		if (!(m->h->flags & DNA_CLUSTER_DIRECT_FORWARDING) || m->h->mode == recv_only_mode) {
			m->c.frwd_refused++;
		} else {
			for (uint32_t r = 0; r < m->h->num_rings; r++)
				if (mask & (1u << r))
					send_on(m, (int)r, data, b->len, 1);
		}
		break;
	default:  /* DNA_CLUSTER_DROP, or a value the guide does not give */
		m->c.verdict_drops++;
		break;
	}
	zc_pool_put(m->pool, bh);
}

static void refresh_info(struct master *m)
{
	for (uint32_t s = 0; s < m->h->num_slaves; s++)
		m->info.approximate_stats[s].rx_queued = zc_pool_rx_queued(m->pool, s);
}

/* 4. Up to ZC_RX_BURST frames of registered ring r. */
static uint32_t ring_rx(struct master *m, uint32_t r)
{
	pfring *ring = m->h->rings[r];
	struct pfring_pkthdr hdr;
	u_char *pkt;
	uint32_t n;

	for (n = 0; n < ZC_RX_BURST; n++) {
		uint32_t bh;

		/* not the whole header (hundreds of bytes a frame): what is read of it
		 * that a backend might leave as it was */
		hdr.ts.tv_sec = 0;
		hdr.ts.tv_usec = 0;
		hdr.extended_hdr.timestamp_ns = 0;
		if (pfring_recv(ring, &pkt, 0, &hdr, 0) <= 0)
			break;
		m->c.rx++;
		if (zc_pool_alloc(m->pool, &bh, 1) != 1) {
			m->c.no_buffer++;  /* never hold the wire: the frame is lost, counted */
			continue;
		}
		struct zc_buf *b = zc_pool_buf(m->pool, bh);
		uint32_t len = hdr.caplen;

		if (len > ZC_BUF_DATA) {
			len = ZC_BUF_DATA;
			m->c.truncated++;
		}
		memcpy(zc_pool_data(m->pool, bh), pkt, len);
		b->len = len;
		b->ifindex = m->h->ifindex[r];
		b->ts_ns = hdr.extended_hdr.timestamp_ns ?
				   hdr.extended_hdr.timestamp_ns :
				   (uint64_t)hdr.ts.tv_sec * 1000000000ull +
					   (uint64_t)hdr.ts.tv_usec * 1000ull;
		distribute(m, bh);
	}
	return n;
}

static void take_distribution(struct master *m)
{
	pfring_dna_cluster *h = m->h;

	if (!atomic_load_explicit(&h->dist_changed, memory_order_acquire))
		return;
	pthread_mutex_lock(&h->dist_lock);
	m->dist = h->dist_pending;
	atomic_store_explicit(&h->dist_changed, false, memory_order_relaxed);
	pthread_mutex_unlock(&h->dist_lock);
}

/* Shares given back; those of spares (zc_pool_spare_fill: the slave's
 * pfring_alloc_pkt_buff, given back unused or after a recv_pkt_buff swap)
 * carried no frame from the wire and are not processed. */
static uint32_t collect(struct master *m)
{
	uint64_t bad = zc_pool_bad_handles(m->pool), spares = zc_pool_spares_back(m->pool);
	uint32_t n = zc_pool_collect(m->pool);

	m->c.processed += n - (zc_pool_bad_handles(m->pool) - bad) -
			  (zc_pool_spares_back(m->pool) - spares);
	return n;
}

static void reap(struct master *m)
{
	uint32_t shares = 0;

	/* a slave that released and then detached: its releases are counted as
	 * processed, not as taken back (a detach is stored after its releases) */
	for (uint32_t s = 0; s < m->h->num_slaves; s++)
		if (!zc_pool_slave_attached(m->pool, s)) {
			collect(m);
			break;
		}

	uint64_t spares = zc_pool_spares_back(m->pool);

	m->c.reaped += zc_pool_reap(m->pool, &shares);
	m->c.reclaimed += shares - (zc_pool_spares_back(m->pool) - spares);  /* frames only */
}

static void bind_core(pfring_dna_cluster *h)
{
	cpu_set_t set;
	int rc;

	if (h->rx_core == ZC_NO_CORE)
		return;
	CPU_ZERO(&set);
	if (h->rx_core < CPU_SETSIZE)
		CPU_SET(h->rx_core, &set);
	rc = h->rx_core < CPU_SETSIZE ? pthread_setaffinity_np(pthread_self(), sizeof(set), &set)
				       : EINVAL;
	if (rc)
		pf_api_message("dna_cluster_set_cpu_affinity(cluster %u): cannot bind the master "
			       "thread to core %u: %s; it runs unbound", h->cluster_id, h->rx_core,
			       strerror(rc));
}

void *pf_zc_cluster_loop(void *arg)
{
	struct master m = { .h = arg };
	pfring_dna_cluster *h = m.h;
	uint64_t next_reap = 0;
	long idle_ns = ZC_IDLE_MIN_NS;

	m.pool = h->pool;
	m.info.num_slaves = h->num_slaves;
	m.all_slaves = h->num_slaves >= 32 ? UINT32_MAX : (1u << h->num_slaves) - 1;
	pf_zc_cluster_counters(h, &m.c);  /* go on from an earlier enable */
	bind_core(h);
	while (!atomic_load_explicit(&h->stop, memory_order_relaxed)) {
		uint32_t work = 0;

		take_distribution(&m);
		work += collect(&m);
		work += slave_tx(&m);
		if (!(h->flags & DNA_CLUSTER_NO_ADDITIONAL_BUFFERS))
			for (uint32_t s = 0; s < h->num_slaves; s++)
				work += zc_pool_spare_fill(m.pool, s, h->additional_buffers);
		if (h->mode != send_only_mode) {
			if (m.dist.form == PF_ZERO_DIST_SLAVES_INFO)
				refresh_info(&m);
			for (uint32_t r = 0; r < h->num_rings; r++)
				work += ring_rx(&m, r);
		}
		uint64_t t = now_ns();
		if (t >= next_reap) {
			reap(&m);
			next_reap = t + ZC_REAP_EVERY_NS;
		}
		publish(&m);
		if (work) {
			idle_ns = ZC_IDLE_MIN_NS;
		} else if (atomic_load_explicit(&h->active_wait, memory_order_relaxed)) {
			sched_yield();  /* 2 cores shared: let a slave run */
		} else {
			struct timespec ts = { 0, idle_ns };

			nanosleep(&ts, NULL);
			if (idle_ns < ZC_IDLE_MAX_NS)
				idle_ns *= 2;
		}
	}
	/* what came back meanwhile, counted before the thread ends */
	collect(&m);
	slave_tx(&m);
	reap(&m);
	publish(&m);
	return NULL;
}
