/*
 * backends/zero/zc_pool.c - the pool's region, its buffers and the calls that
 * move them (zc_pool.h has the ownership rules). Slaves' attach, detach and
 * the reaping of dead ones are in zc_slaves.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/zero/zc_pool_shm.h"

#define ZC_MAX_BUFFERS (1u << 24)
#define ZC_PAGE        4096u
#define ZC_DRAIN_BURST 64u

void zc_pool_name(uint32_t cluster_id, char *name)
{
	snprintf(name, ZC_POOL_NAME_MAX, "/pfring_zero.%u", cluster_id);
}

_Static_assert(sizeof(struct zc_buf) == 64, "a buffer header is one cache line");

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

struct zc_buf *zc_pool_buf(struct zc_pool *p, uint32_t h)
{
	if (h >= p->shm->num_buffers)
		return NULL;
	return (struct zc_buf *)(p->bufs + (size_t)h * ZC_BUF_STRIDE);
}

uint8_t *zc_pool_data(struct zc_pool *p, uint32_t h)
{
	struct zc_buf *b = zc_pool_buf(p, h);

	return b ? (uint8_t *)(b + 1) : NULL;
}

uint32_t zc_pool_num_buffers(const struct zc_pool *p)
{
	return p->shm->num_buffers;
}

uint32_t zc_pool_num_slaves(const struct zc_pool *p)
{
	return p->shm->num_slaves;
}

static int map_new(struct zc_pool *p, uint64_t size)
{
	int fd = shm_open(p->name, O_CREAT | O_EXCL | O_RDWR, 0600);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) != 0) {
		int e = -errno;

		close(fd);
		shm_unlink(p->name);
		return e;
	}
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int e = mem == MAP_FAILED ? -errno : 0;

	close(fd);
	if (e) {
		shm_unlink(p->name);
		return e;
	}
	p->shm = mem;
	p->size = size;
	return 0;
}

int zc_pool_create(uint32_t cluster_id, const struct zc_pool_config *cfg, struct zc_pool **out)
{
	size_t qbytes = zc_queue_size(cfg->queue_slots);

	if (cfg->num_buffers == 0 || cfg->num_buffers > ZC_MAX_BUFFERS || cfg->num_slaves == 0 ||
	    cfg->num_slaves > ZC_MAX_SLAVES || qbytes == 0)
		return -EINVAL;
	uint64_t bufs_off = round_up(sizeof(struct zc_pool_shm), ZC_PAGE);
	uint64_t queues_off = round_up(bufs_off + (uint64_t)cfg->num_buffers * ZC_BUF_STRIDE, ZC_PAGE);
	uint64_t size = round_up(queues_off + (uint64_t)cfg->num_slaves * ZC_Q_KINDS * qbytes, ZC_PAGE);

	struct zc_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->free_stack = malloc((size_t)cfg->num_buffers * sizeof(uint32_t));
	p->spare_bits = calloc(((size_t)cfg->num_buffers + 63) / 64, sizeof(uint64_t));
	if (!p->free_stack || !p->spare_bits) {
		free(p->free_stack);
		free(p->spare_bits);
		free(p);
		return -ENOMEM;
	}
	zc_pool_name(cluster_id, p->name);
	int rc = map_new(p, size);
	if (rc) {
		free(p->free_stack);
		free(p->spare_bits);
		free(p);
		return rc;
	}
	struct zc_pool_shm *shm = p->shm;  /* zero-filled by ftruncate */

	shm->version = ZC_POOL_VERSION;
	shm->num_buffers = cfg->num_buffers;
	shm->num_slaves = cfg->num_slaves;
	shm->queue_slots = cfg->queue_slots;
	shm->master_pid = (int32_t)getpid();
	shm->region_size = size;
	shm->bufs_off = bufs_off;
	shm->queues_off = queues_off;
	shm->queue_bytes = qbytes;
	p->bufs = (uint8_t *)shm + bufs_off;
	p->master = true;
	rc = zc_slaves_init(shm);
	for (uint32_t s = 0; rc == 0 && s < cfg->num_slaves; s++)
		for (int k = 0; rc == 0 && k < ZC_Q_KINDS; k++)
			rc = zc_queue_init(zc_pool_queue(p, s, (enum zc_queue_kind)k), cfg->queue_slots);
	if (rc) {
		zc_pool_close(p);
		return rc;
	}
	/* the free list pops handle 0 first */
	for (uint32_t i = 0; i < cfg->num_buffers; i++)
		p->free_stack[i] = cfg->num_buffers - 1 - i;
	p->free_n = cfg->num_buffers;
	atomic_store_explicit(&shm->magic, ZC_POOL_MAGIC, memory_order_release);
	*out = p;
	return 0;
}

