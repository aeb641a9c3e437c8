/*
 * tests/e2e/progs/pfnic.c - the DNA drivers (drivers/e1000e.c, drivers/igb.c)
 * on the guests' 82574 and 82576 through the real bus (t_dna-nic.sh).
 *
 *   pfnic rx IF vfio|uio QUEUES default|symmetric FRAMES IDLE
 *        open IF's NIC with pf_nic_open (promiscuous, QUEUES RX queues, RSS
 *        with that key), wait for the link (5 s at most), print "ready", then
 *        poll every queue until FRAMES frames arrived or none for IDLE seconds.
 *        Each frame must be on the queue core's Toeplitz (pf_rss_hash over
 *        pf_parse, the same key) and the driver's RETA spreading (entry
 *        hash & 127, queue entry % QUEUES) predict, with that hash in rss_hash.
 *        Prints the count, the bytes, the frames per queue and the checks.
 *   pfnic tx IF vfio|uio PCAP
 *        open IF's NIC, wait for the link, send every frame of PCAP in order,
 *        wait until the NIC counted them sent (GPTC), print "sent N bytes B".
 *
 * Each check prints one line; exit 0 when every check held, 1 otherwise.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"
#include "core/parse.h"
#include "drivers/device.h"
#include "drivers/pci.h"

#define LINK_WAIT_MS 5000
#define MAX_QUEUES 16

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static enum pf_pci_path path_of(const char *s)
{
	if (!strcmp(s, "vfio"))
		return PF_PCI_VFIO;
	if (!strcmp(s, "uio"))
		return PF_PCI_UIO;
	fprintf(stderr, "pfnic: path %s: want vfio or uio\n", s);
	exit(2);
}

/* Opens the bus and the NIC and waits for the link: exits on failure. */
static struct pf_nic *open_nic(const char *ifname, const char *path,
			       const struct pf_nic_config *cfg)
{
	struct pf_bus *bus;
	struct pf_nic *nic;
	char err[256];
	int rc = pf_pci_open_as(ifname, path_of(path), &bus, err, sizeof(err));

	if (rc) {
		printf("bus open failed: rc %d: %s\n", rc, err);
		exit(1);
	}
	rc = pf_nic_open(bus, cfg, &nic, err, sizeof(err));
	if (rc) {
		printf("nic open failed: rc %d: %s\n", rc, err);
		pf_bus_close(bus);
		exit(1);
	}
	printf("opened %s (%s) at %s via %s: %u RX queues, MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
	       ifname, nic->driver, bus->addr, path, nic->num_rx_queues, nic->mac[0], nic->mac[1],
	       nic->mac[2], nic->mac[3], nic->mac[4], nic->mac[5]);
	double t0 = now_s();

	bool up = pf_nic_wait_link(nic, LINK_WAIT_MS);

	printf("link %s after %.0f ms\n", up ? "up" : "DOWN", (now_s() - t0) * 1000);
	check(up, "the link came up");
	return nic;
}

/* What core predicts for a frame: its RSS hash, and the queue. The 82576
 * hashes UDP ports, the 82574 does not. */
static uint32_t predict(const struct pf_nic *nic, const struct pf_nic_rx *rx,
			const uint8_t *key, uint16_t queues, uint32_t *hash)
{
	struct pkt_parsing_info p;

	memset(&p, 0, sizeof(p));
	pf_parse(rx->data, rx->len, 4, &p);
	*hash = pf_rss_hash(&p, key, PF_RSS_KEY_LEN, strcmp(nic->driver, "e1000e") != 0);
	return (*hash & 127) % queues;
}

