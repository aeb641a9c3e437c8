/*
 * tests/unit/test_sim_faults.c - the simulated NIC's fault injection (drop=,
 * truncate=, corrupt=, burst=) and the accounting identity
 *
 *   frames_on_wire = delivered + dropped(ring) + filtered + unsampled
 *                    + fault_dropped + hw_dropped
 *
 * through the public API, with an in-NIC rule, a wildcard rule, a BPF filter
 * and sampling on the ring. The NIC counters (wire, fault_dropped, hw_dropped,
 * truncated, corrupted) are not reachable through pfring.h, so they are read
 * with the NIC's own C API (sim/nic.h). Every other term is computed
 * independently:
 *  - the wire: libpcap reads the fixture (frames x loop);
 *  - what survives the NIC: a run with no ring filter, each frame identified by
 *    its timestamp (fixture frames are 1 ms apart, each loop shifted by the
 *    span + 1 us), compared byte by byte with libpcap's copy;
 *  - what survives the wildcard rule: a second run with only the rule, checked
 *    against the rule's own statistics;
 *  - BPF: libpcap's pcap_offline_filter on those survivors' bytes;
 *  - sampling: 1 of N of what passed, the first one first.
 * The full run must deliver exactly that sequence of frames, bytes included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include <pfring.h>
#include "../../sim/nic.h"

#define FIX(name) FIXTURE_DIR "/" name
#define SRC       FIX("many_flows.pcap")
#define NIC       "faults"
#define BPF_EXPR  "tcp and portrange 1024-40000"
#define SAMPLING  3
#define RULE_ID   5

/* ------------------------------------------------------------ the fixture */

struct orig {
	u_int32_t n;
	u_int64_t t0_us, period_us;        /* first frame; span + 1 us */
	u_int32_t caplen[2048], len[2048];
	u_char *data[2048];
	u_int32_t ipv4_udp;                /* frames the in-NIC rule drops */
};

static struct orig *orig_load(void)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *d;
	struct orig *o = calloc(1, sizeof(*o));
	pcap_t *p = pcap_open_offline(SRC, err);
	u_int64_t last = 0, us;

	assert_non_null(o);
	assert_non_null(p);
	assert_int_equal(pcap_compile(p, &prog, "ip and udp", 1, PCAP_NETMASK_UNKNOWN), 0);
	while (pcap_next_ex(p, &h, &d) == 1) {
		assert_true(o->n < 2048);
		us = (u_int64_t)h->ts.tv_sec * 1000000u + (u_int64_t)h->ts.tv_usec;
		if (o->n == 0)
			o->t0_us = us;
		last = us;
		o->caplen[o->n] = h->caplen;
		o->len[o->n] = h->len;
		o->data[o->n] = malloc(h->caplen);
		memcpy(o->data[o->n], d, h->caplen);
		o->ipv4_udp += pcap_offline_filter(&prog, h, d) != 0;
		o->n++;
	}
	pcap_freecode(&prog);
	pcap_close(p);
	assert_int_equal(o->n, 2000);
	o->period_us = last - o->t0_us + 1;
	return o;
}

static void orig_free(struct orig *o)
{
	u_int32_t i;

	for (i = 0; i < o->n; i++)
		free(o->data[i]);
	free(o);
}

/* ------------------------------------------------------------ one run */

struct frame {
	u_int32_t idx;                     /* loop * n + fixture index */
	u_int32_t caplen, len;
	u_char *data;
};

struct run {
	u_int32_t n, cap;
	struct frame *f;
	u_int64_t hash;                    /* FNV-1a over (idx, caplen, len, bytes) */
	u_int64_t recv, drop, rule_matches;
	struct sim_nic_counters nic;
};

static void fnv(u_int64_t *h, const void *p, size_t n)
{
	const u_char *b = p;

	while (n--)
		*h = (*h ^ *b++) * 1099511628211ull;
}

