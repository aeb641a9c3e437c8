/*
 * sim/hw_rules.c - the in-NIC steering table (spec 8.11): Intel 82599
 * five-tuple and perfect-filter rules. A zero field is a wildcard; addresses
 * are in host byte order (like pkt_parsing_info's ip_src.v4). Only IPv4
 * frames match (the rule fields are 32-bit). The table is kept sorted by
 * rule_id, so the first match is the lowest id. Refusals set errno and say why
 * (docs/api.md): a duplicate id EEXIST, a full table ENOSPC, an unknown id
 * ENOENT, a Silicom rule EOPNOTSUPP, another family EINVAL.
 */
#include <errno.h>
#include <string.h>
#include "sim/nic_priv.h"
#include "util/api_message.h"

static int rule_pos(const struct sim_hw_rules *t, u_int16_t id, int *found)
{
	uint32_t lo = 0, hi = t->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (t->r[mid].rule_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->r[lo].rule_id == id;
	return (int)lo;
}

int sim_hw_rules_add(struct sim_hw_rules *t, const hw_filtering_rule *r)
{
	int found, pos;

	if (!r)
		return pf_api_invalid();
	if (r->rule_family_type == silicom_redirector_rule) {
		pf_api_message("pfring_add_hw_rule: sim NICs are Intel 82599s: no Silicom "
			       "redirector rules");
		return pf_api_unsupported();
	}
	if (r->rule_family_type != intel_82599_five_tuple_rule &&
	    r->rule_family_type != intel_82599_perfect_filter_rule)
		return pf_api_invalid();
	pos = rule_pos(t, r->rule_id, &found);
	if (found) {
		pf_api_message("pfring_add_hw_rule: the NIC has a rule %u already", r->rule_id);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EEXIST);
	}
	if (t->n == SIM_MAX_HW_RULES) {
		pf_api_message("pfring_add_hw_rule: the NIC's rule table is full (%d rules)",
			       SIM_MAX_HW_RULES);
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOSPC);
	}
	memmove(&t->r[pos + 1], &t->r[pos], (t->n - (uint32_t)pos) * sizeof(t->r[0]));
	t->r[pos] = *r;
	t->n++;
	return 0;
}

int sim_hw_rules_remove(struct sim_hw_rules *t, u_int16_t rule_id)
{
	int found, pos = rule_pos(t, rule_id, &found);

	if (!found) {
		pf_api_message("pfring_remove_hw_rule: the NIC has no rule %u", rule_id);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, ENOENT);
	}
	t->n--;
	memmove(&t->r[pos], &t->r[pos + 1], (t->n - (uint32_t)pos) * sizeof(t->r[0]));
	return 0;
}

static int field_ok(uint32_t want, uint32_t have)
{
	return want == 0 || want == have;
}

static int tuple_ok(uint8_t proto, uint32_t sa, uint32_t da, uint16_t sp, uint16_t dp,
		    const struct pkt_parsing_info *p)
{
	return field_ok(proto, p->l3_proto) && field_ok(sa, p->ip_src.v4) &&
	       field_ok(da, p->ip_dst.v4) && field_ok(sp, p->l4_src_port) &&
	       field_ok(dp, p->l4_dst_port);
}

int sim_hw_rules_match(const struct sim_hw_rules *t, const struct pkt_parsing_info *p)
{
	uint32_t i;

	if (p->ip_version != 4)
		return -1;
	for (i = 0; i < t->n; i++) {
		const hw_filtering_rule *r = &t->r[i];

		if (r->rule_family_type == intel_82599_five_tuple_rule) {
			const intel_82599_five_tuple_filter_hw_rule *f = &r->rule_family.five_tuple_rule;

			if (tuple_ok(f->proto, f->s_addr, f->d_addr, f->s_port, f->d_port, p))
				return f->queue_id;
		} else {
			const intel_82599_perfect_filter_hw_rule *f = &r->rule_family.perfect_rule;

			if (field_ok(f->vlan_id, p->vlan_id) &&
			    tuple_ok(f->proto, f->s_addr, f->d_addr, f->s_port, f->d_port, p))
				return f->queue_id;
		}
	}
	return -1;
}
