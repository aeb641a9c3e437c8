/*
 * tools/pfsim/daemon.h - pfsim's main, for the tool and for tests and benches
 * that run pfsim in a forked child (backends/sim/shared_proto.h: the protocol).
 */
#ifndef PF_TOOLS_PFSIM_DAEMON_H
#define PF_TOOLS_PFSIM_DAEMON_H

/* pfsim's main: 0 after SIGINT/SIGTERM, non-zero on bad usage or options
 * (2, after the usage) or when a NIC cannot be served (1). */
int pfsim_main(int argc, char **argv);

#endif /* PF_TOOLS_PFSIM_DAEMON_H */
