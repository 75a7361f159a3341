/* Judging and decoding one ring-buffer page; see tracedat_page.h. The
 * layout is kernel/trace/ring_buffer.c's: a page timestamp, a commit word
 * (the bytes of events, and flags for events missed before the page), then
 * events, each a 32-bit header (type_len:5, time_delta:27) and its data. */
#include <endian.h>
#include <string.h>

#include "lockgraph/input/tracedat_page.h"

#define PAGE_TIME_SIZE 8		/* before the commit word */
#define COMMIT_MASK ((1u << 27) - 1)	/* the commit word's byte count */
#define MISSED_EVENTS (1u << 31)	/* events were lost before this page */
#define MISSED_STORED (1u << 30)	/* and their count follows the data */
#define TS_SHIFT 27
#define TS_MSB (0xf8ULL << 56)		/* what an absolute time stamp keeps of the time */

/* An event header's type_len: 1..28 are data of that many words */
enum {
	TYPE_DATA_SIZED = 0,		/* data, its length in the next word */
	TYPE_PADDING = 29,
	TYPE_TIME_EXTEND = 30,
	TYPE_TIME_STAMP = 31,
};

static uint64_t word(const struct lg_page_format *f, const unsigned char *p, unsigned size)
{
	if (size == 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		return f->big_endian ? be64toh(v) : le64toh(v);
	} else {
		uint32_t v;

		memcpy(&v, p, 4);
		return f->big_endian ? be32toh(v) : le32toh(v);
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	return !p[0] && !memcmp(p, p + 1, n - 1);
}

/*
 * The events among a page's commit bytes, walked as kbuffer walks them:
 * padding (a discarded event keeps its time delta) ends the page where its
 * length would (the kernel pads a page's tail; a pad in the last word has no
 * length); a time extend adds to the time, an absolute time stamp sets it.
 */
static enum lg_page_kind walk(const struct lg_page_format *f, const unsigned char *data,
			      uint32_t start, uint32_t commit, uint64_t ts,
			      struct lg_page_event *ev, uint32_t *nr, uint32_t *bad)
{
	uint32_t pos = 0;

	*nr = 0;
	while (pos < commit) {
		uint32_t left = commit - pos, header, type, delta, len;

		*bad = start + pos;
		if (left < 4)
			return LG_PAGE_BAD_EVENT;
		header = word(f, data + pos, 4);
		type = f->big_endian ? header >> 27 : header & 31;
		delta = f->big_endian ? header & ((1u << TS_SHIFT) - 1) : header >> 5;
		if (type == TYPE_PADDING) {
			if (left < 8)
				return LG_PAGE_EVENTS;
			len = word(f, data + pos + 4, 4);
			if ((int32_t)len < 0)
				return LG_PAGE_BAD_EVENT;
			if (len >= left - 4)
				return LG_PAGE_EVENTS;
			ts += delta;
			pos += 4 + len;
			continue;
		}
		if (type == TYPE_TIME_EXTEND || type == TYPE_TIME_STAMP) {
			uint64_t t;

			if (left < 8)
				return LG_PAGE_BAD_EVENT;
			t = (word(f, data + pos + 4, 4) << TS_SHIFT) + delta;
			ts = type == TYPE_TIME_STAMP ? t | (ts & TS_MSB) : ts + t;
			pos += 8;
			continue;
		}
		if (type == TYPE_DATA_SIZED) {
			if (left < 8)
				return LG_PAGE_BAD_EVENT;
			len = word(f, data + pos + 4, 4);
			if (len < 4 || ((len - 4 + 3) & ~3u) > left - 8)
				return LG_PAGE_BAD_EVENT;
			len = (len - 4 + 3) & ~3u;
			ev[*nr] = (struct lg_page_event){ ts + delta, start + pos, start + pos + 8, len };
			pos += 8 + len;
		} else {
			if (type * 4 > left - 4)
				return LG_PAGE_BAD_EVENT;
			ev[*nr] = (struct lg_page_event){ ts + delta, start + pos, start + pos + 4,
							  type * 4 };
			pos += 4 + type * 4;
		}
		ts += delta;
		(*nr)++;
	}
	return LG_PAGE_EVENTS;
}

enum lg_page_kind lg_page_decode(const struct lg_page_format *f, const unsigned char *page,
				 struct lg_page_event *ev, uint32_t *nr, long long *missed,
				 uint32_t *bad)
{
	uint32_t start = PAGE_TIME_SIZE + f->commit_size;
	uint64_t flags = word(f, page + PAGE_TIME_SIZE, f->commit_size);
	uint32_t commit = flags & COMMIT_MASK;
	uint32_t stored = flags & MISSED_STORED ? f->commit_size : 0;

	*nr = 0;
	*missed = 0;
	if ((uint64_t)commit + stored > f->page_size - start)
		return LG_PAGE_OVERFULL;
	if (flags & MISSED_EVENTS)
		*missed = stored ? (long long)word(f, page + start + commit, f->commit_size) : -1;
	if (!commit)
		return all_zero(page, f->page_size) ? LG_PAGE_ZEROED : LG_PAGE_EMPTY;
	return walk(f, page + start, start, commit, word(f, page, 8), ev, nr, bad);
}
