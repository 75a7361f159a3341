/* Reading a trace.dat's sections and CPU tables by their documented layout,
 * every size and offset held against the file's end: see tracedat_layout.h. */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zstd.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/tracedat_layout.h"
#include "lockgraph/lib/util.h"

/* trace-cmd's option ids (trace-cmd.dat.v7(5)); a v7 section has its option's id */
enum {
	OPTION_DONE = 0,
	OPTION_BUFFER = 3,
	OPTION_HEADER_INFO = 16,
	OPTION_CMDLINES = 21,	/* 16..21: the offset of a metadata section */
};

#define SECTION_COMPRESSED 1
#define MAX_OPTION_SECTIONS 4096	/* no writer makes more: a bound on a loop */

#define PAGE_TIME_SIZE 8	/* a page header's time stamp, before its commit word */
#define MAX_HEADER_INFO (1u << 20)	/* header_page and header_event: a few KiB */

/* A read position inside [pos, end) of the file (or of mem, a section
 * decompressed), and what is being read there. */
struct cursor {
	int fd;
	const unsigned char *mem;
	const char *path;
	struct lg_tracedat_layout *l;
	uint64_t pos, end;
	char what[96];
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

static int overrun(struct cursor *c, uint64_t n)
{
	if (c->end == c->l->file_size)
		return lg_fail(c->err, EINVAL, "%s: truncated: %s needs %llu bytes at offset %llu "
			       "but the file ends at %llu", c->path, c->what,
			       (unsigned long long)n, (unsigned long long)c->pos,
			       (unsigned long long)c->l->file_size);
	return lg_fail(c->err, EINVAL, "%s: offset %llu: %s runs past its end at %llu "
		       "(a corrupted size?)", c->path, (unsigned long long)c->pos, c->what,
		       (unsigned long long)c->end);
}

static int too_many_cpus(struct cursor *c, uint32_t cpus)
{
	return lg_fail(c->err, EINVAL, "%s: offset %llu: %s counts %u CPUs, and no kernel has "
		       "more than %d", c->path, (unsigned long long)c->pos - 4, c->what, cpus,
		       LG_MAX_CPUS);
}

static int read_error(struct cursor *c)
{
	return lg_fail(c->err, EIO, "%s: cannot read %s at offset %llu: %s", c->path, c->what,
		       (unsigned long long)c->pos, errno ? strerror(errno) : "end of file");
}

static int read_at(const struct cursor *c, void *buf, size_t n, uint64_t pos)
{
	if (c->mem) {
		memcpy(buf, c->mem + pos, n);
		return 0;
	}
	return pread_all(c->fd, buf, n, pos);
}

static int skip(struct cursor *c, uint64_t n)
{
	if (n > c->end - c->pos)
		return overrun(c, n);
	c->pos += n;
	return 0;
}

static int take(struct cursor *c, void *buf, uint64_t n)
{
	if (n > c->end - c->pos)
		return overrun(c, n);
	if (read_at(c, buf, n, c->pos))
		return read_error(c);
	c->pos += n;
	return 0;
}

static int take_u16(struct cursor *c, uint16_t *v)
{
	int ret = take(c, v, sizeof(*v));

	*v = c->l->big_endian ? be16toh(*v) : le16toh(*v);
	return ret;
}

static int take_u32(struct cursor *c, uint32_t *v)
{
	int ret = take(c, v, sizeof(*v));

	*v = c->l->big_endian ? be32toh(*v) : le32toh(*v);
	return ret;
}

static int take_u64(struct cursor *c, uint64_t *v)
{
	int ret = take(c, v, sizeof(*v));

	*v = c->l->big_endian ? be64toh(*v) : le64toh(*v);
	return ret;
}

/* A NUL-terminated string, kept (cut to fit, and anything unprintable as
 * '?', since messages quote it) in out[size]. */
static int take_string(struct cursor *c, char *out, size_t size)
{
	size_t len = 0;

	for (;;) {
		char chunk[256], *nul;
		size_t n = c->end - c->pos < sizeof(chunk) ? c->end - c->pos : sizeof(chunk);
		size_t used, keep;

		if (!n)
			return overrun(c, 1);
		if (read_at(c, chunk, n, c->pos))
			return read_error(c);
		nul = memchr(chunk, '\0', n);
		used = nul ? (size_t)(nul - chunk) : n;
		keep = used < size - 1 - len ? used : size - 1 - len;
		memcpy(out + len, chunk, keep);
		len += keep;
		c->pos += used + !!nul;
		if (nul)
			break;
	}
	out[len] = '\0';
	for (char *p = out; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
	return 0;
}

static void name_section(struct cursor *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void name_section(struct cursor *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->what, sizeof(c->what), fmt, ap);
	va_end(ap);
}

static int expect(struct cursor *c, const char *tag, size_t len)
{
	char buf[16];
	uint64_t at = c->pos;
	int ret = take(c, buf, len);

	if (ret)
		return ret;
	if (memcmp(buf, tag, len))
		return lg_fail(c->err, EINVAL, "%s: offset %llu: expected \"%s\" to start %s",
			       c->path, (unsigned long long)at, tag, c->what);
	return 0;
}

/* The number after "name:" in "field: ... commit; offset:8; size:8; ...". */
static long header_field(const char *text, const char *field, const char *name)
{
	const char *f = strstr(text, field), *v;

	if (!f || !(v = strstr(f, name)))
		return -1;
	return strtol(v + strlen(name), NULL, 10);
}

/*
 * The kernel's page header format (events/header_page): kbuffer reads a page
 * as an 8-byte time stamp and a commit word of this size, then the events;
 * the data field's offset and size add up to the page size.
 */
static int read_header_page(struct cursor *c)
{
	uint64_t size, at;
	char text[2048];
	long commit, data_offset, data_size;

	name_section(c, "the page header format (header_page)");
	if (expect(c, "header_page", 12) || take_u64(c, &size))
		return -EINVAL;
	at = c->pos;
	if (size >= sizeof(text))
		return skip(c, size);	/* not the kernel's: libtraceevent will say */
	if (take(c, text, size))
		return -EINVAL;
	text[size] = '\0';
	commit = header_field(text, " commit;", "size:");
	data_offset = header_field(text, " data;", "offset:");
	data_size = header_field(text, " data;", "size:");
	if (commit != 4 && commit != 8)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: the page header format has no "
			       "commit word of 4 or 8 bytes", c->path, (unsigned long long)at);
	if (data_offset == PAGE_TIME_SIZE + commit && data_size > 0 &&
	    (uint64_t)(data_offset + data_size) != c->l->page_size)
		return lg_fail(c->err, EINVAL, "%s: the header says pages of %u bytes, the kernel's "
			       "page header format pages of %ld (a corrupted page size?)",
			       c->path, c->l->page_size, data_offset + data_size);
	c->l->commit_size = commit;
	return 0;
}

static int skip_sized(struct cursor *c, int width)
{
	uint32_t size32;
	uint64_t size;

	if (width == 4) {
		if (take_u32(c, &size32))
			return -EINVAL;
		size = size32;
	} else if (take_u64(c, &size)) {
		return -EINVAL;
	}
	return skip(c, size);
}

/* A count, then that many files each with its 8-byte size. */
static int skip_files(struct cursor *c)
{
	uint32_t n;

	if (take_u32(c, &n))
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++)
		if (skip_sized(c, 8))
			return -EINVAL;
	return 0;
}

