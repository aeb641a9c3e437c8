/*
 * tests/unit/test_igb.c - the 82576 DNA driver (drivers/igb.c) on the fake
 * bus's 82576 model (tests/unit/fake_igb.h): bring-up registers, link through
 * the PHY, receive in place, ring wrap, the batched RDT refill, overrun,
 * oversize and error frames, transmit with advanced descriptors, a full TX
 * ring, RSS over several queues (every frame on the queue core's Toeplitz and
 * the RETA spreading predict), symmetric RSS, reset and PHY timeouts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/hash.h"
#include "core/parse.h"
#include "drivers/device.h"
#include "drivers/igb_regs.h"
#include "fake_igb.h"
#include "pkt_build.h"
#include "nic_frames.h"
#include "stderr_capture.h"

/* RCTL as the driver sets it without promisc */
#define RCTL_PLAIN (IGB_RCTL_EN | IGB_RCTL_BAM | IGB_RCTL_SECRC | IGB_RCTL_LPE)
#define SRRCTL_2K_ADV (2u | IGB_SRRCTL_DESCTYPE_ADV1)

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x02 };

struct fixture {
	struct fake_bus *fb;
	struct pf_nic *nic;
};

/* ------------------------------------------------------------ helpers */

static struct pf_nic *open_cfg(struct fake_bus *fb, const struct pf_nic_config *cfg)
{
	struct pf_nic *nic = NULL;
	char err[256] = "";

