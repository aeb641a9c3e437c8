/*
 * tests/unit/test_zc_pool.c - libzero's buffer pool (backends/zero/zc_pool.c,
 * zc_slaves.c): geometry and errors, the free list, fan-out counts released in
 * random order, a full rx queue dropping for one slave only, buffers queued
 * for slaves not attached yet, the tx path, spares told from frames, a
 * forked slave releasing out of order with holes, and slaves that end without
 * detaching (a thread, a process killed by SIGKILL mid-run): the master takes
 * every buffer back (free = N, no handle freed twice).
 *
 * Each test uses its own cluster id (from the pid) and unlinks it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/zero/zc_pool.h"

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

static uint32_t cluster_id(uint32_t k)
{
	return (uint32_t)getpid() * 16 + k;
}

/* After the tests, even failed ones (cmocka leaves a failed test at its
 * assert, before its zc_pool_close): no name of this run left in /dev/shm. */
static int unlink_names(void **state)
{
	(void)state;
	for (uint32_t k = 0; k < 16; k++) {
		char name[64];

		snprintf(name, sizeof(name), "/pfring_zero.%u", cluster_id(k));
		shm_unlink(name);
	}
	return 0;
}

static struct zc_pool *pool_new(uint32_t id, uint32_t bufs, uint32_t slaves, uint32_t slots)
{
	struct zc_pool_config cfg = { bufs, slaves, slots };
	struct zc_pool *p = NULL;

	assert_int_equal(zc_pool_create(id, &cfg, &p), 0);
	assert_non_null(p);
	return p;
}

/* Every buffer free and unheld. */
static void assert_all_free(struct zc_pool *m)
{
	assert_int_equal(zc_pool_free_count(m), zc_pool_num_buffers(m));
	for (uint32_t h = 0; h < zc_pool_num_buffers(m); h++) {
		assert_int_equal(atomic_load(&zc_pool_buf(m, h)->refs), 0);
		assert_int_equal(atomic_load(&zc_pool_buf(m, h)->owners), 0);
	}
}

static void shuffle(uint32_t *a, uint32_t n, unsigned int *seed)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)rand_r(seed) % i, t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* ------------------------------------------------------------ in one process */

static void test_create_attach_errors(void **state)
{
	(void)state;
	uint32_t id = cluster_id(0);
	struct zc_pool_config bad[] = {
		{ 0, 2, 16 }, { 16, 0, 16 }, { 16, 33, 16 }, { 16, 2, 12 }, { 16, 2, 0 },
		{ (1u << 24) + 1, 2, 16 },
	};
	struct zc_pool *p = NULL, *s0 = NULL, *s0b = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(zc_pool_create(id, &bad[i], &p), -EINVAL);
	assert_int_equal(zc_pool_attach(id, 0, &s0), -ENOENT);
	struct zc_pool *m = pool_new(id, 64, 3, 16);

	assert_int_equal(zc_pool_num_buffers(m), 64);
	assert_int_equal(zc_pool_num_slaves(m), 3);
	assert_int_equal(zc_pool_free_count(m), 64);
	assert_null(zc_pool_buf(m, 64));
	assert_null(zc_pool_data(m, 64));
	assert_ptr_equal(zc_pool_data(m, 1), (uint8_t *)zc_pool_buf(m, 1) + 64);
	assert_int_equal((uint8_t *)zc_pool_buf(m, 1) - (uint8_t *)zc_pool_buf(m, 0), 64 + 2048);
	struct zc_pool_config cfg = { 8, 1, 4 };

	assert_int_equal(zc_pool_create(id, &cfg, &p), -EEXIST);
	assert_int_equal(zc_pool_attach(id, 3, &s0), -EINVAL);
	assert_int_equal(zc_pool_attach(id, 0, &s0), 0);
	assert_true(zc_pool_slave_attached(m, 0));
	assert_false(zc_pool_slave_attached(m, 1));
	assert_int_equal(zc_pool_attach(id, 0, &s0b), -EBUSY);
	/* the slave's view is the same memory */
	memcpy(zc_pool_data(m, 5), "zero", 4);
	assert_memory_equal(zc_pool_data(s0, 5), "zero", 4);
	zc_pool_close(s0);
	assert_false(zc_pool_slave_attached(m, 0));
	/* detached, not reaped: the slot is not yet free */
	assert_int_equal(zc_pool_attach(id, 0, &s0b), -EBUSY);
	uint32_t got = 99;

	assert_int_equal(zc_pool_reap(m, &got), 1);
	assert_int_equal(got, 0);
	assert_int_equal(zc_pool_reap(m, &got), 0);
	assert_int_equal(zc_pool_attach(id, 0, &s0b), 0);
	zc_pool_close(s0b);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	zc_pool_close(m);
	assert_int_equal(zc_pool_attach(id, 0, &s0), -ENOENT);  /* unlinked */
	/* a name whose master has not finished (sized, magic not yet stored),
	 * then one that is not a pool */
	char name[64];

	snprintf(name, sizeof(name), "/pfring_zero.%u", id);
	int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 65536), 0);
	assert_int_equal(zc_pool_attach(id, 0, &s0), -EAGAIN);
	assert_int_equal(pwrite(fd, "XXXX", 4, 0), 4);
	assert_int_equal(zc_pool_attach(id, 0, &s0), -EINVAL);
	assert_int_equal(ftruncate(fd, 16), 0);
	assert_int_equal(zc_pool_attach(id, 0, &s0), -EINVAL);
	close(fd);
	shm_unlink(name);
	zc_pool_close(NULL);
}

