/*
 * tests/unit/kmod_fake.h - a fake kernel for the kernel-module backend
 * (pf_kmod_set_sys): it answers the core/abi.h socket options exactly as
 * documented and produces into a real core/ring.h ring. One socket at a time
 * (the state is F). fake_setup / fake_teardown are cmocka's setup and teardown.
 * Include after <cmocka.h>, "pfring.h" and "kmod.h".
 */
#ifndef PF_TEST_KMOD_FAKE_H
#define PF_TEST_KMOD_FAKE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <linux/filter.h>

#define FAKE_SLOT_AREA  (64 * 1024)
#define FAKE_IFINDEX    7

static struct fake {
	int sock_errno;                 /* socket() fails with it */
	int sockets, closes, binds, maps, unmaps, ifreqs_set;
	int fd;
	u_int32_t abi, ring_version;
	u_int32_t bucket_len, layout_flags;
	int bucket_len_set, flags_set;
	char bound[PF_RING_DEVICE_NAME_LEN];
	void *mem;
	size_t size;
	struct pf_ring_prod prod;
	int active;
	int last_level, last_opt;
	u_int8_t last_val[2048];
	socklen_t last_len;
	int opt_calls;
	int fail_opt, fail_errno;       /* that option fails with that errno */
	short if_flags;
	u_int8_t sent[2048];
	size_t sent_len;
	int sends;
	struct sock_filter bpf[512];
	unsigned int bpf_len;
	int bpf_attached;
	int bad_magic;                  /* bind lays out no ring */
	int gone;                       /* the bound device was unregistered (fake_device_gone) */
} F;

static int fake_socket(int domain, int type, int protocol)
{
	F.sockets++;
	if (domain != PF_RING || type != SOCK_RAW || protocol != htons(ETH_P_ALL)) {
		errno = EINVAL;
		return -1;
	}
	if (F.sock_errno) {
		errno = F.sock_errno;
		return -1;
	}
	F.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return F.fd;
}

static int fake_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	assert_int_equal(fd, F.fd);
	F.opt_calls++;
	F.last_level = level;
	F.last_opt = name;
	F.last_len = len;
	assert_true(len <= sizeof(F.last_val));
	if (len)
		memcpy(F.last_val, val, len);
	if (name == F.fail_opt) {
		errno = F.fail_errno;
		return -1;
	}
	if (level == SOL_SOCKET && name == SO_ATTACH_FILTER) {
		const struct sock_fprog *p = val;

		assert_int_equal(len, sizeof(*p));
		assert_true(p->len <= 512);
		memcpy(F.bpf, p->filter, p->len * sizeof(*p->filter));
		F.bpf_len = p->len;
		F.bpf_attached = 1;
		return 0;
	}
	if (level == SOL_SOCKET && name == SO_DETACH_FILTER) {
		if (!F.bpf_attached) {
			errno = ENOENT;
			return -1;
		}
		F.bpf_attached = 0;
		return 0;
	}
	assert_int_equal(level, SOL_PF_RING);
	switch (name) {
	case SO_RING_BUCKET_LEN:
		assert_int_equal(len, 4);
		memcpy(&F.bucket_len, val, 4);
		F.bucket_len_set = 1;
		break;
	case SO_SET_RING_FLAGS:
		assert_int_equal(len, 4);
		memcpy(&F.layout_flags, val, 4);
		F.flags_set = 1;
		break;
	case SO_ACTIVATE_RING:
		assert_int_equal(len, 0);
		F.active = 1;
		break;
	case SO_DEACTIVATE_RING:
		assert_int_equal(len, 0);
		F.active = 0;
		break;
	}
	return 0;
}

/* core/abi.h: a short optlen is -EINVAL. */
static int answer(void *val, socklen_t *len, const void *what, socklen_t n)
{
	if (*len < n) {
		errno = EINVAL;
		return -1;
	}
	memcpy(val, what, n);
	*len = n;
	return 0;
}

