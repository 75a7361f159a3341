/* Task indices: each task of an input (pid; per CPU for the idle tasks) gets a
 * dense index, so that a module keeps its per-task state in a plain array.
 * Consecutive events mostly come from one task, so the last one is cached. */
#ifndef LOCKGRAPH_TASKS_H
#define LOCKGRAPH_TASKS_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/lib/u64map.h"

struct lg_tasks {
	struct lg_u64map index;
	uint64_t last_key;
	uint32_t last, nr;
};

void lg_tasks_init(struct lg_tasks *t);
void lg_tasks_release(struct lg_tasks *t);
void lg_tasks_clear(struct lg_tasks *t);

/* The index of ev's task, LG_NONE if it has none yet. */
uint32_t lg_tasks_find(struct lg_tasks *t, const struct lg_event *ev);
/* The index of ev's task; *added says it is nr - 1, seen for the first time. */
uint32_t lg_tasks_of(struct lg_tasks *t, const struct lg_event *ev, bool *added);

#endif
