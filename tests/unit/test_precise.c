/*
 * tests/unit/test_precise.c - precise (hash) filtering rules, core/precise.c.
 *
 * The home is a test double: calloc/free with a failure switch and a byte
 * count, a pthread mutex as the write lock, and a user-space grace period
 * (each thread owns a sequence counter, odd while inside a read section;
 * synchronize() waits until every counter that was odd has moved on). Packets
 * are filled by hand (parsed_level 5), the parser is not used.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "core/precise.h"

/* ---------------------------------------------------------------- home */

#define MAX_THREADS 4

struct thome {
	u64 now;
	int fail_allocs;              /* the next allocations fail */
	int allocs, frees;
	size_t last_alloc;
	pthread_mutex_t wlock;
	int wlock_held;
	u64 seq[MAX_THREADS];         /* per thread: odd = inside a read section */
	int syncs;
	int sync_under_lock;          /* synchronize() called with a lock held */
	void (*on_sync)(void *arg);   /* runs inside synchronize(), before waiting */
	void *on_sync_arg;
};

static __thread int my_slot;      /* 0: the main thread */

static u64 th_now(void *c) { return ((struct thome *)c)->now; }

static void *th_alloc(void *c, size_t n)
{
	struct thome *t = c;

	t->last_alloc = n;
	if (t->fail_allocs) {
		t->fail_allocs--;
		return NULL;
	}
	t->allocs++;
	return calloc(1, n);
}

static void th_free(void *c, void *p)
{
	((struct thome *)c)->frees++;
	free(p);
}

static void th_read_lock(void *c)
{
	__atomic_add_fetch(&((struct thome *)c)->seq[my_slot], 1, __ATOMIC_SEQ_CST);
}

static void th_read_unlock(void *c)
{
	__atomic_add_fetch(&((struct thome *)c)->seq[my_slot], 1, __ATOMIC_RELEASE);
}

static void th_write_lock(void *c)
{
	struct thome *t = c;

	pthread_mutex_lock(&t->wlock);
	t->wlock_held = 1;
}

static void th_write_unlock(void *c)
{
	struct thome *t = c;

	t->wlock_held = 0;
	pthread_mutex_unlock(&t->wlock);
}

static void th_synchronize(void *c)
{
	struct thome *t = c;
	u64 snap[MAX_THREADS];
	int i;

	if (pthread_mutex_trylock(&t->wlock) != 0)
		t->sync_under_lock = 1;
	else
		pthread_mutex_unlock(&t->wlock);
	if (__atomic_load_n(&t->seq[my_slot], __ATOMIC_RELAXED) & 1)
		t->sync_under_lock = 1;   /* would wait for itself */
	t->syncs++;
	if (t->on_sync)
		t->on_sync(t->on_sync_arg);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < MAX_THREADS; i++)
		snap[i] = __atomic_load_n(&t->seq[i], __ATOMIC_ACQUIRE);
	for (i = 0; i < MAX_THREADS; i++)
		if (snap[i] & 1)
			while (__atomic_load_n(&t->seq[i], __ATOMIC_ACQUIRE) == snap[i])
				sched_yield();
}

static struct thome TH;
static struct pf_home HOME;

static int setup(void **state)
{
	memset(&TH, 0, sizeof(TH));
	pthread_mutex_init(&TH.wlock, NULL);
	TH.now = 1000;
	HOME = (struct pf_home){
		.ctx = &TH, .now_ns = th_now, .alloc = th_alloc, .free = th_free,
		.read_lock = th_read_lock, .read_unlock = th_read_unlock,
		.synchronize = th_synchronize, .write_lock = th_write_lock,
		.write_unlock = th_write_unlock,
	};
	*state = &HOME;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pthread_mutex_destroy(&TH.wlock);
	assert_int_equal(TH.allocs, TH.frees);
	assert_int_equal(TH.sync_under_lock, 0);
	return 0;
}

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

/* ---------------------------------------------------------------- builders */

static ip_addr v4(u32 a)
{
	ip_addr x;

	memset(&x, 0, sizeof(x));
	x.v4 = a;
	return x;
}

static ip_addr v6(const char *hex32)
{
	ip_addr x;
	int i;

	for (i = 0; i < 16; i++) {
		unsigned int b;

		sscanf(hex32 + 2 * i, "%2x", &b);
		x.v6.s6_addr[i] = (u8)b;
	}
	return x;
}

static hash_filtering_rule rule(u16 vlan, u8 proto, ip_addr a, u16 pa, ip_addr b, u16 pb)
{
	hash_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.vlan_id = vlan;
	r.proto = proto;
	r.host_peer_a = a;
	r.port_peer_a = pa;
	r.host_peer_b = b;
	r.port_peer_b = pb;
	r.rule_action = forward_packet_and_stop_rule_evaluation;
	return r;
}

static struct pf_pkt pkt(u8 ver, u16 vlan, u8 proto, ip_addr s, u16 sp, ip_addr d, u16 dp)
{
	struct pf_pkt p;

	memset(&p, 0, sizeof(p));
	p.parsed_level = 5;
	p.info.ip_version = ver;
	p.info.eth_type = ver == 4 ? 0x0800 : 0x86DD;
	p.info.vlan_id = vlan;
	p.info.l3_proto = proto;
	p.info.ip_src = s;
	p.info.ip_dst = d;
	p.info.l4_src_port = sp;
	p.info.l4_dst_port = dp;
	return p;
}

/* The packet src -> dst of rule r (dir 0) or dst -> src (dir 1). */
static struct pf_pkt pkt_of(const hash_filtering_rule *r, int is_v4, int dir)
{
	if (dir == 0)
		return pkt(is_v4 ? 4 : 6, r->vlan_id, r->proto, r->host_peer_a,
			   r->port_peer_a, r->host_peer_b, r->port_peer_b);
	return pkt(is_v4 ? 4 : 6, r->vlan_id, r->proto, r->host_peer_b, r->port_peer_b,
		   r->host_peer_a, r->port_peer_a);
}

