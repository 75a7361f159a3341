/* A process's file mappings, as trace-cmd's `record --proc-map` saves them in a
 * trace.dat (TRACECMD_OPTION_PROCMAPS), so that libtracecmd's
 * tracecmd_search_task_map() tells analyze which file an address of that
 * process was in: "PID COUNT EXE\n" (hexadecimal numbers), then per mapping
 * "START END PATH\n", NUL-terminated. */
#ifndef LOCKGRAPH_PROC_MAPS_H
#define LOCKGRAPH_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lg_proc_maps {
	char *text;	/* the option's content, NULL before the first snapshot */
	size_t size;	/* its size: strlen(text) + 1 */
	uint32_t nr;	/* mappings in it */
	int pid;
};

/*
 * A snapshot from maps, the text of /proc/PID/maps, replacing the previous
 * one. Kept: mappings of a file (a path starting with '/'), and the anonymous
 * writable mapping right after a file's writable one, which is that file's
 * .bss past its last page, under the file's name. Left out, as trace-cmd reads
 * a path up to the first blank and a line of at most 4096 bytes: paths with
 * blanks (a deleted file's "PATH (deleted)" among them: PATH may now be another
 * file) and longer lines. exe names the process; its blanks become '?'.
 */
void lg_proc_maps_parse(struct lg_proc_maps *pm, int pid, const char *exe, FILE *maps);

/* A snapshot of process pid now, if it has a file mapping (one that has exited
 * has none): true if it replaced the previous one. */
bool lg_proc_maps_read(struct lg_proc_maps *pm, int pid);

void lg_proc_maps_release(struct lg_proc_maps *pm);

#endif
