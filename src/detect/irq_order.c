/* Irq-safe to irq-unsafe lock order (lockdep's check_irq_usage() and
 * check_usage_forwards()): a lock taken in an irq must not depend, even
 * through a chain, on one taken elsewhere with that irq enabled, or the irq
 * can come while the second is held and spin on the first, whose holder
 * waits for the second. A breadth-first search from each irq-safe class over
 * strong paths (see cycles.c) finds the nearest irq-unsafe one. */
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

/* The state of the nearest class with the unsafe usage, or LG_NONE. */
static uint32_t nearest_unsafe(struct search *s, uint32_t safe, uint8_t unsafe_bit)
{
	uint32_t head = 0, tail = 0;

	s->cur_stamp++;
	s->stamp[safe * 2] = s->cur_stamp;
	s->queue[tail++] = safe * 2;
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
			if (lg_graph_class_usage(s->g, d->to) & (1U << unsafe_bit))
				return next;
			s->queue[tail++] = next;
		}
	}
	return LG_NONE;
}

static void add_finding(struct search *s, uint32_t safe, uint32_t found, uint8_t state,
			struct lg_findings *out)
{
	uint8_t safe_bit = state, unsafe_bit = state | LG_USAGE_ENABLED;
	uint32_t nr = 1, seq, i;
	uint64_t h = lg_fnv1a(LG_FNV1A_INIT, "irq-safe-to-unsafe", 18);
	struct lg_finding *f;

	for (uint32_t st = found; st != safe * 2; st = s->parent_state[st])
		nr++;
	f = lg_findings_add(out, LG_FINDING_IRQ_ORDER, nr, state);
	f->deps = lg_xmalloc(nr * sizeof(uint32_t));
	f->deps[nr - 1] = LG_NONE;
	i = nr - 1;
	for (uint32_t st = found; st != safe * 2; st = s->parent_state[st]) {
		f->classes[i] = st / 2;
		f->deps[--i] = s->parent_dep[st];
	}
	f->classes[0] = safe;
	/* it became true with the last of its dependencies and usages */
	seq = lg_graph_usage_seq(s->g, safe, safe_bit);
	if (lg_graph_usage_seq(s->g, f->classes[nr - 1], unsafe_bit) > seq)
		seq = lg_graph_usage_seq(s->g, f->classes[nr - 1], unsafe_bit);
	for (i = 0; i + 1 < nr; i++)
		if (lg_graph_dep(s->g, f->deps[i])->seq > seq)
			seq = lg_graph_dep(s->g, f->deps[i])->seq;
	f->seq = seq;
	h = lg_fnv1a(h, lg_usage_name(safe_bit), strlen(lg_usage_name(safe_bit)) + 1);
	h = lg_fnv1a(h, lg_graph_class_name(s->g, safe),
		     strlen(lg_graph_class_name(s->g, safe)) + 1);
	h = lg_fnv1a(h, lg_graph_class_name(s->g, f->classes[nr - 1]),
		     strlen(lg_graph_class_name(s->g, f->classes[nr - 1])));
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
			uint32_t found;

			if (!(lg_graph_class_usage(g, c) & (1U << state)))
				continue;
			found = nearest_unsafe(&s, c, state | LG_USAGE_ENABLED);
			if (found != LG_NONE)
				add_finding(&s, c, found, state, out);
		}
	}
	lg_adjacency_release(&s.out);
	free(s.stamp);
	free(s.parent_dep);
	free(s.parent_state);
	free(s.queue);
}
