/*
 * tests/unit/test_sim_nic.c - the simulated NIC (sim/nic.h): options and their
 * messages, the generator and pcap sources, RSS queues, in-NIC rules, faults,
 * the hardware clock, TX to a peer and to a pcap file, the table of NICs.
 *
 * The table is process-wide: every test uses its own NIC names and puts every
 * NIC it got, so valgrind sees no leak.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "sim/nic.h"
#include "core/hash.h"
#include "core/parse.h"

#define EPOCH_NS (1700000000ull * 1000000000ull)
#define GEN_SPEC "flows:1000,size:60-1518,proto:mix,v6:10"

static struct sim_nic *open_nic(const char *name, const char *query, uint32_t flags)
{
	struct sim_opts o;
	char err[512];
	struct sim_nic *n;

	assert_int_equal(sim_opts_parse(query, &o, err, sizeof(err)), 0);
	n = sim_nic_get(name, &o, flags, err, sizeof(err));
	if (!n)
		fail_msg("%s", err);
	return n;
}

static int next_frame(struct sim_nic *n, struct sim_frame *f)
{
	char err[256] = "";
	int rc = sim_nic_next(n, f, err, sizeof(err));

	if (rc < 0)
		fail_msg("%s", err);
	return rc;
}

static void parse_frame(const struct sim_frame *f, struct pkt_parsing_info *p)
{
	assert_true(pf_parse(f->data, f->caplen, PF_RING_PARSE_L5, p) >= 2);
}

/* ------------------------------------------------------------ options */

static void test_opts_defaults(void **state)
{
	struct sim_opts o;
	char err[256];

	(void)state;
	assert_int_equal(sim_opts_parse("", &o, err, sizeof(err)), 0);
	assert_int_equal(o.queues, 1);
	assert_int_equal(o.loop, 1);
	assert_int_equal(o.seed, 1);
	assert_int_equal(o.count, 10000);
	assert_int_equal(o.rate_pps, 0);
	assert_int_equal(o.any, 0);
	assert_int_equal(o.has_source, 0);
	assert_int_equal(sim_opts_parse(NULL, &o, err, sizeof(err)), 0);
	assert_int_equal(o.any, 0);
}

static void test_opts_every_option(void **state)
{
	struct sim_opts o;
	char err[256];

	(void)state;
	assert_int_equal(sim_opts_parse("pcap=/tmp/x.pcap&queues=4&loop=0&rate=1000&seed=77"
					 "&drop=0.5&truncate=0.25&corrupt=1&burst=3&count=50"
					 "&peer=other&txpcap=/tmp/tx.pcap", &o, err, sizeof(err)), 0);
	assert_string_equal(o.pcap, "/tmp/x.pcap");
	assert_string_equal(o.gen, "");
	assert_int_equal(o.queues, 4);
	assert_int_equal(o.loop, 0);
	assert_int_equal(o.rate_pps, 1000);
	assert_int_equal(o.rate_pcap, 0);
	assert_int_equal(o.seed, 77);
	assert_int_equal(o.drop_ppm, 500000);
	assert_int_equal(o.truncate_ppm, 250000);
	assert_int_equal(o.corrupt_ppm, 1000000);
	assert_int_equal(o.burst, 3);
	assert_int_equal(o.count, 50);
	assert_string_equal(o.peer, "other");
	assert_string_equal(o.txpcap, "/tmp/tx.pcap");
	assert_int_equal(o.has_source, 1);
	assert_int_equal(o.any, 1);

	assert_int_equal(sim_opts_parse("gen=flows:10,size:100-200,proto:udp,v6:50,vlan:7"
					 "&rate=pcap&queues=32&drop=0.000001&seed=18446744073709551615&mtu=9000",
					 &o, err, sizeof(err)), 0);
	assert_string_equal(o.gen, "flows:10,size:100-200,proto:udp,v6:50,vlan:7");
	assert_int_equal(o.rate_pcap, 1);
	assert_int_equal(o.rate_pps, 0);
	assert_int_equal(o.queues, 32);
	assert_int_equal(o.mtu, 9000);
	assert_int_equal(o.drop_ppm, 1);
	assert_true(o.seed == UINT64_MAX);
	assert_int_equal(sim_opts_parse("gen=flows:1&drop=1e-3&truncate=.5", &o, err, sizeof(err)), 0);
	assert_int_equal(o.drop_ppm, 1000);
	assert_int_equal(o.truncate_ppm, 500000);

	/* options without a source parse (a later open shares an existing NIC) */
	assert_int_equal(sim_opts_parse("queues=2", &o, err, sizeof(err)), 0);
	assert_int_equal(o.has_source, 0);
	assert_int_equal(o.any, 1);
}

static const struct {
	const char *query, *msg;
} bad_opts[] = {
	{ "foo=1", "sim: unknown option \"foo\" (known: pcap, gen, queues, loop, rate, seed, "
		   "drop, truncate, corrupt, burst, count, peer, txpcap, mtu)" },
	{ "queues=0", "sim: queues=0: must be 1..32" },
	{ "queues=33", "sim: queues=33: must be 1..32" },
	{ "queues=256", "sim: queues=256: must be 1..32" },
	{ "queues=abc", "sim: queues=abc: must be 1..32" },
	{ "queues=-1", "sim: queues=-1: must be 1..32" },
	{ "queues=4x", "sim: queues=4x: must be 1..32" },
	{ "queues= 4", "sim: queues= 4: must be 1..32" },
	{ "mtu=67", "sim: mtu=67: must be 68..16366" },
	{ "mtu=16367", "sim: mtu=16367: must be 68..16366" },
	{ "queues=", "sim: queues: needs a value (queues=VALUE)" },
	{ "queues", "sim: queues: needs a value (queues=VALUE)" },
	{ "queues=2&queues=2", "sim: option \"queues\" given twice" },
	{ "loop=4294967296", "sim: loop=4294967296: must be 0..4294967295" },
	{ "rate=0", "sim: rate=0: must be 1..1000000000 (packets per second) or pcap" },
	{ "rate=fast", "sim: rate=fast: must be 1..1000000000 (packets per second) or pcap" },
	{ "seed=18446744073709551616", "sim: seed=18446744073709551616: must be 0..18446744073709551615" },
	{ "drop=1.5", "sim: drop=1.5: must be a probability 0..1" },
	{ "drop=-0.1", "sim: drop=-0.1: must be a probability 0..1" },
	{ "truncate=x", "sim: truncate=x: must be a probability 0..1" },
	{ "corrupt=0.5.1", "sim: corrupt=0.5.1: must be a probability 0..1" },
	{ "corrupt=nan", "sim: corrupt=nan: must be a probability 0..1" },
	{ "corrupt=0x0.8", "sim: corrupt=0x0.8: must be a probability 0..1" },
	{ "drop=", "sim: drop: needs a value (drop=VALUE)" },
	{ "burst=1000001", "sim: burst=1000001: must be 0..1000000" },
	{ "count=0", "sim: count=0: must be 1..9223372036854775807" },
	{ "pcap=a&gen=flows:1", "sim: pcap= and gen= are exclusive (one source per NIC)" },
	{ "pcap=a&&queues=2", "sim: empty option (two '&' in a row, or a trailing '&')" },
	{ "pcap=a&", "sim: empty option (two '&' in a row, or a trailing '&')" },
	{ "peer=0123456789012345678901234567890123456789",
	  "sim: peer=0123456789012345678901234567890123456789...: longer than 31 characters" },
};