static void test_alloc_and_put(void **state)
{
	(void)state;
	struct zc_pool *m = pool_new(cluster_id(1), 16, 1, 16);
	uint32_t h[20];

	assert_int_equal(zc_pool_alloc(m, h, 20), 16);
	for (uint32_t i = 0; i < 16; i++) {
		assert_int_equal(h[i], i);  /* handle 0 first */
		assert_int_equal(atomic_load(&zc_pool_buf(m, h[i])->refs), 1);
	}
	assert_int_equal(zc_pool_free_count(m), 0);
	assert_int_equal(zc_pool_alloc(m, h + 16, 1), 0);
	for (uint32_t i = 0; i < 16; i++)
		assert_int_equal(zc_pool_put(m, h[i]), 0);
	assert_all_free(m);
	/* not held: refused and counted, the free list unchanged */
	assert_int_equal(zc_pool_put(m, 3), -EINVAL);
	assert_int_equal(zc_pool_put(m, 16), -EINVAL);
	assert_int_equal(zc_pool_bad_handles(m), 2);
	assert_int_equal(zc_pool_free_count(m), 16);
	/* a mask of no slave id below num_slaves: given to no one, freed */
	assert_int_equal(zc_pool_alloc(m, h, 1), 1);
	assert_int_equal(zc_pool_fanout(m, h[0], 0x2), 0);
	assert_all_free(m);
	/* nobody attached: queued for slave 0 all the same */
	assert_int_equal(zc_pool_alloc(m, h, 1), 1);
	assert_int_equal(zc_pool_fanout(m, h[0], 1), 1);
	assert_int_equal(zc_pool_free_count(m), 15);
	/* a buffer the master does not hold cannot be given out */
	assert_int_equal(zc_pool_fanout(m, h[0], 1), 0);
	assert_int_equal(zc_pool_fanout(m, 99, 1), 0);
	assert_int_equal(zc_pool_bad_handles(m), 4);
	/* the slave that attaches later finds it */
	struct zc_pool *s0;
	uint32_t got[2];

	assert_int_equal(zc_pool_attach(cluster_id(1), 0, &s0), 0);
	assert_int_equal(zc_pool_recv(s0, got, 2), 1);
	assert_int_equal(got[0], h[0]);
	assert_int_equal(zc_pool_release(s0, got, 1), 1);
	assert_int_equal(zc_pool_collect(m), 1);
	assert_all_free(m);
	zc_pool_close(s0);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	zc_pool_close(m);
}

/* 32 buffers to 3 slaves each; the 96 releases in random order, collected at
 * random moments: a buffer is free exactly when its third release is collected. */
