/*
 * tests/unit/test_filter_api.c - the filtering API (spec 8.9 - 8.12 and
 * 8.14's direction / stats) through the public pfring_* calls, on a test
 * backend built the way sim: is: its priv_data holds a struct pf_socket
 * (pf_user_home()), not first, and it takes PF_FILTER_OPS(filt_socket_of)
 * (lib/filter_ops.c); a core ring (core/ring.h) carries what passes.
 *
 * The backend ("filt:") has no NIC: filt_inject() plays the packet source. It
 * runs the pipeline (parse on demand) and puts PF_PASS frames into the ring,
 * with the extended header (parsed packet) on long-header rings. recv reads
 * the ring (copy or zero-copy); stats are the ring's inserted / dropped-full.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "stderr_capture.h"

#include "pfring.h"
#include "core/socket.h"
#include "core/ring.h"
#include "plugins/sample_plugins.h"
#include "lib/backend.h"
#include "lib/devname.h"
#include "lib/filter_ops.h"
#include "lib/user_home.h"
#include "pkt_build.h"

#define HOST_A 0x0a000001u
#define HOST_B 0x0a000002u
#define HOST_C 0x0a000003u
#define IF_INDEX 3

/* ================================================================ backend */

struct filt_priv {
	struct pf_ring_prod prod;
	struct pf_ring_cons cons;
	void *mem;
	size_t size;
	struct pf_socket sock;       /* not first: PF_FILTER_OPS asks filt_socket_of */
};

static size_t filt_slot_area = 64 * 1024;   /* per test: small rings overflow */

static int filt_open(pfring *ring, const struct pf_devname *dn)
{
	const char *dev = dn->member[0].name;
	struct filt_priv *f;
	u32 flags = ring->long_header ? PF_RING_LAYOUT_LONG_HDR : 0;
	char err[128];

	if (dn->num_members != 1 || !dn->member[0].any_queue || dn->options ||
	    (strcmp(dev, "eth0") != 0 && strcmp(dev, "eth1") != 0))
		return PF_RING_ERROR_UNKNOWN_ADAPTER;
	f = calloc(1, sizeof(*f));
	if (!f)
		return PF_RING_ERROR_GENERIC;
	f->size = pf_ring_layout_size(filt_slot_area);
	f->mem = calloc(1, f->size);
	if (!f->mem || pf_socket_init(&f->sock, pf_user_home()) != 0 ||
	    pf_ring_init(&f->prod, f->mem, f->size, flags) != 0 ||
	    pf_ring_attach(&f->cons, f->mem, f->size, err, sizeof(err)) != 0) {
		free(f->mem);
		free(f);
		return PF_RING_ERROR_GENERIC;
	}
	ring->priv_data = f;
	return 0;
}

static void filt_close(pfring *ring)
{
	struct filt_priv *f = ring->priv_data;

	pf_socket_destroy(&f->sock);
	free(f->mem);
	free(f);
}

static int filt_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		     struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct filt_priv *f = ring->priv_data;
	struct pfring_extended_pkthdr ext;
	struct pf_ring_view v;
	int rc;

	(void)wait;   /* the test never blocks: nothing would ever arrive */
	if (buffer_len == 0) {
		rc = pf_ring_recv(&f->cons, &v);
		if (rc == 1)
			*buffer = (u_char *)v.data;
	} else {
		u32 n = buffer_len < ring->caplen ? buffer_len : ring->caplen;

		rc = pf_ring_recv_copy(&f->cons, *buffer, n, &v, ring->long_header ? &ext : NULL);
		v.ext = ring->long_header ? &ext : NULL;
	}
	if (rc <= 0)
		return rc < 0 ? PF_RING_ERROR_GENERIC : 0;
	hdr->ts.tv_sec = (time_t)(v.ts_ns / 1000000000ull);
	hdr->ts.tv_usec = (suseconds_t)(v.ts_ns % 1000000000ull / 1000);
	hdr->caplen = v.caplen;
	hdr->len = v.len;
	if (v.ext)
		hdr->extended_hdr = *v.ext;
	else
		memset(&hdr->extended_hdr, 0, sizeof(hdr->extended_hdr));
	return 1;
}

static int filt_stats(pfring *ring, pfring_stat *stats)
{
	struct filt_priv *f = ring->priv_data;
	struct pf_ring_stats rs;

	pf_ring_prod_stats(&f->prod, &rs);
	stats->recv = rs.inserted;
	stats->drop = rs.dropped_full;
	return 0;
}

