/*
 * tests/unit/test_sim_source_faults.c - what a sim: NIC does with a capture a
 * clumsy or hostile user gives it (issue 10, "Nothing lost without a count or
 * an error"):
 *  - a record libpcap cannot read (caplen 0xFFFFFFFF, a record cut short, a
 *    header cut short, garbage): pfring_recv returns the good frames before
 *    it, then PF_RING_ERROR_GENERIC with errno EIO, again at every later call
 *    (blocking or not) and from pfring_poll; one line on stderr; the NIC
 *    counts it (source_errors);
 *  - len < caplen and odd timestamps: repaired, counted, said once;
 *  - a FIFO (or any file that is not regular) with loop= other than 1: refused
 *    at open, before the FIFO is opened (the open would wait for a writer);
 *  - queues= above MAX_NUM_RX_CHANNELS (32): refused;
 *  - pfring_send above the MTU: PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE;
 *    mtu= raises it.
 * The captures are written byte by byte here, so each test shows its input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <pfring.h>
#include "../../sim/nic.h"
#include "stderr_capture.h"

#define FRAME_LEN 60

/* One pcap record: its header fields, and how many data bytes follow. */
struct rec {
	uint32_t sec, frac, caplen, len;
	uint32_t data;           /* bytes actually written (UINT32_MAX: caplen) */
};

static char dir[] = "/tmp/test_sim_source_XXXXXX";

static int setup(void **state)
{
	(void)state;
	alarm(120);     /* a blocking recv that never returns fails the run, not hangs it */
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Frame k: an Ethernet II frame whose bytes are k + i. */
static void frame_bytes(uint32_t k, u_char *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		b[i] = (u_char)(k + i);
	if (n >= 14) {
		b[12] = 0x08;     /* IPv4 EtherType (not a VLAN tag) */
		b[13] = 0x00;
	}
}

/* A microsecond pcap file NAME in dir with recs; then tail (garbage) bytes. */
static const char *write_pcap(const char *name, const struct rec *recs, size_t n,
			      const u_char *tail, size_t tail_len)
{
	static char path[256];
	static const uint32_t file_hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 262144, 1 };
	u_char buf[20000];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(file_hdr, 4, 6, f), 6);
	for (i = 0; i < n; i++) {
		uint32_t h[4] = { recs[i].sec, recs[i].frac, recs[i].caplen, recs[i].len };
		uint32_t d = recs[i].data == UINT32_MAX ? recs[i].caplen : recs[i].data;

		assert_true(d <= sizeof(buf));
		frame_bytes((uint32_t)i, buf, d);
		assert_int_equal(fwrite(h, 4, 4, f), 4);
		assert_int_equal(fwrite(buf, 1, d, f), d);
	}
	if (tail_len)
		assert_int_equal(fwrite(tail, 1, tail_len, f), tail_len);
	assert_int_equal(fclose(f), 0);
	return path;
}

#define GOOD(i) { 1700000000u, (i) * 1000u, FRAME_LEN, FRAME_LEN, UINT32_MAX }

static pfring *open_dev(const char *fmt, const char *path, u_int32_t flags)
{
	char dev[512];
	pfring *r;

	snprintf(dev, sizeof(dev), fmt, path);
	r = pfring_open(dev, 1536, flags);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	return r;
}

static struct sim_nic_counters counters(const char *nic)
{
	struct sim_nic_counters c;

	sim_nic_counters(sim_nic_find(nic), &c);
	return c;
}

/* Open nic on path: the good frames, then the error at every later call
 * (non-blocking, blocking, poll), said once with why in it; close. */
