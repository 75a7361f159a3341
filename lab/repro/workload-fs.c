// SPDX-License-Identifier: MIT
/*
 * An ordinary filesystem workload for the lab (lgscen.ko scenario=workload-fs):
 * create, write, rename, link, stat and unlink files and directories on a
 * fresh tmpfs for ten seconds, as a build or a package manager does. lockdep
 * stays silent on it; so must lockgraph, with nothing lost.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SECONDS 10

int main(void)
{
	time_t end = time(NULL) + SECONDS;
	char a[128], b[64], d[32];
	unsigned long n = 0;

	mkdir("/tmp/w", 0755);
	if (mount("tmpfs", "/tmp/w", "tmpfs", 0, "size=16m")) {
		perror("mount tmpfs");
		return 1;
	}
	while (time(NULL) < end) {
		struct stat st;
		int fd;

		snprintf(d, sizeof(d), "/tmp/w/d%lu", n % 8);
		snprintf(a, sizeof(a), "%s/f%lu", d, n);
		snprintf(b, sizeof(b), "/tmp/w/g%lu", n);
		mkdir(d, 0755);
		fd = open(a, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd >= 0) {
			if (write(fd, a, sizeof(a)) < 0)
				perror("write");
			close(fd);
		}
		rename(a, b);
		link(b, a);
		stat(a, &st);
		unlink(a);
		unlink(b);
		if (n % 8 == 7)
			rmdir(d);
		n++;
	}
	fprintf(stderr, "workload-fs: %lu rounds in %d s\n", n, SECONDS);
	umount("/tmp/w");
	return 0;
}
