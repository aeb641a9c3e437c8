/*
 * util/pcap_lib.h - libpfring's own handle on the system's libpcap.
 *
 * A program may carry a libpcap of its own (the PF_RING-aware libpcap 1.1.1 is
 * linked statically into tcpdump builds). Its pcap_* symbols come first in the
 * global scope, so a call libpfring made by name would run that copy, with
 * another struct pcap, and crash (pcap_close on a handle of the system's
 * libpcap). So libpfring never calls libpcap by name: on first use it
 * dlopen()s PF_PCAP_SONAME with RTLD_LOCAL | RTLD_DEEPBIND (libpcap's calls to
 * its own functions bind inside it as well) and calls it through this table.
 * libpfring.so does not list libpcap as DT_NEEDED, and libpfring.a needs no
 * -lpcap. Users: sim/source.c (pcap=), sim/nic.c (txpcap=),
 * lib/bpf_compile.c (pfring_set_bpf_filter).
 */
#ifndef PF_BACKENDS_PCAP_LIB_H
#define PF_BACKENDS_PCAP_LIB_H

#include <stddef.h>
#include <pcap/pcap.h>

#define PF_PCAP_SONAME "libpcap.so.0.8"   /* Debian's libpcap0.8 (libpcap 1.x) */

/* The functions libpfring uses, named as in libpcap without "pcap_". */
struct pf_pcap_lib {
	pcap_t *(*open_offline_with_tstamp_precision)(const char *path, u_int precision,
						      char *errbuf);
	pcap_t *(*open_dead)(int linktype, int snaplen);
	pcap_t *(*open_dead_with_tstamp_precision)(int linktype, int snaplen, u_int precision);
	void (*close)(pcap_t *p);
	int (*datalink)(pcap_t *p);
	const char *(*datalink_val_to_name)(int dlt);
	int (*next_ex)(pcap_t *p, struct pcap_pkthdr **h, const u_char **data);
	char *(*geterr)(pcap_t *p);
	int (*compile)(pcap_t *p, struct bpf_program *prog, const char *expr, int optimize,
		       bpf_u_int32 netmask);
	void (*freecode)(struct bpf_program *prog);
	pcap_dumper_t *(*dump_open)(pcap_t *p, const char *path);
	void (*dump)(u_char *dumper, const struct pcap_pkthdr *h, const u_char *data);
	int (*dump_flush)(pcap_dumper_t *d);
	void (*dump_close)(pcap_dumper_t *d);
};

/* The table, loaded on first use (thread-safe). NULL when libpcap cannot be
 * loaded: err[0 .. errlen) then names PF_PCAP_SONAME and dlerror()'s reason,
 * and errno is ELIBACC. */
const struct pf_pcap_lib *pf_pcap_lib(char *err, size_t errlen);

/* The table once pf_pcap_lib() succeeded (callers holding a pcap_t it made). */
const struct pf_pcap_lib *pf_pcap(void);

/* Tests only: dlopen path instead of PF_PCAP_SONAME (NULL: the default). The
 * next pf_pcap_lib() loads again; a table in use stays valid. */
void pf_pcap_lib_set_path(const char *path);

#endif /* PF_BACKENDS_PCAP_LIB_H */
