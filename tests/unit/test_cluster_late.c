/*
 * tests/unit/test_cluster_late.c - a per-flow cluster never splits a flow when
 * its members enable their rings at different times, the way multi-worker IDSes
 * start (core/cluster.h, backends/sim/host.h):
 *  - threads of one process on sim:, lossless wire: the wire waits for the late
 *    member; flows disjoint, complete, both directions together, nothing dropped;
 *  - the same with rate= (lossy): the late member's frames are dropped and counted
 *    on its own drop counter, never handed to the other;
 *  - processes through pfsim, lossless and lossy, the same checks;
 *  - round-robin skips a member that is not enabled; a send-only member gets no
 *    flow at all.
 * Flows are the tests' own (tests/unit/flow_ref.h over the fixture's bytes), and
 * a frame is known by its bytes (the fixture writes each frame's index into its
 * last 4), so nothing here trusts the parser or the hashes under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfring.h>
#include "pcap_ref.h"
#include "flow_ref.h"
#include "pfsim_run.h"

#define FIXTURE    FIXTURE_DIR "/interleaved_flows.pcap"
#define FRAMES     3000u
#define FLOWS      200u
#define CLUSTER_ID 21
#define LATE_MS    100           /* the second member enables this much later */
#define LOSSY_RATE "2000"        /* frames/s: the capture lasts 1.5 s */
#define PROGRESS   300u          /* lossy: the first member has this many before */

static struct ref *fx;           /* the fixture, as libpcap reads it */
static int flow_of[FRAMES];      /* frame index -> flow number, from flow_ref.h */

/* ------------------------------------------------------------ a member */

struct member {
	/* what it does */
	char dev[512];
	cluster_type type;
	int send_only;
	int joined_fd;               /* it writes a byte here once in the cluster, */
	int go_fd;                   /* then waits for one here before enabling, */
	int progress_fd;             /* and writes one here at progress_at frames (0: never), */
	u_int32_t progress_at;
	int pause_at_progress;       /* then waits for another byte on go_fd before reading on */
	/* what it saw */
	u_int32_t n;                 /* frames received, idx[0 .. n) in order */
	u_int32_t idx[FRAMES];
	u_int64_t recv, drop;        /* pfring_stats at the end */
	int err;                     /* 0, or the step that failed (threads cannot assert) */
};

/* The fixture's frame i ends with i (big endian); 0, or -1 if it is no frame
 * of the fixture (index out of range, or other bytes than the fixture's). */
static int frame_index(const u_char *d, u_int32_t caplen, u_int32_t *idx)
{
	u_int32_t i;

	if (caplen < 4)
		return -1;
	i = (u_int32_t)d[caplen - 4] << 24 | (u_int32_t)d[caplen - 3] << 16 |
	    (u_int32_t)d[caplen - 2] << 8 | d[caplen - 1];
	if (i >= FRAMES || caplen != fx->caplen[i] || memcmp(d, fx->data[i], caplen) != 0)
		return -1;
	*idx = i;
	return 0;
}

/* Join, wait for go, enable, read until idle (a blocking recv would wait
 * forever once the capture is over); the send-only member does not read (the
 * front refuses recv on it) and only waits as long. */
static void member_run(struct member *m)
{
	u_int64_t idle_ms = quick() ? 4000 : 1500, end = now_ms() + 90000, last;
	struct pfring_pkthdr h;
	pfring_stat st = { 0, 0 };
	u_char *p;
	char c = 'x';
	pfring *r = pfring_open(m->dev, 1536, 0);

	if (r == NULL) {
		m->err = 1;
		return;
	}
	if ((m->send_only && pfring_set_socket_mode(r, send_only_mode) != 0) ||
	    pfring_set_cluster(r, CLUSTER_ID, m->type) != 0)
		m->err = 2;
	else if (write(m->joined_fd, &c, 1) != 1 || read(m->go_fd, &c, 1) != 1)
		m->err = 3;
	else if (pfring_enable_ring(r) != 0)
		m->err = 4;
	for (last = now_ms(); m->err == 0 && now_ms() - last < idle_ms;) {
		int rc = m->send_only ? 0 : pfring_recv(r, &p, 0, &h, 0);

		if (now_ms() > end)
			m->err = 5;
		else if (rc < 0)
			m->err = 6;
		else if (rc == 1 && (m->n >= FRAMES || frame_index(p, h.caplen, &m->idx[m->n]) < 0))
			m->err = 7;
		else if (rc == 0 && !m->send_only)
			pfring_poll(r, 20);
		else if (rc == 0)
			usleep(20000);
		else {
			last = now_ms();
			__atomic_store_n(&m->n, m->n + 1, __ATOMIC_RELEASE);
			if (m->n == m->progress_at &&
			    (write(m->progress_fd, &c, 1) != 1 ||
			     (m->pause_at_progress && read(m->go_fd, &c, 1) != 1)))
				m->err = 8;
		}
	}
	if (m->err == 0 && pfring_stats(r, &st) != 0)
		m->err = 9;
	m->recv = st.recv;
	m->drop = st.drop;
	pfring_close(r);
}

