/*
 * tests/unit/test_rules.c - wildcard filtering rules (core/rules.c, core/rules_match.c).
 *
 * Each field alone, masks, ports, payload, tunnel, balance, bidirectional; the
 * set (add/remove/order/validation/ENOSPC/purge/stats); a failing allocator; a
 * reader/writer stress under an epoch-style read lock; and a property test of
 * the matcher and the set walk against tests/unit/rules_ref.h.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "core/rules.h"
#include "rules_ref.h"

/* ------------------------------------------------------------------ home */

/* Allocation accounting and fault injection. */
static long live_allocs;
static long allocs_until_failure = -1;   /* -1: never fail */
static u64 fake_now;

/* Read side: one epoch counter per reader thread, odd while inside. */
#define MAX_READERS 4
static u64 reader_epoch[MAX_READERS];
static __thread int reader_slot;
static pthread_mutex_t writer_mutex = PTHREAD_MUTEX_INITIALIZER;
static long sync_calls;

static void *t_alloc(void *ctx, size_t n)
{
	(void)ctx;
	if (allocs_until_failure == 0)
		return NULL;
	if (allocs_until_failure > 0)
		allocs_until_failure--;
	__atomic_add_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
	return calloc(1, n);
}

static void t_free(void *ctx, void *p)
{
	(void)ctx;
	if (p)
		__atomic_sub_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
	free(p);
}

static u64 t_now(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static void t_read_lock(void *ctx)
{
	(void)ctx;
	__atomic_add_fetch(&reader_epoch[reader_slot], 1, __ATOMIC_SEQ_CST);
}

static void t_read_unlock(void *ctx)
{
	(void)ctx;
	__atomic_add_fetch(&reader_epoch[reader_slot], 1, __ATOMIC_RELEASE);
}

/* Wait until every reader that was inside when we were called has left: a
 * reader seen with an even epoch, or whose epoch moved, cannot hold a pointer
 * unpublished before the fence (its next section loads the new one). */
static void t_synchronize(void *ctx)
{
	int i;

	(void)ctx;
	__atomic_add_fetch(&sync_calls, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < MAX_READERS; i++) {
		u64 e = __atomic_load_n(&reader_epoch[i], __ATOMIC_SEQ_CST);

		if (!(e & 1))
			continue;
		while (__atomic_load_n(&reader_epoch[i], __ATOMIC_ACQUIRE) == e)
			sched_yield();
	}
}

static void t_write_lock(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&writer_mutex);
}

static void t_write_unlock(void *ctx)
{
	(void)ctx;
	pthread_mutex_unlock(&writer_mutex);
}

static const struct pf_home home = {
	.ctx = NULL,
	.now_ns = t_now,
	.alloc = t_alloc,
	.free = t_free,
	.read_lock = t_read_lock,
	.read_unlock = t_read_unlock,
	.synchronize = t_synchronize,
	.write_lock = t_write_lock,
	.write_unlock = t_write_unlock,
};

static int setup(void **state)
{
	(void)state;
	live_allocs = 0;
	allocs_until_failure = -1;
	fake_now = 0;
	reader_slot = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(live_allocs, 0);   /* every test frees all it allocated */
	return 0;
}

static unsigned long iterations(unsigned long full)
{
	const char *q = getenv("PF_TEST_QUICK");

	return (q && *q && *q != '0') ? full / 10 : full;
}

/* ------------------------------------------------------------------ packets */

