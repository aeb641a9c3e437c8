/*
 * tests/unit/test_pipeline.c - one ring's filtering pipeline (core/socket.c,
 * core/socket_filter.c) and the sample plugins (plugins/), driven through
 * struct pf_socket directly.
 *
 * Homes: pf_user_clock_init()'s home with a settable clock, copied and given
 * reflect / bounce / bpf_run hooks that count calls and record what they were
 * handed; the same home without hooks (core's BPF executor, no senders); and
 * pf_user_home() (the real RCU-shaped home) for the reader/writer stress.
 *
 * Every test asserts exact counts: per-verdict, per-rule, per-hook, and the
 * accounting identity of socket.h.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "core/socket.h"
#include "core/plugin.h"
#include "core/ring.h"
#include "plugins/sample_plugins.h"
#include "lib/user_home.h"
#include "lib/bpf_compile.h"
#include "pkt_build.h"

#define NS 1000000000ull
#define T0 (1000 * NS)            /* the virtual clock's start */
#define HOST_A 0x0a000001u        /* 10.0.0.1 */
#define HOST_B 0x0a000002u        /* 10.0.0.2 */
#define HOST_C 0x0a000003u

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

/* ================================================================== homes */

/* What the hooks saw. */
static struct {
	int reflect_calls, bounce_calls, bpf_calls;
	int reflect_rc, bounce_rc;            /* what the senders return */
	char dev[REFLECTOR_NAME_LEN + 1];     /* last reflect device */
	u8 bytes[2048];                       /* last frame sent (reflect or bounce) */
	u32 caplen;
	s32 bounce_if;
} rec;

static struct pf_user_clock clk;
static struct pf_home hook_home;    /* clk.home plus the hooks below */
static struct pf_socket sock;

static void record_frame(const struct pf_pkt *p)
{
	rec.caplen = p->caplen;
	memcpy(rec.bytes, p->data, p->caplen < sizeof(rec.bytes) ? p->caplen : sizeof(rec.bytes));
}

static int t_reflect(void *ctx, const char *device, const struct pf_pkt *p)
{
	assert_ptr_equal(ctx, &clk);
	rec.reflect_calls++;
	memset(rec.dev, 0, sizeof(rec.dev));
	memcpy(rec.dev, device, strnlen(device, REFLECTOR_NAME_LEN));
	record_frame(p);
	return rec.reflect_rc;
}

static int t_bounce(void *ctx, const struct pf_pkt *p)
{
	assert_ptr_equal(ctx, &clk);
	rec.bounce_calls++;
	rec.bounce_if = p->if_index;
	record_frame(p);
	return rec.bounce_rc;
}

/* libpcap's interpreter: struct pf_bpf_insn has struct bpf_insn's layout. */
static u32 t_bpf_run(void *ctx, const void *insns, u32 n, const struct pf_pkt *p)
{
	assert_ptr_equal(ctx, &clk);
	assert_true(n > 0);
	rec.bpf_calls++;
	return bpf_filter((const struct bpf_insn *)insns, p->data, p->len, p->caplen);
}

static void home_setup(int hooks)
{
	memset(&rec, 0, sizeof(rec));
	pf_user_clock_init(&clk);
	clk.now_ns = T0;
	hook_home = clk.home;
	if (hooks) {
		hook_home.reflect = t_reflect;
		hook_home.bounce = t_bounce;
		hook_home.bpf_run = t_bpf_run;
	}
	assert_int_equal(pf_socket_init(&sock, &hook_home), 0);
	sock.precise_capacity = 1024;     /* small: tests create many tables */
}

static int setup_hooks(void **state)
{
	(void)state;
	home_setup(1);
	return 0;
}

static int setup_plain(void **state)
{
	(void)state;
	home_setup(0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pf_socket_destroy(&sock);
	return 0;
}

/* ================================================================ packets */

struct frame {
	u8 b[1600];
	u32 n;
};

static void build(struct frame *fr, const struct pb_flow *f)
{
	fr->n = pb_build(fr->b, sizeof(fr->b), f);
	assert_true(fr->n >= PB_MIN_FRAME);
}

/* Run one frame through s; *info (may be NULL) gets what the pipeline left. */
static enum pf_verdict run_frame(struct pf_socket *s, const struct frame *fr, u8 rx,
				 struct pf_pkt *out)
{
	struct pf_pkt p;
	enum pf_verdict v;

	memset(&p, 0, sizeof(p));
	p.data = fr->b;
	p.caplen = p.len = fr->n;
	p.rx = rx;
	p.if_index = 7;
	p.ts_ns = clk.now_ns;
	v = pf_socket_filter(s, &p);
	if (out)
		*out = p;
	return v;
}

static enum pf_verdict run(struct pf_socket *s, const struct pb_flow *f)
{
	struct frame fr;

	build(&fr, f);
	return run_frame(s, &fr, 1, NULL);
}

static void assert_counters(const struct pf_socket *s, u64 seen, u64 passed, u64 filtered,
			    u64 unsampled)
{
	assert_int_equal(s->cnt.seen, seen);
	assert_int_equal(s->cnt.passed, passed);
	assert_int_equal(s->cnt.filtered, filtered);
	assert_int_equal(s->cnt.unsampled, unsampled);
	assert_int_equal(s->cnt.seen, s->cnt.passed + s->cnt.filtered + s->cnt.unsampled);
}

/* ================================================================== rules */

static filtering_rule wrule(u16 id, rule_action_behaviour a)
{
	filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.rule_id = id;
	r.rule_action = a;
	if (a == reflect_packet_and_stop_rule_evaluation ||
	    a == reflect_packet_and_continue_rule_evaluation)
		memcpy(r.reflector_device_name, "refl0", 6);
	return r;
}

/* A wildcard rule for TCP to port `dport`. */
static filtering_rule tcp_rule(u16 id, rule_action_behaviour a, u16 dport)
{
	filtering_rule r = wrule(id, a);

	r.core_fields.proto = PB_PROTO_TCP;
	r.core_fields.dport_low = dport;
	return r;
}

/* The precise rule of f's flow (IPv4). */
static hash_filtering_rule hrule(const struct pb_flow *f, rule_action_behaviour a)
{
	hash_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.vlan_id = f->vlan;
	r.proto = f->proto;
	r.host_peer_a.v4 = f->src4;
	r.host_peer_b.v4 = f->dst4;
	r.port_peer_a = f->sport;
	r.port_peer_b = f->dport;
	r.rule_action = a;
	if (a == reflect_packet_and_stop_rule_evaluation ||
	    a == reflect_packet_and_continue_rule_evaluation)
		memcpy(r.reflector_device_name, "refl1", 6);
	return r;
}

static void add(struct pf_socket *s, filtering_rule r)
{
	assert_int_equal(pf_socket_add_rule(s, &r), 0);
}

static void add_hash(struct pf_socket *s, hash_filtering_rule r)
{
	assert_int_equal(pf_socket_hash_rule(s, &r, 1), 0);
}

static pfring_rule_stats stats_of(struct pf_socket *s, u16 id)
{
	pfring_rule_stats st;
	u32 len = sizeof(st);

	memset(&st, 0xee, sizeof(st));
	assert_int_equal(pf_socket_rule_stats(s, id, (u8 *)&st, &len), 0);
	assert_int_equal(len, sizeof(st));
	return st;
}

static void assert_rule(struct pf_socket *s, u16 id, u64 matched, u64 dropped)
{
	pfring_rule_stats st = stats_of(s, id);

	assert_int_equal(st.matching_packets, matched);
	assert_int_equal(st.dropped_packets, dropped);
}

static void assert_hash_rule(struct pf_socket *s, const hash_filtering_rule *r, u64 matched,
			     u64 dropped)
{
	pfring_rule_stats st;
	u32 len = sizeof(st);

	assert_int_equal(pf_socket_hash_rule_stats(s, r, (u8 *)&st, &len), 0);
	assert_int_equal(len, sizeof(st));
	assert_int_equal(st.matching_packets, matched);
	assert_int_equal(st.dropped_packets, dropped);
}

static u32 precise_count(const struct pf_socket *s)
{
	return pf_precise_count(s->precise);
}

/* ==================================================================== BPF */

struct prog {
	struct pf_bpf_insn *insns;
	u32 n;
};

static struct prog compile(const char *expr)
{
	struct prog p;
	char err[256];

	assert_int_equal(pfring_bpf_compile(expr, 65535, &p.insns, &p.n, err, sizeof(err)), 0);
	return p;
}

static void set_bpf(struct pf_socket *s, const char *expr)
{
	struct prog p = compile(expr);
	char err[256] = "";

	assert_int_equal(pf_socket_set_bpf(s, p.insns, p.n, err, sizeof(err)), 0);
	free(p.insns);
}

/* ================================================================== order */

static const struct pb_flow *flow_x(void)
{
	static struct pb_flow f;

	f = pb_tcp4(HOST_A, HOST_B, 40000, 80);
	return &f;
}

/* A precise rule dropping a flow beats a wildcard rule forwarding it. */
static void test_order_precise_drop_beats_wildcard_forward(void **state)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	struct pb_flow other = pb_tcp4(HOST_A, HOST_C, 40000, 80);
	hash_filtering_rule h = hrule(&x, dont_forward_packet_and_stop_rule_evaluation);

	(void)state;
	add(&sock, wrule(1, forward_packet_and_stop_rule_evaluation));
	add_hash(&sock, h);
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_int_equal(run(&sock, &xr), PF_FILTERED);
	assert_int_equal(run(&sock, &other), PF_PASS);
	assert_hash_rule(&sock, &h, 2, 2);
	assert_rule(&sock, 1, 1, 0);     /* only the other flow reached it */
	assert_counters(&sock, 3, 1, 2, 0);
}

/* ... and a precise rule forwarding a flow beats a wildcard rule dropping it. */
static void test_order_precise_forward_beats_wildcard_drop(void **state)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	struct pb_flow other = pb_tcp4(HOST_A, HOST_C, 40000, 80);
	hash_filtering_rule h = hrule(&x, forward_packet_and_stop_rule_evaluation);

	(void)state;
	add(&sock, wrule(1, dont_forward_packet_and_stop_rule_evaluation));
	add_hash(&sock, h);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &xr), PF_PASS);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &other), PF_FILTERED);
	assert_hash_rule(&sock, &h, 3, 0);
	assert_rule(&sock, 1, 1, 1);
	assert_counters(&sock, 4, 3, 1, 0);
}

