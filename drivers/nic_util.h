/*
 * drivers/nic_util.h - small pieces every DNA driver needs the same way: the
 * ring size rule, short sleeps while the NIC resets, the 64-bit octet
 * counters, the MAC in RAL0/RAH0 (at the same offsets on the 82574 and the
 * 82576), and the barriers around descriptors.
 */
#ifndef PF_DRIVERS_NIC_UTIL_H
#define PF_DRIVERS_NIC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include "drivers/bus.h"

#define PF_NIC_BUF_SIZE     2048u   /* one RX or TX buffer per descriptor */
#define PF_NIC_RING_DEFAULT 512u
#define PF_NIC_RING_MIN     8u      /* ring lengths: multiples of 128 bytes */
#define PF_NIC_RING_MAX     4096u

/* The NIC writes descriptors and buffers behind the compiler's back: DD is read
 * before the rest of a descriptor (read barrier), and descriptors are complete
 * in memory before the tail register hands them over (write barrier). */
#define pf_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define pf_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

/* The descriptors of a ring asked for (0: the default): a power of two from
 * PF_NIC_RING_MIN to PF_NIC_RING_MAX, else -EINVAL after a message naming
 * driver and which ("RX", "TX"). */
int pf_nic_ring_size(const char *driver, uint32_t asked, const char *which, char *err,
		     size_t errlen);

void pf_nic_sleep_us(unsigned us);

/* A 64-bit octet counter: the low half first, reading the high half clears both. */
uint64_t pf_nic_read_octets(struct pf_bus *bus, uint32_t low, uint32_t high);

/* The MAC address the NIC loaded from its EEPROM into RAL0 (0x5400) and RAH0. */
void pf_nic_read_mac(struct pf_bus *bus, uint8_t mac[6]);

#endif /* PF_DRIVERS_NIC_UTIL_H */
