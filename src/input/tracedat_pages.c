/* Walking a trace.dat's pages before libtracecmd does, and following its
 * records through them; see tracedat_pages.h. The ring buffer's page and
 * event layout is the kernel's (kernel/trace/ring_buffer.c), read as
 * libtraceevent's kbuffer-parse.c reads it. */
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockgraph/input/tracedat_pages.h"
#include "lockgraph/lib/util.h"

#define PAGE_TIME_SIZE 8		/* before the commit word */
#define COMMIT_MASK ((1u << 27) - 1)	/* the commit word's byte count */
#define MISSED_STORED (1u << 30)	/* a count of missed events follows the data */
#define SCAN_BYTES (1u << 20)		/* read at a time */

/* An event header's type_len: 1..28 are data of that many words */
enum {
	TYPE_DATA_SIZED = 0,		/* data, its length in the next word */
	TYPE_PADDING = 29,
	TYPE_TIME_EXTEND = 30,
	TYPE_TIME_STAMP = 31,
};

enum page_kind { PAGE_EVENTS, PAGE_EMPTY, PAGE_ZEROED, PAGE_OVERFULL };

struct lg_cpu_pages {
	uint64_t start, end;	/* its data in the file */
	uint64_t next;		/* the first page not yet accounted for */
	uint64_t last_page;	/* of the last record, UINT64_MAX before one */
	uint64_t last_time;
	uint64_t records;	/* delivered */
	uint64_t held;		/* in its pages, by the scan */
};

struct scan {
	struct lg_tracedat_pages *p;
	int fd;
	unsigned char *buf;
	struct lg_error *err;
};

static int pread_all(int fd, void *buf, size_t n, uint64_t offset)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, offset + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