static int skip_event_systems(struct cursor *c)
{
	char name[64];
	uint32_t n;

	name_section(c, "the event formats");
	if (take_u32(c, &n))
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		if (take_string(c, name, sizeof(name)))
			return -EINVAL;
		name_section(c, "the event formats of system %s", name);
		if (skip_files(c))
			return -EINVAL;
	}
	return 0;
}

static struct lg_tracedat_buffer *add_buffer(struct lg_tracedat_layout *l, const char *name)
{
	struct lg_tracedat_buffer *b;

	l->buffers = lg_xrealloc(l->buffers, (l->nr_buffers + 1) * sizeof(*l->buffers));
	b = &l->buffers[l->nr_buffers++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->page_size = l->page_size;
	return b;
}

/* Version 6 options: id and size each, until id 0; BUFFER gives an
 * instance's offset and name. */
static int read_v6_options(struct cursor *c, bool top)
{
	for (;;) {
		uint16_t id;
		uint32_t size;
		uint64_t start;

		name_section(c, "the options");
		if (take_u16(c, &id))
			return -EINVAL;
		if (id == OPTION_DONE)
			return 0;
		if (take_u32(c, &size))
			return -EINVAL;
		start = c->pos;
		if (id == OPTION_BUFFER && top) {
			struct cursor o = *c;
			uint64_t offset;
			char name[64];

			o.end = start + size < c->end ? start + size : c->end;
			name_section(&o, "a BUFFER option");
			if (take_u64(&o, &offset) || take_string(&o, name, sizeof(name)))
				return -EINVAL;
			add_buffer(c->l, name)->offset = offset;
		}
		c->pos = start;
		if (skip(c, size))
			return -EINVAL;
	}
}

/* Options, then "flyrecord" and the table of each CPU's offset and size
 * ("latency": text, no CPU data). */
static int read_v6_cpus(struct cursor *c, uint32_t buffer, uint32_t cpus)
{
	bool top = !buffer;
	struct lg_tracedat_buffer *b;
	char kind[10];

	if (cpus > LG_MAX_CPUS)
		return too_many_cpus(c, cpus);
	name_section(c, "the options");
	if (take(c, kind, sizeof(kind)))
		return -EINVAL;
	if (!memcmp(kind, "options  ", sizeof(kind))) {
		if (read_v6_options(c, top) || take(c, kind, sizeof(kind)))
			return -EINVAL;
	}
	if (!memcmp(kind, "latency  ", sizeof(kind)))
		return 0;
	if (memcmp(kind, "flyrecord", sizeof(kind)))
		return lg_fail(c->err, EINVAL, "%s: offset %llu: expected \"flyrecord\" before the "
			       "table of CPU data", c->path, (unsigned long long)c->pos - 10);
	name_section(c, "the table of CPU data");
	b = &c->l->buffers[buffer];	/* after the options have added instances */
	b->cpus = lg_xcalloc(cpus ? cpus : 1, sizeof(*b->cpus));
	for (uint32_t i = 0; i < cpus; i++) {
		b->cpus[i].cpu = i;
		if (take_u64(c, &b->cpus[i].offset) || take_u64(c, &b->cpus[i].size))
			return -EINVAL;
		b->nr_cpus++;
	}
	b->data_start = c->pos;
	return 0;
}

static int read_v6(struct cursor *c)
{
	struct lg_tracedat_layout *l = c->l;
	uint32_t cpus;

	if (read_header_page(c))
		return -EINVAL;
	name_section(c, "the event header format (header_event)");
	if (expect(c, "header_event", 13) || skip_sized(c, 8))
		return -EINVAL;
	name_section(c, "the ftrace event formats");
	if (skip_files(c) || skip_event_systems(c))
		return -EINVAL;
	name_section(c, "kallsyms");
	if (skip_sized(c, 4))
		return -EINVAL;
	name_section(c, "the printk formats");
	if (skip_sized(c, 4))
		return -EINVAL;
	name_section(c, "the command lines");
	if (skip_sized(c, 8))
		return -EINVAL;
	name_section(c, "the CPU count");
	if (take_u32(c, &cpus))
		return -EINVAL;
	add_buffer(l, "")->offset = c->pos;
	if (read_v6_cpus(c, 0, cpus))
		return -EINVAL;
	for (uint32_t i = 1; i < l->nr_buffers; i++) {
		c->pos = l->buffers[i].offset;
		c->end = l->file_size;
		if (c->pos > c->end) {
			name_section(c, "buffer instance %s", l->buffers[i].name);
			return overrun(c, 1);
		}
		if (read_v6_cpus(c, i, cpus))
			return -EINVAL;
	}
	return 0;
}

/* A v7 section header: id, flags, description string id, size. */
static int take_section_header(struct cursor *c, uint16_t want, uint16_t *flags,
			       uint64_t *size)
{
	uint64_t at = c->pos;
	uint16_t id;
	uint32_t description;

	if (take_u16(c, &id) || take_u16(c, flags) || take_u32(c, &description) ||
	    take_u64(c, size))
		return -EINVAL;
	if (id != want)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: %s should start a section of id "
			       "%u, not %u", c->path, (unsigned long long)at, c->what, want, id);
	if (*size > c->end - c->pos)
		return overrun(c, *size);
	return 0;
}

