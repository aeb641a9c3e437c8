/*
 * tests/api/api_symbols.c - the public API, compiled and linked.
 *
 * Built twice by `make api-test`: as gnu99 -pedantic C and as C++11 (g++).
 * Every function of <pfring.h> and <pfring_zero.h> has its address in a table
 * that the program reads through a volatile pointer, so a declared function
 * without a definition fails the link. Constants, enum values and struct
 * layouts that programs depend on are checked at compile time; every field a
 * PF_RING 5.4.6 program touches is written once.
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
API_ASSERT(PF_RING_ERROR_NOT_ENABLED == -10, "PF_RING_ERROR_NOT_ENABLED");
API_ASSERT(PF_RING_ERROR_INVALID_STATUS == -11, "PF_RING_ERROR_INVALID_STATUS");

API_ASSERT(MAX_CAPLEN == 65535, "MAX_CAPLEN");
API_ASSERT(DEFAULT_POLL_DURATION == 500, "DEFAULT_POLL_DURATION");
API_ASSERT(MAX_NUM_BUNDLE_ELEMENTS == 32, "MAX_NUM_BUNDLE_ELEMENTS");
API_ASSERT(RING_VERSION_NUM == 0x050406, "RING_VERSION_NUM");
API_ASSERT(sizeof(RING_VERSION) == sizeof("5.4.6"), "RING_VERSION");
API_ASSERT(MAX_NUM_RX_CHANNELS == 256, "MAX_NUM_RX_CHANNELS");
API_ASSERT(DEFAULT_POLL_WATERMARK == 128, "DEFAULT_POLL_WATERMARK");
API_ASSERT(MAX_NUM_RING_SOCKETS == 256 && MAX_NUM_LIST_ELEMENTS == MAX_NUM_RING_SOCKETS,
	   "MAX_NUM_RING_SOCKETS");
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
API_ASSERT(DNA_CLUSTER_DROP == 0 && DNA_CLUSTER_PASS == 1 && DNA_CLUSTER_FRWD == 2,
	   "distribution verdicts");
API_ASSERT(DNA_CLUSTER_MAX_NUM_SLAVES == 32, "DNA_CLUSTER_MAX_NUM_SLAVES");

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
API_ASSERT(intel_82599_five_tuple_rule == 0 && intel_82599_perfect_filter_hash_rule == 1 &&
	   silicom_redirector_rule == 2, "hw_filtering_rule_type");
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

typedef void (*api_fn)(void);

struct api_entry {
	const char *name;
	api_fn fn;
};

#define F(fn) { #fn, (api_fn)(fn) }

static const struct api_entry api_table[] = {
	/* 8.4 - 8.5 */
	F(pfring_open), F(pfring_open_multichannel), F(pfring_close), F(pfring_shutdown),
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
	F(pfring_add_hw_rule), F(pfring_remove_hw_rule), F(pfring_set_filtering_mode),
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
	F(dna_cluster_set_distribution_function), F(dna_cluster_set_wait_mode),
	F(dna_cluster_enable), F(dna_cluster_disable), F(dna_cluster_stats),
	F(dna_cluster_destroy),
	/* 9.2 DNA Bouncer */
	F(pfring_dna_bouncer_create), F(pfring_dna_bouncer_set_mode), F(pfring_dna_bouncer_loop),
	F(pfring_dna_bouncer_breakloop), F(pfring_dna_bouncer_destroy),
};

/* The guide's "rcv" spellings (macros in pfring.h). */
static const struct api_entry alias_table[] = {
	F(pfring_rcv), F(pfring_rcv_parsed), F(pfring_rcv_pkt_buff),
};

#define API_NUM_FUNCTIONS 96
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
	r.extended_fields.tunnel_id = 0;
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
	hw.rule_family.redirector_rule.rule_type = 0;
	hw.rule_family.redirector_rule.rule_target_port = 1;
	hw.rule_family.redirector_rule.rule_source_port = 2;
	hw.rule_family.redirector_rule.l3_proto = IPPROTO_TCP;
	hw.rule_family.redirector_rule.src_addr = 3;
	hw.rule_family.redirector_rule.dst_addr = 4;
	hw.rule_family.redirector_rule.src_port = 5;
	hw.rule_family.redirector_rule.dst_port = 6;
	hw.rule_family.redirector_rule.vlan_id_low = 7;
	hw.rule_family.redirector_rule.vlan_id_high = 8;

	rs.matching_packets = 1;
	rs.dropped_packets = 2;
	return r.core_fields.dport_high + hr.port_peer_a + hw.rule_id +
	       (unsigned long)rs.matching_packets;
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
	ring.rss_mode = 0;
	ring.direction = dir;
	ring.mode = sm;
	ring.hw_ts.force_timestamp = 0;
	ring.hw_ts.enable_hw_timestamp = 0;
	ring.hw_ts.last_pkt_timestamp_ns = 0;
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

	memset(&bundle, 0, sizeof(bundle));
	bundle.policy = pol;
	bundle.num_sockets = 0;
	bundle.last_read_socket = 0;
	bundle.sockets[0] = &ring;
	bundle.pfd[0].fd = ring.fd;

	st.recv = 1;
	st.drop = 2;
	(void)cb;
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
	    pfring_parse_pkt(NULL, NULL, PF_RING_PARSE_L4, 0, 0) != PF_RING_ERROR_INVALID_ARGUMENT) {
		fprintf(stderr, "api_symbols: library calls misbehave\n");
		return 1;
	}
	if (use_pkthdr() == 0 || use_rules() == 0 || use_handles() == 0)
		return 1;
	printf("api_symbols (%s): %u functions linked, %u rcv aliases\n",
#ifdef __cplusplus
	       "C++",
#else
	       "C",
#endif
	       (unsigned int)n, (unsigned int)na);
	return 0;
}
