/* The trace-cmd trace.dat reader (file versions 6 and 7): what
 * lg_source_open puts behind a file that starts with trace-cmd's magic. */
#ifndef LOCKGRAPH_TRACEDAT_H
#define LOCKGRAPH_TRACEDAT_H

#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/stats.h"
#include "lockgraph/lib/error.h"
#include "lockgraph/lib/strtab.h"

struct lg_tracedat_source;
/* Read the trace.dat open at fd, which the reader owns from here on (closed
 * on failure too); path names it in messages. */
int lg_tracedat_source_open(struct lg_tracedat_source **out, const char *path, int fd,
			    struct lg_strtab *names, struct lg_error *err);
/* Deliver every event, the CPUs' data decoded on up to threads threads. */
int lg_tracedat_source_read(struct lg_tracedat_source *td, unsigned threads, lg_event_fn fn,
			    void *arg, struct lg_error *err);
const char *lg_tracedat_source_format(const struct lg_tracedat_source *td);
const char *lg_tracedat_source_symbol(const struct lg_tracedat_source *td, uint64_t addr);
const struct lg_input_stats *lg_tracedat_source_stats(const struct lg_tracedat_source *td);
void lg_tracedat_source_free(struct lg_tracedat_source *td);

#endif
