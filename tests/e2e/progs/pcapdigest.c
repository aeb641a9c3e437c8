/*
 * tests/e2e/progs/pcapdigest.c - the digest of every frame of a pcap file, read
 * with libpcap, one line per frame: the CRC-32 (zlib's crc32) of its captured
 * bytes in 8 hex digits, or "cut" for a frame captured shorter than its wire
 * length. The same lines pfe2e -k writes, so that a capture written by another
 * program (tcpdump -w, t_pcap.sh) maps through the host's fixture facts
 * (lib.sh: member_keys) to flow keys.
 *
 *   pcapdigest [-p] FILE.pcap > FILE.digests
 *
 * -p: each frame zero-padded to 60 bytes first, as the emulated NICs deliver it
 * (for a file written from a fixture on the host side of the wire, e.g.
 * tcpdump -r FIXTURE -w REF 'FILTER').
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "crc32.h"

#define MIN_FRAME 60 /* what the NICs pad a shorter received frame to (no FCS) */

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	u_char padded[MIN_FRAME];
	const char *file;
	int pad, rc;
	pcap_t *p;

	pad = argc == 3 && strcmp(argv[1], "-p") == 0;
	if (argc != 2 + pad) {
		fprintf(stderr, "usage: pcapdigest [-p] FILE.pcap\n");
		return 2;
	}
	file = argv[1 + pad];
	p = pcap_open_offline(file, err);
	if (p == NULL) {
		fprintf(stderr, "pcapdigest: %s\n", err);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		if (h->caplen < h->len) {
			printf("cut\n");
		} else if (pad && h->caplen < MIN_FRAME) {
			memset(padded, 0, sizeof(padded));
			memcpy(padded, d, h->caplen);
			printf("%08x\n", crc32_of(padded, MIN_FRAME));
		} else {
			printf("%08x\n", crc32_of(d, h->caplen));
		}
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "pcapdigest: %s: %s\n", file, pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	return 0;
}
