/*
 * tools/pfsim/daemon.c - the pfsim daemon: its options and signals around the
 * server (pfsim_serve, backends/sim/shared_server.c). The tool's main() and the
 * tests that run pfsim in a child call pfsim_main.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/sim/shared_proto.h"
#include "sim/nic.h"
#include "tools/pfsim/daemon.h"

#define MIB (1024ull * 1024)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "pfsim: %s\n", msg);
	fprintf(stderr,
		"usage: pfsim -n NAME -o OPTIONS [-n NAME -o OPTIONS ...] [-d DIR] [-w N]\n"
		"             [-m MiB] [-M MiB] [-v]\n"
		"  -n NAME     serve sim:NAME to other processes\n"
		"  -o OPTIONS  its options, as in sim:NAME?OPTIONS (pcap= or gen= needed)\n"
		"  -d DIR      socket folder (default $PFSIM_DIR, else $XDG_RUNTIME_DIR/pfsim,\n"
		"              else /tmp/pfsim-$EUID); yours, not writable by group or others\n"
		"  -w N        hold the wire until N rings are enabled (default 1)\n"
		"  -m MiB      memory for all rings (default %u)\n"
		"  -M MiB      memory for one ring (default %u)\n"
		"  -v          log every ring closed (default: only rings whose process died)\n",
		PFSIM_TOTAL_MIB, PFSIM_RING_MIB);
	return 2;
}

/* A whole number of MiB, 1 .. 2^20, into *bytes: 0 or -1. */
static int parse_mib(const char *arg, uint64_t *bytes)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < 1 || v > (1l << 20))
		return -1;
	*bytes = (uint64_t)v * MIB;
	return 0;
}

static int parse_args(struct pfsim_config *s, int argc, char **argv)
{
	int o;
	long v;
	char *end;

	optind = 1;
	while ((o = getopt(argc, argv, "n:o:d:w:m:M:vh")) != -1) {
		switch (o) {
		case 'n':
			if (s->n >= PFSIM_MAX_NICS)
				return usage("too many NICs");
			if (strlen(optarg) == 0 || strlen(optarg) >= SIM_NAME_LEN ||
			    strpbrk(optarg, "/?@&"))
				return usage("bad NIC name");
			s->nic[s->n++].name = optarg;
			break;
		case 'o':
			if (s->n == 0 || s->nic[s->n - 1].opts)
				return usage("-o OPTIONS must follow its -n NAME");
			s->nic[s->n - 1].opts = optarg;
			break;
		case 'd':
			s->dir = optarg;
			break;
		case 'm':
			if (parse_mib(optarg, &s->total_limit))
				return usage("-m MiB: 1 .. 1048576");
			break;
		case 'M':
			if (parse_mib(optarg, &s->ring_limit))
				return usage("-M MiB: 1 .. 1048576");
			break;
		case 'v':
			s->verbose = 1;
			break;
		case 'w':
			v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > PFSIM_MAX_CLIENTS)
				return usage("-w N: 1 .. 64");
			s->hold = (unsigned)v;
			break;
		default:
			return usage(NULL);
		}
	}
	if (optind < argc)
		return usage("unexpected argument");
	if (s->n == 0)
		return usage("no NIC to serve");
	for (o = 0; o < (int)s->n; o++)
		if (s->nic[o].opts == NULL)
			return usage("every -n NAME needs its -o OPTIONS");
	return 0;
}

int pfsim_main(int argc, char **argv)
{
	struct pfsim_config cfg = {
		.hold = 1,
		.ring_limit = PFSIM_RING_MIB * MIB,
		.total_limit = PFSIM_TOTAL_MIB * MIB,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	int rc = parse_args(&cfg, argc, argv);

	if (rc)
		return rc;
	stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return pfsim_serve(&cfg, &stop);
}
