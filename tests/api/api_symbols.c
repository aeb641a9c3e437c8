/*
 * tests/api/api_symbols.c - the public API, compiled and linked.
 *
 * Built four times by `make api-test`: as C (gnu99 -pedantic; c99 -pedantic with
 * Snort DAQ's -D_GNU_SOURCE; c11 -pedantic) and as C++11 (g++).
 * Every function of <pfring.h> and <pfring_zero.h> has its address in a table
 * that the program reads through a volatile pointer, so a declared function
 * without a definition fails the link. Constants, enum values and struct
 * layouts that programs depend on are checked at compile time; every field a
 * PF_RING 5.4.6 program touches is written once.
 *
 * Long by nature: it names every symbol of the two public headers once.
 */
#include <pfring.h>
#include <pfring_zero.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
#define API_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define API_ASSERT(cond, msg) __extension__ _Static_assert(cond, msg)
#endif

/* ------------------------------------------------------------ constants */

API_ASSERT(PF_RING_DNA_SYMMETRIC_RSS == 0x01, "PF_RING_DNA_SYMMETRIC_RSS");
API_ASSERT(PF_RING_REENTRANT == 0x02, "PF_RING_REENTRANT");
API_ASSERT(PF_RING_LONG_HEADER == 0x04, "PF_RING_LONG_HEADER");
API_ASSERT(PF_RING_PROMISC == 0x08, "PF_RING_PROMISC");
API_ASSERT(PF_RING_TIMESTAMP == 0x10, "PF_RING_TIMESTAMP");
API_ASSERT(PF_RING_HW_TIMESTAMP == 0x20, "PF_RING_HW_TIMESTAMP");

API_ASSERT(PF_RING_ERROR_GENERIC == -1, "PF_RING_ERROR_GENERIC");
API_ASSERT(PF_RING_ERROR_INVALID_ARGUMENT == -2, "PF_RING_ERROR_INVALID_ARGUMENT");
API_ASSERT(PF_RING_ERROR_NO_PKT_AVAILABLE == -3, "PF_RING_ERROR_NO_PKT_AVAILABLE");
API_ASSERT(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE == -4, "PF_RING_ERROR_NO_TX_SLOT_AVAILABLE");
API_ASSERT(PF_RING_ERROR_WRONG_CONFIGURATION == -5, "PF_RING_ERROR_WRONG_CONFIGURATION");
API_ASSERT(PF_RING_ERROR_END_OF_DEMO_MODE == -6, "PF_RING_ERROR_END_OF_DEMO_MODE");
API_ASSERT(PF_RING_ERROR_NOT_SUPPORTED == -7, "PF_RING_ERROR_NOT_SUPPORTED");
API_ASSERT(PF_RING_ERROR_INVALID_LIB_VERSION == -8, "PF_RING_ERROR_INVALID_LIB_VERSION");
API_ASSERT(PF_RING_ERROR_UNKNOWN_ADAPTER == -9, "PF_RING_ERROR_UNKNOWN_ADAPTER");
API_ASSERT(PF_RING_ERROR_NOT_ENOUGH_MEMORY == -10, "PF_RING_ERROR_NOT_ENOUGH_MEMORY");
API_ASSERT(PF_RING_ERROR_INVALID_STATUS == -11, "PF_RING_ERROR_INVALID_STATUS");
API_ASSERT(PF_RING_ERROR_NOT_ENABLED == -12, "PF_RING_ERROR_NOT_ENABLED (pfring's)");

API_ASSERT(MAX_CAPLEN == 65535, "MAX_CAPLEN");
API_ASSERT(DEFAULT_POLL_DURATION == 500, "DEFAULT_POLL_DURATION");
API_ASSERT(MAX_NUM_BUNDLE_ELEMENTS == 32, "MAX_NUM_BUNDLE_ELEMENTS");
API_ASSERT(RING_VERSION_NUM == 0x050406, "RING_VERSION_NUM");
API_ASSERT(sizeof(RING_VERSION) == sizeof("5.4.6"), "RING_VERSION");
API_ASSERT(MAX_NUM_RX_CHANNELS == 32 && UNKNOWN_NUM_RX_CHANNELS == 1, "MAX_NUM_RX_CHANNELS");
API_ASSERT(DEFAULT_POLL_WATERMARK == 128, "DEFAULT_POLL_WATERMARK");
API_ASSERT(MAX_NUM_LIST_ELEMENTS == 64, "MAX_NUM_LIST_ELEMENTS");
API_ASSERT(CLUSTER_LEN == 32, "CLUSTER_LEN");
API_ASSERT(REFLECTOR_NAME_LEN == 8, "REFLECTOR_NAME_LEN");
API_ASSERT(FILTER_PLUGIN_DATA_LEN == 256, "FILTER_PLUGIN_DATA_LEN");
API_ASSERT(MAX_PLUGIN_ID == 72, "MAX_PLUGIN_ID");
API_ASSERT(RING_ANY_CHANNEL == 0xffffffffu, "RING_ANY_CHANNEL");
API_ASSERT(UNKNOWN_INTERFACE == -1 && FAKE_PACKET == -2, "interface ids");
API_ASSERT(NO_VLAN == 0xffff && NO_TUNNEL_ID == 0xffffffffu, "NO_VLAN, NO_TUNNEL_ID");
API_ASSERT(MAX_NUM_DEVICES == 256, "MAX_NUM_DEVICES");
API_ASSERT(ETH_ALEN == 6, "ETH_ALEN");
API_ASSERT(PF_RING_PARSE_L2 == 2 && PF_RING_PARSE_L3 == 3 && PF_RING_PARSE_L4 == 4 &&
	   PF_RING_PARSE_L5 == 5, "parse levels");
API_ASSERT(TH_FIN_MULTIPLIER == 0x01 && TH_SYN_MULTIPLIER == 0x02 &&
	   TH_RST_MULTIPLIER == 0x04 && TH_PUSH_MULTIPLIER == 0x08 &&
	   TH_ACK_MULTIPLIER == 0x10 && TH_URG_MULTIPLIER == 0x20, "TCP flag multipliers");
API_ASSERT(PF_RING_DIRECTION_RX == 1 && PF_RING_DIRECTION_TX == 0, "rx_direction values");

API_ASSERT(DNA_CLUSTER_DIRECT_FORWARDING == 1 && DNA_CLUSTER_NO_ADDITIONAL_BUFFERS == 2 &&
	   DNA_CLUSTER_HUGEPAGES == 4, "dna_cluster_create flags");
API_ASSERT(DNA_CLUSTER_DROP == -1 && DNA_CLUSTER_PASS == 0 && DNA_CLUSTER_FRWD == 1,
	   "distribution verdicts");
