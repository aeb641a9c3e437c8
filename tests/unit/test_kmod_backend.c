/*
 * tests/unit/test_kmod_backend.c - the kernel-module backend (backends/kmod*.c).
 *
 * This machine never loads pf_ring.ko, so two kinds of test:
 *  - the real kernel: pfring_open of "eth0", "eth0@2", "any" fails with the
 *    "pf_ring.ko is not loaded" message (skipped if a PF_RING family exists);
 *  - a fake kernel (kmod_fake.h, pf_kmod_set_sys) that answers the core/abi.h socket
 *    options exactly as documented and produces into a real core/ring.h ring,
 *    so open's sequence, every option's argument layout, receive (zero-copy,
 *    copy, long headers), stats, send and the error paths are checked here.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <linux/filter.h>
#include <pcap/pcap.h>

#include "pfring.h"
#include "backends/kmod/kmod.h"
#include "lib/devname.h"
#include "stderr_capture.h"
#include "kmod_fake.h"

/* Open with the fake kernel, expecting failure: errno and stderr exact. */
static void expect_fail(const char *name, u_int32_t flags, int err, const char *msg)
{
	char out[1024];
	pfring *ring;

	capture_begin();
	errno = 0;
	ring = pfring_open(name, 128, flags);
	capture_end(out, sizeof(out));
	assert_null(ring);
	assert_int_equal(errno, err);
	assert_string_equal(out, msg);
}

/* ================================================================ real kernel */

static int real_family_missing(void)
{
	int fd = socket(PF_RING, SOCK_RAW, htons(ETH_P_ALL));

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == EAFNOSUPPORT;
}

static void test_real_kernel_not_loaded(void **state)
{
	static const char *const names[] = { "eth0", "eth0@2", "any" };
	char out[1024], want[1024];
	unsigned int i;
	pfring *ring;

	(void)state;
	if (!real_family_missing())
		skip();      /* a kernel with pf_ring.ko loaded: the e2e tests cover it */
	for (i = 0; i < 3; i++) {
		capture_begin();
		errno = 0;
		ring = pfring_open(names[i], 1518, PF_RING_PROMISC);
		capture_end(out, sizeof(out));
		assert_null(ring);
		assert_int_equal(errno, EAFNOSUPPORT);
		snprintf(want, sizeof(want),
			 "pfring_open(\"%s\"): pf_ring.ko is not loaded (this kernel has no "
			 "PF_RING socket family 27): load it with \"modprobe pf_ring\" or "
			 "\"insmod kmod/pf_ring.ko\" (see docs/api.md)\n", names[i]);
		assert_string_equal(out, want);
	}
}

/* ================================================================ open */

static void test_socket_errors(void **state)
{
	(void)state;
	F.sock_errno = EAFNOSUPPORT;
	expect_fail("eth0", 0, EAFNOSUPPORT,
		    "pfring_open(\"eth0\"): pf_ring.ko is not loaded (this kernel has no "
		    "PF_RING socket family 27): load it with \"modprobe pf_ring\" or "
		    "\"insmod kmod/pf_ring.ko\" (see docs/api.md)\n");
	F.sock_errno = EPERM;
	expect_fail("any", 0, EPERM,
		    "pfring_open(\"any\"): capturing with pf_ring.ko needs CAP_NET_ADMIN "
		    "(run as root): Operation not permitted\n");
	F.sock_errno = EACCES;
	expect_fail("eth0", 0, EACCES,
		    "pfring_open(\"eth0\"): capturing with pf_ring.ko needs CAP_NET_ADMIN "
		    "(run as root): Permission denied\n");
	F.sock_errno = EMFILE;
	expect_fail("eth0", 0, EMFILE,
		    "pfring_open(\"eth0\"): socket(PF_RING): Too many open files\n");
	assert_int_equal(F.sockets, 4);
	assert_int_equal(F.binds, 0);
	assert_int_equal(F.maps, 0);
}

static void test_bad_names_before_socket(void **state)
{
	char longname[80], want[256];

	(void)state;
	/* refused by the front's grammar */
	expect_fail("eth0@x", 0, EINVAL, "pfring_open(\"eth0@x\"): bad device name: bad queue "
		    "after '@' (NUM, NUM-NUM, or a ',' list of them)\n");
	expect_fail("eth0@-1", 0, EINVAL, "pfring_open(\"eth0@-1\"): bad device name: bad queue "
		    "after '@' (NUM, NUM-NUM, or a ',' list of them)\n");
	memset(longname, 'e', 70);
	longname[70] = '\0';
	snprintf(want, sizeof(want), "pfring_open(\"%.64s\"...(70 bytes)): bad device name: "
		 "device name too long (63 bytes at most)\n", longname);   /* echo cut at 64 */
	expect_fail(longname, 0, EINVAL, want);
	/* refused by the kmod backend */
	expect_fail("abcdefghijklmnop", 0, EINVAL, "pfring_open(\"abcdefghijklmnop\"): "
		    "interface name too long (15 bytes at most)\n");
	expect_fail("eth0,eth1", 0, EINVAL, "pfring_open(\"eth0,eth1\"): one pf_ring.ko "
		    "socket binds one device (use multi: for a list)\n");
	expect_fail("eth0@0-3", 0, EINVAL, "pfring_open(\"eth0@0-3\"): one RX queue per "
		    "socket (NAME@Q), not a list or range\n");
	expect_fail("any@1", 0, EINVAL, "pfring_open(\"any@1\"): \"any\" has no RX queues\n");
	expect_fail("eth0?x=1", 0, EINVAL, "pfring_open(\"eth0?x=1\"): pf_ring.ko devices "
		    "take no \"?options\"\n");
	assert_int_equal(F.sockets, 0);
}

