/*
 * lib/user_home.c - the user-space home of core/ (see user_home.h).
 *
 * Read side: every thread that enters the packet path owns one slot (a
 * sequence counter, odd while inside). synchronize() waits until every slot
 * that was odd when it looked has moved on, so memory unpublished before the
 * call is no longer seen by any reader. One cache line per slot, no shared
 * counter on the packet path.
 *
 * BPF: bpf_run is NULL, so core's validated executor runs the programs: make
 * bench measures it at 2.3-2.9x libpcap's bpf_filter on the same programs and
 * packets (docs/filtering.md).
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "lib/user_home.h"

#define PF_HOME_MAX_THREADS 256

struct pf_reader_slot {
	u64 seq;                  /* odd: inside a read-side section */
	u8 used;
} __attribute__((aligned(64)));

static struct pf_reader_slot pf_slots[PF_HOME_MAX_THREADS];
static __thread struct pf_reader_slot *pf_my_slot;
static __thread u32 pf_nesting;
static pthread_mutex_t pf_writer = PTHREAD_MUTEX_INITIALIZER;

static pthread_key_t pf_slot_key;
static pthread_once_t pf_slot_key_once = PTHREAD_ONCE_INIT;

/* A thread's slot goes back to the pool when the thread exits (outside any
 * read-side section, so its seq is even and synchronize() skips it). */
static void pf_release_slot(void *slot)
{
	__atomic_store_n(&((struct pf_reader_slot *)slot)->used, 0, __ATOMIC_RELEASE);
}

static void pf_make_slot_key(void)
{
	if (pthread_key_create(&pf_slot_key, pf_release_slot))
		abort();
}

static struct pf_reader_slot *pf_claim_slot(void)
{
	u32 i;

	pthread_once(&pf_slot_key_once, pf_make_slot_key);
	for (i = 0; i < PF_HOME_MAX_THREADS; i++) {
		u8 free_slot = 0;

		if (__atomic_compare_exchange_n(&pf_slots[i].used, &free_slot, 1, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			pthread_setspecific(pf_slot_key, &pf_slots[i]);
			return &pf_slots[i];
		}
	}
	abort();  /* more than PF_HOME_MAX_THREADS threads in the packet path at once */
}

static void pf_read_lock(void *ctx)
{
	(void)ctx;
	if (pf_nesting++)
		return;
	if (!pf_my_slot)
		pf_my_slot = pf_claim_slot();
	/* seq_cst: the slot must be visible before this thread reads any pointer. */
	__atomic_store_n(&pf_my_slot->seq, pf_my_slot->seq + 1, __ATOMIC_SEQ_CST);
}

static void pf_read_unlock(void *ctx)
{
	(void)ctx;
	if (--pf_nesting)
		return;
	__atomic_store_n(&pf_my_slot->seq, pf_my_slot->seq + 1, __ATOMIC_RELEASE);
}

static void pf_synchronize(void *ctx)
{
	u64 seen[PF_HOME_MAX_THREADS];
	u32 i;

	(void)ctx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < PF_HOME_MAX_THREADS; i++)
		seen[i] = __atomic_load_n(&pf_slots[i].seq, __ATOMIC_ACQUIRE);
	for (i = 0; i < PF_HOME_MAX_THREADS; i++) {
		if (!(seen[i] & 1))
			continue;
		while (__atomic_load_n(&pf_slots[i].seq, __ATOMIC_ACQUIRE) == seen[i])
			sched_yield();
	}
}

static void pf_write_lock(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&pf_writer);
}

static void pf_write_unlock(void *ctx)
{
	(void)ctx;
	pthread_mutex_unlock(&pf_writer);
}

static void *pf_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return calloc(1, n);
}

static void pf_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static u64 pf_realtime_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* plugin_get / plugin_put stay NULL: a process's plugins live as long as
 * the process, so rules pin nothing (core/plugin.h, pf_plugin_hold). */
#define PF_USER_HOME_OPS                                          \
	.alloc = pf_alloc, .free = pf_free,                       \
	.read_lock = pf_read_lock, .read_unlock = pf_read_unlock, \
	.synchronize = pf_synchronize,                            \
	.write_lock = pf_write_lock, .write_unlock = pf_write_unlock

static const struct pf_home pf_home_realtime = {
	.now_ns = pf_realtime_ns,
	PF_USER_HOME_OPS,
};

const struct pf_home *pf_user_home(void)
{
	return &pf_home_realtime;
}

static u64 pf_clock_now(void *ctx)
{
	return __atomic_load_n(&((struct pf_user_clock *)ctx)->now_ns, __ATOMIC_RELAXED);
}

void pf_user_clock_init(struct pf_user_clock *c)
{
	struct pf_home h = { .now_ns = pf_clock_now, PF_USER_HOME_OPS };

	h.ctx = c;
	c->home = h;
	c->now_ns = 0;
}
