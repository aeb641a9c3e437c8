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
 * Negative (PF_PARSE_EINVAL) only for invalid arguments (NULL, level < 2).
 * Never reads pkt[caplen] or beyond: a truncated or malformed packet parses as
 * far as it is valid.
 */
#define PF_PARSE_EINVAL (-2)
int pf_parse(const u8 *pkt, u32 caplen, u8 level, struct pkt_parsing_info *out);

#endif /* PF_CORE_PARSE_H */
