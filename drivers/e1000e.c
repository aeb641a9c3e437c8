/*
 * drivers/e1000e.c - the DNA driver of the Intel 82574 (8086:10d3, e1000e):
 * one RX and one TX queue of legacy descriptors, polled, no interrupts.
 * Register and bit names are the 82574 datasheet's (section 10).
 *
 * RX: the NIC owns the descriptors from RDH up to RDT (exclusive) and writes
 * each frame into the buffer of the next one, then sets DD (and EOP on a
 * frame's last descriptor) in its status. The driver keeps rx_next, the next
 * descriptor to look at. Descriptors from RDT up to rx_next are the driver's:
 * the ones lent out by the last rx_batch, and one more that keeps the ring
 * from looking empty (RDH == RDT means "no descriptor" to the NIC).
 *
 * TX: descriptors from tx_clean up to tx_tail are the NIC's (written, maybe
 * flushed, not yet reported done); the others are free, less one so that a
 * full ring never looks empty to the NIC (TDH == TDT).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/device.h"
#include "drivers/e1000e_regs.h"
#include "drivers/nic_util.h"
#include "util/api_message.h"

#define BUF_SIZE        PF_NIC_BUF_SIZE
#define RESET_WAIT_US   100000u

struct e1000e {
	struct pf_nic nic;              /* first: the ops get a struct pf_nic * */
	uint32_t rx_size, tx_size;      /* descriptors, powers of two */
	struct pf_dma rx_ring, rx_bufs; /* driver's: descriptors and their buffers */
	struct pf_dma tx_ring, tx_bufs;
	uint32_t rx_next;               /* next RX descriptor the NIC may have filled */
	uint32_t rx_tail;               /* the value last written to RDT */
	bool rx_discarding;             /* inside a frame longer than a buffer */
	uint32_t tx_tail;               /* next free TX descriptor */
	uint32_t tx_flushed;            /* the value last written to TDT */
	uint32_t tx_clean;              /* oldest TX descriptor not yet seen done */
	struct pf_nic_stats stats;      /* totals, the NIC's counters added in */
};

static struct e1000e *e1000e_of(struct pf_nic *nic)
{
	return (struct e1000e *)nic;
}

static volatile struct e1000_rx_desc *rx_desc_at(struct e1000e *e, uint32_t i)
{
	return (volatile struct e1000_rx_desc *)e->rx_ring.virt + i;
}

static volatile struct e1000_tx_desc *tx_desc_at(struct e1000e *e, uint32_t i)
{
	return (volatile struct e1000_tx_desc *)e->tx_ring.virt + i;
}

/* ------------------------------------------------------------ bring-up */

/* Masks every interrupt (nothing here is interrupt driven: the kernel driver
 * that had the NIC before must not get them either), resets the NIC and waits
 * for CTRL.RST to clear; masks again, since the reset unmasks. */
static int e1000e_reset(struct pf_bus *bus, char *err, size_t errlen)
{
	pf_reg_write(bus, E1000_IMC, 0xffffffffu);
	pf_reg_write(bus, E1000_CTRL, pf_reg_read(bus, E1000_CTRL) | E1000_CTRL_RST);
	for (unsigned waited = 0; pf_reg_read(bus, E1000_CTRL) & E1000_CTRL_RST; waited += 10) {
		if (waited >= RESET_WAIT_US) {
			snprintf(err, errlen, "e1000e %s: E1000_CTRL.RST still set %u ms after the reset",
				 bus->addr, RESET_WAIT_US / 1000);
			return -ETIMEDOUT;
		}
		pf_nic_sleep_us(10);
	}
	/* the datasheet asks for 1 ms before the next register access */
	pf_nic_sleep_us(1000);
	pf_reg_write(bus, E1000_IMC, 0xffffffffu);
	(void)pf_reg_read_clear(bus, E1000_ICR);
	return 0;
}

static int alloc_ring(struct e1000e *e, uint32_t n, size_t desc_size, struct pf_dma *ring,
		      struct pf_dma *bufs, char *err, size_t errlen)
{
	int rc = pf_dma_alloc(e->nic.bus, n * desc_size, ring, err, errlen);

	if (rc == 0)
		rc = pf_dma_alloc(e->nic.bus, (size_t)n * BUF_SIZE, bufs, err, errlen);
	return rc;
}

/* A ring of n descriptors (16 bytes each; ring->size may be more): its base,
 * length, head and tail at 0. base is RDBAL or TDBAL, the others follow it. */
static void ring_regs(struct pf_bus *bus, uint32_t base, const struct pf_dma *ring, uint32_t n)
{
	pf_reg_write(bus, base, (uint32_t)ring->iova);
	pf_reg_write(bus, base + E1000_RING_BAH, (uint32_t)(ring->iova >> 32));
	pf_reg_write(bus, base + E1000_RING_LEN, n * 16);
	pf_reg_write(bus, base + E1000_RING_H, 0);
	pf_reg_write(bus, base + E1000_RING_T, 0);
}