static void test_open_sequence_and_close(void **state)
{
	char out[512];
	pfring *ring;
	u_char mac[6];
	int ifindex = 0;

	(void)state;
	ring = pfring_open("eth0@2", 200, 0);
	assert_non_null(ring);
	assert_int_equal(F.bucket_len, 200);
	assert_int_equal(F.layout_flags, 0);
	assert_string_equal(F.bound, "eth0@2");
	assert_int_equal(F.maps, 1);
	assert_int_equal(pfring_get_selectable_fd(ring), F.fd);
	assert_int_equal(pfring_get_mtu_size(ring), 1500);
	assert_int_equal(ring->mtu_len, 1500);
	assert_int_equal(ring->device_id, FAKE_IFINDEX);
	assert_int_equal(pfring_get_bound_device_ifindex(ring, &ifindex), 0);
	assert_int_equal(ifindex, FAKE_IFINDEX);
	assert_int_equal(pfring_get_bound_device_address(ring, mac), 0);
	assert_int_equal(mac[0], 0x02);
	assert_int_equal(mac[5], 0x07);
	assert_int_equal(pfring_get_num_rx_channels(ring), 4);
	assert_int_equal(pfring_get_ring_id(ring), 42);
	assert_int_equal(F.if_flags, 0);     /* no PF_RING_PROMISC: untouched */
	assert_int_equal(F.active, 0);
	assert_int_equal(pfring_enable_ring(ring), 0);
	assert_int_equal(F.active, 1);
	assert_int_equal(pfring_disable_ring(ring), 0);
	assert_int_equal(F.active, 0);
	pfring_close(ring);
	assert_int_equal(F.unmaps, 1);
	assert_int_equal(F.closes, 1);

	ring = pfring_open("any", 0, PF_RING_LONG_HEADER);
	assert_non_null(ring);
	assert_string_equal(F.bound, "any");
	assert_int_equal(F.bucket_len, MAX_CAPLEN);
	assert_int_equal(F.layout_flags, PF_RING_LAYOUT_LONG_HDR);
	assert_int_equal(ring->device_id, -1);
	capture_begin();
	assert_int_equal(pfring_get_mtu_size(ring), PF_RING_ERROR_NOT_SUPPORTED);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_get_mtu_size: \"any\" has no MTU of its own\n");
	pfring_close(ring);
	assert_int_equal(F.closes, 2);
}

static void test_abi_mismatch(void **state)
{
	(void)state;
	assert_int_equal(PF_RING_ABI_VERSION, 3);
	F.abi = PF_RING_ABI_VERSION - 1;
	expect_fail("eth0", 0, EPROTO, "pfring_open(\"eth0\"): pf_ring.ko has ABI version 2, "
		    "this libpfring ABI version 3: rebuild and reload pf_ring.ko (kmod/) from the "
		    "same pfring tree as this library\n");
	assert_int_equal(F.maps, 0);           /* nothing mapped */
	assert_int_equal(F.bucket_len, 0);     /* asked before any other option */
	assert_int_equal(F.closes, 1);
	F.abi = PF_RING_ABI_VERSION + 1;
	expect_fail("eth0", 0, EPROTO, "pfring_open(\"eth0\"): pf_ring.ko has ABI version 4, "
		    "this libpfring ABI version 3: rebuild libpfring (and relink the program) "
		    "from the same pfring tree as the loaded module\n");
	assert_int_equal(F.maps, 0);
	assert_int_equal(F.closes, 2);
	/* ABI 1 and 2 asked at option 190: a module of those does not know 186 */
	F.fail_opt = SO_GET_ABI_VERSION;
	F.fail_errno = ENOPROTOOPT;
	expect_fail("eth0", 0, EPROTO, "pfring_open(\"eth0\"): pf_ring.ko does not answer "
		    "SO_GET_ABI_VERSION (186): it is older than ABI version 3: rebuild and reload "
		    "pf_ring.ko (kmod/) from the same pfring tree as this library\n");
	assert_int_equal(F.bucket_len, 0);
	assert_int_equal(F.closes, 3);
}

