/*
 * tests/unit/test_pfsim.c - shared mode of sim: (backends/sim/shared_proto.h): pfsim
 * (run in a forked child through pfsim_main) serves a NIC, member processes
 * (forked children that open through libpfring after the fork) join one
 * per-flow cluster and split its traffic; a member killed mid-run; a name
 * pfsim does not serve; pfsim's usage errors; filtering through pfsim (rules,
 * BPF, their errors, a filtered cluster). Every wait is bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <pfring.h>
#include "pfsim_run.h"
#include "pcap_ref.h"
#include "bpf_level0.h"

#define PCAP       FIXTURE_DIR "/many_flows.pcap"
#define FRAMES     2000u          /* frames of many_flows.pcap */
#define FLOWS      1000u
#define MEMBERS    3
#define CLUSTER_ID 7
#define TCP_FRAMES 1000u          /* of them TCP (the other 1000 UDP) */
#define TCP_FLOWS  500u
#define DROP_UDP_RULE 5

enum member_filter { NO_FILTER, RULE_DROP_UDP, BPF_TCP, BPF_TCP_LEVEL0 };

struct flow_rec {                 /* a symmetric flow key: the lower end first */
	uint8_t lo[16], hi[16];
	uint16_t lo_port, hi_port;
	uint8_t proto, pad[3];
};

static enum member_filter filter_mode;  /* what member() applies (set before fork) */

