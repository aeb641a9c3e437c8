/*
 * core/bpf.c - the classic BPF checker and the program container.
 *
 * pf_bpf_validate() applies the rules of Linux's bpf_check_classic() (the old
 * sk_chk_filter()): the exact opcode list, in-range forward jumps, scratch
 * indices below 16, no division, modulo or shift by an invalid constant, a
 * return at the end, and scratch memory written before it is read on every
 * path. Two departures, both stricter:
 *   - Linux's negative offsets (ancillary data at SKF_AD_OFF and above, the
 *     SKF_NET_OFF / SKF_LL_OFF header bases) mean something only inside the
 *     kernel; libpcap emits them only when asked to build a filter for the
 *     kernel. A load from offset 0xffe00000 or above is refused, so a program
 *     means the same in every home.
 *   - a return ends a path: the instruction after it is reached by jumps only
 *     (the kernel carries the state over the return, which is merely looser
 *     on scratch memory, never unsafe).
 * Every program accepted here is also accepted by libpcap's bpf_validate()
 * (the fuzz target checks it) and runs in bpf_filter() without ever reaching
 * its "unknown opcode" default.
 */
#include "bpf.h"
#include "bpf_codes.h"
#include "bpf_prog.h"

/* ---- messages (no snprintf in core) */

struct pf_msg {
	char *buf;
	u32 cap, len;
};

static void msg_str(struct pf_msg *m, const char *s)
{
	while (*s && m->len + 1 < m->cap)
		m->buf[m->len++] = *s++;
	if (m->cap)
		m->buf[m->len] = '\0';
}

static void msg_u32(struct pf_msg *m, u32 v)
{
	char tmp[11];
	int i = 10;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	msg_str(m, tmp + i);
}

