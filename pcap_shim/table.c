/*
 * pcap_shim/table.c - the side table of pfring handles, and which names are
 * pfring's.
 */
#include "pcap_shim/shim.h"
#include "pcap_shim/real.h"

#include <net/if.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim *table;

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

struct shim *shim_new(const char *device, char *errbuf)
{
	struct shim *s = calloc(1, sizeof(*s));

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
	s->next_in_table = table;
	table = s;
	pthread_mutex_unlock(&table_lock);
	return s;
}

struct shim *shim_find(pcap_t *p)
{
	struct shim *s;

	if (p == NULL)
		return NULL;
	pthread_mutex_lock(&table_lock);
	for (s = table; s != NULL && s->p != p; s = s->next_in_table)
		;
	pthread_mutex_unlock(&table_lock);
	return s;
}

void shim_free(struct shim *s)
{
	pthread_mutex_lock(&table_lock);
	for (struct shim **pp = &table; *pp != NULL; pp = &(*pp)->next_in_table)
		if (*pp == s) {
			*pp = s->next_in_table;
			break;
		}
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
