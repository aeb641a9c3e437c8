/*
 * drivers/e1000e.c - the DNA driver of the Intel 82574 (8086:10d3, e1000e):
 * one or two RX queues of extended descriptors (two spread by RSS), one TX
 * queue of legacy descriptors, polled, no interrupts. Register and bit names
 * are the 82574 datasheet's (section 10).
 *
 * RX, per queue: the NIC owns the descriptors from RDH up to RDT (exclusive)
 * and writes each frame into the buffer of the next one, then sets DD (and
 * EOP on a frame's last descriptor) in its status. The driver keeps rx_next, the next
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
#include "core/hash.h"
#include "drivers/nic_util.h"
#include "util/api_message.h"

#define BUF_SIZE        PF_NIC_BUF_SIZE
#define RESET_WAIT_US   100000u

/* One RX queue: touched only by the thread polling it. */
struct e1000e_rxq {
	uint32_t regs;                  /* its RDBAL: RDBAL0 or RDBAL1 */
	struct pf_dma ring, bufs;       /* driver's: descriptors and their buffers */
	uint32_t next;                  /* next descriptor the NIC may have filled */
	uint32_t tail;                  /* the value last written to RDT */
	bool discarding;                /* inside a frame longer than a buffer */
	uint64_t delivered, oversize, errors;   /* summed by stats() */
};

struct e1000e {
	struct pf_nic nic;              /* first: the ops get a struct pf_nic * */
	uint32_t rx_size, tx_size;      /* descriptors, powers of two */
	struct e1000e_rxq rxq[E1000_RSS_QUEUES];
	struct pf_dma tx_ring, tx_bufs;
	uint32_t tx_tail;               /* next free TX descriptor */
	uint32_t tx_flushed;            /* the value last written to TDT */
	uint32_t tx_clean;              /* oldest TX descriptor not yet seen done */
	struct pf_nic_stats stats;      /* totals, the NIC's counters added in */
};

static struct e1000e *e1000e_of(struct pf_nic *nic)
{
	return (struct e1000e *)nic;
}

