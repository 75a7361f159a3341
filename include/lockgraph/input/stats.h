/* What an input delivered and what it lost: every reader counts into one
 * struct lg_input_stats, which the analysis states for accuracy. */
#ifndef LOCKGRAPH_INPUT_STATS_H
#define LOCKGRAPH_INPUT_STATS_H

#include <stdbool.h>
#include <stdint.h>

/* CPUs whose losses are told apart; higher ones share the last slot. */
/* The kernel that recorded the input and the trace clock, as the input says
 * (a trace.dat's UNAME option and its buffer's clock); "" where it does not:
 * a text trace never does, and lockgraph record's UNAME, as trace-cmd's,
 * holds the release but not the version. The clock says how far timestamps
 * of different CPUs can be compared ("local": not exactly). */
struct lg_input_origin {
	char release[65];	/* uname -r: "6.12.117" */
	char version[65];	/* uname -v: "#3 SMP PREEMPT_DYNAMIC ..." */
	char clock[64];		/* "local", "global", "mono", ... */
};

#define LG_LOST_CPUS 64

struct lg_input_stats {
	uint64_t events;	/* lock events delivered */
	uint64_t skipped;	/* other events, counted and not used */
	uint64_t lost;		/* events the ring buffer dropped */
	uint64_t lost_markers;	/* places where it dropped some */
	uint32_t lost_markers_by_cpu[LG_LOST_CPUS];
	uint64_t lost_by_cpu[LG_LOST_CPUS];	/* what the markers count */
	uint64_t uncounted_cpus;	/* bit per slot: a marker there had no count */
	uint64_t lost_unplaced;	/* lost, as the recorder counted, at no marker */
	uint64_t unplaced_cpus;	/* bit per slot */
	uint64_t zeroed_pages;	/* trace.dat pages of nothing but zeros: a loss each */
	uint64_t zeroed_cpus;	/* bit per slot */
	uint64_t missing;	/* events the recorder read that the file does not hold */
	uint64_t missing_cpus;	/* bit per slot */
	uint64_t unaddressed;	/* lock events whose pointer was (____ptrval____) */
	uint64_t no_irq_info;	/* events without the irq flags: process context assumed */
	uint64_t unpaired;	/* class-key, argument and stack events that no
				 * acquisition could take: dropped */
	uint64_t incomplete;	/* acquisitions that lack their recorded key or
				 * arguments */
	uint64_t unwinder;	/* acquisitions the stack unwinder made inside
				 * another's lock_acquire() (--stacks): dropped */
	uint64_t unread_wait_probes;	/* ftrace text: record --preset wait's
					 * probe events, which it does not read */
	uint8_t recorded;	/* LG_RECORDED_* (contract/tier.h): what the file was
				 * recorded with */
	bool names_dropped;	/* empty names: 6.1 with hash-ptr off lost "try " too */
	struct lg_input_origin origin;
};

/* The release, and the version if there is one, of a trace.dat's UNAME:
 * "sysname nodename release machine" as trace-cmd writes it, the version
 * (uname -v, with its spaces) before the machine where a writer adds it. */
void lg_input_origin_uname(struct lg_input_origin *o, const char *uname);

/* Count a ring-buffer gap of n events (0: unknown) on cpu. */
void lg_input_stats_lost(struct lg_input_stats *st, uint32_t cpu, uint64_t n);
/* The recorder's own count of what cpu lost in all (a trace.dat's CPUSTAT),
 * once every marker is counted: what the markers do not account for was lost
 * where the input does not say. */
void lg_input_stats_recorded_lost(struct lg_input_stats *st, uint32_t cpu, uint64_t n);

/* A trace.dat page zeroed on cpu: its events lost, how many unknown. */
void lg_input_stats_zeroed(struct lg_input_stats *st, uint32_t cpu);
/* The recorder read more events from cpu than the file holds, by n. */
void lg_input_stats_missing(struct lg_input_stats *st, uint32_t cpu, uint64_t n);

#endif
