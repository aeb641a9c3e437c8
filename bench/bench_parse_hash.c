/*
 * bench/bench_parse_hash.c - parse + flow hash, and the Toeplitz RSS hash,
 * each beside DPDK doing the same job on the same bytes.
 *
 *   1. pf_parse(L4) + pf_flow_hash(5-tuple) over a mix of 64-byte frames
 *      vs rte_net_get_ptype(RTE_PTYPE_ALL_MASK) + tuple extraction + rte_jhash
 *   2. pf_toeplitz over 12-byte IPv4 TCP inputs vs rte_softrss, same key
 *
 * Frames come from tests/fixtures/mix64.pcap (or argv[1]); when it is missing,
 * an equivalent mix is synthesized in memory (stderr says which). Each figure
 * is the best of 5 rounds of ~1 s, ours and the peer's rounds interleaved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>

#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_net.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_jhash.h>
#include <rte_thash.h>

#include "bench.h"
#include "core/parse.h"
#include "core/hash.h"

#define ROUNDS      5
#define ROUND_NS    1000000000ull
#define MAX_FRAMES  65536
#define FRAME_MAX   2048
#define N_RSS       4096

struct frames {
	unsigned n;
	uint8_t *data[MAX_FRAMES];
	uint32_t len[MAX_FRAMES];
};

static struct frames fr;

/* ------------------------------------------------------------------ input */

static int load_pcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	pcap_t *pc = pcap_open_offline(path, err);

	if (!pc)
		return -1;
	if (pcap_datalink(pc) != DLT_EN10MB) {
		pcap_close(pc);
		return -1;
	}
	while (fr.n < MAX_FRAMES && pcap_next_ex(pc, &h, &bytes) == 1) {
		uint32_t len = h->caplen < FRAME_MAX ? h->caplen : FRAME_MAX;

		fr.data[fr.n] = malloc(len ? len : 1);
		memcpy(fr.data[fr.n], bytes, len);
		fr.len[fr.n++] = len;
	}
	pcap_close(pc);
	return fr.n ? 0 : -1;
}

static uint64_t rng_state = 0x5eed;

static uint32_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, (uint16_t)v); }

static void ipv4_header(uint8_t *ip, uint16_t tot_len, uint8_t proto, uint32_t s, uint32_t d)
{
	uint32_t sum = 0;
	int i;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, tot_len);
	put16(ip + 4, 1);
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, s);
	put32(ip + 16, d);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, (uint16_t)~sum);
}

/* The same mix as tests/fixtures/make_fixtures.py's mix64: 3000 frames of 64
 * bytes over 500 flows, kinds picked uniformly: IPv4 TCP, IPv4 UDP, IPv6 UDP,
 * VLAN IPv4 TCP, IPv4 ICMP echo. */
static void synthesize_mix(void)
{
	uint32_t fa[500], fb[500];
	uint16_t fsp[500], fdp[500];
	unsigned i;

	for (i = 0; i < 500; i++) {
		fa[i] = rnd();
		fb[i] = rnd();
		fsp[i] = (uint16_t)(1024 + rnd() % 64512);
		fdp[i] = (uint16_t)(1 + rnd() % 1023);
	}
	for (fr.n = 0; fr.n < 3000; fr.n++) {
		uint8_t *p = calloc(1, 64), *l3;
		unsigned f = rnd() % 500, kind = rnd() % 5;
		uint16_t sp = fsp[f], dp = fdp[f];

		fr.data[fr.n] = p;
		fr.len[fr.n] = 64;
		memcpy(p, "\x00\x1b\x21\x01\x02\x03\x00\x1b\x21\x0a\x0b\x0c", 12);
		l3 = p + 14;
		if (kind == 3) {
			put16(p + 12, 0x8100);
			put16(p + 14, (uint16_t)(1 + (fa[f] & 0xfff) % 4094));
			l3 = p + 18;
		}
		put16(l3 - 2, kind == 2 ? 0x86dd : 0x0800);
		if (kind == 2) {
			uint8_t *u = l3 + 40;

			l3[0] = 0x60;
			put16(l3 + 4, 64 - 14 - 40);
			l3[6] = 17;
			l3[7] = 64;
			put32(l3 + 8, 0x20010db8);
			put32(l3 + 20, fa[f]);
			put32(l3 + 24, 0x20010db8);
			put32(l3 + 36, fb[f]);
			put16(u, sp);
			put16(u + 2, dp);
			put16(u + 4, 64 - 14 - 40);
			continue;
		}
		uint16_t ip_len = (uint16_t)(64 - (l3 - p));
		uint8_t proto = kind == 1 ? 17 : kind == 4 ? 1 : 6;
		uint8_t *l4 = l3 + 20;

		ipv4_header(l3, ip_len, proto, fa[f], fb[f]);
		if (proto == 6) {
			put16(l4, sp);
			put16(l4 + 2, dp);
			put32(l4 + 4, fa[f]);
			put32(l4 + 8, fb[f]);
			l4[12] = 0x50;
			l4[13] = kind == 3 ? 0x18 : 0x10;
			put16(l4 + 14, 8192);
		} else if (proto == 17) {
			put16(l4, sp);
			put16(l4 + 2, dp);
			put16(l4 + 4, (uint16_t)(ip_len - 20));
		} else {
			l4[0] = 8;
			put16(l4 + 4, sp);
			put16(l4 + 6, dp);
		}
	}
}

