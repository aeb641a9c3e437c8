/*
 * tools/alldevs.c - the devices pfring can open, written against the public API
 * (include/pfring.h) only.
 *
 * For every device-name prefix pfring knows it tries pfring_open() on a probe
 * name and reports what the library says: a backend that is not built yet
 * refuses with EOPNOTSUPP. It then lists the kernel interfaces of
 * /sys/class/net and explains how a simulated NIC (sim:) is created: sim NICs
 * live inside the process that opens them, so this process has none.
 * Options and output: docs/tools.md.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfring.h>

#define SYS_NET "/sys/class/net"

struct backend_probe {
	const char *prefix;     /* as typed in a device name */
	const char *forms;      /* the names it serves */
	const char *what;
	const char *probe;      /* a name to open; NULL: the first kernel interface */
};

static const struct backend_probe backends[] = {
	{ "",            "ethX, ethX@Q",          "kernel module (PF_RING)", NULL },
	{ "sim:",        "sim:NAME[@Q]?k=v&...",  "simulated NIC",           "sim:alldevs-probe" },
	{ "multi:",      "multi:ethX;ethY",       "link aggregation",        "multi:sim:alldevs-probe" },
	{ "userspace:",  "userspace:NAME",        "user-space ring",         "userspace:alldevs-probe" },
	{ "dna:",        "dna:ethX[@Q]",          "DNA (ethX or PCI addr)",  "dna:alldevs-probe" },
	{ "dnacluster:", "dnacluster:ID[@Q]",     "DNA Cluster slave",       "dnacluster:1" },
};

static void usage(FILE *out)
{
	fprintf(out,
"alldevs - list the devices pfring can open (pfring %s)\n"
"\n"
"Usage: alldevs [-h]\n"
"-h              Print this help\n"
"\n"
"For every device-name prefix: whether its backend is built (a pfring_open()\n"
"probe), then the kernel interfaces (%s) and how to create a sim: NIC.\n",
		"5.4.6", SYS_NET);
}

/* Opens name with the library's messages (stderr) silenced: the errno of the
 * failure, or 0 when it opened. */
static int probe(const char *name)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY), err = 0;
	pfring *ring;

	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	ring = pfring_open(name, 0, 0);
	if (ring == NULL)
		err = errno ? errno : EIO;
	else
		pfring_close(ring);
	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(saved, STDERR_FILENO);
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
	return err;
}

static const char *status(int err)
{
	if (err == EOPNOTSUPP)
		return "not built yet";
	return "built";
}

/* The first interface name of /sys/class/net into buf ("lo" if none). */
static void first_interface(char *buf, size_t len)
{
	DIR *d = opendir(SYS_NET);
	struct dirent *e;

	snprintf(buf, len, "lo");
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.') {
			snprintf(buf, len, "%s", e->d_name);
			break;
		}
	}
	closedir(d);
}

static void list_backends(int *kernel_err)
{
	char first[256];
	size_t i;
	int err;

	first_interface(first, sizeof(first));
	printf("Backends (device-name prefixes):\n");
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		err = probe(backends[i].probe ? backends[i].probe : first);
		if (backends[i].probe == NULL)
			*kernel_err = err;
		printf("  %-12s %-22s %-24s %s\n", backends[i].prefix[0] ? backends[i].prefix : "(none)",
		       backends[i].forms, backends[i].what, status(err));
	}
}

static int list_kernel_interfaces(int kernel_err)
{
	struct dirent **names;
	int i, n;

	n = scandir(SYS_NET, &names, NULL, alphasort);
	if (n < 0) {
		printf("\nKernel interfaces: cannot read %s: %s\n", SYS_NET, strerror(errno));
		return 0;
	}
	printf("\nKernel interfaces (%s)%s:\n", SYS_NET, kernel_err == EOPNOTSUPP ?
	       ", not openable until the kernel-module backend is built" : "");
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			printf("  %s\n", names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return 0;
}

static void explain_sim(void)
{
	printf("\nSimulated NICs (sim:): none in this process. A sim NIC exists inside the\n"
	       "process that opens it; the first open creates it from its source, e.g.\n"
	       "  pfcount -i 'sim:eth0?pcap=tests/fixtures/many_flows.pcap' -q 1\n"
	       "  pfcount -i 'sim:eth0?gen=flows:1000,size:64-1518&count=100000&queues=4' -n 4 -q 1\n"
	       "Options: docs/sim.md.\n");
}

int main(int argc, char *argv[])
{
	int kernel_err = 0, c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":h")) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "alldevs: unknown option -%c\nTry 'alldevs -h' for help.\n", optopt);
		return 1;
	}
	if (optind < argc) {
		fprintf(stderr, "alldevs: unexpected argument '%s'\nTry 'alldevs -h' for help.\n",
			argv[optind]);
		return 1;
	}
	list_backends(&kernel_err);
	list_kernel_interfaces(kernel_err);
	explain_sim();
	return 0;
}