static char *read_log(void)
{
	static char buf[8192];
	char log[160];
	ssize_t n;
	int fd;

	snprintf(log, sizeof(log), "%s/pfsim.log", pfsim_dir);
	fd = open(log, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* ------------------------------------------------------------ members */

static void flow_key(const struct pfring_pkthdr *h, struct flow_rec *r)
{
	const struct pkt_parsing_info *p = &h->extended_hdr.parsed_pkt;
	uint8_t a[18], b[18];

	memset(r, 0, sizeof(*r));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	if (p->ip_version == 6) {
		memcpy(a, &p->ip_src.v6, 16);
		memcpy(b, &p->ip_dst.v6, 16);
	} else {
		memcpy(a, &p->ip_src.v4, 4);
		memcpy(b, &p->ip_dst.v4, 4);
	}
	memcpy(a + 16, &p->l4_src_port, 2);
	memcpy(b + 16, &p->l4_dst_port, 2);
	if (memcmp(a, b, sizeof(a)) > 0) {
		uint8_t t[18];

		memcpy(t, a, sizeof(t));
		memcpy(a, b, sizeof(t));
		memcpy(b, t, sizeof(t));
	}
	memcpy(r->lo, a, 16);
	memcpy(r->hi, b, 16);
	memcpy(&r->lo_port, a + 16, 2);
	memcpy(&r->hi_port, b + 16, 2);
	r->proto = p->l3_proto;
}

/* The wildcard rule that drops UDP. */
static void udp_drop_rule(filtering_rule *rule, u_int16_t id)
{
	memset(rule, 0, sizeof(*rule));
	rule->rule_id = id;
	rule->rule_action = dont_forward_packet_and_stop_rule_evaluation;
	rule->core_fields.proto = 17;
}

/* member()'s filter_mode on r: 0 or an exit status. */
static int member_filter(pfring *r)
{
	filtering_rule rule;

	if (filter_mode == RULE_DROP_UDP) {
		udp_drop_rule(&rule, DROP_UDP_RULE);
		if (pfring_toggle_filtering_policy(r, 1) != 0 ||
		    pfring_add_filtering_rule(r, &rule) != 0)
			return 15;
	} else if (filter_mode == BPF_TCP) {
		if (pfring_set_bpf_filter(r, "tcp") != 0)
			return 16;
	} else if (filter_mode == BPF_TCP_LEVEL0) {
		if (attach_level0(pfring_get_selectable_fd(r), "tcp") != 0)
			return 19;
	}
	return 0;
}

/* After the run: the rule's stats say it matched every UDP frame. */
static int member_rule_stats(pfring *r)
{
	pfring_rule_stats st;
	u_int len = sizeof(st);

	if (filter_mode != RULE_DROP_UDP)
		return 0;
	if (pfring_get_filtering_rule_stats(r, DROP_UDP_RULE, (char *)&st, &len) != 0 ||
	    len != sizeof(st))
		return 17;
	return st.matching_packets == FRAMES - TCP_FRAMES ? 0 : 18;
}

/*
 * A member process: joins the cluster (cluster: non-zero), applies filter_mode,
 * writes one flow_rec per frame to
 * out_fd, stops after idle_ms without frames (once it had one) or 60 s.
 * stop_after > 0: after that many frames it tells ready_fd and stops reading
 * (it waits to be killed). Exit status 0 when all went well.
 */
static void member(int out_fd, unsigned stop_after, int ready_fd, int cluster)
{
	struct pfring_pkthdr h;
	u_char buf[256], *p = buf;
	uint64_t last = 0, end = now_ms() + 60000;
	unsigned got = 0;
	pfring *r;
	int rc;

	alarm(120);
	r = pfring_open("sim:flows", 128, PF_RING_LONG_HEADER);
	if (r == NULL)
		_exit(10);
	if (cluster && pfring_set_cluster(r, CLUSTER_ID, cluster_per_flow) != 0)
		_exit(11);
	rc = member_filter(r);
	if (rc)
		_exit(rc);
	if (pfring_enable_ring(r) != 0)
		_exit(11);
	while (now_ms() < end) {
		rc = pfring_recv(r, &p, sizeof(buf), &h, 0);
		if (rc < 0)
			_exit(12);
		if (rc == 1) {
			struct flow_rec fr;

			flow_key(&h, &fr);
			if (write(out_fd, &fr, sizeof(fr)) != (ssize_t)sizeof(fr))
				_exit(13);
			last = now_ms();
			if (++got == stop_after) {
				if (write(ready_fd, "k", 1) != 1)
					_exit(14);
				for (;;)
					pause();
			}
			continue;
		}
		if (last && now_ms() - last > (quick() ? 4000 : 1500))
			break;
		pfring_poll(r, 50);
	}
	rc = member_rule_stats(r);
	pfring_close(r);
	_exit(rc);
}

static pid_t member_start_in(int k, unsigned stop_after, int ready_fd, int cluster)
{
	char path[160];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/member%d.bin", pfsim_dir, k);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0)
			_exit(9);
		member(fd, stop_after, ready_fd, cluster);
	}
	return pid;
}

static pid_t member_start(int k, unsigned stop_after, int ready_fd)
{
	return member_start_in(k, stop_after, ready_fd, 1);
}

/* member k's records; *n of them. */
static struct flow_rec *member_records(int k, size_t *n)
{
	char path[160];
	struct stat st;
	struct flow_rec *v;
	int fd;

	snprintf(path, sizeof(path), "%s/member%d.bin", pfsim_dir, k);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size % (off_t)sizeof(struct flow_rec), 0);
	*n = (size_t)st.st_size / sizeof(struct flow_rec);
	v = malloc(st.st_size ? (size_t)st.st_size : 1);
	assert_non_null(v);
	assert_int_equal(read(fd, v, (size_t)st.st_size), st.st_size);
	close(fd);
	return v;
}

struct tagged {
	struct flow_rec r;
	int member;
};

static int cmp_tagged(const void *a, const void *b)
{
	return memcmp(&((const struct tagged *)a)->r, &((const struct tagged *)b)->r,
		      sizeof(struct flow_rec));
}

/* ------------------------------------------------------------ tests */

/* Members 0 .. members-1 together: frames frames of flows flows, each flow
 * on exactly one member, both directions together, every member some; all
 * of protocol proto when non-zero. */
static void check_split(int members, size_t frames, size_t flows_want, uint8_t proto)
{
	struct tagged *all;
	size_t n, total = 0, flows = 0, i, j;
	int k, per_member[MEMBERS] = { 0 };

	all = malloc(sizeof(*all) * (FRAMES + 1));
	assert_non_null(all);
	for (k = 0; k < members; k++) {
		struct flow_rec *v = member_records(k, &n);

		assert_true(total + n <= FRAMES);
		for (i = 0; i < n; i++) {
			all[total + i].r = v[i];
			all[total + i].member = k;
			if (proto)
				assert_int_equal(v[i].proto, proto);
		}
		total += n;
		free(v);
	}
	assert_int_equal(total, frames);
	qsort(all, total, sizeof(*all), cmp_tagged);
	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total && cmp_tagged(&all[i], &all[j]) == 0; j++)
			assert_int_equal(all[j].member, all[i].member);
		assert_int_equal(j - i, 2);         /* one frame each way */
		per_member[all[i].member]++;
		flows++;
	}
	assert_int_equal(flows, flows_want);
	for (k = 0; k < members; k++)
		assert_true(per_member[k] > 0);     /* the hash spreads the flows */
	free(all);
}