static void *member_thread(void *arg)
{
	member_run(arg);
	return NULL;
}

/* ------------------------------------------------------------ a run */

struct run {
	int members;
	struct member *m;            /* members[] */
	int joined[2], progress[2];  /* pipes: members -> test */
	int go[4][2];                /* pipes: test -> member k */
	pthread_t tid[4];
	pid_t pid[4];
	int processes;
};

static struct run *run_new(int members, const char *dev, cluster_type type)
{
	struct run *r = calloc(1, sizeof(*r));
	int k;

	assert_non_null(r);
	r->members = members;
	r->m = calloc((size_t)members, sizeof(*r->m));
	assert_non_null(r->m);
	assert_int_equal(pipe(r->joined), 0);
	assert_int_equal(pipe(r->progress), 0);
	for (k = 0; k < members; k++) {
		assert_int_equal(pipe(r->go[k]), 0);
		snprintf(r->m[k].dev, sizeof(r->m[k].dev), "%s", dev);
		r->m[k].type = type;
		r->m[k].joined_fd = r->joined[1];
		r->m[k].go_fd = r->go[k][0];
		r->m[k].progress_fd = r->progress[1];
	}
	return r;
}

static void run_free(struct run *r)
{
	int k;

	close(r->joined[0]);
	close(r->joined[1]);
	close(r->progress[0]);
	close(r->progress[1]);
	for (k = 0; k < r->members; k++) {
		close(r->go[k][0]);
		close(r->go[k][1]);
	}
	free(r->m);
	free(r);
}

/* A member in a process of its own: its struct member comes back in a file. */
static pid_t member_process(struct run *r, int k)
{
	char path[160];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/member%d.bin", pfsim_dir, k);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		alarm(150);
		member_run(&r->m[k]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		_exit(fd >= 0 && write(fd, &r->m[k], sizeof(r->m[k])) ==
				 (ssize_t)sizeof(r->m[k]) ? 0 : 20);
	}
	return pid;
}

/* One byte from a member, within 60 s. */
static void read_from_member(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	assert_int_equal(poll(&p, 1, 60000), 1);
	assert_int_equal(read(fd, &c, 1), 1);
}

/* Start every member; return once all of them have joined the cluster. */
static void run_start(struct run *r, int processes)
{
	int k;

	r->processes = processes;
	for (k = 0; k < r->members; k++) {
		if (processes)
			r->pid[k] = member_process(r, k);
		else
			assert_int_equal(pthread_create(&r->tid[k], NULL, member_thread, &r->m[k]),
					 0);
	}
	for (k = 0; k < r->members; k++)
		read_from_member(r->joined[0]);
}

static void run_go(struct run *r, int k)
{
	assert_int_equal(write(r->go[k][1], "g", 1), 1);
}

/* The first member has PROGRESS frames. */
static void run_wait_progress(struct run *r)
{
	read_from_member(r->progress[0]);
}

static void run_join(struct run *r)
{
	char path[160];
	int k, st, fd;

	for (k = 0; k < r->members; k++) {
		if (!r->processes) {
			assert_int_equal(pthread_join(r->tid[k], NULL), 0);
		} else {
			st = wait_bounded(r->pid[k], 150000);
			assert_true(st != -1 && WIFEXITED(st));
			assert_int_equal(WEXITSTATUS(st), 0);
			snprintf(path, sizeof(path), "%s/member%d.bin", pfsim_dir, k);
			fd = open(path, O_RDONLY);
			assert_true(fd >= 0);
			assert_int_equal(read(fd, &r->m[k], sizeof(r->m[k])), sizeof(r->m[k]));
			close(fd);
		}
		assert_int_equal(r->m[k].err, 0);
		assert_int_equal(r->m[k].recv, r->m[k].n);
	}
}

