/* Reader of trace-cmd's trace.dat (v6, and v7 with compression): libtracecmd
 * opens it (headers, event formats, kallsyms, options, buffer instances);
 * every buffer's CPU data is read here, CPU by CPU (tracedat_stream.h) and
 * merged in timestamp order (tracedat_merge.h); fields are read through
 * tep_format_fields cached per event type. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <trace-cmd/trace-cmd.h>
#include <unistd.h>

#include "lockgraph/contract/cpu_stats.h"
#include "lockgraph/contract/probe_names.h"
#include "lockgraph/contract/tier.h"
#include "lockgraph/contract/wait_calls.h"
#include "lockgraph/input/class_keys.h"
#include "lockgraph/input/kernel_sites.h"
#include "lockgraph/input/mmap_lock.h"
#include "lockgraph/input/pthread_locks.h"
#include "lockgraph/input/tracedat.h"
#include "lockgraph/input/tracedat_layout.h"
#include "lockgraph/input/tracedat_merge.h"
#include "lockgraph/input/tracedat_stream.h"
#include "lockgraph/input/user_symbols.h"
#include "lockgraph/lib/tracecmd_private.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"

/* A block of each CPU's pages together, whatever the number of CPUs, and a
 * block at most (tracedat_stream.h; tracedat_merge.h keeps a few per CPU). */
#define STREAM_BYTES (1u << 20)
#define BLOCK_BYTES (256u << 10)

#define DEC_OTHER 0xff	/* an event lockgraph does not use */
#define DEC_MMAP_LOCK 0xfe	/* an mmap_lock tracepoint: see mmap_lock.h */
#define DEC_PTHREAD 0xfd	/* a --pthread uprobe: see pthread_locks.h */
#define DEC_NEW_TASK 0xfc	/* task:task_newtask, to tell threads from processes */
#define DEC_CONTEXT 0xfb	/* entry or return of a probed function */
#define DEC_CLASS_KEY 0xfa	/* lockgraph record's eprobe on lock_acquire */
#define DEC_ACQUIRE_ARGS 0xf9	/* its tracepoint probe on lock_acquire */
#define DEC_LOCK_CALL 0xf8	/* its kprobes on lock_sync(), lock_set_class() */
#define DEC_STACK 0xf7		/* ftrace's kernel_stack: record --stacks */
#define DEC_WAIT 0xf6		/* a wait or event: dma_fence, workqueue, wait_calls.h */

/* How to turn one event type into an lg_event. */
struct decoder {
	uint8_t kind;		/* enum lg_event_kind, DEC_OTHER or DEC_MMAP_LOCK */
	uint8_t point;		/* enum lg_mmap_lock_point, enum lg_pthread_call;
				 * DEC_LOCK_CALL: LG_EV_ACQUIRE (lock_sync) or
				 * LG_EV_SET_CLASS */
	bool is_return;		/* DEC_PTHREAD, DEC_CONTEXT: the return probe */
	uint32_t function;	/* DEC_CONTEXT: the function's interned name */
	unsigned min_size;	/* the record must reach the end of every field used */
	struct tep_format_field *addr, *name, *arg, *success;
	struct tep_format_field *subclass, *read, *check, *nest, *ip;	/* DEC_ACQUIRE_ARGS */
	struct tep_format_field *wait_outer, *wait_inner, *lock_type;	/* DEC_CLASS_KEY */
	struct tep_format_field *timeline;	/* DEC_WAIT of a fence; name: its driver */
	struct lg_wait_ref object;		/* DEC_WAIT: kind and flags; point: the event */
};

/* One per buffer (the top one and each instance), each with its own tep. */
struct buffer {
	struct lg_tracedat_source *td;
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	struct decoder *decoders;
	uint32_t nr_decoders, alloc_decoders;
	struct lg_u64map by_type;	/* event type id -> decoders[] */
	int last_type;		/* of the last record, and its decoder */
	uint32_t last_decoder;
	bool native;		/* the file's byte order is this machine's */
	struct tep_format_field *common_type, *common_pid, *common_flags;
	uint32_t layout_buffer;	/* its index in td->layout, LG_NONE if absent */
	int last_pid;		/* the comm of the last pid looked up */
	const char *last_comm;
	size_t last_comm_len;
};

struct lg_tracedat_source {
	const char *path;	/* for messages */
	char file[32];		/* what libtracecmd opens: /proc/self/fd/N of the input */
	time_t mtime;		/* the input's */
	struct lg_strtab *names;
	int fd;			/* the input */
	struct lg_tracedat_layout layout;	/* of that file */
	struct lg_tracedat_stream *streams;	/* each buffer's CPUs, in libtracecmd's order */
	struct stream_of {
		uint32_t layout_buffer, index;	/* its buffer in layout, its CPU there */
		uint32_t buffer;		/* in buffers[] */
	} *stream_of;
	uint32_t nr_streams;
	struct lg_tracedat_merge *merge;
	struct buffer *buffers;
	int nr_buffers;
	const char *format;
	bool lockdep;		/* the file has lock:lock_acquire: mmap_lock events are redundant */
	struct lg_mmap_lock mmap_lock;
	struct lg_pthread pthread;
	struct lg_user_symbols symbols;	/* for pthread locks, from the file's procmaps */
	struct lg_class_keys keys;	/* when the file has class keys */
	struct lg_kernel_sites sites;	/* the acquisitions' call sites */
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

/* Note that a record of this event must reach the end of field f. */
static struct tep_format_field *reach(struct decoder *d, struct tep_format_field *f)
{
	if (f && (unsigned)(f->offset + f->size) > d->min_size)
		d->min_size = f->offset + f->size;
	return f;
}

static int make_mmap_lock_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	int p = lg_mmap_lock_point(event->name, strlen(event->name));

	if (p < 0)
		return 0;
	d->kind = DEC_MMAP_LOCK;
	d->point = p;
	if (!(d->addr = reach(d, tep_find_field(event, "mm"))))
		return missing_field(b->td, event, "mm");
	if (!(d->arg = reach(d, tep_find_field(event, "write"))))
		return missing_field(b->td, event, "write");
	if (p == LG_MMAP_ACQUIRE_RETURNED &&
	    !(d->success = reach(d, tep_find_field(event, "success"))))
		return missing_field(b->td, event, "success");
	return 0;
}


/* Any other kprobe/uprobe pair (they have __probe_ip, their returns
 * __probe_func) marks the task as inside that function. */
