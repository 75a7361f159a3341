/* mmap_lock tracepoints into lock events; see mmap_lock.h and the kernel's
 * include/linux/mmap_lock.h for the order they fire in. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/mmap_lock.h"
#include "lockgraph/lib/util.h"

int lg_mmap_lock_point(const char *name, size_t len)
{
	static const char *const names[] = {
		[LG_MMAP_START_LOCKING] = "mmap_lock_start_locking",
		[LG_MMAP_ACQUIRE_RETURNED] = "mmap_lock_acquire_returned",
		[LG_MMAP_RELEASED] = "mmap_lock_released",
	};

	for (int p = 0; p < (int)(sizeof(names) / sizeof(names[0])); p++)
		if (strlen(names[p]) == len && !memcmp(names[p], name, len))
			return p;
	return -1;
}

void lg_mmap_lock_init(struct lg_mmap_lock *m, struct lg_strtab *names)
{
	memset(m, 0, sizeof(*m));
	lg_tasks_init(&m->tasks);
	m->names = names;
	m->class_name = LG_NONE;
}

void lg_mmap_lock_release(struct lg_mmap_lock *m)
{
	lg_tasks_release(&m->tasks);
	free(m->mm);
}

/* The slot recording what the task started locking (0: nothing). */
static uint64_t *starting(struct lg_mmap_lock *m, const struct lg_event *ev)
{
	bool added;
	uint32_t i = lg_tasks_of(&m->tasks, ev, &added);

	if (added) {
		LG_GROW(m->mm, m->nr, m->alloc);
		m->mm[m->nr++] = 0;
	}
	return &m->mm[i];
}

bool lg_mmap_lock_event(struct lg_mmap_lock *m, struct lg_event *ev,
			enum lg_mmap_lock_point point, uint64_t mm, bool write,
			bool success)
{
	uint64_t *start = starting(m, ev);
	bool started = *start == mm;

	if (m->class_name == LG_NONE)
		m->class_name = lg_strtab_intern(m->names, LG_MMAP_LOCK_CLASS,
						 strlen(LG_MMAP_LOCK_CLASS));
	ev->addr = mm;
	ev->class_name = m->class_name;
	ev->flags = LG_ACQ_MMAP_LOCK | (write ? 0 : LG_ACQ_READ);
	switch (point) {
	case LG_MMAP_START_LOCKING:
		*start = mm;
		ev->kind = LG_EV_ACQUIRING;
		return true;
	case LG_MMAP_ACQUIRE_RETURNED:
		*start = 0;
		if (!success)
			return false;
		/* mmap_write_downgrade() only says "returned, read" */
		ev->kind = !started && !write ? LG_EV_DOWNGRADE : LG_EV_ACQUIRE;
		return true;
	case LG_MMAP_RELEASED:
		ev->kind = LG_EV_RELEASE;
		return true;
	}
	return false;
}
