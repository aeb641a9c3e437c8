/* backends/zero/cluster.c - PLACEHOLDER until the DNA Cluster master lands (issue 14). */
#include <errno.h>
#include "backends/zero/zero.h"

pfring_dna_cluster *pf_zc_cluster_create(u_int32_t cluster_id, u_int32_t num_apps, u_int32_t flags)
{
	(void)cluster_id; (void)num_apps; (void)flags;
	errno = ENOSYS;
	return NULL;
}
int pf_zc_cluster_low_level_settings(pfring_dna_cluster *h, u_int32_t a, u_int32_t b, u_int32_t c)
{ (void)h; (void)a; (void)b; (void)c; return PF_RING_ERROR_NOT_SUPPORTED; }
int pf_zc_cluster_register_ring(pfring_dna_cluster *h, pfring *ring)
{ (void)h; (void)ring; return PF_RING_ERROR_NOT_SUPPORTED; }
void pf_zc_cluster_set_cpu_affinity(pfring_dna_cluster *h, u_int32_t a, u_int32_t b)
{ (void)h; (void)a; (void)b; }
int pf_zc_cluster_set_mode(pfring_dna_cluster *h, socket_mode mode)
{ (void)h; (void)mode; return PF_RING_ERROR_NOT_SUPPORTED; }
void pf_zc_cluster_set_distribution_function(pfring_dna_cluster *h, const struct pf_zero_distribution *d)
{ (void)h; (void)d; }
void pf_zc_cluster_set_wait_mode(pfring_dna_cluster *h, u_int32_t a) { (void)h; (void)a; }
int pf_zc_cluster_enable(pfring_dna_cluster *h) { (void)h; return PF_RING_ERROR_NOT_SUPPORTED; }
int pf_zc_cluster_disable(pfring_dna_cluster *h) { (void)h; return PF_RING_ERROR_NOT_SUPPORTED; }
int pf_zc_cluster_stats(pfring_dna_cluster *h, u_int64_t *a, u_int64_t *b, u_int64_t *c)
{ (void)h; (void)a; (void)b; (void)c; return PF_RING_ERROR_NOT_SUPPORTED; }
void pf_zc_cluster_destroy(pfring_dna_cluster *h) { (void)h; }
