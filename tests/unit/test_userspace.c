/*
 * tests/unit/test_userspace.c - the "userspace:" backend through the public API:
 * frames sent on one handle are read, in order and byte for byte, on another,
 * in the same process (threads) or in another process (this binary re-executed
 * as a child: argv[1] says what it does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <pfring.h>

#define MAX_LEN 1514

static u_int32_t num_frames(void)
{
	return getenv("PF_TEST_QUICK") ? 10000 : 100000;
}

/* Frame i: 60 .. 1514 bytes, its number in the first 4, then a pattern. */
static u_int32_t frame_len(u_int32_t i)
{
	return 60 + (i * 7919u) % (MAX_LEN - 60 + 1);
}

static void frame_fill(u_int32_t i, u_char *buf)
{
	u_int32_t j, len = frame_len(i);

	memcpy(buf, &i, 4);
	for (j = 4; j < len; j++)
		buf[j] = (u_char)(i * 31u + j);
}

static pfring *open_enabled(const char *name, socket_mode mode)
{
	pfring *r = pfring_open(name, 0, 0);

	assert_non_null(r);
	assert_int_equal(pfring_set_socket_mode(r, mode), 0);
	assert_int_equal(pfring_enable_ring(r), 0);
	return r;
}

/* ---------------------------------------------------- sender -> receiver */

struct sender {
	pfring *ring;
	u_int32_t n;
	u_int64_t full;   /* NO_TX_SLOT_AVAILABLE answers (retried) */
	int error;        /* first unexpected return */
};

static void *send_all(void *arg)
{
	struct sender *s = arg;
	u_char buf[MAX_LEN];
	u_int32_t i;

	for (i = 0; i < s->n; i++) {
		int rc;

		frame_fill(i, buf);
		while ((rc = pfring_send(s->ring, (char *)buf, frame_len(i), 1)) ==
		       PF_RING_ERROR_NO_TX_SLOT_AVAILABLE) {
			s->full++;
			sched_yield();
		}
		if (rc != (int)frame_len(i)) {
			s->error = rc;
			return NULL;
		}
	}
	return NULL;
}

static void test_threads_in_order(void **state)
{
	struct sender s = { 0 };
	pfring *rx = open_enabled("userspace:usr0", recv_only_mode);
	u_char buf[MAX_LEN], want[MAX_LEN];
	u_char *p = buf;
	struct pfring_pkthdr h;
	pfring_stat st;
	pthread_t t;
	u_int32_t i;
	u_int64_t bytes = 0, want_bytes = 0;

	(void)state;
	s.ring = open_enabled("userspace:usr0", send_only_mode);
	s.n = num_frames();
	assert_int_equal(pthread_create(&t, NULL, send_all, &s), 0);
	for (i = 0; i < s.n; i++) {
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 1), 1);
		assert_int_equal(h.len, frame_len(i));
		assert_int_equal(h.caplen, frame_len(i));
		frame_fill(i, want);
		assert_memory_equal(buf, want, h.caplen);
		bytes += h.caplen;
		want_bytes += frame_len(i);
	}
	pthread_join(t, NULL);
	assert_int_equal(s.error, 0);
	assert_int_equal(bytes, want_bytes);
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	assert_int_equal(pfring_stats(rx, &st), 0);
	assert_int_equal(st.recv, s.n);
	assert_int_equal(st.drop, 0);
	fprintf(stderr, "  %u frames, sender saw a full ring %llu times\n", s.n,
		(unsigned long long)s.full);
	pfring_close(s.ring);
	pfring_close(rx);
}

/* ------------------------------------------------------------ full ring */