	assert_int_equal(pf_igb_open(&fb->bus, cfg, &nic, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_non_null(nic);
	return nic;
}

static struct pf_nic *open_nic(struct fake_bus *fb, uint32_t rx, uint32_t tx, bool promisc)
{
	struct pf_nic_config cfg = { .rx_ring_size = rx, .tx_ring_size = tx, .promisc = promisc };

	return open_cfg(fb, &cfg);
}

static void close_nic(struct fixture *f)
{
	pf_nic_close(f->nic);
	assert_true(f->fb->closed);
	assert_int_equal(f->fb->dma_live, 0);
	assert_int_equal(fake_reg(f->fb, IGB_RCTL) & IGB_RCTL_EN, 0);
	assert_int_equal(fake_reg(f->fb, IGB_TCTL) & IGB_TCTL_EN, 0);
	assert_int_equal(fake_reg(f->fb, IGB_RXDCTL(0)) & IGB_DCTL_ENABLE, 0);
	assert_int_equal(fake_reg(f->fb, IGB_TXDCTL(0)) & IGB_DCTL_ENABLE, 0);
	fake_bus_free(f->fb);
}

static void make_frame(uint8_t *buf, size_t len, uint32_t seq)
{
	nic_frame(buf, len, seq, our_mac);
}

static void inject_ok(struct fake_bus *fb, size_t len, uint32_t seq)
{
	uint8_t frame[FAKE_MAX_FRAME];

	make_frame(frame, len, seq);
	assert_int_equal(fake_igb_inject(fb, frame, len), 0);
}

static void expect_frame(const struct pf_nic_rx *rx, size_t len, uint32_t seq)
{
	nic_expect_frame(rx, len, seq, our_mac);
	assert_int_equal(rx->rss_hash, 0);
}

static int setup_small(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fb = fake_igb_new(our_mac);
	f->nic = open_nic(f->fb, 16, 8, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close_nic(f);
	free(f);
	return 0;
}

/* ------------------------------------------------------------ bring-up */

static void test_bringup_registers(void **state)
{
	(void)state;
	struct fixture f = { .fb = fake_igb_new(our_mac) };

	assert_int_equal(fake_reg(f.fb, IGB_STATUS) & IGB_STATUS_LU, 0);
	fake_reg_set(f.fb, IGB_RDT(0), 5);  /* a stale tail the reset clears */
	f.nic = open_nic(f.fb, 64, 32, false);

	assert_int_equal(f.fb->resets, 1);
	assert_int_equal(f.fb->igb->ims, 0);
	assert_int_equal(f.fb->igb->eims, 0);
	/* masked again after the reset (which cleared the register file) */
	assert_int_equal(fake_reg(f.fb, IGB_IMC), 0xffffffffu);
	assert_int_equal(fake_reg(f.fb, IGB_EIMC), 0xffffffffu);
	assert_int_equal(fake_reg(f.fb, IGB_CTRL) & IGB_CTRL_SLU, IGB_CTRL_SLU);
	assert_int_equal(fake_reg(f.fb, IGB_RCTL), RCTL_PLAIN);
	assert_int_equal(fake_reg(f.fb, IGB_RLPML), IGB_RLPML_MAX);
	assert_int_equal(fake_reg(f.fb, IGB_SRRCTL(0)), SRRCTL_2K_ADV);
	assert_int_equal(fake_reg(f.fb, IGB_RXDCTL(0)) & IGB_DCTL_ENABLE, IGB_DCTL_ENABLE);
	assert_int_equal(fake_reg(f.fb, IGB_RXDCTL(1)), 0);
	assert_int_equal(fake_reg(f.fb, IGB_TXDCTL(0)) & IGB_DCTL_ENABLE, IGB_DCTL_ENABLE);
	assert_int_equal(fake_reg(f.fb, IGB_TCTL),
			 IGB_TCTL_EN | IGB_TCTL_PSP | IGB_TCTL_CT | IGB_TCTL_COLD);
	/* one queue: no RSS */
	assert_int_equal(fake_reg(f.fb, IGB_MRQC), 0);
	assert_memory_equal(f.nic->mac, our_mac, 6);
	assert_string_equal(f.nic->driver, "igb");
	assert_int_equal(f.nic->num_rx_queues, 1);
	assert_int_equal(f.nic->num_tx_queues, 1);
	assert_null(f.nic->ops->add_5tuple);
	assert_null(f.nic->ops->remove_5tuple);

	/* the rings: in DMA memory above 4 GiB, 16 bytes a descriptor */
	assert_int_equal(fake_reg(f.fb, IGB_RDBAL(0) + IGB_RING_BAH), FAKE_IOVA_BASE >> 32);
	assert_int_equal(fake_reg(f.fb, IGB_TDBAL(0) + IGB_RING_BAH), FAKE_IOVA_BASE >> 32);
	assert_int_equal(fake_reg(f.fb, IGB_RDBAL(0)) % 4096, 0);
	assert_int_equal(fake_reg(f.fb, IGB_RDBAL(0) + IGB_RING_LEN), 64 * 16);
	assert_int_equal(fake_reg(f.fb, IGB_TDBAL(0) + IGB_RING_LEN), 32 * 16);
	/* every RX descriptor but one is the NIC's */
	assert_int_equal(fake_reg(f.fb, IGB_RDBAL(0) + IGB_RING_H), 0);
	assert_int_equal(fake_reg(f.fb, IGB_RDT(0)), 63);
	assert_int_equal(fake_reg(f.fb, IGB_TDT(0)), 0);
	close_nic(&f);
}

static void test_open_by_pci_id(void **state)
{
	(void)state;
	struct pf_nic_config cfg = { .rx_ring_size = 16, .tx_ring_size = 8 };
	struct fixture f = { .fb = fake_igb_new(our_mac) };
	char err[256] = "";

	assert_int_equal(pf_nic_open(&f.fb->bus, &cfg, &f.nic, err, sizeof(err)), 0);
	assert_string_equal(f.nic->driver, "igb");
	close_nic(&f);
}

/* The link is down after the reset until autonegotiation is restarted
 * through MDIC; open does not wait for it. */
static void test_link_through_phy(void **state)
{
	(void)state;
	struct fixture f = { .fb = fake_igb_new(our_mac) };
	uint8_t frame[60];

	f.fb->igb->link_stays_down = true;
	f.nic = open_nic(f.fb, 16, 8, false);
	assert_int_equal(f.fb->igb->an_restarts, 1);
	assert_int_equal(f.fb->igb->bmcr & IGB_BMCR_AN_ENABLE, IGB_BMCR_AN_ENABLE);
	assert_false(pf_nic_link_up(f.nic));
	make_frame(frame, sizeof(frame), 1);
	assert_int_equal(fake_igb_inject(f.fb, frame, sizeof(frame)), -ENETDOWN);
	close_nic(&f);

	f.fb = fake_igb_new(our_mac);
	f.nic = open_nic(f.fb, 16, 8, false);
	assert_int_equal(f.fb->igb->an_restarts, 1);
	assert_true(pf_nic_link_up(f.nic));
	assert_int_equal(fake_igb_inject(f.fb, frame, sizeof(frame)), 0);
	close_nic(&f);
}

static void test_promiscuous_flag(void **state)
{
	(void)state;
	uint8_t other[60] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
	uint8_t mcast[60] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	struct pf_nic_rx rx[4];
	struct fixture f = { .fb = fake_igb_new(our_mac) };

	f.nic = open_nic(f.fb, 16, 8, false);
	assert_int_equal(fake_igb_inject(f.fb, other, sizeof(other)), -EPERM);
	assert_int_equal(fake_igb_inject(f.fb, mcast, sizeof(mcast)), -EPERM);
	close_nic(&f);

	f.fb = fake_igb_new(our_mac);
	f.nic = open_nic(f.fb, 16, 8, true);
	assert_int_equal(fake_reg(f.fb, IGB_RCTL), RCTL_PLAIN | IGB_RCTL_UPE | IGB_RCTL_MPE);
	assert_int_equal(fake_igb_inject(f.fb, other, sizeof(other)), 0);
	assert_int_equal(fake_igb_inject(f.fb, mcast, sizeof(mcast)), 0);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 4), 2);
	assert_memory_equal(rx[0].data, other, sizeof(other));
	assert_memory_equal(rx[1].data, mcast, sizeof(mcast));
	close_nic(&f);
}

static void test_bad_ring_sizes(void **state)
{
	(void)state;
	static const uint32_t bad[][2] = { { 12, 8 }, { 4, 8 }, { 8192, 8 }, { 8, 6 }, { 8, 8192 } };
	struct fake_bus *fb = fake_igb_new(our_mac);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pf_nic_config cfg = { .rx_ring_size = bad[i][0], .tx_ring_size = bad[i][1] };
		struct pf_nic *nic = NULL;
		char err[256] = "";

		assert_int_equal(pf_igb_open(&fb->bus, &cfg, &nic, err, sizeof(err)), -EINVAL);
		assert_null(nic);
		assert_non_null(strstr(err, "igb: "));
		assert_non_null(strstr(err, "a power of two from 8 to 4096"));
	}
	assert_int_equal(fb->dma_live, 0);
	assert_int_equal(fb->resets, 0);
	fake_bus_free(fb);
}