static u_int32_t frame_idx(const struct orig *o, const struct pfring_pkthdr *h)
{
	u_int64_t us = (u_int64_t)h->ts.tv_sec * 1000000u + (u_int64_t)h->ts.tv_usec - o->t0_us;
	u_int64_t loop = us / o->period_us, in = us % o->period_us;

	assert_int_equal(in % 1000, 0);
	assert_true(in / 1000 < o->n);
	return (u_int32_t)(loop * o->n + in / 1000);
}

static void run_add(struct run *r, const struct orig *o, const struct pfring_pkthdr *h,
		    const u_char *d)
{
	struct frame *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->f = realloc(r->f, r->cap * sizeof(*r->f));
		assert_non_null(r->f);
	}
	f = &r->f[r->n++];
	f->idx = frame_idx(o, h);
	f->caplen = h->caplen;
	f->len = h->len;
	f->data = malloc(h->caplen);
	assert_non_null(f->data);
	memcpy(f->data, d, h->caplen);
	fnv(&r->hash, &f->idx, sizeof(f->idx));
	fnv(&r->hash, &f->caplen, sizeof(f->caplen));
	fnv(&r->hash, &f->len, sizeof(f->len));
	fnv(&r->hash, d, h->caplen);
}

static void run_free(struct run *r)
{
	u_int32_t i;

	for (i = 0; i < r->n; i++)
		free(r->f[i].data);
	free(r->f);
	memset(r, 0, sizeof(*r));
}

enum { RING_PLAIN, RING_RULE, RING_FULL };

struct scenario {
	const char *faults;                /* "drop=0.05&burst=2", "" */
	u_int64_t seed;
	int hw_rule;                       /* the NIC drops IPv4 UDP */
};

static u_int32_t loops(void)
{
	return getenv("PF_TEST_QUICK") ? 2 : 6;
}

static void configure(pfring *p, int mode)
{
	filtering_rule rule;

	if (mode == RING_PLAIN)
		return;
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = RULE_ID;
	rule.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	rule.core_fields.proto = 17;
	assert_int_equal(pfring_add_filtering_rule(p, &rule), 0);
	if (mode == RING_RULE)
		return;
	assert_int_equal(pfring_set_bpf_filter(p, (char *)BPF_EXPR), 0);
	assert_int_equal(pfring_set_sampling_rate(p, SAMPLING), 0);
}

/* Replay the fixture through the NIC with s's options into one ring set up as
 * mode; record every delivered frame and every counter. */
