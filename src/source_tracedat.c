/* Reader of trace-cmd's trace.dat (v6, and v7 with compression) through
 * libtracecmd: every buffer instance, merged in timestamp order by the library,
 * fields read through tep_format_fields cached per event type. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <trace-cmd/trace-cmd.h>

#include "lockgraph/mmap_lock.h"
#include "lockgraph/source.h"
#include "lockgraph/tracecmd_private.h"
#include "lockgraph/u64map.h"
#include "lockgraph/util.h"

#define DEC_OTHER 0xff	/* an event lockgraph does not use */
#define DEC_MMAP_LOCK 0xfe	/* an mmap_lock tracepoint: see mmap_lock.h */

/* How to turn one event type into an lg_event. */
struct decoder {
	uint8_t kind;		/* enum lg_event_kind, DEC_OTHER or DEC_MMAP_LOCK */
	uint8_t point;		/* DEC_MMAP_LOCK: enum lg_mmap_lock_point */
	struct tep_format_field *addr, *name, *arg, *success;
};

/* One per buffer (the top one and each instance), each with its own tep. */
struct buffer {
	struct lg_tracedat_source *td;
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	struct decoder *decoders;
	uint32_t nr_decoders, alloc_decoders;
	struct lg_u64map by_type;	/* event type id -> decoders[] */
};

struct lg_tracedat_source {
	const char *path;
	struct lg_strtab *names;
	struct buffer *buffers;
	int nr_buffers;
	const char *format;
	bool lockdep;		/* the file has lock:lock_acquire: mmap_lock events are redundant */
	struct lg_mmap_lock mmap_lock;
	struct lg_input_stats stats;
	lg_event_fn fn;
	void *arg;
	struct lg_error *err;
	int failed;
};

static const struct {
	const char *name;
	enum lg_event_kind kind;
	const char *addr, *arg;		/* field names */
} lock_events[] = {
	{ "lock_acquire", LG_EV_ACQUIRE, "lockdep_addr", "flags" },
	{ "lock_release", LG_EV_RELEASE, "lockdep_addr", NULL },
	{ "lock_contended", LG_EV_CONTENDED, "lockdep_addr", NULL },
	{ "lock_acquired", LG_EV_ACQUIRED, "lockdep_addr", NULL },
	{ "contention_begin", LG_EV_CONTENTION_BEGIN, "lock_addr", "flags" },
	{ "contention_end", LG_EV_CONTENTION_END, "lock_addr", "ret" },
};

static int missing_field(struct lg_tracedat_source *td, struct tep_event *event,
			 const char *field)
{
	td->failed = lg_fail(td->err, EINVAL, "%s: event %s:%s has no field '%s': a "
			     "format lockgraph does not know", td->path, event->system,
			     event->name, field);
	return td->failed;
}

static int make_mmap_lock_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	int p = lg_mmap_lock_point(event->name, strlen(event->name));

	if (p < 0)
		return 0;
	d->kind = DEC_MMAP_LOCK;
	d->point = p;
	if (!(d->addr = tep_find_field(event, "mm")))
		return missing_field(b->td, event, "mm");
	if (!(d->arg = tep_find_field(event, "write")))
		return missing_field(b->td, event, "write");
	if (p == LG_MMAP_ACQUIRE_RETURNED && !(d->success = tep_find_field(event, "success")))
		return missing_field(b->td, event, "success");
	return 0;
}

