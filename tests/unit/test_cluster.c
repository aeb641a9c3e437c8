/*
 * tests/unit/test_cluster.c - core/cluster.c: membership (join, leave, limits,
 * errors), per-flow balancing (both directions of a flow on one member, every
 * member used) and round-robin (exact cycles, order kept across a leave).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/cluster.h"
#include "pkt_build.h"

static int members[CLUSTER_LEN + 2];

static void test_join_leave_limits(void **state)
{
	struct pf_cluster c;
	int i;

	(void)state;
	pf_cluster_init(&c, 7, cluster_per_flow);
	assert_int_equal(c.id, 7);
	assert_int_equal(c.n, 0);
	assert_null(pf_cluster_pick_member(&c, NULL));
	assert_int_equal(pf_cluster_join(&c, NULL, cluster_per_flow), -PF_EINVAL);
	assert_int_equal(pf_cluster_join(NULL, &members[0], cluster_per_flow), -PF_EINVAL);
	assert_int_equal(pf_cluster_join(&c, &members[0], cluster_round_robin), -PF_EINVAL);
	assert_int_equal(pf_cluster_join(&c, &members[0], (cluster_type)99), -PF_EINVAL);
	for (i = 0; i < CLUSTER_LEN; i++)
		assert_int_equal(pf_cluster_join(&c, &members[i], cluster_per_flow), 0);
	assert_int_equal(c.n, CLUSTER_LEN);
	assert_int_equal(pf_cluster_join(&c, &members[3], cluster_per_flow), -PF_EEXIST);
	assert_int_equal(pf_cluster_join(&c, &members[CLUSTER_LEN], cluster_per_flow),
			 -PF_ENOSPC);
	assert_int_equal(pf_cluster_leave(&c, &members[CLUSTER_LEN]), -PF_ENOENT);
	assert_int_equal(pf_cluster_leave(NULL, &members[0]), -PF_ENOENT);
	/* leave from the middle keeps the others in join order */
	assert_int_equal(pf_cluster_leave(&c, &members[5]), 0);
	assert_int_equal(c.n, CLUSTER_LEN - 1);
	for (i = 0; i < CLUSTER_LEN - 1; i++)
		assert_ptr_equal(c.member[i], &members[i < 5 ? i : i + 1]);
	assert_int_equal(pf_cluster_leave(&c, &members[5]), -PF_ENOENT);
	assert_int_equal(pf_cluster_join(&c, &members[CLUSTER_LEN], cluster_per_flow), 0);
	assert_ptr_equal(c.member[CLUSTER_LEN - 1], &members[CLUSTER_LEN]);
	for (i = 0; i <= CLUSTER_LEN; i++)
		if (i != 5)
			assert_int_equal(pf_cluster_leave(&c, &members[i]), 0);
	assert_int_equal(c.n, 0);
	assert_null(pf_cluster_pick_member(&c, NULL));
}

static void test_round_robin_cycles(void **state)
{
	struct pf_cluster c;
	int i, round;

	(void)state;
	pf_cluster_init(&c, 1, cluster_round_robin);
	for (i = 0; i < 4; i++)
		assert_int_equal(pf_cluster_join(&c, &members[i], cluster_round_robin), 0);
	for (round = 0; round < 3; round++)
		for (i = 0; i < 4; i++)
			assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[i]);
	/* cursor on member 2: member 1 leaves, the cycle goes on with 2, 3, 0 */
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[0]);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[1]);
	assert_int_equal(pf_cluster_leave(&c, &members[1]), 0);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[2]);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[3]);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[0]);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[2]);
	/* the last member leaves while the cursor is on it: wraps to the first */
	assert_int_equal(pf_cluster_leave(&c, &members[3]), 0);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[0]);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[2]);
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[0]);
}

static void make_pkt(struct pf_pkt *p, uint8_t *buf, size_t cap, const struct pb_flow *f)
{
	memset(p, 0, sizeof(*p));
	p->caplen = p->len = pb_build(buf, (uint32_t)cap, f);
	assert_true(p->caplen > 0);
	p->data = buf;
	p->rx = 1;
}

static void *pick_for(struct pf_cluster *c, const struct pb_flow *f)
{
	uint8_t buf[256];
	struct pf_pkt p;

	make_pkt(&p, buf, sizeof(buf), f);
	return pf_cluster_pick_member(c, &p);
}

static struct pb_flow flow_n(uint32_t i, int udp)
{
	uint32_t a = 0x0a000000u | (i * 7919u % 65521u), b = 0xc0a80000u | (i % 251u);
	uint16_t sp = (uint16_t)(1024 + i * 13), dp = (uint16_t)(80 + i % 7);

	return udp ? pb_udp4(a, b, sp, dp) : pb_tcp4(a, b, sp, dp);
}

/* pf_cluster_member_for: a member that could never receive a packet (another RX
 * queue, send-only) never gets it; a per-flow cluster keeps each flow on its
 * member whether that member is ready or not (the home treats a LATER member as
 * a full ring), so readiness never moves a flow; round-robin walks the READY
 * members in turn. */
static int never = 1;       /* index of the member that can never receive */
static int later = -1;      /* index of the member that is joined but not enabled */

static enum pf_member_state state_of(const void *member, const struct pf_pkt *p)
{
	(void)p;
	if (member == &members[never])
		return PF_MEMBER_NEVER;
	return later >= 0 && member == &members[later] ? PF_MEMBER_LATER : PF_MEMBER_READY;
}

static enum pf_member_state state_none(const void *member, const struct pf_pkt *p)
{
	(void)member;
	(void)p;
	return PF_MEMBER_NEVER;
}

