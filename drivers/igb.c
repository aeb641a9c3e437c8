/*
 * drivers/igb.c - the DNA driver of the Intel 82576 (8086:10c9, igb): up to
 * 16 RX queues spread by RSS and one TX queue, advanced descriptors, polled,
 * no interrupts. Register and bit names are the 82576 datasheet's (section 8).
 *
 * Advanced descriptors, not legacy ones: QEMU's igb emulates only these
 * (legacy RX and TX descriptors are TODOs in its hw/net/igb_core.c), and only
 * their write-back carries the RSS hash.
 *
 * RX, per queue: the NIC owns the descriptors from RDH up to RDT (exclusive)
 * and writes each frame into the buffer of the next one, then writes the
 * descriptor back (DD, EOP, length, RSS hash) over the address the driver had
 * put there. The driver keeps rx_next, the next descriptor to look at.
 * Descriptors from RDT up to rx_next are the driver's: the ones lent out by
 * the last rx_batch, and one more that keeps the ring from looking empty
 * (RDH == RDT means "no descriptor" to the NIC).
 *
 * TX: descriptors from tx_clean up to tx_tail are the NIC's (written, maybe
 * flushed, not yet reported done); the others are free, less one so that a
 * full ring never looks empty to the NIC (TDH == TDT).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hash.h"
#include "drivers/device.h"
#include "drivers/igb_regs.h"
#include "drivers/nic_util.h"
#include "util/api_message.h"

#define RESET_WAIT_US   100000u
#define MDIC_WAIT_US    10000u
#define QUEUE_WAIT_US   10000u
/* every RSS field: IPv4 and IPv6 addresses, with TCP and UDP ports */
#define MRQC_FIELDS (IGB_MRQC_TCP_IPV4 | IGB_MRQC_IPV4 | IGB_MRQC_TCP_IPV6EX | IGB_MRQC_IPV6EX | \
		     IGB_MRQC_IPV6 | IGB_MRQC_TCP_IPV6 | IGB_MRQC_UDP_IPV4 | IGB_MRQC_UDP_IPV6 | \
		     IGB_MRQC_UDP_IPV6EX)

struct igb_rxq {
	struct pf_dma ring, bufs;       /* driver's: descriptors and their buffers */
	uint32_t next;                  /* next descriptor the NIC may have filled */
	uint32_t tail;                  /* the value last written to RDT */
	bool discarding;                /* inside a frame longer than a buffer */
};

struct igb {
	struct pf_nic nic;              /* first: the ops get a struct pf_nic * */
	uint32_t rx_size, tx_size;      /* descriptors per ring, powers of two */
	bool rss;                       /* MRQC set for RSS: write-back has the hash */
	struct igb_rxq rxq[IGB_MAX_RX_QUEUES];
	struct pf_dma tx_ring, tx_bufs;
	uint32_t tx_tail;               /* next free TX descriptor */
	uint32_t tx_flushed;            /* the value last written to TDT */
	uint32_t tx_clean;              /* oldest TX descriptor not yet seen done */
	struct pf_nic_stats stats;      /* totals, the NIC's counters added in */
};

static struct igb *igb_of(struct pf_nic *nic)
{
	return (struct igb *)nic;
}

static volatile union igb_adv_rx_desc *rx_desc_at(struct igb_rxq *q, uint32_t i)
{
	return (volatile union igb_adv_rx_desc *)q->ring.virt + i;
}

static volatile union igb_adv_tx_desc *tx_desc_at(struct igb *g, uint32_t i)
{
	return (volatile union igb_adv_tx_desc *)g->tx_ring.virt + i;
}

/* ------------------------------------------------------------ bring-up */

/* Waits up to limit_us for (reg & bit) to equal want: 0, or -ETIMEDOUT. */
static int wait_bit(struct pf_bus *bus, uint32_t reg, uint32_t bit, uint32_t want,
		    unsigned limit_us)
{
	for (unsigned waited = 0; (pf_reg_read(bus, reg) & bit) != want; waited += 10) {
		if (waited >= limit_us)
			return -ETIMEDOUT;
		pf_nic_sleep_us(10);
	}
	return 0;
}

