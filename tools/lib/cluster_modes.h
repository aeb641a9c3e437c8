/*
 * tools/lib/cluster_modes.h - the DNA Cluster distribution modes that
 * pfdnacluster_master and pfdnacluster_multithread offer (-m), as 5.4.6's
 * programs did: the library's default (symmetric IP hash), a MAC hash, an IP
 * protocol hash, fan-out to every slave; and direct forwarding of every frame
 * out of one registered socket (DNA_CLUSTER_FRWD, pfring extension -o).
 */
#ifndef PF_TOOL_CLUSTER_MODES_H
#define PF_TOOL_CLUSTER_MODES_H

#include <pfring.h>
#include <pfring_zero.h>

enum cluster_mode {
	CLUSTER_MODE_IP_HASH = 0,  /* the library's default function */
	CLUSTER_MODE_MAC_HASH,     /* sum of the low 3 bytes of both MACs, % slaves */
	CLUSTER_MODE_PROTO_HASH,   /* IPv4 protocol / IPv6 next header, % slaves; else 0 */
	CLUSTER_MODE_FANOUT,       /* every frame to every slave */
	CLUSTER_MODE_COUNT
};

/* Sets c's distribution function for mode; with frwd_socket >= 0 every frame
 * is sent out of that registered socket instead (DNA_CLUSTER_FRWD; mode is
 * then ignored). One cluster per process: the choice is process-wide. */
void cluster_modes_install(pfring_dna_cluster *c, enum cluster_mode mode, int frwd_socket);

/* One line for the banner, e.g. "Hashing packets per-IP Address". */
const char *cluster_modes_describe(enum cluster_mode mode, int frwd_socket);

/* The hash the custom modes compute (exposed for tests and the bench). */
u_int32_t cluster_modes_hash(enum cluster_mode mode, const u_char *frame, u_int16_t len);

#endif /* PF_TOOL_CLUSTER_MODES_H */
