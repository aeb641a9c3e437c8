/*
 * tests/unit/test_ring.c - the shared-memory SPSC slot ring (core/ring.c).
 *
 * Rings live in page-aligned heap memory followed by a guard area filled with
 * GUARD_BYTE, so any write past the region shows up. Slot geometry used below:
 * a short header is 16 bytes, so a packet of caplen 48 takes a 64-byte slot and
 * the minimum slot area (4096 bytes) holds 63 of them (one 8-byte gap is always
 * kept free so that a full ring never looks empty).
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <cmocka.h>

#include "core/ring.h"

#define GUARD      8192
#define GUARD_BYTE 0xA5
#define AREA_MIN   PF_RING_MIN_SLOT_AREA

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

/* ------------------------------------------------------------ helpers */

struct region {
	u8 *mem;
	size_t size;
};

static void region_new(struct region *r, size_t slot_area)
{
	r->size = pf_ring_layout_size(slot_area);
	assert_true(r->size > 0);
	r->mem = aligned_alloc(PF_RING_PAGE_SIZE, r->size + GUARD);
	assert_non_null(r->mem);
	memset(r->mem, 0, r->size);
	memset(r->mem + r->size, GUARD_BYTE, GUARD);
}

static void region_check_guard(const struct region *r)
{
	for (size_t i = 0; i < GUARD; i++)
		assert_int_equal(r->mem[r->size + i], GUARD_BYTE);
}

static void region_free(struct region *r)
{
	region_check_guard(r);
	free(r->mem);
}

static struct pf_ring_prod_page *prod_page(const struct region *r)
{
	return (struct pf_ring_prod_page *)r->mem;
}

static struct pf_ring_cons_page *cons_page(const struct region *r)
{
	return (struct pf_ring_cons_page *)(r->mem + PF_RING_CONS_PAGE_OFF);
}

static u8 *slot_at(const struct region *r, u64 off)
{
	return r->mem + PF_RING_SLOTS_OFF + off;
}

/* A ring with its producer and consumer handles. */
struct ring {
	struct region reg;
	struct pf_ring_prod p;
	struct pf_ring_cons c;
};

static void ring_new(struct ring *t, size_t slot_area, u32 flags)
{
	char err[256];

	region_new(&t->reg, slot_area);
	assert_int_equal(pf_ring_init(&t->p, t->reg.mem, t->reg.size, flags), 0);
	assert_int_equal(pf_ring_attach(&t->c, t->reg.mem, t->reg.size, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

/* Fill buf with bytes derived from seed. */
static void fill(u8 *buf, u32 n, u32 seed)
{
	for (u32 i = 0; i < n; i++)
		buf[i] = (u8)(seed * 31u + i * 7u + (i >> 8));
}

static int put_one(struct pf_ring_prod *p, u32 caplen, u32 seed)
{
	static u8 buf[65536];
	struct pf_ring_pkt pkt = { buf, caplen, caplen + 4, 1000u + seed, NULL };

	fill(buf, caplen, seed);
	return pf_ring_put(p, &pkt);
}

static void expect_pkt(const struct pf_ring_view *v, u32 caplen, u32 seed)
{
	u8 want[65536];

	fill(want, caplen, seed);
	assert_int_equal(v->caplen, caplen);
	assert_int_equal(v->len, caplen + 4);
	assert_int_equal(v->ts_ns, 1000u + seed);
	assert_memory_equal(v->data, want, caplen);
}

static void stats_of(struct ring *t, struct pf_ring_stats *s)
{
	pf_ring_cons_stats(&t->c, s);
}

/* -------------------------------------------------------- init / attach */

static void test_layout_sizes(void **state)
{
	(void)state;
	assert_int_equal(pf_ring_layout_size(0), PF_RING_SLOTS_OFF + AREA_MIN);
	assert_int_equal(pf_ring_layout_size(4097), PF_RING_SLOTS_OFF + 8192);
	assert_int_equal(pf_ring_layout_size(1 << 20), PF_RING_SLOTS_OFF + (1 << 20));
	assert_int_equal(pf_ring_layout_size((size_t)-1), 0);
	assert_int_equal(pf_ring_slot_bytes(0, 48), 64);
	assert_int_equal(pf_ring_slot_bytes(0, 49), 72);
	assert_int_equal(pf_ring_slot_bytes(0, 0), 16);
	assert_int_equal(pf_ring_slot_bytes(PF_RING_LAYOUT_LONG_HDR, 0),
			 16 + ((sizeof(struct pfring_extended_pkthdr) + 7) & ~7ul));
}

static void test_init_attach_happy(void **state)
{
	struct ring t;
	struct pf_ring_prod_page *pp;
	struct pf_ring_view v;
	struct pf_ring_stats s;

	(void)state;
	ring_new(&t, 1 << 16, 0);
	pp = prod_page(&t.reg);
	assert_int_equal(pp->magic, PF_RING_MAGIC);
	assert_int_equal(pp->abi_version, PF_RING_ABI_VERSION);
	assert_int_equal(pp->layout_version, PF_RING_LAYOUT_VERSION);
	assert_int_equal(pp->flags, 0);
	assert_int_equal(pp->region_size, t.reg.size);
	assert_int_equal(pp->slots_off, PF_RING_SLOTS_OFF);
	assert_int_equal(pp->slot_area_size, 1 << 16);
	assert_int_equal(pp->slot_hdr_size, 16);
	assert_int_equal(pp->max_caplen, (1 << 15) - 16);
	assert_int_equal(pp->insert_off, 0);
	assert_int_equal(cons_page(&t.reg)->read_off, 0);

	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(pf_ring_peek(&t.c, &v), 0);
	assert_int_equal(pf_ring_advance(&t.c), -PF_EINVAL);
	stats_of(&t, &s);
	assert_int_equal(s.inserted + s.dropped_full + s.refused + s.read + s.queued, 0);
	region_free(&t.reg);
}

static void test_init_errors(void **state)
{
	struct region r;
	struct pf_ring_prod p;

	(void)state;
	region_new(&r, AREA_MIN);
	assert_int_equal(pf_ring_init(NULL, r.mem, r.size, 0), -PF_EINVAL);
	assert_int_equal(pf_ring_init(&p, NULL, r.size, 0), -PF_EINVAL);
	assert_int_equal(pf_ring_init(&p, r.mem + 4, r.size - 4, 0), -PF_EINVAL);
	assert_int_equal(pf_ring_init(&p, r.mem, r.size - 1, 0), -PF_EINVAL);
	assert_int_equal(pf_ring_init(&p, r.mem, PF_RING_SLOTS_OFF, 0), -PF_EINVAL);
	assert_int_equal(pf_ring_init(&p, r.mem, r.size, 1u << 7), -PF_EINVAL);
	/* nothing was written by the refused calls */
	for (size_t i = 0; i < r.size; i++)
		assert_int_equal(r.mem[i], 0);
	/* a region that is not a page multiple: the slot area is the 8-byte
	 * aligned remainder */
	assert_int_equal(pf_ring_init(&p, r.mem, r.size + 5, 0), 0);
	assert_int_equal(prod_page(&r)->slot_area_size, AREA_MIN);
	region_free(&r);
}

static void test_attach_too_small(void **state)
{
	struct ring t;
	struct pf_ring_cons c;
	char err[256];

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, 8192, err, sizeof(err)), -PF_EINVAL);
	assert_non_null(strstr(err, "too small"));
	assert_non_null(strstr(err, "8192 bytes mapped"));
	assert_non_null(strstr(err, "12288"));
	region_free(&t.reg);

	/* a mapping shorter than the region the header describes */
	ring_new(&t, 2 * AREA_MIN, 0);
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size - 8, err, sizeof(err)),
			 -PF_EINVAL);
	assert_non_null(strstr(err, "the region is 16384 bytes, but 16376 are mapped"));
	assert_int_equal(pf_ring_attach(&c, NULL, t.reg.size, err, sizeof(err)), -PF_EINVAL);
	assert_int_equal(pf_ring_attach(&c, t.reg.mem + 1, t.reg.size, err, sizeof(err)),
			 -PF_EINVAL);
	assert_non_null(strstr(err, "aligned"));
	region_free(&t.reg);
}

