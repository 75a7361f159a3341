/* libFuzzer target: any bytes through lockgraph's own trace.dat reading, the
 * layout reader and every CPU's pages (v6) or zstd chunks (v7) merged in
 * time order, none of which needs libtracecmd (fuzz_tracedat goes on into
 * libtracecmd). A crash, leak, hang or sanitizer report is a bug; an error
 * return is the expected outcome. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lockgraph/input/tracedat_layout.h"
#include "lockgraph/input/tracedat_merge.h"
#include "lockgraph/input/tracedat_stream.h"
#include "lockgraph/lib/util.h"

#define BLOCK (64u << 10)

static volatile unsigned char sink;

static void read_all(const struct lg_tracedat_layout *l, int fd)
{
	struct lg_tracedat_stream *s;
	struct lg_tracedat_merge *m;
	const struct lg_stream_record *r;
	struct lg_error err;
	uint32_t n = 0, stream;
	int ret = 0;

	for (uint32_t b = 0; b < l->nr_buffers; b++)
		n += l->buffers[b].nr_cpus;
	s = lg_xcalloc(n, sizeof(*s));
	n = 0;
	for (uint32_t b = 0; b < l->nr_buffers && !ret; b++) {
		const struct lg_tracedat_buffer *lb = &l->buffers[b];
		struct lg_page_format f = { l->big_endian, lb->page_size, l->commit_size };

		if (lb->compressed && strcmp(l->compression, "zstd"))
			break;
		for (uint32_t k = 0; k < lb->nr_cpus && !ret; k++)
			ret = lg_tracedat_stream_init(&s[n++], fd, "fuzz", lb->cpus[k].cpu, &f,
						      lb->compressed, lb->cpus[k].offset,
						      lb->cpus[k].size, BLOCK, &err);
	}
	if (!ret) {
		if (!lg_tracedat_merge_start(&m, s, n, &err)) {
			lg_tracedat_merge_run(m, 1);
			while ((r = lg_tracedat_merge_next(m, &stream, &ret, &err)))
				if (r->size)	/* each record's first and last byte */
					sink ^= r->data[0] ^ r->data[r->size - 1];
		}
		lg_tracedat_merge_stop(m);
	}
	for (uint32_t i = 0; i < n; i++)
		lg_tracedat_stream_release(&s[i]);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", 0);
	struct lg_tracedat_layout l;
	struct lg_error err;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size &&
	    !lg_tracedat_layout_read(&l, fd, "fuzz", &err)) {
		if (l.commit_size)
			read_all(&l, fd);
		lg_tracedat_layout_release(&l);
	}
	close(fd);
	return 0;
}
