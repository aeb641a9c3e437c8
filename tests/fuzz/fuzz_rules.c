/*
 * tests/fuzz/fuzz_rules.c - the wildcard rule matcher against the reference
 * model (tests/unit/rules_ref.h), on packets parsed by pf_parse.
 *
 * Input: a fixed-size rule header (missing bytes read as 0), then the frame.
 * The header picks, per field, "any", "this value", or "copy it from the
 * parsed packet" (forward or reversed), so that rules match often and every
 * comparison edge is reachable. Traps when pf_wrule_match() and the model
 * disagree, or when the set refuses a rule with anything but -PF_EINVAL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "core/parse.h"
#include "../unit/rules_ref.h"

struct input {
	const uint8_t *d;
	size_t n, at;
};

static void take(struct input *in, void *out, size_t len)
{
	size_t k;

	for (k = 0; k < len; k++, in->at++)
		((uint8_t *)out)[k] = in->at < in->n ? in->d[in->at] : 0;
}

static uint8_t take8(struct input *in)
{
	uint8_t v;

	take(in, &v, 1);
	return v;
}

static uint16_t take16(struct input *in)
{
	uint16_t v;

	take(in, &v, 2);
	return v;
}

static uint32_t take32(struct input *in)
{
	uint32_t v;

	take(in, &v, 4);
	return v;
}

/* mode: 0 any, 1 the header's bytes, 2 the packet's source, 3 its destination */
static void pick_mac(uint8_t *out, unsigned mode, const uint8_t *hdr,
		     const struct pkt_parsing_info *i)
{
	static const uint8_t zero[6];
	const uint8_t *src[4] = { zero, hdr, i->smac, i->dmac };

	memcpy(out, src[mode], 6);
}

static void pick_host(ip_addr *out, unsigned mode, const ip_addr *hdr,
		      const struct pkt_parsing_info *i)
{
	static const ip_addr zero;
	const ip_addr *src[4] = { &zero, hdr, &i->ip_src, &i->ip_dst };

	*out = *src[mode];
}

static void pick_ports(uint16_t *low, uint16_t *high, unsigned mode, uint16_t a, uint16_t b,
		       const struct pkt_parsing_info *i)
{
	uint16_t base = mode == 2 ? i->l4_src_port : i->l4_dst_port;

	*low = *high = 0;
	if (mode == 1) {
		*low = a;
		*high = b;
	} else if (mode >= 2) {
		/* a range around the packet's port, edges included */
		int lo = (int)base - (a & 3), hi = (int)base + (b & 3);

		*low = (uint16_t)(lo < 0 ? 0 : lo);
		*high = (b & 4) ? 0 : (uint16_t)(hi > 65535 ? 65535 : hi);
	}
	if (*high != 0 && *low > *high) {   /* keep it valid: swap */
		uint16_t t = *low;

		*low = *high;
		*high = t;
	}
}

static void pick_pattern(filtering_rule *r, unsigned mode, const uint8_t *raw, uint8_t len,
			 uint8_t off, const uint8_t *frame, uint32_t caplen,
			 const struct pkt_parsing_info *i)
{
	uint32_t start, n = len % 33u;

	memset(r->extended_fields.payload_pattern, 0, 32);
	if (mode == 1) {
		memcpy(r->extended_fields.payload_pattern, raw, n);
		return;
	}
	if (mode == 0 || caplen == 0)
		return;
	/* a slice of the frame: inside the payload (mode 2) or anywhere (mode 3) */
	start = mode == 2 && i->offset.payload_offset > 0 ? (uint32_t)i->offset.payload_offset : 0;
	start += off;
	if (start >= caplen)
		return;
	if (n > caplen - start)
		n = caplen - start;
	memcpy(r->extended_fields.payload_pattern, frame + start, n);
}

