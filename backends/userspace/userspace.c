/*
 * backends/userspace/userspace.c - the "userspace:" backend: a named ring that one
 * handle sends into and another handle reads, in the same process or across
 * processes of the same user.
 *
 *   userspace:usrN   (or plain usrN, which the front routes here)
 *
 * The ring lives in a POSIX shared-memory object "/pfring-usrN-<uid>" (so in
 * /dev/shm): one header page (below), then a core/ring.h SPSC ring of a 4 MiB
 * slot area with short headers, mmap'd MAP_SHARED by every process that opens
 * usrN. Whoever opens first creates it (O_CREAT|O_EXCL), sizes it and lays the
 * ring out, holding an flock() on the object meanwhile; the others take the
 * same flock, so they never see a half-made object (an empty one is retried,
 * for at most 2 s). The header's users[] lists the pids that have it open;
 * the last one to close (under the flock) marks it dead and shm_unlink()s it,
 * and an opener that finds a dead object opens again. A process that dies
 * without closing leaves the object behind: the next open drops dead pids
 * (kill(pid, 0) fails ESRCH) from users[] and from the roles, and the last
 * live user's close removes it. Frames queued in a ring survive as long as the
 * object does. Inside one process all handles on usrN share one mapping.
 *
 * Roles: one sender and one receiver per ring, over all processes. A handle
 * becomes the sender at its first pfring_send (or
 * pfring_set_socket_mode(send_only_mode)) and the receiver at its first
 * receive-side call (recv, poll, is_pkt_available, get_num_queued_pkts,
 * next_pkt_time, or set_socket_mode(recv_only_mode)); a role already held by
 * another handle, here or in another live process, is refused with
 * PF_RING_ERROR_WRONG_CONFIGURATION (errno EBUSY). Closing a handle gives its
 * roles back. The sender's producer state (struct pf_ring_prod) is private to
 * its process: it resumes at the ring's published insert_off when it takes the
 * role (pf_ring_resume), and the receiver attaches (pf_ring_attach) at the
 * ring's read offset, so a role moves between processes without loss.
 *
 * Lossless: pfring_send never drops. When the ring has no room it returns
 * PF_RING_ERROR_NO_TX_SLOT_AVAILABLE (errno EAGAIN) and the caller retries.
 * A frame bigger than the ring's largest slot is PF_RING_ERROR_INVALID_ARGUMENT
 * (errno EMSGSIZE). Timestamps are the sender's CLOCK_REALTIME at send.
 *
 * Blocking: a receiver with nothing to read sleeps on a futex in the shared
 * header (a shared futex works across processes) for at most poll_duration
 * msec; the sender bumps the futex word and wakes it after a publish when the
 * receiver says it is sleeping (a flag, with seq_cst fences on both sides, so
 * a wakeup is never lost).
 *
 * Selectable fd (pfring_get_selectable_fd, which takes the receiver role): a
 * futex cannot be polled and an eventfd cannot be found by another process,
 * so it is a Unix datagram socket the receiver binds to the abstract name
 * "\0pfring-usrN-<uid>". It is readable while a datagram waits in it. The
 * receiver arms notify_armed in the shared header when it finds the ring
 * empty (after draining the socket); a sender that publishes while it is
 * armed disarms it (compare-and-swap, so one datagram per arming) and sends
 * one byte there. Fences on both sides, and a re-check of the ring after
 * arming (the receiver then sends the byte itself), keep a frame from waiting
 * behind an unreadable fd; a byte that arrives after the ring was read empty
 * again makes one spurious wake-up, drained by the next recv.
 *
 * One file, longer than our usual: the shared header's fields (roles, futex
 * word, notify flag) are read and written by every part below, and their
 * ordering rules (the fences described above) are only checkable together.
 *
 * Not supported: a handle used in a child after fork (open it in the child),
 * more than US_MAX_USERS processes on one ring, filtering (rules, BPF,
 * sampling, direction, clusters), statistics of drops (there are none). A
 * recycled pid of a crashed holder keeps its role until that process exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/backend.h"
#include "lib/api_internal.h"
#include "lib/devname.h"
#include "core/ring.h"
#include "lib/ring_read.h"

#define US_SLOT_AREA   (4u << 20)
#define US_NAME_MAX    32
#define US_HDR_SIZE    4096u
#define US_MAGIC       0x70667573u      /* "pfus" */
#define US_MAX_USERS   64
#define US_OPEN_TRIES  2000             /* 1 ms apart */

