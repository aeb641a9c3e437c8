/*
 * tests/unit/test_api_over_recv.c - the front's calls that work through a
 * backend's receive side, run on every backend this machine opens (sim:, pfsim,
 * multi:, userspace:; kmod's in test_kmod_api.c): pfring_recv_parsed,
 * pfring_loop, the queue calls (pfring_poll, pfring_is_pkt_available,
 * pfring_get_num_queued_pkts, pfring_next_pkt_time), a blocked recv ended by
 * pfring_breakloop within the poll duration and by pfring_shutdown, and
 * enabling and disabling. The frames are known (api_sources.h), so every count
 * and byte is exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>
#include "api_sources.h"

#define WAIT_MS 20000   /* bound of every wait for frames */

/* Reads every frame of s (blocking, bounded) with pfring_recv_parsed and checks
 * each against the frame sent and against its own bytes: IPv4, protocol, ports. */
static void check_recv_parsed(enum src_kind kind, const char *name)
{
	struct pfring_pkthdr h;
	struct src s;
	u_char *p;
	unsigned int i;
	u_int16_t port;

	src_open(&s, kind, name, 0);
	assert_int_equal(pfring_set_poll_duration(s.ring, 50), 0);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	for (i = 0; i < s.frames; i++) {
		u_int64_t end = now_ms() + WAIT_MS;
		int rc;

		memset(&h, 0, sizeof(h));
		while ((rc = pfring_recv_parsed(s.ring, &p, 0, &h, 1, 4, 0, 1)) == 0)
			assert_true(now_ms() < end);
		assert_int_equal(rc, 1);
		src_assert_frame(&s, i, &h, p);
		assert_int_equal(h.extended_hdr.parsed_pkt.ip_version, 4);
		assert_int_equal(h.extended_hdr.parsed_pkt.l3_proto, p[23]);
		assert_int_equal(h.extended_hdr.parsed_pkt.offset.l4_offset, 34);
		memcpy(&port, p + 34, 2);
		assert_int_equal(h.extended_hdr.parsed_pkt.l4_src_port, ntohs(port));
		memcpy(&port, p + 36, 2);
		assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, ntohs(port));
		assert_int_not_equal(h.extended_hdr.pkt_hash, 0);
	}
	assert_int_equal(pfring_recv_parsed(s.ring, &p, 0, &h, 0, 4, 0, 1), 0);
	src_close(&s);
}

static void test_recv_parsed(void **state)
{
	(void)state;
	alarm(120);
	check_recv_parsed(SRC_SIM, "rp");
	check_recv_parsed(SRC_PFSIM, "rps");
	check_recv_parsed(SRC_MULTI, "rpm");
	check_recv_parsed(SRC_USERSPACE, "801");
}

/* ------------------------------------------------------------------ loop */

static struct src *loop_src;
static unsigned int loop_seen;

static void loop_cb(const struct pfring_pkthdr *h, const u_char *p, const u_char *user)
{
	(void)user;
	src_assert_frame(loop_src, loop_seen, h, p);
	if (++loop_seen == loop_src->frames)
		pfring_breakloop(loop_src->ring);
}

/* pfring_loop hands every frame once, in order, and returns 0 after the
 * callback's pfring_breakloop. */
static void check_loop(enum src_kind kind, const char *name)
{
	struct src s;

	src_open(&s, kind, name, 0);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	loop_src = &s;
	loop_seen = 0;
	assert_int_equal(pfring_loop(s.ring, loop_cb, NULL, 1), 0);
	assert_int_equal(loop_seen, s.frames);
	src_close(&s);
}

static void test_loop(void **state)
{
	(void)state;
	alarm(120);
	check_loop(SRC_SIM, "lp");
	check_loop(SRC_PFSIM, "lps");
	check_loop(SRC_MULTI, "lpm");
	check_loop(SRC_USERSPACE, "802");
}

/* ---------------------------------------------------------- queue calls */

/*
 * The selectable fd is readable once frames come (poll(2)); pfring_poll until
 * the ring holds `queued` frames, then is_pkt_available 1,
 * next_pkt_time that of the first frame (where the backend tells it), every
 * frame read, then nothing queued, nothing available, poll times out, and the
 * stats count the frames. multi: its poll asks the members in order and stops
 * at the first with frames, so only the first member's wire has moved.
 */