API_ASSERT(DNA_BOUNCER_PASS == 0 && DNA_BOUNCER_DROP == -1, "decision verdicts");
API_ASSERT(DNA_CLUSTER_MAX_NUM_SLAVES == 32 && DNA_CLUSTER_MAX_NUM_SOCKETS == 32,
	   "DNA_CLUSTER_MAX_NUM_SLAVES, _SOCKETS");
/* libzero's structs, as the 5.4.6 programs read them */
API_ASSERT(offsetof(pfring_dna_cluster_stat, tot_rx_packets) == 0 &&
	   offsetof(pfring_dna_cluster_stat, tot_tx_packets) == 8 &&
	   offsetof(pfring_dna_cluster_stat, tot_rx_processed) == 16 &&
	   sizeof(pfring_dna_cluster_stat) == 24, "pfring_dna_cluster_stat");
API_ASSERT(offsetof(pfring_dna_cluster_slaves_info, num_slaves) == 0 &&
	   offsetof(pfring_dna_cluster_slaves_info, approximate_stats) == 4 &&
	   sizeof(pfring_dna_cluster_slave_stat) == 4 &&
	   sizeof(pfring_dna_cluster_slaves_info) == 4 + 32 * 4, "pfring_dna_cluster_slaves_info");

/* 5.4.6's macros (pfring.h and linux/pf_ring.h), with 5.4.6's values */
API_ASSERT(PAGE_SIZE == 4096 && NO_PLUGIN_ID == 0 && MAX_PLUGIN_FIELDS == 32, "PAGE_SIZE ...");
API_ASSERT(POLL_SLEEP_STEP == 10 && POLL_SLEEP_MIN == 10 && POLL_SLEEP_MAX == 1000 &&
	   POLL_QUEUE_MIN_LEN == 500, "POLL_SLEEP_*");
API_ASSERT(DEFAULT_BUCKET_LEN == 128 && DEFAULT_MIN_PKT_QUEUED == 128 &&
	   DEFAULT_RING_HASH_SIZE == 4096, "defaults");
API_ASSERT(PF_RING == 27 && SOCK_RING == 27 && SIORINGPOLL == 0x8888, "socket family");
API_ASSERT(UNKNOWN_RX_CHANNEL == RING_ANY_CHANNEL && REFLECT_PACKET_DEVICE_NONE == 0,
	   "channel, reflector");
API_ASSERT(SKB_DISPLACEMENT == 14 && RING_MAGIC_VALUE == 0x88 && RING_FLOWSLOT_VERSION == 14 &&
	   DNA_MAX_CHUNK_ORDER == 5 && DNA_MAX_NUM_CHUNKS == 4096 &&
	   MAGIC_HW_FILTERING_RULE_REQUEST == 0x29010020 && NETDEV_PRE_UP == 0x000D,
	   "ring constants");
API_ASSERT(RING_MIN_SLOT_SIZE == 60 + sizeof(struct pfring_pkthdr) &&
	   RING_MAX_SLOT_SIZE == 1514 + sizeof(struct pfring_pkthdr), "slot sizes");
API_ASSERT(VPFRING_HOST_EVENT_RX_INT == 0 && VPFRING_GUEST_NO_INTERRUPT == 1 &&
	   USERSPACE_RING_NO_INTERRUPT == 1, "vPFRing flags");
API_ASSERT(GRE_HEADER_CHECKSUM == 0x8000 && GRE_HEADER_ROUTING == 0x4000 &&
	   GRE_HEADER_KEY == 0x2000 && GRE_HEADER_SEQ_NUM == 0x1000 &&
	   GRE_HEADER_VERSION == 0x0007, "GRE constants");
API_ASSERT(GTP_SIGNALING_PORT == 2123 && GTP_U_DATA_PORT == 2152 && GTP_VERSION_1 == 1 &&
	   GTP_VERSION_2 == 2 && GTP_PROTOCOL_TYPE == 1 && GTP_FLAGS_VERSION == 0xE0 &&
	   GTP_FLAGS_VERSION_SHIFT == 5 && GTP_FLAGS_PROTOCOL_TYPE == 0x10 &&
	   GTP_FLAGS_RESERVED == 0x08 && GTP_FLAGS_EXTENSION == 0x04 &&
	   GTP_FLAGS_SEQ_NUM == 0x02 && GTP_FLAGS_NPDU_NUM == 0x01 &&
	   GTP_EXT_HDR_LEN_UNIT_BYTES == 4 && MOBILE_IP_PORT == 434, "GTP constants");
API_ASSERT(FILTER_TUNNEL_ID_FLAG == 1, "FILTER_TUNNEL_ID_FLAG");
API_ASSERT(sizeof(struct gtp_v1_hdr) == 8 && sizeof(struct gtp_v1_opt_hdr) == 4 &&
	   sizeof(struct gtp_v1_ext_hdr) == 1 && sizeof(struct gre_header) == 4 &&
	   sizeof(struct eth_vlan_hdr) == 4 && sizeof(struct mobile_ip_hdr) == 4,
	   "header layouts (packed as 5.4.6)");

/* 5.4.6's socket options: every name with 5.4.6's number */
API_ASSERT(SO_ADD_TO_CLUSTER == 99 && SO_REMOVE_FROM_CLUSTER == 100 && SO_SET_STRING == 101 &&
	   SO_ADD_FILTERING_RULE == 102 && SO_REMOVE_FILTERING_RULE == 103 &&
	   SO_TOGGLE_FILTER_POLICY == 104 && SO_SET_SAMPLING_RATE == 105 &&
	   SO_ACTIVATE_RING == 106 && SO_RING_BUCKET_LEN == 107 && SO_SET_CHANNEL_ID == 108 &&
	   SO_PURGE_IDLE_HASH_RULES == 109 && SO_SET_APPL_NAME == 110 &&
	   SO_SET_PACKET_DIRECTION == 111 && SO_SET_MASTER_RING == 112 &&
	   SO_ADD_HW_FILTERING_RULE == 113 && SO_DEL_HW_FILTERING_RULE == 114 &&
	   SO_SET_PACKET_CONSUMER_MODE == 115 && SO_DEACTIVATE_RING == 116 &&
	   SO_SET_POLL_WATERMARK == 117 && SO_SET_VIRTUAL_FILTERING_DEVICE == 118 &&
	   SO_REHASH_RSS_PACKET == 119 && SO_SET_VPFRING_HOST_EVENTFD == 120 &&
	   SO_SET_VPFRING_GUEST_EVENTFD == 121 && SO_SET_VPFRING_CLEAN_EVENTFDS == 122 &&
	   SO_ATTACH_USERSPACE_RING == 123 && SO_SHUTDOWN_RING == 124 &&
	   SO_PURGE_IDLE_RULES == 125 && SO_SET_SOCKET_MODE == 126 &&
	   SO_USE_SHORT_PKT_HEADER == 127 && SO_CREATE_DNA_CLUSTER == 128 &&
	   SO_ATTACH_DNA_CLUSTER == 129 && SO_WAKE_UP_DNA_CLUSTER_SLAVE == 130 &&
	   SO_ENABLE_RX_PACKET_BOUNCE == 131 && SO_SEND_MSG_TO_PLUGIN == 132, "SO_ set options");
