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
#include <time.h>
#include "drivers/device.h"
#include "util/api_message.h"

/* Registers (byte offsets in BAR0). */
#define CTRL       0x0000
#define STATUS     0x0008
#define ICR        0x00c0
#define IMC        0x00d8
#define RCTL       0x0100
#define TCTL       0x0400
#define TIPG       0x0410
#define RDBAL      0x2800
#define RDBAH      0x2804
#define RDLEN      0x2808
#define RDH        0x2810
#define RDT        0x2818
#define TDBAL      0x3800
#define TDBAH      0x3804
#define TDLEN      0x3808
#define TDH        0x3810
#define TDT        0x3818
#define MPC        0x4010
#define GPRC       0x4074
#define GPTC       0x4080
#define GORCL      0x4088
#define GORCH      0x408c
#define GOTCL      0x4090
#define GOTCH      0x4094
#define RNBC       0x40a0
#define RFCTL      0x5008
#define MTA        0x5200   /* 128 registers */
#define RAL0       0x5400
#define RAH0       0x5404

#define CTRL_SLU        (1u << 6)
#define CTRL_RST        (1u << 26)
#define RCTL_EN         (1u << 1)
#define RCTL_UPE        (1u << 3)
#define RCTL_MPE        (1u << 4)
#define RCTL_LPE        (1u << 5)
#define RCTL_BAM        (1u << 15)
#define RCTL_SECRC      (1u << 26)  /* BSIZE 00, BSEX 0: 2048-byte buffers */
#define TCTL_EN         (1u << 1)
#define TCTL_PSP        (1u << 3)
#define TCTL_CT_DEFAULT (0x0fu << 4)
#define TCTL_COLD_FULL  (0x3fu << 12)
#define TIPG_DEFAULT    (8u | (8u << 10) | (6u << 20))  /* IPGT 8, IPGR1 8, IPGR2 6 */
#define RAH_AV          (1u << 31)

/* Legacy descriptors (datasheet 7.1.4 and 7.2.10.1). */
struct rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};
_Static_assert(sizeof(struct rx_desc) == 16, "legacy RX descriptor: 16 bytes");

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};
_Static_assert(sizeof(struct tx_desc) == 16, "legacy TX descriptor: 16 bytes");

#define RXD_STAT_DD  (1u << 0)
#define RXD_STAT_EOP (1u << 1)
#define TXD_CMD_EOP  (1u << 0)
#define TXD_CMD_IFCS (1u << 1)
#define TXD_CMD_RS   (1u << 3)
#define TXD_STAT_DD  (1u << 0)

#define BUF_SIZE        2048u
#define RING_DEFAULT    512u
#define RING_MIN        8u      /* RDLEN and TDLEN: multiples of 128 bytes */
#define RING_MAX        4096u
#define RESET_WAIT_US   100000u

/* The NIC writes descriptors and buffers behind the compiler's back: DD is read
 * before the rest of a descriptor (read barrier), and descriptors are complete
 * in memory before the tail register hands them over (write barrier). */
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

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

static volatile struct rx_desc *rx_desc_at(struct e1000e *e, uint32_t i)
{
	return (volatile struct rx_desc *)e->rx_ring.virt + i;
}

static volatile struct tx_desc *tx_desc_at(struct e1000e *e, uint32_t i)
{
	return (volatile struct tx_desc *)e->tx_ring.virt + i;
}

/* ------------------------------------------------------------ bring-up */

