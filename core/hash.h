/*
 * core/hash.h - flow hashes for clusters, and a software Toeplitz (RSS) hash.
 */
#ifndef PF_CORE_HASH_H
#define PF_CORE_HASH_H

#include "port.h"
#include <linux/pf_ring.h>

/* pf_flow_hash() flags */
#define PF_HASH_INNER  (1u << 0)  /* hash the tunneled (inner) headers when a tunnel was parsed:
				    * tunnel_id != NO_TUNNEL_ID and tunneled_proto or an inner
				    * address set. The tunnel id itself is never hashed (GTP
				    * uses one TEID per direction). An inner flow hashes like the
				    * same flow seen without the tunnel. */

/*
 * Symmetric flow hash of a parsed packet for a cluster type: A->B equals B->A.
 *   cluster_per_flow             <vlan, proto, ip a, port a, ip b, port b>
 *   cluster_per_flow_2_tuple     <ip a, ip b>
 *   cluster_per_flow_4_tuple     <ip a, port a, ip b, port b>
 *   cluster_per_flow_5_tuple     <proto, ip a, port a, ip b, port b>
 *   cluster_per_flow_tcp_5_tuple 5-tuple for TCP, 2-tuple for everything else
 *   cluster_round_robin          not a flow hash: returns 0 (use pf_cluster_pick)
 * Non-IP packets hash their MAC addresses (and vlan for per_flow). Fields a
 * type leaves out count as 0, so tcp_5_tuple of a UDP packet is exactly its
 * 2-tuple hash. An unknown type hashes like cluster_per_flow; p == NULL gives 0.
 * Ports are taken as parsed (0 for ICMP and for non-first fragments).
 */
u32 pf_flow_hash(const struct pkt_parsing_info *p, cluster_type type, u32 flags);

/* Which of num_members (1..CLUSTER_LEN) gets this packet: multiply-shift of
 * the flow hash, ((u64)hash * num_members) >> 32. *rr_state is the round-robin
 * cursor of the cluster (only read and advanced by cluster_round_robin; the
 * caller serializes access). num_members 0 or > CLUSTER_LEN, or round robin
 * without rr_state, return 0 and leave *rr_state alone. */
u32 pf_cluster_pick(const struct pkt_parsing_info *p, cluster_type type, u32 flags,
		    u32 num_members, u32 *rr_state);

/* Toeplitz hash (Microsoft RSS) of data[0..len) with key[0..key_len); the key
 * should be at least len + 4 bytes long: missing key bytes read as 0 (never
 * out of bounds). NULL key or data gives 0. */
u32 pf_toeplitz(const u8 *key, u32 key_len, const u8 *data, u32 len);

/* The RSS hash of a parsed packet as a NIC computes it: IPv4/IPv6 addresses,
 * plus ports for TCP (and UDP when with_udp), of the outer headers. Returns 0
 * for non-IP packets. */
u32 pf_rss_hash(const struct pkt_parsing_info *p, const u8 *key, u32 key_len, int with_udp);

/* Table-driven Toeplitz for one fixed key (what a NIC model uses per frame):
 * the contribution of every value of every input byte, precomputed. Same
 * results as pf_toeplitz() with that key; about 8x fewer instructions. 36 KB. */
#define PF_TOEPLITZ_MAX_INPUT 36   /* IPv6 addresses + ports */
struct pf_toeplitz_table {
	u32 t[PF_TOEPLITZ_MAX_INPUT][256];
};
void pf_toeplitz_table_init(struct pf_toeplitz_table *tb, const u8 *key, u32 key_len);
u32 pf_rss_hash_table(const struct pkt_parsing_info *p, const struct pf_toeplitz_table *tb,
		      int with_udp);

#define PF_RSS_KEY_LEN 40
extern const u8 pf_rss_key_default[PF_RSS_KEY_LEN];   /* Microsoft's verification key */
extern const u8 pf_rss_key_symmetric[PF_RSS_KEY_LEN]; /* 0x6d5a repeated: symmetric */

#endif /* PF_CORE_HASH_H */
