/*
 * pfring.h - the PF_RING 5.4.6 user-space API (source compatible).
 *
 * Every function, type and constant of the PF_RING 5.4.6 User Guide, plus the
 * functions of 5.4.6's real header that clients call although the guide omits
 * them. Which function works on which backend: docs/api.md.
 *
 * Conventions (spec 8.2): negative return values are errors (PF_RING_ERROR_*),
 * non-negative values are success. Functions returning a pointer return NULL on
 * error and set errno.
 */
#ifndef _PFRING_H_
#define _PFRING_H_

/* The headers 5.4.6's pfring.h includes, in its order and under its
 * conditions: programs use stdio, errno, string, ... through it. Programs that
 * bring their own libpcap define HAVE_PCAP, as they did with 5.4.6. */
#include <sys/types.h>
#include <stdio.h>
#include <stdarg.h>

#ifndef HAVE_PCAP
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <errno.h>
#include <sys/poll.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#endif

#include <linux/if_packet.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/time.h>
#include <time.h>
#include <poll.h>
#include <string.h>
#include <pthread.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/pf_ring.h>
#include <linux/if_ether.h>

/* libpfring builds with -fvisibility=hidden: what this header declares is its
 * exported interface, and nothing else is (tests/api/exports.txt). */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* ************************************************************************ */
/* 5.4.6's convenience macros (guarded: programs and other headers often have
 * their own). max() is C only: a macro named max breaks C++'s <algorithm>. */

#define MAX_CAPLEN                 65535
#ifndef PAGE_SIZE
#define PAGE_SIZE                  4096
#endif
#define DEFAULT_POLL_DURATION      500   /* msec */

#define POLL_SLEEP_STEP            10    /* ns = 0.1 ms */
#define POLL_SLEEP_MIN             POLL_SLEEP_STEP
#define POLL_SLEEP_MAX             1000  /* ns */
#define POLL_QUEUE_MIN_LEN         500   /* # packets */

#if !defined(__cplusplus) && !defined(max)
#define max(a, b) (a > b ? a : b)
#endif

#define timespec_is_before(a, b) \
	((((a)->tv_sec<(b)->tv_sec)||(((a)->tv_sec==(b)->tv_sec)&&((a)->tv_nsec<(b)->tv_nsec)))?1:0)

#ifndef likely
#define likely(x)       __builtin_expect((x),1)
#endif
#ifndef unlikely
#define unlikely(x)     __builtin_expect((x),0)
#endif

#ifndef prefetch
#if defined(__i386__) || defined(__x86_64__)
#define prefetch(x) __asm volatile("prefetcht0 %0" :: "m" (*(const unsigned long *)x));
#else
#define prefetch(x) __builtin_prefetch((const void *)(x));
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ************************************************************************ */
/* Constants                                                                 */

/* pfring_open() flags */
#define PF_RING_DNA_SYMMETRIC_RSS  (1 << 0) /* symmetric RSS (both directions of a flow on one queue) */
#define PF_RING_REENTRANT          (1 << 1) /* the handle is safe for several threads */
#define PF_RING_LONG_HEADER        (1 << 2) /* fill pfring_pkthdr.extended_hdr (parsed packet) */
#define PF_RING_PROMISC            (1 << 3) /* promiscuous mode */
#define PF_RING_TIMESTAMP          (1 << 4) /* force a timestamp on every packet */
#define PF_RING_HW_TIMESTAMP       (1 << 5) /* hardware timestamps, where the NIC has them */

/* Return codes */
#define PF_RING_ERROR_GENERIC              -1
#define PF_RING_ERROR_INVALID_ARGUMENT     -2
#define PF_RING_ERROR_NO_PKT_AVAILABLE     -3
#define PF_RING_ERROR_NO_TX_SLOT_AVAILABLE -4
#define PF_RING_ERROR_WRONG_CONFIGURATION  -5
#define PF_RING_ERROR_END_OF_DEMO_MODE     -6
#define PF_RING_ERROR_NOT_SUPPORTED        -7
#define PF_RING_ERROR_INVALID_LIB_VERSION  -8
#define PF_RING_ERROR_UNKNOWN_ADAPTER      -9
#define PF_RING_ERROR_NOT_ENOUGH_MEMORY    -10
#define PF_RING_ERROR_INVALID_STATUS       -11
#define PF_RING_ERROR_NOT_ENABLED          -12 /* pfring's: recv/send before pfring_enable_ring() */

