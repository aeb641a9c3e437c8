/*
 * pcap_shim/real.h - the system libpcap's own functions, found with
 * dlsym(RTLD_NEXT): what the shim calls for every handle and name that is not
 * pfring's, and for the pcap_t it makes with pcap_open_dead().
 */
#ifndef PF_PCAP_SHIM_REAL_H
#define PF_PCAP_SHIM_REAL_H

#include <pcap/pcap.h>

struct shim_real {
	pcap_t *(*create)(const char *dev, char *errbuf);
	int (*findalldevs)(pcap_if_t **alldevs, char *errbuf);
	void (*freealldevs)(pcap_if_t *alldevs);
	int (*set_snaplen)(pcap_t *p, int snaplen);
	int (*set_promisc)(pcap_t *p, int promisc);
	int (*set_timeout)(pcap_t *p, int ms);
	int (*set_immediate_mode)(pcap_t *p, int on);
	int (*set_buffer_size)(pcap_t *p, int size);
	int (*set_rfmon)(pcap_t *p, int rfmon);
	int (*set_tstamp_type)(pcap_t *p, int type);
	int (*activate)(pcap_t *p);
	pcap_t *(*open_live)(const char *dev, int snaplen, int promisc, int ms, char *errbuf);
	pcap_t *(*open_dead)(int linktype, int snaplen);
	pcap_t *(*open_dead_with_tstamp_precision)(int linktype, int snaplen, u_int precision);
	int (*set_tstamp_precision)(pcap_t *p, int precision);
	int (*loop)(pcap_t *p, int cnt, pcap_handler cb, u_char *user);
	int (*dispatch)(pcap_t *p, int cnt, pcap_handler cb, u_char *user);
	int (*next_ex)(pcap_t *p, struct pcap_pkthdr **h, const u_char **data);
	const u_char *(*next)(pcap_t *p, struct pcap_pkthdr *h);
	void (*breakloop)(pcap_t *p);
	int (*stats)(pcap_t *p, struct pcap_stat *ps);
	void (*close)(pcap_t *p);
	int (*setfilter)(pcap_t *p, struct bpf_program *fp);
	char *(*geterr)(pcap_t *p);
	int (*lookupnet)(const char *dev, bpf_u_int32 *net, bpf_u_int32 *mask, char *errbuf);
	int (*setnonblock)(pcap_t *p, int nonblock, char *errbuf);
	int (*getnonblock)(pcap_t *p, char *errbuf);
	int (*get_selectable_fd)(pcap_t *p);
	int (*can_set_rfmon)(pcap_t *p);
	int (*inject)(pcap_t *p, const void *buf, size_t size);
	int (*sendpacket)(pcap_t *p, const u_char *buf, int size);
	int (*setdirection)(pcap_t *p, pcap_direction_t d);
	int (*offline_filter)(const struct bpf_program *fp, const struct pcap_pkthdr *h,
			      const u_char *pkt);
	int (*snapshot)(pcap_t *p);
	int (*get_tstamp_precision)(pcap_t *p);
	int (*datalink)(pcap_t *p);
	int (*compile)(pcap_t *p, struct bpf_program *fp, const char *str, int optimize,
		       bpf_u_int32 netmask);
	pcap_dumper_t *(*dump_open)(pcap_t *p, const char *fname);
	pcap_dumper_t *(*dump_fopen)(pcap_t *p, FILE *fp);
	pcap_dumper_t *(*dump_open_append)(pcap_t *p, const char *fname);
};

/* The table, resolved on first use (thread-safe). Every member is set: a
 * libpcap without one of them aborts the program with a message, since a
 * shim that cannot reach the real libpcap can do nothing right. */
const struct shim_real *shim_real(void);

#endif /* PF_PCAP_SHIM_REAL_H */