static int ep_eq(const ip_addr *x, u16 px, const ip_addr *y, u16 py)
{
	return memcmp(x, y, 16) == 0 && px == py;
}

/* e holds the 6-tuple of r, in either orientation. */
static int entry_is(const struct pf_precise_entry *e, const hash_filtering_rule *r)
{
	const hash_filtering_rule *s = &e->rule;

	if (s->vlan_id != r->vlan_id || s->proto != r->proto)
		return 0;
	return (ep_eq(&s->host_peer_a, s->port_peer_a, &r->host_peer_a, r->port_peer_a) &&
		ep_eq(&s->host_peer_b, s->port_peer_b, &r->host_peer_b, r->port_peer_b)) ||
	       (ep_eq(&s->host_peer_a, s->port_peer_a, &r->host_peer_b, r->port_peer_b) &&
		ep_eq(&s->host_peer_b, s->port_peer_b, &r->host_peer_a, r->port_peer_a));
}

static struct pf_precise_entry *look(struct pf_precise_table *t, struct pf_pkt p)
{
	struct pf_precise_entry *e;

	HOME.read_lock(HOME.ctx);
	e = pf_precise_lookup(t, &p);
	HOME.read_unlock(HOME.ctx);
	return e;
}

#define IP4(a, b, c, d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))

/* ---------------------------------------------------------------- create */

static void test_bytes_and_create(void **state)
{
	struct pf_home *h = *state;
	struct pf_precise_table *t;
	size_t b1m = pf_precise_bytes(1000000);

	assert_int_equal(pf_precise_bytes(0), 0);
	assert_int_equal(pf_precise_bytes((1u << 24) + 1), 0);
	assert_true(pf_precise_bytes(1u << 24) > 0);
	/* The stated budget: 128 B node + 4 B bucket x 2^20 / 1e6, + a header. */
	assert_true(b1m >= 128u * 1000000 + 4u * 1048576);
	assert_true(b1m <= 128u * 1000000 + 4u * 1048576 + 256);
	print_message("precise: %zu bytes for 1,000,000 rules = %.1f B/rule\n",
		      b1m, (double)b1m / 1e6);
	assert_true(pf_precise_bytes(1000) < pf_precise_bytes(1025));

	assert_null(pf_precise_create(h, 0));
	assert_null(pf_precise_create(h, (1u << 24) + 1));
	assert_null(pf_precise_create(NULL, 16));
	assert_int_equal(TH.allocs, 0);

	t = pf_precise_create(h, 1000);
	assert_non_null(t);
	assert_int_equal(TH.allocs, 1);
	assert_int_equal(TH.last_alloc, pf_precise_bytes(1000));   /* the whole table */
	assert_int_equal(pf_precise_count(t), 0);
	pf_precise_destroy(t);
	assert_int_equal(TH.frees, 1);
	pf_precise_destroy(NULL);
	assert_int_equal(pf_precise_count(NULL), 0);
}

static void test_alloc_failure(void **state)
{
	struct pf_home *h = *state;
	hash_filtering_rule r = rule(0, 6, v4(IP4(10, 0, 0, 1)), 1, v4(IP4(10, 0, 0, 2)), 2);
	struct pf_precise_table *t;

	TH.fail_allocs = 1;
	assert_null(pf_precise_create(h, 64));
	assert_int_equal(TH.allocs, 0);
	assert_int_equal(TH.frees, 0);
	/* The home recovered: create works, and add never allocates. */
	t = pf_precise_create(h, 64);
	assert_non_null(t);
	TH.fail_allocs = 1000;
	assert_int_equal(pf_precise_add(t, &r), 0);
	assert_int_equal(pf_precise_remove(t, &r), 0);
	assert_int_equal(TH.allocs, 1);
	TH.fail_allocs = 0;
	pf_precise_destroy(t);
}

/* ---------------------------------------------------------------- matching */

static void test_v4_both_directions(void **state)
{
	ip_addr A = v4(IP4(192, 168, 1, 10)), B = v4(IP4(10, 1, 2, 3));
	hash_filtering_rule r = rule(0, 6, A, 40000, B, 80);
	struct pf_precise_table *t = pf_precise_create(*state, 16);
	struct pf_precise_entry *e1, *e2;

	assert_int_equal(pf_precise_add(t, &r), 0);
	assert_int_equal(pf_precise_count(t), 1);
	e1 = look(t, pkt(4, 0, 6, A, 40000, B, 80));
	e2 = look(t, pkt(4, 0, 6, B, 80, A, 40000));
	assert_non_null(e1);
	assert_ptr_equal(e1, e2);
	assert_true(entry_is(e1, &r));
	assert_int_equal(e1->rule.rule_action, forward_packet_and_stop_rule_evaluation);
	assert_int_equal(e1->matched, 0);
	assert_null(e1->plugin_data);
	/* Ports crossed, one port off, one host off: no match. */
	assert_null(look(t, pkt(4, 0, 6, A, 80, B, 40000)));
	assert_null(look(t, pkt(4, 0, 6, A, 40001, B, 80)));
	assert_null(look(t, pkt(4, 0, 6, A, 40000, B, 81)));
	assert_null(look(t, pkt(4, 0, 6, v4(IP4(192, 168, 1, 11)), 40000, B, 80)));
	assert_null(look(t, pkt(4, 0, 6, A, 40000, A, 80)));
	/* Host byte order: the byte-swapped address is another host. */
	assert_null(look(t, pkt(4, 0, 6, v4(__builtin_bswap32(IP4(192, 168, 1, 10))), 40000,
				B, 80)));
	pf_precise_destroy(t);
}

