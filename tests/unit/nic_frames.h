/*
 * tests/unit/nic_frames.h - the numbered frames the DNA drivers' tests
 * (test_e1000e.c, test_igb.c) put on the fake wire and expect back. Include
 * after <cmocka.h>.
 */
#ifndef PF_TESTS_NIC_FRAMES_H
#define PF_TESTS_NIC_FRAMES_H

#include <stdint.h>
#include <string.h>
#include "drivers/device.h"
#include "fake_bus.h"

/* Frame seq of len bytes to mac: mac, then seq in bytes 12-15, then a pattern
 * of seq and the offset (not IP: no RSS field applies to it). */
static inline void nic_frame(uint8_t *buf, size_t len, uint32_t seq, const uint8_t mac[6])
{
	memcpy(buf, mac, 6);
	for (size_t i = 6; i < len; i++)
		buf[i] = (uint8_t)(seq * 7 + i);
	if (len >= 16)
		memcpy(buf + 12, &seq, 4);
}

/* rx holds frame seq of len bytes to mac, byte for byte. */
static inline void nic_expect_frame(const struct pf_nic_rx *rx, size_t len, uint32_t seq,
				    const uint8_t mac[6])
{
	uint8_t want[FAKE_MAX_FRAME];

	nic_frame(want, len, seq, mac);
	assert_int_equal(rx->len, len);
	assert_memory_equal(rx->data, want, len);
}

#endif /* PF_TESTS_NIC_FRAMES_H */
