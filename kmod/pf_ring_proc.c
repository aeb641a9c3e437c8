// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_proc.c - /proc/net/pf_ring: info, plugins_info, dev/<if>/info and
 * one file per bound socket, <pid>-<if>.<ring id> (User Guide 7.1, 8.14).
 */
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

#include "pf_ring_kmod.h"
#include "core/plugin.h"

static struct proc_dir_entry *pf_proc_dir, *pf_proc_dev_dir;

static int count_plugins(void)
{
	int id, n = 0;

	for (id = 1; id < MAX_PLUGIN_ID; id++)
		n += pf_plugin_get(id) != NULL;
	return n;
}

static int info_show(struct seq_file *m, void *v)
{
	seq_printf(m, "Version          : %s\n", RING_VERSION);
	seq_printf(m, "Ring slots       : %u\n", min_num_slots);
	seq_printf(m, "Slot version     : %u\n", PF_RING_LAYOUT_VERSION);
	seq_printf(m, "ABI version      : %u\n", PF_RING_ABI_VERSION);
	seq_printf(m, "Capture TX       : %s\n", enable_tx_capture ? "Yes [RX+TX]" : "No [RX only]");
	seq_printf(m, "IP Defragment    : %s\n", enable_ip_defrag ? "Yes" : "No");
	seq_printf(m, "Socket Mode      : %s\n", quick_mode ? "Quick" : "Standard");
	seq_printf(m, "Transparent mode : %s (mode %u)%s\n", transparent_mode ? "No" : "Yes",
		   transparent_mode, transparent_mode ?
		   " [needs PF_RING-aware drivers: running as mode 0]" : "");
	seq_printf(m, "Total rings      : %d\n", atomic_read(&pf_ring_nsockets));
	seq_printf(m, "Total plugins    : %d\n", count_plugins());
	return 0;
}

static int plugins_show(struct seq_file *m, void *v)
{
	const struct pfring_plugin_registration *reg;
	int id;

	seq_puts(m, "ID      Plugin\n");
	/* a plugin's registration lives in its module: unregister_plugin waits a
	 * grace period after clearing the entry, so reading it under RCU is safe
	 * against an rmmod of the plugin */
	rcu_read_lock();
	for (id = 1; id < MAX_PLUGIN_ID; id++) {
		reg = pf_plugin_get(id);
		if (reg)
			seq_printf(m, "%-7d %s [%s]\n", id, reg->name, reg->description);
	}
	rcu_read_unlock();
	return 0;
}

static const char *direction_name(packet_direction d)
{
	return d == rx_only_direction ? "RX only" : d == tx_only_direction ? "TX only" : "RX+TX";
}

/* The cluster can be left (and freed after a grace period) while /proc reads. */
static u32 cluster_id_of(const struct pf_ring_sock *ps)
{
	const struct pf_ring_cluster *cl;
	u32 id;

	rcu_read_lock();
	cl = READ_ONCE(ps->cluster);
	id = cl ? cl->c.id : 0;
	rcu_read_unlock();
	return id;
}

static int sock_show(struct seq_file *m, void *v)
{
	struct pf_ring_sock *ps = m->private;
	struct pf_ring_socket_stats st;
	struct pf_ring_stats rs;

	pf_ring_sock_stats(ps, &st, &rs);
	seq_printf(m, "Bound Device      : %s\n", ps->dev_name);
	seq_printf(m, "Slot Version      : %u [%s]\n", PF_RING_LAYOUT_VERSION, RING_VERSION);
	seq_printf(m, "Active            : %u\n", READ_ONCE(ps->active));
	seq_printf(m, "Channel Id        : %d\n", ps->queue < 0 ? -1 : ps->queue);
	seq_printf(m, "Cluster Id        : %u\n", cluster_id_of(ps));
	seq_printf(m, "Sampling Rate     : %u\n", ps->core.sampling_rate);
	seq_printf(m, "Capture Direction : %s\n", direction_name(ps->core.direction));
	seq_printf(m, "Appl. Name        : %s\n", ps->appl_name);
	seq_printf(m, "IP Defragment     : %s\n", enable_ip_defrag ? "Yes" : "No");
	seq_printf(m, "BPF Filtering     : %s\n", rcu_access_pointer(ps->sk.sk_filter) ? "Enabled" : "Disabled");
	seq_printf(m, "Poll Watermark    : %u\n", ps->watermark);
	seq_printf(m, "Slot Len          : %u\n", ps->caplen);
	seq_printf(m, "Tot Memory        : %zu\n", ps->ring_size);
	seq_printf(m, "Tot Packets       : %llu\n", st.seen);
	seq_printf(m, "Tot Filtered      : %llu\n", st.filtered);
	seq_printf(m, "Tot Unsampled     : %llu\n", st.unsampled);
	seq_printf(m, "Tot Insert        : %llu\n", rs.inserted);
	seq_printf(m, "Tot Pkt Lost      : %llu\n", rs.dropped_full + rs.refused);
	seq_printf(m, "Tot Refused       : %llu\n", rs.refused);
	seq_printf(m, "Tot Read          : %llu\n", rs.read);
	seq_printf(m, "Num Free Slots    : %s\n", rs.queued ? "some" : "all");
	return 0;
}