static void setup_rx(struct e1000e *e, bool promisc)
{
	struct pf_bus *bus = e->nic.bus;
	uint32_t rctl = E1000_RCTL_BAM | E1000_RCTL_SECRC | E1000_RCTL_LPE;

	/* The kernel's driver sets RFCTL.EXTEN (extended descriptors): clear it,
	 * these are legacy ones. */
	pf_reg_write(bus, E1000_RFCTL, 0);
	for (uint32_t i = 0; i < 128; i++)
		pf_reg_write(bus, E1000_MTA + 4 * i, 0);
	for (uint32_t i = 0; i < e->rx_size; i++)
		rx_desc_at(e, i)->addr = e->rx_bufs.iova + (uint64_t)i * BUF_SIZE;
	ring_regs(bus, E1000_RDBAL, &e->rx_ring, e->rx_size);
	/* LPE: a frame longer than a buffer arrives over several descriptors and
	 * the driver drops and counts it (rx_oversize), where the NIC would drop
	 * it into a counter this driver does not read. */
	if (promisc)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	pf_reg_write(bus, E1000_RCTL, rctl | E1000_RCTL_EN);
	e->rx_next = 0;
	e->rx_tail = e->rx_size - 1;
	pf_wmb();
	pf_reg_write(bus, E1000_RDT, e->rx_tail);
}

static void setup_tx(struct e1000e *e)
{
	struct pf_bus *bus = e->nic.bus;

	for (uint32_t i = 0; i < e->tx_size; i++)
		tx_desc_at(e, i)->addr = e->tx_bufs.iova + (uint64_t)i * BUF_SIZE;
	ring_regs(bus, E1000_TDBAL, &e->tx_ring, e->tx_size);
	pf_reg_write(bus, E1000_TIPG, E1000_TIPG_DEFAULT);
	pf_reg_write(bus, E1000_TCTL,
		     E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT | E1000_TCTL_COLD);
	e->tx_tail = e->tx_flushed = e->tx_clean = 0;
}

/* ------------------------------------------------------------ RX */

/* Gives the NIC back every descriptor from RDT up to the one before rx_next,
 * with one tail write: the frames lent by the last rx_batch end here. */
static void rx_refill(struct e1000e *e)
{
	uint32_t last = (e->rx_next - 1) & (e->rx_size - 1);

	if (last == e->rx_tail)
		return;
	for (uint32_t i = e->rx_tail; i != last; i = (i + 1) & (e->rx_size - 1)) {
		volatile struct e1000_rx_desc *d = rx_desc_at(e, i);

		d->addr = e->rx_bufs.iova + (uint64_t)i * BUF_SIZE;
		d->status = 0;
	}
	e->rx_tail = last;
	pf_wmb();
	pf_reg_write(e->nic.bus, E1000_RDT, last);
}

static uint32_t e1000e_rx_batch(struct pf_nic *nic, uint16_t queue, struct pf_nic_rx *bufs,
				uint32_t max)
{
	struct e1000e *e = e1000e_of(nic);
	uint32_t got = 0;

	(void)queue;
	rx_refill(e);
	/* rx_tail's descriptor is the driver's, DD maybe still set from its last
	 * frame: the NIC's part of the ring ends before it */
	while (got < max && e->rx_next != e->rx_tail) {
		volatile struct e1000_rx_desc *d = rx_desc_at(e, e->rx_next);
		uint8_t status = d->status;

		if (!(status & E1000_RXD_STAT_DD))
			break;
		pf_rmb();
		uint32_t i = e->rx_next;

		e->rx_next = (i + 1) & (e->rx_size - 1);
		if (!(status & E1000_RXD_STAT_EOP)) {
			e->rx_discarding = true;    /* a frame's first buffers */
			continue;
		}
		if (e->rx_discarding) {            /* its last one */
			e->rx_discarding = false;
			e->stats.rx_oversize++;
			continue;
		}
		if (d->errors) {
			e->stats.rx_errors++;
			continue;
		}
		bufs[got].data = (const uint8_t *)e->rx_bufs.virt + (size_t)i * BUF_SIZE;
		bufs[got].len = d->length;
		got++;
	}
	e->stats.rx_delivered += got;
	return got;
}

/* ------------------------------------------------------------ TX */

/* Frees the descriptors the NIC has sent (DD), oldest first. */
static void tx_clean(struct e1000e *e)
{
	while (e->tx_clean != e->tx_tail) {
		volatile struct e1000_tx_desc *d = tx_desc_at(e, e->tx_clean);

		if (!(d->status & E1000_TXD_STAT_DD))
			break;
		d->status = 0;
		e->tx_clean = (e->tx_clean + 1) & (e->tx_size - 1);
	}
}

