/*
 * pcap_shim/capture.c - reading from a pfring handle: pcap_loop,
 * pcap_dispatch, pcap_next_ex, pcap_next, pcap_breakloop, and the non-blocking
 * mode and selectable fd that go with them.
 *
 * Packets are read zero-copy (pfring_recv with buffer_len 0) and handed to
 * the callback as they lie in the ring; the filter pcap_setfilter installed
 * runs here (filter.c) on each one.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"
#include "pcap_shim/read.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

/* How long one wait lasts before the break flag is looked at again (ms):
 * pfring_recv clears the ring's own break flag on entry, so a pcap_breakloop
 * from a signal handler between our check and that call would be lost in a
 * blocking recv; the shim never blocks longer than this instead. */
#define SHIM_WAIT_STEP_MS 50

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int shim_read_one(struct shim *s, struct pcap_pkthdr *h, const u_char **data, int wait_ms)
{
	long long deadline = wait_ms > 0 ? now_ms() + wait_ms : 0;

	if (!s->activated) {
		shim_seterr(s, "libpfring-pcap: %s: not activated", s->device);
		return PCAP_ERROR_NOT_ACTIVATED;
	}
	for (;;) {
		struct pfring_pkthdr ph;
		u_char *buf = NULL;
		int rc;

		if (s->break_loop)
			return PCAP_ERROR_BREAK;
		rc = pfring_recv(s->ring, &buf, 0, &ph, 0);
		if (rc < 0) {
			shim_seterr(s, "pfring_recv(%s): %s (%d)", s->device, strerror(errno), rc);
			return PCAP_ERROR;
		}
		if (rc > 0) {
			h->ts = ph.ts;
			if (s->nano) /* libpcap's convention: tv_usec holds nanoseconds */
				h->ts.tv_usec = (suseconds_t)(ph.extended_hdr.timestamp_ns % 1000000000u);
			h->caplen = ph.caplen;
			h->len = ph.len;
			if (!shim_filter_accepts(s, h, buf)) {
				s->filtered_out++;
				continue;
			}
			*data = buf;
			return 1;
		}
		if (wait_ms == 0 || (wait_ms > 0 && now_ms() >= deadline))
			return 0;
		if (!s->active_poll)
			pfring_poll(s->ring, SHIM_WAIT_STEP_MS);
	}
}

/* How long a blocking read of this handle waits: -1 forever, 0 not at all. */
static int wait_of(const struct shim *s, int for_loop)
{
	if (s->nonblock)
		return 0;
	if (for_loop || s->timeout_ms <= 0)
		return -1;
	return s->timeout_ms;
}

SHIM_EXPORT int pcap_loop(pcap_t *p, int cnt, pcap_handler cb, u_char *user)
{
	struct shim *s = shim_find(p);
	int n = 0;

	if (s == NULL)
		return shim_real()->loop(p, cnt, cb, user);
	while (cnt <= 0 || n < cnt) {
		struct pcap_pkthdr h;
		const u_char *data;
		int rc = shim_read_one(s, &h, &data, wait_of(s, 1));

		if (rc == PCAP_ERROR_BREAK) {
			s->break_loop = 0;
			return PCAP_ERROR_BREAK;
		}
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue; /* non-blocking: libpcap's pcap_loop spins too */
		cb(user, &h, data);
		n++;
	}
	return 0;
}

SHIM_EXPORT int pcap_dispatch(pcap_t *p, int cnt, pcap_handler cb, u_char *user)
{
	struct shim *s = shim_find(p);
	int n = 0;

	if (s == NULL)
		return shim_real()->dispatch(p, cnt, cb, user);
	while (cnt <= 0 || n < cnt) {
		struct pcap_pkthdr h;
		const u_char *data;
		/* waits for the first packet only, then takes what is there */
		int rc = shim_read_one(s, &h, &data, n == 0 ? wait_of(s, 0) : 0);

		if (rc == PCAP_ERROR_BREAK) {
			if (n > 0)
				return n; /* the flag stays for the next call, as in libpcap */
			s->break_loop = 0;
			return PCAP_ERROR_BREAK;
		}
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		cb(user, &h, data);
		n++;
	}
	return n;
}

SHIM_EXPORT int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **h, const u_char **data)
{
	struct shim *s = shim_find(p);
	int rc;

	if (s == NULL)
		return shim_real()->next_ex(p, h, data);
	rc = shim_read_one(s, &s->next_hdr, data, wait_of(s, 0));
	if (rc == PCAP_ERROR_BREAK)
		s->break_loop = 0;
	if (rc == 1)
		*h = &s->next_hdr;
	return rc;
}

SHIM_EXPORT const u_char *pcap_next(pcap_t *p, struct pcap_pkthdr *h)
{
	struct shim *s = shim_find(p);
	struct pcap_pkthdr *hp;
	const u_char *data;

	if (s == NULL)
		return shim_real()->next(p, h);
	if (pcap_next_ex(p, &hp, &data) != 1)
		return NULL;
	*h = *hp;
	return data;
}

SHIM_EXPORT void pcap_breakloop(pcap_t *p)
{
	struct shim *s = shim_find(p);

	if (s == NULL) {
		shim_real()->breakloop(p);
		return;
	}
	s->break_loop = 1;
	if (s->ring != NULL)
		pfring_breakloop(s->ring);
}

SHIM_EXPORT int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->setnonblock(p, nonblock, errbuf);
	s->nonblock = nonblock != 0;
	return 0;
}

SHIM_EXPORT int pcap_getnonblock(pcap_t *p, char *errbuf)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->getnonblock(p, errbuf);
	return s->nonblock;
}

SHIM_EXPORT int pcap_get_selectable_fd(pcap_t *p)
{
	struct shim *s = shim_find(p);

	if (s == NULL)
		return shim_real()->get_selectable_fd(p);
	return s->ring != NULL ? pfring_get_selectable_fd(s->ring) : -1;
}
