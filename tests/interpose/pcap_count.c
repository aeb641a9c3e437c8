/*
 * tests/interpose/pcap_count.c - the oracle of own_pcap: frames of a capture
 * (matching a BPF expression), counted by the system's libpcap itself.
 *
 *   pcap_count FILE [EXPR]
 */
#include <stdio.h>
#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *d;
	long n = 0;
	pcap_t *p = argc > 1 ? pcap_open_offline(argv[1], err) : NULL;

	if (p == NULL || (argc > 2 && pcap_compile(p, &prog, argv[2], 1, PCAP_NETMASK_UNKNOWN)))
		return 1;
	while (pcap_next_ex(p, &h, &d) == 1)
		n += argc < 3 || pcap_offline_filter(&prog, h, d);
	printf("%ld\n", n);
	return 0;
}
