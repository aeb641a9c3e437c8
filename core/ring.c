/*
 * core/ring.c - the single-producer / single-consumer slot ring (see ring.h for
 * the layout and the head/tail contract).
 *
 * Longer than our usual file, on purpose: each side validates what the other
 * wrote (the consumer page is writable by user space), and the checks are
 * only reviewable with both sides' writes in view, so producer and consumer
 * stay in one file.
 */
#include "ring.h"

#define ALIGN8(x)        (((x) + 7) & ~(u64)7)
#define SLOT_HDR_SHORT   ((u32)sizeof(struct pf_ring_slot_hdr))
#define SLOT_HDR_LONG    ((u32)(SLOT_HDR_SHORT + ALIGN8(sizeof(struct pfring_extended_pkthdr))))
#define MAX_SLOT_BYTES   (1u << 30)   /* keeps caplen and slot sizes far from u32 overflow */
#define MIN_REGION       ((u64)PF_RING_SLOTS_OFF + PF_RING_MIN_SLOT_AREA)
#define RING_INLINE      inline __attribute__((__always_inline__))

/* The layout is an ABI: pin it. */
_Static_assert(sizeof(struct pf_ring_prod_page) == PF_RING_PAGE_SIZE, "producer page size");
_Static_assert(sizeof(struct pf_ring_cons_page) == PF_RING_PAGE_SIZE, "consumer page size");
_Static_assert(__builtin_offsetof(struct pf_ring_prod_page, insert_off) == 128, "insert_off line");
_Static_assert(__builtin_offsetof(struct pf_ring_prod_page, tot_drop_full) == 256, "drop line");
_Static_assert(__builtin_offsetof(struct pf_ring_prod_page, end_reason) == 280, "end_reason");
_Static_assert(__builtin_offsetof(struct pf_ring_cons_page, read_off) == 0, "read_off line");
_Static_assert(sizeof(struct pf_ring_slot_hdr) == 16, "slot header size");
_Static_assert(PF_RING_SLOTS_OFF % PF_RING_PAGE_SIZE == 0, "slot area page aligned");

/* ---------------------------------------------------------------- sizes */

static u32 hdr_size_for(u32 flags)
{
	return (flags & PF_RING_LAYOUT_LONG_HDR) ? SLOT_HDR_LONG : SLOT_HDR_SHORT;
}

static u64 slot_area_for(u64 region_size)
{
	return (region_size - PF_RING_SLOTS_OFF) & ~(u64)7;
}

/* Slots up to half the area always fit into an empty ring wherever the
 * producer stands (even when it has to wrap first), so a producer that
 * retries on a full ring is never stuck on a packet that "fits". */
static u32 max_caplen_for(u64 area, u32 hdr_size)
{
	u64 max_slot = (area >> 1) & ~(u64)7;

	if (max_slot > MAX_SLOT_BYTES)
		max_slot = MAX_SLOT_BYTES;
	return (u32)(max_slot - hdr_size);
}

size_t pf_ring_layout_size(size_t slot_area_bytes)
{
	size_t page = PF_RING_PAGE_SIZE;

	if (slot_area_bytes < PF_RING_MIN_SLOT_AREA)
		slot_area_bytes = PF_RING_MIN_SLOT_AREA;
	if (slot_area_bytes > (size_t)-1 - PF_RING_SLOTS_OFF - page)
		return 0;
	return PF_RING_SLOTS_OFF + ((slot_area_bytes + page - 1) & ~(page - 1));
}

u64 pf_ring_slot_bytes(u32 flags, u32 caplen)
{
	return ALIGN8((u64)hdr_size_for(flags) + caplen);
}

/* ------------------------------------------------------------- producer */

int pf_ring_init(struct pf_ring_prod *p, void *mem, size_t size, u32 flags)
{
	struct pf_ring_prod_page *pp = mem;
	u64 area;

	if (!p || !mem || ((uintptr_t)mem & 7) || (u64)size < MIN_REGION ||
	    (flags & ~PF_RING_LAYOUT_FLAGS))
		return -PF_EINVAL;
	area = slot_area_for(size);

	pf_memset(p, 0, sizeof(*p));
	p->pp = pp;
	p->cp = (struct pf_ring_cons_page *)((u8 *)mem + PF_RING_CONS_PAGE_OFF);
	p->slots = (u8 *)mem + PF_RING_SLOTS_OFF;
	p->size = area;
	p->hdr_size = hdr_size_for(flags);
	p->max_caplen = max_caplen_for(area, p->hdr_size);
	p->room = area;

	pf_store_relaxed(&pp->magic, 0);
	pf_memset(p->cp, 0, sizeof(*p->cp));
	pf_memset((u8 *)pp + 4, 0, sizeof(*pp) - 4);
	pp->abi_version = PF_RING_ABI_VERSION;
	pp->layout_version = PF_RING_LAYOUT_VERSION;
	pp->flags = flags;
	pp->region_size = size;
	pp->slots_off = PF_RING_SLOTS_OFF;
	pp->slot_area_size = area;
	pp->slot_hdr_size = p->hdr_size;
	pp->max_caplen = p->max_caplen;
	pf_store_release(&pp->magic, PF_RING_MAGIC);
	return 0;
}

