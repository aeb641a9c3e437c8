/*
 * tests/unit/test_dna.c - the dna: backend (backends/dna/) through the public
 * API, over the fake 82574 of tests/unit/fake_bus.h: names, receive in place
 * and copied, statistics (delivered + dropped = what the wire carried),
 * overrun, blocking and breakloop, BPF in user space, sampling, timestamps,
 * send, flush, watermark, a full TX ring, TX slots, the refusals, close and
 * reopen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "pfring.h"
#include "backends/dna/dna.h"
#include "api_calls.h"
#include "fake_bus.h"
#include "stderr_capture.h"

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x01 };

#define MAX_BUSES 8
static struct fake_bus *buses[MAX_BUSES];   /* every bus the opener made, in order */
static int num_buses;
static int next_open_rc;                    /* a failure the next open returns */
static pfring *open_rings[MAX_BUSES];       /* closed by teardown after a failure */

/* The seam: "eth1" / "0000:00:02.0" is a fresh fake 82574, others do not exist. */
static int fake_opener(const char *name, struct pf_bus **out, char *err, size_t errlen)
{
	struct fake_bus *fb;

	if (next_open_rc) {
		int rc = next_open_rc;

		next_open_rc = 0;
		snprintf(err, errlen, "%s: no IOMMU group and no uio_pci_generic", name);
		return rc;
	}
	if (strcmp(name, "eth1") != 0 && strcmp(name, "0000:00:02.0") != 0) {
		snprintf(err, errlen, "%s: no such network interface or PCI device", name);
		return -ENODEV;
	}
	assert_true(num_buses < MAX_BUSES);
	fb = fake_bus_new(our_mac);
	snprintf(fb->bus.ifname, sizeof(fb->bus.ifname), "eth1");
	buses[num_buses++] = fb;
	*out = &fb->bus;
	return 0;
}

static struct fake_bus *last_bus(void)
{
	assert_true(num_buses > 0);
	return buses[num_buses - 1];
}

static int setup(void **state)
{
	(void)state;
	num_buses = 0;
	next_open_rc = 0;
	pf_dna_set_bus_opener(fake_opener);
	/* one RX queue, whatever this machine's CPU count (test_rss_queues: two) */
	setenv("PFRING_DNA_RSS", "1", 1);
	return 0;
}

/* A test that failed half-way leaves its rings open: they would hold the NIC. */
static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < MAX_BUSES; i++)
		if (open_rings[i]) {
			pfring_close(open_rings[i]);
			open_rings[i] = NULL;
		}
	for (int i = 0; i < num_buses; i++)
		fake_bus_free(buses[i]);
	num_buses = 0;
	pf_dna_set_bus_opener(NULL);
	return 0;
}

static pfring *open_ok(const char *name, u_int32_t caplen, u_int32_t flags)
{
	pfring *ring = pfring_open(name, caplen, flags);

	if (ring == NULL)
		fail_msg("pfring_open(%s): errno %d", name, errno);
	for (int i = 0; i < MAX_BUSES; i++)
		if (open_rings[i] == NULL) {
			open_rings[i] = ring;
			break;
		}
	assert_int_equal(pfring_enable_ring(ring), 0);
	return ring;
}

static void close_ring(pfring *ring)
{
	for (int i = 0; i < MAX_BUSES; i++)
		if (open_rings[i] == ring)
			open_rings[i] = NULL;
	pfring_close(ring);
}

/* pfring_open(name) fails with errno err and exactly the message msg. */
static void open_fails(const char *name, int err, const char *msg)
{
	char out[1024];

	capture_begin();
	assert_null(pfring_open(name, 1518, 0));
	assert_int_equal(errno, err);
	capture_end(out, sizeof(out));
	assert_string_equal(out, msg);
}

/* A frame to dst of len bytes: seq in bytes 14-17, then a pattern. */
static void make_frame(uint8_t *buf, size_t len, const uint8_t dst[6], uint32_t seq)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, "\x02\x00\x00\x00\x00\x09", 6);
	buf[12] = 0x08;
	buf[13] = 0x00;
	for (size_t i = 14; i < len; i++)
		buf[i] = (uint8_t)(seq * 13 + i);
	if (len >= 18)
		memcpy(buf + 14, &seq, 4);
}

