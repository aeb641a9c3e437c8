/*
 * backends/kmod/kmod_ops.c - the pfring_* calls that are one pf_ring.ko socket
 * option each (core/abi.h): clusters, filtering, settings, device facts,
 * transmission. Errors come back as the kernel's errno, mapped by
 * pf_kmod_error(); refusals worth a sentence are explained on stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/filter.h>

#include "backends/kmod/kmod.h"
#include "backends/kmod/kmod_ops.h"
#include "lib/filter_ops.h"
#include "lib/api_internal.h"

/* Largest statistics answer asked of the kernel. */
#define KMOD_STATS_MAX 65536u

static int set_u32(pfring *ring, int opt, u_int32_t v)
{
	return pf_kmod_set(ring, opt, &v, sizeof(v));
}

static int set_u16(pfring *ring, int opt, u_int16_t v)
{
	return pf_kmod_set(ring, opt, &v, sizeof(v));
}

static int get_u32(pfring *ring, int opt, u_int32_t *v)
{
	socklen_t len = sizeof(*v);
	int rc = pf_kmod_get(ring, opt, v, &len);

	if (rc == 0 && len != sizeof(*v))
		return pf_api_fail(PF_RING_ERROR_GENERIC, EPROTO);
	return rc;
}

/* ------------------------------------------------------------- clusters */

int pf_kmod_set_cluster(pfring *ring, u_int cluster_id, cluster_type type)
{
	struct pf_ring_cluster_req req = { .cluster_id = cluster_id, .type = (u_int32_t)type };
	int rc = pf_kmod_set(ring, SO_ADD_TO_CLUSTER, &req, sizeof(req));
	int err = errno;

	if (rc < 0 && err == ENOSPC)
		pf_api_message("pfring_set_cluster: cluster %u already has %d members",
			       cluster_id, CLUSTER_LEN);
	else if (rc < 0 && err == EINVAL)
		pf_api_message("pfring_set_cluster: cluster %u has another type", cluster_id);
	errno = err;
	return rc;
}

int pf_kmod_remove_from_cluster(pfring *ring)
{
	return pf_kmod_set(ring, SO_REMOVE_FROM_CLUSTER, NULL, 0);
}

/* A NUL-terminated string option whose length the kernel limits to max - 1. */
static int set_string(pfring *ring, int opt, const char *s, size_t max, const char *call)
{
	size_t len = strlen(s);

	if (len >= max) {
		pf_api_message("%s(%s): %zu bytes, at most %zu", call, PF_QUOTE(s), len, max - 1);
		return pf_api_invalid();
	}
	return pf_kmod_set(ring, opt, s, (socklen_t)(len + 1));
}

int pf_kmod_set_reflector_device(pfring *ring, const char *device_name)
{
	int rc = set_string(ring, SO_SET_REFLECTOR, device_name, IFNAMSIZ,
			    "pfring_set_reflector_device");
	int err = errno;

	if (rc == PF_RING_ERROR_UNKNOWN_ADAPTER)
		pf_api_message("pfring_set_reflector_device(%s): no such interface",
			       PF_QUOTE(device_name));
	errno = err;
	return rc;
}

int pf_kmod_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	return set_u32(ring, SO_SET_SAMPLING_RATE, rate);
}

/* ------------------------------------------------------------ filtering */

int pf_kmod_add_filtering_rule(pfring *ring, filtering_rule *rule)
{
	int rc = pf_kmod_set(ring, SO_ADD_FILTERING_RULE, rule, sizeof(*rule));
	int err = errno;

	if (rc < 0)
		pf_ops_explain_rule(-err, rule, ring->device_name);
	errno = err;
	return rc;
}

int pf_kmod_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	return set_u16(ring, SO_REMOVE_FILTERING_RULE, rule_id);
}

/* A statistics getsockopt: the question (qlen bytes) goes in the buffer the
 * answer comes back in. */
static int get_stats(pfring *ring, int opt, const void *q, size_t qlen, char *stats,
		     u_int *stats_len)
{
	size_t cap = *stats_len < KMOD_STATS_MAX ? *stats_len : KMOD_STATS_MAX;
	socklen_t len;
	char *buf;
	int rc;

	if (cap < qlen)
		cap = qlen;
	buf = malloc(cap);
	if (buf == NULL)
		return pf_api_fail(PF_RING_ERROR_GENERIC, ENOMEM);
	memcpy(buf, q, qlen);
	len = (socklen_t)cap;
	rc = pf_kmod_get(ring, opt, buf, &len);
	if (rc == 0 && len > *stats_len)
		rc = pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, ENOBUFS);
	if (rc == 0) {
		memcpy(stats, buf, len);
		*stats_len = len;
	}
	free(buf);
	return rc;
}

int pf_kmod_get_filtering_rule_stats(pfring *ring, u_int16_t rule_id, char *stats,
				     u_int *stats_len)
{
	return get_stats(ring, SO_GET_FILTERING_RULE_STATS, &rule_id, sizeof(rule_id),
			 stats, stats_len);
}

