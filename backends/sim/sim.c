/*
 * backends/sim/sim.c - the "sim:" backend: pfring_* on a simulated NIC, served from
 * the rings that backends/sim/host_pump.c fills (design and decisions in backends/sim/host.h).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/backend.h"
#include "lib/filter_ops.h"
#include "lib/api_internal.h"
#include "lib/ring_read.h"
#include "backends/sim/host.h"
#include "backends/sim/shared_client.h"
#include "backends/sim/sim_list.h"

static struct pf_socket *sim_socket_of(pfring *ring)
{
	return &sim_ring_of(ring)->sock;
}

/* No options, no NIC of that name here, and pfsim serving it. */
static int served_by_pfsim(const struct sim_name *n)
{
	return n->options == NULL && sim_nic_find(n->nic) == NULL &&
	       sim_shared_available(n->nic);
}

static int sim_open(pfring *ring, const struct pf_devname *dn)
{
	struct sim_name n;
	struct sim_ring *r;
	char err[256];
	int rc;

	if (sim_name_from(dn, &n, err, sizeof(err))) {
		pf_api_message("pfring_open(\"%s\"): %s", ring->device_name, err);
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	if (served_by_pfsim(&n)) {
		/* shared mode (backends/sim/shared_proto.h): pfsim's backend serves this ring */
		ring->backend = &pfring_sim_shared_backend;
		return sim_shared_open(ring, &n);
	}
	rc = sim_host_open(ring, &n, &r);
	if (rc < 0)
		return rc;
	ring->priv_data = r;
	ring->fd = r->efd;
	ring->device_id = sim_nic_ifindex(sim_host_nic(r));
	return 0;
}

static void sim_close(pfring *ring)
{
	if (ring->priv_data)
		(void)sim_host_close(sim_ring_of(ring));   /* -1: left attached (backends/sim/host.h) */
	ring->priv_data = NULL;
	ring->fd = -1;
}

/* A copy, not the slot: the slot is the producer's again at the next recv. */
static void keep_last(struct sim_ring *r, const u_char *data, u_int len)
{
	(void)sim_host_keep_last(r, data, len);
}

/* One packet from the ring if it has one: 1, 0, or an error. */
static int take(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr)
{
	struct sim_ring *r = sim_ring_of(ring);
	struct pf_ring_view v;
	int rc = pf_ring_read(ring, &r->cons, ring->long_header, buffer, buffer_len, hdr, &v);

	if (rc < 0)
		return PF_RING_ERROR_GENERIC;
	if (rc == 1) {
		if (ring->long_header)  /* pfring_send_last_rx_packet needs it */
			keep_last(r, buffer_len ? *buffer : v.data, v.caplen);
		sim_host_reader_progress(r);
	}
	return rc;
}

/* msec the reader may sleep after a pump that left the wire in st. */
static int wait_msec(pfring *ring, enum sim_pump_state st, u64 wait_ns, int limit)
{
	int ms = limit;

	if (st == SIM_PUMP_MORE)
		return 0;
	if (st == SIM_PUMP_PACED) {
		u64 w = (wait_ns + 999999) / 1000000;

		if (w < (u64)ms)
			ms = (int)w;
	}
	if (st == SIM_PUMP_BLOCKED && ms > 10)
		ms = 10;     /* the blocker's reader also signals; this is a backstop */
	(void)ring;
	return ms;
}

static void sleep_on(struct sim_ring *r, int ms)
{
	struct pollfd p = { .fd = r->efd, .events = POLLIN };

	if (ms > 0)
		poll(&p, 1, ms);
}

/* The NIC's source failed for good (a corrupt capture record: backends/sim/host_pump.c
 * printed what, once); every later recv or poll says so again. */
static int source_failed(void)
{
	errno = EIO;
	return PF_RING_ERROR_GENERIC;
}

static int sim_recv(pfring *ring, u_char **buffer, u_int buffer_len,
		    struct pfring_pkthdr *hdr, u_int8_t wait)
{
	struct sim_ring *r = sim_ring_of(ring);
	enum sim_pump_state st;
	u64 wait_ns;
	int rc;

	for (;;) {
		rc = take(ring, buffer, buffer_len, hdr);
		if (rc != 0)
			return rc;
		pf_ring_release(&r->cons);
		st = sim_host_pump(r, &wait_ns);
		rc = take(ring, buffer, buffer_len, hdr);
		if (rc != 0)
			return rc;
		if (st == SIM_PUMP_ERROR)
			return source_failed();
		if (!wait || pf_break_requested(ring))
			return 0;
		sleep_on(r, wait_msec(ring, st, wait_ns, ring->poll_duration));
		if (pf_break_requested(ring))
			return 0;
	}
}

/* pfring_shutdown / pfring_close: make the eventfd readable, which wakes the
 * ring's sleepers (they see the break flag or is_shutting_down). */
static void sim_shutdown(pfring *ring)
{
	u64 one = 1;

	(void)!write(sim_ring_of(ring)->efd, &one, sizeof(one));
}

/* > 0 at the watermark, or with packets when the wire cannot bring more now. */
static int sim_poll(pfring *ring, u_int wait_duration)
{
	struct sim_ring *r = sim_ring_of(ring);
	u64 end = pf_monotonic_ms() + wait_duration, wait_ns, q, now;
	u32 wm = ring->poll_watermark ? ring->poll_watermark : 1;
	enum sim_pump_state st;

	for (;;) {
		pf_ring_release(&r->cons);
		st = sim_host_pump(r, &wait_ns);
		if (st == SIM_PUMP_ERROR)
			return source_failed();
		q = pf_ring_cons_queued(&r->cons);
		if (q >= wm || (q > 0 && st != SIM_PUMP_MORE))
			return 1;
		now = pf_monotonic_ms();
		if (now >= end || pf_shutting_down(ring))
			return q > 0;
		sleep_on(r, wait_msec(ring, st, wait_ns, (int)(end - now)));
	}
}

static int sim_is_pkt_available(pfring *ring)
{
	struct sim_ring *r = sim_ring_of(ring);
	u64 wait_ns;

	if (pf_ring_cons_queued(&r->cons) == 0) {
		pf_ring_release(&r->cons);
		sim_host_pump(r, &wait_ns);
	}
	return pf_ring_cons_queued(&r->cons) > 0;
}

static u_int32_t sim_get_num_queued_pkts(pfring *ring)
{
	u64 q = pf_ring_cons_queued(&sim_ring_of(ring)->cons);

	return q > UINT32_MAX ? UINT32_MAX : (u_int32_t)q;
}

/* The next packet's timestamp (pumping if the ring is empty). */
static int peek_ts(pfring *ring, u64 *ts)
{
	struct sim_ring *r = sim_ring_of(ring);
	struct pf_ring_view v;
	int rc;

	if (!sim_is_pkt_available(ring))
		return PF_RING_ERROR_NO_PKT_AVAILABLE;
	rc = pf_ring_peek(&r->cons, &v);
	if (rc < 0)
		return PF_RING_ERROR_GENERIC;
	if (rc == 0)
		return PF_RING_ERROR_NO_PKT_AVAILABLE;
	*ts = v.ts_ns;
	return 0;
}

static int sim_next_pkt_time(pfring *ring, struct timespec *ts)
{
	u64 t;
	int rc = peek_ts(ring, &t);

	if (rc)
		return rc;
	ts->tv_sec = (time_t)(t / 1000000000ull);
	ts->tv_nsec = (long)(t % 1000000000ull);
	return 0;
}

static int sim_next_pkt_raw_timestamp(pfring *ring, u_int64_t *timestamp_ns)
{
	u64 t;
	int rc;

	if (!(ring->flags & PF_RING_HW_TIMESTAMP))
		return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EINVAL);
	rc = peek_ts(ring, &t);
	if (rc == 0)
		*timestamp_ns = t;
	return rc;
}