API_ASSERT(SO_GET_RING_VERSION == 170 && SO_GET_FILTERING_RULE_STATS == 171 &&
	   SO_GET_HASH_FILTERING_RULE_STATS == 172 && SO_GET_MAPPED_DNA_DEVICE == 173 &&
	   SO_GET_NUM_RX_CHANNELS == 174 && SO_GET_RING_ID == 175 &&
	   SO_GET_PACKET_CONSUMER_MODE == 176 && SO_GET_BOUND_DEVICE_ADDRESS == 177 &&
	   SO_GET_NUM_QUEUED_PKTS == 178 && SO_GET_PKT_HEADER_LEN == 179 &&
	   SO_GET_LOOPBACK_TEST == 180 && SO_GET_BUCKET_LEN == 181 &&
	   SO_GET_DEVICE_TYPE == 182 && SO_GET_EXTRA_DMA_MEMORY == 183 &&
	   SO_GET_BOUND_DEVICE_IFINDEX == 184 && SO_GET_DEVICE_IFINDEX == 185 &&
	   SO_MAP_DNA_DEVICE == 190, "SO_ get options");

#ifndef __cplusplus
/* C only, as in 5.4.6 (a macro named max would break <algorithm>) */
API_ASSERT(max(3, 4) == 4 && min_val(3, 4) == 3 && max_val(3, 4) == 4, "max, min_val, max_val");
#else
#ifdef max
#error "max must not be a macro in C++"
#endif
#endif

/* ------------------------------------------------------------ enums */

API_ASSERT(forward_packet_and_stop_rule_evaluation == 0 &&
	   dont_forward_packet_and_stop_rule_evaluation == 1 &&
	   execute_action_and_continue_rule_evaluation == 2 &&
	   execute_action_and_stop_rule_evaluation == 3 &&
	   forward_packet_add_rule_and_stop_rule_evaluation == 4 &&
	   forward_packet_del_rule_and_stop_rule_evaluation == 5 &&
	   reflect_packet_and_stop_rule_evaluation == 6 &&
	   reflect_packet_and_continue_rule_evaluation == 7 &&
	   bounce_packet_and_stop_rule_evaluation == 8 &&
	   bounce_packet_and_continue_rule_evaluation == 9, "rule_action_behaviour 0..9");
API_ASSERT(cluster_per_flow == 0 && cluster_round_robin == 1 &&
	   cluster_per_flow_2_tuple == 2 && cluster_per_flow_4_tuple == 3 &&
	   cluster_per_flow_5_tuple == 4 && cluster_per_flow_tcp_5_tuple == 5, "cluster_type");
API_ASSERT(rx_and_tx_direction == 0 && rx_only_direction == 1 && tx_only_direction == 2,
	   "packet_direction");
API_ASSERT(send_and_recv_mode == 0 && send_only_mode == 1 && recv_only_mode == 2,
	   "socket_mode");
API_ASSERT(hardware_and_software == 0 && hardware_only == 1 && software_only == 2,
	   "filtering_mode");
API_ASSERT(intel_82599_five_tuple_rule == 0 && intel_82599_perfect_filter_rule == 1 &&
	   intel_82599_perfect_filter_hash_rule == 1 && silicom_redirector_rule == 2,
	   "hw_filtering_rule_type (5.4.6's and the guide's spelling)");
API_ASSERT(add_hw_rule == 0 && remove_hw_rule == 1, "hw_filtering_rule_command");
API_ASSERT(drop_rule == 0 && redirect_rule == 1 && mirror_rule == 2,
	   "silicom_redirector_rule_type");
API_ASSERT(standard_nic_family == 0 && intel_82599_family == 1, "pfring_device_type");
API_ASSERT(pkt_detail_flow == 0 && pkt_detail_aggregation == 1, "pkt_detail_mode");
API_ASSERT(long_pkt_header == 0 && short_pkt_header == 1, "pkt_header_len");
API_ASSERT(standard_linux_path == 0 && driver2pf_ring_transparent == 1 &&
	   driver2pf_ring_non_transparent == 2, "direct2pf_ring");
API_ASSERT(add_device_mapping == 0 && remove_device_mapping == 1, "dna_device_operation");
API_ASSERT(intel_e1000e == 0 && intel_igb == 1 && intel_ixgbe == 2 && intel_ixgbe_82598 == 3 &&
	   intel_ixgbe_82599 == 4 && intel_igb_82580 == 5 && intel_e1000 == 6, "dna_device_model");
API_ASSERT(dna_v1 == 0 && dna_v2 == 1, "dna_version");
API_ASSERT(pick_round_robin == 0 && pick_fifo == 1, "bundle_read_policy");
API_ASSERT(one_way_mode == 0 && two_way_mode == 1, "dna_bouncer_mode");

/* ------------------------------------------------------------ layouts */

/* Programs cast struct pfring_pkthdr * to struct pcap_pkthdr *. */
API_ASSERT(offsetof(struct pfring_pkthdr, ts) == offsetof(struct pcap_pkthdr, ts),
	   "pkthdr.ts lines up with pcap_pkthdr");
API_ASSERT(offsetof(struct pfring_pkthdr, caplen) == offsetof(struct pcap_pkthdr, caplen),
	   "pkthdr.caplen lines up with pcap_pkthdr");
API_ASSERT(offsetof(struct pfring_pkthdr, len) == offsetof(struct pcap_pkthdr, len),
	   "pkthdr.len lines up with pcap_pkthdr");
API_ASSERT(sizeof(((struct pfring_pkthdr *)0)->caplen) ==
	   sizeof(((struct pcap_pkthdr *)0)->caplen), "caplen width");
API_ASSERT(sizeof(((struct pfring_pkthdr *)0)->len) ==
	   sizeof(((struct pcap_pkthdr *)0)->len), "len width");
API_ASSERT(sizeof(ip_addr) == 16, "ip_addr holds an IPv6 address");
API_ASSERT(sizeof(((filtering_rule *)0)->reflector_device_name) == REFLECTOR_NAME_LEN,
	   "reflector_device_name");