static void test_attach_bad_magic(void **state)
{
	struct ring t;
	struct pf_ring_cons c;
	char err[256];

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	prod_page(&t.reg)->magic = 0x12345678;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EINVAL);
	assert_non_null(strstr(err, "not a pf_ring ring"));
	assert_non_null(strstr(err, "magic 0x12345678"));
	assert_non_null(strstr(err, "expected 0x47524650"));
	/* never initialised */
	memset(t.reg.mem, 0, PF_RING_PAGE_SIZE);
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, NULL, 0), -PF_EINVAL);
	region_free(&t.reg);
}

static void test_attach_abi_mismatch(void **state)
{
	struct ring t;
	struct pf_ring_cons c;
	char err[512], want[128];

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	prod_page(&t.reg)->abi_version = PF_RING_ABI_VERSION + 41;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	snprintf(want, sizeof(want), "pf_ring ABI mismatch: the ring's producer (pf_ring.ko) has ABI %u,"
		 " this libpfring has ABI %u: rebuild and reload pf_ring.ko", PF_RING_ABI_VERSION + 41,
		 PF_RING_ABI_VERSION);
	assert_non_null(strstr(err, want));

	/* a truncated message is still NUL-terminated */
	memset(err, 'x', sizeof(err));
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, 10), -PF_EPROTO);
	assert_int_equal(strlen(err), 9);
	assert_int_equal(err[10], 'x');

	prod_page(&t.reg)->abi_version = PF_RING_ABI_VERSION;
	prod_page(&t.reg)->layout_version = 1000000007;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	snprintf(want, sizeof(want), "has layout 1000000007, this libpfring has layout %u",
		 PF_RING_LAYOUT_VERSION);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "rebuild"));
	region_free(&t.reg);
}

static void test_attach_corrupt_header(void **state)
{
	struct ring t;
	struct pf_ring_cons c;
	struct pf_ring_prod_page *pp;
	char err[256];

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	pp = prod_page(&t.reg);

	pp->flags = 0x80;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	assert_non_null(strstr(err, "flags 0x00000080"));
	pp->flags = 0;

	pp->slot_area_size = 1u << 30;   /* would send the consumer far past the region */
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	assert_non_null(strstr(err, "corrupt ring header"));
	pp->slot_area_size = AREA_MIN;

	pp->max_caplen = 1u << 20;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	pp->max_caplen = AREA_MIN / 2 - 16;

	pp->slot_hdr_size = 200;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	assert_non_null(strstr(err, "producer 200 bytes, this libpfring 16"));
	pp->slot_hdr_size = 16;

	pp->region_size = 4096;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EINVAL);
	pp->region_size = t.reg.size;

	cons_page(&t.reg)->read_off = AREA_MIN;
	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), -PF_EPROTO);
	assert_non_null(strstr(err, "read offset 4096"));
	cons_page(&t.reg)->read_off = 0;

	assert_int_equal(pf_ring_attach(&c, t.reg.mem, t.reg.size, err, sizeof(err)), 0);
	region_free(&t.reg);
}

/* ------------------------------------------------------------ data path */

static void test_put_peek_advance_exact(void **state)
{
	struct ring t;
	struct pf_ring_view v, v2;
	struct pf_ring_stats s;

	(void)state;
	ring_new(&t, 1 << 16, 0);
	assert_int_equal(put_one(&t.p, 60, 1), 0);
	assert_int_equal(put_one(&t.p, 1514, 2), 0);
	assert_int_equal(put_one(&t.p, 0, 3), 0);
	assert_int_equal(prod_page(&t.reg)->insert_off, 80 + 1536 + 16);
	assert_int_equal(prod_page(&t.reg)->tot_bytes, 60 + 1514);

	assert_int_equal(pf_ring_peek(&t.c, &v), 1);
	expect_pkt(&v, 60, 1);
	assert_ptr_equal(v.data, slot_at(&t.reg, 16));
	assert_null(v.ext);
	assert_int_equal(pf_ring_peek(&t.c, &v2), 1);   /* same packet again */
	assert_ptr_equal(v2.data, v.data);
	assert_int_equal(pf_ring_cons_queued(&t.c), 3);
	assert_int_equal(pf_ring_advance(&t.c), 0);
	assert_int_equal(cons_page(&t.reg)->read_off, 80);
	assert_int_equal(cons_page(&t.reg)->tot_read, 1);
	assert_int_equal(pf_ring_advance(&t.c), -PF_EINVAL);   /* nothing peeked */

	assert_int_equal(pf_ring_peek(&t.c, &v), 1);
	expect_pkt(&v, 1514, 2);
	assert_int_equal(pf_ring_advance(&t.c), 0);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 0, 3);
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(cons_page(&t.reg)->read_off, 80 + 1536 + 16);

	stats_of(&t, &s);
	assert_int_equal(s.inserted, 3);
	assert_int_equal(s.read, 3);
	assert_int_equal(s.queued, 0);
	assert_int_equal(s.bytes, 1574);
	assert_int_equal(s.dropped_full + s.refused + s.bad_peer, 0);
	region_free(&t.reg);
}

