/*
 * backends/dna/dna_dev.c - the NICs open in this process: one struct dna_dev
 * per NIC, shared by the rings on it (one per queue), opened with the first
 * and closed with the last (pf_nic_close gives the NIC back to its kernel
 * driver), and the queues each ring reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/dna/dna.h"
#include "drivers/pci.h"
#include "lib/api_internal.h"

static pthread_mutex_t devs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dna_dev *devs;
static pf_dna_bus_opener bus_opener;

/* A PCI id of the device name names ("vendor", "device"), from sysfs; 0 when
 * it cannot be read (pf_pci_open then says what is wrong with the name). */
static unsigned int sysfs_id(const char *name, const char *which)
{
	char path[256];
	unsigned int id = 0;
	FILE *f;

	if (strchr(name, '/'))
		return 0;
	snprintf(path, sizeof(path), strchr(name, ':') ? "/sys/bus/pci/devices/%s/%s"
						      : "/sys/class/net/%s/device/%s", name, which);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%x", &id) != 1)
		id = 0;
	fclose(f);
	return id;
}

/* The real bus, on the path PFRING_DNA_BUS names ("vfio", "uio"; automatic
 * otherwise): the e2e tests force a path to see its errors. A NIC without a
 * DNA driver is refused before it is taken from its kernel driver: a
 * "dna:eth0" typed by mistake must not cut the machine's network. */
static int real_bus_open(const char *name, struct pf_bus **out, char *err, size_t errlen)
{
	const char *path = getenv("PFRING_DNA_BUS");
	enum pf_pci_path p = PF_PCI_AUTO;
	unsigned int vendor = sysfs_id(name, "vendor"), device = sysfs_id(name, "device");

	if (vendor && !pf_nic_supported((uint16_t)vendor, (uint16_t)device)) {
		snprintf(err, errlen, "%s: no DNA driver for PCI device %04x:%04x: left with its "
			 "kernel driver (pfring drives 8086:10d3 82574L/e1000e and 8086:10c9 "
			 "82576/igb)", name, vendor, device);
		return -ENODEV;
	}

	if (path && strcmp(path, "vfio") == 0)
		p = PF_PCI_VFIO;
	else if (path && strcmp(path, "uio") == 0)
		p = PF_PCI_UIO;
	return pf_pci_open_as(name, p, out, err, errlen);
}

void pf_dna_set_bus_opener(pf_dna_bus_opener opener)
{
	bus_opener = opener;
}

/* The open NIC that name names (its interface or its PCI address). Under devs_lock. */
static struct dna_dev *dev_find(const char *name)
{
	struct dna_dev *d;

	for (d = devs; d; d = d->next)
		if (strcmp(d->nic->bus->addr, name) == 0 || strcmp(d->nic->bus->ifname, name) == 0)
			return d;
	return NULL;
}

/* -errno of the bus or the driver as a PF_RING_ERROR_* and errno. */
static int open_failed(int rc)
{
	int err = rc < 0 ? -rc : EIO;

	if (err == ENODEV)
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, err);
	if (err == ENOMEM)
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, err);
	return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, err);
}

/* A reset NIC may take a while to get its link back (the igb restarts the
 * PHY's autonegotiation: about 0.5 s under QEMU); frames before then are not
 * received. The ring is usable once open returns, so open waits for the link,
 * for DNA_LINK_WAIT_MS at most: a NIC without a cable still opens. */
#define DNA_LINK_WAIT_MS 5000

static void wait_for_link(struct pf_nic *nic)
{
	if (!pf_nic_wait_link(nic, DNA_LINK_WAIT_MS))
		pf_api_message("dna %s: no link after %d ms; opened anyway", nic->bus->addr,
			       DNA_LINK_WAIT_MS);
}

/* A new dna_dev for name, NIC open. Under devs_lock. */
static int dev_open(const char *device_name, const char *name, const struct pf_nic_config *cfg,
		    struct dna_dev **out)
{
	char err[256] = "";
	struct pf_bus *bus = NULL;
	struct dna_dev *d = calloc(1, sizeof(*d));
	int rc;

