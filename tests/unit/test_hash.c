/*
 * tests/unit/test_hash.c - flow hashes, cluster pick and the Toeplitz RSS hash.
 *
 * Packets are built by hand as struct pkt_parsing_info (no parser involved):
 * IPv4 addresses and ports in host order, IPv6 addresses as network-order bytes.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "core/hash.h"

#define TCP  6
#define UDP  17
#define ICMP 1

static const cluster_type hash_types[] = {
	cluster_per_flow, cluster_per_flow_2_tuple, cluster_per_flow_4_tuple,
	cluster_per_flow_5_tuple, cluster_per_flow_tcp_5_tuple,
};
#define NUM_HASH_TYPES (sizeof(hash_types) / sizeof(hash_types[0]))

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

/* ------------------------------------------------------------------ PRNG */

/* splitmix64 with a fixed seed: every run sees the same flows. */
static uint64_t rng_state;

static void rng_seed(uint64_t s) { rng_state = s; }

static uint64_t rng64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rng32(void) { return (uint32_t)(rng64() >> 32); }
static uint16_t rng16(void) { return (uint16_t)(rng64() >> 48); }

static void rng_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)(rng64() >> 56);
}

/* ------------------------------------------------------------------ packets */

static void pkt_init(struct pkt_parsing_info *p)
{
	memset(p, 0, sizeof(*p));
	p->tunnel.tunnel_id = NO_TUNNEL_ID;
}

static void pkt_v4(struct pkt_parsing_info *p, uint32_t src, uint32_t dst,
		   uint16_t sport, uint16_t dport, uint8_t proto)
{
	pkt_init(p);
	p->eth_type = 0x0800;
	p->ip_version = 4;
	p->l3_proto = proto;
	p->ip_src.v4 = src;
	p->ip_dst.v4 = dst;
	p->l4_src_port = sport;
	p->l4_dst_port = dport;
}

static void pkt_v6(struct pkt_parsing_info *p, const uint8_t *src, const uint8_t *dst,
		   uint16_t sport, uint16_t dport, uint8_t proto)
{
	pkt_init(p);
	p->eth_type = 0x86dd;
	p->ip_version = 6;
	p->l3_proto = proto;
	memcpy(p->ip_src.v6.s6_addr, src, 16);
	memcpy(p->ip_dst.v6.s6_addr, dst, 16);
	p->l4_src_port = sport;
	p->l4_dst_port = dport;
}

enum {
	K_V6     = 1 << 0,  /* outer IPv6 instead of IPv4 */
	K_VLAN   = 1 << 1,  /* a random vlan id */
	K_TUN4   = 1 << 2,  /* GTP-like tunnel with an inner IPv4 flow */
	K_TUN6   = 1 << 3,  /* ... with an inner IPv6 flow */
	K_NONIP  = 1 << 4,  /* ARP-like: MACs only */
};

static uint8_t rand_proto(void)
{
	static const uint8_t protos[] = { TCP, TCP, UDP, UDP, ICMP, 47, 132 };

	return protos[rng32() % sizeof(protos)];
}

static void rand_flow(struct pkt_parsing_info *p, unsigned kind)
{
	uint8_t s6[16], d6[16];
	uint8_t proto = rand_proto();
	uint16_t sport = proto == ICMP ? 0 : rng16(), dport = proto == ICMP ? 0 : rng16();

	if (kind & K_NONIP) {
		pkt_init(p);
		p->eth_type = 0x0806;
	} else if (kind & K_V6) {
		rng_bytes(s6, 16);
		rng_bytes(d6, 16);
		pkt_v6(p, s6, d6, sport, dport, proto);
	} else {
		pkt_v4(p, rng32(), rng32(), sport, dport, proto);
	}
	rng_bytes(p->smac, 6);
	rng_bytes(p->dmac, 6);
	p->ip_tos = (uint8_t)rng32();
	p->tcp.flags = (uint8_t)rng32();
	p->tcp.seq_num = rng32();
	if (kind & K_VLAN)
		p->vlan_id = (uint16_t)(1 + rng32() % 4094);
	if (kind & (K_TUN4 | K_TUN6)) {
		p->tunnel.tunnel_id = rng32() & 0x7fffffff;
		p->tunnel.tunneled_proto = rng32() & 1 ? TCP : UDP;
		p->tunnel.tunneled_l4_src_port = rng16();
		p->tunnel.tunneled_l4_dst_port = rng16();
		if (kind & K_TUN6) {
			rng_bytes(p->tunnel.tunneled_ip_src.v6.s6_addr, 16);
			rng_bytes(p->tunnel.tunneled_ip_dst.v6.s6_addr, 16);
		} else {
			p->tunnel.tunneled_ip_src.v4 = rng32();
			p->tunnel.tunneled_ip_dst.v4 = rng32();
		}
	}
}

/* The same flow seen in the other direction. A GTP tunnel uses one TEID per
 * direction, so the reverse packet also gets a different tunnel id. */