static void inject(struct fake_bus *fb, size_t len, uint32_t seq)
{
	uint8_t frame[FAKE_MAX_FRAME];

	make_frame(frame, len, our_mac, seq);
	assert_int_equal(fake_e1000e_inject(fb, frame, len), 0);
}

static void expect_bytes(const u_char *got, size_t caplen, size_t len, uint32_t seq)
{
	uint8_t want[FAKE_MAX_FRAME];

	make_frame(want, len, our_mac, seq);
	assert_memory_equal(got, want, caplen);
}

/* ------------------------------------------------------------ names */

static void test_names(void **state)
{
	pfring *a, *b;

	(void)state;
	a = open_ok("dna:eth1", 1518, 0);
	assert_int_equal(num_buses, 1);
	/* the same NIC by its PCI address: already read whole by a */
	open_fails("dna:0000:00:02.0",
		   EBUSY, "pfring_open(dna:0000:00:02.0): 0000:00:02.0 is in use by another dna: "
		   "ring of this process (every queue is read by one ring)\n");
	open_fails("dna:eth1@0", EBUSY, "pfring_open(dna:eth1@0): queue 0 of eth1 is in use by "
		   "another dna: ring of this process\n");
	assert_int_equal(num_buses, 1);
	assert_int_equal(pfring_get_num_rx_channels(a), 1);
	close_ring(a);
	assert_true(buses[0]->closed);
	assert_int_equal(buses[0]->dma_live, 0);

	b = open_ok("dna:0000:00:02.0@0", 1518, 0);
	assert_int_equal(num_buses, 2);
	open_fails("dna:eth1@0", EBUSY, "pfring_open(dna:eth1@0): queue 0 of eth1 is in use by "
		   "another dna: ring of this process\n");
	open_fails("dna:eth1", EBUSY, "pfring_open(dna:eth1): eth1 is in use by another dna: "
		   "ring of this process (every queue is read by one ring)\n");
	assert_int_equal(num_buses, 2);
	close_ring(b);
	assert_true(buses[1]->closed);

	open_fails("dna:eth1@1", EINVAL, "pfring_open(dna:eth1@1): eth1 has 1 RX queue (0..0)\n");
	open_fails("dna:eth1@0-1", EINVAL, "pfring_open(dna:eth1@0-1): one RX queue per dna: "
		   "ring (dna:eth1@Q); pfring_open_multichannel opens them all\n");
	/* each failed open gave its NIC back */
	assert_int_equal(num_buses, 4);
	assert_true(buses[2]->closed && buses[3]->closed);
	open_fails("dna:eth9", ENODEV, "pfring_open(dna:eth9): eth9: no such network interface "
		   "or PCI device\n");
	open_fails("dna:eth1?x=1", EINVAL, "pfring_open(dna:eth1?x=1): dna: takes one NIC "
		   "(dna:eth1, dna:eth1@Q, dna:0000:00:02.0), no list and no \"?options\"\n");
	open_fails("dna:eth1;eth2", EINVAL, "pfring_open(dna:eth1;eth2): dna: takes one NIC "
		   "(dna:eth1, dna:eth1@Q, dna:0000:00:02.0), no list and no \"?options\"\n");
	open_fails("dna:0000:00:02.9", EINVAL, "pfring_open(\"dna:0000:00:02.9\"): bad device "
		   "name: forbidden character in a device name\n");
	next_open_rc = -ENOENT;
	open_fails("dna:eth1", ENOENT, "pfring_open(dna:eth1): eth1: no IOMMU group and no "
		   "uio_pci_generic\n");
	assert_int_equal(num_buses, 4);
}

