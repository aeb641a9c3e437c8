/*
 * tests/unit/test_zc_slave.c - the dnacluster: backend (backends/zero/slave*.c),
 * a DNA Cluster slave, against a master played by the test itself with the
 * pool's calls (zc_pool_create, alloc, fanout, collect, tx_take, spare_fill,
 * reap): names and their errors; pfring_recv zero-copy and copied, with the
 * header's fields; the spec's 9.3.1 (buffers put aside, released later, out of
 * order, with holes) and 9.3.2 (received, then sent with set/add ifindex)
 * snippets; pfring_send; stats against the master's drop counter; a slave
 * process killed mid-recv; a master gone under a blocked recv (a thread that
 * closes the pool, a process killed); pfring_breakloop; close with handles
 * alive. Every test ends with the pool's free count exact.
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
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <pfring.h>
#include "backends/zero/zc_pool.h"
#include "stderr_capture.h"
#include "api_calls.h"

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

static uint32_t cluster_id(uint32_t k)
{
	return (uint32_t)getpid() * 16 + k;
}

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
	return p;
}

static pfring *slave_open(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static pfring *slave_open(const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	pfring *ring = pfring_open(name, 1536, 0);

	if (ring == NULL)
		fail_msg("pfring_open(%s): errno %d", name, errno);
	assert_int_equal(pfring_enable_ring(ring), 0);
	return ring;
}

/* pfring_open(name) fails with errno err and exactly the message msg. */
static void open_fails(const char *name, int err, const char *msg)
{
	char out[1024];

	capture_begin();
	errno = 0;
	pfring *ring = pfring_open(name, 1536, 0);
	int e = errno;

	capture_end(out, sizeof(out));
	assert_null(ring);
	assert_int_equal(e, err);
	assert_string_equal(out, msg);
}

/* The master receives a frame: seq's bytes, len, ingress ifindex, hash and
 * timestamp set, given to the slaves of mask. Returns the buffer's handle. */
static uint32_t master_rx(struct zc_pool *m, uint32_t mask, uint32_t seq, uint32_t len)
{
	uint32_t h;

	assert_int_equal(zc_pool_alloc(m, &h, 1), 1);
	struct zc_buf *b = zc_pool_buf(m, h);
	uint8_t *d = zc_pool_data(m, h);

	for (uint32_t i = 0; i < len; i++)
		d[i] = (uint8_t)(seq * 7 + i);
	b->len = len;
	b->ifindex = 10 + seq % 3;
	b->hash = 0xabc00000u + seq;
	b->ts_ns = 1700000000123456789ull + seq;
	assert_int_equal(zc_pool_fanout(m, h, mask), mask);
	return h;
}

static void expect_frame(const u_char *p, const struct pfring_pkthdr *hdr, uint32_t seq,
			 uint32_t len, uint32_t caplen)
{
	uint64_t ns = 1700000000123456789ull + seq;

	assert_int_equal(hdr->len, len);
	assert_int_equal(hdr->caplen, caplen);
	for (uint32_t i = 0; i < caplen; i++)
		if (p[i] != (uint8_t)(seq * 7 + i))
			fail_msg("frame %u byte %u: %u", seq, i, p[i]);
	assert_int_equal(hdr->ts.tv_sec, (time_t)(ns / 1000000000ull));
	assert_int_equal(hdr->ts.tv_usec, (suseconds_t)(ns % 1000000000ull / 1000));
	assert_int_equal(hdr->extended_hdr.timestamp_ns, ns);
	assert_int_equal(hdr->extended_hdr.if_index, 10 + seq % 3);
	assert_int_equal(hdr->extended_hdr.pkt_hash, 0xabc00000u + seq);
	assert_int_equal(hdr->extended_hdr.rx_direction, 1);
}

