/*
 * core/parse_l2.h - Ethernet header and stacked VLAN tags (parser internals).
 *
 * The per-layer steps of the parser are static inline: pf_parse() is on the
 * per-packet path, and calls across translation units cost it about half of
 * its speed.
 */
#ifndef PF_CORE_PARSE_L2_H
#define PF_CORE_PARSE_L2_H

#include "port.h"

#define PF_ETH_HLEN            14
#define PF_ETH_P_IPV4          0x0800
#define PF_ETH_P_IPV6          0x86DD
#define PF_ETH_P_8021Q         0x8100
#define PF_ETH_P_8021AD        0x88A8
#define PF_ETH_P_QINQ_OLD      0x9100   /* pre-802.1ad QinQ outer tag */
#define PF_ETH_P_TEB           0x6558   /* transparent Ethernet bridging (GRE) */

/* Tags beyond this depth are not walked (see pf_parse_eth). */
#define PF_PARSE_MAX_VLAN_TAGS 4

struct pf_l2 {
	u32 l3;        /* offset of the header after the tags */
	u32 vlan_off;  /* offset of the innermost tag's TCI, 0 = no tag */
	u16 eth_type;  /* type after the tags */
	u16 vlan_id;   /* innermost VID, 0 = untagged */
};

static inline int pf_is_vlan_tpid(u16 type)
{
	return type == PF_ETH_P_8021Q || type == PF_ETH_P_8021AD ||
	       type == PF_ETH_P_QINQ_OLD;
}

/*
 * Ethernet header at pkt[off..end) plus up to PF_PARSE_MAX_VLAN_TAGS tags
 * (0x8100, 0x88a8, 0x9100 in any order). Returns 0 when the 14-byte header is
 * cut, else 1 with *l2 filled. A tag cut short, or a tag deeper than the bound,
 * ends the walk: eth_type is then that tag's TPID, which no L3 parser accepts.
 */
static inline int pf_parse_eth(const u8 *pkt, u32 off, u32 end, struct pf_l2 *l2)
{
	u32 p;   /* offset of the current type field */
	u16 type;
	int i;

	if (off > end || end - off < PF_ETH_HLEN)
		return 0;
	p = off + 12;
	type = pf_load_be16(pkt + p);
	l2->vlan_id = 0;
	l2->vlan_off = 0;
	/* A tag is the TPID already read, then TCI (2) and the next type (2). */
	for (i = 0; i < PF_PARSE_MAX_VLAN_TAGS && pf_is_vlan_tpid(type); i++) {
		if (end - p < 6)
			break;
		l2->vlan_off = p + 2;
		l2->vlan_id = pf_load_be16(pkt + p + 2) & 0x0fff;
		p += 4;
		type = pf_load_be16(pkt + p);
	}
	l2->eth_type = type;
	l2->l3 = p + 2;
	return 1;
}

#endif /* PF_CORE_PARSE_L2_H */
