/*
 * sim/source.c - what a simulated NIC's wire carries: a pcap file (libpcap,
 * nanosecond timestamps) or the generator, looped loop= times (0 = forever).
 *
 * Timestamps: a capture's own (ns precision when the file has it); each
 * further loop adds the capture's span (latest - earliest) + 1 us, so time keeps
 * increasing. The generator's frame i is at SIM_EPOCH + i * 1e9 / rate with
 * rate=PPS, else SIM_EPOCH + i us. A capture with rate=PPS is retimed the same
 * way from its first frame's timestamp; rate=pcap keeps the capture's timing.
 * Captured frames longer than SIM_MAX_FRAME are cut to it (len unchanged).
 *
 * Odd records (docs/sim.md "Captures"): ts_sec is the format's unsigned 32-bit
 * field (libpcap hands it over signed); a fraction of a second of 1 s or more
 * is carried into the seconds, and len < caplen becomes len = caplen: both
 * repairs are counted (sim_nic_counters' repaired) and said once per source.
 * A record libpcap cannot read (truncated, caplen beyond its maximum, garbage)
 * fails the source for good: every later call returns the same error, so the
 * reader sees it after the good frames before it and never a quiet end.
 * loop= other than 1 needs a regular file: a FIFO cannot be read twice, and
 * reopening one would wait for a writer inside pfring_recv.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "sim/nic_priv.h"
#include "util/pcap_lib.h"
#include "util/api_message.h"

static uint64_t rate_ts(uint64_t base, uint64_t i, uint64_t pps)
{
	return base + (i / pps) * 1000000000ull + (i % pps) * 1000000000ull / pps;
}

static int pcap_reopen(struct sim_source *s, const char *path, uint32_t loop, char *err,
		       size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	const struct pf_pcap_lib *pl;
	struct stat st;

	if (stat(path, &st) != 0) {
		int e = errno;

		snprintf(err, errlen, "sim: pcap=%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (loop != 1 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "sim: pcap=%s: loop=%u needs a regular file (a FIFO or "
			 "device cannot be replayed): use loop=1", path, loop);
		errno = EINVAL;
		return -1;
	}
	pl = pf_pcap_lib(ebuf, sizeof(ebuf));
	if (!pl) {
		snprintf(err, errlen, "sim: pcap=%s: %s", path, ebuf);
		errno = ELIBACC;
		return -1;
	}
	s->pcap = pl->open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!s->pcap) {
		snprintf(err, errlen, "sim: pcap=%s: %s", path, ebuf);
		errno = EINVAL;
		return -1;
	}
	if (pl->datalink(s->pcap) != DLT_EN10MB) {
		snprintf(err, errlen, "sim: pcap=%s: link type %s, not Ethernet", path,
			 pl->datalink_val_to_name(pl->datalink(s->pcap)) ?: "unknown");
		pl->close(s->pcap);
		s->pcap = NULL;
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int sim_source_open(struct sim_source *s, const struct sim_opts *o, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (o->gen[0]) {
		s->is_gen = 1;
		if (sim_gen_spec_parse(o->gen, &s->gen, err, errlen)) {
			errno = EINVAL;
			return -1;
		}
		return 0;
	}
	return pcap_reopen(s, o->pcap, o->loop, err, errlen);
}

void sim_source_close(struct sim_source *s)
{
	if (s->pcap)
		pf_pcap()->close(s->pcap);
	s->pcap = NULL;
}

/* Another loop to go? */
static int loop_again(struct sim_source *s, const struct sim_opts *o)
{
	s->loops_done++;
	if (s->in_loop == 0)
		return 0;  /* an empty source never produces anything */
	s->in_loop = 0;
	return o->loop == 0 || s->loops_done < o->loop;
}

static int gen_next(struct sim_source *s, const struct sim_opts *o, struct sim_raw *r)
{
	if (s->in_loop == o->count && !loop_again(s, o))
		return 0;
	r->caplen = r->len = sim_gen_frame(&s->gen, o->seed, s->idx, r->data);
	r->ts_ns = o->rate_pps ? rate_ts(SIM_EPOCH_NS, s->idx, o->rate_pps)
			       : SIM_EPOCH_NS + s->idx * 1000ull;
	return 1;
}

#define SAID_LEN 1u
#define SAID_TS  2u

