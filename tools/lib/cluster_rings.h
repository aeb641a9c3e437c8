/*
 * tools/lib/cluster_rings.h - how pfdnacluster_master and
 * pfdnacluster_multithread open the devices of -i and register them with
 * their DNA Cluster.
 */
#ifndef PF_TOOL_CLUSTER_RINGS_H
#define PF_TOOL_CLUSTER_RINGS_H

#include <pfring.h>
#include <pfring_zero.h>

#define CLUSTER_SNAPLEN 1536   /* the cluster's sockets and the slaves' rings */

/* The devices of the comma-separated list (devlist.h; the list is cut in
 * place), in order: each opened (CLUSTER_SNAPLEN, promiscuous, receive only, named
 * "<prog>-cluster-<id>-socket-<i>", bpf if not NULL) and registered with c,
 * which owns it from then on (dna_cluster_destroy closes it). rings[i] and
 * ifindex[i] (pfring_get_bound_device_ifindex, -1 when it has none) get
 * socket i. Prints the library's version before the first and "Registered
 * DEV as socket I" after each. Returns the number of sockets, or -1 after a
 * message on stderr naming prog (a ring opened but not registered is closed). */
int cluster_rings_register(const char *prog, pfring_dna_cluster *c, int cluster_id,
			   char *devices, const char *bpf,
			   pfring *rings[DNA_CLUSTER_MAX_NUM_SOCKETS],
			   int ifindex[DNA_CLUSTER_MAX_NUM_SOCKETS]);

#endif /* PF_TOOL_CLUSTER_RINGS_H */
