/* `lockgraph record`: options, then a tracefs instance of its own around one
 * run of COMMAND, then the trace.dat; tracefs is left as it was found. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tracefs.h>

#include "lockgraph/commands.h"
#include "lockgraph/lib/cli.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/record/proc_maps.h"
#include "lockgraph/record/record.h"

#define TRACEFS_PATH "/sys/kernel/tracing"
#define TICK 0.01	/* seconds between looks at the command */
/* The command's maps are read again 1 ms after its exec, then at doubling
 * intervals up to 256 ms: libraries it loads are caught, at a small cost. */
#define MAPS_INTERVAL_MIN 0.001
#define MAPS_INTERVAL_MAX 0.256
/* Seconds between updates of the progress line: reading each CPU's stats
 * costs a few syscalls, and a person reads no faster. */
#define PROGRESS_INTERVAL 0.25

struct options {
	const char *output;
	const char **events, **presets, **probes;
	int nr_events, nr_presets, nr_probes;
	bool pthread, follow, no_args_probe, stacks;
	const char *stacks_glob;	/* --stacks=GLOB,..., or NULL: every lock */
	long buffer_kb;		/* per CPU; 0: lg_record_buffer_kb() */
	long memory_mb;		/* what that was sized from */
	double duration;	/* seconds; 0: until COMMAND exits */
	char **command;
};

static volatile sig_atomic_t stop_signal, nr_signals;

static void on_signal(int sig)
{
	stop_signal = sig;
	nr_signals++;
}

/* Signals that would end lockgraph without its clean-up: caught (handler)
 * while it records, default again in the command (SIG_DFL). */
static void stop_signals(void (*handler)(int))
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], handler);
}

static int usage(FILE *out, int status)
{
	fprintf(out,
		"usage: lockgraph record [-o FILE] [-e SYSTEM[:EVENT]]... [--preset NAME]...\n"
		"                        [--probe FUNCTION|PATH:SYMBOL]... [--pthread] [-b KB]\n"
		"                        [--follow] [--duration S] [--no-args-probe]\n"
		"                        [--stacks[=GLOB,...]]\n"
		"                        [--] COMMAND [ARGS...]\n"
		"\n"
		"  -o, --output FILE     write the trace here (default trace.dat), mode 0600\n"
		"  -e, --event SPEC      also enable these events (EVENT may be a glob)\n"
		"      --preset NAME     entry/return probes on a driver's paths (--preset list)\n"
		"      --probe DEF       entry/return probes on a kernel FUNCTION, or on SYMBOL\n"
		"                        of the ELF file PATH\n"
		"      --pthread         uprobes on COMMAND's libc pthread mutex/rwlock/cond calls\n"
		"  -b, --buffer KB       ring buffer per CPU (default 4096)\n"
		"      --follow          only COMMAND and its descendants (default: system-wide)\n"
		"      --duration S      stop after S seconds (COMMAND gets SIGTERM); with no\n"
		"                        COMMAND, record the whole system for S seconds\n"
		"      --no-args-probe   no tracepoint probe on lock_acquire for its arguments\n"
		"      --stacks[=GLOB,...]  the kernel stack of each lock acquisition (of\n"
		"                        locks whose name matches a GLOB)\n"
		"  -h, --help            this text\n"
		"\nSee lockgraph-record(1).\n");
	return status;
}

static void add(const char ***list, int *nr, const char *s)
{
	*list = lg_xrealloc(*list, (*nr + 1) * sizeof(**list));
	(*list)[(*nr)++] = s;
}