static const u8 MAC_A[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const u8 MAC_B[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
static const u8 MAC_C[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

#define IP4(a, b, c, d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))
#define PAYLOAD_OFF 54

struct tpkt {
	struct pf_pkt p;
	u8 frame[256];
};

/* IPv4 TCP 10.0.0.1:1234 -> 10.0.0.2:80, MAC_A -> MAC_B, untagged, no tunnel,
 * payload "hello GET /index.html world" at offset 54. */
static void pkt_v4(struct tpkt *t)
{
	static const char payload[] = "hello GET /index.html world";
	struct pkt_parsing_info *i = &t->p.info;

	memset(t, 0, sizeof(*t));
	memset(t->frame, 0xee, sizeof(t->frame));
	memcpy(t->frame + PAYLOAD_OFF, payload, sizeof(payload) - 1);
	t->p.data = t->frame;
	t->p.caplen = t->p.len = PAYLOAD_OFF + sizeof(payload) - 1;
	t->p.parsed_level = 5;
	t->p.rx = 1;
	memcpy(i->dmac, MAC_B, 6);
	memcpy(i->smac, MAC_A, 6);
	i->eth_type = 0x0800;
	i->ip_version = 4;
	i->l3_proto = 6;
	i->ip_src.v4 = IP4(10, 0, 0, 1);
	i->ip_dst.v4 = IP4(10, 0, 0, 2);
	i->l4_src_port = 1234;
	i->l4_dst_port = 80;
	i->tunnel.tunnel_id = NO_TUNNEL_ID;
	i->offset.l3_offset = 14;
	i->offset.l4_offset = 34;
	i->offset.payload_offset = PAYLOAD_OFF;
}

static void v6_addr(ip_addr *a, const char *hex16)
{
	int k;

	memset(a, 0, sizeof(*a));
	for (k = 0; k < 16; k++) {
		unsigned v;

		sscanf(hex16 + 2 * k, "%2x", &v);
		a->v6.s6_addr[k] = (u8)v;
	}
}

/* IPv6 UDP 2001:db8::1:53 -> 2001:db8:0:1::2:5353. */
static void pkt_v6(struct tpkt *t)
{
	pkt_v4(t);
	t->p.info.eth_type = 0x86dd;
	t->p.info.ip_version = 6;
	t->p.info.l3_proto = 17;
	v6_addr(&t->p.info.ip_src, "20010db8000000000000000000000001");
	v6_addr(&t->p.info.ip_dst, "20010db8000000010000000000000002");
	t->p.info.l4_src_port = 53;
	t->p.info.l4_dst_port = 5353;
}

static void rule_init(filtering_rule *r, u16 id)
{
	memset(r, 0, sizeof(*r));
	r->rule_id = id;
	r->rule_action = forward_packet_and_stop_rule_evaluation;
}

static int matches(const filtering_rule *r, const struct tpkt *t)
{
	struct pf_wrule w;

	memset(&w, 0, sizeof(w));
	w.rule = *r;
	w.pattern_len = (u8)strnlen(r->extended_fields.payload_pattern, 32);
	return pf_wrule_match(&w, &t->p);
}

/* The matcher, and the model, both give `want`. */
#define expect_match(r, t, want) do { \
	assert_int_equal(matches((r), (t)), (want)); \
	assert_int_equal(ref_rule_match((r), &(t)->p.info, (t)->p.data, (t)->p.caplen), (want)); \
} while (0)

/* ------------------------------------------------------------------ fields */

static void test_empty_rule_matches_all(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	rule_init(&r, 1);
	pkt_v4(&t);
	expect_match(&r, &t, 1);
	pkt_v6(&t);
	expect_match(&r, &t, 1);
	t.p.info.ip_version = 0;
	expect_match(&r, &t, 1);
}

static void test_mac_fields(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v4(&t);
	rule_init(&r, 1);
	memcpy(r.core_fields.smac, MAC_A, 6);
	expect_match(&r, &t, 1);
	memcpy(r.core_fields.smac, MAC_B, 6);
	expect_match(&r, &t, 0);
	memcpy(r.core_fields.smac, MAC_C, 6);
	expect_match(&r, &t, 0);
	/* one byte off, in the last (16-bit) part */
	memcpy(r.core_fields.smac, MAC_A, 6);
	r.core_fields.smac[5] ^= 1;
	expect_match(&r, &t, 0);

	rule_init(&r, 1);
	memcpy(r.core_fields.dmac, MAC_B, 6);
	expect_match(&r, &t, 1);
	memcpy(r.core_fields.dmac, MAC_A, 6);
	expect_match(&r, &t, 0);
	memcpy(r.core_fields.dmac, MAC_B, 6);
	r.core_fields.dmac[0] ^= 0x80;      /* first byte off */
	expect_match(&r, &t, 0);
}

static void test_vlan_and_proto(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v4(&t);
	rule_init(&r, 1);
	r.core_fields.vlan_id = 10;
	expect_match(&r, &t, 0);            /* untagged */
	t.p.info.vlan_id = 10;
	expect_match(&r, &t, 1);
	t.p.info.vlan_id = 11;
	expect_match(&r, &t, 0);

	pkt_v4(&t);
	rule_init(&r, 1);
	r.core_fields.proto = 6;
	expect_match(&r, &t, 1);
	r.core_fields.proto = 17;
	expect_match(&r, &t, 0);
	t.p.info.l3_proto = 17;
	expect_match(&r, &t, 1);
}

static void test_ipv4_hosts_and_masks(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v4(&t);
	rule_init(&r, 1);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 1);   /* zero mask = exact */
	expect_match(&r, &t, 1);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 3);
	expect_match(&r, &t, 0);
	r.core_fields.shost_mask.v4 = IP4(255, 255, 255, 252);  /* 10.0.0.0/30 */
	expect_match(&r, &t, 1);
	r.core_fields.shost_mask.v4 = IP4(255, 255, 255, 255);
	expect_match(&r, &t, 0);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 4);
	r.core_fields.shost_mask.v4 = IP4(255, 255, 255, 252);  /* 10.0.0.4/30 */
	expect_match(&r, &t, 0);
	r.core_fields.shost.v4 = IP4(10, 9, 9, 9);
	r.core_fields.shost_mask.v4 = IP4(255, 0, 0, 0);        /* 10/8, host bits ignored */
	expect_match(&r, &t, 1);
	r.core_fields.shost.v4 = IP4(11, 0, 0, 1);
	expect_match(&r, &t, 0);

	rule_init(&r, 1);
	r.core_fields.dhost.v4 = IP4(10, 0, 0, 2);
	expect_match(&r, &t, 1);
	r.core_fields.dhost.v4 = IP4(10, 0, 0, 1);   /* that's the source */
	expect_match(&r, &t, 0);
	r.core_fields.dhost.v4 = IP4(10, 0, 1, 0);
	r.core_fields.dhost_mask.v4 = IP4(255, 255, 254, 0);    /* 10.0.0.0/23 */
	expect_match(&r, &t, 1);
	r.core_fields.dhost_mask.v4 = IP4(255, 255, 255, 0);
	expect_match(&r, &t, 0);

	/* both hosts: both must hold */
	rule_init(&r, 1);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 1);
	r.core_fields.dhost.v4 = IP4(10, 0, 0, 2);
	expect_match(&r, &t, 1);
	r.core_fields.dhost.v4 = IP4(10, 0, 0, 9);
	expect_match(&r, &t, 0);

	/* a host rule never matches a non-IP packet */
	rule_init(&r, 1);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 1);
	t.p.info.ip_version = 0;
	expect_match(&r, &t, 0);
	t.p.info.ip_version = 7;            /* not 4 or 6: not IP either */
	expect_match(&r, &t, 0);
	rule_init(&r, 1);                   /* without a host it still matches */
	expect_match(&r, &t, 1);
}

static void test_ipv6_hosts_and_masks(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v6(&t);
	rule_init(&r, 1);
	v6_addr(&r.core_fields.shost, "20010db8000000000000000000000001");
	expect_match(&r, &t, 1);             /* zero mask = /128 */
	r.core_fields.shost.v6.s6_addr[15] = 2;
	expect_match(&r, &t, 0);
	v6_addr(&r.core_fields.shost_mask, "ffffffffffffffff0000000000000000"); /* /64 */
	expect_match(&r, &t, 1);
	r.core_fields.shost.v6.s6_addr[7] = 1;   /* differs inside the /64 */
	expect_match(&r, &t, 0);

	rule_init(&r, 1);
	v6_addr(&r.core_fields.dhost, "20010db8000000010000000000000002");
	expect_match(&r, &t, 1);
	v6_addr(&r.core_fields.dhost, "20010db8000000020000000000000002");
	expect_match(&r, &t, 0);
	v6_addr(&r.core_fields.dhost_mask, "ffffffff000000000000000000000000"); /* /32 */
	expect_match(&r, &t, 1);
	v6_addr(&r.core_fields.dhost, "20010db9000000010000000000000002");
	expect_match(&r, &t, 0);
	/* a mask bit in the second 8 bytes */
	v6_addr(&r.core_fields.dhost, "20010db8000000010000000000000003");
	v6_addr(&r.core_fields.dhost_mask, "fffffffffffffffffffffffffffffffe");
	expect_match(&r, &t, 1);
	v6_addr(&r.core_fields.dhost_mask, "ffffffffffffffffffffffffffffffff");
	expect_match(&r, &t, 0);

	/* An IPv4 packet reads only the v4 member: a v6 host with a non-zero first
	 * word does not match it; "::1" (first word 0) is any for IPv4. */
	pkt_v4(&t);
	rule_init(&r, 1);
	v6_addr(&r.core_fields.shost, "20010db8000000000000000000000001");
	expect_match(&r, &t, 0);
	v6_addr(&r.core_fields.shost, "00000000000000000000000000000001");
	expect_match(&r, &t, 1);
	/* an IPv6 packet reads all 16 bytes of a "v4" rule */
	pkt_v6(&t);
	rule_init(&r, 1);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 1);
	expect_match(&r, &t, 0);
}

