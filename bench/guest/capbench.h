/*
 * bench/guest/capbench.h - what the capture modes of capbench share
 * (bench/guest/capbench.c: the run, the sender, pf_ring.ko, dna: and
 * TPACKET_V3; bench/guest/capbench_nic.c: the DNA driver API directly).
 */
#ifndef CAPBENCH_H
#define CAPBENCH_H

#include <signal.h>

/* Exit status of a mode that cannot run in this guest (no driver for the NIC,
 * no dna: backend): /init prints "no row" for it instead of a failure. */
#define CAPBENCH_UNAVAILABLE 3

struct result {
	unsigned long long captured, dropped, touched;
};

/* Set by the alarm DRAIN_MS after the sender is done: the capture loop ends. */
extern volatile sig_atomic_t stop;

/* Prints "capbench: WHAT: strerror(errno)" and exits 1. */
void die(const char *what);

/* Mode nic: IFNAME's PCI function through drivers/pci.h and drivers/device.h
 * (pf_pci_open, pf_nic_open: whichever DNA driver knows the NIC), promiscuous,
 * one RX queue. Exits CAPBENCH_UNAVAILABLE, with the reason on stderr, when
 * the open fails. */
void nic_setup(const char *ifname);
/* Polls RX in batches until stop; counts and touches every frame in place. */
void nic_loop(struct result *r);
/* dropped = the NIC's missed packets (MPC); closes (the kernel driver gets the NIC back). */
void nic_finish(struct result *r);

#endif /* CAPBENCH_H */
