/*
 * tests/unit/test_zc_cluster.c - the DNA Cluster master (backends/zero/cluster.c,
 * cluster_loop.c) on sim: NICs, its slaves plain zc_pool_attach() handles.
 *
 * The rig (zc_rig.h): two registered rings, "a" (ring 0) and "b" (ring 1, its
 * sends recorded in a txpcap file), and an injector NIC whose sends arrive on
 * "a" (peer=): the test sends frames it built, each carrying its index in its
 * payload, mostly once the slaves are attached; frames for a slave not
 * attached yet wait in its queue (test_queued_before_attach).
 * Every count below is exact.
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
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "zc_rig.h"
#include "stderr_capture.h"

/* ------------------------------------------------------------ slaves */

enum slave_kind {
	READER,      /* receive, check, release at once */
	LATE,        /* receive nothing until told to stop, then drain */
	HOLES,       /* keep up to 40 aside, release a random one of them */
	ECHO,        /* send each frame out of ring b (its ifindex) */
	KEEP,        /* keep every buffer until told to stop */
};

static _Atomic uint8_t seen_by[MAX_FRAMES];  /* bit s: slave s received frame i */

struct slave {
	uint32_t cluster_id, id, num_slaves;
	enum slave_kind kind;
	uint32_t ifindex_a, out_ifindex, extra_ifindex;  /* extra: 0 none */
	bool check_default_hash;
	pthread_t t;
	_Atomic bool stop, ready, keep_attached, closing;
	_Atomic uint32_t got;     /* buffers received */
	_Atomic uint32_t errors;  /* a field not as the master should set it */
	struct zc_pool *pool;
};

static void got_buffer(struct slave *s, uint32_t h)
{
	struct zc_buf *b = zc_pool_buf(s->pool, h);
	const uint8_t *d = zc_pool_data(s->pool, h);
	uint32_t i = frame_index(d);

	if (i >= MAX_FRAMES || b->len != frame_len[i] || memcmp(d, frames[i], b->len) != 0 ||
	    b->ifindex != s->ifindex_a || b->ts_ns == 0 ||
	    (s->check_default_hash && (b->hash != core_hash(d, b->len) ||
				       b->hash % s->num_slaves != s->id)))
		atomic_fetch_add(&s->errors, 1);
	if (i < MAX_FRAMES)
		atomic_fetch_or(&seen_by[i], (uint8_t)(1u << s->id));
	atomic_fetch_add(&s->got, 1);
}

static void release_one(struct slave *s, uint32_t h)
{
	while (zc_pool_release(s->pool, &h, 1) != 1)
		usleep(100);
}

static void *slave_main(void *arg)
{
	struct slave *s = arg;
	uint32_t h[32], kept[512], nkept = 0, n;
	unsigned int seed = s->id + 1;

	assert_int_equal(zc_pool_attach(s->cluster_id, s->id, &s->pool), 0);
	atomic_store(&s->ready, true);
	for (;;) {
		bool stopping = atomic_load(&s->stop);

		if (s->kind == LATE && !stopping) {
			usleep(200);
			continue;
		}
		n = zc_pool_recv(s->pool, h, 32);
		for (uint32_t k = 0; k < n; k++) {
			got_buffer(s, h[k]);
			if (s->kind == HOLES) {
				kept[nkept++] = h[k];
				if (nkept == 40) {  /* release a random one: holes */
					uint32_t j = (uint32_t)rand_r(&seed) % nkept;

					release_one(s, kept[j]);
					kept[j] = kept[--nkept];
				}
			} else if (s->kind == KEEP && nkept < 512) {
				kept[nkept++] = h[k];
			} else if (s->kind == ECHO) {
				struct zc_buf *b = zc_pool_buf(s->pool, h[k]);

				b->ifindex = s->out_ifindex;
				if (s->extra_ifindex) {
					b->extra_egress[0] = s->extra_ifindex;
					b->num_extra_egress = 1;
				}
				while (zc_pool_send(s->pool, &h[k], 1) != 1)
					usleep(100);
			} else {
				release_one(s, h[k]);
			}
		}
		if (n == 0) {
			if (stopping)
				break;
			usleep(100);
		}
	}
	while (nkept > 0) {  /* the rest, in random order */
		uint32_t j = (uint32_t)rand_r(&seed) % nkept;

		release_one(s, kept[j]);
		kept[j] = kept[--nkept];
	}
	/* the destroy test: still attached while the cluster goes */
	while (atomic_load(&s->keep_attached))
		usleep(200);
	zc_pool_close(s->pool);
	return NULL;
}

static void slave_start(struct slave *s, struct rig *r, uint32_t id, uint32_t num_slaves,
			enum slave_kind kind)
{
	memset(s, 0, sizeof(*s));
	s->cluster_id = r->id;
	s->id = id;
	s->num_slaves = num_slaves;
	s->kind = kind;
	s->ifindex_a = r->a_ifindex;
	s->out_ifindex = r->b_ifindex;
	assert_int_equal(pthread_create(&s->t, NULL, slave_main, s), 0);
	WAIT_FOR(atomic_load(&s->ready));
}

