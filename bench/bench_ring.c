/*
 * bench/bench_ring.c - the shared-memory slot ring (core/ring.c) beside DPDK's
 * rte_ring, both moving 64-byte packets.
 *
 *   1. same core: enqueue a burst of 32, dequeue a burst of 32, repeat
 *   2. cross core: a producer thread on CPU 1, a consumer thread on CPU 0
 *
 * Same work on both sides: the producer copies 64 bytes per packet, the consumer
 * reads all 64 (sums them). Ours copies them into the ring's slot (16-byte slot
 * header + data) and the consumer reads them in place (zero-copy burst). For
 * rte_ring (SP/SC, burst 32) the producer copies into a buffer from a pool of
 * pre-allocated 64-byte buffers and enqueues its pointer; the consumer dequeues
 * pointers and reads the buffers. The pool is 4x the ring, so a buffer is never
 * rewritten while the consumer may still read it. Both rings hold 1024 packets.
 *
 * Each figure is the best of ROUNDS rounds of ROUND_NS, ours and the peer's
 * rounds interleaved.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>

#include <rte_eal.h>
#include <rte_ring.h>
#include <rte_lcore.h>

#include "bench.h"
#include "core/ring.h"

#define ROUNDS     5
#define ROUND_NS   2000000000ull
#define BURST      32
#define PKT        64
#define RING_PKTS  1024                 /* rte_ring size; ours holds as many 64 B packets */
#define POOL       (4 * RING_PKTS)

static u8 src[BURST][PKT] __attribute__((aligned(64)));

static inline u64 touch(const u8 *p)
{
	u64 s = 0, w;

	for (int i = 0; i < PKT; i += 8) {
		memcpy(&w, p + i, 8);
		s += w;
	}
	return s;
}

/* ------------------------------------------------------------------ ours */

/* Producer-side and consumer-side state on separate cache lines (128 bytes:
 * adjacent-line prefetch), as two threads would have them. */
struct ours {
	struct pf_ring_prod p __attribute__((aligned(128)));
	struct pf_ring_pkt pk[BURST];
	u8 *mem;
	struct pf_ring_cons c __attribute__((aligned(128)));
};

static void ours_setup(struct ours *o)
{
	size_t size = pf_ring_layout_size(RING_PKTS * pf_ring_slot_bytes(0, PKT));

	o->mem = aligned_alloc(PF_RING_PAGE_SIZE, size);
	memset(o->mem, 0, size);
	if (pf_ring_init(&o->p, o->mem, size, 0) ||
	    pf_ring_attach(&o->c, o->mem, size, NULL, 0)) {
		fprintf(stderr, "bench_ring: ring setup failed\n");
		exit(1);
	}
	for (int i = 0; i < BURST; i++)
		o->pk[i] = (struct pf_ring_pkt){ src[i], PKT, PKT, (u64)i, NULL };
}

static void ours_free(struct ours *o)
{
	free(o->mem);
}

/* Put up to n of o->pk (retrying the rest only when asked). */
static inline u32 ours_put(struct ours *o, u32 n)
{
	return pf_ring_put_burst(&o->p, o->pk, n);
}

static inline u32 ours_get(struct ours *o, u64 *sum)
{
	struct pf_ring_view v[BURST];
	int n = pf_ring_recv_burst(&o->c, v, BURST);

	for (int i = 0; i < n; i++)
		*sum += touch(v[i].data);
	return n > 0 ? (u32)n : 0;
}

/* ------------------------------------------------------------------ peer */

struct peer {
	struct rte_ring *r;
	u8 *pool;
	u32 next;               /* producer's next pool buffer */
} __attribute__((aligned(128)));

