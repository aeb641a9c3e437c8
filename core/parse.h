/*
 * core/parse.h - the packet parser (pfring_parse_pkt semantics).
 */
#ifndef PF_CORE_PARSE_H
#define PF_CORE_PARSE_H

#include "port.h"
#include <linux/pf_ring.h>

/*
 * Parse the captured bytes pkt[0 .. caplen) of an Ethernet frame, stopping at
 * header level `level` (PF_RING_PARSE_L2 .. PF_RING_PARSE_L5; a larger value is
 * treated as L5). `out` is fully overwritten (zeroed, then filled; tunnel.tunnel_id
 * is NO_TUNNEL_ID when there is no tunnel).
 *
 * Returns the topmost level reached: 0 when even the Ethernet header is cut,
 * 2 Ethernet (+VLAN tags), 3 IPv4/IPv6, 4 TCP/UDP/SCTP/ICMP/ICMPv6 header,
 * 5 payload reached (payload_offset set; tunnel fields filled for GTP/GRE).
 * Negative (PF_PARSE_EINVAL) only for invalid arguments (NULL, level < 2);
 * `out` is then left untouched.
 * Never reads pkt[caplen] or beyond: a truncated or malformed packet parses as
 * far as it is valid.
 *
 * What each level fills (fields of a level not reached stay 0):
 *   2  dmac, smac, eth_type (after up to 4 VLAN tags 0x8100/0x88a8/0x9100),
 *      vlan_id / offset.vlan_offset of the innermost tag.
 *   3  ip_version, ip_tos, ip_src/dst, l3_proto, offset.l3_offset. l3_proto is
 *      the last IPv6 next-header reached (after at most 8 extension headers;
 *      ESP, a non-first fragment's protocol, or the header the walk stopped at).
 *      Non-first fragments, ESP and protocols other than the ones below stop here.
 *   4  offset.l4_offset, ports (TCP/UDP/SCTP), tcp.flags (FIN..URG) / seq / ack.
 *      GRE counts as an L4 header (no ports).
 *   5  offset.payload_offset: end of the L4 header (TCP data offset, UDP 8,
 *      SCTP 12, ICMP 8, GRE with its optional fields); it may equal the end
 *      of the packet when the payload is empty. TCP with a data offset < 5 or
 *      cut options, and GRE of a version or layout not walked (PPTP, routing),
 *      give 4. Tunnels: GTPv1-U on UDP 2152 (TEID, inner IP of a G-PDU),
 *      GTP-C on 2123 (v1 TEID; v2 TEID when T=1), GRE key (K bit) and the
 *      inner IPv4/IPv6 packet, also behind transparent Ethernet bridging
 *      (0x6558). A GRE packet without key fills the tunneled fields but keeps
 *      tunnel_id NO_TUNNEL_ID; a TEID of 0xffffffff looks like no tunnel.
 *
 * The IPv4 total length / IPv6 payload length bound the parse (padding is not
 * L4) unless smaller than the IP header (0 in TSO captures): then ignored.
 * Offsets always fit their int16_t: every header walk is bounded, so the
 * deepest reachable offset is below 16.6 KB even in a 65535-byte frame.
 */
#define PF_PARSE_EINVAL (-2)
int pf_parse(const u8 *pkt, u32 caplen, u8 level, struct pkt_parsing_info *out);

#endif /* PF_CORE_PARSE_H */