static void test_reset_timeout(void **state)
{
	(void)state;
	struct pf_nic_config cfg = { .rx_ring_size = 16, .tx_ring_size = 8 };
	struct fake_bus *fb = fake_igb_new(our_mac);
	struct pf_nic *nic = NULL;
	char err[256] = "";

	fb->rst_sticks = true;
	assert_int_equal(pf_igb_open(&fb->bus, &cfg, &nic, err, sizeof(err)), -ETIMEDOUT);
	assert_null(nic);
	assert_string_equal(err, "igb 0000:00:02.0: CTRL.RST still set 100 ms after the reset");
	assert_int_equal(fb->dma_live, 0);
	assert_false(fb->closed);   /* the caller closes the bus */
	fake_bus_free(fb);
}

static void test_phy_timeout(void **state)
{
	(void)state;
	struct pf_nic_config cfg = { .rx_ring_size = 16, .tx_ring_size = 8 };
	struct fake_bus *fb = fake_igb_new(our_mac);
	struct pf_nic *nic = NULL;
	char err[256] = "";

	fb->igb->mdic_stuck = true;
	assert_int_equal(pf_igb_open(&fb->bus, &cfg, &nic, err, sizeof(err)), -ETIMEDOUT);
	assert_null(nic);
	assert_string_equal(err, "igb 0000:00:02.0: MDIC.READY not set 10 ms after a PHY access");
	assert_int_equal(fb->dma_live, 0);
	assert_int_equal(fake_reg(fb, IGB_RCTL), 0);
	fake_bus_free(fb);
}

/* ------------------------------------------------------------ RX */

