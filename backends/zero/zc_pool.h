/*
 * backends/zero/zc_pool.h - libzero's buffer pool: one shared region holding
 * N fixed-size packet buffers and, per slave, three zc_queues of buffer
 * handles. The DNA Cluster (issue 14) moves packets between its master and
 * its slaves (threads or processes) through it without copying.
 *
 * Region: POSIX shared memory "/pfring_zero.<cluster_id>" (shm_open), made by
 * the master, mapped by each slave by the cluster id; 4 KiB pages
 * (docs/decisions.md). Inside, no pointers: buffers and queues are reached by
 * offsets from the region's start, a buffer by its handle (its index).
 *
 * A buffer is struct zc_buf (64 bytes: length, ifindex, egress list, fan-out
 * count, owner mask) followed by ZC_BUF_DATA bytes of packet.
 *
 * Queues of slave s (each a zc_queue, zc_queue.h):
 *   rx       master -> slave   buffers given to s
 *   release  slave -> master   buffers s is done with (any order, any time)
 *   tx       slave -> master   buffers s wants sent; s gives up its share
 *   spare    master -> slave   empty buffers s may take for its own packets
 *                              (pfring_alloc_pkt_buff, pfring_send): held by
 *                              s from the moment they are queued, like rx
 *
 * Ownership (docs/libzero.md, "Buffers and queues"):
 *   - a buffer is free (on the master's free list, refs 0, owners 0) or held.
 *     Only the master takes from and returns to the free list.
 *   - refs counts the holders: each slave whose bit is set in owners, plus one
 *     while the master holds it (from zc_pool_alloc or zc_pool_tx_take until
 *     zc_pool_fanout or zc_pool_put). owners says which slaves hold it, from
 *     the moment the master puts it in their rx queue until the master takes
 *     it out of their release or tx queue, wherever it is meanwhile (in the
 *     queue, in the slave's hands, kept aside).
 *   - only the master writes refs and owners (atomically, so a slave may read
 *     them). A slave's release is one zc_queue push, so a slave killed at any
 *     instant has either released a buffer or not: never half.
 *   - the last holder to go (refs reaching 0) returns the buffer to the free list.
 *
 * Threads: the master's calls run in one thread at a time; a slave's calls in
 * the thread that attached it (its liveness is a robust mutex held by that
 * thread: when it ends, the slave is dead to the master).
 */
#ifndef PF_BACKENDS_ZERO_ZC_POOL_H
#define PF_BACKENDS_ZERO_ZC_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define ZC_BUF_DATA    2048u   /* packet bytes per buffer */
#define ZC_MAX_SLAVES  32u     /* DNA_CLUSTER_MAX_NUM_SLAVES: owners is a u32 mask */
#define ZC_NO_HANDLE   UINT32_MAX
#define ZC_MAX_EXTRA_EGRESS 8u /* pfring_add_pkt_buff_ifindex: ports beyond ifindex */

/* A buffer's header, in the shared region. */
struct zc_buf {
	uint32_t len;              /* packet bytes in data (<= ZC_BUF_DATA); the holder writes */
	/* The port it came from (the master sets it on receive) or goes to (a
	 * slave changes it before zc_pool_send); the holder writes. */
	uint32_t ifindex;
	_Atomic uint32_t refs;     /* holders (slaves in owners + the master's hold); master writes */
	_Atomic uint32_t owners;   /* bit s: slave s holds it; master writes */
	/* More ports to send it out of, after ifindex (fan-out on TX); the holder
	 * writes, zc_pool_alloc and zc_pool_spare_fill clear it. */
	uint32_t num_extra_egress;
	uint32_t extra_egress[ZC_MAX_EXTRA_EGRESS];
	/* Set by the master on receive, for the slave's pfring_pkthdr: */
	uint32_t hash;             /* the distribution function's *hash */
	uint64_t ts_ns;            /* the ingress ring's timestamp (0: none) */
};

struct zc_pool_config {
	uint32_t num_buffers;  /* N, 1 .. 2^24 */
	uint32_t num_slaves;   /* 1 .. ZC_MAX_SLAVES */
	uint32_t queue_slots;  /* each queue's capacity: a power of two */
};

/* A process's view of a pool (the master's or one slave's), private to it. */
struct zc_pool;

/* ------------------------------------------------------------ both sides */

/* The buffer of handle h and its data (ZC_BUF_DATA bytes); NULL for a handle
 * out of range. The memory belongs to the region: valid until zc_pool_close. */
struct zc_buf *zc_pool_buf(struct zc_pool *p, uint32_t h);
uint8_t *zc_pool_data(struct zc_pool *p, uint32_t h);
uint32_t zc_pool_num_buffers(const struct zc_pool *p);
uint32_t zc_pool_num_slaves(const struct zc_pool *p);

/* The master: unmaps the region and unlinks its name (attached slaves keep
 * their mapping); the free list goes. A slave: detaches (the master takes back
 * whatever it still holds at its next zc_pool_reap) and unmaps. NULL is a
 * no-op. From the thread that created or attached p. */
void zc_pool_close(struct zc_pool *p);

/* ------------------------------------------------------------ the master */

/* Creates cluster_id's region, every buffer free, every slave slot empty.
 * 0 and *out (the caller owns it: zc_pool_close), or -EINVAL (config),
 * -EEXIST (the name exists: another master, or a dead one's leftover), or
 * another -errno of shm_open/ftruncate/mmap. */
int zc_pool_create(uint32_t cluster_id, const struct zc_pool_config *cfg, struct zc_pool **out);

/* Takes up to n buffers off the free list into h[]: the master holds each
 * (refs 1, owners 0, len 0). Returns how many (0: none free). */
