/*
 * Graph files: an analysis's merged graph saved (analyze --save-graph) so
 * that a CI fleet keeps one per run and merges any number of them later
 * without the traces. Schema "lockgraph-graph/1", one JSON document, in
 * lockgraph-analyze(1): the inputs with their figures, the classes with
 * their usage and first instances, every dependency, recursion, unlock
 * imbalance and wait violation with its first sighting, and the contention
 * totals. A merged graph file gives what the traces would have given read
 * together; usage bugs are not kept but found again from the usage.
 */
#ifndef LOCKGRAPH_GRAPH_FILE_H
#define LOCKGRAPH_GRAPH_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lockgraph/lib/error.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/replay/contention.h"
#include "lockgraph/replay/graph.h"
#include "lockgraph/replay/replay.h"
#include "lockgraph/report/report.h"

#define LG_GRAPH_SCHEMA "lockgraph-graph/1"

/* The graph, figures and inputs of rep, as a graph file; 0, or -1 with errno. */
int lg_graph_file_write(FILE *out, const void *rep);

/* What a graph file is merged into: an analysis's pieces, and where its
 * inputs go (path and format interned in names, numbered from first_input). */
struct lg_graph_target {
	struct lg_strtab *names;
	struct lg_graph *graph;
	struct lg_replay *replay;
	struct lg_contention *contention;
	uint32_t first_input;
	int (*add_input)(const struct lg_input *in, void *arg, struct lg_error *err);
	void *arg;
};

/* Merge the graph file path holds (text, len bytes); 0, or -EINVAL with err
 * naming the file and the place in it (line:column, or the member) that is
 * not as lockgraph writes it. */
int lg_graph_file_merge(const struct lg_graph_target *t, const char *path,
			const char *text, size_t len, struct lg_error *err);

#endif