static void wait_members(const pid_t *pid, int members)
{
	int k, st;

	for (k = 0; k < members; k++) {
		st = wait_bounded(pid[k], 90000);
		assert_true(st != -1);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
}

/* 3 processes, one per-flow cluster: each flow on exactly one, both
 * directions together, all 2000 frames in the union. Rings closed with
 * pfring_close are no deaths: pfsim logs no reclaim for them. */
static void test_cluster_of_processes(void **state)
{
	pid_t srv, pid[MEMBERS];
	int k;

	(void)state;
	alarm(300);
	filter_mode = NO_FILTER;
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "3");
	for (k = 0; k < MEMBERS; k++)
		pid[k] = member_start(k, 0, -1);
	wait_members(pid, MEMBERS);
	pfsim_stop(srv);
	check_split(MEMBERS, FRAMES, FLOWS, 0);
	assert_null(strstr(read_log(), "reclaimed"));
}

/* A close pfsim has not read yet when it is told to stop is still a close:
 * pfsim is frozen (SIGSTOP) while the ring's CLOSE is queued on its socket,
 * gets SIGTERM, and only then runs again. It must log no "lost, reclaimed". */
static void test_close_queued_at_stop(void **state)
{
	pid_t srv;
	pfring *r;
	int st;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "cq", "pcap=" PCAP, "1");
	r = pfring_open("sim:cq", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(kill(srv, SIGSTOP), 0);
	assert_int_equal(waitpid(srv, &st, WUNTRACED), srv);
	assert_true(WIFSTOPPED(st));
	pfring_close(r);                  /* its CLOSE waits in pfsim's socket */
	assert_int_equal(kill(srv, SIGTERM), 0);
	assert_int_equal(kill(srv, SIGCONT), 0);
	st = wait_bounded(srv, 30000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_null(strstr(read_log(), "lost, reclaimed"));
}

/* One member process filtering through pfsim: exactly the TCP frames (and,
 * for the rule, its stats: 1000 UDP frames matched, checked in the member). */
static void one_filtered_member(enum member_filter mode)
{
	size_t n, i;
	struct flow_rec *v;
	pid_t srv, pid;

	alarm(120);
	filter_mode = mode;
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	pid = member_start_in(0, 0, -1, 0);
	wait_members(&pid, 1);
	pfsim_stop(srv);
	filter_mode = NO_FILTER;
	v = member_records(0, &n);
	assert_int_equal(n, TCP_FRAMES);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].proto, 6);
	free(v);
}

static void test_rule_drops_udp(void **state)
{
	(void)state;
	one_filtered_member(RULE_DROP_UDP);
}

static void test_bpf_tcp(void **state)
{
	(void)state;
	one_filtered_member(BPF_TCP);
}

/* BPF attached as libpcap-ring and Snort's DAQ do, setsockopt(selectable fd, 0,
 * SO_ATTACH_FILTER): exactly the frames libpcap's "tcp" matches. */
static void test_bpf_tcp_level0(void **state)
{
	struct ref *ref = ref_load(PCAP, "tcp");

	(void)state;
	assert_int_equal(ref_matches(ref), TCP_FRAMES);
	ref_free(ref);
	one_filtered_member(BPF_TCP_LEVEL0);
}

/* A 2-member per-flow cluster, BPF "tcp" on each: exactly the TCP flows,
 * split. */
static void test_filtered_cluster(void **state)
{
	pid_t srv, pid[2];
	int k;

	(void)state;
	alarm(300);
	filter_mode = BPF_TCP;
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "2");
	for (k = 0; k < 2; k++)
		pid[k] = member_start(k, 0, -1);
	wait_members(pid, 2);
	pfsim_stop(srv);
	filter_mode = NO_FILTER;
	check_split(2, TCP_FRAMES, TCP_FLOWS, 6);
}