/* Masks every interrupt (legacy IMC and extended EIMC: nothing here is
 * interrupt driven, and the kernel driver that had the NIC before must not
 * get them either), resets the NIC and waits for CTRL.RST to clear; masks
 * again, since the reset unmasks. */
static int igb_reset(struct pf_bus *bus, char *err, size_t errlen)
{
	pf_reg_write(bus, IGB_IMC, 0xffffffffu);
	pf_reg_write(bus, IGB_EIMC, 0xffffffffu);
	pf_reg_write(bus, IGB_CTRL, pf_reg_read(bus, IGB_CTRL) | IGB_CTRL_RST);
	if (wait_bit(bus, IGB_CTRL, IGB_CTRL_RST, 0, RESET_WAIT_US)) {
		snprintf(err, errlen, "igb %s: CTRL.RST still set %u ms after the reset", bus->addr,
			 RESET_WAIT_US / 1000);
		return -ETIMEDOUT;
	}
	/* the datasheet asks for 1 ms before the next register access */
	pf_nic_sleep_us(1000);
	pf_reg_write(bus, IGB_IMC, 0xffffffffu);
	pf_reg_write(bus, IGB_EIMC, 0xffffffffu);
	(void)pf_reg_read_clear(bus, IGB_ICR);
	return 0;
}

/* One MDIC access to a register of the PHY: 0 and *data (reads), or -errno
 * after a message. */
static int mdic(struct pf_bus *bus, uint32_t op, uint32_t reg, uint16_t *data, char *err,
		size_t errlen)
{
	uint32_t val;

	pf_reg_write(bus, IGB_MDIC, op | IGB_MDIC_PHY(IGB_PHY_ADDR) | IGB_MDIC_REG(reg) |
		     (op == IGB_MDIC_OP_WRITE ? *data : 0));
	if (wait_bit(bus, IGB_MDIC, IGB_MDIC_READY, IGB_MDIC_READY, MDIC_WAIT_US)) {
		snprintf(err, errlen, "igb %s: MDIC.READY not set %u ms after a PHY access",
			 bus->addr, MDIC_WAIT_US / 1000);
		return -ETIMEDOUT;
	}
	val = pf_reg_read(bus, IGB_MDIC);
	if (val & IGB_MDIC_ERROR) {
		snprintf(err, errlen, "igb %s: MDIC.E: the PHY refused access to its register %u",
			 bus->addr, reg);
		return -EIO;
	}
	*data = (uint16_t)(val & IGB_MDIC_DATA);
	return 0;
}

/* Link: CTRL.SLU, then PHY autonegotiation restarted through BMCR. The 82576
 * (and QEMU's model of it) keeps the link down after CTRL.RST until then; the
 * link comes up later (QEMU: about 0.5 s), the caller waits for it
 * (pf_nic_link_up). */
static int igb_link_restart(struct pf_bus *bus, char *err, size_t errlen)
{
	uint16_t bmcr;
	int rc;

	pf_reg_write(bus, IGB_CTRL, pf_reg_read(bus, IGB_CTRL) | IGB_CTRL_SLU);
	rc = mdic(bus, IGB_MDIC_OP_READ, IGB_PHY_BMCR, &bmcr, err, errlen);
	if (rc)
		return rc;
	bmcr |= IGB_BMCR_AN_ENABLE | IGB_BMCR_AN_RESTART;
	return mdic(bus, IGB_MDIC_OP_WRITE, IGB_PHY_BMCR, &bmcr, err, errlen);
}

static int alloc_rings(struct igb *g, char *err, size_t errlen)
{
	struct pf_bus *bus = g->nic.bus;
	int rc = 0;

	for (uint16_t q = 0; q < g->nic.num_rx_queues && rc == 0; q++) {
		rc = pf_dma_alloc(bus, g->rx_size * sizeof(union igb_adv_rx_desc), &g->rxq[q].ring,
				  err, errlen);
		if (rc == 0)
			rc = pf_dma_alloc(bus, (size_t)g->rx_size * PF_NIC_BUF_SIZE, &g->rxq[q].bufs,
					  err, errlen);
	}
	if (rc == 0)
		rc = pf_dma_alloc(bus, g->tx_size * sizeof(union igb_adv_tx_desc), &g->tx_ring,
				  err, errlen);
	if (rc == 0)
		rc = pf_dma_alloc(bus, (size_t)g->tx_size * PF_NIC_BUF_SIZE, &g->tx_bufs, err,
				  errlen);
	return rc;
}

