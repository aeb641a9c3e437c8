/*
 * tools/pfsend.c - PF_RING's packet generator, written against the public API
 * (include/pfring.h) only.
 *
 * Sends the frames of a pcap file (read with libpcap, looped as long as -n asks)
 * or generated IPv4/UDP frames of -l bytes over -b source addresses, optionally
 * paced to -r Gbit/s or -p frames/s, and prints PF_RING pfsend's "TX rate" line
 * every second and a summary at exit. Options and output: docs/tools.md.
 */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>
#include "tools/lib/tool.h"

#define DEFAULT_DEVICE   "eth0"
#define DEFAULT_LEN      60
#define MIN_LEN          60      /* Ethernet minimum without CRC */
#define MAX_LEN          16384
#define MAX_FLOWS        65536
#define STATS_INTERVAL_NS 1000000000ull

struct options {
	const char *device, *pcap_file;
	u_int64_t count;               /* 0: forever */
	double gbps, pps;              /* 0: as fast as possible */
	u_int len, flows;
	u_char dst_mac[6];
	int reforge_mac;
	int watermark;                 /* -1: not set */
	int no_zero_copy, active_wait, verbose;
	int ifindex;                   /* -1: pfring_send */
	int core;                      /* -1: not bound */
};

struct frame {
	u_char *data;
	u_int len;
};

static struct options opt;
static struct frame *frames;
static u_int num_frames;
static volatile sig_atomic_t stop_signal;

/* ------------------------------------------------------------------ usage */

static void usage(FILE *out)
{
	fprintf(out,
"pfsend - send packets with PF_RING (pfring %s)\n"
"\n"
"Usage: pfsend -i <device> [options]\n"
"-h              Print this help\n"
"-i <device>     Device name (default %s); sim:NAME?...&txpcap=FILE records\n"
"                what is sent on a simulated NIC (docs/sim.md)\n"
"-f <pcap file>  Send the frames of this capture (looped while -n asks for more)\n"
"-n <num pkts>   Number of packets to send (default 0 = forever)\n"
"-r <rate>       Rate in Gbit/s (frame bytes, e.g. 0.5)\n"
"-p <rate>       Rate in packets/s (pfring extension; exclusive with -r)\n"
"-l <len>        Length of the generated packets, %d..%d (default %d)\n"
"-b <num>        Number of different source IPs (flows) generated, 1..%d (default 1)\n"
"-m <dst mac>    Reforge the destination MAC (AA:BB:CC:DD:EE:FF)\n"
"-w <watermark>  TX watermark (pfring_set_tx_watermark)\n"
"-z              Disable zero-copy (DNA only; no effect on other devices)\n"
"-x <ifindex>    Send on this ifindex (pfring_send_ifindex)\n"
"-g <core>       Bind to this core\n"
"-a              Active wait when pacing (spin instead of sleeping)\n"
"-v              Verbose: print every packet sent\n",
		"5.4.6", DEFAULT_DEVICE, MIN_LEN, MAX_LEN, DEFAULT_LEN, MAX_FLOWS);
}

/* ---------------------------------------------------------------- options */

static double parse_rate(char letter, const char *s, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno || !(v > 0) || v > max)
		tool_die_usage("-%c: '%s' is not a rate in (0, %g]", letter, s, max);
	return v;
}

static void parse_mac(const char *s)
{
	unsigned int m[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
		   &tail) != 6)
		tool_die_usage("-m: '%s' is not a MAC address (AA:BB:CC:DD:EE:FF)", s);
	for (i = 0; i < 6; i++)
		opt.dst_mac[i] = (u_char)m[i];
	opt.reforge_mac = 1;
}

