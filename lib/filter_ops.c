/*
 * lib/filter_ops.c - spec 8.9 - 8.12 on core's pipeline (filter_ops.h).
 * Core answers with negative errno values; the API's codes come from
 * pfring_error_from_core(), and refusals are explained on stderr.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/filter_ops.h"
#include "lib/bpf_compile.h"
#include "lib/api_internal.h"

void pf_ops_explain_rule(int rc, const filtering_rule *rule, const char *device)
{
	if (rc == -PF_EEXIST)
		pf_api_message("pfring_add_filtering_rule: rule id %u already exists on %s",
			       rule->rule_id, device);
	else if (rc == -PF_EINVAL)
		pf_api_message("pfring_add_filtering_rule: rule %u is not valid (action, port "
			       "range, balance, plugin id or reflector device)", rule->rule_id);
	else if (rc == -PF_ENOSPC)
		pf_api_message("pfring_add_filtering_rule: %s already has %d rules",
			       device, PF_MAX_WILDCARD_RULES);
	else if (rc == -PF_ENOENT)
		pf_api_message("pfring_add_filtering_rule: rule %u names a plugin that is not "
			       "loaded or is being unloaded (action plugin %u, filter plugin %u)",
			       rule->rule_id, rule->plugin_action.plugin_id,
			       rule->extended_fields.filter_plugin_id);
}

int pf_ops_add_filtering_rule(pfring *ring, filtering_rule *rule)
{
	int rc = pf_socket_add_rule(pf_ring_socket(ring), rule);

	pf_ops_explain_rule(rc, rule, ring->device_name);
	return pfring_error_from_core(rc);
}

int pf_ops_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	return pfring_error_from_core(pf_socket_remove_rule(pf_ring_socket(ring), rule_id));
}

int pf_ops_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id, char *stats,
				    u_int *stats_len)
{
	u32 len = *stats_len;
	int rc = pf_socket_rule_stats(pf_ring_socket(ring), rule_id, (u8 *)stats, &len);

	if (rc == 0)
		*stats_len = len;
	return pfring_error_from_core(rc);
}

int pf_ops_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec)
{
	return pfring_error_from_core(pf_socket_purge_idle(pf_ring_socket(ring), inactivity_sec));
}

void pf_ops_explain_hash_rule(int rc, const char *device, u32 capacity)
{
	if (rc == -PF_ENOSPC)
		pf_api_message("pfring_handle_hash_filtering_rule: the precise rule table of %s "
			       "is full (%u rules)", device, capacity);
	else if (rc == -PF_EINVAL)
		pf_api_message("pfring_handle_hash_filtering_rule: a precise rule needs both "
			       "hosts and the protocol (no wildcards) and a valid action");
}

int pf_ops_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
				      u_char add_rule)
{
	int rc = pf_socket_hash_rule(pf_ring_socket(ring), rule, add_rule);

	pf_ops_explain_hash_rule(rc, ring->device_name, pf_ring_socket(ring)->precise_capacity);
	return pfring_error_from_core(rc);
}

int pf_ops_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					 char *stats, u_int *stats_len)
{
	u32 len = *stats_len;
	int rc = pf_socket_hash_rule_stats(pf_ring_socket(ring), rule, (u8 *)stats, &len);

	if (rc == 0)
		*stats_len = len;
	return pfring_error_from_core(rc);
}

int pf_ops_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec)
{
	return pfring_error_from_core(pf_socket_purge_idle_hash(pf_ring_socket(ring),
								inactivity_sec));
}

int pf_ops_compile_bpf(pfring *ring, const char *filter, struct pf_bpf_insn **insns,
		       u_int32_t *n)
{
	char err[256];
	int rc = pfring_bpf_compile(filter, ring->caplen, insns, n, err, sizeof(err));

	if (rc < 0)
		pf_api_message("pfring_set_bpf_filter(%s): %s", PF_QUOTE(filter), err);
	return rc;
}

void pf_ops_explain_bpf(int rc, const char *what, const char *err)
{
	if (rc < 0)
		pf_api_message("%s: refused: %s", what, err);
}

int pf_ops_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			   const char *what)
{
	char err[256];
	int rc = pf_socket_set_bpf(pf_ring_socket(ring), insns, n, err, sizeof(err));

	pf_ops_explain_bpf(rc, what, err);
	return pfring_error_from_core(rc);
}

/* Compiled here, then the ring's backend takes the program (core in this
 * process, pfsim's core, the kernel): a bad expression goes nowhere. */
int pf_ops_set_bpf_filter(pfring *ring, const char *filter)
{
	struct pf_bpf_insn *insns;
	u_int32_t n;
	char what[256];
	int rc;

	rc = pf_ops_compile_bpf(ring, filter, &insns, &n);
	if (rc < 0)
		return rc;
	snprintf(what, sizeof(what), "pfring_set_bpf_filter(%s)", PF_QUOTE(filter));
	rc = ring->backend->set_bpf_program(ring, insns, n, what);
	free(insns);
	return rc;
}

int pf_ops_remove_bpf_filter(pfring *ring)
{
	return pfring_error_from_core(pf_socket_remove_bpf(pf_ring_socket(ring)));
}

int pf_ops_toggle_filtering_policy(pfring *ring, u_int8_t default_accept)
{
	return pfring_error_from_core(pf_socket_set_policy(pf_ring_socket(ring), default_accept));
}

int pf_ops_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	return pfring_error_from_core(pf_socket_set_sampling(pf_ring_socket(ring), rate));
}

int pf_ops_set_direction(pfring *ring, packet_direction direction)
{
	return pfring_error_from_core(pf_socket_set_direction(pf_ring_socket(ring), direction));
}