static void slave_stop(struct slave *s)
{
	atomic_store(&s->stop, true);
	pthread_join(s->t, NULL);
	assert_int_equal(atomic_load(&s->errors), 0);
}

static void seen_reset(void)
{
	for (uint32_t i = 0; i < MAX_FRAMES; i++)
		atomic_store(&seen_by[i], 0);
}

/* ------------------------------------------------------------ 1. default hash */

/* N frames of 37 flows, both directions: each frame on slave core_hash % 3,
 * exact counts per slave, both directions of a flow on one slave. */
static void test_default_hash_placement(void **state)
{
	enum { N = 1200, FLOWS = 37, S = 3 };
	struct rig r;
	struct slave sl[S];
	uint32_t expect[S] = { 0 };

	(void)state;
	build_frames(N, FLOWS);
	seen_reset();
	for (uint32_t i = 0; i < N; i++)
		expect[core_hash(frames[i], frame_len[i]) % S]++;
	for (uint32_t s = 0; s < S; s++)
		assert_true(expect[s] > 0);
	rig_open(&r, S, 0, 2048, 0);
	rig_enable(&r);
	for (uint32_t s = 0; s < S; s++) {
		slave_start(&sl[s], &r, s, S, READER);
		sl[s].check_default_hash = true;
	}
	inject(&r, 0, N);
	WAIT_FOR(atomic_load(&sl[0].got) + atomic_load(&sl[1].got) + atomic_load(&sl[2].got) == N);
	for (uint32_t s = 0; s < S; s++) {
		slave_stop(&sl[s]);
		assert_int_equal(atomic_load(&sl[s].got), expect[s]);
	}
	for (uint32_t i = 0; i < N; i++) {
		uint8_t by = atomic_load(&seen_by[i]);

		assert_int_equal(by, 1u << (core_hash(frames[i], frame_len[i]) % S));
		if (i & 1)  /* the reply went where the request went */
			assert_int_equal(by, atomic_load(&seen_by[i - 1]));
	}
	WAIT_FOR(ctr(&r).processed == N);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.rx, N);
	assert_int_equal(c.delivered, N);
	assert_int_equal(c.rx, c.delivered + c.no_slave + c.verdict_drops + c.no_buffer);
	assert_int_equal(c.no_slave, 0);
	assert_int_equal(c.tx, 0);
	for (uint32_t s = 0; s < S; s++)
		assert_int_equal(zc_pool_rx_drops(pf_zc_cluster_pool(r.c), s), 0);
	rig_close(&r);
}

/* ------------------------------------------------------------ 2. the guide's functions */

static uint32_t custom_hash_function(const u_char *buffer, const u_int16_t buffer_len)
{
	(void)buffer_len;
	/* bidirectional: the sum of the IPv4 addresses */
	return (uint32_t)buffer[26] + buffer[27] + buffer[28] + buffer[29] + buffer[30] +
	       buffer[31] + buffer[32] + buffer[33];
}

/* 9.3.3, the guide's form */
static int hash_distribution_function(const u_char *buffer, const u_int16_t buffer_len,
				      const u_int32_t num_slaves, u_int32_t *id_mask,
				      u_int32_t *hash)
{
	u_int32_t slave_idx;

	*hash = custom_hash_function(buffer, buffer_len);
	slave_idx = (*hash) % num_slaves;
	*id_mask = (1 << slave_idx);
	return DNA_CLUSTER_PASS;
}

/* 5.4.6 pfdnacluster_master's form */
static int master_distribution_function(const u_char *buffer, const u_int16_t buffer_len,
					const pfring_dna_cluster_slaves_info *slaves_info,
					u_int32_t *id_mask, u_int32_t *hash)
{
	u_int32_t slave_idx;

	*hash = custom_hash_function(buffer, buffer_len);
	slave_idx = (*hash) % slaves_info->num_slaves;
	*id_mask = (1 << slave_idx);
	return DNA_CLUSTER_PASS;
}

/* 9.3.4 */
static int fanout_distribution_function(const u_char *buffer, const u_int16_t buffer_len,
					const u_int32_t num_slaves, u_int32_t *id_mask,
					u_int32_t *hash)
{
	u_int32_t n_zero_bits = 32 - num_slaves;

	(void)buffer;
	(void)buffer_len;
	(void)hash;
	*id_mask = ((0xFFFFFFFF << n_zero_bits) >> n_zero_bits);
	return DNA_CLUSTER_PASS;
}

/* Runs N frames through a 2-slave cluster with form (0 the guide's, 1
 * slaves_info) of the custom hash; placement into by[]. */
static void run_custom(int form, uint8_t *by, uint32_t n)
{
	struct rig r;
	struct slave sl[2];

	seen_reset();
	rig_open(&r, 2, 0, 2048, 0);
	if (form == 0)
		dna_cluster_set_distribution_function(r.c, hash_distribution_function);
	else
		dna_cluster_set_distribution_function(r.c, master_distribution_function);
	rig_enable(&r);
	slave_start(&sl[0], &r, 0, 2, READER);
	slave_start(&sl[1], &r, 1, 2, READER);
	inject(&r, 0, n);
	WAIT_FOR(atomic_load(&sl[0].got) + atomic_load(&sl[1].got) == n);
	slave_stop(&sl[0]);
	slave_stop(&sl[1]);
	for (uint32_t i = 0; i < n; i++)
		by[i] = atomic_load(&seen_by[i]);
	/* the counters are published at the end of the master's round */
	WAIT_FOR(ctr(&r).rx == n);
	rig_close(&r);
}

