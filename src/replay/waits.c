/* Each task's open waits and event context, and the wait/event dependencies
 * a wait ended by an observed event makes (see waits.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/contract/wait_calls.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"
#include "lockgraph/replay/waits.h"

/* Waits one task has open at once: drain_workqueue() flushes inside. */
#define OPEN_WAITS 4

struct context_lock {
	uint32_t class;
	struct lg_wait_sighting at;
};

struct open_wait {
	struct lg_wait_ref object;
	struct lg_wait_sighting begin;
	struct context_lock held[LG_WAIT_HELD];
	uint8_t nr_held;
	bool ended;
};

struct task {
	uint8_t start;			/* enum lg_context_start of its context */
	uint32_t start_name;
	uint32_t start_queue;		/* LG_START_WORK: its workqueue, if queued
					 * in the trace; else LG_NONE */
	struct lg_wait_sighting started;
	struct context_lock taken[LG_CONTEXT_LOCKS];
	uint8_t nr_taken;
	uint32_t forgotten;		/* classes of the context taken[] let go */
	struct open_wait waits[OPEN_WAITS];
	uint8_t nr_waits;
};

/* An event as the waits it ends need it: where and when, and the name it
 * gives the object. */
struct fired {
	struct lg_wait_sighting at;
	uint32_t name;
};

/*
 * A complete() of a completion that more than one task waits for ends the
 * first to sleep (swait), which the probes cannot tell from the first to
 * begin waiting: the completer's sched_waking, next, says. Held until then,
 * with the completer's context as it was at the event; or until a waiter
 * is back first (it never slept: the complete() was its), or the
 * completer's next other event (nobody asleep: the first waiter ends).
 */
#define PENDING 8
#define PENDING_HELD 16

struct pending {
	uint64_t task;			/* lg_event_task() of the completer */
	struct fired e;
	struct lg_wait_ref object;
	struct task u;
	struct lg_held_lock held[PENDING_HELD];
	uint32_t nr_held;
};

struct lg_waits {
	struct lg_graph *graph;
	struct lg_wait_graph *wg;
	struct lg_strtab *names;
	uint32_t input;
	struct task *tasks;
	uint32_t nr_tasks, alloc_tasks;
	struct lg_u64map task_index;	/* lg_event_task() -> tasks[] */
	struct lg_u64map queue_of;	/* work item -> its workqueue's name */
	uint32_t nr_queued;		/* work items in it */
	struct pending pending[PENDING];	/* oldest first */
	uint32_t nr_pending;
};

struct lg_waits *lg_waits_new(struct lg_graph *g, struct lg_strtab *names)
{
	struct lg_waits *w = lg_xcalloc(1, sizeof(*w));

	w->graph = g;
	w->wg = lg_graph_waits(g);
	w->names = names;
	lg_u64map_init(&w->task_index);
	lg_u64map_init(&w->queue_of);
	return w;
}

void lg_waits_free(struct lg_waits *w)
{
	if (!w)
		return;
	free(w->tasks);
	lg_u64map_release(&w->task_index);
	lg_u64map_release(&w->queue_of);
	free(w);
}

static void forget_tasks(struct lg_waits *w)
{
	w->nr_tasks = 0;
	w->nr_pending = 0;
	lg_u64map_clear(&w->task_index);
}

static void forget_queues(struct lg_waits *w)
{
	w->nr_queued = 0;
	lg_u64map_clear(&w->queue_of);
}

void lg_waits_begin_input(struct lg_waits *w, uint32_t input)
{
	forget_tasks(w);
	forget_queues(w);
	w->input = input;
}

static void sighting(const struct lg_waits *w, const struct lg_event *ev,
		     struct lg_wait_sighting *s)
{
	size_t len = ev->comm_len < sizeof(s->comm) - 1 ? ev->comm_len : sizeof(s->comm) - 1;

	*s = (struct lg_wait_sighting){ .time_ns = ev->time_ns, .input = w->input, .cpu = ev->cpu,
					.pid = ev->pid, .at = ev->site, .ctx = ev->ctx };
	memcpy(s->comm, ev->comm, len);
}

