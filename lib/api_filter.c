/*
 * lib/api_filter.c - spec 8.7 - 8.12: clusters, reflection, sampling,
 * wildcard / hash / BPF filtering, in-NIC rules, filtering policy.
 * All of them are the backend's work; the front checks the arguments.
 */
#include "lib/api_internal.h"

int pfring_set_cluster(pfring *ring, u_int clusterId, cluster_type the_type)
{
	PF_REQUIRE(ring);
	PF_REQUIRE((unsigned int)the_type <= (unsigned int)cluster_per_flow_tcp_5_tuple);
	PF_REQUIRE_OP(ring, set_cluster);
	return ring->backend->set_cluster(ring, clusterId, the_type);
}

int pfring_remove_from_cluster(pfring *ring)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, remove_from_cluster);
	return ring->backend->remove_from_cluster(ring);
}

int pfring_set_master_id(pfring *ring, u_int32_t master_id)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, set_master_id);
	return ring->backend->set_master_id(ring, master_id);
}

int pfring_set_master(pfring *ring, pfring *master)
{
	PF_REQUIRE(ring && master && master != ring);
	PF_REQUIRE_OP(ring, set_master);
	return ring->backend->set_master(ring, master);
}

int pfring_set_reflector_device(pfring *ring, char *device_name)
{
	PF_REQUIRE(ring && device_name && device_name[0]);
	PF_REQUIRE_OP(ring, set_reflector_device);
	return ring->backend->set_reflector_device(ring, device_name);
}

/* Sampling happens where packets are counted (kernel, simulator): without the
 * backend's op nothing would be sampled, so that is NOT_SUPPORTED and the rate
 * is left unchanged. */
int pfring_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	int rc;

	PF_REQUIRE(ring && rate > 0);
	PF_REQUIRE_OP(ring, set_sampling_rate);
	rc = ring->backend->set_sampling_rate(ring, rate);
	if (rc == 0)
		ring->sampling_rate = rate;
	return rc;
}

int pfring_add_filtering_rule(pfring *ring, filtering_rule *rule_to_add)
{
	PF_REQUIRE(ring && rule_to_add);
	PF_REQUIRE_OP(ring, add_filtering_rule);
	return ring->backend->add_filtering_rule(ring, rule_to_add);
}

int pfring_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, remove_filtering_rule);
	return ring->backend->remove_filtering_rule(ring, rule_id);
}

int pfring_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id,
				    char *stats, u_int *stats_len)
{
	PF_REQUIRE(ring && stats && stats_len);
	PF_REQUIRE_OP(ring, get_filtering_rule_stats);
	return ring->backend->get_filtering_rule_stats(ring, rule_id, stats, stats_len);
}

int pfring_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, purge_idle_rules);
	return ring->backend->purge_idle_rules(ring, inactivity_sec);
}

int pfring_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule_to_add,
				      u_char add_rule)
{
	PF_REQUIRE(ring && rule_to_add);
	PF_REQUIRE_OP(ring, handle_hash_filtering_rule);
	return ring->backend->handle_hash_filtering_rule(ring, rule_to_add, add_rule);
}

int pfring_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					 char *stats, u_int *stats_len)
{
	PF_REQUIRE(ring && rule && stats && stats_len);
	PF_REQUIRE_OP(ring, get_hash_filtering_rule_stats);
	return ring->backend->get_hash_filtering_rule_stats(ring, rule, stats, stats_len);
}

int pfring_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, purge_idle_hash_rules);
	return ring->backend->purge_idle_hash_rules(ring, inactivity_sec);
}

int pfring_set_bpf_filter(pfring *ring, char *filter_buffer)
{
	PF_REQUIRE(ring && filter_buffer);
	PF_REQUIRE_OP(ring, set_bpf_filter);
	return ring->backend->set_bpf_filter(ring, filter_buffer);
}

int pf_api_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			   const char *what)
{
	PF_REQUIRE(ring && insns && what);
	PF_REQUIRE_OP(ring, set_bpf_program);
	return ring->backend->set_bpf_program(ring, insns, n, what);
}

int pfring_remove_bpf_filter(pfring *ring)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, remove_bpf_filter);
	return ring->backend->remove_bpf_filter(ring);
}

int pfring_add_hw_rule(pfring *ring, hw_filtering_rule *rule)
{
	PF_REQUIRE(ring && rule);
	PF_REQUIRE((unsigned int)rule->rule_family_type <= (unsigned int)silicom_redirector_rule);
	PF_REQUIRE_OP(ring, add_hw_rule);
	return ring->backend->add_hw_rule(ring, rule);
}

/* The guide's form. Parenthesised: pfring.h's macro of the same name picks
 * between this and the 5.4.6 form below. */
int (pfring_remove_hw_rule)(pfring *ring, hw_filtering_rule *rule)
{
	PF_REQUIRE(ring && rule);
	return pfring_remove_hw_rule_by_id(ring, rule->rule_id);
}

/* 5.4.6's form: the rule id alone (in-NIC rules are removed by id). */
int pfring_remove_hw_rule_by_id(pfring *ring, u_int16_t rule_id)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, remove_hw_rule);
	return ring->backend->remove_hw_rule(ring, rule_id);
}

int pfring_set_filtering_mode(pfring *ring, filtering_mode mode)
{
	int rc;

	PF_REQUIRE(ring);
	PF_REQUIRE((unsigned int)mode <= (unsigned int)software_only);
	PF_REQUIRE_OP(ring, set_filtering_mode);
	rc = ring->backend->set_filtering_mode(ring, mode);
	if (rc == 0)
		ring->ft_mode = mode;
	return rc;
}

int pfring_toggle_filtering_policy(pfring *ring, u_int8_t rules_default_accept_policy)
{
	int rc;
	u_int8_t accept = rules_default_accept_policy ? 1 : 0;

	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, toggle_filtering_policy);
	rc = ring->backend->toggle_filtering_policy(ring, accept);
	if (rc == 0)
		ring->socket_default_accept_policy = accept;
	return rc;
}
