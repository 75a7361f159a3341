/* Contention statistics: waits paired per task (contention_begin nests: a
 * mutex that spins then sleeps begins twice and ends once), locks named by
 * the lockdep class acquired just before the wait, else by an exact symbol,
 * else by address. Memory grows with locks and tasks, not with events. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/contention.h"
#include "lockgraph/u64map.h"
#include "lockgraph/util.h"

#define MAX_WAITS 16

struct wait {
	uint64_t addr, start;
	uint32_t flags;
};

struct task {
	struct wait waits[MAX_WAITS];	/* contention_begin without its end */
	uint32_t depth;
	uint32_t acquiring;		/* class of a lock_acquire just seen, or LG_NONE */
	uint64_t stat_addr, stat_start;	/* LOCK_STAT: lock_contended pending */
};

/* A lock of the input being read, waited for in one way (kind): a lock
 * address (contention_*) or a lockdep map address (LOCK_STAT). The kinds of
 * one lock chain through other_kind. */
struct input_lock {
	uint64_t addr;
	uint32_t class;
	uint32_t kind;
	uint32_t other_kind;	/* locks[] index, or LG_NONE */
	uint64_t contended, total_ns, max_ns;
};

struct lg_contention {
	const struct lg_strtab *class_names;
	/* the input being read */
	struct task *tasks;
	uint32_t nr_tasks, alloc_tasks;
	struct lg_u64map task_index;
	struct input_lock *locks;
	uint32_t nr_locks, alloc_locks;
	struct lg_u64map by_lock, by_map;	/* address -> locks[] */
	struct lg_u64map map_class;		/* lockdep map address -> class */
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
	lg_u64map_init(&c->task_index);
	lg_u64map_init(&c->by_lock);
	lg_u64map_init(&c->by_map);
	lg_u64map_init(&c->map_class);
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
	lg_u64map_release(&c->task_index);
	lg_u64map_release(&c->by_lock);
	lg_u64map_release(&c->by_map);
	lg_u64map_release(&c->map_class);
	lg_u64map_release(&c->total_index);
	free(c);
}

static struct task *task_of(struct lg_contention *c, const struct lg_event *ev)
{
	uint64_t key = lg_event_task(ev);
	uint32_t i = lg_u64map_get(&c->task_index, key);

	if (i == LG_NONE) {
		LG_GROW(c->tasks, c->nr_tasks, c->alloc_tasks);
		i = c->nr_tasks++;
		memset(&c->tasks[i], 0, sizeof(c->tasks[i]));
		c->tasks[i].acquiring = LG_NONE;
		lg_u64map_put(&c->task_index, key, i);
	}
	return &c->tasks[i];
}

static uint32_t new_lock(struct lg_contention *c, uint64_t addr, uint32_t kind,
			 uint32_t class, uint32_t other_kind)
{
	LG_GROW(c->locks, c->nr_locks, c->alloc_locks);
	c->locks[c->nr_locks] = (struct input_lock){
		.addr = addr, .class = class, .kind = kind, .other_kind = other_kind,
	};
	return c->nr_locks++;
}

/* The entry of addr waited for as kind; the first of a lock carries its class. */
static struct input_lock *lock_of(struct lg_contention *c, struct lg_u64map *index,
				  uint64_t addr, uint32_t kind)
{
	uint32_t first = lg_u64map_get(index, addr), i;

	if (first == LG_NONE) {
		first = new_lock(c, addr, kind, LG_NONE, LG_NONE);
		lg_u64map_put(index, addr, first);
	}
	for (i = first; i != LG_NONE; i = c->locks[i].other_kind)
		if (c->locks[i].kind == kind)
			return &c->locks[i];
	i = new_lock(c, addr, kind, c->locks[first].class, c->locks[first].other_kind);
	c->locks[first].other_kind = i;
	return &c->locks[i];
}

static void account(struct input_lock *l, uint64_t start, uint64_t end)
{
	uint64_t ns = end > start ? end - start : 0;

	l->contended++;
	l->total_ns += ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
}

/* Name every kind of the lock at addr after class, unless named already. */
static void name_lock(struct lg_contention *c, uint64_t addr, uint32_t class)
{
	uint32_t i = lg_u64map_get(&c->by_lock, addr);

	if (i == LG_NONE) {	/* a placeholder, until its waits end */
		i = new_lock(c, addr, 0, LG_NONE, LG_NONE);
		lg_u64map_put(&c->by_lock, addr, i);
	}
	for (; i != LG_NONE; i = c->locks[i].other_kind)
		if (c->locks[i].class == LG_NONE)
			c->locks[i].class = class;
}

static void begin(struct lg_contention *c, struct task *t, const struct lg_event *ev)
{
	/* lockdep's lock_acquire() and mmap_lock's start_locking come before
	 * the lock's slow path begins */
	if (t->acquiring != LG_NONE)
		name_lock(c, ev->addr, t->acquiring);
	t->acquiring = LG_NONE;
	if (t->depth && t->waits[t->depth - 1].addr == ev->addr) {
		t->waits[t->depth - 1].flags |= ev->arg;	/* spinning, now sleeping */
		return;
	}
	if (t->depth == MAX_WAITS)	/* ends went missing */
		t->depth = 0;
	t->waits[t->depth++] = (struct wait){ ev->addr, ev->time_ns, ev->arg };
}

