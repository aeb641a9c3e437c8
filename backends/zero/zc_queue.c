/*
 * backends/zero/zc_queue.c - the SPSC handle ring (zc_queue.h has the rules).
 */
#include <errno.h>

#include "backends/zero/zc_queue.h"

size_t zc_queue_size(uint32_t capacity)
{
	if (capacity == 0 || capacity > ZC_QUEUE_MAX_CAPACITY || (capacity & (capacity - 1)))
		return 0;
	size_t bytes = offsetof(struct zc_queue, slots) + (size_t)capacity * sizeof(uint32_t);

	return (bytes + ZC_CACHE_LINE - 1) & ~(size_t)(ZC_CACHE_LINE - 1);
}

int zc_queue_init(struct zc_queue *q, uint32_t capacity)
{
	if (zc_queue_size(capacity) == 0)
		return -EINVAL;
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	q->capacity = capacity;
	q->mask = capacity - 1;
	return 0;
}

uint32_t zc_queue_enqueue_burst(struct zc_queue *q, const uint32_t *h, uint32_t n)
{
	uint32_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	uint32_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	uint32_t room = q->capacity - (head - tail);

	if (n > room)
		n = room;
	for (uint32_t i = 0; i < n; i++)
		q->slots[(head + i) & q->mask] = h[i];
	atomic_store_explicit(&q->head, head + n, memory_order_release);
	return n;
}

uint32_t zc_queue_dequeue_burst(struct zc_queue *q, uint32_t *h, uint32_t n)
{
	uint32_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	uint32_t used = head - tail;

	if (n > used)
		n = used;
	for (uint32_t i = 0; i < n; i++)
		h[i] = q->slots[(tail + i) & q->mask];
	atomic_store_explicit(&q->tail, tail + n, memory_order_release);
	return n;
}

uint32_t zc_queue_count(const struct zc_queue *q)
{
	struct zc_queue *w = (struct zc_queue *)q;  /* atomic loads only */
	uint32_t head = atomic_load_explicit(&w->head, memory_order_acquire);
	uint32_t tail = atomic_load_explicit(&w->tail, memory_order_acquire);
	uint32_t used = head - tail;

	/* exact for the side whose own index it is; a third party reading while
	 * both move could see a difference outside [0, capacity]: clamp it */
	return used > q->capacity ? q->capacity : used;
}
