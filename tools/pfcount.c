/*
 * tools/pfcount.c - PF_RING's packet counter, written against the public API
 * (include/pfring.h) only.
 *
 * Opens one ring per thread on the device (all joined to one cluster when there
 * are several), counts what arrives and prints PF_RING 5.4.6 pfcount's
 * "Absolute Stats" / "Actual Stats" every second and a final summary taken from
 * pfring_stats() of every ring at exit. Options and output: docs/tools.md.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
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

#define MAX_NUM_THREADS     64
#define DEFAULT_SNAPLEN     128   /* as 5.4.6 pfcount */
#define DEFAULT_CLUSTER_ID  99    /* -n > 1 without -c */
#define DEFAULT_DEVICE      "eth0"
#define STATS_INTERVAL_MS   1000
#define TICK_MS             50

struct options {
	const char *device;
	const char *bpf;
	const char *reflector;
	int cluster_id;               /* -1: no cluster */
	cluster_type ctype;
	int direction;                /* -1: not set */
	u_int caplen;
	int threads;
	int watermark;                /* -1: not set */
	int poll_ms;                  /* -1: not set */
	int active_wait, long_header, rehash, hw_ts, touch, verbose;
	int cores[MAX_NUM_THREADS];
	int num_cores;
	int idle_secs;                /* 0: never stop on idle */
};

struct thread_ctx {
	int id;
	pfring *ring;
	pthread_t tid;
	int started;
	/* written by the thread only, read by the main thread (relaxed atomics) */
	u_int64_t pkts, bytes;
	int error;                    /* the recv error that ended the thread, or 0 */
	/* main thread only */
	u_int64_t last_pkts, last_bytes;
};

static struct options opt;
static struct thread_ctx threads[MAX_NUM_THREADS];
static volatile sig_atomic_t stop_signal;
static int stopping;                 /* set by the main thread, read by workers */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile u_int32_t touch_sink;

/* ------------------------------------------------------------------ usage */

static void usage(FILE *out)
{
	fprintf(out,
"pfcount - count packets with PF_RING (pfring %s)\n"
"\n"
"Usage: pfcount -i <device> [options]\n"
"-h              Print this help\n"
"-i <device>     Device name (default %s). Use:\n"
"                - ethX, ethX@Q for one RX queue (channel)\n"
"                - sim:NAME[@Q]?pcap=FILE&queues=N&... for a simulated NIC\n"
"                  (docs/sim.md)\n"
"                - multi:ethX;ethY, dna:ethX[@Q], dnacluster:X[@Y]\n"
"-n <threads>    Number of polling threads, each with its own ring in one\n"
"                cluster (1..%d, default 1)\n"
"-c <cluster id> Join the rings to this cluster (default %d when -n > 1)\n"
"-b <type>       Cluster type: flow (6-tuple), rr (round robin, default),\n"
"                2-tuple, 4-tuple, 5-tuple, tcp-5-tuple, or 0..5\n"
"-e <direction>  0=RX+TX, 1=RX only, 2=TX only\n"
"-f <filter>     BPF filter (e.g. 'tcp and port 80')\n"
"-l <len>        Capture length (default %d; 0 = whole packets)\n"
"-w <watermark>  Poll watermark (packets)\n"
"-p <poll wait>  Poll duration (msec)\n"
"-a              Active packet wait (non-blocking receive loop)\n"
"-m              Long packet header (PF_RING_LONG_HEADER; -v prints it)\n"
"-r              Rehash RSS packets (pfring_enable_rss_rehash)\n"
"-s              Enable hw timestamping (PF_RING_HW_TIMESTAMP)\n"
"-t              Touch payload (read every byte, to load it into the cache)\n"
"-g <core:core>  Bind thread i to the i-th core of the list (e.g. 0:1)\n"
"-d <device>     Device on which incoming packets are copied (reflector)\n"
"-v              Verbose: print every packet (-v -v: with a hex dump)\n"
"-q <secs>       Exit after the link has been idle for <secs> seconds\n"
"                (pfring extension)\n",
		"5.4.6", DEFAULT_DEVICE, MAX_NUM_THREADS, DEFAULT_CLUSTER_ID, DEFAULT_SNAPLEN);
}

/* ---------------------------------------------------------------- options */

