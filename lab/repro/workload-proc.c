// SPDX-License-Identifier: MIT
/*
 * An ordinary /proc workload for the lab (lgscen.ko scenario=workload-proc):
 * read what top and ps read, every process's status and maps and the system
 * files, for ten seconds. lockdep stays silent on it; so must lockgraph, with
 * nothing lost.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define SECONDS 10

static void slurp(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

int main(void)
{
	static const char *const system[] = { "/proc/meminfo", "/proc/stat",
		"/proc/interrupts", "/proc/loadavg", "/proc/uptime", "/proc/mounts", NULL };
	time_t end = time(NULL) + SECONDS;
	unsigned long n = 0;
	char path[300];

	while (time(NULL) < end) {
		DIR *proc = opendir("/proc");
		struct dirent *e;

		while (proc && (e = readdir(proc))) {
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
			slurp(path);
			snprintf(path, sizeof(path), "/proc/%s/maps", e->d_name);
			slurp(path);
		}
		if (proc)
			closedir(proc);
		for (int i = 0; system[i]; i++)
			slurp(system[i]);
		n++;
	}
	fprintf(stderr, "workload-proc: %lu rounds in %d s\n", n, SECONDS);
	return 0;
}
