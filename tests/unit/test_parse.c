/*
 * tests/unit/test_parse.c - pf_parse() on the scapy fixtures and hand-made frames.
 *
 * The expected values mirror tests/fixtures/make_fixtures.py packet by packet.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "core/parse.h"

/* ------------------------------------------------------------------ helpers */

struct frame {
	u8 *data;
	u32 len;
};

struct capture {
	struct frame *f;
	size_t n;
};

static void cap_load(const char *name, struct capture *c)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t cap = 0;
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, name);
	p = pcap_open_offline(path, err);
	if (!p) {
		print_error("cannot open %s: %s\n", path, err);
		fail();
	}
	c->f = NULL;
	c->n = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (c->n == cap) {
			cap = cap ? cap * 2 : 64;
			c->f = realloc(c->f, cap * sizeof(*c->f));
			assert_non_null(c->f);
		}
		c->f[c->n].len = h->caplen;
		c->f[c->n].data = malloc(h->caplen ? h->caplen : 1);
		assert_non_null(c->f[c->n].data);
		memcpy(c->f[c->n].data, d, h->caplen);
		c->n++;
	}
	pcap_close(p);
}

static void cap_free(struct capture *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->f[i].data);
	free(c->f);
	c->f = NULL;
	c->n = 0;
}

/* Comparison with context: which packet, which field, both values. */
#define EQ(where, a, b) do {                                                   \
	unsigned long long a_ = (unsigned long long)(a);                       \
	unsigned long long b_ = (unsigned long long)(b);                       \
	if (a_ != b_) {                                                        \
		print_error("%s: %s = %llu (0x%llx), expected %llu (0x%llx)\n",  \
			    (where), #a, a_, a_, b_, b_);                      \
		fail();                                                        \
	}                                                                      \
} while (0)

static const u8 DMAC[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const u8 SMAC[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };

/* An address as the parser stores it: IPv4 host order in .v4, IPv6 wire bytes. */
static ip_addr addr(const char *s)
{
	ip_addr a;
	struct in_addr a4;

	memset(&a, 0, sizeof(a));
	if (!s)
		return a;
	if (strchr(s, ':')) {
		assert_int_equal(inet_pton(AF_INET6, s, &a.v6), 1);
	} else {
		assert_int_equal(inet_pton(AF_INET, s, &a4), 1);
		a.v4 = ntohl(a4.s_addr);
	}
	return a;
}

static void addr_eq(const char *where, const char *field, const ip_addr *got, const char *want)
{
	ip_addr w = addr(want);

	if (memcmp(got, &w, sizeof(w)) != 0) {
		char g[INET6_ADDRSTRLEN] = "?";

		inet_ntop(AF_INET6, got, g, sizeof(g));
		print_error("%s: %s = %s (v4 0x%08x), expected %s\n", where, field, g,
			    got->v4, want ? want : "zero");
		fail();
	}
}

/* What one fixture packet must parse to at level 5. Unset fields are 0;
 * .tun = 1 says tunnel_id is .tid (else NO_TUNNEL_ID). */
struct expect {
	int ret;
	u16 eth_type, vlan_id;
	int vlan_off, l3, l4, pay;
	u8 ipv, proto, tos;
	const char *src, *dst;
	u16 sport, dport;
	u8 flags;
	u32 seq, ack;
	int tun;
	u32 tid;
	u8 tproto;
	const char *tsrc, *tdst;
	u16 tsport, tdport;
	int no_macs;   /* frame too short for MAC addresses */
};

static void check_expect(const char *where, const struct pkt_parsing_info *pi, int ret,
			 const struct expect *e)
{
	EQ(where, ret, e->ret);
	if (e->no_macs) {
		static const u8 zero[6];

		assert_memory_equal(pi->dmac, zero, 6);
		assert_memory_equal(pi->smac, zero, 6);
	} else {
		assert_memory_equal(pi->dmac, DMAC, 6);
		assert_memory_equal(pi->smac, SMAC, 6);
	}
	EQ(where, pi->eth_type, e->eth_type);
	EQ(where, pi->vlan_id, e->vlan_id);
	EQ(where, pi->offset.eth_offset, 0);
	EQ(where, pi->offset.vlan_offset, e->vlan_off);
	EQ(where, pi->offset.l3_offset, e->l3);
	EQ(where, pi->offset.l4_offset, e->l4);
	EQ(where, pi->offset.payload_offset, e->pay);
	EQ(where, pi->ip_version, e->ipv);
	EQ(where, pi->l3_proto, e->proto);
	EQ(where, pi->ip_tos, e->tos);
	addr_eq(where, "ip_src", &pi->ip_src, e->src);
	addr_eq(where, "ip_dst", &pi->ip_dst, e->dst);
	EQ(where, pi->l4_src_port, e->sport);
	EQ(where, pi->l4_dst_port, e->dport);
	EQ(where, pi->tcp.flags, e->flags);
	EQ(where, pi->tcp.seq_num, e->seq);
	EQ(where, pi->tcp.ack_num, e->ack);
	EQ(where, pi->tunnel.tunnel_id, e->tun ? e->tid : NO_TUNNEL_ID);
	EQ(where, pi->tunnel.tunneled_proto, e->tproto);
	addr_eq(where, "tunneled_ip_src", &pi->tunnel.tunneled_ip_src, e->tsrc);
	addr_eq(where, "tunneled_ip_dst", &pi->tunnel.tunneled_ip_dst, e->tdst);
	EQ(where, pi->tunnel.tunneled_l4_src_port, e->tsport);
	EQ(where, pi->tunnel.tunneled_l4_dst_port, e->tdport);
	EQ(where, pi->last_matched_plugin_id, 0);
	EQ(where, pi->last_matched_rule_id, 0);
}

/* Field-by-field equality of two parse results. */
static void same_info(const char *where, const struct pkt_parsing_info *a,
		      const struct pkt_parsing_info *b)
{
	assert_memory_equal(a->dmac, b->dmac, 6);
	assert_memory_equal(a->smac, b->smac, 6);
	EQ(where, a->eth_type, b->eth_type);
	EQ(where, a->vlan_id, b->vlan_id);
	EQ(where, a->ip_version, b->ip_version);
	EQ(where, a->l3_proto, b->l3_proto);
	EQ(where, a->ip_tos, b->ip_tos);
	assert_memory_equal(&a->ip_src, &b->ip_src, sizeof(ip_addr));
	assert_memory_equal(&a->ip_dst, &b->ip_dst, sizeof(ip_addr));
	EQ(where, a->l4_src_port, b->l4_src_port);
	EQ(where, a->l4_dst_port, b->l4_dst_port);
	EQ(where, a->tcp.flags, b->tcp.flags);
	EQ(where, a->tcp.seq_num, b->tcp.seq_num);
	EQ(where, a->tcp.ack_num, b->tcp.ack_num);
	EQ(where, a->tunnel.tunnel_id, b->tunnel.tunnel_id);
	EQ(where, a->tunnel.tunneled_proto, b->tunnel.tunneled_proto);
	assert_memory_equal(&a->tunnel.tunneled_ip_src, &b->tunnel.tunneled_ip_src, sizeof(ip_addr));
	assert_memory_equal(&a->tunnel.tunneled_ip_dst, &b->tunnel.tunneled_ip_dst, sizeof(ip_addr));
	EQ(where, a->tunnel.tunneled_l4_src_port, b->tunnel.tunneled_l4_src_port);
	EQ(where, a->tunnel.tunneled_l4_dst_port, b->tunnel.tunneled_l4_dst_port);
	EQ(where, a->last_matched_plugin_id, b->last_matched_plugin_id);
	EQ(where, a->last_matched_rule_id, b->last_matched_rule_id);
	EQ(where, a->offset.eth_offset, b->offset.eth_offset);
	EQ(where, a->offset.vlan_offset, b->offset.vlan_offset);
	EQ(where, a->offset.l3_offset, b->offset.l3_offset);
	EQ(where, a->offset.l4_offset, b->offset.l4_offset);
	EQ(where, a->offset.payload_offset, b->offset.payload_offset);
}

/* A level-5 result with everything above `level` cleared: what a parse
 * stopped at `level` must give. */
static void mask_to_level(struct pkt_parsing_info *p, int level)
{
	if (level < 3) {
		p->ip_version = p->l3_proto = p->ip_tos = 0;
		memset(&p->ip_src, 0, sizeof(p->ip_src));
		memset(&p->ip_dst, 0, sizeof(p->ip_dst));
		p->offset.l3_offset = 0;
	}
	if (level < 4) {
		p->l4_src_port = p->l4_dst_port = 0;
		memset(&p->tcp, 0, sizeof(p->tcp));
		p->offset.l4_offset = 0;
	}
	if (level < 5) {
		memset(&p->tunnel, 0, sizeof(p->tunnel));
		p->tunnel.tunnel_id = NO_TUNNEL_ID;
		p->offset.payload_offset = 0;
	}
}

/* Parse every packet of `name` and compare with exp[] (n entries); also the
 * lower levels, which must give the level-5 result masked. */
static void check_file(const char *name, const struct expect *exp, size_t n)
{
	struct capture c;
	size_t i;
	int lvl;

	cap_load(name, &c);
	EQ(name, c.n, n);
	for (i = 0; i < n; i++) {
		struct pkt_parsing_info full, lo;
		char where[96];
		int r;

		snprintf(where, sizeof(where), "%s #%zu", name, i);
		r = pf_parse(c.f[i].data, c.f[i].len, PF_RING_PARSE_L5, &full);
		check_expect(where, &full, r, &exp[i]);
		for (lvl = PF_RING_PARSE_L2; lvl < PF_RING_PARSE_L5; lvl++) {
			snprintf(where, sizeof(where), "%s #%zu level %d", name, i, lvl);
			EQ(where, pf_parse(c.f[i].data, c.f[i].len, (u8)lvl, &lo),
			   r < lvl ? r : lvl);
			{
				struct pkt_parsing_info m = full;

				mask_to_level(&m, lvl);
				same_info(where, &lo, &m);
			}
		}
	}
	cap_free(&c);
}

#define CHECK_FILE(name, exp) check_file(name, exp, sizeof(exp) / sizeof(exp[0]))

/* Common shapes. */
#define IP4_AT(at, s, d) .eth_type = 0x0800, .l3 = at, .ipv = 4, .src = s, .dst = d
#define IP6_AT(at, s, d) .eth_type = 0x86DD, .l3 = at, .ipv = 6, .src = s, .dst = d
#define IP4(s, d) IP4_AT(14, s, d)
#define IP6(s, d) IP6_AT(14, s, d)
#define TCP_(sp, dp, fl, sq, ak) .proto = 6, .sport = sp, .dport = dp, .flags = fl, \
			     .seq = sq, .ack = ak
#define UDP_(sp, dp) .proto = 17, .sport = sp, .dport = dp

/* ------------------------------------------------------------------ fixtures */

static void test_ipv4_tcp(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4("10.0.0.1", "10.0.0.2"), .l4 = 34, .pay = 66,
		  TCP_(40000, 80, 0x02, 1000, 0) },
		{ .ret = 5, IP4("10.0.0.2", "10.0.0.1"), .l4 = 34, .pay = 54,
		  TCP_(80, 40000, 0x12, 5000, 1001) },
		{ .ret = 5, IP4("10.0.0.1", "10.0.0.2"), .tos = 0x10, .l4 = 34, .pay = 54,
		  TCP_(40000, 80, 0x18, 1001, 5001) },
		{ .ret = 5, IP4("10.0.0.1", "10.0.0.2"), .l4 = 34, .pay = 54,
		  TCP_(40000, 80, 0x11, 1019, 5001) },
		{ .ret = 5, IP4("172.31.255.254", "1.2.3.4"), .l4 = 34, .pay = 54,
		  TCP_(65535, 1, 0x04, 0xFFFFFFF0u, 0x80000001u) },
	};
	(void)state;
	CHECK_FILE("ipv4_tcp.pcap", e);
}

