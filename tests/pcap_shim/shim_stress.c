/*
 * tests/pcap_shim/shim_stress.c - races on pfring handles, run with the shim
 * preloaded (under valgrind by make pcap-shim-test):
 *  1. a reader in pcap_loop in one thread, pcap_breakloop from another after
 *     a random delay, join, the rest read without blocking, pcap_stats,
 *     pcap_close: the loop ends with PCAP_ERROR_BREAK or not at all, and
 *     every frame of the fixture reaches the callback exactly once (= ps_recv);
 *  2. pcap_breakloop from a signal handler (SIGALRM at random instants) while
 *     the program calls pcap_dispatch in a tight loop: the handler's lookup
 *     takes no lock, so it never deadlocks with the interrupted call;
 *  3. two threads opening and closing handles at random while a third reads
 *     its own: every handle is found, none is mixed up with another.
 * Usage: shim_stress FIXTURE ROUNDS. Exit 0 when every check holds.
 */
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static unsigned int fixture_frames;

static char device[1024], churn_device[2][1024];

/* After a break: what is left in the ring and on the wire, without blocking. */
static void drain(pcap_t *p, unsigned int *seen)
{
	char errbuf[PCAP_ERRBUF_SIZE];

	CHECK(pcap_setnonblock(p, 1, errbuf) == 0);
	while (pcap_dispatch(p, -1, count_cb, (u_char *)seen) > 0)
		;
}

static void check_all_seen(pcap_t *p, unsigned int seen)
{
	struct pcap_stat st;

	CHECK(pcap_stats(p, &st) == 0);
	CHECK_EQ(seen, fixture_frames);
	CHECK_EQ(st.ps_recv, seen);
	CHECK_EQ(st.ps_drop, 0);
}

static pcap_t *open_or_die(const char *dev)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_live(dev, 128, 0, 20, errbuf);

	if (p == NULL) {
		fprintf(stderr, "shim_stress: %s\n", errbuf);
		exit(1);
	}
	return p;
}

/* 1 ------------------------------------------------------------------ */
struct reader {
	pcap_t *p;
	unsigned int seen;
	int rc;
};

static void *loop_thread(void *arg)
{
	struct reader *r = arg;

	r->rc = pcap_loop(r->p, -1, count_cb, (u_char *)&r->seen);
	return NULL;
}

static void break_from_thread(unsigned int rounds)
{
	for (unsigned int i = 0; i < rounds; i++) {
		struct reader r = { .p = open_or_die(device) };
		pthread_t t;

		pthread_create(&t, NULL, loop_thread, &r);
		usleep((useconds_t)(rand() % 3000));
		pcap_breakloop(r.p);
		pthread_join(t, NULL);
		CHECK_EQ(r.rc, (unsigned long long)PCAP_ERROR_BREAK);
		drain(r.p, &r.seen);
		check_all_seen(r.p, r.seen);
		pcap_close(r.p);
	}
}

/* 2 ------------------------------------------------------------------ */
static pcap_t *volatile alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	if (alarmed != NULL)
		pcap_breakloop(alarmed);
}

static void break_from_signal(unsigned int rounds)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	for (unsigned int i = 0; i < rounds; i++) {
		struct itimerval it = { .it_value = { 0, 100 + rand() % 2000 } };
		pcap_t *p = open_or_die(device);
		unsigned int seen = 0;
		int rc;

		alarmed = p;
		setitimer(ITIMER_REAL, &it, NULL);
		while ((rc = pcap_dispatch(p, 1, count_cb, (u_char *)&seen)) >= 0)
			;
		alarmed = NULL;
		CHECK_EQ(rc, (unsigned long long)PCAP_ERROR_BREAK);
		drain(p, &seen);
		check_all_seen(p, seen);
		pcap_close(p);
	}
	signal(SIGALRM, SIG_DFL);
}

/* 3 ------------------------------------------------------------------ */
static volatile int churn_stop;
static unsigned int churn_opened[2];

static void *churn_thread(void *arg)
{
	unsigned int *opened = arg;
	const char *dev = churn_device[opened - churn_opened];

	while (!churn_stop) {
		pcap_t *p = open_or_die(dev);

		CHECK(pcap_snapshot(p) == 128); /* found in the table, as itself */
		usleep((useconds_t)(rand() % 500));
		pcap_close(p);
		__atomic_fetch_add(opened, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int churned_enough(void)
{
	return __atomic_load_n(&churn_opened[0], __ATOMIC_RELAXED) >= 3 &&
	       __atomic_load_n(&churn_opened[1], __ATOMIC_RELAXED) >= 3;
}

static void churn_beside_reader(unsigned int rounds)
{
	pthread_t t[2];

	churn_stop = 0;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, churn_thread, &churn_opened[i]);
	/* the reader goes on until each churning thread has opened and closed
	 * a few handles beside it (slow to start under valgrind) */
	for (unsigned int r = 0; r < rounds / 20 + 1 || !churned_enough(); r++) {
		pcap_t *p = open_or_die(device);
		unsigned int seen = 0;

		CHECK(pcap_set_datalink(p, DLT_EN10MB) == 0);
		while (seen < fixture_frames)
			CHECK(pcap_dispatch(p, 10, count_cb, (u_char *)&seen) >= 0);
		check_all_seen(p, seen);
		pcap_close(p);
	}
	churn_stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK(churned_enough());
}

int main(int argc, char **argv)
{
	unsigned int rounds;

	if (argc != 3)
		return 2;
	rounds = (unsigned int)atoi(argv[2]);
	/* the churning handles are other NICs (a ring of the reader's NIC that
	 * nobody reads would hold its lossless wire) */
	snprintf(device, sizeof(device), "sim:stress?pcap=%s", argv[1]);
	for (int i = 0; i < 2; i++)
		snprintf(churn_device[i], sizeof(churn_device[i]), "sim:churn%d?pcap=%s", i, argv[1]);
	{
		char errbuf[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *h;
		const u_char *data;
		pcap_t *f = pcap_open_offline(argv[1], errbuf);

		if (f == NULL)
			return 1;
		while (pcap_next_ex(f, &h, &data) == 1)
			fixture_frames++;
		pcap_close(f);
	}
	srand((unsigned int)time(NULL));
	break_from_thread(rounds);
	break_from_signal(rounds);
	churn_beside_reader(rounds);
	if (failures == 0)
		printf("shim_stress: ok (%u rounds of each)\n", rounds);
	return failures ? 1 : 0;
}
