/*
 * tools/pfdnacluster_multithread.c - a DNA Cluster master and its slaves in
 * one process (libzero, PF_RING 5.4.6 User Guide chapter 9), in the spirit of
 * 5.4.6's example of that name, written against the public API only.
 *
 * The master registers the devices of -i; N consumer threads each open
 * "dnacluster:ID@i" and count what they receive (zero-copy pfring_recv). With
 * -x or -b the threads send each packet back out through the master
 * (pfring_recv_pkt_buff, pfring_set_pkt_buff_ifindex, pfring_send_pkt_buff):
 * to one interface, or bridging the devices of -i in pairs. Stats every
 * second; SIGINT/SIGTERM (or -q idle seconds) stops the threads and prints
 * the final counts. Options and output: docs/libzero.md "Tools".
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
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
#define QUEUE_SLOTS       8192    /* slave rx and tx queues, as 5.4.6's example */
#define STATS_INTERVAL_MS 1000
#define TICK_MS           50

struct options {
	char *devices;               /* -i, comma-separated (owned, strdup) */
	int cluster_id;              /* -1: not given */
	int threads;
	enum cluster_mode mode;
	int tx_ifindex;              /* -x, -1: none */
	int bridge, active_wait, hugepages, iface_stats;
	int rx_core, tx_core;
	int cores[DNA_CLUSTER_MAX_NUM_SLAVES];
	int num_cores;
	const char *bpf;
	int idle_secs;
};

struct consumer {
	int id;
	pfring *ring;
	pthread_t tid;
	int started;
	/* written by the thread, read by the main thread (relaxed atomics) */
	u_int64_t pkts, bytes, send_errors;
	u_int64_t last_pkts;         /* main thread only */
};

static struct options opt;
static pfring *dev_rings[DNA_CLUSTER_MAX_NUM_SOCKETS];
static int dev_ifindex[DNA_CLUSTER_MAX_NUM_SOCKETS];
static int num_devs;
static struct consumer consumers[DNA_CLUSTER_MAX_NUM_SLAVES];
static pfring_dna_cluster *cluster;
static volatile sig_atomic_t stop_signal;
static int stopping;                 /* set by the main thread, read by consumers */

static void usage(FILE *out)
{
	fprintf(out,
"pfdnacluster_multithread - a DNA Cluster and its consumer threads (pfring %s)\n"
"\n"
"Usage: pfdnacluster_multithread -c <cluster id> [-i <device>[,<device>...]] [options]\n"
"-h              Print this help\n"
"-i <devices>    Comma-separated devices (dna:ethX, sim:NAME?...; default %s)\n"
"-c <cluster id> DNA Cluster id\n"
"-n <threads>    Number of consumer threads (1..%d, default 1)\n"
"-r <core>       Bind the cluster's RX thread to a core (default 0)\n"
"-t <core>       Bind the cluster's TX thread to a core (default 1)\n"
"-g <id:id...>   Bind consumer thread i to the i-th core of the list\n"
"-m <mode>       Distribution: 0 - IP hash (the library's default, symmetric)\n"
"                              1 - MAC address hash\n"
"                              2 - IP protocol hash\n"
"                              3 - fan-out\n"
"-x <if index>   Send every packet out of this interface (enables TX)\n"
"-b              Bridge the devices of -i in pairs: 0<->1, 2<->3... (enables TX)\n"
"-a              Active packet wait\n"
"-u              Use hugepages for the packet memory\n"
"-p              Print each device's absolute stats too\n"
"-f <filter>     BPF filter on every device (pfring extension)\n"
"-q <secs>       Exit after no thread received anything for <secs> seconds\n"
"                (pfring extension)\n",
		"5.4.6", DEFAULT_DEVICE, DNA_CLUSTER_MAX_NUM_SLAVES);
}

static void die_usage_free(const char *msg, char letter)
{
	free(opt.devices);
	if (letter)
		tool_die_usage(msg, letter);
	tool_die_usage("%s", msg);
}

