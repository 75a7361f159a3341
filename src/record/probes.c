/* The dynamic events `lockgraph record` adds: entry/return probe pairs on
 * kernel functions (presets, --probe) and ELF symbols (--probe, --pthread),
 * and lockdep's class keys through an eprobe. Each is removed at the end. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tracefs.h>

#include "lockgraph/contract/priming.h"
#include "lockgraph/contract/probe_names.h"
#include "lockgraph/contract/pthread_calls.h"
#include "lockgraph/contract/wait_calls.h"
#include "lockgraph/lib/elf_symbols.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/record/record.h"

static const struct preset {
	const char *name, *what;
	const char *const *functions;	/* NULL-terminated */
} presets[] = {
	{ "amdgpu", "amdgpu's HMM (userptr) notifier paths and lockdep training",
	  (const char *const[]){ "amdgpu_hmm_invalidate_gfx", "amdgpu_hmm_invalidate_hsa",
				 "amdgpu_hmm_register", "amdgpu_hmm_unregister",
				 "amdgpu_lockdep_init", NULL } },
	{ "nouveau", "nouveau's SVM notifier and fault paths",
	  (const char *const[]){ "nouveau_svmm_invalidate_range_start", "nouveau_svmm_invalidate",
				 "nouveau_svm_fault", "nouveau_range_fault", NULL } },
	{ "xe", "xe's SVM and userptr invalidation paths and lockdep priming",
	  (const char *const[]){ "xe_svm_invalidate", "xe_vma_userptr_invalidate",
				 "xe_vm_userptr_pin", "xe_pm_runtime_lockdep_prime", NULL } },
	{ "i915", "i915's userptr invalidation paths and shrinker priming",
	  (const char *const[]){ "i915_gem_userptr_invalidate",
				 "i915_gem_object_userptr_submit_init",
				 "i915_gem_userptr_get_pages", "i915_gem_shrinker_taints_mutex",
				 NULL } },
	{ "mm", "the mm and workqueue paths the drivers meet",
	  (const char *const[]){ "__mmu_notifier_invalidate_range_start",
				 "mmu_interval_notifier_insert", "mmu_interval_notifier_remove",
				 "drain_workqueue", "flush_work", "alloc_workqueue", NULL } },
	{ "prime", "the functions that do nothing but teach lockdep an order",
	  lg_priming_probes },
	{ "wait", "completions and work flushes, the waits lockdep cannot see (fences and "
	  "work items need no probe: their tracepoints are on)", NULL },
};

void lg_record_print_presets(FILE *out)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		fprintf(out, "%-8s %s:\n        ", presets[i].name, presets[i].what);
		for (int f = 0; presets[i].functions && presets[i].functions[f]; f++)
			fprintf(out, " %s", presets[i].functions[f]);
		for (int f = 0; !presets[i].functions && lg_wait_functions[f].name; f++)
			fprintf(out, " %s", lg_wait_functions[f].name);
		fprintf(out, "\n");
	}
}

static const char *probe_system(struct lg_record *r)
{
	if (!r->probe_system &&
	    asprintf(&r->probe_system, LG_PROBE_SYSTEM_PREFIX "%d", (int)getpid()) < 0)
		abort();
	return r->probe_system;
}

/* Create, remember (for removal) and enable one dynamic event; one asked for
 * twice (--preset mm --probe flush_work) is set once. */
static int add_probe(struct lg_record *r, struct tracefs_dynevent *devent, const char *event,
		     struct lg_error *err)
{
	if (lg_record_has_event(r, probe_system(r), event)) {
		tracefs_dynevent_free(devent);
		return 0;
	}
	if (!devent || tracefs_dynevent_create(devent)) {
		int e = errno ? errno : EINVAL;

		tracefs_dynevent_free(devent);
		return lg_fail(err, e, "cannot create the probe %s/%s: %s", probe_system(r), event,
			       strerror(e));
	}
	LG_GROW(r->probes, r->nr_probes, r->alloc_probes);
	r->probes[r->nr_probes++] = devent;
	return lg_record_enable_event(r, probe_system(r), event, err);
}

