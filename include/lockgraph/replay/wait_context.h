/* lockdep's wait-context rule (check_wait_context()): a lock may not be taken
 * where its holder could not wait as that lock waits: a mutex under a
 * spinlock, or on PREEMPT_RT rules a spinlock_t under a raw_spinlock_t. Each
 * map says how it waits (struct lg_wait_types); the strictest held lock, and
 * the irq context, say how the task may wait. */
#ifndef LOCKGRAPH_WAIT_CONTEXT_H
#define LOCKGRAPH_WAIT_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/event.h"

/*
 * enum lockdep_wait_type: INV 0 (not checked), FREE 1, SPIN 2 (raw_spinlock_t),
 * CONFIG (spinlock_t), SLEEP (mutex), MAX. Without
 * CONFIG_PROVE_RAW_LOCK_NESTING, CONFIG equals SPIN and SLEEP is 3; with it,
 * CONFIG is 3 and SLEEP 4. A trace says which through its classes: only the
 * second kernel has maps of wait type 4.
 */
#define LG_WAIT_SPIN		2
#define LG_WAIT_SLEEP_RAW_NESTING 4
/* enum lockdep_lock_type: an annotation that sets, not narrows, the context */
#define LG_LOCK_WAIT_OVERRIDE	2

/* Whether the kernel checked raw_spinlock_t nesting, from the largest wait
 * type of any class in the trace. */
static inline bool lg_wait_raw_nesting(uint8_t max_wait)
{
	return max_wait >= LG_WAIT_SLEEP_RAW_NESTING;
}

/*
 * task_wait_context(): what a task may wait at before any lock is held, by
 * irq context: LD_WAIT_CONFIG in an irq (threaded irqs and softirqs on
 * PREEMPT_RT; a trace cannot tell a hardirq that would not be threaded, so
 * the lenient one), LD_WAIT_MAX in a task.
 */
static inline uint8_t lg_wait_context(enum lg_ctx ctx, bool raw_nesting)
{
	if (ctx == LG_CTX_PROCESS)
		return raw_nesting ? 5 : 4;
	return raw_nesting ? 3 : 2;
}

/* The wait type a lock of these wait types needs: its outer one, as lockdep. */
static inline uint8_t lg_wait_needed(const struct lg_wait_types *w)
{
	return w->outer ? w->outer : w->inner;
}

#endif
