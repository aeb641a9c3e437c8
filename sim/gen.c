/*
 * sim/gen.c - the deterministic traffic generator behind gen=SPEC.
 *
 * SPEC grammar (comma-separated key:value, each key at most once):
 *   flows:N          distinct 5-tuples, 1..1000000            (default 100)
 *   size:N           frame length in bytes, 60..16384          (default 64)
 *   size:MIN-MAX     uniform per frame in [MIN, MAX]
 *   proto:tcp|udp|mix  L4 protocol; mix picks one per flow    (default mix)
 *   v6:PERCENT       share of the flows that are IPv6, 0..100  (default 0)
 *   vlan:ID          802.1Q tag on every frame, 0..4095; 0 = untagged (default 0)
 * e.g. "flows:1000,size:64-1518,proto:mix,v6:10".
 *
 * Frame i (counted from 0 over all loops) belongs to flow (i / 2) % flows and
 * goes client -> server when i is even, server -> client when odd: both
 * directions of every flow appear as soon as 2 * flows frames went by. Each
 * flow's client address is unique (10.x.y.z, x.y.z = a bijection of the flow
 * number; fd00::/8 for IPv6), so the flows are distinct 5-tuples. Everything
 * is a pure function of (seed, i): same seed, same bytes. A frame shorter than
 * its headers (e.g. size:60 with IPv6 + TCP, 78 bytes) is sent at header size.
 * IPv4 header, TCP and UDP checksums are correct.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "sim/nic_priv.h"

static int spec_num(const char *k, const char *v, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long x;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || *end || x < lo || x > hi)
		return -1;
	(void)k;
	*out = (uint32_t)x;
	return 0;
}

static int spec_size(const char *v, struct sim_gen_spec *g)
{
	char tmp[32];
	char *dash;

	if (strlen(v) >= sizeof(tmp))
		return -1;
	strcpy(tmp, v);
	dash = strchr(tmp, '-');
	if (dash)
		*dash = '\0';
	if (spec_num("size", tmp, 60, SIM_MAX_FRAME, &g->size_min))
		return -1;
	g->size_max = g->size_min;
	if (dash && (spec_num("size", dash + 1, 60, SIM_MAX_FRAME, &g->size_max) ||
		     g->size_max < g->size_min))
		return -1;
	return 0;
}

static int spec_item(char *item, struct sim_gen_spec *g, uint32_t *seen)
{
	static const char *const keys[] = { "flows", "size", "proto", "v6", "vlan" };
	char *colon = strchr(item, ':');
	uint32_t x;
	unsigned k;

	if (!colon)
		return -1;
	*colon = '\0';
	for (k = 0; k < 5; k++)
		if (!strcmp(item, keys[k]))
			break;
	if (k == 5 || (*seen & (1u << k)))
		return -1;
	*seen |= 1u << k;
	switch (k) {
	case 0:
		return spec_num(item, colon + 1, 1, 1000000, &g->flows);
	case 1:
		return spec_size(colon + 1, g);
	case 2:
		if (!strcmp(colon + 1, "tcp"))
			g->proto = SIM_GEN_TCP;
		else if (!strcmp(colon + 1, "udp"))
			g->proto = SIM_GEN_UDP;
		else if (!strcmp(colon + 1, "mix"))
			g->proto = SIM_GEN_MIX;
		else
			return -1;
		return 0;
	case 3:
		return spec_num(item, colon + 1, 0, 100, &g->v6_percent);
	default:
		if (spec_num(item, colon + 1, 0, 4095, &x))
			return -1;
		g->vlan = (uint16_t)x;
		return 0;
	}
}

int sim_gen_spec_parse(const char *spec, struct sim_gen_spec *g, char *err, size_t errlen)
{
	char buf[128];
	char *item, *save = NULL;
	uint32_t seen = 0;

	g->flows = 100;
	g->size_min = g->size_max = 64;
	g->proto = SIM_GEN_MIX;
	g->v6_percent = 0;
	g->vlan = 0;
	if (!spec || !*spec || strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		goto bad;
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (spec_item(item, g, &seen))
			goto bad;
	return 0;
bad:
	snprintf(err, errlen, "sim: gen=%s: expected key:value items separated by ',' "
		 "(flows:1..1000000, size:60..%d or MIN-MAX, proto:tcp|udp|mix, v6:0..100, "
		 "vlan:0..4095), each at most once", spec ? spec : "", SIM_MAX_FRAME);
	return -1;
}

/* ---- frame building ---- */

