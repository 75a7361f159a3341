/* Held-lock bookkeeping with lockdep's semantics: which dependencies an
 * acquisition adds, which release pops what, and what lost events invalidate. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/primers.h"
#include "lockgraph/replay/replay.h"
#include "lockgraph/replay/wait_context.h"
#include "lockgraph/replay/waits.h"

struct held_stack {
	struct lg_held_lock *locks;
	uint32_t depth, alloc;
};

/* Probed functions a task is inside, outermost first; deeper ones replace
 * the innermost. */
#define MAX_INSIDE 8
/* The last locks a task released, newest last: the evidence that a release
 * of one of them is one too many. Older ones are forgotten, so a second
 * release long after the first counts only as unmatched. */
#define MAX_RELEASED 4

struct released {
	struct lg_held_lock lock;
	uint8_t ctx;		/* enum lg_ctx it was held in */
};

/* What only some tasks need: allocated on first use. */
struct task_more {
	uint32_t inside[MAX_INSIDE];	/* interned function names */
	struct released released[MAX_RELEASED];
};

struct task {
	struct held_stack ctx[LG_NR_CTX];
	struct task_more *more;
	uint8_t nr_inside;
	uint8_t nr_released;
};

/*
 * Idle tasks (holding nothing, inside no probed function) kept for their
 * last releases, the evidence of a release one too many; older idle ones are
 * forgotten, so memory follows the tasks holding something. A double release
 * by a task idle behind this many others is then an unmatched release.
 */
#define IDLE_TASKS_KEPT 65536

struct lg_replay {
	struct lg_graph *graph;
	uint32_t input;
	struct task *tasks;
	uint32_t nr_tasks, alloc_tasks;
	struct lg_tasks task_index;
	bool lockdep_seen;		/* this input has lock_acquire events */
	struct lg_primers primers;
	struct lg_waits *waits;
	struct lg_replay_stats stats;
};

struct lg_replay *lg_replay_new(struct lg_graph *g, struct lg_strtab *names)
{
	struct lg_replay *r = lg_xcalloc(1, sizeof(*r));

	r->graph = g;
	lg_tasks_init(&r->task_index);
	lg_primers_init(&r->primers, names);
	r->waits = lg_waits_new(g, names);
	return r;
}

static void drop_task(struct task *t)
{
	for (int c = 0; c < LG_NR_CTX; c++)
		free(t->ctx[c].locks);
	free(t->more);
	memset(t, 0, sizeof(*t));
}

static void drop_tasks(struct lg_replay *r)
{
	for (uint32_t i = 0; i < r->nr_tasks; i++)
		drop_task(&r->tasks[i]);
	r->nr_tasks = 0;
	lg_tasks_clear(&r->task_index);
}

void lg_replay_free(struct lg_replay *r)
{
	if (!r)
		return;
	drop_tasks(r);
	free(r->tasks);
	lg_tasks_release(&r->task_index);
	lg_primers_release(&r->primers);
	lg_waits_free(r->waits);
	free(r);
}

void lg_replay_begin_input(struct lg_replay *r, uint32_t input)
{
	drop_tasks(r);
	r->input = input;
	r->lockdep_seen = false;
	lg_waits_begin_input(r->waits, input);
}

const struct lg_replay_stats *lg_replay_stats(const struct lg_replay *r)
{
	return &r->stats;
}

void lg_replay_merge_stats(struct lg_replay *r, const struct lg_replay_stats *st)
{
	r->stats.acquires += st->acquires;
	r->stats.releases += st->releases;
	r->stats.unmatched_releases += st->unmatched_releases;
	r->stats.same_class_nesting += st->same_class_nesting;
	r->stats.unseen_set_class += st->unseen_set_class;
	r->stats.stack_resets += st->stack_resets;
	r->stats.depth_overflows += st->depth_overflows;
	r->stats.tasks += st->tasks;
}

static struct task *task_of(struct lg_replay *r, const struct lg_event *ev)
{
	bool added;
	uint32_t i = lg_tasks_of(&r->task_index, ev, &added);

	if (added) {
		if (i == r->nr_tasks) {
			LG_GROW(r->tasks, r->nr_tasks, r->alloc_tasks);
			memset(&r->tasks[r->nr_tasks++], 0, sizeof(r->tasks[i]));
		}
		r->stats.tasks++;
	}
	return &r->tasks[i];
}

