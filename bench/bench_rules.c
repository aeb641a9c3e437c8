/*
 * bench/bench_rules.c - wildcard rules: the matcher and the set walk.
 *
 * N rules "ip src host 10.1.X.Y and tcp dst port 1000+i" (rule i), and 64-byte
 * TCP frames that only the last rule matches, so every packet walks all N
 * rules. Ours: pf_wrule_match over the snapshot, on frames parsed beforehand
 * (parsing is excluded: the pipeline parses once for everything). Peer:
 * libpcap's bpf_filter running the same N predicates or-ed into one program
 * compiled (optimized) by pcap_compile, on the raw frames (so BPF does its own
 * header walking: that is how a BPF filter is used).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "bench.h"
#include "core/rules.h"
#include "core/parse.h"

#define NPKTS   1024
#define FRAME   64
#define ROUNDS  200   /* short interleaved trials; the best of each side counts */

static u8 frames[NPKTS][FRAME];
static struct pf_pkt pkts[NPKTS];

static void *h_alloc(void *ctx, size_t n) { (void)ctx; return calloc(1, n); }
static void h_free(void *ctx, void *p) { (void)ctx; free(p); }
static void h_nop(void *ctx) { (void)ctx; }
static u64 h_now(void *ctx) { (void)ctx; return 0; }

static const struct pf_home home = {
	.now_ns = h_now, .alloc = h_alloc, .free = h_free,
	.read_lock = h_nop, .read_unlock = h_nop, .synchronize = h_nop,
	.write_lock = h_nop, .write_unlock = h_nop,
};

static u32 rule_host(u32 i) { return (10u << 24) | (1u << 16) | i; }  /* 10.1.i/256.i%256 */
static u16 rule_port(u32 i) { return (u16)(1000 + i); }

static void put16(u8 *p, u16 v) { p[0] = (u8)(v >> 8); p[1] = (u8)v; }
static void put32(u8 *p, u32 v) { put16(p, (u16)(v >> 16)); put16(p + 2, (u16)v); }

/* Ethernet + IPv4 + TCP + 10 bytes of payload = 64 bytes, from src to dst:dport. */
static void build_frame(u8 *f, u32 src, u32 dst, u16 sport, u16 dport)
{
	static const u8 dmac[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
	static const u8 smac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };

	memset(f, 0, FRAME);
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	put16(f + 16, FRAME - 14);
	f[22] = 64;
	f[23] = 6;
	put32(f + 26, src);
	put32(f + 30, dst);
	put16(f + 34, sport);
	put16(f + 36, dport);
	f[46] = 0x50;
	f[47] = 0x10;
	memcpy(f + 54, "0123456789", 10);
}

static void build_packets(u32 n_rules)
{
	u32 k;

	for (k = 0; k < NPKTS; k++) {
		build_frame(frames[k], rule_host(n_rules - 1), 0xc0a80000u | k,
			    (u16)(20000 + k), rule_port(n_rules - 1));
		memset(&pkts[k], 0, sizeof(pkts[k]));
		pkts[k].data = frames[k];
		pkts[k].caplen = pkts[k].len = FRAME;
		pkts[k].parsed_level = (u8)pf_parse(frames[k], FRAME, PF_RING_PARSE_L5,
						    &pkts[k].info);
	}
}

/* The set walk of the pipeline: first rule that matches decides. */
static int first_match(const struct pf_wrule_set *s, const struct pf_pkt *p)
{
	u32 k = pf_wrules_next_match(s, 0, p);

	return k < s->n ? s->r[k]->rule.rule_id : -1;
}

/* One timed pass of reps x NPKTS packets; returns Mpps. */
static double run_ours(const struct pf_wrules *w, u32 n_rules, u32 reps)
{
	const struct pf_wrule_set *s = pf_wrules_snapshot(w);
	u64 t0 = bench_now_ns(), sum = 0;
	u32 k, rep;

	for (rep = 0; rep < reps; rep++)
		for (k = 0; k < NPKTS; k++)
			sum += (u64)first_match(s, &pkts[k]);
	t0 = bench_now_ns() - t0;
	bench_keep(sum);
	if (sum != (u64)reps * NPKTS * (n_rules - 1)) {
		fprintf(stderr, "bench_rules: wrong match result (%llu)\n", (unsigned long long)sum);
		exit(1);
	}
	return (double)reps * NPKTS * 1e3 / (double)t0;
}

