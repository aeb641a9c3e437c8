/*
 * backends/zero/slave_buf.c - a dnacluster: ring's transmit (pfring_send,
 * copying into a spare buffer) and its pfring_pkt_buff handles (spec 9.1).
 *
 * A pfring_pkt_buff is a slot of the ring's handle table (made at the first
 * alloc, at most min(the pool's buffers, ZS_MAX_HANDLES) slots: one handle
 * per buffer is the most that can hold something). A handle holds one pool
 * buffer or none:
 *   alloc          takes a spare buffer if the master left one, else empty;
 *                  NULL (errno ENOBUFS, one line) when the table is full
 *   recv_pkt_buff  gives back what it held, holds the next received buffer
 *   send_pkt_buff  its buffer goes to the master's tx queue (len, ifindex,
 *                  extra egress as set); the handle is then empty
 *   get_data, set_len, set_ifindex, add_ifindex on an empty handle first take
 *                  a spare buffer (ENOBUFS when there is none)
 *   release        gives back what it held; the handle is gone
 * A handle is the ring's: pfring_close gives back the buffers of those still
 * alive and frees them, so a handle is not to be used after its ring's close.
 * A pointer that is not a live handle of the ring is refused (EINVAL, one line).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/zero/slave.h"
#include "lib/api_internal.h"

/* ------------------------------------------------------------ pfring_send */

/* Copies pkt into a spare buffer for the master to send out of its first
 * registered ring (ifindex 0). No spare buffer now (or the tx queue full):
 * PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, errno EAGAIN; the master tops the
 * spares up in its loop. flush: the master takes the tx queue in its own loop,
 * nothing to push. */
int zs_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush)
{
	struct zs_ring *r = zs_ring_of(ring);

	(void)flush;
	if (pkt_len > ZC_BUF_DATA) {
		pf_api_message("pfring_send(%s, %u bytes): a DNA Cluster buffer holds %u bytes",
			       ring->device_name, pkt_len, ZC_BUF_DATA);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE);
	}
	if (r->tx_spare == ZC_NO_HANDLE && zc_pool_spare_take(r->pool, &r->tx_spare, 1) == 0) {
		r->tx_spare = ZC_NO_HANDLE;
		return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, EAGAIN);
	}
	struct zc_buf *b = zc_pool_buf(r->pool, r->tx_spare);

	memcpy(zc_pool_data(r->pool, r->tx_spare), pkt, pkt_len);
	b->len = pkt_len;
	b->ifindex = 0;
	b->num_extra_egress = 0;
	if (zc_pool_send(r->pool, &r->tx_spare, 1) == 0)
		return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, EAGAIN);  /* kept for the next */
	r->tx_spare = ZC_NO_HANDLE;
	return (int)pkt_len;
}

/* ------------------------------------------------------------ the handles */

/* The live handle p of ring, or NULL after a message and errno EINVAL. */
static struct zs_handle *handle_of(pfring *ring, pfring_pkt_buff *p, const char *call)
{
	struct zs_ring *r = zs_ring_of(ring);
	uintptr_t a = (uintptr_t)p, base = (uintptr_t)r->handles;

	if (r->handles && a >= base && a < base + (uintptr_t)r->used * sizeof(struct zs_handle) &&
	    (a - base) % sizeof(struct zs_handle) == 0 && ((struct zs_handle *)p)->live)
		return p;
	pf_api_message("%s(%s): %p is not a live pfring_pkt_buff of this ring (from "
		       "pfring_alloc_pkt_buff, not yet released)", call, ring->device_name, p);
	pf_api_invalid();
	return NULL;
}

/* h holds a buffer: its own, or a spare taken now. 0, or
 * PF_RING_ERROR_NO_TX_SLOT_AVAILABLE (errno ENOBUFS) without a spare. */
static int filled(struct zs_ring *r, struct zs_handle *h)
{
	if (h->buf != ZC_NO_HANDLE)
		return 0;
	if (zc_pool_spare_take(r->pool, &h->buf, 1) == 1)
		return 0;
	h->buf = ZC_NO_HANDLE;
	return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, ENOBUFS);
}

static int make_table(struct zs_ring *r)
{
	uint32_t n = zc_pool_num_buffers(r->pool);

	r->max_handles = n < ZS_MAX_HANDLES ? n : ZS_MAX_HANDLES;
	r->handles = calloc(r->max_handles, sizeof(*r->handles));
	r->free_head = ZC_NO_HANDLE;
	return r->handles ? 0 : -1;
}

pfring_pkt_buff *zs_alloc_pkt_buff(pfring *ring)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h;

	if (r->handles == NULL && make_table(r) != 0) {
		pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
		return NULL;
	}
	if (r->free_head != ZC_NO_HANDLE) {
		h = &r->handles[r->free_head];
		r->free_head = h->next_free;
	} else if (r->used < r->max_handles) {
		h = &r->handles[r->used++];
	} else {
		pf_api_message("pfring_alloc_pkt_buff(%s): %u handles alive, the most a ring has "
			       "(one per buffer of the cluster): release some first",
			       ring->device_name, r->max_handles);
		pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, ENOBUFS);
		return NULL;
	}
	h->live = true;
	h->buf = ZC_NO_HANDLE;
	if (zc_pool_spare_take(r->pool, &h->buf, 1) == 0)
		h->buf = ZC_NO_HANDLE;
	r->live_handles++;
	return h;
}

