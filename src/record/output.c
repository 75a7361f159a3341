/* Assembles the trace.dat of a recording with libtracecmd's output functions
 * (headers and the formats of what was enabled, saved comms, per-CPU pages)
 * in FILE.partial, renamed over FILE once it is whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "lockgraph/lib/tracecmd_private.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/record/proc_maps.h"
#include "lockgraph/record/record.h"

#define PARTIAL ".partial"
/*
 * Room kept past the end of a version 7 file for what
 * tracecmd_output_close() writes last (the strings section, a few hundred
 * bytes), which cannot report a failure: a full disk fails before it.
 */
#define TAIL_ROOM (64 << 10)

/* What stands at FILE if lockgraph record must not replace it; NULL for a
 * regular file. */
static const char *not_replaceable(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return NULL;
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symbolic link";
	default: return "not a regular file";
	}
}

/*
 * FILE may be a regular file, which is replaced, or nothing (*exists says
 * which); anything else there is the user's and stays. A symbolic link is
 * neither replaced (a link of the user's would become a file) nor followed
 * (where it points is not what -o named).
 */
static int check_target(const char *path, const char *shown, bool *exists,
			struct lg_error *err)
{
	struct stat st;
	const char *what;

	*exists = !lstat(path, &st);
	if (!*exists)
		return errno == ENOENT ? 0 : lg_fail(err, errno, "-o %s: %s", shown,
						     strerror(errno));
	what = not_replaceable(st.st_mode);
	if (!what)
		return 0;
	if (S_ISLNK(st.st_mode))
		return lg_fail(err, EEXIST, "-o %s: a symbolic link: lockgraph record neither "
			       "replaces one nor writes through it (give the path it points to)",
			       shown);
	return lg_fail(err, S_ISDIR(st.st_mode) ? EISDIR : EEXIST, "-o %s: %s, not a regular "
		       "file: lockgraph record replaces only a regular file, and leaves this one "
		       "alone", shown, what);
}

/* FILE's directory, absolute, and its name there: what is made beside it
 * is found by these, whatever the working directory. */
static int locate(struct lg_output *out, const char *path, struct lg_error *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : slash - path) : lg_xstrdup(".");
	int ret = 0;

	if (!dir)
		abort();
	out->name = lg_xstrdup(slash ? slash + 1 : path);
	out->dir = realpath(dir, NULL);
	if (!out->dir)
		ret = lg_fail(err, errno, "-o %s: %s: %s", path, dir, strerror(errno));
	else if (!*out->name || !strcmp(out->name, ".") || !strcmp(out->name, ".."))
		ret = lg_fail(err, EISDIR, "-o %s: %s", path, strerror(EISDIR));
	free(dir);
	return ret;
}

char *lg_record_output_beside(const struct lg_output *out, const char *suffix)
{
	char *s;

	if (asprintf(&s, "%s%s%s%s", out->dir, strcmp(out->dir, "/") ? "/" : "", out->name,
		     suffix) < 0)
		abort();
	return s;
}

int lg_record_output_open(struct lg_output *out, const char *path,
			  struct lg_leftovers *leftovers, struct lg_error *err)
{
	bool exists;
	int ret, e;

	*out = (struct lg_output){ .path = path, .fd = -1, .owner_uid = -1, .owner_gid = -1 };
	ret = check_target(path, path, &exists, err);
	if (!ret)
		ret = locate(out, path, err);
	if (ret)
		return ret;
	out->partial = lg_record_output_beside(out, PARTIAL);
	out->fd = open(out->partial, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out->fd < 0) {
		e = errno;
		free(out->partial);
		out->partial = NULL;
		return lg_fail(err, e, "%s%s: cannot create: %s%s", path, PARTIAL, strerror(e),
			       e == EEXIST ? " (another recording into the same -o? it is not "
			       "overwritten: remove it, or choose another -o)" : "");
	}
	lg_leftovers_add(leftovers, out->fd, out->partial);
	/* 0600 whatever the umask: the file holds kernel addresses and kallsyms */
	if (fchmod(out->fd, 0600))
		return lg_fail(err, errno, "%s: %s", out->partial, strerror(errno));
	return 0;
}

static struct tracecmd_event_list *event_list(const struct lg_record *r)
{
	struct tracecmd_event_list *list = lg_xcalloc(r->nr_events, sizeof(*list));