/* Wildcard rules in ascending rule_id, whatever the order they were added in. */
static void test_order_wildcard_by_rule_id(void **state)
{
	struct pf_pkt p;
	struct frame fr;

	(void)state;
	build(&fr, flow_x());
	add(&sock, tcp_rule(30, forward_packet_and_stop_rule_evaluation, 80));
	add(&sock, tcp_rule(20, dont_forward_packet_and_stop_rule_evaluation, 80));
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_FILTERED);
	assert_int_equal(p.info.last_matched_rule_id, 20);
	add(&sock, tcp_rule(10, forward_packet_and_stop_rule_evaluation, 80));
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
	assert_int_equal(p.info.last_matched_rule_id, 10);
	assert_rule(&sock, 10, 1, 0);
	assert_rule(&sock, 20, 1, 1);
	assert_rule(&sock, 30, 0, 0);
}

/* Rules decide before the policy; the policy decides what no rule stopped. */
static void test_rules_before_policy(void **state)
{
	struct pb_flow tcp = *flow_x(), udp = pb_udp4(HOST_A, HOST_B, 5000, 53);

	(void)state;
	/* default policy: accept */
	assert_int_equal(run(&sock, &udp), PF_PASS);
	assert_int_equal(pf_socket_set_policy(&sock, 0), 0);
	assert_int_equal(sock.default_accept, 0);
	assert_int_equal(run(&sock, &udp), PF_FILTERED);
	add(&sock, tcp_rule(1, forward_packet_and_stop_rule_evaluation, 80));
	assert_int_equal(run(&sock, &tcp), PF_PASS);
	assert_int_equal(run(&sock, &udp), PF_FILTERED);
	/* any non-zero value means accept */
	assert_int_equal(pf_socket_set_policy(&sock, 7), 0);
	assert_int_equal(sock.default_accept, 1);
	assert_int_equal(pf_socket_remove_rule(&sock, 1), 0);
	add(&sock, tcp_rule(2, dont_forward_packet_and_stop_rule_evaluation, 80));
	assert_int_equal(run(&sock, &tcp), PF_FILTERED);
	assert_int_equal(run(&sock, &udp), PF_PASS);
	assert_rule(&sock, 2, 1, 1);
	assert_counters(&sock, 6, 3, 3, 0);
}

/* A ring without rules never parses its packets. */
static void test_no_rules_no_parse(void **state)
{
	struct pf_pkt p;
	struct frame fr;

	(void)state;
	build(&fr, flow_x());
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
	assert_int_equal(p.parsed_level, 0);
	add(&sock, tcp_rule(1, forward_packet_and_stop_rule_evaluation, 81));
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
	assert_int_equal(p.parsed_level, PF_RING_PARSE_L5);
	assert_int_equal(p.info.last_matched_rule_id, 0);
}

/* BPF runs only on what rules / policy let through; its rejects are filtered. */
static void test_bpf_only_after_rules(void **state)
{
	struct pb_flow t80 = *flow_x(), t81 = pb_tcp4(HOST_A, HOST_B, 40000, 81);
	struct pb_flow u80 = pb_udp4(HOST_A, HOST_B, 40000, 80);
	filtering_rule drop_udp = wrule(1, dont_forward_packet_and_stop_rule_evaluation);
	int i;

	(void)state;
	drop_udp.core_fields.proto = PB_PROTO_UDP;
	add(&sock, drop_udp);
	set_bpf(&sock, "tcp port 80");
	for (i = 0; i < 4; i++)
		assert_int_equal(run(&sock, &t80), PF_PASS);
	for (i = 0; i < 3; i++)
		assert_int_equal(run(&sock, &t81), PF_FILTERED);
	for (i = 0; i < 5; i++)
		assert_int_equal(run(&sock, &u80), PF_FILTERED);
	assert_int_equal(rec.bpf_calls, 7);
	assert_rule(&sock, 1, 5, 5);
	assert_counters(&sock, 12, 4, 8, 0);

	/* policy drop, nothing matches: BPF is not even asked */
	assert_int_equal(pf_socket_set_policy(&sock, 0), 0);
	assert_int_equal(run(&sock, &t80), PF_FILTERED);
	assert_int_equal(rec.bpf_calls, 7);
	/* a rule forwarding t80 hands it to BPF again */
	add(&sock, tcp_rule(2, forward_packet_and_stop_rule_evaluation, 80));
	assert_int_equal(run(&sock, &t80), PF_PASS);
	assert_int_equal(rec.bpf_calls, 8);
	assert_counters(&sock, 14, 5, 9, 0);
}

/* Sampling counts only packets that passed BPF. */
static void test_sampling_after_bpf(void **state)
{
	struct pb_flow t80 = *flow_x(), t81 = pb_tcp4(HOST_A, HOST_B, 40000, 81);
	/* 1 = t80, 0 = t81 */
	static const int seq[] = { 1, 0, 0, 1, 0, 1, 1, 0, 1 };
	/* t80 number 1, 4, ... is sampled (rate 3): t80s are #1 #2 #3 #4 #5 */
	static const enum pf_verdict want[] = {
		PF_PASS, PF_FILTERED, PF_FILTERED, PF_UNSAMPLED, PF_FILTERED,
		PF_UNSAMPLED, PF_PASS, PF_FILTERED, PF_UNSAMPLED,
	};
	size_t i;

	(void)state;
	set_bpf(&sock, "tcp port 80");
	assert_int_equal(pf_socket_set_sampling(&sock, 3), 0);
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		assert_int_equal(run(&sock, seq[i] ? &t80 : &t81), want[i]);
	assert_int_equal(rec.bpf_calls, 9);
	assert_counters(&sock, 9, 2, 4, 3);
}

/* ================================================================ actions */

struct action_case {
	rule_action_behaviour a;
	int stops;       /* 1: evaluation stops at the rule */
	int forwards;    /* when it stops: 1 the packet goes up */
	int reflects, bounces;
};

static const struct action_case actions[10] = {
	{ forward_packet_and_stop_rule_evaluation, 1, 1, 0, 0 },
	{ dont_forward_packet_and_stop_rule_evaluation, 1, 0, 0, 0 },
	{ execute_action_and_continue_rule_evaluation, 0, 0, 0, 0 },
	{ execute_action_and_stop_rule_evaluation, 1, 0, 0, 0 },
	{ forward_packet_add_rule_and_stop_rule_evaluation, 1, 1, 0, 0 },
	{ forward_packet_del_rule_and_stop_rule_evaluation, 1, 1, 0, 0 },
	{ reflect_packet_and_stop_rule_evaluation, 1, 0, 1, 0 },
	{ reflect_packet_and_continue_rule_evaluation, 0, 0, 1, 0 },
	{ bounce_packet_and_stop_rule_evaluation, 1, 0, 0, 1 },
	{ bounce_packet_and_continue_rule_evaluation, 0, 0, 0, 1 },
};

/* What comes after the rule under test. */
enum later { LATER_FORWARD, LATER_DROP, POLICY_ACCEPT, POLICY_DROP };

static int later_forwards(enum later l)
{
	return l == LATER_FORWARD || l == POLICY_ACCEPT;
}

static void setup_later(struct pf_socket *s, enum later l)
{
	if (l == LATER_FORWARD)
		add(s, wrule(20, forward_packet_and_stop_rule_evaluation));
	else if (l == LATER_DROP)
		add(s, wrule(20, dont_forward_packet_and_stop_rule_evaluation));
	else
		assert_int_equal(pf_socket_set_policy(s, l == POLICY_ACCEPT), 0);
}

/* Each action on a wildcard rule (id 10, TCP/80), followed by a match-all rule
 * 20 that forwards or drops, or by nothing and a policy. Three packets of one
 * flow. */
static void wildcard_action_case(const struct action_case *c, enum later l)
{
	struct pb_flow x = *flow_x();
	struct frame fr;
	struct pf_pkt p;
	int i, goes_up = c->stops ? c->forwards : later_forwards(l);
	int has_later = l == LATER_FORWARD || l == LATER_DROP;
	int add_rule = c->a == forward_packet_add_rule_and_stop_rule_evaluation;
	u64 at_10 = add_rule ? 1 : 3;

	home_setup(1);
	add(&sock, tcp_rule(10, c->a, 80));
	setup_later(&sock, l);
	build(&fr, &x);
	for (i = 0; i < 3; i++) {
		assert_int_equal(run_frame(&sock, &fr, 1, &p), goes_up ? PF_PASS : PF_FILTERED);
		if (add_rule && i > 0)
			continue;    /* decided by the flow's precise rule */
		assert_int_equal(p.info.last_matched_rule_id,
				 c->stops || !has_later ? 10 : 20);
	}
	assert_rule(&sock, 10, at_10, c->stops && !c->forwards ? at_10 : 0);
	if (has_later)
		assert_rule(&sock, 20, c->stops ? 0 : 3,
			    !c->stops && l == LATER_DROP ? 3 : 0);
	assert_int_equal(rec.reflect_calls, c->reflects * 3);
	assert_int_equal(rec.bounce_calls, c->bounces * 3);
	if (c->reflects)
		assert_string_equal(rec.dev, "refl0");
	if (c->reflects || c->bounces) {
		assert_int_equal(rec.caplen, fr.n);
		assert_memory_equal(rec.bytes, fr.b, fr.n);
	}
	if (c->bounces)
		assert_int_equal(rec.bounce_if, 7);
	assert_int_equal(sock.cnt.reflect_errors, 0);
	if (add_rule) {
		hash_filtering_rule h = hrule(&x, forward_packet_and_stop_rule_evaluation);

		assert_int_equal(precise_count(&sock), 1);
		assert_hash_rule(&sock, &h, 2, 0);
	} else {
		assert_int_equal(precise_count(&sock), 0);
	}
	assert_counters(&sock, 3, goes_up ? 3 : 0, goes_up ? 0 : 3, 0);
	pf_socket_destroy(&sock);
}

static void test_actions_wildcard(void **state)
{
	int i, l;

	(void)state;
	pf_socket_destroy(&sock);    /* each case makes its own */
	for (i = 0; i < 10; i++)
		for (l = LATER_FORWARD; l <= POLICY_DROP; l++)
			wildcard_action_case(&actions[i], (enum later)l);
	home_setup(1);  /* for the teardown */
}

/* Each action on a precise rule of the flow, then a match-all wildcard rule
 * 20 or the policy. Packets alternate directions: x, reverse, x. */
