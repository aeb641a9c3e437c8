/*
 * tests/unit/fake_igb.h - a small model of the 82576 (igb) behind the fake
 * bus (fake_bus.h), for tests/unit/test_igb.c. What it does, as QEMU's igb
 * does it (hw/net/igb_core.c):
 *   CTRL.RST  clears the registers (the MAC comes back) and the link: STATUS.LU
 *             stays clear until the PHY's autonegotiation is restarted; RST
 *             clears itself unless the bus's rst_sticks;
 *   MDIC      PHY 1 only (others: MDIC.E), its BMCR read and written; a write
 *             with AN_ENABLE and AN_RESTART brings the link up at once (unless
 *             link_stays_down); READY set at once (unless mdic_stuck);
 *   IMC, EIMC clear bits of ims, eims;
 *   TDT(0)    sends (TCTL.EN and TXDCTL(0).ENABLE) the advanced data
 *             descriptors from TDH up to TDT, one frame each: records it in the
 *             bus's sent[], sets DD where RS asks, counts GPTC/GOTC; other
 *             descriptors (legacy: QEMU ignores them) are counted in bad_tx;
 *   inject    RSS when MRQC says RSS and RXCSUM.PCSD is set: the Toeplitz hash
 *             (core's) with the key in RSSRK over the IPv4/IPv6 addresses and
 *             TCP/UDP ports MRQC enables, the queue in RETA[hash & 127]; else
 *             queue 0. The frame goes through that queue's descriptors (one
 *             SRRCTL.BSIZEPKT buffer each, advanced write-back: length, DD,
 *             EOP and the hash on the last); too few free ones: MPC and RNBC.
 */
#ifndef PF_TESTS_FAKE_IGB_H
#define PF_TESTS_FAKE_IGB_H

#include "drivers/igb_regs.h"
#include "fake_bus.h"

struct fake_igb {
	bool mdic_stuck;            /* MDIC.READY never set (the timeout path) */
	bool link_stays_down;       /* autonegotiation never completes */
	uint16_t bmcr;              /* the PHY's BMCR */
	unsigned an_restarts;       /* autonegotiations restarted through MDIC */
	uint32_t ims, eims;         /* interrupts enabled */
	uint32_t rdt_writes[IGB_MAX_RX_QUEUES];
	uint32_t tdt_writes;
	uint32_t bad_tx;            /* TX descriptors the model does not send */
	uint32_t next_rx_error;     /* error bits of the next injected frame's status */
	uint32_t last_hash;         /* RSS hash of the last frame injected */
};

/* A bus for an 82576 whose EEPROM holds mac, freshly powered: link down,
 * interrupts enabled (as the kernel's driver leaves them). Free it with
 * fake_bus_free. Aborts when out of memory. */
struct fake_bus *fake_igb_new(const uint8_t mac[6]);

/* One frame of len bytes arrives from the wire: the RX queue it was stored
 * in (>= 0); -ENETDOWN when RCTL.EN or the link is down, or the queue is not
 * enabled; -EPERM when the address filter refuses it or it is longer than
 * RLPML allows (ROC); -ENOBUFS when the queue's free descriptors are too few
 * (MPC and RNBC count it); -EFAULT when a descriptor points outside DMA
 * memory. */
int fake_igb_inject(struct fake_bus *fb, const void *frame, size_t len);

#endif /* PF_TESTS_FAKE_IGB_H */