static void test_port_ranges(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v4(&t);     /* sport 1234, dport 80 */
	rule_init(&r, 1);
	r.core_fields.dport_low = 80;       /* high 0: exactly 80 */
	expect_match(&r, &t, 1);
	r.core_fields.dport_low = 81;
	expect_match(&r, &t, 0);
	r.core_fields.dport_low = 79;
	expect_match(&r, &t, 0);
	r.core_fields.dport_low = 80;
	r.core_fields.dport_high = 80;
	expect_match(&r, &t, 1);
	r.core_fields.dport_low = 1;
	r.core_fields.dport_high = 79;      /* upper edge just below */
	expect_match(&r, &t, 0);
	r.core_fields.dport_high = 80;      /* upper edge */
	expect_match(&r, &t, 1);
	r.core_fields.dport_low = 80;
	r.core_fields.dport_high = 65535;   /* lower edge */
	expect_match(&r, &t, 1);
	r.core_fields.dport_low = 81;
	expect_match(&r, &t, 0);
	r.core_fields.dport_low = 0;
	r.core_fields.dport_high = 80;      /* 0..80 */
	expect_match(&r, &t, 1);
	r.core_fields.dport_high = 79;
	expect_match(&r, &t, 0);

	rule_init(&r, 1);
	r.core_fields.sport_low = 1234;
	r.core_fields.sport_high = 1234;
	expect_match(&r, &t, 1);
	r.core_fields.sport_low = 1235;
	r.core_fields.sport_high = 2000;
	expect_match(&r, &t, 0);
	r.core_fields.sport_low = 1000;
	r.core_fields.sport_high = 1233;
	expect_match(&r, &t, 0);
	/* the 65535 edge */
	t.p.info.l4_src_port = 65535;
	r.core_fields.sport_high = 65535;
	expect_match(&r, &t, 1);
	r.core_fields.sport_high = 65534;
	expect_match(&r, &t, 0);
	/* port 0 (no L4 ports) is in 0..N but not in 1..N */
	t.p.info.l4_src_port = 0;
	r.core_fields.sport_low = 0;
	r.core_fields.sport_high = 10;
	expect_match(&r, &t, 1);
	r.core_fields.sport_low = 1;
	expect_match(&r, &t, 0);
}

static void set_pattern(filtering_rule *r, const char *s)
{
	memset(r->extended_fields.payload_pattern, 0, sizeof(r->extended_fields.payload_pattern));
	memcpy(r->extended_fields.payload_pattern, s,
	       strnlen(s, sizeof(r->extended_fields.payload_pattern)));
}

static void test_payload_pattern(void **state)
{
	filtering_rule r;
	struct tpkt t;
	char p32[33];

	(void)state;
	pkt_v4(&t);     /* "hello GET /index.html world" */
	rule_init(&r, 1);
	set_pattern(&r, "hello");           /* at the start */
	expect_match(&r, &t, 1);
	set_pattern(&r, "world");           /* at the very end */
	expect_match(&r, &t, 1);
	set_pattern(&r, "GET /");           /* in the middle */
	expect_match(&r, &t, 1);
	set_pattern(&r, "POST");            /* absent */
	expect_match(&r, &t, 0);
	set_pattern(&r, "worlds");          /* runs past the end */
	expect_match(&r, &t, 0);
	set_pattern(&r, "hello GET /index.html world");  /* the whole payload */
	expect_match(&r, &t, 1);

	/* truncated capture: "world" is cut by one byte */
	set_pattern(&r, "world");
	t.p.caplen -= 1;
	expect_match(&r, &t, 0);
	set_pattern(&r, "worl");
	expect_match(&r, &t, 1);
	/* bytes before the payload (headers) do not count */
	pkt_v4(&t);
	memcpy(t.frame + 20, "POST", 4);
	set_pattern(&r, "POST");
	expect_match(&r, &t, 0);
	/* no payload: L5 not reached, or payload offset at caplen */
	pkt_v4(&t);
	set_pattern(&r, "hello");
	t.p.info.offset.payload_offset = 0;
	expect_match(&r, &t, 0);
	pkt_v4(&t);
	t.p.caplen = PAYLOAD_OFF;
	expect_match(&r, &t, 0);
	pkt_v4(&t);
	t.p.caplen = PAYLOAD_OFF - 4;        /* payload offset beyond caplen */
	expect_match(&r, &t, 0);

	/* a full 32-byte pattern, no NUL */
	memset(p32, 'Z', 32);
	p32[32] = 0;
	pkt_v4(&t);
	memcpy(t.frame + PAYLOAD_OFF + 3, p32, 32);
	t.p.caplen = PAYLOAD_OFF + 3 + 32;
	memcpy(r.extended_fields.payload_pattern, p32, 32);
	r.extended_fields.filter_plugin_id = 0;   /* the byte after the pattern */
	expect_match(&r, &t, 1);
	t.p.caplen -= 1;
	expect_match(&r, &t, 0);
}

/* The tunnel id counts only with FILTER_TUNNEL_ID_FLAG, as in 5.4.6. */
static void test_tunnel_id(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v4(&t);
	rule_init(&r, 1);
	r.extended_fields.tunnel.tunnel_id = 7;
	t.p.info.tunnel.tunnel_id = 8;
	expect_match(&r, &t, 1);             /* no flag: ignored (pfcount's GTP rules) */
	r.extended_fields.optional_fields = FILTER_TUNNEL_ID_FLAG;
	expect_match(&r, &t, 0);
	t.p.info.tunnel.tunnel_id = 7;
	expect_match(&r, &t, 1);
	t.p.info.tunnel.tunnel_id = NO_TUNNEL_ID;
	expect_match(&r, &t, 0);             /* no tunnel */
	r.extended_fields.tunnel.tunnel_id = 0;  /* TEID 0 is a TEID */
	expect_match(&r, &t, 0);
	t.p.info.tunnel.tunnel_id = 0;
	expect_match(&r, &t, 1);
	r.extended_fields.tunnel.tunnel_id = NO_TUNNEL_ID;  /* "untunneled only" */
	expect_match(&r, &t, 0);
	t.p.info.tunnel.tunnel_id = NO_TUNNEL_ID;
	expect_match(&r, &t, 1);
}

/* tunnel.shost/dhost as 5.4.6's kernel read them: dhost against the packet's
 * source, shost against its destination, (addr & mask) == host. */
static void test_tunnel_hosts(void **state)
{
	filtering_rule r;
	struct tpkt t;

	(void)state;
	pkt_v4(&t);                          /* 10.0.0.1 -> 10.0.0.2 */
	rule_init(&r, 1);
	r.extended_fields.tunnel.dhost.v4 = IP4(10, 0, 0, 1);
	r.extended_fields.tunnel.dhost_mask.v4 = 0xffffffff;
	expect_match(&r, &t, 1);             /* dhost is the source */
	r.extended_fields.tunnel.dhost.v4 = IP4(10, 0, 0, 2);
	expect_match(&r, &t, 0);
	r.extended_fields.tunnel.dhost_mask.v4 = 0xffffff00;
	expect_match(&r, &t, 0);             /* 10.0.0.0/24 is not 10.0.0.2 */
	r.extended_fields.tunnel.dhost.v4 = IP4(10, 0, 0, 0);
	expect_match(&r, &t, 1);
	r.extended_fields.tunnel.shost.v4 = IP4(10, 0, 0, 2);
	expect_match(&r, &t, 0);             /* a host under a zero mask never matches */
	r.extended_fields.tunnel.shost_mask.v4 = 0xffffffff;
	expect_match(&r, &t, 1);             /* shost is the destination */
	r.bidirectional = 1;                 /* no swap for the tunnel fields */
	t.p.info.ip_src.v4 = IP4(10, 0, 0, 2);
	t.p.info.ip_dst.v4 = IP4(10, 0, 0, 1);
	expect_match(&r, &t, 0);

	pkt_v6(&t);                          /* 2001:db8::1 -> 2001:db8:0:1::2 */
	rule_init(&r, 2);
	v6_addr(&r.extended_fields.tunnel.dhost, "20010db8000000000000000000000001");
	expect_match(&r, &t, 1);             /* IPv6: mask's first word 0 = skipped */
	memset(&r.extended_fields.tunnel.dhost_mask.v6, 0xff, 16);
	expect_match(&r, &t, 1);
	v6_addr(&r.extended_fields.tunnel.dhost, "20010db8000000000000000000000002");
	expect_match(&r, &t, 0);
	v6_addr(&r.extended_fields.tunnel.dhost_mask, "ffffffffffffffff0000000000000000");
	v6_addr(&r.extended_fields.tunnel.dhost, "20010db8000000000000000000000000");
	expect_match(&r, &t, 1);             /* /64 */
	v6_addr(&r.extended_fields.tunnel.shost_mask, "ffffffffffffffff0000000000000000");
	expect_match(&r, &t, 0);             /* shost :: is not 2001:db8:0:1::/64 */
	v6_addr(&r.extended_fields.tunnel.shost, "20010db8000000010000000000000000");
	expect_match(&r, &t, 1);
}