static void test_custom_forms_same_placement(void **state)
{
	enum { N = 600 };
	static uint8_t guide[N], info[N];
	uint32_t on[2] = { 0, 0 };

	(void)state;
	build_frames(N, 29);
	run_custom(0, guide, N);
	run_custom(1, info, N);
	assert_memory_equal(guide, info, N);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t want = custom_hash_function(frames[i], (u_int16_t)frame_len[i]) % 2;

		assert_int_equal(guide[i], 1u << want);
		on[want]++;
	}
	assert_true(on[0] > 0 && on[1] > 0);
}

/* 9.3.4: every frame to both; then a slave that never reads: only its drops rise. */
static void test_fanout_and_slow_slave(void **state)
{
	enum { N = 500, SLOTS = 64, BATCH = 16 };
	struct rig r;
	struct slave sl[2];

	(void)state;
	build_frames(N, 11);
	seen_reset();
	rig_open(&r, 2, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS, 2048, 0);
	dna_cluster_set_distribution_function(r.c, fanout_distribution_function);
	rig_enable(&r);
	slave_start(&sl[0], &r, 0, 2, READER);
	slave_start(&sl[1], &r, 1, 2, READER);
	inject(&r, 0, N);
	WAIT_FOR(atomic_load(&sl[0].got) == N && atomic_load(&sl[1].got) == N);
	slave_stop(&sl[0]);
	slave_stop(&sl[1]);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(atomic_load(&seen_by[i]), 3);
	WAIT_FOR(ctr(&r).processed == 2 * N);
	assert_int_equal(ctr(&r).delivered, 2 * N);
	rig_close(&r);

	/* slave 1 reads nothing: its queue fills, only its drop counter rises */
	seen_reset();
	rig_open(&r, 2, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS, SLOTS, 0);
	dna_cluster_set_distribution_function(r.c, fanout_distribution_function);
	rig_enable(&r);
	slave_start(&sl[0], &r, 0, 2, READER);
	slave_start(&sl[1], &r, 1, 2, LATE);
	for (uint32_t i = 0; i < N; i += BATCH) {  /* paced by slave 0: its queue never fills */
		uint32_t to = i + BATCH < N ? i + BATCH : N;

		inject(&r, i, to);
		WAIT_FOR(atomic_load(&sl[0].got) == to);
	}
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);

	WAIT_FOR(ctr(&r).rx == N);
	assert_int_equal(zc_pool_rx_drops(pool, 0), 0);
	assert_int_equal(zc_pool_rx_drops(pool, 1), N - SLOTS);
	assert_int_equal(atomic_load(&sl[1].got), 0);
	slave_stop(&sl[1]);  /* drains its queue: the first SLOTS frames */
	assert_int_equal(atomic_load(&sl[1].got), SLOTS);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(atomic_load(&seen_by[i]), i < SLOTS ? 3 : 1);
	slave_stop(&sl[0]);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.delivered, N + SLOTS);
	/* per slave: offered = recv + drop */
	assert_int_equal(N, atomic_load(&sl[1].got) + zc_pool_rx_drops(pool, 1));
	rig_close(&r);
}

/* The master enabled, no slave yet (5.4.6's pfdnacluster_multithread order):
 * N frames by the default hash to 2 slaves, whose queues of SLOTS hold them
 * until the slaves attach. Slave 0's share fits; slave 1's overflows by
 * exactly expect[1] - SLOTS, its drop. The slaves that attach then receive
 * the rest, oldest first; a frame sent after they attach comes next. */
static void test_queued_before_attach(void **state)
{
	enum { N = 300, SLOTS = 128 };
	struct rig r;
	struct slave sl[2];
	uint32_t expect[2] = { 0, 0 };

	(void)state;
	build_frames(N + 1, 19);
	seen_reset();
	for (uint32_t i = 0; i < N; i++)
		expect[core_hash(frames[i], frame_len[i]) % 2]++;
	assert_true(expect[0] <= SLOTS && expect[1] > SLOTS);
	rig_open(&r, 2, 0, SLOTS, 4);
	rig_enable(&r);
	inject(&r, 0, N);
	WAIT_FOR(ctr(&r).rx == N);
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.delivered, expect[0] + SLOTS);
	assert_int_equal(c.no_slave, 0);
	assert_int_equal(zc_pool_rx_drops(pool, 0), 0);
	assert_int_equal(zc_pool_rx_drops(pool, 1), expect[1] - SLOTS);
	assert_int_equal(c.rx, c.delivered + zc_pool_rx_drops(pool, 1));
	for (uint32_t s = 0; s < 2; s++) {
		slave_start(&sl[s], &r, s, 2, READER);
		sl[s].check_default_hash = true;
	}
	WAIT_FOR(atomic_load(&sl[0].got) == expect[0] && atomic_load(&sl[1].got) == SLOTS);
	/* slave 1 got the first SLOTS of its frames, the overflow never */
	uint32_t of1 = 0;

	for (uint32_t i = 0; i < N; i++) {
		uint32_t want = core_hash(frames[i], frame_len[i]) % 2;

		if (want == 1 && of1++ >= SLOTS)
			assert_int_equal(atomic_load(&seen_by[i]), 0);
		else
			assert_int_equal(atomic_load(&seen_by[i]), 1u << want);
	}
	inject(&r, N, N + 1);
	uint32_t last = core_hash(frames[N], frame_len[N]) % 2;

	WAIT_FOR(atomic_load(&seen_by[N]) == 1u << last);
	slave_stop(&sl[0]);
	slave_stop(&sl[1]);
	assert_int_equal(atomic_load(&sl[0].got), expect[0] + (last == 0));
	assert_int_equal(atomic_load(&sl[1].got), SLOTS + (last == 1));
	WAIT_FOR(ctr(&r).reaped == 2);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	c = ctr(&r);
	assert_int_equal(c.processed, expect[0] + SLOTS + 1);  /* spares (4 each) not counted */
	assert_int_equal(c.reclaimed, 0);
	assert_int_equal(zc_pool_free_count(pool), zc_pool_num_buffers(pool));
	rig_close(&r);
}