static void test_opts_errors(void **state)
{
	struct sim_opts o;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_opts) / sizeof(bad_opts[0]); i++) {
		err[0] = '\0';
		assert_int_equal(sim_opts_parse(bad_opts[i].query, &o, err, sizeof(err)), -1);
		assert_string_equal(err, bad_opts[i].msg);
	}
	/* no err buffer: still -1, no crash */
	assert_int_equal(sim_opts_parse("foo=1", &o, NULL, 0), -1);
}

static void test_gen_spec_errors(void **state)
{
	static const char *const bad[] = {
		"gen=flows", "gen=flows:0", "gen=flows:1000001", "gen=size:59",
		"gen=size:16385", "gen=size:200-100", "gen=size:60-", "gen=proto:icmp",
		"gen=v6:101", "gen=vlan:4096", "gen=colour:red", "gen=flows:1,flows:2",
		"gen=flows:1,", "gen=,flows:1", "gen=flows:1,,size:64", "gen=flows:-1",
	};
	struct sim_opts o;
	char err[512], want[600];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sim_opts_parse(bad[i], &o, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "sim: %s: expected key:value items", bad[i]);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s -> %s", bad[i], err);
	}
}

/* ---------------------------------------------------------- generator */

struct frame_copy {
	uint8_t data[SIM_MAX_FRAME];
	uint32_t caplen;
};

static void test_gen_determinism(void **state)
{
	const char *q1 = "gen=" GEN_SPEC "&queues=8&seed=5&count=10000";
	struct sim_nic *a = open_nic("det_a", q1, 0);
	struct sim_nic *b = open_nic("det_b", q1, 0);
	struct sim_nic *c = open_nic("det_c", "gen=" GEN_SPEC "&queues=8&seed=6&count=10000", 0);
	struct sim_frame fa, fb, fc;
	unsigned i, differ = 0;

	(void)state;
	for (i = 0; i < 10000; i++) {
		assert_int_equal(next_frame(a, &fa), 1);
		assert_int_equal(next_frame(b, &fb), 1);
		assert_int_equal(next_frame(c, &fc), 1);
		assert_int_equal(fa.caplen, fb.caplen);
		assert_int_equal(fa.len, fa.caplen);
		assert_true(fa.caplen >= 60 && fa.caplen <= 1518 + 4);
		assert_memory_equal(fa.data, fb.data, fa.caplen);
		assert_true(fa.ts_ns == fb.ts_ns);
		assert_true(fa.ts_ns == EPOCH_NS + i * 1000ull);  /* no rate: 1 us apart */
		assert_int_equal(fa.queue, fb.queue);
		assert_int_equal(fa.rss_hash, fb.rss_hash);
		assert_true(fa.queue < 8);
		if (fa.caplen != fc.caplen || memcmp(fa.data, fc.data, fa.caplen))
			differ++;
	}
	assert_true(differ > 9900);
	assert_int_equal(next_frame(a, &fa), 0);   /* count=10000 frames, loop=1 */
	assert_int_equal(next_frame(a, &fa), 0);
	sim_nic_put(a);
	sim_nic_put(b);
	sim_nic_put(c);
}

static uint16_t ip_csum(const uint8_t *p, unsigned n)
{
	uint32_t s = 0;
	unsigned i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* L4 checksum over the pseudo header sums to 0xffff when correct */
static uint16_t l4_sum(const struct sim_frame *f, const struct pkt_parsing_info *p)
{
	const uint8_t *ip = f->data + p->offset.l3_offset, *l4 = f->data + p->offset.l4_offset;
	uint32_t l4len = f->caplen - (uint32_t)p->offset.l4_offset;
	uint32_t s = p->l3_proto + l4len;
	unsigned alen = p->ip_version == 6 ? 16 : 4;
	const uint8_t *src = p->ip_version == 6 ? ip + 8 : ip + 12;

	s += ip_csum(src, alen * 2) + ip_csum(l4, l4len);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Both directions of every flow appear, flows are distinct, frames valid. */
static void test_gen_flows_and_frames(void **state)
{
	struct sim_nic *n = open_nic("gen_flows", "gen=flows:50,size:100,proto:udp,vlan:42&count=100", 0);
	struct sim_frame f;
	struct pkt_parsing_info p, first[50];
	unsigned i, j;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		assert_int_equal(f.caplen, 100);
		parse_frame(&f, &p);
		assert_int_equal(p.vlan_id, 42);
		assert_int_equal(p.ip_version, 4);
		assert_int_equal(p.l3_proto, 17);
		assert_int_equal(p.offset.payload_offset, 18 + 20 + 8);
		assert_int_equal(ip_csum(f.data + 18, 20), 0xffff);
		assert_int_equal(l4_sum(&f, &p), 0xffff);
		if (i % 2 == 0) {
			first[i / 2] = p;
			for (j = 0; j < i / 2; j++)   /* distinct 5-tuples */
				assert_false(first[j].ip_src.v4 == p.ip_src.v4 &&
					     first[j].l4_src_port == p.l4_src_port &&
					     first[j].ip_dst.v4 == p.ip_dst.v4 &&
					     first[j].l4_dst_port == p.l4_dst_port);
		} else {                              /* the reply of the frame before */
			assert_int_equal(p.ip_src.v4, first[i / 2].ip_dst.v4);
			assert_int_equal(p.ip_dst.v4, first[i / 2].ip_src.v4);
			assert_int_equal(p.l4_src_port, first[i / 2].l4_dst_port);
			assert_int_equal(p.l4_dst_port, first[i / 2].l4_src_port);
		}
	}
	assert_int_equal(next_frame(n, &f), 0);
	sim_nic_put(n);

	n = open_nic("gen_v6", "gen=flows:20,size:60,proto:tcp,v6:100&count=40&rate=1000&loop=2", 0);
	for (i = 0; i < 80; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		assert_int_equal(f.caplen, 14 + 40 + 20);   /* headers are longer than size:60 */
		assert_true(f.ts_ns == EPOCH_NS + i * 1000000ull);  /* rate=1000: 1 ms apart */
		parse_frame(&f, &p);
		assert_int_equal(p.ip_version, 6);
		assert_int_equal(p.l3_proto, 6);
		assert_int_equal(p.offset.payload_offset, 74);
		assert_int_equal(l4_sum(&f, &p), 0xffff);
	}
	assert_int_equal(next_frame(n, &f), 0);   /* 2 loops of 40 */
	sim_nic_put(n);
}

/* ---------------------------------------------------------------- pcap */

static pcap_t *open_fixture(const char *file)
{
	char path[512], ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, file);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p)
		fail_msg("%s", ebuf);
	return p;
}