static void test_ipv4_udp(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4("192.168.1.10", "224.0.0.251"), .tos = 0xB8, .l4 = 34,
		  .pay = 42, UDP_(5353, 5353) },
		{ .ret = 5, IP4("10.1.2.3", "10.3.2.1"), .l4 = 34, .pay = 42, UDP_(53, 33000) },
		{ .ret = 5, IP4("10.0.0.9", "10.0.0.10"), .l4 = 34, .pay = 42, UDP_(7, 7) },
	};
	(void)state;
	CHECK_FILE("ipv4_udp.pcap", e);
}

static void test_ipv4_icmp(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4("10.0.0.1", "8.8.8.8"), .proto = 1, .l4 = 34, .pay = 42 },
		{ .ret = 5, IP4("8.8.8.8", "10.0.0.1"), .proto = 1, .l4 = 34, .pay = 42 },
		{ .ret = 5, IP4("8.8.8.8", "10.0.0.1"), .proto = 1, .l4 = 34, .pay = 42 },
	};
	(void)state;
	CHECK_FILE("ipv4_icmp.pcap", e);
}

static void test_ipv4_options(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4("10.0.1.1", "10.0.1.2"), .l4 = 38, .pay = 58,
		  TCP_(1111, 2222, 0x10, 11, 22) },
		{ .ret = 5, IP4("10.0.1.3", "10.0.1.4"), .l4 = 46, .pay = 54, UDP_(3333, 4444) },
		{ .ret = 5, IP4("10.0.1.5", "10.0.1.6"), .l4 = 74, .pay = 94,
		  TCP_(5555, 6666, 0x18, 33, 44) },
	};
	(void)state;
	CHECK_FILE("ipv4_options.pcap", e);
}