#define MAX_NUM_BUNDLE_ELEMENTS    32

/* ************************************************************************ */
/* Types                                                                     */

/* The first three fields line up with struct pcap_pkthdr: programs cast one to
 * the other. */
struct pfring_pkthdr {
	struct timeval ts;      /* time stamp */
	u_int32_t caplen;       /* length of portion present */
	u_int32_t len;          /* length of this packet (off wire) */
	struct pfring_extended_pkthdr extended_hdr; /* PF_RING extended header */
};

typedef struct {
	u_int64_t recv, drop;
} pfring_stat;

typedef struct __pfring pfring;

/* pfring_loop()'s callback: 5.4.6's name (three s), and the guide's. */
typedef void (*pfringProcesssPacket)(const struct pfring_pkthdr *h,
				     const u_char *p, const u_char *user_bytes);
typedef pfringProcesssPacket pfringProcessPacket;

/* libzero slave buffers are opaque, as in 5.4.6. */
typedef void pfring_pkt_buff;

struct pfring_backend;  /* backends/: one per device-name prefix */

/*
 * The handle. Public, as in 5.4.6, with every member a 5.4.6 program can read,
 * write or call, under its 5.4.6 name and type (docs/decisions.md): libpcap reads
 * fd, enabled, break_recv_loop and dna.*; pfsend calls pd->send and the dna_*
 * members. The function-pointer members are set at open to functions that do
 * what the pfring_* call of the same name does, on every backend; one the ring's
 * backend cannot serve fails cleanly (NOT_SUPPORTED or 0, errno EOPNOTSUPP).
 * What a backend owns lives behind priv_data.
 */
struct __pfring {
	u_int8_t initialized, enabled, long_header, symmetric_rss, force_timestamp,
		enable_hw_timestamp;
	packet_direction direction;   /* capture direction for packets */
	socket_mode mode;

	struct {
		u_int8_t enabled_rx_packet_send;
		struct pfring_pkthdr *last_received_hdr; /* 5.4.6's; pfring keeps 0/NULL */
	} tx;

	/* DNA (Direct NIC Access): all 0 until a DNA backend fills them */
	struct {
		u_char dna_mapped_device;
		u_int16_t num_rx_pkts_before_dna_sync, num_tx_pkts_before_dna_sync,
			dna_rx_sync_watermark, dna_tx_sync_watermark;
		u_int64_t tot_dna_read_pkts, tot_dna_lost_pkts;
		u_int32_t rx_reg, tx_reg, last_rx_slot_read;
		u_int32_t num_rx_slots_per_chunk, num_tx_slots_per_chunk;
		dna_device dna_dev;
		dna_indexes *indexes_ptr;
		u_int32_t *rx_reg_ptr, *tx_reg_ptr, *mpc_reg_ptr, *qprdc_reg_ptr,
			*rnbc_reg_ptr, *rqdpc_reg_ptr, *gorc_reg_ptr;
		dna_device_operation last_dna_operation;
	} dna;

	void *priv_data;              /* the backend's state */

