/*
 * tests/e2e/progs/pfgone.c - a ring whose device goes away under a blocked
 * reader (issue 11, finding 2): the device's deletion (or its namespace's end)
 * must not wait for the ring, the reader must wake, and the ring must say the
 * device is gone.
 *
 *   pfgone DEV SECS
 *
 * Opens DEV with a 60 s poll duration, enables it, puts a thread to sleep in
 * pfring_recv (blocking), prints "pfgone: ready" and waits up to SECS for the
 * reader to return (the test deletes DEV meanwhile). Then a non-blocking
 * pfring_recv and pfring_poll must fail with ENODEV or ENETDOWN.
 * Output: "pfgone: woke W rc R errno E recv RC ERRNO poll RC ERRNO"; exit 0 when
 * the reader woke within SECS and both later calls said the device is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <pfring.h>

struct reader {
	pfring *ring;
	int rc, err;
};

static void *read_blocked(void *arg)
{
	struct reader *r = arg;
	struct pfring_pkthdr hdr;
	u_char buf[2048], *p = buf;

	r->rc = pfring_recv(r->ring, &p, sizeof(buf), &hdr, 1);
	r->err = errno;
	return NULL;
}

static int gone(int rc, int err)
{
	return rc < 0 && (err == ENODEV || err == ENETDOWN);
}

int main(int argc, char **argv)
{
	struct reader r = { .rc = -12345 };
	struct pfring_pkthdr hdr;
	u_char buf[2048], *p = buf;
	struct timespec ts;
	int woke, rrc, rerr, prc, perr;
	pthread_t t;

	if (argc != 3 || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: pfgone DEV SECS\n");
		return 2;
	}
	r.ring = pfring_open(argv[1], 1518, PF_RING_PROMISC);
	if (!r.ring) {
		perror("pfgone: pfring_open");
		return 1;
	}
	if (pfring_set_poll_duration(r.ring, 60000) != 0 || pfring_enable_ring(r.ring) != 0 ||
	    pthread_create(&t, NULL, read_blocked, &r) != 0) {
		fprintf(stderr, "pfgone: setup failed\n");
		return 1;
	}
	while (__atomic_load_n(&r.ring->num_callers_inside, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	printf("pfgone: ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += atoi(argv[2]);
	woke = pthread_timedjoin_np(t, NULL, &ts) == 0;
	rrc = pfring_recv(r.ring, &p, sizeof(buf), &hdr, 0);
	rerr = errno;
	prc = pfring_poll(r.ring, 0);
	perr = errno;
	printf("pfgone: woke %d rc %d errno %d recv %d %d poll %d %d\n", woke, r.rc, r.err, rrc,
	       rerr, prc, perr);
	pfring_close(r.ring);     /* wakes the reader if it still sleeps */
	if (!woke)
		pthread_join(t, NULL);
	return woke && gone(rrc, rerr) && gone(prc, perr) ? 0 : 1;
}
