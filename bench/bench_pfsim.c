/*
 * bench/bench_pfsim.c - a per-flow cluster of 2 processes through pfsim (the
 * shared-memory simulated NIC), Mpps per member, beside one in-process sim:
 * ring reading the same frames in the same run.
 *
 * Each round starts pfsim (pfsim_main in a child, -w 2: the wire waits for both
 * members), forks two member processes that open "sim:NAME", join cluster 5
 * (per flow) and count until the link has been idle for 300 ms; a member's
 * rate is its frames over the time from its first to its last frame. The sum of
 * the members' frames must equal the frames on the wire, or the bench fails.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pfring.h>
#include "backends/sim/shared_proto.h"
#include "tools/pfsim/daemon.h"
#include "bench.h"

#define FIXTURE  "tests/fixtures/mix64.pcap"
#define FRAMES   3000u   /* frames in FIXTURE */
#define LOOPS    600u
#define ROUNDS   3
#define IDLE_NS  300000000ull

struct result {
	uint64_t frames, ns;
};

/* Count frames on dev until it has been idle for IDLE_NS (or 20 s pass). */
static struct result count_frames(pfring *r)
{
	struct result res = { 0, 0 };
	struct pfring_pkthdr h;
	uint64_t first = 0, last = 0, start = bench_now_ns(), now;
	u_char *d;
	int rc;

	for (;;) {
		rc = pfring_recv(r, &d, 0, &h, 0);
		now = bench_now_ns();
		if (rc == 1) {
			if (!res.frames)
				first = now;
			last = now;
			res.frames++;
			bench_keep(d[0]);
			continue;
		}
		if (rc < 0 || (res.frames && now - last > IDLE_NS) ||
		    now - start > 20000000000ull)
			break;
	}
	res.ns = last - first;
	return res;
}

static void member(const char *dev, int fd)
{
	pfring *r = pfring_open(dev, 128, PF_RING_LONG_HEADER);
	struct result res = { 0, 0 };

	if (r && pfring_set_cluster(r, 5, cluster_per_flow) == 0 && pfring_enable_ring(r) == 0)
		res = count_frames(r);
	if (r)
		pfring_close(r);
	if (write(fd, &res, sizeof(res)) != sizeof(res))
		_exit(1);
	_exit(0);
}

static pid_t start_pfsim(const char *dir, const char *name, char *opts)
{
	char sock[256];
	char *argv[] = { "pfsim", "-n", (char *)name, "-o", opts, "-d", (char *)dir,
			 "-w", "2", NULL };
	pid_t pid = fork();
	int i;

	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(1);
		_exit(pfsim_main(9, argv));
	}
	pfsim_socket_path(dir, name, sock, sizeof(sock));
	for (i = 0; i < 1000 && access(sock, F_OK); i++)
		usleep(10000);
	return pid;
}

/* One round: per-member Mpps (mean of the two), or 0 on failure. */
static double two_process_round(const char *dir)
{
	char opts[256], dev[64];
	struct result res[2];
	int fds[2][2], i;
	pid_t sim, pid[2];
	uint64_t total = 0;
	double mpps = 0;

	snprintf(opts, sizeof(opts), "pcap=%s&loop=%u", FIXTURE, LOOPS);
	sim = start_pfsim(dir, "bp", opts);
	snprintf(dev, sizeof(dev), "sim:bp");
	for (i = 0; i < 2; i++) {
		if (pipe(fds[i]))
			return 0;
		pid[i] = fork();
		if (pid[i] == 0) {
			close(fds[i][0]);
			member(dev, fds[i][1]);
		}
		close(fds[i][1]);
	}
	for (i = 0; i < 2; i++) {
		if (read(fds[i][0], &res[i], sizeof(res[i])) != sizeof(res[i]))
			memset(&res[i], 0, sizeof(res[i]));
		close(fds[i][0]);
		waitpid(pid[i], NULL, 0);
		total += res[i].frames;
		if (res[i].ns)
			mpps += (double)res[i].frames * 1e3 / (double)res[i].ns / 2;
	}
	kill(sim, SIGTERM);
	waitpid(sim, NULL, 0);
	fprintf(stderr, "pfsim round: members got %llu + %llu of %u frames\n",
		(unsigned long long)res[0].frames, (unsigned long long)res[1].frames,
		FRAMES * LOOPS);
	if (total != (uint64_t)FRAMES * LOOPS || !res[0].frames || !res[1].frames)
		return 0;
	return mpps;
}

static double in_process_round(void)
{
	char dev[256];
	struct result res;
	pfring *r;

	snprintf(dev, sizeof(dev), "sim:bq?pcap=%s&loop=%u", FIXTURE, LOOPS);
	r = pfring_open(dev, 128, PF_RING_LONG_HEADER);
	if (!r || pfring_set_cluster(r, 6, cluster_per_flow) || pfring_enable_ring(r))
		return 0;
	res = count_frames(r);
	pfring_close(r);
	return res.frames == (uint64_t)FRAMES * LOOPS && res.ns ?
	       (double)res.frames * 1e3 / (double)res.ns : 0;
}

int main(void)
{
	char dir[] = "/tmp/pfbench.XXXXXX";
	double two = 0, one = 0, x;
	int k;

	if (!mkdtemp(dir))
		return 1;
	setenv("PFSIM_DIR", dir, 1);
	for (k = 0; k < ROUNDS; k++) {
		x = two_process_round(dir);
		if (x == 0) {
			fprintf(stderr, "bench_pfsim: a round lost frames or failed\n");
			return 1;
		}
		two = x > two ? x : two;
		x = in_process_round();
		one = x > one ? x : one;
	}
	rmdir(dir);
	bench_row("cluster of 2 processes through pfsim, per member (Mpps)", two, "Mpps",
		  "1 ring, in-process sim: (same frames)", one);
	return 0;
}