	void      (*close)                        (pfring *);
	int       (*stats)                        (pfring *, pfring_stat *);
	int       (*recv)                         (pfring *, u_char **, u_int, struct pfring_pkthdr *, u_int8_t);
	int       (*set_poll_watermark)           (pfring *, u_int16_t);
	int       (*set_poll_duration)            (pfring *, u_int);
	int       (*set_tx_watermark)             (pfring *, u_int16_t);
	int       (*set_channel_id)               (pfring *, u_int32_t);
	int       (*set_channel_mask)             (pfring *, u_int32_t);
	int       (*set_application_name)         (pfring *, char *);
	int       (*bind)                         (pfring *, char *);
	int       (*send)                         (pfring *, char *, u_int, u_int8_t);
	int       (*send_ifindex)                 (pfring *, char *, u_int, u_int8_t, int);
	int       (*send_parsed)                  (pfring *, char *, struct pfring_pkthdr *, u_int8_t);
	int       (*send_get_time)                (pfring *, char *, u_int, struct timespec *);
	u_int8_t  (*get_num_rx_channels)          (pfring *);
	int       (*set_sampling_rate)            (pfring *, u_int32_t);
	int       (*get_selectable_fd)            (pfring *);
	int       (*set_direction)                (pfring *, packet_direction);
	int       (*set_socket_mode)              (pfring *, socket_mode);
	int       (*set_cluster)                  (pfring *, u_int, cluster_type);
	int       (*remove_from_cluster)          (pfring *);
	int       (*set_master_id)                (pfring *, u_int32_t);
	int       (*set_master)                   (pfring *, pfring *);
	u_int16_t (*get_ring_id)                  (pfring *);
	u_int32_t (*get_num_queued_pkts)          (pfring *);
	u_int8_t  (*get_packet_consumer_mode)     (pfring *);
	int       (*set_packet_consumer_mode)     (pfring *, u_int8_t, char *, u_int);
	int       (*get_hash_filtering_rule_stats)(pfring *, hash_filtering_rule *, char *, u_int *);
	int       (*handle_hash_filtering_rule)   (pfring *, hash_filtering_rule *, u_char);
	int       (*purge_idle_hash_rules)        (pfring *, u_int16_t);
	int       (*add_filtering_rule)           (pfring *, filtering_rule *);
	int       (*remove_filtering_rule)        (pfring *, u_int16_t);
	int       (*purge_idle_rules)             (pfring *, u_int16_t);
	int       (*get_filtering_rule_stats)     (pfring *, u_int16_t, char *, u_int *);
	int       (*toggle_filtering_policy)      (pfring *, u_int8_t);
	int       (*enable_rss_rehash)            (pfring *);
	int       (*poll)                         (pfring *, u_int);
	int       (*is_pkt_available)             (pfring *);
	int       (*next_pkt_time)                (pfring *, struct timespec *);
	int       (*next_pkt_raw_timestamp)       (pfring *, u_int64_t *);
	int       (*version)                      (pfring *, u_int32_t *);
	int       (*get_bound_device_address)     (pfring *, u_char [6]);
	int       (*get_bound_device_ifindex)     (pfring *, int *);
	int       (*get_device_ifindex)           (pfring *, char *, int *);
	u_int16_t (*get_slot_header_len)          (pfring *);
	int       (*set_virtual_device)           (pfring *, virtual_filtering_device_info *);
	int       (*add_hw_rule)                  (pfring *, hw_filtering_rule *);
	int       (*remove_hw_rule)               (pfring *, u_int16_t);
	int       (*loopback_test)                (pfring *, char *, u_int, u_int);
	int       (*enable_ring)                  (pfring *);
	int       (*disable_ring)                 (pfring *);
	void      (*shutdown)                     (pfring *);
	int       (*set_bpf_filter)               (pfring *, char *);
	int       (*remove_bpf_filter)            (pfring *);
	int       (*get_device_clock)             (pfring *, struct timespec *);
	int       (*set_device_clock)             (pfring *, struct timespec *);
	int       (*adjust_device_clock)          (pfring *, struct timespec *, int8_t);
	void      (*sync_indexes_with_kernel)     (pfring *);
	int       (*send_last_rx_packet)          (pfring *, int);
	u_char   *(*get_pkt_buff_data)            (pfring *, pfring_pkt_buff *);
	int       (*set_pkt_buff_len)             (pfring *, pfring_pkt_buff *, u_int32_t);
	int       (*set_pkt_buff_ifindex)         (pfring *, pfring_pkt_buff *, int);
	int       (*add_pkt_buff_ifindex)         (pfring *, pfring_pkt_buff *, int);
	pfring_pkt_buff *(*alloc_pkt_buff)        (pfring *);
	void      (*release_pkt_buff)             (pfring *, pfring_pkt_buff *);
	int       (*recv_pkt_buff)                (pfring *, pfring_pkt_buff *, struct pfring_pkthdr *, u_int8_t);
	int       (*send_pkt_buff)                (pfring *, pfring_pkt_buff *, u_int8_t);

	/* DNA only: outside DNA they fail (NOT_SUPPORTED, 0 slots, NULL), errno EOPNOTSUPP */
	int       (*dna_init)                     (pfring *);
	void      (*dna_term)                     (pfring *);
	int       (*dna_enable)                   (pfring *);
	u_int8_t  (*dna_check_packet_to_read)     (pfring *, u_int8_t);
	u_char   *(*dna_next_packet)              (pfring *, u_char **, u_int, struct pfring_pkthdr *);
	u_int     (*dna_get_num_tx_slots)         (pfring *);
	u_int     (*dna_get_num_rx_slots)         (pfring *);
	u_int     (*dna_get_next_free_tx_slot)    (pfring *);
	int       (*dna_copy_tx_packet_into_slot) (pfring *, u_int32_t, char *, u_int);

