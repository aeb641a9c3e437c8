/*
 * pcap_shim/read.h - the shim's read step and filter, shared by capture.c,
 * filter.c and stats.c.
 */
#ifndef PF_PCAP_SHIM_READ_H
#define PF_PCAP_SHIM_READ_H

#include "pcap_shim/shim.h"

/* One packet that passes the filter: 1 (h, *data set), 0 none within wait_ms
 * (-1 waits until one comes or a break), PCAP_ERROR_BREAK, or PCAP_ERROR with
 * the message in the handle's errbuf. */
int shim_read_one(struct shim *s, struct pcap_pkthdr *h, const u_char **data, int wait_ms);

/* 1 when the handle has no filter or its filter accepts the packet. */
int shim_filter_accepts(const struct shim *s, const struct pcap_pkthdr *h, const u_char *data);

#endif /* PF_PCAP_SHIM_READ_H */
