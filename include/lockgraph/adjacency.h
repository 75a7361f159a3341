/* The dependency graph as out-edge lists, for the detectors that walk it. */
#ifndef LOCKGRAPH_ADJACENCY_H
#define LOCKGRAPH_ADJACENCY_H

#include <stdint.h>

#include "lockgraph/graph.h"

/* The out-dependencies of class c are deps[first[c]] .. deps[first[c + 1] - 1]
 * (dependency indices, in first-seen order), for c below nr_classes. */
struct lg_adjacency {
	uint32_t nr_classes;
	uint32_t *first;
	uint32_t *deps;
};

void lg_adjacency_build(struct lg_adjacency *a, const struct lg_graph *g);
void lg_adjacency_release(struct lg_adjacency *a);

#endif