static void msg_hex(struct pf_msg *m, u32 v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[11];
	int i = 10;

	tmp[i] = '\0';
	do {
		tmp[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	msg_str(m, tmp + i);
}

static u32 bpf_strlen(const char *s, u32 cap)
{
	u32 n = 0;

	while (n < cap && s[n])
		n++;
	return n;
}

/* "instruction <pc>: <what>[<value>]" */
static int bpf_refuse(char *err, u32 errlen, u32 pc, const char *what,
		      int with_value, u32 value, int rc)
{
	struct pf_msg m = { err, err ? errlen : 0, 0 };

	msg_str(&m, "instruction ");
	msg_u32(&m, pc);
	msg_str(&m, ": ");
	msg_str(&m, what);
	if (with_value)
		msg_hex(&m, value);
	return rc;
}

/* ---- opcodes */

/* Exactly the kernel's list of classic opcodes (chk_code_allowed()). */
static int bpf_code_known(u16 code)
{
	switch (code) {
	case PF_BPF_ALU | PF_BPF_ADD | PF_BPF_K: case PF_BPF_ALU | PF_BPF_ADD | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_SUB | PF_BPF_K: case PF_BPF_ALU | PF_BPF_SUB | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_MUL | PF_BPF_K: case PF_BPF_ALU | PF_BPF_MUL | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_DIV | PF_BPF_K: case PF_BPF_ALU | PF_BPF_DIV | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_MOD | PF_BPF_K: case PF_BPF_ALU | PF_BPF_MOD | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_AND | PF_BPF_K: case PF_BPF_ALU | PF_BPF_AND | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_OR | PF_BPF_K:  case PF_BPF_ALU | PF_BPF_OR | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_XOR | PF_BPF_K: case PF_BPF_ALU | PF_BPF_XOR | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_LSH | PF_BPF_K: case PF_BPF_ALU | PF_BPF_LSH | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_RSH | PF_BPF_K: case PF_BPF_ALU | PF_BPF_RSH | PF_BPF_X:
	case PF_BPF_ALU | PF_BPF_NEG:
	case PF_BPF_LD | PF_BPF_W | PF_BPF_ABS:
	case PF_BPF_LD | PF_BPF_H | PF_BPF_ABS:
	case PF_BPF_LD | PF_BPF_B | PF_BPF_ABS:
	case PF_BPF_LD | PF_BPF_W | PF_BPF_LEN:
	case PF_BPF_LD | PF_BPF_W | PF_BPF_IND:
	case PF_BPF_LD | PF_BPF_H | PF_BPF_IND:
	case PF_BPF_LD | PF_BPF_B | PF_BPF_IND:
	case PF_BPF_LD | PF_BPF_IMM:
	case PF_BPF_LD | PF_BPF_MEM:
	case PF_BPF_LDX | PF_BPF_W | PF_BPF_LEN:
	case PF_BPF_LDX | PF_BPF_B | PF_BPF_MSH:
	case PF_BPF_LDX | PF_BPF_IMM:
	case PF_BPF_LDX | PF_BPF_MEM:
	case PF_BPF_ST:
	case PF_BPF_STX:
	case PF_BPF_MISC | PF_BPF_TAX:
	case PF_BPF_MISC | PF_BPF_TXA:
	case PF_BPF_RET | PF_BPF_K:
	case PF_BPF_RET | PF_BPF_A:
	case PF_BPF_JMP | PF_BPF_JA:
	case PF_BPF_JMP | PF_BPF_JEQ | PF_BPF_K: case PF_BPF_JMP | PF_BPF_JEQ | PF_BPF_X:
	case PF_BPF_JMP | PF_BPF_JGE | PF_BPF_K: case PF_BPF_JMP | PF_BPF_JGE | PF_BPF_X:
	case PF_BPF_JMP | PF_BPF_JGT | PF_BPF_K: case PF_BPF_JMP | PF_BPF_JGT | PF_BPF_X:
	case PF_BPF_JMP | PF_BPF_JSET | PF_BPF_K: case PF_BPF_JMP | PF_BPF_JSET | PF_BPF_X:
		return 1;
	}
	return 0;
}

static int bpf_is_mem_access(u16 code)
{
	return code == (PF_BPF_LD | PF_BPF_MEM) || code == (PF_BPF_LDX | PF_BPF_MEM) ||
	       code == PF_BPF_ST || code == PF_BPF_STX;
}

static int bpf_is_mem_load(u16 code)
{
	return code == (PF_BPF_LD | PF_BPF_MEM) || code == (PF_BPF_LDX | PF_BPF_MEM);
}

static int bpf_is_packet_load(u16 code)
{
	u16 mode = PF_BPF_MODE(code);

	return (PF_BPF_CLASS(code) == PF_BPF_LD && (mode == PF_BPF_ABS || mode == PF_BPF_IND)) ||
	       code == (PF_BPF_LDX | PF_BPF_B | PF_BPF_MSH);
}

static int bpf_is_cond_jump(u16 code)
{
	return PF_BPF_CLASS(code) == PF_BPF_JMP && PF_BPF_OP(code) != PF_BPF_JA;
}

/* The checks of one instruction that do not depend on the paths to it. */
static int bpf_check_insn(const struct pf_bpf_insn *f, u32 pc, u32 n, char *err, u32 errlen)
{
	u16 code = f->code;

	if (!bpf_code_known(code))
		return bpf_refuse(err, errlen, pc, "unknown opcode ", 1, code, -PF_EINVAL);
	if (code == (PF_BPF_ALU | PF_BPF_DIV | PF_BPF_K) && f->k == 0)
		return bpf_refuse(err, errlen, pc, "division by constant zero", 0, 0, -PF_EINVAL);
	if (code == (PF_BPF_ALU | PF_BPF_MOD | PF_BPF_K) && f->k == 0)
		return bpf_refuse(err, errlen, pc, "modulo by constant zero", 0, 0, -PF_EINVAL);
	if ((code == (PF_BPF_ALU | PF_BPF_LSH | PF_BPF_K) ||
	     code == (PF_BPF_ALU | PF_BPF_RSH | PF_BPF_K)) && f->k >= 32)
		return bpf_refuse(err, errlen, pc, "shift by 32 bits or more: k=", 1, f->k,
				  -PF_EINVAL);
	if (bpf_is_mem_access(code) && f->k >= PF_BPF_MEMWORDS)
		return bpf_refuse(err, errlen, pc, "scratch memory index out of range (0..15): k=",
				  1, f->k, -PF_EINVAL);
	if (bpf_is_packet_load(code) && f->k >= PF_SKF_LL_OFF)
		return bpf_refuse(err, errlen, pc,
				  "Linux ancillary/negative-offset load not supported: k=", 1, f->k,
				  -PF_EINVAL);
	if (code == (PF_BPF_JMP | PF_BPF_JA) && f->k >= n - pc - 1)
		return bpf_refuse(err, errlen, pc,
				  "jump out of the program (jumps go forward only): ja +", 1, f->k,
				  -PF_EINVAL);
	if (bpf_is_cond_jump(code) && (pc + f->jt + 1 >= n || pc + f->jf + 1 >= n)) {
		struct pf_msg m = { err, err ? errlen : 0, 0 };

		bpf_refuse(err, errlen, pc, "conditional jump out of the program: jt +", 0, 0, 0);
		m.len = bpf_strlen(err, m.cap);
		msg_u32(&m, f->jt);
		msg_str(&m, " jf +");
		msg_u32(&m, f->jf);
		msg_str(&m, " (");
		msg_u32(&m, n);
		msg_str(&m, " instructions)");
		return -PF_EINVAL;
	}
	return 0;
}

/*
 * Scratch memory is written before it is read on every path, one cell at a
 * time: pend[] holds, per instruction, whether every jump to it seen so far
 * arrives with the cell written (one bit per instruction, so a 512-byte stack
 * buffer covers the longest program). Jumps go forward only, so instruction
 * order is a topological order and one pass per cell is exact.
 */
static int bpf_check_cell(const struct pf_bpf_insn *f, u32 n, u32 cell, char *err, u32 errlen)
{
	u32 pend[PF_BPF_MAXINSNS / 32];
	u32 pc, valid = 0;

	pf_memset(pend, 0xff, sizeof(pend));
	for (pc = 0; pc < n; pc++) {
		u16 code = f[pc].code;

		valid &= (pend[pc / 32] >> (pc % 32)) & 1;
		if ((code == PF_BPF_ST || code == PF_BPF_STX) && f[pc].k == cell) {
			valid = 1;
		} else if (bpf_is_mem_load(code) && f[pc].k == cell && !valid) {
			struct pf_msg m = { err, err ? errlen : 0, 0 };

			bpf_refuse(err, errlen, pc,
				   "scratch memory read before written on some path: M[", 0, 0, 0);
			m.len = bpf_strlen(err, m.cap);
			msg_u32(&m, cell);
			msg_str(&m, "]");
			return -PF_EINVAL;
		} else if (code == (PF_BPF_JMP | PF_BPF_JA)) {
			u32 t = pc + 1 + f[pc].k;

			if (!valid)
				pend[t / 32] &= ~(1u << (t % 32));
			valid = 1;
		} else if (bpf_is_cond_jump(code)) {
			u32 tt = pc + 1 + f[pc].jt, tf = pc + 1 + f[pc].jf;

			if (!valid) {
				pend[tt / 32] &= ~(1u << (tt % 32));
				pend[tf / 32] &= ~(1u << (tf % 32));
			}
			valid = 1;
		} else if (PF_BPF_CLASS(code) == PF_BPF_RET) {
			valid = 1;
		}
	}
	return 0;
}

static int bpf_check_memory(const struct pf_bpf_insn *f, u32 n, char *err, u32 errlen)
{
	u32 pc, cell, loaded = 0;
	int rc;

	for (pc = 0; pc < n; pc++)
		if (bpf_is_mem_load(f[pc].code))
			loaded |= 1u << f[pc].k;
	for (cell = 0; cell < PF_BPF_MEMWORDS; cell++) {
		if (!(loaded & (1u << cell)))
			continue;
		rc = bpf_check_cell(f, n, cell, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int pf_bpf_validate(const struct pf_bpf_insn *insns, u32 n, char *err, u32 errlen)
{
	struct pf_msg m = { err, err ? errlen : 0, 0 };
	u32 pc;
	int rc;

	if (!insns || n == 0) {
		msg_str(&m, "empty program (no instructions)");
		return -PF_EINVAL;
	}
	if (n > PF_BPF_MAXINSNS) {
		msg_str(&m, "program too long: ");
		msg_u32(&m, n);
		msg_str(&m, " instructions (at most 4096)");
		return -PF_E2BIG;
	}
	for (pc = 0; pc < n; pc++) {
		rc = bpf_check_insn(&insns[pc], pc, n, err, errlen);
		if (rc)
			return rc;
	}
	if (PF_BPF_CLASS(insns[n - 1].code) != PF_BPF_RET)
		return bpf_refuse(err, errlen, n - 1, "the last instruction is not a return", 0, 0,
				  -PF_EINVAL);
	rc = bpf_check_memory(insns, n, err, errlen);
	if (rc)
		return rc;
	msg_str(&m, "");
	return 0;
}

/* ---- the container */

struct pf_bpf_prog *pf_bpf_prepare(const struct pf_home *h, const struct pf_bpf_insn *insns,
				   u32 n, char *err, u32 errlen)
{
	struct pf_bpf_prog *prog;
	struct pf_bpf_insn *copy;
	size_t size;

	if (pf_bpf_validate(insns, n, err, errlen))
		return (void *)0;
	size = sizeof(*prog) + (size_t)n * (sizeof(struct pf_bpf_op) + sizeof(*insns));
	prog = h && h->alloc ? h->alloc(h->ctx, size) : (void *)0;
	if (!prog) {
		struct pf_msg m = { err, err ? errlen : 0, 0 };

		msg_str(&m, "out of memory for the BPF program");
		return (void *)0;
	}
	copy = (struct pf_bpf_insn *)(prog->ops + n);
	pf_memcpy(copy, insns, (size_t)n * sizeof(*insns));
	prog->n = n;
	prog->insns = copy;
	pf_bpf_decode(copy, n, prog->ops);
	return prog;
}

void pf_bpf_free(const struct pf_home *h, struct pf_bpf_prog *prog)
{
	if (prog && h && h->free)
		h->free(h->ctx, prog);
}

const struct pf_bpf_insn *pf_bpf_insns(const struct pf_bpf_prog *prog, u32 *n)
{
	if (n)
		*n = prog ? prog->n : 0;
	return prog ? prog->insns : (void *)0;
}
