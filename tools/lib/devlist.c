/*
 * tools/lib/devlist.c - splitting -i device lists (devlist.h).
 */
#include <string.h>

#include "tools/lib/devlist.h"

/* Does s (up to the next comma) name a device rather than continue options? */
static int names_device(const char *s)
{
	static const char *prefixes[] = { "sim:", "dna:", "dnacluster:", "multi:",
					  "userspace:", "hub:" };
	size_t len = strcspn(s, ","), i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return memchr(s, ':', len) == NULL;  /* eth1, eth1@2: no key:value */
}

char *devlist_next(char **cursor)
{
	char *dev = *cursor, *p;
	int in_options = 0;

	if (dev == NULL || *dev == '\0')
		return NULL;
	for (p = dev; *p; p++) {
		if (*p == '?')
			in_options = 1;
		else if (*p == ',' && (!in_options || names_device(p + 1)))
			break;
	}
	if (*p == ',') {
		*p = '\0';
		*cursor = p + 1;
	} else {
		*cursor = p;
	}
	return dev;
}