/* Collects the releases, reaps the slaves gone; the free count must be want. */
static void master_settles(struct zc_pool *m, uint32_t want)
{
	zc_pool_collect(m);
	assert_int_equal(zc_pool_free_count(m), want);
	assert_int_equal(zc_pool_bad_handles(m), 0);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ names */

struct reaper {
	struct zc_pool *m;
	uint32_t reaped;
};

/* The master's reap, 20 ms late (the only master call meanwhile). */
static void *reap_after_20ms(void *arg)
{
	struct reaper *rp = arg;

	sleep_ms(20);
	rp->reaped = zc_pool_reap(rp->m, NULL);
	return NULL;
}

static void test_names(void **state)
{
	(void)state;
	uint32_t id = cluster_id(0);
	char name[64], msg[512];

	open_fails("dnacluster:ten", EINVAL,
		   "pfring_open(\"dnacluster:ten\"): a DNA Cluster slave is dnacluster:ID@N (slave "
		   "N of cluster ID) or dnacluster:ID (its first free slave), ID and N decimal; no "
		   "list and no \"?options\"\n");
	open_fails("dnacluster:10@0-1", EINVAL,
		   "pfring_open(\"dnacluster:10@0-1\"): a DNA Cluster slave is dnacluster:ID@N "
		   "(slave N of cluster ID) or dnacluster:ID (its first free slave), ID and N "
		   "decimal; no list and no \"?options\"\n");
	open_fails("dnacluster:10@0?x=1", EINVAL,
		   "pfring_open(\"dnacluster:10@0?x=1\"): a DNA Cluster slave is dnacluster:ID@N "
		   "(slave N of cluster ID) or dnacluster:ID (its first free slave), ID and N "
		   "decimal; no list and no \"?options\"\n");
	open_fails("dnacluster:4294967296@0", EINVAL,
		   "pfring_open(\"dnacluster:4294967296@0\"): a DNA Cluster slave is "
		   "dnacluster:ID@N (slave N of cluster ID) or dnacluster:ID (its first free "
		   "slave), ID and N decimal; no list and no \"?options\"\n");
	snprintf(name, sizeof(name), "dnacluster:%u@0", id);
	snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): no DNA cluster %u: is its master "
		 "running?\n", name, id);
	open_fails(name, ENOENT, msg);

	struct zc_pool *m = pool_new(id, 16, 2, 8);

	snprintf(name, sizeof(name), "dnacluster:%u@2", id);
	snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): slave id 2 out of range: DNA cluster "
		 "%u has 2 slaves (0 to 1)\n", name, id);
	open_fails(name, EINVAL, msg);
	pfring *s1 = slave_open("dnacluster:%u@1", id);

	assert_int_equal(pfring_get_ring_id(s1), 1);
	snprintf(name, sizeof(name), "dnacluster:%u@1", id);
	snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): slave 1 of DNA cluster %u is busy "
		 "(another slave has it, or its last one was not reaped by the master within "
		 "200 ms)\n", name, id);
	open_fails(name, EBUSY, msg);
	/* the first free slot: 0, then none */
	pfring *s0 = slave_open("dnacluster:%u", id);

	assert_int_equal(pfring_get_ring_id(s0), 0);
	assert_true(zc_pool_slave_attached(m, 0) && zc_pool_slave_attached(m, 1));
	snprintf(name, sizeof(name), "dnacluster:%u", id);
	snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): the 2 slaves of DNA cluster %u are all "
		 "busy\n", name, id);
	open_fails(name, EBUSY, msg);
	/* closed and reaped, slot 0 is the first free one again */
	pfring_close(s0);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	s0 = slave_open("dnacluster:%u", id);
	assert_int_equal(pfring_get_ring_id(s0), 0);
	/* slave 1 closed and reopened at once: the open waits for the master's reap */
	pfring_close(s1);
	pthread_t t;
	struct reaper rp = { m, 0 };

	assert_int_equal(pthread_create(&t, NULL, reap_after_20ms, &rp), 0);
	uint64_t t0 = now_ms();

	s1 = slave_open("dnacluster:%u@1", id);
	assert_true(now_ms() - t0 >= 15);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(rp.reaped, 1);
	pfring_close(s0);
	pfring_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	master_settles(m, 16);
	zc_pool_close(m);
	/* the pool gone with its master: no such cluster again */
	snprintf(name, sizeof(name), "dnacluster:%u@0", id);
	snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): no DNA cluster %u: is its master "
		 "running?\n", name, id);
	open_fails(name, ENOENT, msg);
}

/* ------------------------------------------------------------ pfring_recv */

static void test_recv_zero_copy_and_copy(void **state)
{
	(void)state;
	uint32_t id = cluster_id(1);
	struct zc_pool *m = pool_new(id, 16, 2, 16);
	pfring *s = slave_open("dnacluster:%u@1", id);
	struct pfring_pkthdr hdr;
	u_char *p, copy[2048], *cp = copy;

	assert_int_equal(pfring_recv(s, &p, 0, &hdr, 0), 0);
	uint32_t h0 = master_rx(m, 0x2, 0, 60);

	assert_int_equal(zc_pool_free_count(m), 15);
	/* zero copy: a pointer into the pool buffer itself */
	assert_int_equal(pfring_recv(s, &p, 0, &hdr, 0), 1);
	expect_frame(p, &hdr, 0, 60, 60);
	p[59] = 0xee;
	assert_int_equal(zc_pool_data(m, h0)[59], 0xee);
	/* lent until the next recv: still the slave's, even once the ring pushed
	 * its releases (a poll that finds nothing does) */
	assert_int_equal(pfring_poll(s, 0), 0);
	master_settles(m, 15);
	master_rx(m, 0x2, 1, 1514);
	master_rx(m, 0x2, 2, 300);
	assert_int_equal(pfring_recv(s, &p, 0, &hdr, 0), 1);  /* frame 0 given back */
	expect_frame(p, &hdr, 1, 1514, 1514);
	/* copied, cut at buffer_len: the buffer goes back at once */
	assert_int_equal(pfring_recv(s, &cp, 100, &hdr, 0), 1);
	expect_frame(copy, &hdr, 2, 300, 100);
	assert_int_equal(pfring_recv(s, &p, 0, &hdr, 0), 0);  /* idle: releases pushed */
	master_settles(m, 16);
	pfring_stat st;

	assert_int_equal(pfring_stats(s, &st), 0);
	assert_int_equal(st.recv, 3);
	assert_int_equal(st.drop, 0);
	pfring_close(s);

	/* the ring's caplen cuts a zero-copy frame's caplen, not its len */
	char name[64];

	snprintf(name, sizeof(name), "dnacluster:%u@0", id);
	s = pfring_open(name, 64, 0);
	assert_non_null(s);
	assert_int_equal(pfring_enable_ring(s), 0);
	master_rx(m, 0x1, 5, 200);
	assert_int_equal(pfring_is_pkt_available(s), 1);
	assert_int_equal(pfring_poll(s, 0), 1);
	assert_int_equal(pfring_recv(s, &p, 0, &hdr, 1), 1);
	expect_frame(p, &hdr, 5, 200, 64);
	assert_int_equal(pfring_is_pkt_available(s), 0);
	assert_int_equal(pfring_poll(s, 10), 0);
	pfring_close(s);  /* the lent buffer goes back at close */
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	master_settles(m, 16);
	zc_pool_close(m);
}

/* No timestamp from the master (ts_ns 0): 0 in the header, or the time of the
 * receive with PF_RING_TIMESTAMP. */
