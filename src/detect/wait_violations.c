/* Invalid wait contexts (lockdep's check_wait_context): replay judged each
 * suspect acquisition for both kinds of kernel; the trace's classes say which
 * kind it came from, and what that kernel would have reported becomes one
 * finding each. */
#include <string.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_context.h"

void lg_detect_wait_context(const struct lg_graph *g, struct lg_findings *out)
{
	bool raw_nesting = lg_wait_raw_nesting(lg_graph_max_wait(g));

	for (uint32_t i = 0; i < lg_graph_nr_wait_violations(g); i++) {
		const struct lg_wait_violation *v = lg_graph_wait_violation(g, i);
		uint64_t h = lg_fnv1a(LG_FNV1A_INIT, "invalid-wait-context", 20);
		struct lg_finding *f;

		if (!(v->verdicts & (1U << raw_nesting)))
			continue;
		f = lg_findings_add(out, LG_FINDING_WAIT_CONTEXT, v->held == LG_NONE ? 1 : 2, i);
		f->seq = v->seq;
		f->classes[0] = v->class;
		if (f->nr == 2)
			f->classes[1] = v->held;
		for (uint32_t k = 0; k < f->nr; k++)
			h = lg_hash_class(h, g, f->classes[k], true);
		h = lg_fnv1a(h, v->first.ctx == LG_CTX_PROCESS ? "task" : "irq", 4);
		lg_finding_set_id(f, "wc", h);
	}
}