	if (d == NULL)
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	rc = (bus_opener ? bus_opener : real_bus_open)(name, &bus, err, sizeof(err));
	if (rc == 0) {
		rc = pf_nic_open(bus, cfg, &d->nic, err, sizeof(err));
		if (rc < 0)
			pf_bus_close(bus);
	}
	if (rc < 0) {
		pf_api_message("pfring_open(%s): %s", device_name, err);
		free(d);
		return open_failed(rc);
	}
	wait_for_link(d->nic);
	pthread_mutex_init(&d->lock, NULL);
	d->next = devs;
	devs = d;
	*out = d;
	return 0;
}

/* Under devs_lock: the last ring gone, the NIC goes back. */
static void dev_release(struct dna_dev *d)
{
	struct dna_dev **pp;

	if (--d->refs)
		return;
	for (pp = &devs; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	pf_nic_close(d->nic);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static int queue_claimed(const struct dna_dev *d, int q)
{
	return (d->claimed[q / 64] >> (q % 64)) & 1;
}

static void queue_set(struct dna_dev *d, int q, int on)
{
	u_int64_t bit = (u_int64_t)1 << (q % 64);

	d->claimed[q / 64] = on ? d->claimed[q / 64] | bit : d->claimed[q / 64] & ~bit;
}

/* The queues m asks for on d, claimed: 0 or a PF_RING_ERROR_* after a message. */
static int claim(struct dna_dev *d, const char *device_name, const struct pf_devname_member *m,
		 int *first_q, int *num_q)
{
	int nq = d->nic->num_rx_queues, q;

	if (m->any_queue) {
		for (q = 0; q < nq && !queue_claimed(d, q); q++)
			;
		if (q < nq || d->whole) {
			pf_api_message("pfring_open(%s): %s is in use by another dna: ring of this "
				       "process (every queue is read by one ring)", device_name,
				       m->name);
			return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EBUSY);
		}
		d->whole = true;
		*first_q = 0;
		*num_q = nq;
		return 0;
	}
	if (m->num_queues != 1) {
		pf_api_message("pfring_open(%s): one RX queue per dna: ring (dna:%s@Q); "
			       "pfring_open_multichannel opens them all", device_name, m->name);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	q = pf_devname_first_queue(m);
	if (q >= nq) {
		pf_api_message("pfring_open(%s): %s has %d RX queue%s (0..%d)", device_name,
			       m->name, nq, nq == 1 ? "" : "s", nq - 1);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	if (d->whole || queue_claimed(d, q)) {
		pf_api_message("pfring_open(%s): queue %d of %s is in use by another dna: ring "
			       "of this process", device_name, q, m->name);
		return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EBUSY);
	}
	queue_set(d, q, 1);
	*first_q = q;
	*num_q = 1;
	return 0;
}

int dna_dev_get(const char *device_name, const struct pf_devname_member *m,
		const struct pf_nic_config *cfg, struct dna_dev **out, int *first_q, int *num_q)
{
	struct dna_dev *d;
	int rc = 0;

	pthread_mutex_lock(&devs_lock);
	d = dev_find(m->name);
	if (d == NULL)
		rc = dev_open(device_name, m->name, cfg, &d);
	if (rc == 0) {
		d->refs++;
		rc = claim(d, device_name, m, first_q, num_q);
		if (rc < 0)
			dev_release(d);
	}
	pthread_mutex_unlock(&devs_lock);
	*out = rc == 0 ? d : NULL;
	return rc;
}

void dna_dev_put(struct dna_dev *d, int first_q, int num_q)
{
	pthread_mutex_lock(&devs_lock);
	if (num_q == d->nic->num_rx_queues && d->whole)
		d->whole = false;
	else
		queue_set(d, first_q, 0);
	dev_release(d);
	pthread_mutex_unlock(&devs_lock);
}
