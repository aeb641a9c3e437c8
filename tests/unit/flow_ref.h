/*
 * tests/unit/flow_ref.h - the tests' own flow key of a frame, written apart from
 * core/parse.c (the code under test): Ethernet, at most one 802.1Q tag, IPv4
 * (any IHL) or IPv6 (no extension headers), TCP or UDP ports. Both directions
 * of a flow give one key (the lower endpoint first); the VLAN tag is not part of
 * it (a 5-tuple). Enough for the fixtures made for cluster tests
 * (interleaved_flows.pcap, many_flows.pcap); anything else is "no key".
 */
#ifndef PF_TEST_FLOW_REF_H
#define PF_TEST_FLOW_REF_H

#include <stdint.h>
#include <string.h>

struct flow_ref_key {
	uint8_t proto;
	uint8_t lo[18], hi[18];   /* address (16, IPv4 zero-padded) + port, wire order */
};

/* 1 and *k, or 0 when the frame is not one the reference knows. */
static inline int flow_ref_key(const uint8_t *d, uint32_t caplen, struct flow_ref_key *k)
{
	uint8_t a[18], b[18];
	uint32_t off = 12, l4;
	uint16_t type;

	if (caplen < 14)
		return 0;
	type = (uint16_t)(d[12] << 8 | d[13]);
	if (type == 0x8100) {
		if (caplen < 18)
			return 0;
		type = (uint16_t)(d[16] << 8 | d[17]);
		off += 4;
	}
	off += 2;   /* the network header */
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(k, 0, sizeof(*k));
	if (type == 0x0800 && caplen >= off + 20) {
		k->proto = d[off + 9];
		memcpy(a, d + off + 12, 4);
		memcpy(b, d + off + 16, 4);
		l4 = off + (uint32_t)(d[off] & 0x0f) * 4;
	} else if (type == 0x86dd && caplen >= off + 40) {
		k->proto = d[off + 6];
		memcpy(a, d + off + 8, 16);
		memcpy(b, d + off + 24, 16);
		l4 = off + 40;
	} else {
		return 0;
	}
	if ((k->proto != 6 && k->proto != 17) || caplen < l4 + 4)
		return 0;
	memcpy(a + 16, d + l4, 2);
	memcpy(b + 16, d + l4 + 2, 2);
	if (memcmp(a, b, sizeof(a)) <= 0) {
		memcpy(k->lo, a, sizeof(a));
		memcpy(k->hi, b, sizeof(b));
	} else {
		memcpy(k->lo, b, sizeof(b));
		memcpy(k->hi, a, sizeof(a));
	}
	return 1;
}

#endif /* PF_TEST_FLOW_REF_H */
