/*
 * pcap_shim/pfring_calls.c - the calls of include/pcap-pfring.h: PF_RING's
 * libpcap additions, each one the libpfring call on the handle's ring.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"
#include "pcap-pfring.h"

#include <errno.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

/* The ring of an activated pfring handle, or NULL with *rc the error (and,
 * for a pfring handle, the message in its errbuf). A handle that is not
 * pfring's gets its message through the real libpcap's errbuf. */
static pfring *ring_of(pcap_t *p, const char *call, int *rc)
{
	struct shim *s = shim_find(p);

	if (s == NULL) {
		if (p != NULL)
			snprintf(shim_real()->geterr(p), PCAP_ERRBUF_SIZE,
				 "%s: not a pfring handle (libpfring-pcap)", call);
		*rc = PCAP_ERROR;
		return NULL;
	}
	if (s->ring == NULL) {
		shim_seterr(s, "%s: %s: not activated", call, s->device);
		*rc = PCAP_ERROR_NOT_ACTIVATED;
		return NULL;
	}
	return s->ring;
}

/* A libpfring result as a libpcap one, with the message for pcap_geterr. */
static int result(pcap_t *p, const char *call, int rc)
{
	if (rc == 0)
		return 0;
	shim_seterr(shim_find(p), "%s: %s", call, strerror(errno));
	return PCAP_ERROR;
}

SHIM_EXPORT int pcap_set_application_name(pcap_t *p, char *name)
{
	int rc;
	pfring *ring = ring_of(p, "pcap_set_application_name", &rc);

	if (ring == NULL)
		return rc;
	return result(p, "pcap_set_application_name", pfring_set_application_name(ring, name));
}

SHIM_EXPORT u_int32_t pcap_get_pfring_id(pcap_t *p)
{
	int rc;
	pfring *ring = ring_of(p, "pcap_get_pfring_id", &rc);
	u_int16_t id;

	if (ring == NULL)
		return 0;
	/* a ring without ids (sim:) answers PF_RING_ERROR_NOT_SUPPORTED cast
	 * to u_int16_t, which is no id: 0, as for a handle without a ring */
	errno = 0;
	id = pfring_get_ring_id(ring);
	return errno == EOPNOTSUPP ? 0 : id;
}

SHIM_EXPORT int pcap_set_master_id(pcap_t *p, u_int32_t master_id)
{
	int rc;
	pfring *ring = ring_of(p, "pcap_set_master_id", &rc);

	if (ring == NULL)
		return rc;
	return result(p, "pcap_set_master_id", pfring_set_master_id(ring, master_id));
}

SHIM_EXPORT int pcap_set_master(pcap_t *p, pcap_t *master)
{
	int rc;
	pfring *ring = ring_of(p, "pcap_set_master", &rc);
	pfring *mring;

	if (ring == NULL)
		return rc;
	if ((mring = ring_of(master, "pcap_set_master (master)", &rc)) == NULL) {
		shim_seterr(shim_find(p), "pcap_set_master: the master is not an activated pfring handle");
		return rc;
	}
	return result(p, "pcap_set_master", pfring_set_master(ring, mring));
}

SHIM_EXPORT int pcap_set_cluster(pcap_t *p, u_int cluster_id)
{
	int rc;
	pfring *ring = ring_of(p, "pcap_set_cluster", &rc);

	if (ring == NULL)
		return rc;
	return result(p, "pcap_set_cluster", pfring_set_cluster(ring, cluster_id, cluster_per_flow));
}