/* A metadata section an option points to: there, of its id, within the file. */
/*
 * A version 7 file's header formats compressed (as trace-cmd writes them):
 * the page header format is read from their decompressed copy, offsets in
 * messages being in that copy.
 */
static int read_compressed_header_page(struct cursor *c, uint32_t csize, uint32_t usize)
{
	uint64_t at = c->pos;
	unsigned char *packed, *plain;
	struct cursor m = *c;
	size_t got;
	int ret;

	if (csize > c->end - c->pos)
		return overrun(c, csize);
	if (usize > MAX_HEADER_INFO)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: %s claims %u bytes decompressed, "
			       "more than any kernel's header formats", c->path,
			       (unsigned long long)at, c->what, usize);
	packed = lg_xmalloc(csize);
	plain = lg_xmalloc(usize);
	if (take(c, packed, csize)) {
		ret = -EINVAL;
	} else if (ZSTD_isError(got = ZSTD_decompress(plain, usize, packed, csize)) ||
		   got != usize) {
		ret = lg_fail(c->err, EINVAL, "%s: offset %llu: %s cannot be decompressed (%s)",
			      c->path, (unsigned long long)at, c->what,
			      ZSTD_isError(got) ? ZSTD_getErrorName(got) : "a wrong size");
	} else {
		m.mem = plain;
		m.pos = 0;
		m.end = usize;
		ret = read_header_page(&m);
		if (ret)
			snprintf(c->err->msg + strlen(c->err->msg),
				 sizeof(c->err->msg) - strlen(c->err->msg),
				 " (in the header formats compressed at offset %llu)",
				 (unsigned long long)at);
	}
	free(packed);
	free(plain);
	return ret;
}

