/* libFuzzer target: any bytes as a rules file over the built-in rules, then,
 * if they parse, the whole analysis of a small trace with them (their prime
 * chains in the graph, cycles through them) and both reporters; and the same
 * bytes as a suppression file, applied to that analysis's findings. A crash,
 * leak, hang or sanitizer report is a bug; an error return for bad input is
 * the expected outcome. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/analysis.h"
#include "lockgraph/input/ftrace_text.h"
#include "lockgraph/input/rules.h"
#include "lockgraph/report/suppressions.h"

/* B -> A at run time: a prime of A -> B closes a cycle */
static const char trace[] =
	"          insmod-411     [000] .....  1.000100: lock_acquire: 00000000bbbbbbbb B\n"
	"          insmod-411     [000] .....  1.000110: lock_acquire: 00000000aaaaaaaa A\n"
	"          insmod-411     [000] .....  1.000120: lock_release: 00000000aaaaaaaa A\n"
	"          insmod-411     [000] .....  1.000130: lock_release: 00000000bbbbbbbb B\n";

static void analyse(struct lg_analysis *a, struct lg_suppressions *known)
{
	FILE *f = fmemopen((void *)trace, sizeof(trace) - 1, "r");
	FILE *out = fopen("/dev/null", "w");
	struct lg_text_source *ts;
	struct lg_error err;

	if (!f || !out)
		goto out;
	ts = lg_text_source_new(f, "fuzz.txt", a->names);
	lg_analysis_begin_input(a);
	if (!lg_text_source_read(ts, lg_analysis_feed, a, &err) &&
	    !lg_analysis_end_input(a, "fuzz.txt", "ftrace", lg_text_source_stats(ts), NULL, NULL,
				   &err)) {
		struct lg_report rep;

		lg_analysis_detect(a);
		rep = lg_analysis_report(a, false);
		lg_suppressions_apply(known, a->graph, &a->findings, lg_report_describe, &rep);
		rep.suppressions = known;
		lg_report_text(&rep, out);
		lg_report_json(&rep, out);
	}
	lg_text_source_free(ts);
out:
	if (f)
		fclose(f);
	if (out)
		fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	FILE *g = fmemopen((void *)data, size, "r");
	struct lg_suppressions known;
	struct lg_analysis a;
	struct lg_error err;
	char name[64];

	if (!f || !g)
		goto out;
	lg_suppressions_init(&known);
	lg_suppressions_load(&known, g, "fuzz", &err);	/* what parsed, if not all */
	lg_analysis_init(&a);
	if (!lg_rules_read(a.rules, f, "fuzz", &err)) {
		/* look up the input's first bytes as a class, to walk the list */
		snprintf(name, sizeof(name), "%.*s", (int)(size < 63 ? size : 63), data);
		lg_rules_novalidate(a.rules, name);
	}
	analyse(&a, &known);
	lg_analysis_release(&a);
	lg_suppressions_release(&known);
out:
	if (f)
		fclose(f);
	if (g)
		fclose(g);
	return 0;
}
