/*
 * core/parse_ip.h - IPv4 and IPv6 headers, IPv6 extension headers (parser internals).
 */
#ifndef PF_CORE_PARSE_IP_H
#define PF_CORE_PARSE_IP_H

#include "port.h"
#include <linux/pf_ring.h>

/* IP protocol numbers the parser knows (freestanding: no <netinet/in.h>). */
#define PF_IPPROTO_HOPOPTS   0
#define PF_IPPROTO_ICMP      1
#define PF_IPPROTO_TCP       6
#define PF_IPPROTO_UDP       17
#define PF_IPPROTO_ROUTING   43
#define PF_IPPROTO_FRAGMENT  44
#define PF_IPPROTO_GRE       47
#define PF_IPPROTO_ESP       50
#define PF_IPPROTO_AH        51
#define PF_IPPROTO_ICMPV6    58
#define PF_IPPROTO_NONE      59
#define PF_IPPROTO_DSTOPTS   60
#define PF_IPPROTO_SCTP      132

/* IPv6 extension headers walked before giving up on finding the upper layer.
 * The largest one is 2048 bytes, which bounds every offset the parser stores. */
#define PF_PARSE_MAX_IPV6_EXT 8
#define PF_IPV6_EXT_MAX_LEN   2048

struct pf_ip {
	u32 l4;       /* offset of the upper-layer header (valid if l4_ok) */
	u32 end;      /* end of the IP packet in the capture: min(caplen, IP length) */
	u8 version;   /* 4 or 6 */
	u8 proto;     /* IPv4 protocol, or the last IPv6 next-header reached */
	u8 tos;       /* IPv4 TOS or IPv6 traffic class */
	u8 l4_ok;     /* 0: non-first fragment, or the IPv6 chain could not be walked */
};

/*
 * pf_parse_ipv4 / pf_parse_ipv6: the IP header at pkt[off..end). Return 0 (and
 * write nothing) when the header is cut or invalid (version, IHL < 5). On
 * success *src / *dst get the addresses (IPv4 in host order in .v4, IPv6 as
 * the 16 wire bytes) and *ip the rest.
 *
 * The IP length field narrows ip->end (Ethernet padding is not L4) unless it
 * is smaller than the header itself: captures of TSO/GSO frames carry a 0
 * length, so such a value is ignored rather than treated as malformed.
 */
static inline int pf_parse_ipv4(const u8 *pkt, u32 off, u32 end, ip_addr *src,
				ip_addr *dst, struct pf_ip *ip)
{
	const u8 *h = pkt + off;
	u32 hlen, tot;

	if (off > end || end - off < 20 || (h[0] >> 4) != 4)
		return 0;
	hlen = (u32)(h[0] & 0x0f) * 4;
	if (hlen < 20 || end - off < hlen)
		return 0;
	tot = pf_load_be16(h + 2);
	if (tot >= hlen && end - off > tot)
		end = off + tot;
	ip->version = 4;
	ip->tos = h[1];
	ip->proto = h[9];
	ip->l4 = off + hlen;
	ip->end = end;
	/* Only the first fragment (offset 0, MF or not) carries the L4 header. */
	ip->l4_ok = (pf_load_be16(h + 6) & 0x1fff) == 0;
	src->v4 = pf_load_be32(h + 12);
	dst->v4 = pf_load_be32(h + 16);
	return 1;
}

/*
 * Length of the extension header `nh` at pkt[p..end), or 0 if nh is not one
 * we walk (upper layer, ESP, no-next-header, ...) and -1 if it is cut or
 * malformed. A non-first fragment header also gives -1, with *nh set to the
 * fragment's next header (the protocol of the fragmented packet).
 */
static inline int pf_ipv6_ext_len(const u8 *pkt, u32 p, u32 end, u8 *nh)
{
	u32 avail = end - p;

	switch (*nh) {
	case PF_IPPROTO_HOPOPTS:
	case PF_IPPROTO_ROUTING:
	case PF_IPPROTO_DSTOPTS:
		if (avail < 2)
			return -1;
		return (pkt[p + 1] + 1) * 8;
	case PF_IPPROTO_FRAGMENT:
		if (avail < 8)
			return -1;
		if (pf_load_be16(pkt + p + 2) & 0xfff8) {
			*nh = pkt[p];
			return -1;
		}
		return 8;
	case PF_IPPROTO_AH:
		/* Payload length is in 32-bit words minus 2; 12 bytes minimum. */
		if (avail < 2 || pkt[p + 1] == 0)
			return -1;
		return (pkt[p + 1] + 2) * 4;
	default:
		return 0;
	}
}

/* Walk up to PF_PARSE_MAX_IPV6_EXT extension headers from pkt[*p] of type
 * *nh. Returns 1 when *p / *nh are the upper layer, 0 when the walk stopped
 * early (cut, malformed, non-first fragment, too many headers). */
static inline int pf_ipv6_skip_ext(const u8 *pkt, u32 *p, u32 end, u8 *nh)
{
	int i, len;

	for (i = 0; i <= PF_PARSE_MAX_IPV6_EXT; i++) {
		len = pf_ipv6_ext_len(pkt, *p, end, nh);
		if (len == 0)
			return 1;
		if (len < 0 || i == PF_PARSE_MAX_IPV6_EXT || end - *p < (u32)len)
			return 0;
		*nh = pkt[*p];
		*p += len;
	}
	return 0;
}

static inline int pf_parse_ipv6(const u8 *pkt, u32 off, u32 end, ip_addr *src,
				ip_addr *dst, struct pf_ip *ip)
{
	const u8 *h = pkt + off;
	u32 plen, p;
	u8 nh;

	if (off > end || end - off < 40 || (h[0] >> 4) != 6)
		return 0;
	plen = pf_load_be16(h + 4);
	if (plen != 0 && end - off - 40 > plen)
		end = off + 40 + plen;
	nh = h[6];
	p = off + 40;
	ip->l4_ok = pf_ipv6_skip_ext(pkt, &p, end, &nh);
	ip->version = 6;
	ip->tos = (u8)(((h[0] & 0x0f) << 4) | (h[1] >> 4));
	ip->proto = nh;
	ip->l4 = p;
	ip->end = end;
	pf_memcpy(src->v6.s6_addr, h + 8, 16);
	pf_memcpy(dst->v6.s6_addr, h + 24, 16);
	return 1;
}

#endif /* PF_CORE_PARSE_IP_H */
