/* Pairs each lock_acquire with the class key its eprobe read; see class_keys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/class_keys.h"
#include "lockgraph/util.h"

void lg_class_keys_init(struct lg_class_keys *k, struct lg_strtab *names, lg_event_fn fn,
			void *arg)
{
	memset(k, 0, sizeof(*k));
	k->names = names;
	k->fn = fn;
	k->arg = arg;
	lg_u64map_init(&k->by_key);
	lg_u64map_init(&k->keys_of_name);
}

void lg_class_keys_release(struct lg_class_keys *k)
{
	free(k->pending);
	free(k->held);
	free(k->held_cpus);
	lg_u64map_release(&k->by_key);
	lg_u64map_release(&k->keys_of_name);
}

static void room_for(struct lg_class_keys *k, uint32_t cpu)
{
	uint32_t n = k->nr_cpus;

	if (cpu < n)
		return;
	while (n <= cpu)
		n = n ? 2 * n : 8;
	k->pending = lg_xrealloc(k->pending, n * sizeof(*k->pending));
	k->held = lg_xrealloc(k->held, n * sizeof(*k->held));
	k->held_cpus = lg_xrealloc(k->held_cpus, n * sizeof(*k->held_cpus));
	memset(k->held + k->nr_cpus, 0, (n - k->nr_cpus) * sizeof(*k->held));
	k->nr_cpus = n;
}

static void pass_held(struct lg_class_keys *k, uint32_t cpu)
{
	if (cpu >= k->nr_cpus || !k->held[cpu])
		return;
	k->held[cpu] = false;
	for (uint32_t i = 0; i < k->nr_held; i++) {
		if (k->held_cpus[i] == cpu) {
			k->held_cpus[i] = k->held_cpus[--k->nr_held];
			break;
		}
	}
	k->fn(&k->pending[cpu], k->arg);
}

/* The first key seen with a name keeps it; the next ones are "name#2"... */
static uint32_t class_of_key(struct lg_class_keys *k, uint32_t name, uint64_t key)
{
	uint32_t class = lg_u64map_get(&k->by_key, key), seen;
	char buf[512];
	int len;

	if (class != LG_NONE)
		return class;
	seen = lg_u64map_get(&k->keys_of_name, name);
	seen = seen == LG_NONE ? 0 : seen;
	lg_u64map_put(&k->keys_of_name, name, seen + 1);
	class = name;
	if (seen) {
		len = snprintf(buf, sizeof(buf), "%s#%u", lg_strtab_str(k->names, name), seen + 1);
		class = lg_strtab_intern(k->names, buf, len < (int)sizeof(buf) ? (size_t)len : sizeof(buf) - 1);
	}
	lg_u64map_put(&k->by_key, key, class);
	return class;
}

void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev)
{
	uint64_t task = lg_event_task(ev);

	pass_held(k, ev->cpu);
	/* a task that moved on to another CPU: its acquisition comes first */
	for (uint32_t i = 0; i < k->nr_held; i++) {
		if (lg_event_task(&k->pending[k->held_cpus[i]]) == task) {
			pass_held(k, k->held_cpus[i]);
			break;
		}
	}
	if (ev->kind != LG_EV_ACQUIRE || (ev->flags & (LG_ACQ_MMAP_LOCK | LG_ACQ_USER))) {
		k->fn(ev, k->arg);
		return;
	}
	room_for(k, ev->cpu);
	k->pending[ev->cpu] = *ev;
	k->held[ev->cpu] = true;
	k->held_cpus[k->nr_held++] = ev->cpu;
}

/*
 * A static lock (DEFINE_MUTEX and the like) has no key until lockdep first
 * registers it, after the tracepoint: then its key is its address. Key 0 is
 * that first acquisition, which keeps its name's class.
 */
void lg_class_keys_key(struct lg_class_keys *k, uint32_t cpu, uint64_t key)
{
	if (cpu >= k->nr_cpus || !k->held[cpu])
		return;
	if (key)
		k->pending[cpu].class_name = class_of_key(k, k->pending[cpu].class_name, key);
	pass_held(k, cpu);
}

void lg_class_keys_flush(struct lg_class_keys *k)
{
	while (k->nr_held)
		pass_held(k, k->held_cpus[0]);
}
