/*
 * tests/e2e/progs/pfchurn.c - churn stress of pf_ring.ko through libpfring
 * (issue 11, "a stress test that stays"; docs/e2e.md, test churn).
 *
 *   pfchurn [-s SEED] [-t SECS] [-n OPS] [-p PROCS] [-j THREADS] [-k MS]
 *           [-z US] [-m OPS,...] [-P] [-w PEER,...] [-r DEV,...] DEV...
 *
 * PROCS worker processes of THREADS threads each do random operations (seeded:
 * the seed is printed; worker g, thread i use SEED, g and i) on rings of the
 * DEVs: open, enable, recv (copy and zero-copy, non-blocking), poll, cluster
 * join and leave, wildcard rules (in batches) and precise rules add and remove,
 * BPF set and remove, sampling, reflector, send, close, a close while another
 * thread of the same ring sleeps in recv/poll/loop, and /proc/net/pf_ring
 * readers that keep their file open across closes. The supervisor SIGKILLs a
 * random worker every 0..2*MS ms (-k 0: never) and starts a new one; a thread
 * sends frames on the PEER devices (the other ends of veth pairs) all along.
 * Sends and reflectors use only the -r devices (veths: never the NICs, whose
 * wire is the host peer's). -m limits the operations to those named; -z makes
 * a thread that holds no ring sleep US microseconds before its next operation
 * (gaps between short-lived sockets, for rmmod); -P lets rules name the counter
 * plugin (its id 2). -n bounds the operations of the whole run and -t its time:
 * a slow machine does fewer, it never fails for it. SIGTERM or SIGINT stops
 * the run early, with its report.
 *
 * Errors that the churn makes happen are counted by kind: a device renamed,
 * deleted or down: nodev; pf_ring unloaded: nomod; a taken id: exist; a join
 * to another cluster than the ring's: busy; nothing to remove, a plugin not
 * loaded: noent; a full cluster or transmit queue: full; a /proc file whose
 * ring went away: stale; a reader that entered recv/loop just before the close
 * and checked the ring's state just after: shutdown (ESHUTDOWN). Each
 * operation allows only the kinds it can meet (allowed[]); any other error is
 * printed and counted unexpected (an EIO from recv or poll, for one: the
 * library's answer to EPOLLHUP without the ring's end, which pf_ring.ko once
 * gave for a grace period while a device went away).
 * Output: one line per operation, then
 *   "pfchurn: summary seed S ops N kills K spawns W expected E unexpected U hung H
 *    rx R tx T"
 * Exit 0 when U = H = 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>

#define MAX_DEVS 16
#define MAX_PROCS 16
#define MAX_THREADS 8
#define RINGS_PER_THREAD 2
#define RING_MAX_OPS 40         /* a ring is closed after this many operations */
#define COUNTER_PLUGIN 2        /* plugins/sample_plugins.h */

enum op {
	OP_OPEN, OP_ENABLE, OP_RECV, OP_RECV_ZC, OP_POLL, OP_CLUSTER_JOIN, OP_CLUSTER_LEAVE,
	OP_RULE_ADD, OP_RULE_DEL, OP_HASH_ADD, OP_HASH_DEL, OP_BPF_SET, OP_BPF_DEL,
	OP_SAMPLING, OP_REFLECTOR, OP_SEND, OP_CLOSE, OP_CLOSE_BLOCKED, OP_PROC, N_OPS
};
static const char *op_name[N_OPS] = {
	"open", "enable", "recv", "recv-zc", "poll", "cluster-join", "cluster-leave",
	"rule-add", "rule-del", "hash-add", "hash-del", "bpf-set", "bpf-del",
	"sampling", "reflector", "send", "close", "close-blocked", "proc",
};

enum kind { K_NODEV, K_NOMOD, K_EXIST, K_BUSY, K_NOENT, K_FULL, K_STALE, K_SHUT, N_KINDS };
static const char *kind_name[N_KINDS] = { "nodev", "nomod", "exist", "busy", "noent", "full",
					  "stale", "shutdown" };
