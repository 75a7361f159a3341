/* Shared declarations of the unit tests: one check suite per module, and a
 * pipeline harness that runs a trace given as a string through the real code. */
#ifndef LOCKGRAPH_TEST_UNIT_H
#define LOCKGRAPH_TEST_UNIT_H

#include <check.h>

#include "lockgraph/analysis.h"
#include "lockgraph/detect.h"
#include "lockgraph/error.h"
#include "lockgraph/graph.h"
#include "lockgraph/replay.h"
#include "lockgraph/rules.h"
#include "lockgraph/source.h"
#include "lockgraph/strtab.h"

Suite *strtab_suite(void);
Suite *u64map_suite(void);
Suite *source_text_suite(void);
Suite *rules_suite(void);
Suite *replay_suite(void);
Suite *detect_suite(void);
Suite *contention_suite(void);
Suite *elf_symbols_suite(void);
Suite *pthread_locks_suite(void);
Suite *proc_maps_suite(void);
Suite *class_keys_suite(void);

/* An analysis of one text trace, with short names for what tests look at. */
struct pipeline {
	struct lg_analysis a;
	struct lg_graph *graph;
	struct lg_replay *replay;
	struct lg_findings *findings;
	struct lg_input_stats stats;
	struct lg_error err;
	char buf[4096];
};

/* Parse, replay and detect; returns 0 or the source's negative errno. */
int pipeline_run(struct pipeline *p, const char *trace);
void pipeline_free(struct pipeline *p);
/* "A -> B -> C" for finding i, in the pipeline's buffer. */
const char *pipeline_classes(struct pipeline *p, uint32_t i);
/* The dependency from -> to, or NULL. */
const struct lg_dep *pipeline_dep(struct pipeline *p, const char *from, const char *to);

/* A /sys/kernel/tracing/trace event line. */
#define EV(comm_pid, cpu, flags, ts, event, payload) \
	"  " comm_pid "  [" cpu "] " flags "  " ts ": " event ": " payload "\n"

#endif
