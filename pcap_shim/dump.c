/*
 * pcap_shim/dump.c - pcap_dump_open, pcap_dump_fopen, pcap_dump_open_append
 * on a pfring handle.
 *
 * The file header written takes the link type, snapshot length and time stamp
 * precision (the magic number) from the pcap_t, so the dumper is opened on a
 * temporary dead handle made with the handle's settings (shim_dead_like) and
 * that handle is closed at once. libpcap's pcap_dumper_t is the FILE * alone
 * (sf-pcap.c: pcap_setup_dump returns the stream; pcap_dump, pcap_dump_flush,
 * pcap_dump_ftell64 and pcap_dump_close take only the dumper), which the public
 * API shows too: none of them is given a pcap_t. tests/pcap_shim checks this
 * under valgrind (tcpdump -w, shim_api.c).
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

/* The dumper, or NULL with the error copied into the program's handle. */
static pcap_dumper_t *on_dead(struct shim *s, pcap_dumper_t *(*open)(pcap_t *, const void *),
			      const void *arg)
{
	pcap_t *d = shim_dead_like(s);
	pcap_dumper_t *dumper;

	if (d == NULL)
		return NULL;
	dumper = open(d, arg);
	if (dumper == NULL)
		shim_seterr(s, "%s", shim_real()->geterr(d));
	shim_real()->close(d);
	return dumper;
}

static pcap_dumper_t *real_open(pcap_t *d, const void *fname)
{
	return shim_real()->dump_open(d, fname);
}

static pcap_dumper_t *real_fopen(pcap_t *d, const void *fp)
{
	return shim_real()->dump_fopen(d, (FILE *)fp);
}

static pcap_dumper_t *real_open_append(pcap_t *d, const void *fname)
{
	return shim_real()->dump_open_append(d, fname);
}

SHIM_EXPORT pcap_dumper_t *pcap_dump_open(pcap_t *p, const char *fname)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->dump_open(p, fname);
	return on_dead(s, real_open, fname);
}

SHIM_EXPORT pcap_dumper_t *pcap_dump_fopen(pcap_t *p, FILE *fp)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->dump_fopen(p, fp);
	return on_dead(s, real_fopen, fp);
}

SHIM_EXPORT pcap_dumper_t *pcap_dump_open_append(pcap_t *p, const char *fname)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->dump_open_append(p, fname);
	return on_dead(s, real_open_append, fname);
}