/* Every caplen from 0 to 300 (all of the copy's size classes), from a source
 * buffer of exactly caplen bytes (valgrind/ASan catch an over-read). */
static void test_every_small_size(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	u32 n;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	for (n = 0; n <= 300; n++) {
		u8 *src = malloc(n ? n : 1);
		struct pf_ring_pkt pkt = { src, n, n + 4, 1000u + n, NULL };

		fill(src, n, n);
		assert_int_equal(pf_ring_put(&t.p, &pkt), 0);
		memset(src, 0, n);
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, n, n);
		free(src);
	}
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	region_free(&t.reg);
}

static void test_full_ring_drops_counted(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	struct pf_ring_stats s;
	u32 i;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	for (i = 0; i < 63; i++)
		assert_int_equal(put_one(&t.p, 48, i), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(put_one(&t.p, 48, 100 + i), -PF_ENOSPC);
	/* 64 bytes are left: a 56-byte slot fits (the 8-byte gap stays), then
	 * not even an empty packet (16-byte slot) does */
	assert_int_equal(put_one(&t.p, 40, 200), 0);
	assert_int_equal(put_one(&t.p, 0, 201), -PF_ENOSPC);
	stats_of(&t, &s);
	assert_int_equal(s.inserted, 64);
	assert_int_equal(s.dropped_full, 6);
	assert_int_equal(s.queued, 64);
	assert_int_equal(pf_ring_prod_queued(&t.p), 64);

	/* the producer stands 8 bytes before the end, so a 64-byte slot costs 72
	 * (8 skipped by the wrap marker): one read (64 bytes freed) is not
	 * enough, two are, and then exactly one packet fits */
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 48, 0);
	pf_ring_release(&t.c);
	assert_int_equal(put_one(&t.p, 48, 300), -PF_ENOSPC);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 48, 1);
	pf_ring_release(&t.c);
	assert_int_equal(put_one(&t.p, 48, 300), 0);
	assert_int_equal(((struct pf_ring_slot_hdr *)slot_at(&t.reg, 4088))->caplen,
			 PF_RING_SLOT_WRAP);
	assert_int_equal(put_one(&t.p, 48, 301), -PF_ENOSPC);

	for (i = 2; i < 63; i++) {
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, 48, i);
	}
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 40, 200);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 48, 300);
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);

	stats_of(&t, &s);
	assert_int_equal(s.inserted, 65);
	assert_int_equal(s.dropped_full, 8);
	assert_int_equal(s.read, 65);
	assert_int_equal(s.inserted, s.read + s.queued);
	assert_int_equal(prod_page(&t.reg)->tot_drop_full, 8);
	region_free(&t.reg);
}

static void test_wrap_exact_end(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	u32 i, seed = 0, rseed = 0;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	/* 64 slots of 64 bytes end exactly at 4096: no marker, insert_off -> 0 */
	for (i = 0; i < 32; i++)
		assert_int_equal(put_one(&t.p, 48, seed++), 0);
	for (i = 0; i < 32; i++) {
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, 48, rseed++);
	}
	for (i = 0; i < 32; i++)
		assert_int_equal(put_one(&t.p, 48, seed++), 0);
	assert_int_equal(prod_page(&t.reg)->insert_off, 0);
	assert_int_equal(((struct pf_ring_slot_hdr *)slot_at(&t.reg, 4032))->caplen, 48);
	for (i = 0; i < 32; i++) {
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, 48, rseed++);
	}
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(cons_page(&t.reg)->read_off, 0);
	/* and on from offset 0 */
	assert_int_equal(put_one(&t.p, 100, seed), 0);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	assert_ptr_equal(v.data, slot_at(&t.reg, 16));
	expect_pkt(&v, 100, seed);
	region_free(&t.reg);
}

/* Bring both sides to AREA_MIN - tail, then put a slot 8 bytes larger than
 * the tail: it must go to offset 0 behind a wrap marker. */
static void wrap_with_tail(u32 tail)
{
	struct ring t;
	struct pf_ring_view v;
	u32 remaining = AREA_MIN - tail, n = 0, i;

	ring_new(&t, AREA_MIN, 0);
	while (remaining) {
		u32 slot = remaining > 2032 ? 1016 : remaining;

		assert_int_equal(put_one(&t.p, slot - 16, n++), 0);
		remaining -= slot;
	}
	assert_int_equal(prod_page(&t.reg)->insert_off, AREA_MIN - tail);
	for (i = 0; i < n; i++)
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	pf_ring_release(&t.c);
	assert_int_equal(cons_page(&t.reg)->read_off, AREA_MIN - tail);

	assert_int_equal(put_one(&t.p, tail + 8 - 16, 3), 0);
	assert_int_equal(((struct pf_ring_slot_hdr *)slot_at(&t.reg, AREA_MIN - tail))->caplen,
			 PF_RING_SLOT_WRAP);
	assert_int_equal(prod_page(&t.reg)->insert_off, tail + 8);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	assert_ptr_equal(v.data, slot_at(&t.reg, 16));
	expect_pkt(&v, tail + 8 - 16, 3);
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(cons_page(&t.reg)->read_off, tail + 8);
	assert_int_equal(pf_ring_cons_queued(&t.c), 0);
	region_free(&t.reg);
}

static void test_wrap_tail_too_small(void **state)
{
	(void)state;
	wrap_with_tail(8);     /* the smallest tail: just the marker word */
	wrap_with_tail(16);    /* room for a header but no data */
	wrap_with_tail(512);
}

static void test_wrap_marker_needs_room_at_start(void **state)
{
	struct ring t;
	struct pf_ring_view v;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	/* producer at 3072, consumer at 1040: the tail is 1024 bytes, 1040 more
	 * are free at the start */
	assert_int_equal(put_one(&t.p, 1040 - 16, 1), 0);
	assert_int_equal(put_one(&t.p, 2032 - 16, 2), 0);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	pf_ring_release(&t.c);
	/* a 1040-byte slot does not fit the tail, and at the start it would end
	 * exactly at the consumer's offset (no gap left): refused, no marker */
	assert_int_equal(put_one(&t.p, 1040 - 16, 3), -PF_ENOSPC);
	assert_int_equal(put_one(&t.p, 1048 - 16, 3), -PF_ENOSPC);
	assert_int_equal(((struct pf_ring_slot_hdr *)slot_at(&t.reg, 3072))->caplen, 0);
	/* a 1032-byte slot goes to the start (1024 + 1032 < 2064 free) */
	assert_int_equal(put_one(&t.p, 1032 - 16, 4), 0);
	assert_int_equal(prod_page(&t.reg)->insert_off, 1032);
	assert_int_equal(((struct pf_ring_slot_hdr *)slot_at(&t.reg, 3072))->caplen,
			 PF_RING_SLOT_WRAP);
	assert_int_equal(put_one(&t.p, 0, 5), -PF_ENOSPC);   /* 1040 - 1032 = the gap */
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 2032 - 16, 2);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 1032 - 16, 4);
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	region_free(&t.reg);
}

