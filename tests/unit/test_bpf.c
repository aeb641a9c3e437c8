/*
 * tests/unit/test_bpf.c - classic BPF in the engine: the validator, core's
 * executor and the user-space compile step.
 *
 * The key test is differential: every expression of bpf_exprs.h, compiled by
 * pfring_bpf_compile(), runs over every packet of every Ethernet fixture in
 * tests/fixtures/ and over an in-memory packet set (hand-built templates,
 * seeded random mutations of them, truncated copies at every caplen), and
 * pf_bpf_run()'s result must equal libpcap's bpf_filter() packet by packet.
 * Each packet sits in a heap buffer of exactly caplen bytes, so valgrind sees
 * any read past it.
 *
 * Longer than 800 lines on purpose: one suite per unit under test, every case
 * spelled out with its exact expectations, so a failure names what broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "pfring.h"
#include "core/bpf.h"
#include "lib/bpf_compile.h"
#include "bpf_exprs.h"

#define SNAPLEN 262144

static int quick(void)
{
	const char *q = getenv("PF_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

/* ------------------------------------------------------------------ home */

static int alloc_fail;

static void *t_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return alloc_fail ? NULL : calloc(1, n);
}

static void t_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static const struct pf_home home = { .alloc = t_alloc, .free = t_free };

/* ------------------------------------------------------------------ helpers */

#define S(c, k)          { (uint16_t)(c), 0, 0, (uint32_t)(k) }
#define J(c, k, jt, jf)  { (uint16_t)(c), (jt), (jf), (uint32_t)(k) }
#define N(a)             ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static int refused_with(const struct pf_bpf_insn *f, uint32_t n, int rc, const char *msg)
{
	char err[256];
	int got;

	memset(err, 'x', sizeof(err));
	got = pf_bpf_validate(f, n, err, sizeof(err));
	if (got != rc || !strstr(err, msg)) {
		print_error("validate: rc %d (want %d), message \"%s\" (want \"%s\")\n",
			    got, rc, err, msg);
		return 0;
	}
	return 1;
}

static int accepted(const struct pf_bpf_insn *f, uint32_t n)
{
	char err[256] = "";
	int rc = pf_bpf_validate(f, n, err, sizeof(err));

	if (rc)
		print_error("validate refused: %d %s\n", rc, err);
	return rc == 0 && err[0] == '\0';
}

/* ------------------------------------------------------------------ validator */