/*
 * Take over as producer of a ring some earlier producer laid out (with the same
 * flags) in mem[0 .. size): continue at its published insert_off and totals.
 * Only valid when no other producer is running and the earlier one left no
 * open reservation (an unpublished slot is simply overwritten).
 */
int pf_ring_resume(struct pf_ring_prod *p, void *mem, size_t size, u32 flags)
{
	struct pf_ring_prod_page *pp = mem;
	u64 ins;

	if (!p || !mem || ((uintptr_t)mem & 7) || (u64)size < MIN_REGION ||
	    (flags & ~PF_RING_LAYOUT_FLAGS))
		return -PF_EINVAL;
	pf_memset(p, 0, sizeof(*p));
	p->pp = pp;
	p->cp = (struct pf_ring_cons_page *)((u8 *)mem + PF_RING_CONS_PAGE_OFF);
	p->slots = (u8 *)mem + PF_RING_SLOTS_OFF;
	p->size = slot_area_for(size);
	p->hdr_size = hdr_size_for(flags);
	p->max_caplen = max_caplen_for(p->size, p->hdr_size);
	ins = pf_load_relaxed(&pp->insert_off);
	if (pf_load_acquire(&pp->magic) != PF_RING_MAGIC ||
	    pf_load_relaxed(&pp->flags) != flags ||
	    pf_load_relaxed(&pp->region_size) != (u64)size ||
	    pf_load_relaxed(&pp->slot_area_size) != p->size ||
	    pf_load_relaxed(&pp->slot_hdr_size) != p->hdr_size ||
	    pf_load_relaxed(&pp->max_caplen) != p->max_caplen ||
	    ins >= p->size || (ins & 7))
		return -PF_EPROTO;
	p->ins = ins;
	p->room = 0;   /* reloaded from read_off at the first reserve */
	p->tot_insert = pf_load_relaxed(&pp->tot_insert);
	p->tot_bytes = pf_load_relaxed(&pp->tot_bytes);
	p->tot_drop_full = pf_load_relaxed(&pp->tot_drop_full);
	p->tot_refused = pf_load_relaxed(&pp->tot_refused);
	p->tot_bad_peer = pf_load_relaxed(&pp->tot_bad_peer);
	return 0;
}

/*
 * Copy packet bytes into a slot. Packets are mostly small, and a call to
 * memcpy for 64 bytes costs more than the copy: up to 128 bytes are copied
 * inline with fixed-size (overlapping) chunks that never read past src[n).
 */
static RING_INLINE void ring_copy(u8 *d, const u8 *s, u32 n)
{
	if (n - 32 <= 32) {                 /* 32 .. 64, the common case first */
		pf_memcpy(d, s, 32);
		pf_memcpy(d + n - 32, s + n - 32, 32);
	} else if (n > 128) {
		pf_memcpy(d, s, n);
	} else if (n > 64) {
		pf_memcpy(d, s, 32);
		pf_memcpy(d + 32, s + 32, 32);
		pf_memcpy(d + n - 64, s + n - 64, 32);
		pf_memcpy(d + n - 32, s + n - 32, 32);
	} else if (n >= 16) {
		pf_memcpy(d, s, 16);
		pf_memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		pf_memcpy(d, s, 8);
		pf_memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		pf_memcpy(d, s, 4);
		pf_memcpy(d + n - 4, s + n - 4, 4);
	} else if (n) {
		d[0] = s[0];
		d[n >> 1] = s[n >> 1];
		d[n - 1] = s[n - 1];
	}
}

/* The producer's geometry and moving state, copied into locals for a burst so
 * the compiler keeps them in registers across the (aliasing) byte copies. */
struct prod_geo {
	u8 *slots;
	u64 size;
	u32 hdr, maxc;
};

struct prod_cur {
	u64 ins, room;
};

static inline struct prod_geo prod_geo(const struct pf_ring_prod *p)
{
	struct prod_geo g = { p->slots, p->size, p->hdr_size, p->max_caplen };

	return g;
}

/* Reload the consumer's tail: the free room from ins, keeping nothing back
 * (callers keep the 8-byte gap that tells full from empty). An impossible
 * read_off is counted and gives no room at all. */
