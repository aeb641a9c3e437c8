/*
 * core/plugin.c - the plugin registry: one table per home (the kernel module,
 * or a process using libpfring), and the references rules hold on plugins.
 * Registration is rare and happens outside the packet path; lookups read one
 * pointer with acquire semantics.
 */
#include "plugin.h"
#include "errors.h"

struct pf_plugin_entry {
	const struct pfring_plugin_registration *reg;  /* NULL: free id */
	void *owner;                                   /* valid while reg is set */
};

static struct pf_plugin_entry plugins[MAX_PLUGIN_ID];

int pf_plugin_register(const struct pfring_plugin_registration *reg, void *owner)
{
	if (!reg || reg->plugin_id == 0 || reg->plugin_id >= MAX_PLUGIN_ID)
		return -PF_EINVAL;
	if (pf_load_acquire(&plugins[reg->plugin_id].reg))
		return -PF_EEXIST;
	/* owner first: a reader that sees reg sees its owner */
	pf_store_relaxed(&plugins[reg->plugin_id].owner, owner);
	pf_store_release(&plugins[reg->plugin_id].reg, reg);
	return 0;
}

/*
 * No rule names the plugin by now. In a home that pins plugins this holds by
 * construction: every rule naming it holds a reference on its module, a
 * module with references cannot be unloaded, and only its exit unregisters.
 * (The library unregisters nothing while rings live.) After this the caller
 * waits for readers (pf_plugin_hold's read section: synchronize_rcu in the
 * kernel) before the registration's memory may go.
 */
int pf_plugin_unregister(u16 plugin_id)
{
	if (plugin_id == 0 || plugin_id >= MAX_PLUGIN_ID ||
	    !pf_load_acquire(&plugins[plugin_id].reg))
		return -PF_ENOENT;
	pf_store_release(&plugins[plugin_id].reg, (const struct pfring_plugin_registration *)0);
	return 0;
}

const struct pfring_plugin_registration *pf_plugin_get(u16 plugin_id)
{
	if (plugin_id == 0 || plugin_id >= MAX_PLUGIN_ID)
		return 0;
	return pf_load_acquire(&plugins[plugin_id].reg);
}

/* Read the entry and pin its owner in one read section, so an unregister
 * (which waits for readers) cannot free the owner between the two. */
int pf_plugin_hold(const struct pf_home *h, u16 plugin_id)
{
	int rc = 0;

	if (plugin_id == 0 || !h->plugin_get)
		return 0;
	if (plugin_id >= MAX_PLUGIN_ID)
		return -PF_ENOENT;
	pf_home_read_lock(h);
	if (!pf_load_acquire(&plugins[plugin_id].reg) ||
	    h->plugin_get(h->ctx, pf_load_relaxed(&plugins[plugin_id].owner)) != 0)
		rc = -PF_ENOENT;
	pf_home_read_unlock(h);
	return rc;
}

/* The reference being dropped kept the plugin registered: its owner is still
 * the one pinned. */
void pf_plugin_put(const struct pf_home *h, u16 plugin_id)
{
	if (plugin_id == 0 || plugin_id >= MAX_PLUGIN_ID || !h->plugin_put)
		return;
	h->plugin_put(h->ctx, pf_load_relaxed(&plugins[plugin_id].owner));
}
