/*
 * backends/sim/host.c - the simulator's host (design and decisions in
 * backends/sim/host.h): one host per simulated NIC, the rings bound to it
 * (open, close, enable, send-only, queue), its clusters, in-NIC rules and
 * clock. The pump and the delivery of frames are in host_pump.c, sending and
 * reflection in host_tx.c; what they share is host_priv.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "backends/sim/host_priv.h"
#include "lib/user_home.h"
#include "lib/api_internal.h"
#include "lib/devname.h"

/* Error-checking locks: a signal handler that interrupted a thread holding one
 * (5.4.6's programs call pfring_close from SIGINT handlers) gets EDEADLK from
 * sim_host_close instead of hanging. */
pthread_mutex_t sim_hosts_lock = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
struct sim_host *sim_hosts;

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

/* The host of nic, created if needed; sim_hosts_lock held. */
static struct sim_host *host_for(struct sim_nic *nic)
{
	pthread_mutexattr_t attr;
	struct sim_host *h;

	for (h = sim_hosts; h; h = h->next)
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
	h->next = sim_hosts;
	sim_hosts = h;
	return h;
}

static void host_unlink(struct sim_host *h)
{
	struct sim_host **pp;

	for (pp = &sim_hosts; *pp; pp = &(*pp)->next) {
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

	pthread_mutex_lock(&sim_hosts_lock);
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
			sim_efd_signal(r);
		}
		pthread_mutex_unlock(&h->lock);
		if (rc && h->nrings == 0)
			host_unlink(h);
	}
	pthread_mutex_unlock(&sim_hosts_lock);
	return rc;
}

static struct sim_ring *ring_new(pfring *ring, char *err, size_t errlen)
{
	struct sim_ring *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "sim: out of memory");
		return NULL;
	}
	r->efd = -1;
	r->ring = ring;
	r->caplen = sim_slot_caplen(ring->caplen);
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

	if (pthread_mutex_lock(&sim_hosts_lock) == EDEADLK)
		return -1;      /* a handler interrupted this thread inside the host */
	if (pthread_mutex_lock(&h->lock) == EDEADLK) {
		pthread_mutex_unlock(&sim_hosts_lock);
		return -1;
	}
	sim_owed_forget(h, r);
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
	pthread_mutex_unlock(&sim_hosts_lock);
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
		sim_efd_signal_all(h);      /* the wire may have waited for r */
	else if (!enabled && !keeps_flows(r))
		sim_owed_forget(h, r);
	pthread_mutex_unlock(&h->lock);
}

void sim_host_set_send_only(struct sim_ring *r, int send_only)
{
	pthread_mutex_lock(&r->host->lock);
	r->send_only = (u8)!!send_only;
	if (send_only)
		sim_owed_forget(r->host, r);
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
		sim_owed_forget(h, r);      /* nothing waits for a ring in no cluster */
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
