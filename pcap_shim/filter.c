/*
 * pcap_shim/filter.c - pcap_setfilter on a pfring handle.
 *
 * The program (compiled by the real pcap_compile, compile.c) is
 * copied and run in the shim on each packet with the real
 * pcap_offline_filter. Prototype choice: the engine's BPF (pfring_set_bpf_filter)
 * takes filter text, not a compiled program; handing the program to the
 * engine is left for the full issue.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"
#include "pcap_shim/read.h"

#include <stdlib.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

SHIM_EXPORT int pcap_setfilter(pcap_t *p, struct bpf_program *fp)
{
	struct shim *s = shim_find(p);
	struct bpf_insn *copy;

	if (s == NULL)
		return shim_real()->setfilter(p, fp);
	if (fp == NULL || (fp->bf_len > 0 && fp->bf_insns == NULL)) {
		shim_seterr(s, "pcap_setfilter: no program");
		return PCAP_ERROR;
	}
	copy = malloc((fp->bf_len ? fp->bf_len : 1) * sizeof(*copy));
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

int shim_filter_accepts(const struct shim *s, const struct pcap_pkthdr *h, const u_char *data)
{
	if (s->filter.bf_insns == NULL)
		return 1;
	return shim_real()->offline_filter(&s->filter, h, data) != 0;
}
