/* Counting what an input lost, the same way for every reader; see stats.h. */
#include "lockgraph/input/stats.h"

void lg_input_stats_lost(struct lg_input_stats *st, uint32_t cpu, uint64_t n)
{
	st->lost += n;
	st->lost_markers++;
	st->lost_markers_by_cpu[cpu < LG_LOST_CPUS ? cpu : LG_LOST_CPUS - 1]++;
}
