/*
 * tools/pfbridge.c - PF_RING's bridge, written against the public API
 * (include/pfring.h) only.
 *
 * Opens two devices and forwards what one receives to the other with
 * pfring_recv + pfring_send: both directions by default, -a to -b only with -1.
 * Each ring receives only what arrives on its device (rx_only_direction), so a
 * forwarded frame is never seen again by the ring of the device it leaves.
 * Stops on a signal or after -q idle seconds. Options and output: docs/tools.md.
 */
#include <errno.h>
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

#define POLL_MS 50

struct options {
	const char *in_dev, *out_dev;
	int one_way, verbose;
	int core;                     /* -1: not bound */
	int idle_secs;                /* 0: never stop on idle */
};

/* One direction: what from receives is sent on to. */
struct path {
	pfring *from, *to;
	const char *name;
	u_int64_t pkts, bytes, errors;
};

static struct options opt;
static volatile sig_atomic_t stop_signal;

static void usage(FILE *out)
{
	fprintf(out,
"pfbridge - bridge two devices with PF_RING (pfring %s)\n"
"\n"
"Usage: pfbridge -a <device> -b <device> [options]\n"
"-h              Print this help\n"
"-a <device>     First device (e.g. sim:in?pcap=FILE, docs/sim.md)\n"
"-b <device>     Second device (e.g. sim:out?gen=flows:1&count=1&txpcap=FILE)\n"
"-1              One way: forward -a to -b only (default: both directions)\n"
"-g <core>       Bind to this core\n"
"-v              Verbose: print every packet forwarded\n"
"-q <secs>       Exit after both devices have been idle for <secs> seconds\n"
"                (pfring extension)\n",
		"5.4.6");
}

static void parse_options(int argc, char *argv[])
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	opt.core = -1;
	opterr = 0;
	while ((c = getopt(argc, argv, ":ha:b:1g:vq:")) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(0);
		case 'a': opt.in_dev = optarg; break;
		case 'b': opt.out_dev = optarg; break;
		case '1': opt.one_way = 1; break;
		case 'g': opt.core = (int)tool_parse_num('g', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 'v': opt.verbose++; break;
		case 'q': opt.idle_secs = (int)tool_parse_num('q', optarg, 1, 86400); break;
		case ':': tool_die_usage("option -%c needs an argument", optopt);
		default:  tool_die_usage("unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	if (opt.in_dev == NULL || opt.out_dev == NULL)
		tool_die_usage("both -a and -b are required");
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* A ring that receives (unless it only sends: the far side of -1) and sends. */
static pfring *open_ring(const char *dev, int receives)
{
	pfring *ring;
	int rc;

	ring = pfring_open(dev, 0, PF_RING_PROMISC);
	if (ring == NULL) {
		fprintf(stderr, "pfbridge: pfring_open(%s) failed: %s\n", dev, strerror(errno));
		return NULL;
	}
	pfring_set_application_name(ring, "pfbridge");
	rc = pfring_set_socket_mode(ring, receives ? send_and_recv_mode : send_only_mode);
	if (rc != 0)
		fprintf(stderr, "pfbridge: warning: %s: pfring_set_socket_mode returned %d\n", dev, rc);
	if (receives && (rc = pfring_set_direction(ring, rx_only_direction)) != 0) {
		fprintf(stderr, "pfbridge: %s: pfring_set_direction(rx only) returned %d\n", dev, rc);
		goto fail;
	}
	if ((rc = pfring_enable_ring(ring)) != 0) {
		fprintf(stderr, "pfbridge: %s: pfring_enable_ring returned %d\n", dev, rc);
		goto fail;
	}
	return ring;
fail:
	pfring_close(ring);
	return NULL;
}

static void print_forwarded(const struct path *p, const struct pfring_pkthdr *h, const u_char *d)
{
	struct pfring_pkthdr parsed = *h;
	char line[512];

	memset(&parsed.extended_hdr, 0, sizeof(parsed.extended_hdr));
	pfring_parse_pkt((u_char *)d, &parsed, 4, 0, 0);
	pfring_print_parsed_pkt(line, sizeof(line), d, &parsed);
	printf("[%s] %s", p->name, line);
}

/* Forwards at most one packet: 1 forwarded, 0 nothing came, -1 receive error. */
static int forward_one(struct path *p)
{
	struct pfring_pkthdr hdr;
	u_char *buffer = NULL;
	int rc;

	memset(&hdr, 0, sizeof(hdr));
	rc = pfring_recv(p->from, &buffer, 0, &hdr, 0);
	if (rc < 0) {
		fprintf(stderr, "pfbridge: [%s] pfring_recv returned %d (%s)\n", p->name, rc,
			strerror(errno));
		return -1;
	}
	if (rc == 0)
		return 0;
	/* the frame is forwarded as it was received: a truncated one cannot be */
	rc = pfring_send(p->to, (char *)buffer, hdr.caplen, 1);
	if (rc < 0) {
		p->errors++;
		if (opt.verbose)
			fprintf(stderr, "pfbridge: [%s] pfring_send returned %d\n", p->name, rc);
		return 1;
	}
	if (opt.verbose)
		print_forwarded(p, &hdr, buffer);
	p->pkts++;
	p->bytes += hdr.caplen;
	return 1;
}

/* Bridges until a signal, -q idle or a receive error; why it stopped. */
static const char *bridge(struct path *paths, int n)
{
	u_int64_t last_activity = tool_now_ms();
	int i, rc, moved;

	for (;;) {
		if (stop_signal)
			return "signal";
		moved = 0;
		for (i = 0; i < n; i++) {
			rc = forward_one(&paths[i]);
			if (rc < 0)
				return NULL;
			moved |= rc;
		}
		if (moved) {
			last_activity = tool_now_ms();
			continue;
		}
		if (opt.idle_secs && tool_now_ms() - last_activity >= (u_int64_t)opt.idle_secs * 1000)
			return "idle";
		/* one idle ring waits for a while; with two, each a short turn */
		for (i = 0; i < n; i++)
			pfring_poll(paths[i].from, POLL_MS / n);
	}
}

int main(int argc, char *argv[])
{
	struct path paths[2];
	struct sigaction sa;
	pfring *a = NULL, *b = NULL;
	const char *why;
	int i, n = 0, rc = 1;

	tool_name = "pfbridge";
	parse_options(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	a = open_ring(opt.in_dev, 1);
	if (a == NULL)
		goto out;
	b = open_ring(opt.out_dev, !opt.one_way);
	if (b == NULL)
		goto out;
	tool_bind_to_core(opt.core, "main thread");
	memset(paths, 0, sizeof(paths));
	paths[n++] = (struct path){ .from = a, .to = b, .name = "a->b" };
	if (!opt.one_way)
		paths[n++] = (struct path){ .from = b, .to = a, .name = "b->a" };
	fprintf(stderr, "Bridging %s %s %s\n", opt.in_dev, opt.one_way ? "->" : "<->", opt.out_dev);
	why = bridge(paths, n);
	if (stop_signal)
		fprintf(stderr, "Leaving...\n");
	for (i = 0; i < n; i++)
		fprintf(stderr, "[%s] %llu pkts forwarded, %llu bytes, %llu send errors\n",
			paths[i].name, (unsigned long long)paths[i].pkts,
			(unsigned long long)paths[i].bytes, (unsigned long long)paths[i].errors);
	fprintf(stderr, "Stopped (%s)\n", why ? why : "receive error");
	rc = why ? 0 : 1;
out:
	if (b)
		pfring_close(b);
	if (a)
		pfring_close(a);
	return rc;
}
