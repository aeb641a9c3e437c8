/*
 * core/socket_filter.c - the packet path of one ring: direction, precise rules,
 * wildcard rules, policy, BPF, sampling (order and accounting: socket.h).
 *
 * One producer at a time runs pf_socket_filter() on a given socket (the home
 * serializes per ring, as it must for the single-producer ring insert anyway),
 * so the socket's counters and the rules' counters have a single writer and are
 * stored with relaxed atomics for concurrent readers.
 */
#include "socket.h"
#include "hash.h"
#include "plugin.h"

/* What one matching rule decided. */
enum pf_outcome {
	PF_CONTINUE,      /* evaluate the next rule */
	PF_STOP_FORWARD,  /* the packet goes up */
	PF_STOP_DROP,     /* the packet does not go up */
};

#define pf_count(field) pf_store_relaxed(&(field), pf_load_relaxed(&(field)) + 1)

static u64 pf_now(const struct pf_socket *s)
{
	return s->home->now_ns ? s->home->now_ns(s->home->ctx) : 0;
}

/* The precise rule for this packet's flow, as forward_packet_add_rule creates it. */
static void pf_flow_rule(const struct pf_pkt *p, u16 plugin_id, hash_filtering_rule *r)
{
	pf_memset(r, 0, sizeof(*r));
	r->vlan_id = p->info.vlan_id;
	r->proto = p->info.l3_proto;
	r->host_peer_a = p->info.ip_src;
	r->host_peer_b = p->info.ip_dst;
	r->port_peer_a = p->info.l4_src_port;
	r->port_peer_b = p->info.l4_dst_port;
	r->rule_action = forward_packet_and_stop_rule_evaluation;
	r->plugin_action.plugin_id = plugin_id;
}

static void pf_add_flow_rule(struct pf_socket *s, const struct pf_pkt *p, u16 plugin_id)
{
	struct pf_precise_table *t = pf_load_acquire(&s->precise);
	hash_filtering_rule r;

	if (!t || !p->info.ip_version)
		return;
	pf_flow_rule(p, plugin_id, &r);
	/* -PF_EEXIST (flow already has its rule) and -PF_ENOSPC (table full) leave
	 * the table as it is; the packet is forwarded either way. */
	(void)pf_precise_add(t, &r);
}

static void pf_del_flow_rule(struct pf_socket *s, const struct pf_pkt *p)
{
	struct pf_precise_table *t = pf_load_acquire(&s->precise);
	hash_filtering_rule r;

	if (!t || !p->info.ip_version)
		return;
	pf_flow_rule(p, 0, &r);
	(void)pf_precise_remove_deferred(t, &r);
}

static void pf_reflect(struct pf_socket *s, const struct pf_pkt *p, const char *dev)
{
	const struct pf_home *h = s->home;

	if (!h->reflect || h->reflect(h->ctx, dev, p) < 0)
		pf_count(s->cnt.reflect_errors);
}

static void pf_bounce(struct pf_socket *s, const struct pf_pkt *p)
{
	const struct pf_home *h = s->home;

	if (!h->bounce || h->bounce(h->ctx, p) < 0)
		pf_count(s->cnt.reflect_errors);
}

/* forward_packet_add_rule / _del_rule: the rule's plugin hears of the match
 * (spec 10.1, pfring_plugin_add_rule / _del_rule); core keeps the flow's
 * precise rule itself either way. */
static void pf_plugin_flow_hook(struct pf_socket *s, struct pf_plugin_rule *pr, u16 plugin_id,
				struct pf_pkt *p, int add)
{
	const struct pfring_plugin_registration *pl = pf_plugin_get(plugin_id);

	if (!pl)
		return;
	if (add && pl->pfring_plugin_add_rule)
		(void)pl->pfring_plugin_add_rule(s, pr, p);
	else if (!add && pl->pfring_plugin_del_rule)
		(void)pl->pfring_plugin_del_rule(s, pr, p);
}

