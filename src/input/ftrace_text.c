/* Reader of ftrace text: /sys/kernel/tracing/trace (with or without the irq-info
 * flag and tgid columns) and `trace-cmd report` output, one line at a time. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/contract/probe_names.h"
#include "lockgraph/contract/wait_calls.h"
#include "lockgraph/input/class_keys.h"
#include "lockgraph/input/ftrace_text.h"
#include "lockgraph/input/kernel_sites.h"
#include "lockgraph/input/mmap_lock.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"

#define BUF_SIZE (1024 * 1024)	/* also the longest line accepted */

struct lg_text_source {
	FILE *f;
	const char *path;
	struct lg_strtab *names;
	char *buf;
	size_t start, end;
	bool eof;
	bool line_ended;	/* the current line has its newline */
	uint64_t lineno;
	struct lg_u64map cpu_slot;	/* CPU -> its slot in last_time */
	uint64_t *last_time;	/* the latest timestamp of each CPU seen */
	uint32_t nr_cpus, alloc_cpus;
	const char *format;
	struct lg_mmap_lock mmap_lock;
	struct lg_input_stats stats;
	struct lg_class_keys stacks;	/* gives each acquisition its stack */
	struct lg_event stack_of;	/* the CPU and context of the stack being read */
	uint32_t frames[LG_STACK_MAX], nr_frames;
	bool in_stack, past_top;	/* reading one; past its skipped top frames */
	const char *frame;	/* the frame of a LINE_FRAME line, frame_len bytes */
	size_t frame_len;
};

/* What a line holds, besides errors (negative) and events. */
enum {
	LINE_NONE = 0,
	LINE_EVENT = 1,
	LINE_UNADDRESSED = 2,	/* a lock event without its lock's address */
	LINE_STACK = 3,		/* "<stack trace>": a kernel_stack event, frames next */
	LINE_FRAME = 4,		/* " => func" of one */
};

struct cursor {
	const char *p, *end;
};

struct lg_text_source *lg_text_source_new(FILE *f, const char *path,
					  struct lg_strtab *names)
{
	struct lg_text_source *ts = lg_xcalloc(1, sizeof(*ts));

	ts->f = f;
	ts->path = path;
	ts->names = names;
	ts->buf = lg_xmalloc(BUF_SIZE);
	ts->format = "ftrace";
	lg_mmap_lock_init(&ts->mmap_lock, names);
	lg_u64map_init(&ts->cpu_slot);
	return ts;
}

void lg_text_source_unread(struct lg_text_source *ts, const char *data, size_t len)
{
	memcpy(ts->buf + ts->end, data, len);
	ts->end += len;
}

void lg_text_source_free(struct lg_text_source *ts)
{
	if (!ts)
		return;
	free(ts->buf);
	lg_mmap_lock_release(&ts->mmap_lock);
	lg_u64map_release(&ts->cpu_slot);
	free(ts->last_time);
	free(ts);
}

const char *lg_text_source_format(const struct lg_text_source *ts)
{
	return ts->format;
}

const struct lg_input_stats *lg_text_source_stats(const struct lg_text_source *ts)
{
	return &ts->stats;
}

/* 1 with the next line (without its newline), 0 at the end, or an error. The
 * kernel never prints a NUL: one is damage, and would end a name early. */
