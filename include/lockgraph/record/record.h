/* `lockgraph record`: a tracefs instance of its own with the lock events (and
 * probes) enabled while a command runs, streamed to disk, written as trace.dat.
 * Everything it sets up in tracefs it removes again, on success and on error. */
#ifndef LOCKGRAPH_RECORD_H
#define LOCKGRAPH_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lockgraph/contract/tier.h"
#include "lockgraph/lib/error.h"

struct tracefs_instance;
struct tracefs_dynevent;
struct lg_proc_maps;
struct lg_leftovers;

/* One line of the summary: something set, or skipped and why. */
struct lg_note {
	char *what, *why;	/* why == NULL: it was set */
};

struct lg_record {
	struct tracefs_instance *instance;
	char *probe_system;		/* "lockgraph_<pid>": this run's probes */
	char **events;			/* "system/event", enabled in the instance */
	int nr_events, alloc_events;
	struct tracefs_dynevent **probes;	/* removed at the end, whatever happened */
	int nr_probes, alloc_probes;
	char *tprobe;			/* "group/event" of a t: probe libtracefs cannot list */
	struct lg_note *notes;
	int nr_notes, alloc_notes;
	uint8_t recorded;		/* LG_RECORDED_*: what the file will show */
	bool mounted;			/* lockgraph mounted tracefs: unmount it */
	struct lg_proc_maps *maps;	/* --pthread: the command's, to name its locks */
	char **cpu_stats;		/* per CPU: "CPU: N\n" and its buffer's stats,
					 * NULL for one not traced */
	int nr_cpu_stats;
	struct lg_leftovers *leftovers;	/* the files made beside FILE, for the
					 * next recording if this one is killed */
};

/* Note that `what` was set (why == NULL) or skipped, for the summary. */
void lg_record_note(struct lg_record *r, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* events.c: enable the default lock and context events that exist, and
 * the -e ones ("system:event", "system" or "system:*"). */
int lg_record_enable_defaults(struct lg_record *r, struct lg_error *err);
int lg_record_enable(struct lg_record *r, const char *spec, struct lg_error *err);
/* --stacks[=GLOB,...]: the kernel stack of each lock_acquire (of a lock
 * whose name matches a GLOB), by the instance's stacktrace trigger; globs
 * NULL: all. */
int lg_record_stacks(struct lg_record *r, const char *globs, struct lg_error *err);
/* Enable one event (a probe's too) in the instance and list its format for the file. */
bool lg_record_has_event(const struct lg_record *r, const char *system, const char *event);
int lg_record_enable_event(struct lg_record *r, const char *system, const char *event,
			   struct lg_error *err);

/* probes.c: kprobe/kretprobe pairs for a preset's functions or a
 * --probe FUNCTION, uprobe pairs for --probe PATH:SYMBOL, the --pthread set,
 * and lockdep's class keys through an eprobe where the kernel allows it. */
int lg_record_preset(struct lg_record *r, const char *name, struct lg_error *err);
int lg_record_probe(struct lg_record *r, const char *def, struct lg_error *err);
int lg_record_pthread(struct lg_record *r, const char *command, struct lg_error *err);
void lg_record_lockdep_keys(struct lg_record *r);
void lg_record_lockdep_args(struct lg_record *r);
void lg_record_lockdep_calls(struct lg_record *r);
/* Remove the probes of recordings whose process is gone (dead(pid)), once
 * their instances are: libtracefs lists all but t: probes, read as text. */
void lg_record_remove_stale_probes(bool (*dead)(int pid));
void lg_record_remove_probes(struct lg_record *r);
void lg_record_print_presets(FILE *out);

/* stream.c: one reader thread per CPU copying the instance's ring
 * buffer pages into files[cpu] (absolute paths), created anew and listed in
 * leftovers (may be NULL), while the command runs. A file it did not create
 * (one that existed, or after a failure) has its name freed and set to NULL,
 * so that the caller removes only what was made. */
struct lg_stream;
int lg_stream_start(struct lg_stream **out, struct tracefs_instance *instance,
		    char **files, int cpus, struct lg_leftovers *leftovers,
		    struct lg_error *err);
/* Stop the readers, drain what is left, and close: the files are complete. */
int lg_stream_finish(struct lg_stream *s, struct lg_error *err);

/* buffer.c: the ring buffer of each CPU, in KB, when -b does not say: this
 * share of the machine's memory (*memory_mb) over its CPUs, within bounds. */
#define LG_RECORD_MEMORY_SHARE 16
long lg_record_buffer_kb(int cpus, long *memory_mb);
/* Each CPU's buffer statistics, once the readers are done, into
 * r->cpu_stats; returns the events the buffers lost in all. */
uint64_t lg_record_read_cpu_stats(struct lg_record *r, int cpus);
/* What the buffers have taken in so far (read or not) and lost, from the
 * same statistics, while the command runs: for the progress line. */
void lg_record_count_events(struct lg_record *r, int cpus, uint64_t *events, uint64_t *lost);

/*
 * output.c: FILE written whole or not at all. The trace.dat (mode 0600: it
 * holds kernel addresses) is written to FILE.partial, made before tracing
 * starts, and renamed over FILE once complete and on disk, so that a crash
 * or a full disk leaves FILE as it was. A FILE there that is not a regular
 * file (a directory, FIFO, device, socket, or a symbolic link, which is not
 * followed) is refused before anything is set up.
 */
struct lg_output {
	const char *path;		/* FILE as given */
	char *dir, *name;		/* FILE's directory (absolute) and name in it */
	char *partial;			/* the temporary; NULL once renamed or removed */
	int fd;				/* open on partial, -1 when not */
	long owner_uid, owner_gid;	/* whom FILE was given to (sudo), else -1 */
};
int lg_record_output_open(struct lg_output *out, const char *path,
			  struct lg_leftovers *leftovers, struct lg_error *err);
/* FILE's name with suffix, in FILE's directory: for the files made beside it. */
char *lg_record_output_beside(const struct lg_output *out, const char *suffix);
/* The trace.dat from the per-CPU files, with the event formats of what was
 * enabled, the buffers' statistics and the command's mappings, if taken;
 * under sudo (root with SUDO_UID and SUDO_GID) given to that user. */
int lg_record_write(struct lg_record *r, struct lg_output *out, char *const *files, int cpus,
		    struct lg_error *err);
/* Remove FILE.partial unless it became FILE; whatever happened before. */
void lg_record_output_close(struct lg_output *out);

/*
 * leftovers.c: the files a recording makes beside FILE (FILE.partial,
 * FILE.cpuN) listed in /run/lockgraph/record-PID as each is made, so that
 * the next recording removes those of one that was killed. A file is removed
 * only if it is still the very one that was made (same device, inode, birth
 * time and owner): a file of the user's that took its name stays.
 */
struct lg_leftovers *lg_leftovers_open(void);	/* NULL: no list (said on stderr) */
/* List the file just made, open on fd, at path (absolute). */
void lg_leftovers_add(struct lg_leftovers *l, int fd, const char *path);
/* The recording's files are gone: forget them. */
void lg_leftovers_close(struct lg_leftovers *l);
/* Remove the files that recordings whose process is gone (dead(pid)) left. */
void lg_record_remove_stale_files(bool (*dead)(int pid));

#endif
