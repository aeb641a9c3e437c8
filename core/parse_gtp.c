/*
 * core/parse_gtp.c - GTPv1-U (user plane) and GTP-C (control plane) headers.
 *
 * GTPv1 header: flags (version 3 bits, PT, spare, E, S, PN), message type,
 * length (2), TEID (4); if any of E/S/PN is set: sequence (2), N-PDU (1), next
 * extension type (1). Each extension header is: length in 4-byte units (1),
 * content, next extension type (last byte); type 0 ends the chain.
 */
#include "parse_tunnel.h"

#define GTP_FLAGS_V1_GTP  0x30  /* version 1, protocol type GTP (not GTP') */
#define GTP_FLAGS_E       0x04
#define GTP_FLAGS_ESPN    0x07
#define GTP_MSG_GPDU      0xff  /* the only message that carries a user packet */
#define GTPV2_FLAG_T      0x08  /* GTPv2-C: a TEID is present */

/* Header length of a GTPv1 G-PDU at pkt[off..end), or 0 if cut or malformed. */
static u32 pf_gtpu_hlen(const u8 *pkt, u32 off, u32 end)
{
	const u8 *h = pkt + off;
	u32 avail = end - off, hl = 8, len;
	u8 next;
	int i;

	if (!(h[0] & GTP_FLAGS_ESPN))
		return hl;
	if (avail < 12)
		return 0;
	hl = 12;
	next = (h[0] & GTP_FLAGS_E) ? h[11] : 0;
	for (i = 0; next != 0; i++) {
		if (i == PF_PARSE_MAX_GTP_EXT || avail - hl < 1)
			return 0;
		len = (u32)h[hl] * 4;
		if (len == 0 || avail - hl < len)
			return 0;
		next = h[hl + len - 1];
		hl += len;
	}
	return hl;
}

static void pf_parse_gtpu(const u8 *pkt, u32 off, u32 end, struct pkt_parsing_info *out)
{
	const u8 *h = pkt + off;
	u32 hl;

	if ((h[0] & 0xf0) != GTP_FLAGS_V1_GTP)
		return;
	out->tunnel.tunnel_id = pf_load_be32(h + 4);
	if (h[1] != GTP_MSG_GPDU)
		return;
	hl = pf_gtpu_hlen(pkt, off, end);
	if (hl != 0)
		pf_parse_inner_ip(pkt, off + hl, end, 0, out);
}

static void pf_parse_gtpc(const u8 *pkt, u32 off, struct pkt_parsing_info *out)
{
	const u8 *h = pkt + off;

	if ((h[0] & 0xf0) == GTP_FLAGS_V1_GTP ||
	    ((h[0] >> 5) == 2 && (h[0] & GTPV2_FLAG_T)))
		out->tunnel.tunnel_id = pf_load_be32(h + 4);
}

void pf_parse_gtp(const u8 *pkt, u32 off, u32 end, struct pkt_parsing_info *out)
{
	u16 sp = out->l4_src_port, dp = out->l4_dst_port;

	if (off > end || end - off < 8)
		return;
	if (sp == PF_GTP_U_PORT || dp == PF_GTP_U_PORT)
		pf_parse_gtpu(pkt, off, end, out);
	else if (sp == PF_GTP_C_PORT || dp == PF_GTP_C_PORT)
		pf_parse_gtpc(pkt, off, out);
}