static void test_pcap_replay(void **state)
{
	struct sim_nic *n = open_nic("pcap_tcp", "pcap=" FIXTURE_DIR "/ipv4_tcp.pcap&loop=3", 0);
	struct pcap_pkthdr *h;
	const u_char *d;
	struct sim_frame f;
	uint64_t ts[5], prev = 0, span;
	unsigned i, loop;
	pcap_t *p;

	(void)state;
	for (loop = 0; loop < 3; loop++) {
		p = open_fixture("ipv4_tcp.pcap");
		for (i = 0; i < 5; i++) {
			assert_int_equal(pcap_next_ex(p, &h, &d), 1);
			if (loop == 0)
				ts[i] = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
			span = ts[4] - ts[0];
			assert_int_equal(next_frame(n, &f), 1);
			assert_int_equal(f.caplen, h->caplen);
			assert_int_equal(f.len, h->len);
			assert_memory_equal(f.data, d, h->caplen);
			if (loop == 0)
				assert_true(f.ts_ns == ts[i]);
			else
				assert_true(f.ts_ns == ts[i] + loop * (span + 1000));
			assert_true(f.ts_ns > prev);
			prev = f.ts_ns;
		}
		assert_int_equal(pcap_next_ex(p, &h, &d), PCAP_ERROR_BREAK);
		pcap_close(p);
	}
	assert_int_equal(next_frame(n, &f), 0);
	sim_nic_put(n);

	n = open_nic("pcap_many", "pcap=" FIXTURE_DIR "/many_flows.pcap", 0);
	for (i = 0; next_frame(n, &f) == 1; i++)
		;
	assert_int_equal(i, 2000);
	sim_nic_put(n);
}

/* loop=0 replays forever; rate=PPS retimes a capture from its first frame */
static void test_pcap_forever_and_rate(void **state)
{
	struct sim_nic *n = open_nic("pcap_forever", "pcap=" FIXTURE_DIR "/ipv4_udp.pcap&loop=0", 0);
	struct sim_frame f;
	uint64_t prev = 0, first = 0;
	unsigned i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		assert_true(f.ts_ns > prev);
		prev = f.ts_ns;
	}
	sim_nic_put(n);

	n = open_nic("pcap_rate", "pcap=" FIXTURE_DIR "/ipv4_udp.pcap&loop=4&rate=3", 0);
	for (i = 0; i < 12; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		if (i == 0)
			first = f.ts_ns;
		/* i * 1e9 / 3 ns after the first frame: 0, 333333333, 666666666, 1 s, ... */
		assert_true(f.ts_ns == first + (i / 3) * 1000000000ull + (i % 3) * 1000000000ull / 3);
	}
	assert_int_equal(next_frame(n, &f), 0);
	sim_nic_put(n);
}

/* A capture cut in the middle of a record: the frames before it, then -1 */
static void test_pcap_cut_file(void **state)
{
	char src[512], path[] = "/tmp/test_sim_nic_cut_XXXXXX", q[300], err[512] = "";
	static uint8_t buf[65536];
	struct sim_frame f;
	struct sim_nic *n;
	FILE *in;
	size_t len;
	int fd;

	(void)state;
	snprintf(src, sizeof(src), "%s/ipv4_tcp.pcap", FIXTURE_DIR);
	in = fopen(src, "rb");
	assert_non_null(in);
	len = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len - 10), (ssize_t)(len - 10));   /* last record cut */
	close(fd);
	snprintf(q, sizeof(q), "pcap=%s", path);
	n = open_nic("pcap_cut", q, 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(next_frame(n, &f), 1);
	errno = 0;
	assert_int_equal(sim_nic_next(n, &f, err, sizeof(err)), -1);
	assert_int_equal(errno, EIO);
	assert_true(strstr(err, path) != NULL);
	assert_true(strstr(err, "record 5: truncated dump file") != NULL);
	err[0] = '\0';
	assert_int_equal(sim_nic_next(n, &f, err, sizeof(err)), -1);  /* for good, not quiet */
	assert_true(strstr(err, "record 5: truncated dump file") != NULL);
	assert_true(sim_nic_next_due_ns(n) == UINT64_MAX);
	sim_nic_put(n);
	unlink(path);
}

