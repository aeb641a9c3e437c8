/*
 * lib/api_print.c - pfring_print_parsed_pkt(), pfring_print_pkt(),
 * pfring_format_numbers(): the text pfcount prints, bounded by the caller's
 * buffer (the result is always NUL-terminated when buff_len > 0, and the
 * return value is the number of characters stored, NUL excluded).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/api_internal.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_ARP  0x0806
#define ETH_P_IPV6 0x86DD

struct out {
	char *buf;
	size_t len;   /* > 0 */
	size_t used;  /* < len */
};

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_printf(struct out *o, const char *fmt, ...)
{
	size_t room = o->len - o->used;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->used = (size_t)n >= room ? o->len - 1 : o->used + (size_t)n;
}

static const char *mac_str(const u_int8_t *m, char *s, size_t len)
{
	snprintf(s, len, "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
	return s;
}

/* IPv4 addresses of pkt_parsing_info are in host order. */
static const char *ipv4_str(u_int32_t a, char *s, size_t len)
{
	snprintf(s, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return s;
}

static const char *ipv6_str(const struct in6_addr *a, char *s, size_t len)
{
	if (inet_ntop(AF_INET6, a, s, (socklen_t)len) == NULL)
		snprintf(s, len, "?");
	return s;
}

static const char *proto_str(u_int8_t proto, char *s, size_t len)
{
	switch (proto) {
	case IPPROTO_TCP:    return "TCP";
	case IPPROTO_UDP:    return "UDP";
	case IPPROTO_ICMP:   return "ICMP";
	case IPPROTO_GRE:    return "GRE";
	case IPPROTO_SCTP:   return "SCTP";
	case IPPROTO_ICMPV6: return "ICMPv6";
	default:
		snprintf(s, len, "%u", proto);
		return s;
	}
}

/* "[IPv4][a:p -> b:q] " or the IPv6 form. */
static void print_endpoints(struct out *o, int v6, const ip_addr *src, u_int16_t sport,
			    const ip_addr *dst, u_int16_t dport)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (v6)
		out_printf(o, "[IPv6][%s:%u -> %s:%u] ", ipv6_str(&src->v6, a, sizeof(a)), sport,
			   ipv6_str(&dst->v6, b, sizeof(b)), dport);
	else
		out_printf(o, "[IPv4][%s:%u -> %s:%u] ", ipv4_str(src->v4, a, sizeof(a)), sport,
			   ipv4_str(dst->v4, b, sizeof(b)), dport);
}

/* The tunnel fields carry no IP version: an inner IPv4 address sits in .v4
 * with the other 12 bytes zero (the convention of core/hash.c). */
static int inner_is_v6(const struct pkt_parsing_info *p)
{
	static const u_int8_t zero[12];

	return memcmp(p->tunnel.tunneled_ip_src.v6.s6_addr + 4, zero, 12) != 0 ||
	       memcmp(p->tunnel.tunneled_ip_dst.v6.s6_addr + 4, zero, 12) != 0;
}

static void print_ip(struct out *o, const struct pfring_pkthdr *h)
{
	const struct pkt_parsing_info *p = &h->extended_hdr.parsed_pkt;
	char s[8];

	print_endpoints(o, p->eth_type == ETH_P_IPV6, &p->ip_src, p->l4_src_port,
			&p->ip_dst, p->l4_dst_port);
	out_printf(o, "[l3_proto=%s]", proto_str(p->l3_proto, s, sizeof(s)));
	if (p->tunnel.tunnel_id != NO_TUNNEL_ID) {
		out_printf(o, "[TEID=0x%08X][tunneled_proto=%s]", p->tunnel.tunnel_id,
			   proto_str(p->tunnel.tunneled_proto, s, sizeof(s)));
		print_endpoints(o, inner_is_v6(p), &p->tunnel.tunneled_ip_src,
				p->tunnel.tunneled_l4_src_port, &p->tunnel.tunneled_ip_dst,
				p->tunnel.tunneled_l4_dst_port);
	}
	out_printf(o, "[hash=%u][tos=%u][tcp_seq_num=%u]", h->extended_hdr.pkt_hash,
		   p->ip_tos, p->tcp.seq_num);
}

/* Sender and target of an Ethernet/IPv4 ARP packet, when captured. */
static void print_arp(struct out *o, const u_char *pkt, const struct pfring_pkthdr *h)
{
	const struct pkt_offset *off = &h->extended_hdr.parsed_pkt.offset;
	char m1[18], m2[18], a1[16], a2[16];
	const u_char *arp;
	int l3;

	out_printf(o, "[ARP]");
	/* the parser sets l3_offset for IP only: ARP starts after the type field
	 * that follows the innermost VLAN TCI, or at 14 */
	l3 = off->l3_offset > 0 ? off->l3_offset : off->vlan_offset ? off->vlan_offset + 4 : 14;
	if (pkt == NULL || h->caplen < (u_int32_t)l3 + 28)
		return;
	arp = pkt + l3;
	out_printf(o, "[Sender=%s/%s][Target=%s/%s]", mac_str(arp + 8, m1, sizeof(m1)),
		   ipv4_str(((u_int32_t)arp[14] << 24) | ((u_int32_t)arp[15] << 16) |
			    ((u_int32_t)arp[16] << 8) | arp[17], a1, sizeof(a1)),
		   mac_str(arp + 18, m2, sizeof(m2)),
		   ipv4_str(((u_int32_t)arp[24] << 24) | ((u_int32_t)arp[25] << 16) |
			    ((u_int32_t)arp[26] << 8) | arp[27], a2, sizeof(a2)));
}

int pfring_print_parsed_pkt(char *buff, u_int buff_len, const u_char *p,
			    const struct pfring_pkthdr *h)
{
	const struct pkt_parsing_info *pi;
	struct out o = { buff, buff_len, 0 };
	char m1[18], m2[18];

	PF_REQUIRE(buff && h);
	if (buff_len == 0)
		return 0;
	buff[0] = '\0';
	pi = &h->extended_hdr.parsed_pkt;
	out_printf(&o, "[%s -> %s] ", mac_str(pi->smac, m1, sizeof(m1)),
		   mac_str(pi->dmac, m2, sizeof(m2)));
	if (pi->offset.vlan_offset)
		out_printf(&o, "[vlan %u] ", pi->vlan_id);
	if (pi->eth_type == ETH_P_IPV4 || pi->eth_type == ETH_P_IPV6)
		print_ip(&o, h);
	else if (pi->eth_type == ETH_P_ARP)
		print_arp(&o, p, h);
	else
		out_printf(&o, "[eth_type=0x%04X]", pi->eth_type);
	out_printf(&o, " [caplen=%u][len=%u][parsed_header_len=%u][eth_offset=%d]"
		   "[l3_offset=%d][l4_offset=%d][payload_offset=%d]\n",
		   h->caplen, h->len, h->extended_hdr.parsed_header_len, pi->offset.eth_offset,
		   pi->offset.l3_offset, pi->offset.l4_offset, pi->offset.payload_offset);
	return (int)o.used;
}

/* Parses to level 5 with the flow hash, then prints as above. */
int pfring_print_pkt(char *buff, u_int buff_len, const u_char *p, u_int len, u_int caplen)
{
	struct pfring_pkthdr hdr;

	PF_REQUIRE(buff && p);
	memset(&hdr, 0, sizeof(hdr));
	hdr.len = len;
	hdr.caplen = caplen;
	if (pfring_parse_pkt((u_char *)p, &hdr, PF_RING_PARSE_L5, 0, 1) < 0)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	return pfring_print_parsed_pkt(buff, buff_len, p, &hdr);
}

/* ------------------------------------------------------------------ numbers */

static void copy_bounded(char *buf, u_int buf_len, const char *s)
{
	size_t n = strlen(s);

	if (n >= buf_len)
		n = buf_len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/*
 * 1234567.891 -> "1,234,567.89" (add_decimals: two decimals, rounded to
 * nearest) or "1,234,567" (without: truncated toward zero, as PF_RING 5.4.6).
 * Any magnitude, negative values with a leading '-', "nan" / "inf".
 * Returns buf; cut (and NUL-terminated) at buf_len.
 */
char *pfring_format_numbers(double val, char *buf, u_int buf_len, u_int8_t add_decimals)
{
	char digits[352], out[480];
	size_t int_len, i, o = 0;
	double mag;
	int neg;

	if (buf == NULL || buf_len == 0)
		return buf;
	if (val != val) {
		copy_bounded(buf, buf_len, "nan");
		return buf;
	}
	neg = val < 0;
	mag = neg ? -val : val;
	if (mag > 1.7976931348623157e308) {
		copy_bounded(buf, buf_len, neg ? "-inf" : "inf");
		return buf;
	}
	if (!add_decimals && mag < 1.8e19) /* above, a double is an integer already */
		mag = (double)(u_int64_t)mag;
	snprintf(digits, sizeof(digits), add_decimals ? "%.2f" : "%.0f", mag);
	int_len = strcspn(digits, ".");
	if (neg && strspn(digits, "0.") != strlen(digits))
		out[o++] = '-';
	for (i = 0; i < int_len; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	strcpy(out + o, digits + int_len);
	copy_bounded(buf, buf_len, out);
	return buf;
}