static void precise_action_case(const struct action_case *c, enum later l)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	hash_filtering_rule h = hrule(&x, c->a);
	int has_later = l == LATER_FORWARD || l == LATER_DROP;
	int del_rule = c->a == forward_packet_del_rule_and_stop_rule_evaluation;
	struct frame fr[2];
	int i;

	home_setup(1);
	add_hash(&sock, h);
	setup_later(&sock, l);
	build(&fr[0], &x);
	build(&fr[1], &xr);
	for (i = 0; i < 3; i++) {
		/* del_rule: the first packet removes the rule; the rest go on */
		int stops = c->stops && !(del_rule && i > 0);
		int goes_up = stops ? c->forwards : later_forwards(l);

		assert_int_equal(run_frame(&sock, &fr[i & 1], 1, NULL),
				 goes_up ? PF_PASS : PF_FILTERED);
	}
	if (del_rule) {
		pfring_rule_stats st;
		u32 len = sizeof(st);

		assert_int_equal(precise_count(&sock), 0);
		assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&st, &len),
				 -PF_ENOENT);
		if (has_later)
			assert_rule(&sock, 20, 2, l == LATER_DROP ? 2 : 0);
	} else {
		assert_int_equal(precise_count(&sock), 1);
		assert_hash_rule(&sock, &h, 3, c->stops && !c->forwards ? 3 : 0);
		if (has_later)
			assert_rule(&sock, 20, c->stops ? 0 : 3,
				    !c->stops && l == LATER_DROP ? 3 : 0);
	}
	assert_int_equal(rec.reflect_calls, c->reflects * 3);
	assert_int_equal(rec.bounce_calls, c->bounces * 3);
	if (c->reflects)
		assert_string_equal(rec.dev, "refl1");
	if (c->reflects || c->bounces) {
		/* the last one sent was the third packet: x */
		assert_int_equal(rec.caplen, fr[0].n);
		assert_memory_equal(rec.bytes, fr[0].b, fr[0].n);
	}
	assert_int_equal(sock.cnt.reflect_errors, 0);
	pf_socket_destroy(&sock);
}

static void test_actions_precise(void **state)
{
	int i, l;

	(void)state;
	pf_socket_destroy(&sock);    /* each case makes its own */
	for (i = 0; i < 10; i++)
		for (l = LATER_FORWARD; l <= POLICY_DROP; l++)
			precise_action_case(&actions[i], (enum later)l);
	home_setup(1);
}

/* forward_packet_add_rule: the flow's next packets, in either direction, are
 * decided by the precise stage, even against a lower wildcard rule added later. */
static void test_add_rule_creates_flow_rule(void **state)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	struct pb_flow y = pb_tcp4(HOST_C, HOST_B, 1234, 80);
	hash_filtering_rule hx = hrule(&x, forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule hy = hrule(&y, forward_packet_and_stop_rule_evaluation);
	struct pb_flow arp = pb_flow_base(0, 0), icmp = pb_icmp4(HOST_A, HOST_B);
	filtering_rule any = wrule(11, forward_packet_add_rule_and_stop_rule_evaluation);
	hash_filtering_rule hicmp = hrule(&icmp, forward_packet_and_stop_rule_evaluation);

	(void)state;
	sock.precise_capacity = PF_DEFAULT_PRECISE_CAPACITY;
	add(&sock, tcp_rule(10, forward_packet_add_rule_and_stop_rule_evaluation, 80));
	assert_non_null(sock.precise);        /* created with the rule */
	assert_int_equal(precise_count(&sock), 0);

	assert_int_equal(run(&sock, &xr), PF_PASS);   /* reverse: sport 80, no match */
	assert_int_equal(precise_count(&sock), 0);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(precise_count(&sock), 1);
	assert_rule(&sock, 10, 1, 0);
	assert_hash_rule(&sock, &hx, 0, 0);
	/* a lower wildcard rule that drops everything: the flow still passes */
	add(&sock, wrule(1, dont_forward_packet_and_stop_rule_evaluation));
	assert_int_equal(run(&sock, &xr), PF_PASS);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &y), PF_FILTERED);
	assert_hash_rule(&sock, &hx, 2, 0);
	assert_rule(&sock, 1, 1, 1);
	assert_rule(&sock, 10, 1, 0);
	/* the reversed rule names the same flow */
	{
		hash_filtering_rule rev = hrule(&xr, forward_packet_and_stop_rule_evaluation);

		assert_hash_rule(&sock, &rev, 2, 0);
		assert_int_equal(pf_socket_hash_rule(&sock, &rev, 1), -PF_EEXIST);
	}
	assert_int_equal(pf_socket_remove_rule(&sock, 1), 0);
	assert_int_equal(run(&sock, &y), PF_PASS);
	assert_int_equal(precise_count(&sock), 2);
	assert_hash_rule(&sock, &hy, 0, 0);
	/* a second packet of x while its rule exists adds nothing */
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(precise_count(&sock), 2);

	/* a match-all add_rule: ICMP (ports 0) gets its rule; a non-IP frame
	 * is forwarded without one */
	add(&sock, any);
	assert_int_equal(run(&sock, &arp), PF_PASS);
	assert_int_equal(precise_count(&sock), 2);
	assert_int_equal(run(&sock, &icmp), PF_PASS);
	assert_int_equal(precise_count(&sock), 3);
	assert_int_equal(run(&sock, &icmp), PF_PASS);
	assert_hash_rule(&sock, &hicmp, 1, 0);
	assert_rule(&sock, 11, 2, 0);   /* arp, icmp's first packet */
	/* removed by the user: the next packet adds it again */
	assert_int_equal(pf_socket_hash_rule(&sock, &hx, 0), 0);
	assert_int_equal(pf_socket_hash_rule(&sock, &hx, 0), -PF_ENOENT);
	assert_int_equal(precise_count(&sock), 2);
	assert_int_equal(run(&sock, &xr), PF_PASS);    /* rule 10 no, rule 11 yes */
	assert_int_equal(precise_count(&sock), 3);
	assert_rule(&sock, 11, 3, 0);
}

/* VLAN: a wildcard rule on the VLAN id; the flow rule made from a tagged
 * packet keeps its VLAN (vlan_id is part of the precise key). */
static void test_vlan_flow_rule(void **state)
{
	struct pb_flow v100 = *flow_x(), v200 = *flow_x(), untagged = *flow_x();
	filtering_rule drop200 = wrule(1, dont_forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule h100, h0;
	struct frame fr;
	struct pf_pkt p;

	(void)state;
	v100.vlan = 100;
	v200.vlan = 200;
	drop200.core_fields.vlan_id = 200;
	add(&sock, drop200);
	add(&sock, tcp_rule(10, forward_packet_add_rule_and_stop_rule_evaluation, 80));
	build(&fr, &v100);
	assert_int_equal(fr.n, PB_MIN_FRAME);    /* 18 + 20 + 20 = 58, padded */
	assert_int_equal(fr.b[12], 0x81);
	assert_int_equal(fr.b[15], 100);
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
	assert_int_equal(p.info.vlan_id, 100);
	assert_int_equal(run(&sock, &v200), PF_FILTERED);
	assert_int_equal(precise_count(&sock), 1);
	h100 = hrule(&v100, forward_packet_and_stop_rule_evaluation);
	h0 = hrule(&untagged, forward_packet_and_stop_rule_evaluation);
	assert_hash_rule(&sock, &h100, 0, 0);
	{
		pfring_rule_stats st;
		u32 len = sizeof(st);

		assert_int_equal(pf_socket_hash_rule_stats(&sock, &h0, (u8 *)&st, &len),
				 -PF_ENOENT);
	}
	/* the untagged flow is another flow: rule 10 adds its own */
	assert_int_equal(run(&sock, &untagged), PF_PASS);
	assert_int_equal(precise_count(&sock), 2);
	assert_int_equal(run(&sock, &v100), PF_PASS);
	assert_hash_rule(&sock, &h100, 1, 0);
	assert_rule(&sock, 10, 2, 0);
	assert_rule(&sock, 1, 1, 1);
}

/* forward_packet_del_rule on a wildcard rule removes the flow's precise rule,
 * whichever direction the packet goes. */
static void test_del_rule_removes_flow_rule(void **state)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	struct pb_flow z = pb_tcp4(HOST_C, HOST_A, 999, 22);
	hash_filtering_rule hx = hrule(&x, execute_action_and_continue_rule_evaluation);
	hash_filtering_rule hz = hrule(&z, execute_action_and_continue_rule_evaluation);
	filtering_rule del = wrule(10, forward_packet_del_rule_and_stop_rule_evaluation);
	int i;

	(void)state;
	add(&sock, del);
	add_hash(&sock, hx);
	add_hash(&sock, hz);
	assert_int_equal(precise_count(&sock), 2);
	assert_int_equal(run(&sock, &xr), PF_PASS);
	assert_int_equal(precise_count(&sock), 1);
	assert_int_equal(run(&sock, &x), PF_PASS);     /* nothing left to delete */
	assert_int_equal(precise_count(&sock), 1);
	assert_rule(&sock, 10, 2, 0);
	assert_hash_rule(&sock, &hz, 0, 0);
	/* the deferred entry is recycled by the next writer; re-adding works */
	add_hash(&sock, hx);
	assert_int_equal(precise_count(&sock), 2);
	for (i = 0; i < 3; i++)
		assert_int_equal(run(&sock, &z), PF_PASS);
	assert_int_equal(precise_count(&sock), 1);
	assert_int_equal(pf_socket_hash_rule(&sock, &hx, 0), 0);
	assert_int_equal(precise_count(&sock), 0);
	assert_counters(&sock, 5, 5, 0, 0);
}

/* A reflect/bounce the home cannot do is counted, and the action still decides. */
static void test_reflect_errors(void **state)
{
	struct pb_flow x = *flow_x();

	(void)state;
	add(&sock, tcp_rule(1, reflect_packet_and_continue_rule_evaluation, 80));
	add(&sock, tcp_rule(2, bounce_packet_and_continue_rule_evaluation, 80));
	add(&sock, tcp_rule(3, reflect_packet_and_stop_rule_evaluation, 80));
	/* the plain home has no senders */
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_int_equal(sock.cnt.reflect_errors, 3);
	pf_socket_destroy(&sock);

	home_setup(1);
	add(&sock, tcp_rule(1, reflect_packet_and_continue_rule_evaluation, 80));
	add(&sock, tcp_rule(2, bounce_packet_and_stop_rule_evaluation, 80));
	rec.reflect_rc = -1;
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_int_equal(sock.cnt.reflect_errors, 1);
	rec.bounce_rc = -5;
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_int_equal(sock.cnt.reflect_errors, 3);
	rec.reflect_rc = 0;
	rec.bounce_rc = 1;   /* non-negative is success */
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_int_equal(sock.cnt.reflect_errors, 3);
	assert_int_equal(rec.reflect_calls, 3);
	assert_int_equal(rec.bounce_calls, 3);
	assert_rule(&sock, 1, 3, 0);
	assert_rule(&sock, 2, 3, 3);
}

