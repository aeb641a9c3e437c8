/*
 * tests/unit/bpf_level0.h - BPF attached the way libpcap-ring and Snort's DAQ
 * attach it: compiled by libpcap, then setsockopt(fd, 0, SO_ATTACH_FILTER) on
 * the ring's selectable fd (lib/api_setsockopt.c on user-space backends).
 */
#ifndef PF_TEST_BPF_LEVEL0_H
#define PF_TEST_BPF_LEVEL0_H

#include <errno.h>
#include <string.h>
#include <linux/filter.h>
#include <sys/socket.h>
#include <pcap/pcap.h>

/* setsockopt's result and errno; -2 when libpcap cannot compile expr. */
static inline int attach_level0(int fd, const char *expr)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 1518);
	struct bpf_program bp;
	struct sock_fprog fp;
	int rc, err;

	if (p == NULL)
		return -2;
	if (pcap_compile(p, &bp, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		pcap_close(p);
		return -2;
	}
	memset(&fp, 0, sizeof(fp));
	fp.len = (unsigned short)bp.bf_len;
	fp.filter = (struct sock_filter *)bp.bf_insns;
	rc = setsockopt(fd, 0, SO_ATTACH_FILTER, &fp, sizeof(fp));
	err = errno;
	pcap_freecode(&bp);
	pcap_close(p);
	errno = err;
	return rc;
}

static inline int detach_level0(int fd)
{
	int dummy = 0;

	return setsockopt(fd, 0, SO_DETACH_FILTER, &dummy, sizeof(dummy));
}

#endif /* PF_TEST_BPF_LEVEL0_H */