/* 0, or an exit status to return at once. */
static int parse(struct options *o, int argc, char **argv)
{
	enum { OPT_PRESET = 256, OPT_PROBE, OPT_PTHREAD, OPT_FOLLOW, OPT_DURATION,
	       OPT_NO_ARGS_PROBE, OPT_STACKS };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "event", required_argument, NULL, 'e' },
		{ "preset", required_argument, NULL, OPT_PRESET },
		{ "probe", required_argument, NULL, OPT_PROBE },
		{ "pthread", no_argument, NULL, OPT_PTHREAD },
		{ "buffer", required_argument, NULL, 'b' },
		{ "follow", no_argument, NULL, OPT_FOLLOW },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "no-args-probe", no_argument, NULL, OPT_NO_ARGS_PROBE },
		{ "stacks", optional_argument, NULL, OPT_STACKS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *end;
	int c;

	o->output = "trace.dat";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:e:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'e': add(&o->events, &o->nr_events, optarg); break;
		case OPT_PRESET:
			if (!strcmp(optarg, "list")) {
				lg_record_print_presets(stdout);
				return LG_EXIT_CLEAN;
			}
			add(&o->presets, &o->nr_presets, optarg);
			break;
		case OPT_PROBE: add(&o->probes, &o->nr_probes, optarg); break;
		case OPT_PTHREAD: o->pthread = true; break;
		case OPT_FOLLOW: o->follow = true; break;
		case OPT_NO_ARGS_PROBE: o->no_args_probe = true; break;
		case OPT_STACKS:
			if (optarg && (!*optarg || strpbrk(optarg, "\"\\\n") || *optarg == ',' ||
				       strstr(optarg, ",,") || optarg[strlen(optarg) - 1] == ',')) {
				fprintf(stderr, "lockgraph: --stacks=%s: expected globs of "
					"lock names, separated by commas, without quotes or "
					"backslashes\n", optarg);
				return LG_EXIT_ERROR;
			}
			o->stacks = true;
			o->stacks_glob = optarg;
			break;
		case 'b':
			o->buffer_kb = strtol(optarg, &end, 10);
			if (*end || o->buffer_kb < 4 || o->buffer_kb > 1 << 22) {
				fprintf(stderr, "lockgraph: -b %s: expected kilobytes per CPU, "
					"4 to 4194304\n", optarg);
				return LG_EXIT_ERROR;
			}
			break;
		case OPT_DURATION:
			o->duration = strtod(optarg, &end);
			if (*end || !(o->duration > 0)) {
				fprintf(stderr, "lockgraph: --duration %s: expected seconds > 0\n",
					optarg);
				return LG_EXIT_ERROR;
			}
			break;
		case 'h': return usage(stdout, LG_EXIT_CLEAN);
		default:
			lg_cli_bad_option("record", c, argv, longopts);
			return usage(stderr, LG_EXIT_ERROR);
		}
	}
	o->command = argv + optind;
	if (!*o->command && !o->duration) {
		fprintf(stderr, "lockgraph: no COMMAND to run (or --duration for a "
			"system-wide recording)\n");
		return usage(stderr, LG_EXIT_ERROR);
	}
	if (!*o->command && (o->pthread || o->follow)) {
		fprintf(stderr, "lockgraph: --pthread and --follow need a COMMAND\n");
		return LG_EXIT_ERROR;
	}
	return -1;
}

/* A libtracefs call returned -1: the errno of the write(2) behind it, or
 * EIO where it left none (errno is cleared before such calls). */
static int tracefs_failed(struct lg_error *err, const char *what)
{
	int e = errno ? errno : EIO;

	return lg_fail(err, e, "%s: %s", what, strerror(e));
}

static bool tracefs_mounted(void)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[4096];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, " tracefs ") != NULL;
	if (f)
		fclose(f);
	return found;
}

/* Mount tracefs where the kernel documents it if nothing has, and say so:
 * it is unmounted again at the end. */
static int ensure_tracefs(struct lg_record *r, struct lg_error *err)
{
	if (geteuid() != 0)
		return lg_fail(err, EPERM, "recording needs root (tracefs, and probes)");
	if (tracefs_mounted())
		return 0;
	if (mount("nodev", TRACEFS_PATH, "tracefs", 0, NULL))
		return lg_fail(err, errno, "no tracefs mounted, and mounting it at %s failed: %s",
			       TRACEFS_PATH, strerror(errno));
	r->mounted = true;
	return 0;
}

/* A lockgraph record that died (SIGKILL, a crash) could not clean up; one
 * with our own pid died before the kernel gave it to us. */
