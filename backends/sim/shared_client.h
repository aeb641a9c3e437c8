/*
 * backends/sim/shared_client.h - the pfsim client backend (backends/sim/sim_shared.c) (backends/sim/shared_proto.h).
 */
#ifndef PF_SIM_SHARED_CLIENT_H
#define PF_SIM_SHARED_CLIENT_H

#include "lib/backend.h"

/* 1 when dev ("NAME[@Q]", no options) is served by a running pfsim (its
 * socket exists in the folder pfsim_socket_dir(NULL) names). */
int sim_shared_available(const char *dev);

extern const struct pfring_backend pfring_sim_shared_backend;

#endif /* PF_SIM_SHARED_CLIENT_H */
