// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_sockopt.c - the socket options of core/abi.h. Each checks its
 * length (-EINVAL) and contents before it reaches core/, which does the work.
 * core/'s error codes are Linux errno values (core/errors.h), returned as is.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sockptr.h>

#include "pf_ring_kmod.h"

/* Copy exactly n bytes of option argument, refusing any other length. */
static int opt_get(void *dst, size_t n, sockptr_t src, unsigned int optlen)
{
	if (optlen != n)
		return -EINVAL;
	return copy_from_sockptr(dst, src, n) ? -EFAULT : 0;
}

/* A NUL-terminated string of fewer than max bytes. */
static int opt_string(char *dst, size_t max, sockptr_t src, unsigned int optlen)
{
	if (optlen == 0 || optlen > max)
		return -EINVAL;
	if (copy_from_sockptr(dst, src, optlen))
		return -EFAULT;
	if (!memchr(dst, '\0', optlen)) {
		if (optlen == max)
			return -EINVAL;
		dst[optlen] = '\0';
	}
	return 0;
}

static int set_reflector(struct pf_ring_sock *ps, sockptr_t optval, unsigned int optlen)
{
	char name[IFNAMSIZ];
	struct net_device *dev;
	int rc = opt_string(name, sizeof(name), optval, optlen);

	if (rc)
		return rc;
	if (name[0]) {
		dev = dev_get_by_name(sock_net(&ps->sk), name);
		if (!dev)
			return -ENODEV;
		dev_put(dev);
	}
	spin_lock_bh(&ps->prod_lock);
	strscpy(ps->reflector, name, sizeof(ps->reflector));
	spin_unlock_bh(&ps->prod_lock);
	return 0;
}

/* Options that configure the ring before bind. */
static int set_before_bind(struct pf_ring_sock *ps, int optname, u32 v)
{
	int rc = 0;

	lock_sock(&ps->sk);
	if (ps->bound) {
		rc = -EISCONN;
	} else if (optname == SO_RING_BUCKET_LEN) {
		if (v < ETH_HLEN || v > 65535)
			rc = -EINVAL;
		else
			ps->caplen = v;
	} else if (v & ~PF_RING_LAYOUT_FLAGS) {
		rc = -EINVAL;
	} else {
		ps->ring_flags = v;
	}
	release_sock(&ps->sk);
	return rc;
}

static int set_u32_option(struct pf_ring_sock *ps, int optname, sockptr_t optval,
			  unsigned int optlen)
{
	u32 v;
	int rc = opt_get(&v, sizeof(v), optval, optlen);

	if (rc)
		return rc;
	switch (optname) {
	case SO_SET_SAMPLING_RATE:
		return pf_socket_set_sampling(&ps->core, v);
	case SO_SET_PACKET_DIRECTION:
		if (v > tx_only_direction)
			return -EINVAL;
		return pf_socket_set_direction(&ps->core, (packet_direction)v);
	case SO_SET_SOCKET_MODE:
		if (v > recv_only_mode)
			return -EINVAL;
		WRITE_ONCE(ps->mode, (u8)v);
		return 0;
	case SO_SET_CHANNEL_ID:
		if (v != RING_ANY_CHANNEL && v >= PF_RING_MAX_QUEUES)
			return -EINVAL;
		WRITE_ONCE(ps->queue, v == RING_ANY_CHANNEL ? -1 : (int)v);
		return 0;
	case SO_RING_BUCKET_LEN:
	case SO_SET_RING_FLAGS:
		return set_before_bind(ps, optname, v);
	}
	return -ENOPROTOOPT;
}

static int set_u16_option(struct pf_ring_sock *ps, int optname, sockptr_t optval,
			  unsigned int optlen)
{
	u16 v;
	int rc = opt_get(&v, sizeof(v), optval, optlen);

	if (rc)
		return rc;
	switch (optname) {
	case SO_REMOVE_FILTERING_RULE:
		return pf_socket_remove_rule(&ps->core, v);
	case SO_PURGE_IDLE_RULES:
		return pf_socket_purge_idle(&ps->core, v);
	case SO_PURGE_IDLE_HASH_RULES:
		return pf_socket_purge_idle_hash(&ps->core, v);
	case SO_SET_POLL_WATERMARK:
		/* as PF_RING: at least 1, at most half the ring's slots */
		if (v == 0)
			return -EINVAL;
		WRITE_ONCE(ps->watermark, min_t(u16, v, max_t(u32, 1, min_num_slots / 2)));
		return 0;
	}
	return -ENOPROTOOPT;
}