static int fake_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	static const u_int8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x07 };
	u_int32_t u32;
	int32_t i32 = FAKE_IFINDEX;
	u_int64_t u64;
	u_int16_t id;
	char stats[16];

	assert_int_equal(fd, F.fd);
	assert_int_equal(level, SOL_PF_RING);
	F.last_opt = name;
	if (name == F.fail_opt) {
		errno = F.fail_errno;
		return -1;
	}
	switch (name) {
	case SO_GET_ABI_VERSION:
		return answer(val, len, &F.abi, 4);
	case SO_GET_RING_SIZE:
		u64 = F.size;
		return answer(val, len, &u64, 8);
	case SO_GET_RING_VERSION:
		return answer(val, len, &F.ring_version, 4);
	case SO_GET_RING_ID:
		u32 = 42;
		return answer(val, len, &u32, 4);
	case SO_GET_NUM_RX_CHANNELS:
		u32 = 4;
		return answer(val, len, &u32, 4);
	case SO_GET_BOUND_DEVICE_ADDRESS:
		return answer(val, len, mac, 6);
	case SO_GET_BOUND_DEVICE_IFINDEX:
		return answer(val, len, &i32, 4);
	case SO_GET_FILTERING_RULE_STATS:
		assert_true(*len >= 2);
		memcpy(&id, val, 2);
		if (id != 5) {
			errno = ENOENT;
			return -1;
		}
		memset(stats, 0xab, sizeof(stats));
		return answer(val, len, stats, sizeof(stats));
	case SO_GET_HASH_FILTERING_RULE_STATS:
		/* the question is the rule itself, at the start of the buffer */
		assert_true(*len >= sizeof(hash_filtering_rule));
		if (((hash_filtering_rule *)val)->proto != 17) {
			errno = ENOENT;
			return -1;
		}
		memset(stats, 0xcd, 8);
		return answer(val, len, stats, 8);
	}
	errno = ENOPROTOOPT;
	return -1;
}

static int fake_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	const struct pf_ring_sockaddr *sa = (const struct pf_ring_sockaddr *)addr;

	assert_int_equal(fd, F.fd);
	assert_int_equal(len, sizeof(*sa));
	assert_int_equal(sa->family, PF_RING);
	assert_true(F.bucket_len_set && F.flags_set);   /* step 1 before step 2 */
	F.binds++;
	assert_non_null(memchr(sa->device, '\0', sizeof(sa->device)));
	strcpy(F.bound, sa->device);
	if (strcmp(sa->device, "nosuch") == 0) {
		errno = ENODEV;
		return -1;
	}
	free(F.mem);    /* an earlier open that failed before mmap */
	F.size = pf_ring_layout_size(FAKE_SLOT_AREA);
	F.mem = aligned_alloc(4096, F.size);
	assert_non_null(F.mem);
	memset(F.mem, 0, F.size);
	assert_int_equal(pf_ring_init(&F.prod, F.mem, F.size, F.layout_flags), 0);
	if (F.bad_magic)
		((struct pf_ring_prod_page *)F.mem)->magic = 0x12345678;
	return 0;
}

static void *fake_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	assert_null(addr);
	assert_int_equal(fd, F.fd);
	assert_int_equal(off, 0);
	assert_int_equal(prot, PROT_READ | PROT_WRITE);
	assert_int_equal(flags, MAP_SHARED);
	assert_int_equal(len, F.size);
	F.maps++;
	return F.mem;
}

static int fake_munmap(void *addr, size_t len)
{
	assert_ptr_equal(addr, F.mem);
	assert_int_equal(len, F.size);
	F.unmaps++;
	free(F.mem);
	F.mem = NULL;
	return 0;
}

