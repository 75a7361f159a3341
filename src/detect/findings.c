/* The findings list: adding, ordering and freeing, shared by every detector. */
#include <stdio.h>
#include <stdlib.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"

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

struct lg_finding *lg_findings_add(struct lg_findings *out, enum lg_finding_kind kind,
				   uint32_t nr, uint32_t index)
{
	struct lg_finding *f;

	LG_GROW(out->v, out->nr, out->alloc);
	f = &out->v[out->nr++];
	*f = (struct lg_finding){
		.kind = kind,
		.nr = nr,
		.classes = lg_xmalloc(nr * sizeof(uint32_t)),
		.index = index,
	};
	return f;
}

void lg_finding_set_id(struct lg_finding *f, const char *prefix, uint64_t hash)
{
	snprintf(f->id, sizeof(f->id), "%s-%016llx", prefix, (unsigned long long)hash);
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
