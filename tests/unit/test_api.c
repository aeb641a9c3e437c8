/*
 * tests/unit/test_api.c - libpfring's front (backends/): dispatch, argument
 * checks, device names, backend-independent functions.
 *
 * Three backends are registered by this file:
 *   "test:"  serves packets from in-memory lists, implements a subset of the
 *            operations, and records what the front asked of it;
 *   "bare:"  implements open only: every other call must be NOT_SUPPORTED;
 *   "later:" a placeholder that is "not built yet".
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "stderr_capture.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>
#include <pfring_zero.h>
#include "lib/backend.h"
#include "lib/devname.h"
#include "core/hash.h"
#include "core/errors.h"

/* ================================================================ packets */

static const u_int8_t MAC_A[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const u_int8_t MAC_B[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };

static size_t put_eth(u_char *p, const u_int8_t *dst, const u_int8_t *src, u_int16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = type >> 8;
	p[13] = type & 0xff;
	return 14;
}

static void put16(u_char *p, u_int16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(u_char *p, u_int32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static size_t put_ipv4(u_char *p, u_int8_t tos, u_int8_t proto, u_int32_t src, u_int32_t dst,
		       u_int16_t l4_len)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[1] = tos;
	put16(p + 2, 20 + l4_len);
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	return 20;
}

/* Ethernet / IPv4 10.0.0.1:1234 -> 192.168.1.2:80 / TCP PSH|ACK / "ABCD" (58
 * bytes); reverse swaps MACs, addresses and ports. */
static size_t build_tcp(u_char *p, int reverse)
{
	u_int32_t a = 0x0a000001, b = 0xc0a80102;
	u_int16_t pa = 1234, pb = 80;
	size_t o;

	o = put_eth(p, reverse ? MAC_A : MAC_B, reverse ? MAC_B : MAC_A, 0x0800);
	o += put_ipv4(p + o, 0x10, IPPROTO_TCP, reverse ? b : a, reverse ? a : b, 24);
	memset(p + o, 0, 20);
	put16(p + o, reverse ? pb : pa);
	put16(p + o + 2, reverse ? pa : pb);
	put32(p + o + 4, 0x01020304);
	put32(p + o + 8, 0x0a0b0c0d);
	p[o + 12] = 5 << 4;
	p[o + 13] = 0x18;
	put16(p + o + 14, 8192);
	o += 20;
	memcpy(p + o, "ABCD", 4);
	return o + 4;
}

/* Ethernet / IPv6 2001:db8::1:5353 -> 2001:db8::2:53 / UDP / 4 bytes (66 bytes). */
static size_t build_udp6(u_char *p)
{
	size_t o = put_eth(p, MAC_B, MAC_A, 0x86dd);

	memset(p + o, 0, 40);
	p[o] = 0x60;
	put16(p + o + 4, 12);
	p[o + 6] = IPPROTO_UDP;
	p[o + 7] = 64;
	put32(p + o + 8, 0x20010db8);
	p[o + 23] = 1;
	put32(p + o + 24, 0x20010db8);
	p[o + 39] = 2;
	o += 40;
	put16(p + o, 5353);
	put16(p + o + 2, 53);
	put16(p + o + 4, 12);
	put16(p + o + 6, 0);
	memcpy(p + o + 8, "wxyz", 4);
	return o + 12;
}

/* ARP request 10.0.0.1 asks for 10.0.0.2 (42 bytes). */
static size_t build_arp(u_char *p)
{
	static const u_int8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t o = put_eth(p, bcast, MAC_A, 0x0806);

	put16(p + o, 1);
	put16(p + o + 2, 0x0800);
	p[o + 4] = 6;
	p[o + 5] = 4;
	put16(p + o + 6, 1);
	memcpy(p + o + 8, MAC_A, 6);
	put32(p + o + 14, 0x0a000001);
	memset(p + o + 18, 0, 6);
	put32(p + o + 24, 0x0a000002);
	return o + 28;
}

/* 802.1Q vid 100 / IPv4 / UDP 10.1.1.1:1000 -> 10.2.2.2:2000, no payload (46 bytes). */
static size_t build_vlan_udp(u_char *p)
{
	size_t o = put_eth(p, MAC_B, MAC_A, 0x8100);

	put16(p + o, 100);
	put16(p + o + 2, 0x0800);
	o += 4;
	o += put_ipv4(p + o, 0, IPPROTO_UDP, 0x0a010101, 0x0a020202, 8);
	put16(p + o, 1000);
	put16(p + o + 2, 2000);
	put16(p + o + 4, 8);
	put16(p + o + 6, 0);
	return o + 8;
}

/* GTP-U TEID 0x11223344 carrying UDP 172.16.0.1:4000 -> 172.16.0.2:5000. */
static size_t build_gtp(u_char *p)
{
	size_t o = put_eth(p, MAC_B, MAC_A, 0x0800);
	size_t inner_len = 20 + 8;

	o += put_ipv4(p + o, 0, IPPROTO_UDP, 0x0a000001, 0x0a000002, 8 + 8 + inner_len);
	put16(p + o, 2152);
	put16(p + o + 2, 2152);
	put16(p + o + 4, 8 + 8 + inner_len);
	put16(p + o + 6, 0);
	o += 8;
	p[o] = 0x30;
	p[o + 1] = 0xff;
	put16(p + o + 2, inner_len);
	put32(p + o + 4, 0x11223344);
	o += 8;
	o += put_ipv4(p + o, 0, IPPROTO_UDP, 0xac100001, 0xac100002, 8);
	put16(p + o, 4000);
	put16(p + o + 2, 5000);
	put16(p + o + 4, 8);
	put16(p + o + 6, 0);
	return o + 8;
}

/* ================================================================ test backend */

struct tb_pkt {
	u_char data[80];
	u_int len;
	struct timespec ts;
};

struct tb_dev {
	const char *name;
	struct tb_pkt *pkts;
	unsigned int num;
	int error_when_empty;   /* recv returns this once the list is exhausted */
};

#define TB_MAX_DEVS 8

static struct {
	struct tb_dev devs[TB_MAX_DEVS];
	unsigned int num_devs;
	int fail_from_queue;     /* open of NAME@q with q >= this fails (EBUSY) */
	u_int8_t channels;       /* get_num_rx_channels */
	unsigned int opens, closes, recvs, enables, disables, polls, sends;
	int rx_lock_held, tx_lock_held;
	u_int16_t last_wm;
	char last_appl[64];
	char last_promisc_dev[64];
	int last_promisc_set;
	u_char last_sent[128];
	u_int last_sent_len;
} tb;

struct tb_ring {
	struct tb_dev *dev;
	unsigned int next;
	int queue;
	u_int64_t recv;
};

static int mutex_held(pthread_rwlock_t *m)
{
	if (pthread_rwlock_trywrlock(m) == EBUSY)
		return 1;
	pthread_rwlock_unlock(m);
	return 0;
}

static struct tb_dev *tb_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < tb.num_devs; i++)
		if (strcmp(tb.devs[i].name, name) == 0)
			return &tb.devs[i];
	return NULL;
}

static int tb_open(pfring *ring, const struct pf_devname *dn)
{
	struct tb_ring *t;
	struct tb_dev *d;

	tb.opens++;
	if (dn->num_members != 1)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	d = tb_find(dn->member[0].name);
	if (d == NULL)
		return PF_RING_ERROR_UNKNOWN_ADAPTER;
	if (pf_devname_first_queue(&dn->member[0]) >= tb.fail_from_queue) {
		errno = EBUSY;
		return PF_RING_ERROR_GENERIC;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return PF_RING_ERROR_GENERIC;
	t->dev = d;
	t->queue = pf_devname_first_queue(&dn->member[0]);
	ring->priv_data = t;
	ring->mtu_len = 1500;
	return 0;
}

static void tb_close(pfring *ring)
{
	tb.closes++;
	free(ring->priv_data);
}

static int tb_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		   struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct tb_ring *t = ring->priv_data;
	struct tb_pkt *pk;
	u_int caplen;

	(void)wait;
	tb.recvs++;
	tb.rx_lock_held = mutex_held(&ring->rx_lock);
	if (t->next >= t->dev->num)
		return t->dev->error_when_empty;
	pk = &t->dev->pkts[t->next++];
	caplen = pk->len < ring->caplen ? pk->len : ring->caplen;
	if (buffer_len > 0) {
		if (caplen > buffer_len)
			caplen = buffer_len;
		memcpy(*buffer, pk->data, caplen);
	} else {
		*buffer = pk->data;
	}
	memset(&hdr->extended_hdr, 0, sizeof(hdr->extended_hdr));
	hdr->caplen = caplen;
	hdr->len = pk->len;
	hdr->ts.tv_sec = pk->ts.tv_sec;
	hdr->ts.tv_usec = pk->ts.tv_nsec / 1000;
	t->recv++;
	return 1;
}

static int tb_is_pkt_available(pfring *ring)
{
	struct tb_ring *t = ring->priv_data;

	return t->next < t->dev->num;
}

static int tb_next_pkt_time(pfring *ring, struct timespec *ts)
{
	struct tb_ring *t = ring->priv_data;

	if (t->next >= t->dev->num)
		return PF_RING_ERROR_NO_PKT_AVAILABLE;
	*ts = t->dev->pkts[t->next].ts;
	return 0;
}

static int tb_poll(pfring *ring, u_int wait)
{
	(void)wait;
	tb.polls++;
	return tb_is_pkt_available(ring);
}

static int tb_stats(pfring *ring, pfring_stat *st)
{
	struct tb_ring *t = ring->priv_data;

	st->recv = t->recv;
	st->drop = 0;
	return 0;
}

static int tb_enable(pfring *ring)
{
	(void)ring;
	tb.enables++;
	return 0;
}

static int tb_disable(pfring *ring)
{
	(void)ring;
	tb.disables++;
	return 0;
}

/* 999 is refused: the front must then keep the old value. */
static int tb_set_poll_watermark(pfring *ring, u_int16_t wm)
{
	(void)ring;
	if (wm == 999)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	tb.last_wm = wm;
	return 0;
}

static int tb_set_application_name(pfring *ring, const char *name)
{
	(void)ring;
	snprintf(tb.last_appl, sizeof(tb.last_appl), "%s", name);
	return 0;
}

static int tb_send(pfring *ring, const u_char *pkt, u_int len, u_int8_t flush)
{
	(void)flush;
	tb.sends++;
	tb.tx_lock_held = mutex_held(&ring->tx_lock);
	tb.last_sent_len = len < sizeof(tb.last_sent) ? len : sizeof(tb.last_sent);
	memcpy(tb.last_sent, pkt, tb.last_sent_len);
	return (int)len;
}

static u_int8_t tb_get_num_rx_channels(pfring *ring)
{
	(void)ring;
	return tb.channels;
}

static int tb_set_if_promisc(const char *dev, int set)
{
	snprintf(tb.last_promisc_dev, sizeof(tb.last_promisc_dev), "%s", dev);
	tb.last_promisc_set = set;
	return 0;
}

static const struct pfring_backend test_backend = {
	.name = "test", .prefix = "test:",
	.open = tb_open, .close = tb_close,
	.recv = tb_recv, .is_pkt_available = tb_is_pkt_available,
	.next_pkt_time = tb_next_pkt_time, .poll = tb_poll, .stats = tb_stats,
	.enable_ring = tb_enable, .disable_ring = tb_disable,
	.set_poll_watermark = tb_set_poll_watermark,
	.set_application_name = tb_set_application_name,
	.send = tb_send, .get_num_rx_channels = tb_get_num_rx_channels,
	.set_if_promisc = tb_set_if_promisc,
};

static int bare_open(pfring *ring, const struct pf_devname *dn)
{
	(void)ring;
	(void)dn;
	return 0;
}

static const struct pfring_backend bare_backend = {
	.name = "bare", .prefix = "bare:", .open = bare_open,
};

static const struct pfring_backend later_backend = {
	.name = "later", .prefix = "later:",
	.not_built = "the later backend is not built yet in this version of pfring",
};

/* Packet lists: "nic0" 3 TCP packets; "A" "B" "C" for bundles; "err" fails. */
static struct tb_pkt pk_nic0[3], pk_a[2], pk_b[2], pk_c[3], pk_one[1];

static void tb_reset(void)
{
	unsigned int i;

	memset(&tb, 0, sizeof(tb));
	tb.fail_from_queue = 1 << 30;
	tb.channels = 4;
	for (i = 0; i < 3; i++) {
		pk_nic0[i].len = (u_int)build_tcp(pk_nic0[i].data, 0);
		pk_nic0[i].data[57] = (u_char)('0' + i); /* last payload byte = id */
		pk_nic0[i].ts.tv_sec = 100 + i;
	}
	pk_one[0].len = (u_int)build_tcp(pk_one[0].data, 0);
	tb.devs[tb.num_devs++] = (struct tb_dev){ "nic0", pk_nic0, 3, 0 };
	tb.devs[tb.num_devs++] = (struct tb_dev){ "A", pk_a, 2, 0 };
	tb.devs[tb.num_devs++] = (struct tb_dev){ "B", pk_b, 2, 0 };
	tb.devs[tb.num_devs++] = (struct tb_dev){ "C", pk_c, 3, 0 };
	tb.devs[tb.num_devs++] = (struct tb_dev){ "err", pk_one, 1, PF_RING_ERROR_GENERIC };
	tb.devs[tb.num_devs++] = (struct tb_dev){ "empty", NULL, 0, 0 };
}

static int setup(void **state)
{
	(void)state;
	tb_reset();
	return 0;
}

/* ================================================================ stderr capture */

static void never_cb(const struct pfring_pkthdr *h, const u_char *p, const u_char *user)
{
	(void)h;
	(void)p;
	(void)user;
	fail_msg("callback called");
}

/* ================================================================ open / close */

static pfring *open_enabled(const char *name, u_int32_t flags)
{
	pfring *r = pfring_open(name, 128, flags);

	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	return r;
}

