/*
 * core/hash.c - symmetric flow hashes for cluster balancing.
 *
 * Shape of the hash (one pass, no tables, no division):
 *
 *   endpoint mix   e = M(ip, port)      a bijective 64-bit mix of one side
 *   combine        s = e_src + e_dst    addition is order-independent, so
 *                                       A->B == B->A; unlike xor it does not
 *                                       send every src == dst flow to 0
 *   extras         s ^= (vlan, proto) * K
 *   finalize       xor-shift, multiply, upper 32 bits
 *
 * The endpoint mix must be non-linear (a plain multiply would make
 * (a + 1, b - 1) collide with (a, b) once the two sides are added), and the
 * address and port of one side are mixed together before the sides are
 * combined, so that A:p <-> B:q does not collide with A:q <-> B:p.
 *
 * Fields a cluster type leaves out are fed in as 0, so tcp_5_tuple on a UDP
 * packet gives exactly the 2-tuple value, as its name promises (PF_RING 5.4.6
 * hashed tcp_5_tuple like 5_tuple for every protocol).
 */
#include "hash.h"

#define PF_IPPROTO_TCP 6

#define PF_K_MIX   0x9e3779b97f4a7c15ull  /* 2^64 / golden ratio, odd */
#define PF_K_EXTRA 0xc2b2ae3d27d4eb4full
#define PF_K_NONIP 0x165667b19e3779f9ull  /* keeps MAC and IP domains apart */

/* Bijective: odd multiply, then fold the well-mixed high half down. */
static inline u64 pf_mix(u64 x)
{
	x *= PF_K_MIX;
	return x ^ (x >> 32);
}

/* One more multiply, keeping the upper half: its bits depend on every bit of
 * k, and they are the bits pf_cluster_pick()'s multiply-shift reads. (A full
 * murmur3 fmix64 here measured ~5% slower per packet with no difference in
 * the distribution tests.) */
static inline u32 pf_finalize(u64 k)
{
	k ^= k >> 32;
	k *= 0xff51afd7ed558ccdull;
	return (u32)(k >> 32);
}

static inline u64 pf_load64(const u8 *p)
{
	u64 v;

	pf_memcpy(&v, p, 8);
	return v;
}

static inline u64 pf_endpoint_v4(u32 ip, u16 port)
{
	return pf_mix(((u64)ip << 16) | port);
}

/* All 16 address bytes and the port, chained so nothing separates. */
static inline u64 pf_endpoint_v6(const ip_addr *ip, u16 port)
{
	const u8 *a = ip->v6.s6_addr;

	return pf_mix(pf_mix(pf_mix(pf_load64(a)) ^ pf_load64(a + 8)) ^ port);
}

static inline u64 pf_endpoint_mac(const u8 *mac)
{
	u64 m = ((u64)pf_load_be16(mac) << 32) | pf_load_be32(mac + 2);

	return pf_mix(m ^ PF_K_NONIP);
}

static inline u32 pf_combine(u64 a, u64 b, u32 extra)
{
	return pf_finalize((a + b) ^ ((u64)extra * PF_K_EXTRA));
}

/* The tuple actually hashed: outer headers, or the tunneled ones. */
struct pf_tuple {
	const ip_addr *src, *dst;
	u16 sport, dport;
	u8 proto;
	u8 version;  /* 4, 6, or 0 = not IP */
};

/* A tunnel was parsed and its inner headers were reached. */
static inline int pf_has_inner(const struct pkt_parsing_info *p)
{
	const u8 *s = p->tunnel.tunneled_ip_src.v6.s6_addr;
	const u8 *d = p->tunnel.tunneled_ip_dst.v6.s6_addr;

	if (p->tunnel.tunnel_id == NO_TUNNEL_ID)
		return 0;
	return p->tunnel.tunneled_proto != 0 ||
	       (pf_load64(s) | pf_load64(s + 8) | pf_load64(d) | pf_load64(d + 8)) != 0;
}

/*
 * The tunnel fields carry no IP version: an inner IPv4 address sits in .v4
 * with the other 12 bytes zero (the parser zeroes the whole struct first).
 * Telling the two apart this way makes an inner flow hash exactly like the
 * same flow seen without the tunnel.
 */
