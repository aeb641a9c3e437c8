/*
 * backends/zero/slave_rx.c - receiving on a dnacluster: ring. Handles come
 * from the slave's rx queue ZS_RX_BATCH at a time and are handed out one per
 * call: in place (buffer_len 0: a pointer into the pool buffer, lent until the
 * next pfring_recv or close) or copied (the buffer goes back at once).
 * Buffers go back through the release queue in batches of ZS_RELEASE_BATCH,
 * and whenever the ring finds nothing to read.
 *
 * Waiting: nothing wakes a slave, so a blocked reader polls its rx queue with
 * a back-off from 16 usec up to 1 msec (pf_poll_back_off, lib/backend.h), looks
 * at pfring_breakloop / pfring_shutdown between two polls, and asks whether
 * the master is still there (zc_pool_master_alive): once it is gone and the
 * queue is empty, every receive is PF_RING_ERROR_GENERIC, errno ENODEV.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/zero/slave.h"
#include "lib/api_internal.h"

#define ZS_GONE_EVERY    64u      /* non-blocking empty receives between two master checks */
#define ZS_CLOSE_DRAIN   256u     /* batches of the rx queue given back at close, at most */

void zs_flush_releases(struct zs_ring *r)
{
	uint32_t n;

	if (r->rel_n == 0)
		return;
	n = zc_pool_release(r->pool, r->rel, r->rel_n);
	if (n < r->rel_n)
		memmove(r->rel, r->rel + n, (r->rel_n - n) * sizeof(*r->rel));
	r->rel_n -= n;
}

void zs_give_back(struct zs_ring *r, uint32_t h)
{
	if (r->rel_n == r->rel_cap) {
		uint32_t cap = r->rel_cap ? r->rel_cap * 2 : 2 * ZS_RELEASE_BATCH;
		uint32_t *rel = realloc(r->rel, cap * sizeof(*rel));

		if (rel == NULL) {
			/* one push now; refused, it stays ours until close (the
			 * master reaps it then): held, never handed out twice */
			zc_pool_release(r->pool, &h, 1);
			return;
		}
		r->rel = rel;
		r->rel_cap = cap;
	}
	r->rel[r->rel_n++] = h;
	if (r->rel_n >= ZS_RELEASE_BATCH)
		zs_flush_releases(r);
}

/* A handle waiting in the batch, taking a new batch if it is empty. */
static bool buffer_waiting(struct zs_ring *r)
{
	if (r->rx_next < r->rx_n)
		return true;
	r->rx_next = 0;
	r->rx_n = zc_pool_recv(r->pool, r->rx, ZS_RX_BATCH);
	return r->rx_n > 0;
}

/* The master is gone and nothing is left to read: said once per ring. */
static int master_gone(pfring *ring, struct zs_ring *r, const char *call)
{
	if (!r->gone_said) {
		r->gone_said = true;
		pf_api_message("%s(%s): the master of DNA cluster %u is gone: no more packets",
			       call, ring->device_name, r->cluster_id);
	}
	return pf_api_fail(PF_RING_ERROR_GENERIC, ENODEV);
}

/* Gone, and nothing came meanwhile (it may have queued some before it went). */
static bool gone_and_empty(struct zs_ring *r)
{
	return !zc_pool_master_alive(r->pool) && !buffer_waiting(r);
}

int zs_next_buffer(pfring *ring, uint8_t wait, uint32_t *h, const char *call)
{
	struct zs_ring *r = zs_ring_of(ring);

	for (unsigned int idle = 0;; idle++) {
		if (buffer_waiting(r)) {
			*h = r->rx[r->rx_next++];
			r->received++;
			r->empty_polls = 0;
			return 1;
		}
		zs_flush_releases(r);
		if (!wait) {
			if (++r->empty_polls % ZS_GONE_EVERY == 0 && gone_and_empty(r))
				return master_gone(ring, r, call);
			return 0;
		}
		if (pf_break_requested(ring))
			return 0;
		if (gone_and_empty(r))
			return master_gone(ring, r, call);
		pf_poll_back_off(ring, idle);
	}
}

