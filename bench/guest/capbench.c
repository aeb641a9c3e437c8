/*
 * bench/guest/capbench.c - capture benchmark, run inside a QEMU guest by
 * ci/bench-guest.sh: pf_ring.ko and the dna: backend (through libpfring's public
 * API), the DNA driver API directly (capbench_nic.c) and AF_PACKET with a
 * TPACKET_V3 ring, on the same traffic (traffic.h).
 *
 *   capbench -m pfring|dna|nic|tpacket3|none -i RXIF -o TXIF|-H CTLIF [-r PPS]
 *            [-d SECS] [-f FLOWS] [-w WATERMARK] [-L LABEL]
 *
 * pfring: pfring_open(RXIF) (pf_ring.ko); dna: pfring_open("dna:RXIF"), the same
 * loop; nic: pf_pci_open + pf_nic_open on RXIF, polled in batches of 32; none:
 * the traffic alone (also the CPU window of a capture run by someone else: DPDK's
 * testpmd, bench/guest/init). dna and nic exit 3 (CAPBENCH_UNAVAILABLE) with the
 * reason on stderr when RXIF cannot be opened that way.
 * -w: pfring_set_poll_watermark() before enabling (default: leave the ring's);
 * -L: the name printed as mode= (default: the mode).
 *
 * Traffic: 60-byte UDP/IPv4 frames of FLOWS flows at PPS, paced in batches of
 * 32 (traffic.c), sent by a child process: either itself on TXIF (-o: the other
 * end of a veth pair, on a raw AF_PACKET socket with PACKET_QDISC_BYPASS), or,
 * for a NIC, by the host (-H: the child asks bench/guest/inject.c by a control
 * frame on CTLIF, another NIC, and waits for its answer), so that the guest's
 * CPU pays for the capture only. Why not the kernel's pktgen: on a veth it
 * needs clone_skb 0 and burst 1, and below 100 us of delay per frame it
 * busy-waits, so it would hold the CPU at 100% whatever the capture costs and
 * the CPU figure would mean nothing; above 100 us it is capped at 10 kpps. A
 * paced sender sleeps between batches, so the guest's idle time is what is
 * left over (mode "none" measures the traffic alone).
 *
 * Measured over the window (sender start .. sender done + 300 ms of drain): the
 * whole guest's non-idle CPU time from /proc/stat (user+nice+system+irq+softirq
 * +steal: the kernel-side cost of delivering to the capture is the point), the
 * reader's own getrusage, frames sent and at what rate, frames RXIF received
 * (sysfs), frames captured and the capture's own drop count. One line on stdout:
 *   CAPBENCH mode=M key=value ...
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>

#include "capbench.h"
#include "traffic.h"

#define DRAIN_MS	300
#define BLOCK_SIZE	(1u << 20)
#define BLOCK_NR	64
#define TP_FRAME_SIZE	2048

struct opts {
	const char *mode, *label, *rxif, *txif, *ctlif;
	unsigned rate, flows, watermark;
	double secs;
};

/* What the sender child reports: frames sent, and how long that took (longer
 * than asked when the guest could not keep the rate). */
struct sent_report {
	unsigned long long frames;
	double secs;
};

struct cpu_ticks {
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
};

volatile sig_atomic_t stop;
static pfring *pf_ring_handle;

void die(const char *what)
{
	fprintf(stderr, "capbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ measurement */

static void read_cpu(struct cpu_ticks *t)
{
	FILE *f = fopen("/proc/stat", "r");

	memset(t, 0, sizeof(*t));
	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &t->user, &t->nice,
			 &t->sys, &t->idle, &t->iowait, &t->irq, &t->softirq, &t->steal) < 7)
		die("/proc/stat");
	fclose(f);
}

static unsigned long long if_rx_packets(const char *ifname)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets", ifname);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static double tv_s(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* ------------------------------------------------------------ the sender */

