/*
 * tests/unit/test_zero_forms.c - libzero's two forms of the API (include/pfring_zero.h,
 * lib/zero_forms.h, docs/decisions.md): each form, called under its one public
 * name, reaches the one implementation with the right tag, and both forms of the
 * same user function give the same answers through the adapters.
 *
 * A fake libzero is registered (pfring_zero_register): it records what the front
 * handed it and runs the stored functions over packets of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pfring.h>
#include <pfring_zero.h>
#include "lib/backend.h"
#include "lib/zero_forms.h"

/* ================================================================ the fake libzero */

static struct {
	struct pf_zero_distribution dist; /* the last one set */
	unsigned int dist_sets;
	unsigned int stats_calls;
	int stats_rc;                     /* what cluster_stats returns */
	unsigned int loops;
	unsigned int passed, dropped;     /* the last loop's verdicts */
	u_int32_t lens_after[4];          /* *pkt_len after each decision */
	u_int8_t directions_seen;         /* bit per direction given */
} fz;

static int fake_cluster, fake_bouncer;
#define CLUSTER ((pfring_dna_cluster *)&fake_cluster)
#define BOUNCER ((pfring_dna_bouncer *)&fake_bouncer)

static void z_set_dist(pfring_dna_cluster *h, const struct pf_zero_distribution *d)
{
	assert_ptr_equal(h, CLUSTER);
	fz.dist = *d;
	fz.dist_sets++;
}

static int z_stats(pfring_dna_cluster *h, u_int64_t *rx, u_int64_t *tx, u_int64_t *proc)
{
	assert_ptr_equal(h, CLUSTER);
	fz.stats_calls++;
	if (fz.stats_rc != 0)
		return fz.stats_rc;
	*rx = 1000;
	*tx = 200;
	*proc = 990;
	return 0;
}

/* Four packets of 60, 100, 101 and 1514 bytes, in directions 0, 1, 0, 1. */
static const u_int32_t loop_lens[4] = { 60, 100, 101, 1514 };

static int z_loop(pfring_dna_bouncer *h, const struct pf_zero_decision *d,
		  const u_char *user, u_int8_t wait)
{
	u_char pkt[1514];
	unsigned int i;

	assert_ptr_equal(h, BOUNCER);
	assert_int_equal(wait, 1);
	fz.loops++;
	fz.passed = fz.dropped = 0;
	for (i = 0; i < 4; i++) {
		u_int32_t len = loop_lens[i];

		memset(pkt, (int)i, sizeof(pkt));
		if (pf_zero_decide(d, &len, pkt, user, (u_int8_t)(i & 1)) == DNA_BOUNCER_PASS)
			fz.passed++;
		else
			fz.dropped++;
		fz.lens_after[i] = len;
	}
	return 0;
}

static const struct pfring_zero_ops fake_zero = {
	.name = "fake-forms",
	.cluster_set_distribution_function = z_set_dist,
	.cluster_stats = z_stats,
	.bouncer_loop = z_loop,
};

static int setup(void **state)
{
	(void)state;
	memset(&fz, 0, sizeof(fz));
	pfring_zero_register(&fake_zero);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pfring_zero_register(NULL);
	return 0;
}

/* ================================================================ user functions */

