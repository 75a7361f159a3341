/* Streams an instance's per-CPU ring buffers to files while the command runs,
 * one reader thread per CPU, so that a long run is not lost to overwrite. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tracefs.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/record/record.h"

struct reader {
	struct tracefs_cpu *tcpu;	/* NULL: a CPU that is not there, its file stays empty */
	int fd;
	int cpu;
	int error;			/* errno of a failed read or write */
	pthread_t thread;
	bool started;
};

struct lg_stream {
	struct reader *readers;
	int cpus;
	const char *const *files;
};

/* Write a whole sub-buffer: a short write to a regular file means no room. */
static int write_page(struct reader *rd, const char *page, int len)
{
	while (len > 0) {
		ssize_t n = write(rd->fd, page, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : ENOSPC;
		page += n;
		len -= n;
	}
	return 0;
}

/*
 * Whole sub-buffers spliced into the file, as trace-cmd record does: the
 * pages move without a copy, a pipe's worth (16 of them) per call, which is
 * what keeps up with a lockdep kernel's bursts. Blocking until
 * lg_stream_finish() stops the reader (tracefs_cpu_stop() wakes it and makes
 * it non-blocking), then the pages that are left, partial ones included.
 */
static void *read_cpu(void *arg)
{
	struct reader *rd = arg;
	char *page;
	int n;

	while ((n = tracefs_cpu_write(rd->tcpu, rd->fd, false)) > 0)
		;
	/* EINTR: the nudge of lg_stream_finish(); ENODEV: an offline CPU */
	if (n < 0 && errno != EINTR && errno != EAGAIN && errno != ENODEV) {
		rd->error = errno;
		return NULL;
	}
	page = lg_xmalloc(tracefs_cpu_read_size(rd->tcpu));
	while ((n = tracefs_cpu_flush(rd->tcpu, page)) > 0)
		if ((rd->error = write_page(rd, page, n)))
			break;
	if (n < 0 && errno != ENODEV)
		rd->error = errno;
	free(page);
	return NULL;
}

/*
 * Readers take no signal but NUDGE: a Ctrl-C meant for lockgraph would cut
 * one CPU's stream short while tracing goes on (select() gives EINTR).
 * NUDGE is how lg_stream_finish() wakes a reader blocked in read() on a
 * kernel older than 6.1, where tracefs_cpu_stop() cannot.
 */
#define NUDGE SIGUSR2

static void on_nudge(int sig)
{
	(void)sig;
}

/*
 * A reader that waits for the CPU behind a busy command loses what the
 * buffer cannot hold meanwhile: readers run at the lowest real-time
 * priority, as trace-cmd record -r does, waking as soon as there are pages
 * (they sleep in select() otherwise). Without the privilege for it they run
 * as they are.
 */
static void realtime(pthread_t thread)
{
	struct sched_param param = { .sched_priority = sched_get_priority_min(SCHED_FIFO) };

	pthread_setschedparam(thread, SCHED_FIFO, &param);
}

static int start_reader(struct reader *rd)
{
	struct sigaction nudge = { .sa_handler = on_nudge };	/* no SA_RESTART */
	sigset_t all, old;
	int e;

	sigaction(NUDGE, &nudge, NULL);
	sigfillset(&all);
	sigdelset(&all, NUDGE);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&rd->thread, NULL, read_cpu, rd);
	if (!e)
		realtime(rd->thread);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return e;
}

int lg_stream_start(struct lg_stream **out, struct tracefs_instance *instance,
		    char **files, int cpus, struct lg_leftovers *leftovers,
		    struct lg_error *err)
{
	struct lg_stream *s = lg_xcalloc(1, sizeof(*s));
	int ret = 0;

	s->readers = lg_xcalloc(cpus, sizeof(*s->readers));
	s->cpus = cpus;
	s->files = (const char *const *)files;
	*out = s;
	for (int cpu = 0; cpu < cpus; cpu++)
		s->readers[cpu].fd = -1;
	for (int cpu = 0; cpu < cpus; cpu++) {
		struct reader *rd = &s->readers[cpu];

		if (ret) {	/* not created: not to be removed */
			free(files[cpu]);
			files[cpu] = NULL;
			continue;
		}

		rd->cpu = cpu;
		/* never over a file of the user's (one a killed run left is gone) */
		rd->fd = open(files[cpu], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (rd->fd < 0) {
			ret = lg_fail(err, errno, "%s: cannot create: %s%s", files[cpu],
				      strerror(errno), errno == EEXIST ? " (it is not "
				      "overwritten: remove it, or choose another -o)" : "");
			free(files[cpu]);
			files[cpu] = NULL;
			continue;
		}
		lg_leftovers_add(leftovers, rd->fd, files[cpu]);
		rd->tcpu = tracefs_cpu_open(instance, cpu, false);
		if (!rd->tcpu && (errno == ENOENT || errno == ENODEV))
			continue;	/* a CPU this kernel does not trace */
		if (!rd->tcpu) {
			ret = lg_fail(err, errno, "cannot open CPU %d's ring buffer: %s", cpu,
				      strerror(errno));
			continue;
		}
		errno = start_reader(rd);
		if (errno)
			ret = lg_fail(err, errno, "cannot start the reader of CPU %d: %s", cpu,
				      strerror(errno));
		rd->started = !errno;
	}
	return ret;
}

int lg_stream_finish(struct lg_stream *s, struct lg_error *err)
{
	int ret = 0;

	for (int cpu = 0; cpu < s->cpus; cpu++)
		if (s->readers[cpu].started && tracefs_cpu_stop(s->readers[cpu].tcpu) == 1)
			pthread_kill(s->readers[cpu].thread, NUDGE);
	for (int cpu = 0; cpu < s->cpus; cpu++) {
		struct reader *rd = &s->readers[cpu];

		if (rd->started)
			pthread_join(rd->thread, NULL);
		if (rd->error && !ret)
			ret = lg_fail(err, rd->error, "%s: cannot save CPU %d's events: %s",
				      s->files[cpu], cpu, strerror(rd->error));
		if (rd->tcpu)
			tracefs_cpu_close(rd->tcpu);
		if (rd->fd >= 0 && close(rd->fd) && !ret)
			ret = lg_fail(err, errno, "%s: %s", s->files[cpu], strerror(errno));
	}
	free(s->readers);
	free(s);
	return ret;
}
