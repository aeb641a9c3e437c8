/*
 * bench/bench_sim_capture.c - a pfcount-style capture on a simulated NIC
 * (sim:) beside tcpdump reading the same frames from a file.
 *
 *   1. one ring: tests/fixtures/mix64.pcap (3000 frames of 64 bytes) replayed
 *      LOOPS times through "sim:", ring opened with PF_RING_LONG_HEADER (so
 *      every frame is parsed) and joined to a per-flow cluster of 1 (so the
 *      cluster step runs); pfring_recv zero-copy, counting packets and bytes.
 *   2. the same into a per-flow cluster of 2 rings, one thread each; the
 *      figure is the per-member rate (frames / 2 / wall time).
 *
 * Peer: the same M frames written once to a capture file with libpcap (the
 * fixture repeated, time shifted per loop as sim: does), then timed as
 * `tcpdump -r FILE -w /dev/null` in a child process (posix_spawn; wall time
 * from spawn to exit, process start included; the file is read once first so
 * it is in the page cache). -w /dev/null is tcpdump's capture path: read and
 * write every frame, no dissection, no printing; the printing path
 * (`-nn -q > /dev/null`) is measured too: both are rows.
 *
 * Each figure is the best of ROUNDS rounds, ours and the peer's interleaved.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include <pfring.h>

#include "bench.h"

#define FIXTURE    "tests/fixtures/mix64.pcap"
#define LOOPS      1000                 /* 3000 frames x 1000 = 3 M frames */
#define ROUNDS     3
#define CLUSTER_ID 77

extern char **environ;

static uint64_t fixture_frames;

/* ------------------------------------------------------------ the peer */

/* The fixture LOOPS times into path, each loop shifted by span + 1 us. */
static uint64_t write_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *in = pcap_open_offline(FIXTURE, err), *dead;
	struct pcap_pkthdr *h, hh;
	const u_char *d;
	pcap_dumper_t *out;
	u_char (*data)[64];
	struct pcap_pkthdr *hdrs;
	uint64_t n = 0, i, l, span, us;

	if (!in) {
		fprintf(stderr, "%s: %s (run from the repository root)\n", FIXTURE, err);
		exit(1);
	}
	hdrs = calloc(4096, sizeof(*hdrs));
	data = calloc(4096, sizeof(*data));
	while (pcap_next_ex(in, &h, &d) == 1 && n < 4096) {
		hdrs[n] = *h;
		memcpy(data[n], d, h->caplen < 64 ? h->caplen : 64);
		n++;
	}
	pcap_close(in);
	span = (uint64_t)(hdrs[n - 1].ts.tv_sec - hdrs[0].ts.tv_sec) * 1000000u +
	       (uint64_t)(hdrs[n - 1].ts.tv_usec - hdrs[0].ts.tv_usec) + 1;
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	out = pcap_dump_open(dead, path);
	if (!out) {
		fprintf(stderr, "%s: %s\n", path, pcap_geterr(dead));
		exit(1);
	}
	for (l = 0; l < LOOPS; l++) {
		for (i = 0; i < n; i++) {
			hh = hdrs[i];
			us = (uint64_t)hh.ts.tv_usec + l * span;
			hh.ts.tv_sec += (time_t)(us / 1000000u);
			hh.ts.tv_usec = (suseconds_t)(us % 1000000u);
			pcap_dump((u_char *)out, &hh, data[i]);
		}
	}
	pcap_dump_close(out);
	pcap_close(dead);
	free(hdrs);
	free(data);
	fixture_frames = n;
	return n * LOOPS;
}

/* Wall time of argv as a child, stdout to /dev/null; 0 if it failed. */
static uint64_t time_child(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	uint64_t t0, t1;
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = bench_now_ns();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return 0;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		pid = -1;
	t1 = bench_now_ns();
	posix_spawn_file_actions_destroy(&fa);
	return pid < 0 ? 0 : t1 - t0;
}

/* ------------------------------------------------------------ ours */

static pfring *open_ring(const char *dev)
{
	pfring *r = pfring_open(dev, 1536, PF_RING_LONG_HEADER);

	if (!r) {
		perror(dev);
		exit(1);
	}
	if (pfring_set_cluster(r, CLUSTER_ID, cluster_per_flow) != 0 ||
	    pfring_enable_ring(r) != 0) {
		fprintf(stderr, "%s: cluster or enable failed\n", dev);
		exit(1);
	}
	return r;
}

static char dev_opts[512];

/* One ring in a cluster of one: frames per second. */
static double ours_one(uint64_t m)
{
	struct pfring_pkthdr h;
	uint64_t n = 0, bytes = 0, t0, t1;
	pfring *r;
	u_char *d;

	snprintf(dev_opts, sizeof(dev_opts), "sim:cap1?pcap=%s&loop=%u", FIXTURE, LOOPS);
	r = open_ring(dev_opts);
	t0 = bench_now_ns();
	while (pfring_recv(r, &d, 0, &h, 0) == 1) {
		n++;
		bytes += h.len + d[0];
	}
	t1 = bench_now_ns();
	bench_keep(bytes);
	pfring_close(r);
	if (n != m) {
		fprintf(stderr, "one ring: %llu frames, expected %llu\n",
			(unsigned long long)n, (unsigned long long)m);
		exit(1);
	}
	return (double)m * 1e9 / (double)(t1 - t0);
}

