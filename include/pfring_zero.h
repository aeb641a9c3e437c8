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

/* Distribution function verdicts (PF_RING's values) */
#define DNA_CLUSTER_DROP  -1 /* drop the packet */
#define DNA_CLUSTER_PASS   0 /* hand it to the slaves in *id_mask */
#define DNA_CLUSTER_FRWD   1 /* send it out of the sockets in *id_mask (direct forwarding) */

/* Sockets (rings) one cluster can register; DNA_CLUSTER_MAX_NUM_SLAVES is in linux/pf_ring.h */
#define DNA_CLUSTER_MAX_NUM_SOCKETS 32

typedef struct pfring_dna_cluster pfring_dna_cluster;
typedef pfring_dna_cluster pf_ring_dna_cluster; /* the guide's spelling in 9.1.1 */

/* dna_cluster_stats(), 5.4.6 programs' form: the three counters in one struct. */
typedef struct pfring_dna_cluster_stat {
	u_int64_t tot_rx_packets;
	u_int64_t tot_tx_packets;
	u_int64_t tot_rx_processed;
} pfring_dna_cluster_stat;

typedef struct pfring_dna_cluster_slave_stat {
	u_int32_t rx_queued; /* packets waiting in the slave's queue, read without a lock */
} pfring_dna_cluster_slave_stat;

/* What the 5.4.6 programs' distribution function is given about the slaves. */
typedef struct pfring_dna_cluster_slaves_info {
	u_int32_t num_slaves;
	pfring_dna_cluster_slave_stat approximate_stats[DNA_CLUSTER_MAX_NUM_SLAVES];
} pfring_dna_cluster_slaves_info;

/*
 * The distribution function, called by the master per packet: sets *id_mask
 * (one bit per slave, or per socket for DNA_CLUSTER_FRWD) and *hash, returns a
 * verdict above. Two forms (docs/decisions.md), both accepted by
 * dna_cluster_set_distribution_function():
 *   the guide's (9.1, 9.3):    the number of slaves;
 *   the 5.4.6 programs' form:  the slaves' info (num_slaves and queue fill).
 */
typedef int (*pfring_dna_cluster_distribution_func)(const u_char *buffer,
						     const u_int16_t buffer_len,
						     const u_int32_t num_slaves,
						     u_int32_t *id_mask,
						     u_int32_t *hash);
typedef int (*pfring_dna_cluster_slaves_info_distribution_func)(
	const u_char *buffer, const u_int16_t buffer_len,
	const pfring_dna_cluster_slaves_info *slaves_info, u_int32_t *id_mask, u_int32_t *hash);

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
/* The guide's form; func NULL gives the default (symmetric IP hash) back. */
void dna_cluster_set_distribution_function(pfring_dna_cluster *handle,
					   pfring_dna_cluster_distribution_func func);
/* The 5.4.6 programs' form: dna_cluster_set_distribution_function() with such a
 * function comes here (below); func NULL as above. */
void dna_cluster_set_distribution_function_slaves_info(
	pfring_dna_cluster *handle, pfring_dna_cluster_slaves_info_distribution_func func);
void dna_cluster_set_wait_mode(pfring_dna_cluster *handle, u_int32_t active_wait);
int dna_cluster_enable(pfring_dna_cluster *handle);
int dna_cluster_disable(pfring_dna_cluster *handle);
/* The guide's form: the three counters, each pointer non-NULL. */
int dna_cluster_stats(pfring_dna_cluster *handle, u_int64_t *tot_rx_packets,
		      u_int64_t *tot_tx_packets, u_int64_t *tot_rx_processed);
/* The 5.4.6 programs' form: dna_cluster_stats(handle, &stat) comes here; *stat
 * is written only on success (0). */
int dna_cluster_stats_struct(pfring_dna_cluster *handle, pfring_dna_cluster_stat *stat);
void dna_cluster_destroy(pfring_dna_cluster *handle);

/* DNA Bouncer */
typedef struct pfring_dna_bouncer pfring_dna_bouncer;

typedef enum {
	one_way_mode = 0,
	two_way_mode
} dna_bouncer_mode;

/* Decision function verdicts */
#define DNA_BOUNCER_PASS   0 /* forward the packet */
#define DNA_BOUNCER_DROP  -1 /* drop it */

/*
 * The decision function, called per packet; returns a verdict above. Two forms
 * (docs/decisions.md), both accepted by pfring_dna_bouncer_loop():
 *   PF_RING's header: may change the packet in place and its length through
 *     *pkt_len; direction 0 is ingress->egress, 1 the other way (two_way_mode);
 *   5.4.6's pfdnabounce.c: the length by value (fixed), no direction; it may
 *     change the bytes in place.
 */
typedef int (*pfring_dna_bouncer_decision_func)(u_int32_t *pkt_len, u_char *pkt,
						const u_char *user_bytes,
						u_int8_t direction);
typedef int (*pfring_dna_bouncer_fixed_len_decision_func)(u_int16_t pkt_len, u_char *pkt,
							   const u_char *user_bytes);

pfring_dna_bouncer *pfring_dna_bouncer_create(pfring *ingress_ring, pfring *egress_ring);
int pfring_dna_bouncer_set_mode(pfring_dna_bouncer *handle, dna_bouncer_mode mode);
int pfring_dna_bouncer_loop(pfring_dna_bouncer *handle,
			    pfring_dna_bouncer_decision_func func,
			    const u_char *user_bytes, u_int8_t wait_for_packet);