static void test_v6_both_directions(void **state)
{
	ip_addr A = v6("20010db8000000000000000000000001");
	ip_addr B = v6("fe800000000000000202b3fffe1e8329");
	ip_addr C = v6("20010db8000000000000000000000002");
	hash_filtering_rule r = rule(7, 17, A, 53, B, 33000);
	struct pf_precise_table *t = pf_precise_create(*state, 16);
	struct pf_precise_entry *e1, *e2;

	assert_int_equal(pf_precise_add(t, &r), 0);
	e1 = look(t, pkt(6, 7, 17, A, 53, B, 33000));
	e2 = look(t, pkt(6, 7, 17, B, 33000, A, 53));
	assert_non_null(e1);
	assert_ptr_equal(e1, e2);
	assert_true(entry_is(e1, &r));
	assert_null(look(t, pkt(6, 7, 17, C, 53, B, 33000)));
	assert_null(look(t, pkt(6, 7, 17, A, 53, B, 33001)));
	assert_null(look(t, pkt(6, 7, 17, A, 33000, B, 53)));
	pf_precise_destroy(t);
}

/* A flow between two ports of one host (same address both sides): the ports
 * alone order the endpoints, so A:1000 -> A:2000 and A:2000 -> A:1000 are one
 * flow, whichever order the rule names them in, and A:1000 -> A:1000 is
 * another. IPv4 and IPv6 keys are ordered by separate code: both are run. */
static void test_same_host_flow(void **state)
{
	ip_addr hosts[2] = { v4(IP4(10, 9, 8, 7)), v6("20010db8000000000000000000000042") };
	int i;

	for (i = 0; i < 2; i++) {
		ip_addr A = hosts[i];
		u8 ver = i == 0 ? 4 : 6;
		hash_filtering_rule fwd = rule(0, 17, A, 1000, A, 2000);
		hash_filtering_rule rev = rule(0, 17, A, 2000, A, 1000);
		hash_filtering_rule self = rule(0, 17, A, 1000, A, 1000);
		struct pf_precise_table *t = pf_precise_create(*state, 16);
		struct pf_precise_entry *e1, *e2, *es;

		/* one flow, both orders of the ports */
		assert_int_equal(pf_precise_add(t, &rev), 0);
		assert_int_equal(pf_precise_add(t, &fwd), -PF_EEXIST);
		e1 = look(t, pkt(ver, 0, 17, A, 1000, A, 2000));
		e2 = look(t, pkt(ver, 0, 17, A, 2000, A, 1000));
		assert_non_null(e1);
		assert_ptr_equal(e1, e2);
		assert_true(entry_is(e1, &fwd));
		assert_null(look(t, pkt(ver, 0, 17, A, 1000, A, 1000)));
		assert_null(look(t, pkt(ver, 0, 17, A, 2000, A, 2000)));
		assert_null(look(t, pkt(ver, 0, 17, A, 1000, A, 2001)));
		assert_null(look(t, pkt(ver, 0, 6, A, 2000, A, 1000)));

		/* a port to itself is its own flow */
		assert_int_equal(pf_precise_add(t, &self), 0);
		es = look(t, pkt(ver, 0, 17, A, 1000, A, 1000));
		assert_non_null(es);
		assert_ptr_not_equal(es, e1);
		assert_true(entry_is(es, &self));
		assert_ptr_equal(look(t, pkt(ver, 0, 17, A, 2000, A, 1000)), e1);

		/* removed by the other order, both directions stop matching */
		assert_int_equal(pf_precise_remove(t, &fwd), 0);
		assert_null(look(t, pkt(ver, 0, 17, A, 1000, A, 2000)));
		assert_null(look(t, pkt(ver, 0, 17, A, 2000, A, 1000)));
		assert_ptr_equal(look(t, pkt(ver, 0, 17, A, 1000, A, 1000)), es);
		pf_precise_destroy(t);
	}
}

static void test_vlan_and_proto_distinguish(void **state)
{
	ip_addr A = v4(IP4(1, 2, 3, 4)), B = v4(IP4(5, 6, 7, 8));
	hash_filtering_rule r0 = rule(0, 6, A, 1000, B, 2000);
	hash_filtering_rule r10 = rule(10, 6, A, 1000, B, 2000);
	hash_filtering_rule ru = rule(0, 17, A, 1000, B, 2000);
	struct pf_precise_table *t = pf_precise_create(*state, 16);
	struct pf_precise_entry *e;

	assert_int_equal(pf_precise_add(t, &r0), 0);
	assert_int_equal(pf_precise_add(t, &r10), 0);
	assert_int_equal(pf_precise_add(t, &ru), 0);
	assert_int_equal(pf_precise_count(t), 3);

	e = look(t, pkt(4, 0, 6, B, 2000, A, 1000));
	assert_non_null(e);
	assert_int_equal(e->rule.vlan_id, 0);
	assert_int_equal(e->rule.proto, 6);
	e = look(t, pkt(4, 10, 6, A, 1000, B, 2000));
	assert_non_null(e);
	assert_int_equal(e->rule.vlan_id, 10);
	e = look(t, pkt(4, 0, 17, A, 1000, B, 2000));
	assert_non_null(e);
	assert_int_equal(e->rule.proto, 17);
	assert_null(look(t, pkt(4, 20, 6, A, 1000, B, 2000)));
	assert_null(look(t, pkt(4, 10, 17, A, 1000, B, 2000)));
	assert_null(look(t, pkt(4, 0, 132, A, 1000, B, 2000)));

	assert_int_equal(pf_precise_remove(t, &r10), 0);
	assert_null(look(t, pkt(4, 10, 6, A, 1000, B, 2000)));
	assert_non_null(look(t, pkt(4, 0, 6, A, 1000, B, 2000)));
	assert_non_null(look(t, pkt(4, 0, 17, A, 1000, B, 2000)));
	pf_precise_destroy(t);
}

