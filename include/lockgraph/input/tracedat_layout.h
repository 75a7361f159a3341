/* Where a trace.dat keeps each CPU's ring-buffer pages, read from the file
 * itself (trace-cmd.dat.v6(5), trace-cmd.dat.v7(5)) and held against its size
 * and page size: libtracecmd trusts these numbers, and a damaged one makes it
 * drop a CPU or read past a page without a word. A file that fails is refused
 * with the section, the CPU and the offset. */
#ifndef LOCKGRAPH_TRACEDAT_LAYOUT_H
#define LOCKGRAPH_TRACEDAT_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/lib/error.h"

/* One CPU's data: [offset, offset + size) of the file; whole pages unless
 * compressed (then a chunk count and chunks). */
struct lg_tracedat_cpu {
	uint32_t cpu;
	uint64_t offset, size;
};

/* The top buffer (name "") or a buffer instance (trace-cmd record -B). */
struct lg_tracedat_buffer {
	char name[64];
	uint64_t offset;		/* of its table of CPUs (v6), its data section (v7) */
	uint64_t data_start;		/* where its CPUs' data may start */
	uint64_t data_end;		/* v7: the end of its data section, which they fill */
	uint32_t page_size;
	char clock[64];			/* v7: the trace clock it was recorded with */
	bool compressed;
	uint32_t nr_cpus;
	struct lg_tracedat_cpu *cpus;
};

struct lg_tracedat_layout {
	int version;			/* 6 or 7 */
	bool big_endian;
	uint32_t page_size;
	uint32_t commit_size;		/* of a page header's commit word, 0: unknown
					 * (a version 7 file's compressed header_page) */
	uint64_t file_size;
	char compression[64];		/* v7: its algorithm ("none", "zstd", ...) */
	struct lg_tracedat_buffer *buffers;	/* buffers[0] is the top one */
	uint32_t nr_buffers;
};

/*
 * Read and check the layout of the file open at fd (path names it in
 * messages): 0, or -EINVAL with a message naming the file, what is wrong and
 * where (a section, or a CPU and an offset), -EIO for a read error.
 */
int lg_tracedat_layout_read(struct lg_tracedat_layout *l, int fd, const char *path,
			    struct lg_error *err);
void lg_tracedat_layout_release(struct lg_tracedat_layout *l);

#endif
