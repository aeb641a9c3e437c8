/*
 * tests/unit/fake_igb.c - the 82576 model of the fake bus (fake_igb.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/hash.h"
#include "fake_igb.h"

#define BMCR_POWER_ON 0x1140u   /* autonegotiation enabled, 1000 Mb/s, full duplex */

static struct fake_bus *fake_of(struct pf_bus *bus)
{
	return (struct fake_bus *)bus;
}

static void igb_reset(struct fake_bus *fb)
{
	memset((void *)fb->bus.bar0, 0, FAKE_BAR0_LEN);
	fake_reg_set(fb, IGB_RAL0, (uint32_t)fb->mac[0] | (uint32_t)fb->mac[1] << 8 |
		     (uint32_t)fb->mac[2] << 16 | (uint32_t)fb->mac[3] << 24);
	fake_reg_set(fb, IGB_RAH0, (uint32_t)fb->mac[4] | (uint32_t)fb->mac[5] << 8 | IGB_RAH_AV);
	fake_reg_set(fb, IGB_CTRL, fb->rst_sticks ? IGB_CTRL_RST : 0);
	fb->igb->bmcr = BMCR_POWER_ON;
	fb->igb->ims = fb->igb->eims = 0;
	fb->resets++;
}

/* An MDIC access: PHY 1's BMCR (the only register modelled; others read 0). */
static void igb_mdic(struct fake_bus *fb, uint32_t val)
{
	struct fake_igb *m = fb->igb;
	uint32_t reg = (val >> 16) & 0x1f, data = val & IGB_MDIC_DATA;

	if (m->mdic_stuck) {
		fake_reg_set(fb, IGB_MDIC, val & ~IGB_MDIC_READY);
		return;
	}
	if (((val >> 21) & 0x1f) != IGB_PHY_ADDR) {
		fake_reg_set(fb, IGB_MDIC, val | IGB_MDIC_ERROR | IGB_MDIC_READY);
		return;
	}
	if ((val & IGB_MDIC_OP_READ) == IGB_MDIC_OP_READ) {
		data = reg == IGB_PHY_BMCR ? m->bmcr : 0;
	} else if (reg == IGB_PHY_BMCR) {
		m->bmcr = (uint16_t)(data & ~IGB_BMCR_AN_RESTART);
		if ((data & IGB_BMCR_AN_RESTART) && (data & IGB_BMCR_AN_ENABLE)) {
			m->an_restarts++;
			if (!m->link_stays_down)
				fake_reg_set(fb, IGB_STATUS, fake_reg(fb, IGB_STATUS) | IGB_STATUS_LU);
		}
	}
	fake_reg_set(fb, IGB_MDIC, (val & ~IGB_MDIC_DATA) | data | IGB_MDIC_READY);
}

static void igb_transmit(struct fake_bus *fb)
{
	uint32_t n = fake_reg(fb, IGB_TDBAL(0) + IGB_RING_LEN) / sizeof(union igb_adv_tx_desc);
	uint32_t head = fake_reg(fb, IGB_TDBAL(0) + IGB_RING_H), tail = fake_reg(fb, IGB_TDT(0));
	union igb_adv_tx_desc *ring = fake_dma_virt(fb, fake_reg_pair(fb, IGB_TDBAL(0),
						    IGB_TDBAL(0) + IGB_RING_BAH), (size_t)n * 16);
	const uint32_t data_desc = IGB_TXD_DCMD_DEXT | IGB_TXD_DTYP_DATA | IGB_TXD_DCMD_EOP;

	if (!(fake_reg(fb, IGB_TCTL) & IGB_TCTL_EN) ||
	    !(fake_reg(fb, IGB_TXDCTL(0)) & IGB_DCTL_ENABLE) || !ring || n == 0 || tail >= n)
		return;
	for (; head != tail; head = (head + 1) % n) {
		union igb_adv_tx_desc *d = &ring[head];
		uint32_t cmd = d->read.cmd_type_len, len = cmd & IGB_TXD_LEN_MASK;
		const uint8_t *src = fake_dma_virt(fb, d->read.buffer_addr, len);

		if ((cmd & data_desc) != data_desc) {
			fb->igb->bad_tx++;
			continue;
		}
		if (!src || fb->n_sent == FAKE_MAX_SENT) {
			fb->dma_faults += !src;
			break;
		}
		struct fake_frame *f = &fb->sent[fb->n_sent++];

		f->bytes = malloc(len ? len : 1);
		if (!f->bytes)
			abort();
		memcpy(f->bytes, src, len);
		f->len = (uint16_t)len;
		if (cmd & IGB_TXD_DCMD_RS)
			d->wb.status |= IGB_TXD_STAT_DD;
		fake_reg_add(fb, IGB_GPTC, 1);
		fake_reg_add64(fb, IGB_GOTCL, IGB_GOTCH, len + 4u);
	}
	fake_reg_set(fb, IGB_TDBAL(0) + IGB_RING_H, head);
}

