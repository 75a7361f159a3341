/* Completes each lock_acquire with its class key and arguments; see class_keys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/class_keys.h"
#include "lockgraph/lib/util.h"

/*
 * Between a lock_acquire event and its key, stack and arguments, which
 * lockgraph record's probes and trigger write right after it (probe_names.h),
 * nothing else of that CPU and irq context can run: the tracepoint's
 * callbacks run with preemption off, and an irq or NMI that comes between
 * writes in a context of its own. So each CPU has one acquisition in flight
 * per context, and a key or arguments belong to the acquisition in flight in
 * theirs, or to none.
 *
 * But for the tracing's own: the stacktrace trigger's unwinder, walking a
 * module's frames, takes rcu_read_lock (__is_insn_slot_addr()), whose
 * lock_acquire is traced too, inside the first one's callbacks, before its
 * stack and arguments. Such an acquisition is held on top of the one it came
 * inside (up to LG_NEST deep), so that what comes for it is its own, and
 * then dropped with its release: the tracing's locking, not the traced
 * code's (see nesting()).
 */
#define LG_NEST 4
#define LG_NESTED 16	/* nested ones dropped whose releases are to come */

struct lg_class_keys_slot {
	struct lg_event ev;		/* the acquisition held back */
	bool have_key, have_args, have_stack;
	uint64_t key;
	struct lg_wait_types wait;
	struct lg_acquire_args args;
	uint32_t stack[LG_STACK_MAX];
	uint32_t stack_nr;
	char comm[32];			/* ev.comm's copy: a reader's buffer moves on */
};

/* What a CPU's irq context holds back: the acquisition in flight, and those
 * taken inside its callbacks above it; the maps of nested ones dropped,
 * whose releases are to be dropped too. */
struct lg_class_keys_ctx {
	struct lg_class_keys_slot nest[LG_NEST];
	uint32_t depth, nr_nested;
	uint64_t nested[LG_NESTED];
};

struct lg_class_keys_cpu {
	struct lg_class_keys_ctx ctx[LG_NR_CTX];
};

void lg_class_keys_init(struct lg_class_keys *k, struct lg_strtab *names, bool keys,
			bool args, bool set_class, lg_event_fn fn, void *arg)
{
	memset(k, 0, sizeof(*k));
	k->names = names;
	k->want_key = keys;
	k->want_args = args;
	k->set_class_seen = set_class;
	k->fn = fn;
	k->arg = arg;
	lg_u64map_init(&k->by_key);
	lg_u64map_init(&k->keys_of_name);
}

void lg_class_keys_release(struct lg_class_keys *k)
{
	free(k->cpus);
	free(k->held);
	lg_u64map_release(&k->by_key);
	lg_u64map_release(&k->keys_of_name);
}

static struct lg_class_keys_ctx *ctx_of(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx)
{
	uint32_t n = k->nr_cpus;

	if (cpu >= n) {
		while (n <= cpu)
			n = n ? 2 * n : 8;
		k->cpus = lg_xrealloc(k->cpus, n * sizeof(*k->cpus));
		k->held = lg_xrealloc(k->held, n * LG_NR_CTX * sizeof(*k->held));
		memset(k->cpus + k->nr_cpus, 0, (n - k->nr_cpus) * sizeof(*k->cpus));
		k->nr_cpus = n;
	}
	return &k->cpus[cpu].ctx[ctx];
}

static uint32_t intern(struct lg_class_keys *k, const char *fmt, uint32_t base, uint32_t n)
{
	char buf[512];
	int len = snprintf(buf, sizeof(buf), fmt, lg_strtab_str(k->names, base), n);

	return lg_strtab_intern(k->names, buf, len < (int)sizeof(buf) ? (size_t)len : sizeof(buf) - 1);
}