static struct task_more *more_of(struct task *t)
{
	if (!t->more)
		t->more = lg_xcalloc(1, sizeof(*t->more));
	return t->more;
}

static bool idle(const struct task *t)
{
	for (int c = 0; c < LG_NR_CTX; c++)
		if (t->ctx[c].depth)
			return false;
	return !t->nr_inside;
}

static void forget_excess_idle(struct lg_replay *r)
{
	uint32_t i;

	while ((i = lg_tasks_excess_idle(&r->task_index, IDLE_TASKS_KEPT)) != LG_NONE) {
		drop_task(&r->tasks[i]);
		lg_tasks_forget(&r->task_index, i);
	}
}

/* After an event of ev's task: whether it is idle now. */
static void settle(struct lg_replay *r, const struct lg_event *ev)
{
	uint32_t i = lg_tasks_find(&r->task_index, ev);

	if (i == LG_NONE)
		return;
	lg_tasks_set_idle(&r->task_index, i, idle(&r->tasks[i]));
	forget_excess_idle(r);
}

/*
 * The tracepoint says "read" but not whether recursive (read=2): take the
 * queued-rwlock rule, recursive exactly when in_interrupt(). A source that
 * knows (glibc's reader-preferring rwlocks) says LG_ACQ_RECURSIVE.
 */
static bool recursive_read(const struct lg_event *ev)
{
	return (ev->flags & LG_ACQ_READ) &&
	       ((ev->flags & LG_ACQ_RECURSIVE) || lg_event_in_interrupt(ev));
}

/* lockdep's __calc_dep_bit() */
static uint8_t dep_type(const struct lg_held_lock *prev, const struct lg_event *next)
{
	bool prev_exclusive = !(prev->flags & LG_ACQ_READ);

	return 1U << (prev_exclusive + (!recursive_read(next) << 1));
}

static uint32_t innermost(const struct task *t)
{
	return t->nr_inside ? t->more->inside[t->nr_inside - 1] : LG_NONE;
}

/*
 * check_deadlock(): the same instance again, unless a recursive read on top
 * of a read; with the subclass known (LG_ACQ_EXACT), any lock of a held class
 * unless under a nest_lock, as lockdep. True if found.
 *
 * A held lock taken with a subclass may have been handed over to subclass 0
 * since, by a lock_set_subclass() that leaves no event (the scheduler's
 * double_unlock_balance()) unless the recording probed it: another of that
 * class taken then is only counted, not judged.
 */
static bool check_recursion(struct lg_replay *r, const struct task *t,
			    const struct lg_acquisition *at, uint32_t class)
{
	const struct lg_event *ev = at->ev;
	bool nested = false;

	for (int c = 0; c < LG_NR_CTX; c++) {
		const struct held_stack *s = &t->ctx[c];

		for (uint32_t i = 0; i < s->depth; i++) {
			const struct lg_held_lock *h = &s->locks[i];

			if (h->class != class)
				continue;
			/* without the subclass, two instances of a class may be nested
			 * legally (mutex_lock_nested): only counted */
			if (h->addr != ev->addr && !(ev->flags & LG_ACQ_EXACT)) {
				nested = true;
				continue;
			}
			if (h->addr != ev->addr && (h->flags & LG_ACQ_SUBCLASSED) &&
			    !(h->flags & LG_ACQ_CLASS_SEEN)) {
				r->stats.unseen_set_class++;
				continue;
			}
			if ((h->flags & LG_ACQ_READ) && recursive_read(ev))
				continue;
			if (h->addr != ev->addr && (ev->flags & LG_ACQ_NEST))
				continue;
			lg_graph_add_recursion(r->graph, class, h, at);
			return true;
		}
	}
	if (nested)
		r->stats.same_class_nesting++;
	return false;
}

/*
 * check_prevs_add(): a dependency from the nearest held lock that is not a
 * trylock, and from every trylock held above it. Unvalidated held locks are
 * passed over; a second instance of the acquired class gives no self-edge.
 * Two held trylocks of one class make one dependency, counted once. Each says
 * which priming function, if any, the acquisition was made inside.
 */