static void test_bidirectional(void **state)
{
	filtering_rule r;
	struct tpkt t, rev;

	(void)state;
	pkt_v4(&t);
	/* rev: 10.0.0.2:80 -> 10.0.0.1:1234, MAC_B -> MAC_A */
	pkt_v4(&rev);
	memcpy(rev.p.info.smac, MAC_B, 6);
	memcpy(rev.p.info.dmac, MAC_A, 6);
	rev.p.info.ip_src.v4 = IP4(10, 0, 0, 2);
	rev.p.info.ip_dst.v4 = IP4(10, 0, 0, 1);
	rev.p.info.l4_src_port = 80;
	rev.p.info.l4_dst_port = 1234;

	rule_init(&r, 1);
	memcpy(r.core_fields.smac, MAC_A, 6);
	memcpy(r.core_fields.dmac, MAC_B, 6);
	r.core_fields.shost.v4 = IP4(10, 0, 0, 1);
	r.core_fields.dhost.v4 = IP4(10, 0, 0, 2);
	r.core_fields.sport_low = 1234;
	r.core_fields.dport_low = 80;
	expect_match(&r, &t, 1);
	expect_match(&r, &rev, 0);           /* mono: the reply does not match */
	r.bidirectional = 1;
	expect_match(&r, &t, 1);
	expect_match(&r, &rev, 1);

	/* everything swaps together: hosts reversed but ports not -> no match */
	rev.p.info.l4_src_port = 1234;
	rev.p.info.l4_dst_port = 80;
	expect_match(&r, &rev, 0);
	/* MACs swap with the hosts */
	pkt_v4(&rev);
	rev.p.info.ip_src.v4 = IP4(10, 0, 0, 2);
	rev.p.info.ip_dst.v4 = IP4(10, 0, 0, 1);
	rev.p.info.l4_src_port = 80;
	rev.p.info.l4_dst_port = 1234;   /* MACs still A -> B */
	expect_match(&r, &rev, 0);

	/* a one-sided rule: "from port 80" matches replies to port 80 too */
	rule_init(&r, 1);
	r.core_fields.sport_low = 80;
	expect_match(&r, &t, 0);
	r.bidirectional = 1;
	expect_match(&r, &t, 1);
	r.core_fields.sport_low = 1234;      /* and still the forward way */
	expect_match(&r, &t, 1);
	r.core_fields.sport_low = 443;
	expect_match(&r, &t, 0);

	/* IPv6 host swap */
	pkt_v6(&t);
	rule_init(&r, 1);
	v6_addr(&r.core_fields.shost, "20010db8000000010000000000000002");
	expect_match(&r, &t, 0);
	r.bidirectional = 1;
	expect_match(&r, &t, 1);
}

/* pseudo-random, fixed seed (xorshift64*) */
static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

static void test_balance(void **state)
{
	enum { FLOWS = 4000, POOL = 4 };
	static u8 owner[FLOWS];
	u32 per_id[POOL] = { 0 }, expect[POOL] = { 0 };
	filtering_rule r;
	struct tpkt t, rev;
	u32 f, id;

	(void)state;
	rng_state = 0x1234567;
	rule_init(&r, 1);
	r.balance_pool = POOL;
	for (f = 0; f < FLOWS; f++) {
		u32 n = 0;

		pkt_v4(&t);
		t.p.info.ip_src.v4 = (u32)rnd();
		t.p.info.ip_dst.v4 = (u32)rnd();
		t.p.info.l4_src_port = (u16)rnd();
		t.p.info.l4_dst_port = (u16)rnd();
		t.p.info.l3_proto = (f & 1) ? 6 : 17;
		rev = t;
		rev.p.info.ip_src = t.p.info.ip_dst;
		rev.p.info.ip_dst = t.p.info.ip_src;
		rev.p.info.l4_src_port = t.p.info.l4_dst_port;
		rev.p.info.l4_dst_port = t.p.info.l4_src_port;
		expect[pf_flow_hash(&t.p.info, cluster_per_flow_5_tuple, 0) % POOL]++;
		for (id = 0; id < POOL; id++) {
			r.balance_id = (u8)id;
			if (matches(&r, &t)) {
				n++;
				owner[f] = (u8)id;
				per_id[id]++;
			}
			/* both directions of a flow go to the same id */
			assert_int_equal(matches(&r, &rev), matches(&r, &t));
			expect_match(&r, &t, matches(&r, &t));
		}
		assert_int_equal(n, 1);   /* exactly one id passes each flow */
	}
	for (id = 0; id < POOL; id++) {
		assert_int_equal(per_id[id], expect[id]);
		/* a fair share: within 10% of FLOWS / POOL */
		assert_in_range(per_id[id], FLOWS / POOL * 9 / 10, FLOWS / POOL * 11 / 10);
	}
	assert_int_equal(per_id[0] + per_id[1] + per_id[2] + per_id[3], FLOWS);

	/* balance combines with the other fields: a non-matching field still loses */
	r.balance_id = owner[FLOWS - 1];
	r.core_fields.proto = 99;
	expect_match(&r, &t, 0);
}

/* ------------------------------------------------------------------ the set */

static u16 snapshot_id(struct pf_wrules *w, u32 i)
{
	const struct pf_wrule_set *s = pf_wrules_snapshot(w);

	assert_true(i < s->n);
	return s->r[i]->rule.rule_id;
}

static const struct pf_wrule *find_rule(struct pf_wrules *w, u16 id)
{
	const struct pf_wrule_set *s = pf_wrules_snapshot(w);
	u32 i;

	for (i = 0; i < s->n; i++)
		if (s->r[i]->rule.rule_id == id)
			return s->r[i];
	return NULL;
}

