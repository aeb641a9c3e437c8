/*
 * bench/bench_precise.c - precise (hash) rule lookups in a table of 1,000,000
 * rules, beside DPDK's rte_hash holding the same 1,000,000 keys.
 *
 * Rules: 3/4 IPv4, 1/4 IPv6, TCP/UDP/ICMP, half of them on a VLAN, random
 * hosts and ports. Lookups: 4M pre-generated packets (struct pf_pkt, parsed
 * fields filled) naming random rules in random directions (hit), or 4M random
 * tuples that are in no rule (miss).
 *
 *   ours: pf_precise_lookup(t, pkt) per packet, as the pipeline calls it.
 *   peer: DPDK 22.11 rte_hash (1M entries, 40-byte key, rte_hash_crc, default
 *         flags); per burst of 32 packets the same canonical key (endpoints
 *         ordered, so both directions hit) is built from each packet, then
 *         rte_hash_lookup_bulk_data() on the 32 keys, as DPDK apps use it.
 *
 * Two more rows put the same figures beside rte_hash_lookup_data(), one key at
 * a time, which is how our pipeline calls its lookup. Each figure is the best
 * of 5 rounds, ours and the peers' interleaved. Both tables live on 4 KiB pages
 * (EAL --no-huge, calloc). The memory each table uses is printed on stderr
 * (DPDK: heap bytes allocated by rte_hash_create).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_lcore.h>

#include "bench.h"
#include "core/precise.h"

#define N_RULES  1000000u
#define N_PKTS   (4u << 20)
#define ROUNDS   5
#define BURST    32

/* ------------------------------------------------------------------ home */

static u64 h_now(void *c) { (void)c; return bench_now_ns(); }
static void *h_alloc(void *c, size_t n) { (void)c; return calloc(1, n); }
static void h_free(void *c, void *p) { (void)c; free(p); }
static void h_nop(void *c) { (void)c; }

static const struct pf_home home = {
	.now_ns = h_now, .alloc = h_alloc, .free = h_free,
	.read_lock = h_nop, .read_unlock = h_nop, .synchronize = h_nop,
	.write_lock = h_nop, .write_unlock = h_nop,
};

/* ------------------------------------------------------------------ input */

static uint64_t rng_state = 0x5eed;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct tuple {
	u8 v4, proto;
	u16 vlan, pa, pb;
	ip_addr a, b;
};

/* Tuple i: host a is unique to i (first octet 10 / prefix 2001:db8::/96),
 * host b random elsewhere; absent tuples take host a from 11/8 / 2001:db9::. */
static void make_tuple(struct tuple *t, uint32_t i, int absent)
{
	static const u8 protos[3] = { 6, 17, 1 };
	uint64_t x = rnd(), y = rnd();

	memset(t, 0, sizeof(*t));
	t->v4 = i % 4 != 3;
	t->proto = protos[x % 3];
	t->vlan = (x >> 8) & 1 ? (u16)((x >> 16) & 0xfff) : 0;
	t->pa = t->proto == 1 ? 0 : (u16)(x >> 32);
	t->pb = t->proto == 1 ? 0 : (u16)(x >> 48);
	if (t->v4) {
		t->a.v4 = ((absent ? 11u : 10u) << 24) | (i + 1);
		t->b.v4 = 0xc0000000u | (uint32_t)(y & 0x3fffffff);
	} else {
		uint32_t id = i + 1;

		t->a.v6.s6_addr[0] = 0x20;
		t->a.v6.s6_addr[1] = 0x01;
		t->a.v6.s6_addr[2] = 0x0d;
		t->a.v6.s6_addr[3] = absent ? 0xb9 : 0xb8;
		memcpy(&t->a.v6.s6_addr[12], &id, 4);
		t->b.v6.s6_addr[0] = 0xfd;
		memcpy(&t->b.v6.s6_addr[2], &y, 8);
		y = rnd();
		memcpy(&t->b.v6.s6_addr[10], &y, 6);
	}
}

static void tuple_rule(const struct tuple *t, hash_filtering_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->vlan_id = t->vlan;
	r->proto = t->proto;
	r->host_peer_a = t->a;
	r->port_peer_a = t->pa;
	r->host_peer_b = t->b;
	r->port_peer_b = t->pb;
}

static void tuple_pkt(const struct tuple *t, int reverse, struct pf_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->parsed_level = 5;
	p->info.ip_version = t->v4 ? 4 : 6;
	p->info.vlan_id = t->vlan;
	p->info.l3_proto = t->proto;
	p->info.ip_src = reverse ? t->b : t->a;
	p->info.ip_dst = reverse ? t->a : t->b;
	p->info.l4_src_port = reverse ? t->pb : t->pa;
	p->info.l4_dst_port = reverse ? t->pa : t->pb;
}