static int make_decoder(struct buffer *b, int type, struct decoder *d)
{
	struct tep_event *event = tep_find_event(b->tep, type);

	*d = (struct decoder){ .kind = DEC_OTHER };
	if (event && !b->td->lockdep && !strcmp(event->system, "mmap_lock"))
		return make_mmap_lock_decoder(b, event, d);
	if (!event || strcmp(event->system, "lock"))
		return 0;
	for (size_t i = 0; i < sizeof(lock_events) / sizeof(lock_events[0]); i++) {
		if (strcmp(event->name, lock_events[i].name))
			continue;
		d->kind = lock_events[i].kind;
		d->addr = tep_find_field(event, lock_events[i].addr);
		if (!d->addr)
			return missing_field(b->td, event, lock_events[i].addr);
		if (lock_events[i].arg) {
			d->arg = tep_find_field(event, lock_events[i].arg);
			if (!d->arg)
				return missing_field(b->td, event, lock_events[i].arg);
		}
		if (d->kind == LG_EV_ACQUIRE && !(d->name = tep_find_field(event, "name")))
			return missing_field(b->td, event, "name");
	}
	return 0;
}

static struct decoder *decoder_of(struct buffer *b, struct tep_record *rec)
{
	int type = tep_data_type(b->tep, rec);
	uint32_t i = lg_u64map_get(&b->by_type, (uint32_t)type);

	if (i == LG_NONE) {
		LG_GROW(b->decoders, b->nr_decoders, b->alloc_decoders);
		i = b->nr_decoders++;
		if (make_decoder(b, type, &b->decoders[i]))
			return NULL;
		lg_u64map_put(&b->by_type, (uint32_t)type, i);
	}
	return &b->decoders[i];
}

/* A __data_loc (or __rel_loc) string: offset and length packed in 32 bits. */
static int read_string(struct tep_format_field *f, struct tep_record *rec,
		       const char **s, size_t *len)
{
	unsigned long long v;
	unsigned off, size;

	if (tep_read_number_field(f, rec->data, &v))
		return -1;
	off = v & 0xffff;
	size = v >> 16;
	if (f->flags & TEP_FIELD_IS_RELATIVE)
		off += f->offset + f->size;
	if ((unsigned long long)off + size > (unsigned)rec->size)
		return -1;
	*s = (const char *)rec->data + off;
	*len = strnlen(*s, size);
	return 0;
}

/* common_flags: TRACE_FLAG_IRQS_OFF 0x01, HARDIRQ 0x08, SOFTIRQ 0x10, NMI 0x40, BH_OFF 0x80 */
static void decode_context(struct buffer *b, struct tep_record *rec, struct lg_event *ev)
{
	int flags = tep_data_flags(b->tep, rec);

	ev->ctx = flags & 0x40 ? LG_CTX_NMI : flags & 0x08 ? LG_CTX_HARDIRQ :
		  flags & 0x10 ? LG_CTX_SOFTIRQ : LG_CTX_PROCESS;
	ev->irqflags = (flags & 0x01 ? LG_IRQS_OFF : 0) | (flags & 0x80 ? LG_BH_OFF : 0);
}

/* 1 for an event, 0 for none, -1 for a malformed record. */
static int decode(struct buffer *b, const struct decoder *d, struct tep_record *rec,
		  struct lg_event *ev)
{
	unsigned long long addr, arg = 0, success = 1;
	const char *comm;

	if (tep_read_number_field(d->addr, rec->data, &addr) ||
	    (d->arg && tep_read_number_field(d->arg, rec->data, &arg)) ||
	    (d->success && tep_read_number_field(d->success, rec->data, &success)))
		return -1;
	ev->kind = d->kind;
	ev->addr = addr;
	ev->arg = arg;
	ev->time_ns = rec->ts;
	ev->cpu = rec->cpu;
	ev->pid = tep_data_pid(b->tep, rec);
	comm = tep_data_comm_from_pid(b->tep, ev->pid);
	ev->comm = comm;
	ev->comm_len = strlen(comm);
	decode_context(b, rec, ev);
	if (d->kind == DEC_MMAP_LOCK) {
		ev->arg = 0;
		return lg_mmap_lock_event(&b->td->mmap_lock, ev, d->point, addr, arg, success);
	}
	if (d->kind == LG_EV_ACQUIRE) {
		const char *name;
		size_t len;

		if (read_string(d->name, rec, &name, &len) || !len)
			return -1;
		ev->flags = arg & (LG_ACQ_TRY | LG_ACQ_READ);
		ev->arg = 0;
		ev->class_name = lg_strtab_intern(b->td->names, name, len);
	}
	return 1;
}