/* A rule is IPv4 when both hosts have only the v4 word set, else IPv6. */
static void test_v4_v6_rules_apart(void **state)
{
	struct pf_precise_table *t = pf_precise_create(*state, 16);
	ip_addr A4 = v4(IP4(10, 0, 0, 1)), B4 = v4(IP4(10, 0, 0, 2));
	hash_filtering_rule r4 = rule(0, 6, A4, 1, B4, 2);
	/* x:y:: hosts: only the first 32 bits set -> read as an IPv4 rule. */
	ip_addr X = v6("20010db8000000000000000000000000");
	ip_addr Y = v6("20010db9000000000000000000000000");
	hash_filtering_rule rxy = rule(0, 6, X, 3, Y, 4);
	/* One v4-shaped host, one full IPv6 host: an IPv6 rule. */
	ip_addr Z = v6("20010db8000000000000000000000009");
	hash_filtering_rule rxz = rule(0, 6, X, 5, Z, 6);

	assert_int_equal(pf_precise_add(t, &r4), 0);
	assert_int_equal(pf_precise_add(t, &rxy), 0);
	assert_int_equal(pf_precise_add(t, &rxz), 0);

	assert_non_null(look(t, pkt(4, 0, 6, A4, 1, B4, 2)));
	/* An IPv6 packet whose 16 address bytes equal the IPv4 rule's. */
	assert_null(look(t, pkt(6, 0, 6, A4, 1, B4, 2)));

	/* rxy is IPv4: it matches the IPv4 packet with those words, not IPv6. */
	assert_non_null(look(t, pkt(4, 0, 6, v4(X.v4), 3, v4(Y.v4), 4)));
	assert_null(look(t, pkt(6, 0, 6, X, 3, Y, 4)));

	/* rxz is IPv6. */
	assert_non_null(look(t, pkt(6, 0, 6, Z, 6, X, 5)));
	assert_null(look(t, pkt(4, 0, 6, v4(X.v4), 5, v4(Z.v4), 6)));

	/* Not IP, or not parsed: nothing matches. */
	{
		struct pf_pkt p = pkt(4, 0, 6, A4, 1, B4, 2);

		p.info.ip_version = 0;
		assert_null(look(t, p));
		p.info.ip_version = 4;
		p.parsed_level = 0;
		assert_null(look(t, p));
		p.parsed_level = 3;      /* L3 only: still a parsed packet */
		assert_non_null(look(t, p));
	}
	pf_precise_destroy(t);
}

static void test_portless_protocol(void **state)
{
	ip_addr A = v4(IP4(10, 9, 8, 7)), B = v4(IP4(10, 9, 8, 6));
	hash_filtering_rule icmp = rule(0, 1, A, 0, B, 0);
	struct pf_precise_table *t = pf_precise_create(*state, 4);

	assert_int_equal(pf_precise_add(t, &icmp), 0);
	assert_non_null(look(t, pkt(4, 0, 1, B, 0, A, 0)));
	assert_null(look(t, pkt(4, 0, 1, B, 0, A, 1)));     /* port 0 is not "any" */
	assert_null(look(t, pkt(4, 0, 6, B, 0, A, 0)));
	pf_precise_destroy(t);
}

/* ---------------------------------------------------------------- add/remove */

static void test_duplicate(void **state)
{
	ip_addr A = v4(IP4(172, 16, 0, 1)), B = v4(IP4(172, 16, 0, 2));
	hash_filtering_rule r = rule(3, 6, A, 1234, B, 443);
	hash_filtering_rule rev = rule(3, 6, B, 443, A, 1234);
	ip_addr C = v6("20010db8000000000000000000000001");
	ip_addr D = v6("20010db80000000000000000000000ff");
	hash_filtering_rule s = rule(0, 17, C, 1, D, 2);
	hash_filtering_rule srev = rule(0, 17, D, 2, C, 1);
	struct pf_precise_table *t = pf_precise_create(*state, 16);

	assert_int_equal(pf_precise_add(t, &r), 0);
	assert_int_equal(pf_precise_add(t, &r), -PF_EEXIST);
	assert_int_equal(pf_precise_add(t, &rev), -PF_EEXIST);
	rev.rule_action = dont_forward_packet_and_stop_rule_evaluation;   /* still the key */
	assert_int_equal(pf_precise_add(t, &rev), -PF_EEXIST);
	assert_int_equal(pf_precise_add(t, &srev), 0);
	assert_int_equal(pf_precise_add(t, &s), -PF_EEXIST);
	assert_int_equal(pf_precise_count(t), 2);
	/* The first add's action stays. */
	assert_int_equal(look(t, pkt(4, 3, 6, A, 1234, B, 443))->rule.rule_action,
			 forward_packet_and_stop_rule_evaluation);
	pf_precise_destroy(t);
}

static void test_remove(void **state)
{
	ip_addr A = v4(IP4(8, 8, 8, 8)), B = v4(IP4(192, 0, 2, 1));
	hash_filtering_rule r = rule(0, 17, A, 53, B, 5353);
	hash_filtering_rule rev = rule(0, 17, B, 5353, A, 53);
	hash_filtering_rule other = rule(0, 17, A, 53, B, 5354);
	struct pf_precise_table *t = pf_precise_create(*state, 16);

	assert_int_equal(pf_precise_add(t, &r), 0);
	assert_int_equal(pf_precise_add(t, &other), 0);
	assert_int_equal(TH.syncs, 0);
	assert_int_equal(pf_precise_remove(t, &rev), 0);     /* either direction */
	assert_int_equal(TH.syncs, 1);                        /* one grace period */
	assert_int_equal(pf_precise_count(t), 1);
	assert_null(look(t, pkt(4, 0, 17, A, 53, B, 5353)));
	assert_null(look(t, pkt(4, 0, 17, B, 5353, A, 53)));
	assert_non_null(look(t, pkt(4, 0, 17, A, 53, B, 5354)));
	assert_int_equal(pf_precise_remove(t, &r), -PF_ENOENT);
	assert_int_equal(pf_precise_remove(t, &rev), -PF_ENOENT);
	assert_int_equal(TH.syncs, 1);                        /* nothing to wait for */
	assert_int_equal(pf_precise_remove(t, &other), 0);
	assert_int_equal(pf_precise_count(t), 0);
	assert_int_equal(pf_precise_remove(t, &other), -PF_ENOENT);
	/* Re-add after remove. */
	assert_int_equal(pf_precise_add(t, &rev), 0);
	assert_non_null(look(t, pkt(4, 0, 17, A, 53, B, 5353)));
	pf_precise_destroy(t);
}