static void test_ipv4_fragments(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4("10.0.0.1", "10.0.0.2"), .l4 = 34, .pay = 42, UDP_(1111, 2222) },
		{ .ret = 3, IP4("10.0.0.1", "10.0.0.2"), .proto = 17 },
		{ .ret = 3, IP4("10.0.0.1", "10.0.0.2"), .proto = 17 },
		{ .ret = 3, IP4("10.0.0.1", "10.0.0.2"), .proto = 6 },
		{ .ret = 5, IP4("10.0.0.1", "10.0.0.2"), .l4 = 34, .pay = 54,
		  TCP_(3333, 4444, 0x10, 1, 2) },
	};
	(void)state;
	CHECK_FILE("ipv4_fragments.pcap", e);
}

#define A6 "2001:db8::1"
#define B6 "2001:db8::2"

static void test_ipv6_tcp(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP6(A6, B6), .tos = 0x28, .l4 = 54, .pay = 74,
		  TCP_(50000, 443, 0x02, 7, 0) },
		{ .ret = 5, IP6(B6, A6), .l4 = 54, .pay = 74, TCP_(443, 50000, 0x12, 900, 8) },
		{ .ret = 5, IP6(A6, B6), .tos = 0xFF, .l4 = 54, .pay = 74,
		  TCP_(50000, 443, 0x18, 8, 901) },
	};
	(void)state;
	CHECK_FILE("ipv6_tcp.pcap", e);
}

static void test_ipv6_ext_headers(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP6(A6, B6), .l4 = 62, .pay = 82, TCP_(1000, 2000, 0x10, 10, 20) },
		{ .ret = 5, IP6(A6, B6), .l4 = 78, .pay = 86, UDP_(3000, 4000) },
		{ .ret = 5, IP6(A6, B6), .l4 = 70, .pay = 90, TCP_(1000, 2000, 0x10, 10, 20) },
		{ .ret = 5, IP6(A6, B6), .l4 = 62, .pay = 70, UDP_(3000, 4000) },
		{ .ret = 3, IP6(A6, B6), .proto = 17 },            /* non-first fragment */
		{ .ret = 5, IP6(A6, B6), .l4 = 78, .pay = 98, TCP_(1000, 2000, 0x10, 10, 20) },
		{ .ret = 3, IP6(A6, B6), .proto = 50 },            /* ESP */
		{ .ret = 5, IP6(A6, B6), .l4 = 134, .pay = 142, UDP_(3000, 4000) },
		{ .ret = 5, IP6(A6, B6), .l4 = 118, .pay = 138, TCP_(1000, 2000, 0x10, 10, 20) },
		{ .ret = 3, IP6(A6, B6), .proto = 60 },            /* 9 headers: over the bound */
		{ .ret = 3, IP6(A6, B6), .proto = 59 },            /* no next header */
		{ .ret = 5, IP6(A6, B6), .proto = 58, .l4 = 62, .pay = 70 },
	};
	(void)state;
	CHECK_FILE("ipv6_ext_headers.pcap", e);
}

static void test_vlan(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4_AT(18, "10.0.2.1", "10.0.2.2"), .vlan_id = 100, .vlan_off = 14,
		  .l4 = 38, .pay = 58, TCP_(1234, 80, 0x10, 1, 1) },
		{ .ret = 5, IP6_AT(18, A6, B6), .vlan_id = 4095, .vlan_off = 14, .l4 = 58,
		  .pay = 66, UDP_(546, 547) },
		{ .ret = 5, IP4_AT(18, "10.0.2.3", "10.0.2.4"), .vlan_id = 0, .vlan_off = 14,
		  .l4 = 38, .pay = 46, UDP_(9, 9) },
		{ .ret = 2, .eth_type = 0x0806, .vlan_id = 200, .vlan_off = 14 },
		{ .ret = 2, .eth_type = 0x0806 },
		{ .ret = 5, IP4_AT(18, "10.0.2.9", "10.0.2.10"), .vlan_id = 10, .vlan_off = 14,
		  .l4 = 38, .pay = 46, UDP_(10, 20) },
	};
	(void)state;
	CHECK_FILE("vlan.pcap", e);
}

static void test_qinq(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4_AT(22, "10.0.3.1", "10.0.3.2"), .vlan_id = 42, .vlan_off = 18,
		  .l4 = 42, .pay = 50, UDP_(67, 68) },
		{ .ret = 5, IP6_AT(22, A6, B6), .vlan_id = 8, .vlan_off = 18, .l4 = 62,
		  .pay = 82, TCP_(4321, 22, 0x10, 5, 6) },
		{ .ret = 5, IP4_AT(26, "10.0.3.1", "10.0.3.2"), .vlan_id = 3, .vlan_off = 22,
		  .l4 = 46, .pay = 66, TCP_(4321, 22, 0x10, 5, 6) },
		{ .ret = 5, IP4_AT(30, "10.0.3.1", "10.0.3.2"), .vlan_id = 14, .vlan_off = 26,
		  .l4 = 50, .pay = 58, UDP_(67, 68) },
		/* five tags: the walk stops after four, at the fifth TPID */
		{ .ret = 2, .eth_type = 0x8100, .vlan_id = 24, .vlan_off = 26 },
		{ .ret = 5, IP4_AT(18, "10.0.3.1", "10.0.3.2"), .vlan_id = 500, .vlan_off = 14,
		  .l4 = 38, .pay = 46, UDP_(67, 68) },
	};
	(void)state;
	CHECK_FILE("qinq.pcap", e);
}

static void test_sctp(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, IP4("10.0.4.1", "10.0.4.2"), .proto = 132, .sport = 5000,
		  .dport = 38412, .l4 = 34, .pay = 46 },
		{ .ret = 5, IP6(A6, B6), .proto = 132, .sport = 36412, .dport = 2905, .l4 = 54,
		  .pay = 66 },
	};
	(void)state;
	CHECK_FILE("sctp.pcap", e);
}

#define GTP4(sp, dp) IP4("192.0.2.1", "192.0.2.2"), .l4 = 34, .pay = 42, UDP_(sp, dp)

static void test_gtpu(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0x11223344, .tproto = 6,
		  .tsrc = "10.10.0.1", .tdst = "10.20.0.1", .tsport = 1234, .tdport = 80 },
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0xDEADBEEF, .tproto = 17,
		  .tsrc = "2001:db8:1::1", .tdst = "2001:db8:2::2", .tsport = 5000, .tdport = 53 },
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 1, .tproto = 17,
		  .tsrc = "10.10.0.2", .tdst = "10.20.0.2", .tsport = 2000, .tdport = 3000 },
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0x00ABCDEF, .tproto = 6,
		  .tsrc = "2001:db8:1::3", .tdst = "2001:db8:2::4", .tsport = 6000, .tdport = 443 },
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0 },          /* echo request */
		{ .ret = 5, GTP4(2152, 40000), .tun = 1, .tid = 0x55, .tproto = 1,
		  .tsrc = "10.10.0.5", .tdst = "10.20.0.5" },
		{ .ret = 5, IP6("2001:db8:f::1", "2001:db8:f::2"), .l4 = 54, .pay = 62,
		  UDP_(2152, 2152), .tun = 1, .tid = 0xCAFEF00D, .tproto = 17,
		  .tsrc = "10.10.0.2", .tdst = "10.20.0.2", .tsport = 2000, .tdport = 3000 },
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0x66, .tproto = 17,
		  .tsrc = "10.10.0.6", .tdst = "10.20.0.6" },              /* inner fragment */
		{ .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0xFFFFFFFF, .tproto = 17,
		  .tsrc = "10.10.0.2", .tdst = "10.20.0.2", .tsport = 2000, .tdport = 3000 },
	};
	(void)state;
	CHECK_FILE("gtpu.pcap", e);
}