API_ASSERT(sizeof(((filtering_rule *)0)->extended_fields.payload_pattern) == 32,
	   "payload_pattern");
API_ASSERT(sizeof(((pfring_bundle *)0)->sockets) / sizeof(pfring *) ==
	   MAX_NUM_BUNDLE_ELEMENTS, "bundle sockets");

/* ------------------------------------------------------------ functions */

int zero_snippets_run(void); /* tests/api/zero_snippets.c */

typedef void (*api_fn)(void);

struct api_entry {
	const char *name;
	api_fn fn;
};

#define F(fn) { #fn, (api_fn)(fn) }

static const struct api_entry api_table[] = {
	/* 8.4 - 8.5 */
	F(pfring_open), F(pfring_open_multichannel), F(pfring_close), F(pfring_shutdown),
	/* 5.4.6's header, not the guide */
	F(pfring_open_consumer), F(pfring_config), F(pfring_bind), F(pfring_set_channel_mask),
	F(pfring_get_device_ifindex), F(pfring_get_packet_consumer_mode),
	F(pfring_set_packet_consumer_mode), F(pfring_set_virtual_device),
	F(pfring_loopback_test), F(pfring_sync_indexes_with_kernel), F(pfring_get_num_tx_slots),
	F(pfring_get_num_rx_slots), F(pfring_copy_tx_packet_into_slot),
	F(pfring_remove_hw_rule_by_id),
	/* 8.6 */
	F(pfring_recv), F(pfring_recv_parsed), F(pfring_loop), F(pfring_breakloop),
	F(pfring_next_pkt_time), F(pfring_next_pkt_raw_timestamp), F(pfring_is_pkt_available),
	F(pfring_get_num_queued_pkts),
	/* 8.7 */
	F(pfring_set_cluster), F(pfring_remove_from_cluster), F(pfring_set_master_id),
	F(pfring_set_master),
	/* 8.8 - 8.9 */
	F(pfring_set_reflector_device), F(pfring_set_sampling_rate),
	/* 8.10 */
	F(pfring_add_filtering_rule), F(pfring_remove_filtering_rule),
	F(pfring_get_filtering_rule_stats), F(pfring_purge_idle_rules),
	F(pfring_handle_hash_filtering_rule), F(pfring_get_hash_filtering_rule_stats),
	F(pfring_purge_idle_hash_rules), F(pfring_set_bpf_filter), F(pfring_remove_bpf_filter),
	/* 8.11 - 8.12 */
	F(pfring_add_hw_rule), F(pfring_set_filtering_mode),
	/* the guide's form (C++ also has 5.4.6's as an overload of the same name) */
	{ "pfring_remove_hw_rule",
	  (api_fn)(int (*)(pfring *, hw_filtering_rule *))pfring_remove_hw_rule },
	F(pfring_toggle_filtering_policy),
	/* 8.13 */
	F(pfring_send), F(pfring_send_ifindex), F(pfring_send_get_time),
	F(pfring_send_last_rx_packet), F(pfring_send_parsed),
	/* 8.14 */
	F(pfring_enable_ring), F(pfring_disable_ring), F(pfring_stats), F(pfring_version),
	F(pfring_set_direction), F(pfring_set_socket_mode), F(pfring_poll),
	F(pfring_set_poll_watermark), F(pfring_set_tx_watermark), F(pfring_set_poll_duration),
	F(pfring_set_application_name), F(pfring_set_channel_id),
	F(pfring_get_bound_device_address), F(pfring_get_bound_device_id),
	F(pfring_get_bound_device_ifindex), F(pfring_get_ring_id),
	F(pfring_get_num_rx_channels), F(pfring_get_selectable_fd), F(pfring_enable_rss_rehash),
	F(pfring_get_device_clock), F(pfring_set_device_clock), F(pfring_adjust_device_clock),
	F(pfring_enable_hw_timestamp), F(pfring_get_mtu_size), F(pfring_get_slot_header_len),
	F(pfring_set_if_promisc), F(pfring_format_numbers),
	/* parsing, printing */
	F(pfring_parse_pkt), F(pfring_print_parsed_pkt), F(pfring_print_pkt),
	/* bundles */
	F(pfring_bundle_init), F(pfring_bundle_add), F(pfring_bundle_poll), F(pfring_bundle_read),
	F(pfring_bundle_destroy), F(pfring_bundle_close),
	/* 9.1 slave API */
	F(pfring_alloc_pkt_buff), F(pfring_release_pkt_buff), F(pfring_recv_pkt_buff),
	F(pfring_send_pkt_buff), F(pfring_get_pkt_buff_data), F(pfring_set_pkt_buff_len),
	F(pfring_set_pkt_buff_ifindex), F(pfring_add_pkt_buff_ifindex),
	/* 9.1.1 DNA Cluster master */
	F(dna_cluster_create), F(dna_cluster_low_level_settings), F(dna_cluster_register_ring),
	F(dna_cluster_set_cpu_affinity), F(dna_cluster_set_mode),
	/* the guide's forms by their type: in C++ the names are overloaded too */
	{ "dna_cluster_set_distribution_function",
	  (api_fn)(void (*)(pfring_dna_cluster *, pfring_dna_cluster_distribution_func))
		  dna_cluster_set_distribution_function },
	F(dna_cluster_set_distribution_function_slaves_info),
	F(dna_cluster_set_wait_mode), F(dna_cluster_enable), F(dna_cluster_disable),
	{ "dna_cluster_stats",
	  (api_fn)(int (*)(pfring_dna_cluster *, u_int64_t *, u_int64_t *, u_int64_t *))
		  dna_cluster_stats },
	F(dna_cluster_stats_struct), F(dna_cluster_destroy),
	/* 9.2 DNA Bouncer */
	F(pfring_dna_bouncer_create), F(pfring_dna_bouncer_set_mode),
	{ "pfring_dna_bouncer_loop",
	  (api_fn)(int (*)(pfring_dna_bouncer *, pfring_dna_bouncer_decision_func, const u_char *,
			   u_int8_t))pfring_dna_bouncer_loop },
	F(pfring_dna_bouncer_loop_fixed_len), F(pfring_dna_bouncer_breakloop), F(pfring_dna_bouncer_destroy),
	/* pfring extensions */
	F(pfring_get_last_error_message), F(pfring_dna_bouncer_stats),
};

/* The guide's "rcv" spellings (macros in pfring.h). */
static const struct api_entry alias_table[] = {
	F(pfring_rcv), F(pfring_rcv_parsed), F(pfring_rcv_pkt_buff),
};

#define API_NUM_FUNCTIONS 115
API_ASSERT(sizeof(api_table) / sizeof(api_table[0]) == API_NUM_FUNCTIONS,
	   "one entry per function declared in pfring.h and pfring_zero.h");

