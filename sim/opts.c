/*
 * sim/opts.c - the options of a simulated NIC: "k=v&k=v" (docs/sim.md).
 *
 * Every key may appear once. Values are checked here, so a bad option is
 * reported before any NIC exists; the file named by pcap= is only opened by
 * sim_nic_get().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/nic_priv.h"

#define KNOWN "pcap, gen, queues, loop, rate, seed, drop, truncate, corrupt, burst, count, peer, " \
	      "txpcap, mtu"

enum opt_key {
	K_PCAP, K_GEN, K_QUEUES, K_LOOP, K_RATE, K_SEED, K_DROP, K_TRUNCATE,
	K_CORRUPT, K_BURST, K_COUNT, K_PEER, K_TXPCAP, K_MTU, K_NUM
};

static const char *const key_names[K_NUM] = {
	"pcap", "gen", "queues", "loop", "rate", "seed", "drop", "truncate",
	"corrupt", "burst", "count", "peer", "txpcap", "mtu"
};

/* Decimal digits only (no sign, no spaces), no overflow. */
static int parse_u64(const char *v, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || *end)
		return -1;
	*out = x;
	return 0;
}

static int parse_range(const char *k, const char *v, uint64_t lo, uint64_t hi,
		       uint64_t *out, char *err, size_t errlen)
{
	if (parse_u64(v, out) || *out < lo || *out > hi) {
		snprintf(err, errlen, "sim: %s=%s: must be %llu..%llu", k, v,
			 (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	return 0;
}

/* A probability in [0, 1] as parts per million */
static int parse_prob(const char *k, const char *v, uint32_t *ppm, char *err, size_t errlen)
{
	char *end;
	double p;

	if (((*v < '0' || *v > '9') && *v != '.') || strpbrk(v, "xX"))
		goto bad;  /* decimal only: strtod would also take hex, inf, nan */
	errno = 0;
	p = strtod(v, &end);
	if (errno || *end || !(p >= 0.0 && p <= 1.0))
		goto bad;
	*ppm = (uint32_t)(p * 1e6 + 0.5);   /* p in [0, 1]: rounds half up, no libm */
	return 0;
bad:
	snprintf(err, errlen, "sim: %s=%s: must be a probability 0..1", k, v);
	return -1;
}

static int parse_str(const char *k, const char *v, char *dst, size_t cap, char *err, size_t errlen)
{
	size_t l = strlen(v);

	if (l >= cap) {
		snprintf(err, errlen, "sim: %s=%.40s...: longer than %zu characters", k, v, cap - 1);
		return -1;
	}
	memcpy(dst, v, l + 1);
	return 0;
}

static int set_rate(const char *v, struct sim_opts *o, char *err, size_t errlen)
{
	if (!strcmp(v, "pcap")) {
		o->rate_pcap = 1;
		return 0;
	}
	if (parse_u64(v, &o->rate_pps) || o->rate_pps < 1 || o->rate_pps > 1000000000ull) {
		snprintf(err, errlen, "sim: rate=%s: must be 1..1000000000 (packets per second) or pcap", v);
		return -1;
	}
	return 0;
}

static int set_opt(enum opt_key k, const char *v, struct sim_opts *o, char *err, size_t errlen)
{
	const char *kn = key_names[k];
	uint64_t x;

	switch (k) {
	case K_PCAP:
		o->has_source = 1;
		return parse_str(kn, v, o->pcap, sizeof(o->pcap), err, errlen);
	case K_GEN: {
		struct sim_gen_spec g;

		o->has_source = 1;
		if (sim_gen_spec_parse(v, &g, err, errlen))
			return -1;
		return parse_str(kn, v, o->gen, sizeof(o->gen), err, errlen);
	}
	case K_QUEUES:
		if (parse_range(kn, v, 1, SIM_MAX_QUEUES, &x, err, errlen))
			return -1;
		o->queues = (uint32_t)x;
		return 0;
	case K_LOOP:
		if (parse_range(kn, v, 0, UINT32_MAX, &x, err, errlen))
			return -1;
		o->loop = (uint32_t)x;
		return 0;
	case K_RATE:
		return set_rate(v, o, err, errlen);
	case K_SEED:
		return parse_range(kn, v, 0, UINT64_MAX, &o->seed, err, errlen);
	case K_DROP:
		return parse_prob(kn, v, &o->drop_ppm, err, errlen);
	case K_TRUNCATE:
		return parse_prob(kn, v, &o->truncate_ppm, err, errlen);
	case K_CORRUPT:
		return parse_prob(kn, v, &o->corrupt_ppm, err, errlen);
	case K_BURST:
		if (parse_range(kn, v, 0, 1000000, &x, err, errlen))
			return -1;
		o->burst = (uint32_t)x;
		return 0;
	case K_COUNT:
		return parse_range(kn, v, 1, UINT64_MAX / 2, &o->count, err, errlen);
	case K_PEER:
		return parse_str(kn, v, o->peer, sizeof(o->peer), err, errlen);
	case K_TXPCAP:
		return parse_str(kn, v, o->txpcap, sizeof(o->txpcap), err, errlen);
	case K_MTU:
		if (parse_range(kn, v, SIM_MIN_MTU, SIM_MAX_MTU, &x, err, errlen))
			return -1;
		o->mtu = (uint32_t)x;
		return 0;
	default:
		return -1;
	}
}

static void set_defaults(struct sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->queues = 1;
	o->loop = 1;
	o->seed = 1;
	o->count = 10000;
	o->mtu = SIM_DEFAULT_MTU;
}

/* One "k=v" of length len */
static int parse_one(const char *kv, size_t len, struct sim_opts *o, uint32_t *seen,
		     char *err, size_t errlen)
{
	char buf[512];
	char *eq;
	int k;

	if (len == 0) {
		snprintf(err, errlen, "sim: empty option (two '&' in a row, or a trailing '&')");
		return -1;
	}
	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "sim: option \"%.40s...\" is too long", kv);
		return -1;
	}
	memcpy(buf, kv, len);
	buf[len] = '\0';
	eq = strchr(buf, '=');
	if (eq)
		*eq = '\0';
	for (k = 0; k < K_NUM; k++)
		if (!strcmp(buf, key_names[k]))
			break;
	if (k == K_NUM) {
		snprintf(err, errlen, "sim: unknown option \"%s\" (known: " KNOWN ")", buf);
		return -1;
	}
	if (!eq || !eq[1]) {
		snprintf(err, errlen, "sim: %s: needs a value (%s=VALUE)", buf, buf);
		return -1;
	}
	if (*seen & (1u << k)) {
		snprintf(err, errlen, "sim: option \"%s\" given twice", buf);
		return -1;
	}
	*seen |= 1u << k;
	return set_opt((enum opt_key)k, eq + 1, o, err, errlen);
}

int sim_opts_parse(const char *query, struct sim_opts *o, char *err, size_t errlen)
{
	uint32_t seen = 0;
	const char *p, *amp;

	if (!o)
		return -1;
	set_defaults(o);
	if (err && errlen)
		err[0] = '\0';
	if (!query || !*query)
		return 0;
	if (!err)
		errlen = 0;
	for (p = query;; p = amp + 1) {
		amp = strchr(p, '&');
		if (parse_one(p, amp ? (size_t)(amp - p) : strlen(p), o, &seen, err, errlen))
			return -1;
		if (!amp)
			break;
	}
	if (o->pcap[0] && o->gen[0]) {
		snprintf(err, errlen, "sim: pcap= and gen= are exclusive (one source per NIC)");
		return -1;
	}
	o->any = 1;
	return 0;
}
