/*
 * core/parse_inner.c - the packet carried by a tunnel -> tunnel.tunneled_* fields.
 */
#include "parse_tunnel.h"
#include "parse_ip.h"
#include "parse_l2.h"
#include "parse_l4.h"

void pf_parse_inner_ip(const u8 *pkt, u32 off, u32 end, u16 eth_type,
		       struct pkt_parsing_info *out)
{
	struct pf_ip ip;
	int ok;

	if (off >= end)
		return;
	if (eth_type == 0)
		eth_type = (pkt[off] >> 4) == 6 ? PF_ETH_P_IPV6 : PF_ETH_P_IPV4;
	if (eth_type == PF_ETH_P_IPV4)
		ok = pf_parse_ipv4(pkt, off, end, &out->tunnel.tunneled_ip_src,
				   &out->tunnel.tunneled_ip_dst, &ip);
	else if (eth_type == PF_ETH_P_IPV6)
		ok = pf_parse_ipv6(pkt, off, end, &out->tunnel.tunneled_ip_src,
				   &out->tunnel.tunneled_ip_dst, &ip);
	else
		ok = 0;
	if (!ok)
		return;
	out->tunnel.tunneled_proto = ip.proto;
	if (ip.l4_ok)
		pf_parse_ports(pkt, ip.l4, ip.end, ip.proto, &out->tunnel.tunneled_l4_src_port,
			       &out->tunnel.tunneled_l4_dst_port);
}
