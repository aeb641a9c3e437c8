/*
 * lib/devname.h - device names as pfring_open() accepts them.
 *
 *   name     := [prefix] member ( sep member )* [ '?' options ]
 *   prefix   := [A-Za-z0-9_]{1,14} ':'        everything before the first ':'
 *   sep      := ';' | ','
 *   member   := ifname [ '@' queues ]
 *   ifname   := 1..63 bytes, none of: control characters, space, '/', ':', '@', ',', ';', '?'
 *             | pciaddr
 *   pciaddr  := HHHH ':' HH ':' HH '.' F      a PCI address, hex, F 0-7 ("0000:00:02.0")
 *   queues   := item ( ',' item )*            a ',' continues the queue list only
 *   item     := NUM | NUM '-' NUM             when a digit follows it; otherwise it
 *   NUM      := decimal, 0 .. PF_RING_MAX_QUEUES-1   starts the next member
 *   options  := any bytes up to the end       the backend's own ("pcap=F&queues=2")
 *
 * Examples: "eth0", "eth0@2", "eth0@0-3", "eth0@1,5" (queues 1 and 5, as PF_RING 5.x),
 * "eth0,eth1", "multi:eth0;eth1@2", "dna:dna0@1", "dnacluster:10@0",
 * "sim:x@1?pcap=f.pcap&queues=2" (options "pcap=f.pcap&queues=2"), "dna:0000:00:02.0@1".
 * A device whose name starts with a digit must follow a queue list with ';'.
 * The first '?' ends the name: a ':' after it is no prefix, a ';' no separator.
 *
 * A backend whose members are whole device names (multi:, struct pfring_backend's
 * members_are_names) has its names read by pf_devname_parse_names() instead:
 *
 *   names    := prefix whole ( ';' whole )*
 *   whole    := 1 or more bytes, no ';'       a name for pfring_open(), its own prefix
 *                                             and options included: "sim:a?pcap=x"
 *
 * The parser only checks syntax; which prefixes exist is the registry's business.
 * Pure functions: no allocation, no global state. The text and options pointers
 * of a parsed name point into the string parsed: valid as long as it is.
 */
#ifndef PF_BACKENDS_DEVNAME_H
#define PF_BACKENDS_DEVNAME_H

#include <stddef.h>
#include <linux/pf_ring.h>
#include "core/abi.h"

#define PF_DEVNAME_PREFIX_MAX   16   /* prefix with its ':' and the NUL */
#define PF_DEVNAME_NAME_MAX     64   /* member name with the NUL */
#define PF_DEVNAME_MAX_MEMBERS  32
#define PF_DEVNAME_QUEUE_WORDS  (PF_RING_MAX_QUEUES / 64)

struct pf_devname_member {
	char name[PF_DEVNAME_NAME_MAX]; /* "" in a list of whole names */
	u_int8_t  any_queue;          /* 1: no '@', the whole device */
	u_int16_t num_queues;         /* queues set in the mask (0 when any_queue) */
	u_int64_t queues[PF_DEVNAME_QUEUE_WORDS]; /* bit q = queue q */
	const char *text;             /* the member as written ("eth0@1,5", or a whole
				       * name "sim:a?pcap=x"), not NUL-terminated */
	size_t text_len;
};

struct pf_devname {
	char prefix[PF_DEVNAME_PREFIX_MAX]; /* "sim:", or "" */
	const char *options;          /* after the '?' (NUL-terminated), NULL without '?';
				       * always NULL in a list of whole names */
	u_int32_t num_members;
	struct pf_devname_member member[PF_DEVNAME_MAX_MEMBERS];
};

enum pf_devname_err {
	PF_DEVNAME_OK = 0,
	PF_DEVNAME_E_NULL        = -1,  /* no name */
	PF_DEVNAME_E_EMPTY       = -2,  /* empty name, or nothing after the prefix */
	PF_DEVNAME_E_PREFIX      = -3,  /* prefix empty, too long or with bad characters */
	PF_DEVNAME_E_EMPTY_MEMBER = -4, /* ";;", a leading or trailing separator, "@1" */
	PF_DEVNAME_E_NAME_LONG   = -5,  /* member name of 64 bytes or more */
	PF_DEVNAME_E_NAME_CHAR   = -6,  /* forbidden character in a member name */
	PF_DEVNAME_E_TOO_MANY    = -7,  /* more than PF_DEVNAME_MAX_MEMBERS members */
	PF_DEVNAME_E_QUEUE_SYNTAX = -8, /* "@", "@x", "@-1", "@1-", "@1@2" */
	PF_DEVNAME_E_QUEUE_RANGE = -9,  /* queue >= PF_RING_MAX_QUEUES */
	PF_DEVNAME_E_QUEUE_ORDER = -10, /* range "3-1" */
	/* pf_devname_parse_names() only: */
	PF_DEVNAME_E_EMPTY_NAME  = -11, /* ";;", a leading or trailing ';' */
	PF_DEVNAME_E_TOO_MANY_NAMES = -12, /* more than PF_DEVNAME_MAX_MEMBERS names */
};

/* Parse name into *out. Returns PF_DEVNAME_OK or a PF_DEVNAME_E_* (out is then
 * unspecified). */
int pf_devname_parse(const char *name, struct pf_devname *out);

/* Parse a prefix and a ';'-list of whole names (grammar "names" above) into
 * *out: member[i].text and text_len only. PF_DEVNAME_OK or a PF_DEVNAME_E_*. */
int pf_devname_parse_names(const char *name, struct pf_devname *out);

/* One short English phrase for a PF_DEVNAME_E_* value. */
const char *pf_devname_strerror(int err);

/* 1 for the errors of a list of whole names: they are about the list, not a
 * "bad device name" (pfring_open's messages say so). */
int pf_devname_is_list_error(int err);

/* Length of name's "prefix:" (colon included), 0 when it has no ':' before
 * its first '?'. */
size_t pf_devname_prefix_len(const char *name);

/* 1 if member m captures queue q (any_queue captures every queue). */
int pf_devname_has_queue(const struct pf_devname_member *m, unsigned int q);

/* The lowest queue of m, -1 when any_queue. */
int pf_devname_first_queue(const struct pf_devname_member *m);

#endif /* PF_BACKENDS_DEVNAME_H */
