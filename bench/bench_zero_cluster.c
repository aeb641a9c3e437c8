/*
 * bench/bench_zero_cluster.c - DNA Cluster dispatch (libzero) on a simulated
 * NIC beside a DPDK rte_ring fan-out doing the same hashing, in the same run.
 *
 * Ours: a sim: NIC generating 64-byte frames of 1024 flows forever
 * (gen=flows:1024,size:64, loop=0) is the cluster's one registered ring; the
 * master thread (dna_cluster_enable's, pinned to CPU 0, active wait) takes each
 * frame with pfring_recv, copies it into a pool buffer, hashes it with the
 * default distribution (core's symmetric 2-tuple IP hash) and hands it to one
 * of 2 slaves. The slaves, pinned together to CPU 1, receive zero-copy from
 * "dnacluster:ID@0" and "@1" (pfring_recv, wait 0, sched_yield when empty) and
 * read the first 8 bytes of each frame. Two variants: the slaves are threads
 * of this process, or processes (forked at start, before DPDK's EAL, each
 * opening its slave when a round starts).
 *
 * Peer: DPDK 22.11. A master thread on CPU 0 takes 32 mbufs at a time from a
 * mempool, copies a frame into each (the same frames: the first 4096 of the
 * same generator, captured once through a sim: ring), hashes each with the
 * same function (pf_parse L3 + pf_flow_hash 2-tuple, from core/), and
 * enqueues it on one of 2 SP/SC rte_rings of 1024 (the slave queue length of
 * ours) by hash % 2; an mbuf whose ring is full is freed (dropped, as ours
 * drops for a full slave queue). 2 consumer threads (registered lcores, so the
 * mempool caches work) on CPU 1 dequeue 32 at a time, read the first 8 bytes
 * and free the mbufs back. A second peer has the same program's master take
 * its frames from a sim: ring of the same generator (pfring_recv, zero-copy)
 * instead of the table, so that both sides pay for the NIC model and what
 * differs is the dispatch.
 *
 * Figure: frames the 2 consumers received per second, over a window of
 * WINDOW_NS after both are attached and WARMUP_NS have passed (so start-up, and
 * the backlog queued for the slaves before they attached, do not count). Ours also includes the
 * sim: NIC's own work (generating each frame and core's delivery into the
 * master's ring): the "sim: wire alone" row measures that ceiling by itself.
 * Each figure is the best of ROUNDS rounds, ours and the peer's interleaved.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <pfring.h>
#include <pfring_zero.h>

#include "bench.h"
#include "core/hash.h"
#include "core/parse.h"

#define ROUNDS      5
#define WARMUP_NS   200000000ull
#define WINDOW_NS   2000000000ull
#define SLAVES      2
#define BURST       32
#define FRAMES      4096                /* the peer's frame table */
#define FRAME_LEN   64
#define RING_LEN    1024                /* ours: the cluster's default slave queue */
#define POOL_MBUFS  8191
#define GEN         "gen=flows:1024,size:64&loop=0"
#define CLUSTER_ID  4242

/* ------------------------------------------------------------ shared state */

/* A slave's counter, written by it only, on a line of its own. */
struct counter {
	_Atomic uint64_t n;
} __attribute__((aligned(128)));

/* Between this process and the slave processes (MAP_SHARED, made before fork). */
struct shared {
	_Atomic uint32_t round;          /* a slave process attaches when it changes */
	_Atomic uint32_t stop_round;     /* ... and detaches when it reaches round */
	_Atomic uint32_t attached, detached;
	_Atomic int quit;
	struct counter count[SLAVES];
};

static struct shared *sh;
static pid_t children[SLAVES];

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr, "bench_zero_cluster: cannot pin to CPU %d\n", cpu);
}

static uint64_t delivered(void)
{
	uint64_t n = 0;

	for (int i = 0; i < SLAVES; i++)
		n += atomic_load_explicit(&sh->count[i].n, memory_order_relaxed);
	return n;
}

static void reset_counts(void)
{
	for (int i = 0; i < SLAVES; i++)
		atomic_store(&sh->count[i].n, 0);
	atomic_store(&sh->attached, 0);
	atomic_store(&sh->detached, 0);
}

/* Waits for n attached slaves, then the warm-up, then measures the window:
 * frames per second delivered to the slaves; 0 if they did not attach. */
