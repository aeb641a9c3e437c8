/*
 * lib/api_compat.c - the functions 5.4.6's pfring.h declares that the guide
 * does not: process setup, consumer plugins, channel masks, device indexes, the
 * loopback benchmark and the DNA TX-slot calls. What each does on which backend:
 * docs/api.md ("5.4.6 only"); why: docs/decisions.md.
 */
#include <sched.h>
#include <string.h>

#include "lib/api_internal.h"

/* 5.4.6's kernel refused loopback tests above its 4 MiB buffer. */
#define PF_LOOPBACK_TEST_MAX (4u * 1024u * 1024u)

/*
 * 5.4.6: run the process with SCHED_FIFO at priority cpu_percentage, once. The
 * first call that succeeds wins and later calls do nothing; a failure prints
 * one line and keeps errno (5.4.6 printed and exit()ed: a library must not).
 */
void pfring_config(u_short cpu_percentage)
{
	static int configured;
	struct sched_param sp;

	if (__atomic_load_n(&configured, __ATOMIC_ACQUIRE))
		return;
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = cpu_percentage;
	if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0) {
		int err = errno;

		pf_api_message("pfring_config(%u): cannot run with SCHED_FIFO priority %u: %s",
			       cpu_percentage, cpu_percentage, strerror(err));
		errno = err;
		return;
	}
	__atomic_store_n(&configured, 1, __ATOMIC_RELEASE);
}

int pfring_bind(pfring *ring, char *device_name)
{
	static int said;

	PF_REQUIRE(ring && device_name);
	return pf_api_unsupported_why(&said, "pfring_bind(\"%s\"): a ring is bound to its "
				      "device by pfring_open(); to read several devices "
				      "open \"multi:DEV1;DEV2\"", device_name);
}

/* 5.4.6: the id of the kernel plugin that consumes this ring's packets, 0 = none. */
u_int8_t pfring_get_packet_consumer_mode(pfring *ring)
{
	if (ring == NULL) {
		pf_api_invalid();
		return 0;
	}
	return ring->kernel_packet_consumer;
}

/* Kernel consumer plugins (5.4.6's pfring_packet_start/reader) are not part of
 * pfring's plugin interface (core/plugin.h): no backend has them. */
int pfring_set_packet_consumer_mode(pfring *ring, u_int8_t plugin_id,
				    char *plugin_data, u_int plugin_data_len)
{
	static int said;

	PF_REQUIRE(ring && (plugin_data != NULL || plugin_data_len == 0));
	return pf_api_unsupported_why(&said, "pfring_set_packet_consumer_mode(%u): kernel "
				      "consumer plugins are not supported by this version "
				      "of pfring", plugin_id);
}

pfring *pfring_open_consumer(const char *device_name, u_int32_t caplen, u_int32_t flags,
			     u_int8_t consumer_plugin_id, char *consumer_data,
			     u_int consumer_data_len)
{
	pfring *ring = pfring_open(device_name, caplen, flags);
	int rc, err;

	if (ring == NULL || consumer_plugin_id == 0)
		return ring;
	rc = pfring_set_packet_consumer_mode(ring, consumer_plugin_id, consumer_data,
					     consumer_data_len);
	if (rc < 0) {
		err = errno;
		pfring_close(ring);
		errno = err;
		return NULL;
	}
	ring->kernel_packet_consumer = consumer_plugin_id;
	return ring;
}

/*
 * 5.4.6 bound a ring to a set of RX queues by a 32-bit mask. A ring of pfring
 * reads one queue or every queue: a mask of one bit is that queue, the full
 * mask every queue; other sets are NOT_SUPPORTED, 0 is invalid.
 */
int pfring_set_channel_mask(pfring *ring, u_int32_t channel_mask)
{
	static int said;

	PF_REQUIRE(ring && channel_mask != 0);
	if (channel_mask == 0xffffffffu)
		return pfring_set_channel_id(ring, RING_ANY_CHANNEL);
	if ((channel_mask & (channel_mask - 1)) == 0)
		return pfring_set_channel_id(ring, (u_int32_t)__builtin_ctz(channel_mask));
	return pf_api_unsupported_why(&said, "pfring_set_channel_mask(0x%x): a ring reads one "
				      "RX queue or all of them (one bit, or 0xffffffff)",
				      channel_mask);
}

