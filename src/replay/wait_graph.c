/* Wait objects and the wait/event dependencies between them and lock
 * classes, each with the wait and the event of its first sighting. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"

struct object {
	uint32_t name;
	uint8_t kind;
};

struct lg_wait_graph {
	struct object *objects;
	uint32_t nr_objects, alloc_objects;
	struct lg_u64map object_index;	/* name -> objects[] */
	struct lg_wait_dep *deps;
	uint32_t nr_deps, alloc_deps;
	struct lg_u64map dep_index;	/* kind, lock, object -> deps[] */
	struct lg_wait_stats stats;
};

struct lg_wait_graph *lg_wait_graph_new(void)
{
	struct lg_wait_graph *w = lg_xcalloc(1, sizeof(*w));

	lg_u64map_init(&w->object_index);
	lg_u64map_init(&w->dep_index);
	return w;
}

void lg_wait_graph_free(struct lg_wait_graph *w)
{
	if (!w)
		return;
	free(w->objects);
	free(w->deps);
	lg_u64map_release(&w->object_index);
	lg_u64map_release(&w->dep_index);
	free(w);
}

uint32_t lg_wait_graph_object(struct lg_wait_graph *w, uint32_t name, uint8_t kind)
{
	uint32_t i = lg_u64map_get(&w->object_index, name);

	if (i != LG_NONE)
		return i;
	LG_GROW(w->objects, w->nr_objects, w->alloc_objects);
	i = w->nr_objects++;
	w->objects[i] = (struct object){ name, kind };
	lg_u64map_put(&w->object_index, name, i);
	return i;
}

uint32_t lg_wait_graph_nr_objects(const struct lg_wait_graph *w)
{
	return w->nr_objects;
}

uint32_t lg_wait_graph_object_name(const struct lg_wait_graph *w, uint32_t object)
{
	return w->objects[object].name;
}

uint8_t lg_wait_graph_object_kind(const struct lg_wait_graph *w, uint32_t object)
{
	return w->objects[object].kind;
}

/* Objects and classes are below 2^31 each: one key for kind, lock, object. */
static uint64_t dep_key(const struct lg_wait_dep *d)
{
	return (uint64_t)d->kind << 63 | (uint64_t)d->lock << 31 | d->object;
}

uint32_t lg_wait_graph_add(struct lg_wait_graph *w, const struct lg_wait_dep *d, uint32_t seq,
			   bool *added)
{
	uint64_t key = dep_key(d);
	uint32_t i = lg_u64map_get(&w->dep_index, key);

	*added = i == LG_NONE;
	if (*added) {
		LG_GROW(w->deps, w->nr_deps, w->alloc_deps);
		i = w->nr_deps++;
		w->deps[i] = *d;
		w->deps[i].seq = seq;
		w->deps[i].count = 0;
		w->deps[i].untimed = 0;
		lg_u64map_put(&w->dep_index, key, i);
	}
	w->deps[i].count += d->count ? d->count : 1;
	w->deps[i].untimed += d->count ? d->untimed : !d->timed;
	return i;
}

uint32_t lg_wait_graph_nr_deps(const struct lg_wait_graph *w)
{
	return w->nr_deps;
}

const struct lg_wait_dep *lg_wait_graph_dep(const struct lg_wait_graph *w, uint32_t i)
{
	return &w->deps[i];
}

struct lg_wait_stats *lg_wait_graph_stats(struct lg_wait_graph *w)
{
	return &w->stats;
}

const char *lg_wait_dep_kind_name(uint8_t kind)
{
	return kind == LG_WAIT_DEP_HOLD ? "hold" : "event";
}

const char *lg_wait_object_name(uint8_t object)
{
	static const char *const names[LG_NR_WAIT_OBJECTS] = {
		[LG_WAIT_FENCE] = "dma_fence", [LG_WAIT_COMPLETION] = "completion",
		[LG_WAIT_WORK] = "work", [LG_WAIT_WORKQUEUE] = "workqueue",
	};

	return names[object];
}

const char *lg_context_start_name(uint8_t start)
{
	static const char *const names[] = {
		[LG_START_WORK] = "work", [LG_START_WAIT] = "wait",
		[LG_START_SEEN] = "unknown", [LG_START_IRQ] = "irq",
	};

	return names[start];
}

int lg_wait_name_value(const char *(*name_of)(uint8_t), unsigned nr, const char *name)
{
	for (unsigned v = 0; name && v < nr; v++)
		if (!strcmp(name_of((uint8_t)v), name))
			return (int)v;
	return -1;
}

void lg_wait_graph_merge_stats(struct lg_wait_graph *w, const struct lg_wait_stats *st)
{
	w->stats.waits += st->waits;
	w->stats.ended += st->ended;
	w->stats.unended += st->unended;
	w->stats.unended_timed += st->unended_timed;
	w->stats.events += st->events;
	w->stats.context_overflows += st->context_overflows;
	w->stats.forgotten_tasks += st->forgotten_tasks;
	w->stats.lost_resets += st->lost_resets;
}
