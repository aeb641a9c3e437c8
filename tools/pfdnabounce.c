/*
 * tools/pfdnabounce.c - forwards what one device receives out of another with
 * libzero's DNA Bouncer (spec 9.2), in the spirit of 5.4.6's pfdnabounce,
 * written against the public API (pfring.h, pfring_zero.h) only.
 *
 * The bouncer's loop runs in the main thread with a decision function that
 * passes every packet and counts its bytes; a second thread prints the
 * statistics every second and, with -q, stops the loop once no packet came
 * for that long. SIGINT/SIGTERM call pfring_dna_bouncer_breakloop (one atomic
 * store: safe in a handler); the final statistics follow. Options and output:
 * docs/tools.md.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>
#include <pfring_zero.h>
#include "tools/lib/tool.h"

#define CAPLEN 2048            /* whole frames: a DNA buffer's size */
#define TICK_MS 100

struct options {
	const char *in_dev, *out_dev;
	int two_way;
	int active_wait;
	int core;                  /* -1: not bound */
	int idle_secs;             /* 0: never stop on idle */
};

static struct options opt;
static pfring_dna_bouncer *bouncer;
static volatile sig_atomic_t stop_signal;
static int loop_done;          /* the stats thread's end (atomic) */
static int stopped_idle;
static u_int64_t bytes[2];     /* per direction, written by the decision function */
static const char *dir_name[2] = { "in->out", "out->in" };

static void usage(FILE *out)
{
	fprintf(out,
"pfdnabounce - forward traffic between two devices with the DNA Bouncer (pfring %s)\n"
"\n"
"Usage: pfdnabounce -i <device> -o <device> [options]\n"
"-h              Print this help\n"
"-i <device>     Device name (RX), e.g. dna:eth1 or sim:in?pcap=FILE (docs/sim.md)\n"
"-o <device>     Device name (TX)\n"
"-b              Bridge mode: forward in both directions\n"
"-a              Active packet wait (spin; default: sleep when idle)\n"
"-g <core id>    Bind this app to a core\n"
"-q <secs>       Exit after <secs> seconds without a packet (pfring extension)\n",
		"5.4.6");
}