static void check_queue_calls(enum src_kind kind, const char *name, u_int32_t queued)
{
	struct pfring_pkthdr h;
	struct pollfd fd = { .events = POLLIN };
	struct timespec ts;
	pfring_stat st;
	struct src s;
	u_int64_t end = now_ms() + WAIT_MS;
	u_char *p;
	unsigned int i;

	src_open(&s, kind, name, 0);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	fd.fd = pfring_get_selectable_fd(s.ring);
	assert_true(fd.fd >= 0);
	if (poll(&fd, 1, WAIT_MS) != 1)
		fail_msg("%s: the selectable fd never became readable", src_kind_name[kind]);
	while (pfring_get_num_queued_pkts(s.ring) < queued) {
		assert_true(now_ms() < end);
		assert_true(pfring_poll(s.ring, 100) >= 0);
	}
	assert_int_equal(pfring_poll(s.ring, 0), 1);
	assert_int_equal(pfring_get_num_queued_pkts(s.ring), queued);
	assert_int_equal(pfring_is_pkt_available(s.ring), 1);
	if (kind == SRC_SIM || kind == SRC_USERSPACE)
		assert_int_equal(pfring_next_pkt_time(s.ring, &ts), 0);
	for (i = 0; i < s.frames; i++) {
		assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 1), 1);
		src_assert_frame(&s, i, &h, p);
		if (i == 0 && (kind == SRC_SIM || kind == SRC_USERSPACE)) {
			assert_int_equal(ts.tv_sec, h.ts.tv_sec);
			assert_int_equal(ts.tv_nsec / 1000, h.ts.tv_usec);
		}
	}
	if (kind == SRC_SIM)
		assert_int_equal(ts.tv_sec, 1700000000);        /* the capture's time */
	assert_int_equal(pfring_get_num_queued_pkts(s.ring), 0);
	assert_int_equal(pfring_is_pkt_available(s.ring), 0);
	assert_int_equal(pfring_poll(s.ring, 10), 0);
	if (kind == SRC_SIM || kind == SRC_USERSPACE)
		assert_int_equal(pfring_next_pkt_time(s.ring, &ts), PF_RING_ERROR_NO_PKT_AVAILABLE);
	assert_int_equal(pfring_stats(s.ring, &st), 0);
	assert_int_equal(st.recv, s.frames);
	assert_int_equal(st.drop, 0);
	src_close(&s);
}

static void test_queue_calls(void **state)
{
	(void)state;
	alarm(120);
	check_queue_calls(SRC_SIM, "qc", 5);
	check_queue_calls(SRC_PFSIM, "qcs", 5);
	check_queue_calls(SRC_MULTI, "qcm", 5);
	check_queue_calls(SRC_USERSPACE, "803", 5);
}

/* ----------------------------------------------- breakloop and shutdown */

static pfring *stop_ring;
static int stop_by_shutdown;

static void *stop_later(void *arg)
{
	(void)arg;
	usleep(30 * 1000);
	if (stop_by_shutdown)
		pfring_shutdown(stop_ring);
	else
		pfring_breakloop(stop_ring);
	return NULL;
}

/* A recv blocked on the drained ring returns 0 once another thread calls
 * pfring_breakloop (within the 10 ms poll duration: the default 500 ms would
 * fail the bound) or pfring_shutdown (then recv is refused). */
static void check_stop(enum src_kind kind, const char *name, int by_shutdown)
{
	struct pfring_pkthdr h;
	struct src s;
	pthread_t t;
	u_char *p;
	u_int64_t t0;
	unsigned int i;

	src_open(&s, kind, name, 0);
	assert_int_equal(pfring_set_poll_duration(s.ring, 10), 0);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	for (i = 0; i < s.frames; i++)
		assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 1), 1);
	stop_ring = s.ring;
	stop_by_shutdown = by_shutdown;
	t0 = now_ms();
	assert_int_equal(pthread_create(&t, NULL, stop_later, NULL), 0);
	assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 1), 0);
	assert_true(now_ms() - t0 < 300);
	pthread_join(t, NULL);
	if (by_shutdown) {
		errno = 0;
		assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 0), PF_RING_ERROR_INVALID_STATUS);
		assert_int_equal(errno, ESHUTDOWN);
		assert_int_equal(pfring_enable_ring(s.ring), PF_RING_ERROR_INVALID_STATUS);
	} else {
		assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 0), 0);
	}
	src_close(&s);
}

