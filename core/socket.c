/*
 * core/socket.c - configuring one ring's pipeline (writers' side). The packet
 * path is in socket_filter.c; the order and accounting are in socket.h.
 */
#include "socket.h"
#include "plugin.h"

int pf_socket_init(struct pf_socket *s, const struct pf_home *h)
{
	if (!s || !h || !h->alloc || !h->free || !h->read_lock || !h->read_unlock ||
	    !h->synchronize || !h->write_lock || !h->write_unlock)
		return -PF_EINVAL;
	pf_memset(s, 0, sizeof(*s));
	s->home = h;
	s->direction = rx_and_tx_direction;
	s->default_accept = 1;
	s->sampling_rate = 1;
	s->precise_capacity = PF_DEFAULT_PRECISE_CAPACITY;
	return pf_wrules_init(&s->wrules, h, s);
}

static int pf_socket_used_plugin(const struct pf_socket *s, u16 id)
{
	return (s->plugins_used[id / 64] >> (id % 64)) & 1;
}

/* Pin every plugin this ring's rules named before the rules (and their
 * references) go, so none can unload before its free_ring_mem has run. */
static void pf_socket_pin_plugins(struct pf_socket *s, u64 *pinned)
{
	u16 id;

	for (id = 1; id < MAX_PLUGIN_ID; id++)
		if (pf_socket_used_plugin(s, id) && pf_plugin_hold(s->home, id) == 0)
			pinned[id / 64] |= 1ull << (id % 64);
}

/* Tell every pinned plugin that the ring is going away, then unpin it. */
static void pf_socket_release_plugins(struct pf_socket *s, const u64 *pinned)
{
	u16 id;

	for (id = 1; id < MAX_PLUGIN_ID; id++) {
		const struct pfring_plugin_registration *pl;

		if (!((pinned[id / 64] >> (id % 64)) & 1))
			continue;
		pl = pf_plugin_get(id);
		if (pl && pl->pfring_plugin_free_ring_mem)
			pl->pfring_plugin_free_ring_mem(s);
		pf_plugin_put(s->home, id);
	}
}

void pf_socket_destroy(struct pf_socket *s)
{
	u64 pinned[sizeof(s->plugins_used) / sizeof(s->plugins_used[0])] = { 0 };

	pf_socket_pin_plugins(s, pinned);
	pf_wrules_destroy(&s->wrules);
	if (s->precise)
		pf_precise_destroy(s->precise);
	if (s->bpf)
		pf_bpf_free(s->home, s->bpf);
	pf_socket_release_plugins(s, pinned);
	s->precise = 0;
	s->bpf = 0;
}

int pf_socket_set_direction(struct pf_socket *s, packet_direction d)
{
	if (d != rx_and_tx_direction && d != rx_only_direction && d != tx_only_direction)
		return -PF_EINVAL;
	pf_store_relaxed(&s->direction, d);
	return 0;
}

int pf_socket_set_policy(struct pf_socket *s, u8 default_accept)
{
	pf_store_relaxed(&s->default_accept, default_accept ? 1 : 0);
	return 0;
}

int pf_socket_set_sampling(struct pf_socket *s, u32 rate)
{
	if (rate == 0)
		return -PF_EINVAL;
	pf_home_write_lock(s->home);
	pf_store_relaxed(&s->sampling_rate, rate);
	pf_store_relaxed(&s->sampling_count, 0);  /* the next packet is sampled */
	pf_home_write_unlock(s->home);
	return 0;
}

/* Swap in a new program (or none); the old one is freed once no reader runs
 * it. Returns whether there was an old one (read under the lock, so of two
 * concurrent removals exactly one finds the program). */
static int pf_socket_swap_bpf(struct pf_socket *s, struct pf_bpf_prog *prog)
{
	struct pf_bpf_prog *old;

	pf_home_write_lock(s->home);
	old = s->bpf;
	pf_store_release(&s->bpf, prog);
	pf_home_write_unlock(s->home);
	if (!old)
		return 0;
	s->home->synchronize(s->home->ctx);
	pf_bpf_free(s->home, old);
	return 1;
}

int pf_socket_set_bpf(struct pf_socket *s, const struct pf_bpf_insn *insns, u32 n,
		      char *err, u32 errlen)
{
	struct pf_bpf_prog *prog = pf_bpf_prepare(s->home, insns, n, err, errlen);

	if (!prog)
		return n > PF_BPF_MAXINSNS ? -PF_E2BIG : -PF_EINVAL;
	(void)pf_socket_swap_bpf(s, prog);
	return 0;
}

int pf_socket_remove_bpf(struct pf_socket *s)
{
	return pf_socket_swap_bpf(s, 0) ? 0 : -PF_ENOENT;
}

static void pf_socket_note_plugin(struct pf_socket *s, u16 id)
{
	if (id && id < MAX_PLUGIN_ID)
		s->plugins_used[id / 64] |= 1ull << (id % 64);
}

/* The precise table exists before the first packet could need it: created by
 * the first precise rule, or by the first wildcard rule whose action adds
 * precise rules from the packet path (where nothing may be allocated).
 * Allocated outside the write lock (it may be large); of two writers racing
 * here, one publishes its table under the lock and the other frees its own. */
