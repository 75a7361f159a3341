// SPDX-License-Identifier: MIT
/*
 * The seed 000 reproducer, against the lab module's fake amdgpu (lgscen.ko
 * scenario=amdgpu-userptr): a userptr over anonymous memory with an interval
 * notifier, then MADV_PAGEOUT and munmap of that range, each of which calls
 * the notifier's invalidate callback, which takes the notifier lock.
 *
 * The seed maps 64 MiB and pages it out eight times, for a real machine where
 * the pages may be gone on the first pass. lockdep needs one invalidation, and
 * every page paged out is thousands of lock events in the lab's recording: a
 * few pages, one pass. MADV_PAGEOUT unmaps anonymous pages only when there is
 * swap to put them in: the lab guest swaps to a second virtio disk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lgscen_uapi.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define BUF_SIZE (4 * 4096)

/* VmSwap: what MADV_PAGEOUT unmapped (to swap entries) of this process */
static void print_vmswap(void)
{
	FILE *status = fopen("/proc/self/status", "r");
	char line[128];

	while (status && fgets(line, sizeof(line), status))
		if (!strncmp(line, "VmSwap:", 7))
			fprintf(stderr, "after MADV_PAGEOUT, %s", line);
	if (status)
		fclose(status);
}

int main(void)
{
	struct lgscen_userptr up = { .size = BUF_SIZE, .flags = LGSCEN_USERPTR_REGISTER };
	int fd = open("/dev/lgscen", O_RDWR | O_CLOEXEC);
	void *buf;

	if (fd < 0) {
		perror("/dev/lgscen");
		return 1;
	}
	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(buf, 0xa5, BUF_SIZE);	/* fault every page in */
	up.addr = (uint64_t)(uintptr_t)buf;
	if (ioctl(fd, LGSCEN_IOCTL_USERPTR, &up)) {
		perror("USERPTR");
		return 1;
	}
	fprintf(stderr, "userptr handle=%u, interval notifier over %p..%p\n", up.handle, buf,
		(char *)buf + BUF_SIZE);
	if (madvise(buf, BUF_SIZE, MADV_PAGEOUT))
		perror("madvise(MADV_PAGEOUT)");
	print_vmswap();
	if (munmap(buf, BUF_SIZE))
		perror("munmap");
	close(fd);
	return 0;
}
