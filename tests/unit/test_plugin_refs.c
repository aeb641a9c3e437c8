/*
 * tests/unit/test_plugin_refs.c - the references rules hold on their plugins
 * (core/plugin.h, pf_plugin_hold / pf_plugin_put; issue 11, finding 4).
 *
 * A home with a settable clock, an allocator that counts live blocks and can
 * fail on demand, and plugin_get / plugin_put hooks that count references per
 * owner (what pf_ring.ko does with try_module_get / module_put). Two plugins:
 * "act" (id 41) allocates 16 bytes of per-rule memory on its first packet and
 * frees it in free_rule_mem; "flt" (id 42) is a filter that always matches.
 * Every test checks the exact reference counts after each step, that a failed
 * add holds nothing, that free_rule_mem and free_ring_mem run while the plugin
 * is still referenced, and that no block is left once the ring is destroyed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/socket.h"
#include "core/plugin.h"
#include "lib/user_home.h"
#include "pkt_build.h"

#define NS 1000000000ull
#define ACT_ID 41
#define FLT_ID 42
#define UNKNOWN_ID 50

struct owner {
	int refs;        /* references held now */
	int gets, puts;  /* successful plugin_get / plugin_put calls */
	int going;       /* plugin_get fails: the owner is going away */
};

static struct owner own_act, own_flt;
static struct pf_user_clock clk;
static struct pf_home home;
static struct pf_socket sock;
static long live_blocks;    /* allocated through the home and not freed */
static int fail_allocs;     /* the next alloc returns NULL when set */

static struct {
	int free_rule_calls, free_ring_calls;
	int min_refs_in_free_rule, refs_in_free_ring;
} seen;

static int t_get(void *ctx, void *owner)
{
	struct owner *o = owner;

	assert_ptr_equal(ctx, &clk);
	if (o->going)
		return -1;
	o->refs++;
	o->gets++;
	return 0;
}

static void t_put(void *ctx, void *owner)
{
	struct owner *o = owner;

	assert_ptr_equal(ctx, &clk);
	assert_true(o->refs > 0);
	o->refs--;
	o->puts++;
}

static void *t_alloc(void *ctx, size_t n)
{
	void *p;

	(void)ctx;
	if (fail_allocs) {
		fail_allocs = 0;
		return NULL;
	}
	p = calloc(1, n);
	if (p)
		live_blocks++;
	return p;
}

static void t_free(void *ctx, void *p)
{
	(void)ctx;
	if (p)
		live_blocks--;
	free(p);
}

/* ---------------------------------------------------------------- plugins */

static int act_handle(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p,
		      u16 filter_plugin_id, void **parse_memory, rule_action_behaviour *b)
{
	(void)p; (void)filter_plugin_id; (void)parse_memory; (void)b;
	if (!*r->plugin_data)
		*r->plugin_data = s->home->alloc(s->home->ctx, 16);
	return 0;
}

static void act_free_rule(struct pf_socket *s, struct pf_plugin_rule *r)
{
	seen.free_rule_calls++;
	if (own_act.refs < seen.min_refs_in_free_rule)
		seen.min_refs_in_free_rule = own_act.refs;
	s->home->free(s->home->ctx, *r->plugin_data);
	*r->plugin_data = NULL;
}

static void act_free_ring(struct pf_socket *s)
{
	(void)s;
	seen.free_ring_calls++;
	seen.refs_in_free_ring = own_act.refs;
}

static int flt_filter(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p,
		      void **parse_memory)
{
	(void)s; (void)r; (void)p; (void)parse_memory;
	return 1;
}

static const struct pfring_plugin_registration act_plugin = {
	.plugin_id = ACT_ID,
	.name = "act",
	.pfring_plugin_handle_skb = act_handle,
	.pfring_plugin_free_rule_mem = act_free_rule,
	.pfring_plugin_free_ring_mem = act_free_ring,
};

