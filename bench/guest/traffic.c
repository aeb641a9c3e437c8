/*
 * bench/guest/traffic.c - the benchmark's frames and paced sender (traffic.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "traffic.h"

#define BATCH 32

static uint16_t ip_csum(const uint8_t *p, int len)
{
	uint32_t s = 0;

	for (int i = 0; i < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

void cb_build_frame(uint8_t f[CB_FRAME_LEN], unsigned i)
{
	static const uint8_t hdr[14] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
					 0x08, 0x00 };
	uint8_t *ip = f + 14, *udp = ip + 20;
	uint16_t c;

	memset(f, 0, CB_FRAME_LEN);
	memcpy(f, hdr, sizeof(hdr));
	ip[0] = 0x45;
	ip[3] = CB_FRAME_LEN - 14;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 10; ip[14] = (uint8_t)i; ip[15] = 1;
	ip[16] = 10; ip[17] = 1; ip[19] = 1;
	c = ip_csum(ip, 20);
	ip[10] = c >> 8; ip[11] = c & 0xff;
	udp[0] = (1024 + i) >> 8; udp[1] = (1024 + i) & 0xff;
	udp[2] = 5001 >> 8; udp[3] = 5001 & 0xff;
	udp[5] = CB_FRAME_LEN - 34;
}

/* The frames as QEMU's stream netdev reads them: each after its length, 4
 * bytes big-endian; written whole (the write blocks while QEMU reads nothing:
 * the guest's NIC has no free descriptor). */
static int stream_batch(int fd, uint8_t frames[][CB_FRAME_LEN], unsigned flows,
			unsigned long long seq, unsigned n)
{
	uint8_t buf[BATCH * (4 + CB_FRAME_LEN)], *p = buf;
	size_t done = 0, len = n * (4 + CB_FRAME_LEN);

	for (unsigned k = 0; k < n; k++, p += 4 + CB_FRAME_LEN) {
		p[0] = p[1] = p[2] = 0;
		p[3] = CB_FRAME_LEN;
		memcpy(p + 4, frames[(seq + k) % flows], CB_FRAME_LEN);
	}
	while (done < len) {
		ssize_t r = write(fd, buf + done, len - done);

		if (r > 0)
			done += (size_t)r;
		else if (r < 0 && errno != EINTR)
			return -1;
	}
	return 0;
}

static int packet_batch(int fd, uint8_t frames[][CB_FRAME_LEN], unsigned flows,
			unsigned long long seq, unsigned n)
{
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	unsigned done = 0;

	memset(m, 0, sizeof(m));
	for (unsigned k = 0; k < n; k++) {
		iov[k].iov_base = frames[(seq + k) % flows];
		iov[k].iov_len = CB_FRAME_LEN;
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
	}
	while (done < n) {
		int r = sendmmsg(fd, m + done, n - done, 0);

		if (r > 0)
			done += (unsigned)r;
		else if (r < 0 && errno != EINTR && errno != ENOBUFS && errno != EAGAIN)
			return -1;
	}
	return 0;
}

long long cb_send_paced(int fd, int stream, unsigned rate, double secs, unsigned flows)
{
	static uint8_t frames[CB_MAX_FLOWS][CB_FRAME_LEN];
	unsigned long long total = (unsigned long long)(rate * secs), seq = 0;
	long long period_ns = (long long)BATCH * 1000000000ll / rate;
	struct timespec t, start, now;

	for (unsigned i = 0; i < flows; i++)
		cb_build_frame(frames[i], i);
	clock_gettime(CLOCK_MONOTONIC, &t);
	start = t;
	while (seq < total) {
		unsigned n = total - seq < BATCH ? (unsigned)(total - seq) : BATCH;

		if ((stream ? stream_batch : packet_batch)(fd, frames, flows, seq, n))
			return -1;
		seq += n;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 2 * secs + 1)
			break;	/* far behind: the receiver takes less than half the rate */
		t.tv_nsec += period_ns;
		while (t.tv_nsec >= 1000000000l) {
			t.tv_nsec -= 1000000000l;
			t.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
	}
	return (long long)seq;
}

void cb_ctl_frame(uint8_t f[CB_CTL_LEN], const char *text)
{
	memset(f, 0, CB_CTL_LEN);
	memset(f, 0xff, 6);
	f[6] = 0x02;
	f[11] = 0x03;
	f[12] = CB_CTL_ETHERTYPE >> 8;
	f[13] = CB_CTL_ETHERTYPE & 0xff;
	strncpy((char *)f + 14, text, CB_CTL_LEN - 15);
}

const char *cb_ctl_text(uint8_t *f, unsigned len)
{
	if (len < 15 || f[12] != CB_CTL_ETHERTYPE >> 8 || f[13] != (CB_CTL_ETHERTYPE & 0xff))
		return NULL;
	f[len - 1] = 0;
	return (const char *)f + 14;
}
