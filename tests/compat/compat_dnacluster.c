/*
 * tests/compat/compat_dnacluster.c - written the way 5.4.6's pfdnacluster_master
 * and pfdnacluster_multithread use libzero, built with their flags (gcc -O2 -Wall
 * -DHAVE_ZERO, -Werror added): pfring.h alone brings pfring_zero.h.
 *
 * Their forms of the API, not the guide's: a distribution function taking
 * const pfring_dna_cluster_slaves_info *, dna_cluster_stats() into one
 * pfring_dna_cluster_stat, arrays sized by DNA_CLUSTER_MAX_NUM_SLAVES and
 * DNA_CLUSTER_MAX_NUM_SOCKETS. The master runs on a sim: NIC replaying
 * tests/fixtures/mix64.pcap in pfdnacluster_master's order of calls, until its
 * stats count every frame, and is destroyed; the distribution functions then run
 * over the same frames read directly. The slave's "dnacluster:" open fails while
 * that backend is not built.
 */
#include "pfring.h"
#include <unistd.h>

#define MAX_NUM_APP  DNA_CLUSTER_MAX_NUM_SLAVES
#define MAX_NUM_DEV  DNA_CLUSTER_MAX_NUM_SOCKETS
#define MIX64_FRAMES 3000

#define COMPAT_NAME "compat_dnacluster"
#include "compat_check.h"

pfring *pd[MAX_NUM_DEV];
pfring *ring[MAX_NUM_APP];
pfring_dna_cluster *dna_cluster_handle;

static u_int32_t master_custom_hash_function(const u_char *buffer, const u_int16_t buffer_len)
{
	u_int32_t h = 0;
	u_int16_t i;

	for (i = 0; i < buffer_len; i++)
		h += buffer[i];
	return h;
}

static int master_distribution_function(const u_char *buffer, const u_int16_t buffer_len,
					const pfring_dna_cluster_slaves_info *slaves_info,
					u_int32_t *id_mask, u_int32_t *hash) {
	u_int32_t slave_idx;

	/* computing a bidirectional software hash */
	*hash = master_custom_hash_function(buffer, buffer_len);

	/* balancing on hash */
	slave_idx = (*hash) % slaves_info->num_slaves;
	*id_mask = (1 << slave_idx);

	return DNA_CLUSTER_PASS;
}

static int fanout_distribution_function(const u_char *buffer, const u_int16_t buffer_len,
					const pfring_dna_cluster_slaves_info *slaves_info,
					u_int32_t *id_mask, u_int32_t *hash) {
	u_int32_t n_zero_bits = 32 - slaves_info->num_slaves;

	(void)buffer;
	(void)buffer_len;
	(void)hash;
	/* returning slave id bitmap */
	*id_mask = ((0xFFFFFFFF << n_zero_bits) >> n_zero_bits);

	return DNA_CLUSTER_PASS;
}

/* print_stats()'s use: zero when the counters were read. */
static int read_cluster_stats(u_int64_t *rx, u_int64_t *tx, u_int64_t *processed)
{
	pfring_dna_cluster_stat cluster_stats;

	memset(&cluster_stats, 0, sizeof(cluster_stats));
	if (dna_cluster_stats(dna_cluster_handle, &cluster_stats) == 0) {
		*rx = cluster_stats.tot_rx_packets;
		*tx = cluster_stats.tot_tx_packets;
		*processed = cluster_stats.tot_rx_processed;
		return 0;
	}
	return -1;
}

/* The master's set-up, in pfdnacluster_master's order, up to its first failure. */
static int master_setup(u_int32_t cluster_id, u_int32_t num_app, int hashing_mode)
{
	u_int32_t flags = 0 | DNA_CLUSTER_NO_ADDITIONAL_BUFFERS;

	if ((dna_cluster_handle = dna_cluster_create(cluster_id, num_app, flags)) == NULL) {
		fprintf(stderr, "Error creating DNA Cluster\n");
		return -1;
	}
	dna_cluster_low_level_settings(dna_cluster_handle, 8192, 8192, 0);
	dna_cluster_set_mode(dna_cluster_handle, recv_only_mode);
	dna_cluster_register_ring(dna_cluster_handle, pd[0]);
	dna_cluster_set_wait_mode(dna_cluster_handle, 0 /* active_wait */);
	dna_cluster_set_cpu_affinity(dna_cluster_handle, 0, 1);
	if (hashing_mode == 0)
		dna_cluster_set_distribution_function(dna_cluster_handle, master_distribution_function);
	else
		dna_cluster_set_distribution_function(dna_cluster_handle, fanout_distribution_function);
	return dna_cluster_enable(dna_cluster_handle);
}

