/*
 * tests/unit/test_userspace.c - the "userspace:" backend through the public API:
 * frames sent on one handle are read, in order and byte for byte, on another.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <pfring.h>

#define MAX_LEN 1514

static u_int32_t num_frames(void)
{
	return getenv("PF_TEST_QUICK") ? 10000 : 100000;
}

/* Frame i: 60 .. 1514 bytes, its number in the first 4, then a pattern. */
static u_int32_t frame_len(u_int32_t i)
{
	return 60 + (i * 7919u) % (MAX_LEN - 60 + 1);
}

static void frame_fill(u_int32_t i, u_char *buf)
{
	u_int32_t j, len = frame_len(i);

	memcpy(buf, &i, 4);
	for (j = 4; j < len; j++)
		buf[j] = (u_char)(i * 31u + j);
}

static pfring *open_enabled(const char *name, socket_mode mode)
{
	pfring *r = pfring_open(name, 0, 0);

	assert_non_null(r);
	assert_int_equal(pfring_set_socket_mode(r, mode), 0);
	assert_int_equal(pfring_enable_ring(r), 0);
	return r;
}

/* ---------------------------------------------------- sender -> receiver */

struct sender {
	pfring *ring;
	u_int32_t n;
	u_int64_t full;   /* NO_TX_SLOT_AVAILABLE answers (retried) */
	int error;        /* first unexpected return */
};

static void *send_all(void *arg)
{
	struct sender *s = arg;
	u_char buf[MAX_LEN];
	u_int32_t i;

	for (i = 0; i < s->n; i++) {
		int rc;

		frame_fill(i, buf);
		while ((rc = pfring_send(s->ring, (char *)buf, frame_len(i), 1)) ==
		       PF_RING_ERROR_NO_TX_SLOT_AVAILABLE) {
			s->full++;
			sched_yield();
		}
		if (rc != (int)frame_len(i)) {
			s->error = rc;
			return NULL;
		}
	}
	return NULL;
}

static void test_threads_in_order(void **state)
{
	struct sender s = { 0 };
	pfring *rx = open_enabled("userspace:usr0", recv_only_mode);
	u_char buf[MAX_LEN], want[MAX_LEN];
	u_char *p = buf;
	struct pfring_pkthdr h;
	pfring_stat st;
	pthread_t t;
	u_int32_t i;
	u_int64_t bytes = 0, want_bytes = 0;

	(void)state;
	s.ring = open_enabled("userspace:usr0", send_only_mode);
	s.n = num_frames();
	assert_int_equal(pthread_create(&t, NULL, send_all, &s), 0);
	for (i = 0; i < s.n; i++) {
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 1), 1);
		assert_int_equal(h.len, frame_len(i));
		assert_int_equal(h.caplen, frame_len(i));
		frame_fill(i, want);
		assert_memory_equal(buf, want, h.caplen);
		bytes += h.caplen;
		want_bytes += frame_len(i);
	}
	pthread_join(t, NULL);
	assert_int_equal(s.error, 0);
	assert_int_equal(bytes, want_bytes);
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	assert_int_equal(pfring_stats(rx, &st), 0);
	assert_int_equal(st.recv, s.n);
	assert_int_equal(st.drop, 0);
	fprintf(stderr, "  %u frames, sender saw a full ring %llu times\n", s.n,
		(unsigned long long)s.full);
	pfring_close(s.ring);
	pfring_close(rx);
}

/* ------------------------------------------------------------ full ring */

static void test_full_then_retry(void **state)
{
	pfring *tx = open_enabled("userspace:usr1", send_only_mode);
	pfring *rx = open_enabled("usr1", recv_only_mode);   /* plain name, same ring */
	u_char frame[1000], buf[1000], *p;
	struct pfring_pkthdr h;
	pfring_stat st;
	u_int32_t i, k = 0;
	int rc;

	(void)state;
	memset(frame, 0, sizeof(frame));
	for (;;) {
		memcpy(frame, &k, 4);
		rc = pfring_send(tx, (char *)frame, sizeof(frame), 0);
		if (rc == PF_RING_ERROR_NO_TX_SLOT_AVAILABLE)
			break;
		assert_int_equal(rc, sizeof(frame));
		k++;
		assert_true(k < 100000);
	}
	assert_int_equal(errno, EAGAIN);
	/* 4 MiB of 1016-byte slots */
	assert_true(k > 4000 && k < 4200);
	assert_int_equal(pfring_get_num_queued_pkts(rx), k);
	/* still full without a read: nothing was dropped or counted */
	assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), 0),
			 PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_int_equal(pfring_stats(tx, &st), 0);
	assert_int_equal(st.recv, k);
	assert_int_equal(st.drop, 0);
	/* reading makes room: the retried frame goes in after the others */
	for (i = 0; i < 2; i++) {
		p = buf;
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 1);
		assert_memory_equal(buf, &i, 4);
	}
	memcpy(frame, &k, 4);
	assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), 0), sizeof(frame));
	for (i = 2; i <= k; i++) {
		p = buf;
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 1);
		assert_int_equal(h.caplen, sizeof(frame));
		assert_memory_equal(buf, &i, 4);
	}
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	pfring_close(tx);
	pfring_close(rx);
}