static const struct pfring_plugin_registration flt_plugin = {
	.plugin_id = FLT_ID,
	.name = "flt",
	.pfring_plugin_filter_skb = flt_filter,
};

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
	(void)state;
	memset(&own_act, 0, sizeof(own_act));
	memset(&own_flt, 0, sizeof(own_flt));
	memset(&seen, 0, sizeof(seen));
	seen.min_refs_in_free_rule = 1 << 30;
	live_blocks = 0;
	fail_allocs = 0;
	pf_user_clock_init(&clk);
	clk.now_ns = 1000 * NS;
	home = clk.home;
	home.alloc = t_alloc;
	home.free = t_free;
	home.plugin_get = t_get;
	home.plugin_put = t_put;
	assert_int_equal(pf_plugin_register(&act_plugin, &own_act), 0);
	assert_int_equal(pf_plugin_register(&flt_plugin, &own_flt), 0);
	assert_int_equal(pf_socket_init(&sock, &home), 0);
	sock.precise_capacity = 4;
	return 0;
}

/* Destroying the ring drops every reference and frees every block. */
static int teardown(void **state)
{
	(void)state;
	pf_socket_destroy(&sock);
	/* unregistered first, so that one failing test leaves the next a clean registry */
	assert_int_equal(pf_plugin_unregister(ACT_ID) | pf_plugin_unregister(FLT_ID), 0);
	assert_int_equal(own_act.refs, 0);
	assert_int_equal(own_flt.refs, 0);
	assert_int_equal(live_blocks, 0);
	return 0;
}

static filtering_rule wrule(u16 id, rule_action_behaviour a, u16 action_plugin, u16 filter_plugin)
{
	filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.rule_id = id;
	r.rule_action = a;
	r.plugin_action.plugin_id = action_plugin;
	r.extended_fields.filter_plugin_id = filter_plugin;
	return r;
}

static hash_filtering_rule hrule(u32 a, u32 b, rule_action_behaviour act, u16 plugin)
{
	hash_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.proto = PB_PROTO_TCP;
	r.host_peer_a.v4 = a;
	r.host_peer_b.v4 = b;
	r.port_peer_a = 40000;
	r.port_peer_b = 80;
	r.rule_action = act;
	r.plugin_action.plugin_id = plugin;
	return r;
}

static enum pf_verdict run_tcp(u32 src, u32 dst)
{
	struct pb_flow f = pb_tcp4(src, dst, 40000, 80);
	u8 buf[256];
	struct pf_pkt p;

	memset(&p, 0, sizeof(p));
	p.data = buf;
	p.caplen = p.len = pb_build(buf, sizeof(buf), &f);
	p.rx = 1;
	return pf_socket_filter(&sock, &p);
}

static void assert_refs(int act, int flt)
{
	assert_int_equal(own_act.refs, act);
	assert_int_equal(own_flt.refs, flt);
}

/* ------------------------------------------------------------------ tests */

/* One reference per plugin a wildcard rule names, dropped when it goes. */
static void test_wildcard_rule_refs(void **state)
{
	filtering_rule both = wrule(1, execute_action_and_continue_rule_evaluation, ACT_ID, FLT_ID);
	filtering_rule act = wrule(2, forward_packet_and_stop_rule_evaluation, ACT_ID, 0);
	filtering_rule none = wrule(3, forward_packet_and_stop_rule_evaluation, 0, 0);

	(void)state;
	assert_int_equal(pf_socket_add_rule(&sock, &both), 0);
	assert_refs(1, 1);
	assert_int_equal(pf_socket_add_rule(&sock, &act), 0);
	assert_int_equal(pf_socket_add_rule(&sock, &none), 0);
	assert_refs(2, 1);
	assert_int_equal(run_tcp(0x0a000001, 0x0a000002), PF_PASS);
	assert_int_equal(pf_socket_remove_rule(&sock, 1), 0);
	assert_refs(1, 0);
	assert_int_equal(seen.free_rule_calls, 1);
	assert_int_equal(seen.min_refs_in_free_rule, 2);   /* freed before its put */
	assert_int_equal(pf_socket_remove_rule(&sock, 3), 0);
	assert_refs(1, 0);
	/* the same rule in both roles: two references */
	both.rule_id = 4;
	both.extended_fields.filter_plugin_id = ACT_ID;
	assert_int_equal(pf_socket_add_rule(&sock, &both), 0);
	assert_refs(3, 0);
	assert_int_equal(pf_socket_remove_rule(&sock, 4), 0);
	assert_refs(1, 0);
	assert_int_equal(own_act.gets, 4);
	assert_int_equal(own_act.puts, 3);
}