static void test_timestamps(void **state)
{
	(void)state;
	uint32_t id = cluster_id(13), h;
	struct zc_pool *m = pool_new(id, 8, 2, 8);
	char name[64];
	struct pfring_pkthdr hdr;
	u_char *p;

	snprintf(name, sizeof(name), "dnacluster:%u@1", id);
	pfring *plain = slave_open("dnacluster:%u@0", id), *timed = pfring_open(name, 1536,
									       PF_RING_TIMESTAMP);

	assert_non_null(timed);
	assert_int_equal(pfring_enable_ring(timed), 0);
	assert_int_equal(zc_pool_alloc(m, &h, 1), 1);
	zc_pool_buf(m, h)->len = 60;
	assert_int_equal(zc_pool_fanout(m, h, 0x3), 0x3);
	assert_int_equal(pfring_recv(plain, &p, 0, &hdr, 0), 1);
	assert_int_equal(hdr.ts.tv_sec, 0);
	assert_int_equal(hdr.ts.tv_usec, 0);
	assert_int_equal(hdr.extended_hdr.timestamp_ns, 0);
	struct timespec before, after;

	clock_gettime(CLOCK_REALTIME, &before);
	assert_int_equal(pfring_recv(timed, &p, 0, &hdr, 0), 1);
	clock_gettime(CLOCK_REALTIME, &after);
	uint64_t ns = hdr.extended_hdr.timestamp_ns;

	assert_true(ns >= (uint64_t)before.tv_sec * 1000000000ull + (uint64_t)before.tv_nsec);
	assert_true(ns <= (uint64_t)after.tv_sec * 1000000000ull + (uint64_t)after.tv_nsec);
	assert_int_equal(hdr.ts.tv_sec, (time_t)(ns / 1000000000ull));
	assert_int_equal(hdr.ts.tv_usec, (suseconds_t)(ns % 1000000000ull / 1000));
	pfring_close(plain);
	pfring_close(timed);
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	master_settles(m, 8);
	zc_pool_close(m);
}

/* A batch of 32 taken from the rx queue, the rest left queued: all come back at close. */
static void test_close_gives_everything_back(void **state)
{
	(void)state;
	uint32_t id = cluster_id(2);
	struct zc_pool *m = pool_new(id, 128, 1, 64);
	pfring *s = slave_open("dnacluster:%u@0", id);
	struct pfring_pkthdr hdr;
	pfring_pkt_buff *kept[5];
	u_char *p;

	for (uint32_t i = 0; i < 50; i++)
		master_rx(m, 0x1, i, 64);
	assert_int_equal(zc_pool_spare_fill(m, 0, 3), 3);
	assert_int_equal(pfring_recv(s, &p, 0, &hdr, 0), 1);  /* lent; 31 in the batch */
	expect_frame(p, &hdr, 0, 64, 64);
	for (int i = 0; i < 5; i++) {
		kept[i] = pfring_alloc_pkt_buff(s);  /* 3 hold a spare, 2 are empty */
		assert_non_null(kept[i]);
	}
	assert_int_equal(pfring_recv_pkt_buff(s, kept[3], &hdr, 0), 1);
	expect_frame(pfring_get_pkt_buff_data(s, kept[3]), &hdr, 1, 64, 64);
	assert_int_equal(pfring_send(s, (char *)"0123456789abcdef", 16, 0),
			 PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);  /* the spares are the handles' */
	master_settles(m, 128 - 50 - 3);
	pfring_close(s);
	/* before any reap: every buffer came back by the release queue */
	master_settles(m, 128);
	uint32_t reclaimed = 99;

	assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
	assert_int_equal(reclaimed, 0);
	zc_pool_close(m);
}

/* ------------------------------------------------------------ 9.3.1 */

/* The guide's snippet: a handle per packet, put aside, released later out of
 * order; handles that received nothing (holes) released too. */
static void test_snippet_931_put_aside(void **state)
{
	(void)state;
	enum { N = 64, K = 20 };
	uint32_t id = cluster_id(3);
	struct zc_pool *m = pool_new(id, N, 1, 32);
	pfring *ring = slave_open("dnacluster:%u@0", id);
	pfring_pkt_buff *aside[K + 4];
	uint32_t seq_of[K + 4], n = 0, got = 0;
	unsigned int seed = 931;
	struct pfring_pkthdr hdr;
	char out[2048];

	for (uint32_t i = 0; i < K; i++)
		master_rx(m, 0x1, i, 100 + i);
	for (int i = 0; i < K + 4; i++) {
		pfring_pkt_buff *pkt_handle = pfring_alloc_pkt_buff(ring);

		assert_non_null(pkt_handle);
		int rc = pfring_recv_pkt_buff(ring, pkt_handle, &hdr, 0);

		assert_int_equal(rc, i < K ? 1 : 0);
		if (rc > 0) {
			expect_frame(pfring_get_pkt_buff_data(ring, pkt_handle), &hdr, got, 100 + got,
				     100 + got);
			seq_of[n] = got++;
		} else {
			seq_of[n] = UINT32_MAX;  /* a hole: nothing in it */
			assert_null(pfring_get_pkt_buff_data(ring, pkt_handle));
			assert_int_equal(errno, ENOBUFS);
		}
		aside[n++] = pkt_handle;  /* enqueue_packet() */
	}
	master_settles(m, N - K);
	/* dequeue in random order: every other one now, the rest later */
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)rand_r(&seed) % i;
		pfring_pkt_buff *t = aside[i - 1];
		uint32_t ts = seq_of[i - 1];

		aside[i - 1] = aside[j];
		seq_of[i - 1] = seq_of[j];
		aside[j] = t;
		seq_of[j] = ts;
	}
	uint32_t released = 0;

	for (uint32_t i = 0; i < n; i += 2) {
		if (seq_of[i] != UINT32_MAX) {
			u_char *buffer = pfring_get_pkt_buff_data(ring, aside[i]);

			assert_int_equal(buffer[0], (uint8_t)(seq_of[i] * 7));
			released++;
		}
		pfring_release_pkt_buff(ring, aside[i]);
	}
	/* a released handle is no handle */
	capture_begin();
	errno = 0;
	pfring_release_pkt_buff(ring, aside[0]);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_recv_pkt_buff(ring, aside[0], &hdr, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_int_equal(pfring_recv(ring, (u_char **)&hdr, 0, &hdr, 0), 0);  /* idle: pushed */
	master_settles(m, N - K + released);
	for (uint32_t i = 1; i < n; i += 2)
		pfring_release_pkt_buff(ring, aside[i]);
	assert_int_equal(pfring_recv(ring, (u_char **)&hdr, 0, &hdr, 0), 0);
	master_settles(m, N);
	pfring_stat st;

	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(st.recv, K);
	pfring_close(ring);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	master_settles(m, N);
	zc_pool_close(m);
}