static void test_rx_in_place(void **state)
{
	struct fixture *f = *state;
	static const size_t lens[] = { 60, 1514, 100 };
	struct pf_nic_rx rx[8];
	uint64_t ring = fake_reg_pair(f->fb, IGB_RDBAL(0), IGB_RDBAL(0) + IGB_RING_BAH);
	const union igb_adv_rx_desc *descs = fake_dma_virt(f->fb, ring, 16 * 16);

	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 0);
	for (uint32_t i = 0; i < 3; i++)
		inject_ok(f->fb, lens[i], i);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 3);
	/* the buffers follow the ring in DMA memory (allocated next, 4096-aligned) */
	const uint8_t *bufs = fake_dma_virt(f->fb, ring + 4096, 16 * 2048);

	for (uint32_t i = 0; i < 3; i++) {
		expect_frame(&rx[i], lens[i], i);
		assert_ptr_equal(rx[i].data, bufs + i * 2048);   /* in place */
		assert_int_equal(descs[i].wb.status_error & IGB_RXD_STAT_DD, IGB_RXD_STAT_DD);
	}
	/* the next call gives them back but the last (the one kept from the NIC):
	 * the write-back overwrote the buffer addresses, they are written again
	 * (and DD cleared) */
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 0);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(descs[i].read.hdr_addr, 0);
		assert_int_equal(descs[i].read.pkt_addr, ring + 4096 + i * 2048ull);
	}
	assert_int_equal(fake_reg(f->fb, IGB_RDT(0)), 2);
}

static void test_rx_ring_wrap(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[4];
	uint32_t seq = 0, seen = 0;

	/* 100 frames through 16 descriptors, three or four at a time */
	while (seq < 100) {
		uint32_t burst = 3 + seq % 2;

		for (uint32_t i = 0; i < burst && seq < 100; i++)
			inject_ok(f->fb, 60 + seq, seq), seq++;
		uint32_t got = pf_nic_rx_batch(f->nic, 0, rx, 4);

		for (uint32_t i = 0; i < got; i++, seen++)
			expect_frame(&rx[i], 60 + seen, seen);
	}
	assert_int_equal(seen, 100);
	struct pf_nic_stats st;

	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_packets, 100);
	assert_int_equal(st.rx_delivered, 100);
	assert_int_equal(st.rx_missed, 0);
}

/* The refill gives back a whole batch with one RDT write. */
static void test_rx_refill_batched(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	uint32_t writes = f->fb->igb->rdt_writes[0];

	for (uint32_t i = 0; i < 10; i++)
		inject_ok(f->fb, 60, i);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 10);
	assert_int_equal(f->fb->igb->rdt_writes[0], writes);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	assert_int_equal(f->fb->igb->rdt_writes[0], writes + 1);
	assert_int_equal(fake_reg(f->fb, IGB_RDT(0)), 9);
	/* nothing lent: no write */
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	assert_int_equal(f->fb->igb->rdt_writes[0], writes + 1);
}

static void test_rx_overrun_counted(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	struct pf_nic_stats st;
	uint8_t frame[60];

	/* 15 descriptors are the NIC's: the 16th frame and the next 4 are lost */
	for (uint32_t i = 0; i < 15; i++)
		inject_ok(f->fb, 60, i);
	make_frame(frame, sizeof(frame), 99);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(fake_igb_inject(f->fb, frame, sizeof(frame)), -ENOBUFS);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_missed, 5);
	assert_int_equal(st.rx_no_buffer, 5);
	assert_int_equal(st.rx_packets, 15);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 15);
	for (uint32_t i = 0; i < 15; i++)
		expect_frame(&rx[i], 60, i);
	/* room again after the give-back */
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	inject_ok(f->fb, 60, 15);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 1);
	expect_frame(&rx[0], 60, 15);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_missed, 5);
	assert_int_equal(st.rx_packets, 16);
}

