/* What a trace can tell about locks, by what recorded it: the tier that
 * lockgraph record reports and analyze states for each input, with what it
 * means for the accuracy of the result. */
#ifndef LOCKGRAPH_TIER_H
#define LOCKGRAPH_TIER_H

#include <stdint.h>

enum lg_tier {
	LG_TIER_NONE,		/* no kernel lock events */
	LG_TIER_MMAP_LOCK,	/* only the mmap_lock tracepoints */
	LG_TIER_CONTENTION,	/* lock:contention_*, no lockdep */
	LG_TIER_LOCKDEP,	/* lock:lock_acquire: classes by name */
	LG_TIER_LOCKDEP_KEYS,	/* and an eprobe reading each map's class key */
	LG_TIER_LOCKDEP_ARGS,	/* and a tracepoint probe reading lock_acquire's
				 * arguments: subclass, read kind, check, nest */
};

/* Events a trace.dat has the formats of, i.e. was recorded with, whether or
 * not any fired: they set the input's tier. */
#define LG_RECORDED_LOCKDEP	0x1	/* lock:lock_acquire */
#define LG_RECORDED_CONTENTION	0x2	/* lock:contention_begin */
#define LG_RECORDED_MMAP_LOCK	0x4	/* mmap_lock:mmap_lock_acquire_returned */
#define LG_RECORDED_KEYS	0x8	/* record's eprobe LG_PROBE_CLASS_KEY */
#define LG_RECORDED_ARGS	0x10	/* its tracepoint probe LG_PROBE_ACQUIRE_ARGS */
#define LG_RECORDED_SET_CLASS	0x20	/* its kprobe LG_PROBE_SET_CLASS */
#define LG_RECORDED_STACKS	0x40	/* --stacks: a stacktrace trigger on lock_acquire
					 * (record's summary; the file shows the stacks) */

/* The tier of a trace recorded with these LG_RECORDED_* events. */
enum lg_tier lg_tier_of(uint8_t recorded);
const char *lg_tier_name(enum lg_tier tier);
/* One sentence: what a trace of this tier can and cannot show. */
const char *lg_tier_meaning(enum lg_tier tier);

#endif