static int make_context_decoder(struct buffer *b, struct tep_event *event, struct decoder *d,
				size_t len, bool is_return)
{
	if (!tep_find_field(event, is_return ? "__probe_func" : "__probe_ip"))
		return 0;
	d->kind = DEC_CONTEXT;
	d->is_return = is_return;
	d->function = lg_strtab_intern(b->td->names, event->name, len);
	return 0;
}

static int make_args_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	static const char *const names[] = { LG_ARGS_FIELD_LOCK, LG_ARGS_FIELD_SUBCLASS,
					      LG_ARGS_FIELD_READ, LG_ARGS_FIELD_CHECK,
					      LG_ARGS_FIELD_NEST };
	struct tep_format_field **fields[] = { &d->addr, &d->subclass, &d->read, &d->check,
					       &d->nest };

	d->kind = DEC_ACQUIRE_ARGS;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!(*fields[i] = reach(d, tep_find_field(event, names[i]))))
			return missing_field(b->td, event, names[i]);
	d->ip = reach(d, tep_find_field(event, LG_ARGS_FIELD_IP));
	return 0;
}

/* lock_sync() and lock_set_class(): the map, its name, key and subclass,
 * and lock_sync()'s read. */
static int make_lock_call_decoder(struct buffer *b, struct tep_event *event, struct decoder *d,
				  bool sync)
{
	static const char *const names[] = { LG_CALL_FIELD_MAP, LG_CALL_FIELD_NAME,
					      LG_CALL_FIELD_KEY, LG_CALL_FIELD_SUBCLASS,
					      LG_CALL_FIELD_READ };
	struct tep_format_field **fields[] = { &d->addr, &d->name, &d->arg, &d->subclass,
					       &d->read };

	d->kind = DEC_LOCK_CALL;
	d->point = sync ? LG_EV_ACQUIRE : LG_EV_SET_CLASS;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) - !sync; i++)
		if (!(*fields[i] = reach(d, tep_find_field(event, names[i]))))
			return missing_field(b->td, event, names[i]);
	/* lock_sync()'s caller, which older recordings lack */
	if (sync)
		d->ip = reach(d, tep_find_field(event, LG_ARGS_FIELD_IP));
	return 0;
}

/* kernel_stack: "size" frames from "caller", an array of the file's longs
 * that runs to the end of the record (its format says 8, the kernel writes
 * as many as the stack has). */
static int make_stack_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	d->kind = DEC_STACK;
	if (!(d->arg = reach(d, tep_find_field(event, "size"))))
		return missing_field(b->td, event, "size");
	if (!(d->addr = tep_find_field(event, "caller")))
		return missing_field(b->td, event, "caller");
	return 0;
}

/* dma_fence's wait_start, wait_end and signaled: driver, timeline, context
 * and seqno, the same on 6.1 and 6.12. */
static int make_fence_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	static const struct { const char *name; uint8_t point; } points[] = {
		{ "dma_fence_wait_start", LG_EV_WAIT_BEGIN },
		{ "dma_fence_wait_end", LG_EV_WAIT_END },
		{ "dma_fence_signaled", LG_EV_SIGNAL },
	};
	static const char *const names[] = { "driver", "timeline", "context", "seqno" };
	struct tep_format_field **fields[] = { &d->name, &d->timeline, &d->addr, &d->arg };

	for (size_t p = 0; p < sizeof(points) / sizeof(points[0]); p++) {
		if (strcmp(event->name, points[p].name))
			continue;
		d->kind = DEC_WAIT;
		d->point = points[p].point;
		d->object.object = LG_WAIT_FENCE;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!(*fields[i] = reach(d, tep_find_field(event, names[i]))))
				return missing_field(b->td, event, names[i]);
	}
	return 0;
}

/* A worker's execute_start begins its event context; execute_end is the
 * event a flush_work() waits for; queue_work says which workqueue an item
 * is on (since 5.19 by name, before by a pointer of no use here). */
static int make_work_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	bool start = !strcmp(event->name, "workqueue_execute_start");
	bool queue = !strcmp(event->name, "workqueue_queue_work");

	if (queue) {
		struct tep_format_field *wq = tep_find_field(event, "workqueue");

		if (!wq || !(wq->flags & TEP_FIELD_IS_DYNAMIC))
			return 0;
		d->name = reach(d, wq);
	} else if (!start && strcmp(event->name, "workqueue_execute_end")) {
		return 0;
	}
	d->kind = DEC_WAIT;
	d->point = queue ? LG_EV_WORK_QUEUED : start ? LG_EV_WORK_BEGIN : LG_EV_SIGNAL;
	d->object.object = LG_WAIT_WORK;
	if (!(d->addr = reach(d, tep_find_field(event, "work"))))
		return missing_field(b->td, event, "work");
	if (!queue)
		d->arg = reach(d, tep_find_field(event, "function"));
	return 0;
}

/* record --preset wait's probes on the functions of wait_calls.h. */
static int make_wait_call_decoder(struct buffer *b, struct tep_event *event, struct decoder *d,
				  const struct lg_wait_function *f, bool is_return)
{
	d->kind = DEC_WAIT;
	d->point = f->event ? LG_EV_SIGNAL : is_return ? LG_EV_WAIT_END : LG_EV_WAIT_BEGIN;
	d->object.object = f->object;
	d->object.flags = f->flags;
	if (is_return)
		return 0;	/* the task's open wait: its innermost of the kind */
	if (!(d->addr = reach(d, tep_find_field(event, LG_WAIT_FIELD_OBJECT))))
		return missing_field(b->td, event, LG_WAIT_FIELD_OBJECT);
	d->ip = reach(d, tep_find_field(event, LG_WAIT_FIELD_CALLER));
	return 0;
}

