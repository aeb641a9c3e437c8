/*
 * sim/source.c - what a simulated NIC's wire carries: a pcap file (libpcap,
 * nanosecond timestamps) or the generator, looped loop= times (0 = forever).
 *
 * Timestamps: a capture's own (ns precision when the file has it); each
 * further loop adds the capture's span (last - first) + 1 us, so time keeps
 * increasing. The generator's frame i is at SIM_EPOCH + i * 1e9 / rate with
 * rate=PPS, else SIM_EPOCH + i us. A capture with rate=PPS is retimed the same
 * way from its first frame's timestamp; rate=pcap keeps the capture's timing.
 * Captured frames longer than SIM_MAX_FRAME are cut to it (len unchanged).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "nic_priv.h"
#include "pcap_lib.h"

static uint64_t rate_ts(uint64_t base, uint64_t i, uint64_t pps)
{
	return base + (i / pps) * 1000000000ull + (i % pps) * 1000000000ull / pps;
}

static int pcap_reopen(struct sim_source *s, const char *path, char *err, size_t errlen)
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
	return pcap_reopen(s, o->pcap, err, errlen);
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
			snprintf(err, errlen, "sim: pcap=%s: %s", o->pcap, pf_pcap()->geterr(s->pcap));
			return -1;
		}
		sim_source_close(s);
		if (s->loops_done == 0)
			s->loop_offset_ns = 0;
		if (!loop_again(s, o))
			return 0;
		s->loop_offset_ns += s->last_ts - s->first_ts + 1000;
		if (pcap_reopen(s, o->pcap, err, errlen))
			return -1;
	}
	ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
	if (s->loops_done == 0) {
		if (s->in_loop == 0)
			s->first_ts = ts;
		s->last_ts = ts;
	}
	r->len = h->len;
	r->caplen = h->caplen < SIM_MAX_FRAME ? h->caplen : SIM_MAX_FRAME;
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

	if (s->exhausted)
		return 0;
	rc = s->is_gen ? gen_next(s, o, r) : pcap_next_frame(s, o, r, err, errlen);
	if (rc == 1) {
		s->idx++;
		s->in_loop++;
	} else {
		s->exhausted = 1;
	}
	return rc;
}
