/*
 * backends/zero/zc_slaves.c - a pool's slaves: attach by cluster id, detach,
 * and the master's reaping of slaves that left or died.
 *
 * A slot's life (state in struct zc_slave_slot):
 *   FREE --attach: trylock alive, then state ATTACHED--> ATTACHED
 *   ATTACHED --detach: state DETACHED, then unlock--> DETACHED
 *   ATTACHED, its thread or process gone --> the master's trylock of alive
 *            returns EOWNERDEAD (the kernel's robust list, even after SIGKILL)
 *   DETACHED or dead --reap: take back its buffers, unlock--> FREE
 * gen counts the attaches, so a handle closed after its slave was reaped
 * (a slave thread ended, another closes its handle) leaves the slot alone.
 * Only the master makes a slot FREE, and only after taking back every buffer
 * of it, so a new slave in that slot never sees a dead one's leftovers.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/zero/zc_pool_shm.h"

#define ZC_DRAIN_BURST 64u

int zc_slaves_init(struct zc_pool_shm *shm)
{
	pthread_mutexattr_t a;
	int rc = pthread_mutexattr_init(&a);

	if (rc)
		return -rc;
	rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	if (!rc)
		rc = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	for (uint32_t s = 0; !rc && s < shm->num_slaves; s++) {
		rc = pthread_mutex_init(&shm->slaves[s].alive, &a);
		atomic_init(&shm->slaves[s].state, ZC_SLAVE_FREE);
	}
	pthread_mutexattr_destroy(&a);
	return -rc;
}

static int map_existing(struct zc_pool *p)
{
	int fd = shm_open(p->name, O_RDWR, 0);

	if (fd < 0)
		return -errno;
	struct stat st;
	int e = fstat(fd, &st) != 0 ? -errno : 0;

	if (!e && (size_t)st.st_size < sizeof(struct zc_pool_shm))
		e = -EINVAL;
	void *mem = e ? MAP_FAILED : mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
					  MAP_SHARED, fd, 0);
	if (!e && mem == MAP_FAILED)
		e = -errno;
	close(fd);
	if (e)
		return e;
	p->shm = mem;
	p->size = (size_t)st.st_size;
	struct zc_pool_shm *shm = p->shm;
	uint32_t magic = atomic_load_explicit(&shm->magic, memory_order_acquire);

	if (magic != ZC_POOL_MAGIC || shm->version != ZC_POOL_VERSION ||
	    shm->region_size != p->size) {
		munmap(mem, p->size);
		return magic == 0 ? -EAGAIN : -EINVAL;  /* 0: the master has not finished */
	}
	p->bufs = (uint8_t *)shm + shm->bufs_off;
	return 0;
}

int zc_pool_attach(uint32_t cluster_id, uint32_t slave_id, struct zc_pool **out)
{
	struct zc_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	zc_pool_name(cluster_id, p->name);
	int rc = map_existing(p);
	if (rc) {
		free(p);
		return rc;
	}
	struct zc_slave_slot *slot = &p->shm->slaves[slave_id < ZC_MAX_SLAVES ? slave_id : 0];

	if (slave_id >= p->shm->num_slaves)
		rc = -EINVAL;
	else if (atomic_load_explicit(&slot->state, memory_order_acquire) != ZC_SLAVE_FREE)
		rc = -EBUSY;
	else if ((rc = pthread_mutex_trylock(&slot->alive)) != 0) {
		/* another slave won the race, or one died between its lock and its
		 * state store: make the mutex usable again, the slot stays FREE */
		if (rc == EOWNERDEAD) {
			pthread_mutex_consistent(&slot->alive);
			pthread_mutex_unlock(&slot->alive);
		}
		rc = -EBUSY;
	}
	if (rc) {
		munmap(p->shm, p->size);
		free(p);
		return rc;
	}
	p->slave_id = slave_id;
	p->gen = atomic_fetch_add_explicit(&slot->gen, 1, memory_order_relaxed) + 1;
	slot->pid = (int32_t)getpid();
	atomic_store_explicit(&slot->state, ZC_SLAVE_ATTACHED, memory_order_release);
	*out = p;
	return 0;
}

