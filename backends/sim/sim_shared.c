/*
 * backends/sim/sim_shared.c - the client side of sim: shared mode: a ring served by
 * pfsim (design and protocol in backends/sim/shared_proto.h). backends/sim/sim.c hands a
 * ring here (sim_shared_open, and this backend's ops from then on) when
 * "sim:NAME[@Q]" has no options, this process has no NIC NAME, and pfsim
 * serves NAME.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include "lib/backend.h"
#include "lib/api_internal.h"
#include "core/ring.h"
#include "lib/ring_read.h"
#include "sim/nic.h"
#include "backends/sim/host.h"       /* struct sim_name */
#include "backends/sim/shared_proto.h"
#include "backends/sim/shared_client.h"
#include "lib/filter_ops.h"

#define SHR_TIMEOUT_SEC 5

struct shr {
	int sock, efd;
	const char *dev;          /* the ring's device name, for messages */
	int dead;                 /* pfsim hung up (set once, never cleared) */
	int dead_said;            /* its message was printed */
	int end_errno;            /* pfsim's last word gave one (EIO: the capture failed) */
	pthread_mutex_t call_lock; /* one request in flight (stats from another thread) */
	void *mem;
	size_t size;
	struct pf_ring_cons cons;
	struct pfsim_resp info;   /* the OPEN response: ifindex, queues, mac */
};

static struct shr *shr_of(pfring *ring)
{
	return (struct shr *)ring->priv_data;
}

