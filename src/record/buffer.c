/* The instance's ring buffer: how big, unless -b says, and what it lost, per
 * CPU, from the kernel's own statistics once the readers are done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tracefs.h>

#include "lockgraph/contract/cpu_stats.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/record/record.h"

/* The bounds of one CPU's buffer: a lockdep kernel writes millions of events
 * a second, and what a burst leaves unread before the reader comes back is
 * lost. */
#define MIN_KB (4 << 10)
#define MAX_KB (128 << 10)

long lg_record_buffer_kb(int cpus, long *memory_mb)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	long long kb = pages > 0 && page > 0 ? (long long)pages * (page / 1024) : 0;
	long long per_cpu = kb / LG_RECORD_MEMORY_SHARE / (cpus > 0 ? cpus : 1);

	*memory_mb = kb >> 10;
	return per_cpu < MIN_KB ? MIN_KB : per_cpu > MAX_KB ? MAX_KB : per_cpu;
}

void lg_record_count_events(struct lg_record *r, int cpus, uint64_t *events, uint64_t *lost)
{
	char path[64];

	*events = *lost = 0;
	for (int cpu = 0; cpu < cpus; cpu++) {
		char *stats;

		snprintf(path, sizeof(path), "per_cpu/cpu%d/stats", cpu);
		stats = tracefs_instance_file_read(r->instance, path, NULL);
		if (!stats)
			continue;
		/* entries: still in the buffer; read events: spliced to the file */
		*events += lg_cpu_stats_field(stats, "entries") +
			   lg_cpu_stats_field(stats, "read events");
		*lost += lg_cpu_stats_lost(stats);
		free(stats);
	}
}

uint64_t lg_record_read_cpu_stats(struct lg_record *r, int cpus)
{
	uint64_t lost = 0;
	char path[64];

	r->cpu_stats = lg_xcalloc(cpus, sizeof(*r->cpu_stats));
	r->nr_cpu_stats = cpus;
	for (int cpu = 0; cpu < cpus; cpu++) {
		char *stats;

		snprintf(path, sizeof(path), "per_cpu/cpu%d/stats", cpu);
		stats = tracefs_instance_file_read(r->instance, path, NULL);
		if (!stats)
			continue;	/* a CPU this kernel does not trace */
		lost += lg_cpu_stats_lost(stats);
		if (asprintf(&r->cpu_stats[cpu], "CPU: %d\n%s", cpu, stats) < 0)
			abort();
		free(stats);
	}
	return lost;
}
