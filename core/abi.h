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

#include "port.h"
#include <linux/pf_ring.h>

#define PF_RING_ABI_VERSION     3
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
 * pf_ring.ko's socket: socket(PF_RING, SOCK_RAW, htons(ETH_P_ALL)), which needs
 * CAP_NET_ADMIN. The life of a socket, as libpfring's kmod backend drives it:
 *
 *   0. getsockopt SO_GET_ABI_VERSION, before any other option: a module of another
 *      ABI (whose option numbers may differ) is refused with both versions named
 *   1. before bind: SO_RING_BUCKET_LEN (caplen), SO_SET_RING_FLAGS (PF_RING_LAYOUT_*)
 *   2. bind(fd, struct pf_ring_sockaddr) to "eth0", "eth0@Q" (RX queue Q only) or "any";
 *      the ring is allocated here: min_num_slots slots of caplen bytes
 *   3. getsockopt SO_GET_RING_SIZE, then mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0): the core/ring.h
 *      region; the library is its consumer
 *   4. setsockopt SO_ACTIVATE_RING (pfring_enable_ring): nothing is delivered before it
 *   5. poll(fd, POLLIN): readable when at least the poll watermark is queued
 *   6. send(fd, frame, len, 0): transmit on the bound device (not on "any")
 *
 * Option names and numbers: every name 5.4.6's pf_ring.ko had carries its 5.4.6
 * number (they are in <linux/pf_ring.h>); the module implements those listed
 * below. pfring's own options use numbers 5.4.6 did not use (140.., 186, 191..);
 * SO_ATTACH_FILTER (26) and SO_DETACH_FILTER (27) keep the kernel's numbers.
 *
 * Options are at level SOL_PF_RING, except BPF: the standard SOL_SOCKET
 * SO_ATTACH_FILTER / SO_DETACH_FILTER (what libpcap and Snort's DAQ call), run by
 * the kernel's classic BPF. Every option checks its length: a short or oversized
 * optlen is -EINVAL, an unknown option -ENOPROTOOPT.
 */
/* socket family PF_RING (27) is in <linux/pf_ring.h> */

/* RX queues a name can select (eth0@Q, Q below this), in pf_ring.ko and in the
 * library's device names. Larger than MAX_NUM_RX_CHANNELS (32), which is
 * 5.4.6's API limit: the size of pfring_open_multichannel()'s array. */
#define PF_RING_MAX_QUEUES              256
#define SOL_PF_RING                     0       /* option level (as PF_RING uses) */

/* bind() address. device is NUL-terminated within the array. */
#define PF_RING_DEVICE_NAME_LEN         30
struct pf_ring_sockaddr {
	u_int16_t family;                         /* PF_RING */
	char      device[PF_RING_DEVICE_NAME_LEN]; /* "eth0", "eth0@2", "any" */
};

/* Set options: argument in parentheses. 5.4.6's names and numbers: */
/*      SO_ADD_TO_CLUSTER               99      struct pf_ring_cluster_req */
/*      SO_REMOVE_FROM_CLUSTER          100     none (optlen 0) */
/*      SO_ADD_FILTERING_RULE           102     filtering_rule */
/*      SO_REMOVE_FILTERING_RULE        103     u_int16_t rule_id */
/*      SO_TOGGLE_FILTER_POLICY         104     u_int8_t: 1 accept, 0 drop */
/*      SO_SET_SAMPLING_RATE            105     u_int32_t, >= 1 */
/*      SO_ACTIVATE_RING                106     none */
/*      SO_RING_BUCKET_LEN              107     u_int32_t caplen, before bind */
/*      SO_SET_CHANNEL_ID               108     u_int32_t queue, or RING_ANY_CHANNEL */
/*      SO_PURGE_IDLE_HASH_RULES        109     u_int16_t seconds */
/*      SO_SET_APPL_NAME                110     NUL-terminated string, < 64 bytes */
/*      SO_SET_PACKET_DIRECTION         111     u_int32_t packet_direction */
/*      SO_DEACTIVATE_RING              116     none */
/*      SO_SET_POLL_WATERMARK           117     u_int16_t, >= 1 */
/*      SO_PURGE_IDLE_RULES             125     u_int16_t seconds */
/*      SO_SET_SOCKET_MODE              126     u_int32_t socket_mode */
/* pfring's own: */
#define SO_HANDLE_HASH_FILTERING_RULE   140  /* struct pf_ring_hash_rule_req */
#define SO_SET_REFLECTOR                141  /* NUL-terminated device name */
#define SO_SET_RING_FLAGS               142  /* u_int32_t PF_RING_LAYOUT_*, before bind */

/* Get options: the result in optval; where noted optval also carries the
 * question. 5.4.6's names and numbers: */
/*      SO_GET_RING_VERSION             170     u_int32_t RING_VERSION_NUM */
/*      SO_GET_FILTERING_RULE_STATS     171     in: u_int16_t rule_id; out: stats bytes */
/*      SO_GET_HASH_FILTERING_RULE_STATS 172    in: hash_filtering_rule; out: stats bytes */
/*      SO_GET_NUM_RX_CHANNELS          174     u_int32_t */
/*      SO_GET_RING_ID                  175     u_int32_t */
/*      SO_GET_BOUND_DEVICE_ADDRESS     177     u_int8_t[6] */
/*      SO_GET_NUM_QUEUED_PKTS          178     u_int32_t */
/*      SO_GET_BOUND_DEVICE_IFINDEX     184     int32_t */
/* pfring's own: */
#define SO_GET_ABI_VERSION              186  /* u_int32_t PF_RING_ABI_VERSION, any time */
#define SO_GET_RING_SIZE                191  /* u_int64_t bytes to mmap, after bind */
#define SO_GET_RING_STATS               192  /* struct pf_ring_socket_stats */

struct pf_ring_cluster_req {
	u_int32_t cluster_id;
	u_int32_t type;                           /* cluster_type */
};

struct pf_ring_hash_rule_req {
	hash_filtering_rule rule;
	u_int32_t add;                            /* 1 add, 0 remove */
};

/* The pipeline's counters (core/socket.h) and the ring's, at one moment:
 * seen = filtered + unsampled + inserted + dropped_full + refused. */
struct pf_ring_socket_stats {
	u_int64_t seen, filtered, unsampled;
	u_int64_t inserted, dropped_full, refused;
	u_int64_t reflect_errors;
};

#endif /* PF_CORE_ABI_H */
