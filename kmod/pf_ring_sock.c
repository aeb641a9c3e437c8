// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/pf_ring_sock.c - the PF_RING socket family: create, bind, mmap, poll,
 * send, release. The life of a socket is described in core/abi.h.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/idr.h>

#include "pf_ring_kmod.h"

static DEFINE_IDA(pf_ring_ids);

static struct proto pf_ring_proto = {
	.name     = "PF_RING",
	.owner    = THIS_MODULE,
	.obj_size = sizeof(struct pf_ring_sock),
};

static const struct proto_ops pf_ring_ops;

/* "eth0", "eth0@2" (RX queue 2 only) or "any". */
static int parse_device(const char *name, char *dev, int *queue)
{
	const char *at = strchr(name, '@');
	size_t n = at ? (size_t)(at - name) : strlen(name);
	unsigned int q;

	if (n == 0 || n >= IFNAMSIZ)
		return -EINVAL;
	memcpy(dev, name, n);
	dev[n] = '\0';
	*queue = -1;
	if (at) {
		if (kstrtouint(at + 1, 10, &q) || q >= PF_RING_MAX_QUEUES)
			return -EINVAL;
		*queue = (int)q;
	}
	return 0;
}

static int ring_alloc(struct pf_ring_sock *ps)
{
	u64 slot = pf_ring_slot_bytes(ps->ring_flags, ps->caplen);
	size_t size = pf_ring_layout_size((size_t)(slot * min_num_slots));
	int rc;

	if (!size)
		return -E2BIG;
	ps->ring_mem = vmalloc_user(size);
	if (!ps->ring_mem)
		return -ENOMEM;
	rc = pf_ring_init(&ps->prod, ps->ring_mem, size, ps->ring_flags);
	if (rc) {
		vfree(ps->ring_mem);
		ps->ring_mem = NULL;
		return rc;
	}
	ps->ring_size = size;
	return 0;
}

/* quick_mode=1: at most one socket per interface (User Guide 7). Called with
 * pf_ring_mutex held, so two binds cannot both find the interface free. */
static bool quick_mode_taken(int ifindex)
{
	struct pf_ring_sock *other;

	lockdep_assert_held(&pf_ring_mutex);
	list_for_each_entry(other, &pf_ring_sockets, list)
		if (other->bound && !other->dev_gone && other->ifindex == ifindex)
			return true;
	return false;
}

static int pf_sock_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct pf_ring_sock *ps = pf_sk(sock->sk);
	struct pf_ring_sockaddr *a = (struct pf_ring_sockaddr *)uaddr;
	struct net_device *dev = NULL;
	char name[IFNAMSIZ];
	int queue, rc;

	if (addr_len < (int)sizeof(*a) || a->family != PF_RING ||
	    !memchr(a->device, '\0', sizeof(a->device)))
		return -EINVAL;
	rc = parse_device(a->device, name, &queue);
	if (rc)
		return rc;
	if (strcmp(name, "any") != 0) {
		dev = dev_get_by_name(sock_net(sock->sk), name);
		if (!dev)
			return -ENODEV;
	} else if (queue >= 0) {
		return -EINVAL;   /* "any@Q" means nothing */
	}
	lock_sock(sock->sk);
	mutex_lock(&pf_ring_mutex);
	if (ps->bound) {
		rc = -EINVAL;
		goto out;
	}
	/* Unregistering already: its NETDEV_UNREGISTER would not find this socket
	 * bound. reg_state (a bit-field on 6.1) is set before that notifier takes
	 * pf_ring_mutex, so holding the mutex here, either the notifier runs after
	 * this bind, or this read sees the new state. */
	if (dev && dev->reg_state != NETREG_REGISTERED) {
		rc = -ENODEV;
		goto out;
	}
	if (quick_mode && quick_mode_taken(dev ? dev->ifindex : 0)) {
		rc = -EBUSY;
		goto out;
	}
	rc = ring_alloc(ps);
	if (rc)
		goto out;
	rcu_assign_pointer(ps->dev, dev);
	ps->ifindex = dev ? dev->ifindex : 0;
	strscpy(ps->dev_name, name, sizeof(ps->dev_name));
	ps->queue = queue;
	/* poll, getsockopt, send and the packet path read the ring and the device
	 * without the socket lock, once bound is set: all of the above first */
	smp_store_release(&ps->bound, 1);
	dev = NULL;
	pf_ring_proc_add_sock(ps);
out:
	mutex_unlock(&pf_ring_mutex);
	release_sock(sock->sk);
	if (dev)
		dev_put(dev);
	return rc;
}

