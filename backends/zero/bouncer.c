/*
 * backends/zero/bouncer.c - the DNA Bouncer (spec 9.2): what one ring receives
 * goes out of the other, packet by packet as the user's decision function says,
 * in one direction or both (two_way_mode, both served by the calling thread).
 *
 * Ownership: the bouncer owns the two rings from create on (destroy closes
 * them, as the guide says); the user must not use them meanwhile. The decision
 * function's form lives in the caller's struct pf_zero_decision until the loop
 * returns (lib/backend.h).
 *
 * The packet the decision function sees is writable, as its form promises:
 *   - on a backend whose in-place buffer is the caller's to write
 *     (rx_in_place_writable: dna:), the NIC's own RX buffer, zero-copy; the
 *     only copy is the send's, into a TX buffer (drivers/device.h: tx_batch
 *     copies; docs/libzero.md);
 *   - elsewhere (sim:, whose in-place buffer is the ring's slot, shared with
 *     its producer) the packet is received into a private buffer: one copy
 *     more.
 * The var-len form may set *pkt_len from 1 up to the buffer's room
 * (bouncer_room()); another length is counted in tx_failed, never sent.
 *
 * Waiting: the loop polls its ring(s) without blocking, so that two-way mode
 * serves both from one thread and a breakloop is seen between two polls.
 * wait_for_packet 0 spins; 1 sleeps when idle, 16 usec doubling up to 1 msec
 * (the dna: backend's back-off), so a breakloop ends it within about 1 msec
 * plus one burst. Sends are flushed every BOUNCER_BURST packets and whenever
 * the loop finds nothing to do.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/zero/zero.h"
#include "drivers/nic_util.h"      /* PF_NIC_BUF_SIZE: the room of a lent DNA buffer */
#include "lib/api_internal.h"

#define BOUNCER_BURST          32u       /* packets per direction per round; flush period */
#define BOUNCER_TX_RETRY_NS    10000000u /* a full TX ring is retried this long */

/* One direction: packets received on from go out of to. The counters are
 * written by the loop's thread only and read by any (pfring_dna_bouncer_stats). */
struct bouncer_path {
	pfring *from, *to;
	u_char *copy;          /* private receive buffer; NULL: from's own buffer is writable */
	u_int32_t room;        /* bytes the decision function may use in a packet's buffer */
	u_int32_t unflushed;   /* sent on to since its last flush */
	u_int64_t recv, forwarded, dropped, tx_failed;
};

struct pfring_dna_bouncer {
	dna_bouncer_mode mode;
	atomic_int break_loop;   /* set by breakloop (any thread, a signal handler) */
	atomic_int in_loop;      /* a loop is running: set_mode, a second loop refused */
	struct bouncer_path path[2];   /* 0 ingress->egress, 1 egress->ingress */
};

static void count(u_int64_t *counter)
{
	__atomic_store_n(counter, *counter + 1, __ATOMIC_RELAXED);
}

static int writable_in_place(pfring *ring)
{
	/* a reentrant ring refuses in-place receives (lib/api_recv.c) */
	return ring->backend->rx_in_place_writable && !ring->reentrant;
}

/* The room of a packet's buffer: a lent DNA buffer, or the private one (at
 * least the ring's caplen, so the received packet always fits). */
static u_int32_t bouncer_room(pfring *from)
{
	if (writable_in_place(from))
		return PF_NIC_BUF_SIZE;
	return from->caplen > PF_NIC_BUF_SIZE ? from->caplen : PF_NIC_BUF_SIZE;
}

static int path_init(struct bouncer_path *p, pfring *from, pfring *to)
{
	memset(p, 0, sizeof(*p));
	p->from = from;
	p->to = to;
	p->room = bouncer_room(from);
	if (!writable_in_place(from)) {
		p->copy = malloc(p->room);
		if (p->copy == NULL)
			return -1;
	}
	return 0;
}

