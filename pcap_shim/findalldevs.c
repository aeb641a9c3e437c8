/*
 * pcap_shim/findalldevs.c - pcap_findalldevs: the system's interfaces, then
 * the pfring devices that exist now and that no interface list shows (each
 * backend's list_devices: pfsim's NICs, running DNA Clusters).
 *
 * They go at the end, so that a program taking the first device (the
 * deprecated pcap_lookupdev) gets what it got without the shim. The nodes are
 * malloc'd as libpcap's own are: the real pcap_freealldevs frees them.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"
#include "lib/backend.h"

#include <stdlib.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

struct appender {
	pcap_if_t **tail; /* where the next node goes */
	int failed;       /* out of memory: stop adding */
};

static void add_device(void *ctx, const char *name, const char *description)
{
	struct appender *a = ctx;
	pcap_if_t *d;

	if (a->failed)
		return;
	d = calloc(1, sizeof(*d));
	if (d == NULL || (d->name = strdup(name)) == NULL ||
	    (d->description = strdup(description)) == NULL) {
		if (d != NULL)
			free(d->name);
		free(d);
		a->failed = 1;
		return;
	}
	d->flags = PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
	*a->tail = d;
	a->tail = &d->next;
}

SHIM_EXPORT int pcap_findalldevs(pcap_if_t **alldevsp, char *errbuf)
{
	struct appender a = { .tail = alldevsp, .failed = 0 };
	int rc = shim_real()->findalldevs(alldevsp, errbuf);

	if (rc != 0)
		return rc;
	while (*a.tail != NULL)
		a.tail = &(*a.tail)->next;
	pfring_backend_list_devices(add_device, &a);
	if (a.failed) {
		shim_real()->freealldevs(*alldevsp);
		*alldevsp = NULL;
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "pcap_findalldevs: out of memory (libpfring-pcap)");
		return PCAP_ERROR;
	}
	return 0;
}
