/* Detectors: derive findings from the finished graph. Each distinct finding is
 * reported once, in the order lockdep would have fired them. */
#ifndef LOCKGRAPH_DETECT_H
#define LOCKGRAPH_DETECT_H

#include <stdint.h>

#include "lockgraph/replay/graph.h"

enum lg_finding_kind {
	LG_FINDING_CIRCULAR,
	LG_FINDING_RECURSIVE,
	LG_FINDING_WAIT_CONTEXT,
	LG_FINDING_INCONSISTENT,
	LG_FINDING_IRQ_ORDER,
	LG_FINDING_UNLOCK_IMBALANCE,
	LG_FINDING_IRQ_INVERSION,
	LG_FINDING_WAIT_EVENT,	/* a cycle through a wait object (wait_graph.h) */
	LG_FINDING_WAIT_TIMEOUT,	/* one whose every wait had a timeout */
};

/* A wait finding's classes[] entry that is wait object N is LG_WAIT_NODE | N,
 * its deps[] entry that is wait dependency N is LG_WAIT_NODE | N. */
#define LG_WAIT_NODE 0x80000000u

struct lg_finding {
	enum lg_finding_kind kind;
	uint32_t seq;		/* first sighting of what completed it */
	uint32_t nr;		/* classes in the cycle; 1 for recursion; the lock
				 * and the held lock that forbade it (if one did)
				 * for a wait context; the chain from the irq-safe
				 * lock to the irq-unsafe one for an irq order or
				 * inversion */
	uint32_t *classes;	/* classes[0] is the lock being acquired */
	uint32_t *deps;		/* deps[i]: classes[i] -> classes[(i + 1) % nr];
				 * an irq order's last is LG_NONE */
	uint32_t index;		/* a wait cycle's: the other cycles through its
				 * closing wait; lg_graph_recursion(), lg_graph_imbalance(),
				 * lg_graph_wait_violation(), lg_graph_usage_bug();
				 * for an irq inversion, the classes[] entry whose
				 * usage came last (0: the safe one) */
	uint8_t usage[2];	/* irq order and inversion: the irq-safe class's
				 * usage bit, and the irq-unsafe one's */
	uint32_t group;		/* a cycle's entry in lg_findings.groups; else LG_NONE */
	char id[24];		/* stable across runs: kind and class names */
};

static inline bool lg_finding_is_wait(const struct lg_finding *f)
{
	return f->kind == LG_FINDING_WAIT_EVENT || f->kind == LG_FINDING_WAIT_TIMEOUT;
}

/*
 * The cycles of one strongly connected component: every cycle that closes
 * through a dependency of it lies in it, so that one root cause (a lost
 * release, one lock taken in the wrong place) is one entry, however many
 * cycles it makes.
 */
struct lg_cycle_group {
	uint32_t nr_cycles;
	uint32_t nr_classes, nr_deps;	/* of the component */
	uint32_t first, shortest;	/* findings: its first (by seq), and its
					 * shortest (the first of that length) */
	uint32_t unsearched;		/* dependencies of it whose own shortest
					 * cycle was not searched for: the cap */
};

struct lg_findings {
	struct lg_finding *v;
	uint32_t nr, alloc;
	struct lg_cycle_group *groups;	/* numbered by their first finding */
	uint32_t nr_groups, alloc_groups;
};

/*
 * The cycle search of one group stops when it has scanned this many
 * dependencies per class and dependency of the group (and at least
 * LG_CYCLE_MIN_STEPS), so that it is linear in the group's size: lockdep's
 * breadth-first search from every dependency would be quadratic. A dependency
 * left after that is still checked for a two-class cycle (A -> B -> A) and
 * counted in lg_cycle_group.unsearched.
 */
#define LG_CYCLE_STEPS_PER_ITEM	64
#define LG_CYCLE_MIN_STEPS	(1U << 24)

