/*
 * core/toeplitz.c - the Microsoft RSS (Toeplitz) hash, as NICs compute it.
 *
 * For every set bit b of the input (most significant bit of data[0] first),
 * the result is xor-ed with the 32 key bits starting at bit b. Checked
 * against every vector of Microsoft's "Verifying the RSS Hash Calculation".
 */
#include "hash.h"

#define PF_IPPROTO_TCP 6
#define PF_IPPROTO_UDP 17

const u8 pf_rss_key_default[PF_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* A key with a 16-bit period: swapping the source and destination fields
 * (which moves them by a multiple of 16 bits) xors in the same key windows,
 * so both directions of a flow get the same hash. */
const u8 pf_rss_key_symmetric[PF_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

/*
 * One input byte against the 40 key bits that can reach it: key bytes
 * i .. i+4 in `win` (bits 39..0). Input bit 7 - j picks the window starting
 * j bits into key byte i, i.e. win >> (8 - j). Branch-free: input bits are
 * data, a branch per bit would mispredict half the time.
 */
static inline u32 pf_toeplitz_byte(u64 win, u32 d)
{
	u32 h = 0;
	int j;

	for (j = 0; j < 8; j++)
		h ^= (u32)(win >> (8 - j)) & (0u - ((d >> (7 - j)) & 1));
	return h;
}

/* Key bytes past key_len read as 0: a short key never reads out of bounds. */
static inline u8 pf_key_byte(const u8 *key, u32 key_len, u32 i)
{
	return i < key_len ? key[i] : 0;
}

u32 pf_toeplitz(const u8 *key, u32 key_len, const u8 *data, u32 len)
{
	u64 win;
	u32 h = 0, i;

	if (!key || !data)
		return 0;
	win = ((u64)pf_key_byte(key, key_len, 0) << 24) |
	      ((u64)pf_key_byte(key, key_len, 1) << 16) |
	      ((u64)pf_key_byte(key, key_len, 2) << 8) | pf_key_byte(key, key_len, 3);

	if (len <= key_len && key_len - len >= 4) {  /* the usual case: no checks */
		for (i = 0; i < len; i++) {
			win = (win << 8) | key[i + 4];
			h ^= pf_toeplitz_byte(win, data[i]);
		}
		return h;
	}
	for (i = 0; i < len; i++) {
		win = (win << 8) | pf_key_byte(key, key_len, i + 4);
		h ^= pf_toeplitz_byte(win, data[i]);
	}
	return h;
}

static inline void pf_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static inline void pf_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

/* The RSS input of a parsed packet, as NICs build it: 0 for non-IP. */
static u32 pf_rss_input(const struct pkt_parsing_info *p, int with_udp,
			u8 in[PF_TOEPLITZ_MAX_INPUT])
{
	u32 n;

	if (p->ip_version == 4) {
		pf_put_be32(in, p->ip_src.v4);
		pf_put_be32(in + 4, p->ip_dst.v4);
		n = 8;
	} else if (p->ip_version == 6) {
		pf_memcpy(in, p->ip_src.v6.s6_addr, 16);
		pf_memcpy(in + 16, p->ip_dst.v6.s6_addr, 16);
		n = 32;
	} else {
		return 0;
	}
	if (p->l3_proto == PF_IPPROTO_TCP || (with_udp && p->l3_proto == PF_IPPROTO_UDP)) {
		pf_put_be16(in + n, p->l4_src_port);
		pf_put_be16(in + n + 2, p->l4_dst_port);
		n += 4;
	}
	return n;
}

u32 pf_rss_hash(const struct pkt_parsing_info *p, const u8 *key, u32 key_len, int with_udp)
{
	u8 in[PF_TOEPLITZ_MAX_INPUT];
	u32 n;

	if (!p || !key)
		return 0;
	n = pf_rss_input(p, with_udp, in);
	return n ? pf_toeplitz(key, key_len, in, n) : 0;
}

void pf_toeplitz_table_init(struct pf_toeplitz_table *tb, const u8 *key, u32 key_len)
{
	u32 i, v;

	for (i = 0; i < PF_TOEPLITZ_MAX_INPUT; i++) {
		u64 win = 0;

		for (v = 0; v < 5; v++)   /* key bytes i .. i+4: the 40 bits byte i can reach */
			win = (win << 8) | pf_key_byte(key, key_len, i + v);
		for (v = 0; v < 256; v++)
			tb->t[i][v] = pf_toeplitz_byte(win, v);
	}
}

u32 pf_rss_hash_table(const struct pkt_parsing_info *p, const struct pf_toeplitz_table *tb,
		      int with_udp)
{
	u8 in[PF_TOEPLITZ_MAX_INPUT];
	u32 h = 0, i, n;

	if (!p || !tb)
		return 0;
	n = pf_rss_input(p, with_udp, in);
	for (i = 0; i < n; i++)
		h ^= tb->t[i][in[i]];
	return h;
}
