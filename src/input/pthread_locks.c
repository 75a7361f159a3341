/* pthread uprobe hits into lock events; see pthread_locks.h and
 * contract/pthread_calls.h for the calls record probes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/pthread_locks.h"
#include "lockgraph/lib/util.h"

#define CLONE_THREAD_FLAG 0x00010000	/* <linux/sched.h> CLONE_THREAD */
#define SYMBOL_MAX 256			/* longer names: the address will do */

void lg_pthread_init(struct lg_pthread *p, struct lg_strtab *names)
{
	memset(p, 0, sizeof(*p));
	lg_tasks_init(&p->tasks);
	lg_u64map_init(&p->tgid);
	lg_u64map_init(&p->process);
	lg_u64map_init(&p->owner);
	p->names = names;
}

void lg_pthread_release(struct lg_pthread *p)
{
	lg_tasks_release(&p->tasks);
	lg_u64map_release(&p->tgid);
	free(p->pending);
	for (uint32_t i = 0; i < p->nr_processes; i++) {
		lg_u64map_release(&p->processes[i].classes[0]);
		lg_u64map_release(&p->processes[i].classes[1]);
	}
	lg_u64map_release(&p->process);
	free(p->processes);
	lg_u64map_release(&p->owner);
	free(p->owners);
}

void lg_pthread_set_symbols(struct lg_pthread *p, lg_pthread_symbol_fn symbol, void *arg)
{
	p->symbol = symbol;
	p->symbol_arg = arg;
}

void lg_pthread_new_task(struct lg_pthread *p, int32_t creator, int32_t child,
			 uint64_t clone_flags)
{
	uint32_t tgid = lg_u64map_get(&p->tgid, (uint32_t)creator);

	if (tgid == LG_NONE)
		tgid = creator;
	lg_u64map_put(&p->tgid, (uint32_t)child,
		      clone_flags & CLONE_THREAD_FLAG ? tgid : (uint32_t)child);
}

static struct lg_pthread_pending *pending_of(struct lg_pthread *p, const struct lg_event *ev)
{
	bool added;
	uint32_t i = lg_tasks_of(&p->tasks, ev, &added);

	if (added) {
		LG_GROW(p->pending, p->nr, p->alloc);
		p->pending[p->nr++] = (struct lg_pthread_pending){ .call = -1 };
	}
	return &p->pending[i];
}

static struct lg_pthread_process *process_of(struct lg_pthread *p, uint32_t tgid)
{
	uint32_t i = lg_u64map_get(&p->process, tgid);

	if (i == LG_NONE) {
		LG_GROW(p->processes, p->nr_processes, p->alloc_processes);
		i = p->nr_processes++;
		lg_u64map_init(&p->processes[i].classes[0]);
		lg_u64map_init(&p->processes[i].classes[1]);
		lg_u64map_put(&p->process, tgid, i);
	}
	return &p->processes[i];
}

static __attribute__((format(printf, 2, 3)))
uint32_t intern(struct lg_pthread *p, const char *fmt, ...)
{
	char name[SYMBOL_MAX + 64];	/* room for the symbol and the rest */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return lg_strtab_intern(p->names, name, strlen(name));
}

/* Whether the symbol's class name is free for the lock: not another's. */
static bool owns(struct lg_pthread *p, uint32_t name, uint32_t tgid, uint64_t lock)
{
	uint32_t i = lg_u64map_get(&p->owner, name);

	if (i == LG_NONE) {
		LG_GROW(p->owners, p->nr_owners, p->alloc_owners);
		i = p->nr_owners++;
		p->owners[i] = (struct lg_pthread_owner){ .tgid = tgid, .addr = lock };
		lg_u64map_put(&p->owner, name, i);
	}
	return p->owners[i].tgid == tgid && p->owners[i].addr == lock;
}