uint32_t zc_pool_alloc(struct zc_pool *p, uint32_t *h, uint32_t n);

/* Buffers on the free list. */
uint32_t zc_pool_free_count(const struct zc_pool *p);

/* Gives buffer h, which the master holds, to the slaves of mask (ids below
 * num_slaves) that do not hold it yet and whose rx queue has room: attached
 * or not, a slot with no slave yet (or none since a reap) keeps its queue for
 * the slave that attaches to it. A full queue drops it for that slave only (a
 * slow slave does not slow the others; counted in zc_pool_rx_drops). The
 * master's hold goes: with no slave given it, the buffer is free again.
 * Returns the mask of slaves given it; 0 for a handle the master does not
 * hold (counted in zc_pool_bad_handles, nothing done). */
uint32_t zc_pool_fanout(struct zc_pool *p, uint32_t h, uint32_t mask);

/* The master drops its hold on h (after sending a buffer of zc_pool_tx_take,
 * or instead of giving one out); the last holder frees it. 0, or -EINVAL
 * (h out of range or not held: counted in zc_pool_bad_handles). */
int zc_pool_put(struct zc_pool *p, uint32_t h);

/* Drains every slave's release queue: each handle drops that slave's share.
 * Returns the handles taken (bad ones, not held by that slave, are counted in
 * zc_pool_bad_handles and ignored). */
uint32_t zc_pool_collect(struct zc_pool *p);

/* Takes up to n handles from slave s's tx queue into h[]: each slave's share
 * becomes the master's hold (zc_pool_put it once sent). Returns how many. */
uint32_t zc_pool_tx_take(struct zc_pool *p, uint32_t s, uint32_t *h, uint32_t n);

/* Finds the slaves that detached or died (their thread or process ended
 * without detaching: SIGKILL included) and takes back every buffer each
 * held: in its four queues, in its hands, kept aside; their fan-out counts
 * drop by one each. The slot is free again for a new slave. Returns how many
 * slaves were reaped; *reclaimed (if not NULL) gets the shares taken back. */
uint32_t zc_pool_reap(struct zc_pool *p, uint32_t *reclaimed);

/* Is slave s attached (and not reaped)? */
bool zc_pool_slave_attached(struct zc_pool *p, uint32_t s);

/* zc_pool_peek.c: buffers waiting in slave s's rx queue (read without a
 * lock: approximate while the slave runs). */
uint32_t zc_pool_rx_queued(struct zc_pool *p, uint32_t s);

/* zc_pool_peek.c: removes cluster_id's region if its master process is gone
 * (a crashed master's leftover). 0 (no region), 1 (removed), -EEXIST (its
 * master lives: *owner is its pid) or another -errno. */
int zc_pool_unlink_stale(uint32_t cluster_id, int32_t *owner);
/* zc_pool_peek.c: does cluster_id have a region whose master process lives? */
bool zc_pool_serving(uint32_t cluster_id);

uint64_t zc_pool_rx_drops(const struct zc_pool *p, uint32_t s);
uint64_t zc_pool_bad_handles(const struct zc_pool *p);
/* Buffers of zc_pool_spare_fill come back so far, by zc_pool_collect,
 * zc_pool_tx_take or zc_pool_reap: shares that carried no received frame. */
uint64_t zc_pool_spares_back(const struct zc_pool *p);

/* Tops slave s's spare queue up to want empty buffers (fewer when the free
 * list or the queue runs short): each is s's from then on (owners bit s,
 * len 0, ifindex 0, no extra egress) until it comes back by release, send or
 * reap. Returns how many were added. */
uint32_t zc_pool_spare_fill(struct zc_pool *p, uint32_t s, uint32_t want);

/* ------------------------------------------------------------ a slave */

/* Maps cluster_id's region as slave slave_id. 0 and *out (zc_pool_close), or
 * -ENOENT (no such cluster), -EAGAIN (its master is still making it),
 * -EINVAL (slave_id out of range, or not a pool of this version), -EBUSY
 * (that slave is attached, or not yet reaped). */
int zc_pool_attach(uint32_t cluster_id, uint32_t slave_id, struct zc_pool **out);

/* Takes up to n buffers given to this slave into h[], oldest first. Returns how many. */
uint32_t zc_pool_recv(struct zc_pool *p, uint32_t *h, uint32_t n);

/* Gives up to n buffers back (all or some: the release queue may be full;
 * retry the rest). Any order, any subset of those held. Returns how many. */
uint32_t zc_pool_release(struct zc_pool *p, const uint32_t *h, uint32_t n);

/* Takes up to n empty buffers from this slave's spare queue into h[]: the
 * slave holds them as if received. Returns how many (0: none spare now). */
uint32_t zc_pool_spare_take(struct zc_pool *p, uint32_t *h, uint32_t n);

/* Asks the master to send up to n held buffers (len, ifindex set); the slave
 * gives them up. Returns how many went in the tx queue. */
uint32_t zc_pool_send(struct zc_pool *p, const uint32_t *h, uint32_t n);

/* Is this slave's master still there? false once the master closed the pool
 * (zc_pool_close) or its process is gone (no process has the pid it recorded
 * at create; a pid reused since is taken for the master). One system call:
 * ask when idle, not per packet. */
bool zc_pool_master_alive(const struct zc_pool *p);
/* The master's pid as recorded at create (0 once it closed the pool). */
int32_t zc_pool_master_pid(const struct zc_pool *p);

/* cluster_id's number of slaves, read without attaching (to choose a free
 * slot or explain a refused id): 0 and *num_slaves, or -ENOENT, -EAGAIN,
 * -EINVAL as zc_pool_attach. */
int zc_pool_peek(uint32_t cluster_id, uint32_t *num_slaves);

#endif