static int make_probe_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	size_t len = strlen(event->name), suffix = strlen(LG_PROBE_RETURN_SUFFIX);
	bool is_return = len > suffix &&
			 !strcmp(event->name + len - suffix, LG_PROBE_RETURN_SUFFIX);
	int call = lg_pthread_call(event->name, is_return ? len - suffix : len);
	const struct lg_wait_function *wait = lg_wait_function(event->name,
							       is_return ? len - suffix : len);
	const char *field = is_return ? LG_PTHREAD_FIELD_RET : LG_PTHREAD_FIELD_LOCK;
	struct tep_format_field *f = reach(d, tep_find_field(event, field));

	if (!strcmp(event->name, LG_PROBE_CLASS_KEY)) {
		d->kind = DEC_CLASS_KEY;
		if (!(d->addr = reach(d, tep_find_field(event, LG_KEY_FIELD_KEY))))
			return missing_field(b->td, event, LG_KEY_FIELD_KEY);
		/* the map's wait types: all three, or none (not recorded) */
		d->wait_outer = reach(d, tep_find_field(event, LG_KEY_FIELD_WAIT_OUTER));
		d->wait_inner = reach(d, tep_find_field(event, LG_KEY_FIELD_WAIT_INNER));
		d->lock_type = reach(d, tep_find_field(event, LG_KEY_FIELD_LOCK_TYPE));
		if (!d->wait_outer || !d->wait_inner || !d->lock_type)
			d->wait_outer = d->wait_inner = d->lock_type = NULL;
		return 0;
	}
	if (!strcmp(event->name, LG_PROBE_ACQUIRE_ARGS))
		return make_args_decoder(b, event, d);
	if (!strcmp(event->name, LG_PROBE_LOCK_SYNC) || !strcmp(event->name, LG_PROBE_SET_CLASS))
		return make_lock_call_decoder(b, event, d, !strcmp(event->name, LG_PROBE_LOCK_SYNC));
	if (wait)
		return make_wait_call_decoder(b, event, d, wait, is_return);
	if (call < 0)
		return make_context_decoder(b, event, d, is_return ? len - suffix : len, is_return);
	if (!f)
		return missing_field(b->td, event, field);
	d->kind = DEC_PTHREAD;
	d->point = call;
	d->is_return = is_return;
	*(is_return ? &d->arg : &d->addr) = f;
	return 0;
}

static int make_new_task_decoder(struct buffer *b, struct tep_event *event, struct decoder *d)
{
	d->kind = DEC_NEW_TASK;
	if (!(d->addr = reach(d, tep_find_field(event, "pid"))))
		return missing_field(b->td, event, "pid");
	if (!(d->arg = reach(d, tep_find_field(event, "clone_flags"))))
		return missing_field(b->td, event, "clone_flags");
	return 0;
}

static int make_decoder(struct buffer *b, int type, struct decoder *d)
{
	struct tep_event *event = tep_find_event(b->tep, type);

	*d = (struct decoder){ .kind = DEC_OTHER };
	reach(d, b->common_pid);
	reach(d, b->common_flags);
	if (event && !b->td->lockdep && !strcmp(event->system, "mmap_lock"))
		return make_mmap_lock_decoder(b, event, d);
	if (event && !strncmp(event->system, LG_PROBE_SYSTEM_PREFIX, strlen(LG_PROBE_SYSTEM_PREFIX)))
		return make_probe_decoder(b, event, d);
	if (event && !strcmp(event->system, "task") && !strcmp(event->name, "task_newtask"))
		return make_new_task_decoder(b, event, d);
	if (event && !strcmp(event->system, "ftrace") && !strcmp(event->name, "kernel_stack"))
		return make_stack_decoder(b, event, d);
	if (event && !strcmp(event->system, "dma_fence"))
		return make_fence_decoder(b, event, d);
	if (event && !strcmp(event->system, "workqueue"))
		return make_work_decoder(b, event, d);
	if (event && !strcmp(event->system, LG_WAIT_WAKING_SYSTEM) &&
	    !strcmp(event->name, LG_WAIT_WAKING_EVENT)) {
		d->kind = DEC_WAIT;
		d->point = LG_EV_WAKING;
		if (!(d->arg = reach(d, tep_find_field(event, "pid"))))
			return missing_field(b->td, event, "pid");
		return 0;
	}
	if (!event || strcmp(event->system, "lock"))
		return 0;
	for (size_t i = 0; i < sizeof(lock_events) / sizeof(lock_events[0]); i++) {
		if (strcmp(event->name, lock_events[i].name))
			continue;
		d->kind = lock_events[i].kind;
		d->addr = reach(d, tep_find_field(event, lock_events[i].addr));
		if (!d->addr)
			return missing_field(b->td, event, lock_events[i].addr);
		if (lock_events[i].arg) {
			d->arg = reach(d, tep_find_field(event, lock_events[i].arg));
			if (!d->arg)
				return missing_field(b->td, event, lock_events[i].arg);
		}
		if (d->kind == LG_EV_ACQUIRE && !(d->name = reach(d, tep_find_field(event, "name"))))
			return missing_field(b->td, event, "name");
	}
	return 0;
}

/*
 * A field as an unsigned number. tep_read_number_field() costs a call and a
 * byte-order check per field, which dominates a trace of millions of events;
 * when the file is in this machine's byte order the value is a plain load.
 */
static unsigned long long field_u64(const struct buffer *b, const struct tep_format_field *f,
				    const void *data)
{
	const char *p = (const char *)data + f->offset;
	unsigned long long v = 0;

	if (!b->native) {
		tep_read_number_field((struct tep_format_field *)f, data, &v);
		return v;
	}
	switch (f->size) {
	case 1: { uint8_t x; memcpy(&x, p, 1); return x; }
	case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
	case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
	case 8: { uint64_t x; memcpy(&x, p, 8); return x; }
	}
	return 0;
}

/* The record is too short for the common fields, or for its event's. */
static bool too_short(const struct tep_format_field *f, const struct tep_record *rec)
{
	return (unsigned)rec->size < (unsigned)f->offset + (unsigned)f->size;
}

static struct decoder *decoder_of(struct buffer *b, struct tep_record *rec)
{
	int type = (int)field_u64(b, b->common_type, rec->data);
	uint32_t i;

	if (b->nr_decoders && type == b->last_type)
		return &b->decoders[b->last_decoder];
	i = lg_u64map_get(&b->by_type, (uint32_t)type);

	if (i == LG_NONE) {
		LG_GROW(b->decoders, b->nr_decoders, b->alloc_decoders);
		i = b->nr_decoders++;
		if (make_decoder(b, type, &b->decoders[i]))
			return NULL;
		lg_u64map_put(&b->by_type, (uint32_t)type, i);
	}
	b->last_type = type;
	b->last_decoder = i;
	return &b->decoders[i];
}

/* A __data_loc (or __rel_loc) string: offset and length packed in 32 bits. */
static int read_string(const struct buffer *b, const struct tep_format_field *f,
		       const struct tep_record *rec, const char **s, size_t *len)
{
	unsigned long long v = field_u64(b, f, rec->data);
	unsigned off = v & 0xffff, size = v >> 16;

	if (f->flags & TEP_FIELD_IS_RELATIVE)
		off += f->offset + f->size;
	if ((unsigned long long)off + size > (unsigned)rec->size)
		return -1;
	*s = (const char *)rec->data + off;
	*len = strnlen(*s, size);
	return 0;
}

/* common_flags: TRACE_FLAG_IRQS_OFF 0x01, HARDIRQ 0x08, SOFTIRQ 0x10, NMI 0x40,
 * BH_OFF 0x80. Uprobe events carry 0xff, which no real context has: user
 * space runs in process context. */