/* Without a timestamp from the master (ts_ns 0), PF_RING_TIMESTAMP takes the
 * time here, as dna: does. */
void zs_fill_header(pfring *ring, struct zc_buf *b, u_int caplen, struct pfring_pkthdr *hdr)
{
	/* a copy of a zero header: 16-byte stores, where memset's rep stos of
	 * these 200 bytes was a fifth of a receive */
	static const struct pfring_pkthdr zero;
	u_int64_t ns = b->ts_ns;

	*hdr = zero;
	if (ns == 0 && ring->force_timestamp) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ns = (u_int64_t)ts.tv_sec * 1000000000ull + (u_int64_t)ts.tv_nsec;
	}
	hdr->caplen = caplen;
	hdr->len = b->len;
	hdr->ts.tv_sec = (time_t)(ns / 1000000000ull);
	hdr->ts.tv_usec = (suseconds_t)(ns % 1000000000ull / 1000u);
	hdr->extended_hdr.timestamp_ns = ns;
	hdr->extended_hdr.rx_direction = 1;
	hdr->extended_hdr.if_index = (int32_t)b->ifindex;
	hdr->extended_hdr.pkt_hash = b->hash;
}

int zs_recv(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr,
	    u_int8_t wait)
{
	struct zs_ring *r = zs_ring_of(ring);
	uint32_t h;
	int rc;

	if (r->lent != ZC_NO_HANDLE) {
		zs_give_back(r, r->lent);
		r->lent = ZC_NO_HANDLE;
	}
	rc = zs_next_buffer(ring, wait, &h, "pfring_recv");
	if (rc <= 0)
		return rc;
	struct zc_buf *b = zc_pool_buf(r->pool, h);
	u_int len = b->len < ZC_BUF_DATA ? b->len : ZC_BUF_DATA;
	u_int caplen = len < ring->caplen ? len : ring->caplen;

	if (buffer_len == 0) {
		*buffer = zc_pool_data(r->pool, h);
		r->lent = h;
	} else {
		caplen = caplen < buffer_len ? caplen : buffer_len;
		memcpy(*buffer, zc_pool_data(r->pool, h), caplen);
	}
	zs_fill_header(ring, b, caplen, hdr);
	if (buffer_len != 0)
		zs_give_back(r, h);
	return 1;
}

/* 1 when a packet is there within wait_duration msec (-1: until one is), else
 * 0; the master gone and nothing left: PF_RING_ERROR_GENERIC, ENODEV. */
int zs_poll(pfring *ring, u_int wait_duration)
{
	struct zs_ring *r = zs_ring_of(ring);
	u_int64_t until = pf_monotonic_ms() + wait_duration;

	for (unsigned int idle = 0;; idle++) {
		if (buffer_waiting(r))
			return 1;
		zs_flush_releases(r);
		if (gone_and_empty(r))
			return master_gone(ring, r, "pfring_poll");
		if (pf_break_requested(ring) ||
		    (wait_duration != (u_int)-1 && pf_monotonic_ms() >= until))
			return 0;
		pf_poll_back_off(ring, idle);
	}
}

int zs_is_pkt_available(pfring *ring)
{
	return buffer_waiting(zs_ring_of(ring));
}

void zs_rx_release_all(struct zs_ring *r)
{
	if (r->lent != ZC_NO_HANDLE)
		zs_give_back(r, r->lent);
	r->lent = ZC_NO_HANDLE;
	/* the batch, and what is still queued (a master still handing out
	 * buffers meanwhile is bounded by ZS_CLOSE_DRAIN: the rest it reaps) */
	for (unsigned int i = 0; i < ZS_CLOSE_DRAIN && buffer_waiting(r); i++)
		while (r->rx_next < r->rx_n)
			zs_give_back(r, r->rx[r->rx_next++]);
	if (r->tx_spare != ZC_NO_HANDLE)
		zs_give_back(r, r->tx_spare);
	r->tx_spare = ZC_NO_HANDLE;
}