static double measure(uint32_t n)
{
	uint64_t t0 = bench_now_ns(), c0, c1, t1;

	while (atomic_load(&sh->attached) < n) {
		if (bench_now_ns() - t0 > 10000000000ull) {
			fprintf(stderr, "bench_zero_cluster: %u of %u slaves attached in 10 s\n",
				atomic_load(&sh->attached), n);
			return 0;
		}
		usleep(1000);
	}
	usleep(WARMUP_NS / 1000);
	c0 = delivered();
	t0 = bench_now_ns();
	usleep(WINDOW_NS / 1000);
	c1 = delivered();
	t1 = bench_now_ns();
	return (double)(c1 - c0) * 1e9 / (double)(t1 - t0);
}

/* ------------------------------------------------------------ our slaves */

/* Receives from dnacluster:CLUSTER_ID@id until stop() says so; counts in sh. */
static int slave_run(int id, int (*stop)(void *), void *arg)
{
	char name[64];
	struct pfring_pkthdr h;
	uint64_t n = 0, sum = 0, w, t0 = bench_now_ns();
	u_char *d;
	pfring *r;

	snprintf(name, sizeof(name), "dnacluster:%d@%d", CLUSTER_ID, id);
	while ((r = pfring_open(name, 1536, 0)) == NULL) {
		if (bench_now_ns() - t0 > 5000000000ull) {
			fprintf(stderr, "bench_zero_cluster: pfring_open(%s): %s\n", name,
				strerror(errno));
			return -1;
		}
		usleep(1000);
	}
	pfring_enable_ring(r);
	atomic_fetch_add(&sh->attached, 1);
	memset(&h, 0, sizeof(h));
	while (!stop(arg)) {
		if (pfring_recv(r, &d, 0, &h, 0) == 1) {
			memcpy(&w, d, 8);
			sum += w;
			atomic_store_explicit(&sh->count[id].n, ++n, memory_order_relaxed);
		} else {
			sched_yield();
		}
	}
	bench_keep(sum);
	pfring_close(r);
	atomic_fetch_add(&sh->detached, 1);
	return 0;
}

struct slave_thread {
	int id;
	_Atomic int *stop;
};

static int thread_stop(void *arg)
{
	return atomic_load_explicit((_Atomic int *)arg, memory_order_relaxed);
}

static void *slave_thread(void *arg)
{
	struct slave_thread *s = arg;

	pin(1);
	slave_run(s->id, thread_stop, (void *)s->stop);
	return NULL;
}

static uint32_t child_round;

static int child_stop(void *arg)
{
	(void)arg;
	return atomic_load_explicit(&sh->stop_round, memory_order_relaxed) == child_round ||
	       atomic_load_explicit(&sh->quit, memory_order_relaxed);
}

/* A slave process: one attach per round until quit. */
static void child_main(int id)
{
	uint32_t seen = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);   /* the bench exits early on an error */
	pin(1);
	for (;;) {
		while (atomic_load(&sh->round) == seen && !atomic_load(&sh->quit))
			usleep(1000);
		if (atomic_load(&sh->quit))
			_exit(0);
		seen = child_round = atomic_load(&sh->round);
		slave_run(id, child_stop, NULL);
	}
}

static void fork_children(void)
{
	for (int i = 0; i < SLAVES; i++) {
		children[i] = fork();
		if (children[i] == 0)
			child_main(i);
		if (children[i] < 0) {
			perror("fork");
			exit(1);
		}
	}
}

static void end_children(void)
{
	atomic_store(&sh->quit, 1);
	for (int i = 0; i < SLAVES; i++)
		if (children[i] > 0)
			waitpid(children[i], NULL, 0);
}

/* ------------------------------------------------------------ ours */

static pfring_dna_cluster *cluster_up(int round, pfring_dna_cluster_stat *st)
{
	char dev[128];
	pfring_dna_cluster *c = dna_cluster_create(CLUSTER_ID, SLAVES, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS);
	pfring *r;

	snprintf(dev, sizeof(dev), "sim:zc%d?" GEN, round);
	r = pfring_open(dev, 1536, PF_RING_PROMISC);
	if (!c || !r || dna_cluster_set_mode(c, recv_only_mode) < 0 ||
	    pfring_set_direction(r, rx_only_direction) < 0 ||
	    dna_cluster_register_ring(c, r) < 0) {
		fprintf(stderr, "bench_zero_cluster: cluster setup failed: %s\n", strerror(errno));
		exit(1);
	}
	dna_cluster_set_wait_mode(c, 1);
	dna_cluster_set_cpu_affinity(c, 0, 0);
	if (dna_cluster_enable(c) < 0) {
		fprintf(stderr, "bench_zero_cluster: dna_cluster_enable: %s\n", strerror(errno));
		exit(1);
	}
	memset(st, 0, sizeof(*st));
	return c;
}

