/*
 * pcap_shim/open.c - opening and closing: pcap_create, the pcap_set_* calls
 * before activation (snaplen and precision: settings.c), pcap_activate,
 * pcap_open_live, pcap_close, and the name-based calls (pcap_lookupnet) for
 * pfring names.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

SHIM_EXPORT pcap_t *pcap_create(const char *device, char *errbuf)
{
	struct shim *s;

	if (!shim_is_pfring_name(device))
		return shim_real()->create(device, errbuf);
	s = shim_new(device, errbuf);
	return s ? s->p : NULL;
}

/* A setting on a pfring handle: refused once activated, as libpcap does. */
#define SHIM_SETTER(fn, field, realfn)                              \
	SHIM_EXPORT int fn(pcap_t *p, int value)                    \
	{                                                           \
		struct shim *s = shim_find(p);                      \
		if (s == NULL)                                      \
			return shim_real()->realfn(p, value);       \
		if (s->activated)                                   \
			return PCAP_ERROR_ACTIVATED;                \
		s->field = value;                                   \
		return 0;                                           \
	}

SHIM_SETTER(pcap_set_promisc, promisc, set_promisc)
SHIM_SETTER(pcap_set_timeout, timeout_ms, set_timeout)
SHIM_SETTER(pcap_set_immediate_mode, immediate, set_immediate_mode)
SHIM_SETTER(pcap_set_buffer_size, buffer_size, set_buffer_size)
SHIM_SETTER(pcap_set_rfmon, rfmon, set_rfmon)

/* Time stamps are the host's (the ring's arrival time): PCAP_TSTAMP_HOST
 * and its variants are taken, any other type gives libpcap's warning and
 * the host's stamps. */
SHIM_EXPORT int pcap_set_tstamp_type(pcap_t *p, int type)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->set_tstamp_type(p, type);
	if (s->activated)
		return PCAP_ERROR_ACTIVATED;
	if (type == PCAP_TSTAMP_HOST || type == PCAP_TSTAMP_HOST_LOWPREC ||
	    type == PCAP_TSTAMP_HOST_HIPREC)
		return 0;
	return PCAP_WARNING_TSTAMP_TYPE_NOTSUP;
}

SHIM_EXPORT int pcap_activate(pcap_t *p)
{
	struct shim *s = shim_find(p);
	struct shim_env env;
	u_int32_t flags;

	if (s == NULL)
		return shim_real()->activate(p);
	if (s->activated)
		return PCAP_ERROR_ACTIVATED;
	if (s->rfmon) {
		shim_seterr(s, "%s: monitor mode (rfmon) is for 802.11 devices, not pfring's",
			    s->device);
		return PCAP_ERROR_RFMON_NOTSUP;
	}
	if (shim_env_read(s, &env) != 0)
		return PCAP_ERROR;
	flags = env.open_flags | (s->promisc ? PF_RING_PROMISC : 0);
	/* pfring_open clamps a caplen over MAX_CAPLEN (libpcap's default snaplen
	 * is 262144); pcap_snapshot still reports what the program asked for */
	s->ring = pfring_open(s->device, (u_int32_t)s->snaplen, flags);
	if (s->ring == NULL) {
		int err = errno;

		const char *msg = pfring_get_last_error_message();

		/* libpfring's own line names the cause ("sim: no NIC ...") */
		if (msg != NULL && msg[0] != '\0')
			shim_seterr(s, "%s", msg);
		else
			shim_seterr(s, "pfring_open(%s): %s", s->device, strerror(err));
		return err == ENODEV ? PCAP_ERROR_NO_SUCH_DEVICE : PCAP_ERROR;
	}
	if (shim_env_apply(s, &env) != 0) {
		pfring_close(s->ring);
		s->ring = NULL;
		return PCAP_ERROR;
	}
	/* immediate mode: wake the reader for each packet, as PF_RING's libpcap
	 * always did; otherwise the ring's default watermark, and the read
	 * timeout bounds the wait (capture.c). Not every ring has a watermark. */
	if (s->immediate)
		(void)pfring_set_poll_watermark(s->ring, 1);
	if (pfring_enable_ring(s->ring) != 0) {
		shim_seterr(s, "pfring_enable_ring(%s): %s", s->device, strerror(errno));
		pfring_close(s->ring);
		s->ring = NULL;
		return PCAP_ERROR;
	}
	s->activated = 1;
	return 0;
}

SHIM_EXPORT pcap_t *pcap_open_live(const char *device, int snaplen, int promisc, int to_ms,
				   char *errbuf)
{
	struct shim *s;

	if (!shim_is_pfring_name(device))
		return shim_real()->open_live(device, snaplen, promisc, to_ms, errbuf);
	s = shim_new(device, errbuf);
	if (s == NULL)
		return NULL;
	pcap_set_snaplen(s->p, snaplen);
	s->promisc = promisc;
	s->timeout_ms = to_ms;
	if (pcap_activate(s->p) < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", shim_real()->geterr(s->p));
		shim_free(s);
		return NULL;
	}
	return s->p;
}

SHIM_EXPORT void pcap_close(pcap_t *p)
{
	struct shim *s = shim_find(p);

	if (s == NULL) {
		shim_real()->close(p);
		return;
	}
	shim_free(s);
}

/* A pfring name has no IPv4 network: net and mask 0, no error (tcpdump would
 * otherwise warn that the "interface" has no address). */
SHIM_EXPORT int pcap_lookupnet(const char *device, bpf_u_int32 *net, bpf_u_int32 *mask,
			       char *errbuf)
{
	if (!shim_is_pfring_name(device))
		return shim_real()->lookupnet(device, net, mask, errbuf);
	*net = 0;
	*mask = 0;
	return 0;
}