static struct pf_socket *filt_socket_of(pfring *ring)
{
	return &((struct filt_priv *)ring->priv_data)->sock;
}

static const struct pfring_backend filt_backend = {
	.name = "filt",
	.prefix = "filt:",
	.open = filt_open,
	.close = filt_close,
	.recv = filt_recv,
	.stats = filt_stats,
	PF_FILTER_OPS(filt_socket_of),
};

/* The packet source: one frame through the ring's pipeline and, if it
 * passes, into the ring (truncated to the ring's caplen). */
static enum pf_verdict filt_inject(pfring *ring, const u8 *frame, u32 len, u8 rx, u64 ts_ns)
{
	struct filt_priv *f = ring->priv_data;
	struct pfring_extended_pkthdr ext;
	struct pf_ring_pkt rp;
	struct pf_pkt p;
	enum pf_verdict v;

	memset(&p, 0, sizeof(p));
	p.data = frame;
	p.caplen = p.len = len;
	p.rx = rx;
	p.ts_ns = ts_ns;
	p.if_index = IF_INDEX;
	v = pf_socket_filter(&f->sock, &p);
	if (v != PF_PASS)
		return v;
	rp.data = frame;
	rp.caplen = len < ring->caplen ? len : ring->caplen;
	rp.len = len;
	rp.ts_ns = ts_ns;
	rp.ext = NULL;
	if (ring->long_header) {
		pf_pkt_parse(&p);
		memset(&ext, 0, sizeof(ext));
		ext.timestamp_ns = ts_ns;
		ext.rx_direction = rx;
		ext.if_index = IF_INDEX;
		ext.parsed_pkt = p.info;
		rp.ext = &ext;
	}
	(void)pf_ring_put(&f->prod, &rp);   /* a full ring counts it as dropped */
	return v;
}

static struct filt_priv *priv(pfring *ring)
{
	return ring->priv_data;
}

/* ================================================================ helpers */

struct frame {
	u8 b[2048];
	u32 n;
};

static void build(struct frame *fr, const struct pb_flow *f)
{
	fr->n = pb_build(fr->b, sizeof(fr->b), f);
	assert_true(fr->n >= PB_MIN_FRAME);
}

static enum pf_verdict inject(pfring *ring, const struct pb_flow *f)
{
	struct frame fr;

	build(&fr, f);
	return filt_inject(ring, fr.b, fr.n, 1, 0);
}

static pfring *open_ring(void)
{
	pfring *ring = pfring_open("filt:eth0", 128, PF_RING_LONG_HEADER);

	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	return ring;
}

/* Receive one packet (copy mode) into buf; returns recv's result. */
static int recv_one(pfring *ring, u8 *buf, u_int len, struct pfring_pkthdr *h)
{
	u_char *p = buf;

	memset(h, 0xcc, sizeof(*h));
	return pfring_recv(ring, &p, len, h, 0);
}

static void assert_stats(pfring *ring, u64 recv, u64 drop)
{
	pfring_stat st;

	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(st.recv, recv);
	assert_int_equal(st.drop, drop);
}

static void assert_identity(pfring *ring)
{
	const struct pf_socket_counters *c = &priv(ring)->sock.cnt;
	pfring_stat st;

	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(c->seen, st.recv + st.drop + c->filtered + c->unsampled);
	assert_int_equal(c->passed, st.recv + st.drop);
}

static filtering_rule tcp_rule(u16 id, rule_action_behaviour a, u16 dport)
{
	filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.rule_id = id;
	r.rule_action = a;
	r.core_fields.proto = PB_PROTO_TCP;
	r.core_fields.dport_low = dport;
	return r;
}

static hash_filtering_rule hrule(const struct pb_flow *f, rule_action_behaviour a)
{
	hash_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.proto = f->proto;
	r.host_peer_a.v4 = f->src4;
	r.host_peer_b.v4 = f->dst4;
	r.port_peer_a = f->sport;
	r.port_peer_b = f->dport;
	r.rule_action = a;
	return r;
}

/* ========================================================= stderr capture */

/* ================================================================== tests */

static int setup(void **state)
{
	(void)state;
	filt_slot_area = 64 * 1024;
	return 0;
}

/* Received packets are the injected bytes, with their lengths, timestamp and
 * parsed header; copy and zero-copy; truncation to caplen and buffer_len. */
