/* Assembles the trace.dat of a recording with libtracecmd's output functions:
 * headers and the formats of what was enabled, saved comms, per-CPU pages. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "lockgraph/lib/tracecmd_private.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/record/proc_maps.h"
#include "lockgraph/record/record.h"

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

	if (uname(&u) || asprintf(&s, "%s %s %s %s", u.sysname, u.nodename, u.release,
				  u.machine) < 0)
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
 * writes by default), else version 6. */
static struct tracecmd_output *create(int fd)
{
	struct tracecmd_output *out = tracecmd_output_create_fd(fd);

	if (out && (tracecmd_output_set_version(out, 7) ||
		    tracecmd_output_set_compression(out, "any"))) {
		tracecmd_output_free(out);
		out = tracecmd_output_create_fd(fd);
		if (out && tracecmd_output_set_version(out, 6)) {
			tracecmd_output_free(out);
			out = NULL;
		}
	}
	return out;
}

int lg_record_write(struct lg_record *r, const char *path, char *const *files, int cpus,
		    struct lg_error *err)
{
	struct tracecmd_event_list *list;
	struct tracecmd_output *out;
	int fd, ret = 0;

	/* 0600 whatever the umask: the file holds kernel addresses and kallsyms */
	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return lg_fail(err, errno, "%s: cannot create: %s", path, strerror(errno));
	out = create(fd);
	if (!out) {
		close(fd);
		return lg_fail(err, EIO, "%s: libtracecmd cannot start a trace.dat", path);
	}
	tracecmd_set_quiet(out, true);
	list = event_list(r);
	if (tracecmd_output_write_headers(out, r->nr_events ? list : NULL) ||
	    tracecmd_write_cmdlines(out))
		ret = lg_fail(err, EIO, "%s: cannot write the event formats and comms", path);
	add_uname(out);
	add_cpu_stats(out, r);
	add_proc_maps(out, r);
	if (!ret && tracecmd_append_cpu_data(out, cpus, files))
		ret = lg_fail(err, EIO, "%s: cannot write the recorded events (disk full?)", path);
	tracecmd_output_close(out);	/* closes fd */
	free(list);
	if (ret)
		unlink(path);	/* not a trace.dat that looks whole */
	return ret;
}
