/*
 * tests/unit/test_hub.c - the "hub:" backend (backends/hub/hub.c), the example
 * backend of docs/architecture.md, through the public API only: every ring on
 * a hub receives every frame sent on it, in order and byte for byte; a full
 * ring drops and counts; caplen cuts; other hubs see nothing; a blocked reader
 * is woken by a send and by pfring_breakloop; what it does not implement is
 * NOT_SUPPORTED; senders and readers on many threads account for every frame.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <pfring.h>
#include "stderr_capture.h"

#define HUB_RING_FRAMES 64    /* backends/hub/hub.c */

static void frame(u_char *buf, u_int len, u_int i)
{
	u_int j;

	for (j = 0; j < len; j++)
		buf[j] = (u_char)(i * 13u + j);
}

static pfring *open_enabled(const char *name, u_int32_t caplen)
{
	pfring *r = pfring_open(name, caplen, 0);

	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	return r;
}

static void expect_frame(pfring *r, u_int len, u_int caplen, u_int i)
{
	u_char want[1514], *got = NULL;
	struct pfring_pkthdr h;

	frame(want, len, i);
	assert_int_equal(pfring_recv(r, &got, 0, &h, 0), 1);
	assert_int_equal(h.len, len);
	assert_int_equal(h.caplen, caplen);
	assert_memory_equal(got, want, caplen);
}

static void expect_stats(pfring *r, u_int64_t recv, u_int64_t drop)
{
	pfring_stat s;

	assert_int_equal(pfring_stats(r, &s), 0);
	assert_int_equal(s.recv, recv);
	assert_int_equal(s.drop, drop);
}

/* Two rings on hub:a, one on hub:b: a's frames reach both of a's rings (the
 * sender's too) in order, none reaches b. */
static void test_every_ring_gets_every_frame(void **state)
{
	pfring *a1 = open_enabled("hub:a", 1514), *a2 = open_enabled("hub:a", 1514);
	pfring *b = open_enabled("hub:b", 1514);
	u_char buf[1514], *p = NULL;
	struct pfring_pkthdr h;
	u_int i, len[3] = { 60, 1514, 333 };

	(void)state;
	for (i = 0; i < 3; i++) {
		frame(buf, len[i], i);
		assert_int_equal(pfring_send(a1, (char *)buf, len[i], 1), (int)len[i]);
	}
	for (i = 0; i < 3; i++) {
		expect_frame(a1, len[i], len[i], i);
		expect_frame(a2, len[i], len[i], i);
	}
	assert_int_equal(pfring_recv(a1, &p, 0, &h, 0), 0);
	assert_int_equal(pfring_recv(a2, &p, 0, &h, 0), 0);
	assert_int_equal(pfring_recv(b, &p, 0, &h, 0), 0);
	expect_stats(a1, 3, 0);
	expect_stats(a2, 3, 0);
	expect_stats(b, 0, 0);
	pfring_close(a1);
	pfring_close(a2);
	pfring_close(b);
}

/* A ring of caplen 100 gets the first 100 bytes, hdr->len the length sent;
 * a copy into a smaller buffer is cut to it. */
static void test_caplen_cuts(void **state)
{
	pfring *big = open_enabled("hub:c", 1514), *small = open_enabled("hub:c", 100);
	u_char buf[1514], copy[40];
	u_char *p = copy;
	struct pfring_pkthdr h;

	(void)state;
	frame(buf, 500, 7);
	assert_int_equal(pfring_send(big, (char *)buf, 500, 1), 500);
	expect_frame(small, 500, 100, 7);
	assert_int_equal(pfring_recv(big, &p, sizeof(copy), &h, 0), 1);
	assert_int_equal(h.len, 500);
	assert_int_equal(h.caplen, sizeof(copy));
	assert_memory_equal(copy, buf, sizeof(copy));
	pfring_close(big);
	pfring_close(small);
}

/* A reader that does not read: its ring holds at least HUB_RING_FRAMES frames
 * of its caplen (whole pages), the rest are dropped and counted: recv + drop =
 * sent, and what it holds is the first recv frames, in order. */