/* ------------------------------------------------------------------ DPDK key */

struct dkey {
	u8 a[16], b[16];
	u16 pa, pb, vlan;
	u8 proto, pad;
};

_Static_assert(sizeof(struct dkey) == 40, "40-byte key");

static inline int ep_less(const u8 *x, u16 px, const u8 *y, u16 py)
{
	uint64_t xw[2], yw[2];

	memcpy(xw, x, 16);
	memcpy(yw, y, 16);
	if (xw[0] != yw[0])
		return xw[0] < yw[0];
	if (xw[1] != yw[1])
		return xw[1] < yw[1];
	return px < py;
}

/* The canonical key of a parsed packet, what a DPDK app would build. */
static inline void dkey_from_pkt(struct dkey *k, const struct pf_pkt *p)
{
	const struct pkt_parsing_info *in = &p->info;
	u8 s[16] = { 0 }, d[16] = { 0 };
	u16 sp = in->l4_src_port, dp = in->l4_dst_port;

	if (in->ip_version == 4) {
		memcpy(s, &in->ip_src.v4, 4);
		memcpy(d, &in->ip_dst.v4, 4);
	} else {
		memcpy(s, &in->ip_src, 16);
		memcpy(d, &in->ip_dst, 16);
	}
	if (ep_less(d, dp, s, sp)) {
		memcpy(k->a, d, 16);
		memcpy(k->b, s, 16);
		k->pa = dp;
		k->pb = sp;
	} else {
		memcpy(k->a, s, 16);
		memcpy(k->b, d, 16);
		k->pa = sp;
		k->pb = dp;
	}
	k->vlan = in->vlan_id;
	k->proto = in->l3_proto;
	k->pad = in->ip_version;
}

/* ------------------------------------------------------------------ runs */

static double run_ours(struct pf_precise_table *t, const struct pf_pkt *p, uint32_t n,
		       uint64_t *hits)
{
	uint64_t t0 = bench_now_ns(), h = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		h += pf_precise_lookup(t, &p[i]) != NULL;
	*hits = h;
	return n / ((bench_now_ns() - t0) / 1e3);
}

static double run_dpdk_bulk(const struct rte_hash *h, const struct pf_pkt *p, uint32_t n,
			    uint64_t *hits)
{
	struct dkey keys[BURST];
	const void *kp[BURST];
	void *data[BURST];
	uint64_t t0 = bench_now_ns(), cnt = 0, mask;
	uint32_t i, j;

	for (j = 0; j < BURST; j++)
		kp[j] = &keys[j];
	for (i = 0; i + BURST <= n; i += BURST) {
		for (j = 0; j < BURST; j++)
			dkey_from_pkt(&keys[j], &p[i + j]);
		rte_hash_lookup_bulk_data(h, kp, BURST, &mask, data);
		cnt += (uint64_t)__builtin_popcountll(mask);
	}
	*hits = cnt;
	return i / ((bench_now_ns() - t0) / 1e3);
}

static double run_dpdk_single(const struct rte_hash *h, const struct pf_pkt *p, uint32_t n,
			      uint64_t *hits)
{
	uint64_t t0 = bench_now_ns(), cnt = 0;
	struct dkey k;
	void *data;
	uint32_t i;

	for (i = 0; i < n; i++) {
		dkey_from_pkt(&k, &p[i]);
		cnt += rte_hash_lookup_data(h, &k, &data) >= 0;
	}
	*hits = cnt;
	return n / ((bench_now_ns() - t0) / 1e3);
}