/* ------------------------------------------------------------ 3. FRWD */

static int frwd_calls;

/* 9.3.5: out of socket 1 (ring b); a VLAN-tagged frame is dropped. */
static int frwd_distribution_function(const u_char *buffer, const u_int16_t buffer_len,
				      const u_int32_t num_slaves, u_int32_t *id_mask,
				      u_int32_t *hash)
{
	(void)buffer_len;
	(void)num_slaves;
	(void)hash;
	frwd_calls++;
	if (buffer[12] == 0x81 && buffer[13] == 0x00)
		return DNA_CLUSTER_DROP;
	*id_mask = (1 << 1);
	return DNA_CLUSTER_FRWD;
}

static void test_direct_forwarding(void **state)
{
	enum { N = 400 };
	static uint32_t sent[N + 8];
	struct rig r;
	struct slave sl[2];

	(void)state;
	build_frames(N, 17);
	frwd_calls = 0;
	rig_open(&r, 2, DNA_CLUSTER_DIRECT_FORWARDING, 2048, 0);
	assert_int_equal(dna_cluster_set_mode(r.c, send_and_recv_mode), 0);
	dna_cluster_set_distribution_function(r.c, frwd_distribution_function);
	rig_enable(&r);
	slave_start(&sl[0], &r, 0, 2, READER);
	slave_start(&sl[1], &r, 1, 2, READER);
	inject(&r, 0, N);
	WAIT_FOR(ctr(&r).rx == N);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.tx, N);
	assert_int_equal(c.frwd, N);
	assert_int_equal(c.verdict_drops, 0);
	assert_int_equal(c.delivered, 0);
	assert_int_equal(c.tx_errors, 0);
	u_int64_t rx, tx, processed;

	assert_int_equal(dna_cluster_stats(r.c, &rx, &tx, &processed), 0);
	assert_true(rx == N && tx == N && processed == 0);
	slave_stop(&sl[0]);
	slave_stop(&sl[1]);
	assert_int_equal(atomic_load(&sl[0].got) + atomic_load(&sl[1].got), 0);
	rig_close(&r);
	assert_int_equal(frwd_calls, N);
	/* b sent them all, in order, byte-identical */
	assert_int_equal(b_sent(&r, sent, N + 8), N);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(sent[i], i);

	/* without DNA_CLUSTER_DIRECT_FORWARDING nothing is forwarded: counted */
	rig_open(&r, 1, 0, 256, 0);
	dna_cluster_set_distribution_function(r.c, frwd_distribution_function);
	rig_enable(&r);
	inject(&r, 0, 50);
	WAIT_FOR(ctr(&r).rx == 50);
	c = ctr(&r);
	assert_int_equal(c.tx, 0);
	assert_int_equal(c.frwd_refused, 50);
	rig_close(&r);
	assert_int_equal(b_sent(&r, sent, N), 0);
}

/* ------------------------------------------------------------ 4. slave TX */