static void expect_good_then_error(const char *nic, const char *opts, const char *path,
				   uint32_t good, const char *why)
{
	char fmt[128];
	pfring *r;
	struct pfring_pkthdr h;
	u_char *p = NULL, want[FRAME_LEN];
	char out[4096];
	pfring_stat st;
	uint32_t i;

	snprintf(fmt, sizeof(fmt), "sim:%s?pcap=%%s%s", nic, opts);
	r = open_dev(fmt, path, 0);
	capture_begin();
	for (i = 0; i < good; i++) {
		assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
		assert_int_equal(h.caplen, FRAME_LEN);
		frame_bytes(i, want, FRAME_LEN);
		assert_memory_equal(p, want, FRAME_LEN);
	}
	errno = 0;
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EIO);
	errno = 0;
	assert_int_equal(pfring_recv(r, &p, 0, &h, 1), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EIO);
	errno = 0;
	assert_int_equal(pfring_poll(r, 50), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EIO);
	capture_end(out, sizeof(out));
	/* one line, naming the NIC, the file, the record and libpcap's reason */
	assert_non_null(strstr(out, "sim:"));
	assert_non_null(strstr(out, nic));
	assert_non_null(strstr(out, why));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	assert_int_equal(counters(nic).source_errors, 1);
	assert_int_equal(counters(nic).wire, good);
	assert_int_equal(pfring_stats(r, &st), 0);
	assert_int_equal(st.recv, good);
	assert_int_equal(st.drop, 0);
	pfring_close(r);
}

static void test_caplen_ffffffff(void **state)
{
	const struct rec recs[] = { GOOD(0), GOOD(1), GOOD(2),
				    { 1700000000u, 3000, 0xffffffffu, 60, 60 }, GOOD(4) };

	(void)state;
	expect_good_then_error("bad_caplen", "", write_pcap("caplen.pcap", recs, 5, NULL, 0), 3,
			       "record 4: ");
}

static void test_record_cut_short(void **state)
{
	const struct rec recs[] = { GOOD(0), GOOD(1), { 1700000000u, 2000, 100, 100, 10 } };

	(void)state;
	expect_good_then_error("bad_cut", "&loop=3", write_pcap("cut.pcap", recs, 3, NULL, 0), 2,
			       "truncated");
}

static void test_header_cut_short(void **state)
{
	const u_char half[8] = { 0x00, 0xf1, 0x53, 0x65, 0, 0, 0, 0 };
	const struct rec recs[] = { GOOD(0) };

	(void)state;
	expect_good_then_error("bad_half", "", write_pcap("half.pcap", recs, 1, half, sizeof(half)),
			       1, "truncated");
}

static void test_garbage(void **state)
{
	const struct rec recs[] = { GOOD(0), GOOD(1) };
	u_char junk[64];

	(void)state;
	memset(junk, 0xa5, sizeof(junk));   /* caplen 0xa5a5a5a5 */
	expect_good_then_error("bad_junk", "", write_pcap("junk.pcap", recs, 2, junk, sizeof(junk)),
			       2, "record 3: ");
}

/* A clean capture ends quietly, not with an error: the control case. */
static void test_clean_end(void **state)
{
	const struct rec recs[] = { GOOD(0), GOOD(1) };
	const char *path = write_pcap("clean.pcap", recs, 2, NULL, 0);
	pfring *r = open_dev("sim:clean?pcap=%s&loop=2", path, 0);
	struct pfring_pkthdr h;
	u_char *p = NULL;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 0);
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 0);
	assert_int_equal(counters("clean").source_errors, 0);
	pfring_close(r);
}

static void test_len_below_caplen(void **state)
{
	const struct rec recs[] = { { 1700000000u, 0, FRAME_LEN, 40, UINT32_MAX }, GOOD(1),
				    { 1700000000u, 2000, FRAME_LEN, 0, UINT32_MAX } };
	const char *path = write_pcap("short_len.pcap", recs, 3, NULL, 0);
	struct pfring_pkthdr h;
	u_char *p = NULL;
	char out[4096];
	pfring *r;
	int i;

	(void)state;
	capture_begin();   /* the open reads the first record already */
	r = open_dev("sim:short_len?pcap=%s", path, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
		assert_int_equal(h.caplen, FRAME_LEN);
		assert_int_equal(h.len, FRAME_LEN);
	}
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 0);
	capture_end(out, sizeof(out));
	assert_int_equal(counters("short_len").repaired, 2);
	assert_non_null(strstr(out, "record 1: len < caplen, len set to caplen"));
	assert_null(strstr(out, "record 3"));    /* said once */
	pfring_close(r);
}

