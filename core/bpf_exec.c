/*
 * core/bpf_exec.c - core's classic BPF executor.
 *
 * A pre-decoded, threaded interpreter (computed goto: each op ends in its own
 * indirect jump, which the branch predictor learns per op) over the ops of
 * core/bpf_prog.h. It runs only programs pf_bpf_validate() accepted, so it
 * trusts jump targets, scratch indices, shift and divisor constants.
 *
 * Semantics are libpcap's bpf_filter(): A and X start at 0 and are 32-bit
 * unsigned; a load that does not fit in pkt[0 .. caplen) returns 0 (reject);
 * division or modulo by X == 0 returns 0; a shift by X >= 32 gives 0; the
 * result is the returned k or A. Packet offsets are computed in 64 bits, so
 * X + k never wraps around into the buffer.
 */
#include "bpf.h"
#include "bpf_codes.h"
#include "bpf_prog.h"

/* ---- decoding */

static u8 decode_ld(u16 code)
{
	switch (code) {
	case PF_BPF_LD | PF_BPF_W | PF_BPF_ABS: return PF_OP_LD_W_ABS;
	case PF_BPF_LD | PF_BPF_H | PF_BPF_ABS: return PF_OP_LD_H_ABS;
	case PF_BPF_LD | PF_BPF_B | PF_BPF_ABS: return PF_OP_LD_B_ABS;
	case PF_BPF_LD | PF_BPF_W | PF_BPF_IND: return PF_OP_LD_W_IND;
	case PF_BPF_LD | PF_BPF_H | PF_BPF_IND: return PF_OP_LD_H_IND;
	case PF_BPF_LD | PF_BPF_B | PF_BPF_IND: return PF_OP_LD_B_IND;
	case PF_BPF_LD | PF_BPF_W | PF_BPF_LEN: return PF_OP_LD_LEN;
	case PF_BPF_LD | PF_BPF_IMM:            return PF_OP_LD_IMM;
	case PF_BPF_LD | PF_BPF_MEM:            return PF_OP_LD_MEM;
	case PF_BPF_LDX | PF_BPF_W | PF_BPF_LEN: return PF_OP_LDX_LEN;
	case PF_BPF_LDX | PF_BPF_IMM:           return PF_OP_LDX_IMM;
	case PF_BPF_LDX | PF_BPF_MEM:           return PF_OP_LDX_MEM;
	default:                                return PF_OP_LDX_MSH;
	}
}

static u8 decode_alu(u16 code)
{
	static const u8 by_op[] = {
		[PF_BPF_ADD >> 4] = PF_OP_ADD_K, [PF_BPF_SUB >> 4] = PF_OP_SUB_K,
		[PF_BPF_MUL >> 4] = PF_OP_MUL_K, [PF_BPF_DIV >> 4] = PF_OP_DIV_K,
		[PF_BPF_MOD >> 4] = PF_OP_MOD_K, [PF_BPF_AND >> 4] = PF_OP_AND_K,
		[PF_BPF_OR >> 4] = PF_OP_OR_K,   [PF_BPF_XOR >> 4] = PF_OP_XOR_K,
		[PF_BPF_LSH >> 4] = PF_OP_LSH_K, [PF_BPF_RSH >> 4] = PF_OP_RSH_K,
		[PF_BPF_NEG >> 4] = PF_OP_NEG,
	};
	u8 op = by_op[PF_BPF_OP(code) >> 4];

	/* the _X ops follow the _K ops in the same order */
	if (op != PF_OP_NEG && PF_BPF_SRC(code) == PF_BPF_X)
		op += PF_OP_ADD_X - PF_OP_ADD_K;
	return op;
}

