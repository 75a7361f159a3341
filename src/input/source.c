/* Opening an input: the format is decided from the file's content, never from
 * its name, and the matching reader is put behind one small interface. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
};

static int open_tracedat(struct lg_source *src, const char *path, FILE *f,
			 struct lg_strtab *names, struct lg_error *err)
{
	if (f == stdin)
		return lg_fail(err, ESPIPE, "%s: a trace.dat cannot be read from standard "
			       "input; give its file name", path);
	fclose(f);
	return lg_tracedat_source_open(&src->dat, path, names, err);
}

int lg_source_open(struct lg_source **out, const char *path,
		   struct lg_strtab *names, struct lg_error *err)
{
	char head[sizeof(tracedat_magic) - 1];
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct lg_source *src;
	size_t n;
	int ret = 0;

	if (!f)
		return lg_fail(err, errno, "%s: cannot open: %s", path, strerror(errno));
	src = lg_xcalloc(1, sizeof(*src));
	n = fread(head, 1, sizeof(head), f);
	if (n == sizeof(head) && !memcmp(head, tracedat_magic, sizeof(head))) {
		ret = open_tracedat(src, path, f, names, err);
	} else {
		src->f = f;
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

int lg_source_read(struct lg_source *src, lg_event_fn fn, void *arg, struct lg_error *err)
{
	if (src->dat)
		return lg_tracedat_source_read(src->dat, fn, arg, err);
	return lg_text_source_read(src->text, fn, arg, err);
}

const char *lg_source_format(const struct lg_source *src)
{
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
	if (src->f && src->f != stdin)
		fclose(src->f);
	free(src);
}
