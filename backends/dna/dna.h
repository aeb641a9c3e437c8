/*
 * backends/dna/dna.h - the "dna:" backend's own parts, shared by its files:
 * the NICs open in this process (dna_dev.c), a ring's state, the receive
 * (dna_rx.c) and transmit (dna_tx.c) steps. Nothing here is exported from
 * libpfring.so; pf_dna_set_bus_opener() is the unit tests' seam.
 *
 *   dna:NAME        NAME an interface ("eth1") or a PCI address ("0000:00:02.0"):
 *                   one ring reading every RX queue of the NIC, round robin
 *   dna:NAME@Q      RX queue Q only (pfring_open_multichannel opens @0 .. @n-1)
 *
 * The NIC is taken from its kernel driver at the first open of a ring on it
 * in this process and given back at the last close (several rings, one per
 * queue, share one struct dna_dev). A queue is read by one ring at a time.
 */
#ifndef PF_BACKENDS_DNA_H
#define PF_BACKENDS_DNA_H

#include <pthread.h>
#include <stdbool.h>

#include "lib/backend.h"
#include "lib/devname.h"
#include "drivers/device.h"

#define DNA_RING_SLOTS     512u  /* RX and TX descriptors per queue */
#define DNA_RX_BATCH       32u   /* frames taken from the NIC per rx_batch */
#define DNA_TX_WATERMARK   64u   /* default: the tail is written every 64 frames */
#define DNA_SLOT_BYTES     2048u /* a TX slot's room (pfring_copy_tx_packet_into_slot) */

/* How the backend gets a NIC's bus: pf_pci_open_as() by default (the path from
 * PFRING_DNA_BUS: "vfio", "uio", else automatic); the unit tests give a fake
 * bus. 0 and *out, or -errno after a message in err. */
typedef int (*pf_dna_bus_opener)(const char *name, struct pf_bus **out, char *err,
				 size_t errlen);
/* NULL restores the real bus. Not while a dna: ring is open. */
void pf_dna_set_bus_opener(pf_dna_bus_opener opener);

/* One NIC open in this process, shared by the rings on it. */
struct dna_dev {
	struct pf_nic *nic;
	struct dna_dev *next;          /* on the process's list (dna_dev.c) */
	unsigned int refs;             /* rings open on it */
	bool whole;                    /* a ring reads every queue */
	u_int64_t claimed[PF_DEVNAME_QUEUE_WORDS];  /* queues a ring reads */
	pthread_mutex_t lock;          /* the TX queues, the NIC's statistics */
};

struct dna_ring {
	struct dna_dev *dev;
	u_int16_t first_q, num_q;      /* RX queues read: first_q .. first_q + num_q - 1 */
	u_int16_t next_q;              /* the next of them to ask (0 .. num_q - 1) */
	u_int16_t tx_q;
	/* frames lent by the last rx_batch, handed out one per recv */
	struct pf_nic_rx lent[DNA_RX_BATCH];
	u_int32_t lent_n, lent_next;
	u_int64_t delivered;           /* frames pfring_recv returned */
	u_int32_t sample_skip;         /* frames still to skip (pfring_set_sampling_rate) */
	/* pfring_set_bpf_filter: run here, on core's executor */
	pthread_mutex_t bpf_lock;
	struct pf_bpf_prog *bpf;
	bool has_bpf;
	/* TX */
	u_int32_t tx_pending;          /* taken since the last tail write */
	u_int32_t tx_slot;             /* the slot the next send fills (pfsend's zero copy) */
	u_char *slots;                 /* DNA_RING_SLOTS x DNA_SLOT_BYTES, made at the first
					* pfring_copy_tx_packet_into_slot */
};

static inline struct dna_ring *dna_ring_of(pfring *ring)
{
	return ring->priv_data;
}

/* dna_dev.c: the NIC named m (its queues claimed for one ring), opened or
 * shared; dna_dev_put() gives a ring's claim back and closes the NIC with the
 * last. Open returns 0 or a PF_RING_ERROR_* after a message and errno. */
int dna_dev_get(const char *device_name, const struct pf_devname_member *m,
		const struct pf_nic_config *cfg, struct dna_dev **out, int *first_q,
		int *num_q);
void dna_dev_put(struct dna_dev *dev, int first_q, int num_q);

/* dna_rx.c */
int dna_recv(pfring *ring, u_char **buffer, u_int buffer_len, struct pfring_pkthdr *hdr,
	     u_int8_t wait);
int dna_poll(pfring *ring, u_int wait_duration);
int dna_is_pkt_available(pfring *ring);
int dna_stats(pfring *ring, pfring_stat *stats);
int dna_set_bpf_program(pfring *ring, const struct pf_bpf_insn *insns, u_int32_t n,
			const char *what);
int dna_remove_bpf_filter(pfring *ring);
int dna_set_sampling_rate(pfring *ring, u_int32_t rate);
void dna_rx_free(struct dna_ring *r);

/* dna_tx.c */
int dna_send(pfring *ring, const u_char *pkt, u_int pkt_len, u_int8_t flush);
int dna_set_tx_watermark(pfring *ring, u_int16_t watermark);
void dna_tx_flush_all(pfring *ring);
u_int dna_num_tx_slots(pfring *ring);
u_int dna_num_rx_slots(pfring *ring);
u_int dna_next_free_tx_slot(pfring *ring);
int dna_copy_into_slot(pfring *ring, u_int16_t slot, const char *buffer, u_int len);

#endif /* PF_BACKENDS_DNA_H */
