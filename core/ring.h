/*
 * core/ring.h - the single-producer / single-consumer shared-memory slot ring.
 *
 * This is the packet data path: pf_ring.ko (or the simulator, in user space)
 * writes packets into it and libpfring reads them through an mmap, so the
 * memory layout below is an ABI (core/abi.h, PF_RING_LAYOUT_VERSION).
 *
 * One contiguous region, three parts, each written by one side only:
 *
 *   offset 0      producer page   struct pf_ring_prod_page  (magic, versions,
 *                                 geometry, insert_off, totals)
 *   offset 4096   consumer page   struct pf_ring_cons_page  (read_off, tot_read)
 *   offset 8192   slot area       slot_area_size bytes of variable-length slots
 *
 * A slot is struct pf_ring_slot_hdr, then (on long-header rings) struct
 * pfring_extended_pkthdr, then caplen packet bytes, padded to a multiple of 8.
 * A slot never straddles the end of the slot area: when the bytes left before
 * the end are too few for the next slot, the producer writes a wrap marker (a
 * slot header whose caplen is PF_RING_SLOT_WRAP) and continues at offset 0.
 *
 * Head and tail (compare DPDK's rte_ring.h: prod.tail / cons.tail):
 *
 *   insert_off  (producer page) the producer's head, an offset into the slot
 *               area in [0, slot_area_size), a multiple of 8. Every slot from
 *               read_off up to insert_off is complete. The producer writes the
 *               slot bytes first, then publishes insert_off with store-release;
 *               the consumer loads it with load-acquire, which makes the slot
 *               bytes before it visible.
 *   read_off    (consumer page) the consumer's tail: the first byte the
 *               consumer still needs. Everything from insert_off up to read_off
 *               (going round the end) is free. The consumer publishes it with
 *               store-release after it has finished reading the slots before
 *               it; the producer loads it with load-acquire before reusing them.
 *
 *   empty:  insert_off == read_off.
 *   full:   the producer never lets insert_off catch up with read_off: it keeps
 *           at least 8 bytes free, so insert_off == read_off can only mean
 *           empty. Free bytes = read_off - insert_off (mod slot_area_size), or
 *           slot_area_size when empty.
 *
 * Offsets are wrapped, never free-running, so nothing overflows however many
 * packets pass, and no division is needed anywhere. Each side keeps its own
 * position and a cached copy of the other side's (the producer its free room,
 * the consumer the last insert_off it loaded) and only reloads the other
 * side's cache line when the cache runs out, like DPDK and netmap do.
 *
 * Trust: in the kernel case the consumer page and the slot area are writable by
 * user space. The producer reads only read_off (and tot_read for statistics)
 * from shared memory, validates it, and never writes outside the region
 * whatever it holds: an impossible read_off counts tot_bad_peer and makes the
 * ring look full. The consumer validates insert_off and every slot it reads,
 * and stops (returns -PF_EBADMSG from then on) rather than read out of bounds.
 *
 * Concurrency: one producer and one consumer, each may be on its own CPU. A
 * handle (struct pf_ring_prod / pf_ring_cons) is private to its side, and the
 * calls on one handle must not run concurrently: a home with several writers
 * for one ring (the kernel receiving on several CPUs for one socket) holds a
 * lock around the producer calls (the original module locks its ring index too).
 */
#ifndef PF_CORE_RING_H
#define PF_CORE_RING_H

#include "port.h"
#include "abi.h"
#include "errors.h"
#include <linux/pf_ring.h>


/* ---------------------------------------------------------------- layout */

/* The producer page. Only the producer writes it (the kernel can map it
 * read-only into user space). Lines are 128 bytes apart: adjacent-line
 * prefetchers pull cache lines in pairs. */
struct pf_ring_prod_page {
	/* Geometry: written once by pf_ring_init(), before magic. */
	u32 magic;            /* PF_RING_MAGIC, stored last with release */
	u32 abi_version;      /* PF_RING_ABI_VERSION of the producer */
	u32 layout_version;   /* PF_RING_LAYOUT_VERSION of the producer */
	u32 flags;            /* PF_RING_LAYOUT_* */
	u64 region_size;      /* bytes of the whole region */
	u64 slots_off;        /* offset of the slot area (PF_RING_SLOTS_OFF) */
	u64 slot_area_size;   /* bytes of the slot area, a multiple of 8 */
	u32 slot_hdr_size;    /* bytes before the packet data in each slot */
	u32 max_caplen;       /* largest caplen a slot can carry */
	u8  pad0[128 - 48];