static u8 decode_jmp(u16 code)
{
	u8 op;

	switch (PF_BPF_OP(code)) {
	case PF_BPF_JA:  return PF_OP_JA;
	case PF_BPF_JEQ: op = PF_OP_JEQ_K; break;
	case PF_BPF_JGT: op = PF_OP_JGT_K; break;
	case PF_BPF_JGE: op = PF_OP_JGE_K; break;
	default:         op = PF_OP_JSET_K; break;
	}
	return PF_BPF_SRC(code) == PF_BPF_X ? (u8)(op + PF_OP_JEQ_X - PF_OP_JEQ_K) : op;
}

static u8 decode_one(u16 code)
{
	switch (PF_BPF_CLASS(code)) {
	case PF_BPF_LD:
	case PF_BPF_LDX:
		return decode_ld(code);
	case PF_BPF_ST:
		return PF_OP_ST;
	case PF_BPF_STX:
		return PF_OP_STX;
	case PF_BPF_ALU:
		return decode_alu(code);
	case PF_BPF_JMP:
		return decode_jmp(code);
	case PF_BPF_RET:
		return PF_BPF_RVAL(code) == PF_BPF_A ? PF_OP_RET_A : PF_OP_RET_K;
	default:
		return PF_BPF_MISCOP(code) == PF_BPF_TXA ? PF_OP_TXA : PF_OP_TAX;
	}
}

/* A packet load (or an AND) followed by a jump on a constant: the fused op,
 * or 0. */
static u8 fused_op(u8 first, u8 jump)
{
	u8 base;

	if (jump < PF_OP_JEQ_K || jump > PF_OP_JSET_K)
		return 0;
	if (first >= PF_OP_LD_W_ABS && first <= PF_OP_LD_B_IND)
		base = (u8)(PF_OP_LD_W_ABS_JEQ + 4 * (first - PF_OP_LD_W_ABS));
	else if (first == PF_OP_AND_K)
		base = PF_OP_AND_JEQ;
	else
		return 0;
	return (u8)(base + (jump - PF_OP_JEQ_K));
}

/* An MSH followed by a fused indexed load and jump: the three-way op, or 0. */
static u8 fused_msh(const struct pf_bpf_op *msh, const struct pf_bpf_op *next)
{
	if (msh->code != PF_OP_LDX_MSH || msh->k > 0xffff ||
	    next->code < PF_OP_LD_W_IND_JEQ || next->code > PF_OP_LD_B_IND_JSET)
		return 0;
	return (u8)(PF_OP_MSH_W_IND_JEQ + (next->code - PF_OP_LD_W_IND_JEQ));
}

/* Distance in bytes from op pc to op target (target > pc: jumps go forward). */
static u16 op_dist(u32 pc, u32 target)
{
	return (u16)((target - pc) * sizeof(struct pf_bpf_op));
}

void pf_bpf_decode(const struct pf_bpf_insn *insns, u32 n, struct pf_bpf_op *ops)
{
	u32 pc;
	u8 f;

	for (pc = 0; pc < n; pc++) {
		struct pf_bpf_op *op = &ops[pc];

		pf_memset(op, 0, sizeof(*op));
		op->code = decode_one(insns[pc].code);
		op->k = insns[pc].k;
		if (PF_BPF_CLASS(insns[pc].code) == PF_BPF_JMP) {
			if (op->code == PF_OP_JA) {
				op->jt = op->jf = op_dist(pc, pc + 1 + insns[pc].k);
			} else {
				op->jt = op_dist(pc, pc + 1 + insns[pc].jt);
				op->jf = op_dist(pc, pc + 1 + insns[pc].jf);
			}
		}
	}
	/* Fuse a load (or AND) with the jump after it, backwards so that an MSH
	 * sees the fused load after it; later ops keep their slots (and codes). */
	for (pc = n - 1; pc-- > 0;) {
		f = fused_op(ops[pc].code, ops[pc + 1].code);
		if (f) {
			ops[pc].code = f;
			ops[pc].k2 = ops[pc + 1].k;
			ops[pc].jt = (u16)(ops[pc + 1].jt + sizeof(struct pf_bpf_op));
			ops[pc].jf = (u16)(ops[pc + 1].jf + sizeof(struct pf_bpf_op));
			continue;
		}
		f = fused_msh(&ops[pc], &ops[pc + 1]);
		if (f) {
			ops[pc].code = f;
			ops[pc].k3 = (u16)ops[pc].k;
			ops[pc].k = ops[pc + 1].k;
			ops[pc].k2 = ops[pc + 1].k2;
			ops[pc].jt = (u16)(ops[pc + 1].jt + sizeof(struct pf_bpf_op));
			ops[pc].jf = (u16)(ops[pc + 1].jf + sizeof(struct pf_bpf_op));
		}
	}
}

