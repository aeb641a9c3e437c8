/*
 * core/parse_l4.h - transport headers: TCP, UDP, SCTP, ICMP, ICMPv6, GRE base
 * (parser internals).
 */
#ifndef PF_CORE_PARSE_L4_H
#define PF_CORE_PARSE_L4_H

#include "port.h"
#include "parse_ip.h"
#include <linux/pf_ring.h>

/* TCP's data offset goes up to 60 bytes: the largest L4 header we step over. */
#define PF_L4_MAX_HLEN 60

/* Fixed header length of the transport protocols we parse, 0 if unknown. */
static inline u32 pf_l4_min_len(u8 proto)
{
	switch (proto) {
	case PF_IPPROTO_TCP:    return 20;
	case PF_IPPROTO_UDP:    return 8;
	case PF_IPPROTO_SCTP:   return 12;
	case PF_IPPROTO_ICMP:
	case PF_IPPROTO_ICMPV6: return 8;
	case PF_IPPROTO_GRE:    return 4;
	default:                return 0;
	}
}

/*
 * Transport header of protocol `proto` at pkt[off..end): fills the ports
 * (TCP/UDP/SCTP, host order), TCP flags/seq/ack, and offset.l4_offset.
 * Returns -1 when the protocol is unknown or its fixed header is cut (nothing
 * written), 0 when the header is there but the payload start is unknown (TCP
 * data offset < 5 or its options cut; GRE, whose length pf_parse_gre works
 * out), else the payload offset (end of the header, <= end).
 */
static inline int pf_parse_l4(const u8 *pkt, u32 off, u32 end, u8 proto,
			      struct pkt_parsing_info *out)
{
	const u8 *h = pkt + off;
	u32 min = pf_l4_min_len(proto), doff;

	if (min == 0 || off > end || end - off < min)
		return -1;
	out->offset.l4_offset = (int16_t)off;
	switch (proto) {
	case PF_IPPROTO_TCP:
		out->l4_src_port = pf_load_be16(h);
		out->l4_dst_port = pf_load_be16(h + 2);
		out->tcp.seq_num = pf_load_be32(h + 4);
		out->tcp.ack_num = pf_load_be32(h + 8);
		/* FIN..URG as in 5.4.6 (the TH_*_MULTIPLIER bits); ECE/CWR left out. */
		out->tcp.flags = h[13] & 0x3f;
		doff = (u32)(h[12] >> 4) * 4;
		if (doff < 20 || doff > end - off)
			return 0;
		return (int)(off + doff);
	case PF_IPPROTO_UDP:
	case PF_IPPROTO_SCTP:
		out->l4_src_port = pf_load_be16(h);
		out->l4_dst_port = pf_load_be16(h + 2);
		return (int)(off + min);
	case PF_IPPROTO_GRE:
		return 0;
	default: /* ICMP, ICMPv6: no ports; the payload follows the 8-byte header */
		return (int)(off + min);
	}
}

/* Ports only (TCP/UDP/SCTP with their fixed header present), for tunneled
 * packets. Returns 1 if the ports were read, else 0 (nothing written). */
static inline int pf_parse_ports(const u8 *pkt, u32 off, u32 end, u8 proto,
				 u16 *sport, u16 *dport)
{
	u32 min;

	if (proto != PF_IPPROTO_TCP && proto != PF_IPPROTO_UDP && proto != PF_IPPROTO_SCTP)
		return 0;
	min = pf_l4_min_len(proto);
	if (off > end || end - off < min)
		return 0;
	*sport = pf_load_be16(pkt + off);
	*dport = pf_load_be16(pkt + off + 2);
	return 1;
}

#endif /* PF_CORE_PARSE_L4_H */