static void test_rx_oversize_and_errors(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[8];
	struct pf_nic_stats st;

	inject_ok(f->fb, 60, 1);
	inject_ok(f->fb, 5000, 2);      /* three buffers */
	f->fb->igb->next_rx_error = 1u << 24;  /* CE: a CRC error */
	inject_ok(f->fb, 60, 3);
	inject_ok(f->fb, 61, 4);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 2);
	expect_frame(&rx[0], 60, 1);
	expect_frame(&rx[1], 61, 4);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_oversize, 1);
	assert_int_equal(st.rx_errors, 1);
	assert_int_equal(st.rx_delivered, 2);
	assert_int_equal(st.rx_packets, 4);
	assert_int_equal(st.rx_bytes, 60 + 5000 + 60 + 61 + 4 * 4);
}

/* ------------------------------------------------------------ TX */

static void test_tx_byte_exact(void **state)
{
	struct fixture *f = *state;
	uint8_t a[60], b[1514];
	struct pf_nic_tx tx[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct pf_nic_stats st;
	uint32_t writes = f->fb->igb->tdt_writes;

	make_frame(a, sizeof(a), 1);
	make_frame(b, sizeof(b), 2);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 2), 2);
	assert_int_equal(f->fb->n_sent, 0);     /* not before the flush */
	pf_nic_tx_flush(f->nic, 0);
	pf_nic_tx_flush(f->nic, 0);             /* nothing new: no write */
	assert_int_equal(f->fb->igb->tdt_writes, writes + 1);
	assert_int_equal(f->fb->igb->bad_tx, 0);
	assert_int_equal(f->fb->n_sent, 2);
	assert_int_equal(f->fb->sent[0].len, sizeof(a));
	assert_memory_equal(f->fb->sent[0].bytes, a, sizeof(a));
	assert_int_equal(f->fb->sent[1].len, sizeof(b));
	assert_memory_equal(f->fb->sent[1].bytes, b, sizeof(b));
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.tx_packets, 2);
	assert_int_equal(st.tx_bytes, 60 + 1514 + 2 * 4);
}

static void test_tx_full_and_recycled(void **state)
{
	struct fixture *f = *state;
	uint8_t a[60];
	struct pf_nic_tx tx[10];

	for (int i = 0; i < 10; i++)
		tx[i] = (struct pf_nic_tx){ a, sizeof(a) };
	make_frame(a, sizeof(a), 7);
	/* 8 descriptors: 7 usable before the NIC sends */
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 10), 7);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 10), 0);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->n_sent, 7);
	/* DD on all of them: the ring is free again, the descriptors rewritten */
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 10), 7);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->n_sent, 14);
	assert_int_equal(f->fb->igb->bad_tx, 0);
	for (uint32_t i = 0; i < 14; i++)
		assert_memory_equal(f->fb->sent[i].bytes, a, sizeof(a));
}

static void test_tx_bad_lengths(void **state)
{
	struct fixture *f = *state;
	uint8_t a[3000] = { 0 };
	struct pf_nic_tx bad[] = { { a, 0 }, { a, 2049 } };
	struct pf_nic_tx mixed[] = { { a, 60 }, { a, 2049 }, { a, 60 } };
	char out[512];

	capture_begin();
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, &bad[0], 1), -EMSGSIZE);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, &bad[1], 1), -EMSGSIZE);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "igb 0000:00:02.0: tx of a 0-byte frame: 1 to 2048 bytes"));
	assert_non_null(strstr(out, "igb 0000:00:02.0: tx of a 2049-byte frame: 1 to 2048 bytes"));
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, mixed, 3), 1);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->n_sent, 1);
}

/* ------------------------------------------------------------ RSS */

/* The queue a frame should land on: core's Toeplitz over what core's parser
 * finds, the RETA spread round robin over queues. */
static uint32_t predict(const uint8_t *frame, uint32_t len, const uint8_t *key, uint16_t queues,
			uint32_t *hash)
{
	struct pkt_parsing_info p;

	memset(&p, 0, sizeof(p));
	assert_true(pf_parse(frame, len, 4, &p) >= 0);
	*hash = pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 1);
	return (*hash & (IGB_RETA_ENTRIES - 1)) % queues;
}