	/* Silicom redirector only: -1 = none */
	struct {
		int8_t device_id, port_id;
	} rdi;

	filtering_mode ft_mode;       /* pfring_set_filtering_mode() */
	pfring_device_type ft_device_type;

	/* All devices */
	char *buffer, *slots, *device_name; /* buffer, slots: 5.4.6's ring; NULL here */
	u_int32_t caplen;
	u_int16_t slot_header_len, mtu_len; /* mtu_len 0 = unknown */
	u_int8_t kernel_packet_consumer, is_shutting_down, socket_default_accept_policy;
	int fd;                       /* selectable (poll/select), -1 if none */
	FlowSlotInfo *slots_info;     /* 5.4.6's ring header: NULL here (core/ring.h) */
	u_int poll_sleep;
	u_int16_t poll_duration;      /* msec */
	u_int8_t promisc, clear_promisc, reentrant, break_recv_loop;
	u_long num_poll_calls;
	pthread_rwlock_t rx_lock, tx_lock; /* taken only with PF_RING_REENTRANT */

	struct sockaddr_ll sock_tx;   /* 5.4.6's; zero here */

	pfring *reflector_socket;     /* 5.4.6's; NULL here (see pfring_set_reflector_device) */

	/* pfring's own, no 5.4.6 equivalent */
	const struct pfring_backend *backend; /* which backend serves this handle */
	char *appl_name;
	u_int32_t flags;              /* PF_RING_* open flags */
	u_int32_t sampling_rate;
	int device_id;                /* bound device's index, -1 if none */
	u_int16_t poll_watermark, tx_watermark;
	u_int64_t last_pkt_timestamp_ns;
	u_int32_t num_callers_inside; /* recv/poll/loop calls running: pfring_close waits for 0 */
};

typedef struct {
	char *name;
	int (*open)(pfring *);
} pfring_module_info;

/* pfring_bundle: several rings read as one */
typedef enum {
	pick_round_robin = 0,
	pick_fifo
} bundle_read_policy;

typedef struct {
	bundle_read_policy policy;
	u_int16_t num_sockets, last_read_socket;
	pfring *sockets[MAX_NUM_BUNDLE_ELEMENTS];
	struct pollfd pfd[MAX_NUM_BUNDLE_ELEMENTS];
} pfring_bundle;

/* ************************************************************************ */
/* 8.4 - 8.5 Open and close                                                  */

pfring *pfring_open(const char *device_name, u_int32_t caplen, u_int32_t flags);
pfring *pfring_open_consumer(const char *device_name, u_int32_t caplen, u_int32_t flags,
			     u_int8_t consumer_plugin_id, char *consumer_data,
			     u_int consumer_data_len);
u_int8_t pfring_open_multichannel(const char *device_name, u_int32_t caplen,
				  u_int32_t flags, pfring *ring[MAX_NUM_RX_CHANNELS]);
void pfring_close(pfring *ring);
void pfring_shutdown(pfring *ring);
void pfring_config(u_short cpu_percentage);
int pfring_bind(pfring *ring, char *device_name);

/* 8.6 Read incoming packets */
int pfring_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet);
int pfring_recv_parsed(pfring *ring, u_char **buffer, u_int buffer_len,
		       struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet,
		       u_int8_t level, u_int8_t add_timestamp, u_int8_t add_hash);
int pfring_loop(pfring *ring, pfringProcesssPacket looper,
		const u_char *user_bytes, u_int8_t wait_for_packet);
void pfring_breakloop(pfring *ring);
int pfring_next_pkt_time(pfring *ring, struct timespec *ts);
int pfring_next_pkt_raw_timestamp(pfring *ring, u_int64_t *timestamp_ns);
int pfring_is_pkt_available(pfring *ring);
u_int32_t pfring_get_num_queued_pkts(pfring *ring);

/* 8.7 Clusters */
int pfring_set_cluster(pfring *ring, u_int clusterId, cluster_type the_type);
int pfring_remove_from_cluster(pfring *ring);
int pfring_set_master_id(pfring *ring, u_int32_t master_id);
int pfring_set_master(pfring *ring, pfring *master);

/* 8.8 - 8.9 Reflection and sampling */
int pfring_set_reflector_device(pfring *ring, char *device_name);
int pfring_set_sampling_rate(pfring *ring, u_int32_t rate /* 1 = no sampling */);

