/*
 * tests/unit/test_zc_cluster_api.c - the DNA Cluster end to end through the
 * public API on sim: NICs: the master (dna_cluster_*) and its slaves opened as
 * "dnacluster:ID@N" (the dnacluster: backend), each in a thread of its own, as
 * pfdnacluster_master and pfcount would run: per-flow placement and the
 * header's fields; the guide's 9.3.2 (a received buffer sent out of another
 * interface) and pfring_send through spares; slaves opened after the frames
 * came (queued for them, the overflow their drop); a slave process killed and
 * its slot taken again. Rig: zc_rig.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "zc_rig.h"

enum api_kind {
	RECV,     /* pfring_recv zero-copy, check the header */
	BOUNCE,   /* 9.3.2: pfring_recv_pkt_buff, set the ifindex of b, pfring_send_pkt_buff */
};

struct api_slave {
	uint32_t cluster_id, id, num_slaves;
	enum api_kind kind;
	uint32_t a_ifindex, b_ifindex;
	pthread_t t;
	_Atomic bool stop, ready;
	_Atomic uint32_t got, errors;
	pfring_stat stats;
	int stats_rc;
};

/* The header and bytes pfring_recv gives for frame data. */
static bool header_ok(struct api_slave *s, const struct pfring_pkthdr *h, const u_char *d)
{
	uint32_t i = frame_index(d);

	return i < MAX_FRAMES && h->caplen == frame_len[i] && h->len == frame_len[i] &&
	       memcmp(d, frames[i], frame_len[i]) == 0 &&
	       h->extended_hdr.pkt_hash == core_hash(d, h->caplen) &&
	       h->extended_hdr.pkt_hash % s->num_slaves == s->id &&
	       h->extended_hdr.if_index == (int32_t)s->a_ifindex;
}

static void *api_slave_main(void *arg)
{
	struct api_slave *s = arg;
	char name[64];
	struct pfring_pkthdr hdr;
	u_char *d;
	pfring_pkt_buff *buf = NULL;

	snprintf(name, sizeof(name), "dnacluster:%u@%u", s->cluster_id, s->id);
	pfring *ring = pfring_open(name, 1536, 0);

	if (ring == NULL || pfring_enable_ring(ring) != 0) {
		atomic_fetch_add(&s->errors, 1000);
		atomic_store(&s->ready, true);
		return NULL;
	}
	if (s->kind == BOUNCE && (buf = pfring_alloc_pkt_buff(ring)) == NULL)
		atomic_fetch_add(&s->errors, 1000);
	atomic_store(&s->ready, true);
	for (;;) {
		int rc;

		if (s->kind == RECV) {
			rc = pfring_recv(ring, &d, 0, &hdr, 0);
			if (rc > 0 && !header_ok(s, &hdr, d))
				atomic_fetch_add(&s->errors, 1);
		} else {
			rc = buf ? pfring_recv_pkt_buff(ring, buf, &hdr, 0) : -1;
			if (rc > 0) {
				if (!header_ok(s, &hdr, pfring_get_pkt_buff_data(ring, buf)) ||
				    pfring_set_pkt_buff_ifindex(ring, buf, (int)s->b_ifindex) != 0)
					atomic_fetch_add(&s->errors, 1);
				/* the guide's 9.3.2: out of the other interface, zero-copy */
				while (pfring_send_pkt_buff(ring, buf, 0) ==
				       PF_RING_ERROR_NO_TX_SLOT_AVAILABLE)
					usleep(100);
			}
		}
		if (rc > 0) {
			atomic_fetch_add(&s->got, 1);
		} else if (rc < 0) {
			atomic_fetch_add(&s->errors, 1);
			break;
		} else if (atomic_load(&s->stop)) {
			break;
		} else {
			usleep(100);
		}
	}
	s->stats_rc = pfring_stats(ring, &s->stats);
	if (buf)
		pfring_release_pkt_buff(ring, buf);
	pfring_close(ring);
	return NULL;
}

static void api_slave_start(struct api_slave *s, struct rig *r, uint32_t id, uint32_t n,
			    enum api_kind kind)
{
	memset(s, 0, sizeof(*s));
	s->cluster_id = r->id;
	s->id = id;
	s->num_slaves = n;
	s->kind = kind;
	s->a_ifindex = r->a_ifindex;
	s->b_ifindex = r->b_ifindex;
	assert_int_equal(pthread_create(&s->t, NULL, api_slave_main, s), 0);
	WAIT_FOR(atomic_load(&s->ready));
	assert_int_equal(atomic_load(&s->errors), 0);
}

static void api_slave_stop(struct api_slave *s)
{
	atomic_store(&s->stop, true);
	pthread_join(s->t, NULL);
	assert_int_equal(atomic_load(&s->errors), 0);
	assert_int_equal(s->stats_rc, 0);
}

