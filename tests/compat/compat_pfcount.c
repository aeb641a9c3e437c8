/*
 * tests/compat/compat_pfcount.c - written the way 5.4.6's pfcount, pfcount_aggregator
 * and pfdnabounce use the API, built with their flags (gcc -O2 -Wall -DHAVE_ZERO,
 * -Werror added) and run on a sim: NIC replaying tests/fixtures/gtpu.pcap.
 *
 * Like them it includes nothing but pfring.h: stdio, stdlib, string and errno
 * come through it. Checks, with exact counts: GTP rules on
 * filtering_rule.extended_fields.tunnel (FILTER_TUNNEL_ID_FLAG), pfring_config,
 * pfring_get_device_ifindex, pfring_sync_indexes_with_kernel, likely/unlikely,
 * NO_PLUGIN_ID, ring->dna.*, the int-returning pkt_buff setters, and that
 * -DHAVE_ZERO brings libzero's API in.
 */
#include "pfring.h"
#include <sched.h>   /* only to look at what pfring_config() did */

#define NIC "sim:cpc"
#define FRAMES 9      /* gtpu.pcap */
#define TEID_OFF 46   /* Ethernet 14 + IPv4 20 + UDP 8 + GTP flags, type, length */

#define COMPAT_NAME "compat_pfcount"
#include "compat_check.h"

static pfring *open_nic(void)
{
	pfring *pd = pfring_open(NIC "?pcap=" FIXTURE_DIR "/gtpu.pcap", 128,
				 PF_RING_PROMISC | PF_RING_LONG_HEADER);

	if (pd == NULL) {
		fprintf(stderr, "pfring_open error [%s]\n", strerror(errno));
		exit(EXIT_FAILURE);
	}
	pfring_set_application_name(pd, "compat_pfcount");
	return pd;
}

/* Reads until the replay is over; the frames whose TEID field is teid. */
static int count(pfring *pd, u_int32_t teid, int *with_teid)
{
	struct pfring_pkthdr hdr;
	u_char *buffer;
	int n = 0, rc;

	*with_teid = 0;
	pfring_enable_ring(pd);
	while (likely((rc = pfring_recv(pd, &buffer, 0, &hdr, 0)) > 0)) {
		n++;
		if (hdr.caplen >= TEID_OFF + 4 &&
		    (u_int32_t)buffer[TEID_OFF] << 24 == (teid & 0xff000000u) &&
		    ((u_int32_t)buffer[TEID_OFF + 1] << 16 | (u_int32_t)buffer[TEID_OFF + 2] << 8 |
		     buffer[TEID_OFF + 3]) == (teid & 0xffffffu))
			(*with_teid)++;
		pfring_sync_indexes_with_kernel(pd);  /* pfcount_aggregator does, after reading */
	}
	if (unlikely(rc < 0))   /* pfcount's way of writing it */
		fprintf(stderr, "pfring_recv: %d\n", rc);
	CHECK(rc == 0);
	return n;
}

/* A rule that forwards one TEID, the ring dropping everything else. */
static int count_tunnel_rule(u_int16_t optional_fields, u_int32_t teid, int *with_teid)
{
	filtering_rule rule;
	pfring *pd = open_nic();
	int n;

	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 1;
	rule.rule_action = forward_packet_and_stop_rule_evaluation;
	rule.core_fields.proto = 17 /* UDP */;
	rule.extended_fields.optional_fields = optional_fields;
	rule.extended_fields.tunnel.tunnel_id = teid;
	rule.plugin_action.plugin_id = NO_PLUGIN_ID;
	CHECK(pfring_add_filtering_rule(pd, &rule) == 0);
	CHECK(pfring_toggle_filtering_policy(pd, 0) == 0);
	n = count(pd, teid, with_teid);
	pfring_close(pd);
	return n;
}

static void tunnel_rules(void)
{
	int with;

	/* with the flag: the frames of that TEID only */
	CHECK(count_tunnel_rule(FILTER_TUNNEL_ID_FLAG, 0xDEADBEEF, &with) == 1 && with == 1);
	CHECK(count_tunnel_rule(FILTER_TUNNEL_ID_FLAG, 0x11223344, &with) == 1 && with == 1);
	CHECK(count_tunnel_rule(FILTER_TUNNEL_ID_FLAG, 0, &with) == 1 && with == 1); /* echo */
	CHECK(count_tunnel_rule(FILTER_TUNNEL_ID_FLAG, 0x12345678, &with) == 0);
	/* without it (pfcount's own GTP rules): the TEID is not looked at, as in 5.4.6 */
	CHECK(count_tunnel_rule(0, 0x12345678, &with) == FRAMES);  /* every frame is UDP */
}

static void device_ifindex(void)
{
	pfring *pd = open_nic();
	int bound = -1, ifindex = -1;

	CHECK(pfring_get_bound_device_ifindex(pd, &bound) == 0);
	CHECK(pfring_get_device_ifindex(pd, NIC, &ifindex) == 0 && ifindex == bound);
	ifindex = -1;
	CHECK(pfring_get_device_ifindex(pd, "cpc", &ifindex) == 0 && ifindex == bound);
	errno = 0;
	CHECK(pfring_get_device_ifindex(pd, "sim:nosuch", &ifindex) ==
	      PF_RING_ERROR_UNKNOWN_ADAPTER && errno == ENODEV);
	/* libpcap-ring reads and writes these */
	CHECK(pd->dna.dna_mapped_device == 0 && pd->dna.dna_rx_sync_watermark == 0);
	pd->dna.dna_rx_sync_watermark = 16;
	pfring_close(pd);
}

/* pfdnabounce: if (pfring_set_pkt_buff_len(...) < 0) ... */
static void pkt_buff_setters(void)
{
	pfring *pd = open_nic();
	u_char fake_buffer[64];
	pfring_pkt_buff *b = fake_buffer;

	CHECK(pfring_set_pkt_buff_len(pd, b, 60) == PF_RING_ERROR_NOT_SUPPORTED);
	CHECK(errno == EOPNOTSUPP);
	CHECK(pfring_set_pkt_buff_ifindex(pd, b, 1) == PF_RING_ERROR_NOT_SUPPORTED);
	CHECK(pfring_add_pkt_buff_ifindex(pd, b, 1) == PF_RING_ERROR_NOT_SUPPORTED);
	CHECK(pfring_set_pkt_buff_len(pd, NULL, 60) == PF_RING_ERROR_INVALID_ARGUMENT);
	pfring_close(pd);
}

/* pfcount -p: SCHED_FIFO at that priority; the first call that works wins. */
static void config(void)
{
	struct sched_param sp;

	errno = 0;
	pfring_config(0);                 /* no FIFO priority 0: a message, errno */
	CHECK(errno == EINVAL && sched_getscheduler(0) == SCHED_OTHER);
	pfring_config(1);
	CHECK(sched_getscheduler(0) == SCHED_FIFO);
	pfring_config(2);
	CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == 1);
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
}

int main(void)
{
	tunnel_rules();
	device_ifindex();
	pkt_buff_setters();
#ifdef HAVE_ZERO
	{
		/* pfring_zero.h came through pfring.h; libzero is built */
		pfring_dna_cluster *c = dna_cluster_create(1, 2, 0);

		CHECK(c != NULL && DNA_CLUSTER_MAX_NUM_SLAVES == 32);
		if (c != NULL)
			dna_cluster_destroy(c);
	}
#endif
	config();
	if (COMPAT_FAILED())
		return EXIT_FAILURE;
	printf("compat_pfcount: ok\n");
	return EXIT_SUCCESS;
}
