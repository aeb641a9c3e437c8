/*
 * core/parse_tunnel.h - GTP and GRE tunnels, and the packet they carry (parser internals).
 *
 * Tunnel fields are only filled at level 5. tunnel.tunnel_id is set as soon as
 * the tunnel header holding it is valid; the tunneled_* fields only when the
 * inner IP header is valid (tunneled ports when the inner L4 header is there
 * and the inner packet is not a non-first fragment). The inner packet's
 * offsets are not stored.
 */
#ifndef PF_CORE_PARSE_TUNNEL_H
#define PF_CORE_PARSE_TUNNEL_H

#include "port.h"
#include <linux/pf_ring.h>

#define PF_GTP_U_PORT 2152
#define PF_GTP_C_PORT 2123

/* GTP extension headers (and GTP-U's) followed before giving up on the inner packet. */
#define PF_PARSE_MAX_GTP_EXT 8

/* Largest GRE header we step over: base, checksum, key, sequence. */
#define PF_GRE_MAX_HLEN 16

/*
 * UDP payload at pkt[off..end) of a packet whose ports are already in *out:
 * GTPv1-U (port 2152, either side) gives its TEID and, for a G-PDU, the inner
 * IPv4/IPv6 packet; GTP-C (port 2123) gives the TEID of GTPv1-C, and of
 * GTPv2-C when its T flag says one is present. Anything else is left alone.
 */
void pf_parse_gtp(const u8 *pkt, u32 off, u32 end, struct pkt_parsing_info *out);

/*
 * GRE header at pkt[off..end) (its 4 base bytes are known to be there).
 * Returns the offset of the GRE payload, or 0 when the header is cut or of a
 * layout we do not walk (version != 0, e.g. PPTP; the RFC 1701 routing bit).
 * Fills tunnel_id from the key (if the K bit is set) and the tunneled fields
 * from an inner IPv4/IPv6 packet or, for 0x6558, an inner Ethernet frame.
 */
u32 pf_parse_gre(const u8 *pkt, u32 off, u32 end, struct pkt_parsing_info *out);

/*
 * Inner packet at pkt[off..end) -> tunnel.tunneled_* fields. eth_type says
 * what it is (0x0800 / 0x86DD); 0 means "IP, look at the version nibble" (GTP).
 */
void pf_parse_inner_ip(const u8 *pkt, u32 off, u32 end, u16 eth_type,
		       struct pkt_parsing_info *out);

#endif /* PF_CORE_PARSE_TUNNEL_H */
