/*
 * linux/pf_ring.h - the types shared by pf_ring.ko, libpfring and core/.
 *
 * Same name and same type names as PF_RING 5.4.6, so programs that include
 * <linux/pf_ring.h> or <pfring.h> build unchanged. This header is compiled in
 * three homes (user space, the kernel, and core/'s freestanding check); it uses
 * only the BSD fixed-width names (u_int8_t ...) that all three provide.
 *
 * It is a source-compatible API, not a binary one: the layouts below are ours,
 * and the kernel/library handshake checks PF_RING_ABI_VERSION (core/abi.h).
 */
#ifndef _LINUX_PF_RING_H
#define _LINUX_PF_RING_H

#if defined(__KERNEL__)
#include <linux/types.h>
#include <linux/in6.h>
#include <linux/if_ether.h>
#elif defined(PF_FREESTANDING)
#ifndef PF_CORE_PORT_H
#error "freestanding builds include core/port.h before linux/pf_ring.h"
#endif
#else
#include <sys/types.h>
#include <netinet/in.h>
/* Strict ISO modes (-std=c99 without _DEFAULT_SOURCE) hide glibc's BSD names,
 * which this API has always used: provide the same typedefs glibc would. */
#if defined(__GLIBC__) && !defined(__u_char_defined)
typedef unsigned char  u_char;
typedef unsigned short u_short;
typedef unsigned int   u_int;
typedef unsigned long  u_long;
#define __u_char_defined
#endif
#endif

#ifndef ETH_ALEN
#define ETH_ALEN 6
#endif

#define RING_VERSION                "5.4.6"
#define RING_VERSION_NUM            0x050406

/* Sizes (as in 5.4.6). */
#define MAX_NUM_RX_CHANNELS         256
#define DEFAULT_POLL_WATERMARK      128
#define MAX_NUM_LIST_ELEMENTS       MAX_NUM_RING_SOCKETS
#define MAX_NUM_RING_SOCKETS        256
#define CLUSTER_LEN                 32   /* max members of one cluster */
#define REFLECTOR_NAME_LEN          8
#define FILTER_PLUGIN_DATA_LEN      256
#define MAX_PLUGIN_ID               72
#define RING_ANY_CHANNEL            ((u_int32_t)-1)
#define UNKNOWN_INTERFACE           -1
#define FAKE_PACKET                 -2
#define NO_VLAN                     ((u_int16_t)-1)
#define NO_TUNNEL_ID                ((u_int32_t)-1)
#define MAX_NUM_DEVICES             256

/* Header levels for pfring_parse_pkt() / pfring_recv_parsed(). */
#define PF_RING_PARSE_L2            2
#define PF_RING_PARSE_L3            3
#define PF_RING_PARSE_L4            4
#define PF_RING_PARSE_L5            5  /* tunnels and payload offset */

/* ************************************************************************ */
/* Addresses                                                                 */

typedef union {
	struct in6_addr v6;   /* IPv6 src/dst IP addresses (Network byte order) */
	u_int32_t v4;         /* IPv4 src/dst IP addresses (host byte order, as 5.4.6) */
} ip_addr;

#define ipv4_tos     ip_tos
#define ipv6_tos     ip_tos
#define ipv4_src     ip_src.v4
#define ipv4_dst     ip_dst.v4
#define ipv6_src     ip_src.v6
#define ipv6_dst     ip_dst.v6
#define host4_low    host_low.v4
#define host4_high   host_high.v4
#define host6_low    host_low.v6
#define host6_high   host_high.v6
#define host4_peer_a host_peer_a.v4
#define host4_peer_b host_peer_b.v4
#define host6_peer_a host_peer_a.v6
#define host6_peer_b host_peer_b.v6

/* ************************************************************************ */
/* Parsed packet                                                             */

/* Offsets are from the start of the frame; 0 means "not reached" except for
 * eth_offset, which is always 0 (the frame starts with Ethernet). */
struct pkt_offset {
	int16_t eth_offset;
	int16_t vlan_offset;    /* offset of the innermost VLAN tag's TCI, 0 = none */
	int16_t l3_offset;
	int16_t l4_offset;
	int16_t payload_offset;
};

#define TH_FIN_MULTIPLIER   0x01
#define TH_SYN_MULTIPLIER   0x02
#define TH_RST_MULTIPLIER   0x04
#define TH_PUSH_MULTIPLIER  0x08
#define TH_ACK_MULTIPLIER   0x10
#define TH_URG_MULTIPLIER   0x20