static int check_section(struct cursor *c, uint16_t id, uint64_t offset)
{
	struct cursor s = *c;
	uint16_t flags;
	uint64_t size;

	s.pos = offset;
	s.end = c->l->file_size;
	name_section(&s, "the section that option %u points to", id);
	if (offset > s.end)
		return overrun(&s, 16);
	if (take_section_header(&s, id, &flags, &size))
		return -EINVAL;
	if (flags & SECTION_COMPRESSED) {
		uint32_t csize, usize;

		s.end = s.pos + size;
		if (take_u32(&s, &csize) || take_u32(&s, &usize))
			return -EINVAL;
		if (id == OPTION_HEADER_INFO && !strcmp(c->l->compression, "zstd"))
			return read_compressed_header_page(&s, csize, usize);
		if (skip(&s, csize))
			return -EINVAL;
	} else if (id == OPTION_HEADER_INFO) {
		return read_header_page(&s);
	}
	return 0;
}

/* BUFFER: section offset, name, clock, page size, CPU count, then each CPU's
 * id, offset and size. */
static int read_v7_buffer_option(struct cursor *c)
{
	uint64_t offset;
	uint32_t page_size, cpus;
	char name[64], clock[64];
	struct lg_tracedat_buffer *b;

	name_section(c, "a BUFFER option");
	if (take_u64(c, &offset) || take_string(c, name, sizeof(name)) ||
	    take_string(c, clock, sizeof(clock)) || take_u32(c, &page_size) ||
	    take_u32(c, &cpus))
		return -EINVAL;
	name_section(c, "the CPU table of buffer '%s'", name);
	if (cpus > (c->end - c->pos) / 20)
		return overrun(c, (uint64_t)cpus * 20);
	if (cpus > LG_MAX_CPUS)
		return too_many_cpus(c, cpus);
	b = add_buffer(c->l, name);
	b->offset = offset;
	b->page_size = page_size;
	snprintf(b->clock, sizeof(b->clock), "%s", clock);
	b->cpus = lg_xcalloc(cpus ? cpus : 1, sizeof(*b->cpus));
	for (uint32_t i = 0; i < cpus; i++) {
		struct lg_tracedat_cpu *cpu = &b->cpus[i];

		if (take_u32(c, &cpu->cpu) || take_u64(c, &cpu->offset) ||
		    take_u64(c, &cpu->size))
			return -EINVAL;
		if (cpu->cpu >= LG_MAX_CPUS)
			return lg_fail(c->err, EINVAL, "%s: offset %llu: %s names CPU %u, and no "
				       "kernel has more than %d", c->path,
				       (unsigned long long)c->pos - 20, c->what, cpu->cpu, LG_MAX_CPUS);
		b->nr_cpus++;
	}
	return 0;
}

