/*
 * tests/unit/test_e1000e.c - the 82574 DNA driver (drivers/e1000e.c) on the
 * fake bus (tests/unit/fake_bus.h): bring-up registers, receive in place,
 * ring wrap, the batched RDT refill, overrun, oversize frames, transmit,
 * a full TX ring, reset and statistics.
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

#include "drivers/device.h"
#include "drivers/e1000e_regs.h"
#include "fake_bus.h"
#include "nic_frames.h"
#include "stderr_capture.h"

/* RCTL as the driver sets it without promisc */
#define RCTL_PLAIN (E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC | E1000_RCTL_LPE)

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x01 };

struct fixture {
	struct fake_bus *fb;
	struct pf_nic *nic;
};

/* ------------------------------------------------------------ helpers */

static struct pf_nic *open_nic(struct fake_bus *fb, uint32_t rx, uint32_t tx, bool promisc)
{
	struct pf_nic_config cfg = { .rx_ring_size = rx, .tx_ring_size = tx, .promisc = promisc };
	struct pf_nic *nic = NULL;
	char err[256] = "";

	assert_int_equal(pf_e1000e_open(&fb->bus, &cfg, &nic, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_non_null(nic);
	return nic;
}

static void close_nic(struct fixture *f)
{
	pf_nic_close(f->nic);
	assert_true(f->fb->closed);
	assert_int_equal(f->fb->dma_live, 0);
	assert_int_equal(fake_reg(f->fb, E1000_RCTL) & E1000_RCTL_EN, 0);
	assert_int_equal(fake_reg(f->fb, E1000_TCTL) & E1000_TCTL_EN, 0);
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
	assert_int_equal(fake_e1000e_inject(fb, frame, len), 0);
}

static void expect_frame(const struct pf_nic_rx *rx, size_t len, uint32_t seq)
{
	nic_expect_frame(rx, len, seq, our_mac);
}

static int setup_small(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fb = fake_bus_new(our_mac);
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
	struct fixture f = { .fb = fake_bus_new(our_mac) };

	/* what the kernel's driver leaves: RFCTL bits, stale tails */
	fake_reg_set(f.fb, E1000_RFCTL, 0xffffu);
	fake_reg_set(f.fb, E1000_RDT, 5);
	f.nic = open_nic(f.fb, 64, 32, false);

	assert_int_equal(f.fb->resets, 1);
	assert_int_equal(f.fb->ims, 0);
	assert_int_equal(fake_reg(f.fb, E1000_IMC), 0xffffffffu);
	assert_int_equal(fake_reg(f.fb, E1000_RFCTL), E1000_RFCTL_EXTEN);
	assert_int_equal(fake_reg(f.fb, E1000_MRQC), 0);       /* one queue: no RSS */
	assert_int_equal(fake_reg(f.fb, E1000_CTRL) & E1000_CTRL_SLU, E1000_CTRL_SLU);
	assert_int_equal(fake_reg(f.fb, E1000_RCTL), RCTL_PLAIN);
	assert_int_equal(fake_reg(f.fb, E1000_TCTL) & E1000_TCTL_EN, E1000_TCTL_EN);
	assert_memory_equal(f.nic->mac, our_mac, 6);
	assert_string_equal(f.nic->driver, "e1000e");
	assert_int_equal(f.nic->num_rx_queues, 1);
	assert_int_equal(f.nic->num_tx_queues, 1);

	/* the rings: in DMA memory above 4 GiB, 16 bytes a descriptor */
	assert_int_equal(fake_reg(f.fb, E1000_RDBAH), FAKE_IOVA_BASE >> 32);
	assert_int_equal(fake_reg(f.fb, E1000_TDBAH), FAKE_IOVA_BASE >> 32);
	assert_int_equal(fake_reg(f.fb, E1000_RDBAL) % 4096, 0);
	assert_int_equal(fake_reg(f.fb, E1000_TDBAL) % 4096, 0);
	assert_int_not_equal(fake_reg(f.fb, E1000_RDBAL), fake_reg(f.fb, E1000_TDBAL));
	assert_int_equal(fake_reg(f.fb, E1000_RDLEN), 64 * 16);
	assert_int_equal(fake_reg(f.fb, E1000_TDLEN), 32 * 16);
	/* every RX descriptor but one is the NIC's */
	assert_int_equal(fake_reg(f.fb, E1000_RDH), 0);
	assert_int_equal(fake_reg(f.fb, E1000_RDT), 63);
	assert_int_equal(fake_reg(f.fb, E1000_TDH), 0);
	assert_int_equal(fake_reg(f.fb, E1000_TDT), 0);
	close_nic(&f);
}

static void test_promiscuous_flag(void **state)
{
	(void)state;
	uint8_t other[60] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
	uint8_t mcast[60] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	uint8_t bcast[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct pf_nic_rx rx[4];
	struct fixture f = { .fb = fake_bus_new(our_mac) };

	f.nic = open_nic(f.fb, 16, 8, false);
	assert_int_equal(fake_e1000e_inject(f.fb, other, sizeof(other)), -EPERM);
	assert_int_equal(fake_e1000e_inject(f.fb, mcast, sizeof(mcast)), -EPERM);
	assert_int_equal(fake_e1000e_inject(f.fb, bcast, sizeof(bcast)), 0);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 4), 1);
	close_nic(&f);

	f.fb = fake_bus_new(our_mac);
	f.nic = open_nic(f.fb, 16, 8, true);
	assert_int_equal(fake_reg(f.fb, E1000_RCTL), RCTL_PLAIN | E1000_RCTL_UPE | E1000_RCTL_MPE);
	assert_int_equal(fake_e1000e_inject(f.fb, other, sizeof(other)), 0);
	assert_int_equal(fake_e1000e_inject(f.fb, mcast, sizeof(mcast)), 0);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 4), 2);
	assert_memory_equal(rx[0].data, other, sizeof(other));
	assert_memory_equal(rx[1].data, mcast, sizeof(mcast));
	close_nic(&f);
}