static void test_add_remove_order(void **state)
{
	static const u16 ids[] = { 50, 10, 65535, 30, 1, 20, 0 };
	static const u16 sorted[] = { 0, 1, 10, 20, 30, 50, 65535 };
	struct pf_wrules w;
	filtering_rule r;
	u32 i;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 0);
	for (i = 0; i < PF_ARRAY_SIZE(ids); i++) {
		rule_init(&r, ids[i]);
		r.core_fields.vlan_id = ids[i] & 0xfff;
		assert_int_equal(pf_wrules_add(&w, &r), 0);
	}
	assert_int_equal(pf_wrules_snapshot(&w)->n, PF_ARRAY_SIZE(ids));
	for (i = 0; i < PF_ARRAY_SIZE(sorted); i++) {
		assert_int_equal(snapshot_id(&w, i), sorted[i]);
		assert_int_equal(pf_wrules_snapshot(&w)->r[i]->rule.core_fields.vlan_id,
				 sorted[i] & 0xfff);
	}

	/* duplicate id, even with other fields: refused, set unchanged */
	rule_init(&r, 30);
	r.core_fields.proto = 17;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EEXIST);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 7);
	assert_int_equal(pf_wrules_snapshot(&w)->r[4]->rule.core_fields.proto, 0);

	/* remove middle, first, last, then a missing one */
	assert_int_equal(pf_wrules_remove(&w, 20), 0);
	assert_int_equal(pf_wrules_remove(&w, 0), 0);
	assert_int_equal(pf_wrules_remove(&w, 65535), 0);
	assert_int_equal(pf_wrules_remove(&w, 20), -PF_ENOENT);
	assert_int_equal(pf_wrules_remove(&w, 2), -PF_ENOENT);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 4);
	assert_int_equal(snapshot_id(&w, 0), 1);
	assert_int_equal(snapshot_id(&w, 1), 10);
	assert_int_equal(snapshot_id(&w, 2), 30);
	assert_int_equal(snapshot_id(&w, 3), 50);
	/* a removed id can be added again */
	rule_init(&r, 20);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	assert_int_equal(snapshot_id(&w, 2), 20);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 5);
	pf_wrules_destroy(&w);
}

static void test_pattern_len_cached(void **state)
{
	struct pf_wrules w;
	filtering_rule r;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	rule_init(&r, 1);
	set_pattern(&r, "abc");
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	rule_init(&r, 2);
	memset(r.extended_fields.payload_pattern, 'x', 32);   /* no NUL: 32 */
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	rule_init(&r, 3);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	assert_int_equal(pf_wrules_snapshot(&w)->r[0]->pattern_len, 3);
	assert_int_equal(pf_wrules_snapshot(&w)->r[1]->pattern_len, 32);
	assert_int_equal(pf_wrules_snapshot(&w)->r[2]->pattern_len, 0);
	pf_wrules_destroy(&w);
}

/* Core's copy stores port ranges normalized, with the same meaning. */
static void test_ports_normalized(void **state)
{
	struct pf_wrules w;
	filtering_rule r;
	const struct pf_wrule *e;
	struct tpkt t;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	rule_init(&r, 1);                   /* any, any */
	r.core_fields.dport_low = 80;       /* exactly 80 */
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	rule_init(&r, 2);
	r.core_fields.sport_low = 0;
	r.core_fields.sport_high = 1023;    /* stays 0..1023 */
	r.core_fields.dport_low = 5;
	r.core_fields.dport_high = 9;
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	e = find_rule(&w, 1);
	assert_int_equal(e->rule.core_fields.sport_low, 0);
	assert_int_equal(e->rule.core_fields.sport_high, 65535);
	assert_int_equal(e->rule.core_fields.dport_low, 80);
	assert_int_equal(e->rule.core_fields.dport_high, 80);
	e = find_rule(&w, 2);
	assert_int_equal(e->rule.core_fields.sport_low, 0);
	assert_int_equal(e->rule.core_fields.sport_high, 1023);
	assert_int_equal(e->rule.core_fields.dport_low, 5);
	assert_int_equal(e->rule.core_fields.dport_high, 9);

	pkt_v4(&t);                         /* 1234 -> 80 */
	assert_int_equal(pf_wrule_match(find_rule(&w, 1), &t.p), 1);
	assert_int_equal(pf_wrule_match(find_rule(&w, 2), &t.p), 0);
	assert_int_equal(pf_wrules_next_match(pf_wrules_snapshot(&w), 0, &t.p), 0);
	assert_int_equal(pf_wrules_next_match(pf_wrules_snapshot(&w), 1, &t.p), 2);
	t.p.info.l4_dst_port = 81;
	assert_int_equal(pf_wrule_match(find_rule(&w, 1), &t.p), 0);
	t.p.info.l4_src_port = 1023;
	t.p.info.l4_dst_port = 9;
	assert_int_equal(pf_wrule_match(find_rule(&w, 2), &t.p), 1);
	assert_int_equal(pf_wrules_next_match(pf_wrules_snapshot(&w), 0, &t.p), 1);
	pf_wrules_destroy(&w);
}

static void test_validation(void **state)
{
	struct pf_wrules w;
	filtering_rule r;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);

	rule_init(&r, 1);
	r.rule_action = (rule_action_behaviour)(bounce_packet_and_continue_rule_evaluation + 1);
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.rule_action = (rule_action_behaviour)-1;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.rule_action = bounce_packet_and_continue_rule_evaluation;   /* last valid */
	assert_int_equal(pf_wrules_add(&w, &r), 0);

	rule_init(&r, 2);
	r.balance_pool = 4;
	r.balance_id = 4;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.balance_id = 3;
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	rule_init(&r, 3);
	r.balance_pool = 0;
	r.balance_id = 9;         /* pool off: balance_id ignored */
	assert_int_equal(pf_wrules_add(&w, &r), 0);

	rule_init(&r, 4);
	r.core_fields.sport_low = 100;
	r.core_fields.sport_high = 99;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.core_fields.sport_high = 0;     /* exactly 100 */
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	rule_init(&r, 5);
	r.core_fields.dport_low = 2;
	r.core_fields.dport_high = 1;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.core_fields.dport_high = 2;
	assert_int_equal(pf_wrules_add(&w, &r), 0);

	rule_init(&r, 6);
	r.rule_action = reflect_packet_and_stop_rule_evaluation;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.rule_action = reflect_packet_and_continue_rule_evaluation;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	strcpy(r.reflector_device_name, "eth1");
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	rule_init(&r, 7);
	r.rule_action = bounce_packet_and_stop_rule_evaluation;  /* bounce needs no device */
	assert_int_equal(pf_wrules_add(&w, &r), 0);

	rule_init(&r, 8);
	r.plugin_action.plugin_id = MAX_PLUGIN_ID;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.plugin_action.plugin_id = 0;
	r.extended_fields.filter_plugin_id = MAX_PLUGIN_ID;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	r.extended_fields.filter_plugin_id = MAX_PLUGIN_ID - 1;
	assert_int_equal(pf_wrules_add(&w, &r), 0);

	/* invalid beats duplicate: the id check comes after validation */
	rule_init(&r, 1);
	r.balance_pool = 1;
	r.balance_id = 1;
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EINVAL);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 8);
	pf_wrules_destroy(&w);
}

static void test_enospc(void **state)
{
	struct pf_wrules w;
	filtering_rule r;
	u32 i;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	for (i = 0; i < PF_MAX_WILDCARD_RULES; i++) {
		rule_init(&r, (u16)(PF_MAX_WILDCARD_RULES - i));  /* descending: insert at 0 */
		assert_int_equal(pf_wrules_add(&w, &r), 0);
	}
	rule_init(&r, 60000);
	assert_int_equal(pf_wrules_add(&w, &r), -PF_ENOSPC);
	rule_init(&r, 5);
	assert_int_equal(pf_wrules_add(&w, &r), -PF_EEXIST);
	assert_int_equal(pf_wrules_snapshot(&w)->n, PF_MAX_WILDCARD_RULES);
	for (i = 0; i < PF_MAX_WILDCARD_RULES; i++)
		assert_int_equal(snapshot_id(&w, i), i + 1);
	assert_int_equal(pf_wrules_remove(&w, 77), 0);
	rule_init(&r, 60000);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	assert_int_equal(snapshot_id(&w, PF_MAX_WILDCARD_RULES - 1), 60000);
	pf_wrules_destroy(&w);
}


