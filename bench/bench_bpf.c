/*
 * bench/bench_bpf.c - core's BPF executor against libpcap's bpf_filter().
 *
 * The same compiled program (pfring_bpf_compile(), i.e. pcap_compile with the
 * optimizer) runs over the same ~3000-packet mix of 64-byte frames: the
 * tests/fixtures/mix64.pcap capture when it is there (run from the repository
 * root), else a mix synthesized in memory. One core. The machine is shared
 * and noisy, so each round is one short pass over the mix (~0.1 ms), the two
 * engines alternate pass by pass, and each figure is the best of many rounds:
 * short intervals find the quiet moments, and both engines get the same ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "bench.h"
#include "core/bpf.h"
#include "lib/bpf_compile.h"

#define SNAPLEN  65535
#define MAX_PKTS 4096
#define PKT_SIZE 64
#define ROUNDS   3000       /* one pass over the mix each, per engine */

struct mix {
	uint8_t *buf;            /* n frames of PKT_SIZE bytes, back to back */
	uint32_t caplen[MAX_PKTS], len[MAX_PKTS];
	uint32_t n;
};

static int load_pcap(struct mix *m, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, err);

	if (!p)
		return -1;
	while (m->n < MAX_PKTS && pcap_next_ex(p, &h, &data) == 1) {
		uint32_t c = h->caplen < PKT_SIZE ? h->caplen : PKT_SIZE;

		memcpy(m->buf + (size_t)m->n * PKT_SIZE, data, c);
		m->caplen[m->n] = c;
		m->len[m->n] = h->len;
		m->n++;
	}
	pcap_close(p);
	return m->n ? 0 : -1;
}

/* IPv4 TCP / IPv4 UDP / IPv6 UDP / VLAN IPv4 TCP / ICMP, random addresses and
 * ports, a few of them port 80 or 22 or in 1000-2000. */