static void test_multichannel(void **state)
{
	pfring *rings[MAX_NUM_RX_CHANNELS] = { 0 };

	(void)state;
	assert_int_equal(pfring_open_multichannel("dna:eth1", 1518, 0, rings), 1);
	assert_non_null(rings[0]);
	assert_null(rings[1]);
	assert_string_equal(rings[0]->device_name, "dna:eth1@0");
	/* the probe ring's NIC went back before @0 took it again */
	assert_int_equal(num_buses, 2);
	assert_true(buses[0]->closed);
	assert_false(buses[1]->closed);
	close_ring(rings[0]);
	assert_true(buses[1]->closed);
}

/* PFRING_DNA_RSS=2: the 82574's two queues, one ring each from
 * pfring_open_multichannel; every frame reaches the ring of the queue RSS put
 * it on, and dna:eth1 alone reads both. A bad value is refused, named. */
static void test_rss_queues(void **state)
{
	pfring *rings[MAX_NUM_RX_CHANNELS] = { 0 };
	struct pfring_pkthdr hdr;
	u_char *p;
	uint32_t got[2] = { 0, 0 };

	(void)state;
	setenv("PFRING_DNA_RSS", "2", 1);
	assert_int_equal(pfring_open_multichannel("dna:eth1", 1518, 0, rings), 2);
	assert_string_equal(rings[1]->device_name, "dna:eth1@1");
	for (int q = 0; q < 2; q++)
		assert_int_equal(pfring_enable_ring(rings[q]), 0);
	for (uint32_t seq = 0; seq < 100; seq++)
		inject(last_bus(), 80, seq * 2654435761u);  /* IPv4 addresses vary with seq */
	assert_true(last_bus()->rx_per_queue[0] > 0 && last_bus()->rx_per_queue[1] > 0);
	for (int q = 0; q < 2; q++)
		while (pfring_recv(rings[q], &p, 0, &hdr, 0) == 1)
			got[q]++;
	assert_int_equal(got[0], last_bus()->rx_per_queue[0]);
	assert_int_equal(got[1], last_bus()->rx_per_queue[1]);
	for (int q = 0; q < 2; q++)
		close_ring(rings[q]);

	pfring *all = open_ok("dna:eth1", 1518, 0);
	uint32_t n = 0;

	assert_int_equal(pfring_get_num_rx_channels(all), 2);
	for (uint32_t seq = 0; seq < 100; seq++)
		inject(last_bus(), 80, seq * 2654435761u);
	while (pfring_recv(all, &p, 0, &hdr, 0) == 1)
		n++;
	assert_int_equal(n, 100);
	close_ring(all);

	setenv("PFRING_DNA_RSS", "0", 1);
	open_fails("dna:eth1", EINVAL, "pfring_open(dna:eth1): PFRING_DNA_RSS=0: want the number "
		   "of RX queues, 1 to 256\n");
}

/* Two queues read by two threads while this one injects and a third thread
 * reads the statistics: every frame reaches its queue's ring once, intact,
 * or is counted as dropped (MPC) when the ring was full. */
struct queue_reader {
	pfring *ring;
	const int *done;
	uint32_t got, bad;
};

static void *read_queue(void *arg)
{
	struct queue_reader *r = arg;
	struct pfring_pkthdr hdr;
	u_char *p;

	for (;;) {
		int finished = __atomic_load_n(r->done, __ATOMIC_ACQUIRE);
		int rc;

		while ((rc = pfring_recv(r->ring, &p, 0, &hdr, 0)) == 1) {
			uint32_t seq;
			uint8_t want[80];

			memcpy(&seq, p + 14, 4);
			make_frame(want, 80, our_mac, seq);
			r->got++;
			r->bad += hdr.caplen != 80 || memcmp(p, want, 80) != 0;
		}
		if (rc < 0 || finished)
			return NULL;
		sched_yield();
	}
}

/* Reads the statistics each time *ask is raised (between the injector's
 * bursts: the fake NIC's counters are a plain register file, where a read
 * that clears them would race the model's increments; a real NIC's do not),
 * while the readers go on. */
static int stats_ask;

