/*
 * tests/unit/test_deliver.c - core/deliver.c on its own, through a home of
 * arrays that records what core asks of it: which sockets a frame is offered to
 * and in what order (free sockets, then one member per cluster), the queue and
 * direction checks, a full ring dropped and counted (lossy) or owed and
 * inserted later (lossless), a member that is not enabled, the reflector, the
 * reader's wake-up at its watermark, and the locks around each step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/deliver.h"
#include "lib/user_home.h"
#include "pkt_build.h"

#define T_SOCKS    8
#define T_CLUSTERS 2
#define T_LOG      256

struct t_sock {
	int id;
	struct pf_socket sock;
	struct pf_ring_prod prod;
	struct pf_ring_cons cons;
	void *mem;
	size_t size;
	int queue;                /* -1: every queue */
	u8 send_only, enabled, in_cluster, reflect;
	u32 watermark;
	int locked;
	unsigned locks, targets, reflects, fulls, wakes;
};

struct t_home {
	struct t_sock s[T_SOCKS];
	u32 nsocks;
	struct pf_cluster c[T_CLUSTERS];
	u32 nclusters;
	int lossless;             /* full() keeps the frame */
	int reflect_rc;
	int cluster_locked;
	unsigned cluster_locks;
	int log[T_LOG];           /* socket ids in the order they were offered */
	u32 nlog;
	struct t_sock *owed[T_LOG];
	u32 nowed;
};

static struct t_home H;

/* ------------------------------------------------------------ the home */

static void *t_next_free(void *home, struct pf_deliver_iter *it)
{
	struct t_home *h = home;

	while (it->i < h->nsocks) {
		struct t_sock *s = &h->s[it->i++];

		if (!s->in_cluster)
			return s;
	}
	return NULL;
}

static struct pf_cluster *t_next_cluster(void *home, struct pf_deliver_iter *it)
{
	struct t_home *h = home;

	return it->i < h->nclusters ? &h->c[it->i++] : NULL;
}

static enum pf_member_state t_state(const void *member, const struct pf_pkt *p)
{
	const struct t_sock *s = member;

	return pf_deliver_member_state(p, s->queue, s->send_only, s->enabled);
}

static void t_cluster_lock(struct pf_cluster *c)
{
	(void)c;
	assert_false(H.cluster_locked);
	H.cluster_locked = 1;
	H.cluster_locks++;
}

static void t_cluster_unlock(struct pf_cluster *c)
{
	(void)c;
	assert_true(H.cluster_locked);
	H.cluster_locked = 0;
}

static void t_lock(void *member)
{
	struct t_sock *s = member;

	assert_false(s->locked);
	s->locked = 1;
	s->locks++;
}

static void t_unlock(void *member)
{
	struct t_sock *s = member;

	assert_true(s->locked);
	s->locked = 0;
}

static void t_target(void *home, void *member, const struct pf_pkt *p,
		     struct pf_deliver_target *t)
{
	struct t_home *h = home;
	struct t_sock *s = member;

	assert_true(s->locked);
	s->targets++;
	if (h->nlog < T_LOG)
		h->log[h->nlog++] = s->id;
	t->sock = &s->sock;
	t->prod = &s->prod;
	t->caplen = 1500;
	t->watermark = s->watermark;
	t->ts_ns = p->ts_ns;
	t->pkt_hash = 0;
	t->enabled = s->enabled;
	t->reflect = s->reflect;
}

static int t_reflect(void *home, void *member, const struct pf_pkt *p)
{
	struct t_sock *s = member;

	(void)p;
	assert_true(s->locked);
	s->reflects++;
	return ((struct t_home *)home)->reflect_rc;
}

static int t_full(void *home, void *member, const struct pf_pkt *p)
{
	struct t_home *h = home;
	struct t_sock *s = member;

	(void)p;
	assert_true(s->locked);
	s->fulls++;
	if (!h->lossless)
		return 0;
	h->owed[h->nowed++] = s;
	return 1;
}

static void t_wake(void *home, void *member)
{
	struct t_sock *s = member;

	(void)home;
	assert_false(s->locked);
	s->wakes++;
}

static const struct pf_deliver_ops t_ops = {
	.next_free = t_next_free,
	.next_cluster = t_next_cluster,
	.state = t_state,
	.cluster_lock = t_cluster_lock,
	.cluster_unlock = t_cluster_unlock,
	.lock = t_lock,
	.unlock = t_unlock,
	.target = t_target,
	.reflect = t_reflect,
	.full = t_full,
	.wake = t_wake,
};

/* ------------------------------------------------------------ fixtures */