static void test_fanout_3_random_release(void **state)
{
	(void)state;
	enum { N = 32, K = 3 };
	uint32_t id = cluster_id(2);
	struct zc_pool *m = pool_new(id, N, K, 32), *s[K];
	uint32_t h[N];
	unsigned int seed = 1414;

	for (uint32_t k = 0; k < K; k++)
		assert_int_equal(zc_pool_attach(id, k, &s[k]), 0);
	for (int round = 0; round < 20; round++) {
		assert_int_equal(zc_pool_alloc(m, h, N), N);
		for (uint32_t i = 0; i < N; i++) {
			zc_pool_buf(m, h[i])->len = 60 + i;
			assert_int_equal(zc_pool_fanout(m, h[i], 0x7), 0x7);
			assert_int_equal(atomic_load(&zc_pool_buf(m, h[i])->refs), 3);
			assert_int_equal(atomic_load(&zc_pool_buf(m, h[i])->owners), 0x7);
		}
		assert_int_equal(zc_pool_free_count(m), 0);
		/* (slave, handle) pairs, released one at a time in random order */
		uint32_t order[N * K], left[N];

		for (uint32_t k = 0; k < K; k++) {
			uint32_t got[N];

			assert_int_equal(zc_pool_recv(s[k], got, N), N);
			assert_memory_equal(got, h, sizeof(h));
			for (uint32_t i = 0; i < N; i++) {
				order[k * N + i] = k << 16 | h[i];
				assert_int_equal(zc_pool_buf(s[k], got[i])->len, 60 + i);
			}
		}
		shuffle(order, N * K, &seed);
		for (uint32_t b = 0; b < N; b++)
			left[b] = K;
		for (uint32_t i = 0; i < N * K; i++) {
			uint32_t k = order[i] >> 16, b = order[i] & 0xffff;

			assert_int_equal(zc_pool_release(s[k], &b, 1), 1);
			left[b]--;
			if (rand_r(&seed) % 3 != 0 && i != N * K - 1)
				continue;
			/* collect the releases made so far: refs is what is left of
			 * each, and exactly the buffers with none left are free */
			zc_pool_collect(m);
			uint32_t expect_free = 0;

			for (uint32_t b2 = 0; b2 < N; b2++) {
				expect_free += left[b2] == 0;
				assert_int_equal(atomic_load(&zc_pool_buf(m, b2)->refs), left[b2]);
			}
			assert_int_equal(zc_pool_free_count(m), expect_free);
		}
		assert_all_free(m);
	}
	assert_int_equal(zc_pool_bad_handles(m), 0);
	for (uint32_t k = 0; k < K; k++)
		zc_pool_close(s[k]);
	assert_int_equal(zc_pool_reap(m, NULL), K);
	zc_pool_close(m);
}

/* Slave 1 never reads: once its rx queue (4) is full, fan-outs skip it and
 * slave 0 still gets every buffer. */
static void test_slow_slave_drops_alone(void **state)
{
	(void)state;
	uint32_t id = cluster_id(3);
	struct zc_pool *m = pool_new(id, 16, 2, 4), *s0, *s1;
	uint32_t h, got[4];

	assert_int_equal(zc_pool_attach(id, 0, &s0), 0);
	assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
	for (uint32_t i = 0; i < 10; i++) {
		assert_int_equal(zc_pool_alloc(m, &h, 1), 1);
		assert_int_equal(zc_pool_fanout(m, h, 0x3), i < 4 ? 0x3u : 0x1u);
		assert_int_equal(zc_pool_recv(s0, got, 4), 1);
		assert_int_equal(got[0], h);
		assert_int_equal(zc_pool_release(s0, got, 1), 1);
		zc_pool_collect(m);
	}
	assert_int_equal(zc_pool_rx_drops(m, 1), 6);
	assert_int_equal(zc_pool_rx_drops(m, 0), 0);
	assert_int_equal(zc_pool_free_count(m), 12);  /* slave 1 holds 4 */
	assert_int_equal(zc_pool_recv(s1, got, 4), 4);
	assert_int_equal(zc_pool_release(s1, got, 4), 4);
	assert_int_equal(zc_pool_collect(m), 4);
	assert_all_free(m);
	zc_pool_close(s0);
	zc_pool_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	zc_pool_close(m);
}

/* A slave's send moves its share to the master, which puts it once sent;
 * with another slave still holding the buffer it stays out of the free list. */
