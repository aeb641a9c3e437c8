/*
 * core/parse.c - pf_parse(): one frame -> struct pkt_parsing_info.
 *
 * The work is split by layer: parse_l2.h (Ethernet, VLAN tags), parse_ip.h
 * (IPv4, IPv6 and its extension headers), parse_l4.h (TCP, UDP, SCTP, ICMP,
 * GRE base), parse_gtp.c / parse_gre.c / parse_inner.c (level 5 tunnels).
 * Every step checks its bytes against `end` before loading them; `end` starts
 * at caplen and is narrowed by the IP length field.
 *
 * Offsets are int16_t while frames may be 65535 bytes long. Rather than clamp
 * or wrap, the parser never walks deep enough to need more: VLAN tags (4),
 * IPv6 extension headers (8, at most 2048 bytes each) and the L4 header
 * (<= 60) are bounded, so the largest stored offset is below 16.6 KB. The
 * assertion below keeps that true if a bound changes. Whatever lies further in
 * a frame is payload, reachable through payload_offset.
 */
#include "parse.h"
#include "parse_l2.h"
#include "parse_ip.h"
#include "parse_l4.h"
#include "parse_tunnel.h"

#define PF_PARSE_MAX_OFFSET (PF_ETH_HLEN + 4 * PF_PARSE_MAX_VLAN_TAGS + 40 + \
			     PF_PARSE_MAX_IPV6_EXT * PF_IPV6_EXT_MAX_LEN + PF_L4_MAX_HLEN)
_Static_assert(PF_PARSE_MAX_OFFSET <= 0x7fff, "parser offsets must fit int16_t");
_Static_assert(PF_GRE_MAX_HLEN <= PF_L4_MAX_HLEN, "GRE header bounded like TCP's");

/*
 * Zero *out in chunks of at most 64 bytes: gcc turns a larger constant memset
 * into `rep stos` for generic and older tunings, and that instruction's
 * start-up cost alone was half of a whole parse.
 */
_Static_assert(sizeof(struct pkt_parsing_info) > 64 &&
	       sizeof(struct pkt_parsing_info) <= 128, "pf_parse_zero: two chunks");
static inline void pf_parse_zero(struct pkt_parsing_info *out)
{
	u8 *p = (u8 *)out;

	pf_memset(p, 0, 64);
	pf_memset(p + 64, 0, sizeof(*out) - 64);
}

/* L3 and up, once the Ethernet header says IPv4 or IPv6. */
static int pf_parse_l3_up(const u8 *pkt, u32 caplen, u8 level, const struct pf_l2 *l2,
			  struct pkt_parsing_info *out)
{
	struct pf_ip ip;
	int ok, pay;

	if (l2->eth_type == PF_ETH_P_IPV4)
		ok = pf_parse_ipv4(pkt, l2->l3, caplen, &out->ip_src, &out->ip_dst, &ip);
	else
		ok = pf_parse_ipv6(pkt, l2->l3, caplen, &out->ip_src, &out->ip_dst, &ip);
	if (!ok)
		return PF_RING_PARSE_L2;
	out->ip_version = ip.version;
	out->l3_proto = ip.proto;
	out->ip_tos = ip.tos;
	out->offset.l3_offset = (int16_t)l2->l3;
	if (level < PF_RING_PARSE_L4 || !ip.l4_ok)
		return PF_RING_PARSE_L3;

	pay = pf_parse_l4(pkt, ip.l4, ip.end, ip.proto, out);
	if (pay < 0)
		return PF_RING_PARSE_L3;
	if (level < PF_RING_PARSE_L5)
		return PF_RING_PARSE_L4;

	if (ip.proto == PF_IPPROTO_GRE)
		pay = (int)pf_parse_gre(pkt, ip.l4, ip.end, out);
	else if (ip.proto == PF_IPPROTO_UDP && pay > 0)
		pf_parse_gtp(pkt, (u32)pay, ip.end, out);
	if (pay == 0)
		return PF_RING_PARSE_L4;
	out->offset.payload_offset = (int16_t)pay;
	return PF_RING_PARSE_L5;
}

int pf_parse(const u8 *pkt, u32 caplen, u8 level, struct pkt_parsing_info *out)
{
	struct pf_l2 l2;

	if (!pkt || !out || level < PF_RING_PARSE_L2)
		return PF_PARSE_EINVAL;
	pf_parse_zero(out);
	out->tunnel.tunnel_id = NO_TUNNEL_ID;
	if (!pf_parse_eth(pkt, 0, caplen, &l2))
		return 0;
	pf_memcpy(out->dmac, pkt, ETH_ALEN);
	pf_memcpy(out->smac, pkt + ETH_ALEN, ETH_ALEN);
	out->eth_type = l2.eth_type;
	out->vlan_id = l2.vlan_id;
	out->offset.vlan_offset = (int16_t)l2.vlan_off;
	if (level < PF_RING_PARSE_L3 ||
	    (l2.eth_type != PF_ETH_P_IPV4 && l2.eth_type != PF_ETH_P_IPV6))
		return PF_RING_PARSE_L2;
	return pf_parse_l3_up(pkt, caplen, level, &l2, out);
}