static void test_bad_ring_sizes(void **state)
{
	(void)state;
	static const uint32_t bad[][2] = { { 12, 8 }, { 4, 8 }, { 8192, 8 }, { 8, 6 }, { 8, 8192 } };
	struct fake_bus *fb = fake_bus_new(our_mac);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pf_nic_config cfg = { .rx_ring_size = bad[i][0], .tx_ring_size = bad[i][1] };
		struct pf_nic *nic = NULL;
		char err[256] = "";

		assert_int_equal(pf_e1000e_open(&fb->bus, &cfg, &nic, err, sizeof(err)), -EINVAL);
		assert_null(nic);
		assert_non_null(strstr(err, "a power of two from 8 to 4096"));
	}
	assert_int_equal(fb->dma_live, 0);
	assert_int_equal(fb->resets, 0);
	fake_bus_free(fb);
}

/* ------------------------------------------------------------ RX */

static void test_rx_in_place(void **state)
{
	struct fixture *f = *state;
	static const size_t lens[] = { 60, 1514, 100 };
	struct pf_nic_rx rx[8];
	uint64_t ring = (uint64_t)fake_reg(f->fb, E1000_RDBAH) << 32 | fake_reg(f->fb, E1000_RDBAL);
	const uint64_t *descs = fake_dma_virt(f->fb, ring, 16 * 16);
	uint64_t bufs[3];

	/* the write-back overwrites a descriptor's buffer address: read it first */
	for (uint32_t i = 0; i < 3; i++)
		bufs[i] = descs[2 * i];
	for (uint32_t i = 0; i < 3; i++)
		inject_ok(f->fb, lens[i], i);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 3);
	for (uint32_t i = 0; i < 3; i++) {
		expect_frame(&rx[i], lens[i], i);
		/* in place: the buffer of descriptor i, no copy */
		assert_ptr_equal(rx[i].data, fake_dma_virt(f->fb, bufs[i], lens[i]));
	}
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 0);
}

static void test_rx_max_respected(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[8];

	for (uint32_t i = 0; i < 5; i++)
		inject_ok(f->fb, 64, i);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 2), 2);
	expect_frame(&rx[0], 64, 0);
	expect_frame(&rx[1], 64, 1);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 8), 3);
	expect_frame(&rx[0], 64, 2);
	expect_frame(&rx[2], 64, 4);
}

