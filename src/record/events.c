/* Which tracepoints `lockgraph record` enables in its instance: the lock
 * events and the context analysis needs, whichever this kernel has, and -e. */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>

#include "lockgraph/contract/probe_names.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/record/record.h"

/*
 * LOCK_STAT's lock_acquired fires at every acquisition, one more record per
 * lock taken; where lock:contention_begin/end exist (5.19 on) they show the
 * same waits for a record per wait, so LOCK_STAT's events are left out there:
 * the volume of a lockdep kernel is what outruns a reader.
 */
#define CONTENTION "contention_begin"
static const char lock_stat_missing[] = "needs CONFIG_LOCK_STAT";

static const struct {
	const char *system, *event;	/* event NULL: every event of the system */
	const char *missing;		/* why a kernel lacks it */
} defaults[] = {
	{ "lock", "lock_acquire", "needs CONFIG_LOCKDEP (PROVE_LOCKING or LOCK_STAT)" },
	{ "lock", "lock_release", "needs CONFIG_LOCKDEP (PROVE_LOCKING or LOCK_STAT)" },
	{ "lock", "lock_contended", lock_stat_missing },
	{ "lock", "lock_acquired", lock_stat_missing },
	{ "lock", CONTENTION, "needs Linux 5.19 or later" },
	{ "lock", "contention_end", "needs Linux 5.19 or later" },
	{ "sched", "sched_process_fork", "not in this kernel" },
	{ "sched", "sched_process_exec", "not in this kernel" },
	{ "sched", "sched_process_exit", "not in this kernel" },
	/* clone_flags: which new tasks are threads (user locks are per process) */
	{ "task", "task_newtask", "not in this kernel" },
	/* which workqueue a work item runs on, for a flush_workqueue() */
	{ "workqueue", "workqueue_queue_work", "not in this kernel" },
	{ "workqueue", "workqueue_execute_start", "not in this kernel" },
	{ "workqueue", "workqueue_execute_end", "not in this kernel" },
	{ "dma_fence", NULL, "not in this kernel (CONFIG_DMA_SHARED_BUFFER)" },
	{ "mmap_lock", NULL, "needs Linux 5.10 or later" },
};

void lg_record_note(struct lg_record *r, const char *why, const char *fmt, ...)
{
	struct lg_note *n;
	va_list ap;

	LG_GROW(r->notes, r->nr_notes, r->alloc_notes);
	n = &r->notes[r->nr_notes++];
	va_start(ap, fmt);
	if (vasprintf(&n->what, fmt, ap) < 0)
		abort();
	va_end(ap);
	n->why = why ? lg_xstrdup(why) : NULL;
}

bool lg_record_has_event(const struct lg_record *r, const char *system, const char *event)
{
	size_t len = strlen(system);

	for (int i = 0; i < r->nr_events; i++)
		if (!strncmp(r->events[i], system, len) && r->events[i][len] == '/' &&
		    !strcmp(r->events[i] + len + 1, event))
			return true;
	return false;
}

int lg_record_enable_event(struct lg_record *r, const char *system, const char *event,
			   struct lg_error *err)
{
	int e;

	if (lg_record_has_event(r, system, event))
		return 0;
	errno = 0;
	if (tracefs_event_enable(r->instance, system, event) < 0) {
		e = errno ? errno : EIO;
		return lg_fail(err, e, "cannot enable %s:%s: %s", system, event, strerror(e));
	}
	LG_GROW(r->events, r->nr_events, r->alloc_events);
	if (asprintf(&r->events[r->nr_events++], "%s/%s", system, event) < 0)
		abort();
	return 0;
}

/* Enable the events of system whose names match the glob; how many did. */
static int enable_matching(struct lg_record *r, const char *system, const char *glob,
			   struct lg_error *err)
{
	char **events = tracefs_system_events(NULL, system);
	int n = 0, ret = 0;

	for (int i = 0; events && events[i] && !ret; i++) {
		if (fnmatch(glob, events[i], 0))
			continue;
		ret = lg_record_enable_event(r, system, events[i], err);
		n++;
	}
	tracefs_list_free(events);
	return ret ? ret : n;
}

