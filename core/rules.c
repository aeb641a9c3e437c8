/*
 * core/rules.c - a ring's set of wildcard rules: add, remove, stats, idle purge.
 *
 * The set is an immutable array of pointers sorted by ascending rule_id. Every
 * change builds a new array with the home's allocator, publishes it with a
 * store-release, waits for readers with home->synchronize() and only then frees
 * the old array (and, on remove/purge, the rules that left). The rule elements
 * (struct pf_wrule) are shared between the old and the new array, so their
 * counters survive any number of replacements.
 *
 * Writers are serialized by home->write_lock. The lock covers building and
 * publishing the new array; synchronize() and the frees run after it is
 * released: the old array and the departed rules are unreachable from w->cur
 * by then, so no other writer can touch them, and a grace period is never
 * waited for while holding the lock that the packet path may also take.
 * Consequence: add/remove/purge may sleep (in synchronize); they must not be
 * called from the packet path.
 *
 * Validation at add (-PF_EINVAL): unknown rule_action; balance_pool > 0 with
 * balance_id >= balance_pool; a port range with low > high (high != 0); a
 * reflect action without reflector_device_name; a plugin id (plugin_action or
 * filter_plugin_id) >= MAX_PLUGIN_ID. Then -PF_ENOENT for a plugin the home
 * cannot pin (core/plugin.h: each rule holds a reference on every plugin it
 * names, dropped when the rule is freed), -PF_EEXIST for a taken id,
 * -PF_ENOSPC beyond PF_MAX_WILDCARD_RULES, -PF_ENOMEM when the home cannot
 * allocate. A failed add leaves the set unchanged and holds nothing.
 *
 * Core's copy of a rule stores its port ranges normalized, with the same
 * meaning: "any" (0, 0) becomes 0..65535 and "exactly p" (p, 0) becomes p..p,
 * so the matcher's hot path is two compares per port.
 *
 * Idle time: core's copy of the rule keeps the time it was added in
 * rule.internals.last_match_ns (the "idle since" of a rule that never matched);
 * pf_wrule.last_match_ns is the time of the last match, 0 = never. A rule is
 * idle when now - (last match, else added) > idle_sec seconds (strictly).
 */
#include "rules.h"
#include "plugin.h"

#define PF_NSEC_PER_SEC 1000000000ull

static struct pf_wrule_set *set_alloc(const struct pf_home *h, u32 n)
{
	struct pf_wrule_set *s;

	s = h->alloc(h->ctx, sizeof(*s) + (size_t)n * sizeof(s->r[0]));
	if (s)
		s->n = n;
	return s;
}

static u64 home_now(const struct pf_home *h)
{
	return h->now_ns ? h->now_ns(h->ctx) : 0;
}

/* Index of the first rule with id >= rule_id (binary search). */
static u32 lower_bound(const struct pf_wrule_set *s, u16 rule_id)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->r[mid]->rule.rule_id < rule_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int port_range_ok(u16 low, u16 high)
{
	return high == 0 || low <= high;
}

static int validate(const filtering_rule *r)
{
	u32 action = (u32)r->rule_action;
	const filtering_rule_core_fields *c = &r->core_fields;

	if (action > (u32)bounce_packet_and_continue_rule_evaluation)
		return -PF_EINVAL;
	if (r->balance_pool && r->balance_id >= r->balance_pool)
		return -PF_EINVAL;
	if (!port_range_ok(c->sport_low, c->sport_high) ||
	    !port_range_ok(c->dport_low, c->dport_high))
		return -PF_EINVAL;
	if ((r->rule_action == reflect_packet_and_stop_rule_evaluation ||
	     r->rule_action == reflect_packet_and_continue_rule_evaluation) &&
	    r->reflector_device_name[0] == '\0')
		return -PF_EINVAL;
	if (r->plugin_action.plugin_id >= MAX_PLUGIN_ID ||
	    r->extended_fields.filter_plugin_id >= MAX_PLUGIN_ID)
		return -PF_EINVAL;
	return 0;
}

/* Same meaning, the matcher's fast form: any = 0..65535, "low" = low..low. */
static void normalize_ports(u16 *low, u16 *high)
{
	if (*high == 0)
		*high = *low ? *low : 0xffff;
}

static u8 pattern_length(const char *pat)
{
	u8 n = 0;

	while (n < sizeof(((filtering_rule_extended_fields *)0)->payload_pattern) && pat[n])
		n++;
	return n;
}

