/* Reading one CPU's data of a trace.dat a block at a time; see
 * tracedat_stream.h. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "lockgraph/input/tracedat_stream.h"
#include "lockgraph/lib/util.h"

/* trace-cmd writes chunks of 10 pages; a larger claim than this is damage */
#define MAX_CHUNK_BYTES (64u << 20)

static int pread_all(int fd, void *buf, size_t n, uint64_t offset)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, offset + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		done += r;
	}
	return 0;
}

static uint32_t u32_of(const struct lg_tracedat_stream *s, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return s->format.big_endian ? be32toh(v) : le32toh(v);
}

static int read_failed(struct lg_tracedat_stream *s, struct lg_tracedat_block *b, int ret,
		       uint64_t at)
{
	return b->error = lg_fail(&b->err, EIO, "%s: CPU %u: cannot read its data at offset "
				  "%llu: %s", s->path, s->cpu, (unsigned long long)at,
				  ret == -EIO ? "end of file" : strerror(-ret));
}

static void reserve(unsigned char **buf, uint64_t *alloc, uint64_t n)
{
	if (n > *alloc) {
		*buf = lg_xrealloc(*buf, n);
		*alloc = n;
	}
}

/* v6: the next block_bytes of pages. */
static int read_pages(struct lg_tracedat_stream *s, struct lg_tracedat_block *b, uint64_t *n)
{
	int ret;

	*n = s->end - s->pos < s->block_bytes ? s->end - s->pos : s->block_bytes;
	reserve(&b->pages, &b->alloc_pages, *n);
	if ((ret = pread_all(s->fd, b->pages, *n, s->pos)))
		return read_failed(s, b, ret, s->pos);
	s->pos += *n;
	return 0;
}

/* v7: one chunk, decompressed after the n bytes of pages the block has. */
static int read_chunk(struct lg_tracedat_stream *s, struct lg_tracedat_block *b, uint64_t *n)
{
	unsigned char head[8];
	uint32_t csize, usize;
	uint64_t at = s->pos;
	size_t got;
	int ret;

	if ((ret = pread_all(s->fd, head, sizeof(head), at)))
		return read_failed(s, b, ret, at);
	csize = u32_of(s, head);
	usize = u32_of(s, head + 4);
	if (!csize || csize > s->end - at - 8 || !usize || usize % s->format.page_size ||
	    usize > MAX_CHUNK_BYTES)
		return b->error = lg_fail(&b->err, EINVAL, "%s: CPU %u, chunk %u at offset %llu: "
					  "claims %u compressed bytes for %u bytes of pages of "
					  "%u (at most %u)", s->path, s->cpu, s->chunk,
					  (unsigned long long)at, csize, usize,
					  s->format.page_size, MAX_CHUNK_BYTES);
	reserve(&s->compressed_buf, &s->alloc_compressed, csize);
	reserve(&b->pages, &b->alloc_pages, *n + usize);
	if ((ret = pread_all(s->fd, s->compressed_buf, csize, at + 8)))
		return read_failed(s, b, ret, at + 8);
	got = ZSTD_decompressDCtx(s->zstd, b->pages + *n, usize, s->compressed_buf, csize);
	if (ZSTD_isError(got))
		return b->error = lg_fail(&b->err, EINVAL, "%s: CPU %u, chunk %u at offset %llu: "
					  "cannot decompress it (zstd: %s)", s->path, s->cpu,
					  s->chunk, (unsigned long long)at, ZSTD_getErrorName(got));
	if (got != usize)
		return b->error = lg_fail(&b->err, EINVAL, "%s: CPU %u, chunk %u at offset %llu: "
					  "decompresses to %zu bytes, not the %u it claims",
					  s->path, s->cpu, s->chunk, (unsigned long long)at, got,
					  usize);
	s->pos = at + 8 + csize;
	s->chunk++;
	*n += usize;
	return 0;
}

static int load(struct lg_tracedat_stream *s, struct lg_tracedat_block *b, uint64_t *n)
{
	*n = 0;
	if (!s->compressed)
		return read_pages(s, b, n);
	while (s->chunk < s->chunks && *n < s->block_bytes)
		if (read_chunk(s, b, n))
			return b->error;
	return 0;
}

static bool at_end(const struct lg_tracedat_stream *s)
{
	return s->compressed ? s->chunk >= s->chunks : s->pos >= s->end;
}

static int damaged(struct lg_tracedat_stream *s, struct lg_tracedat_block *b, uint64_t at,
		   const char *why)
{
	return b->error = lg_fail(&b->err, EINVAL, "%s: CPU %u, offset %llu%s: %s", s->path,
				  s->cpu, (unsigned long long)at,
				  s->compressed ? " of its decompressed data" : "", why);
}

