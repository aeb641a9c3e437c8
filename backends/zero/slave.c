/*
 * backends/zero/slave.c - the "dnacluster:" backend (names, buffers, threads:
 * slave.h): open and close, stats, and the refusals. A slave sees what its
 * master hands it: kernel filtering, clusters, the reflector, sampling and BPF
 * are the master's business (its distribution function), so they are refused
 * with one line. docs/libzero.md ("Slaves") is the guide, docs/api.md has the
 * dnacluster column.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/zero/slave.h"
#include "lib/api_internal.h"
#include "lib/devname.h"

/* Tries while the master makes the pool, or reaps the last slave of a slot
 * asked by id, and the wait between two: 200 ms in all. */
#define ZS_START_TRIES 100
#define ZS_START_WAIT_NS 2000000

/* The cluster id of member name s (decimal, fits u32): 0 or -1. */
static int parse_id(const char *s, uint32_t *id)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

static int bad_name(pfring *ring)
{
	pf_api_message("pfring_open(\"%s\"): a DNA Cluster slave is dnacluster:ID@N (slave N of "
		       "cluster ID) or dnacluster:ID (its first free slave), ID and N decimal; no "
		       "list and no \"?options\"", ring->device_name);
	return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
}

/* zc_pool_peek, retried while the master is still making the pool. */
static int peek(uint32_t id, uint32_t *num_slaves)
{
	struct timespec ts = { 0, ZS_START_WAIT_NS };
	int rc = -EAGAIN;

	for (int i = 0; i < ZS_START_TRIES && rc == -EAGAIN; i++) {
		rc = zc_pool_peek(id, num_slaves);
		if (rc == -EAGAIN)
			nanosleep(&ts, NULL);
	}
	return rc;
}

/* The pool's answer rc (a -errno of zc_pool_attach) as a message and errno. */
static int attach_failed(pfring *ring, uint32_t id, int64_t slave, uint32_t num_slaves, int rc)
{
	const char *name = ring->device_name;

	switch (rc) {
	case -ENOENT:
		pf_api_message("pfring_open(\"%s\"): no DNA cluster %u: is its master running?",
			       name, id);
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, ENOENT);
	case -EAGAIN:
		pf_api_message("pfring_open(\"%s\"): DNA cluster %u is still being made by its "
			       "master (200 ms waited)", name, id);
		return pf_api_fail(PF_RING_ERROR_GENERIC, EAGAIN);
	case -EBUSY:
		if (slave < 0)
			pf_api_message("pfring_open(\"%s\"): the %u slaves of DNA cluster %u are all "
				       "busy", name, num_slaves, id);
		else
			pf_api_message("pfring_open(\"%s\"): slave %lld of DNA cluster %u is busy "
				       "(another slave has it, or its last one was not reaped by "
				       "the master within 200 ms)", name, (long long)slave, id);
		return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EBUSY);
	case -EINVAL:
		if (num_slaves && slave >= num_slaves) {
			pf_api_message("pfring_open(\"%s\"): slave id %lld out of range: DNA cluster "
				       "%u has %u slaves (0 to %u)", name, (long long)slave, id,
				       num_slaves, num_slaves - 1);
			return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
		}
		pf_api_message("pfring_open(\"%s\"): DNA cluster %u's memory is not of this version "
			       "of pfring", name, id);
		return pf_api_fail(PF_RING_ERROR_INVALID_LIB_VERSION, EPROTO);
	case -ENOMEM:
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	default:
		pf_api_message("pfring_open(\"%s\"): DNA cluster %u: %s", name, id, strerror(-rc));
		return pf_api_fail(PF_RING_ERROR_GENERIC, -rc);
	}
}

/* Slave `slave` of cluster id, or the first free one (slave -1). */
static int attach_slave(pfring *ring, uint32_t id, int64_t slave, struct zc_pool **out,
			uint32_t *slave_id)
{
	uint32_t n = 0;
	int rc = peek(id, &n);

	if (rc)
		return attach_failed(ring, id, slave, 0, rc);
	if (slave >= 0) {
		/* busy may be a slave that just closed (or died) and that the
		 * master reaps within a few ms: a reopen waits for that */
		struct timespec ts = { 0, ZS_START_WAIT_NS };

		rc = zc_pool_attach(id, (uint32_t)slave, out);
		for (int i = 1; i < ZS_START_TRIES && rc == -EBUSY; i++) {
			nanosleep(&ts, NULL);
			rc = zc_pool_attach(id, (uint32_t)slave, out);
		}
		*slave_id = (uint32_t)slave;
	} else {
		rc = -EBUSY;
		for (uint32_t s = 0; s < n && rc == -EBUSY; s++) {
			rc = zc_pool_attach(id, s, out);
			*slave_id = s;
		}
	}
	return rc ? attach_failed(ring, id, slave, n, rc) : 0;
}

