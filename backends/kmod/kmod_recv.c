/*
 * backends/kmod/kmod_recv.c - the kernel-module backend's receive side: pf_ring.ko
 * produces into the mmap'd core/ring.h ring, this is its consumer. Blocking
 * waits sleep in poll(2) on the socket, which is readable at the watermark.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/kmod/kmod.h"
#include "backends/kmod/kmod_ops.h"
#include "lib/api_internal.h"
#include "lib/ring_read.h"

/* pfring_send_last_rx_packet's copy (long-header, not reentrant rings only). */
static void keep_last(struct kmod_ring *k, const u_char *data, u_int caplen,
		      const struct pfring_pkthdr *hdr)
{
	memcpy(k->last, data, caplen);
	k->last_len = caplen;
	k->last_wire_len = hdr->len;
	k->last_ifindex = hdr->extended_hdr.if_index;
}

/* One packet if the ring has one: 1, 0, or an error. */
static int take(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr)
{
	struct kmod_ring *k = kmod_ring(ring);
	struct pf_ring_view v;
	int rc = pf_ring_read(ring, &k->cons, ring->long_header, buffer, buffer_len, hdr, &v);

	if (rc < 0)
		return pf_api_fail(PF_RING_ERROR_GENERIC, EBADMSG);
	if (rc == 1 && k->last && !ring->reentrant)
		keep_last(k, v.data, v.caplen, hdr);
	return rc;
}

/*
 * The device the ring was bound to is gone (pf_ring.ko ended the ring at its
 * NETDEV_UNREGISTER, after the last frame it gave the ring): once the ring
 * is empty, PF_RING_ERROR_GENERIC with errno ENODEV, said once per ring, as
 * when pfsim is gone (docs/decisions.md). 0 while the producer goes on.
 */
static int device_gone(pfring *ring)
{
	struct kmod_ring *k = kmod_ring(ring);

	if (pf_ring_cons_ended(&k->cons) == PF_RING_END_NONE)
		return 0;
	if (!__atomic_exchange_n(&k->gone_said, 1, __ATOMIC_RELAXED))
		pf_api_message("%s: the device is gone (unregistered: deleted, its driver unloaded "
			       "or its namespace torn down): every frame it queued was read, no "
			       "more frames on this ring", ring->device_name);
	return pf_api_fail(PF_RING_ERROR_GENERIC, ENODEV);
}

/* Sleep in poll(2) until the watermark, a shutdown, the device's end or ms
 * pass: 0, or an error. */
static int sleep_on(pfring *ring, int ms)
{
	struct pollfd p[2] = { { .fd = ring->fd, .events = POLLIN },
			       { .fd = kmod_ring(ring)->wake_fd, .events = POLLIN } };
	int n = pf_kmod_sys->poll(p, 2, ms);

	if (n < 0 && errno != EINTR)
		return pf_api_fail(PF_RING_ERROR_GENERIC, errno);
	/* POLLHUP with the ring ended: the caller reads what is left first */
	if (n > 0 && !(p[0].revents & POLLIN) &&
	    (p[0].revents & (POLLERR | POLLHUP | POLLNVAL)) &&
	    pf_ring_cons_ended(&kmod_ring(ring)->cons) == PF_RING_END_NONE)
		return pf_api_fail(PF_RING_ERROR_GENERIC, EIO);
	return 0;
}

/* pfring_shutdown / pfring_close: wake_fd stays readable, so every sleep of
 * this ring returns at once from now on (the front has set the break flag). */
void pf_kmod_shutdown(pfring *ring)
{
	u_int64_t one = 1;

	(void)!write(kmod_ring(ring)->wake_fd, &one, sizeof(one));
}