static void test_open_defaults(void **state)
{
	const char *name = "test:nic0";
	pfring *r;

	(void)state;
	r = pfring_open(name, 128, PF_RING_PROMISC | PF_RING_LONG_HEADER);
	assert_non_null(r);
	assert_int_equal(tb.opens, 1);
	assert_ptr_equal(r->backend, &test_backend);
	assert_non_null(r->priv_data);
	assert_int_equal(r->initialized, 1);
	assert_int_equal(r->enabled, 0);
	assert_int_equal(r->caplen, 128);
	assert_int_equal(r->flags, PF_RING_PROMISC | PF_RING_LONG_HEADER);
	assert_int_equal(r->promisc, 1);
	assert_int_equal(r->long_header, 1);
	assert_int_equal(r->reentrant, 0);
	assert_int_equal(r->symmetric_rss, 0);
	assert_int_equal(r->force_timestamp, 0);
	assert_int_equal(r->enable_hw_timestamp, 0);
	assert_int_equal(r->direction, rx_and_tx_direction);
	assert_int_equal(r->mode, send_and_recv_mode);
	assert_int_equal(r->poll_watermark, DEFAULT_POLL_WATERMARK);
	assert_int_equal(r->poll_duration, DEFAULT_POLL_DURATION);
	assert_int_equal(r->sampling_rate, 1);
	assert_int_equal(r->fd, -1);
	assert_int_equal(r->socket_default_accept_policy, 1);
	assert_int_equal(r->slot_header_len, sizeof(struct pfring_pkthdr));
	assert_int_equal(pfring_get_slot_header_len(r), sizeof(struct pfring_pkthdr));
	assert_string_equal(r->device_name, name);
	assert_ptr_not_equal(r->device_name, name);
	assert_null(r->appl_name);
	assert_int_equal(r->is_shutting_down, 0);
	assert_int_equal(r->break_recv_loop, 0);
	pfring_close(r);
	assert_int_equal(tb.closes, 1);
	pfring_close(NULL); /* harmless */
}

static void test_open_flags_and_caplen(void **state)
{
	u_int32_t all = PF_RING_DNA_SYMMETRIC_RSS | PF_RING_REENTRANT | PF_RING_LONG_HEADER |
			PF_RING_PROMISC | PF_RING_TIMESTAMP | PF_RING_HW_TIMESTAMP;
	pfring *r;

	(void)state;
	r = pfring_open("test:nic0", 0, all);
	assert_non_null(r);
	assert_int_equal(r->caplen, MAX_CAPLEN);
	assert_int_equal(r->symmetric_rss, 1);
	assert_int_equal(r->reentrant, 1);
	assert_int_equal(r->long_header, 1);
	assert_int_equal(r->promisc, 1);
	assert_int_equal(r->force_timestamp, 1);
	assert_int_equal(r->enable_hw_timestamp, 1);
	pfring_close(r);

	r = pfring_open("test:nic0", MAX_CAPLEN + 1, 0);
	assert_non_null(r);
	assert_int_equal(r->caplen, MAX_CAPLEN);
	assert_int_equal(r->promisc, 0);
	assert_int_equal(r->reentrant, 0);
	pfring_close(r);

	r = pfring_open("test:nic0", MAX_CAPLEN, 0);
	assert_non_null(r);
	assert_int_equal(r->caplen, MAX_CAPLEN);
	pfring_close(r);
	assert_int_equal(tb.opens, 3);
	assert_int_equal(tb.closes, 3);
}

/* pfring_open(name) must fail with errno err and print exactly msg. */
static void expect_open_fails(const char *name, u_int32_t flags, int err, const char *msg)
{
	char out[1024];
	pfring *r;

	capture_begin();
	errno = 0;
	r = pfring_open(name, 128, flags);
	capture_end(out, sizeof(out));
	assert_null(r);
	assert_int_equal(errno, err);
	if (msg)
		assert_string_equal(out, msg);
}

static void test_open_errors(void **state)
{
	(void)state;
	expect_open_fails(NULL, 0, EINVAL, "pfring_open(NULL): no device name\n");
	expect_open_fails("test:nic0", 0x40, EINVAL,
			  "pfring_open(\"test:nic0\"): unknown flags 0x40 (known: 0x3f)\n");
	expect_open_fails("test:nic0@300", 0, EINVAL,
			  "pfring_open(\"test:nic0@300\"): bad device name: queue out of range (0..255)\n");
	expect_open_fails("test:", 0, EINVAL,
			  "pfring_open(\"test:\"): bad device name: empty device name\n");
	expect_open_fails("foo:x", 0, ENODEV,
			  "pfring_open(\"foo:x\"): unknown module prefix \"foo:\" (known: sim:, multi:, "
			  "userspace:, hub:, dna:, dnacluster:, test:, bare:, later:)\n");
	expect_open_fails("later:x", 0, EOPNOTSUPP,
			  "pfring_open(\"later:x\"): the later backend is not built yet in this "
			  "version of pfring\n");
	/* the backend's own failures: its code mapped to errno, or its errno kept */
	expect_open_fails("test:nosuch", 0, ENODEV, "");
	tb.fail_from_queue = 2;
	expect_open_fails("test:nic0@2", 0, EBUSY, "");
	assert_int_equal(tb.opens, 2);
	assert_int_equal(tb.closes, 0);
}

/* Every placeholder of the static table refuses with its own message. */
static void test_open_not_built(void **state)
{
	const struct pfring_backend *b;
	char name[64], msg[256];
	unsigned int i, placeholders = 0;

	(void)state;
	for (i = 0; (b = pfring_backend_static(i)) != NULL; i++) {
		if (b->open != NULL)
			continue;
		assert_non_null(b->not_built);
		snprintf(name, sizeof(name), "%seth0", b->prefix);
		snprintf(msg, sizeof(msg), "pfring_open(\"%s\"): %s\n", name, b->not_built);
		expect_open_fails(name, 0, EOPNOTSUPP, msg);
		placeholders++;
	}
	assert_true(i >= 6);    /* "", sim:, multi:, userspace:, dna:, dnacluster: */
	assert_true(placeholders <= i);
	/* the kernel-module default, as the guide's plain "eth0" */
	b = pfring_backend_find("");
	assert_non_null(b);
	if (b->open == NULL)
		expect_open_fails("eth0", 0, EOPNOTSUPP,
				  "pfring_open(\"eth0\"): the kernel-module backend is not built "
				  "yet in this version of pfring\n");
}

/* ================================================================ device names */

struct dn_good {
	const char *name;
	const char *prefix;
	unsigned int num;
	const char *members[3];
	const char *queues[3];   /* "any" or the queue list "0,1,2" */
};

static void queues_str(const struct pf_devname_member *m, char *s, size_t len)
{
	unsigned int q;
	size_t o = 0;

	if (m->any_queue) {
		snprintf(s, len, "any");
		return;
	}
	s[0] = '\0';
	for (q = 0; q < PF_RING_MAX_QUEUES; q++)
		if (pf_devname_has_queue(m, q))
			o += (size_t)snprintf(s + o, len - o, "%s%u", o ? "," : "", q);
}

static void test_devname_good(void **state)
{
	static const struct dn_good cases[] = {
		{ "eth0", "", 1, { "eth0" }, { "any" } },
		{ "any", "", 1, { "any" }, { "any" } },
		{ "eth0@0", "", 1, { "eth0" }, { "0" } },
		{ "eth0@255", "", 1, { "eth0" }, { "255" } },
		{ "eth0@007", "", 1, { "eth0" }, { "7" } },
		{ "eth0@0-3", "", 1, { "eth0" }, { "0,1,2,3" } },
		{ "eth0@1,5", "", 1, { "eth0" }, { "1,5" } },
		{ "eth0@1-3,5-6", "", 1, { "eth0" }, { "1,2,3,5,6" } },
		{ "eth0@2,2,1-2", "", 1, { "eth0" }, { "1,2" } },
		{ "eth0@3-3", "", 1, { "eth0" }, { "3" } },
		{ "eth0,eth1", "", 2, { "eth0", "eth1" }, { "any", "any" } },
		{ "eth0;eth1", "", 2, { "eth0", "eth1" }, { "any", "any" } },
		{ "eth0@1,eth1", "", 2, { "eth0", "eth1" }, { "1", "any" } },
		{ "eth0@1;2eth", "", 2, { "eth0", "2eth" }, { "1", "any" } },
		{ "multi:eth0;eth1@2", "multi:", 2, { "eth0", "eth1" }, { "any", "2" } },
		{ "multi:a@0;b@1;c@2", "multi:", 3, { "a", "b", "c" }, { "0", "1", "2" } },
		{ "sim:nic0@3", "sim:", 1, { "nic0" }, { "3" } },
		{ "dna:dna0@1", "dna:", 1, { "dna0" }, { "1" } },
		{ "dna:0000:00:02.0", "dna:", 1, { "0000:00:02.0" }, { "any" } },
		{ "dna:0000:0a:1F.7@3", "dna:", 1, { "0000:0a:1F.7" }, { "3" } },
		{ "dna:0000:00:02.0;0000:00:03.0", "dna:", 2, { "0000:00:02.0", "0000:00:03.0" },
		  { "any", "any" } },
		{ "dnacluster:10@0", "dnacluster:", 1, { "10" }, { "0" } },
		{ "userspace:ring-1.x_y+z", "userspace:", 1, { "ring-1.x_y+z" }, { "any" } },
		{ "Foo_9:x", "Foo_9:", 1, { "x" }, { "any" } },
		{ "abcdefghijklmn:x", "abcdefghijklmn:", 1, { "x" }, { "any" } },
	};
	struct pf_devname dn;
	char q[1024];
	unsigned int i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dn_good *c = &cases[i];

		if (pf_devname_parse(c->name, &dn) != PF_DEVNAME_OK)
			fail_msg("\"%s\" should parse", c->name);
		assert_string_equal(dn.prefix, c->prefix);
		assert_int_equal(dn.num_members, c->num);
		for (j = 0; j < c->num; j++) {
			assert_string_equal(dn.member[j].name, c->members[j]);
			queues_str(&dn.member[j], q, sizeof(q));
			if (strcmp(q, c->queues[j]) != 0)
				fail_msg("\"%s\" member %u: queues %s, expected %s", c->name, j, q,
					 c->queues[j]);
		}
	}
	/* the whole range, and a 63-byte name (the longest) */
	assert_int_equal(pf_devname_parse("x@0-255", &dn), PF_DEVNAME_OK);
	assert_int_equal(dn.member[0].num_queues, 256);
	memset(q, 'n', 63);
	q[63] = '\0';
	assert_int_equal(pf_devname_parse(q, &dn), PF_DEVNAME_OK);
	assert_int_equal(strlen(dn.member[0].name), 63);
}

static void test_devname_bad(void **state)
{
	static const struct {
		const char *name;
		int err;
	} cases[] = {
		{ "", PF_DEVNAME_E_EMPTY },
		{ "sim:", PF_DEVNAME_E_EMPTY },
		{ ":eth0", PF_DEVNAME_E_PREFIX },
		{ "a-b:eth0", PF_DEVNAME_E_PREFIX },
		{ "a b:eth0", PF_DEVNAME_E_PREFIX },
		{ "eth0@1;sim:x", PF_DEVNAME_E_PREFIX },
		{ "abcdefghijklmno:x", PF_DEVNAME_E_PREFIX },
		{ "a:b:c", PF_DEVNAME_E_NAME_CHAR },
		{ "dna:0000:00:02.8", PF_DEVNAME_E_NAME_CHAR },   /* function 0-7 */
		{ "dna:0000:00:2.0", PF_DEVNAME_E_NAME_CHAR },    /* two hex digits */
		{ "dna:000g:00:02.0", PF_DEVNAME_E_NAME_CHAR },
		{ "dna:00:02.0", PF_DEVNAME_E_NAME_CHAR },        /* the domain is needed */
		{ "eth 0", PF_DEVNAME_E_NAME_CHAR },
		{ "eth0\t", PF_DEVNAME_E_NAME_CHAR },
		{ "eth/0", PF_DEVNAME_E_NAME_CHAR },
		{ "eth\x7f", PF_DEVNAME_E_NAME_CHAR },
		{ "@1", PF_DEVNAME_E_EMPTY_MEMBER },
		{ ";eth0", PF_DEVNAME_E_EMPTY_MEMBER },
		{ ",eth0", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "eth0;", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "eth0,", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "eth0;;eth1", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "eth0@1,", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "eth0@1;", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "multi:;", PF_DEVNAME_E_EMPTY_MEMBER },
		{ "eth0@", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@x", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@-1", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@+1", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@ 1", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@1-", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@1-x", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@1-2-3", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@1@2", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@1x", PF_DEVNAME_E_QUEUE_SYNTAX },
		{ "eth0@1:", PF_DEVNAME_E_PREFIX },
		{ "eth0@256", PF_DEVNAME_E_QUEUE_RANGE },
		{ "eth0@99999999999999999999", PF_DEVNAME_E_QUEUE_RANGE },
		{ "eth0@0-256", PF_DEVNAME_E_QUEUE_RANGE },
		{ "eth0@3-1", PF_DEVNAME_E_QUEUE_ORDER },
		{ "eth0@3-2", PF_DEVNAME_E_QUEUE_ORDER },
		{ "eth0@0,5-4", PF_DEVNAME_E_QUEUE_ORDER },
	};
	struct pf_devname dn;
	char name[256];
	unsigned int i;
	size_t o = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = pf_devname_parse(cases[i].name, &dn);

		if (rc != cases[i].err)
			fail_msg("\"%s\": %d, expected %d", cases[i].name, rc, cases[i].err);
		assert_true(strlen(pf_devname_strerror(rc)) > 5);
	}
	assert_int_equal(pf_devname_parse(NULL, &dn), PF_DEVNAME_E_NULL);
	assert_int_equal(pf_devname_parse("eth0", NULL), PF_DEVNAME_E_NULL);
	/* 64-byte member name */
	memset(name, 'n', 64);
	name[64] = '\0';
	assert_int_equal(pf_devname_parse(name, &dn), PF_DEVNAME_E_NAME_LONG);
	/* 33 members */
	for (i = 0; i < 33; i++)
		o += (size_t)snprintf(name + o, sizeof(name) - o, "%se%u", i ? ";" : "", i);
	assert_int_equal(pf_devname_parse(name, &dn), PF_DEVNAME_E_TOO_MANY);
	name[strlen(name) - 4] = '\0'; /* drop ";e32": 32 members */
	assert_int_equal(pf_devname_parse(name, &dn), PF_DEVNAME_OK);
	assert_int_equal(dn.num_members, 32);
	assert_string_equal(dn.member[31].name, "e31");
}

