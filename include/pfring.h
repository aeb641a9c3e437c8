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

#include <sys/types.h>
#include <sys/time.h>
#include <time.h>
#include <stdint.h>
#include <pthread.h>
#include <poll.h>
#include <netinet/in.h>
#include <linux/pf_ring.h>

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
#define PF_RING_ERROR_NOT_ENABLED          -10
#define PF_RING_ERROR_INVALID_STATUS       -11

#define MAX_CAPLEN                 65535
#define DEFAULT_POLL_DURATION      500   /* msec */
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

typedef void (*pfringProcessPacket)(const struct pfring_pkthdr *h,
				    const u_char *p, const u_char *user_bytes);

/* libzero slave buffers are opaque, as in 5.4.6. */
typedef void pfring_pkt_buff;

struct pfring_backend;  /* backends/: one per device-name prefix */

/*
 * The handle. Public, as in 5.4.6: libpcap-style clients read fd, enabled and
 * break_recv_loop directly. Everything a backend owns lives behind priv_data.
 */
struct __pfring {
	u_int8_t initialized, enabled, long_header, rss_mode;
	packet_direction direction;   /* capture direction for packets */
	socket_mode mode;
	struct {
		u_int8_t force_timestamp, enable_hw_timestamp;
		u_int64_t last_pkt_timestamp_ns;
	} hw_ts;
	u_int16_t poll_watermark, tx_watermark;

	const struct pfring_backend *backend; /* which backend serves this handle */
	void *priv_data;              /* that backend's state */

	char *device_name;            /* as given to pfring_open() */
	char *appl_name;
	u_int32_t caplen;
	u_int32_t flags;              /* PF_RING_* open flags */
	u_int16_t slot_header_len, mtu_len;
	u_int32_t sampling_rate;
	u_int8_t is_shutting_down, socket_default_accept_policy;
	int fd, device_id;            /* fd: selectable (poll/select), -1 if none */
	u_int16_t poll_duration;      /* msec */
	u_int8_t promisc, clear_promisc, reentrant, break_recv_loop;
	u_long num_poll_calls;
	pthread_mutex_t rx_lock, tx_lock; /* taken only with PF_RING_REENTRANT */
};

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
u_int8_t pfring_open_multichannel(const char *device_name, u_int32_t caplen,
				  u_int32_t flags, pfring *ring[MAX_NUM_RX_CHANNELS]);
void pfring_close(pfring *ring);
void pfring_shutdown(pfring *ring);

/* 8.6 Read incoming packets */
int pfring_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet);
int pfring_recv_parsed(pfring *ring, u_char **buffer, u_int buffer_len,
		       struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet,
		       u_int8_t level, u_int8_t add_timestamp, u_int8_t add_hash);
int pfring_loop(pfring *ring, pfringProcessPacket looper,
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
int pfring_remove_hw_rule(pfring *ring, hw_filtering_rule *rule);
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
int pfring_get_bound_device_address(pfring *ring, u_char mac_address[6]);
int pfring_get_bound_device_id(pfring *ring, int *device_id);
int pfring_get_bound_device_ifindex(pfring *ring, int *if_index);
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
void pfring_set_pkt_buff_len(pfring *ring, pfring_pkt_buff *pkt_handle, u_int32_t len);
void pfring_set_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);
void pfring_add_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);

/* The guide spells some names "rcv"; 5.4.6's header and real programs say
 * "recv". Both work (docs/decisions.md). */
#define pfring_rcv           pfring_recv
#define pfring_rcv_parsed    pfring_recv_parsed
#define pfring_rcv_pkt_buff  pfring_recv_pkt_buff

#ifdef __cplusplus
}
#endif

#endif /* _PFRING_H_ */
