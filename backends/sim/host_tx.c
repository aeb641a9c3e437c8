/*
 * backends/sim/host_tx.c - the simulator host's transmit side: pfring_send on
 * a sim NIC (with TX capture on its rings and its peer's readers woken),
 * reflected and bounced frames (queued under the host lock, sent once it is
 * dropped), the rings' pf_home, and the last packet kept for
 * pfring_send_last_rx_packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/sim/host_priv.h"
#include "lib/user_home.h"
#include "lib/api_internal.h"

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

	for (ph = sim_hosts; pn && ph; ph = ph->next) {
		if (ph->nic == pn) {
			pthread_mutex_lock(&ph->lock);
			sim_efd_signal_all(ph);
			pthread_mutex_unlock(&ph->lock);
		}
	}
}

/* Send on h's NIC, then (capture) TX capture on its rings; sim_hosts_lock held. */
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
		sim_dispatch(h, &f, 0, 0);      /* TX capture: never waits */
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

	pthread_mutex_lock(&sim_hosts_lock);
	if (if_index >= 0 && if_index != sim_nic_ifindex(h->nic)) {
		for (h = sim_hosts; h; h = h->next)
			if (sim_nic_ifindex(h->nic) == if_index)
				break;
		if (h == NULL) {
			pthread_mutex_unlock(&sim_hosts_lock);
			return PF_RING_ERROR_INVALID_ARGUMENT;
		}
	}
	if (!sim_nic_frame_fits(h->nic, data, len)) {
		pthread_mutex_unlock(&sim_hosts_lock);
		pf_api_message("pfring_send: %u bytes do not fit sim:%s's MTU %u (+ 14 bytes of "
			       "Ethernet header, + 4 with a VLAN tag; mtu= sets it)", len,
			       sim_nic_name(h->nic), sim_nic_mtu(h->nic));
		errno = EMSGSIZE;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	rc = host_send(h, data, len, 1, ts_ns);
	tx_flush_locked(h);     /* what its TX capture reflected */
	pthread_mutex_unlock(&sim_hosts_lock);
	return rc;
}

int sim_host_send(struct sim_ring *r, const uint8_t *data, uint32_t len, int if_index)
{
	return sim_host_send_ts(r, data, len, if_index, NULL);
}

/* ------------------------------------------------------------ reflection */

/* Queue a copy of p for dev ("NAME"; NULL = h's own NIC); h's lock held.
 * 0, or -1 when dev is no sim NIC (or no memory). */
int sim_tx_queue(struct sim_host *h, const char *dev, const struct pf_pkt *p)
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

/* Send what h queued; sim_hosts_lock held. Reflected frames are not TX-captured
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
			for (th = sim_hosts; th; th = th->next)
				if (strcmp(sim_nic_name(th->nic), t->dev) == 0)
					break;
		if (th)
			(void)host_send(th, t->data, t->len, 0, NULL);
		free(t);
	}
}

void sim_tx_flush(struct sim_host *h)
{
	pthread_mutex_lock(&sim_hosts_lock);
	tx_flush_locked(h);
	pthread_mutex_unlock(&sim_hosts_lock);
}

static const char *sim_dev_name(const char *dev)
{
	return strncmp(dev, "sim:", 4) == 0 ? dev + 4 : dev;
}

/* The home's reflect/bounce: called by pf_socket_filter under the host lock. */
static int home_reflect(void *ctx, const char *device, const struct pf_pkt *p)
{
	struct sim_ring *r = ctx;

	return sim_tx_queue(r->host, sim_dev_name(device), p);
}

static int home_bounce(void *ctx, const struct pf_pkt *p)
{
	struct sim_ring *r = ctx;

	return sim_tx_queue(r->host, NULL, p);
}

void sim_ring_home_init(struct sim_ring *r)
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