static void test_stats_persist(void **state)
{
	struct pf_wrules w;
	filtering_rule r;
	pfring_rule_stats st;
	struct pf_wrule *e;
	u32 i;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	rule_init(&r, 10);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	assert_int_equal(pf_wrules_stats(&w, 10, &st), 0);
	assert_int_equal(st.matching_packets, 0);
	assert_int_equal(st.dropped_packets, 0);
	assert_int_equal(pf_wrules_stats(&w, 11, &st), -PF_ENOENT);

	e = (struct pf_wrule *)find_rule(&w, 10);
	for (i = 0; i < 5; i++)
		pf_wrule_hit(e, 1000 + i, i & 1);
	assert_int_equal(e->last_match_ns, 1004);
	assert_int_equal(pf_wrules_stats(&w, 10, &st), 0);
	assert_int_equal(st.matching_packets, 5);
	assert_int_equal(st.dropped_packets, 2);

	/* replace the array many times around it: the counters stay */
	for (i = 0; i < 20; i++) {
		rule_init(&r, (u16)(i & 1 ? 11 + i : 50 + i));
		assert_int_equal(pf_wrules_add(&w, &r), 0);
	}
	for (i = 0; i < 20; i += 2)
		assert_int_equal(pf_wrules_remove(&w, (u16)(50 + i)), 0);
	assert_ptr_equal(find_rule(&w, 10), e);
	pf_wrule_hit(e, 2000, 1);
	assert_int_equal(pf_wrules_stats(&w, 10, &st), 0);
	assert_int_equal(st.matching_packets, 6);
	assert_int_equal(st.dropped_packets, 3);
	/* removed and re-added: a new rule, fresh counters */
	assert_int_equal(pf_wrules_remove(&w, 10), 0);
	assert_int_equal(pf_wrules_stats(&w, 10, &st), -PF_ENOENT);
	rule_init(&r, 10);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	assert_int_equal(pf_wrules_stats(&w, 10, &st), 0);
	assert_int_equal(st.matching_packets, 0);
	assert_int_equal(st.dropped_packets, 0);
	pf_wrules_destroy(&w);
}

#define SEC 1000000000ull

static void test_purge_idle(void **state)
{
	struct pf_wrules w;
	filtering_rule r;
	pfring_rule_stats st;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	fake_now = 100 * SEC;
	rule_init(&r, 1);
	r.locked = 1;
	assert_int_equal(pf_wrules_add(&w, &r), 0);   /* locked, never matches */
	rule_init(&r, 2);
	assert_int_equal(pf_wrules_add(&w, &r), 0);   /* never matches */
	rule_init(&r, 3);
	assert_int_equal(pf_wrules_add(&w, &r), 0);   /* matched at 105 s */
	fake_now = 104 * SEC;
	rule_init(&r, 4);
	assert_int_equal(pf_wrules_add(&w, &r), 0);   /* added at 104 s */
	pf_wrule_hit((struct pf_wrule *)find_rule(&w, 3), 105 * SEC, 0);

	/* exactly 10 s idle is not "more than 10 s" */
	assert_int_equal(pf_wrules_purge_idle(&w, 110 * SEC, 10), 0);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 4);
	/* 110 s + 1 ns: rule 2 (idle since its add at 100 s) goes */
	assert_int_equal(pf_wrules_purge_idle(&w, 110 * SEC + 1, 10), 1);
	assert_int_equal(pf_wrules_stats(&w, 2, &st), -PF_ENOENT);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 3);
	/* rule 4 (added at 104 s), then rule 3 (matched at 105 s) */
	assert_int_equal(pf_wrules_purge_idle(&w, 114 * SEC + 1, 10), 1);
	assert_null(find_rule(&w, 4));
	assert_non_null(find_rule(&w, 3));
	assert_int_equal(pf_wrules_purge_idle(&w, 115 * SEC + 1, 10), 1);
	assert_null(find_rule(&w, 3));
	/* the locked rule survives anything */
	assert_int_equal(pf_wrules_purge_idle(&w, 100000 * SEC, 0), 0);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 1);
	assert_int_equal(snapshot_id(&w, 0), 1);
	/* idle 0: everything unlocked older than now goes */
	rule_init(&r, 9);
	assert_int_equal(pf_wrules_add(&w, &r), 0);   /* added at 104 s */
	assert_int_equal(pf_wrules_purge_idle(&w, 104 * SEC, 0), 0);
	assert_int_equal(pf_wrules_purge_idle(&w, 104 * SEC + 1, 0), 1);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 1);
	pf_wrules_destroy(&w);
}

/* ------------------------------------------------------------------ allocator */

static void test_failing_allocator(void **state)
{
	struct pf_wrules w;
	filtering_rule r;
	long base;
	int k;

	(void)state;
	allocs_until_failure = 0;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), -PF_ENOMEM);
	pf_wrules_destroy(&w);          /* safe after a failed init */
	assert_int_equal(live_allocs, 0);

	allocs_until_failure = -1;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	rule_init(&r, 5);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	fake_now = 1;
	base = live_allocs;

	/* add: the element (1st alloc) or the new array (2nd) fails */
	for (k = 0; k < 2; k++) {
		rule_init(&r, 6);
		allocs_until_failure = k;
		assert_int_equal(pf_wrules_add(&w, &r), -PF_ENOMEM);
		allocs_until_failure = -1;
		assert_int_equal(live_allocs, base);
		assert_int_equal(pf_wrules_snapshot(&w)->n, 1);
		assert_int_equal(snapshot_id(&w, 0), 5);
	}
	/* remove: the new array fails, the rule stays */
	allocs_until_failure = 0;
	assert_int_equal(pf_wrules_remove(&w, 5), -PF_ENOMEM);
	allocs_until_failure = -1;
	assert_int_equal(live_allocs, base);
	assert_non_null(find_rule(&w, 5));
	/* purge: either of its two allocations fails, nothing changes */
	for (k = 0; k < 2; k++) {
		allocs_until_failure = k;
		assert_int_equal(pf_wrules_purge_idle(&w, 100 * SEC, 1), -PF_ENOMEM);
		allocs_until_failure = -1;
		assert_int_equal(live_allocs, base);
		assert_non_null(find_rule(&w, 5));
	}
	/* and with memory back, all work */
	rule_init(&r, 6);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	assert_int_equal(pf_wrules_remove(&w, 6), 0);
	assert_int_equal(pf_wrules_purge_idle(&w, 100 * SEC, 1), 1);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 0);
	pf_wrules_destroy(&w);
}

/* ------------------------------------------------------------------ concurrency */

#define PERMANENT_A 100
#define PERMANENT_B 40000
#define MARK(id) ((u16)(((id) * 2654435761u) >> 20) & 0xfff)

