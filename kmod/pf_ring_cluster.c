// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_cluster.c - clusters across sockets and processes (spec 8.7).
 * core/cluster.c keeps the members and picks one per packet; this file keeps
 * the list of clusters and their lifetime.
 */
#include <linux/slab.h>
#include <linux/rculist.h>

#include "pf_ring_kmod.h"

LIST_HEAD(pf_ring_clusters);

static struct pf_ring_cluster *cluster_find(u32 id)
{
	struct pf_ring_cluster *cl;

	list_for_each_entry(cl, &pf_ring_clusters, list)
		if (cl->c.id == id)
			return cl;
	return NULL;
}

int pf_ring_cluster_join(struct pf_ring_sock *ps, u32 id, cluster_type type)
{
	struct pf_ring_cluster *cl, *fresh = NULL;
	int rc;

	if ((u32)type > (u32)cluster_per_flow_tcp_5_tuple)
		return -EINVAL;
	mutex_lock(&pf_ring_mutex);
	if (ps->cluster) {
		rc = ps->cluster->c.id == id ? -EEXIST : -EBUSY;
		goto out;
	}
	cl = cluster_find(id);
	if (!cl) {
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
		if (!fresh) {
			rc = -ENOMEM;
			goto out;
		}
		spin_lock_init(&fresh->lock);
		pf_cluster_init(&fresh->c, id, type);
		cl = fresh;
	}
	spin_lock_bh(&cl->lock);
	rc = pf_cluster_join(&cl->c, ps, type);
	spin_unlock_bh(&cl->lock);
	if (rc) {
		kfree(fresh);
		goto out;
	}
	if (fresh)
		list_add_tail_rcu(&fresh->list, &pf_ring_clusters);
	WRITE_ONCE(ps->cluster, cl);
out:
	mutex_unlock(&pf_ring_mutex);
	return rc;
}

int pf_ring_cluster_leave(struct pf_ring_sock *ps)
{
	struct pf_ring_cluster *cl;
	int empty;

	mutex_lock(&pf_ring_mutex);
	cl = ps->cluster;
	if (!cl) {
		mutex_unlock(&pf_ring_mutex);
		return -ENOENT;
	}
	spin_lock_bh(&cl->lock);
	pf_cluster_leave(&cl->c, ps);
	empty = cl->c.n == 0;
	spin_unlock_bh(&cl->lock);
	WRITE_ONCE(ps->cluster, NULL);
	if (empty)
		list_del_rcu(&cl->list);
	mutex_unlock(&pf_ring_mutex);
	if (empty)
		kfree_rcu(cl, rcu);
	return 0;
}