/* The ten rule_action_behaviour values (spec 11, docs/filtering.md). */
static enum pf_outcome pf_apply(struct pf_socket *s, struct pf_pkt *p, rule_action_behaviour b,
				const char *reflector, u16 plugin_id, struct pf_plugin_rule *pr)
{
	switch (b) {
	case forward_packet_and_stop_rule_evaluation:
		return PF_STOP_FORWARD;
	case dont_forward_packet_and_stop_rule_evaluation:
		return PF_STOP_DROP;
	case execute_action_and_continue_rule_evaluation:
		return PF_CONTINUE;        /* the action was the plugin's handle_skb */
	case execute_action_and_stop_rule_evaluation:
		return PF_STOP_DROP;       /* the plugin consumed it (e.g. kept statistics) */
	case forward_packet_add_rule_and_stop_rule_evaluation:
		pf_plugin_flow_hook(s, pr, plugin_id, p, 1);
		pf_add_flow_rule(s, p, plugin_id);
		return PF_STOP_FORWARD;
	case forward_packet_del_rule_and_stop_rule_evaluation:
		pf_plugin_flow_hook(s, pr, plugin_id, p, 0);
		pf_del_flow_rule(s, p);
		return PF_STOP_FORWARD;
	case reflect_packet_and_stop_rule_evaluation:
		pf_reflect(s, p, reflector);
		return PF_STOP_DROP;
	case reflect_packet_and_continue_rule_evaluation:
		pf_reflect(s, p, reflector);
		return PF_CONTINUE;
	case bounce_packet_and_stop_rule_evaluation:
		pf_bounce(s, p);
		return PF_STOP_DROP;
	case bounce_packet_and_continue_rule_evaluation:
		pf_bounce(s, p);
		return PF_CONTINUE;
	}
	return PF_STOP_DROP;  /* unreachable: actions are validated when rules are added */
}

/* Let the rule's action plugin see the packet; it may change the behaviour. */
static void pf_plugin_handle(struct pf_socket *s, struct pf_plugin_rule *pr, u16 plugin_id,
			     struct pf_pkt *p, u16 filter_plugin_id, void **parse_memory,
			     rule_action_behaviour *b)
{
	const struct pfring_plugin_registration *pl = pf_plugin_get(plugin_id);

	if (pl && pl->pfring_plugin_handle_skb)
		pl->pfring_plugin_handle_skb(s, pr, p, filter_plugin_id, parse_memory, b);
}

static enum pf_outcome pf_precise_stage(struct pf_socket *s, struct pf_pkt *p)
{
	struct pf_precise_table *t = pf_load_acquire(&s->precise);
	struct pf_precise_entry *e;
	struct pf_plugin_rule pr;
	rule_action_behaviour b;
	enum pf_outcome o;
	void *parse_memory = 0;

	if (!t || !pf_precise_count(t))
		return PF_CONTINUE;
	pf_pkt_parse(p);
	e = pf_precise_lookup(t, p);
	if (!e)
		return PF_CONTINUE;
	pf_atomic_add_relaxed(&e->matched, 1);
	pf_store_relaxed(&e->last_match_ns, pf_now(s));
	b = e->rule.rule_action;
	pr.rule = 0;
	pr.hash_rule = &e->rule;
	pr.plugin_data = &e->plugin_data;
	if (e->rule.plugin_action.plugin_id) {
		pf_plugin_handle(s, &pr, e->rule.plugin_action.plugin_id, p, 0, &parse_memory, &b);
		if (parse_memory)
			s->home->free(s->home->ctx, parse_memory);
	}
	o = pf_apply(s, p, b, e->rule.reflector_device_name, e->rule.plugin_action.plugin_id, &pr);
	if (o == PF_STOP_DROP)
		pf_atomic_add_relaxed(&e->dropped, 1);
	return o;
}

/* A wildcard rule's filter plugin (extended_fields.filter_plugin_id) has the
 * last word on whether the rule matches. */
static int pf_filter_plugin_match(struct pf_socket *s, struct pf_wrule *r,
				  struct pf_plugin_rule *pr, struct pf_pkt *p,
				  void **parse_memory)
{
	const struct pfring_plugin_registration *pl;

	if (!r->rule.extended_fields.filter_plugin_id)
		return 1;
	pl = pf_plugin_get(r->rule.extended_fields.filter_plugin_id);
	if (!pl || !pl->pfring_plugin_filter_skb)
		return 0;  /* a filter we cannot run never matches */
	return pl->pfring_plugin_filter_skb(s, pr, p, parse_memory) > 0;
}

static enum pf_outcome pf_wildcard_stage(struct pf_socket *s, struct pf_pkt *p)
{
	const struct pf_wrule_set *set = pf_wrules_snapshot(&s->wrules);
	enum pf_outcome o = PF_CONTINUE;
	u32 i;

