/*
 * pcap_shim/real.c - the system libpcap's functions through dlsym(RTLD_NEXT).
 */
#include "pcap_shim/real.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct shim_real real;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void *need(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) {
		fprintf(stderr, "libpfring-pcap: the system libpcap has no %s (%s): "
			"load libpcap after the shim\n", name, dlerror());
		abort();
	}
	return f;
}

/* dlsym returns void *; POSIX guarantees it converts to a function pointer. */
#define RESOLVE(member, name) \
	do { void *f_ = need(name); memcpy_fp(&real.member, &f_, sizeof(f_)); } while (0)

static void memcpy_fp(void *dst, void *const *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = (const unsigned char *)src;

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

static void resolve(void)
{
	RESOLVE(create, "pcap_create");
	RESOLVE(findalldevs, "pcap_findalldevs");
	RESOLVE(freealldevs, "pcap_freealldevs");
	RESOLVE(set_snaplen, "pcap_set_snaplen");
	RESOLVE(set_promisc, "pcap_set_promisc");
	RESOLVE(set_timeout, "pcap_set_timeout");
	RESOLVE(set_immediate_mode, "pcap_set_immediate_mode");
	RESOLVE(set_buffer_size, "pcap_set_buffer_size");
	RESOLVE(set_rfmon, "pcap_set_rfmon");
	RESOLVE(set_tstamp_type, "pcap_set_tstamp_type");
	RESOLVE(activate, "pcap_activate");
	RESOLVE(open_live, "pcap_open_live");
	RESOLVE(open_dead, "pcap_open_dead");
	RESOLVE(open_dead_with_tstamp_precision, "pcap_open_dead_with_tstamp_precision");
	RESOLVE(set_tstamp_precision, "pcap_set_tstamp_precision");
	RESOLVE(loop, "pcap_loop");
	RESOLVE(dispatch, "pcap_dispatch");
	RESOLVE(next_ex, "pcap_next_ex");
	RESOLVE(next, "pcap_next");
	RESOLVE(breakloop, "pcap_breakloop");
	RESOLVE(stats, "pcap_stats");
	RESOLVE(close, "pcap_close");
	RESOLVE(setfilter, "pcap_setfilter");
	RESOLVE(geterr, "pcap_geterr");
	RESOLVE(lookupnet, "pcap_lookupnet");
	RESOLVE(setnonblock, "pcap_setnonblock");
	RESOLVE(getnonblock, "pcap_getnonblock");
	RESOLVE(get_selectable_fd, "pcap_get_selectable_fd");
	RESOLVE(can_set_rfmon, "pcap_can_set_rfmon");
	RESOLVE(inject, "pcap_inject");
	RESOLVE(sendpacket, "pcap_sendpacket");
	RESOLVE(setdirection, "pcap_setdirection");
	RESOLVE(offline_filter, "pcap_offline_filter");
	RESOLVE(snapshot, "pcap_snapshot");
	RESOLVE(get_tstamp_precision, "pcap_get_tstamp_precision");
	RESOLVE(datalink, "pcap_datalink");
	RESOLVE(compile, "pcap_compile");
	RESOLVE(dump_open, "pcap_dump_open");
	RESOLVE(dump_fopen, "pcap_dump_fopen");
	RESOLVE(dump_open_append, "pcap_dump_open_append");
}

const struct shim_real *shim_real(void)
{
	pthread_once(&real_once, resolve);
	return &real;
}
