/* Benchmark workload: threads of one process map, touch and unmap a page in a
 * loop, so that mmap_lock is taken and contended millions of times — a real
 * lock-event storm on any kernel with the mmap_lock and lock tracepoints.
 * usage: mmap_storm ITERATIONS_PER_THREAD THREADS */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static long iterations;

static void *storm(void *arg)
{
	(void)arg;
	for (long i = 0; i < iterations; i++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		*(volatile char *)p = 1;
		munmap(p, 4096);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[64];
	int n;

	if (argc != 3 || (iterations = atol(argv[1])) <= 0 ||
	    (n = atoi(argv[2])) <= 0 || n > 64) {
		fprintf(stderr, "usage: mmap_storm ITERATIONS_PER_THREAD THREADS(1-64)\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		pthread_create(&threads[i], NULL, storm, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	return 0;
}