static int pf_socket_need_precise(struct pf_socket *s)
{
	struct pf_precise_table *t;

	if (pf_load_acquire(&s->precise))
		return 0;
	t = pf_precise_create(s->home, s->precise_capacity);
	if (!t)
		return -PF_ENOMEM;
	pf_precise_set_owner(t, s);
	pf_home_write_lock(s->home);
	if (!s->precise) {
		pf_store_release(&s->precise, t);
		t = 0;
	}
	pf_home_write_unlock(s->home);
	if (t)
		pf_precise_destroy(t);   /* never published */
	return 0;
}

int pf_socket_add_rule(struct pf_socket *s, const filtering_rule *r)
{
	int rc;

	if (!r)
		return -PF_EINVAL;
	if (r->rule_action == forward_packet_add_rule_and_stop_rule_evaluation ||
	    r->rule_action == forward_packet_del_rule_and_stop_rule_evaluation) {
		rc = pf_socket_need_precise(s);
		if (rc)
			return rc;
	}
	rc = pf_wrules_add(&s->wrules, r);
	if (rc == 0) {
		pf_socket_note_plugin(s, r->plugin_action.plugin_id);
		pf_socket_note_plugin(s, r->extended_fields.filter_plugin_id);
	}
	return rc;
}

int pf_socket_remove_rule(struct pf_socket *s, u16 rule_id)
{
	return pf_wrules_remove(&s->wrules, rule_id);
}

/* Copy counters, or the plugin's own statistics when the rule has a plugin
 * that keeps them, into buf; *len in: buffer size, out: bytes written. */
static int pf_copy_stats(struct pf_socket *s, struct pf_plugin_rule *pr, u16 plugin_id,
			 const pfring_rule_stats *st, u8 *buf, u32 *len)
{
	const struct pfring_plugin_registration *pl = pf_plugin_get(plugin_id);
	int n;

	if (pl && pl->pfring_plugin_get_stats) {
		n = pl->pfring_plugin_get_stats(s, pr, buf, *len);
		if (n <= 0)
			return -PF_EINVAL;
		*len = (u32)n;
		return 0;
	}
	if (*len < sizeof(*st))
		return -PF_E2BIG;
	pf_memcpy(buf, st, sizeof(*st));
	*len = sizeof(*st);
	return 0;
}

int pf_socket_rule_stats(struct pf_socket *s, u16 rule_id, u8 *buf, u32 *len)
{
	const struct pf_wrule_set *set;
	pfring_rule_stats st;
	int rc = -PF_ENOENT;
	u32 i;

	if (!buf || !len)
		return -PF_EINVAL;
	pf_home_write_lock(s->home);
	set = s->wrules.cur;
	for (i = 0; i < set->n; i++) {
		struct pf_wrule *r = set->r[i];
		struct pf_plugin_rule pr = { &r->rule, 0, &r->plugin_data };

		if (r->rule.rule_id != rule_id)
			continue;
		st.matching_packets = pf_load_relaxed(&r->matched);
		st.dropped_packets = pf_load_relaxed(&r->dropped);
		rc = pf_copy_stats(s, &pr, r->rule.plugin_action.plugin_id, &st, buf, len);
		break;
	}
	pf_home_write_unlock(s->home);
	return rc;
}

int pf_socket_hash_rule(struct pf_socket *s, const hash_filtering_rule *r, int add)
{
	int rc;

	if (!r)
		return -PF_EINVAL;
	if (!add)
		return s->precise ? pf_precise_remove(s->precise, r) : -PF_ENOENT;
	rc = pf_socket_need_precise(s);
	if (rc)
		return rc;
	rc = pf_precise_add(s->precise, r);
	if (rc == 0)
		pf_socket_note_plugin(s, r->plugin_action.plugin_id);
	return rc;
}

/* The entry's own plugin (a flow rule made by forward_packet_add_rule carries
 * its wildcard rule's) and its plugin memory answer, whatever plugin id the
 * caller's copy of the rule names. */
int pf_socket_hash_rule_stats(struct pf_socket *s, const hash_filtering_rule *r,
			      u8 *buf, u32 *len)
{
	struct pf_precise_table *t = pf_load_acquire(&s->precise);
	struct pf_precise_entry *e;
	pfring_rule_stats st;
	int rc;

	if (!r || !buf || !len)
		return -PF_EINVAL;
	if (!t)
		return -PF_ENOENT;
	pf_home_write_lock(s->home);
	rc = pf_precise_get_locked(t, r, &e);
	if (rc == 0) {
		struct pf_plugin_rule pr = { 0, &e->rule, &e->plugin_data };

		st.matching_packets = pf_load_relaxed(&e->matched);
		st.dropped_packets = pf_load_relaxed(&e->dropped);
		rc = pf_copy_stats(s, &pr, e->rule.plugin_action.plugin_id, &st, buf, len);
	}
	pf_home_write_unlock(s->home);
	return rc;
}

int pf_socket_purge_idle(struct pf_socket *s, u32 idle_sec)
{
	u64 now = s->home->now_ns ? s->home->now_ns(s->home->ctx) : 0;

	return pf_wrules_purge_idle(&s->wrules, now, idle_sec);
}

int pf_socket_purge_idle_hash(struct pf_socket *s, u32 idle_sec)
{
	u64 now = s->home->now_ns ? s->home->now_ns(s->home->ctx) : 0;

	return s->precise ? pf_precise_purge_idle(s->precise, now, idle_sec) : 0;
}
