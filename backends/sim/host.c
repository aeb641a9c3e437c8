/*
 * backends/sim/host.c - the simulator's host (design and decisions in backends/sim/host.h):
 * the per-NIC list of rings and clusters, the pump that moves frames from the
 * NIC through core's delivery step (core/deliver.h: each ring's pipeline, then
 * its ring) under the host lock, and the eventfds.
 *
 * Locks: hosts_lock (the table of hosts) before a host's lock; a host's lock
 * serializes its NIC, its rings' producers, clusters and pending frame.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "backends/sim/host.h"
#include "core/cluster.h"
#include "core/deliver.h"
#include "lib/user_home.h"
#include "lib/api_internal.h"
#include "lib/devname.h"

#define SIM_PUMP_BATCH 256       /* frames a pump moves before it returns, at least */
#define SIM_PUMP_MAX   65536     /* and at most, so a lock is never held for long */
#define SIM_TX_FLUSH   256       /* reflected frames a pump queues before it sends them */

/* A reflected or bounced frame, sent once the host lock is dropped. */
struct sim_tx {
	struct sim_tx *next;
	char dev[SIM_NAME_LEN];  /* "" = the host's own NIC (bounce) */
	u32 len;
	u8 data[];
};

struct sim_owed {
	struct sim_ring *r;
	u16 rule_id, plugin_id;
};

struct sim_host {
	struct sim_host *next;
	struct sim_nic *nic;
	pthread_mutex_t lock;
	struct sim_ring *rings[SIM_HOST_MAX_RINGS];
	u32 nrings;
	struct pf_cluster *clusters[SIM_HOST_MAX_RINGS];
	u32 nclusters;
	/* lossless: the frame still owed to full rings */
	struct sim_owed owed[SIM_HOST_MAX_RINGS];
	u32 nowed;
	struct sim_frame pf;
	struct pf_pkt ptmpl;
	u8 pdata[SIM_MAX_FRAME];
	/* rate=: real time of the first pump <-> virtual time of its frame */
	u8 paced, clock_started, error_reported;
	u64 real0, virt0;
	/* reflection: frames to send once the lock is dropped */
	struct sim_tx *tx_head, **tx_tail;
	u32 ntx;
};

/* Error-checking locks: a signal handler that interrupted a thread holding one
 * (5.4.6's programs call pfring_close from SIGINT handlers) gets EDEADLK from
 * sim_host_close instead of hanging. */
static pthread_mutex_t hosts_lock = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
static struct sim_host *hosts;

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* ------------------------------------------------------------ eventfd */

static void efd_signal(struct sim_ring *r)
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
			efd_signal(r);
		else
			efd_clear(r);
	}
}

static void efd_signal_all(struct sim_host *h)
{
	u32 i;

	for (i = 0; i < h->nrings; i++)
		efd_signal(h->rings[i]);
}

/* ------------------------------------------------------------ delivery */

static u32 watermark_of(const struct sim_ring *r)
{
	u32 w = r->ring->poll_watermark;

	return w ? w : 1;
}

static int tx_queue(struct sim_host *h, const char *dev, const struct pf_pkt *p);

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

	return tx_queue(((struct sim_delivery *)home)->h, r->reflector, p);
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
	efd_signal(member);
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

static void dispatch(struct sim_host *h, const struct sim_frame *f, u8 rx, int lossless)
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
			efd_signal(o->r);
		owed_remove(h, i);
	}
}

/* Forget what r is owed (closing, disabled outside a per-flow cluster, leaving
 * its cluster while disabled): counted as dropped. */
static void owed_forget(struct sim_host *h, struct sim_ring *r)
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
		dispatch(h, &f, 1, !h->paced);
		done++;
	}
}

static void tx_flush(struct sim_host *h);

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
			tx_flush(h);
	} while (reflected && st == SIM_PUMP_MORE && pf_ring_cons_queued(&r->cons) == 0);
	return st;
}

void sim_host_reader_progress(struct sim_ring *r)
{
	struct sim_host *h = r->host;

	if (__atomic_load_n(&r->owed, __ATOMIC_ACQUIRE) == 0)
		return;
	pthread_mutex_lock(&h->lock);
	efd_signal_all(h);
	pthread_mutex_unlock(&h->lock);
}

