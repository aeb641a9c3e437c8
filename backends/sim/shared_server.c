/*
 * backends/sim/shared_server.c - the pfsim server: serves named sim NICs to
 * other processes (design, protocol and decisions in backends/sim/shared_proto.h;
 * the daemon around it, options and signals, is tools/pfsim/daemon.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <pfring.h>
#include "core/ring.h"
#include "sim/nic.h"
#include "backends/sim/host.h"
#include "backends/sim/shared_proto.h"

#define PFSIM_RING_SLOTS 4096
/* One client's share of a round (backends/sim/shared_proto.h, "Fairness") */
#define PFSIM_RELAY_MAX  512      /* packets relayed */
#define PFSIM_PUMP_STEP  1024     /* frames one pump takes off the wire, at most */
#define PFSIM_PUMP_STEPS 16       /* pumps */
#define PFSIM_CLIENT_NS  2000000u /* 2 ms, checked after each pump */
#define MIB              (1024ull * 1024)

struct pfsim_client {
	int sock, efd, memfd;
	unsigned id;
	pfring *host;             /* the ring on the in-process host */
	void *mem;
	size_t size;
	struct pf_ring_prod prod; /* pfsim produces, the client consumes */
	uint32_t caplen;
	uint8_t enabled, long_header;
	uint8_t closed;           /* sent CLOSE: a normal end, no reclaim logged */
	uint8_t source_failed;    /* its NIC's capture failed: ended once all is relayed */
	uint64_t bytes;           /* memory charged for its two rings */
	uint64_t relayed;
	uint64_t drops_mirrored;  /* host ring drops counted on the shared ring so far */
};

struct pfsim;

struct pfsim_nic {
	struct pfsim *srv;
	char name[SIM_NAME_LEN];
	char path[PFSIM_PATH_LEN];
	const char *opts;
	int lsock;
	int lock_fd;              /* flock held on path.lock while serving */
	dev_t sock_dev;           /* the socket it bound, to remove only its own */
	ino_t sock_ino;
	pfring *keeper;           /* holds the NIC for as long as pfsim runs */
	struct pfsim_client *c[PFSIM_MAX_CLIENTS];
	unsigned n, next_id, enabled_ever;
};

struct pfsim {
	struct pfsim_nic nic[PFSIM_MAX_NICS];
	unsigned n, hold;
	int verbose;                  /* -v: log every close */
	uint64_t ring_limit;          /* -M: bytes one client may cost */
	uint64_t total_limit;         /* -m: bytes all clients may cost */
	uint64_t mem_used;            /* charged to the clients now */
	char dir[PFSIM_PATH_LEN];     /* the socket folder */
	volatile sig_atomic_t *stop;  /* set by the daemon's signal handler */
};

/* ------------------------------------------------------------ clients */

static void client_free(struct pfsim_nic *nic, struct pfsim_client *c)
{
	nic->srv->mem_used -= c->bytes;
	if (c->host)
		pfring_close(c->host);
	if (c->mem)
		munmap(c->mem, c->size);
	if (c->memfd >= 0)
		close(c->memfd);
	if (c->efd >= 0)
		close(c->efd);
	close(c->sock);
	free(c);
}

static void client_gone(struct pfsim_nic *nic, unsigned i)
{
	struct pfsim_client *c = nic->c[i];
	pfring_stat st = { 0, 0 };

	if (c->host)
		pfring_stats(c->host, &st);
	if (c->host && (!c->closed || nic->srv->verbose))   /* a refused OPEN: no ring */
		fprintf(stderr, "pfsim: %s: ring %u %s (offered %llu, relayed %llu)\n",
			nic->name, c->id, c->closed ? "closed, reclaimed" : "lost, reclaimed",
			(unsigned long long)(st.recv + st.drop), (unsigned long long)c->relayed);
	client_free(nic, c);
	nic->c[i] = nic->c[--nic->n];
}

static int send_resp(struct pfsim_client *c, const struct pfsim_resp *r, int fd1, int fd2)
{
	struct iovec iov = { .iov_base = (void *)r, .iov_len = sizeof(*r) };
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	int fds[2] = { fd1, fd2 };

	if (fd1 >= 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(fds));
		memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	}
	return sendmsg(c->sock, &m, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(*r) ? 0 : -1;
}