struct reader_args {
	struct pf_wrules *w;
	int stop;
	u64 snapshots, torn, hits_a, hits_b, hits_churn;
};

/* A snapshot is whole: ids strictly ascending, n in bounds, every element
 * carries the marker its id implies (a freed or half-built element would not). */
static void *reader_main(void *arg)
{
	struct reader_args *a = arg;
	struct tpkt t;

	reader_slot = 1;
	pkt_v4(&t);
	while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
		const struct pf_wrule_set *s;
		u32 i;
		int prev = -1;

		home.read_lock(home.ctx);
		s = pf_wrules_snapshot(a->w);
		if (s->n > PF_MAX_WILDCARD_RULES)
			a->torn++;
		for (i = 0; i < s->n && i <= PF_MAX_WILDCARD_RULES; i++) {
			struct pf_wrule *r = s->r[i];
			u16 id = r->rule.rule_id;

			if ((int)id <= prev || r->rule.core_fields.vlan_id != 0 ||
			    r->rule.core_fields.sport_low != MARK(id))
				a->torn++;
			prev = id;
			t.p.info.l4_src_port = MARK(id);
			if (pf_wrule_match(r, &t.p)) {
				pf_wrule_hit(r, 1, 0);
				if (id == PERMANENT_A)
					a->hits_a++;
				else if (id == PERMANENT_B)
					a->hits_b++;
				else
					a->hits_churn++;
			}
		}
		home.read_unlock(home.ctx);
		__atomic_store_n(&a->snapshots, a->snapshots + 1, __ATOMIC_RELEASE);
		if ((a->snapshots & 63) == 0)
			sched_yield();
	}
	return NULL;
}

static void marked_rule(filtering_rule *r, u16 id)
{
	rule_init(r, id);
	r->core_fields.sport_low = MARK(id);
	r->core_fields.sport_high = MARK(id);
}

static void test_concurrent_add_remove(void **state)
{
	const u32 rounds = (u32)iterations(10000);
	struct reader_args a;
	struct pf_wrules w;
	filtering_rule r;
	pfring_rule_stats st;
	pthread_t th;
	u32 i;

	(void)state;
	assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
	marked_rule(&r, PERMANENT_A);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	marked_rule(&r, PERMANENT_B);
	assert_int_equal(pf_wrules_add(&w, &r), 0);
	memset(&a, 0, sizeof(a));
	a.w = &w;
	assert_int_equal(pthread_create(&th, NULL, reader_main, &a), 0);

	/* a sliding window of 16 churning rules on both sides of the permanent ones */
	for (i = 0; i < rounds; i++) {
		u16 id = (u16)(1 + (i * 7919u) % 60000);

		if (id == PERMANENT_A || id == PERMANENT_B)
			id++;
		marked_rule(&r, id);
		assert_int_equal(pf_wrules_add(&w, &r), 0);
		if (i >= 16) {
			u16 old = (u16)(1 + ((i - 16) * 7919u) % 60000);

			if (old == PERMANENT_A || old == PERMANENT_B)
				old++;
			assert_int_equal(pf_wrules_remove(&w, old), 0);
		}
		/* Never outrun a reader that was not scheduled (valgrind runs one
		 * thread at a time): wait for it to take another snapshot. */
		if ((i & 63) == 0) {
			u64 seen = __atomic_load_n(&a.snapshots, __ATOMIC_ACQUIRE);

			while (__atomic_load_n(&a.snapshots, __ATOMIC_ACQUIRE) == seen)
				sched_yield();
		}
	}
	__atomic_store_n(&a.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(th, NULL), 0);

	assert_int_equal(a.torn, 0);
	assert_true(a.snapshots > 0);
	assert_int_equal(pf_wrules_snapshot(&w)->n, 2 + 16);
	/* every hit the reader counted is in the rule's counters, across all the
	 * set replacements */
	assert_int_equal(pf_wrules_stats(&w, PERMANENT_A, &st), 0);
	assert_int_equal(st.matching_packets, a.hits_a);
	assert_int_equal(pf_wrules_stats(&w, PERMANENT_B, &st), 0);
	assert_int_equal(st.matching_packets, a.hits_b);
	assert_int_equal(a.hits_a, a.snapshots);   /* it is in every snapshot */
	pf_wrules_destroy(&w);
}

/* ------------------------------------------------------------------ property */

static const u8 pool_mac[3][6] = {
	{ 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 },
	{ 0x00, 0x11, 0x22, 0x33, 0x44, 0x56 },
	{ 0x66, 0x11, 0x22, 0x33, 0x44, 0x55 },
};
static const u32 pool_v4[] = { IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), IP4(10, 0, 1, 2),
			       IP4(192, 168, 0, 1) };
static const u32 pool_mask4[] = { 0, 0xffffffffu, 0xffffff00u, 0xffff0000u, 0xfffffffcu };
static const char *pool_v6[] = {
	"20010db8000000000000000000000001", "20010db8000000000000000000000002",
	"20010db8000000010000000000000001", "00000000000000000000000000000001",
	"fe800000000000000000000000000001",
};
static const char *pool_mask6[] = {
	"00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff",
	"ffffffffffffffff0000000000000000", "ffffffff000000000000000000000000",
	"fffffffffffffffffffffffffffffffe", "00000000ffffffffffffffffffffffff",
};
static const u16 pool_port[] = { 0, 53, 80, 443, 1024, 8080, 65535 };
static const u32 pool_tunnel[] = { NO_TUNNEL_ID, 1, 2 };
static const char *pool_pattern[] = { "GET", "ab", "abcab", "x",
				      "0123456789abcdef0123456789ABCDEF" /* 32 */ };
static const char alphabet[] = "abcGETx0123";

#define COIN() (rnd() & 1)
#define PICK(pool) (pool)[rnd_below(PF_ARRAY_SIZE(pool))]

static void random_host(ip_addr *h, ip_addr *m)
{
	memset(h, 0, sizeof(*h));
	memset(m, 0, sizeof(*m));
	switch (rnd_below(4)) {
	case 0:
	case 1:
		return;                         /* any */
	case 2:
		h->v4 = PICK(pool_v4);
		m->v4 = PICK(pool_mask4);
		return;
	default:
		v6_addr(h, PICK(pool_v6));
		v6_addr(m, PICK(pool_mask6));
	}
}

static void random_ports(u16 *low, u16 *high)
{
	*low = *high = 0;
	if (COIN())
		return;
	*low = PICK(pool_port);
	if (COIN()) {
		do
			*high = PICK(pool_port);
		while (*high != 0 && *high < *low);
	}
}

static void random_rule(filtering_rule *r, u16 id)
{
	filtering_rule_core_fields *c = &r->core_fields;

	rule_init(r, id);
	if (COIN())
		memcpy(c->smac, PICK(pool_mac), 6);
	if (COIN())
		memcpy(c->dmac, PICK(pool_mac), 6);
	if (COIN())
		c->vlan_id = COIN() ? 10 : 20;
	if (COIN())
		c->proto = COIN() ? 6 : 17;
	random_host(&c->shost, &c->shost_mask);
	random_host(&c->dhost, &c->dhost_mask);
	random_ports(&c->sport_low, &c->sport_high);
	random_ports(&c->dport_low, &c->dport_high);
	if (rnd_below(4) == 0) {
		r->extended_fields.tunnel.tunnel_id = PICK(pool_tunnel);
		if (COIN())
			r->extended_fields.optional_fields = FILTER_TUNNEL_ID_FLAG;
	}
	if (rnd_below(8) == 0)
		random_host(&r->extended_fields.tunnel.dhost, &r->extended_fields.tunnel.dhost_mask);
	if (rnd_below(4) == 0)
		set_pattern(r, PICK(pool_pattern));
	if (rnd_below(5) == 0) {
		r->balance_pool = (u8)(2 + rnd_below(2));
		r->balance_id = (u8)rnd_below(r->balance_pool);
	}
	r->bidirectional = (u8)COIN();
}

