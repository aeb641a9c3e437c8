// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_ctl - the guest side of the e2e control protocol (docs/e2e.md).
 *
 * Talks to tests/e2e/host_peer.py through a raw AF_PACKET socket, so it
 * works without pf_ring.ko and without libpfring. Modes:
 *
 *   e2e_ctl -i IF [-t SECS] [-c COUNT_IF] [-g GRACE_MS] CMD ARGS...
 *	sends "PFE2E <tag> CMD ARGS..." (EtherType 0x88B5) out of IF and waits
 *	for the peer's "ack", then "done N BYTES BYTES60", "result ..." or
 *	"error ...". Every reply line is printed on stdout. With -c, the
 *	non-control frames received on COUNT_IF from before the request until
 *	GRACE_MS of silence after "done" are counted ("counted N BYTES") and
 *	must equal N of "done".
 *   e2e_ctl -i IF -S FILE.pcap	sends the frames of a pcap out of IF.
 *   e2e_ctl -n FILE.pcap	prints "N BYTES" of a pcap (frames, bytes).
 *
 * Exit status: 0 done (and the count matched) or "result ok"; 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CTL_ETHERTYPE	0x88B5
#define MAX_FRAME	65536
#define MIN_FRAME	60	/* what the NIC pads a short frame to */

struct counter {
	int fd;
	unsigned long frames, bytes;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void die(const char *what)
{
	fprintf(stderr, "e2e_ctl: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A raw socket bound to IF for one EtherType (ETH_P_ALL for every frame). */
static int open_raw(const char *ifname, int proto, int promisc, int *ifindex)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int fd, idx, size = 8 << 20;

	idx = (int)if_nametoindex(ifname);
	if (idx == 0)
		die(ifname);
	fd = socket(AF_PACKET, SOCK_RAW, htons(proto));
	if (fd < 0)
		die("socket(AF_PACKET)");
	/* A burst must not overflow the socket while we are elsewhere. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind");
	if (promisc) {
		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = idx;
		mr.mr_type = PACKET_MR_PROMISC;
		if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			die("PACKET_MR_PROMISC");
	}
	if (ifindex)
		*ifindex = idx;
	return fd;
}

static void if_mac(int fd, const char *ifname, unsigned char mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
}

static void send_frame(int fd, int ifindex, const void *buf, size_t len)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, buf, 6);
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll)) != (ssize_t)len)
		die("sendto");
}

/* Drains the counter socket: every received (not sent) non-control frame. */
static int drain_counter(struct counter *c)
{
	static unsigned char buf[MAX_FRAME];
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t n;
	int got = 0;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(c->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return got;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (n >= 14 && buf[12] == (CTL_ETHERTYPE >> 8) && buf[13] == (CTL_ETHERTYPE & 0xff))
			continue;
		c->frames++;
		c->bytes += (unsigned long)n;
		got = 1;
	}
}

/* Reads one control reply for our tag into line; 0 on success, -1 on timeout. */
static int read_reply(int fd, const char *tag, char *line, size_t size,
		      uint64_t deadline, struct counter *c)
{
	unsigned char buf[2048];
	struct pollfd pfd[2];
	size_t taglen = strlen(tag);
	ssize_t n;
	uint64_t t;

	for (;;) {
		t = now_ms();
		if (t >= deadline)
			return -1;
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = c ? c->fd : -1;
		pfd[1].events = POLLIN;
		poll(pfd, 2, (int)(deadline - t));
		if (c)
			drain_counter(c);
		n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		if (n < 14 + 6 + (ssize_t)taglen)
			continue;
		buf[n] = 0;
		/* "PFE2E <tag> <reply...>", NUL padded to the minimum frame. */
		if (memcmp(buf + 14, "PFE2E ", 6) != 0 ||
		    memcmp(buf + 20, tag, taglen) != 0 || buf[20 + taglen] != ' ')
			continue;
		snprintf(line, size, "%s", (char *)buf + 21 + taglen);
		line[strcspn(line, "\r\n")] = 0;
		return 0;
	}
}

/* Counts on until grace_ms pass without a new frame. */
static void count_until_quiet(struct counter *c, int grace_ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };

	while (poll(&pfd, 1, grace_ms) > 0)
		drain_counter(c);
}

static int run_command(const char *ifname, const char *count_if, int timeout_s,
		       int grace_ms, int argc, char **argv)
{
	unsigned char frame[1514], mac[6];
	char tag[16], line[512];
	struct counter cnt = { .fd = -1 }, *c = NULL;
	unsigned long want = 0;
	size_t len;
	uint64_t deadline;
	int fd, ifindex, i, rc = 1;

	fd = open_raw(ifname, CTL_ETHERTYPE, 0, &ifindex);
	if (count_if) {
		cnt.fd = open_raw(count_if, ETH_P_ALL, 1, NULL);
		c = &cnt;
	}
	if_mac(fd, ifname, mac);
	snprintf(tag, sizeof(tag), "%x", (unsigned)(getpid() ^ (now_ms() << 8)));

	memset(frame, 0, sizeof(frame));
	memset(frame, 0xff, 6);
	memcpy(frame + 6, mac, 6);
	frame[12] = CTL_ETHERTYPE >> 8;
	frame[13] = CTL_ETHERTYPE & 0xff;
	len = 14 + (size_t)snprintf((char *)frame + 14, sizeof(frame) - 14, "PFE2E %s", tag);
	for (i = 0; i < argc && len < sizeof(frame) - 2; i++)
		len += (size_t)snprintf((char *)frame + len, sizeof(frame) - len, " %s", argv[i]);
	if (len < MIN_FRAME)
		len = MIN_FRAME;
	if (c)
		drain_counter(c);	/* nothing before the request counts */
	cnt.frames = cnt.bytes = 0;
	send_frame(fd, ifindex, frame, len);

	deadline = now_ms() + (uint64_t)timeout_s * 1000;
	for (;;) {
		if (read_reply(fd, tag, line, sizeof(line), deadline, c) < 0) {
			printf("timeout after %d s waiting for the peer\n", timeout_s);
			break;
		}
		printf("%s\n", line);
		fflush(stdout);
		if (strncmp(line, "ack", 3) == 0)
			continue;
		if (strncmp(line, "done", 4) == 0) {
			want = strtoul(line + 4, NULL, 10);
			rc = 0;
		} else if (strncmp(line, "result ok", 9) == 0) {
			rc = 0;
		}
		break;
	}
	if (c) {
		count_until_quiet(c, grace_ms);
		printf("counted %lu %lu\n", cnt.frames, cnt.bytes);
		if (rc == 0 && cnt.frames != want) {
			printf("count mismatch: counted %lu, peer sent %lu\n", cnt.frames, want);
			rc = 1;
		}
	}
	return rc;
}

/* Calls fn for every frame of a pcap (microsecond or nanosecond, either byte order). */
static int pcap_walk(const char *path, void (*fn)(const unsigned char *, uint32_t, void *),
		     void *arg)
{
	static unsigned char buf[MAX_FRAME];
	uint32_t hdr[6], rec[4], caplen;
	int swap;
	FILE *f = fopen(path, "rb");

	if (!f)
		die(path);
	if (fread(hdr, 4, 6, f) != 6)
		goto bad;
	if (hdr[0] == 0xa1b2c3d4 || hdr[0] == 0xa1b23c4d)
		swap = 0;
	else if (hdr[0] == 0xd4c3b2a1 || hdr[0] == 0x4d3cb2a1)
		swap = 1;
	else
		goto bad;
	while (fread(rec, 4, 4, f) == 4) {
		caplen = swap ? __builtin_bswap32(rec[2]) : rec[2];
		if (caplen > sizeof(buf) || fread(buf, 1, caplen, f) != caplen)
			goto bad;
		fn(buf, caplen, arg);
	}
	fclose(f);
	return 0;
bad:
	fprintf(stderr, "e2e_ctl: %s: not a readable pcap\n", path);
	fclose(f);
	return 1;
}

struct sender {
	int fd, ifindex;
	unsigned long frames;
};

static void send_one(const unsigned char *buf, uint32_t len, void *arg)
{
	struct sender *s = arg;

	send_frame(s->fd, s->ifindex, buf, len);
	s->frames++;
	usleep(200);	/* do not overrun the emulated NIC's TX ring */
}

static void count_one(const unsigned char *buf, uint32_t len, void *arg)
{
	unsigned long *nb = arg;

	(void)buf;
	nb[0]++;
	nb[1] += len;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: e2e_ctl -i IF [-t SECS] [-c COUNT_IF] [-g GRACE_MS] CMD ARGS...\n"
		"       e2e_ctl -i IF -S FILE.pcap\n"
		"       e2e_ctl -n FILE.pcap\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *count_if = NULL, *send_pcap = NULL, *count_pcap = NULL;
	int opt, timeout_s = 30, grace_ms = 1000;

	while ((opt = getopt(argc, argv, "+i:t:c:g:S:n:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 't': timeout_s = atoi(optarg); break;
		case 'c': count_if = optarg; break;
		case 'g': grace_ms = atoi(optarg); break;
		case 'S': send_pcap = optarg; break;
		case 'n': count_pcap = optarg; break;
		default: usage();
		}
	}
	if (count_pcap) {
		unsigned long nb[2] = { 0, 0 };

		if (pcap_walk(count_pcap, count_one, nb))
			return 1;
		printf("%lu %lu\n", nb[0], nb[1]);
		return 0;
	}
	if (!ifname || timeout_s <= 0 || grace_ms < 0)
		usage();
	if (send_pcap) {
		struct sender s = { .frames = 0 };

		s.fd = open_raw(ifname, 0, 0, &s.ifindex);	/* send only */
		if (pcap_walk(send_pcap, send_one, &s))
			return 1;
		printf("sent %lu\n", s.frames);
		return 0;
	}
	if (optind >= argc)
		usage();
	return run_command(ifname, count_if, timeout_s, grace_ms, argc - optind, argv + optind);
}