/* pfdnacluster_master's way with 2 pfcount-like slaves: every frame on the
 * slave of its core hash, the header's fields, the slaves' stats. */
static void test_master_and_dnacluster_slaves(void **state)
{
	enum { N = 1000, S = 2 };
	struct rig r;
	struct api_slave sl[S];
	uint32_t expect[S] = { 0 };
	u_int64_t rx, tx, processed;

	(void)state;
	build_frames(N, 53);
	for (uint32_t i = 0; i < N; i++)
		expect[core_hash(frames[i], frame_len[i]) % S]++;
	assert_true(expect[0] > 0 && expect[1] > 0);
	rig_open(&r, S, 0, 2048, 16);
	assert_int_equal(dna_cluster_set_mode(r.c, recv_only_mode), 0);
	rig_enable(&r);
	for (uint32_t s = 0; s < S; s++)
		api_slave_start(&sl[s], &r, s, S, RECV);
	inject(&r, 0, N);
	WAIT_FOR(atomic_load(&sl[0].got) + atomic_load(&sl[1].got) == N);
	for (uint32_t s = 0; s < S; s++) {
		api_slave_stop(&sl[s]);
		assert_int_equal(atomic_load(&sl[s].got), expect[s]);
		assert_int_equal(sl[s].stats.recv, expect[s]);
		assert_int_equal(sl[s].stats.drop, 0);
	}
	/* the slaves' close gave everything back */
	WAIT_FOR(ctr(&r).processed == N && ctr(&r).reaped == S);
	assert_int_equal(dna_cluster_stats(r.c, &rx, &tx, &processed), 0);
	assert_true(rx == N && tx == 0 && processed == N);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);

	assert_int_equal(zc_pool_free_count(pool), zc_pool_num_buffers(pool));
	assert_int_equal(zc_pool_bad_handles(pool), 0);
	rig_close(&r);
}

/* 5.4.6's pfdnacluster_multithread order: the master enabled, the frames
 * read, then the slaves open: each receives its first SLOTS (its queue) and
 * its pfring_stats drop is exactly the rest of its share. */
static void test_slaves_open_after_the_frames(void **state)
{
	enum { N = 400, S = 2, SLOTS = 64 };
	struct rig r;
	struct api_slave sl[S];
	uint32_t expect[S] = { 0 };

	(void)state;
	build_frames(N, 29);
	for (uint32_t i = 0; i < N; i++)
		expect[core_hash(frames[i], frame_len[i]) % S]++;
	assert_true(expect[0] > SLOTS && expect[1] > SLOTS);
	rig_open(&r, S, 0, SLOTS, 16);
	assert_int_equal(dna_cluster_set_mode(r.c, recv_only_mode), 0);
	rig_enable(&r);
	inject(&r, 0, N);
	WAIT_FOR(ctr(&r).rx == N);
	for (uint32_t s = 0; s < S; s++)
		api_slave_start(&sl[s], &r, s, S, RECV);
	WAIT_FOR(atomic_load(&sl[0].got) == SLOTS && atomic_load(&sl[1].got) == SLOTS);
	for (uint32_t s = 0; s < S; s++) {
		api_slave_stop(&sl[s]);
		assert_int_equal(atomic_load(&sl[s].got), SLOTS);
		assert_int_equal(sl[s].stats.recv, SLOTS);
		assert_int_equal(sl[s].stats.drop, expect[s] - SLOTS);
	}
	WAIT_FOR(ctr(&r).reaped == S);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.delivered, S * SLOTS);
	assert_int_equal(c.processed, S * SLOTS);
	assert_int_equal(c.reclaimed, 0);
	assert_int_equal(c.no_slave, 0);
	rig_close(&r);
}

/* 9.3.2: each slave sends what it receives out of b, zero-copy; then a
 * pfring_send of a copy goes out through a spare buffer. */
