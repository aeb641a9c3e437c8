/*
 * core/bpf.h - classic BPF programs in the engine.
 *
 * Programs are compiled in user space by libpcap (pcap_compile) and handed to
 * the engine as instructions. Every program is validated as the kernel's checker
 * does before it is stored; an invalid one is refused, never run. Running it is
 * the home's business (struct pf_home.bpf_run: the kernel's classic BPF, or
 * libpcap's bpf_filter); core's own executor below runs when the home has none,
 * or where make bench shows it is faster.
 */
#ifndef PF_CORE_BPF_H
#define PF_CORE_BPF_H

#include "engine.h"
#include "errors.h"

/* Same layout as struct bpf_insn (libpcap) and struct sock_filter (Linux). */
struct pf_bpf_insn {
	u16 code;
	u8  jt, jf;
	u32 k;
};

#define PF_BPF_MAXINSNS 4096

/* 0 if the program is safe to run; else -PF_EINVAL (-PF_E2BIG for length) and a
 * message naming the instruction and the reason in err[0 .. errlen). Rules:
 * known opcodes only, jumps forward and inside the program, scratch memory
 * indices < 16, no division or modulo by constant zero, ends in a return. */
int pf_bpf_validate(const struct pf_bpf_insn *insns, u32 n, char *err, u32 errlen);

struct pf_bpf_prog;
/* Validate and copy (and pre-decode, if the executor wants to). NULL on error
 * (err says why). */
struct pf_bpf_prog *pf_bpf_prepare(const struct pf_home *h, const struct pf_bpf_insn *insns,
				   u32 n, char *err, u32 errlen);
void pf_bpf_free(const struct pf_home *h, struct pf_bpf_prog *prog);
const struct pf_bpf_insn *pf_bpf_insns(const struct pf_bpf_prog *prog, u32 *n);

/* core's executor: bytes to accept (0 = reject). Loads beyond caplen reject
 * the packet (as the kernel and libpcap do); never reads outside pkt[0..caplen). */
u32 pf_bpf_run(const struct pf_bpf_prog *prog, const u8 *pkt, u32 caplen, u32 len);

#endif /* PF_CORE_BPF_H */