pfring_dna_bouncer *pf_zc_bouncer_create(pfring *ingress, pfring *egress)
{
	pfring_dna_bouncer *h;

	if (ingress == egress) {
		pf_api_message("pfring_dna_bouncer_create(\"%s\"): ingress and egress are the same "
			       "ring: open one ring per interface", ingress->device_name);
		pf_api_invalid();
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL || path_init(&h->path[0], ingress, egress) ||
	    path_init(&h->path[1], egress, ingress)) {
		if (h) {
			free(h->path[0].copy);
			free(h);
		}
		pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
		return NULL;
	}
	h->mode = one_way_mode;
	atomic_init(&h->break_loop, 0);
	atomic_init(&h->in_loop, 0);
	return h;
}

int pf_zc_bouncer_set_mode(pfring_dna_bouncer *h, dna_bouncer_mode mode)
{
	if (mode != one_way_mode && mode != two_way_mode)
		return pf_api_invalid();
	if (atomic_load(&h->in_loop))
		return pf_api_fail(PF_RING_ERROR_INVALID_STATUS, EBUSY);
	h->mode = mode;
	return 0;
}

/* ------------------------------------------------------------ the loop */

static int break_requested(pfring_dna_bouncer *h)
{
	return atomic_load_explicit(&h->break_loop, memory_order_acquire);
}

static void sleep_ns(u_int64_t ns)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)ns };

	nanosleep(&ts, NULL);
}

static void flush(struct bouncer_path *p)
{
	if (p->unflushed == 0)
		return;
	if (p->to->backend->flush_tx) {
		pf_tx_lock(p->to);
		p->to->backend->flush_tx(p->to);
		pf_tx_unlock(p->to);
	}
	p->unflushed = 0;
}

/*
 * Sends one packet on p->to; a full TX ring is flushed and retried for up to
 * BOUNCER_TX_RETRY_NS (less after a breakloop). Returns 0 when sent or counted
 * in tx_failed, or the send's error when the ring cannot send at all.
 */
static int send_one(pfring_dna_bouncer *h, struct bouncer_path *p, u_char *pkt, u_int32_t len)
{
	u_int64_t waited = 0, pause = 1000;
	int rc;

	for (;;) {
		rc = pfring_send(p->to, (char *)pkt, len, 0);
		if (rc >= 0) {
			count(&p->forwarded);
			if (++p->unflushed >= BOUNCER_BURST)
				flush(p);
			return 0;
		}
		if (rc != PF_RING_ERROR_NO_TX_SLOT_AVAILABLE || waited >= BOUNCER_TX_RETRY_NS ||
		    break_requested(h))
			break;
		flush(p);
		sleep_ns(pause);
		waited += pause;
		pause = pause < 100000 ? pause * 2 : pause;
	}
	count(&p->tx_failed);
	/* a frame the ring refuses (too long) or a full ring costs that frame;
	 * a ring that cannot send at all (closed, not enabled) ends the loop */
	if (rc == PF_RING_ERROR_NO_TX_SLOT_AVAILABLE || rc == PF_RING_ERROR_INVALID_ARGUMENT)
		return 0;
	return rc;
}

/* One received packet through the decision function and, if it passes, out. */
static int bounce_one(pfring_dna_bouncer *h, struct bouncer_path *p, u_int8_t direction,
		      const struct pf_zero_decision *d, const u_char *user_bytes, u_char *pkt,
		      u_int32_t caplen)
{
	u_int32_t len = caplen;

	count(&p->recv);
	if (pf_zero_decide(d, &len, pkt, user_bytes, direction) != DNA_BOUNCER_PASS) {
		count(&p->dropped);
		return 0;
	}
	if (len == 0 || len > p->room) {
		count(&p->tx_failed);
		return 0;
	}
	return send_one(h, p, pkt, len);
}

/* Up to BOUNCER_BURST packets of one direction: how many came, or an error. */
static int bounce_burst(pfring_dna_bouncer *h, u_int8_t direction,
			const struct pf_zero_decision *d, const u_char *user_bytes)
{
	struct bouncer_path *p = &h->path[direction];
	struct pfring_pkthdr hdr;
	u_int32_t n;
	int rc;

	for (n = 0; n < BOUNCER_BURST && !break_requested(h); n++) {
		u_char *pkt = p->copy;

		rc = pfring_recv(p->from, &pkt, p->copy ? p->room : 0, &hdr, 0);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		rc = bounce_one(h, p, direction, d, user_bytes, pkt, hdr.caplen);
		if (rc < 0)
			return rc;
	}
	return (int)n;
}