static int e1000e_tx_batch(struct pf_nic *nic, uint16_t queue, const struct pf_nic_tx *frames,
			   uint32_t n)
{
	struct e1000e *e = e1000e_of(nic);
	uint32_t mask = e->tx_size - 1, taken = 0;

	(void)queue;
	tx_clean(e);
	for (; taken < n; taken++) {
		uint32_t next = (e->tx_tail + 1) & mask;
		uint16_t len = frames[taken].len;

		if (len == 0 || len > BUF_SIZE) {
			if (taken)
				break;
			pf_api_message("e1000e %s: tx of a %u-byte frame: 1 to %u bytes",
				       nic->bus->addr, len, BUF_SIZE);
			return -EMSGSIZE;
		}
		if (next == e->tx_clean)
			break;  /* full: the NIC has not sent enough yet */
		volatile struct e1000_tx_desc *d = tx_desc_at(e, e->tx_tail);

		memcpy((uint8_t *)e->tx_bufs.virt + (size_t)e->tx_tail * BUF_SIZE,
		       frames[taken].data, len);
		d->length = len;
		d->status = 0;
		d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
		e->tx_tail = next;
	}
	return (int)taken;
}

static void e1000e_tx_flush(struct pf_nic *nic, uint16_t queue)
{
	struct e1000e *e = e1000e_of(nic);

	(void)queue;
	if (e->tx_tail == e->tx_flushed)
		return;
	pf_wmb();
	pf_reg_write(nic->bus, E1000_TDT, e->tx_tail);
	e->tx_flushed = e->tx_tail;
}

/* ------------------------------------------------------------ stats, close */

static void e1000e_stats(struct pf_nic *nic, struct pf_nic_stats *out)
{
	struct e1000e *e = e1000e_of(nic);
	struct pf_bus *bus = nic->bus;

	e->stats.rx_packets += pf_reg_read_clear(bus, E1000_GPRC);
	e->stats.rx_bytes += pf_nic_read_octets(bus, E1000_GORCL, E1000_GORCH);
	e->stats.rx_missed += pf_reg_read_clear(bus, E1000_MPC);
	e->stats.rx_no_buffer += pf_reg_read_clear(bus, E1000_RNBC);
	e->stats.tx_packets += pf_reg_read_clear(bus, E1000_GPTC);
	e->stats.tx_bytes += pf_nic_read_octets(bus, E1000_GOTCL, E1000_GOTCH);
	*out = e->stats;
}

static void free_rings(struct e1000e *e)
{
	struct pf_dma *all[] = { &e->rx_ring, &e->rx_bufs, &e->tx_ring, &e->tx_bufs };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->virt)
			pf_dma_free(e->nic.bus, all[i]);
}

static void e1000e_close(struct pf_nic *nic)
{
	struct e1000e *e = e1000e_of(nic);
	struct pf_bus *bus = nic->bus;

	/* stop the DMA before its memory goes */
	pf_reg_write(bus, E1000_RCTL, 0);
	pf_reg_write(bus, E1000_TCTL, 0);
	pf_reg_write(bus, E1000_IMC, 0xffffffffu);
	free_rings(e);
	free(e);
	pf_bus_close(bus);
}

static const struct pf_nic_ops e1000e_ops = {
	.rx_batch = e1000e_rx_batch,
	.tx_batch = e1000e_tx_batch,
	.tx_flush = e1000e_tx_flush,
	.stats = e1000e_stats,
	.close = e1000e_close,
};

int pf_e1000e_open(struct pf_bus *bus, const struct pf_nic_config *cfg, struct pf_nic **out,
		   char *err, size_t errlen)
{
	int rx_n = pf_nic_ring_size("e1000e", cfg->rx_ring_size, "RX", err, errlen);
	int tx_n = rx_n < 0 ? rx_n : pf_nic_ring_size("e1000e", cfg->tx_ring_size, "TX", err, errlen);

	if (tx_n < 0)
		return tx_n;
	struct e1000e *e = calloc(1, sizeof(*e));

	if (!e) {
		snprintf(err, errlen, "e1000e %s: out of memory", bus->addr);
		return -ENOMEM;
	}
	e->nic = (struct pf_nic){ .ops = &e1000e_ops, .bus = bus, .driver = "e1000e",
				  .num_rx_queues = 1, .num_tx_queues = 1 };
	e->rx_size = (uint32_t)rx_n;
	e->tx_size = (uint32_t)tx_n;
	int rc = e1000e_reset(bus, err, errlen);

	if (rc == 0)
		rc = alloc_ring(e, e->rx_size, sizeof(struct e1000_rx_desc), &e->rx_ring, &e->rx_bufs,
				err, errlen);
	if (rc == 0)
		rc = alloc_ring(e, e->tx_size, sizeof(struct e1000_tx_desc), &e->tx_ring, &e->tx_bufs,
				err, errlen);
	if (rc < 0) {
		free_rings(e);
		free(e);
		return rc;
	}
	pf_nic_read_mac(bus, e->nic.mac);
	pf_reg_write(bus, E1000_CTRL, pf_reg_read(bus, E1000_CTRL) | E1000_CTRL_SLU);
	setup_rx(e, cfg->promisc);
	setup_tx(e);
	*out = &e->nic;
	return 0;
}
