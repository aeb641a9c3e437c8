/*
 * tests/unit/rules_ref.h - a slow, obviously-correct reference model of the
 * wildcard rules (filtering_rule), written straight from the field definitions
 * in core/rules_match.c, sharing no code with it. Used by tests/unit/test_rules.c
 * and tests/fuzz/fuzz_rules.c.
 *
 * The model answers "which rule decides": the matching rule with the lowest
 * rule_id, or none (-1).
 */
#ifndef PF_TESTS_RULES_REF_H
#define PF_TESTS_RULES_REF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/pf_ring.h>
#include "core/hash.h"

static inline int ref_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/* MAC: all-zero = any. */
static inline int ref_mac(const uint8_t *pkt, const uint8_t *rule)
{
	return ref_all_zero(rule, 6) || memcmp(pkt, rule, 6) == 0;
}

/* Ports: 0..0 any; low..0 exactly low; otherwise low..high inclusive. */
static inline int ref_port(uint16_t port, uint16_t low, uint16_t high)
{
	uint32_t hi;

	if (low == 0 && high == 0)
		return 1;
	hi = high == 0 ? low : high;
	return port >= low && port <= hi;
}

/* IPv4, host order: bit by bit, every bit the mask keeps must be equal. */
static inline int ref_host4(uint32_t addr, uint32_t host, uint32_t mask)
{
	int bit;

	if (host == 0)
		return 1;
	if (mask == 0)
		mask = 0xffffffffu;
	for (bit = 0; bit < 32; bit++) {
		uint32_t m = 1u << bit;

		if ((mask & m) && (addr & m) != (host & m))
			return 0;
	}
	return 1;
}

/* IPv6, 16 bytes: byte by byte under the mask. */
static inline int ref_host6(const uint8_t *addr, const uint8_t *host, const uint8_t *mask)
{
	int all_ones = ref_all_zero(mask, 16);
	int i;

	if (ref_all_zero(host, 16))
		return 1;
	for (i = 0; i < 16; i++) {
		uint8_t m = all_ones ? 0xff : mask[i];

		if ((addr[i] & m) != (host[i] & m))
			return 0;
	}
	return 1;
}

static inline int ref_host(uint8_t ip_version, const ip_addr *addr, const ip_addr *host,
			   const ip_addr *mask)
{
	if (ip_version == 4)
		return ref_host4(addr->v4, host->v4, mask->v4);
	if (ip_version == 6)
		return ref_host6((const uint8_t *)addr, (const uint8_t *)host,
				 (const uint8_t *)mask);
	return ref_all_zero(host, 16);   /* not IP: only "any host" matches */
}

/* One direction: the rule's source side against (smac, src, sport), its
 * destination side against (dmac, dst, dport). */
static inline int ref_direction(const filtering_rule *r, uint8_t ip_version,
				const uint8_t *smac, const uint8_t *dmac,
				const ip_addr *src, const ip_addr *dst,
				uint16_t sport, uint16_t dport)
{
	const filtering_rule_core_fields *c = &r->core_fields;

	return ref_mac(smac, c->smac) && ref_mac(dmac, c->dmac) &&
	       ref_host(ip_version, src, &c->shost, &c->shost_mask) &&
	       ref_host(ip_version, dst, &c->dhost, &c->dhost_mask) &&
	       ref_port(sport, c->sport_low, c->sport_high) &&
	       ref_port(dport, c->dport_low, c->dport_high);
}

static inline size_t ref_pattern_len(const filtering_rule *r)
{
	size_t n = 0;

	while (n < sizeof(r->extended_fields.payload_pattern) &&
	       r->extended_fields.payload_pattern[n] != 0)
		n++;
	return n;
}

/* The payload is frame bytes [payload_offset, caplen); it must contain the
 * pattern somewhere. */
static inline int ref_payload(const filtering_rule *r, const struct pkt_parsing_info *info,
			      const uint8_t *frame, uint32_t caplen)
{
	size_t n = ref_pattern_len(r);
	long off = info->offset.payload_offset;
	long start;

	if (n == 0)
		return 1;
	if (off <= 0 || frame == NULL)
		return 0;
	for (start = off; start + (long)n <= (long)caplen; start++)
		if (memcmp(frame + start, r->extended_fields.payload_pattern, n) == 0)
			return 1;
	return 0;
}


/* 5.4.6's tunnel fields, byte by byte: tunnel_id only with FILTER_TUNNEL_ID_FLAG;
 * tunnel.dhost/dhost_mask against the (outer) source, tunnel.shost/shost_mask
 * against the destination, (addr & mask) == host; IPv6 skips a pair whose mask
 * starts with 4 zero bytes. */
static int ref_tunnel_pair(u8 ip_version, const ip_addr *addr, const ip_addr *host,
			   const ip_addr *mask)
{
	int k, n = ip_version == 6 ? 16 : 4;

	if (ip_version == 6 && ref_all_zero(mask->v6.s6_addr, 4))
		return 1;
	if (ip_version != 6)
		return (addr->v4 & mask->v4) == host->v4;
	for (k = 0; k < n; k++)
		if ((addr->v6.s6_addr[k] & mask->v6.s6_addr[k]) != host->v6.s6_addr[k])
			return 0;
	return 1;
}

static int ref_tunnel(const filtering_rule_extended_fields *x, const struct pkt_parsing_info *i)
{
	if ((x->optional_fields & FILTER_TUNNEL_ID_FLAG) &&
	    x->tunnel.tunnel_id != i->tunnel.tunnel_id)
		return 0;
	return ref_tunnel_pair(i->ip_version, &i->ip_src, &x->tunnel.dhost, &x->tunnel.dhost_mask) &&
	       ref_tunnel_pair(i->ip_version, &i->ip_dst, &x->tunnel.shost, &x->tunnel.shost_mask);
}

static inline int ref_rule_match(const filtering_rule *r, const struct pkt_parsing_info *i,
				 const uint8_t *frame, uint32_t caplen)
{
	const filtering_rule_core_fields *c = &r->core_fields;
	int fwd, rev = 0;

	if (c->vlan_id != 0 && c->vlan_id != i->vlan_id)
		return 0;
	if (c->proto != 0 && c->proto != i->l3_proto)
		return 0;
	if (!ref_tunnel(&r->extended_fields, i))
		return 0;
	fwd = ref_direction(r, i->ip_version, i->smac, i->dmac, &i->ip_src, &i->ip_dst,
			    i->l4_src_port, i->l4_dst_port);
	if (r->bidirectional)
		rev = ref_direction(r, i->ip_version, i->dmac, i->smac, &i->ip_dst, &i->ip_src,
				    i->l4_dst_port, i->l4_src_port);
	if (!fwd && !rev)
		return 0;
	if (r->balance_pool != 0 &&
	    pf_flow_hash(i, cluster_per_flow_5_tuple, 0) % r->balance_pool != r->balance_id)
		return 0;
	return ref_payload(r, i, frame, caplen);
}

/* The id of the lowest-id rule of rules[0..n) that matches, or -1. */
static inline int ref_first_match(const filtering_rule *rules, size_t n,
				  const struct pkt_parsing_info *i,
				  const uint8_t *frame, uint32_t caplen)
{
	int best = -1;
	size_t k;

	for (k = 0; k < n; k++)
		if (ref_rule_match(&rules[k], i, frame, caplen) &&
		    (best < 0 || rules[k].rule_id < best))
			best = rules[k].rule_id;
	return best;
}

#endif /* PF_TESTS_RULES_REF_H */