/* Read through volatile pointers: the tables (and so every reference) stay. */
static const struct api_entry *volatile api_sink = api_table;
static const struct api_entry *volatile alias_sink = alias_table;

/* Prototypes: assigning checks the exact signatures. */
static int (*const check_recv)(pfring *, u_char **, u_int, struct pfring_pkthdr *,
			       u_int8_t) = pfring_rcv;
static int (*const check_send)(pfring *, char *, u_int, u_int8_t) = pfring_send;
static pfring *(*const check_open)(const char *, u_int32_t, u_int32_t) = pfring_open;
static int (*const check_set_len)(pfring *, pfring_pkt_buff *, u_int32_t) =
	pfring_set_pkt_buff_len;
static int (*const check_set_ifindex)(pfring *, pfring_pkt_buff *, int) =
	pfring_set_pkt_buff_ifindex;
static int (*const check_add_ifindex)(pfring *, pfring_pkt_buff *, int) =
	pfring_add_pkt_buff_ifindex;
static int (*const check_loop)(pfring *, pfringProcesssPacket, const u_char *, u_int8_t) =
	pfring_loop;
static int (*const check_remove_hw)(pfring *, hw_filtering_rule *) = pfring_remove_hw_rule;

/* ------------------------------------------------------------ types, fields */

static void looper(const struct pfring_pkthdr *h, const u_char *p, const u_char *user)
{
	(void)h;
	(void)p;
	(void)user;
}

static int distribution(const u_char *buffer, const u_int16_t buffer_len,
			const u_int32_t num_slaves, u_int32_t *id_mask, u_int32_t *hash)
{
	(void)buffer;
	(void)buffer_len;
	*hash = 0;
	*id_mask = num_slaves ? 1 : 0;
	return DNA_CLUSTER_PASS;
}

static int decision(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
		    u_int8_t direction)
{
	(void)pkt;
	(void)user_bytes;
	return *pkt_len > 0 && direction <= 1;
}

/* Writes every field once; returns a checksum so nothing is optimized away. */
static unsigned long use_pkthdr(void)
{
	struct pfring_pkthdr h;
	struct pkt_parsing_info *p = &h.extended_hdr.parsed_pkt;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1;
	h.ts.tv_usec = 2;
	h.caplen = 60;
	h.len = 64;
	h.extended_hdr.timestamp_ns = 3;
	h.extended_hdr.rx_direction = PF_RING_DIRECTION_RX;
	h.extended_hdr.if_index = UNKNOWN_INTERFACE;
	h.extended_hdr.pkt_hash = 4;
	h.extended_hdr.tx.bounce_interface = 5;
	h.extended_hdr.tx.reserved = NULL;
	h.extended_hdr.parsed_header_len = 0;
	p->dmac[0] = 0x01;
	p->smac[5] = 0x02;
	p->eth_type = 0x0800;
	p->vlan_id = 7;
	p->ip_version = 4;
	p->l3_proto = IPPROTO_TCP;
	p->ipv4_tos = 0x10;
	p->ipv6_tos = 0x10;
	p->ipv4_src = 0x0a000001;
	p->ipv4_dst = 0x0a000002;
	p->ipv6_src.s6_addr[15] = 1;
	p->ipv6_dst.s6_addr[15] = 2;
	p->l4_src_port = 1234;
	p->l4_dst_port = 80;
	p->tcp.flags = TH_SYN_MULTIPLIER | TH_ACK_MULTIPLIER;
	p->tcp.seq_num = 100;
	p->tcp.ack_num = 200;
	p->tunnel.tunnel_id = NO_TUNNEL_ID;
	p->tunnel.tunneled_proto = IPPROTO_UDP;
	p->tunnel.tunneled_ip_src.v4 = 1;
	p->tunnel.tunneled_ip_dst.v6.s6_addr[0] = 0xfe;
	p->tunnel.tunneled_l4_src_port = 2152;
	p->tunnel.tunneled_l4_dst_port = 2152;
	p->last_matched_plugin_id = 0;
	p->last_matched_rule_id = 0;
	p->offset.eth_offset = 0;
	p->offset.vlan_offset = 0;
	p->offset.l3_offset = 14;
	p->offset.l4_offset = 34;
	p->offset.payload_offset = 54;
	return h.caplen + p->ipv4_src + p->tcp.seq_num + (unsigned long)p->offset.payload_offset;
}

