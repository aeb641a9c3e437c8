/*
 * backends/kmod/kmod.c - the kernel-module backend: open (core/abi.h's socket life,
 * steps 1-3) and close. The receive side on the mmap'd core/ring.h ring is in
 * kmod_recv.c, the socket options of the other pfring_* calls in kmod_ops.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <arpa/inet.h>
#include <net/ethernet.h>

#include "backends/kmod/kmod.h"
#include "backends/kmod/kmod_ops.h"
#include "lib/api_internal.h"
#include "lib/devname.h"

/* --------------------------------------------------------- system calls */

static int real_ifreq(unsigned long request, struct ifreq *ifr)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc, err;

	if (sock < 0)
		return -1;
	rc = ioctl(sock, request, ifr);
	err = errno;
	close(sock);
	errno = err;
	return rc;
}

static const struct pf_kmod_sys real_sys = {
	.socket = socket, .setsockopt = setsockopt, .getsockopt = getsockopt,
	.bind = bind, .mmap = mmap, .munmap = munmap, .poll = poll,
	.send = send, .close = close, .ifreq = real_ifreq,
};

const struct pf_kmod_sys *pf_kmod_sys = &real_sys;

void pf_kmod_set_sys(const struct pf_kmod_sys *sys)
{
	pf_kmod_sys = sys ? sys : &real_sys;
}

int pf_kmod_ifreq(const char *ifname, unsigned long request, struct ifreq *ifr)
{
	if (strlen(ifname) >= sizeof(ifr->ifr_name)) {
		errno = ENODEV;
		return -1;
	}
	strcpy(ifr->ifr_name, ifname);
	return pf_kmod_sys->ifreq(request, ifr);
}

/* --------------------------------------------------------- pure helpers */

static void say(char *err, size_t errlen, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", what);
}