#define B(k) (1u << (k))

/* The errors each operation may meet in the churn (anything else is unexpected).
 * Every operation on a ring may find its device gone (nodev: issue 11, finding 2). */
static const unsigned allowed[N_OPS] = {
	[OP_OPEN] = B(K_NODEV) | B(K_NOMOD),
	[OP_ENABLE] = B(K_NODEV),
	[OP_RECV] = B(K_NODEV),
	[OP_RECV_ZC] = B(K_NODEV),
	[OP_POLL] = B(K_NODEV),
	[OP_CLUSTER_JOIN] = B(K_NODEV) | B(K_EXIST) | B(K_BUSY) | B(K_FULL),
	[OP_CLUSTER_LEAVE] = B(K_NODEV) | B(K_NOENT),
	[OP_RULE_ADD] = B(K_NODEV) | B(K_EXIST) | B(K_NOENT) | B(K_FULL),
	[OP_RULE_DEL] = B(K_NODEV) | B(K_NOENT),
	[OP_HASH_ADD] = B(K_NODEV) | B(K_EXIST) | B(K_FULL),
	[OP_HASH_DEL] = B(K_NODEV) | B(K_NOENT),
	[OP_BPF_SET] = B(K_NODEV),
	[OP_BPF_DEL] = B(K_NODEV) | B(K_NOENT),
	[OP_SAMPLING] = B(K_NODEV),
	[OP_REFLECTOR] = B(K_NODEV),
	[OP_SEND] = B(K_NODEV) | B(K_FULL),
	[OP_CLOSE_BLOCKED] = B(K_NODEV) | B(K_NOMOD) | B(K_SHUT),
	[OP_PROC] = B(K_NOENT) | B(K_STALE),
};

/* Counters of the whole run, in memory shared by the supervisor and every worker,
 * so that what a killed worker did is still counted. */
struct shared {
	long done[N_OPS], expected[N_OPS][N_KINDS], unexpected[N_OPS];
	long ops, kills, spawns, rx, tx, tx_errors;
	int stop;
};

struct ring_slot {
	pfring *ring;
	int enabled, zero_copy_ok, ops, dev;
};

struct thread_state {
	unsigned long long rng;
	struct ring_slot slot[RINGS_PER_THREAD];
	int proc_fd;
};

static struct shared *sh;
static const char *devs[MAX_DEVS], *peers[MAX_DEVS], *reflect_devs[MAX_DEVS];
static int n_devs, n_peers, n_reflect, plugin_rules;
static unsigned op_mask = ~0u;
static long max_ops = 100000, op_pause_us;
static unsigned long long seed;
static volatile sig_atomic_t terminated;   /* SIGTERM/SIGINT: stop early, report */

static unsigned long long next_rand(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static unsigned pick(unsigned long long *s, unsigned n)
{
	return (unsigned)(next_rand(s) >> 33) % n;
}

static long add(long *counter, long n)
{
	return __atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

static int stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&sh->ops, __ATOMIC_RELAXED) >= max_ops;
}

static int kind_of(int err)
{
	switch (err) {
	case ENODEV: case ENXIO: case ENETDOWN: return K_NODEV;
	case EAFNOSUPPORT: return K_NOMOD;
	case EEXIST: return K_EXIST;
	case EBUSY: return K_BUSY;
	case ENOENT: return K_NOENT;
	case ENOSPC: case ENOBUFS: case EAGAIN: return K_FULL;
	case EIO: return K_STALE;
	case ESHUTDOWN: return K_SHUT;
	default: return -1;
	}
}

/* Count one finished operation: rc < 0 is a failure with errno err. */
static void account(enum op op, int rc, int err)
{
	int k = rc < 0 ? kind_of(err) : -1;

	add(&sh->done[op], 1);
	add(&sh->ops, 1);
	if (rc >= 0)
		return;
	if (k >= 0 && (allowed[op] & B(k))) {
		add(&sh->expected[op][k], 1);
		return;
	}
	if (add(&sh->unexpected[op], 1) <= 5)
		fprintf(stderr, "pfchurn: %s: unexpected rc %d errno %d (%s)\n", op_name[op], rc,
			err, strerror(err));
}

