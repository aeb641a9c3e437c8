/*
 * pcap_shim/env.c - the PCAP_PF_RING_* environment, read at pcap_activate as
 * PF_RING's own libpcap read it (libpcap-1.1.1-ring, pcap-linux.c), with one
 * difference: a value that is not valid is an error (a message on stderr and
 * in the handle's errbuf, activate fails), where PF_RING's libpcap ignored it
 * in silence (docs/decisions.md).
 *
 *   PCAP_PF_RING_CLUSTER_ID=1..254        join that cluster; the type is
 *   PCAP_PF_RING_USE_CLUSTER_PER_FLOW[_2_TUPLE|_4_TUPLE|_TCP_5_TUPLE|_5_TUPLE]
 *                                         (set, any value; the first one set in
 *                                         this order wins), else round-robin
 *   PCAP_PF_RING_APPNAME=NAME             1..32 characters
 *   PCAP_PF_RING_ACTIVE_POLL=0|1          1: spin on the ring instead of sleeping
 *   PCAP_PF_RING_DNA_RSS                  set: open with PF_RING_DNA_SYMMETRIC_RSS
 *   PCAP_PF_RING_RSS_REHASH=0|1           1: pfring_enable_rss_rehash
 *   PCAP_NO_PF_RING                       set: kernel names go to the real libpcap
 *                                         (table.c); prefixed names (sim:, dna:...)
 *                                         have no other way and stay pfring's
 */
#include "pcap_shim/shim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *var;
	cluster_type type;
} cluster_types[] = {
	{ "PCAP_PF_RING_USE_CLUSTER_PER_FLOW", cluster_per_flow },
	{ "PCAP_PF_RING_USE_CLUSTER_PER_FLOW_2_TUPLE", cluster_per_flow_2_tuple },
	{ "PCAP_PF_RING_USE_CLUSTER_PER_FLOW_4_TUPLE", cluster_per_flow_4_tuple },
	{ "PCAP_PF_RING_USE_CLUSTER_PER_FLOW_TCP_5_TUPLE", cluster_per_flow_tcp_5_tuple },
	{ "PCAP_PF_RING_USE_CLUSTER_PER_FLOW_5_TUPLE", cluster_per_flow_5_tuple },
};

/* Both the program's stderr and pcap_geterr get the message: tcpdump prints
 * only the errbuf, a program that ignores it would otherwise say nothing. */
static int env_error(struct shim *s, const char *var, const char *value, const char *want)
{
	shim_seterr(s, "libpfring-pcap: %s=\"%s\": %s", var, value, want);
	fprintf(stderr, "%s\n", pcap_geterr(s->p));
	return PCAP_ERROR;
}

/* A whole decimal number in [lo, hi], or -1. */
static long parse_range(const char *v, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (v[0] == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi)
		return -1;
	return n;
}

int shim_env_read(struct shim *s, struct shim_env *e)
{
	const char *v;

	memset(e, 0, sizeof(*e));
	if ((v = getenv("PCAP_PF_RING_CLUSTER_ID")) != NULL) {
		long id = parse_range(v, 1, 254);

		if (id < 0)
			return env_error(s, "PCAP_PF_RING_CLUSTER_ID", v,
					 "must be a cluster id 1..254");
		e->cluster_id = (u_int)id;
		e->cluster_type = cluster_round_robin;
		for (size_t i = 0; i < sizeof(cluster_types) / sizeof(cluster_types[0]); i++)
			if (getenv(cluster_types[i].var) != NULL) {
				e->cluster_type = cluster_types[i].type;
				break;
			}
	}
	if ((v = getenv("PCAP_PF_RING_APPNAME")) != NULL) {
		if (v[0] == '\0' || strlen(v) > 32)
			return env_error(s, "PCAP_PF_RING_APPNAME", v, "must be 1..32 characters");
		e->appname = v;
	}
	if ((v = getenv("PCAP_PF_RING_ACTIVE_POLL")) != NULL) {
		long on = parse_range(v, 0, 1);

		if (on < 0)
			return env_error(s, "PCAP_PF_RING_ACTIVE_POLL", v, "must be 0 or 1");
		e->active_poll = (int)on;
	}
	if (getenv("PCAP_PF_RING_DNA_RSS") != NULL)
		e->open_flags |= PF_RING_DNA_SYMMETRIC_RSS;
	if ((v = getenv("PCAP_PF_RING_RSS_REHASH")) != NULL) {
		long on = parse_range(v, 0, 1);

		if (on < 0)
			return env_error(s, "PCAP_PF_RING_RSS_REHASH", v, "must be 0 or 1");
		e->rss_rehash = (int)on;
	}
	return 0;
}

/* A setting the ring's backend does not take (sim: has no application
 * name): one line on stderr and the capture goes on, as PF_RING's libpcap
 * went on; a cluster that cannot be joined fails instead, since the program
 * would otherwise see every flow where it asked for a share. */
static void env_warn(struct shim *s, const char *var)
{
	fprintf(stderr, "libpfring-pcap: %s: %s ignored: %s\n", s->device, var, strerror(errno));
}

int shim_env_apply(struct shim *s, const struct shim_env *e)
{
	if (e->cluster_id != 0 && pfring_set_cluster(s->ring, e->cluster_id, e->cluster_type) != 0) {
		shim_seterr(s, "libpfring-pcap: %s: cannot join cluster %u (PCAP_PF_RING_CLUSTER_ID): %s",
			    s->device, e->cluster_id, strerror(errno));
		return PCAP_ERROR;
	}
	if (e->appname != NULL && pfring_set_application_name(s->ring, (char *)e->appname) != 0)
		env_warn(s, "PCAP_PF_RING_APPNAME");
	if (e->rss_rehash && pfring_enable_rss_rehash(s->ring) != 0)
		env_warn(s, "PCAP_PF_RING_RSS_REHASH");
	s->active_poll = e->active_poll;
	return 0;
}
