/* A file replaced in one rename: the temporary ".NAME.XXXXXX" in the same
 * directory (rename does not cross file systems), flushed to disk before
 * the rename, so that a crash leaves the old file or the new one, and given
 * the mode a new file would have had. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lockgraph/lib/replace_file.h"
#include "lockgraph/lib/util.h"

static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

static int fail(struct lg_error *err, const char *path, const char *tmp, const char *what)
{
	int e = errno ? errno : EIO;

	if (tmp)
		unlink(tmp);
	return lg_fail(err, e, "%s: cannot %s: %s", path, what, strerror(e));
}

int lg_replace_file(const char *path, lg_write_fn write, const void *arg,
		    struct lg_error *err)
{
	char *dir_copy = lg_xstrdup(path), *base_copy = lg_xstrdup(path);
	size_t size = strlen(path) + 16;
	char *tmp = lg_xmalloc(size);
	struct stat st;
	FILE *out = NULL;
	int fd, ret;

	snprintf(tmp, size, "%s/.%s.XXXXXX", dirname(dir_copy), basename(base_copy));
	free(dir_copy);
	free(base_copy);
	errno = 0;
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		ret = fail(err, path, NULL, "write it");
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = fail(err, path, NULL, "create a temporary file beside it");
		goto out;
	}
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		ret = fail(err, path, tmp, "write it");
		goto out;
	}
	errno = 0;
	if (fchmod(fd, new_file_mode()) || write(out, arg) || fflush(out) || fsync(fd)) {
		ret = fail(err, path, tmp, "write it");
		fclose(out);
		goto out;
	}
	if (fclose(out)) {
		ret = fail(err, path, tmp, "write it");
		goto out;
	}
	ret = rename(tmp, path) ? fail(err, path, tmp, "rename the complete file over it") : 0;
out:
	free(tmp);
	return ret;
}
