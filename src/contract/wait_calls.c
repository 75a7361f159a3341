/* The probed wait and event functions and what they wait for; see wait_calls.h. */
#include <stdio.h>
#include <string.h>

#include "lockgraph/contract/wait_calls.h"

/* kernel/sched/completion.c and kernel/workqueue.c; flush_work() and
 * cancel_work_sync() wait in __flush_work() for the work item passed, and
 * flush_delayed_work() for the one at the start of its delayed_work. */
const struct lg_wait_function lg_wait_functions[LG_NR_WAIT_FUNCTIONS + 1] = {
	{ "wait_for_completion", LG_WAIT_COMPLETION, false, 0 },
	{ "wait_for_completion_io", LG_WAIT_COMPLETION, false, 0 },
	{ "wait_for_completion_interruptible", LG_WAIT_COMPLETION, false, 0 },
	{ "wait_for_completion_killable", LG_WAIT_COMPLETION, false, 0 },
	{ "wait_for_completion_state", LG_WAIT_COMPLETION, false, 0 },
	{ "wait_for_completion_timeout", LG_WAIT_COMPLETION, false, LG_WAIT_TIMED },
	{ "wait_for_completion_io_timeout", LG_WAIT_COMPLETION, false, LG_WAIT_TIMED },
	{ "wait_for_completion_interruptible_timeout", LG_WAIT_COMPLETION, false, LG_WAIT_TIMED },
	{ "wait_for_completion_killable_timeout", LG_WAIT_COMPLETION, false, LG_WAIT_TIMED },
	{ "complete", LG_WAIT_COMPLETION, true, 0 },
	{ "complete_all", LG_WAIT_COMPLETION, true, LG_WAIT_ALL },
	{ "flush_work", LG_WAIT_WORK, false, 0 },
	{ "flush_delayed_work", LG_WAIT_WORK, false, 0 },
	{ "cancel_work_sync", LG_WAIT_WORK, false, 0 },
	{ NULL, 0, false, 0 }
};

bool lg_wait_is_workqueue_flush(const char *func, size_t len)
{
	static const char *const flushes[] = { "__flush_workqueue", "flush_workqueue" };

	for (size_t i = 0; i < sizeof(flushes) / sizeof(flushes[0]); i++)
		if (strlen(flushes[i]) == len && !memcmp(flushes[i], func, len))
			return true;
	return false;
}

size_t lg_wait_fence_name(char *buf, size_t size, const char *driver, size_t driver_len,
			  const char *timeline, size_t timeline_len)
{
	int len = snprintf(buf, size, "%.*s %.*s", (int)driver_len, driver, (int)timeline_len,
			   timeline);

	return len < 0 ? 0 : (size_t)len < size ? (size_t)len : size - 1;
}

bool lg_wait_function_is_event(const char *name)
{
	for (const struct lg_wait_function *f = lg_wait_functions; f->name; f++)
		if (!strcmp(f->name, name))
			return f->event;
	return false;
}

const struct lg_wait_function *lg_wait_function(const char *name, size_t len)
{
	size_t suffix = strlen(LG_WAIT_PROBE_SUFFIX);

	if (len <= suffix || memcmp(name + len - suffix, LG_WAIT_PROBE_SUFFIX, suffix))
		return NULL;
	len -= suffix;
	for (const struct lg_wait_function *f = lg_wait_functions; f->name; f++)
		if (strlen(f->name) == len && !memcmp(f->name, name, len))
			return f;
	return NULL;
}
