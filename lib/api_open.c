/*
 * lib/api_open.c - pfring_open(), pfring_open_multichannel(),
 * pfring_close(), pfring_shutdown(): picking the backend and the handle's life.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/api_internal.h"
#include "lib/devname.h"

#define PF_RING_KNOWN_OPEN_FLAGS \
	(PF_RING_DNA_SYMMETRIC_RSS | PF_RING_REENTRANT | PF_RING_LONG_HEADER | \
	 PF_RING_PROMISC | PF_RING_TIMESTAMP | PF_RING_HW_TIMESTAMP)

/* errno for a backend's negative open() result when it set none. */
static int open_errno(int rc)
{
	switch (rc) {
	case PF_RING_ERROR_INVALID_ARGUMENT:
	case PF_RING_ERROR_WRONG_CONFIGURATION:
		return EINVAL;
	case PF_RING_ERROR_NOT_SUPPORTED:
		return EOPNOTSUPP;
	case PF_RING_ERROR_UNKNOWN_ADAPTER:
		return ENODEV;
	case PF_RING_ERROR_INVALID_LIB_VERSION:
		return EPROTO;
	default:
		return EIO;
	}
}

/* The backend that name's prefix names, NULL if none: it says which grammar
 * reads the rest (lib/devname.h). */
static const struct pfring_backend *prefix_backend(const char *name)
{
	char prefix[PF_DEVNAME_PREFIX_MAX];
	size_t len = pf_devname_prefix_len(name);

	if (len >= sizeof(prefix))
		return NULL;
	memcpy(prefix, name, len);
	prefix[len] = '\0';
	return pfring_backend_find(prefix);
}

/* The backend that serves dn (its claims() hook, else its prefix's), or NULL
 * after a message and errno. */
static const struct pfring_backend *pick_backend(const char *name,
						 const struct pf_devname *dn,
						 const struct pfring_backend *by_prefix)
{
	const struct pfring_backend *b = pfring_backend_claiming(dn);
	char known[256];

	if (b == NULL)
		b = by_prefix;
	if (b == NULL) {
		pfring_backend_known_prefixes(known, sizeof(known));
		pf_api_message("pfring_open(%s): unknown module prefix \"%s\" (known: %s)",
			       PF_QUOTE(name), dn->prefix, known);
		errno = ENODEV;
		return NULL;
	}
	if (b->open == NULL) {
		pf_api_message("pfring_open(%s): %s", PF_QUOTE(name),
			       b->not_built ? b->not_built : "this backend cannot open devices");
		errno = EOPNOTSUPP;
		return NULL;
	}
	return b;
}

/* caplen 0 means "whole packets" (as libpcap's snaplen 0); larger than
 * MAX_CAPLEN is clamped to it. */
static u_int32_t effective_caplen(u_int32_t caplen)
{
	return (caplen == 0 || caplen > MAX_CAPLEN) ? MAX_CAPLEN : caplen;
}

static void fill_defaults(pfring *ring, u_int32_t caplen, u_int32_t flags)
{
	ring->caplen = effective_caplen(caplen);
	ring->flags = flags;
	ring->promisc = !!(flags & PF_RING_PROMISC);
	ring->reentrant = !!(flags & PF_RING_REENTRANT);
	ring->long_header = !!(flags & PF_RING_LONG_HEADER);
	ring->symmetric_rss = !!(flags & PF_RING_DNA_SYMMETRIC_RSS);
	ring->force_timestamp = !!(flags & PF_RING_TIMESTAMP);
	ring->enable_hw_timestamp = !!(flags & PF_RING_HW_TIMESTAMP);
	ring->direction = rx_and_tx_direction;
	ring->mode = send_and_recv_mode;
	ring->poll_watermark = DEFAULT_POLL_WATERMARK;
	ring->poll_duration = DEFAULT_POLL_DURATION;
	ring->sampling_rate = 1;
	ring->slot_header_len = sizeof(struct pfring_pkthdr);
	ring->socket_default_accept_policy = 1;
	ring->fd = -1;
	ring->device_id = -1;
	ring->enabled = 0; /* spec 8.14: not enabled until pfring_enable_ring() */
	ring->rdi.device_id = ring->rdi.port_id = -1; /* no Silicom redirector, as 5.4.6 */
	ring->ft_mode = hardware_and_software;
	ring->ft_device_type = standard_nic_family;
	pf_api_fill_members(ring);
	pthread_rwlock_init(&ring->rx_lock, NULL);
	pthread_rwlock_init(&ring->tx_lock, NULL);
}

