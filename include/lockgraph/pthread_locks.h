/* Userspace pthread locks from `lockgraph record --pthread` uprobes: each
 * probed call (entry, and return with its result) becomes an acquisition or
 * release of a lock named after its address and process, so that cycles are
 * found exactly as for kernel locks. */
#ifndef LOCKGRAPH_PTHREAD_LOCKS_H
#define LOCKGRAPH_PTHREAD_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lockgraph/event.h"
#include "lockgraph/strtab.h"
#include "lockgraph/tasks.h"
#include "lockgraph/u64map.h"

enum lg_pthread_call {
	LG_PT_MUTEX_LOCK,
	LG_PT_MUTEX_TRYLOCK,
	LG_PT_MUTEX_UNLOCK,
	LG_PT_RWLOCK_RDLOCK,
	LG_PT_RWLOCK_WRLOCK,
	LG_PT_RWLOCK_UNLOCK,
	LG_PT_COND_WAIT,	/* pthread_cond_wait, _timedwait, _clockwait */
};

/* A call waiting for its return probe, per task. */
struct lg_pthread_pending {
	uint64_t lock;
	int8_t call;		/* enum lg_pthread_call, -1: none */
};

struct lg_pthread {
	struct lg_tasks tasks;		/* thread -> pending[] */
	struct lg_pthread_pending *pending;
	uint32_t nr, alloc;
	struct lg_u64map tgid;		/* thread -> its process, from task_newtask */
	struct lg_strtab *names;
};

/* The libc functions lockgraph record --pthread probes, each an event of
 * that name (and NAME__return), NULL-terminated. */
struct lg_pthread_function {
	const char *name;
	enum lg_pthread_call call;
};
extern const struct lg_pthread_function lg_pthread_functions[];

/* The call probed by the event called name[0..len) (an entry's name), or -1. */
int lg_pthread_call(const char *name, size_t len);
/* Whether its result matters (an unlock's does not: no return probe). */
bool lg_pthread_call_returns(enum lg_pthread_call call);

void lg_pthread_init(struct lg_pthread *p, struct lg_strtab *names);
void lg_pthread_release(struct lg_pthread *p);

/* task:task_newtask: a thread (CLONE_THREAD) joins its creator's process. */
void lg_pthread_new_task(struct lg_pthread *p, int32_t creator, int32_t child,
			 uint64_t clone_flags);

/*
 * ev has the common part filled in. An entry carries the lock's address, a
 * return the call's result. True if ev now is a lock event: a lock call's
 * entry is the acquisition (lockdep's order: before any wait), undone by a
 * release when it returns an error; a trylock acquires on success only;
 * pthread_cond_*wait releases its mutex on entry and takes it again on return.
 */
bool lg_pthread_event(struct lg_pthread *p, struct lg_event *ev, enum lg_pthread_call call,
		      bool is_return, uint64_t lock, int32_t ret);

#endif
