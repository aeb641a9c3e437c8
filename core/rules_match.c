/*
 * core/rules_match.c - the wildcard rule matcher (filtering_rule, spec 8.10.1
 * and 11): does one rule match one parsed packet.
 *
 * A rule matches when every field it sets matches; a field left at 0 takes no
 * part (spec 8.10: "If some field is set to zero it will not participate in
 * filter calculation"):
 *
 *   smac, dmac      all-zero = any, else equal to the packet's MAC.
 *   vlan_id         0 = any, else equal to the innermost VLAN id (0 = untagged,
 *                   so no rule can ask for "untagged only").
 *   proto           0 = any, else equal to the IP protocol (l3_proto).
 *   shost, dhost    with shost_mask, dhost_mask. Read according to the PACKET's
 *                   ip_version, as PF_RING does; the rule does not say whether
 *                   its hosts are v4 or v6:
 *                     IPv4 packet: only the v4 member (host byte order, like
 *                       pkt_parsing_info) is looked at: 0 = any, else
 *                       (addr & mask) == (host & mask); a zero mask means /32.
 *                       Bytes 4..15 of the union are ignored, so an IPv6 rule
 *                       host whose first 4 bytes are 0 (::1) is "any" for
 *                       IPv4 packets.
 *                     IPv6 packet: all 16 bytes (network order): all-zero =
 *                       any, else masked compare; an all-zero mask means /128.
 *                     Neither (ip_version not 4 or 6): a rule that names a
 *                       host (any non-zero byte in shost or dhost) does not
 *                       match.
 *   sport, dport    low..high inclusive, host order. Both 0 = any; high 0 with
 *                   low != 0 = exactly low; low 0 with high != 0 = 0..high
 *                   (port 0 is what non-TCP/UDP/SCTP packets and non-first
 *                   fragments carry). low > high is refused at add time; the
 *                   matcher reads it as an empty range.
 *   payload_pattern pattern_len = strnlen(pattern, 32) > 0: the payload, bytes
 *                   [payload_offset, caplen) of the frame, must CONTAIN the
 *                   pattern. No payload (payload_offset 0: L5 not reached) or
 *                   a payload shorter than the pattern: no match.
 *   tunnel          (extended_fields) as 5.4.6's kernel matched it:
 *                   tunnel.tunnel_id only when optional_fields has
 *                   FILTER_TUNNEL_ID_FLAG, then equal to the packet's
 *                   tunnel.tunnel_id (GTP TEID / GRE key; NO_TUNNEL_ID selects
 *                   the packets that carry no tunnel). tunnel.dhost/dhost_mask
 *                   against the packet's (outer) source address and
 *                   tunnel.shost/shost_mask against its destination, always:
 *                   (addr & mask) == host, so an all-zero rule passes and a
 *                   host under a zero mask never matches. IPv6 packets: 16
 *                   bytes, skipped when the mask's first 32 bits are zero.
 *   balance         balance_pool 0 = off; else
 *                   pf_flow_hash(info, cluster_per_flow_5_tuple, 0) % pool
 *                   must equal balance_id. The hash is symmetric, so both
 *                   directions of a flow land on the same balance_id.
 *   bidirectional   the rule also matches the packet with source and
 *                   destination swapped: MACs, hosts and ports swap together
 *                   (a rule "A:1 -> B:2" also matches "B:2 -> A:1", never
 *                   "A:2 -> B:1").
 *
 * Plugin filters (filter_plugin_id) are not looked at here: the pipeline in
 * socket.c calls the plugin after this matcher said yes.
 *
 * Order of evaluation is cheapest and most selective first (ports, VLAN,
 * protocol on the rule's first cache lines; then tunnel, hosts, MACs, balance,
 * payload); the only division is the balance modulo. pf_wrules_next_match()
 * is the set walk (first matching rule from an index on), with the rejection
 * inlined and the rules ahead prefetched.
 */
#include "rules.h"
#include "hash.h"

/* A MAC as a 48-bit integer: one compare instead of six. */
static inline u64 mac48(const u8 *m)
{
	u32 lo;
	u16 hi;

	pf_memcpy(&lo, m, 4);
	pf_memcpy(&hi, m + 4, 2);
	return (u64)lo | ((u64)hi << 32);
}

static inline int mac_ok(const u8 *pkt, u64 rule)
{
	return rule == 0 || mac48(pkt) == rule;
}

/* pf_wrules_add() stores ranges normalized (any = 0..65535, a single port =
 * p..p), so high == 0 only in a rule built by hand: the hot path is two
 * compares. */
static inline int port_ok(u16 port, u16 low, u16 high)
{
	if (PF_UNLIKELY(high == 0))
		return low == 0 || port == low;
	return (port >= low) & (port <= high);
}

static inline int v4_ok(u32 addr, u32 host, u32 mask)
{
	if (host == 0)
		return 1;
	if (mask == 0)
		mask = ~0u;
	return ((addr ^ host) & mask) == 0;
}

