/*
 * pcap-pfring.h - the calls PF_RING's own libpcap (libpcap-1.1.1-ring, PF_RING
 * 5.4.6) added to libpcap, served by libpfring-pcap.so on pfring handles.
 *
 * Build a program that uses them against the system's <pcap/pcap.h> and this
 * header, and link it with libpfring-pcap.so before libpcap:
 *
 *     cc prog.c -I/usr/local/include -lpfring-pcap -lpcap
 *
 * On a handle that is not pfring's (a file, "lo" without pf_ring.ko, a name
 * under PCAP_NO_PF_RING) pcap_get_pfring_id gives 0 and the others
 * PCAP_ERROR, with pcap_geterr saying so. The handle must be activated
 * (pcap_open_live, or pcap_create and pcap_activate); before that they give
 * PCAP_ERROR_NOT_ACTIVATED.
 */
#ifndef PCAP_PFRING_H
#define PCAP_PFRING_H

#include <sys/types.h>
#include <pcap/pcap.h>

#ifdef __cplusplus
extern "C" {
#endif

/* pfring_set_application_name on the handle's ring (at most 64 bytes are
 * kept). 0, or a PCAP_ERROR_* code. */
int pcap_set_application_name(pcap_t *handle, char *name);

/* pfring_get_ring_id of the handle's ring; 0 when the handle has no ring. */
u_int32_t pcap_get_pfring_id(pcap_t *handle);

/* pfring_set_master_id / pfring_set_master on the handle's ring (master:
 * another pfring handle). 0, or a PCAP_ERROR_* code. */
int pcap_set_master_id(pcap_t *handle, u_int32_t master_id);
int pcap_set_master(pcap_t *handle, pcap_t *master);

/* Joins cluster cluster_id, per flow, as libpcap-1.1.1-ring's did (it
 * returned nothing; 5.4.6's pcount declares it int: 0, or a PCAP_ERROR_* code). */
int pcap_set_cluster(pcap_t *handle, u_int cluster_id);

#ifdef __cplusplus
}
#endif

#endif /* PCAP_PFRING_H */
