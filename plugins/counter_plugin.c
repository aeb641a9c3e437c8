/*
 * plugins/counter_plugin.c - counts packets and bytes per rule.
 */
#include "plugins/sample_plugins.h"
#include "core/socket.h"

static int counter_handle(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p,
			  u16 filter_plugin_id, void **parse_memory, rule_action_behaviour *b)
{
	struct counter_plugin_stats *st = *r->plugin_data;

	(void)filter_plugin_id; (void)parse_memory; (void)b;
	if (!st) {
		st = s->home->alloc(s->home->ctx, sizeof(*st));
		if (!st)
			return -PF_ENOMEM;
		*r->plugin_data = st;
	}
	st->packets++;
	st->bytes += p->len;
	return 0;
}

static int counter_get_stats(struct pf_socket *s, struct pf_plugin_rule *r, u8 *buf, u32 len)
{
	static const struct counter_plugin_stats none;
	const struct counter_plugin_stats *st = r->plugin_data && *r->plugin_data ?
						*r->plugin_data : &none;

	(void)s;
	if (len < sizeof(*st))
		return 0;
	pf_memcpy(buf, st, sizeof(*st));
	return sizeof(*st);
}

static void counter_free_rule(struct pf_socket *s, struct pf_plugin_rule *r)
{
	if (r->plugin_data && *r->plugin_data) {
		s->home->free(s->home->ctx, *r->plugin_data);
		*r->plugin_data = 0;
	}
}

const struct pfring_plugin_registration counter_plugin = {
	.plugin_id = COUNTER_PLUGIN_ID,
	.name = "counter",
	.description = "packets and bytes per rule",
	.pfring_plugin_handle_skb = counter_handle,
	.pfring_plugin_get_stats = counter_get_stats,
	.pfring_plugin_free_rule_mem = counter_free_rule,
};