static void random_addr(ip_addr *a, u8 ver)
{
	memset(a, 0, sizeof(*a));
	if (ver == 4)
		a->v4 = PICK(pool_v4) ^ (rnd_below(4) == 0 ? (u32)rnd_below(4) : 0);
	else if (ver == 6)
		v6_addr(a, PICK(pool_v6));
}

/* A packet from the pools; with probability 1/2 per field it copies the
 * (forward) value of `like`, so that rules do match. */
static void random_packet(struct tpkt *t, const filtering_rule *like)
{
	struct pkt_parsing_info *i = &t->p.info;
	const filtering_rule_core_fields *c = &like->core_fields;
	u32 plen, k;
	const char *pat;

	pkt_v4(t);
	memcpy(i->smac, COIN() && !ref_all_zero(c->smac, 6) ? c->smac : PICK(pool_mac), 6);
	memcpy(i->dmac, COIN() && !ref_all_zero(c->dmac, 6) ? c->dmac : PICK(pool_mac), 6);
	i->vlan_id = COIN() ? c->vlan_id : (u16)(rnd_below(3) * 10);
	i->l3_proto = COIN() && c->proto ? c->proto : (u8)(rnd_below(3) == 0 ? 1 : 6 + 11 * COIN());
	k = rnd_below(10);
	i->ip_version = k < 6 ? 4 : k < 9 ? 6 : 0;
	random_addr(&i->ip_src, i->ip_version);
	random_addr(&i->ip_dst, i->ip_version);
	if (COIN() && i->ip_version)
		i->ip_src = c->shost;
	if (COIN() && i->ip_version)
		i->ip_dst = c->dhost;
	i->l4_src_port = COIN() ? c->sport_low : PICK(pool_port);
	i->l4_dst_port = COIN() ? (c->dport_high ? c->dport_high : c->dport_low) : PICK(pool_port);
	i->tunnel.tunnel_id = COIN() ? like->extended_fields.tunnel.tunnel_id : PICK(pool_tunnel);
	if (COIN() && i->ip_version)
		i->ip_src = like->extended_fields.tunnel.dhost;

	/* payload: random letters, sometimes a pool pattern inside; the bytes
	 * after caplen repeat the patterns, so a read past caplen would show */
	memset(t->frame, 0, sizeof(t->frame));
	plen = rnd_below(41);
	for (k = 0; k < plen; k++)
		t->frame[PAYLOAD_OFF + k] = (u8)alphabet[rnd_below(sizeof(alphabet) - 1)];
	pat = COIN() && like->extended_fields.payload_pattern[0] ?
	      like->extended_fields.payload_pattern : PICK(pool_pattern);
	k = (u32)strnlen(pat, 32);
	if (plen >= k && COIN())
		memcpy(t->frame + PAYLOAD_OFF + rnd_below(plen - k + 1), pat, k);
	t->p.caplen = t->p.len = PAYLOAD_OFF + plen;
	memcpy(t->frame + t->p.caplen, pat, k);
	if (rnd_below(8) == 0)
		i->offset.payload_offset = 0;        /* L5 not reached */
	if (rnd_below(16) == 0)
		t->p.caplen = (u32)rnd_below(PAYLOAD_OFF + 1);  /* cut before the payload */
}

static void test_property_vs_reference(void **state)
{
	enum { RULES = 8, PACKETS = 40 };
	const u32 sets = (u32)iterations(1000);
	filtering_rule rules[RULES];
	u64 combos = 0, decided = 0, undecided = 0, rule_hits = 0;
	u32 set, k, j, m, next[RULES + 1];
	u8 hit[RULES];

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ull;
	for (set = 0; set < sets; set++) {
		struct pf_wrules w;
		const struct pf_wrule_set *s;
		u32 n = 0;

		assert_int_equal(pf_wrules_init(&w, &home, NULL), 0);
		/* ids from a small range, added in random order; duplicates refused */
		for (k = 0; k < RULES; k++) {
			random_rule(&rules[n], (u16)rnd_below(40));
			if (pf_wrules_add(&w, &rules[n]) == 0)
				n++;
			else
				assert_non_null(find_rule(&w, rules[n].rule_id));
		}
		s = pf_wrules_snapshot(&w);
		assert_int_equal(s->n, n);
		for (k = 1; k < n; k++)
			assert_true(s->r[k - 1]->rule.rule_id < s->r[k]->rule.rule_id);

		for (j = 0; j < PACKETS; j++) {
			struct tpkt t;
			int first = -1, want;

			random_packet(&t, &rules[rnd_below(n)]);
			for (k = 0; k < s->n; k++) {
				const struct pf_wrule *r = s->r[k];
				int m = pf_wrule_match(r, &t.p);

				assert_int_equal(m, ref_rule_match(&r->rule, &t.p.info,
								   t.p.data, t.p.caplen));
				rule_hits += (u64)m;
				combos++;
				if (m && first < 0)
					first = r->rule.rule_id;
			}
			want = ref_first_match(rules, n, &t.p.info, t.p.data, t.p.caplen);
			assert_int_equal(first, want);
			/* the set walk from every position: the next rule that the
			 * model (on the user's unnormalized rules) says matches */
			for (k = 0; k < s->n; k++) {
				for (m = 0; rules[m].rule_id != s->r[k]->rule.rule_id; m++)
					;
				hit[k] = (u8)ref_rule_match(&rules[m], &t.p.info, t.p.data,
							   t.p.caplen);
			}
			for (k = s->n + 1; k-- > 0;) {
				next[k] = k == s->n ? s->n : hit[k] ? k : next[k + 1];
				assert_int_equal(pf_wrules_next_match(s, k, &t.p), next[k]);
			}
			k = next[0];
			assert_int_equal(k < s->n ? (int)s->r[k]->rule.rule_id : -1, want);
			if (want >= 0)
				decided++;
			else
				undecided++;
		}
		pf_wrules_destroy(&w);
	}
	print_message("property: %llu rule/packet combinations, %llu matches, %llu packets "
		      "decided, %llu undecided\n", (unsigned long long)combos,
		      (unsigned long long)rule_hits, (unsigned long long)decided,
		      (unsigned long long)undecided);
	assert_true(combos >= iterations(200000));
	/* the generator is useful only if both outcomes are common */
	assert_true(decided * 10 >= decided + undecided);
	assert_true(undecided * 10 >= decided + undecided);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_rule_matches_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_and_proto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_hosts_and_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_hosts_and_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payload_pattern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bidirectional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_balance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_remove_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pattern_len_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_normalized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enospc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_persist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_allocator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_add_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_vs_reference, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
