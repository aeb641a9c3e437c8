/*
 * tests/pcap_shim/shim_api.c - a libpcap program of our own, run with the shim
 * preloaded, that uses what tcpdump does not: pcap_open_live, pcap_next_ex,
 * pcap_dispatch, pcap_sendpacket, pcap_stats, and an open that fails.
 * Usage: shim_api FIXTURE TXPCAP. Exit 0 when every check holds.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static void count_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)h; (void)data;
	(*(int *)(void *)user)++;
}

int main(int argc, char **argv)
{
	char dev[1024], errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pcap_stat st;
	u_char frame[60];
	int n = 0;
	pcap_t *p;

	if (argc != 3)
		return 2;
	snprintf(dev, sizeof(dev), "sim:api?pcap=%s&txpcap=%s", argv[1], argv[2]);
	p = pcap_open_live(dev, 128, 1, 100, errbuf);
	CHECK(p != NULL);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	CHECK(pcap_datalink(p) == DLT_EN10MB);
	CHECK(pcap_snapshot(p) == 128);
	CHECK(pcap_next_ex(p, &h, &data) == 1 && h->caplen <= 128 && h->len >= h->caplen);
	CHECK(pcap_dispatch(p, 10, count_cb, (u_char *)&n) >= 1 && n >= 1 && n <= 10);
	memset(frame, 0xff, 12);
	memset(frame + 12, 0, sizeof(frame) - 12);
	CHECK(pcap_sendpacket(p, frame, sizeof(frame)) == 0);
	CHECK(pcap_stats(p, &st) == 0 && st.ps_recv >= (u_int)(1 + n));
	pcap_close(p);

	p = pcap_open_live("sim:nosuch", 128, 0, 100, errbuf);
	CHECK(p == NULL && strstr(errbuf, "sim:nosuch") != NULL);
	fprintf(stderr, "open of sim:nosuch: %s\n", errbuf);
	printf("shim_api: %s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
