/*
 * bench/guest/inject.c - the host side of the capture benchmark's NIC rows
 * (ci/bench-guest.sh): sends the benchmark's frames (traffic.h) into a guest
 * NIC when capbench asks for them.
 *
 *   inject PORT0 PORT1
 *
 * Listens on 127.0.0.1:PORT0 and :PORT1; QEMU connects one NIC to each
 * (-netdev stream: every frame after its length, 4 bytes big-endian). TCP, not
 * datagrams: QEMU stops reading while the guest's NIC has no free descriptor,
 * so an injected frame is never lost on the host (a UDP socket's buffer
 * overflows whenever QEMU's I/O thread is late on a shared host), and a
 * capture too slow for the rate shows as a lower rate achieved, or as drops
 * of its own. A control frame "CBGO id rate secs flows" from one NIC makes
 * inject send rate * secs frames, paced, into the other NIC, then answer
 * "CBDONE id frames secs" to the NIC that asked. Every other frame from the
 * guest is ignored. Prints "inject: ready" once listening, then one line per
 * run, on stderr; runs until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "traffic.h"

/* What one NIC's connection has read and not yet parsed. */
struct conn {
	int fd;
	uint8_t buf[65536];
	size_t len;
};

static int listen_on(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
		return -1;
	return fd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int send_frame(int fd, const uint8_t *f, uint32_t len)
{
	uint8_t hdr[4] = { len >> 24, len >> 16, len >> 8, len };

	return write(fd, hdr, 4) == 4 && write(fd, f, len) == (ssize_t)len ? 0 : -1;
}

/* One request from NIC `from`: the frames into the other NIC, then the answer. */
static void serve(struct conn c[2], int from, const char *req)
{
	unsigned id, rate, flows;
	double secs, t0;
	long long n;
	uint8_t f[CB_CTL_LEN];
	char text[96];

	if (sscanf(req, "CBGO %u %u %lf %u", &id, &rate, &secs, &flows) != 4 || !rate ||
	    secs <= 0 || !flows || flows > CB_MAX_FLOWS) {
		fprintf(stderr, "inject: bad request \"%.60s\"\n", req);
		return;
	}
	t0 = now_s();
	n = cb_send_paced(c[!from].fd, 1, rate, secs, flows);
	secs = now_s() - t0;
	if (n < 0) {
		perror("inject: write");
		n = 0;
	}
	snprintf(text, sizeof(text), "CBDONE %u %lld %.6f", id, n, secs);
	cb_ctl_frame(f, text);
	if (send_frame(c[from].fd, f, sizeof(f)))
		perror("inject: answer");
	fprintf(stderr, "inject: %lld frames asked at %u/s into NIC %d in %.3f s (%.0f/s)\n", n,
		rate, !from, secs, n / secs);
}

/* Parses the whole frames read on c[i]; serves the control frames among them. */
static void parse(struct conn c[2], int i)
{
	size_t off = 0;

	while (c[i].len - off >= 4) {
		const uint8_t *p = c[i].buf + off;
		uint32_t len = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
		const char *t;

		if (len > sizeof(c[i].buf) - 4) {
			fprintf(stderr, "inject: NIC %d: frame of %u bytes, dropping the stream\n", i, len);
			off = c[i].len;
			break;
		}
		if (c[i].len - off - 4 < len)
			break;
		t = cb_ctl_text(c[i].buf + off + 4, len);
		off += 4 + len;
		if (t)
			serve(c, i, t);
	}
	memmove(c[i].buf, c[i].buf + off, c[i].len - off);
	c[i].len -= off;
}

int main(int argc, char **argv)
{
	static struct conn c[2];
	int lfd[2];

	if (argc != 3) {
		fprintf(stderr, "usage: inject PORT0 PORT1\n");
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		lfd[i] = listen_on((unsigned)strtoul(argv[1 + i], NULL, 10));
		if (lfd[i] < 0) {
			perror("inject: listen");
			return 1;
		}
	}
	fprintf(stderr, "inject: ready\n");
	for (int i = 0; i < 2; i++) {
		int one = 1;

		c[i].fd = accept(lfd[i], NULL, NULL);
		if (c[i].fd < 0) {
			perror("inject: accept");
			return 1;
		}
		setsockopt(c[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		close(lfd[i]);
	}
	for (;;) {
		struct pollfd p[2] = { { .fd = c[0].fd, .events = POLLIN },
				       { .fd = c[1].fd, .events = POLLIN } };

		if (poll(p, 2, -1) < 0)
			continue;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			n = read(c[i].fd, c[i].buf + c[i].len, sizeof(c[i].buf) - c[i].len);
			if (n <= 0)
				return 0;	/* QEMU has gone */
			c[i].len += (size_t)n;
			parse(c, i);
		}
	}
}
