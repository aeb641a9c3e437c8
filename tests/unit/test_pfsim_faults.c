/*
 * tests/unit/test_pfsim_faults.c - pfsim (backends/sim/shared_proto.h) against clumsy
 * and hostile peers: a client whose sampling passes 1 frame in 65000 does not
 * hold pfsim (others are served, SIGTERM ends it); a reader learns pfsim's
 * death (after the frames it already has), and a failed capture (EIO); one pfsim per name, removing only
 * its own socket; the socket folder and the peer's uid; memory limits; reclaims
 * logged only for clients that died. pfsim runs in forked children; every wait
 * is bounded, and a time asserted is a hang check, never a speed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <pfring.h>
#include "pfsim_run.h"
#include "stderr_capture.h"
#include "core/ring.h"

#define PCAP    FIXTURE_DIR "/many_flows.pcap"
#define FRAMES  2000u          /* frames of many_flows.pcap */
#define NOBODY  65534

static char *read_file(const char *path)
{
	static char buf[16384];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static char *read_log(void)
{
	char log[160];

	snprintf(log, sizeof(log), "%s/pfsim.log", pfsim_dir);
	return read_file(log);
}

static unsigned count_of(const char *s, const char *what)
{
	unsigned n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* ------------------------------------------------------- one client's load */

/* A ring whose sampling passes 1 frame in 65000 on an endless wire: pfsim
 * pumped 512 x 65536 frames for it per round (~7 s) and served nobody else. */
static pfring *busy_client(void)
{
	pfring *a = pfring_open("sim:busy", 128, 0);

	assert_non_null(a);
	assert_int_equal(pfring_set_sampling_rate(a, 65000), 0);
	assert_int_equal(pfring_enable_ring(a), 0);
	return a;
}

/* A second client's open and calls are answered while the first keeps pfsim
 * busy (each would wait for the 5 s timeout and fail with EIO before). */
static void test_busy_client_does_not_starve(void **state)
{
	pfring *a, *b;
	pfring_stat st;
	uint64_t t0;
	pid_t srv;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "busy", "pcap=" PCAP "&loop=0", "1");
	a = busy_client();
	t0 = now_ms();
	b = pfring_open("sim:busy", 128, 0);
	assert_non_null(b);
	assert_int_equal(pfring_set_direction(b, rx_only_direction), 0);
	assert_int_equal(pfring_toggle_filtering_policy(b, 1), 0);
	assert_int_equal(pfring_set_sampling_rate(b, 2), 0);
	assert_int_equal(pfring_stats(b, &st), 0);
	pfring_close(b);
	assert_true(now_ms() - t0 < 4500);   /* a hang check: each call waited 5 s */
	pfring_close(a);
	pfsim_stop(srv);
}

/* SIGTERM right after the busy client's ENABLE (the round it starts took ~7 s
 * before): pfsim ends within 3 s, status 0, socket removed. */
static void test_sigterm_under_load(void **state)
{
	char path[160];
	struct stat sb;
	pfring *a;
	pid_t srv;
	int st;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "busy", "pcap=" PCAP "&loop=0", "1");
	a = busy_client();
	kill(srv, SIGTERM);
	st = wait_bounded(srv, 3000);
	assert_true(st != -1);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	snprintf(path, sizeof(path), "%s/busy.sock", pfsim_dir);
	assert_int_equal(stat(path, &sb), -1);
	pfring_close(a);
}

/* ------------------------------------------------------- pfsim's death */

/*
 * pfsim relays all 2000 frames, then is killed (-9) before the reader reads
 * any: the reader gets the 2000 frames, then PF_RING_ERROR_GENERIC with errno
 * ENODEV, said once on stderr (wait 0 returned 0 forever before; wait 1
 * returned -1 with errno 0). Requests (disable, direction, a rule) fail the
 * same way; stats still read
 * the ring; close frees everything (valgrind).
 */
