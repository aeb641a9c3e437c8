/*
 * tests/unit/test_api_matrix.c - the NOT_SUPPORTED cells of docs/api.md, backend
 * by backend: on a real ring of sim:, pfsim, multi:, userspace: and hub:, every call of
 * api_calls.h that the column says is NOT_SUPPORTED is (PF_RING_ERROR_NOT_SUPPORTED,
 * errno EOPNOTSUPP), and every other one is not (kmod's column is checked the same
 * way in test_kmod_api.c, on its fake kernel). Also what the front answers
 * itself on each of them, and what pfring_open_multichannel does there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfring.h>
#include "api_calls.h"
#include "lib/backend.h"
#include "pfsim_run.h"
#include "stderr_capture.h"

#define FIX(name) FIXTURE_DIR "/" name

#define NS_SIM API_NS_EVERYWHERE " set_tx_watermark get_ring_id"

#define NS_PFSIM API_NS_EVERYWHERE " next_pkt_time next_pkt_raw_timestamp set_reflector_device " \
	"add_hw_rule remove_hw_rule set_filtering_mode send send_ifindex send_get_time " \
	"send_last_rx_packet set_tx_watermark set_channel_id get_ring_id enable_rss_rehash " \
	"get_device_clock set_device_clock adjust_device_clock get_mtu_size " \
	"get_device_ifindex loopback_test set_channel_mask"

#define NS_MULTI API_NS_EVERYWHERE " next_pkt_time next_pkt_raw_timestamp set_reflector_device " \
	"get_filtering_rule_stats get_hash_filtering_rule_stats add_hw_rule remove_hw_rule " \
	"set_filtering_mode send send_ifindex send_get_time send_last_rx_packet " \
	"set_tx_watermark set_channel_id get_ring_id enable_rss_rehash get_device_clock " \
	"set_device_clock adjust_device_clock get_mtu_size get_device_ifindex loopback_test " \
	"set_channel_mask"

#define NS_USERSPACE API_NS_EVERYWHERE " next_pkt_raw_timestamp set_cluster remove_from_cluster " \
	"set_reflector_device set_sampling_rate add_filtering_rule remove_filtering_rule " \
	"get_filtering_rule_stats purge_idle_rules handle_hash_filtering_rule " \
	"get_hash_filtering_rule_stats purge_idle_hash_rules set_bpf_filter remove_bpf_filter " \
	"add_hw_rule remove_hw_rule set_filtering_mode toggle_filtering_policy send_ifindex " \
	"send_get_time send_last_rx_packet set_direction set_channel_id " \
	"get_bound_device_address get_bound_device_id get_bound_device_ifindex get_ring_id " \
	"enable_rss_rehash get_device_clock set_device_clock adjust_device_clock get_mtu_size " \
	"get_device_ifindex loopback_test set_channel_mask"

/* hub: (backends/hub/hub.c, the example backend) has recv, poll, send and stats only. */
#define NS_HUB "next_pkt_time next_pkt_raw_timestamp is_pkt_available get_num_queued_pkts " \
	"set_cluster remove_from_cluster set_master_id set_master set_reflector_device " \
	"set_sampling_rate add_filtering_rule remove_filtering_rule get_filtering_rule_stats " \
	"purge_idle_rules handle_hash_filtering_rule get_hash_filtering_rule_stats " \
	"purge_idle_hash_rules set_bpf_filter remove_bpf_filter add_hw_rule remove_hw_rule " \
	"set_filtering_mode toggle_filtering_policy send_ifindex send_get_time send_last_rx_packet " \
	"send_parsed set_direction set_tx_watermark set_channel_id get_bound_device_address " \
	"get_bound_device_id get_bound_device_ifindex get_ring_id enable_rss_rehash " \
	"get_device_clock set_device_clock adjust_device_clock enable_hw_timestamp get_mtu_size " \
	"get_device_ifindex loopback_test set_channel_mask alloc_pkt_buff release_pkt_buff " \
	"recv_pkt_buff send_pkt_buff get_pkt_buff_data set_pkt_buff_len set_pkt_buff_ifindex " \
	"add_pkt_buff_ifindex"

static void test_sim(void **state)
{
	pfring *r = pfring_open("sim:mx?pcap=" FIX("ipv4_tcp.pcap"), 0, PF_RING_LONG_HEADER);

	(void)state;
	assert_non_null(r);
	api_check_backend(r, "sim", NS_SIM);
	pfring_close(r);
}

static void test_pfsim(void **state)
{
	pid_t srv;
	pfring *r;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "mxs", "pcap=" FIX("ipv4_tcp.pcap"), "1");
	r = pfring_open("sim:mxs", 0, PF_RING_LONG_HEADER);
	assert_non_null(r);
	assert_string_equal(r->backend->name, "sim (pfsim)");
	api_check_backend(r, "pfsim", NS_PFSIM);
	pfring_close(r);
	pfsim_stop(srv);
}

static void test_multi(void **state)
{
	pfring *r = pfring_open("multi:sim:mxa?pcap=" FIX("ipv4_tcp.pcap") ";sim:mxb?pcap="
				FIX("ipv4_udp.pcap"), 0, PF_RING_LONG_HEADER);

	(void)state;
	assert_non_null(r);
	api_check_backend(r, "multi", NS_MULTI);
	pfring_close(r);
}

