/*
 * tests/unit/fake_bus.h - a pf_bus (drivers/bus.h) in plain RAM for the
 * drivers' unit tests, with a small model of the 82574 (e1000e) behind it.
 *
 * BAR0 is a calloc'd register file; DMA memory is carved from one arena,
 * iova = FAKE_IOVA_BASE + offset (a base above 4 GiB, so that the high halves
 * of the ring base registers carry something). The model runs when the
 * driver writes a register (after_write) and when a test puts a frame on the
 * wire (fake_e1000e_inject):
 *   CTRL.RST  clears the registers and the model (the MAC comes back, as from
 *             the EEPROM), and clears itself unless rst_sticks;
 *   IMC       clears bits of ims (the interrupt mask the model keeps);
 *   TDT       sends the descriptors from TDH up to TDT (when TCTL.EN): records
 *             each frame in sent[], sets DD where RS asks, counts GPTC/GOTC;
 *   inject    stores a frame through the descriptors from RDH up to RDT of
 *             its queue, one buffer (RCTL.BSIZE) each, DD on each and EOP on
 *             the last, written back in the extended format (without
 *             RFCTL.EXTEN: -ENETDOWN, the model has no legacy format); when they are too few the frame is lost and
 *             counted in MPC and RNBC. The queue is 0, or with RSS on (MRQC,
 *             RXCSUM.PCSD, EXTEN) the one core's Toeplitz hash with the key
 *             in RSSRK picks through RETA, as QEMU's e1000e does.
 * Statistics registers clear when the driver reads them (after_read).
 * The 82576 (igb) model is another one behind the same bus (fake_igb.h).
 */
#ifndef PF_TESTS_FAKE_BUS_H
#define PF_TESTS_FAKE_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "drivers/bus.h"
#include "drivers/e1000e_regs.h"

#define FAKE_BAR0_LEN   0x20000
#define FAKE_RAM_SIZE   (8u << 20)
#define FAKE_IOVA_BASE  0x200000000ull
#define FAKE_MAX_SENT   4096
#define FAKE_MAX_FRAME  16384

struct fake_frame {
	uint8_t *bytes;     /* calloc'd, freed by fake_bus_free */
	uint16_t len;
};

struct fake_igb;

struct fake_bus {
	struct pf_bus bus;          /* first: the ops get a struct pf_bus * */
	struct pf_bus_ops ops;      /* bus.ops; after_write runs the NIC model */
	struct fake_igb *igb;       /* the 82576 model's state (fake_igb.c), else NULL */
	uint8_t mac[6];             /* what RAL0/RAH0 hold after a reset */
	uint8_t *ram;               /* DMA arena */
	size_t ram_used;
	int dma_live;               /* regions allocated and not yet freed */
	bool closed;                /* pf_bus_close was called */
	bool rst_sticks;            /* CTRL.RST never clears (the timeout path) */
	unsigned resets;
	uint32_t ims;               /* interrupts enabled (the model's IMS) */
	uint32_t rdt_writes;        /* times the driver wrote RDT */
	uint32_t tdt_writes;
	uint8_t next_rx_errors;     /* the errors byte of the next injected frame */
	uint32_t rx_per_queue[2];   /* frames stored in each RX queue */
	int dma_faults;             /* descriptors pointing outside the arena */
	struct fake_frame sent[FAKE_MAX_SENT];
	uint32_t n_sent;
};

/* A bus for an 82574 whose EEPROM holds mac; interrupts start enabled (as the
 * kernel's driver leaves them). Aborts when out of memory. */
struct fake_bus *fake_bus_new(const uint8_t mac[6]);
/* Frees everything, whether or not the driver closed the bus. */
void fake_bus_free(struct fake_bus *fb);

uint32_t fake_reg(const struct fake_bus *fb, uint32_t reg);
/* Sets a register without running the model (a state the NIC was left in). */
void fake_reg_set(struct fake_bus *fb, uint32_t reg, uint32_t val);
/* The model's helpers: add n to a register, to a 64-bit counter in a low and
 * a high register; the 64-bit value of such a pair (ring bases). */
void fake_reg_add(struct fake_bus *fb, uint32_t reg, uint32_t n);
void fake_reg_add64(struct fake_bus *fb, uint32_t low, uint32_t high, uint64_t n);
uint64_t fake_reg_pair(const struct fake_bus *fb, uint32_t low, uint32_t high);
/* Another NIC model behind the bus: its PCI device id and the hook run after
 * register writes (clearing reads stay the 82574's: the 82576 has its ICR and
 * statistics counters at the same offsets). */
void fake_bus_set_model(struct fake_bus *fb, uint16_t device,
			void (*model_write)(struct pf_bus *bus, uint32_t reg, uint32_t val));
/* Whether RCTL's address filter (UPE, MPE, BAM: the same bits on both NICs)
 * lets a frame to dst through. */
bool fake_address_passes(const struct fake_bus *fb, const uint8_t *dst, uint32_t rctl);

/* What a model writes into a descriptor after a piece of a frame went into
 * its buffer (eop: the frame's last piece). */
typedef void (*fake_write_back)(struct fake_bus *fb, void *desc, uint16_t piece, bool eop,
				void *ctx);
/* Stores a frame into a ring's buffers from descriptor *head on, as both NIC
 * models do: the ring at ring_iova has n 16-byte descriptors whose first 8
 * bytes (the read format of either NIC) are their buffer's address; stored
 * bytes (the frame's len, then zeros for a CRC the NIC keeps) go bsize to a
 * buffer, and write_back(fb, desc, piece, eop, ctx) follows each. 0 with
 * *head past the frame, or -EFAULT (dma_faults counted) for an address
 * outside DMA memory. The caller checked that the descriptors suffice. */
int fake_store_frame(struct fake_bus *fb, uint64_t ring_iova, uint32_t n, uint32_t *head,
		     const void *frame, size_t len, size_t stored, uint32_t bsize,
		     fake_write_back write_back, void *ctx);
/* The CPU address of iova in the arena, NULL outside it. */
void *fake_dma_virt(struct fake_bus *fb, uint64_t iova, size_t len);

/* One frame of len bytes arrives from the wire: 0 when stored in descriptors;
 * -ENETDOWN when RCTL.EN or RFCTL.EXTEN is clear; -EPERM when the address filter refuses
 * it; -ENOBUFS when the free descriptors are too few (MPC and RNBC count it);
 * -EFAULT when a descriptor points outside DMA memory. */
int fake_e1000e_inject(struct fake_bus *fb, const void *frame, size_t len);

#endif /* PF_TESTS_FAKE_BUS_H */