static int shared_ring(struct pfsim_client *c, struct pfsim_resp *r)
{
	uint32_t layout = c->long_header ? PF_RING_LAYOUT_LONG_HDR : 0;

	c->size = pf_ring_layout_size((size_t)pf_ring_slot_bytes(layout, c->caplen) *
				      PFSIM_RING_SLOTS);
	c->memfd = memfd_create("pfsim-ring", MFD_CLOEXEC);
	if (c->size == 0 || c->memfd < 0 || ftruncate(c->memfd, (off_t)c->size) < 0) {
		snprintf(r->msg, sizeof(r->msg), "pfsim: cannot create a ring: %s",
			 strerror(errno));
		return -1;
	}
	c->mem = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->memfd, 0);
	if (c->mem == MAP_FAILED) {
		c->mem = NULL;
		snprintf(r->msg, sizeof(r->msg), "pfsim: mmap: %s", strerror(errno));
		return -1;
	}
	c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->efd < 0 || pf_ring_init(&c->prod, c->mem, c->size, layout) < 0) {
		snprintf(r->msg, sizeof(r->msg), "pfsim: cannot lay out the ring");
		return -1;
	}
	r->region_size = c->size;
	return 0;
}

/* Bytes a client costs: its shared ring and its host ring (backends/sim/host.c sizes
 * it the same way), 4096 slots of caplen each. */
static uint64_t client_cost(int long_header, uint32_t caplen)
{
	uint32_t layout = long_header ? PF_RING_LAYOUT_LONG_HDR : 0;
	size_t slot = pf_ring_slot_bytes(layout, caplen);

	return (uint64_t)pf_ring_layout_size(slot * PFSIM_RING_SLOTS) +
	       pf_ring_layout_size(slot * SIM_HOST_RING_SLOTS);
}

/* 0, or -1 with the refusal in r when c's rings would pass a limit. */
static int charge(struct pfsim_nic *nic, struct pfsim_client *c, struct pfsim_resp *r)
{
	struct pfsim *s = nic->srv;
	uint64_t cost = client_cost(c->long_header, c->caplen);

	r->rc = PF_RING_ERROR_NOT_ENOUGH_MEMORY;
	r->err_no = ENOMEM;
	if (cost > s->ring_limit) {
		snprintf(r->msg, sizeof(r->msg), "pfsim: %s: a ring of caplen %u needs %llu KiB, "
			 "over pfsim's limit of %llu MiB per ring (-M)", nic->name, c->caplen,
			 (unsigned long long)(cost >> 10), (unsigned long long)(s->ring_limit / MIB));
		return -1;
	}
	if (s->mem_used + cost > s->total_limit) {
		snprintf(r->msg, sizeof(r->msg), "pfsim: %s: a ring of caplen %u needs %llu KiB, "
			 "%llu KiB are in use: over pfsim's limit of %llu MiB in all (-m)",
			 nic->name, c->caplen, (unsigned long long)(cost >> 10),
			 (unsigned long long)(s->mem_used >> 10),
			 (unsigned long long)(s->total_limit / MIB));
		return -1;
	}
	r->rc = 0;
	r->err_no = 0;
	c->bytes = cost;
	s->mem_used += cost;
	return 0;
}

static void do_open(struct pfsim_nic *nic, struct pfsim_client *c, const struct pfsim_req *q,
		    struct pfsim_resp *r)
{
	char dev[64];
	uint32_t flags = q->c & (PF_RING_LONG_HEADER | PF_RING_HW_TIMESTAMP | PF_RING_PROMISC);
	int ifindex = 0;