struct flow {
	int v6, tcp;
	uint8_t mac_c[6], mac_s[6];
	uint8_t ip_c[16], ip_s[16];  /* IPv4 in the first 4 bytes, network order */
	uint16_t port_c, port_s;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static void make_flow(const struct sim_gen_spec *g, uint64_t seed, uint32_t fl, struct flow *f)
{
	uint64_t st = sim_mix64(seed) ^ ((uint64_t)fl << 20);
	uint64_t h = sim_rand(&st), h2 = sim_rand(&st), h3 = sim_rand(&st);
	/* a bijection of the flow number on 24 bits (odd multiplier), offset by seed */
	uint32_t uniq = (uint32_t)((fl * 2654435761u + (uint32_t)sim_mix64(seed)) & 0xffffff);

	memset(f, 0, sizeof(*f));
	f->v6 = (h % 100) < g->v6_percent;
	f->tcp = g->proto == SIM_GEN_TCP || (g->proto == SIM_GEN_MIX && ((h >> 8) & 1));
	f->mac_c[0] = 0x02;
	put32(f->mac_c + 2, (uint32_t)h2);
	f->mac_s[0] = 0x02;
	f->mac_s[1] = 0x01;
	put32(f->mac_s + 2, (uint32_t)(h2 >> 32));
	if (f->v6) {
		f->ip_c[0] = 0xfd;
		put64(f->ip_c + 4, h3);
		put32(f->ip_c + 12, uniq);
		f->ip_s[0] = 0xfd;
		f->ip_s[1] = 0x01;
		put64(f->ip_s + 8, sim_mix64(h3));
	} else {
		put32(f->ip_c, 0x0a000000u | uniq);
		put32(f->ip_s, 0xc0a80000u | (uint32_t)((h3 >> 40) & 0xffff));
	}
	f->port_c = (uint16_t)(1024 + (h >> 16) % 64512);
	f->port_s = (uint16_t)(1 + (h >> 32) % 1023);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* L4 checksum with the pseudo header; src/dst are alen bytes each */
static void l4_csum(uint8_t *l4, uint32_t l4len, const uint8_t *src, const uint8_t *dst,
		    uint32_t alen, uint8_t proto, uint8_t *field)
{
	uint32_t sum = 0;
	uint16_t c;

	sum = csum_add(sum, src, alen);
	sum = csum_add(sum, dst, alen);
	sum += proto + (l4len & 0xffff) + (l4len >> 16);
	put16(field, 0);
	sum = csum_add(sum, l4, l4len);
	c = csum_fold(sum);
	if (c == 0 && proto == 17)
		c = 0xffff;
	put16(field, c);
}

static uint32_t put_l2(const struct sim_gen_spec *g, const uint8_t *dmac, const uint8_t *smac,
		       int v6, uint8_t *b)
{
	uint32_t o = 12;

	memcpy(b, dmac, 6);
	memcpy(b + 6, smac, 6);
	if (g->vlan) {
		put16(b + o, 0x8100);
		put16(b + o + 2, g->vlan);
		o += 4;
	}
	put16(b + o, v6 ? 0x86dd : 0x0800);
	return o + 2;
}

static void put_l3(const struct flow *f, int rev, uint32_t l4len, uint64_t idx, uint8_t *b)
{
	const uint8_t *src = rev ? f->ip_s : f->ip_c, *dst = rev ? f->ip_c : f->ip_s;
	uint8_t proto = f->tcp ? 6 : 17;

	if (f->v6) {
		put32(b, 0x60000000u);
		put16(b + 4, (uint16_t)l4len);
		b[6] = proto;
		b[7] = 64;
		memcpy(b + 8, src, 16);
		memcpy(b + 24, dst, 16);
		return;
	}
	memset(b, 0, 20);
	b[0] = 0x45;
	put16(b + 2, (uint16_t)(20 + l4len));
	put16(b + 4, (uint16_t)idx);
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	put16(b + 10, csum_fold(csum_add(0, b, 20)));
}

static void put_l4(const struct flow *f, int rev, uint32_t l4len, uint64_t r, uint8_t *b)
{
	put16(b, rev ? f->port_s : f->port_c);
	put16(b + 2, rev ? f->port_c : f->port_s);
	if (f->tcp) {
		put32(b + 4, (uint32_t)r);
		put32(b + 8, (uint32_t)(r >> 32));
		b[12] = 5 << 4;
		b[13] = 0x18;  /* PSH ACK */
		put16(b + 14, 65535);
		put16(b + 16, 0);
		put16(b + 18, 0);
	} else {
		put16(b + 4, (uint16_t)l4len);
		put16(b + 6, 0);
	}
}

uint32_t sim_gen_frame(const struct sim_gen_spec *g, uint64_t seed, uint64_t idx, uint8_t *buf)
{
	struct flow f;
	int rev = (int)(idx & 1);
	uint64_t st = sim_mix64(seed ^ 0x5bd1e995u) + idx * 0x9e3779b97f4a7c15ull;
	uint64_t r = sim_rand(&st);
	uint32_t size = g->size_min + (uint32_t)(r % (g->size_max - g->size_min + 1));
	uint32_t l2, l3len, l4hdr, hdr, len, l4len, i;
	uint8_t *l4;

	make_flow(g, seed, (uint32_t)((idx / 2) % g->flows), &f);
	l2 = put_l2(g, rev ? f.mac_c : f.mac_s, rev ? f.mac_s : f.mac_c, f.v6, buf);
	l3len = f.v6 ? 40 : 20;
	l4hdr = f.tcp ? 20 : 8;
	hdr = l2 + l3len + l4hdr;
	len = size > hdr ? size : hdr;
	l4len = len - l2 - l3len;
	l4 = buf + l2 + l3len;
	put_l3(&f, rev, l4len, idx, buf + l2);
	put_l4(&f, rev, l4len, sim_rand(&st), l4);
	for (i = hdr; i < len; i += 8) {
		uint64_t p = sim_rand(&st);
		uint32_t j;

		for (j = 0; j < 8 && i + j < len; j++)
			buf[i + j] = (uint8_t)(p >> (8 * j));
	}
	if (f.v6)
		l4_csum(l4, l4len, buf + l2 + 8, buf + l2 + 24, 16, f.tcp ? 6 : 17,
			l4 + (f.tcp ? 16 : 6));
	else
		l4_csum(l4, l4len, buf + l2 + 12, buf + l2 + 16, 4, f.tcp ? 6 : 17,
			l4 + (f.tcp ? 16 : 6));
	return len;
}