static void test_null_arguments(void **state)
{
	struct sim_nic_counters c;
	struct sim_frame f;
	struct timespec ts = { 0, 0 };

	(void)state;
	assert_int_equal(sim_nic_next(NULL, &f, NULL, 0), -1);
	assert_true(sim_nic_next_due_ns(NULL) == UINT64_MAX);
	assert_int_equal(sim_nic_send(NULL, (const uint8_t *)"x", 1, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(sim_nic_remove_hw_rule(NULL, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	memset(&c, 0xff, sizeof(c));
	sim_nic_counters(NULL, &c);
	assert_true(c.wire == 0 && c.tx == 0);
	sim_nic_get_clock(NULL, &ts);
	sim_nic_set_clock(NULL, &ts);
	sim_nic_adjust_clock(NULL, &ts, 1);
	sim_nic_put(NULL);
	assert_null(sim_nic_find(NULL));
	assert_int_equal(sim_opts_parse("queues=2", NULL, NULL, 0), -1);
}

static void test_pcap_errors(void **state)
{
	struct sim_opts o;
	char err[512], path[] = "/tmp/test_sim_nic_notpcap_XXXXXX", want[600];
	int fd;

	(void)state;
	assert_int_equal(sim_opts_parse("pcap=/nonexistent/none.pcap", &o, err, sizeof(err)), 0);
	errno = 0;
	assert_null(sim_nic_get("pcap_missing", &o, 0, err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(err, "sim: pcap=/nonexistent/none.pcap: No such file or directory");
	assert_null(sim_nic_find("pcap_missing"));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "this is not a capture file, not at all", 38), 38);
	close(fd);
	snprintf(want, sizeof(want), "pcap=%s", path);
	assert_int_equal(sim_opts_parse(want, &o, err, sizeof(err)), 0);
	errno = 0;
	assert_null(sim_nic_get("pcap_bad", &o, 0, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	snprintf(want, sizeof(want), "sim: pcap=%s: ", path);
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
	assert_true(strlen(err) > strlen(want));    /* libpcap's message follows */
	unlink(path);
}

/* ----------------------------------------------------------------- RSS */

static void test_rss_symmetric(void **state)
{
	struct sim_nic *n = open_nic("rss_sym", "pcap=" FIXTURE_DIR "/many_flows.pcap&queues=4",
				     PF_RING_DNA_SYMMETRIC_RSS);
	struct sim_frame f;
	unsigned i, per_q[4] = { 0 };
	uint16_t q0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		q0 = f.queue;
		assert_int_equal(next_frame(n, &f), 1);
		assert_int_equal(f.queue, q0);   /* the reply lands on the same queue */
		per_q[q0]++;
	}
	for (i = 0; i < 4; i++)
		assert_true(per_q[i] > 0);
	sim_nic_put(n);

	/* the generator's flows too (IPv4 and IPv6, TCP and UDP) */
	n = open_nic("rss_sym_gen", "gen=" GEN_SPEC "&queues=16&count=4000", PF_RING_DNA_SYMMETRIC_RSS);
	for (i = 0; i < 2000; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		q0 = f.queue;
		assert_int_equal(next_frame(n, &f), 1);
		assert_int_equal(f.queue, q0);
	}
	sim_nic_put(n);
}

static void test_rss_default_key(void **state)
{
	struct sim_nic *n = open_nic("rss_def", "pcap=" FIXTURE_DIR "/many_flows.pcap&queues=8", 0);
	struct sim_frame f;
	struct pkt_parsing_info p;
	unsigned i, per_q[8] = { 0 }, split = 0;
	uint32_t h;
	uint16_t q0 = 0;

	(void)state;
	for (i = 0; i < 2000; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		parse_frame(&f, &p);
		h = pf_rss_hash(&p, pf_rss_key_default, PF_RSS_KEY_LEN, 1);
		assert_int_equal(f.rss_hash, h);
		assert_int_equal(f.queue, h % 8);
		assert_true(h != 0);
		per_q[f.queue]++;
		if (i % 2 == 0)
			q0 = f.queue;
		else if (f.queue != q0)
			split++;
	}
	for (i = 0; i < 8; i++)
		assert_true(per_q[i] > 100);
	assert_true(split > 500);   /* the default key is not symmetric */
	sim_nic_put(n);

	/* non-IP frames (ARP in vlan.pcap: frames 3 and 4) go to queue 0, hash 0 */
	n = open_nic("rss_arp", "pcap=" FIXTURE_DIR "/vlan.pcap&queues=4", 0);
	for (i = 0; i < 6; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		parse_frame(&f, &p);
		if (i == 3 || i == 4) {
			assert_int_equal(p.ip_version, 0);
			assert_int_equal(f.rss_hash, 0);
			assert_int_equal(f.queue, 0);
		}
	}
	sim_nic_put(n);
}

/* A known frame: Microsoft's RSS verification vector 66.9.149.187:2794 ->
 * 161.142.100.80:1766 (TCP) hashes to 0x51ccc178 with the default key. */
static void test_rss_known_frame(void **state)
{
	static const uint8_t frame[] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00,
		66, 9, 149, 187, 161, 142, 100, 80,
		0x0a, 0xea, 0x06, 0xe6, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0,
	};
	struct sim_nic *tx = open_nic("rss_known_tx", "gen=flows:1&peer=rss_known", 0);
	struct sim_nic *n = open_nic("rss_known", "gen=flows:1&queues=7", 0);
	struct sim_frame f;

	(void)state;
	assert_int_equal(sim_nic_send(tx, frame, sizeof(frame), 5), (int)sizeof(frame));
	assert_int_equal(next_frame(n, &f), 1);
	assert_int_equal(f.caplen, sizeof(frame));
	assert_int_equal(f.rss_hash, 0x51ccc178);
	assert_int_equal(f.queue, 0x51ccc178u % 7);
	sim_nic_put(tx);
	sim_nic_put(n);
}

/* ------------------------------------------------------- in-NIC rules */

static hw_filtering_rule five_tuple(uint16_t id, uint8_t proto, uint32_t sa, uint32_t da,
				    uint16_t sp, uint16_t dp, uint16_t q)
{
	hw_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.rule_family_type = intel_82599_five_tuple_rule;
	r.rule_id = id;
	r.rule_family.five_tuple_rule.proto = proto;
	r.rule_family.five_tuple_rule.s_addr = sa;
	r.rule_family.five_tuple_rule.d_addr = da;
	r.rule_family.five_tuple_rule.s_port = sp;
	r.rule_family.five_tuple_rule.d_port = dp;
	r.rule_family.five_tuple_rule.queue_id = q;
	return r;
}

/* Parse every frame of many_flows.pcap once, as the reference */
static void load_many_flows(struct pkt_parsing_info *p, unsigned n)
{
	pcap_t *pc = open_fixture("many_flows.pcap");
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned i;

	for (i = 0; i < n; i++) {
		assert_int_equal(pcap_next_ex(pc, &h, &d), 1);
		pf_parse(d, h->caplen, PF_RING_PARSE_L4, &p[i]);
	}
	pcap_close(pc);
}

static void test_hw_rules_steer_and_drop(void **state)
{
	static struct pkt_parsing_info ref[2000];
	struct sim_nic *n = open_nic("hw_steer", "pcap=" FIXTURE_DIR "/many_flows.pcap&queues=4", 0);
	struct sim_nic_counters c;
	struct sim_frame f;
	hw_filtering_rule r;
	unsigned i, delivered = 0, want_drop = 0, to_q3 = 0, to_q1 = 0;
	const struct pkt_parsing_info *a, *b;

	(void)state;
	load_many_flows(ref, 2000);
	a = &ref[0];    /* flow 0: TCP, IPv4 */
	b = &ref[2];    /* flow 1: UDP, IPv4 */
	assert_int_equal(a->ip_version, 4);
	assert_int_equal(b->ip_version, 4);
	/* exact five-tuple of frame 0 -> queue 3 */
	r = five_tuple(10, a->l3_proto, a->ip_src.v4, a->ip_dst.v4, a->l4_src_port, a->l4_dst_port, 3);
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	/* everything from b's source address -> queue 9 >= 4: dropped */
	r = five_tuple(20, 0, b->ip_src.v4, 0, 0, 0, 9);
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	/* a lower id added later wins over rule 10 for frame 0: UDP wildcard does not match TCP */
	r = five_tuple(5, 17, a->ip_src.v4, 0, 0, 0, 2);
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);

	for (i = 0; i < 2000; i++) {
		const struct pkt_parsing_info *p = &ref[i];

		if (p->ip_version == 4 && p->ip_src.v4 == b->ip_src.v4)
			want_drop++;
		else if (p->ip_version == 4 && p->ip_src.v4 == a->ip_src.v4 &&
			 p->l3_proto == a->l3_proto && p->ip_dst.v4 == a->ip_dst.v4 &&
			 p->l4_src_port == a->l4_src_port && p->l4_dst_port == a->l4_dst_port)
			to_q3++;
	}
	assert_true(want_drop >= 1 && to_q3 >= 1);
	for (i = 0; next_frame(n, &f) == 1; i++) {
		struct pkt_parsing_info p;

		delivered++;
		parse_frame(&f, &p);
		assert_false(p.ip_version == 4 && p.ip_src.v4 == b->ip_src.v4);
		if (p.ip_version == 4 && p.ip_src.v4 == a->ip_src.v4 && p.l3_proto == 6 &&
		    p.l4_src_port == a->l4_src_port) {
			assert_int_equal(f.queue, 3);
			to_q1++;
		} else {
			assert_int_equal(f.queue, f.rss_hash % 4);
		}
	}
	assert_int_equal(to_q1, to_q3);
	sim_nic_counters(n, &c);
	assert_int_equal(c.hw_dropped, want_drop);
	assert_int_equal(c.wire, 2000);
	assert_int_equal(delivered + want_drop, 2000);
	sim_nic_put(n);
}

static void test_hw_rules_wildcard_and_remove(void **state)
{
	struct sim_nic *n = open_nic("hw_wild", "pcap=" FIXTURE_DIR "/many_flows.pcap&queues=4", 0);
	struct sim_frame f;
	struct pkt_parsing_info p;
	hw_filtering_rule r = five_tuple(1, 0, 0, 0, 0, 0, 1);
	unsigned i, v4 = 0, v6 = 0;

	(void)state;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);   /* all zero: every IPv4 frame */
	for (i = 0; i < 1000; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		parse_frame(&f, &p);
		if (p.ip_version == 4) {
			assert_int_equal(f.queue, 1);
			v4++;
		} else {
			assert_int_equal(f.queue, f.rss_hash % 4);  /* IPv6 never matches */
			v6++;
		}
	}
	assert_int_equal(v6, 100);    /* flows k % 10 == 9 are IPv6 */
	assert_int_equal(v4, 900);
	assert_int_equal(sim_nic_remove_hw_rule(n, 1), 0);
	assert_int_equal(sim_nic_remove_hw_rule(n, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		assert_int_equal(f.queue, f.rss_hash % 4);
	}
	sim_nic_put(n);
}

static void test_hw_rules_perfect_vlan(void **state)
{
	struct sim_nic *n = open_nic("hw_perfect", "pcap=" FIXTURE_DIR "/vlan.pcap&queues=4&loop=2", 0);
	struct sim_nic_counters c;
	struct sim_frame f;
	struct pkt_parsing_info p;
	hw_filtering_rule r;
	unsigned i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.rule_family_type = intel_82599_perfect_filter_hash_rule;
	r.rule_id = 7;
	r.rule_family.perfect_rule.vlan_id = 101;   /* no frame has VID 101 */
	r.rule_family.perfect_rule.queue_id = 3;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	r.rule_id = 8;
	r.rule_family.perfect_rule.vlan_id = 100;   /* frame 0: VID 100 IPv4 TCP */
	r.rule_family.perfect_rule.proto = 6;
	r.rule_family.perfect_rule.queue_id = 2;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	for (i = 0; i < 6; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		parse_frame(&f, &p);
		if (i == 0) {
			assert_int_equal(p.vlan_id, 100);
			assert_int_equal(f.queue, 2);
		} else {
			assert_int_equal(f.queue, f.rss_hash % 4);
		}
	}
	/* now drop VID 100 in the NIC */
	assert_int_equal(sim_nic_remove_hw_rule(n, 8), 0);
	r.rule_family.perfect_rule.queue_id = 4;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(next_frame(n, &f), 1);
		parse_frame(&f, &p);
		assert_int_not_equal(p.vlan_id, 100);
	}
	assert_int_equal(next_frame(n, &f), 0);
	sim_nic_counters(n, &c);
	assert_int_equal(c.hw_dropped, 1);
	assert_int_equal(c.wire, 12);
	sim_nic_put(n);
}

static void test_hw_rules_errors(void **state)
{
	struct sim_nic *n = open_nic("hw_err", "gen=flows:1", 0);
	hw_filtering_rule r = five_tuple(1, 6, 0, 0, 0, 80, 0);
	unsigned i;

	(void)state;
	assert_int_equal(sim_nic_add_hw_rule(n, NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(sim_nic_add_hw_rule(NULL, &r), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	assert_int_equal(sim_nic_add_hw_rule(n, &r), PF_RING_ERROR_INVALID_ARGUMENT);  /* same id */
	r.rule_family_type = silicom_redirector_rule;
	r.rule_id = 2;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), PF_RING_ERROR_NOT_SUPPORTED);
	r.rule_family_type = (hw_filtering_rule_type)42;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(sim_nic_remove_hw_rule(n, 99), PF_RING_ERROR_INVALID_ARGUMENT);
	r.rule_family_type = intel_82599_five_tuple_rule;
	for (i = 2; i <= SIM_MAX_HW_RULES; i++) {
		r.rule_id = (uint16_t)(SIM_MAX_HW_RULES + 2 - i);  /* descending ids */
		assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	}
	r.rule_id = 60000;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), PF_RING_ERROR_GENERIC);  /* full */
	assert_int_equal(sim_nic_remove_hw_rule(n, 500), 0);
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	sim_nic_put(n);
}

/* -------------------------------------------------------------- faults */

/* Gen frames carry their index in the IPv4 id field: which ones got through. */
static unsigned frame_index(const struct sim_frame *f)
{
	return (unsigned)(f->data[18] << 8 | f->data[19]);
}

static void run_counters(const char *name, const char *q, struct sim_nic_counters *c,
			 unsigned *delivered)
{
	struct sim_nic *n = open_nic(name, q, 0);
	struct sim_frame f;

	*delivered = 0;
	while (next_frame(n, &f) == 1)
		(*delivered)++;
	sim_nic_counters(n, c);
	sim_nic_put(n);
}

static void test_faults_exact(void **state)
{
	const char *q = "gen=flows:100,size:60-200,proto:udp&count=10000&seed=3"
			"&drop=0.1&truncate=0.05&corrupt=0.02";
	struct sim_nic_counters c1, c2;
	unsigned d1, d2;

	(void)state;
	run_counters("fault_a", q, &c1, &d1);
	run_counters("fault_b", q, &c2, &d2);
	assert_memory_equal(&c1, &c2, sizeof(c1));      /* same seed, same faults */
	assert_int_equal(d1, d2);
	assert_int_equal(c1.wire, 10000);
	assert_int_equal(c1.wire, d1 + c1.hw_dropped + c1.fault_dropped);
	/* pinned: the fault stream of seed=3 (a change here changes every run) */
	assert_int_equal(c1.fault_dropped, 1004);
	assert_int_equal(c1.truncated, 435);
	assert_int_equal(c1.corrupted, 175);
	/* and statistically sane */
	assert_true(c1.fault_dropped > 900 && c1.fault_dropped < 1100);
	assert_true(c1.truncated > d1 * 4 / 100 && c1.truncated < d1 * 6 / 100);
	assert_true(c1.corrupted > d1 * 15 / 1000 && c1.corrupted < d1 * 25 / 1000);

	run_counters("fault_c", "gen=flows:100&count=10000&seed=4&drop=0.1", &c2, &d2);
	assert_true(c2.fault_dropped != c1.fault_dropped);
	run_counters("fault_all", "gen=flows:100&count=500&drop=1", &c2, &d2);
	assert_int_equal(d2, 0);
	assert_int_equal(c2.fault_dropped, 500);
	run_counters("fault_none", "gen=flows:100&count=500&drop=0", &c2, &d2);
	assert_int_equal(d2, 500);
	assert_int_equal(c2.fault_dropped, 0);
}

/* Faults and in-NIC drops together: every wire frame is accounted for once */
static void test_faults_with_hw_drops(void **state)
{
	struct sim_nic *n = open_nic("fault_hw", "gen=flows:200,proto:mix&count=8000&seed=21"
				     "&drop=0.2&burst=2&queues=2", 0);
	hw_filtering_rule r = five_tuple(1, 17, 0, 0, 0, 0, 2);   /* UDP -> queue 2: dropped */
	struct sim_nic_counters c;
	struct sim_frame f;
	struct pkt_parsing_info p;
	unsigned delivered = 0;

	(void)state;
	assert_int_equal(sim_nic_add_hw_rule(n, &r), 0);
	while (next_frame(n, &f) == 1) {
		parse_frame(&f, &p);
		assert_int_equal(p.l3_proto, 6);
		delivered++;
	}
	sim_nic_counters(n, &c);
	assert_int_equal(c.wire, 8000);
	assert_true(c.hw_dropped > 2000 && c.fault_dropped > 1000);
	assert_int_equal(c.wire, delivered + c.hw_dropped + c.fault_dropped);
	sim_nic_put(n);
}

static void test_faults_truncate_corrupt(void **state)
{
	const char *base = "gen=flows:100,size:60-300,proto:udp&count=5000&seed=9";
	char q[256];
	struct sim_nic *clean = open_nic("tc_clean", base, 0), *bad;
	struct sim_nic_counters c;
	struct sim_frame f, g;
	unsigned i, cut = 0, changed = 0, k;

	(void)state;
	snprintf(q, sizeof(q), "%s&truncate=0.1&corrupt=0.1", base);
	bad = open_nic("tc_bad", q, 0);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(next_frame(clean, &f), 1);
		assert_int_equal(next_frame(bad, &g), 1);
		assert_int_equal(g.len, f.len);             /* len unchanged */
		assert_true(g.caplen >= 14 && g.caplen <= f.caplen);
		assert_memory_equal(g.data, f.data, 14);    /* Ethernet header untouched */
		if (g.caplen < f.caplen)
			cut++;
		if (memcmp(g.data, f.data, g.caplen))
			changed++;
		for (k = 0; k < 14; k++)
			assert_int_equal(g.data[k], f.data[k]);
	}
	sim_nic_counters(bad, &c);
	assert_int_equal(c.truncated, cut);
	/* a flipped byte can land beyond a later cut: changed <= corrupted */
	assert_true(changed <= c.corrupted && changed >= c.corrupted * 8 / 10);
	assert_true(c.corrupted > 400 && c.corrupted < 600);
	sim_nic_put(clean);
	sim_nic_put(bad);
}

