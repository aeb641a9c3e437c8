/*
 * tests/unit/test_zc_bouncer.c - the DNA Bouncer (backends/zero/bouncer.c)
 * through the public API (spec 9.2): one-way and two-way between sim: NICs,
 * both forms of the decision function, packets changed in place, breakloop
 * from another thread and from a signal handler, the counters, the errors;
 * and dna: to dna: over two fake 82574s (tests/unit/fake_bus.h), where the
 * decision function must see the NIC's own buffer and an idle bouncer must
 * flush what it sent.
 *
 * What an egress sim: NIC sent is read back from its txpcap= file (written
 * out when the bouncer's destroy closes the rings); expected frames come from
 * libpcap reading the fixture. Loops run in a thread of their own, stopped by
 * pfring_dna_bouncer_breakloop once the counters say every packet came.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include <pfring.h>
#include <pfring_zero.h>
#include "backends/dna/dna.h"   /* pf_dna_set_bus_opener: the fake NICs */
#include "fake_bus.h"

#define FIX(name) FIXTURE_DIR "/" name
#define MAX_FRAMES 4096
#define CAPLEN 1536
#define TIMEOUT_MS 20000   /* valgrind is slow; a pass takes far less */

/* ------------------------------------------------------------ pcap files */

struct frames {
	u_int32_t n;
	u_int32_t caplen[MAX_FRAMES];
	u_char *data[MAX_FRAMES];
};

static struct frames *frames_load(const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	struct frames *f = calloc(1, sizeof(*f));
	pcap_t *p = pcap_open_offline(file, err);

	assert_non_null(f);
	if (p == NULL)
		fail_msg("%s: %s", file, err);
	while (pcap_next_ex(p, &h, &d) == 1) {
		assert_true(f->n < MAX_FRAMES);
		f->caplen[f->n] = h->caplen;
		f->data[f->n] = malloc(h->caplen + 4);
		memcpy(f->data[f->n], d, h->caplen);
		f->n++;
	}
	pcap_close(p);
	return f;
}

static void frames_free(struct frames *f)
{
	for (u_int32_t i = 0; i < f->n; i++)
		free(f->data[i]);
	free(f);
}

/* Keeps the frames i of f for which keep(i) is nonzero, in order. */
static void frames_keep(struct frames *f, int (*keep)(u_int32_t i))
{
	u_int32_t n = 0;

	for (u_int32_t i = 0; i < f->n; i++) {
		if (keep(i)) {
			f->caplen[n] = f->caplen[i];
			f->data[n++] = f->data[i];
		} else {
			free(f->data[i]);
		}
	}
	f->n = n;
}

/* The file holds exactly want's frames, in order, byte-identical. */
static void assert_file_holds(const char *file, const struct frames *want)
{
	struct frames *got = frames_load(file);

	assert_int_equal(got->n, want->n);
	for (u_int32_t i = 0; i < want->n; i++) {
		assert_int_equal(got->caplen[i], want->caplen[i]);
		assert_memory_equal(got->data[i], want->data[i], want->caplen[i]);
	}
	frames_free(got);
}

static void tmpname(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/tmp/test_zc_bouncer_%d_%s.pcap", (int)getpid(), what);
	unlink(buf);
}

/* A sim: NIC replaying fixture, recording what it sends in txfile (if any). */
static pfring *open_sim(const char *name, const char *fixture, const char *txfile,
			const char *more)
{
	char dev[700];
	pfring *r;

	snprintf(dev, sizeof(dev), "sim:%s?pcap=%s%s%s%s", name, fixture,
		 txfile ? "&txpcap=" : "", txfile ? txfile : "", more ? more : "");
	r = pfring_open(dev, CAPLEN, 0);
	if (r == NULL)
		fail_msg("pfring_open(%s): errno %d", dev, errno);
	return r;
}

/* ------------------------------------------------------------ the loop, in a thread */

struct ctx {
	pfring_dna_bouncer *h;
	u_int32_t calls[2];              /* decision calls per direction */
	u_int32_t wrong_dir;             /* calls with a direction above 1 */
	const u_char *lo, *hi;           /* dna: the ingress NIC's DMA memory */
	u_int32_t outside;               /* packets not in it */
};

struct runner {
	pfring_dna_bouncer *h;
	pfring_dna_bouncer_decision_func var_len;
	pfring_dna_bouncer_fixed_len_decision_func fixed_len;
	struct ctx *ctx;
	u_int8_t wait;
	int rc;
	pthread_t thread;
};

