/*
 * bench/bench_pcap_shim.c - libpcap programs through libpfring-pcap.so on sim:
 * (issue 15's bench row), beside the same programs reading the same frames
 * from a file with the plain system libpcap.
 *
 *   ours:  LD_PRELOAD=build/libpfring-pcap.so tcpdump -i 'sim:pb?pcap=FIXTURE&loop=LOOPS'
 *          -c N -w /dev/null   (sim: without rate=: lossless, as fast as the reader)
 *   peer:  tcpdump -r FILE -c N -w /dev/null, no preload
 *
 * FILE holds exactly the N frames the sim: NIC delivers (written once by this
 * program from a pfring ring on the same device string), and once per run it is
 * checked byte for byte against what tcpdump writes through the shim.
 *
 * A second pair isolates the capture from tcpdump's writing: build/bench/pcap_count
 * (bench/pcap_count.c, a plain libpcap program counting with pcap_loop) with the
 * shim on sim:, beside the same program reading FILE without it; both must count
 * N frames of the same total length.
 *
 * Every child is timed by wall time (spawn to exit) and by its CPU time (user +
 * system from wait4's rusage). The rows are frames per CPU-second (the headline:
 * both sides are one single-threaded process that never waits for input, so CPU
 * time is the work done and is not inflated by other load on the shared cores)
 * and frames per wall-second (the tcpdump pair only: per round it agrees with CPU
 * time within a few % when the machine is quiet, and not under load); each is the
 * median of ROUNDS rounds, ours and the peer's interleaved, with the range of the
 * per-round ratios in the row's name. Ratios are ours / peer: > 1 means pfring wins.
 * Without tcpdump the tcpdump rows are printed as skipped, with the reason.
 *
 * Last row: the sim: NIC alone (pfring_recv in this process on the same device,
 * the caplen the shim asks for), which bounds the rows above: the shim's capture
 * is that NIC plus libpcap's calling convention.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include <pfring.h>

#include "bench.h"

#define FIXTURE "tests/fixtures/mix64.pcap" /* 3000 frames of 64 bytes */
#define LOOPS   1000
#define FRAMES_N 3000000                    /* FIXTURE x LOOPS */
#define FRAMES  ((unsigned long long)FRAMES_N)
#define STR_(x) #x
#define STR(x)  STR_(x)
#define ROUNDS  5
#define SHIM    "build/libpfring-pcap.so"
#define COUNTER "build/bench/pcap_count"
#define SNAPLEN 262144                      /* tcpdump's default: same file header */
#define CHILD_TIMEOUT_S 60                  /* a child's run takes about 1 s */

struct timing {
	double wall_pps, cpu_pps;
};

/* One pair of programs (ours, peer), all rounds. */
struct pair {
	struct timing ours[ROUNDS], peer[ROUNDS];
};

static char shim_path[4096], dev[512], out_path[64], last_status[64] = "not run";
static char n_arg[32];
static struct pair tcpdump_pair, count_pair;
static struct timing alone[ROUNDS];
/* The capture file, tcpdump's own -w of the same frames; removed at exit. */
static char file[] = "/tmp/bench_pcap_shim_XXXXXX", check[] = "/tmp/bench_pcap_shim_XXXXXX";

/* ------------------------------------------------------------ children */

/* Runs argv with stdout and stderr into out_path (LD_PRELOAD=preload when not
 * NULL); t gets FRAMES over its wall and CPU time. 0 when it exited 0. */
