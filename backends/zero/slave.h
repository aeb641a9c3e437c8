/*
 * backends/zero/slave.h - the "dnacluster:" backend: a slave of a DNA Cluster
 * (spec 9.1), attached to its master's buffer pool (zc_pool.h). Shared by its
 * files: slave.c (open, close, refusals, stats), slave_rx.c (receiving,
 * waiting, giving buffers back), slave_buf.c (pfring_send and the
 * pfring_pkt_buff calls).
 *
 *   dnacluster:ID@N   slave N of cluster ID (0 .. num_apps - 1)
 *   dnacluster:ID     the first free slave of cluster ID
 *
 * Buffers: the ring holds the pool buffers it took from its rx queue until it
 * gives them back (zs_give_back): the one the last zero-copy pfring_recv lent
 * (until the next recv or close), those still in its local batch, those its
 * pfring_pkt_buff handles hold. Close gives every one back; a slave that dies
 * instead leaves them to the master's zc_pool_reap.
 *
 * Threads: the slave's life is the life of the thread that opened it (its
 * robust mutex, zc_pool.h), so open and close it in one thread, and keep that
 * thread until close. Its other calls may come from another thread, one at a
 * time (as 5.4.6's slaves: one ring per consumer thread): the local batch, the
 * pending releases and the handles are not locked.
 */
#ifndef PF_BACKENDS_ZERO_SLAVE_H
#define PF_BACKENDS_ZERO_SLAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "backends/zero/zc_pool.h"
#include "lib/backend.h"

#define ZS_RX_BATCH      32u     /* handles taken from the rx queue at once */
#define ZS_RELEASE_BATCH 32u     /* releases pushed at once (and whenever idle) */
#define ZS_MAX_HANDLES   65536u  /* live pfring_pkt_buff handles per ring, at most */

/* A pfring_pkt_buff: one slot of the ring's handle table. */
struct zs_handle {
	uint32_t buf;       /* the pool buffer held, ZC_NO_HANDLE: none */
	uint32_t next_free; /* free slots' list */
	bool live;          /* given out by alloc, not yet released */
};

struct zs_ring {
	struct zc_pool *pool;
	uint32_t cluster_id, slave_id;
	/* taken from the rx queue, not yet handed out: rx[rx_next .. rx_n) */
	uint32_t rx[ZS_RX_BATCH];
	uint32_t rx_n, rx_next;
	uint32_t lent;          /* the buffer the last zero-copy recv lent, or ZC_NO_HANDLE */
	/* buffers given back but not yet on the release queue (it was full) */
	uint32_t *rel;
	uint32_t rel_n, rel_cap;
	uint32_t tx_spare;      /* a spare pfring_send took and could not queue, or ZC_NO_HANDLE */
	uint64_t received;      /* buffers recv and recv_pkt_buff delivered */
	uint32_t empty_polls;   /* non-blocking receives that found nothing in a row */
	bool gone_said;         /* "master gone" said once */
	/* pfring_pkt_buff handles: a table made at the first alloc */
	struct zs_handle *handles;
	uint32_t max_handles, live_handles, free_head, used;
};

static inline struct zs_ring *zs_ring_of(pfring *ring)
{
	return ring->priv_data;
}

/* slave_rx.c */
/* Buffer h is done with: onto the release queue (batched; never lost while
 * the ring is open: what the queue refuses waits in rel). */
void zs_give_back(struct zs_ring *r, uint32_t h);
/* Pushes the pending releases the queue takes. */
void zs_flush_releases(struct zs_ring *r);
/* The next buffer for this slave into *h: 1, 0 (none; after a break when
 * waiting), or PF_RING_ERROR_GENERIC / ENODEV once the master is gone and
 * nothing is left (said once per ring; call names the call in the message). */
int zs_next_buffer(pfring *ring, uint8_t wait, uint32_t *h, const char *call);
/* hdr for buffer h, caplen bytes captured. */
void zs_fill_header(pfring *ring, struct zc_buf *b, u_int caplen, struct pfring_pkthdr *hdr);
int zs_recv(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr,
	    u_int8_t wait);
int zs_poll(pfring *ring, u_int wait_duration);
int zs_is_pkt_available(pfring *ring);
/* Every buffer the receive side holds goes back (close). */
void zs_rx_release_all(struct zs_ring *r);

/* slave_buf.c */
int zs_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush);
pfring_pkt_buff *zs_alloc_pkt_buff(pfring *ring);
void zs_release_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle);
int zs_recv_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle, struct pfring_pkthdr *hdr,
		     u_int8_t wait);
int zs_send_pkt_buff(pfring *ring, pfring_pkt_buff *pkt_handle, u_int8_t flush);
u_char *zs_get_pkt_buff_data(pfring *ring, pfring_pkt_buff *pkt_handle);
int zs_set_pkt_buff_len(pfring *ring, pfring_pkt_buff *pkt_handle, u_int32_t len);
int zs_set_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);
int zs_add_pkt_buff_ifindex(pfring *ring, pfring_pkt_buff *pkt_handle, int if_index);
/* The handles still alive give their buffers back; the table goes (close). */
void zs_buf_free_all(struct zs_ring *r);

/* slave_list.c: one add() per DNA Cluster whose master runs (list_devices). */
void zs_list_devices(pf_device_add_fn add, void *ctx);

#endif /* PF_BACKENDS_ZERO_SLAVE_H */
