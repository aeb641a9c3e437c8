/*
 * tools/pfsim.c - serve simulated NICs to other processes (shared mode of
 * sim:, backends/sim/shared_proto.h): pfsim -n NAME -o 'pcap=FILE&queues=2' [-d DIR] [-w N]
 */
#include "tools/pfsim/daemon.h"

int main(int argc, char **argv)
{
	return pfsim_main(argc, argv);
}