static u_int32_t fnv(const u_char *b, u_int16_t len)
{
	u_int32_t h = 2166136261u;
	u_int16_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* The same balancing, written in each form: drops packets shorter than 64 bytes,
 * forwards those whose first byte is 0xff out of socket 1, hashes the rest. */
static int balance_num(const u_char *buffer, const u_int16_t buffer_len,
		       const u_int32_t num_slaves, u_int32_t *id_mask, u_int32_t *hash)
{
	if (buffer_len < 64)
		return DNA_CLUSTER_DROP;
	if (buffer[0] == 0xff) {
		*id_mask = 1u << 1;
		return DNA_CLUSTER_FRWD;
	}
	*hash = fnv(buffer, buffer_len);
	*id_mask = 1u << (*hash % num_slaves);
	return DNA_CLUSTER_PASS;
}

static int balance_info(const u_char *buffer, const u_int16_t buffer_len,
			const pfring_dna_cluster_slaves_info *slaves_info, u_int32_t *id_mask,
			u_int32_t *hash)
{
	if (buffer_len < 64)
		return DNA_CLUSTER_DROP;
	if (buffer[0] == 0xff) {
		*id_mask = 1u << 1;
		return DNA_CLUSTER_FRWD;
	}
	*hash = fnv(buffer, buffer_len);
	*id_mask = 1u << (*hash % slaves_info->num_slaves);
	return DNA_CLUSTER_PASS;
}

/* Only the slaves_info form sees the queues: sends to the least filled slave. */
static int least_queued(const u_char *buffer, const u_int16_t buffer_len,
			const pfring_dna_cluster_slaves_info *slaves_info, u_int32_t *id_mask,
			u_int32_t *hash)
{
	u_int32_t i, best = 0;

	(void)buffer;
	(void)buffer_len;
	for (i = 1; i < slaves_info->num_slaves; i++)
		if (slaves_info->approximate_stats[i].rx_queued <
		    slaves_info->approximate_stats[best].rx_queued)
			best = i;
	*hash = best;
	*id_mask = 1u << best;
	return DNA_CLUSTER_PASS;
}

/* The same decision in each form: drops packets longer than 100 bytes. The
 * PF_RING form also cuts what it passes to 64 bytes and records the direction. */
static int decide_var(u_int32_t *pkt_len, u_char *pkt, const u_char *user, u_int8_t direction)
{
	assert_ptr_equal(user, "ub");
	fz.directions_seen |= (u_int8_t)(1u << direction);
	if (*pkt_len > 100)
		return DNA_BOUNCER_DROP;
	pkt[0] = 0xee;
	*pkt_len = 64;
	return DNA_BOUNCER_PASS;
}

static int decide_fixed(u_int16_t pkt_len, u_char *pkt, const u_char *user)
{
	assert_ptr_equal(user, "ub");
	if (pkt_len > 100)
		return DNA_BOUNCER_DROP;
	pkt[0] = 0xee;
	return DNA_BOUNCER_PASS;
}

/* ================================================================ tests */

/* One public name, two forms: each reaches the implementation with its own tag;
 * NULL in either gives the default back. */
static void test_distribution_forms_tagged(void **state)
{
	(void)state;
	dna_cluster_set_distribution_function(CLUSTER, balance_num);
	assert_int_equal(fz.dist.form, PF_ZERO_DIST_NUM_SLAVES);
	assert_ptr_equal(fz.dist.fn.num_slaves, balance_num);
	dna_cluster_set_distribution_function(CLUSTER, balance_info);
	assert_int_equal(fz.dist.form, PF_ZERO_DIST_SLAVES_INFO);
	assert_ptr_equal(fz.dist.fn.slaves_info, balance_info);
	dna_cluster_set_distribution_function(CLUSTER, NULL);
	assert_int_equal(fz.dist.form, PF_ZERO_DIST_DEFAULT);
	dna_cluster_set_distribution_function_slaves_info(CLUSTER, least_queued);
	assert_int_equal(fz.dist.form, PF_ZERO_DIST_SLAVES_INFO);
	dna_cluster_set_distribution_function_slaves_info(CLUSTER, NULL);
	assert_int_equal(fz.dist.form, PF_ZERO_DIST_DEFAULT);
	assert_int_equal(fz.dist_sets, 5);

	/* a NULL handle: EINVAL in both forms, nothing reaches libzero */
	errno = 0;
	dna_cluster_set_distribution_function(NULL, balance_num);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	dna_cluster_set_distribution_function(NULL, balance_info);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fz.dist_sets, 5);
}

/* 2000 random packets, 1..32 slaves: both forms of the same function give the
 * same verdict, id_mask and hash through pf_zero_distribute. */