static void test_receive_path(void **state)
{
	static const char pay[200] = "payload";
	struct pb_flow t = pb_tcp4(HOST_A, HOST_B, 40000, 80), u = pb_udp4(HOST_B, HOST_C, 53, 5353);
	struct pfring_pkthdr h;
	struct frame ft, fu;
	u8 buf[256];
	u_char *zc = NULL;
	pfring *ring = pfring_open("filt:eth0", 128, PF_RING_LONG_HEADER);

	(void)state;
	assert_non_null(ring);
	assert_int_equal(ring->caplen, 128);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(pfring_enable_ring(ring), 0);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 0);    /* empty */

	t.payload = pay;
	t.plen = sizeof(pay);     /* 254-byte frame: cut to caplen 128 */
	build(&ft, &t);
	build(&fu, &u);
	assert_int_equal(filt_inject(ring, ft.b, ft.n, 1, 1700000000123456789ull), PF_PASS);
	assert_int_equal(filt_inject(ring, fu.b, fu.n, 0, 1700000001000001000ull), PF_PASS);
	assert_int_equal(filt_inject(ring, fu.b, fu.n, 1, 5), PF_PASS);

	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.caplen, 128);
	assert_int_equal(h.len, ft.n);
	assert_memory_equal(buf, ft.b, 128);
	assert_int_equal(h.ts.tv_sec, 1700000000);
	assert_int_equal(h.ts.tv_usec, 123456);
	assert_int_equal(h.extended_hdr.timestamp_ns, 1700000000123456789ull);
	assert_int_equal(h.extended_hdr.rx_direction, 1);
	assert_int_equal(h.extended_hdr.if_index, IF_INDEX);
	assert_int_equal(h.extended_hdr.parsed_pkt.ip_version, 4);
	assert_int_equal(h.extended_hdr.parsed_pkt.l3_proto, PB_PROTO_TCP);
	assert_int_equal(h.extended_hdr.parsed_pkt.ip_src.v4, HOST_A);
	assert_int_equal(h.extended_hdr.parsed_pkt.ip_dst.v4, HOST_B);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_src_port, 40000);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 80);
	assert_int_equal(h.extended_hdr.parsed_pkt.offset.payload_offset, 54);
	assert_int_equal(h.extended_hdr.parsed_pkt.last_matched_rule_id, 0);

	/* zero-copy */
	memset(&h, 0, sizeof(h));
	assert_int_equal(pfring_recv(ring, &zc, 0, &h, 0), 1);
	assert_non_null(zc);
	assert_int_equal(h.caplen, fu.n);
	assert_int_equal(h.len, fu.n);
	assert_memory_equal(zc, fu.b, fu.n);
	assert_int_equal(h.extended_hdr.rx_direction, 0);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 5353);
	assert_int_equal(h.ts.tv_usec, 1);

	/* a buffer shorter than the packet */
	assert_int_equal(recv_one(ring, buf, 20, &h), 1);
	assert_int_equal(h.caplen, 20);
	assert_int_equal(h.len, fu.n);
	assert_memory_equal(buf, fu.b, 20);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 0);
	assert_stats(ring, 3, 0);
	assert_identity(ring);
	pfring_close(ring);
}

/* Short-header rings carry no parsed header. */
static void test_short_header(void **state)
{
	struct pb_flow t = pb_tcp4(HOST_A, HOST_B, 40000, 80);
	struct pfring_pkthdr h;
	struct frame ft;
	u8 buf[256];
	pfring *ring = pfring_open("filt:eth1", 0, 0);

	(void)state;
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	build(&ft, &t);
	filt_inject(ring, ft.b, ft.n, 1, 9);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.caplen, ft.n);
	assert_memory_equal(buf, ft.b, ft.n);
	assert_int_equal(h.extended_hdr.parsed_pkt.ip_version, 0);
	pfring_close(ring);
	assert_null(pfring_open("filt:eth9", 128, 0));
}

/* Wildcard rules: add (duplicate and invalid refused with a message), remove,
 * policy, stats, the deciding rule in the received header. */
