/*
 * core/precise.h - precise (hash) filtering rules: exact 6-tuple
 * <vlan, proto, host a, port a, host b, port b>, matched in both directions,
 * IPv4 and IPv6 (spec 8.10.2).
 *
 * A fixed-capacity table: every entry comes from a pool allocated at create
 * time, so the table never grows, lookups stay O(1), and adding from the
 * packet path (forward_packet_add_rule action) allocates nothing. Buckets are
 * singly linked lists published with store-release (RCU-shaped, engine.h).
 */
#ifndef PF_CORE_PRECISE_H
#define PF_CORE_PRECISE_H

#include "engine.h"
#include "errors.h"

struct pf_precise_table;

struct pf_precise_entry {
	struct pf_precise_entry *next;   /* bucket chain, read with pf_load_acquire */
	hash_filtering_rule rule;        /* the user's rule, copied */
	u64 matched, dropped, last_match_ns;
	void *plugin_data;
};

/* Memory for a table of `capacity` rules (the stated budget: docs/filtering.md). */
size_t pf_precise_bytes(u32 capacity);
struct pf_precise_table *pf_precise_create(const struct pf_home *h, u32 capacity);
/* Also hands every entry's plugin memory back to its plugin (free_rule_mem). */
void pf_precise_destroy(struct pf_precise_table *t);
/* The ring whose rules these are: passed to plugins' free_rule_mem when an
 * entry with plugin memory is recycled or the table destroyed (NULL before). */
struct pf_socket;
void pf_precise_set_owner(struct pf_precise_table *t, struct pf_socket *owner);
u32  pf_precise_count(const struct pf_precise_table *t);

/* 0; -PF_EEXIST (same 6-tuple, either direction), -PF_ENOSPC (capacity reached),
 * -PF_EINVAL (wildcards: zero host or port, bad action), -PF_ENOENT (a plugin
 * the home cannot pin: core/plugin.h, pf_plugin_hold). */
int pf_precise_add(struct pf_precise_table *t, const hash_filtering_rule *r);
int pf_precise_remove(struct pf_precise_table *t, const hash_filtering_rule *r);  /* -PF_ENOENT */
/* For the packet path (forward_packet_del_rule action), which must not sleep:
 * unlink now, recycle the entry at the next writer call that runs synchronize()
 * (add, remove, purge from process context, or destroy). */
int pf_precise_remove_deferred(struct pf_precise_table *t, const hash_filtering_rule *r);
int pf_precise_stats(struct pf_precise_table *t, const hash_filtering_rule *r,
		     pfring_rule_stats *out);
/* Writer side, with home->write_lock held (no entry is unlinked or recycled
 * meanwhile): *out = the entry with r's 6-tuple (either direction). 0,
 * -PF_ENOENT, -PF_EINVAL (a wildcard key). */
int pf_precise_get_locked(struct pf_precise_table *t, const hash_filtering_rule *r,
			  struct pf_precise_entry **out);
int pf_precise_purge_idle(struct pf_precise_table *t, u64 now_ns, u32 idle_sec);

/* Reader side, under the home's read lock: the entry whose 6-tuple equals the
 * packet's (either direction), or NULL. */
struct pf_precise_entry *pf_precise_lookup(struct pf_precise_table *t,
					   const struct pf_pkt *p);

#endif /* PF_CORE_PRECISE_H */