static uint32_t flow_frame(uint8_t *buf, uint32_t i)
{
	struct pb_flow fl;

	switch (i % 3) {
	case 0:
		fl = pb_tcp4(0x0a000001 + i * 2654435761u % 65536, 0xc0a80001 + i, 1024 + i, 80);
		break;
	case 1:
		fl = pb_udp4(0x0a000001 + i, 0x0a000101 + i * 7, 5000 + i * 3, 53);
		break;
	default:
		fl = pb_ip6(PB_PROTO_TCP, (uint8_t)i, (uint8_t)(i * 5 + 1), 40000 + i, 443);
		break;
	}
	memcpy(fl.dmac, our_mac, 6);
	return pb_build(buf, 2048, &fl);
}

static void test_rss_queues_predicted(void **state)
{
	(void)state;
	struct pf_nic_config cfg = { .rx_ring_size = 256, .tx_ring_size = 8, .rx_queues = 4 };
	struct fixture f = { .fb = fake_igb_new(our_mac) };
	uint32_t per_queue[4] = { 0 }, hashes[300], queue_of[300];
	struct pf_nic_rx rx[256];
	uint8_t frame[2048];

	f.nic = open_cfg(f.fb, &cfg);
	assert_int_equal(f.nic->num_rx_queues, 4);
	assert_int_equal(fake_reg(f.fb, IGB_MRQC) & IGB_MRQC_MODE_MASK, IGB_MRQC_RSS);
	assert_int_equal(fake_reg(f.fb, IGB_RXCSUM) & IGB_RXCSUM_PCSD, IGB_RXCSUM_PCSD);
	for (uint16_t q = 0; q < 4; q++) {
		assert_int_equal(fake_reg(f.fb, IGB_SRRCTL(q)), SRRCTL_2K_ADV);
		assert_int_equal(fake_reg(f.fb, IGB_RXDCTL(q)) & IGB_DCTL_ENABLE, IGB_DCTL_ENABLE);
		assert_int_equal(fake_reg(f.fb, IGB_RDT(q)), 255);
	}
	for (uint32_t i = 0; i < 300; i++) {
		uint32_t len = flow_frame(frame, i);

		queue_of[i] = predict(frame, len, pf_rss_key_default, 4, &hashes[i]);
		assert_int_equal(fake_igb_inject(f.fb, frame, len), (int)queue_of[i]);
		per_queue[queue_of[i]]++;
	}
	for (uint16_t q = 0; q < 4; q++) {
		uint32_t got = pf_nic_rx_batch(f.nic, q, rx, 256), k = 0;

		assert_true(per_queue[q] > 30);  /* spread, not all on one queue */
		assert_int_equal(got, per_queue[q]);
		/* in order, each with the hash core predicts */
		for (uint32_t i = 0; i < 300; i++) {
			if (queue_of[i] != q)
				continue;
			uint32_t len = flow_frame(frame, i);

			assert_int_equal(rx[k].len, len);
			assert_memory_equal(rx[k].data, frame, len);
			assert_int_equal(rx[k].rss_hash, hashes[i]);
			k++;
		}
	}
	close_nic(&f);
}

/* With symmetric_rss both directions of every flow share a queue and a hash;
 * with the default key some do not (the test can tell the two keys apart). */
static void test_rss_symmetric(void **state)
{
	(void)state;
	uint32_t split[2] = { 0, 0 };

	for (int symmetric = 0; symmetric < 2; symmetric++) {
		struct pf_nic_config cfg = { .rx_ring_size = 256, .tx_ring_size = 8, .rx_queues = 8,
					     .symmetric_rss = symmetric };
		struct fixture f = { .fb = fake_igb_new(our_mac) };
		uint8_t frame[2048];

		f.nic = open_cfg(f.fb, &cfg);
		for (uint32_t i = 0; i < 60; i++) {
			struct pb_flow fl = i % 2 ? pb_udp4(0x0a000001 + i, 0x0a0000f0 - i, 3000 + i, 53) :
					    pb_tcp4(0xc0a80101 + i * 3, 0xc0a8ff01, 1024 + i * 11, 443);
			struct pb_flow rv = pb_reverse(&fl);

			memcpy(fl.dmac, our_mac, 6);
			memcpy(rv.dmac, our_mac, 6);
			int there = fake_igb_inject(f.fb, frame, pb_build(frame, sizeof(frame), &fl));
			uint32_t hash = f.fb->igb->last_hash;
			int back = fake_igb_inject(f.fb, frame, pb_build(frame, sizeof(frame), &rv));

			assert_true(there >= 0 && back >= 0);
			if (symmetric) {
				assert_int_equal(there, back);
				assert_int_equal(hash, f.fb->igb->last_hash);
			}
			split[symmetric] += there != back;
		}
		close_nic(&f);
	}
	assert_int_equal(split[1], 0);
	assert_true(split[0] > 10);
}