static void test_tx_path(void **state)
{
	(void)state;
	uint32_t id = cluster_id(4);
	struct zc_pool *m = pool_new(id, 8, 2, 8), *s0, *s1;
	uint32_t h, got, out[4];

	assert_int_equal(zc_pool_attach(id, 0, &s0), 0);
	assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
	assert_int_equal(zc_pool_alloc(m, &h, 1), 1);
	assert_int_equal(zc_pool_fanout(m, h, 0x3), 0x3);
	assert_int_equal(zc_pool_recv(s0, &got, 1), 1);
	zc_pool_buf(s0, got)->len = 64;
	assert_int_equal(zc_pool_send(s0, &got, 1), 1);
	assert_int_equal(zc_pool_tx_take(m, 0, out, 4), 1);
	assert_int_equal(out[0], h);
	assert_int_equal(zc_pool_buf(m, h)->len, 64);
	assert_int_equal(atomic_load(&zc_pool_buf(m, h)->refs), 2);
	assert_int_equal(atomic_load(&zc_pool_buf(m, h)->owners), 0x2);
	assert_int_equal(zc_pool_put(m, h), 0);   /* sent */
	assert_int_equal(zc_pool_free_count(m), 7);
	/* the same handle again from slave 0, which no longer holds it: refused */
	assert_int_equal(zc_pool_send(s0, &got, 1), 1);
	assert_int_equal(zc_pool_tx_take(m, 0, out, 4), 0);
	assert_int_equal(zc_pool_bad_handles(m), 1);
	assert_int_equal(zc_pool_release(s0, &got, 1), 1);
	assert_int_equal(zc_pool_collect(m), 1);
	assert_int_equal(zc_pool_bad_handles(m), 2);
	assert_int_equal(zc_pool_put(m, h), -EINVAL);  /* only slave 1 holds it */
	assert_int_equal(zc_pool_tx_take(m, 5, out, 4), 0);
	assert_int_equal(zc_pool_recv(s1, &got, 1), 1);
	assert_int_equal(zc_pool_release(s1, &got, 1), 1);
	assert_int_equal(zc_pool_collect(m), 1);
	assert_all_free(m);
	zc_pool_close(s0);
	zc_pool_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	zc_pool_close(m);
}

/* Slave slots with no slave keep their rx queue: 6 buffers for slave 1 (a
 * queue of 4) and 2 for slave 0 before anyone attaches: slave 1's overflow,
 * exactly 2, is its drop; a reap leaves FREE slots alone; the slaves that
 * attach get every queued buffer, oldest first. Slave 1 detaches holding 1:
 * the reap drains its queue (1 more given meanwhile) and the slot, FREE
 * again, queues for the next slave of id 1. */