static void *run_loop(void *arg)
{
	struct runner *r = arg;

	if (r->fixed_len)  /* pfring_zero.h picks the form on the function's type */
		r->rc = pfring_dna_bouncer_loop(r->h, r->fixed_len, (const u_char *)r->ctx, r->wait);
	else
		r->rc = pfring_dna_bouncer_loop(r->h, r->var_len, (const u_char *)r->ctx, r->wait);
	return NULL;
}

/* What a failed test leaves, for teardown: its loop, its bouncer (and rings). */
static struct runner *live_runner;
static pfring_dna_bouncer *live_bouncer;

static pfring_dna_bouncer *bouncer_of(pfring *in, pfring *out)
{
	live_bouncer = pfring_dna_bouncer_create(in, out);
	return live_bouncer;
}

static void bouncer_done(pfring_dna_bouncer *h)
{
	pfring_dna_bouncer_destroy(h);
	live_bouncer = NULL;
}

static void start(struct runner *r)
{
	r->rc = 12345;
	assert_int_equal(pthread_create(&r->thread, NULL, run_loop, r), 0);
	live_runner = r;
}

static u_int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u_int64_t)ts.tv_sec * 1000u + (u_int64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits until direction dir has received n packets: 1, or 0 after TIMEOUT_MS. */
static int wait_recv(pfring_dna_bouncer *h, u_int8_t dir, u_int64_t n)
{
	u_int64_t until = now_ms() + TIMEOUT_MS;
	pfring_dna_bouncer_stat s;

	do {
		assert_int_equal(pfring_dna_bouncer_stats(h, dir, &s), 0);
		if (s.recv >= n)
			break;
		sleep_ms(2);
	} while (now_ms() < until);
	if (s.recv != n)
		fprintf(stderr, "wait_recv: direction %u received %llu, want %llu\n", dir,
			(unsigned long long)s.recv, (unsigned long long)n);
	return s.recv == n;
}

/* Stops the loop, joins it; its return code. */
static int stop(struct runner *r)
{
	live_runner = NULL;
	pfring_dna_bouncer_breakloop(r->h);
	assert_int_equal(pthread_join(r->thread, NULL), 0);
	return r->rc;
}

static void assert_stats(pfring_dna_bouncer *h, u_int8_t dir, u_int64_t recv, u_int64_t fwd,
			 u_int64_t dropped, u_int64_t tx_failed)
{
	pfring_dna_bouncer_stat s;

	assert_int_equal(pfring_dna_bouncer_stats(h, dir, &s), 0);
	assert_int_equal(s.recv, recv);
	assert_int_equal(s.forwarded, fwd);
	assert_int_equal(s.dropped, dropped);
	assert_int_equal(s.tx_failed, tx_failed);
	assert_int_equal(s.recv, s.forwarded + s.dropped + s.tx_failed);
}

/* ------------------------------------------------------------ decision functions */

static int every_third(u_int32_t i) { return i % 3 != 2; }
static int every_fifth(u_int32_t i) { return i % 5 != 0; }

/* Drops every third packet of direction 0 and every fifth of direction 1. */
static int drop_by_index(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
			 u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;
	u_int32_t i;

	(void)pkt_len;
	(void)pkt;
	if (direction > 1) {
		c->wrong_dir++;
		return DNA_BOUNCER_DROP;
	}
	i = c->calls[direction]++;
	if (direction == 0)
		return every_third(i) ? DNA_BOUNCER_PASS : DNA_BOUNCER_DROP;
	return every_fifth(i) ? DNA_BOUNCER_PASS : DNA_BOUNCER_DROP;
}

/* UDP over IPv4 or IPv6 (no extension headers in many_flows.pcap). */
static int is_udp(const u_char *pkt, u_int32_t len)
{
	if (len >= 24 && pkt[12] == 0x08 && pkt[13] == 0x00)
		return pkt[23] == 17;
	if (len >= 21 && pkt[12] == 0x86 && pkt[13] == 0xdd)
		return pkt[20] == 17;
	return 0;
}

static int drop_udp(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
		    u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;

	c->calls[direction & 1]++;
	return is_udp(pkt, *pkt_len) ? DNA_BOUNCER_DROP : DNA_BOUNCER_PASS;
}

/* By i % 4: cut to 42 bytes and mark byte 0; grow by 4 bytes; length 0;
 * a length beyond any buffer. The last two cannot be sent. */
static int change_length(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
			 u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;
	u_int32_t i = c->calls[direction & 1]++;

	switch (i % 4) {
	case 0:
		*pkt_len = 42;
		pkt[0] = 0xee;
		break;
	case 1:
		memcpy(pkt + *pkt_len, "\xde\xad\xbe\xef", 4);
		*pkt_len += 4;
		break;
	case 2:
		*pkt_len = 0;
		break;
	default:
		*pkt_len = 100000;
		break;
	}
	return DNA_BOUNCER_PASS;
}

/* pfdnabounce.c's form: marks the source MAC's first byte, drops every third. */
static int fixed_mark_every_third(u_int16_t pkt_len, u_char *pkt, const u_char *user_bytes)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;
	u_int32_t i = c->calls[0]++;

	assert_true(pkt_len >= 14);
	pkt[6] = 0x42;
	return every_third(i) ? DNA_BOUNCER_PASS : DNA_BOUNCER_DROP;
}

