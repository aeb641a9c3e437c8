/*
 * tests/compat/compat_pcap.c - written the way libpcap-1.1.1-ring's pcap-linux.c
 * uses a ring: it includes its own system headers, defines HAVE_PCAP (pcap-int.h
 * does) before pfring.h, and reads and writes ring->enabled, ring->fd and
 * ring->dna.* directly. Built with libpcap's flags (gcc -O2 -fpic -DHAVE_PF_RING,
 * -Wall -Werror added); run on a sim: NIC replaying tests/fixtures/ipv4_tcp.pcap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>

#define HAVE_PCAP
#include "pfring.h"

int main(void)
{
	pfring *ring = pfring_open("sim:cpcap?pcap=" FIXTURE_DIR "/ipv4_tcp.pcap", 1514,
				   PF_RING_LONG_HEADER | PF_RING_PROMISC);
	struct pfring_pkthdr hdr;
	struct pollfd pfd;
	u_char *p;
	int n = 0, bad = 0;

	if (ring == NULL) {
		fprintf(stderr, "pfring_open: %s\n", strerror(errno));
		return 1;
	}
	/* pcap-linux.c: live_open_new / pcap_read_linux_mmap, as written */
	if (ring->dna.dna_mapped_device)
		ring->dna.dna_rx_sync_watermark = 1;
	bad |= ring->dna.dna_mapped_device != 0 || ring->dna.dna_rx_sync_watermark != 0;
	pfring_enable_ring(ring);
	bad |= !ring->enabled || ring->fd < 0 || pfring_get_selectable_fd(ring) != ring->fd;
	pfd.fd = ring->fd;
	pfd.events = POLLIN;
	bad |= poll(&pfd, 1, 1000) != 1;   /* the sim: ring's fd wakes poll() */
	while (pfring_recv(ring, &p, 0, &hdr, 0) > 0)
		n++;
	pfring_close(ring);
	if (bad || n != 5) {
		fprintf(stderr, "compat_pcap: failed (bad %d, %d frames)\n", bad, n);
		return 1;
	}
	printf("compat_pcap: ok (%d frames)\n", n);
	return 0;
}
