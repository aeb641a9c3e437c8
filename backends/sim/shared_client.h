/*
 * backends/sim/shared_client.h - the pfsim client backend (backends/sim/sim_shared.c) (backends/sim/shared_proto.h).
 */
#ifndef PF_SIM_SHARED_CLIENT_H
#define PF_SIM_SHARED_CLIENT_H

#include "lib/backend.h"

struct sim_name;

/* 1 when the NIC nic is served by a running pfsim (its socket exists in the
 * folder pfsim_socket_dir(NULL) names). */
int sim_shared_available(const char *nic);

/* Open n on pfsim: the sim: backend's open for a name sim_shared_available()
 * serves, after it set ring->backend to pfring_sim_shared_backend. */
int sim_shared_open(pfring *ring, const struct sim_name *n);

extern const struct pfring_backend pfring_sim_shared_backend;

#endif /* PF_SIM_SHARED_CLIENT_H */
