/* Writing a file whole or not at all: into a temporary beside it, renamed
 * over it once complete, so that no reader sees half of one and a failure
 * leaves the file that was there as it was. */
#ifndef LOCKGRAPH_REPLACE_FILE_H
#define LOCKGRAPH_REPLACE_FILE_H

#include <stdio.h>

#include "lockgraph/lib/error.h"

/* Writes the content to out; 0, or -1 with errno set. */
typedef int (*lg_write_fn)(FILE *out, const void *arg);

/* Write path with write(out, arg); 0 or -errno, err saying what failed. */
int lg_replace_file(const char *path, lg_write_fn write, const void *arg,
		    struct lg_error *err);

#endif
