/*
 * tests/api/zero_snippets.c - the guide's libzero snippets (9.2, 9.3), each in
 * both forms of the API (docs/decisions.md, "libzero's two forms"): the guide's
 * and the one the 5.4.6 programs use. Part of `make api-test`: built with
 * api_symbols.c as C (gnu99, c99 and c11, -pedantic) and as C++11, where the
 * second forms are overloads.
 *
 * The snippets are kept as the guide writes them; only what they leave to the
 * reader (enqueue_packet, custom_hash_function, ...) is filled in, and 9.3.5's
 * "int dna_cluster_set_mode(handle, mode);" (a declaration, not C) is a call.
 * The DNA Cluster master is built: a cluster is made, given each function in
 * each form, its stats read in both forms, and destroyed (tests/unit/
 * test_zc_cluster.c runs them on traffic). zero_snippets_run() checks that both
 * forms answer identically.
 */
#include <pfring.h>
#include <pfring_zero.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int zero_snippets_run(void);

/* ------------------------------------------------- what the guide leaves out */

static pfring_pkt_buff *aside;           /* a one-packet queue */
static int forward_packet_to_another_interface = 1;
static int if_index = 2;

static void enqueue_packet(pfring_pkt_buff *pkt_handle)
{
	aside = pkt_handle;
}

static pfring_pkt_buff *dequeue_packet(void)
{
	return aside;
}

static u_int32_t custom_hash_function(const u_char *buffer, u_int16_t buffer_len)
{
	u_int32_t h = 0;
	u_int16_t i;

	for (i = 0; i < buffer_len; i++)
		h = h * 31 + buffer[i];
	return h;
}

static u_int32_t get_out_socket_index(void)
{
	return 1;
}

/* ------------------------------------------------- 9.3.1 and 9.3.2 (slave side) */

/* 9.3.1: receive a packet and put it aside. */
static int snippet_put_aside(pfring *ring, u_int8_t wait_for_packet)
{
	struct pfring_pkthdr hdr;
	u_char *buffer;
	int rc = 0;

	pfring_pkt_buff *pkt_handle = pfring_alloc_pkt_buff(ring);

	if (pkt_handle != NULL) {

		rc = pfring_recv_pkt_buff(ring, pkt_handle, &hdr, wait_for_packet);

		if (rc > 0) {
			/* put the packet aside and do something later on */
			enqueue_packet(pkt_handle);
		}
	}

	pkt_handle = dequeue_packet();
	if (pkt_handle == NULL)  /* not in the guide: nothing was put aside */
		return rc;

	/* do something with the packet and release it */
	buffer = pfring_get_pkt_buff_data(ring, pkt_handle);
	pfring_release_pkt_buff(ring, pkt_handle);
	return buffer != NULL;
}

/* 9.3.2: receive a packet and send it in zero-copy (the guide's "rcv" spelling). */
static int snippet_bounce(pfring *ring[], int thread_id, u_int8_t wait_for_packet)
{
	struct pfring_pkthdr hdr;
	int rc = 0;

	pfring_pkt_buff *pkt_handle = pfring_alloc_pkt_buff(ring[thread_id]);

	if (pkt_handle != NULL) {

		rc = pfring_rcv_pkt_buff(ring[thread_id], pkt_handle, &hdr, wait_for_packet);

		if (rc > 0) {
			if (forward_packet_to_another_interface) {
				pfring_set_pkt_buff_ifindex(ring[thread_id], pkt_handle, if_index);
			} else {
				/* bounce packet on the rx interface (already set in pkt_handle) */
			}

			pfring_send_pkt_buff(ring[thread_id], pkt_handle, 0);
		}
	}
	return rc;
}

/* ------------------------------------------------- 9.3.3 to 9.3.5, the guide's form */

/* 9.3.3: a custom balancing function */
static int hash_distribution_function(const u_char *buffer,
				      const u_int16_t buffer_len,
				      const u_int32_t num_slaves,
				      u_int32_t *id_mask,
				      u_int32_t *hash) {

	u_int32_t slave_idx;

	/* computing a bidirectional software hash */
	*hash = custom_hash_function(buffer, buffer_len);

	/* balancing on hash */
	slave_idx = (*hash) % num_slaves;
	*id_mask = (1 << slave_idx);
	return DNA_CLUSTER_PASS;
}

/* 9.3.4: fan-out */
static int fanout_distribution_function(const u_char *buffer,
					const u_int16_t buffer_len,
					const u_int32_t num_slaves,
					u_int32_t *id_mask,
					u_int32_t *hash) {
	u_int32_t n_zero_bits = 32 - num_slaves;

	(void)buffer;
	(void)buffer_len;
	(void)hash;
	/* returning slave id bitmap */
	*id_mask = ((0xFFFFFFFF << n_zero_bits) >> n_zero_bits);
	return DNA_CLUSTER_PASS;
}

