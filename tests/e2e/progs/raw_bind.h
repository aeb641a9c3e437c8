/*
 * tests/e2e/progs/raw_bind.h - bind a raw PF_RING socket to a device name
 * (struct pf_ring_sockaddr of core/abi.h: family 27, then the name), for the
 * guest programs that test the socket interface without libpfring.
 */
#ifndef E2E_RAW_BIND_H
#define E2E_RAW_BIND_H

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static inline int bind_to(int fd, const char *name)
{
	struct sockaddr_storage st;
	char *a = (char *)&st;

	memset(&st, 0, sizeof(st));
	a[0] = 27;                          /* family PF_RING, little endian */
	snprintf(a + 2, 30, "%s", name);
	return bind(fd, (struct sockaddr *)&st, 32);
}

#endif