/*
 * The first record after a gap in a CPU buffer carries the count of what was
 * dropped (negative: unknown). Read here rather than through
 * tracecmd_follow_missed_events(), whose list libtracecmd 1.3 never frees.
 */
static void missed(struct lg_tracedat_source *td, struct tep_record *rec, int cpu)
{
	struct lg_event ev = { .kind = LG_EV_LOST, .cpu = cpu, .time_ns = rec->ts };
	long long n = rec->missed_events;

	if (n > 0)
		ev.arg = n > UINT32_MAX ? UINT32_MAX : n;
	lg_input_stats_lost(&td->stats, cpu, n > 0 ? n : 0);
	td->fn(&ev, td->arg);
}

static int deliver(struct tracecmd_input *handle, struct tep_record *rec, int cpu, void *data)
{
	struct lg_tracedat_source *td = data;
	struct buffer *b = tracecmd_get_private(handle);
	struct decoder *d = decoder_of(b, rec);
	struct lg_event ev = { 0 };

	if (rec->missed_events)
		missed(td, rec, cpu);
	if (!d)
		return -1;
	if (d->kind == DEC_OTHER) {
		td->stats.skipped++;
		return 0;
	}
	switch (decode(b, d, rec, &ev)) {
	case -1:
		td->failed = lg_fail(td->err, EINVAL, "%s: offset %llu (CPU %d): a malformed "
				     "lock event record", td->path, rec->offset, cpu);
		return -1;
	case 0:
		td->stats.skipped++;
		return 0;
	}
	td->stats.events++;
	td->fn(&ev, td->arg);
	return 0;
}

/* The version string that follows the magic: "6" or "7" (compressed). */
static const char *file_version(const char *path)
{
	char head[12] = "";
	FILE *f = fopen(path, "r");

	if (f) {
		if (fread(head, 1, sizeof(head), f) != sizeof(head))
			head[10] = '\0';
		fclose(f);
	}
	return head[10] == '6' && !head[11] ? "trace.dat-v6" :
	       head[10] == '7' && !head[11] ? "trace.dat-v7" : "trace.dat";
}

static void add_buffer(struct lg_tracedat_source *td, struct tracecmd_input *handle)
{
	struct buffer *b = &td->buffers[td->nr_buffers++];

	b->td = td;
	b->handle = handle;
	b->tep = tracecmd_get_tep(handle);
	lg_u64map_init(&b->by_type);
	tracecmd_set_private(handle, b);
}

static int unreadable(const char *path, struct lg_error *err)
{
	return lg_fail(err, EINVAL, "%s: not a readable trace.dat (truncated, or a version "
		       "or compression libtracecmd does not support)", path);
}

/*
 * libtracecmd 1.3 keeps all the decompressed data of a version 7 file in
 * memory, which grows with the trace. Its own copy to version 6 (what
 * `trace-cmd convert` does) streams with bounded memory, and a v6 file is read
 * through mmap: so read a v7 file through an unlinked v6 copy in $TMPDIR.
 */
/* The copy narrates its progress on stderr whatever the log level; a failure
 * is reported by lockgraph's own message instead. */
static struct tracecmd_output *quiet_copy(struct tracecmd_input *in, const char *file)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
	struct tracecmd_output *out;

	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	out = tracecmd_copy(in, file, LG_TRACECMD_FILE_CPU_FLYRECORD, 6, NULL);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return out;
}

