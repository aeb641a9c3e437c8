/*
 * tests/unit/fake_bus.c - the fake bus and its 82574 model (fake_bus.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_bus.h"
#include "core/hash.h"
#include "core/parse.h"

static struct fake_bus *fake_of(struct pf_bus *bus)
{
	return (struct fake_bus *)bus;
}

uint32_t fake_reg(const struct fake_bus *fb, uint32_t reg)
{
	return pf_reg_read(&fb->bus, reg);
}

void fake_reg_set(struct fake_bus *fb, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(fb->bus.bar0 + reg) = val;
}

void fake_reg_add(struct fake_bus *fb, uint32_t reg, uint32_t n)
{
	fake_reg_set(fb, reg, fake_reg(fb, reg) + n);
}

void fake_reg_add64(struct fake_bus *fb, uint32_t low, uint32_t high, uint64_t n)
{
	uint64_t v = ((uint64_t)fake_reg(fb, high) << 32 | fake_reg(fb, low)) + n;

	fake_reg_set(fb, low, (uint32_t)v);
	fake_reg_set(fb, high, (uint32_t)(v >> 32));
}

void *fake_dma_virt(struct fake_bus *fb, uint64_t iova, size_t len)
{
	if (iova < FAKE_IOVA_BASE || iova - FAKE_IOVA_BASE > FAKE_RAM_SIZE ||
	    len > FAKE_RAM_SIZE - (iova - FAKE_IOVA_BASE))
		return NULL;
	return fb->ram + (iova - FAKE_IOVA_BASE);
}

uint64_t fake_reg_pair(const struct fake_bus *fb, uint32_t low, uint32_t high)
{
	return (uint64_t)fake_reg(fb, high) << 32 | fake_reg(fb, low);
}

/* ------------------------------------------------------------ the model */

static void model_reset(struct fake_bus *fb)
{
	memset((void *)fb->bus.bar0, 0, FAKE_BAR0_LEN);
	fake_reg_set(fb, E1000_RAL0, (uint32_t)fb->mac[0] | (uint32_t)fb->mac[1] << 8 |
		     (uint32_t)fb->mac[2] << 16 | (uint32_t)fb->mac[3] << 24);
	fake_reg_set(fb, E1000_RAH0, (uint32_t)fb->mac[4] | (uint32_t)fb->mac[5] << 8 | 1u << 31);
	fake_reg_set(fb, E1000_STATUS, E1000_STATUS_LU);
	fake_reg_set(fb, E1000_CTRL, fb->rst_sticks ? E1000_CTRL_RST : 0);
	fb->ims = 0;
	fb->resets++;
}

static void model_transmit(struct fake_bus *fb)
{
	uint32_t n = fake_reg(fb, E1000_TDLEN) / sizeof(struct e1000_tx_desc);
	uint32_t head = fake_reg(fb, E1000_TDH), tail = fake_reg(fb, E1000_TDT);
	struct e1000_tx_desc *ring = fake_dma_virt(fb, fake_reg_pair(fb, E1000_TDBAL, E1000_TDBAH),
						   (size_t)n * sizeof(*ring));

	if (!(fake_reg(fb, E1000_TCTL) & E1000_TCTL_EN) || !ring || n == 0 || tail >= n)
		return;
	for (; head != tail; head = (head + 1) % n) {
		struct e1000_tx_desc *d = &ring[head];
		const uint8_t *src = fake_dma_virt(fb, d->addr, d->length);

		if (!src || fb->n_sent == FAKE_MAX_SENT) {
			fb->dma_faults += !src;
			break;
		}
		struct fake_frame *f = &fb->sent[fb->n_sent++];

		f->bytes = malloc(d->length ? d->length : 1);
		if (!f->bytes)
			abort();
		memcpy(f->bytes, src, d->length);
		f->len = d->length;
		if (d->cmd & E1000_TXD_CMD_RS)
			d->status |= E1000_TXD_STAT_DD;
		fake_reg_add(fb, E1000_GPTC, 1);
		fake_reg_add64(fb, E1000_GOTCL, E1000_GOTCH, d->length + 4u);
	}
	fake_reg_set(fb, E1000_TDH, head);
}

static void after_write(struct pf_bus *bus, uint32_t reg, uint32_t val)
{
	struct fake_bus *fb = fake_of(bus);

	if (reg == E1000_CTRL && (val & E1000_CTRL_RST))
		model_reset(fb);
	else if (reg == E1000_IMC)
		fb->ims &= ~val;
	else if (reg == E1000_RDT)
		fb->rdt_writes++;
	else if (reg == E1000_TDT) {
		fb->tdt_writes++;
		model_transmit(fb);
	}
}

