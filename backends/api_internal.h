/*
 * backends/api_internal.h - helpers shared by the front's api_*.c files.
 */
#ifndef PF_BACKENDS_API_INTERNAL_H
#define PF_BACKENDS_API_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "backend.h"

/* errno = EINVAL, returns PF_RING_ERROR_INVALID_ARGUMENT. */
int pf_api_invalid(void);
/* errno = EOPNOTSUPP, returns PF_RING_ERROR_NOT_SUPPORTED. */
int pf_api_unsupported(void);
/* errno = err, returns code. */
int pf_api_fail(int code, int err);

/* One line on stderr, "pfring: " is not added (the caller names the call). */
void pf_api_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* NOT_SUPPORTED (errno EOPNOTSUPP) with one line saying why, printed at the
 * first such call of the process only (*said remembers it): programs call
 * some of these in loops. */
int pf_api_unsupported_why(int *said, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fill the 5.4.6 function-pointer members of a newly opened handle. */
void pf_api_fill_members(pfring *ring);

/* The op of the backend serving ring, NULL when it has none. */
#define PF_HAS(ring, op) ((ring)->backend != NULL && (ring)->backend->op != NULL)

#define PF_REQUIRE(cond) \
	do { \
		if (!(cond)) \
			return pf_api_invalid(); \
	} while (0)

#define PF_REQUIRE_OP(ring, op) \
	do { \
		if (!PF_HAS(ring, op)) \
			return pf_api_unsupported(); \
	} while (0)

/* PF_RING_REENTRANT: the receive and transmit paths are serialized (the locks
 * are 5.4.6's rwlocks, always taken for writing, as 5.4.6 did). */
static inline void pf_rx_lock(pfring *ring)
{
	if (ring->reentrant)
		pthread_rwlock_wrlock(&ring->rx_lock);
}

static inline void pf_rx_unlock(pfring *ring)
{
	if (ring->reentrant)
		pthread_rwlock_unlock(&ring->rx_lock);
}

static inline void pf_tx_lock(pfring *ring)
{
	if (ring->reentrant)
		pthread_rwlock_wrlock(&ring->tx_lock);
}

static inline void pf_tx_unlock(pfring *ring)
{
	if (ring->reentrant)
		pthread_rwlock_unlock(&ring->tx_lock);
}

/* Receive: ring usable for reading? 0 or a negative PF_RING_ERROR_*. */
int pf_api_rx_state(pfring *ring);
/* Transmit: same for sending. */
int pf_api_tx_state(pfring *ring);

/* Monotonic milliseconds, for the poll and receive timeouts of the backends. */
static inline u_int64_t pf_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u_int64_t)ts.tv_sec * 1000u + (u_int64_t)ts.tv_nsec / 1000000u;
}

#endif /* PF_BACKENDS_API_INTERNAL_H */
