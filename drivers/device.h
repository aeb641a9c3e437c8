/*
 * drivers/device.h - the device a DNA backend drives: one NIC opened through a
 * bus (drivers/bus.h), its RX and TX queues polled in batches, no interrupts,
 * no copies on receive. One open function per NIC family (pf_e1000e_open, ...)
 * returns a struct pf_nic whose ops do the rest.
 *
 * Ownership (netmap's habit: each field says who may touch it):
 *   - the NIC owns every descriptor it was given (RX: between head and tail;
 *     TX: written and flushed but not yet done); the driver owns the others and
 *     every buffer they point at;
 *   - rx_batch lends the caller frames in place, in the driver's DMA buffers:
 *     they stay valid until the next rx_batch on the same queue, which gives
 *     all of them back to the NIC at once; close ends them too. The caller may
 *     write into a lent buffer (PF_NIC_BUF_SIZE bytes from data; libzero's
 *     bouncer does): the driver never reads it back, and the NIC writes it
 *     again only after it is given back;
 *   - tx_batch copies the caller's bytes: the caller keeps its frames.
 * A queue is used by one thread at a time; different queues may run in
 * different threads (stats and close: no queue may be in use). The ops take
 * queue < num_rx_queues (num_tx_queues): the caller checks, they do not.
 */
#ifndef PF_DRIVERS_DEVICE_H
#define PF_DRIVERS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "drivers/bus.h"

/* A received frame lent by rx_batch: data points into DMA memory. */
struct pf_nic_rx {
	const uint8_t *data;    /* driver's, lent until the next rx_batch (writable, above) */
	uint16_t len;           /* bytes of the frame, without the CRC */
	uint32_t rss_hash;      /* the NIC's RSS hash of the frame, 0 when RSS is off */
};

/* A frame to send: the caller's; tx_batch copies it. */
struct pf_nic_tx {
	const void *data;
	uint16_t len;
};

/* Totals since open. The NIC's counters clear when read: the driver adds
 * each reading to these. */
struct pf_nic_stats {
	uint64_t rx_packets;    /* NIC: good packets received (GPRC) */
	uint64_t rx_bytes;      /* NIC: good octets received (GORC) */
	uint64_t rx_missed;     /* NIC: packets dropped for lack of room (MPC) */
	uint64_t rx_no_buffer;  /* NIC: times a frame found no free descriptor (RNBC);
				 * not all of them are lost: rx_missed says which were */
	uint64_t tx_packets;    /* NIC: good packets sent (GPTC) */
	uint64_t tx_bytes;      /* NIC: good octets sent (GOTC) */
	uint64_t rx_delivered;  /* driver: frames handed out by rx_batch */
	uint64_t rx_oversize;   /* driver: frames longer than one buffer, dropped */
	uint64_t rx_errors;     /* driver: frames the NIC marked with an error, dropped */
};

/* A hardware 5-tuple filter (igb's FTQF/DAQF/SAQF/SDPQF): fields whose mask
 * bit is clear are wildcards. Addresses and ports in network byte order. */
struct pf_nic_5tuple {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint8_t proto;
	uint8_t match;          /* PF_NIC_MATCH_* bits: the fields compared */
	uint16_t queue;         /* the RX queue matching frames go to */
	bool drop;              /* drop them instead */
};
#define PF_NIC_MATCH_SRC_IP   0x01
#define PF_NIC_MATCH_DST_IP   0x02
#define PF_NIC_MATCH_SRC_PORT 0x04
#define PF_NIC_MATCH_DST_PORT 0x08
#define PF_NIC_MATCH_PROTO    0x10

struct pf_nic;

struct pf_nic_ops {
	/* Up to max received frames of queue into bufs (first giving back the
	 * ones lent by the previous call): how many, 0 when none arrived. */
	uint32_t (*rx_batch)(struct pf_nic *nic, uint16_t queue, struct pf_nic_rx *bufs,
			     uint32_t max);
	/* Copies up to n frames into TX buffers and descriptors of queue; the
	 * NIC sees them at the next tx_flush. Returns how many were taken: fewer
	 * than n when the ring is full (call again later); -EMSGSIZE, with a
	 * message, when frames[0] is empty or longer than a TX buffer (a bad
	 * frame after the first ends the batch before it). */
	int (*tx_batch)(struct pf_nic *nic, uint16_t queue, const struct pf_nic_tx *frames,
			uint32_t n);
	/* Tells the NIC about the frames taken since the last flush (tail write). */
	void (*tx_flush)(struct pf_nic *nic, uint16_t queue);
	void (*stats)(struct pf_nic *nic, struct pf_nic_stats *out);
	/* Stops RX and TX, frees the rings, closes the bus and frees nic. */
	void (*close)(struct pf_nic *nic);
	/* Optional (NULL: the NIC has none): steers frames matching f to queue
	 * f->queue (or drops them, f->drop). Returns the filter's id >= 0, or
	 * -errno after a message (-ENOSPC when the NIC's filters are all used). */
	int (*add_5tuple)(struct pf_nic *nic, const struct pf_nic_5tuple *f,
			  char *err, size_t errlen);
	int (*remove_5tuple)(struct pf_nic *nic, int id);
	/* Optional (NULL: the driver cannot tell; pf_nic_link_up says up):
	 * whether the NIC has link now (STATUS.LU). Open does not wait for it. */
	bool (*link_up)(struct pf_nic *nic);
};