static void end(struct lg_contention *c, struct task *t, const struct lg_event *ev)
{
	for (uint32_t i = t->depth; i-- > 0;) {
		struct wait *w = &t->waits[i];

		if (w->addr != ev->addr)
			continue;
		account(lock_of(c, &c->by_lock, w->addr, w->flags), w->start, ev->time_ns);
		t->depth = i;	/* waits begun inside it and never ended go too */
		return;
	}
}

static void lock_stat(struct lg_contention *c, struct task *t, const struct lg_event *ev)
{
	if (ev->kind == LG_EV_CONTENDED) {
		t->stat_addr = ev->addr;
		t->stat_start = ev->time_ns;
		return;
	}
	if (t->stat_addr != ev->addr)	/* acquired without waiting */
		return;
	account(lock_of(c, &c->by_map, ev->addr, LG_LOCK_STAT), t->stat_start, ev->time_ns);
	t->stat_addr = 0;
}

void lg_contention_event(struct lg_contention *c, const struct lg_event *ev)
{
	struct task *t;

	if (ev->kind == LG_EV_LOST) {	/* waits across a gap cannot be timed */
		for (uint32_t i = 0; i < c->nr_tasks; i++) {
			c->tasks[i].depth = 0;
			c->tasks[i].stat_addr = 0;
		}
		return;
	}
	t = task_of(c, ev);
	switch (ev->kind) {
	case LG_EV_ACQUIRE:
		lg_u64map_put(&c->map_class, ev->addr, ev->class_name);
		/* mmap_lock's acquire_returned comes after the wait, not before */
		t->acquiring = ev->flags & LG_ACQ_MMAP_LOCK ? LG_NONE : ev->class_name;
		break;
	case LG_EV_ACQUIRING:
		t->acquiring = ev->class_name;
		break;
	case LG_EV_CONTENDED:
	case LG_EV_ACQUIRED:
		lock_stat(c, t, ev);
		break;
	case LG_EV_CONTENTION_BEGIN:
		begin(c, t, ev);
		break;
	case LG_EV_CONTENTION_END:
		end(c, t, ev);
		t->acquiring = LG_NONE;
		break;
	default:
		t->acquiring = LG_NONE;
		break;
	}
}

/* Locks add up across instances and inputs by name and kind. */
static uint64_t total_key(struct lg_contention *c, const struct lg_lock_contention *s)
{
	return (uint64_t)lg_strtab_intern(c->names, s->name, strlen(s->name)) << 32 | s->kind;
}

static void add_up(struct lg_contention *c, const char *name, enum lg_lock_naming naming,
		   const struct input_lock *l)
{
	uint32_t id = lg_strtab_intern(c->names, name, strlen(name));
	struct lg_lock_contention *s, probe = { .name = lg_strtab_str(c->names, id), .kind = l->kind };
	uint32_t i = lg_u64map_get(&c->total_index, total_key(c, &probe));

	if (i == LG_NONE) {
		LG_GROW(c->total, c->nr_total, c->alloc_total);
		i = c->nr_total++;
		probe.naming = naming;
		c->total[i] = probe;	/* interned strings never move */
		lg_u64map_put(&c->total_index, total_key(c, &probe), i);
	}
	s = &c->total[i];
	s->contended += l->contended;
	s->total_ns += l->total_ns;
	if (l->max_ns > s->max_ns)
		s->max_ns = l->max_ns;
}

static int by_total_wait(const void *a, const void *b)
{
	const struct lg_lock_contention *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return strcmp(x->name, y->name);
}

void lg_contention_end_input(struct lg_contention *c, lg_symbol_fn symbol, void *arg)
{
	for (uint32_t i = 0; i < c->nr_locks; i++) {
		struct input_lock *l = &c->locks[i];
		const char *sym;
		char addr[24];

		if (!l->contended)
			continue;
		if (l->kind == LG_LOCK_STAT)
			l->class = lg_u64map_get(&c->map_class, l->addr);
		if (l->class != LG_NONE) {
			add_up(c, lg_strtab_str(c->class_names, l->class), LG_NAMED_BY_CLASS, l);
		} else if ((sym = symbol ? symbol(l->addr, arg) : NULL)) {
			add_up(c, sym, LG_NAMED_BY_SYMBOL, l);
		} else {
			snprintf(addr, sizeof(addr), "%016" PRIx64, l->addr);
			add_up(c, addr, LG_NAMED_BY_ADDRESS, l);
		}
	}
	c->nr_tasks = c->nr_locks = 0;
	lg_u64map_clear(&c->task_index);
	lg_u64map_clear(&c->by_lock);
	lg_u64map_clear(&c->by_map);
	lg_u64map_clear(&c->map_class);
	if (c->nr_total > 1)
		qsort(c->total, c->nr_total, sizeof(*c->total), by_total_wait);
	lg_u64map_clear(&c->total_index);
	for (uint32_t i = 0; i < c->nr_total; i++)
		lg_u64map_put(&c->total_index, total_key(c, &c->total[i]), i);
}

uint32_t lg_contention_nr(const struct lg_contention *c)
{
	return c->nr_total;
}

const struct lg_lock_contention *lg_contention_get(const struct lg_contention *c, uint32_t i)
{
	return &c->total[i];
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