/* Page 0 of the shared object. Every field is accessed atomically. */
struct us_shared {
	u32 magic;            /* US_MAGIC, stored last (release) by the creator */
	u32 dead;             /* set by the last closer before the unlink */
	s32 writer_pid;       /* the sender's process, 0 = none */
	s32 reader_pid;       /* the receiver's process, 0 = none */
	u32 wake_seq;         /* futex word: bumped to wake a sleeping receiver */
	u32 reader_sleeping;
	s32 users[US_MAX_USERS];  /* pids with the object open, 0 = free */
	u32 notify_armed;     /* the receiver's socket waits for a sender's byte */
};
_Static_assert(sizeof(struct us_shared) <= US_HDR_SIZE, "shared header fits its page");

struct us_chan {
	struct us_chan *next;
	char name[US_NAME_MAX];
	unsigned int refs;         /* handles of this process */
	pid_t owner;               /* the process whose channel this is */
	int fd;                    /* the shm object, for flock */
	void *map;
	size_t map_size;
	struct us_shared *sh;
	void *ring_mem;
	size_t ring_size;
	struct pf_ring_prod prod;  /* used by the writer only */
	struct pf_ring_cons cons;  /* used by the reader only */
	pfring *writer, *reader;   /* under chan_lock */
	u32 tx_pending;            /* writer: frames committed, not yet published */
	int notify_fd;             /* the reader's selectable fd (bound socket), -1 */
	int wake_fd;               /* the writer's socket that sends to it, -1 */
	struct sockaddr_un notify_addr;
	socklen_t notify_len;
};

static pthread_mutex_t chan_lock = PTHREAD_MUTEX_INITIALIZER;
static struct us_chan *channels;

static struct us_chan *us_chan_of(pfring *ring)
{
	return (struct us_chan *)ring->priv_data;
}