/* A ring of n descriptors (16 bytes each; ring->size may be more): its base,
 * length, head and tail at 0. base is RDBAL(q) or TDBAL(q). */
static void ring_regs(struct pf_bus *bus, uint32_t base, const struct pf_dma *ring, uint32_t n)
{
	pf_reg_write(bus, base, (uint32_t)ring->iova);
	pf_reg_write(bus, base + IGB_RING_BAH, (uint32_t)(ring->iova >> 32));
	pf_reg_write(bus, base + IGB_RING_LEN, n * 16);
	pf_reg_write(bus, base + IGB_RING_H, 0);
	pf_reg_write(bus, base + IGB_RING_T, 0);
}

/* Sets the enable bit of RXDCTL or TXDCTL and waits until the NIC shows it. */
static int enable_queue(struct pf_bus *bus, uint32_t dctl, const char *which, uint16_t q,
			char *err, size_t errlen)
{
	pf_reg_write(bus, dctl, pf_reg_read(bus, dctl) | IGB_DCTL_ENABLE);
	if (wait_bit(bus, dctl, IGB_DCTL_ENABLE, IGB_DCTL_ENABLE, QUEUE_WAIT_US)) {
		snprintf(err, errlen, "igb %s: %sDCTL(%u).ENABLE not set %u ms after enabling",
			 bus->addr, which, q, QUEUE_WAIT_US / 1000);
		return -ETIMEDOUT;
	}
	return 0;
}

/* RSS over the RX queues: RETA spreads them round robin, RSSRK holds the key
 * (core's: Microsoft's, or 0x6d5a repeated for both directions of a flow on
 * one queue), RXCSUM.PCSD puts the hash in the write-back (and QEMU does RSS
 * only with it), MRQC turns RSS on for every IPv4/IPv6 TCP/UDP field. */
static void setup_rss(struct igb *g, bool symmetric)
{
	struct pf_bus *bus = g->nic.bus;
	const uint8_t *key = symmetric ? pf_rss_key_symmetric : pf_rss_key_default;

	for (uint32_t i = 0; i < IGB_RETA_ENTRIES; i += 4) {
		uint32_t reta = 0;

		for (uint32_t b = 0; b < 4; b++)
			reta |= ((i + b) % g->nic.num_rx_queues) << (8 * b);
		pf_reg_write(bus, IGB_RETA + i, reta);
	}
	for (uint32_t i = 0; i < IGB_RSSRK_BYTES; i += 4)
		pf_reg_write(bus, IGB_RSSRK + i, (uint32_t)key[i] | (uint32_t)key[i + 1] << 8 |
			     (uint32_t)key[i + 2] << 16 | (uint32_t)key[i + 3] << 24);
	pf_reg_write(bus, IGB_RXCSUM, IGB_RXCSUM_PCSD);
	pf_reg_write(bus, IGB_MRQC, IGB_MRQC_RSS | MRQC_FIELDS);
	g->rss = true;
}