static uint32_t name_lock(struct lg_pthread *p, uint32_t tgid, bool rw, uint64_t lock)
{
	unsigned long long addr = lock;
	char symbol[SYMBOL_MAX];
	uint32_t name;

	if (p->symbol && !p->symbol(p->symbol_arg, tgid, lock, symbol, sizeof(symbol))) {
		name = intern(p, "%s (tgid %u)", symbol, tgid);
		if (owns(p, name, tgid, lock))
			return name;
		return intern(p, "%s 0x%llx (tgid %u)", symbol, addr, tgid);
	}
	return intern(p, "%s 0x%llx (tgid %u)", rw ? "pthread_rwlock" : "pthread_mutex", addr,
		      tgid);
}

/* Addresses are per process: the class is the lock's address in its process
 * (a thread seen before its creation counts as a process of its own). Named
 * once: the name is the class. */
static uint32_t class_of(struct lg_pthread *p, const struct lg_event *ev,
			 enum lg_pthread_call call, uint64_t lock)
{
	bool rw = call == LG_PT_RWLOCK_RDLOCK || call == LG_PT_RWLOCK_WRLOCK ||
		  call == LG_PT_RWLOCK_UNLOCK;
	uint32_t tgid = lg_u64map_get(&p->tgid, (uint32_t)ev->pid);
	struct lg_u64map *classes;
	uint32_t name;

	if (tgid == LG_NONE)
		tgid = ev->pid;
	classes = &process_of(p, tgid)->classes[rw];
	name = lg_u64map_get(classes, lock);
	if (name == LG_NONE) {
		name = name_lock(p, tgid, rw, lock);
		lg_u64map_put(classes, lock, name);
	}
	return name;
}

static bool lock_event(struct lg_pthread *p, struct lg_event *ev, enum lg_pthread_call call,
		       enum lg_event_kind kind, uint16_t flags, uint64_t lock)
{
	ev->kind = kind;
	ev->addr = lock;
	ev->flags = flags | LG_ACQ_USER;
	ev->arg = 0;
	ev->class_name = class_of(p, ev, call, lock);
	return true;
}

/* glibc's default rwlock prefers readers: a read may re-enter past a waiting writer */
#define RDLOCK_FLAGS (LG_ACQ_READ | LG_ACQ_RECURSIVE)

bool lg_pthread_event(struct lg_pthread *p, struct lg_event *ev, enum lg_pthread_call call,
		      bool is_return, uint64_t lock, int32_t ret)
{
	struct lg_pthread_pending *pend = pending_of(p, ev);
	bool ok = ret == 0 || ret == EOWNERDEAD;	/* a robust mutex is held either way */

	/* a uprobe's common_flags are not the task's: always process context */
	ev->ctx = LG_CTX_PROCESS;
	ev->irqflags = 0;
	if (!is_return) {
		*pend = (struct lg_pthread_pending){ .lock = lock, .call = call };
		switch (call) {
		case LG_PT_MUTEX_LOCK:
		case LG_PT_RWLOCK_WRLOCK:
			return lock_event(p, ev, call, LG_EV_ACQUIRE, 0, lock);
		case LG_PT_RWLOCK_RDLOCK:
			return lock_event(p, ev, call, LG_EV_ACQUIRE, RDLOCK_FLAGS, lock);
		case LG_PT_MUTEX_UNLOCK:
		case LG_PT_RWLOCK_UNLOCK:
		case LG_PT_COND_WAIT:
			return lock_event(p, ev, call, LG_EV_RELEASE, 0, lock);
		case LG_PT_MUTEX_TRYLOCK:
			return false;
		}
		return false;
	}
	if (pend->call != (int8_t)call)
		return false;	/* the entry was before the recording */
	lock = pend->lock;
	pend->call = -1;
	switch (call) {
	case LG_PT_MUTEX_LOCK:
	case LG_PT_RWLOCK_WRLOCK:
	case LG_PT_RWLOCK_RDLOCK:
		return !ok && lock_event(p, ev, call, LG_EV_RELEASE, 0, lock);
	case LG_PT_MUTEX_TRYLOCK:
		return ok && lock_event(p, ev, call, LG_EV_ACQUIRE, LG_ACQ_TRY, lock);
	case LG_PT_COND_WAIT:
		return lock_event(p, ev, LG_PT_MUTEX_LOCK, LG_EV_ACQUIRE, 0, lock);
	default:
		return false;
	}
}
