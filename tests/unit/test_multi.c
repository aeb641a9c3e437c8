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

#include <poll.h>
#include <time.h>
#include <pfring.h>
#include "lib/backend.h"
#include "lib/devname.h"
#include "stderr_capture.h"

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

/* ------------------------------------------------------- selectable fd */

static pfring *sender;
static const u_char frame60[60] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				    0x99, 0xaa, 0xbb, 0x08, 0x00, 0x45 };

static void *send_later(void *arg)
{
	(void)arg;
	usleep(100000);
	assert_int_equal(pfring_send(sender, (char *)frame60, sizeof(frame60), 1), 60);
	return NULL;
}

static u_int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u_int64_t)ts.tv_sec * 1000 + (u_int64_t)ts.tv_nsec / 1000000;
}

/* The multi ring's fd (an epoll set of the members'): poll wakes before every
 * batch until both captures are read, then times out; a frame that reaches a
 * member later (sent to it through a peer NIC) wakes it, and recv returns it. */
static void test_selectable_fd(void **state)
{
	struct ref *ra = ref_load(FIX_A, NULL), *rb = ref_load(FIX_B, NULL);
	pfring *m = pfring_open("multi:sim:sa?pcap=" FIX_A ";sim:sb?pcap=" FIX_B, 0, 0);
	struct pfring_pkthdr h;
	struct pollfd p = { .events = POLLIN };
	u_char *pkt;
	u_int32_t got = 0;
	u_int64_t t0;
	pthread_t t;
	int ifb;

	(void)state;
	assert_non_null(m);
	sender = pfring_open("sim:stx?gen=flows:1&count=1&peer=sb", 0, 0);
	assert_non_null(sender);
	assert_int_equal(pfring_enable_ring(sender), 0);
	p.fd = pfring_get_selectable_fd(m);
	assert_true(p.fd >= 0);
	assert_int_equal(pfring_get_selectable_fd(m), p.fd);    /* made once */
	assert_int_equal(pfring_enable_ring(m), 0);
	while (got < ra->n + rb->n) {
		assert_int_equal(poll(&p, 1, 2000), 1);
		while (pfring_recv(m, &pkt, 0, &h, 0) == 1)
			got++;
	}
	assert_int_equal(got, ra->n + rb->n);
	assert_int_equal(poll(&p, 1, 100), 0);      /* nothing queued, both wires idle */

	assert_int_equal(pthread_create(&t, NULL, send_later, NULL), 0);
	t0 = mono_ms();
	assert_int_equal(poll(&p, 1, 5000), 1);
	assert_true(mono_ms() - t0 >= 50);
	assert_int_equal(pfring_recv(m, &pkt, 0, &h, 0), 1);
	assert_int_equal(h.len, sizeof(frame60));
	assert_memory_equal(pkt, frame60, sizeof(frame60));
	assert_int_equal(pfring_get_bound_device_ifindex(m, &ifb), 0);
	assert_int_equal(h.extended_hdr.if_index, ifb);
	pthread_join(t, NULL);
	assert_int_equal(pfring_recv(m, &pkt, 0, &h, 0), 0);
	assert_int_equal(poll(&p, 1, 100), 0);
	pfring_close(sender);
	pfring_close(m);
	ref_free(ra);
	ref_free(rb);
}

/* ------------------------------------------- settings reaching the members */

/* rec: a backend that records the application name and poll watermark each
 * ring was given (rec:a is member 0, rec:b member 1; rec:b refuses the name
 * "refused"), and has no selectable fd. */
static char rec_name[2][64];
static u_int16_t rec_wm[2];

static int rec_open(pfring *ring, const struct pf_devname *dn)
{
	ring->priv_data = &rec_name[dn->member[0].name[0] == 'b'];
	return 0;
}

static int rec_set_application_name(pfring *ring, const char *name)
{
	if (ring->priv_data == &rec_name[1] && strcmp(name, "refused") == 0)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	snprintf(ring->priv_data, sizeof(rec_name[0]), "%s", name);
	return 0;
}

static int rec_set_poll_watermark(pfring *ring, u_int16_t wm)
{
	rec_wm[ring->priv_data == &rec_name[1]] = wm;
	return 0;
}

static const struct pfring_backend rec_backend = {
	.name = "rec",
	.prefix = "rec:",
	.open = rec_open,
	.set_application_name = rec_set_application_name,
	.set_poll_watermark = rec_set_poll_watermark,
};

/* Settings the members must see: the application name, the poll watermark. */
static void test_member_settings(void **state)
{
	char msg[1024];
	pfring *m;

	(void)state;
	assert_int_equal(pfring_backend_register(&rec_backend), 0);
	m = pfring_open("multi:rec:a;rec:b", 0, 0);
	assert_non_null(m);
	assert_int_equal(pfring_set_application_name(m, (char *)"snort-worker"), 0);
	assert_string_equal(rec_name[0], "snort-worker");
	assert_string_equal(rec_name[1], "snort-worker");
	assert_string_equal(m->appl_name, "snort-worker");
	capture_begin();
	assert_int_equal(pfring_set_application_name(m, (char *)"refused"),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "pfring_set_application_name(\"multi:rec:a;rec:b\"): "
				    "member 2 \"rec:b\" failed"));
	assert_string_equal(m->appl_name, "snort-worker");   /* unchanged on failure */
	assert_int_equal(pfring_set_tx_watermark(m, 8), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_poll_watermark(m, 7), 0);
	assert_int_equal(rec_wm[0], 7);
	assert_int_equal(rec_wm[1], 7);
	assert_int_equal(m->poll_watermark, 7);

	/* members without a selectable fd: the multi ring has none either */
	capture_begin();
	assert_int_equal(pfring_get_selectable_fd(m), -1);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "member 1 \"rec:a\" has no selectable fd"));
	pfring_close(m);
	pfring_backend_unregister(&rec_backend);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selectable_fd),
		cmocka_unit_test(test_member_settings),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_bpf_both),
		cmocka_unit_test(test_bad_member),
		cmocka_unit_test(test_bad_bpf_names_member),
		cmocka_unit_test(test_blocking_breakloop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