static void parse_options(int argc, char *argv[])
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	opt.device = DEFAULT_DEVICE;
	opt.len = DEFAULT_LEN;
	opt.flows = 1;
	opt.watermark = -1;
	opt.ifindex = -1;
	opt.core = -1;
	opterr = 0;
	while ((c = getopt(argc, argv, ":hi:f:n:r:p:l:b:m:w:zx:g:av")) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(0);
		case 'i': opt.device = optarg; break;
		case 'f': opt.pcap_file = optarg; break;
		case 'n': opt.count = (u_int64_t)tool_parse_num('n', optarg, 0, LLONG_MAX); break;
		case 'r': opt.gbps = parse_rate('r', optarg, 1000.0); break;
		case 'p': opt.pps = parse_rate('p', optarg, 1e9); break;
		case 'l': opt.len = (u_int)tool_parse_num('l', optarg, MIN_LEN, MAX_LEN); break;
		case 'b': opt.flows = (u_int)tool_parse_num('b', optarg, 1, MAX_FLOWS); break;
		case 'm': parse_mac(optarg); break;
		case 'w': opt.watermark = (int)tool_parse_num('w', optarg, 1, 65535); break;
		case 'z': opt.no_zero_copy = 1; break;
		case 'x': opt.ifindex = (int)tool_parse_num('x', optarg, 0, INT_MAX); break;
		case 'g': opt.core = (int)tool_parse_num('g', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 'a': opt.active_wait = 1; break;
		case 'v': opt.verbose++; break;
		case ':': tool_die_usage("option -%c needs an argument", optopt);
		default:  tool_die_usage("unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	if (opt.gbps > 0 && opt.pps > 0)
		tool_die_usage("-r and -p are exclusive");
}

/* ----------------------------------------------------------------- frames */

static int add_frame(const u_char *data, u_int len)
{
	struct frame *f;

	if ((num_frames & (num_frames - 1)) == 0) {   /* grow at powers of two */
		f = realloc(frames, sizeof(*frames) * (num_frames ? 2 * num_frames : 1));
		if (f == NULL)
			return -1;
		frames = f;
	}
	frames[num_frames].data = malloc(len);
	if (frames[num_frames].data == NULL)
		return -1;
	memcpy(frames[num_frames].data, data, len);
	frames[num_frames].len = len;
	num_frames++;
	return 0;
}

/* Every frame of the capture (caplen bytes: what the file holds) into memory. */
static int load_pcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int rc;

	p = pcap_open_offline(path, err);
	if (p == NULL) {
		fprintf(stderr, "pfsend: cannot open %s: %s\n", path, err);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (h->caplen == 0)
			continue;
		if (add_frame(data, h->caplen) != 0) {
			fprintf(stderr, "pfsend: out of memory\n");
			pcap_close(p);
			return -1;
		}
	}
	if (rc == -1)
		fprintf(stderr, "pfsend: %s: %s\n", path, pcap_geterr(p));
	pcap_close(p);
	if (rc == -1)
		return -1;
	if (num_frames == 0) {
		fprintf(stderr, "pfsend: %s has no packet\n", path);
		return -1;
	}
	return 0;
}

static u_int16_t ip_checksum(const u_char *p, u_int len)
{
	u_int32_t sum = 0;
	u_int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u_int32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u_int16_t)~sum;
}

static void put16(u_char *p, u_int v) { p[0] = (u_char)(v >> 8); p[1] = (u_char)v; }

