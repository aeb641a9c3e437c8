/*
 * backends/kmod/kmod_ops.h - the kernel-module backend's operations: the receive
 * side (kmod_recv.c) and the socket options (kmod_ops.c): one pfring_* call,
 * one core/abi.h option each.
 */
#ifndef PF_BACKENDS_KMOD_OPS_H
#define PF_BACKENDS_KMOD_OPS_H

#include "lib/backend.h"
#include "lib/filter_ops.h"   /* pf_ops_set_bpf_filter: compiles, then set_bpf_program */

int pf_kmod_set_cluster(pfring *ring, u_int cluster_id, cluster_type type);
int pf_kmod_remove_from_cluster(pfring *ring);
int pf_kmod_set_reflector_device(pfring *ring, const char *device_name);
int pf_kmod_set_sampling_rate(pfring *ring, u_int32_t rate);
int pf_kmod_add_filtering_rule(pfring *ring, filtering_rule *rule);
int pf_kmod_remove_filtering_rule(pfring *ring, u_int16_t rule_id);
int pf_kmod_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id, char *stats,
				     u_int *stats_len);
int pf_kmod_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec);
int pf_kmod_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
				       u_char add_rule);
int pf_kmod_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					  char *stats, u_int *stats_len);
int pf_kmod_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec);
int pf_kmod_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			    const char *what);
int pf_kmod_remove_bpf_filter(pfring *ring);
int pf_kmod_toggle_filtering_policy(pfring *ring, u_int8_t default_accept);
int pf_kmod_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush);
int pf_kmod_send_ifindex(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush,
			 int if_index);
int pf_kmod_send_last_rx_packet(pfring *ring, int tx_interface_id);
int pf_kmod_enable_ring(pfring *ring);
int pf_kmod_disable_ring(pfring *ring);
int pf_kmod_version(pfring *ring, u_int32_t *version);
int pf_kmod_set_direction(pfring *ring, packet_direction direction);
int pf_kmod_set_socket_mode(pfring *ring, socket_mode mode);
int pf_kmod_set_poll_watermark(pfring *ring, u_int16_t watermark);
int pf_kmod_set_application_name(pfring *ring, const char *name);
int pf_kmod_set_channel_id(pfring *ring, u_int32_t channel_id);
int pf_kmod_get_bound_device_address(pfring *ring, u_char mac_address[6]);
int pf_kmod_get_bound_device_ifindex(pfring *ring, int *if_index);
int pf_kmod_get_device_ifindex(pfring *ring, const char *device_name, int *if_index);
u_int16_t pf_kmod_get_ring_id(pfring *ring);
u_int8_t pf_kmod_get_num_rx_channels(pfring *ring);
int pf_kmod_get_mtu_size(pfring *ring);

/* kmod_recv.c: the receive side. */
int pf_kmod_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		 struct pfring_pkthdr *hdr, u_int8_t wait);
int pf_kmod_next_pkt_time(pfring *ring, struct timespec *ts);
int pf_kmod_next_pkt_raw_timestamp(pfring *ring, u_int64_t *timestamp_ns);
int pf_kmod_is_pkt_available(pfring *ring);
u_int32_t pf_kmod_get_num_queued_pkts(pfring *ring);
int pf_kmod_poll(pfring *ring, u_int wait_duration);
void pf_kmod_shutdown(pfring *ring);
int pf_kmod_stats(pfring *ring, pfring_stat *stats);

#define PF_KMOD_RECV_OPS                                                        \
	.recv = pf_kmod_recv,                                                   \
	.next_pkt_time = pf_kmod_next_pkt_time,                                 \
	.next_pkt_raw_timestamp = pf_kmod_next_pkt_raw_timestamp,               \
	.is_pkt_available = pf_kmod_is_pkt_available,                           \
	.get_num_queued_pkts = pf_kmod_get_num_queued_pkts,                     \
	.poll = pf_kmod_poll,                                                   \
	.stats = pf_kmod_stats

/* kmod_recv.c: the frame pfring_send_last_rx_packet sends again (0, or an error
 * with its message). */
int pf_kmod_last_rx(pfring *ring, const u_char **pkt, u_int *len, int *ifindex);

#define PF_KMOD_OPTION_OPS                                                      \
	.set_cluster = pf_kmod_set_cluster,                                     \
	.remove_from_cluster = pf_kmod_remove_from_cluster,                     \
	.set_reflector_device = pf_kmod_set_reflector_device,                   \
	.set_sampling_rate = pf_kmod_set_sampling_rate,                         \
	.add_filtering_rule = pf_kmod_add_filtering_rule,                       \
	.remove_filtering_rule = pf_kmod_remove_filtering_rule,                 \
	.get_filtering_rule_stats = pf_kmod_get_filtering_rule_stats,           \
	.purge_idle_rules = pf_kmod_purge_idle_rules,                           \
	.handle_hash_filtering_rule = pf_kmod_handle_hash_filtering_rule,       \
	.get_hash_filtering_rule_stats = pf_kmod_get_hash_filtering_rule_stats, \
	.purge_idle_hash_rules = pf_kmod_purge_idle_hash_rules,                 \
	.set_bpf_filter = pf_ops_set_bpf_filter,                                \
	.set_bpf_program = pf_kmod_set_bpf_program,                             \
	.remove_bpf_filter = pf_kmod_remove_bpf_filter,                         \
	.toggle_filtering_policy = pf_kmod_toggle_filtering_policy,             \
	.send = pf_kmod_send,                                                   \
	.send_ifindex = pf_kmod_send_ifindex,                                   \
	.send_last_rx_packet = pf_kmod_send_last_rx_packet,                     \
	.enable_ring = pf_kmod_enable_ring,                                     \
	.disable_ring = pf_kmod_disable_ring,                                   \
	.version = pf_kmod_version,                                             \
	.set_direction = pf_kmod_set_direction,                                 \
	.set_socket_mode = pf_kmod_set_socket_mode,                             \
	.set_poll_watermark = pf_kmod_set_poll_watermark,                       \
	.set_application_name = pf_kmod_set_application_name,                   \
	.set_channel_id = pf_kmod_set_channel_id,                               \
	.get_bound_device_address = pf_kmod_get_bound_device_address,           \
	.get_bound_device_id = pf_kmod_get_bound_device_ifindex,                \
	.get_bound_device_ifindex = pf_kmod_get_bound_device_ifindex,           \
	.get_device_ifindex = pf_kmod_get_device_ifindex,                       \
	.get_ring_id = pf_kmod_get_ring_id,                                     \
	.get_num_rx_channels = pf_kmod_get_num_rx_channels,                     \
	.get_mtu_size = pf_kmod_get_mtu_size

#endif /* PF_BACKENDS_KMOD_OPS_H */