/* pfring_get_device_ifindex: any interface by name (SIOCGIFINDEX). */
static void test_get_device_ifindex(void **state)
{
	char out[256];
	pfring *ring;
	int ifindex = 0;

	(void)state;
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_get_device_ifindex(ring, "eth0", &ifindex), 0);
	assert_int_equal(ifindex, FAKE_IFINDEX);
	ifindex = 0;
	assert_int_equal(ring->get_device_ifindex(ring, "eth0", &ifindex), 0);
	assert_int_equal(ifindex, FAKE_IFINDEX);
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_get_device_ifindex(ring, "eth9", &ifindex),
			 PF_RING_ERROR_UNKNOWN_ADAPTER);
	capture_end(out, sizeof(out));
	assert_int_equal(errno, ENODEV);
	assert_string_equal(out, "pfring_get_device_ifindex(\"eth9\"): No such device\n");
	assert_int_equal(ifindex, FAKE_IFINDEX);
	pfring_close(ring);
}

static void test_open_step_failures(void **state)
{
	char out[512];

	(void)state;
	expect_fail("nosuch", 0, ENODEV, "pfring_open(\"nosuch\"): no such interface: "
		    "No such device\n");
	F.fail_opt = SO_RING_BUCKET_LEN;
	F.fail_errno = EINVAL;
	expect_fail("eth0", 0, EINVAL, "pfring_open(\"eth0\"): SO_RING_BUCKET_LEN: "
		    "Invalid argument\n");
	F.fail_opt = SO_GET_RING_SIZE;
	F.fail_errno = ENOMEM;
	expect_fail("eth0", 0, ENOMEM, "pfring_open(\"eth0\"): SO_GET_RING_SIZE: "
		    "Cannot allocate memory\n");
	assert_int_equal(F.maps, 0);
	assert_int_equal(F.closes, 3);
	/* a region that is no ring: pf_ring_attach's reason, mapping undone */
	F.fail_opt = -1;
	F.bad_magic = 1;
	capture_begin();
	errno = 0;
	assert_null(pfring_open("eth0", 128, 0));
	capture_end(out, sizeof(out));
	assert_int_equal(errno, EINVAL);
	assert_true(strncmp(out, "pfring_open(\"eth0\"): pf_ring.ko's ring: ", 39) == 0);
	assert_int_equal(F.maps, 1);
	assert_int_equal(F.unmaps, 1);
	assert_int_equal(F.closes, 4);
}

/* ================================================================ receive */

static void test_recv_zero_copy_copy_stats(void **state)
{
	struct pfring_pkthdr hdr;
	pfring_stat st;
	u_char *p = NULL, buf[64];
	struct timespec ts;
	u_int64_t raw;
	pfring *ring;
	int drops = 0;

	(void)state;
	ring = pfring_open("eth0", 1000, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 0);
	errno = 0;
	assert_int_equal(pfring_next_pkt_time(ring, &ts), PF_RING_ERROR_NO_PKT_AVAILABLE);
	produce(100, 100, 1, 1500000123456ull, NULL);
	produce(300, 1514, 9, 1500000999999ull, NULL);
	assert_int_equal(pfring_next_pkt_time(ring, &ts), 0);   /* peeks: nothing consumed */
	assert_int_equal(ts.tv_sec, 1500);
	assert_int_equal(ts.tv_nsec, 123456);
	assert_int_equal(pfring_next_pkt_raw_timestamp(ring, &raw), 0);
	assert_int_equal(raw, 1500000123456ull);
	assert_int_equal(pfring_get_num_queued_pkts(ring), 2);
	assert_int_equal(pfring_is_pkt_available(ring), 1);

	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	assert_true(p >= (u_char *)F.mem && p < (u_char *)F.mem + F.size); /* in the slot */
	assert_int_equal(hdr.caplen, 100);
	assert_int_equal(hdr.len, 100);
	assert_int_equal(hdr.ts.tv_sec, 1500);
	assert_int_equal(hdr.ts.tv_usec, 123);
	assert_int_equal(hdr.extended_hdr.timestamp_ns, 1500000123456ull);
	assert_bytes(p, 100, 1);

	p = buf;
	assert_int_equal(pfring_recv(ring, &p, sizeof(buf), &hdr, 0), 1);
	assert_ptr_equal(p, buf);
	assert_int_equal(hdr.caplen, sizeof(buf));   /* cut to the buffer */
	assert_int_equal(hdr.len, 1514);
	assert_bytes(buf, sizeof(buf), 9);
	assert_int_equal(pfring_get_num_queued_pkts(ring), 0);

	/* fill the ring: what does not fit is the drop count */
	while (1) {
		u_int8_t d[1000] = { 0 };
		struct pf_ring_pkt pkt = { .data = d, .caplen = 1000, .len = 1000 };
		int rc = pf_ring_put(&F.prod, &pkt);

		if (rc == -PF_ENOSPC && ++drops == 3)
			break;
	}
	assert_int_equal(pfring_stats(ring, &st), 0);
	assert_int_equal(st.drop, 3);
	assert_int_equal(st.recv, 2 + pfring_get_num_queued_pkts(ring));
	pfring_close(ring);
}

