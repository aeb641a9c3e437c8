/*
 * backends/zero/zero_ops.c - libzero's master side, as one pfring_zero_ops
 * (lib/backend.h): lib/registry.c installs it unless a test registers another.
 */
#include "backends/zero/zero.h"

const struct pfring_zero_ops pfring_libzero_ops = {
	.name = "libzero",
	.cluster_create = pf_zc_cluster_create,
	.cluster_low_level_settings = pf_zc_cluster_low_level_settings,
	.cluster_register_ring = pf_zc_cluster_register_ring,
	.cluster_set_cpu_affinity = pf_zc_cluster_set_cpu_affinity,
	.cluster_set_mode = pf_zc_cluster_set_mode,
	.cluster_set_distribution_function = pf_zc_cluster_set_distribution_function,
	.cluster_set_wait_mode = pf_zc_cluster_set_wait_mode,
	.cluster_enable = pf_zc_cluster_enable,
	.cluster_disable = pf_zc_cluster_disable,
	.cluster_stats = pf_zc_cluster_stats,
	.cluster_destroy = pf_zc_cluster_destroy,
	.bouncer_create = pf_zc_bouncer_create,
	.bouncer_set_mode = pf_zc_bouncer_set_mode,
	.bouncer_loop = pf_zc_bouncer_loop,
	.bouncer_breakloop = pf_zc_bouncer_breakloop,
	.bouncer_destroy = pf_zc_bouncer_destroy,
	.bouncer_stats = pf_zc_bouncer_stats,
};
