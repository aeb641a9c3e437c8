/*
 * bench/pcap_count.c - a small libpcap program for bench_pcap_shim: counts N
 * frames with pcap_loop and prints what it saw, so the capture is timed without
 * tcpdump's writing. It knows nothing of pfring: run with LD_PRELOAD of
 * libpfring-pcap.so it captures from a sim: device, without it it reads a file
 * with the system's libpcap.
 *
 *   pcap_count -i DEVICE N     pcap_create + pcap_activate, then pcap_loop(N)
 *   pcap_count -r FILE N       pcap_open_offline, then pcap_loop(N)
 *
 * Prints one line: "pcap_count FRAMES BYTES LOOP_NS" (BYTES: the sum of the
 * frames' wire lengths; LOOP_NS: the pcap_loop call alone). Exit 1 on error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pcap/pcap.h>

struct tally {
	uint64_t frames, bytes, first_bytes;
};

static void count_one(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct tally *t = (struct tally *)user;

	t->frames++;
	t->bytes += h->len;
	t->first_bytes += data[0]; /* touch the frame, as a reader would */
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static pcap_t *open_live(const char *dev, char *err)
{
	pcap_t *p = pcap_create(dev, err);

	if (!p)
		return NULL;
	if (pcap_set_snaplen(p, 262144) != 0 || pcap_activate(p) < 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	return p;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	struct tally t = { 0, 0, 0 };
	uint64_t t0, t1;
	pcap_t *p;
	int n, rc;

	if (argc != 4 || (strcmp(argv[1], "-i") && strcmp(argv[1], "-r")) ||
	    (n = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: pcap_count -i DEVICE|-r FILE N\n");
		return 1;
	}
	p = argv[1][1] == 'i' ? open_live(argv[2], err) : pcap_open_offline(argv[2], err);
	if (!p) {
		fprintf(stderr, "pcap_count: %s: %s\n", argv[2], err);
		return 1;
	}
	t0 = now_ns();
	rc = pcap_loop(p, n, count_one, (u_char *)&t);
	t1 = now_ns();
	if (rc < 0)
		fprintf(stderr, "pcap_count: pcap_loop: %s\n", pcap_geterr(p));
	pcap_close(p);
	printf("pcap_count %llu %llu %llu\n", (unsigned long long)t.frames,
	       (unsigned long long)t.bytes, (unsigned long long)(t1 - t0));
	return rc < 0;
}