/* ------------------------------------------------------------ ring operations */

static void close_slot(struct ring_slot *s)
{
	pfring_close(s->ring);
	memset(s, 0, sizeof(*s));
	account(OP_CLOSE, 0, 0);
}

static int do_open(struct thread_state *t, struct ring_slot *s)
{
	static const unsigned caplens[] = { 64, 128, 1518 };
	u_int32_t flags = PF_RING_PROMISC;
	int dev = (int)pick(&t->rng, (unsigned)n_devs);

	if (pick(&t->rng, 2))
		flags |= PF_RING_REENTRANT;
	if (pick(&t->rng, 2))
		flags |= PF_RING_LONG_HEADER;
	s->ring = pfring_open(devs[dev], caplens[pick(&t->rng, 3)], flags);
	if (!s->ring)
		return -1;
	s->dev = dev;
	s->zero_copy_ok = !(flags & PF_RING_REENTRANT);
	pfring_set_application_name(s->ring, "pfchurn");
	return 0;
}

static int do_recv(struct ring_slot *s, int zero_copy)
{
	struct pfring_pkthdr hdr;
	u_char buf[1600], *p = buf;
	int i, rc = 0;

	for (i = 0; i < 32; i++) {
		rc = pfring_recv(s->ring, &p, zero_copy ? 0 : sizeof(buf), &hdr, 0);
		if (rc <= 0)
			break;
		add(&sh->rx, 1);
	}
	return rc;
}

/* Cluster ids 1..3, each with its own type (members of one cluster share it). */
static int do_cluster_join(struct thread_state *t, struct ring_slot *s)
{
	static const cluster_type types[] = { cluster_per_flow_5_tuple, cluster_per_flow_2_tuple,
					      cluster_per_flow };
	unsigned id = pick(&t->rng, 3);

	return pfring_set_cluster(s->ring, id + 1, types[id]);
}

/* A batch of RULE_BATCH wildcard rules with consecutive ids (0..RULE_IDS-1), in
 * 3 batches of 4 naming the counter plugin with -P: what a rule holds of its
 * plugin is taken and given back by the thousand in a run. The first error
 * ends the batch. */
#define RULE_BATCH 16
#define RULE_IDS 128
static int do_rule_add(struct thread_state *t, struct ring_slot *s)
{
	u_int16_t first = (u_int16_t)(pick(&t->rng, RULE_IDS / RULE_BATCH) * RULE_BATCH);
	int plugin = plugin_rules && pick(&t->rng, 4) != 0, i, rc = 0;
	filtering_rule r;

	for (i = 0; i < RULE_BATCH && rc == 0; i++) {
		memset(&r, 0, sizeof(r));
		r.rule_id = (u_int16_t)(first + i);
		r.rule_action = pick(&t->rng, 2) ? forward_packet_and_stop_rule_evaluation :
						    dont_forward_packet_and_stop_rule_evaluation;
		r.core_fields.proto = pick(&t->rng, 2) ? 17 : 6;
		r.core_fields.dport_low = (u_int16_t)(1000 + pick(&t->rng, 8));
		r.core_fields.dport_high = r.core_fields.dport_low + (u_int16_t)pick(&t->rng, 4);
		r.bidirectional = (u_int8_t)pick(&t->rng, 2);
		if (plugin)
			r.plugin_action.plugin_id = COUNTER_PLUGIN;
		rc = pfring_add_filtering_rule(s->ring, &r);
	}
	return rc;
}

static int do_hash_rule(struct thread_state *t, struct ring_slot *s, int add_rule)
{
	hash_filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.proto = 17;
	r.host_peer_a.v4 = htonl(0x0a000001);
	r.host_peer_b.v4 = htonl(0x0a000002);
	r.port_peer_a = (u_int16_t)(1000 + pick(&t->rng, 4));
	r.port_peer_b = 2000;
	r.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	return pfring_handle_hash_filtering_rule(s->ring, &r, (u_char)add_rule);
}

