/*
 * backends/dna/dna_rx.c - receiving on a dna: ring. The NIC lends frames in
 * batches (pf_nic_rx_batch, up to DNA_RX_BATCH); pfring_recv hands them out
 * one per call, in place (buffer_len 0: a pointer into DMA memory, valid until
 * the next pfring_recv) or copied into the caller's buffer. A ring on several
 * queues asks them in turn. BPF runs here, on core's executor; a frame it
 * rejects or sampling skips is neither received nor dropped.
 *
 * Waiting: the NIC's interrupts stay masked, so a blocked reader polls with
 * a back-off from 16 usec up to 1 msec (pf_poll_back_off, lib/backend.h) and
 * looks at pfring_breakloop / pfring_shutdown between two polls.
 */
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "backends/dna/dna.h"
#include "core/bpf.h"
#include "lib/api_internal.h"
#include "lib/filter_ops.h"
#include "lib/user_home.h"


/* Frames of the next queue that has some, into r->lent: how many. */
static u_int32_t refill(struct dna_ring *r)
{
	for (u_int16_t i = 0; i < r->num_q; i++) {
		u_int16_t q = (u_int16_t)(r->first_q + r->next_q);

		r->next_q = (u_int16_t)((r->next_q + 1) % r->num_q);
		r->lent_n = pf_nic_rx_batch(r->dev->nic, q, r->lent, DNA_RX_BATCH);
		r->lent_next = 0;
		if (r->lent_n)
			return r->lent_n;
	}
	return 0;
}

static int frame_waiting(struct dna_ring *r)
{
	return r->lent_next < r->lent_n || refill(r) > 0;
}

/* 1 when the ring's program accepts f (or it has none). */
static int bpf_accepts(struct dna_ring *r, const struct pf_nic_rx *f)
{
	int ok = 1;

	if (!__atomic_load_n(&r->has_bpf, __ATOMIC_ACQUIRE))
		return 1;
	pthread_mutex_lock(&r->bpf_lock);
	if (r->bpf)
		ok = pf_bpf_run(r->bpf, f->data, f->len, f->len) != 0;
	pthread_mutex_unlock(&r->bpf_lock);
	return ok;
}

/* 1 when sampling keeps this frame (one in sampling_rate, the first kept). */
static int sampled(pfring *ring, struct dna_ring *r)
{
	if (ring->sampling_rate <= 1)
		return 1;
	if (r->sample_skip) {
		r->sample_skip--;
		return 0;
	}
	r->sample_skip = ring->sampling_rate - 1;
	return 1;
}

/* The next frame this ring delivers, NULL when the NIC has none now. */
static const struct pf_nic_rx *next_frame(pfring *ring, struct dna_ring *r)
{
	while (frame_waiting(r)) {
		const struct pf_nic_rx *f = &r->lent[r->lent_next++];

		if (bpf_accepts(r, f) && sampled(ring, r))
			return f;
	}
	return NULL;
}

/* Without PF_RING_TIMESTAMP the header carries no time (ts 0), as 5.4.6's DNA:
 * pfcount and others take the time themselves then. */
static void fill_header(pfring *ring, const struct pf_nic_rx *f, u_int caplen,
			struct pfring_pkthdr *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->caplen = caplen;
	hdr->len = f->len;
	hdr->extended_hdr.rx_direction = 1;
	hdr->extended_hdr.pkt_hash = f->rss_hash;
	if (ring->force_timestamp) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		hdr->ts.tv_sec = ts.tv_sec;
		hdr->ts.tv_usec = ts.tv_nsec / 1000;
		hdr->extended_hdr.timestamp_ns = (u_int64_t)ts.tv_sec * 1000000000ull +
						 (u_int64_t)ts.tv_nsec;
	}
}

int dna_recv(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr,
	     u_int8_t wait)
{
	struct dna_ring *r = dna_ring_of(ring);

	for (unsigned int idle = 0;; idle++) {
		const struct pf_nic_rx *f = next_frame(ring, r);

		if (f) {
			u_int caplen = f->len < ring->caplen ? f->len : ring->caplen;

			if (buffer_len == 0) {
				*buffer = (u_char *)(uintptr_t)f->data;
			} else {
				caplen = caplen < buffer_len ? caplen : buffer_len;
				memcpy(*buffer, f->data, caplen);
			}
			fill_header(ring, f, caplen, hdr);
			r->delivered++;
			return 1;
		}
		if (!wait || pf_break_requested(ring))
			return 0;
		pf_poll_back_off(ring, idle);
	}
}

/* 1 when a frame is there within wait_duration msec (-1: until one is), else 0. */
int dna_poll(pfring *ring, u_int wait_duration)
{
	struct dna_ring *r = dna_ring_of(ring);
	u_int64_t until = pf_monotonic_ms() + wait_duration;

	for (unsigned int idle = 0;; idle++) {
		if (frame_waiting(r))
			return 1;
		if (pf_break_requested(ring) ||
		    (wait_duration != (u_int)-1 && pf_monotonic_ms() >= until))
			return 0;
		pf_poll_back_off(ring, idle);
	}
}

int dna_is_pkt_available(pfring *ring)
{
	return frame_waiting(dna_ring_of(ring));
}

/* recv: frames pfring_recv returned; drop: the NIC's missed frames (MPC), and
 * those the driver dropped (longer than a buffer, or with an error). The NIC's
 * counters are the whole NIC's: every ring on it shows the same drops. */
int dna_stats(pfring *ring, pfring_stat *stats)
{
	struct dna_ring *r = dna_ring_of(ring);
	struct pf_nic_stats s;

	pthread_mutex_lock(&r->dev->lock);
	pf_nic_stats(r->dev->nic, &s);
	pthread_mutex_unlock(&r->dev->lock);
	stats->recv = r->delivered;
	stats->drop = s.rx_missed + s.rx_oversize + s.rx_errors;
	return 0;
}

/* The ring's program is swapped under bpf_lock, the old one freed after. */
static void swap_bpf(struct dna_ring *r, struct pf_bpf_prog *prog)
{
	struct pf_bpf_prog *old;

	pthread_mutex_lock(&r->bpf_lock);
	old = r->bpf;
	r->bpf = prog;
	__atomic_store_n(&r->has_bpf, prog != NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&r->bpf_lock);
	pf_bpf_free(pf_user_home(), old);
}

int dna_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			const char *what)
{
	char err[256] = "";
	struct pf_bpf_prog *prog = pf_bpf_prepare(pf_user_home(), insns, n, err, sizeof(err));

	if (prog == NULL) {
		pf_ops_explain_bpf(-1, what, err);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	swap_bpf(dna_ring_of(ring), prog);
	return 0;
}

int dna_remove_bpf_filter(pfring *ring)
{
	swap_bpf(dna_ring_of(ring), NULL);
	return 0;
}

int dna_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	(void)rate;
	dna_ring_of(ring)->sample_skip = 0;
	return 0;
}

void dna_rx_free(struct dna_ring *r)
{
	swap_bpf(r, NULL);
}
