/*
 * lib/ring_read.h - pfring_recv's packet from a core/ring.h ring: the one
 * reading step of every backend whose frames arrive in a core ring (sim, the
 * pfsim client, pf_ring.ko, userspace:).
 */
#ifndef PF_BACKENDS_RING_READ_H
#define PF_BACKENDS_RING_READ_H

#include "lib/backend.h"
#include "core/ring.h"

/*
 * Take the next packet of c for ring. buffer_len 0: zero-copy, *buffer points
 * into the slot (valid until the next consumer call on c); otherwise copied
 * into *buffer, cut to buffer_len. Either way cut to ring->caplen. Fills hdr:
 * timestamps, caplen, len, and the extended header from the slot when
 * long_slots (the ring's slots carry one), else zeroed with timestamp_ns set;
 * sets ring->last_pkt_timestamp_ns. v (may be NULL) gets the view, v->caplen
 * the bytes handed out. Returns 1, 0 (empty) or -PF_EBADMSG (corrupt ring).
 */
int pf_ring_read(pfring *ring, struct pf_ring_cons *c, int long_slots, u_char **buffer,
		 u_int buffer_len, struct pfring_pkthdr *hdr, struct pf_ring_view *v);

#endif /* PF_BACKENDS_RING_READ_H */