static void reverse(const struct pkt_parsing_info *in, struct pkt_parsing_info *out)
{
	*out = *in;
	out->ip_src = in->ip_dst;
	out->ip_dst = in->ip_src;
	out->l4_src_port = in->l4_dst_port;
	out->l4_dst_port = in->l4_src_port;
	memcpy(out->smac, in->dmac, 6);
	memcpy(out->dmac, in->smac, 6);
	out->tcp.seq_num = in->tcp.seq_num + 12345;
	if (in->tunnel.tunnel_id != NO_TUNNEL_ID) {
		out->tunnel.tunnel_id = in->tunnel.tunnel_id ^ 0x5a5a5a5a;
		out->tunnel.tunneled_ip_src = in->tunnel.tunneled_ip_dst;
		out->tunnel.tunneled_ip_dst = in->tunnel.tunneled_ip_src;
		out->tunnel.tunneled_l4_src_port = in->tunnel.tunneled_l4_dst_port;
		out->tunnel.tunneled_l4_dst_port = in->tunnel.tunneled_l4_src_port;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* How many values repeat an earlier one. */
static unsigned count_dups(uint32_t *v, unsigned n)
{
	unsigned i, d = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 1; i < n; i++)
		d += v[i] == v[i - 1];
	return d;
}

/* ------------------------------------------------------------------ symmetry */

/*
 * A->B == B->A for every type, flag and kind of packet, over thousands of random
 * flows. A constant hash would also be symmetric, so the hashes of distinct
 * flows must also be distinct: with 5000 random 32-bit values about 0.003 pairs
 * collide on average, so more than 2 repeats means the hash lost information.
 */
static void test_symmetric_all_types(void **state)
{
	static const unsigned kinds[] = {
		0, K_V6, K_VLAN, K_V6 | K_VLAN, K_TUN4, K_TUN6, K_TUN4 | K_VLAN,
		K_V6 | K_TUN4, K_NONIP, K_NONIP | K_VLAN,
	};
	const unsigned n = quick() ? 1000 : 5000;
	struct pkt_parsing_info a, b;
	uint32_t *h = malloc(n * sizeof(*h));
	unsigned k, t, f, i;

	(void)state;
	assert_non_null(h);
	for (k = 0; k < PF_ARRAY_SIZE(kinds); k++)
		for (t = 0; t < NUM_HASH_TYPES; t++)
			for (f = 0; f <= PF_HASH_INNER; f += PF_HASH_INNER) {
				rng_seed(1000 + k);
				for (i = 0; i < n; i++) {
					rand_flow(&a, kinds[k]);
					reverse(&a, &b);
					h[i] = pf_flow_hash(&a, hash_types[t], f);
					assert_int_equal(h[i], pf_flow_hash(&b, hash_types[t], f));
				}
				if (count_dups(h, n) > 2)
					fail_msg("kind %#x type %d flags %u: %u repeats in %u flows",
						 kinds[k], hash_types[t], f, count_dups(h, n), n);
			}
	free(h);
}

/* The classic xor weakness: with h(a) ^ h(b) every flow whose two ends are
 * equal hashes to the same value. Ours must keep them apart. */
static void test_src_equals_dst_spread(void **state)
{
	struct pkt_parsing_info p;
	uint32_t h[2000];
	unsigned i, t;
	uint8_t a6[16];

	(void)state;
	for (t = 0; t < NUM_HASH_TYPES; t++) {
		rng_seed(7);
		for (i = 0; i < 1000; i++) {
			uint32_t a = rng32();
			uint16_t port = rng16();

			pkt_v4(&p, a, a, port, port, TCP);
			h[i] = pf_flow_hash(&p, hash_types[t], 0);
			rng_bytes(a6, 16);
			pkt_v6(&p, a6, a6, port, port, UDP);
			h[1000 + i] = pf_flow_hash(&p, hash_types[t], 0);
		}
		assert_true(count_dups(h, 2000) <= 2);
	}
}

/*
 * Related flows that cheap symmetric hashes merge. Each pair below is two
 * different flows, and a hash of the shape f(a) + f(b) or f(a) ^ f(b) with a
 * linear f, or one that mixes address halves and ports separately, maps them
 * to the same value:
 *   (a + d, b - d)  vs (a, b)            linear endpoint mix, added
 *   (a ^ d, b ^ d)  vs (a, b)            linear endpoint mix, xored
 *   A:q <-> B:p     vs A:p <-> B:q       address and port mixed apart
 *   A.hi|B.lo <-> B.hi|A.lo vs A <-> B   IPv6 halves mixed apart
 * A good hash keeps each pair apart (a chance collision is 2^-32 per pair).
 */
static void test_no_structured_collisions(void **state)
{
	struct pkt_parsing_info a, b;
	unsigned i, t;

	(void)state;
	rng_seed(321);
	for (i = 0; i < 2000; i++) {
		uint32_t s = rng32(), d = rng32(), delta = 1 + rng32() % 4096;
		uint16_t sp = rng16(), dp = (uint16_t)(sp + 1 + rng32() % 1000);
		uint8_t s6[16], d6[16], x6[16], y6[16];

		for (t = 0; t < NUM_HASH_TYPES; t++) {
			cluster_type ty = hash_types[t];

			pkt_v4(&a, s, d, sp, dp, TCP);
			pkt_v4(&b, s + delta, d - delta, sp, dp, TCP);
			assert_int_not_equal(pf_flow_hash(&a, ty, 0), pf_flow_hash(&b, ty, 0));
			pkt_v4(&b, s ^ delta, d ^ delta, sp, dp, TCP);
			assert_int_not_equal(pf_flow_hash(&a, ty, 0), pf_flow_hash(&b, ty, 0));
			if (ty != cluster_per_flow_2_tuple) {
				pkt_v4(&b, s, d, dp, sp, TCP);
				assert_int_not_equal(pf_flow_hash(&a, ty, 0), pf_flow_hash(&b, ty, 0));
				pkt_v4(&b, s, d, (uint16_t)(sp + delta), (uint16_t)(dp - delta), TCP);
				assert_int_not_equal(pf_flow_hash(&a, ty, 0), pf_flow_hash(&b, ty, 0));
			}

			rng_bytes(s6, 16);
			rng_bytes(d6, 16);
			memcpy(x6, s6, 8);
			memcpy(x6 + 8, d6 + 8, 8);
			memcpy(y6, d6, 8);
			memcpy(y6 + 8, s6 + 8, 8);
			pkt_v6(&a, s6, d6, sp, dp, TCP);
			pkt_v6(&b, x6, y6, sp, dp, TCP);
			assert_int_not_equal(pf_flow_hash(&a, ty, 0), pf_flow_hash(&b, ty, 0));
			if (ty != cluster_per_flow_2_tuple) {
				pkt_v6(&b, s6, d6, dp, sp, TCP);
				assert_int_not_equal(pf_flow_hash(&a, ty, 0), pf_flow_hash(&b, ty, 0));
			}
		}
	}
}

/* ------------------------------------------------------------------ fields */

typedef void (*mutator)(struct pkt_parsing_info *p);

static void mut_ports(struct pkt_parsing_info *p) { p->l4_src_port ^= 0x1234; p->l4_dst_port += 7; }
static void mut_sport(struct pkt_parsing_info *p) { p->l4_src_port ^= 1; }
static void mut_proto(struct pkt_parsing_info *p) { p->l3_proto = p->l3_proto == TCP ? 132 : TCP; }
static void mut_vlan(struct pkt_parsing_info *p) { p->vlan_id = (uint16_t)((p->vlan_id + 1) & 0xfff); }
static void mut_src_ip(struct pkt_parsing_info *p) { p->ip_src.v6.s6_addr[p->ip_version == 6 ? 15 : 0] ^= 0x10; }
static void mut_dst_ip(struct pkt_parsing_info *p) { p->ip_dst.v6.s6_addr[p->ip_version == 6 ? 7 : 3] ^= 0x01; }
static void mut_macs(struct pkt_parsing_info *p) { p->smac[5] ^= 1; p->dmac[0] ^= 0x80; }
static void mut_smac(struct pkt_parsing_info *p) { p->smac[2] ^= 4; }
static void mut_misc(struct pkt_parsing_info *p)
{
	p->ip_tos ^= 0xff;
	p->tcp.flags ^= 0x12;
	p->tcp.seq_num += 1;
	p->tcp.ack_num += 99;
	p->eth_type ^= 1;
	p->offset.l4_offset = 54;
	p->last_matched_rule_id = 3;
}
static void mut_tunnel(struct pkt_parsing_info *p)
{
	p->tunnel.tunnel_id = 77;
	p->tunnel.tunneled_proto = UDP;
	p->tunnel.tunneled_ip_src.v4 = 0x0a000001;
	p->tunnel.tunneled_ip_dst.v4 = 0x0a000002;
	p->tunnel.tunneled_l4_src_port = 2152;
}

/* Over 1000 random flows of `kind`, applying m either never (expect_change 0)
 * or always (1) changes pf_flow_hash(type, flags). A 32-bit hash changes by
 * accident with probability 2^-32, so "always" is exact in practice. */
static void check_field(cluster_type type, u32 flags, unsigned kind, mutator m,
			int expect_change)
{
	struct pkt_parsing_info a, b;
	unsigned i;

	rng_seed(4242 + kind);
	for (i = 0; i < 1000; i++) {
		rand_flow(&a, kind);
		b = a;
		m(&b);
		if ((pf_flow_hash(&a, type, flags) != pf_flow_hash(&b, type, flags)) != expect_change)
			fail_msg("type %d kind %#x flow %u: change %sexpected", type, kind, i,
				 expect_change ? "" : "not ");
	}
}

static void test_fields_2_tuple(void **state)
{
	cluster_type t = cluster_per_flow_2_tuple;

	(void)state;
	for (unsigned v = 0; v <= K_V6; v += K_V6) {
		check_field(t, 0, v, mut_src_ip, 1);
		check_field(t, 0, v, mut_dst_ip, 1);
		check_field(t, 0, v, mut_ports, 0);
		check_field(t, 0, v, mut_proto, 0);
		check_field(t, 0, v | K_VLAN, mut_vlan, 0);
		check_field(t, 0, v, mut_macs, 0);
		check_field(t, 0, v, mut_misc, 0);
		check_field(t, 0, v, mut_tunnel, 0);
	}
}

static void test_fields_4_tuple(void **state)
{
	cluster_type t = cluster_per_flow_4_tuple;

	(void)state;
	for (unsigned v = 0; v <= K_V6; v += K_V6) {
		check_field(t, 0, v, mut_src_ip, 1);
		check_field(t, 0, v, mut_dst_ip, 1);
		check_field(t, 0, v, mut_sport, 1);
		check_field(t, 0, v, mut_ports, 1);
		check_field(t, 0, v, mut_proto, 0);
		check_field(t, 0, v | K_VLAN, mut_vlan, 0);
		check_field(t, 0, v, mut_macs, 0);
		check_field(t, 0, v, mut_misc, 0);
	}
}

static void test_fields_5_tuple(void **state)
{
	cluster_type t = cluster_per_flow_5_tuple;

	(void)state;
	for (unsigned v = 0; v <= K_V6; v += K_V6) {
		check_field(t, 0, v, mut_src_ip, 1);
		check_field(t, 0, v, mut_dst_ip, 1);
		check_field(t, 0, v, mut_sport, 1);
		check_field(t, 0, v, mut_proto, 1);
		check_field(t, 0, v | K_VLAN, mut_vlan, 0);
		check_field(t, 0, v, mut_macs, 0);
		check_field(t, 0, v, mut_misc, 0);
	}
}

static void test_fields_per_flow(void **state)
{
	cluster_type t = cluster_per_flow;

	(void)state;
	for (unsigned v = 0; v <= K_V6; v += K_V6) {
		check_field(t, 0, v, mut_src_ip, 1);
		check_field(t, 0, v, mut_dst_ip, 1);
		check_field(t, 0, v, mut_sport, 1);
		check_field(t, 0, v, mut_proto, 1);
		check_field(t, 0, v, mut_vlan, 1);          /* untagged -> vlan 1 */
		check_field(t, 0, v | K_VLAN, mut_vlan, 1);
		check_field(t, 0, v, mut_macs, 0);
		check_field(t, 0, v, mut_misc, 0);
		check_field(t, 0, v, mut_tunnel, 0);
	}
}

/* tcp_5_tuple: exactly the 5-tuple value for TCP, exactly the 2-tuple value
 * for anything else (not just "ignores ports": the same number). */
static void test_tcp_5_tuple(void **state)
{
	struct pkt_parsing_info p;
	unsigned i, tcp = 0, other = 0;

	(void)state;
	rng_seed(55);
	for (i = 0; i < 4000; i++) {
		rand_flow(&p, i & 1 ? K_V6 : 0);
		if (i & 2)
			p.vlan_id = 100;
		u32 h = pf_flow_hash(&p, cluster_per_flow_tcp_5_tuple, 0);
		u32 h2 = pf_flow_hash(&p, cluster_per_flow_2_tuple, 0);
		u32 h5 = pf_flow_hash(&p, cluster_per_flow_5_tuple, 0);

		assert_int_not_equal(h2, h5);  /* else the checks below prove nothing */
		if (p.l3_proto == TCP) {
			assert_int_equal(h, h5);
			tcp++;
		} else {
			assert_int_equal(h, h2);
			other++;
		}
	}
	assert_true(tcp > 1000 && other > 1000);

	/* A UDP flow: ports and the proto change nothing as long as it is not TCP. */
	pkt_v4(&p, 0xc0a80001, 0x08080808, 5353, 53, UDP);
	u32 udp = pf_flow_hash(&p, cluster_per_flow_tcp_5_tuple, 0);
	p.l4_src_port = 999;
	p.l3_proto = 132;
	assert_int_equal(pf_flow_hash(&p, cluster_per_flow_tcp_5_tuple, 0), udp);
	p.l3_proto = TCP;
	assert_int_not_equal(pf_flow_hash(&p, cluster_per_flow_tcp_5_tuple, 0), udp);
}

static void test_round_robin_is_not_a_hash(void **state)
{
	struct pkt_parsing_info p;

	(void)state;
	rng_seed(3);
	for (int i = 0; i < 100; i++) {
		rand_flow(&p, i & 1 ? K_V6 : K_TUN4);
		assert_int_equal(pf_flow_hash(&p, cluster_round_robin, 0), 0);
		assert_int_equal(pf_flow_hash(&p, cluster_round_robin, PF_HASH_INNER), 0);
	}
	for (unsigned t = 0; t < NUM_HASH_TYPES; t++)
		assert_int_equal(pf_flow_hash(NULL, hash_types[t], 0), 0);
}

/* An unknown cluster type balances like per_flow rather than failing. */
static void test_unknown_type_is_per_flow(void **state)
{
	struct pkt_parsing_info p;

	(void)state;
	rng_seed(31);
	for (int i = 0; i < 100; i++) {
		rand_flow(&p, K_VLAN);
		assert_int_equal(pf_flow_hash(&p, (cluster_type)99, 0),
				 pf_flow_hash(&p, cluster_per_flow, 0));
	}
}

/* ------------------------------------------------------------------ tunnels */

/* With PF_HASH_INNER a tunneled flow hashes exactly like the same flow seen
 * without the tunnel, whatever the outer headers and the tunnel id. */
static void test_inner_equals_plain_flow(void **state)
{
	struct pkt_parsing_info tun, plain;
	unsigned i, t;

	(void)state;
	rng_seed(99);
	for (i = 0; i < 2000; i++) {
		int v6 = i & 1;

		rand_flow(&tun, v6 ? K_TUN6 : K_TUN4 | (i & 2 ? K_V6 : 0));
		if (v6)
			pkt_v6(&plain, tun.tunnel.tunneled_ip_src.v6.s6_addr,
			       tun.tunnel.tunneled_ip_dst.v6.s6_addr,
			       tun.tunnel.tunneled_l4_src_port, tun.tunnel.tunneled_l4_dst_port,
			       tun.tunnel.tunneled_proto);
		else
			pkt_v4(&plain, tun.tunnel.tunneled_ip_src.v4, tun.tunnel.tunneled_ip_dst.v4,
			       tun.tunnel.tunneled_l4_src_port, tun.tunnel.tunneled_l4_dst_port,
			       tun.tunnel.tunneled_proto);
		plain.vlan_id = tun.vlan_id;
		for (t = 0; t < NUM_HASH_TYPES; t++) {
			u32 inner = pf_flow_hash(&tun, hash_types[t], PF_HASH_INNER);

			assert_int_equal(inner, pf_flow_hash(&plain, hash_types[t], 0));
			assert_int_not_equal(inner, pf_flow_hash(&tun, hash_types[t], 0));
		}
	}
}

/* Without the flag, or without a parsed tunnel, the outer headers count. */
static void test_inner_needs_tunnel_and_flag(void **state)
{
	struct pkt_parsing_info p, outer;
	unsigned t;

	(void)state;
	pkt_v4(&outer, 0x01020304, 0x05060708, 2152, 2152, UDP);
	for (t = 0; t < NUM_HASH_TYPES; t++) {
		cluster_type ty = hash_types[t];
		u32 h = pf_flow_hash(&outer, ty, 0);

		/* PF_HASH_INNER but no tunnel */
		assert_int_equal(pf_flow_hash(&outer, ty, PF_HASH_INNER), h);

		/* a tunnel whose inner headers were not reached (e.g. GRE with a
		 * non-IP payload): tunnel id only */
		p = outer;
		p.tunnel.tunnel_id = 1234;
		assert_int_equal(pf_flow_hash(&p, ty, PF_HASH_INNER), h);

		/* inner fields but tunnel_id == NO_TUNNEL_ID: not a tunnel */
		p = outer;
		p.tunnel.tunneled_proto = TCP;
		p.tunnel.tunneled_ip_src.v4 = 0x0a000001;
		p.tunnel.tunneled_ip_dst.v4 = 0x0a000002;
		assert_int_equal(pf_flow_hash(&p, ty, PF_HASH_INNER), h);

		/* a real tunnel: inner headers only with the flag */
		p.tunnel.tunnel_id = 0;
		assert_int_equal(pf_flow_hash(&p, ty, 0), h);
		assert_int_not_equal(pf_flow_hash(&p, ty, PF_HASH_INNER), h);
	}
}

/* ------------------------------------------------------------------ non-IP */

static void test_non_ip_macs(void **state)
{
	unsigned t;

	(void)state;
	for (t = 0; t < NUM_HASH_TYPES; t++) {
		cluster_type ty = hash_types[t];

		check_field(ty, 0, K_NONIP, mut_smac, 1);
		check_field(ty, 0, K_NONIP, mut_macs, 1);
		check_field(ty, 0, K_NONIP, mut_misc, 0);
		check_field(ty, 0, K_NONIP, mut_ports, 0);
		check_field(ty, 0, K_NONIP | K_VLAN, mut_vlan, ty == cluster_per_flow);
	}
	/* ip_version other than 4/6 is not IP even if addresses are set */
	struct pkt_parsing_info a, b;

	rng_seed(8);
	rand_flow(&a, K_NONIP);
	b = a;
	b.ip_src.v4 = 1;
	b.ip_dst.v4 = 2;
	b.ip_version = 5;
	assert_int_equal(pf_flow_hash(&a, cluster_per_flow_2_tuple, 0),
			 pf_flow_hash(&b, cluster_per_flow_2_tuple, 0));
}

/* ------------------------------------------------------------------ distribution */

/*
 * Each member's count c over N flows and n members is binomial(N, 1/n) for an
 * ideal hash: mean E = N/n, sigma^2 = E (1 - 1/n). The bound is |c - E| <= 6
 * sigma for every member, written without sqrt as (c - E)^2 n <= 36 E (n - 1).
 *
 * Why 6 sigma: the test checks 4 flow sets x 5 types x 2 mappings (multiply-
 * shift and modulo) x (2 + 3 + ... + 32 members) ~ 2 x 10^4 counts; the chance
 * that an ideal hash leaves 6 sigma even once is ~2 x 10^4 x 2e-9, negligible,
 * while the margin is still tight in absolute terms (+-1.9% of the mean at
 * n = 2, N = 100000; +-11% at n = 32).
 * Bad hashes miss it by far, and test_bad_hashes_fail_the_bound proves it: on
 * the structured flow set (client address and port allocated in step, as a
 * NAT does) the xor of the low bytes cancels out to a handful of values, and
 * an unmixed xor of the fields leaves the upper bits (the ones a multiply-shift
 * pick reads) constant, so a few members get everything.
 */
static int spread_ok(const unsigned *count, unsigned n, unsigned total, unsigned *worst)
{
	unsigned i;
	int ok = 1;

	*worst = 0;
	for (i = 0; i < n; i++) {
		double e = (double)total / n;
		double d = (double)count[i] - e;

		if (d * d * n > 36.0 * e * (n - 1))
			ok = 0;
		if (d * d > (double)*worst * *worst)
			*worst = (unsigned)(d < 0 ? -d : d);
	}
	return ok;
}

static unsigned pick_of(u32 h, unsigned n) { return (unsigned)(((uint64_t)h * n) >> 32); }

enum { SET_RANDOM4, SET_RANDOM6, SET_STRUCTURED, SET_TUNNEL, NUM_SETS };

static void make_flow(struct pkt_parsing_info *p, int set, unsigned i)
{
	switch (set) {
	case SET_RANDOM4:
		rand_flow(p, i & 1 ? K_VLAN : 0);
		break;
	case SET_RANDOM6:
		rand_flow(p, K_V6);
		break;
	case SET_STRUCTURED:
		/* sequential clients of 10.0/15 to 4 servers, ports allocated in step */
		pkt_v4(p, 0x0a000000 + i, 0x0a01000a + i % 4,
		       (uint16_t)(32768 + i % 28232), i & 1 ? 443 : 80, TCP);
		break;
	case SET_TUNNEL:
		rand_flow(p, i & 1 ? K_TUN4 : K_TUN6);
		break;
	}
}

static void test_distribution(void **state)
{
	const unsigned total = quick() ? 20000 : 100000;
	uint32_t *h = malloc(total * sizeof(*h));
	struct pkt_parsing_info p;
	unsigned count[CLUSTER_LEN], count_mod[CLUSTER_LEN], worst;
	unsigned set, t, n, i;

	(void)state;
	assert_non_null(h);
	for (set = 0; set < NUM_SETS; set++)
		for (t = 0; t < NUM_HASH_TYPES; t++) {
			rng_seed(2024 + set);
			for (i = 0; i < total; i++) {
				make_flow(&p, (int)set, i);
				h[i] = pf_flow_hash(&p, hash_types[t], PF_HASH_INNER);
			}
			for (n = 2; n <= CLUSTER_LEN; n++) {
				memset(count, 0, sizeof(count));
				memset(count_mod, 0, sizeof(count_mod));
				for (i = 0; i < total; i++) {
					count[pick_of(h[i], n)]++;
					count_mod[h[i] % n]++;
				}
				if (!spread_ok(count, n, total, &worst))
					fail_msg("set %u type %d n %u: a member is %u off the mean %u",
						 set, hash_types[t], n, worst, total / n);
				/* rules' balance_pool uses hash % pool: low bits too */
				if (!spread_ok(count_mod, n, total, &worst))
					fail_msg("set %u type %d n %u: hash %% n is %u off the mean %u",
						 set, hash_types[t], n, worst, total / n);
			}
		}
	free(h);
}

/* The bound above is not too loose to notice a bad hash. */
static void test_bad_hashes_fail_the_bound(void **state)
{
	const unsigned total = quick() ? 20000 : 100000;
	struct pkt_parsing_info p;
	unsigned count_low[CLUSTER_LEN], count_mod[CLUSTER_LEN], count_xor[CLUSTER_LEN];
	unsigned count_good[CLUSTER_LEN];
	unsigned n, i, worst;

	(void)state;
	for (n = 2; n <= CLUSTER_LEN; n++) {
		memset(count_low, 0, sizeof(count_low));
		memset(count_mod, 0, sizeof(count_mod));
		memset(count_xor, 0, sizeof(count_xor));
		memset(count_good, 0, sizeof(count_good));
		for (i = 0; i < total; i++) {
			make_flow(&p, SET_STRUCTURED, i);
			uint32_t low = (p.ip_src.v4 ^ p.ip_dst.v4 ^ p.l4_src_port ^ p.l4_dst_port) & 0xff;
			uint32_t x = p.ip_src.v4 ^ p.ip_dst.v4 ^ p.l4_src_port ^ p.l4_dst_port;

			count_low[pick_of(low, n)]++;
			count_mod[low % n]++;
			count_xor[pick_of(x, n)]++;
			count_good[pick_of(pf_flow_hash(&p, cluster_per_flow_5_tuple, 0), n)]++;
		}
		assert_false(spread_ok(count_low, n, total, &worst));
		assert_false(spread_ok(count_mod, n, total, &worst));
		assert_false(spread_ok(count_xor, n, total, &worst));
		assert_true(spread_ok(count_good, n, total, &worst));
	}
}

/* ------------------------------------------------------------------ pick */

static void test_round_robin_cycles(void **state)
{
	u32 rr, n, i;

	(void)state;
	for (n = 1; n <= CLUSTER_LEN; n++) {
		rr = 0;
		for (i = 0; i < 3 * n + 1; i++)
			assert_int_equal(pf_cluster_pick(NULL, cluster_round_robin, 0, n, &rr), i % n);
		assert_int_equal(rr, (3 * n + 1) % n);
	}
	/* the cluster shrank below the cursor: restart at member 0 */
	rr = 30;
	assert_int_equal(pf_cluster_pick(NULL, cluster_round_robin, 0, 4, &rr), 0);
	assert_int_equal(pf_cluster_pick(NULL, cluster_round_robin, 0, 4, &rr), 1);
	rr = 4;
	assert_int_equal(pf_cluster_pick(NULL, cluster_round_robin, 0, 4, &rr), 0);
	/* round robin ignores the packet */
	struct pkt_parsing_info p;

	rng_seed(5);
	rand_flow(&p, 0);
	rr = 2;
	assert_int_equal(pf_cluster_pick(&p, cluster_round_robin, 0, 3, &rr), 2);
	assert_int_equal(pf_cluster_pick(&p, cluster_round_robin, 0, 3, &rr), 0);
}

static void test_pick_edge_cases(void **state)
{
	struct pkt_parsing_info p;
	u32 rr = 5, n, i;

	(void)state;
	rng_seed(6);
	rand_flow(&p, 0);
	/* no members, or more than a cluster can hold: 0, cursor untouched */
	assert_int_equal(pf_cluster_pick(&p, cluster_per_flow, 0, 0, &rr), 0);
	assert_int_equal(pf_cluster_pick(&p, cluster_per_flow, 0, CLUSTER_LEN + 1, &rr), 0);
	assert_int_equal(pf_cluster_pick(&p, cluster_per_flow, 0, 0xffffffffu, &rr), 0);
	assert_int_equal(pf_cluster_pick(NULL, cluster_round_robin, 0, 0, &rr), 0);
	assert_int_equal(pf_cluster_pick(NULL, cluster_round_robin, 0, CLUSTER_LEN + 1, &rr), 0);
	assert_int_equal(rr, 5);
	/* round robin without a cursor, a hash type without a packet */
	assert_int_equal(pf_cluster_pick(&p, cluster_round_robin, 0, 8, NULL), 0);
	assert_int_equal(pf_cluster_pick(NULL, cluster_per_flow_5_tuple, 0, 8, &rr), 0);
	assert_int_equal(rr, 5);

	/* hash types: always in range, always the multiply-shift of the flow
	 * hash, one member takes all, and the cursor is never touched */
	for (i = 0; i < 5000; i++) {
		rand_flow(&p, i % 3 == 0 ? K_V6 : i % 3 == 1 ? K_TUN4 : K_NONIP);
		for (n = 1; n <= CLUSTER_LEN; n++) {
			cluster_type ty = hash_types[(i + n) % NUM_HASH_TYPES];
			u32 m = pf_cluster_pick(&p, ty, PF_HASH_INNER, n, &rr);

			assert_true(m < n);
			assert_int_equal(m, pick_of(pf_flow_hash(&p, ty, PF_HASH_INNER), n));
		}
		assert_int_equal(pf_cluster_pick(&p, cluster_per_flow, 0, 1, &rr), 0);
	}
	assert_int_equal(rr, 5);
}

/* ------------------------------------------------------------------ Toeplitz */

/* Microsoft, "Verifying the RSS Hash Calculation": the hash input is source
 * address, destination address, source port, destination port. */
struct rss_v4_vector {
	const char *dst, *src;
	uint16_t dport, sport;
	uint32_t ip_only, with_tcp;
};

static const struct rss_v4_vector rss_v4[] = {
	{ "161.142.100.80", "66.9.149.187",   1766,  2794,  0x323e8fc2, 0x51ccc178 },
	{ "65.69.140.83",   "199.92.111.2",   4739,  14230, 0xd718262a, 0xc626b0ea },
	{ "12.22.207.184",  "24.19.198.95",   38024, 12898, 0xd2d0a5de, 0x5c2b394a },
	{ "209.142.163.6",  "38.27.205.30",   2217,  48228, 0x82989176, 0xafc7327f },
	{ "202.188.127.2",  "153.39.163.191", 1303,  44251, 0x5d1809c5, 0x10e828a2 },
};

static const struct rss_v4_vector rss_v6[] = {
	{ "3ffe:2501:200:3::1", "3ffe:2501:200:1fff::7", 1766, 2794, 0x2cc18cd5, 0x40207d3d },
	{ "ff02::1", "3ffe:501:8::260:97ff:fe40:efab", 4739, 14230, 0x0f0c461c, 0xdde51bbf },
	{ "fe80::200:f8ff:fe21:67cf", "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 38024, 44251,
	  0x4b61e985, 0x02d1feef },
};

static uint32_t parse_v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static void parse_v6(const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void test_toeplitz_ms_vectors_v4(void **state)
{
	struct pkt_parsing_info p;
	const u8 *key = pf_rss_key_default;
	unsigned i;

	(void)state;
	for (i = 0; i < PF_ARRAY_SIZE(rss_v4); i++) {
		const struct rss_v4_vector *v = &rss_v4[i];
		uint32_t src = parse_v4(v->src), dst = parse_v4(v->dst);
		uint8_t in[12] = {
			src >> 24, src >> 16, src >> 8, src, dst >> 24, dst >> 16, dst >> 8, dst,
			v->sport >> 8, v->sport & 0xff, v->dport >> 8, v->dport & 0xff,
		};

		/* raw bytes */
		assert_int_equal(pf_toeplitz(key, PF_RSS_KEY_LEN, in, 8), v->ip_only);
		assert_int_equal(pf_toeplitz(key, PF_RSS_KEY_LEN, in, 12), v->with_tcp);
		/* from a parsed packet: TCP hashes ports, ICMP does not, UDP on request */
		pkt_v4(&p, src, dst, v->sport, v->dport, TCP);
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 0), v->with_tcp);
		p.l3_proto = UDP;
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 0), v->ip_only);
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 1), v->with_tcp);
		p.l3_proto = ICMP;
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 1), v->ip_only);
	}
}

