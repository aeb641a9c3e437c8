/*
 * drivers/igb_regs.h - the 82576's registers, bits and advanced descriptors
 * as its datasheet names them (section 8 for registers, 7.1.5 and 7.2.2.3
 * for descriptors), with an IGB_ prefix so that they can sit beside the
 * 82574's (drivers/e1000e_regs.h): shared by the driver (drivers/igb.c) and
 * the fake bus's model (tests/unit/fake_igb.c).
 */
#ifndef PF_DRIVERS_IGB_REGS_H
#define PF_DRIVERS_IGB_REGS_H

#include <stdint.h>

#define IGB_MAX_RX_QUEUES 16
#define IGB_RETA_ENTRIES  128   /* one byte each, in 32 registers */
#define IGB_RSSRK_BYTES   40    /* in 10 registers, key byte 0 the low byte of RSSRK0 */

/* Registers (byte offsets in BAR0). */
#define IGB_CTRL        0x0000
#define IGB_STATUS      0x0008
#define IGB_MDIC        0x0020
#define IGB_ICR         0x00c0
#define IGB_IMC         0x00d8
#define IGB_RCTL        0x0100
#define IGB_TCTL        0x0400
#define IGB_EIMC        0x1528
#define IGB_STATS       0x4000  /* statistics: 0x4000-0x40ff, clear on read */
#define IGB_STATS_END   0x4100
#define IGB_MPC         0x4010
#define IGB_GPRC        0x4074
#define IGB_GPTC        0x4080
#define IGB_GORCL       0x4088  /* 64-bit octet counters: reading the high half clears both */
#define IGB_GORCH       0x408c
#define IGB_GOTCL       0x4090
#define IGB_GOTCH       0x4094
#define IGB_RNBC        0x40a0
#define IGB_ROC         0x40ac
#define IGB_RXCSUM      0x5000
#define IGB_RLPML       0x5004
#define IGB_RFCTL       0x5008
#define IGB_MTA         0x5200  /* 128 registers */
#define IGB_RAL0        0x5400
#define IGB_RAH0        0x5404
#define IGB_MRQC        0x5818
#define IGB_RETA        0x5c00  /* 32 registers: entry i is byte i % 4 of RETA[i / 4] */
#define IGB_RSSRK       0x5c80  /* 10 registers */

/* Per-queue registers: queues 0-3 at their 82575-compatible addresses, the
 * others in the 0xc000 (RX) and 0xe000 (TX) blocks. */
#define IGB_RDBAL(n)    ((n) < 4 ? 0x2800 + (n) * 0x100 : 0xc000 + (n) * 0x40)
#define IGB_TDBAL(n)    ((n) < 4 ? 0x3800 + (n) * 0x100 : 0xe000 + (n) * 0x40)
/* from a ring's base register (RDBAL(n) or TDBAL(n)) */
#define IGB_RING_BAH    0x04
#define IGB_RING_LEN    0x08
#define IGB_RING_SRRCTL 0x0c    /* RX only */
#define IGB_RING_H      0x10
#define IGB_RING_T      0x18
#define IGB_RING_DCTL   0x28    /* RXDCTL, TXDCTL */
#define IGB_RDT(n)      (IGB_RDBAL(n) + IGB_RING_T)
#define IGB_TDT(n)      (IGB_TDBAL(n) + IGB_RING_T)
#define IGB_SRRCTL(n)   (IGB_RDBAL(n) + IGB_RING_SRRCTL)
#define IGB_RXDCTL(n)   (IGB_RDBAL(n) + IGB_RING_DCTL)
#define IGB_TXDCTL(n)   (IGB_TDBAL(n) + IGB_RING_DCTL)