static int add_records(struct lg_tracedat_stream *s, struct lg_tracedat_block *b,
		       const unsigned char *page, uint64_t offset, uint32_t nr)
{
	if (b->nr + nr > b->alloc_recs) {
		while (b->nr + nr > b->alloc_recs)
			b->alloc_recs = b->alloc_recs ? 2 * b->alloc_recs : 1024;
		b->recs = lg_xrealloc(b->recs, b->alloc_recs * sizeof(*b->recs));
	}
	for (uint32_t i = 0; i < nr; i++) {
		const struct lg_page_event *e = &s->events[i];
		struct lg_stream_record *r = &b->recs[b->nr++];

		if (s->started && e->ts < s->last_ts) {
			char why[128];

			snprintf(why, sizeof(why), "time goes back from %llu to %llu within the "
				 "CPU's buffer (a damaged page?)", (unsigned long long)s->last_ts,
				 (unsigned long long)e->ts);
			return damaged(s, b, offset + e->at, why);
		}
		*r = (struct lg_stream_record){ .ts = e->ts, .offset = offset + e->at,
						.data = page + e->data, .size = e->size,
						.zeroed = s->zeroed, .missed = s->missed };
		s->started = true;
		s->last_ts = e->ts;
		s->zeroed = 0;
		s->missed = 0;
	}
	return 0;
}

/* A second loss before a record: counts add up, unless one is unknown. */
static void add_missed(struct lg_tracedat_stream *s, long long missed)
{
	if (missed)
		s->missed = s->missed < 0 || missed < 0 ? -1 : s->missed + missed;
}

static int decode_page(struct lg_tracedat_stream *s, struct lg_tracedat_block *b,
		       const unsigned char *page)
{
	char why[128];
	uint32_t nr, bad;
	long long missed;

	switch (lg_page_decode(&s->format, page, s->events, &nr, &missed, &bad)) {
	case LG_PAGE_OVERFULL:
		snprintf(why, sizeof(why), "a damaged page (its header counts more bytes of "
			 "events than a page of %u holds)", s->format.page_size);
		return damaged(s, b, s->offset, why);
	case LG_PAGE_BAD_EVENT:
		return damaged(s, b, s->offset + bad, "a damaged page (an event's length leads "
			       "outside the page)");
	case LG_PAGE_ZEROED:
		s->zeroed++;
		return 0;
	case LG_PAGE_EMPTY:
	case LG_PAGE_EVENTS:
		add_missed(s, missed);
		return add_records(s, b, page, s->offset, nr);
	}
	return 0;
}

void lg_tracedat_stream_fill(struct lg_tracedat_stream *s, struct lg_tracedat_block *b)
{
	uint64_t n;

	b->nr = 0;
	b->error = 0;
	b->end = false;
	if (load(s, b, &n))
		return;
	for (uint64_t off = 0; off < n; off += s->format.page_size, s->offset += s->format.page_size)
		if (decode_page(s, b, b->pages + off))
			return;
	if ((b->end = at_end(s))) {
		b->tail_zeroed = s->zeroed;
		b->tail_missed = s->missed;
	}
}

int lg_tracedat_stream_init(struct lg_tracedat_stream *s, int fd, const char *path,
			    uint32_t cpu, const struct lg_page_format *format, bool compressed,
			    uint64_t offset, uint64_t size, uint64_t block_bytes,
			    struct lg_error *err)
{
	*s = (struct lg_tracedat_stream){ .fd = fd, .path = path, .cpu = cpu, .format = *format,
					  .compressed = compressed, .pos = offset,
					  .end = offset + size, .offset = offset };
	s->block_bytes = block_bytes / format->page_size * format->page_size;
	if (!s->block_bytes)
		s->block_bytes = format->page_size;
	s->events = lg_xmalloc(lg_page_max_events(format) * sizeof(*s->events));
	if (!compressed)
		return 0;
	s->offset = 0;
	s->end += 4;		/* the table's size leaves out the chunk count */
	if (size) {
		unsigned char count[4];
		int ret = pread_all(fd, count, sizeof(count), offset);

		if (ret)
			return lg_fail(err, EIO, "%s: CPU %u: cannot read its chunk count at offset "
				       "%llu: %s", path, cpu, (unsigned long long)offset,
				       ret == -EIO ? "end of file" : strerror(-ret));
		s->chunks = u32_of(s, count);
		s->pos += 4;
	}
	s->zstd = lg_xcheck(ZSTD_createDCtx());
	return 0;
}

void lg_tracedat_stream_release(struct lg_tracedat_stream *s)
{
	ZSTD_freeDCtx(s->zstd);
	free(s->compressed_buf);
	free(s->events);
	s->zstd = NULL;
	s->compressed_buf = NULL;
	s->events = NULL;
}

void lg_tracedat_block_release(struct lg_tracedat_block *b)
{
	free(b->pages);
	free(b->recs);
	b->pages = NULL;
	b->recs = NULL;
}