static unsigned long use_rules(void)
{
	filtering_rule r;
	hash_filtering_rule hr;
	hw_filtering_rule hw;
	pfring_rule_stats rs;

	memset(&r, 0, sizeof(r));
	r.rule_id = 1;
	r.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	r.balance_id = 0;
	r.balance_pool = 2;
	r.locked = 1;
	r.bidirectional = 1;
	r.core_fields.smac[0] = 1;
	r.core_fields.dmac[0] = 2;
	r.core_fields.vlan_id = 10;
	r.core_fields.proto = IPPROTO_UDP;
	r.core_fields.shost.v4 = 0x0a000000;
	r.core_fields.dhost.v6.s6_addr[0] = 0x20;
	r.core_fields.shost_mask.v4 = 0xff000000;
	r.core_fields.dhost_mask.v4 = 0;
	r.core_fields.sport_low = 1;
	r.core_fields.sport_high = 1024;
	r.core_fields.dport_low = 53;
	r.core_fields.dport_high = 53;
	strcpy(r.extended_fields.payload_pattern, "GET");
	r.extended_fields.optional_fields = FILTER_TUNNEL_ID_FLAG;
	r.extended_fields.tunnel.tunnel_id = 0x0000a2b6;
	r.extended_fields.tunnel.shost.v4 = 1;
	r.extended_fields.tunnel.dhost.v6.s6_addr[0] = 0x20;
	r.extended_fields.tunnel.shost_mask.v4 = 0xffffffff;
	r.extended_fields.tunnel.dhost_mask.v4 = 0;
	r.extended_fields.filter_plugin_id = 0;
	r.extended_fields.filter_plugin_data[0] = 0;
	r.plugin_action.plugin_id = 0;
	strcpy(r.reflector_device_name, "eth1");
	r.internals.last_match_ns = 0;
	r.internals.reflector_dev = NULL;

	memset(&hr, 0, sizeof(hr));
	hr.rule_id = 2;
	hr.vlan_id = 0;
	hr.proto = IPPROTO_TCP;
	hr.host4_peer_a = 0x0a000001;
	hr.host4_peer_b = 0x0a000002;
	hr.host6_peer_a.s6_addr[0] = 0;
	hr.host6_peer_b.s6_addr[0] = 0;
	hr.port_peer_a = 80;
	hr.port_peer_b = 1234;
	hr.rule_action = forward_packet_and_stop_rule_evaluation;
	hr.plugin_action.plugin_id = 0;
	hr.reflector_device_name[0] = '\0';
	hr.internals.last_match_ns = 0;

	memset(&hw, 0, sizeof(hw));
	hw.rule_family_type = intel_82599_five_tuple_rule;
	hw.rule_id = 3;
	hw.rule_family.five_tuple_rule.proto = IPPROTO_TCP;
	hw.rule_family.five_tuple_rule.s_addr = 1;
	hw.rule_family.five_tuple_rule.d_addr = 2;
	hw.rule_family.five_tuple_rule.s_port = 3;
	hw.rule_family.five_tuple_rule.d_port = 4;
	hw.rule_family.five_tuple_rule.queue_id = 5;
	hw.rule_family.perfect_rule.vlan_id = 6;
	hw.rule_family.perfect_rule.proto = IPPROTO_UDP;
	hw.rule_family.perfect_rule.s_addr = 7;
	hw.rule_family.perfect_rule.d_addr = 8;
	hw.rule_family.perfect_rule.s_port = 9;
	hw.rule_family.perfect_rule.d_port = 10;
	hw.rule_family.perfect_rule.queue_id = 11;
	hw.rule_family.redirector_rule.rule_type = mirror_rule;
	hw.rule_family.redirector_rule.rule_port = 2;
	hw.rule_family.redirector_rule.rule_target_port = 1;
	hw.rule_family.redirector_rule.vlan_id_low = 700;
	hw.rule_family.redirector_rule.vlan_id_high = 800;
	hw.rule_family.redirector_rule.l3_proto = IPPROTO_TCP;
	hw.rule_family.redirector_rule.src_addr.v4 = 3;
	hw.rule_family.redirector_rule.dst_addr.v6.s6_addr[0] = 4;
	hw.rule_family.redirector_rule.src_mask = 0xffffff00;
	hw.rule_family.redirector_rule.dst_mask = 0xffffffff;
	hw.rule_family.redirector_rule.src_port_low = 5;
	hw.rule_family.redirector_rule.src_port_high = 6;
	hw.rule_family.redirector_rule.dst_port_low = 7;
	hw.rule_family.redirector_rule.dst_port_high = 8;

	rs.matching_packets = 1;
	rs.dropped_packets = 2;
	return r.core_fields.dport_high + hr.port_peer_a + hw.rule_id +
	       (unsigned long)rs.matching_packets;
}

/* Each 5.4.6 function-pointer member, given the function the library puts
 * there: the assignment checks the member's type. */
static void use_members(pfring *r)
{
	r->close = pfring_close;
	r->stats = pfring_stats;
	r->recv = pfring_recv;
	r->set_poll_watermark = pfring_set_poll_watermark;
	r->set_poll_duration = pfring_set_poll_duration;
	r->set_tx_watermark = pfring_set_tx_watermark;
	r->set_channel_id = pfring_set_channel_id;
	r->set_channel_mask = pfring_set_channel_mask;
	r->set_application_name = pfring_set_application_name;
	r->bind = pfring_bind;
	r->send = pfring_send;
	r->send_ifindex = pfring_send_ifindex;
	r->send_parsed = pfring_send_parsed;
	r->send_get_time = pfring_send_get_time;
	r->get_num_rx_channels = pfring_get_num_rx_channels;
	r->set_sampling_rate = pfring_set_sampling_rate;
	r->get_selectable_fd = pfring_get_selectable_fd;
	r->set_direction = pfring_set_direction;
	r->set_socket_mode = pfring_set_socket_mode;
	r->set_cluster = pfring_set_cluster;
	r->remove_from_cluster = pfring_remove_from_cluster;
	r->set_master_id = pfring_set_master_id;
	r->set_master = pfring_set_master;
	r->get_ring_id = pfring_get_ring_id;
	r->get_num_queued_pkts = pfring_get_num_queued_pkts;
	r->get_packet_consumer_mode = pfring_get_packet_consumer_mode;
	r->set_packet_consumer_mode = pfring_set_packet_consumer_mode;
	r->get_hash_filtering_rule_stats = pfring_get_hash_filtering_rule_stats;
	r->handle_hash_filtering_rule = pfring_handle_hash_filtering_rule;
	r->purge_idle_hash_rules = pfring_purge_idle_hash_rules;
	r->add_filtering_rule = pfring_add_filtering_rule;
	r->remove_filtering_rule = pfring_remove_filtering_rule;
	r->purge_idle_rules = pfring_purge_idle_rules;
	r->get_filtering_rule_stats = pfring_get_filtering_rule_stats;
	r->toggle_filtering_policy = pfring_toggle_filtering_policy;
	r->enable_rss_rehash = pfring_enable_rss_rehash;
	r->poll = pfring_poll;
	r->is_pkt_available = pfring_is_pkt_available;
	r->next_pkt_time = pfring_next_pkt_time;
	r->next_pkt_raw_timestamp = pfring_next_pkt_raw_timestamp;
	r->version = pfring_version;
	r->get_bound_device_address = pfring_get_bound_device_address;
	r->get_bound_device_ifindex = pfring_get_bound_device_ifindex;
	r->get_device_ifindex = pfring_get_device_ifindex;
	r->get_slot_header_len = pfring_get_slot_header_len;
	r->set_virtual_device = pfring_set_virtual_device;
	r->add_hw_rule = pfring_add_hw_rule;
	r->remove_hw_rule = pfring_remove_hw_rule_by_id;
	r->loopback_test = pfring_loopback_test;
	r->enable_ring = pfring_enable_ring;
	r->disable_ring = pfring_disable_ring;
	r->shutdown = pfring_shutdown;
	r->set_bpf_filter = pfring_set_bpf_filter;
	r->remove_bpf_filter = pfring_remove_bpf_filter;
	r->get_device_clock = pfring_get_device_clock;
	r->set_device_clock = pfring_set_device_clock;
	r->adjust_device_clock = pfring_adjust_device_clock;
	r->sync_indexes_with_kernel = pfring_sync_indexes_with_kernel;
	r->send_last_rx_packet = pfring_send_last_rx_packet;
	r->get_pkt_buff_data = pfring_get_pkt_buff_data;
	r->set_pkt_buff_len = pfring_set_pkt_buff_len;
	r->set_pkt_buff_ifindex = pfring_set_pkt_buff_ifindex;
	r->add_pkt_buff_ifindex = pfring_add_pkt_buff_ifindex;
	r->alloc_pkt_buff = pfring_alloc_pkt_buff;
	r->release_pkt_buff = pfring_release_pkt_buff;
	r->recv_pkt_buff = pfring_recv_pkt_buff;
	r->send_pkt_buff = pfring_send_pkt_buff;
	r->dna_init = NULL;
	r->dna_term = NULL;
	r->dna_enable = NULL;
	r->dna_check_packet_to_read = NULL;
	r->dna_next_packet = NULL;
	r->dna_get_num_tx_slots = pfring_get_num_tx_slots;
	r->dna_get_num_rx_slots = pfring_get_num_rx_slots;
	r->dna_get_next_free_tx_slot = NULL;
	r->dna_copy_tx_packet_into_slot = NULL;
}

