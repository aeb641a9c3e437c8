/*
 * tests/unit/test_multi.c - the "multi:" backend over two sim: NICs, through the
 * public API only. Expected values come from libpcap reading the same fixtures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "pcap_ref.h"
#include <pcap/pcap.h>

#include <pfring.h>

#define FIX(name) FIXTURE_DIR "/" name
#define FIX_A FIX("many_flows.pcap")
#define FIX_B FIX("mix64.pcap")

/* A ring on NIC name (created with its source) that is never enabled: it
 * keeps the NIC alive and tells its ifindex. */
static pfring *probe(const char *name, const char *file, int *ifindex)
{
	char dev[512];
	pfring *p;

	snprintf(dev, sizeof(dev), "sim:%s?pcap=%s", name, file);
	p = pfring_open(dev, 0, PF_RING_LONG_HEADER);
	assert_non_null(p);
	assert_int_equal(pfring_get_bound_device_ifindex(p, ifindex), 0);
	return p;
}

/* Index of the next frame of r expected on that member; checks bytes. */
static void check_next(const struct ref *r, u_int32_t *next, const u_char *pkt,
		       const struct pfring_pkthdr *h)
{
	while (*next < r->n && !r->match[*next])
		(*next)++;
	assert_true(*next < r->n);
	assert_int_equal(h->caplen, r->caplen[*next]);
	assert_memory_equal(pkt, r->data[*next], h->caplen);
	(*next)++;
}

/* Reads the multi ring dry (non-blocking) and checks every frame against the
 * fixture of the member named by its if_index. */
static void drain_and_check(pfring *m, int ifa, int ifb, const struct ref *ra,
			    const struct ref *rb)
{
	struct pfring_pkthdr h;
	u_char *pkt;
	u_int32_t na = 0, nb = 0, next_a = 0, next_b = 0, empty = 0;
	int ifx;

	while (empty < 3) {
		int rc = pfring_recv(m, &pkt, 0, &h, 0);

		assert_true(rc >= 0);
		if (rc == 0) {
			empty++;
			continue;
		}
		empty = 0;
		assert_int_equal(pfring_get_bound_device_ifindex(m, &ifx), 0);
		assert_int_equal(ifx, h.extended_hdr.if_index);
		if (h.extended_hdr.if_index == ifa) {
			check_next(ra, &next_a, pkt, &h);
			na++;
		} else {
			assert_int_equal(h.extended_hdr.if_index, ifb);
			check_next(rb, &next_b, pkt, &h);
			nb++;
		}
	}
	assert_int_equal(na, ra->matches);
	assert_int_equal(nb, rb->matches);
}

static void run_union(const char *filter)
{
	struct ref *ra = ref_load(FIX_A, filter), *rb = ref_load(FIX_B, filter);
	int ifa, ifb;
	pfring *pa = probe("ma", FIX_A, &ifa), *pb = probe("mb", FIX_B, &ifb);
	pfring *m = pfring_open("multi:sim:ma;sim:mb", 0, PF_RING_LONG_HEADER);
	pfring_stat st;

	assert_non_null(m);
	assert_int_not_equal(ifa, ifb);
	assert_true(ra->n != rb->n);
	if (filter)
		assert_int_equal(pfring_set_bpf_filter(m, (char *)filter), 0);
	assert_int_equal(pfring_enable_ring(m), 0);
	drain_and_check(m, ifa, ifb, ra, rb);
	assert_int_equal(pfring_stats(m, &st), 0);
	assert_int_equal(st.recv, ra->matches + rb->matches);
	assert_int_equal(st.drop, 0);
	pfring_close(m);
	pfring_close(pa);
	pfring_close(pb);
	ref_free(ra);
	ref_free(rb);
}

/* Exactly the union of both fixtures, each member's frames in order. */
static void test_union(void **state)
{
	(void)state;
	run_union(NULL);
}