static int do_bpf_set(struct thread_state *t, struct ring_slot *s)
{
	static const char *filters[] = { "udp", "tcp", "ip and udp port 1001", "not arp",
					 "udp portrange 1000-1003" };

	return pfring_set_bpf_filter(s->ring, (char *)filters[pick(&t->rng, 5)]);
}

static int do_reflector(struct thread_state *t, struct ring_slot *s)
{
	return pfring_set_reflector_device(s->ring,
					  (char *)reflect_devs[pick(&t->rng, (unsigned)n_reflect)]);
}

/* A UDP or TCP frame of one of 32 flows between 10.0.0.1 and 10.0.0.2, ports
 * 1000..1007 (what the rules and BPF filters above look at). */
static unsigned build_frame(unsigned long long *rng, unsigned char *f)
{
	unsigned sport = 1000 + pick(rng, 8), dport = 1000 + pick(rng, 4);
	unsigned proto = pick(rng, 2) ? 17 : 6;

	memset(f, 0, 74);
	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\xc4\x00\x00\x00\x01", 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = 0;
	f[17] = 60;
	f[22] = 64;
	f[23] = (unsigned char)proto;
	memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	f[34] = (unsigned char)(sport >> 8);
	f[35] = (unsigned char)sport;
	f[36] = (unsigned char)(dport >> 8);
	f[37] = (unsigned char)dport;
	if (proto == 17)
		f[39] = 40;
	else
		f[46] = 0x50;
	return 74;
}

static int do_send(struct thread_state *t, struct ring_slot *s)
{
	unsigned char f[80];
	unsigned len = build_frame(&t->rng, f);
	int rc = pfring_send(s->ring, (char *)f, len, 1);

	if (rc > 0)
		add(&sh->tx, 1);
	return rc;
}

static int reflect_dev(int dev)
{
	int i;

	for (i = 0; i < n_reflect; i++)
		if (strcmp(devs[dev], reflect_devs[i]) == 0)
			return 1;
	return 0;
}

struct blocked_reader {
	pfring *ring;
	int call, rc, err, returned;
};

static void ignore_pkt(const struct pfring_pkthdr *h, const u_char *p, const u_char *u)
{
	(void)h;
	(void)p;
	(void)u;
}

static void *blocked_read(void *arg)
{
	struct blocked_reader *r = arg;
	struct pfring_pkthdr hdr;
	u_char buf[1600], *p = buf;

	/* one call only: once it has returned, the ring may be closed and freed */
	if (r->call == 0)
		r->rc = pfring_recv(r->ring, &p, sizeof(buf), &hdr, 1);
	else if (r->call == 1)
		r->rc = pfring_poll(r->ring, 60000);
	else
		r->rc = pfring_loop(r->ring, ignore_pkt, NULL, 1);
	r->err = errno;
	__atomic_store_n(&r->returned, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Open a ring, put a reader to sleep in recv/poll/loop on it, close it under
 * the reader (pfring_close wakes and waits for it). */
static int do_close_blocked(struct thread_state *t)
{
	struct ring_slot s = { 0 };
	struct blocked_reader r = { .call = (int)pick(&t->rng, 3) };
	pthread_t th;
	int rc;

	if (do_open(t, &s) < 0)
		return -1;
	r.ring = s.ring;
	if (pfring_set_poll_duration(s.ring, 60000) != 0 || (rc = pfring_enable_ring(s.ring)) != 0) {
		rc = errno;
		pfring_close(s.ring);
		errno = rc;
		return -1;
	}
	if (pthread_create(&th, NULL, blocked_read, &r) != 0) {
		pfring_close(s.ring);
		errno = EAGAIN;
		return -1;
	}
	while (__atomic_load_n(&s.ring->num_callers_inside, __ATOMIC_SEQ_CST) == 0 &&
	       !__atomic_load_n(&r.returned, __ATOMIC_SEQ_CST))
		sched_yield();
	usleep((useconds_t)pick(&t->rng, 2000));
	pfring_close(s.ring);
	pthread_join(th, NULL);
	if (r.rc < 0) {
		errno = r.err;
		return -1;
	}
	return 0;
}

/* A /proc/net/pf_ring reader: open one of its files (a ring's, info,
 * plugins_info) and keep it open across other operations; read it again later,
 * when its ring may be gone (EIO: stale). */
static int do_proc(struct thread_state *t)
{
	char buf[4096], path[300];
	struct dirent *e;
	DIR *d;
	int n = 0, want;
	ssize_t got;

	if (t->proc_fd >= 0) {
		got = pread(t->proc_fd, buf, sizeof(buf), 0);
		if (pick(&t->rng, 2)) {
			close(t->proc_fd);
			t->proc_fd = -1;
		}
		return got < 0 ? -1 : 0;
	}
	d = opendir("/proc/net/pf_ring");
	if (!d)
		return -1;
	want = (int)pick(&t->rng, 8);
	snprintf(path, sizeof(path), "/proc/net/pf_ring/info");
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "dev") == 0)
			continue;
		snprintf(path, sizeof(path), "/proc/net/pf_ring/%s", e->d_name);
		if (n++ >= want)
			break;
	}
	closedir(d);
	t->proc_fd = open(path, O_RDONLY);
	if (t->proc_fd < 0)
		return -1;
	got = read(t->proc_fd, buf, sizeof(buf));
	return got < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ workers */

