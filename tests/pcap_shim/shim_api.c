/*
 * tests/pcap_shim/shim_api.c - a libpcap program of our own, run with the shim
 * preloaded, that uses what tcpdump does not: pcap_open_live, pcap_next_ex,
 * pcap_dispatch, pcap_sendpacket, pcap_stats, and an open that fails; and
 * the settings the shim keeps itself (snaplen, nanosecond precision) as
 * pcap_snapshot, pcap_get_tstamp_precision, pcap_compile, pcap_dump_fopen and
 * pcap_dump_open_append see them.
 * Usage: shim_api FIXTURE TXPCAP. Exit 0 when every check holds.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"


int main(int argc, char **argv)
{
	char dev[1024], errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pcap_stat st;
	u_char frame[60];
	unsigned int n = 0;
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
	CHECK(pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_MICRO);
	CHECK(pcap_next_ex(p, &h, &data) == 1 && h->caplen <= 128 && h->len >= h->caplen);
	CHECK(pcap_dispatch(p, 10, count_cb, (u_char *)&n) >= 1 && n >= 1 && n <= 10);
	memset(frame, 0xff, 12);
	memset(frame + 12, 0, sizeof(frame) - 12);
	CHECK(pcap_sendpacket(p, frame, sizeof(frame)) == 0);
	CHECK(pcap_stats(p, &st) == 0 && st.ps_recv >= (u_int)(1 + n));
	pcap_close(p);

	/* pcap_create: snaplen 200, nanoseconds; a filter and a dumper of that handle. */
	snprintf(dev, sizeof(dev), "sim:api2?pcap=%s", argv[1]); /* no txpcap=: keep the file */
	p = pcap_create(dev, errbuf);
	CHECK(p != NULL);
	if (p == NULL)
		return 1;
	CHECK(pcap_set_snaplen(p, 200) == 0);
	CHECK(pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0);
	CHECK(pcap_snapshot(p) == PCAP_ERROR_NOT_ACTIVATED);
	CHECK(pcap_activate(p) == 0);
	CHECK(pcap_set_snaplen(p, 300) == PCAP_ERROR_ACTIVATED);
	CHECK(pcap_snapshot(p) == 200);
	CHECK(pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO);
	{
		struct bpf_program prog;
		FILE *f = tmpfile();
		pcap_dumper_t *d;
		uint32_t hdr[6] = { 0 };

		CHECK(pcap_compile(p, &prog, "tcp port nonsense", 1, 0) == PCAP_ERROR &&
		      strstr(pcap_geterr(p), "nonsense") != NULL);
		CHECK(pcap_compile(p, &prog, "ip", 1, 0) == 0);
		/* the last instruction accepts the snaplen the handle was given */
		CHECK(prog.bf_len > 0 && prog.bf_insns[prog.bf_len - 2].k == 200);
		CHECK(pcap_setfilter(p, &prog) == 0);
		pcap_freecode(&prog);
		CHECK(f != NULL);
		d = f ? pcap_dump_fopen(p, f) : NULL;
		CHECK(d != NULL);
		if (d != NULL) {
			CHECK(pcap_next_ex(p, &h, &data) == 1);
			pcap_dump((u_char *)d, h, data);
			CHECK(pcap_dump_flush(d) == 0);
			rewind(f);
			CHECK(fread(hdr, sizeof(hdr), 1, f) == 1);
			CHECK(hdr[0] == 0xa1b23c4d && hdr[4] == 200 && hdr[5] == DLT_EN10MB);
			pcap_dump_close(d);
		}
	}
	{	/* pcap_dump_open_append twice: one file, the handle's header, two frames */
		char path[1024];
		pcap_t *r;
		int frames = 0;

		snprintf(path, sizeof(path), "%s.append", argv[2]);
		for (int i = 0; i < 2; i++) {
			pcap_dumper_t *d = pcap_dump_open_append(p, path);

			CHECK(d != NULL);
			if (d == NULL)
				break;
			CHECK(pcap_next_ex(p, &h, &data) == 1);
			pcap_dump((u_char *)d, h, data);
			pcap_dump_close(d);
		}
		r = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
		CHECK(r != NULL);
		if (r != NULL) {
			CHECK(pcap_snapshot(r) == 200);
			while (pcap_next_ex(r, &h, &data) == 1)
				frames++;
			CHECK(frames == 2);
			pcap_close(r);
		}
		remove(path);
	}
	pcap_close(p);

	p = pcap_open_live("sim:nosuch", 128, 0, 100, errbuf);
	CHECK(p == NULL && strstr(errbuf, "sim:nosuch") != NULL);
	fprintf(stderr, "open of sim:nosuch: %s\n", errbuf);
	printf("shim_api: %s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