/* What the enabled events give; the probes add theirs. */
static void note_recorded(struct lg_record *r)
{
	if (lg_record_has_event(r, "lock", "lock_acquire"))
		r->recorded |= LG_RECORDED_LOCKDEP;
	if (lg_record_has_event(r, "lock", "contention_begin"))
		r->recorded |= LG_RECORDED_CONTENTION;
	if (lg_record_has_event(r, "mmap_lock", "mmap_lock_acquire_returned"))
		r->recorded |= LG_RECORDED_MMAP_LOCK;
}

int lg_record_enable_defaults(struct lg_record *r, struct lg_error *err)
{
	bool contention = tracefs_event_file_exists(r->instance, "lock", CONTENTION, "enable");

	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		const char *system = defaults[i].system, *event = defaults[i].event;
		int n;

		if (defaults[i].missing == lock_stat_missing && contention) {
			lg_record_note(r, "lock:contention_begin/end show the waits, for fewer "
				       "records (-e lock:* for them)", "%s:%s", system, event);
			continue;
		}
		n = enable_matching(r, system, event ? event : "*", err);
		if (n < 0)
			return n;
		if (!n)
			lg_record_note(r, defaults[i].missing, "%s:%s", system, event ? event : "*");
	}
	note_recorded(r);
	return 0;
}

/* -e SYSTEM[:EVENT], EVENT a glob; an -e that matches nothing is an error. */
int lg_record_enable(struct lg_record *r, const char *spec, struct lg_error *err)
{
	char *system = lg_xstrdup(spec), *event = strchr(system, ':');
	int n;

	if (event)
		*event++ = '\0';
	n = enable_matching(r, system, event && *event ? event : "*", err);
	free(system);
	if (!n)
		return lg_fail(err, ENOENT, "-e %s: no such event in this kernel (see %s/"
			       "available_events)", spec, tracefs_tracing_dir());
	if (n > 0)
		note_recorded(r);
	return n < 0 ? n : 0;
}

/* The trigger for --stacks=globs: "stacktrace if name ~ \"G1\" || ..." */
static char *stacks_trigger(const char *globs)
{
	char *trigger = lg_xstrdup("stacktrace"), *next;

	for (const char *g = globs; g; g = strchr(g, ',') ? strchr(g, ',') + 1 : NULL) {
		if (asprintf(&next, "%s%s name ~ \"%.*s\"", trigger, g == globs ? " if" : " ||",
			     (int)strcspn(g, ","), g) < 0)
			abort();
		free(trigger);
		trigger = next;
	}
	return trigger;
}

/*
 * The trigger writes ftrace's kernel_stack event after the event's own, on
 * the same CPU in the same context (it runs when the event is committed),
 * into the instance's buffer: trace-cmd report prints it, and analyze gives
 * it to that acquisition. It goes on lock_acquire and on the lock_sync()
 * kprobe, which has the lock's name too; a filter on it bounds the cost.
 */
int lg_record_stacks(struct lg_record *r, const char *globs, struct lg_error *err)
{
	const char *events[][2] = { { "lock", "lock_acquire" },
				    { r->probe_system, LG_PROBE_LOCK_SYNC } };
	char *trigger;
	int ret = 0, e;

	if (!(r->recorded & LG_RECORDED_LOCKDEP)) {
		lg_record_note(r, "needs lock:lock_acquire (CONFIG_LOCKDEP)", "--stacks");
		return 0;
	}
	trigger = stacks_trigger(globs);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]) && !ret; i++) {
		if (!events[i][0] || !lg_record_has_event(r, events[i][0], events[i][1]))
			continue;
		errno = 0;
		if (tracefs_event_file_write(r->instance, events[i][0], events[i][1], "trigger",
					     trigger) < 0) {
			e = errno ? errno : EIO;
			ret = lg_fail(err, e, "--stacks: the kernel refused the trigger '%s' on "
				      "%s:%s: %s", trigger, events[i][0], events[i][1],
				      strerror(e));
		}
	}
	if (!ret) {
		lg_record_note(r, NULL, globs ? "stacks of locks %s" : "stacks", globs);
		r->recorded |= LG_RECORDED_STACKS;
	}
	free(trigger);
	return ret;
}