/* An event name from a symbol: tracefs takes [A-Za-z0-9_] only. */
static char *event_name(const char *symbol, const char *suffix)
{
	char *name;

	if (asprintf(&name, "%s%s", symbol, suffix) < 0)
		abort();
	for (char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			*c = '_';
	return name;
}

/* An entry probe (reading args, if any) and a return one unless ret is NULL. */
static int kprobe_pair(struct lg_record *r, const char *function, const char *suffix,
		       const char *args, const char *ret_suffix, struct lg_error *err)
{
	char *entry = event_name(function, suffix);
	char *ret = ret_suffix ? event_name(function, ret_suffix) : NULL;
	int e = 0;

	/* The return probe first: the kernel runs the probes of one address
	 * newest first, so that the entry probe reads the return address
	 * ($stack0) before the return probe replaces it with its trampoline. */
	if (ret)
		e = add_probe(r, tracefs_kretprobe_alloc(probe_system(r), ret, function, NULL, 0),
			      ret, err);
	if (!e)
		e = add_probe(r, tracefs_kprobe_alloc(probe_system(r), entry, function, args),
			      entry, err);
	free(entry);
	free(ret);
	return e;
}

/* An entry uprobe, and a return one unless ret_args is NULL. The kernel
 * resolves a uprobe's path itself: make it absolute. */
static int uprobe_pair(struct lg_record *r, const char *path, const char *symbol,
		       const char *args, const char *ret_args, struct lg_error *err)
{
	char *entry = event_name(symbol, ""), *ret = event_name(symbol, LG_PROBE_RETURN_SUFFIX);
	char *file = realpath(path, NULL);
	uint64_t offset;
	int e = file ? lg_elf_function_offset(file, symbol, &offset, err) :
		       lg_fail(err, errno, "%s: %s", path, strerror(errno));

	if (!e)
		e = add_probe(r, tracefs_uprobe_alloc(probe_system(r), entry, file, offset, args),
			      entry, err);
	if (!e && ret_args)
		e = add_probe(r, tracefs_uretprobe_alloc(probe_system(r), ret, file, offset,
							 *ret_args ? ret_args : NULL), ret, err);
	if (!e)
		lg_record_note(r, NULL, "%s:%s", file, symbol);
	free(file);
	free(entry);
	free(ret);
	return e;
}

/* A kernel function a kprobe pair may go on, or why not (a static string,
 * *e its errno; unreadable: that of reading available_filter_functions). */
static const char *unprobeable(const char *function, const char *available, int unreadable,
			       int *e)
{
	size_t len = strlen(function);

	*e = ENOTSUP;
	if (!tracefs_file_exists(NULL, "kprobe_events"))
		return "no kprobe events in this kernel (CONFIG_KPROBE_EVENTS)";
	*e = unreadable;
	if (!available)
		return "available_filter_functions is unreadable here";
	for (const char *p = available; (p = strstr(p, function)); p += len)
		if ((p == available || p[-1] == '\n') && (p[len] == '\n' || p[len] == ' ' ||
							  p[len] == '\t' || !p[len]))
			return NULL;
	*e = ENOENT;
	return "not in available_filter_functions (module not loaded, or inlined)";
}

/*
 * A preset's functions, of which this kernel may lack some (a driver not
 * loaded): each is a note, set or skipped. A function asked for by name
 * (required) that cannot be probed is an error instead, saying why.
 */
static int probe_functions(struct lg_record *r, const char *const *functions, bool required,
			   bool waits, struct lg_error *err)
{
	char *available;
	int ret = 0, unreadable, e;

	errno = 0;
	available = tracefs_instance_file_read(NULL, "available_filter_functions", NULL);
	unreadable = errno ? errno : EIO;
	for (int i = 0; functions[i] && !ret; i++) {
		const char *why = unprobeable(functions[i], available, unreadable, &e);

		if (why && required)
			ret = lg_fail(err, e, "--probe %s: cannot set a kprobe pair: %s",
				      functions[i], why);
		else if (!why && !waits)
			ret = kprobe_pair(r, functions[i], "", NULL, LG_PROBE_RETURN_SUFFIX, err);
		else if (!why)
			ret = kprobe_pair(r, functions[i], LG_WAIT_PROBE_SUFFIX, LG_WAIT_PROBE_ARGS,
					  lg_wait_function_is_event(functions[i]) ? NULL :
					  LG_WAIT_PROBE_SUFFIX LG_PROBE_RETURN_SUFFIX, err);
		if (!ret)
			lg_record_note(r, why, "%s", functions[i]);
	}
	free(available);
	return ret;
}

int lg_record_preset(struct lg_record *r, const char *name, struct lg_error *err)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (!strcmp(presets[i].name, name) && presets[i].functions)
			return probe_functions(r, presets[i].functions, false, false, err);
	if (!strcmp(name, "wait")) {
		const char *names[LG_NR_WAIT_FUNCTIONS + 1];
		size_t n = 0;

		for (const struct lg_wait_function *f = lg_wait_functions; f->name; f++)
			names[n++] = f->name;
		names[n] = NULL;
		if (probe_functions(r, names, false, true, err))
			return -1;
		if (!tracefs_event_file_exists(r->instance, LG_WAIT_WAKING_SYSTEM,
					       LG_WAIT_WAKING_EVENT, "enable")) {
			lg_record_note(r, "not in this kernel",
				       LG_WAIT_WAKING_SYSTEM ":" LG_WAIT_WAKING_EVENT);
			return 0;
		}
		return lg_record_enable_event(r, LG_WAIT_WAKING_SYSTEM, LG_WAIT_WAKING_EVENT, err);
	}
	return lg_fail(err, ENOENT, "--preset %s: no such preset (--preset list shows them)",
		       name);
}