/* Reflect actions need a device; unknown actions are refused. */
static void test_rule_validation(void **state)
{
	filtering_rule r = wrule(1, reflect_packet_and_stop_rule_evaluation);
	hash_filtering_rule h = hrule(flow_x(), bounce_packet_and_continue_rule_evaluation);

	(void)state;
	r.reflector_device_name[0] = '\0';
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_EINVAL);
	r = wrule(1, (rule_action_behaviour)10);
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_EINVAL);
	assert_int_equal(pf_socket_add_rule(&sock, NULL), -PF_EINVAL);
	r = wrule(1, forward_packet_and_stop_rule_evaluation);
	add(&sock, r);
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_EEXIST);
	assert_int_equal(pf_socket_remove_rule(&sock, 2), -PF_ENOENT);
	h.rule_action = (rule_action_behaviour)10;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_EINVAL);
	h.rule_action = reflect_packet_and_continue_rule_evaluation;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_EINVAL);
	assert_int_equal(pf_socket_hash_rule(&sock, NULL, 1), -PF_EINVAL);
	h.rule_action = forward_packet_and_stop_rule_evaluation;
	h.host_peer_b.v4 = 0;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_EINVAL);
	assert_int_equal(precise_count(&sock), 0);
}

/* ============================================================== direction */

static void test_direction(void **state)
{
	struct pb_flow x = *flow_x();
	struct frame fr;

	(void)state;
	build(&fr, &x);
	set_bpf(&sock, "tcp");
	add(&sock, wrule(1, forward_packet_and_stop_rule_evaluation));
	assert_int_equal(sock.direction, rx_and_tx_direction);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(run_frame(&sock, &fr, 0, NULL), PF_PASS);

	assert_int_equal(pf_socket_set_direction(&sock, rx_only_direction), 0);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(run_frame(&sock, &fr, 0, NULL), PF_FILTERED);
	assert_int_equal(pf_socket_set_direction(&sock, tx_only_direction), 0);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_FILTERED);
	assert_int_equal(run_frame(&sock, &fr, 0, NULL), PF_PASS);
	assert_int_equal(pf_socket_set_direction(&sock, (packet_direction)3), -PF_EINVAL);
	assert_int_equal(sock.direction, tx_only_direction);
	assert_int_equal(pf_socket_set_direction(&sock, rx_and_tx_direction), 0);
	assert_int_equal(run_frame(&sock, &fr, 0, NULL), PF_PASS);
	/* packets of the wrong direction reach no rule and no BPF */
	assert_rule(&sock, 1, 5, 0);
	assert_int_equal(rec.bpf_calls, 5);
	assert_counters(&sock, 7, 5, 2, 0);
}

/* =============================================================== sampling */

/* Packet i (from 0) of n is sampled iff i % rate == 0: passed = ceil(n/rate). */
static void sampling_case(u32 rate, u32 n)
{
	struct pb_flow x = *flow_x();
	struct frame fr;
	u32 i;

	home_setup(0);
	build(&fr, &x);
	assert_int_equal(pf_socket_set_sampling(&sock, rate), 0);
	for (i = 0; i < n; i++)
		if (run_frame(&sock, &fr, 1, NULL) != (i % rate ? PF_UNSAMPLED : PF_PASS))
			fail_msg("rate %u, packet %u: wrong verdict", rate, i);
	assert_counters(&sock, n, (n + rate - 1) / rate, 0, n - (n + rate - 1) / rate);
	pf_socket_destroy(&sock);
}

static void test_sampling_rates(void **state)
{
	static const u32 rates[] = { 1, 2, 7, 1000 };
	size_t i;

	(void)state;
	pf_socket_destroy(&sock);
	for (i = 0; i < 4; i++) {
		u32 r = rates[i];
		u32 ns[] = { 1, r, r + 1, 3 * r + 2, 2500 };
		size_t j;

		for (j = 0; j < 5; j++)
			sampling_case(r, ns[j]);
	}
	home_setup(0);
}

static void test_sampling_reset_and_refusal(void **state)
{
	struct pb_flow x = *flow_x();
	struct frame fr;

	(void)state;
	build(&fr, &x);
	assert_int_equal(sock.sampling_rate, 1);
	assert_int_equal(pf_socket_set_sampling(&sock, 7), 0);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_UNSAMPLED);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_UNSAMPLED);
	/* the same rate again restarts the countdown */
	assert_int_equal(pf_socket_set_sampling(&sock, 7), 0);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_UNSAMPLED);
	/* rate 0 is refused and changes nothing: the countdown goes on */
	assert_int_equal(pf_socket_set_sampling(&sock, 0), -PF_EINVAL);
	assert_int_equal(sock.sampling_rate, 7);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_UNSAMPLED);
	/* a new rate: sampled now, then every 2nd */
	assert_int_equal(pf_socket_set_sampling(&sock, 2), 0);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_UNSAMPLED);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(pf_socket_set_sampling(&sock, 1), 0);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_int_equal(run_frame(&sock, &fr, 1, NULL), PF_PASS);
	assert_counters(&sock, 11, 6, 0, 5);
}

/* ============================================================= accounting */

/* seen = delivered + dropped(full) + filtered + unsampled, with a real ring
 * that is never read. */
static void test_identity_with_ring(void **state)
{
	struct pb_flow udp = pb_udp4(HOST_A, HOST_B, 5000, 80);
	struct pb_flow t81 = pb_tcp4(HOST_A, HOST_B, 40000, 81);
	struct pb_flow t80 = *flow_x();
	filtering_rule drop_udp = wrule(1, dont_forward_packet_and_stop_rule_evaluation);
	size_t size = pf_ring_layout_size(0);
	void *mem = calloc(1, size);
	struct pf_ring_prod prod;
	struct pf_ring_stats rs;
	struct frame fr[3];
	u32 i, n = 300, slot, cap, ins = 0, full = 0;

	(void)state;
	assert_non_null(mem);
	assert_int_equal(pf_ring_init(&prod, mem, size, 0), 0);
	build(&fr[0], &udp);
	build(&fr[1], &t81);
	build(&fr[2], &t80);
	assert_int_equal(fr[0].n, PB_MIN_FRAME);
	assert_int_equal(fr[2].n, PB_MIN_FRAME);
	slot = (u32)pf_ring_slot_bytes(0, PB_MIN_FRAME);
	cap = (u32)((size - PF_RING_SLOTS_OFF - 1) / slot);   /* 8 bytes always free */

	drop_udp.core_fields.proto = PB_PROTO_UDP;
	add(&sock, drop_udp);
	set_bpf(&sock, "tcp port 80");
	assert_int_equal(pf_socket_set_sampling(&sock, 2), 0);
	for (i = 0; i < n; i++) {
		/* of every 10: 2 dropped by the rule, 2 by BPF, 6 to sampling */
		const struct frame *f = &fr[i % 10 < 2 ? 0 : i % 10 < 4 ? 1 : 2];
		struct pf_pkt p;

		if (run_frame(&sock, f, 1, &p) == PF_PASS) {
			struct pf_ring_pkt rp = { f->b, f->n, f->n, p.ts_ns, NULL };
			int rc = pf_ring_put(&prod, &rp);

			if (rc == 0)
				ins++;
			else if (rc == -PF_ENOSPC)
				full++;
			else
				fail_msg("pf_ring_put: %d", rc);
		}
	}
	pf_ring_prod_stats(&prod, &rs);
	assert_int_equal(cap, 51);
	assert_int_equal(rs.inserted, cap);
	assert_int_equal(ins, cap);
	assert_int_equal(rs.dropped_full, 90 - cap);
	assert_int_equal(full, 90 - cap);
	assert_int_equal(rs.refused, 0);
	assert_counters(&sock, n, 90, 120, 90);
	assert_int_equal(sock.cnt.seen,
			 rs.inserted + rs.dropped_full + sock.cnt.filtered + sock.cnt.unsampled);
	assert_rule(&sock, 1, 60, 60);
	assert_int_equal(rec.bpf_calls, 240);
	free(mem);
}

/* ================================================================== stats */

static void test_rule_stats(void **state)
{
	struct pb_flow t80 = *flow_x(), udp = pb_udp4(HOST_A, HOST_B, 5000, 53);
	filtering_rule drop_udp = wrule(6, dont_forward_packet_and_stop_rule_evaluation);
	pfring_rule_stats st;
	u8 big[64];
	u32 len;
	int i;

	(void)state;
	drop_udp.core_fields.proto = PB_PROTO_UDP;
	add(&sock, tcp_rule(5, forward_packet_and_stop_rule_evaluation, 80));
	add(&sock, drop_udp);
	assert_rule(&sock, 5, 0, 0);
	for (i = 0; i < 4; i++)
		run(&sock, &t80);
	for (i = 0; i < 3; i++)
		run(&sock, &udp);
	assert_rule(&sock, 5, 4, 0);
	assert_rule(&sock, 6, 3, 3);
	/* a larger buffer: exactly sizeof(pfring_rule_stats) written */
	memset(big, 0xab, sizeof(big));
	len = sizeof(big);
	assert_int_equal(pf_socket_rule_stats(&sock, 6, big, &len), 0);
	assert_int_equal(len, sizeof(pfring_rule_stats));
	memcpy(&st, big, sizeof(st));
	assert_int_equal(st.matching_packets, 3);
	assert_int_equal(st.dropped_packets, 3);
	assert_int_equal(big[sizeof(st)], 0xab);
	/* too small: refused, nothing written */
	len = sizeof(st) - 1;
	memset(big, 0xab, sizeof(big));
	assert_int_equal(pf_socket_rule_stats(&sock, 6, big, &len), -PF_E2BIG);
	assert_int_equal(len, sizeof(st) - 1);
	assert_int_equal(big[0], 0xab);
	len = sizeof(st);
	assert_int_equal(pf_socket_rule_stats(&sock, 7, (u8 *)&st, &len), -PF_ENOENT);
	assert_int_equal(pf_socket_rule_stats(&sock, 5, NULL, &len), -PF_EINVAL);
	assert_int_equal(pf_socket_rule_stats(&sock, 5, (u8 *)&st, NULL), -PF_EINVAL);
	/* counters survive other rules coming and going */
	add(&sock, tcp_rule(1, execute_action_and_continue_rule_evaluation, 80));
	run(&sock, &t80);
	assert_int_equal(pf_socket_remove_rule(&sock, 1), 0);
	assert_rule(&sock, 5, 5, 0);
}

static void test_hash_rule_stats(void **state)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	struct pb_flow y = pb_tcp4(HOST_C, HOST_B, 1, 2);
	hash_filtering_rule h = hrule(&x, dont_forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule hy = hrule(&y, forward_packet_and_stop_rule_evaluation);
	pfring_rule_stats st;
	u32 len = sizeof(st);
	int i;

	(void)state;
	/* no table yet */
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&st, &len), -PF_ENOENT);
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 0), -PF_ENOENT);
	add_hash(&sock, h);
	for (i = 0; i < 2; i++) {
		assert_int_equal(run(&sock, &x), PF_FILTERED);
		assert_int_equal(run(&sock, &xr), PF_FILTERED);
	}
	assert_hash_rule(&sock, &h, 4, 4);
	len = sizeof(st) - 1;
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&st, &len), -PF_E2BIG);
	assert_int_equal(len, sizeof(st) - 1);
	len = sizeof(st);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &hy, (u8 *)&st, &len), -PF_ENOENT);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, NULL, &len), -PF_EINVAL);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, NULL, (u8 *)&st, &len), -PF_EINVAL);
	/* stats of the rule given with its peers swapped */
	{
		hash_filtering_rule rev = hrule(&xr, forward_packet_and_stop_rule_evaluation);

		assert_hash_rule(&sock, &rev, 4, 4);
	}
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 0), 0);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&st, &len), -PF_ENOENT);
	assert_int_equal(run(&sock, &x), PF_PASS);
}