static int next_line(struct lg_text_source *ts, const char **line, size_t *len,
		     struct lg_error *err)
{
	for (;;) {
		char *nl = memchr(ts->buf + ts->start, '\n', ts->end - ts->start);

		if (nl || (ts->eof && ts->start < ts->end)) {
			size_t stop = nl ? (size_t)(nl - ts->buf) : ts->end;
			const char *nul;

			*line = ts->buf + ts->start;
			*len = stop - ts->start;
			ts->start = nl ? stop + 1 : stop;
			ts->line_ended = nl;
			ts->lineno++;
			nul = memchr(*line, '\0', *len);
			if (nul)
				return lg_fail(err, EINVAL, "%s:%lu: a NUL byte at column %zu: "
					       "the kernel prints none, the file is damaged",
					       ts->path, (unsigned long)ts->lineno,
					       (size_t)(nul - *line) + 1);
			return 1;
		}
		if (ts->eof)
			return 0;
		if (ts->start > 0) {
			memmove(ts->buf, ts->buf + ts->start, ts->end - ts->start);
			ts->end -= ts->start;
			ts->start = 0;
		}
		if (ts->end == BUF_SIZE)
			return lg_fail(err, EINVAL, "%s:%lu: line longer than %d bytes",
				       ts->path, (unsigned long)ts->lineno + 1, BUF_SIZE);
		size_t n = fread(ts->buf + ts->end, 1, BUF_SIZE - ts->end, ts->f);

		if (n == 0) {
			if (ferror(ts->f))
				return lg_fail(err, EIO, "%s: read error after line %lu",
					       ts->path, (unsigned long)ts->lineno);
			ts->eof = true;
		}
		ts->end += n;
	}
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static bool skip_literal(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return false;
	c->p += n;
	return true;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Decimal digits into *val; false if there are none or they overflow. */
static bool parse_u64(struct cursor *c, uint64_t *val)
{
	const char *start = c->p;
	uint64_t v = 0;

	while (c->p < c->end && is_digit(*c->p)) {
		unsigned d = *c->p++ - '0';

		/* 19 digits always fit; only a 20th needs the check */
		if (c->p - start > 19 && v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*val = v;
	return c->p > start;
}

static int bad(struct lg_text_source *ts, struct lg_error *err, const char *what)
{
	return lg_fail(err, EINVAL, "%s:%lu: expected %s", ts->path,
		       (unsigned long)ts->lineno, what);
}

static int bad_cpu(struct lg_text_source *ts, struct lg_error *err, uint64_t cpu)
{
	return lg_fail(err, EINVAL, "%s:%lu: CPU %llu: no kernel has more than %d CPUs",
		       ts->path, (unsigned long)ts->lineno, (unsigned long long)cpu, LG_MAX_CPUS);
}

/*
 * "comm-pid": comm is right-aligned and may itself contain '-' or spaces, so
 * look for the first "-<digits> " followed by the tgid, CPU or latency column.
 */
static bool parse_task(struct cursor *c, struct lg_event *ev)
{
	skip_spaces(c);
	const char *comm = c->p;
	const char *limit = c->end - comm > 64 ? comm + 64 : c->end;

	for (const char *q = comm; q < limit; q++) {
		struct cursor d = { q + 1, c->end };
		uint64_t pid;

		if (*q != '-' || !parse_u64(&d, &pid) || d.p >= d.end || *d.p != ' ')
			continue;
		skip_spaces(&d);
		if (d.p < d.end && (*d.p == '[' || *d.p == '(' || is_digit(*d.p))) {
			if (pid > INT32_MAX)
				return false;
			ev->comm = comm;
			ev->comm_len = q - comm;
			ev->pid = pid;
			c->p = d.p;
			return true;
		}
	}
	return false;
}

static bool parse_ctx(char flag, struct lg_event *ev)
{
	switch (flag) {
	case '.': ev->ctx = LG_CTX_PROCESS; return true;
	case 's': ev->ctx = LG_CTX_SOFTIRQ; return true;
	case 'h': case 'H': ev->ctx = LG_CTX_HARDIRQ; return true;
	case 'z': case 'Z': ev->ctx = LG_CTX_NMI; return true;
	}
	return false;
}

static bool parse_irqs_off(char flag, struct lg_event *ev)
{
	switch (flag) {
	case '.': case 'X': ev->irqflags = 0; return true;
	case 'd': ev->irqflags = LG_IRQS_OFF; return true;
	case 'b': ev->irqflags = LG_BH_OFF; return true;
	case 'D': ev->irqflags = LG_IRQS_OFF | LG_BH_OFF; return true;
	}
	return false;
}

/* irqs-off, need-resched, hardirq/softirq, preempt-depth[, migrate-disable] */
static bool parse_flags(struct cursor *c, struct lg_event *ev)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	return (c->p - start == 4 || c->p - start == 5) &&
	       parse_irqs_off(start[0], ev) && parse_ctx(start[2], ev);
}

/* "[CPU] flags" (/trace), "[CPU]" (no irq-info, trace-cmd report) or "CPUflags"
 * (trace-cmd report -l). */
static int parse_cpu_and_flags(struct lg_text_source *ts, struct cursor *c,
			       struct lg_event *ev, struct lg_error *err)
{
	uint64_t cpu;
	bool bracket = skip_literal(c, "[");

	if (!parse_u64(c, &cpu))
		return bad(ts, err, "a CPU number");
	if (cpu >= LG_MAX_CPUS)
		return bad_cpu(ts, err, cpu);
	ev->cpu = cpu;
	ev->ctx = LG_CTX_PROCESS;
	if (bracket) {
		if (!skip_literal(c, "]"))
			return bad(ts, err, "']' after the CPU number");
		skip_spaces(c);
		if (c->p < c->end && is_digit(*c->p))
			ts->stats.no_irq_info++;
		else if (!parse_flags(c, ev))
			return bad(ts, err, "irq flags such as \"d.h2.\" after the CPU");
	} else if (!parse_flags(c, ev)) {
		return bad(ts, err, "latency flags such as \"0d.h2.\"");
	}
	skip_spaces(c);
	return 0;
}

/* "SECONDS[.FRACTION]:" into nanoseconds. */
static int parse_timestamp(struct lg_text_source *ts, struct cursor *c,
			   struct lg_event *ev, struct lg_error *err)
{
	uint64_t sec, frac = 0;
	int digits = 0;

	if (!parse_u64(c, &sec) || sec > UINT64_MAX / 1000000000ULL - 1)
		return bad(ts, err, "a timestamp");
	if (skip_literal(c, ".")) {
		while (c->p < c->end && is_digit(*c->p) && digits < 9) {
			frac = frac * 10 + (*c->p++ - '0');
			digits++;
		}
		if (digits == 0 || (c->p < c->end && is_digit(*c->p)))
			return bad(ts, err, "a timestamp with 1 to 9 decimals");
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (!skip_literal(c, ":"))
		return bad(ts, err, "':' after the timestamp");
	ev->time_ns = sec * 1000000000ULL + frac;
	return 0;
}

/* Each CPU's events are in time order in any trace the kernel or trace-cmd
 * prints; lines out of that order are an edit or two traces joined, and replay
 * would pair their acquisitions and releases wrongly. */
static int check_time_order(struct lg_text_source *ts, const struct lg_event *ev,
			    struct lg_error *err)
{
	uint32_t slot = lg_u64map_get(&ts->cpu_slot, ev->cpu);

	if (slot == LG_NONE) {
		LG_GROW(ts->last_time, ts->nr_cpus, ts->alloc_cpus);
		slot = ts->nr_cpus++;
		lg_u64map_put(&ts->cpu_slot, ev->cpu, slot);
	} else if (ev->time_ns < ts->last_time[slot]) {
		uint64_t was = ts->last_time[slot];

		return lg_fail(err, EINVAL, "%s:%lu: time goes back on CPU %u, from "
			       "%llu.%09llu to %llu.%09llu: lines out of order, or two "
			       "traces joined", ts->path, (unsigned long)ts->lineno, ev->cpu,
			       (unsigned long long)(was / 1000000000),
			       (unsigned long long)(was % 1000000000),
			       (unsigned long long)(ev->time_ns / 1000000000),
			       (unsigned long long)(ev->time_ns % 1000000000));
	}
	ts->last_time[slot] = ev->time_ns;
	return 0;
}

/* The value of a hex digit, or -1. */
static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* A printed %p: hashed (16 hex digits), raw or "0x"-prefixed (trace-cmd). */
static bool parse_hex(struct cursor *c, uint64_t *val)
{
	uint64_t v = 0;
	int digits = 0, x;

	skip_literal(c, "0x");
	for (; c->p < c->end && (x = hex_value(*c->p)) >= 0; c->p++, digits++)
		v = (v << 4) | (unsigned)x;
	*val = v;
	return digits > 0 && digits <= 16;
}

/* A lock's %p, or unprinted. */
static int parse_pointer(struct lg_text_source *ts, struct cursor *c,
			 struct lg_event *ev, bool *unaddressed, struct lg_error *err)
{
	*unaddressed = skip_literal(c, "(____ptrval____)");
	if (*unaddressed)
		return 0;
	if (!parse_hex(c, &ev->addr) || (c->p < c->end && *c->p != ' '))
		return bad(ts, err, "a lock address (hex pointer)");
	return 0;
}

static size_t trimmed_len(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\r' || end[-1] == '\t'))
		end--;
	return end - s;
}

/* Names of unaddressed events are not interned: they never become classes. */
static int parse_acquire(struct lg_text_source *ts, struct cursor *c,
			 struct lg_event *ev, bool intern, struct lg_error *err)
{
	skip_literal(c, " ");
	if (skip_literal(c, "try "))
		ev->flags |= LG_ACQ_TRY;
	if (skip_literal(c, "read "))
		ev->flags |= LG_ACQ_READ;
	size_t len = trimmed_len(c->p, c->end);

	if (len == 0)
		return bad(ts, err, "a lock class name after the address");
	if (intern)
		ev->class_name = lg_strtab_intern(ts->names, c->p, len);
	return 0;
}

/* lock_release and friends: the name is never used (an empty one is possible). */
static void check_name(struct lg_text_source *ts, struct cursor *c)
{
	skip_literal(c, " ");
	if (trimmed_len(c->p, c->end) == 0)
		ts->stats.names_dropped = true;
}

static int parse_contention_flags(struct lg_text_source *ts, struct cursor *c,
				  struct lg_event *ev, struct lg_error *err)
{
	static const char *const names[] = { "SPIN", "READ", "WRITE", "RT", "PERCPU", "MUTEX" };

	if (!skip_literal(c, " (flags="))
		return bad(ts, err, "\"(flags=...)\"");
	while (c->p < c->end && *c->p != ')') {
		const char *tok = c->p;
		size_t i;

		while (c->p < c->end && *c->p != '|' && *c->p != ')')
			c->p++;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if ((size_t)(c->p - tok) == strlen(names[i]) && !memcmp(tok, names[i], c->p - tok))
				break;
		if (i < sizeof(names) / sizeof(names[0]))
			ev->arg |= 1U << i;
		else if (c->p - tok > 2 && !memcmp(tok, "0x", 2))
			ev->arg |= strtoul(tok, NULL, 16);
		else
			return bad(ts, err, "contention flags SPIN|READ|WRITE|RT|PERCPU|MUTEX");
		skip_literal(c, "|");
	}
	if (!skip_literal(c, ")"))
		return bad(ts, err, "')' after the contention flags");
	return 0;
}

static int parse_contention_end(struct lg_text_source *ts, struct cursor *c,
				struct lg_event *ev, struct lg_error *err)
{
	bool neg;
	uint64_t v;

	if (!skip_literal(c, " (ret="))
		return bad(ts, err, "\"(ret=N)\"");
	neg = skip_literal(c, "-");
	if (!parse_u64(c, &v) || v > INT32_MAX || !skip_literal(c, ")"))
		return bad(ts, err, "\"(ret=N)\"");
	ev->arg = (uint32_t)(neg ? -(int32_t)v : (int32_t)v);
	return 0;
}

/* "mm=%p memcg_path=%s write=%s[ success=%s]" (6.1; later memcg_id=%llu) */
static int parse_mmap_lock(struct lg_text_source *ts, struct cursor *c, struct lg_event *ev,
			   enum lg_mmap_lock_point point, struct lg_error *err)
{
	struct lg_event mm = { 0 };
	bool unaddressed, write, success = true;
	const char *w, *s;
	int ret;

	if (!skip_literal(c, "mm="))
		return bad(ts, err, "\"mm=POINTER\"");
	ret = parse_pointer(ts, c, &mm, &unaddressed, err);
	if (ret)
		return ret;
	w = memmem(c->p, c->end - c->p, " write=", 7);
	s = memmem(c->p, c->end - c->p, " success=", 9);
	if (!w || (point == LG_MMAP_ACQUIRE_RETURNED && !s))
		return bad(ts, err, "\"write=true|false\" (and \"success=\" on acquire_returned)");
	write = !strncmp(w + 7, "true", 4);
	if (s)
		success = !strncmp(s + 9, "true", 4);
	if (unaddressed) {
		ts->stats.unaddressed++;
		return 2;
	}
	return lg_mmap_lock_event(&ts->mmap_lock, ev, point, mm.addr, write, success);
}

#define EVENT(name, kind) { name, sizeof(name) - 1, kind }
static const struct {
	const char *name;
	size_t len;
	enum lg_event_kind kind;
} lock_events[] = {
	EVENT("lock_acquire", LG_EV_ACQUIRE),
	EVENT("lock_release", LG_EV_RELEASE),
	EVENT("lock_contended", LG_EV_CONTENDED),
	EVENT("lock_acquired", LG_EV_ACQUIRED),
	EVENT("contention_begin", LG_EV_CONTENTION_BEGIN),
	EVENT("contention_end", LG_EV_CONTENTION_END),
};

#define NR_LOCK_EVENTS (sizeof(lock_events) / sizeof(lock_events[0]))

/* The index of the lock event called name, or NR_LOCK_EVENTS. */
static size_t find_lock_event(const char *name, size_t name_len)
{
	size_t i;

	for (i = 0; i < NR_LOCK_EVENTS; i++)
		if (lock_events[i].len == name_len &&
		    !memcmp(lock_events[i].name, name, name_len))
			break;
	return i;
}

/* One of the events this reader decodes, the mmap_lock ones included. */
static bool is_lock_event(const char *name, size_t name_len)
{
	return find_lock_event(name, name_len) < NR_LOCK_EVENTS ||
	       lg_mmap_lock_point(name, name_len) >= 0;
}

/* Does the rest of a line hold ": EVENT:" for a lock event? Then a newline was
 * lost and the line is two: the second event would be a class name or lost. */
static bool holds_lock_event(const struct cursor *c)
{
	for (const char *p = c->p; (p = memmem(p, c->end - p, ": ", 2)); p += 2) {
		const char *name = p + 2, *q = name;

		while (q < c->end && (isalnum((unsigned char)*q) || *q == '_'))
			q++;
		if (q < c->end && *q == ':' && is_lock_event(name, q - name))
			return true;
	}
	return false;
}

/* The text up to the next occurrence of lit, which is skipped: false if
 * there is none. The last one if last (a name may hold lit's words). */
static bool text_until(struct cursor *c, const char *lit, bool last, const char **s,
		       size_t *len)
{
	size_t n = strlen(lit);
	const char *at = memmem(c->p, c->end - c->p, lit, n);

	for (const char *q = at; last && q; q = memmem(q + 1, c->end - q - 1, lit, n))
		at = q;
	if (!at)
		return false;
	*s = c->p;
	*len = at - c->p;
	c->p = at + n;
	return true;
}

/* "driver=%s timeline=%s context=%u seqno=%u", as tracedat.c decodes it. */
static int parse_fence(struct lg_text_source *ts, struct cursor *c, struct lg_event *ev,
		       struct lg_error *err)
{
	const char *driver, *timeline;
	size_t dlen, tlen;
	uint64_t context, seqno;
	char name[256];

	if (!skip_literal(c, "driver=") || !text_until(c, " timeline=", false, &driver, &dlen) ||
	    !text_until(c, " context=", true, &timeline, &tlen) || !parse_u64(c, &context) ||
	    !skip_literal(c, " seqno=") || !parse_u64(c, &seqno) ||
	    context > UINT32_MAX || seqno > UINT32_MAX)
		return bad(ts, err, "\"driver=D timeline=T context=N seqno=N\" (a dma_fence event)");
	ev->object.object = LG_WAIT_FENCE;
	ev->object.instance = context << 32 | seqno;
	ev->object.name = lg_strtab_intern(ts->names, name, lg_wait_fence_name(name, sizeof(name),
							driver, dlen, timeline, tlen));
	return LINE_EVENT;
}

/* "work struct %p: function %ps" (execute_start, _end), or "work struct=%p
 * function=%ps workqueue=%s ..." (queue_work): the work item, and its
 * function's or its workqueue's name. A module's function is "f [mod]" in
 * the kernel's text, "f" as trace.dat's kallsyms give it. */
static int parse_work(struct lg_text_source *ts, struct cursor *c, struct lg_event *ev,
		      struct lg_error *err)
{
	bool queued = ev->kind == LG_EV_WORK_QUEUED;
	const char *name;
	size_t len;

	if (!skip_literal(c, queued ? "work struct=" : "work struct ") ||
	    !parse_hex(c, &ev->object.instance))
		return bad(ts, err, "\"work struct ADDRESS\" (a workqueue event)");
	ev->object.object = LG_WAIT_WORK;
	if (queued) {
		if (!text_until(c, " workqueue=", false, &name, &len) ||
		    !text_until(c, " req_cpu=", true, &name, &len))
			return bad(ts, err, "\"workqueue=NAME req_cpu=N\" (workqueue_queue_work)");
	} else {
		if (!skip_literal(c, ": function "))
			return LINE_EVENT;	/* before 5.? execute_end had no function */
		for (name = c->p; c->p < c->end && *c->p != ' ' && *c->p != '\r'; c->p++)
			;
		len = c->p - name;
	}
	if (len)
		ev->object.name = lg_strtab_intern(ts->names, name, len);
	return LINE_EVENT;
}

/* "comm=%s pid=%d prio=%d target_cpu=%03d": the task woken, in ev->arg. */
static int parse_waking(struct lg_text_source *ts, struct cursor *c, struct lg_event *ev,
			struct lg_error *err)
{
	const char *comm;
	size_t len;
	uint64_t pid;

	if (!skip_literal(c, "comm=") || !text_until(c, " pid=", true, &comm, &len) ||
	    !parse_u64(c, &pid) || pid > INT32_MAX)
		return bad(ts, err, "\"comm=COMM pid=N\" (sched_waking)");
	ev->kind = LG_EV_WAKING;
	ev->arg = pid;
	return LINE_EVENT;
}

/* The events of waits (analyze(1) "Waits and events"): 1 for one, 0 for
 * another event, or an error. record --preset wait's probes are not read
 * here (their callers are addresses, which only a trace.dat's kallsyms
 * name): counted, for a warning. */
static int parse_wait(struct lg_text_source *ts, struct cursor *c, const char *name,
		      size_t name_len, struct lg_event *ev, struct lg_error *err)
{
	static const struct { const char *name; uint8_t kind; } waits[] = {
		{ "dma_fence_wait_start", LG_EV_WAIT_BEGIN },
		{ "dma_fence_wait_end", LG_EV_WAIT_END },
		{ "dma_fence_signaled", LG_EV_SIGNAL },
		{ "workqueue_queue_work", LG_EV_WORK_QUEUED },
		{ "workqueue_execute_start", LG_EV_WORK_BEGIN },
		{ "workqueue_execute_end", LG_EV_SIGNAL },
	};
	size_t suffix = strlen(LG_PROBE_RETURN_SUFFIX);

	if (name_len == strlen(LG_WAIT_WAKING_EVENT) &&
	    !memcmp(name, LG_WAIT_WAKING_EVENT, name_len))
		return parse_waking(ts, c, ev, err);
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		if (strlen(waits[i].name) != name_len || memcmp(waits[i].name, name, name_len))
			continue;
		ev->kind = waits[i].kind;
		ev->object.name = LG_NONE;
		return name[0] == 'd' ? parse_fence(ts, c, ev, err) : parse_work(ts, c, ev, err);
	}
	if (name_len > suffix && !memcmp(name + name_len - suffix, LG_PROBE_RETURN_SUFFIX, suffix))
		name_len -= suffix;
	if (lg_wait_function(name, name_len))
		ts->stats.unread_wait_probes++;
	return 0;
}

/* 1 for a lock event, 0 for another event, 2 for a lock event without a usable
 * address (counted apart), or an error. */
static int parse_payload(struct lg_text_source *ts, struct cursor *c, const char *name,
			 size_t name_len, struct lg_event *ev, struct lg_error *err)
{
	size_t i = find_lock_event(name, name_len);
	bool unaddressed;
	int ret, point;

	if (i == NR_LOCK_EVENTS) {
		point = lg_mmap_lock_point(name, name_len);
		return point < 0 ? parse_wait(ts, c, name, name_len, ev, err) :
				   parse_mmap_lock(ts, c, ev, point, err);
	}

	ev->kind = lock_events[i].kind;
	ret = parse_pointer(ts, c, ev, &unaddressed, err);
	if (ret)
		return ret;
	switch (ev->kind) {
	case LG_EV_ACQUIRE:
		ret = parse_acquire(ts, c, ev, !unaddressed, err);
		break;
	case LG_EV_CONTENTION_BEGIN:
		ret = parse_contention_flags(ts, c, ev, err);
		break;
	case LG_EV_CONTENTION_END:
		ret = parse_contention_end(ts, c, ev, err);
		break;
	default:
		check_name(ts, c);
		break;
	}
	if (ret)
		return ret;
	if (unaddressed) {
		ts->stats.unaddressed++;
		return LINE_UNADDRESSED;
	}
	return LINE_EVENT;
}

static int parse_event_line(struct lg_text_source *ts, struct cursor *c,
			    struct lg_event *ev, struct lg_error *err)
{
	const char *name;
	int ret;

	if (!parse_task(c, ev))
		return bad(ts, err, "an event line \"TASK-PID [CPU] TIMESTAMP: EVENT: ...\"");
	if (skip_literal(c, "(")) {	/* tgid column: "(   1234)" or "(-------)" */
		while (c->p < c->end && *c->p != ')')
			c->p++;
		if (!skip_literal(c, ")"))
			return bad(ts, err, "')' closing the TGID column");
		skip_spaces(c);
	}
	ret = parse_cpu_and_flags(ts, c, ev, err);
	if (!ret)
		ret = parse_timestamp(ts, c, ev, err);
	if (!ret)
		ret = check_time_order(ts, ev, err);
	if (ret)
		return ret;
	skip_spaces(c);
	if (skip_literal(c, "<stack trace>"))	/* the kernel's kernel_stack */
		return LINE_STACK;
	name = c->p;
	while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '_'))
		c->p++;
	size_t name_len = c->p - name;

	if (skip_literal(c, ":")) {
		skip_spaces(c);
		if (holds_lock_event(c))
			return bad(ts, err, "one event a line, not a lock event after another "
				   "(two lines joined?)");
		if (name_len == 12 && !memcmp(name, "kernel_stack", 12))	/* trace-cmd's */
			return LINE_STACK;
		return parse_payload(ts, c, name, name_len, ev, err);
	}
	/* No ':' after the name: the function tracer's "FUNC <-PARENT" (or "FUNC"
	 * without print-parent), unless FUNC is a lock event's name and nothing
	 * says it is a function: then it is an event line cut after its name. */
	if (is_lock_event(name, name_len) && !skip_literal(c, " <-"))
		return bad(ts, err, "':' after the event name (is the line cut?)");
	return 0;
}

/* "CPU:N [LOST N EVENTS]" (kernel) or "CPU:N [N EVENTS DROPPED]" (trace-cmd),
 * either without N when the count is unknown. */
static int parse_lost(struct lg_text_source *ts, struct cursor *c,
		      struct lg_event *ev, struct lg_error *err)
{
	uint64_t cpu, n = 0;