/* 16 descriptors, 100 frames in batches of 7: more than six laps. */
static void test_rx_ring_wrap(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	uint32_t seq = 0, got_seq = 0;

	while (seq < 100) {
		for (int i = 0; i < 7 && seq < 100; i++, seq++)
			inject_ok(f->fb, 60 + seq % 50, seq);
		uint32_t n = pf_nic_rx_batch(f->nic, 0, rx, 16);

		for (uint32_t i = 0; i < n; i++, got_seq++)
			expect_frame(&rx[i], 60 + got_seq % 50, got_seq);
	}
	assert_int_equal(got_seq, 100);
	assert_int_equal(fake_reg(f->fb, E1000_RDH), 100 % 16);
	struct pf_nic_stats st;

	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_delivered, 100);
	assert_int_equal(st.rx_packets, 100);
	assert_int_equal(st.rx_missed, 0);
}

/* The frames of a batch go back to the NIC at the next call, with one RDT write. */
static void test_rx_refill_in_batches(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	uint32_t writes = f->fb->rdt_writes;

	for (uint32_t i = 0; i < 10; i++)
		inject_ok(f->fb, 64, i);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 10);
	/* lent out: still the driver's */
	assert_int_equal(fake_reg(f->fb, E1000_RDT), 15);
	assert_int_equal(f->fb->rdt_writes, writes);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	assert_int_equal(fake_reg(f->fb, E1000_RDT), (15 + 10) % 16);
	assert_int_equal(f->fb->rdt_writes, writes + 1);
	/* nothing new lent: no write */
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	assert_int_equal(f->fb->rdt_writes, writes + 1);

	for (uint32_t i = 0; i < 3; i++)
		inject_ok(f->fb, 64, i);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 3);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	assert_int_equal(fake_reg(f->fb, E1000_RDT), (15 + 13) % 16);
	assert_int_equal(f->fb->rdt_writes, writes + 2);
}

/* The reader stops: the NIC fills its 15 descriptors and misses the rest. */
static void test_rx_overrun_counted(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	struct pf_nic_stats st;
	uint8_t frame[64];

	make_frame(frame, sizeof(frame), 99);
	for (uint32_t i = 0; i < 15; i++)
		inject_ok(f->fb, 64, i);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(fake_e1000e_inject(f->fb, frame, sizeof(frame)), -ENOBUFS);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_packets, 15);
	assert_int_equal(st.rx_missed, 5);
	assert_int_equal(st.rx_no_buffer, 5);

	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 15);
	for (uint32_t i = 0; i < 15; i++)
		expect_frame(&rx[i], 64, i);
	/* still lent out: the ring is as full as before */
	assert_int_equal(fake_e1000e_inject(f->fb, frame, sizeof(frame)), -ENOBUFS);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	inject_ok(f->fb, 64, 100);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 1);
	expect_frame(&rx[0], 64, 100);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_missed, 6);
	assert_int_equal(st.rx_delivered, 16);
}

/* The whole ring filled and read twice: the descriptor kept back at RDT still
 * has DD from its last frame and must not be read as a new one. */
static void test_rx_full_ring_twice(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];

	for (uint32_t lap = 0; lap < 3; lap++) {
		for (uint32_t i = 0; i < 15; i++)
			inject_ok(f->fb, 64, lap * 15 + i);
		assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 15);
		for (uint32_t i = 0; i < 15; i++)
			expect_frame(&rx[i], 64, lap * 15 + i);
		assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	}
}

/* A frame over two buffers (and one over three) is dropped and counted; the
 * frames around it arrive. */
static void test_rx_oversize_dropped(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	struct pf_nic_stats st;

	inject_ok(f->fb, 60, 1);
	inject_ok(f->fb, 3000, 2);
	inject_ok(f->fb, 61, 3);
	inject_ok(f->fb, 5000, 4);
	inject_ok(f->fb, 2048, 5);      /* exactly one buffer: kept */
	assert_int_equal(fake_reg(f->fb, E1000_RDH), 1 + 2 + 1 + 3 + 1);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 3);
	expect_frame(&rx[0], 60, 1);
	expect_frame(&rx[1], 61, 3);
	expect_frame(&rx[2], 2048, 5);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_oversize, 2);
	assert_int_equal(st.rx_delivered, 3);
	assert_int_equal(st.rx_errors, 0);
	/* their descriptors went back too */
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 0);
	assert_int_equal(fake_reg(f->fb, E1000_RDT), (15 + 8) % 16);
}