/* ------------------------------------------------------------------ ours */

static uint32_t ours_pass(unsigned *with_ports)
{
	struct pkt_parsing_info info;
	uint32_t acc = 0;
	unsigned i, ports = 0;

	for (i = 0; i < fr.n; i++) {
		int lvl = pf_parse(fr.data[i], fr.len[i], PF_RING_PARSE_L4, &info);

		ports += lvl >= PF_RING_PARSE_L4 && (info.l3_proto == 6 || info.l3_proto == 17);
		acc += pf_flow_hash(&info, cluster_per_flow_5_tuple, 0);
	}
	if (with_ports)
		*with_ports = ports;
	return acc;
}

/* ------------------------------------------------------------------ DPDK */

static struct rte_mbuf **mbufs;

/* What a DPDK application does without NIC ptype offload: the library's
 * software parser for the layers, then the tuple into rte_jhash (as words:
 * src, dst, ports, proto). */
static inline uint32_t dpdk_parse_hash(const struct rte_mbuf *m, unsigned *ports)
{
	struct rte_net_hdr_lens hl;
	uint32_t pt = rte_net_get_ptype(m, &hl, RTE_PTYPE_ALL_MASK);
	uint32_t l4t = pt & RTE_PTYPE_L4_MASK;
	int has_ports = l4t == RTE_PTYPE_L4_TCP || l4t == RTE_PTYPE_L4_UDP;
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *, hl.l2_len);
	const uint32_t *l4 = (const void *)(l3 + hl.l3_len);
	uint32_t k[10];

	*ports += has_ports;
	if (RTE_ETH_IS_IPV4_HDR(pt)) {
		const struct rte_ipv4_hdr *ip = (const void *)l3;

		k[0] = ip->src_addr;
		k[1] = ip->dst_addr;
		k[2] = has_ports ? *l4 : 0;
		k[3] = ip->next_proto_id;
		return rte_jhash_32b(k, 4, 0);
	}
	if (RTE_ETH_IS_IPV6_HDR(pt)) {
		const struct rte_ipv6_hdr *ip = (const void *)l3;

		memcpy(k, ip->src_addr, 16);
		memcpy(k + 4, ip->dst_addr, 16);
		k[8] = has_ports ? *l4 : 0;
		k[9] = ip->proto;
		return rte_jhash_32b(k, 10, 0);
	}
	return rte_jhash(rte_pktmbuf_mtod(m, const void *), 12, 0);
}

static uint32_t dpdk_pass(unsigned *with_ports)
{
	uint32_t acc = 0;
	unsigned i, ports = 0;

	for (i = 0; i < fr.n; i++)
		acc += dpdk_parse_hash(mbufs[i], &ports);
	if (with_ports)
		*with_ports = ports;
	return acc;
}

