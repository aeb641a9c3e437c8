/*
 * drivers/nic.c - the driver for a bus's NIC, chosen by PCI vendor and device id.
 */
#include <errno.h>
#include <stdio.h>

#include "drivers/device.h"
#include "drivers/nic_util.h"

typedef int (*nic_open_fn)(struct pf_bus *bus, const struct pf_nic_config *cfg,
			   struct pf_nic **out, char *err, size_t errlen);

static const struct {
	uint16_t vendor, device;
	nic_open_fn open;
} families[] = {
	{ 0x8086, 0x10d3, pf_e1000e_open },     /* 82574L */
	{ 0x8086, 0x10c9, pf_igb_open },        /* 82576 */
};

int pf_nic_open(struct pf_bus *bus, const struct pf_nic_config *cfg, struct pf_nic **out,
		char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].vendor == bus->vendor && families[i].device == bus->device)
			return families[i].open(bus, cfg, out, err, errlen);
	snprintf(err, errlen, "%s: no DNA driver for PCI device %04x:%04x (pfring drives "
		 "8086:10d3 82574L/e1000e and 8086:10c9 82576/igb)", bus->addr, bus->vendor,
		 bus->device);
	return -ENODEV;
}

int pf_nic_supported(uint16_t vendor, uint16_t device)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].vendor == vendor && families[i].device == device)
			return 1;
	return 0;
}

bool pf_nic_wait_link(struct pf_nic *nic, unsigned max_ms)
{
	for (unsigned waited = 0; !pf_nic_link_up(nic); waited += 10) {
		if (waited >= max_ms)
			return false;
		pf_nic_sleep_us(10000);
	}
	return true;
}
