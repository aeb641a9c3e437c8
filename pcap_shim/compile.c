/*
 * pcap_shim/compile.c - pcap_compile on a pfring handle.
 *
 * The real pcap_compile reads the link type and the snapshot length from the
 * pcap_t (the program's "accept" returns the snaplen). The handle the program
 * holds keeps the default snaplen, so the program is compiled on a temporary
 * dead handle made with the handle's settings (shim_dead_like), closed at
 * once: a bpf_program owns its instructions and keeps no pcap_t. A compile
 * error is copied into the program's handle, where pcap_geterr finds it.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

SHIM_EXPORT int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize,
			     bpf_u_int32 netmask)
{
	struct shim *s = shim_find(p);
	pcap_t *d;
	int rc;

	if (s == NULL)
		return shim_real()->compile(p, fp, str, optimize, netmask);
	if (!s->activated) {
		shim_seterr(s, "not-yet-activated pcap_t passed to pcap_compile");
		return PCAP_ERROR;
	}
	d = shim_dead_like(s);
	if (d == NULL)
		return PCAP_ERROR;
	rc = shim_real()->compile(d, fp, str, optimize, netmask);
	if (rc != 0)
		shim_seterr(s, "%s", shim_real()->geterr(d));
	shim_real()->close(d);
	return rc;
}
