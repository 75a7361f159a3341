/* The ftrace text reader: /sys/kernel/tracing/trace (with or without the
 * irq-info flag and tgid columns) and `trace-cmd report` output, on any
 * stream; what lg_source_open puts behind a text input. */
#ifndef LOCKGRAPH_FTRACE_TEXT_H
#define LOCKGRAPH_FTRACE_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/stats.h"
#include "lockgraph/lib/error.h"
#include "lockgraph/lib/strtab.h"

struct lg_text_source;
struct lg_text_source *lg_text_source_new(FILE *f, const char *path,
					  struct lg_strtab *names);
/* Give back bytes already read from f (pipes cannot seek); before any next. */
void lg_text_source_unread(struct lg_text_source *ts, const char *data, size_t len);
/* 1 and *ev filled, 0 at the end of the input, or a negative errno: the
 * events alone; read gives each acquisition its kernel stack too. */
int lg_text_source_next(struct lg_text_source *ts, struct lg_event *ev,
			struct lg_error *err);
int lg_text_source_read(struct lg_text_source *ts, lg_event_fn fn, void *arg,
			struct lg_error *err);
const char *lg_text_source_format(const struct lg_text_source *ts);
const struct lg_input_stats *lg_text_source_stats(const struct lg_text_source *ts);
void lg_text_source_free(struct lg_text_source *ts);

#endif
