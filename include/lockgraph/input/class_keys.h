/* What lockgraph record's probes on lock_acquire add to each acquisition: its
 * class key (an eprobe reading the map, right after the tracepoint) and its
 * arguments (a tracepoint probe, before or after it: subclass, read kind,
 * check, nest lock). An acquisition is held back until they arrive; then its
 * class is lockdep's: "name", "name#2" for another key with that name, and
 * "/N" for subclass N, and its flags and wait types say what lockdep knew of
 * it. */
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
};

struct lg_class_keys_cpu;

struct lg_class_keys {
	struct lg_strtab *names;
	lg_event_fn fn;			/* where events go on, in an order that */
	void *arg;			/* keeps each task's and each CPU's own */
	bool want_key, want_args;	/* what the file was recorded with */
	struct lg_class_keys_cpu *cpus;
	uint32_t nr_cpus;
	uint32_t *held_cpus;		/* the CPUs holding one back, to scan */
	uint32_t nr_held;
	struct lg_u64map by_key;	/* key -> class name */
	struct lg_u64map keys_of_name;	/* name -> how many keys had it */
};

void lg_class_keys_init(struct lg_class_keys *k, struct lg_strtab *names, bool keys,
			bool args, lg_event_fn fn, void *arg);
void lg_class_keys_release(struct lg_class_keys *k);

/* The next event of the input: passed on, or held if an acquisition. */
void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev);
/* The key (and the map's wait types, NULL if not recorded), or the arguments,
 * of the acquisition traced on cpu. */
void lg_class_keys_key(struct lg_class_keys *k, uint32_t cpu, uint64_t key,
		       const struct lg_wait_types *wait);
void lg_class_keys_args(struct lg_class_keys *k, uint32_t cpu, const struct lg_acquire_args *a);
/* The end of the input: pass on what is held. */
void lg_class_keys_flush(struct lg_class_keys *k);

#endif
