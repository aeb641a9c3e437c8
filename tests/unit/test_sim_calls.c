/*
 * tests/unit/test_sim_calls.c - the filtering calls of docs/api.md's sim column
 * that test_sim.c does not show, frame by frame: a second NIC sends chosen
 * frames into the ring's NIC (peer=), and each is either received or not.
 * Wildcard rules removed, the default policy, precise (hash) rules and their
 * stats, BPF removed, idle rules purged; and the poll watermark, which decides
 * how far pfring_poll lets the wire run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pfring.h>
#include "pkt_build.h"
#include "stderr_capture.h"

#define FIX(name) FIXTURE_DIR "/" name
#define HOST_A 0x0a000001u
#define HOST_B 0x0a000002u

struct pair {
	pfring *rx, *tx;        /* rx on NIC NAME, tx on NAMEtx whose peer is NAME */
};

/* rx on sim:NAME (one generated frame, read here) and tx, enabled. */
static void pair_open(struct pair *p, const char *name)
{
	struct pfring_pkthdr h;
	char dev[256];
	u_char *d;

	snprintf(dev, sizeof(dev), "sim:%s?gen=flows:1&count=1", name);
	p->rx = pfring_open(dev, 0, PF_RING_LONG_HEADER);
	snprintf(dev, sizeof(dev), "sim:%stx?gen=flows:1&count=1&peer=%s", name, name);
	p->tx = pfring_open(dev, 0, 0);
	assert_non_null(p->rx);
	assert_non_null(p->tx);
	assert_int_equal(pfring_set_socket_mode(p->tx, send_only_mode), 0);
	assert_int_equal(pfring_enable_ring(p->tx), 0);
	assert_int_equal(pfring_enable_ring(p->rx), 0);
	assert_int_equal(pfring_recv(p->rx, &d, 0, &h, 0), 1);
	assert_int_equal(pfring_recv(p->rx, &d, 0, &h, 0), 0);
}

static void pair_close(struct pair *p)
{
	pfring_close(p->rx);
	pfring_close(p->tx);
}

/* Sends the frame of flow f into rx's NIC: 1 if the ring received it, 0 if not. */
static int through(struct pair *p, const struct pb_flow *f)
{
	struct pfring_pkthdr h;
	u_int8_t frame[128];
	u_int32_t len = pb_build(frame, sizeof(frame), f);
	u_char *d;
	int rc;

	assert_int_equal(pfring_send(p->tx, (char *)frame, len, 1), (int)len);
	rc = pfring_recv(p->rx, &d, 0, &h, 0);
	assert_true(rc == 0 || rc == 1);
	if (rc == 1) {
		assert_int_equal(h.caplen, len);
		assert_memory_equal(d, frame, len);
		assert_int_equal(pfring_recv(p->rx, &d, 0, &h, 0), 0);
	}
	return rc;
}

static pfring_rule_stats rule_stats(pfring *r, u_int16_t id)
{
	pfring_rule_stats st;
	u_int len = sizeof(st);

	memset(&st, 0, sizeof(st));
	assert_int_equal(pfring_get_filtering_rule_stats(r, id, (char *)&st, &len), 0);
	assert_int_equal(len, sizeof(st));
	return st;
}

static filtering_rule drop_proto(u_int16_t id, u_int8_t proto)
{
	filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.rule_id = id;
	r.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	r.core_fields.proto = proto;
	return r;
}

static hash_filtering_rule drop_flow(const struct pb_flow *f)
{
	hash_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.proto = f->proto;
	r.host_peer_a.v4 = f->src4;
	r.host_peer_b.v4 = f->dst4;
	r.port_peer_a = f->sport;
	r.port_peer_b = f->dport;
	r.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	return r;
}