	/*
	 * The producer's head (single producer: DPDK's prod.head and prod.tail
	 * in one, the reservation lives in the private handle). Offset in the
	 * slot area where the next slot will be written. Only the producer
	 * writes it: store-release, after the slot bytes (and any wrap marker)
	 * and after tot_insert/tot_bytes. The consumer reads it with
	 * load-acquire: every slot from read_off up to insert_off (going round
	 * the end) is then complete and the consumer's to read.
	 */
	u64 insert_off;
	u64 tot_insert;       /* packets inserted (stored before insert_off) */
	u64 tot_bytes;        /* caplen bytes inserted (stored before insert_off) */
	u8  pad1[128 - 24];

	/* Packets the producer could not insert. Every pf_ring_put() ends in
	 * exactly one of tot_insert, tot_drop_full, tot_refused. */
	u64 tot_drop_full;    /* no room (includes room made unknowable by a bad read_off) */
	u64 tot_refused;      /* caplen > max_caplen: this ring can never hold it */
	u64 tot_bad_peer;     /* times read_off was impossible (not a drop count) */

	/* Why the producer has stopped for good, 0 while it produces
	 * (PF_RING_END_*): stored with release after its last publish, so a
	 * consumer that loads it with acquire and then finds the ring empty has
	 * read every packet there will ever be. Added in padding: a producer
	 * that predates it leaves 0 (layout version unchanged). */
	u32 end_reason;
	u32 pad_end;
	u8  pad2[PF_RING_PAGE_SIZE - 128 - 128 - 32];
};

#define PF_RING_END_NONE        0
#define PF_RING_END_DEVICE_GONE 1   /* the bound device was unregistered */

/* The consumer page. Only the consumer writes it. */
struct pf_ring_cons_page {
	/*
	 * The consumer's tail (DPDK's cons.tail). Offset of the first slot the
	 * consumer has not released. Only the consumer writes it: store-release,
	 * after it has finished with every slot before it (zero-copy views
	 * included) and after tot_read. The producer reads it with load-acquire
	 * and may then reuse everything from insert_off up to read_off (going
	 * round the end) but the last 8 bytes. Untrusted by the producer.
	 */
	u64 read_off;
	u64 tot_read;         /* packets consumed (stored before read_off) */
	u8  pad0[PF_RING_PAGE_SIZE - 16];
};

/* Head of every slot, 8-byte aligned. A slot occupies
 * pf_ring_slot_bytes(flags, caplen) bytes. */
struct pf_ring_slot_hdr {
	u32 caplen;           /* packet bytes stored; PF_RING_SLOT_WRAP = wrap marker */
	u32 len;              /* packet length on the wire */
	u64 ts_ns;            /* timestamp, ns since the epoch (home clock or NIC) */
	/* long-header rings: struct pfring_extended_pkthdr follows (its
	 * tx.reserved pointer is always stored as NULL). It holds a pointer, so
	 * its size follows the producer's word size: pf_ring_attach() refuses
	 * a slot header size other than its own (32-bit reader, 64-bit kernel). */
};

/* ------------------------------------------------------- private handles */

/* The producer's handle: lives in producer-private memory (kernel memory in
 * the kernel case), never in the shared region. Treat as opaque. */
struct pf_ring_prod {
	struct pf_ring_prod_page *pp;
	struct pf_ring_cons_page *cp;   /* untrusted */
	u8  *slots;
	u64 size;                       /* slot area size */
	u32 hdr_size, max_caplen;
	u64 ins;                        /* insert position, published as insert_off */
	u64 room;                       /* bytes known free from ins on */
	u64 tot_insert, tot_bytes;      /* published with insert_off */
	u64 tot_drop_full, tot_refused, tot_bad_peer;
	u64 res_pos, res_total;         /* the open reservation, if any */
	u32 res_caplen;
	u8  res_open;
};

/* The consumer's handle: lives in consumer-private memory. Treat as opaque. */
struct pf_ring_cons {
	const struct pf_ring_prod_page *pp;   /* untrusted */
	struct pf_ring_cons_page *cp;
	const u8 *slots;
	u64 size;
	u32 hdr_size, max_caplen;
	u64 ins_cache;      /* last insert_off loaded (validated) */
	u64 rd;             /* published read_off */
	u64 next;           /* position after the slots handed out: [rd, next)
			     * is held by the caller until the next call */
	u64 peek_end;       /* position after the peeked slot */
	u64 tot_read;       /* packets handed out */
	u8  peeked;
	u8  dead;           /* corruption seen: every call fails */
};

