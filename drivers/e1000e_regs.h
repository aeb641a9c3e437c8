/*
 * drivers/e1000e_regs.h - the 82574's registers, bits and descriptors as its
 * datasheet names them (section 10 for registers, 7.1.5 for the extended RX
 * descriptor, 7.2.10.1 for the legacy TX one, 7.1.12 for RSS): shared by the driver (drivers/e1000e.c) and the model of
 * the fake bus (tests/unit/fake_bus.c).
 */
#ifndef PF_DRIVERS_E1000E_REGS_H
#define PF_DRIVERS_E1000E_REGS_H

#include <stdint.h>

/* Registers (byte offsets in BAR0). */
#define E1000_CTRL      0x0000
#define E1000_STATUS    0x0008
#define E1000_ICR       0x00c0
#define E1000_IMC       0x00d8
#define E1000_RCTL      0x0100
#define E1000_TCTL      0x0400
#define E1000_TIPG      0x0410
#define E1000_RDBAL     0x2800  /* RX ring: RDBAH +4, RDLEN +8, RDH +0x10, RDT +0x18 */
#define E1000_RDBAH     0x2804
#define E1000_RDLEN     0x2808
#define E1000_RDH       0x2810
#define E1000_RDT       0x2818
#define E1000_RXQ_STRIDE 0x100  /* queue 1's RX registers: RDBAL1 0x2900 ... */
#define E1000_TDBAL     0x3800  /* TX ring: the same layout */
#define E1000_TDBAH     0x3804
#define E1000_TDLEN     0x3808
#define E1000_TDH       0x3810
#define E1000_TDT       0x3818
#define E1000_STATS     0x4000  /* statistics: 0x4000-0x40ff, clear on read */
#define E1000_STATS_END 0x4100
#define E1000_MPC       0x4010
#define E1000_GPRC      0x4074
#define E1000_GPTC      0x4080
#define E1000_GORCL     0x4088  /* 64-bit octet counters: reading the high half clears both */
#define E1000_GORCH     0x408c
#define E1000_GOTCL     0x4090
#define E1000_GOTCH     0x4094
#define E1000_RNBC      0x40a0
#define E1000_ROC       0x40ac
#define E1000_RXCSUM    0x5000
#define E1000_RFCTL     0x5008
#define E1000_MRQC      0x5818
#define E1000_RETA      0x5c00  /* 32 registers: 128 one-byte entries */
#define E1000_RSSRK     0x5c80  /* 10 registers: the 40-byte key, byte 0 in bits 7:0 */
#define E1000_MTA       0x5200  /* 128 registers */
#define E1000_RAL0      0x5400
#define E1000_RAH0      0x5404

/* Ring registers, from a ring's base register (RDBAL or TDBAL). */
#define E1000_RING_BAH  0x04
#define E1000_RING_LEN  0x08
#define E1000_RING_H    0x10
#define E1000_RING_T    0x18

#define E1000_CTRL_SLU     (1u << 6)
#define E1000_CTRL_RST     (1u << 26)
#define E1000_STATUS_LU    (1u << 1)
#define E1000_RCTL_EN      (1u << 1)
#define E1000_RCTL_UPE     (1u << 3)
#define E1000_RCTL_MPE     (1u << 4)
#define E1000_RCTL_LPE     (1u << 5)
#define E1000_RCTL_BAM     (1u << 15)
#define E1000_RCTL_BSIZE   (3u << 16)  /* 00 with BSEX 0: 2048-byte buffers */
#define E1000_RCTL_BSEX    (1u << 25)
#define E1000_RCTL_SECRC   (1u << 26)
#define E1000_TCTL_EN      (1u << 1)
#define E1000_TCTL_PSP     (1u << 3)
#define E1000_TCTL_CT      (0x0fu << 4)   /* collision threshold: the datasheet's 0x0f */
#define E1000_TCTL_COLD    (0x3fu << 12)  /* collision distance: full duplex */
#define E1000_TIPG_DEFAULT (8u | (8u << 10) | (6u << 20))  /* IPGT 8, IPGR1 8, IPGR2 6 */
#define E1000_RAH_AV       (1u << 31)
#define E1000_RFCTL_EXTEN  (1u << 15)  /* extended RX descriptors */
#define E1000_RXCSUM_PCSD  (1u << 13)  /* write-back carries the RSS hash, not a checksum */
#define E1000_MRQC_RSS     1u          /* MRQC.Multiple Receive Queues Enable = 01: RSS */
#define E1000_MRQC_TCPIPV4 (1u << 16)  /* hash fields: TCP/IPv4 4-tuple */
#define E1000_MRQC_IPV4    (1u << 17)  /* IPv4 2-tuple */
#define E1000_MRQC_TCPIPV6 (1u << 18)
#define E1000_MRQC_IPV6EX  (1u << 19)
#define E1000_MRQC_IPV6    (1u << 20)
#define E1000_RETA_ENTRIES 128
#define E1000_RETA_QUEUE1  0x80u       /* an entry's bit 7: queue 1 */
#define E1000_RSS_QUEUES   2

/* Extended RX descriptor: the driver writes the read format (the buffer's
 * address, the rest 0); the NIC overwrites it with the write-back format. */
union e1000_rx_desc_ext {
	struct {
		uint64_t addr;
		uint64_t reserved;
	} read;
	struct {
		uint32_t mrq;           /* RSS type in bits 3:0, queue in bits 12:8 */
		uint32_t rss;           /* the RSS hash (with RXCSUM.PCSD) */
		uint32_t status_error;  /* status in bits 19:0, errors in 31:20 */
		uint16_t length;
		uint16_t vlan;
	} wb;
};
_Static_assert(sizeof(union e1000_rx_desc_ext) == 16, "extended RX descriptor: 16 bytes");

/* Legacy TX descriptor. */
struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "legacy TX descriptor: 16 bytes");

#define E1000_RXD_STAT_DD  (1u << 0)
#define E1000_RXD_STAT_EOP (1u << 1)
/* Frame errors of the extended write-back: CE, SE, SEQ, CXE, RXE (the
 * checksum errors IPE/TCPE are not frame errors, and are off with PCSD). */
#define E1000_RXDEXT_ERR_FRAME (0x01000000u | 0x02000000u | 0x04000000u | 0x10000000u | \
				0x80000000u)
#define E1000_TXD_CMD_EOP  (1u << 0)
#define E1000_TXD_CMD_IFCS (1u << 1)
#define E1000_TXD_CMD_RS   (1u << 3)
#define E1000_TXD_STAT_DD  (1u << 0)

#endif /* PF_DRIVERS_E1000E_REGS_H */