int pf_kmod_name_from(const struct pf_devname *dn, struct pf_kmod_name *out, char *err,
		      size_t errlen)
{
	const struct pf_devname_member *m;

	if (dn->options) {
		say(err, errlen, "pf_ring.ko devices take no \"?options\"");
		return -1;
	}
	if (dn->prefix[0] || dn->num_members != 1) {
		say(err, errlen, dn->prefix[0] ? "a module prefix is not a pf_ring.ko device" :
			"one pf_ring.ko socket binds one device (use multi: for a list)");
		return -1;
	}
	m = &dn->member[0];
	if (strlen(m->name) >= IFNAMSIZ) {
		say(err, errlen, "interface name too long (15 bytes at most)");
		return -1;
	}
	if (!m->any_queue && m->num_queues != 1) {
		say(err, errlen, "one RX queue per socket (NAME@Q), not a list or range");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	strcpy(out->ifname, m->name);
	out->any = strcmp(m->name, "any") == 0;
	out->queue = pf_devname_first_queue(m);
	if (out->any && out->queue >= 0) {
		say(err, errlen, "\"any\" has no RX queues");
		return -1;
	}
	/* from ifname (< IFNAMSIZ), not m->name (64): "NAME@QUEUE" then fits
	 * bind_name, and gcc sees it fits at every optimisation level */
	if (out->queue >= 0)
		snprintf(out->bind_name, sizeof(out->bind_name), "%s@%d", out->ifname, out->queue);
	else
		snprintf(out->bind_name, sizeof(out->bind_name), "%s", out->ifname);
	return 0;
}

u_int32_t pf_kmod_layout_flags(u_int32_t open_flags)
{
	return (open_flags & PF_RING_LONG_HEADER) ? PF_RING_LAYOUT_LONG_HDR : 0;
}

void pf_kmod_stat_from_ring(const struct pf_ring_stats *s, pfring_stat *out)
{
	out->recv = s->inserted;
	out->drop = s->dropped_full;
}

int pf_kmod_error(int err)
{
	errno = err;
	switch (err) {
	case ENOPROTOOPT:
	case EOPNOTSUPP:
	case EAFNOSUPPORT:
		return PF_RING_ERROR_NOT_SUPPORTED;
	case ENODEV:
	case ENXIO:
		return PF_RING_ERROR_UNKNOWN_ADAPTER;
	case EAGAIN:
	case ENOBUFS:
		return PF_RING_ERROR_NO_TX_SLOT_AVAILABLE;
	case ENETDOWN:
		return PF_RING_ERROR_NOT_ENABLED;
	default:
		return pfring_error_from_core(-err);
	}
}

/* ------------------------------------------------------------------ open */

int pf_kmod_set(pfring *ring, int opt, const void *val, socklen_t len)
{
	if (pf_kmod_sys->setsockopt(ring->fd, SOL_PF_RING, opt, val, len) < 0)
		return pf_kmod_error(errno);
	return 0;
}

int pf_kmod_get(pfring *ring, int opt, void *val, socklen_t *len)
{
	if (pf_kmod_sys->getsockopt(ring->fd, SOL_PF_RING, opt, val, len) < 0)
		return pf_kmod_error(errno);
	return 0;
}

/* A failed open step: its message, errno kept, the code for it. */
static int open_fail(pfring *ring, const char *step, int err)
{
	int rc = pf_kmod_error(err);

	pf_api_message("pfring_open(\"%s\"): %s: %s", ring->device_name, step, strerror(err));
	errno = err;
	return rc;
}

static int open_socket(pfring *ring)
{
	int err;

	ring->fd = pf_kmod_sys->socket(PF_RING, SOCK_RAW, htons(ETH_P_ALL));
	if (ring->fd >= 0)
		return 0;
	err = errno;
	if (err == EAFNOSUPPORT)
		pf_api_message("pfring_open(\"%s\"): pf_ring.ko is not loaded (this kernel has "
			       "no PF_RING socket family %d): load it with \"modprobe pf_ring\" "
			       "or \"insmod kmod/pf_ring.ko\" (see docs/api.md)",
			       ring->device_name, PF_RING);
	else if (err == EPERM || err == EACCES)
		pf_api_message("pfring_open(\"%s\"): capturing with pf_ring.ko needs "
			       "CAP_NET_ADMIN (run as root): %s", ring->device_name,
			       strerror(err));
	else
		pf_api_message("pfring_open(\"%s\"): socket(PF_RING): %s", ring->device_name,
			       strerror(err));
	errno = err;
	return err == EAFNOSUPPORT ? PF_RING_ERROR_NOT_SUPPORTED : PF_RING_ERROR_GENERIC;
}

/* Steps 1 and 2: ring geometry, then bind (the kernel allocates the ring). */
static int configure_and_bind(pfring *ring, struct kmod_ring *k)
{
	u_int32_t caplen = ring->caplen, flags = pf_kmod_layout_flags(ring->flags);
	struct pf_ring_sockaddr sa;

	if (pf_kmod_sys->setsockopt(ring->fd, SOL_PF_RING, SO_RING_BUCKET_LEN,
				    &caplen, sizeof(caplen)) < 0)
		return open_fail(ring, "SO_RING_BUCKET_LEN", errno);
	if (pf_kmod_sys->setsockopt(ring->fd, SOL_PF_RING, SO_SET_RING_FLAGS,
				    &flags, sizeof(flags)) < 0)
		return open_fail(ring, "SO_SET_RING_FLAGS", errno);
	memset(&sa, 0, sizeof(sa));
	sa.family = PF_RING;
	memcpy(sa.device, k->name.bind_name, sizeof(sa.device));
	if (pf_kmod_sys->bind(ring->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == ENODEV)
			return open_fail(ring, "no such interface", ENODEV);
		return open_fail(ring, "bind", errno);
	}
	return 0;
}

/* Step 0, before any other option: both sides of one ABI (the option
 * numbers themselves changed between ABI versions 2 and 3). */
static int check_abi(pfring *ring)
{
	u_int32_t v = 0;
	socklen_t len = sizeof(v);

	if (pf_kmod_sys->getsockopt(ring->fd, SOL_PF_RING, SO_GET_ABI_VERSION, &v, &len) < 0) {
		if (errno != ENOPROTOOPT)
			return open_fail(ring, "SO_GET_ABI_VERSION", errno);
		/* ABI 1 and 2 asked at another number (190) */
		pf_api_message("pfring_open(\"%s\"): pf_ring.ko does not answer SO_GET_ABI_VERSION "
			       "(%d): it is older than ABI version %u: rebuild and reload "
			       "pf_ring.ko (kmod/) from the same pfring tree as this library",
			       ring->device_name, SO_GET_ABI_VERSION, PF_RING_ABI_VERSION);
		errno = EPROTO;
		return PF_RING_ERROR_INVALID_LIB_VERSION;
	}
	if (len != sizeof(v))
		return open_fail(ring, "SO_GET_ABI_VERSION", EPROTO);
	if (v == PF_RING_ABI_VERSION)
		return 0;
	pf_api_message("pfring_open(\"%s\"): pf_ring.ko has ABI version %u, this libpfring "
		       "ABI version %u: rebuild %s from the same pfring tree as %s",
		       ring->device_name, v, PF_RING_ABI_VERSION,
		       v < PF_RING_ABI_VERSION ? "and reload pf_ring.ko (kmod/)" :
		       "libpfring (and relink the program)",
		       v < PF_RING_ABI_VERSION ? "this library" : "the loaded module");
	errno = EPROTO;
	return PF_RING_ERROR_INVALID_LIB_VERSION;
}

static int map_ring(pfring *ring, struct kmod_ring *k)
{
	u_int64_t size = 0;
	socklen_t len = sizeof(size);
	char err[256];
	void *mem;
	int rc;

	if (pf_kmod_sys->getsockopt(ring->fd, SOL_PF_RING, SO_GET_RING_SIZE, &size, &len) < 0)
		return open_fail(ring, "SO_GET_RING_SIZE", errno);
	if (len != sizeof(size) || size == 0 || size > (u_int64_t)SIZE_MAX)
		return open_fail(ring, "SO_GET_RING_SIZE gave no usable size", EPROTO);
	mem = pf_kmod_sys->mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
				ring->fd, 0);
	if (mem == MAP_FAILED)
		return open_fail(ring, "mmap of the ring", errno);
	k->mem = mem;
	k->size = (size_t)size;
	rc = pf_ring_attach(&k->cons, mem, k->size, err, sizeof(err));
	if (rc < 0) {
		pf_api_message("pfring_open(\"%s\"): pf_ring.ko's ring: %s", ring->device_name, err);
		return pfring_error_from_core(rc);
	}
	return 0;
}

