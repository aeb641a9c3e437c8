/*
 * drivers/nic_util.c - what the DNA drivers share (nic_util.h).
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include "drivers/nic_util.h"

#define REG_RAL0 0x5400
#define REG_RAH0 0x5404

int pf_nic_ring_size(const char *driver, uint32_t asked, const char *which, char *err,
		     size_t errlen)
{
	uint32_t n = asked ? asked : PF_NIC_RING_DEFAULT;

	if (n < PF_NIC_RING_MIN || n > PF_NIC_RING_MAX || (n & (n - 1))) {
		snprintf(err, errlen, "%s: %s ring of %u descriptors: a power of two from %u to %u",
			 driver, which, n, PF_NIC_RING_MIN, PF_NIC_RING_MAX);
		return -EINVAL;
	}
	return (int)n;
}

void pf_nic_sleep_us(unsigned us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

uint64_t pf_nic_read_octets(struct pf_bus *bus, uint32_t low, uint32_t high)
{
	uint64_t lo = pf_reg_read_clear(bus, low);

	return lo | (uint64_t)pf_reg_read_clear(bus, high) << 32;
}

void pf_nic_read_mac(struct pf_bus *bus, uint8_t mac[6])
{
	uint32_t ral = pf_reg_read(bus, REG_RAL0);
	uint32_t rah = pf_reg_read(bus, REG_RAH0);

	for (int i = 0; i < 4; i++)
		mac[i] = (uint8_t)(ral >> (8 * i));
	mac[4] = (uint8_t)rah;
	mac[5] = (uint8_t)(rah >> 8);
}
