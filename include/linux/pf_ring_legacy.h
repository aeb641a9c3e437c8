/*
 * linux/pf_ring_legacy.h - the types 5.4.6's <linux/pf_ring.h> declared for its
 * own kernel module, its DNA drivers and its ring layout, under their 5.4.6 names,
 * members and values.
 *
 * pfring implements none of them this way (its ring is core/ring.h, its kernel
 * interface core/abi.h); they are here so that programs written for 5.4.6 that
 * name them build unchanged, and struct __pfring can carry its 5.4.6 members
 * (dna.dna_dev ...). Included by <linux/pf_ring.h> outside the kernel only: in
 * pf_ring.ko they would only risk clashing with kernel names.
 */
#ifndef _LINUX_PF_RING_LEGACY_H
#define _LINUX_PF_RING_LEGACY_H

#ifndef _LINUX_PF_RING_H
#error "include <linux/pf_ring.h>, not <linux/pf_ring_legacy.h>"
#endif

struct net_device;
struct device;
struct pf_ring_socket;

/* 5.4.6's ring header pages (pfring's ring is core/ring.h). */
typedef struct flowSlotInfo {
	/* first page, written by the kernel */
	u_int16_t version, sample_rate;
	u_int32_t min_num_slots, slot_len, data_len, tot_mem;
	u_int32_t insert_off, kernel_remove_off;
	u_int64_t tot_pkts, tot_lost, tot_insert;
	u_int64_t tot_fwd_ok, tot_fwd_notok;
	u_int64_t good_pkt_sent, pkt_send_error;
	char padding[128-84];
	char k_padding[4096-128];
	/* second page, written by user space */
	u_int64_t tot_read;
	u_int32_t remove_off;
	u_int32_t vpfring_guest_flags;
	u_int32_t userspace_ring_flags;
	char u_padding[4096-20];
} FlowSlotInfo;

/* ------------------------------------------------------------ kernel side */

typedef int (*five_tuple_rule_handler)(struct pf_ring_socket *pfr,
				       hw_filtering_rule *rule,
				       hw_filtering_rule_command request);
typedef int (*perfect_filter_hw_rule_handler)(struct pf_ring_socket *pfr,
					      hw_filtering_rule *rule,
					      hw_filtering_rule_command request);

typedef struct {
	five_tuple_rule_handler five_tuple_handler;
	perfect_filter_hw_rule_handler perfect_filter_handler;
} hw_filtering_device_handler;

typedef struct _sw_filtering_hash_bucket {
	hash_filtering_rule rule;
	void *plugin_data_ptr;   /* a continuous memory area allocated by the plugin */
	u_int16_t plugin_data_ptr_len;
	struct _sw_filtering_hash_bucket *next;
} sw_filtering_hash_bucket;

/* ------------------------------------------------------------------- DNA */

typedef int (*dna_wait_packet)(void *adapter, int mode);
typedef void (*dna_device_notify)(void *adapter, u_int8_t device_in_use);

typedef enum {
	add_device_mapping = 0, remove_device_mapping
} dna_device_operation;

typedef enum {
	intel_e1000e = 0,
	intel_igb,
	intel_ixgbe,
	intel_ixgbe_82598,
	intel_ixgbe_82599,
	intel_igb_82580,
	intel_e1000
} dna_device_model;

typedef struct {
	u_int32_t packet_memory_num_chunks;
	u_int32_t packet_memory_chunk_len;
	u_int32_t packet_memory_num_slots;
	u_int32_t packet_memory_slot_len;
	u_int32_t descr_packet_memory_tot_len;
} mem_ring_info;

typedef enum {
	dna_v1 = 0,
	dna_v2
} dna_version;

typedef struct {
	dna_version version;
	mem_ring_info rx;
	mem_ring_info tx;
	u_int32_t phys_card_memory_len;
	dna_device_model device_model;
} dna_memory_slots;

typedef struct {
	u_int64_t rx_descr_head, rx_descr_tail;
	u_char __cacheline_padding[128-16];
	u_int64_t rx_descr_next;
} dna_indexes;

typedef struct {
	u_int64_t rx_descr_head, rx_descr_tail;
} tnapi_indexes;

typedef struct {
	volatile u_int32_t pkt_len;  /* 0 = no packet received */
	u_int32_t pkt_hash;          /* RSS */
} dna_descriptor;

typedef struct {
	dna_memory_slots mem_info;
	u_int16_t channel_id;
	unsigned long rx_packet_memory[DNA_MAX_NUM_CHUNKS];  /* kernel addresses */
	unsigned long tx_packet_memory[DNA_MAX_NUM_CHUNKS];
	void *rx_descr_packet_memory;
	void *tx_descr_packet_memory;
	char *phys_card_memory;
	struct net_device *netdev;
	struct device *hwdev;
	u_char device_address[6];
	void *packet_waitqueue;
	u_int8_t *interrupt_received, in_use;
	void *adapter_ptr;
	dna_wait_packet wait_packet_function_ptr;
	dna_device_notify usage_notification;
} dna_device;

typedef struct {
	dna_device_operation operation;
	char device_name[8];
	int32_t channel_id;
} dna_device_mapping;

struct create_dna_cluster_info {
	u_int32_t cluster_id;
	u_int32_t mode;                      /* socket_mode */
	u_int32_t num_slots;                 /* rx/tx nic/slave slots in all */
	u_int32_t num_slaves;
	u_int32_t slave_mem_len;             /* shared memory per slave */
	u_int32_t master_persistent_mem_len;
	u_int32_t recovered;                 /* fresh or recovered */
	u_int64_t dma_addr[];
};

struct attach_dna_cluster_info {
	u_int32_t cluster_id;
	u_int32_t slave_id;
	u_int32_t auto_slave_id;             /* ask for the next free id */
	u_int32_t mode;                      /* socket_mode */
};

struct dna_cluster_global_stats {
	u_int64_t tot_rx_packets;
	u_int64_t tot_tx_packets;
};

/* ---------------------------------------------------------------- others */

struct send_msg_to_plugin_info {
	u_int16_t __padding;
	u_int16_t plugin_id;
	u_int32_t data_len;
	u_char    data[];
};

#define VPFRING_HOST_EVENT_RX_INT    0
#define VPFRING_GUEST_NO_INTERRUPT   1
#define USERSPACE_RING_NO_INTERRUPT  1

struct vpfring_eventfd_info {
	u_int32_t id;
	int32_t fd;
};

#endif /* _LINUX_PF_RING_LEGACY_H */
