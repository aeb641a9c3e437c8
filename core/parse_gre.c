/*
 * core/parse_gre.c - GRE (RFC 2784 / 2890): optional fields, key, inner packet.
 *
 * Transparent Ethernet bridging (protocol 0x6558, e.g. NVGRE, gretap): the
 * inner Ethernet header and its VLAN tags are skipped and the inner IPv4/IPv6
 * packet fills the tunneled fields like any other GRE payload, so a flow
 * bridged over GRE hashes and filters the same as a routed one. The inner MAC
 * addresses and VLAN are not kept (the struct has no room for them).
 */
#include "parse_tunnel.h"
#include "parse_l2.h"

#define GRE_F_CSUM     0x8000
#define GRE_F_ROUTING  0x4000  /* RFC 1701 source routing: layout not walked */
#define GRE_F_KEY      0x2000
#define GRE_F_SEQ      0x1000
#define GRE_VERSION    0x0007

u32 pf_parse_gre(const u8 *pkt, u32 off, u32 end, struct pkt_parsing_info *out)
{
	const u8 *h = pkt + off;
	u16 flags = pf_load_be16(h), proto = pf_load_be16(h + 2);
	u32 hl = 4, key_at = 0;
	struct pf_l2 l2;

	if (flags & (GRE_F_ROUTING | GRE_VERSION))
		return 0;
	if (flags & GRE_F_CSUM)
		hl += 4;
	if (flags & GRE_F_KEY) {
		key_at = hl;
		hl += 4;
	}
	if (flags & GRE_F_SEQ)
		hl += 4;
	if (end - off < hl)
		return 0;
	if (key_at)
		out->tunnel.tunnel_id = pf_load_be32(h + key_at);
	if (proto == PF_ETH_P_IPV4 || proto == PF_ETH_P_IPV6) {
		pf_parse_inner_ip(pkt, off + hl, end, proto, out);
	} else if (proto == PF_ETH_P_TEB && pf_parse_eth(pkt, off + hl, end, &l2)) {
		pf_parse_inner_ip(pkt, l2.l3, end, l2.eth_type, out);
	}
	return off + hl;
}
