/*
 * lib/api_recv.c - spec 8.6: reading packets.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/api_internal.h"

/* The backend's recv under rx_lock; the caller checked arguments and state.
 * A reader that waited for the lock while the ring was closed reads nothing. */
static int locked_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		       struct pfring_pkthdr *hdr, u_int8_t wait)
{
	int rc = 0;

	pf_rx_lock(ring);
	if (!pf_shutting_down(ring))
		rc = ring->backend->recv(ring, buffer, buffer_len, hdr, wait);
	pf_rx_unlock(ring);
	return rc;
}

static int counted_recv(pfring *ring, u_char **buffer, u_int buffer_len,
			struct pfring_pkthdr *hdr, u_int8_t wait)
{
	int rc = pf_api_rx_state(ring);

	if (rc)
		return rc;
	/* a breakloop from an earlier loop must not stop this blocking call;
	 * a close that began meanwhile keeps its break (api_internal.h) */
	pf_set_break(ring, 0);
	if (pf_shutting_down(ring)) {
		pf_set_break(ring, 1);
		return 0;
	}
	return locked_recv(ring, buffer, buffer_len, hdr, wait);
}

int pfring_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet)
{
	int rc;

	PF_REQUIRE(ring && buffer && hdr);
	PF_REQUIRE(buffer_len == 0 || *buffer != NULL);
	/* zero-copy hands out a pointer into the ring that the next recv of
	 * another thread would recycle: not with PF_RING_REENTRANT (as 5.4.6) */
	PF_REQUIRE(buffer_len > 0 || !ring->reentrant);
	PF_REQUIRE_OP(ring, recv);
	pf_caller_enter(ring);
	rc = counted_recv(ring, buffer, buffer_len, hdr, wait_for_incoming_packet);
	pf_caller_leave(ring);
	return rc;
}

/*
 * Returns recv's result (1 with a packet, parsed into hdr->extended_hdr), not
 * the parse level: a packet cut inside its Ethernet header parses to level 0
 * and must still count as received.
 */
int pfring_recv_parsed(pfring *ring, u_char **buffer, u_int buffer_len,
		       struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet,
		       u_int8_t level, u_int8_t add_timestamp, u_int8_t add_hash)
{
	int rc;

	PF_REQUIRE(level >= PF_RING_PARSE_L2);
	rc = pfring_recv(ring, buffer, buffer_len, hdr, wait_for_incoming_packet);
	if (rc <= 0)
		return rc;
	/* never parse past what was stored in the caller's buffer */
	if (buffer_len > 0 && hdr->caplen > buffer_len)
		hdr->caplen = buffer_len;
	pfring_parse_pkt(*buffer, hdr, level, add_timestamp, add_hash);
	return rc;
}

/*
 * Calls looper for every packet until pfring_breakloop() (returns 0) or a recv
 * error (returns it). wait_for_packet 0 is an active wait. A reentrant ring
 * reads into a private buffer of caplen bytes instead of zero-copy.
 */
static int counted_loop(pfring *ring, pfringProcessPacket looper,
			const u_char *user_bytes, u_int8_t wait_for_packet)
{
	struct pfring_pkthdr hdr;
	u_char *copy = NULL, *buffer = NULL;
	u_int buffer_len = 0;
	int rc = pf_api_rx_state(ring);

	if (rc)
		return rc;
	if (ring->reentrant) {
		copy = malloc(ring->caplen);
		if (copy == NULL)
			return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
		buffer_len = ring->caplen;
	}
	memset(&hdr, 0, sizeof(hdr));
	pf_set_break(ring, 0);
	rc = 0;
	while (!pf_break_requested(ring) && !pf_shutting_down(ring)) {
		buffer = copy;
		rc = locked_recv(ring, &buffer, buffer_len, &hdr, wait_for_packet);
		if (rc < 0)
			break;
		if (rc > 0)
			looper(&hdr, buffer, user_bytes);
		rc = 0;
	}
	free(copy);
	return rc;
}

int pfring_loop(pfring *ring, pfringProcessPacket looper,
		const u_char *user_bytes, u_int8_t wait_for_packet)
{
	int rc;

	PF_REQUIRE(ring && looper);
	PF_REQUIRE_OP(ring, recv);
	pf_caller_enter(ring);
	rc = counted_loop(ring, looper, user_bytes, wait_for_packet);
	pf_caller_leave(ring);
	return rc;
}

void pfring_breakloop(pfring *ring)
{
	if (ring == NULL) {
		errno = EINVAL;
		return;
	}
	pf_set_break(ring, 1);
}

int pfring_next_pkt_time(pfring *ring, struct timespec *ts)
{
	PF_REQUIRE(ring && ts);
	PF_REQUIRE_OP(ring, next_pkt_time);
	return ring->backend->next_pkt_time(ring, ts);
}

int pfring_next_pkt_raw_timestamp(pfring *ring, u_int64_t *timestamp_ns)
{
	PF_REQUIRE(ring && timestamp_ns);
	PF_REQUIRE_OP(ring, next_pkt_raw_timestamp);
	return ring->backend->next_pkt_raw_timestamp(ring, timestamp_ns);
}

int pfring_is_pkt_available(pfring *ring)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, is_pkt_available);
	return ring->backend->is_pkt_available(ring);
}

/* 0 when unknown (NULL ring: errno EINVAL; no backend op: errno EOPNOTSUPP). */
u_int32_t pfring_get_num_queued_pkts(pfring *ring)
{
	if (ring == NULL) {
		pf_api_invalid();
		return 0;
	}
	if (!PF_HAS(ring, get_num_queued_pkts)) {
		pf_api_unsupported();
		return 0;
	}
	return ring->backend->get_num_queued_pkts(ring);
}

/* > 0 packets are waiting, 0 timeout, < 0 error (as poll(2), PF_RING 5.4.6). */
int pfring_poll(pfring *ring, u_int wait_duration)
{
	int rc = 0;

	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, poll);
	pf_caller_enter(ring);
	ring->num_poll_calls++;
	if (!pf_shutting_down(ring))
		rc = ring->backend->poll(ring, wait_duration);
	pf_caller_leave(ring);
	return rc;
}