static inline u64 load64(const u8 *p)
{
	u64 v;

	pf_memcpy(&v, p, 8);
	return v;
}

static inline int v6_is_zero(const ip_addr *a)
{
	return (load64(a->v6.s6_addr) | load64(a->v6.s6_addr + 8)) == 0;
}

static inline int v6_ok(const ip_addr *addr, const ip_addr *host, const ip_addr *mask)
{
	u64 h0 = load64(host->v6.s6_addr), h1 = load64(host->v6.s6_addr + 8);
	u64 m0 = load64(mask->v6.s6_addr), m1 = load64(mask->v6.s6_addr + 8);
	u64 a0 = load64(addr->v6.s6_addr), a1 = load64(addr->v6.s6_addr + 8);

	if ((h0 | h1) == 0)
		return 1;
	if ((m0 | m1) == 0)
		m0 = m1 = ~0ull;
	return (((a0 ^ h0) & m0) | ((a1 ^ h1) & m1)) == 0;
}

/* One direction of the packet against the rule's source/destination fields. */
struct pf_dir {
	const u8 *smac, *dmac;
	const ip_addr *src, *dst;
	u16 sport, dport;
};

static inline int hosts_ok(const filtering_rule_core_fields *c, const struct pf_dir *d,
			   u8 ip_version)
{
	if (ip_version == 4)
		return v4_ok(d->src->v4, c->shost.v4, c->shost_mask.v4) &&
		       v4_ok(d->dst->v4, c->dhost.v4, c->dhost_mask.v4);
	if (ip_version == 6)
		return v6_ok(d->src, &c->shost, &c->shost_mask) &&
		       v6_ok(d->dst, &c->dhost, &c->dhost_mask);
	return v6_is_zero(&c->shost) && v6_is_zero(&c->dhost);
}

static inline int dir_ok(const filtering_rule_core_fields *c, const struct pf_dir *d,
			 u8 ip_version)
{
	return port_ok(d->sport, c->sport_low, c->sport_high) &&
	       port_ok(d->dport, c->dport_low, c->dport_high) &&
	       hosts_ok(c, d, ip_version) &&
	       mac_ok(d->smac, mac48(c->smac)) &&
	       mac_ok(d->dmac, mac48(c->dmac));
}

static int endpoints_ok(const struct pf_wrule *r, const struct pkt_parsing_info *i)
{
	const filtering_rule_core_fields *c = &r->rule.core_fields;
	struct pf_dir d = {
		.smac = i->smac, .dmac = i->dmac,
		.src = &i->ip_src, .dst = &i->ip_dst,
		.sport = i->l4_src_port, .dport = i->l4_dst_port,
	};

	if (dir_ok(c, &d, i->ip_version))
		return 1;
	if (!r->rule.bidirectional)
		return 0;
	d.smac = i->dmac;
	d.dmac = i->smac;
	d.src = &i->ip_dst;
	d.dst = &i->ip_src;
	d.sport = i->l4_dst_port;
	d.dport = i->l4_src_port;
	return dir_ok(c, &d, i->ip_version);
}

/* Does data[0 .. len) contain pat[0 .. n), n >= 1? First-byte scan, then the
 * rest; n <= 32, so the naive search is bounded by 32 * len. */
static int contains(const u8 *data, u32 len, const u8 *pat, u32 n)
{
	u32 i, j;

	if (len < n)
		return 0;
	for (i = 0; i <= len - n; i++) {
		if (data[i] != pat[0])
			continue;
		for (j = 1; j < n && data[i + j] == pat[j]; j++)
			;
		if (j == n)
			return 1;
	}
	return 0;
}

static int payload_ok(const struct pf_wrule *r, const struct pf_pkt *p)
{
	s32 off = p->info.offset.payload_offset;

	if (off <= 0 || (u32)off >= p->caplen || !p->data)
		return 0;
	return contains(p->data + off, p->caplen - (u32)off,
			(const u8 *)r->rule.extended_fields.payload_pattern, r->pattern_len);
}

/* 5.4.6's IPv6 test: skipped when the mask's first 32 bits are 0 (5.4.6 passed
 * mask and host the other way round; here they are what their names say). */
static int v6_masked_546(const ip_addr *addr, const ip_addr *host, const ip_addr *mask)
{
	u64 m0 = load64(mask->v6.s6_addr), m1 = load64(mask->v6.s6_addr + 8);
	u32 first;

	pf_memcpy(&first, mask->v6.s6_addr, 4);
	if (first == 0)
		return 1;
	return (load64(addr->v6.s6_addr) & m0) == load64(host->v6.s6_addr) &&
	       (load64(addr->v6.s6_addr + 8) & m1) == load64(host->v6.s6_addr + 8);
}

