/*
 * lib/bpf_compile.c - pfring_bpf_compile(): libpcap's compiler, its
 * program copied into memory the caller owns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pfring.h"
#include "lib/bpf_compile.h"
#include "util/pcap_lib.h"

_Static_assert(sizeof(struct pf_bpf_insn) == sizeof(struct bpf_insn),
	       "struct pf_bpf_insn must match libpcap's struct bpf_insn");

/* err = what, errno = e; returns code. */
static int compile_error(char *err, size_t errlen, const char *what, int code, int e)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", what);
	errno = e;
	return code;
}

static int copy_program(const struct bpf_program *bp, struct pf_bpf_insn **insns, u_int32_t *n)
{
	struct pf_bpf_insn *out;
	u_int32_t i;

	out = malloc((size_t)(bp->bf_len ? bp->bf_len : 1) * sizeof(*out));
	if (!out)
		return PF_RING_ERROR_GENERIC;
	for (i = 0; i < bp->bf_len; i++) {
		out[i].code = bp->bf_insns[i].code;
		out[i].jt = bp->bf_insns[i].jt;
		out[i].jf = bp->bf_insns[i].jf;
		out[i].k = bp->bf_insns[i].k;
	}
	*insns = out;
	*n = bp->bf_len;
	return 0;
}

int pfring_bpf_compile(const char *expr, u_int32_t caplen, struct pf_bpf_insn **insns,
		       u_int32_t *n, char *err, size_t errlen)
{
	const struct pf_pcap_lib *pl;
	struct bpf_program bp;
	pcap_t *p;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (insns)
		*insns = NULL;
	if (n)
		*n = 0;
	if (!expr || !insns || !n || caplen == 0 || caplen > 0x7fffffffu)
		return compile_error(err, errlen, "pfring_bpf_compile: invalid argument",
				     PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	pl = pf_pcap_lib(err, errlen);
	if (!pl)
		return PF_RING_ERROR_GENERIC;   /* errno ELIBACC */
	p = pl->open_dead(DLT_EN10MB, (int)caplen);
	if (!p)
		return compile_error(err, errlen, "pcap_open_dead failed", PF_RING_ERROR_GENERIC,
				     ENOMEM);
	if (pl->compile(p, &bp, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		compile_error(err, errlen, pl->geterr(p), 0, 0);
		pl->close(p);
		errno = EINVAL;     /* after pcap_close, which may set errno */
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	rc = copy_program(&bp, insns, n);
	pl->freecode(&bp);
	pl->close(p);
	if (rc)
		compile_error(err, errlen, "out of memory", rc, ENOMEM);
	return rc;
}
