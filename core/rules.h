/*
 * core/rules.h - wildcard filtering rules (filtering_rule, spec 8.10.1 and 11).
 *
 * A ring's wildcard rules are an immutable array sorted by rule_id, replaced as a
 * whole on every add/remove and published with a store-release (RCU-shaped, see
 * the concurrency contract in engine.h): the packet path never sees a torn set.
 * Counters live in the rule elements, which survive set replacements, and are
 * updated with relaxed atomics.
 */
#ifndef PF_CORE_RULES_H
#define PF_CORE_RULES_H

#include "engine.h"
#include "errors.h"

#define PF_MAX_WILDCARD_RULES 4096   /* per ring; adding more fails with -PF_ENOSPC */

struct pf_socket;

struct pf_wrule {
	filtering_rule rule;     /* the user's rule, copied (internals owned by core) */
	u8  pattern_len;         /* strnlen(payload_pattern, 32) */
	u64 matched;             /* packets that matched this rule */
	u64 dropped;             /* of those, packets the rule's action dropped */
	u64 last_match_ns;       /* home clock at the last match, 0 = never */
	void *plugin_data;       /* owned by rule.plugin_action.plugin_id's plugin */
};

struct pf_wrule_set {
	u32 n;
	struct pf_wrule *r[];    /* n rules, ascending rule_id */
};

struct pf_wrules {
	const struct pf_home *home;
	struct pf_socket *owner;     /* passed to plugin callbacks */
	struct pf_wrule_set *cur;    /* never NULL after init; read with pf_load_acquire */
};

int  pf_wrules_init(struct pf_wrules *w, const struct pf_home *h, struct pf_socket *owner);
void pf_wrules_destroy(struct pf_wrules *w);
/* 0; -PF_EEXIST (id taken), -PF_EINVAL (impossible rule: port low > high, bad
 * action, balance_id >= balance_pool, ...), -PF_ENOENT (a plugin the home
 * cannot pin: core/plugin.h), -PF_ENOSPC, -PF_ENOMEM. */
int  pf_wrules_add(struct pf_wrules *w, const filtering_rule *r);
int  pf_wrules_remove(struct pf_wrules *w, u16 rule_id);               /* 0, -PF_ENOENT */
int  pf_wrules_stats(struct pf_wrules *w, u16 rule_id, pfring_rule_stats *out);
/* Remove unlocked rules idle for idle_sec seconds (never matched = idle since
 * added). Returns how many were removed. */
int  pf_wrules_purge_idle(struct pf_wrules *w, u64 now_ns, u32 idle_sec);

/* Reader side, under the home's read lock. */
static inline const struct pf_wrule_set *pf_wrules_snapshot(const struct pf_wrules *w)
{
	return pf_load_acquire(&w->cur);
}

/* Pure matcher on a parsed packet: every core field (0 = any), the reversed
 * packet too when bidirectional, payload pattern, tunnel id, balance. Does not
 * call plugins (the pipeline in socket.c does). Returns 1 on match, 0 if not. */
int pf_wrule_match(const struct pf_wrule *r, const struct pf_pkt *p);

/* The set walk: index of the first rule of s at or after `from` that matches
 * p (pf_wrule_match), or s->n if none. Same result as calling pf_wrule_match
 * in order; faster (the common rejection is inlined). A pipeline continues
 * after a "continue" action with from = index + 1. */
u32 pf_wrules_next_match(const struct pf_wrule_set *s, u32 from, const struct pf_pkt *p);

/* The pipeline's accounting for a rule that matched (packet path, any CPU):
 * counters are relaxed atomic adds, last_match_ns a relaxed store (the last
 * writer wins; purge only needs "recently"). dropped: the action dropped it. */
static inline void pf_wrule_hit(struct pf_wrule *r, u64 now_ns, int dropped)
{
	pf_atomic_add_relaxed(&r->matched, 1);
	if (dropped)
		pf_atomic_add_relaxed(&r->dropped, 1);
	pf_store_relaxed(&r->last_match_ns, now_ns);
}

#endif /* PF_CORE_RULES_H */
