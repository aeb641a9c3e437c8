/*
 * tests/compat/compat_pfsend.c - written the way 5.4.6's pfsend and pflatency
 * transmit, built with their flags (gcc -O2 -Wall -DHAVE_ZERO, -Werror added), and
 * run between two sim: NICs cabled together (peer=).
 *
 * pfsend calls pd->send / pd->send_ifindex, tests the dna_* members for NULL and,
 * when they are set, asks pd->dna_get_num_tx_slots() for zero-copy slots. Here
 * none is NULL and the sim: ring has 0 slots, so it takes the pfring_send() path:
 * every frame must arrive on the peer, byte for byte. This one includes
 * pfring_zero.h before pfring.h (the other include order of -DHAVE_ZERO).
 */
#include "pfring_zero.h"
#include "pfring.h"

#define TX "sim:cps_tx"
#define RX "sim:cps_rx"
#define NUM_TO_SEND 100
#define OWN_FRAMES 3   /* ipv4_udp.pcap, the receiver's own wire */

#define COMPAT_NAME "compat_pfsend"
#include "compat_check.h"

static pfring *open_or_die(const char *dev, u_int32_t flags)
{
	pfring *pd = pfring_open(dev, 1500, flags);

	if (pd == NULL) {
		fprintf(stderr, "pfring_open(%s) error [%s]\n", dev, strerror(errno));
		exit(EXIT_FAILURE);
	}
	return pd;
}

/* One marked frame: broadcast, EtherType 0x88b5 (local experimental), its index. */
static void make_frame(char *buf, u_int len, u_int i)
{
	memset(buf, 0, len);
	memset(buf, 0xff, 6);
	buf[6] = 0x02;
	buf[12] = (char)0x88;
	buf[13] = (char)0xb5;
	buf[14] = (char)(i >> 8);
	buf[15] = (char)i;
}

int main(void)
{
	char buffer[60];
	struct pfring_pkthdr hdr;
	u_char *p;
	pfring *pd, *rx;
	u_int num_tx_slots = 1, i, marked = 0, own = 0, next = 0;
	int if_index = -1, rc, use_zero_copy_tx = 0;

	pd = open_or_die(TX "?gen=flows:1&count=1&peer=cps_rx", 0);
	rx = open_or_die(RX "?pcap=" FIXTURE_DIR "/ipv4_udp.pcap", 0);
	CHECK(pfring_set_socket_mode(pd, send_only_mode) == 0);
	CHECK(pfring_enable_ring(pd) == 0 && pfring_enable_ring(rx) == 0);

	/* pfsend.c, as it is */
	if (!pd->send && pd->send_ifindex && if_index == -1) {
		printf("Please use -x <if index>\n");
		return -1;
	}
	if ((pd->dna_get_num_tx_slots != NULL)
	    && (pd->dna_get_next_free_tx_slot != NULL)
	    && (pd->dna_copy_tx_packet_into_slot != NULL)) {
		errno = 0;
		num_tx_slots = pd->dna_get_num_tx_slots(pd);
		CHECK(num_tx_slots == 0 && errno == EOPNOTSUPP);
		if (num_tx_slots > 0)
			use_zero_copy_tx = 1;
	}
	CHECK(!use_zero_copy_tx);
	/* pflatency's slot calls fail cleanly */
	CHECK(pd->dna_get_next_free_tx_slot(pd) == 0);
	CHECK(pd->dna_copy_tx_packet_into_slot(pd, 0, buffer, sizeof(buffer)) ==
	      PF_RING_ERROR_NOT_SUPPORTED);
	CHECK(pfring_copy_tx_packet_into_slot(pd, 0, buffer, sizeof(buffer)) ==
	      PF_RING_ERROR_NOT_SUPPORTED && errno == EOPNOTSUPP);
	CHECK(pfring_get_num_rx_slots(pd) == 0);
	CHECK(pd->dna_next_packet(pd, &p, 0, &hdr) == NULL && pd->dna_init(pd) < 0);

	CHECK(pfring_get_bound_device_ifindex(pd, &if_index) == 0);
	for (i = 0; i < NUM_TO_SEND; i++) {
		make_frame(buffer, sizeof(buffer), i);
		if (i % 2)
			rc = pd->send(pd, buffer, sizeof(buffer), 1);
		else
			rc = pd->send_ifindex(pd, buffer, sizeof(buffer), 1, if_index);
		CHECK(rc == (int)sizeof(buffer));
	}

	/* the peer: its own frames, then ours, in order and unchanged */
	while (rx->recv(rx, &p, 0, &hdr, 0) > 0) {
		if (hdr.caplen == sizeof(buffer) && p[12] == 0x88 && p[13] == 0xb5) {
			make_frame(buffer, sizeof(buffer), next);
			CHECK(memcmp(p, buffer, sizeof(buffer)) == 0);
			next++;
			marked++;
		} else {
			own++;
		}
	}
	CHECK(own == OWN_FRAMES && marked == NUM_TO_SEND);
	pd->close(pd);
	pfring_close(rx);
	if (COMPAT_FAILED())
		return EXIT_FAILURE;
	printf("compat_pfsend: ok (%u frames sent through pd->send and pd->send_ifindex)\n",
	       marked);
	return EXIT_SUCCESS;
}
