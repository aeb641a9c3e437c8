/*
 * tests/unit/test_setsockopt.c - libpfring's setsockopt (lib/api_setsockopt.c):
 * SO_ATTACH_FILTER / SO_DETACH_FILTER at level 0 on a ring's selectable fd, as
 * libpcap-ring and Snort's DAQ call them, filter a sim: ring and every member of
 * a multi: ring exactly as libpcap's own filter does on the fixture; a detach
 * gives the full count back; bad programs get the kernel's errnos and a message;
 * a backend without BPF (userspace:) says so; every other call (another fd,
 * another option) reaches the kernel unchanged.
 * (pfsim: tests/unit/test_pfsim.c; pf_ring.ko: the e2e test bpf-level0.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <pfring.h>
#include "pcap_ref.h"
#include "bpf_level0.h"
#include "stderr_capture.h"

#define FIX_A FIXTURE_DIR "/many_flows.pcap"
#define FIX_B FIXTURE_DIR "/mix64.pcap"

/* Frames until the wire is idle (non-blocking reads, a poll between). */
static u_int32_t drain(pfring *r)
{
	struct pfring_pkthdr h;
	u_char *pkt;
	u_int32_t n = 0;
	int rc;

	for (;;) {
		rc = pfring_recv(r, &pkt, 0, &h, 0);
		assert_true(rc >= 0);
		if (rc == 1)
			n++;
		else if (pfring_poll(r, 100) == 0)
			return n;
	}
}

/* A ring on name with filter attached at level 0 (and detached again). */
static u_int32_t count_level0(const char *name, const char *filter, int detach)
{
	pfring *r = pfring_open(name, 1518, 0);
	int fd;
	u_int32_t n;

	assert_non_null(r);
	fd = pfring_get_selectable_fd(r);
	assert_true(fd >= 0);
	assert_int_equal(attach_level0(fd, filter), 0);
	if (detach)
		assert_int_equal(detach_level0(fd), 0);
	assert_int_equal(pfring_enable_ring(r), 0);
	n = drain(r);
	pfring_close(r);
	return n;
}

static void test_sim_level0(void **state)
{
	struct ref *ref = ref_load(FIX_A, "udp and port 53");

	(void)state;
	assert_true(ref->matches > 0 && ref->matches < ref->n);
	assert_int_equal(count_level0("sim:l0?pcap=" FIX_A, "udp and port 53", 0), ref->matches);
	assert_int_equal(count_level0("sim:l0?pcap=" FIX_A, "udp and port 53", 1), ref->n);
	ref_free(ref);
}

/* Every member of a multi: ring gets the program set on the multi's fd. */
static void test_multi_level0(void **state)
{
	struct ref *ra = ref_load(FIX_A, "tcp"), *rb = ref_load(FIX_B, "tcp");
	const char *multi = "multi:sim:ma?pcap=" FIX_A ";sim:mb?pcap=" FIX_B;

	(void)state;
	assert_true(rb->matches > 0 && rb->matches < rb->n);
	assert_int_equal(count_level0(multi, "tcp", 0), ra->matches + rb->matches);
	assert_int_equal(count_level0(multi, "tcp", 1), ra->n + rb->n);
	ref_free(ra);
	ref_free(rb);
}