/* ------------------------------------------------------------ open / close */

int sim_name_from(const struct pf_devname *dn, struct sim_name *out, char *err,
		  size_t errlen)
{
	const struct pf_devname_member *m = &dn->member[0], *last;

	if (dn->num_members != 1) {
		last = &dn->member[dn->num_members - 1];
		snprintf(err, errlen, "sim: \"%.*s\": one NIC per ring (multi: reads a list)",
			 (int)(last->text + last->text_len - m->text), m->text);
		return -1;
	}
	out->queue = pf_devname_first_queue(m);
	if (!m->any_queue && (m->num_queues != 1 || out->queue >= SIM_MAX_QUEUES)) {
		snprintf(err, errlen, "sim: \"%.*s\": one RX queue per ring (NAME@Q)",
			 (int)m->text_len, m->text);
		return -1;
	}
	if (strlen(m->name) >= sizeof(out->nic)) {
		snprintf(err, errlen, "sim: device name must be 1..%d characters",
			 SIM_NAME_LEN - 1);
		return -1;
	}
	strcpy(out->nic, m->name);
	out->options = dn->options;
	return 0;
}

static int ring_memory(struct sim_ring *r, u32 flags, char *err, size_t errlen)
{
	u32 layout = r->long_header ? PF_RING_LAYOUT_LONG_HDR : 0;
	u64 slots = pf_ring_slot_bytes(layout, r->caplen) * SIM_HOST_RING_SLOTS;

	(void)flags;
	r->mem_size = pf_ring_layout_size((size_t)slots);
	if (r->mem_size == 0) {
		snprintf(err, errlen, "sim: ring of %u slots of %u bytes is too large",
			 SIM_HOST_RING_SLOTS, r->caplen);
		return -1;
	}
	r->mem = mmap(NULL, r->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->mem == MAP_FAILED) {
		r->mem = NULL;
		snprintf(err, errlen, "sim: cannot map a ring of %zu bytes", r->mem_size);
		return -1;
	}
	if (pf_ring_init(&r->prod, r->mem, r->mem_size, layout) < 0 ||
	    pf_ring_attach(&r->cons, r->mem, r->mem_size, err, errlen) < 0) {
		snprintf(err, errlen, "sim: cannot lay out the ring");
		return -1;
	}
	return 0;
}

/* The host of nic, created if needed; hosts_lock held. */
static struct sim_host *host_for(struct sim_nic *nic)
{
	pthread_mutexattr_t attr;
	struct sim_host *h;

	for (h = hosts; h; h = h->next)
		if (h->nic == nic)
			return h;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->nic = nic;
	h->paced = sim_nic_opts(nic)->rate_pps || sim_nic_opts(nic)->rate_pcap;
	h->tx_tail = &h->tx_head;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&h->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	h->next = hosts;
	hosts = h;
	return h;
}

