/* Allocation helpers: every allocation in lockgraph goes through these, so that
 * out-of-memory is reported once, clearly, instead of as a NULL dereference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"

void *lg_xcheck(void *p)
{
	if (!p) {
		fputs("lockgraph: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *lg_xmalloc(size_t size)
{
	return lg_xcheck(malloc(size ? size : 1));
}

void *lg_xcalloc(size_t nmemb, size_t size)
{
	return lg_xcheck(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *lg_xrealloc(void *ptr, size_t size)
{
	return lg_xcheck(realloc(ptr, size ? size : 1));
}

char *lg_xstrdup(const char *s)
{
	return lg_xcheck(strdup(s));
}

FILE *lg_xmemstream(char **buf, size_t *size)
{
	return lg_xcheck(open_memstream(buf, size));
}
