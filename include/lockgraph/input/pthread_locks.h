/* Userspace pthread locks from `lockgraph record --pthread` uprobes: each
 * probed call (entry, and return with its result) becomes an acquisition or
 * release of a lock, one class per address and process, named after the
 * global it is when a symbol says so, else after its address; so that cycles
 * are found exactly as for kernel locks. */
#ifndef LOCKGRAPH_PTHREAD_LOCKS_H
#define LOCKGRAPH_PTHREAD_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lockgraph/contract/pthread_calls.h"
#include "lockgraph/input/event.h"
#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/lib/u64map.h"

/* A call waiting for its return probe, per task. */
struct lg_pthread_pending {
	uint64_t lock;
	int8_t call;		/* enum lg_pthread_call, -1: none */
};

/* The name of the data symbol holding addr in process tgid, "SYMBOL" or
 * "SYMBOL+0xOFF", into name (len bytes): 0, or a negative errno when there
 * is none to be found (heap, stack, no such file). */
typedef int (*lg_pthread_symbol_fn)(void *arg, uint32_t tgid, uint64_t addr, char *name,
				    size_t len);

/* The locks of one process: their class names by address, mutex and rwlock. */
struct lg_pthread_process {
	struct lg_u64map classes[2];
};

/* A (process, address) that a symbol's name is given to. */
struct lg_pthread_owner {
	uint32_t tgid;
	uint64_t addr;
};

struct lg_pthread {
	struct lg_tasks tasks;		/* thread -> pending[] */
	struct lg_pthread_pending *pending;
	uint32_t nr, alloc;
	struct lg_u64map tgid;		/* thread -> its process, from task_newtask */
	struct lg_strtab *names;
	struct lg_u64map process;	/* tgid -> processes[] */
	struct lg_pthread_process *processes;
	uint32_t nr_processes, alloc_processes;
	struct lg_u64map owner;		/* a symbol's class name -> owners[] */
	struct lg_pthread_owner *owners;
	uint32_t nr_owners, alloc_owners;
	lg_pthread_symbol_fn symbol;	/* NULL: every lock named by address */
	void *symbol_arg;
};

void lg_pthread_init(struct lg_pthread *p, struct lg_strtab *names);
void lg_pthread_release(struct lg_pthread *p);

/*
 * Name locks after symbols from now on: "lock_a (tgid 1234)", or
 * "table+0x28 (tgid 1234)" inside an array or struct. A class is still one
 * address of one process: should a symbol's name already be another lock's (two
 * files' static `lock`), the second is "lock 0x7f52d8e1c040 (tgid 1234)".
 * Locks symbol finds nothing for are "pthread_mutex 0x55d0c8a1c040 (tgid 1234)"
 * (or pthread_rwlock). symbol is asked once per lock.
 */
void lg_pthread_set_symbols(struct lg_pthread *p, lg_pthread_symbol_fn symbol, void *arg);

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
