/*
 * core/cluster.c - ring clusters (core/cluster.h): membership in join order and
 * the choice of one member per packet (core/hash.h does the hashing).
 */
#include "port.h"
#include "cluster.h"
#include "hash.h"

static int valid_type(cluster_type t)
{
	return (u32)t <= (u32)cluster_per_flow_tcp_5_tuple;
}

void pf_cluster_init(struct pf_cluster *c, u32 id, cluster_type type)
{
	pf_memset(c, 0, sizeof(*c));
	c->id = id;
	c->type = type;
}

static int member_index(const struct pf_cluster *c, const void *member)
{
	u32 i;

	for (i = 0; i < c->n; i++)
		if (c->member[i] == member)
			return (int)i;
	return -1;
}

int pf_cluster_join(struct pf_cluster *c, void *member, cluster_type type)
{
	if (c == (void *)0 || member == (void *)0 || !valid_type(type) || type != c->type)
		return -PF_EINVAL;
	if (member_index(c, member) >= 0)
		return -PF_EEXIST;
	if (c->n >= CLUSTER_LEN)
		return -PF_ENOSPC;
	c->member[c->n++] = member;
	return 0;
}

int pf_cluster_leave(struct pf_cluster *c, void *member)
{
	int at;
	u32 i;

	if (c == (void *)0)
		return -PF_ENOENT;
	at = member_index(c, member);
	if (at < 0)
		return -PF_ENOENT;
	for (i = (u32)at; i + 1 < c->n; i++)
		c->member[i] = c->member[i + 1];
	c->n--;
	c->member[c->n] = (void *)0;
	/* keep the round-robin cursor in range (and on the next member in turn) */
	if (c->rr > (u32)at)
		c->rr--;
	if (c->rr >= c->n)
		c->rr = 0;
	return 0;
}

void *pf_cluster_pick_member(struct pf_cluster *c, struct pf_pkt *p)
{
	u32 i;

	if (c == (void *)0 || c->n == 0)
		return (void *)0;
	if (c->type == cluster_round_robin) {
		i = pf_cluster_pick((void *)0, c->type, c->hash_flags, c->n, &c->rr);
	} else {
		if (p == (void *)0)
			return c->member[0];
		pf_pkt_parse(p);
		i = pf_cluster_pick(&p->info, c->type, c->hash_flags, c->n, (void *)0);
	}
	return i < c->n ? c->member[i] : c->member[0];
}

void *pf_cluster_member_for(struct pf_cluster *c, struct pf_pkt *p,
			    pf_member_state_fn state)
{
	enum pf_member_state need = c->type == cluster_round_robin ? PF_MEMBER_READY
								     : PF_MEMBER_LATER;
	struct pf_cluster sub;
	void *m;
	u32 i;

	/* no pf_cluster_init: only the members taken are ever read (hot path) */
	sub.id = c->id;
	sub.type = c->type;
	sub.hash_flags = c->hash_flags;
	sub.rr = c->rr;
	sub.n = 0;
	for (i = 0; i < c->n; i++)
		if (state(c->member[i], p) >= need)
			sub.member[sub.n++] = c->member[i];
	if (sub.n == c->n)
		return pf_cluster_pick_member(c, p);
	/* round-robin: the cursor walks the members taken; keep it for the next packet */
	m = pf_cluster_pick_member(&sub, p);
	c->rr = sub.rr;
	return m;
}
