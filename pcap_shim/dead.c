/*
 * pcap_shim/dead.c - locating and writing the dead pcap_t's snapshot and
 * time stamp precision (dead.h).
 */
#include "pcap_shim/dead.h"
#include "pcap_shim/real.h"

#include <malloc.h>
#include <pthread.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

static long snapshot_off = -1, precision_off = -1;
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

/* The offset of the only int that is va in a and vb in b, or -1. */
static long find_int(pcap_t *a, pcap_t *b, int va, int vb)
{
	size_t size = malloc_usable_size(a);
	const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
	long found = -1;

	if (malloc_usable_size(b) < size)
		size = malloc_usable_size(b);
	for (size_t off = 0; off + sizeof(int) <= size; off += sizeof(int)) {
		int xa, xb;

		memcpy(&xa, pa + off, sizeof(xa));
		memcpy(&xb, pb + off, sizeof(xb));
		if (xa == va && xb == vb) {
			if (found >= 0)
				return -1; /* ambiguous */
			found = (long)off;
		}
	}
	return found;
}

static void probe(void)
{
	pcap_t *(*open_dead_prec)(int, int, u_int) = shim_real()->open_dead_with_tstamp_precision;
	pcap_t *a = open_dead_prec(DLT_EN10MB, 1234567, PCAP_TSTAMP_PRECISION_MICRO);
	pcap_t *b = open_dead_prec(DLT_EN10MB, 7654321, PCAP_TSTAMP_PRECISION_NANO);

	if (a != NULL && b != NULL) {
		snapshot_off = find_int(a, b, 1234567, 7654321);
		precision_off = find_int(a, b, PCAP_TSTAMP_PRECISION_MICRO,
					 PCAP_TSTAMP_PRECISION_NANO);
	}
	if (a != NULL)
		shim_real()->close(a);
	if (b != NULL)
		shim_real()->close(b);
}

static int set_int(pcap_t *p, long off, int value)
{
	if (off < 0)
		return PCAP_ERROR_ACTIVATED;
	memcpy((unsigned char *)p + off, &value, sizeof(value));
	return 0;
}

int shim_dead_set_snapshot(pcap_t *p, int snaplen)
{
	pthread_once(&probe_once, probe);
	return set_int(p, snapshot_off, snaplen);
}

int shim_dead_set_tstamp_precision(pcap_t *p, int precision)
{
	pthread_once(&probe_once, probe);
	return set_int(p, precision_off, precision);
}