void zc_pool_close(struct zc_pool *p)
{
	if (!p)
		return;
	if (p->master) {
		/* the slaves still mapping it see their master gone (zc_pool_master_alive) */
		__atomic_store_n(&p->shm->master_pid, 0, __ATOMIC_RELEASE);
		shm_unlink(p->name);
		free(p->free_stack);
		free(p->spare_bits);
	} else {
		zc_slave_detach(p);
	}
	munmap(p->shm, p->size);
	free(p);
}

/* ------------------------------------------------------------ the master */

uint32_t zc_pool_alloc(struct zc_pool *p, uint32_t *h, uint32_t n)
{
	if (n > p->free_n)
		n = p->free_n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = p->free_stack[--p->free_n];
		struct zc_buf *buf = zc_pool_buf(p, b);

		buf->len = 0;
		buf->ifindex = 0;
		buf->num_extra_egress = 0;
		buf->hash = 0;
		buf->ts_ns = 0;
		atomic_store_explicit(&buf->owners, 0, memory_order_relaxed);
		atomic_store_explicit(&buf->refs, 1, memory_order_relaxed);
		h[i] = b;
	}
	return n;
}

uint32_t zc_pool_free_count(const struct zc_pool *p)
{
	return p->free_n;
}

/* One holder less on b; the last one puts it back on the free list. */
static void unref(struct zc_pool *p, uint32_t h, struct zc_buf *b)
{
	if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
		p->free_stack[p->free_n++] = h;
}

/* Does the master hold b? Its hold is the one count owners does not explain. */
static bool master_holds(struct zc_buf *b)
{
	return b && atomic_load_explicit(&b->refs, memory_order_relaxed) >
			    (uint32_t)__builtin_popcount(atomic_load_explicit(&b->owners,
									   memory_order_relaxed));
}

int zc_pool_put(struct zc_pool *p, uint32_t h)
{
	struct zc_buf *b = zc_pool_buf(p, h);

	if (!master_holds(b)) {
		p->bad_handles++;
		return -EINVAL;
	}
	unref(p, h, b);
	return 0;
}

/* A spare (zc_pool_spare_fill) comes back from its slave: not a frame. */
static void spare_back(struct zc_pool *p, uint32_t h)
{
	uint64_t bit = 1ull << (h % 64);

	if (p->spare_bits[h / 64] & bit) {
		p->spare_bits[h / 64] &= ~bit;
		p->spares_back++;
	}
}

bool zc_pool_drop_share(struct zc_pool *p, uint32_t s, uint32_t h)
{
	struct zc_buf *b = zc_pool_buf(p, h);
	uint32_t bit = 1u << s;

	if (!b || !(atomic_fetch_and_explicit(&b->owners, ~bit, memory_order_acq_rel) & bit)) {
		p->bad_handles++;
		return false;
	}
	spare_back(p, h);
	unref(p, h, b);
	return true;
}

uint32_t zc_pool_fanout(struct zc_pool *p, uint32_t h, uint32_t mask)
{
	struct zc_buf *b = zc_pool_buf(p, h);
	uint32_t given = 0;

	if (!master_holds(b)) {
		p->bad_handles++;
		return 0;
	}
	mask &= ~atomic_load_explicit(&b->owners, memory_order_relaxed);
	/* attached or not: a slot with no slave yet (or one reaped, waiting for
	 * the next) keeps its queue for the slave that attaches, as ZC's cluster
	 * queues do; the master is the rx queue's only producer, the slave that
	 * attaches its only consumer, and the reap drains it only for a slot that
	 * is not FREE (no slave can attach to it meanwhile) */
	for (uint32_t s = 0; s < p->shm->num_slaves; s++) {
		if (!(mask & (1u << s)))
			continue;
		if (zc_queue_free_count(zc_pool_queue(p, s, ZC_Q_RX)) == 0) {
			p->shm->slaves[s].rx_drops++;
			continue;
		}
		given |= 1u << s;
	}
	/* the shares first, then the queues (whose release store publishes them) */
	atomic_fetch_add_explicit(&b->refs, (uint32_t)__builtin_popcount(given), memory_order_relaxed);
	atomic_fetch_or_explicit(&b->owners, given, memory_order_relaxed);
	for (uint32_t s = 0; s < p->shm->num_slaves; s++)
		if (given & (1u << s))
			zc_queue_enqueue_burst(zc_pool_queue(p, s, ZC_Q_RX), &h, 1);
	unref(p, h, b);  /* the master's hold */
	return given;
}