static void test_full_then_retry(void **state)
{
	pfring *tx = open_enabled("userspace:usr1", send_only_mode);
	pfring *rx = open_enabled("usr1", recv_only_mode);   /* plain name, same ring */
	u_char frame[1000], buf[1000], *p;
	struct pfring_pkthdr h;
	pfring_stat st;
	u_int32_t i, k = 0;
	int rc;

	(void)state;
	memset(frame, 0, sizeof(frame));
	for (;;) {
		memcpy(frame, &k, 4);
		rc = pfring_send(tx, (char *)frame, sizeof(frame), 0);
		if (rc == PF_RING_ERROR_NO_TX_SLOT_AVAILABLE)
			break;
		assert_int_equal(rc, sizeof(frame));
		k++;
		assert_true(k < 100000);
	}
	assert_int_equal(errno, EAGAIN);
	/* 4 MiB of 1016-byte slots */
	assert_true(k > 4000 && k < 4200);
	assert_int_equal(pfring_get_num_queued_pkts(rx), k);
	/* still full without a read: nothing was dropped or counted */
	assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), 0),
			 PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_int_equal(pfring_stats(tx, &st), 0);
	assert_int_equal(st.recv, k);
	assert_int_equal(st.drop, 0);
	/* reading makes room: the retried frame goes in after the others */
	for (i = 0; i < 2; i++) {
		p = buf;
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 1);
		assert_memory_equal(buf, &i, 4);
	}
	memcpy(frame, &k, 4);
	assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), 0), sizeof(frame));
	for (i = 2; i <= k; i++) {
		p = buf;
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 1);
		assert_int_equal(h.caplen, sizeof(frame));
		assert_memory_equal(buf, &i, 4);
	}
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	pfring_close(tx);
	pfring_close(rx);
}

/* Reads n frames, numbered from *next on, in order; then the ring is empty. */
static void read_numbered(pfring *rx, u_int32_t *next, u_int32_t n)
{
	u_char buf[64], *p = buf;
	struct pfring_pkthdr h;
	u_int32_t i;

	for (i = 0; i < n; i++, (*next)++) {
		assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 1);
		assert_memory_equal(buf, next, 4);
	}
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
}

static void send_numbered(pfring *tx, u_int32_t *k, u_int32_t n, u_int8_t flush)
{
	u_char frame[60] = { 0 };
	u_int32_t i;

	for (i = 0; i < n; i++, (*k)++) {
		memcpy(frame, k, 4);
		assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), flush), 60);
	}
}

/* The TX watermark: the receiver sees frames sent without flush in batches of
 * the watermark; flush, a lower watermark, a full ring and close publish what
 * was held back; nothing is lost or reordered. */
static void test_tx_watermark(void **state)
{
	pfring *tx = open_enabled("userspace:usr11", send_only_mode);
	pfring *rx = open_enabled("userspace:usr11", recv_only_mode);
	u_char frame[1000] = { 0 };
	u_int32_t k = 0, next = 0, full;
	int rc;

	(void)state;
	assert_int_equal(pfring_set_tx_watermark(tx, 8), 0);
	assert_int_equal(tx->tx_watermark, 8);
	send_numbered(tx, &k, 7, 0);
	assert_int_equal(pfring_get_num_queued_pkts(rx), 0);
	read_numbered(rx, &next, 0);
	send_numbered(tx, &k, 1, 0);                  /* the 8th: a batch */
	assert_int_equal(pfring_get_num_queued_pkts(rx), 8);
	read_numbered(rx, &next, 8);
	send_numbered(tx, &k, 3, 0);
	assert_int_equal(pfring_get_num_queued_pkts(rx), 0);
	send_numbered(tx, &k, 1, 1);                  /* flush */
	read_numbered(rx, &next, 4);
	send_numbered(tx, &k, 5, 0);
	assert_int_equal(pfring_get_num_queued_pkts(rx), 0);
	assert_int_equal(pfring_set_tx_watermark(tx, 4), 0);   /* 5 held >= 4 */
	read_numbered(rx, &next, 5);

	/* a full ring: all that was sent is visible, so the receiver can make room */
	assert_int_equal(pfring_set_tx_watermark(tx, 65535), 0);
	for (full = 0;; full++, k++) {
		memcpy(frame, &k, 4);
		rc = pfring_send(tx, (char *)frame, sizeof(frame), 0);
		if (rc < 0)
			break;
		assert_true(full < 100000);
	}
	assert_int_equal(rc, PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_true(full > 4000);
	assert_int_equal(pfring_get_num_queued_pkts(rx), full);
	read_numbered(rx, &next, full);

	send_numbered(tx, &k, 2, 0);                  /* held back, then close */
	assert_int_equal(pfring_get_num_queued_pkts(rx), 0);
	pfring_close(tx);
	read_numbered(rx, &next, 2);
	pfring_close(rx);
}

/* zero-copy receive, caplen cut, the largest frame */
static void test_zero_copy_caplen_largest(void **state)
{
	pfring *tx = open_enabled("userspace:usr2", send_only_mode);
	pfring *rx = pfring_open("userspace:usr2", 100, 0);
	u_char frame[MAX_LEN], *p = NULL;
	u_char *huge = calloc(1, MAX_CAPLEN + 1);
	struct pfring_pkthdr h;

	(void)state;
	assert_non_null(rx);
	assert_non_null(huge);
	assert_int_equal(pfring_enable_ring(rx), 0);
	frame_fill(7, frame);
	assert_int_equal(pfring_send(tx, (char *)frame, frame_len(7), 0), (int)frame_len(7));
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 0), 1);
	assert_int_equal(h.caplen, 100);
	assert_int_equal(h.len, frame_len(7));
	assert_memory_equal(p, frame, 100);
	/* the largest frame the API takes fits a slot; one byte more is refused */
	assert_int_equal(pfring_send(tx, (char *)huge, MAX_CAPLEN, 0), MAX_CAPLEN);
	assert_int_equal(pfring_send(tx, (char *)huge, MAX_CAPLEN + 1, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 0), 1);
	assert_int_equal(h.len, MAX_CAPLEN);
	assert_int_equal(h.caplen, 100);
	free(huge);
	pfring_close(tx);
	pfring_close(rx);
}