static void after_read(struct pf_bus *bus, uint32_t reg)
{
	struct fake_bus *fb = fake_of(bus);

	/* the octet counters clear both halves when the high one is read */
	if (reg == E1000_ICR || reg == E1000_GORCH || reg == E1000_GOTCH ||
	    (reg >= E1000_STATS && reg < E1000_STATS_END && reg != E1000_GORCL && reg != E1000_GOTCL))
		fake_reg_set(fb, reg, 0);
	if (reg == E1000_GORCH)
		fake_reg_set(fb, E1000_GORCL, 0);
	if (reg == E1000_GOTCH)
		fake_reg_set(fb, E1000_GOTCL, 0);
}

bool fake_address_passes(const struct fake_bus *fb, const uint8_t *dst, uint32_t rctl)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (memcmp(dst, bcast, 6) == 0)
		return rctl & E1000_RCTL_BAM;
	if (dst[0] & 1)
		return rctl & E1000_RCTL_MPE;
	return (rctl & E1000_RCTL_UPE) || memcmp(dst, fb->mac, 6) == 0;
}

/* The queue RSS gives a frame (7.1.12), as QEMU's e1000e computes it: RSS
 * only with MRQC = RSS, RXCSUM.PCSD and extended descriptors; the Toeplitz
 * hash of the IP addresses (and TCP ports) with the key in RSSRK; bit 7 of
 * the redirection table's entry at the hash's low 7 bits. */
static uint32_t rss_queue(struct fake_bus *fb, const uint8_t *frame, size_t len,
			  uint32_t *hash)
{
	struct pkt_parsing_info p;
	uint8_t key[PF_RSS_KEY_LEN];

	*hash = 0;
	if ((fake_reg(fb, E1000_MRQC) & 3) != E1000_MRQC_RSS ||
	    !(fake_reg(fb, E1000_RXCSUM) & E1000_RXCSUM_PCSD) ||
	    !(fake_reg(fb, E1000_RFCTL) & E1000_RFCTL_EXTEN))
		return 0;
	for (uint32_t i = 0; i < PF_RSS_KEY_LEN; i++)
		key[i] = (uint8_t)(fake_reg(fb, E1000_RSSRK + (i & ~3u)) >> (8 * (i & 3)));
	memset(&p, 0, sizeof(p));
	pf_parse(frame, (u32)len, PF_RING_PARSE_L4, &p);
	*hash = pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 0);
	uint8_t entry = (uint8_t)(fake_reg(fb, E1000_RETA + ((*hash & 127) & ~3u)) >>
				  (8 * (*hash & 3)));

	return entry & E1000_RETA_QUEUE1 ? 1 : 0;
}

int fake_store_frame(struct fake_bus *fb, uint64_t ring_iova, uint32_t n, uint32_t *head,
		     const void *frame, size_t len, size_t stored, uint32_t bsize,
		     fake_write_back write_back, void *ctx)
{
	uint8_t *ring = fake_dma_virt(fb, ring_iova, (size_t)n * 16);
	uint8_t with_crc[FAKE_MAX_FRAME + 4] = { 0 };

	if (!ring) {
		fb->dma_faults++;
		return -EFAULT;
	}
	memcpy(with_crc, frame, len);
	for (size_t done = 0; done < stored; *head = (*head + 1) % n) {
		uint8_t *d = ring + (size_t)*head * 16;
		size_t piece = stored - done < bsize ? stored - done : bsize;
		uint64_t addr;

		memcpy(&addr, d, sizeof(addr));
		uint8_t *dst = fake_dma_virt(fb, addr, piece);

		if (!dst) {
			fb->dma_faults++;
			return -EFAULT;
		}
		memcpy(dst, with_crc + done, piece);
		done += piece;
		write_back(fb, d, (uint16_t)piece, done == stored, ctx);
	}
	return 0;
}

struct e1000e_wb {
	uint32_t hash, queue;
};

/* Writes back extended descriptor desc after a piece of a frame went into its
 * buffer. */
static void e1000e_write_back(struct fake_bus *fb, void *desc, uint16_t piece, bool eop,
			      void *arg)
{
	union e1000_rx_desc_ext *d = desc;
	const struct e1000e_wb *ctx = arg;
	uint32_t hash = ctx->hash, queue = ctx->queue;

	/* as the NIC: the whole descriptor, DD last (a driver polling from
	 * another thread sees DD only with the rest written) */
	d->wb.length = piece;
	d->wb.vlan = 0;
	d->wb.rss = eop ? hash : 0;
	d->wb.mrq = eop && hash ? 1u | queue << 8 : 0;    /* the RSS type is not modelled */
	__atomic_store_n(&d->wb.status_error, E1000_RXD_STAT_DD | (eop ? E1000_RXD_STAT_EOP : 0) |
			 (uint32_t)(eop ? fb->next_rx_errors : 0) << 24, __ATOMIC_RELEASE);
}