static int sim_enable_ring(pfring *ring)
{
	sim_host_set_enabled(sim_ring_of(ring), 1);
	return 0;
}

static int sim_disable_ring(pfring *ring)
{
	sim_host_set_enabled(sim_ring_of(ring), 0);
	return 0;
}

static int sim_set_socket_mode(pfring *ring, socket_mode mode)
{
	sim_host_set_send_only(sim_ring_of(ring), mode == send_only_mode);
	return 0;
}

/* From the ring's published counters, without the host lock: 5.4.6 programs
 * call pfring_stats from SIGALRM handlers that may interrupt their own pump. */
static int sim_stats(pfring *ring, pfring_stat *stats)
{
	struct pf_ring_stats s;

	pf_ring_cons_stats(&sim_ring_of(ring)->cons, &s);
	stats->recv = s.inserted;
	stats->drop = s.dropped_full;
	return 0;
}

static int sim_set_cluster(pfring *ring, u_int cluster_id, cluster_type type)
{
	int rc = sim_host_set_cluster(sim_ring_of(ring), cluster_id, type);

	if (rc == -PF_ENOSPC)
		pf_api_message("pfring_set_cluster: cluster %u already has %d members",
			       cluster_id, CLUSTER_LEN);
	else if (rc == -PF_EINVAL)
		pf_api_message("pfring_set_cluster: cluster %u has another type", cluster_id);
	return pfring_error_from_core(rc);
}