/* Device facts that are not fatal when unknown: ifindex, MTU. */
static void learn_device(pfring *ring, struct kmod_ring *k)
{
	int32_t ifindex = -1;
	socklen_t len = sizeof(ifindex);
	struct ifreq ifr;

	k->ifindex = -1;
	if (!k->name.any &&
	    pf_kmod_sys->getsockopt(ring->fd, SOL_PF_RING, SO_GET_BOUND_DEVICE_IFINDEX,
				    &ifindex, &len) == 0 && len == sizeof(ifindex))
		k->ifindex = ifindex;
	ring->device_id = k->ifindex;
	memset(&ifr, 0, sizeof(ifr));
	if (!k->name.any && pf_kmod_ifreq(k->name.ifname, SIOCGIFMTU, &ifr) == 0 &&
	    ifr.ifr_mtu > 0 && ifr.ifr_mtu <= 0xffff)
		ring->mtu_len = (u_int16_t)ifr.ifr_mtu;
}

/* PF_RING_PROMISC: on, and off again at close only if it was off before. */
static int promisc_on(pfring *ring, struct kmod_ring *k)
{
	struct ifreq ifr;

	if (!ring->promisc || k->name.any)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	if (pf_kmod_ifreq(k->name.ifname, SIOCGIFFLAGS, &ifr) < 0)
		return open_fail(ring, "promiscuous mode (SIOCGIFFLAGS)", errno);
	if (ifr.ifr_flags & IFF_PROMISC)
		return 0;
	ifr.ifr_flags |= IFF_PROMISC;
	if (pf_kmod_ifreq(k->name.ifname, SIOCSIFFLAGS, &ifr) < 0)
		return open_fail(ring, "promiscuous mode (SIOCSIFFLAGS)", errno);
	ring->clear_promisc = 1;
	return 0;
}