/* 9.3.5: direct forwarding (the guide reuses the name hash_distribution_function) */
static int forward_distribution_function(const u_char *buffer,
					 const u_int16_t buffer_len,
					 const u_int32_t num_slaves,
					 u_int32_t *id_mask,
					 u_int32_t *hash) {
	u_int32_t socket_idx = get_out_socket_index();

	(void)buffer;
	(void)buffer_len;
	(void)num_slaves;
	(void)hash;
	*id_mask = (1 << socket_idx);
	return DNA_CLUSTER_FRWD;
}

/* ------------------------------------------------- the same, the 5.4.6 programs' form */

static int hash_distribution_function_info(const u_char *buffer,
					   const u_int16_t buffer_len,
					   const pfring_dna_cluster_slaves_info *slaves_info,
					   u_int32_t *id_mask,
					   u_int32_t *hash) {
	u_int32_t slave_idx;

	*hash = custom_hash_function(buffer, buffer_len);
	slave_idx = (*hash) % slaves_info->num_slaves;
	*id_mask = (1 << slave_idx);
	return DNA_CLUSTER_PASS;
}

static int fanout_distribution_function_info(const u_char *buffer,
					     const u_int16_t buffer_len,
					     const pfring_dna_cluster_slaves_info *slaves_info,
					     u_int32_t *id_mask,
					     u_int32_t *hash) {
	u_int32_t n_zero_bits = 32 - slaves_info->num_slaves;

	(void)buffer;
	(void)buffer_len;
	(void)hash;
	*id_mask = ((0xFFFFFFFF << n_zero_bits) >> n_zero_bits);
	return DNA_CLUSTER_PASS;
}

static int forward_distribution_function_info(const u_char *buffer,
					      const u_int16_t buffer_len,
					      const pfring_dna_cluster_slaves_info *slaves_info,
					      u_int32_t *id_mask,
					      u_int32_t *hash) {
	u_int32_t socket_idx = get_out_socket_index();

	(void)buffer;
	(void)buffer_len;
	(void)slaves_info;
	(void)hash;
	*id_mask = (1 << socket_idx);
	return DNA_CLUSTER_FRWD;
}

/* ------------------------------------------------- 9.2: the bouncer's decision, both forms */

/* PF_RING's header: the length by pointer, and the direction */
static int decide_var_len(u_int32_t *pkt_len, u_char *pkt, const u_char *user_bytes,
			  u_int8_t direction)
{
	(void)pkt;
	(void)user_bytes;
	(void)direction;
	return *pkt_len > 1514 ? DNA_BOUNCER_DROP : DNA_BOUNCER_PASS;
}

/* 5.4.6's pfdnabounce.c: the length by value */
static int decide_fixed_len(u_int16_t pkt_len, u_char *pkt, const u_char *user_bytes)
{
	(void)pkt;
	(void)user_bytes;
	return pkt_len > 1514 ? DNA_BOUNCER_DROP : DNA_BOUNCER_PASS;
}

/* ------------------------------------------------- the master side, both forms */

/* 9.3.3 to 9.3.5's master calls on a cluster of 2 (not enabled): every call of
 * either form succeeds (a void one leaves errno alone), the stats are 0 in both
 * forms, bad arguments get the same answer in both. Returns the number of wrong
 * answers. */
static int master_both_forms(void)
{
	pfring_dna_cluster_stat cluster_stats;
	u_int64_t rx = 1, tx = 2, processed = 3;
	int bad = 0;
	pfring_dna_cluster *dna_cluster_handle;

	memset(&cluster_stats, 0xab, sizeof(cluster_stats));

	/* 9.3.5 */
	dna_cluster_handle = dna_cluster_create((u_int32_t)getpid() * 16 + 13, 2,
						DNA_CLUSTER_DIRECT_FORWARDING);
	if (dna_cluster_handle == NULL)
		return 1;
	bad |= dna_cluster_set_mode(dna_cluster_handle, send_and_recv_mode) != 0;

#define EXPECT_OK(call) \
	do { errno = 0; call; bad |= errno != 0; } while (0)
	/* 9.3.3, 9.3.4, 9.3.5 in the guide's form ... */
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle,
							 hash_distribution_function));
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle,
							 fanout_distribution_function));
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle,
							 forward_distribution_function));
	/* ... and in the 5.4.6 programs' */
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle,
							 hash_distribution_function_info));
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle,
							 fanout_distribution_function_info));
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle,
							 forward_distribution_function_info));
	/* NULL (the default) in either language */
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle, NULL));
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle, 0));
#if defined(__cplusplus) && __cplusplus >= 201103L
	EXPECT_OK(dna_cluster_set_distribution_function(dna_cluster_handle, nullptr));