static void *member_for(struct pf_cluster *c, const struct pb_flow *f)
{
	uint8_t buf[256];
	struct pf_pkt p;

	make_pkt(&p, buf, sizeof(buf), f);
	return pf_cluster_member_for(c, &p, state_of);
}

static void test_member_for_round_robin(void **state)
{
	static const int order[3] = { 0, 2, 3 };
	struct pf_cluster c;
	int i;

	(void)state;
	pf_cluster_init(&c, 3, cluster_round_robin);
	for (i = 0; i < 4; i++)
		assert_int_equal(pf_cluster_join(&c, &members[i], cluster_round_robin), 0);
	later = -1;
	for (i = 0; i < 6; i++)   /* member 1 never: 0, 2, 3, 0, 2, 3 */
		assert_ptr_equal(pf_cluster_member_for(&c, NULL, state_of),
				 &members[order[i % 3]]);
	later = 2;                /* member 2 not enabled: its turns go to the others */
	for (i = 0; i < 4; i++)
		assert_ptr_equal(pf_cluster_member_for(&c, NULL, state_of),
				 &members[i % 2 == 0 ? 0 : 3]);
	later = -1;
	assert_null(pf_cluster_member_for(&c, NULL, state_none));
}

static void test_member_for_per_flow(void **state)
{
	struct pf_cluster c;
	void *ready_pick[300];
	int i, counts[4] = { 0, 0, 0, 0 };

	(void)state;
	pf_cluster_init(&c, 4, cluster_per_flow_5_tuple);
	for (i = 0; i < 4; i++)
		assert_int_equal(pf_cluster_join(&c, &members[i], cluster_per_flow_5_tuple), 0);
	/* all of 0, 2, 3 ready: each flow (both directions) on one of them */
	later = -1;
	for (i = 0; i < 300; i++) {
		struct pb_flow f = flow_n((uint32_t)i, i & 1), r = pb_reverse(&f);

		ready_pick[i] = member_for(&c, &f);
		assert_true(ready_pick[i] == &members[0] || ready_pick[i] == &members[2] ||
			    ready_pick[i] == &members[3]);
		assert_ptr_equal(member_for(&c, &r), ready_pick[i]);
		counts[(int *)ready_pick[i] - members]++;
	}
	assert_int_equal(counts[0] + counts[2] + counts[3], 300);
	assert_true(counts[0] > 0 && counts[2] > 0 && counts[3] > 0);
	/* member 2 not enabled yet (or disabled): every flow stays where it was,
	 * member 2's flows included; the cursor of round-robin is untouched */
	for (later = 0; later < 4; later++) {
		if (later == never)
			continue;
		for (i = 0; i < 300; i++) {
			struct pb_flow f = flow_n((uint32_t)i, i & 1);

			assert_ptr_equal(member_for(&c, &f), ready_pick[i]);
		}
	}
	assert_int_equal(c.rr, 0);
	later = -1;
}

static const cluster_type flow_types[] = {
	cluster_per_flow, cluster_per_flow_2_tuple, cluster_per_flow_4_tuple,
	cluster_per_flow_5_tuple, cluster_per_flow_tcp_5_tuple,
};

static void test_per_flow_symmetric(void **state)
{
	unsigned int t, i, n, m;
	unsigned int sizes[] = { 1, 2, 4, 7, CLUSTER_LEN };

	(void)state;
	for (t = 0; t < sizeof(flow_types) / sizeof(flow_types[0]); t++) {
		for (n = 0; n < sizeof(sizes) / sizeof(sizes[0]); n++) {
			struct pf_cluster c;
			unsigned int used[CLUSTER_LEN] = { 0 }, distinct = 0;

			pf_cluster_init(&c, 3, flow_types[t]);
			for (m = 0; m < sizes[n]; m++)
				assert_int_equal(pf_cluster_join(&c, &members[m], flow_types[t]), 0);
			for (i = 0; i < 2000; i++) {
				struct pb_flow f = flow_n(i, i & 1), r = pb_reverse(&f);
				int *a = pick_for(&c, &f), *b = pick_for(&c, &r);

				assert_non_null(a);
				assert_ptr_equal(a, b);
				/* the same packet again: the same member */
				assert_ptr_equal(pick_for(&c, &f), a);
				used[a - members]++;
			}
			for (m = 0; m < CLUSTER_LEN; m++)
				distinct += used[m] > 0;
			assert_int_equal(distinct, sizes[n]);
		}
	}
}

/* A per-flow cluster does not move its cursor: round-robin state untouched. */
static void test_per_flow_no_rr(void **state)
{
	struct pf_cluster c;
	struct pb_flow f = pb_tcp4(0x01020304, 0x05060708, 1000, 2000);

	(void)state;
	pf_cluster_init(&c, 9, cluster_per_flow_5_tuple);
	assert_int_equal(pf_cluster_join(&c, &members[0], cluster_per_flow_5_tuple), 0);
	assert_int_equal(pf_cluster_join(&c, &members[1], cluster_per_flow_5_tuple), 0);
	assert_non_null(pick_for(&c, &f));
	assert_int_equal(c.rr, 0);
	/* without a packet, the first member */
	assert_ptr_equal(pf_cluster_pick_member(&c, NULL), &members[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_leave_limits),
		cmocka_unit_test(test_round_robin_cycles),
		cmocka_unit_test(test_per_flow_symmetric),
		cmocka_unit_test(test_per_flow_no_rr),
		cmocka_unit_test(test_member_for_round_robin),
		cmocka_unit_test(test_member_for_per_flow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
