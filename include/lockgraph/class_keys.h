/* lockdep's class identity from lockgraph record's eprobe on lock_acquire,
 * which reads each map's class key right after the tracepoint: an acquisition
 * is held back until its key arrives, and classes that share a name but not a
 * key are told apart the way lockdep prints them, "name", "name#2", ... */
#ifndef LOCKGRAPH_CLASS_KEYS_H
#define LOCKGRAPH_CLASS_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/event.h"
#include "lockgraph/source.h"
#include "lockgraph/strtab.h"
#include "lockgraph/u64map.h"

struct lg_class_keys {
	struct lg_strtab *names;
	lg_event_fn fn;			/* where events go on, in an order that */
	void *arg;			/* keeps each task's and each CPU's own */
	struct lg_event *pending;	/* per CPU: an acquisition awaiting its key */
	bool *held;
	uint32_t nr_cpus;
	uint32_t *held_cpus;		/* the CPUs with one, to scan */
	uint32_t nr_held;
	struct lg_u64map by_key;	/* key -> class name */
	struct lg_u64map keys_of_name;	/* name -> how many keys had it */
};

void lg_class_keys_init(struct lg_class_keys *k, struct lg_strtab *names, lg_event_fn fn,
			void *arg);
void lg_class_keys_release(struct lg_class_keys *k);

/* The next event of the input: passed on, or held if an acquisition. */
void lg_class_keys_event(struct lg_class_keys *k, const struct lg_event *ev);
/* The key of the acquisition just traced on cpu. */
void lg_class_keys_key(struct lg_class_keys *k, uint32_t cpu, uint64_t key);
/* The end of the input: pass on what is held. */
void lg_class_keys_flush(struct lg_class_keys *k);

#endif
