/*
 * backends/hub/hub.c - the "hub:" backend: an in-process hub. Every frame sent
 * on a ring open on hub:NAME is received by every ring open on hub:NAME, the
 * sender's included, in the order sent.
 *
 *   hub:NAME      NAME: any device name of the grammar (lib/devname.h), no queue,
 *                 no options
 *
 * It is the smallest complete backend, kept as the example docs/architecture.md
 * walks through ("Adding a backend"): its own folder, one line in
 * lib/backends.def, and the operations it supports; every other pfring_*
 * function returns PF_RING_ERROR_NOT_SUPPORTED from the front. It is also a
 * loopback for testing a program's send and receive paths without a NIC.
 *
 * Each ring owns a core ring (core/ring.h) of at least HUB_RING_FRAMES slots
 * of its caplen (the region is whole pages): pfring_send is the producer of every ring on the hub (serialized by
 * the hub's lock), pfring_recv the consumer of its own (lib/ring_read.c: the
 * same read step as sim:, pf_ring.ko and userspace:). A full ring drops the
 * frame and counts it (pfring_stats: drop); a frame longer than a ring's caplen
 * is cut to it (hdr->len keeps the length sent). A blocked pfring_recv or
 * pfring_poll sleeps on the hub's condition variable, at most poll_duration
 * msec at a time.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/api_internal.h"
#include "lib/backend.h"
#include "lib/devname.h"
#include "lib/ring_read.h"
#include "core/ring.h"

#define HUB_RING_FRAMES 64

struct hub_ring {
	struct hub *hub;
	struct hub_ring *next;         /* on hub->rings */
	u32 caplen;                    /* the ring's: longer frames are cut */
	void *mem;
	struct pf_ring_prod prod;      /* written under hub->lock */
	struct pf_ring_cons cons;      /* the reader's (pfring_recv's) */
};

struct hub {
	char name[PF_DEVNAME_NAME_MAX];
	struct hub_ring *rings;
	pthread_cond_t sent;           /* broadcast after each send */
	struct hub *next;              /* on hubs */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;   /* hubs and every hub */
static struct hub *hubs;

static struct hub_ring *hub_ring_of(pfring *ring)
{
	return ring->priv_data;
}

/* The hub NAME, made when missing; NULL (ENOMEM). Under lock. */
static struct hub *hub_get(const char *name)
{
	struct hub *h;