uint32_t zc_pool_collect(struct zc_pool *p)
{
	uint32_t h[ZC_DRAIN_BURST], total = 0, n;

	for (uint32_t s = 0; s < p->shm->num_slaves; s++) {
		struct zc_queue *q = zc_pool_queue(p, s, ZC_Q_RELEASE);

		while ((n = zc_queue_dequeue_burst(q, h, ZC_DRAIN_BURST)) > 0) {
			for (uint32_t i = 0; i < n; i++)
				zc_pool_drop_share(p, s, h[i]);
			total += n;
		}
	}
	return total;
}

uint32_t zc_pool_tx_take(struct zc_pool *p, uint32_t s, uint32_t *h, uint32_t n)
{
	if (s >= p->shm->num_slaves)
		return 0;
	uint32_t got = zc_queue_dequeue_burst(zc_pool_queue(p, s, ZC_Q_TX), h, n), kept = 0;

	for (uint32_t i = 0; i < got; i++) {
		struct zc_buf *b = zc_pool_buf(p, h[i]);

		/* the slave's share becomes the master's hold: refs unchanged */
		if (!b || !(atomic_fetch_and_explicit(&b->owners, ~(1u << s), memory_order_acq_rel) &
			    (1u << s))) {
			p->bad_handles++;
			continue;
		}
		spare_back(p, h[i]);
		h[kept++] = h[i];
	}
	return kept;
}

uint64_t zc_pool_rx_drops(const struct zc_pool *p, uint32_t s)
{
	return s < p->shm->num_slaves ? p->shm->slaves[s].rx_drops : 0;
}

uint64_t zc_pool_bad_handles(const struct zc_pool *p)
{
	return p->bad_handles;
}

uint64_t zc_pool_spares_back(const struct zc_pool *p)
{
	return p->spares_back;
}

uint32_t zc_pool_spare_fill(struct zc_pool *p, uint32_t s, uint32_t want)
{
	struct zc_queue *q;
	uint32_t have, added = 0, h;

	if (s >= p->shm->num_slaves || !zc_pool_slave_attached(p, s))
		return 0;
	q = zc_pool_queue(p, s, ZC_Q_SPARE);
	have = zc_queue_count(q);
	while (have + added < want && zc_queue_free_count(q) > 0 && zc_pool_alloc(p, &h, 1) == 1) {
		struct zc_buf *b = zc_pool_buf(p, h);

		/* the master's hold becomes s's share: refs stays 1 */
		atomic_fetch_or_explicit(&b->owners, 1u << s, memory_order_relaxed);
		p->spare_bits[h / 64] |= 1ull << (h % 64);
		zc_queue_enqueue_burst(q, &h, 1);
		added++;
	}
	return added;
}

/* ------------------------------------------------------------ a slave */

uint32_t zc_pool_spare_take(struct zc_pool *p, uint32_t *h, uint32_t n)
{
	return zc_queue_dequeue_burst(zc_pool_queue(p, p->slave_id, ZC_Q_SPARE), h, n);
}

uint32_t zc_pool_recv(struct zc_pool *p, uint32_t *h, uint32_t n)
{
	return zc_queue_dequeue_burst(zc_pool_queue(p, p->slave_id, ZC_Q_RX), h, n);
}

uint32_t zc_pool_release(struct zc_pool *p, const uint32_t *h, uint32_t n)
{
	return zc_queue_enqueue_burst(zc_pool_queue(p, p->slave_id, ZC_Q_RELEASE), h, n);
}

uint32_t zc_pool_send(struct zc_pool *p, const uint32_t *h, uint32_t n)
{
	return zc_queue_enqueue_burst(zc_pool_queue(p, p->slave_id, ZC_Q_TX), h, n);
}