/* Capacity 8: the 9th add fails until one is removed. Inside remove's grace
 * period the freed node must not be handed out yet. */
struct reuse_probe {
	struct pf_precise_table *t;
	hash_filtering_rule r;
	int ret;
};

static void add_during_sync(void *arg)
{
	struct reuse_probe *p = arg;

	p->ret = pf_precise_add(p->t, &p->r);
}

static void test_capacity(void **state)
{
	struct pf_precise_table *t = pf_precise_create(*state, 8);
	hash_filtering_rule r[10];
	struct reuse_probe probe;
	int i;

	for (i = 0; i < 10; i++)
		r[i] = rule(0, 6, v4(IP4(10, 0, 1, i + 1)), 1000 + i, v4(IP4(10, 0, 2, 1)), 80);
	for (i = 0; i < 8; i++)
		assert_int_equal(pf_precise_add(t, &r[i]), 0);
	assert_int_equal(pf_precise_count(t), 8);
	assert_int_equal(pf_precise_add(t, &r[8]), -PF_ENOSPC);
	assert_int_equal(pf_precise_add(t, &r[3]), -PF_EEXIST);  /* duplicate wins over full */
	assert_int_equal(pf_precise_count(t), 8);

	probe.t = t;
	probe.r = r[9];
	TH.on_sync = add_during_sync;
	TH.on_sync_arg = &probe;
	assert_int_equal(pf_precise_remove(t, &r[5]), 0);
	TH.on_sync = NULL;
	assert_int_equal(probe.ret, -PF_ENOSPC);   /* not recycled before the grace period */
	assert_int_equal(pf_precise_count(t), 7);

	assert_int_equal(pf_precise_add(t, &r[8]), 0);
	assert_int_equal(pf_precise_add(t, &r[9]), -PF_ENOSPC);
	for (i = 0; i < 9; i++) {
		struct pf_precise_entry *e = look(t, pkt_of(&r[i], 1, i & 1));

		if (i == 5) {
			assert_null(e);
		} else {
			assert_non_null(e);
			assert_true(entry_is(e, &r[i]));
		}
	}
	pf_precise_destroy(t);
}

static void test_remove_deferred(void **state)
{
	struct pf_precise_table *t = pf_precise_create(*state, 2);
	hash_filtering_rule a = rule(0, 6, v4(IP4(1, 1, 1, 1)), 1, v4(IP4(2, 2, 2, 2)), 2);
	hash_filtering_rule b = rule(0, 6, v4(IP4(1, 1, 1, 1)), 3, v4(IP4(2, 2, 2, 2)), 4);
	hash_filtering_rule c = rule(0, 6, v4(IP4(1, 1, 1, 1)), 5, v4(IP4(2, 2, 2, 2)), 6);

	assert_int_equal(pf_precise_add(t, &a), 0);
	assert_int_equal(pf_precise_add(t, &b), 0);
	assert_int_equal(pf_precise_remove_deferred(t, &a), 0);
	assert_int_equal(TH.syncs, 0);                 /* never on the packet path */
	assert_int_equal(pf_precise_count(t), 1);
	assert_null(look(t, pkt_of(&a, 1, 0)));
	assert_int_equal(pf_precise_remove_deferred(t, &a), -PF_ENOENT);
	assert_int_equal(pf_precise_add(t, &c), -PF_ENOSPC);   /* a still waits */
	/* remove (process context) runs the grace period for a as well. */
	assert_int_equal(pf_precise_remove(t, &b), 0);
	assert_int_equal(TH.syncs, 1);
	assert_int_equal(pf_precise_add(t, &c), 0);
	assert_int_equal(pf_precise_add(t, &a), 0);
	assert_int_equal(pf_precise_count(t), 2);
	/* A failed remove and a purge of nothing also recycle deferred entries. */
	assert_int_equal(pf_precise_remove_deferred(t, &c), 0);
	assert_int_equal(pf_precise_remove(t, &b), -PF_ENOENT);
	assert_int_equal(TH.syncs, 2);
	assert_int_equal(pf_precise_add(t, &b), 0);
	assert_int_equal(pf_precise_remove_deferred(t, &b), 0);
	assert_int_equal(pf_precise_purge_idle(t, TH.now, 1000), 0);
	assert_int_equal(TH.syncs, 3);
	assert_int_equal(pf_precise_add(t, &c), 0);
	assert_int_equal(pf_precise_remove_deferred(t, &c), 0);
	pf_precise_destroy(t);     /* a deferred entry left: freed with the table */
}

static void test_refusals(void **state)
{
	ip_addr A = v4(IP4(10, 0, 0, 1)), B = v4(IP4(10, 0, 0, 2)), Z = v4(0);
	struct pf_precise_table *t = pf_precise_create(*state, 16);
	hash_filtering_rule r;
	pfring_rule_stats st;

	r = rule(0, 6, Z, 1, B, 2);
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	assert_int_equal(pf_precise_remove(t, &r), -PF_EINVAL);
	assert_int_equal(pf_precise_stats(t, &r, &st), -PF_EINVAL);
	r = rule(0, 6, A, 1, Z, 2);
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	r = rule(0, 0, A, 1, B, 2);                       /* proto 0 = any */
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	r = rule(4096, 6, A, 1, B, 2);                    /* not a VLAN id */
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	r = rule(0, 6, A, 1, B, 2);
	r.rule_action = (rule_action_behaviour)10;
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	r.rule_action = reflect_packet_and_stop_rule_evaluation;   /* no device */
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	r.rule_action = forward_packet_and_stop_rule_evaluation;
	r.plugin_action.plugin_id = MAX_PLUGIN_ID;
	assert_int_equal(pf_precise_add(t, &r), -PF_EINVAL);
	assert_int_equal(pf_precise_add(t, NULL), -PF_EINVAL);
	assert_int_equal(pf_precise_add(NULL, &r), -PF_EINVAL);
	assert_int_equal(pf_precise_remove(t, NULL), -PF_EINVAL);
	assert_int_equal(pf_precise_count(t), 0);

	/* The same rule, made valid, goes in; a reflect with a device too. */
	r.plugin_action.plugin_id = MAX_PLUGIN_ID - 1;
	assert_int_equal(pf_precise_add(t, &r), 0);
	r = rule(4095, 6, A, 1, B, 2);
	r.rule_action = reflect_packet_and_continue_rule_evaluation;
	memcpy(r.reflector_device_name, "eth1", 5);
	assert_int_equal(pf_precise_add(t, &r), 0);
	assert_int_equal(pf_precise_count(t), 2);
	pf_precise_destroy(t);
}

