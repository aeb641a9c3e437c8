/*
 * lib/zero_forms.c - the adapters of lib/zero_forms.h: one call site in libzero
 * for either form of its user functions.
 */
#include "lib/zero_forms.h"

int pf_zero_distribute(const struct pf_zero_distribution *d, const u_char *buffer,
		       u_int16_t buffer_len, const pfring_dna_cluster_slaves_info *slaves,
		       u_int32_t *id_mask, u_int32_t *hash)
{
	switch (d->form) {
	case PF_ZERO_DIST_NUM_SLAVES:
		return d->fn.num_slaves(buffer, buffer_len, slaves->num_slaves, id_mask, hash);
	case PF_ZERO_DIST_SLAVES_INFO:
		return d->fn.slaves_info(buffer, buffer_len, slaves, id_mask, hash);
	case PF_ZERO_DIST_DEFAULT:
		break;
	}
	return DNA_CLUSTER_DROP;
}

int pf_zero_decide(const struct pf_zero_decision *d, u_int32_t *pkt_len, u_char *pkt,
		   const u_char *user_bytes, u_int8_t direction)
{
	if (d->form == PF_ZERO_DECIDE_FIXED_LEN)
		return d->fn.fixed_len((u_int16_t)*pkt_len, pkt, user_bytes);
	return d->fn.var_len(pkt_len, pkt, user_bytes, direction);
}
