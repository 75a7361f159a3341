/* Contention statistics, as `perf lock report` gives them: for each lock, how
 * often it was waited for and for how long. Fed the same events as replay;
 * waits never become dependencies. */
#ifndef LOCKGRAPH_CONTENTION_H
#define LOCKGRAPH_CONTENTION_H

#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/lib/strtab.h"

/* How a lock got its name. */
enum lg_lock_naming {
	LG_NAMED_BY_CLASS,	/* the lockdep class acquired just before */
	LG_NAMED_BY_SYMBOL,	/* an exact kallsyms match */
	LG_NAMED_BY_ADDRESS,
};

/* The waits come from lock:contention_begin/end (kind is LCB_F_* flags) or
 * from LOCK_STAT's lock:lock_contended/lock_acquired (kind LG_LOCK_STAT). */
#define LG_LOCK_STAT 0x80000000U

struct lg_lock_contention {
	const char *name;
	enum lg_lock_naming naming;
	uint32_t kind;
	uint64_t contended;	/* completed waits */
	uint64_t total_ns, max_ns;
};

/* Exact symbol at addr in the input being read, or NULL. */
typedef const char *(*lg_symbol_fn)(uint64_t addr, void *arg);

struct lg_contention;

struct lg_contention *lg_contention_new(const struct lg_strtab *class_names);
void lg_contention_free(struct lg_contention *c);

void lg_contention_event(struct lg_contention *c, const struct lg_event *ev);
/* Name the input's locks and add them up; waits still open are dropped. */
void lg_contention_end_input(struct lg_contention *c, lg_symbol_fn symbol, void *arg);

/* Add up a saved analysis's locks (graph_file.h), as if read here. */
void lg_contention_merge(struct lg_contention *c, const struct lg_lock_contention *locks,
			 uint32_t nr);

/* Locks by total wait, longest first. */
uint32_t lg_contention_nr(const struct lg_contention *c);
const struct lg_lock_contention *lg_contention_get(const struct lg_contention *c, uint32_t i);

/* "class", "symbol", "address" */
const char *lg_contention_naming_name(enum lg_lock_naming naming);
/* perf lock's names: "spinlock", "rwlock:R", "mutex", "rwsem:W", ... */
const char *lg_contention_kind_name(uint32_t kind);

#endif