/* 8.10 Filtering */
int pfring_add_filtering_rule(pfring *ring, filtering_rule *rule_to_add);
int pfring_remove_filtering_rule(pfring *ring, u_int16_t rule_id);
int pfring_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id,
				    char *stats, u_int *stats_len);
int pfring_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec);
int pfring_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule_to_add,
				      u_char add_rule);
int pfring_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					 char *stats, u_int *stats_len);
int pfring_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec);
int pfring_set_bpf_filter(pfring *ring, char *filter_buffer);
int pfring_remove_bpf_filter(pfring *ring);

/* 8.11 - 8.12 In-NIC filtering, policy */
int pfring_add_hw_rule(pfring *ring, hw_filtering_rule *rule);
int pfring_remove_hw_rule(pfring *ring, hw_filtering_rule *rule);   /* the guide's */
int pfring_remove_hw_rule_by_id(pfring *ring, u_int16_t rule_id);   /* 5.4.6's */
int pfring_set_filtering_mode(pfring *ring, filtering_mode mode);
int pfring_toggle_filtering_policy(pfring *ring, u_int8_t rules_default_accept_policy);

/* 8.13 Transmission */
int pfring_send(pfring *ring, char *pkt, u_int pkt_len, u_int8_t flush_packet);
int pfring_send_ifindex(pfring *ring, char *pkt, u_int pkt_len,
			u_int8_t flush_packet, int if_index);
int pfring_send_get_time(pfring *ring, char *pkt, u_int pkt_len, struct timespec *ts);
int pfring_send_last_rx_packet(pfring *ring, int tx_interface_id);
int pfring_send_parsed(pfring *ring, char *pkt, struct pfring_pkthdr *hdr,
		       u_int8_t flush_packet);

/* 8.14 Miscellaneous */
int pfring_enable_ring(pfring *ring);
int pfring_disable_ring(pfring *ring);
int pfring_stats(pfring *ring, pfring_stat *stats);
int pfring_version(pfring *ring, u_int32_t *version);
int pfring_set_direction(pfring *ring, packet_direction direction);
int pfring_set_socket_mode(pfring *ring, socket_mode mode);
int pfring_poll(pfring *ring, u_int wait_duration);
int pfring_set_poll_watermark(pfring *ring, u_int16_t watermark);
int pfring_set_tx_watermark(pfring *ring, u_int16_t watermark);
int pfring_set_poll_duration(pfring *ring, u_int duration);
int pfring_set_application_name(pfring *ring, char *name);
int pfring_set_channel_id(pfring *ring, u_int32_t channel_id);
int pfring_set_channel_mask(pfring *ring, u_int32_t channel_mask);
int pfring_get_bound_device_address(pfring *ring, u_char mac_address[6]);
int pfring_get_bound_device_id(pfring *ring, int *device_id);
int pfring_get_bound_device_ifindex(pfring *ring, int *if_index);
int pfring_get_device_ifindex(pfring *ring, char *device_name, int *if_index);
u_int16_t pfring_get_ring_id(pfring *ring);
u_int8_t pfring_get_num_rx_channels(pfring *ring);
int pfring_get_selectable_fd(pfring *ring);
int pfring_enable_rss_rehash(pfring *ring);
int pfring_get_device_clock(pfring *ring, struct timespec *ts);
int pfring_set_device_clock(pfring *ring, struct timespec *ts);
int pfring_adjust_device_clock(pfring *ring, struct timespec *offset, int8_t sign);
int pfring_enable_hw_timestamp(pfring *ring, char *device_name,
			       u_int8_t enable_rx, u_int8_t enable_tx);
int pfring_get_mtu_size(pfring *ring);
u_int16_t pfring_get_slot_header_len(pfring *ring);
u_int8_t pfring_get_packet_consumer_mode(pfring *ring);
int pfring_set_packet_consumer_mode(pfring *ring, u_int8_t plugin_id,
				    char *plugin_data, u_int plugin_data_len);
int pfring_set_virtual_device(pfring *ring, virtual_filtering_device_info *info);
int pfring_loopback_test(pfring *ring, char *buffer, u_int buffer_len, u_int test_len);
void pfring_sync_indexes_with_kernel(pfring *ring);

/* TX slots of zero-copy (DNA) rings: 0 slots / NOT_SUPPORTED elsewhere */
u_int pfring_get_num_tx_slots(pfring *ring);
u_int pfring_get_num_rx_slots(pfring *ring);
int pfring_copy_tx_packet_into_slot(pfring *ring, u_int16_t tx_slot_id, char *buffer,
				    u_int len);