static void peer_setup(struct peer *pe, const char *name)
{
	pe->r = rte_ring_create(name, RING_PKTS, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	pe->pool = aligned_alloc(64, (size_t)POOL * PKT);
	if (!pe->r || !pe->pool) {
		fprintf(stderr, "bench_ring: rte_ring setup failed\n");
		exit(1);
	}
	memset(pe->pool, 0, (size_t)POOL * PKT);
	pe->next = 0;
}

static void peer_free(struct peer *pe)
{
	rte_ring_free(pe->r);
	free(pe->pool);
}

static inline u32 peer_put(struct peer *pe, u32 n)
{
	void *objs[BURST];
	u32 i, done;

	for (i = 0; i < n; i++) {
		u8 *b = pe->pool + (size_t)((pe->next + i) & (POOL - 1)) * PKT;

		memcpy(b, src[i], PKT);
		objs[i] = b;
	}
	done = rte_ring_sp_enqueue_burst(pe->r, objs, n, NULL);
	pe->next += done;
	return done;
}

static inline u32 peer_get(struct peer *pe, u64 *sum)
{
	void *objs[BURST];
	u32 n = rte_ring_sc_dequeue_burst(pe->r, objs, BURST, NULL);

	for (u32 i = 0; i < n; i++)
		*sum += touch(objs[i]);
	return n;
}

/* --------------------------------------------------------- same core */

static double ours_same(void)
{
	struct ours o;
	u64 sum = 0, pkts = 0, t0, t;

	ours_setup(&o);
	t0 = bench_now_ns();
	do {
		for (int k = 0; k < 256; k++) {
			ours_put(&o, BURST);
			pkts += ours_get(&o, &sum);
		}
		t = bench_now_ns();
	} while (t - t0 < ROUND_NS);
	bench_keep(sum);
	ours_free(&o);
	return pkts * 1e3 / (double)(t - t0);
}

static double peer_same(void)
{
	struct peer pe;
	u64 sum = 0, pkts = 0, t0, t;

	peer_setup(&pe, "bench_same");
	t0 = bench_now_ns();
	do {
		for (int k = 0; k < 256; k++) {
			peer_put(&pe, BURST);
			pkts += peer_get(&pe, &sum);
		}
		t = bench_now_ns();
	} while (t - t0 < ROUND_NS);
	bench_keep(sum);
	peer_free(&pe);
	return pkts * 1e3 / (double)(t - t0);
}

/* --------------------------------------------------------- cross core */

struct xrun {
	int peer;               /* 0 = ours, 1 = rte_ring */
	struct ours o;
	struct peer pe;
	volatile int stop __attribute__((aligned(128)));
	u64 pkts, ns;
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr, "bench_ring: cannot pin to CPU %d\n", cpu);
}

static void *x_producer(void *arg)
{
	struct xrun *x = arg;

	pin(1);
	while (!x->stop) {
		for (int k = 0; k < 64; k++) {
			u32 done = x->peer ? peer_put(&x->pe, BURST) : ours_put(&x->o, BURST);

			if (done < BURST)
				break;   /* full: the consumer is behind, try again */
		}
	}
	return NULL;
}

static void *x_consumer(void *arg)
{
	struct xrun *x = arg;
	u64 sum = 0, pkts = 0, t0, t;

	pin(0);
	t0 = bench_now_ns();
	do {
		for (int k = 0; k < 256; k++)
			pkts += x->peer ? peer_get(&x->pe, &sum) : ours_get(&x->o, &sum);
		t = bench_now_ns();
	} while (t - t0 < ROUND_NS);
	x->stop = 1;
	bench_keep(sum);
	x->pkts = pkts;
	x->ns = t - t0;
	return NULL;
}

static double cross(int peer)
{
	static struct xrun x;
	pthread_t pt, ct;

	memset(&x, 0, sizeof(x));
	x.peer = peer;
	if (peer)
		peer_setup(&x.pe, "bench_cross");
	else
		ours_setup(&x.o);
	pthread_create(&ct, NULL, x_consumer, &x);
	pthread_create(&pt, NULL, x_producer, &x);
	pthread_join(pt, NULL);
	pthread_join(ct, NULL);
	if (peer)
		peer_free(&x.pe);
	else
		ours_free(&x.o);
	return x.pkts * 1e3 / (double)x.ns;
}

static double ours_cross(void) { return cross(0); }
static double peer_cross(void) { return cross(1); }

/* ------------------------------------------------------------------ main */

static void best_of(double (*a)(void), double (*b)(void), double *ba, double *bb,
		    const char *what)
{
	*ba = *bb = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double va = a(), vb = b();

		fprintf(stderr, "bench_ring: %s round %d: ours %.2f, rte_ring %.2f Mpps\n",
			what, r, va, vb);
		*ba = va > *ba ? va : *ba;
		*bb = vb > *bb ? vb : *bb;
	}
}

int main(void)
{
	static char *eal_argv[] = { "bench_ring", "--no-huge", "--no-pci", "-m", "64",
				    "--no-telemetry", "--log-level=lib.eal:error", NULL };
	cpu_set_t all;
	double ours, peer;

	for (int i = 0; i < BURST; i++)
		for (int j = 0; j < PKT; j++)
			src[i][j] = (u8)(i * 7 + j);
	if (rte_eal_init(7, eal_argv) < 0) {
		fprintf(stderr, "bench_ring: rte_eal_init failed\n");
		return 1;
	}
	/* rte_eal_init pinned this thread to lcore 0: undo that (threads pin
	 * themselves explicitly). */
	CPU_ZERO(&all);
	CPU_SET(0, &all);
	CPU_SET(1, &all);
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);

	best_of(ours_same, peer_same, &ours, &peer, "same core");
	bench_row("ring enqueue+dequeue, same core, 64 B copied (Mpps)", ours, "Mpps",
		  "DPDK 22.11 rte_ring SP/SC burst 32", peer);
	best_of(ours_cross, peer_cross, &ours, &peer, "cross core");
	bench_row("ring enqueue+dequeue, cross-core, 64 B copied (Mpps, goal >= 0.8x)", ours,
		  "Mpps", "DPDK 22.11 rte_ring SP/SC burst 32", peer);
	rte_eal_cleanup();
	return 0;
}