/* The references a rule holds on its action and filter plugins. */
static int hold_plugins(const struct pf_home *h, const filtering_rule *r)
{
	int err = pf_plugin_hold(h, r->plugin_action.plugin_id);

	if (err)
		return err;
	err = pf_plugin_hold(h, r->extended_fields.filter_plugin_id);
	if (err)
		pf_plugin_put(h, r->plugin_action.plugin_id);
	return err;
}

static void put_plugins(const struct pf_home *h, const filtering_rule *r)
{
	pf_plugin_put(h, r->plugin_action.plugin_id);
	pf_plugin_put(h, r->extended_fields.filter_plugin_id);
}

/* A rule that left the set, after the grace period: give the plugin its
 * per-rule memory back, then drop the rule's references (only now may the
 * plugins' modules go) and free the element. */
static void release_rule(struct pf_wrules *w, struct pf_wrule *r)
{
	const struct pf_home *h = w->home;

	if (r->rule.plugin_action.plugin_id && r->plugin_data) {
		const struct pfring_plugin_registration *pl =
			pf_plugin_get(r->rule.plugin_action.plugin_id);
		struct pf_plugin_rule pr = { &r->rule, 0, &r->plugin_data };

		if (pl && pl->pfring_plugin_free_rule_mem)
			pl->pfring_plugin_free_rule_mem(w->owner, &pr);
	}
	put_plugins(h, &r->rule);
	h->free(h->ctx, r);
}

int pf_wrules_init(struct pf_wrules *w, const struct pf_home *h, struct pf_socket *owner)
{
	w->home = h;
	w->owner = owner;
	w->cur = set_alloc(h, 0);
	return w->cur ? 0 : -PF_ENOMEM;
}

/* The ring is going away: no reader may still be running. */
void pf_wrules_destroy(struct pf_wrules *w)
{
	struct pf_wrule_set *s = w->cur;
	u32 i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		release_rule(w, s->r[i]);
	w->home->free(w->home->ctx, s);
	w->cur = 0;
}

/* old is unpublished: outside the lock, wait for its readers, then free it. */
static void retire(struct pf_wrules *w, struct pf_wrule_set *old)
{
	const struct pf_home *h = w->home;

	h->synchronize(h->ctx);
	h->free(h->ctx, old);
}

/* Under the write lock: a copy of old with e inserted at pos. */
static int insert_locked(struct pf_wrules *w, struct pf_wrule *e, struct pf_wrule_set **oldp)
{
	struct pf_wrule_set *old = w->cur, *s;
	u32 pos = lower_bound(old, e->rule.rule_id);

	if (pos < old->n && old->r[pos]->rule.rule_id == e->rule.rule_id)
		return -PF_EEXIST;
	if (old->n >= PF_MAX_WILDCARD_RULES)
		return -PF_ENOSPC;
	s = set_alloc(w->home, old->n + 1);
	if (!s)
		return -PF_ENOMEM;
	pf_memcpy(s->r, old->r, pos * sizeof(s->r[0]));
	s->r[pos] = e;
	pf_memcpy(s->r + pos + 1, old->r + pos, (old->n - pos) * sizeof(s->r[0]));
	pf_store_release(&w->cur, s);
	*oldp = old;
	return 0;
}

int pf_wrules_add(struct pf_wrules *w, const filtering_rule *r)
{
	const struct pf_home *h = w->home;
	struct pf_wrule_set *old = 0;
	struct pf_wrule *e;
	int err = validate(r);

	if (err)
		return err;
	err = hold_plugins(h, r);
	if (err)
		return err;
	e = h->alloc(h->ctx, sizeof(*e));
	if (!e) {
		put_plugins(h, r);
		return -PF_ENOMEM;
	}
	e->rule = *r;
	normalize_ports(&e->rule.core_fields.sport_low, &e->rule.core_fields.sport_high);
	normalize_ports(&e->rule.core_fields.dport_low, &e->rule.core_fields.dport_high);
	e->rule.internals.last_match_ns = home_now(h);  /* added at: idle since */
	e->rule.internals.reflector_dev = 0;
	e->pattern_len = pattern_length(r->extended_fields.payload_pattern);
	e->matched = e->dropped = e->last_match_ns = 0;
	e->plugin_data = 0;

	pf_home_write_lock(h);
	err = insert_locked(w, e, &old);
	pf_home_write_unlock(h);
	if (err) {
		h->free(h->ctx, e);
		put_plugins(h, r);
		return err;
	}
	retire(w, old);
	return 0;
}