static void test_wildcard_rules(void **state)
{
	struct pb_flow t80 = pb_tcp4(HOST_A, HOST_B, 1000, 80), t81 = pb_tcp4(HOST_A, HOST_B, 1000, 81);
	struct pb_flow udp = pb_udp4(HOST_A, HOST_B, 1000, 53);
	filtering_rule r10 = tcp_rule(10, forward_packet_and_stop_rule_evaluation, 80);
	filtering_rule r20 = tcp_rule(20, forward_packet_and_stop_rule_evaluation, 81);
	filtering_rule bad = tcp_rule(30, forward_packet_and_stop_rule_evaluation, 0);
	pfring_rule_stats st;
	struct pfring_pkthdr h;
	char msg[512], sbuf[64];
	u_int len;
	u8 buf[256];
	pfring *ring = open_ring();

	(void)state;
	assert_int_equal(pfring_add_filtering_rule(ring, &r10), 0);
	assert_int_equal(pfring_add_filtering_rule(ring, &r20), 0);
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_add_filtering_rule(ring, &r10), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EEXIST);
	bad.core_fields.sport_low = 9;
	bad.core_fields.sport_high = 8;
	assert_int_equal(pfring_add_filtering_rule(ring, &bad), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "pfring_add_filtering_rule: rule id 10 already exists on filt:eth0"));
	assert_non_null(strstr(msg, "rule 30 is not valid"));
	assert_int_equal(pfring_add_filtering_rule(ring, NULL), PF_RING_ERROR_INVALID_ARGUMENT);

	assert_int_equal(pfring_toggle_filtering_policy(ring, 0), 0);
	assert_int_equal(ring->socket_default_accept_policy, 0);
	assert_int_equal(inject(ring, &t80), PF_PASS);
	assert_int_equal(inject(ring, &t81), PF_PASS);
	assert_int_equal(inject(ring, &udp), PF_FILTERED);
	assert_int_equal(inject(ring, &t80), PF_PASS);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.last_matched_rule_id, 10);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 80);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.last_matched_rule_id, 20);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 81);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.last_matched_rule_id, 10);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 0);

	/* stats: exact, stats_len updated; too small and unknown refused */
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 10, sbuf, &len), 0);
	assert_int_equal(len, sizeof(st));
	memcpy(&st, sbuf, sizeof(st));
	assert_int_equal(st.matching_packets, 2);
	assert_int_equal(st.dropped_packets, 0);
	len = sizeof(st) - 1;
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 10, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(len, sizeof(st) - 1);
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 11, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 10, NULL, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);

	/* remove: unknown refused; removed rule's packets meet the policy */
	errno = 0;
	assert_int_equal(pfring_remove_filtering_rule(ring, 11), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(pfring_remove_filtering_rule(ring, 10), 0);
	assert_int_equal(pfring_remove_filtering_rule(ring, 10), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(inject(ring, &t80), PF_FILTERED);
	assert_int_equal(pfring_toggle_filtering_policy(ring, 1), 0);
	assert_int_equal(ring->socket_default_accept_policy, 1);
	assert_int_equal(inject(ring, &t80), PF_PASS);
	assert_stats(ring, 4, 0);
	assert_identity(ring);
	pfring_close(ring);
}

/* BPF through the API: libpcap's expression, its error, removal. */
static void test_bpf_filter(void **state)
{
	struct pb_flow t80 = pb_tcp4(HOST_A, HOST_B, 1000, 80), t81 = pb_tcp4(HOST_A, HOST_B, 1000, 81);
	struct pb_flow u80 = pb_udp4(HOST_A, HOST_B, 1000, 80);
	char expr[] = "tcp port 80", bad[] = "tcp port", msg[512];
	struct pfring_pkthdr h;
	u8 buf[256];
	pfring *ring = open_ring();

	(void)state;
	assert_int_equal(pfring_remove_bpf_filter(ring), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_set_bpf_filter(ring, expr), 0);
	assert_int_equal(inject(ring, &t80), PF_PASS);
	assert_int_equal(inject(ring, &t81), PF_FILTERED);
	assert_int_equal(inject(ring, &u80), PF_FILTERED);

	capture_begin();
	assert_int_equal(pfring_set_bpf_filter(ring, bad), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "pfring_set_bpf_filter(\"tcp port\"): "));
	assert_non_null(strstr(msg, "syntax error"));    /* libpcap's reason */
	/* the previous filter is still there */
	assert_int_equal(inject(ring, &t81), PF_FILTERED);
	assert_int_equal(inject(ring, &t80), PF_PASS);

	assert_int_equal(pfring_remove_bpf_filter(ring), 0);
	assert_int_equal(pfring_remove_bpf_filter(ring), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(inject(ring, &t81), PF_PASS);
	assert_int_equal(inject(ring, &u80), PF_PASS);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 80);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 80);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 81);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 1);
	assert_int_equal(h.extended_hdr.parsed_pkt.l3_proto, PB_PROTO_UDP);
	assert_int_equal(recv_one(ring, buf, sizeof(buf), &h), 0);
	assert_stats(ring, 4, 0);
	assert_identity(ring);
	pfring_close(ring);
}