/* ------------------------------------------------------------ 9.3.2, send */

static void test_snippet_932_send_pkt_buff(void **state)
{
	(void)state;
	uint32_t id = cluster_id(4), h[4];
	struct zc_pool *m = pool_new(id, 32, 2, 16);
	pfring *ring = slave_open("dnacluster:%u@1", id);
	struct pfring_pkthdr hdr;
	pfring_pkt_buff *pkt_handle = pfring_alloc_pkt_buff(ring);
	char out[2048];

	assert_non_null(pkt_handle);
	master_rx(m, 0x2, 1, 90);   /* ingress ifindex 11 */
	master_rx(m, 0x2, 2, 120);  /* ingress ifindex 12 */
	/* forward_packet_to_another_interface: ifindex 3, and out of 4 and 5 too */
	assert_int_equal(pfring_recv_pkt_buff(ring, pkt_handle, &hdr, 1), 1);
	assert_int_equal(pfring_set_pkt_buff_ifindex(ring, pkt_handle, 7), 0);
	assert_int_equal(pfring_add_pkt_buff_ifindex(ring, pkt_handle, 9), 0);
	assert_int_equal(pfring_set_pkt_buff_ifindex(ring, pkt_handle, 3), 0);  /* clears 9 */
	assert_int_equal(pfring_add_pkt_buff_ifindex(ring, pkt_handle, 4), 0);
	assert_int_equal(pfring_add_pkt_buff_ifindex(ring, pkt_handle, 5), 0);
	assert_int_equal(pfring_send_pkt_buff(ring, pkt_handle, 0), 90);
	assert_int_equal(zc_pool_tx_take(m, 1, h, 4), 1);
	struct zc_buf *b = zc_pool_buf(m, h[0]);

	assert_int_equal(b->len, 90);
	assert_int_equal(b->ifindex, 3);
	assert_int_equal(b->num_extra_egress, 2);
	assert_int_equal(b->extra_egress[0], 4);
	assert_int_equal(b->extra_egress[1], 5);
	assert_int_equal(zc_pool_data(m, h[0])[89], (uint8_t)(7 + 89));
	assert_int_equal(zc_pool_put(m, h[0]), 0);
	/* the handle was reset: empty, nothing to send */
	capture_begin();
	assert_int_equal(pfring_send_pkt_buff(ring, pkt_handle, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	/* bounce on the rx interface (already set), a shorter length */
	assert_int_equal(pfring_recv_pkt_buff(ring, pkt_handle, &hdr, 1), 1);
	assert_int_equal(pfring_set_pkt_buff_len(ring, pkt_handle, 64), 0);
	assert_int_equal(pfring_send_pkt_buff(ring, pkt_handle, 1), 64);
	assert_int_equal(zc_pool_tx_take(m, 1, h, 4), 1);
	b = zc_pool_buf(m, h[0]);
	assert_int_equal(b->len, 64);
	assert_int_equal(b->ifindex, 12);
	assert_int_equal(b->num_extra_egress, 0);
	assert_int_equal(zc_pool_put(m, h[0]), 0);
	master_settles(m, 32);

	/* the limits: ZC_MAX_EXTRA_EGRESS extra ports, ZC_BUF_DATA bytes, ifindex >= 0 */
	assert_int_equal(zc_pool_spare_fill(m, 1, 1), 1);
	capture_begin();
	for (uint32_t i = 0; i < ZC_MAX_EXTRA_EGRESS; i++)
		assert_int_equal(pfring_add_pkt_buff_ifindex(ring, pkt_handle, (int)i + 20), 0);
	assert_int_equal(pfring_add_pkt_buff_ifindex(ring, pkt_handle, 99),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_set_pkt_buff_len(ring, pkt_handle, ZC_BUF_DATA + 1),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(pfring_set_pkt_buff_ifindex(ring, pkt_handle, -1),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "goes out of 8 more interfaces at most"));
	/* a spare-filled handle of ZC_BUF_DATA bytes goes */
	assert_int_equal(pfring_set_pkt_buff_len(ring, pkt_handle, ZC_BUF_DATA), 0);
	memset(pfring_get_pkt_buff_data(ring, pkt_handle), 0x5a, ZC_BUF_DATA);
	assert_int_equal(pfring_send_pkt_buff(ring, pkt_handle, 0), (int)ZC_BUF_DATA);
	assert_int_equal(zc_pool_tx_take(m, 1, h, 4), 1);
	assert_int_equal(zc_pool_buf(m, h[0])->num_extra_egress, ZC_MAX_EXTRA_EGRESS);
	assert_int_equal(zc_pool_buf(m, h[0])->extra_egress[7], 27);
	assert_int_equal(zc_pool_data(m, h[0])[ZC_BUF_DATA - 1], 0x5a);
	assert_int_equal(zc_pool_put(m, h[0]), 0);
	/* no spare left: an empty handle cannot take a length */
	assert_int_equal(pfring_set_pkt_buff_len(ring, pkt_handle, 60),
			 PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	pfring_release_pkt_buff(ring, pkt_handle);
	pfring_close(ring);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	master_settles(m, 32);
	zc_pool_close(m);
}

static void test_send_copies_into_spare(void **state)
{
	(void)state;
	uint32_t id = cluster_id(5), h[4];
	struct zc_pool *m = pool_new(id, 8, 1, 4);
	pfring *ring = slave_open("dnacluster:%u@0", id);
	char frame[100], big[ZC_BUF_DATA + 1], out[1024];

	for (int i = 0; i < 100; i++)
		frame[i] = (char)(i * 3);
	memset(big, 1, sizeof(big));
	assert_int_equal(pfring_send(ring, frame, 100, 0), PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(zc_pool_spare_fill(m, 0, 2), 2);
	assert_int_equal(pfring_send(ring, frame, 100, 0), 100);
	assert_int_equal(pfring_send(ring, frame, 60, 1), 60);
	assert_int_equal(pfring_send(ring, frame, 60, 1), PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	capture_begin();
	assert_int_equal(pfring_send(ring, big, sizeof(big), 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EMSGSIZE);
	capture_end(out, sizeof(out));
	assert_int_equal(zc_pool_tx_take(m, 0, h, 4), 2);
	assert_int_equal(zc_pool_buf(m, h[0])->len, 100);
	assert_int_equal(zc_pool_buf(m, h[1])->len, 60);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(zc_pool_buf(m, h[k])->ifindex, 0);
		assert_int_equal(zc_pool_buf(m, h[k])->num_extra_egress, 0);
		assert_memory_equal(zc_pool_data(m, h[k]), frame, k ? 60 : 100);
		assert_int_equal(zc_pool_put(m, h[k]), 0);
	}
	master_settles(m, 8);
	/* the tx queue full (4 slots): the spare is kept for the next send */
	assert_int_equal(zc_pool_spare_fill(m, 0, 4), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pfring_send(ring, frame, 64, 0), 64);
	assert_int_equal(zc_pool_spare_fill(m, 0, 1), 1);
	assert_int_equal(pfring_send(ring, frame, 64, 0), PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_int_equal(zc_pool_tx_take(m, 0, h, 4), 4);
	for (int k = 0; k < 4; k++)
		assert_int_equal(zc_pool_put(m, h[k]), 0);
	assert_int_equal(pfring_send(ring, frame, 64, 0), 64);
	assert_int_equal(zc_pool_tx_take(m, 0, h, 4), 1);
	assert_int_equal(zc_pool_put(m, h[0]), 0);
	master_settles(m, 8);
	pfring_close(ring);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	master_settles(m, 8);
	zc_pool_close(m);
}

/* ------------------------------------------------------------ stats */

static void test_stats_drops_are_the_masters(void **state)
{
	(void)state;
	uint32_t id = cluster_id(6), h;
	struct zc_pool *m = pool_new(id, 64, 2, 4);
	pfring *s0 = slave_open("dnacluster:%u@0", id), *s1 = slave_open("dnacluster:%u@1", id);
	struct pfring_pkthdr hdr;
	u_char *p;
	pfring_stat st;

	/* 10 to both; slave 1 reads as they come, slave 0's queue (4) fills */
	for (uint32_t i = 0; i < 10; i++) {
		assert_int_equal(zc_pool_alloc(m, &h, 1), 1);
		zc_pool_buf(m, h)->len = 60;
		zc_pool_fanout(m, h, 0x3);
		assert_int_equal(pfring_recv(s1, &p, 0, &hdr, 0), 1);
	}
	assert_int_equal(zc_pool_rx_drops(m, 0), 6);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pfring_recv(s0, &p, 0, &hdr, 0), 1);
	assert_int_equal(pfring_recv(s0, &p, 0, &hdr, 0), 0);
	assert_int_equal(pfring_stats(s0, &st), 0);
	assert_int_equal(st.recv, 4);
	assert_int_equal(st.drop, zc_pool_rx_drops(m, 0));
	assert_int_equal(st.recv + st.drop, 10);  /* offered = recv + drop */
	assert_int_equal(pfring_stats(s1, &st), 0);
	assert_int_equal(st.recv, 10);
	assert_int_equal(st.drop, 0);
	pfring_close(s0);
	pfring_close(s1);
	assert_int_equal(zc_pool_reap(m, NULL), 2);
	master_settles(m, 64);
	zc_pool_close(m);
}

/* ------------------------------------------------------------ processes */

static void send_byte(int fd, char c)
{
	assert_int_equal(write(fd, &c, 1), 1);
}

static char read_byte(int fd)
{
	char c = 0;

	return read(fd, &c, 1) == 1 ? c : 0;
}

/* A slave process: receives blocking, keeps some handles aside, sends some,
 * until killed. */
static void busy_slave(uint32_t id, int up, unsigned int seed)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	char name[64];
	pfring_pkt_buff *kept[16];
	uint32_t nk = 0;
	struct pfring_pkthdr hdr;
	u_char *p;

	snprintf(name, sizeof(name), "dnacluster:%u@1", id);
	pfring *ring = pfring_open(name, 1536, 0);

	if (ring == NULL || pfring_enable_ring(ring) != 0)
		_exit(2);
	send_byte(up, 'a');
	for (;;) {
		if (rand_r(&seed) % 2) {
			if (pfring_recv(ring, &p, 0, &hdr, 1) < 0)
				_exit(3);
			continue;
		}
		if (nk == 16) {
			uint32_t i = (uint32_t)rand_r(&seed) % nk;

			pfring_release_pkt_buff(ring, kept[i]);
			kept[i] = kept[--nk];
		}
		kept[nk] = pfring_alloc_pkt_buff(ring);
		if (kept[nk] == NULL)
			_exit(4);
		if (pfring_recv_pkt_buff(ring, kept[nk], &hdr, 1) > 0 && rand_r(&seed) % 4 == 0)
			pfring_send_pkt_buff(ring, kept[nk], 0);
		nk++;
	}
}

/* A slave process killed mid-recv (blocked, or busy): the master reaps it
 * and every buffer is free again; slave 0 of this process goes on. */
static void test_slave_process_killed(void **state)
{
	(void)state;
	uint32_t id = cluster_id(7);
	int runs = quick() ? 3 : 12;
	unsigned int seed = 1407;
	uint32_t reclaimed_all = 0;

	for (int run = 0; run < runs; run++) {
		struct zc_pool *m = pool_new(id, 256, 2, 64);
		pfring *s0 = slave_open("dnacluster:%u@0", id);
		int up[2], status;
		struct pfring_pkthdr hdr;
		u_char *p;

		assert_int_equal(pipe(up), 0);
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0)
			busy_slave(id, up[1], seed + (unsigned int)run);
		assert_int_equal(read_byte(up[0]), 'a');
		uint32_t rounds = 50 + (uint32_t)rand_r(&seed) % 400, h[16];

		for (uint32_t r = 0; r < rounds; r++) {
			uint32_t n = zc_pool_alloc(m, h, 1 + (uint32_t)rand_r(&seed) % 16);

			for (uint32_t i = 0; i < n; i++) {
				zc_pool_buf(m, h[i])->len = 60;
				zc_pool_fanout(m, h[i], 1 + (uint32_t)rand_r(&seed) % 3);
			}
			while (pfring_recv(s0, &p, 0, &hdr, 0) > 0)
				;
			n = zc_pool_tx_take(m, 1, h, 16);
			for (uint32_t i = 0; i < n; i++)
				assert_int_equal(zc_pool_put(m, h[i]), 0);
			zc_pool_collect(m);
			if (r % 8 == 0)
				sleep_ms(1);  /* the child blocks in recv now and then */
		}
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		uint32_t reclaimed = 0;

		assert_int_equal(zc_pool_reap(m, &reclaimed), 1);
		reclaimed_all += reclaimed;
		while (pfring_recv(s0, &p, 0, &hdr, 0) > 0)
			;
		master_settles(m, 256);
		pfring_close(s0);
		assert_int_equal(zc_pool_reap(m, NULL), 1);
		master_settles(m, 256);
		close(up[0]);
		close(up[1]);
		zc_pool_close(m);
	}
	/* the child held buffers when killed (kept aside, lent, batched) */
	assert_true(reclaimed_all >= (uint32_t)runs);
}

/* ------------------------------------------------------------ threads */

struct stress_slave {
	uint32_t id, slave;
	unsigned int seed;
	_Atomic int phase;        /* 0 run, 1 drain (the master stopped), 2 closed */
	_Atomic int ready;
	uint64_t recv, drop, sent;
	int bad;
};

/* A slave thread at random: zero-copy and copied recv, handles kept aside and
 * released out of order, sends of received handles and of copies. When told
 * to drain, reads what is left, takes its stats, closes. */
static void *stress_slave_main(void *arg)
{
	struct stress_slave *st = arg;
	char name[64];
	pfring_pkt_buff *kept[8];
	uint32_t nk = 0;
	struct pfring_pkthdr hdr;
	u_char *p, copy[2048], *cp = copy;
	pfring_stat stat;

	snprintf(name, sizeof(name), "dnacluster:%u@%u", st->id, st->slave);
	pfring *ring = pfring_open(name, 1536, 0);

	if (ring == NULL || pfring_enable_ring(ring) != 0) {
		st->bad++;
		return NULL;
	}
	st->ready = 1;
	while (st->phase == 0) {
		uint32_t r = (uint32_t)rand_r(&st->seed) % 8;

		if (r < 3) {
			pfring_recv(ring, r == 0 ? &cp : &p, r == 0 ? sizeof(copy) : 0, &hdr, 0);
		} else if (r < 5) {
			if (nk == 8) {
				uint32_t i = (uint32_t)rand_r(&st->seed) % nk;

				pfring_release_pkt_buff(ring, kept[i]);
				kept[i] = kept[--nk];
			}
			kept[nk] = pfring_alloc_pkt_buff(ring);
			if (kept[nk] == NULL) {
				st->bad++;
				break;
			}
			if (pfring_recv_pkt_buff(ring, kept[nk], &hdr, 0) > 0 && r == 4) {
				pfring_set_pkt_buff_ifindex(ring, kept[nk], 2);
				if (pfring_send_pkt_buff(ring, kept[nk], 0) > 0)
					st->sent++;
			}
			nk++;
		} else if (r == 5) {
			if (pfring_send(ring, (char *)copy, 60, 0) == 60)
				st->sent++;
		} else {
			sched_yield();
		}
	}
	while (st->phase == 0 || pfring_recv(ring, &p, 0, &hdr, 0) > 0)
		;
	pfring_stats(ring, &stat);
	st->recv = stat.recv;
	st->drop = stat.drop;
	while (nk > 0)  /* some released, the others left to close */
		if (rand_r(&st->seed) % 2)
			pfring_release_pkt_buff(ring, kept[--nk]);
		else
			nk--;
	pfring_close(ring);
	st->phase = 2;
	return NULL;
}

/* The master's loop beside 2 slave threads: buffers fanned out at random,
 * spares topped up, sends taken. At the end, per slave, given = recv (it
 * drained its queue) and drop = the master's counter; its sends all reached
 * the master; every buffer is free. */
static void test_threads_random_interleaving(void **state)
{
	(void)state;
	enum { N = 512, S = 2 };
	uint32_t id = cluster_id(12), h[32], given[S] = { 0 }, tx[S] = { 0 };
	struct zc_pool *m = pool_new(id, N, S, 64);
	struct stress_slave st[S];
	pthread_t t[S];
	unsigned int seed = 4242;
	uint32_t want = quick() ? 2000 : 20000;
	uint64_t until = now_ms() + 20000;

	for (uint32_t k = 0; k < S; k++) {
		st[k] = (struct stress_slave){ .id = id, .slave = k, .seed = 77 + k };
		assert_int_equal(pthread_create(&t[k], NULL, stress_slave_main, &st[k]), 0);
		while (!st[k].ready && !st[k].bad)
			sched_yield();
	}
	/* until each slave was given want buffers (a slow slave drops some) */
	for (uint32_t r = 0; given[0] < want || given[1] < want; r++) {
		assert_true(now_ms() < until);
		uint32_t n = zc_pool_alloc(m, h, 1 + (uint32_t)rand_r(&seed) % 8);

		for (uint32_t i = 0; i < n; i++) {
			zc_pool_buf(m, h[i])->len = 60 + (uint32_t)rand_r(&seed) % 1000;
			uint32_t got = zc_pool_fanout(m, h[i], 1 + (uint32_t)rand_r(&seed) % 3);

			for (uint32_t k = 0; k < S; k++)
				given[k] += (got >> k) & 1;
		}
		for (uint32_t k = 0; k < S; k++) {
			zc_pool_spare_fill(m, k, 4);
			n = zc_pool_tx_take(m, k, h, 32);
			tx[k] += n;
			for (uint32_t i = 0; i < n; i++)
				assert_int_equal(zc_pool_put(m, h[i]), 0);
		}
		zc_pool_collect(m);
		if (r % 64 == 0)
			sched_yield();
	}
	for (uint32_t k = 0; k < S; k++)
		st[k].phase = 1;
	while (st[0].phase != 2 || st[1].phase != 2) {
		zc_pool_collect(m);
		for (uint32_t k = 0; k < S; k++) {
			uint32_t n = zc_pool_tx_take(m, k, h, 32);

			tx[k] += n;
			for (uint32_t i = 0; i < n; i++)
				assert_int_equal(zc_pool_put(m, h[i]), 0);
		}
		sched_yield();
	}
	for (uint32_t k = 0; k < S; k++) {
		assert_int_equal(pthread_join(t[k], NULL), 0);
		uint32_t n = zc_pool_tx_take(m, k, h, 32);

		tx[k] += n;
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(zc_pool_put(m, h[i]), 0);
		assert_int_equal(st[k].bad, 0);
		assert_true(given[k] >= want);
		assert_int_equal(st[k].recv, given[k]);
		assert_int_equal(st[k].drop, zc_pool_rx_drops(m, k));
		assert_int_equal(tx[k], st[k].sent);
	}
	zc_pool_collect(m);
	/* close gave back what its release queue took; the rest (the queue full
	 * at that moment) the reap takes: either way, nothing is lost */
	assert_int_equal(zc_pool_reap(m, NULL), S);
	master_settles(m, N);
	zc_pool_close(m);
}

/* ------------------------------------------------------------ blocked recv */

struct blocked {
	pfring *ring;
	int rc, err;
	uint64_t ms;
	u_char *p;
	pfring_pkt_buff *handle;   /* set: pfring_recv_pkt_buff into it */
};

static void *recv_blocking(void *arg)
{
	struct blocked *b = arg;
	struct pfring_pkthdr hdr;
	uint64_t t0 = now_ms();

	errno = 0;
	if (b->handle)
		b->rc = pfring_recv_pkt_buff(b->ring, b->handle, &hdr, 1);
	else
		b->rc = pfring_recv(b->ring, &b->p, 0, &hdr, 1);
	b->err = errno;
	b->ms = now_ms() - t0;
	return NULL;
}

/* Joins t, failing (not hanging) when it is still blocked after 3 s. */
static void join_within_3s(pthread_t t)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 3;
	if (pthread_timedjoin_np(t, NULL, &until) != 0)
		fail_msg("the blocked pfring_recv did not return within 3 s");
}

static void test_breakloop_ends_blocked_recv(void **state)
{
	(void)state;
	uint32_t id = cluster_id(8);
	struct zc_pool *m = pool_new(id, 8, 1, 8);
	struct blocked b = { .ring = slave_open("dnacluster:%u@0", id), .rc = 99 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, recv_blocking, &b), 0);
	sleep_ms(100);
	pfring_breakloop(b.ring);
	join_within_3s(t);
	assert_int_equal(b.rc, 0);
	assert_true(b.ms >= 90 && b.ms < 1000);
	/* a packet wakes the next one */
	assert_int_equal(pthread_create(&t, NULL, recv_blocking, &b), 0);
	sleep_ms(20);
	master_rx(m, 0x1, 4, 80);
	join_within_3s(t);
	assert_int_equal(b.rc, 1);
	assert_int_equal(b.p[0], (uint8_t)28);
	/* pfring_recv_pkt_buff blocks and breaks alike */
	b.handle = pfring_alloc_pkt_buff(b.ring);
	assert_non_null(b.handle);
	assert_int_equal(pthread_create(&t, NULL, recv_blocking, &b), 0);
	sleep_ms(50);
	pfring_breakloop(b.ring);
	join_within_3s(t);
	assert_int_equal(b.rc, 0);
	assert_true(b.ms >= 40 && b.ms < 1000);
	pfring_close(b.ring);  /* the handle goes with its ring */
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	master_settles(m, 8);
	zc_pool_close(m);
}

/* The master closes the pool under a blocked recv: what it queued first is
 * read, then the error, said once. */
static void test_master_closed_under_blocked_recv(void **state)
{
	(void)state;
	uint32_t id = cluster_id(9);
	struct zc_pool *m = pool_new(id, 8, 1, 8);
	struct blocked b = { .ring = slave_open("dnacluster:%u@0", id), .rc = 99 };
	struct pfring_pkthdr hdr;
	char out[1024], want[256];
	pthread_t t;
	u_char *p;

	master_rx(m, 0x1, 0, 60);
	master_rx(m, 0x1, 1, 61);
	assert_int_equal(pfring_recv(b.ring, &p, 0, &hdr, 1), 1);
	expect_frame(p, &hdr, 0, 60, 60);
	capture_begin();
	assert_int_equal(pthread_create(&t, NULL, recv_blocking, &b), 0);
	join_within_3s(t);
	assert_int_equal(b.rc, 1);  /* the second, queued */
	assert_int_equal(pthread_create(&t, NULL, recv_blocking, &b), 0);
	sleep_ms(50);
	zc_pool_close(m);
	join_within_3s(t);
	assert_int_equal(b.rc, PF_RING_ERROR_GENERIC);
	assert_int_equal(b.err, ENODEV);
	assert_true(b.ms >= 40 && b.ms < 1000);
	/* every later receive too, blocking or not; said once */
	assert_int_equal(pfring_recv(b.ring, &p, 0, &hdr, 1), PF_RING_ERROR_GENERIC);
	assert_int_equal(pfring_poll(b.ring, 100), PF_RING_ERROR_GENERIC);
	/* non-blocking: the master is asked every 64th empty receive */
	int rc = 0, calls = 0;

	while (rc == 0 && calls < 100) {
		rc = pfring_recv(b.ring, &p, 0, &hdr, 0);
		calls++;
	}
	assert_int_equal(rc, PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, ENODEV);
	assert_true(calls <= 64);
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "pfring_recv(dnacluster:%u@0): the master of DNA cluster "
		 "%u is gone: no more packets\n", id, id);
	assert_string_equal(out, want);
	pfring_close(b.ring);
}