static uint64_t word(const struct lg_tracedat_layout *l, const unsigned char *p, unsigned size)
{
	if (size == 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		return l->big_endian ? be64toh(v) : le64toh(v);
	} else {
		uint32_t v;

		memcpy(&v, p, 4);
		return l->big_endian ? be32toh(v) : le32toh(v);
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	return !p[0] && !memcmp(p, p + 1, n - 1);
}

static uint32_t data_offset(const struct lg_tracedat_layout *l)
{
	return PAGE_TIME_SIZE + l->commit_size;
}

static enum page_kind judge(const struct lg_tracedat_layout *l, const unsigned char *page,
			    uint32_t *commit)
{
	uint64_t c = word(l, page + PAGE_TIME_SIZE, l->commit_size);
	uint32_t room = l->page_size - data_offset(l);

	*commit = c & COMMIT_MASK;
	if ((uint64_t)*commit + (c & MISSED_STORED ? l->commit_size : 0) > room)
		return PAGE_OVERFULL;
	if (*commit)
		return PAGE_EVENTS;
	return all_zero(page, l->page_size) ? PAGE_ZEROED : PAGE_EMPTY;
}

/*
 * The records among a page's commit bytes of events, walked as kbuffer
 * walks them; -1 with *bad at the event whose length would send kbuffer
 * past the page or backwards. Padding ends the page where its length
 * would (the kernel pads a page's tail; a pad in the last word has no
 * length).
 */
static int64_t walk(const struct lg_tracedat_layout *l, const unsigned char *data,
		    uint32_t commit, uint32_t *bad)
{
	int64_t records = 0;
	uint32_t pos = 0;

	while (pos < commit) {
		uint32_t left = commit - pos, header, type, len;

		*bad = pos;
		if (left < 4)
			return -1;
		header = word(l, data + pos, 4);
		type = l->big_endian ? header >> 27 : header & 31;
		if (type == TYPE_PADDING) {
			if (left < 8)
				return records;
			len = word(l, data + pos + 4, 4);
			if ((int32_t)len < 0)
				return -1;
			if (len >= left - 4)
				return records;
			pos += 4 + len;
		} else if (type == TYPE_TIME_EXTEND || type == TYPE_TIME_STAMP) {
			if (left < 8)
				return -1;
			pos += 8;
		} else if (type == TYPE_DATA_SIZED) {
			if (left < 8)
				return -1;
			len = word(l, data + pos + 4, 4);
			if (len < 4 || ((len - 4 + 3) & ~3u) > left - 8)
				return -1;
			pos += 8 + ((len - 4 + 3) & ~3u);
			records++;
		} else {
			if (type * 4 > left - 4)
				return -1;
			pos += 4 + type * 4;
			records++;
		}
	}
	return records;
}

static int scan_page(struct scan *s, uint32_t cpu, struct lg_cpu_pages *k,
		     const unsigned char *page, uint64_t at)
{
	const struct lg_tracedat_layout *l = s->p->layout;
	uint32_t commit, bad;
	int64_t records;

	switch (judge(l, page, &commit)) {
	case PAGE_OVERFULL:
		return lg_fail(s->err, EINVAL, "%s: CPU %u, offset %llu%s: a damaged page (its "
			       "header counts more bytes of events than a page of %u holds)",
			       s->p->path, cpu, (unsigned long long)at, s->p->offsets_of,
			       l->page_size);
	case PAGE_EVENTS:
		records = walk(l, page + data_offset(l), commit, &bad);
		if (records < 0)
			return lg_fail(s->err, EINVAL, "%s: CPU %u, offset %llu%s: a damaged page "
				       "(an event's length leads outside the page)", s->p->path,
				       cpu, (unsigned long long)(at + data_offset(l) + bad),
				       s->p->offsets_of);
		k->held += records;
		return 0;
	default:
		return 0;
	}
}

static int scan_cpu(struct scan *s, uint32_t cpu, struct lg_cpu_pages *k, size_t chunk)
{
	uint32_t page_size = s->p->layout->page_size;

	for (uint64_t at = k->start; at < k->end; at += chunk) {
		size_t n = k->end - at < chunk ? k->end - at : chunk;

		if (pread_all(s->fd, s->buf, n, at))
			return lg_fail(s->err, EIO, "%s: CPU %u: cannot read its data at offset "
				       "%llu%s: %s", s->p->path, cpu, (unsigned long long)at,
				       s->p->offsets_of, errno ? strerror(errno) : "end of file");
		for (size_t off = 0; off < n; off += page_size)
			if (scan_page(s, cpu, k, s->buf + off, at + off))
				return -EINVAL;
	}
	return 0;
}

int lg_tracedat_pages_scan(struct lg_tracedat_pages *p, const struct lg_tracedat_layout *l,
			   int fd, const char *path, const char *offsets_of,
			   struct lg_error *err)
{
	size_t chunk = l->page_size < SCAN_BYTES ? SCAN_BYTES / l->page_size * l->page_size :
			l->page_size;
	struct scan s = { .p = p, .fd = fd, .err = err };
	int ret = 0;

	*p = (struct lg_tracedat_pages){ .layout = l, .fd = fd, .path = path,
					 .offsets_of = offsets_of };
	p->cpus = lg_xcalloc(l->nr_buffers ? l->nr_buffers : 1, sizeof(*p->cpus));
	s.buf = lg_xmalloc(chunk);
	for (uint32_t b = 0; b < l->nr_buffers; b++) {
		const struct lg_tracedat_buffer *buf = &l->buffers[b];

		p->cpus[b] = lg_xcalloc(buf->nr_cpus ? buf->nr_cpus : 1, sizeof(**p->cpus));
		for (uint32_t c = 0; c < buf->nr_cpus; c++) {
			struct lg_cpu_pages *k = &p->cpus[b][c];

			*k = (struct lg_cpu_pages){ .start = buf->cpus[c].offset,
						    .end = buf->cpus[c].offset + buf->cpus[c].size,
						    .next = buf->cpus[c].offset,
						    .last_page = UINT64_MAX };
			if (!ret)
				ret = scan_cpu(&s, buf->cpus[c].cpu, k, chunk);
		}
	}
	free(s.buf);
	return ret;
}

void lg_tracedat_pages_release(struct lg_tracedat_pages *p)
{
	if (!p->cpus)
		return;
	for (uint32_t b = 0; b < p->layout->nr_buffers; b++)
		free(p->cpus[b]);
	free(p->cpus);
	p->cpus = NULL;
}

static struct lg_cpu_pages *cpu_of(const struct lg_tracedat_pages *p, uint32_t buffer,
				   uint32_t cpu)
{
	if (!p->cpus || buffer >= p->layout->nr_buffers ||
	    cpu >= p->layout->buffers[buffer].nr_cpus)
		return NULL;
	return &p->cpus[buffer][cpu];
}

/* The pages [k->next, to) that gave no record: empty ones are normal, a
 * zeroed one lost its events (the scan has refused any other kind). */
static int passed_over(struct lg_tracedat_pages *p, uint32_t cpu, struct lg_cpu_pages *k,
		       uint64_t to, struct lg_error *err)
{
	uint32_t page_size = p->layout->page_size, commit;
	unsigned char *page = NULL;
	int zeroed = 0;

	for (; k->next < to; k->next += page_size) {
		if (!page)
			page = lg_xmalloc(page_size);
		if (pread_all(p->fd, page, page_size, k->next)) {
			free(page);
			return lg_fail(err, EIO, "%s: CPU %u, offset %llu%s: cannot read the page",
				       p->path, cpu, (unsigned long long)k->next, p->offsets_of);
		}
		zeroed += judge(p->layout, page, &commit) == PAGE_ZEROED;
	}
	free(page);
	return zeroed;
}

int lg_tracedat_pages_record(struct lg_tracedat_pages *p, uint32_t buffer, uint32_t cpu,
			     uint64_t offset, uint64_t ts, struct lg_error *err)
{
	struct lg_cpu_pages *k = cpu_of(p, buffer, cpu);
	uint64_t page = offset & ~(uint64_t)(p->layout ? p->layout->page_size - 1 : 0);
	int zeroed = 0;

	if (!k)
		return 0;
	if (page != k->last_page) {
		if (page >= k->next && (zeroed = passed_over(p, cpu, k, page, err)) < 0)
			return zeroed;
		k->last_page = page;
		k->next = page + p->layout->page_size;
	}
	if (ts < k->last_time)
		return lg_fail(err, EINVAL, "%s: CPU %u, offset %llu%s: time goes back from %llu "
			       "to %llu within the CPU's buffer (a damaged page?)", p->path, cpu,
			       (unsigned long long)offset, p->offsets_of,
			       (unsigned long long)k->last_time, (unsigned long long)ts);
	k->last_time = ts;
	k->records++;
	return zeroed;
}

int lg_tracedat_pages_tail(struct lg_tracedat_pages *p, uint32_t buffer, uint32_t cpu,
			   struct lg_error *err)
{
	struct lg_cpu_pages *k = cpu_of(p, buffer, cpu);
	int zeroed;

	if (!k)
		return 0;
	zeroed = passed_over(p, cpu, k, k->end, err);
	if (zeroed >= 0 && k->records != k->held)
		return lg_fail(err, EINVAL, "%s: CPU %u: libtracecmd read %llu events of the %llu "
			       "its pages hold", p->path, cpu, (unsigned long long)k->records,
			       (unsigned long long)k->held);
	return zeroed;
}

uint64_t lg_tracedat_pages_records(const struct lg_tracedat_pages *p, uint32_t buffer,
				   uint32_t cpu)
{
	const struct lg_cpu_pages *k = cpu_of(p, buffer, cpu);

	return k ? k->records : 0;
}

uint64_t lg_tracedat_pages_last_time(const struct lg_tracedat_pages *p, uint32_t buffer,
				     uint32_t cpu)
{
	const struct lg_cpu_pages *k = cpu_of(p, buffer, cpu);

	return k ? k->last_time : 0;
}
