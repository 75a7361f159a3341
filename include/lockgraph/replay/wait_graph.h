/* The wait/event dependencies (DEPT's model): a lock held across a wait for
 * an object, and a lock the object's event needed, each from one observed
 * wait and the event that ended it. Filled by replay/waits.c, part of the graph. */
#ifndef LOCKGRAPH_WAIT_GRAPH_H
#define LOCKGRAPH_WAIT_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/event.h"

enum lg_wait_dep_kind {
	LG_WAIT_DEP_HOLD,	/* lock -> object: the object waited for with the lock held */
	LG_WAIT_DEP_EVENT,	/* object -> lock: the object's event needed the lock */
};

/* Where an event context began (DEPT's [S]). */
enum lg_context_start {
	LG_START_WORK,		/* the work item the event is part of began */
	LG_START_WAIT,		/* the task came back from its last wait */
	LG_START_SEEN,		/* the task's first event in the input: its
				 * context may have begun before the recording */
	LG_START_IRQ,		/* an irq context: the locks held at the event only */
};

/* One thing one task did, when and where. */
struct lg_wait_sighting {
	uint64_t time_ns;
	uint32_t input, cpu;
	int32_t pid;
	uint32_t at;		/* call site, lg_site_ref(), or LG_SITE_UNKNOWN */
	uint8_t ctx;		/* enum lg_ctx */
	char comm[16];
};

struct lg_wait_dep {
	uint8_t kind;		/* enum lg_wait_dep_kind */
	uint32_t lock;		/* a lock class of the graph */
	uint32_t object;	/* a wait object (lg_wait_graph_object()) */
	uint32_t seq;		/* as the graph's dependencies' seqs */
	uint64_t count;		/* waits ended by an event that made it */
	uint64_t untimed;	/* HOLD: of them, waits without a timeout */
	/* The first wait and event that made it: */
	bool timed;		/* the wait had a timeout */
	bool held_at_event;	/* EVENT: the lock was still held at the event */
	uint8_t start;		/* EVENT: enum lg_context_start */
	uint32_t start_name;	/* LG_START_WORK: the work's function, _WAIT: the
				 * wait's object (interned); else LG_NONE */
	struct lg_wait_sighting wait;	/* the wait that was ended */
	struct lg_wait_sighting event;	/* the event that ended it */
	struct lg_wait_sighting lock_at;	/* HOLD: where the waiter took the lock;
					 * EVENT: where the signaller did */
	struct lg_wait_sighting started;	/* EVENT: the context's start */
};

/* Waits the replay saw end without an event that ended them. */
struct lg_wait_stats {
	uint64_t waits, ended;		/* waits seen; ended by an observed event */
	uint64_t unended_timed;		/* back without one, with a timeout */
	uint64_t unended;		/* back without one, no timeout: the event
					 * came before the wait (nothing to wait
					 * for) or was not recorded */
	uint64_t events;
	uint64_t context_overflows;	/* locks past LG_WAIT_HELD, and past
					 * LG_CONTEXT_LOCKS in an event's context */
	uint64_t forgotten_tasks;	/* contexts dropped past LG_CONTEXT_TASKS */
	uint64_t lost_resets;		/* all dropped after lost events */
};

/* The names graph files and reports give them; the value of a name, or -1. */
const char *lg_wait_dep_kind_name(uint8_t kind);
const char *lg_wait_object_name(uint8_t object);
const char *lg_context_start_name(uint8_t start);
int lg_wait_name_value(const char *(*name_of)(uint8_t), unsigned nr, const char *name);

struct lg_wait_graph;

struct lg_wait_graph *lg_wait_graph_new(void);
void lg_wait_graph_free(struct lg_wait_graph *w);

/* The wait object of an interned class name ("(completion)&done"), created
 * on first use; its kind (enum lg_wait_object). */
uint32_t lg_wait_graph_object(struct lg_wait_graph *w, uint32_t name, uint8_t kind);
uint32_t lg_wait_graph_nr_objects(const struct lg_wait_graph *w);
uint32_t lg_wait_graph_object_name(const struct lg_wait_graph *w, uint32_t object);
uint8_t lg_wait_graph_object_kind(const struct lg_wait_graph *w, uint32_t object);

/* Count the dependency d (its kind, lock and object) and keep d as its first
 * sighting if it is new, with seq as its seq; returns its index. */
uint32_t lg_wait_graph_add(struct lg_wait_graph *w, const struct lg_wait_dep *d, uint32_t seq,
			   bool *added);
uint32_t lg_wait_graph_nr_deps(const struct lg_wait_graph *w);
const struct lg_wait_dep *lg_wait_graph_dep(const struct lg_wait_graph *w, uint32_t i);

struct lg_wait_stats *lg_wait_graph_stats(struct lg_wait_graph *w);
/* Add a saved analysis's counts (graph_file.h); its objects per kind come
 * with its dependencies' objects. */
void lg_wait_graph_merge_stats(struct lg_wait_graph *w, const struct lg_wait_stats *st);

#endif
