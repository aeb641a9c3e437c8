/*
 * core/cluster.h - ring clusters (spec 8.7): up to CLUSTER_LEN rings share the
 * packets of a device, balanced per flow (symmetric hashes of core/hash.h) or
 * round-robin.
 *
 * Order (as PF_RING does it): the cluster picks the member ring first, then that
 * ring's own pipeline (core/socket.h) decides whether the packet goes up. A
 * packet is offered to exactly one member of each cluster on its device.
 *
 * The home serializes calls on one cluster (the simulator's host lock, the
 * kernel's cluster lock); members are opaque pointers (the home's sockets).
 */
#ifndef PF_CORE_CLUSTER_H
#define PF_CORE_CLUSTER_H

#include "engine.h"
#include "errors.h"

struct pf_cluster {
	u32 id;
	cluster_type type;
	u32 n;                        /* members, in join order */
	void *member[CLUSTER_LEN];
	u32 rr;                       /* round-robin cursor */
	u32 hash_flags;               /* PF_HASH_INNER, ... */
};

void pf_cluster_init(struct pf_cluster *c, u32 id, cluster_type type);
/* 0; -PF_EEXIST (already a member), -PF_ENOSPC (CLUSTER_LEN members),
 * -PF_EINVAL (NULL, or a type other than the cluster's). */
int pf_cluster_join(struct pf_cluster *c, void *member, cluster_type type);
/* 0 or -PF_ENOENT. The remaining members keep their order. */
int pf_cluster_leave(struct pf_cluster *c, void *member);
/* The member that gets p (parsed on demand), or NULL for an empty cluster. */
void *pf_cluster_pick_member(struct pf_cluster *c, struct pf_pkt *p);
/* The same choice among the members for which wants(member, p) is true (bound to
 * p's queue and enabled, say): a member that does not want p never gets it, and
 * flows are balanced over the willing ones. NULL when none wants it. */
void *pf_cluster_pick_wanted(struct pf_cluster *c, struct pf_pkt *p,
			     int (*wants)(const void *member, const struct pf_pkt *p));

#endif /* PF_CORE_CLUSTER_H */