void zs_release_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_release_pkt_buff");

	if (h == NULL)
		return;
	if (h->buf != ZC_NO_HANDLE)
		zs_give_back(r, h->buf);
	h->buf = ZC_NO_HANDLE;
	h->live = false;
	h->next_free = r->free_head;
	r->free_head = (uint32_t)(h - r->handles);
	r->live_handles--;
}

int zs_recv_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle, struct pfring_pkthdr *hdr,
		     u_int8_t wait)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_recv_pkt_buff");
	uint32_t b;
	int rc;

	if (h == NULL)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (h->buf != ZC_NO_HANDLE) {
		zs_give_back(r, h->buf);
		h->buf = ZC_NO_HANDLE;
	}
	rc = zs_next_buffer(ring, wait, &b, "pfring_recv_pkt_buff");
	if (rc <= 0)
		return rc;
	h->buf = b;
	struct zc_buf *zb = zc_pool_buf(r->pool, b);
	u_int len = zb->len < ZC_BUF_DATA ? zb->len : ZC_BUF_DATA;

	zs_fill_header(ring, zb, len < ring->caplen ? len : ring->caplen, hdr);
	return 1;
}

int zs_send_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle, u_int8_t flush)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_send_pkt_buff");

	(void)flush;  /* the master takes the tx queue in its loop */
	if (h == NULL)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (h->buf == ZC_NO_HANDLE || zc_pool_buf(r->pool, h->buf)->len == 0) {
		pf_api_message("pfring_send_pkt_buff(%s): the handle holds no packet (receive one "
			       "into it, or set its length)", ring->device_name);
		return pf_api_invalid();
	}
	u_int32_t len = zc_pool_buf(r->pool, h->buf)->len;

	if (zc_pool_send(r->pool, &h->buf, 1) == 0)
		return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, EAGAIN);
	h->buf = ZC_NO_HANDLE;  /* the master's now: the handle is reset, empty */
	return (int)len;
}

u_char *zs_get_pkt_buff_data(pfring *ring, pfring_pkt_buff *pkt_handle)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_get_pkt_buff_data");

	if (h == NULL || filled(r, h) != 0)
		return NULL;
	return zc_pool_data(r->pool, h->buf);
}

int zs_set_pkt_buff_len(pfring *ring, pfring_pkt_buff *pkt_handle, u_int32_t len)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_set_pkt_buff_len");
	int rc;

	if (h == NULL)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (len > ZC_BUF_DATA) {
		pf_api_message("pfring_set_pkt_buff_len(%s, %u): a DNA Cluster buffer holds %u bytes",
			       ring->device_name, len, ZC_BUF_DATA);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE);
	}
	if ((rc = filled(r, h)) != 0)
		return rc;
	zc_pool_buf(r->pool, h->buf)->len = len;
	return 0;
}

/* The port the master sends the buffer out of (its registered ring of that
 * ifindex; 0: the first one); the extra egress ports are cleared. */
int zs_set_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_set_pkt_buff_ifindex");
	int rc;

	if (h == NULL)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (if_index < 0) {
		pf_api_message("pfring_set_pkt_buff_ifindex(%s, %d): an interface index is 0 or more",
			       ring->device_name, if_index);
		return pf_api_invalid();
	}
	if ((rc = filled(r, h)) != 0)
		return rc;
	struct zc_buf *b = zc_pool_buf(r->pool, h->buf);

	b->ifindex = (uint32_t)if_index;
	b->num_extra_egress = 0;
	return 0;
}

/* One more port to send the buffer out of, after its ifindex (fan-out on
 * TX): ZC_MAX_EXTRA_EGRESS at most. */
int zs_add_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index)
{
	struct zs_ring *r = zs_ring_of(ring);
	struct zs_handle *h = handle_of(ring, pkt_handle, "pfring_add_pkt_buff_ifindex");
	int rc;

	if (h == NULL)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (if_index < 0) {
		pf_api_message("pfring_add_pkt_buff_ifindex(%s, %d): an interface index is 0 or more",
			       ring->device_name, if_index);
		return pf_api_invalid();
	}
	if ((rc = filled(r, h)) != 0)
		return rc;
	struct zc_buf *b = zc_pool_buf(r->pool, h->buf);

	if (b->num_extra_egress >= ZC_MAX_EXTRA_EGRESS) {
		pf_api_message("pfring_add_pkt_buff_ifindex(%s, %d): a buffer goes out of %u more "
			       "interfaces at most", ring->device_name, if_index,
			       ZC_MAX_EXTRA_EGRESS);
		return pf_api_invalid();
	}
	b->extra_egress[b->num_extra_egress++] = (uint32_t)if_index;
	return 0;
}

void zs_buf_free_all(struct zs_ring *r)
{
	for (uint32_t i = 0; i < r->used; i++)
		if (r->handles[i].live && r->handles[i].buf != ZC_NO_HANDLE)
			zs_give_back(r, r->handles[i].buf);
	free(r->handles);
	r->handles = NULL;
	r->used = r->live_handles = 0;
}
