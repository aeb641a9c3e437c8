/*
 * lib/filter_ops.h - the filtering operations (spec 8.9 - 8.12) of every
 * backend whose rings run core's pipeline in user space (sim:). A backend
 * using them copies PF_FILTER_OPS(its socket_of) into its pfring_backend: they
 * reach the ring's struct pf_socket through that op.
 */
#ifndef PF_BACKENDS_FILTER_OPS_H
#define PF_BACKENDS_FILTER_OPS_H

#include "lib/backend.h"
#include "core/socket.h"

static inline struct pf_socket *pf_ring_socket(pfring *ring)
{
	return ring->backend->socket_of(ring);
}

int pf_ops_add_filtering_rule(pfring *ring, filtering_rule *rule);
int pf_ops_remove_filtering_rule(pfring *ring, u_int16_t rule_id);
int pf_ops_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id, char *stats,
				    u_int *stats_len);
int pf_ops_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec);
int pf_ops_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
				      u_char add_rule);
int pf_ops_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					 char *stats, u_int *stats_len);
int pf_ops_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec);
/* Compiles filter, then calls the ring's backend's set_bpf_program (which it
 * must have): the set_bpf_filter of every backend that takes programs. */
int pf_ops_set_bpf_filter(pfring *ring, const char *filter);
int pf_ops_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			   const char *what);
int pf_ops_remove_bpf_filter(pfring *ring);
int pf_ops_toggle_filtering_policy(pfring *ring, u_int8_t default_accept);
int pf_ops_set_sampling_rate(pfring *ring, u_int32_t rate);
int pf_ops_set_direction(pfring *ring, packet_direction direction);

/* Shared with backends whose pipeline runs elsewhere (sim_shared.c): the
 * messages the ops above print for a core result rc (< 0), and the compile
 * step of pfring_set_bpf_filter (PF_RING_ERROR_* and a message on failure). */
void pf_ops_explain_rule(int rc, const filtering_rule *rule, const char *device);
void pf_ops_explain_hash_rule(int rc, const char *device, u32 capacity);
void pf_ops_explain_bpf(int rc, const char *what, const char *err);
int pf_ops_compile_bpf(pfring *ring, const char *filter, struct pf_bpf_insn **insns,
		       u_int32_t *n);

#define PF_FILTER_OPS(socket_of_fn)                                     \
	.socket_of = socket_of_fn,                                      \
	.add_filtering_rule = pf_ops_add_filtering_rule,                \
	.remove_filtering_rule = pf_ops_remove_filtering_rule,          \
	.get_filtering_rule_stats = pf_ops_get_filtering_rule_stats,    \
	.purge_idle_rules = pf_ops_purge_idle_rules,                    \
	.handle_hash_filtering_rule = pf_ops_handle_hash_filtering_rule, \
	.get_hash_filtering_rule_stats = pf_ops_get_hash_filtering_rule_stats, \
	.purge_idle_hash_rules = pf_ops_purge_idle_hash_rules,          \
	.set_bpf_filter = pf_ops_set_bpf_filter,                        \
	.set_bpf_program = pf_ops_set_bpf_program,                      \
	.remove_bpf_filter = pf_ops_remove_bpf_filter,                  \
	.toggle_filtering_policy = pf_ops_toggle_filtering_policy,      \
	.set_sampling_rate = pf_ops_set_sampling_rate,                  \
	.set_direction = pf_ops_set_direction

#endif /* PF_BACKENDS_FILTER_OPS_H */