/* ------------------------------------------------------------ breakloop */

static void *breaker(void *arg)
{
	usleep(50000);
	pfring_breakloop(arg);
	return NULL;
}

static void test_blocking_breakloop(void **state)
{
	pfring *rx = open_enabled("userspace:usr3", recv_only_mode);
	struct pfring_pkthdr h;
	u_char *p;
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, breaker, rx), 0);
	assert_int_equal(pfring_recv(rx, &p, 0, &h, 1), 0);
	pthread_join(t, NULL);
	assert_int_equal(pfring_poll(rx, 10), 0);
	pfring_close(rx);
}

/* ------------------------------------------------------------ open errors */

static void test_open_errors(void **state)
{
	pfring *a, *b, *c;
	u_char frame[64] = { 0 };

	(void)state;
	assert_null(pfring_open("userspace:eth0", 0, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(pfring_open("userspace:usr0@1", 0, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(pfring_open("userspace:usr0;usr1", 0, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(pfring_open("userspace:", 0, 0));
	assert_int_equal(errno, EINVAL);
	/* "usr4x" is no usrN: it goes to the kernel-module default, which says
	 * the module is not loaded (this test never runs with it loaded) */
	assert_null(pfring_open("usr4x", 0, 0));
	assert_int_equal(errno, EAFNOSUPPORT);

	/* one sender and one receiver per ring */
	a = open_enabled("userspace:usr4", send_only_mode);
	b = pfring_open("usr4", 0, 0);
	assert_non_null(b);
	assert_int_equal(pfring_set_socket_mode(b, send_only_mode),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(pfring_enable_ring(b), 0);
	assert_int_equal(pfring_send(b, (char *)frame, sizeof(frame), 0),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	c = open_enabled("userspace:usr4", recv_only_mode);
	assert_int_equal(pfring_is_pkt_available(b), PF_RING_ERROR_WRONG_CONFIGURATION);
	/* closing the sender frees its role */
	pfring_close(a);
	assert_int_equal(pfring_send(b, (char *)frame, sizeof(frame), 0), sizeof(frame));
	assert_int_equal(pfring_is_pkt_available(c), 1);
	/* filtering is not supported here */
	assert_int_equal(pfring_set_bpf_filter(c, (char *)"tcp"), PF_RING_ERROR_NOT_SUPPORTED);
	pfring_close(b);
	pfring_close(c);
}

/* ------------------------------------------------------ across processes */

static const char *self_path;

/* Child: send n frames into name, retrying on a full ring. Exit code 0 = all
 * sent, else the step that failed. */
static int child_send(const char *name, u_int32_t n)
{
	pfring *r = pfring_open(name, 0, 0);
	u_char buf[MAX_LEN];
	u_int32_t i;
	int rc;

	if (r == NULL)
		return 10;
	if (pfring_set_socket_mode(r, send_only_mode) != 0 || pfring_enable_ring(r) != 0)
		return 11;
	for (i = 0; i < n; i++) {
		frame_fill(i, buf);
		while ((rc = pfring_send(r, (char *)buf, frame_len(i), 1)) ==
		       PF_RING_ERROR_NO_TX_SLOT_AVAILABLE)
			usleep(50);
		if (rc != (int)frame_len(i))
			return 12;
	}
	pfring_close(r);
	return 0;
}

/* Child: take the sender role of name, say 'R' on stdout, hold it until
 * stdin is closed. */
static int child_hold(const char *name)
{
	pfring *r = pfring_open(name, 0, 0);
	char ch;

	if (r == NULL || pfring_set_socket_mode(r, send_only_mode) != 0)
		return 20;
	if (write(1, "R", 1) != 1)
		return 21;
	while (read(0, &ch, 1) > 0)
		;
	pfring_close(r);
	return 0;
}

static int child_main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--send") == 0)
		return child_send(argv[2], (u_int32_t)strtoul(argv[3], NULL, 10));
	if (argc == 3 && strcmp(argv[1], "--hold") == 0)
		return child_hold(argv[2]);
	return 99;
}

/* Runs this binary as a child (natively, not under valgrind: it is exec'd)
 * with stdin/stdout on pipes when to_child/from_child are not NULL. */
static pid_t spawn(char *const argv[], int *to_child, int *from_child)
{
	int in[2], out[2];
	pid_t pid;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execv(self_path, argv);
		_exit(98);
	}
	close(in[0]);
	close(out[1]);
	if (to_child)
		*to_child = in[1];
	else
		close(in[1]);
	if (from_child)
		*from_child = out[0];
	else
		close(out[0]);
	return pid;
}

static int wait_exit(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static u_int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u_int64_t)ts.tv_sec * 1000 + (u_int64_t)ts.tv_nsec / 1000000;
}

static void shm_path(const char *usr, char *path, size_t len)
{
	snprintf(path, len, "/pfring-%s-%u", usr, (unsigned int)getuid());
}

static void assert_shm_gone(const char *usr)
{
	char path[64];

	shm_path(usr, path, sizeof(path));
	assert_int_equal(shm_open(path, O_RDWR, 0), -1);
	assert_int_equal(errno, ENOENT);
}

/* Waits (at most 10 s) until some process has created usr's object. */
static void wait_shm_made(const char *usr)
{
	u_int64_t deadline = mono_ms() + 10000;
	char path[64];
	int fd;

	shm_path(usr, path, sizeof(path));
	while ((fd = shm_open(path, O_RDWR, 0)) < 0) {
		assert_int_equal(errno, ENOENT);
		assert_true(mono_ms() < deadline);
		usleep(1000);
	}
	close(fd);
}

/* Receives n frames on rx in order, byte for byte, waiting at most 60 s:
 * in pfring_poll, or (by_fd) in poll(2) on the selectable fd, which must wake
 * within 5 s each time the ring is empty (a lost wake-up fails). */
static void receive_all(pfring *rx, u_int32_t n, int by_fd)
{
	u_int64_t deadline = mono_ms() + 60000;
	u_char buf[MAX_LEN], want[MAX_LEN];
	u_char *p = buf;
	struct pfring_pkthdr h;
	struct pollfd pfd = { .fd = by_fd ? pfring_get_selectable_fd(rx) : -1, .events = POLLIN };
	u_int32_t i = 0;
	int rc;

	if (by_fd)
		assert_true(pfd.fd >= 0);
	while (i < n) {
		rc = pfring_recv(rx, &p, sizeof(buf), &h, 0);
		if (rc == 0) {
			assert_true(mono_ms() < deadline);
			if (by_fd)
				assert_int_equal(poll(&pfd, 1, 5000), 1);
			else
				pfring_poll(rx, 100);
			continue;
		}
		assert_int_equal(rc, 1);
		assert_int_equal(h.len, frame_len(i));
		assert_int_equal(h.caplen, frame_len(i));
		frame_fill(i, want);
		assert_memory_equal(buf, want, h.caplen);
		i++;
	}
}

static void cross_process(int receiver_first, int by_fd)
{
	char count[16];
	char *argv[] = { (char *)self_path, (char *)"--send", (char *)"usr7", count, NULL };
	struct pollfd pfd = { .events = POLLIN };
	u_char buf[MAX_LEN], *p = buf;
	struct pfring_pkthdr h;
	pfring *rx = NULL;
	pfring_stat st;
	pid_t pid;

	snprintf(count, sizeof(count), "%u", num_frames());
	if (receiver_first)
		rx = open_enabled("userspace:usr7", recv_only_mode);
	pid = spawn(argv, NULL, NULL);
	if (!receiver_first) {
		wait_shm_made("usr7");   /* the sender process made it */
		rx = open_enabled("userspace:usr7", recv_only_mode);
	}
	receive_all(rx, num_frames(), by_fd);
	assert_int_equal(wait_exit(pid), 0);
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	if (by_fd) {    /* all read: the fd no longer wakes */
		pfd.fd = pfring_get_selectable_fd(rx);
		assert_int_equal(poll(&pfd, 1, 100), 0);
	}
	assert_int_equal(pfring_stats(rx, &st), 0);
	assert_int_equal(st.recv, num_frames());
	pfring_close(rx);
	assert_shm_gone("usr7");
}

/* the sender process creates the ring, the receiver joins it */
static void test_process_sender_first(void **state)
{
	(void)state;
	cross_process(0, 0);
}

/* the receiver creates the ring before the sender process exists */
static void test_process_receiver_first(void **state)
{
	(void)state;
	cross_process(1, 0);
}

/* A second sender process is refused while the first lives; once the first
 * is killed (no close), its role is taken over and the object still goes away
 * when the last live user closes. */
static void test_process_one_sender(void **state)
{
	char *hold[] = { (char *)self_path, (char *)"--hold", (char *)"usr8", NULL };
	char *send[] = { (char *)self_path, (char *)"--send", (char *)"usr8", (char *)"5", NULL };
	u_char frame[64] = { 0 };
	pfring *tx, *rx;
	int to, from;
	char ch = 0;
	pid_t holder, second;

	(void)state;
	holder = spawn(hold, &to, &from);
	assert_int_equal(read(from, &ch, 1), 1);
	assert_int_equal(ch, 'R');
	/* another process */
	second = spawn(send, NULL, NULL);
	assert_int_equal(wait_exit(second), 11);
	/* and this one */
	tx = pfring_open("usr8", 0, 0);
	assert_non_null(tx);
	assert_int_equal(pfring_set_socket_mode(tx, send_only_mode),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(pfring_enable_ring(tx), 0);
	assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), 0),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	/* the holder dies without closing: its role is free again */
	assert_int_equal(kill(holder, SIGKILL), 0);
	assert_int_equal(waitpid(holder, NULL, 0), holder);
	close(to);
	close(from);
	assert_int_equal(pfring_send(tx, (char *)frame, sizeof(frame), 0), sizeof(frame));
	rx = open_enabled("userspace:usr8", recv_only_mode);
	assert_int_equal(pfring_get_num_queued_pkts(rx), 1);
	pfring_close(tx);
	pfring_close(rx);
	assert_shm_gone("usr8");
}

/* a ring left behind by a crashed process is reused and then removed */
static void test_process_crash_leftover(void **state)
{
	char *hold[] = { (char *)self_path, (char *)"--hold", (char *)"usr9", NULL };
	pfring *rx;
	int to, from;
	char ch = 0;
	pid_t holder;

	(void)state;
	holder = spawn(hold, &to, &from);
	assert_int_equal(read(from, &ch, 1), 1);
	assert_int_equal(kill(holder, SIGKILL), 0);
	assert_int_equal(waitpid(holder, NULL, 0), holder);
	close(to);
	close(from);
	rx = open_enabled("usr9", recv_only_mode);
	assert_int_equal(pfring_get_num_queued_pkts(rx), 0);
	pfring_close(rx);
	assert_shm_gone("usr9");
}

/* an object of that name that is no ring of ours is refused, not used */
static void test_process_foreign_object(void **state)
{
	char path[64];
	int fd;

	(void)state;
	shm_path("usr6", path, sizeof(path));
	fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4096), 0);
	assert_null(pfring_open("usr6", 0, 0));
	assert_int_equal(errno, EPROTO);
	close(fd);
	assert_int_equal(shm_unlink(path), 0);
}

/* A sender process, the receiver waiting in poll(2) on its selectable fd. */
static void test_process_selectable_fd(void **state)
{
	(void)state;
	cross_process(1, 1);
}

/* ------------------------------------------------------- selectable fd */

static void *send_one_later(void *arg)
{
	u_char buf[MAX_LEN];

	usleep(100000);
	frame_fill(0, buf);
	assert_int_equal(pfring_send(arg, (char *)buf, frame_len(0), 1), (int)frame_len(0));
	return NULL;
}

/* The receiver's fd: poll times out on an empty ring, wakes when a frame is
 * sent from another thread, recv returns it, then it times out again; a sender
 * thread's frames, read with poll(2) as the only wait, all arrive. */
static void test_selectable_fd(void **state)
{
	pfring *rx = open_enabled("userspace:usr9", recv_only_mode);
	pfring *tx = open_enabled("userspace:usr9", send_only_mode);
	struct sender snd = { .ring = tx, .n = num_frames() };
	struct pollfd pfd = { .events = POLLIN };
	u_char buf[MAX_LEN], want[MAX_LEN], *p = buf;
	struct pfring_pkthdr h;
	u_int64_t t0;
	pthread_t t;

	(void)state;
	pfd.fd = pfring_get_selectable_fd(rx);
	assert_true(pfd.fd >= 0);
	assert_int_equal(pfring_get_selectable_fd(rx), pfd.fd);
	assert_int_equal(poll(&pfd, 1, 100), 0);
	assert_int_equal(pthread_create(&t, NULL, send_one_later, tx), 0);
	t0 = mono_ms();
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_true(mono_ms() - t0 >= 50);
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 1);
	frame_fill(0, want);
	assert_int_equal(h.caplen, frame_len(0));
	assert_memory_equal(buf, want, h.caplen);
	pthread_join(t, NULL);
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	assert_int_equal(poll(&pfd, 1, 100), 0);

	assert_int_equal(pthread_create(&t, NULL, send_all, &snd), 0);
	receive_all(rx, snd.n, 1);
	pthread_join(t, NULL);
	assert_int_equal(snd.error, 0);
	assert_int_equal(pfring_recv(rx, &p, sizeof(buf), &h, 0), 0);
	assert_int_equal(poll(&pfd, 1, 100), 0);
	pfring_close(tx);
	pfring_close(rx);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_in_order),
		cmocka_unit_test(test_full_then_retry),
		cmocka_unit_test(test_zero_copy_caplen_largest),
		cmocka_unit_test(test_blocking_breakloop),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_process_sender_first),
		cmocka_unit_test(test_process_receiver_first),
		cmocka_unit_test(test_process_one_sender),
		cmocka_unit_test(test_process_crash_leftover),
		cmocka_unit_test(test_process_foreign_object),
		cmocka_unit_test(test_selectable_fd),
		cmocka_unit_test(test_process_selectable_fd),
		cmocka_unit_test(test_tx_watermark),
	};

	self_path = argv[0];
	if (argc > 1)
		return child_main(argc, argv);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
