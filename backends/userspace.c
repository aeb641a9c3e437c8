/*
 * backends/userspace.c - the "userspace:" backend: a named in-process ring that
 * one handle sends into and another handle (thread) reads.
 *
 *   userspace:usrN   (or plain usrN, which the front routes here)
 *
 * Every open of usrN in a process shares one channel: a core/ring.h SPSC ring
 * (4 MiB slot area, short headers) created at the first open and freed when
 * the last handle on it closes (frames still queued are then lost).
 *
 * Roles: one writer and one reader per channel. A handle becomes the writer
 * at its first pfring_send (or pfring_set_socket_mode(send_only_mode)) and the
 * reader at its first receive-side call (recv, poll, is_pkt_available,
 * get_num_queued_pkts, next_pkt_time, or set_socket_mode(recv_only_mode)); a
 * role already held by another open handle is refused with
 * PF_RING_ERROR_WRONG_CONFIGURATION. Closing a handle gives its roles back.
 *
 * Lossless: pfring_send never drops. When the ring has no room it returns
 * PF_RING_ERROR_NO_TX_SLOT_AVAILABLE (errno EAGAIN) and the caller retries.
 * A frame bigger than the ring's largest slot is PF_RING_ERROR_INVALID_ARGUMENT
 * (errno EMSGSIZE). Timestamps are the writer's CLOCK_REALTIME at send.
 *
 * Blocking: a reader with nothing to read sleeps on a private eventfd for at
 * most poll_duration msec; the writer writes that eventfd after a publish
 * when the reader says it is sleeping (a flag, with seq_cst fences on both
 * sides, so a wakeup is never lost). The eventfd is not offered as the
 * selectable fd (ring->fd stays -1): it is signalled only for a reader
 * sleeping inside pfring_recv/pfring_poll.
 *
 * Not supported: across processes (the channel lives in this process's
 * memory), filtering (rules, BPF, sampling, direction, clusters), statistics
 * of drops (there are none).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "api_internal.h"
#include "ring.h"

#define US_SLOT_AREA   (4u << 20)
#define US_NAME_MAX    32

struct us_chan {
	struct us_chan *next;
	char name[US_NAME_MAX];
	unsigned int refs;
	void *mem;
	size_t size;
	struct pf_ring_prod prod;  /* used by the writer only */
	struct pf_ring_cons cons;  /* used by the reader only */
	pfring *writer, *reader;   /* under chan_lock */
	int efd;
	int reader_sleeping;       /* atomic */
};

static pthread_mutex_t chan_lock = PTHREAD_MUTEX_INITIALIZER;
static struct us_chan *channels;

static struct us_chan *uc(pfring *ring)
{
	return (struct us_chan *)ring->priv_data;
}

/* ^usr[0-9]+$, at most US_NAME_MAX - 1 bytes. */
static int pf_userspace_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (len < 4 || len >= US_NAME_MAX || strncmp(name, "usr", 3) != 0)
		return 0;
	for (i = 3; i < len; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

static void chan_free(struct us_chan *c)
{
	if (c->efd >= 0)
		close(c->efd);
	free(c->mem);
	free(c);
}

static struct us_chan *chan_create(const char *name)
{
	struct us_chan *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	strcpy(c->name, name);
	c->size = pf_ring_layout_size(US_SLOT_AREA);
	c->mem = aligned_alloc(PF_RING_PAGE_SIZE, c->size);
	c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->mem == NULL || c->efd < 0)
		goto fail;
	memset(c->mem, 0, c->size);
	if (pf_ring_init(&c->prod, c->mem, c->size, 0) < 0 ||
	    pf_ring_attach(&c->cons, c->mem, c->size, NULL, 0) < 0)
		goto fail;
	return c;
fail:
	chan_free(c);
	return NULL;
}

/* The channel called name, created if needed, with one more reference. */
static struct us_chan *chan_get(const char *name)
{
	struct us_chan *c;

