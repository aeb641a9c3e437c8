/*
 * lib/api_members.c - the function-pointer members of struct __pfring.
 *
 * 5.4.6 programs call some operations through the handle (pd->send(pd, ...),
 * pd->dna_get_num_tx_slots(pd) ...) and test the dna_* ones for NULL. Every
 * member points to the pfring_* function of the same name, which dispatches to
 * the ring's backend, so a member works wherever that call works and fails the
 * same way where it does not. The dna_* members have no public function of their
 * own: the slot ones dispatch to the backend (dna: has slots) and fail cleanly
 * elsewhere, never NULL; dna_init/term/enable/check/next_packet are 5.4.6's
 * library internals, refused (pfring_recv is the way to read a dna: ring).
 */
#include "lib/api_internal.h"

static int no_dna(pfring *ring)
{
	(void)ring;
	return pf_api_unsupported();
}

static void no_dna_term(pfring *ring)
{
	(void)ring;
	pf_api_unsupported();
}

static u_int8_t no_dna_check_packet_to_read(pfring *ring, u_int8_t wait)
{
	(void)ring;
	(void)wait;
	pf_api_unsupported();
	return 0;
}

static u_char *no_dna_next_packet(pfring *ring, u_char **buffer, u_int buffer_len,
				  struct pfring_pkthdr *hdr)
{
	(void)ring;
	(void)buffer;
	(void)buffer_len;
	(void)hdr;
	pf_api_unsupported();
	return NULL;
}

/* The member takes a 32-bit slot id, the public function a 16-bit one. */
static int copy_tx_packet_into_slot(pfring *ring, u_int32_t tx_slot_id, char *buffer,
				    u_int len)
{
	return pfring_copy_tx_packet_into_slot(ring, (u_int16_t)tx_slot_id, buffer, len);
}

void pf_api_fill_members(pfring *ring)
{
	ring->close = pfring_close;
	ring->stats = pfring_stats;
	ring->recv = pfring_recv;
	ring->set_poll_watermark = pfring_set_poll_watermark;
	ring->set_poll_duration = pfring_set_poll_duration;
	ring->set_tx_watermark = pfring_set_tx_watermark;
	ring->set_channel_id = pfring_set_channel_id;
	ring->set_channel_mask = pfring_set_channel_mask;
	ring->set_application_name = pfring_set_application_name;
	ring->bind = pfring_bind;
	ring->send = pfring_send;
	ring->send_ifindex = pfring_send_ifindex;
	ring->send_parsed = pfring_send_parsed;
	ring->send_get_time = pfring_send_get_time;
	ring->get_num_rx_channels = pfring_get_num_rx_channels;
	ring->set_sampling_rate = pfring_set_sampling_rate;
	ring->get_selectable_fd = pfring_get_selectable_fd;
	ring->set_direction = pfring_set_direction;
	ring->set_socket_mode = pfring_set_socket_mode;
	ring->set_cluster = pfring_set_cluster;
	ring->remove_from_cluster = pfring_remove_from_cluster;
	ring->set_master_id = pfring_set_master_id;
	ring->set_master = pfring_set_master;
	ring->get_ring_id = pfring_get_ring_id;
	ring->get_num_queued_pkts = pfring_get_num_queued_pkts;
	ring->get_packet_consumer_mode = pfring_get_packet_consumer_mode;
	ring->set_packet_consumer_mode = pfring_set_packet_consumer_mode;
	ring->get_hash_filtering_rule_stats = pfring_get_hash_filtering_rule_stats;
	ring->handle_hash_filtering_rule = pfring_handle_hash_filtering_rule;
	ring->purge_idle_hash_rules = pfring_purge_idle_hash_rules;
	ring->add_filtering_rule = pfring_add_filtering_rule;
	ring->remove_filtering_rule = pfring_remove_filtering_rule;
	ring->purge_idle_rules = pfring_purge_idle_rules;
	ring->get_filtering_rule_stats = pfring_get_filtering_rule_stats;
	ring->toggle_filtering_policy = pfring_toggle_filtering_policy;
	ring->enable_rss_rehash = pfring_enable_rss_rehash;
	ring->poll = pfring_poll;
	ring->is_pkt_available = pfring_is_pkt_available;
	ring->next_pkt_time = pfring_next_pkt_time;
	ring->next_pkt_raw_timestamp = pfring_next_pkt_raw_timestamp;
	ring->version = pfring_version;
	ring->get_bound_device_address = pfring_get_bound_device_address;
	ring->get_bound_device_ifindex = pfring_get_bound_device_ifindex;
	ring->get_device_ifindex = pfring_get_device_ifindex;
	ring->get_slot_header_len = pfring_get_slot_header_len;
	ring->set_virtual_device = pfring_set_virtual_device;
	ring->add_hw_rule = pfring_add_hw_rule;
	ring->remove_hw_rule = pfring_remove_hw_rule_by_id;
	ring->loopback_test = pfring_loopback_test;
	ring->enable_ring = pfring_enable_ring;
	ring->disable_ring = pfring_disable_ring;
	ring->shutdown = pfring_shutdown;
	ring->set_bpf_filter = pfring_set_bpf_filter;
	ring->remove_bpf_filter = pfring_remove_bpf_filter;
	ring->get_device_clock = pfring_get_device_clock;
	ring->set_device_clock = pfring_set_device_clock;
	ring->adjust_device_clock = pfring_adjust_device_clock;
	ring->sync_indexes_with_kernel = pfring_sync_indexes_with_kernel;
	ring->send_last_rx_packet = pfring_send_last_rx_packet;
	ring->get_pkt_buff_data = pfring_get_pkt_buff_data;
	ring->set_pkt_buff_len = pfring_set_pkt_buff_len;
	ring->set_pkt_buff_ifindex = pfring_set_pkt_buff_ifindex;
	ring->add_pkt_buff_ifindex = pfring_add_pkt_buff_ifindex;
	ring->alloc_pkt_buff = pfring_alloc_pkt_buff;
	ring->release_pkt_buff = pfring_release_pkt_buff;
	ring->recv_pkt_buff = pfring_recv_pkt_buff;
	ring->send_pkt_buff = pfring_send_pkt_buff;

	ring->dna_init = no_dna;
	ring->dna_term = no_dna_term;
	ring->dna_enable = no_dna;
	ring->dna_check_packet_to_read = no_dna_check_packet_to_read;
	ring->dna_next_packet = no_dna_next_packet;
	ring->dna_get_num_tx_slots = pfring_get_num_tx_slots;
	ring->dna_get_num_rx_slots = pfring_get_num_rx_slots;
	ring->dna_get_next_free_tx_slot = pf_api_next_free_tx_slot;
	ring->dna_copy_tx_packet_into_slot = copy_tx_packet_into_slot;
}