static void test_zero_copy_valid_until_next_call(void **state)
{
	struct ring t;
	struct pf_ring_view v0, v1;
	u8 copy0[48];
	u32 i;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	for (i = 0; i < 63; i++)
		assert_int_equal(put_one(&t.p, 48, i), 0);
	assert_int_equal(pf_ring_recv(&t.c, &v0), 1);
	memcpy(copy0, v0.data, 48);
	/* the held slot is not released: the ring is still full */
	assert_int_equal(cons_page(&t.reg)->read_off, 0);
	assert_int_equal(put_one(&t.p, 48, 1000), -PF_ENOSPC);
	assert_memory_equal(v0.data, copy0, 48);
	expect_pkt(&v0, 48, 0);
	assert_int_equal(pf_ring_prod_queued(&t.p), 63);

	/* the next call releases it */
	assert_int_equal(pf_ring_recv(&t.c, &v1), 1);
	expect_pkt(&v1, 48, 1);
	assert_int_equal(cons_page(&t.reg)->read_off, 64);
	assert_int_equal(pf_ring_prod_queued(&t.p), 62);
	assert_int_equal(put_one(&t.p, 48, 1001), 0);      /* the tail slot at 4032 */
	assert_int_equal(put_one(&t.p, 48, 1002), -PF_ENOSPC); /* slot 1 still held */
	expect_pkt(&v1, 48, 1);
	pf_ring_release(&t.c);
	assert_int_equal(put_one(&t.p, 48, 1002), 0);      /* now at offset 0 */
	{                                                   /* v0's old slot reused */
		u8 want[48];

		fill(want, 48, 1002);
		assert_memory_equal(v0.data, want, 48);
	}

	/* bursts: every view of the burst stays valid until the next call */
	{
		struct pf_ring_view b[80];
		int n = pf_ring_recv_burst(&t.c, b, 80);

		assert_int_equal(n, 63);
		for (i = 0; i < 61; i++)
			expect_pkt(&b[i], 48, i + 2);
		expect_pkt(&b[61], 48, 1001);
		expect_pkt(&b[62], 48, 1002);
		for (i = 0; i < 5; i++)
			assert_int_equal(put_one(&t.p, 48, 2000), -PF_ENOSPC);
		expect_pkt(&b[0], 48, 2);
		assert_int_equal(pf_ring_recv_burst(&t.c, b, 80), 0);
		assert_int_equal(put_one(&t.p, 48, 2000), 0);
	}
	region_free(&t.reg);
}

static void test_copy_truncation(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	u8 buf[300], want[200];

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 200, 7), 0);
	assert_int_equal(put_one(&t.p, 200, 8), 0);
	fill(want, 200, 7);

	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(pf_ring_recv_copy(&t.c, buf, 40, &v, NULL), 1);
	assert_int_equal(v.caplen, 40);
	assert_int_equal(v.len, 204);
	assert_int_equal(v.ts_ns, 1007);
	assert_ptr_equal(v.data, buf);
	assert_null(v.ext);
	assert_memory_equal(buf, want, 40);
	assert_int_equal(buf[40], 0xEE);
	/* released at once */
	assert_int_equal(cons_page(&t.reg)->read_off, 216);

	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(pf_ring_recv_copy(&t.c, buf, sizeof(buf), &v, NULL), 1);
	fill(want, 200, 8);
	assert_int_equal(v.caplen, 200);
	assert_memory_equal(buf, want, 200);
	assert_int_equal(buf[200], 0xEE);
	assert_int_equal(pf_ring_recv_copy(&t.c, buf, sizeof(buf), &v, NULL), 0);
	region_free(&t.reg);
}

static void test_oversize_refused(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	struct pf_ring_stats s;
	u32 max, i;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	max = prod_page(&t.reg)->max_caplen;
	assert_int_equal(max, 2048 - 16);
	assert_int_equal(put_one(&t.p, max + 1, 1), -PF_E2BIG);
	assert_int_equal(put_one(&t.p, 60000, 1), -PF_E2BIG);
	stats_of(&t, &s);
	assert_int_equal(s.refused, 2);
	assert_int_equal(s.dropped_full, 0);
	assert_int_equal(s.inserted, 0);
	/* what a caller of pf_ring_reserve counts after -PF_E2BIG */
	pf_ring_refuse(&t.p, 3);
	stats_of(&t, &s);
	assert_int_equal(s.refused, 5);
	assert_int_equal(s.dropped_full, 0);
	assert_int_equal(s.inserted, 0);
	/* the largest allowed packet fits into an empty ring wherever the
	 * producer stands */
	for (i = 0; i < AREA_MIN / 8; i++) {
		assert_int_equal(put_one(&t.p, 8 * (i % 7), i), 0);
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		pf_ring_release(&t.c);
		assert_int_equal(put_one(&t.p, max, i), 0);
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, max, i);
		pf_ring_release(&t.c);
	}
	region_free(&t.reg);
}

static void test_put_burst(void **state)
{
	struct ring t;
	struct pf_ring_pkt pk[70];
	struct pf_ring_view v;
	struct pf_ring_stats s;
	static u8 data[70][48];
	static u8 huge[4096];
	u32 i;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	for (i = 0; i < 70; i++) {
		fill(data[i], 48, i);
		pk[i] = (struct pf_ring_pkt){ data[i], 48, 52, 1000 + i, NULL };
	}
	pk[3] = (struct pf_ring_pkt){ huge, sizeof(huge), sizeof(huge), 0, NULL };
	/* 63 slots fit; pk[3] is refused; 64 taken in all */
	assert_int_equal(pf_ring_put_burst(&t.p, pk, 70), 64);
	stats_of(&t, &s);
	assert_int_equal(s.inserted, 63);
	assert_int_equal(s.refused, 1);
	assert_int_equal(s.dropped_full, 0);
	pf_ring_drop(&t.p, 6);
	stats_of(&t, &s);
	assert_int_equal(s.dropped_full, 6);
	for (i = 0; i < 64; i++) {
		if (i == 3)
			continue;
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, 48, i);
	}
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(pf_ring_put_burst(&t.p, pk + 64, 6), 6);
	assert_int_equal(pf_ring_put_burst(&t.p, pk, 0), 0);
	region_free(&t.reg);
}

