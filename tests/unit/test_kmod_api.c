/*
 * tests/unit/test_kmod_api.c - the kmod column of docs/api.md that
 * test_kmod_backend.c does not show, on the same fake kernel (kmod_fake.h): the
 * NOT_SUPPORTED cells, the front's calls built on the backend's recv and poll
 * (pfring_recv_parsed, pfring_loop, pfring_shutdown, bundles with a sim: ring),
 * pfring_set_channel_mask, pfring_get_bound_device_id and
 * pfring_open_multichannel of a multi: ring over a kernel device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfring.h"
#include "backends/kmod/kmod.h"
#include "stderr_capture.h"
#include "kmod_fake.h"
#include "api_calls.h"
#include "pkt_build.h"

#define FIX(name) FIXTURE_DIR "/" name
#define TS_BASE 1700000000000000000ull      /* the fixtures' first frame, in ns */

#define NS_KMOD API_NS_EVERYWHERE " add_hw_rule remove_hw_rule set_filtering_mode " \
	"send_get_time set_tx_watermark enable_rss_rehash get_device_clock set_device_clock " \
	"adjust_device_clock loopback_test"

/* A TCP frame of 10.0.0.1:sport -> 10.0.0.2:80 from the fake kernel, at ts_ns. */
static u_int32_t produce_tcp(u_int16_t sport, u_int64_t ts_ns)
{
	struct pb_flow f = pb_tcp4(0x0a000001, 0x0a000002, sport, 80);
	u_int8_t frame[128];
	struct pf_ring_pkt pkt = { .data = frame, .ts_ns = ts_ns };

	pkt.caplen = pkt.len = pb_build(frame, sizeof(frame), &f);
	assert_int_equal(pf_ring_put(&F.prod, &pkt), 0);
	return pkt.len;
}

static void test_not_supported_cells(void **state)
{
	pfring *ring = pfring_open("eth0", 128, PF_RING_LONG_HEADER);

	(void)state;
	assert_non_null(ring);
	api_check_backend(ring, "kmod", NS_KMOD);
	pfring_close(ring);
}

/* The front parses what the kernel's ring gave (no long header: the kernel
 * parsed nothing). */
static void test_recv_parsed(void **state)
{
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	pfring *ring = pfring_open("eth0", 128, 0);
	u_int32_t len;

	(void)state;
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	len = produce_tcp(40000, TS_BASE);
	assert_int_equal(pfring_recv_parsed(ring, &p, 0, &hdr, 0, 4, 0, 1), 1);
	assert_int_equal(hdr.caplen, len);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.ip_version, 4);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.l3_proto, 6);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.ip_src.v4, 0x0a000001);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.l4_src_port, 40000);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.l4_dst_port, 80);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.offset.l4_offset, 34);
	assert_int_not_equal(hdr.extended_hdr.pkt_hash, 0);
	assert_int_equal(pfring_recv_parsed(ring, &p, 0, &hdr, 0, 4, 0, 1), 0);
	pfring_close(ring);
}

static unsigned int looped;
static u_int16_t looped_port[4];

static void count_and_stop(const struct pfring_pkthdr *h, const u_char *p, const u_char *user)
{
	(void)user;
	assert_int_equal(h->caplen, 60);
	looped_port[looped++] = (u_int16_t)(p[34] << 8 | p[35]);
	if (looped == 3)
		pfring_breakloop((pfring *)user);
}

/* pfring_loop over the kernel's ring: every frame once, in order, until the
 * callback's breakloop. */
static void test_loop(void **state)
{
	pfring *ring = pfring_open("eth0", 128, 0);
	u_int16_t i;

	(void)state;
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	for (i = 0; i < 4; i++)
		produce_tcp((u_int16_t)(1000 + i), TS_BASE + i);
	looped = 0;
	assert_int_equal(pfring_loop(ring, count_and_stop, (const u_char *)ring, 1), 0);
	assert_int_equal(looped, 3);
	assert_int_equal(looped_port[0], 1000);
	assert_int_equal(looped_port[2], 1002);
	assert_int_equal(pfring_get_num_queued_pkts(ring), 1);  /* the 4th is still there */
	pfring_close(ring);
}

static pfring *shut_ring;

static void *shut_later(void *arg)
{
	(void)arg;
	usleep(50 * 1000);
	pfring_shutdown(shut_ring);
	return NULL;
}

/* A recv blocked on an empty ring returns 0 after pfring_shutdown from another
 * thread; then recv and send are refused. */
