/* Shared declarations of the unit tests: one check suite per module, and a
 * pipeline harness that runs a trace given as a string through the real code. */
#ifndef LOCKGRAPH_TEST_UNIT_H
#define LOCKGRAPH_TEST_UNIT_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "lockgraph/analysis.h"
#include "lockgraph/detect/detect.h"
#include "lockgraph/input/rules.h"
#include "lockgraph/input/ftrace_text.h"
#include "lockgraph/lib/error.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/replay/graph.h"
#include "lockgraph/replay/replay.h"

Suite *strtab_suite(void);
Suite *cli_suite(void);
Suite *u64map_suite(void);
Suite *ftrace_text_suite(void);
Suite *rules_suite(void);
Suite *replay_suite(void);
Suite *detect_suite(void);
Suite *contention_suite(void);
Suite *elf_symbols_suite(void);
Suite *pthread_locks_suite(void);
Suite *proc_maps_suite(void);
Suite *user_symbols_suite(void);
Suite *class_keys_suite(void);
Suite *kernel_sites_suite(void);
Suite *wait_context_suite(void);
Suite *irq_usage_suite(void);
Suite *contract_suite(void);
Suite *input_stats_suite(void);
Suite *tasks_suite(void);
Suite *primers_suite(void);
Suite *waits_suite(void);
Suite *tracedat_pages_suite(void);

/* tmpfiles.c: tmpdir is made before each test of a case that has
 * make_tmpdir and remove_tmpdir as its checked fixture, and removed after. */
extern char tmpdir[64];
void make_tmpdir(void);
void remove_tmpdir(void);
/* tmpdir/name, in a buffer the next call reuses */
const char *in_tmp(const char *name);
void write_file(const char *path, const void *data, size_t len);
/* The whole file (not empty), NUL-terminated, its length in *len; free it. */
char *read_file(const char *path, size_t *len);
/* Run a shell command in tmpdir (compilers, the programs they build); false,
 * with the reason printed, when it fails: the test then skips what needs it. */
bool run_in_tmp(const char *what, const char *cmd);

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

/* Events built by hand, straight into replay: what the trace.dat reader
 * makes of probes and class keys. */
struct direct {
	struct lg_strtab *names;
	struct lg_rules *rules;
	struct lg_graph *graph;
	struct lg_replay *replay;
};

void direct_init(struct direct *d);
void direct_free(struct direct *d);
/* ev, its class name interned (NULL: none); comm "t" */
void direct_send(struct direct *d, struct lg_event ev, const char *name);
/* An event of task pid in process context. */
void direct_event(struct direct *d, enum lg_event_kind kind, int pid, const char *name,
		  uint64_t addr, uint16_t flags);
/* The dependency from -> to, or NULL; the class of a name. */
const struct lg_dep *direct_dep(struct direct *d, const char *from, const char *to);
uint32_t direct_class(struct direct *d, const char *name);

/* A /sys/kernel/tracing/trace event line. */
#define EV(comm_pid, cpu, flags, ts, event, payload) \
	"  " comm_pid "  [" cpu "] " flags "  " ts ": " event ": " payload "\n"

#endif