/* The first key seen with a name keeps it; the next ones are "name#2"... */
static uint32_t class_of_key(struct lg_class_keys *k, uint32_t name, uint64_t key)
{
	uint32_t class = lg_u64map_get(&k->by_key, key), seen;

	if (class != LG_NONE)
		return class;
	seen = lg_u64map_get(&k->keys_of_name, name);
	seen = seen == LG_NONE ? 0 : seen;
	lg_u64map_put(&k->keys_of_name, name, seen + 1);
	class = seen ? intern(k, "%s#%u", name, seen + 1) : name;
	lg_u64map_put(&k->by_key, key, class);
	return class;
}

/*
 * A static lock (DEFINE_MUTEX and the like) has no key until lockdep first
 * registers it, after the tracepoint: then its key is its address. Key 0 is
 * that first acquisition, which keeps its name's class.
 */
uint32_t lg_class_keys_class(struct lg_class_keys *k, uint32_t name, uint64_t key,
			     uint32_t subclass)
{
	uint32_t class = k->want_key && key ? class_of_key(k, name, key) : name;

	return subclass ? intern(k, "%s/%u", class, subclass) : class;
}

static void complete(struct lg_class_keys *k, struct lg_class_keys_slot *c)
{
	struct lg_event *ev = &c->ev;

	if (c->have_key && c->key)
		ev->class_name = class_of_key(k, ev->class_name, c->key);
	if (c->have_key)
		ev->wait = c->wait;
	if (c->have_stack) {
		ev->stack = c->stack;
		ev->stack_nr = c->stack_nr;
	}
	if (!c->have_args)
		return;
	ev->site = c->args.site;
	if (c->args.subclass)
		ev->class_name = intern(k, "%s/%u", ev->class_name, c->args.subclass);
	ev->flags &= ~(LG_ACQ_READ | LG_ACQ_RECURSIVE);
	ev->flags |= LG_ACQ_EXACT | (c->args.read ? LG_ACQ_READ : 0) |
		     (c->args.read == 2 ? LG_ACQ_RECURSIVE : 0) |
		     (c->args.check ? 0 : LG_ACQ_NOVALIDATE) | (c->args.nest ? LG_ACQ_NEST : 0) |
		     (c->args.subclass ? LG_ACQ_SUBCLASSED : 0) |
		     (k->set_class_seen ? LG_ACQ_CLASS_SEEN : 0);
}

static struct lg_class_keys_ctx *held_ctx(struct lg_class_keys *k, uint32_t i)
{
	return &k->cpus[i / LG_NR_CTX].ctx[i % LG_NR_CTX];
}

/* lock_sync(): no key or arguments come for it, only a stack. */
static bool is_sync(const struct lg_class_keys_slot *c)
{
	return c->ev.flags & LG_ACQ_SYNC;
}

static void pass(struct lg_class_keys *k, struct lg_class_keys_slot *c)
{
	if (!is_sync(c) && ((k->want_key && !c->have_key) || (k->want_args && !c->have_args)))
		k->incomplete++;
	complete(k, c);
	c->ev.comm = c->comm;	/* here: the slots move when a new CPU grows them */
	k->fn(&c->ev, k->arg);
}

static void unlist(struct lg_class_keys *k, uint32_t i)
{
	for (uint32_t h = 0; h < k->nr_held; h++) {
		if (k->held[h] == i) {
			k->held[h] = k->held[--k->nr_held];
			break;
		}
	}
}

/* Pass on the acquisition held in context i (cpu * LG_NR_CTX + ctx), with
 * what has come of its key, stack and arguments, and drop those nested in
 * it. */
static void pass_held(struct lg_class_keys *k, uint32_t i)
{
	struct lg_class_keys_ctx *x;
	uint32_t depth;

	if (i / LG_NR_CTX >= k->nr_cpus || !(x = held_ctx(k, i))->depth)
		return;
	depth = x->depth;
	x->depth = x->nr_nested = 0;
	unlist(k, i);
	pass(k, &x->nest[0]);
	k->unwinder += depth - 1;	/* nested: the tracing's own, not the code's */
}