static int zs_open(pfring *ring, const struct pf_devname *dn)
{
	const struct pf_devname_member *m = &dn->member[0];
	struct zs_ring *r;
	uint32_t id;
	int64_t slave = -1;
	int rc;

	if (dn->num_members != 1 || dn->options || parse_id(m->name, &id) != 0 ||
	    (!m->any_queue && m->num_queues != 1))
		return bad_name(ring);
	if (!m->any_queue)
		slave = pf_devname_first_queue(m);
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return pf_api_fail(PF_RING_ERROR_NOT_ENOUGH_MEMORY, ENOMEM);
	rc = attach_slave(ring, id, slave, &r->pool, &r->slave_id);
	if (rc) {
		free(r);
		return rc;
	}
	if (!zc_pool_master_alive(r->pool)) {
		/* a crashed master's leftover: its next create unlinks it */
		pf_api_message("pfring_open(\"%s\"): the master of DNA cluster %u (pid %d) is gone",
			       ring->device_name, id, (int)zc_pool_master_pid(r->pool));
		zc_pool_close(r->pool);
		free(r);
		return pf_api_fail(PF_RING_ERROR_UNKNOWN_ADAPTER, ENODEV);
	}
	r->cluster_id = id;
	r->lent = ZC_NO_HANDLE;
	r->tx_spare = ZC_NO_HANDLE;
	ring->priv_data = r;
	return 0;
}

static void zs_close(pfring *ring)
{
	struct zs_ring *r = zs_ring_of(ring);

	zs_buf_free_all(r);
	zs_rx_release_all(r);
	zs_flush_releases(r);
	/* what the release queue could not take (a master that stopped
	 * collecting) the master reaps: the slave's owner bit says it is ours */
	zc_pool_close(r->pool);
	free(r->rel);
	free(r);
}

/* recv: buffers pfring_recv and pfring_recv_pkt_buff delivered; drop: the
 * fan-outs the master could not queue for this slave (its rx queue full). */
static int zs_stats(pfring *ring, pfring_stat *stats)
{
	struct zs_ring *r = zs_ring_of(ring);

	stats->recv = r->received;
	stats->drop = zc_pool_rx_drops(r->pool, r->slave_id);
	return 0;
}

static u_int16_t zs_get_ring_id(pfring *ring)
{
	return (u_int16_t)zs_ring_of(ring)->slave_id;
}

/* ------------------------------------------------------------ refusals */

static int master_said;

static int masters_business(pfring *ring, const char *call)
{
	return pf_api_unsupported_why(&master_said, "%s(%s): a DNA Cluster slave receives what "
				      "its master hands it: filtering, clusters, sampling and the "
				      "reflector are the master's distribution function's "
				      "business (spec 9.2)", call, ring->device_name);
}

static int zs_add_filtering_rule(pfring *ring, filtering_rule *rule)
{
	(void)rule;
	return masters_business(ring, "pfring_add_filtering_rule");
}

static int zs_remove_filtering_rule(pfring *ring, u_int16_t rule_id)
{
	(void)rule_id;
	return masters_business(ring, "pfring_remove_filtering_rule");
}

static int zs_handle_hash_filtering_rule(pfring *ring, hash_filtering_rule *rule,
					 u_char add_rule)
{
	(void)rule;
	(void)add_rule;
	return masters_business(ring, "pfring_handle_hash_filtering_rule");
}

static int zs_toggle_filtering_policy(pfring *ring, u_int8_t default_accept)
{
	(void)default_accept;
	return masters_business(ring, "pfring_toggle_filtering_policy");
}

static int zs_set_cluster(pfring *ring, u_int cluster_id, cluster_type the_type)
{
	(void)cluster_id;
	(void)the_type;
	return masters_business(ring, "pfring_set_cluster");
}

static int zs_set_reflector_device(pfring *ring, const char *device_name)
{
	(void)device_name;
	return masters_business(ring, "pfring_set_reflector_device");
}

static int zs_set_sampling_rate(pfring *ring, u_int32_t rate)
{
	(void)rate;
	return masters_business(ring, "pfring_set_sampling_rate");
}

static int zs_set_bpf_filter(pfring *ring, const char *filter)
{
	(void)filter;
	return masters_business(ring, "pfring_set_bpf_filter");
}

const struct pfring_backend pfring_dnacluster_backend = {
	.name = "dnacluster", .prefix = "dnacluster:",
	.list_devices = zs_list_devices,
	.open = zs_open, .close = zs_close,
	.recv = zs_recv, .poll = zs_poll, .is_pkt_available = zs_is_pkt_available,
	.stats = zs_stats, .get_ring_id = zs_get_ring_id,
	.send = zs_send,
	.alloc_pkt_buff = zs_alloc_pkt_buff, .release_pkt_buff = zs_release_pkt_buff,
	.recv_pkt_buff = zs_recv_pkt_buff, .send_pkt_buff = zs_send_pkt_buff,
	.get_pkt_buff_data = zs_get_pkt_buff_data, .set_pkt_buff_len = zs_set_pkt_buff_len,
	.set_pkt_buff_ifindex = zs_set_pkt_buff_ifindex,
	.add_pkt_buff_ifindex = zs_add_pkt_buff_ifindex,
	.add_filtering_rule = zs_add_filtering_rule,
	.remove_filtering_rule = zs_remove_filtering_rule,
	.handle_hash_filtering_rule = zs_handle_hash_filtering_rule,
	.toggle_filtering_policy = zs_toggle_filtering_policy,
	.set_cluster = zs_set_cluster,
	.set_reflector_device = zs_set_reflector_device,
	.set_sampling_rate = zs_set_sampling_rate,
	.set_bpf_filter = zs_set_bpf_filter,
};
