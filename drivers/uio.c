/*
 * drivers/uio.c - the UIO path of the real bus (no IOMMU in the way): the
 * device bound to uio_pci_generic, BAR0 through sysfs resource0, DMA memory
 * one 2 MiB hugepage per region (physically contiguous), its physical address
 * from /proc/self/pagemap. Regions over 2 MiB are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/pci_dev.h"

#define HUGEPAGE (2UL << 20)
#define FREE_HUGEPAGES "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"

static long free_hugepages(void)
{
	char buf[32] = "";
	FILE *f = fopen(FREE_HUGEPAGES, "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtol(buf, NULL, 10);
}

int pf_uio_usable(char *why, size_t whylen)
{
	struct stat st;

	if (stat("/sys/bus/pci/drivers/uio_pci_generic", &st)) {
		snprintf(why, whylen, "module uio_pci_generic not loaded (modprobe uio_pci_generic)");
		return -ENOENT;
	}
	if (free_hugepages() <= 0) {
		snprintf(why, whylen, "no free 2 MiB hugepages (echo 8 > /proc/sys/vm/nr_hugepages)");
		return -ENOMEM;
	}
	return 0;
}

/* The physical address of virt (resident, locked) from /proc/self/pagemap. */
static int physical_address(const void *virt, uint64_t *phys)
{
	uint64_t entry;
	long page = sysconf(_SC_PAGESIZE);
	off_t off = (off_t)((uintptr_t)virt / (uintptr_t)page * sizeof(entry));
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, &entry, sizeof(entry), off);
	close(fd);
	if (n != sizeof(entry))
		return -EIO;
	/* bit 63 present; bits 0-54 the frame number (0 without CAP_SYS_ADMIN) */
	if (!(entry >> 63) || !(entry & ((1ULL << 55) - 1)))
		return -EFAULT;
	*phys = (entry & ((1ULL << 55) - 1)) * (uint64_t)page + (uintptr_t)virt % (uintptr_t)page;
	return 0;
}

static int uio_dma_alloc(struct pf_bus *bus, size_t size, struct pf_dma *out,
			 char *err, size_t errlen)
{
	struct pf_pci *pci = (struct pf_pci *)bus;
	struct pf_dma *slot = pf_pci_dma_slot(pci, NULL);
	void *virt;
	int rc;

	if (!size || size > HUGEPAGE) {
		snprintf(err, errlen, "dma_alloc: %zu bytes: UIO DMA regions are 1 .. %lu bytes "
			 "(one 2 MiB hugepage, the contiguity UIO can promise)", size, HUGEPAGE);
		return -EINVAL;
	}
	if (!slot) {
		snprintf(err, errlen, "dma_alloc: all %d DMA regions taken", PF_PCI_MAX_DMA);
		return -ENOSPC;
	}
	virt = mmap(NULL, HUGEPAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE | MAP_LOCKED, -1, 0);
	if (virt == MAP_FAILED) {
		rc = -errno;
		snprintf(err, errlen, "dma_alloc: no free 2 MiB hugepage (%s; nr_hugepages)", strerror(-rc));
		return -ENOMEM;
	}
	rc = physical_address(virt, &slot->iova);
	if (rc) {
		snprintf(err, errlen, "dma_alloc: physical address from /proc/self/pagemap: %s",
			 strerror(-rc));
		munmap(virt, HUGEPAGE);
		return rc;
	}
	slot->virt = virt;
	slot->size = HUGEPAGE;
	*out = *slot;
	out->size = size;
	return 0;
}

static void uio_dma_free(struct pf_bus *bus, struct pf_dma *dma)
{
	struct pf_dma *slot = dma->virt ? pf_pci_dma_slot((struct pf_pci *)bus, dma->virt) : NULL;

	if (!slot)
		return;
	munmap(slot->virt, slot->size);
	memset(slot, 0, sizeof(*slot));
	memset(dma, 0, sizeof(*dma));
}

static const struct pf_bus_ops uio_ops = {
	.dma_alloc = uio_dma_alloc,
	.dma_free = uio_dma_free,
	.after_write = NULL,
	.close = pf_pci_close,
};

int pf_uio_attach(struct pf_pci *pci, char *err, size_t errlen)
{
	char path[PATH_MAX];
	const char *addr = pci->bus.addr;
	struct stat st;
	void *map;
	int fd, rc;

	pci->bus.ops = &uio_ops;
	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/config", addr);
	pci->config_fd = open(path, O_RDWR | O_CLOEXEC);
	if (pci->config_fd < 0 || pf_pci_enable_master(pci->config_fd, 0)) {
		snprintf(err, errlen, "pf_pci_open: %s: cannot set bus master through %s", addr, path);
		return -EIO;
	}
	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/resource0", addr);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0) {
		rc = fd < 0 ? -errno : -ENODEV;
		snprintf(err, errlen, "pf_pci_open: %s: %s: %s", addr, path, strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	rc = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (rc) {
		snprintf(err, errlen, "pf_pci_open: %s: mmap of %s: %s", addr, path, strerror(-rc));
		return rc;
	}
	pci->bus.bar0 = map;
	pci->bus.bar0_len = pci->bar0_map_len = (size_t)st.st_size;
	return 0;
}
