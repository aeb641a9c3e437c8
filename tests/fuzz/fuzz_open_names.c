/*
 * tests/fuzz/fuzz_open_names.c - libFuzzer target: pfring_open() and
 * pfring_open_multichannel() on any bytes as a device name, across every
 * prefix.
 *
 * Input: byte 0 picks a prefix (below) and whether to open through
 * pfring_open_multichannel, byte 1 the flags, byte 2 the caplen; the rest,
 * up to its first NUL, follows the prefix. What opens is enabled, read once
 * without waiting, and closed. No crash, no leak, no UB; a failed open sets
 * errno.
 *
 * Kept away from the machine: a name holding "pcap" is skipped (pcap= could
 * name a FIFO that blocks, txpcap= would write a file anywhere), and so is
 * "usr" anywhere but in the fuzzer's own "userspace:usr97" prefix (userspace
 * rings are shared-memory objects other programs of this user may be using).
 * PFSIM_DIR points at a folder that does not exist, so no pfsim is reached,
 * and dna: names get a bus opener that finds no NIC: a fuzzed "dna:eth0" must
 * never take the machine's NIC from its kernel driver.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfring.h>
#include "backends/dna/dna.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)
#define NAME_MAX_LEN 8192

static const char *const prefixes[] = {
	"", "sim:", "multi:", "userspace:", "dna:", "dnacluster:", "sim:fzn?gen=flows:3&count=5",
	"sim:fzn@1?gen=flows:3&queues=2&count=5", "multi:sim:fzm?gen=flows:2&count=4;sim:",
	"userspace:usr97", "sim:fzq?gen=flows:9&count=9&queues=", "eth0@", "lo;",
};

#define NPREFIX (sizeof(prefixes) / sizeof(prefixes[0]))

static int no_nic(const char *name, struct pf_bus **out, char *err, size_t errlen)
{
	(void)out;
	snprintf(err, errlen, "%s: no NIC while fuzzing", name);
	return -ENODEV;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("PFSIM_DIR", "/nonexistent-pfsim-dir-for-fuzzing", 1);
	pf_dna_set_bus_opener(no_nic);
	return 0;
}

static void use(pfring *r)
{
	struct pfring_pkthdr h;
	u_char *p = NULL;

	if (pfring_enable_ring(r) == 0)
		(void)pfring_recv(r, &p, 0, &h, 0);
	pfring_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[NAME_MAX_LEN + 64];
	static const u_int32_t caplens[4] = { 0, 64, 1536, 65536 };
	pfring *rings[MAX_NUM_RX_CHANNELS];
	const char *prefix, *usr;
	size_t plen, n;
	u_int32_t flags;
	u_int8_t k, i;
	pfring *r;

	if (size < 3)
		return 0;
	prefix = prefixes[(data[0] & 0x7f) % NPREFIX];
	flags = data[1] & (PF_RING_LONG_HEADER | PF_RING_PROMISC | PF_RING_DNA_SYMMETRIC_RSS |
			   PF_RING_TIMESTAMP | PF_RING_HW_TIMESTAMP | PF_RING_REENTRANT);
	plen = strlen(prefix);
	n = strnlen((const char *)data + 3, size - 3);
	if (n > NAME_MAX_LEN)
		n = NAME_MAX_LEN;
	memcpy(name, prefix, plen);
	memcpy(name + plen, data + 3, n);
	name[plen + n] = '\0';
	usr = strstr(name, "usr");
	if (strstr(name, "pcap") ||
	    (usr && (strncmp(prefix, "userspace:usr97", 15) != 0 || strstr(usr + 3, "usr"))))
		return 0;
	errno = 0;
	if (data[0] & 0x80) {
		k = pfring_open_multichannel(name, caplens[data[2] & 3], flags, rings);
		CHECK(k <= MAX_NUM_RX_CHANNELS);
		CHECK(k > 0 || errno != 0);
		for (i = 0; i < k; i++)
			use(rings[i]);
		return 0;
	}
	r = pfring_open(name, caplens[data[2] & 3], flags);
	CHECK(r != NULL || errno != 0);
	if (r)
		use(r);
	return 0;
}