/* Ethernet / IPv4 / UDP from 10.0.x.y (flow i) to 192.168.0.1, opt.len bytes. */
static int build_generated(void)
{
	static const u_char src_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const u_char dst_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	u_char *pkt = calloc(1, opt.len);
	u_int i, ip_len = opt.len - 14;
	int rc = 0;

	if (pkt == NULL)
		return -1;
	memcpy(pkt, dst_mac, 6);
	memcpy(pkt + 6, src_mac, 6);
	put16(pkt + 12, 0x0800);
	for (i = 0; i < opt.flows && rc == 0; i++) {
		u_char *ip = pkt + 14, *udp = ip + 20;

		memset(ip, 0, 28);
		ip[0] = 0x45;
		put16(ip + 2, ip_len);
		ip[8] = 64;
		ip[9] = 17;
		ip[12] = 10; ip[13] = 0; ip[14] = (u_char)(i >> 8); ip[15] = (u_char)i;
		ip[16] = 192; ip[17] = 168; ip[18] = 0; ip[19] = 1;
		put16(ip + 10, ip_checksum(ip, 20));
		put16(udp, 10000 + (i % 50000));
		put16(udp + 2, 9);               /* discard */
		put16(udp + 4, ip_len - 20);     /* UDP checksum 0: none */
		rc = add_frame(pkt, opt.len);
	}
	free(pkt);
	if (rc != 0)
		fprintf(stderr, "pfsend: out of memory\n");
	return rc;
}

static void free_frames(void)
{
	u_int i;

	for (i = 0; i < num_frames; i++)
		free(frames[i].data);
	free(frames);
}

/* ------------------------------------------------------------------ stats */

static char *fmt(double v, char *buf, u_int len, int decimals)
{
	return pfring_format_numbers(v, buf, len, (u_int8_t)decimals);
}

/* "TX rate: [current ...][average ...][total N pkts]": interval, since start, total. */
static void print_rate(u_int64_t pkts, u_int64_t bytes, u_int64_t dpkts, u_int64_t dbytes,
		       double interval_s, double total_s)
{
	char b[6][64];

	fprintf(stderr, "TX rate: [current %s pps/%s Gbps][average %s pps/%s Gbps][total %s pkts]\n",
		fmt(interval_s > 0 ? dpkts / interval_s : 0, b[0], 64, 2),
		fmt(interval_s > 0 ? dbytes * 8.0 / 1e9 / interval_s : 0, b[1], 64, 2),
		fmt(total_s > 0 ? pkts / total_s : 0, b[2], 64, 2),
		fmt(total_s > 0 ? bytes * 8.0 / 1e9 / total_s : 0, b[3], 64, 2),
		fmt((double)pkts, b[4], 64, 0));
}

/* ------------------------------------------------------------------- send */

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Nanoseconds between two frames for -r / -p (0: no pacing). */
static double gap_ns(void)
{
	double avg_len = 0;
	u_int i;

	if (opt.pps > 0)
		return 1e9 / opt.pps;
	if (opt.gbps <= 0)
		return 0;
	for (i = 0; i < num_frames; i++)
		avg_len += frames[i].len;
	avg_len /= num_frames;
	return avg_len * 8.0 / opt.gbps;
}

static void wait_until(u_int64_t due)
{
	u_int64_t now;

	while ((now = tool_now_ns()) < due && !stop_signal) {
		if (opt.active_wait)
			continue;
		if (due - now > 1000)
			usleep((useconds_t)((due - now) / 1000 > 100000 ? 100000 : (due - now) / 1000));
	}
}

static void print_sent(u_int64_t n, const struct frame *f)
{
	struct pfring_pkthdr h;
	char line[512];

	memset(&h, 0, sizeof(h));
	h.caplen = h.len = f->len;
	pfring_parse_pkt(f->data, &h, 4, 0, 0);
	pfring_print_parsed_pkt(line, sizeof(line), f->data, &h);
	printf("%llu %s", (unsigned long long)n, line);
}

/* One frame; retries while the device has no TX slot. 0, or the error. */
static int send_one(pfring *ring, struct frame *f)
{
	int rc;

	if (opt.reforge_mac)
		memcpy(f->data, opt.dst_mac, 6);
	for (;;) {
		if (opt.ifindex >= 0)
			rc = pfring_send_ifindex(ring, (char *)f->data, f->len, 1, opt.ifindex);
		else
			rc = pfring_send(ring, (char *)f->data, f->len, 1);
		if (rc >= 0)
			return 0;
		if (rc != PF_RING_ERROR_NO_TX_SLOT_AVAILABLE || stop_signal)
			return rc;
		sched_yield();
	}
}