static void test_recv_corrupt_ring(void **state)
{
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	pfring *ring;

	(void)state;
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	((struct pf_ring_prod_page *)F.mem)->insert_off = 3;   /* not a multiple of 8 */
	errno = 0;
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EBADMSG);
	pfring_close(ring);
}

static void test_long_header_and_last_rx(void **state)
{
	struct pfring_extended_pkthdr ext;
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	pfring *ring;
	char out[512];

	(void)state;
	ring = pfring_open("eth0", 256, PF_RING_LONG_HEADER);
	assert_non_null(ring);
	assert_int_equal(F.layout_flags, PF_RING_LAYOUT_LONG_HDR);
	assert_int_equal(pfring_enable_ring(ring), 0);
	capture_begin();
	assert_int_equal(pfring_send_last_rx_packet(ring, -1), PF_RING_ERROR_NO_PKT_AVAILABLE);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_send_last_rx_packet: no packet received yet\n");

	memset(&ext, 0, sizeof(ext));
	ext.if_index = FAKE_IFINDEX;
	ext.pkt_hash = 0xdeadbeef;
	ext.parsed_pkt.l3_proto = 6;
	produce(80, 80, 3, 42, &ext);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	assert_int_equal(hdr.extended_hdr.if_index, FAKE_IFINDEX);
	assert_int_equal(hdr.extended_hdr.pkt_hash, 0xdeadbeef);
	assert_int_equal(hdr.extended_hdr.parsed_pkt.l3_proto, 6);

	assert_int_equal(pfring_send_last_rx_packet(ring, -1), 80);
	assert_int_equal(F.sent_len, 80);
	assert_bytes(F.sent, 80, 3);
	assert_int_equal(pfring_send_last_rx_packet(ring, FAKE_IFINDEX), 80);
	assert_int_equal(F.sends, 2);
	capture_begin();
	assert_int_equal(pfring_send_last_rx_packet(ring, 9), PF_RING_ERROR_NOT_SUPPORTED);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_send_last_rx_packet: pf_ring.ko sends on the bound "
			    "device only (ifindex 7), not on ifindex 9\n");

	/* a frame cut by caplen cannot go out again */
	produce(256, 600, 5, 43, &ext);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	capture_begin();
	assert_int_equal(pfring_send_last_rx_packet(ring, -1), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_send_last_rx_packet: the last packet was cut to 256 "
			    "of its 600 bytes (caplen): it cannot be sent again\n");
	assert_int_equal(F.sends, 2);
	pfring_close(ring);
}

static pfring *break_ring;

static void *breaker(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	pfring_breakloop(break_ring);
	return NULL;
}

static void test_blocking_recv_and_poll(void **state)
{
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	pthread_t t;

	(void)state;
	break_ring = pfring_open("eth0", 128, 0);
	assert_non_null(break_ring);
	assert_int_equal(pfring_set_poll_duration(break_ring, 20), 0);
	assert_int_equal(pfring_enable_ring(break_ring), 0);
	assert_int_equal(pfring_poll(break_ring, 10), 0);      /* empty: timeout */
	assert_int_equal(pthread_create(&t, NULL, breaker, NULL), 0);
	assert_int_equal(pfring_recv(break_ring, &p, 0, &hdr, 1), 0);
	pthread_join(t, NULL);
	produce(60, 60, 0, 1, NULL);
	assert_int_equal(pfring_poll(break_ring, 10), 1);
	assert_int_equal(pfring_recv(break_ring, &p, 0, &hdr, 1), 1);
	assert_int_equal(hdr.caplen, 60);
	pfring_close(break_ring);
}

static void *gone_later(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	fake_device_gone();
	return NULL;
}

/* The bound device is unregistered: a reader blocked on an empty ring wakes
 * with ENODEV (said once); frames queued before the end are all read first,
 * by blocking and non-blocking recv and by pfring_poll; then every call says
 * ENODEV, and pfring_send too. */