int main(void)
{
	pfring_dna_cluster_slaves_info slaves_info;
	struct pfring_pkthdr hdr;
	u_char *buffer;
	u_int32_t id_mask, hash, seen = 0, per_slave[3] = { 0, 0, 0 };
	u_int64_t rx = 7, tx = 7, processed = 7;
	int rc;

	/* the two ways the programs size their tables */
	CHECK(sizeof(pd) / sizeof(pd[0]) == 32 && sizeof(ring) / sizeof(ring[0]) == 32);

	pd[0] = pfring_open("sim:cdc0?pcap=" FIXTURE_DIR "/mix64.pcap", 1536, PF_RING_PROMISC);
	if (pd[0] == NULL) {
		fprintf(stderr, "pfring_open error [%s]\n", strerror(errno));
		return 1;
	}

	/* master: set up and enabled; it takes every frame of the NIC (queued for
	 * slaves that never attach: none given back), then stops */
	CHECK(master_setup(10, 3, 0) == 0);
	CHECK(dna_cluster_handle != NULL);
	for (int waited = 0; waited < 1000; waited++) {
		CHECK(read_cluster_stats(&rx, &tx, &processed) == 0);
		if (rx == MIX64_FRAMES)
			break;
		usleep(10000);
	}
	CHECK(rx == MIX64_FRAMES && tx == 0 && processed == 0);
	dna_cluster_set_distribution_function(dna_cluster_handle, fanout_distribution_function);
	CHECK(dna_cluster_disable(dna_cluster_handle) == 0);
	dna_cluster_destroy(dna_cluster_handle);  /* closes pd[0] */
	/* a program that goes on anyway: a NULL handle is refused */
	errno = 0;
	CHECK(dna_cluster_disable(NULL) == PF_RING_ERROR_INVALID_ARGUMENT && errno == EINVAL);

	/* slave: no master made cluster 10 */
	errno = 0;
	ring[0] = pfring_open("dnacluster:10@0", 1536, PF_RING_PROMISC);
	CHECK(ring[0] == NULL && errno != 0);

	/* the distribution functions over real frames, 3 slaves */
	memset(&slaves_info, 0, sizeof(slaves_info));
	slaves_info.num_slaves = 3;
	pd[0] = pfring_open("sim:cdc1?pcap=" FIXTURE_DIR "/mix64.pcap", 1536, PF_RING_PROMISC);
	CHECK(pd[0] != NULL);
	if (pd[0] == NULL)
		return 1;
	CHECK(pfring_enable_ring(pd[0]) == 0);
	while ((rc = pfring_recv(pd[0], &buffer, 0, &hdr, 0)) > 0) {
		seen++;
		CHECK(master_distribution_function(buffer, (u_int16_t)hdr.caplen, &slaves_info,
						   &id_mask, &hash) == DNA_CLUSTER_PASS);
		CHECK(id_mask == 1u << (master_custom_hash_function(buffer,
								    (u_int16_t)hdr.caplen) % 3));
		per_slave[0] += id_mask == 1;
		per_slave[1] += id_mask == 2;
		per_slave[2] += id_mask == 4;
		CHECK(fanout_distribution_function(buffer, (u_int16_t)hdr.caplen, &slaves_info,
						   &id_mask, &hash) == DNA_CLUSTER_PASS);
		CHECK(id_mask == 0x7);
	}
	CHECK(rc == 0 && seen == MIX64_FRAMES);
	/* every slave had a share, and every frame went to one */
	CHECK(per_slave[0] > 0 && per_slave[1] > 0 && per_slave[2] > 0);
	CHECK(per_slave[0] + per_slave[1] + per_slave[2] == MIX64_FRAMES);
	pfring_close(pd[0]);

	if (COMPAT_FAILED())
		return 1;
	printf("%s: ok: the master took %u frames; %u frames distributed in both modes "
	       "(%u/%u/%u)\n", COMPAT_NAME, (unsigned int)rx, seen, per_slave[0], per_slave[1],
	       per_slave[2]);
	return 0;
}
