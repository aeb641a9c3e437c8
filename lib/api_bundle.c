/*
 * lib/api_bundle.c - pfring_bundle_*: several rings read as one.
 * Built only on the public calls, so it works over any backend.
 */
#include <string.h>
#include <time.h>

#include "lib/api_internal.h"

void pfring_bundle_init(pfring_bundle *bundle, bundle_read_policy p)
{
	if (bundle == NULL) {
		errno = EINVAL;
		return;
	}
	memset(bundle, 0, sizeof(*bundle));
	bundle->policy = p;
}

/* Enables the ring (as 5.4.6). Returns 0, PF_RING_ERROR_INVALID_ARGUMENT
 * (NULL, ring already in the bundle, unknown policy), PF_RING_ERROR_GENERIC
 * when the bundle is full, or pfring_enable_ring()'s error. */
int pfring_bundle_add(pfring_bundle *bundle, pfring *ring)
{
	unsigned int i, n;
	int rc;

	PF_REQUIRE(bundle && ring);
	PF_REQUIRE(bundle->policy == pick_round_robin || bundle->policy == pick_fifo);
	n = bundle->num_sockets;
	for (i = 0; i < n; i++)
		PF_REQUIRE(bundle->sockets[i] != ring);
	if (n >= MAX_NUM_BUNDLE_ELEMENTS)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOSPC);
	rc = pfring_enable_ring(ring);
	if (rc < 0)
		return rc;
	bundle->sockets[n] = ring;
	bundle->pfd[n].fd = pfring_get_selectable_fd(ring);
	bundle->pfd[n].events = POLLIN;
	bundle->pfd[n].revents = 0;
	bundle->num_sockets = (u_int16_t)(n + 1);
	/* round robin reads the socket after last_read_socket: start at 0 */
	bundle->last_read_socket = (u_int16_t)n;
	return 0;
}

/* > 0 ready, 0 not, < 0 error: pfring_poll(ring, 0), or is_pkt_available
 * for a backend without poll. */
static int member_ready(pfring *ring)
{
	int rc = pfring_poll(ring, 0);

	if (rc == PF_RING_ERROR_NOT_SUPPORTED)
		rc = pfring_is_pkt_available(ring);
	return rc;
}

/* One pass over the members; revents filled. Returns the number ready, or the
 * last error when every member failed. */
static int poll_pass(pfring_bundle *bundle)
{
	int ready = 0, errors = 0, last_err = 0;
	unsigned int i;

	for (i = 0; i < bundle->num_sockets; i++) {
		int rc = member_ready(bundle->sockets[i]);

		bundle->pfd[i].revents = rc > 0 ? POLLIN : rc < 0 ? POLLERR : 0;
		if (rc > 0) {
			ready++;
		} else if (rc < 0) {
			errors++;
			last_err = rc;
		}
	}
	if (ready == 0 && errors == bundle->num_sockets)
		return last_err;
	return ready;
}

static int all_members_have_fd(const pfring_bundle *bundle)
{
	unsigned int i;

	for (i = 0; i < bundle->num_sockets; i++)
		if (bundle->pfd[i].fd < 0)
			return 0;
	return 1;
}

/* Sleep until one member may be ready, at most ms msec: poll(2) on the fds
 * when every member has one, else a 1 msec nap. */
static void wait_some(pfring_bundle *bundle, u_int64_t ms)
{
	struct timespec nap = { 0, 1000000L };
	unsigned int i;

	if (all_members_have_fd(bundle)) {
		for (i = 0; i < bundle->num_sockets; i++)
			bundle->pfd[i].events = POLLIN;
		poll(bundle->pfd, bundle->num_sockets, (int)(ms > 1000 ? 1000 : ms));
		return;
	}
	nanosleep(&nap, NULL);
}

/* Number of members with packets (revents = POLLIN for them), 0 after
 * wait_duration msec without any, < 0 when every member fails. */
int pfring_bundle_poll(pfring_bundle *bundle, u_int wait_duration)
{
	u_int64_t deadline;
	int rc;

	PF_REQUIRE(bundle && bundle->num_sockets > 0 &&
		   bundle->num_sockets <= MAX_NUM_BUNDLE_ELEMENTS);
	deadline = pf_monotonic_ms() + wait_duration;
	for (;;) {
		u_int64_t now;

		rc = poll_pass(bundle);
		if (rc != 0)
			return rc;
		now = pf_monotonic_ms();
		if (now >= deadline)
			return 0;
		wait_some(bundle, deadline - now);
	}
}

