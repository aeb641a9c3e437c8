/*
 * drivers/pci.h - the real bus (drivers/bus.h) of a PCI NIC: the device is
 * taken from its kernel driver, opened for user-space DMA through VFIO (when
 * it sits behind an IOMMU) or UIO (uio_pci_generic, DMA memory in 2 MiB
 * hugepages), and given back to that kernel driver by pf_bus_close().
 */
#ifndef PF_DRIVERS_PCI_H
#define PF_DRIVERS_PCI_H

#include <stddef.h>

#include "drivers/bus.h"

enum pf_pci_path {
	PF_PCI_AUTO,	/* VFIO when the device has an IOMMU group and vfio-pci is loaded, else UIO */
	PF_PCI_VFIO,
	PF_PCI_UIO,
};

/* Opens NAME, an interface name ("eth1": its PCI function) or a PCI address
 * ("0000:00:02.0"), as root: unbinds its kernel driver (remembered), binds
 * vfio-pci or uio_pci_generic, maps BAR0, enables bus mastering. A device
 * left bound to vfio-pci or uio_pci_generic by a killed process is taken
 * over; one held by a live process (an flock on its sysfs config file, which
 * dies with the process) is refused with -EBUSY. 0 and *out, or -errno after
 * a one-line message in err naming what is missing (-EPERM not root, -ENODEV
 * no such device, -EBUSY in use, -ENOENT no IOMMU group and no
 * uio_pci_generic, -ENOMEM no hugepages); the device is then back with its
 * kernel driver. */
int pf_pci_open(const char *name, struct pf_bus **out, char *err, size_t errlen);

/* The same, on the path asked for (PF_PCI_AUTO chooses as above). */
int pf_pci_open_as(const char *name, enum pf_pci_path path, struct pf_bus **out,
		   char *err, size_t errlen);

/* The path a bus from pf_pci_open() took: "vfio" or "uio". */
const char *pf_pci_path_name(const struct pf_bus *bus);

#endif /* PF_DRIVERS_PCI_H */