static size_t dpdk_heap_bytes(void)
{
	struct rte_malloc_socket_stats st;
	size_t sum = 0;
	unsigned s;

	for (s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

static void check(const char *what, uint64_t hits, uint64_t want)
{
	if (hits != want)
		fprintf(stderr, "MISMATCH: %s found %llu, expected %llu\n", what,
			(unsigned long long)hits, (unsigned long long)want);
}

int main(void)
{
	char *eal[] = { "bench_precise", "--no-huge", "--no-pci", "-m", "512",
			"--no-telemetry", "--log-level=error", NULL };
	struct rte_hash_parameters hp = {
		.name = "bench_precise", .entries = N_RULES, .key_len = sizeof(struct dkey),
		.hash_func = rte_hash_crc, .hash_func_init_val = 0,
		.socket_id = 0, .extra_flag = 0,
	};
	double best[2][3] = { { 0 } };   /* [hit, miss][ours, bulk, single] */
	struct pf_pkt *pk[2];
	struct pf_precise_table *t;
	struct rte_hash *dh;
	struct tuple *tu;
	size_t heap0;
	uint64_t t0, hits;
	uint32_t i;
	int round, m;

	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	tu = malloc(sizeof(*tu) * N_RULES);
	pk[0] = malloc(sizeof(struct pf_pkt) * N_PKTS);
	pk[1] = malloc(sizeof(struct pf_pkt) * N_PKTS);
	t = pf_precise_create(&home, N_RULES);
	hp.socket_id = (int)rte_socket_id();
	heap0 = dpdk_heap_bytes();
	dh = rte_hash_create(&hp);
	if (!tu || !pk[0] || !pk[1] || !t || !dh) {
		fprintf(stderr, "setup failed (rte_hash: %s)\n", rte_strerror(rte_errno));
		return 1;
	}
	fprintf(stderr, "memory for %u rules: pfring %zu bytes (%.1f B/rule), "
		"rte_hash %zu bytes (%.1f B/key; key + data pointer only)\n", N_RULES,
		pf_precise_bytes(N_RULES), pf_precise_bytes(N_RULES) / (double)N_RULES,
		dpdk_heap_bytes() - heap0, (dpdk_heap_bytes() - heap0) / (double)N_RULES);

	for (i = 0; i < N_RULES; i++)
		make_tuple(&tu[i], i, 0);
	t0 = bench_now_ns();
	for (i = 0; i < N_RULES; i++) {
		hash_filtering_rule r;
		int err;

		tuple_rule(&tu[i], &r);
		err = pf_precise_add(t, &r);
		if (err) {
			fprintf(stderr, "pf_precise_add %u: %d\n", i, err);
			return 1;
		}
	}
	fprintf(stderr, "insert 1M: pfring %.0f ns/rule", (bench_now_ns() - t0) / 1e6);
	t0 = bench_now_ns();
	for (i = 0; i < N_RULES; i++) {
		struct pf_pkt p;
		struct dkey k;
		int err;

		tuple_pkt(&tu[i], 0, &p);
		dkey_from_pkt(&k, &p);
		err = rte_hash_add_key_data(dh, &k, &tu[i]);
		if (err) {
			fprintf(stderr, "\nrte_hash_add_key_data %u: %d\n", i, err);
			return 1;
		}
	}
	fprintf(stderr, ", rte_hash %.0f ns/key (key build included)\n",
		(bench_now_ns() - t0) / 1e6);

	for (i = 0; i < N_PKTS; i++) {
		struct tuple x;

		tuple_pkt(&tu[rnd() % N_RULES], (int)(rnd() & 1), &pk[0][i]);
		make_tuple(&x, (uint32_t)(rnd() % N_RULES), 1);
		tuple_pkt(&x, (int)(rnd() & 1), &pk[1][i]);
	}

	for (round = 0; round < ROUNDS; round++) {
		for (m = 0; m < 2; m++) {
			uint64_t want = m == 0 ? N_PKTS : 0;
			double v;

			v = run_ours(t, pk[m], N_PKTS, &hits);
			check("pfring", hits, want);
			if (v > best[m][0])
				best[m][0] = v;
			v = run_dpdk_bulk(dh, pk[m], N_PKTS, &hits);
			check("rte_hash bulk", hits, want);
			if (v > best[m][1])
				best[m][1] = v;
			v = run_dpdk_single(dh, pk[m], N_PKTS, &hits);
			check("rte_hash single", hits, want);
			if (v > best[m][2])
				best[m][2] = v;
		}
	}
	bench_row("precise rules, 1M entries, lookup hit (Mpps)", best[0][0], "Mpps",
		  "DPDK rte_hash_lookup_bulk_data x32 (CRC)", best[0][1]);
	bench_row("precise rules, 1M entries, lookup miss (Mpps)", best[1][0], "Mpps",
		  "DPDK rte_hash_lookup_bulk_data x32 (CRC)", best[1][1]);
	/* Like for like: the pipeline looks up one packet at a time. */
	bench_row("precise rules, 1M entries, hit, one key at a time (Mpps)", best[0][0], "Mpps",
		  "DPDK rte_hash_lookup_data (CRC)", best[0][2]);
	bench_row("precise rules, 1M entries, miss, one key at a time (Mpps)", best[1][0], "Mpps",
		  "DPDK rte_hash_lookup_data (CRC)", best[1][2]);

	rte_hash_free(dh);
	pf_precise_destroy(t);
	free(pk[0]);
	free(pk[1]);
	free(tu);
	rte_eal_cleanup();
	return 0;
}
