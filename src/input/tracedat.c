/* Reader of trace-cmd's trace.dat (v6, and v7 with compression) through
 * libtracecmd: every buffer instance, merged in timestamp order by the library,
 * fields read through tep_format_fields cached per event type. */
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
#include "lockgraph/input/tracedat_pages.h"
#include "lockgraph/input/user_symbols.h"
#include "lockgraph/lib/tracecmd_private.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"

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
	int fd;			/* the version 6 file libtracecmd reads */
	struct lg_tracedat_layout layout;	/* of that file */
	struct lg_tracedat_pages pages;
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
static void missed(struct lg_tracedat_source *td, struct tep_record *rec, int cpu)
{
	struct lg_event ev = { .kind = LG_EV_LOST, .cpu = cpu, .time_ns = rec->ts };
	long long n = rec->missed_events;

	if (n > 0)
		ev.arg = n > UINT32_MAX ? UINT32_MAX : n;
	lg_input_stats_lost(&td->stats, cpu, n > 0 ? n : 0);
	emit(td, &ev);
}

static int malformed(struct lg_tracedat_source *td, struct tep_record *rec, int cpu)
{
	td->failed = lg_fail(td->err, EINVAL, "%s: offset %llu (CPU %d): a malformed lock "
			     "event record", td->path, rec->offset, cpu);
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

static int follow_pages(struct lg_tracedat_source *td, struct buffer *b,
			struct tep_record *rec, int cpu)
{
	int pages = lg_tracedat_pages_record(&td->pages, b->layout_buffer, cpu, rec->offset,
					     rec->ts, td->err);

	if (pages < 0)
		return td->failed = pages;
	if (pages)
		zeroed(td, cpu, pages, rec->ts);
	return 0;
}

/* What no record led to: the pages after each CPU's last one. */
static int follow_tails(struct lg_tracedat_source *td)
{
	for (int i = 0; i < td->nr_buffers; i++) {
		uint32_t lb = td->buffers[i].layout_buffer;

		for (uint32_t cpu = 0; lb != LG_NONE && cpu < td->layout.buffers[lb].nr_cpus; cpu++) {
			int pages = lg_tracedat_pages_tail(&td->pages, lb, cpu, td->err);

			if (pages < 0)
				return td->failed = pages;
			if (pages)
				zeroed(td, cpu, pages,
				       lg_tracedat_pages_last_time(&td->pages, lb, cpu));
		}
	}
	return 0;
}

/* index: libtracecmd's over all the buffers' CPUs, not the CPU, which is rec->cpu */
static int deliver(struct tracecmd_input *handle, struct tep_record *rec,
		   int index __attribute__((unused)), void *data)
{
	int cpu = rec->cpu;
	struct lg_tracedat_source *td = data;
	struct buffer *b = tracecmd_get_private(handle);
	struct lg_event ev = { 0 };
	struct decoder *d;

	if (rec->missed_events)
		missed(td, rec, cpu);
	if (follow_pages(td, b, rec, cpu))
		return -1;
	if (too_short(b->common_type, rec))
		return malformed(td, rec, cpu);
	if (!(d = decoder_of(b, rec)))
		return -1;
	if (d->kind == DEC_OTHER) {
		td->stats.skipped++;
		return 0;
	}
	if (d->kind == DEC_CLASS_KEY || d->kind == DEC_ACQUIRE_ARGS || d->kind == DEC_STACK)
		return acquire_extra(td, b, d, rec, cpu);
	switch (decode(b, d, rec, &ev)) {
	case -1:
		return malformed(td, rec, cpu);
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

	for (int i = 0; i < td->nr_buffers; i++)
		n += lg_tracedat_pages_records(&td->pages, td->buffers[i].layout_buffer, cpu);
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
	tracecmd_set_private(handle, b);
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
 * Steps that parse a file libtracecmd has not read before, run by isolated():
 * 0 on success. They close what they opened only on success: after a failed
 * copy tracecmd_close() itself may crash, and the child's exit frees it all.
 */
static int trial_open(const char *path, const char *unused)
{
	struct tracecmd_input *h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);

	(void)unused;
	if (!h)
		return 1;
	tracecmd_close(h);
	return 0;
}

/*
 * libtracecmd 1.3 keeps all the decompressed data of a version 7 file in
 * memory, which grows with the trace. Its own copy to version 6 (what
 * `trace-cmd convert` does) streams with bounded memory, and a v6 file is read
 * through mmap: so read a v7 file through an unlinked v6 copy in $TMPDIR.
 */
static int copy_to_v6(const char *path, const char *tmp)
{
	struct tracecmd_input *in = tracecmd_open_head(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	struct tracecmd_output *out;

	if (!in || !(out = tracecmd_copy(in, tmp, LG_TRACECMD_FILE_CPU_FLYRECORD, 6, NULL)))
		return 1;
	tracecmd_output_close(out);
	tracecmd_close(in);
	return 0;
}

/*
 * libtracecmd 1.3 trusts a file's headers and options: some corrupted files
 * make it read out of bounds, or crash in tracecmd_close() after a failed
 * copy (tests/fuzz/libtracecmd-crashes/). So the first parse of a file runs in
 * a child process, which also keeps the copy's progress chatter off stderr;
 * its handles die with it. Returns 0, or the child's signal, or -1.
 */
/* Under a fuzzer, its death callback would save a crash of the child, which
 * runs only libtracecmd, as a finding against lockgraph: not in the child. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static int isolated(int (*step)(const char *path, const char *tmp), const char *path,
		    const char *tmp)
{
	int status, null;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return step(path, tmp) ? -1 : 0;
	if (pid == 0) {
		if (__sanitizer_set_death_callback)
			__sanitizer_set_death_callback(NULL);
		null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		_exit(step(path, tmp));
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

/* The decompressed copy is checked as the original was: libtracecmd reads
 * it, and the pages are followed in it. */
static struct tracecmd_input *open_v6_copy(struct lg_tracedat_source *td, struct lg_error *err)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct tracecmd_input *copy = NULL;
	char tmp[4096];
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s/lockgraph-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		lg_fail(err, errno, "%s: cannot create a file in %s to decompress into: %s",
			td->path, dir, strerror(errno));
		return NULL;
	}
	ret = isolated(copy_to_v6, td->file, tmp);
	if (!ret && !lg_tracedat_layout_read(&td->layout, fd, td->path, err)) {
		copy = tracecmd_open(tmp, TRACECMD_FL_LOAD_NO_PLUGINS);
		if (!copy)
			lg_tracedat_layout_release(&td->layout);
	}
	unlink(tmp);	/* the open handle and fd keep it while it is read */
	if (copy) {
		close(td->fd);	/* the original: the copy is read from here on */
		td->fd = fd;
	} else {
		close(fd);
	}
	if (ret > 0)
		crashed(td->path, ret, err);
	else if (ret < 0)
		lg_fail(err, EIO, "%s: cannot decompress it into %s (corrupted compressed data, "
			"or no room for its uncompressed size?)", td->path, dir);
	else if (!copy && !err->msg[0])
		lg_fail(err, EIO, "%s: libtracecmd cannot read its decompressed copy", td->path);
	return copy;
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

static struct tracecmd_input *open_v6(struct lg_tracedat_source *td, struct lg_error *err)
{
	struct tracecmd_input *h = NULL;
	int ret = isolated(trial_open, td->file, NULL);

	if (!ret)
		h = tracecmd_open(td->file, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (ret > 0)
		crashed(td->path, ret, err);
	else if (!h)
		unreadable(td->path, err);
	return h;
}

/*
 * The file's layout is checked before libtracecmd sees it; a version 7 file
 * is read through its version 6 copy, whose layout is read again for the
 * pages to be followed in it.
 */
static struct tracecmd_input *open_checked(struct lg_tracedat_source *td, int fd,
					   struct lg_error *err)
{
	struct tracecmd_input *top;
	struct stat st;

	err->msg[0] = '\0';
	td->fd = fd;
	snprintf(td->file, sizeof(td->file), "/proc/self/fd/%d", fd);
	td->mtime = fstat(fd, &st) ? 0 : st.st_mtime;
	if (lg_tracedat_layout_read(&td->layout, fd, td->path, err))
		return NULL;
	if (td->layout.version == 6) {
		td->format = "trace.dat-v6";
		if (lg_tracedat_pages_scan(&td->pages, &td->layout, fd, td->path, "", err))
			return NULL;
		return open_v6(td, err);
	}
	td->format = "trace.dat-v7";
	if (td->layout.nr_buffers)	/* its v6 copy has no clock */
		snprintf(td->stats.origin.clock, sizeof(td->stats.origin.clock), "%s",
			 td->layout.buffers[0].clock);
	lg_tracedat_layout_release(&td->layout);
	top = open_v6_copy(td, err);
	if (top && lg_tracedat_pages_scan(&td->pages, &td->layout, td->fd, td->path,
					  " of its decompressed copy", err)) {
		tracecmd_close(top);
		return NULL;
	}
	return top;
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
	lg_kernel_sites_init(&td->sites, td->names);
	if (pairs_acquisitions(td))
		lg_class_keys_init(&td->keys, td->names, td->stats.recorded & LG_RECORDED_KEYS,
				   td->stats.recorded & LG_RECORDED_ARGS,
				   td->stats.recorded & LG_RECORDED_SET_CLASS, fn, arg);
	ret = tracecmd_iterate_events_multi(handles, td->nr_buffers, deliver, td);
	free(handles);
	if (!td->failed && ret >= 0)
		follow_tails(td);
	if (pairs_acquisitions(td)) {
		lg_class_keys_flush(&td->keys);
		td->stats.unpaired = td->keys.unpaired;
		td->stats.incomplete = td->keys.incomplete;
		td->stats.unwinder = td->keys.unwinder;
		lg_class_keys_release(&td->keys);
	}
	lg_kernel_sites_release(&td->sites);
	if (td->failed)
		return td->failed;
	if (ret < 0)
		return lg_fail(err, EIO, "%s: cannot read the event data (truncated file?)",
			       td->path);
	recorded_lost(td);
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
	lg_tracedat_pages_release(&td->pages);
	lg_tracedat_layout_release(&td->layout);
	if (td->fd >= 0)
		close(td->fd);
	lg_mmap_lock_release(&td->mmap_lock);
	lg_pthread_release(&td->pthread);
	lg_user_symbols_release(&td->symbols);
	free(td);
}
