/*
 * sim/nic.h - the simulated NIC: a named device with RX queues, a wire fed by a
 * pcap file or a generator, RSS, in-NIC rules, a hardware clock, link state, a
 * MAC and an ifindex, fault injection, and a TX side.
 *
 * The NIC is pull-driven and single-threaded by contract (the host in
 * backends/sim/host*.c serializes calls with its own lock): sim_nic_next() produces the
 * next frame on the wire, already steered to a queue (or dropped by an in-NIC
 * rule, and counted). Time is virtual: frame timestamps come from the source
 * (pcap) or from the generator's rate, so the same options and seed give the
 * same bytes, order, timestamps and queues on every run.
 */
#ifndef PF_SIM_NIC_H
#define PF_SIM_NIC_H

#include <stddef.h>
#include <stdint.h>
#include <pfring.h>
#include "core/abi.h"

#define SIM_NAME_LEN     32
#define SIM_PATH_LEN     256
/* 5.4.6's limit: pfring_get_num_rx_channels() is a u_int8_t and
 * pfring_open_multichannel() fills MAX_NUM_RX_CHANNELS rings */
#define SIM_MAX_QUEUES   MAX_NUM_RX_CHANNELS
#define SIM_MAX_HW_RULES 1024
#define SIM_MAX_FRAME    16384
#define SIM_DEFAULT_MTU  1500
#define SIM_MIN_MTU      68     /* IPv4's minimum */
#define SIM_ETH_HLEN     14
#define SIM_VLAN_HLEN    4
#define SIM_MAX_MTU      (SIM_MAX_FRAME - SIM_ETH_HLEN - SIM_VLAN_HLEN)

/* The slot length of a ring on a sim NIC: a slot longer than the NIC's
 * largest frame is never filled (a 262144-byte snaplen, libpcap's default,
 * clamped to 65535 by pfring_open, would still reserve 4096 x 64 KiB). */
static inline uint32_t sim_slot_caplen(uint32_t caplen)
{
	return caplen < SIM_MAX_FRAME ? caplen : SIM_MAX_FRAME;
}

/* The options after '?' in "sim:NAME[@Q]?k=v&k=v" (docs/sim.md). */
struct sim_opts {
	char pcap[SIM_PATH_LEN];    /* pcap=FILE: replay a capture (libpcap) */
	char gen[128];              /* gen=SPEC: e.g. "flows:1000,size:64,proto:tcp|udp|mix,v6:10" */
	uint32_t queues;            /* queues=N, RX queues, default 1 */
	uint32_t loop;              /* loop=N: replay N times, 0 = forever; default 1 */
	uint64_t rate_pps;          /* rate=PPS: the wire runs on its own clock; 0 = lossless */
	uint8_t rate_pcap;          /* rate=pcap: paced by the capture's timestamps */
	uint64_t seed;              /* seed=S, default 1 */
	uint32_t drop_ppm, truncate_ppm, corrupt_ppm; /* drop=P truncate=P corrupt=P, P in [0,1] */
	uint32_t burst;             /* burst=N: faults hit runs of N frames */
	uint64_t count;             /* count=N: the generator's frames per loop (default 10000) */
	uint32_t mtu;               /* mtu=N: what pfring_get_mtu_size says and TX allows (1500) */
	char peer[SIM_NAME_LEN];    /* peer=NAME: what this NIC sends arrives on NAME */
	char txpcap[SIM_PATH_LEN];  /* txpcap=FILE: record what this NIC sends */
	uint8_t has_source;         /* pcap= or gen= was given */
	uint8_t any;                /* at least one option was given */
};

/* Parse "k=v&k=v". 0, or -1 with a message naming the key or value in err. */
int sim_opts_parse(const char *query, struct sim_opts *o, char *err, size_t errlen);

struct sim_nic;

/* One frame on the wire. data is owned by the NIC and valid until the next
 * sim_nic_next() on that NIC. */
struct sim_frame {
	const uint8_t *data;
	uint32_t caplen, len;
	uint64_t ts_ns;             /* virtual time */
	uint64_t hw_ts_ns;          /* the NIC's hardware clock at arrival */
	uint16_t queue;             /* RSS (or an in-NIC rule) chose it */
	uint32_t rss_hash;
	/* The NIC parsed the frame (to L5) to steer it; the host reuses that parse
	 * rather than parsing again. NULL when a frame did not come from
	 * sim_nic_next(); valid as long as data is. */
	const struct pkt_parsing_info *info;
	uint8_t parsed_level;
};

