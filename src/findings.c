/* The findings list: ordering and freeing, shared by every detector. */
#include <stdlib.h>

#include "lockgraph/detect.h"

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* Cycles closed by the same dependency are told apart by their dependencies,
 * so the order never depends on qsort's stability. */
static int by_seq(const void *a, const void *b)
{
	const struct lg_finding *x = a, *y = b;

	if (x->seq != y->seq)
		return CMP(x->seq, y->seq);
	if (x->nr != y->nr)
		return CMP(x->nr, y->nr);
	for (uint32_t i = 0; x->deps && y->deps && i < x->nr; i++)
		if (x->deps[i] != y->deps[i])
			return CMP(x->deps[i], y->deps[i]);
	return 0;
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