static void after_write(struct pf_bus *bus, uint32_t reg, uint32_t val)
{
	struct fake_bus *fb = fake_of(bus);

	if (reg == IGB_CTRL && (val & IGB_CTRL_RST))
		igb_reset(fb);
	else if (reg == IGB_IMC)
		fb->igb->ims &= ~val;
	else if (reg == IGB_EIMC)
		fb->igb->eims &= ~val;
	else if (reg == IGB_MDIC)
		igb_mdic(fb, val);
	else if (reg == IGB_TDT(0)) {
		fb->igb->tdt_writes++;
		igb_transmit(fb);
	}
	for (uint32_t q = 0; q < IGB_MAX_RX_QUEUES; q++)
		if (reg == IGB_RDT(q))
			fb->igb->rdt_writes[q]++;
}

/* ------------------------------------------------------------ RSS */

static uint32_t be16_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/* The RSS input of an untagged frame as MRQC's fields select it: 0 bytes
 * when none applies (non-IP, or IP with no field enabled). */
static uint32_t rss_input(const uint8_t *f, size_t len, uint32_t mrqc, uint8_t in[36])
{
	uint32_t type = len >= 14 ? be16_at(f + 12) : 0, n, proto, l4;

	if (type == 0x0800 && len >= 34 && (mrqc & IGB_MRQC_IPV4)) {
		memcpy(in, f + 26, 8);
		n = 8;
		proto = f[23];
		l4 = 14 + 4u * (f[14] & 0x0f);
		if (be16_at(f + 20) & 0x3fff)   /* a fragment: no ports */
			return n;
		if (!((proto == 6 && (mrqc & IGB_MRQC_TCP_IPV4)) ||
		      (proto == 17 && (mrqc & IGB_MRQC_UDP_IPV4))))
			return n;
	} else if (type == 0x86dd && len >= 54 && (mrqc & IGB_MRQC_IPV6)) {
		memcpy(in, f + 22, 32);
		n = 32;
		proto = f[20];
		l4 = 54;
		if (!((proto == 6 && (mrqc & IGB_MRQC_TCP_IPV6EX)) ||
		      (proto == 17 && (mrqc & IGB_MRQC_UDP_IPV6))))
			return n;
	} else {
		return 0;
	}
	if (len < l4 + 4)
		return n;
	memcpy(in + n, f + l4, 4);
	return n + 4;
}

/* The queue RSS picks for the frame (0 when RSS is off), its hash in last_hash. */
static uint32_t rss_queue(struct fake_bus *fb, const uint8_t *frame, size_t len)
{
	uint32_t mrqc = fake_reg(fb, IGB_MRQC);
	uint8_t key[IGB_RSSRK_BYTES], in[36];

	fb->igb->last_hash = 0;
	if ((mrqc & IGB_MRQC_MODE_MASK) != IGB_MRQC_RSS ||
	    !(fake_reg(fb, IGB_RXCSUM) & IGB_RXCSUM_PCSD))
		return 0;
	for (uint32_t i = 0; i < IGB_RSSRK_BYTES; i++)
		key[i] = (uint8_t)(fake_reg(fb, IGB_RSSRK + (i & ~3u)) >> (8 * (i & 3)));
	uint32_t n = rss_input(frame, len, mrqc, in);

	if (n == 0)
		return 0;
	fb->igb->last_hash = pf_toeplitz(key, IGB_RSSRK_BYTES, in, n);
	uint32_t entry = fb->igb->last_hash & (IGB_RETA_ENTRIES - 1);

	return (fake_reg(fb, IGB_RETA + (entry & ~3u)) >> (8 * (entry & 3))) & IGB_RETA_QUEUE;
}