int sim_shared_available(const char *nic)
{
	char path[PFSIM_PATH_LEN];
	struct stat st;

	return pfsim_socket_path(NULL, nic, path, sizeof(path)) == 0 &&
	       stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* What pfsim left on the socket before it hung up on this ring, if anything:
 * a reason to end it (backends/sim/shared_server.c, source_ended). Its errno, or 0. */
static int last_word(struct shr *s, char *why, size_t len)
{
	struct pfsim_resp r;
	ssize_t n;

	pthread_mutex_lock(&s->call_lock);
	n = recv(s->sock, &r, sizeof(r), MSG_DONTWAIT);
	pthread_mutex_unlock(&s->call_lock);
	if (n != (ssize_t)sizeof(r) || r.rc >= 0 || r.err_no <= 0)
		return 0;
	r.msg[sizeof(r.msg) - 1] = '\0';
	snprintf(why, len, "%s", r.msg);
	return r.err_no;
}

/* The ring ended: PF_RING_ERROR_GENERIC, said once per ring, with the errno
 * of pfsim's last word (EIO: its capture failed) or ENODEV when pfsim is
 * simply gone (docs/decisions.md). */
static int lost(struct shr *s)
{
	char why[sizeof(((struct pfsim_resp *)0)->msg)];
	int e;

	s->dead = 1;
	if (!__atomic_exchange_n(&s->dead_said, 1, __ATOMIC_RELAXED)) {
		e = last_word(s, why, sizeof(why));
		if (e) {
			__atomic_store_n(&s->end_errno, e, __ATOMIC_RELAXED);
			pf_api_message("%s: %s", s->dev, why);
		} else {
			pf_api_message("%s: pfsim is gone (its connection closed): no more frames "
				       "or requests on this ring", s->dev);
		}
	}
	e = __atomic_load_n(&s->end_errno, __ATOMIC_RELAXED);
	errno = e ? e : ENODEV;
	return PF_RING_ERROR_GENERIC;
}

/* 1 once pfsim hung up: the socket is watched for that only (a response to
 * another thread's request is not ours to read). */
static int server_gone(struct shr *s)
{
	struct pollfd p = { .fd = s->sock, .events = 0 };

	if (!s->dead && poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
		s->dead = 1;
	return s->dead;
}

/* errno for a response's rc < 0 that came without one. */
static int resp_errno(const struct pfsim_resp *r)
{
	if (r->err_no > 0)
		return r->err_no;
	switch (r->rc) {
	case PF_RING_ERROR_INVALID_ARGUMENT:
		return EINVAL;
	case PF_RING_ERROR_NOT_ENOUGH_MEMORY:
		return ENOMEM;
	case PF_RING_ERROR_NOT_SUPPORTED:
		return EOPNOTSUPP;
	default:
		return EIO;
	}
}

/* Send a request and its body (NULL, 0: none), wait (bounded) for its
 * response and its fds if any: 0, or -1 with errno when pfsim did not answer
 * (said on stderr): ENODEV when it is gone, ETIMEDOUT after SHR_TIMEOUT_SEC.
 * Prints nothing of r->msg. */
static int exchange(struct shr *s, const struct pfsim_req *q, const void *body, size_t len,
		    struct pfsim_resp *r, int fds[2])
{
	struct iovec out[2] = { { .iov_base = (void *)q, .iov_len = sizeof(*q) },
				{ .iov_base = (void *)body, .iov_len = len } };
	struct msghdr sm = { .msg_iov = out, .msg_iovlen = len ? 2 : 1 };
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	ssize_t n;
	int err, closed, tries;

	if (s->dead) {
		lost(s);
		return -1;
	}
	pthread_mutex_lock(&s->call_lock);
	n = sendmsg(s->sock, &sm, MSG_NOSIGNAL);
	if (n == (ssize_t)(sizeof(*q) + len))
		n = recvmsg(s->sock, &m, MSG_CMSG_CLOEXEC);
	else if (n >= 0)
		errno = EPIPE;
	/* pfsim closed: a refusal it sent first may still wait behind the
	 * ECONNRESET its close left (reported once, before queued messages) */
	for (closed = 0, tries = 0; n < 0 && (errno == EPIPE || errno == ECONNRESET) && tries < 2;
	     tries++) {
		closed = 1;
		n = recvmsg(s->sock, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	}
	err = errno;
	pthread_mutex_unlock(&s->call_lock);
	if (n != (ssize_t)sizeof(*r)) {
		if (n >= 0 || closed || err == ENOTCONN) {
			lost(s);
			return -1;
		}
		pf_api_message("%s: pfsim did not answer within %d s: %s", s->dev,
			       SHR_TIMEOUT_SEC, strerror(err));
		errno = err == EAGAIN || err == EWOULDBLOCK ? ETIMEDOUT : err;
		return -1;
	}
	cm = CMSG_FIRSTHDR(&m);
	if (fds && cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(2 * sizeof(int)))
		memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
	else if (cm && cm->cmsg_type == SCM_RIGHTS) {
		int got[2];

		memcpy(got, CMSG_DATA(cm), sizeof(got));  /* unexpected: close them */
		close(got[0]);
		close(got[1]);
	}
	r->msg[sizeof(r->msg) - 1] = '\0';
	if (r->data_len > sizeof(r->data))
		r->data_len = 0;
	return 0;
}

static int call(struct shr *s, uint32_t op, int32_t a, uint32_t b, uint32_t c,
		struct pfsim_resp *r, int fds[2])
{
	struct pfsim_req q = { PFSIM_MAGIC, PFSIM_VERSION, op, a, b, c };

	if (exchange(s, &q, NULL, 0, r, fds))
		return PF_RING_ERROR_GENERIC;
	if (r->rc < 0 && r->msg[0])
		pf_api_message("%s", r->msg);
	if (r->rc < 0)
		errno = resp_errno(r);
	return r->rc;
}

static int do_call(pfring *ring, uint32_t op, int32_t a, uint32_t b)
{
	struct pfsim_resp r;

	return call(shr_of(ring), op, a, b, 0, &r, NULL);
}

static void shr_free(struct shr *s)
{
	if (s->mem)
		munmap(s->mem, s->size);
	if (s->efd >= 0)
		close(s->efd);
	if (s->sock >= 0)
		close(s->sock);
	pthread_mutex_destroy(&s->call_lock);
	free(s);
}

/* 0, or an errno after a message: ENODEV (no pfsim to reach), EACCES (its
 * folder or its uid is not to be trusted: backends/sim/shared_proto.h, "Who may talk"). */
static int connect_to(struct shr *s, const char *name, const char *full)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = SHR_TIMEOUT_SEC };
	char dir[PFSIM_PATH_LEN], path[PFSIM_PATH_LEN], why[PFSIM_PATH_LEN + 160];

	if (pfsim_socket_dir(NULL, dir, sizeof(dir)) ||
	    pfsim_socket_path(NULL, name, path, sizeof(path)) || strlen(path) >= sizeof(a.sun_path))
		return ENODEV;
	if (pfsim_dir_check(dir, 0, why, sizeof(why))) {
		pf_api_message("pfring_open(\"%s\"): %s", full, why);
		return EACCES;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	s->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s->sock < 0 ||
	    setsockopt(s->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(s->sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(s->sock, (struct sockaddr *)&a, sizeof(a)) < 0) {
		pf_api_message("pfring_open(\"%s\"): cannot reach pfsim on %s: %s", full, path,
			       strerror(errno));
		return ENODEV;
	}
	if (pfsim_peer_check(s->sock, why, sizeof(why))) {
		pf_api_message("pfring_open(\"%s\"): the pfsim on %s is refused: %s", full, path,
			       why);
		return EACCES;
	}
	return 0;
}

int sim_shared_open(pfring *ring, const struct sim_name *n)
{
	struct shr *s = calloc(1, sizeof(*s));
	int queue = n->queue, fds[2] = { -1, -1 }, rc;
	char err[256];

	if (s == NULL)
		return PF_RING_ERROR_GENERIC;
	s->sock = s->efd = -1;
	s->dev = ring->device_name;
	pthread_mutex_init(&s->call_lock, NULL);
	rc = connect_to(s, n->nic, ring->device_name);
	if (rc) {
		shr_free(s);
		errno = rc;
		return rc == ENODEV ? PF_RING_ERROR_UNKNOWN_ADAPTER : PF_RING_ERROR_GENERIC;
	}
	rc = call(s, PFSIM_OPEN, queue, ring->caplen, ring->flags, &s->info, fds);  /* errno */
	if (rc == 0 && (fds[0] < 0 || fds[1] < 0)) {
		rc = PF_RING_ERROR_GENERIC;
		errno = EIO;
	}
	s->efd = fds[1];
	if (rc == 0) {
		s->size = s->info.region_size;
		s->mem = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
		if (s->mem == MAP_FAILED) {
			s->mem = NULL;
			rc = PF_RING_ERROR_GENERIC;
		} else if (pf_ring_attach(&s->cons, s->mem, s->size, err, sizeof(err)) < 0) {
			pf_api_message("pfring_open(\"%s\"): pfsim's ring: %s", ring->device_name, err);
			rc = PF_RING_ERROR_GENERIC;
			errno = EIO;
		}
	}
	if (fds[0] >= 0)
		close(fds[0]);
	if (rc < 0) {
		int e = errno;

		shr_free(s);
		errno = e;
		return rc;
	}
	ring->priv_data = s;
	ring->fd = s->efd;
	ring->device_id = (int)s->info.ifindex;
	return 0;
}

/* CLOSE tells pfsim this is no death (it logs none); no answer is awaited, and
 * no lock taken: pfring_close may run in a signal handler. */
static void shr_close(pfring *ring)
{
	struct pfsim_req q = { PFSIM_MAGIC, PFSIM_VERSION, PFSIM_CLOSE, 0, 0, 0 };

	if (ring->priv_data && !shr_of(ring)->dead)
		(void)!send(shr_of(ring)->sock, &q, sizeof(q), MSG_DONTWAIT | MSG_NOSIGNAL);
	if (ring->priv_data)
		shr_free(shr_of(ring));
	ring->priv_data = NULL;
	ring->fd = -1;
}

static int take(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr)
{
	int rc = pf_ring_read(ring, &shr_of(ring)->cons, ring->long_header, buffer, buffer_len,
			      hdr, NULL);

	return rc < 0 ? PF_RING_ERROR_GENERIC : rc;
}

/* Sleep until pfsim signals, hangs up, or ms pass. The socket is watched for
 * hang-up only: a response to another thread's request is not ours. */
static void sleep_on(struct shr *s, int ms)
{
	struct pollfd p[2] = { { .fd = s->efd, .events = POLLIN },
			       { .fd = s->sock, .events = 0 } };
	uint64_t v, one = 1;

	if (poll(p, 2, ms) > 0 && (p[1].revents & (POLLHUP | POLLERR)))
		s->dead = 1;
	if (p[0].revents & POLLIN) {
		(void)!read(s->efd, &v, sizeof(v));
		/* The selectable fd stays readable while frames wait, as a packet
		 * socket does: a program that select()s on it and reads one frame
		 * per wake-up (dumpcap) would else wait for ever on the rest of a
		 * batch whose signal this read consumed. */
		if (pf_ring_cons_queued(&s->cons) > 0)
			(void)!write(s->efd, &one, sizeof(one));
	}
}

/* An empty ring: every frame pfsim published is read first, then its death is
 * an error (the ring is read again after the hang-up is seen: frames
 * published just before it are not lost). */
static int shr_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		    struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct shr *s = shr_of(ring);
	int rc;

	for (;;) {
		rc = take(ring, buffer, buffer_len, hdr);
		if (rc != 0)
			return rc;
		if (server_gone(s)) {
			rc = take(ring, buffer, buffer_len, hdr);
			return rc != 0 ? rc : lost(s);
		}
		if (!wait || pf_break_requested(ring))
			return 0;
		pf_ring_release(&s->cons);
		sleep_on(s, ring->poll_duration ? ring->poll_duration : 1000);
		if (pf_break_requested(ring))
			return 0;
	}
}

/* pfring_shutdown / pfring_close: wake the ring's sleepers as pfsim's signal
 * does (they see the break flag or is_shutting_down). */
static void shr_shutdown(pfring *ring)
{
	uint64_t one = 1;

	(void)!write(shr_of(ring)->efd, &one, sizeof(one));
}

static int shr_poll(pfring *ring, u_int wait_duration)
{
	struct shr *s = shr_of(ring);

	pf_ring_release(&s->cons);
	if (pf_ring_cons_queued(&s->cons) == 0 && !server_gone(s) && !pf_shutting_down(ring))
		sleep_on(s, (int)wait_duration);
	if (pf_ring_cons_queued(&s->cons) > 0)
		return 1;
	return server_gone(s) ? lost(s) : 0;
}

static int shr_is_pkt_available(pfring *ring)
{
	return pf_ring_cons_queued(&shr_of(ring)->cons) > 0;
}

static u_int32_t shr_get_num_queued_pkts(pfring *ring)
{
	u64 q = pf_ring_cons_queued(&shr_of(ring)->cons);

	return q > UINT32_MAX ? UINT32_MAX : (u_int32_t)q;
}

static int shr_enable_ring(pfring *ring)
{
	return do_call(ring, PFSIM_ENABLE, 0, 0);
}

static int shr_disable_ring(pfring *ring)
{
	return do_call(ring, PFSIM_DISABLE, 0, 0);
}

/* From the shared ring, where pfsim counts relayed frames and mirrors the host
 * ring's drops: no lock, no request (backends/sim/shared_proto.h, "Stats"). */
static int shr_stats(pfring *ring, pfring_stat *stats)
{
	struct pf_ring_stats s;

	pf_ring_cons_stats(&shr_of(ring)->cons, &s);
	stats->recv = s.inserted;
	stats->drop = s.dropped_full;
	return 0;
}

static int shr_set_cluster(pfring *ring, u_int cluster_id, cluster_type type)
{
	return do_call(ring, PFSIM_SET_CLUSTER, (int32_t)cluster_id, (uint32_t)type);
}

static int shr_remove_from_cluster(pfring *ring)
{
	return do_call(ring, PFSIM_REMOVE_FROM_CLUSTER, 0, 0);
}

static int shr_set_direction(pfring *ring, packet_direction d)
{
	return do_call(ring, PFSIM_SET_DIRECTION, (int32_t)d, 0);
}

static int shr_set_socket_mode(pfring *ring, socket_mode mode)
{
	return do_call(ring, PFSIM_SET_SOCKET_MODE, (int32_t)mode, 0);
}

static int shr_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	return do_call(ring, PFSIM_SET_SAMPLING, (int32_t)rate, 0);
}

/* ------------------------------------------------ filtering (spec 8.9 - 8.12) */

/* A filtering request: 0 and core's result (not mapped) in *core_rc, or -1
 * when pfsim did not answer. */
static int filter_call(pfring *ring, uint32_t op, int32_t a, uint32_t b, const void *body,
		       size_t len, struct pfsim_resp *r, int *core_rc)
{
	struct pfsim_req q = { PFSIM_MAGIC, PFSIM_VERSION, op, a, b, 0 };

	if (exchange(shr_of(ring), &q, body, len, r, NULL))
		return -1;
	*core_rc = r->rc;
	return 0;
}

/* Ops whose only result is core's code. */
static int filter_simple(pfring *ring, uint32_t op, int32_t a)
{
	struct pfsim_resp r;
	int rc;

	if (filter_call(ring, op, a, 0, NULL, 0, &r, &rc))
		return PF_RING_ERROR_GENERIC;
	return pfring_error_from_core(rc);
}

static int shr_add_filtering_rule(pfring *ring, filtering_rule *rule)
{
	struct pfsim_resp r;
	int rc;

	if (filter_call(ring, PFSIM_ADD_RULE, 0, 0, rule, sizeof(*rule), &r, &rc))
		return PF_RING_ERROR_GENERIC;
	pf_ops_explain_rule(rc, rule, ring->device_name);
	return pfring_error_from_core(rc);
}

static int shr_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	return filter_simple(ring, PFSIM_REMOVE_RULE, rule_id);
}

