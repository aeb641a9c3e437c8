/*
 * lib/backend.h - what a backend (sim, kmod, dna, ...) gives libpfring's front.
 *
 * The front (lib/api_*.c) owns every public pfring_* entry point: it checks
 * the arguments, keeps the backend-independent state of struct __pfring, takes
 * the reentrancy locks, and then calls one operation of the backend that opened
 * the ring. A NULL operation means "not supported by this backend": the front
 * returns PF_RING_ERROR_NOT_SUPPORTED (errno EOPNOTSUPP) for it.
 *
 * Names. A backend serves the names with its prefix ("sim:x@1?pcap=F"), and
 * those its claims() hook accepts whatever their prefix (userspace: claims a
 * plain "usrN", as PF_RING 5.4.6). pfring_open() parses the name once
 * (lib/devname.h) and hands the backend the result: a backend never scans
 * the name string again. With members_are_names, the members are whole device
 * names ("multi:sim:a?pcap=x;eth0"), parsed by pf_devname_parse_names() and each
 * opened with pfring_open() by the backend.
 *
 * Private state. A backend keeps its own state behind ring->priv_data and
 * reads it through one typed accessor of its own (sim_ring_of(), ...). The
 * helpers of lib/filter_ops.h reach the ring's struct pf_socket through
 * socket_of.
 *
 * Contract for a backend:
 *   open     called with the handle already filled with the front's defaults
 *            (caplen, flags, promisc, long_header, reentrant, watermarks,
 *            sampling_rate 1, fd -1, device_name = the full name given by the
 *            user, enabled = 0) and the parsed name (valid during the call).
 *            Returns 0, or a negative PF_RING_ERROR_* after undoing whatever it
 *            allocated (it may set errno; the front fills it in otherwise).
 *            It sets ring->priv_data, and ring->fd when it has a selectable fd.
 *   close    frees priv_data and closes fd; the front frees the handle itself.
 *   recv     fills hdr (caplen <= ring->caplen, and <= buffer_len when
 *            buffer_len > 0) and returns 1, 0 when no packet, < 0 on error.
 *            When blocking (wait != 0) it returns at least every
 *            ring->poll_duration msec to look at ring->break_recv_loop, and
 *            returns 0 once it is set. Locks are the front's business.
 *   others   return what the public function documents; the front has checked
 *            for NULL pointers and out-of-range enums before calling.
 */
#ifndef PF_BACKENDS_BACKEND_H
#define PF_BACKENDS_BACKEND_H

#include <pfring.h>
#include <pfring_zero.h>

#include "lib/zero_forms.h"

struct pf_bpf_insn;     /* core/bpf.h: struct sock_filter's layout */
struct pf_devname;      /* lib/devname.h: a parsed device name */
struct pf_socket;       /* core/socket.h: a ring's pipeline */

/* Receives one device of pfring_backend_list_devices (name with its prefix). */
typedef void (*pf_device_add_fn)(void *ctx, const char *name, const char *description);

struct pfring_backend {
	const char *name;       /* "sim", "kmod", ... (messages, docs) */
	const char *prefix;     /* "sim:", "multi:", ...; "" is the default (kmod) */
	const char *not_built;  /* non-NULL: a placeholder that only explains what is missing */
	/* The selectable fd is a PF_RING socket of pf_ring.ko: setsockopt(2) on it
	 * goes to the kernel as it is (lib/api_setsockopt.c). */
	unsigned int fd_is_kernel_socket : 1;
	/* The members are whole device names (lib/devname.h, "names"). */
	unsigned int members_are_names : 1;
	/* pfring_recv's in-place buffer (buffer_len 0) is the caller's to write
	 * until its next recv on the ring (dna:: the NIC's DMA buffer, lent);
	 * libzero's bouncer lets its decision function change the packet there. */
	unsigned int rx_in_place_writable : 1;
	/* Optional: 1 if this backend serves dn although dn's prefix is not its own. */
	int  (*claims)(const struct pf_devname *dn);
	/* Optional: the devices this backend can open now that the system's
	 * interface list does not show (pfsim's NICs, running DNA Clusters), one
	 * add() call each with the whole name and a one-line description. */
	void (*list_devices)(pf_device_add_fn add, void *ctx);