struct member {
	pfring *r;
	_Atomic uint64_t *total;
	uint64_t target, n, bytes, deadline;
};

static void *member_loop(void *arg)
{
	struct member *mb = arg;
	struct pfring_pkthdr h;
	u_char *d;
	int rc;

	/* wait=0: a 0 may mean the other member's ring holds the wire */
	while (atomic_load_explicit(mb->total, memory_order_relaxed) < mb->target) {
		rc = pfring_recv(mb->r, &d, 0, &h, 0);
		if (rc == 1) {
			mb->n++;
			mb->bytes += h.len + d[0];
			atomic_fetch_add_explicit(mb->total, 1, memory_order_relaxed);
		} else if (rc < 0 || bench_now_ns() > mb->deadline) {
			break;
		}
	}
	return NULL;
}

/* Two rings in a per-flow cluster, a thread each: per-member frames per second. */
static double ours_two(uint64_t m)
{
	_Atomic uint64_t total = 0;
	struct member mb[2];
	pthread_t th[2];
	uint64_t t0, t1;
	int i;

	snprintf(dev_opts, sizeof(dev_opts), "sim:cap2?pcap=%s&loop=%u", FIXTURE, LOOPS);
	memset(mb, 0, sizeof(mb));
	mb[0].r = open_ring(dev_opts);
	mb[1].r = open_ring("sim:cap2");
	t0 = bench_now_ns();
	for (i = 0; i < 2; i++) {
		mb[i].total = &total;
		mb[i].target = m;
		mb[i].deadline = t0 + 120000000000ull;
		pthread_create(&th[i], NULL, member_loop, &mb[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	t1 = bench_now_ns();
	for (i = 0; i < 2; i++) {
		bench_keep(mb[i].bytes);
		pfring_close(mb[i].r);
	}
	if (mb[0].n + mb[1].n != m) {
		fprintf(stderr, "cluster of 2: %llu + %llu frames, expected %llu\n",
			(unsigned long long)mb[0].n, (unsigned long long)mb[1].n,
			(unsigned long long)m);
		exit(1);
	}
	fprintf(stderr, "cluster of 2: members got %llu and %llu, aggregate %.2f Mpps\n",
		(unsigned long long)mb[0].n, (unsigned long long)mb[1].n,
		(double)m * 1e3 / (double)(t1 - t0));
	return (double)m / 2 * 1e9 / (double)(t1 - t0);
}

/* ------------------------------------------------------------ main */

static double best(double a, double b)
{
	return a > b ? a : b;
}

int main(void)
{
	char path[] = "/tmp/bench_sim_capture_XXXXXX";
	int fd = mkstemp(path);
	char *tw[] = { "tcpdump", "-r", path, "-w", "/dev/null", NULL };
	char *tp[] = { "tcpdump", "-r", path, "-nn", "-q", NULL };
	double one = 0, two = 0, peer_w = 0, peer_p = 0;
	uint64_t m, ns;
	int k;

	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	m = write_capture(path);
	fprintf(stderr, "%llu frames (%s x %u), tcpdump file %s\n", (unsigned long long)m,
		FIXTURE, LOOPS, path);
	if (!time_child(tw)) {          /* warm the page cache; tcpdump must work */
		fprintf(stderr, "tcpdump failed (is it installed? ci/packages.sh bench)\n");
		unlink(path);
		return 1;
	}
	for (k = 0; k < ROUNDS; k++) {
		one = best(one, ours_one(m));
		ns = time_child(tw);
		if (ns)
			peer_w = best(peer_w, (double)m * 1e9 / (double)ns);
		two = best(two, ours_two(m));
		ns = time_child(tp);
		if (ns)
			peer_p = best(peer_p, (double)m * 1e9 / (double)ns);
	}
	unlink(path);
	/* Two peers: tcpdump reading and dissecting the capture (what "tcpdump -r"
	 * does, the peer), and tcpdump only copying it (-w /dev/null, no
	 * dissection: the harder bar). */
	bench_row("pfcount-style capture on sim: (parse + cluster + ring), 1 ring (Mpps, goal >= 3x)",
		  one / 1e6, "Mpps", "tcpdump -r -nn -q > /dev/null (same frames)", peer_p / 1e6);
	bench_row("pfcount-style capture on sim:, 1 ring (Mpps)", one / 1e6, "Mpps",
		  "tcpdump -r -w /dev/null (copy, no dissection)", peer_w / 1e6);
	bench_row("capture on sim:, cluster of 2 threads, per member (Mpps)", two / 1e6, "Mpps",
		  "tcpdump -r -w /dev/null (copy, no dissection)", peer_w / 1e6);
	return 0;
}
