/*
 * tests/pcap_shim/pfring_calls.c - include/pcap-pfring.h's calls (PF_RING
 * libpcap's additions), linked with libpfring-pcap.so before libpcap as a
 * program written for PF_RING's libpcap is (5.4.6's pcount): on a sim:
 * handle, on a handle not yet activated, on a file handle (not pfring's).
 * Also pcap_set_tstamp_type, pcap_set_rfmon and a filter the engine runs,
 * counted exactly. Usage: pfring_calls FIXTURE. Exit 0 when every check holds.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#include "pcap-pfring.h"


int main(int argc, char **argv)
{
	char dev[1024], errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct pcap_stat st;
	pcap_t *p, *q, *file;
	unsigned int n = 0, expected = 0;

	if (argc != 2)
		return 2;
	snprintf(dev, sizeof(dev), "sim:calls?pcap=%s", argv[1]);

	/* before activation: the ring does not exist yet */
	p = pcap_create(dev, errbuf);
	CHECK(p != NULL);
	CHECK(pcap_set_application_name(p, "calls") == PCAP_ERROR_NOT_ACTIVATED);
	CHECK(strstr(pcap_geterr(p), "not activated") != NULL);
	CHECK(pcap_get_pfring_id(p) == 0);
	CHECK(pcap_set_tstamp_type(p, PCAP_TSTAMP_HOST) == 0);
	CHECK(pcap_set_tstamp_type(p, PCAP_TSTAMP_ADAPTER) == PCAP_WARNING_TSTAMP_TYPE_NOTSUP);
	CHECK(pcap_set_rfmon(p, 1) == 0);
	CHECK(pcap_activate(p) == PCAP_ERROR_RFMON_NOTSUP);
	CHECK(pcap_set_rfmon(p, 0) == 0);
	CHECK(pcap_set_timeout(p, 100) == 0);
	CHECK(pcap_activate(p) == 0);
	CHECK(pcap_set_rfmon(p, 0) == PCAP_ERROR_ACTIVATED);
	CHECK(pcap_set_tstamp_type(p, PCAP_TSTAMP_HOST) == PCAP_ERROR_ACTIVATED);

	/* activated: the calls reach the ring; sim: rings have no id and no
	 * master (pf_ring.ko's do: tests/e2e), so those two say so */
	CHECK(pcap_set_application_name(p, "calls") == 0);
	CHECK(pcap_get_pfring_id(p) == 0);
	CHECK(pcap_set_cluster(p, 12) == 0);
	CHECK(pcap_set_master_id(p, 3) == PCAP_ERROR);
	CHECK(strstr(pcap_geterr(p), "pcap_set_master_id: Operation not supported") != NULL);

	/* a second ring of the same NIC, its master the first */
	q = pcap_open_live("sim:calls", 256, 0, 100, errbuf);
	CHECK(q != NULL);
	if (q != NULL) {
		CHECK(pcap_set_master(q, p) == PCAP_ERROR);
		CHECK(strstr(pcap_geterr(q), "pcap_set_master: Operation not supported") != NULL);
		CHECK(pcap_set_master(q, NULL) == PCAP_ERROR);
		pcap_close(q);
	}

	/* a filter the engine runs: exactly the fixture's matching frames */
	file = pcap_open_offline(argv[1], errbuf);
	CHECK(file != NULL);
	if (file != NULL) {
		struct pcap_pkthdr *h;
		const u_char *data;

		CHECK(pcap_compile(file, &prog, "udp", 1, PCAP_NETMASK_UNKNOWN) == 0);
		while (pcap_next_ex(file, &h, &data) == 1)
			expected += pcap_offline_filter(&prog, h, data) != 0;
		pcap_freecode(&prog);
		/* a handle that is not pfring's */
		CHECK(pcap_get_pfring_id(file) == 0);
		CHECK(pcap_set_application_name(file, "x") == PCAP_ERROR);
		CHECK(strstr(pcap_geterr(file), "not a pfring handle") != NULL);
		CHECK(pcap_set_cluster(file, 1) == PCAP_ERROR);
		pcap_close(file);
	}
	CHECK(expected > 0);
	CHECK(pcap_compile(p, &prog, "udp", 1, PCAP_NETMASK_UNKNOWN) == 0);
	CHECK(pcap_setfilter(p, &prog) == 0);
	pcap_freecode(&prog);
	while (n < expected) {
		int rc = pcap_dispatch(p, -1, count_cb, (u_char *)&n);

		if (rc <= 0)
			break;
	}
	CHECK(pcap_dispatch(p, -1, count_cb, (u_char *)&n) == 0); /* the wire is quiet */
	CHECK_EQ(n, expected);
	CHECK(pcap_stats(p, &st) == 0);
	CHECK_EQ(st.ps_recv, expected);
	CHECK_EQ(st.ps_drop, 0);
	pcap_close(p);

	if (failures == 0)
		printf("pfring_calls: ok (%d frames through the engine's filter)\n", n);
	return failures ? 1 : 0;
}