static u64 prod_reload_room(struct pf_ring_prod *p, u64 ins)
{
	u64 r = pf_load_acquire(&p->cp->read_off);

	if (PF_UNLIKELY(r >= p->size || (r & 7))) {
		p->tot_bad_peer++;
		pf_store_relaxed(&p->pp->tot_bad_peer, p->tot_bad_peer);
		return 0;
	}
	return r > ins ? r - ins : p->size - ins + r;
}

/*
 * Find room for one slot of caplen bytes. On success returns 0 with the slot's
 * position in *pos and the bytes it uses up (a skipped tail included) in
 * *total; a wrap marker is already written when the slot goes to offset 0.
 */
static inline int prod_place(struct pf_ring_prod *p, const struct prod_geo *g,
			     struct prod_cur *cur, u32 caplen, u64 *pos, u64 *total)
{
	u64 need, tail = g->size - cur->ins;

	if (PF_UNLIKELY(caplen > g->maxc))
		return -PF_E2BIG;
	need = ALIGN8((u64)g->hdr + caplen);
	if (PF_LIKELY(need <= tail)) {
		*pos = cur->ins;
		*total = need;
	} else {
		*pos = 0;
		*total = tail + need;
	}
	if (PF_UNLIKELY(*total >= cur->room)) {
		cur->room = prod_reload_room(p, cur->ins);
		if (*total >= cur->room)
			return -PF_ENOSPC;
	}
	if (PF_UNLIKELY(*pos != cur->ins))
		((struct pf_ring_slot_hdr *)(g->slots + cur->ins))->caplen = PF_RING_SLOT_WRAP;
	return 0;
}

static RING_INLINE void prod_write_hdr(u8 *slots, u32 hdr, u64 pos, u32 caplen, u32 len,
				       u64 ts_ns, const struct pfring_extended_pkthdr *ext)
{
	struct pf_ring_slot_hdr *h = (struct pf_ring_slot_hdr *)(slots + pos);
	struct pfring_extended_pkthdr *e;

	h->caplen = caplen;
	h->len = len;
	h->ts_ns = ts_ns;
	if (PF_LIKELY(hdr == SLOT_HDR_SHORT))
		return;
	e = (struct pfring_extended_pkthdr *)(h + 1);
	if (ext) {
		pf_memcpy(e, ext, sizeof(*e));
		e->tx.reserved = (void *)0;   /* never leak a kernel pointer */
	} else {
		pf_memset(e, 0, sizeof(*e));
	}
}

/* Move past one written slot (local only; published by pf_ring_publish()). */
static inline void prod_advance(const struct prod_geo *g, struct prod_cur *cur, u64 pos,
				u32 caplen, u64 total)
{
	u64 end = pos + ALIGN8((u64)g->hdr + caplen);

	cur->ins = end == g->size ? 0 : end;
	cur->room -= total;
}

void pf_ring_publish(struct pf_ring_prod *p)
{
	pf_store_relaxed(&p->pp->tot_insert, p->tot_insert);
	pf_store_relaxed(&p->pp->tot_bytes, p->tot_bytes);
	pf_store_release(&p->pp->insert_off, p->ins);
}

static void prod_count(struct pf_ring_prod *p, int err, u32 n)
{
	if (err == -PF_E2BIG) {
		p->tot_refused += n;
		pf_store_relaxed(&p->pp->tot_refused, p->tot_refused);
	} else {
		p->tot_drop_full += n;
		pf_store_relaxed(&p->pp->tot_drop_full, p->tot_drop_full);
	}
}

void pf_ring_drop(struct pf_ring_prod *p, u32 n)
{
	prod_count(p, -PF_ENOSPC, n);
}

void pf_ring_refuse(struct pf_ring_prod *p, u32 n)
{
	prod_count(p, -PF_E2BIG, n);
}

/* One packet through the general path (wrap, reload, exact end, refusal). */
static inline int prod_put_slow(struct pf_ring_prod *p, const struct prod_geo *g,
				struct prod_cur *cur, const struct pf_ring_pkt *pkt)
{
	u64 pos, total;
	int err = prod_place(p, g, cur, pkt->caplen, &pos, &total);

	if (err)
		return err;
	prod_write_hdr(g->slots, g->hdr, pos, pkt->caplen, pkt->len, pkt->ts_ns, pkt->ext);
	ring_copy(g->slots + pos + g->hdr, pkt->data, pkt->caplen);
	prod_advance(g, cur, pos, pkt->caplen, total);
	return 0;
}

/*
 * The fast path of a burst: pkts[i ..] whose slots end at or before lim need no
 * wrap, no reload of read_off and no end-of-area check. hdr is a constant in
 * the short-header instance, so that one has no per-packet header test.
 * Returns the index of the first packet it did not take.
 */