/*
 * pfring_remove_hw_rule in both forms on a sim NIC (which has in-NIC rules):
 * the guide's (a rule pointer) and 5.4.6's (a rule id, any integer type).
 * 0 when each form removed the rule it names, and nothing else.
 */
static int remove_hw_rule_both_forms(void)
{
	pfring *ring = pfring_open("sim:api0?gen=flows:1&count=1", 128, 0);
	hw_filtering_rule hw;
	u_int16_t id16 = 7;
	int bad = 0;

	if (ring == NULL)
		return 1;
	memset(&hw, 0, sizeof(hw));
	hw.rule_family_type = intel_82599_five_tuple_rule;
	hw.rule_id = 7;
	bad |= pfring_add_hw_rule(ring, &hw) != 0;
	bad |= pfring_remove_hw_rule(ring, id16) != 0;          /* 5.4.6: u_int16_t */
	bad |= pfring_remove_hw_rule(ring, id16) != PF_RING_ERROR_INVALID_ARGUMENT;
	bad |= pfring_add_hw_rule(ring, &hw) != 0;
	bad |= pfring_remove_hw_rule(ring, &hw) != 0;           /* the guide's */
	bad |= pfring_remove_hw_rule(ring, &hw) != PF_RING_ERROR_INVALID_ARGUMENT;
	bad |= pfring_add_hw_rule(ring, &hw) != 0;
	bad |= pfring_remove_hw_rule(ring, 7) != 0;             /* an int literal */
	bad |= pfring_remove_hw_rule(ring, (hw_filtering_rule *)NULL) !=
	       PF_RING_ERROR_INVALID_ARGUMENT;
	bad |= pfring_add_hw_rule(ring, &hw) != 0;
	bad |= ring->remove_hw_rule(ring, 7) != 0;              /* the member: 5.4.6's type */
	pfring_close(ring);
	return bad;
}

static unsigned long use_handles(void)
{
	pfring ring;
	pfring_bundle bundle;
	pfring_stat st;
	filtering_mode fm = software_only;
	packet_direction dir = rx_only_direction;
	socket_mode sm = recv_only_mode;
	cluster_type ct = cluster_per_flow_5_tuple;
	bundle_read_policy pol = pick_fifo;
	dna_bouncer_mode bm = two_way_mode;
	pfringProcessPacket cb = looper;
	pfringProcesssPacket cb546 = looper;
	pfring_module_info mod = { NULL, NULL };
	tunnel_info ti;
	virtual_filtering_device_info vdi;
	pfring_device_type dt = intel_82599_family;
	hw_filtering_rule_command hc = remove_hw_rule;
	silicom_redirector_rule_type srt = redirect_rule;
	pkt_detail_mode pdm = pkt_detail_aggregation;
	pkt_header_len phl = short_pkt_header;
	direct2pf_ring d2p = driver2pf_ring_transparent;
	dna_device_mapping ddm;
	dna_descriptor dd;
	tnapi_indexes tni;
	dna_indexes dni;
	sw_filtering_hash_bucket swb;
	hw_filtering_device_handler hwh = { NULL, NULL };
	five_tuple_rule_handler fth = NULL;
	perfect_filter_hw_rule_handler pfh = NULL;
	dna_wait_packet dwp = NULL;
	dna_device_notify ddn = NULL;
	struct add_to_cluster atc;
	struct attach_dna_cluster_info adci;
	struct dna_cluster_global_stats dcgs;
	struct vpfring_eventfd_info vei;
	pfring_dna_cluster_distribution_func df = distribution;
	pfring_dna_bouncer_decision_func dec = decision;
	pfring_dna_cluster *cluster = NULL;
	pf_ring_dna_cluster *cluster_alias = cluster;
	pfring_dna_bouncer *bouncer = NULL;
	pfring_pkt_buff *buff = NULL;

	memset(&ring, 0, sizeof(ring));
	ring.initialized = 1;
	ring.enabled = 0;
	ring.long_header = 1;
	ring.symmetric_rss = 0;
	ring.force_timestamp = 0;
	ring.enable_hw_timestamp = 0;
	ring.direction = dir;
	ring.mode = sm;
	ring.last_pkt_timestamp_ns = 0;
	ring.tx.enabled_rx_packet_send = 0;
	ring.tx.last_received_hdr = NULL;
	ring.dna.dna_mapped_device = 0;
	ring.dna.num_rx_pkts_before_dna_sync = 0;
	ring.dna.num_tx_pkts_before_dna_sync = 0;
	ring.dna.dna_rx_sync_watermark = 0;
	ring.dna.dna_tx_sync_watermark = 0;
	ring.dna.tot_dna_read_pkts = 0;
	ring.dna.tot_dna_lost_pkts = 0;
	ring.dna.rx_reg = ring.dna.tx_reg = ring.dna.last_rx_slot_read = 0;
	ring.dna.num_rx_slots_per_chunk = ring.dna.num_tx_slots_per_chunk = 0;
	ring.dna.dna_dev.mem_info.version = dna_v2;
	ring.dna.dna_dev.mem_info.rx.packet_memory_num_slots = 4096;
	ring.dna.dna_dev.mem_info.tx.descr_packet_memory_tot_len = 0;
	ring.dna.dna_dev.mem_info.phys_card_memory_len = 0;
	ring.dna.dna_dev.mem_info.device_model = intel_igb;
	ring.dna.dna_dev.channel_id = 0;
	ring.dna.dna_dev.rx_packet_memory[DNA_MAX_NUM_CHUNKS - 1] = 0;
	ring.dna.dna_dev.tx_packet_memory[0] = 0;
	ring.dna.dna_dev.rx_descr_packet_memory = NULL;
	ring.dna.dna_dev.tx_descr_packet_memory = NULL;
	ring.dna.dna_dev.phys_card_memory = NULL;
	ring.dna.dna_dev.netdev = NULL;
	ring.dna.dna_dev.hwdev = NULL;
	ring.dna.dna_dev.device_address[5] = 1;
	ring.dna.dna_dev.packet_waitqueue = NULL;
	ring.dna.dna_dev.interrupt_received = NULL;
	ring.dna.dna_dev.in_use = 0;
	ring.dna.dna_dev.adapter_ptr = NULL;
	ring.dna.dna_dev.wait_packet_function_ptr = NULL;
	ring.dna.dna_dev.usage_notification = NULL;
	ring.dna.indexes_ptr = NULL;
	ring.dna.rx_reg_ptr = ring.dna.tx_reg_ptr = ring.dna.mpc_reg_ptr = NULL;
	ring.dna.qprdc_reg_ptr = ring.dna.rnbc_reg_ptr = ring.dna.rqdpc_reg_ptr = NULL;
	ring.dna.gorc_reg_ptr = NULL;
	ring.dna.last_dna_operation = add_device_mapping;
	ring.rdi.device_id = ring.rdi.port_id = -1;
	ring.ft_mode = fm;
	ring.ft_device_type = standard_nic_family;
	ring.buffer = ring.slots = NULL;
	ring.kernel_packet_consumer = 0;
	ring.slots_info = NULL;
	ring.poll_sleep = 0;
	ring.sock_tx.sll_family = AF_PACKET;
	ring.reflector_socket = NULL;
	ring.poll_watermark = DEFAULT_POLL_WATERMARK;
	ring.tx_watermark = 0;
	ring.backend = NULL;
	ring.priv_data = NULL;
	ring.device_name = NULL;
	ring.appl_name = NULL;
	ring.caplen = MAX_CAPLEN;
	ring.flags = PF_RING_PROMISC;
	ring.slot_header_len = sizeof(struct pfring_pkthdr);
	ring.mtu_len = 1500;
	ring.sampling_rate = 1;
	ring.is_shutting_down = 0;
	ring.socket_default_accept_policy = 1;
	ring.fd = -1;
	ring.device_id = -1;
	ring.poll_duration = DEFAULT_POLL_DURATION;
	ring.promisc = 1;
	ring.clear_promisc = 0;
	ring.reentrant = 0;
	ring.break_recv_loop = 0;
	ring.num_poll_calls = 0;

	use_members(&ring);

	memset(&bundle, 0, sizeof(bundle));
	bundle.policy = pol;
	bundle.num_sockets = 0;
	bundle.last_read_socket = 0;
	bundle.sockets[0] = &ring;
	bundle.pfd[0].fd = ring.fd;

	st.recv = 1;
	st.drop = 2;
	(void)cb;
	(void)cb546;
	memset(&ti, 0, sizeof(ti));
	ti.tunnel_id = NO_TUNNEL_ID;
	memset(&vdi, 0, sizeof(vdi));
	vdi.device_type = dt;
	vdi.proc_entry = NULL;
	memset(&ddm, 0, sizeof(ddm));
	ddm.operation = remove_device_mapping;
	ddm.channel_id = -1;
	dd.pkt_len = 0;
	dd.pkt_hash = 0;
	tni.rx_descr_head = tni.rx_descr_tail = 0;
	dni.rx_descr_next = 0;
	memset(&swb, 0, sizeof(swb));
	swb.next = NULL;
	atc.clusterId = 1;
	atc.the_type = ct;
	memset(&adci, 0, sizeof(adci));
	dcgs.tot_rx_packets = dcgs.tot_tx_packets = 0;
	vei.id = 0;
	vei.fd = -1;
	(void)mod;
	(void)vei;
	(void)atc;
	(void)dni;
	(void)dd;
	(void)hc;
	(void)srt;
	(void)pdm;
	(void)phl;
	(void)d2p;
	(void)hwh;
	(void)fth;
	(void)pfh;
	(void)dwp;
	(void)ddn;
	(void)check_set_len;
	(void)check_set_ifindex;
	(void)check_add_ifindex;
	(void)check_loop;
	(void)check_remove_hw;
	(void)df;
	(void)dec;
	(void)cluster_alias;
	(void)bouncer;
	(void)buff;
	(void)check_recv;
	(void)check_send;
	(void)check_open;
	return (unsigned long)st.recv + (unsigned long)fm + (unsigned long)ct + (unsigned long)bm +
	       ring.caplen + (unsigned long)(&ring.rx_lock != &ring.tx_lock);
}

