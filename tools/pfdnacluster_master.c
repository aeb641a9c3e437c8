/*
 * tools/pfdnacluster_master.c - a DNA Cluster master (libzero, PF_RING 5.4.6
 * User Guide chapter 9), in the spirit of 5.4.6's example of that name,
 * written against the public API (pfring.h, pfring_zero.h) only.
 *
 * Registers one or more rings (dna: or sim: devices) with a cluster of N
 * slaves, which other processes attach to as "dnacluster:ID@S" (pfcount -i
 * dnacluster:ID@0, ...), and prints the cluster's counters every second. On
 * SIGINT/SIGTERM (or -q idle seconds): dna_cluster_disable, the final
 * counters, dna_cluster_destroy. Options and output: docs/libzero.md "Tools".
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfring.h>
#include <pfring_zero.h>
#include "tools/lib/tool.h"
#include "tools/lib/cluster_modes.h"
#include "tools/lib/cluster_rings.h"

#define DEFAULT_DEVICE    "dna:eth0"
#define STATS_INTERVAL_MS 1000
#define TICK_MS           50
#define SPARE_BUFFERS     256     /* per slave with -Q, the library's default */
#define MAX_QUEUE_SLOTS   (1 << 20)

struct options {
	char *devices;               /* -i, comma-separated (owned, strdup) */
	int cluster_id;              /* -1: not given */
	int slaves;                  /* -n, 0: not given */
	enum cluster_mode mode;
	int frwd_socket;             /* -o, -1: none */
	int enable_tx, active_wait, hugepages, iface_stats;
	int rx_core, tx_core;
	int queue_slots;             /* -Q, 0: the library's default */
	const char *bpf;             /* -f */
	int idle_secs;
};

static struct options opt;
static pfring *rings[DNA_CLUSTER_MAX_NUM_SOCKETS];
static int num_rings;
static pfring_dna_cluster *cluster;
static volatile sig_atomic_t stop_signal;

static void usage(FILE *out)
{
	fprintf(out,
"pfdnacluster_master - a DNA Cluster master (pfring %s)\n"
"\n"
"Usage: pfdnacluster_master -c <cluster id> -n <slaves> [-i <device>[,<device>...]] [options]\n"
"-h              Print this help\n"
"-i <devices>    Comma-separated devices to register (dna:ethX, sim:NAME?...;\n"
"                default %s); at most %d\n"
"-c <cluster id> Cluster id: slaves open dnacluster:<id>[@<slave>]\n"
"-n <slaves>     Number of slave applications (1..%d)\n"
"-m <mode>       Distribution: 0 - IP hash (the library's default, symmetric)\n"
"                              1 - MAC address hash\n"
"                              2 - IP protocol hash\n"
"                              3 - fan-out (every slave gets every packet)\n"
"-F              Fan-out (same as -m 3)\n"
"-o <socket>     Direct forwarding: send every packet out of the <socket>-th\n"
"                device of -i (0-based), no slave (DNA_CLUSTER_FRWD)\n"
"-s              Enable TX: slaves may send (pfring_send, pkt buffs)\n"
"-r <core>       Bind the cluster's RX thread to a core (default 0)\n"
"-t <core>       Bind the cluster's TX thread to a core (default 1)\n"
"-a              Active packet wait (the master polls)\n"
"-u              Use hugepages for the packet memory (DNA_CLUSTER_HUGEPAGES)\n"
"-p              Print each device's absolute stats too\n"
"-Q <slots>      Each slave's RX and TX queue length (dna_cluster_low_level_settings;\n"
"                with %d spare buffers per slave)\n"
"-f <filter>     BPF filter on every registered device (pfring extension)\n"
"-q <secs>       Exit after nothing was received or processed for <secs>\n"
"                seconds (pfring extension)\n",
		"5.4.6", DEFAULT_DEVICE, DNA_CLUSTER_MAX_NUM_SOCKETS, DNA_CLUSTER_MAX_NUM_SLAVES,
		SPARE_BUFFERS);
}