static void add_dependencies(struct lg_replay *r, const struct task *t,
			     const struct lg_acquisition *at, uint32_t class)
{
	uint32_t done[LG_MAX_DEPTH], nr_done = 0, primer = LG_NONE;
	bool primer_known = false;

	for (uint32_t i = at->nr_held; i-- > 0;) {
		const struct lg_held_lock *h = &at->held[i];
		uint32_t k = 0;

		if (h->flags & LG_HELD_NOVALIDATE)
			continue;
		while (k < nr_done && done[k] != h->class)
			k++;
		if (h->class != class && k == nr_done) {
			if (!primer_known) {
				primer = lg_primers_of(&r->primers, at->ev,
						       t->more ? t->more->inside : NULL,
						       t->nr_inside);
				primer_known = true;
			}
			lg_graph_add_dep(r->graph, h->class, class, dep_type(h, at->ev), at,
					 primer);
			done[nr_done++] = h->class;
		}
		if (!(h->flags & LG_ACQ_TRY))
			break;
	}
}

/*
 * check_wait_context() on one kind of kernel: the held locks of the irq
 * context, outermost first, narrow what the task may wait at (an override
 * annotation sets it). Returns that, and the held entry that set it, or -1
 * when the irq context did.
 */
static uint8_t wait_allowed(const struct lg_graph *g, const struct lg_acquisition *at,
			    bool raw_nesting, int *culprit)
{
	uint8_t allowed = lg_wait_context(at->ev->ctx, raw_nesting);

	*culprit = -1;
	for (uint32_t i = 0; i < at->nr_held; i++) {
		const struct lg_wait_types *w = lg_graph_class_wait(g, at->held[i].class);

		if (w && w->inner &&
		    (w->inner < allowed || w->lock_type == LG_LOCK_WAIT_OVERRIDE)) {
			allowed = w->inner;
			*culprit = i;
		}
	}
	return allowed;
}

/*
 * Whether the acquisition breaks the wait-context rule, judged for both kinds
 * of kernel (see wait_context.h): which one the trace came from is known
 * only once all its classes are. Trylocks never wait; lockdep ignores NMIs.
 */
static void check_wait_context(struct lg_replay *r, const struct lg_acquisition *at,
			       uint32_t class)
{
	const struct lg_event *ev = at->ev;
	const struct lg_wait_types *w = lg_graph_class_wait(r->graph, class);
	uint32_t held = LG_NONE;
	uint8_t verdicts = 0;

	if (!w || !w->inner || (ev->flags & LG_ACQ_TRY) || ev->ctx == LG_CTX_NMI)
		return;
	for (int raw = 1; raw >= 0; raw--) {
		int culprit;

		if (lg_wait_needed(w) <= wait_allowed(r->graph, at, raw, &culprit))
			continue;
		verdicts |= 1U << raw;
		held = culprit < 0 ? LG_NONE : at->held[culprit].class;
	}
	if (verdicts)
		lg_graph_add_wait_violation(r->graph, class, held, verdicts, at);
}

/* The irqs that could come at ev (LG_IRQS_OFF: hardirqs, LG_BH_OFF:
 * softirqs): none in an NMI; softirqs only in a task with hardirqs on too
 * (lockdep_softirqs_on()), since a softirq runs with softirqs off. */
static uint8_t irqs_enabled(const struct lg_event *ev)
{
	uint8_t on = 0;

	if (ev->ctx == LG_CTX_NMI)
		return 0;
	if (!(ev->irqflags & LG_IRQS_OFF))
		on |= LG_IRQS_OFF;
	if (on && ev->ctx == LG_CTX_PROCESS && !(ev->irqflags & LG_BH_OFF))
		on |= LG_BH_OFF;
	return on;
}

/* Locks lockdep validates, and so marks usage on. */
static bool has_usage(uint16_t flags)
{
	return !(flags & (LG_ACQ_USER | LG_ACQ_MMAP_LOCK | LG_HELD_NOVALIDATE));
}

/* The ENABLED usages of a lock, read or not, for the irqs in `on`. */
static void mark_enabled(struct lg_replay *r, const struct lg_acquisition *at,
			 uint32_t class, bool read, uint8_t on)
{
	uint8_t bit = LG_USAGE_ENABLED | (read ? LG_USAGE_READ : 0);

	if (on & LG_IRQS_OFF)
		lg_graph_mark_usage(r->graph, class, bit, at);
	if (on & LG_BH_OFF)
		lg_graph_mark_usage(r->graph, class, bit | LG_USAGE_SOFTIRQ, at);
}

/* LOCK_USED or LOCK_USED_READ, which every lock lockdep sees gets. */
static void mark_used(struct lg_replay *r, const struct lg_acquisition *at, uint32_t class)
{
	lg_graph_mark_used(r->graph, class, at->ev->flags & LG_ACQ_READ, at);
}