/* ================================================================== purge */

static void test_purge_idle_wildcard(void **state)
{
	filtering_rule locked = tcp_rule(5, forward_packet_and_stop_rule_evaluation, 9999);
	struct pb_flow t81 = pb_tcp4(HOST_A, HOST_B, 1, 81);
	pfring_rule_stats st;
	u32 len = sizeof(st);

	(void)state;
	locked.locked = 1;
	add(&sock, tcp_rule(1, forward_packet_and_stop_rule_evaluation, 80));
	add(&sock, locked);
	add(&sock, tcp_rule(3, forward_packet_and_stop_rule_evaluation, 81));
	clk.now_ns = T0 + 5 * NS;
	assert_int_equal(run(&sock, &t81), PF_PASS);   /* rule 3 matched at T0 + 5 s */
	assert_rule(&sock, 3, 1, 0);

	clk.now_ns = T0 + 10 * NS;                      /* rule 1 idle exactly 10 s */
	assert_int_equal(pf_socket_purge_idle(&sock, 10), 0);
	clk.now_ns++;
	assert_int_equal(pf_socket_purge_idle(&sock, 10), 1);
	assert_int_equal(pf_socket_rule_stats(&sock, 1, (u8 *)&st, &len), -PF_ENOENT);
	assert_rule(&sock, 3, 1, 0);

	clk.now_ns = T0 + 15 * NS;                      /* rule 3 idle exactly 10 s */
	assert_int_equal(pf_socket_purge_idle(&sock, 10), 0);
	clk.now_ns++;
	assert_int_equal(pf_socket_purge_idle(&sock, 10), 1);
	assert_int_equal(pf_socket_rule_stats(&sock, 3, (u8 *)&st, &len), -PF_ENOENT);

	clk.now_ns = T0 + 1000000 * NS;                 /* locked rules stay */
	assert_int_equal(pf_socket_purge_idle(&sock, 0), 0);
	assert_rule(&sock, 5, 0, 0);
	assert_int_equal(pf_socket_remove_rule(&sock, 5), 0);
	assert_int_equal(pf_socket_purge_idle(&sock, 0), 0);
}

static void test_purge_idle_hash(void **state)
{
	struct pb_flow a = *flow_x(), b = pb_tcp4(HOST_C, HOST_B, 7, 8);
	hash_filtering_rule ha = hrule(&a, forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule hb = hrule(&b, forward_packet_and_stop_rule_evaluation);

	(void)state;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 1), 0);   /* no table */
	add_hash(&sock, ha);
	add_hash(&sock, hb);
	clk.now_ns = T0 + 3 * NS;
	assert_int_equal(run(&sock, &b), PF_PASS);
	clk.now_ns = T0 + 10 * NS;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 10), 0);
	clk.now_ns++;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 10), 1);
	assert_int_equal(precise_count(&sock), 1);
	assert_hash_rule(&sock, &hb, 1, 0);
	clk.now_ns = T0 + 13 * NS;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 10), 0);
	clk.now_ns++;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 10), 1);
	assert_int_equal(precise_count(&sock), 0);
	/* purged entries are reusable */
	add_hash(&sock, ha);
	assert_int_equal(precise_count(&sock), 1);
}

/* ==================================================================== BPF */

static void bpf_verdicts(void)
{
	struct pb_flow t80 = *flow_x(), t81 = pb_tcp4(HOST_A, HOST_B, 40000, 81);
	struct pb_flow u80 = pb_udp4(HOST_A, HOST_B, 40000, 80);
	struct pb_flow t80r = pb_reverse(&t80), t80v6 = pb_ip6(PB_PROTO_TCP, 1, 2, 5, 80);

	assert_int_equal(run(&sock, &t80), PF_PASS);
	assert_int_equal(run(&sock, &t80r), PF_PASS);
	assert_int_equal(run(&sock, &t80v6), PF_PASS);
	assert_int_equal(run(&sock, &t81), PF_FILTERED);
	assert_int_equal(run(&sock, &u80), PF_FILTERED);
}

static void bpf_case(void)
{
	struct pb_flow u80 = pb_udp4(HOST_A, HOST_B, 40000, 80);
	struct pb_flow t81 = pb_tcp4(HOST_A, HOST_B, 40000, 81);
	/* jeq #0 jt +5: out of a 2-instruction program */
	struct pf_bpf_insn bad[2] = { { 0x15, 5, 0, 0 }, { 0x06, 0, 0, 0xffff } };
	struct pf_bpf_insn *big = calloc(PF_BPF_MAXINSNS + 1, sizeof(*big));
	char err[256] = "";
	u32 i;

	assert_non_null(big);
	assert_int_equal(pf_socket_remove_bpf(&sock), -PF_ENOENT);
	set_bpf(&sock, "tcp port 80");
	bpf_verdicts();
	/* refused programs leave the current one in place */
	assert_int_equal(pf_socket_set_bpf(&sock, bad, 2, err, sizeof(err)), -PF_EINVAL);
	assert_non_null(strstr(err, "instruction 0"));
	assert_non_null(strstr(err, "jump out of the program"));
	for (i = 0; i <= PF_BPF_MAXINSNS; i++)
		big[i].code = 0x06;   /* ret #0 */
	err[0] = '\0';
	assert_int_equal(pf_socket_set_bpf(&sock, big, PF_BPF_MAXINSNS + 1, err, sizeof(err)),
			 -PF_E2BIG);
	assert_true(err[0] != '\0');
	assert_int_equal(pf_socket_set_bpf(&sock, big, 0, err, sizeof(err)), -PF_EINVAL);
	free(big);
	bpf_verdicts();
	/* replaced by another program */
	set_bpf(&sock, "udp");
	assert_int_equal(run(&sock, flow_x()), PF_FILTERED);
	assert_int_equal(run(&sock, &u80), PF_PASS);
	/* removed: everything passes */
	assert_int_equal(pf_socket_remove_bpf(&sock), 0);
	assert_null(sock.bpf);
	assert_int_equal(run(&sock, &t81), PF_PASS);
	assert_int_equal(run(&sock, &u80), PF_PASS);
	assert_int_equal(pf_socket_remove_bpf(&sock), -PF_ENOENT);
	assert_counters(&sock, 14, 9, 5, 0);
}

/* bpf_run NULL: core's executor. */
static void test_bpf_core_executor(void **state)
{
	(void)state;
	assert_null(sock.home->bpf_run);
	bpf_case();
	assert_int_equal(rec.bpf_calls, 0);
}

/* bpf_run set: the home's engine runs the stored program. */
static void test_bpf_home_hook(void **state)
{
	(void)state;
	bpf_case();
	assert_int_equal(rec.bpf_calls, 12);
}

/* A program that accepts a prefix still passes the whole packet. */
static void test_bpf_snaplen_program(void **state)
{
	struct pf_bpf_insn ret_one[1] = { { 0x06, 0, 0, 1 } };    /* ret #1 */
	struct pf_bpf_insn ret_zero[1] = { { 0x06, 0, 0, 0 } };   /* ret #0 */
	char err[64];

	(void)state;
	assert_int_equal(pf_socket_set_bpf(&sock, ret_one, 1, err, sizeof(err)), 0);
	assert_int_equal(run(&sock, flow_x()), PF_PASS);
	assert_int_equal(pf_socket_set_bpf(&sock, ret_zero, 1, err, sizeof(err)), 0);
	assert_int_equal(run(&sock, flow_x()), PF_FILTERED);
}

/* ================================================================ plugins */

#define PROBE_PLUGIN_ID 10
#define PROBE2_PLUGIN_ID 11

/* A test-only plugin: counts its callbacks, can match or not, change the
 * behaviour, allocate parse memory. */
static struct {
	int filter_calls, handle_calls, free_ring_calls, free_rule_calls, stats_calls;
	int add_rule_calls, del_rule_calls;
	const filtering_rule *flow_hook_rule;  /* the rule add/del_rule were called for */
	const hash_filtering_rule *flow_hook_hash_rule;
	int match;                         /* what filter_skb answers */
	int alloc_parse;                   /* filter_skb allocates parse memory */
	int set_behaviour;                 /* handle_skb: -1 leave, else the new value */
	void *last_parse;                  /* what filter_skb allocated */
	void *seen_parse;                  /* what handle_skb was given */
	u16 seen_filter_id;
	struct pf_socket *free_ring_sock;
} probe;

static int probe_filter(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p,
			void **parse_memory)
{
	assert_non_null(r->rule);
	assert_null(r->hash_rule);
	assert_true(p->parsed_level > 0);
	probe.filter_calls++;
	if (probe.alloc_parse) {
		*parse_memory = s->home->alloc(s->home->ctx, 32);
		probe.last_parse = *parse_memory;
	}
	return probe.match;
}

static int probe_handle(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p,
			u16 filter_plugin_id, void **parse_memory, rule_action_behaviour *b)
{
	(void)s;
	(void)p;
	assert_true((r->rule != NULL) != (r->hash_rule != NULL));
	probe.handle_calls++;
	probe.seen_filter_id = filter_plugin_id;
	probe.seen_parse = *parse_memory;
	if (probe.set_behaviour >= 0)
		*b = (rule_action_behaviour)probe.set_behaviour;
	return 0;
}

static void probe_free_ring(struct pf_socket *s)
{
	probe.free_ring_calls++;
	probe.free_ring_sock = s;
}

static void probe_free_rule(struct pf_socket *s, struct pf_plugin_rule *r)
{
	(void)s;
	(void)r;
	probe.free_rule_calls++;
}

static int probe_add_rule(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p)
{
	(void)s;
	assert_true(p->parsed_level > 0);
	probe.add_rule_calls++;
	probe.flow_hook_rule = r->rule;
	probe.flow_hook_hash_rule = r->hash_rule;
	return 0;
}

static int probe_del_rule(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p)
{
	(void)s;
	(void)p;
	probe.del_rule_calls++;
	probe.flow_hook_rule = r->rule;
	probe.flow_hook_hash_rule = r->hash_rule;
	return 0;
}

static const struct pfring_plugin_registration probe_plugin = {
	.plugin_id = PROBE_PLUGIN_ID,
	.name = "probe",
	.description = "test plugin",
	.pfring_plugin_filter_skb = probe_filter,
	.pfring_plugin_handle_skb = probe_handle,
	.pfring_plugin_free_rule_mem = probe_free_rule,
	.pfring_plugin_free_ring_mem = probe_free_ring,
	.pfring_plugin_add_rule = probe_add_rule,
	.pfring_plugin_del_rule = probe_del_rule,
};

