// SPDX-License-Identifier: MIT
/*
 * An ordinary fork/exec workload for the lab (lgscen.ko scenario=workload-fork):
 * start short-lived programs for ten seconds, as a shell script does. lockdep
 * stays silent on it; so must lockgraph, with nothing lost.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SECONDS 10

int main(void)
{
	time_t end = time(NULL) + SECONDS;
	unsigned long n = 0;

	while (time(NULL) < end) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/busybox", "true", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		n++;
	}
	fprintf(stderr, "workload-fork: %lu programs in %d s\n", n, SECONDS);
	return 0;
}