/* A socket's file: private_data is its struct socket. */
static struct pf_ring_sock *vma_sock(struct vm_area_struct *vma)
{
	struct socket *sock = vma->vm_file->private_data;

	return pf_sk(sock->sk);
}

static void pf_sock_vm_open(struct vm_area_struct *vma)
{
	atomic_inc(&vma_sock(vma)->mapped);
}

static void pf_sock_vm_close(struct vm_area_struct *vma)
{
	atomic_dec(&vma_sock(vma)->mapped);
}

static const struct vm_operations_struct pf_sock_vm_ops = {
	.open  = pf_sock_vm_open,
	.close = pf_sock_vm_close,
};

/* The whole ring region, from offset 0. The file reference the mapping holds
 * keeps the socket (and its ring) alive until the last munmap, so a process
 * that dies with the ring mapped frees it on exit. */
static int pf_sock_mmap(struct file *file, struct socket *sock, struct vm_area_struct *vma)
{
	struct pf_ring_sock *ps = pf_sk(sock->sk);
	unsigned long size = vma->vm_end - vma->vm_start;
	int rc;

	if (vma->vm_pgoff != 0)
		return -EINVAL;
	lock_sock(sock->sk);
	if (!ps->ring_mem) {
		rc = -EINVAL;    /* bind first */
		goto out;
	}
	if (size > PAGE_ALIGN(ps->ring_size)) {
		rc = -EINVAL;
		goto out;
	}
	rc = remap_vmalloc_range(vma, ps->ring_mem, 0);
	if (rc)
		goto out;
	vma->vm_ops = &pf_sock_vm_ops;
	atomic_inc(&ps->mapped);
out:
	release_sock(sock->sk);
	return rc;
}

static __poll_t pf_sock_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct pf_ring_sock *ps = pf_sk(sock->sk);
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (!pf_ring_sock_bound(ps))
		return 0;
	if (smp_load_acquire(&ps->ended)) {
		/* no more frames will come: what is queued is readable now */
		mask |= EPOLLHUP;
		if (pf_ring_prod_queued(&ps->prod))
			mask |= EPOLLIN | EPOLLRDNORM;
		return mask;
	}
	if (pf_ring_prod_queued(&ps->prod) >= max_t(u16, READ_ONCE(ps->watermark), 1))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (rcu_access_pointer(ps->dev) && READ_ONCE(ps->mode) != recv_only_mode)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* An skb for one frame of len bytes from ps to go out of dev; the caller
 * writes the frame at skb->data, then calls pf_ring_tx_ready(). */
struct sk_buff *pf_ring_tx_alloc(struct net_device *dev, u32 len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(LL_RESERVED_SPACE(dev) + len, gfp);

	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_put(skb, len);
	skb->dev = dev;
	return skb;
}

void pf_ring_tx_ready(struct pf_ring_sock *ps, struct sk_buff *skb)
{
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->protocol = ((struct ethhdr *)skb->data)->h_proto;
	/* One hash per socket: the stack then puts all of a socket's frames on one
	 * TX queue, so they leave in the order they were sent (a flow hash would
	 * spread them over the queues of a multi-queue NIC and reorder them). */
	__skb_set_sw_hash(skb, ps->id + 1, false);
}

/* send(): one frame out of the bound device (pfring_send). */
static int pf_sock_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct pf_ring_sock *ps = pf_sk(sock->sk);
	struct net_device *dev = pf_ring_sock_dev_get(ps);
	struct sk_buff *skb;
	int rc;

	if (!dev)   /* unbound or bound to "any": no device to send on; or gone */
		return READ_ONCE(ps->dev_gone) ? -ENODEV : -ENXIO;
	rc = -EPERM;
	if (READ_ONCE(ps->mode) == recv_only_mode)
		goto out;
	rc = -EMSGSIZE;
	if (len < ETH_HLEN || len > dev->mtu + dev->hard_header_len + VLAN_HLEN)
		goto out;
	rc = -ENOBUFS;
	skb = pf_ring_tx_alloc(dev, len, GFP_KERNEL);
	if (!skb)
		goto out;
	rc = memcpy_from_msg(skb->data, msg, len);
	if (rc) {
		kfree_skb(skb);
		goto out;
	}
	pf_ring_tx_ready(ps, skb);
	rc = dev_queue_xmit(skb);
	if (rc != NET_XMIT_SUCCESS)
		rc = rc > 0 ? -ENOBUFS : rc;
	else
		rc = (int)len;
out:
	dev_put(dev);
	return rc;
}