static void test_toeplitz_ms_vectors_v6(void **state)
{
	struct pkt_parsing_info p;
	const u8 *key = pf_rss_key_default;
	uint8_t src[16], dst[16], in[36];
	unsigned i;

	(void)state;
	for (i = 0; i < PF_ARRAY_SIZE(rss_v6); i++) {
		const struct rss_v4_vector *v = &rss_v6[i];

		parse_v6(v->src, src);
		parse_v6(v->dst, dst);
		memcpy(in, src, 16);
		memcpy(in + 16, dst, 16);
		in[32] = v->sport >> 8;
		in[33] = v->sport & 0xff;
		in[34] = v->dport >> 8;
		in[35] = v->dport & 0xff;
		assert_int_equal(pf_toeplitz(key, PF_RSS_KEY_LEN, in, 32), v->ip_only);
		assert_int_equal(pf_toeplitz(key, PF_RSS_KEY_LEN, in, 36), v->with_tcp);
		pkt_v6(&p, src, dst, v->sport, v->dport, TCP);
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 0), v->with_tcp);
		p.l3_proto = UDP;
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 0), v->ip_only);
		assert_int_equal(pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 1), v->with_tcp);
	}
}

static void test_toeplitz_symmetric_key(void **state)
{
	struct pkt_parsing_info a, b;
	unsigned i, equal_default = 0;

	(void)state;
	for (i = 0; i < PF_RSS_KEY_LEN; i += 2)
		assert_true(pf_rss_key_symmetric[i] == 0x6d && pf_rss_key_symmetric[i + 1] == 0x5a);
	rng_seed(77);
	for (i = 0; i < 4000; i++) {
		rand_flow(&a, i & 1 ? K_V6 : 0);
		a.l3_proto = i & 2 ? TCP : UDP;
		reverse(&a, &b);
		assert_int_equal(pf_rss_hash(&a, pf_rss_key_symmetric, PF_RSS_KEY_LEN, 1),
				 pf_rss_hash(&b, pf_rss_key_symmetric, PF_RSS_KEY_LEN, 1));
		assert_int_equal(pf_rss_hash(&a, pf_rss_key_symmetric, PF_RSS_KEY_LEN, 0),
				 pf_rss_hash(&b, pf_rss_key_symmetric, PF_RSS_KEY_LEN, 0));
		equal_default += pf_rss_hash(&a, pf_rss_key_default, PF_RSS_KEY_LEN, 1) ==
				 pf_rss_hash(&b, pf_rss_key_default, PF_RSS_KEY_LEN, 1);
	}
	/* the Microsoft key is not symmetric: the test above is not vacuous */
	assert_true(equal_default < 5);
}

