/*
 * tests/compat/compat_dnabounce.c - written the way 5.4.6's pfdnabounce uses the
 * DNA Bouncer, built with its flags (gcc -O2 -Wall -DHAVE_ZERO, -Werror added):
 * pfring.h alone brings pfring_zero.h.
 *
 * pfdnabounce's decision function is its own form, int (u_int16_t pkt_len,
 * u_char *pkt, const u_char *user_bytes), returning DNA_BOUNCER_PASS; it is
 * handed to pfring_dna_bouncer_loop() as it is. libzero is not built in this
 * version: pfring_dna_bouncer_create() on two sim: rings fails cleanly (NULL, one
 * line, errno EOPNOTSUPP), and the slave path of its DNA Cluster mode finds no
 * packet buffers on a sim: ring. The decision function runs over the frames of
 * tests/fixtures/mix64.pcap.
 */
#include "pfring.h"

#define MIX64_FRAMES 3000

#define COMPAT_NAME "compat_dnabounce"
#include "compat_check.h"

pfring *pd1, *pd2;
pfring_dna_bouncer *bouncer_handle = NULL;
u_int64_t numPkts = 0, numBytes = 0;

int dummyProcessPacketZero(u_int16_t pkt_len, u_char *pkt, const u_char *user_bytes) {
	(void)pkt;
	(void)user_bytes;
	numPkts++;
	numBytes += pkt_len + 24 /* 8 Preamble + 4 CRC + 12 IFG */;

	return DNA_BOUNCER_PASS;
}

int main(void)
{
	struct pfring_pkthdr hdr;
	u_char *buffer;
	u_int8_t wait_for_packet = 0;
	u_int32_t seen = 0, passed = 0;
	int rc;

	pd1 = pfring_open("sim:cdb0?pcap=" FIXTURE_DIR "/mix64.pcap", 1500, PF_RING_PROMISC);
	pd2 = pfring_open("sim:cdb1?gen=flows:1&count=1", 1500, PF_RING_PROMISC);
	if (pd1 == NULL || pd2 == NULL) {
		fprintf(stderr, "pfring_open error [%s]\n", strerror(errno));
		return 1;
	}

	/* bouncer mode, as pfdnabounce does it */
	errno = 0;
	if ((bouncer_handle = pfring_dna_bouncer_create(pd1, pd2)) == NULL) {
		fprintf(stderr, "Error creating the DNA Bouncer\n");
	} else {
		pfring_dna_bouncer_set_mode(bouncer_handle, two_way_mode);
		pfring_dna_bouncer_loop(bouncer_handle, dummyProcessPacketZero, (u_char *) NULL,
					wait_for_packet);
		pfring_dna_bouncer_destroy(bouncer_handle);
	}
	CHECK(bouncer_handle == NULL && errno == EOPNOTSUPP);
	/* its loop call, reached with no handle: refused in its form too */
	CHECK(pfring_dna_bouncer_loop(bouncer_handle, dummyProcessPacketZero, (u_char *) NULL,
				      wait_for_packet) == PF_RING_ERROR_INVALID_ARGUMENT);
	CHECK(numPkts == 0);

	/* DNA Cluster mode's slave path: a sim: ring has no packet buffers */
	errno = 0;
	CHECK(pfring_alloc_pkt_buff(pd1) == NULL && errno == EOPNOTSUPP);

	/* the decision function over real frames */
	CHECK(pfring_enable_ring(pd1) == 0);
	while ((rc = pfring_recv(pd1, &buffer, 0, &hdr, 0)) > 0) {
		seen++;
		passed += dummyProcessPacketZero((u_int16_t)hdr.len, buffer, NULL) ==
			  DNA_BOUNCER_PASS;
	}
	CHECK(rc == 0 && seen == MIX64_FRAMES && passed == MIX64_FRAMES);
	CHECK(numPkts == MIX64_FRAMES && numBytes == (u_int64_t)MIX64_FRAMES * (64 + 24));
	pfring_close(pd1);
	pfring_close(pd2);

	if (COMPAT_FAILED())
		return 1;
	printf("%s: ok: %llu frames passed, %llu bytes on the wire, the bouncer stops at "
	       "pfring_dna_bouncer_create\n", COMPAT_NAME, (unsigned long long)numPkts,
	       (unsigned long long)numBytes);
	return 0;
}
