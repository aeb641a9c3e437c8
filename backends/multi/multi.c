/*
 * backends/multi/multi.c - the "multi:" backend (link aggregation): several devices
 * read as one ring.
 *
 *   multi:DEV;DEV[;DEV...]      each DEV a whole device name given to
 *                               pfring_open(), its own prefix and options
 *                               included: "multi:sim:a?pcap=x.pcap;sim:b@1"
 *
 * The backend declares members_are_names: the front splits the list on ';'
 * only (a member may hold ',' in its queue list or options) and refuses an
 * empty member or more than 32 before any opens (lib/devname.h, "names"). Each
 * member is opened with pfring_open() and the multi ring's caplen and flags.
 * The whole open fails, naming the member, if one member fails.
 *
 * Decisions (the guide is silent):
 *   - recv polls the members round robin, non-blocking on each, starting after
 *     the member that gave the last packet. Blocking waits in poll(2) on the
 *     members' selectable fds, at most 10 ms at a time (a sim: member paced by
 *     real time is only advanced by its reader) and at most poll_duration, and
 *     returns 0 once break_recv_loop is set.
 *   - extended_hdr.if_index of every packet is its member's ifindex
 *     (pfring_get_bound_device_ifindex at open; a member that cannot tell gets
 *     its 1-based position in the list).
 *   - get_bound_device_ifindex/_id/_address answer for the member the last
 *     packet came from (the first member before any packet).
 *   - settings (enable, disable, direction, sampling, BPF, rules, cluster,
 *     policy, poll watermark, application name) go to every member in order.
 *     The first failure stops, prints which member failed, and is returned;
 *     what was applied to the members before it is undone where an undo exists
 *     (enable, cluster, rules, direction, sampling, policy, watermark), not for
 *     BPF or the name (the members' old ones are not kept).
 *   - stats are the members' sums.
 *   - the selectable fd is an epoll set of the members' selectable fds (made at
 *     the first pfring_get_selectable_fd): readable when a member's is, that is
 *     when a recv on that member would return a packet (or, on sim:, move its
 *     wire on). -1 if a member has none.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "lib/backend.h"
#include "lib/api_internal.h"
#include "lib/devname.h"

#define MULTI_MAX_MEMBERS MAX_NUM_BUNDLE_ELEMENTS
#define MULTI_MAX_WAIT_MS 10

struct multi {
	pthread_mutex_t fd_lock;  /* making the epoll set (ring->fd) */
	u_int32_t n;
	u_int32_t next;         /* member recv asks first */
	u_int32_t last;         /* member of the last packet */
	pfring *m[MULTI_MAX_MEMBERS];
	int ifindex[MULTI_MAX_MEMBERS];
	char *name[MULTI_MAX_MEMBERS];
};

_Static_assert(PF_DEVNAME_MAX_MEMBERS <= MULTI_MAX_MEMBERS, "a parsed list fits");

static struct multi *multi_of(pfring *ring)
{
	return (struct multi *)ring->priv_data;
}

static void multi_free(struct multi *m)
{
	u_int32_t i;

	pthread_mutex_destroy(&m->fd_lock);

	for (i = 0; i < m->n; i++) {
		if (m->m[i])
			pfring_close(m->m[i]);
		free(m->name[i]);
	}
	free(m);
}