static RING_INLINE u32 prod_fast(const struct prod_geo *g, u32 hdr,
				 const struct pf_ring_pkt *pkts, u32 i, u32 n,
				 u64 *insp, u64 lim, u64 *bytesp)
{
	u64 ins = *insp, bytes = *bytesp;

	for (; i < n; i++) {
		u32 caplen = pkts[i].caplen;
		u64 end = ins + ALIGN8((u64)hdr + caplen);

		if (PF_UNLIKELY(end > lim || caplen > g->maxc))
			break;
		prod_write_hdr(g->slots, hdr, ins, caplen, pkts[i].len, pkts[i].ts_ns, pkts[i].ext);
		ring_copy(g->slots + ins + hdr, pkts[i].data, caplen);
		bytes += caplen;
		ins = end;
	}
	*insp = ins;
	*bytesp = bytes;
	return i;
}

/*
 * Insert pkts in order, refusing (and counting) the too large, until one does
 * not fit; publish once. Returns how many were taken, *inserted how many went
 * in.
 */
static u32 prod_burst(struct pf_ring_prod *p, const struct pf_ring_pkt *pkts, u32 n,
		      u32 *inserted)
{
	struct prod_geo g = prod_geo(p);
	struct prod_cur cur = { p->ins, p->room };
	u64 bytes = 0;
	u32 i = 0, refused = 0;
	int err;

	p->res_open = 0;
	while (i < n) {
		u64 ins = cur.ins, lim = ins;

		if (cur.room) {   /* room is a multiple of 8; keep the 8-byte gap */
			lim = ins + cur.room - 8;
			if (lim > g.size - 8)
				lim = g.size - 8;
		}
		if (g.hdr == SLOT_HDR_SHORT)
			i = prod_fast(&g, SLOT_HDR_SHORT, pkts, i, n, &ins, lim, &bytes);
		else
			i = prod_fast(&g, g.hdr, pkts, i, n, &ins, lim, &bytes);
		cur.room -= ins - cur.ins;
		cur.ins = ins;
		if (i == n)
			break;
		err = prod_put_slow(p, &g, &cur, &pkts[i]);
		if (err == -PF_E2BIG)
			refused++;
		else if (err)
			break;
		else
			bytes += pkts[i].caplen;
		i++;
	}
	p->ins = cur.ins;
	p->room = cur.room;
	if (refused)
		prod_count(p, -PF_E2BIG, refused);
	*inserted = i - refused;
	if (*inserted) {
		p->tot_insert += *inserted;
		p->tot_bytes += bytes;
		pf_ring_publish(p);
	}
	return i;
}

int pf_ring_put(struct pf_ring_prod *p, const struct pf_ring_pkt *pkt)
{
	u32 inserted;

	if (prod_burst(p, pkt, 1, &inserted) == 1)
		return inserted ? 0 : -PF_E2BIG;   /* a refusal is counted already */
	prod_count(p, -PF_ENOSPC, 1);
	return -PF_ENOSPC;
}

u32 pf_ring_put_burst(struct pf_ring_prod *p, const struct pf_ring_pkt *pkts, u32 n)
{
	u32 inserted;

	return prod_burst(p, pkts, n, &inserted);
}

int pf_ring_reserve(struct pf_ring_prod *p, u32 caplen, u8 **data)
{
	struct prod_geo g = prod_geo(p);
	struct prod_cur cur = { p->ins, p->room };
	u64 pos, total;
	int err;

	p->res_open = 0;
	err = prod_place(p, &g, &cur, caplen, &pos, &total);
	p->room = cur.room;
	if (err)
		return err;
	p->res_pos = pos;
	p->res_total = total;
	p->res_caplen = caplen;
	p->res_open = 1;
	*data = g.slots + pos + g.hdr;
	return 0;
}

int pf_ring_commit(struct pf_ring_prod *p, u32 caplen, u32 len, u64 ts_ns,
		   const struct pfring_extended_pkthdr *ext)
{
	struct prod_geo g = prod_geo(p);
	struct prod_cur cur = { p->ins, p->room };
	u64 total;

	if (!p->res_open || caplen > p->res_caplen)
		return -PF_EINVAL;
	p->res_open = 0;
	/* a shorter slot than reserved: give the difference back to room */
	total = p->res_total - (ALIGN8((u64)g.hdr + p->res_caplen) - ALIGN8((u64)g.hdr + caplen));
	prod_write_hdr(g.slots, g.hdr, p->res_pos, caplen, len, ts_ns, ext);
	prod_advance(&g, &cur, p->res_pos, caplen, total);
	p->ins = cur.ins;
	p->room = cur.room;
	p->tot_insert++;
	p->tot_bytes += caplen;
	return 0;
}