static int setup_rx(struct igb *g, const struct pf_nic_config *cfg, char *err, size_t errlen)
{
	struct pf_bus *bus = g->nic.bus;
	uint32_t rctl = IGB_RCTL_BAM | IGB_RCTL_SECRC | IGB_RCTL_LPE;

	for (uint32_t i = 0; i < 128; i++)
		pf_reg_write(bus, IGB_MTA + 4 * i, 0);
	if (g->nic.num_rx_queues > 1)
		setup_rss(g, cfg->symmetric_rss);
	for (uint16_t q = 0; q < g->nic.num_rx_queues; q++) {
		struct igb_rxq *rq = &g->rxq[q];

		for (uint32_t i = 0; i < g->rx_size; i++)
			rx_desc_at(rq, i)->read.pkt_addr = rq->bufs.iova + (uint64_t)i * PF_NIC_BUF_SIZE;
		ring_regs(bus, IGB_RDBAL(q), &rq->ring, g->rx_size);
		pf_reg_write(bus, IGB_SRRCTL(q), IGB_SRRCTL_BSIZEPKT(PF_NIC_BUF_SIZE / 1024) |
			     IGB_SRRCTL_DESCTYPE_ADV1);
		int rc = enable_queue(bus, IGB_RXDCTL(q), "RX", q, err, errlen);

		if (rc)
			return rc;
	}
	/* LPE with the largest RLPML: a frame longer than a buffer arrives over
	 * several descriptors and the driver drops and counts it (rx_oversize),
	 * where the NIC would drop it into a counter this driver does not read. */
	pf_reg_write(bus, IGB_RLPML, IGB_RLPML_MAX);
	if (cfg->promisc)
		rctl |= IGB_RCTL_UPE | IGB_RCTL_MPE;
	pf_reg_write(bus, IGB_RCTL, rctl | IGB_RCTL_EN);
	pf_wmb();
	for (uint16_t q = 0; q < g->nic.num_rx_queues; q++) {
		g->rxq[q].next = 0;
		g->rxq[q].tail = g->rx_size - 1;
		pf_reg_write(bus, IGB_RDT(q), g->rxq[q].tail);
	}
	return 0;
}

static int setup_tx(struct igb *g, char *err, size_t errlen)
{
	struct pf_bus *bus = g->nic.bus;

	ring_regs(bus, IGB_TDBAL(0), &g->tx_ring, g->tx_size);
	int rc = enable_queue(bus, IGB_TXDCTL(0), "TX", 0, err, errlen);

	if (rc)
		return rc;
	pf_reg_write(bus, IGB_TCTL, IGB_TCTL_EN | IGB_TCTL_PSP | IGB_TCTL_CT | IGB_TCTL_COLD);
	g->tx_tail = g->tx_flushed = g->tx_clean = 0;
	return 0;
}

/* ------------------------------------------------------------ RX */

/* Gives the NIC back every descriptor from RDT up to the one before the
 * queue's next, with one tail write: the frames lent by the last rx_batch end
 * here. The write-back overwrote the buffer address: it is written again. */
static void rx_refill(struct igb *g, uint16_t queue)
{
	struct igb_rxq *q = &g->rxq[queue];
	uint32_t last = (q->next - 1) & (g->rx_size - 1);

	if (last == q->tail)
		return;
	for (uint32_t i = q->tail; i != last; i = (i + 1) & (g->rx_size - 1)) {
		volatile union igb_adv_rx_desc *d = rx_desc_at(q, i);

		d->read.pkt_addr = q->bufs.iova + (uint64_t)i * PF_NIC_BUF_SIZE;
		d->read.hdr_addr = 0;   /* clears DD (write-back's status_error) */
	}
	q->tail = last;
	pf_wmb();
	pf_reg_write(g->nic.bus, IGB_RDT(queue), last);
}

static uint32_t igb_rx_batch(struct pf_nic *nic, uint16_t queue, struct pf_nic_rx *bufs,
			     uint32_t max)
{
	struct igb *g = igb_of(nic);
	struct igb_rxq *q = &g->rxq[queue];
	uint32_t got = 0;

	rx_refill(g, queue);
	/* q->tail's descriptor is the driver's, DD maybe still set from its last
	 * frame: the NIC's part of the ring ends before it */
	while (got < max && q->next != q->tail) {
		volatile union igb_adv_rx_desc *d = rx_desc_at(q, q->next);
		uint32_t status = d->wb.status_error;

		if (!(status & IGB_RXD_STAT_DD))
			break;
		pf_rmb();
		uint32_t i = q->next;

		q->next = (i + 1) & (g->rx_size - 1);
		if (!(status & IGB_RXD_STAT_EOP)) {
			q->discarding = true;       /* a frame's first buffers */
			continue;
		}
		if (q->discarding) {               /* its last one */
			q->discarding = false;
			g->stats.rx_oversize++;
			continue;
		}
		if (status & IGB_RXDEXT_ERR_FRAME) {
			g->stats.rx_errors++;
			continue;
		}
		bufs[got].data = (const uint8_t *)q->bufs.virt + (size_t)i * PF_NIC_BUF_SIZE;
		bufs[got].len = d->wb.length;
		bufs[got].rss_hash = g->rss ? d->wb.rss : 0;
		got++;
	}
	g->stats.rx_delivered += got;
	return got;
}

