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

/* Sizes (as in 5.4.6). MAX_NUM_RX_CHANNELS bounds what a program gives
 * pfring_open_multichannel() (pfring *ring[MAX_NUM_RX_CHANNELS]); the simulated
 * NIC, device names and pf_ring.ko have their own, larger queue limits. */
#define MAX_NUM_RX_CHANNELS         32   /* channel_id_mask is a 32-bit mask */
#define UNKNOWN_NUM_RX_CHANNELS     1
#define DEFAULT_POLL_WATERMARK      128
#define DEFAULT_MIN_PKT_QUEUED      128
#define DEFAULT_BUCKET_LEN          128
#define MAX_NUM_LIST_ELEMENTS       64
#define CLUSTER_LEN                 32   /* max members of one cluster */
#define REFLECTOR_NAME_LEN          8
#define FILTER_PLUGIN_DATA_LEN      256
#define NO_PLUGIN_ID                0
#define MAX_PLUGIN_ID               72
#define MAX_PLUGIN_FIELDS           32
#define RING_ANY_CHANNEL            ((u_int32_t)-1)
#define UNKNOWN_RX_CHANNEL          RING_ANY_CHANNEL
#define UNKNOWN_INTERFACE           -1
#define FAKE_PACKET                 -2
#define NO_VLAN                     ((u_int16_t)-1)
#define NO_TUNNEL_ID                ((u_int32_t)-1)
#define MAX_NUM_DEVICES             256
#define REFLECT_PACKET_DEVICE_NONE  0
#define DEFAULT_RING_HASH_SIZE      4096 /* 5.4.6's precise-rule hash size */

/* 5.4.6's ring and slot constants (its kernel/user ring; ours is core/ring.h). */
#define INCLUDE_MAC_INFO
#define SKB_DISPLACEMENT            14
#define RING_MAGIC
#define RING_MAGIC_VALUE            0x88
#define RING_FLOWSLOT_VERSION       14
#define RING_MIN_SLOT_SIZE          (60+sizeof(struct pfring_pkthdr))
#define RING_MAX_SLOT_SIZE          (1514+sizeof(struct pfring_pkthdr))
#define DNA_MAX_CHUNK_ORDER         5
#define DNA_MAX_NUM_CHUNKS          4096
#define DNA_CLUSTER_MAX_NUM_SLAVES  32
#define MAGIC_HW_FILTERING_RULE_REQUEST 0x29010020
#ifndef NETDEV_PRE_UP
#define NETDEV_PRE_UP               0x000D
#endif

/* The PF_RING socket family, as 5.4.6 (pf_ring.ko: core/abi.h). */
#define PF_RING                     27
#define SOCK_RING                   PF_RING
#define SIORINGPOLL                 0x8888 /* ioctl() */

/* 5.4.6's "dirty hack": its drivers hooked net_device through ax25_ptr. */
#define pfring_ptr                  ax25_ptr

/*
 * Socket options of 5.4.6's pf_ring.ko (level 0), with its numbers. pf_ring.ko
 * of pfring implements the ones core/abi.h lists; the others get ENOPROTOOPT.
 * Its own extra options (core/abi.h) use numbers 5.4.6 does not.
 */
