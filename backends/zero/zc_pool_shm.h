/*
 * backends/zero/zc_pool_shm.h - the layout of a zc_pool's shared region and
 * the process-local handle, shared by zc_pool.c (buffers, the master's
 * calls) and zc_slaves.c (attach, detach, reap). Not for users of the pool.
 *
 *   offset 0            struct zc_pool_shm   geometry, the slave slots
 *   bufs_off            num_buffers x ZC_BUF_STRIDE (struct zc_buf + data)
 *   queues_off          num_slaves x ZC_Q_KINDS queues of queue_bytes each:
 *                       slave s's queue k at queues_off + (ZC_Q_KINDS s + k) queue_bytes
 */
#ifndef PF_BACKENDS_ZERO_ZC_POOL_SHM_H
#define PF_BACKENDS_ZERO_ZC_POOL_SHM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "backends/zero/zc_pool.h"
#include "backends/zero/zc_queue.h"

#define ZC_POOL_MAGIC    0x5a43504fu  /* "ZCPO" */
#define ZC_POOL_VERSION  2u
#define ZC_BUF_STRIDE    (sizeof(struct zc_buf) + ZC_BUF_DATA)
#define ZC_POOL_NAME_MAX 48

enum zc_queue_kind { ZC_Q_RX = 0, ZC_Q_RELEASE = 1, ZC_Q_TX = 2, ZC_Q_SPARE = 3, ZC_Q_KINDS = 4 };

enum zc_slave_state {
	ZC_SLAVE_FREE = 0,      /* no slave; attach may take it */
	ZC_SLAVE_ATTACHED = 1,  /* a slave holds alive (or died holding it) */
	ZC_SLAVE_DETACHED = 2,  /* the slave left; the master has not reaped it yet */
};

struct zc_slave_slot {
	/* Held by the slave's thread from attach to detach; robust and
	 * process-shared, so the master's trylock says EOWNERDEAD once that
	 * thread or its process is gone, however it ended. */
	pthread_mutex_t alive;
	_Atomic uint32_t state;     /* enum zc_slave_state; see zc_slaves.c */
	_Atomic uint32_t gen;       /* attaches so far: a late detach of a reaped
				     * slave (its generation gone) does nothing */
	int32_t pid;                /* the slave's, for messages */
	uint64_t rx_drops;          /* master writes: fan-outs its full rx queue refused */
};

struct zc_pool_shm {
	_Atomic uint32_t magic;     /* ZC_POOL_MAGIC, stored last with release */
	uint32_t version;
	uint32_t num_buffers, num_slaves, queue_slots;
	int32_t master_pid;
	uint64_t region_size, bufs_off, queues_off, queue_bytes;
	struct zc_slave_slot slaves[ZC_MAX_SLAVES];
};

/* One process's view. */
struct zc_pool {
	struct zc_pool_shm *shm;
	size_t size;
	uint8_t *bufs;
	bool master;
	uint32_t slave_id;          /* a slave's */
	uint32_t gen;               /* a slave's: its slot's gen at attach */
	char name[ZC_POOL_NAME_MAX];
	/* the master's only */
	uint32_t *free_stack;       /* the free list: handles, free_n of them */
	uint32_t free_n;
	uint64_t bad_handles;
	/* bit h: buffer h went out as a spare (zc_pool_spare_fill) and has not
	 * come back: its return is not a frame processed */
	uint64_t *spare_bits;
	uint64_t spares_back;       /* spares come back: released, sent or reaped */
};

static inline struct zc_queue *zc_pool_queue(struct zc_pool *p, uint32_t s, enum zc_queue_kind k)
{
	return (struct zc_queue *)((uint8_t *)p->shm + p->shm->queues_off +
				   ((uint64_t)s * ZC_Q_KINDS + k) * p->shm->queue_bytes);
}

/* "/pfring_zero.<cluster_id>" into name (ZC_POOL_NAME_MAX bytes). */
void zc_pool_name(uint32_t cluster_id, char *name);

/* zc_pool.c: drops slave s's share of h (master only). true when s held it;
 * false (counted in bad_handles) otherwise. */
bool zc_pool_drop_share(struct zc_pool *p, uint32_t s, uint32_t h);

/* zc_slaves.c: makes every slave slot empty (its robust mutex, FREE). 0 or -errno. */
int zc_slaves_init(struct zc_pool_shm *shm);
/* zc_slaves.c: a slave's detach, at its zc_pool_close. */
void zc_slave_detach(struct zc_pool *p);

#endif