/* Sends until -n, a signal or an error; 0 or the send error. */
static int send_loop(pfring *ring, u_int64_t *sent, u_int64_t *bytes, u_int64_t start)
{
	u_int64_t last = start, last_pkts = 0, last_bytes = 0, now;
	double gap = gap_ns();
	u_int idx = 0;
	int rc;

	while (!stop_signal && (opt.count == 0 || *sent < opt.count)) {
		if (gap > 0)
			wait_until(start + (u_int64_t)(gap * (double)*sent));
		if (stop_signal)
			break;
		rc = send_one(ring, &frames[idx]);
		if (rc < 0) {
			fprintf(stderr, "pfsend: %s returned %d (%s)\n", opt.ifindex >= 0 ?
				"pfring_send_ifindex" : "pfring_send", rc, strerror(errno));
			return rc;
		}
		if (opt.verbose)
			print_sent(*sent, &frames[idx]);
		*sent += 1;
		*bytes += frames[idx].len;
		idx = idx + 1 == num_frames ? 0 : idx + 1;
		now = tool_now_ns();
		if (now - last >= STATS_INTERVAL_NS) {
			print_rate(*sent, *bytes, *sent - last_pkts, *bytes - last_bytes,
				   (now - last) / 1e9, (now - start) / 1e9);
			last = now;
			last_pkts = *sent;
			last_bytes = *bytes;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ rings */

static pfring *open_ring(void)
{
	pfring *ring;
	int rc;

	ring = pfring_open(opt.device, 0, PF_RING_PROMISC);
	if (ring == NULL) {
		fprintf(stderr, "pfsend: pfring_open(%s) failed: %s\n", opt.device, strerror(errno));
		return NULL;
	}
	pfring_set_application_name(ring, "pfsend");
	if (opt.watermark > 0 && (rc = pfring_set_tx_watermark(ring, (u_int16_t)opt.watermark)) != 0)
		fprintf(stderr, "pfsend: warning: pfring_set_tx_watermark(%d) returned %d\n",
			opt.watermark, rc);
	/* nothing is received: the ring neither sees its own frames nor holds the wire */
	if ((rc = pfring_set_socket_mode(ring, send_only_mode)) != 0)
		fprintf(stderr, "pfsend: warning: pfring_set_socket_mode returned %d\n", rc);
	if ((rc = pfring_enable_ring(ring)) != 0) {
		fprintf(stderr, "pfsend: pfring_enable_ring returned %d\n", rc);
		pfring_close(ring);
		return NULL;
	}
	return ring;
}

int main(int argc, char *argv[])
{
	u_int64_t start, sent = 0, bytes = 0, end;
	struct sigaction sa;
	pfring *ring = NULL;
	int rc = 1;

	tool_name = "pfsend";
	parse_options(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if ((opt.pcap_file ? load_pcap(opt.pcap_file) : build_generated()) != 0)
		goto out;
	ring = open_ring();
	if (ring == NULL)
		goto out;
	tool_bind_to_core(opt.core, "main thread");
	printf("Sending %s%s on %s\n", opt.pcap_file ? "the packets of " : "generated packets",
	       opt.pcap_file ? opt.pcap_file : "", opt.device);
	fflush(stdout);
	start = tool_now_ns();
	rc = send_loop(ring, &sent, &bytes, start) < 0 ? 1 : 0;
	end = tool_now_ns();
	if (stop_signal)
		fprintf(stderr, "Leaving...\n");
	fprintf(stderr, "Final: ");
	print_rate(sent, bytes, sent, bytes, (end - start) / 1e9, (end - start) / 1e9);
	fprintf(stderr, "Sent %llu packets, %llu bytes\n", (unsigned long long)sent,
		(unsigned long long)bytes);
out:
	if (ring)
		pfring_close(ring);
	free_frames();
	return rc;
}
