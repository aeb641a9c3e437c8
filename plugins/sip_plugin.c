/*
 * plugins/sip_plugin.c - a payload filter in the spirit of spec 10.5: matches SIP
 * requests by method, caller (From:), called (To:) and Call-ID. Reads only
 * p->data[payload_offset .. caplen).
 */
#include "plugins/sample_plugins.h"

struct sip_span {
	const u8 *b;
	u32 n;
};

static const char *const sip_methods[] = {
	[method_invite] = "INVITE", [method_ack] = "ACK", [method_bye] = "BYE",
	[method_cancel] = "CANCEL", [method_options] = "OPTIONS",
	[method_register] = "REGISTER",
};

static u32 sip_strlen(const char *s, u32 max)
{
	u32 n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static u8 sip_lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int sip_starts_with(struct sip_span s, const char *word, int nocase)
{
	u32 i, n = sip_strlen(word, 32);

	if (s.n < n)
		return 0;
	for (i = 0; i < n; i++)
		if (nocase ? sip_lower(s.b[i]) != sip_lower((u8)word[i]) : s.b[i] != (u8)word[i])
			return 0;
	return 1;
}

static int sip_contains(struct sip_span s, const char *needle, u32 n)
{
	u32 i;

	for (i = 0; i + n <= s.n; i++)
		if (!pf_memcmp(s.b + i, needle, n))
			return 1;
	return 0;
}

/* The request method, or method_unknown (responses and garbage included). */
static u8 sip_method(struct sip_span line)
{
	u8 m;

	if (!sip_contains(line, " SIP/2.0", 8))
		return method_unknown;
	for (m = method_invite; m < method_unknown; m++) {
		u32 n = sip_strlen(sip_methods[m], 16);

		if (sip_starts_with(line, sip_methods[m], 0) && line.n > n && line.b[n] == ' ')
			return m;
	}
	return method_unknown;
}

/* The next CRLF-terminated line of *rest (the last line may lack the CRLF; a
 * bare LF or CR also ends a line). Exactly one terminator is consumed, so the
 * empty line that ends the headers comes back as a line of length 0. */
static struct sip_span sip_next_line(struct sip_span *rest)
{
	struct sip_span line = { rest->b, 0 };
	u32 eol = 0;

	while (line.n < rest->n && rest->b[line.n] != '\r' && rest->b[line.n] != '\n')
		line.n++;
	if (line.n < rest->n)
		eol = (rest->b[line.n] == '\r' && line.n + 1 < rest->n &&
		       rest->b[line.n + 1] == '\n') ? 2 : 1;
	rest->b += line.n + eol;
	rest->n -= line.n + eol;
	return line;
}

/* The value of the header `name` (or its compact form `c:`), or an empty span. */
static struct sip_span sip_header(struct sip_span msg, const char *name, const char *compact)
{
	struct sip_span line, none = { msg.b, 0 };

	sip_next_line(&msg);  /* request line */
	while (msg.n) {
		u32 skip;

		line = sip_next_line(&msg);
		if (!line.n)
			break;  /* end of headers */
		if (sip_starts_with(line, name, 1))
			skip = sip_strlen(name, 32);
		else if (sip_starts_with(line, compact, 1))
			skip = sip_strlen(compact, 4);
		else
			continue;
		line.b += skip;
		line.n -= skip;
		while (line.n && line.b[0] == ' ') {
			line.b++;
			line.n--;
		}
		return line;
	}
	return none;
}

static int sip_field_ok(struct sip_span msg, const char *want, u32 max, const char *name,
			const char *compact, int whole)
{
	u32 n = sip_strlen(want, max);
	struct sip_span v;

	if (!n)
		return 1;
	v = sip_header(msg, name, compact);
	if (whole)
		return v.n == n && !pf_memcmp(v.b, want, n);
	return sip_contains(v, want, n);
}

static int sip_filter_skb(struct pf_socket *s, struct pf_plugin_rule *r, struct pf_pkt *p,
			  void **parse_memory)
{
	const struct sip_filter *f = (const void *)r->rule->extended_fields.filter_plugin_data;
	u32 off = (u16)p->info.offset.payload_offset;
	struct sip_span msg, first;
	u8 m;

	(void)s; (void)parse_memory;
	if (!off || off >= p->caplen)
		return 0;
	msg.b = p->data + off;
	msg.n = p->caplen - off;
	first = msg;
	m = sip_method(sip_next_line(&first));
	if (m == method_unknown || (f->method != method_any && f->method != m))
		return 0;
	return sip_field_ok(msg, f->caller, sizeof(f->caller), "From:", "f:", 0) &&
	       sip_field_ok(msg, f->called, sizeof(f->called), "To:", "t:", 0) &&
	       sip_field_ok(msg, f->call_id, sizeof(f->call_id), "Call-ID:", "i:", 1);
}

const struct pfring_plugin_registration sip_plugin = {
	.plugin_id = SIP_PLUGIN_ID,
	.name = "sip",
	.description = "SIP request filter: method, caller, called, call-id",
	.pfring_plugin_filter_skb = sip_filter_skb,
};
