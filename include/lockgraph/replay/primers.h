/* Which priming function (contract/priming.h) an acquisition was made inside,
 * from the probed functions its task was in, its call site or its stack: the
 * dependencies it makes are then annotations, not run-time order. */
#ifndef LOCKGRAPH_PRIMERS_H
#define LOCKGRAPH_PRIMERS_H

#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/lib/u64map.h"

struct lg_primer;

struct lg_primers {
	struct lg_strtab *names;
	struct lg_u64map verdicts;	/* interned name (function, site, frame) -> what
					 * its function is: see primers.c */
	struct lg_primer *found;	/* the priming functions met */
	uint32_t nr_found, alloc_found;
};

void lg_primers_init(struct lg_primers *p, struct lg_strtab *names);
void lg_primers_release(struct lg_primers *p);

/*
 * The priming function (an interned bare function name) that made ev, made
 * inside the probed functions inside[0..nr_inside); LG_NONE if none: a probed
 * function that does nothing but prime; else its call site's function if
 * that primes ev's class, directly or through a helper (its stack shows the
 * helper's caller); else any frame of its stack that does nothing but prime.
 */
uint32_t lg_primers_of(struct lg_primers *p, const struct lg_event *ev,
		       const uint32_t *inside, uint32_t nr_inside);

#endif
