/*
 * tests/unit/pkt_build.h - small packet builders for the filtering tests:
 * Ethernet (optionally one 802.1Q tag), IPv4 or IPv6, then TCP, UDP or ICMP
 * (ICMPv6 on IPv6) with a payload, with correct IP/L4 lengths and an IPv4
 * header checksum. Frames shorter than PB_MIN_FRAME are zero-padded as on
 * the wire (the IP length fields keep the real length).
 *
 * Usage:
 *   struct pb_flow f = pb_tcp4(0x0a000001, 0x0a000002, 1234, 80);
 *   f.payload = "GET /"; f.plen = 5;
 *   u32 n = pb_build(buf, sizeof(buf), &f);     // 0 if it does not fit
 *   struct pb_flow r = pb_reverse(&f);          // the other direction
 */
#ifndef PF_TESTS_PKT_BUILD_H
#define PF_TESTS_PKT_BUILD_H

#include <stdint.h>
#include <string.h>

#define PB_MIN_FRAME 60
#define PB_PROTO_ICMP 1
#define PB_PROTO_TCP 6
#define PB_PROTO_UDP 17
#define PB_PROTO_ICMPV6 58

struct pb_flow {
	uint8_t dmac[6], smac[6];
	uint16_t vlan;            /* 0: untagged */
	uint8_t ipver;            /* 4 or 6; 0: an ARP-like non-IP frame */
	uint32_t src4, dst4;      /* host order */
	uint8_t src6[16], dst6[16];
	uint8_t proto;            /* PB_PROTO_* */
	uint16_t sport, dport;    /* TCP/UDP; ICMP: ignored */
	uint8_t tcp_flags;        /* default 0x18 (PSH|ACK) when 0 */
	const void *payload;
	uint32_t plen;
};

static inline void pb_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void pb_put32(uint8_t *p, uint32_t v)
{
	pb_put16(p, (uint16_t)(v >> 16));
	pb_put16(p + 2, (uint16_t)v);
}

static inline uint16_t pb_csum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0, i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static inline struct pb_flow pb_flow_base(uint8_t ipver, uint8_t proto)
{
	struct pb_flow f;

	memset(&f, 0, sizeof(f));
	memcpy(f.dmac, "\x02\x00\x00\x00\x00\x02", 6);
	memcpy(f.smac, "\x02\x00\x00\x00\x00\x01", 6);
	f.ipver = ipver;
	f.proto = proto;
	return f;
}

static inline struct pb_flow pb_ip4(uint8_t proto, uint32_t src, uint32_t dst,
				    uint16_t sport, uint16_t dport)
{
	struct pb_flow f = pb_flow_base(4, proto);

	f.src4 = src;
	f.dst4 = dst;
	f.sport = sport;
	f.dport = dport;
	return f;
}

static inline struct pb_flow pb_tcp4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	return pb_ip4(PB_PROTO_TCP, src, dst, sport, dport);
}

static inline struct pb_flow pb_udp4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	return pb_ip4(PB_PROTO_UDP, src, dst, sport, dport);
}

static inline struct pb_flow pb_icmp4(uint32_t src, uint32_t dst)
{
	return pb_ip4(PB_PROTO_ICMP, src, dst, 0, 0);
}

/* IPv6 hosts 2001:db8::<a> and 2001:db8::<b>. */
static inline struct pb_flow pb_ip6(uint8_t proto, uint8_t a, uint8_t b,
				    uint16_t sport, uint16_t dport)
{
	struct pb_flow f = pb_flow_base(6, proto);

	memcpy(f.src6, "\x20\x01\x0d\xb8", 4);
	memcpy(f.dst6, "\x20\x01\x0d\xb8", 4);
	f.src6[15] = a;
	f.dst6[15] = b;
	f.sport = sport;
	f.dport = dport;
	return f;
}

/* The same flow seen in the other direction. */
static inline struct pb_flow pb_reverse(const struct pb_flow *f)
{
	struct pb_flow r = *f;

	memcpy(r.dmac, f->smac, 6);
	memcpy(r.smac, f->dmac, 6);
	r.src4 = f->dst4;
	r.dst4 = f->src4;
	memcpy(r.src6, f->dst6, 16);
	memcpy(r.dst6, f->src6, 16);
	r.sport = f->dport;
	r.dport = f->sport;
	return r;
}

