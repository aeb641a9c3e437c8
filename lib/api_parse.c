/*
 * lib/api_parse.c - pfring_parse_pkt(): core's parser and flow hash behind
 * the 5.4.6 signature. No ring, no backend.
 */
#include <string.h>
#include <sys/time.h>

#include "lib/api_internal.h"
#include "core/parse.h"
#include "core/hash.h"

/*
 * Parses pkt[0 .. hdr->caplen) into hdr->extended_hdr.parsed_pkt (always
 * re-parsed, whatever hdr held). add_timestamp: hdr->ts (and timestamp_ns,
 * when 0) from the system clock if hdr->ts is zero. add_hash: pkt_hash = the
 * symmetric 5-tuple flow hash (cluster_per_flow_5_tuple of core/hash.h; MAC
 * addresses for non-IP frames), so both directions of a flow get one value.
 * parsed_header_len is left alone (it belongs to whoever put data before the
 * packet). Returns the topmost level reached (0, 2..5) or
 * PF_RING_ERROR_INVALID_ARGUMENT (NULL, level < 2).
 */
int pfring_parse_pkt(u_char *pkt, struct pfring_pkthdr *hdr, u_int8_t level,
		     u_int8_t add_timestamp, u_int8_t add_hash)
{
	struct pfring_extended_pkthdr *ext;
	int rc;

	PF_REQUIRE(pkt && hdr && level >= PF_RING_PARSE_L2);
	ext = &hdr->extended_hdr;
	rc = pf_parse(pkt, hdr->caplen, level, &ext->parsed_pkt);
	if (rc < 0)
		return pf_api_invalid();
	if (add_timestamp && hdr->ts.tv_sec == 0 && hdr->ts.tv_usec == 0) {
		gettimeofday(&hdr->ts, NULL);
		if (ext->timestamp_ns == 0)
			ext->timestamp_ns = (u_int64_t)hdr->ts.tv_sec * 1000000000ull +
					    (u_int64_t)hdr->ts.tv_usec * 1000ull;
	}
	if (add_hash)
		ext->pkt_hash = pf_flow_hash(&ext->parsed_pkt, cluster_per_flow_5_tuple, 0);
	return rc;
}