/* Opens member text[0 .. len) as m's next member. */
static int open_member(pfring *ring, struct multi *m, const char *text, size_t len)
{
	u_int32_t i = m->n;
	int ifx;

	m->name[i] = strndup(text, len);
	if (m->name[i] == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
	m->n++;
	m->m[i] = pfring_open(m->name[i], ring->caplen, ring->flags);
	if (m->m[i] == NULL) {
		int err = errno;

		pf_api_message("pfring_open(%s): member %u %s failed to open",
			       PF_QUOTE(ring->device_name), i + 1, PF_QUOTE(m->name[i]));
		errno = err ? err : ENODEV;
		return PF_RING_ERROR_UNKNOWN_ADAPTER;
	}
	if (pfring_get_bound_device_ifindex(m->m[i], &ifx) == 0)
		m->ifindex[i] = ifx;
	else
		m->ifindex[i] = (int)i + 1;
	return 0;
}

static int multi_open(pfring *ring, const struct pf_devname *dn)
{
	struct multi *m = calloc(1, sizeof(*m));
	u_int32_t i;
	int rc = 0;

	if (m == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
	pthread_mutex_init(&m->fd_lock, NULL);
	for (i = 0; i < dn->num_members && rc == 0; i++)
		rc = open_member(ring, m, dn->member[i].text, dn->member[i].text_len);
	if (rc < 0) {
		int err = errno;

		multi_free(m);
		errno = err;
		return rc;
	}
	ring->priv_data = m;
	ring->fd = -1;   /* the epoll set, at the first pfring_get_selectable_fd */
	ring->device_id = m->ifindex[0];
	return 0;
}

static void multi_close(pfring *ring)
{
	if (ring->priv_data)
		multi_free(multi_of(ring));
	ring->priv_data = NULL;
	if (ring->fd >= 0)
		close(ring->fd);
	ring->fd = -1;
}

/* Under fd_lock: an epoll set of every member's selectable fd, or -1. */
static int make_epoll_set(pfring *ring)
{
	struct multi *m = multi_of(ring);
	struct epoll_event ev = { .events = EPOLLIN };
	u_int32_t i;
	int efd = epoll_create1(EPOLL_CLOEXEC), fd;

	if (efd < 0) {
		pf_api_message("pfring_get_selectable_fd(%s): epoll_create1: %s",
			       PF_QUOTE(ring->device_name), strerror(errno));
		return -1;
	}
	for (i = 0; i < m->n; i++) {
		fd = pfring_get_selectable_fd(m->m[i]);
		ev.data.u32 = i;
		if (fd < 0 || epoll_ctl(efd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			int err = fd < 0 ? EOPNOTSUPP : errno;

			pf_api_message("pfring_get_selectable_fd(%s): member %u %s %s",
				       PF_QUOTE(ring->device_name), i + 1, PF_QUOTE(m->name[i]),
				       fd < 0 ? "has no selectable fd" : strerror(err));
			close(efd);
			errno = err;
			return -1;
		}
	}
	return efd;
}

static int multi_get_selectable_fd(pfring *ring)
{
	struct multi *m = multi_of(ring);

	pthread_mutex_lock(&m->fd_lock);
	if (ring->fd < 0)
		ring->fd = make_epoll_set(ring);
	pthread_mutex_unlock(&m->fd_lock);
	return ring->fd;
}

static void multi_shutdown(pfring *ring)
{
	struct multi *m = multi_of(ring);
	u_int32_t i;

	for (i = 0; i < m->n; i++)
		pfring_shutdown(m->m[i]);
}

/* ---------------------------------------------------------------- read */

static int recv_round(pfring *ring, u_char **buffer, u_int buffer_len,
		      struct pfring_pkthdr *hdr)
{
	struct multi *m = multi_of(ring);
	u_int32_t k;

	for (k = 0; k < m->n; k++) {
		u_int32_t i = (m->next + k) % m->n;
		int rc = pfring_recv(m->m[i], buffer, buffer_len, hdr, 0);

		if (rc < 0)
			return rc;
		if (rc > 0) {
			hdr->extended_hdr.if_index = m->ifindex[i];
			m->last = i;
			m->next = (i + 1) % m->n;
			ring->last_pkt_timestamp_ns = m->m[i]->last_pkt_timestamp_ns;
			return rc;
		}
	}
	return 0;
}

/* Sleeps on the members' fds for at most ms msec. */
static void wait_members(struct multi *m, int ms)
{
	struct pollfd pfd[MULTI_MAX_MEMBERS];
	u_int32_t i, n = 0;

	for (i = 0; i < m->n; i++) {
		int fd = pfring_get_selectable_fd(m->m[i]);

		if (fd >= 0) {
			pfd[n].fd = fd;
			pfd[n].events = POLLIN;
			n++;
		}
	}
	if (ms > 0)
		poll(n ? pfd : NULL, n, n == m->n ? ms : 1);
}

static int wait_slice(pfring *ring)
{
	int ms = (int)pf_poll_step_ms(ring);

	return ms > MULTI_MAX_WAIT_MS ? MULTI_MAX_WAIT_MS : ms;
}

static int multi_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		      struct pfring_pkthdr *hdr, u_int8_t wait)
{
	int rc;

	for (;;) {
		rc = recv_round(ring, buffer, buffer_len, hdr);
		if (rc < 0 && pf_shutting_down(ring))
			return 0;    /* the members were shut down with it: no error */
		if (rc != 0 || !wait || pf_break_requested(ring))
			return rc;
		wait_members(multi_of(ring), wait_slice(ring));
		if (pf_break_requested(ring))
			return 0;
	}
}

static int multi_is_pkt_available(pfring *ring)
{
	struct multi *m = multi_of(ring);
	u_int32_t i;

	for (i = 0; i < m->n; i++) {
		int rc = pfring_is_pkt_available(m->m[i]);

		if (rc != 0)
			return rc;
	}
	return 0;
}

static u_int32_t multi_get_num_queued_pkts(pfring *ring)
{
	struct multi *m = multi_of(ring);
	u_int64_t sum = 0;
	u_int32_t i;

	for (i = 0; i < m->n; i++)
		sum += pfring_get_num_queued_pkts(m->m[i]);
	return sum > UINT32_MAX ? UINT32_MAX : (u_int32_t)sum;
}

static int multi_poll(pfring *ring, u_int wait_duration)
{
	u_int waited = 0;
	int rc;

	for (;;) {
		rc = multi_is_pkt_available(ring);
		if (rc != 0 || waited >= wait_duration || pf_shutting_down(ring))
			return rc;
		wait_members(multi_of(ring), MULTI_MAX_WAIT_MS);
		waited += MULTI_MAX_WAIT_MS;
	}
}

static int multi_stats(pfring *ring, pfring_stat *stats)
{
	struct multi *m = multi_of(ring);
	pfring_stat s;
	u_int32_t i;

	stats->recv = 0;
	stats->drop = 0;
	for (i = 0; i < m->n; i++) {
		int rc = pfring_stats(m->m[i], &s);

		if (rc < 0) {
			pf_api_message("pfring_stats(%s): member %s failed (%d)",
				       PF_QUOTE(ring->device_name), PF_QUOTE(m->name[i]), rc);
			return rc;
		}
		stats->recv += s.recv;
		stats->drop += s.drop;
	}
	return 0;
}

/* ----------------------------------------------- settings on every member */

typedef int (*member_fn)(pfring *member, const void *arg);

/* fn on every member in order; on failure undo (when given) on the members
 * before it, say which member failed, and return its error. */
static int for_all(pfring *ring, const char *what, member_fn fn, const void *arg,
		   member_fn undo, const void *undo_arg)
{
	struct multi *m = multi_of(ring);
	u_int32_t i, j;

	for (i = 0; i < m->n; i++) {
		int rc = fn(m->m[i], arg);

		if (rc >= 0)
			continue;
		pf_api_message("%s(%s): member %u %s failed (%d)%s", what,
			       PF_QUOTE(ring->device_name), i + 1, PF_QUOTE(m->name[i]), rc,
			       undo ? "; undone on the members before it" : "");
		for (j = 0; undo && j < i; j++)
			undo(m->m[j], undo_arg);
		return rc;
	}
	return 0;
}

static int do_enable(pfring *r, const void *a)   { (void)a; return pfring_enable_ring(r); }
static int do_disable(pfring *r, const void *a)  { (void)a; return pfring_disable_ring(r); }
static int do_unclust(pfring *r, const void *a)  { (void)a; return pfring_remove_from_cluster(r); }
static int do_rm_bpf(pfring *r, const void *a)   { (void)a; return pfring_remove_bpf_filter(r); }

static int do_direction(pfring *r, const void *a)
{
	return pfring_set_direction(r, *(const packet_direction *)a);
}

static int do_sampling(pfring *r, const void *a)
{
	return pfring_set_sampling_rate(r, *(const u_int32_t *)a);
}

static int do_policy(pfring *r, const void *a)
{
	return pfring_toggle_filtering_policy(r, *(const u_int8_t *)a);
}

static int do_bpf(pfring *r, const void *a)
{
	return pfring_set_bpf_filter(r, (char *)a);
}

static int do_watermark(pfring *r, const void *a)
{
	return pfring_set_poll_watermark(r, *(const u_int16_t *)a);
}

static int do_appl_name(pfring *r, const void *a)
{
	return pfring_set_application_name(r, (char *)a);
}

struct program_arg {
	const struct pf_bpf_insn *insns;
	u_int32_t n;
	const char *what;
};

static int do_bpf_program(pfring *r, const void *a)
{
	const struct program_arg *p = a;

	return pf_api_set_bpf_program(r, p->insns, p->n, p->what);
}

struct cluster_arg {
	u_int id;
	cluster_type type;
};

static int do_cluster(pfring *r, const void *a)
{
	const struct cluster_arg *c = a;

	return pfring_set_cluster(r, c->id, c->type);
}

static int do_add_rule(pfring *r, const void *a)
{
	filtering_rule copy = *(const filtering_rule *)a;

	return pfring_add_filtering_rule(r, &copy);
}

static int do_rm_rule(pfring *r, const void *a)
{
	return pfring_remove_filtering_rule(r, *(const u_int16_t *)a);
}

static int do_hash_rule(pfring *r, const void *a)
{
	hash_filtering_rule copy = *(const hash_filtering_rule *)a;

	return pfring_handle_hash_filtering_rule(r, &copy, 1);
}

static int do_rm_hash_rule(pfring *r, const void *a)
{
	hash_filtering_rule copy = *(const hash_filtering_rule *)a;

	return pfring_handle_hash_filtering_rule(r, &copy, 0);
}

static int do_purge(pfring *r, const void *a)
{
	return pfring_purge_idle_rules(r, *(const u_int16_t *)a);
}

static int do_purge_hash(pfring *r, const void *a)
{
	return pfring_purge_idle_hash_rules(r, *(const u_int16_t *)a);
}

static int multi_enable_ring(pfring *ring)
{
	return for_all(ring, "pfring_enable_ring", do_enable, NULL, do_disable, NULL);
}

static int multi_disable_ring(pfring *ring)
{
	return for_all(ring, "pfring_disable_ring", do_disable, NULL, NULL, NULL);
}

static int multi_set_direction(pfring *ring, packet_direction d)
{
	/* the front stores d in ring->direction only after success */
	return for_all(ring, "pfring_set_direction", do_direction, &d, do_direction,
		       &ring->direction);
}

static int multi_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	return for_all(ring, "pfring_set_sampling_rate", do_sampling, &rate, do_sampling,
		       &ring->sampling_rate);
}

static int multi_toggle_filtering_policy(pfring *ring, u_int8_t accept)
{
	return for_all(ring, "pfring_toggle_filtering_policy", do_policy, &accept, do_policy,
		       &ring->socket_default_accept_policy);
}

static int multi_set_bpf_filter(pfring *ring, const char *filter)
{
	return for_all(ring, "pfring_set_bpf_filter", do_bpf, filter, NULL, NULL);
}

/* A member's fd wakes at its own watermark (pf_ring.ko's socket, sim's eventfd). */
static int multi_set_poll_watermark(pfring *ring, u_int16_t watermark)
{
	return for_all(ring, "pfring_set_poll_watermark", do_watermark, &watermark,
		       do_watermark, &ring->poll_watermark);
}

static int multi_set_application_name(pfring *ring, const char *name)
{
	return for_all(ring, "pfring_set_application_name", do_appl_name, name, NULL, NULL);
}

static int multi_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
				 const char *what)
{
	struct program_arg p = { insns, n, what };

	return for_all(ring, "setsockopt(SO_ATTACH_FILTER)", do_bpf_program, &p, NULL, NULL);
}