static cluster_type parse_cluster_type(const char *s)
{
	static const struct { const char *name; cluster_type t; } names[] = {
		{ "flow", cluster_per_flow },          { "per-flow", cluster_per_flow },
		{ "6-tuple", cluster_per_flow },       { "rr", cluster_round_robin },
		{ "round-robin", cluster_round_robin }, { "2-tuple", cluster_per_flow_2_tuple },
		{ "4-tuple", cluster_per_flow_4_tuple }, { "5-tuple", cluster_per_flow_5_tuple },
		{ "tcp-5-tuple", cluster_per_flow_tcp_5_tuple },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].t;
	if (isdigit((unsigned char)s[0]))
		return (cluster_type)tool_parse_num('b', s, cluster_per_flow, cluster_per_flow_tcp_5_tuple);
	tool_die_usage("-b: unknown cluster type '%s' (flow, rr, 2-tuple, 4-tuple, 5-tuple, "
		  "tcp-5-tuple, or 0..5)", s);
}

static void parse_cores(const char *s)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *copy = strdup(s), *tok, *save = NULL;

	if (copy == NULL)
		tool_die_usage("out of memory");
	opt.num_cores = 0;
	for (tok = strtok_r(copy, ":,", &save); tok; tok = strtok_r(NULL, ":,", &save)) {
		if (opt.num_cores == MAX_NUM_THREADS) {
			free(copy);
			tool_die_usage("-g: more than %d cores", MAX_NUM_THREADS);
		}
		opt.cores[opt.num_cores++] = (int)tool_parse_num('g', tok, 0, ncpu > 0 ? ncpu - 1 : 0);
	}
	free(copy);
	if (opt.num_cores == 0)
		tool_die_usage("-g: empty core list");
}