/* Only free_ring_mem: a plugin no rule of the ring names. */
static const struct pfring_plugin_registration probe2_plugin = {
	.plugin_id = PROBE2_PLUGIN_ID,
	.name = "probe2",
	.pfring_plugin_free_ring_mem = probe_free_ring,
};

static int setup_plugins(void **state)
{
	setup_hooks(state);
	memset(&probe, 0, sizeof(probe));
	probe.set_behaviour = -1;
	assert_int_equal(pf_plugin_register(&counter_plugin, NULL), 0);
	assert_int_equal(pf_plugin_register(&sip_plugin, NULL), 0);
	assert_int_equal(pf_plugin_register(&probe_plugin, NULL), 0);
	assert_int_equal(pf_plugin_register(&probe2_plugin, NULL), 0);
	return 0;
}

static int teardown_plugins(void **state)
{
	teardown(state);
	assert_int_equal(pf_plugin_unregister(COUNTER_PLUGIN_ID), 0);
	assert_int_equal(pf_plugin_unregister(SIP_PLUGIN_ID), 0);
	assert_int_equal(pf_plugin_unregister(PROBE_PLUGIN_ID), 0);
	assert_int_equal(pf_plugin_unregister(PROBE2_PLUGIN_ID), 0);
	return 0;
}

static void test_plugin_registry(void **state)
{
	struct pfring_plugin_registration bad = probe_plugin;

	(void)state;
	assert_ptr_equal(pf_plugin_get(COUNTER_PLUGIN_ID), &counter_plugin);
	assert_ptr_equal(pf_plugin_get(SIP_PLUGIN_ID), &sip_plugin);
	assert_int_equal(pf_plugin_register(&counter_plugin, NULL), -PF_EEXIST);
	bad.plugin_id = 0;
	assert_int_equal(pf_plugin_register(&bad, NULL), -PF_EINVAL);
	bad.plugin_id = MAX_PLUGIN_ID;
	assert_int_equal(pf_plugin_register(&bad, NULL), -PF_EINVAL);
	assert_int_equal(pf_plugin_register(NULL, NULL), -PF_EINVAL);
	assert_null(pf_plugin_get(0));
	assert_null(pf_plugin_get(MAX_PLUGIN_ID));
	assert_null(pf_plugin_get(40));
	assert_int_equal(pf_plugin_unregister(40), -PF_ENOENT);
	assert_int_equal(pf_plugin_unregister(MAX_PLUGIN_ID), -PF_ENOENT);
}

static void assert_counter_stats(struct pf_socket *s, u16 id, u64 packets, u64 bytes)
{
	struct counter_plugin_stats cs;
	u32 len = sizeof(cs) + 8;
	u8 buf[sizeof(cs) + 8];

	assert_int_equal(pf_socket_rule_stats(s, id, buf, &len), 0);
	assert_int_equal(len, sizeof(cs));
	memcpy(&cs, buf, sizeof(cs));
	assert_int_equal(cs.packets, packets);
	assert_int_equal(cs.bytes, bytes);
}

static void test_counter_plugin(void **state)
{
	filtering_rule r = tcp_rule(10, execute_action_and_continue_rule_evaluation, 80);
	struct pb_flow x = *flow_x(), u = pb_udp4(HOST_A, HOST_B, 1, 80);
	static const char pay[300];
	u32 plens[3] = { 0, 60, 300 }, bytes = 0;
	struct frame fr;
	struct pf_pkt p;
	u32 len;
	int i;

	(void)state;
	r.plugin_action.plugin_id = COUNTER_PLUGIN_ID;
	add(&sock, r);
	assert_counter_stats(&sock, 10, 0, 0);    /* before any packet */
	for (i = 0; i < 3; i++) {
		x.payload = pay;
		x.plen = plens[i];
		build(&fr, &x);
		bytes += fr.n;
		assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
		assert_int_equal(p.info.last_matched_rule_id, 10);
		assert_int_equal(p.info.last_matched_plugin_id, COUNTER_PLUGIN_ID);
	}
	assert_int_equal(bytes, 60 + 114 + 354);
	/* captured short: the length on the wire counts */
	memset(&p, 0, sizeof(p));
	p.data = fr.b;
	p.caplen = 64;
	p.len = fr.n;
	assert_int_equal(pf_socket_filter(&sock, &p), PF_PASS);
	bytes += fr.n;
	assert_int_equal(run(&sock, &u), PF_PASS);   /* not matched, not counted */
	assert_counter_stats(&sock, 10, 4, bytes);
	/* the plugin's answer when the buffer cannot hold its statistics */
	len = sizeof(struct counter_plugin_stats) - 1;
	{
		u8 small[sizeof(struct counter_plugin_stats)];

		assert_int_equal(pf_socket_rule_stats(&sock, 10, small, &len), -PF_EINVAL);
	}
	/* removing the rule gives the plugin its memory back (valgrind checks) */
	assert_int_equal(pf_socket_remove_rule(&sock, 10), 0);
	assert_int_equal(run(&sock, &x), PF_PASS);
	/* a second rule; the ring closing frees its memory (teardown) */
	r.rule_id = 11;
	add(&sock, r);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_counter_stats(&sock, 11, 1, fr.n);
	/* counted, and stops: execute_action_and_stop consumes the packet */
	r.rule_id = 12;
	r.rule_action = execute_action_and_stop_rule_evaluation;
	add(&sock, r);
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_counter_stats(&sock, 11, 2, 2 * fr.n);
	assert_counter_stats(&sock, 12, 1, fr.n);
}

/* A flow rule made by forward_packet_add_rule carries the wildcard rule's
 * plugin: the flow's later packets are counted on the precise rule, and its
 * statistics are the plugin's; its memory is freed when it goes (valgrind). */
static void test_counter_plugin_on_flow_rule(void **state)
{
	filtering_rule r = tcp_rule(10, forward_packet_add_rule_and_stop_rule_evaluation, 80);
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	struct pb_flow y = pb_tcp4(HOST_C, HOST_B, 5, 80);
	hash_filtering_rule h = hrule(&x, forward_packet_and_stop_rule_evaluation);
	struct counter_plugin_stats cs;
	u32 len = sizeof(cs);

	(void)state;
	r.plugin_action.plugin_id = COUNTER_PLUGIN_ID;
	add(&sock, r);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &xr), PF_PASS);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &y), PF_PASS);
	assert_int_equal(precise_count(&sock), 2);
	assert_counter_stats(&sock, 10, 2, 2 * PB_MIN_FRAME);    /* x's first, y's first */
	/* the stored rule's plugin answers, not the one the lookup names */
	assert_int_equal(h.plugin_action.plugin_id, 0);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&cs, &len), 0);
	assert_int_equal(len, sizeof(cs));
	assert_int_equal(cs.packets, 2);
	assert_int_equal(cs.bytes, 2 * PB_MIN_FRAME);
	/* removed by the user, purged, or left to the ring's end: all freed */
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 0), 0);
	assert_int_equal(run(&sock, &x), PF_PASS);     /* added again */
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &y), PF_PASS);
	clk.now_ns += 100 * NS;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 10), 2);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(precise_count(&sock), 1);
}

/* A precise rule added by the user with the counter plugin. */
static void test_counter_plugin_on_hash_rule(void **state)
{
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	hash_filtering_rule h = hrule(&x, execute_action_and_continue_rule_evaluation);
	struct counter_plugin_stats cs;
	u32 len = sizeof(cs);

	(void)state;
	h.plugin_action.plugin_id = COUNTER_PLUGIN_ID;
	add_hash(&sock, h);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&cs, &len), 0);
	assert_int_equal(cs.packets, 0);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(run(&sock, &xr), PF_PASS);
	len = sizeof(cs);
	assert_int_equal(pf_socket_hash_rule_stats(&sock, &h, (u8 *)&cs, &len), 0);
	assert_int_equal(len, sizeof(cs));
	assert_int_equal(cs.packets, 2);
	assert_int_equal(cs.bytes, 2 * PB_MIN_FRAME);
	/* a deferred removal from the packet path frees it too */
	add(&sock, wrule(1, forward_packet_del_rule_and_stop_rule_evaluation));
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(precise_count(&sock), 0);
}

/* Plugin callbacks: order, parse memory, behaviour changes, free_ring_mem. */
static void test_probe_plugin_callbacks(void **state)
{
	filtering_rule r = tcp_rule(10, forward_packet_and_stop_rule_evaluation, 80);
	struct pb_flow x = *flow_x();
	struct pf_pkt p;
	struct frame fr;

	(void)state;
	build(&fr, &x);
	r.extended_fields.filter_plugin_id = PROBE_PLUGIN_ID;
	r.plugin_action.plugin_id = PROBE_PLUGIN_ID;
	add(&sock, r);
	add(&sock, wrule(20, dont_forward_packet_and_stop_rule_evaluation));

	/* the filter says no: the rule did not match, rule 20 decides */
	probe.match = 0;
	probe.alloc_parse = 1;
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_FILTERED);
	assert_int_equal(p.info.last_matched_rule_id, 20);
	assert_int_equal(p.info.last_matched_plugin_id, 0);
	assert_int_equal(probe.filter_calls, 1);
	assert_int_equal(probe.handle_calls, 0);
	assert_rule(&sock, 10, 0, 0);
	assert_rule(&sock, 20, 1, 1);

	/* the filter says yes: handle_skb gets the filter's parse memory */
	probe.match = 1;
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
	assert_int_equal(probe.filter_calls, 2);
	assert_int_equal(probe.handle_calls, 1);
	assert_ptr_equal(probe.seen_parse, probe.last_parse);
	assert_int_equal(probe.seen_filter_id, PROBE_PLUGIN_ID);
	assert_int_equal(p.info.last_matched_rule_id, 10);
	assert_int_equal(p.info.last_matched_plugin_id, PROBE_PLUGIN_ID);

	/* handle_skb changes the behaviour: dropped, counted as dropped */
	probe.set_behaviour = dont_forward_packet_and_stop_rule_evaluation;
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_FILTERED);
	probe.set_behaviour = execute_action_and_continue_rule_evaluation;
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_FILTERED);   /* rule 20 */
	assert_rule(&sock, 10, 3, 1);
	assert_rule(&sock, 20, 2, 2);
	probe.set_behaviour = bounce_packet_and_stop_rule_evaluation;
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_FILTERED);
	assert_int_equal(rec.bounce_calls, 1);

	/* removing the rule: free_rule_mem only for rules that got plugin data */
	assert_int_equal(pf_socket_remove_rule(&sock, 10), 0);
	assert_int_equal(probe.free_rule_calls, 0);
	assert_int_equal(probe.free_ring_calls, 0);
	pf_socket_destroy(&sock);
	/* the ring used the plugin: told once when it goes */
	assert_int_equal(probe.free_ring_calls, 1);
	assert_ptr_equal(probe.free_ring_sock, &sock);

	/* a ring that never named a plugin: free_ring_mem is not called */
	home_setup(1);
	add(&sock, wrule(1, forward_packet_and_stop_rule_evaluation));
	pf_socket_destroy(&sock);
	assert_int_equal(probe.free_ring_calls, 1);

	/* named only as a filter plugin, or only on a precise rule: called */
	home_setup(1);
	r = wrule(1, forward_packet_and_stop_rule_evaluation);
	r.extended_fields.filter_plugin_id = PROBE_PLUGIN_ID;
	add(&sock, r);
	pf_socket_destroy(&sock);
	assert_int_equal(probe.free_ring_calls, 2);
	home_setup(1);
	{
		hash_filtering_rule h = hrule(&x, forward_packet_and_stop_rule_evaluation);

		h.plugin_action.plugin_id = PROBE2_PLUGIN_ID;
		add_hash(&sock, h);
	}
	pf_socket_destroy(&sock);
	assert_int_equal(probe.free_ring_calls, 3);
	home_setup(1);
}