static void promisc_off(pfring *ring, struct kmod_ring *k)
{
	struct ifreq ifr;

	if (!ring->clear_promisc)
		return;
	ring->clear_promisc = 0;
	memset(&ifr, 0, sizeof(ifr));
	if (pf_kmod_ifreq(k->name.ifname, SIOCGIFFLAGS, &ifr) < 0)
		return;
	ifr.ifr_flags &= ~IFF_PROMISC;
	(void)pf_kmod_ifreq(k->name.ifname, SIOCSIFFLAGS, &ifr);
}

static void kmod_free(pfring *ring, struct kmod_ring *k)
{
	if (k->mem)
		pf_kmod_sys->munmap(k->mem, k->size);
	if (ring->fd >= 0)
		pf_kmod_sys->close(ring->fd);
	ring->fd = -1;
	if (k->wake_fd >= 0)
		close(k->wake_fd);
	free(k->last);
	free(k);
}

static int kmod_open(pfring *ring, const struct pf_devname *dn)
{
	struct kmod_ring *k;
	char why[128];
	int rc, err;

	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
	/* pf_ring.ko's poll cannot be woken from user space (no SO_SHUTDOWN_RING):
	 * the sleepers also watch this (kmod_recv.c) */
	k->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (k->wake_fd < 0) {
		err = errno;
		free(k);
		pf_api_message("pfring_open(%s): eventfd: %s", PF_QUOTE(ring->device_name),
			       strerror(err));
		return pf_api_fail(PF_RING_ERROR_GENERIC, err);
	}
	if (pf_kmod_name_from(dn, &k->name, why, sizeof(why)) < 0) {
		pf_api_message("pfring_open(%s): %s", PF_QUOTE(ring->device_name), why);
		kmod_free(ring, k);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
	}
	if (ring->long_header) {
		k->last = malloc(ring->caplen);
		if (k->last == NULL) {
			kmod_free(ring, k);
			return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
		}
	}
	rc = open_socket(ring);
	if (rc == 0)
		rc = check_abi(ring);
	if (rc == 0)
		rc = configure_and_bind(ring, k);
	if (rc == 0)
		rc = map_ring(ring, k);
	if (rc == 0) {
		learn_device(ring, k);
		rc = promisc_on(ring, k);
	}
	if (rc < 0) {
		err = errno;
		kmod_free(ring, k);
		errno = err;
		return rc;
	}
	ring->priv_data = k;
	return 0;
}

static void kmod_close(pfring *ring)
{
	struct kmod_ring *k = kmod_ring(ring);

	if (k == NULL)
		return;
	promisc_off(ring, k);
	kmod_free(ring, k);
	ring->priv_data = NULL;
}

const struct pfring_backend pfring_kmod_backend = {
	.name = "kmod",
	.prefix = "",
	.fd_is_kernel_socket = 1,
	.open = kmod_open,
	.close = kmod_close,
	.shutdown = pf_kmod_shutdown,
	PF_KMOD_RECV_OPS,
	PF_KMOD_OPTION_OPS,
};