int pf_kmod_purge_idle_rules(pfring *ring, u_int16_t inactivity_sec)
{
	return set_u16(ring, SO_PURGE_IDLE_RULES, inactivity_sec);
}

int pf_kmod_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
				       u_char add_rule)
{
	struct pf_ring_hash_rule_req req;
	int rc, err;

	memset(&req, 0, sizeof(req));
	req.rule = *rule;
	req.add = add_rule ? 1 : 0;
	rc = pf_kmod_set(ring, SO_HANDLE_HASH_FILTERING_RULE, &req, sizeof(req));
	err = errno;
	if (rc < 0 && err == ENOSPC)
		pf_api_message("pfring_handle_hash_filtering_rule: the precise rule table of "
			       "%s is full", ring->device_name);
	else if (rc < 0 && err == EINVAL)
		pf_ops_explain_hash_rule(-err, ring->device_name, 0);
	else if (rc < 0 && err == ENOENT && add_rule)
		pf_api_message("pfring_handle_hash_filtering_rule: the rule names a plugin that is "
			       "not loaded or is being unloaded (action plugin %u)",
			       rule->plugin_action.plugin_id);
	errno = err;
	return rc;
}

int pf_kmod_get_hash_filtering_rule_stats(pfring *ring, hash_filtering_rule *rule,
					  char *stats, u_int *stats_len)
{
	return get_stats(ring, SO_GET_HASH_FILTERING_RULE_STATS, rule, sizeof(*rule),
			 stats, stats_len);
}

int pf_kmod_purge_idle_hash_rules(pfring *ring, u_int16_t inactivity_sec)
{
	return set_u16(ring, SO_PURGE_IDLE_HASH_RULES, inactivity_sec);
}

_Static_assert(sizeof(struct sock_filter) == sizeof(struct pf_bpf_insn),
	       "libpcap's program is handed to the kernel as it is");

/* Run by the kernel's classic BPF: the socket's sk_filter. */
int pf_kmod_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			    const char *what)
{
	struct sock_fprog prog;
	int err;

	if (n > 0xffff) {
		pf_api_message("%s: %u instructions, the kernel takes at most 65535", what, n);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, E2BIG);
	}
	prog.len = (unsigned short)n;
	prog.filter = (struct sock_filter *)insns;
	if (pf_kmod_sys->setsockopt(ring->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				    sizeof(prog)) < 0) {
		err = errno;
		pf_api_message("%s: refused by the kernel: %s", what, strerror(err));
		return pf_kmod_error(err);
	}
	return 0;
}

int pf_kmod_remove_bpf_filter(pfring *ring)
{
	int dummy = 0;

	if (pf_kmod_sys->setsockopt(ring->fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy,
				    sizeof(dummy)) < 0)
		return pf_kmod_error(errno);
	return 0;
}

int pf_kmod_toggle_filtering_policy(pfring *ring, u_int8_t default_accept)
{
	u_int8_t v = default_accept ? 1 : 0;

	return pf_kmod_set(ring, SO_TOGGLE_FILTER_POLICY, &v, sizeof(v));
}

/* ---------------------------------------------------------- transmission */

static int send_bound(pfring *ring, const u_char *pkt, u_int pkt_len, const char *call)
{
	ssize_t n;

	if (kmod_ring(ring)->name.any) {
		pf_api_message("%s: a ring bound to \"any\" cannot send (open the device itself)",
			       call);
		return pf_api_fail(PF_RING_ERROR_WRONG_CONFIGURATION, EDESTADDRREQ);
	}
	n = pf_kmod_sys->send(ring->fd, pkt, pkt_len, 0);
	if (n < 0 && errno == ENODEV)
		pf_api_message("%s: %s is gone (unregistered): nothing can be sent on this ring",
			       call, ring->device_name);
	if (n < 0)
		return pf_kmod_error(errno);
	return (int)n;
}

int pf_kmod_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush)
{
	(void)flush;    /* every send() is a transmission: nothing is batched */
	return send_bound(ring, pkt, pkt_len, "pfring_send");
}

/* The socket transmits on its bound device only (core/abi.h). */
static int bound_ifindex_only(pfring *ring, int if_index, const char *call)
{
	if (if_index == kmod_ring(ring)->ifindex && if_index >= 0)
		return 0;
	pf_api_message("%s: pf_ring.ko sends on the bound device only (ifindex %d), not on "
		       "ifindex %d", call, kmod_ring(ring)->ifindex, if_index);
	return pf_api_fail(PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP);
}

int pf_kmod_send_ifindex(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush,
			 int if_index)
{
	int rc = bound_ifindex_only(ring, if_index, "pfring_send_ifindex");

	(void)flush;
	return rc ? rc : send_bound(ring, pkt, pkt_len, "pfring_send_ifindex");
}