static void test_slave_tx_and_spares(void **state)
{
	enum { N = 300, SPARE = 8 };
	static uint32_t sent[N + 8];
	static uint8_t count[N];
	struct rig r;
	struct slave sl[2];
	uint32_t h[SPARE + 1];

	(void)state;
	build_frames(N, 23);
	rig_open(&r, 2, 0, 512, SPARE);
	rig_enable(&r);
	slave_start(&sl[0], &r, 0, 2, ECHO);
	slave_start(&sl[1], &r, 1, 2, ECHO);
	inject(&r, 0, N);
	WAIT_FOR(ctr(&r).tx == N);
	slave_stop(&sl[0]);
	slave_stop(&sl[1]);
	assert_int_equal(atomic_load(&sl[0].got) + atomic_load(&sl[1].got), N);

	/* spare buffers: a slave of the test's own finds SPARE, writes a frame in
	 * one and sends it out of b; the master tops its spares up again */
	struct zc_pool *p;

	WAIT_FOR(ctr(&r).reaped == 2);  /* slot 0 is free again once reaped */
	assert_int_equal(zc_pool_attach(r.id, 0, &p), 0);
	uint32_t got = 0;
	uint64_t until = ms_now() + WAIT_MS;

	/* the master fills them in its next round; the pause lets it run (under
	 * valgrind, threads take turns: a loop that never sleeps starves it) */
	while (got < SPARE && ms_now() < until) {
		got += zc_pool_spare_take(p, h + got, SPARE - got);
		if (got < SPARE)
			usleep(100);
	}
	assert_int_equal(got, SPARE);
	WAIT_FOR(zc_pool_spare_take(p, h + SPARE, 1) == 1);  /* topped up again */
	struct zc_buf *b = zc_pool_buf(p, h[0]);

	assert_int_equal(b->len, 0);
	memcpy(zc_pool_data(p, h[0]), frames[5], frame_len[5]);
	b->len = frame_len[5];
	b->ifindex = r.b_ifindex;
	assert_int_equal(zc_pool_send(p, h, 1), 1);
	assert_int_equal(zc_pool_release(p, h + 1, SPARE), SPARE);
	WAIT_FOR(ctr(&r).tx == N + 1);
	zc_pool_close(p);

	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.rx, N);
	assert_int_equal(c.tx_errors, 0);
	/* the spares (SPARE released, one sent, the rest taken back from the three
	 * slaves) carried no frame: processed counts the N echoed only */
	WAIT_FOR(ctr(&r).reaped == 3);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	c = ctr(&r);
	assert_int_equal(c.processed, N);
	assert_int_equal(c.reclaimed, 0);
	assert_int_equal(c.delivered, N);
	assert_int_equal(zc_pool_free_count(pf_zc_cluster_pool(r.c)),
			 zc_pool_num_buffers(pf_zc_cluster_pool(r.c)));
	rig_close(&r);
	/* every frame left b once, byte-identical (two slaves: any interleaving) */
	assert_int_equal(b_sent(&r, sent, N + 8), N + 1);
	for (uint32_t i = 0; i <= N; i++)
		count[sent[i]]++;
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(count[i], i == 5 ? 2 : 1);
}


/* ------------------------------------------------------------ 5. holes, a slave killed */

/* A slave process (forked): keeps up to 30 buffers aside and releases a
 * random one of them, until SIGKILLed. got: in shared memory. */
static void child_slave(uint32_t cluster_id, _Atomic uint32_t *got, unsigned int seed)
{
	struct zc_pool *p;
	uint32_t h[16], kept[32], nkept = 0, n;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (zc_pool_attach(cluster_id, 1, &p) != 0)
		_exit(3);
	for (;;) {
		n = zc_pool_recv(p, h, 16);
		for (uint32_t k = 0; k < n; k++) {
			kept[nkept++] = h[k];
			atomic_fetch_add(got, 1);
			if (nkept == 30) {
				uint32_t j = (uint32_t)rand_r(&seed) % nkept;

				while (zc_pool_release(p, &kept[j], 1) != 1)
					usleep(50);
				kept[j] = kept[--nkept];
			}
		}
		if (n == 0)
			usleep(50);
	}
}

static void test_holes_and_killed_slave(void **state)
{
	enum { N = 1000, ROUNDS = 3 };
	_Atomic uint32_t *child_got = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	(void)state;
	assert_true(child_got != MAP_FAILED);
	build_frames(N, 41);
	srand(7);
	for (int round = 0; round < ROUNDS; round++) {
		struct rig r;
		struct slave sl0;
		int status;

		seen_reset();
		atomic_store(child_got, 0);
		rig_open(&r, 2, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS, 2048, 0);
		rig_enable(&r);
		slave_start(&sl0, &r, 0, 2, HOLES);
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0)
			child_slave(r.id, child_got, (unsigned int)round + 1);
		WAIT_FOR(zc_pool_slave_attached(pf_zc_cluster_pool(r.c), 1));
		inject(&r, 0, N / 2);
		WAIT_FOR(atomic_load(child_got) > 0);
		usleep((useconds_t)(rand() % 2000));
		inject(&r, N / 2, N);
		assert_int_equal(kill(pid, SIGKILL), 0);  /* mid-run */
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		WAIT_FOR(ctr(&r).rx == N && ctr(&r).reaped == 1);
		slave_stop(&sl0);  /* its kept buffers back, in random order */
		WAIT_FOR(ctr(&r).reaped == 2);
		assert_int_equal(dna_cluster_disable(r.c), 0);

		struct zc_pool *pool = pf_zc_cluster_pool(r.c);
		struct pf_zc_cluster_counters c = ctr(&r);

		/* frames for slave 1 after its reap wait in its queue for the next one */
		uint32_t queued = zc_pool_rx_queued(pool, 1);

		assert_int_equal(zc_pool_free_count(pool) + queued, zc_pool_num_buffers(pool));
		assert_int_equal(zc_pool_bad_handles(pool), 0);
		assert_int_equal(c.rx, c.delivered + c.no_slave + c.verdict_drops + c.no_buffer);
		assert_int_equal(c.no_slave + c.verdict_drops + c.no_buffer, 0);
		assert_int_equal(zc_pool_rx_drops(pool, 0) + zc_pool_rx_drops(pool, 1), 0);
		assert_int_equal(c.processed + c.reclaimed + queued, c.delivered);
		assert_true(c.processed >= atomic_load(&sl0.got));  /* slave 0 gave all back */
		assert_true(c.reclaimed > 0);  /* the dead slave held some */
		rig_close(&r);
	}
	munmap((void *)child_got, 4096);
}

