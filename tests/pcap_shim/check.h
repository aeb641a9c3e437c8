/*
 * tests/pcap_shim/check.h - what the shim's test programs share: checks that
 * count failures and go on (the program exits non-zero at the end), printing
 * the first few; and a pcap callback that counts packets in an unsigned int.
 */
#ifndef PF_TESTS_PCAP_SHIM_CHECK_H
#define PF_TESTS_PCAP_SHIM_CHECK_H

#include <pcap/pcap.h>
#include <stdio.h>

static int failures;
/* the first failures only: a race that breaks once tends to break every round */
#define CHECK(c) do { if (!(c) && failures++ < 5) \
	fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } while (0)
#define CHECK_EQ(a, b) do { unsigned long long a_ = (a), b_ = (b); \
	if (a_ != b_ && failures++ < 5) \
		fprintf(stderr, "FAIL %s:%d: %s (%llu) != %s (%llu)\n", __FILE__, __LINE__, \
			#a, a_, #b, b_); } while (0)

static inline void count_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)h; (void)data;
	(*(unsigned int *)(void *)user)++;
}

#endif
