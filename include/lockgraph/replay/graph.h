/* The lock-dependency graph: lock classes, dependencies "B acquired while A
 * held" with the provenance of their first sighting, and recursive acquisitions.
 * Filled by replay, read by detectors and reporters. */
#ifndef LOCKGRAPH_GRAPH_H
#define LOCKGRAPH_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/rules.h"
#include "lockgraph/lib/strtab.h"

/* Dependency types, lockdep's DEP_*_BIT: (S)hared or (E)xclusive holder of the
 * first lock, (R)ecursive-read or (N)on-recursive acquirer of the second. */
#define LG_DEP_SR	0x1
#define LG_DEP_ER	0x2
#define LG_DEP_SN	0x4
#define LG_DEP_EN	0x8
#define LG_DEP_SHARED	(LG_DEP_SR | LG_DEP_SN)	/* -(S*)-> */
#define LG_DEP_RECURSIVE (LG_DEP_SR | LG_DEP_ER)	/* -(*R)-> */

/* A held lock; flags are LG_ACQ_* plus LG_HELD_NOVALIDATE; enabled, the
 * irqs (LG_IRQS_OFF, LG_BH_OFF bits) it was seen held with enabled. */
struct lg_held_lock {
	uint64_t addr;
	uint32_t class;
	uint32_t site;		/* where it was acquired: lg_site_ref() */
	uint16_t flags;
	uint8_t enabled;
};
#define LG_HELD_NOVALIDATE LG_ACQ_NOVALIDATE

/* Where and when something was first seen: the acquisition and what its task
 * held then (in the same irq context, outermost first). */
struct lg_site {
	uint64_t time_ns;
	uint64_t addr;		/* the instance being acquired */
	uint32_t input, cpu;
	int32_t pid;
	uint32_t at;		/* the acquisition's call site: lg_site_ref() */
	uint32_t held_first, held_nr;	/* see lg_graph_held() */
	uint32_t stack_first, stack_nr;	/* see lg_graph_stack() */
	uint8_t ctx;		/* enum lg_ctx */
	uint16_t flags;		/* LG_ACQ_* of the acquisition */
	uint8_t irqflags;	/* LG_IRQS_OFF, LG_BH_OFF then */
	uint8_t enabling;	/* the irqs (LG_IRQS_OFF: hardirqs, LG_BH_OFF: softirqs)
				 * whose coming on marked usage on a held lock, addr
				 * (lockdep's mark_held_locks()); 0: at an acquisition */
	char comm[16];
	char inside[64];	/* the innermost probed function the task was in, or "" */
};

/*
 * lockdep's lock usage bits (enum lock_usage_bit): for each irq state,
 * hardirq or softirq, a class is USED_IN it (taken in that irq, not as a
 * trylock) or ENABLED (taken while that irq could come), each as a write or
 * a read. Bit numbers are lockdep's.
 */
#define LG_USAGE_READ		1
#define LG_USAGE_ENABLED	2	/* else USED_IN */
#define LG_USAGE_SOFTIRQ	4	/* else HARDIRQ */
#define LG_NR_USAGE		8
/* After them lockdep's LOCK_USED and LOCK_USED_READ: the class was
 * validated, taken for write or for read ("INITIAL USE", "INITIAL READ USE"). */
#define LG_USAGE_USED		8
#define LG_USAGE_USED_READ	9
#define LG_NR_USAGE_BITS	10

/* lockdep's usage_str[]: "IN-HARDIRQ-W", "SOFTIRQ-ON-R", ..., "INITIAL USE" */
const char *lg_usage_name(unsigned bit);

/* A class used in an irq and, elsewhere, with that irq enabled (or the
 * other way round): lockdep's inconsistent lock state. One per class and
 * irq state. */
struct lg_usage_bug {
	uint32_t class;
	uint8_t prev, usage;	/* the usage it had, the one that contradicts it */
	uint32_t seq;
	struct lg_site first;	/* the acquisition that marked usage */
};

/*
 * Who made a dependency: code at run time (observed), only a priming function
 * teaching lockdep an order (annotation, contract/priming.h), or only a rules
 * file's prime chain (rule: never seen in the trace, no first sighting).
 */
enum lg_dep_origin {
	LG_ORIGIN_OBSERVED,
	LG_ORIGIN_ANNOTATION,
	LG_ORIGIN_RULE,
};

struct lg_dep {
	uint32_t from, to;	/* classes */
	uint32_t seq;		/* order of first sighting among everything found;
				 * a rule's come before any trace's */
	uint8_t types;		/* LG_DEP_* seen */
	uint64_t count;		/* acquisitions that made it */
	uint64_t annotated;	/* of them, made inside a priming function */
	uint32_t primer;	/* the first such function (interned), or LG_NONE */
	uint32_t rule;		/* the prime rule's interned "file:line", or LG_NONE */
	struct lg_site first;	/* zeros while count is 0 */
};

enum lg_dep_origin lg_dep_origin(const struct lg_dep *d);

/* The instances of a class first taken (per input), with how often and from
 * when each was: a class on a cycle taken there through an instance taken
 * once, before any other, is the mark of a dummy lock made for lockdep's
 * training at init. */