/* ------------------------------------------------------------ 6. stats, destroy */

static void test_stats_identities_and_destroy(void **state)
{
	enum { N = 400, SLOTS = 64, BATCH = 16 };
	struct rig r;
	struct slave sl[2];
	uint32_t expect[2] = { 0, 0 }, so_far0 = 0;
	u_int64_t rx, tx, processed;
	char name[64];

	(void)state;
	build_frames(N, 31);
	for (uint32_t i = 0; i < N; i++)
		expect[core_hash(frames[i], frame_len[i]) % 2]++;
	assert_true(expect[1] > SLOTS);
	rig_open(&r, 2, 0, SLOTS, 4);
	rig_enable(&r);
	slave_start(&sl[0], &r, 0, 2, READER);
	slave_start(&sl[1], &r, 1, 2, LATE);
	atomic_store(&sl[1].keep_attached, true);
	atomic_store(&sl[0].keep_attached, true);
	for (uint32_t i = 0; i < N; i += BATCH) {
		uint32_t to = i + BATCH < N ? i + BATCH : N;

		for (uint32_t k = i; k < to; k++)
			so_far0 += core_hash(frames[k], frame_len[k]) % 2 == 0;
		inject(&r, i, to);
		WAIT_FOR(atomic_load(&sl[0].got) == so_far0);
	}
	WAIT_FOR(ctr(&r).rx == N && ctr(&r).processed == expect[0]);
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);

	assert_int_equal(dna_cluster_stats(r.c, &rx, &tx, &processed), 0);
	assert_int_equal(rx, N);
	assert_int_equal(tx, 0);
	assert_int_equal(processed, expect[0]);
	/* per slave: offered = recv + drop (+ still queued for the late one) */
	assert_int_equal(atomic_load(&sl[0].got), expect[0]);
	assert_int_equal(zc_pool_rx_drops(pool, 0), 0);
	assert_int_equal(zc_pool_rx_queued(pool, 1), SLOTS);
	assert_int_equal(zc_pool_rx_drops(pool, 1), expect[1] - SLOTS);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.delivered, expect[0] + SLOTS);
	/* one slave per frame: a frame is delivered, or its slave's full queue
	 * refused it (that slave's drop) */
	assert_int_equal(c.rx, c.delivered + zc_pool_rx_drops(pool, 1));
	assert_int_equal(c.no_slave, 0);

	/* the 5.4.6 programs' form gives the same */
	pfring_dna_cluster_stat st;

	assert_int_equal(dna_cluster_stats(r.c, &st), 0);
	assert_true(st.tot_rx_packets == rx && st.tot_tx_packets == 0 &&
		    st.tot_rx_processed == processed);

	/* destroy with both slaves attached, one holding SLOTS unread: the name
	 * goes, the slaves' mapping stays until they close */
	rig_close(&r);
	snprintf(name, sizeof(name), "/pfring_zero.%u", r.id);
	assert_int_equal(shm_open(name, O_RDONLY, 0), -1);
	assert_int_equal(errno, ENOENT);
	atomic_store(&sl[1].keep_attached, false);
	atomic_store(&sl[0].keep_attached, false);
	slave_stop(&sl[1]);
	slave_stop(&sl[0]);
	assert_int_equal(atomic_load(&sl[1].got), SLOTS);
}


/* A slave keeping every buffer empties the pool: the master drops what it
 * cannot copy (counted) and goes on; all come back at the end. */
static void test_pool_exhausted(void **state)
{
	enum { N = 300, SLOTS = 64, BUFS = SLOTS + SLOTS + 32 * 2, BATCH = 16 };
	struct rig r;
	struct slave sl;

	(void)state;
	build_frames(N, 5);
	rig_open(&r, 1, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS, SLOTS, 0);
	rig_enable(&r);
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);

	assert_int_equal(zc_pool_num_buffers(pool), BUFS);
	slave_start(&sl, &r, 0, 1, KEEP);
	for (uint32_t i = 0; i < N; i += BATCH) {
		uint32_t to = i + BATCH < N ? i + BATCH : N;

		inject(&r, i, to);
		WAIT_FOR(ctr(&r).rx == to);
	}
	WAIT_FOR(atomic_load(&sl.got) == BUFS);
	struct pf_zc_cluster_counters c = ctr(&r);

	assert_int_equal(c.delivered, BUFS);
	assert_int_equal(c.no_buffer, N - BUFS);
	assert_int_equal(c.rx, c.delivered + c.no_buffer + c.no_slave);
	slave_stop(&sl);
	WAIT_FOR(ctr(&r).reaped == 1);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	assert_int_equal(zc_pool_free_count(pool), BUFS);
	assert_int_equal(ctr(&r).processed, BUFS);
	rig_close(&r);
}