/* The process-wide table of NICs. The first open of NAME creates it from its
 * options (which must name a source: pcap= or gen=); later opens give the same
 * options or none, and share it. Returns NULL with errno set and a message. */
struct sim_nic *sim_nic_get(const char *name, const struct sim_opts *o, uint32_t flags,
			    char *err, size_t errlen);
void sim_nic_put(struct sim_nic *n);   /* the last put frees the NIC */
struct sim_nic *sim_nic_find(const char *name); /* no reference taken */
int sim_nic_find_ifindex(const char *name);     /* -1: no NIC of that name */

/* The wire: 1 and *f filled; 0 when the source is exhausted (the link goes
 * quiet); -1 on a source error (message in err, errno EIO), and -1 again at
 * every later call. Frames dropped by an in-NIC rule or by drop= never come
 * out; they are counted. */
int sim_nic_next(struct sim_nic *n, struct sim_frame *f, char *err, size_t errlen);

/* With rate=: the virtual time at which the next frame is due (UINT64_MAX when
 * exhausted), so the host can pace the wire against real time. */
uint64_t sim_nic_next_due_ns(struct sim_nic *n);

/* Identity and state */
const char *sim_nic_name(const struct sim_nic *n);
/* Why the NIC's source failed for good (a corrupt capture record), or NULL. */
const char *sim_nic_source_error(const struct sim_nic *n);
uint32_t sim_nic_num_queues(const struct sim_nic *n);
int sim_nic_ifindex(const struct sim_nic *n);          /* 1000 + creation order */
void sim_nic_mac(const struct sim_nic *n, uint8_t mac[6]); /* 02:50:46:xx:xx:xx from the name */
int sim_nic_link_up(const struct sim_nic *n);
void sim_nic_set_link(struct sim_nic *n, int up);
const struct sim_opts *sim_nic_opts(const struct sim_nic *n);

/* In-NIC rules (spec 8.11): five-tuple and perfect rules steer matching frames
 * to rule.queue_id; a queue id >= the number of queues drops them. 0 or a
 * negative PF_RING_ERROR_* (unknown family, duplicate id, table full, no such id). */
int sim_nic_add_hw_rule(struct sim_nic *n, const hw_filtering_rule *r);
int sim_nic_remove_hw_rule(struct sim_nic *n, u_int16_t rule_id);

/* The hardware clock: starts at the first frame's virtual time; set/adjust move it. */
void sim_nic_get_clock(const struct sim_nic *n, struct timespec *ts);
void sim_nic_set_clock(struct sim_nic *n, const struct timespec *ts);
void sim_nic_adjust_clock(struct sim_nic *n, const struct timespec *off, int8_t sign);

/* Switch RSS to the symmetric key (pfring_enable_rss_rehash). */
void sim_nic_set_symmetric_rss(struct sim_nic *n);

/* The MTU, and whether a frame of len bytes may be sent: len <= MTU + 14, or
 * MTU + 18 when it carries an 802.1Q or 802.1ad tag (as Linux's AF_PACKET). */
uint32_t sim_nic_mtu(const struct sim_nic *n);
int sim_nic_frame_fits(const struct sim_nic *n, const uint8_t *data, uint32_t len);

/* TX: put a frame on this NIC's wire: recorded to txpcap= and, with peer=,
 * received by the peer NIC (its next frames, before its own source). Returns
 * len, or a negative PF_RING_ERROR_*. */
int sim_nic_send(struct sim_nic *n, const uint8_t *data, uint32_t len, uint64_t ts_ns);

struct sim_nic_counters {
	uint64_t wire;         /* frames the source produced */
	uint64_t hw_dropped;   /* dropped by an in-NIC rule */
	uint64_t fault_dropped, truncated, corrupted;
	uint64_t tx;           /* frames sent */
	uint64_t tx_lost;      /* sent to a peer= that does not exist, is down, or is full */
	uint64_t repaired;     /* source records repaired (len < caplen, ts fraction >= 1 s) */
	uint64_t source_errors;/* 1 once the source failed (a corrupt record): nothing more comes */
};
void sim_nic_counters(const struct sim_nic *n, struct sim_nic_counters *c);

#endif /* PF_SIM_NIC_H */
