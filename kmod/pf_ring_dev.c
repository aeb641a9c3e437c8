// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_dev.c - a bound device that goes away.
 *
 * A socket holds its device while bound. When the device is unregistered
 * (deleted, its driver unloaded, moved to or torn down with its network
 * namespace) every socket bound to it lets go at NETDEV_UNREGISTER, as
 * AF_PACKET does, so the unregister never waits for a ring to be closed:
 * the socket stops receiving, drops its reference, ends its ring (core's
 * end_reason, after the last frame the device gave it) and wakes its readers.
 * The ring stays mapped and readable: the library hands out what was queued,
 * then reports ENODEV (docs/kmod.md).
 */
#include <linux/netdevice.h>

#include "pf_ring_kmod.h"

/*
 * Both passes run under pf_ring_mutex, so bind (which refuses a device that is
 * unregistering) and release (which unlinks the socket and puts the reference
 * itself) cannot interleave: exactly one of them and this puts it. The first
 * pass stops the packet path offering frames to the sockets; after the grace
 * period none is still being offered one, so the end is published after the
 * last frame the device gave each ring. Readers that took the device under
 * RCU before the pointer was cleared hold their own reference
 * (pf_ring_sock_dev_get), and the unregister waits for those.
 */
static void unregistered(struct net_device *dev)
{
	struct pf_ring_sock *ps;
	bool any = false;

	mutex_lock(&pf_ring_mutex);
	list_for_each_entry(ps, &pf_ring_sockets, list) {
		if (rcu_access_pointer(ps->dev) == dev) {
			WRITE_ONCE(ps->dev_gone, 1);
			any = true;
		}
	}
	if (any) {
		synchronize_net();
		list_for_each_entry(ps, &pf_ring_sockets, list) {
			if (rcu_access_pointer(ps->dev) != dev)
				continue;
			RCU_INIT_POINTER(ps->dev, NULL);
			pf_ring_prod_end(&ps->prod, PF_RING_END_DEVICE_GONE);
			/* only now: a reader woken by EPOLLHUP finds the ring ended */
			smp_store_release(&ps->ended, 1);
			ps->sk.sk_state_change(&ps->sk);   /* wake every sleeper */
			dev_put(dev);
		}
	}
	mutex_unlock(&pf_ring_mutex);
}

static int dev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	if (event == NETDEV_UNREGISTER)
		unregistered(netdev_notifier_info_to_dev(ptr));
	return NOTIFY_DONE;
}

static struct notifier_block pf_ring_dev_notifier = { .notifier_call = dev_event };

int pf_ring_dev_init(void)
{
	return register_netdevice_notifier(&pf_ring_dev_notifier);
}

void pf_ring_dev_exit(void)
{
	unregister_netdevice_notifier(&pf_ring_dev_notifier);
}