static void reader_outlives_pfsim(u_int8_t wait)
{
	struct pfring_pkthdr h;
	filtering_rule rule;
	pfring_stat st = { 0, 0 };
	char err[2048];
	unsigned got = 0;
	uint64_t end;
	u_char *p;
	pfring *r;
	pid_t srv;
	int rc, again, polled, calls[3], e[4], i;

	alarm(120);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	for (end = now_ms() + 60000; st.recv < FRAMES && now_ms() < end; usleep(2000))
		assert_int_equal(pfring_stats(r, &st), 0);
	assert_int_equal(st.recv, FRAMES);
	kill(srv, SIGKILL);
	assert_true(wait_bounded(srv, 10000) != -1);

	capture_begin();
	end = now_ms() + 10000;
	do {
		rc = pfring_recv(r, &p, 0, &h, wait);
		got += rc == 1;
	} while ((rc == 1 || rc == 0) && now_ms() < end);
	errno = 0;
	again = pfring_recv(r, &p, 0, &h, wait);
	e[0] = errno;
	polled = pfring_poll(r, 10);
	calls[0] = pfring_disable_ring(r);
	e[1] = errno;
	calls[1] = pfring_set_direction(r, rx_only_direction);
	e[2] = errno;
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 1;
	rule.rule_action = forward_packet_and_stop_rule_evaluation;
	calls[2] = pfring_add_filtering_rule(r, &rule);
	e[3] = errno;
	capture_end(err, sizeof(err));
	assert_int_equal(got, FRAMES);
	assert_int_equal(rc, PF_RING_ERROR_GENERIC);
	assert_int_equal(again, PF_RING_ERROR_GENERIC);
	assert_int_equal(polled, PF_RING_ERROR_GENERIC);
	for (i = 0; i < 3; i++)
		assert_int_equal(calls[i], PF_RING_ERROR_GENERIC);
	for (i = 0; i < 4; i++)
		assert_int_equal(e[i], ENODEV);
	assert_int_equal(count_of(err, "sim:flows: pfsim is gone"), 1);
	assert_int_equal(count_of(err, "\n"), 1);
	assert_int_equal(pfring_stats(r, &st), 0);
	assert_int_equal(st.recv, FRAMES);
	pfring_close(r);
}

static void test_death_nonblocking_reader(void **state)
{
	(void)state;
	reader_outlives_pfsim(0);
}

static void test_death_blocking_reader(void **state)
{
	(void)state;
	reader_outlives_pfsim(1);
}

/* many_flows.pcap, then a record header libpcap refuses (caplen 0xFFFFFFFF):
 * its path in pfsim_dir. */
static const char *corrupt_capture(void)
{
	static char path[160];
	static const uint32_t bad[4] = { 1700000000u, 0, 0xFFFFFFFFu, 60 };
	char buf[65536];
	ssize_t n;
	int in = open(PCAP, O_RDONLY), out;

	snprintf(path, sizeof(path), "%s/corrupt.pcap", pfsim_dir);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	assert_int_equal(write(out, bad, sizeof(bad)), sizeof(bad));
	close(in);
	close(out);
	return path;
}

/*
 * A capture corrupt after its good frames, served by pfsim: the reader gets
 * every good frame, then PF_RING_ERROR_GENERIC with errno EIO and pfsim's
 * reason, at every later recv and poll (it saw a quiet link for ever before);
 * pfsim goes on running.
 */
