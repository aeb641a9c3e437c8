/*
 * core/socket.h - one ring's packet pipeline: what decides whether a frame that
 * reaches a ring goes up to the application.
 *
 * Order on each ring (docs/filtering.md):
 *   1. direction      (set_direction: rx, tx or both)
 *   2. precise rules  (hash_filtering_rule, exact 6-tuple, both directions)
 *   3. wildcard rules (filtering_rule, ascending rule_id)
 *   4. default policy (toggle_filtering_policy), when no rule decided
 *   5. BPF            (set_bpf_filter)
 *   6. sampling       (1 of N of the packets that passed 1-5)
 *   then cluster balancing and ring insert (the home's, with core/ring.h).
 *
 * Accounting: every packet given to pf_socket_filter() is counted in exactly one
 * of filtered, unsampled, or passed; a passed packet then ends in exactly one of
 * the ring's inserted, refused (too large for the ring: pf_pkt_to_ring counts
 * it) or dropped_full (the home counts it, or waits and retries). So seen =
 * filtered + unsampled + inserted + dropped_full + refused (core/abi.h).
 */
#ifndef PF_CORE_SOCKET_H
#define PF_CORE_SOCKET_H

#include "engine.h"
#include "rules.h"
#include "precise.h"
#include "bpf.h"

struct pf_socket_counters {
	u64 seen;          /* packets given to pf_socket_filter() */
	u64 passed;        /* went on to the ring (inserted + dropped_full + refused) */
	u64 filtered;      /* dropped by direction, a rule, the policy or BPF */
	u64 unsampled;     /* skipped by sampling */
	u64 reflect_errors;/* reflect/bounce actions the home could not send */
};

struct pf_socket {
	const struct pf_home *home;
	packet_direction direction;
	u8  default_accept;            /* policy when no rule decides: 1 forward, 0 drop */
	u32 sampling_rate;             /* 1 = every packet */
	u32 sampling_count;            /* packets since the last sampled one */
	struct pf_wrules wrules;
	struct pf_precise_table *precise;  /* NULL until the first precise rule */
	u32 precise_capacity;
	struct pf_bpf_prog *bpf;       /* NULL = no filter; read with pf_load_acquire */
	u8  home_bpf;                  /* the home holds the program itself (the kernel's
					* sk_filter): the BPF step calls home->bpf_run
					* with no instructions; set by the home */
	struct pf_socket_counters cnt;
	u64 plugins_used[(MAX_PLUGIN_ID + 63) / 64]; /* plugins named by this ring's rules */
};

enum pf_verdict {
	PF_PASS = 0,        /* goes on to cluster balancing and the ring */
	PF_FILTERED,
	PF_UNSAMPLED,
};

#define PF_DEFAULT_PRECISE_CAPACITY 65536

int  pf_socket_init(struct pf_socket *s, const struct pf_home *h);
void pf_socket_destroy(struct pf_socket *s);

/* Run the pipeline on p (parsed on demand); counts as described above; fills
 * p->info.last_matched_rule_id. Reflect/bounce actions call the home. */
enum pf_verdict pf_socket_filter(struct pf_socket *s, struct pf_pkt *p);

/* Configuration (writers; serialized by the home's write lock inside). */
int pf_socket_set_direction(struct pf_socket *s, packet_direction d);
int pf_socket_set_policy(struct pf_socket *s, u8 default_accept);
int pf_socket_set_sampling(struct pf_socket *s, u32 rate);          /* 0 -> -PF_EINVAL */
int pf_socket_set_bpf(struct pf_socket *s, const struct pf_bpf_insn *insns, u32 n,
		      char *err, u32 errlen);
int pf_socket_remove_bpf(struct pf_socket *s);
int pf_socket_add_rule(struct pf_socket *s, const filtering_rule *r);
int pf_socket_remove_rule(struct pf_socket *s, u16 rule_id);
int pf_socket_rule_stats(struct pf_socket *s, u16 rule_id, u8 *buf, u32 *len);
int pf_socket_hash_rule(struct pf_socket *s, const hash_filtering_rule *r, int add);
int pf_socket_hash_rule_stats(struct pf_socket *s, const hash_filtering_rule *r,
			      u8 *buf, u32 *len);
int pf_socket_purge_idle(struct pf_socket *s, u32 idle_sec);
int pf_socket_purge_idle_hash(struct pf_socket *s, u32 idle_sec);

#endif /* PF_CORE_SOCKET_H */
