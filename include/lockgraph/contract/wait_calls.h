/* The kernel's waits and events that have no tracepoint, which `lockgraph
 * record --preset wait` puts kprobes on (an entry probe reading the object
 * and the caller, and a return probe on a wait), and what each stands for
 * when analyze reads them back. */
#ifndef LOCKGRAPH_WAIT_CALLS_H
#define LOCKGRAPH_WAIT_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a wait waits for, as the dma_fence tracepoints, these probes and the
 * workqueue tracepoints say. */
enum lg_wait_object {
	LG_WAIT_FENCE,		/* a dma_fence: instance from context and seqno */
	LG_WAIT_COMPLETION,	/* a struct completion: instance its address */
	LG_WAIT_WORK,		/* a work item (flush_work()): its address */
	LG_WAIT_WORKQUEUE,	/* a workqueue's flush: never an event's, but the
				 * class of a completion lg_wait_is_workqueue_flush() */
	LG_NR_WAIT_OBJECTS
};

#define LG_WAIT_TIMED	0x1	/* ev->object.flags: the wait has a timeout */
#define LG_WAIT_ALL	0x2	/* the event ends every wait (complete_all()) */

struct lg_wait_function {
	const char *name;
	uint8_t object;		/* enum lg_wait_object */
	bool event;		/* complete(): an event; else a wait */
	uint8_t flags;		/* LG_WAIT_TIMED, LG_WAIT_ALL */
};
/* NULL-terminated. */
#define LG_NR_WAIT_FUNCTIONS 14
extern const struct lg_wait_function lg_wait_functions[LG_NR_WAIT_FUNCTIONS + 1];

/*
 * flush_workqueue() and drain_workqueue() wait in __flush_workqueue() (in
 * flush_workqueue() itself on older kernels) for a completion on its
 * stack, which the flush's last work item completes when it is done
 * (pwq_dec_nr_in_flight(), in its worker): whether a wait for a completion
 * by the function func[0..len) is one. Its name comes from the workqueue
 * the work item was queued on (workqueue_queue_work), as lockdep's
 * "(wq_completion)NAME" map.
 */
bool lg_wait_is_workqueue_flush(const char *func, size_t len);

/* The waking edge: a complete() wakes its first sleeping waiter, and the
 * scheduler's sched_waking, in the completer's task, says which. */
#define LG_WAIT_WAKING_SYSTEM "sched"
#define LG_WAIT_WAKING_EVENT "sched_waking"

/* A fence's name, "driver timeline" (its class: lockgraph names each of a
 * driver's timelines apart), into buf; its length, at most size - 1. */
size_t lg_wait_fence_name(char *buf, size_t size, const char *driver, size_t driver_len,
			  const char *timeline, size_t timeline_len);

/* Whether the function called name is an event's (no return probe). */
bool lg_wait_function_is_event(const char *name);

/* Each probe is named after its function with this appended (a return
 * probe then LG_PROBE_RETURN_SUFFIX), apart from --preset mm's probes of
 * the same functions, which only say a task is inside them. */
#define LG_WAIT_PROBE_SUFFIX "__wait"

/* The function probed by the event called name[0..len) (an entry's name,
 * LG_WAIT_PROBE_SUFFIX included), or NULL. */
const struct lg_wait_function *lg_wait_function(const char *name, size_t len);

/* The entry probe's fields: the object (the first argument) and the
 * caller (the return address on top of the stack at entry). */
#define LG_WAIT_FIELD_OBJECT "obj"
#define LG_WAIT_FIELD_CALLER "caller"
#define LG_WAIT_PROBE_ARGS LG_WAIT_FIELD_OBJECT "=$arg1:x64 " LG_WAIT_FIELD_CALLER "=$stack0:x64"

#endif