/* Sampling rate and direction through the API. */
static void test_sampling_and_direction(void **state)
{
	struct pb_flow t = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	struct frame fr;
	pfring *ring = open_ring();
	int i, pass = 0, unsampled = 0;

	(void)state;
	build(&fr, &t);
	assert_int_equal(pfring_set_sampling_rate(ring, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_set_sampling_rate(ring, 3), 0);
	assert_int_equal(ring->sampling_rate, 3);
	for (i = 0; i < 10; i++) {
		enum pf_verdict v = filt_inject(ring, fr.b, fr.n, 1, 0);

		pass += v == PF_PASS;
		unsampled += v == PF_UNSAMPLED;
	}
	assert_int_equal(pass, 4);
	assert_int_equal(unsampled, 6);
	assert_int_equal(pfring_set_sampling_rate(ring, 1), 0);

	assert_int_equal(pfring_set_direction(ring, rx_only_direction), 0);
	assert_int_equal(ring->direction, rx_only_direction);
	assert_int_equal(filt_inject(ring, fr.b, fr.n, 1, 0), PF_PASS);
	assert_int_equal(filt_inject(ring, fr.b, fr.n, 0, 0), PF_FILTERED);
	assert_int_equal(pfring_set_direction(ring, tx_only_direction), 0);
	assert_int_equal(filt_inject(ring, fr.b, fr.n, 1, 0), PF_FILTERED);
	assert_int_equal(filt_inject(ring, fr.b, fr.n, 0, 0), PF_PASS);
	assert_int_equal(pfring_set_direction(ring, (packet_direction)7),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(ring->direction, tx_only_direction);
	assert_int_equal(pfring_set_direction(ring, rx_and_tx_direction), 0);
	assert_int_equal(filt_inject(ring, fr.b, fr.n, 1, 0), PF_PASS);
	assert_stats(ring, 7, 0);
	assert_int_equal(priv(ring)->sock.cnt.unsampled, 6);
	assert_int_equal(priv(ring)->sock.cnt.filtered, 2);
	assert_identity(ring);
	pfring_close(ring);
}

/* Precise rules: add, both directions, stats, remove, invalid ones. */
static void test_hash_rules(void **state)
{
	struct pb_flow x = pb_tcp4(HOST_A, HOST_B, 1000, 80), xr = pb_reverse(&x);
	struct pb_flow y = pb_tcp4(HOST_C, HOST_B, 1000, 80);
	hash_filtering_rule h = hrule(&x, dont_forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule hy = hrule(&y, forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule wild = h;
	pfring_rule_stats st;
	char sbuf[64], msg[512];
	u_int len = sizeof(sbuf);
	pfring *ring = open_ring();

	(void)state;
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &h, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &h, 1), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &h, 1),
			 PF_RING_ERROR_INVALID_ARGUMENT);    /* exists */
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &hy, 1), 0);
	wild.host_peer_b.v4 = 0;
	capture_begin();
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &wild, 1),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "pfring_handle_hash_filtering_rule: a precise rule needs"));

	assert_int_equal(pfring_toggle_filtering_policy(ring, 0), 0);
	assert_int_equal(inject(ring, &x), PF_FILTERED);
	assert_int_equal(inject(ring, &xr), PF_FILTERED);
	assert_int_equal(inject(ring, &x), PF_FILTERED);
	assert_int_equal(inject(ring, &y), PF_PASS);
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &h, sbuf, &len), 0);
	assert_int_equal(len, sizeof(st));
	memcpy(&st, sbuf, sizeof(st));
	assert_int_equal(st.matching_packets, 3);
	assert_int_equal(st.dropped_packets, 3);
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &hy, sbuf, &len), 0);
	memcpy(&st, sbuf, sizeof(st));
	assert_int_equal(st.matching_packets, 1);
	assert_int_equal(st.dropped_packets, 0);
	len = 4;
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &h, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(len, 4);

	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &h, 0), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &h, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &h, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(inject(ring, &xr), PF_FILTERED);   /* the policy now */
	assert_int_equal(pfring_toggle_filtering_policy(ring, 1), 0);
	assert_int_equal(inject(ring, &xr), PF_PASS);
	assert_stats(ring, 2, 0);
	assert_identity(ring);
	pfring_close(ring);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Idle purge through the API (the user home's real clock: a rule idle for
 * at least a millisecond is idle for more than 0 seconds, and none is idle
 * for an hour). */