static inline u8 pf_inner_version(const struct pkt_parsing_info *p)
{
	const u8 *s = p->tunnel.tunneled_ip_src.v6.s6_addr;
	const u8 *d = p->tunnel.tunneled_ip_dst.v6.s6_addr;
	u32 hi_s, hi_d;

	pf_memcpy(&hi_s, s + 4, 4);
	pf_memcpy(&hi_d, d + 4, 4);
	if ((hi_s | hi_d | pf_load64(s + 8) | pf_load64(d + 8)) == 0)
		return 4;
	return 6;
}

static inline void pf_pick_tuple(const struct pkt_parsing_info *p, u32 flags,
				 struct pf_tuple *t)
{
	if ((flags & PF_HASH_INNER) && pf_has_inner(p)) {
		t->src = &p->tunnel.tunneled_ip_src;
		t->dst = &p->tunnel.tunneled_ip_dst;
		t->sport = p->tunnel.tunneled_l4_src_port;
		t->dport = p->tunnel.tunneled_l4_dst_port;
		t->proto = p->tunnel.tunneled_proto;
		t->version = pf_inner_version(p);
		return;
	}
	t->src = &p->ip_src;
	t->dst = &p->ip_dst;
	t->sport = p->l4_src_port;
	t->dport = p->l4_dst_port;
	t->proto = p->l3_proto;
	t->version = (p->ip_version == 4 || p->ip_version == 6) ? p->ip_version : 0;
}

/* What each cluster type feeds in; anything left out counts as 0. */
#define PF_USE_PORTS (1u << 0)
#define PF_USE_PROTO (1u << 1)
#define PF_USE_VLAN  (1u << 2)

static inline u32 pf_type_fields(cluster_type type, u8 proto)
{
	switch (type) {
	case cluster_per_flow_2_tuple:
		return 0;
	case cluster_per_flow_4_tuple:
		return PF_USE_PORTS;
	case cluster_per_flow_5_tuple:
		return PF_USE_PORTS | PF_USE_PROTO;
	case cluster_per_flow_tcp_5_tuple:
		return proto == PF_IPPROTO_TCP ? PF_USE_PORTS | PF_USE_PROTO : 0;
	case cluster_per_flow:
	default:  /* unknown types balance like per_flow, as 5.4.6 did */
		return PF_USE_PORTS | PF_USE_PROTO | PF_USE_VLAN;
	}
}

u32 pf_flow_hash(const struct pkt_parsing_info *p, cluster_type type, u32 flags)
{
	struct pf_tuple t;
	u32 use, extra;
	u16 sport, dport;
	u64 a, b;

	if (!p || type == cluster_round_robin)
		return 0;
	pf_pick_tuple(p, flags, &t);
	use = pf_type_fields(type, t.proto);
	extra = (use & PF_USE_VLAN) ? (u32)p->vlan_id << 8 : 0;

	if (t.version == 0)  /* not IP: the MAC pair (and vlan for per_flow) */
		return pf_combine(pf_endpoint_mac(p->smac), pf_endpoint_mac(p->dmac), extra);

	if (use & PF_USE_PROTO)
		extra |= t.proto;
	sport = (use & PF_USE_PORTS) ? t.sport : 0;
	dport = (use & PF_USE_PORTS) ? t.dport : 0;
	if (t.version == 4) {
		a = pf_endpoint_v4(t.src->v4, sport);
		b = pf_endpoint_v4(t.dst->v4, dport);
	} else {
		a = pf_endpoint_v6(t.src, sport);
		b = pf_endpoint_v6(t.dst, dport);
	}
	return pf_combine(a, b, extra);
}

u32 pf_cluster_pick(const struct pkt_parsing_info *p, cluster_type type, u32 flags,
		    u32 num_members, u32 *rr_state)
{
	u32 idx;

	if (num_members == 0 || num_members > CLUSTER_LEN)
		return 0;
	if (type == cluster_round_robin) {
		if (!rr_state)
			return 0;
		idx = *rr_state;
		if (idx >= num_members)  /* the cluster shrank since last time */
			idx = 0;
		*rr_state = idx + 1 < num_members ? idx + 1 : 0;
		return idx;
	}
	/* Multiply-shift: the bias is below num_members / 2^32, and it uses the
	 * hash's upper bits, which the finalizer mixes fully. */
	return (u32)(((u64)pf_flow_hash(p, type, flags) * num_members) >> 32);
}
