/* Replay: per-task, per-irq-context stacks of held locks kept as lockdep keeps
 * them, turning acquisitions into graph dependencies (check_prevs_add) and
 * recursive acquisitions. Tolerates traces that start or drop mid-section. */
#ifndef LOCKGRAPH_REPLAY_H
#define LOCKGRAPH_REPLAY_H

#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/replay/graph.h"

/* lockdep's MAX_LOCK_DEPTH: a deeper stack means releases went missing. */
#define LG_MAX_DEPTH 48

struct lg_replay_stats {
	uint64_t acquires, releases;
	uint64_t unmatched_releases;	/* of locks never seen acquired */
	uint64_t same_class_nesting;	/* another instance of a held class */
	uint64_t unseen_set_class;	/* the same, under one taken with a subclass
					 * that an unseen lock_set_class() may have
					 * changed: not judged */
	uint64_t stack_resets;		/* all stacks dropped after lost events */
	uint64_t depth_overflows;	/* stacks dropped past LG_MAX_DEPTH */
	uint64_t tasks;
};

struct lg_replay;

/* names: the table the events' names are interned in. */
struct lg_replay *lg_replay_new(struct lg_graph *g, struct lg_strtab *names);
void lg_replay_free(struct lg_replay *r);

/* Inputs are separate runs: tasks never carry over from one to the next. */
void lg_replay_begin_input(struct lg_replay *r, uint32_t input);
void lg_replay_event(struct lg_replay *r, const struct lg_event *ev);

const struct lg_replay_stats *lg_replay_stats(const struct lg_replay *r);
/* Add a saved analysis's figures (graph_file.h): its inputs were runs apart. */
void lg_replay_merge_stats(struct lg_replay *r, const struct lg_replay_stats *st);

#endif
