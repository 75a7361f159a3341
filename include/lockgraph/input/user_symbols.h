/* Back from an address of a user process to the data symbol it lies in: which
 * file the process had mapped there (a trace.dat's procmaps, see proc_maps.h),
 * where the loader put that file, and the file's symbol there. */
#ifndef LOCKGRAPH_USER_SYMBOLS_H
#define LOCKGRAPH_USER_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lockgraph/lib/error.h"

/* A mapping of a file in a process: [start, end) of path. */
struct lg_mapping {
	uint64_t start, end;
	const char *path;
};

/* The mapping of process tgid that holds addr: true and *m filled, or false. */
typedef bool (*lg_mapping_fn)(void *arg, uint32_t tgid, uint64_t addr, struct lg_mapping *m);

/* A symbol found, in a process: its whole extent answers later look-ups
 * (every lock of an array) without reading the file again. */
struct lg_user_symbol_range;

struct lg_user_symbols {
	lg_mapping_fn mapping;
	void *arg;
	uint64_t page_size;	/* of the recording machine: mappings start on pages */
	time_t not_after;	/* a file changed (ctime) after this is not the one that
				 * was mapped; 0: trust the files */
	struct lg_user_symbol_range *found;
	uint32_t nr_found, alloc_found;
};

/* Set up us; the mapping callback and arg stay the caller's. */
void lg_user_symbols_init(struct lg_user_symbols *us, lg_mapping_fn mapping, void *arg,
			  uint64_t page_size, time_t not_after);
void lg_user_symbols_release(struct lg_user_symbols *us);

/*
 * The name of addr in process tgid: "SYMBOL", or "SYMBOL+0xOFF" inside it, into
 * name (len bytes with the NUL). The mapping that holds addr names the file;
 * for a shared library or PIE program, the loader's bias is the one that puts
 * every PT_LOAD segment with file content on a mapping of that file, and the
 * first segment right after something else (trace-cmd's procmaps keeps no file
 * offsets, so the segments tell). Returns 0, or a negative errno with a
 * message: -ENOENT for an address in no file (heap, stack), in no segment or
 * in no data symbol; -ESTALE for a file changed since the recording or whose
 * segments do not fit its mappings; the errors of lg_elf_loads and
 * lg_elf_object_symbol for a file that is missing, unreadable or corrupt.
 */
int lg_user_symbol(struct lg_user_symbols *us, uint32_t tgid, uint64_t addr,
		   char *name, size_t len, struct lg_error *err);

#endif