#endif
#undef EXPECT_OK
#ifdef __cplusplus
	/* C++: an integer other than 0 is no function */
	errno = 0;
	dna_cluster_set_distribution_function(dna_cluster_handle, 5);
	bad |= errno != EINVAL;
#endif

	/* dna_cluster_stats: the guide's three counters, the programs' struct */
	bad |= dna_cluster_stats(dna_cluster_handle, &rx, &tx, &processed) != 0;
	bad |= rx != 0 || tx != 0 || processed != 0;
	bad |= dna_cluster_stats(dna_cluster_handle, &cluster_stats) != 0;
	bad |= cluster_stats.tot_rx_packets != 0 || cluster_stats.tot_tx_packets != 0 ||
	       cluster_stats.tot_rx_processed != 0;
	/* bad arguments: the same answer in both forms */
	bad |= dna_cluster_stats(NULL, &rx, &tx, &processed) != PF_RING_ERROR_INVALID_ARGUMENT;
	bad |= dna_cluster_stats(NULL, &cluster_stats) != PF_RING_ERROR_INVALID_ARGUMENT;
	bad |= dna_cluster_stats(dna_cluster_handle, (pfring_dna_cluster_stat *)NULL) !=
	       PF_RING_ERROR_INVALID_ARGUMENT;
	dna_cluster_destroy(dna_cluster_handle);
	return bad;
}

static int bouncer_both_forms(pfring_dna_bouncer *bouncer_handle)
{
	int bad = 0;

	bad |= pfring_dna_bouncer_loop(bouncer_handle, decide_var_len, (u_char *)NULL, 1) !=
	       PF_RING_ERROR_NOT_SUPPORTED;
	bad |= pfring_dna_bouncer_loop(bouncer_handle, decide_fixed_len, (u_char *)NULL, 1) !=
	       PF_RING_ERROR_NOT_SUPPORTED;
	bad |= pfring_dna_bouncer_loop(NULL, decide_var_len, (u_char *)NULL, 1) !=
	       PF_RING_ERROR_INVALID_ARGUMENT;
	bad |= pfring_dna_bouncer_loop(NULL, decide_fixed_len, (u_char *)NULL, 1) !=
	       PF_RING_ERROR_INVALID_ARGUMENT;
	return bad;
}

/* The distribution functions themselves: each pair answers the same. */
static int functions_agree(void)
{
	static const u_char pkt[64] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 };
	pfring_dna_cluster_slaves_info info;
	u_int32_t mask_a = 0, mask_b = 0, hash_a = 0, hash_b = 0;
	u_int32_t len = 1515;
	int bad = 0;

	memset(&info, 0, sizeof(info));
	info.num_slaves = 3;
	bad |= hash_distribution_function(pkt, sizeof(pkt), 3, &mask_a, &hash_a) !=
	       hash_distribution_function_info(pkt, sizeof(pkt), &info, &mask_b, &hash_b);
	bad |= mask_a != mask_b || hash_a != hash_b || mask_a != (1u << (hash_a % 3));
	bad |= fanout_distribution_function(pkt, sizeof(pkt), 3, &mask_a, &hash_a) !=
	       fanout_distribution_function_info(pkt, sizeof(pkt), &info, &mask_b, &hash_b);
	bad |= mask_a != 0x7 || mask_b != 0x7;
	bad |= forward_distribution_function(pkt, sizeof(pkt), 3, &mask_a, &hash_a) != DNA_CLUSTER_FRWD;
	bad |= forward_distribution_function_info(pkt, sizeof(pkt), &info, &mask_b, &hash_b) !=
	       DNA_CLUSTER_FRWD;
	bad |= mask_a != 0x2 || mask_b != 0x2;
	bad |= decide_var_len(&len, NULL, NULL, 0) != DNA_BOUNCER_DROP;
	bad |= decide_fixed_len(1515, NULL, NULL) != DNA_BOUNCER_DROP;
	return bad;
}

/* Nonzero when a snippet or a form answered otherwise than described above. */
int zero_snippets_run(void)
{
	pfring *ring[2];
	int fake_handle = 0;
	int bad = 0;

	ring[0] = pfring_open("sim:zsnip0?gen=flows:1&count=1", 128, 0);
	ring[1] = NULL;
	if (ring[0] == NULL)
		return 1;
	/* a sim: ring has no packet buffers (DNA Cluster slaves do): the snippets skip */
	bad |= snippet_put_aside(ring[0], 0) != 0;
	bad |= snippet_bounce(ring, 0, 0) != 0;
	pfring_close(ring[0]);

	bad |= master_both_forms();
	bad |= bouncer_both_forms((pfring_dna_bouncer *)&fake_handle);
	bad |= functions_agree();
	return bad;
}
