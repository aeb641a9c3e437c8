/*
 * drivers/bus.h - one PCI function opened for user-space DMA: its BAR0
 * registers and DMA memory the NIC can reach. The DNA drivers (one file per
 * NIC family: drivers/e1000e.c, drivers/igb.c) see the NIC only through this,
 * so the same driver runs on the real bus (drivers/pci.c: VFIO behind an IOMMU,
 * else UIO with hugepages) and on the fake bus of the unit tests
 * (tests/unit/fake_bus.h: a register file and DMA memory in plain RAM).
 *
 * Ownership: the bus owns the BAR mapping and every DMA region it hands out;
 * pf_bus_close() frees them all and gives the device back to the kernel driver
 * it was bound to when opened (the real bus). The driver owns what it writes
 * into DMA memory; the NIC writes descriptors back there (write-back), so the
 * driver reads them as volatile, after a read barrier.
 */
#ifndef PF_DRIVERS_BUS_H
#define PF_DRIVERS_BUS_H

#include <stddef.h>
#include <stdint.h>

/* DMA memory: virt for the CPU, iova for the NIC (the IOMMU address under
 * VFIO, the physical address under UIO, the offset in the fake bus's RAM). */
struct pf_dma {
	void *virt;
	uint64_t iova;
	size_t size;
};

struct pf_bus;

struct pf_bus_ops {
	/* size bytes of zeroed DMA memory, aligned to at least 4096 and contiguous
	 * for the NIC: 0, or -errno after a message in err. */
	int (*dma_alloc)(struct pf_bus *bus, size_t size, struct pf_dma *out,
			 char *err, size_t errlen);
	void (*dma_free)(struct pf_bus *bus, struct pf_dma *dma);
	/* Called after each write of a register the NIC acts on at once (the fake
	 * bus runs its NIC model there; NULL on the real bus, where the NIC runs by
	 * itself). */
	void (*after_write)(struct pf_bus *bus, uint32_t reg, uint32_t val);
	void (*close)(struct pf_bus *bus);
	/* Called after each read of a register that reading changes (the
	 * statistics counters, which clear on read): the fake bus clears them
	 * there. NULL on the real bus. */
	void (*after_read)(struct pf_bus *bus, uint32_t reg);
};

struct pf_bus {
	const struct pf_bus_ops *ops;
	volatile uint8_t *bar0;    /* the NIC's registers (BAR0), bar0_len bytes */
	size_t bar0_len;
	uint16_t vendor, device;   /* PCI ids: 8086:10d3 (82574, e1000e), 8086:10c9 (82576, igb) */
	char addr[16];             /* "0000:00:02.0" */
	char ifname[32];           /* the kernel's interface name when it had one, else "" */
};

/* Registers: 32-bit, little-endian, at byte offsets of BAR0 as the datasheets
 * give them (CTRL 0x0000, STATUS 0x0008, ...). */
static inline uint32_t pf_reg_read(const struct pf_bus *bus, uint32_t reg)
{
	return *(volatile const uint32_t *)(bus->bar0 + reg);
}

/* A register that clears when read (statistics counters). */
static inline uint32_t pf_reg_read_clear(struct pf_bus *bus, uint32_t reg)
{
	uint32_t val = pf_reg_read(bus, reg);

	if (bus->ops->after_read)
		bus->ops->after_read(bus, reg);
	return val;
}

static inline void pf_reg_write(struct pf_bus *bus, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(bus->bar0 + reg) = val;
	if (bus->ops->after_write)
		bus->ops->after_write(bus, reg, val);
}

static inline int pf_dma_alloc(struct pf_bus *bus, size_t size, struct pf_dma *out,
			       char *err, size_t errlen)
{
	return bus->ops->dma_alloc(bus, size, out, err, errlen);
}

static inline void pf_dma_free(struct pf_bus *bus, struct pf_dma *dma)
{
	bus->ops->dma_free(bus, dma);
}

static inline void pf_bus_close(struct pf_bus *bus)
{
	bus->ops->close(bus);
}

#endif /* PF_DRIVERS_BUS_H */