	if (c->host) {
		r->rc = PF_RING_ERROR_INVALID_ARGUMENT;
		snprintf(r->msg, sizeof(r->msg), "pfsim: ring already open");
		return;
	}
	if (q->a >= 0)
		snprintf(dev, sizeof(dev), "sim:%s@%d", nic->name, q->a);
	else
		snprintf(dev, sizeof(dev), "sim:%s", nic->name);
	c->caplen = sim_slot_caplen(q->b ? q->b : 1);
	c->long_header = !!(flags & PF_RING_LONG_HEADER);
	if (charge(nic, c, r))
		return;
	c->host = pfring_open(dev, c->caplen, flags);
	if (c->host == NULL) {
		r->rc = errno == EINVAL ? PF_RING_ERROR_INVALID_ARGUMENT : PF_RING_ERROR_GENERIC;
		snprintf(r->msg, sizeof(r->msg), "pfsim: cannot open %s (%s)", dev,
			 strerror(errno));
		return;
	}
	c->caplen = c->host->caplen;
	if (shared_ring(c, r)) {
		r->rc = PF_RING_ERROR_GENERIC;
		return;
	}
	pfring_get_bound_device_ifindex(c->host, &ifindex);
	pfring_get_bound_device_address(c->host, r->mac);
	r->ifindex = (uint32_t)ifindex;
	r->num_queues = pfring_get_num_rx_channels(c->host);
}

/* The body size op needs (q->b instructions for SET_BPF); -1: bad count. */
static ssize_t body_size(const struct pfsim_req *q)
{
	switch (q->op) {
	case PFSIM_ADD_RULE:
		return sizeof(filtering_rule);
	case PFSIM_HASH_RULE:
	case PFSIM_HASH_RULE_STATS:
		return sizeof(hash_filtering_rule);
	case PFSIM_SET_BPF:
		if (q->b == 0 || q->b > PF_BPF_MAXINSNS)
			return -1;
		return (ssize_t)(q->b * sizeof(struct pf_bpf_insn));
	default:
		return 0;
	}
}

/* The client's bytes are not trusted: no pointer, strings terminated. */
static void sanitize(const struct pfsim_req *q, union pfsim_body *b)
{
	if (q->op == PFSIM_ADD_RULE) {
		memset(&b->rule.internals, 0, sizeof(b->rule.internals));
		b->rule.reflector_device_name[REFLECTOR_NAME_LEN - 1] = '\0';
	} else if (q->op == PFSIM_HASH_RULE || q->op == PFSIM_HASH_RULE_STATS) {
		memset(&b->hash_rule.internals, 0, sizeof(b->hash_rule.internals));
		b->hash_rule.reflector_device_name[REFLECTOR_NAME_LEN - 1] = '\0';
	}
}

/* A filtering request (backends/sim/shared_proto.h): core's result into r->rc. */
static void do_filter(struct pfsim_client *c, const struct pfsim_req *q,
		      union pfsim_body *b, struct pfsim_resp *r)
{
	struct pf_socket *sk = &sim_ring_of(c->host)->sock;
	u32 len = q->b < PFSIM_STATS_MAX ? q->b : PFSIM_STATS_MAX;
	char err[256] = "";

	switch (q->op) {
	case PFSIM_ADD_RULE:
		r->rc = pf_socket_add_rule(sk, &b->rule);
		break;
	case PFSIM_REMOVE_RULE:
		r->rc = pf_socket_remove_rule(sk, (u16)q->a);
		break;
	case PFSIM_RULE_STATS:
		r->rc = pf_socket_rule_stats(sk, (u16)q->a, r->data, &len);
		r->data_len = r->rc == 0 ? len : 0;
		break;
	case PFSIM_HASH_RULE:
		r->rc = pf_socket_hash_rule(sk, &b->hash_rule, q->a != 0);
		r->capacity = sk->precise_capacity;
		break;
	case PFSIM_HASH_RULE_STATS:
		r->rc = pf_socket_hash_rule_stats(sk, &b->hash_rule, r->data, &len);
		r->data_len = r->rc == 0 ? len : 0;
		break;
	case PFSIM_PURGE_IDLE:
		r->rc = pf_socket_purge_idle(sk, (u32)q->a);
		break;
	case PFSIM_PURGE_IDLE_HASH:
		r->rc = pf_socket_purge_idle_hash(sk, (u32)q->a);
		break;
	case PFSIM_SET_BPF:
		r->rc = pf_socket_set_bpf(sk, b->insns, q->b, err, sizeof(err));
		if (r->rc < 0)
			snprintf(r->msg, sizeof(r->msg), "%.*s", (int)sizeof(r->msg) - 1, err);
		break;
	case PFSIM_REMOVE_BPF:
		r->rc = pf_socket_remove_bpf(sk);
		break;
	case PFSIM_TOGGLE_POLICY:
		r->rc = pf_socket_set_policy(sk, q->a != 0);
		break;
	}
}