static void test_queue_before_attach(void **state)
{
	(void)state;
	uint32_t id = cluster_id(9);
	struct zc_pool *m = pool_new(id, 16, 2, 4), *s0, *s1;
	uint32_t h[8], got[8], reclaimed = 0;

	assert_int_equal(zc_pool_alloc(m, h, 8), 8);
	for (uint32_t i = 0; i < 6; i++)
		assert_int_equal(zc_pool_fanout(m, h[i], 0x2), i < 4 ? 0x2u : 0u);
	assert_int_equal(zc_pool_fanout(m, h[6], 0x1), 0x1);
	assert_int_equal(zc_pool_fanout(m, h[7], 0x1), 0x1);
	assert_int_equal(zc_pool_rx_drops(m, 1), 2);
	assert_int_equal(zc_pool_rx_drops(m, 0), 0);
	assert_int_equal(zc_pool_rx_queued(m, 1), 4);
	assert_int_equal(zc_pool_free_count(m), 16 - 6);
	assert_int_equal(zc_pool_reap(m, &reclaimed), 0);  /* FREE slots: not drained */
	assert_int_equal(zc_pool_free_count(m), 16 - 6);
	assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
	assert_int_equal(zc_pool_recv(s1, got, 8), 4);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(got[i], h[i]);
	assert_int_equal(zc_pool_release(s1, got, 3), 3);  /* keeps got[3] */
	assert_int_equal(zc_pool_attach(id, 0, &s0), 0);
	assert_int_equal(zc_pool_recv(s0, got, 8), 2);
	assert_int_equal(got[0], h[6]);
	assert_int_equal(got[1], h[7]);
	assert_int_equal(zc_pool_release(s0, got, 2), 2);
	assert_int_equal(zc_pool_collect(m), 5);
	assert_int_equal(zc_pool_free_count(m), 15);
	/* slave 1 leaves; one more for it before the reap: drained with its kept one */
	zc_pool_close(s1);
	assert_int_equal(zc_pool_alloc(m, h, 1), 1);
	assert_int_equal(zc_pool_fanout(m, h[0], 0x2), 0x2);
	assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
	assert_int_equal(reclaimed, 2);
	assert_all_free(m);
	/* FREE again: queued for the next slave 1 */
	assert_int_equal(zc_pool_alloc(m, h, 1), 1);
	assert_int_equal(zc_pool_fanout(m, h[0], 0x2), 0x2);
	assert_int_equal(zc_pool_reap(m, NULL), 0);
	assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
	assert_int_equal(zc_pool_recv(s1, got, 8), 1);
	assert_int_equal(got[0], h[0]);
	assert_int_equal(zc_pool_release(s1, got, 1), 1);
	assert_int_equal(zc_pool_collect(m), 1);
	assert_all_free(m);
	assert_int_equal(zc_pool_spares_back(m), 0);
	assert_int_equal(zc_pool_bad_handles(m), 0);
	zc_pool_close(s0);
	zc_pool_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	zc_pool_close(m);
}

/* Spare buffers: the slave's from the moment they are queued; topped up to
 * the number asked; sent, released, or taken back when the slave goes. */
static void test_spare_buffers(void **state)
{
	(void)state;
	uint32_t id = cluster_id(8);
	struct zc_pool *m = pool_new(id, 8, 2, 4), *s0;
	uint32_t h[4], out[4];

	assert_int_equal(zc_pool_spare_fill(m, 0, 3), 0);  /* not attached */
	assert_int_equal(zc_pool_attach(id, 0, &s0), 0);
	assert_int_equal(zc_pool_spare_fill(m, 0, 3), 3);
	assert_int_equal(zc_pool_spare_fill(m, 0, 3), 0);  /* already 3 */
	assert_int_equal(zc_pool_spare_fill(m, 0, 9), 1);  /* the queue holds 4 */
	assert_int_equal(zc_pool_free_count(m), 4);
	assert_int_equal(zc_pool_spare_take(s0, h, 2), 2);
	assert_int_equal(atomic_load(&zc_pool_buf(m, h[0])->owners), 0x1);
	assert_int_equal(atomic_load(&zc_pool_buf(m, h[0])->refs), 1);
	assert_int_equal(zc_pool_buf(s0, h[0])->len, 0);
	assert_int_equal(zc_pool_buf(s0, h[0])->num_extra_egress, 0);
	zc_pool_buf(s0, h[0])->len = 60;
	assert_int_equal(zc_pool_send(s0, &h[0], 1), 1);
	assert_int_equal(zc_pool_tx_take(m, 0, out, 4), 1);
	assert_int_equal(out[0], h[0]);
	assert_int_equal(zc_pool_put(m, out[0]), 0);
	assert_int_equal(zc_pool_spares_back(m), 1);       /* sent */
	assert_int_equal(zc_pool_release(s0, &h[1], 1), 1);
	assert_int_equal(zc_pool_collect(m), 1);
	assert_int_equal(zc_pool_spares_back(m), 2);       /* released */
	assert_int_equal(zc_pool_free_count(m), 6);
	assert_int_equal(zc_pool_spare_fill(m, 0, 3), 1);  /* 2 still queued */
	/* a received buffer given back is not a spare */
	assert_int_equal(zc_pool_alloc(m, out, 1), 1);
	assert_int_equal(zc_pool_fanout(m, out[0], 0x1), 0x1);
	assert_int_equal(zc_pool_recv(s0, out, 1), 1);
	assert_int_equal(zc_pool_release(s0, out, 1), 1);
	assert_int_equal(zc_pool_collect(m), 1);
	assert_int_equal(zc_pool_spares_back(m), 2);
	zc_pool_close(s0);                                  /* 3 spare, never taken */
	uint32_t reclaimed = 0;
	assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
	assert_int_equal(reclaimed, 3);
	assert_int_equal(zc_pool_spares_back(m), 5);       /* taken back */
	assert_all_free(m);
	/* a buffer once a spare, now received: not a spare when it comes back */
	struct zc_pool *s1;
	uint32_t all[8];

	assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
	assert_int_equal(zc_pool_alloc(m, all, 8), 8);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(zc_pool_fanout(m, all[i], 0x2), i < 4 ? 0x2u : 0u);
	assert_int_equal(zc_pool_recv(s1, all, 4), 4);
	assert_int_equal(zc_pool_release(s1, all, 4), 4);
	assert_int_equal(zc_pool_collect(m), 4);
	assert_int_equal(zc_pool_spares_back(m), 5);
	zc_pool_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	assert_all_free(m);
	zc_pool_close(m);
}