/*
 * mark_usage(): which irqs the class is taken in (not by trylocks) and which
 * could come while it is held, as the event's context and irqs-off flags say.
 * Not for lockdep's own unvalidated maps, nor NMIs, nor locks lockdep never
 * sees.
 */
static void mark_usage(struct lg_replay *r, const struct lg_acquisition *at, uint32_t class)
{
	const struct lg_event *ev = at->ev;
	uint8_t read = ev->flags & LG_ACQ_READ ? LG_USAGE_READ : 0;

	if (ev->ctx == LG_CTX_NMI || !has_usage(ev->flags))
		return;
	if (!(ev->flags & LG_ACQ_TRY) && ev->ctx == LG_CTX_HARDIRQ)
		lg_graph_mark_usage(r->graph, class, read, at);
	if (!(ev->flags & LG_ACQ_TRY) && ev->ctx == LG_CTX_SOFTIRQ)
		lg_graph_mark_usage(r->graph, class, LG_USAGE_SOFTIRQ | read, at);
	if (!(ev->flags & LG_ACQ_SYNC))	/* 6.12's mark_usage(): not for lock_sync() */
		mark_enabled(r, at, class, read, irqs_enabled(ev));
	mark_used(r, at, class);
}

/*
 * mark_held_locks(): when irqs (or bottom halves) come back on, lockdep marks
 * every lock the task holds ENABLED. A trace has no event for that, but any
 * later event of the task in that context shows the irq state, and a release
 * fires while its lock is still held: an event with irqs on while a lock is
 * held is the evidence that it was held with irqs enabled, seen there.
 */
static void mark_held(struct lg_replay *r, const struct lg_event *ev)
{
	uint32_t task = lg_tasks_find(&r->task_index, ev);
	uint8_t on = irqs_enabled(ev);
	struct lg_acquisition at;
	struct held_stack *s;

	if (task == LG_NONE || !on)
		return;
	s = &r->tasks[task].ctx[ev->ctx];
	at = (struct lg_acquisition){ ev, r->input, s->locks, s->depth, innermost(&r->tasks[task]),
				      NULL, 0 };
	for (uint32_t i = 0; i < s->depth; i++) {
		struct lg_held_lock *h = &s->locks[i];
		uint8_t newly = on & ~h->enabled;

		if (!newly || !has_usage(h->flags))
			continue;
		h->enabled |= newly;
		at.lock = h;
		at.enabling = newly;
		mark_enabled(r, &at, h->class, h->flags & LG_ACQ_READ, newly);
	}
}

/* Stacks grow from one lock: most tasks hold one or two. */
static void push(struct held_stack *s, const struct lg_event *ev, uint32_t class,
		 bool novalidate)
{
	if (s->depth == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 1;
		s->locks = lg_xrealloc(s->locks, s->alloc * sizeof(*s->locks));
	}
	s->locks[s->depth++] = (struct lg_held_lock){
		.addr = ev->addr,
		.class = class,
		.site = ev->site,
		.flags = ev->flags | (novalidate ? LG_HELD_NOVALIDATE : 0),
		.enabled = irqs_enabled(ev),
	};
}

/* Remove the held locks with one of flags, keeping the others in order. */
static void drop_held(struct held_stack *s, uint16_t flags)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < s->depth; i++)
		if (!(s->locks[i].flags & flags))
			s->locks[kept++] = s->locks[i];
	s->depth = kept;
}

/*
 * mmap_lock tracepoints stand in for lockdep only where lockdep is absent: on
 * a lockdep kernel they would count each mmap_lock twice, without trylocks.
 * True if ev is to be ignored.
 */
static bool superseded(struct lg_replay *r, const struct lg_event *ev)
{
	if (ev->flags & LG_ACQ_MMAP_LOCK)
		return r->lockdep_seen;
	if (ev->kind == LG_EV_ACQUIRE && !r->lockdep_seen) {
		r->lockdep_seen = true;
		for (uint32_t i = 0; i < r->nr_tasks; i++)
			for (int c = 0; c < LG_NR_CTX; c++)
				drop_held(&r->tasks[i].ctx[c], LG_ACQ_MMAP_LOCK);
	}
	return false;
}

