/* Contention statistics: waits paired per task (contention_begin nests: a
 * mutex that spins then sleeps begins twice and ends once), each named by the
 * lock class acquired just before it, else by an exact symbol, else by address.
 * Named waits add up by name at once; only unnamed locks are kept by address,
 * so memory grows with classes, unnamed contended locks and tasks. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/contention.h"

#define MAX_WAITS 16
/* Tasks that wait for nothing are kept for naming their next wait by the
 * lock_acquire before it; the least recently active beyond these are
 * forgotten, so memory follows the tasks that wait. */
#define IDLE_TASKS_KEPT 4096

struct wait {
	uint64_t addr, start;
	uint32_t flags;
	uint32_t class;		/* or LG_NONE */
};

struct task {
	struct wait waits[MAX_WAITS];	/* contention_begin without its end */
	uint32_t depth;
	uint32_t acquiring;		/* class of a lock_acquire just seen, or LG_NONE */
	uint64_t last_map;		/* the last lock_acquire's map, and class */
	uint32_t last_class;
	uint64_t stat_addr, stat_start;	/* LOCK_STAT: lock_contended pending, */
	uint32_t stat_class;
	bool stat_waiting;		/* if this is set */
};

/* An unnamed lock of the input being read, waited for in one way (kind); the
 * kinds of one address chain through other_kind. */
struct input_lock {
	uint64_t addr;
	uint32_t kind;
	uint32_t other_kind;	/* locks[] index, or LG_NONE */
	uint64_t contended, total_ns, max_ns;
};

struct lg_contention {
	const struct lg_strtab *class_names;
	/* the input being read */
	struct task *tasks;
	uint32_t nr_tasks, alloc_tasks;
	struct lg_tasks task_index;
	struct input_lock *locks;
	uint32_t nr_locks, alloc_locks;
	struct lg_u64map lock_index;	/* address -> locks[] */
	/* all inputs, added up by name and kind */
	struct lg_strtab *names;
	struct lg_lock_contention *total;
	uint32_t nr_total, alloc_total;
	struct lg_u64map total_index;
};

struct lg_contention *lg_contention_new(const struct lg_strtab *class_names)
{
	struct lg_contention *c = lg_xcalloc(1, sizeof(*c));

	c->class_names = class_names;
	c->names = lg_strtab_new();
	lg_tasks_init(&c->task_index);
	lg_u64map_init(&c->lock_index);
	lg_u64map_init(&c->total_index);
	return c;
}

void lg_contention_free(struct lg_contention *c)
{
	if (!c)
		return;
	free(c->tasks);
	free(c->locks);
	free(c->total);
	lg_strtab_free(c->names);
	lg_tasks_release(&c->task_index);
	lg_u64map_release(&c->lock_index);
	lg_u64map_release(&c->total_index);
	free(c);
}

static struct task *task_of(struct lg_contention *c, const struct lg_event *ev)
{
	bool added;
	uint32_t i = lg_tasks_of(&c->task_index, ev, &added);

	if (added) {
		if (i == c->nr_tasks) {
			LG_GROW(c->tasks, c->nr_tasks, c->alloc_tasks);
			c->nr_tasks++;
		}
		c->tasks[i] = (struct task){ .acquiring = LG_NONE, .last_class = LG_NONE };
	}
	return &c->tasks[i];
}

/* After an event of task i: idle unless it waits, and the idle tasks beyond
 * those kept forgotten. */
static void settle(struct lg_contention *c, uint32_t i)
{
	lg_tasks_set_idle(&c->task_index, i, !c->tasks[i].depth && !c->tasks[i].stat_waiting);
	while ((i = lg_tasks_excess_idle(&c->task_index, IDLE_TASKS_KEPT)) != LG_NONE)
		lg_tasks_forget(&c->task_index, i);
}

