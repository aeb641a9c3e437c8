/*
 * tests/unit/test_e1000e_rss.c - the 82574 driver's two RX queues spread by
 * RSS (drivers/e1000e.c), on the fake bus whose model picks a frame's queue
 * the way QEMU's e1000e does (tests/unit/fake_bus.h). Each frame's queue and
 * hash are predicted here with core's Toeplitz from the key the driver is
 * meant to program, and checked against what the driver hands out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/device.h"
#include "drivers/e1000e_regs.h"
#include "core/hash.h"
#include "core/parse.h"
#include "fake_bus.h"

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x01 };

#define FRAME_LEN 64

/* A TCP (proto 6) or UDP (17) frame to us between src:sport and dst:dport,
 * or with proto 0 an ARP frame. */
static void make_frame(uint8_t *b, uint8_t proto, uint32_t src, uint32_t dst, uint16_t sport,
		       uint16_t dport)
{
	memset(b, 0, FRAME_LEN);
	memcpy(b, our_mac, 6);
	b[6] = 0x02;
	if (proto == 0) {
		b[12] = 0x08, b[13] = 0x06;
		return;
	}
	b[12] = 0x08, b[13] = 0x00;
	uint8_t *ip = b + 14, *l4 = ip + 20;

	ip[0] = 0x45, ip[3] = FRAME_LEN - 14, ip[8] = 64, ip[9] = proto;
	for (int i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	l4[0] = (uint8_t)(sport >> 8), l4[1] = (uint8_t)sport;
	l4[2] = (uint8_t)(dport >> 8), l4[3] = (uint8_t)dport;
	if (proto == 6)
		l4[12] = 0x50;
	else
		l4[5] = FRAME_LEN - 34;
}

/* The hash and queue an 82574 with RSS over two queues (odd RETA entries on
 * queue 1) gives this frame, with this key: TCP ports hashed, UDP's not. */
static uint32_t predict(const uint8_t *frame, const uint8_t *key, uint16_t *queue)
{
	struct pkt_parsing_info p;

	memset(&p, 0, sizeof(p));
	pf_parse(frame, FRAME_LEN, PF_RING_PARSE_L4, &p);
	uint32_t hash = pf_rss_hash(&p, key, PF_RSS_KEY_LEN, 0);

	*queue = hash & 1;
	return hash;
}

static struct pf_nic *open_rss(struct fake_bus *fb, uint16_t queues, bool symmetric)
{
	struct pf_nic_config cfg = { .rx_ring_size = 64, .tx_ring_size = 8, .rx_queues = queues,
				     .symmetric_rss = symmetric };
	struct pf_nic *nic = NULL;
	char err[256] = "";

	assert_int_equal(pf_e1000e_open(&fb->bus, &cfg, &nic, err, sizeof(err)), 0);
	assert_non_null(nic);
	return nic;
}

static void close_rss(struct pf_nic *nic, struct fake_bus *fb)
{
	pf_nic_close(nic);
	assert_int_equal(fb->dma_live, 0);
	fake_bus_free(fb);
}

/* ------------------------------------------------------------ tests */

static void test_rss_registers(void **state)
{
	(void)state;
	struct fake_bus *fb = fake_bus_new(our_mac);
	struct pf_nic *nic = open_rss(fb, 8, false);     /* asks more than the 82574 has */

	assert_int_equal(nic->num_rx_queues, 2);
	assert_int_equal(nic->num_tx_queues, 1);
	assert_int_equal(fake_reg(fb, E1000_MRQC) & 3, E1000_MRQC_RSS);
	assert_int_equal(fake_reg(fb, E1000_MRQC) & E1000_MRQC_IPV4, E1000_MRQC_IPV4);
	assert_int_equal(fake_reg(fb, E1000_MRQC) & E1000_MRQC_TCPIPV4, E1000_MRQC_TCPIPV4);
	assert_int_equal(fake_reg(fb, E1000_RXCSUM) & E1000_RXCSUM_PCSD, E1000_RXCSUM_PCSD);
	for (uint32_t i = 0; i < PF_RSS_KEY_LEN; i++)
		assert_int_equal((uint8_t)(fake_reg(fb, E1000_RSSRK + (i & ~3u)) >> (8 * (i & 3))),
				 pf_rss_key_default[i]);
	/* both rings: their own memory, every descriptor but one the NIC's */
	uint32_t q1 = E1000_RDBAL + E1000_RXQ_STRIDE;

	assert_int_not_equal(fake_reg(fb, q1), fake_reg(fb, E1000_RDBAL));
	assert_int_equal(fake_reg(fb, q1 + E1000_RING_LEN), 64 * 16);
	assert_int_equal(fake_reg(fb, q1 + E1000_RING_T), 63);
	assert_int_equal(fake_reg(fb, E1000_RDT), 63);
	close_rss(nic, fb);

	/* one queue asked: no RSS, the second ring untouched */
	fb = fake_bus_new(our_mac);
	nic = open_rss(fb, 1, false);
	assert_int_equal(nic->num_rx_queues, 1);
	assert_int_equal(fake_reg(fb, E1000_MRQC), 0);
	assert_int_equal(fake_reg(fb, q1 + E1000_RING_LEN), 0);
	close_rss(nic, fb);
}

/* 200 TCP and UDP flows: each frame on the queue and with the hash predicted,
 * in order per queue, bytes intact; the queues' counts add up. */
static void test_rss_spreads_flows(void **state)
{
	(void)state;
	struct fake_bus *fb = fake_bus_new(our_mac);
	struct pf_nic *nic = open_rss(fb, 2, false);
	uint8_t frames[200][FRAME_LEN];
	uint16_t want_q[200];
	uint32_t want_hash[200], want_n[2] = { 0, 0 };

	for (uint32_t i = 0; i < 200; i++) {
		make_frame(frames[i], i % 3 ? 6 : 17, 0x0a000001 + i * 7919, 0xc0a80001 + i,
			   (uint16_t)(1024 + i * 13), 80);
		want_hash[i] = predict(frames[i], pf_rss_key_default, &want_q[i]);
		want_n[want_q[i]]++;
	}
	/* 30 at a time: a ring of 64 holds them beside the 30 lent before */
	for (uint32_t base = 0; base < 200; base += 30) {
		uint32_t end = base + 30 < 200 ? base + 30 : 200, next[2] = { base, base };

		for (uint32_t i = base; i < end; i++)
			assert_int_equal(fake_e1000e_inject(fb, frames[i], FRAME_LEN), 0);
		for (uint16_t q = 0; q < 2; q++) {
			struct pf_nic_rx rx[64];
			uint32_t got = pf_nic_rx_batch(nic, q, rx, 64);

			for (uint32_t k = 0; k < got; k++) {
				while (next[q] < end && want_q[next[q]] != q)
					next[q]++;
				assert_true(next[q] < end);
				assert_int_equal(rx[k].len, FRAME_LEN);
				assert_memory_equal(rx[k].data, frames[next[q]], FRAME_LEN);
				assert_int_equal(rx[k].rss_hash, want_hash[next[q]]);
				next[q]++;
			}
			while (next[q] < end && want_q[next[q]] != q)
				next[q]++;
			assert_int_equal(next[q], end);     /* none of this queue missing */
		}
	}
	assert_int_equal(fb->rx_per_queue[0], want_n[0]);
	assert_int_equal(fb->rx_per_queue[1], want_n[1]);
	assert_true(want_n[0] > 50 && want_n[1] > 50);  /* the traffic exercises both */
	struct pf_nic_stats st;

	pf_nic_stats(nic, &st);
	assert_int_equal(st.rx_delivered, 200);
	assert_int_equal(st.rx_packets, 200);
	close_rss(nic, fb);
}

/* UDP hashes the addresses only; ARP has no hash and goes to queue 0. */
static void test_rss_udp_and_non_ip(void **state)
{
	(void)state;
	struct fake_bus *fb = fake_bus_new(our_mac);
	struct pf_nic *nic = open_rss(fb, 2, false);
	uint8_t a[FRAME_LEN], b[FRAME_LEN], arp[FRAME_LEN];
	struct pf_nic_rx rx[4];
	uint16_t qa, qb;

	make_frame(a, 17, 0x0a000001, 0x0a000002, 1000, 53);
	make_frame(b, 17, 0x0a000001, 0x0a000002, 2000, 5353);
	make_frame(arp, 0, 0, 0, 0, 0);
	assert_int_equal(predict(a, pf_rss_key_default, &qa), predict(b, pf_rss_key_default, &qb));
	assert_int_equal(fake_e1000e_inject(fb, a, FRAME_LEN), 0);
	assert_int_equal(fake_e1000e_inject(fb, b, FRAME_LEN), 0);
	assert_int_equal(pf_nic_rx_batch(nic, qa, rx, 4), 2);
	assert_int_equal(rx[0].rss_hash, rx[1].rss_hash);
	assert_int_equal(pf_nic_rx_batch(nic, (uint16_t)!qa, rx, 4), 0);
	assert_int_equal(fake_e1000e_inject(fb, arp, FRAME_LEN), 0);
	assert_int_equal(pf_nic_rx_batch(nic, 1, rx, 4), 0);
	assert_int_equal(pf_nic_rx_batch(nic, 0, rx, 4), 1);
	assert_int_equal(rx[0].rss_hash, 0);
	assert_memory_equal(rx[0].data, arp, FRAME_LEN);
	close_rss(nic, fb);
}

/* With the symmetric key both directions of every flow share queue and hash;
 * with the default key they do not all. */
static void test_rss_symmetric(void **state)
{
	(void)state;
	for (int symmetric = 0; symmetric <= 1; symmetric++) {
		struct fake_bus *fb = fake_bus_new(our_mac);
		struct pf_nic *nic = open_rss(fb, 2, symmetric);
		unsigned split = 0;

		for (uint32_t i = 0; i < 40; i++) {
			uint8_t fwd[FRAME_LEN], rev[FRAME_LEN];
			struct pf_nic_rx rx[4];
			uint32_t src = 0x0a000001 + i * 104729, dst = 0xac100001 + i * 31;
			uint16_t sport = (uint16_t)(40000 + i * 17), dport = 443;

			make_frame(fwd, 6, src, dst, sport, dport);
			make_frame(rev, 6, dst, src, dport, sport);
			assert_int_equal(fake_e1000e_inject(fb, fwd, FRAME_LEN), 0);
			assert_int_equal(fake_e1000e_inject(fb, rev, FRAME_LEN), 0);
			uint32_t n0 = pf_nic_rx_batch(nic, 0, rx, 4);
			uint32_t h0 = n0 ? rx[0].rss_hash : 0, h0b = n0 == 2 ? rx[1].rss_hash : 0;
			uint32_t n1 = pf_nic_rx_batch(nic, 1, rx, 4);

			assert_int_equal(n0 + n1, 2);
			if (symmetric) {
				assert_true(n0 == 2 || n1 == 2);
				assert_int_equal(n0 == 2 ? h0 : rx[0].rss_hash,
						 n0 == 2 ? h0b : rx[1].rss_hash);
			}
			split += n0 == 1;
		}
		if (!symmetric)
			assert_true(split > 0);
		close_rss(nic, fb);
	}
}

/* A queue left unread overruns by itself: its losses are counted (MPC), the
 * other queue goes on receiving everything. */
static void test_rss_queue_overrun_alone(void **state)
{
	(void)state;
	struct fake_bus *fb = fake_bus_new(our_mac);
	struct pf_nic *nic = open_rss(fb, 2, false);
	uint32_t lost = 0, to_q0 = 0, sent = 0;
	struct pf_nic_rx rx[64];
	struct pf_nic_stats st;

	for (uint32_t i = 0; sent < 300; i++) {
		uint8_t f[FRAME_LEN];
		uint16_t q;

		make_frame(f, 6, 0x0a000001 + i, 0x0a000002, (uint16_t)(5000 + i), 80);
		predict(f, pf_rss_key_default, &q);
		int rc = fake_e1000e_inject(fb, f, FRAME_LEN);

		sent++;
		if (q == 0) {
			assert_int_equal(rc, 0);
			to_q0++;
			assert_int_equal(pf_nic_rx_batch(nic, 0, rx, 64), 1);
			assert_memory_equal(rx[0].data, f, FRAME_LEN);
		} else if (rc == -ENOBUFS) {
			lost++;
		} else {
			assert_int_equal(rc, 0);
		}
	}
	uint32_t q1_held = sent - to_q0 - lost;

	assert_int_equal(q1_held, 63);  /* a ring of 64 holds 63 */
	assert_true(lost > 0);
	assert_int_equal(pf_nic_rx_batch(nic, 1, rx, 64), 63);
	pf_nic_stats(nic, &st);
	assert_int_equal(st.rx_missed, lost);
	assert_int_equal(st.rx_delivered, to_q0 + 63);
	close_rss(nic, fb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss_registers),
		cmocka_unit_test(test_rss_spreads_flows),
		cmocka_unit_test(test_rss_udp_and_non_ip),
		cmocka_unit_test(test_rss_symmetric),
		cmocka_unit_test(test_rss_queue_overrun_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