static void run_once(const struct orig *o, const struct scenario *s, int mode, struct run *r)
{
	struct pfring_pkthdr h;
	hw_filtering_rule hw;
	pfring_rule_stats st;
	pfring_stat ps;
	u_int len = sizeof(st);
	char dev[512];
	u_char *d;
	int rc;
	pfring *p;

	memset(r, 0, sizeof(*r));
	r->hash = 14695981039346656037ull;
	snprintf(dev, sizeof(dev), "sim:" NIC "?pcap=%s&loop=%u&seed=%llu%s%s", SRC, loops(),
		 (unsigned long long)s->seed, s->faults[0] ? "&" : "", s->faults);
	p = pfring_open(dev, 16384, PF_RING_LONG_HEADER);
	assert_non_null(p);
	if (s->hw_rule) {
		memset(&hw, 0, sizeof(hw));
		hw.rule_family_type = intel_82599_five_tuple_rule;
		hw.rule_id = 1;
		hw.rule_family.five_tuple_rule.proto = 17;
		hw.rule_family.five_tuple_rule.queue_id = 200;   /* no such queue: dropped */
		assert_int_equal(pfring_add_hw_rule(p, &hw), 0);
	}
	configure(p, mode);
	assert_int_equal(pfring_enable_ring(p), 0);
	while ((rc = pfring_recv(p, &d, 0, &h, 0)) == 1) {
		/* the parser ran on it (long header); parse again from scratch */
		assert_true(pfring_parse_pkt(d, &h, 4, 0, 1) >= 0);
		run_add(r, o, &h, d);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(pfring_stats(p, &ps), 0);
	r->recv = ps.recv;
	r->drop = ps.drop;
	if (mode != RING_PLAIN) {
		assert_int_equal(pfring_get_filtering_rule_stats(p, RULE_ID, (char *)&st, &len), 0);
		r->rule_matches = st.matching_packets;
	}
	assert_non_null(sim_nic_find(NIC));
	sim_nic_counters(sim_nic_find(NIC), &r->nic);
	pfring_close(p);
	assert_null(sim_nic_find(NIC));      /* the next run replays from the start */
}

/* ------------------------------------------------------------ checks */

static void assert_same_nic(const struct sim_nic_counters *a, const struct sim_nic_counters *b)
{
	assert_int_equal(a->wire, b->wire);
	assert_int_equal(a->fault_dropped, b->fault_dropped);
	assert_int_equal(a->hw_dropped, b->hw_dropped);
	assert_int_equal(a->truncated, b->truncated);
	assert_int_equal(a->corrupted, b->corrupted);
}

/* Maximal runs of hit frames (in the order the fault's stream saw them) are
 * whole bursts of burst + 1, except one cut by the end of the wire. */
static void assert_bursts(const u_int8_t *hit, u_int32_t n, u_int32_t burst)
{
	u_int32_t i = 0, j;

	while (i < n) {
		if (!hit[i]) {
			i++;
			continue;
		}
		for (j = i; j < n && hit[j]; j++)
			;
		if (j < n)
			assert_int_equal((j - i) % (burst + 1), 0);
		i = j;
	}
}

/* What the NIC let through, against the fixture: returns nothing, asserts the
 * fault counters from what the frames show. */
static void check_wire(const struct orig *o, const struct scenario *s, const struct run *w,
		       u_int32_t burst)
{
	u_int32_t total = o->n * loops(), i, trunc = 0, corrupt = 0, prev = 0;
	u_int8_t *missing = calloc(total, 1), *cut = calloc(w->n + 1, 1);

	assert_non_null(missing);
	assert_non_null(cut);
	assert_int_equal(w->nic.wire, total);
	assert_int_equal(w->n, w->nic.wire - w->nic.fault_dropped - w->nic.hw_dropped);
	assert_int_equal(w->recv, w->n);
	assert_int_equal(w->drop, 0);
	memset(missing, 1, total);
	for (i = 0; i < w->n; i++) {
		const struct frame *f = &w->f[i];
		u_int32_t k = f->idx % o->n;

		assert_true(i == 0 || f->idx > prev);           /* in wire order */
		prev = f->idx;
		missing[f->idx] = 0;
		assert_int_equal(f->len, o->len[k]);
		assert_true(f->caplen >= 14 && f->caplen <= f->len);
		assert_true(f->caplen <= o->caplen[k]);
		assert_memory_equal(f->data, o->data[k], 14);   /* faults spare Ethernet */
		if (f->caplen < o->caplen[k]) {
			trunc++;
			cut[i] = 1;
		}
		if (memcmp(f->data, o->data[k], f->caplen))
			corrupt++;
	}
	if (s->hw_rule) {
		/* the NIC counts faults before its rules drop some of the hit frames */
		assert_true(trunc <= w->nic.truncated);
		assert_true(w->nic.truncated - trunc <= w->nic.hw_dropped);
		assert_true(corrupt <= w->nic.corrupted);
		assert_true(w->nic.corrupted - corrupt <= w->nic.hw_dropped);
	} else {
		assert_int_equal(trunc, w->nic.truncated);
		assert_int_equal(corrupt, w->nic.corrupted);
	}
	/* each fault asked for happened, and none other */
	assert_true(strstr(s->faults, "truncate") ? trunc > 0 : trunc == 0);
	assert_true(strstr(s->faults, "corrupt") ? corrupt > 0 : corrupt == 0);
	assert_true(strstr(s->faults, "drop") ? w->nic.fault_dropped > 0
					      : w->nic.fault_dropped == 0);
	if (s->hw_rule && !s->faults[0])
		assert_int_equal(w->nic.hw_dropped, (u_int64_t)o->ipv4_udp * loops());
	if (!s->hw_rule) {
		assert_int_equal(w->nic.hw_dropped, 0);
		/* truncate= draws once per frame that drop= spared: the delivered */
		assert_bursts(missing, total, burst);
		assert_bursts(cut, w->n, burst);
	}
	free(missing);
	free(cut);
}

static u_int32_t burst_of(const char *faults)
{
	const char *b = strstr(faults, "burst=");

	return b ? (u_int32_t)strtoul(b + 6, NULL, 10) : 0;
}

static int bpf_accepts(const struct bpf_program *prog, const struct frame *f)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = f->caplen;
	h.len = f->len;
	return pcap_offline_filter(prog, &h, f->data) != 0;
}

