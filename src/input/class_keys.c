/* Completes each lock_acquire with its class key and arguments; see class_keys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/class_keys.h"
#include "lockgraph/lib/util.h"

/* Arguments that came before their acquisition, one per irq context that
 * may interrupt another between the two. */
#define MAX_EARLY LG_NR_CTX

struct lg_class_keys_cpu {
	struct lg_event ev;		/* the acquisition held back */
	bool held, have_key, have_args;
	uint64_t key;
	struct lg_wait_types wait;
	struct lg_acquire_args args;
	struct lg_acquire_args early[MAX_EARLY];	/* innermost last */
	uint8_t nr_early;
};

void lg_class_keys_init(struct lg_class_keys *k, struct lg_strtab *names, bool keys,
			bool args, lg_event_fn fn, void *arg)
{
	memset(k, 0, sizeof(*k));
	k->names = names;
	k->want_key = keys;
	k->want_args = args;
	k->fn = fn;
	k->arg = arg;
	lg_u64map_init(&k->by_key);
	lg_u64map_init(&k->keys_of_name);
}

void lg_class_keys_release(struct lg_class_keys *k)
{
	free(k->cpus);
	free(k->held_cpus);
	lg_u64map_release(&k->by_key);
	lg_u64map_release(&k->keys_of_name);
}

static struct lg_class_keys_cpu *cpu_of(struct lg_class_keys *k, uint32_t cpu)
{
	uint32_t n = k->nr_cpus;

	if (cpu >= n) {
		while (n <= cpu)
			n = n ? 2 * n : 8;
		k->cpus = lg_xrealloc(k->cpus, n * sizeof(*k->cpus));
		k->held_cpus = lg_xrealloc(k->held_cpus, n * sizeof(*k->held_cpus));
		memset(k->cpus + k->nr_cpus, 0, (n - k->nr_cpus) * sizeof(*k->cpus));
		k->nr_cpus = n;
	}
	return &k->cpus[cpu];
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
static void complete(struct lg_class_keys *k, struct lg_class_keys_cpu *c)
{
	struct lg_event *ev = &c->ev;

	if (c->have_key && c->key)
		ev->class_name = class_of_key(k, ev->class_name, c->key);
	if (c->have_key)
		ev->wait = c->wait;
	if (!c->have_args)
		return;
	if (c->args.subclass)
		ev->class_name = intern(k, "%s/%u", ev->class_name, c->args.subclass);
	ev->flags &= ~(LG_ACQ_READ | LG_ACQ_RECURSIVE);
	ev->flags |= LG_ACQ_EXACT | (c->args.read ? LG_ACQ_READ : 0) |
		     (c->args.read == 2 ? LG_ACQ_RECURSIVE : 0) |
		     (c->args.check ? 0 : LG_ACQ_NOVALIDATE) | (c->args.nest ? LG_ACQ_NEST : 0);
}

static void pass_held(struct lg_class_keys *k, uint32_t cpu)
{
	struct lg_class_keys_cpu *c;

	if (cpu >= k->nr_cpus || !k->cpus[cpu].held)
		return;
	c = &k->cpus[cpu];
	c->held = false;
	for (uint32_t i = 0; i < k->nr_held; i++) {
		if (k->held_cpus[i] == cpu) {
			k->held_cpus[i] = k->held_cpus[--k->nr_held];
			break;
		}
	}
	complete(k, c);
	k->fn(&c->ev, k->arg);
}

static void pass_if_complete(struct lg_class_keys *k, uint32_t cpu)
{
	struct lg_class_keys_cpu *c = &k->cpus[cpu];

	if ((!k->want_key || c->have_key) && (!k->want_args || c->have_args))
		pass_held(k, cpu);
}

/*
 * The early arguments of the lock acquired now: the innermost for it. Any
 * inside them belong to acquisitions that never came (an irq's, cut short by
 * lost events): dropped with them.
 */
static bool take_early(struct lg_class_keys_cpu *c, uint64_t lock)
{
	for (uint8_t i = c->nr_early; i-- > 0;) {
		if (c->early[i].lock == lock) {
			c->args = c->early[i];
			c->nr_early = i;
			return true;
		}
	}
	return false;
}

static void put_early(struct lg_class_keys_cpu *c, const struct lg_acquire_args *a)
{
	if (c->nr_early == MAX_EARLY)
		memmove(c->early, c->early + 1, --c->nr_early * sizeof(c->early[0]));
	c->early[c->nr_early++] = *a;
}

void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev)
{
	uint64_t task = lg_event_task(ev);
	struct lg_class_keys_cpu *c;

	pass_held(k, ev->cpu);
	/* a task that moved on to another CPU: its acquisition comes first */
	for (uint32_t i = 0; i < k->nr_held; i++) {
		if (lg_event_task(&k->cpus[k->held_cpus[i]].ev) == task) {
			pass_held(k, k->held_cpus[i]);
			break;
		}
	}
	if (ev->kind != LG_EV_ACQUIRE || (ev->flags & (LG_ACQ_MMAP_LOCK | LG_ACQ_USER))) {
		k->fn(ev, k->arg);
		return;
	}
	c = cpu_of(k, ev->cpu);
	c->ev = *ev;
	c->held = true;
	c->have_key = false;
	c->have_args = take_early(c, ev->addr);
	k->held_cpus[k->nr_held++] = ev->cpu;
	pass_if_complete(k, ev->cpu);
}

void lg_class_keys_key(struct lg_class_keys *k, uint32_t cpu, uint64_t key,
		       const struct lg_wait_types *wait)
{
	if (cpu >= k->nr_cpus || !k->cpus[cpu].held)
		return;
	k->cpus[cpu].key = key;
	k->cpus[cpu].wait = wait ? *wait : (struct lg_wait_types){ 0 };
	k->cpus[cpu].have_key = true;
	pass_if_complete(k, cpu);
}

void lg_class_keys_args(struct lg_class_keys *k, uint32_t cpu, const struct lg_acquire_args *a)
{
	struct lg_class_keys_cpu *c = cpu_of(k, cpu);

	if (!c->held || c->have_args || c->ev.addr != a->lock) {
		put_early(c, a);	/* its acquisition is yet to come */
		return;
	}
	c->args = *a;
	c->have_args = true;
	pass_if_complete(k, cpu);
}

void lg_class_keys_flush(struct lg_class_keys *k)
{
	while (k->nr_held)
		pass_held(k, k->held_cpus[0]);
}
