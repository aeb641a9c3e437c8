/*
 * pcap_shim/table.c - the side table of pfring handles, and which names are
 * pfring's.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"
#include "util/api_message.h"

#include <net/if.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The table: slots [0, table_used) hold the live pfring handles (NULL:
 * free). shim_find takes no lock: pcap_breakloop calls it from signal
 * handlers, which may interrupt the program inside another shim call, and a
 * lock there could deadlock. Writers (new, free) serialise on table_lock and
 * publish with release stores; a slot is reused only after its handle was
 * closed, and a program that closes a handle while using it elsewhere is
 * wrong under libpcap too. */
#define SHIM_MAX_HANDLES 1024
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim *table[SHIM_MAX_HANDLES];
static unsigned int table_used;

int shim_is_pfring_name(const char *device)
{
	static const char *const prefixes[] = {
		"sim:", "dna:", "multi:", "dnacluster:", "userspace:", "hub:",
	};

	char ifname[IF_NAMESIZE];
	size_t len;

	if (device == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(device, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	if (getenv("PCAP_NO_PF_RING") != NULL || access("/proc/net/pf_ring", F_OK) != 0)
		return 0;
	if (strcmp(device, "any") == 0)
		return 1;
	/* pf_ring.ko's names: an interface, maybe with "@queue" */
	len = strcspn(device, "@");
	if (len == 0 || len >= sizeof(ifname))
		return 0;
	memcpy(ifname, device, len);
	ifname[len] = '\0';
	return if_nametoindex(ifname) != 0;
}

/* libpfring prints a failed call's message on stderr; the shim hands it to
 * the program through pcap_geterr instead (pfring_get_last_error_message),
 * which tcpdump and its kin print: once, not twice. PFRING_VERBOSE, when
 * set, keeps libpfring's own policy. */
static void quiet_libpfring(void)
{
	if (getenv("PFRING_VERBOSE") == NULL)
		pf_api_set_verbosity(PF_VERBOSE_NONE);
}

struct shim *shim_new(const char *device, char *errbuf)
{
	static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
	struct shim *s;

	pthread_once(&quiet_once, quiet_libpfring);
	s = calloc(1, sizeof(*s));

	if (s == NULL || (s->device = strdup(device)) == NULL) {
		free(s);
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "libpfring-pcap: out of memory");
		return NULL;
	}
	s->snaplen = SHIM_DEFAULT_SNAPLEN;
	s->timeout_ms = 1000;
	s->p = shim_real()->open_dead(DLT_EN10MB, SHIM_DEFAULT_SNAPLEN);
	if (s->p == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "libpfring-pcap: pcap_open_dead failed");
		free(s->device);
		free(s);
		return NULL;
	}
	pthread_mutex_lock(&table_lock);
	unsigned int i = 0;

	while (i < SHIM_MAX_HANDLES && table[i] != NULL)
		i++;
	if (i < SHIM_MAX_HANDLES) {
		__atomic_store_n(&table[i], s, __ATOMIC_RELEASE);
		if (i >= table_used)
			__atomic_store_n(&table_used, i + 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&table_lock);
	if (i == SHIM_MAX_HANDLES) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "libpfring-pcap: more than %d pfring handles open",
			 SHIM_MAX_HANDLES);
		shim_real()->close(s->p);
		free(s->device);
		free(s);
		return NULL;
	}
	return s;
}

struct shim *shim_find(pcap_t *p)
{
	unsigned int n = __atomic_load_n(&table_used, __ATOMIC_ACQUIRE);

	if (p == NULL)
		return NULL;
	for (unsigned int i = 0; i < n; i++) {
		struct shim *s = __atomic_load_n(&table[i], __ATOMIC_ACQUIRE);

		if (s != NULL && s->p == p)
			return s;
	}
	return NULL;
}

void shim_free(struct shim *s)
{
	pthread_mutex_lock(&table_lock);
	for (unsigned int i = 0; i < table_used; i++)
		if (table[i] == s) {
			__atomic_store_n(&table[i], NULL, __ATOMIC_RELEASE);
			break;
		}
	while (table_used > 0 && table[table_used - 1] == NULL)
		__atomic_store_n(&table_used, table_used - 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&table_lock);
	if (s->ring != NULL)
		pfring_close(s->ring);
	shim_real()->close(s->p);
	free(s->filter.bf_insns);
	free(s->device);
	free(s);
}

void shim_seterr(struct shim *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(shim_real()->geterr(s->p), PCAP_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}