static void parse_cores(const char *s)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *copy = strdup(s), *tok, *save = NULL;

	if (copy == NULL)
		die_usage_free("out of memory", 0);
	opt.num_cores = 0;
	for (tok = strtok_r(copy, ":,", &save); tok; tok = strtok_r(NULL, ":,", &save)) {
		if (opt.num_cores == DNA_CLUSTER_MAX_NUM_SLAVES)
			break;
		opt.cores[opt.num_cores++] = (int)tool_parse_num('g', tok, 0, ncpu > 0 ? ncpu - 1 : 0);
	}
	free(copy);
}

static void parse_options(int argc, char *argv[])
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	opt.cluster_id = -1;
	opt.threads = 1;
	opt.tx_ifindex = -1;
	opt.tx_core = ncpu > 1 ? 1 : 0;
	opterr = 0;
	while ((c = getopt(argc, argv, ":hi:c:n:r:t:g:m:x:bapuf:q:")) != -1) {
		switch (c) {
		case 'h': usage(stdout); free(opt.devices); exit(0);
		case 'i':
			free(opt.devices);
			opt.devices = strdup(optarg);
			break;
		case 'c': opt.cluster_id = (int)tool_parse_num('c', optarg, 0, INT_MAX); break;
		case 'n':
			opt.threads = (int)tool_parse_num('n', optarg, 1, DNA_CLUSTER_MAX_NUM_SLAVES);
			break;
		case 'r': opt.rx_core = (int)tool_parse_num('r', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 't': opt.tx_core = (int)tool_parse_num('t', optarg, 0, ncpu > 0 ? ncpu - 1 : 0); break;
		case 'g': parse_cores(optarg); break;
		case 'm':
			opt.mode = (enum cluster_mode)tool_parse_num('m', optarg, 0,
								     CLUSTER_MODE_COUNT - 1);
			break;
		case 'x': opt.tx_ifindex = (int)tool_parse_num('x', optarg, 0, INT_MAX); break;
		case 'b': opt.bridge = 1; break;
		case 'a': opt.active_wait = 1; break;
		case 'p': opt.iface_stats = 1; break;
		case 'u': opt.hugepages = 1; break;
		case 'f': opt.bpf = optarg; break;
		case 'q': opt.idle_secs = (int)tool_parse_num('q', optarg, 1, 86400); break;
		case ':': die_usage_free("option -%c needs an argument", (char)optopt); break;
		default:  die_usage_free("unknown option -%c", (char)optopt); break;
		}
	}
	if (optind < argc) {
		free(opt.devices);
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	}
	if (opt.cluster_id < 0)
		die_usage_free("-c <cluster id> is required", 0);
	if (opt.bridge && opt.tx_ifindex >= 0)
		die_usage_free("-x and -b are exclusive", 0);
	if (opt.devices == NULL)
		opt.devices = strdup(DEFAULT_DEVICE);
	if (opt.devices == NULL)
		tool_die_usage("out of memory");
}

static int tx_enabled(void)
{
	return opt.bridge || opt.tx_ifindex >= 0;
}

/* ------------------------------------------------------------ consumers */

/* The interface a packet that came in on if_index goes out of; -1: none. */
static int egress_of(int if_index)
{
	int i;

	if (!opt.bridge)
		return opt.tx_ifindex;
	for (i = 0; i < num_devs; i++)
		if (dev_ifindex[i] == if_index)
			return dev_ifindex[i ^ 1];
	return -1;
}

/* Receives the next packet into buf (TX mode) and sends it on; 1 if one came. */
static int recv_and_send(struct consumer *c, pfring_pkt_buff *buf, struct pfring_pkthdr *h,
			 u_int8_t wait)
{
	int rc = pfring_recv_pkt_buff(c->ring, buf, h, wait), out;

	if (rc <= 0)
		return rc;
	out = egress_of(h->extended_hdr.if_index);
	if (out < 0 || pfring_set_pkt_buff_ifindex(c->ring, buf, out) < 0 ||
	    pfring_send_pkt_buff(c->ring, buf, opt.bridge ? 1 : 0) < 0)
		__atomic_store_n(&c->send_errors, c->send_errors + 1, __ATOMIC_RELAXED);
	return rc;
}

