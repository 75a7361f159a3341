/* Allocation helpers: every allocation in lockgraph goes through these, so that
 * out-of-memory is reported once, clearly, instead of as a NULL dereference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"

static void *check(void *p)
{
	if (!p) {
		fputs("lockgraph: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *lg_xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *lg_xcalloc(size_t nmemb, size_t size)
{
	return check(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *lg_xrealloc(void *ptr, size_t size)
{
	return check(realloc(ptr, size ? size : 1));
}

char *lg_xstrdup(const char *s)
{
	return check(strdup(s));
}

FILE *lg_xmemstream(char **buf, size_t *size)
{
	return check(open_memstream(buf, size));
}