/* Add a lock's waits to the totals of its name and kind. */
static void add_up(struct lg_contention *c, const char *name, enum lg_lock_naming naming,
		   uint32_t kind, uint64_t contended, uint64_t total_ns, uint64_t max_ns)
{
	uint32_t id = lg_strtab_intern(c->names, name, strlen(name));
	uint64_t key = (uint64_t)id << 32 | kind;
	uint32_t i = lg_u64map_get(&c->total_index, key);
	struct lg_lock_contention *s;

	if (i == LG_NONE) {
		LG_GROW(c->total, c->nr_total, c->alloc_total);
		i = c->nr_total++;
		/* interned strings never move */
		c->total[i] = (struct lg_lock_contention){
			.name = lg_strtab_str(c->names, id), .naming = naming, .kind = kind,
		};
		lg_u64map_put(&c->total_index, key, i);
	}
	s = &c->total[i];
	s->contended += contended;
	s->total_ns += total_ns;
	if (max_ns > s->max_ns)
		s->max_ns = max_ns;
}

static struct input_lock *unnamed_lock(struct lg_contention *c, uint64_t addr, uint32_t kind)
{
	uint32_t first = lg_u64map_get(&c->lock_index, addr), i;

	for (i = first; i != LG_NONE; i = c->locks[i].other_kind)
		if (c->locks[i].kind == kind)
			return &c->locks[i];
	LG_GROW(c->locks, c->nr_locks, c->alloc_locks);
	i = c->nr_locks++;
	c->locks[i] = (struct input_lock){ .addr = addr, .kind = kind, .other_kind = first };
	lg_u64map_put(&c->lock_index, addr, i);
	return &c->locks[i];
}

/* One wait of kind on the lock at addr, named by class if known. */
static void waited(struct lg_contention *c, uint64_t addr, uint32_t kind, uint32_t class,
		   uint64_t start, uint64_t end)
{
	uint64_t ns = end > start ? end - start : 0;
	struct input_lock *l;

	if (class != LG_NONE) {
		add_up(c, lg_strtab_str(c->class_names, class), LG_NAMED_BY_CLASS, kind, 1, ns, ns);
		return;
	}
	l = unnamed_lock(c, addr, kind);
	l->contended++;
	l->total_ns += ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
}

static void begin(struct task *t, const struct lg_event *ev)
{
	/* lockdep's lock_acquire() and mmap_lock's start_locking come before
	 * the lock's slow path begins */
	uint32_t class = t->acquiring;

	t->acquiring = LG_NONE;
	if (t->depth && t->waits[t->depth - 1].addr == ev->addr) {
		t->waits[t->depth - 1].flags |= ev->arg;	/* spinning, now sleeping */
		return;
	}
	if (t->depth == MAX_WAITS)	/* ends went missing */
		t->depth = 0;
	t->waits[t->depth++] = (struct wait){ ev->addr, ev->time_ns, ev->arg, class };
}

static void end(struct lg_contention *c, struct task *t, const struct lg_event *ev)
{
	for (uint32_t i = t->depth; i-- > 0;) {
		struct wait *w = &t->waits[i];

		if (w->addr != ev->addr)
			continue;
		waited(c, w->addr, w->flags, w->class, w->start, ev->time_ns);
		t->depth = i;	/* waits begun inside it and never ended go too */
		return;
	}
}

/* lockdep calls lock_contended() after lock_acquire() of the same map */
static void lock_stat(struct lg_contention *c, struct task *t, const struct lg_event *ev)
{
	if (ev->kind == LG_EV_CONTENDED) {
		t->stat_waiting = true;
		t->stat_addr = ev->addr;
		t->stat_start = ev->time_ns;
		t->stat_class = ev->addr == t->last_map ? t->last_class : LG_NONE;
		return;
	}
	if (!t->stat_waiting || t->stat_addr != ev->addr)	/* acquired without waiting */
		return;
	waited(c, ev->addr, LG_LOCK_STAT, t->stat_class, t->stat_start, ev->time_ns);
	t->stat_waiting = false;
}

