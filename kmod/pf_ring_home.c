// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_home.c - core/'s home in the kernel (struct pf_home, core/engine.h):
 * clock, memory, RCU, locks, the kernel's classic BPF, reflection, and the
 * module references rules hold on plugins.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/filter.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>

#include "pf_ring_kmod.h"

static u64 home_now_ns(void *ctx)
{
	return ktime_get_real_ns();
}

/* core allocates from process context (setsockopt) and, for rule actions,
 * from the packet path under spinlocks: only the former may sleep. */
static void *home_alloc(void *ctx, size_t n)
{
	if (in_atomic() || irqs_disabled() || in_softirq())
		return kzalloc(n, GFP_ATOMIC | __GFP_NOWARN);
	return kvzalloc(n, GFP_KERNEL);
}

static void home_free(void *ctx, void *p)
{
	kvfree(p);
}

static void home_read_lock(void *ctx)
{
	rcu_read_lock();
}

static void home_read_unlock(void *ctx)
{
	rcu_read_unlock();
}

static void home_synchronize(void *ctx)
{
	synchronize_rcu();
}

static void home_write_lock(void *ctx)
{
	struct pf_ring_sock *ps = ctx;

	spin_lock_bh(&ps->cfg_lock);
}

static void home_write_unlock(void *ctx)
{
	struct pf_ring_sock *ps = ctx;

	spin_unlock_bh(&ps->cfg_lock);
}

/*
 * core's BPF step: the socket's sk_filter (SO_ATTACH_FILTER; the kernel's
 * classic BPF, validated and JIT-compiled by the kernel) run on the sk_buff
 * itself, whose data starts at the MAC header while it is delivered. A tag
 * the NIC stripped is seen through the kernel's VLAN ancillary loads, as with
 * AF_PACKET (docs/kmod.md).
 */
static u32 home_bpf_run(void *ctx, const void *insns, u32 n_insns, const struct pf_pkt *p)
{
	struct pf_ring_sock *ps = ctx;
	const struct pf_ring_tx_later *later = p->home_pkt;
	struct sk_filter *filter = rcu_dereference(ps->sk.sk_filter);

	if (!filter || !later || !later->skb)
		return p->caplen;   /* detached meanwhile */
	return bpf_prog_run(filter->prog, later->skb);
}

/*
 * A copy of the frame as captured, queued to go out of dev once the packet
 * path has left its locks (sending from inside would re-enter it: TX capture).
 * Only received frames are re-sent: a frame captured on transmit is already
 * inside a transmit path, and sending it again (to its own device, or to one
 * whose ring reflects back) would be captured on transmit again, without end
 * ("Dead loop on virtual device" on a veth, an endless transmit on a NIC).
 * Whatever the ring or rule does with it otherwise stands: it is simply not
 * re-sent, and that is no reflect error (docs/kmod.md).
 */
static int queue_frame(struct pf_ring_sock *ps, const struct pf_pkt *p,
		       struct net_device *dev)
{
	struct pf_ring_tx_later *later = p->home_pkt;
	struct sk_buff *skb;

	if (!p->rx)
		return 0;
	if (!later || !dev || !(dev->flags & IFF_UP))
		return -1;
	skb = pf_ring_tx_alloc(dev, p->caplen, GFP_ATOMIC);
	if (!skb)
		return -1;
	memcpy(skb->data, p->data, p->caplen);
	pf_ring_tx_ready(ps, skb);
	__skb_queue_tail(&later->q, skb);
	return 0;
}

static int home_reflect(void *ctx, const char *device, const struct pf_pkt *p)
{
	struct pf_ring_sock *ps = ctx;
	struct net_device *dev = dev_get_by_name_rcu(sock_net(&ps->sk), device);

	return queue_frame(ps, p, dev);
}

static int home_bounce(void *ctx, const struct pf_pkt *p)
{
	struct pf_ring_sock *ps = ctx;
	struct net_device *dev = dev_get_by_index_rcu(sock_net(&ps->sk), p->if_index);

	return queue_frame(ps, p, dev);
}

/* A rule naming a plugin pins the plugin's module (core/plugin.h,
 * pf_plugin_hold), so the module cannot unload while the rule lives. Fails
 * once the module is going away (its rmmod won). Atomic context is fine. */
static int home_plugin_get(void *ctx, void *owner)
{
	return try_module_get(owner) ? 0 : -1;
}

static void home_plugin_put(void *ctx, void *owner)
{
	module_put(owner);
}

void pf_ring_home_init(struct pf_ring_sock *ps)
{
	struct pf_home *h = &ps->home;

	h->ctx = ps;
	h->now_ns = home_now_ns;
	h->alloc = home_alloc;
	h->free = home_free;
	h->read_lock = home_read_lock;
	h->read_unlock = home_read_unlock;
	h->synchronize = home_synchronize;
	h->write_lock = home_write_lock;
	h->write_unlock = home_write_unlock;
	h->bpf_run = home_bpf_run;
	h->reflect = home_reflect;
	h->bounce = home_bounce;
	h->plugin_get = home_plugin_get;
	h->plugin_put = home_plugin_put;
}
