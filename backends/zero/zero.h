/*
 * backends/zero/zero.h - libzero's master side as lib/ sees it: the DNA
 * Cluster master (cluster.c) and the DNA Bouncer (bouncer.c), gathered into
 * pfring_libzero_ops (zero_ops.c), which lib/registry.c installs by default.
 * lib/api_zero.c has checked the arguments it can (NULL handles, flags,
 * num_apps range) before any of these is called.
 */
#ifndef PF_BACKENDS_ZERO_ZERO_H
#define PF_BACKENDS_ZERO_ZERO_H

#include "lib/backend.h"

/* cluster.c */
pfring_dna_cluster *pf_zc_cluster_create(u_int32_t cluster_id, u_int32_t num_apps, u_int32_t flags);
int  pf_zc_cluster_low_level_settings(pfring_dna_cluster *h, u_int32_t rx_queue_len,
				      u_int32_t tx_queue_len, u_int32_t additional_buffers);
int  pf_zc_cluster_register_ring(pfring_dna_cluster *h, pfring *ring);
void pf_zc_cluster_set_cpu_affinity(pfring_dna_cluster *h, u_int32_t rx_core_id,
				    u_int32_t tx_core_id);
int  pf_zc_cluster_set_mode(pfring_dna_cluster *h, socket_mode mode);
void pf_zc_cluster_set_distribution_function(pfring_dna_cluster *h,
					     const struct pf_zero_distribution *d);
void pf_zc_cluster_set_wait_mode(pfring_dna_cluster *h, u_int32_t active_wait);
int  pf_zc_cluster_enable(pfring_dna_cluster *h);
int  pf_zc_cluster_disable(pfring_dna_cluster *h);
int  pf_zc_cluster_stats(pfring_dna_cluster *h, u_int64_t *tot_rx_packets,
			 u_int64_t *tot_tx_packets, u_int64_t *tot_rx_processed);
void pf_zc_cluster_destroy(pfring_dna_cluster *h);

/* bouncer.c */
pfring_dna_bouncer *pf_zc_bouncer_create(pfring *ingress_ring, pfring *egress_ring);
int  pf_zc_bouncer_set_mode(pfring_dna_bouncer *h, dna_bouncer_mode mode);
int  pf_zc_bouncer_loop(pfring_dna_bouncer *h, const struct pf_zero_decision *d,
			const u_char *user_bytes, u_int8_t wait_for_packet);
void pf_zc_bouncer_breakloop(pfring_dna_bouncer *h);
void pf_zc_bouncer_destroy(pfring_dna_bouncer *h);
int  pf_zc_bouncer_stats(pfring_dna_bouncer *h, u_int8_t direction,
			 pfring_dna_bouncer_stat *stats);

#endif