/* On with the innermost acquisition held in context i, complete or not, or,
 * nested, drop it: its release, unless that is what ends it, is to come. */
static void pass_innermost(struct lg_class_keys *k, uint32_t i, bool released)
{
	struct lg_class_keys_ctx *x = held_ctx(k, i);
	struct lg_class_keys_slot *c = &x->nest[x->depth - 1];

	if (--x->depth) {
		if (!released && x->nr_nested < LG_NESTED)
			x->nested[x->nr_nested++] = c->ev.addr;
		k->unwinder++;
		return;
	}
	unlist(k, i);
	x->nr_nested = 0;
	pass(k, c);
}

/* On with the innermost acquisition in flight in context i if complete:
 * its stack comes before its arguments (the trigger runs in the event's own
 * callback, the probe after it), so with arguments it needs no stack (one
 * the unwinder took inside another's has none). */
static void pass_if_complete(struct lg_class_keys *k, uint32_t i)
{
	struct lg_class_keys_ctx *x = held_ctx(k, i);
	struct lg_class_keys_slot *c = &x->nest[x->depth - 1];

	if (is_sync(c) ? !c->have_stack :
			 (k->want_key && !c->have_key) || (k->want_args && !c->have_args) ||
			 (k->want_stack && !k->want_args && !c->have_stack))
		return;
	pass_innermost(k, i, false);
}

/* Whatever is in flight on the CPU: lost events may have taken its key or
 * arguments. */
static void pass_cpu(struct lg_class_keys *k, uint32_t cpu)
{
	for (int ctx = 0; ctx < LG_NR_CTX; ctx++)
		pass_held(k, cpu * LG_NR_CTX + ctx);
}

/* What ev, of context x, is to the acquisitions held there. */
enum nesting {
	OUTSIDE,	/* after them: they are passed on before it */
	INSIDE,		/* inside the innermost's callbacks: it leaves them held */
	ENDS_INNERMOST,	/* the release of the innermost, nested one */
};

/*
 * Inside: a read rcu_read_lock acquisition before the stack of the
 * innermost acquisition (and before its arguments, where they are recorded),
 * or the release of one dropped (first: one held may have the same map);
 * the release of the innermost nested one ends it. The unwinder's maps are
 * all rcu_lock_map: releases tell them apart only by count. Without
 * arguments (a text trace), a read
 * rcu_read_lock of the code, after an acquisition that gets no stack
 * (--stacks=GLOB), is taken as the unwinder's: see lg_class_keys_stack().
 */
static enum nesting nesting(const struct lg_class_keys *k, struct lg_class_keys_ctx *x,
			    const struct lg_event *ev)
{
	const struct lg_class_keys_slot *c = &x->nest[x->depth - 1];

	if (!k->want_stack)
		return OUTSIDE;
	if (ev->kind == LG_EV_RELEASE) {
		for (uint32_t j = 0; j < x->nr_nested; j++) {
			if (x->nested[j] == ev->addr) {
				x->nested[j] = x->nested[--x->nr_nested];
				return INSIDE;
			}
		}
		return x->depth > 1 && c->ev.addr == ev->addr ? ENDS_INNERMOST : OUTSIDE;
	}
	if (ev->kind != LG_EV_ACQUIRE || !(ev->flags & LG_ACQ_READ) || c->have_stack ||
	    (k->want_args && c->have_args) || x->depth == LG_NEST ||
	    strcmp(lg_strtab_str(k->names, ev->class_name), "rcu_read_lock"))
		return OUTSIDE;
	return INSIDE;
}

