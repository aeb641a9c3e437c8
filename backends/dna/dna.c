/*
 * backends/dna/dna.c - the "dna:" backend: a NIC's descriptor rings in this
 * process through the DNA drivers (drivers/device.h), no kernel on the packet
 * path (names and sharing: dna.h). Open and close, the calls that describe the
 * ring, and the refusals: as the spec says (4.3), DNA bypasses the kernel, so
 * kernel filtering, clusters, the reflector and plugins are not there; BPF
 * runs in user space (dna_rx.c). docs/api.md has the dna: column, docs/dna.md
 * the guide.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/dna/dna.h"
#include "lib/api_internal.h"
#include "lib/filter_ops.h"

/* The RX queues a NIC is opened with: PFRING_DNA_RSS=N when set (as the
 * RSS= parameter of 5.4.6's DNA driver modules), else one per online CPU, as
 * the kernel's igb does; the driver gives at most what the NIC has. 0 after a
 * message when PFRING_DNA_RSS is not a number from 1 to PF_RING_MAX_QUEUES. */
static uint16_t rss_queues(const char *device_name)
{
	const char *env = getenv("PFRING_DNA_RSS");
	char *end;
	long n;

	if (env == NULL) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		return (uint16_t)(n < 1 ? 1 : n > PF_RING_MAX_QUEUES ? PF_RING_MAX_QUEUES : n);
	}
	n = strtol(env, &end, 10);
	if (end == env || *end || n < 1 || n > PF_RING_MAX_QUEUES) {
		pf_api_message("pfring_open(%s): PFRING_DNA_RSS=%s: want the number of RX queues, "
			       "1 to %d", device_name, env, PF_RING_MAX_QUEUES);
		return 0;
	}
	return (uint16_t)n;
}

static int dna_open(pfring *ring, const struct pf_devname *dn)
{
	struct pf_nic_config cfg = {
		.rx_ring_size = DNA_RING_SLOTS, .tx_ring_size = DNA_RING_SLOTS,
		.promisc = ring->promisc, .rx_queues = rss_queues(ring->device_name),
		.symmetric_rss = ring->symmetric_rss,
	};
	struct dna_ring *r;
	int first_q, num_q, rc;

	if (cfg.rx_queues == 0)
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	if (dn->num_members != 1 || dn->options) {
		pf_api_message("pfring_open(%s): dna: takes one NIC (dna:eth1, dna:eth1@Q, "
			       "dna:0000:00:02.0), no list and no \"?options\"", ring->device_name);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	rc = dna_dev_get(ring->device_name, &dn->member[0], &cfg, &r->dev, &first_q, &num_q);
	if (rc < 0) {
		free(r);
		return rc;
	}
	r->first_q = (u_int16_t)first_q;
	r->num_q = (u_int16_t)num_q;
	r->tx_q = (u_int16_t)(first_q % r->dev->nic->num_tx_queues);
	pthread_mutex_init(&r->bpf_lock, NULL);
	ring->priv_data = r;
	ring->tx_watermark = DNA_TX_WATERMARK;
	ring->dna.dna_mapped_device = 1;   /* 5.4.6 programs test it */
	return 0;
}

static void dna_close(pfring *ring)
{
	struct dna_ring *r = dna_ring_of(ring);

	dna_tx_flush_all(ring);
	dna_rx_free(r);
	dna_dev_put(r->dev, r->first_q, r->num_q);
	pthread_mutex_destroy(&r->bpf_lock);
	free(r->slots);
	free(r);
}

static u_int8_t dna_get_num_rx_channels(pfring *ring)
{
	u_int16_t n = dna_ring_of(ring)->dev->nic->num_rx_queues;

	return n > 255 ? 255 : (u_int8_t)n;
}

static int dna_get_bound_device_address(pfring *ring, u_char mac[6])
{
	memcpy(mac, dna_ring_of(ring)->dev->nic->mac, 6);
	return 0;
}

/* A DNA ring sees the frames the NIC receives, never those sent. */
static int dna_set_direction(pfring *ring, packet_direction direction)
{
	if (direction == tx_only_direction) {
		pf_api_message("pfring_set_direction(%s, tx_only_direction): a dna: ring receives "
			       "what the NIC receives only", ring->device_name);
		return pf_api_fail(PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP);
	}
	return 0;
}

/* ------------------------------------------------------------ refusals */

static int no_kernel_said;

static int no_kernel(pfring *ring, const char *call)
{
	return pf_api_unsupported_why(&no_kernel_said, "%s(%s): a dna: ring bypasses the "
				      "kernel: no kernel filtering, clusters, reflector or "
				      "plugins (spec 4.3); pfring_set_bpf_filter filters in "
				      "user space", call, ring->device_name);
}

static int dna_add_filtering_rule(pfring *ring, filtering_rule *rule)
{
	(void)rule;
	return no_kernel(ring, "pfring_add_filtering_rule");
}

static int dna_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	(void)rule_id;
	return no_kernel(ring, "pfring_remove_filtering_rule");
}

static int dna_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
					  u_char add_rule)
{
	(void)rule;
	(void)add_rule;
	return no_kernel(ring, "pfring_handle_hash_filtering_rule");
}

static int dna_toggle_filtering_policy(pfring *ring, u_int8_t default_accept)
{
	(void)default_accept;
	return no_kernel(ring, "pfring_toggle_filtering_policy");
}

static int dna_set_cluster(pfring *ring, u_int cluster_id, cluster_type the_type)
{
	(void)cluster_id;
	(void)the_type;
	return no_kernel(ring, "pfring_set_cluster");
}

static int dna_set_reflector_device(pfring *ring, const char *device_name)
{
	(void)device_name;
	return no_kernel(ring, "pfring_set_reflector_device");
}

const struct pfring_backend pfring_dna_backend = {
	.name = "dna", .prefix = "dna:",
	.rx_in_place_writable = 1,
	.open = dna_open, .close = dna_close,
	.recv = dna_recv, .poll = dna_poll, .is_pkt_available = dna_is_pkt_available,
	.stats = dna_stats,
	.set_bpf_filter = pf_ops_set_bpf_filter, .set_bpf_program = dna_set_bpf_program,
	.remove_bpf_filter = dna_remove_bpf_filter,
	.set_sampling_rate = dna_set_sampling_rate,
	.send = dna_send, .set_tx_watermark = dna_set_tx_watermark, .flush_tx = dna_tx_flush_all,
	.get_num_tx_slots = dna_num_tx_slots, .get_num_rx_slots = dna_num_rx_slots,
	.get_next_free_tx_slot = dna_next_free_tx_slot,
	.copy_tx_packet_into_slot = dna_copy_into_slot,
	.get_num_rx_channels = dna_get_num_rx_channels,
	.get_bound_device_address = dna_get_bound_device_address,
	.set_direction = dna_set_direction,
	.add_filtering_rule = dna_add_filtering_rule,
	.remove_filtering_rule = dna_remove_filtering_rule,
	.handle_hash_filtering_rule = dna_handle_hash_filtering_rule,
	.toggle_filtering_policy = dna_toggle_filtering_policy,
	.set_cluster = dna_set_cluster,
	.set_reflector_device = dna_set_reflector_device,
};