static void test_toeplitz_edges(void **state)
{
	struct pkt_parsing_info p;
	uint8_t data[16], padded[20] = { 0 };
	uint8_t *short_key = malloc(8);  /* heap, exact size: valgrind sees overreads */
	unsigned i;

	(void)state;
	assert_non_null(short_key);
	assert_int_equal(pf_toeplitz(NULL, 40, data, 4), 0);
	assert_int_equal(pf_toeplitz(pf_rss_key_default, 40, NULL, 4), 0);
	assert_int_equal(pf_toeplitz(pf_rss_key_default, 40, data, 0), 0);

	/* single bits pick the key window starting at that bit */
	memset(data, 0, sizeof(data));
	data[0] = 0x80;
	assert_int_equal(pf_toeplitz(pf_rss_key_default, 40, data, 1), 0x6d5a56da);
	data[0] = 0x01;
	assert_int_equal(pf_toeplitz(pf_rss_key_default, 40, data, 1), 0xad2b6d12); /* 6d5a56da25 >> 1 */
	data[0] = 0;
	data[1] = 0x80;
	assert_int_equal(pf_toeplitz(pf_rss_key_default, 40, data, 2), 0x5a56da25);

	/* xor-linear: T(x ^ y) = T(x) ^ T(y) */
	rng_seed(12);
	for (i = 0; i < 200; i++) {
		uint8_t x[12], y[12], z[12];

		rng_bytes(x, 12);
		rng_bytes(y, 12);
		for (int j = 0; j < 12; j++)
			z[j] = x[j] ^ y[j];
		assert_int_equal(pf_toeplitz(pf_rss_key_default, 40, z, 12),
				 pf_toeplitz(pf_rss_key_default, 40, x, 12) ^
				 pf_toeplitz(pf_rss_key_default, 40, y, 12));
	}

	/* a key shorter than len + 4 reads as if zero-padded, never past its end */
	rng_bytes(short_key, 8);
	memcpy(padded, short_key, 8);
	rng_bytes(data, 16);
	for (i = 0; i <= 16; i++)
		assert_int_equal(pf_toeplitz(short_key, 8, data, i), pf_toeplitz(padded, 20, data, i));
	assert_int_equal(pf_toeplitz(short_key, 0, data, 12), 0);
	free(short_key);

	/* pf_rss_hash: non-IP and bad arguments give 0 */
	rng_seed(13);
	rand_flow(&p, K_NONIP);
	assert_int_equal(pf_rss_hash(&p, pf_rss_key_default, 40, 1), 0);
	rand_flow(&p, 0);
	assert_int_equal(pf_rss_hash(NULL, pf_rss_key_default, 40, 1), 0);
	assert_int_equal(pf_rss_hash(&p, NULL, 40, 1), 0);
}