static int pass_all(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
		    u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;

	(void)pkt_len;
	(void)pkt;
	c->calls[direction & 1]++;
	return DNA_BOUNCER_PASS;
}

/* ------------------------------------------------------------ one-way on sim: */

/* many_flows.pcap from NIC in to NIC out through decide; what out sent. */
static void one_way(const char *tag, pfring_dna_bouncer_decision_func decide,
		    pfring_dna_bouncer_fixed_len_decision_func fixed, u_int8_t wait,
		    struct ctx *c, const char *tx)
{
	char in_name[32], out_name[32];
	static struct runner r;
	pfring *in, *out;

	r = (struct runner){ .var_len = decide, .fixed_len = fixed, .ctx = c, .wait = wait };
	snprintf(in_name, sizeof(in_name), "%si", tag);
	snprintf(out_name, sizeof(out_name), "%so", tag);
	in = open_sim(in_name, FIX("many_flows.pcap"), NULL, NULL);
	out = open_sim(out_name, FIX("ipv4_icmp.pcap"), tx, NULL);
	r.h = c->h = bouncer_of(in, out);
	assert_non_null(r.h);
	start(&r);
	assert_true(wait_recv(r.h, 0, 2000));
	assert_int_equal(stop(&r), 0);
}

static void test_one_way_drops_every_third(void **state)
{
	struct frames *want = frames_load(FIX("many_flows.pcap"));
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	char tx[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	tmpname(tx, sizeof(tx), "third");
	one_way("t3", drop_by_index, NULL, 1, &c, tx);
	assert_int_equal(c.calls[0], 2000);
	assert_int_equal(c.calls[1], 0);
	assert_int_equal(c.wrong_dir, 0);
	assert_stats(c.h, 0, 2000, 1334, 666, 0);
	assert_stats(c.h, 1, 0, 0, 0, 0);
	bouncer_done(c.h);
	frames_keep(want, every_third);
	assert_file_holds(tx, want);
	unlink(tx);
	frames_free(want);
}

static struct frames *udp_ref;
static int not_udp(u_int32_t i) { return !is_udp(udp_ref->data[i], udp_ref->caplen[i]); }

static void test_one_way_active_wait_drops_by_byte(void **state)
{
	struct frames *want = frames_load(FIX("many_flows.pcap"));
	u_int32_t udp = 0;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	char tx[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	for (u_int32_t i = 0; i < want->n; i++)
		udp += (u_int32_t)is_udp(want->data[i], want->caplen[i]);
	assert_true(udp > 500 && udp < 1500);
	tmpname(tx, sizeof(tx), "udp");
	one_way("au", drop_udp, NULL, 0, &c, tx);
	assert_stats(c.h, 0, 2000, 2000 - udp, udp, 0);
	bouncer_done(c.h);
	udp_ref = frames_load(FIX("many_flows.pcap"));
	frames_keep(want, not_udp);
	frames_free(udp_ref);
	assert_file_holds(tx, want);
	unlink(tx);
	frames_free(want);
}

static void test_var_len_changes_bytes_and_length(void **state)
{
	struct frames *want = frames_load(FIX("many_flows.pcap"));
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	u_int32_t n = 0;
	char tx[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	tmpname(tx, sizeof(tx), "len");
	one_way("vl", change_length, NULL, 1, &c, tx);
	/* lengths 0 and 100000 are counted, not sent */
	assert_stats(c.h, 0, 2000, 1000, 0, 1000);
	bouncer_done(c.h);
	for (u_int32_t i = 0; i < want->n; i++) {
		if (i % 4 == 0) {
			want->caplen[n] = 42;
			want->data[i][0] = 0xee;
		} else if (i % 4 == 1) {
			memcpy(want->data[i] + want->caplen[i], "\xde\xad\xbe\xef", 4);
			want->caplen[n] = want->caplen[i] + 4;
		} else {
			free(want->data[i]);
			continue;
		}
		want->data[n++] = want->data[i];
	}
	want->n = n;
	assert_file_holds(tx, want);
	unlink(tx);
	frames_free(want);
}

static void test_fixed_len_form(void **state)
{
	struct frames *want = frames_load(FIX("many_flows.pcap"));
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	char tx[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	tmpname(tx, sizeof(tx), "fixed");
	one_way("fx", NULL, fixed_mark_every_third, 1, &c, tx);
	assert_int_equal(c.calls[0], 2000);
	assert_stats(c.h, 0, 2000, 1334, 666, 0);
	bouncer_done(c.h);
	frames_keep(want, every_third);
	for (u_int32_t i = 0; i < want->n; i++)
		want->data[i][6] = 0x42;
	assert_file_holds(tx, want);
	unlink(tx);
	frames_free(want);
}

/* Every odd packet grown to 200 bytes, beyond the egress NIC's MTU (100). */
static int grow_odd(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
		    u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;

	(void)pkt;
	if (c->calls[direction & 1]++ % 2 == 1)
		*pkt_len = 200;
	return DNA_BOUNCER_PASS;
}

static int even(u_int32_t i) { return i % 2 == 0; }

/* A frame the egress refuses costs that frame only, counted in tx_failed. */
static void test_send_refused_is_counted(void **state)
{
	struct frames *want = frames_load(FIX("many_flows.pcap"));
	static struct runner r;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	pfring *in, *out;
	char tx[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = grow_odd, .wait = 1 };
	r.ctx = &c;
	tmpname(tx, sizeof(tx), "mtu");
	in = open_sim("mti", FIX("many_flows.pcap"), NULL, NULL);
	out = open_sim("mto", FIX("ipv4_icmp.pcap"), tx, "&mtu=100");
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	start(&r);
	assert_true(wait_recv(r.h, 0, 2000));
	assert_int_equal(stop(&r), 0);
	assert_stats(r.h, 0, 2000, 1000, 0, 1000);
	bouncer_done(r.h);
	frames_keep(want, even);
	assert_file_holds(tx, want);
	unlink(tx);
	frames_free(want);
}

/* ------------------------------------------------------------ two-way on sim: */

static void test_two_way(void **state)
{
	struct frames *a = frames_load(FIX("many_flows.pcap"));
	struct frames *b = frames_load(FIX("mix64.pcap"));
	static struct runner r;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	char ta[256], tb[256];
	pfring *in, *out;

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = drop_by_index, .wait = 1 };
	r.ctx = &c;
	tmpname(ta, sizeof(ta), "two_a");
	tmpname(tb, sizeof(tb), "two_b");
	in = open_sim("twa", FIX("many_flows.pcap"), ta, NULL);
	out = open_sim("twb", FIX("mix64.pcap"), tb, NULL);
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	assert_int_equal(pfring_dna_bouncer_set_mode(r.h, two_way_mode), 0);
	start(&r);
	assert_true(wait_recv(r.h, 0, a->n));
	assert_true(wait_recv(r.h, 1, b->n));
	assert_int_equal(stop(&r), 0);
	assert_int_equal(c.calls[0], 2000);
	assert_int_equal(c.calls[1], 3000);
	assert_int_equal(c.wrong_dir, 0);
	/* every third of direction 0 (a -> b), every fifth of direction 1 */
	assert_stats(r.h, 0, 2000, 1334, 666, 0);
	assert_stats(r.h, 1, 3000, 2400, 600, 0);
	bouncer_done(r.h);
	frames_keep(a, every_third);
	frames_keep(b, every_fifth);
	assert_file_holds(tb, a);       /* what b sent: a's frames */
	assert_file_holds(ta, b);
	unlink(ta);
	unlink(tb);
	frames_free(a);
	frames_free(b);
}

/* ------------------------------------------------------------ breakloop */

static void test_breakloop_ends_idle_loop(void **state)
{
	static struct runner r;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	u_int64_t t0, took;
	pfring *in, *out;

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = pass_all, .wait = 1 };
	r.ctx = &c;
	in = open_sim("bki", FIX("ipv4_tcp.pcap"), NULL, NULL);
	out = open_sim("bko", FIX("ipv4_icmp.pcap"), NULL, NULL);
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	/* a breakloop before the loop ends the next loop at once (a signal
	 * during setup must not be lost); the loop consumes it */
	pfring_dna_bouncer_breakloop(r.h);
	assert_int_equal(pfring_dna_bouncer_loop(r.h, pass_all, (const u_char *)&c, 1), 0);
	assert_int_equal(c.calls[0], 0);
	start(&r);
	assert_true(wait_recv(r.h, 0, 5));
	sleep_ms(250);          /* the capture is over: the loop sleeps its longest (1 ms) */
	t0 = now_ms();
	assert_int_equal(stop(&r), 0);
	took = now_ms() - t0;
	assert_true(took < 50);
	assert_stats(r.h, 0, 5, 5, 0, 0);
	bouncer_done(r.h);
}

static pfring_dna_bouncer *signal_target;

static void on_alarm(int sig)
{
	(void)sig;
	pfring_dna_bouncer_breakloop(signal_target);
}

static void test_breakloop_from_signal_handler(void **state)
{
	struct itimerval it = { .it_value = { .tv_sec = 0, .tv_usec = 200000 } };
	struct sigaction sa, old;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	pfring *in, *out;
	u_int64_t t0;

	(void)state;
	memset(&c, 0, sizeof(c));
	in = open_sim("sgi", FIX("ipv4_udp.pcap"), NULL, NULL);
	out = open_sim("sgo", FIX("ipv4_icmp.pcap"), NULL, NULL);
	signal_target = bouncer_of(in, out);
	assert_non_null(signal_target);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	t0 = now_ms();
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	assert_int_equal(pfring_dna_bouncer_loop(signal_target, pass_all, (const u_char *)&c, 1), 0);
	assert_true(now_ms() - t0 >= 150);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	assert_int_equal(c.calls[0], 3);
	assert_stats(signal_target, 0, 3, 3, 0, 0);
	bouncer_done(signal_target);
}

/* Stress: the loop broken at random instants (a thread, random sleeps) and
 * started again until the capture is through: each stop leaves the counters
 * exact (recv = forwarded + dropped) and, in the end, the egress holds every
 * kept frame once, in order: no packet is lost or sent twice across a break. */
static void test_breakloop_random_restarts(void **state)
{
	struct frames *want = frames_load(FIX("many_flows.pcap"));
	static struct runner r;
	pfring_dna_bouncer_stat st;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	unsigned int loops = 0, seed = 5406;
	pfring *in, *out;
	char tx[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = drop_by_index, .wait = 1 };
	r.ctx = &c;
	tmpname(tx, sizeof(tx), "restarts");
	/* 20,000 frames/s on real time: the 2000 frames take 100 ms, many loops */
	in = open_sim("rsi", FIX("many_flows.pcap"), NULL, "&rate=20000");
	out = open_sim("rso", FIX("ipv4_icmp.pcap"), tx, NULL);
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	r.wait = 0;
	do {
		struct timespec ts = { 0, (long)(rand_r(&seed) % 3000) * 1000L };

		r.wait ^= 1;        /* spin and sleep in turn */
		start(&r);
		nanosleep(&ts, NULL);
		assert_int_equal(stop(&r), 0);
		assert_int_equal(pfring_dna_bouncer_stats(r.h, 0, &st), 0);
		assert_int_equal(st.recv, st.forwarded + st.dropped);
		assert_int_equal(st.recv, c.calls[0]);
		assert_int_equal(st.tx_failed, 0);
		loops++;
	} while (st.recv < 2000 && loops < 5000);
	assert_true(loops > 10);
	assert_stats(r.h, 0, 2000, 1334, 666, 0);
	bouncer_done(r.h);
	frames_keep(want, every_third);
	assert_file_holds(tx, want);
	unlink(tx);
	frames_free(want);
}

/* ------------------------------------------------------------ errors */

static void test_errors(void **state)
{
	static struct runner r;
	pfring_dna_bouncer_stat s;
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	pfring *in, *out;
	pfring_dna_bouncer *h;

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = pass_all, .wait = 1 };
	r.ctx = &c;
	in = open_sim("eri", FIX("ipv4_tcp.pcap"), NULL, NULL);
	out = open_sim("ero", FIX("ipv4_icmp.pcap"), NULL, NULL);
	errno = 0;
	assert_null(pfring_dna_bouncer_create(NULL, out));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(pfring_dna_bouncer_create(in, NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(pfring_dna_bouncer_create(in, in));
	assert_int_equal(errno, EINVAL);

	h = bouncer_of(in, out);
	assert_non_null(h);
	assert_int_equal(pfring_dna_bouncer_set_mode(h, (dna_bouncer_mode)2),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_dna_bouncer_stats(h, 2, &s), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_dna_bouncer_stats(h, 0, NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_dna_bouncer_stats(NULL, 0, &s), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_dna_bouncer_loop(h, (pfring_dna_bouncer_decision_func)NULL,
						 NULL, 1), PF_RING_ERROR_INVALID_ARGUMENT);

	/* socket modes: one-way needs ingress to receive and egress to send,
	 * two-way both; 5.4.6's pfdnabounce sets recv-only / send-only one-way */
	assert_int_equal(pfring_set_socket_mode(out, recv_only_mode), 0);
	assert_int_equal(pfring_dna_bouncer_loop(h, pass_all, (const u_char *)&c, 1),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_set_socket_mode(out, send_only_mode), 0);
	assert_int_equal(pfring_set_socket_mode(in, recv_only_mode), 0);
	assert_int_equal(pfring_dna_bouncer_set_mode(h, two_way_mode), 0);
	assert_int_equal(pfring_dna_bouncer_loop(h, pass_all, (const u_char *)&c, 1),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_dna_bouncer_set_mode(h, one_way_mode), 0);
	assert_int_equal(c.calls[0], 0);

	/* while a loop runs: no second loop, no change of mode */
	r.h = h;
	start(&r);
	assert_true(wait_recv(h, 0, 5));
	assert_int_equal(pfring_dna_bouncer_loop(h, pass_all, (const u_char *)&c, 1),
			 PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(pfring_dna_bouncer_set_mode(h, two_way_mode),
			 PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(stop(&r), 0);
	assert_stats(h, 0, 5, 5, 0, 0);
	bouncer_done(h);      /* closes in and out: valgrind sees no leak */
}

/* ------------------------------------------------------------ dna: -> dna: */

static const uint8_t mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x0a };
static const uint8_t mac_b[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x0b };
static struct fake_bus *bus_a, *bus_b;

/* "eth1" and "eth2": two fake 82574s. */
static int fake_opener(const char *name, struct pf_bus **out, char *err, size_t errlen)
{
	struct fake_bus **fb = strcmp(name, "eth1") == 0 ? &bus_a :
			       strcmp(name, "eth2") == 0 ? &bus_b : NULL;

	if (fb == NULL) {
		snprintf(err, errlen, "%s: no such network interface", name);
		return -ENODEV;
	}
	*fb = fake_bus_new(fb == &bus_a ? mac_a : mac_b);
	snprintf((*fb)->bus.ifname, sizeof((*fb)->bus.ifname), "%s", name);
	*out = &(*fb)->bus;
	return 0;
}

static void make_frame(uint8_t *buf, size_t len, uint32_t seq)
{
	memcpy(buf, mac_a, 6);
	memcpy(buf + 6, "\x02\x00\x00\x00\x00\x09", 6);
	buf[12] = 0x08;
	buf[13] = 0x00;
	for (size_t i = 14; i < len; i++)
		buf[i] = (uint8_t)(seq * 13 + i);
	memcpy(buf + 14, &seq, 4);
}

/* Checks the packet is in the ingress NIC's DMA memory, marks it, drops every third. */
static int in_place(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
		    u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;
	u_int32_t i = c->calls[direction & 1]++;

	if (pkt < c->lo || pkt + *pkt_len > c->hi)
		c->outside++;
	pkt[20] = 0x5a;
	return every_third(i) ? DNA_BOUNCER_PASS : DNA_BOUNCER_DROP;
}

/* n_sent of fb reaches n within TIMEOUT_MS: 1, else 0. */
static int wait_sent(struct fake_bus *fb, u_int32_t n)
{
	u_int64_t until = now_ms() + TIMEOUT_MS;

	while (fb->n_sent < n && now_ms() < until)
		sleep_ms(2);
	return fb->n_sent == n;
}

#define DNA_FRAMES 40   /* more than one burst of 32: a flush by count, then one when idle */

static void test_dna_to_dna_in_place(void **state)
{
	static struct runner r;
	u_int8_t frame[128];
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	u_int32_t n = 0, sent;
	pfring *in, *out;

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = in_place, .wait = 1 };
	r.ctx = &c;
	pf_dna_set_bus_opener(fake_opener);
	setenv("PFRING_DNA_RSS", "1", 1);
	in = pfring_open("dna:eth1", CAPLEN, PF_RING_PROMISC);
	out = pfring_open("dna:eth2", CAPLEN, 0);
	assert_non_null(in);
	assert_non_null(out);
	c.lo = bus_a->ram;
	c.hi = bus_a->ram + FAKE_RAM_SIZE;
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	assert_int_equal(pfring_enable_ring(in), 0);   /* the NIC takes frames once enabled */
	for (u_int32_t i = 0; i < DNA_FRAMES; i++) {
		make_frame(frame, 60 + i, i);
		assert_int_equal(fake_e1000e_inject(bus_a, frame, 60 + i), 0);
	}
	start(&r);
	assert_true(wait_recv(r.h, 0, DNA_FRAMES));
	/* the loop is idle now: it flushed what it sent, no close needed */
	sent = DNA_FRAMES - (DNA_FRAMES + 1) / 3;
	assert_true(wait_sent(bus_b, sent));
	assert_int_equal(stop(&r), 0);
	assert_int_equal(c.outside, 0);
	assert_stats(r.h, 0, DNA_FRAMES, sent, DNA_FRAMES - sent, 0);
	for (u_int32_t i = 0; i < DNA_FRAMES; i++) {
		if (!every_third(i))
			continue;
		make_frame(frame, 60 + i, i);
		frame[20] = 0x5a;
		assert_int_equal(bus_b->sent[n].len, 60 + i);
		assert_memory_equal(bus_b->sent[n].bytes, frame, 60 + i);
		n++;
	}
	bouncer_done(r.h);
	fake_bus_free(bus_a);
	fake_bus_free(bus_b);
	bus_a = bus_b = NULL;
	pf_dna_set_bus_opener(NULL);
}

/* Two-way: each packet is in its own ingress NIC's DMA memory (the
 * direction says which) and goes out of the other NIC. */
static int in_place_two_way(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
			    u_int8_t direction)
{
	struct ctx *c = (struct ctx *)(uintptr_t)user_bytes;
	struct fake_bus *from = direction == 0 ? bus_a : bus_b;

	c->calls[direction & 1]++;
	if (direction > 1 || pkt < from->ram || pkt + *pkt_len > from->ram + FAKE_RAM_SIZE)
		c->outside++;
	return DNA_BOUNCER_PASS;
}

static void test_dna_two_way(void **state)
{
	static struct runner r;
	u_int8_t frame[128];
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	pfring *in, *out;

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = in_place_two_way, .wait = 1 };
	r.ctx = &c;
	pf_dna_set_bus_opener(fake_opener);
	setenv("PFRING_DNA_RSS", "1", 1);
	in = pfring_open("dna:eth1", CAPLEN, PF_RING_PROMISC);
	out = pfring_open("dna:eth2", CAPLEN, PF_RING_PROMISC);
	assert_non_null(in);
	assert_non_null(out);
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	assert_int_equal(pfring_dna_bouncer_set_mode(r.h, two_way_mode), 0);
	assert_int_equal(pfring_enable_ring(in), 0);
	assert_int_equal(pfring_enable_ring(out), 0);
	for (u_int32_t i = 0; i < 20; i++) {
		make_frame(frame, 64 + i, i);
		assert_int_equal(fake_e1000e_inject(bus_a, frame, 64 + i), 0);
	}
	for (u_int32_t i = 0; i < 30; i++) {
		make_frame(frame, 90 + i, 100 + i);
		assert_int_equal(fake_e1000e_inject(bus_b, frame, 90 + i), 0);
	}
	start(&r);
	assert_true(wait_recv(r.h, 0, 20));
	assert_true(wait_recv(r.h, 1, 30));
	assert_true(wait_sent(bus_b, 20));      /* flushed when idle, no close */
	assert_true(wait_sent(bus_a, 30));
	assert_int_equal(stop(&r), 0);
	assert_int_equal(c.calls[0], 20);
	assert_int_equal(c.calls[1], 30);
	assert_int_equal(c.outside, 0);
	assert_stats(r.h, 0, 20, 20, 0, 0);
	assert_stats(r.h, 1, 30, 30, 0, 0);
	for (u_int32_t i = 0; i < 20; i++) {
		make_frame(frame, 64 + i, i);
		assert_int_equal(bus_b->sent[i].len, 64 + i);
		assert_memory_equal(bus_b->sent[i].bytes, frame, 64 + i);
	}
	for (u_int32_t i = 0; i < 30; i++) {
		make_frame(frame, 90 + i, 100 + i);
		assert_int_equal(bus_a->sent[i].len, 90 + i);
		assert_memory_equal(bus_a->sent[i].bytes, frame, 90 + i);
	}
	bouncer_done(r.h);
	fake_bus_free(bus_a);
	fake_bus_free(bus_b);
	bus_a = bus_b = NULL;
	pf_dna_set_bus_opener(NULL);
}

/* An egress NIC that does not send (TCTL.EN cleared): its 511 TX descriptors
 * fill, each packet after them is retried (10 ms) and counted in tx_failed,
 * and the loop goes on; nothing is lost without a count. */
static void test_dna_full_tx_ring_counted(void **state)
{
	static struct runner r;
	u_int8_t frame[64];
	static struct ctx c;   /* static: a failed test's loop thread may still use it */
	pfring *in, *out;

	(void)state;
	memset(&c, 0, sizeof(c));
	r = (struct runner){ .var_len = pass_all, .wait = 1 };
	r.ctx = &c;
	pf_dna_set_bus_opener(fake_opener);
	setenv("PFRING_DNA_RSS", "1", 1);
	in = pfring_open("dna:eth1", CAPLEN, PF_RING_PROMISC);
	out = pfring_open("dna:eth2", CAPLEN, 0);
	assert_non_null(in);
	assert_non_null(out);
	r.h = bouncer_of(in, out);
	assert_non_null(r.h);
	assert_int_equal(pfring_enable_ring(in), 0);
	assert_int_equal(pfring_enable_ring(out), 0);
	fake_reg_set(bus_b, E1000_TCTL, 0);
	start(&r);
	for (u_int32_t round = 0; round < 2; round++) {
		for (u_int32_t i = 0; i < 300; i++) {
			make_frame(frame, sizeof(frame), round * 300 + i);
			assert_int_equal(fake_e1000e_inject(bus_a, frame, sizeof(frame)), 0);
		}
		assert_true(wait_recv(r.h, 0, (round + 1) * 300));
	}
	assert_int_equal(stop(&r), 0);
	assert_stats(r.h, 0, 600, 511, 0, 89);
	assert_int_equal(bus_b->n_sent, 0);
	bouncer_done(r.h);
	fake_bus_free(bus_a);
	fake_bus_free(bus_b);
	bus_a = bus_b = NULL;
	pf_dna_set_bus_opener(NULL);
}

/* After a failure: the loop stopped, the bouncer and its NICs gone, so the
 * next test starts clean (a passing test leaves nothing). */
static int teardown(void **state)
{
	(void)state;
	if (live_runner) {
		pfring_dna_bouncer_breakloop(live_runner->h);
		pthread_join(live_runner->thread, NULL);
		live_runner = NULL;
	}
	if (live_bouncer)
		bouncer_done(live_bouncer);
	if (bus_a)
		fake_bus_free(bus_a);
	if (bus_b)
		fake_bus_free(bus_b);
	bus_a = bus_b = NULL;
	pf_dna_set_bus_opener(NULL);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_one_way_drops_every_third, teardown),
		cmocka_unit_test_teardown(test_one_way_active_wait_drops_by_byte, teardown),
		cmocka_unit_test_teardown(test_var_len_changes_bytes_and_length, teardown),
		cmocka_unit_test_teardown(test_fixed_len_form, teardown),
		cmocka_unit_test_teardown(test_send_refused_is_counted, teardown),
		cmocka_unit_test_teardown(test_two_way, teardown),
		cmocka_unit_test_teardown(test_breakloop_ends_idle_loop, teardown),
		cmocka_unit_test_teardown(test_breakloop_from_signal_handler, teardown),
		cmocka_unit_test_teardown(test_breakloop_random_restarts, teardown),
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_dna_to_dna_in_place, teardown),
		cmocka_unit_test_teardown(test_dna_two_way, teardown),
		cmocka_unit_test_teardown(test_dna_full_tx_ring_counted, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