static int setup(void **state)
{
	u32 i;

	(void)state;
	memset(&H, 0, sizeof(H));
	for (i = 0; i < T_SOCKS; i++) {
		struct t_sock *s = &H.s[i];

		s->id = (int)i;
		s->queue = -1;
		s->enabled = 1;
		s->watermark = 1;
		s->size = pf_ring_layout_size(0);      /* the smallest ring: fills fast */
		s->mem = aligned_alloc(PF_RING_PAGE_SIZE, s->size);
		assert_non_null(s->mem);
		memset(s->mem, 0, s->size);
		assert_int_equal(pf_ring_init(&s->prod, s->mem, s->size, 0), 0);
		assert_int_equal(pf_ring_attach(&s->cons, s->mem, s->size, NULL, 0), 0);
		assert_int_equal(pf_socket_init(&s->sock, pf_user_home()), 0);
	}
	H.nsocks = T_SOCKS;
	return 0;
}

static int teardown(void **state)
{
	u32 i;

	(void)state;
	for (i = 0; i < T_SOCKS; i++) {
		pf_socket_destroy(&H.s[i].sock);
		free(H.s[i].mem);
	}
	return 0;
}

static void join(u32 cluster, u32 sock)
{
	assert_int_equal(pf_cluster_join(&H.c[cluster], &H.s[sock], H.c[cluster].type), 0);
	H.s[sock].in_cluster = 1;
}

static u8 frame[128];

/* A received (rx) or transmitted frame of UDP flow n on RX queue queue. */
static struct pf_pkt pkt(u32 n, u16 queue, u8 rx)
{
	struct pb_flow f = pb_udp4(0x0a000001, 0x0a000002, (u16)(1000 + n), 53);
	struct pf_pkt p;

	memset(&p, 0, sizeof(p));
	p.data = frame;
	p.caplen = p.len = pb_build(frame, sizeof(frame), &f);
	assert_true(p.caplen > 0);
	p.ts_ns = 1000 + n;
	p.if_index = 3;
	p.queue = queue;
	p.rx = rx;
	return p;
}

static void deliver(u32 n, u16 queue, u8 rx)
{
	struct pf_pkt p = pkt(n, queue, rx);

	pf_deliver(&t_ops, &H, &p);
}

static struct pf_ring_stats stats(u32 sock)
{
	struct pf_ring_stats st;

	pf_ring_prod_stats(&H.s[sock].prod, &st);
	return st;
}

/* Frames of 60 bytes a fresh smallest ring holds, probed on a ring of its own. */
static u32 ring_capacity(void)
{
	size_t size = pf_ring_layout_size(0);
	void *mem = aligned_alloc(PF_RING_PAGE_SIZE, size);
	struct pf_ring_prod prod;
	struct pf_ring_pkt rp = { frame, PB_MIN_FRAME, PB_MIN_FRAME, 0, NULL };
	u32 n = 0;

	assert_non_null(mem);
	memset(mem, 0, size);
	assert_int_equal(pf_ring_init(&prod, mem, size, 0), 0);
	while (pf_ring_put(&prod, &rp) == 0)
		n++;
	free(mem);
	return n;
}

/* ------------------------------------------------------------ tests */

/* Free sockets in the home's order, then one member of each cluster; a socket
 * on another queue and a send-only one are never offered; a flow stays on one
 * member of the per-flow cluster; round-robin skips a member not enabled, then
 * takes turns. */
