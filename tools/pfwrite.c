/*
 * tools/pfwrite.c - PF_RING's capture-to-file tool, written against the public
 * API (include/pfring.h) only.
 *
 * Receives from a device and writes every packet to a pcap file through libpcap
 * (pcap_open_dead + pcap_dump), until -c packets, a signal or -q idle seconds.
 * Options and output: docs/tools.md.
 */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>
#include "tools/lib/tool.h"

#define DEFAULT_DEVICE "eth0"
#define POLL_MS        100

struct options {
	const char *device, *out_file, *bpf;
	u_int64_t count;              /* 0: no limit */
	u_int caplen;                 /* 0: whole packets */
	int idle_secs;                /* 0: never stop on idle */
};

static struct options opt;
static volatile sig_atomic_t stop_signal;

static void usage(FILE *out)
{
	fprintf(out,
"pfwrite - write the packets of a device to a pcap file with PF_RING (pfring %s)\n"
"\n"
"Usage: pfwrite -i <device> -w <file> [options]\n"
"-h              Print this help\n"
"-i <device>     Device name (default %s), e.g. sim:NAME?pcap=FILE (docs/sim.md)\n"
"-w <file>       pcap file to write (required; '-' is stdout)\n"
"-c <count>      Stop after this many packets (-n is the same; default: no limit)\n"
"-l <len>        Capture length (default 0 = whole packets)\n"
"-f <filter>     BPF filter (e.g. 'tcp and port 80')\n"
"-q <secs>       Exit after the link has been idle for <secs> seconds\n"
"                (pfring extension)\n",
		"5.4.6", DEFAULT_DEVICE);
}

static void parse_options(int argc, char *argv[])
{
	int c;

	opt.device = DEFAULT_DEVICE;
	opterr = 0;
	while ((c = getopt(argc, argv, ":hi:w:c:n:l:f:q:")) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(0);
		case 'i': opt.device = optarg; break;
		case 'w': opt.out_file = optarg; break;
		case 'c':
		case 'n': opt.count = (u_int64_t)tool_parse_num((char)c, optarg, 1, LLONG_MAX); break;
		case 'l': opt.caplen = (u_int)tool_parse_num('l', optarg, 0, MAX_CAPLEN); break;
		case 'f': opt.bpf = optarg; break;
		case 'q': opt.idle_secs = (int)tool_parse_num('q', optarg, 1, 86400); break;
		case ':': tool_die_usage("option -%c needs an argument", optopt);
		default:  tool_die_usage("unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	if (opt.out_file == NULL)
		tool_die_usage("-w <file> is required");
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static pfring *open_ring(void)
{
	pfring *ring;
	int rc;

	ring = pfring_open(opt.device, opt.caplen, PF_RING_PROMISC);
	if (ring == NULL) {
		fprintf(stderr, "pfwrite: pfring_open(%s) failed: %s\n", opt.device, strerror(errno));
		return NULL;
	}
	pfring_set_application_name(ring, "pfwrite");
	if (opt.bpf && (rc = pfring_set_bpf_filter(ring, (char *)opt.bpf)) != 0) {
		fprintf(stderr, "pfwrite: pfring_set_bpf_filter('%s') returned %d\n", opt.bpf, rc);
		goto fail;
	}
	if ((rc = pfring_set_socket_mode(ring, recv_only_mode)) != 0)
		fprintf(stderr, "pfwrite: pfring_set_socket_mode returned %d\n", rc);
	if ((rc = pfring_enable_ring(ring)) != 0) {
		fprintf(stderr, "pfwrite: pfring_enable_ring returned %d\n", rc);
		goto fail;
	}
	return ring;
fail:
	pfring_close(ring);
	return NULL;
}

/* Receives and dumps until -c, a signal, -q idle or an error; why it stopped. */
static const char *capture(pfring *ring, pcap_dumper_t *dumper, u_int64_t *written)
{
	u_int64_t last_activity = tool_now_ms();
	struct pfring_pkthdr hdr;
	struct pcap_pkthdr ph;
	u_char *buffer = NULL;
	int rc;

	memset(&hdr, 0, sizeof(hdr));
	while (opt.count == 0 || *written < opt.count) {
		if (stop_signal)
			return "signal";
		rc = pfring_recv(ring, &buffer, 0, &hdr, 0);
		if (rc < 0) {
			fprintf(stderr, "pfwrite: pfring_recv returned %d (%s)\n", rc, strerror(errno));
			return NULL;
		}
		if (rc == 0) {
			if (opt.idle_secs && tool_now_ms() - last_activity >= (u_int64_t)opt.idle_secs * 1000)
				return "idle";
			pfring_poll(ring, POLL_MS);
			continue;
		}
		last_activity = tool_now_ms();
		ph.ts = hdr.ts;
		ph.caplen = hdr.caplen;
		ph.len = hdr.len;
		pcap_dump((u_char *)dumper, &ph, buffer);
		*written += 1;
	}
	return "count";
}

int main(int argc, char *argv[])
{
	u_int64_t written = 0;
	pcap_dumper_t *dumper = NULL;
	struct sigaction sa;
	pcap_t *dead = NULL;
	pfring *ring = NULL;
	pfring_stat st;
	const char *why;
	int rc = 1;

	tool_name = "pfwrite";
	parse_options(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ring = open_ring();
	if (ring == NULL)
		goto out;
	dead = pcap_open_dead(DLT_EN10MB, opt.caplen ? (int)opt.caplen : MAX_CAPLEN);
	if (dead == NULL || (dumper = pcap_dump_open(dead, opt.out_file)) == NULL) {
		fprintf(stderr, "pfwrite: cannot write %s: %s\n", opt.out_file,
			dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		goto out;
	}
	fprintf(stderr, "Capturing from %s into %s\n", opt.device, opt.out_file);
	why = capture(ring, dumper, &written);
	if (pcap_dump_flush(dumper) != 0) {
		fprintf(stderr, "pfwrite: writing %s failed\n", opt.out_file);
		why = NULL;
	}
	if (pfring_stats(ring, &st) == 0)
		fprintf(stderr, "Absolute Stats: [%llu pkts rcvd][%llu pkts dropped]\n",
			(unsigned long long)st.recv, (unsigned long long)st.drop);
	fprintf(stderr, "Wrote %llu packets to %s (%s)\n", (unsigned long long)written,
		opt.out_file, why ? why : "error");
	rc = why ? 0 : 1;
out:
	if (dumper)
		pcap_dump_close(dumper);
	if (dead)
		pcap_close(dead);
	if (ring)
		pfring_close(ring);
	return rc;
}