/* FUNCTION (a kernel function) or PATH:SYMBOL (a function of an ELF file). */
int lg_record_probe(struct lg_record *r, const char *def, struct lg_error *err)
{
	const char *colon = strrchr(def, ':');
	const char *functions[] = { def, NULL };
	char *file;
	int ret;

	if (!colon || !strchr(def, '/'))
		return probe_functions(r, functions, true, false, err);
	if (!colon[1] || colon == def)
		return lg_fail(err, EINVAL, "--probe %s: expected FUNCTION or PATH:SYMBOL", def);
	file = strndup(def, colon - def);
	ret = uprobe_pair(r, file, colon + 1, NULL, "", err);
	free(file);
	return ret;
}

/* COMMAND as execvp() will find it. */
static char *find_command(const char *command)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save, *found = NULL;

	if (strchr(command, '/'))
		return lg_xstrdup(command);
	dirs = lg_xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&found, "%s/%s", *dir ? dir : ".", command) < 0)
			abort();
		if (access(found, X_OK)) {
			free(found);
			found = NULL;
		}
	}
	free(dirs);
	return found;
}

int lg_record_pthread(struct lg_record *r, const char *command, struct lg_error *err)
{
#ifdef __x86_64__
	char *exe = find_command(command), object[4096];
	int ret;

	if (!exe)
		return lg_fail(err, ENOENT, "--pthread: %s: command not found", command);
	ret = lg_elf_pthread_object(exe, object, sizeof(object), err);
	free(exe);
	/* x86-64 calling convention: the lock (after the condition) in %di (%si) */
	for (const struct lg_pthread_function *f = lg_pthread_functions; !ret && f->name; f++)
		ret = uprobe_pair(r, object, f->name, f->call == LG_PT_COND_WAIT ?
				  "cond=%di:x64 " LG_PTHREAD_FIELD_LOCK "=%si:x64" :
				  LG_PTHREAD_FIELD_LOCK "=%di:x64", lg_pthread_call_returns(f->call) ?
				  LG_PTHREAD_FIELD_RET "=$retval:s32" : NULL, err);
	if (!ret)
		fprintf(stderr, "lockgraph: --pthread: each probed call now costs a few "
			"microseconds (a uprobe trap and its return)\n");
	return ret;
#else
	(void)r;
	(void)command;
	return lg_fail(err, ENOTSUP, "--pthread: only x86-64 argument registers are known");
#endif
}

/*
 * lock:lock_acquire names a class but cannot tell apart two classes that share
 * a name; an eprobe on it reads the lockdep_map the event points to (its
 * layout: probe_names.h).
 */
void lg_record_lockdep_keys(struct lg_record *r)
{
	struct lg_error err;
	char *readme;
	bool eprobes;

	if (!(r->recorded & LG_RECORDED_LOCKDEP))
		return;
	readme = tracefs_instance_file_read(NULL, "README", NULL);
	eprobes = readme && strstr(readme, "e[:[<group>/][<event>]]");
	free(readme);
	if (!eprobes || sizeof(void *) != 8) {
		lg_record_note(r, "no event probes in this kernel (needs 5.15, 64-bit)",
			       "lock_acquire class keys");
		return;
	}
	if (add_probe(r, tracefs_eprobe_alloc(probe_system(r), LG_PROBE_CLASS_KEY, "lock",
					      "lock_acquire", LG_PROBE_CLASS_KEY_ARGS), LG_PROBE_CLASS_KEY, &err)) {
		lg_record_note(r, err.msg, "lock_acquire class keys");
		return;
	}
	lg_record_note(r, NULL, "lock_acquire class keys");
	r->recorded |= LG_RECORDED_KEYS;
}

/*
 * Linux 6.7 and later with FPROBE_EVENTS: a tracepoint probe on lock_acquire
 * reads the arguments the tracepoint does not record. libtracefs 1.6 has no
 * API for t: probes, so it is written to dynamic_events as text. Only one may
 * sit on lock_acquire: EEXIST means another tool holds it.
 */
#define TPROBE_README "t[:[<group>/][<event>]] <tracepoint>"

