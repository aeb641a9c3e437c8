/*
 * backends/sim/sim_list.h - the sim: backend's list_devices (lib/backend.h).
 */
#ifndef PF_BACKENDS_SIM_LIST_H
#define PF_BACKENDS_SIM_LIST_H

#include "lib/backend.h"

/* One add() per NIC a live pfsim serves in the clients' socket folder. */
void sim_list_devices(pf_device_add_fn add, void *ctx);

#endif
