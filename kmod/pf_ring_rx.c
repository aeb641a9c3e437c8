// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_rx.c - the packet path: every frame any driver receives (and,
 * with enable_tx_capture=1, transmits) reaches pf_ring_rcv() through an
 * ETH_P_ALL protocol hook; it becomes a struct pf_pkt and goes to core/'s
 * delivery step (core/deliver.h): clusters pick one member, each socket's
 * pipeline decides, its ring stores it. This file says how the module keeps and
 * locks its sockets and clusters and how it wakes a reader.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/if_vlan.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/ip.h>
#include <net/ip.h>

#include "pf_ring_kmod.h"
#include "core/deliver.h"

/* Frames are handed to core as contiguous bytes starting at the MAC header. A
 * linear frame is used in place; a paged one, or one whose VLAN tag the NIC
 * stripped (it is put back, so the bytes and the cluster hash are those on the
 * wire), is copied into this CPU's scratch buffer, up to its size. */
#define PF_SCRATCH_LEN 16384
static u8 **pf_scratch;   /* [nr_cpu_ids] */

/* The sockets in no cluster, in list order (RCU: the stack's read section). */
static void *next_free_sock(void *home, struct pf_deliver_iter *it)
{
	struct list_head *pos = it->pos ? &((struct pf_ring_sock *)it->pos)->list
					: &pf_ring_sockets;
	struct pf_ring_sock *ps;

	while ((ps = list_next_or_null_rcu(&pf_ring_sockets, pos, struct pf_ring_sock, list))) {
		if (!READ_ONCE(ps->cluster)) {
			it->pos = ps;
			return ps;
		}
		pos = &ps->list;
	}
	return NULL;
}

static struct pf_cluster *next_cluster(void *home, struct pf_deliver_iter *it)
{
	struct list_head *pos = it->pos ? &((struct pf_ring_cluster *)it->pos)->list
					: &pf_ring_clusters;
	struct pf_ring_cluster *cl;

	cl = list_next_or_null_rcu(&pf_ring_clusters, pos, struct pf_ring_cluster, list);
	it->pos = cl;
	return cl ? &cl->c : NULL;
}

/* What ps can do with p (core/cluster.h): bound to p's device and not going
 * away, then the checks every home makes. */
static enum pf_member_state sock_state(const void *member, const struct pf_pkt *p)
{
	const struct pf_ring_sock *ps = member;

	if (!pf_ring_sock_bound(ps) || READ_ONCE(ps->dev_gone))
		return PF_MEMBER_NEVER;
	if (ps->ifindex && ps->ifindex != p->if_index)
		return PF_MEMBER_NEVER;
	/* SO_SET_CHANNEL_ID, SO_SET_SOCKET_MODE and SO_ACTIVATE_RING change them any time */
	return pf_deliver_member_state(p, READ_ONCE(ps->queue),
				       READ_ONCE(ps->mode) == send_only_mode,
				       READ_ONCE(ps->active));
}

static void cluster_lock(struct pf_cluster *c)
{
	spin_lock(&container_of(c, struct pf_ring_cluster, c)->lock);
}

static void cluster_unlock(struct pf_cluster *c)
{
	spin_unlock(&container_of(c, struct pf_ring_cluster, c)->lock);
}

static void sock_lock(void *member)
{
	spin_lock(&((struct pf_ring_sock *)member)->prod_lock);
}

static void sock_unlock(void *member)
{
	spin_unlock(&((struct pf_ring_sock *)member)->prod_lock);
}

/* Under prod_lock. A member that is not active keeps its flows (core/cluster.h):
 * what its pipeline passes is dropped and counted on it, as on a full ring. */
static void sock_target(void *home, void *member, const struct pf_pkt *p,
			struct pf_deliver_target *t)
{
	struct pf_ring_sock *ps = member;

	/* the socket's own sk_filter is attached and detached at any time */
	ps->core.home_bpf = rcu_access_pointer(ps->sk.sk_filter) != NULL;
	t->sock = &ps->core;
	t->prod = &ps->prod;
	t->caplen = ps->caplen;
	t->watermark = READ_ONCE(ps->watermark);
	t->ts_ns = p->ts_ns;
	t->pkt_hash = 0;
	t->enabled = READ_ONCE(ps->active);
	t->reflect = ps->reflector[0] != '\0';
}

static int sock_reflect(void *home, void *member, const struct pf_pkt *p)
{
	struct pf_ring_sock *ps = member;

	return ps->home.reflect(ps, ps->reflector, p);
}

static void sock_wake(void *home, void *member)
{
	struct pf_ring_sock *ps = member;

	ps->sk.sk_data_ready(&ps->sk);
}

/* A full ring drops and counts (no full()): the stack never waits for a reader. */
static const struct pf_deliver_ops kmod_deliver_ops = {
	.next_free = next_free_sock,
	.next_cluster = next_cluster,
	.state = sock_state,
	.cluster_lock = cluster_lock,
	.cluster_unlock = cluster_unlock,
	.lock = sock_lock,
	.unlock = sock_unlock,
	.target = sock_target,
	.reflect = sock_reflect,
	.wake = sock_wake,
};