	pthread_mutex_lock(&chan_lock);
	for (c = channels; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			break;
	if (c == NULL) {
		c = chan_create(name);
		if (c) {
			c->next = channels;
			channels = c;
		}
	}
	if (c)
		c->refs++;
	pthread_mutex_unlock(&chan_lock);
	return c;
}

static void chan_put(struct us_chan *c, pfring *ring)
{
	struct us_chan **pp;
	int last;

	pthread_mutex_lock(&chan_lock);
	if (c->writer == ring)
		__atomic_store_n(&c->writer, NULL, __ATOMIC_RELAXED);
	if (c->reader == ring)
		__atomic_store_n(&c->reader, NULL, __ATOMIC_RELAXED);
	last = --c->refs == 0;
	if (last)
		for (pp = &channels; *pp; pp = &(*pp)->next)
			if (*pp == c) {
				*pp = c->next;
				break;
			}
	pthread_mutex_unlock(&chan_lock);
	if (last)
		chan_free(c);
}

static int us_open(pfring *ring, const char *dev)
{
	struct us_chan *c;

	if (!pf_userspace_name_ok(dev)) {
		pf_api_message("pfring_open(\"%s\"): userspace: names one ring, usrN "
			       "(N decimal, no queue, no list)", ring->device_name);
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	c = chan_get(dev);
	if (c == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
	ring->priv_data = c;
	ring->fd = -1;
	return 0;
}

static void us_close(pfring *ring)
{
	if (ring->priv_data)
		chan_put(uc(ring), ring);
	ring->priv_data = NULL;
}

/* Makes ring the channel's writer (is_writer) or reader, if free. */
static int claim(pfring *ring, int is_writer)
{
	struct us_chan *c = uc(ring);
	pfring **slot = is_writer ? &c->writer : &c->reader;
	int rc = 0;

	pthread_mutex_lock(&chan_lock);
	if (*slot == NULL)
		__atomic_store_n(slot, ring, __ATOMIC_RELAXED);
	else if (*slot != ring)
		rc = PF_RING_ERROR_WRONG_CONFIGURATION;
	pthread_mutex_unlock(&chan_lock);
	if (rc) {
		pf_api_message("pfring(\"%s\"): %s already has a %s (one per ring)",
			       ring->device_name, c->name, is_writer ? "sender" : "receiver");
		errno = EBUSY;
	}
	return rc;
}

/* Fast path: the role is ours once taken (only close gives it back). */
static int be(pfring *ring, int is_writer)
{
	struct us_chan *c = uc(ring);
	pfring *holder = __atomic_load_n(is_writer ? &c->writer : &c->reader,
					 __ATOMIC_RELAXED);

	return holder == ring ? 0 : claim(ring, is_writer);
}

static int us_set_socket_mode(pfring *ring, socket_mode mode)
{
	if (mode == send_only_mode)
		return be(ring, 1);
	if (mode == recv_only_mode)
		return be(ring, 0);
	return 0;
}

/* ---------------------------------------------------------------- send */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static void wake_reader(struct us_chan *c)
{
	u_int64_t one = 1;
	ssize_t n;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->reader_sleeping, __ATOMIC_RELAXED)) {
		n = write(c->efd, &one, sizeof(one));
		(void)n; /* EAGAIN: the counter is non-zero already, the reader wakes */
	}
}

static int us_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush)
{
	struct us_chan *c = uc(ring);
	u8 *data;
	int rc = be(ring, 1);

	(void)flush;
	if (rc)
		return rc;
	rc = pf_ring_reserve(&c->prod, pkt_len, &data);
	if (rc == -PF_ENOSPC)
		return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, EAGAIN);
	if (rc < 0)
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE);
	memcpy(data, pkt, pkt_len);
	pf_ring_commit(&c->prod, pkt_len, now_ns(), NULL);
	pf_ring_publish(&c->prod);
	wake_reader(c);
	return (int)pkt_len;
}

/* ---------------------------------------------------------------- read */

static void fill_hdr(pfring *ring, const struct pf_ring_view *v, struct pfring_pkthdr *hdr)
{
	hdr->ts.tv_sec = (time_t)(v->ts_ns / 1000000000ull);
	hdr->ts.tv_usec = (suseconds_t)(v->ts_ns % 1000000000ull / 1000);
	hdr->caplen = v->caplen < ring->caplen ? v->caplen : ring->caplen;
	hdr->len = v->len;
	memset(&hdr->extended_hdr, 0, sizeof(hdr->extended_hdr));
	hdr->extended_hdr.timestamp_ns = v->ts_ns;
	ring->hw_ts.last_pkt_timestamp_ns = v->ts_ns;
}

static int take(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr)
{
	struct us_chan *c = uc(ring);
	struct pf_ring_view v;
	int rc;

	if (buffer_len == 0) {
		rc = pf_ring_recv(&c->cons, &v);
		if (rc == 1)
			*buffer = (u_char *)v.data;
	} else {
		u_int len = buffer_len < ring->caplen ? buffer_len : ring->caplen;

		rc = pf_ring_recv_copy(&c->cons, *buffer, len, &v, NULL);
	}
	if (rc < 0)
		return PF_RING_ERROR_GENERIC;
	if (rc == 1)
		fill_hdr(ring, &v, hdr);
	return rc;
}