static int set_pf_ring_option(struct pf_ring_sock *ps, int optname, sockptr_t optval,
			      unsigned int optlen)
{
	struct pf_ring_cluster_req creq;
	struct pf_ring_hash_rule_req *hreq;
	filtering_rule *rule;
	char name[PF_APPL_NAME_LEN];
	u8 policy;
	int rc;

	switch (optname) {
	case SO_ADD_TO_CLUSTER:
		rc = opt_get(&creq, sizeof(creq), optval, optlen);
		return rc ? rc : pf_ring_cluster_join(ps, creq.cluster_id, creq.type);
	case SO_REMOVE_FROM_CLUSTER:
		return optlen ? -EINVAL : pf_ring_cluster_leave(ps);
	case SO_ADD_FILTERING_RULE:
		rule = kmalloc(sizeof(*rule), GFP_KERNEL);
		if (!rule)
			return -ENOMEM;
		rc = opt_get(rule, sizeof(*rule), optval, optlen);
		if (!rc) {
			rule->internals.reflector_dev = NULL;   /* never a user pointer */
			rc = pf_socket_add_rule(&ps->core, rule);
		}
		kfree(rule);
		return rc;
	case SO_HANDLE_HASH_FILTERING_RULE:
		hreq = kmalloc(sizeof(*hreq), GFP_KERNEL);
		if (!hreq)
			return -ENOMEM;
		rc = opt_get(hreq, sizeof(*hreq), optval, optlen);
		if (!rc && hreq->add > 1)
			rc = -EINVAL;
		if (!rc) {
			hreq->rule.internals.reflector_dev = NULL;
			rc = pf_socket_hash_rule(&ps->core, &hreq->rule, (int)hreq->add);
		}
		kfree(hreq);
		return rc;
	case SO_TOGGLE_FILTER_POLICY:
		rc = opt_get(&policy, sizeof(policy), optval, optlen);
		if (!rc && policy > 1)
			rc = -EINVAL;
		return rc ? rc : pf_socket_set_policy(&ps->core, policy);
	case SO_ACTIVATE_RING:
	case SO_DEACTIVATE_RING:
		if (optlen)
			return -EINVAL;
		if (!pf_ring_sock_bound(ps))
			return -ENOTCONN;
		WRITE_ONCE(ps->active, optname == SO_ACTIVATE_RING);
		return 0;
	case SO_SET_APPL_NAME:
		rc = opt_string(name, sizeof(name), optval, optlen);
		if (!rc) {
			lock_sock(&ps->sk);
			strscpy(ps->appl_name, name, sizeof(ps->appl_name));
			release_sock(&ps->sk);
		}
		return rc;
	case SO_SET_REFLECTOR:
		return set_reflector(ps, optval, optlen);
	case SO_REMOVE_FILTERING_RULE:
	case SO_PURGE_IDLE_RULES:
	case SO_PURGE_IDLE_HASH_RULES:
	case SO_SET_POLL_WATERMARK:
		return set_u16_option(ps, optname, optval, optlen);
	default:
		return set_u32_option(ps, optname, optval, optlen);
	}
}

int pf_ring_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
		       unsigned int optlen)
{
	struct pf_ring_sock *ps = pf_sk(sock->sk);

	if (level != SOL_PF_RING)
		return -ENOPROTOOPT;
	/*
	 * PF_RING 5.4.6 took BPF at any level, and libpcap-ring and Snort's DAQ
	 * attach it at level 0 on the ring's fd: the same sk_filter, validation
	 * and errors as SOL_SOCKET, which core's BPF step runs (home->bpf_run).
	 */
	if (optname == SO_ATTACH_FILTER || optname == SO_DETACH_FILTER)
		return sock_setsockopt(sock, SOL_SOCKET, optname, optval, optlen);
	return set_pf_ring_option(ps, optname, optval, optlen);
}

/* ------------------------------------------------------------------ get */

static int put_result(char __user *optval, int __user *optlen, int len,
		      const void *v, int n)
{
	if (len < n)
		return -EINVAL;
	if (copy_to_user(optval, v, n) || put_user(n, optlen))
		return -EFAULT;
	return 0;
}

