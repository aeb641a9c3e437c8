/*
 * backends/sim/host_pump.c - the simulator host's wire: the pump that moves
 * frames from the NIC through core's delivery step (core/deliver.h: each
 * ring's pipeline, then its ring) under the host lock, the frames owed to
 * full rings of a lossless wire, pacing (rate=), and the rings' eventfds.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "backends/sim/host_priv.h"
#include "core/deliver.h"
#include "lib/api_internal.h"

#define SIM_PUMP_BATCH 256       /* frames a pump moves before it returns, at least */
#define SIM_PUMP_MAX   65536     /* and at most, so a lock is never held for long */
#define SIM_TX_FLUSH   256       /* reflected frames a pump queues before it sends them */

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* ------------------------------------------------------------ eventfd */

void sim_efd_signal(struct sim_ring *r)
{
	u64 one = 1;

	if (!r->efd_set && write(r->efd, &one, sizeof(one)) == (ssize_t)sizeof(one))
		r->efd_set = 1;
}

static void efd_clear(struct sim_ring *r)
{
	u64 v;

	if (r->efd_set) {
		if (read(r->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return;
		r->efd_set = 0;
	}
}

/* After a pump: readable when packets are queued or the wire can go on. */
static void efd_update_all(struct sim_host *h, enum sim_pump_state st)
{
	u32 i;

	for (i = 0; i < h->nrings; i++) {
		struct sim_ring *r = h->rings[i];

		if (pf_ring_prod_queued(&r->prod) > 0 || st == SIM_PUMP_MORE)
			sim_efd_signal(r);
		else
			efd_clear(r);
	}
}

void sim_efd_signal_all(struct sim_host *h)
{
	u32 i;

	for (i = 0; i < h->nrings; i++)
		sim_efd_signal(h->rings[i]);
}

/* ------------------------------------------------------------ delivery */

static u32 watermark_of(const struct sim_ring *r)
{
	u32 w = r->ring->poll_watermark;

	return w ? w : 1;
}

/* One frame on its way to h's rings (the home pointer of core/deliver.h). */
struct sim_delivery {
	struct sim_host *h;
	const struct sim_frame *f;
	int lossless;            /* a full ring holds the wire (owe) rather than drop */
};

static void *next_free_ring(void *home, struct pf_deliver_iter *it)
{
	struct sim_host *h = ((struct sim_delivery *)home)->h;

	while (it->i < h->nrings) {
		struct sim_ring *r = h->rings[it->i++];

		if (r->cluster == NULL)
			return r;
	}
	return NULL;
}

static struct pf_cluster *next_cluster(void *home, struct pf_deliver_iter *it)
{
	struct sim_host *h = ((struct sim_delivery *)home)->h;

	return it->i < h->nclusters ? h->clusters[it->i++] : NULL;
}

/* What r can do with p (core/cluster.h): the host serves one NIC, so only the
 * checks every home makes. */
static enum pf_member_state member_state(const void *member, const struct pf_pkt *p)
{
	const struct sim_ring *r = member;

	return pf_deliver_member_state(p, r->queue, r->send_only, r->enabled);
}

/* What core needs of r for frame f: with PF_RING_HW_TIMESTAMP, the NIC's clock. */
static void ring_target(void *home, void *member, const struct pf_pkt *p,
			struct pf_deliver_target *t)
{
	const struct sim_frame *f = ((struct sim_delivery *)home)->f;
	struct sim_ring *r = member;

	(void)p;
	t->sock = &r->sock;
	t->prod = &r->prod;
	t->caplen = r->caplen;
	t->watermark = watermark_of(r);
	t->ts_ns = r->hw_ts ? f->hw_ts_ns : f->ts_ns;
	t->pkt_hash = f->rss_hash;
	t->enabled = r->enabled;
	t->reflect = r->reflector[0] != '\0';
}

static int ring_reflect(void *home, void *member, const struct pf_pkt *p)
{
	struct sim_ring *r = member;

	return sim_tx_queue(((struct sim_delivery *)home)->h, r->reflector, p);
}

static void owe(struct sim_host *h, struct sim_ring *r, const struct pf_pkt *p)
{
	struct sim_owed *o = &h->owed[h->nowed++];

	o->r = r;
	o->rule_id = p->info.last_matched_rule_id;
	o->plugin_id = p->info.last_matched_plugin_id;
	__atomic_add_fetch(&r->owed, 1, __ATOMIC_RELEASE);
}

/* Lossless: the wire keeps the frame for r until its reader makes room. */
static int ring_full(void *home, void *member, const struct pf_pkt *p)
{
	struct sim_delivery *d = home;

	if (!d->lossless)
		return 0;
	owe(d->h, member, p);
	return 1;
}

static void ring_wake(void *home, void *member)
{
	(void)home;
	sim_efd_signal(member);
}

/* No per-ring or per-cluster lock: the host lock is held around every delivery. */
static const struct pf_deliver_ops sim_deliver_ops = {
	.next_free = next_free_ring,
	.next_cluster = next_cluster,
	.state = member_state,
	.target = ring_target,
	.reflect = ring_reflect,
	.full = ring_full,
	.wake = ring_wake,
};

void sim_dispatch(struct sim_host *h, const struct sim_frame *f, u8 rx, int lossless)
{
	struct sim_delivery d = { h, f, lossless };
	struct pf_pkt t;

	memset(&t, 0, sizeof(t));
	t.data = f->data;
	t.caplen = f->caplen;
	t.len = f->len;
	t.ts_ns = f->ts_ns;
	t.if_index = sim_nic_ifindex(h->nic);
	t.queue = f->queue;
	t.rx = rx;
	if (f->info) {  /* the NIC's own parse of this frame */
		t.info = *f->info;
		t.parsed_level = f->parsed_level;
	}
	pf_deliver(&sim_deliver_ops, &d, &t);
	if (h->nowed) {
		/* keep the frame: the NIC's copy goes with its next frame */
		h->pf = *f;
		memcpy(h->pdata, f->data, f->caplen);
		h->pf.data = h->pdata;
		h->ptmpl = t;
		h->ptmpl.data = h->pdata;
	}
}

static void owed_remove(struct sim_host *h, u32 i)
{
	__atomic_sub_fetch(&h->owed[i].r->owed, 1, __ATOMIC_RELEASE);
	h->owed[i] = h->owed[--h->nowed];
}

static void retry_owed(struct sim_host *h)
{
	struct sim_delivery d = { h, &h->pf, 1 };
	struct pf_deliver_target t;
	u32 i = 0;
	int rc;

	while (i < h->nowed) {
		struct sim_owed *o = &h->owed[i];
		struct pf_pkt p = h->ptmpl;

		p.info.last_matched_rule_id = o->rule_id;
		p.info.last_matched_plugin_id = o->plugin_id;
		ring_target(&d, o->r, &p, &t);
		rc = pf_deliver_insert(&t, &p);
		if (rc < 0) {
			i++;
			continue;
		}
		if (rc == 1)
			sim_efd_signal(o->r);
		owed_remove(h, i);
	}
}

/* Forget what r is owed (closing, disabled outside a per-flow cluster, leaving
 * its cluster while disabled): counted as dropped. */
void sim_owed_forget(struct sim_host *h, struct sim_ring *r)
{
	u32 i = 0;

	while (i < h->nowed) {
		if (h->owed[i].r == r) {
			pf_ring_drop(&r->prod, 1);
			owed_remove(h, i);
		} else {
			i++;
		}
	}
}

/* rate=: 1 and *wait_ns when the next frame is not due yet. */
static int not_due(struct sim_host *h, u64 due, u64 *wait_ns)
{
	u64 now = mono_ns(), elapsed, at;

	if (!h->clock_started) {
		h->clock_started = 1;
		h->real0 = now;
		h->virt0 = due;
	}
	elapsed = now - h->real0;
	at = due > h->virt0 ? due - h->virt0 : 0;
	if (at <= elapsed)
		return 0;
	*wait_ns = at - elapsed;
	return 1;
}

static enum sim_pump_state pump_locked(struct sim_host *h, struct sim_ring *r, u32 max,
				       u64 *wait_ns)
{
	struct sim_frame f;
	char err[256];
	u32 done = 0;
	int rc;

	for (;;) {
		if (h->ntx >= SIM_TX_FLUSH)
			return SIM_PUMP_MORE;   /* send the reflected frames first */
		if (h->nowed) {
			retry_owed(h);
			if (h->nowed)
				return SIM_PUMP_BLOCKED;
		}
		/* lossless: a batch once r has packets; paced: every frame due by now
		 * is on the wire already */
		if ((!h->paced && done >= SIM_PUMP_BATCH && pf_ring_prod_queued(&r->prod) > 0) ||
		    done >= max)
			return SIM_PUMP_MORE;
		if (h->paced) {
			u64 due = sim_nic_next_due_ns(h->nic);

			if (due != UINT64_MAX && not_due(h, due, wait_ns))
				return SIM_PUMP_PACED;
		}
		rc = sim_nic_next(h->nic, &f, err, sizeof(err));
		if (rc == 0)
			return SIM_PUMP_IDLE;
		if (rc < 0) {
			if (!h->error_reported)
				pf_api_message("sim:%s: %s", sim_nic_name(h->nic), err);
			h->error_reported = 1;
			return SIM_PUMP_ERROR;
		}
		sim_dispatch(h, &f, 1, !h->paced);
		done++;
	}
}

enum sim_pump_state sim_host_pump(struct sim_ring *r, uint64_t *wait_ns)
{
	return sim_host_pump_max(r, SIM_PUMP_MAX, wait_ns);
}

enum sim_pump_state sim_host_pump_max(struct sim_ring *r, uint32_t max, uint64_t *wait_ns)
{
	struct sim_host *h = r->host;
	enum sim_pump_state st;
	int reflected;

	*wait_ns = 0;
	do {
		/* a pump that stopped to send reflected frames goes on after them */
		pthread_mutex_lock(&h->lock);
		st = pump_locked(h, r, max, wait_ns);
		efd_update_all(h, st);
		reflected = h->ntx > 0;
		pthread_mutex_unlock(&h->lock);
		if (reflected)
			sim_tx_flush(h);
	} while (reflected && st == SIM_PUMP_MORE && pf_ring_cons_queued(&r->cons) == 0);
	return st;
}

void sim_host_reader_progress(struct sim_ring *r)
{
	struct sim_host *h = r->host;

	if (__atomic_load_n(&r->owed, __ATOMIC_ACQUIRE) == 0)
		return;
	pthread_mutex_lock(&h->lock);
	sim_efd_signal_all(h);
	pthread_mutex_unlock(&h->lock);
}