/* forward_packet_add_rule / _del_rule call the rule's plugin's add_rule /
 * del_rule (spec 10.1), and the flow rule carries the plugin. */
static void test_plugin_flow_hooks(void **state)
{
	filtering_rule r = tcp_rule(10, forward_packet_add_rule_and_stop_rule_evaluation, 80);
	filtering_rule d = tcp_rule(5, forward_packet_del_rule_and_stop_rule_evaluation, 80);
	struct pb_flow x = *flow_x(), xr = pb_reverse(&x);
	hash_filtering_rule h = hrule(&x, forward_packet_and_stop_rule_evaluation);

	(void)state;
	r.plugin_action.plugin_id = PROBE_PLUGIN_ID;
	add(&sock, r);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(probe.add_rule_calls, 1);
	assert_int_equal(probe.handle_calls, 1);          /* before the action */
	assert_non_null(probe.flow_hook_rule);
	assert_int_equal(probe.flow_hook_rule->rule_id, 10);
	assert_null(probe.flow_hook_hash_rule);
	/* the flow rule has the plugin: handle_skb sees the precise rule */
	assert_int_equal(run(&sock, &xr), PF_PASS);
	assert_int_equal(probe.handle_calls, 2);
	assert_int_equal(probe.add_rule_calls, 1);
	assert_hash_rule(&sock, &h, 1, 0);
	/* a precise rule whose own action is add_rule: add_rule hears of it */
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 0), 0);
	h.rule_action = forward_packet_add_rule_and_stop_rule_evaluation;
	h.plugin_action.plugin_id = PROBE_PLUGIN_ID;
	add_hash(&sock, h);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(probe.add_rule_calls, 2);
	assert_null(probe.flow_hook_rule);
	assert_non_null(probe.flow_hook_hash_rule);
	assert_int_equal(precise_count(&sock), 1);
	/* del_rule: a continue-action precise rule lets the wildcard one delete */
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 0), 0);
	h.rule_action = execute_action_and_continue_rule_evaluation;
	h.plugin_action.plugin_id = 0;
	add_hash(&sock, h);
	d.plugin_action.plugin_id = PROBE_PLUGIN_ID;
	add(&sock, d);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_int_equal(probe.del_rule_calls, 1);
	assert_int_equal(probe.flow_hook_rule->rule_id, 5);
	assert_int_equal(precise_count(&sock), 0);
	assert_int_equal(probe.add_rule_calls, 2);
}

/* A rule naming a plugin that is not registered: a filter plugin never
 * matches; an action plugin is skipped and the action applies. */
static void test_unregistered_plugins(void **state)
{
	filtering_rule r = tcp_rule(10, forward_packet_and_stop_rule_evaluation, 80);
	struct pb_flow x = *flow_x();

	(void)state;
	assert_int_equal(pf_socket_set_policy(&sock, 0), 0);
	r.extended_fields.filter_plugin_id = 50;
	add(&sock, r);
	assert_int_equal(run(&sock, &x), PF_FILTERED);
	assert_rule(&sock, 10, 0, 0);
	assert_int_equal(pf_socket_remove_rule(&sock, 10), 0);
	r.extended_fields.filter_plugin_id = 0;
	r.plugin_action.plugin_id = 50;
	add(&sock, r);
	assert_int_equal(run(&sock, &x), PF_PASS);
	assert_rule(&sock, 10, 1, 0);
	/* stats of a rule whose plugin is gone: the rule's own counters */
	r.extended_fields.filter_plugin_id = MAX_PLUGIN_ID;
	r.rule_id = 11;
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_EINVAL);
}

/* ==================================================================== SIP */

static const char sip_invite[] =
	"INVITE sip:bob@b.example SIP/2.0\r\n"
	"From: <sip:alice@a.example>\r\n"
	"To: <sip:bob@b.example>\r\n"
	"Call-ID: abc123\r\n"
	"\r\n";
static const char sip_invite_compact[] =
	"INVITE sip:bob@b.example SIP/2.0\r\n"
	"f: <sip:alice@a.example>\r\n"
	"t: <sip:bob@b.example>\r\n"
	"i: abc123\r\n"
	"\r\n";
static const char sip_bye[] =
	"BYE sip:bob@b.example SIP/2.0\r\n"
	"From: <sip:alice@a.example>\r\n"
	"To: <sip:bob@b.example>\r\n"
	"Call-ID: abc123\r\n"
	"\r\n";
static const char sip_ok[] =
	"SIP/2.0 200 OK\r\n"
	"From: <sip:alice@a.example>\r\n"
	"To: <sip:bob@b.example>\r\n"
	"Call-ID: abc123\r\n"
	"\r\n";
static const char sip_trunc_line[] = "INVITE sip:bob@b.example SIP/2";
static const char sip_trunc_hdr[] = "INVITE sip:bob@b.example SIP/2.0\r\nFrom: <sip:ali";
static const char sip_garbage[] = "\x01\x02garbage INVITEsip SIP/2.0x";
/* From: only in the body, after the blank line that ends the headers */
static const char sip_body_from[] =
	"INVITE sip:bob@b.example SIP/2.0\r\n"
	"To: <sip:bob@b.example>\r\n"
	"Call-ID: abc123\r\n"
	"\r\n"
	"From: <sip:alice@a.example>\r\n";

static enum pf_verdict run_sip(const char *msg, size_t n, u16 dport, struct pf_pkt *out)
{
	struct pb_flow f = pb_udp4(HOST_A, HOST_B, 5060, dport);
	struct frame fr;

	f.payload = msg;
	f.plen = (u32)n;
	build(&fr, &f);
	return run_frame(&sock, &fr, 1, out);
}

#define RUN_SIP(msg, out) run_sip(msg, sizeof(msg) - 1, 5060, out)

static void sip_rule(u16 id, u8 method, const char *caller, const char *called,
		     const char *call_id)
{
	filtering_rule r = wrule(id, forward_packet_and_stop_rule_evaluation);
	struct sip_filter sf;

	memset(&sf, 0, sizeof(sf));
	sf.method = method;
	strcpy(sf.caller, caller);
	strcpy(sf.called, called);
	strcpy(sf.call_id, call_id);
	r.core_fields.proto = PB_PROTO_UDP;
	r.core_fields.dport_low = 5060;
	r.extended_fields.filter_plugin_id = SIP_PLUGIN_ID;
	memcpy(r.extended_fields.filter_plugin_data, &sf, sizeof(sf));
	add(&sock, r);
}

static void test_sip_method(void **state)
{
	struct pf_pkt p;

	(void)state;
	assert_true(sizeof(struct sip_filter) <= FILTER_PLUGIN_DATA_LEN);
	assert_int_equal(pf_socket_set_policy(&sock, 0), 0);
	sip_rule(10, method_invite, "", "", "");
	assert_int_equal(RUN_SIP(sip_invite, &p), PF_PASS);
	assert_int_equal(p.info.last_matched_rule_id, 10);
	assert_int_equal(p.info.last_matched_plugin_id, SIP_PLUGIN_ID);
	assert_int_equal(RUN_SIP(sip_invite_compact, &p), PF_PASS);
	assert_int_equal(RUN_SIP(sip_bye, &p), PF_FILTERED);
	assert_int_equal(p.info.last_matched_rule_id, 0);
	assert_int_equal(p.info.last_matched_plugin_id, 0);
	assert_int_equal(RUN_SIP(sip_ok, &p), PF_FILTERED);
	assert_int_equal(RUN_SIP(sip_trunc_line, &p), PF_FILTERED);
	assert_int_equal(RUN_SIP(sip_trunc_hdr, &p), PF_PASS);    /* the method is there */
	assert_int_equal(RUN_SIP(sip_garbage, &p), PF_FILTERED);
	assert_int_equal(run_sip("", 0, 5060, &p), PF_FILTERED);  /* no payload */
	/* the header part of the rule still applies */
	assert_int_equal(run_sip(sip_invite, sizeof(sip_invite) - 1, 5061, &p), PF_FILTERED);
	assert_rule(&sock, 10, 3, 0);

	/* method_any: every request, no response, no garbage */
	assert_int_equal(pf_socket_remove_rule(&sock, 10), 0);
	sip_rule(11, method_any, "", "", "");
	assert_int_equal(RUN_SIP(sip_invite, &p), PF_PASS);
	assert_int_equal(RUN_SIP(sip_bye, &p), PF_PASS);
	assert_int_equal(RUN_SIP(sip_ok, &p), PF_FILTERED);
	assert_int_equal(RUN_SIP(sip_garbage, &p), PF_FILTERED);
	assert_rule(&sock, 11, 2, 0);
	/* method_bye */
	sip_rule(12, method_bye, "", "", "");
	assert_int_equal(pf_socket_remove_rule(&sock, 11), 0);
	assert_int_equal(RUN_SIP(sip_invite, &p), PF_FILTERED);
	assert_int_equal(RUN_SIP(sip_bye, &p), PF_PASS);
	assert_int_equal(p.info.last_matched_rule_id, 12);
}