static int wanted(enum op op)
{
	return (op_mask >> op) & 1;
}

/* One random operation on one of the thread's ring slots. */
static void one_op(struct thread_state *t)
{
	struct ring_slot *s = &t->slot[pick(&t->rng, RINGS_PER_THREAD)];
	enum op op = (enum op)pick(&t->rng, N_OPS);
	int rc = 0;

	if (!wanted(op))
		return;
	if (op == OP_PROC || op == OP_CLOSE_BLOCKED) {
		rc = op == OP_PROC ? do_proc(t) : do_close_blocked(t);
		account(op, rc, errno);
		return;
	}
	if (!s->ring) {
		if (!wanted(OP_OPEN))
			return;
		rc = do_open(t, s);
		account(OP_OPEN, rc, errno);
		if (rc == 0 && wanted(OP_ENABLE) && pick(&t->rng, 4)) {
			rc = pfring_enable_ring(s->ring);
			s->enabled = rc == 0;
			account(OP_ENABLE, rc, errno);
		}
		return;
	}
	if (op == OP_CLOSE || ++s->ops > RING_MAX_OPS) {
		close_slot(s);
		return;
	}
	errno = 0;
	switch (op) {
	case OP_ENABLE:
		rc = pfring_enable_ring(s->ring);
		s->enabled |= rc == 0;
		break;
	case OP_RECV:
	case OP_RECV_ZC:
		if (!s->enabled || (op == OP_RECV_ZC && !s->zero_copy_ok))
			return;
		rc = do_recv(s, op == OP_RECV_ZC);
		break;
	case OP_POLL:
		if (!s->enabled)
			return;
		rc = pfring_poll(s->ring, pick(&t->rng, 20));
		break;
	case OP_CLUSTER_JOIN: rc = do_cluster_join(t, s); break;
	case OP_CLUSTER_LEAVE: rc = pfring_remove_from_cluster(s->ring); break;
	case OP_RULE_ADD: rc = do_rule_add(t, s); break;
	case OP_RULE_DEL:
		rc = pfring_remove_filtering_rule(s->ring, (u_int16_t)pick(&t->rng, RULE_IDS));
		break;
	case OP_HASH_ADD: rc = do_hash_rule(t, s, 1); break;
	case OP_HASH_DEL: rc = do_hash_rule(t, s, 0); break;
	case OP_BPF_SET: rc = do_bpf_set(t, s); break;
	case OP_BPF_DEL: rc = pfring_remove_bpf_filter(s->ring); break;
	case OP_SAMPLING: rc = pfring_set_sampling_rate(s->ring, 1 + pick(&t->rng, 8)); break;
	case OP_REFLECTOR:
		if (!reflect_dev(s->dev))
			return;
		rc = do_reflector(t, s);
		break;
	case OP_SEND:
		if (!s->enabled || !reflect_dev(s->dev))
			return;
		rc = do_send(t, s);
		break;
	default:
		return;
	}
	account(op, rc, errno);
}