/* ------------------------------------------------------------ TX */

/* Frees the descriptors the NIC has sent (DD), oldest first. */
static void tx_clean(struct igb *g)
{
	while (g->tx_clean != g->tx_tail) {
		volatile union igb_adv_tx_desc *d = tx_desc_at(g, g->tx_clean);

		if (!(d->wb.status & IGB_TXD_STAT_DD))
			break;
		d->wb.status = 0;
		g->tx_clean = (g->tx_clean + 1) & (g->tx_size - 1);
	}
}

static int igb_tx_batch(struct pf_nic *nic, uint16_t queue, const struct pf_nic_tx *frames,
			uint32_t n)
{
	struct igb *g = igb_of(nic);
	uint32_t mask = g->tx_size - 1, taken = 0;

	(void)queue;
	tx_clean(g);
	for (; taken < n; taken++) {
		uint32_t next = (g->tx_tail + 1) & mask;
		uint16_t len = frames[taken].len;

		if (len == 0 || len > PF_NIC_BUF_SIZE) {
			if (taken)
				break;
			pf_api_message("igb %s: tx of a %u-byte frame: 1 to %u bytes",
				       nic->bus->addr, len, PF_NIC_BUF_SIZE);
			return -EMSGSIZE;
		}
		if (next == g->tx_clean)
			break;  /* full: the NIC has not sent enough yet */
		volatile union igb_adv_tx_desc *d = tx_desc_at(g, g->tx_tail);
		uint64_t addr = g->tx_bufs.iova + (uint64_t)g->tx_tail * PF_NIC_BUF_SIZE;

		memcpy((uint8_t *)g->tx_bufs.virt + (size_t)g->tx_tail * PF_NIC_BUF_SIZE,
		       frames[taken].data, len);
		/* the write-back overwrote all of it: every field again */
		d->read.buffer_addr = addr;
		d->read.cmd_type_len = len | IGB_TXD_DTYP_DATA | IGB_TXD_DCMD_DEXT |
				       IGB_TXD_DCMD_EOP | IGB_TXD_DCMD_IFCS | IGB_TXD_DCMD_RS;
		d->read.olinfo_status = (uint32_t)len << IGB_TXD_PAYLEN_SHIFT;  /* DD clear */
		g->tx_tail = next;
	}
	return (int)taken;
}

static void igb_tx_flush(struct pf_nic *nic, uint16_t queue)
{
	struct igb *g = igb_of(nic);

	(void)queue;
	if (g->tx_tail == g->tx_flushed)
		return;
	pf_wmb();
	pf_reg_write(nic->bus, IGB_TDT(0), g->tx_tail);
	g->tx_flushed = g->tx_tail;
}

/* ------------------------------------------------------------ stats, link, close */

static void igb_stats(struct pf_nic *nic, struct pf_nic_stats *out)
{
	struct igb *g = igb_of(nic);
	struct pf_bus *bus = nic->bus;

	g->stats.rx_packets += pf_reg_read_clear(bus, IGB_GPRC);
	g->stats.rx_bytes += pf_nic_read_octets(bus, IGB_GORCL, IGB_GORCH);
	g->stats.rx_missed += pf_reg_read_clear(bus, IGB_MPC);
	g->stats.rx_no_buffer += pf_reg_read_clear(bus, IGB_RNBC);
	g->stats.tx_packets += pf_reg_read_clear(bus, IGB_GPTC);
	g->stats.tx_bytes += pf_nic_read_octets(bus, IGB_GOTCL, IGB_GOTCH);
	*out = g->stats;
}

static bool igb_link_up(struct pf_nic *nic)
{
	return pf_reg_read(nic->bus, IGB_STATUS) & IGB_STATUS_LU;
}