/* ------------------------------------------------------------ receive */

/* Writes back advanced descriptor desc after a piece of a frame went into
 * its buffer. */
static void write_back(struct fake_bus *fb, void *desc, uint16_t piece, bool eop, void *ctx)
{
	union igb_adv_rx_desc *d = desc;

	(void)ctx;
	memset(d, 0, sizeof(*d));
	d->wb.length = piece;
	d->wb.rss = eop ? fb->igb->last_hash : 0;
	d->wb.status_error = IGB_RXD_STAT_DD | (eop ? IGB_RXD_STAT_EOP | fb->igb->next_rx_error : 0);
}

/* Stores the frame through queue q's descriptors: 0 or -errno. */
static int store(struct fake_bus *fb, uint32_t q, const uint8_t *frame, size_t len)
{
	uint32_t base = IGB_RDBAL(q), srrctl = fake_reg(fb, IGB_SRRCTL(q));
	uint32_t n = fake_reg(fb, base + IGB_RING_LEN) / sizeof(union igb_adv_rx_desc);
	uint32_t head = fake_reg(fb, base + IGB_RING_H), tail = fake_reg(fb, base + IGB_RING_T);
	uint32_t bsize = (srrctl & IGB_SRRCTL_BSIZEPKT_MASK) * 1024;
	size_t stored = len + ((fake_reg(fb, IGB_RCTL) & IGB_RCTL_SECRC) ? 0 : 4);

	if (!(fake_reg(fb, IGB_RXDCTL(q)) & IGB_DCTL_ENABLE) || n == 0 || bsize == 0 ||
	    (srrctl & IGB_SRRCTL_DESCTYPE_MASK) != IGB_SRRCTL_DESCTYPE_ADV1 || tail >= n)
		return -ENETDOWN;
	uint32_t needed = (uint32_t)((stored + bsize - 1) / bsize);

	if (needed > (tail + n - head) % n) {
		fake_reg_add(fb, IGB_MPC, 1);
		fake_reg_add(fb, IGB_RNBC, 1);
		return -ENOBUFS;
	}
	int rc = fake_store_frame(fb, fake_reg_pair(fb, base, base + IGB_RING_BAH), n, &head, frame,
				  len, stored, bsize, write_back, NULL);

	if (rc)
		return rc;
	fb->igb->next_rx_error = 0;
	fake_reg_set(fb, base + IGB_RING_H, head);
	fake_reg_add(fb, IGB_GPRC, 1);
	fake_reg_add64(fb, IGB_GORCL, IGB_GORCH, len + 4u);
	return 0;
}

int fake_igb_inject(struct fake_bus *fb, const void *frame, size_t len)
{
	uint32_t rctl = fake_reg(fb, IGB_RCTL);

	if (!(rctl & IGB_RCTL_EN) || !(fake_reg(fb, IGB_STATUS) & IGB_STATUS_LU))
		return -ENETDOWN;
	if (len < 14 || len > FAKE_MAX_FRAME || !fake_address_passes(fb, frame, rctl))
		return -EPERM;
	if ((rctl & IGB_RCTL_LPE) ? len + 4 > fake_reg(fb, IGB_RLPML) : len > 1514) {
		fake_reg_add(fb, IGB_ROC, 1);
		return -EPERM;
	}
	uint32_t q = rss_queue(fb, frame, len);
	int rc = store(fb, q, frame, len);

	return rc < 0 ? rc : (int)q;
}

struct fake_bus *fake_igb_new(const uint8_t mac[6])
{
	struct fake_bus *fb = fake_bus_new(mac);

	fb->igb = calloc(1, sizeof(*fb->igb));
	if (!fb->igb)
		abort();
	fake_bus_set_model(fb, 0x10c9, after_write);
	igb_reset(fb);
	fb->resets = 0;
	fb->igb->ims = 0x1f;    /* as the kernel's driver left them */
	fb->igb->eims = 0x7;
	return fb;
}