/* One options section: its options until DONE, which gives the next one's offset. */
static int read_v7_options(struct cursor *c, uint64_t offset, uint64_t *next)
{
	uint16_t flags;
	uint64_t size;

	c->pos = offset;
	c->end = c->l->file_size;
	name_section(c, "an options section");
	if (offset > c->end)
		return overrun(c, 16);
	if (take_section_header(c, OPTION_DONE, &flags, &size))
		return -EINVAL;
	*next = 0;
	if (flags & SECTION_COMPRESSED)
		return 0;	/* no writer compresses options: nothing to check */
	c->end = c->pos + size;
	for (;;) {
		uint16_t id;
		uint32_t osize;
		uint64_t start, section;
		struct cursor o;

		name_section(c, "an options section");
		if (take_u16(c, &id) || take_u32(c, &osize))
			return -EINVAL;
		start = c->pos;
		if (skip(c, osize))
			return -EINVAL;
		o = *c;
		o.pos = start;
		o.end = start + osize;
		name_section(&o, "option %u", id);
		if (id == OPTION_DONE)
			return take_u64(&o, next);
		if (id == OPTION_BUFFER && read_v7_buffer_option(&o))
			return -EINVAL;
		if (id >= OPTION_HEADER_INFO && id <= OPTION_CMDLINES &&
		    (take_u64(&o, &section) || check_section(&o, id, section)))
			return -EINVAL;
	}
}

/* Sections follow one another to the end of the file, as libtracecmd reads
 * them looking for its strings: so a file cut anywhere cuts one. */
static int walk_sections(struct cursor *c, uint64_t start)
{
	c->end = c->l->file_size;
	for (c->pos = start; c->pos < c->end;) {
		uint16_t id, flags;
		uint32_t description;
		uint64_t size, at = c->pos;

		name_section(c, "a section header");
		if (take_u16(c, &id) || take_u16(c, &flags) || take_u32(c, &description) ||
		    take_u64(c, &size))
			return -EINVAL;
		name_section(c, "section %u at offset %llu", id, (unsigned long long)at);
		if (skip(c, size))
			return -EINVAL;
	}
	return 0;
}

/* The top buffer first, as libtracecmd lists them. */
static void top_first(struct lg_tracedat_layout *l)
{
	for (uint32_t i = 1; i < l->nr_buffers; i++) {
		if (!l->buffers[i].name[0]) {
			struct lg_tracedat_buffer top = l->buffers[i];

			memmove(&l->buffers[1], &l->buffers[0], i * sizeof(top));
			l->buffers[0] = top;
			return;
		}
	}
}

static int read_v7(struct cursor *c)
{
	struct lg_tracedat_layout *l = c->l;
	uint64_t next, sections_start, seen[MAX_OPTION_SECTIONS];
	char version[64];
	uint32_t n = 0;

	name_section(c, "the compression header");
	if (take_string(c, l->compression, sizeof(l->compression)) ||
	    take_string(c, version, sizeof(version)))
		return -EINVAL;
	name_section(c, "the offset of the first options section");
	if (take_u64(c, &next))
		return -EINVAL;
	sections_start = c->pos;
	if (!next)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: no options section, which every "
			       "version 7 file has", c->path, (unsigned long long)c->pos - 8);
	while (next) {
		for (uint32_t i = 0; i < n; i++)
			if (seen[i] == next)
				return lg_fail(c->err, EINVAL, "%s: the options sections loop back "
					       "to offset %llu", c->path,
					       (unsigned long long)next);
		if (n == MAX_OPTION_SECTIONS)
			return lg_fail(c->err, EINVAL, "%s: more than %u options sections",
				       c->path, MAX_OPTION_SECTIONS);
		seen[n++] = next;
		if (read_v7_options(c, next, &next))
			return -EINVAL;
	}
	for (uint32_t i = 0; i < l->nr_buffers; i++) {
		struct lg_tracedat_buffer *b = &l->buffers[i];
		uint16_t flags;
		uint64_t size;

		c->pos = b->offset;
		c->end = l->file_size;
		name_section(c, "the data section of buffer '%s'", b->name);
		if (b->offset > c->end)
			return overrun(c, 16);
		if (take_section_header(c, OPTION_BUFFER, &flags, &size))
			return -EINVAL;
		b->compressed = flags & SECTION_COMPRESSED;
		b->data_start = c->pos;
		b->data_end = c->pos + size;
	}
	top_first(l);
	return walk_sections(c, sections_start);
}