/* Every failed add leaves the counts as they were. */
static void test_failed_adds_hold_nothing(void **state)
{
	filtering_rule r = wrule(1, forward_packet_and_stop_rule_evaluation, ACT_ID, FLT_ID);
	filtering_rule bad = r;
	u16 id;

	(void)state;
	bad.rule_action = (rule_action_behaviour)99;
	assert_int_equal(pf_socket_add_rule(&sock, &bad), -PF_EINVAL);
	assert_refs(0, 0);
	assert_int_equal(own_act.gets, 0);
	fail_allocs = 1;
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_ENOMEM);
	assert_refs(0, 0);
	assert_int_equal(pf_socket_add_rule(&sock, &r), 0);
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_EEXIST);
	assert_refs(1, 1);
	for (id = 2; id <= PF_MAX_WILDCARD_RULES; id++) {
		r.rule_id = id;
		assert_int_equal(pf_socket_add_rule(&sock, &r), 0);
	}
	r.rule_id = PF_MAX_WILDCARD_RULES + 1;
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_ENOSPC);
	assert_refs(PF_MAX_WILDCARD_RULES, PF_MAX_WILDCARD_RULES);
	assert_int_equal(own_act.gets - own_act.puts, PF_MAX_WILDCARD_RULES);
}

/* A plugin that is not registered, or whose owner is going away, is refused
 * with -PF_ENOENT, and a half-taken pair is given back. */
static void test_unpinnable_plugins_refused(void **state)
{
	filtering_rule r = wrule(1, forward_packet_and_stop_rule_evaluation, UNKNOWN_ID, 0);
	hash_filtering_rule h = hrule(0x0a000001, 0x0a000002, forward_packet_and_stop_rule_evaluation,
				      UNKNOWN_ID);

	(void)state;
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_ENOENT);
	r = wrule(1, forward_packet_and_stop_rule_evaluation, 0, UNKNOWN_ID);
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_ENOENT);
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_ENOENT);
	own_act.going = 1;
	r = wrule(1, forward_packet_and_stop_rule_evaluation, ACT_ID, 0);
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_ENOENT);
	h.plugin_action.plugin_id = ACT_ID;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_ENOENT);
	own_act.going = 0;
	own_flt.going = 1;
	r = wrule(1, forward_packet_and_stop_rule_evaluation, ACT_ID, FLT_ID);
	assert_int_equal(pf_socket_add_rule(&sock, &r), -PF_ENOENT);
	assert_refs(0, 0);
	assert_int_equal(own_act.gets, 1);
	assert_int_equal(own_act.puts, 1);
	assert_int_equal(sock.wrules.cur->n, 0);
	assert_int_equal(pf_precise_count(sock.precise), 0);
}

/* Precise rules: add, duplicate, full table, remove, purge. */
static void test_precise_rule_refs(void **state)
{
	hash_filtering_rule h = hrule(0x0a000001, 0x0a000002, forward_packet_and_stop_rule_evaluation,
				      ACT_ID);
	u32 i;

	(void)state;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), 0);
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_EEXIST);
	assert_refs(1, 0);
	for (i = 1; i < 4; i++) {
		h.host_peer_b.v4 = 0x0a000002 + i;
		assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), 0);
	}
	h.host_peer_b.v4 = 0x0a000009;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), -PF_ENOSPC);
	assert_refs(4, 0);
	assert_int_equal(run_tcp(0x0a000001, 0x0a000002), PF_PASS);   /* plugin memory */
	h.host_peer_b.v4 = 0x0a000002;
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 0), 0);
	assert_refs(3, 0);
	assert_int_equal(seen.free_rule_calls, 1);
	assert_int_equal(seen.min_refs_in_free_rule, 4);
	/* a recycled node holds nothing: adding into it and purging count once */
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), 0);
	assert_refs(4, 0);
	clk.now_ns += 10 * NS;
	assert_int_equal(pf_socket_purge_idle_hash(&sock, 5), 4);
	assert_refs(0, 0);
	assert_int_equal(own_act.gets, 7);   /* the duplicate's and the overflow's were given back */
	assert_int_equal(own_act.puts, 7);
}

/* Rules the packet path adds (forward_packet_add_rule) hold their plugin too,
 * and a rule the packet path unlinks (forward_packet_del_rule) keeps its
 * reference until it is recycled. */
