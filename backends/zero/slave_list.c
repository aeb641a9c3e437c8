/*
 * backends/zero/slave_list.c - the dnacluster: devices that can be opened
 * now: every DNA Cluster whose master runs (its region /pfring_zero.<id>, as
 * /dev/shm shows POSIX shared memory on Linux).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/zero/slave.h"
#include "backends/zero/zc_pool.h"

void zs_list_devices(pf_device_add_fn add, void *ctx)
{
	static const char prefix[] = "pfring_zero.";
	char name[32], desc[80];
	struct dirent *e;
	DIR *d = opendir("/dev/shm");

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *end;
		unsigned long id;

		if (strncmp(e->d_name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		id = strtoul(e->d_name + sizeof(prefix) - 1, &end, 10);
		if (*end != '\0' || id > 0xffffffffUL || !zc_pool_serving((uint32_t)id))
			continue;
		snprintf(name, sizeof(name), "dnacluster:%lu", id);
		snprintf(desc, sizeof(desc), "DNA Cluster %lu (libzero): a free slave slot, or @N", id);
		add(ctx, name, desc);
	}
	closedir(d);
}