	int  (*open)(pfring *ring, const struct pf_devname *dn);
	void (*close)(pfring *ring);
	void (*shutdown)(pfring *ring);
	/* The ring's pipeline (core/socket.h), for lib/filter_ops.h; NULL when the
	 * pipeline is not in this process. */
	struct pf_socket *(*socket_of)(pfring *ring);

	/* 8.6 read */
	int (*recv)(pfring *ring, u_char **buffer, u_int buffer_len,
		    struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet);
	int (*next_pkt_time)(pfring *ring, struct timespec *ts);
	int (*next_pkt_raw_timestamp)(pfring *ring, u_int64_t *timestamp_ns);
	int (*is_pkt_available)(pfring *ring);
	u_int32_t (*get_num_queued_pkts)(pfring *ring);
	int (*poll)(pfring *ring, u_int wait_duration);

	/* 8.7 clusters */
	int (*set_cluster)(pfring *ring, u_int cluster_id, cluster_type the_type);
	int (*remove_from_cluster)(pfring *ring);
	int (*set_master_id)(pfring *ring, u_int32_t master_id);
	int (*set_master)(pfring *ring, pfring *master);

	/* 8.8 - 8.9 reflection, sampling */
	int (*set_reflector_device)(pfring *ring, const char *device_name);
	int (*set_sampling_rate)(pfring *ring, u_int32_t rate);

	/* 8.10 filtering */
	int (*add_filtering_rule)(pfring *ring, filtering_rule *rule);
	int (*remove_filtering_rule)(pfring *ring, u_int16_t rule_id);
	int (*get_filtering_rule_stats)(pfring *ring, u_int16_t rule_id,
					char *stats, u_int *stats_len);
	int (*purge_idle_rules)(pfring *ring, u_int16_t inactivity_sec);
	int (*handle_hash_filtering_rule)(pfring *ring, hash_filtering_rule *rule,
					  u_char add_rule);
	int (*get_hash_filtering_rule_stats)(pfring *ring, hash_filtering_rule *rule,
					     char *stats, u_int *stats_len);
	int (*purge_idle_hash_rules)(pfring *ring, u_int16_t inactivity_sec);
	int (*set_bpf_filter)(pfring *ring, const char *filter);
	/* A compiled program (SO_ATTACH_FILTER's sock_fprog at level 0,
	 * lib/api_setsockopt.c); what names the call in messages. */
	int (*set_bpf_program)(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			       const char *what);
	int (*remove_bpf_filter)(pfring *ring);

	/* 8.11 - 8.12 in-NIC filtering, policy */
	int (*add_hw_rule)(pfring *ring, hw_filtering_rule *rule);
	int (*remove_hw_rule)(pfring *ring, u_int16_t rule_id);
	int (*set_filtering_mode)(pfring *ring, filtering_mode mode);
	int (*toggle_filtering_policy)(pfring *ring, u_int8_t default_accept);

	/* 8.13 transmission */
	int (*send)(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush);
	int (*send_ifindex)(pfring *ring, const u_char *pkt, u_int pkt_len,
			    u_int8_t flush, int if_index);
	int (*send_get_time)(pfring *ring, const u_char *pkt, u_int pkt_len,
			     struct timespec *ts);
	int (*send_last_rx_packet)(pfring *ring, int tx_interface_id);
	int (*send_parsed)(pfring *ring, const u_char *pkt, struct pfring_pkthdr *hdr,
			   u_int8_t flush);
	/* Optional: hands the device what sends left queued below the TX
	 * watermark (flush_packet 0); NULL when every send goes out at once.
	 * libzero's bouncer calls it when idle, under the ring's tx lock. */
	void (*flush_tx)(pfring *ring);