static inline uint32_t pb_l4_hlen(const struct pb_flow *f)
{
	return f->proto == PB_PROTO_TCP ? 20 : 8;
}

static inline uint32_t pb_l4(uint8_t *p, const struct pb_flow *f)
{
	uint32_t h = pb_l4_hlen(f);

	memset(p, 0, h);
	if (f->proto == PB_PROTO_TCP) {
		pb_put16(p, f->sport);
		pb_put16(p + 2, f->dport);
		pb_put32(p + 4, 1000);        /* seq */
		pb_put32(p + 8, 2000);        /* ack */
		p[12] = 5 << 4;               /* data offset: 5 words */
		p[13] = f->tcp_flags ? f->tcp_flags : 0x18;
		pb_put16(p + 14, 65535);      /* window */
	} else if (f->proto == PB_PROTO_UDP) {
		pb_put16(p, f->sport);
		pb_put16(p + 2, f->dport);
		pb_put16(p + 4, (uint16_t)(8 + f->plen));
	} else {
		p[0] = f->ipver == 6 ? 128 : 8;   /* echo request */
		pb_put16(p + 4, 1);               /* id */
		pb_put16(p + 6, 1);               /* seq */
	}
	if (f->plen)
		memcpy(p + h, f->payload, f->plen);
	return h + f->plen;
}

/* Build the frame into buf; returns its length (padded to PB_MIN_FRAME), or 0
 * if cap is too small. */
static inline uint32_t pb_build(uint8_t *buf, uint32_t cap, const struct pb_flow *f)
{
	uint32_t l2 = f->vlan ? 18 : 14, l3 = f->ipver == 6 ? 40 : 20;
	uint32_t l4 = pb_l4_hlen(f) + f->plen, n = l2 + l3 + l4;
	uint8_t *ip = buf + l2;

	if (f->ipver == 0)
		n = l2 + 28;
	if (cap < (n < PB_MIN_FRAME ? PB_MIN_FRAME : n))
		return 0;
	memset(buf, 0, n < PB_MIN_FRAME ? PB_MIN_FRAME : n);
	memcpy(buf, f->dmac, 6);
	memcpy(buf + 6, f->smac, 6);
	if (f->vlan) {
		pb_put16(buf + 12, 0x8100);
		pb_put16(buf + 14, f->vlan & 0x0fff);
	}
	if (f->ipver == 0) {
		pb_put16(buf + l2 - 2, 0x0806);     /* ARP: parses to L2 only */
		pb_put16(ip, 1);
		pb_put16(ip + 2, 0x0800);
		ip[4] = 6;
		ip[5] = 4;
		pb_put16(ip + 6, 1);
	} else if (f->ipver == 4) {
		pb_put16(buf + l2 - 2, 0x0800);
		ip[0] = 0x45;
		pb_put16(ip + 2, (uint16_t)(l3 + l4));
		pb_put16(ip + 4, 0x1234);
		ip[8] = 64;
		ip[9] = f->proto;
		pb_put32(ip + 12, f->src4);
		pb_put32(ip + 16, f->dst4);
		pb_put16(ip + 10, pb_csum(ip, 20));
		pb_l4(ip + l3, f);
	} else {
		struct pb_flow g = *f;

		if (g.proto == PB_PROTO_ICMP)
			g.proto = PB_PROTO_ICMPV6;
		pb_put16(buf + l2 - 2, 0x86dd);
		ip[0] = 0x60;
		pb_put16(ip + 4, (uint16_t)l4);
		ip[6] = g.proto;
		ip[7] = 64;
		memcpy(ip + 8, f->src6, 16);
		memcpy(ip + 24, f->dst6, 16);
		pb_l4(ip + l3, &g);
	}
	return n < PB_MIN_FRAME ? PB_MIN_FRAME : n;
}

/* Payload offset of a frame built from f (where the L4 payload starts). */
static inline uint32_t pb_payload_offset(const struct pb_flow *f)
{
	return (f->vlan ? 18u : 14u) + (f->ipver == 6 ? 40u : 20u) + pb_l4_hlen(f);
}

#endif /* PF_TESTS_PKT_BUILD_H */
