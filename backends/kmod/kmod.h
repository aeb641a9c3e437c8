/*
 * backends/kmod/kmod.h - the kernel-module backend (names without a prefix: "eth0",
 * "eth0@2", "any"), internal interface shared by kmod.c, kmod_ops.c and the
 * unit test. The socket contract is core/abi.h ("socket interface"); the ring
 * is core/ring.h, pf_ring.ko its producer and this backend its consumer.
 */
#ifndef PF_BACKENDS_KMOD_H
#define PF_BACKENDS_KMOD_H

#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lib/backend.h"
#include "core/ring.h"

/*
 * Every system call the backend makes, so the unit test can stand in for
 * pf_ring.ko (this machine never loads a module). ifreq runs one SIOC*IF*
 * ioctl (SIOCGIFMTU, SIOCGIFFLAGS, SIOCSIFFLAGS) on an ordinary AF_INET socket.
 */
struct pf_kmod_sys {
	int (*socket)(int domain, int type, int protocol);
	int (*setsockopt)(int fd, int level, int name, const void *val, socklen_t len);
	int (*getsockopt)(int fd, int level, int name, void *val, socklen_t *len);
	int (*bind)(int fd, const struct sockaddr *addr, socklen_t len);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);
	int (*poll)(struct pollfd *fds, nfds_t n, int timeout);
	ssize_t (*send)(int fd, const void *buf, size_t len, int flags);
	int (*close)(int fd);
	int (*ifreq)(unsigned long request, struct ifreq *ifr);
};

/* The calls in use; pf_kmod_set_sys(NULL) restores the real ones. Tests only:
 * not thread-safe against rings that are open. */
extern const struct pf_kmod_sys *pf_kmod_sys;
void pf_kmod_set_sys(const struct pf_kmod_sys *sys);

/* ----------------------------------------------------------- pure helpers */

/* A name pf_ring.ko can bind: one interface (or "any"), at most one RX queue. */
struct pf_kmod_name {
	char ifname[IFNAMSIZ];             /* "eth0", or "any" */
	int queue;                         /* -1: every queue */
	int any;                           /* 1 for "any" */
	char bind_name[PF_RING_DEVICE_NAME_LEN]; /* struct pf_ring_sockaddr.device */
};

struct pf_devname;

/* The name pf_ring.ko binds for dn (pfring_open parsed it). 0, or -1 with a
 * reason (no trailing newline) in err[0 .. errlen). */
int pf_kmod_name_from(const struct pf_devname *dn, struct pf_kmod_name *out, char *err,
		      size_t errlen);

/* SO_SET_RING_FLAGS for pfring_open()'s flags: PF_RING_LAYOUT_LONG_HDR with
 * PF_RING_LONG_HEADER, else 0. */
u_int32_t pf_kmod_layout_flags(u_int32_t open_flags);

/* pfring_stats() from the ring's totals: as sim: recv = packets the kernel put
 * in this ring, drop = packets lost because it was full. */
void pf_kmod_stat_from_ring(const struct pf_ring_stats *s, pfring_stat *out);

/* PF_RING_ERROR_* for an errno of a socket call (setsockopt, getsockopt,
 * bind, send); errno is set to err. */
int pf_kmod_error(int err);

/* ------------------------------------------------------------- the ring */

struct kmod_ring {
	struct pf_kmod_name name;
	void *mem;                  /* the mapped region, NULL before mmap */
	size_t size;
	struct pf_ring_cons cons;
	int ifindex;                /* bound device, -1 for "any" or unknown */
	u_char *last;               /* long-header rings: the last frame received */
	u_int last_len, last_wire_len;
	int last_ifindex;
	int wake_fd;                /* eventfd: pfring_shutdown/close wake the sleepers */
	int gone_said;              /* the device-gone message was printed */
};

static inline struct kmod_ring *kmod_ring(pfring *ring)
{
	return (struct kmod_ring *)ring->priv_data;
}

/* setsockopt / getsockopt at SOL_PF_RING: 0, or pf_kmod_error(errno). */
int pf_kmod_set(pfring *ring, int opt, const void *val, socklen_t len);
int pf_kmod_get(pfring *ring, int opt, void *val, socklen_t *len);

/* One ioctl on a device name: 0 or -1 with errno (kmod.c). */
int pf_kmod_ifreq(const char *ifname, unsigned long request, struct ifreq *ifr);

extern const struct pfring_backend pfring_kmod_backend;

#endif /* PF_BACKENDS_KMOD_H */