/* A compressed CPU's data: a chunk count, then that many chunks, each with
 * its compressed and uncompressed sizes; the size the table gives leaves out
 * the count. An empty or zero count drops the CPU in libtracecmd. */
static int check_chunks(struct cursor *c, const struct lg_tracedat_buffer *b,
			const struct lg_tracedat_cpu *cpu)
{
	uint32_t count;

	c->pos = cpu->offset;
	c->end = cpu->offset + 4 + cpu->size;
	if (take_u32(c, &count))
		return -EINVAL;
	if (!count)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: CPU %u's %llu bytes of compressed "
			       "data say they hold no chunks", c->path,
			       (unsigned long long)cpu->offset, cpu->cpu,
			       (unsigned long long)cpu->size);
	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = c->pos;
		uint32_t csize, usize;

		if (take_u32(c, &csize) || take_u32(c, &usize))
			return -EINVAL;
		if (!csize || !usize || usize % b->page_size)
			return lg_fail(c->err, EINVAL, "%s: offset %llu: chunk %u of CPU %u's data "
				       "claims %u compressed bytes for %u bytes of pages of %u",
				       c->path, (unsigned long long)at, i, cpu->cpu, csize, usize,
				       b->page_size);
		if (skip(c, csize))
			return -EINVAL;
	}
	if (c->pos != c->end)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: CPU %u's %u chunks end %llu bytes "
			       "before its data does", c->path, (unsigned long long)c->pos,
			       cpu->cpu, count, (unsigned long long)(c->end - c->pos));
	return 0;
}

static bool power_of_two(uint32_t n)
{
	return n && !(n & (n - 1));
}

static int check_cpu(struct cursor *c, const struct lg_tracedat_buffer *b,
		     const struct lg_tracedat_cpu *cpu)
{
	uint64_t file_size = c->l->file_size;
	uint64_t need = b->compressed ? 4 : 0;

	if (!cpu->size)
		return 0;
	name_section(c, "CPU %u's data", cpu->cpu);
	if (cpu->offset > file_size || cpu->size > file_size - cpu->offset - need ||
	    need > file_size - cpu->offset)
		return lg_fail(c->err, EINVAL, "%s: truncated: CPU %u's data is %llu bytes at "
			       "offset %llu but the file ends at %llu", c->path, cpu->cpu,
			       (unsigned long long)cpu->size, (unsigned long long)cpu->offset,
			       (unsigned long long)file_size);
	if (b->compressed)
		return check_chunks(c, b, cpu);
	if (cpu->offset % b->page_size || cpu->size % b->page_size)
		return lg_fail(c->err, EINVAL, "%s: CPU %u's data (%llu bytes at offset %llu) is "
			       "not whole pages of %u bytes", c->path, cpu->cpu,
			       (unsigned long long)cpu->size, (unsigned long long)cpu->offset,
			       b->page_size);
	return 0;
}

static uint64_t align_up(uint64_t offset, uint32_t page_size)
{
	return (offset + page_size - 1) & ~(uint64_t)(page_size - 1);
}

/*
 * libtracecmd writes a buffer's CPUs one after another, each from the next
 * page boundary, an empty one taking no room (its offset may be 0: trace-cmd
 * record -B leaves the top buffer so); in version 7 they fill their data
 * section. So a size or offset that is off shows in the next CPU's, or the
 * section's end.
 */
