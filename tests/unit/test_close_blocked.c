/*
 * tests/unit/test_close_blocked.c - pfring_close() from one thread while
 * another sleeps in pfring_recv / pfring_poll / pfring_loop on the same idle
 * ring (issue 11, finding 6): close wakes the reader, waits for it to leave,
 * and only then frees the handle. Every reader must return 0 (as after
 * pfring_shutdown) and close must return promptly (the backend's wake-up, not
 * the 60 s poll_duration the test sets: the bounds below are hang checks,
 * never speeds); on sim:, pfsim, userspace: and multi:.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pfring.h>

#include "pfsim_run.h"

enum call { CALL_RECV_COPY, CALL_RECV_ZERO, CALL_POLL, CALL_LOOP, NUM_CALLS };

struct reader {
	pfring *ring;
	enum call call;
	int rc;
	int err;        /* errno after the call */
};

static void count_packet(const struct pfring_pkthdr *h, const u_char *p, const u_char *user)
{
	(void)h;
	(void)p;
	(*(int *)(void *)(uintptr_t)user)++;
}

static void *read_blocked(void *arg)
{
	struct reader *r = arg;
	struct pfring_pkthdr hdr;
	u_char buf[256], *p = buf;
	int packets = 0;

	switch (r->call) {
	case CALL_RECV_COPY:
		r->rc = pfring_recv(r->ring, &p, sizeof(buf), &hdr, 1);
		break;
	case CALL_RECV_ZERO:
		r->rc = pfring_recv(r->ring, &p, 0, &hdr, 1);
		break;
	case CALL_POLL:
		r->rc = pfring_poll(r->ring, 60000);
		break;
	default:
		r->rc = pfring_loop(r->ring, count_packet, (const u_char *)&packets, 1);
		r->rc += packets * 1000;    /* a packet on an idle ring is a failure too */
		break;
	}
	r->err = errno;
	return NULL;
}

/* Join within ms, or fail (a reader close did not wake). */
static void join_within(pthread_t t, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	if (pthread_timedjoin_np(t, NULL, &ts) != 0)
		fail_msg("the reader did not return from its blocked call after pfring_close");
}

/*
 * One trial: open name, enable, a reader thread blocked in call, then close
 * from here once the reader is inside (at a varying delay: before and after
 * it went to sleep). The closing thread must not wait for the 60 s poll
 * duration: close returns well within it (20 s: a hang check, on a loaded
 * machine under valgrind too).
 */
static void trial(const char *name, u_int32_t flags, socket_mode mode, enum call call,
		  unsigned int delay_us)
{
	struct reader r = { .call = call, .rc = -12345 };
	u_int64_t t0;
	pthread_t t;

	r.ring = pfring_open(name, 128, flags);
	assert_non_null(r.ring);
	assert_int_equal(pfring_set_socket_mode(r.ring, mode), 0);
	assert_int_equal(pfring_set_poll_duration(r.ring, 60000), 0);
	assert_int_equal(pfring_enable_ring(r.ring), 0);
	assert_int_equal(pthread_create(&t, NULL, read_blocked, &r), 0);
	/* the handle may be closed only once the reader is inside the call
	 * (before that it would use a freed handle: undefined, as in PF_RING) */
	while (__atomic_load_n(&r.ring->num_callers_inside, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	if (delay_us)
		usleep(delay_us);
	t0 = now_ms();
	pfring_close(r.ring);
	assert_true(now_ms() - t0 < 20000u);
	join_within(t, 20000);
	/* 0; or, when close began between the reader's entry and its state check,
	 * the shut-down state (docs/decisions.md: close waits for its callers) */
	if (r.rc != 0) {
		assert_int_equal(r.rc, PF_RING_ERROR_INVALID_STATUS);
		assert_int_equal(r.err, ESHUTDOWN);
	}
}

/* trials over every call, the delays cycling through 0 .. 2 ms. */
static void trials(const char *name, u_int32_t flags, socket_mode mode, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		enum call call = (enum call)(i % NUM_CALLS);

		/* zero-copy is refused with PF_RING_REENTRANT (as 5.4.6) */
		if (call == CALL_RECV_ZERO && (flags & PF_RING_REENTRANT))
			call = CALL_RECV_COPY;
		trial(name, flags, mode, call, (i * 137u) % 2000u);
	}
}

/* An empty capture (header only): the wire of an idle NIC. */
static char empty_pcap[128];

static int setup_all(void **state)
{
	static const u_int32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	FILE *f;

	if (pfsim_dir_setup(state))
		return -1;
	snprintf(empty_pcap, sizeof(empty_pcap), "%s/empty.pcap", pfsim_dir);
	f = fopen(empty_pcap, "wb");
	if (f == NULL || fwrite(hdr, sizeof(hdr), 1, f) != 1)
		return -1;
	return fclose(f);
}

/* "sim:NAME?pcap=<empty>" */
static const char *idle_sim(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "sim:%s?pcap=%s", name, empty_pcap);
	return buf;
}