int pf_wrules_remove(struct pf_wrules *w, u16 rule_id)
{
	const struct pf_home *h = w->home;
	struct pf_wrule_set *old, *s;
	struct pf_wrule *victim;
	u32 pos;

	pf_home_write_lock(h);
	old = w->cur;
	pos = lower_bound(old, rule_id);
	if (pos >= old->n || old->r[pos]->rule.rule_id != rule_id) {
		pf_home_write_unlock(h);
		return -PF_ENOENT;
	}
	s = set_alloc(h, old->n - 1);
	if (!s) {
		pf_home_write_unlock(h);
		return -PF_ENOMEM;
	}
	victim = old->r[pos];
	pf_memcpy(s->r, old->r, pos * sizeof(s->r[0]));
	pf_memcpy(s->r + pos, old->r + pos + 1, (old->n - pos - 1) * sizeof(s->r[0]));
	pf_store_release(&w->cur, s);
	pf_home_write_unlock(h);

	retire(w, old);
	release_rule(w, victim);
	return 0;
}

int pf_wrules_stats(struct pf_wrules *w, u16 rule_id, pfring_rule_stats *out)
{
	const struct pf_home *h = w->home;
	const struct pf_wrule_set *s;
	int err = -PF_ENOENT;
	u32 pos;

	pf_home_read_lock(h);
	s = pf_wrules_snapshot(w);
	pos = lower_bound(s, rule_id);
	if (pos < s->n && s->r[pos]->rule.rule_id == rule_id) {
		out->matching_packets = pf_load_relaxed(&s->r[pos]->matched);
		out->dropped_packets = pf_load_relaxed(&s->r[pos]->dropped);
		err = 0;
	}
	pf_home_read_unlock(h);
	return err;
}

static int is_idle(const struct pf_wrule *r, u64 now_ns, u64 idle_ns)
{
	u64 since = pf_load_relaxed(&r->last_match_ns);

	if (r->rule.locked)
		return 0;
	if (since == 0)
		since = r->rule.internals.last_match_ns;
	return now_ns > since && now_ns - since > idle_ns;
}

/* Under the write lock: split old into survivors (a new set, published) and
 * idle rules (into gone[]); returns how many went. Each rule is decided once:
 * a packet may match (un-idle) a rule while we copy, never the reverse. */
static u32 purge_locked(struct pf_wrules *w, struct pf_wrule_set *s, struct pf_wrule **gone,
			u64 now_ns, u64 idle_ns)
{
	struct pf_wrule_set *old = w->cur;
	u32 i, kept = 0, n_gone = 0;

	for (i = 0; i < old->n; i++) {
		if (is_idle(old->r[i], now_ns, idle_ns))
			gone[n_gone++] = old->r[i];
		else
			s->r[kept++] = old->r[i];
	}
	s->n = kept;
	if (n_gone)
		pf_store_release(&w->cur, s);
	return n_gone;
}

int pf_wrules_purge_idle(struct pf_wrules *w, u64 now_ns, u32 idle_sec)
{
	const struct pf_home *h = w->home;
	u64 idle_ns = (u64)idle_sec * PF_NSEC_PER_SEC;
	struct pf_wrule_set *old, *s = 0;
	struct pf_wrule **gone = 0;
	u32 i, n_idle = 0;
	int ret;

	pf_home_write_lock(h);
	old = w->cur;
	for (i = 0; i < old->n; i++)
		n_idle += is_idle(old->r[i], now_ns, idle_ns);
	if (n_idle == 0) {
		pf_home_write_unlock(h);
		return 0;
	}
	s = set_alloc(h, old->n);   /* room for all: nothing may turn out idle */
	gone = h->alloc(h->ctx, n_idle * sizeof(*gone));
	if (!s || !gone) {
		pf_home_write_unlock(h);
		ret = -PF_ENOMEM;
		goto out;
	}
	ret = (int)purge_locked(w, s, gone, now_ns, idle_ns);
	pf_home_write_unlock(h);
	if (ret == 0)
		goto out;           /* s was not published */
	s = 0;
	retire(w, old);
	for (i = 0; i < (u32)ret; i++)
		release_rule(w, gone[i]);
out:
	if (s)
		h->free(h->ctx, s);
	if (gone)
		h->free(h->ctx, gone);
	return ret;
}