static void scenario_run(const struct scenario *s)
{
	struct orig *o = orig_load();
	struct run w, w2, rl, full;
	struct bpf_program prog;
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	u_int32_t i, bpass = 0, sampled = 0;
	u_int64_t filtered, unsampled;

	assert_non_null(dead);
	assert_int_equal(pcap_compile(dead, &prog, BPF_EXPR, 1, PCAP_NETMASK_UNKNOWN), 0);

	/* what the NIC lets through, twice: the same bytes */
	run_once(o, s, RING_PLAIN, &w);
	check_wire(o, s, &w, burst_of(s->faults));
	run_once(o, s, RING_PLAIN, &w2);
	assert_int_equal(w2.n, w.n);
	assert_true(w2.hash == w.hash);
	assert_same_nic(&w.nic, &w2.nic);
	run_free(&w2);

	/* the wildcard rule alone: it drops what its statistics say */
	run_once(o, s, RING_RULE, &rl);
	assert_same_nic(&w.nic, &rl.nic);
	assert_int_equal(rl.recv, rl.n);
	assert_int_equal(rl.drop, 0);
	assert_int_equal(rl.rule_matches + rl.n, w.n);
	assert_true(rl.rule_matches > 0 && rl.n > 0);

	/* rule + BPF + sampling: exactly the predicted frames, in order */
	run_once(o, s, RING_FULL, &full);
	assert_same_nic(&w.nic, &full.nic);
	assert_int_equal(full.rule_matches, rl.rule_matches);
	for (i = 0; i < rl.n; i++) {
		const struct frame *f = &rl.f[i];

		if (!bpf_accepts(&prog, f))
			continue;
		if (bpass++ % SAMPLING)
			continue;
		assert_true(sampled < full.n);
		assert_int_equal(full.f[sampled].idx, f->idx);
		assert_int_equal(full.f[sampled].caplen, f->caplen);
		assert_memory_equal(full.f[sampled].data, f->data, f->caplen);
		sampled++;
	}
	assert_int_equal(full.n, sampled);
	assert_int_equal(sampled, (bpass + SAMPLING - 1) / SAMPLING);
	assert_true(bpass > 0 && bpass < rl.n);
	assert_int_equal(full.recv, full.n);
	assert_int_equal(full.drop, 0);

	/* the identity, each term from its own source */
	filtered = full.rule_matches + (rl.n - bpass);
	unsampled = bpass - sampled;
	assert_int_equal((u_int64_t)o->n * loops(), full.nic.wire);
	assert_int_equal(full.nic.wire, full.recv + full.drop + filtered + unsampled +
			 full.nic.fault_dropped + full.nic.hw_dropped);

	pcap_freecode(&prog);
	pcap_close(dead);
	run_free(&w);
	run_free(&rl);
	run_free(&full);
	orig_free(o);
}

/* ------------------------------------------------------------ scenarios */