struct pkt_parsing_info {
	u_int8_t  dmac[ETH_ALEN], smac[ETH_ALEN]; /* MAC src/dst addresses */
	u_int16_t eth_type;     /* Ethernet type of the payload after the VLAN tags */
	u_int16_t vlan_id;      /* innermost VLAN id, 0 = untagged */
	u_int8_t  ip_version;   /* 4, 6, or 0 */
	u_int8_t  l3_proto, ip_tos; /* Layer 3 protocol (IPPROTO_*), TOS / traffic class */
	ip_addr   ip_src, ip_dst;   /* IPv4 in host order, IPv6 in network order */
	u_int16_t l4_src_port, l4_dst_port; /* host order; 0 for non-first fragments */
	struct {
		u_int8_t  flags;    /* TCP flags (0 if not available) */
		u_int32_t seq_num, ack_num; /* TCP sequence number (host order) */
	} tcp;
	struct {
		u_int32_t tunnel_id;        /* GTP TEID or GRE key; NO_TUNNEL_ID if none */
		u_int8_t  tunneled_proto;
		ip_addr   tunneled_ip_src, tunneled_ip_dst;
		u_int16_t tunneled_l4_src_port, tunneled_l4_dst_port;
	} tunnel;
	u_int16_t last_matched_plugin_id; /* if > 0 identifies a plugin that matched the packet */
	u_int16_t last_matched_rule_id;   /* if > 0 identifies a rule that matched the packet */
	struct pkt_offset offset;         /* Offsets of L3/L4/payload elements */
};

#define PF_RING_DIRECTION_RX 1
#define PF_RING_DIRECTION_TX 0

struct pfring_extended_pkthdr {
	u_int64_t timestamp_ns;   /* Packet timestamp at ns precision (hw or sw) */
	u_int8_t  rx_direction;   /* 1=RX: packet received by the NIC, 0=TX: packet transmitted */
	int32_t   if_index;       /* index of the interface on which the packet has been received */
	u_int32_t pkt_hash;       /* Hash based on the packet header */
	struct {
		int32_t bounce_interface; /* Interface Id where this packet will bounce after processing */
		void *reserved;           /* Kernel only pointer */
	} tx;
	u_int16_t parsed_header_len; /* Extra parsing data before packet */
	/* NOTE: leave it as last field of the memset on parse_pkt() */
	struct pkt_parsing_info parsed_pkt; /* packet parsing info */
};

/* ************************************************************************ */
/* Rules                                                                     */

typedef enum {
	forward_packet_and_stop_rule_evaluation = 0,
	dont_forward_packet_and_stop_rule_evaluation,
	execute_action_and_continue_rule_evaluation,
	execute_action_and_stop_rule_evaluation,
	forward_packet_add_rule_and_stop_rule_evaluation, /* auto-filled hash rule or via plugin_add_rule() */
	forward_packet_del_rule_and_stop_rule_evaluation, /* plugin_del_rule() only */
	reflect_packet_and_stop_rule_evaluation,
	reflect_packet_and_continue_rule_evaluation,
	bounce_packet_and_stop_rule_evaluation,
	bounce_packet_and_continue_rule_evaluation
} rule_action_behaviour;

typedef enum {
	rx_and_tx_direction = 0,
	rx_only_direction,
	tx_only_direction
} packet_direction;

typedef enum {
	send_and_recv_mode = 0,
	send_only_mode,
	recv_only_mode
} socket_mode;

typedef struct {
	u_int8_t  smac[ETH_ALEN], dmac[ETH_ALEN]; /* Use '0' (zero-ed MAC address) for any MAC address */
	u_int16_t vlan_id;                 /* Use '0' for any vlan */
	u_int8_t  proto;                   /* Use 0 for 'any' protocol */
	ip_addr   shost, dhost;            /* User '0' for any host */
	ip_addr   shost_mask, dhost_mask;  /* IPv4/6 network mask */
	u_int16_t sport_low, sport_high;   /* All ports between port_low...port_high, 0 means 'any' port */
	u_int16_t dport_low, dport_high;
} filtering_rule_core_fields;

typedef struct {
	char      payload_pattern[32];     /* If strlen(payload_pattern) > 0, the packet payload
	                                      must contain the specified pattern */
	u_int32_t tunnel_id;               /* pfring: 0 = any; else must equal parsed tunnel id
	                                      (see docs/decisions.md) */
	u_int16_t filter_plugin_id;        /* If > 0 identifies a plugin to which the data below
	                                      will be passed for matching */
	char      filter_plugin_data[FILTER_PLUGIN_DATA_LEN]; /* opaque, plugin-defined */
} filtering_rule_extended_fields;