static int check_tiling(struct cursor *c, const struct lg_tracedat_buffer *b)
{
	uint64_t end = b->data_start;

	for (uint32_t k = 0; k < b->nr_cpus; k++) {
		const struct lg_tracedat_cpu *cpu = &b->cpus[k];
		bool first_v6 = end == b->data_start && c->l->version == 6;	/* after the
										 * clock, unread */

		if (!cpu->size)
			continue;
		if (first_v6 ? cpu->offset < end : cpu->offset != align_up(end, b->page_size))
			return lg_fail(c->err, EINVAL, "%s: CPU %u's data of buffer '%s' is at offset "
				       "%llu, not %llu where %s (a corrupted offset or size?)",
				       c->path, cpu->cpu, b->name, (unsigned long long)cpu->offset,
				       (unsigned long long)align_up(end, b->page_size),
				       end != b->data_start ? "the previous CPU's ends" :
				       "its section starts");
		end = cpu->offset + cpu->size + (b->compressed && cpu->size ? 4 : 0);
	}
	if (c->l->version == 7 && end != b->data_end)
		return lg_fail(c->err, EINVAL, "%s: buffer '%s''s CPUs' data ends at offset %llu, "
			       "its section at %llu (a corrupted size?)", c->path, b->name,
			       (unsigned long long)end, (unsigned long long)b->data_end);
	return 0;
}

static int check_cpus(struct cursor *c)
{
	for (uint32_t i = 0; i < c->l->nr_buffers; i++) {
		const struct lg_tracedat_buffer *b = &c->l->buffers[i];

		if (!power_of_two(b->page_size))
			return lg_fail(c->err, EINVAL, "%s: buffer '%s' has pages of %u bytes, not a "
				       "power of two", c->path, b->name, b->page_size);
		for (uint32_t k = 0; k < b->nr_cpus; k++)
			if (check_cpu(c, b, &b->cpus[k]))
				return -EINVAL;
		if (check_tiling(c, b))
			return -EINVAL;
	}
	return 0;
}

/* Magic, version, byte order, long size, page size. */
static int read_initial(struct cursor *c)
{
	char magic[10], version[16];
	uint8_t endian, long_size;

	name_section(c, "the file header");
	if (take(c, magic, sizeof(magic)) || take_string(c, version, sizeof(version)) ||
	    take(c, &endian, 1) || take(c, &long_size, 1))
		return -EINVAL;
	if (memcmp(magic, "\x17\x08\x44tracing", sizeof(magic)))
		return lg_fail(c->err, EINVAL, "%s: not a trace.dat (no trace-cmd magic)", c->path);
	if (strcmp(version, "6") && strcmp(version, "7"))
		return lg_fail(c->err, EINVAL, "%s: trace.dat version '%s': lockgraph reads "
			       "versions 6 and 7", c->path, version);
	if (endian > 1 || (long_size != 4 && long_size != 8))
		return lg_fail(c->err, EINVAL, "%s: offset %llu: a corrupted file header (byte "
			       "order %u, long size %u)", c->path,
			       (unsigned long long)c->pos - 2, endian, long_size);
	c->l->version = version[0] - '0';
	c->l->big_endian = endian;
	if (take_u32(c, &c->l->page_size))
		return -EINVAL;
	if (!power_of_two(c->l->page_size) || c->l->page_size < 1024)
		return lg_fail(c->err, EINVAL, "%s: offset %llu: a page size of %u bytes (a "
			       "corrupted header?)", c->path, (unsigned long long)c->pos - 4,
			       c->l->page_size);
	return 0;
}

int lg_tracedat_layout_read(struct lg_tracedat_layout *l, int fd, const char *path,
			    struct lg_error *err)
{
	struct cursor c = { .fd = fd, .path = path, .l = l, .err = err };
	struct stat st;
	int ret;

	memset(l, 0, sizeof(*l));
	if (fstat(fd, &st))
		return lg_fail(err, errno, "%s: %s", path, strerror(errno));
	l->file_size = st.st_size;
	c.end = l->file_size;
	ret = read_initial(&c);
	if (!ret)
		ret = l->version == 6 ? read_v6(&c) : read_v7(&c);
	if (!ret)
		ret = check_cpus(&c);
	if (ret)
		lg_tracedat_layout_release(l);
	return ret;
}

void lg_tracedat_layout_release(struct lg_tracedat_layout *l)
{
	for (uint32_t i = 0; i < l->nr_buffers; i++)
		free(l->buffers[i].cpus);
	free(l->buffers);
	l->buffers = NULL;
	l->nr_buffers = 0;
}