static void cluster_down(pfring_dna_cluster *c, const char *what, double mpps)
{
	pfring_dna_cluster_stat st;

	dna_cluster_disable(c);
	if (dna_cluster_stats(c, &st) == 0)
		fprintf(stderr, "bench_zero_cluster: ours (%s): %.2f Mpps delivered; master: %llu "
			"captured, %llu processed in all\n", what, mpps,
			(unsigned long long)st.tot_rx_packets, (unsigned long long)st.tot_rx_processed);
	dna_cluster_destroy(c);
}

static double ours_threads(int round)
{
	static struct slave_thread s[SLAVES];
	pfring_dna_cluster_stat st;
	_Atomic int stop = 0;
	pthread_t t[SLAVES];
	pfring_dna_cluster *c;
	double v;

	reset_counts();
	c = cluster_up(round, &st);
	for (int i = 0; i < SLAVES; i++) {
		s[i] = (struct slave_thread){ i, &stop };
		pthread_create(&t[i], NULL, slave_thread, &s[i]);
	}
	v = measure(SLAVES);
	atomic_store(&stop, 1);
	for (int i = 0; i < SLAVES; i++)
		pthread_join(t[i], NULL);
	cluster_down(c, "threads", v / 1e6);
	return v;
}

static double ours_processes(int round)
{
	pfring_dna_cluster_stat st;
	pfring_dna_cluster *c;
	uint32_t r;
	double v;

	reset_counts();
	c = cluster_up(100 + round, &st);
	r = atomic_fetch_add(&sh->round, 1) + 1;
	v = measure(SLAVES);
	atomic_store(&sh->stop_round, r);
	while (atomic_load(&sh->detached) < atomic_load(&sh->attached))
		usleep(1000);
	cluster_down(c, "processes", v / 1e6);
	return v;
}

/* The sim: NIC alone: one ring, pfring_recv as fast as it goes, over the window. */
static double wire_alone(void)
{
	struct pfring_pkthdr h;
	uint64_t n = 0, sum = 0, t0, t;
	u_char *d;
	pfring *r = pfring_open("sim:zcwire?" GEN, 1536, PF_RING_PROMISC);

	if (!r || pfring_enable_ring(r) != 0) {
		fprintf(stderr, "bench_zero_cluster: sim: ring: %s\n", strerror(errno));
		exit(1);
	}
	memset(&h, 0, sizeof(h));
	t0 = bench_now_ns();
	do {
		for (int k = 0; k < 1024; k++)
			if (pfring_recv(r, &d, 0, &h, 0) == 1) {
				n++;
				sum += d[0];
			}
		t = bench_now_ns();
	} while (t - t0 < WINDOW_NS);
	bench_keep(sum);
	pfring_close(r);
	return (double)n * 1e9 / (double)(t - t0);
}

/* ------------------------------------------------------------ the peer */

static uint8_t frames[FRAMES][FRAME_LEN];

/* The first FRAMES frames of the same generator, through a sim: ring. */
static void capture_frames(void)
{
	struct pfring_pkthdr h;
	u_char *d;
	pfring *r = pfring_open("sim:zcframes?" GEN, 1536, PF_RING_PROMISC);

	if (!r || pfring_enable_ring(r) != 0) {
		fprintf(stderr, "bench_zero_cluster: sim: ring: %s\n", strerror(errno));
		exit(1);
	}
	memset(&h, 0, sizeof(h));
	for (int i = 0; i < FRAMES; i++) {
		if (pfring_recv(r, &d, 0, &h, 1) != 1 || h.caplen != FRAME_LEN) {
			fprintf(stderr, "bench_zero_cluster: frame %d: caplen %u\n", i, h.caplen);
			exit(1);
		}
		memcpy(frames[i], d, FRAME_LEN);
	}
	pfring_close(r);
}

/* The default distribution's hash (backends/zero/cluster_loop.c does the same). */
static inline uint32_t frame_hash(const uint8_t *f, uint32_t len)
{
	struct pkt_parsing_info info;

	pf_parse(f, len, PF_RING_PARSE_L3, &info);
	return pf_flow_hash(&info, cluster_per_flow_2_tuple, 0);
}

