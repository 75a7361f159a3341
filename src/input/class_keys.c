/* Completes each lock_acquire with its class key and arguments; see class_keys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/class_keys.h"
#include "lockgraph/lib/util.h"

/*
 * Between a lock_acquire event and its key and arguments, which lockgraph
 * record's probes write right after it (probe_names.h), nothing else of that
 * CPU and irq context can run: the tracepoint's callbacks run with preemption
 * off, and an irq or NMI that comes between writes in a context of its own.
 * So each CPU has one acquisition in flight per context, and a key or
 * arguments belong to the acquisition in flight in theirs, or to none.
 */
struct lg_class_keys_slot {
	struct lg_event ev;		/* the acquisition held back */
	bool held, have_key, have_args;
	uint64_t key;
	struct lg_wait_types wait;
	struct lg_acquire_args args;
};

struct lg_class_keys_cpu {
	struct lg_class_keys_slot ctx[LG_NR_CTX];
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

static struct lg_class_keys_slot *slot_of(struct lg_class_keys *k, uint32_t cpu,
					    enum lg_ctx ctx)
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

/* Pass on the acquisition held in slot i (cpu * LG_NR_CTX + ctx), if any,
 * with what has come of its key and arguments. */
static void pass_held(struct lg_class_keys *k, uint32_t i)
{
	struct lg_class_keys_slot *c;

	if (i / LG_NR_CTX >= k->nr_cpus)
		return;
	c = &k->cpus[i / LG_NR_CTX].ctx[i % LG_NR_CTX];
	if (!c->held)
		return;
	c->held = false;
	for (uint32_t h = 0; h < k->nr_held; h++) {
		if (k->held[h] == i) {
			k->held[h] = k->held[--k->nr_held];
			break;
		}
	}
	if ((k->want_key && !c->have_key) || (k->want_args && !c->have_args))
		k->incomplete++;
	complete(k, c);
	k->fn(&c->ev, k->arg);
}

static void pass_if_complete(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx)
{
	struct lg_class_keys_slot *c = &k->cpus[cpu].ctx[ctx];

	if ((!k->want_key || c->have_key) && (!k->want_args || c->have_args))
		pass_held(k, cpu * LG_NR_CTX + ctx);
}

/* Whatever is in flight on the CPU: lost events may have taken its key or
 * arguments. */
static void pass_cpu(struct lg_class_keys *k, uint32_t cpu)
{
	for (int ctx = 0; ctx < LG_NR_CTX; ctx++)
		pass_held(k, cpu * LG_NR_CTX + ctx);
}

void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev)
{
	uint64_t task = lg_event_task(ev);
	struct lg_class_keys_slot *c;

	if (ev->kind == LG_EV_LOST)
		pass_cpu(k, ev->cpu);
	else
		pass_held(k, ev->cpu * LG_NR_CTX + ev->ctx);
	/* a task that moved on to another CPU: its acquisition comes first */
	for (uint32_t i = 0; ev->ctx == LG_CTX_PROCESS && i < k->nr_held; i++) {
		uint32_t held = k->held[i];

		if (held % LG_NR_CTX == LG_CTX_PROCESS &&
		    lg_event_task(&k->cpus[held / LG_NR_CTX].ctx[LG_CTX_PROCESS].ev) == task) {
			pass_held(k, held);
			break;
		}
	}
	if (ev->kind != LG_EV_ACQUIRE ||
	    (ev->flags & (LG_ACQ_MMAP_LOCK | LG_ACQ_USER | LG_ACQ_SYNC))) {
		k->fn(ev, k->arg);
		return;
	}
	c = slot_of(k, ev->cpu, ev->ctx);
	*c = (struct lg_class_keys_slot){ .ev = *ev, .held = true };
	k->held[k->nr_held++] = ev->cpu * LG_NR_CTX + ev->ctx;
	pass_if_complete(k, ev->cpu, ev->ctx);
}

/* The acquisition in flight that a probe event of cpu and ctx completes, or
 * NULL: then the event is dropped and counted, never given to another. */
static struct lg_class_keys_slot *in_flight(struct lg_class_keys *k, uint32_t cpu,
					    enum lg_ctx ctx)
{
	struct lg_class_keys_slot *c = cpu < k->nr_cpus ? &k->cpus[cpu].ctx[ctx] : NULL;

	if (c && c->held)
		return c;
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
	pass_if_complete(k, cpu, ctx);
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
	pass_if_complete(k, cpu, ctx);
}

void lg_class_keys_flush(struct lg_class_keys *k)
{
	while (k->nr_held)
		pass_held(k, k->held[0]);
}