/* Non-blocking read from the sockets after last_read_socket, in turn:
 * 1 with a packet, 0 without, the last error when every member failed. */
static int read_round_robin(pfring_bundle *bundle, u_char **buffer, u_int buffer_len,
			    struct pfring_pkthdr *hdr)
{
	unsigned int i, n = bundle->num_sockets, errors = 0;
	int rc, last_err = 0;

	for (i = 1; i <= n; i++) {
		unsigned int idx = (bundle->last_read_socket + i) % n;

		rc = pfring_recv(bundle->sockets[idx], buffer, buffer_len, hdr, 0);
		if (rc > 0) {
			bundle->last_read_socket = (u_int16_t)idx;
			return rc;
		}
		if (rc < 0) {
			errors++;
			last_err = rc;
		}
	}
	return errors == n ? last_err : 0;
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The socket whose next packet is the oldest (lowest index on a tie); -1 when
 * none. *unknown counts sockets that cannot tell (no next_pkt_time). */
static int oldest_socket(pfring_bundle *bundle, int *unknown)
{
	struct timespec best = { 0, 0 }, ts;
	unsigned int i;
	int found = -1;

	*unknown = 0;
	for (i = 0; i < bundle->num_sockets; i++) {
		int rc = pfring_next_pkt_time(bundle->sockets[i], &ts);

		if (rc == 0) {
			if (found < 0 || ts_before(&ts, &best)) {
				best = ts;
				found = (int)i;
			}
		} else if (rc != PF_RING_ERROR_NO_PKT_AVAILABLE) {
			(*unknown)++;
		}
	}
	return found;
}

/*
 * pick_fifo: the packet with the oldest timestamp among the members
 * (pfring_next_pkt_time). Members that cannot give a time are read round
 * robin when no timed packet is waiting, so they are never starved.
 */
static int read_fifo(pfring_bundle *bundle, u_char **buffer, u_int buffer_len,
		     struct pfring_pkthdr *hdr)
{
	int unknown, idx = oldest_socket(bundle, &unknown);

	if (idx >= 0) {
		int rc = pfring_recv(bundle->sockets[idx], buffer, buffer_len, hdr, 0);

		if (rc != 0)
			return rc;
	}
	if (unknown > 0)
		return read_round_robin(bundle, buffer, buffer_len, hdr);
	return 0;
}

/*
 * 1 with a packet, 0 without (after one poll of the first member's
 * poll_duration when wait_for_incoming_packet, as 5.4.6), < 0 when every
 * member fails.
 */
int pfring_bundle_read(pfring_bundle *bundle, u_char **buffer, u_int buffer_len,
		       struct pfring_pkthdr *hdr, u_int8_t wait_for_incoming_packet)
{
	int rc;

	PF_REQUIRE(bundle && buffer && hdr);
	PF_REQUIRE(bundle->num_sockets > 0 && bundle->num_sockets <= MAX_NUM_BUNDLE_ELEMENTS);
	PF_REQUIRE(bundle->policy == pick_round_robin || bundle->policy == pick_fifo);
	for (;;) {
		if (bundle->policy == pick_fifo)
			rc = read_fifo(bundle, buffer, buffer_len, hdr);
		else
			rc = read_round_robin(bundle, buffer, buffer_len, hdr);
		if (rc != 0 || !wait_for_incoming_packet)
			return rc;
		rc = pfring_bundle_poll(bundle, bundle->sockets[0]->poll_duration);
		if (rc <= 0)
			return rc;
	}
}

/* Forgets the members after disabling them (undoing pfring_bundle_add). */
void pfring_bundle_destroy(pfring_bundle *bundle)
{
	unsigned int i;

	if (bundle == NULL) {
		errno = EINVAL;
		return;
	}
	for (i = 0; i < bundle->num_sockets && i < MAX_NUM_BUNDLE_ELEMENTS; i++)
		pfring_disable_ring(bundle->sockets[i]);
	memset(bundle, 0, sizeof(*bundle));
}

/* Closes every member, then forgets them. */
void pfring_bundle_close(pfring_bundle *bundle)
{
	unsigned int i;

	if (bundle == NULL) {
		errno = EINVAL;
		return;
	}
	for (i = 0; i < bundle->num_sockets && i < MAX_NUM_BUNDLE_ELEMENTS; i++)
		pfring_close(bundle->sockets[i]);
	memset(bundle, 0, sizeof(*bundle));
}