/* Errors through pfsim: a duplicate rule id is refused by pfsim's core; a bad
 * BPF expression fails in the client, without a round trip (pfsim is
 * stopped meanwhile: a request would wait for the 5 s timeout); the other
 * ops answer core's results. */
static void test_filter_errors(void **state)
{
	filtering_rule rule;
	pfring_rule_stats st;
	u_int len = sizeof(st);
	uint64_t t0;
	pid_t srv;
	pfring *r;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	udp_drop_rule(&rule, 9);
	assert_int_equal(pfring_add_filtering_rule(r, &rule), 0);
	assert_int_equal(pfring_add_filtering_rule(r, &rule), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_get_filtering_rule_stats(r, 9, (char *)&st, &len), 0);
	assert_int_equal(len, sizeof(st));
	assert_int_equal(st.matching_packets, 0);
	assert_int_equal(pfring_remove_filtering_rule(r, 9), 0);
	assert_true(pfring_remove_filtering_rule(r, 9) < 0);
	assert_true(pfring_get_filtering_rule_stats(r, 9, (char *)&st, &len) < 0);
	assert_int_equal(pfring_set_bpf_filter(r, "udp"), 0);
	assert_int_equal(pfring_remove_bpf_filter(r), 0);
	assert_int_equal(pfring_toggle_filtering_policy(r, 0), 0);

	assert_int_equal(kill(srv, SIGSTOP), 0);
	t0 = now_ms();
	assert_true(pfring_set_bpf_filter(r, "tcp and and") < 0);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(kill(srv, SIGCONT), 0);
	assert_int_equal(pfring_set_bpf_filter(r, "tcp"), 0);   /* the connection is fine */
	pfring_close(r);
	pfsim_stop(srv);
}

/* Parse "ring N reclaimed (offered X, relayed Y)" lines. */
static int log_rings(unsigned long long off[], unsigned long long rel[], int max)
{
	const char *s = read_log();
	int n = 0;

	while (n < max && (s = strstr(s, " reclaimed (offered ")) != NULL) {
		assert_int_equal(sscanf(s, " reclaimed (offered %llu, relayed %llu)",
					&off[n], &rel[n]), 2);
		n++;
		s++;
	}
	return n;
}

/* A member SIGKILLed mid-run: it leaves the cluster, its ring is reclaimed,
 * the others get every other frame and nothing hangs. pfsim runs with -v, so
 * that the survivors' closes are logged too; the victim's line says "lost". */
static void test_member_killed(void **state)
{
	unsigned loops = quick() ? 5 : 50, total = FRAMES * loops, stop_after = 100;
	unsigned long long off[8], rel[8], victim_off = 0, sum_off = 0;
	const char *const verbose[] = { "-v", NULL };
	size_t n[MEMBERS], survivors = 0;
	char opts[256], c;
	pid_t srv, pid[MEMBERS];
	int k, st, pfd[2], lines, matched[8] = { 0 }, i;
	struct pollfd p;

	(void)state;
	alarm(300);
	assert_int_equal(pipe(pfd), 0);
	snprintf(opts, sizeof(opts), "pcap=%s&loop=%u", PCAP, loops);
	srv = pfsim_start_with(pfsim_dir, "flows", opts, "3", verbose);
	pid[0] = member_start(0, stop_after, pfd[1]);  /* the victim */
	for (k = 1; k < MEMBERS; k++)
		pid[k] = member_start(k, 0, -1);
	p = (struct pollfd){ .fd = pfd[0], .events = POLLIN };
	assert_int_equal(poll(&p, 1, 60000), 1);
	assert_int_equal(read(pfd[0], &c, 1), 1);
	kill(pid[0], SIGKILL);
	st = wait_bounded(pid[0], 10000);
	assert_true(WIFSIGNALED(st));
	for (k = 1; k < MEMBERS; k++) {
		st = wait_bounded(pid[k], 120000);
		assert_true(st != -1);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	pfsim_stop(srv);
	close(pfd[0]);
	close(pfd[1]);

	for (k = 0; k < MEMBERS; k++)
		free(member_records(k, &n[k]));
	assert_int_equal(n[0], stop_after);
	lines = log_rings(off, rel, 8);
	assert_int_equal(lines, MEMBERS);
	for (i = 0; i < lines; i++)
		sum_off += off[i];
	assert_int_equal(sum_off, total);   /* each frame offered to exactly one member */
	/* the survivors got everything offered to them: find their lines */
	for (k = 1; k < MEMBERS; k++) {
		for (i = 0; i < lines; i++) {
			if (!matched[i] && off[i] == n[k] && rel[i] == n[k]) {
				matched[i] = 1;
				break;
			}
		}
		assert_true(i < lines);
		survivors += n[k];
	}
	for (i = 0; i < lines; i++)
		if (!matched[i])
			victim_off = off[i];
	assert_true(victim_off >= stop_after);
	assert_non_null(strstr(read_log(), " lost, reclaimed (offered "));
	assert_int_equal(survivors + victim_off, total);
	assert_true(survivors > 0);
}

/* A name pfsim does not serve (and this process has no NIC of): the usual
 * "no NIC" error; a name it serves opens through pfsim. */
static void test_unknown_name(void **state)
{
	pid_t srv;
	pfring *r;
	int ifindex = 0;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	errno = 0;
	r = pfring_open("sim:nosuch", 128, 0);
	assert_null(r);
	assert_int_equal(errno, ENODEV);
	r = pfring_open("sim:flows@5", 128, 0);   /* pfsim's NIC has 1 queue */
	assert_null(r);
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_get_bound_device_ifindex(r, &ifindex), 0);
	assert_true(ifindex >= 1000);
	assert_int_equal(pfring_get_num_rx_channels(r), 1);
	pfring_close(r);
	pfsim_stop(srv);
}

