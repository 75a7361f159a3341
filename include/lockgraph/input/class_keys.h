/* What lockgraph record's probes on lock_acquire add to each acquisition: its
 * class key (an eprobe reading the map), its kernel stack (record --stacks:
 * the stacktrace trigger) and its arguments (a tracepoint probe: subclass,
 * read kind, check, nest lock), all written right after the tracepoint's own
 * event, by the same CPU in the same irq context. An acquisition is held back
 * until they arrive; then its class is lockdep's:
 * "name", "name#2" for another key with that name, and "/N" for subclass N,
 * and its flags and wait types say what lockdep knew of it. A key or
 * arguments that no acquisition in flight in their context can take are
 * dropped and counted, never given to another acquisition. */
#ifndef LOCKGRAPH_CLASS_KEYS_H
#define LOCKGRAPH_CLASS_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/lib/strtab.h"
#include "lockgraph/lib/u64map.h"

/* lock_acquire()'s arguments, as the tracepoint probe reads them. */
struct lg_acquire_args {
	uint64_t lock;		/* the lockdep map: pairs them with lock_acquire */
	uint32_t subclass;
	int32_t read;		/* 0 write, 1 read, 2 recursive read */
	int32_t check;		/* 0: not validated */
	uint64_t nest;		/* the nest_lock's map, or 0 */
	uint32_t site;		/* ip, symbolised (lg_site_ref()), or LG_SITE_UNKNOWN */
};

struct lg_class_keys_cpu;

struct lg_class_keys {
	struct lg_strtab *names;
	lg_event_fn fn;			/* where events go on, in an order that */
	void *arg;			/* keeps each task's and each CPU's own */
	bool want_key, want_args;	/* what the file was recorded with */
	bool want_stack;		/* stacks seen: each acquisition waits for
					 * its own or its context's next event */
	bool set_class_seen;		/* its lock_set_class() probe too */
	struct lg_class_keys_cpu *cpus;
	uint32_t nr_cpus;
	uint32_t *held;			/* slots holding one back (cpu * LG_NR_CTX
					 * + ctx), to scan */
	uint32_t nr_held;
	uint64_t unpaired;		/* keys, arguments and stacks dropped */
	uint64_t incomplete;		/* acquisitions passed on without them */
	uint64_t unwinder;		/* acquisitions the stack unwinder made inside
					 * another's lock_acquire(), dropped */
	struct lg_u64map by_key;	/* key -> class name */
	struct lg_u64map keys_of_name;	/* name -> how many keys had it */
};

void lg_class_keys_init(struct lg_class_keys *k, struct lg_strtab *names, bool keys,
			bool args, bool set_class, lg_event_fn fn, void *arg);
void lg_class_keys_release(struct lg_class_keys *k);

/* The next event of the input: passed on, or held if an acquisition. */
void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev);
/* The key (and the map's wait types, NULL if not recorded), or the arguments,
 * of the acquisition in flight on cpu in irq context ctx. */
void lg_class_keys_key(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx, uint64_t key,
		       const struct lg_wait_types *wait);
void lg_class_keys_args(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx,
			const struct lg_acquire_args *a);
/* The stack of the acquisition in flight there: nr frames (lg_site_ref()),
 * innermost first; more than LG_STACK_MAX are cut. The first stack of an
 * input makes every later acquisition wait for one (record --stacks=GLOB
 * gives some none: those wait for their context's next event), and makes
 * the acquisitions the unwinder makes inside one's callbacks (rcu_read_lock,
 * walking a module's frames) known as such, and dropped with their events.
 * Without arguments only rcu_read_lock read acquisitions before the stack
 * are taken as the unwinder's: one that is the code's, after an acquisition
 * that gets no stack (--stacks=GLOB), is dropped too. */
void lg_class_keys_stack(struct lg_class_keys *k, uint32_t cpu, enum lg_ctx ctx,
			 const uint32_t *frames, uint32_t nr);
/* The class of a lock named name (interned) with key and subclass, named as
 * the acquisitions' classes are: for the lockdep calls that name a class. */
uint32_t lg_class_keys_class(struct lg_class_keys *k, uint32_t name, uint64_t key,
			     uint32_t subclass);
/* The end of the input: pass on what is held. */
void lg_class_keys_flush(struct lg_class_keys *k);

#endif
