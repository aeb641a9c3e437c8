/*
 * tests/fuzz/fuzz_parse.c - libFuzzer target for pf_parse().
 *
 * The input is one frame. It is parsed from an exactly-sized heap copy (so
 * ASan flags any read at or after caplen) at every level 2..5, and each
 * result must keep the parser's promises; a broken promise traps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static int ip_zero(const ip_addr *a)
{
	static const ip_addr zero;

	return memcmp(a, &zero, sizeof(zero)) == 0;
}

static void check_one(const u8 *pkt, u32 caplen, int level, int r,
		      const struct pkt_parsing_info *p, const struct pkt_parsing_info *full)
{
	CHECK(r == 0 || (r >= 2 && r <= 5));
	CHECK(r <= level);
	CHECK((r == 0) == (caplen < 14));
	CHECK(p->offset.eth_offset == 0);
	CHECK(p->last_matched_plugin_id == 0 && p->last_matched_rule_id == 0);
	if (r == 0) {
		CHECK(p->eth_type == 0 && p->tunnel.tunnel_id == NO_TUNNEL_ID);
		return;
	}
	CHECK(memcmp(p->dmac, pkt, 6) == 0 && memcmp(p->smac, pkt + 6, 6) == 0);
	CHECK(p->vlan_id <= 0x0fff);
	CHECK(p->offset.vlan_offset >= 0);
	CHECK(p->offset.vlan_offset == 0 ||
	      (p->offset.vlan_offset >= 14 && (u32)p->offset.vlan_offset + 4 <= caplen));
	CHECK(p->vlan_id == 0 || p->offset.vlan_offset != 0);

	/* L3 fields iff L3 reached */
	CHECK((r >= 3) == (p->offset.l3_offset != 0));
	if (r >= 3) {
		CHECK(p->ip_version == 4 || p->ip_version == 6);
		CHECK(p->eth_type == (p->ip_version == 4 ? 0x0800 : 0x86DD));
		CHECK(p->offset.l3_offset >= 14 &&
		      (u32)p->offset.l3_offset + (p->ip_version == 4 ? 20 : 40) <= caplen);
		CHECK(pkt[p->offset.l3_offset] >> 4 == p->ip_version);
	} else {
		CHECK(p->ip_version == 0 && p->l3_proto == 0 && p->ip_tos == 0);
		CHECK(ip_zero(&p->ip_src) && ip_zero(&p->ip_dst));
	}
	/* L4 fields iff L4 reached */
	CHECK((r >= 4) == (p->offset.l4_offset != 0));
	if (r >= 4) {
		CHECK(p->offset.l4_offset > p->offset.l3_offset);
		CHECK((u32)p->offset.l4_offset + 4 <= caplen);
	} else {
		CHECK(p->l4_src_port == 0 && p->l4_dst_port == 0);
		CHECK(p->tcp.flags == 0 && p->tcp.seq_num == 0 && p->tcp.ack_num == 0);
	}
	CHECK((p->tcp.flags & 0xc0) == 0);
	if (p->l3_proto != 6)
		CHECK(p->tcp.flags == 0 && p->tcp.seq_num == 0 && p->tcp.ack_num == 0);
	/* payload and tunnels iff level 5 */
	CHECK((r == 5) == (p->offset.payload_offset != 0));
	if (r == 5) {
		CHECK(p->offset.payload_offset > p->offset.l4_offset);
		CHECK((u32)p->offset.payload_offset <= caplen);
	} else {
		CHECK(p->tunnel.tunnel_id == NO_TUNNEL_ID && p->tunnel.tunneled_proto == 0);
		CHECK(ip_zero(&p->tunnel.tunneled_ip_src) && ip_zero(&p->tunnel.tunneled_ip_dst));
		CHECK(p->tunnel.tunneled_l4_src_port == 0 && p->tunnel.tunneled_l4_dst_port == 0);
	}
	if (r >= 2 && r < 5 && full) {
		/* what a lower level reached matches the level-5 parse */
		CHECK(p->eth_type == full->eth_type && p->vlan_id == full->vlan_id);
		if (r >= 3)
			CHECK(p->offset.l3_offset == full->offset.l3_offset &&
			      p->l3_proto == full->l3_proto &&
			      memcmp(&p->ip_src, &full->ip_src, sizeof(ip_addr)) == 0);
		if (r >= 4)
			CHECK(p->offset.l4_offset == full->offset.l4_offset &&
			      p->l4_src_port == full->l4_src_port &&
			      p->l4_dst_port == full->l4_dst_port);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_parsing_info full, p;
	u8 *pkt;
	int level, rfull, r;

	if (size > 65535)
		return 0;
	pkt = malloc(size ? size : 1);
	if (!pkt)
		return 0;
	memcpy(pkt, data, size);

	rfull = pf_parse(pkt, (u32)size, PF_RING_PARSE_L5, &full);
	check_one(pkt, (u32)size, 5, rfull, &full, NULL);
	for (level = PF_RING_PARSE_L2; level < PF_RING_PARSE_L5; level++) {
		r = pf_parse(pkt, (u32)size, (u8)level, &p);
		CHECK(r == (rfull < level ? rfull : level));
		check_one(pkt, (u32)size, level, r, &p, &full);
	}
	CHECK(pf_parse(pkt, (u32)size, 1, &p) == PF_PARSE_EINVAL);
	free(pkt);
	return 0;
}
