/*
 * tests/unit/test_bundle_backends.c - pfring_bundle_* (lib/api_bundle.c,
 * built on the public calls) over real rings of each backend this machine
 * opens: sim:, pfsim, userspace:, and multi: beside a sim: ring (kmod beside a
 * sim: ring is in test_kmod_api.c). Each member receives a capture of its own
 * protocol (ipv4_tcp, ipv4_udp, ipv4_icmp), so a frame's IP protocol and length
 * say which member it came from: round robin and FIFO read them in the exact
 * order their policy gives. pfring_bundle_poll sleeps on the members'
 * selectable fds and wakes for a frame that arrives later.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include <pfring.h>
#include "api_sources.h"

#define MAX_READ 32

/* The IP protocol and caplen of each frame, read without waiting until the
 * bundle has nothing. */
struct order {
	unsigned int n;
	int proto[MAX_READ];
	u_int32_t caplen[MAX_READ];
};

/* tcp and udp members in turn, then the rest of tcp: round robin over
 * ipv4_tcp.pcap and ipv4_udp.pcap. */
static const int tcp_udp_rr[][2] = { { 6, 66 }, { 17, 58 }, { 6, 54 }, { 17, 54 }, { 6, 72 },
				     { 17, 60 }, { 6, 54 }, { 6, 54 } };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void drain(pfring_bundle *b, struct order *o)
{
	struct pfring_pkthdr h;
	u_char *p;
	int rc;

	memset(o, 0, sizeof(*o));
	while ((rc = pfring_bundle_read(b, &p, 0, &h, 0)) == 1) {
		assert_true(o->n < MAX_READ);
		o->proto[o->n] = p[23];
		o->caplen[o->n++] = h.caplen;
	}
	assert_int_equal(rc, 0);
}

/* The bundle read want[] ({ protocol, caplen } pairs), exactly. */
static void assert_order(const struct order *o, const int (*want)[2], unsigned int n)
{
	unsigned int i;

	assert_int_equal(o->n, n);
	for (i = 0; i < n; i++) {
		if (o->proto[i] != want[i][0] || (int)o->caplen[i] != want[i][1])
			fail_msg("frame %u: protocol %d caplen %u, want protocol %d caplen %d", i,
				 o->proto[i], o->caplen[i], want[i][0], want[i][1]);
	}
}

/* --------------------------------------------------------------------- sim */

static pfring *late_tx;

static void *send_later(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	assert_int_equal(pfring_send(late_tx, (char *)"\x02\x00\x00\x00\x00\x02\x02\x00\x00"
				     "\x00\x00\x01\x08\x06" "0123456789012345678901234567890"
				     "123456789012345", 60, 1), 60);
	return NULL;
}

/* ipv4_tcp.pcap (66, 54, 72, 54, 54 bytes at +0..+4 ms) on NIC A, ipv4_udp.pcap
 * played twice (58, 54, 60 at +0..+2 ms, again from +2.001 ms) on NIC B. */
static void open_sim_pair(const char *a, const char *b, pfring *r[2], int tx_peer)
{
	char dev[512];

	snprintf(dev, sizeof(dev), "sim:%s?pcap=%s", a, SRC_FIX("ipv4_tcp.pcap"));
	r[0] = pfring_open(dev, 0, 0);
	snprintf(dev, sizeof(dev), "sim:%s?pcap=%s&loop=2", b, SRC_FIX("ipv4_udp.pcap"));
	r[1] = pfring_open(dev, 0, 0);
	assert_non_null(r[0]);
	assert_non_null(r[1]);
	if (tx_peer) {
		snprintf(dev, sizeof(dev), "sim:%stx?gen=flows:1&count=1&peer=%s", a, a);
		late_tx = pfring_open(dev, 0, 0);
		assert_non_null(late_tx);
		assert_int_equal(pfring_enable_ring(late_tx), 0);
	}
}