static void free_handle(pfring *ring)
{
	pthread_rwlock_destroy(&ring->rx_lock);
	pthread_rwlock_destroy(&ring->tx_lock);
	free(ring->device_name);
	free(ring->appl_name);
	free(ring);
}

/* Checks that do not need the backend: name, flags. 0 or an errno. */
static int check_open_args(const char *name, u_int32_t flags)
{
	if (name == NULL) {
		pf_api_message("pfring_open(NULL): no device name");
		return EINVAL;
	}
	if (flags & ~(u_int32_t)PF_RING_KNOWN_OPEN_FLAGS) {
		pf_api_message("pfring_open(%s): unknown flags 0x%x (known: 0x%x)", PF_QUOTE(name),
			       flags & ~(u_int32_t)PF_RING_KNOWN_OPEN_FLAGS,
			       (unsigned int)PF_RING_KNOWN_OPEN_FLAGS);
		return EINVAL;
	}
	return 0;
}

/* name into *dn with the grammar its prefix's backend declares (by_prefix may
 * be NULL: an unknown prefix, said after the syntax). 0 or an errno. */
static int parse_name(const char *name, const struct pfring_backend *by_prefix,
		      struct pf_devname *dn)
{
	int rc = by_prefix && by_prefix->members_are_names ? pf_devname_parse_names(name, dn)
							    : pf_devname_parse(name, dn);

	if (rc == PF_DEVNAME_OK)
		return 0;
	pf_api_message("pfring_open(%s): %s%s", PF_QUOTE(name),
		       pf_devname_is_list_error(rc) ? "" : "bad device name: ",
		       pf_devname_strerror(rc));
	return EINVAL;
}

pfring *pfring_open(const char *device_name, u_int32_t caplen, u_int32_t flags)
{
	struct pf_devname dn;
	const struct pfring_backend *b = NULL;
	pfring *ring;
	int rc = check_open_args(device_name, flags);

	if (rc == 0) {
		b = prefix_backend(device_name);
		rc = parse_name(device_name, b, &dn);
	}
	if (rc) {
		errno = rc;
		return NULL;
	}
	b = pick_backend(device_name, &dn, b);
	if (b == NULL)
		return NULL;
	ring = calloc(1, sizeof(*ring));
	if (ring == NULL)
		return NULL;
	fill_defaults(ring, caplen, flags);
	ring->device_name = strdup(device_name);
	if (ring->device_name == NULL) {
		free_handle(ring);
		errno = ENOMEM;
		return NULL;
	}
	ring->backend = b;
	errno = 0;
	rc = b->open(ring, &dn);
	if (rc < 0) {
		int err = errno ? errno : open_errno(rc);

		free_handle(ring);
		errno = err;
		return NULL;
	}
	if (pf_api_ring_opened(ring) < 0) {
		if (b->close)
			b->close(ring);
		free_handle(ring);
		errno = ENOMEM;
		return NULL;
	}
	ring->initialized = 1;
	return ring;
}

/* "prefix:name" of the single member of device_name, queues dropped, and its
 * options (NULL without '?'). */
static int multichannel_base(const char *device_name, char *base, size_t base_len,
			     const char **options)
{
	struct pf_devname dn;
	int rc = pf_devname_parse(device_name, &dn);

	if (rc != PF_DEVNAME_OK) {
		pf_api_message("pfring_open_multichannel(%s): bad device name: %s",
			       PF_QUOTE(device_name), pf_devname_strerror(rc));
		return -1;
	}
	if (dn.num_members != 1) {
		pf_api_message("pfring_open_multichannel(%s): one device only, not a list",
			       PF_QUOTE(device_name));
		return -1;
	}
	snprintf(base, base_len, "%s%s", dn.prefix, dn.member[0].name);
	*options = dn.options;
	return 0;
}