u64 pf_ring_prod_queued(const struct pf_ring_prod *p)
{
	u64 rd = pf_load_acquire(&p->cp->tot_read);

	return rd > p->tot_insert ? 0 : p->tot_insert - rd;   /* rd is untrusted */
}

int pf_ring_prod_should_wake(const struct pf_ring_prod *p, u32 watermark)
{
	return pf_ring_prod_queued(p) >= (watermark ? watermark : 1);
}

void pf_ring_prod_stats(const struct pf_ring_prod *p, struct pf_ring_stats *s)
{
	u64 rd = pf_load_acquire(&p->cp->tot_read);

	s->inserted = p->tot_insert;
	s->bytes = p->tot_bytes;
	s->dropped_full = p->tot_drop_full;
	s->refused = p->tot_refused;
	s->bad_peer = p->tot_bad_peer;
	s->read = rd;
	s->queued = pf_ring_prod_queued(p);
}

void pf_ring_prod_end(struct pf_ring_prod *p, u32 reason)
{
	pf_store_release(&p->pp->end_reason, reason);
}

/* ------------------------------------------------- consumer: attach */

/* A bounded, always NUL-terminated message (no libc in core). */
struct msg {
	char *buf;
	size_t cap, len;
};

static void msg_str(struct msg *m, const char *s)
{
	if (!m->buf || !m->cap)
		return;
	while (*s && m->len + 1 < m->cap)
		m->buf[m->len++] = *s++;
	m->buf[m->len] = 0;
}

/* Decimal without 64-bit division (32-bit kernels have no __udivdi3). */
static void msg_u64(struct msg *m, u64 v)
{
	static const u64 pow10[] = {
		10000000000000000000ull, 1000000000000000000ull, 100000000000000000ull,
		10000000000000000ull, 1000000000000000ull, 100000000000000ull,
		10000000000000ull, 1000000000000ull, 100000000000ull, 10000000000ull,
		1000000000ull, 100000000ull, 10000000ull, 1000000ull, 100000ull,
		10000ull, 1000ull, 100ull, 10ull, 1ull,
	};
	char t[21];
	u32 i, n = 0;

	for (i = 0; i < PF_ARRAY_SIZE(pow10); i++) {
		char d = '0';

		while (v >= pow10[i]) {
			v -= pow10[i];
			d++;
		}
		if (d != '0' || n || i == PF_ARRAY_SIZE(pow10) - 1)
			t[n++] = d;
	}
	t[n] = 0;
	msg_str(m, t);
}

static void msg_hex32(struct msg *m, u32 v)
{
	static const char hex[] = "0123456789abcdef";
	char t[11];
	int i;

	t[0] = '0';
	t[1] = 'x';
	for (i = 0; i < 8; i++)
		t[2 + i] = hex[(v >> (28 - 4 * i)) & 0xf];
	t[10] = 0;
	msg_str(m, t);
}

static const char REBUILD[] =
	": rebuild and reload pf_ring.ko from this pfring tree "
	"(or rebuild libpfring from the tree the loaded module came from)";

static int attach_versions(const struct pf_ring_prod_page *pp, struct msg *m)
{
	u32 abi = pf_load_relaxed(&pp->abi_version);
	u32 layout = pf_load_relaxed(&pp->layout_version);
	u32 flags = pf_load_relaxed(&pp->flags);

	if (abi != PF_RING_ABI_VERSION) {
		msg_str(m, "pf_ring ABI mismatch: the ring's producer (pf_ring.ko) has ABI ");
		msg_u64(m, abi);
		msg_str(m, ", this libpfring has ABI ");
		msg_u64(m, PF_RING_ABI_VERSION);
		msg_str(m, REBUILD);
		return -PF_EPROTO;
	}
	if (layout != PF_RING_LAYOUT_VERSION) {
		msg_str(m, "pf_ring ring layout mismatch: the ring's producer (pf_ring.ko) has layout ");
		msg_u64(m, layout);
		msg_str(m, ", this libpfring has layout ");
		msg_u64(m, PF_RING_LAYOUT_VERSION);
		msg_str(m, REBUILD);
		return -PF_EPROTO;
	}
	if (flags & ~PF_RING_LAYOUT_FLAGS) {
		msg_str(m, "pf_ring: corrupt ring header: flags ");
		msg_hex32(m, flags);
		msg_str(m, " are not all known to layout ");
		msg_u64(m, PF_RING_LAYOUT_VERSION);
		return -PF_EPROTO;
	}
	return 0;
}