struct pf_nic {
	const struct pf_nic_ops *ops;   /* set by the open function */
	struct pf_bus *bus;             /* the NIC's: closed by close */
	const char *driver;             /* "e1000e" */
	uint16_t num_rx_queues, num_tx_queues;
	uint8_t mac[6];                 /* read from the NIC at open */
};

/* What the open functions take. Ring sizes: 0 means the driver's default. */
struct pf_nic_config {
	uint32_t rx_ring_size;  /* descriptors per RX queue */
	uint32_t tx_ring_size;  /* descriptors per TX queue */
	bool promisc;           /* every unicast and multicast frame, not only ours */
	uint16_t rx_queues;     /* RX queues wanted, spread by RSS; 0 or 1: one queue.
				 * A driver gives min(rx_queues, what the NIC has):
				 * num_rx_queues says how many */
	bool symmetric_rss;     /* RSS with the symmetric key (both directions of a
				 * flow on one queue: PF_RING_DNA_SYMMETRIC_RSS) */
};

/* The 82574 (8086:10d3) on bus: resets it, sets up one RX and one TX queue and
 * enables them. 0 and *out, or -errno after a message in err (then bus is
 * left open: the caller closes it). */
int pf_e1000e_open(struct pf_bus *bus, const struct pf_nic_config *cfg, struct pf_nic **out,
		   char *err, size_t errlen);

/* The 82576 (8086:10c9) on bus: resets it, sets up min(cfg->rx_queues, 16)
 * RX queues (RSS over them when more than one: rss_hash set in each frame)
 * and one TX queue, enables them and restarts the PHY's autonegotiation. It
 * waits for the reset (up to 100 ms), for the PHY accesses (MDIC.READY, up to
 * 10 ms each) and for the queues' enable bits, not for the link: the 82576
 * brings it up about 0.5 s after open (QEMU too), frames only arrive and
 * leave from then on, pf_nic_link_up() tells. 0 and *out, or -errno after a
 * message in err (then bus is left open: the caller closes it). */
int pf_igb_open(struct pf_bus *bus, const struct pf_nic_config *cfg, struct pf_nic **out,
		char *err, size_t errlen);

/* The driver of the NIC on bus, chosen by its PCI ids (drivers/nic.c): the
 * open function of that family, or -ENODEV after a message naming the ids. */
int pf_nic_open(struct pf_bus *bus, const struct pf_nic_config *cfg, struct pf_nic **out,
		char *err, size_t errlen);

/* 1 when pf_nic_open has a driver for these PCI ids (drivers/nic.c): a caller
 * asks before it takes a device from its kernel driver. */
int pf_nic_supported(uint16_t vendor, uint16_t device);

static inline uint32_t pf_nic_rx_batch(struct pf_nic *nic, uint16_t queue,
				       struct pf_nic_rx *bufs, uint32_t max)
{
	return nic->ops->rx_batch(nic, queue, bufs, max);
}

static inline int pf_nic_tx_batch(struct pf_nic *nic, uint16_t queue,
				  const struct pf_nic_tx *frames, uint32_t n)
{
	return nic->ops->tx_batch(nic, queue, frames, n);
}

static inline void pf_nic_tx_flush(struct pf_nic *nic, uint16_t queue)
{
	nic->ops->tx_flush(nic, queue);
}

static inline void pf_nic_stats(struct pf_nic *nic, struct pf_nic_stats *out)
{
	nic->ops->stats(nic, out);
}

static inline bool pf_nic_link_up(struct pf_nic *nic)
{
	return nic->ops->link_up ? nic->ops->link_up(nic) : true;
}

/* Waits until pf_nic_link_up(), checking every 10 ms, for max_ms at most:
 * whether the link is up. */
bool pf_nic_wait_link(struct pf_nic *nic, unsigned max_ms);

static inline void pf_nic_close(struct pf_nic *nic)
{
	nic->ops->close(nic);
}

#endif /* PF_DRIVERS_DEVICE_H */