static inline uint64_t lg_cycle_cap(uint32_t nr_classes, uint32_t nr_deps)
{
	uint64_t cap = (uint64_t)LG_CYCLE_STEPS_PER_ITEM * ((uint64_t)nr_classes + nr_deps);

	return cap > LG_CYCLE_MIN_STEPS ? cap : LG_CYCLE_MIN_STEPS;
}

/*
 * For every dependency in first-seen order, the shortest cycle it closes that
 * can deadlock under lockdep's strong-path rule (no -(*R)-> followed by
 * -(S*)->), within the cap above. The dependency seen last in a cycle is the
 * one that closes it. Each cycle is in a group of out->groups.
 */
void lg_detect_cycles(const struct lg_graph *g, struct lg_findings *out);

/* One finding per class acquired again (same instance) while held. */
void lg_detect_recursion(const struct lg_graph *g, struct lg_findings *out);

/* One finding per class released by a task that had already released it
 * (lockdep's "bad unlock balance"). */
void lg_detect_imbalance(const struct lg_graph *g, struct lg_findings *out);

/* One finding per lock taken where it may not wait (see wait_context.h), as
 * lockdep judges it on the kind of kernel the trace came from. */
void lg_detect_wait_context(const struct lg_graph *g, struct lg_findings *out);

/* One finding per class taken in an irq and elsewhere with that irq enabled
 * (lockdep's inconsistent lock state). */
void lg_detect_usage_bugs(const struct lg_graph *g, struct lg_findings *out);

/* For each irq-safe class (taken in a hardirq, or softirq), the nearest
 * irq-unsafe one (taken with that irq enabled) it reaches by a strong path,
 * with lockdep's read rules: lockdep's "HARDIRQ-safe -> HARDIRQ-unsafe lock
 * order" when a dependency came last, its "possible irq lock inversion" when
 * a usage did. */
void lg_detect_irq_order(const struct lg_graph *g, struct lg_findings *out);

/* For each wait/event dependency X -> L (X's event needed L), the shortest
 * way back from L to X through lock dependencies and waits under locks:
 * DEPT's circular dependency, where at least one link is a wait. classes[0]
 * is X, deps[0] that dependency, the last a wait for X with a lock held. */
void lg_detect_wait_cycles(const struct lg_graph *g, struct lg_findings *out);

/* For the detectors: a new finding at the end of out, with room for nr
 * classes (the caller fills them, and seq and deps); its id, "PREFIX-" and
 * the hash in 16 hex digits. */
struct lg_finding *lg_findings_add(struct lg_findings *out, enum lg_finding_kind kind,
				   uint32_t nr, uint32_t index);
void lg_finding_set_id(struct lg_finding *f, const char *prefix, uint64_t hash);

/*
 * A class's name as ids hash it: what names the bug on any boot or machine.
 * lockgraph's "#N" (the Nth key of a name, in the order the trace met them)
 * is left out, so classes that share a name sign alike; a pthread lock's
 * " (tgid N)" is left out and its " 0xADDR" kept as the address's last 12
 * bits, which ASLR leaves alone. Into buf; returns buf.
 */
const char *lg_class_signature(const char *name, char *buf, size_t size);
/* Where a cycle of f's classes[] begins to sort first, by the nodes'
 * signatures (sign(node, buf, size, arg)): what makes its id one on every
 * run, wherever the search entered it. */
uint32_t lg_cycle_least_rotation(const struct lg_finding *f,
				 const char *(*sign)(uint32_t node, char *buf, size_t size,
						     const void *arg),
				 const void *arg);
/* h extended with the class's signature (and its NUL, if nul). */
uint64_t lg_hash_class(uint64_t h, const struct lg_graph *g, uint32_t class, bool nul);

/* Order by seq, the moment each finding became true; number the cycle
 * groups in the order of their first cycle. */
void lg_findings_sort(struct lg_findings *f);
void lg_findings_release(struct lg_findings *f);
/* Remove the findings i with drop[i] (after the sort), keeping the order;
 * groups lose their cycles, and one left with none and nothing unsearched
 * goes too. */
void lg_findings_drop(struct lg_findings *f, const bool *drop);

#endif
