/*
 * tools/lib/cluster_modes.c - distribution functions of the DNA Cluster tools
 * (cluster_modes.h). Written in the 5.4.6 programs' form (slaves_info), which
 * the header's dna_cluster_set_distribution_function() picks by type.
 */
#include <string.h>

#include "tools/lib/cluster_modes.h"

#define ETH_HLEN_    14
#define VLAN_HLEN_   4

static enum cluster_mode active_mode;
static u_int32_t frwd_mask;

static u_int16_t be16(const u_char *p)
{
	return (u_int16_t)((p[0] << 8) | p[1]);
}

/* The L3 offset and ethertype after any 802.1Q/802.1ad tags; 0 if too short. */
static u_int32_t l3_offset(const u_char *f, u_int16_t len, u_int16_t *type)
{
	u_int32_t off = ETH_HLEN_;

	if (len < ETH_HLEN_)
		return 0;
	*type = be16(f + 12);
	while ((*type == 0x8100 || *type == 0x88a8) && off + VLAN_HLEN_ <= len) {
		*type = be16(f + off + 2);
		off += VLAN_HLEN_;
	}
	return off;
}

u_int32_t cluster_modes_hash(enum cluster_mode mode, const u_char *f, u_int16_t len)
{
	u_int16_t type = 0;
	u_int32_t off;

	if (mode == CLUSTER_MODE_MAC_HASH)
		return len < 12 ? 0 : (u_int32_t)f[3] + f[4] + f[5] + f[9] + f[10] + f[11];
	off = l3_offset(f, len, &type);
	if (off == 0)
		return 0;
	if (type == 0x0800 && off + 20u <= len)
		return f[off + 9];                  /* IPv4 protocol */
	if (type == 0x86DD && off + 40u <= len)
		return f[off + 6];                  /* IPv6 next header */
	return 0;
}

static int hash_to_one(const u_char *buffer, const u_int16_t buffer_len,
		       const pfring_dna_cluster_slaves_info *slaves_info, u_int32_t *id_mask,
		       u_int32_t *hash)
{
	*hash = cluster_modes_hash(active_mode, buffer, buffer_len);
	*id_mask = 1u << (*hash % slaves_info->num_slaves);
	return DNA_CLUSTER_PASS;
}

static int fan_out(const u_char *buffer, const u_int16_t buffer_len,
		   const pfring_dna_cluster_slaves_info *slaves_info, u_int32_t *id_mask,
		   u_int32_t *hash)
{
	(void)buffer;
	(void)buffer_len;
	*hash = 0;
	*id_mask = slaves_info->num_slaves >= 32 ? 0xFFFFFFFFu
						 : (1u << slaves_info->num_slaves) - 1;
	return DNA_CLUSTER_PASS;
}

static int forward(const u_char *buffer, const u_int16_t buffer_len,
		   const pfring_dna_cluster_slaves_info *slaves_info, u_int32_t *id_mask,
		   u_int32_t *hash)
{
	(void)buffer;
	(void)buffer_len;
	(void)slaves_info;
	*hash = 0;
	*id_mask = frwd_mask;
	return DNA_CLUSTER_FRWD;
}

void cluster_modes_install(pfring_dna_cluster *c, enum cluster_mode mode, int frwd_socket)
{
	pfring_dna_cluster_slaves_info_distribution_func f = NULL;

	active_mode = mode;
	if (frwd_socket >= 0) {
		frwd_mask = 1u << frwd_socket;
		f = forward;
	} else if (mode == CLUSTER_MODE_FANOUT) {
		f = fan_out;
	} else if (mode != CLUSTER_MODE_IP_HASH) {
		f = hash_to_one;
	}
	if (f)
		dna_cluster_set_distribution_function(c, f);
}

const char *cluster_modes_describe(enum cluster_mode mode, int frwd_socket)
{
	static const char *text[CLUSTER_MODE_COUNT] = {
		"Hashing packets per-IP Address (the library's symmetric IP hash)",
		"Hashing packets per-MAC Address",
		"Hashing packets per-IP protocol (TCP, UDP, ICMP...)",
		"Replicating each packet on all slaves (no copy)",
	};

	if (frwd_socket >= 0)
		return "Forwarding every packet out of one socket (DNA_CLUSTER_FRWD, no slave)";
	return (unsigned)mode < CLUSTER_MODE_COUNT ? text[mode] : "?";
}