int pf_kmod_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		     struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct kmod_ring *k = kmod_ring(ring);
	int rc;

	for (;;) {
		rc = take(ring, buffer, buffer_len, hdr);
		if (rc != 0)
			return rc;
		/* ended: the end is published after the last frame, so take again */
		if (pf_ring_cons_ended(&k->cons) != PF_RING_END_NONE) {
			rc = take(ring, buffer, buffer_len, hdr);
			return rc != 0 ? rc : device_gone(ring);
		}
		if (!wait || pf_break_requested(ring))
			return 0;
		pf_ring_release(&k->cons);   /* the kernel may reuse them while we sleep */
		rc = sleep_on(ring, ring->poll_duration);
		if (rc < 0)
			return rc;
		if (pf_break_requested(ring))
			return 0;
	}
}

/* > 0 with packets queued (the kernel wakes at the watermark), 0 on timeout. */
int pf_kmod_poll(pfring *ring, u_int wait_duration)
{
	struct kmod_ring *k = kmod_ring(ring);
	u_int32_t wm = ring->poll_watermark ? ring->poll_watermark : 1;
	int rc;

	pf_ring_release(&k->cons);
	if (pf_ring_cons_queued(&k->cons) >= wm)
		return 1;
	if (pf_ring_cons_ended(&k->cons) == PF_RING_END_NONE) {
		rc = sleep_on(ring, wait_duration > 0x7fffffffu ? 0x7fffffff : (int)wait_duration);
		if (rc < 0)
			return rc;
	}
	if (pf_ring_cons_queued(&k->cons) > 0)
		return 1;
	return device_gone(ring);
}

int pf_kmod_is_pkt_available(pfring *ring)
{
	return pf_ring_cons_queued(&kmod_ring(ring)->cons) > 0;
}

u_int32_t pf_kmod_get_num_queued_pkts(pfring *ring)
{
	u64 q = pf_ring_cons_queued(&kmod_ring(ring)->cons);

	return q > UINT32_MAX ? UINT32_MAX : (u_int32_t)q;
}

static int peek_ts(pfring *ring, u64 *ts)
{
	struct pf_ring_view v;
	int rc = pf_ring_peek(&kmod_ring(ring)->cons, &v);

	if (rc < 0)
		return pf_api_fail(PF_RING_ERROR_GENERIC, EBADMSG);
	if (rc == 0)
		return pf_api_fail(PF_RING_ERROR_NO_PKT_AVAILABLE, EAGAIN);
	*ts = v.ts_ns;
	return 0;
}

int pf_kmod_next_pkt_time(pfring *ring, struct timespec *ts)
{
	u64 t = 0;
	int rc = peek_ts(ring, &t);

	if (rc)
		return rc;
	ts->tv_sec = (time_t)(t / 1000000000ull);
	ts->tv_nsec = (long)(t % 1000000000ull);
	return 0;
}

int pf_kmod_next_pkt_raw_timestamp(pfring *ring, u_int64_t *timestamp_ns)
{
	u64 t = 0;
	int rc = peek_ts(ring, &t);

	if (rc == 0)
		*timestamp_ns = t;
	return rc;
}

int pf_kmod_stats(pfring *ring, pfring_stat *stats)
{
	struct pf_ring_stats s;

	pf_ring_cons_stats(&kmod_ring(ring)->cons, &s);
	pf_kmod_stat_from_ring(&s, stats);
	return 0;
}

/* pfring_send_last_rx_packet: the frame kept by take(). */
int pf_kmod_last_rx(pfring *ring, const u_char **pkt, u_int *len, int *ifindex)
{
	struct kmod_ring *k = kmod_ring(ring);

	if (k->last == NULL || k->last_len == 0) {
		pf_api_message("pfring_send_last_rx_packet: no packet received yet");
		return pf_api_fail(PF_RING_ERROR_NO_PKT_AVAILABLE, ENOENT);
	}
	if (k->last_len < k->last_wire_len) {
		pf_api_message("pfring_send_last_rx_packet: the last packet was cut to %u of its "
			       "%u bytes (caplen): it cannot be sent again", k->last_len,
			       k->last_wire_len);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE);
	}
	*pkt = k->last;
	*len = k->last_len;
	*ifindex = k->last_ifindex;
	return 0;
}