int pfring_get_device_ifindex(pfring *ring, char *device_name, int *if_index)
{
	PF_REQUIRE(ring && device_name && if_index);
	PF_REQUIRE_OP(ring, get_device_ifindex);
	return ring->backend->get_device_ifindex(ring, device_name, if_index);
}

int pfring_set_virtual_device(pfring *ring, virtual_filtering_device_info *info)
{
	static int said;

	PF_REQUIRE(ring && info);
	return pf_api_unsupported_why(&said, "pfring_set_virtual_device(\"%.16s\"): virtual "
				      "filtering devices are not supported by this version "
				      "of pfring", info->device_name);
}

/* 5.4.6's copy benchmark (pfsystest): the home copies test_len bytes, each its
 * index & 0xff, into buffer; test_len is cut to buffer_len, as 5.4.6 did. */
int pfring_loopback_test(pfring *ring, char *buffer, u_int buffer_len, u_int test_len)
{
	PF_REQUIRE(ring && buffer);
	PF_REQUIRE_OP(ring, loopback_test);
	if (test_len > buffer_len)
		test_len = buffer_len;
	if (test_len > PF_LOOPBACK_TEST_MAX) {
		pf_api_message("pfring_loopback_test: %u bytes, at most %u", test_len,
			       PF_LOOPBACK_TEST_MAX);
		return pf_api_invalid();
	}
	return ring->backend->loopback_test(ring, buffer, test_len);
}

/* 5.4.6's DNA rings told the kernel how far they had read; every ring of pfring
 * publishes its read offset at each recv (core/ring.h): nothing is left to do. */
void pfring_sync_indexes_with_kernel(pfring *ring)
{
	if (ring == NULL)
		pf_api_invalid();
}

/* ---------------------------------------- zero-copy TX slots (DNA only) */

static int dna_said;

static int no_dna_slots(const char *call)
{
	return pf_api_unsupported_why(&dna_said, "%s: TX/RX slots are DNA's (zero-copy "
				      "NIC rings): this ring is not a dna: ring: 0 slots, "
				      "send with pfring_send()", call);
}

/* 0 when the ring has no slots (after a message), else the backend's answer. */
static u_int slots_of(pfring *ring, u_int (*op)(pfring *), const char *call)
{
	if (ring == NULL)
		pf_api_invalid();
	else if (op)
		return op(ring);
	else
		no_dna_slots(call);
	return 0;
}

u_int pfring_get_num_tx_slots(pfring *ring)
{
	return slots_of(ring, ring ? ring->backend->get_num_tx_slots : NULL,
			"pfring_get_num_tx_slots");
}

u_int pfring_get_num_rx_slots(pfring *ring)
{
	return slots_of(ring, ring ? ring->backend->get_num_rx_slots : NULL,
			"pfring_get_num_rx_slots");
}

/* Silent without slots: 5.4.6 programs call it only after
 * dna_get_num_tx_slots, which has said why. */
u_int pf_api_next_free_tx_slot(pfring *ring)
{
	if (ring && PF_HAS(ring, get_next_free_tx_slot))
		return ring->backend->get_next_free_tx_slot(ring);
	if (ring == NULL)
		pf_api_invalid();
	else
		pf_api_unsupported();
	return 0;
}

int pfring_copy_tx_packet_into_slot(pfring *ring, u_int16_t tx_slot_id, char *buffer,
				    u_int len)
{
	int rc;

	PF_REQUIRE(ring && buffer);
	if (!PF_HAS(ring, copy_tx_packet_into_slot))
		return no_dna_slots("pfring_copy_tx_packet_into_slot");
	pf_tx_lock(ring);
	rc = ring->backend->copy_tx_packet_into_slot(ring, tx_slot_id, buffer, len);
	pf_tx_unlock(ring);
	return rc;
}