/* ---- running */

/*
 * Every op ends in its own indirect jump (the asm statement, different at each
 * site, keeps the compiler from merging them into one shared, badly predicted
 * jump), and a conditional jump takes a real branch to one of two dispatches.
 */
#define DISPATCH()   do { __asm__ volatile("" : : "n"(__COUNTER__)); \
			  goto *labels[op->code]; } while (0)
#define NEXT()       do { op++; DISPATCH(); } while (0)
#define GO(dist)     (op = (const struct pf_bpf_op *)((const u8 *)op + (dist)))
#define JUMP(cond)   do { if (cond) { GO(op->jt); DISPATCH(); } \
			  GO(op->jf); DISPATCH(); } while (0)

/* Loads at an absolute offset: k < 0xffe00000 (validated), so k + 4 cannot wrap. */
#define LOAD_W_ABS() do { if (PF_UNLIKELY(op->k + 4 > caplen)) return 0; \
			  A = pf_load_be32(pkt + op->k); } while (0)
#define LOAD_H_ABS() do { if (PF_UNLIKELY(op->k + 2 > caplen)) return 0; \
			  A = pf_load_be16(pkt + op->k); } while (0)
#define LOAD_B_ABS() do { if (PF_UNLIKELY(op->k >= caplen)) return 0; \
			  A = pkt[op->k]; } while (0)
/* Indexed loads: X + k in 64 bits. */
#define LOAD_W_IND() do { u64 off_ = (u64)X + op->k; \
			  if (PF_UNLIKELY(off_ + 4 > caplen)) return 0; \
			  A = pf_load_be32(pkt + off_); } while (0)
#define LOAD_H_IND() do { u64 off_ = (u64)X + op->k; \
			  if (PF_UNLIKELY(off_ + 2 > caplen)) return 0; \
			  A = pf_load_be16(pkt + off_); } while (0)
#define LOAD_B_IND() do { u64 off_ = (u64)X + op->k; \
			  if (PF_UNLIKELY(off_ >= caplen)) return 0; \
			  A = pkt[off_]; } while (0)
#define LOAD_MSH(k)  do { if (PF_UNLIKELY((k) >= caplen)) return 0; \
			  X = (u32)(pkt[(k)] & 0xf) << 2; } while (0)
#define MSH_W_IND()  do { LOAD_MSH(op->k3); LOAD_W_IND(); } while (0)
#define MSH_H_IND()  do { LOAD_MSH(op->k3); LOAD_H_IND(); } while (0)
#define MSH_B_IND()  do { LOAD_MSH(op->k3); LOAD_B_IND(); } while (0)
#define AND_K()      (A &= op->k)

#define FUSED(NAME, FIRST) \
	l_##NAME##_JEQ:  FIRST(); JUMP(A == op->k2); \
	l_##NAME##_JGT:  FIRST(); JUMP(A > op->k2); \
	l_##NAME##_JGE:  FIRST(); JUMP(A >= op->k2); \
	l_##NAME##_JSET: FIRST(); JUMP(A & op->k2);

