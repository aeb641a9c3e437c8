/*
 * core/bpf_codes.h - classic BPF opcode fields.
 *
 * The numbers are those of libpcap's pcap/bpf.h and Linux's linux/filter.h;
 * core spells them with a PF_ prefix so it never clashes with either header
 * when both are in the same translation unit (tests, the kernel module).
 */
#ifndef PF_CORE_BPF_CODES_H
#define PF_CORE_BPF_CODES_H

#define PF_BPF_CLASS(c) ((c) & 0x07)
#define PF_BPF_LD   0x00
#define PF_BPF_LDX  0x01
#define PF_BPF_ST   0x02
#define PF_BPF_STX  0x03
#define PF_BPF_ALU  0x04
#define PF_BPF_JMP  0x05
#define PF_BPF_RET  0x06
#define PF_BPF_MISC 0x07

#define PF_BPF_SIZE(c) ((c) & 0x18)
#define PF_BPF_W 0x00
#define PF_BPF_H 0x08
#define PF_BPF_B 0x10

#define PF_BPF_MODE(c) ((c) & 0xe0)
#define PF_BPF_IMM 0x00
#define PF_BPF_ABS 0x20
#define PF_BPF_IND 0x40
#define PF_BPF_MEM 0x60
#define PF_BPF_LEN 0x80
#define PF_BPF_MSH 0xa0

#define PF_BPF_OP(c) ((c) & 0xf0)
#define PF_BPF_ADD  0x00
#define PF_BPF_SUB  0x10
#define PF_BPF_MUL  0x20
#define PF_BPF_DIV  0x30
#define PF_BPF_OR   0x40
#define PF_BPF_AND  0x50
#define PF_BPF_LSH  0x60
#define PF_BPF_RSH  0x70
#define PF_BPF_NEG  0x80
#define PF_BPF_MOD  0x90
#define PF_BPF_XOR  0xa0

#define PF_BPF_JA   0x00
#define PF_BPF_JEQ  0x10
#define PF_BPF_JGT  0x20
#define PF_BPF_JGE  0x30
#define PF_BPF_JSET 0x40

#define PF_BPF_SRC(c) ((c) & 0x08)
#define PF_BPF_K 0x00
#define PF_BPF_X 0x08

#define PF_BPF_RVAL(c) ((c) & 0x18)
#define PF_BPF_A 0x10

#define PF_BPF_MISCOP(c) ((c) & 0xf8)
#define PF_BPF_TAX 0x00
#define PF_BPF_TXA 0x80

#define PF_BPF_MEMWORDS 16

/* Linux's negative offsets: link-layer (SKF_LL_OFF), network (SKF_NET_OFF) and
 * ancillary data (SKF_AD_OFF). Only the kernel gives them a meaning. */
#define PF_SKF_LL_OFF  0xffe00000u
#define PF_SKF_NET_OFF 0xfff00000u
#define PF_SKF_AD_OFF  0xfffff000u

#endif /* PF_CORE_BPF_CODES_H */
