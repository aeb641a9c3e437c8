// SPDX-License-Identifier: GPL-2.0
/* kmod/plugin_counter_mod.c - plugins/counter_plugin.c as a kernel module. */
#include <linux/module.h>
#include "core/plugin.h"
#include "plugins/sample_plugins.h"


static int __init counter_init(void)
{
	return register_plugin(&counter_plugin);
}

static void __exit counter_exit(void)
{
	unregister_plugin(counter_plugin.plugin_id);
}

module_init(counter_init);
module_exit(counter_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pfring sample plugin: per-rule packet counter");