/* ---------------------------------------------------------------- stats, purge */

static void test_stats(void **state)
{
	ip_addr A = v6("fd000000000000000000000000000001");
	ip_addr B = v6("fd000000000000000000000000000002");
	hash_filtering_rule r = rule(0, 6, A, 22, B, 50000);
	hash_filtering_rule rev = rule(0, 6, B, 50000, A, 22);
	hash_filtering_rule absent = rule(0, 6, A, 22, B, 50001);
	struct pf_precise_table *t = pf_precise_create(*state, 16);
	struct pf_precise_entry *e;
	pfring_rule_stats st;
	int i;

	assert_int_equal(pf_precise_add(t, &r), 0);
	memset(&st, 0xff, sizeof(st));
	assert_int_equal(pf_precise_stats(t, &rev, &st), 0);
	assert_int_equal(st.matching_packets, 0);
	assert_int_equal(st.dropped_packets, 0);
	/* The pipeline's accounting: 5 matches, 2 of them dropped. */
	for (i = 0; i < 5; i++) {
		e = look(t, pkt(6, 0, 6, i & 1 ? A : B, i & 1 ? 22 : 50000,
				i & 1 ? B : A, i & 1 ? 50000 : 22));
		assert_non_null(e);
		pf_atomic_add_relaxed(&e->matched, 1);
		if (i < 2)
			pf_atomic_add_relaxed(&e->dropped, 1);
	}
	assert_int_equal(pf_precise_stats(t, &r, &st), 0);
	assert_int_equal(st.matching_packets, 5);
	assert_int_equal(st.dropped_packets, 2);
	assert_int_equal(pf_precise_stats(t, &rev, &st), 0);
	assert_int_equal(st.matching_packets, 5);
	assert_int_equal(pf_precise_stats(t, &absent, &st), -PF_ENOENT);
	assert_int_equal(pf_precise_stats(t, &r, NULL), -PF_EINVAL);
	assert_int_equal(pf_precise_stats(NULL, &r, &st), -PF_EINVAL);
	/* Removed and re-added: counters start again at zero. */
	assert_int_equal(pf_precise_remove(t, &r), 0);
	assert_int_equal(pf_precise_stats(t, &r, &st), -PF_ENOENT);
	assert_int_equal(pf_precise_add(t, &r), 0);
	assert_int_equal(pf_precise_stats(t, &r, &st), 0);
	assert_int_equal(st.matching_packets, 0);
	pf_precise_destroy(t);
}

#define SEC 1000000000ull

static void test_purge_idle(void **state)
{
	struct pf_precise_table *t = pf_precise_create(*state, 3);
	hash_filtering_rule r1 = rule(0, 6, v4(IP4(10, 0, 0, 1)), 1, v4(IP4(10, 0, 0, 9)), 9);
	hash_filtering_rule r2 = rule(0, 6, v4(IP4(10, 0, 0, 2)), 1, v4(IP4(10, 0, 0, 9)), 9);
	hash_filtering_rule r3 = rule(0, 6, v4(IP4(10, 0, 0, 3)), 1, v4(IP4(10, 0, 0, 9)), 9);
	hash_filtering_rule r4 = rule(0, 6, v4(IP4(10, 0, 0, 4)), 1, v4(IP4(10, 0, 0, 9)), 9);
	struct pf_precise_entry *e;

	TH.now = 1 * SEC;
	assert_int_equal(pf_precise_add(t, &r1), 0);
	TH.now = 5 * SEC;
	assert_int_equal(pf_precise_add(t, &r2), 0);
	TH.now = 6 * SEC;
	assert_int_equal(pf_precise_add(t, &r3), 0);
	e = look(t, pkt_of(&r3, 1, 1));
	assert_non_null(e);
	e->last_match_ns = 9 * SEC;                  /* the pipeline saw r3 at 9 s */

	/* At 10 s, idle > 5 s: r1 (9 s since added); r2 has 5 s exactly: kept. */
	assert_int_equal(pf_precise_purge_idle(t, 10 * SEC, 5), 1);
	assert_int_equal(TH.syncs, 1);
	assert_null(look(t, pkt_of(&r1, 1, 0)));
	assert_non_null(look(t, pkt_of(&r2, 1, 0)));
	assert_int_equal(pf_precise_count(t), 2);
	/* One nanosecond later r2 goes; r3 matched at 9 s stays. */
	assert_int_equal(pf_precise_purge_idle(t, 10 * SEC + 1, 5), 1);
	assert_null(look(t, pkt_of(&r2, 1, 1)));
	assert_non_null(look(t, pkt_of(&r3, 1, 0)));
	/* Nothing idle: no grace period. */
	assert_int_equal(pf_precise_purge_idle(t, 14 * SEC, 5), 0);
	assert_int_equal(TH.syncs, 2);
	/* The purged nodes are reusable: fill the table again. */
	TH.now = 14 * SEC;
	assert_int_equal(pf_precise_add(t, &r1), 0);
	assert_int_equal(pf_precise_add(t, &r2), 0);
	assert_int_equal(pf_precise_add(t, &r4), -PF_ENOSPC);
	/* At 14 s + 1 ns: r3 is idle (5 s + 1 ns since its match), r1, r2 not. */
	assert_int_equal(pf_precise_purge_idle(t, 14 * SEC + 1, 5), 1);
	assert_null(look(t, pkt_of(&r3, 1, 0)));
	/* idle 0: everything older than now. */
	assert_int_equal(pf_precise_purge_idle(t, 14 * SEC + 1, 0), 2);
	assert_int_equal(pf_precise_count(t), 0);
	assert_int_equal(pf_precise_purge_idle(NULL, 0, 0), -PF_EINVAL);
	pf_precise_destroy(t);
}