static void test_bad_programs(void **state)
{
	struct sock_filter bad[] = { { BPF_JMP | BPF_JA, 0, 0, 5 }, { BPF_RET | BPF_K, 0, 0, 1 } };
	struct sock_filter one[] = { { BPF_RET | BPF_K, 0, 0, 65535 } };
	struct sock_fprog badp = { 2, bad }, empty = { 0, one }, good = { 1, one };
	char msg[2048], want[160];
	pfring *r = pfring_open("sim:bad?gen=flows:1", 1518, 0);
	int fd;

	(void)state;
	assert_non_null(r);
	fd = pfring_get_selectable_fd(r);
	snprintf(want, sizeof(want), "setsockopt(fd %d, 0, SO_ATTACH_FILTER) on "
		 "\"sim:bad?gen=flows:1\": refused: ", fd);
	capture_begin();
	assert_int_equal(setsockopt(fd, 0, SO_ATTACH_FILTER, &badp, sizeof(badp)), -1);
	capture_end(msg, sizeof(msg));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(msg, want));
	capture_begin();
	assert_int_equal(setsockopt(fd, 0, SO_ATTACH_FILTER, &empty, sizeof(empty)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(setsockopt(fd, 0, SO_ATTACH_FILTER, &good, 4), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(setsockopt(fd, 0, SO_ATTACH_FILTER, NULL, sizeof(good)), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(detach_level0(fd), -1);       /* no filter yet */
	assert_int_equal(errno, ENOENT);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "1 to 4096 instructions wanted"));
	assert_non_null(strstr(msg, "optlen is not sizeof(struct sock_fprog)"));
	assert_int_equal(setsockopt(fd, 0, SO_ATTACH_FILTER, &good, sizeof(good)), 0);
	assert_int_equal(detach_level0(fd), 0);
	pfring_close(r);
}

/* userspace: has no BPF filtering (pfring_set_bpf_filter is NOT_SUPPORTED):
 * its fd (a notification socket) says so, it does not reach the kernel. */
static void test_userspace_unsupported(void **state)
{
	struct sock_filter one[] = { { BPF_RET | BPF_K, 0, 0, 65535 } };
	struct sock_fprog good = { 1, one };
	pfring *r = pfring_open("userspace:usr21", 0, 0);
	char msg[1024];
	int fd;

	(void)state;
	assert_non_null(r);
	fd = pfring_get_selectable_fd(r);
	assert_true(fd >= 0);
	capture_begin();
	assert_int_equal(setsockopt(fd, 0, SO_ATTACH_FILTER, &good, sizeof(good)), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(detach_level0(fd), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "on \"userspace:usr21\": the userspace backend has no BPF "
				    "filtering"));
	pfring_close(r);
}

/* Not a ring's fd, or not these options: the kernel answers, errno untouched on success. */
static void test_passthrough(void **state)
{
	struct sock_filter one[] = { { BPF_RET | BPF_K, 0, 0, 65535 } };
	struct sock_fprog good;
	int udp = socket(AF_INET, SOCK_DGRAM, 0), efd, v = 65536, got = 0;
	socklen_t len = sizeof(got);
	pfring *r;

	(void)state;
	memset(&good, 0, sizeof(good));     /* the kernel reads the padding too */
	good.len = 1;
	good.filter = one;
	assert_true(udp >= 0);
	errno = 4242;
	assert_int_equal(setsockopt(udp, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
	assert_int_equal(errno, 4242);
	assert_int_equal(getsockopt(udp, SOL_SOCKET, SO_RCVBUF, &got, &len), 0);
	assert_int_equal(got, 2 * v);                  /* the kernel doubles it */
	assert_int_equal(setsockopt(udp, SOL_SOCKET, SO_ATTACH_FILTER, &good, sizeof(good)), 0);
	close(udp);

	/* a ring's fd, once the ring is closed, is someone else's */
	r = pfring_open("sim:pt?gen=flows:1", 1518, 0);
	assert_non_null(r);
	assert_int_equal(setsockopt(pfring_get_selectable_fd(r), SOL_SOCKET, SO_RCVBUF, &v,
				    sizeof(v)), -1);
	assert_int_equal(errno, ENOTSOCK);             /* another level: the kernel's */
	pfring_close(r);
	efd = eventfd(0, 0);
	assert_true(efd >= 0);
	assert_int_equal(setsockopt(efd, 0, SO_ATTACH_FILTER, &good, sizeof(good)), -1);
	assert_int_equal(errno, ENOTSOCK);
	close(efd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_level0),
		cmocka_unit_test(test_multi_level0),
		cmocka_unit_test(test_bad_programs),
		cmocka_unit_test(test_userspace_unsupported),
		cmocka_unit_test(test_passthrough),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