static int pf_sock_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct net_device *dev;
	struct pf_ring_sock *ps;

	if (!sk)
		return 0;
	ps = pf_sk(sk);
	mutex_lock(&pf_ring_mutex);
	list_del_rcu(&ps->list);
	atomic_dec(&pf_ring_nsockets);
	/* unless NETDEV_UNREGISTER has taken it (pf_ring_dev.c) */
	dev = rcu_dereference_protected(ps->dev, lockdep_is_held(&pf_ring_mutex));
	RCU_INIT_POINTER(ps->dev, NULL);
	mutex_unlock(&pf_ring_mutex);
	pf_ring_cluster_leave(ps);
	pf_ring_proc_del_sock(ps);
	synchronize_rcu();          /* no CPU still delivers to ps */

	sock_orphan(sk);
	sock->sk = NULL;
	pf_socket_destroy(&ps->core);
	if (dev)
		dev_put(dev);
	/* the mappings hold the file, so no mapping is left when release runs */
	vfree(ps->ring_mem);
	ps->ring_mem = NULL;
	ida_free(&pf_ring_ids, ps->id);
	sock_put(sk);
	return 0;
}

static int pf_sock_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	char comm[TASK_COMM_LEN];
	struct pf_ring_sock *ps;
	struct sock *sk;
	int id, rc;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (sock->type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (protocol != htons(ETH_P_ALL))
		return -EPROTONOSUPPORT;
	id = ida_alloc(&pf_ring_ids, GFP_KERNEL);
	if (id < 0)
		return id;
	sk = sk_alloc(net, PF_RING, GFP_KERNEL, &pf_ring_proto, kern);
	if (!sk) {
		ida_free(&pf_ring_ids, id);
		return -ENOMEM;
	}
	sock->ops = &pf_ring_ops;
	sock_init_data(sock, sk);

	ps = pf_sk(sk);
	ps->id = (u32)id;
	ps->pid = task_tgid_nr(current);
	ps->caplen = 1536;
	ps->queue = -1;
	/* as the library's default (ring->poll_watermark), so both agree until
	 * pfring_set_poll_watermark; waking the reader per frame costs ~10x */
	ps->watermark = min_t(u32, DEFAULT_POLL_WATERMARK, max_t(u32, 1, min_num_slots / 2));
	ps->mode = send_and_recv_mode;
	get_task_comm(comm, current);
	strscpy(ps->appl_name, comm, sizeof(ps->appl_name));
	spin_lock_init(&ps->prod_lock);
	spin_lock_init(&ps->cfg_lock);
	pf_ring_home_init(ps);
	rc = pf_socket_init(&ps->core, &ps->home);
	if (rc) {
		sock->sk = NULL;
		sk_free(sk);
		ida_free(&pf_ring_ids, id);
		return rc;
	}
	mutex_lock(&pf_ring_mutex);
	list_add_tail_rcu(&ps->list, &pf_ring_sockets);
	atomic_inc(&pf_ring_nsockets);
	mutex_unlock(&pf_ring_mutex);
	return 0;
}

static const struct proto_ops pf_ring_ops = {
	.family      = PF_RING,
	.owner       = THIS_MODULE,
	.release     = pf_sock_release,
	.bind        = pf_sock_bind,
	.connect     = sock_no_connect,
	.socketpair  = sock_no_socketpair,
	.accept      = sock_no_accept,
	.getname     = sock_no_getname,
	.poll        = pf_sock_poll,
	.ioctl       = sock_no_ioctl,
	.listen      = sock_no_listen,
	.shutdown    = sock_no_shutdown,
	.setsockopt  = pf_ring_setsockopt,
	.getsockopt  = pf_ring_getsockopt,
	.sendmsg     = pf_sock_sendmsg,
	.recvmsg     = sock_no_recvmsg,
	.mmap        = pf_sock_mmap,
};

static const struct net_proto_family pf_ring_family = {
	.family = PF_RING,
	.create = pf_sock_create,
	.owner  = THIS_MODULE,
};

int pf_ring_sock_register(void)
{
	int rc = proto_register(&pf_ring_proto, 0);

	if (rc)
		return rc;
	rc = sock_register(&pf_ring_family);
	if (rc) {
		pr_err("pf_ring: socket family %d is taken (%d)\n", PF_RING, rc);
		proto_unregister(&pf_ring_proto);
	}
	return rc;
}

void pf_ring_sock_unregister(void)
{
	sock_unregister(PF_RING);
	proto_unregister(&pf_ring_proto);
}