static void decode_context(unsigned flags, struct lg_event *ev)
{
	if (flags == 0xff)
		flags = 0;
	ev->ctx = flags & 0x40 ? LG_CTX_NMI : flags & 0x08 ? LG_CTX_HARDIRQ :
		  flags & 0x10 ? LG_CTX_SOFTIRQ : LG_CTX_PROCESS;
	ev->irqflags = (flags & 0x01 ? LG_IRQS_OFF : 0) | (flags & 0x80 ? LG_BH_OFF : 0);
}

static void decode_comm(struct buffer *b, struct lg_event *ev)
{
	if (!b->last_comm || b->last_pid != ev->pid) {
		b->last_pid = ev->pid;
		b->last_comm = tep_data_comm_from_pid(b->tep, ev->pid);
		b->last_comm_len = strlen(b->last_comm);
	}
	ev->comm = b->last_comm;
	ev->comm_len = b->last_comm_len;
}

static bool pairs_acquisitions(const struct lg_tracedat_source *td);

/* lock_sync() as an acquisition that is never held, lock_set_class() as the
 * held lock's new class, each named as the acquisitions are. */
static int decode_lock_call(struct buffer *b, const struct decoder *d, struct tep_record *rec,
			    uint64_t key, struct lg_event *ev)
{
	struct lg_tracedat_source *td = b->td;
	bool args = td->stats.recorded & LG_RECORDED_ARGS;
	uint32_t subclass = args ? field_u64(b, d->subclass, rec->data) : 0;
	const char *name;
	size_t len;

	if (read_string(b, d->name, rec, &name, &len) || !len)
		return -1;
	ev->kind = d->point;
	ev->arg = 0;
	ev->class_name = lg_strtab_intern(td->names, name, len);
	if (pairs_acquisitions(td))
		ev->class_name = lg_class_keys_class(&td->keys, ev->class_name, key, subclass);
	ev->flags = args ? LG_ACQ_EXACT | LG_ACQ_CLASS_SEEN | (subclass ? LG_ACQ_SUBCLASSED : 0) :
			   0;
	if (ev->kind == LG_EV_ACQUIRE) {
		int32_t read = (int32_t)field_u64(b, d->read, rec->data);

		ev->flags |= LG_ACQ_SYNC | (read ? LG_ACQ_READ : 0) |
			     (read == 2 ? LG_ACQ_RECURSIVE : 0);
		ev->site = d->ip ? lg_kernel_site(&td->sites, b->tep,
						  field_u64(b, d->ip, rec->data)) :
				   LG_SITE_UNKNOWN;
	}
	return 1;
}

/* A fence's instance is its context and seqno; its name "driver timeline".
 * A work item is named by its function (queued: by its workqueue), a
 * completion by its symbol (a static one), else analyze names it by its
 * waiter. */
static int decode_wait(struct buffer *b, const struct decoder *d, struct tep_record *rec,
		       uint64_t addr, uint64_t arg, struct lg_event *ev)
{
	struct lg_tracedat_source *td = b->td;
	const char *name = NULL;
	char buf[256];
	size_t len = 0;

	ev->kind = d->point;
	ev->arg = d->point == LG_EV_WAKING ? arg : 0;	/* the task woken */
	ev->object = d->object;
	ev->object.instance = d->object.object == LG_WAIT_FENCE ? addr << 32 | (uint32_t)arg : addr;
	ev->object.name = LG_NONE;
	ev->site = d->ip ? lg_kernel_site(&td->sites, b->tep, field_u64(b, d->ip, rec->data)) :
			   LG_SITE_UNKNOWN;
	if (d->timeline) {
		const char *driver, *timeline;
		size_t dlen, tlen;

		if (read_string(b, d->name, rec, &driver, &dlen) ||
		    read_string(b, d->timeline, rec, &timeline, &tlen))
			return -1;
		len = lg_wait_fence_name(buf, sizeof(buf), driver, dlen, timeline, tlen);
		name = buf;
	} else if (d->point == LG_EV_WORK_QUEUED) {
		if (read_string(b, d->name, rec, &name, &len))
			return -1;
		if (!len)
			name = NULL;
	} else if (d->object.object == LG_WAIT_WORK && d->arg) {
		name = tep_find_function(b->tep, arg);
	} else if (d->object.object == LG_WAIT_COMPLETION && ev->kind != LG_EV_WAIT_END) {
		name = lg_tracedat_source_symbol(td, addr);
	}
	if (name)
		ev->object.name = lg_strtab_intern(td->names, name, len ? len : strlen(name));
	return 1;
}

/* 1 for an event, 0 for none, -1 for a malformed record. */
static int decode(struct buffer *b, const struct decoder *d, struct tep_record *rec,
		  struct lg_event *ev)
{
	unsigned long long addr, arg, success;

	if ((unsigned)rec->size < d->min_size)
		return -1;
	addr = d->addr ? field_u64(b, d->addr, rec->data) : 0;
	arg = d->arg ? field_u64(b, d->arg, rec->data) : 0;
	success = d->success ? field_u64(b, d->success, rec->data) : 1;
	ev->kind = d->kind;
	ev->addr = addr;
	ev->arg = arg;
	ev->time_ns = rec->ts;
	ev->cpu = rec->cpu;
	ev->pid = (int)field_u64(b, b->common_pid, rec->data);
	decode_comm(b, ev);
	decode_context(field_u64(b, b->common_flags, rec->data), ev);
	if (d->kind == DEC_CONTEXT) {
		ev->kind = d->is_return ? LG_EV_CONTEXT_EXIT : LG_EV_CONTEXT_ENTER;
		ev->class_name = d->function;
		ev->arg = 0;
		return 1;
	}
	if (d->kind == DEC_PTHREAD)
		return lg_pthread_event(&b->td->pthread, ev, d->point, d->is_return, addr,
					(int32_t)arg);
	if (d->kind == DEC_NEW_TASK) {
		lg_pthread_new_task(&b->td->pthread, ev->pid, (int32_t)addr, arg);
		return 0;
	}
	if (d->kind == DEC_LOCK_CALL)
		return decode_lock_call(b, d, rec, arg, ev);
	if (d->kind == DEC_WAIT)
		return decode_wait(b, d, rec, addr, arg, ev);
	if (d->kind == DEC_MMAP_LOCK) {
		ev->arg = 0;
		return lg_mmap_lock_event(&b->td->mmap_lock, ev, d->point, addr, arg, success);
	}
	if (d->kind == LG_EV_ACQUIRE) {
		const char *name;
		size_t len;

		if (read_string(b, d->name, rec, &name, &len) || !len)
			return -1;
		ev->flags = arg & (LG_ACQ_TRY | LG_ACQ_READ);
		ev->arg = 0;
		ev->class_name = lg_strtab_intern(b->td->names, name, len);
	}
	return 1;
}