/* The held write lock, now read: nothing to add, lockdep adds nothing either. */
static void downgrade(struct lg_replay *r, const struct lg_event *ev)
{
	struct task *t = task_of(r, ev);

	for (int c = 0; c < LG_NR_CTX; c++)
		for (uint32_t i = 0; i < t->ctx[c].depth; i++)
			if (t->ctx[c].locks[i].addr == ev->addr)
				t->ctx[c].locks[i].flags |= LG_ACQ_READ;
}

static void acquire(struct lg_replay *r, const struct lg_event *ev)
{
	struct task *t = task_of(r, ev);
	struct held_stack *s = &t->ctx[ev->ctx];
	uint32_t class = lg_graph_class(r->graph, ev->class_name);
	bool novalidate = lg_graph_class_novalidate(r->graph, class) ||
			  (ev->flags & LG_ACQ_NOVALIDATE);
	struct lg_acquisition at;

	r->stats.acquires++;
	if (s->depth == LG_MAX_DEPTH) {	/* releases went missing: trust none of it */
		r->stats.depth_overflows++;
		s->depth = 0;
	}
	at = (struct lg_acquisition){ ev, r->input, s->locks, s->depth, innermost(t), NULL, 0 };
	lg_graph_count_instance(r->graph, class, r->input, ev->addr, ev->time_ns);
	lg_graph_class_set_wait(r->graph, class, &ev->wait);
	check_wait_context(r, &at, class);
	if (!novalidate)
		mark_usage(r, &at, class);
	else if (ev->ctx != LG_CTX_NMI && has_usage(ev->flags & ~LG_ACQ_NOVALIDATE))
		mark_used(r, &at, class);	/* check=0: mark_usage()'s lock_used */
	/* validate_chain(): trylocks and unvalidated maps add no dependencies,
	 * nor does an acquisition that deadlocks on itself */
	if (!novalidate && !(ev->flags & LG_ACQ_TRY) && !check_recursion(r, t, &at, class))
		add_dependencies(r, t, &at, class);
	if (!novalidate && !(ev->flags & LG_ACQ_TRY))	/* a trylock waits for nothing */
		lg_waits_acquired(r->waits, ev, class);
	if (!(ev->flags & LG_ACQ_SYNC))	/* lock_sync(): validated, never held */
		push(s, ev, class, novalidate);
}

/* lock_set_class(): the held lock at ev->addr, in any of the task's contexts,
 * has the new class from now on (lockdep re-validates the locks above it;
 * the dependencies they made stay, as lockdep's do). */
static void set_class(struct lg_replay *r, const struct lg_event *ev)
{
	struct task *t = task_of(r, ev);
	uint32_t class = lg_graph_class(r->graph, ev->class_name);

	for (int c = 0; c < LG_NR_CTX; c++) {
		struct held_stack *s = &t->ctx[c];

		for (uint32_t i = s->depth; i-- > 0;) {
			if (s->locks[i].addr != ev->addr)
				continue;
			s->locks[i].class = class;
			s->locks[i].flags &= ~LG_ACQ_SUBCLASSED;
			s->locks[i].flags |= ev->flags & (LG_ACQ_EXACT | LG_ACQ_SUBCLASSED |
							  LG_ACQ_CLASS_SEEN);
			return;
		}
	}
}

/* Take the held lock at addr, nearest the top, off s into *out. */
static bool pop(struct held_stack *s, uint64_t addr, struct lg_held_lock *out)
{
	for (uint32_t i = s->depth; i-- > 0;) {
		if (s->locks[i].addr != addr)
			continue;
		*out = s->locks[i];
		memmove(&s->locks[i], &s->locks[i + 1], (s->depth - i - 1) * sizeof(s->locks[0]));
		s->depth--;
		return true;
	}
	return false;
}

/*
 * Only a kernel lock taken exclusively is evidence: a task cannot have held
 * it already, outside the trace, as it can hold a read lock or
 * rcu_read_lock() it then takes again and releases twice.
 */
static void remember_release(struct task *t, const struct lg_held_lock *h, uint8_t ctx)
{
	struct released *released;

	if (h->flags & (LG_ACQ_READ | LG_ACQ_USER | LG_ACQ_MMAP_LOCK))
		return;
	released = more_of(t)->released;
	if (t->nr_released == MAX_RELEASED)
		memmove(released, released + 1, --t->nr_released * sizeof(released[0]));
	released[t->nr_released++] = (struct released){ *h, ctx };
}

/*
 * print_unlock_imbalance_bug(): a release of a lock its task does not hold.
 * A trace that begins inside a critical section shows such releases too;
 * only one of a lock the trace saw this task take exclusively and release
 * already, in the same irq context, with nothing lost since, is lockdep's
 * verdict.
 */