static void host_unlink(struct sim_host *h)
{
	struct sim_host **pp;

	for (pp = &hosts; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	while (h->tx_head) {
		struct sim_tx *t = h->tx_head;

		h->tx_head = t->next;
		free(t);
	}
	pthread_mutex_destroy(&h->lock);
	free(h);
}

static void ring_free(struct sim_ring *r)
{
	pf_socket_destroy(&r->sock);
	free(r->last);
	if (r->mem)
		munmap(r->mem, r->mem_size);
	if (r->efd >= 0)
		close(r->efd);
	free(r);
}

static int attach(struct sim_ring *r, struct sim_nic *nic, char *err, size_t errlen)
{
	struct sim_host *h;
	int rc = 0;

	pthread_mutex_lock(&hosts_lock);
	h = host_for(nic);
	if (h == NULL) {
		snprintf(err, errlen, "sim: out of memory");
		rc = -1;
	} else {
		pthread_mutex_lock(&h->lock);
		if (h->nrings >= SIM_HOST_MAX_RINGS) {
			snprintf(err, errlen, "sim:%s already has %d rings", sim_nic_name(nic),
				 SIM_HOST_MAX_RINGS);
			rc = -1;
		} else {
			r->host = h;
			h->rings[h->nrings++] = r;
			efd_signal(r);
		}
		pthread_mutex_unlock(&h->lock);
		if (rc && h->nrings == 0)
			host_unlink(h);
	}
	pthread_mutex_unlock(&hosts_lock);
	return rc;
}

static void sim_ring_home_init(struct sim_ring *r);

static struct sim_ring *ring_new(pfring *ring, char *err, size_t errlen)
{
	struct sim_ring *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "sim: out of memory");
		return NULL;
	}
	r->efd = -1;
	r->ring = ring;
	r->caplen = ring->caplen;
	r->long_header = ring->long_header;
	r->hw_ts = !!(ring->flags & PF_RING_HW_TIMESTAMP);
	sim_ring_home_init(r);
	if (pf_socket_init(&r->sock, &r->home) < 0) {
		free(r);
		snprintf(err, errlen, "sim: out of memory");
		return NULL;
	}
	r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->efd < 0) {
		snprintf(err, errlen, "sim: eventfd: %s", strerror(errno));
		ring_free(r);
		return NULL;
	}
	if (ring_memory(r, ring->flags, err, errlen)) {
		ring_free(r);
		return NULL;
	}
	return r;
}

int sim_host_open(pfring *ring, const struct sim_name *n, struct sim_ring **out)
{
	const char *name = n->nic;
	int queue = n->queue;
	struct sim_opts o;
	struct sim_nic *nic;
	struct sim_ring *r;
	char err[512];

	err[0] = '\0';
	if (sim_opts_parse(n->options ? n->options : "", &o, err, sizeof(err))) {
		pf_api_message("pfring_open(\"%s\"): %s", ring->device_name, err);
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	errno = 0;
	nic = sim_nic_get(name, &o, ring->flags, err, sizeof(err));
	if (nic == NULL) {
		int e = errno ? errno : ENODEV;

		pf_api_message("pfring_open(\"%s\"): %s", ring->device_name, err);
		errno = e;
		return e == ENODEV || e == ENOENT ? PF_RING_ERROR_UNKNOWN_ADAPTER
						  : PF_RING_ERROR_INVALID_ARGUMENT;
	}
	if (queue >= (int)sim_nic_num_queues(nic)) {
		pf_api_message("pfring_open(\"%s\"): sim:%s has %u RX queues, no queue %d",
			       ring->device_name, name, sim_nic_num_queues(nic), queue);
		sim_nic_put(nic);
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	r = ring_new(ring, err, sizeof(err));
	if (r == NULL || (r->queue = queue, attach(r, nic, err, sizeof(err)))) {
		pf_api_message("pfring_open(\"%s\"): %s", ring->device_name, err);
		if (r)
			ring_free(r);
		sim_nic_put(nic);
		errno = ENOMEM;
		return PF_RING_ERROR_GENERIC;
	}
	*out = r;
	return 0;
}

static void cluster_leave_locked(struct sim_host *h, struct sim_ring *r)
{
	struct pf_cluster *c = r->cluster;
	u32 i;

	if (c == NULL)
		return;
	pf_cluster_leave(c, r);
	r->cluster = NULL;
	if (c->n)
		return;
	for (i = 0; i < h->nclusters; i++) {
		if (h->clusters[i] == c) {
			memmove(&h->clusters[i], &h->clusters[i + 1],
				(h->nclusters - i - 1) * sizeof(h->clusters[0]));
			h->nclusters--;
			break;
		}
	}
	free(c);
}

int sim_host_close(struct sim_ring *r)
{
	struct sim_host *h = r->host;
	struct sim_nic *nic = h->nic;
	u32 i;
	int empty;

	if (pthread_mutex_lock(&hosts_lock) == EDEADLK)
		return -1;      /* a handler interrupted this thread inside the host */
	if (pthread_mutex_lock(&h->lock) == EDEADLK) {
		pthread_mutex_unlock(&hosts_lock);
		return -1;
	}
	owed_forget(h, r);
	cluster_leave_locked(h, r);
	for (i = 0; i < h->nrings; i++) {
		if (h->rings[i] == r) {
			/* keep the others in open order: delivery order is deterministic */
			memmove(&h->rings[i], &h->rings[i + 1],
				(h->nrings - i - 1) * sizeof(h->rings[0]));
			h->nrings--;
			break;
		}
	}
	empty = h->nrings == 0;
	pthread_mutex_unlock(&h->lock);
	if (empty)
		host_unlink(h);
	pthread_mutex_unlock(&hosts_lock);
	ring_free(r);
	sim_nic_put(nic);
	return 0;
}

/* A member of a per-flow cluster keeps its flows whether enabled or not. */
static int keeps_flows(const struct sim_ring *r)
{
	return r->cluster && r->cluster->type != cluster_round_robin;
}

void sim_host_set_enabled(struct sim_ring *r, int enabled)
{
	struct sim_host *h = r->host;

	pthread_mutex_lock(&h->lock);
	r->enabled = (u8)!!enabled;
	if (enabled && h->nowed)
		efd_signal_all(h);      /* the wire may have waited for r */
	else if (!enabled && !keeps_flows(r))
		owed_forget(h, r);
	pthread_mutex_unlock(&h->lock);
}

void sim_host_set_send_only(struct sim_ring *r, int send_only)
{
	pthread_mutex_lock(&r->host->lock);
	r->send_only = (u8)!!send_only;
	if (send_only)
		owed_forget(r->host, r);
	pthread_mutex_unlock(&r->host->lock);
}

/* ------------------------------------------------------------ clusters */

int sim_host_set_cluster(struct sim_ring *r, uint32_t id, cluster_type type)
{
	struct sim_host *h = r->host;
	struct pf_cluster *c = NULL;
	int rc, created = 0;
	u32 i;

	pthread_mutex_lock(&h->lock);
	if (r->cluster && r->cluster->id == id) {
		rc = r->cluster->type == type ? 0 : -PF_EINVAL;
		goto out;
	}
	for (i = 0; i < h->nclusters; i++)
		if (h->clusters[i]->id == id)
			c = h->clusters[i];
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL) {
			rc = -PF_ENOMEM;
			goto out;
		}
		pf_cluster_init(c, id, type);
		created = 1;
	}
	rc = pf_cluster_join(c, r, type);
	if (rc < 0) {
		if (created)
			free(c);
		goto out;
	}
	if (created)
		h->clusters[h->nclusters++] = c;
	cluster_leave_locked(h, r);
	r->cluster = c;
out:
	pthread_mutex_unlock(&h->lock);
	return rc;
}

