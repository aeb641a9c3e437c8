/*
 * backends/dna/dna_tx.c - sending on a dna: ring. pfring_send copies the frame
 * into a TX buffer of the NIC (pf_nic_tx_batch); the NIC sees it when the tail
 * register is written (pf_nic_tx_flush): at once with flush_packet, else once
 * tx_watermark frames wait (pfring_set_tx_watermark; DNA_TX_WATERMARK by
 * default), and at close. A full ring is flushed and asked once more before
 * PF_RING_ERROR_NO_TX_SLOT_AVAILABLE (errno EAGAIN): the caller retries.
 *
 * TX slots (5.4.6's zero-copy pfsend): pfring_copy_tx_packet_into_slot fills
 * slot i, pfring_send(ring, NULL, len, flush) sends the next slot as filled.
 * 5.4.6 wrote into the NIC's own buffers; here a slot is the ring's copy,
 * and the send copies it into the NIC's buffer (drivers/device.h's tx_batch
 * copies): programs see 5.4.6's behaviour, at the cost of one copy.
 * Every send moves the slot cursor by one, as 5.4.6's descriptor index.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/dna/dna.h"
#include "lib/api_internal.h"

/* Under dev->lock. */
static void flush(struct dna_ring *r)
{
	pf_nic_tx_flush(r->dev->nic, r->tx_q);
	r->tx_pending = 0;
}

/* The frame of pfring_send: pkt, or with pkt NULL the next slot. NULL after a
 * message when that slot was never filled. */
static const u_char *frame_of(pfring *ring, struct dna_ring *r, const u_char *pkt,
			      u_int pkt_len)
{
	if (pkt)
		return pkt;
	if (r->slots == NULL || pkt_len > DNA_SLOT_BYTES) {
		pf_api_message("pfring_send(%s, NULL, %u): no TX slot to send: fill the slots "
			       "with pfring_copy_tx_packet_into_slot (%u bytes each) first",
			       ring->device_name, pkt_len, DNA_SLOT_BYTES);
		return NULL;
	}
	return r->slots + (size_t)r->tx_slot * DNA_SLOT_BYTES;
}

int dna_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush_packet)
{
	struct dna_ring *r = dna_ring_of(ring);
	struct pf_nic_tx frame = { .data = frame_of(ring, r, pkt, pkt_len),
				   .len = (uint16_t)pkt_len };
	u_int watermark = ring->tx_watermark ? ring->tx_watermark : 1;
	int rc;

	if (frame.data == NULL || pkt_len > 0xffff)
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	pthread_mutex_lock(&r->dev->lock);
	rc = pf_nic_tx_batch(r->dev->nic, r->tx_q, &frame, 1);
	if (rc == 0 && r->tx_pending) {
		flush(r);
		rc = pf_nic_tx_batch(r->dev->nic, r->tx_q, &frame, 1);
	}
	if (rc == 1) {
		r->tx_slot = (r->tx_slot + 1) % DNA_RING_SLOTS;
		if (++r->tx_pending >= watermark || flush_packet)
			flush(r);
	}
	pthread_mutex_unlock(&r->dev->lock);
	if (rc < 0)     /* the driver said which length it takes */
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE);
	if (rc == 0)
		return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, EAGAIN);
	return (int)pkt_len;
}

/* Any value: 0 and 1 both write the tail at every frame. */
int dna_set_tx_watermark(pfring *ring, u_int16_t watermark)
{
	(void)ring;
	(void)watermark;
	return 0;
}

void dna_tx_flush_all(pfring *ring)
{
	struct dna_ring *r = dna_ring_of(ring);

	pthread_mutex_lock(&r->dev->lock);
	flush(r);
	pthread_mutex_unlock(&r->dev->lock);
}

u_int dna_num_tx_slots(pfring *ring)
{
	(void)ring;
	return DNA_RING_SLOTS;
}

u_int dna_num_rx_slots(pfring *ring)
{
	(void)ring;
	return DNA_RING_SLOTS;
}

u_int dna_next_free_tx_slot(pfring *ring)
{
	return dna_ring_of(ring)->tx_slot;
}

int dna_copy_into_slot(pfring *ring, u_int16_t slot, const char *buffer, u_int len)
{
	struct dna_ring *r = dna_ring_of(ring);

	if (slot >= DNA_RING_SLOTS || len == 0 || len > DNA_SLOT_BYTES) {
		pf_api_message("pfring_copy_tx_packet_into_slot(%s, %u, %u bytes): slots 0..%u, "
			       "1 to %u bytes", ring->device_name, slot, len, DNA_RING_SLOTS - 1,
			       DNA_SLOT_BYTES);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	if (r->slots == NULL) {
		r->slots = calloc(DNA_RING_SLOTS, DNA_SLOT_BYTES);
		if (r->slots == NULL)
			return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	}
	memcpy(r->slots + (size_t)slot * DNA_SLOT_BYTES, buffer, len);
	return 0;
}