/* A slave thread that attaches, takes 3 of the 5 buffers given to it and
 * ends without detaching: dead to the master, which takes all 5 back. */
struct thread_slave {
	uint32_t id;
	struct zc_pool *s;
	pthread_barrier_t given;
	uint32_t got;
};

static void *thread_slave_main(void *arg)
{
	struct thread_slave *t = arg;
	uint32_t h[8];

	if (zc_pool_attach(t->id, 1, &t->s) != 0)
		t->s = NULL;
	pthread_barrier_wait(&t->given);  /* attached */
	pthread_barrier_wait(&t->given);  /* the master gave */
	if (t->s)
		t->got = zc_pool_recv(t->s, h, 3);  /* kept, the other 2 left queued */
	return NULL;
}

static void test_thread_ends_without_detach(void **state)
{
	(void)state;
	uint32_t id = cluster_id(5);
	struct zc_pool *m = pool_new(id, 8, 2, 8);
	struct thread_slave t = { .id = id };
	uint32_t h[5], reclaimed = 0;
	pthread_t th;

	assert_int_equal(pthread_barrier_init(&t.given, NULL, 2), 0);
	assert_int_equal(pthread_create(&th, NULL, thread_slave_main, &t), 0);
	pthread_barrier_wait(&t.given);
	assert_non_null(t.s);
	assert_int_equal(zc_pool_alloc(m, h, 5), 5);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(zc_pool_fanout(m, h[i], 0x2), 0x2);
	assert_int_equal(zc_pool_reap(m, &reclaimed), 0);  /* alive */
	pthread_barrier_wait(&t.given);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(t.got, 3);
	assert_int_equal(zc_pool_free_count(m), 3);
	assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
	assert_int_equal(reclaimed, 5);
	assert_all_free(m);
	/* a new slave in that slot finds nothing of the dead one's queued */
	struct zc_pool *s1;

	assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
	assert_int_equal(zc_pool_recv(s1, h, 5), 0);
	/* the dead slave's handle, closed late, leaves the new slave alone */
	zc_pool_close(t.s);
	assert_true(zc_pool_slave_attached(m, 1));
	assert_int_equal(zc_pool_reap(m, NULL), 0);
	zc_pool_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	assert_int_equal(zc_pool_bad_handles(m), 0);
	pthread_barrier_destroy(&t.given);
	zc_pool_close(m);
}

/* ------------------------------------------------------------ across processes */

static void send_byte(int fd, char c)
{
	assert_int_equal(write(fd, &c, 1), 1);
}

