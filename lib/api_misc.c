/*
 * lib/api_misc.c - spec 8.14: enabling, statistics, settings, device
 * information, hardware clock.
 *
 * Settings the front keeps in struct __pfring (poll watermark, poll duration,
 * application name, socket mode) are stored when the backend has no op for
 * them, or when its op accepted the value; the TX watermark needs the op.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/api_internal.h"

int pfring_enable_ring(pfring *ring)
{
	int rc;

	PF_REQUIRE(ring);
	if (ring->is_shutting_down)
		return pf_api_fail(PF_RING_ERROR_INVALID_STATUS, ESHUTDOWN);
	if (ring->enabled)
		return 0;
	if (PF_HAS(ring, enable_ring)) {
		rc = ring->backend->enable_ring(ring);
		if (rc < 0)
			return rc;
	}
	ring->enabled = 1;
	return 0;
}

int pfring_disable_ring(pfring *ring)
{
	int rc;

	PF_REQUIRE(ring);
	if (!ring->enabled)
		return 0;
	if (PF_HAS(ring, disable_ring)) {
		rc = ring->backend->disable_ring(ring);
		if (rc < 0)
			return rc;
	}
	ring->enabled = 0;
	return 0;
}

int pfring_stats(pfring *ring, pfring_stat *stats)
{
	PF_REQUIRE(ring && stats);
	PF_REQUIRE_OP(ring, stats);
	return ring->backend->stats(ring, stats);
}

/* The version the backend's home reports (pf_ring.ko: SO_GET_RING_VERSION),
 * else the library's; the ABI handshake with a kernel module is done at open. */
int pfring_version(pfring *ring, u_int32_t *version)
{
	PF_REQUIRE(ring && version);
	if (PF_HAS(ring, version))
		return ring->backend->version(ring, version);
	*version = RING_VERSION_NUM;
	return 0;
}

int pfring_set_direction(pfring *ring, packet_direction direction)
{
	int rc;

	PF_REQUIRE(ring);
	PF_REQUIRE((unsigned int)direction <= (unsigned int)tx_only_direction);
	PF_REQUIRE_OP(ring, set_direction);
	rc = ring->backend->set_direction(ring, direction);
	if (rc == 0)
		ring->direction = direction;
	return rc;
}

/* The front refuses recv on send-only and send on recv-only rings itself. */
int pfring_set_socket_mode(pfring *ring, socket_mode mode)
{
	int rc = 0;

	PF_REQUIRE(ring);
	PF_REQUIRE((unsigned int)mode <= (unsigned int)recv_only_mode);
	if (PF_HAS(ring, set_socket_mode))
		rc = ring->backend->set_socket_mode(ring, mode);
	if (rc == 0)
		ring->mode = mode;
	return rc;
}

int pfring_set_poll_watermark(pfring *ring, u_int16_t watermark)
{
	int rc = 0;

	PF_REQUIRE(ring);
	if (PF_HAS(ring, set_poll_watermark))
		rc = ring->backend->set_poll_watermark(ring, watermark);
	if (rc == 0)
		ring->poll_watermark = watermark;
	return rc;
}

/* Only where a backend batches transmission (userspace: publishes every
 * watermark frames): elsewhere every send goes out at once, and a stored value
 * would claim an effect it has not, so that is NOT_SUPPORTED (as 5.4.6's
 * kernel-module rings answered; its pfsend -w prints the failure and goes on). */
int pfring_set_tx_watermark(pfring *ring, u_int16_t watermark)
{
	int rc;

	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, set_tx_watermark);
	rc = ring->backend->set_tx_watermark(ring, watermark);
	if (rc == 0)
		ring->tx_watermark = watermark;
	return rc;
}

/* ring->poll_duration is 16 bits: more than 65535 msec is refused. */
int pfring_set_poll_duration(pfring *ring, u_int duration)
{
	int rc = 0;

	PF_REQUIRE(ring && duration <= 0xffff);
	if (PF_HAS(ring, set_poll_duration))
		rc = ring->backend->set_poll_duration(ring, duration);
	if (rc == 0)
		ring->poll_duration = (u_int16_t)duration;
	return rc;
}

int pfring_set_application_name(pfring *ring, char *name)
{
	char *copy;
	int rc = 0;

	PF_REQUIRE(ring && name);
	copy = strdup(name);
	if (copy == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
	if (PF_HAS(ring, set_application_name))
		rc = ring->backend->set_application_name(ring, copy);
	if (rc < 0) {
		free(copy);
		return rc;
	}
	free(ring->appl_name);
	ring->appl_name = copy;
	return 0;
}

int pfring_set_channel_id(pfring *ring, u_int32_t channel_id)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, set_channel_id);
	return ring->backend->set_channel_id(ring, channel_id);
}