static void test_free_sockets_and_two_clusters(void **state)
{
	u32 f, i;

	(void)state;
	H.s[1].queue = 1;       /* free, another queue */
	H.s[2].send_only = 1;   /* free, send-only */
	H.s[3].queue = 0;       /* free, the frames' queue */
	pf_cluster_init(&H.c[0], 10, cluster_per_flow);
	pf_cluster_init(&H.c[1], 11, cluster_round_robin);
	join(0, 4);
	join(0, 5);
	join(1, 6);
	join(1, 7);
	H.s[7].enabled = 0;
	H.nclusters = 2;

	deliver(0, 0, 1);
	assert_int_equal(H.nlog, 4);
	assert_int_equal(H.log[0], 0);
	assert_int_equal(H.log[1], 3);
	assert_true(H.log[2] == 4 || H.log[2] == 5);
	assert_int_equal(H.log[3], 6);
	assert_int_equal(H.cluster_locks, 2);

	/* flow 0 nine more times, then flow 1 ten times */
	H.s[7].enabled = 1;
	for (f = 1; f < 20; f++)
		deliver(f < 10 ? 0 : 1, 0, 1);
	assert_int_equal(H.nlog, 4 * 20);
	for (i = 0; i < 20; i++) {
		assert_int_equal(H.log[4 * i], 0);
		assert_int_equal(H.log[4 * i + 1], 3);
		assert_int_equal(H.log[4 * i + 2], H.log[i < 10 ? 2 : 4 * 10 + 2]);
		/* 6 alone, then from the cursor it left on 6: 6, 7, 6, 7, ... */
		assert_int_equal(H.log[4 * i + 3], i == 0 || i % 2 ? 6 : 7);
	}
	assert_int_equal(stats(0).inserted, 20);
	assert_int_equal(stats(3).inserted, 20);
	assert_int_equal(H.s[1].sock.cnt.seen, 0);
	assert_int_equal(H.s[2].sock.cnt.seen, 0);
	assert_int_equal(stats(4).inserted + stats(5).inserted, 20);
	assert_int_equal(H.s[4].sock.cnt.seen + H.s[5].sock.cnt.seen, 20);
	assert_int_equal(stats(6).inserted, 11);
	assert_int_equal(stats(7).inserted, 9);
	assert_int_equal(H.cluster_locks, 2 * 20);
	for (i = 0; i < T_SOCKS; i++) {
		assert_int_equal(H.s[i].locks, H.s[i].targets);
		assert_int_equal(H.s[i].wakes, stats(i).inserted);   /* watermark 1 */
		assert_int_equal(stats(i).dropped_full, 0);
	}
}

/* The RX queue check applies to received frames only; direction is the
 * socket's own pipeline step, counted there as filtered. */
static void test_queue_and_direction(void **state)
{
	(void)state;
	H.nsocks = 3;
	H.s[0].queue = 1;
	H.s[1].queue = 2;
	assert_int_equal(pf_socket_set_direction(&H.s[2].sock, rx_only_direction), 0);

	deliver(0, 1, 1);       /* rx on queue 1: 0 and 2 */
	deliver(1, 2, 1);       /* rx on queue 2: 1 and 2 */
	deliver(2, 3, 1);       /* rx on queue 3: 2 only */
	deliver(3, 2, 0);       /* tx (its queue means nothing): all three, 2 filters it */
	assert_int_equal(H.s[0].sock.cnt.seen, 2);
	assert_int_equal(stats(0).inserted, 2);
	assert_int_equal(H.s[1].sock.cnt.seen, 2);
	assert_int_equal(stats(1).inserted, 2);
	assert_int_equal(H.s[2].sock.cnt.seen, 4);
	assert_int_equal(H.s[2].sock.cnt.filtered, 1);
	assert_int_equal(stats(2).inserted, 3);
	assert_int_equal(H.s[2].wakes, 3);
}

/* Lossy: what a full ring cannot take is dropped and counted on it, once. */
static void test_full_ring_lossy(void **state)
{
	u32 cap = ring_capacity(), f;

	(void)state;
	assert_true(cap > 10);
	H.nsocks = 2;
	for (f = 0; f < cap + 7; f++)
		deliver(f, 0, 1);
	for (f = 0; f < 2; f++) {
		assert_int_equal(stats(f).inserted, cap);
		assert_int_equal(stats(f).dropped_full, 7);
		assert_int_equal(H.s[f].fulls, 7);
		assert_int_equal(H.s[f].sock.cnt.passed, cap + 7);
		assert_int_equal(H.s[f].wakes, cap);
	}
	assert_int_equal(H.nowed, 0);
}

/* Lossless: full() keeps the frame (nothing counted); once the reader makes
 * room, pf_deliver_insert puts it in, and it is counted as inserted. */
static void test_full_ring_lossless(void **state)
{
	u32 cap = ring_capacity(), f;
	struct pf_ring_view v;
	struct pf_deliver_target t;
	struct pf_pkt p;

	(void)state;
	H.nsocks = 1;
	H.lossless = 1;
	for (f = 0; f < cap + 3; f++)
		deliver(f, 0, 1);
	assert_int_equal(stats(0).inserted, cap);
	assert_int_equal(stats(0).dropped_full, 0);
	assert_int_equal(H.nowed, 3);
	/* still full: the retry fails and counts nothing */
	p = pkt(cap, 0, 1);
	H.s[0].locked = 1;
	t_target(&H, &H.s[0], &p, &t);
	assert_int_equal(pf_deliver_insert(&t, &p), -PF_ENOSPC);
	assert_int_equal(stats(0).dropped_full, 0);
	/* the reader takes 3 (the producer wraps round the end: 16 bytes skipped, 8
	 * kept free): two owed frames go in, the third waits */
	for (f = 0; f < 3; f++)
		assert_int_equal(pf_ring_recv(&H.s[0].cons, &v), 1);
	pf_ring_release(&H.s[0].cons);
	assert_int_equal(pf_deliver_insert(&t, &p), 1);     /* watermark 1: wake */
	p = pkt(cap + 1, 0, 1);
	assert_int_equal(pf_deliver_insert(&t, &p), 1);
	p = pkt(cap + 2, 0, 1);
	assert_int_equal(pf_deliver_insert(&t, &p), -PF_ENOSPC);
	assert_int_equal(stats(0).inserted, cap + 2);
	assert_int_equal(stats(0).dropped_full, 0);
	/* not enabled: refused before the ring is looked at */
	t.enabled = 0;
	assert_int_equal(pf_deliver_insert(&t, &p), -PF_ENOSPC);
	H.s[0].locked = 0;
}