/* A child of these tests spins: it must not outlive a failed parent. */
static void die_with_parent(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static char read_byte(int fd)
{
	char c = 0;

	return read(fd, &c, 1) == 1 ? c : 0;
}

/* The child: slave 0 of cluster id once told it exists. Takes 64 buffers (checking their bytes),
 * releases all but every eighth in reverse order, then, when told, the eight
 * it kept aside in a shuffled order. Exit status 0 when everything matched. */
static int holes_child(uint32_t id, int from_master, int to_master)
{
	struct zc_pool *s;
	uint32_t h[64], n = 0, kept[8], nk = 0, bad = 0;
	unsigned int seed = 8;

	die_with_parent();
	if (read_byte(from_master) != 'c' || zc_pool_attach(id, 0, &s) != 0)
		return 2;
	send_byte(to_master, 'a');
	while (n < 64)
		n += zc_pool_recv(s, h + n, 64 - n);
	for (uint32_t i = 0; i < 64; i++) {
		const uint8_t *d = zc_pool_data(s, h[i]);

		bad += zc_pool_buf(s, h[i])->len != 100 + h[i] || d[0] != (uint8_t)h[i] ||
		       d[99] != (uint8_t)~h[i];
		if (h[i] % 8 == 7)
			kept[nk++] = h[i];
	}
	for (uint32_t i = 64; i-- > 0;)
		if (h[i] % 8 != 7)
			bad += zc_pool_release(s, &h[i], 1) != 1;
	send_byte(to_master, 'h');
	if (read_byte(from_master) != 'g')
		return 3;
	shuffle(kept, nk, &seed);
	bad += zc_pool_release(s, kept, nk) != nk || nk != 8;
	zc_pool_close(s);
	return bad ? 1 : 0;
}

static void test_forked_slave_out_of_order_holes(void **state)
{
	(void)state;
	uint32_t id = cluster_id(6), h[64];
	int down[2], up[2], status;

	assert_int_equal(pipe(down), 0);
	assert_int_equal(pipe(up), 0);
	/* forked before the pool exists: the child holds nothing of the master's
	 * (valgrind checks the child's leaks too) */
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(holes_child(id, down[0], up[1]));
	struct zc_pool *m = pool_new(id, 64, 1, 64);

	send_byte(down[1], 'c');
	assert_int_equal(read_byte(up[0]), 'a');
	assert_int_equal(zc_pool_alloc(m, h, 64), 64);
	for (uint32_t i = 0; i < 64; i++) {
		uint8_t *d = zc_pool_data(m, h[i]);

		zc_pool_buf(m, h[i])->len = 100 + h[i];
		d[0] = (uint8_t)h[i];
		d[99] = (uint8_t)~h[i];
		assert_int_equal(zc_pool_fanout(m, h[i], 0x1), 0x1);
	}
	assert_int_equal(read_byte(up[0]), 'h');
	assert_int_equal(zc_pool_collect(m), 56);
	assert_int_equal(zc_pool_free_count(m), 56);
	for (uint32_t b = 0; b < 64; b++)
		assert_int_equal(atomic_load(&zc_pool_buf(m, b)->refs), b % 8 == 7);
	send_byte(down[1], 'g');
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(zc_pool_collect(m), 8);
	uint32_t reclaimed = 99;

	assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
	assert_int_equal(reclaimed, 0);
	assert_all_free(m);
	assert_int_equal(zc_pool_bad_handles(m), 0);
	close(down[0]); close(down[1]); close(up[0]); close(up[1]);
	zc_pool_close(m);
}

/* The child: slave 1, forever taking buffers, keeping up to 40 aside, releasing
 * and sending the others in random order, now and then letting kept ones go. */
static void busy_child(uint32_t id, int to_master, unsigned int seed)
{
	struct zc_pool *s;
	uint32_t h[16], kept[40], nk = 0;

	die_with_parent();
	if (zc_pool_attach(id, 1, &s) != 0)
		_exit(2);
	send_byte(to_master, 'a');
	for (;;) {
		uint32_t n = zc_pool_recv(s, h, 1 + (uint32_t)rand_r(&seed) % 16);

		shuffle(h, n, &seed);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = (uint32_t)rand_r(&seed) % 4;

			if (r == 0 && nk < 40)
				kept[nk++] = h[i];
			else if (r == 1)
				while (zc_pool_send(s, &h[i], 1) == 0)
					;
			else
				while (zc_pool_release(s, &h[i], 1) == 0)
					;
		}
		if (n > 0 && nk > 0 && rand_r(&seed) % 8 == 0) {
			uint32_t go = (uint32_t)rand_r(&seed) % nk + 1, from = nk - go;
			uint32_t r = zc_pool_release(s, kept + from, go);

			/* a full release queue takes the first r only: the others stay kept */
			memmove(kept + from, kept + from + r, (go - r) * sizeof(*kept));
			nk -= r;
		}
	}
}

