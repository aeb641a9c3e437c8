/*
 * sim/nic.c - the simulated NIC: the process-wide table of NICs, the receive
 * path (source -> faults -> RSS -> in-NIC rules -> queue), the hardware
 * clock, identity and the TX side.
 *
 * RSS: queue = pf_rss_hash_table(parsed frame, key table, with_udp = 1) % queues, with
 * pf_rss_key_symmetric when the NIC was created with PF_RING_DNA_SYMMETRIC_RSS
 * and pf_rss_key_default otherwise. Non-IP frames hash to 0: queue 0.
 *
 * Faults (drop=, truncate=, corrupt=, burst=) come from their own PRNG stream
 * seeded by seed=, drawn for every source frame in order: deterministic.
 * Frames a peer sent are not subjected to faults, but are steered (RSS and
 * in-NIC rules) and counted on the wire like source frames.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/nic_priv.h"
#include "util/pcap_lib.h"
#include "core/hash.h"
#include "core/parse.h"

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sim_nic *table;
static int next_ifindex = 1000;

/* ---- identity ---- */

static void mac_from_name(const char *name, uint8_t mac[6])
{
	uint32_t h = 2166136261u;  /* FNV-1a */

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	mac[0] = 0x02;
	mac[1] = 0x50;
	mac[2] = 0x46;
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

const char *sim_nic_name(const struct sim_nic *n) { return n->name; }
const char *sim_nic_source_error(const struct sim_nic *n)
{
	return n->src.failed ? n->src.error : NULL;
}
uint32_t sim_nic_num_queues(const struct sim_nic *n) { return n->opts.queues; }
int sim_nic_ifindex(const struct sim_nic *n) { return n->ifindex; }
void sim_nic_mac(const struct sim_nic *n, uint8_t mac[6]) { memcpy(mac, n->mac, 6); }
int sim_nic_link_up(const struct sim_nic *n) { return n->link_up; }
void sim_nic_set_link(struct sim_nic *n, int up) { n->link_up = !!up; }
const struct sim_opts *sim_nic_opts(const struct sim_nic *n) { return &n->opts; }

/* ---- the table ---- */

static struct sim_nic *lookup(const char *name)
{
	struct sim_nic *n;

	for (n = table; n; n = n->next_nic)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

struct sim_nic *sim_nic_find(const char *name)
{
	struct sim_nic *n;

	if (!name)
		return NULL;
	pthread_mutex_lock(&table_lock);
	n = lookup(name);
	pthread_mutex_unlock(&table_lock);
	return n;
}

int sim_nic_find_ifindex(const char *name)
{
	struct sim_nic *n;
	int ifindex = -1;

	if (!name)
		return -1;
	pthread_mutex_lock(&table_lock);
	n = lookup(name);
	if (n)
		ifindex = n->ifindex;
	pthread_mutex_unlock(&table_lock);
	return ifindex;
}

static int same_opts(const struct sim_opts *a, const struct sim_opts *b)
{
	return !strcmp(a->pcap, b->pcap) && !strcmp(a->gen, b->gen) && a->queues == b->queues &&
	       a->loop == b->loop && a->rate_pps == b->rate_pps && a->rate_pcap == b->rate_pcap &&
	       a->seed == b->seed && a->drop_ppm == b->drop_ppm &&
	       a->truncate_ppm == b->truncate_ppm && a->corrupt_ppm == b->corrupt_ppm &&
	       a->burst == b->burst && a->count == b->count && a->mtu == b->mtu &&
	       !strcmp(a->peer, b->peer) &&
	       !strcmp(a->txpcap, b->txpcap);
}

static void nic_free(struct sim_nic *n)
{
	struct sim_peer_frame *pf, *nx;

	sim_source_close(&n->src);
	if (n->tx_dump)
		pf_pcap()->dump_close(n->tx_dump);
	if (n->tx_dead)
		pf_pcap()->close(n->tx_dead);
	for (pf = n->rxq_head; pf; pf = nx) {
		nx = pf->next;
		free(pf);
	}
	pthread_mutex_destroy(&n->rxq_lock);
	free(n->rules);
	free(n->pend_buf);
	free(n->out_buf);
	free(n);
}

static int open_txpcap(struct sim_nic *n, char *err, size_t errlen)
{
	char why[256];
	const struct pf_pcap_lib *pl = pf_pcap_lib(why, sizeof(why));

	if (!pl) {
		snprintf(err, errlen, "sim: txpcap=%s: %s", n->opts.txpcap, why);
		return -1;
	}
	n->tx_dead = pl->open_dead_with_tstamp_precision(DLT_EN10MB, 262144,
							 PCAP_TSTAMP_PRECISION_NANO);
	if (!n->tx_dead) {
		snprintf(err, errlen, "sim: txpcap=%s: pcap_open_dead failed", n->opts.txpcap);
		errno = ENOMEM;
		return -1;
	}
	n->tx_dump = pl->dump_open(n->tx_dead, n->opts.txpcap);
	if (!n->tx_dump) {
		int e = errno ? errno : EIO;

		snprintf(err, errlen, "sim: txpcap=%s: %s", n->opts.txpcap, pl->geterr(n->tx_dead));
		errno = e;
		return -1;
	}
	pl->dump_flush(n->tx_dump);
	return 0;
}

static int check_opts(const struct sim_opts *o, char *err, size_t errlen)
{
	if (o->queues < 1 || o->queues > SIM_MAX_QUEUES) {
		snprintf(err, errlen, "sim: queues=%u: must be 1..%d", o->queues, SIM_MAX_QUEUES);
		return -1;
	}
	if (o->mtu < SIM_MIN_MTU || o->mtu > SIM_MAX_MTU ||
	    o->drop_ppm > 1000000 || o->truncate_ppm > 1000000 || o->corrupt_ppm > 1000000 ||
	    (o->gen[0] && o->count == 0) || (o->pcap[0] && o->gen[0]) ||
	    !memchr(o->pcap, 0, sizeof(o->pcap)) || !memchr(o->gen, 0, sizeof(o->gen)) ||
	    !memchr(o->peer, 0, sizeof(o->peer)) || !memchr(o->txpcap, 0, sizeof(o->txpcap))) {
		snprintf(err, errlen, "sim: inconsistent options (use sim_opts_parse)");
		return -1;
	}
	return 0;
}

static int prime(struct sim_nic *n, char *err, size_t errlen);

static struct sim_nic *nic_create(const char *name, const struct sim_opts *o, uint32_t flags,
				  char *err, size_t errlen)
{
	struct sim_nic *n;

	if (check_opts(o, err, errlen)) {
		errno = EINVAL;
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n || !(n->pend_buf = malloc(SIM_MAX_FRAME)) || !(n->out_buf = malloc(SIM_MAX_FRAME)) ||
	    !(n->rules = calloc(1, sizeof(*n->rules)))) {
		if (n) {
			free(n->pend_buf);
			free(n->out_buf);
			free(n);
		}
		snprintf(err, errlen, "sim: %s: out of memory", name);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&n->rxq_lock, NULL);
	strcpy(n->name, name);
	n->opts = *o;
	n->flags = flags;
	pf_toeplitz_table_init(&n->rss, (flags & PF_RING_DNA_SYMMETRIC_RSS) ?
			       pf_rss_key_symmetric : pf_rss_key_default, PF_RSS_KEY_LEN);
	n->refs = 1;
	n->link_up = 1;
	mac_from_name(name, n->mac);
	n->fault_rng = sim_mix64(o->seed ^ 0xfa017u);
	if (sim_source_open(&n->src, o, err, errlen) || prime(n, err, errlen) ||
	    (o->txpcap[0] && open_txpcap(n, err, errlen))) {
		int e = errno;

		nic_free(n);
		errno = e;
		return NULL;
	}
	n->ifindex = next_ifindex++;
	return n;
}

struct sim_nic *sim_nic_get(const char *name, const struct sim_opts *o, uint32_t flags,
			    char *err, size_t errlen)
{
	struct sim_nic *n;

	if (!err)
		errlen = 0;
	if (!name || !*name || strlen(name) >= SIM_NAME_LEN) {
		snprintf(err, errlen, "sim: bad NIC name \"%s\" (1..%d characters)",
			 name ? name : "", SIM_NAME_LEN - 1);
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&table_lock);
	n = lookup(name);
	if (n) {
		if (o && o->any && !same_opts(o, &n->opts)) {
			snprintf(err, errlen, "sim: NIC %s already exists with other options "
				 "(open it with the same options or none)", name);
			errno = EEXIST;
			n = NULL;
		} else {
			n->refs++;
		}
	} else if (!o || !o->has_source) {
		snprintf(err, errlen, "sim: no NIC %s in this process and no source given "
			 "(pcap= or gen=)", name);
		errno = ENODEV;
	} else {
		n = nic_create(name, o, flags, err, errlen);
		if (n) {
			n->next_nic = table;
			table = n;
		}
	}
	pthread_mutex_unlock(&table_lock);
	return n;
}

void sim_nic_put(struct sim_nic *n)
{
	struct sim_nic **pp;

	if (!n)
		return;
	pthread_mutex_lock(&table_lock);
	if (--n->refs) {
		pthread_mutex_unlock(&table_lock);
		return;
	}
	for (pp = &table; *pp; pp = &(*pp)->next_nic)
		if (*pp == n) {
			*pp = n->next_nic;
			break;
		}
	pthread_mutex_unlock(&table_lock);
	nic_free(n);
}

/* ---- the receive path ---- */

/* Fetch the next source frame into pend if there is none waiting. */
static int fill_pending(struct sim_nic *n, char *err, size_t errlen)
{
	int rc;

	if (n->have_pend)
		return 1;
	n->pend.data = n->pend_buf;
	rc = sim_source_next(&n->src, &n->opts, &n->pend, err, errlen);
	n->have_pend = rc == 1;
	return rc;
}

/* At creation: surface a bad source now, and start the clock at the first frame. */
static int prime(struct sim_nic *n, char *err, size_t errlen)
{
	int rc = fill_pending(n, err, errlen);

	if (rc < 0) {
		errno = EINVAL;
		return -1;
	}
	n->clock_base_ns = rc ? n->pend.ts_ns : 0;
	return 0;
}

enum { F_DROP, F_TRUNC, F_CORRUPT };

static int fault_hits(struct sim_nic *n, int kind, uint32_t ppm)
{
	uint64_t r = sim_rand(&n->fault_rng);

	if (n->burst_left[kind]) {
		n->burst_left[kind]--;
		return 1;
	}
	if (r % 1000000 < ppm) {
		n->burst_left[kind] = n->opts.burst;
		return 1;
	}
	return 0;
}

/* 1 when the frame is lost to drop= */
static int apply_faults(struct sim_nic *n, struct sim_raw *r)
{
	const struct sim_opts *o = &n->opts;

	if (o->drop_ppm && fault_hits(n, F_DROP, o->drop_ppm)) {
		n->c.fault_dropped++;
		return 1;
	}
	if (o->truncate_ppm && fault_hits(n, F_TRUNC, o->truncate_ppm) && r->caplen > 14) {
		r->caplen = 14 + (uint32_t)(sim_rand(&n->fault_rng) % (r->caplen - 14));
		n->c.truncated++;
	}
	if (o->corrupt_ppm && fault_hits(n, F_CORRUPT, o->corrupt_ppm) && r->caplen > 14) {
		uint64_t x = sim_rand(&n->fault_rng);
		unsigned k, nflip = 1 + (unsigned)(x & 3);

		for (k = 0; k < nflip; k++) {
			uint64_t y = sim_rand(&n->fault_rng);

			r->data[14 + y % (r->caplen - 14)] ^= (uint8_t)(1 + (y >> 32) % 255);
		}
		n->c.corrupted++;
	}
	return 0;
}

/* RSS then in-NIC rules: 1 and f->queue set, or 0 when a rule drops the frame */
static int steer(struct sim_nic *n, struct sim_frame *f)
{
	struct pkt_parsing_info *p = &n->parsed;
	int level, q;

	level = pf_parse(f->data, f->caplen, PF_RING_PARSE_L5, p);
	f->info = p;
	f->parsed_level = level > 0 ? (uint8_t)level : 1;  /* as pf_pkt_parse() records it */
	f->rss_hash = pf_rss_hash_table(p, &n->rss, 1);
	f->queue = (uint16_t)(f->rss_hash % n->opts.queues);
	q = sim_hw_rules_match(n->rules, p);
	if (q < 0)
		return 1;
	if ((uint32_t)q >= n->opts.queues) {
		n->c.hw_dropped++;
		return 0;
	}
	f->queue = (uint16_t)q;
	return 1;
}

static struct sim_peer_frame *pop_peer(struct sim_nic *n)
{
	struct sim_peer_frame *pf;

	pthread_mutex_lock(&n->rxq_lock);
	pf = n->rxq_head;
	if (pf) {
		n->rxq_head = pf->next;
		if (!n->rxq_head)
			n->rxq_tail = NULL;
		n->rxq_len--;
	}
	pthread_mutex_unlock(&n->rxq_lock);
	return pf;
}

/* One frame off the wire, before steering: 1, 0 exhausted, -1 error */
static int wire_frame(struct sim_nic *n, struct sim_frame *f, char *err, size_t errlen)
{
	struct sim_peer_frame *pf = pop_peer(n);
	uint8_t *t;
	int rc;

	if (pf) {
		memcpy(n->out_buf, pf->data, pf->len);
		f->data = n->out_buf;
		f->caplen = f->len = pf->len;
		f->ts_ns = pf->ts_ns;
		free(pf);
		n->c.wire++;
		return 1;
	}
	for (;;) {
		rc = fill_pending(n, err, errlen);
		if (rc != 1)
			return rc;
		n->have_pend = 0;
		t = n->out_buf;            /* the pending buffer becomes the output */
		n->out_buf = n->pend_buf;
		n->pend_buf = t;
		n->c.wire++;
		n->clock_base_ns = n->pend.ts_ns;
		if (apply_faults(n, &n->pend))
			continue;
		f->data = n->out_buf;
		f->caplen = n->pend.caplen;
		f->len = n->pend.len;
		f->ts_ns = n->pend.ts_ns;
		return 1;
	}
}

int sim_nic_next(struct sim_nic *n, struct sim_frame *f, char *err, size_t errlen)
{
	int rc;

	if (!n || !f)
		return -1;
	if (!err)
		errlen = 0;
	for (;;) {
		rc = wire_frame(n, f, err, errlen);
		if (rc != 1)
			return rc;
		if (steer(n, f))
			break;
	}
	f->hw_ts_ns = (uint64_t)((int64_t)f->ts_ns + n->clock_offset_ns);
	return 1;
}

uint64_t sim_nic_next_due_ns(struct sim_nic *n)
{
	int queued;

	if (!n)
		return UINT64_MAX;
	pthread_mutex_lock(&n->rxq_lock);
	queued = n->rxq_head != NULL;
	pthread_mutex_unlock(&n->rxq_lock);
	if (queued)
		return 0;
	return fill_pending(n, NULL, 0) == 1 ? n->pend.ts_ns : UINT64_MAX;
}

/* ---- in-NIC rules ---- */

int sim_nic_add_hw_rule(struct sim_nic *n, const hw_filtering_rule *r)
{
	return n ? sim_hw_rules_add(n->rules, r) : PF_RING_ERROR_INVALID_ARGUMENT;
}

int sim_nic_remove_hw_rule(struct sim_nic *n, u_int16_t rule_id)
{
	return n ? sim_hw_rules_remove(n->rules, rule_id) : PF_RING_ERROR_INVALID_ARGUMENT;
}

/* ---- the hardware clock: virtual time of the last frame + offset ---- */

void sim_nic_get_clock(const struct sim_nic *n, struct timespec *ts)
{
	uint64_t now;

	if (!n || !ts)
		return;
	now = (uint64_t)((int64_t)n->clock_base_ns + n->clock_offset_ns);
	ts->tv_sec = (time_t)(now / 1000000000ull);
	ts->tv_nsec = (long)(now % 1000000000ull);
}

static int64_t ts_to_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000ll + ts->tv_nsec;
}

void sim_nic_set_clock(struct sim_nic *n, const struct timespec *ts)
{
	if (!n || !ts)
		return;
	n->clock_offset_ns = ts_to_ns(ts) - (int64_t)n->clock_base_ns;
}

/* sign < 0 moves the clock back, anything else forward */
void sim_nic_adjust_clock(struct sim_nic *n, const struct timespec *off, int8_t sign)
{
	if (!n || !off)
		return;
	if (sign < 0)
		n->clock_offset_ns -= ts_to_ns(off);
	else
		n->clock_offset_ns += ts_to_ns(off);
}

/* ---- TX ---- */

static void to_peer(struct sim_nic *n, const uint8_t *data, uint32_t len, uint64_t ts_ns)
{
	struct sim_nic *peer;
	struct sim_peer_frame *pf;

	pthread_mutex_lock(&table_lock);
	peer = lookup(n->opts.peer);
	if (!peer || !peer->link_up) {
		n->c.tx_lost++;
		goto out;
	}
	pthread_mutex_lock(&peer->rxq_lock);
	pf = peer->rxq_len < SIM_PEER_QUEUE_MAX ? malloc(sizeof(*pf) + len) : NULL;
	if (pf) {
		pf->next = NULL;
		pf->len = len;
		pf->ts_ns = ts_ns;
		memcpy(pf->data, data, len);
		if (peer->rxq_tail)
			peer->rxq_tail->next = pf;
		else
			peer->rxq_head = pf;
		peer->rxq_tail = pf;
		peer->rxq_len++;
	} else {
		n->c.tx_lost++;
	}
	pthread_mutex_unlock(&peer->rxq_lock);
out:
	pthread_mutex_unlock(&table_lock);
}

uint32_t sim_nic_mtu(const struct sim_nic *n)
{
	return n->opts.mtu;
}

int sim_nic_frame_fits(const struct sim_nic *n, const uint8_t *data, uint32_t len)
{
	uint32_t max = n->opts.mtu + SIM_ETH_HLEN;
	uint16_t type = len >= SIM_ETH_HLEN ? (uint16_t)(data[12] << 8 | data[13]) : 0;

	if (type == 0x8100 || type == 0x88a8)   /* 802.1Q, 802.1ad */
		max += SIM_VLAN_HLEN;
	return len <= max;
}

int sim_nic_send(struct sim_nic *n, const uint8_t *data, uint32_t len, uint64_t ts_ns)
{
	if (!n || !data || len == 0 || len > SIM_MAX_FRAME)
		return PF_RING_ERROR_INVALID_ARGUMENT;
	if (n->tx_dump) {
		struct pcap_pkthdr h;

		h.ts.tv_sec = (time_t)(ts_ns / 1000000000ull);
		h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000ull); /* ns: nano dumper */
		h.caplen = h.len = len;
		pf_pcap()->dump((u_char *)n->tx_dump, &h, data);
		pf_pcap()->dump_flush(n->tx_dump);
	}
	n->c.tx++;
	if (n->opts.peer[0])
		to_peer(n, data, len, ts_ns);
	return (int)len;
}

void sim_nic_counters(const struct sim_nic *n, struct sim_nic_counters *c)
{
	if (!c)
		return;
	if (!n) {
		memset(c, 0, sizeof(*c));
		return;
	}
	*c = n->c;
	c->repaired = n->src.repaired;
	c->source_errors = (uint64_t)n->src.failed;
}

/* pfring_enable_rss_rehash: steer with the symmetric key from the next frame on,
 * so both directions of a flow land on the same queue. */
void sim_nic_set_symmetric_rss(struct sim_nic *n)
{
	n->flags |= PF_RING_DNA_SYMMETRIC_RSS;
	pf_toeplitz_table_init(&n->rss, pf_rss_key_symmetric, PF_RSS_KEY_LEN);
}
