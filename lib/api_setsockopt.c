/*
 * lib/api_setsockopt.c - setsockopt(2) as programs linked with libpfring
 * see it.
 *
 * libpcap-ring (set_kernel_filter) and Snort's DAQ (pfring_daq_set_filter)
 * attach their BPF program with
 *     setsockopt(pfring_get_selectable_fd(ring), 0, SO_ATTACH_FILTER, &fprog, ...)
 * which PF_RING 5.4.6's module took at any level. pf_ring.ko takes it too
 * (kmod/pf_ring_sockopt.c). On the other backends the selectable fd is no
 * PF_RING socket (an eventfd, an epoll set, a notification socket), so
 * libpfring defines setsockopt itself: on the selectable fd of one of its open
 * rings that is not a kernel-module ring, SO_ATTACH_FILTER / SO_DETACH_FILTER
 * at level 0 take the ring's own BPF path, as pfring_set_bpf_filter and
 * pfring_remove_bpf_filter do (validated by core, the same messages, the errno
 * the kernel would give). Every other call goes to the kernel as it is, errno
 * untouched.
 *
 * Where this cannot work (docs/decisions.md): a caller that does not resolve
 * setsockopt to this definition, above all a module a program dlopen()s (Snort
 * loads its DAQ modules so), which finds libc's setsockopt first in the global
 * scope. LD_PRELOAD=libpfring.so, or the kernel module, serves them.
 */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/api_internal.h"

struct open_ring {
	pfring *ring;
	struct open_ring *next;
};

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_ring *open_rings;

int pf_api_ring_opened(pfring *ring)
{
	struct open_ring *o = malloc(sizeof(*o));

	if (o == NULL) {
		errno = ENOMEM;
		return -1;
	}
	o->ring = ring;
	pthread_mutex_lock(&open_lock);
	o->next = open_rings;
	open_rings = o;
	pthread_mutex_unlock(&open_lock);
	return 0;
}

void pf_api_ring_closed(pfring *ring)
{
	struct open_ring **pp, *o;

	pthread_mutex_lock(&open_lock);
	for (pp = &open_rings; *pp; pp = &(*pp)->next)
		if ((*pp)->ring == ring) {
			o = *pp;
			*pp = o->next;
			free(o);
			break;
		}
	pthread_mutex_unlock(&open_lock);
}

/* Under open_lock: the open ring whose selectable fd is fd, or NULL. */
static pfring *ring_of_fd(int fd)
{
	struct open_ring *o;

	for (o = open_rings; o; o = o->next)
		if (o->ring->fd == fd)
			return o->ring;
	return NULL;
}

/* -1 with errno err and a message, as the kernel's checks of a sock_fprog. */
static int refuse(pfring *ring, int fd, int err, const char *why)
{
	pf_api_message("setsockopt(fd %d, 0, SO_ATTACH_FILTER) on \"%s\": %s", fd,
		       ring->device_name, why);
	errno = err;
	return -1;
}

static int attach(pfring *ring, int fd, const void *optval, socklen_t optlen)
{
	struct sock_fprog prog;
	char what[128];

	if (optval == NULL)
		return refuse(ring, fd, EFAULT, "no struct sock_fprog");
	if (optlen != sizeof(prog))
		return refuse(ring, fd, EINVAL, "optlen is not sizeof(struct sock_fprog)");
	memcpy(&prog, optval, sizeof(prog));
	if (prog.filter == NULL || prog.len == 0 || prog.len > BPF_MAXINSNS)
		return refuse(ring, fd, EINVAL, "1 to 4096 instructions wanted");
	snprintf(what, sizeof(what), "setsockopt(fd %d, 0, SO_ATTACH_FILTER) on \"%s\"", fd,
		 ring->device_name);
	if (pf_api_set_bpf_program(ring, (const struct pf_bpf_insn *)prog.filter, prog.len,
				   what) < 0)
		return -1;
	return 0;
}

static int apply(pfring *ring, int fd, int optname, const void *optval, socklen_t optlen)
{
	if (!PF_HAS(ring, set_bpf_program) || !PF_HAS(ring, remove_bpf_filter)) {
		pf_api_message("setsockopt(fd %d, 0, %s) on \"%s\": the %s backend has no BPF "
			       "filtering", fd, optname == SO_ATTACH_FILTER ? "SO_ATTACH_FILTER" :
			       "SO_DETACH_FILTER", ring->device_name, ring->backend->name);
		errno = EOPNOTSUPP;
		return -1;
	}
	if (optname == SO_ATTACH_FILTER)
		return attach(ring, fd, optval, optlen);
	return pfring_remove_bpf_filter(ring) < 0 ? -1 : 0;
}

int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
	pfring *ring;
	int rc;

	if (level == 0 && fd >= 0 && (optname == SO_ATTACH_FILTER || optname == SO_DETACH_FILTER)) {
		/* held while applying: the ring cannot be closed under us */
		pthread_mutex_lock(&open_lock);
		ring = ring_of_fd(fd);
		if (ring && !ring->backend->fd_is_kernel_socket) {
			rc = apply(ring, fd, optname, optval, optlen);
			pthread_mutex_unlock(&open_lock);
			return rc;
		}
		pthread_mutex_unlock(&open_lock);
	}
	return (int)syscall(SYS_setsockopt, fd, level, optname, optval, optlen);
}