#define FUSED_LABELS(NAME) \
	[PF_OP_##NAME##_JEQ] = &&l_##NAME##_JEQ, [PF_OP_##NAME##_JGT] = &&l_##NAME##_JGT, \
	[PF_OP_##NAME##_JGE] = &&l_##NAME##_JGE, [PF_OP_##NAME##_JSET] = &&l_##NAME##_JSET

u32 pf_bpf_run(const struct pf_bpf_prog *prog, const u8 *pkt, u32 caplen, u32 len)
{
	static const void *const labels[PF_OP_COUNT] = {
		[PF_OP_RET_K] = &&l_RET_K, [PF_OP_RET_A] = &&l_RET_A,
		[PF_OP_LD_W_ABS] = &&l_LD_W_ABS, [PF_OP_LD_H_ABS] = &&l_LD_H_ABS,
		[PF_OP_LD_B_ABS] = &&l_LD_B_ABS, [PF_OP_LD_W_IND] = &&l_LD_W_IND,
		[PF_OP_LD_H_IND] = &&l_LD_H_IND, [PF_OP_LD_B_IND] = &&l_LD_B_IND,
		[PF_OP_LD_LEN] = &&l_LD_LEN, [PF_OP_LD_IMM] = &&l_LD_IMM,
		[PF_OP_LD_MEM] = &&l_LD_MEM, [PF_OP_LDX_LEN] = &&l_LDX_LEN,
		[PF_OP_LDX_IMM] = &&l_LDX_IMM, [PF_OP_LDX_MEM] = &&l_LDX_MEM,
		[PF_OP_LDX_MSH] = &&l_LDX_MSH, [PF_OP_ST] = &&l_ST, [PF_OP_STX] = &&l_STX,
		[PF_OP_ADD_K] = &&l_ADD_K, [PF_OP_SUB_K] = &&l_SUB_K, [PF_OP_MUL_K] = &&l_MUL_K,
		[PF_OP_DIV_K] = &&l_DIV_K, [PF_OP_MOD_K] = &&l_MOD_K, [PF_OP_AND_K] = &&l_AND_K,
		[PF_OP_OR_K] = &&l_OR_K, [PF_OP_XOR_K] = &&l_XOR_K, [PF_OP_LSH_K] = &&l_LSH_K,
		[PF_OP_RSH_K] = &&l_RSH_K,
		[PF_OP_ADD_X] = &&l_ADD_X, [PF_OP_SUB_X] = &&l_SUB_X, [PF_OP_MUL_X] = &&l_MUL_X,
		[PF_OP_DIV_X] = &&l_DIV_X, [PF_OP_MOD_X] = &&l_MOD_X, [PF_OP_AND_X] = &&l_AND_X,
		[PF_OP_OR_X] = &&l_OR_X, [PF_OP_XOR_X] = &&l_XOR_X, [PF_OP_LSH_X] = &&l_LSH_X,
		[PF_OP_RSH_X] = &&l_RSH_X,
		[PF_OP_NEG] = &&l_NEG, [PF_OP_TAX] = &&l_TAX, [PF_OP_TXA] = &&l_TXA,
		[PF_OP_JA] = &&l_JA,
		[PF_OP_JEQ_K] = &&l_JEQ_K, [PF_OP_JGT_K] = &&l_JGT_K,
		[PF_OP_JGE_K] = &&l_JGE_K, [PF_OP_JSET_K] = &&l_JSET_K,
		[PF_OP_JEQ_X] = &&l_JEQ_X, [PF_OP_JGT_X] = &&l_JGT_X,
		[PF_OP_JGE_X] = &&l_JGE_X, [PF_OP_JSET_X] = &&l_JSET_X,
		FUSED_LABELS(LD_W_ABS), FUSED_LABELS(LD_H_ABS), FUSED_LABELS(LD_B_ABS),
		FUSED_LABELS(LD_W_IND), FUSED_LABELS(LD_H_IND), FUSED_LABELS(LD_B_IND),
		FUSED_LABELS(MSH_W_IND), FUSED_LABELS(MSH_H_IND), FUSED_LABELS(MSH_B_IND),
		FUSED_LABELS(AND),
	};
	const struct pf_bpf_op *op = prog->ops;
	u32 A = 0, X = 0;
	u32 mem[PF_BPF_MEMWORDS]; /* validated: never read before written */

	DISPATCH();

l_RET_K:	return op->k;
l_RET_A:	return A;
l_LD_W_ABS:	LOAD_W_ABS(); NEXT();
l_LD_H_ABS:	LOAD_H_ABS(); NEXT();
l_LD_B_ABS:	LOAD_B_ABS(); NEXT();
l_LD_W_IND:	LOAD_W_IND(); NEXT();
l_LD_H_IND:	LOAD_H_IND(); NEXT();
l_LD_B_IND:	LOAD_B_IND(); NEXT();
l_LD_LEN:	A = len; NEXT();
l_LD_IMM:	A = op->k; NEXT();
l_LD_MEM:	A = mem[op->k]; NEXT();
l_LDX_LEN:	X = len; NEXT();
l_LDX_IMM:	X = op->k; NEXT();
l_LDX_MEM:	X = mem[op->k]; NEXT();
l_LDX_MSH:	LOAD_MSH(op->k); NEXT();
l_ST:		mem[op->k] = A; NEXT();
l_STX:		mem[op->k] = X; NEXT();
l_ADD_K:	A += op->k; NEXT();
l_SUB_K:	A -= op->k; NEXT();
l_MUL_K:	A *= op->k; NEXT();
l_DIV_K:	A /= op->k; NEXT();
l_MOD_K:	A %= op->k; NEXT();
l_AND_K:	A &= op->k; NEXT();
l_OR_K:		A |= op->k; NEXT();
l_XOR_K:	A ^= op->k; NEXT();
l_LSH_K:	A <<= op->k; NEXT();
l_RSH_K:	A >>= op->k; NEXT();
l_ADD_X:	A += X; NEXT();
l_SUB_X:	A -= X; NEXT();
l_MUL_X:	A *= X; NEXT();
l_DIV_X:
	if (PF_UNLIKELY(X == 0))
		return 0;
	A /= X;
	NEXT();
l_MOD_X:
	if (PF_UNLIKELY(X == 0))
		return 0;
	A %= X;
	NEXT();
l_AND_X:	A &= X; NEXT();
l_OR_X:		A |= X; NEXT();
l_XOR_X:	A ^= X; NEXT();
l_LSH_X:	A = X < 32 ? A << X : 0; NEXT();
l_RSH_X:	A = X < 32 ? A >> X : 0; NEXT();
l_NEG:		A = 0u - A; NEXT();
l_TAX:		X = A; NEXT();
l_TXA:		A = X; NEXT();
l_JA:		GO(op->jt); DISPATCH();
l_JEQ_K:	JUMP(A == op->k);
l_JGT_K:	JUMP(A > op->k);
l_JGE_K:	JUMP(A >= op->k);
l_JSET_K:	JUMP(A & op->k);
l_JEQ_X:	JUMP(A == X);
l_JGT_X:	JUMP(A > X);
l_JGE_X:	JUMP(A >= X);
l_JSET_X:	JUMP(A & X);
	FUSED(LD_W_ABS, LOAD_W_ABS)
	FUSED(LD_H_ABS, LOAD_H_ABS)
	FUSED(LD_B_ABS, LOAD_B_ABS)
	FUSED(LD_W_IND, LOAD_W_IND)
	FUSED(LD_H_IND, LOAD_H_IND)
	FUSED(LD_B_IND, LOAD_B_IND)
	FUSED(MSH_W_IND, MSH_W_IND)
	FUSED(MSH_H_IND, MSH_H_IND)
	FUSED(MSH_B_IND, MSH_B_IND)
	FUSED(AND, AND_K)
}