static void decode_rule(struct input *in, filtering_rule *r, const uint8_t *frame,
			uint32_t caplen, const struct pkt_parsing_info *i)
{
	filtering_rule_core_fields *c = &r->core_fields;
	uint32_t modes = take32(in);
	uint8_t misc = take8(in);
	uint8_t smac[6], dmac[6], raw[32], plen, poff;
	ip_addr shost, dhost;
	uint16_t vlan = take16(in), sp[2], dp[2];
	uint8_t proto = take8(in);
	uint32_t tunnel;

	memset(r, 0, sizeof(*r));
	r->rule_id = take16(in);
	take(in, smac, 6);
	take(in, dmac, 6);
	take(in, &shost, sizeof(shost));
	take(in, &c->shost_mask, sizeof(c->shost_mask));
	take(in, &dhost, sizeof(dhost));
	take(in, &c->dhost_mask, sizeof(c->dhost_mask));
	sp[0] = take16(in);
	sp[1] = take16(in);
	dp[0] = take16(in);
	dp[1] = take16(in);
	tunnel = take32(in);
	plen = take8(in);
	poff = take8(in);
	take(in, raw, sizeof(raw));

	pick_mac(c->smac, modes & 3, smac, i);
	pick_mac(c->dmac, (modes >> 2) & 3, dmac, i);
	pick_host(&c->shost, (modes >> 4) & 3, &shost, i);
	pick_host(&c->dhost, (modes >> 6) & 3, &dhost, i);
	pick_ports(&c->sport_low, &c->sport_high, (modes >> 8) & 3, sp[0], sp[1], i);
	pick_ports(&c->dport_low, &c->dport_high, (modes >> 10) & 3, dp[0], dp[1], i);
	c->vlan_id = ((modes >> 12) & 3) == 1 ? vlan : ((modes >> 12) & 3) >= 2 ? i->vlan_id : 0;
	c->proto = ((modes >> 14) & 3) == 1 ? proto : ((modes >> 14) & 3) >= 2 ? i->l3_proto : 0;
	r->extended_fields.tunnel.tunnel_id = ((modes >> 16) & 3) == 1 ? tunnel :
					      ((modes >> 16) & 3) >= 2 ? i->tunnel.tunnel_id : 0;
	r->extended_fields.optional_fields = (modes >> 28) & 1 ? FILTER_TUNNEL_ID_FLAG : 0;
	if ((modes >> 29) & 1) {     /* 5.4.6's tunnel hosts: the packet's own, or the rule's */
		r->extended_fields.tunnel.dhost = (modes >> 30) & 1 ? i->ip_src : shost;
		r->extended_fields.tunnel.dhost_mask = c->shost_mask;
	}
	pick_pattern(r, (modes >> 18) & 3, raw, plen, poff, frame, caplen, i);
	if ((modes >> 20) & 1) {
		r->balance_pool = (uint8_t)(1 + ((modes >> 21) & 7));
		r->balance_id = (uint8_t)(((modes >> 24) & 7) % r->balance_pool);
	}
	if ((modes >> 27) & 1) {     /* the zero mask case (exact) */
		memset(&c->shost_mask, 0, sizeof(c->shost_mask));
		memset(&c->dhost_mask, 0, sizeof(c->dhost_mask));
	}
	r->bidirectional = misc & 1;
	r->rule_action = (rule_action_behaviour)((misc >> 1) % 12);   /* 10, 11 invalid */
	if (misc & 0x20)
		memcpy(r->reflector_device_name, "eth1", 5);
}

/* A plain home: malloc, no locks (one thread). */
static void *h_alloc(void *ctx, size_t n) { (void)ctx; return calloc(1, n); }
static void h_free(void *ctx, void *p) { (void)ctx; free(p); }
static void h_nop(void *ctx) { (void)ctx; }
static u64 h_now(void *ctx) { (void)ctx; return 1; }

static const struct pf_home fuzz_home = {
	.now_ns = h_now, .alloc = h_alloc, .free = h_free,
	.read_lock = h_nop, .read_unlock = h_nop, .synchronize = h_nop,
	.write_lock = h_nop, .write_unlock = h_nop,
};

#define HEADER_LEN 132   /* what decode_rule() consumes */

static int expect_valid(const filtering_rule *r)
{
	int reflect = r->rule_action == reflect_packet_and_stop_rule_evaluation ||
		      r->rule_action == reflect_packet_and_continue_rule_evaluation;

	return (unsigned)r->rule_action <= bounce_packet_and_continue_rule_evaluation &&
	       !(reflect && r->reflector_device_name[0] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size, 0 };
	const uint8_t *frame = size > HEADER_LEN ? data + HEADER_LEN : NULL;
	uint32_t caplen = size > HEADER_LEN ? (uint32_t)(size - HEADER_LEN) : 0;
	struct pf_wrules set;
	struct pf_wrule w;
	struct pf_pkt p;
	int lvl, m, ref, rc;

	memset(&p, 0, sizeof(p));
	p.data = frame;
	p.caplen = p.len = caplen;
	lvl = pf_parse(frame ? frame : (const uint8_t *)"", caplen, PF_RING_PARSE_L5, &p.info);
	p.parsed_level = (uint8_t)(lvl > 0 ? lvl : 0);

	memset(&w, 0, sizeof(w));
	decode_rule(&in, &w.rule, frame, caplen, &p.info);
	w.pattern_len = (u8)ref_pattern_len(&w.rule);
	if (in.at != HEADER_LEN)
		__builtin_trap();

	m = pf_wrule_match(&w, &p);
	ref = ref_rule_match(&w.rule, &p.info, frame, caplen);
	if (m != ref)
		__builtin_trap();

	/* the same rule through the set: valid ones go in and match the same */
	if (pf_wrules_init(&set, &fuzz_home, NULL) != 0)
		return 0;
	rc = pf_wrules_add(&set, &w.rule);
	if (rc != 0 && rc != -PF_EINVAL)
		__builtin_trap();
	if ((rc == 0) != expect_valid(&w.rule))
		__builtin_trap();
	if (rc == 0) {
		const struct pf_wrule_set *s = pf_wrules_snapshot(&set);

		/* core's copy (ports normalized) means the same */
		if (s->n != 1 || s->r[0]->pattern_len != w.pattern_len ||
		    pf_wrule_match(s->r[0], &p) != m ||
		    pf_wrules_next_match(s, 0, &p) != (m ? 0u : 1u))
			__builtin_trap();
		if (pf_wrules_remove(&set, w.rule.rule_id) != 0)
			__builtin_trap();
	}
	pf_wrules_destroy(&set);
	return 0;
}
