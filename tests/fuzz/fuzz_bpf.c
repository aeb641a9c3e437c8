/*
 * tests/fuzz/fuzz_bpf.c - the BPF validator and core's executor against libpcap.
 *
 * Input: byte 0 = flags, byte 1 = instruction count - 1, then that many 8-byte
 * instructions (code le16, jt, jf, k le32), then the packet. Flag bit 0 asks
 * for "structured" programs: opcodes mapped onto the valid list, jumps and
 * scratch indices folded into range, a return at the end, so most inputs get
 * past the validator and exercise the executor; without it the raw bytes test
 * the validator. Bits 1-7 add to the wire length.
 *
 * Whenever pf_bpf_validate() accepts a program:
 *   - libpcap's bpf_validate() accepts it too (ours is at least as strict);
 *   - pf_bpf_prepare() succeeds;
 *   - pf_bpf_run() returns exactly what libpcap's bpf_filter() returns, on a
 *     heap copy of exactly caplen bytes (ASan catches any read outside it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "core/bpf.h"

static void *f_alloc(void *ctx, size_t n) { (void)ctx; return calloc(1, n); }
static void f_free(void *ctx, void *p) { (void)ctx; free(p); }
static const struct pf_home home = { .alloc = f_alloc, .free = f_free };

static const uint16_t valid_codes[] = {
	BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_ADD | BPF_X, BPF_ALU | BPF_SUB | BPF_K,
	BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_MUL | BPF_X,
	BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_MOD | BPF_K,
	BPF_ALU | BPF_MOD | BPF_X, BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_AND | BPF_X,
	BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_OR | BPF_X, BPF_ALU | BPF_XOR | BPF_K,
	BPF_ALU | BPF_XOR | BPF_X, BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_LSH | BPF_X,
	BPF_ALU | BPF_RSH | BPF_K, BPF_ALU | BPF_RSH | BPF_X, BPF_ALU | BPF_NEG,
	BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
	BPF_LD | BPF_W | BPF_LEN, BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND,
	BPF_LD | BPF_B | BPF_IND, BPF_LD | BPF_IMM, BPF_LD | BPF_MEM,
	BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH, BPF_LDX | BPF_IMM,
	BPF_LDX | BPF_MEM, BPF_ST, BPF_STX, BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
	BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_JMP | BPF_JA,
	BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X, BPF_JMP | BPF_JGE | BPF_K,
	BPF_JMP | BPF_JGE | BPF_X, BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
	BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X,
};
#define N_CODES (sizeof(valid_codes) / sizeof(valid_codes[0]))

/* Fold one raw instruction into something the validator will likely take. */
static void structure(struct pf_bpf_insn *f, uint32_t pc, uint32_t n)
{
	uint32_t room = n - pc - 1;   /* instructions after this one */

	f->code = valid_codes[f->code % N_CODES];
	if (pc == n - 1 && BPF_CLASS(f->code) != BPF_RET)
		f->code = (f->k & 1) ? BPF_RET | BPF_A : BPF_RET | BPF_K;
	switch (BPF_CLASS(f->code)) {
	case BPF_JMP:
		if (room == 0)
			break;
		f->jt %= room;
		f->jf %= room;
		if (BPF_OP(f->code) == BPF_JA)
			f->k %= room;
		break;
	case BPF_ST:
	case BPF_STX:
		f->k %= 16;
		break;
	case BPF_LD:
	case BPF_LDX:
		if (BPF_MODE(f->code) == BPF_MEM)
			f->k %= 16;
		else if (BPF_MODE(f->code) != BPF_IMM && (f->k & 0x80000000u))
			f->k &= 0xff;      /* mostly small offsets */
		break;
	case BPF_ALU:
		if (BPF_OP(f->code) == BPF_LSH || BPF_OP(f->code) == BPF_RSH)
			f->k %= 32;
		if ((BPF_OP(f->code) == BPF_DIV || BPF_OP(f->code) == BPF_MOD) && f->k == 0)
			f->k = 1;
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pf_bpf_insn insns[256];
	struct pf_bpf_prog *prog;
	uint32_t n, i, caplen, wirelen, ours, theirs;
	uint8_t *pkt;
	char err[160];

	if (size < 2)
		return 0;
	n = (uint32_t)data[1] + 1;
	if (size < 2 + (size_t)n * 8)
		return 0;
	for (i = 0; i < n; i++) {
		const uint8_t *b = data + 2 + i * 8;

		insns[i].code = (uint16_t)(b[0] | b[1] << 8);
		insns[i].jt = b[2];
		insns[i].jf = b[3];
		insns[i].k = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
			     (uint32_t)b[7] << 24;
		if (data[0] & 1)
			structure(&insns[i], i, n);
	}
	if (pf_bpf_validate(insns, n, err, sizeof(err)) != 0)
		return 0;
	/* ours accepted it: libpcap's checker must too */
	if (!bpf_validate((const struct bpf_insn *)insns, (int)n))
		abort();
	prog = pf_bpf_prepare(&home, insns, n, err, sizeof(err));
	if (!prog)
		abort();
	caplen = (uint32_t)(size - 2 - (size_t)n * 8);
	wirelen = caplen + (uint32_t)(data[0] >> 1) * 23;
	pkt = malloc(caplen);          /* exactly caplen bytes, none when empty */
	if (caplen) {
		if (!pkt)
			abort();
		memcpy(pkt, data + 2 + (size_t)n * 8, caplen);
	}
	ours = pf_bpf_run(prog, pkt, caplen, wirelen);
	theirs = bpf_filter((const struct bpf_insn *)insns, pkt, wirelen, caplen);
	if (ours != theirs)
		abort();
	free(pkt);
	pf_bpf_free(&home, prog);
	return 0;
}
