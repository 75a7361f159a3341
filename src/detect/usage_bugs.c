/* Inconsistent lock state (lockdep's mark_lock_irq()): replay marked each
 * class's usage as lockdep does; each contradiction becomes one finding. */
#include <string.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"

void lg_detect_usage_bugs(const struct lg_graph *g, struct lg_findings *out)
{
	for (uint32_t i = 0; i < lg_graph_nr_usage_bugs(g); i++) {
		const struct lg_usage_bug *bug = lg_graph_usage_bug(g, i);
		uint64_t h = lg_fnv1a(LG_FNV1A_INIT, "inconsistent-lock-state", 23);
		struct lg_finding *f;

		h = lg_hash_class(h, g, bug->class, true);
		h = lg_fnv1a(h, lg_usage_name(bug->prev), strlen(lg_usage_name(bug->prev)) + 1);
		h = lg_fnv1a(h, lg_usage_name(bug->usage), strlen(lg_usage_name(bug->usage)));
		f = lg_findings_add(out, LG_FINDING_INCONSISTENT, 1, i);
		f->seq = bug->seq;
		f->classes[0] = bug->class;
		lg_finding_set_id(f, "il", h);
	}
}