static void test_gtpc(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, GTP4(2123, 2123), .tun = 1, .tid = 0x0A0B0C0D },
		{ .ret = 5, GTP4(2123, 2123), .tun = 1, .tid = 0x01020304 },   /* GTPv2-C, T=1 */
		{ .ret = 5, GTP4(2123, 2123) },                                /* GTPv2-C, T=0 */
		{ .ret = 5, GTP4(2123, 50000), .tun = 1, .tid = 0x77 },
	};
	(void)state;
	CHECK_FILE("gtpc.pcap", e);
}

#define GRE4 IP4("172.16.0.1", "172.16.0.2"), .proto = 47, .l4 = 34

static void test_gre_key(void **state)
{
	static const struct expect e[] = {
		{ .ret = 5, GRE4, .pay = 42, .tun = 1, .tid = 0x1000, .tproto = 17,
		  .tsrc = "10.0.5.1", .tdst = "10.0.5.2", .tsport = 1000, .tdport = 2000 },
		{ .ret = 5, GRE4, .pay = 42, .tun = 1, .tid = 0xFFFFFF00, .tproto = 6,
		  .tsrc = "2001:db8:5::1", .tdst = "2001:db8:5::2", .tsport = 3000, .tdport = 4000 },
		{ .ret = 5, GRE4, .pay = 50, .tun = 1, .tid = 42, .tproto = 6,
		  .tsrc = "10.0.5.3", .tdst = "10.0.5.4", .tsport = 5000, .tdport = 6000 },
		{ .ret = 5, GRE4, .pay = 38, .tproto = 17,                     /* no key */
		  .tsrc = "10.0.5.1", .tdst = "10.0.5.2", .tsport = 1000, .tdport = 2000 },
		{ .ret = 5, IP6("2001:db8:e::1", "2001:db8:e::2"), .proto = 47, .l4 = 54,
		  .pay = 62, .tun = 1, .tid = 77, .tproto = 1, .tsrc = "10.0.5.5",
		  .tdst = "10.0.5.6" },
		{ .ret = 5, GRE4, .pay = 42, .tun = 1, .tid = 5, .tproto = 17,   /* TEB */
		  .tsrc = "10.0.5.7", .tdst = "10.0.5.8", .tsport = 7000, .tdport = 8000 },
		{ .ret = 4, GRE4 },                                            /* PPTP */
		{ .ret = 4, GRE4 },                                            /* routing bit */
		{ .ret = 5, GRE4, .pay = 42, .tun = 1, .tid = 9 },             /* ARP inside */
	};
	(void)state;
	CHECK_FILE("gre_key.pcap", e);
}

static void test_malformed(void **state)
{
	static const struct expect e[] = {
		/* 0 */ { .ret = 0, .no_macs = 1 },
		/* 1 */ { .ret = 2, .eth_type = 0x0800 },
		/* 2 */ { .ret = 2, .eth_type = 0x8100 },
		/* 3 */ { .ret = 2, .eth_type = 0x0800 },
		/* 4 */ { .ret = 2, .eth_type = 0x0800 },
		/* 5 */ { .ret = 2, .eth_type = 0x0800 },
		/* 6 */ { .ret = 2, .eth_type = 0x0800 },
		/* 7 */ { .ret = 2, .eth_type = 0x86DD },
		/* 8 */ { .ret = 2, .eth_type = 0x86DD },
		/* 9 */ { .ret = 3, IP4("10.0.6.1", "10.0.6.2"), .proto = 6 },
		/* 10 */ { .ret = 4, IP4("10.0.6.1", "10.0.6.2"), .l4 = 34, TCP_(1, 2, 0x10, 3, 4) },
		/* 11 */ { .ret = 4, IP4("10.0.6.1", "10.0.6.2"), .l4 = 34, TCP_(1, 2, 0x10, 3, 4) },
		/* 12 */ { .ret = 3, IP4("10.0.6.3", "10.0.6.4"), .proto = 17 },
		/* 13 */ { .ret = 3, IP6(A6, B6), .proto = 0 },
		/* 14 */ { .ret = 3, IP6(A6, B6), .proto = 51 },
		/* 15 */ { .ret = 5, IP6(A6, B6), .l4 = 70, .pay = 90, TCP_(11, 12, 0x10, 13, 14) },
		/* 16 */ { .ret = 3, IP6(A6, B6), .proto = 43 },
		/* 17 */ { .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0x1234 },
		/* 18 */ { .ret = 5, GTP4(2152, 2152) },
		/* 19 */ { .ret = 5, GTP4(2152, 2152), .tun = 1, .tid = 0x98 },
		/* 20 */ { .ret = 4, IP4("10.0.6.5", "10.0.6.6"), .proto = 47, .l4 = 34 },
		/* 21 */ { .ret = 5, GTP4(2152, 2152) },
		/* 22 */ { .ret = 3, IP4("10.0.6.7", "10.0.6.8"), .proto = 17 },
		/* 23 */ { .ret = 5, IP4("10.0.6.1", "10.0.6.2"), .l4 = 34, .pay = 54,
			   TCP_(1, 2, 0x10, 3, 4) },
		/* 24 */ { .ret = 5, IP6(A6, B6), .l4 = 54, .pay = 74, TCP_(21, 22, 0x10, 23, 24) },
		/* 25 */ { .ret = 3, IP4("10.0.6.9", "10.0.6.10"), .proto = 132 },
		/* 26 */ { .ret = 3, IP4("10.0.6.11", "10.0.6.12"), .proto = 1 },
		/* 27 */ { .ret = 2, .eth_type = 0x0040 },
	};
	(void)state;
	CHECK_FILE("malformed.pcap", e);
}

static int cmp_tuple(const void *a, const void *b)
{
	return memcmp(a, b, 37);
}