/* ---------------------------------------------------------------- chains */

static u64 rng_state;

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct chain_probe {
	struct pf_precise_table *t;
	struct pf_precise_entry *victim, *victim_next;
	const hash_filtering_rule *rules;
	int n, gone_from;
	int bad;
};

/* Inside the grace period: the unlinked node still leads on to its old
 * successor (a reader standing on it must go on), every other rule is found. */
static void check_during_sync(void *arg)
{
	struct chain_probe *p = arg;
	int i;

	if (p->victim->next != p->victim_next)
		p->bad++;
	for (i = p->gone_from; i < p->n; i++)
		if (!look(p->t, pkt_of(&p->rules[i], 1, i & 1)))
			p->bad++;
}

/* Capacity n in ~n buckets: chains; remove every rule in random order, each
 * removal checked against all the others, during and after its grace period. */
static void test_chains(void **state)
{
	int n = quick() ? 300 : 1000, i, j, chained = 0;
	hash_filtering_rule *r = calloc(n, sizeof(*r));
	struct pf_precise_table *t = pf_precise_create(*state, n);
	struct chain_probe probe = { .t = t, .rules = r, .n = n };

	rng_state = 42;
	for (i = 0; i < n; i++)
		r[i] = rule(0, 17, v4(IP4(10, 1, 0, 0) + i + 1), (u16)rnd(),
			    v4(IP4(11, 0, 0, 0) | (rnd() & 0xffffff)), (u16)rnd());
	for (i = 0; i < n; i++)
		assert_int_equal(pf_precise_add(t, &r[i]), 0);
	for (i = 0; i < n; i++)
		chained += look(t, pkt_of(&r[i], 1, 0))->next != NULL;
	assert_true(chained > n / 10);    /* the table does have chains */
	for (i = n - 1; i > 0; i--) {     /* shuffle */
		hash_filtering_rule x = r[i];

		j = (int)(rnd() % (u64)(i + 1));
		r[i] = r[j];
		r[j] = x;
	}
	TH.on_sync = check_during_sync;
	TH.on_sync_arg = &probe;
	for (i = 0; i < n; i++) {
		probe.victim = look(t, pkt_of(&r[i], 1, 1));
		assert_non_null(probe.victim);
		probe.victim_next = probe.victim->next;
		probe.gone_from = i + 1;
		assert_int_equal(pf_precise_remove(t, &r[i]), 0);
		assert_int_equal(probe.bad, 0);
		assert_null(look(t, pkt_of(&r[i], 1, 0)));
		if (i % 50 == 0)
			for (j = i + 1; j < n; j++)
				assert_non_null(look(t, pkt_of(&r[j], 1, j & 1)));
	}
	TH.on_sync = NULL;
	assert_int_equal(pf_precise_count(t), 0);
	pf_precise_destroy(t);
	free(r);
}

/* ---------------------------------------------------------------- 1,000,000 */

/* Rule i: host a is unique to i (10/8 for IPv4, 2001:db8::/96 + i for IPv6)
 * and outside b's range, so rules are distinct whatever the order. */
static hash_filtering_rule big_rule(u32 i, int *is_v4)
{
	static const u8 protos[3] = { 6, 17, 1 };
	u8 proto = protos[rnd() % 3];
	u16 pa = proto == 1 ? 0 : (u16)rnd(), pb = proto == 1 ? 0 : (u16)rnd();
	u16 vlan = rnd() & 1 ? 0 : (u16)(rnd() & 0xfff);
	hash_filtering_rule r;
	ip_addr a, b;

	*is_v4 = i % 4 != 3;
	if (*is_v4) {
		a = v4(IP4(10, 0, 0, 0) | (i + 1));
		b = v4(0xc0000000u | (u32)(rnd() & 0x3fffffff));
	} else {
		u64 x = rnd(), y = rnd();

		a = v6("20010db8000000000000000000000000");
		a.v6.s6_addr[12] = (u8)((i + 1) >> 24);
		a.v6.s6_addr[13] = (u8)((i + 1) >> 16);
		a.v6.s6_addr[14] = (u8)((i + 1) >> 8);
		a.v6.s6_addr[15] = (u8)(i + 1);
		b = v6("fd000000000000000000000000000000");
		memcpy(&b.v6.s6_addr[2], &x, 8);
		memcpy(&b.v6.s6_addr[10], &y, 6);
	}
	r = rnd() & 1 ? rule(vlan, proto, a, pa, b, pb) : rule(vlan, proto, b, pb, a, pa);
	return r;
}

/* Rule i with one field changed (never host a): absent from the table. */
static hash_filtering_rule near_miss(hash_filtering_rule r, u32 i, int is_v4)
{
	int a_unique = is_v4 ? r.host_peer_a.v4 >> 24 == 10 : r.host_peer_a.v6.s6_addr[0] == 0x20;
	ip_addr *b = a_unique ? &r.host_peer_b : &r.host_peer_a;

	switch (i % 5) {
	case 0: r.port_peer_b ^= 1; break;
	case 1: r.vlan_id ^= 1; break;
	case 2: r.proto = r.proto == 6 ? 17 : r.proto == 17 ? 6 : 58; break;
	case 3:
		if (is_v4)
			b->v4 ^= 1;
		else
			b->v6.s6_addr[15] ^= 1;
		break;
	default: r.port_peer_a ^= 0x8000; break;
	}
	return r;
}

