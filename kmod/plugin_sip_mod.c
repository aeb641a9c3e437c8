// SPDX-License-Identifier: GPL-2.0
/* kmod/plugin_sip_mod.c - plugins/sip_plugin.c as a kernel module. */
#include <linux/module.h>
#include "core/plugin.h"
#include "plugins/sample_plugins.h"


static int __init sip_init(void)
{
	return register_plugin(&sip_plugin);
}

static void __exit sip_exit(void)
{
	unregister_plugin(sip_plugin.plugin_id);
}

module_init(sip_init);
module_exit(sip_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pfring sample plugin: SIP filter");