/* ------------------------------------------------------------ the checks */

/*
 * Every delivered frame at most once; each flow's frames on one member (both
 * directions: flow_ref keys are symmetric); owner[f] = that member or -1.
 * Returns the frames delivered in all.
 */
static u_int32_t check_disjoint(const struct run *r, int owner[FLOWS])
{
	static u_int8_t taken[FRAMES];
	u_int32_t total = 0, i;
	int k;

	memset(taken, 0, sizeof(taken));
	for (i = 0; i < FLOWS; i++)
		owner[i] = -1;
	for (k = 0; k < r->members; k++) {
		for (i = 0; i < r->m[k].n; i++) {
			u_int32_t x = r->m[k].idx[i];
			int f = flow_of[x];

			assert_int_equal(taken[x], 0);
			taken[x] = 1;
			if (owner[f] < 0)
				owner[f] = k;
			if (owner[f] != k)
				fail_msg("flow %d (frame %u) reached members %d and %d", f, x,
					 owner[f], k);
		}
		total += r->m[k].n;
	}
	return total;
}

/* Frames of the fixture whose flow member k owns. */
static u_int32_t frames_owned(const int owner[FLOWS], int k)
{
	u_int32_t i, n = 0;

	for (i = 0; i < FRAMES; i++)
		n += owner[flow_of[i]] == k;
	return n;
}

/* Lossless: all frames delivered, every flow on one member, none dropped; the
 * first member never got past the first frame of the late member's flows
 * before that member was enabled (first_before: what it had then). */
static void check_lossless(const struct run *r, u_int32_t first_before)
{
	int owner[FLOWS], k;
	u_int32_t i, flows = 0, allowed = 0;

	assert_int_equal(check_disjoint(r, owner), FRAMES);
	for (i = 0; i < FLOWS; i++)
		flows += owner[i] >= 0;
	assert_int_equal(flows, FLOWS);
	for (k = 0; k < r->members; k++) {
		assert_int_equal(r->m[k].drop, 0);
		assert_int_equal(r->m[k].n, frames_owned(owner, k));
		assert_true(r->m[k].n > 0);     /* the hash spreads the flows */
	}
	while (allowed < FRAMES && owner[flow_of[allowed]] != 1)
		allowed++;
	assert_true(first_before <= allowed);
}

/* Lossy: every frame delivered or dropped on its own member: the first member
 * (enabled from the start, its ring never full) got exactly its flows' frames;
 * the late member delivered + dropped exactly the rest, and did drop. */
static void check_lossy(const struct run *r)
{
	int owner[FLOWS];

	check_disjoint(r, owner);
	assert_int_equal(r->m[0].drop, 0);
	assert_int_equal(r->m[0].n, frames_owned(owner, 0));
	assert_int_equal(r->m[1].n + r->m[1].drop, FRAMES - r->m[0].n);
	assert_true(r->m[1].drop > 0);
	assert_true(r->m[1].n > 0);
}

/* ------------------------------------------------------------ the tests */

/* Two members; the second enables LATE_MS after the first (lossless), or
 * LATE_MS after the first has PROGRESS frames (lossy: the wire runs on time). */
static void late_member(const char *dev, int processes, int lossy)
{
	struct run *r = run_new(2, dev, cluster_per_flow_5_tuple);
	u_int32_t first_before;

	r->m[0].progress_at = lossy ? PROGRESS : 0;
	run_start(r, processes);
	run_go(r, 0);
	if (lossy)
		run_wait_progress(r);
	usleep(LATE_MS * 1000);
	first_before = __atomic_load_n(&r->m[0].n, __ATOMIC_ACQUIRE);
	run_go(r, 1);
	run_join(r);
	if (lossy) {
		check_lossy(r);
	} else {
		if (processes)
			first_before = 0;   /* another process's count is not visible here */
		check_lossless(r, first_before);
	}
	run_free(r);
}

