/* Input sources: open a trace file, detect its format from its content, and
 * stream normalised events out of it. Nothing after a source knows formats. */
#ifndef LOCKGRAPH_SOURCE_H
#define LOCKGRAPH_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/stats.h"
#include "lockgraph/lib/error.h"
#include "lockgraph/lib/strtab.h"

struct lg_source;

/* Open path ("-" is standard input); class names are interned into names. */
int lg_source_open(struct lg_source **src, const char *path,
		   struct lg_strtab *names, struct lg_error *err);

/* A graph file (graph_file.h) rather than a trace: its whole text, *len
 * bytes; NULL for a trace. A graph source has no events to read. */
const char *lg_source_graph(const struct lg_source *src, size_t *len);

/* Deliver every event of the input to fn in timestamp order, a trace.dat
 * decoded on up to threads threads (the order is the same for any); 0 or
 * -errno. */
int lg_source_read(struct lg_source *src, unsigned threads, lg_event_fn fn, void *arg,
		   struct lg_error *err);

const char *lg_source_format(const struct lg_source *src);
const struct lg_input_stats *lg_source_stats(const struct lg_source *src);
/* The kernel symbol exactly at addr, if the input carries kallsyms, or NULL. */
const char *lg_source_symbol(const struct lg_source *src, uint64_t addr);
void lg_source_close(struct lg_source *src);

#endif