static int run_child(char *const argv[], const char *preload, struct timing *t)
{
	struct rusage ru;
	uint64_t t0, t1, cpu_ns;
	int status, fd;
	pid_t pid;

	t0 = bench_now_ns();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		if (preload)
			setenv("LD_PRELOAD", preload, 1);
		/* Guard against a hang (a reader waiting on a quiet wire for frames that
		 * never come): the alarm survives execve and its signal kills the child. */
		alarm(CHILD_TIMEOUT_S);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	t1 = bench_now_ns();
	cpu_ns = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
		 (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
	if (t) {
		t->wall_pps = (double)FRAMES * 1e9 / (double)(t1 - t0);
		t->cpu_pps = cpu_ns ? (double)FRAMES * 1e9 / (double)cpu_ns : 0;
	}
	if (WIFSIGNALED(status))
		snprintf(last_status, sizeof(last_status), "killed by signal %d%s",
			 WTERMSIG(status), WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	else
		snprintf(last_status, sizeof(last_status), "exit %d", WEXITSTATUS(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The child's output (out_path), for checks and messages. */
static const char *child_output(void)
{
	static char buf[4096];
	FILE *f = fopen(out_path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	return buf;
}

static void die_child(const char *what, const char *why)
{
	fprintf(stderr, "%s: %s (%s); its output:\n%s\n", what, why, last_status, child_output());
	exit(1);
}

/* tcpdump's stderr says "N packets captured" for a live capture: must be FRAMES. */
static void check_captured(const char *what)
{
	const char *s = strstr(child_output(), " packets captured");
	const char *p = s;

	while (p && p > child_output() && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (!s || strtoull(p, NULL, 10) != FRAMES)
		die_child(what, "not " STR(FRAMES_N) " packets captured");
}

/* pcap_count's line: FRAMES frames of bytes_expected wire bytes in total. */
static void check_count(const char *what, uint64_t bytes_expected)
{
	unsigned long long frames = 0, bytes = 0, ns = 0;

	if (sscanf(child_output(), "pcap_count %llu %llu %llu", &frames, &bytes, &ns) != 3 ||
	    frames != FRAMES || bytes != bytes_expected) {
		fprintf(stderr, "expected %llu frames of %llu bytes in total\n", FRAMES,
			(unsigned long long)bytes_expected);
		die_child(what, "wrong count");
	}
	fprintf(stderr, "  %s: pcap_loop alone %.2f Mpps\n", what, (double)frames * 1e3 / (double)ns);
}

/* ------------------------------------------------------------ the file */

/* The FRAMES frames of dev, as a pfring ring receives them, into path with the
 * header tcpdump -w writes. Returns their total wire length. */
static uint64_t write_capture(const char *path)
{
	pfring *r = pfring_open(dev, SNAPLEN, 0);
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	pcap_dumper_t *out = pcap_dump_open(dead, path);
	struct pfring_pkthdr h;
	struct pcap_pkthdr ph;
	uint64_t n = 0, bytes = 0;
	u_char *d;

	if (!r || !out || pfring_enable_ring(r) != 0) {
		fprintf(stderr, "%s or %s: cannot open (run from the repository root)\n", dev, path);
		exit(1);
	}
	while (n < FRAMES && pfring_recv(r, &d, 0, &h, 0) == 1) {
		ph.ts = h.ts;
		ph.caplen = h.caplen;
		ph.len = h.len;
		pcap_dump((u_char *)out, &ph, d);
		bytes += h.len;
		n++;
	}
	pfring_close(r);
	pcap_dump_close(out);
	pcap_close(dead);
	if (n != FRAMES) {
		fprintf(stderr, "%s: %llu frames, expected %llu\n", dev, (unsigned long long)n, FRAMES);
		exit(1);
	}
	return bytes;
}

static uint64_t process_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The sim: NIC alone: pfring_recv on dev in this process, the caplen the shim
 * asks for, no libpcap. Timed from the open to the close, as a child is. */
static void nic_alone(uint64_t bytes_expected, struct timing *t)
{
	uint64_t t0 = bench_now_ns(), c0 = process_cpu_ns(), n = 0, bytes = 0, t1, c1;
	pfring *r = pfring_open(dev, SNAPLEN, 0);
	struct pfring_pkthdr h;
	u_char *d;

	if (!r || pfring_enable_ring(r) != 0) {
		fprintf(stderr, "%s: cannot open\n", dev);
		exit(1);
	}
	while (n < FRAMES && pfring_recv(r, &d, 0, &h, 0) == 1) {
		bytes += h.len;
		bench_keep(d[0]);
		n++;
	}
	pfring_close(r);
	t1 = bench_now_ns();
	c1 = process_cpu_ns();
	if (n != FRAMES || bytes != bytes_expected) {
		fprintf(stderr, "%s alone: %llu frames, %llu bytes\n", dev,
			(unsigned long long)n, (unsigned long long)bytes);
		exit(1);
	}
	t->wall_pps = (double)FRAMES * 1e9 / (double)(t1 - t0);
	t->cpu_pps = (double)FRAMES * 1e9 / (double)(c1 - c0);
}

static int same_file(const char *a, const char *b)
{
	char *argv[] = { "cmp", "-s", (char *)a, (char *)b, NULL };

	return run_child(argv, NULL, NULL) == 0;
}

/* ------------------------------------------------------------ figures */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	double s[ROUNDS];

	memcpy(s, v, sizeof(s));
	qsort(s, ROUNDS, sizeof(double), cmp_double);
	return ROUNDS % 2 ? s[ROUNDS / 2] : (s[ROUNDS / 2 - 1] + s[ROUNDS / 2]) / 2;
}

/* A pair's rows: per CPU-second, then per wall-second when with_wall. */
static void pair_rows(const struct pair *p, const char *what, const char *peer, int with_wall)
{
	double o[ROUNDS], q[ROUNDS], lo, hi, ratio;
	char fig[512];
	int k, cpu;

	for (cpu = 1; cpu >= !with_wall; cpu--) {
		lo = 1e300;
		hi = 0;
		for (k = 0; k < ROUNDS; k++) {
			o[k] = (cpu ? p->ours[k].cpu_pps : p->ours[k].wall_pps) / 1e6;
			q[k] = (cpu ? p->peer[k].cpu_pps : p->peer[k].wall_pps) / 1e6;
			ratio = q[k] > 0 ? o[k] / q[k] : 0;
			lo = ratio < lo ? ratio : lo;
			hi = ratio > hi ? ratio : hi;
		}
		snprintf(fig, sizeof(fig), "%s, %s (median of %d; ratio per round %.2f-%.2fx)",
			 what, cpu ? "Mpkts per CPU-second" : "Mpps wall", ROUNDS, lo, hi);
		bench_row(fig, median(o), "Mpps", peer, median(q));
	}
}

static void print_rounds(const struct pair *p, const char *what)
{
	for (int k = 0; k < ROUNDS; k++)
		fprintf(stderr, "%s round %d: ours %.2f Mpps/CPU-s %.2f Mpps wall, "
			"peer %.2f Mpps/CPU-s %.2f Mpps wall\n", what, k + 1,
			p->ours[k].cpu_pps / 1e6, p->ours[k].wall_pps / 1e6,
			p->peer[k].cpu_pps / 1e6, p->peer[k].wall_pps / 1e6);
}

/* ------------------------------------------------------------ main */

static int have_tcpdump(void)
{
	char *argv[] = { "tcpdump", "--version", NULL };

	return run_child(argv, NULL, NULL) == 0;
}

static void remove_temp_files(void)
{
	unlink(file);
	unlink(check);
	unlink(out_path);
}

/* The frames tcpdump writes through the shim are FILE's, byte for byte. */
static void check_same_frames(void)
{
	char *argv[] = { "tcpdump", "-Z", "root", "-i", dev, "-c", n_arg, "-w", check, NULL };

	if (run_child(argv, shim_path, NULL) != 0)
		die_child("tcpdump -i sim: -w FILE through the shim", "failed");
	check_captured("tcpdump -i sim: -w FILE through the shim");
	if (!same_file(file, check)) {
		fprintf(stderr, "tcpdump -w through the shim wrote other bytes than the file "
			"written from pfring_recv on the same device\n");
		exit(1);
	}
	fprintf(stderr, "tcpdump -w through the shim: the same %llu frames as the file\n", FRAMES);
}

/* One round: each pair's two sides back to back, and the NIC alone. */
static void run_round(int k, int tcpdump_ok, int counter_ok, uint64_t bytes)
{
	char *tw_ours[] = { "tcpdump", "-Z", "root", "-i", dev, "-c", n_arg, "-w", "/dev/null", NULL };
	char *tw_peer[] = { "tcpdump", "-Z", "root", "-r", file, "-c", n_arg, "-w", "/dev/null", NULL };
	char *cnt_ours[] = { COUNTER, "-i", dev, n_arg, NULL };
	char *cnt_peer[] = { COUNTER, "-r", file, n_arg, NULL };

	nic_alone(bytes, &alone[k]);
	if (tcpdump_ok) {
		if (run_child(tw_ours, shim_path, &tcpdump_pair.ours[k]) != 0)
			die_child("tcpdump -i sim: through the shim", "failed");
		check_captured("tcpdump -i sim: through the shim");
		if (run_child(tw_peer, NULL, &tcpdump_pair.peer[k]) != 0)
			die_child("tcpdump -r", "failed");
	}
	if (counter_ok) {
		if (run_child(cnt_ours, shim_path, &count_pair.ours[k]) != 0)
			die_child("pcap_count -i sim: through the shim", "failed");
		check_count("pcap_count -i sim: through the shim", bytes);
		if (run_child(cnt_peer, NULL, &count_pair.peer[k]) != 0)
			die_child("pcap_count -r", "failed");
		check_count("pcap_count -r", bytes);
	}
}

int main(void)
{
	const char *tcpdump_row = "tcpdump -w /dev/null via libpfring-pcap.so on sim:, 64 B";
	const char *tcpdump_peer = "tcpdump -r FILE -w /dev/null, plain libpcap, same frames";
	const char *count_row = "pcap_loop counting via libpfring-pcap.so on sim:, 64 B";
	const char *count_peer = "the same program reading FILE, plain libpcap";
	double cpu[ROUNDS], wall[ROUNDS];
	int fd, tcpdump_ok, counter_ok;
	uint64_t bytes;

	if (!realpath(SHIM, shim_path)) {
		bench_skip(tcpdump_row, SHIM " not built: make " SHIM);
		bench_skip(count_row, SHIM " not built: make " SHIM);
		return 0;
	}
	snprintf(out_path, sizeof(out_path), "/tmp/bench_pcap_shim_out_%d", (int)getpid());
	atexit(remove_temp_files);
	tcpdump_ok = have_tcpdump();
	counter_ok = access(COUNTER, X_OK) == 0;
	snprintf(dev, sizeof(dev), "sim:pb?pcap=%s&loop=%d", FIXTURE, LOOPS);
	snprintf(n_arg, sizeof(n_arg), "%llu", FRAMES);
	fd = mkstemp(file);
	if (fd < 0 || close(fd) != 0 || (fd = mkstemp(check)) < 0 || close(fd) != 0) {
		perror("mkstemp");
		return 1;
	}
	bytes = write_capture(file);
	fprintf(stderr, "%llu frames (%s x %d), file %s\n", FRAMES, FIXTURE, LOOPS, file);
	if (tcpdump_ok)
		check_same_frames();
	unlink(check);
	for (int k = 0; k < ROUNDS; k++)
		run_round(k, tcpdump_ok, counter_ok, bytes);

	if (tcpdump_ok) {
		print_rounds(&tcpdump_pair, "tcpdump");
		pair_rows(&tcpdump_pair, tcpdump_row, tcpdump_peer, 1);
	} else {
		bench_skip(tcpdump_row, "tcpdump not installed (apt-get install tcpdump)");
	}
	if (counter_ok) {
		print_rounds(&count_pair, "pcap_count");
		pair_rows(&count_pair, count_row, count_peer, 0);
	} else {
		bench_skip(count_row, COUNTER " not built: make " COUNTER);
	}
	for (int k = 0; k < ROUNDS; k++) {
		cpu[k] = alone[k].cpu_pps / 1e6;
		wall[k] = alone[k].wall_pps / 1e6;
	}
	fprintf(stderr, "sim: NIC alone: Mpkts per CPU-second %.2f, Mpps wall %.2f (medians)\n",
		median(cpu), median(wall));
	bench_row("sim: NIC alone, pfring_recv, caplen 262144, no shim (ceiling of the rows above), "
		  "Mpkts per CPU-second", median(cpu), "Mpps", NULL, 0);
	return 0;
}