static void *read_stats(void *arg)
{
	struct queue_reader *r = arg;
	pfring_stat st;

	while (!__atomic_load_n(r->done, __ATOMIC_ACQUIRE)) {
		if (!__atomic_load_n(&stats_ask, __ATOMIC_ACQUIRE)) {
			sched_yield();
			continue;
		}
		r->bad += pfring_stats(r->ring, &st) != 0;
		r->got++;
		__atomic_store_n(&stats_ask, 0, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void test_queues_in_threads(void **state)
{
	pfring *rings[MAX_NUM_RX_CHANNELS] = { 0 };
	struct queue_reader rd[3];
	pthread_t t[3];
	int done = 0;
	uint32_t lost = 0, sent = 3000;
	pfring_stat st;

	(void)state;
	setenv("PFRING_DNA_RSS", "2", 1);
	assert_int_equal(pfring_open_multichannel("dna:eth1", 1518, 0, rings), 2);
	for (int q = 0; q < 2; q++) {
		assert_int_equal(pfring_enable_ring(rings[q]), 0);
		rd[q] = (struct queue_reader){ .ring = rings[q], .done = &done };
	}
	rd[2] = (struct queue_reader){ .ring = rings[0], .done = &done };
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, i < 2 ? read_queue : read_stats, &rd[i]),
				 0);
	for (uint32_t seq = 0; seq < sent; seq++) {
		uint8_t frame[80];

		make_frame(frame, sizeof(frame), our_mac, seq * 2654435761u);
		int rc = fake_e1000e_inject(last_bus(), frame, sizeof(frame));

		assert_true(rc == 0 || rc == -ENOBUFS);
		lost += rc == -ENOBUFS;
		if (seq % 256 == 255) {
			__atomic_store_n(&stats_ask, 1, __ATOMIC_RELEASE);
			while (__atomic_load_n(&stats_ask, __ATOMIC_ACQUIRE))
				sched_yield();
		}
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(rd[0].bad + rd[1].bad + rd[2].bad, 0);
	assert_int_equal(rd[2].got, sent / 256);   /* every reading asked for was taken */
	assert_int_equal(rd[0].got, last_bus()->rx_per_queue[0]);
	assert_int_equal(rd[1].got, last_bus()->rx_per_queue[1]);
	assert_int_equal(rd[0].got + rd[1].got + lost, sent);
	assert_int_equal(pfring_stats(rings[0], &st), 0);
	assert_int_equal(st.drop, lost);
	for (int q = 0; q < 2; q++)
		close_ring(rings[q]);
	assert_true(last_bus()->closed);
}

/* ------------------------------------------------------------ receive */

static void test_recv_in_place_and_copied(void **state)
{
	pfring *ring;
	struct pfring_pkthdr hdr;
	u_char *p = NULL, buf[100];
	u_char mac[6];

	(void)state;
	ring = open_ok("dna:eth1", 128, 0);
	assert_int_equal(pfring_get_bound_device_address(ring, mac), 0);
	assert_memory_equal(mac, our_mac, 6);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 0);
	inject(last_bus(), 60, 1);
	inject(last_bus(), 1514, 2);
	inject(last_bus(), 90, 3);

	/* in place: a pointer into the NIC's RX buffers */
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	assert_int_equal(hdr.len, 60);
	assert_int_equal(hdr.caplen, 60);
	assert_non_null(fake_dma_virt(last_bus(), FAKE_IOVA_BASE, 1));
	assert_true(p >= last_bus()->ram && p < last_bus()->ram + FAKE_RAM_SIZE);
	expect_bytes(p, 60, 60, 1);
	/* cut to the ring's caplen (128) */
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	assert_int_equal(hdr.len, 1514);
	assert_int_equal(hdr.caplen, 128);
	expect_bytes(p, 128, 1514, 2);
	/* copied into buf: 90 bytes fit in its 100 */
	p = buf;
	assert_int_equal(pfring_recv(ring, &p, sizeof(buf), &hdr, 0), 1);
	assert_ptr_equal(p, buf);
	assert_int_equal(hdr.len, 90);
	assert_int_equal(hdr.caplen, 90);
	expect_bytes(buf, 90, 90, 3);
	/* no time without PF_RING_TIMESTAMP (5.4.6's DNA) */
	assert_int_equal(hdr.ts.tv_sec, 0);
	assert_int_equal(hdr.extended_hdr.timestamp_ns, 0);
	inject(last_bus(), 1000, 4);
	assert_int_equal(pfring_recv(ring, &p, sizeof(buf), &hdr, 0), 1);
	assert_int_equal(hdr.len, 1000);
	assert_int_equal(hdr.caplen, 100);
	expect_bytes(buf, 100, 1000, 4);
	assert_int_equal(pfring_recv(ring, &p, sizeof(buf), &hdr, 0), 0);
	close_ring(ring);
}

static void test_timestamps(void **state)
{
	pfring *ring;
	struct pfring_pkthdr hdr;
	struct timespec before, after;
	u_char *p;
	u_int64_t ns;

	(void)state;
	ring = open_ok("dna:eth1", 1518, PF_RING_TIMESTAMP);
	inject(last_bus(), 64, 1);
	clock_gettime(CLOCK_REALTIME, &before);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	clock_gettime(CLOCK_REALTIME, &after);
	ns = hdr.extended_hdr.timestamp_ns;
	assert_true(ns >= (u_int64_t)before.tv_sec * 1000000000ull + (u_int64_t)before.tv_nsec);
	assert_true(ns <= (u_int64_t)after.tv_sec * 1000000000ull + (u_int64_t)after.tv_nsec);
	assert_int_equal(hdr.ts.tv_sec, (long)(ns / 1000000000ull));
	assert_int_equal(hdr.ts.tv_usec, (long)(ns % 1000000000ull / 1000));
	close_ring(ring);
}

/* The NIC's ring holds 511 frames (one descriptor stays the driver's): the
 * rest of 600 frames sent while nobody reads are missed, and counted. */
static void test_stats_and_overrun(void **state)
{
	pfring *ring;
	pfring_stat st;
	struct pfring_pkthdr hdr;
	u_char *p;
	uint8_t frame[64];
	unsigned int i, stored = 0, got = 0;

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	for (i = 0; i < 600; i++) {
		make_frame(frame, sizeof(frame), our_mac, i);
		if (fake_e1000e_inject(last_bus(), frame, sizeof(frame)) == 0)
			stored++;
	}
	assert_int_equal(stored, 511);
	while (pfring_recv(ring, &p, 0, &hdr, 0) == 1) {
		expect_bytes(p, 64, 64, got);
		got++;
	}
	assert_int_equal(got, 511);
	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(st.recv, 511);
	assert_int_equal(st.drop, 89);
	assert_int_equal(st.recv + st.drop, 600);
	/* the ring works on after the overrun */
	inject(last_bus(), 64, 1000);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	expect_bytes(p, 64, 64, 1000);
	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(st.recv, 512);
	assert_int_equal(st.drop, 89);
	close_ring(ring);
}

static void test_promisc(void **state)
{
	static const uint8_t other[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t frame[64];
	pfring *ring;

	(void)state;
	make_frame(frame, sizeof(frame), other, 1);
	ring = open_ok("dna:eth1", 1518, 0);
	assert_int_equal(fake_e1000e_inject(last_bus(), frame, sizeof(frame)), -EPERM);
	close_ring(ring);
	ring = open_ok("dna:eth1", 1518, PF_RING_PROMISC);
	assert_int_equal(fake_e1000e_inject(last_bus(), frame, sizeof(frame)), 0);
	close_ring(ring);
}

struct blocked {
	pfring *ring;
	int rc;
	double cpu_ms, wall_ms;
};

static double ms_of(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void *blocked_reader(void *arg)
{
	struct blocked *b = arg;
	struct pfring_pkthdr hdr;
	struct timespec c0, c1, w0, w1;
	u_char *p;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	clock_gettime(CLOCK_MONOTONIC, &w0);
	b->rc = pfring_recv(b->ring, &p, 0, &hdr, 1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	b->cpu_ms = ms_of(&c0, &c1);
	b->wall_ms = ms_of(&w0, &w1);
	return NULL;
}

/* A reader blocked on an idle NIC sleeps (a fraction of a core) and
 * pfring_breakloop wakes it: recv returns 0. */
static void test_blocking_and_breakloop(void **state)
{
	const struct timespec wait = { .tv_sec = 0, .tv_nsec = 300 * 1000000 };
	struct blocked b = { 0 };
	pthread_t t;

	(void)state;
	b.ring = open_ok("dna:eth1", 1518, 0);
	b.rc = -99;
	assert_int_equal(pthread_create(&t, NULL, blocked_reader, &b), 0);
	nanosleep(&wait, NULL);
	assert_int_equal(b.rc, -99);
	pfring_breakloop(b.ring);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(b.rc, 0);
	assert_true(b.wall_ms >= 250);
	if (b.cpu_ms > b.wall_ms / 4)
		fail_msg("a blocked reader used %.0f ms of CPU in %.0f ms", b.cpu_ms, b.wall_ms);
	close_ring(b.ring);
}

static void test_poll(void **state)
{
	pfring *ring;

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	assert_int_equal(pfring_poll(ring, 5), 0);
	assert_int_equal(pfring_is_pkt_available(ring), 0);
	inject(last_bus(), 64, 1);
	assert_int_equal(pfring_poll(ring, 5), 1);
	assert_int_equal(pfring_is_pkt_available(ring), 1);
	close_ring(ring);
}

/* "ether[14] == 2": frames whose seq starts with byte 2 only; the others are
 * neither received nor dropped. */
static void test_bpf_in_user_space(void **state)
{
	pfring *ring;
	pfring_stat st;
	struct pfring_pkthdr hdr;
	u_char *p;
	char out[512];

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	assert_int_equal(pfring_set_bpf_filter(ring, "ether[14] == 2"), 0);
	for (uint32_t seq = 1; seq <= 4; seq++)
		inject(last_bus(), 64, seq);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	expect_bytes(p, 64, 64, 2);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 0);
	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(st.recv, 1);
	assert_int_equal(st.drop, 0);
	assert_int_equal(pfring_remove_bpf_filter(ring), 0);
	inject(last_bus(), 64, 7);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	expect_bytes(p, 64, 64, 7);
	capture_begin();
	assert_int_equal(pfring_set_bpf_filter(ring, "ether["), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "pfring_set_bpf_filter(\"ether[\"): "));
	close_ring(ring);
}

static void test_sampling(void **state)
{
	pfring *ring;
	struct pfring_pkthdr hdr;
	u_char *p;

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	assert_int_equal(pfring_set_sampling_rate(ring, 3), 0);
	for (uint32_t seq = 0; seq < 7; seq++)
		inject(last_bus(), 64, seq);
	for (uint32_t want = 0; want < 7; want += 3) {
		assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
		expect_bytes(p, 64, 64, want);
	}
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 0);
	close_ring(ring);
}

/* ------------------------------------------------------------ send */

static void expect_sent(struct fake_bus *fb, uint32_t i, size_t len, uint32_t seq)
{
	assert_true(i < fb->n_sent);
	assert_int_equal(fb->sent[i].len, len);
	expect_bytes(fb->sent[i].bytes, len, len, seq);
}

static int send_seq(pfring *ring, size_t len, uint32_t seq, int flush)
{
	uint8_t frame[FAKE_MAX_FRAME];

	make_frame(frame, len, our_mac, seq);
	return pfring_send(ring, (char *)frame, (u_int)len, (u_int8_t)flush);
}

static void test_send_flush_watermark(void **state)
{
	pfring *ring;
	struct fake_bus *fb;
	uint32_t seq;

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	fb = last_bus();
	assert_int_equal(ring->tx_watermark, 64);
	/* below the watermark, no flush: the NIC has seen nothing */
	for (seq = 0; seq < 3; seq++)
		assert_int_equal(send_seq(ring, 60 + seq, seq, 0), 60 + (int)seq);
	assert_int_equal(fb->n_sent, 0);
	assert_int_equal(send_seq(ring, 1514, 3, 1), 1514);
	assert_int_equal(fb->n_sent, 4);
	for (seq = 0; seq < 3; seq++)
		expect_sent(fb, seq, 60 + seq, seq);
	expect_sent(fb, 3, 1514, 3);
	/* watermark 2: every second frame writes the tail */
	assert_int_equal(pfring_set_tx_watermark(ring, 2), 0);
	assert_int_equal(send_seq(ring, 64, 4, 0), 64);
	assert_int_equal(fb->n_sent, 4);
	assert_int_equal(send_seq(ring, 64, 5, 0), 64);
	assert_int_equal(fb->n_sent, 6);
	expect_sent(fb, 5, 64, 5);
	/* a frame left below the watermark goes at close */
	assert_int_equal(send_seq(ring, 64, 6, 0), 64);
	assert_int_equal(fb->n_sent, 6);
	close_ring(ring);
	assert_int_equal(fb->n_sent, 7);
	expect_sent(fb, 6, 64, 6);
}

/* A NIC that does not send (TCTL.EN cleared): 511 frames fill the ring, the
 * next is refused after a flush that frees nothing. */
static void test_full_ring_and_oversize(void **state)
{
	pfring *ring;
	struct fake_bus *fb;
	char out[512];
	uint32_t seq;

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	fb = last_bus();
	fake_reg_set(fb, E1000_TCTL, 0);
	for (seq = 0; seq < 511; seq++)
		assert_int_equal(send_seq(ring, 64, seq, 0), 64);
	errno = 0;
	assert_int_equal(send_seq(ring, 64, seq, 0), PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(fb->n_sent, 0);
	capture_begin();
	assert_int_equal(send_seq(ring, 2049, 1, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EMSGSIZE);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "e1000e 0000:00:02.0: tx of a 2049-byte frame: 1 to 2048 bytes\n");
	close_ring(ring);
}

/* pfsend's zero copy: slots filled once, then pfring_send(ring, NULL, len). */
static void test_tx_slots(void **state)
{
	uint8_t a[64], b[100];
	pfring *ring, *hub;
	struct fake_bus *fb;
	char out[512];

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	fb = last_bus();
	assert_int_equal(pfring_get_num_tx_slots(ring), 512);
	assert_int_equal(pfring_get_num_rx_slots(ring), 512);
	assert_int_equal(ring->dna_get_num_tx_slots(ring), 512);
	assert_int_equal(ring->dna_get_num_rx_slots(ring), 512);
	capture_begin();
	assert_int_equal(pfring_send(ring, NULL, 64, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_send(dna:eth1, NULL, 64): no TX slot to send: fill the "
			    "slots with pfring_copy_tx_packet_into_slot (2048 bytes each) first\n");
	assert_int_equal(send_seq(ring, 64, 9, 1), 64);
	assert_int_equal(ring->dna_get_next_free_tx_slot(ring), 1);
	make_frame(a, sizeof(a), our_mac, 1);
	make_frame(b, sizeof(b), our_mac, 2);
	assert_int_equal(pfring_copy_tx_packet_into_slot(ring, 1, (char *)a, sizeof(a)), 0);
	assert_int_equal(ring->dna_copy_tx_packet_into_slot(ring, 2, (char *)b, sizeof(b)), 0);
	assert_int_equal(pfring_send(ring, NULL, sizeof(a), 0), (int)sizeof(a));
	assert_int_equal(pfring_send(ring, NULL, sizeof(b), 1), (int)sizeof(b));
	assert_int_equal(fb->n_sent, 3);
	expect_sent(fb, 1, sizeof(a), 1);
	expect_sent(fb, 2, sizeof(b), 2);
	assert_int_equal(ring->dna_get_next_free_tx_slot(ring), 3);
	capture_begin();
	assert_int_equal(pfring_copy_tx_packet_into_slot(ring, 512, (char *)a, sizeof(a)),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_copy_tx_packet_into_slot(dna:eth1, 512, 64 bytes): "
			    "slots 0..511, 1 to 2048 bytes\n");
	close_ring(ring);

	/* elsewhere: no slots, and pfring_send(NULL) stays refused */
	hub = open_ok("hub:h", 1518, 0);
	assert_int_equal(pfring_get_num_tx_slots(hub), 0);
	assert_int_equal(hub->dna_get_next_free_tx_slot(hub), 0);
	assert_int_equal(pfring_send(hub, NULL, 64, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	close_ring(hub);
}

/* ------------------------------------------------------------ refusals */

static void test_refusals(void **state)
{
	pfring *ring;
	filtering_rule rule;
	hash_filtering_rule hrule;
	hw_filtering_rule hw;
	char out[1024];

	(void)state;
	memset(&rule, 0, sizeof(rule));
	memset(&hrule, 0, sizeof(hrule));
	memset(&hw, 0, sizeof(hw));
	ring = open_ok("dna:eth1", 1518, 0);
	pf_api_set_verbosity(PF_VERBOSE_ALL);
	capture_begin();
	assert_int_equal(pfring_add_filtering_rule(ring, &rule), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, EOPNOTSUPP);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_add_filtering_rule(dna:eth1): a dna: ring bypasses the "
			    "kernel: no kernel filtering, clusters, reflector or plugins (spec "
			    "4.3); pfring_set_bpf_filter filters in user space\n");
	assert_int_equal(pfring_remove_filtering_rule(ring, 1), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &hrule, 1),
			 PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_toggle_filtering_policy(ring, 0), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_cluster(ring, 1, cluster_round_robin),
			 PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_reflector_device(ring, "eth2"), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_add_hw_rule(ring, &hw), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_direction(ring, tx_only_direction),
			 PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_direction(ring, rx_only_direction), 0);
	assert_int_equal(ring->dna_init(ring), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_get_selectable_fd(ring), -1);
	close_ring(ring);
}

/* docs/api.md's dna: column: the calls a dna: ring answers NOT_SUPPORTED. */
#define NS_DNA API_NS_EVERYWHERE " next_pkt_time next_pkt_raw_timestamp get_num_queued_pkts " \
	"set_cluster remove_from_cluster set_reflector_device add_filtering_rule " \
	"remove_filtering_rule get_filtering_rule_stats purge_idle_rules " \
	"handle_hash_filtering_rule get_hash_filtering_rule_stats purge_idle_hash_rules " \
	"add_hw_rule remove_hw_rule set_filtering_mode toggle_filtering_policy send_ifindex " \
	"send_get_time send_last_rx_packet set_channel_id get_bound_device_id " \
	"get_bound_device_ifindex get_ring_id enable_rss_rehash get_device_clock " \
	"set_device_clock adjust_device_clock get_mtu_size get_device_ifindex loopback_test " \
	"set_channel_mask"

static void test_api_column(void **state)
{
	pfring *ring = open_ok("dna:eth1", 0, PF_RING_LONG_HEADER);

	(void)state;
	api_check_backend(ring, "dna", NS_DNA);
	close_ring(ring);
}

/* ------------------------------------------------------------ close */

static void test_close_and_reopen(void **state)
{
	pfring *ring;
	struct pfring_pkthdr hdr;
	u_char *p;

	(void)state;
	ring = open_ok("dna:eth1", 1518, 0);
	inject(last_bus(), 64, 1);
	close_ring(ring);
	assert_true(buses[0]->closed);
	assert_int_equal(buses[0]->dma_live, 0);
	assert_int_equal(fake_reg(buses[0], E1000_RCTL) & E1000_RCTL_EN, 0);
	ring = open_ok("dna:eth1", 1518, 0);
	assert_int_equal(num_buses, 2);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 0);
	inject(last_bus(), 64, 2);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	expect_bytes(p, 64, 64, 2);
	close_ring(ring);
	assert_true(buses[1]->closed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multichannel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rss_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queues_in_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recv_in_place_and_copied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timestamps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_and_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_promisc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_and_breakloop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bpf_in_user_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sampling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_flush_watermark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_ring_and_oversize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_and_reopen, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
