/*
 * tests/unit/test_multi_members.c - the settings of docs/api.md's multi column:
 * each reaches every member, in order, with the caller's arguments; a member's
 * failure stops it, is returned, and undoes what the members before it were
 * given where an undo exists. Shown on members of a recording backend ("rec:",
 * registered here), then end to end on sim: members (a rule, a cluster).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pfring.h>
#include "lib/backend.h"
#include "lib/devname.h"
#include "stderr_capture.h"

#define FIX(name) FIXTURE_DIR "/" name

/* ------------------------------------------------------ the recording backend */

/* What member 0 (rec:a) and member 1 (rec:b) were asked, one line per call. */
static char calls[2][1024];
static char refuse[2][32];      /* a call name that member refuses */

static int member(pfring *r)
{
	return r->priv_data == calls[1];
}

static int rec(pfring *r, const char *what, long a, long b)
{
	char *log = calls[member(r)];
	size_t used = strlen(log);

	snprintf(log + used, sizeof(calls[0]) - used, "%s %ld %ld\n", what, a, b);
	return strcmp(refuse[member(r)], what) == 0 ? PF_RING_ERROR_INVALID_ARGUMENT : 0;
}

static int rec_open(pfring *r, const struct pf_devname *dn)
{
	r->priv_data = calls[dn->member[0].name[0] == 'b'];
	return 0;
}

static int rec_enable(pfring *r) { return rec(r, "enable", 0, 0); }
static int rec_disable(pfring *r) { return rec(r, "disable", 0, 0); }
static void rec_shutdown(pfring *r) { rec(r, "shutdown", 0, 0); }

static int rec_direction(pfring *r, packet_direction d) { return rec(r, "direction", d, 0); }
static int rec_sampling(pfring *r, u_int32_t rate) { return rec(r, "sampling", rate, 0); }
static int rec_policy(pfring *r, u_int8_t accept) { return rec(r, "policy", accept, 0); }
static int rec_rm_bpf(pfring *r) { return rec(r, "rm_bpf", 0, 0); }

static int rec_bpf(pfring *r, const char *filter)
{
	return rec(r, "bpf", (long)strlen(filter), filter[0]);
}

static int rec_cluster(pfring *r, u_int id, cluster_type t) { return rec(r, "cluster", id, t); }
static int rec_unclust(pfring *r) { return rec(r, "unclust", 0, 0); }

static int rec_add_rule(pfring *r, filtering_rule *rule)
{
	return rec(r, "add_rule", rule->rule_id, rule->core_fields.proto);
}

static int rec_rm_rule(pfring *r, u_int16_t id) { return rec(r, "rm_rule", id, 0); }

static int rec_hash_rule(pfring *r, hash_filtering_rule *rule, u_char add)
{
	return rec(r, "hash_rule", rule->port_peer_a, add);
}

static int rec_purge(pfring *r, u_int16_t sec) { return rec(r, "purge", sec, 0); }
static int rec_purge_hash(pfring *r, u_int16_t sec) { return rec(r, "purge_hash", sec, 0); }

static int rec_socket_mode(pfring *r, socket_mode mode) { return rec(r, "socket_mode", mode, 0); }

static int rec_address(pfring *r, u_char mac[6])
{
	memset(mac, 0xa0 + member(r), 6);
	return 0;
}

static const struct pfring_backend rec_backend = {
	.name = "rec",
	.prefix = "rec:",
	.open = rec_open,
	.shutdown = rec_shutdown,
	.enable_ring = rec_enable,
	.disable_ring = rec_disable,
	.set_direction = rec_direction,
	.set_sampling_rate = rec_sampling,
	.toggle_filtering_policy = rec_policy,
	.set_bpf_filter = rec_bpf,
	.remove_bpf_filter = rec_rm_bpf,
	.set_cluster = rec_cluster,
	.remove_from_cluster = rec_unclust,
	.add_filtering_rule = rec_add_rule,
	.remove_filtering_rule = rec_rm_rule,
	.handle_hash_filtering_rule = rec_hash_rule,
	.purge_idle_rules = rec_purge,
	.purge_idle_hash_rules = rec_purge_hash,
	.get_bound_device_address = rec_address,
	.set_socket_mode = rec_socket_mode,
};

static void clear(void)
{
	memset(calls, 0, sizeof(calls));
	memset(refuse, 0, sizeof(refuse));
}

