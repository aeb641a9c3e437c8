/*
 * tests/unit/test_engine.c - pf_pkt_to_ring (core/engine.c), the one step every
 * home uses to put a frame that passed a ring's pipeline into its ring: the
 * slot it writes (truncation, extended header) and how each outcome is
 * counted (inserted, refused by core, full left to the caller).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/engine.h"
#include "core/ring.h"
#include "pkt_build.h"

struct ring {
	u8 *mem;
	size_t size;
	struct pf_ring_prod p;
	struct pf_ring_cons c;
};

static void ring_new(struct ring *t, size_t slot_area, u32 flags)
{
	char err[256];

	t->size = pf_ring_layout_size(slot_area);
	t->mem = aligned_alloc(PF_RING_PAGE_SIZE, t->size);
	assert_non_null(t->mem);
	memset(t->mem, 0, t->size);
	assert_int_equal(pf_ring_init(&t->p, t->mem, t->size, flags), 0);
	assert_int_equal(pf_ring_attach(&t->c, t->mem, t->size, err, sizeof(err)), 0);
}

/* A 300-byte UDP frame received on interface if_index. */
static struct pf_pkt udp_frame(u8 *buf, u32 cap, s32 if_index)
{
	static const char payload[258];
	struct pb_flow f = pb_udp4(0x0a000001, 0x0a000002, 1000, 2000);
	struct pf_pkt p;

	f.payload = payload;
	f.plen = sizeof(payload);
	memset(&p, 0, sizeof(p));
	p.data = buf;
	p.caplen = p.len = pb_build(buf, cap, &f);
	assert_int_equal(p.caplen, 300);
	p.ts_ns = 1234567890123ull;
	p.if_index = if_index;
	p.rx = 1;
	return p;
}

static void expect_counts(struct ring *t, u64 inserted, u64 full, u64 refused)
{
	struct pf_ring_stats s;

	pf_ring_prod_stats(&t->p, &s);
	assert_int_equal(s.inserted, inserted);
	assert_int_equal(s.dropped_full, full);
	assert_int_equal(s.refused, refused);
}

/* The slot holds the frame cut to caplen, its wire length, and an extended
 * header naming the interface each frame came from. */
static void test_slot_and_extended_header(void **state)
{
	u8 buf[512];
	struct pf_pkt a = udp_frame(buf, sizeof(buf), 7), b = a;
	struct pf_ring_view v;
	struct ring t;

	(void)state;
	ring_new(&t, 1 << 16, PF_RING_LAYOUT_LONG_HDR);
	b.if_index = 12;
	b.rx = 0;
	assert_int_equal(pf_pkt_to_ring(&t.p, &a, 128, a.ts_ns, 0xabcd), 0);
	assert_int_equal(pf_pkt_to_ring(&t.p, &b, 1536, b.ts_ns + 1, 0), 0);
	pf_ring_publish(&t.p);

	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	assert_int_equal(v.caplen, 128);
	assert_int_equal(v.len, 300);
	assert_memory_equal(v.data, buf, 128);
	assert_non_null(v.ext);
	assert_int_equal(v.ext->if_index, 7);
	assert_int_equal(v.ext->rx_direction, 1);
	assert_int_equal(v.ext->timestamp_ns, 1234567890123ull);
	assert_int_equal(v.ext->pkt_hash, 0xabcd);
	assert_int_equal(v.ext->tx.bounce_interface, -1);
	assert_int_equal(v.ext->parsed_pkt.l3_proto, PB_PROTO_UDP);
	assert_int_equal(v.ext->parsed_pkt.l4_src_port, 1000);
	assert_int_equal(v.ext->parsed_pkt.l4_dst_port, 2000);

	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	assert_int_equal(v.caplen, 300);
	assert_memory_equal(v.data, buf, 300);
	assert_int_equal(v.ext->if_index, 12);
	assert_int_equal(v.ext->rx_direction, 0);
	assert_int_equal(v.ext->timestamp_ns, 1234567890124ull);
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	expect_counts(&t, 2, 0, 0);
	free(t.mem);
}

/* Too large for the ring: refused and counted once, by core. Full: nothing
 * counted (the home waits or drops). The identity inserted + full + refused =
 * offered holds once the caller counts its drops. */
static void test_refused_and_full_counted_once(void **state)
{
	static u8 buf[8192];
	struct pf_pkt p = udp_frame(buf, sizeof(buf), 3);
	struct ring t;
	u32 n = 0;
	int rc;

	(void)state;
	ring_new(&t, 0, 0);   /* the smallest ring: 4096-byte slot area */
	assert_int_equal(t.p.max_caplen, 2048 - 16);
	p.caplen = p.len = 2048;   /* a jumbo frame: too large for any slot */
	assert_int_equal(pf_pkt_to_ring(&t.p, &p, 65535, p.ts_ns, 0), -PF_E2BIG);
	expect_counts(&t, 0, 0, 1);

	p = udp_frame(buf, sizeof(buf), 3);
	while ((rc = pf_pkt_to_ring(&t.p, &p, 300, p.ts_ns, 0)) == 0)
		n++;
	pf_ring_publish(&t.p);
	assert_int_equal(rc, -PF_ENOSPC);
	/* 316-byte slots, 8 bytes always kept free: 12 fit into 4096 */
	assert_int_equal(n, 12);
	expect_counts(&t, 12, 0, 1);
	pf_ring_drop(&t.p, 1);
	expect_counts(&t, 12, 1, 1);
	free(t.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_and_extended_header),
		cmocka_unit_test(test_refused_and_full_counted_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
