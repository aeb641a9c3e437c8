/*
 * drivers/vfio.c - the VFIO path of the real bus: the device's IOMMU group in
 * a type-1 container, BAR0 through the VFIO region mmap, DMA memory
 * (anonymous pages: the IOMMU makes them contiguous for the NIC) mapped with
 * VFIO_IOMMU_MAP_DMA at iovas from PF_VFIO_IOVA_BASE up.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/pci_dev.h"

/* 4 GiB: clear of the low MMIO and MSI windows, within a 39-bit IOMMU */
#define PF_VFIO_IOVA_BASE 0x100000000ULL
#define PF_VFIO_IOVA_ALIGN 0x200000ULL

int pf_vfio_usable(const char *addr, char *why, size_t whylen)
{
	char group[32];
	struct stat st;
	int fd;

	if (pf_sysfs_link_name(addr, "iommu_group", group, sizeof(group))) {
		snprintf(why, whylen, "%s has no IOMMU group (no IOMMU, or intel_iommu=on missing)", addr);
		return -ENOENT;
	}
	if (stat("/sys/bus/pci/drivers/vfio-pci", &st)) {
		snprintf(why, whylen, "module vfio-pci not loaded (modprobe vfio-pci)");
		return -ENOENT;
	}
	fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "/dev/vfio/vfio: %s", strerror(errno));
		return -ENOENT;
	}
	if (ioctl(fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0) {
		snprintf(why, whylen, "no type-1 IOMMU in VFIO (modprobe vfio_iommu_type1)");
		close(fd);
		return -ENOENT;
	}
	close(fd);
	return 0;
}

static int vfio_dma_alloc(struct pf_bus *bus, size_t size, struct pf_dma *out,
			  char *err, size_t errlen)
{
	struct pf_pci *pci = (struct pf_pci *)bus;
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct pf_dma *slot = pf_pci_dma_slot(pci, NULL);
	size_t len = (size + 4095) & ~(size_t)4095;
	void *virt;

	if (!size || !slot) {
		snprintf(err, errlen, "dma_alloc: %s (%zu bytes)", size ? "all DMA regions taken" : "size 0", size);
		return -EINVAL;
	}
	virt = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (virt == MAP_FAILED) {
		snprintf(err, errlen, "dma_alloc: mmap of %zu bytes: %s", len, strerror(errno));
		return -ENOMEM;
	}
	map.vaddr = (uintptr_t)virt;
	map.size = len;
	map.iova = pci->next_iova;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(pci->container_fd, VFIO_IOMMU_MAP_DMA, &map)) {
		int e = errno;

		snprintf(err, errlen, "dma_alloc: VFIO_IOMMU_MAP_DMA of %zu bytes at iova 0x%llx: %s",
			 len, (unsigned long long)map.iova, strerror(e));
		munmap(virt, len);
		return -e;
	}
	pci->next_iova += (len + PF_VFIO_IOVA_ALIGN - 1) & ~(PF_VFIO_IOVA_ALIGN - 1);
	slot->virt = virt;
	slot->iova = map.iova;
	slot->size = len;
	*out = *slot;
	return 0;
}

static void vfio_dma_free(struct pf_bus *bus, struct pf_dma *dma)
{
	struct pf_pci *pci = (struct pf_pci *)bus;
	struct pf_dma *slot = dma->virt ? pf_pci_dma_slot(pci, dma->virt) : NULL;
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };

	if (!slot)
		return;
	unmap.iova = slot->iova;
	unmap.size = slot->size;
	ioctl(pci->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap);
	munmap(slot->virt, slot->size);
	memset(slot, 0, sizeof(*slot));
	memset(dma, 0, sizeof(*dma));
}

static const struct pf_bus_ops vfio_ops = {
	.dma_alloc = vfio_dma_alloc,
	.dma_free = vfio_dma_free,
	.after_write = NULL,
	.close = pf_pci_close,
};

/* VFIO_DEVICE_GET_REGION_INFO of region index into *info; 0 or -errno. */
static int region_info(int device_fd, unsigned index, struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(device_fd, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

int pf_vfio_attach(struct pf_pci *pci, char *err, size_t errlen)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info bar, cfg;
	char group[32], path[PATH_MAX];
	const char *addr = pci->bus.addr;
	void *map;
	int rc;

	pci->bus.ops = &vfio_ops;
	pci->next_iova = PF_VFIO_IOVA_BASE;
	if (pf_sysfs_link_name(addr, "iommu_group", group, sizeof(group))) {
		snprintf(err, errlen, "pf_pci_open: %s: no IOMMU group", addr);
		return -ENOENT;
	}
	pci->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	pci->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (pci->container_fd < 0 || pci->group_fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "pf_pci_open: %s: open %s: %s", addr,
			 pci->container_fd < 0 ? "/dev/vfio/vfio" : path, strerror(-rc));
		return rc;
	}
	if (ioctl(pci->group_fd, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		snprintf(err, errlen, "pf_pci_open: %s: IOMMU group %s not viable "
			 "(another device of the group is bound to a kernel driver)", addr, group);
		return -EBUSY;
	}
	if (ioctl(pci->group_fd, VFIO_GROUP_SET_CONTAINER, &pci->container_fd) ||
	    ioctl(pci->container_fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU)) {
		rc = -errno;
		snprintf(err, errlen, "pf_pci_open: %s: VFIO container of group %s: %s",
			 addr, group, strerror(-rc));
		return rc;
	}
	pci->device_fd = ioctl(pci->group_fd, VFIO_GROUP_GET_DEVICE_FD, addr);
	if (pci->device_fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "pf_pci_open: %s: VFIO_GROUP_GET_DEVICE_FD: %s", addr, strerror(-rc));
		return rc;
	}
	rc = region_info(pci->device_fd, VFIO_PCI_BAR0_REGION_INDEX, &bar);
	if (!rc && !(bar.flags & VFIO_REGION_INFO_FLAG_MMAP))
		rc = -ENOTSUP;
	if (!rc)
		rc = region_info(pci->device_fd, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (rc) {
		snprintf(err, errlen, "pf_pci_open: %s: VFIO regions (BAR0 mmap, config): %s",
			 addr, strerror(-rc));
		return rc;
	}
	map = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, pci->device_fd,
		   (off_t)bar.offset);
	if (map == MAP_FAILED) {
		rc = -errno;
		snprintf(err, errlen, "pf_pci_open: %s: mmap of BAR0 (%llu bytes): %s", addr,
			 (unsigned long long)bar.size, strerror(-rc));
		return rc;
	}
	pci->bus.bar0 = map;
	pci->bus.bar0_len = pci->bar0_map_len = bar.size;
	pci->config_offset = cfg.offset;
	rc = pf_pci_enable_master(pci->device_fd, cfg.offset);
	if (rc)
		snprintf(err, errlen, "pf_pci_open: %s: cannot set bus master in config space", addr);
	return rc;
}