static void sleep_us(unsigned us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/* Masks every interrupt (nothing here is interrupt driven: the kernel driver
 * that had the NIC before must not get them either), resets the NIC and waits
 * for CTRL.RST to clear; masks again, since the reset unmasks. */
static int e1000e_reset(struct pf_bus *bus, char *err, size_t errlen)
{
	pf_reg_write(bus, IMC, 0xffffffffu);
	pf_reg_write(bus, CTRL, pf_reg_read(bus, CTRL) | CTRL_RST);
	for (unsigned waited = 0; pf_reg_read(bus, CTRL) & CTRL_RST; waited += 10) {
		if (waited >= RESET_WAIT_US) {
			snprintf(err, errlen, "e1000e %s: CTRL.RST still set %u ms after the reset",
				 bus->addr, RESET_WAIT_US / 1000);
			return -ETIMEDOUT;
		}
		sleep_us(10);
	}
	/* the datasheet asks for 1 ms before the next register access */
	sleep_us(1000);
	pf_reg_write(bus, IMC, 0xffffffffu);
	(void)pf_reg_read_clear(bus, ICR);
	return 0;
}

static int ring_size(uint32_t asked, const char *which, char *err, size_t errlen)
{
	uint32_t n = asked ? asked : RING_DEFAULT;

	if (n < RING_MIN || n > RING_MAX || (n & (n - 1))) {
		snprintf(err, errlen, "e1000e: %s ring of %u descriptors: a power of two from %u to %u",
			 which, n, RING_MIN, RING_MAX);
		return -EINVAL;
	}
	return (int)n;
}

static int alloc_ring(struct e1000e *e, uint32_t n, size_t desc_size, struct pf_dma *ring,
		      struct pf_dma *bufs, char *err, size_t errlen)
{
	int rc = pf_dma_alloc(e->nic.bus, n * desc_size, ring, err, errlen);

	if (rc == 0)
		rc = pf_dma_alloc(e->nic.bus, (size_t)n * BUF_SIZE, bufs, err, errlen);
	return rc;
}

static void setup_rx(struct e1000e *e, bool promisc)
{
	struct pf_bus *bus = e->nic.bus;
	uint32_t rctl = RCTL_BAM | RCTL_SECRC | RCTL_LPE;

	/* The kernel's driver sets RFCTL.EXTEN (extended descriptors): clear it,
	 * these are legacy ones. */
	pf_reg_write(bus, RFCTL, 0);
	for (uint32_t i = 0; i < 128; i++)
		pf_reg_write(bus, MTA + 4 * i, 0);
	for (uint32_t i = 0; i < e->rx_size; i++)
		rx_desc_at(e, i)->addr = e->rx_bufs.iova + (uint64_t)i * BUF_SIZE;
	pf_reg_write(bus, RDBAL, (uint32_t)e->rx_ring.iova);
	pf_reg_write(bus, RDBAH, (uint32_t)(e->rx_ring.iova >> 32));
	pf_reg_write(bus, RDLEN, e->rx_size * (uint32_t)sizeof(struct rx_desc));
	pf_reg_write(bus, RDH, 0);
	pf_reg_write(bus, RDT, 0);
	/* LPE: a frame longer than a buffer arrives over several descriptors and
	 * the driver drops and counts it (rx_oversize), where the NIC would drop
	 * it into a counter this driver does not read. */
	if (promisc)
		rctl |= RCTL_UPE | RCTL_MPE;
	pf_reg_write(bus, RCTL, rctl | RCTL_EN);
	e->rx_next = 0;
	e->rx_tail = e->rx_size - 1;
	wmb();
	pf_reg_write(bus, RDT, e->rx_tail);
}

static void setup_tx(struct e1000e *e)
{
	struct pf_bus *bus = e->nic.bus;

	for (uint32_t i = 0; i < e->tx_size; i++)
		tx_desc_at(e, i)->addr = e->tx_bufs.iova + (uint64_t)i * BUF_SIZE;
	pf_reg_write(bus, TDBAL, (uint32_t)e->tx_ring.iova);
	pf_reg_write(bus, TDBAH, (uint32_t)(e->tx_ring.iova >> 32));
	pf_reg_write(bus, TDLEN, e->tx_size * (uint32_t)sizeof(struct tx_desc));
	pf_reg_write(bus, TDH, 0);
	pf_reg_write(bus, TDT, 0);
	pf_reg_write(bus, TIPG, TIPG_DEFAULT);
	pf_reg_write(bus, TCTL, TCTL_EN | TCTL_PSP | TCTL_CT_DEFAULT | TCTL_COLD_FULL);
	e->tx_tail = e->tx_flushed = e->tx_clean = 0;
}

static void read_mac(struct e1000e *e)
{
	uint32_t ral = pf_reg_read(e->nic.bus, RAL0), rah = pf_reg_read(e->nic.bus, RAH0);

	for (int i = 0; i < 4; i++)
		e->nic.mac[i] = (uint8_t)(ral >> (8 * i));
	e->nic.mac[4] = (uint8_t)rah;
	e->nic.mac[5] = (uint8_t)(rah >> 8);
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
		volatile struct rx_desc *d = rx_desc_at(e, i);

		d->addr = e->rx_bufs.iova + (uint64_t)i * BUF_SIZE;
		d->status = 0;
	}
	e->rx_tail = last;
	wmb();
	pf_reg_write(e->nic.bus, RDT, last);
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
		volatile struct rx_desc *d = rx_desc_at(e, e->rx_next);
		uint8_t status = d->status;

		if (!(status & RXD_STAT_DD))
			break;
		rmb();
		uint32_t i = e->rx_next;

		e->rx_next = (i + 1) & (e->rx_size - 1);
		if (!(status & RXD_STAT_EOP)) {
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
		volatile struct tx_desc *d = tx_desc_at(e, e->tx_clean);

		if (!(d->status & TXD_STAT_DD))
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
		volatile struct tx_desc *d = tx_desc_at(e, e->tx_tail);

		memcpy((uint8_t *)e->tx_bufs.virt + (size_t)e->tx_tail * BUF_SIZE,
		       frames[taken].data, len);
		d->length = len;
		d->status = 0;
		d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
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
	wmb();
	pf_reg_write(nic->bus, TDT, e->tx_tail);
	e->tx_flushed = e->tx_tail;
}

/* ------------------------------------------------------------ stats, close */

/* A 64-bit octet counter: the low half first, reading the high half clears both. */
static uint64_t read_octets(struct pf_bus *bus, uint32_t low, uint32_t high)
{
	uint64_t lo = pf_reg_read_clear(bus, low);

	return lo | (uint64_t)pf_reg_read_clear(bus, high) << 32;
}

static void e1000e_stats(struct pf_nic *nic, struct pf_nic_stats *out)
{
	struct e1000e *e = e1000e_of(nic);
	struct pf_bus *bus = nic->bus;

	e->stats.rx_packets += pf_reg_read_clear(bus, GPRC);
	e->stats.rx_bytes += read_octets(bus, GORCL, GORCH);
	e->stats.rx_missed += pf_reg_read_clear(bus, MPC);
	e->stats.rx_no_buffer += pf_reg_read_clear(bus, RNBC);
	e->stats.tx_packets += pf_reg_read_clear(bus, GPTC);
	e->stats.tx_bytes += read_octets(bus, GOTCL, GOTCH);
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
	pf_reg_write(bus, RCTL, 0);
	pf_reg_write(bus, TCTL, 0);
	pf_reg_write(bus, IMC, 0xffffffffu);
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
	int rx_n = ring_size(cfg->rx_ring_size, "RX", err, errlen);
	int tx_n = rx_n < 0 ? rx_n : ring_size(cfg->tx_ring_size, "TX", err, errlen);

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
		rc = alloc_ring(e, e->rx_size, sizeof(struct rx_desc), &e->rx_ring, &e->rx_bufs,
				err, errlen);
	if (rc == 0)
		rc = alloc_ring(e, e->tx_size, sizeof(struct tx_desc), &e->tx_ring, &e->tx_bufs,
				err, errlen);
	if (rc < 0) {
		free_rings(e);
		free(e);
		return rc;
	}
	read_mac(e);
	pf_reg_write(bus, CTRL, pf_reg_read(bus, CTRL) | CTRL_SLU);
	setup_rx(e, cfg->promisc);
	setup_tx(e);
	*out = &e->nic;
	return 0;
}
