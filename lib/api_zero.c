/*
 * lib/api_zero.c - libzero (spec 9): the slave API goes to the ring's
 * backend; the DNA Cluster master and the DNA Bouncer go to the libzero
 * implementation registered with pfring_zero_register() (none today).
 * Functions returning void report errors in errno only.
 */
#include "lib/api_internal.h"

/* ------------------------------------------------------------ slave API */

pfring_pkt_buff *pfring_alloc_pkt_buff(pfring *ring)
{
	if (ring == NULL) {
		pf_api_invalid();
		return NULL;
	}
	if (!PF_HAS(ring, alloc_pkt_buff)) {
		pf_api_unsupported();
		return NULL;
	}
	return ring->backend->alloc_pkt_buff(ring);
}

void pfring_release_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle)
{
	if (ring == NULL || pkt_handle == NULL)
		pf_api_invalid();
	else if (!PF_HAS(ring, release_pkt_buff))
		pf_api_unsupported();
	else
		ring->backend->release_pkt_buff(ring, pkt_handle);
}

int pfring_recv_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle,
			 struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet)
{
	int rc;

	PF_REQUIRE(ring && pkt_handle && hdr);
	PF_REQUIRE_OP(ring, recv_pkt_buff);
	pf_caller_enter(ring);     /* pfring_close waits for it (api_internal.h) */
	rc = pf_api_rx_state(ring);
	if (rc == 0) {
		pf_set_break(ring, 0);
		if (pf_shutting_down(ring))
			pf_set_break(ring, 1);
		pf_rx_lock(ring);
		if (!pf_shutting_down(ring))
			rc = ring->backend->recv_pkt_buff(ring, pkt_handle, hdr,
							  wait_for_incoming_packet);
		pf_rx_unlock(ring);
	}
	pf_caller_leave(ring);
	return rc;
}

int pfring_send_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle, u_int8_t flush_packet)
{
	int rc;

	PF_REQUIRE(ring && pkt_handle);
	PF_REQUIRE_OP(ring, send_pkt_buff);
	rc = pf_api_tx_state(ring);
	if (rc)
		return rc;
	pf_tx_lock(ring);
	rc = ring->backend->send_pkt_buff(ring, pkt_handle, flush_packet);
	pf_tx_unlock(ring);
	return rc;
}

u_char *pfring_get_pkt_buff_data(pfring *ring, pfring_pkt_buff *pkt_handle)
{
	if (ring == NULL || pkt_handle == NULL) {
		pf_api_invalid();
		return NULL;
	}
	if (!PF_HAS(ring, get_pkt_buff_data)) {
		pf_api_unsupported();
		return NULL;
	}
	return ring->backend->get_pkt_buff_data(ring, pkt_handle);
}

/* The three setters return int, as in 5.4.6 (the guide says void). */
int pfring_set_pkt_buff_len(pfring *ring, pfring_pkt_buff *pkt_handle, u_int32_t len)
{
	PF_REQUIRE(ring && pkt_handle);
	PF_REQUIRE_OP(ring, set_pkt_buff_len);
	return ring->backend->set_pkt_buff_len(ring, pkt_handle, len);
}

int pfring_set_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index)
{
	PF_REQUIRE(ring && pkt_handle);
	PF_REQUIRE_OP(ring, set_pkt_buff_ifindex);
	return ring->backend->set_pkt_buff_ifindex(ring, pkt_handle, if_index);
}

int pfring_add_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index)
{
	PF_REQUIRE(ring && pkt_handle);
	PF_REQUIRE_OP(ring, add_pkt_buff_ifindex);
	return ring->backend->add_pkt_buff_ifindex(ring, pkt_handle, if_index);
}

/* ------------------------------------------------------------ DNA Cluster */

/* The registered libzero, or an empty one: every op NULL. */
static const struct pfring_zero_ops *zero(void)
{
	static const struct pfring_zero_ops none;
	const struct pfring_zero_ops *z = pfring_zero_ops_get();

	return z ? z : &none;
}

#define ZERO_OP(op) (zero()->op)

#define DNA_CLUSTER_KNOWN_FLAGS \
	(DNA_CLUSTER_DIRECT_FORWARDING | DNA_CLUSTER_NO_ADDITIONAL_BUFFERS | DNA_CLUSTER_HUGEPAGES)

pfring_dna_cluster *dna_cluster_create(u_int32_t cluster_id, u_int32_t num_apps,
				       u_int32_t flags)
{
	pfring_dna_cluster *(*create)(u_int32_t, u_int32_t, u_int32_t) = ZERO_OP(cluster_create);

	if (num_apps == 0 || num_apps > DNA_CLUSTER_MAX_NUM_SLAVES ||
	    (flags & ~(u_int32_t)DNA_CLUSTER_KNOWN_FLAGS)) {
		pf_api_invalid();
		return NULL;
	}
	if (create == NULL) {
		pf_api_message("dna_cluster_create(%u): libzero (DNA Cluster) is not built yet "
			       "in this version of pfring", cluster_id);
		pf_api_unsupported();
		return NULL;
	}
	return create(cluster_id, num_apps, flags);
}