#define LG_INSTANCES 4
struct lg_instance {
	uint64_t addr;
	uint64_t first_ns;
	uint32_t input;
	uint32_t taken;
};
struct lg_instance_others {
	uint32_t nr;		/* other instances of the class kept */
	uint64_t taken;		/* and how often they were taken */
	bool more;		/* more instances than were kept */
};

/* Something a task did to a lock of a class, first seen at first: acquire
 * it again while holding it (a recursion), or release it once more than it
 * acquired it (an unlock imbalance). One per class. held: for a recursion,
 * the held lock the acquisition ran into (lockdep's prev). */
struct lg_class_sighting {
	uint32_t class;
	uint32_t seq;
	uint64_t count;
	struct lg_site first;
	struct lg_held_lock held;
};

/* A lock acquired where its task may not wait as the lock waits; see
 * wait_context.h. One per lock class, culprit and irq-or-not. */
struct lg_wait_violation {
	uint32_t class;
	uint32_t held;		/* the held class that forbade it, LG_NONE: the irq */
	uint32_t seq;
	uint8_t verdicts;	/* bit 0: invalid on a kernel without raw lock
				 * nesting checks, bit 1: with them */
	uint64_t count;
	struct lg_site first;
};

struct lg_graph;
struct lg_wait_graph;

struct lg_graph *lg_graph_new(struct lg_strtab *names, const struct lg_rules *rules);
void lg_graph_free(struct lg_graph *g);

/* The class of an interned lock name, created on first use. */
uint32_t lg_graph_class(struct lg_graph *g, uint32_t name);
/* Is the interned name id a class's? */
bool lg_graph_is_class(const struct lg_graph *g, uint32_t id);
bool lg_graph_class_novalidate(const struct lg_graph *g, uint32_t class);
/* The wait types of the class's first acquisition that had them; NULL when
 * none did. The largest wait type of any class, for lg_wait_raw_nesting(). */
void lg_graph_class_set_wait(struct lg_graph *g, uint32_t class, const struct lg_wait_types *w);
const struct lg_wait_types *lg_graph_class_wait(const struct lg_graph *g, uint32_t class);
uint8_t lg_graph_max_wait(const struct lg_graph *g);
const char *lg_graph_class_name(const struct lg_graph *g, uint32_t class);
/* Any interned name: a priming function's, a rule's "file:line". */
const char *lg_graph_name(const struct lg_graph *g, uint32_t name);
/* A call site's "func+0x1/0x2" (site: lg_site_ref()), NULL if unknown. */
const char *lg_graph_site_name(const struct lg_graph *g, uint32_t site);
/* How many classes there are; class ids are below lg_graph_class_bound(). */
uint32_t lg_graph_nr_classes(const struct lg_graph *g);
uint32_t lg_graph_class_bound(const struct lg_graph *g);

/* Where an acquisition happened: its event and input, what its task held
 * (outermost first) in its irq context, and the probed function it was
 * inside (an interned name, or LG_NONE). For a usage marked on a held lock
 * when irqs came on, that lock and the irqs (see lg_site.enabling); ev is
 * then the event that showed them on. */
struct lg_acquisition {
	const struct lg_event *ev;
	uint32_t input;
	const struct lg_held_lock *held;
	uint32_t nr_held;
	uint32_t inside;
	const struct lg_held_lock *lock;
	uint8_t enabling;
};

/* Record the dependency from -> to made by an acquisition, inside the priming
 * function primer (an interned name) or LG_NONE; also recursions, and
 * releases of a lock the task had already released (at: the release, with
 * what the task held then). */
void lg_graph_add_dep(struct lg_graph *g, uint32_t from, uint32_t to, uint8_t type,
		      const struct lg_acquisition *at, uint32_t primer);
/* The dependency from -> to as a rules file primes it (where: its interned
 * "file:line"), before any input. */
void lg_graph_add_primed(struct lg_graph *g, uint32_t from, uint32_t to, uint32_t where);
/* Count an acquisition of the class's instance addr in input at time_ns. */
void lg_graph_count_instance(struct lg_graph *g, uint32_t class, uint32_t input,
			     uint64_t addr, uint64_t time_ns);
/* Was that instance taken once only, before the class's others in its input,
 * which are few (all kept), one taken more than once at least? Those
 * others in *others either way. */
bool lg_graph_lone_instance(const struct lg_graph *g, uint32_t class, uint32_t input,
			    uint64_t addr, struct lg_instance_others *others);
void lg_graph_add_recursion(struct lg_graph *g, uint32_t class,
			    const struct lg_held_lock *held, const struct lg_acquisition *at);
void lg_graph_add_imbalance(struct lg_graph *g, uint32_t class,
			    const struct lg_acquisition *at);
/* Mark a usage bit of the class for the acquisition at; see lg_usage_bug. */
void lg_graph_mark_usage(struct lg_graph *g, uint32_t class, uint8_t bit,
			 const struct lg_acquisition *at);
/* Mark the class used (LG_USAGE_USED or LG_USAGE_USED_READ), as lockdep's
 * mark_usage() ends for every lock it sees, check=0 ones too. */