/* The consumer trusts nothing in the header it can recompute. */
static int attach_geometry(const struct pf_ring_prod_page *pp, size_t size, struct msg *m)
{
	u64 region = pf_load_relaxed(&pp->region_size);
	u32 hdr = hdr_size_for(pf_load_relaxed(&pp->flags));
	u64 area;

	if (region > size || region < MIN_REGION) {
		msg_str(m, "pf_ring: ring header says the region is ");
		msg_u64(m, region);
		msg_str(m, " bytes, but ");
		msg_u64(m, size);
		msg_str(m, " are mapped");
		return -PF_EINVAL;
	}
	if (pf_load_relaxed(&pp->slot_hdr_size) != hdr) {
		msg_str(m, "pf_ring: slot header size mismatch: producer ");
		msg_u64(m, pf_load_relaxed(&pp->slot_hdr_size));
		msg_str(m, " bytes, this libpfring ");
		msg_u64(m, hdr);
		msg_str(m, " (a 32-bit program on a 64-bit kernel?)");
		return -PF_EPROTO;
	}
	area = slot_area_for(region);
	if (pf_load_relaxed(&pp->slots_off) != PF_RING_SLOTS_OFF ||
	    pf_load_relaxed(&pp->slot_area_size) != area ||
	    pf_load_relaxed(&pp->max_caplen) != max_caplen_for(area, hdr)) {
		msg_str(m, "pf_ring: corrupt ring header: slot area does not match a region of ");
		msg_u64(m, region);
		msg_str(m, " bytes");
		return -PF_EPROTO;
	}
	return 0;
}

int pf_ring_attach(struct pf_ring_cons *c, void *mem, size_t size,
		   char *err, size_t errlen)
{
	const struct pf_ring_prod_page *pp = mem;
	struct msg m = { err, errlen, 0 };
	u32 magic;
	u64 region, rd;
	int ret;

	msg_str(&m, "");
	if (!c || !mem || ((uintptr_t)mem & 7)) {
		msg_str(&m, "pf_ring: no ring memory, or not 8-byte aligned");
		return -PF_EINVAL;
	}
	if ((u64)size < MIN_REGION) {
		msg_str(&m, "pf_ring: ring region too small: ");
		msg_u64(&m, size);
		msg_str(&m, " bytes mapped, a ring needs at least ");
		msg_u64(&m, MIN_REGION);
		return -PF_EINVAL;
	}
	magic = pf_load_acquire(&pp->magic);
	if (magic != PF_RING_MAGIC) {
		msg_str(&m, "pf_ring: not a pf_ring ring (magic ");
		msg_hex32(&m, magic);
		msg_str(&m, ", expected ");
		msg_hex32(&m, PF_RING_MAGIC);
		msg_str(&m, "): not initialised by a producer, or another program's memory");
		return -PF_EINVAL;
	}
	ret = attach_versions(pp, &m);
	if (!ret)
		ret = attach_geometry(pp, size, &m);
	if (ret)
		return ret;

	region = pf_load_relaxed(&pp->region_size);
	pf_memset(c, 0, sizeof(*c));
	c->pp = pp;
	c->cp = (struct pf_ring_cons_page *)((u8 *)mem + PF_RING_CONS_PAGE_OFF);
	c->slots = (const u8 *)mem + PF_RING_SLOTS_OFF;
	c->size = slot_area_for(region);
	c->hdr_size = hdr_size_for(pf_load_relaxed(&pp->flags));
	c->max_caplen = max_caplen_for(c->size, c->hdr_size);
	rd = pf_load_relaxed(&c->cp->read_off);
	if (rd >= c->size || (rd & 7)) {
		msg_str(&m, "pf_ring: corrupt consumer page: read offset ");
		msg_u64(&m, rd);
		msg_str(&m, " outside the slot area");
		return -PF_EPROTO;
	}
	c->rd = c->next = c->ins_cache = rd;
	c->tot_read = pf_load_relaxed(&c->cp->tot_read);
	return 0;
}

/* ------------------------------------------------- consumer: reading */

static int cons_corrupt(struct pf_ring_cons *c)
{
	c->dead = 1;
	return -PF_EBADMSG;
}

/* The consumer's geometry and moving state, in locals for a burst (the view
 * stores could alias the handle's fields otherwise). */
struct cons_geo {
	const u8 *slots;
	u64 size;
	u32 hdr, maxc;
};

struct cons_cur {
	u64 next, ins;
};

static inline struct cons_geo cons_geo(const struct pf_ring_cons *c)
{
	struct cons_geo g = { c->slots, c->size, c->hdr_size, c->max_caplen };

	return g;
}

/* Load insert_off: 1 when there is something past cur->next, 0 when not,
 * -PF_EBADMSG when the offset is impossible. */
static inline int cons_reload(struct pf_ring_cons *c, const struct cons_geo *g,
			      struct cons_cur *cur)
{
	u64 ins = pf_load_acquire(&c->pp->insert_off);

	if (PF_UNLIKELY(ins >= g->size || (ins & 7)))
		return cons_corrupt(c);
	cur->ins = ins;
	return ins != cur->next;
}

