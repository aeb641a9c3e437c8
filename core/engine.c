/*
 * core/engine.c - the packet view shared by every stage of the pipeline.
 */
#include "engine.h"
#include "parse.h"
#include "ring.h"

void pf_pkt_parse(struct pf_pkt *p)
{
	int level;

	if (p->parsed_level)
		return;
	level = pf_parse(p->data, p->caplen, PF_RING_PARSE_L5, &p->info);
	/* 0 (not even Ethernet) is remembered as 1 so the frame is parsed once. */
	p->parsed_level = level > 0 ? (u8)level : 1;
}

int pf_pkt_to_ring(struct pf_ring_prod *r, struct pf_pkt *p, u32 caplen, u64 ts_ns,
		   u32 pkt_hash)
{
	struct pfring_extended_pkthdr ext;
	int long_header = r->hdr_size > sizeof(struct pf_ring_slot_hdr);
	u8 *dst;
	int rc;

	if (caplen > p->caplen)
		caplen = p->caplen;
	rc = pf_ring_reserve(r, caplen, &dst);
	if (rc == -PF_E2BIG)
		pf_ring_refuse(r, 1);   /* final: a retry would be refused again */
	if (rc < 0)
		return rc;
	pf_memcpy(dst, p->data, caplen);
	if (long_header) {
		pf_memset(&ext, 0, sizeof(ext));
		pf_pkt_parse(p);
		ext.timestamp_ns = ts_ns;
		ext.rx_direction = p->rx;
		ext.if_index = p->if_index;
		ext.pkt_hash = pkt_hash;
		ext.tx.bounce_interface = -1;
		ext.parsed_pkt = p->info;
	}
	return pf_ring_commit(r, caplen, p->len, ts_ns, long_header ? &ext : (void *)0);
}
