/*
 * tests/unit/test_zc_queue.c - libzero's SPSC handle ring (backends/zero/zc_queue.c):
 * layout, full and empty, bursts taking some, the indices wrapping at 2^32, and
 * two threads, then two processes, pushing a sequence through it in order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/zero/zc_queue.h"

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

static struct zc_queue *queue_new(uint32_t capacity)
{
	size_t size = zc_queue_size(capacity);
	struct zc_queue *q;

	assert_true(size > 0);
	q = aligned_alloc(ZC_CACHE_LINE, size);
	assert_non_null(q);
	assert_int_equal(zc_queue_init(q, capacity), 0);
	return q;
}

static void test_layout_and_capacity(void **state)
{
	(void)state;
	/* head, tail and the geometry each on a line of their own */
	assert_int_equal(offsetof(struct zc_queue, head), 0);
	assert_int_equal(offsetof(struct zc_queue, tail), 64);
	assert_int_equal(offsetof(struct zc_queue, capacity), 128);
	assert_int_equal(offsetof(struct zc_queue, slots), 192);
	assert_int_equal(zc_queue_size(1), 256);
	assert_int_equal(zc_queue_size(16), 256);
	assert_int_equal(zc_queue_size(17), 0);
	assert_int_equal(zc_queue_size(32), 320);
	assert_int_equal(zc_queue_size(0), 0);
	assert_int_equal(zc_queue_size(6), 0);
	assert_int_equal(zc_queue_size(1u << 31), 192 + (1ull << 33));
	assert_int_equal(zc_queue_size((1u << 31) + 1), 0);

	struct zc_queue *q = queue_new(4);

	assert_int_equal(zc_queue_init(q, 6), -EINVAL);
	assert_int_equal(zc_queue_init(q, 0), -EINVAL);
	assert_int_equal(q->capacity, 4);
	assert_int_equal(q->mask, 3);
	free(q);
}

static void test_full_and_empty(void **state)
{
	(void)state;
	struct zc_queue *q = queue_new(8);
	uint32_t in[10] = { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }, out[10];

	assert_int_equal(zc_queue_count(q), 0);
	assert_int_equal(zc_queue_dequeue_burst(q, out, 10), 0);
	assert_int_equal(zc_queue_enqueue_burst(q, in, 10), 8);   /* all or some */
	assert_int_equal(zc_queue_count(q), 8);
	assert_int_equal(zc_queue_free_count(q), 0);
	assert_int_equal(zc_queue_enqueue_burst(q, in + 8, 2), 0); /* full */
	assert_int_equal(zc_queue_dequeue_burst(q, out, 3), 3);
	assert_int_equal(out[0], 10);
	assert_int_equal(out[1], 11);
	assert_int_equal(out[2], 12);
	assert_int_equal(zc_queue_count(q), 5);
	assert_int_equal(zc_queue_free_count(q), 3);
	assert_int_equal(zc_queue_dequeue_burst(q, out, 10), 5);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(out[i], 13 + i);
	assert_int_equal(zc_queue_dequeue_burst(q, out, 10), 0);   /* empty */
	assert_int_equal(zc_queue_count(q), 0);
	assert_int_equal(zc_queue_free_count(q), 8);
	free(q);
}

static void test_burst_partial(void **state)
{
	(void)state;
	struct zc_queue *q = queue_new(8);
	uint32_t in[5] = { 1, 2, 3, 4, 5 }, out[8];

	assert_int_equal(zc_queue_enqueue_burst(q, in, 5), 5);
	assert_int_equal(zc_queue_enqueue_burst(q, in, 5), 3);  /* 1 2 3 of the second */
	assert_int_equal(zc_queue_dequeue_burst(q, out, 4), 4);
	assert_int_equal(zc_queue_enqueue_burst(q, in + 3, 2), 2);
	assert_int_equal(zc_queue_count(q), 6);
	assert_int_equal(zc_queue_dequeue_burst(q, out, 8), 6);
	uint32_t want[6] = { 5, 1, 2, 3, 4, 5 };

	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(zc_queue_enqueue_burst(q, in, 0), 0);
	assert_int_equal(zc_queue_dequeue_burst(q, out, 0), 0);
	free(q);
}