static int tunnel_ok(const filtering_rule_extended_fields *x, const struct pkt_parsing_info *i)
{
	if ((x->optional_fields & FILTER_TUNNEL_ID_FLAG) &&
	    x->tunnel.tunnel_id != i->tunnel.tunnel_id)
		return 0;
	if (i->ip_version == 6)
		return v6_masked_546(&i->ip_src, &x->tunnel.dhost, &x->tunnel.dhost_mask) &&
		       v6_masked_546(&i->ip_dst, &x->tunnel.shost, &x->tunnel.shost_mask);
	return (i->ip_src.v4 & x->tunnel.dhost_mask.v4) == x->tunnel.dhost.v4 &&
	       (i->ip_dst.v4 & x->tunnel.shost_mask.v4) == x->tunnel.shost.v4;
}

/* Everything after the quick rejections of pf_wrule_match(); out of line so
 * that the quick path needs no stack frame. */
static __attribute__((__noinline__)) int match_rest(const struct pf_wrule *r,
						 const struct pf_pkt *p)
{
	const filtering_rule *f = &r->rule;
	const struct pkt_parsing_info *i = &p->info;

	if (!tunnel_ok(&f->extended_fields, i))
		return 0;
	if (!endpoints_ok(r, i))
		return 0;
	if (f->balance_pool &&
	    pf_flow_hash(i, cluster_per_flow_5_tuple, 0) % f->balance_pool != f->balance_id)
		return 0;
	if (r->pattern_len && !payload_ok(r, p))
		return 0;
	return 1;
}

/* The packet fields the quick rejection reads, copied out once per packet so
 * that the set walk keeps them in registers. */
struct pf_hot {
	u32 src4, dst4;
	u16 sport, dport, vlan_id;
	u8 proto, v4;
};

static inline void hot_fields(struct pf_hot *h, const struct pkt_parsing_info *i)
{
	h->src4 = i->ip_src.v4;
	h->dst4 = i->ip_dst.v4;
	h->sport = i->l4_src_port;
	h->dport = i->l4_dst_port;
	h->vlan_id = i->vlan_id;
	h->proto = i->l3_proto;
	h->v4 = i->ip_version == 4;
}

/* One direction's ports, and its IPv4 hosts when the packet is IPv4 (the
 * union's v4 member sits on the same cache lines as the ports). */
static inline int ports_hosts4_ok(const filtering_rule_core_fields *c, u16 sport, u16 dport,
				  u32 src, u32 dst, int v4)
{
	return port_ok(dport, c->dport_low, c->dport_high) &&
	       port_ok(sport, c->sport_low, c->sport_high) &&
	       (!v4 || (v4_ok(src, c->shost.v4, c->shost_mask.v4) &&
			v4_ok(dst, c->dhost.v4, c->dhost_mask.v4)));
}

/*
 * Most rules of a set reject most packets: on the ports and IPv4 hosts
 * (forward, then reversed for a bidirectional rule), VLAN or protocol, all on
 * the first ~100 bytes of the rule. 1 = rejected; 0 = match_rest() decides (it
 * checks the endpoints again, with MACs and IPv6).
 */
static inline int quick_reject(const struct pf_wrule *r, const struct pf_hot *h)
{
	const filtering_rule_core_fields *c = &r->rule.core_fields;

	if (!ports_hosts4_ok(c, h->sport, h->dport, h->src4, h->dst4, h->v4) &&
	    (!r->rule.bidirectional ||
	     !ports_hosts4_ok(c, h->dport, h->sport, h->dst4, h->src4, h->v4)))
		return 1;
	if (c->vlan_id && c->vlan_id != h->vlan_id)
		return 1;
	return c->proto && c->proto != h->proto;
}

int pf_wrule_match(const struct pf_wrule *r, const struct pf_pkt *p)
{
	struct pf_hot h;

	hot_fields(&h, &p->info);
	if (quick_reject(r, &h))
		return 0;
	return match_rest(r, p);
}

/* What quick_reject() reads of a rule, a few rules ahead of the walk (the
 * elements are separate allocations, so the hardware prefetcher cannot). */
static inline void prefetch_rule(const struct pf_wrule *r)
{
	/* the rule's first ~100 bytes (flags .. ports): at most 3 cache lines,
	 * and these three addresses fall on each of them */
	__builtin_prefetch(&r->rule);
	__builtin_prefetch(&r->rule.core_fields.shost_mask);
	__builtin_prefetch(&r->rule.core_fields.dport_high);
}

#define PF_PREFETCH_AHEAD 4

u32 pf_wrules_next_match(const struct pf_wrule_set *s, u32 from, const struct pf_pkt *p)
{
	const u32 n = s->n;   /* the set is immutable */
	struct pf_hot h;
	u32 k;

	hot_fields(&h, &p->info);
	for (k = from; k < n; k++) {
		const struct pf_wrule *r = s->r[k];

		if (k + PF_PREFETCH_AHEAD < n)
			prefetch_rule(s->r[k + PF_PREFETCH_AHEAD]);
		if (!quick_reject(r, &h) && match_rest(r, p))
			return k;
	}
	return n;
}
