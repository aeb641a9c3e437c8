/*
 * core/deliver.h - the delivery step: one frame from a home's device to the rings
 * of the sockets bound to it. Every home of the engine (the simulator's host,
 * pf_ring.ko; later DNA, libzero, AF_XDP) calls pf_deliver() once per frame and
 * says through struct pf_deliver_ops how it keeps its sockets, how it locks them,
 * what a full ring means to it and how it wakes a reader.
 *
 * Which sockets, in this order:
 *   1. every free socket (in no cluster) the home lists whose state is
 *      PF_MEMBER_READY (core/cluster.h: bound to the frame's device and, for a
 *      received frame, to its RX queue; not send-only; enabled), in the home's
 *      order;
 *   2. for each cluster, in the home's order, the one member
 *      pf_cluster_member_for() picks, under the cluster's lock. A member of a
 *      per-flow cluster that is not enabled keeps its flows: it is offered the
 *      frame and its ring counts as full.
 * Each socket chosen is offered the frame, under the socket's lock: its pipeline
 * (pf_socket_filter, counted there); a frame it passes goes out of its reflector
 * device, if it has one (a failure counts reflect_errors), then into its ring
 * (pf_pkt_to_ring) and is published. Its reader is woken, after the lock is
 * dropped, once the ring holds its watermark of packets.
 *
 * Full ring (or a member not enabled): the home's full() may keep the frame to
 * insert later (the simulator's lossless wire: nothing is counted until then,
 * and the home retries with pf_deliver_insert()); otherwise, or without full(),
 * the frame is dropped and counted on the ring (pf_ring_drop). So every frame a
 * pipeline passes ends in exactly one of inserted, refused (too large for the
 * ring: core counts it), dropped_full, or owed by the home (core/socket.h).
 *
 * Ownership, head and tail (compare DPDK's rte_ring.h, netmap's netmap.h):
 *   frame      the home's, read-only to core, and valid until pf_deliver()
 *              returns: each ring gets its own copy of the bytes. A home that
 *              owes a frame keeps its own copy (core keeps nothing between calls).
 *   template   struct pf_pkt given to pf_deliver(): the caller's. Each socket
 *              runs its pipeline on a copy of it; core writes back only the
 *              parse (parsed_level, info without the matched rule and plugin),
 *              so the next socket and the cluster hash need not parse again.
 *   head       a ring's producer handle (struct pf_ring_prod, its insert_off) is
 *              advanced only by the producer calls made here and in
 *              pf_deliver_insert(), with the socket's lock held: one producer at
 *              a time per ring (core/ring.h). Each insert is published at once
 *              (store-release of insert_off), before the reader is woken.
 *   tail       the reader's read_off is never written here; the producer learns
 *              the room it frees through its acquire load inside pf_ring_reserve.
 *   sockets    the home guarantees that a socket (and a cluster) it lists stays
 *              allocated until pf_deliver() returns (the kernel: RCU read side;
 *              the simulator: its host lock).
 */
#ifndef PF_CORE_DELIVER_H
#define PF_CORE_DELIVER_H

#include "engine.h"
#include "cluster.h"
#include "socket.h"
#include "ring.h"

/* A home's cursor over its sockets or clusters: both fields 0 before the first. */
struct pf_deliver_iter {
	void *pos;          /* a list home: the last entry returned */
	u32 i;              /* an array home: the next index */
};

/* What core needs of one socket to offer it a frame; the home fills it. */
struct pf_deliver_target {
	struct pf_socket *sock;     /* its pipeline */
	struct pf_ring_prod *prod;  /* its ring's producer handle */
	u32 caplen;                 /* bytes of a frame its ring keeps */
	u32 watermark;              /* wake the reader once this many are queued (0 = 1) */
	u64 ts_ns;                  /* the timestamp it records for this frame */
	u32 pkt_hash;               /* the NIC's RSS hash (long-header rings), 0 if none */
	u8  enabled;                /* 0: counts as a full ring (a member keeping its flows) */
	u8  reflect;                /* it has a reflector device: call ops->reflect */
};

/*
 * The home's part. home is the pointer given to pf_deliver(), member one of the
 * home's sockets. Functions marked optional may be NULL.
 */
struct pf_deliver_ops {
	/* The free sockets (in no cluster), in delivery order; NULL after the last. */
	void *(*next_free)(void *home, struct pf_deliver_iter *it);
	/* The clusters on the frame's device, in delivery order; NULL after the last. */
	struct pf_cluster *(*next_cluster)(void *home, struct pf_deliver_iter *it);
	/* What member can do with p: the home's own reasons for PF_MEMBER_NEVER (not
	 * bound yet, another device, device gone), then pf_deliver_member_state().
	 * It is also the clusters' member filter, so it takes no home pointer. */
	pf_member_state_fn state;
	/* Optional: serialize one cluster's choice (its round-robin cursor), and one
	 * socket's pipeline and producer. NULL: a lock the home holds around
	 * pf_deliver() already does (the simulator's host lock). */
	void (*cluster_lock)(struct pf_cluster *c);
	void (*cluster_unlock)(struct pf_cluster *c);
	void (*lock)(void *member);
	void (*unlock)(void *member);
	/* Fill t for member and frame p; called under member's lock, before its
	 * pipeline runs (the home may refresh what its pipeline reads of it here). */
	void (*target)(void *home, void *member, const struct pf_pkt *p,
		       struct pf_deliver_target *t);
	/* Send p out of member's reflector device (t->reflect set); < 0 on failure. */
	int  (*reflect)(void *home, void *member, const struct pf_pkt *p);
	/* Optional: member's ring cannot take p now (full, or not enabled). 1: the
	 * home keeps p to insert it later, nothing is counted; 0: p is dropped and
	 * counted on the ring. Under member's lock. NULL: always drop. */
	int  (*full)(void *home, void *member, const struct pf_pkt *p);
	/* Wake member's reader; called once its lock is dropped. */
	void (*wake)(void *home, void *member);
};

/* Offer the frame tmpl describes to the home's sockets, as described above. */
void pf_deliver(const struct pf_deliver_ops *ops, void *home, struct pf_pkt *tmpl);

/*
 * Insert p (passed by t's pipeline) into t's ring and publish it; the socket's
 * lock held. 1: inserted, and the reader is due a wake-up (t->watermark
 * reached); 0: inserted; -PF_E2BIG: too large for the ring, counted as refused;
 * -PF_ENOSPC: the ring is full or t is not enabled, nothing counted (the
 * caller retries later or counts the drop with pf_ring_drop).
 */
int pf_deliver_insert(const struct pf_deliver_target *t, struct pf_pkt *p);

/* The states every home shares (core/cluster.h): a send-only socket, or one bound
 * to RX queue queue (>= 0) when a received frame came on another, never gets p;
 * one not enabled gets it later. A transmitted frame has no RX queue. */
static inline enum pf_member_state pf_deliver_member_state(const struct pf_pkt *p, int queue,
							   int send_only, int enabled)
{
	if (send_only || (p->rx && queue >= 0 && queue != (int)p->queue))
		return PF_MEMBER_NEVER;
	return enabled ? PF_MEMBER_READY : PF_MEMBER_LATER;
}

#endif /* PF_CORE_DELIVER_H */
