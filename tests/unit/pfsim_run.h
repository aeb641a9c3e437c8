/*
 * tests/unit/pfsim_run.h - running pfsim (backends/sim/shared_proto.h) from a test: a
 * forked child through pfsim_main, its log, bounded waits. Include after
 * <cmocka.h>; link with libpfring.
 */
#ifndef PF_TEST_PFSIM_RUN_H
#define PF_TEST_PFSIM_RUN_H

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "backends/sim/shared_proto.h"
#include "tools/pfsim/daemon.h"

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Under valgrind (ci/run-tests.sh): smaller runs, longer idle waits. */
static inline int quick(void)
{
	return getenv("PF_TEST_QUICK") != NULL;
}

/* waitpid bounded by ms; the status, or -1 after killing it. */
static inline int wait_bounded(pid_t pid, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	int st;

	while (now_ms() < end) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* pfsim children started and maybe not reaped (a test that failed midway):
 * pfsim_kill_leftovers() ends them, from a cmocka teardown. */
static pid_t pfsim_pids[64];
static unsigned pfsim_npids;

static inline void pfsim_track(pid_t pid)
{
	if (pfsim_npids < sizeof(pfsim_pids) / sizeof(pfsim_pids[0]))
		pfsim_pids[pfsim_npids++] = pid;
}

/* SIGKILL every tracked child still running (waitpid: only our own). */
static inline void pfsim_kill_leftovers(void)
{
	while (pfsim_npids) {
		pid_t pid = pfsim_pids[--pfsim_npids];

		if (waitpid(pid, NULL, WNOHANG) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
	}
}

/* pfsim_main(argv) in a tracked child running as uid (-1: ours), its stderr to
 * log. */
static inline pid_t pfsim_fork(char **argv, const char *log, int uid)
{
	pid_t pid;
	int argc = 0;

	while (argv[argc])
		argc++;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 2);
		close(fd);
		alarm(240);
		if (uid >= 0 && (setgid((gid_t)uid) || setuid((uid_t)uid)))
			_exit(9);
		_exit(pfsim_main(argc, argv));
	}
	pfsim_track(pid);
	return pid;
}

/* pfsim_fork and wait (30 s at most): its exit status, -1 when it did not
 * exit by itself. */
static inline int pfsim_run(char **argv, const char *log)
{
	int st = wait_bounded(pfsim_fork(argv, log, -1), 30000);

	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* pfsim_fork(argv, log, -1). Returns once sock is a socket other than the one
 * found there before (a dead pfsim's is taken over). */
static inline pid_t pfsim_spawn(const char *sock, const char *log, char **argv)
{
	struct stat st;
	ino_t before = stat(sock, &st) == 0 ? st.st_ino : 0;
	uint64_t end;
	pid_t pid = pfsim_fork(argv, log, -1);

	for (end = now_ms() + 20000; now_ms() < end; usleep(5000))
		if (stat(sock, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino != before)
			return pid;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fail_msg("pfsim did not come up");
	return -1;
}

/* pfsim serving sim:name with opts, sockets in dir, -w hold, then the
 * arguments in extra (NULL-terminated; NULL: none); its stderr goes to
 * dir/pfsim.log. Returns once the socket exists. */
static inline pid_t pfsim_start_with(const char *dir, const char *name, const char *opts,
				     const char *hold, const char *const *extra)
{
	char path[256], log[256];
	char *argv[24] = { "pfsim", "-n", (char *)name, "-o", (char *)opts, "-d",
			   (char *)dir, "-w", (char *)hold };
	int argc = 9;

	while (extra && *extra && argc < 23)
		argv[argc++] = (char *)*extra++;
	snprintf(path, sizeof(path), "%s/%s.sock", dir, name);
	snprintf(log, sizeof(log), "%s/pfsim.log", dir);
	return pfsim_spawn(path, log, argv);
}

static inline pid_t pfsim_start(const char *dir, const char *name, const char *opts,
				const char *hold)
{
	return pfsim_start_with(dir, name, opts, hold, NULL);
}

/* SIGTERM, and pfsim must exit 0 within 30 s. */
static inline void pfsim_stop(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	st = wait_bounded(pid, 30000);
	assert_true(st != -1);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* pfsim's socket folder for this test program (PFSIM_DIR points at it): made
 * by pfsim_dir_setup, removed with what pfsim left in it by pfsim_dir_teardown
 * (cmocka group setup and teardown, or called from them). */
static char pfsim_dir[64];

static inline int pfsim_dir_setup(void **state)
{
	(void)state;
	snprintf(pfsim_dir, sizeof(pfsim_dir), "/tmp/pfsim-test-XXXXXX");
	if (mkdtemp(pfsim_dir) == NULL)
		return -1;
	return setenv("PFSIM_DIR", pfsim_dir, 1);
}

static inline int pfsim_dir_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pfsim_dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif /* PF_TEST_PFSIM_RUN_H */
