/*
 * lib/zero_forms.h - the two forms of libzero's user functions (docs/decisions.md),
 * kept with a tag so that libzero stores one value and calls it through one
 * adapter, whichever form the program passed:
 *   the distribution function: the guide's (num_slaves) or the 5.4.6 programs'
 *     (slaves_info);
 *   the bouncer's decision function: PF_RING's header (*pkt_len, direction) or
 *     5.4.6's pfdnabounce.c (pkt_len by value, no direction).
 * The tagged values hold the user's function pointer only: no ownership.
 */
#ifndef PF_LIB_ZERO_FORMS_H
#define PF_LIB_ZERO_FORMS_H

#include "pfring_zero.h"

enum pf_zero_distribution_form {
	PF_ZERO_DIST_DEFAULT = 0,   /* func NULL: libzero's own symmetric IP hash */
	PF_ZERO_DIST_NUM_SLAVES,    /* pfring_dna_cluster_distribution_func */
	PF_ZERO_DIST_SLAVES_INFO    /* pfring_dna_cluster_slaves_info_distribution_func */
};

struct pf_zero_distribution {
	enum pf_zero_distribution_form form;
	union {
		pfring_dna_cluster_distribution_func num_slaves;
		pfring_dna_cluster_slaves_info_distribution_func slaves_info;
	} fn;
};

/*
 * Call d's function on one packet: the guide's form gets slaves->num_slaves.
 * Returns its verdict (DNA_CLUSTER_PASS, _DROP, _FRWD), *id_mask and *hash as it
 * set them. The default form has no function here (libzero hashes itself before
 * calling): DNA_CLUSTER_DROP, *id_mask and *hash untouched.
 */
int pf_zero_distribute(const struct pf_zero_distribution *d, const u_char *buffer,
		       u_int16_t buffer_len, const pfring_dna_cluster_slaves_info *slaves,
		       u_int32_t *id_mask, u_int32_t *hash);

enum pf_zero_decision_form {
	PF_ZERO_DECIDE_VAR_LEN = 0, /* pfring_dna_bouncer_decision_func */
	PF_ZERO_DECIDE_FIXED_LEN    /* pfring_dna_bouncer_fixed_len_decision_func */
};

struct pf_zero_decision {
	enum pf_zero_decision_form form;
	union {
		pfring_dna_bouncer_decision_func var_len;
		pfring_dna_bouncer_fixed_len_decision_func fixed_len;
	} fn;
};

/*
 * Call d's function on one packet of *pkt_len bytes moving in direction (0
 * ingress->egress). Returns its verdict (DNA_BOUNCER_PASS or _DROP). The
 * fixed-length form is given the length as u_int16_t and leaves *pkt_len as
 * it was; the other may change it.
 */
int pf_zero_decide(const struct pf_zero_decision *d, u_int32_t *pkt_len, u_char *pkt,
		   const u_char *user_bytes, u_int8_t direction);

#endif /* PF_LIB_ZERO_FORMS_H */
