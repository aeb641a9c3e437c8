/*
 * core/cluster.h - ring clusters (spec 8.7): up to CLUSTER_LEN rings share the
 * packets of a device, balanced per flow (symmetric hashes of core/hash.h) or
 * round-robin.
 *
 * Order (as PF_RING does it): the cluster picks the member ring first, then that
 * ring's own pipeline (core/socket.h) decides whether the packet goes up. A
 * packet is offered to exactly one member of each cluster on its device, and
 * every packet of a flow to the same one (pf_cluster_member_for).
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
/*
 * What a member can do with a packet, as the home sees it (pf_cluster_member_for):
 *   PF_MEMBER_NEVER  it could never receive p: not bound to p's device or RX queue,
 *                    or send-only. Settings a program makes before it starts; never a
 *                    state that changes while traffic flows. (Direction is not one of
 *                    them: it is the member's own pipeline step, counted there.)
 *   PF_MEMBER_LATER  it could, but not now: joined and not enabled yet (or disabled).
 *   PF_MEMBER_READY  it can take p now.
 */
enum pf_member_state {
	PF_MEMBER_NEVER = 0,
	PF_MEMBER_LATER,
	PF_MEMBER_READY,
};

typedef enum pf_member_state (*pf_member_state_fn)(const void *member, const struct pf_pkt *p);

/*
 * The member that gets p, or NULL when none can. A member whose state is
 * PF_MEMBER_NEVER never gets p; the choice is made among the others, in join order:
 *  - per-flow types: by p's hash alone. A member that is PF_MEMBER_LATER keeps its
 *    flows: it is returned, and the home treats it as a full ring (the lossless
 *    simulated wire waits for it; a lossy home drops the frame and counts it on
 *    that member). So a flow never moves to another member while membership and
 *    the members' settings stay the same, whatever their readiness.
 *  - round-robin: the next READY member in turn (no flow to keep together; a member
 *    that is not enabled is skipped and the others share its turns).
 */
void *pf_cluster_member_for(struct pf_cluster *c, struct pf_pkt *p,
			    pf_member_state_fn state);

#endif /* PF_CORE_CLUSTER_H */