static void test_devname_helpers(void **state)
{
	struct pf_devname dn;

	(void)state;
	assert_int_equal(pf_devname_prefix_len("sim:x"), 4);
	assert_int_equal(pf_devname_prefix_len("dnacluster:1@0"), 11);
	assert_int_equal(pf_devname_prefix_len("eth0"), 0);
	assert_int_equal(pf_devname_prefix_len(NULL), 0);
	assert_int_equal(pf_devname_parse("x@4,9", &dn), PF_DEVNAME_OK);
	assert_int_equal(pf_devname_first_queue(&dn.member[0]), 4);
	assert_int_equal(dn.member[0].num_queues, 2);
	assert_true(pf_devname_has_queue(&dn.member[0], 9));
	assert_false(pf_devname_has_queue(&dn.member[0], 5));
	assert_false(pf_devname_has_queue(&dn.member[0], 256));
	assert_int_equal(pf_devname_parse("x", &dn), PF_DEVNAME_OK);
	assert_int_equal(pf_devname_first_queue(&dn.member[0]), -1);
	assert_true(pf_devname_has_queue(&dn.member[0], 255));
	assert_int_equal(pf_devname_first_queue(NULL), -1);
	assert_string_equal(pf_devname_strerror(PF_DEVNAME_E_QUEUE_RANGE), "queue out of range (0..255)");
	assert_string_equal(pf_devname_strerror(12345), "unknown device-name error");
}

/* The '?' options and each member's text, pointers into the name parsed. */
static void test_devname_options(void **state)
{
	static const char name[] = "sim:x@1?pcap=f.pcap&queues=2";
	struct pf_devname dn;

	(void)state;
	assert_int_equal(pf_devname_parse(name, &dn), PF_DEVNAME_OK);
	assert_string_equal(dn.prefix, "sim:");
	assert_int_equal(dn.num_members, 1);
	assert_string_equal(dn.member[0].name, "x");
	assert_int_equal(pf_devname_first_queue(&dn.member[0]), 1);
	assert_ptr_equal(dn.options, name + 8);
	assert_ptr_equal(dn.member[0].text, name + 4);
	assert_int_equal(dn.member[0].text_len, 3);

	assert_int_equal(pf_devname_parse("eth0", &dn), PF_DEVNAME_OK);
	assert_null(dn.options);
	assert_int_equal(pf_devname_parse("sim:x?", &dn), PF_DEVNAME_OK);
	assert_string_equal(dn.options, "");
	/* the first '?' ends the name: no prefix, no separator, no queue after it */
	assert_int_equal(pf_devname_parse("x?a:b;c@d", &dn), PF_DEVNAME_OK);
	assert_string_equal(dn.prefix, "");
	assert_int_equal(dn.num_members, 1);
	assert_string_equal(dn.member[0].name, "x");
	assert_string_equal(dn.options, "a:b;c@d");
	assert_int_equal(pf_devname_prefix_len("x?a:b"), 0);
	assert_int_equal(pf_devname_prefix_len("sim:x?a:b"), 4);
	assert_int_equal(pf_devname_parse("eth0@1,5;eth1?o", &dn), PF_DEVNAME_OK);
	assert_int_equal(dn.num_members, 2);
	assert_int_equal(dn.member[0].text_len, 8);
	assert_memory_equal(dn.member[0].text, "eth0@1,5", 8);
	assert_int_equal(dn.member[1].text_len, 4);
	assert_memory_equal(dn.member[1].text, "eth1", 4);
	assert_string_equal(dn.options, "o");
	assert_int_equal(pf_devname_parse("sim:?x", &dn), PF_DEVNAME_E_EMPTY);
	assert_int_equal(pf_devname_parse("eth0;?x", &dn), PF_DEVNAME_E_EMPTY_MEMBER);
	assert_int_equal(pf_devname_parse("eth0@?x", &dn), PF_DEVNAME_E_QUEUE_SYNTAX);
	assert_int_equal(pf_devname_parse("eth0@1?x", &dn), PF_DEVNAME_OK);
	assert_int_equal(pf_devname_first_queue(&dn.member[0]), 1);
}

/* A list of whole names (multi:): split on ';' only, each member as written. */
static void test_devname_names(void **state)
{
	static const char name[] = "multi:sim:a?pcap=x,y;eth0@1,2;usr1";
	struct pf_devname dn;
	char list[512];
	size_t o = 0;
	unsigned int i;

	(void)state;
	assert_int_equal(pf_devname_parse_names(name, &dn), PF_DEVNAME_OK);
	assert_string_equal(dn.prefix, "multi:");
	assert_null(dn.options);
	assert_int_equal(dn.num_members, 3);
	assert_ptr_equal(dn.member[0].text, name + 6);
	assert_int_equal(dn.member[0].text_len, 14);         /* "sim:a?pcap=x,y" */
	assert_memory_equal(dn.member[1].text, "eth0@1,2", 8);
	assert_int_equal(dn.member[1].text_len, 8);
	assert_int_equal(dn.member[2].text_len, 4);
	assert_string_equal(dn.member[2].name, "");

	assert_int_equal(pf_devname_parse_names("multi:", &dn), PF_DEVNAME_E_EMPTY);
	assert_int_equal(pf_devname_parse_names("multi:;", &dn), PF_DEVNAME_E_EMPTY_NAME);
	assert_int_equal(pf_devname_parse_names("multi:a;;b", &dn), PF_DEVNAME_E_EMPTY_NAME);
	assert_int_equal(pf_devname_parse_names("multi:a;", &dn), PF_DEVNAME_E_EMPTY_NAME);
	assert_int_equal(pf_devname_parse_names("multi:;a", &dn), PF_DEVNAME_E_EMPTY_NAME);
	assert_int_equal(pf_devname_parse_names("a b:x", &dn), PF_DEVNAME_E_PREFIX);
	assert_int_equal(pf_devname_parse_names(NULL, &dn), PF_DEVNAME_E_NULL);
	assert_true(pf_devname_is_list_error(PF_DEVNAME_E_EMPTY_NAME));
	assert_true(pf_devname_is_list_error(PF_DEVNAME_E_TOO_MANY_NAMES));
	assert_false(pf_devname_is_list_error(PF_DEVNAME_E_EMPTY_MEMBER));
	assert_string_equal(pf_devname_strerror(PF_DEVNAME_E_EMPTY_NAME), "empty member in the list");
	assert_string_equal(pf_devname_strerror(PF_DEVNAME_E_TOO_MANY_NAMES), "more than 32 members");
	/* 33 names are too many, 32 fit */
	o += (size_t)snprintf(list, sizeof(list), "m:");
	for (i = 0; i < 33; i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%ss:e%u", i ? ";" : "", i);
	assert_int_equal(pf_devname_parse_names(list, &dn), PF_DEVNAME_E_TOO_MANY_NAMES);
	list[strlen(list) - 6] = '\0'; /* drop ";s:e32" */
	assert_int_equal(pf_devname_parse_names(list, &dn), PF_DEVNAME_OK);
	assert_int_equal(dn.num_members, 32);
	assert_memory_equal(dn.member[31].text, "s:e31", 5);
	assert_int_equal(dn.member[31].text_len, 5);
}

/* ================================================================ registry */

static void test_registry(void **state)
{
	static const struct pfring_backend sim_override = {
		.name = "sim-test", .prefix = "sim:", .open = bare_open,
	};
	static const struct pfring_backend bad_prefix = { .name = "x", .prefix = "x", .open = bare_open };
	static const struct pfring_backend long_prefix = {
		.name = "x", .prefix = "abcdefghijklmnop:", .open = bare_open,
	};
	static const struct pfring_backend no_open = { .name = "x", .prefix = "noopen:" };
	static const struct pfring_backend dup = { .name = "dup", .prefix = "test:", .open = bare_open };
	static struct pfring_backend fill[PFRING_MAX_REGISTERED_BACKENDS];
	static char fill_prefix[PFRING_MAX_REGISTERED_BACKENDS][16];
	char known[256];
	unsigned int i, added = 0;

	(void)state;
	assert_int_equal(pfring_backend_register(NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_backend_register(&bad_prefix), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_backend_register(&long_prefix), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_backend_register(&no_open), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_backend_register(&dup), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_backend_unregister(&dup), PF_RING_ERROR_INVALID_ARGUMENT);

	assert_ptr_equal(pfring_backend_find("test:"), &test_backend);
	assert_null(pfring_backend_find("nope:"));
	assert_null(pfring_backend_find(NULL));
	assert_non_null(pfring_backend_find(""));
	assert_null(pfring_backend_static(1000));
	pfring_backend_known_prefixes(known, sizeof(known));
	assert_string_equal(known, "sim:, multi:, userspace:, hub:, dna:, dnacluster:, test:, bare:, later:");
	pfring_backend_known_prefixes(known, 12);
	assert_string_equal(known, "sim:, multi");

	/* a registered backend replaces the static placeholder, and gives it back */
	assert_non_null(pfring_backend_find("sim:"));
	assert_int_equal(pfring_backend_register(&sim_override), 0);
	assert_ptr_equal(pfring_backend_find("sim:"), &sim_override);
	pfring_backend_known_prefixes(known, sizeof(known));
	assert_string_equal(known, "sim:, multi:, userspace:, hub:, dna:, dnacluster:, test:, bare:, later:");
	assert_int_equal(pfring_backend_unregister(&sim_override), 0);
	assert_ptr_not_equal(pfring_backend_find("sim:"), &sim_override);

	/* the table fills up */
	for (i = 0; i < PFRING_MAX_REGISTERED_BACKENDS; i++) {
		snprintf(fill_prefix[i], sizeof(fill_prefix[i]), "fill%u:", i);
		fill[i] = bare_backend;
		fill[i].prefix = fill_prefix[i];
		if (pfring_backend_register(&fill[i]) == 0)
			added++;
	}
	assert_int_equal(added, PFRING_MAX_REGISTERED_BACKENDS - 3); /* test, bare, later */
	for (i = 0; i < PFRING_MAX_REGISTERED_BACKENDS; i++)
		pfring_backend_unregister(&fill[i]);
	assert_null(pfring_backend_find("fill0:"));
}

static void test_error_from_core(void **state)
{
	static const struct {
		int core, api, err;
	} map[] = {
		{ -PF_EINVAL, PF_RING_ERROR_INVALID_ARGUMENT, EINVAL },
		{ -PF_E2BIG, PF_RING_ERROR_INVALID_ARGUMENT, E2BIG },
		{ -PF_EEXIST, PF_RING_ERROR_INVALID_ARGUMENT, EEXIST },
		{ -PF_ENOENT, PF_RING_ERROR_INVALID_ARGUMENT, ENOENT },
		{ -PF_ENOTSUP, PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP },
		{ -PF_EPROTO, PF_RING_ERROR_INVALID_LIB_VERSION, EPROTO },
		{ -PF_ENOMEM, PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM },
		{ -PF_ENOSPC, PF_RING_ERROR_GENERIC, ENOSPC },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		errno = 0;
		assert_int_equal(pfring_error_from_core(map[i].core), map[i].api);
		assert_int_equal(errno, map[i].err);
	}
	errno = 0;
	assert_int_equal(pfring_error_from_core(0), 0);
	assert_int_equal(pfring_error_from_core(7), 7);
	assert_int_equal(errno, 0);
}

/* ================================================================ receive */

static void test_disabled_until_enabled(void **state)
{
	u_char buf[128], *p = buf;
	struct pfring_pkthdr hdr;
	pfring *r;

	(void)state;
	r = pfring_open("test:nic0", 128, 0);
	assert_non_null(r);
	errno = 0;
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(pfring_send(r, (char *)buf, 60, 1), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(tb.recvs, 0);
	assert_int_equal(tb.sends, 0);
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(r->enabled, 1);
	assert_int_equal(pfring_enable_ring(r), 0); /* already: the backend is not asked again */
	assert_int_equal(tb.enables, 1);
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), 1);
	assert_int_equal(pfring_disable_ring(r), 0);
	assert_int_equal(pfring_disable_ring(r), 0);
	assert_int_equal(tb.disables, 1);
	assert_int_equal(r->enabled, 0);
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(tb.recvs, 1);
	pfring_close(r);
}

static void test_recv_copy_and_zero_copy(void **state)
{
	u_char buf[128], small[20], *p = buf;
	struct pfring_pkthdr hdr;
	pfring_stat st;
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), 1);
	assert_ptr_equal(p, buf);
	assert_int_equal(hdr.caplen, 58);
	assert_int_equal(hdr.len, 58);
	assert_int_equal(hdr.ts.tv_sec, 100);
	assert_memory_equal(buf, pk_nic0[0].data, 58);
	/* the caller's buffer bounds the copy */
	p = small;
	assert_int_equal(pfring_recv(r, &p, sizeof(small), &hdr, 0), 1);
	assert_int_equal(hdr.caplen, sizeof(small));
	assert_int_equal(hdr.len, 58);
	assert_memory_equal(small, pk_nic0[1].data, sizeof(small));
	/* zero copy: a pointer into the backend */
	p = NULL;
	assert_int_equal(pfring_recv(r, &p, 0, &hdr, 0), 1);
	assert_ptr_equal(p, pk_nic0[2].data);
	assert_int_equal(p[57], '2');
	/* empty: 0, not an error */
	assert_int_equal(pfring_recv(r, &p, 0, &hdr, 1), 0);
	assert_int_equal(pfring_stats(r, &st), 0);
	assert_int_equal(st.recv, 3);
	assert_int_equal(st.drop, 0);
	assert_int_equal(pfring_is_pkt_available(r), 0);
	pfring_close(r);
}

