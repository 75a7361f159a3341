/* Known findings a CI run accepts: a previous JSON report (--baseline) and
 * suppression files (--suppress) of ids and cycle patterns, each with its
 * reason. Applied to the findings before any report; what was hidden, and
 * the suppressions nothing matched, are reported so that stale ones go. */
#ifndef LOCKGRAPH_SUPPRESSIONS_H
#define LOCKGRAPH_SUPPRESSIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/error.h"
#include "lockgraph/replay/graph.h"

/* One line of a file, or one baseline: "FILE:LINE" (or the baseline's path),
 * what it says, why, and how many findings it hid. */
struct lg_suppression {
	char *where;
	char *id;		/* or NULL: a cycle of classes */
	char **classes;		/* fnmatch() globs, in cycle order */
	uint32_t nr_classes;
	char *reason;
	bool baseline;		/* a previous report's id: never "unused" */
	uint64_t hidden;
};

/* A finding hidden, its id, title and input, and the suppression that hid it. */
struct lg_hidden {
	char id[24];
	char *title;
	uint32_t input;
	uint32_t by;		/* index in lg_suppressions.v */
};

struct lg_suppressions {
	struct lg_suppression *v;
	uint32_t nr, alloc;
	struct lg_hidden *hidden;
	uint32_t nr_hidden, alloc_hidden;
};

void lg_suppressions_init(struct lg_suppressions *s);
void lg_suppressions_release(struct lg_suppressions *s);

/* Every finding id of a JSON report lockgraph wrote: one suppression. */
int lg_suppressions_baseline(struct lg_suppressions *s, const char *path, struct lg_error *err);
/* A suppression file: "ID  # reason" or "GLOB -> GLOB ...  # reason" (a cycle
 * through classes the globs match, in that order from any rotation). */
int lg_suppressions_load(struct lg_suppressions *s, FILE *f, const char *path,
			 struct lg_error *err);

/* Drop from f the findings a suppression matches (describe: a finding's
 * title and input, kept for the report), and renumber its cycle groups. */
void lg_suppressions_apply(struct lg_suppressions *s, const struct lg_graph *g,
			   struct lg_findings *f,
			   const char *(*describe)(const struct lg_finding *f, void *arg,
						   uint32_t *input),
			   void *arg);

#endif