static void *consumer_thread(void *arg)
{
	struct consumer *c = arg;
	struct pfring_pkthdr h;
	pfring_pkt_buff *buf = NULL;
	u_int8_t wait = opt.active_wait ? 0 : 1;
	u_char *data;
	char what[32];
	int rc;

	if (c->id < opt.num_cores) {
		snprintf(what, sizeof(what), "thread %d", c->id);
		tool_bind_to_core(opt.cores[c->id], what);
	}
	if (tx_enabled() && (buf = pfring_alloc_pkt_buff(c->ring)) == NULL) {
		fprintf(stderr, "pfdnacluster_multithread: thread %d: pfring_alloc_pkt_buff failed\n",
			c->id);
		return NULL;
	}
	memset(&h, 0, sizeof(h));
	while (!__atomic_load_n(&stopping, __ATOMIC_RELAXED)) {
		rc = buf ? recv_and_send(c, buf, &h, wait) : pfring_recv(c->ring, &data, 0, &h, wait);
		if (rc > 0) {
			__atomic_store_n(&c->pkts, c->pkts + 1, __ATOMIC_RELAXED);
			__atomic_store_n(&c->bytes, c->bytes + h.len, __ATOMIC_RELAXED);
		} else if (rc == 0) {
			if (!wait)
				sched_yield();
		} else {
			if (!__atomic_load_n(&stopping, __ATOMIC_RELAXED))
				fprintf(stderr, "pfdnacluster_multithread: thread %d: receive returned "
					"%d (%s)\n", c->id, rc, strerror(errno));
			break;
		}
	}
	if (buf)
		pfring_release_pkt_buff(c->ring, buf);
	return NULL;
}

/* ------------------------------------------------------------ the cluster */

static int register_devices(void)
{
	num_devs = cluster_rings_register("pfdnacluster_multithread", cluster, opt.cluster_id,
					  opt.devices, opt.bpf, dev_rings, dev_ifindex);
	if (num_devs < 0)
		return -1;
	if (num_devs == 0 || (opt.bridge && (num_devs & 1))) {
		fprintf(stderr, "pfdnacluster_multithread: %s\n", num_devs == 0 ?
			"no device in -i" : "-b needs an even number of devices");
		return -1;
	}
	if (opt.bridge)
		for (int i = 0; i + 1 < num_devs; i += 2)
			printf("Bridging interfaces %d <-> %d\n", dev_ifindex[i], dev_ifindex[i + 1]);
	return 0;
}

static int setup_cluster(void)
{
	u_int32_t flags = tx_enabled() ? 0 : DNA_CLUSTER_NO_ADDITIONAL_BUFFERS;
	socket_mode mode = tx_enabled() ? send_and_recv_mode : recv_only_mode;

	if (opt.hugepages)
		flags |= DNA_CLUSTER_HUGEPAGES;
	printf("Capturing from %s\n", opt.devices);
	cluster = dna_cluster_create((u_int32_t)opt.cluster_id, (u_int32_t)opt.threads, flags);
	if (cluster == NULL) {
		fprintf(stderr, "pfdnacluster_multithread: dna_cluster_create(%d, %d) failed: %s\n",
			opt.cluster_id, opt.threads, strerror(errno));
		return -1;
	}
	/* each thread holds one buffer of its own for pfring_recv_pkt_buff (TX mode) */
	dna_cluster_low_level_settings(cluster, QUEUE_SLOTS, QUEUE_SLOTS, tx_enabled() ? 1 : 0);
	if (dna_cluster_set_mode(cluster, mode) < 0) {
		fprintf(stderr, "pfdnacluster_multithread: dna_cluster_set_mode failed\n");
		return -1;
	}
	if (register_devices() != 0)
		return -1;
	dna_cluster_set_wait_mode(cluster, (u_int32_t)opt.active_wait);
	dna_cluster_set_cpu_affinity(cluster, (u_int32_t)opt.rx_core, (u_int32_t)opt.tx_core);
	cluster_modes_install(cluster, opt.mode, -1);
	printf("%s\n", cluster_modes_describe(opt.mode, -1));
	if (dna_cluster_enable(cluster) < 0) {
		fprintf(stderr, "pfdnacluster_multithread: dna_cluster_enable failed: %s\n",
			strerror(errno));
		return -1;
	}
	printf("The DNA cluster [id: %d][num consumer threads: %d] is running...\n",
	       opt.cluster_id, opt.threads);
	fflush(stdout);
	return 0;
}

