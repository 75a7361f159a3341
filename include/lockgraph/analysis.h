/* One analysis: every input through replay and contention into one graph, then
 * the detectors. What `lockgraph analyze` runs, and what its tests and fuzzers
 * drive, so that all of them exercise the same pipeline. */
#ifndef LOCKGRAPH_ANALYSIS_H
#define LOCKGRAPH_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/input/rules.h"
#include "lockgraph/input/source.h"
#include "lockgraph/lib/error.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/replay/contention.h"
#include "lockgraph/replay/graph.h"
#include "lockgraph/replay/replay.h"
#include "lockgraph/report/report.h"

struct lg_analysis {
	struct lg_rules *rules;		/* amend before the first input */
	unsigned threads;		/* to decode a trace.dat on; 1 after init */
	struct lg_strtab *names;
	struct lg_graph *graph;
	struct lg_replay *replay;
	struct lg_contention *contention;
	struct lg_input *inputs;
	uint32_t nr_inputs, alloc_inputs;
	uint8_t seen;			/* LG_RECORDED_* the current input's events show */
	bool user_locks;		/* and whether it has pthread locks */
	bool sited;			/* and call sites, stacks or probed functions */
	struct lg_findings findings;	/* after lg_analysis_detect() */
	char **warnings;		/* what the inputs' numbers mean for accuracy */
	uint32_t nr_warnings, alloc_warnings;
};

void lg_analysis_init(struct lg_analysis *a);
void lg_analysis_release(struct lg_analysis *a);

/* Read one trace or graph file ("-": standard input) into the graph; 0 or
 * -errno. */
int lg_analysis_add_file(struct lg_analysis *a, const char *path, struct lg_error *err);

/* The same for an input the caller reads: begin, feed it every event, end.
 * End refuses an input no event of which could be used. */
void lg_analysis_begin_input(struct lg_analysis *a);
void lg_analysis_feed(const struct lg_event *ev, void *analysis);
int lg_analysis_end_input(struct lg_analysis *a, const char *path, const char *format,
			  const struct lg_input_stats *stats, lg_symbol_fn symbol,
			  void *symbol_arg, struct lg_error *err);

/* Merge a graph file's text, len bytes, read from path; 0 or -errno. */
int lg_analysis_add_graph(struct lg_analysis *a, const char *path, const char *text,
			  size_t len, struct lg_error *err);

/* Add an input read elsewhere (a graph file's), judging what its figures
 * mean for accuracy as for one read here. analysis: the struct lg_analysis. */
int lg_analysis_add_input(const struct lg_input *in, void *analysis, struct lg_error *err);

/* Run the detectors over the merged graph. */
void lg_analysis_detect(struct lg_analysis *a);

/* What the reporters need. */
struct lg_report lg_analysis_report(const struct lg_analysis *a, bool show_contention);

#endif