/* The slots go round many times, and the free-running indices cross 2^32. */
static void test_wraparound(void **state)
{
	(void)state;
	struct zc_queue *q = queue_new(4);
	uint32_t next_in = 0, next_out = 0, buf[4];

	for (int round = 0; round < 1000; round++) {
		uint32_t n = 1 + round % 4;

		for (uint32_t i = 0; i < n; i++)
			buf[i] = next_in + i;
		assert_int_equal(zc_queue_enqueue_burst(q, buf, n), n);
		next_in += n;
		assert_int_equal(zc_queue_dequeue_burst(q, buf, 4), n);
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(buf[i], next_out++);
	}
	atomic_store(&q->head, UINT32_MAX - 1);
	atomic_store(&q->tail, UINT32_MAX - 1);
	uint32_t in[4] = { 7, 8, 9, 10 };

	assert_int_equal(zc_queue_enqueue_burst(q, in, 4), 4);
	assert_int_equal(atomic_load(&q->head), 2);  /* crossed 2^32 */
	assert_int_equal(zc_queue_count(q), 4);
	assert_int_equal(zc_queue_enqueue_burst(q, in, 1), 0);
	assert_int_equal(zc_queue_dequeue_burst(q, buf, 4), 4);
	assert_memory_equal(buf, in, sizeof(in));
	assert_int_equal(zc_queue_count(q), 0);
	free(q);
}

/* ------------------------------------------------------------ concurrency */

struct seq_job {
	struct zc_queue *q;
	uint32_t total;
	unsigned int seed;
};

/* Pushes 0 .. total-1 in bursts of random sizes. */
static void *producer(void *arg)
{
	struct seq_job *j = arg;
	uint32_t buf[17], next = 0;

	while (next < j->total) {
		uint32_t n = 1 + (uint32_t)rand_r(&j->seed) % 17;

		if (n > j->total - next)
			n = j->total - next;
		for (uint32_t i = 0; i < n; i++)
			buf[i] = next + i;
		uint32_t put = zc_queue_enqueue_burst(j->q, buf, n);

		next += put;
		if (put == 0)
			sched_yield();
	}
	return NULL;
}

/* Takes total handles in random bursts; returns how many came out of order. */
static uint32_t consume(struct zc_queue *q, uint32_t total, unsigned int seed)
{
	uint32_t buf[23], next = 0, wrong = 0;

	while (next < total) {
		uint32_t n = zc_queue_dequeue_burst(q, buf, 1 + (uint32_t)rand_r(&seed) % 23);

		for (uint32_t i = 0; i < n; i++)
			wrong += buf[i] != next + i;
		next += n;
		if (n == 0)
			sched_yield();
	}
	return wrong;
}

static void test_two_threads_in_order(void **state)
{
	(void)state;
	struct seq_job j = { queue_new(64), quick() ? 100000 : 1000000, 14 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, producer, &j), 0);
	assert_int_equal(consume(j.q, j.total, 41), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(zc_queue_count(j.q), 0);
	assert_int_equal(atomic_load(&j.q->head), j.total);
	free(j.q);
}

/* The queue in a MAP_SHARED mapping, the producer a forked process. */
static void test_two_processes_in_order(void **state)
{
	(void)state;
	size_t size = zc_queue_size(32);
	struct zc_queue *q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				  -1, 0);

	assert_true(q != MAP_FAILED);
	assert_int_equal(zc_queue_init(q, 32), 0);
	struct seq_job j = { q, quick() ? 20000 : 200000, 7 };
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		producer(&j);
		_exit(0);
	}
	assert_int_equal(consume(q, j.total, 3), 0);
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(atomic_load(&q->tail), j.total);
	munmap(q, size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_capacity),
		cmocka_unit_test(test_full_and_empty),
		cmocka_unit_test(test_burst_partial),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_two_threads_in_order),
		cmocka_unit_test(test_two_processes_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
