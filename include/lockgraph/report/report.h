/* Reporters: turn the graph and its findings into lockdep-style text or the
 * versioned JSON document. They read; they never change the analysis. */
#ifndef LOCKGRAPH_REPORT_H
#define LOCKGRAPH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lockgraph/contract/tier.h"
#include "lockgraph/detect/detect.h"
#include "lockgraph/report/suppressions.h"
#include "lockgraph/input/source.h"
#include "lockgraph/replay/contention.h"
#include "lockgraph/replay/graph.h"
#include "lockgraph/replay/replay.h"

#define LG_JSON_SCHEMA "lockgraph-report/2"

struct lg_input {
	const char *path;
	const char *format;
	const char *graph;	/* the graph file it came in, or NULL: read here */
	struct lg_input_stats stats;
	enum lg_tier tier;	/* what its kernel lock events can show */
	bool user_locks;	/* it has pthread locks too, analysed in full */
	bool sited;		/* its kernel acquisitions have call sites or stacks:
				 * what priming functions made can be told */
};

struct lg_report {
	const struct lg_input *inputs;
	uint32_t nr_inputs;
	const struct lg_graph *graph;
	const struct lg_replay_stats *replay;
	const struct lg_findings *findings;
	const struct lg_contention *contention;
	bool show_contention;	/* text: print the contention table */
	bool all_cycles;	/* text: every cycle in full, not one a group */
	bool cycles_only;	/* dot: only the findings' classes and neighbours */
	char *const *warnings;
	uint32_t nr_warnings;
	/* The finding being printed, which lock usage is printed as of: lockdep
	 * prints a class's usage as it was at the splat. NULL: at the end. */
	const struct lg_finding *finding;
	/* What --baseline and --suppress hid, and left unused; or NULL. */
	const struct lg_suppressions *suppressions;
	/* --fail-on: 1 << the kinds that fail the run (LG_FAIL_* below); 0: all */
	uint32_t fail_on;
};

/* --fail-on's kinds: the findings' own, and a cycle that needs an annotation
 * or a rule (not a circular-dependency then). */
#define LG_FAIL_ANNOTATED_CYCLE	(LG_FINDING_WAIT_TIMEOUT + 1)
#define LG_FAIL_KINDS		(LG_FAIL_ANNOTATED_CYCLE + 1)

int lg_report_text(const struct lg_report *rep, FILE *out);
int lg_report_json(const struct lg_report *rep, FILE *out);
/* JUnit XML for CI dashboards: a testsuite per input, a testcase per finding
 * (failed, with its text report, unless --fail-on leaves its kind out), one
 * per hidden finding (skipped) and one passing case per input without any. */
int lg_report_junit(const struct lg_report *rep, FILE *out);
/* The graph in graphviz's DOT language, its cycles highlighted. */
int lg_report_dot(const struct lg_report *rep, FILE *out);
/* One finding's text report, as lockdep prints it (a cycle in full). */
void lg_report_text_finding(const struct lg_report *rep, const struct lg_finding *f,
			    FILE *out);

/* lockdep's banner: the title between rules of its length (width, when
 * lockdep's rules are fixed), the kernel, then rep->finding's id and one-line
 * title, and how often it was seen (count 0: not counted). */
void lg_report_text_banner(const struct lg_report *rep, FILE *out, const char *title, int width,
			   const char *id, uint64_t count);
/* A wait/event cycle's text report: DEPT's summary, then the chain. */
void lg_report_text_wait(const struct lg_report *rep, FILE *out, const struct lg_finding *f);

/* Helpers shared by the reporters. */
/* A finding's classes[] entry: a lock class's name or a wait object's
 * (LG_WAIT_NODE); as ids hash it. */
const char *lg_report_node_name(const struct lg_report *rep, uint32_t node);
const char *lg_report_node_signature(const struct lg_report *rep, uint32_t node, char *buf,
				     size_t size);
/* A wait finding's closing wait: the lock held across the wait for
 * classes[0], which the cycle comes back to. */
struct lg_wait_dep;
const struct lg_wait_dep *lg_report_wait_of(const struct lg_report *rep,
					    const struct lg_finding *f);
uint64_t lg_report_events(const struct lg_report *rep);
/* "98.562973", or nine decimals when the time has sub-microsecond digits. */
void lg_format_time(uint64_t ns, char *buf, size_t size);
/* lockdep's state_name() of a usage bit: "HARDIRQ", "SOFTIRQ-READ", ... */
const char *lg_irq_state_name(uint8_t bit);
/* Where the finding became true, the acquisition lockdep would have
 * reported it at: its closing dependency, the last dependency or usage of
 * an irq chain, its recursion, usage bug, imbalance or wait violation. */
const struct lg_site *lg_report_finding_site(const struct lg_report *rep,
					     const struct lg_finding *f);
/* lockdep's get_usage_chars() of the class as of rep->finding: "+.+.", one
 * character per irq state and read or write; false (buf "") for a class
 * lockdep never sees (pthread locks, mmap_lock tracepoint events). */
bool lg_report_usage_chars(const struct lg_report *rep, uint32_t class, char buf[5]);
/* "EN", "SR", ... for one LG_DEP_* bit. */
const char *lg_dep_type_name(uint8_t bit);

/* The kind's name in JSON ("circular-dependency", ...). */
const char *lg_finding_kind_name(enum lg_finding_kind kind);
/* --fail-on's name of an LG_FAIL_* kind: the above and "annotated-cycle". */
const char *lg_fail_kind_name(unsigned kind);
/* Does the finding fail the run, as rep->fail_on says? */
bool lg_report_fails(const struct lg_report *rep, const struct lg_finding *f);
/* The input the finding is in: its site's (see lg_report_finding_site()). */
uint32_t lg_report_finding_input(const struct lg_report *rep, const struct lg_finding *f);
/* Does the cycle need a dependency no code made at run time (an annotation's
 * or a rule's)? */
bool lg_report_needs_unobserved(const struct lg_report *rep, const struct lg_finding *f);

/* syzbot's kind of one-line title: "possible circular locking dependency in
 * hmm_invalidate_gfx", the function of the call site the finding fired at,
 * or of its first class where the trace has no call sites. Into buf. */
const char *lg_report_title(const struct lg_report *rep, const struct lg_finding *f,
			    char *buf, size_t size);
/* lg_suppressions_apply()'s describe callback, arg a struct lg_report: the
 * title (in a static buffer) and, in *input, the finding's input. */
const char *lg_report_describe(const struct lg_finding *f, void *rep, uint32_t *input);

/* An end of a dependency taken, at its first sighting, through an instance
 * taken nowhere else in the trace while its class has others: a dummy lock
 * made to teach lockdep an order. */
struct lg_lone_instance {
	uint32_t class;
	uint64_t addr;
	struct lg_instance_others others;
};

/* The dependency's lone instances (none, one or both ends) into out; how many. */
unsigned lg_report_lone_instances(const struct lg_report *rep, const struct lg_dep *d,
				  struct lg_lone_instance out[2]);

#endif