static void test_validate_refusals(void **state)
{
	struct pf_bpf_insn ret0[] = { S(BPF_RET | BPF_K, 0) };
	struct pf_bpf_insn unknown[] = { S(0xff, 0), S(BPF_RET | BPF_K, 0) };
	struct pf_bpf_insn ld_msh[] = { S(BPF_LD | BPF_B | BPF_MSH, 14), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ldx_h_msh[] = { S(BPF_LDX | BPF_H | BPF_MSH, 14), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ld_b_imm[] = { S(BPF_LD | BPF_B | BPF_IMM, 1), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ld_h_len[] = { S(BPF_LD | BPF_H | BPF_LEN, 0), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ret_x[] = { S(BPF_RET | BPF_X, 0) };
	struct pf_bpf_insn misc_bad[] = { S(BPF_MISC | 0x40, 0), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn alu_bad[] = { S(BPF_ALU | 0xb0 | BPF_K, 1), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn jmp_bad[] = { J(BPF_JMP | 0x50 | BPF_K, 1, 0, 0), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn jt_out[] = {
		S(BPF_LD | BPF_IMM, 1), J(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn jf_out[] = {
		J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 200), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ja_out[] = {
		S(BPF_JMP | BPF_JA, 1), S(BPF_RET | BPF_K, 1) };
	struct pf_bpf_insn ja_back[] = {
		S(BPF_LD | BPF_IMM, 1), S(BPF_JMP | BPF_JA, 0xfffffffe), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn st16[] = { S(BPF_ST, 16), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn stx16[] = { S(BPF_STX, 16), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ldm16[] = { S(BPF_LD | BPF_MEM, 16), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ldxm16[] = { S(BPF_LDX | BPF_MEM, 0xffffffff), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn div0[] = { S(BPF_ALU | BPF_DIV | BPF_K, 0), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn mod0[] = { S(BPF_ALU | BPF_MOD | BPF_K, 0), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn lsh32[] = { S(BPF_ALU | BPF_LSH | BPF_K, 32), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn rsh40[] = { S(BPF_ALU | BPF_RSH | BPF_K, 40), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn no_ret[] = { S(BPF_LD | BPF_IMM, 1), S(BPF_MISC | BPF_TAX, 0) };
	struct pf_bpf_insn anc[] = { S(BPF_LD | BPF_B | BPF_ABS, 0xfffff000 + 44),
				     S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn net_off[] = { S(BPF_LD | BPF_H | BPF_IND, 0xfff00000),
					 S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn ll_msh[] = { S(BPF_LDX | BPF_B | BPF_MSH, 0xffe00000),
					S(BPF_RET | BPF_A, 0) };
	/* M[2] written on the jt path only */
	struct pf_bpf_insn mem_one_path[] = {
		S(BPF_LD | BPF_B | BPF_ABS, 0), J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		S(BPF_ST, 2), S(BPF_LDX | BPF_MEM, 2), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn mem_unwritten[] = { S(BPF_LD | BPF_MEM, 5), S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_insn *big;
	char small[8];
	uint32_t i;

	(void)state;
	assert_true(refused_with(ret0, 0, -PF_EINVAL, "empty program"));
	assert_true(refused_with(NULL, 3, -PF_EINVAL, "empty program"));
	assert_true(refused_with(unknown, N(unknown), -PF_EINVAL, "instruction 0: unknown opcode 0xff"));
	assert_true(refused_with(ld_msh, N(ld_msh), -PF_EINVAL, "instruction 0: unknown opcode 0xb0"));
	assert_true(refused_with(ldx_h_msh, N(ldx_h_msh), -PF_EINVAL, "unknown opcode 0xa9"));
	assert_true(refused_with(ld_b_imm, N(ld_b_imm), -PF_EINVAL, "unknown opcode 0x10"));
	assert_true(refused_with(ld_h_len, N(ld_h_len), -PF_EINVAL, "unknown opcode 0x88"));
	assert_true(refused_with(ret_x, N(ret_x), -PF_EINVAL, "unknown opcode 0xe"));
	assert_true(refused_with(misc_bad, N(misc_bad), -PF_EINVAL, "unknown opcode 0x47"));
	assert_true(refused_with(alu_bad, N(alu_bad), -PF_EINVAL, "unknown opcode 0xb4"));
	assert_true(refused_with(jmp_bad, N(jmp_bad), -PF_EINVAL, "unknown opcode 0x55"));
	assert_true(refused_with(jt_out, N(jt_out), -PF_EINVAL,
				 "instruction 1: conditional jump out of the program: jt +1 jf +0 "
				 "(3 instructions)"));
	assert_true(refused_with(jf_out, N(jf_out), -PF_EINVAL,
				 "instruction 0: conditional jump out of the program: jt +0 jf +200"));
	assert_true(refused_with(ja_out, N(ja_out), -PF_EINVAL,
				 "instruction 0: jump out of the program"));
	assert_true(refused_with(ja_back, N(ja_back), -PF_EINVAL,
				 "instruction 1: jump out of the program (jumps go forward only): "
				 "ja +0xfffffffe"));
	assert_true(refused_with(st16, N(st16), -PF_EINVAL,
				 "instruction 0: scratch memory index out of range (0..15): k=0x10"));
	assert_true(refused_with(stx16, N(stx16), -PF_EINVAL, "scratch memory index out of range"));
	assert_true(refused_with(ldm16, N(ldm16), -PF_EINVAL, "scratch memory index out of range"));
	assert_true(refused_with(ldxm16, N(ldxm16), -PF_EINVAL, "k=0xffffffff"));
	assert_true(refused_with(div0, N(div0), -PF_EINVAL, "instruction 0: division by constant zero"));
	assert_true(refused_with(mod0, N(mod0), -PF_EINVAL, "instruction 0: modulo by constant zero"));
	assert_true(refused_with(lsh32, N(lsh32), -PF_EINVAL, "shift by 32 bits or more: k=0x20"));
	assert_true(refused_with(rsh40, N(rsh40), -PF_EINVAL, "shift by 32 bits or more: k=0x28"));
	assert_true(refused_with(no_ret, N(no_ret), -PF_EINVAL,
				 "instruction 1: the last instruction is not a return"));
	assert_true(refused_with(anc, N(anc), -PF_EINVAL,
				 "instruction 0: Linux ancillary/negative-offset load"));
	assert_true(refused_with(net_off, N(net_off), -PF_EINVAL, "k=0xfff00000"));
	assert_true(refused_with(ll_msh, N(ll_msh), -PF_EINVAL, "k=0xffe00000"));
	assert_true(refused_with(mem_one_path, N(mem_one_path), -PF_EINVAL,
				 "instruction 3: scratch memory read before written on some path: M[2]"));
	assert_true(refused_with(mem_unwritten, N(mem_unwritten), -PF_EINVAL,
				 "instruction 0: scratch memory read before written on some path: M[5]"));

	/* too long: 4097 instructions */
	big = calloc(PF_BPF_MAXINSNS + 1, sizeof(*big));
	assert_non_null(big);
	for (i = 0; i <= PF_BPF_MAXINSNS; i++)
		big[i] = (struct pf_bpf_insn)S(BPF_RET | BPF_K, 1);
	assert_true(refused_with(big, PF_BPF_MAXINSNS + 1, -PF_E2BIG,
				 "program too long: 4097 instructions"));
	/* the longest program is fine */
	assert_true(accepted(big, PF_BPF_MAXINSNS));
	free(big);

	/* a short buffer gets a truncated, terminated message; none is fine too */
	memset(small, 'x', sizeof(small));
	assert_int_equal(pf_bpf_validate(div0, N(div0), small, sizeof(small)), -PF_EINVAL);
	assert_string_equal(small, "instruc");
	assert_int_equal(pf_bpf_validate(div0, N(div0), NULL, 0), -PF_EINVAL);
	memset(small, 'x', sizeof(small));
	assert_int_equal(pf_bpf_validate(div0, N(div0), small, 0), -PF_EINVAL);
	assert_int_equal(small[0], 'x');  /* errlen 0: untouched */
	/* a refused program is never prepared */
	assert_null(pf_bpf_prepare(&home, div0, N(div0), NULL, 0));
}

static void test_validate_accepts(void **state)
{
	/* every opcode of the kernel's list at least once */
	struct pf_bpf_insn all[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0), S(BPF_LD | BPF_H | BPF_ABS, 0),
		S(BPF_LD | BPF_B | BPF_ABS, 0), S(BPF_LD | BPF_W | BPF_LEN, 0),
		S(BPF_LD | BPF_W | BPF_IND, 0), S(BPF_LD | BPF_H | BPF_IND, 0),
		S(BPF_LD | BPF_B | BPF_IND, 0), S(BPF_LD | BPF_IMM, 7),
		S(BPF_ST, 15), S(BPF_STX, 0), S(BPF_LD | BPF_MEM, 15),
		S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_LDX | BPF_B | BPF_MSH, 0),
		S(BPF_LDX | BPF_IMM, 3), S(BPF_LDX | BPF_MEM, 0),
		S(BPF_ALU | BPF_ADD | BPF_K, 1), S(BPF_ALU | BPF_ADD | BPF_X, 0),
		S(BPF_ALU | BPF_SUB | BPF_K, 1), S(BPF_ALU | BPF_SUB | BPF_X, 0),
		S(BPF_ALU | BPF_MUL | BPF_K, 1), S(BPF_ALU | BPF_MUL | BPF_X, 0),
		S(BPF_ALU | BPF_DIV | BPF_K, 1), S(BPF_ALU | BPF_DIV | BPF_X, 0),
		S(BPF_ALU | BPF_MOD | BPF_K, 1), S(BPF_ALU | BPF_MOD | BPF_X, 0),
		S(BPF_ALU | BPF_AND | BPF_K, 1), S(BPF_ALU | BPF_AND | BPF_X, 0),
		S(BPF_ALU | BPF_OR | BPF_K, 1), S(BPF_ALU | BPF_OR | BPF_X, 0),
		S(BPF_ALU | BPF_XOR | BPF_K, 1), S(BPF_ALU | BPF_XOR | BPF_X, 0),
		S(BPF_ALU | BPF_LSH | BPF_K, 31), S(BPF_ALU | BPF_LSH | BPF_X, 0),
		S(BPF_ALU | BPF_RSH | BPF_K, 31), S(BPF_ALU | BPF_RSH | BPF_X, 0),
		S(BPF_ALU | BPF_NEG, 0), S(BPF_MISC | BPF_TAX, 0), S(BPF_MISC | BPF_TXA, 0),
		S(BPF_JMP | BPF_JA, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 0),
		J(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 0),
		J(BPF_JMP | BPF_JGE | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 0),
		J(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0), J(BPF_JMP | BPF_JSET | BPF_X, 0, 1, 0),
		S(BPF_RET | BPF_A, 0), S(BPF_RET | BPF_K, 5),
	};
	/* A return ends a path: M[1] reaches instruction 5 through the ja only,
	 * so it is written. (Linux carries the state of the path that ends at the
	 * return over to instruction 5 and would refuse this.) */
	struct pf_bpf_insn edges[] = {
		S(BPF_LD | BPF_B | BPF_ABS, 0), J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 2),
		S(BPF_ST, 1), S(BPF_JMP | BPF_JA, 1),
		S(BPF_RET | BPF_K, 0),
		S(BPF_LDX | BPF_MEM, 1), J(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 0),
		S(BPF_RET | BPF_A, 0),
	};
	struct pf_bpf_insn just_ret[] = { S(BPF_RET | BPF_K, 0xffffffff) };
	struct pf_bpf_insn top_load[] = { S(BPF_LD | BPF_W | BPF_ABS, 0xffdfffff),
					  S(BPF_RET | BPF_A, 0) };
	struct pf_bpf_prog *prog;
	const struct pf_bpf_insn *copy;
	uint32_t n = 99;

	(void)state;
	assert_true(accepted(all, N(all)));
	assert_true(accepted(edges, N(edges)));
	assert_true(accepted(just_ret, N(just_ret)));
	assert_true(accepted(top_load, N(top_load)));
	/* libpcap's own validator agrees */
	assert_true(bpf_validate((const struct bpf_insn *)all, (int)N(all)));
	assert_true(bpf_validate((const struct bpf_insn *)edges, (int)N(edges)));

	/* prepare keeps an exact copy */
	prog = pf_bpf_prepare(&home, all, N(all), NULL, 0);
	assert_non_null(prog);
	copy = pf_bpf_insns(prog, &n);
	assert_int_equal(n, N(all));
	assert_ptr_not_equal(copy, all);
	assert_memory_equal(copy, all, sizeof(all));
	pf_bpf_free(&home, prog);
	pf_bpf_free(&home, NULL);
	assert_null(pf_bpf_insns(NULL, &n));
	assert_int_equal(n, 0);
}

static void test_prepare_out_of_memory(void **state)
{
	struct pf_bpf_insn p[] = { S(BPF_RET | BPF_K, 1) };
	struct pf_home no_alloc = { 0 };
	char err[64];

	(void)state;
	alloc_fail = 1;
	assert_null(pf_bpf_prepare(&home, p, 1, err, sizeof(err)));
	alloc_fail = 0;
	assert_string_equal(err, "out of memory for the BPF program");
	assert_null(pf_bpf_prepare(&no_alloc, p, 1, err, sizeof(err)));
	assert_null(pf_bpf_prepare(NULL, p, 1, err, sizeof(err)));
}

/* ------------------------------------------------------------------ executor */

struct run_case {
	const char *name;
	struct pf_bpf_insn insns[8];
	uint32_t n;
	uint32_t caplen, wirelen;
	uint32_t want;
};

/* the instructions and their count */
#define PROG(...) { __VA_ARGS__ }, \
	(uint32_t)(sizeof((struct pf_bpf_insn[]){ __VA_ARGS__ }) / sizeof(struct pf_bpf_insn))

/* The test packet: byte i is 0x10 + i; byte 3 is 0x45 (an IPv4 version/IHL). */
static uint8_t *test_packet(uint32_t caplen)
{
	uint8_t *p = malloc(caplen);  /* exactly caplen: valgrind sees any overread */
	uint32_t i;

	assert_true(p || !caplen);
	for (i = 0; i < caplen; i++)
		p[i] = (uint8_t)(0x10 + i);
	if (caplen > 3)
		p[3] = 0x45;
	return p;
}

#define LD(m, sz, k)   S(BPF_LD | (sz) | (m), k)
#define RA             S(BPF_RET | BPF_A, 0)
#define LDI(k)         S(BPF_LD | BPF_IMM, k)
#define LDXI(k)        S(BPF_LDX | BPF_IMM, k)
#define ALUK(op, k)    S(BPF_ALU | (op) | BPF_K, k)
#define ALUX(op)       S(BPF_ALU | (op) | BPF_X, 0)
#define RK(k)          S(BPF_RET | BPF_K, k)

static const struct run_case run_cases[] = {
	/* absolute loads at the caplen boundary (10-byte packet) */
	{ "ld w [6] fits", PROG(LD(BPF_ABS, BPF_W, 6), RA), 10, 10, 0x16171819 },
	{ "ld w [7] past", PROG(LD(BPF_ABS, BPF_W, 7), RK(9)), 10, 10, 0 },
	{ "ld h [8] fits", PROG(LD(BPF_ABS, BPF_H, 8), RA), 10, 10, 0x1819 },
	{ "ld h [9] past", PROG(LD(BPF_ABS, BPF_H, 9), RK(9)), 10, 10, 0 },
	{ "ld b [9] fits", PROG(LD(BPF_ABS, BPF_B, 9), RA), 10, 10, 0x19 },
	{ "ld b [10] past", PROG(LD(BPF_ABS, BPF_B, 10), RK(9)), 10, 10, 0 },
	{ "ld b [0] empty", PROG(LD(BPF_ABS, BPF_B, 0), RK(9)), 0, 60, 0 },
	{ "ld w huge k", PROG(LD(BPF_ABS, BPF_W, 0xffdffffd), RK(9)), 10, 10, 0 },
	/* indexed loads, including X + k wrapping around 2^32 */
	{ "ld w [x+2]", PROG(LDXI(4), LD(BPF_IND, BPF_W, 2), RA), 10, 10, 0x16171819 },
	{ "ld w [x+3] past", PROG(LDXI(4), LD(BPF_IND, BPF_W, 3), RK(9)), 10, 10, 0 },
	{ "ld h [x+1]", PROG(LDXI(7), LD(BPF_IND, BPF_H, 1), RA), 10, 10, 0x1819 },
	{ "ld h [x+2] past", PROG(LDXI(7), LD(BPF_IND, BPF_H, 2), RK(9)), 10, 10, 0 },
	{ "ld b [x+0]", PROG(LDXI(9), LD(BPF_IND, BPF_B, 0), RA), 10, 10, 0x19 },
	{ "ld b [x+1] past", PROG(LDXI(9), LD(BPF_IND, BPF_B, 1), RK(9)), 10, 10, 0 },
	{ "ld b [x+1] wrap", PROG(LDXI(0xffffffff), LD(BPF_IND, BPF_B, 1), RK(9)), 10, 10, 0 },
	{ "ld h [x+2] wrap", PROG(LDXI(0xfffffffe), LD(BPF_IND, BPF_H, 2), RK(9)), 10, 10, 0 },
	{ "ld w [x+k] wrap", PROG(LDXI(0x80000000), LD(BPF_IND, BPF_W, 0x80000000), RK(9)),
	  10, 10, 0 },
	{ "ld w [x+k] wrap2", PROG(LDXI(0xffffff00), LD(BPF_IND, BPF_W, 0x100), RK(9)), 10, 10, 0 },
	/* MSH: 4 * (p[k] & 0xf) */
	{ "ldx msh", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 3), S(BPF_MISC | BPF_TXA, 0), RA),
	  10, 10, 20 },
	{ "ldx msh last", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 9), S(BPF_MISC | BPF_TXA, 0), RA),
	  10, 10, 36 },
	{ "ldx msh past", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 10), RK(9)), 10, 10, 0 },
	/* lengths, immediates, scratch memory, TAX/TXA */
	{ "ld len", PROG(S(BPF_LD | BPF_W | BPF_LEN, 0), RA), 10, 1514, 1514 },
	{ "ldx len", PROG(S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_MISC | BPF_TXA, 0), RA),
	  0, 77, 77 },
	{ "ld imm", PROG(LDI(0xdeadbeef), RA), 0, 0, 0xdeadbeef },
	{ "st/ldx mem", PROG(LDI(41), S(BPF_ST, 15), LDI(0), S(BPF_LDX | BPF_MEM, 15),
			  S(BPF_MISC | BPF_TXA, 0), RA), 0, 0, 41 },
	{ "stx/ld mem", PROG(LDXI(42), S(BPF_STX, 0), S(BPF_LD | BPF_MEM, 0), RA), 0, 0, 42 },
	{ "tax", PROG(LDI(43), S(BPF_MISC | BPF_TAX, 0), LDI(0), S(BPF_MISC | BPF_TXA, 0), RA),
	  0, 0, 43 },
	/* ALU, 32-bit unsigned */
	{ "add k wrap", PROG(LDI(0xffffffff), ALUK(BPF_ADD, 2), RA), 0, 0, 1 },
	{ "add x", PROG(LDI(40), LDXI(2), ALUX(BPF_ADD), RA), 0, 0, 42 },
	{ "sub k wrap", PROG(LDI(1), ALUK(BPF_SUB, 2), RA), 0, 0, 0xffffffff },
	{ "sub x", PROG(LDI(50), LDXI(8), ALUX(BPF_SUB), RA), 0, 0, 42 },
	{ "mul k wrap", PROG(LDI(0x10000), ALUK(BPF_MUL, 0x10001), RA), 0, 0, 0x10000 },
	{ "mul x", PROG(LDI(6), LDXI(7), ALUX(BPF_MUL), RA), 0, 0, 42 },
	{ "div k", PROG(LDI(0xffffffff), ALUK(BPF_DIV, 2), RA), 0, 0, 0x7fffffff },
	{ "div x", PROG(LDI(85), LDXI(2), ALUX(BPF_DIV), RA), 0, 0, 42 },
	{ "div x by 0", PROG(LDI(85), LDXI(0), ALUX(BPF_DIV), RK(9)), 0, 0, 0 },
	{ "mod k", PROG(LDI(142), ALUK(BPF_MOD, 100), RA), 0, 0, 42 },
	{ "mod x", PROG(LDI(142), LDXI(50), ALUX(BPF_MOD), RA), 0, 0, 42 },
	{ "mod x by 0", PROG(LDI(142), LDXI(0), ALUX(BPF_MOD), RK(9)), 0, 0, 0 },
	{ "and k", PROG(LDI(0xff2a), ALUK(BPF_AND, 0xff), RA), 0, 0, 42 },
	{ "and x", PROG(LDI(0xff2a), LDXI(0x3f), ALUX(BPF_AND), RA), 0, 0, 42 },
	{ "or k", PROG(LDI(0x20), ALUK(BPF_OR, 0x0a), RA), 0, 0, 42 },
	{ "or x", PROG(LDI(0x22), LDXI(0x08), ALUX(BPF_OR), RA), 0, 0, 42 },
	{ "xor k", PROG(LDI(0xff), ALUK(BPF_XOR, 0xd5), RA), 0, 0, 42 },
	{ "xor x", PROG(LDI(0x0f), LDXI(0x25), ALUX(BPF_XOR), RA), 0, 0, 42 },
	{ "lsh k", PROG(LDI(0x80000015), ALUK(BPF_LSH, 1), RA), 0, 0, 42 },
	{ "lsh k 31", PROG(LDI(3), ALUK(BPF_LSH, 31), RA), 0, 0, 0x80000000 },
	{ "lsh x", PROG(LDI(21), LDXI(1), ALUX(BPF_LSH), RA), 0, 0, 42 },
	{ "lsh x 32", PROG(LDI(21), LDXI(32), ALUX(BPF_LSH), RA), 0, 0, 0 },
	{ "lsh x big", PROG(LDI(21), LDXI(0xffffffff), ALUX(BPF_LSH), RA), 0, 0, 0 },
	{ "rsh k", PROG(LDI(0x540), ALUK(BPF_RSH, 5), RA), 0, 0, 42 },
	{ "rsh x", PROG(LDI(0x80000000), LDXI(31), ALUX(BPF_RSH), RA), 0, 0, 1 },
	{ "rsh x 40", PROG(LDI(0x80000000), LDXI(40), ALUX(BPF_RSH), RA), 0, 0, 0 },
	{ "neg", PROG(LDI(42), S(BPF_ALU | BPF_NEG, 0), RA), 0, 0, 0xffffffd6 },
	{ "neg min", PROG(LDI(0x80000000), S(BPF_ALU | BPF_NEG, 0), RA), 0, 0, 0x80000000 },
	/* jumps */
	{ "ja", PROG(S(BPF_JMP | BPF_JA, 1), RK(1), RK(2)), 0, 0, 2 },
	{ "jeq k t", PROG(LDI(5), J(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1), RK(1), RK(2)), 0, 0, 1 },
	{ "jeq k f", PROG(LDI(6), J(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1), RK(1), RK(2)), 0, 0, 2 },
	{ "jgt k t", PROG(LDI(0xffffffff), J(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1), RK(1), RK(2)),
	  0, 0, 1 },
	{ "jgt k f", PROG(LDI(5), J(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1), RK(1), RK(2)), 0, 0, 2 },
	{ "jge k t", PROG(LDI(5), J(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1), RK(1), RK(2)), 0, 0, 1 },
	{ "jge k f", PROG(LDI(4), J(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1), RK(1), RK(2)), 0, 0, 2 },
	{ "jset k t", PROG(LDI(6), J(BPF_JMP | BPF_JSET | BPF_K, 2, 0, 1), RK(1), RK(2)), 0, 0, 1 },
	{ "jset k f", PROG(LDI(5), J(BPF_JMP | BPF_JSET | BPF_K, 2, 0, 1), RK(1), RK(2)), 0, 0, 2 },
	{ "jeq x t", PROG(LDI(7), LDXI(7), J(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), RK(1), RK(2)),
	  0, 0, 1 },
	{ "jgt x f", PROG(LDI(7), LDXI(7), J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1), RK(1), RK(2)),
	  0, 0, 2 },
	{ "jge x t", PROG(LDI(7), LDXI(7), J(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1), RK(1), RK(2)),
	  0, 0, 1 },
	{ "jset x f", PROG(LDI(8), LDXI(7), J(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1), RK(1), RK(2)),
	  0, 0, 2 },
	/* fused load + jump: true, false, and a load past caplen */
	{ "ldh jeq t", PROG(LD(BPF_ABS, BPF_H, 4), J(BPF_JMP | BPF_JEQ | BPF_K, 0x1415, 0, 1),
			 RK(1), RK(2)), 10, 10, 1 },
	{ "ldb jgt f", PROG(LD(BPF_ABS, BPF_B, 4), J(BPF_JMP | BPF_JGT | BPF_K, 0x14, 0, 1),
			 RK(1), RK(2)), 10, 10, 2 },
	{ "ldw jge past", PROG(LD(BPF_ABS, BPF_W, 8), J(BPF_JMP | BPF_JGE | BPF_K, 0, 0, 1),
			    RK(1), RK(2)), 10, 10, 0 },
	{ "ldh ind jset", PROG(LDXI(1), LD(BPF_IND, BPF_H, 1), J(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
			    RK(1), RK(2)), 10, 10, 1 },
	/* a jump onto the jump half of a fused pair runs the jump alone */
	{ "jump into pair", PROG(LDI(7), S(BPF_JMP | BPF_JA, 1), LD(BPF_ABS, BPF_B, 0),
			      J(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 1), RK(100), RK(200)),
	  10, 10, 100 },
	/* MSH fused with an indexed load and jump (X = 4 * (p[1] & 0xf) = 4: [x+3] is
	 * past a 10-byte packet); a jump onto the load skips the MSH */
	{ "msh ldb jeq", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 0), LD(BPF_IND, BPF_B, 1),
			      J(BPF_JMP | BPF_JEQ | BPF_K, 0x11, 0, 1), RK(100), RK(200)),
	  10, 10, 100 },
	{ "msh ldw jgt past", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 1), LD(BPF_IND, BPF_W, 3),
				   J(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 1), RK(100), RK(200)),
	  10, 10, 0 },
	{ "msh past", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 10), LD(BPF_IND, BPF_H, 0),
			   J(BPF_JMP | BPF_JGE | BPF_K, 0, 0, 1), RK(100), RK(200)), 10, 10, 0 },
	{ "msh huge k", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 0x10001), LD(BPF_IND, BPF_B, 0),
			     J(BPF_JMP | BPF_JEQ | BPF_K, 0x10, 0, 1), RK(100), RK(200)),
	  10, 10, 0 },
	{ "jump past msh", PROG(LDXI(1), S(BPF_JMP | BPF_JA, 1), S(BPF_LDX | BPF_B | BPF_MSH, 3),
				LD(BPF_IND, BPF_B, 0), J(BPF_JMP | BPF_JEQ | BPF_K, 0x11, 0, 1),
				RK(100), RK(200)), 10, 10, 100 },
	/* AND fused with a jump */
	{ "and jset", PROG(LDI(6), ALUK(BPF_AND, 3), J(BPF_JMP | BPF_JSET | BPF_K, 2, 0, 1),
			   RK(100), RK(200)), 0, 0, 100 },
	{ "and jeq f", PROG(LDI(6), ALUK(BPF_AND, 3), J(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 1),
			    RA, RK(200)), 0, 0, 200 },
	{ "and jge a", PROG(LDI(7), ALUK(BPF_AND, 3), J(BPF_JMP | BPF_JGE | BPF_K, 3, 0, 1),
			    RA, RK(200)), 0, 0, 3 },
	/* returns */
	{ "ret k", PROG(RK(0xffffffff)), 0, 0, 0xffffffff },
	{ "ret a", PROG(LDI(262144), RA), 0, 0, 262144 },
};

static void test_run_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(run_cases) / sizeof(run_cases[0]); i++) {
		const struct run_case *c = &run_cases[i];
				char err[128];
		struct pf_bpf_prog *prog = pf_bpf_prepare(&home, c->insns, c->n, err, sizeof(err));
		uint8_t *pkt = test_packet(c->caplen);
		uint32_t ours, theirs;

		if (!prog)
			fail_msg("%s: refused: %s", c->name, err);
		ours = pf_bpf_run(prog, pkt, c->caplen, c->wirelen);
		theirs = bpf_filter((const struct bpf_insn *)c->insns, pkt, c->wirelen, c->caplen);
		if (ours != c->want || theirs != c->want)
			fail_msg("%s: ours 0x%x, libpcap 0x%x, want 0x%x", c->name, ours, theirs,
				 c->want);
		free(pkt);
		pf_bpf_free(&home, prog);
	}
}

/* ------------------------------------------------------------------ compile */

static void test_compile(void **state)
{
	struct pf_bpf_insn *insns = (void *)1;
	struct bpf_program bp;
	uint32_t n = 7;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	(void)state;
	/* the same program libpcap gives, with our snaplen in the returns */
	assert_int_equal(pfring_bpf_compile("tcp port 80", 1500, &insns, &n, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	p = pcap_open_dead(DLT_EN10MB, 1500);
	assert_non_null(p);
	assert_int_equal(pcap_compile(p, &bp, "tcp port 80", 1, PCAP_NETMASK_UNKNOWN), 0);
	assert_int_equal(n, bp.bf_len);
	assert_memory_equal(insns, bp.bf_insns, n * sizeof(*insns));
	assert_int_equal(insns[n - 2].k, 1500);     /* ret #1500 */
	pcap_freecode(&bp);
	pcap_close(p);
	free(insns);

	/* errors: libpcap's message, nothing allocated */
	assert_int_equal(pfring_bpf_compile("tcp port", 1500, &insns, &n, err, sizeof(err)),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_null(insns);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "syntax error"));
	assert_int_equal(pfring_bpf_compile("ip broadcast", 1500, &insns, &n, err, sizeof(err)),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_non_null(strstr(err, "netmask not known"));
	assert_int_equal(pfring_bpf_compile("ip[0] / 0 = 1", 1500, &insns, &n, err, sizeof(err)),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_non_null(strstr(err, "division by zero"));
	assert_int_equal(pfring_bpf_compile(NULL, 1500, &insns, &n, err, sizeof(err)),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bpf_compile("tcp", 1500, NULL, &n, err, sizeof(err)),
			 PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(pfring_bpf_compile("tcp", 0, &insns, &n, NULL, 0),
			 PF_RING_ERROR_INVALID_ARGUMENT);

	/* protochain compiles (libpcap loops backwards over IPv6 extension
	 * headers) but is refused by the validator, as by the kernel */
	assert_int_equal(pfring_bpf_compile("ip6 protochain 6", 1500, &insns, &n, err, sizeof(err)),
			 0);
	assert_int_equal(pf_bpf_validate(insns, n, err, sizeof(err)), -PF_EINVAL);
	assert_non_null(strstr(err, "jump out of the program"));
	free(insns);
}

/* ------------------------------------------------------------------ packet set */

struct pkt {
	uint8_t *data;      /* exactly caplen bytes on the heap */
	uint32_t caplen, len;
};

struct pkt_set {
	struct pkt *v;
	size_t n, cap;
};

static void set_add(struct pkt_set *s, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct pkt *p;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		assert_non_null(s->v);
	}
	p = &s->v[s->n++];
	p->data = malloc(caplen);
	assert_true(p->data || !caplen);
	if (caplen)
		memcpy(p->data, data, caplen);
	p->caplen = caplen;
	p->len = len;
}

static void set_free(struct pkt_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].data);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* splitmix64, fixed seed */
static uint64_t rng_state;

static uint64_t rng64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t n) { return (uint32_t)(rng64() % n); }

#define TMPL_MAX 1600
#define PAD_MAX  256

struct tmpl {
	uint8_t b[TMPL_MAX];
	uint32_t len;
	int l3, l4;          /* offsets, -1 if none */
	int v6;
};

static void put(struct tmpl *t, const void *d, uint32_t n)
{
	memcpy(t->b + t->len, d, n);
	t->len += n;
}

static void put8(struct tmpl *t, uint8_t v) { put(t, &v, 1); }
static void put16(struct tmpl *t, uint16_t v) { put8(t, v >> 8); put8(t, v & 0xff); }
static void put32(struct tmpl *t, uint32_t v) { put16(t, v >> 16); put16(t, v & 0xffff); }

static const uint8_t mac_a[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t mac_b[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
static const uint8_t mac_bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_mc4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t mac_mc6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

static const uint32_t v4_addrs[] = { 0x0a000001, 0x0a000002, 0xc0a80101, 0xc0a80164,
				     0x08080808, 0xe0000001, 0xac100504, 0x0a0000ff };
static const uint8_t v6_addrs[][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 },
	{ 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9 },
};
static const uint16_t ports[] = { 80, 443, 22, 53, 123, 1234, 8080, 1000, 1500, 2000, 2001,
				  5000, 6081, 0, 65535, 1023, 1024, 55 };
static const uint8_t protos[] = { 6, 17, 1, 58, 132, 50, 51, 47, 2, 0, 43, 44, 60, 4, 41 };
static const uint16_t ethertypes[] = { 0x0800, 0x86dd, 0x0806, 0x8035, 0x8100, 0x88a8,
				       0x9100, 0x8847, 0x8863, 0x8864, 0x0040, 0x05dc, 0x88cc,
				       0x8137, 0x6003, 0x809b, 0x80f3 };
static const uint8_t interesting[] = { 0x00, 0xff, 0x01, 0x02, 0x06, 0x11, 0x3a, 0x45,
				       0x46, 0x4f, 0x60, 0x08, 0x86, 0xdd, 0x81, 0x00,
				       0x50, 0x35, 0x12, 0x10, 0x0a, 0xc0, 0xa8, 0x64,
				       0x80, 0x7f, 0x2b, 0x2c, 0x3c, 0x84, 0x32, 0x33 };

static void eth(struct tmpl *t, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memset(t, 0, sizeof(*t));
	t->l3 = t->l4 = -1;
	put(t, dst, 6);
	put(t, src, 6);
	put16(t, type);
}

static void vlan(struct tmpl *t, uint16_t id, uint16_t type)
{
	put16(t, id);
	put16(t, type);
}

static void ip4(struct tmpl *t, uint8_t proto, uint32_t src, uint32_t dst, uint16_t payload,
		int opt_words, uint16_t frag)
{
	uint32_t i;

	t->l3 = (int)t->len;
	put8(t, (uint8_t)(0x45 + opt_words));
	put8(t, 0);
	put16(t, (uint16_t)(20 + 4 * opt_words + payload));
	put16(t, 0x1234);
	put16(t, frag);
	put8(t, 64);
	put8(t, proto);
	put16(t, 0);
	put32(t, src);
	put32(t, dst);
	for (i = 0; i < (uint32_t)opt_words; i++)
		put32(t, 0x01010101);
	t->l4 = (int)t->len;
}

static void ip6(struct tmpl *t, uint8_t next, const uint8_t *src, const uint8_t *dst,
		uint16_t payload)
{
	t->l3 = (int)t->len;
	t->v6 = 1;
	put32(t, 0x60000000);
	put16(t, payload);
	put8(t, next);
	put8(t, 64);
	put(t, src, 16);
	put(t, dst, 16);
	t->l4 = (int)t->len;
}

static void tcp(struct tmpl *t, uint16_t sport, uint16_t dport, uint8_t flags)
{
	t->l4 = (int)t->len;
	put16(t, sport);
	put16(t, dport);
	put32(t, 1);
	put32(t, 0);
	put8(t, 0x50);
	put8(t, flags);
	put16(t, 8192);
	put32(t, 0);
}

static void udp(struct tmpl *t, uint16_t sport, uint16_t dport, uint16_t payload)
{
	t->l4 = (int)t->len;
	put16(t, sport);
	put16(t, dport);
	put16(t, (uint16_t)(8 + payload));
	put16(t, 0);
}

static void fill(struct tmpl *t, uint32_t n, uint8_t v)
{
	while (n--)
		put8(t, v++);
}

static size_t build_templates(struct tmpl *T)
{
	size_t n = 0;

	eth(&T[n], mac_b, mac_a, 0x0800);                 /* IPv4 TCP SYN to port 80 */
	ip4(&T[n], 6, 0x0a000001, 0x0a000002, 20, 0, 0x4000);
	tcp(&T[n++], 1234, 80, 0x02);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* IPv4 UDP DNS + payload */
	ip4(&T[n], 17, 0xc0a80164, 0x08080808, 20, 0, 0);
	udp(&T[n], 5353, 53, 12);
	fill(&T[n++], 12, 0x45);
	eth(&T[n], mac_a, mac_b, 0x0800);                 /* IPv4 ICMP echo */
	ip4(&T[n], 1, 0x0a000001, 0xc0a80101, 8, 0, 0);
	put32(&T[n], 0x08000000);
	put32(&T[n++], 0x12340001);
	eth(&T[n], mac_b, mac_a, 0x86dd);                 /* IPv6 TCP 443 -> 1500 */
	ip6(&T[n], 6, v6_addrs[0], v6_addrs[1], 20);
	tcp(&T[n++], 443, 1500, 0x12);
	eth(&T[n], mac_mc6, mac_a, 0x86dd);               /* IPv6 UDP NTP to ff02::1 */
	ip6(&T[n], 17, v6_addrs[2], v6_addrs[3], 16);
	udp(&T[n], 123, 123, 8);
	fill(&T[n++], 8, 0);
	eth(&T[n], mac_b, mac_a, 0x86dd);                 /* ICMPv6 echo request */
	ip6(&T[n], 58, v6_addrs[0], v6_addrs[1], 8);
	put32(&T[n], 0x80000000);
	put32(&T[n++], 0x00010001);
	eth(&T[n], mac_bc, mac_a, 0x0806);                /* ARP request */
	put16(&T[n], 1); put16(&T[n], 0x0800); put8(&T[n], 6); put8(&T[n], 4); put16(&T[n], 1);
	put(&T[n], mac_a, 6); put32(&T[n], 0x0a000001);
	put(&T[n], mac_bc, 6); put32(&T[n], 0x0a000002);
	fill(&T[n++], 18, 0);
	eth(&T[n], mac_b, mac_a, 0x8100);                 /* VLAN 100, IPv4 TCP 80 */
	vlan(&T[n], 100, 0x0800);
	ip4(&T[n], 6, 0x0a000001, 0x0a000002, 20, 0, 0);
	tcp(&T[n++], 80, 40000, 0x18);
	eth(&T[n], mac_b, mac_a, 0x8100);                 /* QinQ 100/200, IPv4 UDP 53 */
	vlan(&T[n], 100, 0x8100);
	vlan(&T[n], 200, 0x0800);
	ip4(&T[n], 17, 0xc0a80101, 0x0a000002, 8, 0, 0);
	udp(&T[n++], 1234, 53, 0);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* IPv4 with options, TCP 8080 */
	ip4(&T[n], 6, 0xac100504, 0x0a000001, 20, 2, 0);
	tcp(&T[n++], 8080, 1500, 0x11);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* IPv4 later fragment (UDP) */
	ip4(&T[n], 17, 0x0a000002, 0x0a000001, 16, 0, 0x00b9);
	fill(&T[n++], 16, 0x30);
	eth(&T[n], mac_b, mac_a, 0x86dd);                 /* IPv6 hop-by-hop, TCP 80 */
	ip6(&T[n], 0, v6_addrs[4], v6_addrs[0], 28);
	put8(&T[n], 6); put8(&T[n], 0); put16(&T[n], 0x0104); put32(&T[n], 0);
	tcp(&T[n++], 2000, 80, 0x02);
	eth(&T[n], mac_b, mac_a, 0x86dd);                 /* IPv6 fragment header, UDP */
	ip6(&T[n], 44, v6_addrs[1], v6_addrs[0], 24);
	put8(&T[n], 17); put8(&T[n], 0); put16(&T[n], 0x0001); put32(&T[n], 0x11223344);
	udp(&T[n++], 53, 1024, 8);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* SCTP 5000 -> 80 */
	ip4(&T[n], 132, 0x0a000001, 0x0a000002, 28, 0, 0);
	put16(&T[n], 5000); put16(&T[n], 80); put32(&T[n], 7); put32(&T[n], 0);
	put8(&T[n], 1); put8(&T[n], 0); put16(&T[n], 16); fill(&T[n++], 12, 1);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* ESP */
	ip4(&T[n], 50, 0xc0a80101, 0xc0a80164, 24, 0, 0);
	put32(&T[n], 0x1000); put32(&T[n], 1); fill(&T[n++], 16, 0x99);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* AH then TCP */
	ip4(&T[n], 51, 0x0a000001, 0x0a000002, 36, 0, 0);
	put8(&T[n], 6); put8(&T[n], 1); put16(&T[n], 0); put32(&T[n], 0x2000); put32(&T[n], 1);
	tcp(&T[n++], 80, 1234, 0x10);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* GRE carrying IPv4 ICMP */
	ip4(&T[n], 47, 0x0a000001, 0x08080808, 32, 0, 0);
	put16(&T[n], 0); put16(&T[n], 0x0800);
	ip4(&T[n], 1, 0xc0a80101, 0xc0a80164, 8, 0, 0);
	put32(&T[n++], 0x08000000);
	eth(&T[n], mac_mc4, mac_a, 0x0800);               /* IGMP to 224.0.0.1 */
	ip4(&T[n], 2, 0x0a000001, 0xe0000001, 8, 0, 0);
	put32(&T[n], 0x11640000); put32(&T[n++], 0);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* Geneve (UDP 6081), VNI 77 */
	ip4(&T[n], 17, 0x0a000001, 0x0a000002, 8 + 8 + 14 + 20, 0, 0);
	udp(&T[n], 40000, 6081, 8 + 14 + 20);
	put16(&T[n], 0); put16(&T[n], 0x6558); put32(&T[n], 77 << 8);
	put(&T[n], mac_a, 6); put(&T[n], mac_b, 6); put16(&T[n], 0x0800);
	ip4(&T[n++], 6, 0x0a000002, 0x0a000001, 0, 0, 0);
	eth(&T[n], mac_b, mac_a, 0x8847);                 /* MPLS label 100, IPv4 UDP */
	put32(&T[n], (100 << 12) | 0x100 | 64);
	ip4(&T[n], 17, 0x0a000001, 0x0a000002, 8, 0, 0);
	udp(&T[n++], 1000, 2000, 0);
	eth(&T[n], mac_b, mac_a, 0x8864);                 /* PPPoE session 5, PPP IPv4 TCP */
	put8(&T[n], 0x11); put8(&T[n], 0); put16(&T[n], 5); put16(&T[n], 42); put16(&T[n], 0x0021);
	ip4(&T[n], 6, 0x0a000001, 0x0a000002, 20, 0, 0);
	tcp(&T[n++], 22, 1500, 0x10);
	eth(&T[n], mac_bc, mac_a, 0x0026);                /* 802.3 length + LLC (STP) */
	put8(&T[n], 0x42); put8(&T[n], 0x42); put8(&T[n], 0x03); fill(&T[n++], 35, 0);
	eth(&T[n], mac_b, mac_a, 0x88a8);                 /* 802.1ad 200, IPv6 TCP */
	vlan(&T[n], 200, 0x86dd);
	ip6(&T[n], 6, v6_addrs[1], v6_addrs[0], 20);
	tcp(&T[n++], 22, 443, 0x04);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* IPv4 TCP in port range */
	ip4(&T[n], 6, 0xac100504, 0x0a0000ff, 24, 0, 0);
	tcp(&T[n], 1500, 1999, 0x29);
	fill(&T[n++], 4, 0x47);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* IPv4 UDP, zero-length payload */
	ip4(&T[n], 17, 0x0a000002, 0xc0a80101, 8, 0, 0);
	udp(&T[n++], 1001, 1999, 0);
	eth(&T[n], mac_b, mac_a, 0x86dd);                 /* IPv6 destination options, UDP */
	ip6(&T[n], 60, v6_addrs[0], v6_addrs[3], 16);
	put8(&T[n], 17); put8(&T[n], 0); put16(&T[n], 0x0104); put32(&T[n], 0);
	udp(&T[n++], 123, 53, 0);
	eth(&T[n], mac_b, mac_a, 0x8100);                 /* VLAN 100, IPv4 UDP 53 */
	vlan(&T[n], 100, 0x0800);
	ip4(&T[n], 17, 0xc0a80101, 0x0a000001, 8, 0, 0);
	udp(&T[n++], 53, 33000, 0);
	eth(&T[n], mac_a, mac_b, 0x86dd);                 /* ICMPv6 echo reply */
	ip6(&T[n], 58, v6_addrs[1], v6_addrs[0], 8);
	put32(&T[n], 0x81000000);
	put32(&T[n++], 0x00010001);
	eth(&T[n], mac_mc6, mac_a, 0x86dd);               /* ICMPv6 neighbour solicitation */
	ip6(&T[n], 58, v6_addrs[2], v6_addrs[3], 24);
	put32(&T[n], 0x87000000); put32(&T[n], 0);
	put(&T[n++], v6_addrs[0], 16);
	eth(&T[n], mac_a, mac_b, 0x0806);                 /* ARP reply */
	put16(&T[n], 1); put16(&T[n], 0x0800); put8(&T[n], 6); put8(&T[n], 4); put16(&T[n], 2);
	put(&T[n], mac_b, 6); put32(&T[n], 0x0a000002);
	put(&T[n], mac_a, 6); put32(&T[n], 0x0a000001);
	fill(&T[n++], 18, 0);
	eth(&T[n], mac_b, mac_a, 0x0800);                 /* full-size IPv4 UDP, zero payload */
	ip4(&T[n], 17, 0x0a000001, 0x0a000002, 1480, 0, 0);
	udp(&T[n], 2000, 1000, 1472);
	T[n].len += 1472;
	n++;
	eth(&T[n], mac_bc, mac_a, 0x8137);                /* IPX */
	fill(&T[n++], 46, 0xff);
	eth(&T[n], mac_b, mac_a, 0x6003);                 /* DECnet */
	fill(&T[n++], 46, 0x81);
	eth(&T[n], mac_b, mac_a, 0x809b);                 /* AppleTalk */
	fill(&T[n++], 46, 0x00);
	eth(&T[n], mac_bc, mac_a, 0x80f3);                /* AARP */
	fill(&T[n++], 46, 0x00);
	eth(&T[n], mac_b, mac_a, 0x0030);                 /* 802.3 LLC, ISO (0xfe) */
	put8(&T[n], 0xfe); put8(&T[n], 0xfe); put8(&T[n], 0x03); put8(&T[n], 0x81);
	fill(&T[n++], 44, 0x00);
	return n;
}

/* One field-aware or random mutation. */
static void mutate(struct tmpl *t)
{
	uint32_t off;

	switch (rng_below(10)) {
	case 0:   /* a source or destination port from the list */
		if (t->l4 >= 0 && (uint32_t)t->l4 + 4 <= t->len) {
			uint16_t p = ports[rng_below(PF_ARRAY_SIZE(ports))];

			off = (uint32_t)t->l4 + 2 * rng_below(2);
			t->b[off] = p >> 8;
			t->b[off + 1] = p & 0xff;
		}
		break;
	case 1:   /* an address from the list */
		if (t->l3 >= 0 && !t->v6) {
			uint32_t a = v4_addrs[rng_below(PF_ARRAY_SIZE(v4_addrs))];

			off = (uint32_t)t->l3 + 12 + 4 * rng_below(2);
			t->b[off] = a >> 24; t->b[off + 1] = (a >> 16) & 0xff;
			t->b[off + 2] = (a >> 8) & 0xff; t->b[off + 3] = a & 0xff;
		} else if (t->l3 >= 0) {
			off = (uint32_t)t->l3 + 8 + 16 * rng_below(2);
			memcpy(t->b + off, v6_addrs[rng_below(PF_ARRAY_SIZE(v6_addrs))], 16);
		}
		break;
	case 2:   /* IP protocol / IPv6 next header */
		if (t->l3 >= 0)
			t->b[t->l3 + (t->v6 ? 6 : 9)] = protos[rng_below(PF_ARRAY_SIZE(protos))];
		break;
	case 3: { /* ethertype, or the one after a VLAN tag */
		uint16_t e = ethertypes[rng_below(PF_ARRAY_SIZE(ethertypes))];

		off = rng_below(3) == 0 && t->len >= 18 ? 16 : 12;
		t->b[off] = e >> 8;
		t->b[off + 1] = e & 0xff;
		break;
	}
	case 4:   /* IPv4 version/IHL, fragment bits, TTL */
		if (t->l3 >= 0 && !t->v6) {
			t->b[t->l3] = (uint8_t)(rng_below(3) ? 0x45 + rng_below(11) : rng64());
			if (rng_below(2))
				t->b[t->l3 + 6] = (uint8_t)rng64() & (rng_below(2) ? 0x3f : 0xff);
			if (rng_below(2))
				t->b[t->l3 + 8] = rng_below(2) ? 255 : (uint8_t)rng64();
		}
		break;
	case 5:   /* TCP flags */
		if (t->l4 >= 0 && (uint32_t)t->l4 + 14 <= t->len)
			t->b[t->l4 + 13] = (uint8_t)rng64();
		break;
	case 6:   /* MAC addresses */
		memcpy(t->b, rng_below(2) ? mac_a : rng_below(2) ? mac_bc : mac_mc4, 6);
		if (rng_below(2))
			memcpy(t->b + 6, rng_below(2) ? mac_b : mac_a, 6);
		break;
	case 7:   /* VLAN id bytes */
		if (t->len >= 16)
			t->b[14 + rng_below(2)] = (uint8_t)(rng_below(2) ? 200 : rng64());
		break;
	default:  /* any byte */
		off = rng_below(t->len ? t->len : 1);
		t->b[off] = rng_below(2) ? interesting[rng_below(sizeof(interesting))] : (uint8_t)rng64();
		break;
	}
}

static void build_memory_set(struct pkt_set *s, int quick_run)
{
	static struct tmpl T[48];
	size_t nt = build_templates(T), i;
	uint32_t c, r, rounds = quick_run ? 1500 : 8000;

	assert_true(nt <= PF_ARRAY_SIZE(T));
	/* every template as is, and truncated at every caplen (wire length kept) */
	for (i = 0; i < nt; i++) {
		set_add(s, T[i].b, T[i].len, T[i].len);
		set_add(s, T[i].b, T[i].len, T[i].len + 1000);
		if (quick_run && i % 4)
			continue;
		for (c = 0; c < T[i].len; c++)
			set_add(s, T[i].b, c, T[i].len);
	}
	/* seeded random mutants, some truncated, some padded */
	rng_state = 0x5eedbeefcafe0001ull;
	for (r = 0; r < rounds; r++) {
		struct tmpl m = T[rng_below((uint32_t)nt)];
		uint32_t k, muts = 1 + rng_below(4), caplen, len;

		for (k = 0; k < muts; k++)
			mutate(&m);
		if (rng_below(4) == 0) {      /* padding: bigger frames for len/greater */
			uint32_t room = TMPL_MAX - m.len;
			uint32_t extra = rng_below((room < PAD_MAX ? room : PAD_MAX) + 1);

			for (k = 0; k < extra; k++)
				m.b[m.len + k] = (uint8_t)rng64();
			m.len += extra;
		}
		caplen = m.len;
		len = m.len;
		switch (rng_below(6)) {
		case 0:
			caplen = rng_below(m.len + 1);
			break;
		case 1:
			len = m.len + rng_below(1500);
			break;
		default:
			break;
		}
		set_add(s, m.b, caplen, len);
	}
}

/* Every Ethernet packet of every tests/fixtures/ *.pcap (capped when quick). */
static size_t load_fixtures(struct pkt_set *s, int quick_run, size_t *files)
{
	DIR *d = opendir(FIXTURE_DIR);
	struct dirent *de;
	size_t before = s->n;

	*files = 0;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[1024], err[PCAP_ERRBUF_SIZE];
		size_t nlen = strlen(de->d_name), got = 0;
		struct pcap_pkthdr *h;
		const u_char *data;
		pcap_t *p;

		if (nlen < 6 || strcmp(de->d_name + nlen - 5, ".pcap"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, de->d_name);
		p = pcap_open_offline(path, err);
		if (!p)
			continue;
		if (pcap_datalink(p) == DLT_EN10MB) {
			(*files)++;
			while (pcap_next_ex(p, &h, &data) == 1 && (!quick_run || got < 150)) {
				set_add(s, data, h->caplen, h->len);
				got++;
			}
		}
		pcap_close(p);
	}
	closedir(d);
	return s->n - before;
}

/* ------------------------------------------------------------------ differential */

static void dump_mismatch(const char *expr, const struct pkt *p, uint32_t ours, uint32_t theirs)
{
	uint32_t i;

	fprintf(stderr, "MISMATCH \"%s\": ours %u libpcap %u caplen %u len %u\n", expr, ours,
		theirs, p->caplen, p->len);
	for (i = 0; i < p->caplen; i++)
		fprintf(stderr, "%02x%s", p->data[i], i % 16 == 15 ? "\n" : " ");
	fprintf(stderr, "\n");
}

static void test_differential(void **state)
{
	struct pkt_set s = { 0 };
	size_t n_mem, n_fix, files, e, i;
	uint64_t compared = 0, offline = 0;
	size_t n_exprs = sizeof(bpf_exprs) / sizeof(bpf_exprs[0]), both = 0;
	int quick_run = quick();

	(void)state;
	build_memory_set(&s, quick_run);
	n_mem = s.n;
	n_fix = load_fixtures(&s, quick_run, &files);
	for (e = 0; e < n_exprs; e++) {
		struct pf_bpf_insn *insns;
		struct pf_bpf_prog *prog;
		struct bpf_program bp;
		pcap_t *dead = NULL;
		uint32_t n, accepts = 0;
		char err[PCAP_ERRBUF_SIZE];

		if (pfring_bpf_compile(bpf_exprs[e], SNAPLEN, &insns, &n, err, sizeof(err)))
			fail_msg("\"%s\" does not compile: %s", bpf_exprs[e], err);
		prog = pf_bpf_prepare(&home, insns, n, err, sizeof(err));
		if (!prog)
			fail_msg("\"%s\" refused: %s", bpf_exprs[e], err);
		/* pcap_offline_filter() on its own compiled program, for a subset */
		if (e % 4 == 0) {
			dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
			assert_non_null(dead);
			assert_int_equal(pcap_compile(dead, &bp, bpf_exprs[e], 1,
						      PCAP_NETMASK_UNKNOWN), 0);
		}
		for (i = 0; i < s.n; i++) {
			const struct pkt *p = &s.v[i];
			uint32_t ours = pf_bpf_run(prog, p->data, p->caplen, p->len);
			uint32_t theirs = bpf_filter((const struct bpf_insn *)insns, p->data,
						     p->len, p->caplen);

			if (ours != theirs) {
				dump_mismatch(bpf_exprs[e], p, ours, theirs);
				fail_msg("expression %zu \"%s\", packet %zu", e, bpf_exprs[e], i);
			}
			compared++;
			accepts += ours != 0;
			if (dead) {
				struct pcap_pkthdr h = { .caplen = p->caplen, .len = p->len };
				int verdict = pcap_offline_filter(&bp, &h, p->data);

				if ((uint32_t)verdict != ours) {
					dump_mismatch(bpf_exprs[e], p, ours, (uint32_t)verdict);
					fail_msg("pcap_offline_filter: \"%s\", packet %zu",
						 bpf_exprs[e], i);
				}
				offline++;
			}
		}
		if (accepts > 0 && accepts < s.n)
			both++;
		else
			printf("bpf differential: \"%s\" %s every packet\n", bpf_exprs[e],
			       accepts ? "accepts" : "rejects");
		if (dead) {
			pcap_freecode(&bp);
			pcap_close(dead);
		}
		pf_bpf_free(&home, prog);
		free(insns);
	}
	printf("bpf differential: %zu expressions x %zu packets (%zu in memory, %zu from %zu "
	       "fixture files) = %llu comparisons with bpf_filter, %llu with "
	       "pcap_offline_filter; %zu expressions saw both verdicts\n",
	       n_exprs, s.n, n_mem, n_fix, files, (unsigned long long)compared,
	       (unsigned long long)offline, both);
	assert_true(n_exprs >= 300);
	assert_int_equal(compared, (uint64_t)n_exprs * s.n);
	assert_true(compared >= (uint64_t)n_exprs * (quick_run ? 1000 : 10000));
	assert_true(offline >= (uint64_t)((n_exprs + 3) / 4) * n_mem);
	/* the packet set is meant to split nearly every expression */
	assert_true(both * 100 >= n_exprs * (quick_run ? 95 : 98));
	set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_refusals),
		cmocka_unit_test(test_validate_accepts),
		cmocka_unit_test(test_prepare_out_of_memory),
		cmocka_unit_test(test_run_cases),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_differential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