static void *worker_thread(void *arg)
{
	struct thread_state *t = arg;
	int i;

	while (!stopping()) {
		one_op(t);
		if (op_pause_us && !t->slot[0].ring && !t->slot[1].ring)
			usleep((useconds_t)op_pause_us);
	}
	for (i = 0; i < RINGS_PER_THREAD; i++)
		if (t->slot[i].ring)
			close_slot(&t->slot[i]);
	if (t->proc_fd >= 0)
		close(t->proc_fd);
	return NULL;
}

static void worker(int threads, unsigned long long wseed)
{
	struct thread_state ts[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);       /* never outlive a killed supervisor */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	memset(ts, 0, sizeof(ts));
	for (i = 0; i < threads; i++) {
		ts[i].rng = wseed * 0x9e3779b97f4a7c15ull + (unsigned long long)i + 1;
		ts[i].proc_fd = -1;
		if (pthread_create(&th[i], NULL, worker_thread, &ts[i]) != 0) {
			perror("pfchurn: pthread_create");
			_exit(1);
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

/* ------------------------------------------------------------ supervisor */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_term(int sig)
{
	(void)sig;
	terminated = 1;
}

static pid_t spawn(int threads, long generation)
{
	pid_t pid = fork();

	if (pid == 0)
		worker(threads, seed + (unsigned long long)generation);
	if (pid > 0)
		add(&sh->spawns, 1);
	else
		perror("pfchurn: fork");
	return pid;
}

/* Frames on the peer ends of the veth pairs, about 2000/s in all, until the
 * end; a peer renamed, deleted or down is skipped (its errors counted). */
static void *sender(void *arg)
{
	unsigned long long rng = seed ^ 0x5eed;
	unsigned char f[80];
	int fd = socket(AF_PACKET, SOCK_RAW, 0), i;

	(void)arg;
	if (fd < 0)
		return NULL;
	while (!stopping()) {
		for (i = 0; i < n_peers; i++) {
			struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = 6 };
			unsigned len = build_frame(&rng, f);

			ll.sll_ifindex = (int)if_nametoindex(peers[i]);
			if (ll.sll_ifindex && sendto(fd, f, len, 0, (struct sockaddr *)&ll,
						     sizeof(ll)) == (ssize_t)len)
				add(&sh->tx, 1);
			else
				add(&sh->tx_errors, 1);
		}
		usleep(1000);
	}
	close(fd);
	return NULL;
}

static void split(char *list, const char **into, int *n)
{
	char *tok;

	for (tok = strtok(list, ","); tok && *n < MAX_DEVS; tok = strtok(NULL, ","))
		into[(*n)++] = tok;
}

static unsigned parse_ops(char *list)
{
	unsigned mask = 0;
	char *tok;
	int i;

	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		for (i = 0; i < N_OPS && strcmp(tok, op_name[i]) != 0; i++)
			;
		if (i == N_OPS) {
			fprintf(stderr, "pfchurn: -m: no operation named '%s'\n", tok);
			exit(2);
		}
		mask |= 1u << i;
	}
	return mask;
}

/* Stop every worker: each finishes its operation and closes its rings. A worker
 * that does not end within 30 s hangs (counted, then killed). */
static long stop_workers(pid_t *pids, int procs)
{
	long hung = 0;
	double until;
	int i;

	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	until = now_s() + 30;
	for (i = 0; i < procs; i++) {
		while (waitpid(pids[i], NULL, WNOHANG) == 0) {
			if (now_s() > until) {
				fprintf(stderr, "pfchurn: worker %d did not stop\n", (int)pids[i]);
				hung++;
				kill(pids[i], SIGKILL);
				waitpid(pids[i], NULL, 0);
				break;
			}
			usleep(10000);
		}
	}
	return hung;
}

static long report(long hung)
{
	long expected = 0, unexpected = 0;
	int i, k;

	for (i = 0; i < N_OPS; i++) {
		printf("pfchurn: %-13s done %ld", op_name[i], sh->done[i]);
		for (k = 0; k < N_KINDS; k++) {
			if (sh->expected[i][k])
				printf(" %s %ld", kind_name[k], sh->expected[i][k]);
			expected += sh->expected[i][k];
		}
		printf(" unexpected %ld\n", sh->unexpected[i]);
		unexpected += sh->unexpected[i];
	}
	printf("pfchurn: sender tx errors %ld (peers renamed, deleted or down)\n", sh->tx_errors);
	printf("pfchurn: summary seed %llu ops %ld kills %ld spawns %ld expected %ld unexpected %ld"
	       " hung %ld rx %ld tx %ld\n", seed, sh->ops, sh->kills, sh->spawns, expected,
	       unexpected, hung, sh->rx, sh->tx);
	return unexpected + hung;
}

int main(int argc, char **argv)
{
	int opt, procs = 4, threads = 3, kill_ms = 300, i;
	double secs = 30, deadline;
	unsigned long long krng;
	pid_t pids[MAX_PROCS];
	long generation = 0;
	pthread_t snd;

	seed = (unsigned long long)time(NULL);
	while ((opt = getopt(argc, argv, "s:t:n:p:j:k:z:m:Pw:r:")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': secs = atof(optarg); break;
		case 'n': max_ops = atol(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 'j': threads = atoi(optarg); break;
		case 'k': kill_ms = atoi(optarg); break;
		case 'z': op_pause_us = atol(optarg); break;
		case 'm': op_mask = parse_ops(optarg); break;
		case 'P': plugin_rules = 1; break;
		case 'w': split(optarg, peers, &n_peers); break;
		case 'r': split(optarg, reflect_devs, &n_reflect); break;
		default: return 2;
		}
	}
	for (i = optind; i < argc && n_devs < MAX_DEVS; i++)
		devs[n_devs++] = argv[i];
	if (n_devs == 0 || procs < 1 || procs > MAX_PROCS || threads < 1 || threads > MAX_THREADS ||
	    secs <= 0 || max_ops <= 0 || kill_ms < 0 || op_pause_us < 0) {
		fprintf(stderr, "usage: pfchurn [-s SEED] [-t SECS] [-n OPS] [-p PROCS<=%d] "
			"[-j THREADS<=%d] [-k MS] [-z US] [-m OPS,...] [-P] [-w PEER,...] [-r DEV,...] DEV...\n",
			MAX_PROCS, MAX_THREADS);
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("pfchurn: mmap");
		return 1;
	}
	printf("pfchurn: seed %llu, %d processes x %d threads, %.0f s, at most %ld operations\n",
	       seed, procs, threads, secs, max_ops);
	fflush(stdout);
	krng = seed ^ 0xc0ffee;
	deadline = now_s() + secs;
	for (i = 0; i < procs; i++)
		if ((pids[i] = spawn(threads, generation++)) < 0)
			return 1;
	if (n_peers && pthread_create(&snd, NULL, sender, NULL) != 0)
		n_peers = 0;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (now_s() < deadline && !stopping() && !terminated) {
		usleep(kill_ms ? (useconds_t)(1000 * pick(&krng, 2 * (unsigned)kill_ms + 1)) : 100000);
		if (kill_ms == 0 || now_s() >= deadline || stopping() || terminated)
			continue;
		i = (int)pick(&krng, (unsigned)procs);
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
		add(&sh->kills, 1);
		if ((pids[i] = spawn(threads, generation++)) < 0)
			return 1;
	}
	i = (int)stop_workers(pids, procs);
	if (n_peers)
		pthread_join(snd, NULL);
	return report(i) == 0 ? 0 : 1;
}