static void test_distribution_forms_agree(void **state)
{
	struct pf_zero_distribution num, info;
	pfring_dna_cluster_slaves_info slaves;
	u_char pkt[256];
	unsigned int i, j, verdicts[3] = { 0, 0, 0 };

	(void)state;
	dna_cluster_set_distribution_function(CLUSTER, balance_num);
	num = fz.dist;
	dna_cluster_set_distribution_function(CLUSTER, balance_info);
	info = fz.dist;
	srand(14);
	memset(&slaves, 0, sizeof(slaves));
	for (i = 0; i < 2000; i++) {
		u_int16_t len = (u_int16_t)(rand() % sizeof(pkt));
		u_int32_t m1 = 0xdead, m2 = 0xdead, h1 = 0xbeef, h2 = 0xbeef;
		int v1, v2;

		for (j = 0; j < len; j++)
			pkt[j] = (u_char)rand();
		if (i % 10 == 0 && len > 0)
			pkt[0] = 0xff;
		slaves.num_slaves = 1 + (u_int32_t)(rand() % DNA_CLUSTER_MAX_NUM_SLAVES);
		v1 = pf_zero_distribute(&num, pkt, len, &slaves, &m1, &h1);
		v2 = pf_zero_distribute(&info, pkt, len, &slaves, &m2, &h2);
		assert_int_equal(v1, v2);
		assert_int_equal(m1, m2);
		assert_int_equal(h1, h2);
		verdicts[v1 + 1]++;
		if (v1 == DNA_CLUSTER_PASS)
			assert_int_equal(m1, 1u << (h1 % slaves.num_slaves));
	}
	/* each verdict was taken (DROP, PASS, FRWD) */
	assert_true(verdicts[0] > 0 && verdicts[1] > 0 && verdicts[2] > 0);
	assert_int_equal(verdicts[0] + verdicts[1] + verdicts[2], 2000);
}

/* The slaves_info form sees the slaves' queues as libzero fills them; the
 * default form has no function: DROP, outputs untouched. */
static void test_distribution_info_and_default(void **state)
{
	pfring_dna_cluster_slaves_info slaves;
	u_char pkt[64] = { 0 };
	u_int32_t mask = 0x55, hash = 0x66;

	(void)state;
	memset(&slaves, 0, sizeof(slaves));
	slaves.num_slaves = 4;
	slaves.approximate_stats[0].rx_queued = 9;
	slaves.approximate_stats[1].rx_queued = 7;
	slaves.approximate_stats[2].rx_queued = 3;
	slaves.approximate_stats[3].rx_queued = 8;
	dna_cluster_set_distribution_function(CLUSTER, least_queued);
	assert_int_equal(pf_zero_distribute(&fz.dist, pkt, 64, &slaves, &mask, &hash),
			 DNA_CLUSTER_PASS);
	assert_int_equal(mask, 1u << 2);
	assert_int_equal(hash, 2);

	dna_cluster_set_distribution_function(CLUSTER, NULL);
	mask = 0x55;
	hash = 0x66;
	assert_int_equal(pf_zero_distribute(&fz.dist, pkt, 64, &slaves, &mask, &hash),
			 DNA_CLUSTER_DROP);
	assert_int_equal(mask, 0x55);
	assert_int_equal(hash, 0x66);
}