/* 1000 flows, both directions: each reply is its request reversed. */
static void test_many_flows(void **state)
{
	struct capture c;
	u8 (*tuples)[37];
	size_t k, distinct = 1, tcp = 0, udp = 0, v6 = 0;

	(void)state;
	cap_load("many_flows.pcap", &c);
	assert_int_equal(c.n, 2000);
	tuples = calloc(1000, sizeof(*tuples));
	assert_non_null(tuples);
	for (k = 0; k < 1000; k++) {
		struct pkt_parsing_info a, b;
		char where[64];

		snprintf(where, sizeof(where), "many_flows flow %zu", k);
		EQ(where, pf_parse(c.f[2 * k].data, c.f[2 * k].len, 5, &a), 5);
		EQ(where, pf_parse(c.f[2 * k + 1].data, c.f[2 * k + 1].len, 5, &b), 5);
		EQ(where, a.ip_version, k % 10 == 9 ? 6 : 4);
		EQ(where, b.ip_version, a.ip_version);
		EQ(where, a.l3_proto, k % 2 == 0 ? 6 : 17);
		EQ(where, b.l3_proto, a.l3_proto);
		assert_memory_equal(&a.ip_src, &b.ip_dst, sizeof(ip_addr));
		assert_memory_equal(&a.ip_dst, &b.ip_src, sizeof(ip_addr));
		EQ(where, a.l4_src_port, b.l4_dst_port);
		EQ(where, a.l4_dst_port, b.l4_src_port);
		assert_true(a.l4_src_port >= 1024);
		if (a.l3_proto == 6) {
			EQ(where, a.tcp.flags, 0x02);
			EQ(where, b.tcp.flags, 0x12);
			EQ(where, a.tcp.seq_num, k);
			EQ(where, b.tcp.ack_num, k + 1);
			EQ(where, a.offset.payload_offset, a.offset.l4_offset + 20);
			tcp++;
		} else {
			EQ(where, a.offset.payload_offset, a.offset.l4_offset + 8);
			udp++;
		}
		v6 += a.ip_version == 6;
		tuples[k][0] = a.l3_proto;
		memcpy(tuples[k] + 1, &a.ip_src, 16);
		memcpy(tuples[k] + 17, &a.ip_dst, 16);
		memcpy(tuples[k] + 33, &a.l4_src_port, 2);
		memcpy(tuples[k] + 35, &a.l4_dst_port, 2);
	}
	assert_int_equal(tcp, 500);
	assert_int_equal(udp, 500);
	assert_int_equal(v6, 100);
	qsort(tuples, 1000, sizeof(*tuples), cmp_tuple);
	for (k = 1; k < 1000; k++)
		distinct += cmp_tuple(tuples[k - 1], tuples[k]) != 0;
	assert_int_equal(distinct, 1000);
	free(tuples);
	cap_free(&c);
}

static void test_mix64(void **state)
{
	struct capture c;
	size_t i, kinds[5] = { 0 };

	(void)state;
	cap_load("mix64.pcap", &c);
	assert_int_equal(c.n, 3000);
	for (i = 0; i < c.n; i++) {
		struct pkt_parsing_info p;
		char where[64];

		snprintf(where, sizeof(where), "mix64 #%zu", i);
		EQ(where, c.f[i].len, 64);
		EQ(where, pf_parse(c.f[i].data, c.f[i].len, 5, &p), 5);
		assert_true(p.offset.payload_offset <= 64);
		if (p.vlan_id) {
			EQ(where, p.l3_proto, 6);
			EQ(where, p.offset.l3_offset, 18);
			kinds[3]++;
		} else if (p.l3_proto == 6) {
			kinds[0]++;
		} else if (p.l3_proto == 17) {
			kinds[p.ip_version == 6 ? 2 : 1]++;
		} else {
			EQ(where, p.l3_proto, 1);
			kinds[4]++;
		}
	}
	for (i = 0; i < 5; i++)
		assert_true(kinds[i] > 400);   /* 3000 drawn uniformly over 5 kinds */
	assert_int_equal(kinds[0] + kinds[1] + kinds[2] + kinds[3] + kinds[4], 3000);
	cap_free(&c);
}

/* ------------------------------------------------------------------ truncation */

static u32 l4_min(u8 proto)
{
	switch (proto) {
	case 6: return 20;
	case 17: case 1: case 58: return 8;
	case 132: return 12;
	case 47: return 4;
	default: return 0xffff;
	}
}

static int ip_is_zero(const ip_addr *a)
{
	static const ip_addr zero;

	return memcmp(a, &zero, sizeof(zero)) == 0;
}

static int is_tpid(u16 t)
{
	return t == 0x8100 || t == 0x88A8 || t == 0x9100;
}

/*
 * Cut frame f at length n (an exact-size heap copy, so valgrind sees any
 * read past it) and check the result against the full parse.
 */
static void check_cut(const char *where, const struct frame *f, u32 n,
		      const struct pkt_parsing_info *full, int rfull, int *rprev)
{
	struct pkt_parsing_info t, m;
	u8 *copy = malloc(n ? n : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, f->data, n);
	r = pf_parse(copy, n, PF_RING_PARSE_L5, &t);
	free(copy);

	EQ(where, r == 0, n < 14);
	assert_true(r <= rfull);
	assert_true(r >= *rprev);          /* more bytes never parse less */
	*rprev = r;
	if (n == f->len)
		EQ(where, r, rfull);
	if (r >= 3)
		assert_true((u32)t.offset.l3_offset + (t.ip_version == 6 ? 40 : 20) <= n);
	if (r >= 4)
		assert_true(t.offset.l4_offset + l4_min(t.l3_proto) <= n);
	if (r == 5)
		assert_true((u32)t.offset.payload_offset <= n);
	if (t.offset.vlan_offset)
		assert_true((u32)t.offset.vlan_offset + 4 <= n);
	if (r == 0)
		return;

	/* Whatever was reached equals the full parse. */
	m = *full;
	mask_to_level(&m, r);
	if (r == 2 && t.eth_type != m.eth_type)
		assert_true(is_tpid(t.eth_type));
	if (r == 2 && is_tpid(t.eth_type)) {
		/* cut inside the VLAN tags: stopped at a tag's TPID, an outer tag */
		assert_true(t.offset.vlan_offset <= m.offset.vlan_offset);
		m.eth_type = t.eth_type;
		m.vlan_id = t.vlan_id;
		m.offset.vlan_offset = t.offset.vlan_offset;
	}
	if (r == 3 && m.ip_version == 6)
		m.l3_proto = t.l3_proto;   /* cut inside the extension headers */
	if (r == 5) {
		/* tunnel fields appear as their bytes arrive */
		if (t.tunnel.tunnel_id == NO_TUNNEL_ID)
			m.tunnel.tunnel_id = NO_TUNNEL_ID;
		if (t.tunnel.tunneled_l4_src_port == 0 && t.tunnel.tunneled_l4_dst_port == 0) {
			m.tunnel.tunneled_l4_src_port = m.tunnel.tunneled_l4_dst_port = 0;
			m.tunnel.tunneled_proto = t.tunnel.tunneled_proto;
		}
		if (ip_is_zero(&t.tunnel.tunneled_ip_src)) {
			memset(&m.tunnel.tunneled_ip_src, 0, sizeof(ip_addr));
			memset(&m.tunnel.tunneled_ip_dst, 0, sizeof(ip_addr));
			m.tunnel.tunneled_proto = t.tunnel.tunneled_proto;
			EQ(where, t.tunnel.tunneled_proto, 0);
		}
	}
	same_info(where, &t, &m);
}

