/*
 * tests/unit/test_api_compat.c - the functions 5.4.6's pfring.h declares beyond the
 * guide (lib/api_compat.c) and the function-pointer members of the handle
 * (lib/api_members.c), on sim: rings: return codes, errno, messages, and
 * what each changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pfring.h>
#include "stderr_capture.h"

#define DEV "sim:apc?gen=flows:50&count=200&queues=4"

static pfring *ring;

static int setup(void **state)
{
	(void)state;
	ring = pfring_open(DEV, 128, 0);
	return ring == NULL;
}

static int teardown(void **state)
{
	(void)state;
	pfring_close(ring);
	return 0;
}

/* Frames ring gets before the wire (200 frames) runs dry. */
static int drain(pfring *r)
{
	struct pfring_pkthdr h;
	u_char *p;
	int n = 0;

	pfring_enable_ring(r);
	while (pfring_recv(r, &p, 0, &h, 0) > 0)
		n++;
	return n;
}

/* Every function-pointer member, close .. dna_copy_tx_packet_into_slot, is set. */
static void test_members_never_null(void **state)
{
	const char *first = (const char *)&ring->close;
	const char *end = (const char *)&ring->dna_copy_tx_packet_into_slot +
			  sizeof(ring->dna_copy_tx_packet_into_slot);
	size_t off, k, n = 0;

	(void)state;
	for (off = 0; first + off < end; off += sizeof(void (*)(void))) {
		int zero = 1;

		for (k = 0; k < sizeof(void (*)(void)); k++)
			zero &= first[off + k] == 0;
		assert_false(zero);
		n++;
	}
	assert_int_equal(n, 76);
	assert_ptr_equal(ring->send, pfring_send);
	assert_ptr_equal(ring->remove_hw_rule, pfring_remove_hw_rule_by_id);
	assert_int_equal(ring->rdi.device_id, -1);
	assert_int_equal(ring->rdi.port_id, -1);
	assert_int_equal(ring->ft_device_type, standard_nic_family);
	/* outside DNA the dna_* members fail, errno EOPNOTSUPP */
	errno = 0;
	assert_int_equal(ring->dna_init(ring), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(ring->dna_enable(ring), PF_RING_ERROR_NOT_SUPPORTED);
	errno = 0;
	ring->dna_term(ring);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(ring->dna_check_packet_to_read(ring, 0), 0);
	assert_null(ring->dna_next_packet(ring, NULL, 0, NULL));
	assert_int_equal(ring->dna_get_next_free_tx_slot(ring), 0);
	/* a member does what its function does: the sim: ring really captures */
	assert_int_equal(ring->set_channel_id(ring, RING_ANY_CHANNEL), 0);
	assert_int_equal(drain(ring), 200);
}

static void test_set_channel_mask(void **state)
{
	char out[256];
	pfring *all = pfring_open("sim:apc", 128, 0);
	int q2, total;

	(void)state;
	assert_non_null(all);
	assert_int_equal(pfring_set_channel_mask(ring, 1u << 2), 0);   /* queue 2 only */
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_set_channel_mask(ring, 0x5), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(pfring_set_channel_mask(ring, 0x6), PF_RING_ERROR_NOT_SUPPORTED);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_set_channel_mask(0x5): a ring reads one RX queue or "
			    "all of them (one bit, or 0xffffffff)\n");   /* once */
	assert_int_equal(pfring_set_channel_mask(ring, 0), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_begin();
	assert_int_equal(pfring_set_channel_mask(ring, 1u << 9), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_set_channel_id: sim:apc has 4 RX queues, no queue 9\n");
	pfring_enable_ring(all);
	pfring_enable_ring(ring);
	/* the queue-2 ring sees a part of what the every-queue ring sees */
	q2 = 0;
	total = 0;
	for (;;) {
		struct pfring_pkthdr h;
		u_char *p;
		int a = pfring_recv(all, &p, 0, &h, 0), b = pfring_recv(ring, &p, 0, &h, 0);

		total += a > 0;
		q2 += b > 0;
		if (a <= 0 && b <= 0)
			break;
	}
	assert_int_equal(total, 200);
	assert_true(q2 > 0 && q2 < 200);
	pfring_close(all);

	assert_int_equal(pfring_set_channel_mask(ring, 0xffffffffu), 0); /* every queue */
}

static void test_device_ifindex_and_loopback(void **state)
{
	char buf[600];
	int bound = 0, ifindex = 0, i;

	(void)state;
	assert_int_equal(pfring_get_bound_device_ifindex(ring, &bound), 0);
	assert_int_equal(pfring_get_device_ifindex(ring, "sim:apc", &ifindex), 0);
	assert_int_equal(ifindex, bound);
	assert_int_equal(pfring_get_device_ifindex(ring, NULL, &ifindex),
			 PF_RING_ERROR_INVALID_ARGUMENT);

	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(pfring_loopback_test(ring, buf, 300, 500), 0);   /* cut to 300 */
	for (i = 0; i < 300; i++)
		assert_int_equal((u_char)buf[i], i & 0xff);
	assert_int_equal((u_char)buf[300], 0x77);
	assert_int_equal(pfring_loopback_test(ring, NULL, 10, 10), PF_RING_ERROR_INVALID_ARGUMENT);
}

static void test_unsupported_with_one_message(void **state)
{
	virtual_filtering_device_info info;
	char out[1024], data[4] = "abc";
	pfring *c;

	(void)state;
	memset(&info, 0, sizeof(info));
	strcpy(info.device_name, "virt0");
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_bind(ring, "sim:other"), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(pfring_bind(ring, "sim:other"), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_virtual_device(ring, &info), PF_RING_ERROR_NOT_SUPPORTED);
	assert_int_equal(pfring_set_packet_consumer_mode(ring, 3, data, 3),
			 PF_RING_ERROR_NOT_SUPPORTED);
	/* open_consumer: plugin 0 is a plain open; another closes the ring, NULL */
	c = pfring_open_consumer("sim:apc", 128, 0, 7, data, 3);
	assert_null(c);
	assert_int_equal(errno, EOPNOTSUPP);
	c = pfring_open_consumer("sim:apc", 128, 0, 0, NULL, 0);
	assert_non_null(c);
	assert_int_equal(pfring_get_packet_consumer_mode(c), 0);
	pfring_close(c);
	errno = 0;
	assert_int_equal(pfring_get_num_tx_slots(ring), 0);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(pfring_get_num_rx_slots(ring), 0);
	assert_int_equal(pfring_copy_tx_packet_into_slot(ring, 0, data, 3),
			 PF_RING_ERROR_NOT_SUPPORTED);
	capture_end(out, sizeof(out));
	assert_string_equal(out,
		"pfring_bind(\"sim:other\"): a ring is bound to its device by pfring_open(); "
		"to read several devices open \"multi:DEV1;DEV2\"\n"
		"pfring_set_virtual_device(\"virt0\"): virtual filtering devices are not "
		"supported by this version of pfring\n"
		"pfring_set_packet_consumer_mode(3): kernel consumer plugins are not supported "
		"by this version of pfring\n"
		"pfring_get_num_tx_slots: TX/RX slots are DNA's (zero-copy NIC rings): this "
		"ring is not a dna: ring: 0 slots, send with pfring_send()\n");
}

/* Bad arguments: INVALID_ARGUMENT (or 0 / nothing), errno EINVAL. */
static void test_null_arguments(void **state)
{
	char out[128];

	(void)state;
	errno = 0;
	pfring_sync_indexes_with_kernel(NULL);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	pfring_sync_indexes_with_kernel(ring);  /* nothing to sync: no error */
	assert_int_equal(errno, 0);
	assert_int_equal(pfring_bind(NULL, "x"), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bind(ring, NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_set_channel_mask(NULL, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_set_virtual_device(ring, NULL), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_get_packet_consumer_mode(NULL), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_set_packet_consumer_mode(ring, 1, NULL, 4),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_get_num_tx_slots(NULL), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfring_copy_tx_packet_into_slot(ring, 0, NULL, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_remove_hw_rule_by_id(NULL, 1), PF_RING_ERROR_INVALID_ARGUMENT);
	capture_begin();
	assert_int_equal(pfring_loopback_test(ring, (char *)&ring, 8u << 20, 5u << 20),
			 PF_RING_ERROR_INVALID_ARGUMENT);   /* above 5.4.6's 4 MiB */
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_loopback_test: 5242880 bytes, at most 4194304\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_members_never_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_channel_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_ifindex_and_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsupported_with_one_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_arguments, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
