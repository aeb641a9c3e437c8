/*
 * core/bpf_prog.h - the validated program as core's executor stores it
 * (private to core/bpf.c and core/bpf_exec.c).
 *
 * pf_bpf_prepare() validates a classic BPF program, keeps a copy of it (the
 * homes' own engines run that) and pre-decodes it for pf_bpf_run(): one
 * struct pf_bpf_op per instruction, same index, with absolute jump targets, an
 * internal opcode per (instruction, size, mode, source) and, where a load (or
 * an AND) is followed by a conditional jump on a constant, a fused "load and
 * jump" in the load's slot; an MSH before such a fused indexed load fuses
 * with it too. The later instructions keep their own slots, so jumps that land
 * on them still work.
 */
#ifndef PF_CORE_BPF_PROG_H
#define PF_CORE_BPF_PROG_H

#include "bpf.h"

enum pf_bpf_opcode {
	PF_OP_RET_K, PF_OP_RET_A,
	PF_OP_LD_W_ABS, PF_OP_LD_H_ABS, PF_OP_LD_B_ABS,
	PF_OP_LD_W_IND, PF_OP_LD_H_IND, PF_OP_LD_B_IND,
	PF_OP_LD_LEN, PF_OP_LD_IMM, PF_OP_LD_MEM,
	PF_OP_LDX_LEN, PF_OP_LDX_IMM, PF_OP_LDX_MEM, PF_OP_LDX_MSH,
	PF_OP_ST, PF_OP_STX,
	PF_OP_ADD_K, PF_OP_SUB_K, PF_OP_MUL_K, PF_OP_DIV_K, PF_OP_MOD_K,
	PF_OP_AND_K, PF_OP_OR_K, PF_OP_XOR_K, PF_OP_LSH_K, PF_OP_RSH_K,
	PF_OP_ADD_X, PF_OP_SUB_X, PF_OP_MUL_X, PF_OP_DIV_X, PF_OP_MOD_X,
	PF_OP_AND_X, PF_OP_OR_X, PF_OP_XOR_X, PF_OP_LSH_X, PF_OP_RSH_X,
	PF_OP_NEG, PF_OP_TAX, PF_OP_TXA,
	PF_OP_JA,
	PF_OP_JEQ_K, PF_OP_JGT_K, PF_OP_JGE_K, PF_OP_JSET_K,
	PF_OP_JEQ_X, PF_OP_JGT_X, PF_OP_JGE_X, PF_OP_JSET_X,
	/* fused: load (k) then conditional jump on constant (k2) */
	PF_OP_LD_W_ABS_JEQ, PF_OP_LD_W_ABS_JGT, PF_OP_LD_W_ABS_JGE, PF_OP_LD_W_ABS_JSET,
	PF_OP_LD_H_ABS_JEQ, PF_OP_LD_H_ABS_JGT, PF_OP_LD_H_ABS_JGE, PF_OP_LD_H_ABS_JSET,
	PF_OP_LD_B_ABS_JEQ, PF_OP_LD_B_ABS_JGT, PF_OP_LD_B_ABS_JGE, PF_OP_LD_B_ABS_JSET,
	PF_OP_LD_W_IND_JEQ, PF_OP_LD_W_IND_JGT, PF_OP_LD_W_IND_JGE, PF_OP_LD_W_IND_JSET,
	PF_OP_LD_H_IND_JEQ, PF_OP_LD_H_IND_JGT, PF_OP_LD_H_IND_JGE, PF_OP_LD_H_IND_JSET,
	PF_OP_LD_B_IND_JEQ, PF_OP_LD_B_IND_JGT, PF_OP_LD_B_IND_JGE, PF_OP_LD_B_IND_JSET,
	/* fused: X = 4 * (p[k3] & 0xf), then an indexed load and jump as above */
	PF_OP_MSH_W_IND_JEQ, PF_OP_MSH_W_IND_JGT, PF_OP_MSH_W_IND_JGE, PF_OP_MSH_W_IND_JSET,
	PF_OP_MSH_H_IND_JEQ, PF_OP_MSH_H_IND_JGT, PF_OP_MSH_H_IND_JGE, PF_OP_MSH_H_IND_JSET,
	PF_OP_MSH_B_IND_JEQ, PF_OP_MSH_B_IND_JGT, PF_OP_MSH_B_IND_JGE, PF_OP_MSH_B_IND_JSET,
	/* fused: A &= k, then conditional jump on constant (k2) */
	PF_OP_AND_JEQ, PF_OP_AND_JGT, PF_OP_AND_JGE, PF_OP_AND_JSET,
	PF_OP_COUNT
};

struct pf_bpf_op {
	u8  code;        /* enum pf_bpf_opcode */
	u8  unused;
	u16 jt, jf;      /* jump targets, in bytes forward from this op */
	u16 k3;          /* MSH fused ops: the MSH offset */
	u32 k;           /* the instruction's k (load offset for fused ops) */
	u32 k2;          /* fused ops: the jump's constant */
};

/* 4096 ops of 16 bytes: every forward distance fits in jt/jf. */
_Static_assert(sizeof(struct pf_bpf_op) == 16, "struct pf_bpf_op is 16 bytes");
_Static_assert(PF_BPF_MAXINSNS * 16 <= 65536, "jump distances fit in 16 bits");

struct pf_bpf_prog {
	u32 n;
	u32 unused;
	const struct pf_bpf_insn *insns; /* the validated copy, after ops[n] */
	struct pf_bpf_op ops[];
};

/* Fill ops[0 .. n) from a program pf_bpf_validate() accepted. */
void pf_bpf_decode(const struct pf_bpf_insn *insns, u32 n, struct pf_bpf_op *ops);

#endif /* PF_CORE_BPF_PROG_H */