static const char *const all_files[] = {
	"ipv4_tcp.pcap", "ipv4_udp.pcap", "ipv4_icmp.pcap", "ipv4_options.pcap",
	"ipv4_fragments.pcap", "ipv6_tcp.pcap", "ipv6_ext_headers.pcap", "vlan.pcap",
	"qinq.pcap", "sctp.pcap", "gtpu.pcap", "gtpc.pcap", "gre_key.pcap",
	"malformed.pcap", "many_flows.pcap", "mix64.pcap",
};

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

/* Every fixture packet cut at every length 0..caplen (the few frames longer
 * than 256 bytes, all headers within their first 256, are cut at every length
 * up to 256, then every 97 bytes, then uncut). Under PF_TEST_QUICK the two
 * volume files contribute their first 40 packets. */
static void test_truncation(void **state)
{
	size_t fi, i;
	unsigned long cuts = 0;

	(void)state;
	for (fi = 0; fi < sizeof(all_files) / sizeof(all_files[0]); fi++) {
		struct capture c;
		size_t n;

		cap_load(all_files[fi], &c);
		n = c.n;
		if (quick() && n > 40)
			n = 40;
		for (i = 0; i < n; i++) {
			const struct frame *f = &c.f[i];
			struct pkt_parsing_info full;
			int rfull, rprev = 0;
			char where[96];
			u32 len;

			rfull = pf_parse(f->data, f->len, PF_RING_PARSE_L5, &full);
			for (len = 0; len <= f->len; len += len < 256 ? 1 : 97) {
				snprintf(where, sizeof(where), "%s #%zu cut at %u", all_files[fi],
					 i, len);
				check_cut(where, f, len, &full, rfull, &rprev);
				cuts++;
			}
			snprintf(where, sizeof(where), "%s #%zu uncut", all_files[fi], i);
			check_cut(where, f, f->len, &full, rfull, &rprev);
		}
		cap_free(&c);
	}
	assert_true(cuts > 10000);
}

/* ------------------------------------------------------------------ hand-made */

/* A frame builder for the edge cases below. */
struct fb {
	u8 b[70000];
	u32 n;
};

static void put(struct fb *f, const void *p, u32 n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put8(struct fb *f, u8 v) { put(f, &v, 1); }
static void put16(struct fb *f, u16 v) { u8 b[2] = { v >> 8, v & 0xff }; put(f, b, 2); }
static void put32(struct fb *f, u32 v) { put16(f, v >> 16); put16(f, v & 0xffff); }
static void zeros(struct fb *f, u32 n) { assert_true(f->n + n <= sizeof(f->b)); memset(f->b + f->n, 0, n); f->n += n; }

static void put_eth(struct fb *f, u16 type)
{
	put(f, DMAC, 6);
	put(f, SMAC, 6);
	put16(f, type);
}

/* IPv4 header, IHL 5, total length `tot` (0 as in a TSO capture). */
static void put_ipv4(struct fb *f, u16 tot, u8 proto, u32 src, u32 dst)
{
	put8(f, 0x45); put8(f, 0); put16(f, tot); put32(f, 0); put8(f, 64); put8(f, proto);
	put16(f, 0); put32(f, src); put32(f, dst);
}

static void put_ipv6(struct fb *f, u16 plen, u8 nh)
{
	static const u8 a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	put32(f, 0x60000000); put16(f, plen); put8(f, nh); put8(f, 64);
	put(f, a, 16); put(f, b, 16);
}

static void put_udp(struct fb *f, u16 sp, u16 dp, u16 len)
{
	put16(f, sp); put16(f, dp); put16(f, len); put16(f, 0);
}

static void put_tcp(struct fb *f, u16 sp, u16 dp)
{
	put16(f, sp); put16(f, dp); put32(f, 100); put32(f, 200);
	put8(f, 0x50); put8(f, 0x10); put16(f, 1024); put32(f, 0);
}

static int parse_fb(const struct fb *f, struct pkt_parsing_info *p)
{
	/* an exact-size heap copy, like the truncation test */
	u8 *copy = malloc(f->n ? f->n : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, f->b, f->n);
	r = pf_parse(copy, f->n, PF_RING_PARSE_L5, p);
	free(copy);
	return r;
}

static void test_invalid_args(void **state)
{
	static const u8 frame[64] = { [12] = 0x08, [13] = 0x00 };
	struct pkt_parsing_info p, junk;

	(void)state;
	memset(&junk, 0xAB, sizeof(junk));
	p = junk;
	assert_int_equal(pf_parse(NULL, 64, 5, &p), PF_PARSE_EINVAL);
	assert_int_equal(pf_parse(frame, 64, 5, NULL), PF_PARSE_EINVAL);
	assert_int_equal(pf_parse(frame, 64, 0, &p), PF_PARSE_EINVAL);
	assert_int_equal(pf_parse(frame, 64, 1, &p), PF_PARSE_EINVAL);
	assert_int_equal(pf_parse(NULL, 0, 1, NULL), PF_PARSE_EINVAL);
	/* untouched on EINVAL */
	assert_memory_equal(&p, &junk, sizeof(p));

	/* caplen 0 and 13: Ethernet cut, everything zeroed */
	assert_int_equal(pf_parse(frame, 0, 5, &p), 0);
	EQ("caplen 0", p.tunnel.tunnel_id, NO_TUNNEL_ID);
	EQ("caplen 0", p.eth_type, 0);
	p = junk;
	assert_int_equal(pf_parse(frame, 13, 5, &p), 0);
	EQ("caplen 13", p.eth_type, 0);
	EQ("caplen 13", p.dmac[0], 0);
	EQ("caplen 13", p.last_matched_rule_id, 0);
	assert_int_equal(pf_parse(frame, 14, 5, &p), 2);
}

/* `out` is fully overwritten: garbage in it never survives. */
static void test_out_overwritten(void **state)
{
	struct pkt_parsing_info p, clean;
	struct fb *f = calloc(1, sizeof(*f));
	int r;

	(void)state;
	assert_non_null(f);
	put_eth(f, 0x0806);
	zeros(f, 28);
	memset(&p, 0xAB, sizeof(p));
	r = parse_fb(f, &p);
	assert_int_equal(r, 2);
	assert_int_equal(parse_fb(f, &clean), 2);
	same_info("arp over junk", &p, &clean);
	EQ("arp", p.ip_version, 0);
	EQ("arp", p.tunnel.tunnel_id, NO_TUNNEL_ID);
	EQ("arp", p.tunnel.tunneled_proto, 0);
	EQ("arp", p.last_matched_plugin_id, 0);
	EQ("arp", p.offset.l3_offset, 0);
	assert_true(ip_is_zero(&p.ip_src) && ip_is_zero(&p.tunnel.tunneled_ip_dst));
	free(f);
}

/* Levels above 5 mean 5; every level gives exactly its part. */
static void test_levels(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));

	(void)state;
	assert_non_null(f);
	put_eth(f, 0x0800);
	put_ipv4(f, 40, 6, 0x0a000001, 0x0a000002);
	put_tcp(f, 1234, 80);
	assert_int_equal(pf_parse(f->b, f->n, 6, &p), 5);
	assert_int_equal(pf_parse(f->b, f->n, 255, &p), 5);
	EQ("level 255", p.offset.payload_offset, 54);
	assert_int_equal(pf_parse(f->b, f->n, 4, &p), 4);
	EQ("level 4", p.offset.payload_offset, 0);
	EQ("level 4", p.l4_dst_port, 80);
	EQ("level 4", p.tcp.seq_num, 100);
	assert_int_equal(pf_parse(f->b, f->n, 3, &p), 3);
	EQ("level 3", p.l4_dst_port, 0);
	EQ("level 3", p.offset.l4_offset, 0);
	EQ("level 3", p.ip_src.v4, 0x0a000001);
	assert_int_equal(pf_parse(f->b, f->n, 2, &p), 2);
	EQ("level 2", p.ip_version, 0);
	EQ("level 2", p.l3_proto, 0);
	EQ("level 2", p.eth_type, 0x0800);
	free(f);
}