static void parse_options(int argc, char *argv[])
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	opt.core = -1;
	opterr = 0;
	while ((c = getopt(argc, argv, ":hi:o:bag:q:")) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(0);
		case 'i': opt.in_dev = optarg; break;
		case 'o': opt.out_dev = optarg; break;
		case 'b': opt.two_way = 1; break;
		case 'a': opt.active_wait = 1; break;
		case 'g': opt.core = (int)tool_parse_num('g', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 'q': opt.idle_secs = (int)tool_parse_num('q', optarg, 1, 86400); break;
		case ':': tool_die_usage("option -%c needs an argument", optopt);
		default:  tool_die_usage("unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	if (opt.in_dev == NULL || opt.out_dev == NULL)
		tool_die_usage("both -i and -o are required");
	if (strcmp(opt.in_dev, opt.out_dev) == 0)
		tool_die_usage("-i and -o name the same device");
}

/* Passes every packet; counts its bytes on the wire (preamble, CRC and
 * inter-frame gap included, as 5.4.6's pfdnabounce). */
static int count_and_pass(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
			  u_int8_t direction)
{
	(void)pkt;
	(void)user_bytes;
	__atomic_fetch_add(&bytes[direction & 1], *pkt_len + 24, __ATOMIC_RELAXED);
	return DNA_BOUNCER_PASS;
}

static void on_signal(int sig)
{
	stop_signal = sig;
	pfring_dna_bouncer_breakloop(bouncer);
}

/* One ring of the bouncer: the ingress receives (and sends with -b), the
 * egress sends (and receives with -b), as 5.4.6's socket modes. */
static pfring *open_ring(const char *dev, int receives, int sends)
{
	pfring *ring = pfring_open(dev, CAPLEN, receives ? PF_RING_PROMISC : 0);
	socket_mode mode = receives && sends ? send_and_recv_mode :
			   receives ? recv_only_mode : send_only_mode;
	int rc;

	if (ring == NULL) {
		fprintf(stderr, "pfdnabounce: pfring_open(%s) failed: %s\n", dev, strerror(errno));
		return NULL;
	}
	pfring_set_application_name(ring, "pfdnabounce");
	rc = pfring_set_socket_mode(ring, mode);
	if (rc != 0) {
		fprintf(stderr, "pfdnabounce: %s: pfring_set_socket_mode returned %d\n", dev, rc);
		pfring_close(ring);
		return NULL;
	}
	return ring;
}

static u_int64_t received_total(void)
{
	pfring_dna_bouncer_stat s;
	u_int64_t n = 0;

	for (u_int8_t d = 0; d < 2; d++)
		if (pfring_dna_bouncer_stats(bouncer, d, &s) == 0)
			n += s.recv;
	return n;
}

/* "[in->out] N pkts rcvd, N forwarded, N dropped, N tx failed, N bytes" and,
 * every second, the rate since the last line. */
static void print_stats(int final, double secs)
{
	static u_int64_t last_fwd[2];
	pfring_dna_bouncer_stat s;

	fprintf(stderr, "---\n%s Stats:\n", final ? "Final" : "Absolute");
	for (u_int8_t d = 0; d < (opt.two_way ? 2 : 1); d++) {
		u_int64_t b = __atomic_load_n(&bytes[d], __ATOMIC_RELAXED);

		if (pfring_dna_bouncer_stats(bouncer, d, &s) != 0)
			continue;
		fprintf(stderr, "[%s] %llu pkts rcvd, %llu forwarded, %llu dropped, "
			"%llu tx failed, %llu bytes\n", dir_name[d], (unsigned long long)s.recv,
			(unsigned long long)s.forwarded, (unsigned long long)s.dropped,
			(unsigned long long)s.tx_failed, (unsigned long long)b);
		if (!final && secs > 0)
			fprintf(stderr, "[%s] Actual Stats: %llu pkts [%.1f pps]\n", dir_name[d],
				(unsigned long long)(s.forwarded - last_fwd[d]),
				(double)(s.forwarded - last_fwd[d]) / secs);
		last_fwd[d] = s.forwarded;
	}
}

/* Statistics every second; -q: breakloop after idle_secs without a packet. */
static void *stats_thread(void *arg)
{
	u_int64_t last_print = tool_now_ms(), last_packet = last_print, seen = 0;

	(void)arg;
	while (!__atomic_load_n(&loop_done, __ATOMIC_ACQUIRE)) {
		struct timespec ts = { .tv_sec = 0, .tv_nsec = TICK_MS * 1000000L };
		u_int64_t now, n;

		nanosleep(&ts, NULL);
		now = tool_now_ms();
		n = received_total();
		if (n != seen) {
			seen = n;
			last_packet = now;
		}
		if (now - last_print >= 1000) {
			print_stats(0, (double)(now - last_print) / 1000.0);
			last_print = now;
		}
		if (opt.idle_secs && now - last_packet >= (u_int64_t)opt.idle_secs * 1000) {
			__atomic_store_n(&stopped_idle, 1, __ATOMIC_RELEASE);
			pfring_dna_bouncer_breakloop(bouncer);
			break;
		}
	}
	return NULL;
}

int main(int argc, char *argv[])
{
	struct sigaction sa;
	pthread_t stats;
	pfring *in, *out = NULL;
	u_int64_t t0;
	int rc;

	tool_name = "pfdnabounce";
	parse_options(argc, argv);
	in = open_ring(opt.in_dev, 1, opt.two_way);
	if (in)
		out = open_ring(opt.out_dev, opt.two_way, 1);
	if (out == NULL) {
		if (in)
			pfring_close(in);
		return 1;
	}
	bouncer = pfring_dna_bouncer_create(in, out);
	if (bouncer == NULL) {
		fprintf(stderr, "pfdnabounce: pfring_dna_bouncer_create failed: %s\n", strerror(errno));
		pfring_close(in);
		pfring_close(out);
		return 1;
	}
	if (opt.two_way && (rc = pfring_dna_bouncer_set_mode(bouncer, two_way_mode)) != 0) {
		fprintf(stderr, "pfdnabounce: pfring_dna_bouncer_set_mode(two-way) returned %d\n", rc);
		pfring_dna_bouncer_destroy(bouncer);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	tool_bind_to_core(opt.core, "main thread");
	fprintf(stderr, "Bouncing packets from %s to %s (%s, %s wait)\n", opt.in_dev, opt.out_dev,
		opt.two_way ? "two-way" : "one-way", opt.active_wait ? "active" : "passive");
	if (pthread_create(&stats, NULL, stats_thread, NULL) != 0) {
		fprintf(stderr, "pfdnabounce: cannot start the statistics thread\n");
		pfring_dna_bouncer_destroy(bouncer);
		return 1;
	}
	t0 = tool_now_ms();
	rc = pfring_dna_bouncer_loop(bouncer, count_and_pass, NULL, opt.active_wait ? 0 : 1);
	__atomic_store_n(&loop_done, 1, __ATOMIC_RELEASE);
	pthread_join(stats, NULL);
	if (stop_signal)
		fprintf(stderr, "Leaving...\n");
	print_stats(1, (double)(tool_now_ms() - t0) / 1000.0);
	if (rc < 0)
		fprintf(stderr, "pfdnabounce: pfring_dna_bouncer_loop returned %d\n", rc);
	fprintf(stderr, "Stopped (%s)\n", rc < 0 ? "error" : stop_signal ? "signal" :
		__atomic_load_n(&stopped_idle, __ATOMIC_ACQUIRE) ? "idle" : "breakloop");
	pfring_dna_bouncer_destroy(bouncer);
	return rc < 0 ? 1 : 0;
}
