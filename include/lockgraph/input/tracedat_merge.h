/* The records of a trace.dat's CPU streams (tracedat_stream.h) merged in
 * time order: what tracecmd_iterate_events_multi() gives, ties going to the
 * earlier stream (buffers in the file's order, then their CPUs in their
 * table's), but without a library call and an allocation per record.
 *
 * Worker threads fill the streams' blocks ahead of the merge (reading,
 * decompressing, checking and decoding pages), each stream a few blocks
 * ahead; the merge and whatever the caller does with a record stay on the
 * caller's thread. The order, and so every report, is the same whatever the
 * number of threads: a block's content depends only on its stream. */
#ifndef LOCKGRAPH_TRACEDAT_MERGE_H
#define LOCKGRAPH_TRACEDAT_MERGE_H

#include <stdint.h>

#include "lockgraph/input/tracedat_stream.h"
#include "lockgraph/lib/error.h"

struct lg_tracedat_merge;

/* What a stream gave, once the merge has passed its end. */
struct lg_stream_summary {
	uint64_t records;	/* delivered */
	uint64_t last_ts;	/* of the last one */
	uint32_t tail_zeroed;	/* zeroed pages after it */
	long long tail_missed;	/* a loss after it (a count, -1 unknown, 0 none) */
};

/*
 * Merge the n streams (kept by the caller until lg_tracedat_merge_stop()):
 * each one's first block is read, on the caller's thread, before it returns
 * 0, or the first stream's error (in stream order) with its message; call
 * lg_tracedat_merge_stop() either way.
 */
int lg_tracedat_merge_start(struct lg_tracedat_merge **m, struct lg_tracedat_stream *streams,
			    uint32_t n, struct lg_error *err);

/* From here on, fill the blocks on threads - 1 worker threads besides the
 * caller's (threads <= 1: all on the caller's). */
void lg_tracedat_merge_run(struct lg_tracedat_merge *m, unsigned threads);

/* A stream's first record (NULL if it has none): before any merge_next(). */
const struct lg_stream_record *lg_tracedat_merge_first(const struct lg_tracedat_merge *m,
						       uint32_t stream);

/*
 * The next record, its stream in *stream: valid until the next call. NULL at
 * the end (0) or on a stream's error (negative, with its message in err).
 */
const struct lg_stream_record *lg_tracedat_merge_next(struct lg_tracedat_merge *m,
						      uint32_t *stream, int *ret,
						      struct lg_error *err);

const struct lg_stream_summary *lg_tracedat_merge_summary(const struct lg_tracedat_merge *m,
							  uint32_t stream);

/* Stop the workers and free the merge (not the streams). */
void lg_tracedat_merge_stop(struct lg_tracedat_merge *m);

#endif
