/* Irq-safe to irq-unsafe lock order: a lock taken in an irq must not depend,
 * even through a chain, on one taken elsewhere with that irq enabled, or the
 * irq can come while the second is held and spin on the first, whose holder
 * waits for the second. lockdep checks it twice: when a dependency completes
 * such a chain (check_irq_usage(): "X-safe -> X-unsafe lock order"), and when
 * a usage does (mark_lock_irq()'s check_usage_forwards/backwards(): "possible
 * irq lock inversion"); which one it prints depends on which came last.
 *
 * Read usages count as lockdep counts them (usage_accumulate(),
 * usage_match()): a lock taken in an irq only for read is irq-safe where it
 * was held exclusively when it took the next lock of the chain; one taken for
 * read with the irq enabled is irq-unsafe where the chain reached it by a
 * non-recursive acquisition. A breadth-first search from each irq-safe class
 * over strong paths (see cycles.c) finds the nearest irq-unsafe one. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/detect/adjacency.h"
#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"

struct search {
	const struct lg_graph *g;
	struct lg_adjacency out;
	uint32_t *stamp, cur_stamp;		/* per state: class * 2 + only_xr */
	uint32_t *parent_dep, *parent_state, *queue;
};

/* The unsafe usage of class c that a chain reaching it (only_xr: by
 * recursive reads only) runs into, in irq state `state`, or LG_NONE. */
static uint32_t unsafe_usage(const struct lg_graph *g, uint32_t c, uint8_t state, bool only_xr)
{
	uint8_t usage = lg_graph_class_usage(g, c), write = state | LG_USAGE_ENABLED;

	if (usage & (1U << write))
		return write;
	if (!only_xr && (usage & (1U << (write | LG_USAGE_READ))))
		return write | LG_USAGE_READ;
	return LG_NONE;
}

/*
 * The state of the nearest class with an unsafe usage, or LG_NONE. A lock
 * that is only read-safe must have been held exclusively for its first step:
 * the search starts from it as if reached by recursive reads, which lets no
 * -(S*)-> step out.
 */
static uint32_t nearest_unsafe(struct search *s, uint32_t safe, uint8_t state, bool read_safe)
{
	uint32_t head = 0, tail = 0, root = safe * 2 + read_safe;

	s->cur_stamp++;
	s->stamp[root] = s->cur_stamp;
	s->queue[tail++] = root;
	while (head < tail) {
		uint32_t st = s->queue[head++], c = st / 2;

		for (uint32_t k = s->out.first[c]; k < s->out.first[c + 1]; k++) {
			const struct lg_dep *d = lg_graph_dep(s->g, s->out.deps[k]);
			uint8_t types = lg_strong_types(d->types, st & 1);
			uint32_t next;

			if (!types || d->to == safe)
				continue;
			next = d->to * 2 + lg_only_xr(types);
			if (s->stamp[next] == s->cur_stamp)
				continue;
			s->stamp[next] = s->cur_stamp;
			s->parent_dep[next] = s->out.deps[k];
			s->parent_state[next] = st;
			if (unsafe_usage(s->g, d->to, state, next & 1) != LG_NONE)
				return next;
			s->queue[tail++] = next;
		}
	}
	return LG_NONE;
}

/* The chain safe -> ... -> the class of found, as found reached it. */
static void add_finding(struct search *s, uint32_t safe, uint32_t found, uint8_t safe_bit,
			struct lg_findings *out)
{
	uint32_t nr = 1, root = safe * 2 + !!(safe_bit & LG_USAGE_READ), safe_seq, unsafe_seq;
	uint32_t dep_seq = 0, i;
	uint8_t unsafe_bit = unsafe_usage(s->g, found / 2, safe_bit & LG_USAGE_SOFTIRQ, found & 1);
	uint64_t h = lg_fnv1a(LG_FNV1A_INIT, "irq-safe-to-unsafe", 18);
	struct lg_finding *f;

	for (uint32_t st = found; st != root; st = s->parent_state[st])
		nr++;
	f = lg_findings_add(out, LG_FINDING_IRQ_ORDER, nr, 0);
	f->deps = lg_xmalloc(nr * sizeof(uint32_t));
	f->deps[nr - 1] = LG_NONE;
	i = nr - 1;
	for (uint32_t st = found; st != root; st = s->parent_state[st]) {
		f->classes[i] = st / 2;
		f->deps[--i] = s->parent_dep[st];
	}
	f->classes[0] = safe;
	f->usage[0] = safe_bit;
	f->usage[1] = unsafe_bit;
	/* it became true with the last of its dependencies and usages, and
	 * that one is what lockdep would have caught it at */
	for (i = 0; i + 1 < nr; i++)
		if (lg_graph_dep(s->g, f->deps[i])->seq > dep_seq)
			dep_seq = lg_graph_dep(s->g, f->deps[i])->seq;
	safe_seq = lg_graph_usage_seq(s->g, safe, safe_bit);
	unsafe_seq = lg_graph_usage_seq(s->g, f->classes[nr - 1], unsafe_bit);
	f->seq = dep_seq;
	if (safe_seq > f->seq || unsafe_seq > f->seq) {
		f->kind = LG_FINDING_IRQ_INVERSION;
		f->seq = safe_seq > unsafe_seq ? safe_seq : unsafe_seq;
		f->index = safe_seq > unsafe_seq ? 0 : nr - 1;
	}
	/* the same chain whichever came last: one id */
	h = lg_fnv1a(h, lg_usage_name(safe_bit), strlen(lg_usage_name(safe_bit)) + 1);
	h = lg_hash_class(h, s->g, safe, true);
	h = lg_hash_class(h, s->g, f->classes[nr - 1], false);
	lg_finding_set_id(f, "iu", h);
}

void lg_detect_irq_order(const struct lg_graph *g, struct lg_findings *out)
{
	struct search s = { .g = g };
	uint32_t states;

	lg_adjacency_build(&s.out, g);
	states = 2 * s.out.nr_classes + 2;
	s.stamp = lg_xcalloc(states, sizeof(*s.stamp));
	s.parent_dep = lg_xmalloc(states * sizeof(*s.parent_dep));
	s.parent_state = lg_xmalloc(states * sizeof(*s.parent_state));
	s.queue = lg_xmalloc(states * sizeof(*s.queue));
	for (uint8_t state = 0; state <= LG_USAGE_SOFTIRQ; state += LG_USAGE_SOFTIRQ) {
		for (uint32_t c = 0; c < s.out.nr_classes; c++) {
			uint8_t usage = lg_graph_class_usage(g, c);
			bool write = usage & (1U << state);
			uint32_t found;

			if (!write && !(usage & (1U << (state | LG_USAGE_READ))))
				continue;
			found = nearest_unsafe(&s, c, state, !write);
			if (found != LG_NONE)
				add_finding(&s, c, found, write ? state : state | LG_USAGE_READ, out);
		}
	}
	lg_adjacency_release(&s.out);
	free(s.stamp);
	free(s.parent_dep);
	free(s.parent_state);
	free(s.queue);
}