/* A member of a per-flow cluster that is not enabled keeps its flows: offered,
 * its pipeline runs, the frame counts as on a full ring; round-robin skips it;
 * a free socket that is not enabled is not offered at all. */
static void test_not_enabled(void **state)
{
	u32 f;

	(void)state;
	H.nsocks = 4;
	H.s[0].enabled = 0;             /* free */
	pf_cluster_init(&H.c[0], 1, cluster_per_flow);
	pf_cluster_init(&H.c[1], 2, cluster_round_robin);
	join(0, 1);                     /* the only per-flow member, not enabled */
	H.s[1].enabled = 0;
	join(1, 2);                     /* round robin: 2 not enabled, 3 takes all */
	join(1, 3);
	H.s[2].enabled = 0;
	H.nclusters = 2;
	for (f = 0; f < 5; f++)
		deliver(f, 0, 1);
	assert_int_equal(H.s[0].sock.cnt.seen, 0);
	assert_int_equal(H.s[1].sock.cnt.seen, 5);
	assert_int_equal(stats(1).inserted, 0);
	assert_int_equal(stats(1).dropped_full, 5);
	assert_int_equal(H.s[1].wakes, 0);
	assert_int_equal(H.s[2].sock.cnt.seen, 0);
	assert_int_equal(stats(3).inserted, 5);
	/* lossless: the member is owed the frames instead */
	H.lossless = 1;
	deliver(5, 0, 1);
	assert_int_equal(stats(1).dropped_full, 5);
	assert_int_equal(H.nowed, 1);
	assert_ptr_equal(H.owed[0], &H.s[1]);
}

/* The reflector gets what the pipeline passes; a failure is counted. The
 * reader is woken once its watermark of packets is queued, not before. */
static void test_reflect_and_watermark(void **state)
{
	u32 f;

	(void)state;
	H.nsocks = 2;
	H.s[0].reflect = 1;
	H.reflect_rc = -1;
	H.s[1].watermark = 3;
	assert_int_equal(pf_socket_set_direction(&H.s[0].sock, tx_only_direction), 0);
	deliver(0, 0, 1);       /* filtered on 0: no reflection */
	deliver(1, 0, 0);
	deliver(2, 0, 0);
	assert_int_equal(H.s[0].reflects, 2);
	assert_int_equal(H.s[0].sock.cnt.reflect_errors, 2);
	assert_int_equal(stats(0).inserted, 2);
	assert_int_equal(H.s[1].reflects, 0);
	assert_int_equal(H.s[1].wakes, 1);     /* at the third packet */
	for (f = 3; f < 5; f++)
		deliver(f, 0, 1);
	assert_int_equal(H.s[1].wakes, 3);
}

/* The template carries the first socket's parse to the next ones, without the
 * rule that socket matched. */
static void test_parse_once(void **state)
{
	struct pf_pkt p = pkt(0, 0, 1);
	filtering_rule r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.rule_id = 5;
	r.rule_action = forward_packet_and_stop_rule_evaluation;
	r.core_fields.proto = PB_PROTO_UDP;
	assert_int_equal(pf_socket_add_rule(&H.s[0].sock, &r), 0);
	H.nsocks = 2;
	pf_deliver(&t_ops, &H, &p);
	assert_int_not_equal(p.parsed_level, 0);
	assert_int_equal(p.info.l4_src_port, 1000);
	assert_int_equal(p.info.last_matched_rule_id, 0);
	assert_int_equal(stats(0).inserted, 1);
	assert_int_equal(stats(1).inserted, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_free_sockets_and_two_clusters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_queue_and_direction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_ring_lossy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_ring_lossless, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reflect_and_watermark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
