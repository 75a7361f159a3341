/* Opening an input: the format is decided from the file's content, never from
 * its name, and the matching reader is put behind one small interface. A
 * stream (a pipe, a FIFO, standard input) is read once: a trace.dat in one is
 * spooled to an unlinked file first, since libtracecmd seeks. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lockgraph/input/ftrace_text.h"
#include "lockgraph/input/source.h"
#include "lockgraph/input/tracedat.h"
#include "lockgraph/lib/util.h"

/* trace-cmd's file magic: 0x17 0x08 0x44 "tracing" */
static const char tracedat_magic[] = "\x17\x08\x44tracing";

struct lg_source {
	FILE *f;
	struct lg_text_source *text;
	struct lg_tracedat_source *dat;
	char *graph;		/* a graph file's whole text */
	size_t graph_len;
};

static int write_all(int fd, const void *buf, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, (const char *)buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		done += w;
	}
	return 0;
}

/* The rest of stream f, after the head already read, into an unlinked file
 * in $TMPDIR: its descriptor, or -1 with err set. */
static int spool(FILE *f, const char *path, const char *head, size_t n, struct lg_error *err)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char tmp[4096], buf[1 << 16];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/lockgraph-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		lg_fail(err, errno, "%s: cannot create a file in %s to hold the stream's "
			"trace.dat: %s", path, dir, strerror(errno));
		return -1;
	}
	unlink(tmp);
	if (write_all(fd, head, n))
		goto write_error;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (write_all(fd, buf, n))
			goto write_error;
	if (ferror(f)) {
		lg_fail(err, errno, "%s: read error: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
write_error:
	lg_fail(err, errno, "%s: cannot copy the stream's trace.dat into %s: %s", path, dir,
		strerror(errno));
	close(fd);
	return -1;
}

/* A graph file is JSON: '{' first, which no trace starts with. */
static bool is_graph(const char *head, size_t n)
{
	size_t i = 0;

	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
		i++;
	return i < n && head[i] == '{';
}

/* All of a graph file, after the head already read. */
static int read_graph(struct lg_source *src, const char *path, const char *head, size_t n,
		      struct lg_error *err)
{
	FILE *mem = lg_xmemstream(&src->graph, &src->graph_len);
	char buf[1 << 16];

	fwrite(head, 1, n, mem);
	while ((n = fread(buf, 1, sizeof(buf), src->f)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(mem);
	if (ferror(src->f))
		return lg_fail(err, errno, "%s: read error: %s", path, strerror(errno));
	return 0;
}

/* The reader gets its own descriptor of the file, or of its spooled copy. */
static int open_tracedat(struct lg_source *src, const char *path, FILE *f, bool stream,
			 const char *head, size_t n, struct lg_strtab *names,
			 struct lg_error *err)
{
	int fd = stream ? spool(f, path, head, n, err) : dup(fileno(f));

	if (fd < 0) {
		if (!stream)
			return lg_fail(err, errno, "%s: %s", path, strerror(errno));
		return -EIO;
	}
	return lg_tracedat_source_open(&src->dat, path, fd, names, err);
}

int lg_source_open(struct lg_source **out, const char *path,
		   struct lg_strtab *names, struct lg_error *err)
{
	char head[sizeof(tracedat_magic) - 1];
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct lg_source *src;
	struct stat st;
	size_t n;
	int ret = 0;

	if (!f)
		return lg_fail(err, errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || S_ISDIR(st.st_mode)) {
		ret = lg_fail(err, S_ISDIR(st.st_mode) ? EISDIR : errno, "%s: cannot read: %s",
			      path, strerror(S_ISDIR(st.st_mode) ? EISDIR : errno));
		if (f != stdin)
			fclose(f);
		return ret;
	}
	src = lg_xcalloc(1, sizeof(*src));
	src->f = f;
	n = fread(head, 1, sizeof(head), f);
	if (n == sizeof(head) && !memcmp(head, tracedat_magic, sizeof(head))) {
		ret = open_tracedat(src, path, f, !S_ISREG(st.st_mode), head, n, names, err);
	} else if (ferror(f)) {
		ret = lg_fail(err, errno, "%s: cannot read: %s", path, strerror(errno));
	} else if (is_graph(head, n)) {
		ret = read_graph(src, path, head, n, err);
	} else {
		src->text = lg_text_source_new(f, path, names);
		lg_text_source_unread(src->text, head, n);	/* pipes cannot seek back */
	}
	if (ret) {
		lg_source_close(src);
		return ret;
	}
	*out = src;
	return 0;
}

const char *lg_source_graph(const struct lg_source *src, size_t *len)
{
	*len = src->graph_len;
	return src->graph;
}

int lg_source_read(struct lg_source *src, unsigned threads, lg_event_fn fn, void *arg,
		   struct lg_error *err)
{
	if (src->graph)
		return lg_fail(err, EINVAL, "a graph file has no events to read");
	if (src->dat)
		return lg_tracedat_source_read(src->dat, threads, fn, arg, err);
	return lg_text_source_read(src->text, fn, arg, err);
}

const char *lg_source_format(const struct lg_source *src)
{
	if (src->graph)
		return "graph";
	return src->dat ? lg_tracedat_source_format(src->dat) : lg_text_source_format(src->text);
}

const struct lg_input_stats *lg_source_stats(const struct lg_source *src)
{
	return src->dat ? lg_tracedat_source_stats(src->dat) : lg_text_source_stats(src->text);
}

const char *lg_source_symbol(const struct lg_source *src, uint64_t addr)
{
	return src->dat ? lg_tracedat_source_symbol(src->dat, addr) : NULL;
}

void lg_source_close(struct lg_source *src)
{
	if (!src)
		return;
	lg_text_source_free(src->text);
	lg_tracedat_source_free(src->dat);
	free(src->graph);
	if (src->f && src->f != stdin)
		fclose(src->f);
	free(src);
}
