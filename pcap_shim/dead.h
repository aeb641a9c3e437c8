/*
 * pcap_shim/dead.h - settings of the dead pcap_t that libpcap refuses to
 * change once a handle is "activated" (pcap_open_dead's are born activated):
 * the snapshot length and the time stamp precision, which pcap_snapshot(),
 * pcap_get_tstamp_precision() and pcap_dump_open() read from the pcap_t.
 *
 * struct pcap is private to libpcap, so the offsets of those two fields are
 * found at run time: two dead handles that differ only in that setting are
 * compared word by word (within malloc_usable_size), and the one int that
 * holds the two values given is the field. If the probe is ambiguous the
 * setting is refused, as libpcap would refuse it.
 */
#ifndef PF_PCAP_SHIM_DEAD_H
#define PF_PCAP_SHIM_DEAD_H

#include <pcap/pcap.h>

/* 0, or PCAP_ERROR_ACTIVATED when the field could not be located. */
int shim_dead_set_snapshot(pcap_t *p, int snaplen);
int shim_dead_set_tstamp_precision(pcap_t *p, int precision);

#endif /* PF_PCAP_SHIM_DEAD_H */