static bool dead(int pid)
{
	return pid == getpid() || (pid > 0 && kill(pid, 0) && errno == ESRCH);
}

static int remove_stale_instance(const char *name, void *unused)
{
	struct tracefs_instance *inst;
	int pid;
	char end;

	(void)unused;
	if (sscanf(name, "lockgraph-%d%c", &pid, &end) != 1 || !dead(pid))
		return 0;
	errno = 0;
	inst = tracefs_instance_alloc(NULL, name);
	if (!inst || tracefs_instance_destroy(inst))
		fprintf(stderr, "lockgraph: warning: cannot remove the instance %s of a "
			"dead recording: %s\n", name, strerror(errno ? errno : ENOMEM));
	else
		fprintf(stderr, "lockgraph: removed the instance %s of a dead recording\n",
			name);
	tracefs_instance_free(inst);
	return 0;
}

/*
 * Remove what dead recordings left: their instances, then their probes, which
 * are global (a uprobe stays in the libc of every process), and the files
 * they made beside their FILE. Said on stderr.
 */
static void remove_stale(void)
{
	tracefs_instances_walk(remove_stale_instance, NULL);
	lg_record_remove_stale_probes(dead);
	lg_record_remove_stale_files(dead);
}

static int make_instance(struct lg_record *r, long buffer_kb, struct lg_error *err)
{
	char name[64], what[128];

	snprintf(name, sizeof(name), "lockgraph-%d", (int)getpid());
	errno = 0;
	r->instance = tracefs_instance_create(name);
	if (!r->instance) {
		snprintf(what, sizeof(what), "cannot create the tracefs instance %s", name);
		return tracefs_failed(err, what);
	}
	tracefs_trace_off(r->instance);
	/*
	 * Overwrite, as trace-cmd records: where a burst outruns the reader, the
	 * next page it reads carries the count of what was overwritten, so the
	 * trace.dat says where events were lost; a full buffer that drops new
	 * events (overwrite off) counts them but marks no place.
	 */
	errno = 0;
	if (tracefs_option_enable(r->instance, TRACEFS_OPTION_OVERWRITE))
		return tracefs_failed(err, "cannot set the instance's overwrite option");
	errno = 0;
	if (tracefs_instance_set_buffer_size(r->instance, buffer_kb, -1) < 0) {
		snprintf(what, sizeof(what), "-b %ld: the kernel refused that buffer size",
			 buffer_kb);
		return tracefs_failed(err, what);
	}
	return 0;
}

/* FILE.partial is made, and a FILE that must not be replaced refused,
 * before anything is set up in tracefs. */
static int setup(struct lg_record *r, struct lg_output *out, const struct options *o,
		 struct lg_error *err)
{
	int ret = ensure_tracefs(r, err);

	if (!ret) {
		remove_stale();
		r->leftovers = lg_leftovers_open();
		ret = lg_record_output_open(out, o->output, r->leftovers, err);
	}
	if (!ret)
		ret = make_instance(r, o->buffer_kb, err);
	if (!ret)
		ret = lg_record_enable_defaults(r, err);
	for (int i = 0; !ret && i < o->nr_events; i++)
		ret = lg_record_enable(r, o->events[i], err);
	for (int i = 0; !ret && i < o->nr_presets; i++)
		ret = lg_record_preset(r, o->presets[i], err);
	for (int i = 0; !ret && i < o->nr_probes; i++)
		ret = lg_record_probe(r, o->probes[i], err);
	if (!ret && o->pthread) {
		ret = lg_record_pthread(r, o->command[0], err);
		r->maps = lg_xcalloc(1, sizeof(*r->maps));
	}
	if (!ret) {
		lg_record_lockdep_keys(r);
		if (!o->no_args_probe)
			lg_record_lockdep_args(r);
		else if (r->recorded & LG_RECORDED_LOCKDEP)
			lg_record_note(r, "--no-args-probe", "lock_acquire arguments");
		lg_record_lockdep_calls(r);
	}
	if (!ret && o->stacks)
		ret = lg_record_stacks(r, o->stacks_glob, err);
	return ret;
}