int sim_host_remove_from_cluster(struct sim_ring *r)
{
	struct sim_host *h = r->host;
	int rc = 0;

	pthread_mutex_lock(&h->lock);
	if (r->cluster == NULL)
		rc = -PF_ENOENT;
	else
		cluster_leave_locked(h, r);
	if (rc == 0 && !r->enabled)
		owed_forget(h, r);      /* nothing waits for a ring in no cluster */
	pthread_mutex_unlock(&h->lock);
	return rc;
}

/* ------------------------------------------------------------ the rest */

void sim_host_prod_stats(struct sim_ring *r, struct pf_ring_stats *s)
{
	pthread_mutex_lock(&r->host->lock);
	pf_ring_prod_stats(&r->prod, s);
	pthread_mutex_unlock(&r->host->lock);
}

static u64 nic_clock_ns(struct sim_nic *nic)
{
	struct timespec ts;

	sim_nic_get_clock(nic, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* Wake the readers of the NIC that receives what h's NIC sends. */
static void wake_peer(struct sim_host *h)
{
	const char *peer = sim_nic_opts(h->nic)->peer;
	struct sim_nic *pn = peer[0] ? sim_nic_find(peer) : NULL;
	struct sim_host *ph;

	for (ph = hosts; pn && ph; ph = ph->next) {
		if (ph->nic == pn) {
			pthread_mutex_lock(&ph->lock);
			efd_signal_all(ph);
			pthread_mutex_unlock(&ph->lock);
		}
	}
}

/* Send on h's NIC, then (capture) TX capture on its rings; hosts_lock held. */
static int host_send(struct sim_host *h, const u8 *data, u32 len, int capture, u64 *ts_ns)
{
	struct sim_frame f;
	int rc;

	pthread_mutex_lock(&h->lock);
	memset(&f, 0, sizeof(f));
	f.ts_ns = f.hw_ts_ns = nic_clock_ns(h->nic);
	rc = sim_nic_send(h->nic, data, len, f.ts_ns);
	if (rc >= 0 && capture) {
		f.data = data;
		f.caplen = f.len = len;
		dispatch(h, &f, 0, 0);      /* TX capture: never waits */
	}
	pthread_mutex_unlock(&h->lock);
	if (rc >= 0)
		wake_peer(h);
	if (ts_ns)
		*ts_ns = f.ts_ns;
	return rc;
}

static void tx_flush_locked(struct sim_host *h);

int sim_host_send_ts(struct sim_ring *r, const uint8_t *data, uint32_t len, int if_index,
		     uint64_t *ts_ns)
{
	struct sim_host *h = r->host;
	int rc;

	pthread_mutex_lock(&hosts_lock);
	if (if_index >= 0 && if_index != sim_nic_ifindex(h->nic)) {
		for (h = hosts; h; h = h->next)
			if (sim_nic_ifindex(h->nic) == if_index)
				break;
		if (h == NULL) {
			pthread_mutex_unlock(&hosts_lock);
			return PF_RING_ERROR_INVALID_ARGUMENT;
		}
	}
	if (!sim_nic_frame_fits(h->nic, data, len)) {
		pthread_mutex_unlock(&hosts_lock);
		pf_api_message("pfring_send: %u bytes do not fit sim:%s's MTU %u (+ 14 bytes of "
			       "Ethernet header, + 4 with a VLAN tag; mtu= sets it)", len,
			       sim_nic_name(h->nic), sim_nic_mtu(h->nic));
		errno = EMSGSIZE;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	rc = host_send(h, data, len, 1, ts_ns);
	tx_flush_locked(h);     /* what its TX capture reflected */
	pthread_mutex_unlock(&hosts_lock);
	return rc;
}

int sim_host_send(struct sim_ring *r, const uint8_t *data, uint32_t len, int if_index)
{
	return sim_host_send_ts(r, data, len, if_index, NULL);
}

int sim_host_add_hw_rule(struct sim_ring *r, const hw_filtering_rule *rule)
{
	int rc;

	pthread_mutex_lock(&r->host->lock);
	rc = sim_nic_add_hw_rule(r->host->nic, rule);
	pthread_mutex_unlock(&r->host->lock);
	return rc;
}

int sim_host_remove_hw_rule(struct sim_ring *r, uint16_t rule_id)
{
	int rc;

	pthread_mutex_lock(&r->host->lock);
	rc = sim_nic_remove_hw_rule(r->host->nic, rule_id);
	pthread_mutex_unlock(&r->host->lock);
	return rc;
}

void sim_host_clock(struct sim_ring *r, int op, struct timespec *ts, int8_t sign)
{
	struct sim_nic *nic = r->host->nic;

	pthread_mutex_lock(&r->host->lock);
	if (op == SIM_CLOCK_GET)
		sim_nic_get_clock(nic, ts);
	else if (op == SIM_CLOCK_SET)
		sim_nic_set_clock(nic, ts);
	else
		sim_nic_adjust_clock(nic, ts, sign);
	pthread_mutex_unlock(&r->host->lock);
}

struct sim_nic *sim_host_nic(struct sim_ring *r)
{
	return r->host->nic;
}

/* ------------------------------------------------------------ reflection */

/* Queue a copy of p for dev ("NAME"; NULL = h's own NIC); h's lock held.
 * 0, or -1 when dev is no sim NIC (or no memory). */
static int tx_queue(struct sim_host *h, const char *dev, const struct pf_pkt *p)
{
	struct sim_tx *t;

	if (dev && (strlen(dev) >= SIM_NAME_LEN || sim_nic_find(dev) == NULL))
		return -1;
	t = malloc(sizeof(*t) + p->caplen);
	if (t == NULL)
		return -1;
	t->next = NULL;
	snprintf(t->dev, sizeof(t->dev), "%s", dev ? dev : "");
	t->len = p->caplen;
	memcpy(t->data, p->data, p->caplen);
	*h->tx_tail = t;
	h->tx_tail = &t->next;
	h->ntx++;
	return 0;
}

/* Send what h queued; hosts_lock held. Reflected frames are not TX-captured
 * (a bounce rule would otherwise bounce its own bounces forever). */
static void tx_flush_locked(struct sim_host *h)
{
	struct sim_tx *t, *next;
	struct sim_host *th;

	pthread_mutex_lock(&h->lock);
	t = h->tx_head;
	h->tx_head = NULL;
	h->tx_tail = &h->tx_head;
	h->ntx = 0;
	pthread_mutex_unlock(&h->lock);
	for (; t; t = next) {
		next = t->next;
		th = h;
		if (t->dev[0])
			for (th = hosts; th; th = th->next)
				if (strcmp(sim_nic_name(th->nic), t->dev) == 0)
					break;
		if (th)
			(void)host_send(th, t->data, t->len, 0, NULL);
		free(t);
	}
}

static void tx_flush(struct sim_host *h)
{
	pthread_mutex_lock(&hosts_lock);
	tx_flush_locked(h);
	pthread_mutex_unlock(&hosts_lock);
}

static const char *sim_dev_name(const char *dev)
{
	return strncmp(dev, "sim:", 4) == 0 ? dev + 4 : dev;
}

/* The home's reflect/bounce: called by pf_socket_filter under the host lock. */
static int home_reflect(void *ctx, const char *device, const struct pf_pkt *p)
{
	struct sim_ring *r = ctx;

	return tx_queue(r->host, sim_dev_name(device), p);
}

static int home_bounce(void *ctx, const struct pf_pkt *p)
{
	struct sim_ring *r = ctx;

	return tx_queue(r->host, NULL, p);
}

static void sim_ring_home_init(struct sim_ring *r)
{
	r->home = *pf_user_home();
	r->home.ctx = r;
	r->home.reflect = home_reflect;
	r->home.bounce = home_bounce;
}

int sim_host_set_reflector(struct sim_ring *r, const char *device)
{
	const char *name = device ? sim_dev_name(device) : "";

	if (name[0] && (strlen(name) >= SIM_NAME_LEN || sim_nic_find(name) == NULL)) {
		pf_api_message("pfring_set_reflector_device: no sim NIC \"%s\"", name);
		errno = ENODEV;
		return PF_RING_ERROR_UNKNOWN_ADAPTER;
	}
	pthread_mutex_lock(&r->host->lock);
	snprintf(r->reflector, sizeof(r->reflector), "%s", name);
	pthread_mutex_unlock(&r->host->lock);
	return 0;
}

int sim_host_set_queue(struct sim_ring *r, uint32_t q)
{
	struct sim_host *h = r->host;

	if (q != RING_ANY_CHANNEL && q >= sim_nic_num_queues(h->nic)) {
		pf_api_message("pfring_set_channel_id: sim:%s has %u RX queues, no queue %u",
			       sim_nic_name(h->nic), sim_nic_num_queues(h->nic), q);
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	pthread_mutex_lock(&h->lock);
	r->queue = q == RING_ANY_CHANNEL ? -1 : (int)q;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

void sim_host_rss_rehash(struct sim_ring *r)
{
	pthread_mutex_lock(&r->host->lock);
	sim_nic_set_symmetric_rss(r->host->nic);
	pthread_mutex_unlock(&r->host->lock);
}

int sim_host_keep_last(struct sim_ring *r, const uint8_t *data, uint32_t len)
{
	if (len == 0) {            /* a caplen-0 packet: nothing to keep (r->last may be NULL) */
		r->last_len = 0;
		return 0;
	}
	if (r->last_cap < len) {
		uint8_t *p = realloc(r->last, len);

		if (p == NULL) {
			r->last_len = 0;   /* never send a stale packet as the last one */
			return PF_RING_ERROR_GENERIC;
		}
		r->last = p;
		r->last_cap = len;
	}
	memcpy(r->last, data, len);
	r->last_len = len;
	return 0;
}
