/* lib/back_off.c - pf_poll_back_off (lib/backend.h) */
#include <time.h>

#include "lib/backend.h"

#define BACK_OFF_FIRST_NS 16000u    /* a frame at line rate comes well within it */
#define BACK_OFF_MAX_NS   1000000u  /* an idle reader wakes 1000 times a second */

void pf_poll_back_off(const pfring *ring, unsigned int n)
{
	u_int64_t cap = (u_int64_t)pf_poll_step_ms(ring) * 1000000u, ns = BACK_OFF_FIRST_NS;
	struct timespec ts;

	while (n-- > 0 && ns < BACK_OFF_MAX_NS)
		ns *= 2;
	ns = ns > BACK_OFF_MAX_NS ? BACK_OFF_MAX_NS : ns;
	ns = ns > cap ? cap : ns;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ns;
	nanosleep(&ts, NULL);
}