/* Stats through pfsim: recv counts what reached the ring, exactly; every frame
 * arrives in order as the fixture has it, cut to the ring's caplen (pfsim's
 * relay keeps each frame's own caplen, never the ring's). */
static void test_single_member_stats(void **state)
{
	struct ref *want = ref_load(PCAP, NULL);
	struct pfring_pkthdr h;
	u_char *p;
	pfring_stat s;
	unsigned got = 0;
	uint64_t end;
	pid_t srv;
	pfring *r;
	int rc;

	(void)state;
	alarm(120);
	assert_int_equal(want->n, FRAMES);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	for (end = now_ms() + 60000; got < FRAMES && now_ms() < end;) {
		rc = pfring_recv(r, &p, 0, &h, 1);
		assert_true(rc >= 0);
		if (rc == 1) {
			assert_int_equal(h.len, want->len[got]);
			assert_int_equal(h.caplen, want->caplen[got] < 128 ? want->caplen[got] : 128);
			assert_memory_equal(p, want->data[got], h.caplen);
			got++;
		}
	}
	assert_int_equal(got, FRAMES);
	assert_int_equal(pfring_stats(r, &s), 0);
	assert_int_equal(s.recv, FRAMES);
	assert_int_equal(s.drop, 0);
	pfring_close(r);
	pfsim_stop(srv);
	ref_free(want);
}

/* The selectable fd is readable while frames wait, as pf_ring.ko's socket
 * is: a reader that sleeps in pfring_poll while pfsim publishes a batch, then
 * waits in poll(2) on the fd and takes one frame per readiness (dumpcap's
 * way), gets every frame. Before, pfring_poll consumed the batch's only
 * signal, and such a reader waited for ever (dumpcap stalled after 513 of
 * 2000 frames in 2 runs of 6). pfsim holds the wire until a second ring is
 * enabled (-w 2), 200 ms after the reader went to sleep. */
static void *enable_later(void *ring)
{
	usleep(200 * 1000);
	assert_int_equal(pfring_enable_ring(ring), 0);
	return NULL;
}

static void test_select_reader(void **state)
{
	const unsigned frames = 15; /* sip.pcap: one relay batch */
	struct pfring_pkthdr h;
	unsigned got = 0;
	pthread_t t;
	u_char *p;
	pid_t srv;
	pfring *r, *holder;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "sip", "pcap=" FIXTURE_DIR "/sip.pcap", "2");
	r = pfring_open("sim:sip", 128, 0);
	holder = pfring_open("sim:sip", 128, 0);
	assert_non_null(r);
	assert_non_null(holder);
	assert_int_equal(pfring_enable_ring(r), 0);
	assert_int_equal(pthread_create(&t, NULL, enable_later, holder), 0);
	assert_int_equal(pfring_poll(r, 5000), 1);
	while (got < frames) {
		struct pollfd pf = { .fd = pfring_get_selectable_fd(r), .events = POLLIN };

		if (poll(&pf, 1, 2000) != 1)
			break; /* frames wait and the fd says nothing: the bug */
		assert_int_equal(pfring_recv(r, &p, 0, &h, 0), 1);
		got++;
	}
	assert_int_equal(got, frames);
	pthread_join(t, NULL);
	pfring_close(holder);
	pfring_close(r);
	pfsim_stop(srv);
}