void pf_ring_proc_add_sock(struct pf_ring_sock *ps)
{
	char name[64];

	snprintf(name, sizeof(name), "%d-%s.%u", ps->pid, ps->dev_name, ps->id);
	ps->proc = proc_create_single_data(name, 0444, pf_proc_dir, sock_show, ps);
}

void pf_ring_proc_del_sock(struct pf_ring_sock *ps)
{
	proc_remove(ps->proc);   /* waits for readers still in sock_show */
	ps->proc = NULL;
}

/* ------------------------------------------------------------- devices */

static int dev_show(struct seq_file *m, void *v)
{
	int ifindex = (int)(long)m->private;
	struct pf_ring_sock *ps;
	struct net_device *dev;
	int bound = 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(&init_net, ifindex);
	if (!dev) {
		rcu_read_unlock();
		return 0;
	}
	list_for_each_entry_rcu(ps, &pf_ring_sockets, list)
		bound += pf_ring_sock_bound(ps) && !READ_ONCE(ps->dev_gone) && ps->ifindex == ifindex;
	seq_printf(m, "Name              : %s\n", dev->name);
	seq_printf(m, "Index             : %d\n", ifindex);
	seq_printf(m, "Address           : %pM\n", dev->dev_addr);
	seq_puts(m, "Polling Mode      : NAPI\n");
	seq_puts(m, "Type              : Ethernet\n");
	seq_puts(m, "Family            : Standard NIC\n");
	seq_printf(m, "Max # TX Queues   : %u\n", dev->real_num_tx_queues);
	seq_printf(m, "# Used RX Queues  : %u\n", dev->real_num_rx_queues);
	seq_printf(m, "# Bound Sockets   : %d\n", bound);
	rcu_read_unlock();
	return 0;
}

/*
 * dev/<name> of each device of init_net, found by ifindex and removed by its
 * entry, never by name: when NETDEV_CHANGENAME arrives the device already has
 * its new name, and a device taking the old one later must find it free.
 * Changed only by the netdevice notifier, which runs under RTNL.
 */
struct pf_dev_dir {
	struct list_head list;
	int ifindex;
	struct proc_dir_entry *dir;
};
static LIST_HEAD(pf_dev_dirs);

static struct proc_dir_entry *dev_dir_create(struct net_device *dev)
{
	struct proc_dir_entry *d = proc_mkdir(dev->name, pf_proc_dev_dir);

	if (d && !proc_create_single_data("info", 0444, d, dev_show,
					  (void *)(long)dev->ifindex)) {
		proc_remove(d);
		d = NULL;
	}
	if (!d)
		pr_warn("pf_ring: no /proc/net/pf_ring/dev/%s\n", dev->name);
	return d;
}

static struct pf_dev_dir *dev_dir_find(int ifindex)
{
	struct pf_dev_dir *e;

	list_for_each_entry(e, &pf_dev_dirs, list)
		if (e->ifindex == ifindex)
			return e;
	return NULL;
}

static void dev_dir_add(struct net_device *dev)
{
	struct pf_dev_dir *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e) {
		pr_warn("pf_ring: no /proc/net/pf_ring/dev/%s (out of memory)\n", dev->name);
		return;
	}
	e->ifindex = dev->ifindex;
	e->dir = dev_dir_create(dev);
	list_add(&e->list, &pf_dev_dirs);
}

static void dev_dir_del(struct pf_dev_dir *e)
{
	proc_remove(e->dir);   /* waits for readers still in dev_show */
	list_del(&e->list);
	kfree(e);
}

static int dev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct pf_dev_dir *e;

	if (!net_eq(dev_net(dev), &init_net))
		return NOTIFY_DONE;
	ASSERT_RTNL();
	e = dev_dir_find(dev->ifindex);
	switch (event) {
	case NETDEV_REGISTER:
		if (!e)
			dev_dir_add(dev);
		break;
	case NETDEV_CHANGENAME:
		if (e) {
			proc_remove(e->dir);
			e->dir = dev_dir_create(dev);
		}
		break;
	case NETDEV_UNREGISTER:
		if (e)
			dev_dir_del(e);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pf_dev_notifier = { .notifier_call = dev_event };

int pf_ring_proc_init(void)
{
	int rc;

	pf_proc_dir = proc_mkdir("pf_ring", init_net.proc_net);
	if (!pf_proc_dir)
		return -ENOMEM;
	pf_proc_dev_dir = proc_mkdir("dev", pf_proc_dir);
	if (!pf_proc_dev_dir ||
	    !proc_create_single("info", 0444, pf_proc_dir, info_show) ||
	    !proc_create_single("plugins_info", 0444, pf_proc_dir, plugins_show)) {
		remove_proc_subtree("pf_ring", init_net.proc_net);
		return -ENOMEM;
	}
	/* replays NETDEV_REGISTER for the devices that exist already (and, when it
	 * fails, NETDEV_UNREGISTER for those it replayed) */
	rc = register_netdevice_notifier(&pf_dev_notifier);
	if (rc)
		remove_proc_subtree("pf_ring", init_net.proc_net);
	return rc;
}

void pf_ring_proc_exit(void)
{
	struct pf_dev_dir *e, *n;

	/* replays NETDEV_UNREGISTER for every device: the list is empty after it */
	unregister_netdevice_notifier(&pf_dev_notifier);
	list_for_each_entry_safe(e, n, &pf_dev_dirs, list)
		dev_dir_del(e);
	remove_proc_subtree("pf_ring", init_net.proc_net);
}