static struct tracecmd_input *open_v6_copy(const char *path, struct lg_error *err)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct tracecmd_input *in = tracecmd_open_head(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	struct tracecmd_input *copy = NULL;
	struct tracecmd_output *out;
	char tmp[4096];
	int fd;

	if (!in) {
		unreadable(path, err);
		return NULL;
	}
	snprintf(tmp, sizeof(tmp), "%s/lockgraph-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		lg_fail(err, errno, "%s: cannot create a file in %s to decompress into: %s",
			path, dir, strerror(errno));
		tracecmd_close(in);
		return NULL;
	}
	close(fd);
	out = quiet_copy(in, tmp);
	if (out) {
		tracecmd_output_close(out);
		copy = tracecmd_open(tmp, TRACECMD_FL_LOAD_NO_PLUGINS);
	}
	unlink(tmp);	/* the open handle keeps it while it is read */
	tracecmd_close(in);
	if (!copy)
		lg_fail(err, EIO, "%s: cannot decompress it into %s (truncated file, or no "
			"room for its uncompressed size?)", path, dir);
	return copy;
}

int lg_tracedat_source_open(struct lg_tracedat_source **out, const char *path,
			    struct lg_strtab *names, struct lg_error *err)
{
	const char *format = file_version(path);
	struct tracecmd_input *top;
	struct lg_tracedat_source *td;
	int nr;

	if (!strcmp(format, "trace.dat-v7"))
		top = open_v6_copy(path, err);
	else if (!(top = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS)))
		unreadable(path, err);
	if (!top)
		return -EINVAL;
	nr = tracecmd_buffer_instances(top);
	td = lg_xcalloc(1, sizeof(*td));
	td->path = path;
	td->names = names;
	td->buffers = lg_xcalloc(nr + 1, sizeof(*td->buffers));
	td->lockdep = tep_find_event_by_name(tracecmd_get_tep(top), "lock", "lock_acquire");
	lg_mmap_lock_init(&td->mmap_lock, names);
	add_buffer(td, top);
	for (int i = 0; i < nr; i++) {
		struct tracecmd_input *h = tracecmd_buffer_instance_handle(top, i);

		if (!h) {
			lg_tracedat_source_free(td);
			return lg_fail(err, EINVAL, "%s: cannot read buffer instance '%s'",
				       path, tracecmd_buffer_instance_name(top, i));
		}
		add_buffer(td, h);
	}
	td->format = format;
	*out = td;
	return 0;
}

int lg_tracedat_source_read(struct lg_tracedat_source *td, lg_event_fn fn, void *arg,
			    struct lg_error *err)
{
	struct tracecmd_input **handles = lg_xmalloc(td->nr_buffers * sizeof(*handles));
	int ret;

	for (int i = 0; i < td->nr_buffers; i++)
		handles[i] = td->buffers[i].handle;
	td->fn = fn;
	td->arg = arg;
	td->err = err;
	ret = tracecmd_iterate_events_multi(handles, td->nr_buffers, deliver, td);
	free(handles);
	if (td->failed)
		return td->failed;
	if (ret < 0)
		return lg_fail(err, EIO, "%s: cannot read the event data (truncated file?)",
			       td->path);
	return 0;
}

const char *lg_tracedat_source_format(const struct lg_tracedat_source *td)
{
	return td->format;
}

/* Never the nearest preceding symbol: a lock inside a struct is not that struct. */
const char *lg_tracedat_source_symbol(const struct lg_tracedat_source *td, uint64_t addr)
{
	struct tep_handle *tep = td->buffers[0].tep;
	const char *name = tep_find_function(tep, addr);

	return name && tep_find_function_address(tep, addr) == addr ? name : NULL;
}

const struct lg_input_stats *lg_tracedat_source_stats(const struct lg_tracedat_source *td)
{
	return &td->stats;
}

void lg_tracedat_source_free(struct lg_tracedat_source *td)
{
	if (!td)
		return;
	for (int i = td->nr_buffers; i-- > 0;) {
		free(td->buffers[i].decoders);
		lg_u64map_release(&td->buffers[i].by_type);
		tracecmd_close(td->buffers[i].handle);
	}
	free(td->buffers);
	lg_mmap_lock_release(&td->mmap_lock);
	free(td);
}
