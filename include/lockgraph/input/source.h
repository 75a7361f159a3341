/* Input sources: open a trace file, detect its format from its content, and
 * stream normalised events out of it. Nothing after a source knows formats. */
#ifndef LOCKGRAPH_SOURCE_H
#define LOCKGRAPH_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lockgraph/lib/error.h"
#include "lockgraph/input/event.h"
#include "lockgraph/lib/strtab.h"

/* CPUs whose losses are told apart; higher ones share the last slot. */
#define LG_LOST_CPUS 64

struct lg_input_stats {
	uint64_t events;	/* lock events delivered */
	uint64_t skipped;	/* other events, counted and not used */
	uint64_t lost;		/* events the ring buffer dropped */
	uint64_t lost_markers;	/* places where it dropped some */
	uint32_t lost_markers_by_cpu[LG_LOST_CPUS];
	uint64_t unaddressed;	/* lock events whose pointer was (____ptrval____) */
	uint64_t no_irq_info;	/* events without the irq flags: process context assumed */
	uint8_t recorded;	/* LG_RECORDED_*: what the file was recorded with */
	bool names_dropped;	/* empty names: 6.1 with hash-ptr off lost "try " too */
};

/* Events a trace.dat has the formats of, i.e. was recorded with, whether or
 * not any fired: they set the input's tier (tier.h). */
#define LG_RECORDED_LOCKDEP	0x1	/* lock:lock_acquire */
#define LG_RECORDED_CONTENTION	0x2	/* lock:contention_begin */
#define LG_RECORDED_MMAP_LOCK	0x4	/* mmap_lock:mmap_lock_acquire_returned */
#define LG_RECORDED_KEYS	0x8	/* lockgraph record's eprobe lock_acquire_key */
#define LG_RECORDED_ARGS	0x10	/* its tracepoint probe lock_acquire_args */

/* Count a ring-buffer gap of n events (0: unknown) on cpu. */
void lg_input_stats_lost(struct lg_input_stats *st, uint32_t cpu, uint64_t n);

/* Receives each event; ev and what it points to are valid during the call. */
typedef void (*lg_event_fn)(const struct lg_event *ev, void *arg);

struct lg_source;

/* Open path ("-" is standard input); class names are interned into names. */
int lg_source_open(struct lg_source **src, const char *path,
		   struct lg_strtab *names, struct lg_error *err);

/* Deliver every event of the input to fn in timestamp order; 0 or -errno. */
int lg_source_read(struct lg_source *src, lg_event_fn fn, void *arg,
		   struct lg_error *err);

const char *lg_source_format(const struct lg_source *src);
const struct lg_input_stats *lg_source_stats(const struct lg_source *src);
/* The kernel symbol exactly at addr, if the input carries kallsyms, or NULL. */
const char *lg_source_symbol(const struct lg_source *src, uint64_t addr);
void lg_source_close(struct lg_source *src);

/* The ftrace text reader behind lg_source_open, usable on any stream. */
struct lg_text_source;
struct lg_text_source *lg_text_source_new(FILE *f, const char *path,
					  struct lg_strtab *names);
/* Give back bytes already read from f (pipes cannot seek); before any next. */
void lg_text_source_unread(struct lg_text_source *ts, const char *data, size_t len);
/* 1 and *ev filled, 0 at the end of the input, or a negative errno. */
int lg_text_source_next(struct lg_text_source *ts, struct lg_event *ev,
			struct lg_error *err);
int lg_text_source_read(struct lg_text_source *ts, lg_event_fn fn, void *arg,
			struct lg_error *err);
const char *lg_text_source_format(const struct lg_text_source *ts);
const struct lg_input_stats *lg_text_source_stats(const struct lg_text_source *ts);
void lg_text_source_free(struct lg_text_source *ts);

/* The trace-cmd trace.dat reader (file versions 6 and 7), on libtracecmd. */
struct lg_tracedat_source;
int lg_tracedat_source_open(struct lg_tracedat_source **out, const char *path,
			    struct lg_strtab *names, struct lg_error *err);
int lg_tracedat_source_read(struct lg_tracedat_source *td, lg_event_fn fn, void *arg,
			    struct lg_error *err);
const char *lg_tracedat_source_format(const struct lg_tracedat_source *td);
const char *lg_tracedat_source_symbol(const struct lg_tracedat_source *td, uint64_t addr);
const struct lg_input_stats *lg_tracedat_source_stats(const struct lg_tracedat_source *td);
void lg_tracedat_source_free(struct lg_tracedat_source *td);

#endif