static volatile union e1000_rx_desc_ext *rx_desc_at(struct e1000e_rxq *q, uint32_t i)
{
	return (volatile union e1000_rx_desc_ext *)q->ring.virt + i;
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

/* RSS over both queues (7.1.12): the hash of the IPv4/IPv6 addresses (and TCP
 * ports) with the key, and a redirection table whose entries alternate the
 * queues. The hash is written back in place of the checksum (PCSD). */
static void setup_rss(struct pf_bus *bus, bool symmetric)
{
	const uint8_t *key = symmetric ? pf_rss_key_symmetric : pf_rss_key_default;

	for (uint32_t i = 0; i < PF_RSS_KEY_LEN / 4; i++)
		pf_reg_write(bus, E1000_RSSRK + 4 * i,
			     (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 |
			     (uint32_t)key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24);
	/* four one-byte entries per register; odd entries go to queue 1 */
	for (uint32_t i = 0; i < E1000_RETA_ENTRIES / 4; i++)
		pf_reg_write(bus, E1000_RETA + 4 * i, (uint32_t)E1000_RETA_QUEUE1 << 8 |
			     (uint32_t)E1000_RETA_QUEUE1 << 24);
	pf_reg_write(bus, E1000_RXCSUM, E1000_RXCSUM_PCSD);
	pf_reg_write(bus, E1000_MRQC, E1000_MRQC_RSS | E1000_MRQC_TCPIPV4 | E1000_MRQC_IPV4 |
		     E1000_MRQC_TCPIPV6 | E1000_MRQC_IPV6EX | E1000_MRQC_IPV6);
}

static void setup_rxq(struct e1000e *e, struct e1000e_rxq *q)
{
	for (uint32_t i = 0; i < e->rx_size; i++)
		rx_desc_at(q, i)->read.addr = q->bufs.iova + (uint64_t)i * BUF_SIZE;
	ring_regs(e->nic.bus, q->regs, &q->ring, e->rx_size);
	q->next = 0;
	q->tail = e->rx_size - 1;
}

static void setup_rx(struct e1000e *e, const struct pf_nic_config *cfg)
{
	struct pf_bus *bus = e->nic.bus;
	uint32_t rctl = E1000_RCTL_BAM | E1000_RCTL_SECRC | E1000_RCTL_LPE;

	/* Extended descriptors: the write-back has room for the RSS hash. The
	 * kernel's driver leaves other RFCTL bits set: this clears them. */
	pf_reg_write(bus, E1000_RFCTL, E1000_RFCTL_EXTEN);
	for (uint32_t i = 0; i < 128; i++)
		pf_reg_write(bus, E1000_MTA + 4 * i, 0);
	for (uint16_t qi = 0; qi < e->nic.num_rx_queues; qi++)
		setup_rxq(e, &e->rxq[qi]);
	if (e->nic.num_rx_queues > 1)
		setup_rss(bus, cfg->symmetric_rss);
	/* LPE: a frame longer than a buffer arrives over several descriptors and
	 * the driver drops and counts it (rx_oversize), where the NIC would drop
	 * it into a counter this driver does not read. */
	if (cfg->promisc)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	pf_reg_write(bus, E1000_RCTL, rctl | E1000_RCTL_EN);
	pf_wmb();
	for (uint16_t qi = 0; qi < e->nic.num_rx_queues; qi++)
		pf_reg_write(bus, e->rxq[qi].regs + E1000_RING_T, e->rxq[qi].tail);
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

/* Gives the NIC back every descriptor from RDT up to the one before next,
 * in the read format, with one tail write: the frames lent by the last
 * rx_batch end here. */
static void rx_refill(struct e1000e *e, struct e1000e_rxq *q)
{
	uint32_t last = (q->next - 1) & (e->rx_size - 1);

	if (last == q->tail)
		return;
	for (uint32_t i = q->tail; i != last; i = (i + 1) & (e->rx_size - 1)) {
		volatile union e1000_rx_desc_ext *d = rx_desc_at(q, i);

		d->read.addr = q->bufs.iova + (uint64_t)i * BUF_SIZE;
		d->read.reserved = 0;   /* clears the write-back's DD */
	}
	q->tail = last;
	pf_wmb();
	pf_reg_write(e->nic.bus, q->regs + E1000_RING_T, last);
}

static uint32_t e1000e_rx_batch(struct pf_nic *nic, uint16_t queue, struct pf_nic_rx *bufs,
				uint32_t max)
{
	struct e1000e *e = e1000e_of(nic);
	struct e1000e_rxq *q = &e->rxq[queue];
	uint32_t got = 0;

	rx_refill(e, q);
	/* the tail's descriptor is the driver's, DD maybe still set from its last
	 * frame: the NIC's part of the ring ends before it */
	while (got < max && q->next != q->tail) {
		volatile union e1000_rx_desc_ext *d = rx_desc_at(q, q->next);
		uint32_t status = d->wb.status_error;

		if (!(status & E1000_RXD_STAT_DD))
			break;
		pf_rmb();
		uint32_t i = q->next;

		q->next = (i + 1) & (e->rx_size - 1);
		if (!(status & E1000_RXD_STAT_EOP)) {
			q->discarding = true;      /* a frame's first buffers */
			continue;
		}
		if (q->discarding) {              /* its last one */
			q->discarding = false;
			q->oversize++;
			continue;
		}
		if (status & E1000_RXDEXT_ERR_FRAME) {
			q->errors++;
			continue;
		}
		bufs[got].data = (const uint8_t *)q->bufs.virt + (size_t)i * BUF_SIZE;
		bufs[got].len = d->wb.length;
		bufs[got].rss_hash = nic->num_rx_queues > 1 ? d->wb.rss : 0;
		got++;
	}
	q->delivered += got;
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
	for (uint16_t qi = 0; qi < nic->num_rx_queues; qi++) {
		out->rx_delivered += e->rxq[qi].delivered;
		out->rx_oversize += e->rxq[qi].oversize;
		out->rx_errors += e->rxq[qi].errors;
	}
}

static void free_rings(struct e1000e *e)
{
	struct pf_dma *all[] = { &e->rxq[0].ring, &e->rxq[0].bufs, &e->rxq[1].ring,
				 &e->rxq[1].bufs, &e->tx_ring, &e->tx_bufs };

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
				  .num_rx_queues = cfg->rx_queues > 1 ? E1000_RSS_QUEUES : 1,
				  .num_tx_queues = 1 };
	e->rx_size = (uint32_t)rx_n;
	e->tx_size = (uint32_t)tx_n;
	int rc = e1000e_reset(bus, err, errlen);

	for (uint16_t qi = 0; rc == 0 && qi < e->nic.num_rx_queues; qi++) {
		e->rxq[qi].regs = E1000_RDBAL + qi * E1000_RXQ_STRIDE;
		rc = alloc_ring(e, e->rx_size, sizeof(union e1000_rx_desc_ext), &e->rxq[qi].ring,
				&e->rxq[qi].bufs, err, errlen);
	}
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
	setup_rx(e, cfg);
	setup_tx(e);
	*out = &e->nic;
	return 0;
}