int fake_e1000e_inject(struct fake_bus *fb, const void *frame, size_t len)
{
	uint32_t rctl = fake_reg(fb, E1000_RCTL);
	/* BSIZE 00 with BSEX 0 is 2048; the driver uses nothing else */
	uint32_t bsize = (rctl & (3u << 16 | E1000_RCTL_BSEX)) ? 0 : 2048;
	size_t stored = len + ((rctl & E1000_RCTL_SECRC) ? 0 : 4);

	/* the model writes back only the extended format, the one the driver uses */
	if (!(rctl & E1000_RCTL_EN) || bsize == 0 || !(fake_reg(fb, E1000_RFCTL) & E1000_RFCTL_EXTEN))
		return -ENETDOWN;
	if (len < 6 || len > FAKE_MAX_FRAME || !fake_address_passes(fb, frame, rctl))
		return -EPERM;
	if (len + 4 > 1522 && !(rctl & E1000_RCTL_LPE)) {
		fake_reg_add(fb, E1000_ROC, 1);
		return -EPERM;
	}
	uint32_t hash, queue = rss_queue(fb, frame, len, &hash);
	uint32_t regs = E1000_RDBAL + queue * E1000_RXQ_STRIDE;
	uint32_t n = fake_reg(fb, regs + E1000_RING_LEN) / 16;
	uint32_t head = fake_reg(fb, regs + E1000_RING_H), tail = fake_reg(fb, regs + E1000_RING_T);

	if (n == 0)
		return -ENETDOWN;
	/* the descriptors up to the tail read after it (the driver's wmb pairs) */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint32_t needed = (uint32_t)((stored + bsize - 1) / bsize);
	uint32_t free_descs = (tail + n - head) % n;

	if (needed > free_descs) {
		fake_reg_add(fb, E1000_MPC, 1);
		fake_reg_add(fb, E1000_RNBC, 1);
		return -ENOBUFS;
	}
	struct e1000e_wb ctx = { .hash = hash, .queue = queue };
	int rc = fake_store_frame(fb, fake_reg_pair(fb, regs, regs + E1000_RING_BAH), n, &head, frame,
				  len, stored, bsize, e1000e_write_back, &ctx);

	if (rc)
		return rc;
	fb->next_rx_errors = 0;
	fb->rx_per_queue[queue]++;
	fake_reg_set(fb, regs + E1000_RING_H, head);
	fake_reg_add(fb, E1000_GPRC, 1);
	fake_reg_add64(fb, E1000_GORCL, E1000_GORCH, len + 4u);
	return 0;
}

/* ------------------------------------------------------------ the bus */

static int dma_alloc(struct pf_bus *bus, size_t size, struct pf_dma *out, char *err,
		     size_t errlen)
{
	struct fake_bus *fb = fake_of(bus);
	size_t at = (fb->ram_used + 4095) & ~(size_t)4095;

	if (size == 0 || size > FAKE_RAM_SIZE - at) {
		snprintf(err, errlen, "fake bus: no %zu bytes of DMA memory left", size);
		return -ENOMEM;
	}
	fb->ram_used = at + size;
	memset(fb->ram + at, 0, size);
	*out = (struct pf_dma){ .virt = fb->ram + at, .iova = FAKE_IOVA_BASE + at, .size = size };
	fb->dma_live++;
	return 0;
}

static void dma_free(struct pf_bus *bus, struct pf_dma *dma)
{
	fake_of(bus)->dma_live--;
	*dma = (struct pf_dma){ 0 };
}

static void bus_close(struct pf_bus *bus)
{
	fake_of(bus)->closed = true;
}

void fake_bus_set_model(struct fake_bus *fb, uint16_t device,
			void (*model_write)(struct pf_bus *bus, uint32_t reg, uint32_t val))
{
	fb->ops.after_write = model_write;
	fb->bus.device = device;
}

static const struct pf_bus_ops fake_ops = {
	.dma_alloc = dma_alloc,
	.dma_free = dma_free,
	.after_write = after_write,
	.close = bus_close,
	.after_read = after_read,
};

struct fake_bus *fake_bus_new(const uint8_t mac[6])
{
	struct fake_bus *fb = calloc(1, sizeof(*fb));
	uint8_t *bar0 = calloc(1, FAKE_BAR0_LEN);

	if (!fb || !bar0 || !(fb->ram = calloc(1, FAKE_RAM_SIZE)))
		abort();
	fb->ops = fake_ops;
	fb->bus = (struct pf_bus){ .ops = &fb->ops, .bar0 = bar0, .bar0_len = FAKE_BAR0_LEN,
				   .vendor = 0x8086, .device = 0x10d3, .addr = "0000:00:02.0" };
	memcpy(fb->mac, mac, 6);
	model_reset(fb);
	fb->resets = 0;
	fb->ims = 0x1f;     /* as the kernel's driver left them */
	return fb;
}

void fake_bus_free(struct fake_bus *fb)
{
	for (uint32_t i = 0; i < fb->n_sent; i++)
		free(fb->sent[i].bytes);
	free((void *)fb->bus.bar0);
	free(fb->ram);
	free(fb->igb);
	free(fb);
}
