/*
 * core/engine.c - the packet view shared by every stage of the pipeline.
 */
#include "engine.h"
#include "parse.h"

void pf_pkt_parse(struct pf_pkt *p)
{
	int level;

	if (p->parsed_level)
		return;
	level = pf_parse(p->data, p->caplen, PF_RING_PARSE_L5, &p->info);
	/* 0 (not even Ethernet) is remembered as 1 so the frame is parsed once. */
	p->parsed_level = level > 0 ? (u8)level : 1;
}
