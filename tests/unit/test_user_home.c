/*
 * tests/unit/test_user_home.c - the user-space home's read side: synchronize()
 * waits for readers inside a section and only for them; slots are recycled
 * when threads exit; the virtual clock is the caller's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "lib/user_home.h"

static const struct pf_home *H;
static int reader_inside, reader_may_leave, sync_returned;

static void *reader_holding(void *arg)
{
	(void)arg;
	H->read_lock(H->ctx);
	H->read_lock(H->ctx);  /* nested sections are one section */
	__atomic_store_n(&reader_inside, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&reader_may_leave, __ATOMIC_ACQUIRE))
		sched_yield();
	H->read_unlock(H->ctx);
	/* still inside the outer section: synchronize must not have returned */
	usleep(20000);
	assert_int_equal(__atomic_load_n(&sync_returned, __ATOMIC_ACQUIRE), 0);
	H->read_unlock(H->ctx);
	return NULL;
}

static void *syncer(void *arg)
{
	(void)arg;
	H->synchronize(H->ctx);
	__atomic_store_n(&sync_returned, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_synchronize_waits_for_reader(void **state)
{
	pthread_t r, s;

	(void)state;
	H = pf_user_home();
	assert_int_equal(pthread_create(&r, NULL, reader_holding, NULL), 0);
	while (!__atomic_load_n(&reader_inside, __ATOMIC_ACQUIRE))
		sched_yield();
	assert_int_equal(pthread_create(&s, NULL, syncer, NULL), 0);
	usleep(50000);
	assert_int_equal(__atomic_load_n(&sync_returned, __ATOMIC_ACQUIRE), 0);
	__atomic_store_n(&reader_may_leave, 1, __ATOMIC_RELEASE);
	pthread_join(r, NULL);
	pthread_join(s, NULL);
	assert_int_equal(sync_returned, 1);
}

static void *enter_leave(void *arg)
{
	(void)arg;
	H->read_lock(H->ctx);
	H->read_unlock(H->ctx);
	return NULL;
}

/* 1000 threads, one after another, each using the packet path once: more than
 * there are slots (256), so this only passes if exiting threads give theirs back. */
static void test_slots_recycled(void **state)
{
	int i;

	(void)state;
	H = pf_user_home();
	for (i = 0; i < 1000; i++) {
		pthread_t t;

		assert_int_equal(pthread_create(&t, NULL, enter_leave, NULL), 0);
		pthread_join(t, NULL);
	}
	H->synchronize(H->ctx);  /* nobody inside: returns at once */
}

static void test_virtual_clock(void **state)
{
	struct pf_user_clock c;
	void *p;

	(void)state;
	pf_user_clock_init(&c);
	assert_int_equal(c.home.now_ns(c.home.ctx), 0);
	c.now_ns = 1234567890123ull;
	assert_int_equal(c.home.now_ns(c.home.ctx), 1234567890123ull);
	assert_true(pf_user_home()->now_ns(NULL) > 1600000000ull * 1000000000ull);
	p = c.home.alloc(c.home.ctx, 64);
	assert_non_null(p);
	assert_int_equal(((unsigned char *)p)[63], 0);  /* zeroed */
	c.home.free(c.home.ctx, p);
	assert_null(c.home.bpf_run);  /* core's executor runs BPF in user space */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synchronize_waits_for_reader),
		cmocka_unit_test(test_slots_recycled),
		cmocka_unit_test(test_virtual_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