static void test_full_ring_drops_and_counts(void **state)
{
	pfring *tx = open_enabled("hub:d", 128), *rx = open_enabled("hub:d", 128);
	u_char buf[128];
	u_int i, sent = HUB_RING_FRAMES * 4;
	u_char *p = NULL;
	struct pfring_pkthdr h;
	pfring_stat s;

	(void)state;
	for (i = 0; i < sent; i++) {
		frame(buf, sizeof(buf), i);
		assert_int_equal(pfring_send(tx, (char *)buf, sizeof(buf), 1), (int)sizeof(buf));
	}
	assert_int_equal(pfring_stats(rx, &s), 0);
	assert_int_equal(s.recv + s.drop, sent);
	assert_in_range(s.recv, HUB_RING_FRAMES, sent - 1);
	for (i = 0; i < s.recv; i++)
		expect_frame(rx, sizeof(buf), sizeof(buf), i);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 0), 0);
	pfring_close(tx);
	pfring_close(rx);
}

struct sender {
	pfring *ring;
	u_int delay_ms;
};

static void *send_later(void *arg)
{
	struct sender *s = arg;
	u_char buf[60];

	usleep(s->delay_ms * 1000);
	frame(buf, sizeof(buf), 42);
	pfring_send(s->ring, (char *)buf, sizeof(buf), 1);
	return NULL;
}

static void *break_later(void *arg)
{
	struct sender *s = arg;

	usleep(s->delay_ms * 1000);
	pfring_breakloop(s->ring);
	return NULL;
}

/* A blocked recv returns the frame another thread sends; another returns 0
 * after pfring_breakloop. */
static void test_blocked_reader_woken(void **state)
{
	pfring *tx = open_enabled("hub:e", 1514), *rx = open_enabled("hub:e", 1514);
	struct sender s = { .ring = tx, .delay_ms = 50 }, b = { .ring = rx, .delay_ms = 50 };
	pthread_t t;
	u_char *p = NULL;
	struct pfring_pkthdr h;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, send_later, &s), 0);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 1), 1);
	assert_int_equal(h.len, 60);
	assert_int_equal(p[0], (u_char)(42 * 13));
	pthread_join(t, NULL);
	expect_frame(tx, 60, 60, 42);     /* the sender's own copy */

	assert_int_equal(pthread_create(&t, NULL, break_later, &b), 0);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 1), 0);
	pthread_join(t, NULL);
	pfring_close(tx);
	pfring_close(rx);
}

/* What hub: does not implement: NOT_SUPPORTED with errno EOPNOTSUPP, from the
 * front; a name with queues is refused with a message. */