static void test_sim_round_robin_and_wait(void **state)
{
	static const int want[][2] = { { 6, 66 }, { 17, 58 }, { 6, 54 }, { 17, 54 }, { 6, 72 },
				       { 17, 60 }, { 6, 54 }, { 17, 58 }, { 6, 54 }, { 17, 54 },
				       { 17, 60 } };
	struct pfring_pkthdr h;
	pfring_bundle b;
	struct order o;
	pfring *r[2];
	pthread_t t;
	u_char *p;
	u_int64_t t0;

	(void)state;
	open_sim_pair("bra", "brb", r, 1);
	pfring_bundle_init(&b, pick_round_robin);
	assert_int_equal(pfring_bundle_add(&b, r[0]), 0);
	assert_int_equal(pfring_bundle_add(&b, r[1]), 0);
	assert_int_equal(pfring_bundle_add(&b, r[1]), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(b.pfd[0].fd, pfring_get_selectable_fd(r[0]));
	assert_int_equal(pfring_bundle_poll(&b, 0), 2);
	drain(&b, &o);
	assert_order(&o, want, N_OF(want));

	/* nothing: poll waits its time out; a frame sent later wakes it */
	t0 = now_ms();
	assert_int_equal(pfring_bundle_poll(&b, 50), 0);
	assert_true(now_ms() - t0 >= 45);
	assert_int_equal(pthread_create(&t, NULL, send_later, NULL), 0);
	t0 = now_ms();
	assert_int_equal(pfring_bundle_poll(&b, 5000), 1);
	assert_true(now_ms() - t0 >= 50);
	assert_int_equal(b.pfd[0].revents, POLLIN);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 1), 1);
	assert_int_equal(h.caplen, 60);
	pthread_join(t, NULL);
	assert_int_equal(pfring_set_poll_duration(r[0], 20), 0);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 1), 0);     /* one wait, nothing */
	pfring_bundle_close(&b);
	pfring_close(late_tx);
}

/* FIFO follows the captures' timestamps (a tie goes to the lower index). */
static void test_sim_fifo(void **state)
{
	static const int want[][2] = { { 6, 66 }, { 17, 58 }, { 6, 54 }, { 17, 54 }, { 6, 72 },
				       { 17, 60 }, { 17, 58 }, { 6, 54 }, { 17, 54 }, { 6, 54 },
				       { 17, 60 } };
	pfring_bundle b;
	struct order o;
	pfring *r[2];

	(void)state;
	open_sim_pair("bfa", "bfb", r, 0);
	pfring_bundle_init(&b, pick_fifo);
	assert_int_equal(pfring_bundle_add(&b, r[0]), 0);
	assert_int_equal(pfring_bundle_add(&b, r[1]), 0);
	drain(&b, &o);
	assert_order(&o, want, N_OF(want));
	pfring_bundle_destroy(&b);
	assert_int_equal(r[0]->enabled, 0);             /* destroy disables, keeps them */
	pfring_close(r[0]);
	pfring_close(r[1]);
}

/* ------------------------------------------------------------------- pfsim */

/* A ring on each of two pfsim NICs (ipv4_tcp.pcap, ipv4_udp.pcap). pfsim tells
 * no next packet time, so FIFO reads them round robin too. Round robin closes
 * the bundle, FIFO destroys it. */
static void check_pfsim(bundle_read_policy policy, const char *a, const char *b)
{
	static const unsigned int frames[2] = { 5, 3 };
	const char *name[2] = { a, b };
	char dev[64];
	pfring_bundle bd;
	struct order o;
	pfring *r[2];
	pid_t srv[2];
	u_int64_t end = now_ms() + 20000;
	unsigned int k;

	srv[0] = pfsim_start(pfsim_dir, a, "pcap=" SRC_FIX("ipv4_tcp.pcap"), "1");
	srv[1] = pfsim_start(pfsim_dir, b, "pcap=" SRC_FIX("ipv4_udp.pcap"), "1");
	pfring_bundle_init(&bd, policy);
	for (k = 0; k < 2; k++) {
		snprintf(dev, sizeof(dev), "sim:%s", name[k]);
		r[k] = pfring_open(dev, 0, 0);
		assert_non_null(r[k]);
		assert_int_equal(pfring_bundle_add(&bd, r[k]), 0);
		assert_true(bd.pfd[k].fd >= 0);
	}
	for (k = 0; k < 2; k++)
		while (pfring_get_num_queued_pkts(r[k]) < frames[k]) {
			assert_true(now_ms() < end);
			assert_true(pfring_bundle_poll(&bd, 100) >= 0);
		}
	drain(&bd, &o);
	assert_order(&o, tcp_udp_rr, N_OF(tcp_udp_rr));
	if (policy == pick_fifo) {
		pfring_bundle_destroy(&bd);
		assert_int_equal(r[0]->enabled, 0);
		pfring_close(r[0]);
		pfring_close(r[1]);
	} else {
		pfring_bundle_close(&bd);
	}
	pfsim_stop(srv[0]);
	pfsim_stop(srv[1]);
}

static void test_pfsim(void **state)
{
	(void)state;
	alarm(120);
	check_pfsim(pick_round_robin, "bpa", "bpb");
	check_pfsim(pick_fifo, "bpc", "bpd");
}

/* --------------------------------------------------------------- userspace */

/* usrN receives ipv4_tcp.pcap's 5 frames, usrN+1 then ipv4_udp.pcap's 3: FIFO
 * (by the senders' clock) reads all of the first ring first. Round robin
 * closes the bundle, FIFO destroys it. */