/* The frame's bytes from the MAC header (skb->data is there), tag restored. */
static void frame_bytes(struct sk_buff *skb, struct pf_pkt *p)
{
	u8 *buf = pf_scratch[smp_processor_id()];
	u32 len = skb->len, n;

	if (!skb_vlan_tag_present(skb)) {
		p->len = len;
		if (skb_headlen(skb) >= len) {
			p->data = skb->data;
			p->caplen = len;
			return;
		}
		n = min_t(u32, len, PF_SCRATCH_LEN);
		if (skb_copy_bits(skb, 0, buf, n))
			n = 0;
	} else {
		__be16 tag[2] = { skb->vlan_proto, htons(skb_vlan_tag_get(skb)) };

		p->len = len + VLAN_HLEN;
		n = min_t(u32, p->len, PF_SCRATCH_LEN);
		if (len < 2 * ETH_ALEN || skb_copy_bits(skb, 0, buf, 2 * ETH_ALEN) ||
		    skb_copy_bits(skb, 2 * ETH_ALEN, buf + 2 * ETH_ALEN + VLAN_HLEN,
				  n - 2 * ETH_ALEN - VLAN_HLEN))
			n = 0;
		else
			memcpy(buf + 2 * ETH_ALEN, tag, VLAN_HLEN);
	}
	p->data = buf;
	p->caplen = n;
}

static void xmit_later(struct pf_ring_tx_later *later)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&later->q)) != NULL)
		dev_queue_xmit(skb);
}

void pf_ring_deliver_skb(struct sk_buff *skb, struct net_device *dev, u8 rx)
{
	struct pf_ring_tx_later later;
	struct pf_pkt t;
	u64 ts;

	memset(&t, 0, sizeof(t));
	ts = rx ? ktime_to_ns(skb->tstamp) : 0;
	t.ts_ns = ts ? ts : ktime_get_real_ns();
	t.if_index = dev->ifindex;
	t.rx = rx;
	t.queue = skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : 0;
	__skb_queue_head_init(&later.q);
	later.skb = skb;
	t.home_pkt = &later;
	frame_bytes(skb, &t);
	if (t.caplen)
		pf_deliver(&kmod_deliver_ops, NULL, &t);
	xmit_later(&later);
}

static int pf_ring_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig_dev)
{
	u8 rx = skb->pkt_type != PACKET_OUTGOING;
	int mac_off;

	if (skb->pkt_type == PACKET_LOOPBACK || !atomic_read(&pf_ring_nsockets) ||
	    (!rx && !enable_tx_capture))
		goto out;
	if (rx && enable_ip_defrag && skb->protocol == htons(ETH_P_IP)) {
		/* IPv4 fragments are reassembled before the filters (as AF_PACKET's
		 * fanout does); NULL while fragments are missing: the queue keeps it */
		skb = ip_check_defrag(dev_net(dev), skb, IP_DEFRAG_AF_PACKET);
		if (!skb)
			return 0;
	}
	/* Shared with the other taps: move data to the MAC header and back, as
	 * AF_PACKET does, without touching the bytes. */
	mac_off = skb_mac_header_was_set(skb) ? skb->data - skb_mac_header(skb) : 0;
	if (mac_off < 0 || mac_off > skb_headroom(skb))
		goto out;
	skb_push(skb, mac_off);
	pf_ring_deliver_skb(skb, dev, rx);
	skb_pull(skb, mac_off);
out:
	consume_skb(skb);
	return 0;
}

static bool pf_ring_hooked;
static struct packet_type pf_ring_pt = {
	.type = htons(ETH_P_ALL),
	.func = pf_ring_rcv,
};

int pf_ring_rx_init(void)
{
	unsigned int cpu;

	pf_scratch = kcalloc(nr_cpu_ids, sizeof(*pf_scratch), GFP_KERNEL);
	if (!pf_scratch)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		pf_scratch[cpu] = kmalloc_node(PF_SCRATCH_LEN, GFP_KERNEL, cpu_to_node(cpu));
		if (!pf_scratch[cpu]) {
			pf_ring_rx_exit();
			return -ENOMEM;
		}
	}
	net_enable_timestamp();
	dev_add_pack(&pf_ring_pt);
	pf_ring_hooked = true;
	return 0;
}

void pf_ring_rx_exit(void)
{
	unsigned int cpu;

	if (!pf_scratch)
		return;
	if (pf_ring_hooked) {
		dev_remove_pack(&pf_ring_pt);   /* waits for CPUs still in the hook */
		net_disable_timestamp();
		pf_ring_hooked = false;
	}
	for_each_possible_cpu(cpu)
		kfree(pf_scratch[cpu]);
	kfree(pf_scratch);
	pf_scratch = NULL;
}