int main(void)
{
	const struct api_entry *t = api_sink, *a = alias_sink;
	size_t n = sizeof(api_table) / sizeof(api_table[0]);
	size_t na = sizeof(alias_table) / sizeof(alias_table[0]);
	size_t i, j;
	char num[32];

	for (i = 0; i < n; i++) {
		if (t[i].fn == NULL) {
			fprintf(stderr, "api_symbols: %s has no address\n", t[i].name);
			return 1;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(t[i].name, t[j].name) == 0 || t[i].fn == t[j].fn) {
				fprintf(stderr, "api_symbols: %s listed twice\n", t[i].name);
				return 1;
			}
		}
	}
	if (a[0].fn != (api_fn)pfring_recv || a[1].fn != (api_fn)pfring_recv_parsed ||
	    a[2].fn != (api_fn)pfring_recv_pkt_buff) {
		fprintf(stderr, "api_symbols: rcv aliases do not name the recv functions\n");
		return 1;
	}
	/* two calls that need no device: the library is really there */
	pfring_format_numbers(1234567.891, num, sizeof(num), 1);
	if (strcmp(num, "1,234,567.89") != 0 ||
	    pfring_parse_pkt(NULL, NULL, PF_RING_PARSE_L4, 0, 0) != PF_RING_ERROR_INVALID_ARGUMENT ||
	    pfring_get_last_error_message() == NULL) {
		fprintf(stderr, "api_symbols: library calls misbehave\n");
		return 1;
	}
	if (use_pkthdr() == 0 || use_rules() == 0 || use_handles() == 0)
		return 1;
	{
		struct timespec a = { 1, 5 }, b = { 1, 6 };

		if (!likely(num[0] == '1') || unlikely(num[0] != '1') ||
		    timespec_is_before(&a, &b) != 1 || timespec_is_before(&b, &a) != 0) {
			fprintf(stderr, "api_symbols: likely/unlikely/timespec_is_before\n");
			return 1;
		}
	}
	if (zero_snippets_run()) {
		fprintf(stderr, "api_symbols: a libzero snippet (tests/api/zero_snippets.c) misbehaves\n");
		return 1;
	}
	if (remove_hw_rule_both_forms()) {
		fprintf(stderr, "api_symbols: pfring_remove_hw_rule's two forms misbehave\n");
		return 1;
	}
	printf("api_symbols (%s): %u functions linked, %u rcv aliases\n",
#ifdef __cplusplus
	       "C++",
#else
	       "C",
#endif
	       (unsigned int)n, (unsigned int)na);
	return 0;
}
