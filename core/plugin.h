/*
 * core/plugin.h - PF_RING plugins (User Guide chapter 10), on the engine's own
 * packet view, so one plugin source builds for the simulator and the kernel.
 *
 * The callbacks keep the names of section 10 ("skb" included, for recognition);
 * they receive a struct pf_pkt (parsed) instead of an sk_buff.
 */
#ifndef PF_CORE_PLUGIN_H
#define PF_CORE_PLUGIN_H

#include "engine.h"

struct pf_socket;

/* The rule a plugin is called for: exactly one of rule / hash_rule is set.
 * plugin_data is a per-rule pointer owned by the plugin (allocate it with the
 * home's alloc on first use; free it in pfring_plugin_free_rule_mem). */
struct pf_plugin_rule {
	const filtering_rule *rule;
	const hash_filtering_rule *hash_rule;
	void **plugin_data;
};

struct pfring_plugin_registration {
	u16 plugin_id;                 /* 1 .. MAX_PLUGIN_ID-1, unique */
	char name[16];
	char description[64];

	/* Does the packet match rule->extended_fields.filter_plugin_data? Return
	 * > 0 for a match, 0 for none. May allocate *parse_memory (home alloc);
	 * core frees it after the packet. Called before handle_skb. */
	int (*pfring_plugin_filter_skb)(struct pf_socket *s, struct pf_plugin_rule *r,
					struct pf_pkt *p, void **parse_memory);
	/* Called for each packet matching a rule whose plugin_action.plugin_id is
	 * this plugin; may change *behaviour. Return 0, or negative on error. */
	int (*pfring_plugin_handle_skb)(struct pf_socket *s, struct pf_plugin_rule *r,
					struct pf_pkt *p, u16 filter_plugin_id,
					void **parse_memory, rule_action_behaviour *behaviour);
	/* Copy the rule's statistics into buf; return their length, 0 on error. */
	int (*pfring_plugin_get_stats)(struct pf_socket *s, struct pf_plugin_rule *r,
				       u8 *buf, u32 buf_len);
	/* The rule is being purged for inactivity / removed / the ring closes. */
	void (*pfring_plugin_purge_idle)(struct pf_socket *s, struct pf_plugin_rule *r);
	void (*pfring_plugin_free_rule_mem)(struct pf_socket *s, struct pf_plugin_rule *r);
	void (*pfring_plugin_free_ring_mem)(struct pf_socket *s);
	/* forward_packet_add_rule / forward_packet_del_rule actions. */
	int (*pfring_plugin_add_rule)(struct pf_socket *s, struct pf_plugin_rule *r,
				      struct pf_pkt *p);
	int (*pfring_plugin_del_rule)(struct pf_socket *s, struct pf_plugin_rule *r,
				      struct pf_pkt *p);
};

/* The registry (one per home: the kernel module, or the library process).
 * Registration and unregistration are serialized by the home (pf_ring.ko: a
 * mutex); lookups may run anywhere. owner is what the home pins while a rule
 * names the plugin (pf_home.plugin_get): the kernel's module, NULL in user
 * space. */
int pf_plugin_register(const struct pfring_plugin_registration *reg,
		       void *owner);                                 /* 0, -PF_EEXIST, -PF_EINVAL */
int pf_plugin_unregister(u16 plugin_id);                             /* 0, -PF_ENOENT */
const struct pfring_plugin_registration *pf_plugin_get(u16 plugin_id); /* NULL if none */

/*
 * The reference a rule holds on each plugin it names (plugin_action.plugin_id,
 * extended_fields.filter_plugin_id), taken when the rule is added and dropped
 * when core frees it, after the plugin's free_rule_mem. In a home that pins
 * plugins (plugin_get set: pf_ring.ko) the rule's plugin cannot unregister
 * while the rule lives, so every call core makes into a plugin for a rule is
 * safe. pf_plugin_hold: 0 for plugin_id 0 (none) or a pinned plugin;
 * -PF_ENOENT when the home pins plugins and this one is not registered or its
 * owner is going away (its module is being unloaded). A home without
 * plugin_get accepts any id: an unregistered filter plugin never matches, an
 * unregistered action plugin is skipped. Both may run in the packet path.
 */
int  pf_plugin_hold(const struct pf_home *h, u16 plugin_id);
void pf_plugin_put(const struct pf_home *h, u16 plugin_id);

#if defined(__KERNEL__)
struct module;
/* pf_ring.ko's exported registry (User Guide chapter 10). register_plugin is a
 * macro so that the plugin's own module is the owner its rules pin, and
 * plugin sources calling register_plugin(&reg) build unchanged. */
int pf_ring_register_plugin(const struct pfring_plugin_registration *reg,
			    struct module *owner);
#define register_plugin(reg) pf_ring_register_plugin((reg), THIS_MODULE)
int unregister_plugin(u16 plugin_id);
#endif

#endif /* PF_CORE_PLUGIN_H */