/* The master's process is killed under a blocked recv (its pool left behind,
 * as after a crash); a new slave of that leftover is refused. */
static void test_master_process_killed(void **state)
{
	(void)state;
	uint32_t id = cluster_id(10);
	int up[2], status;
	char name[64], msg[256], out[1024];

	assert_int_equal(pipe(up), 0);
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct zc_pool_config cfg = { 8, 2, 8 };
		struct zc_pool *m;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (zc_pool_create(id, &cfg, &m) != 0)
			_exit(2);
		send_byte(up[1], 'm');
		for (;;)
			pause();
	}
	assert_int_equal(read_byte(up[0]), 'm');
	struct blocked b = { .ring = slave_open("dnacluster:%u@0", id), .rc = 99 };
	pthread_t t;

	capture_begin();
	assert_int_equal(pthread_create(&t, NULL, recv_blocking, &b), 0);
	sleep_ms(50);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	join_within_3s(t);
	capture_end(out, sizeof(out));
	assert_int_equal(b.rc, PF_RING_ERROR_GENERIC);
	assert_int_equal(b.err, ENODEV);
	assert_true(b.ms >= 40 && b.ms < 2000);
	pfring_close(b.ring);
	snprintf(name, sizeof(name), "dnacluster:%u@1", id);
	snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): the master of DNA cluster %u (pid %d) "
		 "is gone\n", name, id, (int)pid);
	open_fails(name, ENODEV, msg);
	close(up[0]);
	close(up[1]);
	unlink_names(NULL);
}