static void test_faults_burst(void **state)
{
	struct sim_nic *n = open_nic("burst", "gen=flows:10,proto:udp&count=20000&seed=11"
				     "&drop=0.005&burst=4", 0);
	static uint8_t seen[20000];
	struct sim_nic_counters c;
	struct sim_frame f;
	unsigned i, run = 0, runs = 0, expect = 0;

	(void)state;
	memset(seen, 0, sizeof(seen));
	while (next_frame(n, &f) == 1) {
		/* the IPv4 id holds the low 16 bits of the frame index */
		i = frame_index(&f);
		while (expect < 20000 && (expect & 0xffff) != i)
			expect++;
		assert_true(expect < 20000);
		seen[expect++] = 1;
	}
	for (i = 0; i <= 20000; i++) {
		if (i < 20000 && !seen[i]) {
			run++;
			continue;
		}
		if (run) {
			assert_true(run >= 5);   /* the trigger and the next 4 */
			runs++;
		}
		run = 0;
	}
	sim_nic_counters(n, &c);
	assert_true(runs > 20);
	assert_int_equal(c.wire, 20000);
	assert_int_equal(c.wire - c.fault_dropped, 20000 - (unsigned)c.fault_dropped);
	for (i = 0, run = 0; i < 20000; i++)
		run += !seen[i];
	assert_int_equal(run, c.fault_dropped);
	sim_nic_put(n);
}