/* Enables a ring; one that receives gets what arrives on its interface only,
 * so that it never receives again what the bouncer sent out of it (sim:'s TX
 * capture). A backend without directions is fine as it is. */
static int prepare_ring(pfring *ring)
{
	int rc = pfring_set_direction(ring, rx_only_direction);

	if (rc < 0 && rc != PF_RING_ERROR_NOT_SUPPORTED)
		return rc;
	return pfring_enable_ring(ring);
}

/* The rings' socket modes allow the directions of the bouncer's mode. */
static int check_modes(pfring_dna_bouncer *h)
{
	pfring *in = h->path[0].from, *out = h->path[0].to;
	int two = h->mode == two_way_mode;

	if (in->mode == send_only_mode || out->mode == recv_only_mode ||
	    (two && (in->mode == recv_only_mode || out->mode == send_only_mode))) {
		pf_api_message("pfring_dna_bouncer_loop(%s -> %s%s): the rings' socket modes do "
			       "not allow it (ingress receives%s, egress sends%s)",
			       in->device_name, out->device_name, two ? ", two-way" : "",
			       two ? " and sends" : "", two ? " and receives" : "");
		return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EINVAL);
	}
	return 0;
}

static int run(pfring_dna_bouncer *h, const struct pf_zero_decision *d,
	       const u_char *user_bytes, u_int8_t wait_for_packet)
{
	u_int8_t ndir = h->mode == two_way_mode ? 2 : 1;
	unsigned int idle = 0;
	int rc;

	while (!break_requested(h)) {
		int got = 0;

		for (u_int8_t dir = 0; dir < ndir; dir++) {
			rc = bounce_burst(h, dir, d, user_bytes);
			if (rc < 0)
				return rc;
			got += rc;
		}
		if (got > 0) {
			idle = 0;
			continue;
		}
		for (u_int8_t dir = 0; dir < ndir; dir++)
			flush(&h->path[dir]);
		if (wait_for_packet) {
			pf_poll_back_off(h->path[0].from, idle++);  /* lib/backend.h */
		} else {
			sched_yield();  /* active wait: spin, but let a thread of this core run */
		}
	}
	return 0;
}

int pf_zc_bouncer_loop(pfring_dna_bouncer *h, const struct pf_zero_decision *d,
		       const u_char *user_bytes, u_int8_t wait_for_packet)
{
	int busy = 0, rc;

	if (!atomic_compare_exchange_strong(&h->in_loop, &busy, 1))
		return pf_api_fail(PF_RING_ERROR_INVALID_STATUS, EBUSY);
	rc = check_modes(h);
	if (rc == 0)
		rc = prepare_ring(h->path[0].from);
	if (rc == 0)
		rc = prepare_ring(h->path[0].to);
	if (rc == 0)
		rc = run(h, d, user_bytes, wait_for_packet);
	flush(&h->path[0]);
	flush(&h->path[1]);
	/* the break is consumed here, not at the start: a breakloop that comes
	 * before the loop (a signal during setup) still ends it */
	atomic_store(&h->break_loop, 0);
	atomic_store(&h->in_loop, 0);
	return rc;
}

/* Async-signal-safe: one lock-free atomic store. */
void pf_zc_bouncer_breakloop(pfring_dna_bouncer *h)
{
	atomic_store_explicit(&h->break_loop, 1, memory_order_release);
}

void pf_zc_bouncer_destroy(pfring_dna_bouncer *h)
{
	pfring_close(h->path[0].from);
	pfring_close(h->path[0].to);
	free(h->path[0].copy);
	free(h->path[1].copy);
	free(h);
}

int pf_zc_bouncer_stats(pfring_dna_bouncer *h, u_int8_t direction,
			pfring_dna_bouncer_stat *stats)
{
	const struct bouncer_path *p = &h->path[direction];

	stats->recv = __atomic_load_n(&p->recv, __ATOMIC_RELAXED);
	stats->forwarded = __atomic_load_n(&p->forwarded, __ATOMIC_RELAXED);
	stats->dropped = __atomic_load_n(&p->dropped, __ATOMIC_RELAXED);
	stats->tx_failed = __atomic_load_n(&p->tx_failed, __ATOMIC_RELAXED);
	return 0;
}
