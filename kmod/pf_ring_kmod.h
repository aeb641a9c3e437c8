/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmod/pf_ring_kmod.h - pf_ring.ko's own state: the kernel home of core/.
 *
 * One struct pf_ring_sock per PF_RING socket. core/ owns the pipeline
 * (struct pf_socket) and the ring layout (struct pf_ring_prod); this module
 * only feeds them frames from the network stack and serves the socket calls.
 *
 * Locking, outermost first:
 *   pf_ring_mutex        socket list, cluster membership, /proc entries (process context)
 *   cluster->lock        the cluster's member choice (round-robin cursor); BH
 *   ps->prod_lock        one socket's pipeline run + ring producer (several CPUs
 *                        receive for one socket); BH
 *   ps->cfg_lock         core's write_lock (rule sets); taken under prod_lock by
 *                        the packet path's add-rule actions, never the other way
 * BPF is the socket's own sk_filter, attached by the standard SOL_SOCKET
 * SO_ATTACH_FILTER, or the same option at level 0 as PF_RING 5.4.6 took it
 * (the kernel validates and JIT-compiles it); core's BPF step runs it through
 * home->bpf_run, at its place in the pipeline.
 *
 * The packet path runs under RCU (the stack's own read section), so a socket or
 * cluster is freed only after synchronize_rcu() once it is unlinked.
 */
#ifndef PF_RING_KMOD_H
#define PF_RING_KMOD_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <net/sock.h>

#include "core/port.h"
#include "core/abi.h"
#include "core/ring.h"
#include "core/socket.h"
#include "core/cluster.h"

#define PF_APPL_NAME_LEN 64

struct pf_ring_cluster;

struct pf_ring_sock {
	struct sock sk;                 /* first: sk_alloc() allocates the whole struct */
	struct list_head list;          /* pf_ring_sockets, RCU */
	u32 id;                         /* ring id: /proc file name, SO_GET_RING_ID */
	pid_t pid;

	/* set before bind */
	u32 caplen;
	u32 ring_flags;                 /* PF_RING_LAYOUT_* */

	/* set by bind, then fixed; bind publishes bound last (release) and every
	 * lock-free reader tests it first (pf_ring_sock_bound) */
	int bound;
	int ifindex;                    /* 0: "any" */
	char dev_name[IFNAMSIZ];
	/* held while bound, NULL for "any" and once the device is gone; cleared
	 * and put (after a grace period) by whichever comes first of release and
	 * NETDEV_UNREGISTER, both under pf_ring_mutex; lock-free readers use it
	 * under RCU (pf_ring_sock_dev_get) */
	struct net_device __rcu *dev;
	u8 dev_gone;                    /* its device is unregistering: no more frames */
	int ended;                      /* ...and its ring ended (after the last frame):
					 * poll says EPOLLHUP; release store, acquire load */
	void *ring_mem;                 /* vmalloc_user(ring_size) */
	size_t ring_size;
	atomic_t mapped;                /* open mappings of ring_mem */

	/* read on the packet path */
	u8 active;                      /* SO_ACTIVATE_RING */
	int queue;                      /* RX queue, -1 = all */
	u8 mode;                        /* socket_mode */
	u16 watermark;
	struct pf_ring_cluster *cluster;
	char reflector[IFNAMSIZ];

	struct pf_home home;
	struct pf_socket core;
	spinlock_t prod_lock;
	spinlock_t cfg_lock;
	struct pf_ring_prod prod;

	char appl_name[PF_APPL_NAME_LEN];
	struct proc_dir_entry *proc;
};

static inline struct pf_ring_sock *pf_sk(struct sock *sk)
{
	return container_of(sk, struct pf_ring_sock, sk);
}

/*
 * True once bind has finished: ring_mem, ring_size, prod, dev, ifindex,
 * dev_name and queue are then whole and visible (acquire pairs with bind's
 * release). Every reader that does not hold the socket lock (poll, getsockopt,
 * send, the packet path, /proc) tests this before it touches any of them.
 */
static inline bool pf_ring_sock_bound(const struct pf_ring_sock *ps)
{
	return smp_load_acquire(&ps->bound);
}

/* The bound device with a reference the caller puts, or NULL ("any", gone). */
static inline struct net_device *pf_ring_sock_dev_get(struct pf_ring_sock *ps)
{
	struct net_device *dev;

	if (!pf_ring_sock_bound(ps))
		return NULL;
	rcu_read_lock();
	dev = rcu_dereference(ps->dev);
	if (dev)
		dev_hold(dev);
	rcu_read_unlock();
	return dev;
}

/* pf_ring_main.c: module parameters and global state */
extern unsigned int min_num_slots;
extern unsigned int transparent_mode;
extern unsigned int enable_tx_capture;
extern unsigned int enable_ip_defrag;
extern unsigned int quick_mode;
extern struct mutex pf_ring_mutex;
extern struct list_head pf_ring_sockets;
extern atomic_t pf_ring_nsockets;

/* pf_ring_sock.c */
int pf_ring_sock_register(void);
void pf_ring_sock_unregister(void);
struct sk_buff *pf_ring_tx_alloc(struct net_device *dev, u32 len, gfp_t gfp);
void pf_ring_tx_ready(struct pf_ring_sock *ps, struct sk_buff *skb);

/* pf_ring_dev.c: sockets let go of a device that is unregistered */
int pf_ring_dev_init(void);
void pf_ring_dev_exit(void);

/* pf_ring_sockopt.c */
int pf_ring_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
		       unsigned int optlen);
int pf_ring_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
		       int __user *optlen);
void pf_ring_sock_stats(struct pf_ring_sock *ps, struct pf_ring_socket_stats *st,
			struct pf_ring_stats *rs);

/* pf_ring_home.c */
void pf_ring_home_init(struct pf_ring_sock *ps);
/* Frames the packet path wants sent (reflect / bounce): queued while the
 * pipeline runs under locks, transmitted once they are released. */
struct pf_ring_tx_later {
	struct sk_buff_head q;
	struct sk_buff *skb;            /* the frame being delivered */
};

/* pf_ring_rx.c */
int pf_ring_rx_init(void);
void pf_ring_rx_exit(void);
void pf_ring_deliver_skb(struct sk_buff *skb, struct net_device *dev, u8 rx);

/* pf_ring_cluster.c */
struct pf_ring_cluster {
	struct list_head list;          /* pf_ring_clusters, RCU */
	spinlock_t lock;
	struct pf_cluster c;
	struct rcu_head rcu;
};
extern struct list_head pf_ring_clusters;
int pf_ring_cluster_join(struct pf_ring_sock *ps, u32 id, cluster_type type);
int pf_ring_cluster_leave(struct pf_ring_sock *ps);

/* pf_ring_proc.c */
int pf_ring_proc_init(void);
void pf_ring_proc_exit(void);
void pf_ring_proc_add_sock(struct pf_ring_sock *ps);
void pf_ring_proc_del_sock(struct pf_ring_sock *ps);

#endif /* PF_RING_KMOD_H */