static void parse_options(int argc, char *argv[])
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	opt.cluster_id = -1;
	opt.frwd_socket = -1;
	opt.rx_core = 0;
	opt.tx_core = ncpu > 1 ? 1 : 0;
	opterr = 0;
	while ((c = getopt(argc, argv, ":hi:c:n:m:Fo:sr:t:aupQ:f:q:")) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(0);
		case 'i':
			free(opt.devices);
			opt.devices = strdup(optarg);
			break;
		case 'c': opt.cluster_id = (int)tool_parse_num('c', optarg, 0, INT_MAX); break;
		case 'n':
			opt.slaves = (int)tool_parse_num('n', optarg, 1, DNA_CLUSTER_MAX_NUM_SLAVES);
			break;
		case 'm':
			opt.mode = (enum cluster_mode)tool_parse_num('m', optarg, 0,
								     CLUSTER_MODE_COUNT - 1);
			break;
		case 'F': opt.mode = CLUSTER_MODE_FANOUT; break;
		case 'o':
			opt.frwd_socket = (int)tool_parse_num('o', optarg, 0,
							      DNA_CLUSTER_MAX_NUM_SOCKETS - 1);
			break;
		case 's': opt.enable_tx = 1; break;
		case 'r': opt.rx_core = (int)tool_parse_num('r', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 't': opt.tx_core = (int)tool_parse_num('t', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 'a': opt.active_wait = 1; break;
		case 'u': opt.hugepages = 1; break;
		case 'p': opt.iface_stats = 1; break;
		case 'Q': opt.queue_slots = (int)tool_parse_num('Q', optarg, 1, MAX_QUEUE_SLOTS); break;
		case 'f': opt.bpf = optarg; break;
		case 'q': opt.idle_secs = (int)tool_parse_num('q', optarg, 1, 86400); break;
		case ':': free(opt.devices); tool_die_usage("option -%c needs an argument", optopt);
		default:  free(opt.devices); tool_die_usage("unknown option -%c", optopt);
		}
	}
	if (optind < argc) {
		free(opt.devices);
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	}
	if (opt.cluster_id < 0 || opt.slaves == 0) {
		free(opt.devices);
		tool_die_usage("-c <cluster id> and -n <slaves> are required");
	}
	if (opt.devices == NULL)
		opt.devices = strdup(DEFAULT_DEVICE);
	if (opt.devices == NULL)
		tool_die_usage("out of memory");
}

/* ------------------------------------------------------------------ setup */

/* Opens and registers every device of -i; 0, or -1 after a message. */
static int register_devices(void)
{
	int ifindex[DNA_CLUSTER_MAX_NUM_SOCKETS];

	num_rings = cluster_rings_register("pfdnacluster_master", cluster, opt.cluster_id,
					   opt.devices, opt.bpf, rings, ifindex);
	if (num_rings < 0)
		return -1;
	if (num_rings == 0) {
		fprintf(stderr, "pfdnacluster_master: no device in -i\n");
		return -1;
	}
	if (opt.frwd_socket >= num_rings) {
		fprintf(stderr, "pfdnacluster_master: -o %d: there are %d devices\n",
			opt.frwd_socket, num_rings);
		return -1;
	}
	return 0;
}