static int do_rx(const char *ifname, const char *path, int queues, int symmetric,
		 uint64_t want, double idle)
{
	struct pf_nic_config cfg = { .rx_ring_size = 256, .tx_ring_size = 64, .promisc = true,
				     .rx_queues = (uint16_t)queues, .symmetric_rss = symmetric };
	const uint8_t *key = symmetric ? pf_rss_key_symmetric : pf_rss_key_default;
	struct pf_nic *nic = open_nic(ifname, path, &cfg);
	uint64_t got = 0, bytes = 0, on_queue = 0, same_hash = 0, per_queue[MAX_QUEUES] = { 0 };
	struct pf_nic_rx rx[64];
	struct pf_nic_stats st;
	double last = now_s();

	check(nic->num_rx_queues == queues, "as many RX queues as asked");
	printf("ready\n");
	while (got < want && now_s() - last < idle) {
		for (uint16_t q = 0; q < nic->num_rx_queues; q++) {
			uint32_t n = pf_nic_rx_batch(nic, q, rx, 64);

			for (uint32_t i = 0; i < n; i++) {
				uint32_t hash, pq = predict(nic, &rx[i], key, nic->num_rx_queues, &hash);

				if (pq != q || hash != rx[i].rss_hash)
					printf("frame %llu of %u bytes on queue %u hash %08x: core says "
					       "queue %u hash %08x\n", (unsigned long long)got + i,
					       rx[i].len, q, rx[i].rss_hash, pq, hash);
				on_queue += pq == q;
				same_hash += hash == rx[i].rss_hash;
				bytes += rx[i].len;
			}
			got += n;
			per_queue[q] += n;
			if (n)
				last = now_s();
		}
	}
	/* give the last frames back before reading the counters */
	for (uint16_t q = 0; q < nic->num_rx_queues; q++)
		pf_nic_rx_batch(nic, q, rx, 0);
	pf_nic_stats(nic, &st);
	printf("received %llu bytes %llu\n", (unsigned long long)got, (unsigned long long)bytes);
	for (uint16_t q = 0; q < nic->num_rx_queues; q++)
		printf("queue %u: %llu\n", q, (unsigned long long)per_queue[q]);
	printf("on the predicted queue: %llu, with the predicted hash: %llu\n",
	       (unsigned long long)on_queue, (unsigned long long)same_hash);
	printf("stats: rx_packets %llu rx_bytes %llu rx_missed %llu rx_no_buffer %llu "
	       "rx_delivered %llu rx_oversize %llu rx_errors %llu\n",
	       (unsigned long long)st.rx_packets, (unsigned long long)st.rx_bytes,
	       (unsigned long long)st.rx_missed, (unsigned long long)st.rx_no_buffer,
	       (unsigned long long)st.rx_delivered, (unsigned long long)st.rx_oversize,
	       (unsigned long long)st.rx_errors);
	check(on_queue == got, "every frame on the queue core predicts");
	check(same_hash == got, "every frame with the hash core predicts");
	check(st.rx_packets == got && st.rx_delivered == got, "GPRC and rx_delivered = frames read");
	check(st.rx_missed == 0 && st.rx_oversize == 0 && st.rx_errors == 0, "nothing lost");
	pf_nic_close(nic);
	printf("closed\n");
	return failures != 0;
}

static int do_tx(const char *ifname, const char *path, const char *file)
{
	struct pf_nic_config cfg = { .rx_ring_size = 64, .tx_ring_size = 256 };
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(file, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t sent = 0, bytes = 0;
	struct pf_nic_stats st = { 0 };

	if (!pc) {
		printf("pcap %s: %s\n", file, errbuf);
		return 1;
	}
	struct pf_nic *nic = open_nic(ifname, path, &cfg);

	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct pf_nic_tx f = { data, (uint16_t)h->caplen };
		double t0 = now_s();
		int rc;

		/* one at a time, in order; a full ring empties as the NIC sends */
		while ((rc = pf_nic_tx_batch(nic, 0, &f, 1)) == 0 && now_s() - t0 < 2) {
			pf_nic_tx_flush(nic, 0);
		}
		if (rc != 1) {
			printf("tx_batch of frame %llu: rc %d\n", (unsigned long long)sent, rc);
			break;
		}
		sent++;
		bytes += h->caplen;
	}
	pf_nic_tx_flush(nic, 0);
	pcap_close(pc);
	for (double t0 = now_s(); st.tx_packets < sent && now_s() - t0 < 3;)
		pf_nic_stats(nic, &st);
	printf("sent %llu bytes %llu\n", (unsigned long long)sent, (unsigned long long)bytes);
	printf("stats: tx_packets %llu tx_bytes %llu\n", (unsigned long long)st.tx_packets,
	       (unsigned long long)st.tx_bytes);
	check(st.tx_packets == sent, "GPTC = frames sent");
	pf_nic_close(nic);
	printf("closed\n");
	return failures != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 8 && !strcmp(argv[1], "rx"))
		return do_rx(argv[2], argv[3], atoi(argv[4]), !strcmp(argv[5], "symmetric"),
			     strtoull(argv[6], NULL, 10), atof(argv[7]));
	if (argc == 5 && !strcmp(argv[1], "tx"))
		return do_tx(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: pfnic rx IF vfio|uio QUEUES default|symmetric FRAMES IDLE | "
		"tx IF vfio|uio PCAP\n");
	return 2;
}