static void test_unsupported_and_bad_names(void **state)
{
	pfring *r = open_enabled("hub:f", 1514);
	char err[512];

	(void)state;
	errno = 0;
	assert_int_equal(pfring_set_cluster(r, 3, cluster_per_flow), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(pfring_set_bpf_filter(r, "tcp"), PF_RING_ERROR_NOT_SUPPORTED);
	pfring_close(r);

	capture_begin();
	errno = 0;
	assert_null(pfring_open("hub:f@1", 1514, 0));
	assert_int_equal(errno, EINVAL);
	capture_end(err, sizeof(err));
	assert_non_null(strstr(err, "pfring_open(hub:f@1): a hub has no queues and one name"));
}

/* ------------------------------------------------------------ threads */

#define STRESS_SENDERS 3
#define STRESS_READERS 2

struct stress_sender {
	pfring *ring;
	u_int id, n;
};

static int stress_senders_done;

struct stress_reader {
	pfring *ring;
	u_int total;                       /* frames sent on the hub in all */
	u_int got, bad, out_of_order;
	int error;                         /* a recv that failed: the ring is corrupt */
	u_int next[STRESS_SENDERS];        /* the next number expected from each sender */
};

/* Frame: sender id, its number, then a pattern of both. */
static void *stress_send(void *arg)
{
	struct stress_sender *s = arg;
	u_char buf[64];
	u_int i, j;

	for (i = 0; i < s->n; i++) {
		buf[0] = (u_char)s->id;
		memcpy(buf + 1, &i, sizeof(i));
		for (j = 5; j < sizeof(buf); j++)
			buf[j] = (u_char)(s->id * 7u + i + j);
		pfring_send(s->ring, (char *)buf, sizeof(buf), 1);
		if (i % 64 == 0)
			sched_yield();     /* other interleavings */
	}
	return NULL;
}

/* Reads (with poll between) until what it got and what its ring dropped add
 * up to every frame sent on the hub, or, once the senders are done, until
 * nothing came for a second (then the test's counts say what went wrong). */
static void *stress_read(void *arg)
{
	struct stress_reader *r = arg;
	struct pfring_pkthdr h;
	pfring_stat st;
	u_char *p = NULL;
	u_int id, i, j, ok, idle = 0;
	int rc;

	for (;;) {
		rc = pfring_recv(r->ring, &p, 0, &h, 0);
		if (rc < 0) {
			r->error = rc;
			return NULL;
		}
		if (rc == 1) {
			idle = 0;
			r->got++;
			id = p[0];
			memcpy(&i, p + 1, sizeof(i));
			for (j = 5, ok = h.caplen == 64 && id < STRESS_SENDERS; ok && j < 64; j++)
				ok = p[j] == (u_char)(id * 7u + i + j);
			if (!ok) {
				r->bad++;
				continue;
			}
			if (i < r->next[id])
				r->out_of_order++;
			r->next[id] = i + 1;
			continue;
		}
		pfring_stats(r->ring, &st);
		if (st.recv + st.drop >= r->total && r->got == st.recv)
			return NULL;
		if (__atomic_load_n(&stress_senders_done, __ATOMIC_SEQ_CST) && ++idle == 200)
			return NULL;
		pfring_poll(r->ring, 5);
	}
}

/* Senders and readers on their own threads: every reader's ring accounts for
 * every frame (recv + drop = sent), what it reads is intact, and each
 * sender's frames arrive in the order sent (drops leave gaps, never swaps). */
static void test_threads_account_for_every_frame(void **state)
{
	struct stress_sender snd[STRESS_SENDERS];
	struct stress_reader rd[STRESS_READERS];
	pthread_t ts[STRESS_SENDERS], tr[STRESS_READERS];
	u_int i, n = getenv("PF_TEST_QUICK") ? 2000 : 20000;
	pfring_stat st;

	(void)state;
	alarm(120);
	stress_senders_done = 0;
	memset(rd, 0, sizeof(rd));
	for (i = 0; i < STRESS_READERS; i++) {
		rd[i].ring = open_enabled("hub:stress", 64);
		rd[i].total = n * STRESS_SENDERS;
		assert_int_equal(pthread_create(&tr[i], NULL, stress_read, &rd[i]), 0);
	}
	for (i = 0; i < STRESS_SENDERS; i++) {
		snd[i] = (struct stress_sender){ open_enabled("hub:stress", 64), i, n };
		pfring_set_socket_mode(snd[i].ring, send_only_mode);
	}
	for (i = 0; i < STRESS_SENDERS; i++)
		assert_int_equal(pthread_create(&ts[i], NULL, stress_send, &snd[i]), 0);
	for (i = 0; i < STRESS_SENDERS; i++)
		pthread_join(ts[i], NULL);
	__atomic_store_n(&stress_senders_done, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < STRESS_READERS; i++) {
		pthread_join(tr[i], NULL);
		assert_int_equal(pfring_stats(rd[i].ring, &st), 0);
		assert_int_equal(st.recv + st.drop, n * STRESS_SENDERS);
		assert_int_equal(rd[i].error, 0);
		assert_int_equal(rd[i].got, st.recv);
		assert_int_equal(rd[i].bad, 0);
		assert_int_equal(rd[i].out_of_order, 0);
		pfring_close(rd[i].ring);
	}
	for (i = 0; i < STRESS_SENDERS; i++) {
		/* a sender's own ring got every frame too, unread: it holds the first
		 * ones and counts the rest as dropped */
		assert_int_equal(pfring_stats(snd[i].ring, &st), 0);
		assert_int_equal(st.recv + st.drop, n * STRESS_SENDERS);
		pfring_close(snd[i].ring);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_ring_gets_every_frame),
		cmocka_unit_test(test_caplen_cuts),
		cmocka_unit_test(test_full_ring_drops_and_counts),
		cmocka_unit_test(test_blocked_reader_woken),
		cmocka_unit_test(test_unsupported_and_bad_names),
		cmocka_unit_test(test_threads_account_for_every_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
