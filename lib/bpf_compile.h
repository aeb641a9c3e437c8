/*
 * lib/bpf_compile.h - BPF filter expressions to classic BPF, in user space.
 *
 * libpcap compiles the expression for Ethernet (DLT_EN10MB) with the optimizer
 * on and an unknown netmask, exactly as pfring_set_bpf_filter() needs it; the
 * engine (core/bpf.h) then validates and runs the instructions.
 */
#ifndef PF_BACKENDS_BPF_COMPILE_H
#define PF_BACKENDS_BPF_COMPILE_H

#include <stddef.h>
#include "core/bpf.h"

/* Compile expr for frames captured with at most caplen bytes (the value
 * "ret #caplen" accepts with). On success returns 0, *insns is a malloc'd
 * array of *n instructions (the caller frees it with free()). On failure
 * returns a negative PF_RING_ERROR_* code with errno (EINVAL: a bad expression
 * or argument; ELIBACC: no libpcap; ENOMEM), leaves *insns NULL and *n 0, and
 * puts libpcap's message (or ours) in err[0 .. errlen). */
int pfring_bpf_compile(const char *expr, u_int32_t caplen, struct pf_bpf_insn **insns,
		       u_int32_t *n, char *err, size_t errlen);

#endif /* PF_BACKENDS_BPF_COMPILE_H */
