/*
 * sim/nic_priv.h - internals shared by the files of the simulated NIC
 * (not for the host: it uses sim/nic.h only).
 */
#ifndef PF_SIM_NIC_PRIV_H
#define PF_SIM_NIC_PRIV_H

#include <pthread.h>
#include <pcap/pcap.h>
#include "sim/nic.h"
#include "core/hash.h"

/* A deterministic PRNG (splitmix64): no rand(), same seed -> same stream. */
static inline uint64_t sim_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static inline uint64_t sim_rand(uint64_t *state)
{
	uint64_t r = sim_mix64(*state);

	*state += 0x9e3779b97f4a7c15ull;
	return r;
}

#define SIM_EPOCH_NS (1700000000ull * 1000000000ull)

/* gen=SPEC, parsed (sim/gen.c) */
enum sim_gen_proto { SIM_GEN_TCP, SIM_GEN_UDP, SIM_GEN_MIX };
struct sim_gen_spec {
	uint32_t flows;
	uint32_t size_min, size_max;
	enum sim_gen_proto proto;
	uint32_t v6_percent;
	uint16_t vlan;
};

int sim_gen_spec_parse(const char *spec, struct sim_gen_spec *g, char *err, size_t errlen);
/* Build frame number idx (0-based, counting across loops) into buf
 * (SIM_MAX_FRAME bytes); returns its length. */
uint32_t sim_gen_frame(const struct sim_gen_spec *g, uint64_t seed, uint64_t idx, uint8_t *buf);

/* The source: the next raw frame on the wire, before faults and steering. */
struct sim_source {
	pcap_t *pcap;
	struct sim_gen_spec gen;
	int is_gen;
	uint64_t idx;              /* frames produced so far, over all loops */
	uint64_t in_loop;          /* frames produced in the current loop */
	uint32_t loops_done;
	uint64_t loop_offset_ns;   /* added to the capture's timestamps in this loop */
	uint64_t first_ts, last_ts; /* earliest and latest of the capture, first loop */
	uint64_t first_out_ts;     /* of the very first frame (rate=PPS retiming) */
	int exhausted;
	int failed;                /* for good: every next call returns error[] */
	char error[512];
	uint64_t repaired;         /* records repaired (len < caplen, ts fraction >= 1 s) */
	uint8_t said;              /* the repairs already said on stderr */
};

struct sim_raw {
	uint8_t *data;
	uint32_t caplen, len;
	uint64_t ts_ns;
};

int sim_source_open(struct sim_source *s, const struct sim_opts *o, char *err, size_t errlen);
void sim_source_close(struct sim_source *s);
/* 1 and *r filled (r->data must hold SIM_MAX_FRAME bytes), 0 exhausted, -1 error
 * (errno EIO; then every later call returns -1 with the same message) */
int sim_source_next(struct sim_source *s, const struct sim_opts *o, struct sim_raw *r,
		    char *err, size_t errlen);

/* In-NIC rules (sim/hw_rules.c): sorted by rule_id */
struct sim_hw_rules {
	hw_filtering_rule r[SIM_MAX_HW_RULES];
	uint32_t n;
};
int sim_hw_rules_add(struct sim_hw_rules *t, const hw_filtering_rule *r);
int sim_hw_rules_remove(struct sim_hw_rules *t, u_int16_t rule_id);
/* The queue of the first matching rule, or -1 when none matches. */
int sim_hw_rules_match(const struct sim_hw_rules *t, const struct pkt_parsing_info *p);

/* Frames sent to this NIC by a peer, waiting to be received */
struct sim_peer_frame {
	struct sim_peer_frame *next;
	uint32_t len;
	uint64_t ts_ns;
	uint8_t data[];
};

#define SIM_PEER_QUEUE_MAX 65536

struct sim_nic {
	struct sim_nic *next_nic;  /* the table */
	char name[SIM_NAME_LEN];
	struct sim_opts opts;
	uint32_t flags;
	unsigned refs;
	int ifindex;
	uint8_t mac[6];
	int link_up;

	struct sim_source src;
	uint8_t *pend_buf, *out_buf;   /* swapped: the pending frame and the one handed out */
	struct sim_raw pend;
	int have_pend;

	uint64_t fault_rng;
	uint32_t burst_left[3];

	struct sim_hw_rules *rules;
	struct pf_toeplitz_table rss;  /* the RSS key (default or symmetric) as a table */
	struct pkt_parsing_info parsed; /* the frame handed out, parsed to L5 */

	int64_t clock_offset_ns;
	uint64_t clock_base_ns;        /* virtual time of the last frame (the first before any) */

	pcap_t *tx_dead;
	pcap_dumper_t *tx_dump;

	pthread_mutex_t rxq_lock;      /* peer frames: pushed by another NIC's send */
	struct sim_peer_frame *rxq_head, *rxq_tail;
	uint32_t rxq_len;

	struct sim_nic_counters c;
};

#endif /* PF_SIM_NIC_PRIV_H */
