/*
 * backends/sim/sim_list.c - the sim: devices other processes may open: the
 * NICs pfsim serves in the socket folder clients use (shared_access.c).
 * A NIC is listed while its pfsim is alive, i.e. holds the flock on
 * NAME.sock.lock (shared_server.c); a socket a killed pfsim left is not.
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

/* Is NAME.sock.lock in dir locked by a running pfsim? */
static int served(const char *dir, const char *sock)
{
	char lock[PFSIM_PATH_LEN + 16];
	int fd, busy, n;

	n = snprintf(lock, sizeof(lock), "%s/%s.lock", dir, sock);
	if (n < 0 || (size_t)n >= sizeof(lock))
		return 0; /* too long to be a socket path pfsim could bind */
	fd = open(lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd); /* drops our shared lock, if we got it */
	return busy;
}

void sim_list_devices(pf_device_add_fn add, void *ctx)
{
	char dir[PFSIM_PATH_LEN], name[PFSIM_PATH_LEN + 8], desc[PFSIM_PATH_LEN + 64];
	struct dirent *e;
	DIR *d;

	if (pfsim_socket_dir(NULL, dir, sizeof(dir)) != 0 || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 5 || strcmp(e->d_name + len - 5, ".sock") != 0 || !served(dir, e->d_name))
			continue;
		int n = snprintf(name, sizeof(name), "sim:%.*s", (int)(len - 5), e->d_name);

		if (n < 0 || (size_t)n >= sizeof(name))
			continue;
		snprintf(desc, sizeof(desc), "simulated NIC served by pfsim (%s)", dir);
		add(ctx, name, desc);
	}
	closedir(d);
}
