/*
 * tests/e2e/progs/pfgone.c - readers on a pf_ring.ko ring whose device goes
 * away (issue 11, finding 2): the device's unregister must not wait for the
 * ring, and every reader must learn that the device is gone.
 *
 *   pfgone DEV READY_FILE LIMIT_SECS
 *
 * Opens two rings on DEV with a 60 s poll duration: the main thread reads the
 * first with blocking pfring_recv, a second thread sleeps in pfring_poll(60 s)
 * on the other and drains it without waiting whenever poll says so; each
 * counts frames until a call fails. READY_FILE is created once both sleep.
 * Then, on the first ring: pfring_recv without waiting, pfring_poll and
 * pfring_send once each. Prints "CALL received N rc R errno E (strerror)"
 * for the two readers ("recv", "poll-thread"), "CALL rc R errno E" for the
 * others, and exits 0. After LIMIT_SECS it gives up, prints "pfgone: timeout" and exits
 * 2 (closing the ring, which lets an old module's unregister finish).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfring.h>

static int poll_rc, poll_errno;
static long poll_got;

static void *poll_blocked(void *arg)
{
	struct pfring_pkthdr hdr;
	u_char *p;
	int rc;

	while ((poll_rc = pfring_poll(arg, 60000)) > 0) {
		while ((rc = pfring_recv(arg, &p, 0, &hdr, 0)) == 1)
			poll_got++;
		if (rc < 0) {
			poll_rc = rc;
			break;
		}
	}
	poll_errno = errno;
	return NULL;
}

static void on_alarm(int sig)
{
	static const char msg[] = "pfgone: timeout\n";

	(void)sig;
	(void)!write(1, msg, sizeof(msg) - 1);
	_exit(2);
}

static pfring *open_ring(const char *dev)
{
	pfring *ring = pfring_open(dev, 1518, PF_RING_PROMISC);

	if (!ring || pfring_set_poll_duration(ring, 60000) || pfring_enable_ring(ring)) {
		fprintf(stderr, "pfgone: cannot open %s: %s\n", dev, strerror(errno));
		exit(1);
	}
	return ring;
}

static void said(const char *call, long got, int rc, int err)
{
	if (got >= 0)
		printf("%s received %ld", call, got);
	else
		printf("%s", call);
	printf(" rc %d errno %d (%s)\n", rc, rc < 0 ? err : 0, rc < 0 ? strerror(err) : "-");
}

int main(int argc, char **argv)
{
	struct pfring_pkthdr hdr;
	u_char frame[60] = { 0 }, *p;
	pfring *ring, *other;
	pthread_t t;
	long got = 0;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: pfgone DEV READY_FILE LIMIT_SECS\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	alarm((unsigned)atoi(argv[3]));
	ring = open_ring(argv[1]);
	other = open_ring(argv[1]);
	if (pthread_create(&t, NULL, poll_blocked, other)) {
		fprintf(stderr, "pfgone: no thread\n");
		return 1;
	}
	usleep(200 * 1000);   /* both are asleep in poll(2) by now */
	fclose(fopen(argv[2], "w"));
	while ((rc = pfring_recv(ring, &p, 0, &hdr, 1)) == 1)
		got++;
	said("recv", got, rc, errno);
	pthread_join(t, NULL);
	said("poll-thread", poll_got, poll_rc, poll_errno);
	rc = pfring_recv(ring, &p, 0, &hdr, 0);
	said("recv-nowait", -1, rc, errno);
	rc = pfring_poll(ring, 1000);
	said("poll", -1, rc, errno);
	memset(frame, 0xff, 12);
	rc = pfring_send(ring, (char *)frame, sizeof(frame), 1);
	said("send", -1, rc, errno);
	pfring_close(ring);
	pfring_close(other);
	return 0;
}