int pfring_set_if_promisc(const char *device, int set_promisc);
char *pfring_format_numbers(double val, char *buf, u_int buf_len, u_int8_t add_decimals);

/* Packet parsing and printing (no ring needed) */
int pfring_parse_pkt(u_char *pkt, struct pfring_pkthdr *hdr, u_int8_t level,
		     u_int8_t add_timestamp, u_int8_t add_hash);
int pfring_print_parsed_pkt(char *buff, u_int buff_len, const u_char *p,
			    const struct pfring_pkthdr *h);
int pfring_print_pkt(char *buff, u_int buff_len, const u_char *p,
		     u_int len, u_int caplen);

/* Bundles */
void pfring_bundle_init(pfring_bundle *bundle, bundle_read_policy p);
int pfring_bundle_add(pfring_bundle *bundle, pfring *ring);
int pfring_bundle_poll(pfring_bundle *bundle, u_int wait_duration);
int pfring_bundle_read(pfring_bundle *bundle, u_char **buffer, u_int buffer_len,
		       struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet);
void pfring_bundle_destroy(pfring_bundle *bundle);
void pfring_bundle_close(pfring_bundle *bundle);

/* 9.1 libzero slave API (DNA Cluster) */
pfring_pkt_buff *pfring_alloc_pkt_buff(pfring *ring);
void pfring_release_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle);
int pfring_recv_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle,
			 struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet);
int pfring_send_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle, u_int8_t flush_packet);
u_char *pfring_get_pkt_buff_data(pfring *ring, pfring_pkt_buff *pkt_handle);
int pfring_set_pkt_buff_len(pfring *ring, pfring_pkt_buff *pkt_handle, u_int32_t len);
int pfring_set_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);
int pfring_add_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);

/* ---------------------------------------------------- pfring extension ---
 * Not in PF_RING 5.4.6 (docs/api.md, "pfring extensions"): guard uses with
 * #ifdef PFRING_HAS_LAST_ERROR_MESSAGE to build against 5.4.6 too. */
#define PFRING_HAS_LAST_ERROR_MESSAGE 1
/* The one-line message of the last call of this thread that failed with one
 * (the line printed on stderr, or that would have been: PFRING_VERBOSE), ""
 * before any. Like errno, a successful call leaves it as it was. */
const char *pfring_get_last_error_message(void);
/* ------------------------------------------------ end of pfring extension */

/* The guide spells some names "rcv"; 5.4.6's header and real programs say
 * "recv". Both work (docs/decisions.md). */
#define pfring_rcv           pfring_recv
#define pfring_rcv_parsed    pfring_recv_parsed
#define pfring_rcv_pkt_buff  pfring_recv_pkt_buff

#ifdef __cplusplus
}
#endif

/*
 * pfring_remove_hw_rule(ring, x): the guide's form takes a hw_filtering_rule *,
 * 5.4.6's a u_int16_t rule id; both compile, and call the function of that form
 * (docs/decisions.md). GNU C and clang: a macro picks on x's type (a pointer is
 * the guide's form, an integer, 0 included, a rule id). C++: an overload (a
 * template for integers; a hw_filtering_rule * matches the guide's form). Other
 * compilers: the guide's form only (pfring_remove_hw_rule_by_id is 5.4.6's).
 */
#if defined(__cplusplus)
extern "C++" { /* also when pfring.h is included inside extern "C" (libpcap's pcap-int.h) */
template <typename T>
static inline int pfring_remove_hw_rule(pfring *ring, T rule_id)
{
	return pfring_remove_hw_rule_by_id(ring, static_cast<u_int16_t>(rule_id));
}
}
#elif defined(__GNUC__)
#define PF_RING_TYPE_CLASS_POINTER 5 /* __builtin_classify_type() of a pointer */
#define pfring_remove_hw_rule(ring, rule) \
	__builtin_choose_expr(__builtin_classify_type(rule) == PF_RING_TYPE_CLASS_POINTER, \
			      pfring_remove_hw_rule, pfring_remove_hw_rule_by_id)((ring), (rule))
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

/* 5.4.6: -DHAVE_ZERO programs get libzero's API through pfring.h. */
#ifdef HAVE_ZERO
#include "pfring_zero.h"
#endif

#endif /* _PFRING_H_ */