/* The IP length field: Ethernet padding is not L4, a 0 (TSO) length is ignored. */
static void test_ip_length(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));

	(void)state;
	assert_non_null(f);
	/* UDP header exactly at the end of the IP packet, then padding */
	put_eth(f, 0x0800);
	put_ipv4(f, 28, 17, 1, 2);
	put_udp(f, 10, 20, 8);
	zeros(f, 18);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("udp at ip end", p.offset.payload_offset, 42);
	/* IPv4 with no L4 at all, 26 bytes of padding that look like TCP */
	f->n = 0;
	put_eth(f, 0x0800);
	put_ipv4(f, 20, 6, 1, 2);
	put_tcp(f, 1, 2);
	zeros(f, 6);
	assert_int_equal(parse_fb(f, &p), 3);
	EQ("padding", p.l4_src_port, 0);
	/* IP length 10 (< IHL): ignored, like 0 */
	f->b[16] = 0; f->b[17] = 10;
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("len 10", p.l4_dst_port, 2);
	/* fragment offset 0x1000 (32768 bytes): non-first; MF alone: first */
	f->n = 0;
	put_eth(f, 0x0800);
	put_ipv4(f, 40, 17, 1, 2);
	put_udp(f, 3, 4, 20);
	zeros(f, 12);
	f->b[20] = 0x10;
	assert_int_equal(parse_fb(f, &p), 3);
	EQ("frag 0x1000", p.l4_dst_port, 0);
	f->b[20] = 0x20;
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("MF", p.l4_dst_port, 4);
	f->b[20] = 0xE0;                 /* reserved + DF + MF, offset 0 */
	assert_int_equal(parse_fb(f, &p), 5);
	/* IPv6 payload length bounds too */
	f->n = 0;
	put_eth(f, 0x86DD);
	put_ipv6(f, 4, 17);
	put_udp(f, 1, 2, 8);
	assert_int_equal(parse_fb(f, &p), 3);
	EQ("ipv6 plen 4", p.l3_proto, 17);
	/* TCP header ending exactly at caplen: payload_offset == caplen */
	f->n = 0;
	put_eth(f, 0x0800);
	put_ipv4(f, 40, 6, 1, 2);
	put_tcp(f, 5, 6);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("empty payload", p.offset.payload_offset, f->n);
	/* unknown protocol: L3 only */
	f->n = 0;
	put_eth(f, 0x0800);
	put_ipv4(f, 40, 89, 1, 2);
	zeros(f, 20);
	assert_int_equal(parse_fb(f, &p), 3);
	EQ("ospf", p.l3_proto, 89);
	EQ("ospf", p.offset.l4_offset, 0);
	free(f);
}

/*
 * Offsets are int16_t: deep but legal headers still fit, because the walks
 * are bounded (8 IPv6 extension headers of at most 2048 bytes).
 */
static void test_large_offsets(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));
	int i;

	(void)state;
	assert_non_null(f);
	put_eth(f, 0x8100);
	put16(f, 7); put16(f, 0x88A8);           /* 0x8100 then 0x88a8: any order */
	put16(f, 8); put16(f, 0x9100);
	put16(f, 9); put16(f, 0x8100);
	put16(f, 10); put16(f, 0x86DD);
	put_ipv6(f, 8 * 2048 + 20, 60);
	for (i = 0; i < 8; i++) {
		put8(f, i == 7 ? 6 : 60);
		put8(f, 255);                    /* (255 + 1) * 8 = 2048 bytes */
		zeros(f, 2046);
	}
	put_tcp(f, 7000, 8000);
	zeros(f, 65535 - f->n);
	assert_int_equal(f->n, 65535);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("deep", p.vlan_id, 10);
	EQ("deep", p.offset.vlan_offset, 26);
	EQ("deep", p.offset.l3_offset, 30);
	EQ("deep", p.offset.l4_offset, 30 + 40 + 8 * 2048);
	EQ("deep", p.offset.payload_offset, 30 + 40 + 8 * 2048 + 20);
	EQ("deep", p.l4_dst_port, 8000);
	assert_true(p.offset.payload_offset > 0);
	free(f);
}

/* A jumbo IPv4 UDP frame. */
static void test_jumbo(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));

	(void)state;
	assert_non_null(f);
	put_eth(f, 0x0800);
	put_ipv4(f, 9000, 17, 0xc0a80001, 0xc0a80002);
	put_udp(f, 4789, 4789, 8980);
	zeros(f, 8972);
	assert_int_equal(f->n, 9014);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("jumbo", p.offset.payload_offset, 42);
	EQ("jumbo", p.ip_dst.v4, 0xc0a80002);
	EQ("jumbo", p.tunnel.tunnel_id, NO_TUNNEL_ID);
	free(f);
}

/* GTP-U header variants built by hand. */
static void gtpu_frame(struct fb *f, u8 flags, u8 opt_next, int n_ext, int ext_len0)
{
	int i;

	f->n = 0;
	put_eth(f, 0x0800);
	put_ipv4(f, 0, 17, 1, 2);
	put_udp(f, 2152, 2152, 0);
	put8(f, flags); put8(f, 0xFF); put16(f, 0); put32(f, 0xA1B2C3D4);
	if (flags & 7) {
		put16(f, 1); put8(f, 0); put8(f, opt_next);
	}
	for (i = 0; i < n_ext; i++) {
		put8(f, (i == 0 && ext_len0) ? 0 : 1);
		put8(f, 0); put8(f, 0);
		put8(f, i + 1 < n_ext ? 0x85 : 0);
	}
	put_ipv4(f, 28, 17, 0x0a000001, 0x0a000002);
	put_udp(f, 1111, 2222, 8);
}