static void check_userspace(bundle_read_policy policy, int first, const int (*want)[2],
			    unsigned int n)
{
	struct ref *tcp = ref_load(SRC_FIX("ipv4_tcp.pcap"), NULL);
	struct ref *udp = ref_load(SRC_FIX("ipv4_udp.pcap"), NULL);
	const struct ref *refs[2] = { tcp, udp };
	char dev[64];
	pfring_bundle b;
	struct order o;
	pfring *r[2], *tx[2];
	unsigned int k, i;

	pfring_bundle_init(&b, policy);
	for (k = 0; k < 2; k++) {
		snprintf(dev, sizeof(dev), "userspace:usr%d", first + (int)k);
		r[k] = pfring_open(dev, 0, 0);
		tx[k] = pfring_open(dev, 0, 0);
		assert_non_null(r[k]);
		assert_non_null(tx[k]);
		assert_int_equal(pfring_bundle_add(&b, r[k]), 0);
		assert_true(b.pfd[k].fd >= 0);           /* the receiver's notification socket */
		assert_int_equal(pfring_enable_ring(tx[k]), 0);
		for (i = 0; i < refs[k]->n; i++)
			assert_int_equal(pfring_send(tx[k], (char *)refs[k]->data[i],
						     refs[k]->caplen[i], 1),
					 (int)refs[k]->caplen[i]);
	}
	assert_int_equal(pfring_bundle_poll(&b, 1000), 2);
	drain(&b, &o);
	assert_order(&o, want, n);
	if (policy == pick_fifo) {
		pfring_bundle_destroy(&b);
		assert_int_equal(r[1]->enabled, 0);
		pfring_close(r[0]);
		pfring_close(r[1]);
	} else {
		pfring_bundle_close(&b);
	}
	pfring_close(tx[0]);
	pfring_close(tx[1]);
	ref_free(tcp);
	ref_free(udp);
}

static void test_userspace(void **state)
{
	static const int fifo[][2] = { { 6, 66 }, { 6, 54 }, { 6, 72 }, { 6, 54 }, { 6, 54 },
				       { 17, 58 }, { 17, 54 }, { 17, 60 } };

	(void)state;
	check_userspace(pick_round_robin, 811, tcp_udp_rr, N_OF(tcp_udp_rr));
	check_userspace(pick_fifo, 813, fifo, N_OF(fifo));
}

/* ------------------------------------------------------------ multi + sim */

/* A multi: ring (api_sources.h: tcp and udp members in turn) and a sim: ring on
 * ipv4_icmp.pcap (74, 74, 70 bytes). Round robin alternates the two bundle members; FIFO reads the
 * sim: ring, which tells its next packet time, before the multi: ring, which
 * cannot (read round robin once no timed frame waits). Round robin closes the
 * bundle, FIFO destroys it. */
static void check_multi(bundle_read_policy policy, const char *name, const int (*want)[2],
			unsigned int n)
{
	char dev[512];
	pfring_bundle b;
	struct order o;
	struct src s;
	pfring *sim;

	src_open(&s, SRC_MULTI, name, 0);
	snprintf(dev, sizeof(dev), "sim:%sc?pcap=%s", name, SRC_FIX("ipv4_icmp.pcap"));
	sim = pfring_open(dev, 0, 0);
	assert_non_null(sim);
	pfring_bundle_init(&b, policy);
	assert_int_equal(pfring_bundle_add(&b, s.ring), 0);
	assert_int_equal(pfring_bundle_add(&b, sim), 0);
	assert_true(b.pfd[0].fd >= 0);                   /* multi's epoll set */
	drain(&b, &o);
	assert_order(&o, want, n);
	if (policy == pick_fifo) {
		pfring_bundle_destroy(&b);
		assert_int_equal(s.ring->enabled, 0);
		pfring_close(sim);
	} else {
		pfring_bundle_close(&b);
		s.ring = NULL;          /* closed with the bundle */
	}
	src_close(&s);
}

static void test_multi_and_sim(void **state)
{
	static const int rr[][2] = { { 6, 66 }, { 1, 74 }, { 17, 58 }, { 1, 74 }, { 6, 54 },
				     { 1, 70 }, { 17, 54 }, { 6, 72 }, { 17, 60 }, { 6, 54 },
				     { 6, 54 } };
	static const int fifo[][2] = { { 1, 74 }, { 1, 74 }, { 1, 70 }, { 6, 66 }, { 17, 58 },
				       { 6, 54 }, { 17, 54 }, { 6, 72 }, { 17, 60 }, { 6, 54 },
				       { 6, 54 } };

	(void)state;
	check_multi(pick_round_robin, "bmr", rr, N_OF(rr));
	check_multi(pick_fifo, "bmf", fifo, N_OF(fifo));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_round_robin_and_wait),
		cmocka_unit_test(test_sim_fifo),
		cmocka_unit_test(test_pfsim),
		cmocka_unit_test(test_userspace),
		cmocka_unit_test(test_multi_and_sim),
	};

	return cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
}
