/*
 * backends/zero/zc_pool_peek.c - what the cluster master reads of a pool
 * beyond moving buffers: a slave's rx queue fill (for the 5.4.6 programs'
 * slaves_info), and a dead master's leftover region under a cluster id.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/zero/zc_pool_shm.h"

uint32_t zc_pool_rx_queued(struct zc_pool *p, uint32_t s)
{
	return s < p->shm->num_slaves ? zc_queue_count(zc_pool_queue(p, s, ZC_Q_RX)) : 0;
}

/* Is the process pid gone? (EPERM: it exists under another user.) */
static bool pid_dead(int32_t pid)
{
	return pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* The master pid written in the region named name: 0 (no region), -ENODATA
 * (a file too short to be ours, or cut short while being made), 1 (*pid
 * set), or another -errno. */
static int read_master_pid(const char *name, int32_t *pid)
{
	struct zc_pool_shm *shm;
	struct stat st;
	int fd = shm_open(name, O_RDONLY, 0);

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(struct zc_pool_shm)) {
		close(fd);
		return -ENODATA;
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (shm == MAP_FAILED)
		return -errno;
	*pid = __atomic_load_n(&shm->master_pid, __ATOMIC_ACQUIRE); /* written before all but the magic */
	munmap(shm, sizeof(*shm));
	return 1;
}

int zc_pool_unlink_stale(uint32_t cluster_id, int32_t *owner)
{
	char name[ZC_POOL_NAME_MAX];
	int rc;

	*owner = 0;
	zc_pool_name(cluster_id, name);
	rc = read_master_pid(name, owner);
	if (rc == -ENODATA || (rc == 1 && pid_dead(*owner))) {
		shm_unlink(name);
		return 1;
	}
	return rc == 1 ? -EEXIST : rc;
}

bool zc_pool_serving(uint32_t cluster_id)
{
	char name[ZC_POOL_NAME_MAX];
	int32_t pid = 0;

	zc_pool_name(cluster_id, name);
	return read_master_pid(name, &pid) == 1 && !pid_dead(pid);
}
