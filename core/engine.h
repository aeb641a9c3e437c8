/*
 * core/engine.h - the seam between the engine and its homes.
 *
 * A home (libpfring's simulator, pf_ring.ko, libzero) hands the engine frames as
 * struct pf_pkt and supplies a struct pf_home: clock, memory, locking, the BPF
 * runner and the packet senders. Everything that is not I/O, clock or memory is
 * core's.
 */
#ifndef PF_CORE_ENGINE_H
#define PF_CORE_ENGINE_H

#include "port.h"
#include <linux/pf_ring.h>

/* The engine's view of one frame. Plugins see this, never an sk_buff. */
struct pf_pkt {
	const u8 *data;          /* frame bytes, data[0 .. caplen) readable */
	u32 caplen, len;         /* captured / on-the-wire length */
	u64 ts_ns;               /* timestamp (home clock or NIC clock) */
	s32 if_index;            /* receiving (rx) or sending (tx) device */
	u16 queue;               /* RX queue (channel) the NIC put it on */
	u8 rx;                   /* 1 = received, 0 = transmitted */
	u8 parsed_level;         /* 0 = not parsed yet, else pf_parse()'s result */
	struct pkt_parsing_info info; /* valid once parsed_level != 0 */
	void *home_pkt;          /* the home's own object for this frame (the kernel's
				  * sk_buff); core never touches it */
};

/* Parse p once, to L5; later calls are free. */
void pf_pkt_parse(struct pf_pkt *p);

struct pf_ring_prod;
/*
 * Copy p, truncated to caplen, into a new slot of ring r with timestamp ts_ns;
 * on long-header rings also the extended header (p is parsed for it; pkt_hash
 * is the NIC's RSS hash, 0 if none). Does not publish (pf_ring_publish).
 * Returns 0; -PF_E2BIG when r can never hold caplen bytes, counted as refused
 * (as pf_ring_put_burst does); or -PF_ENOSPC (ring full) with nothing counted:
 * the caller retries or counts the drop (pf_ring_drop). So each frame offered
 * ends in exactly one of inserted, refused, or the caller's choice.
 */
int pf_pkt_to_ring(struct pf_ring_prod *r, struct pf_pkt *p, u32 caplen, u64 ts_ns,
		   u32 pkt_hash);

/*
 * What a home supplies. Every socket keeps a pointer to its home; ctx is passed
 * back to every call. Functions may be NULL where noted.
 *
 * Concurrency contract (RCU-shaped, so the kernel maps it onto RCU):
 *   - the packet path runs between read_lock() and read_unlock() and never sleeps;
 *   - configuration writers are serialized by write_lock()/write_unlock() (the
 *     packet path may also take it, briefly, for the add/delete-rule actions);
 *   - a writer that unpublishes memory calls synchronize() before free(), so no
 *     reader still sees it, and calls it AFTER write_unlock(): synchronize()
 *     may sleep (synchronize_rcu in the kernel), write_lock() is a spinlock
 *     there. The packet path never calls synchronize().
 */
struct pf_home {
	void *ctx;
	u64  (*now_ns)(void *ctx);
	void *(*alloc)(void *ctx, size_t n);           /* zeroed memory, or NULL */
	void (*free)(void *ctx, void *p);
	void (*read_lock)(void *ctx);
	void (*read_unlock)(void *ctx);
	void (*synchronize)(void *ctx);
	void (*write_lock)(void *ctx);
	void (*write_unlock)(void *ctx);
	/* Run a classic BPF program (as stored by core/bpf.h) on a frame: returns the
	 * number of bytes to accept, 0 to reject. NULL: the home has no BPF engine
	 * and core's own validated executor runs the program. p->home_pkt lets a
	 * home run its engine on its own packet object (the kernel: the sk_buff).
	 * With the socket's home_bpf set, insns is NULL: the home's own program. */
	u32  (*bpf_run)(void *ctx, const void *insns, u32 n_insns, const struct pf_pkt *p);
	/* Send the unmodified frame out of the named device (reflect actions); NULL
	 * or a negative return counts a failed reflection. */
	int  (*reflect)(void *ctx, const char *device, const struct pf_pkt *p);
	/* Send the frame back out of the device it came in on (bounce actions). */
	int  (*bounce)(void *ctx, const struct pf_pkt *p);
	/* Pin / unpin the code of a registered plugin while a rule names it
	 * (core/plugin.h, pf_plugin_hold). owner is what the plugin registered
	 * with: the kernel's module. plugin_get returns 0, or non-zero when the
	 * owner is going away. Both may run in the packet path: never sleep.
	 * NULL: this home's plugins never go away (user space). */
	int  (*plugin_get)(void *ctx, void *owner);
	void (*plugin_put)(void *ctx, void *owner);
};

/* Calls through the home's locks. Spelled as functions because the kernel
 * defines read_lock() / write_lock() as macros, which a direct call through
 * a member of that name would expand. */
static inline void pf_home_read_lock(const struct pf_home *h) { (h->read_lock)(h->ctx); }
static inline void pf_home_read_unlock(const struct pf_home *h) { (h->read_unlock)(h->ctx); }
static inline void pf_home_write_lock(const struct pf_home *h) { (h->write_lock)(h->ctx); }
static inline void pf_home_write_unlock(const struct pf_home *h) { (h->write_unlock)(h->ctx); }

#endif /* PF_CORE_ENGINE_H */