/*
 * The child waits for a byte on `go`, sent once tracing is on, then execs; an
 * exec failure comes back as an errno through the close-on-exec pipe
 * `status`. It keeps none of lockgraph's other descriptors (trace_pipe_raw
 * held by a daemon it leaves behind would keep the instance busy).
 */
static pid_t start_command(char **command, int go[2], int status[2])
{
	pid_t parent = getpid(), pid = fork();
	char c;
	int e;

	if (pid)
		return pid;
	/*
	 * COMMAND must not outlive a recorder killed outright, which could not
	 * stop it (nor can the next recording): SIGKILL, as no one is left to
	 * follow a SIGTERM it ignores. It comes when the thread that forked,
	 * lockgraph's main thread, exits; a recorder that died before prctl()
	 * has left the child to another parent already. The kernel clears it
	 * when COMMAND's credentials change (record(1) BUGS).
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	close(go[1]);
	close(status[0]);
	stop_signals(SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (read(go[0], &c, 1) != 1)
		_exit(127);
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC))
		for (int fd = 3; fd < 4096; fd++)
			if (fd != status[1])
				fcntl(fd, F_SETFD, FD_CLOEXEC);
	execvp(command[0], command);
	e = errno;
	if (write(status[1], &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* When the command's maps are read next, and at what interval after that. */
struct maps_schedule {
	double next, interval;
};

/* Read the command's maps if sched says it is time; the seconds to sleep
 * before the next look: a tick at most. */
static double maps_due(struct lg_record *r, pid_t pid, struct maps_schedule *sched)
{
	double left;

	if (!sched)
		return TICK;
	if (now() >= sched->next) {
		lg_proc_maps_read(r->maps, pid);
		sched->interval = 2 * sched->interval < MAPS_INTERVAL_MAX ?
				  2 * sched->interval : MAPS_INTERVAL_MAX;
		sched->next = now() + sched->interval;
	}
	left = sched->next - now();
	return left < TICK ? left : TICK;
}

/* The progress line, shown only on a terminal: NULL otherwise. */
struct progress {
	double next;
	int cpus;
	int width;		/* of the line shown, to blank it */
};

/* What was recorded so far, rewritten in place ("\r", no escapes: a dumb
 * terminal shows it as well). */
static void show_progress(struct lg_record *r, struct progress *p)
{
	uint64_t events, lost;
	int width;

	if (!p || now() < p->next)
		return;
	p->next = now() + PROGRESS_INTERVAL;
	lg_record_count_events(r, p->cpus, &events, &lost);
	width = fprintf(stderr, "\rlockgraph: %" PRIu64 " events so far, %" PRIu64 " lost",
			events, lost) - 1;
	fprintf(stderr, "%*s", p->width > width ? p->width - width : 0, "");
	p->width = width > p->width ? width : p->width;
}

/* Blank the progress line for what follows it (the summary, an error). */
static void end_progress(struct progress *p)
{
	if (p && p->width)
		fprintf(stderr, "\r%*s\r", p->width, "");
}

/*
 * Until the command exits, the duration ends, or a signal asks to stop: the
 * command gets that signal (SIGTERM at the deadline), and SIGKILL at a second
 * one, so that a command ignoring it cannot keep lockgraph from cleaning up.
 * Meanwhile the command's maps are read as sched says (if not NULL): the last
 * snapshot before it exits is its final set.
 */
static void wait_for(struct lg_record *r, pid_t pid, double duration,
		     struct maps_schedule *sched, struct progress *progress, int *wstatus)
{
	double deadline = duration ? now() + duration : 0;
	int sent = 0;

	for (;;) {
		pid_t done = pid > 0 ? waitpid(pid, wstatus, WNOHANG) : 0;
		double tick;

		if (done == pid || (done < 0 && errno == ECHILD))
			return;
		tick = maps_due(r, pid, sched);
		show_progress(r, progress);
		if ((stop_signal || (deadline && now() >= deadline)) && pid <= 0)
			return;
		if (!sent && (stop_signal || (deadline && now() >= deadline))) {
			kill(pid, stop_signal ? stop_signal : SIGTERM);
			sent = nr_signals ? nr_signals : 1;
		} else if (sent && nr_signals > sent) {
			kill(pid, SIGKILL);
		}
		if (tick > 0)
			nanosleep(&(struct timespec){ 0, (long)(tick * 1e9) }, NULL);
	}
}

/*
 * The command's maps as its exec left them: a stop signal takes effect on the
 * way back to user space, so once the command is stopped the kernel has mapped
 * the program (.bss too) and its loader, whose libraries the later snapshots
 * find. True if the command exited instead (*wstatus says how).
 */
static bool maps_at_exec(struct lg_record *r, pid_t pid, int *wstatus)
{
	int status;

	if (kill(pid, SIGSTOP))
		return false;
	while (waitpid(pid, &status, WUNTRACED) < 0)
		if (errno != EINTR)
			return false;
	if (!WIFSTOPPED(status)) {
		*wstatus = status;
		return true;
	}
	lg_proc_maps_read(r->maps, pid);
	kill(pid, SIGCONT);
	return false;
}

static int follow(struct lg_record *r, pid_t pid, struct lg_error *err)
{
	char s[32], what[96];

	snprintf(s, sizeof(s), "%d", (int)pid);
	errno = 0;
	if (tracefs_instance_file_write(r->instance, "set_event_pid", s) < 0 ||
	    tracefs_option_enable(r->instance, TRACEFS_OPTION_EVENT_FORK)) {
		snprintf(what, sizeof(what), "--follow: cannot restrict events to pid %d and "
			 "its children", (int)pid);
		return tracefs_failed(err, what);
	}
	return 0;
}

/* Run COMMAND (or just wait) with tracing on in the instance. */
static int run(struct lg_record *r, const struct options *o, struct progress *progress,
	       int *wstatus, struct lg_error *err)
{
	int go[2], status[2], e, ret = 0;
	pid_t pid = -1;
	ssize_t n;

	if (!*o->command) {
		errno = 0;
		if (tracefs_trace_on(r->instance))
			return tracefs_failed(err, "cannot turn tracing on in the instance");
		wait_for(r, -1, o->duration, NULL, progress, wstatus);
		end_progress(progress);
		tracefs_trace_off(r->instance);
		return 0;
	}
	if (pipe2(go, O_CLOEXEC))
		return lg_fail(err, errno, "pipe: %s", strerror(errno));
	if (pipe2(status, O_CLOEXEC)) {
		ret = lg_fail(err, errno, "pipe: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return ret;
	}
	pid = start_command(o->command, go, status);
	close(go[0]);
	close(status[1]);
	if (pid < 0)
		ret = lg_fail(err, errno, "cannot fork: %s", strerror(errno));
	if (!ret && o->follow)
		ret = follow(r, pid, err);
	errno = 0;
	if (!ret && tracefs_trace_on(r->instance))
		ret = tracefs_failed(err, "cannot turn tracing on in the instance");
	/* the byte starts the command; without it, it exits unrun */
	if (!ret && write(go[1], "", 1) != 1)
		ret = lg_fail(err, errno, "cannot start %s: %s", o->command[0], strerror(errno));
	close(go[1]);
	if (pid > 0) {
		struct maps_schedule sched = { .interval = MAPS_INTERVAL_MIN };
		bool exited = false;

		n = read(status[0], &e, sizeof(e));
		if (!ret && n == sizeof(e))
			ret = lg_fail(err, e, "cannot run %s: %s", o->command[0], strerror(e));
		if (ret)
			kill(pid, SIGKILL);
		else if (r->maps)
			exited = maps_at_exec(r, pid, wstatus);
		sched.next = now() + sched.interval;
		if (!exited)
			wait_for(r, pid, ret ? 0 : o->duration, r->maps && !ret ? &sched : NULL,
				 ret ? NULL : progress, wstatus);
		end_progress(progress);
	}
	close(status[0]);
	tracefs_trace_off(r->instance);
	return ret;
}

/* The one line before the command starts: what goes where, and how to stop. */
static void announce(const struct lg_record *r, const struct options *o, int cpus)
{
	fprintf(stderr, "lockgraph: recording %d events on %d CPUs into %s", r->nr_events,
		cpus, o->output);
	if (*o->command)
		fprintf(stderr, "; Ctrl-C stops %s and writes the file\n", o->command[0]);
	else
		fprintf(stderr, " for %g s; Ctrl-C stops it sooner and writes the file\n",
			o->duration);
}

static char **cpu_files(const struct lg_output *out, int cpus)
{
	char **files = lg_xcalloc(cpus, sizeof(*files));
	char suffix[32];

	for (int cpu = 0; cpu < cpus; cpu++) {
		snprintf(suffix, sizeof(suffix), ".cpu%d", cpu);
		files[cpu] = lg_record_output_beside(out, suffix);
	}
	return files;
}

static void summary(const struct lg_record *r, const struct lg_output *out,
		    const struct options *o, int cpus, uint64_t lost, int wstatus)
{
	enum lg_tier tier = lg_tier_of(r->recorded);
	struct stat st;
	int set = 0;

	if (!stat(o->output, &st))
		fprintf(stderr, "lockgraph: wrote %s (%lld bytes, %d CPUs)\n", o->output,
			(long long)st.st_size, cpus);
	if (out->owner_uid >= 0)
		fprintf(stderr, "  owner: uid %ld gid %ld (SUDO_UID, SUDO_GID), mode 0600\n",
			out->owner_uid, out->owner_gid);
	fprintf(stderr, "  tier %s: %s\n", lg_tier_name(tier), lg_tier_meaning(tier));
	fprintf(stderr, "  events (%d):", r->nr_events);
	for (int i = 0; i < r->nr_events; i++)
		fprintf(stderr, " %s", r->events[i]);
	fprintf(stderr, "\n");
	for (int i = 0; i < r->nr_notes; i++)
		set += !r->notes[i].why;
	if (set) {
		fprintf(stderr, "  probed (%d):", set);
		for (int i = 0; i < r->nr_notes; i++)
			if (!r->notes[i].why)
				fprintf(stderr, " %s", r->notes[i].what);
		fprintf(stderr, "\n");
	}
	for (int i = 0; i < r->nr_notes; i++)
		if (r->notes[i].why)
			fprintf(stderr, "  skipped %s: %s\n", r->notes[i].what, r->notes[i].why);
	if (r->maps && r->maps->nr)
		fprintf(stderr, "  maps of %s (pid %d): %u file mappings, to name its locks\n",
			o->command[0], r->maps->pid, r->maps->nr);
	else if (r->maps)
		fprintf(stderr, "  maps of %s: none read (it exited at once?): its locks are "
			"named by address\n", o->command[0]);
	if (o->memory_mb)
		fprintf(stderr, "  buffer: %ld KB per CPU (1/%d of %ld MB of memory over %d "
			"CPUs; -b sets it)\n", o->buffer_kb, LG_RECORD_MEMORY_SHARE, o->memory_mb,
			cpus);
	else
		fprintf(stderr, "  buffer: %ld KB per CPU (-b)\n", o->buffer_kb);
	if (lost)
		fprintf(stderr, "lockgraph: WARNING: the ring buffer lost %" PRIu64
			" events: a burst outran the reader. Where the kernel marked the "
			"loss in its pages (not all do for spliced pages: 6.18 does not) "
			"analyze forgets held locks, missing dependencies across it; the "
			"rest it counts as lost at unknown places, where a dependency may "
			"be false; raise -b\n", lost);
	if (lost && (r->recorded & LG_RECORDED_STACKS))
		fprintf(stderr, "lockgraph: WARNING: stacks were lost with those events: "
			"a dependency first seen there has none; --stacks=GLOB records "
			"fewer\n");
	if (*o->command && WIFEXITED(wstatus) && WEXITSTATUS(wstatus))
		fprintf(stderr, "  %s exited with status %d\n", o->command[0],
			WEXITSTATUS(wstatus));
	else if (*o->command && WIFSIGNALED(wstatus))
		fprintf(stderr, "  %s was killed by signal %d\n", o->command[0],
			WTERMSIG(wstatus));
}

/* Leave tracefs as it was found: the instance, then the probes it used. */
static void untrace(struct lg_record *r, char **files, int cpus)
{
	if (r->instance) {
		if (tracefs_instance_destroy(r->instance))
			fprintf(stderr, "lockgraph: warning: cannot remove the instance "
				"%s: %s (a process of the command still reading it?)\n",
				tracefs_instance_get_name(r->instance), strerror(errno));
		tracefs_instance_free(r->instance);
	}
	lg_record_remove_probes(r);	/* only once no instance has them enabled */
	if (r->mounted && umount(TRACEFS_PATH))
		fprintf(stderr, "lockgraph: warning: cannot unmount %s: %s\n",
			TRACEFS_PATH, strerror(errno));
	for (int cpu = 0; files && cpu < cpus; cpu++)
		if (files[cpu])
			unlink(files[cpu]);
}

static void free_record(struct lg_record *r, char **files, int cpus)
{
	for (int cpu = 0; files && cpu < cpus; cpu++)
		free(files[cpu]);
	free(files);
	for (int i = 0; i < r->nr_events; i++)
		free(r->events[i]);
	free(r->events);
	for (int i = 0; i < r->nr_notes; i++) {
		free(r->notes[i].what);
		free(r->notes[i].why);
	}
	free(r->notes);
	free(r->probes);
	free(r->probe_system);
	for (int cpu = 0; cpu < r->nr_cpu_stats; cpu++)
		free(r->cpu_stats[cpu]);
	free(r->cpu_stats);
	if (r->maps)
		lg_proc_maps_release(r->maps);
	free(r->maps);
}

int lg_cmd_record(int argc, char **argv)
{
	struct options o = { 0 };
	struct lg_record r = { 0 };
	struct lg_output out = { .fd = -1, .owner_uid = -1, .owner_gid = -1 };
	struct lg_stream *stream = NULL;
	struct lg_error err = { "" };
	int cpus = sysconf(_SC_NPROCESSORS_CONF), wstatus = 0, ret;
	uint64_t lost = 0;
	char **files = NULL;

	ret = parse(&o, argc, argv);
	if (ret >= 0)
		goto out;
	if (!o.buffer_kb)
		o.buffer_kb = lg_record_buffer_kb(cpus, &o.memory_mb);
	stop_signals(on_signal);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);	/* an inherited SIG_IGN would reap the command */
	ret = setup(&r, &out, &o, &err);
	if (!ret && stop_signal)
		ret = lg_fail(&err, EINTR, "interrupted before the command started");
	if (!ret) {
		files = cpu_files(&out, cpus);
		ret = lg_stream_start(&stream, r.instance, files, cpus, r.leftovers, &err);
	}
	if (!ret) {
		struct progress progress = { .cpus = cpus };

		announce(&r, &o, cpus);
		ret = run(&r, &o, isatty(STDERR_FILENO) ? &progress : NULL, &wstatus, &err);
	}
	if (stream) {
		struct lg_error later;
		int fin = lg_stream_finish(stream, ret ? &later : &err);

		ret = ret ? ret : fin;
	}
	if (!ret) {
		lost = lg_record_read_cpu_stats(&r, cpus);
		ret = lg_record_write(&r, &out, files, cpus, &err);
	}
	untrace(&r, files, cpus);
	lg_record_output_close(&out);
	lg_leftovers_close(r.leftovers);	/* its files are gone */
	if (ret) {
		fprintf(stderr, "lockgraph: %s\n", err.msg);
		ret = LG_EXIT_ERROR;
	} else {
		summary(&r, &out, &o, cpus, lost, wstatus);
	}
	free_record(&r, files, cpus);
out:
	free(o.events);
	free(o.presets);
	free(o.probes);
	return ret;
}
