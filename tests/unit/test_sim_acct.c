/*
 * tests/unit/test_sim_acct.c - the accounting identity of core/abi.h on a lossy
 * sim: ring (rate=), every term asserted: seen = filtered + unsampled +
 * inserted + dropped_full + refused. The ring has a wildcard rule, a BPF
 * filter, sampling, a caplen below every frame's length, and is read only
 * after the whole capture was due, so it overflows. The expected terms come
 * from libpcap reading the fixture (tests/unit/pcap_ref.h) and from the frames
 * the test itself read, never from the counters under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "pcap_ref.h"

#include <pfring.h>
#include "backends/sim/host.h"   /* the pipeline's counters: pfring_stats has recv and drop only */

#define FIX(name) FIXTURE_DIR "/" name
#define LOOPS    20           /* many_flows.pcap 20 times: 40000 frames */
#define CAPLEN   48           /* below the shortest frame (54 bytes) */
#define SAMPLING 3
#define RULE_ID  1

/* Drop TCP port 80 both ways, as a program writes it (pfe2e -W 1,drop,6,80). */
static filtering_rule drop_tcp_port_80(void)
{
	filtering_rule r;

	memset(&r, 0, sizeof(r));
	r.rule_id = RULE_ID;
	r.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	r.bidirectional = 1;
	r.core_fields.proto = 6;
	r.core_fields.dport_low = r.core_fields.dport_high = 80;
	return r;
}

static void test_identity_every_term(void **state)
{
	struct ref *all = ref_load(FIX("many_flows.pcap"), NULL);
	struct ref *pass = ref_load(FIX("many_flows.pcap"), "ip and not (tcp port 80)");
	filtering_rule rule = drop_tcp_port_80();
	u_int64_t seen, passed, sampled, got = 0, shortest = ~0ull;
	struct pfring_pkthdr h;
	struct pf_ring_stats rs;
	struct sim_ring *sr;
	pfring_stat st;
	char dev[512];
	u_char *d;
	pfring *r;

	(void)state;
	snprintf(dev, sizeof(dev), "sim:acct?pcap=%s&loop=%d&rate=1000000",
		 FIX("many_flows.pcap"), LOOPS);
	r = pfring_open(dev, CAPLEN, 0);
	assert_non_null(r);
	sr = r->priv_data;
	assert_int_equal(pfring_add_filtering_rule(r, &rule), 0);
	assert_int_equal(pfring_set_bpf_filter(r, "ip"), 0);
	assert_int_equal(pfring_set_sampling_rate(r, SAMPLING), 0);
	assert_int_equal(pfring_enable_ring(r), 0);
	for (u_int32_t i = 0; i < all->n; i++)
		if (all->len[i] < shortest)
			shortest = all->len[i];
	assert_true(shortest > CAPLEN);

	seen = (u_int64_t)LOOPS * all->n;
	passed = (u_int64_t)LOOPS * ref_matches(pass);
	sampled = (passed + SAMPLING - 1) / SAMPLING;   /* the 1st, then every 3rd */
	assert_true(sampled > SIM_HOST_RING_SLOTS);      /* more than a ringful */

	/* the first frame starts the wire's clock; 300 ms later the whole
	 * capture (40 ms of wire) is due and the ring overflows */
	assert_int_equal(pfring_recv(r, &d, 0, &h, 1), 1);
	got = 1;
	usleep(300000);
	do {
		assert_int_equal(h.caplen, CAPLEN);   /* every frame cut to the slot */
		assert_true(h.len > CAPLEN);
	} while (pfring_recv(r, &d, 0, &h, 0) == 1 && ++got);

	sim_host_prod_stats(sr, &rs);
	assert_int_equal(sr->sock.cnt.seen, seen);
	assert_int_equal(sr->sock.cnt.filtered, seen - passed);
	assert_int_equal(sr->sock.cnt.unsampled, passed - sampled);
	assert_int_equal(rs.inserted, got);
	assert_int_equal(rs.dropped_full, sampled - got);
	assert_int_equal(rs.refused, 0);
	assert_true(rs.dropped_full > 0);
	assert_int_equal(sr->sock.cnt.seen, sr->sock.cnt.filtered + sr->sock.cnt.unsampled +
			 rs.inserted + rs.dropped_full + rs.refused);
	assert_int_equal(pfring_stats(r, &st), 0);
	assert_int_equal(st.recv, got);
	assert_int_equal(st.drop, sampled - got);
	pfring_close(r);
	ref_free(pass);
	ref_free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_every_term),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