static int fake_poll(struct pollfd *p, nfds_t n, int timeout)
{
	/* the socket, then the backend's own wake-up eventfd (a real one) */
	assert_int_equal(n, 2);
	assert_int_equal(p->fd, F.fd);
	assert_int_equal(p->events, POLLIN);
	if (F.gone) {   /* as pf_sock_poll: hung up, readable while frames are left */
		p->revents = POLLHUP | (pf_ring_prod_queued(&F.prod) ? POLLIN : 0);
		p[1].revents = 0;
		return 1;
	}
	if (pf_ring_prod_queued(&F.prod) > 0) {
		p->revents = POLLIN;
		p[1].revents = 0;
		return 1;
	}
	return poll(p, n, timeout);    /* F.fd never fires: a timeout or the wake-up */
}

static ssize_t fake_send(int fd, const void *buf, size_t len, int flags)
{
	assert_int_equal(fd, F.fd);
	assert_int_equal(flags, 0);
	assert_true(len <= sizeof(F.sent));
	if (F.gone) {
		errno = ENODEV;
		return -1;
	}
	memcpy(F.sent, buf, len);
	F.sent_len = len;
	F.sends++;
	return (ssize_t)len;
}

static int fake_close(int fd)
{
	if (fd == F.fd)
		F.closes++;
	return close(fd);
}

static int fake_ifreq(unsigned long request, struct ifreq *ifr)
{
	if (strcmp(ifr->ifr_name, "eth0") != 0) {
		errno = ENODEV;
		return -1;
	}
	switch (request) {
	case SIOCGIFMTU:
		ifr->ifr_mtu = 1500;
		return 0;
	case SIOCGIFFLAGS:
		ifr->ifr_flags = F.if_flags;
		return 0;
	case SIOCGIFINDEX:
		ifr->ifr_ifindex = FAKE_IFINDEX;
		return 0;
	case SIOCSIFFLAGS:
		F.if_flags = ifr->ifr_flags;
		F.ifreqs_set++;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static const struct pf_kmod_sys fake_sys = {
	.socket = fake_socket, .setsockopt = fake_setsockopt, .getsockopt = fake_getsockopt,
	.bind = fake_bind, .mmap = fake_mmap, .munmap = fake_munmap, .poll = fake_poll,
	.send = fake_send, .close = fake_close, .ifreq = fake_ifreq,
};

static int fake_setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.fd = -1;
	F.abi = PF_RING_ABI_VERSION;
	F.ring_version = 0x050499;
	F.fail_opt = -1;
	pf_kmod_set_sys(&fake_sys);
	return 0;
}

static int fake_teardown(void **state)
{
	(void)state;
	pf_kmod_set_sys(NULL);
	if (F.mem)      /* a failed open that never mapped the ring */
		free(F.mem);
	F.mem = NULL;
	return 0;
}

/* Produce one frame of len bytes (byte i = seed + i), caplen bytes stored. */
static inline void produce(u_int32_t caplen, u_int32_t len, u_int8_t seed, u_int64_t ts,
			   const struct pfring_extended_pkthdr *ext)
{
	static u_int8_t data[2048];
	struct pf_ring_pkt pkt = { .data = data, .caplen = caplen, .len = len, .ts_ns = ts,
				   .ext = ext };
	u_int32_t i;

	for (i = 0; i < caplen; i++)
		data[i] = (u_int8_t)(seed + i);
	assert_int_equal(pf_ring_put(&F.prod, &pkt), 0);
}

/* What pf_ring.ko does at NETDEV_UNREGISTER of the bound device: end the ring
 * after its last frame, then wake the sleepers (F.fd is an eventfd: a sleeper
 * in the real poll() of fake_poll wakes). */
static inline void fake_device_gone(void)
{
	u_int64_t one = 1;

	pf_ring_prod_end(&F.prod, PF_RING_END_DEVICE_GONE);
	__atomic_store_n(&F.gone, 1, __ATOMIC_RELEASE);
	assert_int_equal(write(F.fd, &one, sizeof(one)), sizeof(one));
}

static inline void assert_bytes(const u_char *p, u_int32_t n, u_int8_t seed)
{
	u_int32_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(p[i], (u_int8_t)(seed + i));
}

#endif /* PF_TEST_KMOD_FAKE_H */