	/* 8.14 miscellaneous. enable/disable are optional: the front keeps
	 * ring->enabled itself and refuses recv/send on a disabled ring. */
	int (*enable_ring)(pfring *ring);
	int (*disable_ring)(pfring *ring);
	int (*stats)(pfring *ring, pfring_stat *stats);
	/* optional: the version the ring's home reports (else RING_VERSION_NUM) */
	int (*version)(pfring *ring, u_int32_t *version);
	int (*set_direction)(pfring *ring, packet_direction direction);
	int (*set_socket_mode)(pfring *ring, socket_mode mode);
	int (*set_poll_watermark)(pfring *ring, u_int16_t watermark);
	int (*set_tx_watermark)(pfring *ring, u_int16_t watermark);
	int (*set_poll_duration)(pfring *ring, u_int duration);
	int (*set_application_name)(pfring *ring, const char *name);
	int (*set_channel_id)(pfring *ring, u_int32_t channel_id);
	int (*get_bound_device_address)(pfring *ring, u_char mac_address[6]);
	int (*get_bound_device_id)(pfring *ring, int *device_id);
	int (*get_bound_device_ifindex)(pfring *ring, int *if_index);
	/* the index of any device this backend can name (not only the bound one) */
	int (*get_device_ifindex)(pfring *ring, const char *device_name, int *if_index);
	/* 5.4.6's copy benchmark: fill buffer[0 .. len) with i & 0xff, from the home */
	int (*loopback_test)(pfring *ring, char *buffer, u_int len);
	u_int16_t (*get_ring_id)(pfring *ring);
	u_int8_t (*get_num_rx_channels)(pfring *ring);
	int (*get_selectable_fd)(pfring *ring);
	int (*enable_rss_rehash)(pfring *ring);
	int (*get_device_clock)(pfring *ring, struct timespec *ts);
	int (*set_device_clock)(pfring *ring, const struct timespec *ts);
	int (*adjust_device_clock)(pfring *ring, const struct timespec *offset, int8_t sign);
	int (*enable_hw_timestamp)(pfring *ring, const char *device_name,
				   u_int8_t enable_rx, u_int8_t enable_tx);
	int (*get_mtu_size)(pfring *ring);
	/* No ring: the device name without prefix (pfring_set_if_promisc). */
	int (*set_if_promisc)(const char *device, int set_promisc);

	/* 5.4.6's DNA TX slots (pfring_get_num_tx_slots, the dna_* members of
	 * struct __pfring, pfsend's zero copy): a backend that has them takes
	 * pfring_send(ring, NULL, len, flush), which sends the next slot as
	 * pfring_copy_tx_packet_into_slot filled it. */
	u_int (*get_num_tx_slots)(pfring *ring);
	u_int (*get_num_rx_slots)(pfring *ring);
	u_int (*get_next_free_tx_slot)(pfring *ring);
	int (*copy_tx_packet_into_slot)(pfring *ring, u_int16_t tx_slot_id, const char *buffer,
					u_int len);

	/* 9.1 libzero slave API */
	pfring_pkt_buff *(*alloc_pkt_buff)(pfring *ring);
	void (*release_pkt_buff)(pfring *ring, pfring_pkt_buff *pkt_handle);
	int (*recv_pkt_buff)(pfring *ring, pfring_pkt_buff *pkt_handle,
			     struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet);
	int (*send_pkt_buff)(pfring *ring, pfring_pkt_buff *pkt_handle, u_int8_t flush);
	u_char *(*get_pkt_buff_data)(pfring *ring, pfring_pkt_buff *pkt_handle);
	int (*set_pkt_buff_len)(pfring *ring, pfring_pkt_buff *pkt_handle, u_int32_t len);
	int (*set_pkt_buff_ifindex)(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);
	int (*add_pkt_buff_ifindex)(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);
};

/*
 * libzero's master side (DNA Cluster, DNA Bouncer): not tied to one ring's
 * backend, so it is registered on its own. The handles are the implementation's.
 */
struct pfring_zero_ops {
	const char *name;
	pfring_dna_cluster *(*cluster_create)(u_int32_t cluster_id, u_int32_t num_apps,
					      u_int32_t flags);
	int  (*cluster_low_level_settings)(pfring_dna_cluster *h, u_int32_t rx_queue_len,
					   u_int32_t tx_queue_len, u_int32_t additional_buffers);
	int  (*cluster_register_ring)(pfring_dna_cluster *h, pfring *ring);
	void (*cluster_set_cpu_affinity)(pfring_dna_cluster *h, u_int32_t rx_core_id,
					 u_int32_t tx_core_id);
	int  (*cluster_set_mode)(pfring_dna_cluster *h, socket_mode mode);
	/* d is the caller's: copy it (either form, lib/zero_forms.h) */
	void (*cluster_set_distribution_function)(pfring_dna_cluster *h,
						  const struct pf_zero_distribution *d);
	void (*cluster_set_wait_mode)(pfring_dna_cluster *h, u_int32_t active_wait);
	int  (*cluster_enable)(pfring_dna_cluster *h);
	int  (*cluster_disable)(pfring_dna_cluster *h);
	int  (*cluster_stats)(pfring_dna_cluster *h, u_int64_t *tot_rx_packets,
			      u_int64_t *tot_tx_packets, u_int64_t *tot_rx_processed);
	void (*cluster_destroy)(pfring_dna_cluster *h);