/* The table-driven Toeplitz equals the bit-serial one, for both keys, v4 and
 * v6, with and without UDP ports, and for a short key (zero-padded). */
static void test_toeplitz_table_equals_serial(void **state)
{
	static const unsigned kinds[] = { 0, K_V6, K_NONIP };
	struct pf_toeplitz_table *def = malloc(sizeof(*def)), *sym = malloc(sizeof(*sym));
	struct pf_toeplitz_table *shrt = malloc(sizeof(*shrt));
	static const uint8_t short_key[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct pkt_parsing_info p;
	unsigned i, k, compared = 0;

	(void)state;
	pf_toeplitz_table_init(def, pf_rss_key_default, PF_RSS_KEY_LEN);
	pf_toeplitz_table_init(sym, pf_rss_key_symmetric, PF_RSS_KEY_LEN);
	pf_toeplitz_table_init(shrt, short_key, sizeof(short_key));
	for (i = 0; i < 3000; i++) {
		for (k = 0; k < 3; k++) {
			int udp = (int)(i & 1);

			rand_flow(&p, kinds[k]);
			assert_int_equal(pf_rss_hash_table(&p, def, udp),
					 pf_rss_hash(&p, pf_rss_key_default, PF_RSS_KEY_LEN, udp));
			assert_int_equal(pf_rss_hash_table(&p, sym, udp),
					 pf_rss_hash(&p, pf_rss_key_symmetric, PF_RSS_KEY_LEN, udp));
			assert_int_equal(pf_rss_hash_table(&p, shrt, udp),
					 pf_rss_hash(&p, short_key, sizeof(short_key), udp));
			compared += 3;
		}
	}
	assert_int_equal(compared, 27000);
	assert_int_equal(pf_rss_hash_table(NULL, def, 1), 0);
	free(def);
	free(sym);
	free(shrt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symmetric_all_types),
		cmocka_unit_test(test_src_equals_dst_spread),
		cmocka_unit_test(test_no_structured_collisions),
		cmocka_unit_test(test_fields_2_tuple),
		cmocka_unit_test(test_fields_4_tuple),
		cmocka_unit_test(test_fields_5_tuple),
		cmocka_unit_test(test_fields_per_flow),
		cmocka_unit_test(test_tcp_5_tuple),
		cmocka_unit_test(test_round_robin_is_not_a_hash),
		cmocka_unit_test(test_unknown_type_is_per_flow),
		cmocka_unit_test(test_inner_equals_plain_flow),
		cmocka_unit_test(test_inner_needs_tunnel_and_flag),
		cmocka_unit_test(test_non_ip_macs),
		cmocka_unit_test(test_distribution),
		cmocka_unit_test(test_bad_hashes_fail_the_bound),
		cmocka_unit_test(test_round_robin_cycles),
		cmocka_unit_test(test_pick_edge_cases),
		cmocka_unit_test(test_toeplitz_ms_vectors_v4),
		cmocka_unit_test(test_toeplitz_ms_vectors_v6),
		cmocka_unit_test(test_toeplitz_symmetric_key),
		cmocka_unit_test(test_toeplitz_edges),
		cmocka_unit_test(test_toeplitz_table_equals_serial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