/* lock_acquire is in the file: what record's probes and --stacks add to an
 * acquisition is paired with it (class_keys.h). */
static bool pairs_acquisitions(const struct lg_tracedat_source *td)
{
	return td->stats.recorded & LG_RECORDED_LOCKDEP;
}

static void emit(struct lg_tracedat_source *td, const struct lg_event *ev)
{
	if (pairs_acquisitions(td))
		lg_class_keys_event(&td->keys, ev);
	else
		td->fn(ev, td->arg);
}

/*
 * The first record after a gap in a CPU buffer carries the count of what was
 * dropped (negative: unknown). Read here rather than through
 * tracecmd_follow_missed_events(), whose list libtracecmd 1.3 never frees.
 */
static void lost(struct lg_tracedat_source *td, struct lg_event *ev, long long n)
{
	if (n > 0)
		ev->arg = n > UINT32_MAX ? UINT32_MAX : n;
	lg_input_stats_lost(&td->stats, ev->cpu, n > 0 ? n : 0);
	emit(td, ev);
}

static void missed(struct lg_tracedat_source *td, struct tep_record *rec, int cpu)
{
	struct lg_event ev = { .kind = LG_EV_LOST, .cpu = cpu, .time_ns = rec->ts };

	lost(td, &ev, rec->missed_events);
}

static int malformed(struct lg_tracedat_source *td, struct tep_record *rec, int cpu)
{
	td->failed = lg_fail(td->err, EINVAL, "%s: offset %llu%s (CPU %d): a malformed lock "
			     "event record", td->path, rec->offset,
			     td->layout.version == 7 ? " of its decompressed data" : "", cpu);
	return -1;
}

/* A class key or lock_acquire's arguments: they complete an acquisition. */
/* The frames of a kernel_stack record as call sites, from the caller of the
 * traced lockdep call (lg_stack_skips()). */
static int decode_stack(struct buffer *b, const struct decoder *d, struct tep_record *rec,
			uint32_t *frames, uint32_t *nr)
{
	unsigned long long size = field_u64(b, d->arg, rec->data);
	unsigned step = d->addr->elementsize > 0 ? (unsigned)d->addr->elementsize : 8;
	unsigned offset = (unsigned)d->addr->offset;
	unsigned avail = (unsigned)rec->size > offset ? ((unsigned)rec->size - offset) / step : 0;
	bool top = true;

	if (step != 4 && step != 8)
		return -1;
	*nr = 0;
	for (unsigned i = 0; i < size && i < avail && *nr < LG_STACK_MAX; i++) {
		struct tep_format_field f = *d->addr;
		unsigned long long ip;

		f.offset = (int)(offset + i * step);
		f.size = step;
		ip = field_u64(b, &f, rec->data);
		if (!ip || ip == ~0ULL || (step == 4 && ip == 0xffffffff))
			break;		/* the end marker of older kernels */
		if (top && lg_stack_skips(tep_find_function(b->tep, ip)))
			continue;
		top = false;
		frames[(*nr)++] = lg_kernel_site(&b->td->sites, b->tep, ip);
	}
	return 0;
}

static int acquire_extra(struct lg_tracedat_source *td, struct buffer *b,
			 const struct decoder *d, struct tep_record *rec, int cpu)
{
	struct lg_event ctx;

	if ((unsigned)rec->size < d->min_size)
		return malformed(td, rec, cpu);
	decode_context(field_u64(b, b->common_flags, rec->data), &ctx);
	if (d->kind == DEC_STACK) {
		uint32_t frames[LG_STACK_MAX], nr;

		if (decode_stack(b, d, rec, frames, &nr))
			return malformed(td, rec, cpu);
		lg_class_keys_stack(&td->keys, cpu, ctx.ctx, frames, nr);
	} else if (d->kind == DEC_CLASS_KEY) {
		struct lg_wait_types wait = { .known = true };

		if (d->wait_inner) {
			wait.outer = field_u64(b, d->wait_outer, rec->data);
			wait.inner = field_u64(b, d->wait_inner, rec->data);
			wait.lock_type = field_u64(b, d->lock_type, rec->data);
		}
		lg_class_keys_key(&td->keys, cpu, ctx.ctx, field_u64(b, d->addr, rec->data),
				  d->wait_inner ? &wait : NULL);
	} else {
		struct lg_acquire_args a = {
			.lock = field_u64(b, d->addr, rec->data),
			.subclass = field_u64(b, d->subclass, rec->data),
			.read = (int32_t)field_u64(b, d->read, rec->data),
			.check = (int32_t)field_u64(b, d->check, rec->data),
			.nest = field_u64(b, d->nest, rec->data),
			.site = d->ip ? lg_kernel_site(&td->sites, b->tep,
						       field_u64(b, d->ip, rec->data)) :
					LG_SITE_UNKNOWN,
		};

		lg_class_keys_args(&td->keys, cpu, ctx.ctx, &a);
	}
	td->stats.skipped++;
	return 0;
}

/* Zeroed pages lost their events: a loss like any other, at the next record. */
static void zeroed(struct lg_tracedat_source *td, int cpu, int pages, uint64_t ts)
{
	struct lg_event ev = { .kind = LG_EV_LOST, .cpu = cpu, .time_ns = ts };

	while (pages-- > 0)
		lg_input_stats_zeroed(&td->stats, cpu);
	emit(td, &ev);
}

/* What no record led to: the zeroed pages after each CPU's last one, and a
 * loss its last page marked. */
static void follow_tails(struct lg_tracedat_source *td)
{
	for (uint32_t i = 0; i < td->nr_streams; i++) {
		const struct lg_stream_summary *sum = lg_tracedat_merge_summary(td->merge, i);
		uint32_t cpu = td->streams[i].cpu;

		if (sum->tail_missed) {
			struct lg_event ev = { .kind = LG_EV_LOST, .cpu = cpu, .time_ns = sum->last_ts };

			lost(td, &ev, sum->tail_missed);
		}
		if (sum->tail_zeroed)
			zeroed(td, cpu, sum->tail_zeroed, sum->last_ts);
	}
}

/* One record of a buffer's CPU, at libtracecmd's offset for it (v7: in the
 * CPU's decompressed data). */
