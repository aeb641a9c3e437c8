/*
 * lib/api_promisc.c - pfring_set_if_promisc(): no ring, only a device name.
 *
 * A name with a prefix goes to that backend's set_if_promisc op. A name without
 * one is a kernel interface (or a list of them, queues ignored): its IFF_PROMISC
 * flag is changed with SIOCGIFFLAGS / SIOCSIFFLAGS, which needs CAP_NET_ADMIN
 * unless the flag already has the wanted value (then nothing is written).
 */
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/api_internal.h"
#include "lib/devname.h"

static int os_set_promisc(int sock, const char *ifname, int set_promisc)
{
	struct ifreq ifr;
	int is_promisc;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, ENODEV);
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return errno == ENODEV || errno == ENXIO ?
			PF_RING_ERROR_UNKNOWN_ADAPTER : PF_RING_ERROR_GENERIC;
	is_promisc = !!(ifr.ifr_flags & IFF_PROMISC);
	if (is_promisc == !!set_promisc)
		return 0;
	if (set_promisc)
		ifr.ifr_flags |= IFF_PROMISC;
	else
		ifr.ifr_flags &= ~IFF_PROMISC;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		return PF_RING_ERROR_GENERIC;
	return 0;
}

static int os_set_promisc_list(const struct pf_devname *dn, int set_promisc)
{
	unsigned int i;
	int sock, rc = 0;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return PF_RING_ERROR_GENERIC;
	for (i = 0; i < dn->num_members && rc == 0; i++)
		rc = os_set_promisc(sock, dn->member[i].name, set_promisc);
	close(sock);
	return rc;
}

int pfring_set_if_promisc(const char *device, int set_promisc)
{
	const struct pfring_backend *b;
	struct pf_devname dn;

	PF_REQUIRE(device && pf_devname_parse(device, &dn) == PF_DEVNAME_OK);
	if (dn.prefix[0] == '\0' && dn.options)   /* "eth0?x" names no interface */
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, ENODEV);
	if (dn.prefix[0] == '\0')
		return os_set_promisc_list(&dn, set_promisc);
	b = pfring_backend_find(dn.prefix);
	if (b == NULL)
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, ENODEV);
	if (b->set_if_promisc == NULL)
		return pf_api_unsupported();
	return b->set_if_promisc(device + strlen(dn.prefix), set_promisc);
}
