/* The normalised lock event: the only thing a source produces and the only thing
 * replay consumes, whatever the input format was. */
#ifndef LOCKGRAPH_EVENT_H
#define LOCKGRAPH_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/contract/wait_calls.h"

enum lg_event_kind {
	LG_EV_ACQUIRE,		/* lock:lock_acquire (before any blocking) */
	LG_EV_RELEASE,		/* lock:lock_release */
	LG_EV_CONTENDED,	/* lock:lock_contended (LOCK_STAT) */
	LG_EV_ACQUIRED,		/* lock:lock_acquired (LOCK_STAT) */
	LG_EV_CONTENTION_BEGIN,	/* lock:contention_begin, no lockdep needed */
	LG_EV_CONTENTION_END,	/* lock:contention_end */
	LG_EV_LOST,		/* the ring buffer of ev->cpu dropped events here */
	LG_EV_DOWNGRADE,	/* a held write lock became a read lock */
	LG_EV_ACQUIRING,	/* about to wait for ev->class_name, if it must wait;
				 * an LG_EV_ACQUIRE follows when it got the lock */
	LG_EV_CONTEXT_ENTER,	/* a probed function was entered (ev->class_name: */
	LG_EV_CONTEXT_EXIT,	/* its name) or returned: see lg_site.inside */
	LG_EV_SET_CLASS,	/* lock_set_class(): the held lock at ev->addr is of
				 * class ev->class_name from now on */
	/* Waits and the events that end them (see struct lg_wait_ref): */
	LG_EV_WAIT_BEGIN,	/* the task waits for ev->object */
	LG_EV_WAIT_END,		/* and is back from that wait (instance 0: from
				 * its innermost wait of that kind) */
	LG_EV_SIGNAL,		/* what a wait for ev->object waits for: a fence signalled,
				 * a complete(), a work item's end */
	LG_EV_WORK_BEGIN,	/* a worker starts the work item ev->object.instance */
	LG_EV_WORK_QUEUED,	/* the work item ev->object.instance was queued on the
				 * workqueue ev->object.name */
	LG_EV_WAKING,		/* the task woke task ev->arg (a pid) */
};

struct lg_wait_ref {
	uint64_t instance;
	uint32_t name;		/* interned: a fence's "driver timeline", a work's
				 * function, a completion's symbol, the workqueue of
				 * LG_EV_WORK_QUEUED;
				 * LG_NONE where the source does not know it */
	uint8_t object;		/* enum lg_wait_object */
	uint8_t flags;		/* LG_WAIT_* */
};

/* Interrupt context of the event, from the hardirq/softirq flag. */
enum lg_ctx {
	LG_CTX_PROCESS,
	LG_CTX_SOFTIRQ,
	LG_CTX_HARDIRQ,
	LG_CTX_NMI,
	LG_NR_CTX
};