static int dpdk_setup(void)
{
	/* --no-shconf: no /var/run/dpdk config lock, so benches may run side by side */
	static char *eal_argv[] = { "bench_parse_hash", "--no-huge", "--no-pci", "-m", "64",
				    "--no-telemetry", "--no-shconf", "--log-level=error", NULL };
	struct rte_mempool *mp;
	cpu_set_t all;
	unsigned i;

	if (rte_eal_init(8, eal_argv) < 0)
		return -1;
	/* EAL pinned us to core 0; let the scheduler pick the idler core of a
	 * shared machine (one thread only, so lcore 0's mempool cache is ours). */
	CPU_ZERO(&all);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
	mp = rte_pktmbuf_pool_create("bench_ph", fr.n + 64, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	mbufs = calloc(fr.n, sizeof(*mbufs));
	if (!mp || !mbufs)
		return -1;
	for (i = 0; i < fr.n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		char *d = m ? rte_pktmbuf_append(m, (uint16_t)fr.len[i]) : NULL;

		if (!d)
			return -1;
		memcpy(d, fr.data[i], fr.len[i]);
		mbufs[i] = m;
	}
	return 0;
}

/* ------------------------------------------------------------------ timing */

/* Passes over the frames for ~1 s; returns millions of packets per second. */
static double time_round(uint32_t (*pass)(unsigned *))
{
	uint64_t t0 = bench_now_ns(), t, pkts = 0;
	uint32_t acc = 0;

	do {
		acc += pass(NULL);
		pkts += fr.n;
		t = bench_now_ns();
	} while (t - t0 < ROUND_NS);
	bench_keep(acc);
	return (double)pkts * 1e3 / (double)(t - t0);
}

/* ------------------------------------------------------------------ Toeplitz */

static uint8_t rss_in[N_RSS][12];       /* network order, as a NIC hashes it */
static uint32_t rss_tuple[N_RSS][3];    /* host-order words, rte_softrss's input */
static uint8_t rss_key[PF_RSS_KEY_LEN];

static uint32_t ours_rss_pass(unsigned *unused)
{
	uint32_t acc = 0;
	unsigned i;

	(void)unused;
	for (i = 0; i < N_RSS; i++)
		acc += pf_toeplitz(rss_key, PF_RSS_KEY_LEN, rss_in[i], 12);
	return acc;
}

static uint32_t dpdk_rss_pass(unsigned *unused)
{
	uint32_t acc = 0;
	unsigned i;

	(void)unused;
	for (i = 0; i < N_RSS; i++)
		acc += rte_softrss(rss_tuple[i], 3, rss_key);
	return acc;
}

static double time_rss_round(uint32_t (*pass)(unsigned *))
{
	uint64_t t0 = bench_now_ns(), t, n = 0;
	uint32_t acc = 0;

	do {
		acc += pass(NULL);
		n += N_RSS;
		t = bench_now_ns();
	} while (t - t0 < ROUND_NS);
	bench_keep(acc);
	return (double)n * 1e3 / (double)(t - t0);
}

static int rss_setup(void)
{
	unsigned i, j;

	memcpy(rss_key, pf_rss_key_default, PF_RSS_KEY_LEN);
	for (i = 0; i < N_RSS; i++) {
		for (j = 0; j < 3; j++) {
			rss_tuple[i][j] = rnd();
			put32(rss_in[i] + 4 * j, rss_tuple[i][j]);
		}
		if (pf_toeplitz(rss_key, PF_RSS_KEY_LEN, rss_in[i], 12) !=
		    rte_softrss(rss_tuple[i], 3, rss_key)) {
			fprintf(stderr, "bench_parse_hash: Toeplitz mismatch with rte_softrss\n");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/fixtures/mix64.pcap";
	double ours = 0, peer = 0, v;
	unsigned p_ours, p_dpdk, r;

	if (load_pcap(path) == 0) {
		fprintf(stderr, "bench_parse_hash: %u frames from %s\n", fr.n, path);
	} else {
		synthesize_mix();
		fprintf(stderr, "bench_parse_hash: %s not found, synthesized %u 64-byte frames\n",
			path, fr.n);
	}
	if (dpdk_setup() < 0) {
		fprintf(stderr, "bench_parse_hash: DPDK setup failed\n");
		return 1;
	}
	ours_pass(&p_ours);
	dpdk_pass(&p_dpdk);
	fprintf(stderr, "bench_parse_hash: frames with TCP/UDP ports: ours %u, DPDK %u\n",
		p_ours, p_dpdk);

	for (r = 0; r < ROUNDS; r++) {
		v = time_round(ours_pass);
		ours = v > ours ? v : ours;
		v = time_round(dpdk_pass);
		peer = v > peer ? v : peer;
	}
	bench_row("parse + 5-tuple hash, 64 B mix, 1 core (Mpps, goal >= 30)", ours, "Mpps",
		  "DPDK 22.11 rte_net_get_ptype + rte_jhash", peer);

	if (rss_setup() < 0)
		return 1;
	ours = peer = 0;
	for (r = 0; r < ROUNDS; r++) {
		v = time_rss_round(ours_rss_pass);
		ours = v > ours ? v : ours;
		v = time_rss_round(dpdk_rss_pass);
		peer = v > peer ? v : peer;
	}
	bench_row("Toeplitz RSS hash, IPv4 TCP 12-byte input (Mhash/s)", ours, "Mhash/s",
		  "DPDK 22.11 rte_softrss", peer);

	for (r = 0; r < fr.n; r++)
		free(fr.data[r]);
	rte_eal_cleanup();
	return 0;
}