/* A task is first seen with a context that may have begun before the trace. */
static struct task *task_of(struct lg_waits *w, const struct lg_event *ev)
{
	uint64_t key = lg_event_task(ev);
	uint32_t i = lg_u64map_get(&w->task_index, key);
	struct task *t;

	if (i != LG_NONE)
		return &w->tasks[i];
	if (w->nr_tasks == LG_CONTEXT_TASKS) {
		lg_wait_graph_stats(w->wg)->forgotten_tasks += w->nr_tasks;
		forget_tasks(w);
	}
	LG_GROW(w->tasks, w->nr_tasks, w->alloc_tasks);
	i = w->nr_tasks++;
	lg_u64map_put(&w->task_index, key, i);
	t = &w->tasks[i];
	memset(t, 0, sizeof(*t));
	t->start = LG_START_SEEN;
	t->start_name = t->start_queue = LG_NONE;
	sighting(w, ev, &t->started);
	return t;
}

/*
 * lockdep's maps for the waits followed here: a worker holds its
 * workqueue's and work item's maps while the work runs, a fence signaller
 * dma_fence_map (read) in its signalling section. They are not locks an
 * event needs, and a cycle through them is one this model finds through
 * the wait itself.
 */
static bool stands_for_a_wait(const struct lg_waits *w, uint32_t class)
{
	const char *name = lg_graph_class_name(w->graph, class);

	return !strncmp(name, "(wq_completion)", 15) || !strncmp(name, "(work_completion)", 17) ||
	       !strcmp(name, "dma_fence_map");
}

/* Whether a lock held across a wait or at an event counts. */
static bool counts(const struct lg_waits *w, const struct lg_held_lock *h)
{
	return !(h->flags & LG_HELD_NOVALIDATE) && !stands_for_a_wait(w, h->class);
}

static void begin_context(struct lg_waits *w, struct task *t, const struct lg_event *ev,
			  uint8_t start, uint32_t name)
{
	t->start = start;
	t->start_name = name;
	t->start_queue = LG_NONE;
	t->nr_taken = 0;
	t->forgotten = 0;
	sighting(w, ev, &t->started);
}

void lg_waits_acquired(struct lg_waits *w, const struct lg_event *ev, uint32_t class)
{
	struct task *t;

	if (ev->ctx != LG_CTX_PROCESS || stands_for_a_wait(w, class))
		return;		/* an irq's context is what it holds at its event */
	t = task_of(w, ev);
	for (uint32_t i = 0; i < t->nr_taken; i++)
		if (t->taken[i].class == class)
			return;
	if (t->nr_taken == LG_CONTEXT_LOCKS) {	/* forget the oldest */
		t->forgotten++;
		memmove(t->taken, t->taken + 1, --t->nr_taken * sizeof(t->taken[0]));
	}
	t->taken[t->nr_taken].class = class;
	sighting(w, ev, &t->taken[t->nr_taken++].at);
}

static void wait_begin(struct lg_waits *w, const struct lg_event *ev,
		       const struct lg_held_lock *held, uint32_t nr_held)
{
	struct task *t = task_of(w, ev);
	struct open_wait *o;

	lg_wait_graph_stats(w->wg)->waits++;
	if (t->nr_waits == OPEN_WAITS)
		memmove(t->waits, t->waits + 1, --t->nr_waits * sizeof(t->waits[0]));
	o = &t->waits[t->nr_waits++];
	memset(o, 0, sizeof(*o));
	o->object = ev->object;
	sighting(w, ev, &o->begin);
	for (uint32_t i = 0; i < nr_held; i++) {
		struct context_lock *c;

		if (!counts(w, &held[i]))
			continue;
		if (o->nr_held == LG_WAIT_HELD) {
			lg_wait_graph_stats(w->wg)->context_overflows++;
			break;
		}
		c = &o->held[o->nr_held++];
		c->class = held[i].class;
		sighting(w, ev, &c->at);
		c->at.at = held[i].site;
	}
}

/* The workqueue a completion's wait flushed (see wait_calls.h), ended by
 * u's event: the workqueue of the work item u runs, or LG_NONE. */
