/*
 * backends/zero/zc_queue.h - libzero's single-producer single-consumer ring
 * of buffer handles (u32 indices into a zc_pool), in memory two processes
 * may map at different addresses: nothing inside is a pointer.
 *
 * Layout (one block, zc_queue_size() bytes, 64-byte aligned):
 *
 *   line 0   head      the producer's index: the next slot it fills
 *   line 1   tail      the consumer's index: the next slot it reads
 *   line 2   capacity, mask (written once by zc_queue_init, read-only after)
 *   line 3.. slots[capacity]
 *
 * Head and tail (compare DPDK's rte_ring.h, prod.tail / cons.tail):
 *
 *   head     written by the producer only. Free-running u32: slot head & mask
 *            is the next one filled. The producer writes the slots first, then
 *            publishes head with store-release; the consumer loads it with
 *            load-acquire, which makes those slots visible.
 *   tail     written by the consumer only. Free-running u32. The consumer
 *            publishes it with store-release once it has read the slots below
 *            it; the producer loads it with load-acquire before reusing them.
 *
 *   used = head - tail (mod 2^32), in [0, capacity]
 *   empty: head == tail        full: head - tail == capacity
 *
 * Indices run free and wrap at 2^32: capacity is a power of two no larger than
 * 2^31, so used never overflows and no slot is kept empty.
 *
 * Who may touch what: one producer (one thread, of any process mapping the
 * queue) calls zc_queue_enqueue_burst, one consumer calls
 * zc_queue_dequeue_burst; each may call zc_queue_count. A party that takes
 * over a role (the master draining a dead slave's queue) may do so only once
 * the previous holder can no longer run. Handles are not checked here: the
 * queue carries u32 values, the pool gives them a meaning.
 */
#ifndef PF_BACKENDS_ZERO_ZC_QUEUE_H
#define PF_BACKENDS_ZERO_ZC_QUEUE_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define ZC_CACHE_LINE 64u
#define ZC_QUEUE_MAX_CAPACITY (1u << 31)

struct zc_queue {
	alignas(ZC_CACHE_LINE) _Atomic uint32_t head;   /* producer's */
	alignas(ZC_CACHE_LINE) _Atomic uint32_t tail;   /* consumer's */
	alignas(ZC_CACHE_LINE) uint32_t capacity;       /* a power of two */
	uint32_t mask;                                  /* capacity - 1 */
	alignas(ZC_CACHE_LINE) uint32_t slots[];
};

/* Bytes a queue of capacity slots takes (a multiple of ZC_CACHE_LINE), or 0
 * when capacity is not a power of two in [1, ZC_QUEUE_MAX_CAPACITY]. */
size_t zc_queue_size(uint32_t capacity);

/* Makes the zc_queue_size(capacity) bytes at q (ZC_CACHE_LINE-aligned, owned
 * by the caller) an empty queue. 0, or -EINVAL for a bad capacity. Before
 * either side uses it; the caller publishes it (the pool does, by its magic). */
int zc_queue_init(struct zc_queue *q, uint32_t capacity);

/* Producer: appends up to n handles from h[0..n), in order; all or some.
 * Returns how many went in (0 when full). */
uint32_t zc_queue_enqueue_burst(struct zc_queue *q, const uint32_t *h, uint32_t n);

/* Consumer: takes up to n handles, oldest first, into h[0..n); all or some.
 * Returns how many (0 when empty). */
uint32_t zc_queue_dequeue_burst(struct zc_queue *q, uint32_t *h, uint32_t n);

/* Handles in the queue, in [0, capacity]. To the consumer a lower bound (only
 * the producer adds), to the producer an upper bound (only the consumer
 * takes); a third party gets a snapshot of no guaranteed accuracy. */
uint32_t zc_queue_count(const struct zc_queue *q);

/* Room left, as the producer sees it (a lower bound: only the consumer adds
 * room, only the producer takes it). */
static inline uint32_t zc_queue_free_count(const struct zc_queue *q)
{
	return q->capacity - zc_queue_count(q);
}

#endif
