/*
 * util/pcap_lib.c - the system's libpcap, loaded privately (pcap_lib.h).
 *
 * The handle is never closed: the table serves pcap_t handles until exit.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/pcap_lib.h"

#define SYM(field) { "pcap_" #field, offsetof(struct pf_pcap_lib, field) }

static const struct {
	const char *name;
	size_t off;
} syms[] = {
	SYM(open_offline_with_tstamp_precision), SYM(open_dead),
	SYM(open_dead_with_tstamp_precision), SYM(close), SYM(datalink),
	SYM(datalink_val_to_name), SYM(next_ex), SYM(geterr), SYM(compile), SYM(freecode),
	SYM(dump_open), SYM(dump), SYM(dump_flush), SYM(dump_close),
};
_Static_assert(sizeof(syms) / sizeof(syms[0]) * sizeof(void (*)(void)) ==
	       sizeof(struct pf_pcap_lib), "every member of struct pf_pcap_lib is resolved");

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct pf_pcap_lib table;
static const struct pf_pcap_lib *loaded;  /* &table once loaded */

/* AddressSanitizer refuses RTLD_DEEPBIND (its interceptors would be bypassed):
 * the sanitizer builds of `make fuzz` load libpcap without it. */
#if defined(__SANITIZE_ADDRESS__)
#define PF_PCAP_DEEPBIND 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PF_PCAP_DEEPBIND 0
#endif
#endif
#ifndef PF_PCAP_DEEPBIND
#define PF_PCAP_DEEPBIND RTLD_DEEPBIND
#endif
static const char *path_override;

/* Under lock: dlopen and resolve into table. &table, or NULL and err. */
static const struct pf_pcap_lib *load(char *err, size_t errlen)
{
	const char *path = path_override ? path_override : PF_PCAP_SONAME;
	struct pf_pcap_lib t;
	void *h, *f;
	size_t i;

	/* LOCAL: not in the global scope, where it would meet the program's own
	 * pcap_*; DEEPBIND: its calls into itself never leave it either */
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL | PF_PCAP_DEEPBIND);
	if (h == NULL) {
		snprintf(err, errlen, "cannot load %s (libpcap: pcap= files and BPF filters "
			 "need it): %s", PF_PCAP_SONAME, dlerror());
		return NULL;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		f = dlsym(h, syms[i].name);
		if (f == NULL) {
			snprintf(err, errlen, "%s (%s) has no %s", PF_PCAP_SONAME, path,
				 syms[i].name);
			dlclose(h);
			return NULL;
		}
		memcpy((char *)&t + syms[i].off, &f, sizeof(f));
	}
	table = t;
	return &table;
}

const struct pf_pcap_lib *pf_pcap_lib(char *err, size_t errlen)
{
	const struct pf_pcap_lib *t = __atomic_load_n(&loaded, __ATOMIC_ACQUIRE);
	char msg[512];

	if (t)
		return t;
	pthread_mutex_lock(&lock);
	t = loaded;
	if (t == NULL) {
		t = load(msg, sizeof(msg));
		__atomic_store_n(&loaded, t, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lock);
	if (t == NULL) {
		if (err && errlen)
			snprintf(err, errlen, "%s", msg);
		errno = ELIBACC;
	}
	return t;
}

const struct pf_pcap_lib *pf_pcap(void)
{
	return &table;
}

void pf_pcap_lib_set_path(const char *path)
{
	pthread_mutex_lock(&lock);
	path_override = path;
	__atomic_store_n(&loaded, NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&lock);
}