static void test_rx_error_dropped(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_rx rx[16];
	struct pf_nic_stats st;

	f->fb->next_rx_errors = 0x01;   /* CE: CRC error */
	inject_ok(f->fb, 60, 1);
	inject_ok(f->fb, 60, 2);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 1);
	expect_frame(&rx[0], 60, 2);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_errors, 1);
}

/* ------------------------------------------------------------ TX */

static void make_tx(struct pf_nic_tx *tx, uint8_t (*bufs)[2048], uint32_t n, uint32_t seq0,
		    uint16_t len)
{
	for (uint32_t i = 0; i < n; i++) {
		make_frame(bufs[i], len, seq0 + i);
		tx[i] = (struct pf_nic_tx){ .data = bufs[i], .len = len };
	}
}

static void test_tx_byte_exact(void **state)
{
	struct fixture *f = *state;
	static uint8_t bufs[3][2048];
	static const uint16_t lens[] = { 60, 1514, 2048 };
	struct pf_nic_tx tx[3];
	struct pf_nic_stats st;
	uint32_t writes = f->fb->tdt_writes;

	for (uint32_t i = 0; i < 3; i++) {
		make_frame(bufs[i], lens[i], i);
		tx[i] = (struct pf_nic_tx){ .data = bufs[i], .len = lens[i] };
	}
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 3), 3);
	/* nothing reaches the NIC before the flush */
	assert_int_equal(f->fb->n_sent, 0);
	assert_int_equal(fake_reg(f->fb, E1000_TDT), 0);
	/* the caller's frames are copied: changing them now changes nothing */
	memset(bufs, 0, sizeof(bufs));
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(fake_reg(f->fb, E1000_TDT), 3);
	assert_int_equal(f->fb->tdt_writes, writes + 1);
	assert_int_equal(f->fb->n_sent, 3);
	for (uint32_t i = 0; i < 3; i++) {
		make_frame(bufs[i], lens[i], i);
		assert_int_equal(f->fb->sent[i].len, lens[i]);
		assert_memory_equal(f->fb->sent[i].bytes, bufs[i], lens[i]);
	}
	/* a flush with nothing new writes nothing */
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->tdt_writes, writes + 1);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.tx_packets, 3);
	assert_int_equal(st.tx_bytes, 60 + 1514 + 2048 + 3 * 4);
}

/* 8 descriptors: 7 usable. Done ones (DD) are taken again, lap after lap. */
static void test_tx_full_and_recycled(void **state)
{
	struct fixture *f = *state;
	static uint8_t bufs[10][2048];
	struct pf_nic_tx tx[10];

	make_tx(tx, bufs, 10, 0, 100);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 10), 7);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx + 7, 3), 0);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->n_sent, 7);
	/* the NIC set DD on the 7: all free again */
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx + 7, 3), 3);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->n_sent, 10);
	for (uint32_t lap = 0; lap < 5; lap++) {
		assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 7), 7);
		pf_nic_tx_flush(f->nic, 0);
	}
	assert_int_equal(f->fb->n_sent, 45);
	assert_int_equal(fake_reg(f->fb, E1000_TDT), 45 % 8);
	for (uint32_t i = 0; i < 45; i++) {
		uint32_t seq = i < 10 ? i : (i - 10) % 7;

		make_frame(bufs[0], 100, seq);
		assert_memory_equal(f->fb->sent[i].bytes, bufs[0], 100);
	}
}

/* A NIC that has not sent yet (TCTL.EN cleared behind the driver's back):
 * the ring fills and stays full. */
static void test_tx_full_while_nic_busy(void **state)
{
	struct fixture *f = *state;
	static uint8_t bufs[10][2048];
	struct pf_nic_tx tx[10];

	make_tx(tx, bufs, 10, 0, 64);
	fake_reg_set(f->fb, E1000_TCTL, 0);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 4), 4);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx + 4, 6), 3);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 1), 0);
	assert_int_equal(f->fb->n_sent, 0);
	assert_int_equal(fake_reg(f->fb, E1000_TDT), 7);
}

