/*
 * tests/compat/compat_multichannel.c - written the way 5.4.6's
 * pfcount_multichannel opens a device: pfring_open_multichannel() into an array
 * the program sizes itself. Built with its flags (gcc -O2 -Wall, -Werror added),
 * also run under valgrind.
 *
 * The device is a sim: NIC with MAX_NUM_RX_CHANNELS (32) RX queues, the most
 * a sim NIC has (5.4.6's limit): the library must open exactly 32 rings, write
 * nothing around the array (canaries on both sides), and ring i must capture
 * queue i: the same frames, byte for byte, as a ring opened on "NAME@i" by hand.
 */
#include "pfring.h"

#define DEV "sim:cmc"
#define OPTS "?gen=flows:2000&count=6000&queues=32"
#define CANARY ((pfring *)0x5a5a5a5a5a5a5a5aULL)
#define NUM_CANARIES 8

#define COMPAT_NAME "compat_multichannel"
#include "compat_check.h"

static struct {
	pfring *before[NUM_CANARIES];
	pfring *ring[MAX_NUM_RX_CHANNELS];
	pfring *after[NUM_CANARIES];
} g;

struct tally {
	u_int frames;
	u_int64_t digest;   /* order-sensitive digest of the bytes */
};

static int read_one(pfring *r, struct tally *t)
{
	struct pfring_pkthdr hdr;
	u_char *p;
	u_int k;

	if (unlikely(pfring_recv(r, &p, 0, &hdr, 0) <= 0))   /* pfcount_multichannel's style */
		return 0;
	t->frames++;
	for (k = 0; k < hdr.caplen; k++)
		t->digest = t->digest * 1099511628211ULL + p[k];
	return 1;
}

int main(void)
{
	pfring *by_hand[MAX_NUM_RX_CHANNELS];
	struct tally got[MAX_NUM_RX_CHANNELS], want[MAX_NUM_RX_CHANNELS];
	char dev[128];
	u_int8_t num_channels;
	int i, idle = 0, total = 0;

	for (i = 0; i < NUM_CANARIES; i++)
		g.before[i] = g.after[i] = CANARY;
	num_channels = pfring_open_multichannel(DEV OPTS, 128, PF_RING_PROMISC, g.ring);
	CHECK(num_channels == MAX_NUM_RX_CHANNELS);
	for (i = 0; i < NUM_CANARIES; i++)
		CHECK(g.before[i] == CANARY && g.after[i] == CANARY);
	if (num_channels != MAX_NUM_RX_CHANNELS)
		return EXIT_FAILURE;

	memset(got, 0, sizeof(got));
	memset(want, 0, sizeof(want));
	for (i = 0; i < MAX_NUM_RX_CHANNELS; i++) {
		snprintf(dev, sizeof(dev), DEV "@%d" OPTS, i);
		CHECK(strcmp(g.ring[i]->device_name, dev) == 0);
		snprintf(dev, sizeof(dev), DEV "@%d", i);
		by_hand[i] = pfring_open(dev, 128, PF_RING_PROMISC);
		CHECK(by_hand[i] != NULL);
		if (by_hand[i] == NULL)
			return EXIT_FAILURE;
		pfring_enable_ring(g.ring[i]);
		pfring_enable_ring(by_hand[i]);
	}
	/* the lossless wire waits for full rings: read every ring in turn */
	while (idle < 3) {
		int any = 0;

		for (i = 0; i < MAX_NUM_RX_CHANNELS; i++) {
			any |= read_one(g.ring[i], &got[i]);
			any |= read_one(by_hand[i], &want[i]);
		}
		idle = any ? 0 : idle + 1;
	}
	for (i = 0; i < MAX_NUM_RX_CHANNELS; i++) {
		CHECK(got[i].frames > 0);
		CHECK(got[i].frames == want[i].frames && got[i].digest == want[i].digest);
		total += got[i].frames;
		pfring_close(by_hand[i]);
		pfring_close(g.ring[i]);
	}
	CHECK(total == 6000);   /* every queue has its ring: every frame is read once */
	if (COMPAT_FAILED())
		return EXIT_FAILURE;
	printf("compat_multichannel: ok (%d rings for 32 queues, %d frames)\n", num_channels,
	       total);
	return EXIT_SUCCESS;
}