/* Set */
#define SO_ADD_TO_CLUSTER                 99
#define SO_REMOVE_FROM_CLUSTER           100
#define SO_SET_STRING                    101
#define SO_ADD_FILTERING_RULE            102
#define SO_REMOVE_FILTERING_RULE         103
#define SO_TOGGLE_FILTER_POLICY          104
#define SO_SET_SAMPLING_RATE             105
#define SO_ACTIVATE_RING                 106
#define SO_RING_BUCKET_LEN               107
#define SO_SET_CHANNEL_ID                108
#define SO_PURGE_IDLE_HASH_RULES         109
#define SO_SET_APPL_NAME                 110
#define SO_SET_PACKET_DIRECTION          111
#define SO_SET_MASTER_RING               112
#define SO_ADD_HW_FILTERING_RULE         113
#define SO_DEL_HW_FILTERING_RULE         114
#define SO_SET_PACKET_CONSUMER_MODE      115
#define SO_DEACTIVATE_RING               116
#define SO_SET_POLL_WATERMARK            117
#define SO_SET_VIRTUAL_FILTERING_DEVICE  118
#define SO_REHASH_RSS_PACKET             119
#define SO_SET_VPFRING_HOST_EVENTFD      120
#define SO_SET_VPFRING_GUEST_EVENTFD     121
#define SO_SET_VPFRING_CLEAN_EVENTFDS    122
#define SO_ATTACH_USERSPACE_RING         123
#define SO_SHUTDOWN_RING                 124
#define SO_PURGE_IDLE_RULES              125
#define SO_SET_SOCKET_MODE               126
#define SO_USE_SHORT_PKT_HEADER          127
#define SO_CREATE_DNA_CLUSTER            128
#define SO_ATTACH_DNA_CLUSTER            129
#define SO_WAKE_UP_DNA_CLUSTER_SLAVE     130
#define SO_ENABLE_RX_PACKET_BOUNCE       131
#define SO_SEND_MSG_TO_PLUGIN            132
/* Get */
#define SO_GET_RING_VERSION              170
#define SO_GET_FILTERING_RULE_STATS      171
#define SO_GET_HASH_FILTERING_RULE_STATS 172
#define SO_GET_MAPPED_DNA_DEVICE         173
#define SO_GET_NUM_RX_CHANNELS           174
#define SO_GET_RING_ID                   175
#define SO_GET_PACKET_CONSUMER_MODE      176
#define SO_GET_BOUND_DEVICE_ADDRESS      177
#define SO_GET_NUM_QUEUED_PKTS           178
#define SO_GET_PKT_HEADER_LEN            179
#define SO_GET_LOOPBACK_TEST             180
#define SO_GET_BUCKET_LEN                181
#define SO_GET_DEVICE_TYPE               182
#define SO_GET_EXTRA_DMA_MEMORY          183
#define SO_GET_BOUND_DEVICE_IFINDEX      184
#define SO_GET_DEVICE_IFINDEX            185
/* Map */
#define SO_MAP_DNA_DEVICE                190

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

/* Header layouts and constants 5.4.6's parser used, for programs that parse. */
struct eth_vlan_hdr {
	u_int16_t h_vlan_id;  /* Tag Control Information (QoS, VLAN ID) */
	u_int16_t h_proto;    /* packet type ID field */
};

#define GRE_HEADER_CHECKSUM     0x8000
#define GRE_HEADER_ROUTING      0x4000
#define GRE_HEADER_KEY          0x2000
#define GRE_HEADER_SEQ_NUM      0x1000
#define GRE_HEADER_VERSION      0x0007

struct gre_header {
	u_int16_t flags_and_version;
	u_int16_t proto;
	/* optional fields follow */
};

#define GTP_SIGNALING_PORT      2123
#define GTP_U_DATA_PORT         2152
#define GTP_VERSION_1           0x1
#define GTP_VERSION_2           0x2
#define GTP_PROTOCOL_TYPE       0x1
#define GTP_FLAGS_VERSION       0xE0
#define GTP_FLAGS_VERSION_SHIFT 5
#define GTP_FLAGS_PROTOCOL_TYPE 0x10
#define GTP_FLAGS_RESERVED      0x08
#define GTP_FLAGS_EXTENSION     0x04
#define GTP_FLAGS_SEQ_NUM       0x02
#define GTP_FLAGS_NPDU_NUM      0x01
#define GTP_EXT_HDR_LEN_UNIT_BYTES 4

struct gtp_v1_hdr {
	u_int8_t  flags;
	u_int8_t  message_type;
	u_int16_t payload_len;
	u_int32_t teid;
} __attribute__((__packed__));

/* present when flags has GTP_FLAGS_EXTENSION, _SEQ_NUM or _NPDU_NUM */
struct gtp_v1_opt_hdr {
	u_int16_t seq_num;
	u_int8_t  npdu_num;
	u_int8_t  next_ext_hdr;
} __attribute__((__packed__));