/* --------------------------------------------------------------- clock */

static void test_clock(void **state)
{
	struct sim_nic *n = open_nic("clock", "gen=flows:4&rate=1000&count=10", 0);
	struct timespec ts, set = { .tv_sec = 1800000000, .tv_nsec = 500 }, off = { 1, 7 };
	struct sim_frame f;

	(void)state;
	assert_true(sim_nic_next_due_ns(n) == EPOCH_NS);
	sim_nic_get_clock(n, &ts);    /* starts at the first frame's time */
	assert_int_equal(ts.tv_sec, 1700000000);
	assert_int_equal(ts.tv_nsec, 0);
	assert_int_equal(next_frame(n, &f), 1);
	assert_true(f.hw_ts_ns == f.ts_ns);
	assert_true(sim_nic_next_due_ns(n) == EPOCH_NS + 1000000);
	assert_int_equal(next_frame(n, &f), 1);
	sim_nic_get_clock(n, &ts);
	assert_int_equal(ts.tv_sec, 1700000000);
	assert_int_equal(ts.tv_nsec, 1000000);

	sim_nic_set_clock(n, &set);
	sim_nic_get_clock(n, &ts);
	assert_int_equal(ts.tv_sec, 1800000000);
	assert_int_equal(ts.tv_nsec, 500);
	assert_int_equal(next_frame(n, &f), 1);   /* 1 ms later on both clocks */
	assert_true(f.ts_ns == EPOCH_NS + 2000000);
	assert_true(f.hw_ts_ns == 1800000000ull * 1000000000ull + 500 + 1000000);

	sim_nic_adjust_clock(n, &off, 1);
	assert_int_equal(next_frame(n, &f), 1);
	assert_true(f.hw_ts_ns == 1800000000ull * 1000000000ull + 500 + 2000000 + 1000000007ull);
	sim_nic_adjust_clock(n, &off, -1);
	sim_nic_adjust_clock(n, &off, -1);
	assert_int_equal(next_frame(n, &f), 1);
	assert_true(f.hw_ts_ns == 1800000000ull * 1000000000ull + 500 + 3000000 - 1000000007ull);
	while (next_frame(n, &f) == 1)
		;
	assert_true(sim_nic_next_due_ns(n) == UINT64_MAX);
	sim_nic_put(n);
}