/* zero-copy receive, caplen cut, the largest frame */
static void test_zero_copy_caplen_largest(void **state)
{
	pfring *tx = open_enabled("userspace:usr2", send_only_mode);
	pfring *rx = pfring_open("userspace:usr2", 100, 0);
	u_char frame[MAX_LEN], *p = NULL;
	u_char *huge = calloc(1, MAX_CAPLEN + 1);
	struct pfring_pkthdr h;

	(void)state;
	assert_non_null(rx);
	assert_non_null(huge);
	assert_int_equal(pfring_enable_ring(rx), 0);
	frame_fill(7, frame);
	assert_int_equal(pfring_send(tx, (char *)frame, frame_len(7), 0), (int)frame_len(7));
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 0), 1);
	assert_int_equal(h.caplen, 100);
	assert_int_equal(h.len, frame_len(7));
	assert_memory_equal(p, frame, 100);
	/* the largest frame the API takes fits a slot; one byte more is refused */
	assert_int_equal(pfring_send(tx, (char *)huge, MAX_CAPLEN, 0), MAX_CAPLEN);
	assert_int_equal(pfring_send(tx, (char *)huge, MAX_CAPLEN + 1, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 0), 1);
	assert_int_equal(h.len, MAX_CAPLEN);
	assert_int_equal(h.caplen, 100);
	free(huge);
	pfring_close(tx);
	pfring_close(rx);
}

/* ------------------------------------------------------------ breakloop */

static void *breaker(void *arg)
{
	usleep(50000);
	pfring_breakloop(arg);
	return NULL;
}

static void test_blocking_breakloop(void **state)
{
	pfring *rx = open_enabled("userspace:usr3", recv_only_mode);
	struct pfring_pkthdr h;
	u_char *p;
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, breaker, rx), 0);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 1), 0);
	pthread_join(t, NULL);
	assert_int_equal(pfring_poll(rx, 10), 0);
	pfring_close(rx);
}

/* ------------------------------------------------------------ open errors */

static void test_open_errors(void **state)
{
	pfring *a, *b, *c;
	u_char frame[64] = { 0 };

	(void)state;
	assert_null(pfring_open("userspace:eth0", 0, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(pfring_open("userspace:usr0@1", 0, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(pfring_open("userspace:usr0;usr1", 0, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(pfring_open("userspace:", 0, 0));
	assert_int_equal(errno, EINVAL);
	/* "usr4x" is no usrN: the kernel-module default, not built */
	assert_null(pfring_open("usr4x", 0, 0));
	assert_int_equal(errno, EOPNOTSUPP);

	/* one sender and one receiver per ring */
	a = open_enabled("userspace:usr4", send_only_mode);
	b = pfring_open("usr4", 0, 0);
	assert_non_null(b);
	assert_int_equal(pfring_set_socket_mode(b, send_only_mode),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_enable_ring(b), 0);
	assert_int_equal(pfring_send(b, (char *)frame, sizeof(frame), 0),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	c = open_enabled("userspace:usr4", recv_only_mode);
	assert_int_equal(pfring_is_pkt_available(b), PF_RING_ERROR_WRONG_CONFIGURATION);
	/* closing the sender frees its role */
	pfring_close(a);
	assert_int_equal(pfring_send(b, (char *)frame, sizeof(frame), 0), sizeof(frame));
	assert_int_equal(pfring_is_pkt_available(c), 1);
	/* filtering is not supported here */
	assert_int_equal(pfring_set_bpf_filter(c, (char *)"tcp"), PF_RING_ERROR_NOT_SUPPORTED);
	pfring_close(b);
	pfring_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_in_order),
		cmocka_unit_test(test_full_then_retry),
		cmocka_unit_test(test_zero_copy_caplen_largest),
		cmocka_unit_test(test_blocking_breakloop),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