static void test_device_gone(void **state)
{
	struct pfring_pkthdr hdr;
	u_char *p = NULL;
	char out[512];
	pthread_t t;
	pfring *ring;

	(void)state;
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_set_poll_duration(ring, 60000), 0);
	assert_int_equal(pfring_enable_ring(ring), 0);
	assert_int_equal(pthread_create(&t, NULL, gone_later, NULL), 0);
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 1), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, ENODEV);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "eth0: the device is gone (unregistered: deleted, its driver "
			    "unloaded or its namespace torn down): every frame it queued was "
			    "read, no more frames on this ring\n");
	assert_string_equal(pfring_get_last_error_message(), "eth0: the device is gone "
			    "(unregistered: deleted, its driver unloaded or its namespace torn "
			    "down): every frame it queued was read, no more frames on this ring");
	pthread_join(t, NULL);
	pfring_close(ring);

	/* frames queued before the end are read first, whatever the call */
	fake_setup(NULL);
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	for (u_int8_t i = 0; i < 3; i++)
		produce(60, 60, i, 1, NULL);
	fake_device_gone();
	assert_int_equal(pfring_poll(ring, 1000), 1);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 1), 1);
	assert_bytes(p, 60, 0);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 0), 1);
	assert_bytes(p, 60, 1);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 1), 1);
	assert_bytes(p, 60, 2);
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_poll(ring, 1000), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(pfring_recv(ring, &p, 0, &hdr, 1), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(pfring_send(ring, (char *)out, 60, 1), PF_RING_ERROR_UNKNOWN_ADAPTER);
	assert_int_equal(errno, ENODEV);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "pfring_send: eth0 is gone (unregistered): nothing can be "
				    "sent on this ring\n"));
	assert_int_equal(F.sends, 0);
	pfring_close(ring);
}

/* ================================================================ options */

/* The last setsockopt: level, option, length, bytes. */
static void assert_opt(int opt, const void *val, socklen_t len)
{
	assert_int_equal(F.last_level, SOL_PF_RING);
	assert_int_equal(F.last_opt, opt);
	assert_int_equal(F.last_len, len);
	if (len)
		assert_memory_equal(F.last_val, val, len);
}

static void test_options_layout(void **state)
{
	struct pf_ring_cluster_req creq = { .cluster_id = 10, .type = cluster_per_flow };
	struct pf_ring_hash_rule_req hreq;
	filtering_rule rule;
	hash_filtering_rule hrule;
	u_int32_t u32;
	u_int16_t u16;
	u_int8_t u8;
	char stats[64];
	u_int stats_len = sizeof(stats);
	pfring *ring;

	(void)state;
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_set_cluster(ring, 10, cluster_per_flow), 0);
	assert_opt(SO_ADD_TO_CLUSTER, &creq, sizeof(creq));
	assert_int_equal(pfring_remove_from_cluster(ring), 0);
	assert_opt(SO_REMOVE_FROM_CLUSTER, NULL, 0);
	u32 = 16;
	assert_int_equal(pfring_set_sampling_rate(ring, 16), 0);
	assert_opt(SO_SET_SAMPLING_RATE, &u32, 4);
	u32 = 3;
	assert_int_equal(pfring_set_channel_id(ring, 3), 0);
	assert_opt(SO_SET_CHANNEL_ID, &u32, 4);
	u32 = rx_only_direction;
	assert_int_equal(pfring_set_direction(ring, rx_only_direction), 0);
	assert_opt(SO_SET_PACKET_DIRECTION, &u32, 4);
	u32 = recv_only_mode;
	assert_int_equal(pfring_set_socket_mode(ring, recv_only_mode), 0);
	assert_opt(SO_SET_SOCKET_MODE, &u32, 4);
	u16 = 16;
	assert_int_equal(pfring_set_poll_watermark(ring, 16), 0);
	assert_opt(SO_SET_POLL_WATERMARK, &u16, 2);
	u16 = 30;
	assert_int_equal(pfring_purge_idle_rules(ring, 30), 0);
	assert_opt(SO_PURGE_IDLE_RULES, &u16, 2);
	assert_int_equal(pfring_purge_idle_hash_rules(ring, 30), 0);
	assert_opt(SO_PURGE_IDLE_HASH_RULES, &u16, 2);
	u16 = 5;
	assert_int_equal(pfring_remove_filtering_rule(ring, 5), 0);
	assert_opt(SO_REMOVE_FILTERING_RULE, &u16, 2);
	u8 = 0;
	assert_int_equal(pfring_toggle_filtering_policy(ring, 0), 0);
	assert_opt(SO_TOGGLE_FILTER_POLICY, &u8, 1);
	u8 = 1;
	assert_int_equal(pfring_toggle_filtering_policy(ring, 7), 0);
	assert_opt(SO_TOGGLE_FILTER_POLICY, &u8, 1);
	assert_int_equal(pfring_set_application_name(ring, "pfcount"), 0);
	assert_opt(SO_SET_APPL_NAME, "pfcount", 8);
	/* each send() is a transmission: no batch (as 5.4.6's module) */
	assert_int_equal(pfring_set_tx_watermark(ring, 8), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_reflector_device(ring, "eth1"), 0);
	assert_opt(SO_SET_REFLECTOR, "eth1", 5);

	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 5;
	rule.core_fields.proto = 6;
	assert_int_equal(pfring_add_filtering_rule(ring, &rule), 0);
	assert_opt(SO_ADD_FILTERING_RULE, &rule, sizeof(rule));
	memset(&hrule, 0, sizeof(hrule));
	hrule.proto = 17;
	memset(&hreq, 0, sizeof(hreq));
	hreq.rule = hrule;
	hreq.add = 1;
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &hrule, 9), 0);
	assert_opt(SO_HANDLE_HASH_FILTERING_RULE, &hreq, sizeof(hreq));
	hreq.add = 0;
	assert_int_equal(pfring_handle_hash_filtering_rule(ring, &hrule, 0), 0);
	assert_opt(SO_HANDLE_HASH_FILTERING_RULE, &hreq, sizeof(hreq));

	assert_int_equal(pfring_get_filtering_rule_stats(ring, 5, stats, &stats_len), 0);
	assert_int_equal(stats_len, 16);
	assert_int_equal((u_int8_t)stats[0], 0xab);
	assert_int_equal((u_int8_t)stats[15], 0xab);
	stats_len = 8;  /* the answer does not fit: the kernel refuses a short optlen */
	memset(stats, 0, sizeof(stats));
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 5, stats, &stats_len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(stats_len, 8);
	assert_int_equal(stats[0], 0);
	stats_len = sizeof(stats);
	assert_int_equal(pfring_get_filtering_rule_stats(ring, 6, stats, &stats_len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOENT);

	stats_len = sizeof(stats);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &hrule, stats, &stats_len), 0);
	assert_int_equal(stats_len, 8);
	assert_int_equal((u_int8_t)stats[7], 0xcd);
	stats_len = 4;   /* smaller than the rule: the question still fits, the answer not */
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &hrule, stats, &stats_len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(stats_len, 4);
	hrule.proto = 6;
	stats_len = sizeof(stats);
	assert_int_equal(pfring_get_hash_filtering_rule_stats(ring, &hrule, stats, &stats_len),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOENT);

	assert_int_equal(pfring_version(ring, &u32), 0);
	assert_int_equal(u32, 0x050499);           /* the module's answer */
	pfring_close(ring);
}

