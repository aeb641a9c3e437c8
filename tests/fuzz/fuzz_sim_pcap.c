/*
 * tests/fuzz/fuzz_sim_pcap.c - libFuzzer target: a capture file replayed
 * through a sim: NIC.
 *
 * Input: byte 0 picks the ring (bit 0 long header, bit 1 receive into a
 * buffer rather than zero-copy, bit 2 caplen 64 instead of 16384, bit 3
 * hardware timestamps), byte 1 the NIC (bits 0-1 loop= 1..3 or 0 = forever
 * (bounded below), bits 2-3 queues= 1, 2, 4 or 32, bit 4 truncate=0.3, bit 5
 * corrupt=0.3, bit 6 rate=pcap (short: the reads are non-blocking), bit 7
 * mtu=9000); the rest is the file. It is written to a memfd, opened as
 * "sim:fz?pcap=/proc/self/fd/N&...", read until its end or its error (at most
 * READS calls), the counters read, and closed. Every packet must keep the
 * ring's promises (caplen <= the ring's and <= len); an error must come with
 * errno set. ASan, UBSan and LeakSanitizer do the rest.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <pfring.h>

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)
#define READS 4096

static int memfd_with(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_sim_pcap", MFD_CLOEXEC);
	size_t off = 0;
	ssize_t n;

	CHECK(fd >= 0);
	while (off < size) {
		n = write(fd, data + off, size - off);
		CHECK(n > 0);
		off += (size_t)n;
	}
	return fd;
}

static void read_all(pfring *r, u_int32_t caplen, int copy)
{
	static u_char buf[16384];
	struct pfring_pkthdr h;
	u_char *p = buf;
	int i, rc, quiet = 0;
	unsigned sum = 0;

	for (i = 0; i < READS && quiet < 3; i++) {
		if (!copy)
			p = NULL;
		errno = 0;
		rc = pfring_recv(r, &p, copy ? caplen : 0, &h, 0);
		if (rc < 0) {
			CHECK(errno != 0);
			/* the error stays: the next call says it again */
			CHECK(pfring_recv(r, &p, copy ? caplen : 0, &h, 0) == rc);
			break;
		}
		if (rc == 0) {
			quiet++;
			continue;
		}
		quiet = 0;
		CHECK(h.caplen <= caplen && h.caplen <= h.len);
		if (h.caplen)   /* every byte handed out is readable */
			sum += p[0] + p[h.caplen - 1];
	}
	(void)sum;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* "sim:fz" always has options, so pfsim is never asked; keep it that way */
	setenv("PFSIM_DIR", "/nonexistent-pfsim-dir-for-fuzzing", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned queues[4] = { 1, 2, 4, 32 };
	u_int32_t flags, caplen;
	char dev[256];
	pfring_stat st;
	pfring *r;
	int fd;

	if (size < 2)
		return 0;
	fd = memfd_with(data + 2, size - 2);
	flags = ((data[0] & 1) ? PF_RING_LONG_HEADER : 0) | ((data[0] & 8) ? PF_RING_HW_TIMESTAMP : 0);
	caplen = (data[0] & 4) ? 64 : 16384;
	snprintf(dev, sizeof(dev), "sim:fz?pcap=/proc/self/fd/%d&loop=%u&queues=%u%s%s%s%s", fd,
		 data[1] & 3, queues[(data[1] >> 2) & 3], (data[1] & 0x10) ? "&truncate=0.3" : "",
		 (data[1] & 0x20) ? "&corrupt=0.3" : "", (data[1] & 0x40) ? "&rate=pcap" : "",
		 (data[1] & 0x80) ? "&mtu=9000" : "");
	r = pfring_open(dev, caplen, flags);
	if (r) {
		CHECK(pfring_enable_ring(r) == 0);
		read_all(r, caplen, data[0] & 2);
		CHECK(pfring_stats(r, &st) == 0);
		if (flags & PF_RING_LONG_HEADER)
			(void)pfring_send_last_rx_packet(r, -1);
		pfring_close(r);
	}
	close(fd);
	return 0;
}
