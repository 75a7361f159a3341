/* The ring buffer's own statistics of each CPU (tracefs per_cpu/cpuN/stats),
 * as trace-cmd keeps them in a trace.dat (its CPUSTAT option: "CPU: N", then
 * the kernel's lines, one option per CPU): what the buffer lost, which record
 * reports and writes and analyze reads back. */
#ifndef LOCKGRAPH_CPU_STATS_H
#define LOCKGRAPH_CPU_STATS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The events a CPU's buffer lost, from its stats text: overwritten before
 * they were read ("overrun"), refused when full ("dropped events") or by a
 * nested writer that filled a page ("commit overrun").
 */
uint64_t lg_cpu_stats_lost(const char *stats);

/* The number of the line "name: N" of a CPU's stats text, or 0. */
uint64_t lg_cpu_stats_field(const char *stats, const char *name);

/* One CPU's section: what it lost, and how many events its readers took
 * ("read events", which every kernel since 3.10 prints). */
struct lg_cpu_stat {
	uint64_t lost;
	uint64_t read;
	bool has_read;
};

/*
 * Every "CPU: N" section of text (the CPUSTAT options of a file, one after
 * another, trace-cmd's "Buffer: NAME" headings between those of its
 * instances): fn(arg, N, stat) for each. Lines that are not the kernel's
 * are passed over.
 */
void lg_cpu_stats_each(const char *text,
		       void (*fn)(void *arg, uint32_t cpu, const struct lg_cpu_stat *stat),
		       void *arg);

#endif