static void parse_options(int argc, char *argv[])
{
	int c;

	opt.device = DEFAULT_DEVICE;
	opt.cluster_id = -1;
	opt.ctype = cluster_round_robin;
	opt.direction = -1;
	opt.caplen = DEFAULT_SNAPLEN;
	opt.threads = 1;
	opt.watermark = -1;
	opt.poll_ms = -1;
	opterr = 0;
	while ((c = getopt(argc, argv, ":hi:c:b:e:f:l:n:w:p:amrstg:d:vq:")) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(0);
		case 'i': opt.device = optarg; break;
		case 'c': opt.cluster_id = (int)tool_parse_num('c', optarg, 0, INT_MAX); break;
		case 'b': opt.ctype = parse_cluster_type(optarg); break;
		case 'e': opt.direction = (int)tool_parse_num('e', optarg, 0, 2); break;
		case 'f': opt.bpf = optarg; break;
		case 'l': opt.caplen = (u_int)tool_parse_num('l', optarg, 0, MAX_CAPLEN); break;
		case 'n': opt.threads = (int)tool_parse_num('n', optarg, 1, MAX_NUM_THREADS); break;
		case 'w': opt.watermark = (int)tool_parse_num('w', optarg, 1, 65535); break;
		case 'p': opt.poll_ms = (int)tool_parse_num('p', optarg, 0, 65535); break;
		case 'a': opt.active_wait = 1; break;
		case 'm': opt.long_header = 1; break;
		case 'r': opt.rehash = 1; break;
		case 's': opt.hw_ts = 1; break;
		case 't': opt.touch = 1; break;
		case 'g': parse_cores(optarg); break;
		case 'd': opt.reflector = optarg; break;
		case 'v': opt.verbose++; break;
		case 'q': opt.idle_secs = (int)tool_parse_num('q', optarg, 1, 86400); break;
		case ':': tool_die_usage("option -%c needs an argument", optopt);
		default:  tool_die_usage("unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		tool_die_usage("unexpected argument '%s'", argv[optind]);
	if (opt.threads > 1 && opt.cluster_id < 0)
		opt.cluster_id = DEFAULT_CLUSTER_ID;
}

/* ---------------------------------------------------------------- packets */

static void hex_dump(const u_char *p, u_int len)
{
	u_int i;

	for (i = 0; i < len; i++)
		printf("%02X%s", p[i], (i % 16 == 15 || i + 1 == len) ? "\n" : " ");
}

/* One line per packet, as 5.4.6 pfcount -v: time, then the parsed header. */
static void print_packet(const struct thread_ctx *t, const struct pfring_pkthdr *h,
			 const u_char *p)
{
	struct pfring_pkthdr parsed = *h;
	char line[1024];
	time_t secs = h->ts.tv_sec;
	struct tm tm;
	u_int usec = (u_int)h->ts.tv_usec;

	/* without a long header the ring did not parse: parse a copy here */
	if (!opt.long_header) {
		memset(&parsed.extended_hdr, 0, sizeof(parsed.extended_hdr));
		pfring_parse_pkt((u_char *)p, &parsed, 5, 0, 1);
	}
	pfring_print_parsed_pkt(line, sizeof(line), p, &parsed);
	gmtime_r(&secs, &tm);
	pthread_mutex_lock(&print_lock);
	printf("%02d:%02d:%02d.%06u ", tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	if (opt.threads > 1)
		printf("[thread %d]", t->id);
	if (opt.long_header)
		printf("[if_index=%d][%s][ts_ns=%llu][hash=%u]", h->extended_hdr.if_index,
		       h->extended_hdr.rx_direction ? "RX" : "TX",
		       (unsigned long long)h->extended_hdr.timestamp_ns,
		       h->extended_hdr.pkt_hash);
	printf("%s%s", opt.threads > 1 || opt.long_header ? " " : "", line);
	if (opt.verbose > 1)
		hex_dump(p, h->caplen);
	pthread_mutex_unlock(&print_lock);
}

static void account(struct thread_ctx *t, const struct pfring_pkthdr *h, const u_char *p)
{
	if (opt.touch) {
		u_int32_t sum = 0, i;

		for (i = 0; i < h->caplen; i++)
			sum += p[i];
		touch_sink += sum;
	}
	if (opt.verbose)
		print_packet(t, h, p);
	__atomic_store_n(&t->pkts, t->pkts + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&t->bytes, t->bytes + h->len, __ATOMIC_RELAXED);
}

static void bind_to_core(struct thread_ctx *t)
{
	char what[32];

	if (t->id >= opt.num_cores)
		return;
	snprintf(what, sizeof(what), "thread %d", t->id);
	tool_bind_to_core(opt.cores[t->id], what);
}

/* Zero-copy receive loop: each thread owns its ring, so no PF_RING_REENTRANT. */
static void *consumer_thread(void *arg)
{
	struct thread_ctx *t = arg;
	struct pfring_pkthdr hdr;
	u_char *buffer = NULL;
	u_int8_t wait = opt.active_wait ? 0 : 1;
	int rc;

	bind_to_core(t);
	memset(&hdr, 0, sizeof(hdr));
	while (!__atomic_load_n(&stopping, __ATOMIC_RELAXED)) {
		rc = pfring_recv(t->ring, &buffer, 0, &hdr, wait);
		if (rc > 0) {
			account(t, &hdr, buffer);
		} else if (rc == 0) {
			if (!wait)
				sched_yield();
		} else {
			if (!__atomic_load_n(&stopping, __ATOMIC_RELAXED)) {
				__atomic_store_n(&t->error, rc, __ATOMIC_RELAXED);
				fprintf(stderr, "pfcount: thread %d: pfring_recv returned %d (%s)\n",
					t->id, rc, strerror(errno));
			}
			break;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ rings */

static const char *cluster_type_name(cluster_type t)
{
	static const char *names[] = { "per-flow", "round-robin", "2-tuple",
				       "4-tuple", "5-tuple", "tcp-5-tuple" };

	return (unsigned)t < 6 ? names[t] : "?";
}

/* Every setting of the options on one ring; 0, or -1 after a message. */
static int configure_ring(pfring *ring, int id)
{
	int rc;

	pfring_set_application_name(ring, "pfcount");
	if (opt.cluster_id >= 0) {
		rc = pfring_set_cluster(ring, (u_int)opt.cluster_id, opt.ctype);
		if (rc != 0) {
			fprintf(stderr, "pfcount: thread %d: pfring_set_cluster(%d, %s) returned %d\n",
				id, opt.cluster_id, cluster_type_name(opt.ctype), rc);
			return -1;
		}
	}
	if (opt.direction >= 0 &&
	    (rc = pfring_set_direction(ring, (packet_direction)opt.direction)) != 0) {
		fprintf(stderr, "pfcount: pfring_set_direction(%d) returned %d\n", opt.direction, rc);
		return -1;
	}
	if (opt.bpf && (rc = pfring_set_bpf_filter(ring, (char *)opt.bpf)) != 0) {
		fprintf(stderr, "pfcount: pfring_set_bpf_filter('%s') returned %d\n", opt.bpf, rc);
		return -1;
	}
	if (opt.watermark > 0 && (rc = pfring_set_poll_watermark(ring, (u_int16_t)opt.watermark)) != 0) {
		fprintf(stderr, "pfcount: pfring_set_poll_watermark(%d) returned %d\n", opt.watermark, rc);
		return -1;
	}
	if (opt.poll_ms >= 0 && (rc = pfring_set_poll_duration(ring, (u_int)opt.poll_ms)) != 0) {
		fprintf(stderr, "pfcount: pfring_set_poll_duration(%d) returned %d\n", opt.poll_ms, rc);
		return -1;
	}
	/* a tuning hint, ignored by 5.4.6 pfcount when refused: warn, go on */
	if (opt.rehash && (rc = pfring_enable_rss_rehash(ring)) != 0 && id == 0)
		fprintf(stderr, "pfcount: warning: pfring_enable_rss_rehash returned %d "
			"(not supported on this device); counting without it\n", rc);
	if (opt.reflector && (rc = pfring_set_reflector_device(ring, (char *)opt.reflector)) != 0) {
		fprintf(stderr, "pfcount: pfring_set_reflector_device(%s) returned %d\n",
			opt.reflector, rc);
		return -1;
	}
	/* a backend that cannot tell RX from TX refuses this: not worth stopping */
	if ((rc = pfring_set_socket_mode(ring, recv_only_mode)) != 0)
		fprintf(stderr, "pfcount: pfring_set_socket_mode returned %d\n", rc);
	if ((rc = pfring_enable_ring(ring)) != 0) {
		fprintf(stderr, "pfcount: pfring_enable_ring returned %d\n", rc);
		return -1;
	}
	return 0;
}

static u_int32_t open_flags(void)
{
	u_int32_t flags = PF_RING_PROMISC | PF_RING_DNA_SYMMETRIC_RSS;

	if (opt.long_header)
		flags |= PF_RING_LONG_HEADER;
	if (opt.hw_ts)
		flags |= PF_RING_HW_TIMESTAMP;
	return flags;
}

static void print_device_info(pfring *ring)
{
	u_char mac[6];
	u_int32_t version = 0;
	int ifindex = -1;

	pfring_version(ring, &version);
	printf("Using PF_RING v.%u.%u.%u\n", (version >> 16) & 0xffff, (version >> 8) & 0xff,
	       version & 0xff);
	if (pfring_get_bound_device_address(ring, mac) != 0) {
		printf("Capturing from %s\n", opt.device);
	} else {
		pfring_get_bound_device_ifindex(ring, &ifindex);
		printf("Capturing from %s [%02X:%02X:%02X:%02X:%02X:%02X][ifIndex: %d]\n",
		       opt.device, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], ifindex);
	}
	printf("# Device RX channels: %d\n", pfring_get_num_rx_channels(ring));
	printf("# Polling threads:    %d\n", opt.threads);
	if (opt.cluster_id >= 0)
		printf("# Cluster:            %d (%s)\n", opt.cluster_id, cluster_type_name(opt.ctype));
	if (opt.bpf)
		printf("# BPF filter:         %s\n", opt.bpf);
	fflush(stdout);
}

/* Opens and configures every thread's ring; 0, or -1 after a message. */
static int open_rings(void)
{
	int i;

	for (i = 0; i < opt.threads; i++) {
		threads[i].id = i;
		threads[i].ring = pfring_open(opt.device, opt.caplen, open_flags());
		if (threads[i].ring == NULL) {
			fprintf(stderr, "pfcount: pfring_open(%s) failed: %s\n", opt.device,
				strerror(errno));
			return -1;
		}
		if (i == 0)
			print_device_info(threads[i].ring);
		if (configure_ring(threads[i].ring, i) != 0)
			return -1;
	}
	if (opt.hw_ts) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		if (pfring_set_device_clock(threads[0].ring, &ts) < 0)
			fprintf(stderr, "pfcount: error setting the device clock\n");
	}
	return 0;
}

static void close_rings(void)
{
	int i;

	for (i = 0; i < opt.threads; i++)
		if (threads[i].ring)
			pfring_close(threads[i].ring);
}

/* ------------------------------------------------------------------ stats */

static char *fmt(double v, char *buf, u_int len, int decimals)
{
	return pfring_format_numbers(v, buf, len, (u_int8_t)decimals);
}

static void print_absolute(const char *who, const pfring_stat *s)
{
	char b1[64], b2[64], b3[64];
	u_int64_t total = s->recv + s->drop;

	fprintf(stderr, "Absolute Stats: %s[%s pkts rcvd][%s pkts dropped]\n", who,
		fmt((double)s->recv, b1, sizeof(b1), 0), fmt((double)s->drop, b2, sizeof(b2), 0));
	fprintf(stderr, "Total Pkts=%s/Dropped=%.1f %%\n", fmt((double)total, b3, sizeof(b3), 0),
		total == 0 ? 0.0 : (double)s->drop * 100.0 / (double)total);
}

/* pfring_stats() of every ring (per thread when there are several) and the total. */
static void print_absolute_all(void)
{
	pfring_stat sum = { 0, 0 }, s;
	int i;

	for (i = 0; i < opt.threads; i++) {
		if (pfring_stats(threads[i].ring, &s) < 0) {
			fprintf(stderr, "Absolute Stats: [thread %d] pfring_stats failed: %s\n", i,
				strerror(errno));
			continue;
		}
		sum.recv += s.recv;
		sum.drop += s.drop;
		if (opt.threads > 1) {
			char b1[64], b2[64];

			fprintf(stderr, "Absolute Stats: [thread %d][%s pkts rcvd][%s pkts dropped]\n",
				i, fmt((double)s.recv, b1, sizeof(b1), 0),
				fmt((double)s.drop, b2, sizeof(b2), 0));
		}
	}
	print_absolute("", &sum);
}

static void counted(u_int64_t *pkts, u_int64_t *bytes)
{
	int i;

	*pkts = *bytes = 0;
	for (i = 0; i < opt.threads; i++) {
		*pkts += __atomic_load_n(&threads[i].pkts, __ATOMIC_RELAXED);
		*bytes += __atomic_load_n(&threads[i].bytes, __ATOMIC_RELAXED);
	}
}

static void print_rate_line(u_int64_t pkts, u_int64_t bytes, double ms)
{
	char b1[64], b2[64], b3[64], b4[64];

	fprintf(stderr, "%s pkts - %s bytes", fmt((double)pkts, b1, sizeof(b1), 0),
		fmt((double)bytes, b2, sizeof(b2), 0));
	if (ms > 0)
		fprintf(stderr, " [%s pkt/sec - %s Mbit/sec]",
			fmt((double)pkts * 1000.0 / ms, b3, sizeof(b3), 1),
			fmt((double)bytes * 8.0 / (ms * 1000.0), b4, sizeof(b4), 1));
	fprintf(stderr, "\n");
}

static void print_actual(const char *who, u_int64_t pkts, u_int64_t bytes, double ms)
{
	char b1[64], b2[64], b3[64], b4[64];
	double secs = ms / 1000.0;

	fprintf(stderr, "Actual Stats: %s%s pkts [%s ms][%s pps/%s Gbps]\n", who,
		fmt((double)pkts, b1, sizeof(b1), 0), fmt(ms, b2, sizeof(b2), 1),
		fmt(secs > 0 ? (double)pkts / secs : 0, b3, sizeof(b3), 1),
		fmt(secs > 0 ? (double)bytes * 8.0 / 1e9 / secs : 0, b4, sizeof(b4), 2));
}

/* The periodic block: absolute since start, actual since the last block. */
static void print_stats(u_int64_t start_ms, u_int64_t last_ms)
{
	u_int64_t now = tool_now_ms(), pkts, bytes, dp = 0, db = 0;
	double ms = (double)(now - last_ms);
	char who[32];
	int i;

	counted(&pkts, &bytes);
	fprintf(stderr, "=========================\n");
	print_absolute_all();
	print_rate_line(pkts, bytes, (double)(now - start_ms));
	fprintf(stderr, "=========================\n");
	/* the interval's counts per thread, and their sum as the total */
	for (i = 0; i < opt.threads; i++) {
		u_int64_t p = __atomic_load_n(&threads[i].pkts, __ATOMIC_RELAXED);
		u_int64_t b = __atomic_load_n(&threads[i].bytes, __ATOMIC_RELAXED);

		if (opt.threads > 1) {
			snprintf(who, sizeof(who), "[thread %d] ", i);
			print_actual(who, p - threads[i].last_pkts, b - threads[i].last_bytes, ms);
		}
		dp += p - threads[i].last_pkts;
		db += b - threads[i].last_bytes;
		threads[i].last_pkts = p;
		threads[i].last_bytes = b;
	}
	print_actual("", dp, db, ms);
	fprintf(stderr, "=========================\n\n");
}

/* end_ms: when pfcount decided to stop (joining a blocked thread can take a poll). */
static void print_final(const char *why, u_int64_t start_ms, u_int64_t end_ms)
{
	u_int64_t pkts, bytes, ms = end_ms - start_ms;
	char b1[64];

	counted(&pkts, &bytes);
	fprintf(stderr, "=========================\n");
	fprintf(stderr, "Final Stats (%s, after %s ms)\n", why, fmt((double)ms, b1, sizeof(b1), 0));
	print_absolute_all();
	print_rate_line(pkts, bytes, (double)ms);
	fprintf(stderr, "=========================\n");
}

/* ------------------------------------------------------------------- main */

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int start_threads(void)
{
	int i, rc;

	for (i = 0; i < opt.threads; i++) {
		rc = pthread_create(&threads[i].tid, NULL, consumer_thread, &threads[i]);
		if (rc != 0) {
			fprintf(stderr, "pfcount: pthread_create: %s\n", strerror(rc));
			return -1;
		}
		threads[i].started = 1;
	}
	return 0;
}

/* Wakes every thread (breakloop, then shutdown for one blocked in recv) and joins it. */
static void stop_threads(void)
{
	int i;

	__atomic_store_n(&stopping, 1, __ATOMIC_RELAXED);
	for (i = 0; i < opt.threads; i++) {
		if (threads[i].ring == NULL)
			continue;
		pfring_breakloop(threads[i].ring);
		pfring_shutdown(threads[i].ring);
	}
	for (i = 0; i < opt.threads; i++)
		if (threads[i].started)
			pthread_join(threads[i].tid, NULL);
}

/* How many threads stopped on a receive error. */
static int failed_threads(void)
{
	int i, n = 0;

	for (i = 0; i < opt.threads; i++)
		n += __atomic_load_n(&threads[i].error, __ATOMIC_RELAXED) != 0;
	return n;
}

/* Prints stats every second until a signal, the idle timeout or the threads' end. */
static const char *watch(u_int64_t start_ms)
{
	u_int64_t last_stats = start_ms, last_activity = start_ms, seen = 0, pkts, bytes, now;
	static char why[64];

	for (;;) {
		usleep(TICK_MS * 1000);
		now = tool_now_ms();
		if (stop_signal) {
			fprintf(stderr, "Leaving...\n");
			snprintf(why, sizeof(why), "signal %d", (int)stop_signal);
			return why;
		}
		if (failed_threads() == opt.threads)
			return "receive error";
		counted(&pkts, &bytes);
		if (pkts != seen) {
			seen = pkts;
			last_activity = now;
		} else if (opt.idle_secs && now - last_activity >= (u_int64_t)opt.idle_secs * 1000) {
			snprintf(why, sizeof(why), "idle for %d s", opt.idle_secs);
			return why;
		}
		if (now - last_stats >= STATS_INTERVAL_MS) {
			print_stats(start_ms, last_stats);
			last_stats = now;
		}
	}
}

int main(int argc, char *argv[])
{
	struct sigaction sa;
	u_int64_t start_ms, end_ms;
	const char *why;
	int rc = 1;

	tool_name = "pfcount";
	parse_options(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (open_rings() != 0)
		goto out;
	start_ms = tool_now_ms();
	if (start_threads() != 0) {
		stop_threads();
		goto out;
	}
	why = watch(start_ms);
	end_ms = tool_now_ms();
	stop_threads();
	print_final(why, start_ms, end_ms);
	rc = failed_threads() ? 1 : 0;     /* one failed thread is an error too */
out:
	close_rings();
	return rc;
}