/* One request from c: 0, or -1 when c must go. */
static int client_request(struct pfsim_nic *nic, struct pfsim_client *c)
{
	static struct {
		struct pfsim_req q;
		union pfsim_body b;
	} m;                      /* pfsim serves one request at a time */
	struct pfsim_req q;
	struct pfsim_resp r;
	ssize_t n = recv(c->sock, &m, sizeof(m), MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < (ssize_t)sizeof(q) || m.q.magic != PFSIM_MAGIC || m.q.version != PFSIM_VERSION)
		return -1;
	q = m.q;
	if (body_size(&q) < 0 || n != (ssize_t)sizeof(q) + body_size(&q))
		return -1;
	sanitize(&q, &m.b);
	memset(&r, 0, sizeof(r));
	if (q.op == PFSIM_CLOSE) {
		c->closed = 1;
		return -1;
	}
	if (q.op != PFSIM_OPEN && c->host == NULL) {
		r.rc = PF_RING_ERROR_INVALID_ARGUMENT;
		snprintf(r.msg, sizeof(r.msg), "pfsim: no ring open");
		return send_resp(c, &r, -1, -1);
	}
	switch (q.op) {
	case PFSIM_OPEN:
		do_open(nic, c, &q, &r);
		if (r.rc == 0)
			return send_resp(c, &r, c->memfd, c->efd);
		break;
	case PFSIM_ENABLE:
		r.rc = pfring_enable_ring(c->host);
		if (r.rc == 0 && !c->enabled) {
			c->enabled = 1;
			nic->enabled_ever++;
		}
		break;
	case PFSIM_DISABLE:
		c->enabled = 0;
		r.rc = pfring_disable_ring(c->host);
		break;
	case PFSIM_SET_CLUSTER:
		r.rc = pfring_set_cluster(c->host, (u_int)q.a, (cluster_type)q.b);
		break;
	case PFSIM_REMOVE_FROM_CLUSTER:
		r.rc = pfring_remove_from_cluster(c->host);
		break;
	case PFSIM_SET_DIRECTION:
		r.rc = pfring_set_direction(c->host, (packet_direction)q.a);
		break;
	case PFSIM_SET_SOCKET_MODE:
		r.rc = pfring_set_socket_mode(c->host, (socket_mode)q.a);
		break;
	case PFSIM_SET_SAMPLING:
		r.rc = pfring_set_sampling_rate(c->host, (u_int32_t)q.a);
		break;
	default:
		if (q.op >= PFSIM_ADD_RULE && q.op <= PFSIM_TOGGLE_POLICY) {
			do_filter(c, &q, &m.b, &r);
			break;
		}
		r.rc = PF_RING_ERROR_NOT_SUPPORTED;
		snprintf(r.msg, sizeof(r.msg), "pfsim: unknown request %u", q.op);
	}
	return send_resp(c, &r, -1, -1);
}

/* Answer a connection's first request with why it is refused, and close it. */
static void refuse(int sock, int rc, int err_no, const char *msg)
{
	struct pfsim_resp r;

	memset(&r, 0, sizeof(r));
	r.rc = rc;
	r.err_no = err_no;
	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	fprintf(stderr, "%s\n", msg);
	(void)!send(sock, &r, sizeof(r), MSG_DONTWAIT | MSG_NOSIGNAL);
	close(sock);
}