static void test_timestamps(void **state)
{
	const struct rec recs[] = {
		{ 0x80000000u, 5, FRAME_LEN, FRAME_LEN, UINT32_MAX },  /* 2038, not 1901 */
		{ 0xffffffffu, 999999, FRAME_LEN, FRAME_LEN, UINT32_MAX },
		{ 1700000000u, 2500000, FRAME_LEN, FRAME_LEN, UINT32_MAX }, /* 2.5 s in usec */
	};
	const char *path = write_pcap("ts.pcap", recs, 3, NULL, 0);
	pfring *r = open_dev("sim:odd_ts?pcap=%s", path, PF_RING_LONG_HEADER);
	struct pfring_pkthdr h;
	u_char *p = NULL;
	char out[4096];

	(void)state;
	capture_begin();
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
	assert_int_equal(h.ts.tv_sec, 2147483648ll);
	assert_int_equal(h.ts.tv_usec, 5);
	assert_int_equal(h.extended_hdr.timestamp_ns, 2147483648ull * 1000000000ull + 5000);
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
	assert_int_equal(h.ts.tv_sec, 4294967295ll);
	assert_int_equal(h.ts.tv_usec, 999999);
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
	assert_int_equal(h.ts.tv_sec, 1700000002ll);
	assert_int_equal(h.ts.tv_usec, 500000);
	capture_end(out, sizeof(out));
	assert_int_equal(counters("odd_ts").repaired, 1);
	assert_non_null(strstr(out, "record 3: fraction of a second >= 1 s, carried"));
	pfring_close(r);
}

static void expect_open_fails(const char *dev, int err, const char *msg)
{
	char out[4096];
	pfring *r;

	capture_begin();
	errno = 0;
	r = pfring_open(dev, 128, 0);
	capture_end(out, sizeof(out));
	assert_null(r);
	assert_int_equal(errno, err);
	if (!strstr(out, msg))
		fail_msg("\"%s\" not in \"%s\"", msg, out);
}

static void test_fifo_with_loop(void **state)
{
	char fifo[300], dev[400];

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* no writer: an open that reached the FIFO would block here (alarm) */
	snprintf(dev, sizeof(dev), "sim:fifo2?pcap=%s&loop=2", fifo);
	expect_open_fails(dev, EINVAL, "loop=2 needs a regular file (a FIFO or device cannot "
			  "be replayed): use loop=1");
	snprintf(dev, sizeof(dev), "sim:fifo0?pcap=%s&loop=0", fifo);
	expect_open_fails(dev, EINVAL, "loop=0 needs a regular file");
	expect_open_fails("sim:devnull?pcap=/dev/null&loop=3", EINVAL,
			  "sim: pcap=/dev/null: loop=3 needs a regular file");
	assert_null(sim_nic_find("fifo2"));
}

static void test_queues_limit(void **state)
{
	pfring *rings[MAX_NUM_RX_CHANNELS];
	u_int8_t n, i;
	pfring *r;

	(void)state;
	expect_open_fails("sim:q33?gen=flows:4&queues=33", EINVAL, "sim: queues=33: must be 1..32");
	expect_open_fails("sim:q256?gen=flows:4&queues=256", EINVAL, "queues=256: must be 1..32");
	expect_open_fails("sim:q32@32?gen=flows:4&queues=32", EINVAL, "");
	r = pfring_open("sim:q32?gen=flows:64&queues=32", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_get_num_rx_channels(r), 32);
	n = pfring_open_multichannel("sim:q32", 128, 0, rings);
	assert_int_equal(n, 32);
	for (i = 0; i < n; i++)
		pfring_close(rings[i]);
	pfring_close(r);
}

