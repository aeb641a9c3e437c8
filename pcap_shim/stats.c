/*
 * pcap_shim/stats.c - pcap_stats on a pfring handle: the ring's counters, less
 * what the shim's filter refused (libpcap on Linux counts as received what
 * passed the filter).
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

SHIM_EXPORT int pcap_stats(pcap_t *p, struct pcap_stat *ps)
{
	struct shim *s = shim_find(p);
	pfring_stat st;

	if (s == NULL)
		return shim_real()->stats(p, ps);
	if (s->ring == NULL) {
		shim_seterr(s, "pcap_stats: %s not activated", s->device);
		return PCAP_ERROR_NOT_ACTIVATED;
	}
	if (pfring_stats(s->ring, &st) != 0) {
		shim_seterr(s, "pfring_stats(%s) failed", s->device);
		return PCAP_ERROR;
	}
	ps->ps_recv = (u_int)(st.recv - s->filtered_out);
	ps->ps_drop = (u_int)st.drop;
	ps->ps_ifdrop = 0;
	return 0;
}
