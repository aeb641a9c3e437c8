/*
 * lib/registry.c - which backend serves which device-name prefix.
 *
 * The static table lists every prefix PF_RING 5.4.6 knows. A backend serves
 * its prefix, and the names its claims() hook accepts (lib/backend.h). A
 * backend that is not built yet has a placeholder entry: no open(), and a
 * not_built message that pfring_open() prints. When a backend arrives, its line in
 * lib/backends.def replaces the placeholder (or it registers itself at run time
 * with pfring_backend_register).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "lib/backend.h"
#include "lib/devname.h"

#define PF_BACKEND(b) extern const struct pfring_backend b;
#include "lib/backends.def"
#undef PF_BACKEND

static const struct pfring_backend *const static_backends[] = {
#define PF_BACKEND(b) &b,
#include "lib/backends.def"
#undef PF_BACKEND
	/* placeholders of backends not built yet: none today */
};

#define NUM_STATIC (sizeof(static_backends) / sizeof(static_backends[0]))

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct pfring_backend *registered[PFRING_MAX_REGISTERED_BACKENDS];
/* libzero's master side (backends/zero/zero_ops.c), named here as the
 * backends are: lib/ includes no backend. */
extern const struct pfring_zero_ops pfring_libzero_ops;
static const struct pfring_zero_ops *zero_ops = &pfring_libzero_ops;

/* "" or 1..15 prefix characters and a final ':' (the devname.h grammar). */
static int valid_prefix(const char *prefix)
{
	struct pf_devname dn;
	char probe[PF_DEVNAME_PREFIX_MAX + 2];
	size_t len;

	if (prefix == NULL)
		return 0;
	len = strlen(prefix);
	if (len == 0)
		return 1;
	if (len >= PF_DEVNAME_PREFIX_MAX || prefix[len - 1] != ':')
		return 0;
	snprintf(probe, sizeof(probe), "%sx", prefix);
	return pf_devname_parse(probe, &dn) == PF_DEVNAME_OK &&
	       strcmp(dn.prefix, prefix) == 0;
}

static const struct pfring_backend *find_registered(const char *prefix)
{
	unsigned int i;

	for (i = 0; i < PFRING_MAX_REGISTERED_BACKENDS; i++)
		if (registered[i] && strcmp(registered[i]->prefix, prefix) == 0)
			return registered[i];
	return NULL;
}

static const struct pfring_backend *find_static(const char *prefix)
{
	unsigned int i;

	for (i = 0; i < NUM_STATIC; i++)
		if (strcmp(static_backends[i]->prefix, prefix) == 0)
			return static_backends[i];
	return NULL;
}

int pfring_backend_register(const struct pfring_backend *b)
{
	unsigned int i;
	int rc = PF_RING_ERROR_INVALID_ARGUMENT;

	if (b == NULL || b->name == NULL || !valid_prefix(b->prefix) ||
	    (b->open == NULL && b->not_built == NULL)) {
		errno = EINVAL;
		return PF_RING_ERROR_INVALID_ARGUMENT;
	}
	pthread_mutex_lock(&registry_lock);
	if (find_registered(b->prefix) == NULL) {
		for (i = 0; i < PFRING_MAX_REGISTERED_BACKENDS; i++) {
			if (registered[i] == NULL) {
				registered[i] = b;
				rc = 0;
				break;
			}
		}
	}
	pthread_mutex_unlock(&registry_lock);
	if (rc)
		errno = EINVAL;
	return rc;
}

int pfring_backend_unregister(const struct pfring_backend *b)
{
	unsigned int i;
	int rc = PF_RING_ERROR_INVALID_ARGUMENT;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; b && i < PFRING_MAX_REGISTERED_BACKENDS; i++) {
		if (registered[i] == b) {
			registered[i] = NULL;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	if (rc)
		errno = EINVAL;
	return rc;
}

const struct pfring_backend *pfring_backend_find(const char *prefix)
{
	const struct pfring_backend *b;

	if (prefix == NULL)
		return NULL;
	pthread_mutex_lock(&registry_lock);
	b = find_registered(prefix);
	pthread_mutex_unlock(&registry_lock);
	return b ? b : find_static(prefix);
}

const struct pfring_backend *pfring_backend_claiming(const struct pf_devname *dn)
{
	const struct pfring_backend *b = NULL;
	unsigned int i;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; b == NULL && i < PFRING_MAX_REGISTERED_BACKENDS; i++)
		if (registered[i] && registered[i]->claims && registered[i]->claims(dn))
			b = registered[i];
	pthread_mutex_unlock(&registry_lock);
	for (i = 0; b == NULL && i < NUM_STATIC; i++)
		if (static_backends[i]->claims && static_backends[i]->claims(dn))
			b = static_backends[i];
	return b;
}

void pfring_backend_list_devices(pf_device_add_fn add, void *ctx)
{
	const struct pfring_backend *reg[PFRING_MAX_REGISTERED_BACKENDS];
	unsigned int i;

	/* a copy: a lister may take time (directories), not under the lock */
	pthread_mutex_lock(&registry_lock);
	memcpy(reg, registered, sizeof(reg));
	pthread_mutex_unlock(&registry_lock);
	for (i = 0; i < PFRING_MAX_REGISTERED_BACKENDS; i++)
		if (reg[i] && reg[i]->list_devices)
			reg[i]->list_devices(add, ctx);
	for (i = 0; i < NUM_STATIC; i++) {
		const struct pfring_backend *b = static_backends[i];
		int replaced = 0;

		for (unsigned int j = 0; j < PFRING_MAX_REGISTERED_BACKENDS; j++)
			replaced |= reg[j] && strcmp(reg[j]->prefix, b->prefix) == 0;
		if (b->list_devices && !replaced)
			b->list_devices(add, ctx);
	}
}

const struct pfring_backend *pfring_backend_static(unsigned int i)
{
	return i < NUM_STATIC ? static_backends[i] : NULL;
}

static void append(char *buf, size_t buf_len, size_t *used, const char *s)
{
	int n;

	if (*used >= buf_len)
		return;
	n = snprintf(buf + *used, buf_len - *used, "%s%s", *used ? ", " : "", s);
	if (n > 0)
		*used += (size_t)n;
}

void pfring_backend_known_prefixes(char *buf, size_t buf_len)
{
	size_t used = 0;
	unsigned int i;

	if (buf == NULL || buf_len == 0)
		return;
	buf[0] = '\0';
	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < NUM_STATIC; i++)
		if (static_backends[i]->prefix[0])
			append(buf, buf_len, &used, static_backends[i]->prefix);
	for (i = 0; i < PFRING_MAX_REGISTERED_BACKENDS; i++)
		if (registered[i] && registered[i]->prefix[0] &&
		    find_static(registered[i]->prefix) == NULL)
			append(buf, buf_len, &used, registered[i]->prefix);
	pthread_mutex_unlock(&registry_lock);
}

void pfring_zero_register(const struct pfring_zero_ops *ops)
{
	pthread_mutex_lock(&registry_lock);
	zero_ops = ops;
	pthread_mutex_unlock(&registry_lock);
}

const struct pfring_zero_ops *pfring_zero_ops_get(void)
{
	const struct pfring_zero_ops *ops;

	pthread_mutex_lock(&registry_lock);
	ops = zero_ops;
	pthread_mutex_unlock(&registry_lock);
	return ops;
}