	if (!parse_u64(c, &cpu) || !skip_literal(c, " ["))
		return bad(ts, err, "\"CPU:N [LOST N EVENTS]\"");
	if (cpu >= LG_MAX_CPUS)
		return bad_cpu(ts, err, cpu);
	if (skip_literal(c, "LOST ")) {
		if (!skip_literal(c, "EVENTS]") &&	/* the count is not always known */
		    (!parse_u64(c, &n) || !skip_literal(c, " EVENTS]")))
			return bad(ts, err, "\"CPU:N [LOST N EVENTS]\"");
	} else if (!skip_literal(c, "EVENTS DROPPED]")) {
		if (!parse_u64(c, &n) || !skip_literal(c, " EVENTS DROPPED]"))
			return bad(ts, err, "\"CPU:N [N EVENTS DROPPED]\"");
	}
	ev->kind = LG_EV_LOST;
	ev->cpu = cpu;
	ev->arg = n > UINT32_MAX ? UINT32_MAX : n;
	lg_input_stats_lost(&ts->stats, ev->cpu, n);
	return 1;
}

/*
 * trace-cmd report prefixes the events of a buffer instance with "NAME: ";
 * an event line never starts with a word ending in ':' (its task is "comm-pid").
 */
static void skip_instance_name(struct cursor *c)
{
	const char *p = c->p;

	while (p < c->end && *p != ' ')
		p++;
	if (p > c->p + 1 && p[-1] == ':' && p < c->end && (p - c->p < 4 || memcmp(c->p, "CPU:", 4))) {
		c->p = p;
		skip_spaces(c);
	}
}

/* 1 for an event, 0 for a line without one (header, comment, other event). */
static int parse_line(struct lg_text_source *ts, const char *line, size_t len,
		      struct lg_event *ev, struct lg_error *err)
{
	struct cursor c = { line, line + len };