/* DNA_CLUSTER_MAX_NUM_SOCKETS rings, not one more; destroy closes them all. */
static void test_max_sockets(void **state)
{
	pfring *rings[DNA_CLUSTER_MAX_NUM_SOCKETS + 1];
	pfring_dna_cluster *c = dna_cluster_create(cluster_id_of(14), 2, 0);
	char out[512], want[512];

	(void)state;
	assert_non_null(c);
	for (int i = 0; i <= DNA_CLUSTER_MAX_NUM_SOCKETS; i++) {
		rings[i] = pfring_open(i == 0 ? "sim:zcmax?gen=flows:4&count=64" : "sim:zcmax", 256, 0);
		assert_non_null(rings[i]);
	}
	for (int i = 0; i < DNA_CLUSTER_MAX_NUM_SOCKETS; i++)
		assert_int_equal(dna_cluster_register_ring(c, rings[i]), 0);
	capture_begin();
	assert_int_equal(dna_cluster_register_ring(c, rings[DNA_CLUSTER_MAX_NUM_SOCKETS]),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOSPC);
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "dna_cluster_register_ring(cluster %u): 32 rings registered "
		 "already (DNA_CLUSTER_MAX_NUM_SOCKETS)\n", cluster_id_of(14));
	assert_string_equal(out, want);
	assert_int_equal(dna_cluster_enable(c), 0);
	dna_cluster_destroy(c);  /* closes the 32 registered */
	pfring_close(rings[DNA_CLUSTER_MAX_NUM_SOCKETS]);
}


/* ------------------------------------------------------------ modes, TX errors */

/* One ECHO slave under each setting: counts of what the master sent, refused,
 * or could not send; every buffer back each time. */
static void run_echo(uint32_t n, socket_mode mode, uint32_t out_ifindex_kind,
		     struct pf_zc_cluster_counters *out, uint32_t *b_frames)
{
	static uint32_t sent[MAX_FRAMES];
	struct rig r;
	struct slave sl;

	rig_open(&r, 1, DNA_CLUSTER_NO_ADDITIONAL_BUFFERS, 256, 0);
	assert_int_equal(dna_cluster_set_mode(r.c, mode), 0);
	dna_cluster_set_wait_mode(r.c, 1);  /* active */
	rig_enable(&r);
	memset(&sl, 0, sizeof(sl));
	slave_start(&sl, &r, 0, 1, ECHO);
	if (out_ifindex_kind == 1)
		sl.out_ifindex = 12345;        /* no registered ring has it */
	else if (out_ifindex_kind == 2)
		sl.extra_ifindex = r.a_ifindex; /* out of b, then out of a */
	inject(&r, 0, n);
	WAIT_FOR(ctr(&r).processed == n);
	slave_stop(&sl);
	WAIT_FOR(ctr(&r).reaped == 1);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	struct zc_pool *pool = pf_zc_cluster_pool(r.c);

	assert_int_equal(zc_pool_free_count(pool), zc_pool_num_buffers(pool));
	*out = ctr(&r);
	rig_close(&r);
	*b_frames = b_sent(&r, sent, MAX_FRAMES);
}

static void test_modes_and_tx_errors(void **state)
{
	enum { N = 200 };
	struct pf_zc_cluster_counters c;
	uint32_t on_b;

	(void)state;
	build_frames(N, 7);
	/* recv_only_mode: the slave's sends are refused (counted), nothing leaves */
	run_echo(N, recv_only_mode, 0, &c, &on_b);
	assert_true(c.rx == N && c.tx == 0 && c.tx_refused == N && c.tx_errors == 0);
	assert_int_equal(on_b, 0);
	/* an ifindex no registered ring has: a TX error each, the buffer back */
	run_echo(N, send_and_recv_mode, 1, &c, &on_b);
	assert_true(c.tx == 0 && c.tx_errors == N && c.tx_refused == 0);
	assert_int_equal(on_b, 0);
	/* an extra egress port: out of b and out of a, two sends a frame */
	run_echo(N, send_and_recv_mode, 2, &c, &on_b);
	assert_true(c.tx == 2 * N && c.tx_errors == 0);
	assert_int_equal(on_b, N);

	/* send_only_mode: the rings are not read */
	struct rig r;

	rig_open(&r, 1, 0, 256, 0);
	assert_int_equal(dna_cluster_set_mode(r.c, send_only_mode), 0);
	assert_int_equal(dna_cluster_enable(r.c), 0);
	inject(&r, 0, 10);
	usleep(50000);
	assert_int_equal(ctr(&r).rx, 0);
	rig_close(&r);
	assert_int_equal(b_sent(&r, &on_b, 1), 0);
}

/* ------------------------------------------------------------ the API's rules */