static void test_shutdown_wakes_blocked_recv(void **state)
{
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	pthread_t t;

	(void)state;
	shut_ring = pfring_open("eth0", 128, 0);
	assert_non_null(shut_ring);
	assert_int_equal(pfring_set_poll_duration(shut_ring, 20), 0);
	assert_int_equal(pfring_enable_ring(shut_ring), 0);
	assert_int_equal(pthread_create(&t, NULL, shut_later, NULL), 0);
	assert_int_equal(pfring_recv(shut_ring, &p, 0, &hdr, 1), 0);
	pthread_join(t, NULL);
	produce_tcp(1, TS_BASE);
	errno = 0;
	assert_int_equal(pfring_recv(shut_ring, &p, 0, &hdr, 0), PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(errno, ESHUTDOWN);
	assert_int_equal(pfring_send(shut_ring, (char *)api_frame, sizeof(api_frame), 1),
			 PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(F.sends, 0);
	pfring_close(shut_ring);
}

/* Each frame a bundle reads, until it reads none: its IP protocol and caplen,
 * checked against want[] ({ protocol, caplen } pairs). */
static void bundle_drain(pfring_bundle *b, const int (*want)[2], unsigned int n)
{
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	unsigned int i = 0;
	int rc;

	while ((rc = pfring_bundle_read(b, &p, 0, &hdr, 0)) == 1) {
		assert_true(i < n);
		if (p[23] != want[i][0] || (int)hdr.caplen != want[i][1])
			fail_msg("frame %u: protocol %d caplen %u, want protocol %d caplen %d", i,
				 p[23], hdr.caplen, want[i][0], want[i][1]);
		i++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(i, n);
}

/* A kmod ring (TCP frames of 60 bytes at +0.5, +1.5, +2.5 ms) and a sim: ring
 * (ipv4_udp.pcap: 58, 54 and 60 bytes at +0, +1, +2 ms) in one bundle: round
 * robin starts with the first member added; FIFO follows the timestamps. */
static void test_bundle_with_sim(void **state)
{
	static const int rr[][2] = { { 6, 60 }, { 17, 58 }, { 6, 60 }, { 17, 54 }, { 6, 60 },
				     { 17, 60 } };
	static const int fifo[][2] = { { 17, 58 }, { 6, 60 }, { 17, 54 }, { 6, 60 }, { 17, 60 },
				       { 6, 60 } };
	pfring_bundle b;
	pfring *k = pfring_open("eth0", 128, 0), *s;

	(void)state;
	assert_non_null(k);
	s = pfring_open("sim:kb1?pcap=" FIX("ipv4_udp.pcap"), 128, 0);
	assert_non_null(s);
	pfring_bundle_init(&b, pick_round_robin);
	assert_int_equal(pfring_bundle_add(&b, k), 0);
	assert_int_equal(F.active, 1);                     /* SO_ACTIVATE_RING */
	assert_int_equal(pfring_bundle_add(&b, s), 0);
	produce_tcp(1, TS_BASE + 500000);
	produce_tcp(2, TS_BASE + 1500000);
	produce_tcp(3, TS_BASE + 2500000);
	assert_int_equal(pfring_bundle_poll(&b, 0), 2);   /* both members have frames */
	bundle_drain(&b, rr, 6);
	assert_int_equal(pfring_bundle_poll(&b, 20), 0);
	pfring_bundle_destroy(&b);
	assert_int_equal(F.active, 0);                     /* SO_DEACTIVATE_RING */
	pfring_close(s);

	s = pfring_open("sim:kb2?pcap=" FIX("ipv4_udp.pcap"), 128, 0);
	assert_non_null(s);
	pfring_bundle_init(&b, pick_fifo);
	assert_int_equal(pfring_bundle_add(&b, k), 0);
	assert_int_equal(pfring_bundle_add(&b, s), 0);
	produce_tcp(1, TS_BASE + 500000);
	produce_tcp(2, TS_BASE + 1500000);
	produce_tcp(3, TS_BASE + 2500000);
	bundle_drain(&b, fifo, 6);
	pfring_bundle_close(&b);
	assert_int_equal(F.closes, 1);
}

static void test_channel_mask_and_device_id(void **state)
{
	pfring *ring = pfring_open("eth0", 128, 0);
	u_int32_t u32;
	int id = 0;

	(void)state;
	assert_non_null(ring);
	assert_int_equal(pfring_set_channel_mask(ring, 1u << 2), 0);
	assert_int_equal(F.last_opt, SO_SET_CHANNEL_ID);
	memcpy(&u32, F.last_val, 4);
	assert_int_equal(u32, 2);
	assert_int_equal(pfring_set_channel_mask(ring, 0xffffffffu), 0);
	memcpy(&u32, F.last_val, 4);
	assert_int_equal(u32, RING_ANY_CHANNEL);
	assert_int_equal(pfring_get_bound_device_id(ring, &id), 0);
	assert_int_equal(id, FAKE_IFINDEX);
	pfring_close(ring);
}

/* multi: has no RX channel count: pfring_open_multichannel of "multi:eth0"
 * opens one ring, multi:eth0@0, whose member is bound to eth0@0. */
static void test_multichannel_of_multi(void **state)
{
	pfring *ring[MAX_NUM_RX_CHANNELS];

	(void)state;
	assert_int_equal(pfring_open_multichannel("multi:eth0", 128, 0, ring), 1);
	assert_string_equal(ring[0]->device_name, "multi:eth0@0");
	assert_string_equal(F.bound, "eth0@0");
	pfring_close(ring[0]);
	assert_int_equal(F.closes, 2);                      /* the probe's and this one */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_supported_cells, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_recv_parsed, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_loop, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_wakes_blocked_recv, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_with_sim, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_channel_mask_and_device_id, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_multichannel_of_multi, fake_setup,
						fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