static void client_accept(struct pfsim_nic *nic)
{
	struct pfsim_client *c;
	char why[128], msg[sizeof(((struct pfsim_resp *)0)->msg)];
	int s = accept4(nic->lsock, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (s < 0)
		return;
	if (pfsim_peer_check(s, why, sizeof(why))) {
		snprintf(msg, sizeof(msg), "pfsim: %s: connection refused: %s", nic->name, why);
		refuse(s, PF_RING_ERROR_GENERIC, EACCES, msg);
		return;
	}
	if (nic->n >= PFSIM_MAX_CLIENTS || (c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(msg, sizeof(msg), "pfsim: %s: %u rings already, connection refused",
			 nic->name, nic->n);
		refuse(s, PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM, msg);
		return;
	}
	c->sock = s;
	c->efd = c->memfd = -1;
	c->id = nic->next_id++;
	nic->c[nic->n++] = c;
}

/* ------------------------------------------------------------ the wire */

/*
 * The host ring's drops, counted again on the shared ring's producer page, so
 * that the client reads its stats from memory without asking pfsim:
 * pfring_stats must not block or take a lock (5.4.6 programs call it from
 * SIGALRM handlers that may interrupt their own recv).
 */
static void mirror_drops(struct pfsim_client *c)
{
	pfring_stat st;

	if (c->host && pfring_stats(c->host, &st) == 0 && st.drop > c->drops_mirrored) {
		pf_ring_drop(&c->prod, (u32)(st.drop - c->drops_mirrored));
		c->drops_mirrored = st.drop;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Move packets from c's host ring into its shared ring while it has room. The
 * host ring did the accounting (inserted, dropped, refused): a frame it holds is
 * never lost here. The shared ring is sized for PFSIM_RING_SLOTS frames of the
 * client's caplen, so a reserve of caplen is never refused; a full one waits.
 * The host ring is pumped here, bounded (backends/sim/shared_proto.h, "Fairness"), and
 * read only while it has packets (an empty one would pump unbounded); *more:
 * the budget ran out with the wire still going.
 */
static unsigned relay(struct pfsim_client *c, int *more)
{
	struct sim_ring *hr = sim_ring_of(c->host);
	uint64_t end = mono_ns() + PFSIM_CLIENT_NS, wait_ns;
	struct pfring_pkthdr hdr;
	unsigned moved = 0, pumps = 0;
	enum sim_pump_state st;
	u_char *dst;

	while (moved < PFSIM_RELAY_MAX) {
		if (pf_ring_reserve(&c->prod, c->caplen, &dst) < 0)
			break;
		if (pf_ring_cons_queued(&hr->cons) == 0) {
			if (pumps == PFSIM_PUMP_STEPS || mono_ns() >= end) {
				*more = 1;
				break;
			}
			pumps++;
			pf_ring_release(&hr->cons);
			st = sim_host_pump_max(hr, PFSIM_PUMP_STEP, &wait_ns);
			if (st == SIM_PUMP_ERROR)
				c->source_failed = 1;
			if (st != SIM_PUMP_MORE && pf_ring_cons_queued(&hr->cons) == 0)
				break;
			continue;
		}
		if (pfring_recv(c->host, &dst, c->caplen, &hdr, 0) != 1)
			break;
		if (pf_ring_commit(&c->prod, hdr.caplen, hdr.len, hdr.extended_hdr.timestamp_ns,
				   c->long_header ? &hdr.extended_hdr : NULL) < 0)
			break;
		moved++;
	}
	if (moved == PFSIM_RELAY_MAX)
		*more = 1;
	mirror_drops(c);     /* before the publish: a frame read comes with its drops */
	if (moved) {
		uint64_t one = 1;

		pf_ring_publish(&c->prod);
		c->relayed += moved;
		if (write(c->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			perror("pfsim: eventfd");
	}
	return moved;
}

/*
 * A client whose NIC's capture failed (a corrupt record) and whose frames are
 * all in its shared ring gets pfsim's last word, the reason with errno EIO,
 * and is hung up: it reads its frames, then recv and poll return that error
 * (backends/sim/sim_shared.c, last_word). 1 if nic->c[j] was ended.
 */
static int source_ended(struct pfsim_nic *nic, unsigned j)
{
	struct pfsim_client *c = nic->c[j];
	struct sim_ring *hr = sim_ring_of(c->host);
	const char *why = sim_nic_source_error(sim_host_nic(hr));
	struct pfsim_resp r;

	if (!c->source_failed || pf_ring_cons_queued(&hr->cons) > 0)
		return 0;
	memset(&r, 0, sizeof(r));
	r.rc = PF_RING_ERROR_GENERIC;
	r.err_no = EIO;
	snprintf(r.msg, sizeof(r.msg), "pfsim: sim:%s: the capture failed, no more frames: %.*s",
		 nic->name, 160, why ? why : "(no reason kept)");
	(void)!send(c->sock, &r, sizeof(r), MSG_DONTWAIT | MSG_NOSIGNAL);
	c->closed = 1;            /* an end pfsim chose: not a death to report */
	client_gone(nic, j);
	return 1;
}

/* One round: moves what it can; *active: some ring is enabled (the wire may go
 * on); *more: a client's budget ran out (go on at once). Stops on a signal. */
static unsigned relay_all(struct pfsim *s, int *active, int *more)
{
	unsigned i, j, moved = 0;

	*active = *more = 0;
	for (i = 0; i < s->n; i++) {
		struct pfsim_nic *nic = &s->nic[i];

		if (nic->enabled_ever < s->hold)
			continue;
		for (j = 0; j < nic->n && !*s->stop; j++) {
			if (nic->c[j]->enabled && nic->c[j]->mem) {
				*active = 1;
				moved += relay(nic->c[j], more);
				if (source_ended(nic, j))
					j--;    /* nic->c[j] is another client now */
			} else if (nic->c[j]->mem) {
				mirror_drops(nic->c[j]);  /* a late cluster member drops too */
			}
		}
	}
	return moved;
}

static void serve_sockets(struct pfsim *s, int timeout_ms)
{
	struct pollfd p[PFSIM_MAX_NICS * (PFSIM_MAX_CLIENTS + 1)];
	unsigned i, j, k = 0;

	for (i = 0; i < s->n; i++) {
		p[k++] = (struct pollfd){ .fd = s->nic[i].lsock, .events = POLLIN };
		for (j = 0; j < s->nic[i].n; j++)
			p[k++] = (struct pollfd){ .fd = s->nic[i].c[j]->sock, .events = POLLIN };
	}
	if (poll(p, k, timeout_ms) <= 0)
		return;
	for (i = 0, k = 0; i < s->n; i++) {
		struct pfsim_nic *nic = &s->nic[i];
		unsigned n = nic->n;
		short lrev = p[k++].revents;

		/* backwards: client_gone moves the last client into the hole */
		for (j = n; j-- > 0;) {
			short rev = p[k + j].revents;

			if ((rev & POLLIN) && client_request(nic, nic->c[j]) == 0)
				continue;
			if (rev & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
				client_gone(nic, j);
		}
		k += n;
		if (lrev & POLLIN)
			client_accept(nic);
	}
}

/* ------------------------------------------------------------ setup */

/*
 * Hold path.lock (flock) while serving NAME: -1 with a message when another
 * pfsim holds it. The file is unlinked on exit; a lock taken on a file another
 * pfsim unlinked meanwhile (no longer at the path) is taken again.
 */
static int nic_lock(struct pfsim_nic *nic)
{
	char lock[PFSIM_PATH_LEN + 8];
	struct stat fst, pst;

	pfsim_lock_path(nic->path, lock, sizeof(lock)); /* fits: path < PFSIM_PATH_LEN */
	for (;;) {
		nic->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (nic->lock_fd < 0) {
			fprintf(stderr, "pfsim: %s: %s\n", lock, strerror(errno));
			return -1;
		}
		if (flock(nic->lock_fd, LOCK_EX | LOCK_NB) < 0) {
			close(nic->lock_fd);
			nic->lock_fd = -1;   /* not ours: nic_stop leaves the file */
			fprintf(stderr, "pfsim: sim:%s is already served by another pfsim on %s "
				"(it holds %s): not starting a second one\n", nic->name, nic->path,
				lock);
			return -1;
		}
		if (fstat(nic->lock_fd, &fst) == 0 && stat(lock, &pst) == 0 &&
		    fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
			return 0;
		close(nic->lock_fd);
	}
}

static int nic_listen(struct pfsim_nic *nic, const char *dir)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char tmp[PFSIM_PATH_LEN + 8];
	struct stat st;

	if (pfsim_socket_path(dir, nic->name, nic->path, sizeof(nic->path)) ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", nic->path) >= (int)sizeof(a.sun_path)) {
		fprintf(stderr, "pfsim: socket path for %s too long\n", nic->name);
		return -1;
	}
	if (nic_lock(nic))
		return -1;
	nic->lsock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (nic->lsock < 0)
		return -1;
	memcpy(a.sun_path, tmp, strlen(tmp) + 1);
	unlink(tmp);
	/* listen first, then rename: a client never finds a socket not listening
	 * (a path left by a dead pfsim is replaced: we hold the lock) */
	if (bind(nic->lsock, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(nic->lsock, 64) < 0 || stat(tmp, &st) < 0 || rename(tmp, nic->path) < 0) {
		fprintf(stderr, "pfsim: %s: %s\n", nic->path, strerror(errno));
		unlink(tmp);
		close(nic->lsock);
		nic->lsock = -1;
		return -1;
	}
	nic->sock_dev = st.st_dev;
	nic->sock_ino = st.st_ino;
	return 0;
}

static int nic_start(struct pfsim_nic *nic, const char *dir)
{
	char dev[SIM_NAME_LEN + 600];

	snprintf(dev, sizeof(dev), "sim:%s?%s", nic->name, nic->opts);
	nic->keeper = pfring_open(dev, 128, 0);
	if (nic->keeper == NULL) {
		fprintf(stderr, "pfsim: cannot serve %s (%s)\n", dev, strerror(errno));
		return -1;
	}
	return nic_listen(nic, dir);
}

static void nic_stop(struct pfsim_nic *nic)
{
	char lock[PFSIM_PATH_LEN + 8];
	struct stat st;

	unsigned k;

	while (nic->n) {
		struct pfsim_client *c = nic->c[nic->n - 1];

		/* A CLOSE its process sent before pfsim was told to stop may still be
		 * queued: serve what is there (bounded), so a close is not reported
		 * as a death. */
		for (k = 0; k < 64 && !c->closed && client_request(nic, c) == 0; k++)
			;
		client_gone(nic, nic->n - 1);
	}
	if (nic->lsock >= 0) {
		close(nic->lsock);
		/* only the socket we bound: never one that replaced it */
		if (stat(nic->path, &st) == 0 && st.st_dev == nic->sock_dev &&
		    st.st_ino == nic->sock_ino)
			unlink(nic->path);
	}
	if (nic->lock_fd >= 0) {
		pfsim_lock_path(nic->path, lock, sizeof(lock));
		unlink(lock);       /* still ours: we hold it */
		close(nic->lock_fd);
	}
	if (nic->keeper)
		pfring_close(nic->keeper);
}

int pfsim_serve(const struct pfsim_config *cfg, volatile sig_atomic_t *stop)
{
	struct pfsim *s = calloc(1, sizeof(*s));
	unsigned i;
	int rc = 0;

	if (s == NULL || cfg->n > PFSIM_MAX_NICS) {
		free(s);
		return 1;
	}
	s->n = cfg->n;
	s->hold = cfg->hold;
	s->verbose = cfg->verbose;
	s->ring_limit = cfg->ring_limit;
	s->total_limit = cfg->total_limit;
	s->stop = stop;
	for (i = 0; i < s->n; i++) {
		s->nic[i].srv = s;
		s->nic[i].lsock = s->nic[i].lock_fd = -1;
		snprintf(s->nic[i].name, sizeof(s->nic[i].name), "%s", cfg->nic[i].name);
		s->nic[i].opts = cfg->nic[i].opts;
	}
	if (pfsim_socket_dir(cfg->dir, s->dir, sizeof(s->dir)) == 0) {
		char err[PFSIM_PATH_LEN + 160];

		if (pfsim_dir_check(s->dir, 1, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			rc = 1;
		}
	} else {
		fprintf(stderr, "pfsim: socket folder name too long\n");
		rc = 1;
	}
	for (i = 0; rc == 0 && i < s->n; i++)
		if (nic_start(&s->nic[i], s->dir))
			rc = 1;
	if (rc == 0) {
		for (i = 0; i < s->n; i++)
			fprintf(stderr, "pfsim: serving sim:%s on %s\n", s->nic[i].name,
				s->nic[i].path);
		while (!*stop) {
			int active, more;
			unsigned moved = relay_all(s, &active, &more);

			/* busy while moving; a 1 ms tick while rings wait (a reader
			 * freeing room does not wake pfsim); else only sockets */
			serve_sockets(s, moved || more ? 0 : active ? 1 : 100);
		}
	}
	for (i = 0; i < s->n; i++)      /* safe on a NIC never started */
		nic_stop(&s->nic[i]);
	free(s);
	return rc;
}