	if (!set->n)
		return PF_CONTINUE;
	pf_pkt_parse(p);
	for (i = pf_wrules_next_match(set, 0, p); i < set->n && o == PF_CONTINUE;
	     i = pf_wrules_next_match(set, i + 1, p)) {
		struct pf_wrule *r = set->r[i];
		struct pf_plugin_rule pr = { &r->rule, 0, &r->plugin_data };
		rule_action_behaviour b = r->rule.rule_action;
		void *parse_memory = 0;

		if (!pf_filter_plugin_match(s, r, &pr, p, &parse_memory)) {
			if (parse_memory)
				s->home->free(s->home->ctx, parse_memory);
			continue;
		}
		p->info.last_matched_rule_id = r->rule.rule_id;
		/* A filter plugin that said yes matched the packet too (as in
		 * PF_RING); the action plugin, if any, is named last. */
		if (r->rule.extended_fields.filter_plugin_id)
			p->info.last_matched_plugin_id = r->rule.extended_fields.filter_plugin_id;
		if (r->rule.plugin_action.plugin_id) {
			p->info.last_matched_plugin_id = r->rule.plugin_action.plugin_id;
			pf_plugin_handle(s, &pr, r->rule.plugin_action.plugin_id, p,
					 r->rule.extended_fields.filter_plugin_id,
					 &parse_memory, &b);
		}
		if (parse_memory)
			s->home->free(s->home->ctx, parse_memory);
		o = pf_apply(s, p, b, r->rule.reflector_device_name,
			     r->rule.plugin_action.plugin_id, &pr);
		pf_wrule_hit(r, pf_now(s), o == PF_STOP_DROP);
	}
	return o;
}

static int pf_bpf_stage(struct pf_socket *s, const struct pf_pkt *p)
{
	const struct pf_bpf_prog *prog = pf_load_acquire(&s->bpf);
	const struct pf_bpf_insn *insns;
	u32 n;

	if (s->home_bpf && s->home->bpf_run)
		return s->home->bpf_run(s->home->ctx, (void *)0, 0, p) != 0;
	if (!prog)
		return 1;
	if (!s->home->bpf_run)
		return pf_bpf_run(prog, p->data, p->caplen, p->len) != 0;
	insns = pf_bpf_insns(prog, &n);
	return s->home->bpf_run(s->home->ctx, insns, n, p) != 0;
}

/* 1 of every sampling_rate packets that reach this stage goes up: the first,
 * then every rate-th after it. A countdown, so no division per packet. */
static int pf_sample_stage(struct pf_socket *s)
{
	/* Relaxed atomics: pf_socket_set_sampling() resets the countdown from
	 * another thread. */
	u32 left = pf_load_relaxed(&s->sampling_count);

	if (left == 0) {
		pf_store_relaxed(&s->sampling_count, pf_load_relaxed(&s->sampling_rate) - 1);
		return 1;
	}
	pf_store_relaxed(&s->sampling_count, left - 1);
	return 0;
}

static int pf_direction_ok(const struct pf_socket *s, const struct pf_pkt *p)
{
	switch (pf_load_relaxed(&s->direction)) {
	case rx_only_direction:
		return p->rx;
	case tx_only_direction:
		return !p->rx;
	default:
		return 1;
	}
}

enum pf_verdict pf_socket_filter(struct pf_socket *s, struct pf_pkt *p)
{
	const struct pf_home *h = s->home;
	enum pf_verdict v = PF_FILTERED;
	enum pf_outcome o;

	pf_count(s->cnt.seen);
	if (!pf_direction_ok(s, p))
		goto out_count;

	pf_home_read_lock(h);
	o = pf_precise_stage(s, p);
	if (o == PF_CONTINUE)
		o = pf_wildcard_stage(s, p);
	if (o == PF_CONTINUE)
		o = pf_load_relaxed(&s->default_accept) ? PF_STOP_FORWARD : PF_STOP_DROP;
	if (o == PF_STOP_FORWARD && pf_bpf_stage(s, p))
		v = pf_sample_stage(s) ? PF_PASS : PF_UNSAMPLED;
	pf_home_read_unlock(h);

out_count:
	if (v == PF_PASS)
		pf_count(s->cnt.passed);
	else if (v == PF_UNSAMPLED)
		pf_count(s->cnt.unsampled);
	else
		pf_count(s->cnt.filtered);
	return v;
}