	memset(ev, 0, sizeof(*ev));
	skip_instance_name(&c);
	skip_spaces(&c);
	if (c.p == c.end || *c.p == '#' || *c.p == '\r')
		return 0;
	if (skip_literal(&c, "=>")) {	/* a stack's frame: " => f+0x1/0x2" or "=> f (ADDR)" */
		skip_spaces(&c);
		ts->frame = c.p;
		while (c.p < c.end && *c.p != ' ' && *c.p != '\r')
			c.p++;
		ts->frame_len = c.p - ts->frame;
		return ts->frame_len ? LINE_FRAME : LINE_NONE;
	}
	if (skip_literal(&c, "CPU:"))
		return parse_lost(ts, &c, ev, err);
	if (skip_literal(&c, "cpus=")) {
		ts->format = "trace-cmd-report";
		return 0;
	}
	if ((size_t)(c.end - c.p) > 4 && !memcmp(c.p, "CPU ", 4) &&
	    memmem(c.p, c.end - c.p, " is empty", 9))	/* not a task "CPU 0/KVM" */
		return 0;

	int ret = parse_event_line(ts, &c, ev, err);

	if (ret == LINE_EVENT)
		ts->stats.events++;
	else if (ret == LINE_NONE || ret == LINE_STACK)
		ts->stats.skipped++;
	return ret == LINE_UNADDRESSED ? LINE_NONE : ret;
}

/* The next line that holds something: LINE_EVENT (in *ev), LINE_STACK (its
 * task, CPU and context in *ev), LINE_FRAME; 0 at the end, or an error. */
static int next_item(struct lg_text_source *ts, struct lg_event *ev, struct lg_error *err)
{
	const char *line = NULL;
	size_t len = 0;
	int ret;

	while ((ret = next_line(ts, &line, &len, err)) == 1) {
		uint64_t events = ts->stats.events + ts->stats.skipped + ts->stats.unaddressed;

		ret = parse_line(ts, line, len, ev, err);
		if (ret < 0)
			return ret;
		/* the kernel ends every line: one without its newline was cut */
		if (!ts->line_ended && (ret == LINE_FRAME ||
		    ts->stats.events + ts->stats.skipped + ts->stats.unaddressed != events))
			return lg_fail(err, EINVAL, "%s:%lu: the last line has no newline: "
				       "the file ends inside an event", ts->path,
				       (unsigned long)ts->lineno);
		if (ret)
			return ret;
	}
	return ret;
}

int lg_text_source_next(struct lg_text_source *ts, struct lg_event *ev,
			struct lg_error *err)
{
	int ret;

