/*
 * lib/api_common.c - the receive and transmit state checks of the front, and
 * the core -> API error mapping.
 */
#include "lib/api_internal.h"
#include "core/errors.h"

/* Shared by every receive entry point (recv, loop, recv_pkt_buff). */
int pf_api_rx_state(pfring *ring)
{
	if (ring->is_shutting_down)
		return pf_api_fail(PF_RING_ERROR_INVALID_STATUS, ESHUTDOWN);
	if (!ring->enabled)
		return pf_api_fail(PF_RING_ERROR_NOT_ENABLED, EAGAIN);
	if (ring->mode == send_only_mode)
		return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EINVAL);
	return 0;
}

int pf_api_tx_state(pfring *ring)
{
	if (ring->is_shutting_down)
		return pf_api_fail(PF_RING_ERROR_INVALID_STATUS, ESHUTDOWN);
	if (!ring->enabled)
		return pf_api_fail(PF_RING_ERROR_NOT_ENABLED, EAGAIN);
	if (ring->mode == recv_only_mode)
		return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EINVAL);
	return 0;
}

int pfring_error_from_core(int rc)
{
	if (rc >= 0)
		return rc;
	errno = -rc;
	switch (-rc) {
	case PF_EINVAL:
	case PF_E2BIG:
	case PF_EEXIST:
	case PF_ENOENT:
		return PF_RING_ERROR_INVALID_ARGUMENT;
	case PF_ENOTSUP:
		return PF_RING_ERROR_NOT_SUPPORTED;
	case PF_EPROTO:
		return PF_RING_ERROR_INVALID_LIB_VERSION;
	case PF_ENOMEM:
		return PF_RING_ERROR_NOT_ENOUGH_MEMORY;
	default: /* PF_ENOSPC, anything else */
		return PF_RING_ERROR_GENERIC;
	}
}