static void test_send_mtu(void **state)
{
	u_char pkt[9100];
	char out[4096];
	pfring *r = pfring_open("sim:mtu_d?gen=flows:1", 1536, 0);
	pfring *j = pfring_open("sim:mtu_j?gen=flows:1&mtu=9000", 1536, 0);

	(void)state;
	assert_non_null(r);
	assert_non_null(j);
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(pfring_enable_ring(j), 0);
	assert_int_equal(pfring_get_mtu_size(r), 1500);
	assert_int_equal(pfring_get_mtu_size(j), 9000);
	frame_bytes(0, pkt, sizeof(pkt));
	assert_int_equal(pfring_send(r, (char *)pkt, 1514, 1), 1514);
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_send(r, (char *)pkt, 1515, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EMSGSIZE);
	errno = 0;
	assert_int_equal(pfring_send(r, (char *)pkt, 9000, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EMSGSIZE);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "9000 bytes do not fit sim:mtu_d's MTU 1500"));
	/* an 802.1Q tag adds 4 bytes */
	pkt[12] = 0x81;
	pkt[13] = 0x00;
	assert_int_equal(pfring_send(r, (char *)pkt, 1518, 1), 1518);
	errno = 0;
	assert_int_equal(pfring_send(r, (char *)pkt, 1519, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EMSGSIZE);
	/* the target NIC's MTU decides: the jumbo NIC through r's send_ifindex */
	assert_int_equal(pfring_send_ifindex(r, (char *)pkt, 9018, 1,
					     sim_nic_ifindex(sim_nic_find("mtu_j"))), 9018);
	assert_int_equal(pfring_send(j, (char *)pkt, 9018, 1), 9018);
	assert_int_equal(pfring_send(j, (char *)pkt, 9019, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(counters("mtu_d").tx, 2);
	assert_int_equal(counters("mtu_j").tx, 2);
	pfring_close(j);
	pfring_close(r);
	expect_open_fails("sim:mtu_bad?gen=flows:1&mtu=67", EINVAL, "sim: mtu=67: must be 68..16366");
	expect_open_fails("sim:mtu_bad?gen=flows:1&mtu=16367", EINVAL, "mtu=16367: must be 68..16366");
}

/* A caplen-0 first packet on a long-header ring (the last packet kept for
 * pfring_send_last_rx_packet is empty: nothing to send). */
static void test_caplen0_long_header(void **state)
{
	const struct rec recs[] = { { 1700000000u, 0, 0, 60, 0 }, GOOD(1) };
	const char *path = write_pcap("caplen0.pcap", recs, 2, NULL, 0);
	pfring *r = open_dev("sim:caplen0?pcap=%s", path, PF_RING_LONG_HEADER);
	struct pfring_pkthdr h;
	u_char *p = NULL;
	char out[4096];

	(void)state;
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
	assert_int_equal(h.caplen, 0);
	assert_int_equal(h.len, 60);
	capture_begin();
	assert_int_equal(pfring_send_last_rx_packet(r, -1), PF_RING_ERROR_NO_PKT_AVAILABLE);
	capture_end(out, sizeof(out));
	assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
	assert_int_equal(h.caplen, FRAME_LEN);
	assert_int_equal(pfring_send_last_rx_packet(r, -1), FRAME_LEN);
	pfring_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caplen_ffffffff),
		cmocka_unit_test(test_record_cut_short),
		cmocka_unit_test(test_header_cut_short),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_clean_end),
		cmocka_unit_test(test_len_below_caplen),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_fifo_with_loop),
		cmocka_unit_test(test_queues_limit),
		cmocka_unit_test(test_send_mtu),
		cmocka_unit_test(test_caplen0_long_header),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
