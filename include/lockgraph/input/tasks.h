/* Task indices: each task of an input (pid; per CPU for the idle tasks) gets a
 * dense index, so that a module keeps its per-task state in a plain array.
 * Consecutive events mostly come from one task, so the last one is cached.
 * A module says when a task holds nothing for it; of those idle tasks it
 * keeps the most recent few, and forgets the others, whose indices are
 * reused: memory grows with the tasks that hold something, not with all
 * the tasks an input ever had. */
#ifndef LOCKGRAPH_TASKS_H
#define LOCKGRAPH_TASKS_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/lib/u64map.h"

struct lg_task_link {
	uint32_t prev, next;	/* the idle list, oldest first; the free list */
};

struct lg_tasks {
	struct lg_u64map index;
	uint64_t last_key;
	uint32_t last, nr;	/* nr: indices handed out, reused ones included */
	uint64_t *keys;		/* by index */
	struct lg_task_link *links;	/* by index */
	uint32_t alloc;
	uint32_t idle_first, idle_last, nr_idle;
	uint32_t free;		/* forgotten indices, through links[].next */
};

void lg_tasks_init(struct lg_tasks *t);
void lg_tasks_release(struct lg_tasks *t);
void lg_tasks_clear(struct lg_tasks *t);

/* The index of ev's task, LG_NONE if it has none yet. */
uint32_t lg_tasks_find(struct lg_tasks *t, const struct lg_event *ev);
/* The index of ev's task; *added says it is new: nr - 1, or a forgotten
 * task's index, whose state the module starts afresh. */
uint32_t lg_tasks_of(struct lg_tasks *t, const struct lg_event *ev, bool *added);

/* After an event of task i: it holds nothing (idle), or something; or
 * every task is idle now. */
void lg_tasks_set_idle(struct lg_tasks *t, uint32_t i, bool idle);
void lg_tasks_set_all_idle(struct lg_tasks *t);
/* The idle task least recently active when more than kept are idle, else LG_NONE:
 * the module drops its state, then calls lg_tasks_forget(). */
uint32_t lg_tasks_excess_idle(const struct lg_tasks *t, uint32_t kept);
/* Forget task i: its next event makes it new, at this or another index. */
void lg_tasks_forget(struct lg_tasks *t, uint32_t i);

#endif