/*
 * Locate the slot at cur->next (following a wrap marker). Returns 1 with its
 * position, caplen and the position after it, 0 when the ring is empty, or
 * -PF_EBADMSG when insert_off or the slot cannot be what a producer wrote.
 */
static inline int cons_slot(struct pf_ring_cons *c, const struct cons_geo *g,
			    struct cons_cur *cur, u64 *posp, u32 *caplenp, u64 *endp)
{
	u64 pos = cur->next, ins, end;
	u32 caplen;
	int ret;

	if (pos == cur->ins) {
		ret = cons_reload(c, g, cur);
		if (ret <= 0)
			return ret;
	}
	ins = cur->ins;
	caplen = pf_load_relaxed(&((const struct pf_ring_slot_hdr *)(g->slots + pos))->caplen);
	if (PF_UNLIKELY(caplen == PF_RING_SLOT_WRAP)) {
		if (ins > pos)   /* a marker only exists once the producer has wrapped */
			return cons_corrupt(c);
		cur->next = pos = 0;
		if (pos == ins)
			return 0;
		caplen = pf_load_relaxed(&((const struct pf_ring_slot_hdr *)g->slots)->caplen);
	}
	if (PF_UNLIKELY(caplen > g->maxc))
		return cons_corrupt(c);
	end = pos + ALIGN8((u64)g->hdr + caplen);
	if (PF_UNLIKELY(end > g->size || (ins > pos && end > ins)))
		return cons_corrupt(c);
	*posp = pos;
	*caplenp = caplen;
	*endp = end == g->size ? 0 : end;
	return 1;
}

static inline void cons_view(const struct cons_geo *g, u64 pos, u32 caplen,
			     struct pf_ring_view *v)
{
	const struct pf_ring_slot_hdr *h = (const struct pf_ring_slot_hdr *)(g->slots + pos);

	v->data = g->slots + pos + g->hdr;
	v->caplen = caplen;
	v->len = h->len;
	v->ts_ns = h->ts_ns;
	v->ext = g->hdr == SLOT_HDR_SHORT ? (void *)0 :
		(const struct pfring_extended_pkthdr *)(h + 1);
}

void pf_ring_release(struct pf_ring_cons *c)
{
	c->peeked = 0;
	if (c->rd == c->next)
		return;
	c->rd = c->next;
	pf_store_relaxed(&c->cp->tot_read, c->tot_read);
	pf_store_release(&c->cp->read_off, c->rd);
}

/*
 * The fast path of a take: from pos up to stop (insert_off, or the end of the
 * area when the producer has wrapped) slots need no reload, no wrap and no
 * end-of-area handling. A caplen above max_caplen (a wrap marker included) or
 * a slot past stop is left for the general path. hdr is a constant in the
 * short-header instance. Returns the index of the first view not filled.
 */
static RING_INLINE u32 cons_fast(const struct cons_geo *g, u32 hdr, struct pf_ring_view *v,
				 u32 i, u32 n, u64 *posp, u64 ins, u64 stop)
{
	u64 pos = *posp, end;
	u32 caplen;

	for (; i < n && pos != ins; i++) {
		const struct pf_ring_slot_hdr *h = (const struct pf_ring_slot_hdr *)(g->slots + pos);

		caplen = pf_load_relaxed(&h->caplen);
		end = pos + ALIGN8((u64)hdr + caplen);
		if (PF_UNLIKELY(caplen > g->maxc || end > stop))
			break;
		v[i].data = g->slots + pos + hdr;
		v[i].caplen = caplen;
		v[i].len = h->len;
		v[i].ts_ns = h->ts_ns;
		v[i].ext = hdr == SLOT_HDR_SHORT ? (void *)0 :
			(const struct pfring_extended_pkthdr *)(h + 1);
		pos = end;
	}
	*posp = pos;
	return i;
}

/*
 * Slot positions chain (each slot's length gives the next one's place), so
 * walking them from a cold cache would take one miss after the other: touch
 * the lines of the next slots first, so their misses overlap. Up to 128 bytes
 * per wanted packet, at most 4 KiB, and never past what is published.
 */
static RING_INLINE void cons_prefetch(const struct cons_geo *g, u64 pos, u64 ins, u32 want)
{
	u64 end = ins > pos ? ins : g->size;
	u64 budget = want < 32 ? (u64)want * 128 : 4096;

	if (end - pos > budget)
		end = pos + budget;
	for (pos &= ~(u64)63; pos < end; pos += 64)
		__builtin_prefetch(g->slots + pos);
}