	for (int i = 0; i < r->nr_events; i++) {
		list[i].glob = r->events[i];
		list[i].next = i + 1 < r->nr_events ? &list[i + 1] : NULL;
	}
	return list;
}

static void add_uname(struct tracecmd_output *out)
{
	struct utsname u;
	char *s;

	if (uname(&u) || asprintf(&s, "%s %s %s %s %s", u.sysname, u.nodename, u.release,
				  u.version, u.machine) < 0)
		return;
	tracecmd_add_option(out, LG_TRACECMD_OPTION_UNAME, strlen(s) + 1, s);
	free(s);
}

/* As trace-cmd record writes them for its top buffer: one option per CPU. */
static void add_cpu_stats(struct tracecmd_output *out, const struct lg_record *r)
{
	for (int cpu = 0; cpu < r->nr_cpu_stats; cpu++)
		if (r->cpu_stats[cpu])
			tracecmd_add_option(out, LG_TRACECMD_OPTION_CPUSTAT,
					    strlen(r->cpu_stats[cpu]) + 1, r->cpu_stats[cpu]);
}

/* As trace-cmd record --proc-map writes them: one option per process. */
static void add_proc_maps(struct tracecmd_output *out, const struct lg_record *r)
{
	if (r->maps && r->maps->nr)
		tracecmd_add_option(out, LG_TRACECMD_OPTION_PROCMAPS, r->maps->size,
				    r->maps->text);
}

/* Version 7 compressed when the library can compress (as trace-cmd record
 * writes by default), else version 6; *version says which. */
static struct tracecmd_output *create(int fd, int *version)
{
	struct tracecmd_output *out = tracecmd_output_create_fd(fd);

	*version = 7;
	if (out && (tracecmd_output_set_version(out, 7) ||
		    tracecmd_output_set_compression(out, "any"))) {
		tracecmd_output_free(out);
		*version = 6;
		out = tracecmd_output_create_fd(fd);
		if (out && tracecmd_output_set_version(out, 6)) {
			tracecmd_output_free(out);
			out = NULL;
		}
	}
	return out;
}

/* libtracecmd says -1; the write(2) behind it left errno. */
static int write_failed(struct lg_error *err, const char *path, const char *what)
{
	int e = errno ? errno : EIO;

	return lg_fail(err, e, "%s: cannot write %s: %s", path, what, strerror(e));
}

/* Room for the end of the file: see TAIL_ROOM. A file system without
 * fallocate() goes without. */
static int reserve_tail(int fd, const char *path, struct lg_error *err)
{
	struct stat st;

	if (fstat(fd, &st))
		return lg_fail(err, errno, "%s: %s", path, strerror(errno));
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, st.st_size, TAIL_ROOM) && errno != EOPNOTSUPP &&
	    errno != ENOSYS)
		return write_failed(err, path, "the end of the file");
	return 0;
}

static int write_trace(struct tracecmd_output *out, int version, int fd, struct lg_record *r,
		       const char *path, char *const *files, int cpus, struct lg_error *err)
{
	struct tracecmd_event_list *list = event_list(r);
	int ret = 0;

	errno = 0;
	if (tracecmd_output_write_headers(out, r->nr_events ? list : NULL) ||
	    tracecmd_write_cmdlines(out))
		ret = write_failed(err, path, "the event formats and comms");
	free(list);
	if (ret)
		return ret;
	add_uname(out);
	add_cpu_stats(out, r);
	add_proc_maps(out, r);
	errno = 0;
	if (tracecmd_append_cpu_data(out, cpus, files))
		return write_failed(err, path, "the recorded events");
	/*
	 * A version 7 file's index of those events (its last options) is
	 * written after them without a check of the result: written again here
	 * if it was not, where a failure shows.
	 */
	errno = 0;
	if (version == 7 && tracecmd_write_options(out))
		return write_failed(err, path, "the index of the recorded events");
	return reserve_tail(fd, path, err);
}

/*
 * Replace FILE with the complete FILE.partial. FILE may have become
 * something else while recording, so it is checked again; one that appears
 * between that check and the rename makes the rename fail, and is checked.
 */
