/*
 * tests/compat/compat_daq.c - written the way Snort's daq_pfring.c (5.4.6) uses the
 * API, built with its flags: -std=c99 -pedantic -Wall -Wextra -D_GNU_SOURCE
 * -fvisibility=hidden (-Werror added). Run on a sim: NIC replaying
 * tests/fixtures/many_flows.pcap.
 *
 * Like daq_pfring.c it gets errno, EINTR and snprintf through pfring.h, and builds
 * hash rules with NO_PLUGIN_ID (its "whitelist/blacklist" verdicts). Also calls
 * pfring_remove_hw_rule in both forms under ISO C99 -pedantic.
 */
#include <stdlib.h>
#include <string.h>
#include "pfring.h"

#define COMPAT_NAME "compat_daq"
#include "compat_check.h"

static int same_flow(const struct pkt_parsing_info *a, const struct pkt_parsing_info *b)
{
	return a->l3_proto == b->l3_proto &&
	       ((a->ipv4_src == b->ipv4_src && a->ipv4_dst == b->ipv4_dst &&
		 a->l4_src_port == b->l4_src_port && a->l4_dst_port == b->l4_dst_port) ||
		(a->ipv4_src == b->ipv4_dst && a->ipv4_dst == b->ipv4_src &&
		 a->l4_src_port == b->l4_dst_port && a->l4_dst_port == b->l4_src_port));
}

/* Every frame; *first the first one's header, *of_first the frames of its flow. */
static u_int read_all(pfring *ring, struct pfring_pkthdr *first, u_int *of_first)
{
	struct pfring_pkthdr hdr;
	u_char *data;
	u_int n = 0;
	int rc;

	for (;;) {
		rc = pfring_recv(ring, &data, 0, &hdr, 0);
		if (rc < 0 && errno == EINTR)   /* daq_pfring.c's loop */
			continue;
		if (rc <= 0)
			break;
		if (n++ == 0 && first)
			*first = hdr;
		if (first && same_flow(&hdr.extended_hdr.parsed_pkt, &first->extended_hdr.parsed_pkt))
			(*of_first)++;
	}
	CHECK(rc == 0);
	return n;
}

int main(void)
{
	char errbuf[256];
	hash_filtering_rule hash_rule;
	hw_filtering_rule hw;
	struct pfring_pkthdr first;
	pfring_stat st;
	pfring *ring;
	u_int total, rest, flow = 0;
	u_int16_t rule_id = 9;

	ring = pfring_open("sim:cdaq?pcap=" FIXTURE_DIR "/many_flows.pcap", 1518,
			   PF_RING_LONG_HEADER | PF_RING_PROMISC);
	if (ring == NULL) {
		snprintf(errbuf, sizeof(errbuf), "pfring_open(): %s", strerror(errno));
		fprintf(stderr, "%s\n", errbuf);
		return EXIT_FAILURE;
	}
	pfring_enable_ring(ring);
	total = read_all(ring, &first, &flow);
	CHECK(first.extended_hdr.parsed_pkt.ip_version == 4 && flow >= 1);
	CHECK(pfring_stats(ring, &st) == 0 && st.recv == total && st.drop == 0);
	pfring_close(ring);

	/* a blacklisted flow, as the DAQ's DAQ_VERDICT_BLACKLIST does: the first
	 * frame's 5-tuple, dropped from then on (in both directions) */
	ring = pfring_open("sim:cdaq?pcap=" FIXTURE_DIR "/many_flows.pcap", 1518,
			   PF_RING_LONG_HEADER | PF_RING_PROMISC);
	CHECK(ring != NULL);
	if (ring == NULL)
		return EXIT_FAILURE;
	memset(&hash_rule, 0, sizeof(hash_rule));
	hash_rule.rule_action = dont_forward_packet_and_stop_rule_evaluation;
	hash_rule.vlan_id = first.extended_hdr.parsed_pkt.vlan_id;
	hash_rule.proto = first.extended_hdr.parsed_pkt.l3_proto;
	hash_rule.host4_peer_a = first.extended_hdr.parsed_pkt.ipv4_src;
	hash_rule.host4_peer_b = first.extended_hdr.parsed_pkt.ipv4_dst;
	hash_rule.port_peer_a = first.extended_hdr.parsed_pkt.l4_src_port;
	hash_rule.port_peer_b = first.extended_hdr.parsed_pkt.l4_dst_port;
	hash_rule.plugin_action.plugin_id = NO_PLUGIN_ID;
	CHECK(pfring_handle_hash_filtering_rule(ring, &hash_rule, 1 /* add_rule */) == 0);
	pfring_enable_ring(ring);
	rest = read_all(ring, NULL, NULL);
	CHECK(rest == total - flow);

	/* pfring_remove_hw_rule: 5.4.6's form (an id), then the guide's (a rule) */
	memset(&hw, 0, sizeof(hw));
	hw.rule_family_type = intel_82599_perfect_filter_rule;
	hw.rule_id = rule_id;
	CHECK(pfring_add_hw_rule(ring, &hw) == 0);
	CHECK(pfring_remove_hw_rule(ring, rule_id) == 0);
	CHECK(pfring_remove_hw_rule(ring, rule_id) == PF_RING_ERROR_INVALID_ARGUMENT);
	CHECK(pfring_add_hw_rule(ring, &hw) == 0);
	CHECK(pfring_remove_hw_rule(ring, &hw) == 0);
	CHECK(pfring_remove_hw_rule_by_id(ring, rule_id) == PF_RING_ERROR_INVALID_ARGUMENT);
	pfring_close(ring);

	if (COMPAT_FAILED())
		return EXIT_FAILURE;
	printf("compat_daq: ok (%u frames, %u without the blacklisted flow)\n", total, rest);
	return EXIT_SUCCESS;
}