/* tx_interface_id -1: the bound device; otherwise it must be the bound one. */
int pf_kmod_send_last_rx_packet(pfring *ring, int tx_interface_id)
{
	const u_char *pkt;
	u_int len;
	int rx_ifindex, rc;

	rc = pf_kmod_last_rx(ring, &pkt, &len, &rx_ifindex);
	if (rc == 0 && tx_interface_id != -1)
		rc = bound_ifindex_only(ring, tx_interface_id, "pfring_send_last_rx_packet");
	return rc ? rc : send_bound(ring, pkt, len, "pfring_send_last_rx_packet");
}

/* -------------------------------------------------------------- settings */

int pf_kmod_enable_ring(pfring *ring)
{
	return pf_kmod_set(ring, SO_ACTIVATE_RING, NULL, 0);
}

int pf_kmod_disable_ring(pfring *ring)
{
	return pf_kmod_set(ring, SO_DEACTIVATE_RING, NULL, 0);
}

int pf_kmod_version(pfring *ring, u_int32_t *version)
{
	return get_u32(ring, SO_GET_RING_VERSION, version);
}

int pf_kmod_set_direction(pfring *ring, packet_direction direction)
{
	return set_u32(ring, SO_SET_PACKET_DIRECTION, (u_int32_t)direction);
}

int pf_kmod_set_socket_mode(pfring *ring, socket_mode mode)
{
	return set_u32(ring, SO_SET_SOCKET_MODE, (u_int32_t)mode);
}

int pf_kmod_set_poll_watermark(pfring *ring, u_int16_t watermark)
{
	return set_u16(ring, SO_SET_POLL_WATERMARK, watermark);
}

int pf_kmod_set_application_name(pfring *ring, const char *name)
{
	return set_string(ring, SO_SET_APPL_NAME, name, 64, "pfring_set_application_name");
}

int pf_kmod_set_channel_id(pfring *ring, u_int32_t channel_id)
{
	return set_u32(ring, SO_SET_CHANNEL_ID, channel_id);
}

/* ----------------------------------------------------------- device facts */

int pf_kmod_get_bound_device_address(pfring *ring, u_char mac_address[6])
{
	u_int8_t mac[6];
	socklen_t len = sizeof(mac);
	int rc = pf_kmod_get(ring, SO_GET_BOUND_DEVICE_ADDRESS, mac, &len);

	if (rc == 0 && len != sizeof(mac))
		return pf_api_fail(PF_RING_ERROR_GENERIC, EPROTO);
	if (rc == 0)
		memcpy(mac_address, mac, sizeof(mac));
	return rc;
}

int pf_kmod_get_bound_device_ifindex(pfring *ring, int *if_index)
{
	int32_t v;
	socklen_t len = sizeof(v);
	int rc = pf_kmod_get(ring, SO_GET_BOUND_DEVICE_IFINDEX, &v, &len);

	if (rc == 0 && len != sizeof(v))
		return pf_api_fail(PF_RING_ERROR_GENERIC, EPROTO);
	if (rc == 0)
		*if_index = v;
	return rc;
}

/* Any interface of this host, by name (SIOCGIFINDEX: the kernel's ifindex, the
 * one pf_ring.ko reports); "any" has none. */
int pf_kmod_get_device_ifindex(pfring *ring, const char *device_name, int *if_index)
{
	struct ifreq ifr;

	(void)ring;
	memset(&ifr, 0, sizeof(ifr));
	if (pf_kmod_ifreq(device_name, SIOCGIFINDEX, &ifr) < 0) {
		int err = errno;

		pf_api_message("pfring_get_device_ifindex(%s): %s", PF_QUOTE(device_name),
			       strerror(err));
		errno = err;
		return err == ENODEV ? PF_RING_ERROR_UNKNOWN_ADAPTER : pf_kmod_error(err);
	}
	*if_index = ifr.ifr_ifindex;
	return 0;
}

/* Errors come back cast to u_int16_t, as the front documents. */
u_int16_t pf_kmod_get_ring_id(pfring *ring)
{
	u_int32_t id;
	int rc = get_u32(ring, SO_GET_RING_ID, &id);

	return rc < 0 ? (u_int16_t)rc : (u_int16_t)id;
}

/* 1 when the kernel cannot tell (spec 8.14), at most 255. */
u_int8_t pf_kmod_get_num_rx_channels(pfring *ring)
{
	u_int32_t n;

	if (get_u32(ring, SO_GET_NUM_RX_CHANNELS, &n) < 0 || n == 0)
		return 1;
	return n > 255 ? 255 : (u_int8_t)n;
}

int pf_kmod_get_mtu_size(pfring *ring)
{
	struct kmod_ring *k = kmod_ring(ring);
	struct ifreq ifr;

	if (k->name.any) {
		pf_api_message("pfring_get_mtu_size: \"any\" has no MTU of its own");
		return pf_api_unsupported();
	}
	memset(&ifr, 0, sizeof(ifr));
	if (pf_kmod_ifreq(k->name.ifname, SIOCGIFMTU, &ifr) < 0)
		return pf_kmod_error(errno);
	return ifr.ifr_mtu;
}