static int setup(void)
{
	u_int32_t flags = 0;
	socket_mode mode = opt.enable_tx || opt.frwd_socket >= 0 ? send_and_recv_mode
								  : recv_only_mode;

	if (opt.frwd_socket >= 0)
		flags |= DNA_CLUSTER_DIRECT_FORWARDING;
	if (opt.hugepages)
		flags |= DNA_CLUSTER_HUGEPAGES;
	printf("Capturing from %s\n", opt.devices);
	cluster = dna_cluster_create((u_int32_t)opt.cluster_id, (u_int32_t)opt.slaves, flags);
	if (cluster == NULL) {
		fprintf(stderr, "pfdnacluster_master: dna_cluster_create(%d, %d) failed: %s\n",
			opt.cluster_id, opt.slaves, strerror(errno));
		return -1;
	}
	if (opt.queue_slots &&
	    dna_cluster_low_level_settings(cluster, (u_int32_t)opt.queue_slots,
					   (u_int32_t)opt.queue_slots, SPARE_BUFFERS) < 0) {
		fprintf(stderr, "pfdnacluster_master: dna_cluster_low_level_settings(%d) failed: %s\n",
			opt.queue_slots, strerror(errno));
		return -1;
	}
	if (dna_cluster_set_mode(cluster, mode) < 0) {
		fprintf(stderr, "pfdnacluster_master: dna_cluster_set_mode failed: %s\n",
			strerror(errno));
		return -1;
	}
	if (register_devices() != 0)
		return -1;
	dna_cluster_set_wait_mode(cluster, (u_int32_t)opt.active_wait);
	dna_cluster_set_cpu_affinity(cluster, (u_int32_t)opt.rx_core, (u_int32_t)opt.tx_core);
	cluster_modes_install(cluster, opt.mode, opt.frwd_socket);
	printf("%s\n", cluster_modes_describe(opt.mode, opt.frwd_socket));
	if (dna_cluster_enable(cluster) < 0) {
		fprintf(stderr, "pfdnacluster_master: dna_cluster_enable failed: %s "
			"(devices in use, or cluster %d exists?)\n", strerror(errno), opt.cluster_id);
		return -1;
	}
	printf("The DNA cluster [id: %d][num slave apps: %d] is now running...\n",
	       opt.cluster_id, opt.slaves);
	printf("You can now attach up to %d slaves to it as follows:\n", opt.slaves);
	printf("\tpfcount -i dnacluster:%d[@<0..%d>]\n", opt.cluster_id, opt.slaves - 1);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ stats */

static char *fmt(double v, char *buf, u_int len, int decimals)
{
	return pfring_format_numbers(v, buf, len, (u_int8_t)decimals);
}

static void print_interfaces(void)
{
	pfring_stat s;
	char b1[32], b2[32];
	int i;

	for (i = 0; i < num_rings; i++)
		if (pfring_stats(rings[i], &s) >= 0)
			fprintf(stderr, "Absolute socket %d stats: [%s pkts rcvd][%s pkts dropped]\n",
				i, fmt((double)s.recv, b1, sizeof(b1), 0),
				fmt((double)s.drop, b2, sizeof(b2), 0));
}

static void print_absolute(const char *title, const pfring_dna_cluster_stat *s)
{
	char b1[32], b2[32], b3[32];

	fprintf(stderr, "%s: [%s pkts captured][%s pkts processed][%s pkts sent]\n", title,
		fmt((double)s->tot_rx_packets, b1, sizeof(b1), 0),
		fmt((double)s->tot_rx_processed, b2, sizeof(b2), 0),
		fmt((double)s->tot_tx_packets, b3, sizeof(b3), 0));
}

/* The periodic block: counters since start, rates over the interval. */
static void print_stats(const pfring_dna_cluster_stat *now, const pfring_dna_cluster_stat *last,
			double ms)
{
	char b1[32], b2[32], b3[32], b4[32];
	double secs = ms / 1000.0;

	fprintf(stderr, "=========================\n");
	print_absolute("Absolute Stats", now);
	if (secs > 0)
		fprintf(stderr, "Actual Stats: [Captured %s pkt/sec][Processed %s pkt/sec]"
			"[Sent %s pkt/sec] [%s ms]\n",
			fmt((double)(now->tot_rx_packets - last->tot_rx_packets) / secs, b1, sizeof(b1), 1),
			fmt((double)(now->tot_rx_processed - last->tot_rx_processed) / secs, b2,
			    sizeof(b2), 1),
			fmt((double)(now->tot_tx_packets - last->tot_tx_packets) / secs, b3, sizeof(b3), 1),
			fmt(ms, b4, sizeof(b4), 1));
	if (opt.iface_stats)
		print_interfaces();
	fprintf(stderr, "=========================\n\n");
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Stats every second until a signal or the idle timeout; returns why it stopped. */
static const char *watch(void)
{
	pfring_dna_cluster_stat now, last = { 0, 0, 0 }, seen = { 0, 0, 0 };
	u_int64_t last_ms = tool_now_ms(), active_ms = last_ms, t;
	static char why[64];

	for (;;) {
		usleep(TICK_MS * 1000);
		t = tool_now_ms();
		if (stop_signal) {
			fprintf(stderr, "Leaving...\n");
			snprintf(why, sizeof(why), "signal %d", (int)stop_signal);
			return why;
		}
		if (dna_cluster_stats(cluster, &now) != 0)
			continue;
		if (now.tot_rx_packets != seen.tot_rx_packets ||
		    now.tot_rx_processed != seen.tot_rx_processed ||
		    now.tot_tx_packets != seen.tot_tx_packets) {
			seen = now;
			active_ms = t;
		} else if (opt.idle_secs && t - active_ms >= (u_int64_t)opt.idle_secs * 1000) {
			snprintf(why, sizeof(why), "idle for %d s", opt.idle_secs);
			return why;
		}
		if (t - last_ms >= STATS_INTERVAL_MS) {
			print_stats(&now, &last, (double)(t - last_ms));
			last = now;
			last_ms = t;
		}
	}
}

int main(int argc, char *argv[])
{
	pfring_dna_cluster_stat fin;
	struct sigaction sa;
	const char *why;
	int rc = 1;

	tool_name = "pfdnacluster_master";
	parse_options(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (setup() == 0) {
		why = watch();
		dna_cluster_disable(cluster);
		fprintf(stderr, "=========================\nFinal Stats (%s)\n", why);
		if (dna_cluster_stats(cluster, &fin) == 0)
			print_absolute("Absolute Stats", &fin);
		print_interfaces();
		fprintf(stderr, "=========================\n");
		rc = 0;
	}
	if (cluster)
		dna_cluster_destroy(cluster);   /* closes the registered rings (guide 9.1) */
	free(opt.devices);
	return rc;
}