int dna_cluster_low_level_settings(pfring_dna_cluster *handle, u_int32_t slave_rx_queue_len,
				   u_int32_t slave_tx_queue_len,
				   u_int32_t slave_additional_buffers)
{
	int (*op)(pfring_dna_cluster *, u_int32_t, u_int32_t, u_int32_t) =
		ZERO_OP(cluster_low_level_settings);

	PF_REQUIRE(handle && slave_rx_queue_len > 0 && slave_tx_queue_len > 0);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, slave_rx_queue_len, slave_tx_queue_len, slave_additional_buffers);
}

int dna_cluster_register_ring(pfring_dna_cluster *handle, pfring *ring)
{
	int (*op)(pfring_dna_cluster *, pfring *) = ZERO_OP(cluster_register_ring);

	PF_REQUIRE(handle && ring);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, ring);
}

void dna_cluster_set_cpu_affinity(pfring_dna_cluster *handle, u_int32_t rx_core_id,
				  u_int32_t tx_core_id)
{
	void (*op)(pfring_dna_cluster *, u_int32_t, u_int32_t) = ZERO_OP(cluster_set_cpu_affinity);

	if (handle == NULL)
		pf_api_invalid();
	else if (op == NULL)
		pf_api_unsupported();
	else
		op(handle, rx_core_id, tx_core_id);
}

int dna_cluster_set_mode(pfring_dna_cluster *handle, socket_mode mode)
{
	int (*op)(pfring_dna_cluster *, socket_mode) = ZERO_OP(cluster_set_mode);

	PF_REQUIRE(handle && (unsigned int)mode <= (unsigned int)recv_only_mode);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, mode);
}

/* Both forms of the distribution function meet here, tagged (lib/zero_forms.h). */
static void set_distribution(pfring_dna_cluster *handle, const struct pf_zero_distribution *d)
{
	void (*op)(pfring_dna_cluster *, const struct pf_zero_distribution *) =
		ZERO_OP(cluster_set_distribution_function);

	if (handle == NULL)
		pf_api_invalid();
	else if (op == NULL)
		pf_api_unsupported();
	else
		op(handle, d);
}

/* func NULL gives the default (bidirectional IP hash) back, in either form. */
void (dna_cluster_set_distribution_function)(pfring_dna_cluster *handle,
					     pfring_dna_cluster_distribution_func func)
{
	struct pf_zero_distribution d = { .form = PF_ZERO_DIST_DEFAULT };

	if (func != NULL) {
		d.form = PF_ZERO_DIST_NUM_SLAVES;
		d.fn.num_slaves = func;
	}
	set_distribution(handle, &d);
}

void dna_cluster_set_distribution_function_slaves_info(
	pfring_dna_cluster *handle, pfring_dna_cluster_slaves_info_distribution_func func)
{
	struct pf_zero_distribution d = { .form = PF_ZERO_DIST_DEFAULT };

	if (func != NULL) {
		d.form = PF_ZERO_DIST_SLAVES_INFO;
		d.fn.slaves_info = func;
	}
	set_distribution(handle, &d);
}

void dna_cluster_set_wait_mode(pfring_dna_cluster *handle, u_int32_t active_wait)
{
	void (*op)(pfring_dna_cluster *, u_int32_t) = ZERO_OP(cluster_set_wait_mode);

	if (handle == NULL)
		pf_api_invalid();
	else if (op == NULL)
		pf_api_unsupported();
	else
		op(handle, active_wait ? 1 : 0);
}

int dna_cluster_enable(pfring_dna_cluster *handle)
{
	int (*op)(pfring_dna_cluster *) = ZERO_OP(cluster_enable);

	PF_REQUIRE(handle);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle);
}

int dna_cluster_disable(pfring_dna_cluster *handle)
{
	int (*op)(pfring_dna_cluster *) = ZERO_OP(cluster_disable);

	PF_REQUIRE(handle);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle);
}

int (dna_cluster_stats)(pfring_dna_cluster *handle, u_int64_t *tot_rx_packets,
			u_int64_t *tot_tx_packets, u_int64_t *tot_rx_processed)
{
	int (*op)(pfring_dna_cluster *, u_int64_t *, u_int64_t *, u_int64_t *) =
		ZERO_OP(cluster_stats);

	PF_REQUIRE(handle && tot_rx_packets && tot_tx_packets && tot_rx_processed);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, tot_rx_packets, tot_tx_packets, tot_rx_processed);
}

