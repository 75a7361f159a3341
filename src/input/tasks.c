/* Dense task indices with a one-entry cache; see tasks.h. */
#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/util.h"

void lg_tasks_init(struct lg_tasks *t)
{
	lg_u64map_init(&t->index);
	t->last = LG_NONE;
	t->nr = 0;
}

void lg_tasks_release(struct lg_tasks *t)
{
	lg_u64map_release(&t->index);
}

void lg_tasks_clear(struct lg_tasks *t)
{
	lg_u64map_clear(&t->index);
	t->last = LG_NONE;
	t->nr = 0;
}

uint32_t lg_tasks_find(struct lg_tasks *t, const struct lg_event *ev)
{
	uint64_t key = lg_event_task(ev);

	if (t->last != LG_NONE && t->last_key == key)
		return t->last;
	return lg_u64map_get(&t->index, key);
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
		i = t->nr++;
		lg_u64map_put(&t->index, key, i);
		*added = true;
	}
	t->last_key = key;
	t->last = i;
	return i;
}
