/* Dense task indices with a one-entry cache, and the idle tasks kept in the
 * order they went idle; see tasks.h. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/util.h"

#define BUSY (LG_NONE - 1)	/* links[].prev of a task not on the idle list */
#define FORGOTTEN (LG_NONE - 2)	/* links[].prev of an index on the free list */

void lg_tasks_init(struct lg_tasks *t)
{
	memset(t, 0, sizeof(*t));
	lg_u64map_init(&t->index);
	t->last = LG_NONE;
	t->idle_first = t->idle_last = t->free = LG_NONE;
}

void lg_tasks_release(struct lg_tasks *t)
{
	lg_u64map_release(&t->index);
	free(t->keys);
	free(t->links);
}

void lg_tasks_clear(struct lg_tasks *t)
{
	lg_u64map_clear(&t->index);
	t->last = LG_NONE;
	t->nr = 0;
	t->idle_first = t->idle_last = t->free = LG_NONE;
	t->nr_idle = 0;
}

uint32_t lg_tasks_find(struct lg_tasks *t, const struct lg_event *ev)
{
	uint64_t key = lg_event_task(ev);

	if (t->last != LG_NONE && t->last_key == key)
		return t->last;
	return lg_u64map_get(&t->index, key);
}

static uint32_t new_index(struct lg_tasks *t)
{
	uint32_t i = t->free;

	if (i != LG_NONE) {
		t->free = t->links[i].next;
		return i;
	}
	if (t->nr == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 64;
		t->keys = lg_xrealloc(t->keys, t->alloc * sizeof(*t->keys));
		t->links = lg_xrealloc(t->links, t->alloc * sizeof(*t->links));
	}
	return t->nr++;
}

uint32_t lg_tasks_of(struct lg_tasks *t, const struct lg_event *ev, bool *added)
{
	uint64_t key = lg_event_task(ev);
	uint32_t i;

	*added = false;
	if (t->last != LG_NONE && t->last_key == key)
		return t->last;
	i = lg_u64map_get(&t->index, key);
	if (i == LG_NONE) {
		i = new_index(t);
		t->keys[i] = key;
		t->links[i] = (struct lg_task_link){ BUSY, LG_NONE };
		lg_u64map_put(&t->index, key, i);
		*added = true;
	}
	t->last_key = key;
	t->last = i;
	return i;
}

static void unlink_idle(struct lg_tasks *t, uint32_t i)
{
	struct lg_task_link *l = &t->links[i];

	*(l->prev == LG_NONE ? &t->idle_first : &t->links[l->prev].next) = l->next;
	*(l->next == LG_NONE ? &t->idle_last : &t->links[l->next].prev) = l->prev;
	*l = (struct lg_task_link){ BUSY, LG_NONE };
	t->nr_idle--;
}

/* An idle task goes to the end of the list at each of its events: the least
 * recently active is the first forgotten. */
void lg_tasks_set_idle(struct lg_tasks *t, uint32_t i, bool idle)
{
	if (t->links[i].prev != BUSY)
		unlink_idle(t, i);
	if (!idle)
		return;
	t->links[i] = (struct lg_task_link){ t->idle_last, LG_NONE };
	*(t->idle_last == LG_NONE ? &t->idle_first : &t->links[t->idle_last].next) = i;
	t->idle_last = i;
	t->nr_idle++;
}

void lg_tasks_set_all_idle(struct lg_tasks *t)
{
	for (uint32_t i = 0; i < t->nr; i++)
		if (t->links[i].prev == BUSY)
			lg_tasks_set_idle(t, i, true);
}

uint32_t lg_tasks_excess_idle(const struct lg_tasks *t, uint32_t kept)
{
	return t->nr_idle > kept ? t->idle_first : LG_NONE;
}

void lg_tasks_forget(struct lg_tasks *t, uint32_t i)
{
	if (t->links[i].prev != BUSY)
		unlink_idle(t, i);
	lg_u64map_remove(&t->index, t->keys[i]);
	if (t->last == i)
		t->last = LG_NONE;
	t->links[i] = (struct lg_task_link){ FORGOTTEN, t->free };
	t->free = i;
}