static void test_gtp_edges(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));

	(void)state;
	assert_non_null(f);
	/* E flag with next-extension 0: 12-byte header */
	gtpu_frame(f, 0x34, 0, 0, 0);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("E, no ext", p.tunnel.tunnel_id, 0xA1B2C3D4);
	EQ("E, no ext", p.tunnel.tunneled_l4_dst_port, 2222);
	/* S only, a stray next-extension byte: ignored without E */
	gtpu_frame(f, 0x32, 0x85, 0, 0);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("S, stray ext", p.tunnel.tunneled_l4_src_port, 1111);
	EQ("S, stray ext", p.tunnel.tunneled_ip_src.v4, 0x0a000001);
	/* 8 extension headers: walked */
	gtpu_frame(f, 0x34, 0x85, 8, 0);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("8 ext", p.tunnel.tunneled_proto, 17);
	EQ("8 ext", p.tunnel.tunneled_l4_dst_port, 2222);
	/* 9: over the bound, TEID only */
	gtpu_frame(f, 0x34, 0x85, 9, 0);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("9 ext", p.tunnel.tunnel_id, 0xA1B2C3D4);
	EQ("9 ext", p.tunnel.tunneled_proto, 0);
	assert_true(ip_is_zero(&p.tunnel.tunneled_ip_src));
	/* not a G-PDU (error indication, 26), though IPv4-looking bytes follow */
	gtpu_frame(f, 0x30, 0, 0, 0);
	f->b[43] = 26;
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("error ind", p.tunnel.tunnel_id, 0xA1B2C3D4);
	EQ("error ind", p.tunnel.tunneled_proto, 0);
	assert_true(ip_is_zero(&p.tunnel.tunneled_ip_dst));
	/* GTP-C: version 3 with the T bit is not GTPv2-C; version 2 is */
	gtpu_frame(f, 0x68, 0, 0, 0);
	f->b[35] = 0x4B; f->b[37] = 0x4B;      /* UDP ports 2123 */
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("v3 T", p.tunnel.tunnel_id, NO_TUNNEL_ID);
	f->b[42] = 0x48;
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("v2 T", p.tunnel.tunnel_id, 0xA1B2C3D4);
	EQ("v2 T", p.tunnel.tunneled_proto, 0);  /* GTP-C carries no user packet */
	/* GTP' (PT = 0): not GTP */
	gtpu_frame(f, 0x20, 0, 0, 0);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("GTP'", p.tunnel.tunnel_id, NO_TUNNEL_ID);
	free(f);
}

static void gre_frame(struct fb *f, u16 flags, u16 proto)
{
	f->n = 0;
	put_eth(f, 0x0800);
	put_ipv4(f, 0, 47, 1, 2);
	put16(f, flags); put16(f, proto);
	if (flags & 0x8000)
		put32(f, 0);
	if (flags & 0x2000)
		put32(f, 0x00C0FFEE);
	if (flags & 0x1000)
		put32(f, 1);
}

static void test_gre_edges(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));

	(void)state;
	assert_non_null(f);
	/* TEB with two inner tags and inner IPv6 TCP */
	gre_frame(f, 0x2000, 0x6558);
	put_eth(f, 0x88A8); put16(f, 3); put16(f, 0x8100); put16(f, 4); put16(f, 0x86DD);
	put_ipv6(f, 20, 6);
	put_tcp(f, 4444, 5555);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("teb v6", p.tunnel.tunnel_id, 0x00C0FFEE);
	EQ("teb v6", p.tunnel.tunneled_proto, 6);
	EQ("teb v6", p.tunnel.tunneled_ip_dst.v6.s6_addr[15], 2);
	EQ("teb v6", p.tunnel.tunneled_l4_dst_port, 5555);
	EQ("teb v6", p.vlan_id, 0);                  /* outer frame untagged */
	EQ("teb v6", p.offset.payload_offset, 42);
	/* protocol 0x0800 but an IPv6 packet inside: no inner fields */
	gre_frame(f, 0x2000, 0x0800);
	put_ipv6(f, 20, 6);
	put_tcp(f, 1, 2);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("v4/v6 mismatch", p.tunnel.tunneled_proto, 0);
	EQ("v4/v6 mismatch", p.tunnel.tunnel_id, 0x00C0FFEE);
	/* an unknown protocol (PPP) is not walked, even if Ethernet + IPv4 follow */
	gre_frame(f, 0x2000, 0x880B);
	put_eth(f, 0x0800);
	put_ipv4(f, 28, 17, 5, 6);
	put_udp(f, 7, 8, 8);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("ppp", p.tunnel.tunnel_id, 0x00C0FFEE);
	EQ("ppp", p.tunnel.tunneled_proto, 0);
	/* checksum and sequence without key */
	gre_frame(f, 0x9000, 0x0800);
	put_ipv4(f, 28, 17, 5, 6);
	put_udp(f, 7, 8, 8);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("C+S", p.offset.payload_offset, 46);
	EQ("C+S", p.tunnel.tunnel_id, NO_TUNNEL_ID);
	EQ("C+S", p.tunnel.tunneled_ip_src.v4, 5);
	EQ("C+S", p.tunnel.tunneled_l4_dst_port, 8);
	free(f);
}

static void test_ipv6_edges(void **state)
{
	struct pkt_parsing_info p;
	struct fb *f = calloc(1, sizeof(*f));

	(void)state;
	assert_non_null(f);
	/* fragment header cut after 4 bytes */
	put_eth(f, 0x86DD);
	put_ipv6(f, 0, 44);
	put32(f, 0x11000000);
	assert_int_equal(parse_fb(f, &p), 3);
	EQ("frag cut", p.l3_proto, 44);
	/* hop-by-hop of exactly 2048 bytes, then UDP */
	f->n = 0;
	put_eth(f, 0x86DD);
	put_ipv6(f, 0, 0);
	put8(f, 17); put8(f, 255); zeros(f, 2046);
	put_udp(f, 53, 53, 8);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("hbh 2048", p.offset.l4_offset, 54 + 2048);
	EQ("hbh 2048", p.l4_src_port, 53);
	/* AH with length 1 (12 bytes, the minimum) */
	f->n = 0;
	put_eth(f, 0x86DD);
	put_ipv6(f, 0, 51);
	put8(f, 17); put8(f, 1); zeros(f, 10);
	put_udp(f, 1, 2, 8);
	assert_int_equal(parse_fb(f, &p), 5);
	EQ("ah 12", p.offset.l4_offset, 54 + 12);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp),
		cmocka_unit_test(test_ipv4_udp),
		cmocka_unit_test(test_ipv4_icmp),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv6_tcp),
		cmocka_unit_test(test_ipv6_ext_headers),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_qinq),
		cmocka_unit_test(test_sctp),
		cmocka_unit_test(test_gtpu),
		cmocka_unit_test(test_gtpc),
		cmocka_unit_test(test_gre_key),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_many_flows),
		cmocka_unit_test(test_mix64),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_invalid_args),
		cmocka_unit_test(test_out_overwritten),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_ip_length),
		cmocka_unit_test(test_large_offsets),
		cmocka_unit_test(test_jumbo),
		cmocka_unit_test(test_gtp_edges),
		cmocka_unit_test(test_gre_edges),
		cmocka_unit_test(test_ipv6_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