/*
 * Opens NAME@0 .. NAME@(n-1), n being the backend's RX channel count for NAME
 * (pfring_get_num_rx_channels of a probe ring), at most MAX_NUM_RX_CHANNELS:
 * the caller's array has that many slots (5.4.6's prototype), and a device with
 * more queues gets its first MAX_NUM_RX_CHANNELS and a message saying so.
 * Returns the number of rings opened, in ring[0 .. n-1]: 0 on failure (errno
 * set). If channel k fails to open, rings 0..k-1 stay open and k is returned,
 * as PF_RING 5.4.6 does; the guide's "last index" would make a single ring
 * indistinguishable from failure.
 */
u_int8_t pfring_open_multichannel(const char *device_name, u_int32_t caplen,
				  u_int32_t flags, pfring *ring[MAX_NUM_RX_CHANNELS])
{
	char base[PF_DEVNAME_PREFIX_MAX + PF_DEVNAME_NAME_MAX];
	char query[1024], dev[sizeof(base) + 12 + sizeof(query)]; /* base@QUEUE?options */
	const char *options = NULL;
	unsigned int num_channels, i;
	pfring *probe;

	if (ring == NULL || multichannel_base(device_name, base, sizeof(base), &options)) {
		errno = EINVAL;
		return 0;
	}
	if (snprintf(query, sizeof(query), "%s%s", options ? "?" : "",
		     options ? options : "") >= (int)sizeof(query)) {
		pf_api_message("pfring_open_multichannel: options longer than 1023 bytes");
		errno = EINVAL;
		return 0;
	}
	snprintf(dev, sizeof(dev), "%s%s", base, query);
	probe = pfring_open(dev, caplen, flags);
	if (probe == NULL)
		return 0;
	num_channels = pfring_get_num_rx_channels(probe);
	pfring_close(probe);
	if (num_channels == 0)
		num_channels = 1;
	if (num_channels > MAX_NUM_RX_CHANNELS) {
		pf_api_message("pfring_open_multichannel(%s): %u RX queues, opening the first "
			       "%d (MAX_NUM_RX_CHANNELS)", PF_QUOTE(device_name), num_channels,
			       MAX_NUM_RX_CHANNELS);
		num_channels = MAX_NUM_RX_CHANNELS;
	}
	for (i = 0; i < num_channels; i++) {
		snprintf(dev, sizeof(dev), "%s@%u%s", base, i, query);
		ring[i] = pfring_open(dev, caplen, flags);
		if (ring[i] == NULL)
			break;
	}
	return (u_int8_t)i;
}

/* Stop every reader: the flags first (api_internal.h), then the backend's
 * wake-up of those sleeping in it. */
static void stop_readers(pfring *ring)
{
	__atomic_store_n(&ring->is_shutting_down, 1, __ATOMIC_SEQ_CST);
	pf_set_break(ring, 1);
	if (PF_HAS(ring, shutdown))
		ring->backend->shutdown(ring);
}

void pfring_shutdown(pfring *ring)
{
	if (ring == NULL) {
		errno = EINVAL;
		return;
	}
	stop_readers(ring);
}

__thread pfring *pf_thread_ring;
__thread unsigned int pf_thread_depth;

/* Until no recv/poll/loop is inside but this thread's own, when a signal
 * handler closes the ring this thread was inside (api_internal.h): a sleeper
 * the first wake-up missed (it was between its check and its sleep) is woken
 * again every 10 msec. */
static void wait_for_readers(pfring *ring)
{
	const struct timespec ms = { .tv_sec = 0, .tv_nsec = 1000000 };
	unsigned int own = pf_thread_depth > 0 && pf_thread_ring == ring ? 1 : 0;
	unsigned int n;

	for (n = 1; __atomic_load_n(&ring->num_callers_inside, __ATOMIC_SEQ_CST) > own; n++) {
		nanosleep(&ms, NULL);
		if (n % 10 == 0)
			stop_readers(ring);
	}
}

/*
 * Safe while other threads sleep in pfring_recv/poll/loop on this ring: they
 * are woken, return 0 (as after pfring_shutdown), and close frees the handle
 * only once the last has left. A call that starts after close returned uses a
 * freed handle (undefined, as closing twice, as in PF_RING).
 */
void pfring_close(pfring *ring)
{
	if (ring == NULL)
		return;
	stop_readers(ring);
	wait_for_readers(ring);
	pf_api_ring_closed(ring);
	if (PF_HAS(ring, close))
		ring->backend->close(ring);
	free_handle(ring);
}