static void test_reserve_commit_publish(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	u8 *d;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(pf_ring_commit(&t.p, 1, 1, 1, NULL), -PF_EINVAL);
	assert_int_equal(pf_ring_reserve(&t.p, 100, &d), 0);
	assert_ptr_equal(d, slot_at(&t.reg, 16));
	fill(d, 100, 5);
	assert_int_equal(pf_ring_commit(&t.p, 101, 104, 1005, NULL), -PF_EINVAL);
	assert_int_equal(pf_ring_commit(&t.p, 100, 104, 1005, NULL), 0);
	assert_int_equal(pf_ring_commit(&t.p, 100, 104, 1005, NULL), -PF_EINVAL);
	/* not visible before publish */
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(pf_ring_cons_queued(&t.c), 0);
	pf_ring_publish(&t.p);
	assert_int_equal(pf_ring_cons_queued(&t.c), 1);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 100, 5);
	assert_int_equal(pf_ring_reserve(&t.p, 5000, &d), -PF_E2BIG);
	/* an abandoned reservation leaves nothing behind */
	assert_int_equal(pf_ring_reserve(&t.p, 10, &d), 0);
	pf_ring_publish(&t.p);
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(prod_page(&t.reg)->tot_insert, 1);
	assert_int_equal(prod_page(&t.reg)->tot_drop_full + prod_page(&t.reg)->tot_refused, 0);
	region_free(&t.reg);
}

/* 10-byte packets a ring takes until full; shrink: the first n of them go
 * in through reservations of 1000 bytes committed as 10. */
static u32 fill_with_tens(u32 shrink)
{
	struct ring t;
	struct pf_ring_pkt pk;
	u8 data[10], *d;
	u32 n = 0;

	ring_new(&t, AREA_MIN, 0);
	fill(data, 10, 9);
	pk = (struct pf_ring_pkt){ .data = data, .caplen = 10, .len = 10, .ts_ns = 1 };
	for (; n < shrink; n++) {
		assert_int_equal(pf_ring_reserve(&t.p, 1000, &d), 0);
		memcpy(d, data, 10);
		assert_int_equal(pf_ring_commit(&t.p, 10, 10, 1, NULL), 0);
	}
	pf_ring_publish(&t.p);
	while (pf_ring_put(&t.p, &pk) == 0)
		n++;
	region_free(&t.reg);
	return n;
}

/* A reservation committed shorter keeps only the slot it needs: the consumer
 * sees the short caplen, and the ring's room is exactly that of short puts. */
static void test_commit_shorter_than_reserved(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	u8 *d;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(pf_ring_reserve(&t.p, 1500, &d), 0);
	fill(d, 40, 3);
	assert_int_equal(pf_ring_commit(&t.p, 40, 44, 1003, NULL), 0);
	assert_int_equal(pf_ring_reserve(&t.p, 1500, &d), 0);
	assert_ptr_equal(d, slot_at(&t.reg, 56 + 16));   /* right after a 40-byte slot */
	fill(d, 12, 4);
	assert_int_equal(pf_ring_commit(&t.p, 12, 16, 1004, NULL), 0);
	pf_ring_publish(&t.p);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 40, 3);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	expect_pkt(&v, 12, 4);
	assert_int_equal(prod_page(&t.reg)->tot_bytes, 52);
	region_free(&t.reg);
	assert_int_equal(fill_with_tens(3), fill_with_tens(0));
}

static void test_queued_and_watermark(void **state)
{
	struct ring t;
	struct pf_ring_view b[4];
	struct pf_ring_stats s;
	u32 i;

	(void)state;
	ring_new(&t, 1 << 16, 0);
	assert_false(pf_ring_prod_should_wake(&t.p, 0));
	assert_false(pf_ring_cons_ready(&t.c, 1));
	for (i = 0; i < 5; i++)
		assert_int_equal(put_one(&t.p, 60, i), 0);
	assert_int_equal(pf_ring_cons_queued(&t.c), 5);
	assert_int_equal(pf_ring_prod_queued(&t.p), 5);
	assert_true(pf_ring_prod_should_wake(&t.p, 5));
	assert_false(pf_ring_prod_should_wake(&t.p, 6));
	assert_true(pf_ring_prod_should_wake(&t.p, 0));
	assert_true(pf_ring_cons_ready(&t.c, 5));
	assert_false(pf_ring_cons_ready(&t.c, 6));

	assert_int_equal(pf_ring_recv_burst(&t.c, b, 2), 2);
	assert_int_equal(pf_ring_cons_queued(&t.c), 3);
	assert_int_equal(pf_ring_prod_queued(&t.p), 5);   /* not released yet */
	pf_ring_release(&t.c);
	assert_int_equal(pf_ring_prod_queued(&t.p), 3);
	assert_false(pf_ring_prod_should_wake(&t.p, 4));
	stats_of(&t, &s);
	assert_int_equal(s.inserted, s.read + s.queued);
	assert_int_equal(s.read, 2);

	/* the producer does not trust the consumer's count */
	cons_page(&t.reg)->tot_read = 1000;
	assert_int_equal(pf_ring_prod_queued(&t.p), 0);
	region_free(&t.reg);
}

static void test_reattach_resumes(void **state)
{
	struct ring t;
	struct pf_ring_cons c2;
	struct pf_ring_view v;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	for (u32 i = 0; i < 4; i++)
		assert_int_equal(put_one(&t.p, 100, i), 0);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	pf_ring_release(&t.c);
	assert_int_equal(pf_ring_attach(&c2, t.reg.mem, t.reg.size, NULL, 0), 0);
	assert_int_equal(pf_ring_cons_queued(&c2), 3);
	assert_int_equal(pf_ring_recv(&c2, &v), 1);
	expect_pkt(&v, 100, 1);
	region_free(&t.reg);
}

/* The end of production: NONE until the producer ends, then its reason, seen
 * by a consumer attached before and one attached after; every packet
 * inserted before the end is still read, then the ring is empty. */
