/* Waits and the events that end them, turned into wait/event dependencies
 * (wait_graph.h) as DEPT models them: a task waiting for X while it holds H
 * makes H -> X; the event that ended that wait, by a task that holds L then
 * or took L since its event context began (its work item's start, or its
 * last wait's end), makes X -> L. Only an event that ended an observed wait
 * counts: the same fence (context and seqno), the same completion or work
 * item, seen while the wait was in progress; of a completion's waiters,
 * the one complete() woke. */
#ifndef LOCKGRAPH_WAITS_H
#define LOCKGRAPH_WAITS_H

#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/replay/graph.h"

/* The distinct lock classes an event context keeps (the first acquisition
 * of each, the latest classes: an older one goes for a new one), and the
 * locks a wait keeps of those its task holds: what goes is counted. */
#define LG_CONTEXT_LOCKS 32
#define LG_WAIT_HELD 8
/* Tasks whose event contexts are kept; past them all are forgotten, and
 * counted, so that memory follows the tasks of a window, not of the run. */
#define LG_CONTEXT_TASKS 65536
/* Work items whose workqueue is kept, likewise. */
#define LG_QUEUED_WORKS 65536

struct lg_waits;

struct lg_waits *lg_waits_new(struct lg_graph *g, struct lg_strtab *names);
void lg_waits_free(struct lg_waits *w);

/* Inputs are separate runs: no wait or context carries over. */
void lg_waits_begin_input(struct lg_waits *w, uint32_t input);
/* ev's task acquired a lock of class. */
void lg_waits_acquired(struct lg_waits *w, const struct lg_event *ev, uint32_t class);
/* LG_EV_WAIT_BEGIN, _WAIT_END, _SIGNAL, _WORK_BEGIN, _WORK_QUEUED, _WAKING;
 * held: the locks ev's task holds in ev's irq context, outermost first. */
void lg_waits_event(struct lg_waits *w, const struct lg_event *ev,
		    const struct lg_held_lock *held, uint32_t nr_held);
/* Events were lost: a wait's end or an event may be among them. */
void lg_waits_lost(struct lg_waits *w);

#endif
