/*
 * pcap_shim/misc.c - the rest of what a capture program calls on a pfring
 * handle: sending (pcap_inject, pcap_sendpacket), the capture direction
 * (pcap_setdirection) and monitor mode (pcap_can_set_rfmon: never, a pfring
 * device is not an 802.11 one; tcpdump asks on every open).
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

SHIM_EXPORT int pcap_can_set_rfmon(pcap_t *p)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->can_set_rfmon(p);
	return s->activated ? PCAP_ERROR_ACTIVATED : 0;
}

SHIM_EXPORT int pcap_inject(pcap_t *p, const void *buf, size_t size)
{
	struct shim *s = shim_find(p);
	int rc;

	if (s == NULL)
		return shim_real()->inject(p, buf, size);
	if (s->ring == NULL) {
		shim_seterr(s, "pcap_inject: %s not activated", s->device);
		return PCAP_ERROR_NOT_ACTIVATED;
	}
	rc = pfring_send(s->ring, (char *)(uintptr_t)buf, (u_int)size, 1);
	if (rc < 0) {
		shim_seterr(s, "pfring_send(%s): %s (%d)", s->device, strerror(errno), rc);
		return PCAP_ERROR;
	}
	return rc;
}

SHIM_EXPORT int pcap_sendpacket(pcap_t *p, const u_char *buf, int size)
{
	if (shim_find(p) == NULL)
		return shim_real()->sendpacket(p, buf, size);
	if (size <= 0)
		return PCAP_ERROR;
	return pcap_inject(p, buf, (size_t)size) == size ? 0 : PCAP_ERROR;
}

SHIM_EXPORT int pcap_setdirection(pcap_t *p, pcap_direction_t d)
{
	struct shim *s = shim_find(p);
	packet_direction pd;

	if (s == NULL)
		return shim_real()->setdirection(p, d);
	switch (d) {
	case PCAP_D_INOUT: pd = rx_and_tx_direction; break;
	case PCAP_D_IN: pd = rx_only_direction; break;
	case PCAP_D_OUT: pd = tx_only_direction; break;
	default:
		shim_seterr(s, "pcap_setdirection: invalid direction %d", (int)d);
		return PCAP_ERROR;
	}
	if (s->ring == NULL || pfring_set_direction(s->ring, pd) != 0) {
		shim_seterr(s, "pfring_set_direction(%s) failed", s->device);
		return PCAP_ERROR;
	}
	return 0;
}