static void test_settings_and_errors(void **state)
{
	struct rig r;
	char out[1024], want[512];
	int32_t pid;

	(void)state;
	build_frames(8, 2);
	rig_open(&r, 1, 0, 128, 0);
	/* a ring registered twice */
	assert_int_equal(dna_cluster_register_ring(r.c, r.a), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EEXIST);
	/* a second cluster of that id: its create is fine (no pool yet), its enable not */
	pfring_dna_cluster *other = dna_cluster_create(r.id, 1, 0);

	assert_non_null(other);
	assert_int_equal(dna_cluster_set_mode(other, send_only_mode), 0);  /* runs without a ring */
	rig_enable(&r);
	capture_begin();
	assert_int_equal(dna_cluster_enable(other), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EEXIST);
	assert_null(dna_cluster_create(r.id, 1, 0));
	assert_int_equal(errno, EEXIST);
	assert_int_equal(dna_cluster_low_level_settings(r.c, 64, 64, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(dna_cluster_set_mode(r.c, recv_only_mode), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(dna_cluster_register_ring(r.c, r.inj), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want),
		 "dna_cluster_enable(cluster %u): cannot make its pool of 2336 buffers "
		 "(/pfring_zero.%u): File exists\n"
		 "dna_cluster_create(%u): cluster %u is in use by the master of process %d\n"
		 "dna_cluster_low_level_settings(cluster %u): the cluster was enabled already: "
		 "its pool is made\n"
		 "dna_cluster_set_mode(cluster %u): disable the cluster first\n"
		 "dna_cluster_register_ring(cluster %u): disable the cluster first\n",
		 r.id, r.id, r.id, r.id, getpid(), r.id, r.id, r.id);
	assert_string_equal(out, want);
	dna_cluster_destroy(other);
	/* enable twice is fine; disable, enable again: the counters go on */
	assert_int_equal(dna_cluster_enable(r.c), 0);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	assert_int_equal(dna_cluster_disable(r.c), 0);
	inject(&r, 0, 8);
	assert_int_equal(ctr(&r).rx, 0);
	assert_int_equal(dna_cluster_enable(r.c), 0);
	WAIT_FOR(ctr(&r).rx == 8);
	assert_int_equal(ctr(&r).delivered, 8);  /* queued: no slave attached yet */
	assert_int_equal(ctr(&r).no_slave, 0);
	rig_close(&r);

	/* a dead master's leftover is removed by the next create */
	uint32_t id = cluster_id_of(15);

	snprintf(want, sizeof(want), "/pfring_zero.%u", id);
	shm_unlink(want);
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0) {
		struct zc_pool_config cfg = { 16, 1, 16 };
		struct zc_pool *p;

		if (zc_pool_create(id, &cfg, &p) != 0)
			_exit(1);
		kill(getpid(), SIGKILL);  /* a master crashing, its pool never closed */
	}
	int status;

	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(zc_pool_unlink_stale(id + 1, &pid), 0);  /* none there */
	capture_begin();
	pfring_dna_cluster *c = dna_cluster_create(id, 1, DNA_CLUSTER_HUGEPAGES);
	capture_end(out, sizeof(out));
	assert_non_null(c);
	snprintf(want, sizeof(want),
		 "dna_cluster_create(%u): removed the leftover of a master that died (pid %d)\n"
		 "dna_cluster_create(%u): DNA_CLUSTER_HUGEPAGES: huge pages are not supported "
		 "yet, the cluster uses 4 KiB pages\n", id, (int)child, id);
	assert_string_equal(out, want);
	/* no ring: only a send_only cluster may run without one */
	capture_begin();
	assert_int_equal(dna_cluster_enable(c), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "dna_cluster_enable(cluster %u): no ring registered\n", id);
	assert_string_equal(out, want);
	assert_int_equal(dna_cluster_set_mode(c, send_only_mode), 0);
	/* a core that does not exist: one line, the thread runs unbound */
	dna_cluster_set_cpu_affinity(c, 100000, 1);
	capture_begin();
	assert_int_equal(dna_cluster_enable(c), 0);
	assert_int_equal(dna_cluster_disable(c), 0);  /* the thread has started and ended */
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "dna_cluster_set_cpu_affinity(cluster %u): cannot bind the "
		 "master thread to core 100000: Invalid argument; it runs unbound\n", id);
	assert_string_equal(out, want);
	dna_cluster_set_cpu_affinity(c, 0, 1);
	capture_begin();
	assert_int_equal(dna_cluster_enable(c), 0);
	assert_int_equal(dna_cluster_disable(c), 0);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "");
	assert_int_equal(dna_cluster_enable(c), 0);
	dna_cluster_destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_default_hash_placement, unlink_names),
		cmocka_unit_test_teardown(test_custom_forms_same_placement, unlink_names),
		cmocka_unit_test_teardown(test_fanout_and_slow_slave, unlink_names),
		cmocka_unit_test_teardown(test_queued_before_attach, unlink_names),
		cmocka_unit_test_teardown(test_direct_forwarding, unlink_names),
		cmocka_unit_test_teardown(test_slave_tx_and_spares, unlink_names),
		cmocka_unit_test_teardown(test_holes_and_killed_slave, unlink_names),
		cmocka_unit_test_teardown(test_stats_identities_and_destroy, unlink_names),
		cmocka_unit_test_teardown(test_pool_exhausted, unlink_names),
		cmocka_unit_test_teardown(test_modes_and_tx_errors, unlink_names),
		cmocka_unit_test_teardown(test_settings_and_errors, unlink_names),
		cmocka_unit_test_teardown(test_max_sockets, unlink_names),
	};

	return cmocka_run_group_tests(tests, NULL, unlink_names);
}