static void test_breakloop_within_poll_duration(void **state)
{
	(void)state;
	alarm(120);
	check_stop(SRC_SIM, "bk", 0);
	check_stop(SRC_PFSIM, "bks", 0);
	check_stop(SRC_MULTI, "bkm", 0);
	check_stop(SRC_USERSPACE, "804", 0);
}

static void test_shutdown(void **state)
{
	(void)state;
	alarm(120);
	check_stop(SRC_SIM, "sd", 1);
	check_stop(SRC_PFSIM, "sds", 1);
	check_stop(SRC_MULTI, "sdm", 1);
	check_stop(SRC_USERSPACE, "805", 1);
}

/* ---------------------------------------------------- enable and disable */

/*
 * sim, pfsim, multi: a disabled ring is not offered frames. The source's ring
 * is enabled, then disabled before it read anything; a second ring on the same
 * NIC (multi: on its first member's NIC) reads the whole tcp capture meanwhile;
 * enabled again, the source's ring gets none of it (multi: only its second
 * member's udp frames, which no one had read). pfsim starts its wire at the
 * second ring enabled, the other one.
 */
static void check_disabled_not_offered(enum src_kind kind, const char *name, const char *other)
{
	struct pfring_pkthdr h;
	struct src s;
	pfring *o;
	u_char *p;
	unsigned int i;
	int rc;

	src_open_held(&s, kind, name, 0, "2");
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	assert_int_equal(pfring_disable_ring(s.ring), 0);
	errno = 0;
	assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 0), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(errno, EAGAIN);
	o = pfring_open(other, 0, 0);
	assert_non_null(o);
	assert_int_equal(pfring_set_poll_duration(o, 50), 0);
	assert_int_equal(pfring_enable_ring(o), 0);
	for (i = 0; i < s.tcp->n; i++)
		assert_int_equal(pfring_recv(o, &p, 0, &h, 1), 1);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	usleep(50 * 1000);      /* pfsim: time to offer a frame, if it would */
	for (i = 0; (rc = pfring_recv(s.ring, &p, 0, &h, 0)) == 1; i++)
		assert_memory_equal(p, s.udp->data[i], h.caplen);
	assert_int_equal(rc, 0);
	assert_int_equal(i, kind == SRC_MULTI ? s.udp->n : 0);
	pfring_close(o);
	src_close(&s);
}

/* userspace has no operation: the front refuses recv on the disabled handle,
 * and the frames wait in the ring. */
static void check_disabled_userspace(const char *name)
{
	struct pfring_pkthdr h;
	struct src s;
	u_char *p;
	unsigned int i;

	src_open(&s, SRC_USERSPACE, name, 0);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	assert_int_equal(pfring_disable_ring(s.ring), 0);
	assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 0), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	for (i = 0; i < s.frames; i++) {
		assert_int_equal(pfring_recv(s.ring, &p, 0, &h, 0), 1);
		src_assert_frame(&s, i, &h, p);
	}
	src_close(&s);
}

static void test_enable_disable(void **state)
{
	(void)state;
	alarm(120);
	check_disabled_not_offered(SRC_SIM, "ed", "sim:ed");
	check_disabled_not_offered(SRC_PFSIM, "eds", "sim:eds");
	check_disabled_not_offered(SRC_MULTI, "edm", "sim:edma");
	check_disabled_userspace("806");
}

/* ------------------------------------------------------ poll watermark */

/* userspace: pfring_poll returns at the watermark, or at its timeout with
 * fewer frames queued. */
static void test_poll_watermark_userspace(void **state)
{
	struct src s;
	u_int64_t t0;

	(void)state;
	src_open(&s, SRC_USERSPACE, "807", 0);         /* 5 frames queued */
	assert_int_equal(pfring_enable_ring(s.ring), 0);
	assert_int_equal(pfring_set_poll_watermark(s.ring, 6), 0);
	t0 = now_ms();
	assert_int_equal(pfring_poll(s.ring, 60), 1);
	assert_true(now_ms() - t0 >= 55);
	assert_int_equal(pfring_set_poll_watermark(s.ring, 5), 0);
	t0 = now_ms();
	assert_int_equal(pfring_poll(s.ring, 5000), 1);
	assert_true(now_ms() - t0 < 2500);
	src_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recv_parsed),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_queue_calls),
		cmocka_unit_test(test_breakloop_within_poll_duration),
		cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_enable_disable),
		cmocka_unit_test(test_poll_watermark_userspace),
	};

	return cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
}