static void test_tx_bad_length(void **state)
{
	struct fixture *f = *state;
	static uint8_t buf[2049];
	struct pf_nic_tx tx[2] = { { .data = buf, .len = 60 }, { .data = buf, .len = 2049 } };
	char out[1024];

	capture_begin();
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, &tx[1], 1), -EMSGSIZE);
	tx[1].len = 0;
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, &tx[1], 1), -EMSGSIZE);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "e1000e 0000:00:02.0: tx of a 2049-byte frame: 1 to 2048 bytes"));
	/* a bad frame after good ones ends the batch before it */
	assert_int_equal(pf_nic_tx_batch(f->nic, 0, tx, 2), 1);
	pf_nic_tx_flush(f->nic, 0);
	assert_int_equal(f->fb->n_sent, 1);
}

/* ------------------------------------------------------------ reset, stats */

static void test_reset_timeout(void **state)
{
	(void)state;
	struct fake_bus *fb = fake_bus_new(our_mac);
	struct pf_nic_config cfg = { 0 };
	struct pf_nic *nic = NULL;
	char err[256] = "";

	fb->rst_sticks = true;
	assert_int_equal(pf_e1000e_open(&fb->bus, &cfg, &nic, err, sizeof(err)), -ETIMEDOUT);
	assert_null(nic);
	assert_string_equal(err, "e1000e 0000:00:02.0: E1000_CTRL.RST still set 100 ms after the reset");
	assert_int_equal(fb->dma_live, 0);
	assert_false(fb->closed);
	fake_bus_free(fb);
}

/* Opening again resets the NIC: what the last user left is gone. */
static void test_reopen_resets(void **state)
{
	(void)state;
	struct fixture f = { .fb = fake_bus_new(our_mac) };
	struct pf_nic_rx rx[8];

	f.nic = open_nic(f.fb, 16, 8, false);
	inject_ok(f.fb, 64, 1);
	inject_ok(f.fb, 64, 2);
	pf_nic_close(f.nic);
	assert_int_equal(f.fb->dma_live, 0);
	f.fb->closed = false;

	f.nic = open_nic(f.fb, 16, 8, false);
	assert_int_equal(f.fb->resets, 2);
	assert_int_equal(fake_reg(f.fb, E1000_RDH), 0);
	assert_int_equal(fake_reg(f.fb, E1000_RDT), 15);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 8), 0);
	inject_ok(f.fb, 64, 3);
	assert_int_equal(pf_nic_rx_batch(f.nic, 0, rx, 8), 1);
	expect_frame(&rx[0], 64, 3);
	close_nic(&f);
}

/* The counters clear when read: the driver adds each reading up. */
static void test_stats_accumulate(void **state)
{
	struct fixture *f = *state;
	struct pf_nic_stats st;
	struct pf_nic_rx rx[16];

	for (uint32_t i = 0; i < 3; i++)
		inject_ok(f->fb, 100, i);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_packets, 3);
	assert_int_equal(st.rx_bytes, 3 * 104);
	assert_int_equal(fake_reg(f->fb, E1000_GPRC), 0);
	assert_int_equal(fake_reg(f->fb, E1000_GORCL), 0);

	inject_ok(f->fb, 200, 3);
	inject_ok(f->fb, 200, 4);
	/* a 64-bit octet count over both halves */
	fake_reg_set(f->fb, E1000_GORCL, 0xfffffff0u);
	fake_reg_set(f->fb, E1000_GORCH, 1);
	fake_reg_set(f->fb, E1000_MPC, 7);
	assert_int_equal(pf_nic_rx_batch(f->nic, 0, rx, 16), 5);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_packets, 5);
	assert_int_equal(st.rx_bytes, 3 * 104 + 0x1fffffff0ull);
	assert_int_equal(st.rx_missed, 7);
	assert_int_equal(st.rx_delivered, 5);
	pf_nic_stats(f->nic, &st);
	assert_int_equal(st.rx_packets, 5);
	assert_int_equal(st.rx_missed, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bringup_registers),
		cmocka_unit_test(test_promiscuous_flag),
		cmocka_unit_test(test_bad_ring_sizes),
		cmocka_unit_test_setup_teardown(test_rx_in_place, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_max_respected, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_ring_wrap, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_refill_in_batches, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_overrun_counted, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_full_ring_twice, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_oversize_dropped, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_rx_error_dropped, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_byte_exact, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_full_and_recycled, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_full_while_nic_busy, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_tx_bad_length, setup_small, teardown),
		cmocka_unit_test(test_reset_timeout),
		cmocka_unit_test(test_reopen_resets),
		cmocka_unit_test_setup_teardown(test_stats_accumulate, setup_small, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