static void test_no_faults(void **state)
{
	const struct scenario s = { "", 1, 0 };

	(void)state;
	scenario_run(&s);
}

static void test_no_faults_hw_rule(void **state)
{
	const struct scenario s = { "", 1, 1 };

	(void)state;
	scenario_run(&s);
}

static void test_drop(void **state)
{
	const struct scenario s = { "drop=0.05", 7, 0 };

	(void)state;
	scenario_run(&s);
}

static void test_truncate(void **state)
{
	const struct scenario s = { "truncate=0.1", 7, 1 };

	(void)state;
	scenario_run(&s);
}

static void test_corrupt(void **state)
{
	const struct scenario s = { "corrupt=0.2", 7, 0 };

	(void)state;
	scenario_run(&s);
}

static void test_drop_burst(void **state)
{
	const struct scenario s = { "drop=0.02&burst=3", 11, 0 };

	(void)state;
	scenario_run(&s);
}

static void test_truncate_burst(void **state)
{
	const struct scenario s = { "truncate=0.05&burst=2", 11, 0 };

	(void)state;
	scenario_run(&s);
}

static void test_all_faults(void **state)
{
	const struct scenario s = { "drop=0.03&truncate=0.1&corrupt=0.1&burst=1", 42, 1 };

	(void)state;
	scenario_run(&s);
}

/* Probability 1: every frame hit; 0: none. */
static void test_extremes(void **state)
{
	const struct scenario all_cut = { "truncate=1", 3, 0 };
	const struct scenario none = { "drop=0&truncate=0&corrupt=0", 3, 0 };
	struct orig *o = orig_load();
	struct run r;
	u_int32_t i;

	(void)state;
	run_once(o, &all_cut, RING_PLAIN, &r);
	assert_int_equal(r.n, o->n * loops());
	assert_int_equal(r.nic.truncated, o->n * loops());
	for (i = 0; i < r.n; i++)
		assert_true(r.f[i].caplen >= 14 && r.f[i].caplen < o->caplen[r.f[i].idx % o->n]);
	run_free(&r);
	run_once(o, &none, RING_PLAIN, &r);
	assert_int_equal(r.n, o->n * loops());
	for (i = 0; i < r.n; i++) {
		assert_int_equal(r.f[i].idx, i);
		assert_int_equal(r.f[i].caplen, o->caplen[i % o->n]);
		assert_memory_equal(r.f[i].data, o->data[i % o->n], r.f[i].caplen);
	}
	run_free(&r);
	/* drop=1: nothing reaches the ring, all counted */
	{
		const struct scenario gone = { "drop=1", 3, 0 };

		run_once(o, &gone, RING_PLAIN, &r);
		assert_int_equal(r.n, 0);
		assert_int_equal(r.nic.fault_dropped, o->n * loops());
		run_free(&r);
	}
	orig_free(o);
}

/* The same options and seed give the same wire; another seed another one. */
static void test_seed(void **state)
{
	const char *const opts[] = { "drop=0.05", "truncate=0.1", "corrupt=0.1",
				     "drop=0.03&truncate=0.1&corrupt=0.1&burst=1" };
	struct orig *o = orig_load();
	struct run a, b, c;
	unsigned int k;

	(void)state;
	for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
		const struct scenario s1 = { opts[k], 100, 0 }, s2 = { opts[k], 101, 0 };

		run_once(o, &s1, RING_PLAIN, &a);
		run_once(o, &s1, RING_PLAIN, &b);
		run_once(o, &s2, RING_PLAIN, &c);
		assert_int_equal(a.n, b.n);
		assert_true(a.hash == b.hash);
		assert_same_nic(&a.nic, &b.nic);
		assert_true(a.hash != c.hash);
		run_free(&a);
		run_free(&b);
		run_free(&c);
	}
	orig_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_faults),
		cmocka_unit_test(test_no_faults_hw_rule),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_drop_burst),
		cmocka_unit_test(test_truncate_burst),
		cmocka_unit_test(test_all_faults),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