static void test_million(void **state)
{
	u32 n = quick() ? 50000 : 1000000, i, found = 0, wrong = 0, absent_found = 0;
	struct pf_precise_table *t = pf_precise_create(*state, n);
	hash_filtering_rule extra = rule(0, 6, v4(IP4(9, 9, 9, 9)), 1, v4(IP4(9, 9, 9, 8)), 1);

	assert_non_null(t);
	rng_state = 7;
	for (i = 0; i < n; i++) {
		int is4;
		hash_filtering_rule r = big_rule(i, &is4);

		if (pf_precise_add(t, &r) != 0)
			fail_msg("add %u failed", i);
	}
	assert_int_equal(pf_precise_count(t), n);
	assert_int_equal(pf_precise_add(t, &extra), -PF_ENOSPC);

	rng_state = 7;     /* the same rules again */
	HOME.read_lock(HOME.ctx);
	for (i = 0; i < n; i++) {
		int is4, dir;
		hash_filtering_rule r = big_rule(i, &is4), m = near_miss(r, i, is4);

		for (dir = 0; dir < 2; dir++) {
			struct pf_pkt p = pkt_of(&r, is4, dir), q = pkt_of(&m, is4, dir);
			struct pf_precise_entry *e = pf_precise_lookup(t, &p);

			if (e && entry_is(e, &r))
				found++;
			else if (e)
				wrong++;
			absent_found += pf_precise_lookup(t, &q) != NULL;
		}
	}
	HOME.read_unlock(HOME.ctx);
	assert_int_equal(found, 2 * n);
	assert_int_equal(wrong, 0);
	assert_int_equal(absent_found, 0);
	pf_precise_destroy(t);
}

/* ---------------------------------------------------------------- concurrency */

#define PRESENT 1000
#define TRANSIENT 32

struct conc {
	struct pf_precise_table *t;
	hash_filtering_rule present[PRESENT], transient[TRANSIENT];
	int done;
	u64 lookups, present_missed, wrong, transient_seen;
};

static void dwell(int n)
{
	volatile int x = 0;

	while (n--)
		x++;
}

static void *reader(void *arg)
{
	struct conc *c = arg;
	u64 i = 0;

	my_slot = 1;
	while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
		const hash_filtering_rule *p = &c->present[i % PRESENT];
		const hash_filtering_rule *q = &c->transient[i % TRANSIENT];
		struct pf_pkt pp = pkt_of(p, 1, (int)(i & 1)), pq = pkt_of(q, 1, (int)(i >> 1 & 1));
		struct pf_precise_entry *e;

		HOME.read_lock(HOME.ctx);
		e = pf_precise_lookup(c->t, &pp);
		if (!e)
			c->present_missed++;
		else if (!entry_is(e, p))
			c->wrong++;
		e = pf_precise_lookup(c->t, &pq);
		if (e) {
			c->transient_seen++;
			if (!entry_is(e, q))
				c->wrong++;
			/* Stay on it a while: a writer that recycled it without a
			 * grace period would rewrite it under our eyes. */
			dwell(200);
			if (!entry_is(e, q))
				c->wrong++;
		}
		HOME.read_unlock(HOME.ctx);
		__atomic_store_n(&c->lookups, c->lookups + 2, __ATOMIC_RELEASE);
		if ((++i & 63) == 0)
			sched_yield();
	}
	return NULL;
}

/* The writer must not outrun a reader that was never scheduled (valgrind runs
 * one thread at a time): wait until the reader has made progress since last time. */
static void wait_for_reader(struct conc *c, u64 *seen)
{
	while (__atomic_load_n(&c->lookups, __ATOMIC_ACQUIRE) == *seen)
		sched_yield();
	*seen = __atomic_load_n(&c->lookups, __ATOMIC_ACQUIRE);
}

static void test_concurrent_readers(void **state)
{
	int ops = quick() ? 3000 : 100000, i, in[TRANSIENT] = { 0 };
	struct conc *c = calloc(1, sizeof(*c));
	u64 seen = 0;
	pthread_t th;

	/* Capacity = what can be live at once: every add after the first
	 * TRANSIENT reuses a node some reader may have just left. */
	c->t = pf_precise_create(*state, PRESENT + TRANSIENT);
	rng_state = 99;
	for (i = 0; i < PRESENT; i++) {
		c->present[i] = rule(0, 6, v4(IP4(10, 2, 0, 0) + i + 1), (u16)rnd(),
				     v4(IP4(10, 3, 0, 1)), 443);
		assert_int_equal(pf_precise_add(c->t, &c->present[i]), 0);
	}
	for (i = 0; i < TRANSIENT; i++)
		c->transient[i] = rule(0, 6, v4(IP4(10, 4, 0, 0) + i + 1), (u16)rnd(),
				       v4(IP4(10, 3, 0, 1)), 443);
	assert_int_equal(pthread_create(&th, NULL, reader, c), 0);
	for (i = 0; i < ops; i++) {
		int j = (int)(rnd() % TRANSIENT);

		if (in[j])
			assert_int_equal(pf_precise_remove(c->t, &c->transient[j]), 0);
		else
			assert_int_equal(pf_precise_add(c->t, &c->transient[j]), 0);
		in[j] = !in[j];
		if ((i & 63) == 0)
			wait_for_reader(c, &seen);
	}
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	print_message("concurrent: %d writes, %llu lookups, %llu transient hits\n", ops,
		      (unsigned long long)c->lookups, (unsigned long long)c->transient_seen);
	assert_int_equal(c->present_missed, 0);
	assert_int_equal(c->wrong, 0);
	assert_true(c->lookups > 0);
	for (i = 0, ops = 0; i < TRANSIENT; i++)
		ops += in[i];
	assert_int_equal(pf_precise_count(c->t), PRESENT + ops);
	for (i = 0; i < TRANSIENT; i++)
		assert_true((look(c->t, pkt_of(&c->transient[i], 1, 0)) != NULL) == in[i]);
	pf_precise_destroy(c->t);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bytes_and_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_both_directions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v6_both_directions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_host_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_and_proto_distinguish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_v6_rules_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_portless_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_million, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_readers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
