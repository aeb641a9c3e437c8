/*
 * drivers/pci_dev.h - what drivers/pci.c, vfio.c and uio.c share: one opened
 * PCI function and its DMA regions, and the sysfs helpers. Internal to the
 * real bus; drivers see only drivers/bus.h.
 */
#ifndef PF_DRIVERS_PCI_DEV_H
#define PF_DRIVERS_PCI_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/bus.h"
#include "drivers/pci.h"

#define PF_PCI_MAX_DMA 64	/* DMA regions one bus hands out at a time */
#define PF_PCI_SYSFS "/sys/bus/pci/devices"

struct pf_pci {
	struct pf_bus bus;		/* first: a struct pf_bus * is a struct pf_pci * */
	enum pf_pci_path path;		/* PF_PCI_VFIO or PF_PCI_UIO */
	char kernel_driver[64];		/* bound before the open ("" when none, or stale) */
	size_t bar0_map_len;		/* what was mmap()ed for bar0 */
	int lock_fd;			/* sysfs config, flock()ed: the device is ours */
	int config_fd;			/* UIO: sysfs config; -1 */
	int container_fd, group_fd, device_fd;	/* VFIO; -1 */
	uint64_t config_offset;		/* VFIO: the config region's offset in device_fd */
	uint64_t next_iova;		/* VFIO: where the next DMA region goes */
	struct pf_dma dma[PF_PCI_MAX_DMA];	/* virt NULL: free slot */
};

/* src into dst of len bytes: 0, or -ENAMETOOLONG (dst "") when it does not fit. */
int pf_copy_name(char *dst, size_t len, const char *src);
/* path under PF_PCI_SYSFS/<addr>/; 0 or -errno. */
int pf_sysfs_write(const char *addr, const char *file, const char *val);
/* The last component of the link PF_PCI_SYSFS/<addr>/<link> in out; 0 or -errno. */
int pf_sysfs_link_name(const char *addr, const char *link, char *out, size_t outlen);

/* Binds the device (bound to no driver) to the kernel driver DRV through
 * driver_override and drivers_probe, and checks it took; 0 or -errno. */
int pf_pci_bind(const char *addr, const char *drv);

/* A free slot of pci->dma, NULL when all are taken; the slot of virt. */
struct pf_dma *pf_pci_dma_slot(struct pf_pci *pci, const void *virt);

/* Sets bus master (and memory space) in the command register, read and
 * written through fd at offset off + 4. 0 or -errno. */
int pf_pci_enable_master(int fd, uint64_t off);

/* Per path: map BAR0, set ops; 0 or -errno after a message. The device is
 * bound to vfio-pci / uio_pci_generic already. */
int pf_vfio_attach(struct pf_pci *pci, char *err, size_t errlen);
int pf_uio_attach(struct pf_pci *pci, char *err, size_t errlen);

/* Whether the path can work for addr (the driver loaded, /dev/vfio, the
 * IOMMU group, free hugepages): 0, or -errno with what is missing in why. */
int pf_vfio_usable(const char *addr, char *why, size_t whylen);
int pf_uio_usable(char *why, size_t whylen);

/* Unmaps and closes what attach set up, frees the DMA regions left, and
 * gives the device back to its kernel driver. */
void pf_pci_release(struct pf_pci *pci);
/* ops->close of both paths: pf_pci_release. */
void pf_pci_close(struct pf_bus *bus);

#endif /* PF_DRIVERS_PCI_DEV_H */
