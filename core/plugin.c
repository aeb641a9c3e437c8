/*
 * core/plugin.c - the plugin registry: one table per home (the kernel module,
 * or a process using libpfring). Registration is rare and happens outside the
 * packet path; lookups read one pointer with acquire semantics.
 */
#include "plugin.h"
#include "errors.h"

static const struct pfring_plugin_registration *plugins[MAX_PLUGIN_ID];

int pf_plugin_register(const struct pfring_plugin_registration *reg)
{
	if (!reg || reg->plugin_id == 0 || reg->plugin_id >= MAX_PLUGIN_ID)
		return -PF_EINVAL;
	if (pf_load_acquire(&plugins[reg->plugin_id]))
		return -PF_EEXIST;
	pf_store_release(&plugins[reg->plugin_id], reg);
	return 0;
}

/* The caller guarantees no ring still has rules naming the plugin (the kernel
 * module holds a module reference per rule; the library unregisters at exit). */
int pf_plugin_unregister(u16 plugin_id)
{
	if (plugin_id == 0 || plugin_id >= MAX_PLUGIN_ID ||
	    !pf_load_acquire(&plugins[plugin_id]))
		return -PF_ENOENT;
	pf_store_release(&plugins[plugin_id], (const struct pfring_plugin_registration *)0);
	return 0;
}

const struct pfring_plugin_registration *pf_plugin_get(u16 plugin_id)
{
	if (plugin_id == 0 || plugin_id >= MAX_PLUGIN_ID)
		return 0;
	return pf_load_acquire(&plugins[plugin_id]);
}
