/*
 * lib/api_internal.h - helpers shared by the front's api_*.c files (and the
 * backends: the reader count, the locks of PF_RING_REENTRANT).
 */
#ifndef PF_LIB_API_INTERNAL_H
#define PF_LIB_API_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "util/api_message.h"  /* pf_api_message, pf_api_fail and kin */
#include "lib/backend.h"

/* Fill the 5.4.6 function-pointer members of a newly opened handle. */
void pf_api_fill_members(pfring *ring);

/* The dna_get_next_free_tx_slot member (no public function of its own in 5.4.6):
 * the slot the next pfring_send fills; 0, errno EOPNOTSUPP, without slots. */
u_int pf_api_next_free_tx_slot(pfring *ring);

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

/*
 * pfring_close from another thread while a reader sleeps in recv/poll/loop:
 * the readers count themselves in and out, close marks the ring shutting down,
 * sets the break flag, wakes the backend and waits for the count to reach 0
 * before it frees anything (api_open.c). Sequentially consistent on both sides:
 * a reader that enters either sees is_shutting_down, or close sees its count
 * and the break flag close sets comes after the reader's own reset of it.
 */
/* The ring this thread is inside (its outermost recv/poll/loop), and how
 * deep: a signal handler that closes that ring interrupted one of the callers
 * close would wait for, and that one cannot leave before the handler returns
 * (5.4.6's programs close from their SIGINT handler, then exit). */
extern __thread pfring *pf_thread_ring;
extern __thread unsigned int pf_thread_depth;

static inline void pf_caller_enter(pfring *ring)
{
	if (pf_thread_depth++ == 0)
		pf_thread_ring = ring;
	__atomic_fetch_add(&ring->num_callers_inside, 1, __ATOMIC_SEQ_CST);
}

static inline void pf_caller_leave(pfring *ring)
{
	__atomic_fetch_sub(&ring->num_callers_inside, 1, __ATOMIC_SEQ_CST);
	pf_thread_depth--;
}

static inline int pf_shutting_down(pfring *ring)
{
	return __atomic_load_n(&ring->is_shutting_down, __ATOMIC_SEQ_CST);
}

/* pfring_set_bpf_filter for a compiled program (the backend's set_bpf_program;
 * NOT_SUPPORTED without one); what names the call in messages. */
int pf_api_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			   const char *what);

/* The open rings (pfring_open adds, pfring_close removes), for setsockopt()
 * on their selectable fds (api_setsockopt.c). add: 0, or -1 with ENOMEM. */
int pf_api_ring_opened(pfring *ring);
void pf_api_ring_closed(pfring *ring);

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

#endif /* PF_LIB_API_INTERNAL_H */