/* A BPF filter set on the multi ring applies to both members. */
static void test_bpf_both(void **state)
{
	struct ref *ra = ref_load(FIX_A, "tcp"), *rb = ref_load(FIX_B, "tcp");

	(void)state;
	/* the filter must keep some and drop some of each fixture */
	assert_true(ra->matches > 0 && ra->matches < ra->n);
	assert_true(rb->matches > 0 && rb->matches < rb->n);
	ref_free(ra);
	ref_free(rb);
	run_union("tcp");
}

/* ------------------------------------------------------------ open errors */

static char captured[4096];

static pfring *open_capturing(const char *name)
{
	FILE *f = tmpfile();
	int saved = dup(2), err;
	size_t n;
	pfring *r;

	assert_non_null(f);
	fflush(stderr);
	assert_true(dup2(fileno(f), 2) >= 0);
	r = pfring_open(name, 0, 0);
	err = errno;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(captured, 1, sizeof(captured) - 1, f);
	captured[n] = '\0';
	fclose(f);
	errno = err;
	return r;
}

static void test_bad_member(void **state)
{
	pfring *r;

	(void)state;
	r = open_capturing("multi:sim:okm?pcap=" FIX_A ";sim:nosuch");
	assert_null(r);
	assert_int_equal(errno, ENODEV);
	assert_non_null(strstr(captured, "member 2 \"sim:nosuch\" failed to open"));
	/* the first member was closed again: its NIC is gone */
	r = open_capturing("sim:okm");
	assert_null(r);
	assert_int_equal(errno, ENODEV);

	r = open_capturing("multi:sim:x?pcap=" FIX_A ";;sim:y");
	assert_null(r);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(captured, "empty member"));

	r = open_capturing("multi:");
	assert_null(r);
	assert_int_equal(errno, EINVAL);
}

/* A bad BPF filter fails on the first member and says which. */
static void test_bad_bpf_names_member(void **state)
{
	int ifa, ifb;
	pfring *pa = probe("ba", FIX_A, &ifa), *pb = probe("bb", FIX_B, &ifb);
	pfring *m = pfring_open("multi:sim:ba;sim:bb", 0, 0);
	FILE *f = tmpfile();
	int saved = dup(2), rc;
	size_t n;

	(void)state;
	assert_non_null(m);
	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), 2);
	rc = pfring_set_bpf_filter(m, (char *)"tcp and and");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(captured, 1, sizeof(captured) - 1, f);
	captured[n] = '\0';
	fclose(f);
	assert_true(rc < 0);
	assert_non_null(strstr(captured, "member 1 \"sim:ba\" failed"));
	pfring_close(m);
	pfring_close(pa);
	pfring_close(pb);
}

/* ------------------------------------------------- blocking and breakloop */

static void *breaker(void *arg)
{
	usleep(50000);
	pfring_breakloop(arg);
	return NULL;
}

static void test_blocking_breakloop(void **state)
{
	struct ref *ra = ref_load(FIX_A, NULL), *rb = ref_load(FIX_B, NULL);
	int ifa, ifb;
	pfring *pa = probe("wa", FIX_A, &ifa), *pb = probe("wb", FIX_B, &ifb);
	pfring *m = pfring_open("multi:sim:wa;sim:wb", 0, 0);
	struct pfring_pkthdr h;
	u_char *pkt;
	u_int32_t got = 0;
	pthread_t t;

	(void)state;
	assert_non_null(m);
	assert_int_equal(pfring_enable_ring(m), 0);
	while (got < ra->n + rb->n) {
		assert_int_equal(pfring_recv(m, &pkt, 0, &h, 1), 1);
		got++;
	}
	assert_int_equal(pfring_get_num_queued_pkts(m), 0);
	assert_int_equal(pthread_create(&t, NULL, breaker, m), 0);
	assert_int_equal(pfring_recv(m, &pkt, 0, &h, 1), 0);
	pthread_join(t, NULL);
	assert_int_equal(pfring_poll(m, 20), 0);
	pfring_close(m);
	pfring_close(pa);
	pfring_close(pb);
	ref_free(ra);
	ref_free(rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_bpf_both),
		cmocka_unit_test(test_bad_member),
		cmocka_unit_test(test_bad_bpf_names_member),
		cmocka_unit_test(test_blocking_breakloop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
