/* Opening an input: the format is decided from the file's content, never from
 * its name, and the matching reader is put behind one small interface. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/source.h"
#include "lockgraph/util.h"

/* trace-cmd's file magic: 0x17 0x08 0x44 "tracing" */
static const char tracedat_magic[] = "\x17\x08\x44tracing";

struct lg_source {
	FILE *f;
	struct lg_text_source *text;
};

int lg_source_open(struct lg_source **out, const char *path,
		   struct lg_strtab *names, struct lg_error *err)
{
	char head[sizeof(tracedat_magic) - 1];
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t n;

	if (!f)
		return lg_fail(err, errno, "%s: cannot open: %s", path, strerror(errno));
	n = fread(head, 1, sizeof(head), f);
	if (n == sizeof(head) && !memcmp(head, tracedat_magic, sizeof(head))) {
		if (f != stdin)
			fclose(f);
		return lg_fail(err, ENOTSUP, "%s: a trace-cmd trace.dat file, which this "
			       "version cannot read yet; convert it with 'trace-cmd report'",
			       path);
	}

	struct lg_source *src = lg_xcalloc(1, sizeof(*src));

	src->f = f;
	src->text = lg_text_source_new(f, path, names);
	lg_text_source_unread(src->text, head, n);	/* pipes cannot seek back */
	*out = src;
	return 0;
}

int lg_source_next(struct lg_source *src, struct lg_event *ev, struct lg_error *err)
{
	return lg_text_source_next(src->text, ev, err);
}

const char *lg_source_format(const struct lg_source *src)
{
	return lg_text_source_format(src->text);
}

const struct lg_input_stats *lg_source_stats(const struct lg_source *src)
{
	return lg_text_source_stats(src->text);
}

void lg_source_close(struct lg_source *src)
{
	if (!src)
		return;
	lg_text_source_free(src->text);
	if (src->f != stdin)
		fclose(src->f);
	free(src);
}
