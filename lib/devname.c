/*
 * lib/devname.c - device-name parsing (grammar in devname.h).
 */
#include <string.h>

#include "lib/devname.h"

/* The messages of pf_devname_strerror() spell these limits out. */
_Static_assert(PF_RING_MAX_QUEUES == 256 && PF_RING_MAX_QUEUES % 64 == 0,
	       "queue mask and messages assume 256 channels");
_Static_assert(PF_DEVNAME_NAME_MAX == 64 && PF_DEVNAME_MAX_MEMBERS == 32,
	       "messages assume these limits");

static int is_prefix_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_separator(char c)
{
	return c == ';' || c == ',';
}

/* The end of the name proper: its NUL, or the '?' its options start with. */
static int is_end(char c)
{
	return c == '\0' || c == '?';
}

/* Characters that end a member name (or may not appear in it). */
static int is_name_char(char c)
{
	unsigned char u = (unsigned char)c;

	if (u <= 0x20 || u == 0x7f)
		return 0;
	return c != '/' && c != ':' && c != '@' && !is_separator(c);
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 12 when p starts with a PCI address "DDDD:BB:DD.F" (hex
 * domain, bus and device, function 0-7), else 0: the one member name that
 * holds ':' (dna:0000:00:02.0). */
static size_t pci_address_len(const char *p)
{
	static const char shape[] = "hhhh:hh:hh.f";
	size_t i;

	for (i = 0; shape[i]; i++) {
		char c = p[i];

		if (shape[i] == 'h' ? !is_hex(c) : shape[i] == 'f' ? (c < '0' || c > '7')
									: c != shape[i])
			return 0;
	}
	return i;
}

size_t pf_devname_prefix_len(const char *name)
{
	size_t i;

	for (i = 0; name && !is_end(name[i]); i++)
		if (name[i] == ':')
			return i + 1;
	return 0;
}

static int parse_prefix(const char *name, struct pf_devname *out, const char **rest)
{
	size_t len = pf_devname_prefix_len(name), i;

	*rest = name + len;
	out->prefix[0] = '\0';
	if (len == 0)
		return PF_DEVNAME_OK;
	if (len == 1 || len > PF_DEVNAME_PREFIX_MAX - 1)
		return PF_DEVNAME_E_PREFIX;
	for (i = 0; i + 1 < len; i++)
		if (!is_prefix_char(name[i]))
			return PF_DEVNAME_E_PREFIX;
	memcpy(out->prefix, name, len);
	out->prefix[len] = '\0';
	return PF_DEVNAME_OK;
}

/* One queue number at *p; leaves *p after its digits. */
static int parse_queue_num(const char **p, unsigned int *q)
{
	unsigned int v = 0;
	int range_err = 0;

	if (!is_digit(**p))
		return PF_DEVNAME_E_QUEUE_SYNTAX;
	while (is_digit(**p)) {
		v = v * 10 + (unsigned int)(**p - '0');
		if (v >= PF_RING_MAX_QUEUES) {
			range_err = 1;
			v = PF_RING_MAX_QUEUES; /* stays small: no overflow */
		}
		(*p)++;
	}
	if (range_err)
		return PF_DEVNAME_E_QUEUE_RANGE;
	*q = v;
	return PF_DEVNAME_OK;
}

static void set_queues(struct pf_devname_member *m, unsigned int lo, unsigned int hi)
{
	unsigned int q;

	for (q = lo; q <= hi; q++) {
		u_int64_t bit = (u_int64_t)1 << (q % 64);

		if (!(m->queues[q / 64] & bit)) {
			m->queues[q / 64] |= bit;
			m->num_queues++;
		}
	}
}

/* The queue list after '@'. Leaves *p on the character that ends the member. */
static int parse_queues(const char **p, struct pf_devname_member *m)
{
	for (;;) {
		unsigned int lo, hi;
		int rc = parse_queue_num(p, &lo);

		if (rc)
			return rc;
		hi = lo;
		if (**p == '-') {
			(*p)++;
			rc = parse_queue_num(p, &hi);
			if (rc)
				return rc;
			if (hi < lo)
				return PF_DEVNAME_E_QUEUE_ORDER;
		}
		set_queues(m, lo, hi);
		if (**p == ',' && is_digit((*p)[1])) {
			(*p)++;
			continue;
		}
		if (is_end(**p) || is_separator(**p))
			return PF_DEVNAME_OK;
		return PF_DEVNAME_E_QUEUE_SYNTAX;
	}
}

static int parse_member(const char **p, struct pf_devname_member *m)
{
	size_t len = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	m->text = *p;
	len = pci_address_len(*p);
	memcpy(m->name, *p, len);
	*p += len;
	while (!is_end(**p) && **p != '@' && !is_separator(**p)) {
		if (!is_name_char(**p))
			return PF_DEVNAME_E_NAME_CHAR;
		if (len + 1 >= PF_DEVNAME_NAME_MAX)
			return PF_DEVNAME_E_NAME_LONG;
		m->name[len++] = *(*p)++;
	}
	if (len == 0)
		return PF_DEVNAME_E_EMPTY_MEMBER;
	m->name[len] = '\0';
	if (**p != '@') {
		m->any_queue = 1;
		rc = PF_DEVNAME_OK;
	} else {
		(*p)++;
		rc = parse_queues(p, m);
	}
	m->text_len = (size_t)(*p - m->text);
	return rc;
}

/* What both grammars start with: *out emptied, its prefix, *rest after it. */
static int parse_start(const char *name, struct pf_devname *out, const char **rest)
{
	if (name == NULL || out == NULL)
		return PF_DEVNAME_E_NULL;
	out->num_members = 0;
	out->options = NULL;
	return parse_prefix(name, out, rest);
}

int pf_devname_parse(const char *name, struct pf_devname *out)
{
	const char *p;
	int rc = parse_start(name, out, &p);

	if (rc)
		return rc;
	if (is_end(*p))
		return PF_DEVNAME_E_EMPTY;
	for (;;) {
		if (out->num_members == PF_DEVNAME_MAX_MEMBERS)
			return PF_DEVNAME_E_TOO_MANY;
		rc = parse_member(&p, &out->member[out->num_members]);
		if (rc)
			return rc;
		out->num_members++;
		if (is_end(*p))
			break;
		p++; /* a separator: another member must follow */
		if (is_end(*p))
			return PF_DEVNAME_E_EMPTY_MEMBER;
	}
	if (*p == '?')
		out->options = p + 1;
	return PF_DEVNAME_OK;
}

int pf_devname_parse_names(const char *name, struct pf_devname *out)
{
	const char *p, *semi;
	int rc = parse_start(name, out, &p);

	if (rc)
		return rc;
	if (*p == '\0')
		return PF_DEVNAME_E_EMPTY;
	for (;; p = semi + 1) {
		struct pf_devname_member *m = &out->member[out->num_members];

		semi = strchr(p, ';');
		if (semi == p || *p == '\0')
			return PF_DEVNAME_E_EMPTY_NAME;
		if (out->num_members == PF_DEVNAME_MAX_MEMBERS)
			return PF_DEVNAME_E_TOO_MANY_NAMES;
		memset(m, 0, sizeof(*m));
		m->any_queue = 1;
		m->text = p;
		m->text_len = semi ? (size_t)(semi - p) : strlen(p);
		out->num_members++;
		if (semi == NULL)
			return PF_DEVNAME_OK;
	}
}

const char *pf_devname_strerror(int err)
{
	switch (err) {
	case PF_DEVNAME_OK:             return "no error";
	case PF_DEVNAME_E_NULL:         return "no device name";
	case PF_DEVNAME_E_EMPTY:        return "empty device name";
	case PF_DEVNAME_E_PREFIX:       return "bad module prefix (letters, digits, '_', 1 to 14 of them, then ':')";
	case PF_DEVNAME_E_EMPTY_MEMBER: return "empty device in the list";
	case PF_DEVNAME_E_NAME_LONG:    return "device name too long (63 bytes at most)";
	case PF_DEVNAME_E_NAME_CHAR:    return "forbidden character in a device name";
	case PF_DEVNAME_E_TOO_MANY:     return "too many devices in the list (32 at most)";
	case PF_DEVNAME_E_QUEUE_SYNTAX: return "bad queue after '@' (NUM, NUM-NUM, or a ',' list of them)";
	case PF_DEVNAME_E_QUEUE_RANGE:  return "queue out of range (0..255)";
	case PF_DEVNAME_E_QUEUE_ORDER:  return "queue range ends before it starts";
	case PF_DEVNAME_E_EMPTY_NAME:   return "empty member in the list";
	case PF_DEVNAME_E_TOO_MANY_NAMES: return "more than 32 members";
	default:                        return "unknown device-name error";
	}
}

int pf_devname_is_list_error(int err)
{
	return err == PF_DEVNAME_E_EMPTY_NAME || err == PF_DEVNAME_E_TOO_MANY_NAMES;
}

int pf_devname_has_queue(const struct pf_devname_member *m, unsigned int q)
{
	if (m == NULL || q >= PF_RING_MAX_QUEUES)
		return 0;
	if (m->any_queue)
		return 1;
	return (m->queues[q / 64] >> (q % 64)) & 1;
}

int pf_devname_first_queue(const struct pf_devname_member *m)
{
	unsigned int q;

	if (m == NULL || m->any_queue)
		return -1;
	for (q = 0; q < PF_RING_MAX_QUEUES; q++)
		if (pf_devname_has_queue(m, q))
			return (int)q;
	return -1;
}
