/* The findings of one class each that replay recorded as it went: recursive
 * locking (lockdep's check_deadlock()) and bad unlock balance
 * (print_unlock_imbalance_bug()); each class becomes one finding. */
#include <string.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"

static void detect_sightings(const struct lg_graph *g, uint32_t nr,
			     const struct lg_class_sighting *(*get)(const struct lg_graph *,
								     uint32_t),
			     enum lg_finding_kind kind, const char *what, const char *prefix,
			     struct lg_findings *out)
{
	for (uint32_t i = 0; i < nr; i++) {
		const struct lg_class_sighting *s = get(g, i);
		uint64_t h = lg_fnv1a(LG_FNV1A_INIT, what, strlen(what) + 1);
		struct lg_finding *f;

		h = lg_hash_class(h, g, s->class, false);
		f = lg_findings_add(out, kind, 1, i);
		f->seq = s->seq;
		f->classes[0] = s->class;
		lg_finding_set_id(f, prefix, h);
	}
}

void lg_detect_recursion(const struct lg_graph *g, struct lg_findings *out)
{
	detect_sightings(g, lg_graph_nr_recursions(g), lg_graph_recursion, LG_FINDING_RECURSIVE,
			 "recursive-locking", "rl", out);
}

void lg_detect_imbalance(const struct lg_graph *g, struct lg_findings *out)
{
	detect_sightings(g, lg_graph_nr_imbalances(g), lg_graph_imbalance,
			 LG_FINDING_UNLOCK_IMBALANCE, "bad-unlock-balance", "ub", out);
}