static uint32_t flushed_queue(const struct lg_waits *w, const struct open_wait *o,
			      const struct fired *e, const struct task *u)
{
	const char *waiter;

	if (o->object.object != LG_WAIT_COMPLETION || e->at.ctx != LG_CTX_PROCESS ||
	    u->start != LG_START_WORK || o->begin.at == LG_SITE_UNKNOWN)
		return LG_NONE;
	waiter = lg_graph_site_name(w->graph, o->begin.at);
	return lg_wait_is_workqueue_flush(waiter, strcspn(waiter, "+")) ? u->start_queue : LG_NONE;
}

/*
 * The object's class: a fence by its driver and timeline, a work item by
 * its function (the event names it), a workqueue's flush by the workqueue,
 * a completion by its symbol, else by the function that waited for it
 * (the wait's caller), as DEPT keys its maps by where they are set up.
 */
static uint32_t object_class(struct lg_waits *w, const struct open_wait *o,
			     const struct fired *e, const struct task *u)
{
	uint32_t name = o->object.name != LG_NONE ? o->object.name : e->name;
	uint32_t queue = flushed_queue(w, o, e, u);
	uint8_t kind = queue != LG_NONE ? LG_WAIT_WORKQUEUE : o->object.object;
	const char *what;
	char buf[256];
	size_t len;

	if (queue != LG_NONE)
		name = queue;
	if (name != LG_NONE) {
		what = lg_strtab_str(w->names, name);
		len = strlen(what);
	} else if (o->begin.at != LG_SITE_UNKNOWN) {
		what = lg_graph_site_name(w->graph, o->begin.at);
		len = strcspn(what, "+");
	} else {
		what = "?";
		len = 1;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "(%s)%.*s", lg_wait_object_name(kind), (int)len,
			       what);
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	name = lg_strtab_intern(w->names, buf, len);
	return lg_wait_graph_object(w->wg, name, kind);
}

static void add_dep(struct lg_waits *w, const struct lg_wait_dep *d)
{
	bool added;

	lg_wait_graph_add(w->wg, d, lg_graph_next_seq(w->graph), &added);
	if (added)
		lg_graph_take_seq(w->graph);
}

/* Whether the wait and its event make any dependency: a wait with no lock
 * held across it, ended by an event of no locks, makes no object either. */
static bool makes_deps(const struct lg_waits *w, const struct open_wait *o,
		       const struct fired *e, const struct task *u,
		       const struct lg_held_lock *held, uint32_t nr_held)
{
	if (o->nr_held || (e->at.ctx == LG_CTX_PROCESS && u->nr_taken))
		return true;
	for (uint32_t i = 0; i < nr_held; i++)
		if (counts(w, &held[i]))
			return true;
	return false;
}

/*
 * The event ended the wait o of another task: the locks the waiter held
 * lead to the object, the object to the locks of the event's context.
 */
static void ended(struct lg_waits *w, struct open_wait *o, const struct fired *e,
		  const struct task *u, const struct lg_held_lock *held, uint32_t nr_held)
{
	struct lg_wait_dep d = { .wait = o->begin, .timed = o->object.flags & LG_WAIT_TIMED,
				 .start_name = LG_NONE, .start = LG_START_IRQ };

	o->ended = true;
	if (!makes_deps(w, o, e, u, held, nr_held))
		return;
	d.object = object_class(w, o, e, u);
	d.event = e->at;
	d.kind = LG_WAIT_DEP_HOLD;
	for (uint32_t i = 0; i < o->nr_held; i++) {
		d.lock = o->held[i].class;
		d.lock_at = o->held[i].at;
		add_dep(w, &d);
	}
	d.kind = LG_WAIT_DEP_EVENT;
	if (e->at.ctx == LG_CTX_PROCESS) {
		/* only a context that ended a wait lost dependencies by it */
		lg_wait_graph_stats(w->wg)->context_overflows += u->forgotten;
		d.start = u->start;
		d.start_name = u->start_name;
		d.started = u->started;
	}
	for (uint32_t i = 0; i < nr_held; i++) {
		if (!counts(w, &held[i]))
			continue;
		d.lock = held[i].class;
		d.held_at_event = true;
		d.lock_at = e->at;
		d.lock_at.at = held[i].site;
		add_dep(w, &d);
	}
	d.held_at_event = false;
	for (uint32_t i = 0; e->at.ctx == LG_CTX_PROCESS && i < u->nr_taken; i++) {
		d.lock = u->taken[i].class;
		d.lock_at = u->taken[i].at;
		add_dep(w, &d);
	}
}

