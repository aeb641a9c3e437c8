/*
 * tests/unit/test_pfsim_calls.c - the calls of docs/api.md's pfsim column that
 * test_pfsim.c does not show, each by what a ring served by pfsim receives: one
 * pfsim per case replays many_flows.pcap (2000 frames: 1000 flows of 2, 1000
 * TCP and 1000 UDP) into a ring with no settings, which tells when the lossless
 * wire is done, and into the rings under test. Precise rules and their stats,
 * the default policy, BPF removed, sampling, direction, socket mode, leaving a
 * cluster, purging idle rules, and the device's identity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfring.h>
#include "pfsim_run.h"
#include "pcap_ref.h"

#define PCAP   FIXTURE_DIR "/many_flows.pcap"
#define FRAMES 2000u
#define RINGS  3                /* ring 0 has no settings; 1 and 2 are under test */
#define WAIT_MS 60000


typedef void (*configure_fn)(pfring *ring[RINGS]);

/*
 * pfsim (holding its wire until every ring is enabled) serving NAME; rings
 * 1 .. n-1 configured by fn before they are enabled; every readable ring read
 * until ring 0 has all FRAMES and the others have nothing more; then check (if
 * any) looks at the rings before they are closed. got[i] is what ring i
 * received (a send-only ring: its pfring_stats recv).
 */
static void run(const char *name, unsigned int n, configure_fn fn, configure_fn check,
		u_int32_t got[RINGS])
{
	char dev[64], hold[8];
	struct pfring_pkthdr h;
	pfring *ring[RINGS];
	u_int64_t end = now_ms() + WAIT_MS;
	unsigned int i, idle = 0;
	pfring_stat st;
	u_char *p;
	pid_t srv;

	snprintf(hold, sizeof(hold), "%u", n);
	srv = pfsim_start(pfsim_dir, name, "pcap=" PCAP, hold);
	snprintf(dev, sizeof(dev), "sim:%s", name);
	memset(ring, 0, sizeof(ring));
	for (i = 0; i < n; i++) {
		ring[i] = pfring_open(dev, 128, 0);
		assert_non_null(ring[i]);
		got[i] = 0;
	}
	fn(ring);
	for (i = 0; i < n; i++)
		assert_int_equal(pfring_enable_ring(ring[i]), 0);
	while (got[0] < FRAMES || idle < 3) {
		int any = 0;

		assert_true(now_ms() < end);
		for (i = 0; i < n; i++) {
			if (ring[i]->mode == send_only_mode)
				continue;
			while (pfring_recv(ring[i], &p, 0, &h, 0) == 1) {
				got[i]++;
				any = 1;
			}
		}
		idle = any ? 0 : idle + 1;
		if (!any)
			usleep(got[0] < FRAMES ? 1000 : 20000);
	}
	if (check)
		check(ring);
	for (i = 0; i < n; i++) {
		if (ring[i]->mode == send_only_mode) {
			assert_int_equal(pfring_stats(ring[i], &st), 0);
			got[i] = (u_int32_t)st.recv;
		}
		pfring_close(ring[i]);
	}
	pfsim_stop(srv);
	assert_int_equal(got[0], FRAMES);
}

/* ------------------------------------------------------------ precise rules */

/* The flow of many_flows.pcap's frame 0 (IPv4 TCP, frames 0 and 1). */
static hash_filtering_rule first_flow(void)
{
	struct ref *r = ref_load(PCAP, NULL);
	const u_char *f = r->data[0];
	hash_filtering_rule rule;
	u_int32_t a, b;
	u_int16_t pa, pb;

	assert_int_equal(f[12] << 8 | f[13], 0x0800);
	memcpy(&a, f + 26, 4);
	memcpy(&b, f + 30, 4);
	memcpy(&pa, f + 34, 2);
	memcpy(&pb, f + 36, 2);
	memset(&rule, 0, sizeof(rule));
	rule.proto = f[23];
	rule.host_peer_a.v4 = ntohl(a);
	rule.host_peer_b.v4 = ntohl(b);
	rule.port_peer_a = ntohs(pa);
	rule.port_peer_b = ntohs(pb);
	rule.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	ref_free(r);
	return rule;
}

static void drop_first_flow(pfring *ring[RINGS])
{
	hash_filtering_rule rule = first_flow();

	assert_int_equal(pfring_handle_hash_filtering_rule(ring[1], &rule, 1), 0);
}

/* The rule matched both frames of its flow and dropped them. */
static void first_flow_stats(pfring *ring[RINGS])
{
	hash_filtering_rule rule = first_flow();
	pfring_rule_stats st;
	u_int len = sizeof(st);

	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring[1], &rule, (char *)&st, &len),
			 0);
	assert_int_equal(len, sizeof(st));
	assert_int_equal(st.matching_packets, 2);
	assert_int_equal(st.dropped_packets, 2);
}