/* Both members were asked exactly want since the last clear(). */
static void both_got(const char *want)
{
	assert_string_equal(calls[0], want);
	assert_string_equal(calls[1], want);
	clear();
}

/* Every setting reaches both members with its arguments. */
static void test_settings_reach_members(void **state)
{
	pfring *m = pfring_open("multi:rec:a;rec:b", 0, 0);
	filtering_rule rule;
	hash_filtering_rule hrule;
	u_char mac[6];
	int id = 0;

	(void)state;
	assert_non_null(m);
	clear();
	assert_int_equal(pfring_enable_ring(m), 0);
	both_got("enable 0 0\n");
	assert_int_equal(pfring_set_direction(m, rx_only_direction), 0);
	both_got("direction 1 0\n");
	assert_int_equal(pfring_set_sampling_rate(m, 7), 0);
	both_got("sampling 7 0\n");
	assert_int_equal(m->sampling_rate, 7);
	assert_int_equal(pfring_toggle_filtering_policy(m, 0), 0);
	both_got("policy 0 0\n");
	assert_int_equal(pfring_set_bpf_filter(m, (char *)"udp"), 0);
	both_got("bpf 3 117\n");
	assert_int_equal(pfring_remove_bpf_filter(m), 0);
	both_got("rm_bpf 0 0\n");
	assert_int_equal(pfring_set_cluster(m, 9, cluster_per_flow_5_tuple), 0);
	both_got("cluster 9 4\n");
	assert_int_equal(pfring_remove_from_cluster(m), 0);
	both_got("unclust 0 0\n");
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 12;
	rule.core_fields.proto = 17;
	assert_int_equal(pfring_add_filtering_rule(m, &rule), 0);
	both_got("add_rule 12 17\n");
	assert_int_equal(pfring_remove_filtering_rule(m, 12), 0);
	both_got("rm_rule 12 0\n");
	memset(&hrule, 0, sizeof(hrule));
	hrule.port_peer_a = 5060;
	assert_int_equal(pfring_handle_hash_filtering_rule(m, &hrule, 1), 0);
	both_got("hash_rule 5060 1\n");
	assert_int_equal(pfring_handle_hash_filtering_rule(m, &hrule, 0), 0);
	both_got("hash_rule 5060 0\n");
	assert_int_equal(pfring_purge_idle_rules(m, 30), 0);
	both_got("purge 30 0\n");
	assert_int_equal(pfring_purge_idle_hash_rules(m, 40), 0);
	both_got("purge_hash 40 0\n");
	assert_int_equal(pfring_disable_ring(m), 0);
	both_got("disable 0 0\n");

	/* identity: the member of the last packet, the first before any; no queues */
	assert_int_equal(pfring_get_bound_device_address(m, mac), 0);
	assert_int_equal(mac[0], 0xa0);
	assert_int_equal(pfring_get_bound_device_id(m, &id), 0);
	assert_int_equal(id, 1);        /* a member that tells no ifindex: its position */
	assert_int_equal(pfring_get_num_rx_channels(m), 1);
	/* the socket mode is the front's alone: the members are not told */
	assert_int_equal(pfring_set_socket_mode(m, recv_only_mode), 0);
	assert_int_equal(m->mode, recv_only_mode);
	assert_string_equal(calls[0], "");
	assert_string_equal(calls[1], "");

	pfring_shutdown(m);
	both_got("shutdown 0 0\n");
	pfring_close(m);
}

/* The second member refuses: the error comes back with a message naming it, and
 * the first member is given the undo (cluster: leave; rule: remove; enable:
 * disable; direction, sampling, policy: the multi ring's current value). */
