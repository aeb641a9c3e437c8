/*
 * tests/unit/test_sim_ops.c - the chapter-8 functions the "sim:" backend adds:
 * reflection and bounce (rule actions and pfring_set_reflector_device),
 * pfring_send_get_time, pfring_send_last_rx_packet, pfring_enable_rss_rehash,
 * pfring_set_filtering_mode, pfring_set_channel_id, pfring_get_mtu_size.
 * Expected frames come from libpcap reading the same fixture; what a NIC sent
 * is read back from its txpcap= file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include <pfring.h>
#include "backends/sim/host.h"   /* reflect_errors: no public counter for it */

#define FIX(name) FIXTURE_DIR "/" name
#define MAX_FRAMES 4096

/* ------------------------------------------------------------ pcap files */

struct frames {
	u_int32_t n;
	u_int32_t caplen[MAX_FRAMES];
	struct timeval ts[MAX_FRAMES];
	u_char *data[MAX_FRAMES];
};

/* Frames of file (those matching filter, if any). */
static struct frames *frames_load(const char *file, const char *filter)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *d;
	struct frames *f = calloc(1, sizeof(*f));
	pcap_t *p = pcap_open_offline(file, err);

	assert_non_null(f);
	assert_non_null(p);
	if (filter)
		assert_int_equal(pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN), 0);
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (filter && !pcap_offline_filter(&prog, h, d))
			continue;
		assert_true(f->n < MAX_FRAMES);
		f->caplen[f->n] = h->caplen;
		f->ts[f->n] = h->ts;
		f->data[f->n] = malloc(h->caplen);
		memcpy(f->data[f->n], d, h->caplen);
		f->n++;
	}
	if (filter)
		pcap_freecode(&prog);
	pcap_close(p);
	return f;
}

static void frames_free(struct frames *f)
{
	u_int32_t i;

	for (i = 0; i < f->n; i++)
		free(f->data[i]);
	free(f);
}

/* The txpcap file holds exactly the frames of want, in order, byte-identical. */
static void assert_same_frames(const char *file, const struct frames *want)
{
	struct frames *got = frames_load(file, NULL);
	u_int32_t i;

	assert_int_equal(got->n, want->n);
	for (i = 0; i < want->n; i++) {
		assert_int_equal(got->caplen[i], want->caplen[i]);
		assert_memory_equal(got->data[i], want->data[i], want->caplen[i]);
	}
	frames_free(got);
}

/* ------------------------------------------------------------ helpers */