static void source_failure_reaches(u_int8_t wait)
{
	char opts[200], err[2048];
	struct pfring_pkthdr h;
	pfring_stat st = { 0, 0 };
	unsigned got = 0;
	uint64_t end;
	u_char *p;
	pfring *r;
	pid_t srv;
	int rc, again, polled, e[2];

	alarm(120);
	snprintf(opts, sizeof(opts), "pcap=%s", corrupt_capture());
	srv = pfsim_start(pfsim_dir, "bad", opts, "1");
	r = pfring_open("sim:bad", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	capture_begin();
	end = now_ms() + 20000;
	do {
		rc = pfring_recv(r, &p, 0, &h, wait);
		got += rc == 1;
	} while ((rc == 1 || rc == 0) && now_ms() < end);
	e[0] = errno;
	errno = 0;
	again = pfring_recv(r, &p, 0, &h, wait);
	e[1] = errno;
	polled = pfring_poll(r, 10);
	capture_end(err, sizeof(err));
	assert_int_equal(got, FRAMES);
	assert_int_equal(rc, PF_RING_ERROR_GENERIC);
	assert_int_equal(again, PF_RING_ERROR_GENERIC);
	assert_int_equal(polled, PF_RING_ERROR_GENERIC);
	assert_int_equal(e[0], EIO);
	assert_int_equal(e[1], EIO);
	assert_int_equal(count_of(err, "sim:bad: pfsim: sim:bad: the capture failed, no more "
				       "frames: "), 1);
	assert_int_equal(count_of(err, "\n"), 1);
	assert_int_equal(pfring_stats(r, &st), 0);
	assert_int_equal(st.recv, FRAMES);
	pfring_close(r);
	assert_int_equal(kill(srv, 0), 0);           /* pfsim still serves */
	pfsim_stop(srv);
}

static void test_source_failure_nonblocking_reader(void **state)
{
	(void)state;
	source_failure_reaches(0);
}

static void test_source_failure_blocking_reader(void **state)
{
	(void)state;
	source_failure_reaches(1);
}

/* ------------------------------------------------------- one pfsim per name */

/* A second pfsim for the same name exits 1 with a message while the first is
 * alive (it took the path over and deleted it on exit before); the first still
 * serves, and removes its socket and lock on exit. */
static void test_second_pfsim_refused(void **state)
{
	char log[160], sock[160], lock[170];
	char *argv[] = { "pfsim", "-n", "flows", "-o", "pcap=" PCAP, "-d", pfsim_dir, NULL };
	struct stat sb;
	pfring *r;
	pid_t srv;

	(void)state;
	alarm(120);
	snprintf(log, sizeof(log), "%s/second.log", pfsim_dir);
	snprintf(sock, sizeof(sock), "%s/flows.sock", pfsim_dir);
	snprintf(lock, sizeof(lock), "%s.lock", sock);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	assert_int_equal(pfsim_run(argv, log), 1);
	assert_non_null(strstr(read_file(log), "sim:flows is already served by another pfsim"));
	assert_int_equal(stat(lock, &sb), 0);      /* the second left the first's lock */
	assert_int_equal(pfsim_run(argv, log), 1); /* so a third is refused too */
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	pfring_close(r);
	pfsim_stop(srv);
	assert_int_equal(stat(sock, &sb), -1);
	assert_int_equal(stat(lock, &sb), -1);
}

/* The path (and lock file) a killed pfsim left is taken over. */
static void test_stale_path_taken_over(void **state)
{
	char sock[160];
	struct stat sb;
	pfring *r;
	pid_t srv;

	(void)state;
	alarm(120);
	snprintf(sock, sizeof(sock), "%s/flows.sock", pfsim_dir);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	kill(srv, SIGKILL);
	assert_true(wait_bounded(srv, 10000) != -1);
	assert_int_equal(stat(sock, &sb), 0);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");  /* waits for a new socket */
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	pfring_close(r);
	pfsim_stop(srv);
	assert_int_equal(stat(sock, &sb), -1);
}

/* A file that replaced pfsim's socket at its path is not removed on exit. */
static void test_only_own_socket_removed(void **state)
{
	char sock[160], moved[170];
	struct stat sb;
	pid_t srv;
	int fd;

	(void)state;
	alarm(120);
	snprintf(sock, sizeof(sock), "%s/flows.sock", pfsim_dir);
	snprintf(moved, sizeof(moved), "%s.moved", sock);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	assert_int_equal(rename(sock, moved), 0);
	fd = open(sock, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	pfsim_stop(srv);
	assert_int_equal(stat(sock, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	unlink(sock);
	unlink(moved);
}

/* ------------------------------------------------------- the socket folder */

/* -d, else $PFSIM_DIR, else $XDG_RUNTIME_DIR/pfsim, else /tmp/pfsim-$EUID:
 * the one rule both sides use. (after_test restores the environment.) */
static void test_default_folder(void **state)
{
	char dir[160], want[160];

	(void)state;
	setenv("PFSIM_DIR", "/p", 1);
	setenv("XDG_RUNTIME_DIR", "/x", 1);
	assert_int_equal(pfsim_socket_dir("/d", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/d");
	assert_int_equal(pfsim_socket_dir(NULL, dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/p");
	unsetenv("PFSIM_DIR");
	assert_int_equal(pfsim_socket_dir("", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/x/pfsim");
	assert_int_equal(pfsim_socket_path(NULL, "eth", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/x/pfsim/eth.sock");
	unsetenv("XDG_RUNTIME_DIR");
	assert_int_equal(pfsim_socket_dir(NULL, dir, sizeof(dir)), 0);
	snprintf(want, sizeof(want), "/tmp/pfsim-%u", (unsigned)geteuid());
	assert_string_equal(dir, want);
	assert_int_equal(pfsim_socket_dir(NULL, dir, 5), -1);
}

/* With $XDG_RUNTIME_DIR and no -d nor $PFSIM_DIR, pfsim makes
 * $XDG_RUNTIME_DIR/pfsim 0700 and serves there, where the client looks. */
static void test_xdg_folder_served(void **state)
{
	char run[160], sock[200], log[160], folder[180], dir[200];
	char *argv[] = { "pfsim", "-n", "x", "-o", "gen=flows:4&count=10", NULL };
	struct stat sb;
	pfring *r;
	pid_t srv;

	(void)state;
	alarm(120);
	snprintf(run, sizeof(run), "%s/run", pfsim_dir);
	snprintf(folder, sizeof(folder), "%s/pfsim", run);
	snprintf(sock, sizeof(sock), "%s/x.sock", folder);
	snprintf(log, sizeof(log), "%s/xdg.log", pfsim_dir);
	assert_int_equal(mkdir(run, 0700), 0);
	unsetenv("PFSIM_DIR");
	setenv("XDG_RUNTIME_DIR", run, 1);
	assert_int_equal(pfsim_socket_dir(NULL, dir, sizeof(dir)), 0);
	assert_string_equal(dir, folder);      /* never the shared default folder */
	srv = pfsim_spawn(sock, log, argv);
	assert_int_equal(lstat(folder, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
	r = pfring_open("sim:x", 128, 0);
	assert_non_null(r);
	pfring_close(r);
	pfsim_stop(srv);
}

/* A folder writable by others, one of another owner, a symbolic link: pfsim
 * refuses to serve there (exit 1, a message naming path, owner, mode). */
static void test_bad_folder_refused_by_pfsim(void **state)
{
	char dir[160], link[160], log[160];
	char *argv[] = { "pfsim", "-n", "x", "-o", "gen=flows:4&count=10", "-d", dir, NULL };
	char want[256];

	(void)state;
	alarm(120);
	snprintf(dir, sizeof(dir), "%s/open", pfsim_dir);
	snprintf(link, sizeof(link), "%s/link", pfsim_dir);
	snprintf(log, sizeof(log), "%s/bad.log", pfsim_dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(pfsim_run(argv, log), 1);
	snprintf(want, sizeof(want), "socket folder %s (owner uid %u, mode 0777) refused", dir,
		 (unsigned)geteuid());
	assert_non_null(strstr(read_file(log), want));
	assert_int_equal(chmod(dir, 0700), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(dir, NOBODY, NOBODY), 0);
		assert_int_equal(pfsim_run(argv, log), 1);
		assert_non_null(strstr(read_file(log), "(owner uid 65534, mode 0700) refused"));
		assert_int_equal(chown(dir, 0, 0), 0);
	}
	assert_int_equal(symlink(dir, link), 0);
	argv[6] = link;
	assert_int_equal(pfsim_run(argv, log), 1);
	assert_non_null(strstr(read_file(log), "is not a folder"));
}

/* The client refuses a folder that became writable by the group: EACCES and a
 * message naming it; once mended, the same open works. */
static void test_bad_folder_refused_by_client(void **state)
{
	char err[1024], want[256];
	pfring *r;
	pid_t srv;
	int e;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	assert_int_equal(chmod(pfsim_dir, 0770), 0);
	capture_begin();
	errno = 0;
	r = pfring_open("sim:flows", 128, 0);
	e = errno;
	capture_end(err, sizeof(err));
	assert_int_equal(chmod(pfsim_dir, 0700), 0);
	assert_null(r);
	assert_int_equal(e, EACCES);
	snprintf(want, sizeof(want), "pfring_open(\"sim:flows\"): pfsim: socket folder %s "
		 "(owner uid %u, mode 0770) refused", pfsim_dir, (unsigned)geteuid());
	assert_non_null(strstr(err, want));
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	pfring_close(r);
	pfsim_stop(srv);
}

/* ------------------------------------------------------- the peer's uid */

/* dir made 0700 and owned by uid. */
static void own_dir(char *dir, size_t len, const char *leaf, uid_t uid)
{
	snprintf(dir, len, "%s/%s", pfsim_dir, leaf);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chown(dir, uid, uid), 0);
}

/* A client of another uid (nobody) reaching root's pfsim through a link in
 * its own folder: pfsim refuses it (its first request answered with the
 * reason, EACCES). Root only. */
static void test_pfsim_refuses_other_uid(void **state)
{
	char mine[160], theirs[160], sock[200], link[200];
	pid_t srv, pid;
	int st;

	(void)state;
	if (geteuid() != 0)
		skip();
	alarm(120);
	own_dir(theirs, sizeof(theirs), "srv", 0);
	assert_int_equal(chmod(theirs, 0755), 0);       /* nobody may pass */
	srv = pfsim_start(theirs, "flows", "pcap=" PCAP, "1");
	snprintf(sock, sizeof(sock), "%s/flows.sock", theirs);
	assert_int_equal(chmod(sock, 0777), 0);          /* and connect */
	assert_int_equal(chmod(pfsim_dir, 0755), 0);
	own_dir(mine, sizeof(mine), "nobody", NOBODY);
	snprintf(link, sizeof(link), "%s/flows.sock", mine);
	assert_int_equal(symlink(sock, link), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pfring *r;

		alarm(30);
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(9);
		setenv("PFSIM_DIR", mine, 1);
		errno = 0;
		r = pfring_open("sim:flows", 128, 0);
		_exit(r != NULL ? 10 : errno == EACCES ? 0 : 11);
	}
	st = wait_bounded(pid, 20000);
	assert_int_equal(chmod(pfsim_dir, 0700), 0);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	pfsim_stop(srv);
	snprintf(sock, sizeof(sock), "%s/pfsim.log", theirs);
	assert_non_null(strstr(read_file(sock), "pfsim: flows: connection refused: uid 65534 "));
}

/* Root's client refuses a pfsim running as nobody, reached through a link in
 * root's folder: EACCES and a message. Root only. */
static void test_client_refuses_other_uid(void **state)
{
	char theirs[160], mine[160], sock[200], link[200], log[200], err[1024];
	char *argv[] = { "pfsim", "-n", "x", "-o", "gen=flows:4&count=10", "-d", theirs, NULL };
	uint64_t end;
	struct stat sb;
	pfring *r;
	pid_t srv;
	int e;

	(void)state;
	if (geteuid() != 0)
		skip();
	alarm(120);
	own_dir(theirs, sizeof(theirs), "nobody-srv", NOBODY);
	own_dir(mine, sizeof(mine), "root", 0);
	snprintf(sock, sizeof(sock), "%s/x.sock", theirs);
	snprintf(link, sizeof(link), "%s/x.sock", mine);
	snprintf(log, sizeof(log), "%s/nobody.log", pfsim_dir);
	assert_int_equal(chmod(pfsim_dir, 0755), 0);         /* nobody may pass */
	srv = pfsim_fork(argv, log, NOBODY);
	for (end = now_ms() + 20000; stat(sock, &sb) != 0 && now_ms() < end;)
		usleep(5000);
	assert_int_equal(chmod(pfsim_dir, 0700), 0);
	assert_int_equal(stat(sock, &sb), 0);
	assert_int_equal(symlink(sock, link), 0);
	setenv("PFSIM_DIR", mine, 1);
	capture_begin();
	errno = 0;
	r = pfring_open("sim:x", 128, 0);
	e = errno;
	capture_end(err, sizeof(err));
	assert_null(r);
	assert_int_equal(e, EACCES);
	assert_non_null(strstr(err, "is refused: uid 65534 "));
	assert_non_null(strstr(err, "is neither uid 0 nor root"));
	pfsim_stop(srv);
}

/* ------------------------------------------------------- memory */

/* Bytes one client of caplen costs pfsim: its shared ring and its host ring,
 * 4096 slots each. */
static uint64_t client_bytes(uint32_t caplen)
{
	return 2 * (uint64_t)pf_ring_layout_size((size_t)pf_ring_slot_bytes(0, caplen) * 4096);
}

/* -m 8: exactly floor(8 MiB / cost) rings of caplen 128 open, the next is
 * refused (NOT_ENOUGH_MEMORY, ENOMEM, the limit in the message); closing one
 * makes room for exactly one. -M 2: a caplen-1518 ring is refused per ring. */
static void test_memory_limits(void **state)
{
	const char *const limits[] = { "-m", "8", "-M", "2", NULL };
	uint64_t want = (8ull << 20) / client_bytes(128);
	pfring *r[64], *x;
	char err[1024];
	unsigned n = 0, i;
	pid_t srv;
	int e;

	(void)state;
	alarm(120);
	assert_true(want >= 2 && want < 64);
	assert_true(client_bytes(128) <= (2ull << 20) && client_bytes(1518) > (2ull << 20));
	srv = pfsim_start_with(pfsim_dir, "flows", "pcap=" PCAP, "1", limits);
	capture_begin();
	errno = 0;
	x = pfring_open("sim:flows", 1518, 0);
	e = errno;
	capture_end(err, sizeof(err));
	assert_null(x);
	assert_int_equal(e, ENOMEM);
	assert_non_null(strstr(err, "over pfsim's limit of 2 MiB per ring (-M)"));
	for (;;) {
		assert_true(n < 64);
		capture_begin();
		errno = 0;
		r[n] = pfring_open("sim:flows", 128, 0);
		e = errno;
		capture_end(err, sizeof(err));
		if (r[n] == NULL)
			break;
		n++;
	}
	assert_int_equal(n, want);
	assert_int_equal(e, ENOMEM);
	assert_non_null(strstr(err, "over pfsim's limit of 8 MiB in all (-m)"));
	pfring_close(r[0]);
	r[0] = pfring_open("sim:flows", 128, 0);
	assert_non_null(r[0]);
	capture_begin();
	x = pfring_open("sim:flows", 128, 0);
	capture_end(err, sizeof(err));
	assert_null(x);
	for (i = 0; i < n; i++)
		pfring_close(r[i]);
	pfsim_stop(srv);
}

/* ------------------------------------------------------- reclaims */

/* A ring closed with pfring_close logs nothing; one whose process exits
 * without closing it is logged as lost. */
static void test_reclaim_logged_for_deaths_only(void **state)
{
	uint64_t end;
	pfring *r;
	pid_t srv, pid;
	int st;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	pfring_close(r);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);
		_exit(pfring_open("sim:flows", 128, 0) ? 0 : 1);   /* never closed */
	}
	st = wait_bounded(pid, 20000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	for (end = now_ms() + 10000; !strstr(read_log(), "reclaimed") && now_ms() < end;)
		usleep(5000);
	pfsim_stop(srv);
	assert_int_equal(count_of(read_log(), "reclaimed"), 1);
	assert_int_equal(count_of(read_log(), " lost, reclaimed (offered 0, relayed 0)"), 1);
}

static char *xdg_at_start;

/* After each test, passed or not: no pfsim of it left running, the
 * environment and the folder's mode as the group setup made them. */
static int after_test(void **state)
{
	(void)state;
	pfsim_kill_leftovers();
	setenv("PFSIM_DIR", pfsim_dir, 1);
	if (xdg_at_start)
		setenv("XDG_RUNTIME_DIR", xdg_at_start, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	return chmod(pfsim_dir, 0700);
}

#define TEST(f) cmocka_unit_test_teardown(f, after_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_busy_client_does_not_starve),
		TEST(test_sigterm_under_load),
		TEST(test_death_nonblocking_reader),
		TEST(test_death_blocking_reader),
		TEST(test_source_failure_nonblocking_reader),
		TEST(test_source_failure_blocking_reader),
		TEST(test_second_pfsim_refused),
		TEST(test_stale_path_taken_over),
		TEST(test_only_own_socket_removed),
		TEST(test_default_folder),
		TEST(test_xdg_folder_served),
		TEST(test_bad_folder_refused_by_pfsim),
		TEST(test_bad_folder_refused_by_client),
		TEST(test_pfsim_refuses_other_uid),
		TEST(test_client_refuses_other_uid),
		TEST(test_memory_limits),
		TEST(test_reclaim_logged_for_deaths_only),
	};

	int rc;

	xdg_at_start = getenv("XDG_RUNTIME_DIR") ? strdup(getenv("XDG_RUNTIME_DIR")) : NULL;
	rc = cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
	free(xdg_at_start);
	return rc;
}
