/* backends/zero/bouncer.c - PLACEHOLDER until the DNA Bouncer lands (issue 14). */
#include <errno.h>
#include "backends/zero/zero.h"

pfring_dna_bouncer *pf_zc_bouncer_create(pfring *in, pfring *out)
{
	(void)in; (void)out;
	errno = ENOSYS;
	return NULL;
}
int pf_zc_bouncer_set_mode(pfring_dna_bouncer *h, dna_bouncer_mode mode)
{ (void)h; (void)mode; return PF_RING_ERROR_NOT_SUPPORTED; }
int pf_zc_bouncer_loop(pfring_dna_bouncer *h, const struct pf_zero_decision *d, const u_char *u, u_int8_t w)
{ (void)h; (void)d; (void)u; (void)w; return PF_RING_ERROR_NOT_SUPPORTED; }
void pf_zc_bouncer_breakloop(pfring_dna_bouncer *h) { (void)h; }
void pf_zc_bouncer_destroy(pfring_dna_bouncer *h) { (void)h; }