static int rename_over(const char *from, const char *to, bool exists)
{
	if (!exists && !renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE))
		return 0;
	if (!exists && errno != EINVAL && errno != ENOSYS)	/* EINVAL: not on this fs */
		return -errno;
	return rename(from, to) ? -errno : 0;
}

static int put_in_place(struct lg_output *o, struct lg_error *err)
{
	char *target = lg_record_output_beside(o, "");
	bool exists = false;
	int ret = 0, e = 0;

	for (int i = 0; i < 2 && !ret; i++) {
		ret = check_target(target, o->path, &exists, err);
		if (!ret)
			e = rename_over(o->partial, target, exists);
		if (e != -EEXIST || exists)
			break;
	}
	if (!ret && e)
		ret = lg_fail(err, -e, "%s: cannot rename %s over it: %s", o->path, o->partial,
			      strerror(-e));
	if (!ret) {
		free(o->partial);
		o->partial = NULL;
	}
	free(target);
	return ret;
}

/* The id an environment variable holds, -1 if it holds none. */
static long id_from(const char *s)
{
	char *end;
	long id;

	if (!s || !*s)
		return -1;
	errno = 0;
	id = strtol(s, &end, 10);
	return *end || errno || id < 0 || id >= (long)(uid_t)-1 ? -1 : id;
}

/*
 * Under sudo the trace is for the user who ran it, whom analyze needs no
 * root for: given to SUDO_UID and SUDO_GID, still 0600. If that fails it
 * stays root's, and a warning says so: the recording is not lost over it.
 */
static void give_to_sudo_user(struct lg_output *o)
{
	const char *uid_s = getenv("SUDO_UID"), *gid_s = getenv("SUDO_GID");
	long uid = id_from(uid_s), gid = id_from(gid_s);

	if (geteuid() != 0 || (!uid_s && !gid_s))
		return;
	if (uid < 0 || gid < 0) {
		fprintf(stderr, "lockgraph: warning: SUDO_UID=%s, SUDO_GID=%s: not a uid "
			"and a gid; %s stays root's\n", uid_s ? uid_s : "(unset)",
			gid_s ? gid_s : "(unset)", o->path);
		return;
	}
	if (fchown(o->fd, uid, gid)) {
		fprintf(stderr, "lockgraph: warning: cannot give %s to uid %ld gid %ld "
			"(SUDO_UID, SUDO_GID): %s; it stays root's\n", o->path, uid, gid,
			strerror(errno));
		return;
	}
	o->owner_uid = uid;
	o->owner_gid = gid;
}

/* The file is whole: its reserved end given back, on disk (a full disk or
 * a quota on NFS may show only here), its owner's, then FILE. */
static int finish(struct lg_output *o, struct lg_error *err)
{
	struct stat st;

	if (fstat(o->fd, &st) || ftruncate(o->fd, st.st_size))
		return lg_fail(err, errno, "%s: %s", o->partial, strerror(errno));
	if (fsync(o->fd))
		return write_failed(err, o->path, "the trace to disk");
	give_to_sudo_user(o);
	return put_in_place(o, err);
}

int lg_record_write(struct lg_record *r, struct lg_output *o, char *const *files, int cpus,
		    struct lg_error *err)
{
	struct tracecmd_output *out;
	int version, ret, fd = dup(o->fd);	/* libtracecmd closes the one it is given */

	if (fd < 0)
		return lg_fail(err, errno, "%s: %s", o->partial, strerror(errno));
	errno = 0;
	out = create(fd, &version);
	if (!out) {
		int e = errno ? errno : ENOMEM;

		close(fd);
		return lg_fail(err, e, "%s: libtracecmd cannot start a trace.dat: %s", o->path,
			       strerror(e));
	}
	tracecmd_set_quiet(out, true);
	ret = write_trace(out, version, fd, r, o->path, files, cpus, err);
	tracecmd_output_close(out);	/* closes fd */
	return ret ? ret : finish(o, err);
}

void lg_record_output_close(struct lg_output *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	/* not a trace.dat that looks whole, under any name */
	if (o->partial && unlink(o->partial) && errno != ENOENT)
		fprintf(stderr, "lockgraph: warning: cannot remove %s: %s\n", o->partial,
			strerror(errno));
	free(o->partial);
	free(o->dir);
	free(o->name);
	o->partial = o->dir = o->name = NULL;
}