/* Said once per source and kind; every repair is counted. */
static void repaired(struct sim_source *s, const struct sim_opts *o, uint8_t kind,
		     const char *what)
{
	s->repaired++;
	if (s->said & kind)
		return;
	s->said |= kind;
	pf_api_message("sim: pcap=%s: record %llu: %s (repairs are counted; said once)",
		       o->pcap, (unsigned long long)s->in_loop + 1, what);
}

/* The record's time in ns, repaired; -1 when it cannot be a pcap time. */
static int record_ts(struct sim_source *s, const struct sim_opts *o,
		     const struct pcap_pkthdr *h, uint64_t *ts, char *err, size_t errlen)
{
	int64_t sec = (int64_t)h->ts.tv_sec;
	int64_t frac = (int64_t)h->ts.tv_usec;  /* ns: the capture was opened nano */

	if (sec < 0 && sec >= INT32_MIN)
		sec = (int64_t)(uint32_t)sec;   /* the format's field is unsigned */
	if (sec < 0 || sec > (int64_t)UINT32_MAX || frac < 0 || frac > (int64_t)UINT32_MAX * 1000) {
		snprintf(err, errlen, "sim: pcap=%s: record %llu: timestamp %lld.%09lld out of range",
			 o->pcap, (unsigned long long)s->in_loop + 1, (long long)sec, (long long)frac);
		return -1;
	}
	if (frac >= 1000000000)
		repaired(s, o, SAID_TS, "fraction of a second >= 1 s, carried into the seconds");
	*ts = (uint64_t)sec * 1000000000ull + (uint64_t)frac;
	return 0;
}

static int pcap_next_frame(struct sim_source *s, const struct sim_opts *o, struct sim_raw *r,
			   char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t ts;
	int rc;

	for (;;) {
		rc = pf_pcap()->next_ex(s->pcap, &h, &d);
		if (rc == 1)
			break;
		if (rc != PCAP_ERROR_BREAK) {
			snprintf(err, errlen, "sim: pcap=%s: record %llu: %s", o->pcap,
				 (unsigned long long)s->in_loop + 1, pf_pcap()->geterr(s->pcap));
			return -1;
		}
		sim_source_close(s);
		if (s->loops_done == 0)
			s->loop_offset_ns = 0;
		if (!loop_again(s, o))
			return 0;
		s->loop_offset_ns += s->last_ts - s->first_ts + 1000;
		if (pcap_reopen(s, o->pcap, o->loop, err, errlen))
			return -1;
	}
	if (record_ts(s, o, h, &ts, err, errlen))
		return -1;
	if (s->loops_done == 0) {  /* the span: earliest to latest, whatever the order */
		if (s->in_loop == 0 || ts < s->first_ts)
			s->first_ts = ts;
		if (s->in_loop == 0 || ts > s->last_ts)
			s->last_ts = ts;
	}
	r->len = h->len;
	if (h->len < h->caplen) {
		repaired(s, o, SAID_LEN, "len < caplen, len set to caplen");
		r->len = h->caplen;
	}
	r->caplen = h->caplen < SIM_MAX_FRAME ? h->caplen : SIM_MAX_FRAME;
	if (r->caplen)
		memcpy(r->data, d, r->caplen);
	if (s->idx == 0)
		s->first_out_ts = ts;
	r->ts_ns = o->rate_pps ? rate_ts(s->first_out_ts, s->idx, o->rate_pps)
			       : ts + s->loop_offset_ns;
	return 1;
}

int sim_source_next(struct sim_source *s, const struct sim_opts *o, struct sim_raw *r,
		    char *err, size_t errlen)
{
	int rc;

	if (s->failed) {
		snprintf(err, errlen, "%s", s->error);
		errno = EIO;
		return -1;
	}
	if (s->exhausted)
		return 0;
	rc = s->is_gen ? gen_next(s, o, r) : pcap_next_frame(s, o, r, s->error, sizeof(s->error));
	if (rc == 1) {
		s->idx++;
		s->in_loop++;
	} else if (rc == 0) {
		s->exhausted = 1;
	} else {
		/* for good: the reader gets this error, not a quiet end */
		s->failed = 1;
		snprintf(err, errlen, "%s", s->error);
		errno = EIO;
	}
	return rc;
}