void lg_record_lockdep_args(struct lg_record *r)
{
	struct lg_error err;
	char *readme, *def;
	bool tprobes;

	if (!(r->recorded & LG_RECORDED_LOCKDEP))
		return;
	readme = tracefs_instance_file_read(NULL, "README", NULL);
	tprobes = readme && strstr(readme, TPROBE_README);
	free(readme);
	if (!tprobes) {
		lg_record_note(r, "no tracepoint probes in this kernel (Linux 6.7 with "
			       "FPROBE_EVENTS)", "lock_acquire arguments");
		return;
	}
	if (asprintf(&def, "t:%s/%s lock_acquire %s", probe_system(r), LG_PROBE_ACQUIRE_ARGS,
		     LG_PROBE_ACQUIRE_ARGS_ARGS) < 0)
		abort();
	errno = 0;
	if (tracefs_instance_file_append(NULL, "dynamic_events", def) < 0) {
		lg_record_note(r, errno == EEXIST ? "another tool has a tracepoint probe on "
			       "lock_acquire" : strerror(errno ? errno : EINVAL),
			       "lock_acquire arguments");
		free(def);
		return;
	}
	free(def);
	if (asprintf(&r->tprobe, "%s/%s", probe_system(r), LG_PROBE_ACQUIRE_ARGS) < 0)
		abort();
	if (lg_record_enable_event(r, probe_system(r), LG_PROBE_ACQUIRE_ARGS, &err)) {
		lg_record_note(r, err.msg, "lock_acquire arguments");
		return;
	}
	lg_record_note(r, NULL, "lock_acquire arguments");
	r->recorded |= LG_RECORDED_ARGS;
}

/*
 * The lockdep calls that emit no tracepoint, as kprobes (probe_names.h):
 * each is set where the kernel has the function; lock_sync() is 6.4 on.
 */
void lg_record_lockdep_calls(struct lg_record *r)
{
	static const struct {
		const char *function, *args;
	} calls[] = {
		{ LG_PROBE_LOCK_SYNC, LG_PROBE_LOCK_SYNC_ARGS },
		{ LG_PROBE_SET_CLASS, LG_PROBE_SET_CLASS_ARGS },
	};
	struct lg_error err;

	if (!(r->recorded & LG_RECORDED_LOCKDEP))
		return;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const char *function = calls[i].function;
		int ret;

		if (!tracefs_file_exists(NULL, "kprobe_events")) {
			lg_record_note(r, "no kprobe events in this kernel (CONFIG_KPROBE_EVENTS)",
				       "%s", function);
			continue;
		}
		ret = add_probe(r, tracefs_kprobe_alloc(probe_system(r), function, function,
							calls[i].args), function, &err);
		lg_record_note(r, !ret ? NULL : ret == -ENOENT ? "not in this kernel" : err.msg,
			       "%s", function);
	}
}

static void remove_tprobe(const char *name)
{
	char *undef;

	if (asprintf(&undef, "-:%s", name) < 0)
		abort();
	if (tracefs_instance_file_append(NULL, "dynamic_events", undef) < 0)
		fprintf(stderr, "lockgraph: warning: cannot remove the probe %s: %s\n",
			name, strerror(errno));
	free(undef);
}

static bool stale_system(const char *system, bool (*dead)(int pid))
{
	int pid;

	return sscanf(system, LG_PROBE_SYSTEM_PREFIX "%d", &pid) == 1 && dead(pid);
}

static void remove_stale_tprobes(bool (*dead)(int pid))
{
	char *events = tracefs_instance_file_read(NULL, "dynamic_events", NULL);
	char *line, *save, name[256];

	for (line = events ? strtok_r(events, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "t:%255s", name) != 1 || !stale_system(name, dead))
			continue;
		remove_tprobe(name);
		fprintf(stderr, "lockgraph: removed the probe %s of a dead recording\n", name);
	}
	free(events);
}

void lg_record_remove_stale_probes(bool (*dead)(int pid))
{
	struct tracefs_dynevent **probes;
	char *system;

	remove_stale_tprobes(dead);
	probes = tracefs_dynevent_get_all(TRACEFS_DYNEVENT_ALL, NULL);
	for (int i = 0; probes && probes[i]; i++) {
		system = NULL;
		tracefs_dynevent_info(probes[i], &system, NULL, NULL, NULL, NULL);
		if (!system || !stale_system(system, dead))
			;
		else if (tracefs_dynevent_destroy(probes[i], true))
			fprintf(stderr, "lockgraph: warning: cannot remove a probe of %s, a "
				"dead recording: %s\n", system, strerror(errno));
		else
			fprintf(stderr, "lockgraph: removed a probe of %s, a dead "
				"recording\n", system);
		free(system);
	}
	tracefs_dynevent_list_free(probes);
}

void lg_record_remove_probes(struct lg_record *r)
{
	if (r->tprobe) {
		remove_tprobe(r->tprobe);
		free(r->tprobe);
		r->tprobe = NULL;
	}
	for (int i = r->nr_probes; i-- > 0;) {
		if (tracefs_dynevent_destroy(r->probes[i], false))
			fprintf(stderr, "lockgraph: warning: cannot remove a probe of %s: "
				"%s\n", probe_system(r), strerror(errno));
		tracefs_dynevent_free(r->probes[i]);
	}
}