/* present when GTP_FLAGS_EXTENSION and next_ext_hdr != 0 */
struct gtp_v1_ext_hdr {
	u_int8_t len; /* in 4-byte units */
} __attribute__((__packed__));

#define MOBILE_IP_PORT          434

struct mobile_ip_hdr {
	u_int8_t  message_type, next_header;
	u_int16_t reserved;
};

typedef enum {
	long_pkt_header = 0, /* PF_RING's extended header after the pcap-like one */
	short_pkt_header     /* the pcap-like header only */
} pkt_header_len;

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

/* GTP / GRE tunnel of a parsed packet */
typedef struct {
	u_int32_t tunnel_id;        /* GTP TEID or GRE key; NO_TUNNEL_ID if none */
	u_int8_t  tunneled_proto;
	ip_addr   tunneled_ip_src, tunneled_ip_dst;
	u_int16_t tunneled_l4_src_port, tunneled_l4_dst_port;
} tunnel_info;

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
	tunnel_info tunnel;
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
	pkt_detail_flow,
	pkt_detail_aggregation
} pkt_detail_mode;

typedef enum {
	standard_linux_path = 0,           /* Business as usual */
	driver2pf_ring_transparent = 1,    /* Packets are still delivered to the kernel */
	driver2pf_ring_non_transparent = 2 /* Packets not delivered to the kernel */
} direct2pf_ring;

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

#define FILTER_TUNNEL_ID_FLAG (1 << 0)

typedef struct {
	u_int16_t optional_fields;         /* FILTER_TUNNEL_ID_FLAG: compare tunnel.tunnel_id */
	struct {
		u_int32_t tunnel_id;       /* GTP TEID / GRE key, or NO_TUNNEL_ID */
		ip_addr   shost, dhost;    /* matched as 5.4.6 did: docs/filtering.md */
		ip_addr   shost_mask, dhost_mask;
	} tunnel;
	char      payload_pattern[32];     /* If strlen(payload_pattern) > 0, the packet payload
	                                      must contain the specified pattern */
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

/* In-NIC (hardware) rules. The guide's intel_82599_perfect_filter_hash_rule
 * is 5.4.6's intel_82599_perfect_filter_rule: both names, one value. */
typedef enum {
	intel_82599_five_tuple_rule,
	intel_82599_perfect_filter_rule,
	silicom_redirector_rule,
	intel_82599_perfect_filter_hash_rule = intel_82599_perfect_filter_rule
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

/* Silicom redirector: 4 ports per device; a rule is defined on rule_port. */
typedef enum {
	drop_rule,                         /* discard what matches on rule_port */
	redirect_rule,                     /* divert it to rule_target_port */
	mirror_rule                        /* copy it to rule_target_port */
} silicom_redirector_rule_type;

typedef struct {
	silicom_redirector_rule_type rule_type;
	u_int8_t  rule_port;               /* port on which the rule is defined */
	u_int8_t  rule_target_port;        /* ignored for drop rules */
	u_int16_t vlan_id_low, vlan_id_high;
	u_int8_t  l3_proto;
	ip_addr   src_addr, dst_addr;
	u_int32_t src_mask, dst_mask;
	u_int16_t src_port_low, src_port_high;
	u_int16_t dst_port_low, dst_port_high;
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
	add_hw_rule,
	remove_hw_rule
} hw_filtering_rule_command;

typedef enum {
	hardware_and_software = 0,
	hardware_only,
	software_only
} filtering_mode;

/* ************************************************************************ */
/* Devices                                                                   */

typedef enum {
	standard_nic_family = 0,   /* no hardware filtering */
	intel_82599_family
} pfring_device_type;

typedef struct {
	char device_name[16];
	pfring_device_type device_type;
	struct proc_dir_entry *proc_entry;  /* 5.4.6's kernel only */
} virtual_filtering_device_info;

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

struct add_to_cluster {
	u_int clusterId;
	cluster_type the_type;
};

#if !defined(__cplusplus)
#define min_val(a,b) ((a < b) ? a : b)
#define max_val(a,b) ((a > b) ? a : b)
#endif

#ifndef __KERNEL__
#include "pf_ring_legacy.h"
#endif

#endif /* _LINUX_PF_RING_H */
