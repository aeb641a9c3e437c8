/*
 * tests/unit/zc_rig.h - the DNA Cluster tests' rig (test_zc_cluster.c,
 * test_zc_cluster_api.c): frames the test builds, each carrying its index in
 * its payload; two registered sim: rings, "a" (ring 0) and "b" (ring 1, its
 * sends recorded in a txpcap file), whose own sources lose their one frame
 * on the wire (drop=1: a sim NIC needs a source), so the master receives
 * only what the test sends; an injector NIC whose sends arrive on "a".
 * Include after <cmocka.h>.
 */
#ifndef PF_TESTS_ZC_RIG_H
#define PF_TESTS_ZC_RIG_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <pcap/pcap.h>

#include "pfring.h"
#include "pfring_zero.h"
#include "backends/zero/cluster.h"
#include "core/hash.h"
#include "core/parse.h"
#include "pkt_build.h"

#define MAX_FRAMES  2048
#define FRAME_MAX   96
#define IDX_OFF     42     /* Ethernet + IPv4 + UDP: the frame index */
#define WAIT_MS     8000

/* ------------------------------------------------------------ frames */

static uint8_t frames[MAX_FRAMES][FRAME_MAX];
static uint32_t frame_len[MAX_FRAMES];

/* Frame i: flow (i / 2) % flows, client -> server when i is even, back when odd. */
static inline void build_frames(uint32_t n, uint32_t flows)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t fl = (i / 2) % flows;
		struct pb_flow f = pb_udp4(0x0a000001 + fl * 77, 0xc0a80001 + fl * 13,
					   (uint16_t)(1024 + fl), 53);
		struct pb_flow r = pb_reverse(&f);
		struct pb_flow *use = (i & 1) ? &r : &f;

		use->payload = &i;
		use->plen = 4;
		frame_len[i] = pb_build(frames[i], FRAME_MAX, use);
		assert_true(frame_len[i] > IDX_OFF + 4);
	}
}

static inline uint32_t frame_index(const uint8_t *data)
{
	uint32_t i;

	memcpy(&i, data + IDX_OFF, 4);
	return i;
}

/* core's bidirectional IP hash of a frame: what the default distribution uses. */
static inline uint32_t core_hash(const uint8_t *data, uint32_t len)
{
	struct pkt_parsing_info info;

	pf_parse(data, len, PF_RING_PARSE_L3, &info);
	return pf_flow_hash(&info, cluster_per_flow_2_tuple, 0);
}

/* ------------------------------------------------------------ the rig */

struct rig {
	pfring_dna_cluster *c;
	pfring *a, *b, *inj;
	uint32_t id, a_ifindex, b_ifindex;
	char txpcap[128];
};

static unsigned int rig_seq;

static inline uint32_t cluster_id_of(unsigned int k)
{
	return (uint32_t)getpid() * 16 + k;
}

static inline uint64_t ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static inline struct pf_zc_cluster_counters ctr(struct rig *r)
{
	struct pf_zc_cluster_counters c;

	pf_zc_cluster_counters(r->c, &c);
	return c;
}

#define WAIT_FOR(cond)                                                          \
	do {                                                                    \
		uint64_t until_ = ms_now() + WAIT_MS;                           \
		while (!(cond) && ms_now() < until_)                            \
			usleep(500);                                            \
		assert_true(cond);                                              \
	} while (0)

/* Opens the NICs and the cluster (not enabled yet). */
static inline void rig_open(struct rig *r, uint32_t num_slaves, uint32_t flags, uint32_t slots,
		     uint32_t additional)
{
	char dev[256];
	unsigned int k = rig_seq++;
	int ifi;

	memset(r, 0, sizeof(*r));
	r->id = cluster_id_of(k);
	snprintf(r->txpcap, sizeof(r->txpcap), "/tmp/test_zc_cluster.%d.%u.pcap", getpid(), k);
	snprintf(dev, sizeof(dev), "sim:zc%ua?gen=flows:1,vlan:9&count=1&drop=1", k);
	r->a = pfring_open(dev, 1536, PF_RING_PROMISC);
	snprintf(dev, sizeof(dev), "sim:zc%ub?gen=flows:1,vlan:9&count=1&drop=1&txpcap=%s", k,
		 r->txpcap);
	r->b = pfring_open(dev, 1536, PF_RING_PROMISC);
	snprintf(dev, sizeof(dev), "sim:zc%ui?gen=flows:1&count=1&peer=zc%ua", k, k);
	r->inj = pfring_open(dev, 1536, 0);
	assert_non_null(r->a);
	assert_non_null(r->b);
	assert_non_null(r->inj);
	assert_int_equal(pfring_set_socket_mode(r->inj, send_only_mode), 0);
	assert_int_equal(pfring_enable_ring(r->inj), 0);
	assert_int_equal(pfring_get_bound_device_ifindex(r->a, &ifi), 0);
	r->a_ifindex = (uint32_t)ifi;
	assert_int_equal(pfring_get_bound_device_ifindex(r->b, &ifi), 0);
	r->b_ifindex = (uint32_t)ifi;
	r->c = dna_cluster_create(r->id, num_slaves, flags);
	assert_non_null(r->c);
	assert_int_equal(dna_cluster_low_level_settings(r->c, slots, slots, additional), 0);
	assert_int_equal(dna_cluster_register_ring(r->c, r->a), 0);
	assert_int_equal(dna_cluster_register_ring(r->c, r->b), 0);
	dna_cluster_set_wait_mode(r->c, 0);
}

/* Enables it: the pool exists from here, slaves may attach (before or after
 * the frames come: a slave's frames wait in its queue until it attaches). */
static inline void rig_enable(struct rig *r)
{
	assert_int_equal(dna_cluster_enable(r->c), 0);
}

static inline void inject(struct rig *r, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		assert_int_equal(pfring_send(r->inj, (char *)frames[i], frame_len[i], 1),
				 (int)frame_len[i]);
}

/* Destroys the cluster (it closes a and b) and the injector. */
static inline void rig_close(struct rig *r)
{
	dna_cluster_destroy(r->c);
	pfring_close(r->inj);
}

/* What b sent, in txpcap order: frame indexes into out[], byte-checked. */
static inline uint32_t b_sent(struct rig *r, uint32_t *out, uint32_t max)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	uint32_t n = 0;
	pcap_t *p = pcap_open_offline(r->txpcap, err);

	assert_non_null(p);
	while (pcap_next_ex(p, &h, &d) == 1) {
		uint32_t i = frame_index(d);

		assert_true(n < max && i < MAX_FRAMES);
		assert_int_equal(h->caplen, frame_len[i]);
		assert_memory_equal(d, frames[i], frame_len[i]);
		out[n++] = i;
	}
	pcap_close(p);
	unlink(r->txpcap);
	return n;
}

static inline int unlink_names(void **state)
{
	(void)state;
	for (unsigned int k = 0; k < 16; k++) {
		char name[64];

		snprintf(name, sizeof(name), "/pfring_zero.%u", cluster_id_of(k));
		shm_unlink(name);
	}
	return 0;
}

#endif