/* The struct form: the same call, its three counters copied on success. */
int dna_cluster_stats_struct(pfring_dna_cluster *handle, pfring_dna_cluster_stat *stat)
{
	u_int64_t rx, tx, processed;
	int rc;

	PF_REQUIRE(stat);
	rc = (dna_cluster_stats)(handle, &rx, &tx, &processed);
	if (rc == 0) {
		stat->tot_rx_packets = rx;
		stat->tot_tx_packets = tx;
		stat->tot_rx_processed = processed;
	}
	return rc;
}

void dna_cluster_destroy(pfring_dna_cluster *handle)
{
	void (*op)(pfring_dna_cluster *) = ZERO_OP(cluster_destroy);

	if (handle == NULL)
		pf_api_invalid();
	else if (op == NULL)
		pf_api_unsupported();
	else
		op(handle);
}

/* ------------------------------------------------------------ DNA Bouncer */

pfring_dna_bouncer *pfring_dna_bouncer_create(pfring *ingress_ring, pfring *egress_ring)
{
	pfring_dna_bouncer *(*op)(pfring *, pfring *) = ZERO_OP(bouncer_create);

	if (ingress_ring == NULL || egress_ring == NULL) {
		pf_api_invalid();
		return NULL;
	}
	if (op == NULL) {
		pf_api_message("pfring_dna_bouncer_create(\"%s\", \"%s\"): libzero (DNA Bouncer) "
			       "is not built yet in this version of pfring",
			       ingress_ring->device_name ? ingress_ring->device_name : "?",
			       egress_ring->device_name ? egress_ring->device_name : "?");
		pf_api_unsupported();
		return NULL;
	}
	return op(ingress_ring, egress_ring);
}

int pfring_dna_bouncer_set_mode(pfring_dna_bouncer *handle, dna_bouncer_mode mode)
{
	int (*op)(pfring_dna_bouncer *, dna_bouncer_mode) = ZERO_OP(bouncer_set_mode);

	PF_REQUIRE(handle && (mode == one_way_mode || mode == two_way_mode));
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, mode);
}

/* Both forms of the decision function meet here, tagged (lib/zero_forms.h). */
static int bouncer_loop(pfring_dna_bouncer *handle, const struct pf_zero_decision *d,
			const u_char *user_bytes, u_int8_t wait_for_packet)
{
	int (*op)(pfring_dna_bouncer *, const struct pf_zero_decision *, const u_char *,
		  u_int8_t) = ZERO_OP(bouncer_loop);

	PF_REQUIRE(handle);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, d, user_bytes, wait_for_packet);
}

int (pfring_dna_bouncer_loop)(pfring_dna_bouncer *handle, pfring_dna_bouncer_decision_func func,
			      const u_char *user_bytes, u_int8_t wait_for_packet)
{
	struct pf_zero_decision d = { .form = PF_ZERO_DECIDE_VAR_LEN, .fn.var_len = func };

	PF_REQUIRE(func);
	return bouncer_loop(handle, &d, user_bytes, wait_for_packet);
}

int pfring_dna_bouncer_loop_fixed_len(pfring_dna_bouncer *handle,
				      pfring_dna_bouncer_fixed_len_decision_func func,
				      const u_char *user_bytes, u_int8_t wait_for_packet)
{
	struct pf_zero_decision d = { .form = PF_ZERO_DECIDE_FIXED_LEN, .fn.fixed_len = func };

	PF_REQUIRE(func);
	return bouncer_loop(handle, &d, user_bytes, wait_for_packet);
}

void pfring_dna_bouncer_breakloop(pfring_dna_bouncer *handle)
{
	void (*op)(pfring_dna_bouncer *) = ZERO_OP(bouncer_breakloop);

	if (handle == NULL)
		pf_api_invalid();
	else if (op == NULL)
		pf_api_unsupported();
	else
		op(handle);
}

void pfring_dna_bouncer_destroy(pfring_dna_bouncer *handle)
{
	void (*op)(pfring_dna_bouncer *) = ZERO_OP(bouncer_destroy);

	if (handle == NULL)
		pf_api_invalid();
	else if (op == NULL)
		pf_api_unsupported();
	else
		op(handle);
}

int pfring_dna_bouncer_stats(pfring_dna_bouncer *handle, u_int8_t direction,
			     pfring_dna_bouncer_stat *stats)
{
	int (*op)(pfring_dna_bouncer *, u_int8_t, pfring_dna_bouncer_stat *) =
		ZERO_OP(bouncer_stats);

	PF_REQUIRE(handle && stats && direction <= 1);
	if (op == NULL)
		return pf_api_unsupported();
	return op(handle, direction, stats);
}