static void test_option_errors(void **state)
{
	char name[80], out[512];
	filtering_rule rule;
	pfring *ring;

	(void)state;
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	F.fail_opt = SO_ADD_TO_CLUSTER;
	F.fail_errno = ENOSPC;
	capture_begin();
	assert_int_equal(pfring_set_cluster(ring, 10, cluster_round_robin), PF_RING_ERROR_GENERIC);
	capture_end(out, sizeof(out));
	assert_int_equal(errno, ENOSPC);
	assert_string_equal(out, "pfring_set_cluster: cluster 10 already has 32 members\n");
	F.fail_errno = EINVAL;
	capture_begin();
	assert_int_equal(pfring_set_cluster(ring, 10, cluster_round_robin),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_int_equal(errno, EINVAL);
	assert_string_equal(out, "pfring_set_cluster: cluster 10 has another type\n");

	F.fail_opt = SO_ADD_FILTERING_RULE;
	F.fail_errno = EEXIST;
	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 4;
	capture_begin();
	assert_int_equal(pfring_add_filtering_rule(ring, &rule), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_int_equal(errno, EEXIST);
	assert_string_equal(out, "pfring_add_filtering_rule: rule id 4 already exists on eth0\n");
	F.fail_errno = ENOENT;       /* pf_ring.ko: a plugin not loaded, or being unloaded */
	rule.plugin_action.plugin_id = 2;
	rule.extended_fields.filter_plugin_id = 3;
	capture_begin();
	assert_int_equal(pfring_add_filtering_rule(ring, &rule), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(out, "pfring_add_filtering_rule: rule 4 names a plugin that is not "
			    "loaded or is being unloaded (action plugin 2, filter plugin 3)\n");
	F.fail_opt = SO_HANDLE_HASH_FILTERING_RULE;
	{
		hash_filtering_rule hr;

		memset(&hr, 0, sizeof(hr));
		hr.plugin_action.plugin_id = 5;
		capture_begin();
		assert_true(pfring_handle_hash_filtering_rule(ring, &hr, 1) < 0);
		capture_end(out, sizeof(out));
		assert_int_equal(errno, ENOENT);
		assert_string_equal(out, "pfring_handle_hash_filtering_rule: the rule names a plugin "
				    "that is not loaded or is being unloaded (action plugin 5)\n");
		capture_begin();   /* removing a rule that is not there: no plugin message */
		assert_true(pfring_handle_hash_filtering_rule(ring, &hr, 0) < 0);
		capture_end(out, sizeof(out));
		assert_int_equal(errno, ENOENT);
		assert_string_equal(out, "");
	}

	F.fail_opt = SO_SET_CHANNEL_ID;
	F.fail_errno = ENOPROTOOPT;
	assert_int_equal(pfring_set_channel_id(ring, 1), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, ENOPROTOOPT);
	F.fail_errno = EIO;
	assert_int_equal(pfring_set_channel_id(ring, 1), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EIO);
	F.fail_errno = ENOMEM;
	assert_int_equal(pfring_set_channel_id(ring, 1), PF_RING_ERROR_NOT_ENOUGH_MEMORY);
	assert_int_equal(errno, ENOMEM);
	F.fail_opt = SO_SET_POLL_WATERMARK;
	F.fail_errno = EINVAL;
	assert_int_equal(pfring_set_poll_watermark(ring, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(ring->poll_watermark, DEFAULT_POLL_WATERMARK);   /* unchanged */
	F.fail_opt = SO_GET_RING_ID;
	assert_int_equal(pfring_get_ring_id(ring), (u_int16_t)PF_RING_ERROR_INVALID_ARGUMENT);
	F.fail_opt = SO_GET_NUM_RX_CHANNELS;
	assert_int_equal(pfring_get_num_rx_channels(ring), 1);

	/* an application name the kernel would refuse never reaches it */
	F.fail_opt = -1;
	memset(name, 'a', 64);
	name[64] = '\0';
	F.opt_calls = 0;
	capture_begin();
	assert_int_equal(pfring_set_application_name(ring, name), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_int_equal(F.opt_calls, 0);
	assert_non_null(strstr(out, "64 bytes, at most 63"));
	pfring_close(ring);
}

static void test_bpf(void **state)
{
	struct bpf_program bp;
	pcap_t *pc;
	pfring *ring;
	char out[512];
	unsigned int i;

	(void)state;
	ring = pfring_open("eth0", 1500, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_set_bpf_filter(ring, "tcp and port 80"), 0);
	assert_int_equal(F.last_level, SOL_SOCKET);
	assert_int_equal(F.last_opt, SO_ATTACH_FILTER);
	pc = pcap_open_dead(DLT_EN10MB, 1500);
	assert_int_equal(pcap_compile(pc, &bp, "tcp and port 80", 1, PCAP_NETMASK_UNKNOWN), 0);
	assert_int_equal(F.bpf_len, bp.bf_len);
	for (i = 0; i < bp.bf_len; i++) {
		assert_int_equal(F.bpf[i].code, bp.bf_insns[i].code);
		assert_int_equal(F.bpf[i].jt, bp.bf_insns[i].jt);
		assert_int_equal(F.bpf[i].jf, bp.bf_insns[i].jf);
		assert_int_equal(F.bpf[i].k, bp.bf_insns[i].k);
	}
	pcap_freecode(&bp);
	pcap_close(pc);
	assert_int_equal(pfring_remove_bpf_filter(ring), 0);
	assert_int_equal(F.last_opt, SO_DETACH_FILTER);
	assert_int_equal(F.bpf_attached, 0);
	assert_int_equal(pfring_remove_bpf_filter(ring), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOENT);

	F.opt_calls = 0;
	capture_begin();
	assert_int_equal(pfring_set_bpf_filter(ring, "tcp and and"), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_int_equal(F.opt_calls, 0);     /* never reaches the kernel */
	assert_non_null(strstr(out, "pfring_set_bpf_filter(\"tcp and and\"): "));

	F.fail_opt = SO_ATTACH_FILTER;
	F.fail_errno = EINVAL;
	capture_begin();
	assert_int_equal(pfring_set_bpf_filter(ring, "udp"), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_set_bpf_filter(\"udp\"): refused by the kernel: "
			    "Invalid argument\n");
	pfring_close(ring);
}

static void test_send(void **state)
{
	u_char frame[60];
	char out[512];
	pfring *ring;

	(void)state;
	memset(frame, 0x5a, sizeof(frame));
	ring = pfring_open("eth0", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	assert_int_equal(pfring_send(ring, (char *)frame, 60, 1), 60);
	assert_int_equal(F.sent_len, 60);
	assert_memory_equal(F.sent, frame, 60);
	assert_int_equal(pfring_send_ifindex(ring, (char *)frame, 42, 0, FAKE_IFINDEX), 42);
	capture_begin();
	assert_int_equal(pfring_send_ifindex(ring, (char *)frame, 42, 0, 3),
			 PF_RING_ERROR_NOT_SUPPORTED);
	capture_end(out, sizeof(out));
	assert_int_equal(F.sends, 2);
	/* longer than MTU + 18: the front refuses it with the MTU learnt at open */
	{
		static u_char big[1600];

		assert_int_equal(pfring_send(ring, (char *)big, 1519, 0),
				 PF_RING_ERROR_INVALID_ARGUMENT);
	}
	pfring_close(ring);

	ring = pfring_open("any", 128, 0);
	assert_non_null(ring);
	assert_int_equal(pfring_enable_ring(ring), 0);
	capture_begin();
	assert_int_equal(pfring_send(ring, (char *)frame, 60, 1),
			 PF_RING_ERROR_WRONG_CONFIGURATION);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_send: a ring bound to \"any\" cannot send (open the "
			    "device itself)\n");
	assert_int_equal(F.sends, 2);
	pfring_close(ring);
}

static void test_promisc(void **state)
{
	pfring *ring;

	(void)state;
	ring = pfring_open("eth0", 128, PF_RING_PROMISC);
	assert_non_null(ring);
	assert_true(F.if_flags & IFF_PROMISC);
	assert_int_equal(F.ifreqs_set, 1);
	pfring_close(ring);
	assert_false(F.if_flags & IFF_PROMISC);     /* restored */
	assert_int_equal(F.ifreqs_set, 2);

	F.if_flags = IFF_PROMISC | IFF_UP;              /* already on: left alone */
	ring = pfring_open("eth0@1", 128, PF_RING_PROMISC);
	assert_non_null(ring);
	pfring_close(ring);
	assert_int_equal(F.if_flags, IFF_PROMISC | IFF_UP);
	assert_int_equal(F.ifreqs_set, 2);
}

/* ================================================================ pure helpers */

/* name as pfring_open hands it to the backend: parsed (a syntax error is
 * the front's, its phrase in err), then pf_kmod_name_from. */
static int kmod_name(const char *name, struct pf_kmod_name *n, char *err, size_t errlen)
{
	struct pf_devname dn;
	int rc = pf_devname_parse(name, &dn);

	if (rc != PF_DEVNAME_OK) {
		snprintf(err, errlen, "%s", pf_devname_strerror(rc));
		return -1;
	}
	return pf_kmod_name_from(&dn, n, err, errlen);
}

static void test_parse_name(void **state)
{
	struct pf_kmod_name n;
	char err[128];

	(void)state;
	assert_int_equal(kmod_name("eth0", &n, err, sizeof(err)), 0);
	assert_string_equal(n.ifname, "eth0");
	assert_string_equal(n.bind_name, "eth0");
	assert_int_equal(n.queue, -1);
	assert_int_equal(n.any, 0);
	assert_int_equal(kmod_name("eth0@007", &n, err, sizeof(err)), 0);
	assert_string_equal(n.bind_name, "eth0@7");
	assert_int_equal(n.queue, 7);
	assert_int_equal(kmod_name("abcdefghijklmno@255", &n, err, sizeof(err)), 0);
	assert_string_equal(n.bind_name, "abcdefghijklmno@255");
	assert_int_equal(kmod_name("any", &n, err, sizeof(err)), 0);
	assert_int_equal(n.any, 1);
	assert_int_equal(kmod_name("eth0@1,5", &n, err, sizeof(err)), -1);
	assert_int_equal(kmod_name("eth0@256", &n, err, sizeof(err)), -1);
	assert_string_equal(err, "queue out of range (0..255)");
	assert_int_equal(kmod_name("sim:eth0", &n, err, sizeof(err)), -1);
	assert_string_equal(err, "a module prefix is not a pf_ring.ko device");
	assert_int_equal(kmod_name("eth0?x", &n, err, sizeof(err)), -1);
	assert_string_equal(err, "pf_ring.ko devices take no \"?options\"");
	assert_int_equal(kmod_name("", &n, err, sizeof(err)), -1);
	assert_int_equal(kmod_name(NULL, &n, err, sizeof(err)), -1);
}

static void test_pure_mappings(void **state)
{
	struct pf_ring_stats s = { .inserted = 1000, .dropped_full = 17, .refused = 3,
				   .read = 900, .queued = 100 };
	pfring_stat st;

	(void)state;
	assert_int_equal(pf_kmod_layout_flags(PF_RING_LONG_HEADER | PF_RING_PROMISC),
			 PF_RING_LAYOUT_LONG_HDR);
	assert_int_equal(pf_kmod_layout_flags(PF_RING_PROMISC | PF_RING_REENTRANT), 0);
	pf_kmod_stat_from_ring(&s, &st);
	assert_int_equal(st.recv, 1000);
	assert_int_equal(st.drop, 17);
	assert_int_equal(pf_kmod_error(EINVAL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pf_kmod_error(ENOPROTOOPT), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pf_kmod_error(ENODEV), PF_RING_ERROR_UNKNOWN_ADAPTER);
	assert_int_equal(pf_kmod_error(ENOBUFS), PF_RING_ERROR_NO_TX_SLOT_AVAILABLE);
	assert_int_equal(pf_kmod_error(EPROTO), PF_RING_ERROR_INVALID_LIB_VERSION);
	assert_int_equal(pf_kmod_error(EPERM), PF_RING_ERROR_GENERIC);
	assert_int_equal(errno, EPERM);
	assert_int_equal(pf_kmod_error(ENOMEM), PF_RING_ERROR_NOT_ENOUGH_MEMORY);
	assert_int_equal(errno, ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_kernel_not_loaded),
		cmocka_unit_test_setup_teardown(test_socket_errors, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_names_before_socket, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_get_device_ifindex, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_open_sequence_and_close, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_abi_mismatch, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_open_step_failures, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_recv_zero_copy_copy_stats, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_recv_corrupt_ring, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_long_header_and_last_rx, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_blocking_recv_and_poll, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_device_gone, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_options_layout, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_option_errors, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bpf, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_send, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_promisc, fake_setup, fake_teardown),
		cmocka_unit_test(test_parse_name),
		cmocka_unit_test(test_pure_mappings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
