/*
 * pfring_zero.h - libzero (PF_RING 5.4.6 User Guide, chapter 9): the DNA Cluster
 * master API and the DNA Bouncer. The slave API (pfring_*_pkt_buff) is in pfring.h.
 */
#ifndef _PFRING_ZERO_H_
#define _PFRING_ZERO_H_

#include "pfring.h"

#ifdef __cplusplus
extern "C" {
#endif

/* exported by libpfring, as pfring.h's declarations */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* dna_cluster_create() flags */
#define DNA_CLUSTER_DIRECT_FORWARDING      (1 << 0)
#define DNA_CLUSTER_NO_ADDITIONAL_BUFFERS  (1 << 1)
#define DNA_CLUSTER_HUGEPAGES              (1 << 2)

/* Distribution function verdicts */
#define DNA_CLUSTER_DROP  0 /* drop the packet */
#define DNA_CLUSTER_PASS  1 /* hand it to the slaves in *id_mask */
#define DNA_CLUSTER_FRWD  2 /* send it out of the interfaces in *id_mask (direct forwarding) */

#define DNA_CLUSTER_MAX_NUM_SLAVES 32

typedef struct pfring_dna_cluster pfring_dna_cluster;
typedef pfring_dna_cluster pf_ring_dna_cluster; /* the guide's spelling in 9.1.1 */

typedef int (*pfring_dna_cluster_distribution_func)(const u_char *buffer,
						     const u_int16_t buffer_len,
						     const u_int32_t num_slaves,
						     u_int32_t *id_mask,
						     u_int32_t *hash);

pfring_dna_cluster *dna_cluster_create(u_int32_t cluster_id, u_int32_t num_apps,
				       u_int32_t flags);
int dna_cluster_low_level_settings(pfring_dna_cluster *handle,
				   u_int32_t slave_rx_queue_len,
				   u_int32_t slave_tx_queue_len,
				   u_int32_t slave_additional_buffers);
int dna_cluster_register_ring(pfring_dna_cluster *handle, pfring *ring);
void dna_cluster_set_cpu_affinity(pfring_dna_cluster *handle, u_int32_t rx_core_id,
				  u_int32_t tx_core_id);
int dna_cluster_set_mode(pfring_dna_cluster *handle, socket_mode mode);
void dna_cluster_set_distribution_function(pfring_dna_cluster *handle,
					   pfring_dna_cluster_distribution_func func);
void dna_cluster_set_wait_mode(pfring_dna_cluster *handle, u_int32_t active_wait);
int dna_cluster_enable(pfring_dna_cluster *handle);
int dna_cluster_disable(pfring_dna_cluster *handle);
int dna_cluster_stats(pfring_dna_cluster *handle, u_int64_t *tot_rx_packets,
		      u_int64_t *tot_tx_packets, u_int64_t *tot_rx_processed);
void dna_cluster_destroy(pfring_dna_cluster *handle);

/* DNA Bouncer */
typedef struct pfring_dna_bouncer pfring_dna_bouncer;

typedef enum {
	one_way_mode = 0,
	two_way_mode
} dna_bouncer_mode;

/* Return non-zero to forward the packet, 0 to drop it. The function may change
 * the packet in place and *pkt_len. direction: 0 ingress->egress, 1 the other way. */
typedef int (*pfring_dna_bouncer_decision_func)(u_int32_t *pkt_len, u_char *pkt,
						const u_char *user_bytes,
						u_int8_t direction);

pfring_dna_bouncer *pfring_dna_bouncer_create(pfring *ingress_ring, pfring *egress_ring);
int pfring_dna_bouncer_set_mode(pfring_dna_bouncer *handle, dna_bouncer_mode mode);
int pfring_dna_bouncer_loop(pfring_dna_bouncer *handle,
			    pfring_dna_bouncer_decision_func func,
			    const u_char *user_bytes, u_int8_t wait_for_packet);
void pfring_dna_bouncer_breakloop(pfring_dna_bouncer *handle);
void pfring_dna_bouncer_destroy(pfring_dna_bouncer *handle);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* _PFRING_ZERO_H_ */
