/* tools/lib/cluster_rings.c - see cluster_rings.h */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tools/lib/cluster_rings.h"
#include "tools/lib/devlist.h"
#include "tools/lib/tool.h"

/* Opens one device as a socket of the cluster; NULL after a message. */
static pfring *open_socket(const char *prog, const char *dev, int cluster_id, int socket,
			   const char *bpf)
{
	char name[64];
	int rc;
	pfring *r = pfring_open(dev, CLUSTER_SNAPLEN, PF_RING_PROMISC);

	if (r == NULL) {
		fprintf(stderr, "%s: pfring_open(%s) failed: %s\n", prog, dev, strerror(errno));
		return NULL;
	}
	if (socket == 0) {
		u_int32_t version = 0;

		pfring_version(r, &version);
		printf("Using PF_RING v.%u.%u.%u\n", (version >> 16) & 0xffff,
		       (version >> 8) & 0xff, version & 0xff);
	}
	snprintf(name, sizeof(name), "%s-cluster-%d-socket-%d", prog, cluster_id, socket);
	pfring_set_application_name(r, name);
	/* RX only: on a sim: NIC a ring also sees what the NIC sends, and the
	 * cluster's own TX would come back in (a device that cannot tell the
	 * directions apart refuses this: it does not matter there) */
	pfring_set_direction(r, rx_only_direction);
	if (bpf && (rc = pfring_set_bpf_filter(r, (char *)bpf)) != 0) {
		fprintf(stderr, "%s: pfring_set_bpf_filter('%s') returned %d\n", prog, bpf, rc);
		pfring_close(r);
		return NULL;
	}
	return r;
}

int cluster_rings_register(const char *prog, pfring_dna_cluster *c, int cluster_id,
			   char *devices, const char *bpf,
			   pfring *rings[DNA_CLUSTER_MAX_NUM_SOCKETS],
			   int ifindex[DNA_CLUSTER_MAX_NUM_SOCKETS])
{
	char *cursor = devices, *dev;
	int n = 0;

	for (dev = devlist_next(&cursor); dev; dev = devlist_next(&cursor)) {
		pfring *r;

		if (n == DNA_CLUSTER_MAX_NUM_SOCKETS) {
			fprintf(stderr, "%s: more than %d devices\n", prog,
				DNA_CLUSTER_MAX_NUM_SOCKETS);
			return -1;
		}
		r = open_socket(prog, dev, cluster_id, n, bpf);
		if (r == NULL)
			return -1;
		if (pfring_get_bound_device_ifindex(r, &ifindex[n]) < 0)
			ifindex[n] = -1;
		if (dna_cluster_register_ring(c, r) < 0) {
			fprintf(stderr, "%s: dna_cluster_register_ring(%s) failed: %s\n", prog, dev,
				strerror(errno));
			pfring_close(r);
			return -1;
		}
		rings[n++] = r;
		printf("Registered %s as socket %d\n", dev, n - 1);
	}
	return n;
}