void lg_graph_mark_used(struct lg_graph *g, uint32_t class, bool read,
			const struct lg_acquisition *at);
/* The class's irq usage bits (1 << LG_USAGE_*). Where and when (a seq) it
 * first had one, of all LG_NR_USAGE_BITS: NULL, and no seq, for one it does
 * not have. */
uint8_t lg_graph_class_usage(const struct lg_graph *g, uint32_t class);
/* All its bits (1 << LG_USAGE_*, LG_USAGE_USED*) as they were once seq had
 * happened, as lockdep printed them then; LG_NONE: at the end. */
uint16_t lg_graph_usage_at(const struct lg_graph *g, uint32_t class, uint32_t seq);
const struct lg_site *lg_graph_usage_site(const struct lg_graph *g, uint32_t class,
					  uint8_t bit);
uint32_t lg_graph_usage_seq(const struct lg_graph *g, uint32_t class, uint8_t bit);
void lg_graph_add_wait_violation(struct lg_graph *g, uint32_t class, uint32_t held,
				 uint8_t verdicts, const struct lg_acquisition *at);

uint32_t lg_graph_nr_deps(const struct lg_graph *g);
const struct lg_dep *lg_graph_dep(const struct lg_graph *g, uint32_t i);
uint32_t lg_graph_nr_recursions(const struct lg_graph *g);
const struct lg_class_sighting *lg_graph_recursion(const struct lg_graph *g, uint32_t i);
uint32_t lg_graph_nr_imbalances(const struct lg_graph *g);
const struct lg_class_sighting *lg_graph_imbalance(const struct lg_graph *g, uint32_t i);
uint32_t lg_graph_nr_usage_bugs(const struct lg_graph *g);
const struct lg_usage_bug *lg_graph_usage_bug(const struct lg_graph *g, uint32_t i);
uint32_t lg_graph_nr_wait_violations(const struct lg_graph *g);
const struct lg_wait_violation *lg_graph_wait_violation(const struct lg_graph *g, uint32_t i);

/*
 * Merging a saved graph (graph_file.h) as if its inputs were read here: each
 * record as the accessors above give it, its names interned in this graph's
 * table and its inputs renumbered after this graph's. Seqs order everything
 * by first sighting: a saved graph's come after all of this one's
 * (lg_graph_next_seq()), in their own order, with a gap after each usage
 * for a usage bug the merge finds (seq + 1), and lg_graph_set_next_seq()
 * past them once merged. A site's held locks and stack come with it.
 */
struct lg_site_data {
	struct lg_site site;		/* held_first and stack_first unused */
	const struct lg_held_lock *held;	/* site.held_nr of them */
	const uint32_t *stack;		/* site.stack_nr frames, or NULL */
};

uint32_t lg_graph_next_seq(const struct lg_graph *g);
void lg_graph_set_next_seq(struct lg_graph *g, uint32_t seq);
/* The class's first instances, *nr of them, and whether it had *more. */
const struct lg_instance *lg_graph_instances(const struct lg_graph *g, uint32_t class,
					     uint8_t *nr, bool *more);
/* The class (created if new), unvalidated if either says so, its wait types
 * unless it has some, its instances after its own while there is room. */
void lg_graph_merge_class(struct lg_graph *g, uint32_t class, bool novalidate,
			  const struct lg_wait_types *wait, const struct lg_instance *instances,
			  uint8_t nr, bool more);
/* The usage bit at seq, unless the class has it: a usage bug if it
 * contradicts one it has, as lg_graph_mark_usage() finds them. */
void lg_graph_merge_usage(struct lg_graph *g, uint32_t class, uint8_t bit, uint32_t seq,
			  const struct lg_site_data *site);
/* Counts add up; the first sighting, seq, primer and rule are the earlier
 * graph's where it has them. first: NULL for a dependency d->count 0. */
void lg_graph_merge_dep(struct lg_graph *g, const struct lg_dep *d,
			const struct lg_site_data *first);
void lg_graph_merge_recursion(struct lg_graph *g, const struct lg_class_sighting *s,
			      const struct lg_site_data *first);
void lg_graph_merge_imbalance(struct lg_graph *g, const struct lg_class_sighting *s,
			      const struct lg_site_data *first);
void lg_graph_merge_wait_violation(struct lg_graph *g, const struct lg_wait_violation *v,
				   const struct lg_site_data *first);

/* The wait/event dependencies (wait_graph.h): the graph's, however const. */
struct lg_wait_graph *lg_graph_waits(const struct lg_graph *g);
/* A seq for something found outside the graph's own records. */
uint32_t lg_graph_take_seq(struct lg_graph *g);

/* The held locks recorded with a site: site->held_nr entries (NULL if none). */
const struct lg_held_lock *lg_graph_held(const struct lg_graph *g, const struct lg_site *site);
/* The kernel stack of the acquisition at site (lg_site_ref()s, innermost
 * first), site->stack_nr frames (NULL if none: record --stacks records them). */
const uint32_t *lg_graph_stack(const struct lg_graph *g, const struct lg_site *site);

#endif