/* Release what was handed out, then take up to n slots into v[]. */
static int cons_take(struct pf_ring_cons *c, struct pf_ring_view *v, u32 n)
{
	struct cons_geo g = cons_geo(c);
	struct cons_cur cur;
	u64 pos, end;
	u32 caplen, i = 0;
	int ret = 0;

	if (PF_UNLIKELY(c->dead))
		return -PF_EBADMSG;
	pf_ring_release(c);
	cur.next = c->next;
	cur.ins = c->ins_cache;
	while (i < n) {
		u64 stop;

		if (cur.next == cur.ins) {   /* caught up: what has been published since? */
			ret = cons_reload(c, &g, &cur);
			if (ret <= 0)
				break;
		}
		stop = cur.ins > cur.next ? cur.ins : g.size - 8;
		cons_prefetch(&g, cur.next, cur.ins, n - i);
		if (g.hdr == SLOT_HDR_SHORT)
			i = cons_fast(&g, SLOT_HDR_SHORT, v, i, n, &cur.next, cur.ins, stop);
		else
			i = cons_fast(&g, g.hdr, v, i, n, &cur.next, cur.ins, stop);
		if (i == n || cur.next == cur.ins)
			continue;
		/* a wrap marker, a slot ending at the end of the area, or corruption */
		ret = cons_slot(c, &g, &cur, &pos, &caplen, &end);
		if (ret <= 0)
			break;
		cons_view(&g, pos, caplen, &v[i++]);
		cur.next = end;
	}
	c->next = cur.next;
	c->ins_cache = cur.ins;
	c->tot_read += i;
	if (ret < 0 && i == 0)
		return ret;
	return (int)i;
}

int pf_ring_peek(struct pf_ring_cons *c, struct pf_ring_view *v)
{
	struct cons_geo g = cons_geo(c);
	struct cons_cur cur;
	u64 pos, end;
	u32 caplen;
	int ret;

	if (c->dead)
		return -PF_EBADMSG;
	pf_ring_release(c);
	cur.next = c->next;
	cur.ins = c->ins_cache;
	ret = cons_slot(c, &g, &cur, &pos, &caplen, &end);
	c->next = cur.next;         /* past a wrap marker, if one was met */
	c->ins_cache = cur.ins;
	if (ret <= 0)
		return ret;
	cons_view(&g, pos, caplen, v);
	c->peek_end = end;
	c->peeked = 1;
	return 1;
}

int pf_ring_advance(struct pf_ring_cons *c)
{
	if (c->dead)
		return -PF_EBADMSG;
	if (!c->peeked)
		return -PF_EINVAL;
	c->next = c->peek_end;
	c->tot_read++;
	pf_ring_release(c);
	return 0;
}

int pf_ring_recv(struct pf_ring_cons *c, struct pf_ring_view *v)
{
	return cons_take(c, v, 1);
}

int pf_ring_recv_copy(struct pf_ring_cons *c, u8 *buf, u32 buflen,
		      struct pf_ring_view *v, struct pfring_extended_pkthdr *ext_out)
{
	struct pf_ring_view zc;
	int ret = cons_take(c, &zc, 1);

	if (ret <= 0)
		return ret;
	v->caplen = zc.caplen < buflen ? zc.caplen : buflen;
	pf_memcpy(buf, zc.data, v->caplen);
	v->data = buf;
	v->len = zc.len;
	v->ts_ns = zc.ts_ns;
	v->ext = (void *)0;
	if (zc.ext && ext_out)
		pf_memcpy(ext_out, zc.ext, sizeof(*ext_out));
	pf_ring_release(c);
	return 1;
}

int pf_ring_recv_burst(struct pf_ring_cons *c, struct pf_ring_view *v, u32 n)
{
	return cons_take(c, v, n);
}

u64 pf_ring_cons_queued(const struct pf_ring_cons *c)
{
	u64 ins = pf_load_acquire(&c->pp->tot_insert);

	return c->tot_read > ins ? 0 : ins - c->tot_read;
}

int pf_ring_cons_ready(const struct pf_ring_cons *c, u32 watermark)
{
	return pf_ring_cons_queued(c) >= (watermark ? watermark : 1);
}

void pf_ring_cons_stats(const struct pf_ring_cons *c, struct pf_ring_stats *s)
{
	s->inserted = pf_load_acquire(&c->pp->tot_insert);
	s->bytes = pf_load_relaxed(&c->pp->tot_bytes);
	s->dropped_full = pf_load_relaxed(&c->pp->tot_drop_full);
	s->refused = pf_load_relaxed(&c->pp->tot_refused);
	s->bad_peer = pf_load_relaxed(&c->pp->tot_bad_peer);
	s->read = c->tot_read;
	s->queued = s->inserted < c->tot_read ? 0 : s->inserted - c->tot_read;
}

u32 pf_ring_cons_ended(const struct pf_ring_cons *c)
{
	return pf_load_acquire(&c->pp->end_reason);
}