static void test_packet_path_rules(void **state)
{
	filtering_rule add = wrule(1, forward_packet_add_rule_and_stop_rule_evaluation, ACT_ID, 0);
	filtering_rule del = wrule(2, forward_packet_del_rule_and_stop_rule_evaluation, 0, 0);
	hash_filtering_rule h = hrule(0x0a000005, 0x0a000006,
				      execute_action_and_continue_rule_evaluation, ACT_ID);

	(void)state;
	add.core_fields.dport_low = 80;
	add.core_fields.shost.v4 = 0x0a000001;
	add.core_fields.shost_mask.v4 = 0xffffffff;
	assert_int_equal(pf_socket_add_rule(&sock, &add), 0);
	assert_int_equal(pf_socket_add_rule(&sock, &del), 0);
	assert_refs(1, 0);
	assert_int_equal(run_tcp(0x0a000001, 0x0a000002), PF_PASS);
	assert_int_equal(pf_precise_count(sock.precise), 1);
	assert_refs(2, 0);
	assert_int_equal(run_tcp(0x0a000001, 0x0a000002), PF_PASS);  /* the flow rule's memory */
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), 0);
	assert_refs(3, 0);
	assert_int_equal(run_tcp(0x0a000005, 0x0a000006), PF_PASS);  /* continues to rule 2 */
	assert_int_equal(pf_precise_count(sock.precise), 1);
	assert_refs(3, 0);
	assert_int_equal(seen.free_rule_calls, 0);
	assert_int_equal(pf_socket_remove_rule(&sock, 1), 0);
	assert_refs(2, 0);
	assert_int_equal(seen.free_rule_calls, 1);
	/* teardown: the linked flow rule and the deferred one, each with memory */
}

/* Closing a ring with rules: free_rule_mem for each rule with memory, then
 * free_ring_mem, all while the plugin is still referenced. */
static void test_destroy_releases_in_order(void **state)
{
	filtering_rule r = wrule(1, execute_action_and_continue_rule_evaluation, ACT_ID, 0);
	hash_filtering_rule h = hrule(0x0a000001, 0x0a000002,
				      execute_action_and_continue_rule_evaluation, ACT_ID);
	u16 id;

	(void)state;
	for (id = 1; id <= 10; id++) {
		r.rule_id = id;
		assert_int_equal(pf_socket_add_rule(&sock, &r), 0);
	}
	assert_int_equal(pf_socket_hash_rule(&sock, &h, 1), 0);
	assert_int_equal(run_tcp(0x0a000001, 0x0a000002), PF_PASS);
	assert_refs(11, 0);
	pf_socket_destroy(&sock);
	assert_int_equal(seen.free_rule_calls, 11);
	assert_true(seen.min_refs_in_free_rule >= 1);
	assert_int_equal(seen.free_ring_calls, 1);
	assert_int_equal(seen.refs_in_free_ring, 1);   /* the ring's own pin */
	assert_refs(0, 0);
	assert_int_equal(own_act.gets, 12);
	assert_int_equal(own_act.puts, 12);
	assert_int_equal(pf_socket_init(&sock, &home), 0);   /* for teardown */
}

/* Idle wildcard rules purged: their references go. */
static void test_purged_wildcard_rules(void **state)
{
	filtering_rule r = wrule(1, forward_packet_and_stop_rule_evaluation, ACT_ID, FLT_ID);

	(void)state;
	assert_int_equal(pf_socket_add_rule(&sock, &r), 0);
	r.rule_id = 2;
	r.locked = 1;
	assert_int_equal(pf_socket_add_rule(&sock, &r), 0);
	assert_refs(2, 2);
	clk.now_ns += 10 * NS;
	assert_int_equal(pf_socket_purge_idle(&sock, 5), 1);
	assert_refs(1, 1);
}

/* A home without plugin_get pins nothing and refuses no plugin id. */
static void test_home_without_hooks(void **state)
{
	filtering_rule r = wrule(1, forward_packet_and_stop_rule_evaluation, UNKNOWN_ID, ACT_ID);
	struct pf_socket plain;

	(void)state;
	assert_int_equal(pf_socket_init(&plain, &clk.home), 0);
	assert_int_equal(pf_socket_add_rule(&plain, &r), 0);
	pf_socket_destroy(&plain);
	assert_int_equal(own_act.gets + own_act.puts, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wildcard_rule_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_adds_hold_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unpinnable_plugins_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precise_rule_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_packet_path_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_releases_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purged_wildcard_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_without_hooks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