static void test_bounce_through_slaves(void **state)
{
	enum { N = 600, S = 2 };
	static uint32_t sent[N + 8];
	static uint8_t count[N];
	struct rig r;
	struct api_slave sl[S];

	(void)state;
	build_frames(N, 19);
	rig_open(&r, S, 0, 1024, 8);
	rig_enable(&r);
	for (uint32_t s = 0; s < S; s++)
		api_slave_start(&sl[s], &r, s, S, BOUNCE);
	inject(&r, 0, N);
	WAIT_FOR(ctr(&r).tx == N);
	for (uint32_t s = 0; s < S; s++)
		api_slave_stop(&sl[s]);
	assert_int_equal(atomic_load(&sl[0].got) + atomic_load(&sl[1].got), N);

	/* a copy sent by a slave: out of the master's first ring (a) */
	char name[64];

	WAIT_FOR(ctr(&r).reaped == S);
	snprintf(name, sizeof(name), "dnacluster:%u@0", r.id);
	pfring *ring = pfring_open(name, 1536, 0);

	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	int rc;
	uint64_t until = ms_now() + WAIT_MS;

	while ((rc = pfring_send(ring, (char *)frames[3], frame_len[3], 1)) ==
		       PF_RING_ERROR_NO_TX_SLOT_AVAILABLE && ms_now() < until)
		usleep(200);  /* the master tops the new slave's spares up */
	assert_int_equal(rc, (int)frame_len[3]);
	WAIT_FOR(ctr(&r).tx == N + 1);
	pfring_close(ring);
	assert_int_equal(ctr(&r).tx_errors, 0);
	/* processed: the N frames received, not the spares (each pfring_recv_pkt_buff
	 * swap gives one back, the copy went in one) */
	WAIT_FOR(ctr(&r).reaped == S + 1);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	u_int64_t rx, tx, processed;

	assert_int_equal(dna_cluster_stats(r.c, &rx, &tx, &processed), 0);
	assert_true(rx == N && tx == N + 1 && processed == N);
	assert_int_equal(ctr(&r).reclaimed, 0);
	assert_int_equal(zc_pool_free_count(pf_zc_cluster_pool(r.c)),
			 zc_pool_num_buffers(pf_zc_cluster_pool(r.c)));
	rig_close(&r);
	/* b sent each frame once, byte-identical */
	assert_int_equal(b_sent(&r, sent, N + 8), N);
	for (uint32_t i = 0; i < N; i++)
		count[sent[i]]++;
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(count[i], 1);
}

/* A slave process receiving, SIGKILLed: the master reaps it and a new slave
 * takes its slot by name; every buffer comes back. */
static void test_killed_slave_process_replaced(void **state)
{
	enum { N = 800, S = 2 };
	struct rig r;
	struct api_slave sl0, sl1;
	_Atomic uint32_t *child_got = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	(void)state;
	assert_true(child_got != MAP_FAILED);
	build_frames(N, 61);
	rig_open(&r, S, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS, 2048, 0);
	rig_enable(&r);
	api_slave_start(&sl0, &r, 0, S, RECV);
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char name[64];
		struct pfring_pkthdr hdr;
		u_char *d;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		snprintf(name, sizeof(name), "dnacluster:%u@1", r.id);
		pfring *ring = pfring_open(name, 1536, 0);

		if (ring == NULL || pfring_enable_ring(ring) != 0)
			_exit(3);
		for (;;)
			if (pfring_recv(ring, &d, 0, &hdr, 1) > 0)
				atomic_fetch_add(child_got, 1);
	}
	WAIT_FOR(zc_pool_slave_attached(pf_zc_cluster_pool(r.c), 1));
	inject(&r, 0, N / 2);
	/* the first half all given out before the kill: what the master gives
	 * slot 1 after the reap waits for the next slave 1, whose count is exact */
	WAIT_FOR(atomic_load(child_got) > 0 && ctr(&r).rx == N / 2);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	WAIT_FOR(ctr(&r).reaped == 1);
	/* slot 1 is free again: a new slave takes it */
	api_slave_start(&sl1, &r, 1, S, RECV);
	uint32_t before0 = atomic_load(&sl0.got);
	inject(&r, N / 2, N);
	uint32_t want0 = 0, want1 = 0;

	for (uint32_t i = N / 2; i < N; i++) {
		if (core_hash(frames[i], frame_len[i]) % S == 0)
			want0++;
		else
			want1++;
	}
	WAIT_FOR(atomic_load(&sl0.got) == before0 + want0 && atomic_load(&sl1.got) == want1);
	api_slave_stop(&sl1);
	api_slave_stop(&sl0);
	WAIT_FOR(ctr(&r).reaped == 3);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(zc_pool_free_count(pool), zc_pool_num_buffers(pool));
	assert_int_equal(zc_pool_bad_handles(pool), 0);
	assert_int_equal(c.rx, N);
	assert_int_equal(c.delivered, N);
	assert_int_equal(c.processed + c.reclaimed, c.delivered);
	rig_close(&r);
	munmap((void *)child_got, 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_master_and_dnacluster_slaves, unlink_names),
		cmocka_unit_test_teardown(test_slaves_open_after_the_frames, unlink_names),
		cmocka_unit_test_teardown(test_bounce_through_slaves, unlink_names),
		cmocka_unit_test_teardown(test_killed_slave_process_replaced, unlink_names),
	};

	return cmocka_run_group_tests(tests, NULL, unlink_names);
}