static int open_tx(const char *ifname)
{
	/* Protocol 0: a send-only socket, no receive hook of its own. */
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = 0 };
	int fd = socket(AF_PACKET, SOCK_RAW, 0), one = 1;

	if (fd < 0)
		die("tx socket");
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("tx bind");
	/* Straight to the driver: no qdisc, no TX taps (dev_queue_xmit_nit). */
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)))
		die("PACKET_QDISC_BYPASS");
	return fd;
}

/* rate * secs frames on TXIF, paced; returns the count. */
static unsigned long long local_send(const struct opts *o)
{
	int fd = open_tx(o->txif);
	long long n = cb_send_paced(fd, 0, o->rate, o->secs, o->flows);

	if (n < 0)
		die("sendmmsg");
	close(fd);
	return (unsigned long long)n;
}

/* The host's inject sends the frames (into the capture's NIC): asked by a
 * control frame on CTLIF, it answers there when done, with the count and the
 * time it took. No answer within 4 * secs + 10 s: nothing sent. */
static void remote_send(const struct opts *o, struct sent_report *rep)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(CB_CTL_ETHERTYPE) };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(CB_CTL_ETHERTYPE));
	unsigned id = (unsigned)getpid(), got;
	double deadline = now_s() + 4 * o->secs + 10;
	uint8_t f[2048];
	char text[96];

	if (fd < 0)
		die("control socket");
	sll.sll_ifindex = (int)if_nametoindex(o->ctlif);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("control bind");
	snprintf(text, sizeof(text), "CBGO %u %u %.3f %u", id, o->rate, o->secs, o->flows);
	cb_ctl_frame(f, text);
	if (send(fd, f, CB_CTL_LEN, 0) != CB_CTL_LEN)
		die("control send");
	rep->frames = 0;
	while (now_s() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const char *t;
		ssize_t n;

		if (poll(&p, 1, (int)((deadline - now_s()) * 1000) + 1) <= 0)
			continue;
		n = recv(fd, f, sizeof(f), 0);
		t = n > 0 ? cb_ctl_text(f, (unsigned)n) : NULL;
		if (t && sscanf(t, "CBDONE %u %llu %lf", &got, &rep->frames, &rep->secs) == 3 &&
		    got == id) {
			close(fd);
			return;
		}
	}
	fprintf(stderr, "capbench: no answer from inject on %s\n", o->ctlif);
	rep->frames = 0;
	close(fd);
}

/* ------------------------------------------------------------ pf_ring */

static void pfr_setup(const struct opts *o, int dna)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", dna ? "dna:" : "", o->rxif);
	pf_ring_handle = pfring_open(name, 128, PF_RING_PROMISC);
	if (!pf_ring_handle && dna) {
		fprintf(stderr, "capbench: dna: not available (pfring_open %s: %s)\n", name,
			strerror(errno));
		exit(CAPBENCH_UNAVAILABLE);
	}
	if (!pf_ring_handle)
		die("pfring_open");
	if (o->watermark && pfring_set_poll_watermark(pf_ring_handle, (u_int16_t)o->watermark))
		die("pfring_set_poll_watermark");
	if (pfring_enable_ring(pf_ring_handle))
		die("pfring_enable_ring");
}

static void pfr_loop(struct result *r)
{
	struct pfring_pkthdr hdr;
	u_char *buf;

	while (!stop) {
		int rc = pfring_recv(pf_ring_handle, &buf, 0, &hdr, 1);

		if (rc > 0) {
			r->captured++;
			r->touched += buf[0] + hdr.len;
		} else if (rc < 0) {
			die("pfring_recv");
		}
	}
}

static void pfr_finish(struct result *r)
{
	pfring_stat st;

	if (pfring_stats(pf_ring_handle, &st) == 0)
		r->dropped = st.drop;
	pfring_close(pf_ring_handle);
}

/* ------------------------------------------------------------ AF_PACKET TPACKET_V3 */

struct tp3 {
	int fd;
	uint8_t *map;
	unsigned cur;
};