static int deliver(struct lg_tracedat_source *td, uint32_t stream,
		   const struct lg_stream_record *r)
{
	struct buffer *b = &td->buffers[td->stream_of[stream].buffer];
	int cpu = td->streams[stream].cpu;
	struct tep_record rec = { .ts = r->ts, .offset = r->offset, .missed_events = r->missed,
				  .size = r->size, .data = (void *)r->data, .cpu = cpu };
	struct lg_event ev = { 0 };
	struct decoder *d;

	if (r->missed)
		missed(td, &rec, cpu);
	if (r->zeroed)
		zeroed(td, cpu, r->zeroed, r->ts);
	if (too_short(b->common_type, &rec))
		return malformed(td, &rec, cpu);
	if (!(d = decoder_of(b, &rec)))
		return -1;
	if (d->kind == DEC_OTHER) {
		td->stats.skipped++;
		return 0;
	}
	if (d->kind == DEC_CLASS_KEY || d->kind == DEC_ACQUIRE_ARGS || d->kind == DEC_STACK)
		return acquire_extra(td, b, d, &rec, cpu);
	switch (decode(b, d, &rec, &ev)) {
	case -1:
		return malformed(td, &rec, cpu);
	case 0:
		td->stats.skipped++;
		return 0;
	}
	td->stats.events++;
	emit(td, &ev);
	return 0;
}

/* The statistics summed per CPU over the buffers. */
struct recorded {
	uint64_t lost[LG_LOST_CPUS];
	uint64_t *read;		/* by CPU */
	uint32_t nr_read, alloc_read;
};

/* A CPU's section of the statistics; trace-cmd gives one per buffer. */
static void add_recorded(void *arg, uint32_t cpu, const struct lg_cpu_stat *stat)
{
	struct recorded *r = arg;

	r->lost[cpu < LG_LOST_CPUS ? cpu : LG_LOST_CPUS - 1] += stat->lost;
	if (!stat->has_read || cpu > UINT16_MAX)	/* no machine has more CPUs */
		return;
	while (r->nr_read <= cpu) {
		LG_GROW(r->read, r->nr_read, r->alloc_read);
		r->read[r->nr_read++] = 0;
	}
	r->read[cpu] += stat->read;
}

/* Every record the file holds, on cpu, in all its buffers. */
static uint64_t records_on(const struct lg_tracedat_source *td, uint32_t cpu)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < td->nr_streams; i++)
		if (td->streams[i].cpu == cpu)
			n += lg_tracedat_merge_summary(td->merge, i)->records;
	return n;
}

/*
 * What the recorder's buffer statistics say was lost, beside the markers,
 * and how many events its readers took from the kernel, which the file
 * should hold: trace-cmd and lockgraph record keep them (CPUSTAT); older
 * files do not.
 */
static void recorded_lost(struct lg_tracedat_source *td)
{
	const char *text = tracecmd_get_cpustats(td->buffers[0].handle);
	struct recorded r = { 0 };

	if (!text)
		return;
	lg_cpu_stats_each(text, add_recorded, &r);
	for (uint32_t s = 0; s < LG_LOST_CPUS; s++)
		lg_input_stats_recorded_lost(&td->stats, s, r.lost[s]);
	for (uint32_t cpu = 0; cpu < r.nr_read; cpu++) {
		uint64_t held = records_on(td, cpu);

		if (r.read[cpu] > held)
			lg_input_stats_missing(&td->stats, cpu, r.read[cpu] - held);
	}
	free(r.read);
}

/* Every event format starts with the same common fields: take them from the first. */
static uint8_t recorded_with(struct tep_handle *tep)
{
	uint8_t rec = 0;

	for (int i = 0; i < tep_get_events_count(tep); i++) {
		struct tep_event *e = tep_get_event(tep, i);

		if (!strcmp(e->system, "lock"))
			rec |= !strcmp(e->name, "lock_acquire") ? LG_RECORDED_LOCKDEP :
			       !strcmp(e->name, "contention_begin") ? LG_RECORDED_CONTENTION : 0;
		else if (!strcmp(e->system, "mmap_lock") &&
			 !strcmp(e->name, "mmap_lock_acquire_returned"))
			rec |= LG_RECORDED_MMAP_LOCK;
		else if (!strncmp(e->system, LG_PROBE_SYSTEM_PREFIX, strlen(LG_PROBE_SYSTEM_PREFIX)))
			rec |= !strcmp(e->name, LG_PROBE_CLASS_KEY) ? LG_RECORDED_KEYS :
			       !strcmp(e->name, LG_PROBE_ACQUIRE_ARGS) ? LG_RECORDED_ARGS :
			       !strcmp(e->name, LG_PROBE_SET_CLASS) ? LG_RECORDED_SET_CLASS : 0;
	}
	return rec;
}

/* The layout's buffer of that name: libtracecmd keeps them in the file's order. */
static uint32_t layout_buffer(const struct lg_tracedat_layout *l, const char *name)
{
	for (uint32_t i = 0; i < l->nr_buffers; i++)
		if (!strncmp(l->buffers[i].name, name, sizeof(l->buffers[i].name) - 1))
			return i;
	return LG_NONE;
}

static int add_buffer(struct lg_tracedat_source *td, struct tracecmd_input *handle,
		      const char *name, struct lg_error *err)
{
	struct buffer *b = &td->buffers[td->nr_buffers++];
	struct tep_event *any;

	b->td = td;
	b->layout_buffer = layout_buffer(&td->layout, name);
	b->handle = handle;
	b->tep = tracecmd_get_tep(handle);
	b->native = tep_is_file_bigendian(b->tep) == tep_is_bigendian();
	lg_u64map_init(&b->by_type);
	any = tep_get_events_count(b->tep) > 0 ? tep_get_event(b->tep, 0) : NULL;
	if (any) {
		b->common_type = tep_find_common_field(any, "common_type");
		b->common_pid = tep_find_common_field(any, "common_pid");
		b->common_flags = tep_find_common_field(any, "common_flags");
	}
	if (b->common_type && b->common_pid && b->common_flags)
		return 0;
	return lg_fail(err, EINVAL, "%s: the file's event formats lack the common fields "
		       "(common_type, common_pid, common_flags)", td->path);
}

static int unreadable(const char *path, struct lg_error *err)
{
	return lg_fail(err, EINVAL, "%s: not a readable trace.dat: libtracecmd refuses it "
		       "(a compression it does not support, or a corrupted event format or "
		       "option?)", path);
}

/*
 * A first open of a file libtracecmd has not read before, run by isolated():
 * 0 on success. It closes what it opened only on success: after a failure
 * tracecmd_close() itself may crash, and the child's exit frees it all.
 */