/* Copy a stats answer into the caller's buffer. */
static int stats_out(const struct pfsim_resp *r, int rc, char *stats, u_int *stats_len)
{
	if (rc == 0) {
		if (r->data_len > *stats_len)
			return PF_RING_ERROR_GENERIC;
		memcpy(stats, r->data, r->data_len);
		*stats_len = r->data_len;
	}
	return pfring_error_from_core(rc);
}

static int shr_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id, char *stats,
					u_int *stats_len)
{
	uint32_t want = *stats_len < PFSIM_STATS_MAX ? *stats_len : PFSIM_STATS_MAX;
	struct pfsim_resp r;
	int rc;

	if (filter_call(ring, PFSIM_RULE_STATS, rule_id, want, NULL, 0, &r, &rc))
		return PF_RING_ERROR_GENERIC;
	return stats_out(&r, rc, stats, stats_len);
}

static int shr_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec)
{
	return filter_simple(ring, PFSIM_PURGE_IDLE, inactivity_sec);
}

static int shr_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
					  u_char add_rule)
{
	struct pfsim_resp r;
	int rc;

	if (filter_call(ring, PFSIM_HASH_RULE, add_rule != 0, 0, rule, sizeof(*rule), &r, &rc))
		return PF_RING_ERROR_GENERIC;
	pf_ops_explain_hash_rule(rc, ring->device_name, r.capacity);
	return pfring_error_from_core(rc);
}

