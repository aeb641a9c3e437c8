/*
 * backends/sim/sim_list.c - the sim: devices other processes may open: the
 * NICs pfsim serves in the socket folder clients use (shared_access.c).
 * A NIC is listed while its pfsim is alive, i.e. holds the flock on its lock
 * file (pfsim_lock_path); a socket a killed pfsim left is not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "backends/sim/shared_proto.h"
#include "backends/sim/sim_list.h"

/* Does a running pfsim serve NIC name? */
static int served(const char *name)
{
	char sock[PFSIM_PATH_LEN], lock[PFSIM_PATH_LEN + 8];
	int fd, busy;

	if (pfsim_socket_path(NULL, name, sock, sizeof(sock)) != 0 ||
	    pfsim_lock_path(sock, lock, sizeof(lock)) != 0)
		return 0; /* too long to be a socket pfsim could bind */
	fd = open(lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd); /* drops our shared lock, if we got it */
	return busy;
}

void sim_list_devices(pf_device_add_fn add, void *ctx)
{
	char dir[PFSIM_PATH_LEN], name[PFSIM_PATH_LEN], dev[PFSIM_PATH_LEN + 8];
	char desc[PFSIM_PATH_LEN + 64];
	struct dirent *e;
	DIR *d;

	if (pfsim_socket_dir(NULL, dir, sizeof(dir)) != 0 || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 5 || len - 5 >= sizeof(name) || strcmp(e->d_name + len - 5, ".sock") != 0)
			continue;
		memcpy(name, e->d_name, len - 5);
		name[len - 5] = '\0';
		if (!served(name))
			continue;
		snprintf(dev, sizeof(dev), "sim:%s", name);
		snprintf(desc, sizeof(desc), "simulated NIC served by pfsim (%s)", dir);
		add(ctx, dev, desc);
	}
	closedir(d);
}