/* What the consumer gets for one packet. data (and ext) point into the ring
 * for the zero-copy calls. */
struct pf_ring_view {
	const u8 *data;
	u32 caplen, len;
	u64 ts_ns;
	const struct pfring_extended_pkthdr *ext;   /* NULL on short-header rings */
};

/* What the producer is given for one packet. */
struct pf_ring_pkt {
	const u8 *data;     /* caplen bytes */
	u32 caplen, len;
	u64 ts_ns;
	const struct pfring_extended_pkthdr *ext;   /* long-header rings; NULL = zeros */
};

/* Totals of one ring, as one side sees them. */
struct pf_ring_stats {
	u64 inserted, bytes;    /* published by the producer */
	u64 dropped_full, refused, bad_peer;
	u64 read;               /* consumed */
	u64 queued;             /* inserted - read, as this side knows it */
};

/* ---------------------------------------------------------------- sizes */

/* Region size (a multiple of the page size) for a ring whose slot area holds
 * at least slot_area_bytes (and at least PF_RING_MIN_SLOT_AREA); 0 if too big. */
size_t pf_ring_layout_size(size_t slot_area_bytes);

/* Bytes one slot of caplen packet bytes takes in a ring created with flags. */
u64 pf_ring_slot_bytes(u32 flags, u32 caplen);

/* ------------------------------------------------------------- producer */

/*
 * Lay a ring out in mem[0 .. size) and make p its producer. size at least
 * pf_ring_layout_size(0); mem 8-byte aligned (page aligned to mmap it). flags:
 * PF_RING_LAYOUT_*. The slot area is not cleared: the home hands over zeroed
 * memory. Returns 0, or -PF_EINVAL.
 */
int pf_ring_init(struct pf_ring_prod *p, void *mem, size_t size, u32 flags);

/*
 * Become the producer of a ring an earlier producer laid out in mem[0 .. size)
 * with the same flags (a sender process taking over a shared ring): continues
 * at its published insert_off and totals. Returns 0, -PF_EINVAL, or -PF_EPROTO
 * when the header does not match or insert_off is impossible.
 */
int pf_ring_resume(struct pf_ring_prod *p, void *mem, size_t size, u32 flags);

/*
 * Insert one packet and publish it. Returns 0; -PF_ENOSPC when the ring is full
 * (counted in tot_drop_full); -PF_E2BIG when caplen > max_caplen (counted in
 * tot_refused).
 */
int pf_ring_put(struct pf_ring_prod *p, const struct pf_ring_pkt *pkt);

/*
 * Insert pkts[0 .. n) in order and publish once at the end. A packet larger than
 * the ring can hold is refused and counted, the others are inserted until one
 * does not fit. Returns how many of pkts were taken (inserted or refused); the
 * rest, pkts[ret .. n), were not counted anywhere: retry them, or count them
 * with pf_ring_drop().
 */
u32 pf_ring_put_burst(struct pf_ring_prod *p, const struct pf_ring_pkt *pkts, u32 n);

/* Count n packets the caller gives up on as dropped (ring full). */
void pf_ring_drop(struct pf_ring_prod *p, u32 n);

/* Count n packets as refused (too large for this ring): what pf_ring_put counts
 * itself, for callers of pf_ring_reserve that got -PF_E2BIG. */
void pf_ring_refuse(struct pf_ring_prod *p, u32 n);

/*
 * Zero-extra-copy insertion: reserve a slot for up to caplen bytes, write them
 * at *data, then pf_ring_commit() the header with the caplen actually written
 * (at most the reserved one: a relay reserves for its largest frame and commits
 * the frame it got; the slot shrinks to fit). Nothing is visible to the
 * consumer until pf_ring_publish(). Reserve counts nothing: on -PF_ENOSPC the
 * caller retries or calls pf_ring_drop(), on -PF_E2BIG (never worth a retry)
 * pf_ring_refuse(). A new reserve replaces an open one. Commit returns
 * -PF_EINVAL without an open reservation or with a caplen larger than reserved.
 */
int  pf_ring_reserve(struct pf_ring_prod *p, u32 caplen, u8 **data);
int  pf_ring_commit(struct pf_ring_prod *p, u32 caplen, u32 len, u64 ts_ns,
		    const struct pfring_extended_pkthdr *ext);