static double run_bpf(const struct bpf_program *prog, u32 reps)
{
	u64 t0 = bench_now_ns(), sum = 0;
	u32 k, rep;

	for (rep = 0; rep < reps; rep++)
		for (k = 0; k < NPKTS; k++)
			sum += bpf_filter(prog->bf_insns, frames[k], FRAME, FRAME) != 0;
	t0 = bench_now_ns() - t0;
	bench_keep(sum);
	if (sum != (u64)reps * NPKTS) {
		fprintf(stderr, "bench_rules: BPF did not accept every packet\n");
		exit(1);
	}
	return (double)reps * NPKTS * 1e3 / (double)t0;
}

#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* "(ip src host A and tcp dst port P) or (...)" for rules 0..n-1. */
static char *bpf_expr(u32 n)
{
	size_t cap = (size_t)n * 80 + 1, len = 0;
	char *e = malloc(cap);
	u32 i;

	e[0] = 0;
	for (i = 0; i < n; i++) {
		u32 h = rule_host(i);

		len += (size_t)snprintf(e + len, cap - len,
					"%s(ip src host %u.%u.%u.%u and tcp dst port %u)",
					i ? " or " : "", h >> 24, (h >> 16) & 255, (h >> 8) & 255,
					h & 255, rule_port(i));
	}
	return e;
}

static void add_rules(struct pf_wrules *w, u32 n)
{
	filtering_rule r;
	u32 i;

	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.rule_id = (u16)i;
		r.core_fields.proto = 6;
		r.core_fields.shost.v4 = rule_host(i);
		r.core_fields.dport_low = rule_port(i);
		if (pf_wrules_add(w, &r) != 0) {
			fprintf(stderr, "bench_rules: add failed\n");
			exit(1);
		}
	}
}

static void bench_n(u32 n)
{
	struct pf_wrules w;
	struct bpf_program prog;
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	u32 reps = n >= 256 ? 1 : n >= 16 ? 8 : 64;   /* ~0.1-2 ms a trial */
	char fig[128], peer[160];
	double ours, theirs = 0;
	char *expr = bpf_expr(n);
	u64 t0;
	int have_peer, r;

	build_packets(n);
	if (pf_wrules_init(&w, &home, NULL) != 0)
		exit(1);
	add_rules(&w, n);

	t0 = bench_now_ns();
	have_peer = pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
	t0 = bench_now_ns() - t0;
	if (have_peer)
		fprintf(stderr, "bench_rules: N=%u: pcap_compile %u insns in %.1f ms\n",
			n, prog.bf_len, (double)t0 / 1e6);
	/* interleaved rounds, best of each: the machine is shared and noisy */
	ours = 0;
	for (r = 0; r < ROUNDS; r++) {
		ours = MAX(ours, run_ours(&w, n, reps));
		if (have_peer)
			theirs = MAX(theirs, run_bpf(&prog, reps));
	}
	if (have_peer) {
		snprintf(peer, sizeof(peer), "libpcap bpf_filter, same %u predicates or-ed (%u insns)",
			 n, prog.bf_len);
		pcap_freecode(&prog);
	} else {
		fprintf(stderr, "bench_rules: N=%u: pcap_compile failed: %s\n", n, pcap_geterr(dead));
	}
	snprintf(fig, sizeof(fig),
		 "wildcard rules, %u rules, no match until the last (Mpps, parse excluded)", n);
	bench_row(fig, ours, "Mpps", have_peer ? peer : NULL, theirs);

	free(expr);
	pcap_close(dead);
	pf_wrules_destroy(&w);
}

int main(void)
{
	static const u32 ns[] = { 1, 16, 256 };
	u32 i;

	for (i = 0; i < PF_ARRAY_SIZE(ns); i++)
		bench_n(ns[i]);
	return 0;
}