static int shr_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					     char *stats, u_int *stats_len)
{
	uint32_t want = *stats_len < PFSIM_STATS_MAX ? *stats_len : PFSIM_STATS_MAX;
	struct pfsim_resp r;
	int rc;

	if (filter_call(ring, PFSIM_HASH_RULE_STATS, 0, want, rule, sizeof(*rule), &r, &rc))
		return PF_RING_ERROR_GENERIC;
	return stats_out(&r, rc, stats, stats_len);
}

static int shr_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec)
{
	return filter_simple(ring, PFSIM_PURGE_IDLE_HASH, inactivity_sec);
}

/* Checked by pfsim's core. */
static int shr_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			       const char *what)
{
	struct pfsim_resp r;
	int rc;

	if (filter_call(ring, PFSIM_SET_BPF, 0, n, insns, n * sizeof(*insns), &r, &rc))
		return PF_RING_ERROR_GENERIC;
	pf_ops_explain_bpf(rc, what, r.msg);
	return pfring_error_from_core(rc);
}

static int shr_remove_bpf_filter(pfring *ring)
{
	return filter_simple(ring, PFSIM_REMOVE_BPF, 0);
}

static int shr_toggle_filtering_policy(pfring *ring, u_int8_t default_accept)
{
	return filter_simple(ring, PFSIM_TOGGLE_POLICY, default_accept != 0);
}