static int sim_remove_from_cluster(pfring *ring)
{
	return pfring_error_from_core(sim_host_remove_from_cluster(sim_ring_of(ring)));
}

static u_int8_t sim_get_num_rx_channels(pfring *ring)
{
	return (u_int8_t)sim_nic_num_queues(sim_host_nic(sim_ring_of(ring))); /* <= SIM_MAX_QUEUES */
}

static int sim_get_bound_device_address(pfring *ring, u_char mac[6])
{
	sim_nic_mac(sim_host_nic(sim_ring_of(ring)), mac);
	return 0;
}

static int sim_get_bound_device_ifindex(pfring *ring, int *if_index)
{
	*if_index = sim_nic_ifindex(sim_host_nic(sim_ring_of(ring)));
	return 0;
}

static int sim_get_bound_device_id(pfring *ring, int *device_id)
{
	*device_id = sim_nic_ifindex(sim_host_nic(sim_ring_of(ring)));
	return 0;
}

static int sim_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush)
{
	(void)flush;
	return sim_host_send(sim_ring_of(ring), pkt, pkt_len, -1);
}

/* Any sim NIC of this process, "sim:NAME" or "NAME" (not only the bound one). */
static int sim_get_device_ifindex(pfring *ring, const char *device_name, int *if_index)
{
	const char *name = strncmp(device_name, "sim:", 4) == 0 ? device_name + 4 : device_name;
	int ifindex = sim_nic_find_ifindex(name);

	(void)ring;
	if (ifindex < 0) {
		pf_api_message("pfring_get_device_ifindex: no sim NIC \"%s\"", name);
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, ENODEV);
	}
	*if_index = ifindex;
	return 0;
}

/* The simulated home is this process: the copy 5.4.6's kernel made. */
static int sim_loopback_test(pfring *ring, char *buffer, u_int len)
{
	u_int i;

	(void)ring;
	for (i = 0; i < len; i++)
		buffer[i] = (char)(i & 0xff);
	return 0;
}

static int sim_send_ifindex(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush,
			    int if_index)
{
	(void)flush;
	return sim_host_send(sim_ring_of(ring), pkt, pkt_len, if_index);
}

static int sim_add_hw_rule(pfring *ring, hw_filtering_rule *rule)
{
	if (sim_ring_of(ring)->filtering_mode == software_only) {
		pf_api_message("pfring_add_hw_rule: the ring is in software_only filtering mode");
		errno = EINVAL;
		return PF_RING_ERROR_WRONG_CONFIGURATION;
	}
	return sim_host_add_hw_rule(sim_ring_of(ring), rule);
}

static int sim_remove_hw_rule(pfring *ring, u_int16_t rule_id)
{
	return sim_host_remove_hw_rule(sim_ring_of(ring), rule_id);
}

static int sim_get_device_clock(pfring *ring, struct timespec *ts)
{
	sim_host_clock(sim_ring_of(ring), SIM_CLOCK_GET, ts, 0);
	return 0;
}

static int sim_set_device_clock(pfring *ring, const struct timespec *ts)
{
	struct timespec t = *ts;

	sim_host_clock(sim_ring_of(ring), SIM_CLOCK_SET, &t, 0);
	return 0;
}

