/*
 * drivers/pci.c - opening a PCI NIC for the DNA drivers: which device a name
 * means, taking it from its kernel driver and giving it back (sysfs
 * driver_override + drivers_probe), choosing VFIO or UIO (drivers/vfio.c,
 * drivers/uio.c).
 */
#include "drivers/pci.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/pci_dev.h"

static const char *const user_space_drivers[] = { "vfio-pci", "uio_pci_generic" };

int pf_copy_name(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len) {
		dst[0] = '\0';
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int pf_sysfs_write(const char *addr, const char *file, const char *val)
{
	char path[PATH_MAX];
	int fd, rc = 0;
	size_t len = strlen(val);

	if (addr)
		snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/%s", addr, file);
	else
		snprintf(path, sizeof(path), "%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		rc = -errno;
	close(fd);
	return rc;
}

int pf_sysfs_link_name(const char *addr, const char *link, char *out, size_t outlen)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	const char *base;

	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/%s", addr, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	return pf_copy_name(out, outlen, base ? base + 1 : target);
}

static unsigned long read_sysfs_hex(const char *addr, const char *file)
{
	char path[PATH_MAX], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/%s", addr, file);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoul(buf, NULL, 16);
}

/* The device's current driver into drv ("" when none). */
static void current_driver(const char *addr, char *drv, size_t len)
{
	if (pf_sysfs_link_name(addr, "driver", drv, len))
		drv[0] = '\0';
}

static int unbind(const char *addr)
{
	char drv[64];

	current_driver(addr, drv, sizeof(drv));
	if (!drv[0])
		return 0;
	return pf_sysfs_write(addr, "driver/unbind", addr);
}

int pf_pci_bind(const char *addr, const char *drv)
{
	char now[64];
	int rc;

	rc = pf_sysfs_write(addr, "driver_override", drv);
	if (rc)
		return rc;
	/* drivers_probe fails (ENODEV...) when no driver takes it: judged below */
	pf_sysfs_write(NULL, "/sys/bus/pci/drivers_probe", addr);
	current_driver(addr, now, sizeof(now));
	return strcmp(now, drv) ? -ENODEV : 0;
}

/* Gives the device back: clears driver_override, binds the remembered kernel
 * driver, or lets the kernel choose by its id tables when none is known. */
static void give_back(const char *addr, const char *kernel_driver)
{
	char path[PATH_MAX];

	unbind(addr);
	pf_sysfs_write(addr, "driver_override", "\n");
	if (kernel_driver[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", kernel_driver);
		if (pf_sysfs_write(NULL, path, addr) == 0)
			return;
	}
	pf_sysfs_write(NULL, "/sys/bus/pci/drivers_probe", addr);
}

static int is_pci_address(const char *name)
{
	unsigned dom, bus, dev, fn;
	char extra;

	return sscanf(name, "%4x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &extra) == 4;
}

/* NAME (an interface or a PCI address) to the device's PCI address. */
static int resolve(const char *name, char *addr, size_t len, char *err, size_t errlen)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;
	const char *base;

	if (is_pci_address(name)) {
		pf_copy_name(addr, len, name);
	} else {
		if (strchr(name, '/') || strlen(name) >= 32) {
			snprintf(err, errlen, "pf_pci_open: %s: not an interface name or PCI address", name);
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "/sys/class/net/%s/device", name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0) {
			snprintf(err, errlen, "pf_pci_open: %s: no such device (no %s)", name, path);
			return -ENODEV;
		}
		target[n] = '\0';
		base = strrchr(target, '/');
		if (pf_copy_name(addr, len, base ? base + 1 : target))
			addr[0] = '\0';
	}
	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s", addr);
	if (stat(path, &st) || !is_pci_address(addr)) {
		snprintf(err, errlen, "pf_pci_open: %s: no such PCI device (no %s)", name, path);
		return -ENODEV;
	}
	return 0;
}

/* The interface name of the device under its kernel driver, "" when none. */
static void interface_of(const char *addr, char *ifname, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	ifname[0] = '\0';
	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/net", addr);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			pf_copy_name(ifname, len, e->d_name);
			break;
		}
	closedir(d);
}

/* One pfring process at a time per device: an exclusive flock on the
 * device's sysfs config file, taken before anything is rebound and dropped
 * by the kernel when the holder dies (so kill -9 leaves nothing to clean).
 * Returns the locked fd, or -errno after a message (-EBUSY: held). */
static int lock_device(const char *name, const char *addr, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd, rc;

	snprintf(path, sizeof(path), PF_PCI_SYSFS "/%s/config", addr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "pf_pci_open: %s: cannot open %s: %s", name, path,
			 strerror(-rc));
		return rc;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
	close(fd);
	snprintf(err, errlen, "pf_pci_open: %s: %s is in use by another DNA ring (%s)", name, addr,
		 rc == -EBUSY ? "its holder has it locked" : strerror(-rc));
	return rc;
}

static int choose_path(const char *name, const char *addr, enum pf_pci_path *path,
		       char *err, size_t errlen)
{
	char why_vfio[160], why_uio[160];
	int vfio = 1, uio = 1;

	if (*path != PF_PCI_UIO)
		vfio = pf_vfio_usable(addr, why_vfio, sizeof(why_vfio));
	if (*path == PF_PCI_VFIO && vfio) {
		snprintf(err, errlen, "pf_pci_open: %s: VFIO: %s", name, why_vfio);
		return vfio;
	}
	if (*path != PF_PCI_VFIO && vfio)
		uio = pf_uio_usable(why_uio, sizeof(why_uio));
	if (*path == PF_PCI_UIO && uio) {
		snprintf(err, errlen, "pf_pci_open: %s: UIO: %s", name, why_uio);
		return uio;
	}
	if (vfio && uio) {
		snprintf(err, errlen, "pf_pci_open: %s: neither VFIO (%s) nor UIO (%s)",
			 name, why_vfio, why_uio);
		return uio;
	}
	*path = vfio ? PF_PCI_UIO : PF_PCI_VFIO;
	return 0;
}

int pf_pci_open_as(const char *name, enum pf_pci_path path, struct pf_bus **out,
		   char *err, size_t errlen)
{
	char addr[16], drv[64];
	struct pf_pci *pci;
	const char *want;
	int rc, lock_fd;
	size_t i;

	*out = NULL;
	if (geteuid() != 0) {
		snprintf(err, errlen, "pf_pci_open: %s: must run as root (it rebinds the PCI device)",
			 name ? name : "(null)");
		return -EPERM;
	}
	if (!name) {
		snprintf(err, errlen, "pf_pci_open: no device name");
		return -EINVAL;
	}
	rc = resolve(name, addr, sizeof(addr), err, errlen);
	if (rc)
		return rc;
	lock_fd = lock_device(name, addr, err, errlen);
	if (lock_fd < 0)
		return lock_fd;
	rc = choose_path(name, addr, &path, err, errlen);
	pci = rc ? NULL : calloc(1, sizeof(*pci));
	if (!pci) {
		if (!rc) {
			snprintf(err, errlen, "pf_pci_open: %s: out of memory", name);
			rc = -ENOMEM;
		}
		close(lock_fd);
		return rc;
	}
	pci->lock_fd = lock_fd;
	pci->path = path;
	pci->config_fd = pci->container_fd = pci->group_fd = pci->device_fd = -1;
	pf_copy_name(pci->bus.addr, sizeof(pci->bus.addr), addr);
	pci->bus.vendor = (uint16_t)read_sysfs_hex(addr, "vendor");
	pci->bus.device = (uint16_t)read_sysfs_hex(addr, "device");

	current_driver(addr, drv, sizeof(drv));
	/* bound to a user-space driver: a killed process left it so; the kernel
	 * driver is then found again by drivers_probe at close */
	for (i = 0; i < sizeof(user_space_drivers) / sizeof(user_space_drivers[0]); i++)
		if (!strcmp(drv, user_space_drivers[i]))
			drv[0] = '\0';
	pf_copy_name(pci->kernel_driver, sizeof(pci->kernel_driver), drv);
	interface_of(addr, pci->bus.ifname, sizeof(pci->bus.ifname));

	want = path == PF_PCI_VFIO ? "vfio-pci" : "uio_pci_generic";
	rc = unbind(addr);
	if (rc) {
		snprintf(err, errlen, "pf_pci_open: %s: cannot unbind %s from %s: %s",
			 name, addr, drv, strerror(-rc));
		goto fail;
	}
	rc = pf_pci_bind(addr, want);
	if (rc) {
		snprintf(err, errlen, "pf_pci_open: %s: %s did not bind %s: %s",
			 name, want, addr, strerror(-rc));
		goto fail;
	}
	rc = path == PF_PCI_VFIO ? pf_vfio_attach(pci, err, errlen) : pf_uio_attach(pci, err, errlen);
	if (rc)
		goto fail;
	*out = &pci->bus;
	return 0;
fail:
	pf_pci_release(pci);
	return rc;
}

int pf_pci_open(const char *name, struct pf_bus **out, char *err, size_t errlen)
{
	return pf_pci_open_as(name, PF_PCI_AUTO, out, err, errlen);
}

const char *pf_pci_path_name(const struct pf_bus *bus)
{
	return ((const struct pf_pci *)bus)->path == PF_PCI_VFIO ? "vfio" : "uio";
}

struct pf_dma *pf_pci_dma_slot(struct pf_pci *pci, const void *virt)
{
	size_t i;

	for (i = 0; i < PF_PCI_MAX_DMA; i++)
		if (pci->dma[i].virt == virt)
			return &pci->dma[i];
	return NULL;
}

int pf_pci_enable_master(int fd, uint64_t off)
{
	uint16_t cmd;

	if (pread(fd, &cmd, sizeof(cmd), (off_t)(off + 4)) != sizeof(cmd))
		return -EIO;
	cmd |= 0x6;	/* memory space, bus master (PCI command register bits 1, 2) */
	if (pwrite(fd, &cmd, sizeof(cmd), (off_t)(off + 4)) != sizeof(cmd))
		return -EIO;
	return 0;
}

void pf_pci_release(struct pf_pci *pci)
{
	size_t i;

	for (i = 0; i < PF_PCI_MAX_DMA; i++)
		if (pci->dma[i].virt && pci->bus.ops)
			pci->bus.ops->dma_free(&pci->bus, &pci->dma[i]);
	if (pci->bus.bar0)
		munmap((void *)pci->bus.bar0, pci->bar0_map_len);
	if (pci->config_fd >= 0)
		close(pci->config_fd);
	if (pci->device_fd >= 0)
		close(pci->device_fd);
	if (pci->group_fd >= 0)
		close(pci->group_fd);
	if (pci->container_fd >= 0)
		close(pci->container_fd);
	give_back(pci->bus.addr, pci->kernel_driver);
	close(pci->lock_fd);	/* after the give-back: the next open finds it done */
	free(pci);
}

void pf_pci_close(struct pf_bus *bus)
{
	pf_pci_release((struct pf_pci *)bus);
}