static char *devname(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

static pfring *open_on(const char *dev, u_int32_t flags, int enable)
{
	pfring *r = pfring_open(dev, 1536, flags);

	assert_non_null(r);
	if (enable)
		assert_int_equal(pfring_enable_ring(r), 0);
	return r;
}

/* A NIC that only transmits: its own wire is never read (ring not enabled). */
static pfring *open_tx_nic(const char *name, const char *txfile)
{
	char dev[600];

	unlink(txfile);
	return open_on(devname(dev, sizeof(dev), "sim:%s?pcap=%s&txpcap=%s", name,
			       FIX("ipv4_icmp.pcap"), txfile), 0, 0);
}

static void tmpname(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/tmp/test_sim_ops_%d_%s.pcap", (int)getpid(), what);
}

/* Read r non-blocking until empty; counts per-frame-index (ts in ms from the
 * fixture's first frame, 1 ms apart) in idx when non-NULL. */
static u_int32_t drain(pfring *r, int *idx, int mark)
{
	struct pfring_pkthdr h;
	u_int32_t n = 0;
	u_char *d;

	while (pfring_recv(r, &d, 0, &h, 0) == 1) {
		if (idx) {
			long ms = (long)(h.ts.tv_sec - 1700000000) * 1000 + h.ts.tv_usec / 1000;

			assert_true(ms >= 0 && ms < MAX_FRAMES);
			idx[ms] = mark;
		}
		n++;
	}
	return n;
}

static u64 reflect_errors(pfring *r)
{
	return ((struct sim_ring *)r->priv_data)->sock.cnt.reflect_errors;
}

static void udp_rule(filtering_rule *rule, rule_action_behaviour action, const char *dev)
{
	memset(rule, 0, sizeof(*rule));
	rule->rule_id = 1;
	rule->rule_action = action;
	rule->core_fields.proto = 17;
	if (dev)
		snprintf(rule->reflector_device_name, sizeof(rule->reflector_device_name), "%s", dev);
}

/* ------------------------------------------------------------ 1. rule actions */

static void test_reflect_rule(void **state)
{
	struct frames *udp = frames_load(FIX("many_flows.pcap"), "udp");
	struct frames *all = frames_load(FIX("many_flows.pcap"), NULL);
	char tx[256], dev[600];
	filtering_rule rule;
	pfring *out, *in;

	(void)state;
	assert_true(udp->n > 0 && udp->n < all->n);
	tmpname(tx, sizeof(tx), "reflect");
	out = open_tx_nic("ro1", tx);
	in = open_on(devname(dev, sizeof(dev), "sim:rin?pcap=%s", FIX("many_flows.pcap")), 0, 0);
	udp_rule(&rule, reflect_packet_and_stop_rule_evaluation, "ro1");
	assert_int_equal(pfring_add_filtering_rule(in, &rule), 0);
	assert_int_equal(pfring_enable_ring(in), 0);
	assert_int_equal(drain(in, NULL, 0), all->n - udp->n);   /* stop: not forwarded */
	assert_int_equal(reflect_errors(in), 0);
	pfring_close(in);
	pfring_close(out);   /* the last reference: txpcap is closed */
	assert_same_frames(tx, udp);
	unlink(tx);
	frames_free(udp);
	frames_free(all);
}

static void test_reflect_continue_sim_prefix(void **state)
{
	struct frames *udp = frames_load(FIX("many_flows.pcap"), "udp");
	struct frames *all = frames_load(FIX("many_flows.pcap"), NULL);
	char tx[256], dev[600];
	filtering_rule rule;
	pfring *out, *in;

	(void)state;
	tmpname(tx, sizeof(tx), "reflect2");
	out = open_tx_nic("ro2", tx);
	in = open_on(devname(dev, sizeof(dev), "sim:rin2?pcap=%s", FIX("many_flows.pcap")), 0, 0);
	udp_rule(&rule, reflect_packet_and_continue_rule_evaluation, "sim:ro2");
	assert_int_equal(pfring_add_filtering_rule(in, &rule), 0);
	assert_int_equal(pfring_enable_ring(in), 0);
	assert_int_equal(drain(in, NULL, 0), all->n);   /* continue: policy forwards */
	pfring_close(in);
	pfring_close(out);
	assert_same_frames(tx, udp);
	unlink(tx);
	frames_free(udp);
	frames_free(all);
}

static void test_bounce_rule(void **state)
{
	struct frames *udp = frames_load(FIX("many_flows.pcap"), "udp");
	struct frames *all = frames_load(FIX("many_flows.pcap"), NULL);
	char tx[256], dev[600];
	filtering_rule rule;
	pfring *in;

	(void)state;
	tmpname(tx, sizeof(tx), "bounce");
	unlink(tx);
	in = open_on(devname(dev, sizeof(dev), "sim:bin?pcap=%s&txpcap=%s",
			     FIX("many_flows.pcap"), tx), 0, 0);
	udp_rule(&rule, bounce_packet_and_stop_rule_evaluation, NULL);
	assert_int_equal(pfring_add_filtering_rule(in, &rule), 0);
	assert_int_equal(pfring_enable_ring(in), 0);
	/* bounced frames are not TX-captured: the ring sees only the TCP frames */
	assert_int_equal(drain(in, NULL, 0), all->n - udp->n);
	assert_int_equal(reflect_errors(in), 0);
	pfring_close(in);
	assert_same_frames(tx, udp);
	unlink(tx);
	frames_free(udp);
	frames_free(all);
}

static void test_reflect_unknown_device(void **state)
{
	struct frames *udp = frames_load(FIX("many_flows.pcap"), "udp");
	struct frames *all = frames_load(FIX("many_flows.pcap"), NULL);
	filtering_rule rule;
	char dev[600];
	pfring *in;

	(void)state;
	in = open_on(devname(dev, sizeof(dev), "sim:uin?pcap=%s", FIX("many_flows.pcap")), 0, 0);
	udp_rule(&rule, reflect_packet_and_stop_rule_evaluation, "nonic");
	assert_int_equal(pfring_add_filtering_rule(in, &rule), 0);
	assert_int_equal(pfring_enable_ring(in), 0);
	assert_int_equal(drain(in, NULL, 0), all->n - udp->n);
	assert_int_equal(reflect_errors(in), udp->n);
	pfring_close(in);
	frames_free(udp);
	frames_free(all);
}

/* ------------------------------------------------------------ 2. reflector device */

static void test_set_reflector_device(void **state)
{
	struct frames *udp = frames_load(FIX("many_flows.pcap"), "udp");
	char tx[256], dev[600];
	filtering_rule rule;
	pfring *out, *in;

	(void)state;
	tmpname(tx, sizeof(tx), "reflector");
	out = open_tx_nic("sout", tx);
	in = open_on(devname(dev, sizeof(dev), "sim:sin?pcap=%s", FIX("many_flows.pcap")), 0, 0);
	assert_int_equal(pfring_set_reflector_device(in, "nosuchnic"),
			 PF_RING_ERROR_UNKNOWN_ADAPTER);
	assert_int_equal(pfring_set_reflector_device(in, "sim:sout"), 0);
	/* only what passes the filters is reflected: drop TCP */
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 1;
	rule.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	rule.core_fields.proto = 6;
	assert_int_equal(pfring_add_filtering_rule(in, &rule), 0);
	assert_int_equal(pfring_enable_ring(in), 0);
	assert_int_equal(drain(in, NULL, 0), udp->n);   /* delivered as well */
	pfring_close(in);
	pfring_close(out);
	assert_same_frames(tx, udp);
	unlink(tx);
	frames_free(udp);
}

/* ------------------------------------------------------------ 3. send_get_time */

static void test_send_get_time(void **state)
{
	struct frames *f = frames_load(FIX("ipv4_udp.pcap"), NULL), *got;
	struct timespec set = { .tv_sec = 1234, .tv_nsec = 567000 }, ts, clk;
	char tx[256];
	pfring *r;

	(void)state;
	tmpname(tx, sizeof(tx), "gettime");
	r = open_tx_nic("tnic", tx);
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(pfring_set_device_clock(r, &set), 0);
	memset(&ts, 0, sizeof(ts));
	assert_int_equal(pfring_send_get_time(r, (char *)f->data[0], f->caplen[0], &ts),
			 (int)f->caplen[0]);
	assert_int_equal(pfring_get_device_clock(r, &clk), 0);
	assert_int_equal(ts.tv_sec, 1234);
	assert_int_equal(ts.tv_nsec, 567000);
	assert_int_equal(clk.tv_sec, ts.tv_sec);
	assert_int_equal(clk.tv_nsec, ts.tv_nsec);
	pfring_close(r);
	got = frames_load(tx, NULL);
	assert_int_equal(got->n, 1);
	assert_int_equal(got->ts[0].tv_sec, 1234);
	assert_int_equal(got->ts[0].tv_usec, 567);
	assert_memory_equal(got->data[0], f->data[0], f->caplen[0]);
	frames_free(got);
	unlink(tx);
	frames_free(f);
}

/* ------------------------------------------------------------ 4. send_last_rx_packet */

static void test_send_last_rx_packet(void **state)
{
	struct frames *f = frames_load(FIX("ipv4_tcp.pcap"), NULL), *want;
	struct pfring_pkthdr h;
	u_char buf[2048], *d = buf;
	char tx[256], dev[600];
	pfring *out, *in, *short_hdr;
	int out_ifindex;

	(void)state;
	tmpname(tx, sizeof(tx), "lastrx");
	out = open_tx_nic("lout", tx);
	assert_int_equal(pfring_get_bound_device_ifindex(out, &out_ifindex), 0);
	in = open_on(devname(dev, sizeof(dev), "sim:lin?pcap=%s", FIX("ipv4_tcp.pcap")),
		     PF_RING_LONG_HEADER, 1);
	short_hdr = open_on("sim:lin", 0, 1);
	assert_int_equal(pfring_send_last_rx_packet(short_hdr, out_ifindex),
			 PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_send_last_rx_packet(in, out_ifindex),
			 PF_RING_ERROR_NO_PKT_AVAILABLE);
	/* frame 0 copied into buf, frame 1 zero-copy, frame 2 copied */
	assert_int_equal(pfring_recv(in, &d, sizeof(buf), &h, 0), 1);
	memset(buf, 0xee, sizeof(buf));   /* the user's buffer is not what is sent */
	assert_int_equal(pfring_send_last_rx_packet(in, out_ifindex), (int)f->caplen[0]);
	assert_int_equal(pfring_recv(in, &d, 0, &h, 0), 1);
	assert_int_equal(pfring_send_last_rx_packet(in, out_ifindex), (int)f->caplen[1]);
	d = buf;
	assert_int_equal(pfring_recv(in, &d, sizeof(buf), &h, 0), 1);
	assert_int_equal(pfring_send_last_rx_packet(in, 99999), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_send_last_rx_packet(in, out_ifindex), (int)f->caplen[2]);
	assert_int_equal(drain(short_hdr, NULL, 0), f->n);
	pfring_close(short_hdr);
	pfring_close(in);
	pfring_close(out);
	want = calloc(1, sizeof(*want));
	assert_non_null(want);
	memcpy(want, f, sizeof(*f));
	want->n = 3;
	assert_same_frames(tx, want);
	free(want);
	unlink(tx);
	frames_free(f);
}

/* ------------------------------------------------------------ 5. rss rehash */

/* many_flows.pcap frames 2k and 2k+1 are the two directions of flow k. */
static u_int32_t split_flows(int rehash)
{
	static int queue_of[MAX_FRAMES];
	pfring *q[4];
	char dev[600];
	u_int32_t n = 0, split = 0, k;
	int i;

	memset(queue_of, 0xff, sizeof(queue_of));
	q[0] = open_on(devname(dev, sizeof(dev), "sim:rss%d@0?queues=4&pcap=%s", rehash,
			       FIX("many_flows.pcap")), 0, 1);
	for (i = 1; i < 4; i++)
		q[i] = open_on(devname(dev, sizeof(dev), "sim:rss%d@%d", rehash, i), 0, 1);
	if (rehash)
		assert_int_equal(pfring_enable_rss_rehash(q[2]), 0);
	for (i = 0; i < 4; i++)
		n += drain(q[i], queue_of, i);
	assert_int_equal(n, 2000);
	for (k = 0; k < 1000; k++) {
		assert_true(queue_of[2 * k] >= 0 && queue_of[2 * k + 1] >= 0);
		split += queue_of[2 * k] != queue_of[2 * k + 1];
	}
	for (i = 0; i < 4; i++)
		pfring_close(q[i]);
	return split;
}

static void test_rss_rehash(void **state)
{
	(void)state;
	assert_true(split_flows(0) > 0);     /* the default key splits flows */
	assert_int_equal(split_flows(1), 0);
}

/* ------------------------------------------------------------ 6. filtering mode */

static void test_filtering_mode(void **state)
{
	hw_filtering_rule hw;
	char dev[600];
	pfring *r;

	(void)state;
	r = open_on(devname(dev, sizeof(dev), "sim:fm?queues=2&pcap=%s", FIX("ipv4_udp.pcap")),
		    0, 0);
	memset(&hw, 0, sizeof(hw));
	hw.rule_family_type = intel_82599_five_tuple_rule;
	hw.rule_id = 1;
	hw.rule_family.five_tuple_rule.proto = 17;
	hw.rule_family.five_tuple_rule.queue_id = 1;
	assert_int_equal(pfring_set_filtering_mode(r, software_only), 0);
	assert_int_equal(pfring_add_hw_rule(r, &hw), PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_set_filtering_mode(r, hardware_only), 0);
	assert_int_equal(pfring_add_hw_rule(r, &hw), 0);
	assert_int_equal(pfring_set_filtering_mode(r, hardware_and_software), 0);
	hw.rule_id = 2;
	assert_int_equal(pfring_add_hw_rule(r, &hw), 0);
	assert_int_equal(pfring_set_filtering_mode(r, (filtering_mode)3),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	pfring_close(r);
}

/* ------------------------------------------------------------ 7. channel id */

static void test_set_channel_id(void **state)
{
	static int by_at[MAX_FRAMES], by_id[MAX_FRAMES];
	pfring *at[4], *id[4];
	char dev[600];
	u_int32_t n_at = 0, n_id = 0;
	int i;

	(void)state;
	memset(by_at, 0xff, sizeof(by_at));
	memset(by_id, 0xff, sizeof(by_id));
	at[0] = open_on(devname(dev, sizeof(dev), "sim:ch@0?queues=4&pcap=%s",
				FIX("many_flows.pcap")), 0, 1);
	for (i = 1; i < 4; i++)
		at[i] = open_on(devname(dev, sizeof(dev), "sim:ch@%d", i), 0, 1);
	for (i = 0; i < 4; i++) {
		id[i] = open_on("sim:ch", 0, 0);
		assert_int_equal(pfring_set_channel_id(id[i], (u_int32_t)i), 0);
		assert_int_equal(pfring_enable_ring(id[i]), 0);
	}
	assert_int_equal(pfring_set_channel_id(id[0], 4), PF_RING_ERROR_INVALID_ARGUMENT);
	for (i = 0; i < 4; i++) {
		u_int32_t a = drain(at[i], by_at, i), b = drain(id[i], by_id, i);

		assert_true(a > 0);
		assert_int_equal(a, b);
		n_at += a;
		n_id += b;
	}
	assert_int_equal(n_at, 2000);
	assert_int_equal(n_id, 2000);
	assert_memory_equal(by_at, by_id, sizeof(by_at));
	for (i = 0; i < 4; i++) {
		pfring_close(at[i]);
		pfring_close(id[i]);
	}
}

/* ------------------------------------------------------------ 8. mtu, TX watermark */

static void test_mtu(void **state)
{
	char dev[600];
	pfring *r;

	(void)state;
	r = open_on(devname(dev, sizeof(dev), "sim:mtu?pcap=%s", FIX("ipv4_udp.pcap")), 0, 0);
	assert_int_equal(pfring_get_mtu_size(r), 1500);
	/* every sim: send goes out at once: no batch for a TX watermark to set */
	assert_int_equal(pfring_set_tx_watermark(r, 8), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(r->tx_watermark, 0);
	pfring_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reflect_rule),
		cmocka_unit_test(test_reflect_continue_sim_prefix),
		cmocka_unit_test(test_bounce_rule),
		cmocka_unit_test(test_reflect_unknown_device),
		cmocka_unit_test(test_set_reflector_device),
		cmocka_unit_test(test_send_get_time),
		cmocka_unit_test(test_send_last_rx_packet),
		cmocka_unit_test(test_rss_rehash),
		cmocka_unit_test(test_filtering_mode),
		cmocka_unit_test(test_set_channel_id),
		cmocka_unit_test(test_mtu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
