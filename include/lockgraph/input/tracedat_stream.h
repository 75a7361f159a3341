/* One CPU's data of a trace.dat buffer, read a block at a time into memory
 * and decoded page by page (tracedat_page.h): a version 6 file's pages by
 * pread, a version 7 file's compressed chunks one at a time, decompressed
 * with zstd. Memory is a block's, whatever the size of the trace.
 *
 * libtracecmd 1.3 cannot do this: its version 7 reader keeps every chunk it
 * decompresses (trace-input.c free_zpage() never frees one) and walks that
 * list for each page, and tracecmd_uncompress_chunk() reads through the
 * handle's one file position and decompression context, so no two CPUs can be
 * read at once. The chunks are the file format's (trace-cmd.dat.v7(5)): a
 * count, then each chunk's compressed and uncompressed sizes and its data.
 *
 * Filling a block touches only the stream and the block (the file by pread):
 * streams may be filled on other threads than the one reading the blocks. */
#ifndef LOCKGRAPH_TRACEDAT_STREAM_H
#define LOCKGRAPH_TRACEDAT_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/tracedat_page.h"
#include "lockgraph/lib/error.h"

/* One event of the CPU, with what its page says about the data before it. */
struct lg_stream_record {
	uint64_t ts;		/* as the ring buffer gives it, libtracecmd's raw time */
	uint64_t offset;	/* of its header: in the file (v6), in the CPU's
				 * decompressed data (v7) */
	const unsigned char *data;	/* valid while its block is */
	uint32_t size;
	uint32_t zeroed;	/* zeroed pages (lost events) since the previous record */
	long long missed;	/* lost before its page: a count, -1 unknown, 0 none */
};

/* A block of pages and their events; error set ends the stream. */
struct lg_tracedat_block {
	unsigned char *pages;
	uint64_t alloc_pages;
	struct lg_stream_record *recs;
	uint32_t nr, alloc_recs;
	bool end;		/* the CPU's data ends with this block */
	uint32_t tail_zeroed;	/* end: zeroed pages after the last record */
	long long tail_missed;	/* end: a loss no record came after */
	int error;		/* 0, or a negative errno value with err's message */
	struct lg_error err;
};

struct lg_tracedat_stream {
	int fd;
	const char *path;	/* for messages */
	uint32_t cpu;
	struct lg_page_format format;
	bool compressed;	/* v7 chunks; else whole pages */
	uint64_t pos, end;	/* what is left of the CPU's data in the file */
	uint64_t offset;	/* the next page's, as lg_stream_record.offset */
	uint32_t chunks, chunk;	/* v7: the chunk count, the next chunk */
	uint64_t block_bytes;	/* of pages to read at a time */
	void *zstd;		/* v7: its decompression context */
	unsigned char *compressed_buf;
	uint64_t alloc_compressed;
	struct lg_page_event *events;	/* one page's */
	bool started;		/* a record has come: last_ts is its time */
	uint64_t last_ts;
	uint32_t zeroed;	/* since the last record */
	long long missed;	/* not yet given to a record */
};

/*
 * A stream of cpu's data, [offset, offset + size) of the file open at fd
 * (compressed: the chunk count at offset, then size bytes of chunks), read
 * block_bytes of pages at a time: 0, or -EINVAL with a message.
 */
int lg_tracedat_stream_init(struct lg_tracedat_stream *s, int fd, const char *path,
			    uint32_t cpu, const struct lg_page_format *format, bool compressed,
			    uint64_t offset, uint64_t size, uint64_t block_bytes,
			    struct lg_error *err);
void lg_tracedat_stream_release(struct lg_tracedat_stream *s);

/* Read and decode the next block into b (end set at the last one). */
void lg_tracedat_stream_fill(struct lg_tracedat_stream *s, struct lg_tracedat_block *b);
void lg_tracedat_block_release(struct lg_tracedat_block *b);

#endif