/* A wildcard rule drops UDP until removed; removing it twice is refused. */
static void test_remove_filtering_rule(void **state)
{
	struct pb_flow tcp = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	struct pb_flow udp = pb_udp4(HOST_A, HOST_B, 1000, 53);
	filtering_rule rule = drop_proto(5, PB_PROTO_UDP);
	pfring_rule_stats st;
	struct pair p;
	char msg[512];

	(void)state;
	pair_open(&p, "rmr");
	assert_int_equal(pfring_add_filtering_rule(p.rx, &rule), 0);
	assert_int_equal(through(&p, &udp), 0);
	assert_int_equal(through(&p, &tcp), 1);
	st = rule_stats(p.rx, 5);
	assert_int_equal(st.matching_packets, 1);
	assert_int_equal(st.dropped_packets, 1);
	assert_int_equal(pfring_remove_filtering_rule(p.rx, 5), 0);
	assert_int_equal(through(&p, &udp), 1);
	capture_begin();
	assert_int_equal(pfring_remove_filtering_rule(p.rx, 5), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	pair_close(&p);
}

/* The default policy decides what no rule matched. */
static void test_toggle_filtering_policy(void **state)
{
	struct pb_flow tcp = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	struct pair p;

	(void)state;
	pair_open(&p, "pol");
	assert_int_equal(pfring_toggle_filtering_policy(p.rx, 0), 0);
	assert_int_equal(p.rx->socket_default_accept_policy, 0);
	assert_int_equal(through(&p, &tcp), 0);
	assert_int_equal(pfring_toggle_filtering_policy(p.rx, 1), 0);
	assert_int_equal(through(&p, &tcp), 1);
	pair_close(&p);
}

/* A precise rule drops its flow in both directions, counts what it matched,
 * and stops when removed (pfring_handle_hash_filtering_rule with add_rule 0). */
static void test_hash_rules(void **state)
{
	struct pb_flow x = pb_tcp4(HOST_A, HOST_B, 1000, 80), xr = pb_reverse(&x);
	struct pb_flow y = pb_tcp4(HOST_A, HOST_B, 1001, 80);
	hash_filtering_rule h = drop_flow(&x);
	pfring_rule_stats st;
	u_int len = sizeof(st);
	struct pair p;
	char msg[512];

	(void)state;
	pair_open(&p, "hsh");
	assert_int_equal(pfring_handle_hash_filtering_rule(p.rx, &h, 1), 0);
	assert_int_equal(through(&p, &x), 0);
	assert_int_equal(through(&p, &xr), 0);
	assert_int_equal(through(&p, &y), 1);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(p.rx, &h, (char *)&st, &len), 0);
	assert_int_equal(len, sizeof(st));
	assert_int_equal(st.matching_packets, 2);
	assert_int_equal(st.dropped_packets, 2);
	assert_int_equal(pfring_handle_hash_filtering_rule(p.rx, &h, 0), 0);
	assert_int_equal(through(&p, &x), 1);
	len = sizeof(st);
	capture_begin();
	assert_int_equal(pfring_get_hash_filtering_rule_stats(p.rx, &h, (char *)&st, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	pair_close(&p);
}

static void test_remove_bpf_filter(void **state)
{
	struct pb_flow tcp = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	struct pb_flow udp = pb_udp4(HOST_A, HOST_B, 1000, 53);
	struct pair p;

	(void)state;
	pair_open(&p, "bpr");
	assert_int_equal(pfring_set_bpf_filter(p.rx, (char *)"tcp"), 0);
	assert_int_equal(through(&p, &udp), 0);
	assert_int_equal(through(&p, &tcp), 1);
	assert_int_equal(pfring_remove_bpf_filter(p.rx), 0);
	assert_int_equal(through(&p, &udp), 1);
	pair_close(&p);
}

/*
 * The rings' engine runs on the wall clock (CLOCK_REALTIME, pf_user_home), not
 * the NIC's virtual time: 2 ms after they were added, rule 7 and the precise
 * rule, which match nothing, are idle more than 0 s and not more than 3600 s.
 * Locked rule 8 is never purged; each purge returns how many it removed.
 */
static void test_purge_idle(void **state)
{
	struct pb_flow tcp = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	struct pb_flow idle = pb_tcp4(HOST_B, HOST_A, 7, 7);
	filtering_rule r7 = drop_proto(7, PB_PROTO_ICMP), r8 = drop_proto(8, PB_PROTO_ICMP);
	hash_filtering_rule h = drop_flow(&idle);
	pfring_rule_stats st;
	u_int len = sizeof(st);
	struct pair p;
	char msg[512];

	(void)state;
	r8.locked = 1;
	pair_open(&p, "prg");
	assert_int_equal(pfring_add_filtering_rule(p.rx, &r7), 0);
	assert_int_equal(pfring_add_filtering_rule(p.rx, &r8), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(p.rx, &h, 1), 0);
	assert_int_equal(through(&p, &tcp), 1);
	usleep(2000);
	assert_int_equal(pfring_purge_idle_rules(p.rx, 3600), 0);
	assert_int_equal(pfring_purge_idle_hash_rules(p.rx, 3600), 0);
	assert_int_equal(pfring_purge_idle_rules(p.rx, 0), 1);
	assert_int_equal(pfring_purge_idle_hash_rules(p.rx, 0), 1);
	capture_begin();
	assert_int_equal(pfring_remove_filtering_rule(p.rx, 7), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(p.rx, &h, (char *)&st, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_int_equal(pfring_remove_filtering_rule(p.rx, 8), 0);
	pair_close(&p);
}

/*
 * Lossless wire: a pump moves 256 frames (SIM_PUMP_BATCH) and pfring_poll
 * pumps until the ring holds its poll watermark, so the watermark decides how
 * many frames are queued when it returns.
 */
static void test_poll_watermark(void **state)
{
	pfring *r = pfring_open("sim:pwm?pcap=" FIX("many_flows.pcap"), 128, 0);

	(void)state;
	assert_non_null(r);
	assert_int_equal(pfring_set_poll_watermark(r, 300), 0);
	assert_int_equal(r->poll_watermark, 300);
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(pfring_poll(r, 1000), 1);
	assert_int_equal(pfring_get_num_queued_pkts(r), 512);
	assert_int_equal(pfring_set_poll_watermark(r, 600), 0);
	assert_int_equal(pfring_poll(r, 1000), 1);
	assert_int_equal(pfring_get_num_queued_pkts(r), 768);
	pfring_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remove_filtering_rule),
		cmocka_unit_test(test_toggle_filtering_policy),
		cmocka_unit_test(test_hash_rules),
		cmocka_unit_test(test_remove_bpf_filter),
		cmocka_unit_test(test_purge_idle),
		cmocka_unit_test(test_poll_watermark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
