/*
 * tests/unit/api_sources.h - one ring per backend this machine can open, each
 * about to receive known frames, for the tests that run one check on every
 * backend (test_api_over_recv.c, test_bundle_backends.c):
 *
 *   sim        sim:NAME?pcap=ipv4_tcp.pcap                       5 frames
 *   pfsim      pfsim serving NAME with ipv4_tcp.pcap, sim:NAME    5 frames
 *   multi      multi:sim:NAMEa?pcap=ipv4_tcp.pcap;sim:NAMEb?pcap=ipv4_udp.pcap
 *              8 frames, taken in turn: tcp0 udp0 tcp1 udp1 tcp2 udp2 tcp3 tcp4
 *   userspace  userspace:usrN, a sender handle has sent ipv4_tcp.pcap's 5 frames
 *
 * The ring is opened with the flags given and not enabled. Include after
 * <cmocka.h>; the test's group setup is pfsim_dir_setup (pfsim_run.h).
 */
#ifndef PF_TEST_API_SOURCES_H
#define PF_TEST_API_SOURCES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfring.h>
#include "pcap_ref.h"
#include "pfsim_run.h"

#define SRC_FIX(name) FIXTURE_DIR "/" name

enum src_kind { SRC_SIM, SRC_PFSIM, SRC_MULTI, SRC_USERSPACE, SRC_KINDS };

static const char *const src_kind_name[SRC_KINDS] = { "sim", "pfsim", "multi", "userspace" };

struct src {
	enum src_kind kind;
	pfring *ring;
	pfring *sender;                 /* userspace: the handle that sent the frames */
	pid_t srv;                      /* pfsim */
	unsigned int frames;
	const u_char *data[8];          /* what the ring receives, in order */
	u_int32_t caplen[8];
	struct ref *tcp, *udp;
};


/* multi's order: its members in turn while both have frames. */
static const u_int8_t src_multi_order[8][2] = {         /* { is udp, index } */
	{ 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 }, { 0, 2 }, { 1, 2 }, { 0, 3 }, { 0, 4 },
};

static inline void src_expect(struct src *s)
{
	unsigned int i;

	for (i = 0; i < s->frames; i++) {
		const struct ref *r = s->tcp;
		unsigned int k = i;

		if (s->kind == SRC_MULTI) {
			r = src_multi_order[i][0] ? s->udp : s->tcp;
			k = src_multi_order[i][1];
		}
		s->data[i] = r->data[k];
		s->caplen[i] = r->caplen[k];
	}
}

/* Sends the 5 frames of ipv4_tcp.pcap into userspace:usrN from a handle of its own. */
static inline pfring *src_userspace_send(const char *dev, const struct ref *tcp)
{
	pfring *tx = pfring_open(dev, 0, 0);
	unsigned int i;

	assert_non_null(tx);
	assert_int_equal(pfring_set_socket_mode(tx, send_only_mode), 0);
	assert_int_equal(pfring_enable_ring(tx), 0);
	for (i = 0; i < tcp->n; i++)
		assert_int_equal(pfring_send(tx, (char *)tcp->data[i], tcp->caplen[i], 1),
				 (int)tcp->caplen[i]);
	return tx;
}

/* A source of kind; name makes its NICs, pfsim name and usrN its own (userspace:
 * a decimal number). pfsim holds its wire until pfsim_hold rings were enabled. */
static inline void src_open_held(struct src *s, enum src_kind kind, const char *name,
				 u_int32_t flags, const char *pfsim_hold)
{
	char dev[1024];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->tcp = ref_load(SRC_FIX("ipv4_tcp.pcap"), NULL);
	s->udp = ref_load(SRC_FIX("ipv4_udp.pcap"), NULL);
	s->frames = s->tcp->n;
	switch (kind) {
	case SRC_SIM:
		snprintf(dev, sizeof(dev), "sim:%s?pcap=%s", name, SRC_FIX("ipv4_tcp.pcap"));
		break;
	case SRC_PFSIM:
		s->srv = pfsim_start(pfsim_dir, name, "pcap=" SRC_FIX("ipv4_tcp.pcap"), pfsim_hold);
		snprintf(dev, sizeof(dev), "sim:%s", name);
		break;
	case SRC_MULTI:
		snprintf(dev, sizeof(dev), "multi:sim:%sa?pcap=%s;sim:%sb?pcap=%s", name,
			 SRC_FIX("ipv4_tcp.pcap"), name, SRC_FIX("ipv4_udp.pcap"));
		s->frames += s->udp->n;
		break;
	default:
		snprintf(dev, sizeof(dev), "userspace:usr%s", name);
		s->sender = src_userspace_send(dev, s->tcp);
		break;
	}
	s->ring = pfring_open(dev, 0, flags);
	assert_non_null(s->ring);
	src_expect(s);
}

static inline void src_open(struct src *s, enum src_kind kind, const char *name,
			    u_int32_t flags)
{
	src_open_held(s, kind, name, flags, "1");
}

static inline void src_close(struct src *s)
{
	pfring_close(s->ring);
	if (s->sender)
		pfring_close(s->sender);
	if (s->srv)
		pfsim_stop(s->srv);
	ref_free(s->tcp);
	ref_free(s->udp);
}

/* Frame i as the source sent it. */
static inline void src_assert_frame(const struct src *s, unsigned int i,
				    const struct pfring_pkthdr *h, const u_char *p)
{
	assert_true(i < s->frames);
	assert_int_equal(h->caplen, s->caplen[i]);
	assert_memory_equal(p, s->data[i], h->caplen);
}

#endif /* PF_TEST_API_SOURCES_H */
