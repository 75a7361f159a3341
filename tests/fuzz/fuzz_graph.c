/* libFuzzer target: any bytes as a graph file, merged twice into one
 * analysis (as a fleet's files are), then, if they were accepted, the
 * detectors, every reporter, and the graph written out and read back,
 * which must be accepted too. A crash, leak, hang or sanitizer report is a
 * bug; an error return for bad input is the expected outcome. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lockgraph/analysis.h"
#include "lockgraph/graph_file.h"
#include "lockgraph/lib/util.h"

static void report(struct lg_analysis *a)
{
	struct lg_report rep = lg_analysis_report(a, true);
	FILE *out = fopen("/dev/null", "w");

	if (!out)
		return;
	lg_report_text(&rep, out);
	lg_report_json(&rep, out);
	lg_report_junit(&rep, out);
	lg_report_dot(&rep, out);
	fclose(out);
}

/* What the analysis saves reads back. */
static void resave(struct lg_analysis *a)
{
	struct lg_report rep = lg_analysis_report(a, false);
	struct lg_analysis again;
	struct lg_error err;
	size_t len;
	char *text;
	FILE *out = lg_xmemstream(&text, &len);

	lg_graph_file_write(out, &rep);
	fclose(out);
	lg_analysis_init(&again);
	if (lg_analysis_add_graph(&again, "saved", text, len, &err)) {
		fprintf(stderr, "a saved graph was refused: %s\n", err.msg);
		abort();
	}
	lg_analysis_release(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_analysis a;
	struct lg_error err;

	lg_analysis_init(&a);
	if (!lg_analysis_add_graph(&a, "fuzz", (const char *)data, size, &err) &&
	    !lg_analysis_add_graph(&a, "fuzz", (const char *)data, size, &err)) {
		resave(&a);
		lg_analysis_detect(&a);
		report(&a);
	}
	lg_analysis_release(&a);
	return 0;
}