static void tp3_setup(struct tp3 *t, const struct opts *o)
{
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE, .tp_block_nr = BLOCK_NR,
		.tp_frame_size = TP_FRAME_SIZE,
		.tp_frame_nr = BLOCK_SIZE / TP_FRAME_SIZE * BLOCK_NR,
		.tp_retire_blk_tov = 60,	/* ms: a partly filled block goes to user space */
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	int v = TPACKET_V3;

	t->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (t->fd < 0)
		die("AF_PACKET socket");
	if (setsockopt(t->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(t->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		die("TPACKET_V3 ring");
	t->map = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_LOCKED, t->fd, 0);
	if (t->map == MAP_FAILED)
		die("mmap");
	sll.sll_ifindex = (int)if_nametoindex(o->rxif);
	mr.mr_ifindex = sll.sll_ifindex;
	if (!sll.sll_ifindex || bind(t->fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("AF_PACKET bind");
	if (setsockopt(t->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		die("PACKET_MR_PROMISC");
	t->cur = 0;
}

static void tp3_walk(struct tpacket_block_desc *bd, struct result *r)
{
	struct tpacket3_hdr *h = (void *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);

	for (unsigned i = 0; i < bd->hdr.bh1.num_pkts; i++) {
		r->captured++;
		r->touched += ((uint8_t *)h + h->tp_mac)[0] + h->tp_len;
		h = (void *)((uint8_t *)h + h->tp_next_offset);
	}
}

/* The standard loop: wait in poll() until the current block is the user's. */
static void tp3_loop(struct tp3 *t, struct result *r)
{
	struct pollfd p = { .fd = t->fd, .events = POLLIN | POLLERR };

	while (!stop) {
		struct tpacket_block_desc *bd = (void *)(t->map + (size_t)t->cur * BLOCK_SIZE);

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) {
			poll(&p, 1, 100);	/* bounded: the alarm may come just before */
			continue;
		}
		tp3_walk(bd, r);
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		t->cur = (t->cur + 1) % BLOCK_NR;
	}
}

static void tp3_finish(struct tp3 *t, struct result *r)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);

	if (getsockopt(t->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		r->dropped = st.tp_drops;
	munmap(t->map, (size_t)BLOCK_SIZE * BLOCK_NR);
	close(t->fd);
}

/* ------------------------------------------------------------ one run */

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
	if (pf_ring_handle)
		pfring_breakloop(pf_ring_handle);
}

/* The sender has sent everything: stop DRAIN_MS later (setitimer is a plain syscall). */
static void on_child(int sig)
{
	struct itimerval it = { .it_value = { 0, DRAIN_MS * 1000 } };

	(void)sig;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void set_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART: poll() ends */

	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

/* Child: wait for the go byte, send, report the count and the seconds it took on the pipe. */
static pid_t start_sender(const struct opts *o, int *go_fd, int *count_fd)
{
	int go[2], cnt[2];
	pid_t pid;

	if (pipe(go) || pipe(cnt))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct sent_report rep;
		double t0;
		char c;

		close(go[1]);
		close(cnt[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		t0 = now_s();
		if (o->ctlif) {
			remote_send(o, &rep);
		} else {
			rep.frames = local_send(o);
			rep.secs = now_s() - t0;
		}
		_exit(write(cnt[1], &rep, sizeof(rep)) == sizeof(rep) ? 0 : 1);
	}
	close(go[0]);
	close(cnt[1]);
	*go_fd = go[1];
	*count_fd = cnt[0];
	return pid;
}

static void print_result(const struct opts *o, double wall, const struct sent_report *sent,
			 unsigned long long rx, const struct result *r, const struct cpu_ticks *a,
			 const struct cpu_ticks *b, const struct rusage *ua, const struct rusage *ub)
{
	double hz = (double)sysconf(_SC_CLK_TCK);
	double us = (b->user + b->nice - a->user - a->nice) / hz, sy = (b->sys - a->sys) / hz;
	double irq = (b->irq - a->irq) / hz, si = (b->softirq - a->softirq) / hz;
	double busy = us + sy + irq + si + (b->steal - a->steal) / hz;
	double idle = (b->idle + b->iowait - a->idle - a->iowait) / hz;
	double ru = tv_s(ub->ru_utime) - tv_s(ua->ru_utime);
	double rs = tv_s(ub->ru_stime) - tv_s(ua->ru_stime);

	printf("CAPBENCH mode=%s rate=%u flows=%u wall_s=%.3f sent=%llu sent_pps=%.0f rx_if=%llu "
	       "captured=%llu dropped=%llu busy_s=%.2f idle_s=%.2f user_s=%.2f sys_s=%.2f "
	       "irq_s=%.2f softirq_s=%.2f reader_user_s=%.3f reader_sys_s=%.3f "
	       "pkts_per_busy_s=%.0f\n",
	       o->label ? o->label : o->mode, o->rate, o->flows, wall, sent->frames,
	       sent->secs > 0 ? sent->frames / sent->secs : 0.0, rx, r->captured, r->dropped, busy,
	       idle, us, sy, irq, si, ru, rs, busy > 0 ? r->captured / busy : 0.0);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: capbench -m pfring|dna|nic|tpacket3|none -i RXIF -o TXIF|-H CTLIF "
			"[-r PPS] [-d SECS] [-f FLOWS] [-w WATERMARK] [-L LABEL]\n");
	exit(2);
}

static void run(const struct opts *o)
{
	struct cpu_ticks a, b;
	struct rusage ua, ub;
	struct result r = { 0 };
	struct tp3 tp = { .fd = -1 };
	struct sent_report sent = { 0, 0 };
	unsigned long long rx0, rx1;
	int go_fd, count_fd, is_dna = !strcmp(o->mode, "dna");
	int is_pf = is_dna || !strcmp(o->mode, "pfring"), is_tp = !strcmp(o->mode, "tpacket3");
	int is_nic = !strcmp(o->mode, "nic");
	double t0;
	pid_t pid;

	if (is_pf)
		pfr_setup(o, is_dna);
	else if (is_tp)
		tp3_setup(&tp, o);
	else if (is_nic)
		nic_setup(o->rxif);
	else if (strcmp(o->mode, "none"))
		usage();
	set_handlers();
	pid = start_sender(o, &go_fd, &count_fd);
	/* Let the setup's own work settle (dna:'s open waited for the link). */
	usleep(200000);
	read_cpu(&a);
	getrusage(RUSAGE_SELF, &ua);
	rx0 = if_rx_packets(o->rxif);
	t0 = now_s();
	if (write(go_fd, "g", 1) != 1)
		die("go");
	if (is_pf)
		pfr_loop(&r);
	else if (is_tp)
		tp3_loop(&tp, &r);
	else if (is_nic)
		nic_loop(&r);
	else
		while (!stop)
			usleep(10000);
	read_cpu(&b);
	getrusage(RUSAGE_SELF, &ub);
	rx1 = if_rx_packets(o->rxif);
	if (read(count_fd, &sent, sizeof(sent)) != sizeof(sent))
		sent.frames = 0;
	waitpid(pid, NULL, 0);
	if (is_pf)
		pfr_finish(&r);
	else if (is_tp)
		tp3_finish(&tp, &r);
	else if (is_nic)
		nic_finish(&r);
	print_result(o, now_s() - t0, &sent, rx1 - rx0, &r, &a, &b, &ua, &ub);
}

int main(int argc, char **argv)
{
	struct opts o = { .rate = 50000, .secs = 5, .flows = 64 };
	int c;

	while ((c = getopt(argc, argv, "m:i:o:H:r:d:f:w:L:")) != -1) {
		switch (c) {
		case 'm': o.mode = optarg; break;
		case 'i': o.rxif = optarg; break;
		case 'o': o.txif = optarg; break;
		case 'H': o.ctlif = optarg; break;
		case 'r': o.rate = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'd': o.secs = strtod(optarg, NULL); break;
		case 'f': o.flows = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'w': o.watermark = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'L': o.label = optarg; break;
		default: usage();
		}
	}
	if (!o.mode || !o.rxif || !o.txif == !o.ctlif || !o.rate || o.secs <= 0 || !o.flows ||
	    o.flows > CB_MAX_FLOWS || o.watermark > 65535)
		usage();
	run(&o);
	return 0;
}
