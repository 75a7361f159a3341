/* The dependency graph as out-edge lists, and the rule of a strong path, for
 * the detectors that walk it. */
#ifndef LOCKGRAPH_ADJACENCY_H
#define LOCKGRAPH_ADJACENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/replay/graph.h"

/* The out-dependencies of class c are deps[first[c]] .. deps[first[c + 1] - 1]
 * (dependency indices, in first-seen order), for c below nr_classes. */
struct lg_adjacency {
	uint32_t nr_classes;
	uint32_t *first;
	uint32_t *deps;
};

/*
 * lockdep's strong-path rule, one step of a walk (__bfs()): a class reached
 * only by recursive-read dependencies (-(*R)->, only_xr) may not go on by one
 * from a shared holder (-(S*)->). The types of a dependency the walk may take
 * from such a class, and whether taking those reaches the next class only_xr.
 */
static inline uint8_t lg_strong_types(uint8_t types, bool only_xr)
{
	return only_xr ? types & ~LG_DEP_SHARED : types;
}

static inline bool lg_only_xr(uint8_t types)
{
	return !(types & ~LG_DEP_RECURSIVE);
}

void lg_adjacency_build(struct lg_adjacency *a, const struct lg_graph *g);
void lg_adjacency_release(struct lg_adjacency *a);

#endif