static void test_end_after_last_packet(void **state)
{
	struct ring t;
	struct pf_ring_cons late;
	struct pf_ring_view v;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(pf_ring_cons_ended(&t.c), PF_RING_END_NONE);
	for (u32 i = 0; i < 3; i++)
		assert_int_equal(put_one(&t.p, 60, i), 0);
	assert_int_equal(pf_ring_cons_ended(&t.c), PF_RING_END_NONE);
	pf_ring_prod_end(&t.p, PF_RING_END_DEVICE_GONE);
	assert_int_equal(pf_ring_cons_ended(&t.c), PF_RING_END_DEVICE_GONE);
	assert_int_equal(prod_page(&t.reg)->end_reason, PF_RING_END_DEVICE_GONE);
	assert_int_equal(pf_ring_attach(&late, t.reg.mem, t.reg.size, NULL, 0), 0);
	assert_int_equal(pf_ring_cons_ended(&late), PF_RING_END_DEVICE_GONE);
	for (u32 i = 0; i < 3; i++) {
		assert_int_equal(pf_ring_recv(&t.c, &v), 1);
		expect_pkt(&v, 60, i);
	}
	assert_int_equal(pf_ring_recv(&t.c, &v), 0);
	assert_int_equal(pf_ring_cons_queued(&t.c), 0);
	region_check_guard(&t.reg);
	region_free(&t.reg);
}

/* ------------------------------------------------------------- headers */

static void test_short_vs_long_header(void **state)
{
	struct ring s, l;
	struct pfring_extended_pkthdr ext, out;
	struct pf_ring_pkt pkt;
	struct pf_ring_view v;
	u8 data[60], buf[64];

	(void)state;
	ring_new(&s, AREA_MIN, 0);
	ring_new(&l, AREA_MIN, PF_RING_LAYOUT_LONG_HDR);
	assert_int_equal(prod_page(&l.reg)->flags, PF_RING_LAYOUT_LONG_HDR);
	assert_int_equal(prod_page(&l.reg)->slot_hdr_size, 16 + sizeof(ext));

	memset(&ext, 0, sizeof(ext));
	ext.timestamp_ns = 123456789;
	ext.rx_direction = 1;
	ext.if_index = 7;
	ext.pkt_hash = 0xdeadbeef;
	ext.tx.bounce_interface = 3;
	ext.tx.reserved = &ext;            /* a "kernel pointer": must not be stored */
	ext.parsed_header_len = 0;
	ext.parsed_pkt.l3_proto = 6;
	ext.parsed_pkt.l4_dst_port = 80;
	ext.parsed_pkt.offset.l4_offset = 34;
	fill(data, 60, 9);
	pkt = (struct pf_ring_pkt){ data, 60, 64, 1009, &ext };

	assert_int_equal(pf_ring_put(&s.p, &pkt), 0);
	assert_int_equal(pf_ring_put(&l.p, &pkt), 0);
	assert_int_equal(prod_page(&s.reg)->insert_off, 80);
	assert_int_equal(prod_page(&l.reg)->insert_off, 16 + sizeof(ext) + 64);

	assert_int_equal(pf_ring_recv(&s.c, &v), 1);
	assert_null(v.ext);
	expect_pkt(&v, 60, 9);
	assert_ptr_equal(v.data, slot_at(&s.reg, 16));

	assert_int_equal(pf_ring_recv(&l.c, &v), 1);
	expect_pkt(&v, 60, 9);
	assert_non_null(v.ext);
	assert_ptr_equal(v.data, slot_at(&l.reg, 16 + sizeof(ext)));
	assert_null(v.ext->tx.reserved);
	ext.tx.reserved = NULL;
	assert_memory_equal(v.ext, &ext, sizeof(ext));

	/* copy mode hands out the extended header on long rings only */
	pkt.ext = NULL;
	assert_int_equal(pf_ring_put(&l.p, &pkt), 0);   /* NULL ext: stored as zeros */
	assert_int_equal(pf_ring_put(&s.p, &pkt), 0);
	memset(&out, 0x5A, sizeof(out));
	assert_int_equal(pf_ring_recv_copy(&l.c, buf, sizeof(buf), &v, &out), 1);
	memset(&ext, 0, sizeof(ext));
	assert_memory_equal(&out, &ext, sizeof(ext));
	memset(&out, 0x5A, sizeof(out));
	assert_int_equal(pf_ring_recv_copy(&s.c, buf, sizeof(buf), &v, &out), 1);
	assert_int_equal(((u8 *)&out)[0], 0x5A);
	assert_int_equal(((u8 *)&out)[sizeof(out) - 1], 0x5A);

	/* a long-header ring cannot be read as a short-header one */
	prod_page(&l.reg)->flags = 0;
	assert_int_equal(pf_ring_attach(&l.c, l.reg.mem, l.reg.size, NULL, 0), -PF_EPROTO);
	region_free(&s.reg);
	region_free(&l.reg);
}

/* ------------------------------------------------------- hostile peers */

static u64 rng_state;

