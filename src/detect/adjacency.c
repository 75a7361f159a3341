/* Out-edge lists of the dependency graph, by counting sort on the source. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/detect/adjacency.h"
#include "lockgraph/lib/util.h"

void lg_adjacency_build(struct lg_adjacency *a, const struct lg_graph *g)
{
	uint32_t n = lg_graph_class_bound(g), nr_deps = lg_graph_nr_deps(g);
	uint32_t *fill;

	a->nr_classes = n;
	a->first = lg_xcalloc(n + 1, sizeof(*a->first));
	a->deps = lg_xmalloc((nr_deps ? nr_deps : 1) * sizeof(*a->deps));
	for (uint32_t i = 0; i < nr_deps; i++)
		a->first[lg_graph_dep(g, i)->from + 1]++;
	for (uint32_t c = 0; c < n; c++)
		a->first[c + 1] += a->first[c];
	fill = lg_xmalloc((n + 1) * sizeof(*fill));
	memcpy(fill, a->first, (n + 1) * sizeof(*fill));
	for (uint32_t i = 0; i < nr_deps; i++)
		a->deps[fill[lg_graph_dep(g, i)->from]++] = i;
	free(fill);
}

void lg_adjacency_release(struct lg_adjacency *a)
{
	free(a->first);
	free(a->deps);
}