void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev)
{
	uint32_t here = ev->cpu * LG_NR_CTX + ev->ctx;
	uint64_t task = lg_event_task(ev);
	enum nesting n = OUTSIDE;
	struct lg_class_keys_ctx *x;
	struct lg_class_keys_slot *c;

	if (ev->kind == LG_EV_LOST)
		pass_cpu(k, ev->cpu);
	else if (ev->cpu < k->nr_cpus && held_ctx(k, here)->depth)
		n = nesting(k, held_ctx(k, here), ev);
	if (n == ENDS_INNERMOST) {
		pass_innermost(k, here, true);
		return;
	}
	if (n == INSIDE && ev->kind != LG_EV_ACQUIRE)
		return;		/* the unwinder's, as its acquisitions */
	if (n == OUTSIDE)
		pass_held(k, here);
	/* a task that moved on to another CPU: its acquisition comes first */
	for (uint32_t i = 0; ev->ctx == LG_CTX_PROCESS && i < k->nr_held; i++) {
		uint32_t held = k->held[i];

		if (held != here && held % LG_NR_CTX == LG_CTX_PROCESS &&
		    lg_event_task(&held_ctx(k, held)->nest[0].ev) == task) {
			pass_held(k, held);
			break;
		}
	}
	if (ev->kind != LG_EV_ACQUIRE || (ev->flags & (LG_ACQ_MMAP_LOCK | LG_ACQ_USER)) ||
	    ((ev->flags & LG_ACQ_SYNC) && !k->want_stack)) {
		k->fn(ev, k->arg);
		return;
	}
	x = ctx_of(k, ev->cpu, ev->ctx);
	c = &x->nest[x->depth++];
	*c = (struct lg_class_keys_slot){ .ev = *ev };
	c->ev.comm_len = ev->comm_len < sizeof(c->comm) ? ev->comm_len : sizeof(c->comm);
	if (c->ev.comm_len)
		memcpy(c->comm, ev->comm, c->ev.comm_len);
	if (x->depth == 1)
		k->held[k->nr_held++] = here;
	pass_if_complete(k, here);
}

/* The acquisition in flight that a probe event of cpu and ctx completes, or
 * NULL: then the event is dropped and counted, never given to another. */
static struct lg_class_keys_slot *in_flight(struct lg_class_keys *k, uint32_t cpu,
					    enum lg_ctx ctx)
{
	struct lg_class_keys_ctx *x = cpu < k->nr_cpus ? &k->cpus[cpu].ctx[ctx] : NULL;

	if (x && x->depth)
		return &x->nest[x->depth - 1];
	k->unpaired++;
	return NULL;
}

void lg_class_keys_key(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx, uint64_t key,
		       const struct lg_wait_types *wait)
{
	struct lg_class_keys_slot *c = in_flight(k, cpu, ctx);

	if (!c)
		return;
	if (c->have_key) {
		k->unpaired++;
		return;
	}
	c->key = key;
	c->wait = wait ? *wait : (struct lg_wait_types){ 0 };
	c->have_key = true;
	pass_if_complete(k, cpu * LG_NR_CTX + ctx);
}

void lg_class_keys_args(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx,
			const struct lg_acquire_args *a)
{
	struct lg_class_keys_slot *c = in_flight(k, cpu, ctx);

	if (!c)
		return;
	if (c->have_args || c->ev.addr != a->lock) {
		k->unpaired++;
		return;
	}
	c->args = *a;
	c->have_args = true;
	pass_if_complete(k, cpu * LG_NR_CTX + ctx);
}

void lg_class_keys_stack(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx,
			 const uint32_t *frames, uint32_t nr)
{
	struct lg_class_keys_slot *c;

	k->want_stack = true;
	c = in_flight(k, cpu, ctx);
	if (!c)
		return;
	if (c->have_stack) {
		k->unpaired++;
		return;
	}
	c->stack_nr = nr < LG_STACK_MAX ? nr : LG_STACK_MAX;
	memcpy(c->stack, frames, c->stack_nr * sizeof(*frames));
	c->have_stack = true;
	pass_if_complete(k, cpu * LG_NR_CTX + ctx);
}

void lg_class_keys_flush(struct lg_class_keys *k)
{
	while (k->nr_held)
		pass_held(k, k->held[0]);
}