static u64 rng64(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void test_hostile_consumer_offset(void **state)
{
	struct ring t;
	struct pf_ring_cons_page *cp;
	struct pf_ring_stats s;
	u8 cp_copy[PF_RING_PAGE_SIZE];
	u64 bad[] = { AREA_MIN, AREA_MIN + 8, 4, 4095, ~0ull, 1ull << 63, 0x8000000000000008ull };
	u32 i, inserted = 0, drops = 0, bad_seen = 0;
	int ret;

	(void)state;
	ring_new(&t, AREA_MIN, 0);
	cp = cons_page(&t.reg);
	/* fill the ring so the producer has to look at read_off */
	for (i = 0; i < 63; i++)
		assert_int_equal(put_one(&t.p, 48, i), 0);
	inserted = 63;

	for (i = 0; i < PF_ARRAY_SIZE(bad); i++) {
		cp->read_off = bad[i];
		assert_int_equal(put_one(&t.p, 48, 0), -PF_ENOSPC);
		drops++;
		bad_seen++;
	}
	stats_of(&t, &s);
	assert_int_equal(s.bad_peer, bad_seen);
	assert_int_equal(s.dropped_full, drops);
	assert_int_equal(s.inserted, inserted);

	/* random offsets, in range or not, and random sizes: the producer stays
	 * inside its region and never writes the consumer page */
	rng_state = 42;
	for (i = 0; i < 20000; i++) {
		u64 r = rng64();

		cp->read_off = (i & 1) ? r % (AREA_MIN + 64) : r;
		if (i % 3 == 0)
			cp->read_off &= ~7ull;
		memcpy(cp_copy, cp, sizeof(cp_copy));
		ret = put_one(&t.p, (u32)(rng64() % 2100), i);
		assert_true(ret == 0 || ret == -PF_ENOSPC || ret == -PF_E2BIG);
		assert_memory_equal(cp, cp_copy, sizeof(cp_copy));
		assert_true(prod_page(&t.reg)->insert_off < AREA_MIN);
		assert_int_equal(prod_page(&t.reg)->insert_off % 8, 0);
	}
	region_check_guard(&t.reg);
	stats_of(&t, &s);
	assert_true(s.bad_peer > bad_seen);
	assert_int_equal(s.inserted + s.dropped_full + s.refused, 63 + PF_ARRAY_SIZE(bad) + 20000);
	region_free(&t.reg);
}

static void test_corrupt_producer_side(void **state)
{
	struct ring t;
	struct pf_ring_view v;
	struct pf_ring_slot_hdr *h;
	u8 buf[64];

	(void)state;
	/* slot caplen beyond max_caplen */
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 48, 1), 0);
	h = (struct pf_ring_slot_hdr *)slot_at(&t.reg, 0);
	h->caplen = 1u << 20;
	assert_int_equal(pf_ring_recv(&t.c, &v), -PF_EBADMSG);
	assert_int_equal(pf_ring_recv(&t.c, &v), -PF_EBADMSG);   /* stays dead */
	assert_int_equal(pf_ring_peek(&t.c, &v), -PF_EBADMSG);
	assert_int_equal(pf_ring_recv_burst(&t.c, &v, 1), -PF_EBADMSG);
	assert_int_equal(pf_ring_recv_copy(&t.c, buf, sizeof(buf), &v, NULL), -PF_EBADMSG);
	assert_int_equal(pf_ring_advance(&t.c), -PF_EBADMSG);
	region_free(&t.reg);

	/* slot running past insert_off */
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 48, 1), 0);
	((struct pf_ring_slot_hdr *)slot_at(&t.reg, 0))->caplen = 56;
	assert_int_equal(pf_ring_recv(&t.c, &v), -PF_EBADMSG);
	region_free(&t.reg);

	/* insert_off outside the slot area, or unaligned */
	ring_new(&t, AREA_MIN, 0);
	prod_page(&t.reg)->insert_off = AREA_MIN;
	assert_int_equal(pf_ring_recv(&t.c, &v), -PF_EBADMSG);
	region_free(&t.reg);
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 48, 1), 0);
	prod_page(&t.reg)->insert_off = 12;
	assert_int_equal(pf_ring_peek(&t.c, &v), -PF_EBADMSG);
	region_free(&t.reg);

	/* wrap marker while the producer has not wrapped */
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 48, 1), 0);
	((struct pf_ring_slot_hdr *)slot_at(&t.reg, 0))->caplen = PF_RING_SLOT_WRAP;
	assert_int_equal(pf_ring_recv(&t.c, &v), -PF_EBADMSG);
	region_free(&t.reg);

	/* a slot straddling the end after a wrap */
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 2000, 1), 0);      /* 2016 */
	assert_int_equal(put_one(&t.p, 2000 - 32, 2), 0); /* up to 4000 */
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	assert_int_equal(pf_ring_recv(&t.c, &v), 1);
	pf_ring_release(&t.c);
	assert_int_equal(put_one(&t.p, 100, 3), 0);       /* marker at 4000, slot at 0 */
	((struct pf_ring_slot_hdr *)slot_at(&t.reg, 4000))->caplen = 200;
	assert_int_equal(pf_ring_recv(&t.c, &v), -PF_EBADMSG);
	region_free(&t.reg);

	/* a recv_burst returns the good packets before the corruption first */
	ring_new(&t, AREA_MIN, 0);
	assert_int_equal(put_one(&t.p, 48, 1), 0);
	assert_int_equal(put_one(&t.p, 48, 2), 0);
	((struct pf_ring_slot_hdr *)slot_at(&t.reg, 64))->caplen = 3000;
	{
		struct pf_ring_view b[4];

		assert_int_equal(pf_ring_recv_burst(&t.c, b, 4), 1);
		expect_pkt(&b[0], 48, 1);
		assert_int_equal(pf_ring_recv_burst(&t.c, b, 4), -PF_EBADMSG);
	}
	region_free(&t.reg);
}

/* ------------------------------------------------------------- threads */

/*
 * Producer and consumer threads move N packets of random sizes (60..1514,
 * fixed seed). Each packet carries its sequence number (bytes 0..7) and a
 * checksum (bytes 8..15) of its bytes 16..caplen, which are pseudo-random; the
 * header carries len = caplen + seq % 3 and ts = seq. The producer retries on a
 * full ring (counting its own failures) and cycles through put, put_burst and
 * reserve/commit; the consumer cycles through recv, recv_burst, recv_copy and
 * peek/advance.
 */
struct mt {
	struct ring t;
	u64 n;
	u64 prod_failures;       /* -PF_ENOSPC results of pf_ring_put (counted drops) */
	u64 received;
	const char *failure;     /* consumer's first failure */
	u64 fail_seq;
};

static u64 split(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static u32 mt_size(u64 *s)
{
	return 60 + (u32)(split(s) % (1514 - 60 + 1));
}

static u64 mt_sum(const u8 *p, u32 n)
{
	u64 a = 0x12345, b = 0;
	u32 i = 0;

	for (; i + 8 <= n; i += 8) {
		u64 w;

		memcpy(&w, p + i, 8);
		a += w;
		b += a;
	}
	for (; i < n; i++) {
		a += p[i];
		b += a;
	}
	return a ^ (b << 1);
}

static void mt_make(u8 *buf, u64 seq, u32 caplen)
{
	u64 s = seq * 0x2545F4914F6CDD1Dull + 1, sum;
	u32 i;

	memcpy(buf, &seq, 8);
	for (i = 16; i + 8 <= caplen; i += 8) {
		u64 w = split(&s);

		memcpy(buf + i, &w, 8);
	}
	for (; i < caplen; i++)
		buf[i] = (u8)split(&s);
	sum = mt_sum(buf + 16, caplen - 16);
	memcpy(buf + 8, &sum, 8);
}

static void mt_fail(struct mt *m, const char *why, u64 seq)
{
	m->fail_seq = seq;
	__atomic_store_n(&m->failure, why, __ATOMIC_RELEASE);
}

static int mt_failed(struct mt *m)
{
	return __atomic_load_n(&m->failure, __ATOMIC_ACQUIRE) != NULL;
}

static void mt_wait(void)
{
	sched_yield();
}

static u64 now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec;
}

