/* Recursive locking (lockdep's check_deadlock): replay recorded each class that
 * was acquired again while held; each becomes one finding. */
#include <string.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"

void lg_detect_recursion(const struct lg_graph *g, struct lg_findings *out)
{
	for (uint32_t i = 0; i < lg_graph_nr_recursions(g); i++) {
		const struct lg_recursion *r = lg_graph_recursion(g, i);
		const char *name = lg_graph_class_name(g, r->class);
		uint64_t h = lg_fnv1a(LG_FNV1A_INIT, "recursive-locking", 18);
		struct lg_finding *f;

		h = lg_fnv1a(h, name, strlen(name));
		f = lg_findings_add(out, LG_FINDING_RECURSIVE, 1, i);
		f->seq = r->seq;
		f->classes[0] = r->class;
		lg_finding_set_id(f, "rl", h);
	}
}
