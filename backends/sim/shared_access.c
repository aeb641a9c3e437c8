/*
 * backends/sim/shared_access.c - who may talk to pfsim (backends/sim/shared_proto.h): the socket
 * folder pfsim and its clients agree on and both check, and the peer's
 * credentials (SO_PEERCRED) both check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "backends/sim/shared_proto.h"

int pfsim_socket_dir(const char *dir, char *out, size_t len)
{
	const char *env = getenv("PFSIM_DIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (dir != NULL && dir[0] != '\0')
		n = snprintf(out, len, "%s", dir);
	else if (env != NULL && env[0] != '\0')
		n = snprintf(out, len, "%s", env);
	else if (xdg != NULL && xdg[0] != '\0')
		n = snprintf(out, len, "%s/pfsim", xdg);
	else
		n = snprintf(out, len, "/tmp/pfsim-%u", (unsigned)geteuid());
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int pfsim_lock_path(const char *sock_path, char *out, size_t len)
{
	int n = snprintf(out, len, "%s.lock", sock_path);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int pfsim_socket_path(const char *dir, const char *name, char *path, size_t len)
{
	char d[PFSIM_PATH_LEN];
	int n;

	if (pfsim_socket_dir(dir, d, sizeof(d)))
		return -1;
	n = snprintf(path, len, "%s/%s.sock", d, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int pfsim_dir_check(const char *dir, int create, char *err, size_t len)
{
	struct stat st;

	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, len, "pfsim: cannot create the socket folder %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	/* lstat: a symbolic link could be pointed elsewhere after the check */
	if (lstat(dir, &st) < 0) {
		snprintf(err, len, "pfsim: socket folder %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, len, "pfsim: socket folder %s is not a folder (a symbolic link or "
			 "a file): refused", dir);
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, len, "pfsim: socket folder %s (owner uid %u, mode %04o) refused: "
			 "it must belong to uid %u and not be writable by group or others",
			 dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
			 (unsigned)geteuid());
		return -1;
	}
	return 0;
}

int pfsim_peer_check(int sock, char *err, size_t len)
{
	struct ucred cr;
	socklen_t n = sizeof(cr);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cr, &n) < 0) {
		snprintf(err, len, "SO_PEERCRED: %s", strerror(errno));
		return -1;
	}
	if (cr.uid == geteuid() || cr.uid == 0)
		return 0;
	snprintf(err, len, "uid %u (pid %d) is neither uid %u nor root", (unsigned)cr.uid,
		 (int)cr.pid, (unsigned)geteuid());
	return -1;
}