/* ------------------------------------------------------------------ TX */

static void test_tx_peer_and_pcap(void **state)
{
	char path[] = "/tmp/test_sim_nic_tx_XXXXXX", q[256], ebuf[PCAP_ERRBUF_SIZE];
	struct sim_nic *a, *b, *lost;
	struct sim_nic_counters c;
	struct sim_frame f, own;
	struct pcap_pkthdr *h;
	const u_char *d;
	uint8_t frames[3][100];
	pcap_t *p;
	unsigned i;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < 3; i++)
		memset(frames[i], 0xa0 + i, sizeof(frames[i]));
	snprintf(q, sizeof(q), "gen=flows:2&peer=tx_b&txpcap=%s", path);
	a = open_nic("tx_a", q, 0);
	b = open_nic("tx_b", "gen=flows:2&count=3&queues=4", 0);
	assert_int_equal(sim_nic_send(a, frames[0], 100, 1000), 100);
	assert_int_equal(sim_nic_send(a, frames[1], 60, 2000), 60);
	assert_int_equal(sim_nic_send(a, frames[2], 99, 3000000001ull), 99);
	assert_int_equal(sim_nic_send(a, frames[0], 0, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(sim_nic_send(a, NULL, 10, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(sim_nic_send(a, frames[0], SIM_MAX_FRAME + 1, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_true(sim_nic_next_due_ns(b) == 0);   /* a peer frame is due now */
	for (i = 0; i < 3; i++) {
		static const uint32_t lens[3] = { 100, 60, 99 };
		static const uint64_t tss[3] = { 1000, 2000, 3000000001ull };

		assert_int_equal(next_frame(b, &f), 1);
		assert_int_equal(f.caplen, lens[i]);
		assert_int_equal(f.len, lens[i]);
		assert_true(f.ts_ns == tss[i]);
		assert_memory_equal(f.data, frames[i], lens[i]);
		assert_int_equal(f.queue, 0);    /* non-IP bytes: queue 0 */
	}
	for (i = 0; i < 3; i++)              /* then b's own frames */
		assert_int_equal(next_frame(b, &own), 1);
	assert_int_equal(next_frame(b, &own), 0);
	sim_nic_counters(a, &c);
	assert_int_equal(c.tx, 3);
	assert_int_equal(c.tx_lost, 0);
	sim_nic_counters(b, &c);
	assert_int_equal(c.wire, 6);
	assert_int_equal(c.tx, 0);

	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p)
		fail_msg("%s", ebuf);
	for (i = 0; i < 3; i++) {
		static const uint32_t lens[3] = { 100, 60, 99 };

		assert_int_equal(pcap_next_ex(p, &h, &d), 1);
		assert_int_equal(h->caplen, lens[i]);
		assert_memory_equal(d, frames[i], lens[i]);
	}
	assert_int_equal(h->ts.tv_sec, 3);
	assert_int_equal(h->ts.tv_usec, 1);   /* nanoseconds */
	assert_int_equal(pcap_next_ex(p, &h, &d), PCAP_ERROR_BREAK);
	pcap_close(p);

	/* a peer that does not exist: the frame is sent and lost */
	lost = open_nic("tx_lost", "gen=flows:2&peer=nobody_here", 0);
	assert_int_equal(sim_nic_send(lost, frames[0], 64, 1), 64);
	sim_nic_counters(lost, &c);
	assert_int_equal(c.tx, 1);
	assert_int_equal(c.tx_lost, 1);
	/* a peer whose link is down loses it too */
	sim_nic_set_link(b, 0);
	assert_int_equal(sim_nic_send(a, frames[0], 64, 1), 64);
	sim_nic_counters(a, &c);
	assert_int_equal(c.tx_lost, 1);
	assert_int_equal(next_frame(b, &f), 0);
	/* frames still queued when the peer goes away are freed (valgrind) */
	sim_nic_set_link(b, 1);
	assert_int_equal(sim_nic_send(a, frames[0], 64, 1), 64);
	sim_nic_put(lost);
	sim_nic_put(a);
	sim_nic_put(b);
	unlink(path);
}

static void test_tx_peer_rss(void **state)
{
	struct sim_nic *src = open_nic("txr_src", "gen=" GEN_SPEC "&count=200", 0);
	struct sim_nic *a = open_nic("txr_a", "gen=flows:1&peer=txr_b", 0);
	struct sim_nic *b = open_nic("txr_b", "gen=flows:1&queues=5", PF_RING_DNA_SYMMETRIC_RSS);
	struct sim_frame f, g;
	struct pkt_parsing_info p;
	unsigned i;

	(void)state;
	for (i = 0; i < 200; i++) {
		assert_int_equal(next_frame(src, &f), 1);
		assert_int_equal(sim_nic_send(a, f.data, f.caplen, f.ts_ns), (int)f.caplen);
		assert_int_equal(next_frame(b, &g), 1);
		assert_memory_equal(g.data, f.data, f.caplen);
		parse_frame(&g, &p);
		assert_int_equal(g.rss_hash, pf_rss_hash(&p, pf_rss_key_symmetric, PF_RSS_KEY_LEN, 1));
		assert_int_equal(g.queue, g.rss_hash % 5);
	}
	sim_nic_put(src);
	sim_nic_put(a);
	sim_nic_put(b);
}

/* ------------------------------------------------------ the NIC table */

static void test_table_sharing(void **state)
{
	struct sim_opts o, none, other;
	char err[512];
	struct sim_nic *a, *b, *c, *d;
	uint8_t mac_a[6], mac_d[6];

	(void)state;
	assert_int_equal(sim_opts_parse("gen=flows:3&queues=3", &o, err, sizeof(err)), 0);
	assert_int_equal(sim_opts_parse("", &none, err, sizeof(err)), 0);
	assert_int_equal(sim_opts_parse("gen=flows:3&queues=4", &other, err, sizeof(err)), 0);

	assert_null(sim_nic_find("tbl"));
	errno = 0;
	assert_null(sim_nic_get("tbl", &none, 0, err, sizeof(err)));
	assert_int_equal(errno, ENODEV);
	assert_string_equal(err, "sim: no NIC tbl in this process and no source given (pcap= or gen=)");
	assert_null(sim_nic_get("tbl", NULL, 0, err, sizeof(err)));

	a = sim_nic_get("tbl", &o, 0, err, sizeof(err));
	assert_non_null(a);
	assert_ptr_equal(sim_nic_find("tbl"), a);
	b = sim_nic_get("tbl", &none, 0, err, sizeof(err));
	c = sim_nic_get("tbl", &o, 0, err, sizeof(err));
	assert_ptr_equal(b, a);
	assert_ptr_equal(c, a);
	errno = 0;
	assert_null(sim_nic_get("tbl", &other, 0, err, sizeof(err)));
	assert_int_equal(errno, EEXIST);
	assert_string_equal(err, "sim: NIC tbl already exists with other options "
				 "(open it with the same options or none)");
	assert_int_equal(sim_nic_num_queues(a), 3);
	assert_string_equal(sim_nic_name(a), "tbl");
	assert_string_equal(sim_nic_opts(a)->gen, "flows:3");

	/* identity */
	d = sim_nic_get("tbl2", &o, 0, err, sizeof(err));
	assert_non_null(d);
	assert_int_equal(sim_nic_ifindex(d), sim_nic_ifindex(a) + 1);
	assert_true(sim_nic_ifindex(a) >= 1000);
	sim_nic_mac(a, mac_a);
	sim_nic_mac(d, mac_d);
	assert_int_equal(mac_a[0], 0x02);
	assert_int_equal(mac_a[1], 0x50);
	assert_int_equal(mac_a[2], 0x46);
	assert_memory_equal(mac_d, mac_a, 3);
	assert_memory_not_equal(mac_d + 3, mac_a + 3, 3);
	assert_int_equal(sim_nic_link_up(a), 1);
	sim_nic_set_link(a, 0);
	assert_int_equal(sim_nic_link_up(b), 0);
	sim_nic_set_link(a, 1);

	/* bad names */
	assert_null(sim_nic_get("", &o, 0, err, sizeof(err)));
	assert_null(sim_nic_get("a_name_that_is_much_too_long_for_a_nic", &o, 0, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);

	sim_nic_put(a);
	sim_nic_put(b);
	assert_ptr_equal(sim_nic_find("tbl"), c);   /* one reference left */
	sim_nic_put(c);
	assert_null(sim_nic_find("tbl"));
	/* recreated: a new NIC, options may differ now, a new ifindex */
	a = sim_nic_get("tbl", &other, 0, err, sizeof(err));
	assert_non_null(a);
	assert_int_equal(sim_nic_num_queues(a), 4);
	assert_int_equal(sim_nic_ifindex(a), sim_nic_ifindex(d) + 1);
	sim_nic_mac(a, mac_d);
	assert_memory_equal(mac_d, mac_a, 6);       /* the MAC comes from the name */
	sim_nic_put(a);
	sim_nic_put(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_defaults),
		cmocka_unit_test(test_opts_every_option),
		cmocka_unit_test(test_opts_errors),
		cmocka_unit_test(test_gen_spec_errors),
		cmocka_unit_test(test_gen_determinism),
		cmocka_unit_test(test_gen_flows_and_frames),
		cmocka_unit_test(test_pcap_replay),
		cmocka_unit_test(test_pcap_forever_and_rate),
		cmocka_unit_test(test_pcap_cut_file),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_pcap_errors),
		cmocka_unit_test(test_rss_symmetric),
		cmocka_unit_test(test_rss_default_key),
		cmocka_unit_test(test_rss_known_frame),
		cmocka_unit_test(test_hw_rules_steer_and_drop),
		cmocka_unit_test(test_hw_rules_wildcard_and_remove),
		cmocka_unit_test(test_hw_rules_perfect_vlan),
		cmocka_unit_test(test_hw_rules_errors),
		cmocka_unit_test(test_faults_exact),
		cmocka_unit_test(test_faults_with_hw_drops),
		cmocka_unit_test(test_faults_truncate_corrupt),
		cmocka_unit_test(test_faults_burst),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_tx_peer_and_pcap),
		cmocka_unit_test(test_tx_peer_rss),
		cmocka_unit_test(test_table_sharing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