static u_int8_t shr_get_num_rx_channels(pfring *ring)
{
	u32 n = shr_of(ring)->info.num_queues;

	return n > 255 ? 255 : (u_int8_t)n;
}

static int shr_get_bound_device_address(pfring *ring, u_char mac[6])
{
	memcpy(mac, shr_of(ring)->info.mac, 6);
	return 0;
}

static int shr_get_bound_device_ifindex(pfring *ring, int *if_index)
{
	*if_index = (int)shr_of(ring)->info.ifindex;
	return 0;
}

const struct pfring_backend pfring_sim_shared_backend = {
	.name = "sim (pfsim)",
	.prefix = "sim:",
	.close = shr_close,
	.shutdown = shr_shutdown,
	.recv = shr_recv,
	.is_pkt_available = shr_is_pkt_available,
	.get_num_queued_pkts = shr_get_num_queued_pkts,
	.poll = shr_poll,
	.set_cluster = shr_set_cluster,
	.remove_from_cluster = shr_remove_from_cluster,
	.set_direction = shr_set_direction,
	.set_socket_mode = shr_set_socket_mode,
	.set_sampling_rate = shr_set_sampling_rate,
	.enable_ring = shr_enable_ring,
	.disable_ring = shr_disable_ring,
	.stats = shr_stats,
	.get_bound_device_address = shr_get_bound_device_address,
	.get_bound_device_id = shr_get_bound_device_ifindex,
	.get_bound_device_ifindex = shr_get_bound_device_ifindex,
	.get_num_rx_channels = shr_get_num_rx_channels,
	.add_filtering_rule = shr_add_filtering_rule,
	.remove_filtering_rule = shr_remove_filtering_rule,
	.get_filtering_rule_stats = shr_get_filtering_rule_stats,
	.purge_idle_rules = shr_purge_idle_rules,
	.handle_hash_filtering_rule = shr_handle_hash_filtering_rule,
	.get_hash_filtering_rule_stats = shr_get_hash_filtering_rule_stats,
	.purge_idle_hash_rules = shr_purge_idle_hash_rules,
	.set_bpf_filter = pf_ops_set_bpf_filter,
	.set_bpf_program = shr_set_bpf_program,
	.remove_bpf_filter = shr_remove_bpf_filter,
	.toggle_filtering_policy = shr_toggle_filtering_policy,
};