int pfring_get_bound_device_address(pfring *ring, u_char mac_address[6])
{
	PF_REQUIRE(ring && mac_address);
	PF_REQUIRE_OP(ring, get_bound_device_address);
	return ring->backend->get_bound_device_address(ring, mac_address);
}

int pfring_get_bound_device_id(pfring *ring, int *device_id)
{
	PF_REQUIRE(ring && device_id);
	PF_REQUIRE_OP(ring, get_bound_device_id);
	return ring->backend->get_bound_device_id(ring, device_id);
}

int pfring_get_bound_device_ifindex(pfring *ring, int *if_index)
{
	PF_REQUIRE(ring && if_index);
	PF_REQUIRE_OP(ring, get_bound_device_ifindex);
	return ring->backend->get_bound_device_ifindex(ring, if_index);
}

/* The return type has no room for errors: they come back cast to u_int16_t,
 * as in PF_RING 5.4.6 ((u_int16_t)PF_RING_ERROR_NOT_SUPPORTED == 65529). */
u_int16_t pfring_get_ring_id(pfring *ring)
{
	if (ring == NULL)
		return (u_int16_t)pf_api_invalid();
	if (!PF_HAS(ring, get_ring_id))
		return (u_int16_t)pf_api_unsupported();
	return ring->backend->get_ring_id(ring);
}

/* 1 when unknown (spec 8.14); 0 only for a NULL ring (errno EINVAL). */
u_int8_t pfring_get_num_rx_channels(pfring *ring)
{
	if (ring == NULL) {
		pf_api_invalid();
		return 0;
	}
	if (!PF_HAS(ring, get_num_rx_channels))
		return 1;
	return ring->backend->get_num_rx_channels(ring);
}

/* ring->fd, -1 when the backend has nothing to poll(2) on. */
int pfring_get_selectable_fd(pfring *ring)
{
	PF_REQUIRE(ring);
	if (PF_HAS(ring, get_selectable_fd))
		return ring->backend->get_selectable_fd(ring);
	return ring->fd;
}

int pfring_enable_rss_rehash(pfring *ring)
{
	PF_REQUIRE(ring);
	PF_REQUIRE_OP(ring, enable_rss_rehash);
	return ring->backend->enable_rss_rehash(ring);
}

static int valid_timespec(const struct timespec *ts)
{
	return ts && ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

int pfring_get_device_clock(pfring *ring, struct timespec *ts)
{
	PF_REQUIRE(ring && ts);
	PF_REQUIRE_OP(ring, get_device_clock);
	return ring->backend->get_device_clock(ring, ts);
}

int pfring_set_device_clock(pfring *ring, struct timespec *ts)
{
	PF_REQUIRE(ring && valid_timespec(ts));
	PF_REQUIRE_OP(ring, set_device_clock);
	return ring->backend->set_device_clock(ring, ts);
}

/* sign < 0 moves the clock back by *offset, any other value forward; the
 * backend always sees -1 or +1. */
int pfring_adjust_device_clock(pfring *ring, struct timespec *offset, int8_t sign)
{
	PF_REQUIRE(ring && valid_timespec(offset));
	PF_REQUIRE_OP(ring, adjust_device_clock);
	return ring->backend->adjust_device_clock(ring, offset, sign < 0 ? -1 : 1);
}

int pfring_enable_hw_timestamp(pfring *ring, char *device_name,
			       u_int8_t enable_rx, u_int8_t enable_tx)
{
	PF_REQUIRE(ring && device_name);
	PF_REQUIRE_OP(ring, enable_hw_timestamp);
	return ring->backend->enable_hw_timestamp(ring, device_name,
						  enable_rx ? 1 : 0, enable_tx ? 1 : 0);
}

/* The backend's answer, else ring->mtu_len when the backend filled it at open. */
int pfring_get_mtu_size(pfring *ring)
{
	PF_REQUIRE(ring);
	if (PF_HAS(ring, get_mtu_size))
		return ring->backend->get_mtu_size(ring);
	if (ring->mtu_len)
		return ring->mtu_len;
	return pf_api_unsupported();
}

/* sizeof(struct pfring_pkthdr) unless the backend changed it at open; 0 and
 * errno EINVAL for a NULL ring. */
u_int16_t pfring_get_slot_header_len(pfring *ring)
{
	if (ring == NULL) {
		pf_api_invalid();
		return 0;
	}
	return ring->slot_header_len;
}