	while ((ret = next_item(ts, ev, err)) > 0)
		if (ret == LINE_EVENT)
			return 1;
	return ret;
}

/* A frame of the stack being read, unless one of its top ones skipped. */
static void add_frame(struct lg_text_source *ts)
{
	char name[256];
	size_t len = ts->frame_len < sizeof(name) ? ts->frame_len : sizeof(name) - 1;

	memcpy(name, ts->frame, len);
	name[len] = '\0';
	if (!ts->past_top && lg_stack_skips(name))
		return;
	ts->past_top = true;
	if (ts->nr_frames < LG_STACK_MAX)
		ts->frames[ts->nr_frames++] = lg_site_ref(lg_strtab_intern(ts->names, name, len));
}

/* The stack read so far goes to the acquisition in flight in its context. */
static void end_stack(struct lg_text_source *ts)
{
	if (ts->in_stack)
		lg_class_keys_stack(&ts->stacks, ts->stack_of.cpu, ts->stack_of.ctx, ts->frames,
				    ts->nr_frames);
	ts->in_stack = false;
}

/* Each stack follows its acquisition's event, on the same CPU in the same
 * context: class_keys.h pairs them as it does record's probe events. */
int lg_text_source_read(struct lg_text_source *ts, lg_event_fn fn, void *arg,
			struct lg_error *err)
{
	struct lg_event ev;
	int ret;

	lg_class_keys_init(&ts->stacks, ts->names, false, false, false, fn, arg);
	while ((ret = next_item(ts, &ev, err)) > 0) {
		if (ret != LINE_FRAME)
			end_stack(ts);
		if (ret == LINE_EVENT) {
			lg_class_keys_event(&ts->stacks, &ev);
		} else if (ret == LINE_STACK) {
			ts->stack_of = ev;
			ts->in_stack = true;
			ts->past_top = false;
			ts->nr_frames = 0;
		} else if (ts->in_stack) {
			add_frame(ts);
		}
	}
	if (!ret) {
		end_stack(ts);
		lg_class_keys_flush(&ts->stacks);
		ts->stats.unpaired += ts->stacks.unpaired;
		ts->stats.unwinder = ts->stacks.unwinder;
	}
	lg_class_keys_release(&ts->stacks);
	return ret;
}