static void test_sip_fields(void **state)
{
	static const struct {
		const char *caller, *called, *call_id;
		int invite, compact, trunc_hdr, body_from;
	} cases[] = {
		{ "alice", "", "", 1, 1, 0, 0 },
		{ "", "bob", "", 1, 1, 0, 1 },
		{ "", "", "abc123", 1, 1, 0, 1 },
		{ "alice", "bob", "abc123", 1, 1, 0, 0 },
		{ "alice@a.example", "bob@b.example", "abc123", 1, 1, 0, 0 },
		{ "ali", "", "", 1, 1, 1, 0 },           /* a substring of From: */
		{ "carol", "", "", 0, 0, 0, 0 },
		{ "", "carol", "", 0, 0, 0, 0 },
		{ "", "", "abc12", 0, 0, 0, 0 },         /* Call-ID is compared whole */
		{ "", "", "abc1234", 0, 0, 0, 0 },
		{ "bob", "", "", 0, 0, 0, 0 },           /* bob is the called party */
	};
	struct pf_pkt p;
	size_t i;

	(void)state;
	assert_int_equal(pf_socket_set_policy(&sock, 0), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u16 id = (u16)(100 + i);

		sip_rule(id, method_invite, cases[i].caller, cases[i].called, cases[i].call_id);
		if (RUN_SIP(sip_invite, &p) != (cases[i].invite ? PF_PASS : PF_FILTERED))
			fail_msg("case %zu: INVITE", i);
		if (RUN_SIP(sip_invite_compact, &p) != (cases[i].compact ? PF_PASS : PF_FILTERED))
			fail_msg("case %zu: compact INVITE", i);
		if (RUN_SIP(sip_trunc_hdr, &p) != (cases[i].trunc_hdr ? PF_PASS : PF_FILTERED))
			fail_msg("case %zu: truncated INVITE", i);
		if (RUN_SIP(sip_body_from, &p) != (cases[i].body_from ? PF_PASS : PF_FILTERED))
			fail_msg("case %zu: From: in the body", i);
		assert_int_equal(RUN_SIP(sip_bye, &p), PF_FILTERED);
		assert_rule(&sock, id, (u64)(cases[i].invite + cases[i].compact +
					     cases[i].trunc_hdr + cases[i].body_from), 0);
		assert_int_equal(pf_socket_remove_rule(&sock, id), 0);
	}
}

/* SIP over IPv6, and a packet cut before the payload. */
static void test_sip_ipv6_and_caplen(void **state)
{
	struct pb_flow f = pb_ip6(PB_PROTO_UDP, 1, 2, 5060, 5060);
	struct frame fr;
	struct pf_pkt p;

	(void)state;
	assert_int_equal(pf_socket_set_policy(&sock, 0), 0);
	sip_rule(10, method_invite, "alice", "", "abc123");
	f.payload = sip_invite;
	f.plen = sizeof(sip_invite) - 1;
	build(&fr, &f);
	assert_int_equal(run_frame(&sock, &fr, 1, &p), PF_PASS);
	/* captured up to the middle of the From: header */
	memset(&p, 0, sizeof(p));
	p.data = fr.b;
	p.len = fr.n;
	p.caplen = pb_payload_offset(&f) + 40;
	p.rx = 1;
	assert_int_equal(pf_socket_filter(&sock, &p), PF_FILTERED);
	/* the full frame but a shorter caplen cut at the payload's start */
	p.parsed_level = 0;
	p.caplen = pb_payload_offset(&f);
	assert_int_equal(pf_socket_filter(&sock, &p), PF_FILTERED);
	assert_rule(&sock, 10, 1, 0);
}

/* ======================================================= readers/writers */

struct stress {
	struct pf_socket *s;
	struct frame fr[6];
	int stop;
	u64 n, pass, filt, unsamp;
};

static void *stress_reader(void *arg)
{
	struct stress *st = arg;
	u32 i = 0;

	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE)) {
		const struct frame *f = &st->fr[i++ % 6];
		struct pf_pkt p;

		memset(&p, 0, sizeof(p));
		p.data = f->b;
		p.caplen = p.len = f->n;
		p.rx = (u8)(i & 1);
		switch (pf_socket_filter(st->s, &p)) {
		case PF_PASS:
			st->pass++;
			break;
		case PF_FILTERED:
			st->filt++;
			break;
		case PF_UNSAMPLED:
			st->unsamp++;
			break;
		}
		__atomic_store_n(&st->n, st->n + 1, __ATOMIC_RELEASE);
		if ((st->n & 63) == 0)
			sched_yield();   /* let the writer in (valgrind runs one thread at a time) */
	}
	return NULL;
}

/* Wait until the reader has filtered more than `seen` packets (so reader and
 * writer interleave even where threads are serialized, as under valgrind). */
static u64 wait_reader(struct stress *st, u64 seen)
{
	u64 n;

	while ((n = __atomic_load_n(&st->n, __ATOMIC_ACQUIRE)) <= seen)
		sched_yield();
	return n;
}

static void test_rules_change_during_traffic(void **state)
{
	static const rule_action_behaviour acts[] = {
		forward_packet_and_stop_rule_evaluation,
		dont_forward_packet_and_stop_rule_evaluation,
		forward_packet_add_rule_and_stop_rule_evaluation,
		forward_packet_del_rule_and_stop_rule_evaluation,
		execute_action_and_continue_rule_evaluation,
		bounce_packet_and_continue_rule_evaluation,
	};
	struct pb_flow flows[6] = {
		pb_tcp4(HOST_A, HOST_B, 1000, 80), pb_tcp4(HOST_B, HOST_A, 80, 1000),
		pb_udp4(HOST_A, HOST_C, 53, 5353), pb_tcp4(HOST_C, HOST_B, 7, 81),
		pb_icmp4(HOST_A, HOST_B), pb_ip6(PB_PROTO_TCP, 1, 2, 3, 80),
	};
	struct prog p80 = compile("tcp port 80"), pudp = compile("udp or icmp");
	struct stress st;
	struct pf_socket s;
	pthread_t th;
	u32 i, iters = quick() ? 400 : 20000;
	int rc;

	(void)state;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < 6; i++)
		build(&st.fr[i], &flows[i]);
	assert_int_equal(pf_socket_init(&s, pf_user_home()), 0);
	s.precise_capacity = 256;
	assert_int_equal(pf_plugin_register(&counter_plugin, NULL), 0);
	st.s = &s;
	assert_int_equal(pthread_create(&th, NULL, stress_reader, &st), 0);
	for (i = 0; i < iters; i++) {
		if (i % 8 == 0)
			wait_reader(&st, __atomic_load_n(&st.n, __ATOMIC_ACQUIRE));
		filtering_rule r = wrule((u16)(1 + i % 40), acts[i % 6]);
		hash_filtering_rule h = hrule(&flows[i % 4], acts[(i / 3) % 6]);
		char err[128];

		if (i % 5 == 0)
			r.core_fields.proto = PB_PROTO_TCP;
		if (i % 7 == 0)
			r.plugin_action.plugin_id = COUNTER_PLUGIN_ID;
		rc = pf_socket_add_rule(&s, &r);
		assert_true(rc == 0 || rc == -PF_EEXIST);
		rc = pf_socket_remove_rule(&s, (u16)(1 + (i * 7) % 40));
		assert_true(rc == 0 || rc == -PF_ENOENT);
		if (h.rule_action == bounce_packet_and_continue_rule_evaluation)
			h.rule_action = execute_action_and_continue_rule_evaluation;
		rc = pf_socket_hash_rule(&s, &h, (i & 1) == 0);
		assert_true(rc == 0 || rc == -PF_EEXIST || rc == -PF_ENOENT);
		switch (i % 4) {
		case 0:
			assert_int_equal(pf_socket_set_bpf(&s, p80.insns, p80.n, err, sizeof(err)), 0);
			break;
		case 1:
			assert_int_equal(pf_socket_set_bpf(&s, pudp.insns, pudp.n, err, sizeof(err)), 0);
			break;
		case 2:
			assert_int_equal(pf_socket_remove_bpf(&s), 0);
			break;
		default:
			assert_int_equal(pf_socket_set_sampling(&s, 1 + i % 3), 0);
			assert_int_equal(pf_socket_set_policy(&s, (u8)(i & 4)), 0);
			break;
		}
		if (i % 50 == 0) {
			pf_socket_purge_idle_hash(&s, 0);
			pf_socket_purge_idle(&s, 0);
		}
	}
	__atomic_store_n(&st.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(th, NULL), 0);

	assert_true(st.n >= iters / 8);
	fprintf(stderr, "stress: %u writer rounds, %llu packets (%llu passed, %llu filtered, %llu unsampled)\n", iters, (unsigned long long)st.n, (unsigned long long)st.pass, (unsigned long long)st.filt, (unsigned long long)st.unsamp);
	assert_int_equal(s.cnt.seen, st.n);
	assert_int_equal(s.cnt.passed, st.pass);
	assert_int_equal(s.cnt.filtered, st.filt);
	assert_int_equal(s.cnt.unsampled, st.unsamp);
	assert_int_equal(s.cnt.seen, s.cnt.passed + s.cnt.filtered + s.cnt.unsampled);
	pf_socket_destroy(&s);
	assert_int_equal(pf_plugin_unregister(COUNTER_PLUGIN_ID), 0);
	free(p80.insns);
	free(pudp.insns);
}

/* ================================================================== init */

static void test_init_refuses_incomplete_home(void **state)
{
	struct pf_home h = clk.home;
	struct pf_socket s;

	(void)state;
	assert_int_equal(pf_socket_init(NULL, &h), -PF_EINVAL);
	assert_int_equal(pf_socket_init(&s, NULL), -PF_EINVAL);
	h.synchronize = NULL;
	assert_int_equal(pf_socket_init(&s, &h), -PF_EINVAL);
	h = clk.home;
	h.alloc = NULL;
	assert_int_equal(pf_socket_init(&s, &h), -PF_EINVAL);
	/* defaults */
	assert_int_equal(sock.direction, rx_and_tx_direction);
	assert_int_equal(sock.default_accept, 1);
	assert_int_equal(sock.sampling_rate, 1);
	assert_null(sock.precise);
	assert_null(sock.bpf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_refuses_incomplete_home, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_order_precise_drop_beats_wildcard_forward, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_order_precise_forward_beats_wildcard_drop, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_order_wildcard_by_rule_id, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_rules_before_policy, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_no_rules_no_parse, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_bpf_only_after_rules, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_sampling_after_bpf, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_actions_wildcard, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_actions_precise, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_add_rule_creates_flow_rule, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_del_rule_removes_flow_rule, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_flow_rule, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_reflect_errors, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_rule_validation, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_direction, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_sampling_rates, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_sampling_reset_and_refusal, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_identity_with_ring, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_rule_stats, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_hash_rule_stats, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_purge_idle_wildcard, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_purge_idle_hash, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_bpf_core_executor, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_bpf_home_hook, setup_hooks, teardown),
		cmocka_unit_test_setup_teardown(test_bpf_snaplen_program, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_plugin_registry, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_counter_plugin, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_counter_plugin_on_flow_rule, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_counter_plugin_on_hash_rule, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_probe_plugin_callbacks, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_plugin_flow_hooks, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_unregistered_plugins, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_sip_method, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_sip_fields, setup_plugins, teardown_plugins),
		cmocka_unit_test_setup_teardown(test_sip_ipv6_and_caplen, setup_plugins, teardown_plugins),
		cmocka_unit_test(test_rules_change_during_traffic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