void lg_contention_event(struct lg_contention *c, const struct lg_event *ev)
{
	struct task *t;

	if (ev->kind == LG_EV_LOST) {	/* waits across a gap cannot be timed */
		for (uint32_t i = 0; i < c->nr_tasks; i++) {
			c->tasks[i].depth = 0;
			c->tasks[i].stat_waiting = false;
		}
		lg_tasks_set_all_idle(&c->task_index);
		return;
	}
	t = task_of(c, ev);
	switch (ev->kind) {
	case LG_EV_ACQUIRE:
		/* mmap_lock's acquire_returned comes after the wait, not before */
		t->acquiring = ev->flags & LG_ACQ_MMAP_LOCK ? LG_NONE : ev->class_name;
		t->last_map = ev->addr;
		t->last_class = ev->class_name;
		break;
	case LG_EV_ACQUIRING:
		t->acquiring = ev->class_name;
		break;
	case LG_EV_CONTENDED:
	case LG_EV_ACQUIRED:
		lock_stat(c, t, ev);
		break;
	case LG_EV_CONTENTION_BEGIN:
		begin(t, ev);
		break;
	case LG_EV_CONTENTION_END:
		end(c, t, ev);
		t->acquiring = LG_NONE;
		break;
	default:
		t->acquiring = LG_NONE;
		break;
	}
	settle(c, t - c->tasks);
}

static int by_total_wait(const void *a, const void *b)
{
	const struct lg_lock_contention *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (strcmp(x->name, y->name))
		return strcmp(x->name, y->name);
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* Longest total wait first, and the index over them again. */
static void sort_totals(struct lg_contention *c)
{
	if (c->nr_total > 1)
		qsort(c->total, c->nr_total, sizeof(*c->total), by_total_wait);
	lg_u64map_clear(&c->total_index);
	for (uint32_t i = 0; i < c->nr_total; i++) {
		const struct lg_lock_contention *s = &c->total[i];
		uint32_t id = lg_strtab_intern(c->names, s->name, strlen(s->name));

		lg_u64map_put(&c->total_index, (uint64_t)id << 32 | s->kind, i);
	}
}

void lg_contention_end_input(struct lg_contention *c, lg_symbol_fn symbol, void *arg)
{
	for (uint32_t i = 0; i < c->nr_locks; i++) {
		const struct input_lock *l = &c->locks[i];
		const char *sym = symbol ? symbol(l->addr, arg) : NULL;
		char addr[24];

		snprintf(addr, sizeof(addr), "%016" PRIx64, l->addr);
		add_up(c, sym ? sym : addr, sym ? LG_NAMED_BY_SYMBOL : LG_NAMED_BY_ADDRESS,
		       l->kind, l->contended, l->total_ns, l->max_ns);
	}
	c->nr_tasks = c->nr_locks = 0;
	lg_tasks_clear(&c->task_index);
	lg_u64map_clear(&c->lock_index);
	sort_totals(c);
}

void lg_contention_merge(struct lg_contention *c, const struct lg_lock_contention *locks,
			 uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++)
		add_up(c, locks[i].name, locks[i].naming, locks[i].kind, locks[i].contended,
		       locks[i].total_ns, locks[i].max_ns);
	sort_totals(c);
}

uint32_t lg_contention_nr(const struct lg_contention *c)
{
	return c->nr_total;
}

const struct lg_lock_contention *lg_contention_get(const struct lg_contention *c, uint32_t i)
{
	return &c->total[i];
}

const char *lg_contention_naming_name(enum lg_lock_naming naming)
{
	static const char *const names[] = {
		[LG_NAMED_BY_CLASS] = "class",
		[LG_NAMED_BY_SYMBOL] = "symbol",
		[LG_NAMED_BY_ADDRESS] = "address",
	};

	return names[naming];
}

/* LCB_F_SPIN 1, READ 2, WRITE 4, RT 8, PERCPU 16, MUTEX 32, as perf lock names them */
const char *lg_contention_kind_name(uint32_t kind)
{
	static const struct {
		uint32_t flags;
		const char *name;
	} kinds[] = {
		{ 0x01, "spinlock" }, { 0x03, "rwlock:R" }, { 0x05, "rwlock:W" },
		{ 0x02, "rwsem:R" }, { 0x04, "rwsem:W" }, { 0x08, "rt-mutex" },
		{ 0x0a, "rwlock-rt:R" }, { 0x0c, "rwlock-rt:W" }, { 0x12, "pcpu-sem:R" },
		{ 0x14, "pcpu-sem:W" }, { 0x20, "mutex" }, { 0x21, "mutex" },
	};

	if (kind == LG_LOCK_STAT)
		return "lock_stat";
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].flags == kind)
			return kinds[i].name;
	return "unknown";
}