struct peer {
	pfring *src;                    /* NULL: frames from the table; else this sim: ring */
	struct rte_mempool *mp;
	struct rte_ring *ring[SLAVES];
	_Atomic int stop;
	_Atomic uint64_t drops;
};

static struct peer pe;

static void *peer_master(void *arg)
{
	struct rte_mbuf *m[BURST], *to[SLAVES][BURST];
	uint32_t next = 0, cnt[SLAVES];
	uint64_t drops = 0;

	(void)arg;
	pin(0);
	rte_thread_register();
	while (!atomic_load_explicit(&pe.stop, memory_order_relaxed)) {
		if (rte_pktmbuf_alloc_bulk(pe.mp, m, BURST) != 0) {
			sched_yield();
			continue;
		}
		memset(cnt, 0, sizeof(cnt));
		for (int i = 0; i < BURST; i++) {
			uint8_t *f = frames[next++ & (FRAMES - 1)];
			uint8_t *p = rte_pktmbuf_mtod(m[i], uint8_t *);
			uint32_t s, len = FRAME_LEN;

			if (pe.src) {   /* as our master: the sim: ring's frame, zero-copy */
				struct pfring_pkthdr h;

				h.caplen = FRAME_LEN;   /* if it stops before a frame came */
				while (pfring_recv(pe.src, &f, 0, &h, 0) != 1)
					if (atomic_load_explicit(&pe.stop, memory_order_relaxed))
						break;
				len = h.caplen < RTE_MBUF_DEFAULT_DATAROOM ? h.caplen : FRAME_LEN;
			}
			memcpy(p, f, len);
			m[i]->data_len = m[i]->pkt_len = len;
			m[i]->hash.rss = frame_hash(p, len);
			s = m[i]->hash.rss % SLAVES;
			to[s][cnt[s]++] = m[i];
		}
		for (int s = 0; s < SLAVES; s++) {
			uint32_t done = rte_ring_sp_enqueue_burst(pe.ring[s], (void **)to[s], cnt[s],
								  NULL);

			if (done < cnt[s]) {
				rte_pktmbuf_free_bulk(&to[s][done], cnt[s] - done);
				drops += cnt[s] - done;
			}
		}
	}
	atomic_store(&pe.drops, drops);
	rte_thread_unregister();
	return NULL;
}

