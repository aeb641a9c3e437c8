/*
 * core/deliver.c - the delivery step (core/deliver.h): the choice of sockets for
 * a frame, each one's pipeline and ring insert, through the home's ops.
 */
#include "port.h"
#include "deliver.h"

int pf_deliver_insert(const struct pf_deliver_target *t, struct pf_pkt *p)
{
	int rc;

	if (!t->enabled)
		return -PF_ENOSPC;
	rc = pf_pkt_to_ring(t->prod, p, t->caplen, t->ts_ns, t->pkt_hash);
	if (rc < 0)
		return rc;
	pf_ring_publish(t->prod);
	return pf_ring_prod_should_wake(t->prod, t->watermark) ? 1 : 0;
}

/* Offer the frame to member: its pipeline, then its ring. */
static void offer(const struct pf_deliver_ops *ops, void *home, void *member,
		  struct pf_pkt *tmpl)
{
	struct pf_deliver_target t;
	struct pf_pkt p = *tmpl;
	int rc = 0;

	p.info.last_matched_rule_id = 0;
	p.info.last_matched_plugin_id = 0;
	if (ops->lock)
		ops->lock(member);
	ops->target(home, member, &p, &t);
	if (pf_socket_filter(t.sock, &p) == PF_PASS) {
		if (t.reflect && ops->reflect(home, member, &p) < 0)
			t.sock->cnt.reflect_errors++;
		rc = pf_deliver_insert(&t, &p);
		if (rc == -PF_ENOSPC && !(ops->full && ops->full(home, member, &p)))
			pf_ring_drop(t.prod, 1);
	}
	if (ops->unlock)
		ops->unlock(member);
	if (rc == 1)
		ops->wake(home, member);
	/* the next socket need not parse again */
	if (p.parsed_level && !tmpl->parsed_level) {
		tmpl->parsed_level = p.parsed_level;
		tmpl->info = p.info;
		tmpl->info.last_matched_rule_id = 0;
		tmpl->info.last_matched_plugin_id = 0;
	}
}

void pf_deliver(const struct pf_deliver_ops *ops, void *home, struct pf_pkt *tmpl)
{
	struct pf_deliver_iter it = { (void *)0, 0 };
	struct pf_cluster *c;
	void *m;

	while ((m = ops->next_free(home, &it)) != (void *)0)
		if (ops->state(m, tmpl) == PF_MEMBER_READY)
			offer(ops, home, m, tmpl);
	it.pos = (void *)0;
	it.i = 0;
	while ((c = ops->next_cluster(home, &it)) != (void *)0) {
		if (ops->cluster_lock)
			ops->cluster_lock(c);
		m = pf_cluster_member_for(c, tmpl, ops->state);
		if (ops->cluster_unlock)
			ops->cluster_unlock(c);
		if (m)
			offer(ops, home, m, tmpl);
	}
}