static bool waits_for(const struct open_wait *o, const struct lg_wait_ref *object)
{
	return !o->ended && o->object.object == object->object &&
	       o->object.instance == object->instance;
}

/* The open waits for object of tasks but tasks[skip]: each one is ended if
 * all, else the first to begin is returned; how many there are in *nr. */
static struct open_wait *open_waits(struct lg_waits *w, const struct lg_wait_ref *object,
				    uint32_t skip, bool all, const struct fired *e,
				    const struct task *u, const struct lg_held_lock *held,
				    uint32_t nr_held, uint32_t *nr)
{
	struct open_wait *first = NULL;

	*nr = 0;
	for (uint32_t i = 0; i < w->nr_tasks; i++) {
		struct task *t = &w->tasks[i];

		for (uint32_t k = 0; k < t->nr_waits; k++) {
			struct open_wait *o = &t->waits[k];

			if (i == skip || !waits_for(o, object))
				continue;
			++*nr;
			if (all)
				ended(w, o, e, u, held, nr_held);
			else if (!first || o->begin.time_ns < first->begin.time_ns)
				first = o;
		}
	}
	return first;
}

/* The complete() pending[i] ends o, or (NULL) its first waiter. */
static void settle(struct lg_waits *w, uint32_t i, struct open_wait *o)
{
	struct pending *p = &w->pending[i];
	uint32_t nr;

	if (!o)
		o = open_waits(w, &p->object, lg_u64map_get(&w->task_index, p->task), false,
			       NULL, NULL, NULL, 0, &nr);
	if (o)
		ended(w, o, &p->e, &p->u, p->held, p->nr_held);
	memmove(p, p + 1, (--w->nr_pending - i) * sizeof(*p));
}

static void defer(struct lg_waits *w, const struct lg_event *ev, const struct fired *e,
		  const struct task *u, const struct lg_held_lock *held, uint32_t nr_held)
{
	struct pending *p;

	if (w->nr_pending == PENDING)
		settle(w, 0, NULL);
	p = &w->pending[w->nr_pending++];
	p->task = lg_event_task(ev);
	p->e = *e;
	p->object = ev->object;
	p->u = *u;
	p->nr_held = 0;
	for (uint32_t i = 0; i < nr_held; i++) {
		if (!counts(w, &held[i]))
			continue;
		if (p->nr_held == PENDING_HELD) {
			lg_wait_graph_stats(w->wg)->context_overflows++;
			break;
		}
		p->held[p->nr_held++] = held[i];
	}
}

/* The completer's sched_waking of the task ev->arg: the waiter its pending
 * complete() ended, if that task waits for the completion. */
static void waking(struct lg_waits *w, const struct lg_event *ev)
{
	uint64_t task = lg_event_task(ev);
	uint32_t t;

	for (uint32_t i = 0; i < w->nr_pending; i++) {
		if (w->pending[i].task != task)
			continue;
		t = ev->arg && (uint32_t)ev->arg != task ?
		    lg_u64map_get(&w->task_index, (uint32_t)ev->arg) : LG_NONE;
		for (uint32_t k = 0; t != LG_NONE && k < w->tasks[t].nr_waits; k++)
			if (waits_for(&w->tasks[t].waits[k], &w->pending[i].object)) {
				settle(w, i, &w->tasks[t].waits[k]);
				return;
			}
		settle(w, i, NULL);
		return;
	}
}

/* The open waits of other tasks this event ends: every one, or the one a
 * complete() wakes (see struct pending). */
