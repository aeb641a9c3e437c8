/*
 * tests/e2e/progs/pfrace.c - bind() racing the lock-free readers of the same
 * PF_RING socket (issue 11, finding 1): poll(), SO_GET_NUM_QUEUED_PKTS and
 * SO_GET_RING_STATS must see either no ring (ENOTCONN, nothing readable) or a
 * whole one, never a half-built one (a NULL dereference in the module, which
 * panics the guest: oops=panic).
 *
 *   pfrace DEV SECONDS
 *
 * Three pairs of threads, one per reader: the binder opens a socket, waits
 * until its reader is calling on it, binds it to DEV, then checks the reader's
 * call itself once (it must succeed: queued 0, all stats 0, since the ring is
 * never activated) and closes it; the reader calls in a loop until told to
 * stop. Raw socket calls only (core/abi.h), no libpfring.
 * Output: "pfrace: sockets N binds B wrong W reads R after_bind A".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/abi.h"
#include "raw_bind.h"

enum reader { READ_POLL, READ_QUEUED, READ_STATS, N_READERS };
static const char *reader_name[N_READERS] = { "poll", "SO_GET_NUM_QUEUED_PKTS",
					      "SO_GET_RING_STATS" };

struct pair {
	enum reader kind;
	atomic_int fd;          /* the socket both threads use, -1 between sockets */
	atomic_int busy;        /* the reader may be calling on fd: do not close it */
	atomic_int started;     /* the reader has called at least once on fd */
	atomic_int quit;        /* end of the run */
	long sockets, binds, wrong, after_bind;   /* the binder's */
	long reads, read_wrong;                   /* the reader's */
};

static const char *dev_name;
static double deadline;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One call of this pair's reader: 1 when it saw a whole ring, 0 when it saw
 * none, -1 on anything else (printed). */
static int read_once(const struct pair *p, int fd)
{
	struct pf_ring_socket_stats st;
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	socklen_t len;
	unsigned queued;
	int rc;

	switch (p->kind) {
	case READ_POLL:
		rc = poll(&pf, 1, 0);
		return rc == 0 ? 0 : -1;   /* never readable: the ring is not active */
	case READ_QUEUED:
		len = sizeof(queued);
		queued = 7;
		rc = getsockopt(fd, SOL_PF_RING, SO_GET_NUM_QUEUED_PKTS, &queued, &len);
		if (rc == 0 && len == sizeof(queued) && queued == 0)
			return 1;
		break;
	default:
		len = sizeof(st);
		memset(&st, 0x5a, sizeof(st));
		rc = getsockopt(fd, SOL_PF_RING, SO_GET_RING_STATS, &st, &len);
		if (rc == 0 && len == sizeof(st) && st.seen == 0 && st.inserted == 0 &&
		    st.dropped_full == 0)
			return 1;
		break;
	}
	if (rc < 0 && errno == ENOTCONN)
		return 0;
	fprintf(stderr, "pfrace: %s: rc %d errno %d (%s)\n", reader_name[p->kind], rc,
		rc < 0 ? errno : 0, rc < 0 ? strerror(errno) : "wrong value");
	return -1;
}

static void *reader(void *arg)
{
	struct pair *p = arg;
	int fd;

	/* busy, then fd (sequentially consistent): either the binder's fd = -1
	 * is seen here, or the binder sees busy and waits before closing fd */
	while (!atomic_load(&p->quit)) {
		atomic_store(&p->busy, 1);
		fd = atomic_load(&p->fd);
		if (fd >= 0) {
			if (read_once(p, fd) < 0)
				p->read_wrong++;
			p->reads++;
			atomic_store(&p->started, 1);
		}
		atomic_store(&p->busy, 0);
	}
	return NULL;
}

static void *binder(void *arg)
{
	struct pair *p = arg;
	unsigned caplen = 64;   /* a small ring: many sockets per second */
	int fd;

	while (now_s() < deadline) {
		fd = socket(27, SOCK_RAW, htons(ETH_P_ALL));
		if (fd < 0) {
			perror("pfrace: socket");
			p->wrong++;
			break;
		}
		p->sockets++;
		if (setsockopt(fd, SOL_PF_RING, SO_RING_BUCKET_LEN, &caplen, sizeof(caplen)))
			p->wrong++;
		atomic_store(&p->started, 0);
		atomic_store(&p->fd, fd);
		while (!atomic_load(&p->started))
			;
		if (bind_to(fd, dev_name) == 0)
			p->binds++;
		else
			perror("pfrace: bind");
		if (read_once(p, fd) == 1 || p->kind == READ_POLL)
			p->after_bind++;
		else
			p->wrong++;
		atomic_store(&p->fd, -1);
		while (atomic_load(&p->busy))
			;
		close(fd);
	}
	atomic_store(&p->quit, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	static struct pair pairs[N_READERS];
	pthread_t th[2 * N_READERS];
	long sockets = 0, binds = 0, wrong = 0, reads = 0, after = 0;
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: pfrace DEV SECONDS\n");
		return 2;
	}
	dev_name = argv[1];
	deadline = now_s() + atof(argv[2]);
	for (i = 0; i < N_READERS; i++) {
		pairs[i].kind = (enum reader)i;
		atomic_init(&pairs[i].fd, -1);
		if (pthread_create(&th[2 * i], NULL, reader, &pairs[i]) ||
		    pthread_create(&th[2 * i + 1], NULL, binder, &pairs[i])) {
			perror("pfrace: pthread_create");
			return 1;
		}
	}
	for (i = 0; i < 2 * N_READERS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < N_READERS; i++) {
		printf("pfrace: %s: sockets %ld binds %ld wrong %ld reads %ld\n",
		       reader_name[i], pairs[i].sockets, pairs[i].binds,
		       pairs[i].wrong + pairs[i].read_wrong, pairs[i].reads);
		sockets += pairs[i].sockets;
		binds += pairs[i].binds;
		wrong += pairs[i].wrong + pairs[i].read_wrong;
		reads += pairs[i].reads;
		after += pairs[i].after_bind;
	}
	printf("pfrace: sockets %ld binds %ld wrong %ld reads %ld after_bind %ld\n",
	       sockets, binds, wrong, reads, after);
	return wrong != 0 || binds != sockets || after != sockets;
}