static int trial_open(const char *path)
{
	struct tracecmd_input *h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);

	if (!h)
		return 1;
	tracecmd_close(h);
	return 0;
}

/*
 * libtracecmd 1.3 trusts a file's headers and options: some corrupted files
 * make it read out of bounds, or crash in tracecmd_close() after a failed
 * open (tests/fuzz/libtracecmd-crashes/). So the first parse of a file runs in
 * a child process, which also keeps its warnings off stderr; its handles die
 * with it. Returns 0, or the child's signal, or -1.
 */
/* Under a fuzzer, its death callback would save a crash of the child, which
 * runs only libtracecmd, as a finding against lockgraph: not in the child. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static int isolated(int (*step)(const char *path), const char *path)
{
	int status, null;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return step(path) ? -1 : 0;
	if (pid == 0) {
		if (__sanitizer_set_death_callback)
			__sanitizer_set_death_callback(NULL);
		null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		_exit(step(path));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The layout checks have passed: what is left to break libtracecmd is the
 * content of the sections they do not parse. */
static int crashed(const char *path, int sig, struct lg_error *err)
{
	return lg_fail(err, EINVAL, "%s: not a readable trace.dat: libtracecmd crashed "
		       "parsing it (signal %d), though its sections' sizes and offsets are "
		       "sound: a corrupted event format or option?", path, sig);
}

/* The file's procmaps (proc_maps.h), through libtracecmd: an option of the
 * top buffer, buffers[0]. */
static bool mapping(void *arg, uint32_t tgid, uint64_t addr, struct lg_mapping *m)
{
	struct lg_tracedat_source *td = arg;
	struct tracecmd_proc_addr_map *map =
		tracecmd_search_task_map(td->buffers[0].handle, (int)tgid, addr);

	if (!map || !map->lib_name)
		return false;
	*m = (struct lg_mapping){ .start = map->start, .end = map->end, .path = map->lib_name };
	return true;
}

/* Any reason a lock has no symbol (heap, a file gone) leaves its address name. */
static int lock_symbol(void *arg, uint32_t tgid, uint64_t addr, char *name, size_t len)
{
	struct lg_tracedat_source *td = arg;
	struct lg_error why;

	return lg_user_symbol(&td->symbols, tgid, addr, name, len, &why);
}

/* The files the recording's processes had mapped are read for their symbols
 * only on the machine that recorded it (uname's node name), and only if they
 * have not changed since the trace.dat was written: another machine's or a
 * rebuilt file would give a lock another's name. */
static void name_locks_by_symbol(struct lg_tracedat_source *td, struct tracecmd_input *top)
{
	const char *recorded_on = tracecmd_get_uname(top);
	struct utsname here;
	size_t len;

	if (!recorded_on || uname(&here))
		return;
	recorded_on = strchr(recorded_on, ' ');
	len = strlen(here.nodename);
	if (!recorded_on || strncmp(recorded_on + 1, here.nodename, len) ||
	    (recorded_on[len + 1] && recorded_on[len + 1] != ' '))
		return;
	lg_user_symbols_init(&td->symbols, mapping, td, tracecmd_page_size(top), td->mtime);
	lg_pthread_set_symbols(&td->pthread, lock_symbol, td);
}

/* The kernel of its UNAME; a version 6 file's clock is its TRACECLOCK
 * option (a version 7 one's was taken from its layout). */
static void read_origin(struct lg_tracedat_source *td, struct tracecmd_input *top)
{
	struct lg_input_origin *o = &td->stats.origin;
	const char *clock = tracecmd_get_trace_clock(top);

	if (!*o->clock && clock)
		snprintf(o->clock, sizeof(o->clock), "%s", clock);
	lg_input_origin_uname(o, tracecmd_get_uname(top));
}

static struct tracecmd_input *open_handle(struct lg_tracedat_source *td, struct lg_error *err)
{
	struct tracecmd_input *h = NULL;
	int ret = isolated(trial_open, td->file);

	if (!ret)
		h = tracecmd_open(td->file, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (ret > 0)
		crashed(td->path, ret, err);
	else if (!h)
		unreadable(td->path, err);
	return h;
}

/*
 * Each buffer's CPU data as a stream, in the order libtracecmd merges them:
 * buffers in the file's order (the top one first), each one's CPUs in its
 * table's. Made from the layout, and each stream's first block read, before
 * libtracecmd opens the file: its open reads the first page of every CPU,
 * and crashes on a damaged one.
 */
static int make_streams(struct lg_tracedat_source *td, struct lg_error *err)
{
	const struct lg_tracedat_layout *l = &td->layout;
	uint32_t total = 0, block;

	for (uint32_t i = 0; i < l->nr_buffers; i++)
		total += l->buffers[i].nr_cpus;
	block = total && STREAM_BYTES / total < BLOCK_BYTES ? STREAM_BYTES / total : BLOCK_BYTES;
	td->streams = lg_xcalloc(total, sizeof(*td->streams));
	td->stream_of = lg_xcalloc(total, sizeof(*td->stream_of));
	for (uint32_t i = 0; i < l->nr_buffers; i++) {
		const struct lg_tracedat_buffer *lb = &l->buffers[i];
		struct lg_page_format format = { .big_endian = l->big_endian,
						 .page_size = lb->page_size,
						 .commit_size = l->commit_size };

		if (lb->compressed && strcmp(l->compression, "zstd"))
			return lg_fail(err, EINVAL, "%s: compressed with %s: lockgraph reads only "
				       "zstd", td->path, l->compression);
		if (lb->nr_cpus && !l->commit_size)
			return lg_fail(err, EINVAL, "%s: no page header format (header_page) to "
				       "read its pages by", td->path);
		for (uint32_t k = 0; k < lb->nr_cpus; k++) {
			uint32_t n = td->nr_streams++;

			td->stream_of[n] = (struct stream_of){ .layout_buffer = i, .index = k };
			if (lg_tracedat_stream_init(&td->streams[n], td->fd, td->path,
						    lb->cpus[k].cpu, &format, lb->compressed,
						    lb->cpus[k].offset, lb->cpus[k].size, block, err))
				return -EINVAL;
		}
	}
	return lg_tracedat_merge_start(&td->merge, td->streams, td->nr_streams, err);
}

/* Each stream's buffer as libtracecmd opened it, by name. */
static int find_buffers(struct lg_tracedat_source *td, struct lg_error *err)
{
	for (uint32_t i = 0; i < td->nr_streams; i++) {
		struct stream_of *so = &td->stream_of[i];

		so->buffer = LG_NONE;
		for (int k = 0; k < td->nr_buffers; k++)
			if (td->buffers[k].layout_buffer == so->layout_buffer)
				so->buffer = k;
		if (so->buffer == LG_NONE)
			return lg_fail(err, EINVAL, "%s: libtracecmd does not read its buffer '%s'",
				       td->path, td->layout.buffers[so->layout_buffer].name);
		if (tep_is_old_format(td->buffers[so->buffer].tep))
			return lg_fail(err, EINVAL, "%s: its ring buffer has the format of Linux "
				       "2.6.30 and earlier, which lockgraph does not read", td->path);
	}
	return 0;
}

/* The file's layout, and each CPU's first block, are checked before
 * libtracecmd sees it. */
static struct tracecmd_input *open_checked(struct lg_tracedat_source *td, int fd,
					   struct lg_error *err)
{
	struct stat st;