static void test_hub(void **state)
{
	pfring *r = pfring_open("hub:mx", 0, 0);

	(void)state;
	assert_non_null(r);
	api_check_backend(r, "hub", NS_HUB);
	pfring_close(r);
}

static void test_userspace(void **state)
{
	pfring *r = pfring_open("userspace:usr31", 0, PF_RING_LONG_HEADER);

	(void)state;
	assert_non_null(r);
	api_check_backend(r, "userspace", NS_USERSPACE);
	pfring_close(r);
}

/* ------------------------------------------------------- the front's answers */

/* What the front answers from the handle, with no backend operation (or, for
 * pfring_get_num_rx_channels, the backend's count: 1 queue everywhere here). */
static void check_front(pfring *r)
{
	u_int32_t version = 0;

	assert_int_equal(pfring_version(r, &version), 0);
	assert_int_equal(version, RING_VERSION_NUM);
	assert_int_equal(pfring_get_slot_header_len(r), sizeof(struct pfring_pkthdr));
	assert_int_equal(pfring_get_num_rx_channels(r), 1);
	assert_int_equal(pfring_set_application_name(r, (char *)"matrix"), 0);
	assert_string_equal(r->appl_name, "matrix");
	assert_int_equal(pfring_set_poll_duration(r, 70), 0);
	assert_int_equal(r->poll_duration, 70);
	assert_int_equal(pfring_set_poll_duration(r, 65536), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_set_poll_watermark(r, 9), 0);
	assert_int_equal(r->poll_watermark, 9);
	assert_int_equal(pfring_get_packet_consumer_mode(r), 0);
	pfring_close(r);
}

static void test_front_answers(void **state)
{
	pid_t srv;

	(void)state;
	alarm(120);
	check_front(pfring_open("sim:fa?pcap=" FIX("ipv4_tcp.pcap"), 0, 0));
	check_front(pfring_open("multi:sim:fb?pcap=" FIX("ipv4_tcp.pcap") ";sim:fc?pcap="
				FIX("ipv4_udp.pcap"), 0, 0));
	check_front(pfring_open("userspace:usr33", 0, 0));
	srv = pfsim_start(pfsim_dir, "fd", "pcap=" FIX("ipv4_tcp.pcap"), "1");
	check_front(pfring_open("sim:fd", 0, 0));
	pfsim_stop(srv);
}

/* No backend has a set_if_promisc operation: a name with a prefix is
 * NOT_SUPPORTED (a name without one is the kernel's interface, test_api.c). */
static void test_set_if_promisc_prefixes(void **state)
{
	static const char *const names[] = { "sim:x", "multi:a;b", "userspace:usr1", "dna:dna0",
					     "dnacluster:1@0" };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		errno = 0;
		assert_int_equal(pfring_set_if_promisc(names[i], 1), PF_RING_ERROR_NOT_SUPPORTED);
		assert_int_equal(errno, EOPNOTSUPP);
	}
}

/* ------------------------------------------------------------- multichannel */

/* pfsim's NIC with 3 queues: one ring per queue, each served by pfsim. */
static void test_multichannel_pfsim(void **state)
{
	pfring *ring[MAX_NUM_RX_CHANNELS];
	pid_t srv;
	int i;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "mcq", "pcap=" FIX("ipv4_tcp.pcap") "&queues=3", "1");
	assert_int_equal(pfring_open_multichannel("sim:mcq", 0, 0, ring), 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(ring[i]->backend->name, "sim (pfsim)");
	assert_string_equal(ring[2]->device_name, "sim:mcq@2");
	for (i = 0; i < 3; i++)
		pfring_close(ring[i]);
	pfsim_stop(srv);
}

/* multi: has no RX channel count (1): "multi:NAME" opens "multi:NAME@0", one
 * ring whose member is NAME@0; a member with a prefix is not a device name. */
static void test_multichannel_multi(void **state)
{
	pfring *ring[MAX_NUM_RX_CHANNELS];
	char msg[1024];

	(void)state;
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_open_multichannel("multi:sim:mc?pcap=" FIX("ipv4_tcp.pcap"), 0, 0,
						  ring), 0);
	capture_end(msg, sizeof(msg));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(msg, "pfring_open_multichannel(\"multi:sim:mc?"));
	assert_non_null(strstr(msg, "bad device name"));
	capture_begin();
	assert_int_equal(pfring_open_multichannel("multi:lo;lo", 0, 0, ring), 0);
	capture_end(msg, sizeof(msg));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(msg, "one device only, not a list"));
}

/* userspace: has one channel, and usrN@0 is not a userspace name. */
static void test_multichannel_userspace(void **state)
{
	pfring *ring[MAX_NUM_RX_CHANNELS];
	char msg[1024];

	(void)state;
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_open_multichannel("userspace:usr32", 0, 0, ring), 0);
	capture_end(msg, sizeof(msg));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(msg, "pfring_open(\"userspace:usr32@0\"): userspace: names one "
				    "ring, usrN"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim),
		cmocka_unit_test(test_pfsim),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_userspace),
		cmocka_unit_test(test_hub),
		cmocka_unit_test(test_front_answers),
		cmocka_unit_test(test_set_if_promisc_prefixes),
		cmocka_unit_test(test_multichannel_pfsim),
		cmocka_unit_test(test_multichannel_multi),
		cmocka_unit_test(test_multichannel_userspace),
	};

	return cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
}