/* pfsim killed under a blocked reader: the reader's recv fails, bounded. */
static void test_pfsim_death(void **state)
{
	struct pfring_pkthdr h;
	u_char *p;
	unsigned got = 0;
	uint64_t end;
	pid_t srv;
	pfring *r;
	int rc = 0;

	(void)state;
	alarm(120);
	srv = pfsim_start(pfsim_dir, "flows", "pcap=" PCAP, "1");
	r = pfring_open("sim:flows", 128, 0);
	assert_non_null(r);
	assert_int_equal(pfring_enable_ring(r), 0);
	for (end = now_ms() + 60000; got < FRAMES && now_ms() < end;)
		if (pfring_recv(r, &p, 0, &h, 1) == 1)
			got++;
	assert_int_equal(got, FRAMES);
	kill(srv, SIGKILL);
	assert_true(wait_bounded(srv, 10000) != -1);
	for (end = now_ms() + 10000; rc == 0 && now_ms() < end;)
		rc = pfring_recv(r, &p, 0, &h, 1);
	assert_int_equal(rc, PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, ENODEV);
	pfring_close(r);
}

static void test_usage(void **state)
{
	char *none[] = { "pfsim", NULL };
	char *bad[] = { "pfsim", "-x", NULL };
	char *no_opts[] = { "pfsim", "-n", "a", NULL };
	char *bad_opt[] = { "pfsim", "-n", "a", "-o", "pcap=" PCAP "&queues=zz", "-d", pfsim_dir, NULL };
	char *no_file[] = { "pfsim", "-n", "a", "-o", "pcap=/nonexistent.pcap", "-d", pfsim_dir, NULL };
	char *bad_w[] = { "pfsim", "-n", "a", "-o", "pcap=" PCAP, "-w", "0", NULL };
	char *bad_name[] = { "pfsim", "-n", "a/b", "-o", "pcap=" PCAP, NULL };
	char *bad_m[] = { "pfsim", "-n", "a", "-o", "pcap=" PCAP, "-m", "0", NULL };
	char *bad_big_m[] = { "pfsim", "-n", "a", "-o", "pcap=" PCAP, "-M", "2x", NULL };

	(void)state;
	assert_int_equal(pfsim_run(none, "/dev/null"), 2);
	assert_int_equal(pfsim_run(bad, "/dev/null"), 2);
	assert_int_equal(pfsim_run(no_opts, "/dev/null"), 2);
	assert_int_equal(pfsim_run(bad_opt, "/dev/null"), 1);
	assert_int_equal(pfsim_run(no_file, "/dev/null"), 1);
	assert_int_equal(pfsim_run(bad_w, "/dev/null"), 2);
	assert_int_equal(pfsim_run(bad_name, "/dev/null"), 2);
	assert_int_equal(pfsim_run(bad_m, "/dev/null"), 2);
	assert_int_equal(pfsim_run(bad_big_m, "/dev/null"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_unknown_name),
		cmocka_unit_test(test_single_member_stats),
		cmocka_unit_test(test_pfsim_death),
		cmocka_unit_test(test_select_reader),
		cmocka_unit_test(test_cluster_of_processes),
		cmocka_unit_test(test_close_queued_at_stop),
		cmocka_unit_test(test_member_killed),
		cmocka_unit_test(test_rule_drops_udp),
		cmocka_unit_test(test_bpf_tcp),
		cmocka_unit_test(test_bpf_tcp_level0),
		cmocka_unit_test(test_filtered_cluster),
		cmocka_unit_test(test_filter_errors),
	};

	return cmocka_run_group_tests(tests, pfsim_dir_setup, pfsim_dir_teardown);
}