static int multi_remove_bpf_filter(pfring *ring)
{
	return for_all(ring, "pfring_remove_bpf_filter", do_rm_bpf, NULL, NULL, NULL);
}

static int multi_set_cluster(pfring *ring, u_int id, cluster_type type)
{
	struct cluster_arg c = { id, type };

	return for_all(ring, "pfring_set_cluster", do_cluster, &c, do_unclust, NULL);
}

static int multi_remove_from_cluster(pfring *ring)
{
	return for_all(ring, "pfring_remove_from_cluster", do_unclust, NULL, NULL, NULL);
}

static int multi_add_filtering_rule(pfring *ring, filtering_rule *rule)
{
	return for_all(ring, "pfring_add_filtering_rule", do_add_rule, rule, do_rm_rule,
		       &rule->rule_id);
}

static int multi_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	return for_all(ring, "pfring_remove_filtering_rule", do_rm_rule, &rule_id, NULL, NULL);
}

static int multi_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
					    u_char add)
{
	if (add)
		return for_all(ring, "pfring_handle_hash_filtering_rule", do_hash_rule, rule,
			       do_rm_hash_rule, rule);
	return for_all(ring, "pfring_handle_hash_filtering_rule", do_rm_hash_rule, rule,
		       NULL, NULL);
}

