/*
 * tests/unit/test_pci_open.c - pf_pci_open's refusals (drivers/pci.c) that
 * happen before any device is touched: not root, no such interface, no such
 * PCI address, a name that is neither. The opens that take a device happen
 * only in QEMU guests (tests/e2e/guest/t_dna-bus.sh): never name a real
 * interface of this machine here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/pci.h"

static void expect_refused(const char *name, int want_rc, const char *want_msg)
{
	struct pf_bus *bus = (struct pf_bus *)&bus;	/* must be set to NULL */
	char err[256] = "";

	assert_int_equal(pf_pci_open(name, &bus, err, sizeof(err)), want_rc);
	assert_null(bus);
	assert_string_equal(err, want_msg);
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

static void test_no_such_interface(void **state)
{
	(void)state;
	need_root();
	expect_refused("pfnosuch0", -ENODEV,
		       "pf_pci_open: pfnosuch0: no such device (no /sys/class/net/pfnosuch0/device)");
}

static void test_no_such_pci_address(void **state)
{
	(void)state;
	need_root();
	expect_refused("0000:7f:1f.7", -ENODEV,
		       "pf_pci_open: 0000:7f:1f.7: no such PCI device (no /sys/bus/pci/devices/0000:7f:1f.7)");
}

static void test_not_a_name(void **state)
{
	(void)state;
	need_root();
	expect_refused("../lo", -EINVAL, "pf_pci_open: ../lo: not an interface name or PCI address");
	expect_refused("0123456789abcdef0123456789abcdef", -EINVAL,
		       "pf_pci_open: 0123456789abcdef0123456789abcdef: not an interface name or PCI address");
	expect_refused(NULL, -EINVAL, "pf_pci_open: no device name");
}

/* As uid 65534 (a child, when run as root): refused before the name is looked at. */
static void test_not_root(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0) {
		expect_refused("eth0", -EPERM,
			       "pf_pci_open: eth0: must run as root (it rebinds the PCI device)");
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pf_bus *bus = NULL;
		char err[256] = "";
		int rc;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		rc = pf_pci_open("eth0", &bus, err, sizeof(err));
		_exit(rc == -EPERM && bus == NULL &&
		      !strcmp(err, "pf_pci_open: eth0: must run as root (it rebinds the PCI device)") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_root),
		cmocka_unit_test(test_no_such_interface),
		cmocka_unit_test(test_no_such_pci_address),
		cmocka_unit_test(test_not_a_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