/* ev->flags of LG_EV_ACQUIRE, as the tracepoint's flags field. */
#define LG_ACQ_TRY	0x1
#define LG_ACQ_READ	0x2
#define LG_ACQ_MMAP_LOCK 0x4	/* from the mmap_lock tracepoints, not lockdep */
#define LG_ACQ_RECURSIVE 0x8	/* a read that may re-enter past a waiting writer
				 * (lockdep's read=2), in any context */
#define LG_ACQ_USER	0x10	/* a userspace lock, from pthread uprobes */
/* From lock_acquire's own arguments (lockgraph record's tracepoint probe): */
#define LG_ACQ_NEST	0x20	/* under a nest_lock: same-class nesting is fine */
#define LG_ACQ_EXACT	0x40	/* class_name includes the subclass: a second lock
				 * of a held class is recursive locking, as lockdep says */
#define LG_ACQ_NOVALIDATE 0x80	/* check=0: lockdep does not validate it */
#define LG_ACQ_SYNC	0x100	/* lock_sync(): validated as taken, never held, and
				 * marks no irq-enabled usage */
#define LG_ACQ_SUBCLASSED 0x200	/* LG_ACQ_EXACT with a subclass other than 0 */
#define LG_ACQ_CLASS_SEEN 0x400	/* a lock_set_class() on it would be an event: its
				 * class stays what the event says until one */

/* ev->irqflags, from the irqs-off column: what was masked when it happened. */
#define LG_IRQS_OFF	0x1
#define LG_BH_OFF	0x2

/*
 * A lockdep map's wait types (enum lockdep_wait_type: 0 not checked, 1 wait
 * free, 2 spin, then spinlock_t, sleeping; see wait_context.h) and lock type
 * (enum lockdep_lock_type), as lockgraph record's class-key probe reads them.
 */
struct lg_wait_types {
	uint8_t outer, inner, lock_type;
	bool known;		/* recorded: all zeros then mean "not checked" */
};

/*
 * CPU numbers of an event are below this: the largest NR_CPUS a kernel can be
 * built with (x86_64 with MAXSMP, powerpc; 6.12's Kconfig). The readers refuse
 * a larger one, which only damage gives, rather than size tables by it.
 */
#define LG_MAX_CPUS 8192

struct lg_event {
	uint64_t time_ns;
	uint64_t addr;		/* lockdep map (lock_*) or lock (contention_*) */
	const char *comm;	/* not NUL-terminated, valid until the next event */
	uint32_t comm_len;
	int32_t pid;
	uint32_t cpu;
	uint32_t class_name;	/* interned name: LG_EV_ACQUIRE, LG_EV_CONTEXT_* */
	uint32_t site;		/* LG_EV_ACQUIRE: where it was called, see lg_site_ref() */
	const uint32_t *stack;	/* LG_EV_ACQUIRE: its kernel stack, innermost first, as
				 * lg_site_ref()s, valid until the next event; or NULL */
	uint32_t stack_nr;
	uint32_t arg;		/* contention flags, contention_end ret, lost count */
	uint16_t flags;		/* LG_ACQ_* */
	uint8_t kind;		/* enum lg_event_kind */
	uint8_t ctx;		/* enum lg_ctx */
	uint8_t irqflags;	/* LG_IRQS_OFF, LG_BH_OFF */
	struct lg_wait_types wait;	/* LG_EV_ACQUIRE of a kernel lock, if recorded */
	struct lg_wait_ref object;	/* LG_EV_WAIT_*, LG_EV_SIGNAL, LG_EV_WORK_BEGIN */
};

static inline const char *lg_ctx_name(enum lg_ctx ctx)
{
	static const char *const names[LG_NR_CTX] = {
		[LG_CTX_PROCESS] = "process",
		[LG_CTX_SOFTIRQ] = "softirq",
		[LG_CTX_HARDIRQ] = "hardirq",
		[LG_CTX_NMI] = "nmi",
	};

	return names[ctx];
}

/*
 * A call site ("func+0x6c/0x9f [mod]", as lockdep's %pS prints it) is an
 * interned name kept as a reference: the name's id plus one, so that the 0 of
 * an event or held lock cleared to zeros means "not known".
 */
#define LG_SITE_UNKNOWN 0
/* The frames of a stack kept: lockdep's save_trace() keeps more, but the
 * frames past these are the syscall or kthread entry. */
#define LG_STACK_MAX 32

static inline uint32_t lg_site_ref(uint32_t name)
{
	return name + 1;
}

static inline uint32_t lg_site_name(uint32_t ref)
{
	return ref - 1;
}

/* Receives each event; ev and what it points to are valid during the call. */
typedef void (*lg_event_fn)(const struct lg_event *ev, void *arg);

/* Tasks are pids, except that every CPU has its own idle task, all pid 0. */
static inline uint64_t lg_event_task(const struct lg_event *ev)
{
	return ev->pid ? (uint32_t)ev->pid : (1ULL << 32 | ev->cpu);
}

/*
 * The kernel's in_interrupt(): serving an irq or with bottom halves disabled.
 * read_lock() is a recursive read there (read_lock_is_recursive()).
 */
static inline bool lg_event_in_interrupt(const struct lg_event *ev)
{
	return ev->ctx != LG_CTX_PROCESS || (ev->irqflags & LG_BH_OFF);
}

#endif