/* One master round (returns the child's sends it took): new buffers to slaves 0 (this thread) and 1 (the child),
 * slave 0 releasing what it got in random order, the child's sends "sent". */
static uint32_t master_round(struct zc_pool *m, struct zc_pool *s0, unsigned int *seed)
{
	uint32_t h[16], n = zc_pool_alloc(m, h, 1 + (uint32_t)rand_r(seed) % 16);

	for (uint32_t i = 0; i < n; i++)
		zc_pool_fanout(m, h[i], 1 + (uint32_t)rand_r(seed) % 3);
	n = zc_pool_recv(s0, h, 16);
	shuffle(h, n, seed);
	assert_int_equal(zc_pool_release(s0, h, n), n);
	n = zc_pool_tx_take(m, 1, h, 16);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(zc_pool_put(m, h[i]), 0);
	zc_pool_collect(m);
	return n;
}

static void test_slave_killed_mid_run(void **state)
{
	(void)state;
	uint32_t id = cluster_id(7);
	int runs = quick() ? 4 : 30;
	unsigned int seed = 1400;
	uint32_t reclaimed_all = 0;

	for (int run = 0; run < runs; run++) {
		struct zc_pool *m = pool_new(id, 256, 2, 64), *s0, *s1;
		int up[2], status;
		/* the kill comes once the child has sent sends_before buffers, then
		 * a random number of rounds later: at a random point of its loop */
		uint32_t sends_before = 1 + (uint32_t)rand_r(&seed) % (quick() ? 100 : 1000);
		uint32_t rounds_after = (uint32_t)rand_r(&seed) % 64, sends = 0;

		assert_int_equal(zc_pool_attach(id, 0, &s0), 0);
		assert_int_equal(pipe(up), 0);
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0)
			busy_child(id, up[1], seed + (unsigned int)run);
		assert_int_equal(read_byte(up[0]), 'a');
		for (uint32_t r = 0; sends < sends_before && r < 1000000; r++) {
			sends += master_round(m, s0, &seed);
			sched_yield();
		}
		assert_true(sends >= sends_before);
		for (uint32_t r = 0; r < rounds_after; r++)
			master_round(m, s0, &seed);
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

		uint32_t reclaimed = 0;

		assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
		reclaimed_all += reclaimed;
		assert_false(zc_pool_slave_attached(m, 1));
		/* slave 0 gives back what it still has; then everything is free */
		uint32_t h[64], n;

		while ((n = zc_pool_recv(s0, h, 64)) > 0)
			assert_int_equal(zc_pool_release(s0, h, n), n);
		zc_pool_collect(m);
		assert_all_free(m);
		assert_int_equal(zc_pool_bad_handles(m), 0);
		/* slot 1 takes a new slave, which receives */
		assert_int_equal(zc_pool_attach(id, 1, &s1), 0);
		assert_int_equal(zc_pool_alloc(m, h, 1), 1);
		assert_int_equal(zc_pool_fanout(m, h[0], 0x2), 0x2);
		assert_int_equal(zc_pool_recv(s1, h + 1, 1), 1);
		assert_int_equal(h[1], h[0]);
		zc_pool_close(s1);
		zc_pool_close(s0);
		assert_int_equal(zc_pool_reap(m, &reclaimed), 2);
		assert_int_equal(reclaimed, 1);
		assert_all_free(m);
		close(up[0]);
		close(up[1]);
		zc_pool_close(m);
	}
	/* the child did hold buffers when killed (kept aside, queued), not just
	 * once: a dead slave always holding none would prove nothing */
	assert_true(reclaimed_all >= (uint32_t)runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_attach_errors),
		cmocka_unit_test(test_alloc_and_put),
		cmocka_unit_test(test_fanout_3_random_release),
		cmocka_unit_test(test_slow_slave_drops_alone),
		cmocka_unit_test(test_tx_path),
		cmocka_unit_test(test_queue_before_attach),
		cmocka_unit_test(test_spare_buffers),
		cmocka_unit_test(test_thread_ends_without_detach),
		cmocka_unit_test(test_forked_slave_out_of_order_holes),
		cmocka_unit_test(test_slave_killed_mid_run),
	};

	return cmocka_run_group_tests(tests, NULL, unlink_names);
}
