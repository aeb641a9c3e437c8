/*
 * tests/unit/test_signal_calls.c - what PF_RING 5.4.6's own programs do from
 * signal handlers, done while the program is inside libpfring: pfcount,
 * pfcount_aggregator, pfsend, pwrite ... print pfring_stats() from a SIGALRM
 * handler every second, and call pfring_close() (then exit) from their SIGINT
 * handler. The handler may interrupt the receiving thread anywhere, inside the
 * simulator's pump too: nothing may deadlock, and the stats must stay exact.
 *
 * Each run is a child process (a hang is then a bounded failure, never a stuck
 * test) that receives a looped capture while a fast interval timer fires
 * SIGALRM; the handler calls pfring_stats, and after a number of ticks
 * pfring_close and _exit, as the programs do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include <pfring.h>
#include "pfsim_run.h"

#define PCAP      FIXTURE_DIR "/many_flows.pcap"
#define LOOPS     "40"           /* 40 x 2000 frames */
#define FRAMES    80000u
#define TICK_US   300            /* SIGALRM period: many lands inside the pump */

static pfring *ring;             /* the child's ring, for the handler */
static volatile sig_atomic_t ticks, close_at;
static volatile u_int64_t seen_recv, stats_failed;

/* 5.4.6's print_stats, then (pwrite, pfsend, ...) pfring_close and exit. */
static void on_alarm(int sig)
{
	pfring_stat st;

	(void)sig;
	ticks++;
	if (pfring_stats(ring, &st) != 0)
		stats_failed++;
	else if (st.recv < seen_recv)
		stats_failed++;         /* counters never go back */
	else
		seen_recv = st.recv;
	if (close_at && ticks == close_at) {
		pfring_close(ring);
		_exit(ticks > 0 ? 0 : 1);
	}
}

static void start_ticks(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, TICK_US }, { 0, TICK_US } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* A SIGALRM already pending (valgrind delivers them late) must not reach the
 * handler once the ring is closed: it would read a freed handle. */
static void stop_ticks(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
}

/* The child: receive everything (stop_tick 0) and check the stats, or receive
 * (an endless capture: loop=0) until the handler closes the ring at tick
 * stop_tick and exits. Exit status 0 when all went well. */
static void child(const char *dev, int stop_tick)
{
	struct pfring_pkthdr h;
	u_int64_t end = now_ms() + 120000;
	u_int32_t got = 0;
	pfring_stat st;
	u_char *p;

	ring = pfring_open(dev, 128, 0);
	if (ring == NULL || pfring_enable_ring(ring) != 0)
		_exit(10);
	close_at = stop_tick;
	start_ticks();
	while ((stop_tick || got < FRAMES) && now_ms() < end) {
		int rc = pfring_recv(ring, &p, 0, &h, 0);

		if (rc < 0)
			_exit(11);
		if (rc == 1)
			got++;
		else
			pfring_poll(ring, 5);
	}
	stop_ticks();
	if (stop_tick)
		_exit(12);              /* the handler should have closed and exited */
	if (got != FRAMES || pfring_stats(ring, &st) != 0 || st.recv != FRAMES || st.drop != 0)
		_exit(13);
	if (stats_failed || ticks < 10)
		_exit(14);
	pfring_close(ring);
	_exit(0);
}

static void run(const char *dev, int stop_tick)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0)
		child(dev, stop_tick);
	st = wait_bounded(pid, 150000);
	if (st == -1)
		fail_msg("%s: the child hung (signal handler inside libpfring)", dev);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_stats_in_handler_sim(void **state)
{
	(void)state;
	run("sim:sig1?pcap=" PCAP "&loop=" LOOPS, 0);
}

static void test_close_in_handler_sim(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < (quick() ? 4 : 20); i++)
		run("sim:sig2?pcap=" PCAP "&loop=0", 2 + i);
}

static void test_stats_in_handler_pfsim(void **state)
{
	pid_t srv;

	(void)state;
	srv = pfsim_start(pfsim_dir, "sig3", "pcap=" PCAP "&loop=" LOOPS, "1");
	run("sim:sig3", 0);
	pfsim_stop(srv);
}

static void test_close_in_handler_pfsim(void **state)
{
	pid_t srv;
	int i;

	(void)state;
	for (i = 0; i < (quick() ? 2 : 10); i++) {
		srv = pfsim_start(pfsim_dir, "sig4", "pcap=" PCAP "&loop=0", "1");
		run("sim:sig4", 2 + i * 3);
		pfsim_stop(srv);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_in_handler_sim),
		cmocka_unit_test(test_close_in_handler_sim),
		cmocka_unit_test(test_stats_in_handler_pfsim),
		cmocka_unit_test(test_close_in_handler_pfsim),
	};

	return cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
}
