/*
 * core/abi.h - the binary contract between pf_ring.ko and libpfring.
 *
 * Everything here is shared by two separately built programs (the kernel module
 * and the library, or the simulator and the library of another build), so a
 * change to any layout or number below needs a version bump:
 *
 *   PF_RING_ABI_VERSION     the whole kernel/user interface: socket family and
 *                           options, the mmap'd ring, /proc formats. Bump it for
 *                           any incompatible change anywhere in that interface.
 *   PF_RING_LAYOUT_VERSION  the ring's memory layout only (core/ring.h: the
 *                           producer page, the consumer page, the slot format).
 *                           Bump it, and the ABI version, when that changes.
 *
 * The consumer checks both when it attaches to a ring (pf_ring_attach()) and
 * refuses a ring of another version with a message naming both versions.
 */
#ifndef PF_CORE_ABI_H
#define PF_CORE_ABI_H

#define PF_RING_ABI_VERSION     1
#define PF_RING_LAYOUT_VERSION  1

/* ------------------------------------------------------------------ ring */

/* First word of the producer page: "PFRG" read as a little-endian u32. It is
 * written last, with release semantics, so a consumer that sees it also sees a
 * complete header. */
#define PF_RING_MAGIC           0x47524650u

/* The ring region is: producer page | consumer page | slot area. Pages are 4 KiB
 * on every layout-1 home, so the kernel can map the producer page read-only and
 * the consumer page read-write into user space. */
#define PF_RING_PAGE_SIZE       4096u
#define PF_RING_PROD_PAGE_OFF   0u
#define PF_RING_CONS_PAGE_OFF   PF_RING_PAGE_SIZE
#define PF_RING_SLOTS_OFF       (2u * PF_RING_PAGE_SIZE)

/* Smallest slot area a ring may have, and the alignment of every slot. */
#define PF_RING_MIN_SLOT_AREA   PF_RING_PAGE_SIZE
#define PF_RING_SLOT_ALIGN      8u

/* Ring creation flags, stored in the producer page. */
#define PF_RING_LAYOUT_LONG_HDR (1u << 0) /* slots carry struct pfring_extended_pkthdr */
#define PF_RING_LAYOUT_FLAGS    PF_RING_LAYOUT_LONG_HDR /* every flag layout 1 knows */

/*
 * Slot caplen value that marks a wrap: the rest of the slot area up to its end is
 * unused and the next slot is at offset 0. Larger than any valid caplen.
 */
#define PF_RING_SLOT_WRAP       0xffffffffu

/* ------------------------------------------------------ socket interface */
/*
 * Placeholder: the PF_RING socket family number, socket option numbers and their
 * argument layouts are defined by the kernel-module issue and belong here, under
 * PF_RING_ABI_VERSION.
 */

#endif /* PF_CORE_ABI_H */