static int start_consumers(void)
{
	char name[64];
	int i, rc;

	for (i = 0; i < opt.threads; i++) {
		struct consumer *c = &consumers[i];

		c->id = i;
		snprintf(name, sizeof(name), "dnacluster:%d@%d", opt.cluster_id, i);
		c->ring = pfring_open(name, CLUSTER_SNAPLEN, PF_RING_PROMISC);
		if (c->ring == NULL) {
			fprintf(stderr, "pfdnacluster_multithread: pfring_open(%s) failed: %s\n", name,
				strerror(errno));
			return -1;
		}
		snprintf(name, sizeof(name), "pfdnacluster_multithread-cluster-%d-thread-%d",
			 opt.cluster_id, i);
		pfring_set_application_name(c->ring, name);
		if ((rc = pfring_set_socket_mode(c->ring, tx_enabled() ? send_and_recv_mode
								      : recv_only_mode)) != 0)
			fprintf(stderr, "pfdnacluster_multithread: pfring_set_socket_mode returned %d\n",
				rc);
		if (pfring_enable_ring(c->ring) != 0) {
			fprintf(stderr, "pfdnacluster_multithread: pfring_enable_ring(%s) failed\n",
				name);
			return -1;
		}
		rc = pthread_create(&c->tid, NULL, consumer_thread, c);
		if (rc != 0) {
			fprintf(stderr, "pfdnacluster_multithread: pthread_create: %s\n", strerror(rc));
			return -1;
		}
		c->started = 1;
		printf("Consumer thread #%d is running...\n", i);
		fflush(stdout);
	}
	return 0;
}

/* Wakes every consumer (breakloop, shutdown), joins it, closes its ring. */
static void stop_consumers(void)
{
	int i;

	__atomic_store_n(&stopping, 1, __ATOMIC_RELAXED);
	for (i = 0; i < opt.threads; i++) {
		if (consumers[i].ring == NULL)
			continue;
		pfring_breakloop(consumers[i].ring);
		pfring_shutdown(consumers[i].ring);
	}
	for (i = 0; i < opt.threads; i++)
		if (consumers[i].started)
			pthread_join(consumers[i].tid, NULL);
}

static void close_consumers(void)
{
	int i;

	for (i = 0; i < opt.threads; i++)
		if (consumers[i].ring)
			pfring_close(consumers[i].ring);
}

/* ------------------------------------------------------------------ stats */

static char *fmt(double v, char *buf, u_int len, int decimals)
{
	return pfring_format_numbers(v, buf, len, (u_int8_t)decimals);
}

static u_int64_t total_pkts(void)
{
	u_int64_t n = 0;
	int i;

	for (i = 0; i < opt.threads; i++)
		n += __atomic_load_n(&consumers[i].pkts, __ATOMIC_RELAXED);
	return n;
}

/* Per thread: received, bytes, send errors; with ring_stats (only once the
 * threads are joined: a slave ring is used by one thread at a time) also
 * pfring_stats' drop (frames the master could not queue for it). */