void zc_slave_detach(struct zc_pool *p)
{
	struct zc_slave_slot *slot = &p->shm->slaves[p->slave_id];

	/* reaped already (its thread ended first): the slot is not this one's */
	if (atomic_load_explicit(&slot->gen, memory_order_relaxed) != p->gen ||
	    atomic_load_explicit(&slot->state, memory_order_relaxed) != ZC_SLAVE_ATTACHED)
		return;
	atomic_store_explicit(&slot->state, ZC_SLAVE_DETACHED, memory_order_release);
	pthread_mutex_unlock(&slot->alive);
}

bool zc_pool_slave_attached(struct zc_pool *p, uint32_t s)
{
	return s < p->shm->num_slaves &&
	       atomic_load_explicit(&p->shm->slaves[s].state, memory_order_acquire) ==
		       ZC_SLAVE_ATTACHED;
}

/* Drains queue k of slave s (the slave is gone: the master may be its
 * consumer) dropping s's share of each handle. Returns the shares dropped. */
static uint32_t drain(struct zc_pool *p, uint32_t s, enum zc_queue_kind k)
{
	uint32_t h[ZC_DRAIN_BURST], n, dropped = 0;

	while ((n = zc_queue_dequeue_burst(zc_pool_queue(p, s, k), h, ZC_DRAIN_BURST)) > 0)
		for (uint32_t i = 0; i < n; i++)
			dropped += zc_pool_drop_share(p, s, h[i]);
	return dropped;
}

/* Every buffer slave s still holds comes back: those in its queues (a
 * release or a send it made is honoured as a release; its sends are not
 * sent), then those it took and kept, found by its owner bit. */
static uint32_t reclaim(struct zc_pool *p, uint32_t s)
{
	uint32_t n = drain(p, s, ZC_Q_RELEASE) + drain(p, s, ZC_Q_TX) + drain(p, s, ZC_Q_RX) +
		     drain(p, s, ZC_Q_SPARE);

	for (uint32_t h = 0; h < p->shm->num_buffers; h++)
		if (atomic_load_explicit(&zc_pool_buf(p, h)->owners, memory_order_acquire) & (1u << s))
			n += zc_pool_drop_share(p, s, h);
	return n;
}

uint32_t zc_pool_reap(struct zc_pool *p, uint32_t *reclaimed)
{
	uint32_t reaped = 0, shares = 0;

	for (uint32_t s = 0; s < p->shm->num_slaves; s++) {
		struct zc_slave_slot *slot = &p->shm->slaves[s];
		uint32_t st = atomic_load_explicit(&slot->state, memory_order_acquire);

		if (st == ZC_SLAVE_FREE)
			continue;
		int rc = pthread_mutex_trylock(&slot->alive);

		if (rc == EOWNERDEAD)
			pthread_mutex_consistent(&slot->alive);
		else if (rc != 0)
			continue;  /* alive (EBUSY), or between its state store and unlock */
		shares += reclaim(p, s);
		slot->pid = 0;
		atomic_store_explicit(&slot->state, ZC_SLAVE_FREE, memory_order_release);
		pthread_mutex_unlock(&slot->alive);
		reaped++;
	}
	if (reclaimed)
		*reclaimed = shares;
	return reaped;
}

int32_t zc_pool_master_pid(const struct zc_pool *p)
{
	return __atomic_load_n(&p->shm->master_pid, __ATOMIC_ACQUIRE);
}

bool zc_pool_master_alive(const struct zc_pool *p)
{
	int32_t pid = zc_pool_master_pid(p);

	/* EPERM: a process of another user has the pid; it exists */
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH);
}

int zc_pool_peek(uint32_t cluster_id, uint32_t *num_slaves)
{
	struct zc_pool p = { 0 };

	zc_pool_name(cluster_id, p.name);
	int rc = map_existing(&p);

	if (rc)
		return rc;
	*num_slaves = p.shm->num_slaves;
	munmap(p.shm, p.size);
	return 0;
}