/* Rule statistics: the question is in optval, the answer replaces it. */
static int get_rule_stats(struct pf_ring_sock *ps, int optname, char __user *optval,
			  int __user *optlen, int len)
{
	hash_filtering_rule *hrule = NULL;
	u32 n = (u32)min(len, 4096);
	u16 rule_id;
	u8 *buf;
	int rc;

	buf = kzalloc(n ? n : 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (optname == SO_GET_FILTERING_RULE_STATS) {
		rc = len < (int)sizeof(rule_id) ? -EINVAL :
		     copy_from_user(&rule_id, optval, sizeof(rule_id)) ? -EFAULT : 0;
		if (!rc)
			rc = pf_socket_rule_stats(&ps->core, rule_id, buf, &n);
	} else {
		hrule = kmalloc(sizeof(*hrule), GFP_KERNEL);
		rc = !hrule ? -ENOMEM : len < (int)sizeof(*hrule) ? -EINVAL :
		     copy_from_user(hrule, optval, sizeof(*hrule)) ? -EFAULT : 0;
		if (!rc)
			rc = pf_socket_hash_rule_stats(&ps->core, hrule, buf, &n);
	}
	if (!rc)
		rc = put_result(optval, optlen, len, buf, (int)n);
	kfree(hrule);
	kfree(buf);
	return rc;
}

/* The pipeline's and the ring's counters at one moment (SO_GET_RING_STATS, /proc). */
void pf_ring_sock_stats(struct pf_ring_sock *ps, struct pf_ring_socket_stats *st,
			struct pf_ring_stats *rs)
{
	spin_lock_bh(&ps->prod_lock);
	pf_ring_prod_stats(&ps->prod, rs);
	st->seen = ps->core.cnt.seen;
	st->filtered = ps->core.cnt.filtered;
	st->unsampled = ps->core.cnt.unsampled;
	st->reflect_errors = ps->core.cnt.reflect_errors;
	spin_unlock_bh(&ps->prod_lock);
	st->inserted = rs->inserted;
	st->dropped_full = rs->dropped_full;
	st->refused = rs->refused;
}

int pf_ring_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
		       int __user *optlen)
{
	struct pf_ring_sock *ps = pf_sk(sock->sk);
	bool bound = pf_ring_sock_bound(ps);   /* before any bind-time field */
	struct pf_ring_socket_stats st;
	struct net_device *dev;
	u8 addr[ETH_ALEN];
	struct pf_ring_stats rs;
	int len;
	u32 v32;
	u64 v64;
	s32 i32;

	if (level != SOL_PF_RING)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case SO_GET_RING_VERSION:
		v32 = RING_VERSION_NUM;
		return put_result(optval, optlen, len, &v32, sizeof(v32));
	case SO_GET_ABI_VERSION:
		v32 = PF_RING_ABI_VERSION;
		return put_result(optval, optlen, len, &v32, sizeof(v32));
	case SO_GET_RING_ID:
		v32 = ps->id;
		return put_result(optval, optlen, len, &v32, sizeof(v32));
	case SO_GET_RING_SIZE:
		if (!bound)
			return -ENOTCONN;
		v64 = ps->ring_size;
		return put_result(optval, optlen, len, &v64, sizeof(v64));
	case SO_GET_NUM_QUEUED_PKTS:
		if (!bound)
			return -ENOTCONN;
		v32 = (u32)min_t(u64, pf_ring_prod_queued(&ps->prod), U32_MAX);
		return put_result(optval, optlen, len, &v32, sizeof(v32));
	case SO_GET_NUM_RX_CHANNELS:
		dev = pf_ring_sock_dev_get(ps);
		v32 = dev ? max_t(u32, 1, dev->real_num_rx_queues) : 1;
		dev_put(dev);
		return put_result(optval, optlen, len, &v32, sizeof(v32));
	case SO_GET_BOUND_DEVICE_IFINDEX:
		if (!bound)
			return -ENOTCONN;
		i32 = ps->ifindex;
		return put_result(optval, optlen, len, &i32, sizeof(i32));
	case SO_GET_BOUND_DEVICE_ADDRESS:
		dev = pf_ring_sock_dev_get(ps);
		if (!dev)
			return READ_ONCE(ps->dev_gone) ? -ENODEV : -ENOTCONN;
		memcpy(addr, dev->dev_addr, ETH_ALEN);
		dev_put(dev);
		return put_result(optval, optlen, len, addr, ETH_ALEN);
	case SO_GET_RING_STATS:
		if (!bound)
			return -ENOTCONN;
		pf_ring_sock_stats(ps, &st, &rs);
		return put_result(optval, optlen, len, &st, sizeof(st));
	case SO_GET_FILTERING_RULE_STATS:
	case SO_GET_HASH_FILTERING_RULE_STATS:
		return get_rule_stats(ps, optname, optval, optlen, len);
	}
	return -ENOPROTOOPT;
}