static void print_threads(int ring_stats)
{
	char b1[32], b2[32], b3[32];
	pfring_stat s;
	u_int64_t sum = 0, drops = 0;
	int i;

	for (i = 0; i < opt.threads; i++) {
		struct consumer *c = &consumers[i];
		u_int64_t p = __atomic_load_n(&c->pkts, __ATOMIC_RELAXED);

		sum += p;
		fprintf(stderr, "Thread %d: [%s pkts rcvd][%s bytes rcvd]", i,
			fmt((double)p, b1, sizeof(b1), 0),
			fmt((double)__atomic_load_n(&c->bytes, __ATOMIC_RELAXED), b2, sizeof(b2), 0));
		if (ring_stats) {
			if (pfring_stats(c->ring, &s) < 0)
				s.drop = 0;
			drops += s.drop;
			fprintf(stderr, "[%s pkts dropped]", fmt((double)s.drop, b3, sizeof(b3), 0));
		}
		if (tx_enabled())
			fprintf(stderr, "[%s send errors]",
				fmt((double)__atomic_load_n(&c->send_errors, __ATOMIC_RELAXED), b1,
				    sizeof(b1), 0));
		fprintf(stderr, "\n");
	}
	fprintf(stderr, "Total: [%s pkts rcvd]", fmt((double)sum, b1, sizeof(b1), 0));
	if (ring_stats)
		fprintf(stderr, "[%s pkts dropped]", fmt((double)drops, b2, sizeof(b2), 0));
	fprintf(stderr, "\n");
}

static void print_cluster(void)
{
	pfring_dna_cluster_stat cs;
	pfring_stat s;
	char b1[32], b2[32], b3[32];
	int i;

	if (dna_cluster_stats(cluster, &cs) == 0)
		fprintf(stderr, "Cluster: [%s pkts captured][%s pkts processed][%s pkts sent]\n",
			fmt((double)cs.tot_rx_packets, b1, sizeof(b1), 0),
			fmt((double)cs.tot_rx_processed, b2, sizeof(b2), 0),
			fmt((double)cs.tot_tx_packets, b3, sizeof(b3), 0));
	if (opt.iface_stats)
		for (i = 0; i < num_devs; i++)
			if (pfring_stats(dev_rings[i], &s) >= 0)
				fprintf(stderr, "Absolute socket %d stats: [%s pkts rcvd][%s pkts dropped]\n",
					i, fmt((double)s.recv, b1, sizeof(b1), 0),
					fmt((double)s.drop, b2, sizeof(b2), 0));
}

static void print_stats(double ms)
{
	char b1[32];
	int i;

	fprintf(stderr, "=========================\n");
	print_threads(0);
	for (i = 0; i < opt.threads; i++) {
		u_int64_t p = __atomic_load_n(&consumers[i].pkts, __ATOMIC_RELAXED);

		fprintf(stderr, "Actual Stats: thread %d: [%s pkt/sec]\n", i,
			fmt((double)(p - consumers[i].last_pkts) * 1000.0 / ms, b1, sizeof(b1), 1));
		consumers[i].last_pkts = p;
	}
	print_cluster();
	fprintf(stderr, "=========================\n\n");
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const char *watch(void)
{
	u_int64_t last_ms = tool_now_ms(), active_ms = last_ms, seen = 0, t, n;
	static char why[64];

	for (;;) {
		usleep(TICK_MS * 1000);
		t = tool_now_ms();
		if (stop_signal) {
			fprintf(stderr, "Leaving...\n");
			snprintf(why, sizeof(why), "signal %d", (int)stop_signal);
			return why;
		}
		n = total_pkts();
		if (n != seen) {
			seen = n;
			active_ms = t;
		} else if (opt.idle_secs && t - active_ms >= (u_int64_t)opt.idle_secs * 1000) {
			snprintf(why, sizeof(why), "idle for %d s", opt.idle_secs);
			return why;
		}
		if (t - last_ms >= STATS_INTERVAL_MS) {
			print_stats((double)(t - last_ms));
			last_ms = t;
		}
	}
}

int main(int argc, char *argv[])
{
	struct sigaction sa;
	const char *why;
	int rc = 1;

	tool_name = "pfdnacluster_multithread";
	parse_options(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (setup_cluster() == 0 && start_consumers() == 0) {
		why = watch();
		stop_consumers();
		fprintf(stderr, "=========================\nFinal Stats (%s)\n", why);
		print_threads(1);
		dna_cluster_disable(cluster);
		print_cluster();
		fprintf(stderr, "=========================\n");
		rc = 0;
	} else {
		stop_consumers();
	}
	close_consumers();
	if (cluster)
		dna_cluster_destroy(cluster);   /* closes the registered rings (guide 9.1) */
	free(opt.devices);
	return rc;
}