static void test_socket_mode(void **state)
{
	u_char buf[128], *p = buf;
	struct pfring_pkthdr hdr;
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	memcpy(buf, pk_nic0[0].data, 60);
	assert_int_equal(pfring_set_socket_mode(r, send_only_mode), 0);
	assert_int_equal(r->mode, send_only_mode);
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_loop(r, never_cb, NULL, 0),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_send(r, (char *)buf, 60, 1), 60);
	assert_int_equal(pfring_set_socket_mode(r, recv_only_mode), 0);
	assert_int_equal(pfring_send(r, (char *)buf, 60, 1), PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), 1);
	assert_int_equal(pfring_set_socket_mode(r, (socket_mode)3), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(r->mode, recv_only_mode);
	assert_int_equal(tb.sends, 1);
	pfring_close(r);
}

static void test_send(void **state)
{
	u_char pkt[2000];
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	memset(pkt, 0x5a, sizeof(pkt));
	assert_int_equal(pfring_send(r, (char *)pkt, 64, 1), 64);
	assert_int_equal(tb.last_sent_len, 64);
	assert_memory_equal(tb.last_sent, pkt, 64);
	/* mtu 1500 + Ethernet header + one VLAN tag */
	assert_int_equal(pfring_send(r, (char *)pkt, 1518, 0), 1518);
	assert_int_equal(pfring_send(r, (char *)pkt, 1519, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_send(r, (char *)pkt, 0, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_send(r, NULL, 64, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(tb.sends, 2);
	assert_int_equal(pfring_get_mtu_size(r), 1500);
	pfring_close(r);
}

static void test_reentrant_locks(void **state)
{
	u_char buf[128], *p = buf;
	struct pfring_pkthdr hdr;
	pfring *r = open_enabled("test:nic0", PF_RING_REENTRANT);

	(void)state;
	p = NULL;
	errno = 0;
	assert_int_equal(pfring_recv(r, &p, 0, &hdr, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tb.recvs, 0);
	p = buf;
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), 1);
	assert_int_equal(tb.rx_lock_held, 1);
	assert_int_equal(pfring_send(r, (char *)buf, 60, 1), 60);
	assert_int_equal(tb.tx_lock_held, 1);
	assert_int_equal(mutex_held(&r->rx_lock), 0);
	assert_int_equal(mutex_held(&r->tx_lock), 0);
	pfring_close(r);

	r = open_enabled("test:nic0", 0);
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), 1);
	assert_int_equal(tb.rx_lock_held, 0);
	assert_int_equal(pfring_send(r, (char *)buf, 60, 1), 60);
	assert_int_equal(tb.tx_lock_held, 0);
	pfring_close(r);
}

static void test_shutdown(void **state)
{
	u_char buf[128], *p = buf;
	struct pfring_pkthdr hdr;
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	pfring_shutdown(r);
	assert_int_equal(r->is_shutting_down, 1);
	assert_int_equal(r->break_recv_loop, 1);
	assert_int_equal(pfring_recv(r, &p, sizeof(buf), &hdr, 0), PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(pfring_send(r, (char *)buf, 60, 0), PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(pfring_disable_ring(r), 0);
	assert_int_equal(pfring_enable_ring(r), PF_RING_ERROR_INVALID_STATUS);
	assert_int_equal(tb.recvs, 0);
	pfring_close(r);
	errno = 0;
	pfring_shutdown(NULL);
	assert_int_equal(errno, EINVAL);
}

/* ================================================================ loop */

struct loop_ctx {
	pfring *ring;
	unsigned int seen, stop_at;
	char ids[8];
	const u_char *last_ptr;
};

static void loop_cb(const struct pfring_pkthdr *h, const u_char *p, const u_char *user)
{
	struct loop_ctx *c = (struct loop_ctx *)user;

	assert_int_equal(h->caplen, 58);
	c->ids[c->seen++] = (char)p[57];
	c->last_ptr = p;
	if (c->seen == c->stop_at)
		pfring_breakloop(c->ring);
}

static void test_loop_breakloop(void **state)
{
	struct loop_ctx c;
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	memset(&c, 0, sizeof(c));
	c.ring = r;
	c.stop_at = 3;
	r->break_recv_loop = 1; /* left over from an earlier break: the loop resets it */
	assert_int_equal(pfring_loop(r, loop_cb, (const u_char *)&c, 0), 0);
	assert_int_equal(c.seen, 3);
	assert_string_equal(c.ids, "012");
	assert_ptr_equal(c.last_ptr, pk_nic0[2].data); /* zero copy */
	assert_int_equal(tb.recvs, 3);
	pfring_close(r);

	/* reentrant: the loop copies into a private buffer */
	tb_reset();
	r = open_enabled("test:nic0", PF_RING_REENTRANT);
	memset(&c, 0, sizeof(c));
	c.ring = r;
	c.stop_at = 2;
	assert_int_equal(pfring_loop(r, loop_cb, (const u_char *)&c, 1), 0);
	assert_string_equal(c.ids, "01");
	assert_ptr_not_equal(c.last_ptr, pk_nic0[1].data);
	assert_int_equal(tb.rx_lock_held, 1);
	pfring_close(r);
}

static void test_loop_errors(void **state)
{
	struct loop_ctx c;
	pfring *r;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.stop_at = 100;
	r = open_enabled("test:err", 0);
	c.ring = r;
	/* one packet, then the backend fails: the loop returns that error */
	assert_int_equal(pfring_loop(r, loop_cb, (const u_char *)&c, 0), PF_RING_ERROR_GENERIC);
	assert_int_equal(c.seen, 1);
	assert_int_equal(pfring_loop(r, NULL, NULL, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_loop(NULL, loop_cb, NULL, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_disable_ring(r), 0);
	assert_int_equal(pfring_loop(r, loop_cb, (const u_char *)&c, 0), PF_RING_ERROR_NOT_ENABLED);
	pfring_close(r);
	errno = 0;
	pfring_breakloop(NULL);
	assert_int_equal(errno, EINVAL);
}

/* ================================================================ parsing */

static void test_parse_pkt_tcp(void **state)
{
	u_char a[80], b[80];
	struct pfring_pkthdr ha, hb;
	struct pkt_parsing_info *pa = &ha.extended_hdr.parsed_pkt;
	u_int32_t hash_ab;

	(void)state;
	memset(&ha, 0, sizeof(ha));
	memset(&hb, 0, sizeof(hb));
	ha.caplen = ha.len = (u_int32_t)build_tcp(a, 0);
	hb.caplen = hb.len = (u_int32_t)build_tcp(b, 1);
	assert_int_equal(ha.caplen, 58);

	assert_int_equal(pfring_parse_pkt(a, &ha, PF_RING_PARSE_L5, 0, 1), 5);
	assert_memory_equal(pa->smac, MAC_A, 6);
	assert_memory_equal(pa->dmac, MAC_B, 6);
	assert_int_equal(pa->eth_type, 0x0800);
	assert_int_equal(pa->ip_version, 4);
	assert_int_equal(pa->l3_proto, IPPROTO_TCP);
	assert_int_equal(pa->ipv4_tos, 0x10);
	assert_int_equal(pa->ipv4_src, 0x0a000001);
	assert_int_equal(pa->ipv4_dst, 0xc0a80102);
	assert_int_equal(pa->l4_src_port, 1234);
	assert_int_equal(pa->l4_dst_port, 80);
	assert_int_equal(pa->tcp.seq_num, 0x01020304);
	assert_int_equal(pa->tcp.ack_num, 0x0a0b0c0d);
	assert_int_equal(pa->tcp.flags, TH_PUSH_MULTIPLIER | TH_ACK_MULTIPLIER);
	assert_int_equal(pa->tunnel.tunnel_id, NO_TUNNEL_ID);
	assert_int_equal(pa->offset.eth_offset, 0);
	assert_int_equal(pa->offset.vlan_offset, 0);
	assert_int_equal(pa->offset.l3_offset, 14);
	assert_int_equal(pa->offset.l4_offset, 34);
	assert_int_equal(pa->offset.payload_offset, 54);
	assert_int_equal(ha.ts.tv_sec, 0); /* no add_timestamp */

	/* the hash: 5-tuple, symmetric, the one core computes */
	hash_ab = ha.extended_hdr.pkt_hash;
	assert_int_not_equal(hash_ab, 0);
	assert_int_equal(hash_ab, pf_flow_hash(pa, cluster_per_flow_5_tuple, 0));
	assert_int_equal(pfring_parse_pkt(b, &hb, PF_RING_PARSE_L4, 0, 1), 4);
	assert_int_equal(hb.extended_hdr.parsed_pkt.l4_src_port, 80);
	assert_int_equal(hb.extended_hdr.parsed_pkt.ipv4_src, 0xc0a80102);
	assert_int_equal(hb.extended_hdr.parsed_pkt.offset.payload_offset, 0);
	assert_int_equal(hb.extended_hdr.pkt_hash, hash_ab);
	/* another flow (source port 1235) hashes elsewhere */
	a[35] = 0xd3;
	assert_int_equal(pfring_parse_pkt(a, &ha, PF_RING_PARSE_L4, 0, 1), 4);
	assert_int_equal(pa->l4_src_port, 1235);
	assert_int_not_equal(ha.extended_hdr.pkt_hash, hash_ab);
	/* without add_hash the field is left alone */
	ha.extended_hdr.pkt_hash = 77;
	assert_int_equal(pfring_parse_pkt(a, &ha, PF_RING_PARSE_L4, 0, 0), 4);
	assert_int_equal(ha.extended_hdr.pkt_hash, 77);
}

static void test_parse_pkt_levels_and_args(void **state)
{
	u_char a[80];
	struct pfring_pkthdr h;
	struct pkt_parsing_info *p = &h.extended_hdr.parsed_pkt;
	time_t before = time(NULL);

	(void)state;
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = (u_int32_t)build_tcp(a, 0);
	assert_int_equal(pfring_parse_pkt(a, &h, PF_RING_PARSE_L3, 0, 0), 3);
	assert_int_equal(p->l3_proto, IPPROTO_TCP);
	assert_int_equal(p->l4_src_port, 0);
	assert_int_equal(p->offset.l4_offset, 0);
	assert_int_equal(pfring_parse_pkt(a, &h, PF_RING_PARSE_L2, 0, 0), 2);
	assert_int_equal(p->eth_type, 0x0800);
	assert_int_equal(p->ipv4_src, 0);
	/* cut inside the Ethernet header: level 0, not an error */
	h.caplen = 10;
	assert_int_equal(pfring_parse_pkt(a, &h, PF_RING_PARSE_L4, 0, 0), 0);
	/* add_timestamp fills a zero ts from the clock, and only a zero one */
	h.caplen = 58;
	assert_int_equal(pfring_parse_pkt(a, &h, PF_RING_PARSE_L4, 1, 0), 4);
	assert_true(h.ts.tv_sec >= before && h.ts.tv_sec <= time(NULL));
	assert_int_equal(h.extended_hdr.timestamp_ns,
			 (u_int64_t)h.ts.tv_sec * 1000000000ull + (u_int64_t)h.ts.tv_usec * 1000ull);
	h.ts.tv_sec = 42;
	h.ts.tv_usec = 7;
	assert_int_equal(pfring_parse_pkt(a, &h, PF_RING_PARSE_L4, 1, 0), 4);
	assert_int_equal(h.ts.tv_sec, 42);
	assert_int_equal(h.ts.tv_usec, 7);
	/* bad arguments */
	errno = 0;
	assert_int_equal(pfring_parse_pkt(NULL, &h, 4, 0, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_parse_pkt(a, NULL, 4, 0, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_parse_pkt(a, &h, 1, 0, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_parse_pkt(a, &h, 0, 0, 0), PF_RING_ERROR_INVALID_ARGUMENT);
}

static void test_recv_parsed(void **state)
{
	u_char buf[128], *p = buf, copy[80];
	struct pfring_pkthdr h, ref;
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(pfring_recv_parsed(r, &p, sizeof(buf), &h, 0, PF_RING_PARSE_L4, 0, 1), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 80);
	assert_int_equal(h.extended_hdr.parsed_pkt.ipv4_dst, 0xc0a80102);
	assert_int_equal(h.extended_hdr.parsed_pkt.offset.l4_offset, 34);
	memset(&ref, 0, sizeof(ref));
	ref.caplen = (u_int32_t)build_tcp(copy, 1);
	pfring_parse_pkt(copy, &ref, PF_RING_PARSE_L4, 0, 1);
	assert_int_equal(h.extended_hdr.pkt_hash, ref.extended_hdr.pkt_hash);
	/* a 20-byte buffer: parsed only as far as it holds (Ethernet, cut IPv4) */
	p = buf;
	assert_int_equal(pfring_recv_parsed(r, &p, 20, &h, 0, PF_RING_PARSE_L4, 0, 0), 1);
	assert_int_equal(h.caplen, 20);
	assert_int_equal(h.extended_hdr.parsed_pkt.eth_type, 0x0800);
	assert_int_equal(h.extended_hdr.parsed_pkt.offset.l3_offset, 0);
	/* zero copy */
	p = NULL;
	assert_int_equal(pfring_recv_parsed(r, &p, 0, &h, 0, PF_RING_PARSE_L5, 0, 0), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.offset.payload_offset, 54);
	/* nothing left: 0, hdr untouched by the parser */
	assert_int_equal(pfring_recv_parsed(r, &p, 0, &h, 0, PF_RING_PARSE_L5, 0, 0), 0);
	assert_int_equal(pfring_recv_parsed(r, &p, 0, &h, 0, 1, 0, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	pfring_close(r);
}

/* ================================================================ printing */

static void print_expect(const u_char *pkt, u_int len, const char *fmt)
{
	struct pfring_pkthdr h;
	char out[512], expected[512];
	int n;

	memset(&h, 0, sizeof(h));
	h.caplen = h.len = len;
	assert_true(pfring_parse_pkt((u_char *)pkt, &h, PF_RING_PARSE_L5, 0, 1) >= 2);
	snprintf(expected, sizeof(expected), fmt, h.extended_hdr.pkt_hash);
	n = pfring_print_parsed_pkt(out, sizeof(out), pkt, &h);
	assert_string_equal(out, expected);
	assert_int_equal(n, strlen(expected));
	/* pfring_print_pkt parses the same way */
	n = pfring_print_pkt(out, sizeof(out), pkt, len, len);
	assert_string_equal(out, expected);
	assert_int_equal(n, strlen(expected));
}

static void test_print_parsed_pkt(void **state)
{
	u_char p[128];

	(void)state;
	print_expect(p, (u_int)build_tcp(p, 0),
		     "[00:11:22:33:44:55 -> 66:77:88:99:AA:BB] [IPv4][10.0.0.1:1234 -> 192.168.1.2:80] "
		     "[l3_proto=TCP][hash=%u][tos=16][tcp_seq_num=16909060] [caplen=58][len=58]"
		     "[parsed_header_len=0][eth_offset=0][l3_offset=14][l4_offset=34][payload_offset=54]\n");
	print_expect(p, (u_int)build_udp6(p),
		     "[00:11:22:33:44:55 -> 66:77:88:99:AA:BB] [IPv6][2001:db8::1:5353 -> 2001:db8::2:53] "
		     "[l3_proto=UDP][hash=%u][tos=0][tcp_seq_num=0] [caplen=66][len=66]"
		     "[parsed_header_len=0][eth_offset=0][l3_offset=14][l4_offset=54][payload_offset=62]\n");
	print_expect(p, (u_int)build_vlan_udp(p),
		     "[00:11:22:33:44:55 -> 66:77:88:99:AA:BB] [vlan 100] [IPv4][10.1.1.1:1000 -> "
		     "10.2.2.2:2000] [l3_proto=UDP][hash=%u][tos=0][tcp_seq_num=0] [caplen=46][len=46]"
		     "[parsed_header_len=0][eth_offset=0][l3_offset=18][l4_offset=38][payload_offset=46]\n");
	print_expect(p, (u_int)build_gtp(p),
		     "[00:11:22:33:44:55 -> 66:77:88:99:AA:BB] [IPv4][10.0.0.1:2152 -> 10.0.0.2:2152] "
		     "[l3_proto=UDP][TEID=0x11223344][tunneled_proto=UDP][IPv4][172.16.0.1:4000 -> "
		     "172.16.0.2:5000] [hash=%u][tos=0][tcp_seq_num=0] [caplen=78][len=78]"
		     "[parsed_header_len=0][eth_offset=0][l3_offset=14][l4_offset=34][payload_offset=42]\n");
	print_expect(p, (u_int)build_arp(p),
		     "[00:11:22:33:44:55 -> FF:FF:FF:FF:FF:FF] [ARP][Sender=00:11:22:33:44:55/10.0.0.1]"
		     "[Target=00:00:00:00:00:00/10.0.0.2] [caplen=42][len=42][parsed_header_len=0]"
		     "[eth_offset=0][l3_offset=0][l4_offset=0][payload_offset=0]\n");
	/* LLDP: only its type */
	put_eth(p, MAC_B, MAC_A, 0x88cc);
	memset(p + 14, 0, 46);
	print_expect(p, 60,
		     "[00:11:22:33:44:55 -> 66:77:88:99:AA:BB] [eth_type=0x88CC] [caplen=60][len=60]"
		     "[parsed_header_len=0][eth_offset=0][l3_offset=0][l4_offset=0][payload_offset=0]\n");
}

static void test_print_bounds(void **state)
{
	u_char p[128];
	struct pfring_pkthdr h;
	char full[512], out[512];
	int n, len;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = (u_int32_t)build_tcp(p, 0);
	pfring_parse_pkt(p, &h, PF_RING_PARSE_L5, 0, 1);
	len = pfring_print_parsed_pkt(full, sizeof(full), p, &h);
	assert_true(len > 100);
	memset(out, 'X', sizeof(out));
	n = pfring_print_parsed_pkt(out, 10, p, &h);
	assert_int_equal(n, 9);
	assert_memory_equal(out, full, 9);
	assert_int_equal(out[9], '\0');
	assert_int_equal(out[10], 'X');
	/* cut exactly at every length */
	for (n = 1; n <= len + 1; n++) {
		memset(out, 'X', sizeof(out));
		assert_int_equal(pfring_print_parsed_pkt(out, (u_int)n, p, &h), n - 1 < len ? n - 1 : len);
		assert_int_equal(out[n - 1 < len ? n - 1 : len], '\0');
		assert_int_equal(out[n], 'X');
	}
	assert_int_equal(pfring_print_parsed_pkt(out, 0, p, &h), 0);
	assert_int_equal(pfring_print_parsed_pkt(NULL, 10, p, &h), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_print_parsed_pkt(out, 10, p, NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_print_pkt(out, 10, NULL, 60, 60), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_print_pkt(NULL, 10, p, 60, 60), PF_RING_ERROR_INVALID_ARGUMENT);
	/* ARP cut before its addresses: only "[ARP]" */
	h.caplen = h.len = (u_int32_t)build_arp(p);
	h.caplen = 41;
	pfring_parse_pkt(p, &h, PF_RING_PARSE_L5, 0, 0);
	pfring_print_parsed_pkt(out, sizeof(out), p, &h);
	assert_string_equal(out, "[00:11:22:33:44:55 -> FF:FF:FF:FF:FF:FF] [ARP] [caplen=41][len=42]"
			    "[parsed_header_len=0][eth_offset=0][l3_offset=0][l4_offset=0][payload_offset=0]\n");
}

static void test_format_numbers(void **state)
{
	static const struct {
		double val;
		int dec;
		const char *out;
	} cases[] = {
		{ 0, 0, "0" },
		{ 0, 1, "0.00" },
		{ 7, 0, "7" },
		{ 999, 0, "999" },
		{ 1000, 0, "1,000" },
		{ 1000, 1, "1,000.00" },
		{ 12345, 0, "12,345" },
		{ 123456, 0, "123,456" },
		{ 1234567.891, 1, "1,234,567.89" },
		{ 1234567.891, 0, "1,234,567" },
		{ 1234567.999, 0, "1,234,567" },
		{ 999.999, 1, "1,000.00" },
		{ 0.5, 1, "0.50" },
		{ 0.999, 1, "1.00" },
		{ 1e9, 0, "1,000,000,000" },
		{ 12345678901234.0, 0, "12,345,678,901,234" },
		{ 18446744073709551615.0, 0, "18,446,744,073,709,551,616" },
		{ 1e21, 0, "1,000,000,000,000,000,000,000" },
		{ -1234.5, 1, "-1,234.50" },
		{ -999, 0, "-999" },
		{ -0.001, 1, "0.00" },
		{ -0.4, 0, "0" },
	};
	char buf[64];
	unsigned int i;
	double zero = 0.0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_ptr_equal(pfring_format_numbers(cases[i].val, buf, sizeof(buf),
						       (u_int8_t)cases[i].dec), buf);
		if (strcmp(buf, cases[i].out) != 0)
			fail_msg("%.3f/%d: \"%s\", expected \"%s\"", cases[i].val, cases[i].dec, buf,
				 cases[i].out);
	}
	assert_string_equal(pfring_format_numbers(zero / zero, buf, sizeof(buf), 1), "nan");
	assert_string_equal(pfring_format_numbers(1.0 / zero, buf, sizeof(buf), 1), "inf");
	assert_string_equal(pfring_format_numbers(-1.0 / zero, buf, sizeof(buf), 0), "-inf");
	/* cut to the buffer, always terminated */
	memset(buf, 'X', sizeof(buf));
	assert_string_equal(pfring_format_numbers(1234567, buf, 5, 0), "1,23");
	assert_int_equal(buf[5], 'X');
	assert_string_equal(pfring_format_numbers(1234567, buf, 1, 0), "");
	assert_null(pfring_format_numbers(1, NULL, 10, 0));
	buf[0] = 'Q';
	assert_ptr_equal(pfring_format_numbers(1, buf, 0, 0), buf);
	assert_int_equal(buf[0], 'Q');
}

/* ================================================================ settings */

static void test_settings(void **state)
{
	char name[] = "pfcount";
	u_int32_t version = 0;
	pfring *r = pfring_open("test:nic0", 128, 0);

	(void)state;
	assert_non_null(r);
	assert_int_equal(pfring_version(r, &version), 0);
	assert_int_equal(version, RING_VERSION_NUM);
	assert_int_equal(version, 0x050406);

	assert_int_equal(pfring_set_poll_watermark(r, 64), 0);
	assert_int_equal(r->poll_watermark, 64);
	assert_int_equal(tb.last_wm, 64);
	assert_int_equal(pfring_set_poll_watermark(r, 999), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(r->poll_watermark, 64);
	/* no backend op: nothing would read it */
	assert_int_equal(pfring_set_tx_watermark(r, 32), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(r->tx_watermark, 0);
	assert_int_equal(pfring_set_poll_duration(r, 1000), 0);
	assert_int_equal(r->poll_duration, 1000);
	assert_int_equal(pfring_set_poll_duration(r, 65536), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(r->poll_duration, 1000);

	assert_int_equal(pfring_set_application_name(r, name), 0);
	assert_string_equal(r->appl_name, "pfcount");
	assert_ptr_not_equal(r->appl_name, name);
	assert_string_equal(tb.last_appl, "pfcount");
	assert_int_equal(pfring_set_application_name(r, (char *)"second"), 0);
	assert_string_equal(r->appl_name, "second");
	assert_int_equal(pfring_set_application_name(r, NULL), PF_RING_ERROR_INVALID_ARGUMENT);

	assert_int_equal(pfring_get_num_rx_channels(r), 4);
	assert_int_equal(pfring_get_selectable_fd(r), -1);
	r->fd = 5; /* what a backend with a socket would set */
	assert_int_equal(pfring_get_selectable_fd(r), 5);
	r->fd = -1;
	assert_int_equal(pfring_get_mtu_size(r), 1500);
	/* sampling: the test backend cannot sample, the rate stays 1 */
	assert_int_equal(pfring_set_sampling_rate(r, 10), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(r->sampling_rate, 1);
	assert_int_equal(pfring_set_sampling_rate(r, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	pfring_close(r);
}

/* ================================================================ NOT_SUPPORTED */

#define EXPECT_RC(call, rc, err) \
	do { \
		errno = 0; \
		assert_int_equal((call), (rc)); \
		assert_int_equal(errno, (err)); \
		checked++; \
	} while (0)
#define EXPECT_UNSUPPORTED(call) EXPECT_RC(call, PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP)
#define EXPECT_VOID_ERRNO(call, err) \
	do { \
		errno = 0; \
		call; \
		assert_int_equal(errno, (err)); \
		checked++; \
	} while (0)
#define EXPECT_NULL_ERRNO(call, err) \
	do { \
		errno = 0; \
		assert_null(call); \
		assert_int_equal(errno, (err)); \
		checked++; \
	} while (0)

/* Every ring function that needs a backend operation, called with valid
 * arguments on a ring whose backend has none of them. */
static unsigned int check_unsupported(pfring *r)
{
	u_char buf[128], *p = buf, mac[6];
	char pkt[64], stats[64], dev[] = "eth1", filter[] = "tcp";
	struct pfring_pkthdr h;
	struct timespec ts = { 1, 0 };
	u_int64_t ns;
	u_int stats_len = sizeof(stats);
	int id;
	filtering_rule rule;
	hash_filtering_rule hrule;
	hw_filtering_rule hw;
	pfring_stat st;
	pfring other;
	unsigned int checked = 0;
	int dummy_buff;
	pfring_pkt_buff *pb = &dummy_buff;

	memset(&h, 0, sizeof(h));
	memset(pkt, 0, sizeof(pkt));
	memset(&rule, 0, sizeof(rule));
	memset(&hrule, 0, sizeof(hrule));
	memset(&hw, 0, sizeof(hw));
	memset(&other, 0, sizeof(other));
	h.caplen = 60;
	r->long_header = 1;

	EXPECT_UNSUPPORTED(pfring_recv(r, &p, sizeof(buf), &h, 0));
	EXPECT_UNSUPPORTED(pfring_recv_parsed(r, &p, sizeof(buf), &h, 0, 4, 0, 0));
	EXPECT_UNSUPPORTED(pfring_loop(r, loop_cb, NULL, 0));
	EXPECT_UNSUPPORTED(pfring_next_pkt_time(r, &ts));
	EXPECT_UNSUPPORTED(pfring_next_pkt_raw_timestamp(r, &ns));
	EXPECT_UNSUPPORTED(pfring_is_pkt_available(r));
	EXPECT_RC(pfring_get_num_queued_pkts(r), 0, EOPNOTSUPP);
	EXPECT_UNSUPPORTED(pfring_poll(r, 0));
	EXPECT_UNSUPPORTED(pfring_set_cluster(r, 1, cluster_per_flow));
	EXPECT_UNSUPPORTED(pfring_remove_from_cluster(r));
	EXPECT_UNSUPPORTED(pfring_set_master_id(r, 1));
	EXPECT_UNSUPPORTED(pfring_set_master(r, &other));
	EXPECT_UNSUPPORTED(pfring_set_reflector_device(r, dev));
	EXPECT_UNSUPPORTED(pfring_set_sampling_rate(r, 2));
	EXPECT_UNSUPPORTED(pfring_add_filtering_rule(r, &rule));
	EXPECT_UNSUPPORTED(pfring_remove_filtering_rule(r, 1));
	EXPECT_UNSUPPORTED(pfring_get_filtering_rule_stats(r, 1, stats, &stats_len));
	EXPECT_UNSUPPORTED(pfring_purge_idle_rules(r, 10));
	EXPECT_UNSUPPORTED(pfring_handle_hash_filtering_rule(r, &hrule, 1));
	EXPECT_UNSUPPORTED(pfring_get_hash_filtering_rule_stats(r, &hrule, stats, &stats_len));
	EXPECT_UNSUPPORTED(pfring_purge_idle_hash_rules(r, 10));
	EXPECT_UNSUPPORTED(pfring_set_bpf_filter(r, filter));
	EXPECT_UNSUPPORTED(pfring_remove_bpf_filter(r));
	EXPECT_UNSUPPORTED(pfring_add_hw_rule(r, &hw));
	EXPECT_UNSUPPORTED(pfring_remove_hw_rule(r, &hw));
	EXPECT_UNSUPPORTED(pfring_set_filtering_mode(r, software_only));
	EXPECT_UNSUPPORTED(pfring_toggle_filtering_policy(r, 0));
	EXPECT_UNSUPPORTED(pfring_send(r, pkt, 60, 1));
	EXPECT_UNSUPPORTED(pfring_send_ifindex(r, pkt, 60, 1, 2));
	EXPECT_UNSUPPORTED(pfring_send_get_time(r, pkt, 60, &ts));
	EXPECT_UNSUPPORTED(pfring_send_last_rx_packet(r, 2));
	EXPECT_UNSUPPORTED(pfring_send_parsed(r, pkt, &h, 1));
	EXPECT_UNSUPPORTED(pfring_stats(r, &st));
	EXPECT_UNSUPPORTED(pfring_set_direction(r, rx_only_direction));
	EXPECT_UNSUPPORTED(pfring_set_tx_watermark(r, 8));
	EXPECT_UNSUPPORTED(pfring_set_channel_id(r, 1));
	EXPECT_UNSUPPORTED(pfring_get_bound_device_address(r, mac));
	EXPECT_UNSUPPORTED(pfring_get_bound_device_id(r, &id));
	EXPECT_UNSUPPORTED(pfring_get_bound_device_ifindex(r, &id));
	EXPECT_RC(pfring_get_ring_id(r), (u_int16_t)PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP);
	EXPECT_UNSUPPORTED(pfring_enable_rss_rehash(r));
	EXPECT_UNSUPPORTED(pfring_get_device_clock(r, &ts));
	EXPECT_UNSUPPORTED(pfring_set_device_clock(r, &ts));
	EXPECT_UNSUPPORTED(pfring_adjust_device_clock(r, &ts, -1));
	EXPECT_UNSUPPORTED(pfring_enable_hw_timestamp(r, dev, 1, 1));
	EXPECT_NULL_ERRNO(pfring_alloc_pkt_buff(r), EOPNOTSUPP);
	EXPECT_VOID_ERRNO(pfring_release_pkt_buff(r, pb), EOPNOTSUPP);
	EXPECT_UNSUPPORTED(pfring_recv_pkt_buff(r, pb, &h, 0));
	EXPECT_UNSUPPORTED(pfring_send_pkt_buff(r, pb, 1));
	EXPECT_NULL_ERRNO(pfring_get_pkt_buff_data(r, pb), EOPNOTSUPP);
	EXPECT_VOID_ERRNO(pfring_set_pkt_buff_len(r, pb, 60), EOPNOTSUPP);
	EXPECT_VOID_ERRNO(pfring_set_pkt_buff_ifindex(r, pb, 1), EOPNOTSUPP);
	EXPECT_VOID_ERRNO(pfring_add_pkt_buff_ifindex(r, pb, 1), EOPNOTSUPP);
	return checked;
}

static void test_not_supported(void **state)
{
	pfring *r;

	(void)state;
	r = pfring_open("bare:x", 128, 0);
	assert_non_null(r);
	/* backend-independent on a backend with nothing */
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(r->enabled, 1);
	assert_int_equal(check_unsupported(r), 53);
	/* ...and the ones the front answers itself */
	assert_int_equal(pfring_get_num_rx_channels(r), 1);
	assert_int_equal(pfring_get_selectable_fd(r), -1);
	assert_int_equal(pfring_get_mtu_size(r), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_poll_watermark(r, 10), 0);
	assert_int_equal(pfring_set_socket_mode(r, recv_only_mode), 0);
	assert_int_equal(pfring_set_application_name(r, (char *)"x"), 0);
	assert_int_equal(pfring_disable_ring(r), 0);
	/* shutdown and close without backend ops */
	pfring_shutdown(r);
	pfring_close(r);
	/* and no rx/tx state check hides NOT_SUPPORTED on a disabled ring */
	r = pfring_open("bare:x", 128, 0);
	assert_non_null(r);
	assert_int_equal(check_unsupported(r), 53);
	pfring_close(r);
	/* prefix-routed set_if_promisc */
	assert_int_equal(pfring_set_if_promisc("bare:x", 1), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_if_promisc("later:x", 1), PF_RING_ERROR_NOT_SUPPORTED);
}

/* What the test backend lacks is NOT_SUPPORTED there too (a sample). */
static void test_not_supported_partial_backend(void **state)
{
	pfring *r = open_enabled("test:nic0", 0);
	unsigned int checked = 0;
	u_int64_t ns;

	(void)state;
	EXPECT_UNSUPPORTED(pfring_set_cluster(r, 1, cluster_round_robin));
	EXPECT_UNSUPPORTED(pfring_next_pkt_raw_timestamp(r, &ns));
	EXPECT_UNSUPPORTED(pfring_set_direction(r, tx_only_direction));
	EXPECT_UNSUPPORTED(pfring_remove_bpf_filter(r));
	assert_int_equal(checked, 4);
	assert_int_equal(r->direction, rx_and_tx_direction);
	pfring_close(r);
}

/* ================================================================ invalid arguments */

#define EXPECT_INVALID(call) EXPECT_RC(call, PF_RING_ERROR_INVALID_ARGUMENT, EINVAL)

static void test_null_ring(void **state)
{
	u_char buf[128], *p = buf, mac[6];
	char pkt[64] = { 0 }, stats[64], dev[] = "eth1", filter[] = "tcp";
	struct pfring_pkthdr h;
	struct timespec ts = { 1, 0 };
	u_int64_t ns;
	u_int stats_len = sizeof(stats);
	int id, dummy;
	filtering_rule rule;
	hash_filtering_rule hrule;
	hw_filtering_rule hw;
	pfring_stat st;
	pfring other;
	u_int32_t version;
	unsigned int checked = 0;
	pfring_pkt_buff *pb = &dummy;

	(void)state;
	memset(&h, 0, sizeof(h));
	memset(&rule, 0, sizeof(rule));
	memset(&hrule, 0, sizeof(hrule));
	memset(&hw, 0, sizeof(hw));
	memset(&other, 0, sizeof(other));
	h.caplen = 60;
	EXPECT_INVALID(pfring_recv(NULL, &p, sizeof(buf), &h, 0));
	EXPECT_INVALID(pfring_recv_parsed(NULL, &p, sizeof(buf), &h, 0, 4, 0, 0));
	EXPECT_INVALID(pfring_loop(NULL, loop_cb, NULL, 0));
	EXPECT_INVALID(pfring_next_pkt_time(NULL, &ts));
	EXPECT_INVALID(pfring_next_pkt_raw_timestamp(NULL, &ns));
	EXPECT_INVALID(pfring_is_pkt_available(NULL));
	EXPECT_RC(pfring_get_num_queued_pkts(NULL), 0, EINVAL);
	EXPECT_INVALID(pfring_poll(NULL, 0));
	EXPECT_INVALID(pfring_set_cluster(NULL, 1, cluster_per_flow));
	EXPECT_INVALID(pfring_remove_from_cluster(NULL));
	EXPECT_INVALID(pfring_set_master_id(NULL, 1));
	EXPECT_INVALID(pfring_set_master(NULL, &other));
	EXPECT_INVALID(pfring_set_reflector_device(NULL, dev));
	EXPECT_INVALID(pfring_set_sampling_rate(NULL, 2));
	EXPECT_INVALID(pfring_add_filtering_rule(NULL, &rule));
	EXPECT_INVALID(pfring_remove_filtering_rule(NULL, 1));
	EXPECT_INVALID(pfring_get_filtering_rule_stats(NULL, 1, stats, &stats_len));
	EXPECT_INVALID(pfring_purge_idle_rules(NULL, 10));
	EXPECT_INVALID(pfring_handle_hash_filtering_rule(NULL, &hrule, 1));
	EXPECT_INVALID(pfring_get_hash_filtering_rule_stats(NULL, &hrule, stats, &stats_len));
	EXPECT_INVALID(pfring_purge_idle_hash_rules(NULL, 10));
	EXPECT_INVALID(pfring_set_bpf_filter(NULL, filter));
	EXPECT_INVALID(pfring_remove_bpf_filter(NULL));
	EXPECT_INVALID(pfring_add_hw_rule(NULL, &hw));
	EXPECT_INVALID(pfring_remove_hw_rule(NULL, &hw));
	EXPECT_INVALID(pfring_set_filtering_mode(NULL, software_only));
	EXPECT_INVALID(pfring_toggle_filtering_policy(NULL, 0));
	EXPECT_INVALID(pfring_send(NULL, pkt, 60, 1));
	EXPECT_INVALID(pfring_send_ifindex(NULL, pkt, 60, 1, 2));
	EXPECT_INVALID(pfring_send_get_time(NULL, pkt, 60, &ts));
	EXPECT_INVALID(pfring_send_last_rx_packet(NULL, 2));
	EXPECT_INVALID(pfring_send_parsed(NULL, pkt, &h, 1));
	EXPECT_INVALID(pfring_enable_ring(NULL));
	EXPECT_INVALID(pfring_disable_ring(NULL));
	EXPECT_INVALID(pfring_stats(NULL, &st));
	EXPECT_INVALID(pfring_version(NULL, &version));
	EXPECT_INVALID(pfring_set_direction(NULL, rx_only_direction));
	EXPECT_INVALID(pfring_set_socket_mode(NULL, recv_only_mode));
	EXPECT_INVALID(pfring_set_poll_watermark(NULL, 1));
	EXPECT_INVALID(pfring_set_tx_watermark(NULL, 1));
	EXPECT_INVALID(pfring_set_poll_duration(NULL, 1));
	EXPECT_INVALID(pfring_set_application_name(NULL, dev));
	EXPECT_INVALID(pfring_set_channel_id(NULL, 1));
	EXPECT_INVALID(pfring_get_bound_device_address(NULL, mac));
	EXPECT_INVALID(pfring_get_bound_device_id(NULL, &id));
	EXPECT_INVALID(pfring_get_bound_device_ifindex(NULL, &id));
	EXPECT_RC(pfring_get_ring_id(NULL), (u_int16_t)PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	EXPECT_RC(pfring_get_num_rx_channels(NULL), 0, EINVAL);
	EXPECT_INVALID(pfring_get_selectable_fd(NULL));
	EXPECT_INVALID(pfring_enable_rss_rehash(NULL));
	EXPECT_INVALID(pfring_get_device_clock(NULL, &ts));
	EXPECT_INVALID(pfring_set_device_clock(NULL, &ts));
	EXPECT_INVALID(pfring_adjust_device_clock(NULL, &ts, 1));
	EXPECT_INVALID(pfring_enable_hw_timestamp(NULL, dev, 1, 1));
	EXPECT_INVALID(pfring_get_mtu_size(NULL));
	EXPECT_RC(pfring_get_slot_header_len(NULL), 0, EINVAL);
	EXPECT_NULL_ERRNO(pfring_alloc_pkt_buff(NULL), EINVAL);
	EXPECT_VOID_ERRNO(pfring_release_pkt_buff(NULL, pb), EINVAL);
	EXPECT_INVALID(pfring_recv_pkt_buff(NULL, pb, &h, 0));
	EXPECT_INVALID(pfring_send_pkt_buff(NULL, pb, 1));
	EXPECT_NULL_ERRNO(pfring_get_pkt_buff_data(NULL, pb), EINVAL);
	EXPECT_VOID_ERRNO(pfring_set_pkt_buff_len(NULL, pb, 60), EINVAL);
	EXPECT_VOID_ERRNO(pfring_set_pkt_buff_ifindex(NULL, pb, 1), EINVAL);
	EXPECT_VOID_ERRNO(pfring_add_pkt_buff_ifindex(NULL, pb, 1), EINVAL);
	EXPECT_VOID_ERRNO(pfring_shutdown(NULL), EINVAL);
	EXPECT_VOID_ERRNO(pfring_breakloop(NULL), EINVAL);
	assert_int_equal(checked, 66);
}

/* NULL out-pointers and out-of-range values on a ring that has everything
 * enabled: refused before the backend is asked. */
static void test_bad_arguments(void **state)
{
	u_char buf[128], *p = buf;
	char pkt[64] = { 0 }, stats[64], empty[] = "";
	struct pfring_pkthdr h;
	struct timespec bad_ns = { 0, 1000000000L }, neg = { -1, 0 };
	u_int stats_len = sizeof(stats);
	hash_filtering_rule hrule;
	hw_filtering_rule hw;
	unsigned int checked = 0;
	int dummy;
	pfring *r = open_enabled("test:nic0", 0);

	(void)state;
	memset(&h, 0, sizeof(h));
	memset(&hrule, 0, sizeof(hrule));
	memset(&hw, 0, sizeof(hw));
	EXPECT_INVALID(pfring_recv(r, NULL, sizeof(buf), &h, 0));
	EXPECT_INVALID(pfring_recv(r, &p, sizeof(buf), NULL, 0));
	p = NULL;
	EXPECT_INVALID(pfring_recv(r, &p, sizeof(buf), &h, 0)); /* buffer_len > 0, *buffer NULL */
	EXPECT_INVALID(pfring_next_pkt_time(r, NULL));
	EXPECT_INVALID(pfring_next_pkt_raw_timestamp(r, NULL));
	EXPECT_INVALID(pfring_set_cluster(r, 1, (cluster_type)6));
	EXPECT_INVALID(pfring_set_master(r, NULL));
	EXPECT_INVALID(pfring_set_master(r, r));
	EXPECT_INVALID(pfring_set_reflector_device(r, NULL));
	EXPECT_INVALID(pfring_set_reflector_device(r, empty));
	EXPECT_INVALID(pfring_set_sampling_rate(r, 0));
	EXPECT_INVALID(pfring_add_filtering_rule(r, NULL));
	EXPECT_INVALID(pfring_get_filtering_rule_stats(r, 1, NULL, &stats_len));
	EXPECT_INVALID(pfring_get_filtering_rule_stats(r, 1, stats, NULL));
	EXPECT_INVALID(pfring_handle_hash_filtering_rule(r, NULL, 1));
	EXPECT_INVALID(pfring_get_hash_filtering_rule_stats(r, NULL, stats, &stats_len));
	EXPECT_INVALID(pfring_get_hash_filtering_rule_stats(r, &hrule, NULL, &stats_len));
	EXPECT_INVALID(pfring_get_hash_filtering_rule_stats(r, &hrule, stats, NULL));
	EXPECT_INVALID(pfring_set_bpf_filter(r, NULL));
	EXPECT_INVALID(pfring_add_hw_rule(r, NULL));
	hw.rule_family_type = (hw_filtering_rule_type)3;
	EXPECT_INVALID(pfring_add_hw_rule(r, &hw));
	EXPECT_INVALID(pfring_remove_hw_rule(r, NULL));
	EXPECT_INVALID(pfring_set_filtering_mode(r, (filtering_mode)3));
	EXPECT_INVALID(pfring_send(r, NULL, 60, 1));
	EXPECT_INVALID(pfring_send(r, pkt, 0, 1));
	EXPECT_INVALID(pfring_send_ifindex(r, NULL, 60, 1, 2));
	EXPECT_INVALID(pfring_send_get_time(r, pkt, 60, NULL));
	EXPECT_INVALID(pfring_send_parsed(r, pkt, NULL, 1));
	EXPECT_INVALID(pfring_send_parsed(r, NULL, &h, 1));
	EXPECT_INVALID(pfring_stats(r, NULL));
	EXPECT_INVALID(pfring_version(r, NULL));
	EXPECT_INVALID(pfring_set_direction(r, (packet_direction)3));
	EXPECT_INVALID(pfring_set_socket_mode(r, (socket_mode)3));
	EXPECT_INVALID(pfring_set_poll_duration(r, 0x10000));
	EXPECT_INVALID(pfring_set_application_name(r, NULL));
	EXPECT_INVALID(pfring_get_bound_device_address(r, NULL));
	EXPECT_INVALID(pfring_get_bound_device_id(r, NULL));
	EXPECT_INVALID(pfring_get_bound_device_ifindex(r, NULL));
	EXPECT_INVALID(pfring_get_device_clock(r, NULL));
	EXPECT_INVALID(pfring_set_device_clock(r, NULL));
	EXPECT_INVALID(pfring_set_device_clock(r, &bad_ns));
	EXPECT_INVALID(pfring_set_device_clock(r, &neg));
	EXPECT_INVALID(pfring_adjust_device_clock(r, NULL, 1));
	EXPECT_INVALID(pfring_adjust_device_clock(r, &bad_ns, 1));
	EXPECT_INVALID(pfring_enable_hw_timestamp(r, NULL, 1, 1));
	EXPECT_INVALID(pfring_recv_pkt_buff(r, NULL, &h, 0));
	EXPECT_INVALID(pfring_recv_pkt_buff(r, &dummy, NULL, 0));
	EXPECT_INVALID(pfring_send_pkt_buff(r, NULL, 1));
	EXPECT_NULL_ERRNO(pfring_get_pkt_buff_data(r, NULL), EINVAL);
	EXPECT_VOID_ERRNO(pfring_release_pkt_buff(r, NULL), EINVAL);
	EXPECT_VOID_ERRNO(pfring_set_pkt_buff_len(r, NULL, 1), EINVAL);
	EXPECT_VOID_ERRNO(pfring_set_pkt_buff_ifindex(r, NULL, 1), EINVAL);
	EXPECT_VOID_ERRNO(pfring_add_pkt_buff_ifindex(r, NULL, 1), EINVAL);
	EXPECT_INVALID(pfring_set_if_promisc(NULL, 1));
	EXPECT_INVALID(pfring_set_if_promisc("eth0@", 1));
	assert_int_equal(checked, 55);
	assert_int_equal(tb.recvs, 0);
	assert_int_equal(tb.sends, 0);
	pfring_close(r);
}

/* ================================================================ promisc */

static void test_set_if_promisc(void **state)
{
	struct ifreq ifr;
	int sock, is_promisc;

	(void)state;
	/* the backend's op, with the prefix removed */
	assert_int_equal(pfring_set_if_promisc("test:nic0@1", 1), 0);
	assert_string_equal(tb.last_promisc_dev, "nic0@1");
	assert_int_equal(tb.last_promisc_set, 1);
	assert_int_equal(pfring_set_if_promisc("foo:x", 1), PF_RING_ERROR_UNKNOWN_ADAPTER);
	/* kernel interfaces: asking for the current state writes nothing */
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(sock >= 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	assert_int_equal(ioctl(sock, SIOCGIFFLAGS, &ifr), 0);
	close(sock);
	is_promisc = !!(ifr.ifr_flags & IFF_PROMISC);
	assert_int_equal(pfring_set_if_promisc("lo", is_promisc), 0);
	assert_int_equal(pfring_set_if_promisc("lo@0", is_promisc), 0);
	assert_int_equal(pfring_set_if_promisc("lo,lo", is_promisc), 0);
	assert_int_equal(pfring_set_if_promisc("nosuchif0", 1), PF_RING_ERROR_UNKNOWN_ADAPTER);
	assert_int_equal(pfring_set_if_promisc("lo;nosuchif0", is_promisc),
			 PF_RING_ERROR_UNKNOWN_ADAPTER);
	assert_int_equal(pfring_set_if_promisc("abcdefghijklmnopq", 1), PF_RING_ERROR_UNKNOWN_ADAPTER);
}

/* ================================================================ multichannel */

static void test_open_multichannel(void **state)
{
	pfring *rings[MAX_NUM_RX_CHANNELS];
	char name[32];
	unsigned int i;
	u_int8_t n;

	(void)state;
	memset(rings, 0, sizeof(rings));
	n = pfring_open_multichannel("test:nic0@3", 96, PF_RING_PROMISC, rings);
	assert_int_equal(n, 4);
	assert_int_equal(tb.opens, 5);  /* probe + 4 */
	assert_int_equal(tb.closes, 1); /* the probe */
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "test:nic0@%u", i);
		assert_string_equal(rings[i]->device_name, name);
		assert_int_equal(rings[i]->caplen, 96);
		assert_int_equal(rings[i]->promisc, 1);
		assert_int_equal(((struct tb_ring *)rings[i]->priv_data)->queue, (int)i);
		pfring_close(rings[i]);
	}
	assert_null(rings[4]);

	/* channel 2 fails: 2 rings open, as 5.4.6 */
	tb_reset();
	tb.fail_from_queue = 2;
	memset(rings, 0, sizeof(rings));
	errno = 0;
	n = pfring_open_multichannel("test:nic0", 96, 0, rings);
	assert_int_equal(n, 2);
	assert_int_equal(errno, EBUSY);
	assert_null(rings[2]);
	pfring_close(rings[0]);
	pfring_close(rings[1]);

	/* more queues than the caller's array holds: the first MAX_NUM_RX_CHANNELS
	 * and a message; the slot after the array is never written */
	tb_reset();
	tb.channels = 40;
	{
		pfring *big[MAX_NUM_RX_CHANNELS + 1];
		char msg[256];

		big[MAX_NUM_RX_CHANNELS] = (pfring *)&big;
		capture_begin();
		n = pfring_open_multichannel("test:nic0", 96, 0, big);
		capture_end(msg, sizeof(msg));
		assert_int_equal(n, MAX_NUM_RX_CHANNELS);
		assert_int_equal(MAX_NUM_RX_CHANNELS, 32);
		assert_string_equal(msg, "pfring_open_multichannel(\"test:nic0\"): 40 RX queues, "
				    "opening the first 32 (MAX_NUM_RX_CHANNELS)\n");
		assert_ptr_equal(big[MAX_NUM_RX_CHANNELS], (pfring *)&big);
		assert_int_equal(tb.opens, 1 + MAX_NUM_RX_CHANNELS);
		assert_string_equal(big[31]->device_name, "test:nic0@31");
		for (i = 0; i < n; i++)
			pfring_close(big[i]);
	}

	/* a single-channel backend: one ring, NAME@0 */
	n = pfring_open_multichannel("bare:x", 96, 0, rings);
	assert_int_equal(n, 1);
	assert_string_equal(rings[0]->device_name, "bare:x@0");
	pfring_close(rings[0]);

	errno = 0;
	assert_int_equal(pfring_open_multichannel("test:nic0", 96, 0, NULL), 0);
	assert_int_equal(errno, EINVAL);
	capture_begin();
	assert_int_equal(pfring_open_multichannel("test:a;b", 96, 0, rings), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_open_multichannel(NULL, 96, 0, rings), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_open_multichannel("foo:x", 96, 0, rings), 0);
	assert_int_equal(errno, ENODEV);
	capture_end(name, sizeof(name));
}

/* ================================================================ bundles */

static void set_pkts(struct tb_pkt *pk, unsigned int n, char tag, const long *ts_ms)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pk[i].len = (u_int)build_tcp(pk[i].data, 0);
		pk[i].data[56] = (u_char)tag;
		pk[i].data[57] = (u_char)('1' + i);
		pk[i].ts.tv_sec = ts_ms[i] / 1000;
		pk[i].ts.tv_nsec = (ts_ms[i] % 1000) * 1000000L;
	}
}

/* Reads until empty; the tag and index of each packet, e.g. "A1 B1 C1". */
static void bundle_drain(pfring_bundle *b, char *order, size_t len)
{
	struct pfring_pkthdr h;
	u_char *p;
	size_t o = 0;
	int rc;

	order[0] = '\0';
	while ((rc = pfring_bundle_read(b, &p, 0, &h, 0)) > 0)
		o += (size_t)snprintf(order + o, len - o, "%s%c%c", o ? " " : "", p[56], p[57]);
	assert_int_equal(rc, 0);
}

static void open_bundle(pfring_bundle *b, bundle_read_policy policy)
{
	static const char *names[] = { "test:A", "test:B", "test:C" };
	unsigned int i;

	pfring_bundle_init(b, policy);
	for (i = 0; i < 3; i++) {
		pfring *r = pfring_open(names[i], 128, 0);

		assert_non_null(r);
		assert_int_equal(r->enabled, 0);
		assert_int_equal(pfring_bundle_add(b, r), 0);
		assert_int_equal(r->enabled, 1); /* bundle_add enables */
	}
	assert_int_equal(b->num_sockets, 3);
}

static void test_bundle_round_robin(void **state)
{
	static const long ta[] = { 5000, 1000 }, tb_[] = { 2000 }, tc[] = { 3000, 4000, 6000 };
	pfring_bundle b;
	char order[128];

	(void)state;
	set_pkts(pk_a, 2, 'A', ta);
	set_pkts(pk_b, 1, 'B', tb_);
	tb.devs[2].num = 1;
	set_pkts(pk_c, 3, 'C', tc);
	open_bundle(&b, pick_round_robin);
	assert_int_equal(pfring_bundle_add(&b, b.sockets[1]), PF_RING_ERROR_INVALID_ARGUMENT);
	bundle_drain(&b, order, sizeof(order));
	assert_string_equal(order, "A1 B1 C1 A2 C2 C3");
	pfring_bundle_close(&b);
	assert_int_equal(b.num_sockets, 0);
	assert_int_equal(tb.closes, 3);
}

static void test_bundle_fifo(void **state)
{
	static const long ta[] = { 1000, 5000 }, tb_[] = { 2000, 3000 }, tc[] = { 3000, 4000, 7500 };
	pfring_bundle b;
	pfring *members[3];
	char order[128];
	unsigned int i;

	(void)state;
	set_pkts(pk_a, 2, 'A', ta);
	set_pkts(pk_b, 2, 'B', tb_);
	set_pkts(pk_c, 3, 'C', tc);
	open_bundle(&b, pick_fifo);
	bundle_drain(&b, order, sizeof(order));
	/* B2 and C1 tie at 3 s: the lower index first */
	assert_string_equal(order, "A1 B1 B2 C1 C2 A2 C3");
	/* destroy disables and forgets the members; closing them is ours */
	memcpy(members, b.sockets, sizeof(members));
	pfring_bundle_destroy(&b);
	assert_int_equal(tb.disables, 3);
	assert_int_equal(b.num_sockets, 0);
	assert_null(b.sockets[0]);
	assert_int_equal(tb.closes, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(members[i]->enabled, 0);
		pfring_close(members[i]);
	}
	assert_int_equal(tb.closes, 3);
}

static void test_bundle_poll_and_wait(void **state)
{
	static const long ts[] = { 1000 };
	struct pfring_pkthdr h;
	pfring_bundle b;
	u_char *p;
	pfring *bare, *empty;
	struct timespec t0, t1;
	long long ns;

	(void)state;
	set_pkts(pk_a, 1, 'A', ts);
	tb.devs[1].num = 1; /* A: one packet, B and C none */
	tb.devs[2].num = 0;
	tb.devs[3].num = 0;
	open_bundle(&b, pick_round_robin);
	assert_int_equal(pfring_bundle_poll(&b, 0), 1);
	assert_int_equal(b.pfd[0].revents, POLLIN);
	assert_int_equal(b.pfd[1].revents, 0);
	assert_int_equal(tb.polls, 3);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 1), 1);
	assert_int_equal(p[56], 'A');
	/* nothing left: a waiting read gives up after one poll_duration */
	b.sockets[0]->poll_duration = 30;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	assert_true(ns >= 28000000LL);
	assert_int_equal(pfring_bundle_poll(&b, 0), 0);
	pfring_bundle_close(&b);

	/* members that fail: the error comes back */
	pfring_bundle_init(&b, pick_fifo);
	bare = pfring_open("bare:x", 128, 0);
	empty = pfring_open("test:empty", 128, 0);
	assert_int_equal(pfring_bundle_add(&b, bare), 0);
	assert_int_equal(pfring_bundle_poll(&b, 0), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 0), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_bundle_add(&b, empty), 0);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 0), 0);
	pfring_bundle_close(&b);
}

static void test_bundle_limits(void **state)
{
	pfring_bundle b;
	pfring *rings[MAX_NUM_BUNDLE_ELEMENTS + 1];
	struct pfring_pkthdr h;
	u_char *p;
	unsigned int i;

	(void)state;
	pfring_bundle_init(&b, pick_round_robin);
	errno = 0;
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bundle_poll(&b, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	for (i = 0; i <= MAX_NUM_BUNDLE_ELEMENTS; i++) {
		rings[i] = pfring_open("test:empty", 128, 0);
		assert_non_null(rings[i]);
	}
	for (i = 0; i < MAX_NUM_BUNDLE_ELEMENTS; i++)
		assert_int_equal(pfring_bundle_add(&b, rings[i]), 0);
	assert_int_equal(pfring_bundle_add(&b, rings[i]), PF_RING_ERROR_GENERIC);
	assert_int_equal(b.num_sockets, MAX_NUM_BUNDLE_ELEMENTS);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 0), 0);
	assert_int_equal(pfring_bundle_add(NULL, rings[i]), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bundle_add(&b, NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bundle_read(&b, NULL, 0, &h, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bundle_read(&b, &p, 0, NULL, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	b.policy = (bundle_read_policy)7;
	assert_int_equal(pfring_bundle_read(&b, &p, 0, &h, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	pfring_bundle_close(&b);
	assert_int_equal(tb.closes, MAX_NUM_BUNDLE_ELEMENTS);
	pfring_bundle_init(&b, pick_fifo);
	b.policy = (bundle_read_policy)7;
	assert_int_equal(pfring_bundle_add(&b, rings[i]), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(b.num_sockets, 0);
	pfring_close(rings[i]);
	assert_int_equal(tb.closes, MAX_NUM_BUNDLE_ELEMENTS + 1);

	assert_int_equal(pfring_bundle_read(NULL, &p, 0, &h, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bundle_poll(NULL, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	errno = 0;
	pfring_bundle_init(NULL, pick_fifo);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	pfring_bundle_destroy(NULL);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	pfring_bundle_close(NULL);
	assert_int_equal(errno, EINVAL);
}

/* ================================================================ libzero */

static struct {
	unsigned int creates, enables, destroys, bouncer_loops;
	u_int32_t last_cluster_id, last_apps;
} zc;

/* the real one (backends/zero/zero_ops.c), registered by default */
extern const struct pfring_zero_ops pfring_libzero_ops;
static int fake_cluster, fake_bouncer;

static pfring_dna_cluster *z_create(u_int32_t id, u_int32_t apps, u_int32_t flags)
{
	(void)flags;
	zc.creates++;
	zc.last_cluster_id = id;
	zc.last_apps = apps;
	return (pfring_dna_cluster *)&fake_cluster;
}

static int z_enable(pfring_dna_cluster *h)
{
	assert_ptr_equal(h, &fake_cluster);
	zc.enables++;
	return 0;
}

static int z_stats(pfring_dna_cluster *h, u_int64_t *rx, u_int64_t *tx, u_int64_t *proc)
{
	(void)h;
	*rx = 10;
	*tx = 20;
	*proc = 30;
	return 0;
}

static void z_destroy(pfring_dna_cluster *h)
{
	(void)h;
	zc.destroys++;
}

static pfring_dna_bouncer *z_bouncer_create(pfring *in, pfring *out)
{
	(void)in;
	(void)out;
	return (pfring_dna_bouncer *)&fake_bouncer;
}

static int z_bouncer_loop(pfring_dna_bouncer *h, const struct pf_zero_decision *f,
			  const u_char *user, u_int8_t wait)
{
	(void)h;
	(void)f;
	(void)user;
	(void)wait;
	zc.bouncer_loops++;
	return 0;
}

static int decide(u_int32_t *len, u_char *pkt, const u_char *user, u_int8_t dir)
{
	(void)len;
	(void)pkt;
	(void)user;
	(void)dir;
	return 1;
}

static void test_libzero_dispatch(void **state)
{
	static const struct pfring_zero_ops zops = {
		.name = "fake", .cluster_create = z_create, .cluster_enable = z_enable,
		.cluster_stats = z_stats, .cluster_destroy = z_destroy,
		.bouncer_create = z_bouncer_create, .bouncer_loop = z_bouncer_loop,
	};
	pfring_dna_cluster *c, *fake = (pfring_dna_cluster *)&fake_cluster;
	pfring_dna_bouncer *bo, *fakeb = (pfring_dna_bouncer *)&fake_bouncer;
	u_int64_t rx, tx, proc;
	char out[512];
	unsigned int checked = 0;
	pfring *r = pfring_open("test:nic0", 128, 0);

	(void)state;
	memset(&zc, 0, sizeof(zc));
	/* libzero is installed by default; a test may take it away (NULL) */
	assert_ptr_equal(pfring_zero_ops_get(), &pfring_libzero_ops);
	pfring_zero_register(NULL);
	assert_null(pfring_zero_ops_get());
	/* nothing registered: NULL / NOT_SUPPORTED, with a message on create */
	capture_begin();
	EXPECT_NULL_ERRNO(dna_cluster_create(7, 2, 0), EOPNOTSUPP);
	EXPECT_NULL_ERRNO(pfring_dna_bouncer_create(r, r), EOPNOTSUPP);
	capture_end(out, sizeof(out));
	assert_string_equal(out,
			    "dna_cluster_create(7): libzero (DNA Cluster) is not built yet in this "
			    "version of pfring\npfring_dna_bouncer_create(\"test:nic0\", \"test:nic0\"): "
			    "libzero (DNA Bouncer) is not built yet in this version of pfring\n");
	EXPECT_UNSUPPORTED(dna_cluster_low_level_settings(fake, 1024, 1024, 0));
	EXPECT_UNSUPPORTED(dna_cluster_register_ring(fake, r));
	EXPECT_VOID_ERRNO(dna_cluster_set_cpu_affinity(fake, 0, 1), EOPNOTSUPP);
	EXPECT_UNSUPPORTED(dna_cluster_set_mode(fake, recv_only_mode));
	EXPECT_VOID_ERRNO(dna_cluster_set_distribution_function(fake, NULL), EOPNOTSUPP);
	EXPECT_VOID_ERRNO(dna_cluster_set_wait_mode(fake, 1), EOPNOTSUPP);
	EXPECT_UNSUPPORTED(dna_cluster_enable(fake));
	EXPECT_UNSUPPORTED(dna_cluster_disable(fake));
	EXPECT_UNSUPPORTED(dna_cluster_stats(fake, &rx, &tx, &proc));
	EXPECT_VOID_ERRNO(dna_cluster_destroy(fake), EOPNOTSUPP);
	EXPECT_UNSUPPORTED(pfring_dna_bouncer_set_mode(fakeb, two_way_mode));
	EXPECT_UNSUPPORTED(pfring_dna_bouncer_loop(fakeb, decide, NULL, 0));
	EXPECT_VOID_ERRNO(pfring_dna_bouncer_breakloop(fakeb), EOPNOTSUPP);
	EXPECT_VOID_ERRNO(pfring_dna_bouncer_destroy(fakeb), EOPNOTSUPP);

	/* bad arguments come first */
	EXPECT_NULL_ERRNO(dna_cluster_create(1, 0, 0), EINVAL);
	EXPECT_NULL_ERRNO(dna_cluster_create(1, DNA_CLUSTER_MAX_NUM_SLAVES + 1, 0), EINVAL);
	EXPECT_NULL_ERRNO(dna_cluster_create(1, 2, 0x80), EINVAL);
	EXPECT_NULL_ERRNO(pfring_dna_bouncer_create(NULL, r), EINVAL);
	EXPECT_INVALID(dna_cluster_low_level_settings(NULL, 1, 1, 0));
	EXPECT_INVALID(dna_cluster_low_level_settings(fake, 0, 1, 0));
	EXPECT_INVALID(dna_cluster_register_ring(fake, NULL));
	EXPECT_INVALID(dna_cluster_set_mode(fake, (socket_mode)3));
	EXPECT_INVALID(dna_cluster_enable(NULL));
	EXPECT_INVALID(dna_cluster_disable(NULL));
	EXPECT_INVALID(dna_cluster_stats(fake, NULL, &tx, &proc));
	EXPECT_VOID_ERRNO(dna_cluster_destroy(NULL), EINVAL);
	EXPECT_VOID_ERRNO(dna_cluster_set_cpu_affinity(NULL, 0, 0), EINVAL);
	EXPECT_VOID_ERRNO(dna_cluster_set_distribution_function(NULL, NULL), EINVAL);
	EXPECT_VOID_ERRNO(dna_cluster_set_wait_mode(NULL, 0), EINVAL);
	EXPECT_INVALID(pfring_dna_bouncer_set_mode(fakeb, (dna_bouncer_mode)2));
	EXPECT_INVALID(pfring_dna_bouncer_loop(fakeb, NULL, NULL, 0));
	EXPECT_VOID_ERRNO(pfring_dna_bouncer_breakloop(NULL), EINVAL);
	EXPECT_VOID_ERRNO(pfring_dna_bouncer_destroy(NULL), EINVAL);
	assert_int_equal(checked, 35);

	/* registered: calls reach it */
	pfring_zero_register(&zops);
	assert_ptr_equal(pfring_zero_ops_get(), &zops);
	c = dna_cluster_create(9, 3, DNA_CLUSTER_HUGEPAGES);
	assert_ptr_equal(c, fake);
	assert_int_equal(zc.last_cluster_id, 9);
	assert_int_equal(zc.last_apps, 3);
	assert_int_equal(dna_cluster_enable(c), 0);
	assert_int_equal(dna_cluster_stats(c, &rx, &tx, &proc), 0);
	assert_true(rx == 10 && tx == 20 && proc == 30);
	assert_int_equal(dna_cluster_disable(c), PF_RING_ERROR_NOT_SUPPORTED); /* op missing */
	dna_cluster_destroy(c);
	assert_int_equal(zc.destroys, 1);
	bo = pfring_dna_bouncer_create(r, r);
	assert_ptr_equal(bo, fakeb);
	assert_int_equal(pfring_dna_bouncer_loop(bo, decide, NULL, 1), 0);
	assert_int_equal(zc.bouncer_loops, 1);
	pfring_zero_register(NULL);
	assert_null(pfring_zero_ops_get());
	pfring_zero_register(&pfring_libzero_ops);
	pfring_close(r);
}

/* ================================================================ main */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_open_defaults, setup),
		cmocka_unit_test_setup(test_open_flags_and_caplen, setup),
		cmocka_unit_test_setup(test_open_errors, setup),
		cmocka_unit_test_setup(test_open_not_built, setup),
		cmocka_unit_test_setup(test_devname_good, setup),
		cmocka_unit_test_setup(test_devname_bad, setup),
		cmocka_unit_test_setup(test_devname_helpers, setup),
		cmocka_unit_test_setup(test_devname_options, setup),
		cmocka_unit_test_setup(test_devname_names, setup),
		cmocka_unit_test_setup(test_registry, setup),
		cmocka_unit_test_setup(test_error_from_core, setup),
		cmocka_unit_test_setup(test_disabled_until_enabled, setup),
		cmocka_unit_test_setup(test_recv_copy_and_zero_copy, setup),
		cmocka_unit_test_setup(test_socket_mode, setup),
		cmocka_unit_test_setup(test_send, setup),
		cmocka_unit_test_setup(test_reentrant_locks, setup),
		cmocka_unit_test_setup(test_shutdown, setup),
		cmocka_unit_test_setup(test_loop_breakloop, setup),
		cmocka_unit_test_setup(test_loop_errors, setup),
		cmocka_unit_test_setup(test_parse_pkt_tcp, setup),
		cmocka_unit_test_setup(test_parse_pkt_levels_and_args, setup),
		cmocka_unit_test_setup(test_recv_parsed, setup),
		cmocka_unit_test_setup(test_print_parsed_pkt, setup),
		cmocka_unit_test_setup(test_print_bounds, setup),
		cmocka_unit_test_setup(test_format_numbers, setup),
		cmocka_unit_test_setup(test_settings, setup),
		cmocka_unit_test_setup(test_not_supported, setup),
		cmocka_unit_test_setup(test_not_supported_partial_backend, setup),
		cmocka_unit_test_setup(test_null_ring, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_set_if_promisc, setup),
		cmocka_unit_test_setup(test_open_multichannel, setup),
		cmocka_unit_test_setup(test_bundle_round_robin, setup),
		cmocka_unit_test_setup(test_bundle_fifo, setup),
		cmocka_unit_test_setup(test_bundle_poll_and_wait, setup),
		cmocka_unit_test_setup(test_bundle_limits, setup),
		cmocka_unit_test_setup(test_libzero_dispatch, setup),
	};
	int rc;

	if (pfring_backend_register(&test_backend) || pfring_backend_register(&bare_backend) ||
	    pfring_backend_register(&later_backend)) {
		fprintf(stderr, "test_api: cannot register the test backends\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	pfring_backend_unregister(&test_backend);
	pfring_backend_unregister(&bare_backend);
	pfring_backend_unregister(&later_backend);
	return rc;
}
