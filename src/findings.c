/* The findings list: ordering and freeing, shared by every detector. */
#include <stdlib.h>

#include "lockgraph/detect.h"

static int by_seq(const void *a, const void *b)
{
	const struct lg_finding *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

void lg_findings_sort(struct lg_findings *f)
{
	if (f->nr > 1)
		qsort(f->v, f->nr, sizeof(*f->v), by_seq);
}

void lg_findings_release(struct lg_findings *f)
{
	for (uint32_t i = 0; i < f->nr; i++) {
		free(f->v[i].classes);
		free(f->v[i].deps);
	}
	free(f->v);
	f->v = NULL;
	f->nr = f->alloc = 0;
}