void pf_ring_publish(struct pf_ring_prod *p);

/* Packets inserted and not yet consumed, as far as the producer knows (the
 * consumer's published count is untrusted and clamped). */
u64 pf_ring_prod_queued(const struct pf_ring_prod *p);

/* Poll watermark: 1 when at least watermark packets (at least 1) are queued, so
 * the home should wake a sleeping consumer. Call after pf_ring_publish(). */
int pf_ring_prod_should_wake(const struct pf_ring_prod *p, u32 watermark);

void pf_ring_prod_stats(const struct pf_ring_prod *p, struct pf_ring_stats *s);

/* The producer stops for good (reason: PF_RING_END_*, not NONE): published
 * after everything it inserted. Call when no other producer call can follow. */
void pf_ring_prod_end(struct pf_ring_prod *p, u32 reason);

/* ------------------------------------------------------------- consumer */

/*
 * Attach c as the consumer of the ring in mem[0 .. size) (size = the mapped
 * length). Checks magic, ABI and layout versions and geometry. On failure
 * returns -PF_EINVAL (not a ring, too small) or -PF_EPROTO (other version,
 * corrupt header) and writes a NUL-terminated message naming what differs, and
 * for a version mismatch both versions and what to rebuild, into err[0 ..
 * errlen) (err may be NULL). Resumes at the ring's current read offset.
 */
int pf_ring_attach(struct pf_ring_cons *c, void *mem, size_t size,
		   char *err, size_t errlen);

/*
 * The oldest unread packet, not consumed: returns 1 and fills v, 0 when the ring
 * is empty, -PF_EBADMSG when the ring is corrupt. Peeking again returns the same
 * packet. v stays valid until pf_ring_advance() or another consumer call that
 * consumes.
 */
int pf_ring_peek(struct pf_ring_cons *c, struct pf_ring_view *v);

/* Consume the packet the last peek returned and release it to the producer.
 * Returns 0, or -PF_EINVAL when nothing was peeked. */
int pf_ring_advance(struct pf_ring_cons *c);

/*
 * Zero-copy receive (pfring_recv() with buffer_len == 0): releases the packets
 * handed out by the previous call, consumes the next one and points v into the
 * slot. The slot stays valid until the next consumer call on c. Returns 1, 0
 * (empty) or -PF_EBADMSG.
 */
int pf_ring_recv(struct pf_ring_cons *c, struct pf_ring_view *v);

/*
 * Copying receive: copies up to buflen bytes of the next packet into buf and
 * releases its slot at once. v->data = buf, v->caplen = bytes copied (the packet
 * is truncated to buflen), v->len = wire length, v->ext = NULL; on long-header
 * rings the extended header is copied to *ext_out when ext_out is not NULL
 * (short-header rings leave it untouched). Returns 1, 0 or -PF_EBADMSG.
 */
int pf_ring_recv_copy(struct pf_ring_cons *c, u8 *buf, u32 buflen,
		      struct pf_ring_view *v, struct pfring_extended_pkthdr *ext_out);

/*
 * Zero-copy burst: releases the previous call's packets, consumes up to n and
 * fills v[0 .. ret). They stay valid until the next consumer call on c. Returns
 * the count (0 when empty), or -PF_EBADMSG when corruption is met before any
 * packet was taken (the packets before it are returned first).
 */
int pf_ring_recv_burst(struct pf_ring_cons *c, struct pf_ring_view *v, u32 n);

/* Release the packets handed out by pf_ring_recv/recv_burst now (e.g. before
 * sleeping in poll), so the producer can reuse their room. */
void pf_ring_release(struct pf_ring_cons *c);

/* Packets inserted (and published) that this consumer has not taken yet. */
u64 pf_ring_cons_queued(const struct pf_ring_cons *c);

/* 1 when at least watermark packets (at least 1) are queued. */
int pf_ring_cons_ready(const struct pf_ring_cons *c, u32 watermark);

/* Totals: the producer's as published, read and queued as this consumer
 * knows them (inserted == read + queued once the producer has published). */
void pf_ring_cons_stats(const struct pf_ring_cons *c, struct pf_ring_stats *s);

/* The producer's PF_RING_END_* reason, PF_RING_END_NONE while it produces.
 * Once it is not NONE, a ring found empty after this call stays empty. */
u32 pf_ring_cons_ended(const struct pf_ring_cons *c);

#endif /* PF_CORE_RING_H */