static bool check_imbalance(struct lg_replay *r, struct task *t, const struct lg_event *ev)
{
	struct held_stack *s = &t->ctx[ev->ctx];

	for (uint32_t i = t->nr_released; i-- > 0;) {
		const struct released *rel = &t->more->released[i];
		struct lg_acquisition at = { ev, r->input, s->locks, s->depth, innermost(t), NULL, 0 };

		if (rel->lock.addr != ev->addr || rel->ctx != ev->ctx)
			continue;
		lg_graph_add_imbalance(r->graph, rel->lock.class, &at);
		return true;
	}
	return false;
}

/* The held lock of ev, its own irq context first, and the context it was in,
 * or -1. By address only: 6.1 kernels print lock_release with an empty name. */
static int pop_held(struct task *t, const struct lg_event *ev, struct lg_held_lock *h)
{
	if (pop(&t->ctx[ev->ctx], ev->addr, h))
		return ev->ctx;
	for (int c = 0; c < LG_NR_CTX; c++)
		if (c != ev->ctx && pop(&t->ctx[c], ev->addr, h))
			return c;
	return -1;
}

static void release(struct lg_replay *r, const struct lg_event *ev)
{
	struct task *t = task_of(r, ev);
	struct lg_held_lock h;
	int ctx = pop_held(t, ev, &h);

	r->stats.releases++;
	if (ctx >= 0)
		remember_release(t, &h, ctx);
	else if (!check_imbalance(r, t, ev))
		r->stats.unmatched_releases++;
}

static void enter(struct lg_replay *r, const struct lg_event *ev)
{
	struct task *t = task_of(r, ev);

	if (t->nr_inside == MAX_INSIDE)
		t->nr_inside--;
	more_of(t)->inside[t->nr_inside++] = ev->class_name;
}

/* Back out of the function, and of any whose return went unseen. */
static void leave(struct lg_replay *r, const struct lg_event *ev)
{
	struct task *t = task_of(r, ev);

	for (uint32_t i = t->nr_inside; i-- > 0;) {
		if (t->more->inside[i] == ev->class_name) {
			t->nr_inside = i;
			return;
		}
	}
}

/*
 * Any task may have run on the CPU that dropped events, and a dropped release
 * would leave a stale held lock that invents dependencies (a dropped return, a
 * wrong "inside"): forget them all.
 */
static void lost(struct lg_replay *r)
{
	for (uint32_t i = 0; i < r->nr_tasks; i++) {
		for (int c = 0; c < LG_NR_CTX; c++)
			r->tasks[i].ctx[c].depth = 0;
		r->tasks[i].nr_inside = 0;
		r->tasks[i].nr_released = 0;
	}
	lg_tasks_set_all_idle(&r->task_index);
	forget_excess_idle(r);
	lg_waits_lost(r->waits);
	r->stats.stack_resets++;
}

static void wait_event(struct lg_replay *r, const struct lg_event *ev)
{
	const struct held_stack *s = &task_of(r, ev)->ctx[ev->ctx];

	lg_waits_event(r->waits, ev, s->locks, s->depth);
}

void lg_replay_event(struct lg_replay *r, const struct lg_event *ev)
{
	if (superseded(r, ev))
		return;
	if (ev->kind != LG_EV_LOST)
		mark_held(r, ev);
	switch (ev->kind) {
	case LG_EV_DOWNGRADE:
		downgrade(r, ev);
		break;
	case LG_EV_ACQUIRE:
		acquire(r, ev);
		break;
	case LG_EV_RELEASE:
		release(r, ev);
		break;
	case LG_EV_LOST:
		lost(r);
		break;
	case LG_EV_CONTEXT_ENTER:
		enter(r, ev);
		break;
	case LG_EV_CONTEXT_EXIT:
		leave(r, ev);
		break;
	case LG_EV_SET_CLASS:
		set_class(r, ev);
		break;
	case LG_EV_WAIT_BEGIN:
	case LG_EV_WAIT_END:
	case LG_EV_SIGNAL:
	case LG_EV_WORK_BEGIN:
	case LG_EV_WORK_QUEUED:
	case LG_EV_WAKING:
		wait_event(r, ev);
		break;
	default:	/* contention events say nothing about dependencies */
		break;
	}
	if (ev->kind != LG_EV_LOST)
		settle(r, ev);
}