#define IGB_CTRL_SLU       (1u << 6)
#define IGB_CTRL_RST       (1u << 26)
#define IGB_STATUS_LU      (1u << 1)
#define IGB_MDIC_DATA      0xffffu
#define IGB_MDIC_REG(r)    ((uint32_t)(r) << 16)
#define IGB_MDIC_PHY(p)    ((uint32_t)(p) << 21)
#define IGB_MDIC_OP_WRITE  (1u << 26)
#define IGB_MDIC_OP_READ   (2u << 26)
#define IGB_MDIC_READY     (1u << 28)
#define IGB_MDIC_ERROR     (1u << 30)
#define IGB_PHY_ADDR       1           /* the internal PHY */
#define IGB_PHY_BMCR       0           /* PHY control (IEEE) */
#define IGB_BMCR_AN_RESTART (1u << 9)
#define IGB_BMCR_AN_ENABLE  (1u << 12)
#define IGB_RCTL_EN        (1u << 1)
#define IGB_RCTL_UPE       (1u << 3)
#define IGB_RCTL_MPE       (1u << 4)
#define IGB_RCTL_LPE       (1u << 5)
#define IGB_RCTL_BAM       (1u << 15)
#define IGB_RCTL_SECRC     (1u << 26)
#define IGB_TCTL_EN        (1u << 1)
#define IGB_TCTL_PSP       (1u << 3)
#define IGB_TCTL_CT        (0x0fu << 4)   /* collision threshold: the datasheet's 0x0f */
#define IGB_TCTL_COLD      (0x3fu << 12)  /* collision distance: full duplex */
#define IGB_RXCSUM_PCSD    (1u << 13)     /* RSS hash instead of the checksum in write-back */
#define IGB_RLPML_MAX      0x3fffu        /* 14 bits */
#define IGB_SRRCTL_BSIZEPKT(kb)   ((uint32_t)(kb))    /* packet buffer, 1 KB units */
#define IGB_SRRCTL_BSIZEPKT_MASK  0x7fu
#define IGB_SRRCTL_DESCTYPE_ADV1  (1u << 25)  /* advanced descriptors, one buffer */
#define IGB_SRRCTL_DESCTYPE_MASK  (7u << 25)
#define IGB_DCTL_ENABLE    (1u << 25)     /* RXDCTL, TXDCTL: the queue is enabled */
#define IGB_RAH_AV         (1u << 31)
#define IGB_MRQC_RSS       0x2u           /* Multiple Receive Queues Enable: RSS only */
#define IGB_MRQC_MODE_MASK 0x7u
#define IGB_MRQC_TCP_IPV4  (1u << 16)     /* RSS field enables */
#define IGB_MRQC_IPV4      (1u << 17)
#define IGB_MRQC_TCP_IPV6EX (1u << 18)
#define IGB_MRQC_IPV6EX    (1u << 19)
#define IGB_MRQC_IPV6      (1u << 20)
#define IGB_MRQC_TCP_IPV6  (1u << 21)
#define IGB_MRQC_UDP_IPV4  (1u << 22)
#define IGB_MRQC_UDP_IPV6  (1u << 23)
#define IGB_MRQC_UDP_IPV6EX (1u << 24)
#define IGB_RETA_QUEUE     0x0fu          /* the queue in a RETA entry */

/* Advanced receive descriptor: the driver writes the read format, the NIC
 * writes back over it. */
union igb_adv_rx_desc {
	struct {
		uint64_t pkt_addr;
		uint64_t hdr_addr;      /* 0: no header split */
	} read;
	struct {
		uint16_t pkt_info;      /* RSS type (bits 3:0), packet type */
		uint16_t hdr_info;
		uint32_t rss;           /* the RSS hash (RXCSUM.PCSD set) */
		uint32_t status_error;
		uint16_t length;
		uint16_t vlan;
	} wb;
};
_Static_assert(sizeof(union igb_adv_rx_desc) == 16, "advanced RX descriptor: 16 bytes");

#define IGB_RXD_STAT_DD     (1u << 0)
#define IGB_RXD_STAT_EOP    (1u << 1)
/* frame errors (CE, SE, SEQ, CXE, RXE); IPE and TCPE are checksum offload's */
#define IGB_RXDEXT_ERR_FRAME 0x97000000u

/* Advanced transmit data descriptor: read format, and the status the NIC
 * writes back into olinfo_status's place. */
union igb_adv_tx_desc {
	struct {
		uint64_t buffer_addr;
		uint32_t cmd_type_len;
		uint32_t olinfo_status;
	} read;
	struct {
		uint64_t rsvd;
		uint32_t nxtseq_seed;
		uint32_t status;
	} wb;
};
_Static_assert(sizeof(union igb_adv_tx_desc) == 16, "advanced TX descriptor: 16 bytes");

#define IGB_TXD_DTYP_DATA   (3u << 20)
#define IGB_TXD_DCMD_EOP    (1u << 24)
#define IGB_TXD_DCMD_IFCS   (1u << 25)
#define IGB_TXD_DCMD_RS     (1u << 27)
#define IGB_TXD_DCMD_DEXT   (1u << 29)
#define IGB_TXD_LEN_MASK    0xffffu
#define IGB_TXD_PAYLEN_SHIFT 14
#define IGB_TXD_STAT_DD     (1u << 0)

#endif /* PF_DRIVERS_IGB_REGS_H */
