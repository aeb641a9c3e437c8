/*
 * tests/unit/pcap_ref.h - the oracle of the capture tests: a fixture read by
 * libpcap itself (and, optionally, filtered by libpcap's own compiled filter),
 * to compare what pfring delivers with. Include after <cmocka.h>.
 */
#ifndef PF_TEST_PCAP_REF_H
#define PF_TEST_PCAP_REF_H

#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#define MAX_FRAMES 4096

struct ref {
	u_int32_t n, matches;
	u_int32_t caplen[MAX_FRAMES], len[MAX_FRAMES];
	struct timeval ts[MAX_FRAMES];
	u_char *data[MAX_FRAMES];
	u_int8_t match[MAX_FRAMES];  /* matches the filter given to ref_load */
};

static inline struct ref *ref_load(const char *file, const char *filter)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *d;
	struct ref *r = calloc(1, sizeof(*r));
	pcap_t *p = pcap_open_offline(file, err);

	assert_non_null(r);
	assert_non_null(p);
	if (filter)
		assert_int_equal(pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN), 0);
	while (pcap_next_ex(p, &h, &d) == 1) {
		assert_true(r->n < MAX_FRAMES);
		r->caplen[r->n] = h->caplen;
		r->len[r->n] = h->len;
		r->ts[r->n] = h->ts;
		r->data[r->n] = malloc(h->caplen);
		memcpy(r->data[r->n], d, h->caplen);
		r->match[r->n] = filter ? pcap_offline_filter(&prog, h, d) != 0 : 1;
		r->matches += r->match[r->n];
		r->n++;
	}
	if (filter)
		pcap_freecode(&prog);
	pcap_close(p);
	return r;
}

static inline u_int32_t ref_matches(const struct ref *r)
{
	return r->matches;
}

static inline void ref_free(struct ref *r)
{
	u_int32_t i;

	for (i = 0; i < r->n; i++)
		free(r->data[i]);
	free(r);
}

#endif /* PF_TEST_PCAP_REF_H */