/* dna_cluster_stats: the struct form is the counters' call, copied on success only. */
static void test_stats_forms(void **state)
{
	pfring_dna_cluster_stat st;
	u_int64_t rx = 0, tx = 0, proc = 0;

	(void)state;
	assert_int_equal(dna_cluster_stats(CLUSTER, &rx, &tx, &proc), 0);
	memset(&st, 0, sizeof(st));
	assert_int_equal(dna_cluster_stats(CLUSTER, &st), 0);
	assert_true(rx == 1000 && tx == 200 && proc == 990);
	assert_true(st.tot_rx_packets == rx && st.tot_tx_packets == tx &&
		    st.tot_rx_processed == proc);
	assert_int_equal(fz.stats_calls, 2);

	/* libzero fails: the same code in both forms, the struct untouched */
	fz.stats_rc = PF_RING_ERROR_NOT_ENABLED;
	memset(&st, 0x5a, sizeof(st));
	assert_int_equal(dna_cluster_stats(CLUSTER, &rx, &tx, &proc), PF_RING_ERROR_NOT_ENABLED);
	assert_int_equal(dna_cluster_stats(CLUSTER, &st), PF_RING_ERROR_NOT_ENABLED);
	assert_true(st.tot_rx_packets == 0x5a5a5a5a5a5a5a5aULL &&
		    st.tot_tx_packets == 0x5a5a5a5a5a5a5a5aULL &&
		    st.tot_rx_processed == 0x5a5a5a5a5a5a5a5aULL);
	assert_int_equal(fz.stats_calls, 4);

	/* bad arguments: INVALID_ARGUMENT, libzero not called */
	assert_int_equal(dna_cluster_stats(CLUSTER, (pfring_dna_cluster_stat *)NULL),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(dna_cluster_stats(NULL, &st), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(dna_cluster_stats(CLUSTER, &rx, NULL, &proc),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(fz.stats_calls, 4);
}

/* The bouncer: both forms drop the same subset (the two packets over 100 bytes);
 * only the PF_RING form may change the length, and it is given the direction. */
static void test_bouncer_forms(void **state)
{
	(void)state;
	assert_int_equal(pfring_dna_bouncer_loop(BOUNCER, decide_var, (const u_char *)"ub", 1), 0);
	assert_int_equal(fz.passed, 2);
	assert_int_equal(fz.dropped, 2);
	assert_int_equal(fz.lens_after[0], 64);
	assert_int_equal(fz.lens_after[1], 64);
	assert_int_equal(fz.lens_after[2], 101);
	assert_int_equal(fz.lens_after[3], 1514);
	assert_int_equal(fz.directions_seen, 0x3);

	assert_int_equal(pfring_dna_bouncer_loop(BOUNCER, decide_fixed, (const u_char *)"ub", 1), 0);
	assert_int_equal(fz.passed, 2);
	assert_int_equal(fz.dropped, 2);
	assert_int_equal(fz.lens_after[0], 60);
	assert_int_equal(fz.lens_after[1], 100);
	assert_int_equal(fz.lens_after[2], 101);
	assert_int_equal(fz.lens_after[3], 1514);
	assert_int_equal(fz.loops, 2);

	/* bad arguments: INVALID_ARGUMENT in both forms, libzero not called */
	assert_int_equal(pfring_dna_bouncer_loop(NULL, decide_fixed, NULL, 1),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_dna_bouncer_loop_fixed_len(BOUNCER, NULL, NULL, 1),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_dna_bouncer_loop(BOUNCER, (pfring_dna_bouncer_decision_func)NULL,
						 NULL, 1),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(fz.loops, 2);
}

/* libzero not registered: both forms fail the same way. */
static void test_forms_without_libzero(void **state)
{
	pfring_dna_cluster_stat st;
	u_int64_t a, b, c;

	(void)state;
	pfring_zero_register(NULL);
	assert_int_equal(dna_cluster_stats(CLUSTER, &a, &b, &c), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(dna_cluster_stats(CLUSTER, &st), PF_RING_ERROR_NOT_SUPPORTED);
	errno = 0;
	dna_cluster_set_distribution_function(CLUSTER, balance_num);
	assert_int_equal(errno, EOPNOTSUPP);
	errno = 0;
	dna_cluster_set_distribution_function(CLUSTER, balance_info);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(pfring_dna_bouncer_loop(BOUNCER, decide_var, NULL, 1),
			 PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_dna_bouncer_loop(BOUNCER, decide_fixed, NULL, 1),
			 PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(fz.dist_sets + fz.stats_calls + fz.loops, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_distribution_forms_tagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_distribution_forms_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_distribution_info_and_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bouncer_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forms_without_libzero, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