/* One ring usrN (^usr[0-9]+$): one member, the whole device, no options. */
static int names_one_ring(const struct pf_devname *dn)
{
	const char *name = dn->member[0].name;
	size_t i;

	if (dn->num_members != 1 || !dn->member[0].any_queue || dn->options ||
	    strncmp(name, "usr", 3) != 0 || name[3] == '\0')
		return 0;
	for (i = 3; name[i]; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

/* PF_RING 5.4.6 opened a plain "usrN" (no prefix) on this backend. */
static int us_claims(const struct pf_devname *dn)
{
	return dn->prefix[0] == '\0' && names_one_ring(dn);
}

/* ---------------------------------------------------- the shared object */

static void shm_name(const char *name, char *out, size_t len)
{
	snprintf(out, len, "/pfring-%s-%u", name, (unsigned int)getuid());
}

static int pid_alive(s32 pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH);
}

/* Under the flock: forget processes that died without closing. */
static void prune_dead(struct us_shared *sh)
{
	s32 *roles[2] = { &sh->writer_pid, &sh->reader_pid };
	s32 pid;
	int i;

	for (i = 0; i < US_MAX_USERS; i++) {
		pid = __atomic_load_n(&sh->users[i], __ATOMIC_RELAXED);
		if (pid && !pid_alive(pid))
			__atomic_store_n(&sh->users[i], 0, __ATOMIC_RELAXED);
	}
	for (i = 0; i < 2; i++) {
		pid = __atomic_load_n(roles[i], __ATOMIC_RELAXED);
		if (pid && !pid_alive(pid))
			__atomic_compare_exchange_n(roles[i], &pid, 0, 0, __ATOMIC_SEQ_CST,
						    __ATOMIC_RELAXED);
	}
}

/* Under the flock: put (pid) or take out (0, pid) one entry of users[]. */
static int users_swap(struct us_shared *sh, s32 from, s32 to)
{
	int i;

	for (i = 0; i < US_MAX_USERS; i++)
		if (__atomic_load_n(&sh->users[i], __ATOMIC_RELAXED) == from) {
			__atomic_store_n(&sh->users[i], to, __ATOMIC_RELAXED);
			return 0;
		}
	return -1;
}

static int users_none(struct us_shared *sh)
{
	int i;

	for (i = 0; i < US_MAX_USERS; i++)
		if (__atomic_load_n(&sh->users[i], __ATOMIC_RELAXED))
			return 0;
	return 1;
}

static void chan_unmap(struct us_chan *c)
{
	if (c->map)
		munmap(c->map, c->map_size);
	c->map = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int chan_map(struct us_chan *c)
{
	c->map = mmap(NULL, c->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		return -1;
	}
	c->sh = c->map;
	c->ring_mem = (u8 *)c->map + US_HDR_SIZE;
	return 0;
}

/* Created by us, flock held: size it and lay the ring out. */
static int shm_setup(struct us_chan *c)
{
	struct pf_ring_prod scratch;

	if (ftruncate(c->fd, (off_t)c->map_size) < 0 || chan_map(c) < 0)
		return -1;
	if (pf_ring_init(&scratch, c->ring_mem, c->ring_size, 0) < 0)
		return -1;
	__atomic_store_n(&c->sh->magic, US_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Opened, flock held: 1 when ready, 0 to retry (not sized yet, or dead),
 * -1 when it is no ring of ours.
 */
static int shm_check(struct us_chan *c)
{
	struct stat st;

	if (fstat(c->fd, &st) < 0)
		return -1;
	if (st.st_size == 0)
		return 0;
	errno = EPROTO;
	if ((size_t)st.st_size != c->map_size || chan_map(c) < 0)
		return -1;
	if (__atomic_load_n(&c->sh->dead, __ATOMIC_RELAXED))
		return 0;
	return __atomic_load_n(&c->sh->magic, __ATOMIC_ACQUIRE) == US_MAGIC ? 1 : -1;
}

/* One attempt: 1 joined, 0 retry, -1 failed (errno set). */
static int shm_try_join(struct us_chan *c, const char *path)
{
	int created = 1, rc;

	c->fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (c->fd < 0) {
		if (errno != EEXIST)
			return -1;
		created = 0;
		c->fd = shm_open(path, O_RDWR | O_CLOEXEC, 0600);
		if (c->fd < 0)
			return errno == ENOENT ? 0 : -1;
	}
	if (flock(c->fd, LOCK_EX) < 0)
		return -1;
	rc = created ? (shm_setup(c) < 0 ? -1 : 1) : shm_check(c);
	if (rc == 1) {
		prune_dead(c->sh);
		if (users_swap(c->sh, 0, (s32)getpid()) < 0) {
			errno = EUSERS;
			rc = -1;
		}
	}
	if (rc == -1 && created)
		shm_unlink(path);
	flock(c->fd, LOCK_UN);
	return rc;
}

static int shm_join(struct us_chan *c)
{
	char path[64];
	int i, rc = 0, err;

	shm_name(c->name, path, sizeof(path));
	c->ring_size = pf_ring_layout_size(US_SLOT_AREA);
	c->map_size = US_HDR_SIZE + c->ring_size;
	for (i = 0; i < US_OPEN_TRIES; i++) {
		rc = shm_try_join(c, path);
		if (rc == 1)
			return 0;
		chan_unmap(c);
		if (rc < 0)
			break;
		usleep(1000);
	}
	err = rc ? errno : ETIMEDOUT;
	pf_api_message("pfring: userspace:%s: cannot use shared memory %s: %s",
		       c->name, path, rc ? strerror(err) : "not initialised in time");
	errno = err;
	return -1;
}

/* The last handle of this process closes: leave, and remove the object when
 * no live process uses it any more. */
static void shm_leave(struct us_chan *c)
{
	char path[64];

	shm_name(c->name, path, sizeof(path));
	flock(c->fd, LOCK_EX);
	users_swap(c->sh, (s32)getpid(), 0);
	prune_dead(c->sh);
	if (users_none(c->sh)) {
		__atomic_store_n(&c->sh->dead, 1, __ATOMIC_RELAXED);
		shm_unlink(path);
	}
	flock(c->fd, LOCK_UN);
}

/* ------------------------------------------------------- channels */

static void chan_free(struct us_chan *c)
{
	if (c->wake_fd >= 0)
		close(c->wake_fd);
	chan_unmap(c);
	free(c);
}

static struct us_chan *chan_create(const char *name)
{
	struct us_chan *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	strcpy(c->name, name);
	c->fd = c->notify_fd = c->wake_fd = -1;
	c->owner = getpid();
	/* abstract: no file to remove, gone with the socket */
	c->notify_addr.sun_family = AF_UNIX;
	snprintf(c->notify_addr.sun_path + 1, sizeof(c->notify_addr.sun_path) - 1,
		 "pfring-%s-%u", name, (unsigned int)getuid());
	c->notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    strlen(c->notify_addr.sun_path + 1));
	if (shm_join(c) < 0) {
		chan_free(c);
		return NULL;
	}
	return c;
}

/* This process's channel called name, created if needed, with one more
 * reference. Channels inherited through fork belong to the parent. */
static struct us_chan *chan_get(const char *name)
{
	struct us_chan *c;
	pid_t me = getpid();

	pthread_mutex_lock(&chan_lock);
	for (c = channels; c; c = c->next)
		if (c->owner == me && strcmp(c->name, name) == 0)
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

static void publish_pending(struct us_chan *c);

/* Under chan_lock: ring gives up its roles. */
static void drop_roles(struct us_chan *c, pfring *ring)
{
	s32 me = (s32)getpid();

	if (c->writer == ring) {
		publish_pending(c);     /* what a TX watermark held back */
		__atomic_store_n(&c->writer, NULL, __ATOMIC_RELAXED);
		__atomic_compare_exchange_n(&c->sh->writer_pid, &me, 0, 0,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
		me = (s32)getpid();
	}
	if (c->reader == ring) {
		pf_ring_release(&c->cons);
		if (c->notify_fd >= 0) {
			__atomic_store_n(&c->sh->notify_armed, 0, __ATOMIC_SEQ_CST);
			close(c->notify_fd);
			c->notify_fd = -1;
			ring->fd = -1;
		}
		__atomic_store_n(&c->reader, NULL, __ATOMIC_RELAXED);
		__atomic_compare_exchange_n(&c->sh->reader_pid, &me, 0, 0,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	}
}

static void chan_put(struct us_chan *c, pfring *ring)
{
	struct us_chan **pp;
	int last, mine = c->owner == getpid();

	pthread_mutex_lock(&chan_lock);
	if (mine)
		drop_roles(c, ring);
	last = --c->refs == 0;
	if (last) {
		for (pp = &channels; *pp; pp = &(*pp)->next)
			if (*pp == c) {
				*pp = c->next;
				break;
			}
		if (mine)
			shm_leave(c);
	}
	pthread_mutex_unlock(&chan_lock);
	if (last)
		chan_free(c);
}

static int us_open(pfring *ring, const struct pf_devname *dn)
{
	struct us_chan *c;

	if (!names_one_ring(dn) || strlen(dn->member[0].name) >= US_NAME_MAX) {
		pf_api_message("pfring_open(%s): userspace: names one ring, usrN "
			       "(N decimal, no queue, no list)", PF_QUOTE(ring->device_name));
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	c = chan_get(dn->member[0].name); /* errno set by calloc or shm_join on failure */
	if (c == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, errno);
	ring->priv_data = c;
	ring->fd = -1;
	return 0;
}

static void us_close(pfring *ring)
{
	if (ring->priv_data)
		chan_put(us_chan_of(ring), ring);
	ring->priv_data = NULL;
}

/* Takes the ring-wide role for this process, if no live process holds it. */
static int claim_shared(s32 *slot)
{
	s32 me = (s32)getpid(), cur = 0;

	for (;;) {
		if (__atomic_compare_exchange_n(slot, &cur, me, 0, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED) || cur == me)
			return 0;
		if (pid_alive(cur))
			return -1;
		/* its holder died: try again from its pid */
	}
}

/* Under chan_lock, the role just taken: set up this process's side (the
 * writer's socket for the receiver's notifications). */
static int take_side(struct us_chan *c, int is_writer)
{
	if (!is_writer)
		return pf_ring_attach(&c->cons, c->ring_mem, c->ring_size, NULL, 0);
	if (c->wake_fd < 0)
		c->wake_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->wake_fd < 0)
		return -1;
	return pf_ring_resume(&c->prod, c->ring_mem, c->ring_size, 0);
}

/* Makes ring the channel's writer (is_writer) or reader, if free. */
static int claim(pfring *ring, int is_writer)
{
	struct us_chan *c = us_chan_of(ring);
	pfring **slot = is_writer ? &c->writer : &c->reader;
	s32 *pid = is_writer ? &c->sh->writer_pid : &c->sh->reader_pid;
	int rc = 0;

	pthread_mutex_lock(&chan_lock);
	if (*slot == NULL) {
		if (claim_shared(pid) < 0) {
			rc = PF_RING_ERROR_WRONG_CONFIGURATION;
		} else if (take_side(c, is_writer) < 0) {
			int err = c->wake_fd < 0 && is_writer ? errno : EPROTO;

			__atomic_store_n(pid, 0, __ATOMIC_SEQ_CST);
			pthread_mutex_unlock(&chan_lock);
			pf_api_message("pfring(\"%s\"): %s: %s", ring->device_name, c->name,
				       err == EPROTO ? "the shared ring is corrupt" : strerror(err));
			return pf_api_fail(PF_RING_ERROR_GENERIC, err);
		} else {
			__atomic_store_n(slot, ring, __ATOMIC_RELAXED);
		}
	} else if (*slot != ring) {
		rc = PF_RING_ERROR_WRONG_CONFIGURATION;
	}
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
	struct us_chan *c = us_chan_of(ring);
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

static long futex(u32 *word, int op, u32 val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}

/* One byte to the receiver's socket if it is armed (and disarm it); from fd:
 * the writer's socket, or the receiver's own. A failed send (no receiver
 * bound any more) changes nothing. */
static void notify(struct us_chan *c, int fd)
{
	u32 armed = 1;

	if (__atomic_load_n(&c->sh->notify_armed, __ATOMIC_RELAXED) &&
	    __atomic_compare_exchange_n(&c->sh->notify_armed, &armed, 0, 0, __ATOMIC_SEQ_CST,
					__ATOMIC_RELAXED))
		(void)sendto(fd, "", 1, MSG_DONTWAIT | MSG_NOSIGNAL,
			     (const struct sockaddr *)&c->notify_addr, c->notify_len);
}

static void wake_reader(struct us_chan *c)
{
	struct us_shared *sh = c->sh;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sh->reader_sleeping, __ATOMIC_RELAXED)) {
		__atomic_fetch_add(&sh->wake_seq, 1, __ATOMIC_SEQ_CST);
		futex(&sh->wake_seq, FUTEX_WAKE, INT_MAX, NULL);
	}
	notify(c, c->wake_fd);
}

/* Writer: make what was committed visible to the receiver, and wake it. */
static void publish_pending(struct us_chan *c)
{
	if (c->tx_pending == 0)
		return;
	c->tx_pending = 0;
	pf_ring_publish(&c->prod);
	wake_reader(c);
}

/* Frames are published (seen by the receiver) in batches of the ring's TX
 * watermark, at once with flush, and before a full ring is reported (the
 * receiver could not make room for frames it cannot see). */
static int us_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush)
{
	struct us_chan *c = us_chan_of(ring);
	u8 *data;
	int rc = be(ring, 1);

	if (rc)
		return rc;
	rc = pf_ring_reserve(&c->prod, pkt_len, &data);
	if (rc == -PF_ENOSPC) {
		publish_pending(c);
		return pf_api_fail(PF_RING_ERROR_NO_TX_SLOT_AVAILABLE, EAGAIN);
	}
	if (rc < 0)
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EMSGSIZE);
	memcpy(data, pkt, pkt_len);
	pf_ring_commit(&c->prod, pkt_len, pkt_len, now_ns(), NULL);
	c->tx_pending++;
	if (flush || c->tx_pending >= (ring->tx_watermark ? ring->tx_watermark : 1u))
		publish_pending(c);
	return (int)pkt_len;
}

/* Any value: the batch (pfring_send without flush) it sets. What the sender
 * holds back already is published when the new watermark is below it. */
static int us_set_tx_watermark(pfring *ring, u_int16_t watermark)
{
	struct us_chan *c = us_chan_of(ring);

	if (__atomic_load_n(&c->writer, __ATOMIC_RELAXED) == ring &&
	    c->tx_pending >= (watermark ? watermark : 1u))
		publish_pending(c);
	return 0;
}

/* ---------------------------------------------------------------- read */

/* A slot the receiver cannot read: GENERIC with errno EBADMSG, as kmod. */
static int corrupt(pfring *ring, const char *call)
{
	pf_api_message("%s(%s): the shared ring is corrupt (a slot out of its bounds): "
		       "remove %s's shared memory and open it again", call,
		       PF_QUOTE(ring->device_name), us_chan_of(ring)->name);
	return pf_api_fail(PF_RING_ERROR_GENERIC, EBADMSG);
}

static int take(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr)
{
	/* usrN rings have short-header slots: the extended header is zeroed */
	int rc = pf_ring_read(ring, &us_chan_of(ring)->cons, 0, buffer, buffer_len, hdr, NULL);

	return rc < 0 ? corrupt(ring, "pfring_recv") : rc;
}

/* Sleeps until the writer publishes, ms pass, or at once if something is
 * queued already. */
static void sleep_for_writer(struct us_chan *c, int ms)
{
	struct us_shared *sh = c->sh;
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	u32 seq;

	__atomic_store_n(&sh->reader_sleeping, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	seq = __atomic_load_n(&sh->wake_seq, __ATOMIC_RELAXED);
	if (pf_ring_cons_queued(&c->cons) == 0 && ms > 0)
		futex(&sh->wake_seq, FUTEX_WAIT, seq, &ts);  /* shared: not _PRIVATE */
	__atomic_store_n(&sh->reader_sleeping, 0, __ATOMIC_RELAXED);
}

/* Reader, its socket empty: arm it; what is queued already (or was published
 * meanwhile) makes it readable at once. */
static void notify_arm(struct us_chan *c)
{
	__atomic_store_n(&c->sh->notify_armed, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (pf_ring_cons_queued(&c->cons) > 0)
		notify(c, c->notify_fd);
}

/* Reader, with a selectable fd and the ring read empty: drain the socket and
 * arm it again. */
static void notify_rearm(struct us_chan *c)
{
	char byte;

	if (c->notify_fd < 0 || pf_ring_cons_queued(&c->cons) > 0)
		return;
	while (recv(c->notify_fd, &byte, 1, MSG_DONTWAIT) >= 0)
		;
	notify_arm(c);
}

static int us_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		   struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct us_chan *c = us_chan_of(ring);
	int rc = be(ring, 0);

	if (rc)
		return rc;
	for (;;) {
		rc = take(ring, buffer, buffer_len, hdr);
		if (rc >= 0)
			notify_rearm(c);
		if (rc != 0 || !wait || pf_break_requested(ring))
			return rc;
		pf_ring_release(&c->cons);
		sleep_for_writer(c, (int)pf_poll_step_ms(ring));
		if (pf_break_requested(ring))
			return 0;
	}
}

/* pfring_shutdown / pfring_close: wake this ring's reader if it sleeps (the
 * front has set the break flag it looks at). */
static void us_shutdown(pfring *ring)
{
	struct us_chan *c = us_chan_of(ring);

	if (__atomic_load_n(&c->reader, __ATOMIC_RELAXED) != ring)
		return;
	__atomic_fetch_add(&c->sh->wake_seq, 1, __ATOMIC_SEQ_CST);
	futex(&c->sh->wake_seq, FUTEX_WAKE, INT_MAX, NULL);
}

static int us_poll(pfring *ring, u_int wait_duration)
{
	struct us_chan *c = us_chan_of(ring);
	u32 wm = ring->poll_watermark ? ring->poll_watermark : 1;
	u64 end = pf_monotonic_ms() + wait_duration, now;
	int rc = be(ring, 0);

	if (rc)
		return rc;
	pf_ring_release(&c->cons);
	for (;;) {
		u64 q = pf_ring_cons_queued(&c->cons);

		if (q >= wm)
			return 1;
		now = pf_monotonic_ms();
		if (now >= end || pf_break_requested(ring))
			return q > 0;
		sleep_for_writer(c, (int)(end - now));
	}
}

static int us_is_pkt_available(pfring *ring)
{
	int rc = be(ring, 0);

	return rc ? rc : pf_ring_cons_queued(&us_chan_of(ring)->cons) > 0;
}

static u_int32_t us_get_num_queued_pkts(pfring *ring)
{
	u64 q;

	if (be(ring, 0))
		return 0;
	q = pf_ring_cons_queued(&us_chan_of(ring)->cons);
	return q > UINT32_MAX ? UINT32_MAX : (u_int32_t)q;
}

static int us_next_pkt_time(pfring *ring, struct timespec *ts)
{
	struct pf_ring_view v;
	int rc = be(ring, 0);

	if (rc)
		return rc;
	rc = pf_ring_peek(&us_chan_of(ring)->cons, &v);
	if (rc < 0)
		return corrupt(ring, "pfring_next_pkt_time");
	if (rc == 0)
		return pf_api_fail(PF_RING_ERROR_NO_PKT_AVAILABLE, EAGAIN);
	ts->tv_sec = (time_t)(v.ts_ns / 1000000000ull);
	ts->tv_nsec = (long)(v.ts_ns % 1000000000ull);
	return 0;
}

/* The receiver's notification socket, bound at the first call. */
static int us_get_selectable_fd(pfring *ring)
{
	struct us_chan *c = us_chan_of(ring);
	int fd, err;

	if (be(ring, 0))
		return -1;
	pthread_mutex_lock(&chan_lock);
	if (c->notify_fd < 0) {
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd >= 0 && bind(fd, (const struct sockaddr *)&c->notify_addr,
				    c->notify_len) < 0) {
			err = errno;
			close(fd);
			errno = err;
			fd = -1;
		}
		if (fd < 0) {
			err = errno;
			pthread_mutex_unlock(&chan_lock);
			pf_api_message("pfring_get_selectable_fd(\"%s\"): notification socket "
				       "@%s: %s", ring->device_name, c->notify_addr.sun_path + 1,
				       strerror(err));
			errno = err;
			return -1;
		}
		c->notify_fd = fd;
		notify_arm(c);  /* frames queued before the fd existed count too */
	}
	ring->fd = c->notify_fd;
	pthread_mutex_unlock(&chan_lock);
	return ring->fd;
}

/* recv: frames published into the ring (as the role's own side knows them);
 * drop: always 0, a full ring refuses instead of dropping. A handle that is
 * neither writer nor reader has seen nothing. */
static int us_stats(pfring *ring, pfring_stat *stats)
{
	struct us_chan *c = us_chan_of(ring);
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
	.claims = us_claims,
	.open = us_open,
	.close = us_close,
	.shutdown = us_shutdown,
	.recv = us_recv,
	.next_pkt_time = us_next_pkt_time,
	.is_pkt_available = us_is_pkt_available,
	.get_num_queued_pkts = us_get_num_queued_pkts,
	.poll = us_poll,
	.send = us_send,
	.set_tx_watermark = us_set_tx_watermark,
	.stats = us_stats,
	.set_socket_mode = us_set_socket_mode,
	.get_selectable_fd = us_get_selectable_fd,
};