static void synthesize(struct mix *m)
{
	uint64_t s = 0x6d69783634ull;
	uint32_t i;

	for (i = 0; i < 3000; i++) {
		uint8_t *f = m->buf + (size_t)i * PKT_SIZE;
		uint32_t r, kind, l3 = 14;
		uint16_t sport, dport;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		r = (uint32_t)(s >> 32);
		kind = r % 5;
		memset(f, 0, PKT_SIZE);
		memcpy(f, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
		sport = (uint16_t)(1024 + (r >> 8) % 3000);
		dport = (r >> 20) % 4 == 0 ? 80 : (r >> 20) % 4 == 1 ? 22 : (uint16_t)(r >> 16);
		if (kind == 3) {
			f[12] = 0x81; f[14] = 0; f[15] = 100;
			l3 = 18;
		}
		if (kind == 2) {
			f[l3 - 2] = 0x86; f[l3 - 1] = 0xdd;
			f[l3] = 0x60; f[l3 + 5] = 8; f[l3 + 6] = 17; f[l3 + 7] = 64;
			f[l3 + 8] = 0x20; f[l3 + 9] = 0x01; f[l3 + 23] = (uint8_t)r;
			f[l3 + 24] = 0x20; f[l3 + 25] = 0x01; f[l3 + 39] = (uint8_t)(r >> 8);
			l3 += 40;
		} else {
			f[l3 - 2] = 0x08;
			f[l3] = 0x45; f[l3 + 3] = 46; f[l3 + 8] = 64;
			f[l3 + 9] = kind == 4 ? 1 : kind == 1 ? 17 : 6;
			f[l3 + 12] = (r & 1) ? 10 : 192; f[l3 + 13] = (uint8_t)(r >> 3);
			f[l3 + 15] = (uint8_t)(r >> 11);
			f[l3 + 16] = 10; f[l3 + 19] = (uint8_t)(r >> 19);
			l3 += 20;
		}
		f[l3] = sport >> 8; f[l3 + 1] = sport & 0xff;
		f[l3 + 2] = dport >> 8; f[l3 + 3] = dport & 0xff;
		m->caplen[i] = m->len[i] = PKT_SIZE;
	}
	m->n = 3000;
}

/* One pass over the mix: Mpps. */
static double run_ours(const struct pf_bpf_prog *prog, const struct mix *m, uint64_t *acc)
{
	uint64_t t0 = bench_now_ns(), sum = 0;
	uint32_t i;

	for (i = 0; i < m->n; i++)
		sum += pf_bpf_run(prog, m->buf + (size_t)i * PKT_SIZE, m->caplen[i], m->len[i]);
	*acc += sum;
	return (double)m->n * 1e3 / (double)(bench_now_ns() - t0);
}

static double run_pcap(const struct bpf_insn *insns, const struct mix *m, uint64_t *acc)
{
	uint64_t t0 = bench_now_ns(), sum = 0;
	uint32_t i;

	for (i = 0; i < m->n; i++)
		sum += bpf_filter(insns, m->buf + (size_t)i * PKT_SIZE, m->len[i], m->caplen[i]);
	*acc += sum;
	return (double)m->n * 1e3 / (double)(bench_now_ns() - t0);
}

static void *b_alloc(void *ctx, size_t n) { (void)ctx; return calloc(1, n); }
static void b_free(void *ctx, void *p) { (void)ctx; free(p); }
static const struct pf_home home = { .alloc = b_alloc, .free = b_free };

static int bench_expr(const char *expr, const struct mix *m)
{
	struct pf_bpf_insn *insns;
	struct pf_bpf_prog *prog;
	double best_ours = 0, best_pcap = 0, v;
	uint64_t acc_ours = 0, acc_pcap = 0;
	char err[PCAP_ERRBUF_SIZE], figure[256];
	uint32_t n, r, accepted = 0, i;

	if (pfring_bpf_compile(expr, SNAPLEN, &insns, &n, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", expr, err);
		return -1;
	}
	prog = pf_bpf_prepare(&home, insns, n, err, sizeof(err));
	if (!prog) {
		fprintf(stderr, "%s: %s\n", expr, err);
		free(insns);
		return -1;
	}
	for (i = 0; i < m->n; i++) {
		uint8_t *p = m->buf + (size_t)i * PKT_SIZE;
		uint32_t a = pf_bpf_run(prog, p, m->caplen[i], m->len[i]);

		if (a != bpf_filter((struct bpf_insn *)insns, p, m->len[i], m->caplen[i])) {
			fprintf(stderr, "%s: verdicts differ on packet %u\n", expr, i);
			return -1;
		}
		accepted += a != 0;
	}
	for (r = 0; r < ROUNDS; r++) {
		v = run_ours(prog, m, &acc_ours);
		best_ours = v > best_ours ? v : best_ours;
		v = run_pcap((struct bpf_insn *)insns, m, &acc_pcap);
		best_pcap = v > best_pcap ? v : best_pcap;
	}
	bench_keep(acc_ours);
	bench_keep(acc_pcap);
	fprintf(stderr, "`%s`: %u insns, accepts %u of %u packets\n", expr, n, accepted, m->n);
	snprintf(figure, sizeof(figure), "BPF `%s` (%u insns), 64B mix, 1 core", expr, n);
	bench_row(figure, best_ours, "Mpps", "libpcap 1.10 bpf_filter", best_pcap);
	pf_bpf_free(&home, prog);
	free(insns);
	return 0;
}

int main(void)
{
	static const char *const exprs[] = {
		"tcp port 80",
		"tcp port 80 or (vlan and tcp port 80)",
		"(tcp or udp) and net 10.0.0.0/8 and not port 22 and portrange 1000-2000",
	};
	struct mix *m = calloc(1, sizeof(*m));
	size_t i;
	int rc = 0;

	if (!m || !(m->buf = calloc(MAX_PKTS, PKT_SIZE)))
		return 1;
	if (load_pcap(m, "tests/fixtures/mix64.pcap") == 0) {
		fprintf(stderr, "packets: tests/fixtures/mix64.pcap (%u frames)\n", m->n);
	} else {
		m->n = 0;
		synthesize(m);
		fprintf(stderr, "packets: no tests/fixtures/mix64.pcap here, %u frames synthesized "
			"in memory\n", m->n);
	}
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		rc |= bench_expr(exprs[i], m);
	free(m->buf);
	free(m);
	return rc ? 1 : 0;
}