static void test_threads_lossless(void **state)
{
	(void)state;
	late_member("sim:late1?pcap=" FIXTURE, 0, 0);
}

static void test_threads_lossy(void **state)
{
	(void)state;
	late_member("sim:late2?pcap=" FIXTURE "&rate=" LOSSY_RATE, 0, 1);
}

static void test_pfsim_lossless(void **state)
{
	pid_t srv;

	(void)state;
	alarm(300);
	srv = pfsim_start(pfsim_dir, "late3", "pcap=" FIXTURE, "1");
	late_member("sim:late3", 1, 0);
	pfsim_stop(srv);
}

static void test_pfsim_lossy(void **state)
{
	pid_t srv;

	(void)state;
	alarm(300);
	srv = pfsim_start(pfsim_dir, "late4", "pcap=" FIXTURE "&rate=" LOSSY_RATE, "1");
	late_member("sim:late4", 1, 1);
	pfsim_stop(srv);
}

/* Round-robin: while the second member is not enabled the first takes every
 * turn (nothing waits for a member that is not enabled); the first pauses at
 * PROGRESS frames (the wire is pulled by its readers, so it stops too), the
 * second enables and reads, then they alternate; nothing lost. */
static void test_round_robin_late(void **state)
{
	struct run *r = run_new(2, "sim:late5?pcap=" FIXTURE, cluster_round_robin);
	u_int32_t i, alternating = 0;

	(void)state;
	r->m[0].progress_at = PROGRESS;
	r->m[0].pause_at_progress = 1;
	run_start(r, 0);
	run_go(r, 0);
	run_wait_progress(r);
	run_go(r, 1);
	usleep(LATE_MS * 1000);
	run_go(r, 0);               /* the first reads on */
	run_join(r);
	assert_int_equal(r->m[0].n + r->m[1].n, FRAMES);
	assert_int_equal(r->m[0].drop + r->m[1].drop, 0);
	/* the second's frames: every other one of those after its enable */
	assert_true(r->m[1].n > 0);
	for (i = 1; i < r->m[1].n; i++)
		alternating += r->m[1].idx[i] == r->m[1].idx[i - 1] + 2;
	assert_int_equal(alternating, r->m[1].n - 1);
	run_free(r);
}

/* A send-only member is never given a flow: the other two share all of them. */
static void test_send_only_member(void **state)
{
	struct run *r = run_new(3, "sim:late6?pcap=" FIXTURE, cluster_per_flow_5_tuple);
	int owner[FLOWS], k;

	(void)state;
	r->m[1].send_only = 1;
	run_start(r, 0);
	for (k = 0; k < 3; k++)
		run_go(r, k);
	run_join(r);
	assert_int_equal(check_disjoint(r, owner), FRAMES);
	assert_int_equal(r->m[1].n + r->m[1].drop, 0);
	assert_int_equal(r->m[0].n, frames_owned(owner, 0));
	assert_int_equal(r->m[2].n, frames_owned(owner, 2));
	assert_true(r->m[0].n > 0 && r->m[2].n > 0);
	run_free(r);
}

/* ------------------------------------------------------------ setup */

static int setup(void **state)
{
	struct flow_ref_key keys[FLOWS], k;
	u_int32_t i, nkeys = 0, j;

	(void)state;
	fx = ref_load(FIXTURE, NULL);
	if (fx->n != FRAMES)
		return -1;
	for (i = 0; i < FRAMES; i++) {
		if (!flow_ref_key(fx->data[i], fx->caplen[i], &k))
			return -1;
		for (j = 0; j < nkeys && memcmp(&keys[j], &k, sizeof(k)) != 0; j++)
			;
		if (j == nkeys) {
			if (nkeys == FLOWS)
				return -1;
			keys[nkeys++] = k;
		}
		flow_of[i] = (int)j;
	}
	if (nkeys != FLOWS)
		return -1;
	return pfsim_dir_setup(state);
}

static int teardown(void **state)
{
	ref_free(fx);
	return pfsim_dir_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_lossless),
		cmocka_unit_test(test_threads_lossy),
		cmocka_unit_test(test_pfsim_lossless),
		cmocka_unit_test(test_pfsim_lossy),
		cmocka_unit_test(test_round_robin_late),
		cmocka_unit_test(test_send_only_member),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
