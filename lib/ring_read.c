/*
 * lib/ring_read.c - pfring_recv's packet from a core ring (ring_read.h).
 */
#include <string.h>
#include <time.h>

#include "lib/ring_read.h"

int pf_ring_read(pfring *ring, struct pf_ring_cons *c, int long_slots, u_char **buffer,
		 u_int buffer_len, struct pfring_pkthdr *hdr, struct pf_ring_view *v)
{
	struct pf_ring_view own;
	u_int cap = ring->caplen;
	int rc;

	if (!v)
		v = &own;
	if (buffer_len == 0) {
		rc = pf_ring_recv(c, v);
		if (rc == 1)
			*buffer = (u_char *)v->data;
	} else {
		rc = pf_ring_recv_copy(c, *buffer, buffer_len < cap ? buffer_len : cap, v,
				       long_slots ? &hdr->extended_hdr : NULL);
	}
	if (rc != 1)
		return rc;
	if (v->caplen > cap)
		v->caplen = cap;
	hdr->ts.tv_sec = (time_t)(v->ts_ns / 1000000000ull);
	hdr->ts.tv_usec = (suseconds_t)(v->ts_ns % 1000000000ull / 1000);
	hdr->caplen = v->caplen;
	hdr->len = v->len;
	if (!long_slots) {
		memset(&hdr->extended_hdr, 0, sizeof(hdr->extended_hdr));
		hdr->extended_hdr.timestamp_ns = v->ts_ns;
	} else if (buffer_len == 0 && v->ext) {
		hdr->extended_hdr = *v->ext;   /* the copying receive copied it already */
	}
	ring->last_pkt_timestamp_ns = v->ts_ns;
	return 1;
}