static void signal(struct lg_waits *w, const struct lg_event *ev,
		   const struct lg_held_lock *held, uint32_t nr_held)
{
	struct task *u = task_of(w, ev);
	bool all = ev->object.object != LG_WAIT_COMPLETION || (ev->object.flags & LG_WAIT_ALL);
	struct fired e = { .name = ev->object.name };
	struct open_wait *first;
	uint32_t nr;

	lg_wait_graph_stats(w->wg)->events++;
	sighting(w, ev, &e.at);
	first = open_waits(w, &ev->object, (uint32_t)(u - w->tasks), all, &e, u, held, nr_held,
			   &nr);
	if (nr == 1 && first)
		ended(w, first, &e, u, held, nr_held);
	else if (nr > 1 && first)
		defer(w, ev, &e, u, held, nr_held);
}

/* Back from the innermost open wait for the object: the task's next event
 * context begins here. */
static void wait_end(struct lg_waits *w, const struct lg_event *ev)
{
	struct task *t = task_of(w, ev);
	struct lg_wait_stats *st = lg_wait_graph_stats(w->wg);

	for (uint32_t i = t->nr_waits; i-- > 0;) {
		struct open_wait *o = &t->waits[i];

		if (o->object.object != ev->object.object ||
		    (ev->object.instance && o->object.instance != ev->object.instance))
			continue;
		for (uint32_t k = 0; !o->ended && k < w->nr_pending; k++)
			if (waits_for(o, &w->pending[k].object))
				settle(w, k, o);	/* it did not sleep: completed */
		if (o->ended)
			st->ended++;
		else if (o->object.flags & LG_WAIT_TIMED)
			st->unended_timed++;
		else
			st->unended++;
		memmove(o, o + 1, (--t->nr_waits - i) * sizeof(*o));
		break;
	}
	begin_context(w, t, ev, LG_START_WAIT, LG_NONE);
}

/* A worker starts a work item: its event context begins. */
static void work_begin(struct lg_waits *w, const struct lg_event *ev)
{
	struct task *t = task_of(w, ev);

	begin_context(w, t, ev, LG_START_WORK, ev->object.name);
	t->start_queue = lg_u64map_get(&w->queue_of, ev->object.instance);
}

/* Which workqueue a work item is on, for the flushes its end completes;
 * forgotten past LG_QUEUED_WORKS items, so that memory follows the work
 * items of a window, not of the run (a flush then is a plain completion). */
static void queued(struct lg_waits *w, const struct lg_event *ev)
{
	if (ev->object.name == LG_NONE)
		return;
	if (lg_u64map_get(&w->queue_of, ev->object.instance) == LG_NONE &&
	    w->nr_queued++ == LG_QUEUED_WORKS) {
		forget_queues(w);
		w->nr_queued = 1;
	}
	lg_u64map_put(&w->queue_of, ev->object.instance, ev->object.name);
}

void lg_waits_event(struct lg_waits *w, const struct lg_event *ev,
		    const struct lg_held_lock *held, uint32_t nr_held)
{
	if (ev->kind == LG_EV_WAKING) {
		waking(w, ev);
		return;
	}
	for (uint32_t i = 0; i < w->nr_pending; i++)
		if (w->pending[i].task == lg_event_task(ev)) {
			settle(w, i, NULL);	/* it woke no waiter */
			break;
		}
	switch (ev->kind) {
	case LG_EV_WAIT_BEGIN:
		wait_begin(w, ev, held, nr_held);
		break;
	case LG_EV_WAIT_END:
		wait_end(w, ev);
		break;
	case LG_EV_SIGNAL:
		signal(w, ev, held, nr_held);
		break;
	case LG_EV_WORK_BEGIN:
		if (ev->ctx == LG_CTX_PROCESS)
			work_begin(w, ev);
		break;
	case LG_EV_WORK_QUEUED:
		queued(w, ev);
		break;
	default:
		break;
	}
}

void lg_waits_lost(struct lg_waits *w)
{
	lg_wait_graph_stats(w->wg)->lost_resets++;
	forget_tasks(w);
	forget_queues(w);
}
