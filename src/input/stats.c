/* Counting what an input lost, the same way for every reader, and reading
 * where it came from; see stats.h. */
#include <stdio.h>
#include <string.h>

#include "lockgraph/input/stats.h"

static uint32_t slot(uint32_t cpu)
{
	return cpu < LG_LOST_CPUS ? cpu : LG_LOST_CPUS - 1;
}

void lg_input_stats_lost(struct lg_input_stats *st, uint32_t cpu, uint64_t n)
{
	st->lost += n;
	st->lost_markers++;
	st->lost_markers_by_cpu[slot(cpu)]++;
	st->lost_by_cpu[slot(cpu)] += n;
	if (!n)
		st->uncounted_cpus |= 1ULL << slot(cpu);
}

/* A marker without a count stands for whatever the recorder counted there. */
void lg_input_stats_recorded_lost(struct lg_input_stats *st, uint32_t cpu, uint64_t n)
{
	uint32_t s = slot(cpu);

	if (n <= st->lost_by_cpu[s])
		return;
	st->lost += n - st->lost_by_cpu[s];
	if (!(st->uncounted_cpus & (1ULL << s))) {
		st->lost_unplaced += n - st->lost_by_cpu[s];
		st->unplaced_cpus |= 1ULL << s;
	}
	st->lost_by_cpu[s] = n;
}

void lg_input_stats_zeroed(struct lg_input_stats *st, uint32_t cpu)
{
	st->zeroed_pages++;
	st->zeroed_cpus |= 1ULL << slot(cpu);
	lg_input_stats_lost(st, cpu, 0);
}

void lg_input_stats_missing(struct lg_input_stats *st, uint32_t cpu, uint64_t n)
{
	st->missing += n;
	st->missing_cpus |= 1ULL << slot(cpu);
}

void lg_input_origin_uname(struct lg_input_origin *o, const char *uname)
{
	const char *release, *version, *machine;

	if (!uname || !(release = strchr(uname, ' ')) || !(release = strchr(release + 1, ' ')))
		return;
	release++;
	version = strchr(release, ' ');
	if (!version)
		return;
	machine = strrchr(release, ' ');
	snprintf(o->release, sizeof(o->release), "%.*s", (int)(version - release), release);
	if (machine > version)
		snprintf(o->version, sizeof(o->version), "%.*s", (int)(machine - version - 1),
			 version + 1);
}
