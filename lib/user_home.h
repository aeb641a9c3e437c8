/*
 * lib/user_home.h - libpfring's home for core/: the struct pf_home that
 * user-space rings (the simulator, multi:, userspace:) hand to the engine.
 */
#ifndef PF_USER_HOME_H
#define PF_USER_HOME_H

#include "core/engine.h"

/* The process-wide home: CLOCK_REALTIME, calloc/free, per-thread read-side
 * slots for the RCU-shaped contract of engine.h, a mutex for writers, and
 * core's BPF executor. */
const struct pf_home *pf_user_home(void);

/* A home whose clock the caller sets (tests, and the simulator's virtual clock). */
struct pf_user_clock {
	struct pf_home home;
	u64 now_ns;
};
void pf_user_clock_init(struct pf_user_clock *c);

#endif /* PF_USER_HOME_H */