static unsigned int n_trials(unsigned int full)
{
	return quick() ? full / 10 : full;
}

static void test_sim_reentrant(void **state)
{
	char name[256];

	(void)state;
	alarm(300);
	trials(idle_sim(name, sizeof(name), "cb0"), PF_RING_REENTRANT, recv_only_mode,
	       n_trials(300));
}

static void test_sim_plain(void **state)
{
	char name[256];

	(void)state;
	alarm(300);
	trials(idle_sim(name, sizeof(name), "cb1"), 0, recv_only_mode, n_trials(200));
}

static void test_userspace(void **state)
{
	(void)state;
	alarm(300);
	trials("userspace:usr71", PF_RING_REENTRANT, recv_only_mode, n_trials(100));
	trials("userspace:usr72", 0, recv_only_mode, n_trials(100));
}

static void test_multi(void **state)
{
	char name[512];

	(void)state;
	alarm(300);
	snprintf(name, sizeof(name), "multi:sim:cm0?pcap=%s;sim:cm1?pcap=%s", empty_pcap,
		 empty_pcap);
	trials(name, PF_RING_REENTRANT, recv_only_mode, n_trials(100));
	trials(name, 0, recv_only_mode, n_trials(100));
}

static void test_hub(void **state)
{
	(void)state;
	alarm(300);
	trials("hub:cbh", PF_RING_REENTRANT, recv_only_mode, n_trials(100));
	trials("hub:cbh", 0, recv_only_mode, n_trials(100));
}

/* pfsim serves the idle device. */
static void test_pfsim(void **state)
{
	pid_t srv;
	char opts[256];

	(void)state;
	alarm(300);
	snprintf(opts, sizeof(opts), "pcap=%s", empty_pcap);
	srv = pfsim_start(pfsim_dir, "cps", opts, "1");
	trials("sim:cps", PF_RING_REENTRANT, recv_only_mode, n_trials(40));
	trials("sim:cps", 0, recv_only_mode, n_trials(40));
	pfsim_stop(srv);
}

/* pfring_shutdown then pfring_close, the documented way, still returns 0 to
 * the reader, and a recv after shutdown says so (INVALID_STATUS, ESHUTDOWN). */
static void test_shutdown_then_close(void **state)
{
	struct reader r = { .call = CALL_RECV_COPY, .rc = -12345 };
	struct pfring_pkthdr hdr;
	u_char buf[64], *p = buf;
	char name[256];
	pthread_t t;

	(void)state;
	r.ring = pfring_open(idle_sim(name, sizeof(name), "cb2"), 128, PF_RING_REENTRANT);
	assert_non_null(r.ring);
	assert_int_equal(pfring_enable_ring(r.ring), 0);
	assert_int_equal(pthread_create(&t, NULL, read_blocked, &r), 0);
	while (__atomic_load_n(&r.ring->num_callers_inside, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	pfring_shutdown(r.ring);
	join_within(t, 20000);
	assert_int_equal(r.rc, 0);
	errno = 0;
	assert_int_equal(pfring_recv(r.ring, &p, sizeof(buf), &hdr, 1),
			 PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(errno, ESHUTDOWN);
	pfring_close(r.ring);
}

static int teardown_all(void **state)
{
	pfsim_kill_leftovers();
	return pfsim_dir_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_reentrant),
		cmocka_unit_test(test_sim_plain),
		cmocka_unit_test(test_userspace),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_hub),
		cmocka_unit_test(test_pfsim),
		cmocka_unit_test(test_shutdown_then_close),
	};

	return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
