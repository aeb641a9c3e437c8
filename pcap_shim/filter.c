/*
 * pcap_shim/filter.c - pcap_setfilter on a pfring handle.
 *
 * The program the real pcap_compile made (compile.c) goes to the engine
 * (pf_api_set_bpf_program: core's BPF runs it where the ring's backend runs
 * its pipeline, in pf_ring.ko for kernel names), so a refused packet is never
 * copied to the program. A backend without BPF (dnacluster:, userspace:, hub:;
 * the API says PF_RING_ERROR_NOT_SUPPORTED) gets the program run here instead,
 * on each packet, by the real pcap_offline_filter (shim_filter_accepts).
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"
#include "pcap_shim/read.h"
#include "lib/api_internal.h"
#include "core/bpf.h"

#include <stdlib.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

/* libpcap's struct bpf_insn and core's struct pf_bpf_insn are both the
 * kernel's struct sock_filter: {u16 code; u8 jt, jf; u32 k}. */
_Static_assert(sizeof(struct bpf_insn) == sizeof(struct pf_bpf_insn), "BPF layouts differ");

static int keep_in_shim(struct shim *s, const struct bpf_program *fp)
{
	struct bpf_insn *copy = malloc((fp->bf_len ? fp->bf_len : 1) * sizeof(*copy));

	if (copy == NULL) {
		shim_seterr(s, "pcap_setfilter: out of memory");
		return PCAP_ERROR;
	}
	if (fp->bf_len > 0)
		memcpy(copy, fp->bf_insns, fp->bf_len * sizeof(*copy));
	free(s->filter.bf_insns);
	s->filter.bf_insns = copy;
	s->filter.bf_len = fp->bf_len;
	return 0;
}

SHIM_EXPORT int pcap_setfilter(pcap_t *p, struct bpf_program *fp)
{
	struct shim *s = shim_find(p);
	int rc;

	if (s == NULL)
		return shim_real()->setfilter(p, fp);
	if (s->ring == NULL) {
		shim_seterr(s, "pcap_setfilter: %s: not activated", s->device);
		return PCAP_ERROR_NOT_ACTIVATED;
	}
	if (fp == NULL || fp->bf_len == 0 || fp->bf_insns == NULL) {
		shim_seterr(s, "pcap_setfilter: no program");
		return PCAP_ERROR;
	}
	rc = pf_api_set_bpf_program(s->ring, (const struct pf_bpf_insn *)fp->bf_insns,
				    fp->bf_len, "pcap_setfilter");
	if (rc == 0) {
		free(s->filter.bf_insns); /* a program kept by an earlier call */
		s->filter.bf_insns = NULL;
		s->filter.bf_len = 0;
		return 0;
	}
	if (rc == PF_RING_ERROR_NOT_SUPPORTED)
		return keep_in_shim(s, fp);
	shim_seterr(s, "pcap_setfilter: %s: the engine refused the program (%d): %s",
		    s->device, rc, pfring_get_last_error_message());
	return PCAP_ERROR;
}

int shim_filter_accepts(const struct shim *s, const struct pcap_pkthdr *h, const u_char *data)
{
	if (s->filter.bf_insns == NULL)
		return 1;
	return shim_real()->offline_filter(&s->filter, h, data) != 0;
}
