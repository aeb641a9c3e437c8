/*
 * pcap_shim/settings.c - a pfring handle's snapshot length and time stamp
 * precision: kept in struct shim, set and read through the public calls
 * (pcap_set_snaplen, pcap_set_tstamp_precision, pcap_snapshot,
 * pcap_get_tstamp_precision), and handed to libpcap code that needs them as a
 * temporary dead handle made with them (shim_dead_like).
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

SHIM_EXPORT int pcap_set_snaplen(pcap_t *p, int snaplen)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->set_snaplen(p, snaplen);
	if (s->activated)
		return PCAP_ERROR_ACTIVATED;
	/* libpcap's rule: out of range means the default */
	if (snaplen <= 0 || snaplen > SHIM_DEFAULT_SNAPLEN)
		snaplen = SHIM_DEFAULT_SNAPLEN;
	s->snaplen = snaplen;
	return 0;
}

SHIM_EXPORT int pcap_set_tstamp_precision(pcap_t *p, int precision)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->set_tstamp_precision(p, precision);
	if (s->activated)
		return PCAP_ERROR_ACTIVATED;
	if (precision != PCAP_TSTAMP_PRECISION_MICRO && precision != PCAP_TSTAMP_PRECISION_NANO)
		return PCAP_ERROR_TSTAMP_PRECISION_NOTSUP;
	s->nano = precision == PCAP_TSTAMP_PRECISION_NANO;
	return 0;
}

/* libpcap answers PCAP_ERROR_NOT_ACTIVATED before activation; so does the shim. */
SHIM_EXPORT int pcap_snapshot(pcap_t *p)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->snapshot(p);
	if (!s->activated)
		return PCAP_ERROR_NOT_ACTIVATED;
	return s->snaplen;
}

/* libpcap answers whatever was set, activated or not. */
SHIM_EXPORT int pcap_get_tstamp_precision(pcap_t *p)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->get_tstamp_precision(p);
	return s->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
}

pcap_t *shim_dead_like(struct shim *s)
{
	int linktype = shim_real()->datalink(s->p);
	pcap_t *d = shim_real()->open_dead_with_tstamp_precision(
		linktype, s->snaplen,
		s->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);

	if (d == NULL)
		shim_seterr(s, "libpfring-pcap: pcap_open_dead_with_tstamp_precision failed");
	return d;
}
