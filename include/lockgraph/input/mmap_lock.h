/* The mmap_lock tracepoints (mmap_lock_start_locking / acquire_returned /
 * released) as a lock source for kernels without lockdep: turned into
 * acquisitions and releases of class "&mm->mmap_lock", instance mm. Shared by
 * the text and trace.dat readers so both read them alike. */
#ifndef LOCKGRAPH_MMAP_LOCK_H
#define LOCKGRAPH_MMAP_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/strtab.h"

#define LG_MMAP_LOCK_CLASS "&mm->mmap_lock"

enum lg_mmap_lock_point {
	LG_MMAP_START_LOCKING,
	LG_MMAP_ACQUIRE_RETURNED,
	LG_MMAP_RELEASED,
};

/* Which task is between start_locking and acquire_returned, and on what. */
struct lg_mmap_lock {
	struct lg_tasks tasks;		/* task -> mm[] */
	uint64_t *mm;
	uint32_t nr, alloc;
	struct lg_strtab *names;
	uint32_t class_name;	/* interned at first use: classes are what was acquired */
};

/* The point of the mmap_lock event called name[0..len), or -1. */
int lg_mmap_lock_point(const char *name, size_t len);

void lg_mmap_lock_init(struct lg_mmap_lock *m, struct lg_strtab *names);
void lg_mmap_lock_release(struct lg_mmap_lock *m);

/*
 * ev has the common part (time, task, cpu, context) filled in. True if it now
 * is a lock event: the start of an acquisition (LG_EV_ACQUIRING), an
 * acquisition (LG_ACQ_READ for read; a write holder returning as a reader
 * without starting is a downgrade, LG_EV_DOWNGRADE) or a release. A failed
 * acquisition (success=false) holds nothing.
 */
bool lg_mmap_lock_event(struct lg_mmap_lock *m, struct lg_event *ev,
			enum lg_mmap_lock_point point, uint64_t mm, bool write,
			bool success);

#endif
