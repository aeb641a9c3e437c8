/*
 * tests/unit/test_bench_traffic.c - the guest benchmark's traffic
 * (bench/guest/traffic.c): the frames every capture row sees, the paced sender
 * on a packet socket and on QEMU's stream framing, and the control frames by
 * which capbench asks the host's inject for them. Sockets are socketpairs.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/guest/traffic.h"

/* Flow 5, byte for byte (IPv4 header checksum 0x61bd, computed by hand). */
static void test_frame_bytes(void **state)
{
	static const uint8_t want[CB_FRAME_LEN] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
		0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0x61, 0xbd, 10, 0, 5, 1, 10, 1, 0, 1,
		0x04, 0x05, 0x13, 0x89, 0, 26, 0, 0,
	};
	uint8_t f[CB_FRAME_LEN];

	(void)state;
	cb_build_frame(f, 5);
	assert_memory_equal(f, want, CB_FRAME_LEN);
}

/* Packet socket: rate * secs datagrams of CB_FRAME_LEN, flows in turn. */
static void test_send_packets(void **state)
{
	int sv[2];
	uint8_t got[128], want[CB_FRAME_LEN];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(cb_send_paced(sv[0], 0, 100000, 0.0007, 3), 70);
	for (int k = 0; k < 70; k++) {
		assert_int_equal(recv(sv[1], got, sizeof(got), MSG_DONTWAIT), CB_FRAME_LEN);
		cb_build_frame(want, (unsigned)(k % 3));
		assert_memory_equal(got, want, CB_FRAME_LEN);
	}
	assert_int_equal(recv(sv[1], got, sizeof(got), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	close(sv[0]);
	close(sv[1]);
}

/* Stream: every frame after its length, 4 bytes big-endian, nothing else. */
static void test_send_stream(void **state)
{
	static uint8_t got[100 * (4 + CB_FRAME_LEN) + 1];
	static const uint8_t len[4] = { 0, 0, 0, CB_FRAME_LEN };
	uint8_t want[CB_FRAME_LEN];
	size_t have = 0;
	int sv[2], sz = 1 << 20;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	assert_int_equal(cb_send_paced(sv[0], 1, 100000, 0.001, 7), 100);
	close(sv[0]);
	for (ssize_t n; (n = read(sv[1], got + have, sizeof(got) - have)) > 0;)
		have += (size_t)n;
	assert_int_equal(have, 100 * (4 + CB_FRAME_LEN));
	for (int k = 0; k < 100; k++) {
		const uint8_t *p = got + k * (4 + CB_FRAME_LEN);

		cb_build_frame(want, (unsigned)(k % 7));
		assert_memory_equal(p, len, 4);
		assert_memory_equal(p + 4, want, CB_FRAME_LEN);
	}
	close(sv[1]);
}

/* A peer gone: -1 and the errno, not a count. */
static void test_send_error(void **state)
{
	int sv[2];

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	errno = 0;
	assert_int_equal(cb_send_paced(sv[0], 1, 100000, 0.001, 1), -1);
	assert_int_equal(errno, EPIPE);
	close(sv[0]);
}

static void test_control_frames(void **state)
{
	uint8_t f[CB_CTL_LEN], data[CB_FRAME_LEN];
	const char *t;

	(void)state;
	cb_ctl_frame(f, "CBGO 7 50000 3.000 64");
	assert_memory_equal(f, "\xff\xff\xff\xff\xff\xff", 6);
	assert_int_equal(f[12] << 8 | f[13], CB_CTL_ETHERTYPE);
	t = cb_ctl_text(f, CB_CTL_LEN);
	assert_non_null(t);
	assert_string_equal(t, "CBGO 7 50000 3.000 64");
	/* not one: a benchmark frame, a frame too short for a text */
	cb_build_frame(data, 0);
	assert_null(cb_ctl_text(data, CB_FRAME_LEN));
	assert_null(cb_ctl_text(f, 14));
	/* a text as long as the frame is cut, never read past it */
	memset(f + 14, 'x', CB_CTL_LEN - 14);
	t = cb_ctl_text(f, CB_CTL_LEN);
	assert_int_equal(strlen(t), CB_CTL_LEN - 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_bytes),
		cmocka_unit_test(test_send_packets),
		cmocka_unit_test(test_send_stream),
		cmocka_unit_test(test_send_error),
		cmocka_unit_test(test_control_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
