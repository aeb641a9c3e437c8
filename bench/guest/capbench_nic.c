/*
 * bench/guest/capbench_nic.c - capbench's mode "nic": the DNA driver path
 * without the pfring API on top (drivers/pci.h opens the PCI function for
 * user-space DMA, drivers/device.h's driver polls its RX ring), so the figure
 * is what the driver costs, whatever the dna: backend adds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "drivers/device.h"
#include "drivers/pci.h"

#include "capbench.h"

#define RX_BURST 32
#define LINK_WAIT_MS 5000

static struct pf_nic *nic;

void nic_setup(const char *ifname)
{
	struct pf_nic_config cfg = { .promisc = true };
	struct pf_bus *bus;
	char err[256];
	int rc = pf_pci_open(ifname, &bus, err, sizeof(err));

	if (rc) {
		fprintf(stderr, "capbench: nic: pf_pci_open %s: %s\n", ifname, err);
		exit(CAPBENCH_UNAVAILABLE);
	}
	rc = pf_nic_open(bus, &cfg, &nic, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "capbench: nic: pf_nic_open %s: %s\n", ifname, err);
		pf_bus_close(bus);
		exit(CAPBENCH_UNAVAILABLE);
	}
	/* Frames that come before the link is up are lost (QEMU's igb takes a
	 * while after its PHY restart): the traffic starts once it is. */
	if (!pf_nic_wait_link(nic, LINK_WAIT_MS)) {
		fprintf(stderr, "capbench: nic: %s: no link after %d ms\n", ifname, LINK_WAIT_MS);
		exit(1);
	}
	fprintf(stderr, "capbench: nic: %s is driver %s via %s, link up\n", ifname, nic->driver,
		pf_pci_path_name(bus));
}

void nic_loop(struct result *r)
{
	struct pf_nic_rx rx[RX_BURST];

	while (!stop) {
		uint32_t n = pf_nic_rx_batch(nic, 0, rx, RX_BURST);

		for (uint32_t i = 0; i < n; i++)
			r->touched += rx[i].data[0] + rx[i].len;
		r->captured += n;
	}
}

void nic_finish(struct result *r)
{
	struct pf_nic_stats st;

	pf_nic_stats(nic, &st);
	r->dropped = st.rx_missed;
	pf_nic_close(nic);
}