static void test_purge_idle(void **state)
{
	filtering_rule r1 = tcp_rule(1, forward_packet_and_stop_rule_evaluation, 80);
	filtering_rule r2 = tcp_rule(2, forward_packet_and_stop_rule_evaluation, 81);
	filtering_rule r3 = tcp_rule(3, forward_packet_and_stop_rule_evaluation, 82);
	struct pb_flow x = pb_tcp4(HOST_A, HOST_B, 1000, 80), y = pb_tcp4(HOST_C, HOST_B, 1, 2);
	hash_filtering_rule hx = hrule(&x, forward_packet_and_stop_rule_evaluation);
	hash_filtering_rule hy = hrule(&y, forward_packet_and_stop_rule_evaluation);
	char sbuf[64];
	u_int len = sizeof(sbuf);
	pfring *ring = open_ring();

	(void)state;
	r2.locked = 1;
	assert_int_equal(pfring_purge_idle_hash_rules(ring, 0), 0);
	assert_int_equal(pfring_add_filtering_rule(ring, &r1), 0);
	assert_int_equal(pfring_add_filtering_rule(ring, &r2), 0);
	assert_int_equal(pfring_add_filtering_rule(ring, &r3), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &hx, 1), 0);
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &hy, 1), 0);
	assert_int_equal(pfring_purge_idle_rules(ring, 3600), 0);
	assert_int_equal(pfring_purge_idle_hash_rules(ring, 3600), 0);
	sleep_ms(2);
	assert_int_equal(pfring_purge_idle_rules(ring, 0), 2);         /* 1 and 3; 2 is locked */
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 1, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 2, sbuf, &len), 0);
	assert_int_equal(pfring_purge_idle_hash_rules(ring, 0), 2);
	len = sizeof(sbuf);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &hx, sbuf, &len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_purge_idle_rules(ring, 0), 0);
	pfring_close(ring);
}

/* The counter plugin's statistics through pfring_get_filtering_rule_stats. */
static void test_counter_plugin_stats(void **state)
{
	filtering_rule r = tcp_rule(7, execute_action_and_continue_rule_evaluation, 80);
	struct pb_flow x = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	struct counter_plugin_stats cs;
	struct frame fr;
	char sbuf[64];
	u_int len = sizeof(sbuf);
	pfring *ring = open_ring();
	int i;

	(void)state;
	assert_int_equal(pf_plugin_register(&counter_plugin, NULL), 0);
	r.plugin_action.plugin_id = COUNTER_PLUGIN_ID;
	assert_int_equal(pfring_add_filtering_rule(ring, &r), 0);
	build(&fr, &x);
	for (i = 0; i < 5; i++)
		assert_int_equal(filt_inject(ring, fr.b, fr.n, 1, 0), PF_PASS);
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 7, sbuf, &len), 0);
	assert_int_equal(len, sizeof(cs));
	memcpy(&cs, sbuf, sizeof(cs));
	assert_int_equal(cs.packets, 5);
	assert_int_equal(cs.bytes, 5 * fr.n);
	pfring_close(ring);              /* frees the rule and the plugin's memory */
	assert_int_equal(pf_plugin_unregister(COUNTER_PLUGIN_ID), 0);
}

/* The accounting identity over a ring that fills up: mixed traffic, some
 * filtered by a rule, some by BPF, some unsampled, the rest delivered or
 * dropped because nobody reads. Then everything delivered is read back, in
 * order, byte for byte. */