/* ------------------------------------------------------------ the api.md column */

/* docs/api.md's dnacluster column: the calls a slave answers NOT_SUPPORTED. */
#define NS_DNACLUSTER "set_master_id set_master send_parsed enable_hw_timestamp " \
	"next_pkt_time next_pkt_raw_timestamp get_num_queued_pkts remove_from_cluster " \
	"get_filtering_rule_stats purge_idle_rules get_hash_filtering_rule_stats " \
	"purge_idle_hash_rules remove_bpf_filter add_hw_rule remove_hw_rule set_filtering_mode " \
	"send_ifindex send_get_time send_last_rx_packet set_direction set_tx_watermark " \
	"set_channel_id get_bound_device_address get_bound_device_id get_bound_device_ifindex " \
	"enable_rss_rehash get_device_clock set_device_clock adjust_device_clock get_mtu_size " \
	"get_device_ifindex loopback_test set_channel_mask set_cluster set_reflector_device " \
	"set_sampling_rate add_filtering_rule remove_filtering_rule handle_hash_filtering_rule " \
	"set_bpf_filter toggle_filtering_policy"

static void test_api_column(void **state)
{
	(void)state;
	uint32_t id = cluster_id(11);
	struct zc_pool *m = pool_new(id, 8, 1, 8);
	char name[64];

	snprintf(name, sizeof(name), "dnacluster:%u@0", id);
	pfring *ring = pfring_open(name, 1536, PF_RING_LONG_HEADER);

	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	api_check_backend(ring, "dnacluster", NS_DNACLUSTER);
	pfring_close(ring);
	assert_int_equal(zc_pool_reap(m, NULL), 1);
	master_settles(m, 8);
	zc_pool_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_recv_zero_copy_and_copy),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_close_gives_everything_back),
		cmocka_unit_test(test_snippet_931_put_aside),
		cmocka_unit_test(test_snippet_932_send_pkt_buff),
		cmocka_unit_test(test_send_copies_into_spare),
		cmocka_unit_test(test_stats_drops_are_the_masters),
		cmocka_unit_test(test_slave_process_killed),
		cmocka_unit_test(test_threads_random_interleaving),
		cmocka_unit_test(test_breakloop_ends_blocked_recv),
		cmocka_unit_test(test_master_closed_under_blocked_recv),
		cmocka_unit_test(test_master_process_killed),
		cmocka_unit_test(test_api_column),
	};

	return cmocka_run_group_tests(tests, NULL, unlink_names);
}
