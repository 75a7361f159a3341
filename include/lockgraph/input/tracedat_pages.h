/* The CPU data of a version 6 trace.dat, page by page, checked before
 * libtracecmd reads it and followed while it does: libtraceevent's kbuffer
 * trusts every length in a page (a damaged one sends it outside the page, or
 * round in a loop), skips a page it cannot read without a word and stops a
 * CPU at one too full. So every page's events are walked first as kbuffer
 * walks them, then time must not go back within a CPU, zeroed pages are a
 * loss, and each CPU must deliver every record its pages hold. */
#ifndef LOCKGRAPH_TRACEDAT_PAGES_H
#define LOCKGRAPH_TRACEDAT_PAGES_H

#include <stdint.h>

#include "lockgraph/input/tracedat_layout.h"
#include "lockgraph/lib/error.h"

struct lg_cpu_pages;

struct lg_tracedat_pages {
	const struct lg_tracedat_layout *layout;	/* version 6, commit_size known */
	int fd;
	const char *path;	/* for messages */
	const char *offsets_of;	/* "" or " of its decompressed copy" */
	struct lg_cpu_pages **cpus;	/* [buffer][cpu], private */
};

/*
 * Map and walk every page of the file open at fd: 0, or -EINVAL with a
 * message naming the CPU and offset of a page that kbuffer cannot read
 * safely, -EIO. Call lg_tracedat_pages_release() either way.
 */
int lg_tracedat_pages_scan(struct lg_tracedat_pages *p, const struct lg_tracedat_layout *l,
			   int fd, const char *path, const char *offsets_of,
			   struct lg_error *err);
void lg_tracedat_pages_release(struct lg_tracedat_pages *p);

/*
 * A record of the layout's buffer at offset on cpu, at time ts: the number of
 * zeroed pages passed over since the CPU's last record (events lost there),
 * or -EINVAL with a message if time goes back.
 */
int lg_tracedat_pages_record(struct lg_tracedat_pages *p, uint32_t buffer, uint32_t cpu,
			     uint64_t offset, uint64_t ts, struct lg_error *err);

/* After the last record: the zeroed pages after cpu's last record, or
 * -EINVAL if fewer records came than its pages hold. */
int lg_tracedat_pages_tail(struct lg_tracedat_pages *p, uint32_t buffer, uint32_t cpu,
			   struct lg_error *err);

/* The records read from cpu so far, and the time of its last one. */
uint64_t lg_tracedat_pages_records(const struct lg_tracedat_pages *p, uint32_t buffer,
				   uint32_t cpu);
uint64_t lg_tracedat_pages_last_time(const struct lg_tracedat_pages *p, uint32_t buffer,
				     uint32_t cpu);

#endif
