// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_main.c - pf_ring.ko: module parameters, load and unload.
 *
 * The packet path and the pipeline are core/'s; this module is their kernel
 * home (docs/kmod.md).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>

#include "pf_ring_kmod.h"
#include "core/plugin.h"

unsigned int min_num_slots = 4096;
unsigned int transparent_mode;
unsigned int enable_tx_capture = 1;
unsigned int enable_ip_defrag;
unsigned int quick_mode;

module_param(min_num_slots, uint, 0444);
MODULE_PARM_DESC(min_num_slots, "Min number of ring slots (default 4096)");
module_param(transparent_mode, uint, 0444);
MODULE_PARM_DESC(transparent_mode,
		 "0 = standard Linux drivers (the only mode without PF_RING-aware drivers); "
		 "1 and 2 are accepted and behave as 0");
module_param(enable_tx_capture, uint, 0444);
MODULE_PARM_DESC(enable_tx_capture, "1 = capture transmitted frames too (default), 0 = RX only");
module_param(enable_ip_defrag, uint, 0444);
MODULE_PARM_DESC(enable_ip_defrag, "1 = reassemble received IPv4 fragments before the filters");
module_param(quick_mode, uint, 0444);
MODULE_PARM_DESC(quick_mode, "1 = one socket per interface, no per-socket locks (accepted, see /proc)");

DEFINE_MUTEX(pf_ring_mutex);
LIST_HEAD(pf_ring_sockets);
atomic_t pf_ring_nsockets = ATOMIC_INIT(0);

/*
 * Kernel plugins (User Guide chapter 10) register with core's registry, their
 * module as the owner: every rule naming a plugin holds a reference on that
 * module (pf_ring_home.c, core/plugin.h), so rmmod of a plugin is refused
 * (EAGAIN) while rules name it, and its exit, the only caller of
 * unregister_plugin, runs when no rule does (docs/kmod.md).
 */
static DEFINE_MUTEX(pf_plugin_mutex);

int pf_ring_register_plugin(const struct pfring_plugin_registration *reg, struct module *owner)
{
	int rc;

	mutex_lock(&pf_plugin_mutex);
	rc = pf_plugin_register(reg, owner);
	mutex_unlock(&pf_plugin_mutex);
	if (rc == 0)
		pr_info("pf_ring: plugin %u (%s) registered\n", reg->plugin_id, reg->name);
	return rc;
}
EXPORT_SYMBOL(pf_ring_register_plugin);

int unregister_plugin(u16 plugin_id)
{
	int rc;

	mutex_lock(&pf_plugin_mutex);
	rc = pf_plugin_unregister(plugin_id);
	mutex_unlock(&pf_plugin_mutex);
	/* A rule being added may have read the entry just before: wait until its
	 * try_module_get (which fails: the module is going) is over, so the
	 * module's memory outlives every reader of the registration. */
	if (rc == 0)
		synchronize_rcu();
	return rc;
}
EXPORT_SYMBOL(unregister_plugin);

static int __init pf_ring_module_init(void)
{
	int rc;

	if (min_num_slots < 16 || min_num_slots > (1u << 20)) {
		pr_err("pf_ring: min_num_slots=%u out of range [16, 1048576]\n", min_num_slots);
		return -EINVAL;
	}
	if (transparent_mode > 2) {
		pr_err("pf_ring: transparent_mode=%u: valid values are 0, 1, 2\n", transparent_mode);
		return -EINVAL;
	}
	if (transparent_mode)
		pr_info("pf_ring: transparent_mode=%u needs PF_RING-aware drivers, which this "
			"module does not ship: running as transparent_mode=0\n", transparent_mode);
	rc = pf_ring_proc_init();
	if (rc)
		return rc;
	rc = pf_ring_sock_register();
	if (rc)
		goto out_proc;
	rc = pf_ring_dev_init();
	if (rc)
		goto out_sock;
	rc = pf_ring_rx_init();
	if (rc)
		goto out_dev;
	pr_info("pf_ring: version %s (ABI %u) loaded: min_num_slots=%u transparent_mode=%u "
		"enable_tx_capture=%u enable_ip_defrag=%u quick_mode=%u\n", RING_VERSION,
		PF_RING_ABI_VERSION, min_num_slots, transparent_mode, enable_tx_capture,
		enable_ip_defrag, quick_mode);
	return 0;
out_dev:
	pf_ring_dev_exit();
out_sock:
	pf_ring_sock_unregister();
out_proc:
	pf_ring_proc_exit();
	return rc;
}

/* Sockets hold a module reference (the socket family's owner), so this runs
 * only once every PF_RING socket is closed: rmmod with sockets open is refused
 * by the kernel with EBUSY. */
static void __exit pf_ring_module_exit(void)
{
	pf_ring_rx_exit();
	pf_ring_dev_exit();
	pf_ring_sock_unregister();
	pf_ring_proc_exit();
	pr_info("pf_ring: unloaded\n");
}

module_init(pf_ring_module_init);
module_exit(pf_ring_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PF_RING 5.4.6 compatible packet capture (pfring)");
MODULE_VERSION(RING_VERSION);
MODULE_ALIAS_NETPROTO(PF_RING);
