/*
 * tests/e2e/progs/pfbus.c - the real bus of the DNA drivers (drivers/pci.h)
 * on the guests' NICs (t_dna-bus.sh).
 *
 *   pfbus check IF vfio|uio MAC   open IF on that path; STATUS readable, RAL0/RAH0 =
 *                                 MAC with RAH.AV, DMA memory zeroed, its iova
 *                                 non-zero and 4096-aligned (UIO: over 2 MiB refused
 *                                 with EINVAL); close
 *   pfbus hold IF vfio|uio        open IF, print "held", wait to be killed
 *   pfbus unpriv IF               as uid 65534: the open must fail EPERM naming root
 *
 * Each step prints one line; exit 0 when every check held, 1 otherwise.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/pci.h"

#define REG_STATUS 0x0008
#define REG_RAL0 0x5400
#define REG_RAH0 0x5404
#define RAH_AV 0x80000000u

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static enum pf_pci_path path_of(const char *s)
{
	if (!strcmp(s, "vfio"))
		return PF_PCI_VFIO;
	if (!strcmp(s, "uio"))
		return PF_PCI_UIO;
	fprintf(stderr, "pfbus: path %s: want vfio or uio\n", s);
	exit(2);
}

static struct pf_bus *open_or_die(const char *ifname, const char *path)
{
	struct pf_bus *bus;
	char err[256];
	int rc = pf_pci_open_as(ifname, path_of(path), &bus, err, sizeof(err));

	if (rc) {
		printf("open failed: rc %d: %s\n", rc, err);
		exit(1);
	}
	printf("opened %s %04x:%04x at %s via %s, bar0 %zu bytes\n", bus->ifname, bus->vendor,
	       bus->device, bus->addr, pf_pci_path_name(bus), bus->bar0_len);
	return bus;
}

static void check_mac(struct pf_bus *bus, const char *want)
{
	uint32_t ral = pf_reg_read(bus, REG_RAL0), rah = pf_reg_read(bus, REG_RAH0);
	char got[32];

	snprintf(got, sizeof(got), "%02x:%02x:%02x:%02x:%02x:%02x", ral & 0xff, (ral >> 8) & 0xff,
		 (ral >> 16) & 0xff, ral >> 24, rah & 0xff, (rah >> 8) & 0xff);
	printf("RAL0 0x%08x RAH0 0x%08x: %s\n", ral, rah, got);
	check(!strcmp(got, want), "RAL0/RAH0 hold the MAC QEMU was given");
	check((rah & RAH_AV) != 0, "RAH0.AV set");
}

static void check_dma(struct pf_bus *bus, int uio)
{
	struct pf_dma dma, big;
	char err[256];
	size_t i, nonzero = 0;
	int rc = pf_dma_alloc(bus, 65536, &dma, err, sizeof(err));

	if (rc) {
		printf("dma_alloc 65536: rc %d: %s\n", rc, err);
		check(0, "dma_alloc of 64 KiB");
		return;
	}
	printf("dma: virt %p iova 0x%llx size %zu\n", dma.virt, (unsigned long long)dma.iova, dma.size);
	check(dma.iova != 0 && dma.iova % 4096 == 0, "iova non-zero and 4096-aligned");
	check(dma.size >= 65536, "size at least what was asked");
	for (i = 0; i < 65536; i++)
		nonzero += ((volatile uint8_t *)dma.virt)[i] != 0;
	check(nonzero == 0, "DMA memory zeroed");
	memset(dma.virt, 0xa5, 65536);
	if (uio) {
		rc = pf_dma_alloc(bus, 4u << 20, &big, err, sizeof(err));
		printf("dma_alloc 4 MiB: rc %d: %s\n", rc, rc ? err : "");
		check(rc == -EINVAL, "UIO refuses 4 MiB with -EINVAL");
	}
	pf_dma_free(bus, &dma);
	check(dma.virt == NULL, "dma_free clears the region");
}

int main(int argc, char **argv)
{
	struct pf_bus *bus;
	char err[256];
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "check")) {
		uint32_t status;

		bus = open_or_die(argv[2], argv[3]);
		check(!strcmp(pf_pci_path_name(bus), argv[3]), "the path asked for");
		status = pf_reg_read(bus, REG_STATUS);
		printf("STATUS 0x%08x\n", status);
		check(status != 0xffffffffu, "STATUS readable (not all ones)");
		check_mac(bus, argv[4]);
		check_dma(bus, !strcmp(argv[3], "uio"));
		pf_bus_close(bus);	/* with a region left, to be freed by close */
		printf("closed\n");
		return failures != 0;
	}
	if (argc == 4 && !strcmp(argv[1], "hold")) {
		struct pf_dma dma;

		bus = open_or_die(argv[2], argv[3]);
		rc = pf_dma_alloc(bus, 4096, &dma, err, sizeof(err));
		printf("held (dma rc %d)\n", rc);
		for (;;)
			pause();
	}
	if (argc == 3 && !strcmp(argv[1], "busy")) {
		rc = pf_pci_open(argv[2], &bus, err, sizeof(err));
		printf("busy: rc %d: %s\n", rc, err);
		check(rc == -EBUSY, "rc -EBUSY");
		check(strstr(err, "in use") != NULL, "the message says in use");
		return failures != 0;
	}
	if (argc == 3 && !strcmp(argv[1], "unpriv")) {
		if (setgid(65534) || setuid(65534)) {
			perror("setuid");
			return 1;
		}
		rc = pf_pci_open(argv[2], &bus, err, sizeof(err));
		printf("unpriv: rc %d: %s\n", rc, err);
		check(rc == -EPERM, "rc -EPERM");
		check(strstr(err, "root") != NULL, "the message names root");
		return failures != 0;
	}
	fprintf(stderr, "usage: pfbus check IF vfio|uio MAC | hold IF vfio|uio | busy IF | unpriv IF\n");
	return 2;
}