static void *mt_producer(void *arg)
{
	struct mt *m = arg;
	struct pf_ring_prod *p = &m->t.p;
	static u8 bufs[32][1514];
	struct pf_ring_pkt pk[32];
	u64 sizes = 7, seq = 0;
	u32 mode = 0;

	while (seq < m->n && !mt_failed(m)) {
		u32 n = 1 + (u32)(seq % 29), i;

		if (n > m->n - seq)
			n = (u32)(m->n - seq);
		for (i = 0; i < n; i++) {
			u32 caplen = mt_size(&sizes);

			mt_make(bufs[i], seq + i, caplen);
			pk[i] = (struct pf_ring_pkt){ bufs[i], caplen, caplen + (u32)((seq + i) % 3),
						      seq + i, NULL };
		}
		mode = (mode + 1) % 3;
		if (mode == 0) {                       /* put, retrying */
			for (i = 0; i < n; i++) {
				while (pf_ring_put(p, &pk[i]) != 0) {
					m->prod_failures++;
					if (mt_failed(m))
						return NULL;
					mt_wait();
				}
			}
		} else if (mode == 1) {                /* bursts */
			u32 done = 0;

			while (done < n) {
				done += pf_ring_put_burst(p, pk + done, n - done);
				if (done < n) {
					if (mt_failed(m))
						return NULL;
					mt_wait();
				}
			}
		} else {                               /* reserve / commit, one publish */
			for (i = 0; i < n; i++) {
				u8 *d;

				while (pf_ring_reserve(p, pk[i].caplen, &d) != 0) {
					pf_ring_publish(p);
					if (mt_failed(m))
						return NULL;
					mt_wait();
				}
				memcpy(d, pk[i].data, pk[i].caplen);
				pf_ring_commit(p, pk[i].caplen, pk[i].len, pk[i].ts_ns, NULL);
			}
			pf_ring_publish(p);
		}
		seq += n;
	}
	return NULL;
}

/* Check one received packet: NULL, or what is wrong with it. */
static const char *mt_check(const struct pf_ring_view *v, u32 want_caplen, u64 seq)
{
	u64 got_seq, sum;

	if (v->caplen != want_caplen)
		return "caplen";
	memcpy(&got_seq, v->data, 8);
	if (got_seq != seq)
		return "sequence (lost or reordered)";
	if (v->len != want_caplen + seq % 3 || v->ts_ns != seq)
		return "header";
	memcpy(&sum, v->data + 8, 8);
	if (sum != mt_sum(v->data + 16, want_caplen - 16))
		return "checksum (torn packet)";
	return NULL;
}

static void *mt_consumer(void *arg)
{
	struct mt *m = arg;
	struct pf_ring_cons *c = &m->t.c;
	struct pf_ring_view v[32];
	static u8 buf[1514];
	u64 sizes = 7, seq = 0, idle = 0, idle_since = 0;
	const char *bad = NULL;
	u32 mode = 0;
	int ret, i;

	while (seq < m->n && !bad) {
		mode = (mode + 1) & 3;
		if (mode == 0)
			ret = pf_ring_recv(c, v);
		else if (mode == 1)
			ret = pf_ring_recv_burst(c, v, 1 + (u32)(seq % 32));
		else if (mode == 2)
			ret = pf_ring_recv_copy(c, buf, sizeof(buf), v, NULL);
		else
			ret = pf_ring_peek(c, v);
		if (ret < 0) {
			bad = "ring reported corruption";
			break;
		}
		if (ret == 0) {
			if ((++idle & 0xfffff) == 0) {   /* stalled for a minute? */
				if (!idle_since)
					idle_since = now_s();
				else if (now_s() - idle_since > 60)
					bad = "stalled";
			}
			mt_wait();
			continue;
		}
		idle = idle_since = 0;
		for (i = 0; i < ret && !bad; i++) {
			bad = mt_check(&v[i], mt_size(&sizes), seq);
			if (!bad)
				seq++;
		}
		if (mode == 3 && !bad)
			pf_ring_advance(c);
	}
	if (bad)
		mt_fail(m, bad, seq);
	pf_ring_release(c);
	m->received = seq;
	return NULL;
}

static void test_threads_move_packets(void **state)
{
	static struct mt m;
	pthread_t pt, ct;
	struct pf_ring_stats s;
	struct pf_ring_view v;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.n = quick() ? 200000 : 10000000;
	ring_new(&m.t, 256 * 1024, 0);
	assert_int_equal(pthread_create(&ct, NULL, mt_consumer, &m), 0);
	assert_int_equal(pthread_create(&pt, NULL, mt_producer, &m), 0);
	assert_int_equal(pthread_join(pt, NULL), 0);
	assert_int_equal(pthread_join(ct, NULL), 0);
	if (m.failure)
		fail_msg("consumer failed at seq %llu: %s", (unsigned long long)m.fail_seq, m.failure);
	assert_int_equal(m.received, m.n);
	assert_int_equal(pf_ring_recv(&m.t.c, &v), 0);
	pf_ring_cons_stats(&m.t.c, &s);
	assert_int_equal(s.inserted, m.n);
	assert_int_equal(s.read, m.n);
	assert_int_equal(s.queued, 0);
	assert_int_equal(s.dropped_full, m.prod_failures);
	assert_int_equal(s.refused + s.bad_peer, 0);
	assert_int_equal(cons_page(&m.t.reg)->tot_read, m.n);
	assert_int_equal(cons_page(&m.t.reg)->read_off, prod_page(&m.t.reg)->insert_off);
	region_free(&m.t.reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_sizes),
		cmocka_unit_test(test_init_attach_happy),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_attach_too_small),
		cmocka_unit_test(test_attach_bad_magic),
		cmocka_unit_test(test_attach_abi_mismatch),
		cmocka_unit_test(test_attach_corrupt_header),
		cmocka_unit_test(test_put_peek_advance_exact),
		cmocka_unit_test(test_every_small_size),
		cmocka_unit_test(test_full_ring_drops_counted),
		cmocka_unit_test(test_wrap_exact_end),
		cmocka_unit_test(test_wrap_tail_too_small),
		cmocka_unit_test(test_wrap_marker_needs_room_at_start),
		cmocka_unit_test(test_zero_copy_valid_until_next_call),
		cmocka_unit_test(test_copy_truncation),
		cmocka_unit_test(test_oversize_refused),
		cmocka_unit_test(test_put_burst),
		cmocka_unit_test(test_reserve_commit_publish),
		cmocka_unit_test(test_commit_shorter_than_reserved),
		cmocka_unit_test(test_queued_and_watermark),
		cmocka_unit_test(test_reattach_resumes),
		cmocka_unit_test(test_end_after_last_packet),
		cmocka_unit_test(test_short_vs_long_header),
		cmocka_unit_test(test_hostile_consumer_offset),
		cmocka_unit_test(test_corrupt_producer_side),
		cmocka_unit_test(test_threads_move_packets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
