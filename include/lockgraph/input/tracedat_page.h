/* One ring-buffer page of a trace.dat CPU, judged and decoded into its
 * events. The page and event layout is the kernel's (kernel/trace/
 * ring_buffer.c), read as libtraceevent's kbuffer reads it, but with every
 * length held against the page: kbuffer trusts them (a damaged one sends it
 * outside the page, or round in a loop). Decoding here rather than through
 * kbuffer's five calls per event is what the check costs anyway: one walk. */
#ifndef LOCKGRAPH_TRACEDAT_PAGE_H
#define LOCKGRAPH_TRACEDAT_PAGE_H

#include <stdbool.h>
#include <stdint.h>

/* The pages of one buffer: the file's byte order, its page size and the
 * size of a page header's commit word (the kernel's long). */
struct lg_page_format {
	bool big_endian;
	uint32_t page_size;
	uint32_t commit_size;	/* 4 or 8 */
};

enum lg_page_kind {
	LG_PAGE_EVENTS,		/* events (maybe none but padding) */
	LG_PAGE_EMPTY,		/* a header and no events: normal */
	LG_PAGE_ZEROED,		/* all zeros: its events were lost */
	LG_PAGE_OVERFULL,	/* commit counts more than the page holds: damaged */
	LG_PAGE_BAD_EVENT,	/* an event's length leads outside the page: damaged */
};

/* One event: its time (the page's plus the deltas before it), the offset in
 * the page of its header and of its data, and its data's size. */
struct lg_page_event {
	uint64_t ts;
	uint32_t at, data, size;
};

/* The most events a page of page_size can hold (8 bytes each at least). */
static inline uint32_t lg_page_max_events(const struct lg_page_format *f)
{
	return f->page_size / 8;
}

/*
 * Decode page: its kind; for LG_PAGE_EVENTS, *nr events into ev (room for
 * lg_page_max_events()); for events and empty pages *missed, what the page
 * says was lost before it: 0, the count, or -1 for an unknown number (as
 * kbuffer_missed_events() gives it, but for an empty page too, and whatever
 * the first event is: kbuffer says 0 after a time extend).
 * For LG_PAGE_BAD_EVENT, *bad is the offset in the page of the event whose
 * length is wrong.
 */
enum lg_page_kind lg_page_decode(const struct lg_page_format *f, const unsigned char *page,
				 struct lg_page_event *ev, uint32_t *nr, long long *missed,
				 uint32_t *bad);

#endif