	err->msg[0] = '\0';
	td->fd = fd;
	snprintf(td->file, sizeof(td->file), "/proc/self/fd/%d", fd);
	td->mtime = fstat(fd, &st) ? 0 : st.st_mtime;
	if (lg_tracedat_layout_read(&td->layout, fd, td->path, err))
		return NULL;
	td->format = td->layout.version == 6 ? "trace.dat-v6" : "trace.dat-v7";
	if (td->layout.version == 7 && td->layout.nr_buffers)
		snprintf(td->stats.origin.clock, sizeof(td->stats.origin.clock), "%s",
			 td->layout.buffers[0].clock);
	if (make_streams(td, err))
		return NULL;
	return open_handle(td, err);
}

int lg_tracedat_source_open(struct lg_tracedat_source **out, const char *path, int fd,
			    struct lg_strtab *names, struct lg_error *err)
{
	struct tracecmd_input *top;
	struct lg_tracedat_source *td = lg_xcalloc(1, sizeof(*td));
	int nr;

	td->path = path;
	td->names = names;
	td->fd = -1;
	lg_mmap_lock_init(&td->mmap_lock, names);
	lg_pthread_init(&td->pthread, names);
	top = open_checked(td, fd, err);
	if (!top) {
		lg_tracedat_source_free(td);
		return -EINVAL;
	}
	nr = tracecmd_buffer_instances(top);
	td->buffers = lg_xcalloc(nr + 1, sizeof(*td->buffers));
	td->lockdep = tep_find_event_by_name(tracecmd_get_tep(top), "lock", "lock_acquire");
	td->stats.recorded = recorded_with(tracecmd_get_tep(top));
	name_locks_by_symbol(td, top);
	read_origin(td, top);
	if (add_buffer(td, top, "", err)) {
		lg_tracedat_source_free(td);
		return -EINVAL;
	}
	for (int i = 0; i < nr; i++) {
		struct tracecmd_input *h = tracecmd_buffer_instance_handle(top, i);
		const char *name = tracecmd_buffer_instance_name(top, i);

		if (!h) {
			lg_fail(err, EINVAL, "%s: cannot read buffer instance '%s'", path, name);
			lg_tracedat_source_free(td);
			return -EINVAL;
		}
		if (add_buffer(td, h, name, err)) {
			lg_tracedat_source_free(td);
			return -EINVAL;
		}
	}
	if (find_buffers(td, err)) {
		lg_tracedat_source_free(td);
		return -EINVAL;
	}
	*out = td;
	return 0;
}

/*
 * libtracecmd converts a file's times where its options say (TSC2NSEC, a
 * time offset, a guest's time sync), through no API lockgraph can call: its
 * first record of each CPU must have the time the stream's has.
 */
static int check_times(struct lg_tracedat_source *td, struct lg_error *err)
{
	for (uint32_t i = 0; i < td->nr_streams; i++) {
		const struct lg_stream_record *r = lg_tracedat_merge_first(td->merge, i);
		const struct buffer *b = &td->buffers[td->stream_of[i].buffer];
		struct tep_record *first;
		bool same;

		if (!r)
			continue;
		first = tracecmd_read_cpu_first(b->handle, (int)td->stream_of[i].index);
		same = first && first->ts == r->ts;
		tracecmd_free_record(first);
		if (!same)
			return lg_fail(err, EINVAL, "%s: CPU %u of buffer '%s': libtracecmd gives its "
				       "first event another time than its page does: the file's "
				       "times are to be converted (TSC2NSEC, a time offset or a "
				       "guest's time sync), which lockgraph does not do", td->path,
				       td->streams[i].cpu, td->layout.buffers[b->layout_buffer].name);
	}
	return 0;
}

static int read_records(struct lg_tracedat_source *td, unsigned threads, struct lg_error *err)
{
	const struct lg_stream_record *r;
	uint32_t stream;
	int ret;

	if ((ret = check_times(td, err)))
		return ret;
	lg_tracedat_merge_run(td->merge, threads);
	while ((r = lg_tracedat_merge_next(td->merge, &stream, &ret, err)))
		if (deliver(td, stream, r))
			return td->failed ? td->failed : -EINVAL;
	if (!ret)
		follow_tails(td);
	return ret;
}

int lg_tracedat_source_read(struct lg_tracedat_source *td, unsigned threads, lg_event_fn fn,
			    void *arg, struct lg_error *err)
{
	int ret;

	td->fn = fn;
	td->arg = arg;
	td->err = err;
	lg_kernel_sites_init(&td->sites, td->names);
	if (pairs_acquisitions(td))
		lg_class_keys_init(&td->keys, td->names, td->stats.recorded & LG_RECORDED_KEYS,
				   td->stats.recorded & LG_RECORDED_ARGS,
				   td->stats.recorded & LG_RECORDED_SET_CLASS, fn, arg);
	ret = read_records(td, threads, err);
	if (pairs_acquisitions(td)) {
		lg_class_keys_flush(&td->keys);
		td->stats.unpaired = td->keys.unpaired;
		td->stats.incomplete = td->keys.incomplete;
		td->stats.unwinder = td->keys.unwinder;
		lg_class_keys_release(&td->keys);
	}
	lg_kernel_sites_release(&td->sites);
	if (!ret)
		recorded_lost(td);
	return ret;
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
	lg_tracedat_merge_stop(td->merge);
	for (uint32_t i = 0; i < td->nr_streams; i++)
		lg_tracedat_stream_release(&td->streams[i]);
	free(td->streams);
	free(td->stream_of);
	lg_tracedat_layout_release(&td->layout);
	if (td->fd >= 0)
		close(td->fd);
	lg_mmap_lock_release(&td->mmap_lock);
	lg_pthread_release(&td->pthread);
	lg_user_symbols_release(&td->symbols);
	free(td);
}