static void test_rss_sixteen_queues_at_most(void **state)
{
	(void)state;
	struct pf_nic_config cfg = { .rx_ring_size = 8, .tx_ring_size = 8, .rx_queues = 20 };
	struct fixture f = { .fb = fake_igb_new(our_mac) };
	uint32_t seen = 0;

	f.nic = open_cfg(f.fb, &cfg);
	assert_int_equal(f.nic->num_rx_queues, 16);
	for (uint32_t i = 0; i < IGB_RETA_ENTRIES; i++) {
		uint32_t entry = (fake_reg(f.fb, IGB_RETA + (i & ~3u)) >> (8 * (i & 3))) & 0xff;

		assert_int_equal(entry, i % 16);
		seen |= 1u << entry;
	}
	assert_int_equal(seen, 0xffff);
	/* the queues 4-15 live in the 0xc000 block */
	assert_int_equal(fake_reg(f.fb, IGB_RXDCTL(15)) & IGB_DCTL_ENABLE, IGB_DCTL_ENABLE);
	assert_int_equal(fake_reg(f.fb, 0xc000 + 15 * 0x40 + IGB_RING_LEN), 8 * 16);
	close_nic(&f);
}

/* ------------------------------------------------------------ stats, reopen */

static void test_stats_accumulate(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[8];
	struct pf_nic_stats st;

	inject_ok(f->fb, 100, 1);
	pf_nic_stats(f->nic, &st);
	/* the NIC's counters were read (and cleared): the totals keep them */
	assert_int_equal(fake_reg(f->fb, IGB_GPRC), 0);
	assert_int_equal(fake_reg(f->fb, IGB_GORCL), 0);
	inject_ok(f->fb, 200, 2);
	/* a 64-bit octet counter that crosses 2^32 between two readings */
	fake_reg_set(f->fb, IGB_GORCL, 0xfffffff0u);
	fake_reg_set(f->fb, IGB_GORCH, 1);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_packets, 2);
	assert_int_equal(st.rx_bytes, 104 + 0x1fffffff0ull);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 2);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_delivered, 2);
}

static void test_reopen_after_use(void **state)
{
	(void)state;
	struct fixture f = { .fb = fake_igb_new(our_mac) };
	struct pf_nic_rx rx[4];

	f.nic = open_nic(f.fb, 16, 8, false);
	inject_ok(f.fb, 60, 1);
	pf_nic_close(f.nic);
	f.fb->closed = false;
	f.nic = open_nic(f.fb, 16, 8, false);
	assert_int_equal(f.fb->resets, 2);
	assert_int_equal(f.fb->igb->an_restarts, 2);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 4), 0);
	inject_ok(f.fb, 60, 2);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 4), 1);
	expect_frame(&rx[0], 60, 2);
	close_nic(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bringup_registers),
		cmocka_unit_test(test_open_by_pci_id),
		cmocka_unit_test(test_link_through_phy),
		cmocka_unit_test(test_promiscuous_flag),
		cmocka_unit_test(test_bad_ring_sizes),
		cmocka_unit_test(test_reset_timeout),
		cmocka_unit_test(test_phy_timeout),
		cmocka_unit_test_setup_teardown(test_rx_in_place, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_ring_wrap, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_refill_batched, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_overrun_counted, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_oversize_and_errors, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_byte_exact, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_full_and_recycled, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_bad_lengths, setup_small, teardown),
		cmocka_unit_test(test_rss_queues_predicted),
		cmocka_unit_test(test_rss_symmetric),
		cmocka_unit_test(test_rss_sixteen_queues_at_most),
		cmocka_unit_test_setup_teardown(test_stats_accumulate, setup_small, teardown),
		cmocka_unit_test(test_reopen_after_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