static int multi_purge_idle_rules(pfring *ring, u_int16_t sec)
{
	return for_all(ring, "pfring_purge_idle_rules", do_purge, &sec, NULL, NULL);
}

static int multi_purge_idle_hash_rules(pfring *ring, u_int16_t sec)
{
	return for_all(ring, "pfring_purge_idle_hash_rules", do_purge_hash, &sec, NULL, NULL);
}

/* ------------------------------------------------------------ identity */

static pfring *last_member(pfring *ring)
{
	return multi_of(ring)->m[multi_of(ring)->last];
}

static int multi_get_bound_device_ifindex(pfring *ring, int *if_index)
{
	*if_index = multi_of(ring)->ifindex[multi_of(ring)->last];
	return 0;
}

static int multi_get_bound_device_id(pfring *ring, int *device_id)
{
	*device_id = multi_of(ring)->ifindex[multi_of(ring)->last];
	return 0;
}

static int multi_get_bound_device_address(pfring *ring, u_char mac[6])
{
	return pfring_get_bound_device_address(last_member(ring), mac);
}

const struct pfring_backend pfring_multi_backend = {
	.name = "multi",
	.prefix = "multi:",
	.members_are_names = 1,
	.open = multi_open,
	.close = multi_close,
	.shutdown = multi_shutdown,
	.recv = multi_recv,
	.is_pkt_available = multi_is_pkt_available,
	.get_num_queued_pkts = multi_get_num_queued_pkts,
	.poll = multi_poll,
	.set_cluster = multi_set_cluster,
	.remove_from_cluster = multi_remove_from_cluster,
	.set_sampling_rate = multi_set_sampling_rate,
	.add_filtering_rule = multi_add_filtering_rule,
	.remove_filtering_rule = multi_remove_filtering_rule,
	.purge_idle_rules = multi_purge_idle_rules,
	.handle_hash_filtering_rule = multi_handle_hash_filtering_rule,
	.purge_idle_hash_rules = multi_purge_idle_hash_rules,
	.set_bpf_filter = multi_set_bpf_filter,
	.set_bpf_program = multi_set_bpf_program,
	.remove_bpf_filter = multi_remove_bpf_filter,
	.toggle_filtering_policy = multi_toggle_filtering_policy,
	.enable_ring = multi_enable_ring,
	.disable_ring = multi_disable_ring,
	.stats = multi_stats,
	.set_direction = multi_set_direction,
	.set_poll_watermark = multi_set_poll_watermark,
	.set_application_name = multi_set_application_name,
	.get_bound_device_address = multi_get_bound_device_address,
	.get_bound_device_id = multi_get_bound_device_id,
	.get_bound_device_ifindex = multi_get_bound_device_ifindex,
	.get_selectable_fd = multi_get_selectable_fd,
};
