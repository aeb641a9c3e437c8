/*
 * tests/e2e/progs/crc32.h - the frame digest the guest programs print and the
 * host's fixture facts (tests/e2e/fixture_facts.py) compute: CRC-32 (IEEE
 * 802.3, reflected, as zlib's crc32), bit by bit.
 */
#ifndef PF_E2E_CRC32_H
#define PF_E2E_CRC32_H

#include <sys/types.h>

static inline unsigned crc32_of(const u_char *d, unsigned n)
{
	unsigned c = 0xffffffffu, i, k;

	for (i = 0; i < n; i++) {
		c ^= d[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

#endif
