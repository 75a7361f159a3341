/* The files a recording makes beside FILE, listed in /run/lockgraph as each is
 * made, so that the next recording removes those of one that was killed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/record/record.h"

/*
 * Root's, and no one else may write it: its lists say what root removes. A
 * tmpfs on most systems, emptied at boot as tracefs is; a list left from an
 * earlier boot names files whose identity no longer matches, or that a
 * recording of this boot with that pid would have removed anyway.
 */
#define STATE_DIR "/run/lockgraph"
#define STATE_PREFIX "record-"

struct lg_leftovers {
	int dir;		/* STATE_DIR */
	int fd;			/* its STATE_PREFIX PID, appended to */
	char name[32];
	bool warned;		/* of a file system without birth times */
};

/*
 * Which file a name is: device and inode, and the birth time, since ext4
 * gives a file made after one is removed the same inode number at once;
 * the owner, since a file of the user's is not root's.
 */
struct identity {
	unsigned int major, minor, uid;
	unsigned long long ino;
	long long birth_sec;
	unsigned int birth_nsec;
};

#define IDENTITY_FORMAT "%u:%u %llu %lld.%u %u "

static int identify(int dirfd, const char *name, int flags, struct identity *id)
{
	struct statx stx;

	if (statx(dirfd, name, flags, STATX_TYPE | STATX_INO | STATX_UID | STATX_BTIME, &stx))
		return -errno;
	if (!S_ISREG(stx.stx_mode))
		return -EEXIST;
	if (!(stx.stx_mask & STATX_BTIME))
		return -EOPNOTSUPP;
	*id = (struct identity){ stx.stx_dev_major, stx.stx_dev_minor, stx.stx_uid, stx.stx_ino,
				 stx.stx_btime.tv_sec, stx.stx_btime.tv_nsec };
	return 0;
}

static bool same(const struct identity *a, const struct identity *b)
{
	return a->major == b->major && a->minor == b->minor && a->ino == b->ino &&
	       a->birth_sec == b->birth_sec && a->birth_nsec == b->birth_nsec && a->uid == b->uid;
}

/* STATE_DIR, made if create is set; -EPERM if it is not to be trusted. */
static int state_dir(bool create)
{
	struct stat st;
	int fd;

	if (create && mkdir(STATE_DIR, 0700) && errno != EEXIST)
		return -errno;
	fd = open(STATE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

struct lg_leftovers *lg_leftovers_open(void)
{
	struct lg_leftovers *l = lg_xcalloc(1, sizeof(*l));
	int e;

	snprintf(l->name, sizeof(l->name), STATE_PREFIX "%d", (int)getpid());
	l->dir = state_dir(true);
	l->fd = l->dir < 0 ? l->dir : openat(l->dir, l->name, O_WRONLY | O_CREAT | O_TRUNC |
					     O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (l->fd >= 0)
		return l;
	e = l->dir < 0 ? -l->dir : errno;
	fprintf(stderr, "lockgraph: warning: cannot list this recording's files in %s: "
		"%s%s; if it is killed, the next recording cannot remove them\n", STATE_DIR,
		strerror(e), e == EPERM ? " (it must be root's, and no one else's to write)" : "");
	if (l->dir >= 0)
		close(l->dir);
	free(l);
	return NULL;
}

/* One record: the identity, then the path, ended by a NUL (a path may hold
 * a newline); a record cut short by a kill has none and is passed over. */
void lg_leftovers_add(struct lg_leftovers *l, int fd, const char *path)
{
	struct identity id;
	char *rec;
	int len, e;

	if (!l)
		return;
	e = identify(fd, "", AT_EMPTY_PATH, &id);
	if (e == -EOPNOTSUPP && !l->warned)
		fprintf(stderr, "lockgraph: warning: %s: its file system keeps no birth "
			"times, by which a killed recording's files are told from a file made "
			"later: if this recording is killed, the next leaves them\n", path);
	l->warned |= e == -EOPNOTSUPP;
	if (e && e != -EOPNOTSUPP)
		fprintf(stderr, "lockgraph: warning: cannot list %s in %s: %s\n", path,
			STATE_DIR, strerror(-e));
	if (e)
		return;
	len = asprintf(&rec, IDENTITY_FORMAT "%s", id.major, id.minor, id.ino, id.birth_sec,
		       id.birth_nsec, id.uid, path);
	if (len < 0)
		abort();
	if (write(l->fd, rec, len + 1) != len + 1)
		fprintf(stderr, "lockgraph: warning: cannot list %s in %s/%s: %s\n", path,
			STATE_DIR, l->name, strerror(errno ? errno : ENOSPC));
	free(rec);
}

void lg_leftovers_close(struct lg_leftovers *l)
{
	if (!l)
		return;
	close(l->fd);
	if (unlinkat(l->dir, l->name, 0))
		fprintf(stderr, "lockgraph: warning: cannot remove %s/%s: %s\n", STATE_DIR,
			l->name, strerror(errno));
	close(l->dir);
	free(l);
}

/* Remove path if it is still the file the dead recording pid made (want). */
static void remove_leftover(const struct identity *want, const char *path, int pid)
{
	const char *name = strrchr(path, '/') + 1;
	char *dir = strndup(path, name - path > 1 ? name - path - 1 : 1);
	struct identity id;
	int dirfd, e;

	if (!dir)
		abort();
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	e = dirfd < 0 ? -errno : identify(dirfd, name, AT_SYMLINK_NOFOLLOW, &id);
	if (e == -ENOENT || e == -ENOTDIR)
		;	/* gone: renamed into FILE, or removed */
	else if (e == -EEXIST || (!e && !same(&id, want)))
		fprintf(stderr, "lockgraph: left %s alone: not the file a dead recording "
			"(pid %d) made there\n", path, pid);
	else if (e || unlinkat(dirfd, name, 0))
		fprintf(stderr, "lockgraph: warning: cannot remove %s, left by a dead "
			"recording (pid %d): %s\n", path, pid, strerror(e ? -e : errno));
	else
		fprintf(stderr, "lockgraph: removed %s, left by a dead recording (pid %d)\n",
			path, pid);
	if (dirfd >= 0)
		close(dirfd);
	free(dir);
}

/* The whole list of a dead recording, NULL if unreadable; *len its size. */
static char *read_list(int dir, const char *name, size_t *len)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *list = NULL;
	ssize_t n = -1;

	if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode)) {
		list = lg_xmalloc(st.st_size + 1);
		n = read(fd, list, st.st_size);
	}
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(list);
		return NULL;
	}
	*len = n;
	return list;
}

static void remove_listed(int dir, const char *name, int pid)
{
	size_t len;
	char *list = read_list(dir, name, &len), *end = list + len;

	for (char *rec = list; list && rec < end && memchr(rec, '\0', end - rec);
	     rec += strlen(rec) + 1) {
		struct identity id;
		int n = 0;

		if (sscanf(rec, IDENTITY_FORMAT "%n", &id.major, &id.minor, &id.ino, &id.birth_sec,
			   &id.birth_nsec, &id.uid, &n) == 6 && n && rec[n] == '/')
			remove_leftover(&id, rec + n, pid);
	}
	free(list);
}

void lg_record_remove_stale_files(bool (*dead)(int pid))
{
	int fd = state_dir(false);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		int pid;
		char end;

		if (sscanf(de->d_name, STATE_PREFIX "%d%c", &pid, &end) != 1 || !dead(pid))
			continue;
		remove_listed(dirfd(d), de->d_name, pid);
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}