	for (h = hubs; h; h = h->next)
		if (strcmp(h->name, name) == 0)
			return h;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	snprintf(h->name, sizeof(h->name), "%s", name);
	pthread_cond_init(&h->sent, NULL);
	h->next = hubs;
	hubs = h;
	return h;
}

/* Under lock: frees h once its last ring is gone. */
static void hub_put(struct hub *h)
{
	struct hub **pp;

	if (h->rings)
		return;
	for (pp = &hubs; *pp != h; pp = &(*pp)->next)
		;
	*pp = h->next;
	pthread_cond_destroy(&h->sent);
	free(h);
}

static int hub_open(pfring *ring, const struct pf_devname *dn)
{
	const char *name = dn->member[0].name;
	u32 flags = 0;
	size_t size = pf_ring_layout_size(HUB_RING_FRAMES * pf_ring_slot_bytes(flags, ring->caplen));
	struct hub_ring *r;

	if (dn->num_members != 1 || !dn->member[0].any_queue) {
		pf_api_message("pfring_open(%s): a hub has no queues and one name",
			       ring->device_name);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	if (dn->options) {
		pf_api_message("pfring_open(%s): a hub takes no \"?options\"", ring->device_name);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL || size == 0 || (r->mem = calloc(1, size)) == NULL ||
	    pf_ring_init(&r->prod, r->mem, size, flags) != 0 ||
	    pf_ring_attach(&r->cons, r->mem, size, NULL, 0) != 0) {
		if (r)
			free(r->mem);
		free(r);
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	}
	r->caplen = ring->caplen;      /* before a sender on the hub can see r */
	pthread_mutex_lock(&lock);
	r->hub = hub_get(name);
	if (r->hub) {
		r->next = r->hub->rings;
		r->hub->rings = r;
	}
	pthread_mutex_unlock(&lock);
	if (r->hub == NULL) {
		free(r->mem);
		free(r);
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	}
	ring->priv_data = r;
	return 0;
}

static void hub_close(pfring *ring)
{
	struct hub_ring *r = hub_ring_of(ring), **pp;

	pthread_mutex_lock(&lock);
	for (pp = &r->hub->rings; *pp != r; pp = &(*pp)->next)
		;
	*pp = r->next;
	hub_put(r->hub);
	pthread_mutex_unlock(&lock);
	free(r->mem);
	free(r);
}

static void hub_shutdown(pfring *ring)
{
	pthread_mutex_lock(&lock);
	pthread_cond_broadcast(&hub_ring_of(ring)->hub->sent);
	pthread_mutex_unlock(&lock);
}

static int hub_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush)
{
	struct hub_ring *self = hub_ring_of(ring), *r;
	struct timespec now;
	struct pf_ring_pkt p = { .data = pkt, .len = pkt_len };

	(void)flush;
	clock_gettime(CLOCK_REALTIME, &now);
	p.ts_ns = (u64)now.tv_sec * 1000000000u + (u64)now.tv_nsec;
	pthread_mutex_lock(&lock);
	for (r = self->hub->rings; r; r = r->next) {
		p.caplen = pkt_len < r->caplen ? pkt_len : r->caplen;
		pf_ring_put(&r->prod, &p);     /* a full ring counts the drop */
	}
	pthread_cond_broadcast(&self->hub->sent);
	pthread_mutex_unlock(&lock);
	return (int)pkt_len;
}

/* Sleep until a frame is queued for r, pfring_shutdown/close or
 * pfring_breakloop asks the ring to stop, or ms pass. The checks are made
 * under the lock that send and shutdown broadcast under: no wake-up is lost. */
static void hub_wait(pfring *ring, struct hub_ring *r, u_int ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	if (pf_ring_cons_queued(&r->cons) == 0 && !pf_break_requested(ring) &&
	    !pf_shutting_down(ring))
		pthread_cond_timedwait(&r->hub->sent, &lock, &until);
	pthread_mutex_unlock(&lock);
}

static int hub_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		    struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct hub_ring *r = hub_ring_of(ring);
	int rc;

	for (;;) {
		rc = pf_ring_read(ring, &r->cons, 0, buffer, buffer_len, hdr, NULL);
		if (rc != 0)
			return rc > 0 ? 1 : pfring_error_from_core(rc);
		if (!wait || pf_break_requested(ring) || pf_shutting_down(ring))
			return 0;
		hub_wait(ring, r, pf_poll_step_ms(ring));
	}
}

/* 1 once a frame is queued, 0 after wait_duration msec (or when asked to stop). */
static int hub_poll(pfring *ring, u_int wait_duration)
{
	struct hub_ring *r = hub_ring_of(ring);
	u64 end = pf_monotonic_ms() + wait_duration, now;
	u_int step;

	for (;;) {
		if (pf_ring_cons_queued(&r->cons) > 0)
			return 1;
		now = pf_monotonic_ms();
		if (now >= end || pf_break_requested(ring) || pf_shutting_down(ring))
			return 0;
		step = pf_poll_step_ms(ring);
		hub_wait(ring, r, end - now < step ? (u_int)(end - now) : step);
	}
}

static int hub_stats(pfring *ring, pfring_stat *stats)
{
	struct pf_ring_stats s;

	pthread_mutex_lock(&lock);
	pf_ring_prod_stats(&hub_ring_of(ring)->prod, &s);
	pthread_mutex_unlock(&lock);
	stats->recv = s.inserted;
	stats->drop = s.dropped_full + s.refused;
	return 0;
}

const struct pfring_backend pfring_hub_backend = {
	.name = "hub",
	.prefix = "hub:",
	.open = hub_open,
	.close = hub_close,
	.shutdown = hub_shutdown,
	.recv = hub_recv,
	.poll = hub_poll,
	.send = hub_send,
	.stats = hub_stats,
};
