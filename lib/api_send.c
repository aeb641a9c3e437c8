/*
 * lib/api_send.c - spec 8.13: transmission.
 *
 * Every call needs an enabled ring that is not recv-only; with
 * PF_RING_REENTRANT the backend runs under tx_lock.
 */
#include "lib/api_internal.h"

/* Ethernet header + one VLAN tag on top of the MTU. */
#define PF_L2_OVERHEAD 18u

static int check_len(const pfring *ring, u_int pkt_len)
{
	if (pkt_len == 0 || pkt_len > MAX_CAPLEN)
		return 0;
	return ring->mtu_len == 0 || pkt_len <= ring->mtu_len + PF_L2_OVERHEAD;
}

/* pkt NULL: the next TX slot as pfring_copy_tx_packet_into_slot filled it
 * (5.4.6's DNA zero copy, pfsend), where the backend has slots. */
int pfring_send(pfring *ring, char *pkt, u_int pkt_len, u_int8_t flush_packet)
{
	int rc;

	PF_REQUIRE(ring && (pkt || PF_HAS(ring, copy_tx_packet_into_slot)) &&
		   check_len(ring, pkt_len));
	PF_REQUIRE_OP(ring, send);
	rc = pf_api_tx_state(ring);
	if (rc)
		return rc;
	pf_tx_lock(ring);
	rc = ring->backend->send(ring, (const u_char *)pkt, pkt_len, flush_packet);
	pf_tx_unlock(ring);
	return rc;
}

int pfring_send_ifindex(pfring *ring, char *pkt, u_int pkt_len,
			u_int8_t flush_packet, int if_index)
{
	int rc;

	PF_REQUIRE(ring && pkt && check_len(ring, pkt_len));
	PF_REQUIRE_OP(ring, send_ifindex);
	rc = pf_api_tx_state(ring);
	if (rc)
		return rc;
	pf_tx_lock(ring);
	rc = ring->backend->send_ifindex(ring, (const u_char *)pkt, pkt_len,
					 flush_packet, if_index);
	pf_tx_unlock(ring);
	return rc;
}

int pfring_send_get_time(pfring *ring, char *pkt, u_int pkt_len, struct timespec *ts)
{
	int rc;

	PF_REQUIRE(ring && pkt && ts && check_len(ring, pkt_len));
	PF_REQUIRE_OP(ring, send_get_time);
	rc = pf_api_tx_state(ring);
	if (rc)
		return rc;
	pf_tx_lock(ring);
	rc = ring->backend->send_get_time(ring, (const u_char *)pkt, pkt_len, ts);
	pf_tx_unlock(ring);
	return rc;
}

/* "Last" has no meaning when several threads receive, and the packet is only
 * known with the long header: not supported then (as PF_RING 5.x). */
int pfring_send_last_rx_packet(pfring *ring, int tx_interface_id)
{
	int rc;

	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, send_last_rx_packet);
	if (ring->reentrant || !ring->long_header)
		return pf_api_unsupported();
	rc = pf_api_tx_state(ring);
	if (rc)
		return rc;
	pf_tx_lock(ring);
	rc = ring->backend->send_last_rx_packet(ring, tx_interface_id);
	pf_tx_unlock(ring);
	return rc;
}

int pfring_send_parsed(pfring *ring, char *pkt, struct pfring_pkthdr *hdr,
		       u_int8_t flush_packet)
{
	int rc;

	PF_REQUIRE(ring && pkt && hdr && check_len(ring, hdr->caplen));
	PF_REQUIRE_OP(ring, send_parsed);
	rc = pf_api_tx_state(ring);
	if (rc)
		return rc;
	pf_tx_lock(ring);
	rc = ring->backend->send_parsed(ring, (const u_char *)pkt, hdr, flush_packet);
	pf_tx_unlock(ring);
	return rc;
}