static void *peer_consumer(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct rte_mbuf *m[BURST];
	uint64_t n = 0, sum = 0, w;

	pin(1);
	rte_thread_register();
	atomic_fetch_add(&sh->attached, 1);
	while (!atomic_load_explicit(&pe.stop, memory_order_relaxed)) {
		uint32_t k = rte_ring_sc_dequeue_burst(pe.ring[id], (void **)m, BURST, NULL);

		if (k == 0) {
			sched_yield();
			continue;
		}
		for (uint32_t i = 0; i < k; i++) {
			memcpy(&w, rte_pktmbuf_mtod(m[i], uint8_t *), 8);
			sum += w;
		}
		rte_pktmbuf_free_bulk(m, k);
		n += k;
		atomic_store_explicit(&sh->count[id].n, n, memory_order_relaxed);
	}
	/* give back what is still queued */
	while ((n = rte_ring_sc_dequeue_burst(pe.ring[id], (void **)m, BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, (unsigned)n);
	bench_keep(sum);
	rte_thread_unregister();
	return NULL;
}

/* from_sim: the master takes its frames from a sim: ring of the same generator,
 * as ours does (the NIC model's cost on both sides), not from the table. */
static double peer_run(int from_sim, int round)
{
	pthread_t mt, ct[SLAVES];
	char dev[128];
	double v;

	pe.src = NULL;
	if (from_sim) {
		snprintf(dev, sizeof(dev), "sim:zcpeer%d?" GEN, round);
		pe.src = pfring_open(dev, 1536, PF_RING_PROMISC);
		if (!pe.src || pfring_set_direction(pe.src, rx_only_direction) < 0 ||
		    pfring_enable_ring(pe.src) != 0) {
			fprintf(stderr, "bench_zero_cluster: %s: %s\n", dev, strerror(errno));
			exit(1);
		}
	}
	reset_counts();
	atomic_store(&pe.stop, 0);
	for (int i = 0; i < SLAVES; i++)
		pthread_create(&ct[i], NULL, peer_consumer, (void *)(intptr_t)i);
	pthread_create(&mt, NULL, peer_master, NULL);
	v = measure(SLAVES);
	atomic_store(&pe.stop, 1);
	pthread_join(mt, NULL);
	for (int i = 0; i < SLAVES; i++)
		pthread_join(ct[i], NULL);
	fprintf(stderr, "bench_zero_cluster: rte_ring fan-out%s: %.2f Mpps delivered, %llu dropped "
		"(ring full)\n", from_sim ? " fed by sim:" : "", v / 1e6,
		(unsigned long long)atomic_load(&pe.drops));
	if (pe.src)
		pfring_close(pe.src);
	pe.src = NULL;
	return v;
}

static void peer_setup(void)
{
	char name[32];

	pe.mp = rte_pktmbuf_pool_create("zc_pool", POOL_MBUFS, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	for (int i = 0; i < SLAVES; i++) {
		snprintf(name, sizeof(name), "zc_ring%d", i);
		pe.ring[i] = rte_ring_create(name, RING_LEN, SOCKET_ID_ANY,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
	}
	if (!pe.mp || !pe.ring[0] || !pe.ring[1]) {
		fprintf(stderr, "bench_zero_cluster: DPDK setup failed: %s\n",
			rte_strerror(rte_errno));
		exit(1);
	}
}

/* ------------------------------------------------------------------ main */

static double best(double a, double b)
{
	return a > b ? a : b;
}

int main(void)
{
	static char *eal_argv[] = { "bench_zero_cluster", "--no-huge", "--no-pci", "-m", "64",
				    "--no-telemetry", "--log-level=lib.eal:error", NULL };
	double thr = 0, proc = 0, peer = 0, peer_sim = 0, wire = 0;
	cpu_set_t all;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	fork_children();            /* before any thread: the EAL's, the cluster's */
	if (rte_eal_init(7, eal_argv) < 0) {
		fprintf(stderr, "bench_zero_cluster: rte_eal_init failed\n");
		end_children();
		return 1;
	}
	/* rte_eal_init pinned this thread to lcore 0: undo that (threads pin themselves) */
	CPU_ZERO(&all);
	CPU_SET(0, &all);
	CPU_SET(1, &all);
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
	capture_frames();
	peer_setup();

	for (int r = 0; r < ROUNDS; r++) {
		double a = ours_threads(r), b = ours_processes(r), c = peer_run(0, r);
		double d = peer_run(1, r), w = wire_alone();

		fprintf(stderr, "bench_zero_cluster: round %d: threads %.2f, processes %.2f, "
			"rte_ring %.2f, rte_ring fed by sim: %.2f, sim: wire alone %.2f Mpps\n", r,
			a / 1e6, b / 1e6, c / 1e6, d / 1e6, w / 1e6);
		thr = best(thr, a);
		proc = best(proc, b);
		peer = best(peer, c);
		peer_sim = best(peer_sim, d);
		wire = best(wire, w);
	}
	end_children();

	bench_row("DNA Cluster dispatch on sim:, 1 master + 2 slave threads, IP hash (Mpps, goal >= 1x)",
		  thr / 1e6, "Mpps", "DPDK 22.11 rte_ring fan-out, same hash, 2 consumer threads",
		  peer / 1e6);
	bench_row("DNA Cluster dispatch on sim:, 1 master + 2 slave processes (Mpps, goal >= 1x)",
		  proc / 1e6, "Mpps", "DPDK 22.11 rte_ring fan-out, same hash, 2 consumer threads",
		  peer / 1e6);
	bench_row("DNA Cluster dispatch on sim:, slave threads, both fed by sim: (Mpps)", thr / 1e6,
		  "Mpps", "DPDK 22.11 rte_ring fan-out, its master reading the same sim: NIC",
		  peer_sim / 1e6);
	bench_row("DNA Cluster dispatch on sim:, slave threads (Mpps, goal >= 1x)", thr / 1e6,
		  "Mpps", "spec headline: 5.4.6 libzero, 1 core at 3.2 GHz", 14.88);
	bench_row("DNA Cluster dispatch on sim:, slave processes (Mpps, goal >= 1x)", proc / 1e6,
		  "Mpps", "spec headline: 5.4.6 libzero, 1 core at 3.2 GHz", 14.88);
	bench_row("sim: NIC alone, one ring, no cluster (the dispatch's input ceiling, Mpps)",
		  wire / 1e6, "Mpps", NULL, 0);
	rte_eal_cleanup();
	return 0;
}