typedef struct {
	u_int16_t plugin_id;               /* ('0'=no plugin) id of the plugin associated with this rule */
} filtering_rule_plugin_action;

typedef struct {
	u_int64_t last_match_ns;           /* engine clock at the last match (0 = never) */
	void     *reflector_dev;           /* home-private: resolved reflector device */
} filtering_internals;

typedef struct {
	u_int16_t rule_id;                 /* Rules are processed in order from lowest to highest id */
	rule_action_behaviour rule_action; /* What to do in case of match */
	u_int8_t  balance_id, balance_pool; /* If balance_pool > 0, then pass the packet above only if
	                                       (hash(proto, sip, sport, dip, dport) % balance_pool) = balance_id */
	u_int8_t  locked;                  /* Do not purge */
	u_int8_t  bidirectional;           /* Swap peers (Default: mono) */
	filtering_rule_core_fields     core_fields;
	filtering_rule_extended_fields extended_fields;
	filtering_rule_plugin_action   plugin_action;
	char reflector_device_name[REFLECTOR_NAME_LEN];
	filtering_internals internals;     /* PF_RING internal fields */
} filtering_rule;

typedef struct {
	u_int16_t rule_id;                 /* Future use */
	u_int16_t vlan_id;
	u_int8_t  proto;
	ip_addr   host_peer_a, host_peer_b;
	u_int16_t port_peer_a, port_peer_b;
	rule_action_behaviour rule_action; /* What to do in case of match */
	filtering_rule_plugin_action plugin_action;
	char reflector_device_name[REFLECTOR_NAME_LEN];
	filtering_internals internals;     /* PF_RING internal fields */
} hash_filtering_rule;

/* Per-rule statistics returned by pfring_get_(hash_)filtering_rule_stats(). */
typedef struct {
	u_int64_t matching_packets, dropped_packets;
} pfring_rule_stats;

/* In-NIC (hardware) rules */
typedef enum {
	intel_82599_five_tuple_rule,
	intel_82599_perfect_filter_hash_rule,
	silicom_redirector_rule
} hw_filtering_rule_type;

typedef struct {
	u_int8_t  proto;
	u_int32_t s_addr, d_addr;
	u_int16_t s_port, d_port;
	u_int16_t queue_id;
} intel_82599_five_tuple_filter_hw_rule;

typedef struct {
	u_int16_t vlan_id;
	u_int8_t  proto;
	u_int32_t s_addr, d_addr;
	u_int16_t s_port, d_port;
	u_int16_t queue_id;
} intel_82599_perfect_filter_hw_rule;

typedef struct {
	u_int8_t  rule_type;               /* 0 = bidirectional, 1 = unidirectional */
	u_int8_t  rule_target_port;
	u_int8_t  rule_source_port;
	u_int8_t  l3_proto;
	u_int32_t src_addr, dst_addr;
	u_int16_t src_port, dst_port;
	u_int8_t  vlan_id_low, vlan_id_high;
} silicom_redirector_hw_rule;

typedef struct {
	hw_filtering_rule_type rule_family_type;
	u_int16_t rule_id;
	union {
		intel_82599_five_tuple_filter_hw_rule five_tuple_rule;
		intel_82599_perfect_filter_hw_rule    perfect_rule;
		silicom_redirector_hw_rule            redirector_rule;
	} rule_family;
} hw_filtering_rule;

typedef enum {
	hardware_and_software = 0,
	hardware_only,
	software_only
} filtering_mode;

/* ************************************************************************ */
/* Clusters                                                                  */

typedef enum {
	cluster_per_flow = 0,          /* 6-tuple: <vlan, proto, src ip, src port, dst ip, dst port> */
	cluster_round_robin,
	cluster_per_flow_2_tuple,      /* 2-tuple: <src ip, dst ip> */
	cluster_per_flow_4_tuple,      /* 4-tuple: <src ip, src port, dst ip, dst port> */
	cluster_per_flow_5_tuple,      /* 5-tuple: <proto, src ip, src port, dst ip, dst port> */
	cluster_per_flow_tcp_5_tuple   /* 5-tuple for TCP, 2-tuple for everything else */
} cluster_type;

#endif /* _LINUX_PF_RING_H */
