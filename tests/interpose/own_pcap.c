/*
 * tests/interpose/own_pcap.c - a program with a libpcap of its own, as tcpdump
 * built with the PF_RING-aware libpcap linked in: every pcap_* function that
 * libpfring or libpcap itself calls is defined here, exported (-rdynamic), and
 * aborts. libpfring must still replay a pcap= file and compile a BPF filter,
 * through the system's libpcap (util/pcap_lib.h); none of these may run.
 *
 *   own_pcap FILE ALL TCP   capture FILE through sim: twice, with no filter and
 *                           with "tcp"; exit 0 when exactly ALL and TCP frames came
 */
#include <stdio.h>
#include <stdlib.h>
#include <pfring.h>

static void own_called(const char *name)
{
	fprintf(stderr, "own_pcap: the program's own %s ran\n", name);
	abort();
}

/* No prototypes: the arguments do not matter, the call itself is the failure. */
#define OWN(name) void name(void) { own_called(#name); }
OWN(pcap_open_offline) OWN(pcap_open_offline_with_tstamp_precision) OWN(pcap_fopen_offline)
OWN(pcap_fopen_offline_with_tstamp_precision) OWN(pcap_open_dead)
OWN(pcap_open_dead_with_tstamp_precision) OWN(pcap_open_live) OWN(pcap_create)
OWN(pcap_activate) OWN(pcap_close) OWN(pcap_datalink) OWN(pcap_datalink_val_to_name)
OWN(pcap_datalink_name_to_val) OWN(pcap_snapshot) OWN(pcap_next) OWN(pcap_next_ex)
OWN(pcap_dispatch) OWN(pcap_loop) OWN(pcap_breakloop) OWN(pcap_geterr) OWN(pcap_perror)
OWN(pcap_strerror) OWN(pcap_statustostr) OWN(pcap_compile) OWN(pcap_compile_nopcap)
OWN(pcap_freecode) OWN(pcap_setfilter) OWN(pcap_offline_filter) OWN(pcap_dump_open)
OWN(pcap_dump) OWN(pcap_dump_flush) OWN(pcap_dump_close) OWN(pcap_dump_file)
OWN(pcap_fileno) OWN(pcap_lib_version) OWN(pcap_findalldevs) OWN(pcap_freealldevs)
OWN(bpf_filter) OWN(bpf_validate) OWN(bpf_image)

static long capture(const char *file, const char *filter)
{
	char dev[512];
	struct pfring_pkthdr h;
	u_char *pkt;
	long n = 0;
	int rc;
	pfring *r;

	snprintf(dev, sizeof(dev), "sim:own?pcap=%s", file);
	r = pfring_open(dev, 1518, 0);
	if (r == NULL || (filter && pfring_set_bpf_filter(r, (char *)filter) != 0) ||
	    pfring_enable_ring(r) != 0) {
		fprintf(stderr, "own_pcap: %s: open, filter or enable failed\n", dev);
		exit(1);
	}
	for (;;) {
		rc = pfring_recv(r, &pkt, 0, &h, 0);
		if (rc < 0)
			exit(1);
		if (rc == 1)
			n++;
		else if (pfring_poll(r, 200) == 0)
			break;          /* the wire is idle: the capture is over */
	}
	pfring_close(r);
	return n;
}

int main(int argc, char **argv)
{
	long all, tcp;

	if (argc != 4)
		return 2;
	all = capture(argv[1], NULL);
	tcp = capture(argv[1], "tcp");
	printf("own_pcap: %ld frames, %ld tcp (want %s, %s)\n", all, tcp, argv[2], argv[3]);
	return all == atol(argv[2]) && tcp == atol(argv[3]) ? 0 : 1;
}