static int sim_adjust_device_clock(pfring *ring, const struct timespec *off, int8_t sign)
{
	struct timespec t = *off;

	sim_host_clock(sim_ring_of(ring), SIM_CLOCK_ADJUST, &t, sign);
	return 0;
}

/* ------------------------------------------------------------ chapter 8 extras */

static int sim_set_reflector_device(pfring *ring, const char *device_name)
{
	return sim_host_set_reflector(sim_ring_of(ring), device_name);
}

static int sim_send_get_time(pfring *ring, const u_char *pkt, u_int pkt_len,
			     struct timespec *ts)
{
	u64 t = 0;
	int rc = sim_host_send_ts(sim_ring_of(ring), pkt, pkt_len, -1, &t);

	if (rc >= 0) {
		ts->tv_sec = (time_t)(t / 1000000000ull);
		ts->tv_nsec = (long)(t % 1000000000ull);
	}
	return rc;
}

static int sim_send_last_rx_packet(pfring *ring, int tx_interface_id)
{
	struct sim_ring *r = sim_ring_of(ring);

	if (r->last_len == 0) {
		pf_api_message("pfring_send_last_rx_packet: no packet received yet");
		errno = ENOENT;
		return PF_RING_ERROR_NO_PKT_AVAILABLE;
	}
	return sim_host_send(r, r->last, r->last_len, tx_interface_id);
}

static int sim_enable_rss_rehash(pfring *ring)
{
	sim_host_rss_rehash(sim_ring_of(ring));
	return 0;
}

static int sim_set_filtering_mode(pfring *ring, filtering_mode mode)
{
	sim_ring_of(ring)->filtering_mode = (u8)mode;
	return 0;
}

static int sim_set_channel_id(pfring *ring, u_int32_t channel_id)
{
	return sim_host_set_queue(sim_ring_of(ring), channel_id);
}

static int sim_get_mtu_size(pfring *ring)
{
	return (int)sim_nic_mtu(sim_host_nic(sim_ring_of(ring)));    /* mtu=, default 1500 */
}

const struct pfring_backend pfring_sim_backend = {
	.name = "sim",
	.prefix = "sim:",
	.list_devices = sim_list_devices,
	.open = sim_open,
	.close = sim_close,
	.shutdown = sim_shutdown,
	.recv = sim_recv,
	.next_pkt_time = sim_next_pkt_time,
	.next_pkt_raw_timestamp = sim_next_pkt_raw_timestamp,
	.is_pkt_available = sim_is_pkt_available,
	.get_num_queued_pkts = sim_get_num_queued_pkts,
	.poll = sim_poll,
	.set_cluster = sim_set_cluster,
	.remove_from_cluster = sim_remove_from_cluster,
	PF_FILTER_OPS(sim_socket_of),
	.add_hw_rule = sim_add_hw_rule,
	.remove_hw_rule = sim_remove_hw_rule,
	.send = sim_send,
	.send_ifindex = sim_send_ifindex,
	.enable_ring = sim_enable_ring,
	.disable_ring = sim_disable_ring,
	.set_socket_mode = sim_set_socket_mode,
	.stats = sim_stats,
	.get_bound_device_address = sim_get_bound_device_address,
	.get_bound_device_id = sim_get_bound_device_id,
	.get_bound_device_ifindex = sim_get_bound_device_ifindex,
	.get_device_ifindex = sim_get_device_ifindex,
	.loopback_test = sim_loopback_test,
	.get_num_rx_channels = sim_get_num_rx_channels,
	.get_device_clock = sim_get_device_clock,
	.set_device_clock = sim_set_device_clock,
	.adjust_device_clock = sim_adjust_device_clock,
	.set_reflector_device = sim_set_reflector_device,
	.send_get_time = sim_send_get_time,
	.send_last_rx_packet = sim_send_last_rx_packet,
	.enable_rss_rehash = sim_enable_rss_rehash,
	.set_filtering_mode = sim_set_filtering_mode,
	.set_channel_id = sim_set_channel_id,
	.get_mtu_size = sim_get_mtu_size,
};