static void free_rings(struct igb *g)
{
	for (uint16_t q = 0; q < IGB_MAX_RX_QUEUES; q++) {
		if (g->rxq[q].ring.virt)
			pf_dma_free(g->nic.bus, &g->rxq[q].ring);
		if (g->rxq[q].bufs.virt)
			pf_dma_free(g->nic.bus, &g->rxq[q].bufs);
	}
	if (g->tx_ring.virt)
		pf_dma_free(g->nic.bus, &g->tx_ring);
	if (g->tx_bufs.virt)
		pf_dma_free(g->nic.bus, &g->tx_bufs);
}

/* Stops the DMA (before its memory goes) and masks the interrupts. */
static void igb_stop(struct pf_bus *bus, uint16_t rx_queues)
{
	pf_reg_write(bus, IGB_RCTL, 0);
	pf_reg_write(bus, IGB_TCTL, 0);
	for (uint16_t q = 0; q < rx_queues; q++)
		pf_reg_write(bus, IGB_RXDCTL(q), 0);
	pf_reg_write(bus, IGB_TXDCTL(0), 0);
	pf_reg_write(bus, IGB_IMC, 0xffffffffu);
	pf_reg_write(bus, IGB_EIMC, 0xffffffffu);
}

static void igb_close(struct pf_nic *nic)
{
	struct igb *g = igb_of(nic);
	struct pf_bus *bus = nic->bus;

	igb_stop(bus, nic->num_rx_queues);
	free_rings(g);
	free(g);
	pf_bus_close(bus);
}

/* add_5tuple stays NULL: QEMU's igb does not emulate the 5-tuple filters
 * (FTQF/DAQF/SAQF/SDPQF), so nothing could test them (docs/decisions.md). */
static const struct pf_nic_ops igb_ops = {
	.rx_batch = igb_rx_batch,
	.tx_batch = igb_tx_batch,
	.tx_flush = igb_tx_flush,
	.stats = igb_stats,
	.close = igb_close,
	.link_up = igb_link_up,
};

static int igb_bring_up(struct igb *g, const struct pf_nic_config *cfg, char *err,
			size_t errlen)
{
	struct pf_bus *bus = g->nic.bus;
	int rc = igb_reset(bus, err, errlen);

	if (rc == 0)
		rc = alloc_rings(g, err, errlen);
	if (rc)
		return rc;
	pf_nic_read_mac(bus, g->nic.mac);
	rc = igb_link_restart(bus, err, errlen);
	if (rc == 0)
		rc = setup_rx(g, cfg, err, errlen);
	if (rc == 0)
		rc = setup_tx(g, err, errlen);
	if (rc)
		igb_stop(bus, g->nic.num_rx_queues);
	return rc;
}

int pf_igb_open(struct pf_bus *bus, const struct pf_nic_config *cfg, struct pf_nic **out,
		char *err, size_t errlen)
{
	int rx_n = pf_nic_ring_size("igb", cfg->rx_ring_size, "RX", err, errlen);
	int tx_n = rx_n < 0 ? rx_n : pf_nic_ring_size("igb", cfg->tx_ring_size, "TX", err, errlen);

	if (tx_n < 0)
		return tx_n;
	struct igb *g = calloc(1, sizeof(*g));

	if (!g) {
		snprintf(err, errlen, "igb %s: out of memory", bus->addr);
		return -ENOMEM;
	}
	uint16_t queues = cfg->rx_queues > IGB_MAX_RX_QUEUES ? IGB_MAX_RX_QUEUES :
			  cfg->rx_queues ? cfg->rx_queues : 1;

	g->nic = (struct pf_nic){ .ops = &igb_ops, .bus = bus, .driver = "igb",
				  .num_rx_queues = queues, .num_tx_queues = 1 };
	g->rx_size = (uint32_t)rx_n;
	g->tx_size = (uint32_t)tx_n;
	int rc = igb_bring_up(g, cfg, err, errlen);

	if (rc < 0) {
		free_rings(g);
		free(g);
		return rc;
	}
	*out = &g->nic;
	return 0;
}