/* Sleeps until the writer publishes, ms pass, or at once if something is
 * queued already. */
static void sleep_for_writer(struct us_chan *c, int ms)
{
	struct pollfd p = { .fd = c->efd, .events = POLLIN };
	u_int64_t v;
	ssize_t n;

	__atomic_store_n(&c->reader_sleeping, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (pf_ring_cons_queued(&c->cons) == 0 && ms > 0)
		poll(&p, 1, ms);
	__atomic_store_n(&c->reader_sleeping, 0, __ATOMIC_RELAXED);
	n = read(c->efd, &v, sizeof(v));
	(void)n; /* EAGAIN: nothing was signalled */
}

static int duration(pfring *ring)
{
	return ring->poll_duration ? ring->poll_duration : 1;
}

static int us_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		   struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct us_chan *c = uc(ring);
	int rc = be(ring, 0);

	if (rc)
		return rc;
	for (;;) {
		rc = take(ring, buffer, buffer_len, hdr);
		if (rc != 0 || !wait || pf_break_requested(ring))
			return rc;
		pf_ring_release(&c->cons);
		sleep_for_writer(c, duration(ring));
		if (pf_break_requested(ring))
			return 0;
	}
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static int us_poll(pfring *ring, u_int wait_duration)
{
	struct us_chan *c = uc(ring);
	u32 wm = ring->poll_watermark ? ring->poll_watermark : 1;
	u64 end = now_ms() + wait_duration, now;
	int rc = be(ring, 0);

	if (rc)
		return rc;
	pf_ring_release(&c->cons);
	for (;;) {
		u64 q = pf_ring_cons_queued(&c->cons);

		if (q >= wm)
			return 1;
		now = now_ms();
		if (now >= end || pf_break_requested(ring))
			return q > 0;
		sleep_for_writer(c, (int)(end - now));
	}
}

static int us_is_pkt_available(pfring *ring)
{
	int rc = be(ring, 0);

	return rc ? rc : pf_ring_cons_queued(&uc(ring)->cons) > 0;
}

static u_int32_t us_get_num_queued_pkts(pfring *ring)
{
	u64 q;

	if (be(ring, 0))
		return 0;
	q = pf_ring_cons_queued(&uc(ring)->cons);
	return q > UINT32_MAX ? UINT32_MAX : (u_int32_t)q;
}

static int us_next_pkt_time(pfring *ring, struct timespec *ts)
{
	struct pf_ring_view v;
	int rc = be(ring, 0);

	if (rc)
		return rc;
	rc = pf_ring_peek(&uc(ring)->cons, &v);
	if (rc < 0)
		return PF_RING_ERROR_GENERIC;
	if (rc == 0)
		return PF_RING_ERROR_NO_PKT_AVAILABLE;
	ts->tv_sec = (time_t)(v.ts_ns / 1000000000ull);
	ts->tv_nsec = (long)(v.ts_ns % 1000000000ull);
	return 0;
}

/* recv: frames published into the ring (as the role's own side knows them);
 * drop: always 0, a full ring refuses instead of dropping. A handle that is
 * neither writer nor reader has seen nothing. */
static int us_stats(pfring *ring, pfring_stat *stats)
{
	struct us_chan *c = uc(ring);
	struct pf_ring_stats s;

	memset(&s, 0, sizeof(s));
	if (__atomic_load_n(&c->reader, __ATOMIC_RELAXED) == ring)
		pf_ring_cons_stats(&c->cons, &s);
	else if (__atomic_load_n(&c->writer, __ATOMIC_RELAXED) == ring)
		pf_ring_prod_stats(&c->prod, &s);
	stats->recv = s.inserted;
	stats->drop = 0;
	return 0;
}

const struct pfring_backend pfring_userspace_backend = {
	.name = "userspace",
	.prefix = "userspace:",
	.open = us_open,
	.close = us_close,
	.recv = us_recv,
	.next_pkt_time = us_next_pkt_time,
	.is_pkt_available = us_is_pkt_available,
	.get_num_queued_pkts = us_get_num_queued_pkts,
	.poll = us_poll,
	.send = us_send,
	.stats = us_stats,
	.set_socket_mode = us_set_socket_mode,
};