static void test_identity_full_ring(void **state)
{
	struct pb_flow fl[3] = {
		pb_udp4(HOST_A, HOST_B, 1000, 53),      /* dropped by rule 1 */
		pb_tcp4(HOST_A, HOST_B, 1000, 81),      /* rejected by BPF */
		pb_tcp4(HOST_A, HOST_B, 1000, 80),      /* sampled 1 in 2 */
	};
	filtering_rule drop_udp;
	char expr[] = "tcp port 80";
	struct pfring_pkthdr h;
	struct frame fr[3];
	u64 slot, cap;
	u32 i, n = 500, sent = 0, got = 0;
	u8 buf[256];
	pfring *ring;

	(void)state;
	filt_slot_area = 4096;
	ring = open_ring();
	for (i = 0; i < 3; i++) {
		fl[i].payload = "0123456789";
		fl[i].plen = 10 + (i == 2 ? 12 : 0);
		build(&fr[i], &fl[i]);
	}
	assert_int_equal(fr[2].n, 76);
	memset(&drop_udp, 0, sizeof(drop_udp));
	drop_udp.rule_id = 1;
	drop_udp.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	drop_udp.core_fields.proto = PB_PROTO_UDP;
	assert_int_equal(pfring_add_filtering_rule(ring, &drop_udp), 0);
	assert_int_equal(pfring_set_bpf_filter(ring, expr), 0);
	assert_int_equal(pfring_set_sampling_rate(ring, 2), 0);
	for (i = 0; i < n; i++) {
		/* of every 5: 1 UDP, 1 TCP/81, 3 TCP/80 */
		const struct frame *f = &fr[i % 5 == 0 ? 0 : i % 5 == 1 ? 1 : 2];

		sent += filt_inject(ring, f->b, f->n, 1, 1000 + i) == PF_PASS;
	}
	/* 300 TCP/80 reach sampling: 150 pass; the ring holds `cap` of them */
	slot = pf_ring_slot_bytes(PF_RING_LAYOUT_LONG_HDR, 76);
	cap = (4096 - 1) / slot;
	assert_int_equal(sent, 150);
	assert_true(cap < 150);
	assert_stats(ring, cap, 150 - cap);
	assert_int_equal(priv(ring)->sock.cnt.seen, n);
	assert_int_equal(priv(ring)->sock.cnt.filtered, 200);
	assert_int_equal(priv(ring)->sock.cnt.unsampled, 150);
	assert_identity(ring);

	while (recv_one(ring, buf, sizeof(buf), &h) == 1) {
		assert_int_equal(h.caplen, 76);
		assert_memory_equal(buf, fr[2].b, 76);
		assert_int_equal(h.extended_hdr.parsed_pkt.l4_dst_port, 80);
		got++;
	}
	assert_int_equal(got, cap);
	/* room again: the next passing packet is delivered */
	assert_int_equal(filt_inject(ring, fr[2].b, fr[2].n, 1, 0), PF_PASS);
	assert_stats(ring, cap + 1, 150 - cap);
	assert_identity(ring);
	pfring_close(ring);
}

/* Two rings of one process: each has its own rules, counters and ring. */
static void test_rings_are_independent(void **state)
{
	struct pb_flow x = pb_tcp4(HOST_A, HOST_B, 1000, 80);
	filtering_rule drop = tcp_rule(1, dont_forward_packet_and_stop_rule_evaluation, 80);
	pfring *a = open_ring(), *b = pfring_open("filt:eth1", 128, 0);

	(void)state;
	assert_non_null(b);
	assert_int_equal(pfring_enable_ring(b), 0);
	assert_int_equal(pfring_add_filtering_rule(a, &drop), 0);
	assert_int_equal(pfring_add_filtering_rule(b, &drop), 0);   /* same id: other ring */
	assert_int_equal(pfring_remove_filtering_rule(b, 1), 0);
	assert_int_equal(inject(a, &x), PF_FILTERED);
	assert_int_equal(inject(b, &x), PF_PASS);
	assert_stats(a, 0, 0);
	assert_stats(b, 1, 0);
	pfring_close(a);
	pfring_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_receive_path, setup),
		cmocka_unit_test_setup(test_short_header, setup),
		cmocka_unit_test_setup(test_wildcard_rules, setup),
		cmocka_unit_test_setup(test_bpf_filter, setup),
		cmocka_unit_test_setup(test_sampling_and_direction, setup),
		cmocka_unit_test_setup(test_hash_rules, setup),
		cmocka_unit_test_setup(test_purge_idle, setup),
		cmocka_unit_test_setup(test_counter_plugin_stats, setup),
		cmocka_unit_test_setup(test_identity_full_ring, setup),
		cmocka_unit_test_setup(test_rings_are_independent, setup),
	};
	int rc;

	if (pfring_backend_register(&filt_backend) != 0) {
		fprintf(stderr, "test_filter_api: cannot register the filt: backend\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	pfring_backend_unregister(&filt_backend);
	return rc;
}