static void add_and_remove_first_flow(pfring *ring[RINGS])
{
	hash_filtering_rule rule = first_flow();

	assert_int_equal(pfring_handle_hash_filtering_rule(ring[1], &rule, 1), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring[1], &rule, 0), 0);
}

/* Ring 1 drops the first flow (both directions) and counts it; a rule that was
 * removed drops nothing. */
static void test_hash_rules(void **state)
{
	u_int32_t got[RINGS];

	(void)state;
	alarm(120);
	run("hr", 2, drop_first_flow, first_flow_stats, got);
	assert_int_equal(got[1], FRAMES - 2);
	run("hr2", 2, add_and_remove_first_flow, NULL, got);
	assert_int_equal(got[1], FRAMES);
}

/* ---------------------------------------------------------------- settings */

static void policy_drop(pfring *ring[RINGS])
{
	assert_int_equal(pfring_toggle_filtering_policy(ring[1], 0), 0);
}

static void bpf_removed(pfring *ring[RINGS])
{
	assert_int_equal(pfring_set_bpf_filter(ring[1], (char *)"udp"), 0);
	assert_int_equal(pfring_remove_bpf_filter(ring[1]), 0);
	assert_int_equal(pfring_set_bpf_filter(ring[2], (char *)"udp"), 0);
}

static void sampling(pfring *ring[RINGS])
{
	assert_int_equal(pfring_set_sampling_rate(ring[1], 10), 0);
}

static void tx_only(pfring *ring[RINGS])
{
	assert_int_equal(pfring_set_direction(ring[1], tx_only_direction), 0);
	assert_int_equal(pfring_set_direction(ring[2], rx_only_direction), 0);
}

static void send_only(pfring *ring[RINGS])
{
	assert_int_equal(pfring_set_socket_mode(ring[1], send_only_mode), 0);
}

/* Rings 1 and 2 join round-robin cluster 3; ring 1 leaves it again. */
static void leave_cluster(pfring *ring[RINGS])
{
	assert_int_equal(pfring_set_cluster(ring[1], 3, cluster_round_robin), 0);
	assert_int_equal(pfring_set_cluster(ring[2], 3, cluster_round_robin), 0);
	assert_int_equal(pfring_remove_from_cluster(ring[1]), 0);
}

/* A drop-UDP rule and a precise rule, purged as idle (the wall clock moved
 * 2 ms since they were added) before traffic starts. */
static void purged(pfring *ring[RINGS])
{
	filtering_rule rule;
	hash_filtering_rule hrule = first_flow();

	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 4;
	rule.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	rule.core_fields.proto = 17;
	assert_int_equal(pfring_add_filtering_rule(ring[1], &rule), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring[1], &hrule, 1), 0);
	usleep(2000);
	assert_int_equal(pfring_purge_idle_rules(ring[1], 3600), 0);
	assert_int_equal(pfring_purge_idle_hash_rules(ring[1], 3600), 0);
	assert_int_equal(pfring_purge_idle_rules(ring[1], 0), 1);
	assert_int_equal(pfring_purge_idle_hash_rules(ring[1], 0), 1);
}

static void test_settings(void **state)
{
	u_int32_t got[RINGS];

	(void)state;
	alarm(240);
	run("pol", 2, policy_drop, NULL, got);
	assert_int_equal(got[1], 0);
	run("bpf", 3, bpf_removed, NULL, got);
	assert_int_equal(got[1], FRAMES);
	assert_int_equal(got[2], 1000);                 /* the filter that stayed: UDP */
	run("smp", 2, sampling, NULL, got);
	assert_int_equal(got[1], FRAMES / 10);
	run("dir", 3, tx_only, NULL, got);
	assert_int_equal(got[1], 0);
	assert_int_equal(got[2], FRAMES);
	run("snd", 2, send_only, NULL, got);
	assert_int_equal(got[1], 0);
	run("clu", 3, leave_cluster, NULL, got);
	assert_int_equal(got[1], FRAMES);               /* in no cluster: every frame */
	assert_int_equal(got[2], FRAMES);               /* the cluster's only member */
	run("prg", 2, purged, NULL, got);
	assert_int_equal(got[1], FRAMES);
}

/* --------------------------------------------------------------- identity */

static void test_identity(void **state)
{
	u_char mac[6];
	int ifindex = 0, id = 0;
	pid_t srv;
	pfring *r;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "idn", "pcap=" PCAP, "1");
	r = pfring_open("sim:idn", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_get_bound_device_address(r, mac), 0);
	assert_memory_equal(mac, "\x02\x50\x46", 3);    /* docs/sim.md: 02:50:46:xx:xx:xx */
	assert_int_equal(pfring_get_bound_device_ifindex(r, &ifindex), 0);
	assert_int_equal(pfring_get_bound_device_id(r, &id), 0);
	assert_true(ifindex >= 1000);
	assert_int_equal(id, ifindex);
	pfring_close(r);
	pfsim_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_rules),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
}