static void test_failure_undone(void **state)
{
	pfring *m = pfring_open("multi:rec:a;rec:b", 0, 0);
	filtering_rule rule;
	char msg[1024];

	(void)state;
	assert_non_null(m);
	clear();
	strcpy(refuse[1], "cluster");
	capture_begin();
	assert_int_equal(pfring_set_cluster(m, 9, cluster_round_robin),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_string_equal(msg, "pfring_set_cluster(\"multi:rec:a;rec:b\"): member 2 \"rec:b\" "
			    "failed (-2); undone on the members before it\n");
	assert_string_equal(calls[0], "cluster 9 1\nunclust 0 0\n");
	assert_string_equal(calls[1], "cluster 9 1\n");

	clear();
	strcpy(refuse[1], "add_rule");
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 3;
	capture_begin();
	assert_int_equal(pfring_add_filtering_rule(m, &rule), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_string_equal(calls[0], "add_rule 3 0\nrm_rule 3 0\n");

	clear();
	strcpy(refuse[1], "enable");
	capture_begin();
	assert_int_equal(pfring_enable_ring(m), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_string_equal(calls[0], "enable 0 0\ndisable 0 0\n");
	assert_int_equal(m->enabled, 0);

	clear();
	strcpy(refuse[1], "sampling");
	capture_begin();
	assert_int_equal(pfring_set_sampling_rate(m, 5), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_string_equal(calls[0], "sampling 5 0\nsampling 1 0\n");
	assert_int_equal(m->sampling_rate, 1);

	clear();
	strcpy(refuse[1], "bpf");      /* no undo: the members' old filters are not kept */
	capture_begin();
	assert_int_equal(pfring_set_bpf_filter(m, (char *)"tcp"), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_string_equal(calls[0], "bpf 3 116\n");
	assert_non_null(strstr(msg, "member 2 \"rec:b\" failed (-2)\n"));
	pfring_close(m);
}

/* ------------------------------------------------------------ sim: members */

/* multi of sim:NAMEa (ipv4_tcp.pcap, 5 frames) and sim:NAMEb (ipv4_udp.pcap,
 * 3): frames read without waiting until three reads in a row find none. */
static unsigned int drain(pfring *r, unsigned int *udp)
{
	struct pfring_pkthdr h;
	unsigned int n = 0, empty = 0;
	u_char *p;

	*udp = 0;
	while (empty < 3) {
		int rc = pfring_recv(r, &p, 0, &h, 0);

		assert_true(rc >= 0);
		if (rc == 0) {
			empty++;
			continue;
		}
		empty = 0;
		n++;
		*udp += p[23] == 17;
	}
	return n;
}

/* A wildcard rule given to the multi ring drops UDP on both members. */
static void test_rule_on_sim_members(void **state)
{
	pfring *m = pfring_open("multi:sim:mra?pcap=" FIX("ipv4_tcp.pcap") ";sim:mrb?pcap="
				FIX("ipv4_udp.pcap"), 0, 0);
	filtering_rule rule;
	unsigned int udp;

	(void)state;
	assert_non_null(m);
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 1;
	rule.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	rule.core_fields.proto = 17;
	assert_int_equal(pfring_add_filtering_rule(m, &rule), 0);
	assert_int_equal(pfring_enable_ring(m), 0);
	assert_int_equal(drain(m, &udp), 5);
	assert_int_equal(udp, 0);
	pfring_close(m);
}

/*
 * The multi ring joins round-robin cluster 4 on both members' NICs; a plain ring
 * on the first NIC joins it after: that NIC's 5 frames alternate between its
 * two members (the multi ring's first: 3 of them), the second NIC's 3 all go to
 * the multi ring, its only member there.
 */
static void test_cluster_on_sim_members(void **state)
{
	pfring *m = pfring_open("multi:sim:mca?pcap=" FIX("ipv4_tcp.pcap") ";sim:mcb?pcap="
				FIX("ipv4_udp.pcap"), 0, 0);
	pfring *other = pfring_open("sim:mca", 0, 0);
	unsigned int udp;

	(void)state;
	assert_non_null(m);
	assert_non_null(other);
	assert_int_equal(pfring_set_cluster(m, 4, cluster_round_robin), 0);
	assert_int_equal(pfring_set_cluster(other, 4, cluster_round_robin), 0);
	assert_int_equal(pfring_enable_ring(m), 0);
	assert_int_equal(pfring_enable_ring(other), 0);
	assert_int_equal(drain(m, &udp), 6);
	assert_int_equal(udp, 3);
	assert_int_equal(drain(other, &udp), 2);
	pfring_close(other);
	pfring_close(m);
}

static int setup(void **state)
{
	(void)state;
	return pfring_backend_register(&rec_backend);
}

static int teardown(void **state)
{
	(void)state;
	return pfring_backend_unregister(&rec_backend);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_reach_members),
		cmocka_unit_test(test_failure_undone),
		cmocka_unit_test(test_rule_on_sim_members),
		cmocka_unit_test(test_cluster_on_sim_members),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
