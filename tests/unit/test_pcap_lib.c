/*
 * tests/unit/test_pcap_lib.c - libpfring's private libpcap (util/pcap_lib.h):
 * when libpcap.so.0.8 cannot be loaded, a pcap= NIC, a txpcap= NIC and a BPF
 * filter fail with a message naming it, and work again once it can. (That the
 * program's own pcap_* are never called is tests/interpose/, run by make test.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include <pfring.h>
#include "util/pcap_lib.h"
#include "stderr_capture.h"

#define FIX FIXTURE_DIR "/ipv4_tcp.pcap"

static void test_missing_libpcap_is_named(void **state)
{
	char msg[2048];
	pfring *r;

	(void)state;
	pf_pcap_lib_set_path("/nonexistent/libpcap.so.0.8");
	capture_begin();
	errno = 0;
	r = pfring_open("sim:nolib?pcap=" FIX, 1518, 0);
	capture_end(msg, sizeof(msg));
	assert_null(r);
	assert_int_equal(errno, ELIBACC);
	assert_non_null(strstr(msg, "sim: pcap=" FIX ": cannot load libpcap.so.0.8"));

	capture_begin();
	r = pfring_open("sim:nolib?gen=flows:1&txpcap=/tmp/pfring-test-pcap-lib.pcap", 1518, 0);
	capture_end(msg, sizeof(msg));
	assert_null(r);
	assert_int_equal(errno, ELIBACC);
	assert_non_null(strstr(msg, "txpcap=/tmp/pfring-test-pcap-lib.pcap: cannot load "
				    "libpcap.so.0.8"));

	r = pfring_open("sim:nolib?gen=flows:1", 1518, 0);   /* no libpcap needed */
	assert_non_null(r);
	capture_begin();
	assert_int_equal(pfring_set_bpf_filter(r, (char *)"tcp"), PF_RING_ERROR_GENERIC);
	capture_end(msg, sizeof(msg));
	assert_non_null(strstr(msg, "pfring_set_bpf_filter(\"tcp\"): cannot load libpcap.so.0.8"));

	pf_pcap_lib_set_path(NULL);
	assert_int_equal(pfring_set_bpf_filter(r, (char *)"tcp"), 0);
	pfring_close(r);
	r = pfring_open("sim:nolib?pcap=" FIX, 1518, 0);
	assert_non_null(r);
	pfring_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_libpcap_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
