/*
 * tests/compat/compat_dnabounce.c - written the way 5.4.6's pfdnabounce uses the
 * DNA Bouncer, built with its flags (gcc -O2 -Wall -DHAVE_ZERO, -Werror added):
 * pfring.h alone brings pfring_zero.h.
 *
 * pfdnabounce's decision function is its own form, int (u_int16_t pkt_len,
 * u_char *pkt, const u_char *user_bytes), returning DNA_BOUNCER_PASS; it is
 * handed to pfring_dna_bouncer_loop() as it is. As pfdnabounce -b -a: two-way,
 * active wait, stopped by pfring_dna_bouncer_breakloop from a signal handler
 * (here SIGALRM, pfdnabounce's SIGINT). Both sim: NICs' frames go through it:
 * tests/fixtures/mix64.pcap one way, one generated frame the other. The slave
 * path of its DNA Cluster mode finds no packet buffers on a sim: ring.
 */
#include <signal.h>
#include <unistd.h>
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

void sigproc(int sig) {
	(void)sig;
	pfring_dna_bouncer_breakloop(bouncer_handle);
}

int main(void)
{
	u_int8_t wait_for_packet = 0;
	int rc = -1;

	pd1 = pfring_open("sim:cdb0?pcap=" FIXTURE_DIR "/mix64.pcap", 1500, PF_RING_PROMISC);
	pd2 = pfring_open("sim:cdb1?gen=flows:1&count=1", 1500, PF_RING_PROMISC);
	if (pd1 == NULL || pd2 == NULL) {
		fprintf(stderr, "pfring_open error [%s]\n", strerror(errno));
		return 1;
	}

	/* DNA Cluster mode's slave path: a sim: ring has no packet buffers */
	errno = 0;
	CHECK(pfring_alloc_pkt_buff(pd1) == NULL && errno == EOPNOTSUPP);

	/* bouncer mode, as pfdnabounce -b -a does it */
	if ((bouncer_handle = pfring_dna_bouncer_create(pd1, pd2)) == NULL) {
		fprintf(stderr, "Error creating the DNA Bouncer\n");
		pfring_close(pd1);
		pfring_close(pd2);
		return 1;
	}
	CHECK(pfring_dna_bouncer_set_mode(bouncer_handle, two_way_mode) == 0);
	signal(SIGALRM, sigproc);
	alarm(1);
	rc = pfring_dna_bouncer_loop(bouncer_handle, dummyProcessPacketZero, (u_char *) NULL,
				     wait_for_packet);
	CHECK(rc == 0);
	pfring_dna_bouncer_destroy(bouncer_handle);
	/* both ways: the capture's frames and the generated one, 64 bytes each */
	CHECK(numPkts == MIX64_FRAMES + 1);
	CHECK(numBytes == (u_int64_t)(MIX64_FRAMES + 1) * (64 + 24));
	/* its loop call, reached with no handle: refused in its form too */
	CHECK(pfring_dna_bouncer_loop(NULL, dummyProcessPacketZero, (u_char *) NULL,
				      wait_for_packet) == PF_RING_ERROR_INVALID_ARGUMENT);

	if (COMPAT_FAILED())
		return 1;
	printf("%s: ok: %llu frames bounced both ways, %llu bytes on the wire\n", COMPAT_NAME,
	       (unsigned long long)numPkts, (unsigned long long)numBytes);
	return 0;
}