/* pfring_dna_bouncer_loop() with a pfdnabounce.c-style function comes here. */
int pfring_dna_bouncer_loop_fixed_len(pfring_dna_bouncer *handle,
				      pfring_dna_bouncer_fixed_len_decision_func func,
				      const u_char *user_bytes, u_int8_t wait_for_packet);
void pfring_dna_bouncer_breakloop(pfring_dna_bouncer *handle);
void pfring_dna_bouncer_destroy(pfring_dna_bouncer *handle);

/*
 * pfring extension (not in 5.4.6; test PFRING_HAS_DNA_BOUNCER_STATS): the
 * bouncer's counters for one direction, 0 ingress->egress, 1 egress->ingress
 * (two_way_mode). Totals since create;
 * readable from any thread while the loop runs (each counter is exact, the
 * four are not read at one instant). Once the loop has returned,
 * recv = forwarded + dropped + tx_failed.
 */
#define PFRING_HAS_DNA_BOUNCER_STATS 1
typedef struct {
	u_int64_t recv;       /* packets taken from the ring they arrived on */
	u_int64_t forwarded;  /* sent on the other ring */
	u_int64_t dropped;    /* the decision function said DNA_BOUNCER_DROP */
	u_int64_t tx_failed;  /* passed but not sent: no TX slot after the retries,
			       * a length the other ring refused, or a send error */
} pfring_dna_bouncer_stat;

/* 0 and *stats, or PF_RING_ERROR_INVALID_ARGUMENT (NULL, direction > 1). */
int pfring_dna_bouncer_stats(pfring_dna_bouncer *handle, u_int8_t direction,
			     pfring_dna_bouncer_stat *stats);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

/*
 * Both forms under one name (docs/decisions.md): dna_cluster_set_distribution_function
 * and pfring_dna_bouncer_loop pick on the function's type, dna_cluster_stats on its
 * argument count. C++: overloads. C (GNU C, clang, or any C11 compiler): macros; a
 * function of neither form (NULL included) goes to the guide's form, where the
 * compiler checks it. The names in parentheses, (dna_cluster_stats)(...), reach the
 * functions themselves.
 */
#if defined(__cplusplus)
extern "C++" {
static inline void dna_cluster_set_distribution_function(
	pfring_dna_cluster *handle, pfring_dna_cluster_slaves_info_distribution_func func)
{
	dna_cluster_set_distribution_function_slaves_info(handle, func);
}

/* NULL or 0 (the default distribution): both overloads above would take it, so a
 * template does; a pointer of another type does not compile (static_cast), and an
 * integer other than 0 is refused (errno EINVAL). */
template <typename T>
static inline void dna_cluster_set_distribution_function(pfring_dna_cluster *handle, T null_func)
{
	if (static_cast<long>(null_func) != 0) {
		errno = EINVAL;
		return;
	}
	dna_cluster_set_distribution_function(handle,
					      static_cast<pfring_dna_cluster_distribution_func>(0));
}

#if __cplusplus >= 201103L
static inline void dna_cluster_set_distribution_function(pfring_dna_cluster *handle,
							 decltype(nullptr))
{
	dna_cluster_set_distribution_function(handle,
					      static_cast<pfring_dna_cluster_distribution_func>(0));
}
#endif

static inline int dna_cluster_stats(pfring_dna_cluster *handle, pfring_dna_cluster_stat *stat)
{
	return dna_cluster_stats_struct(handle, stat);
}

static inline int pfring_dna_bouncer_loop(pfring_dna_bouncer *handle,
					  pfring_dna_bouncer_fixed_len_decision_func func,
					  const u_char *user_bytes, u_int8_t wait_for_packet)
{
	return pfring_dna_bouncer_loop_fixed_len(handle, func, user_bytes, wait_for_packet);
}
}
#elif defined(__GNUC__) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L)
/* __extension__: _Generic is C11, and c99 -pedantic programs include this too */
#if defined(__GNUC__)
#define PF_ZERO_GENERIC __extension__ _Generic
#else
#define PF_ZERO_GENERIC _Generic
#endif
#define dna_cluster_set_distribution_function(handle, func) \
	PF_ZERO_GENERIC((func), \
		pfring_dna_cluster_slaves_info_distribution_func: \
			dna_cluster_set_distribution_function_slaves_info, \
		default: (dna_cluster_set_distribution_function))((handle), (func))
#define pfring_dna_bouncer_loop(handle, func, user_bytes, wait_for_packet) \
	PF_ZERO_GENERIC((func), \
		pfring_dna_bouncer_fixed_len_decision_func: pfring_dna_bouncer_loop_fixed_len, \
		default: (pfring_dna_bouncer_loop))((handle), (func), (user_bytes), \
						    (wait_for_packet))
/* (handle, a, b, c): the guide's; (handle, stat): the struct form */
#define PF_ZERO_FIFTH(a1, a2, a3, a4, name, ...) name
#define dna_cluster_stats(...) \
	PF_ZERO_FIFTH(__VA_ARGS__, (dna_cluster_stats), dna_cluster_stats_takes_2_or_4_arguments, \
		      dna_cluster_stats_struct, dna_cluster_stats_takes_2_or_4_arguments, \
		      unused)(__VA_ARGS__)
#endif

#endif /* _PFRING_ZERO_H_ */