	pfring_dna_bouncer *(*bouncer_create)(pfring *ingress_ring, pfring *egress_ring);
	int  (*bouncer_set_mode)(pfring_dna_bouncer *h, dna_bouncer_mode mode);
	/* d is the caller's and lives until the loop returns */
	int  (*bouncer_loop)(pfring_dna_bouncer *h, const struct pf_zero_decision *d,
			     const u_char *user_bytes, u_int8_t wait_for_packet);
	void (*bouncer_breakloop)(pfring_dna_bouncer *h);
	void (*bouncer_destroy)(pfring_dna_bouncer *h);
	int  (*bouncer_stats)(pfring_dna_bouncer *h, u_int8_t direction,
			      pfring_dna_bouncer_stat *stats);
};

/* ------------------------------------------------------------------ registry */

#define PFRING_MAX_REGISTERED_BACKENDS 8

/*
 * Add a backend at run time (tests; a backend may also be placed in the static
 * table of lib/registry.c). A registered backend takes precedence over a
 * static entry with the same prefix, so registering "sim:" replaces the
 * "not built yet" placeholder. The struct must outlive its registration.
 * Returns 0, or PF_RING_ERROR_INVALID_ARGUMENT (bad prefix, no open, prefix
 * already registered, table full).
 */
int pfring_backend_register(const struct pfring_backend *b);
int pfring_backend_unregister(const struct pfring_backend *b);

/* The backend serving names with this prefix ("sim:", "" ...), NULL if none. */
const struct pfring_backend *pfring_backend_find(const char *prefix);

/* The backend whose claims() hook accepts dn, NULL if none. */
const struct pfring_backend *pfring_backend_claiming(const struct pf_devname *dn);

/* Every backend's list_devices (registered ones first, then the static
 * table), for pcap_findalldevs in libpfring-pcap. */
void pfring_backend_list_devices(pf_device_add_fn add, void *ctx);

/* The static table, for tests and docs: entry i, NULL past the end. */
const struct pfring_backend *pfring_backend_static(unsigned int i);

/* "sim:, multi:, ..." : every known non-empty prefix, for messages. */
void pfring_backend_known_prefixes(char *buf, size_t buf_len);

/* libzero: register the DNA Cluster / Bouncer implementation (NULL removes it). */
void pfring_zero_register(const struct pfring_zero_ops *ops);
const struct pfring_zero_ops *pfring_zero_ops_get(void);

/* core/ returns negative errno values (core/errors.h); this gives the
 * PF_RING_ERROR_* for one of them and sets errno. 0 and positive pass through. */
int pfring_error_from_core(int rc);

/* break_recv_loop is written by pfring_breakloop() from any thread (often a
 * signal handler) while a receiver polls it: always through these. */
static inline int pf_break_requested(pfring *ring)
{
	return __atomic_load_n(&ring->break_recv_loop, __ATOMIC_ACQUIRE);
}

static inline void pf_set_break(pfring *ring, u_int8_t v)
{
	__atomic_store_n(&ring->break_recv_loop, v, __ATOMIC_RELEASE);
}

/* How long a blocking call may sleep before it looks at break_recv_loop
 * again: the ring's poll_duration in msec, at least 1 (0 would spin). */
static inline u_int pf_poll_step_ms(const pfring *ring)
{
	return ring->poll_duration ? ring->poll_duration : 1;
}

/* A polling backend's blocked reader (dna:, dnacluster:) found nothing for
 * the n-th time in a row (n from 0): sleeps 16 usec doubled n times, at most
 * 1 msec and never longer than pf_poll_step_ms (lib/back_off.c). */
void pf_poll_back_off(const pfring *ring, unsigned int n);

#endif /* PF_BACKENDS_BACKEND_H */
