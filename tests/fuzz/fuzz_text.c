/* libFuzzer target: any bytes through the text source and the whole analysis,
 * then both reporters. A crash, leak, hang or sanitizer report is a bug; an
 * error return for bad input is the expected outcome. */
#include <stdio.h>
#include <stdint.h>

#include "lockgraph/analysis.h"
#include "lockgraph/input/ftrace_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	FILE *out = fopen("/dev/null", "w");
	struct lg_analysis a;
	struct lg_text_source *ts;
	struct lg_error err;

	if (!f || !out)
		return 0;
	lg_analysis_init(&a);
	ts = lg_text_source_new(f, "fuzz", a.names);
	lg_analysis_begin_input(&a);
	if (!lg_text_source_read(ts, lg_analysis_feed, &a, &err) &&
	    !lg_analysis_end_input(&a, "fuzz", "ftrace", lg_text_source_stats(ts), NULL, NULL, &err)) {
		struct lg_report rep;

		lg_analysis_detect(&a);
		rep = lg_analysis_report(&a, true);
		lg_report_text(&rep, out);
		lg_report_json(&rep, out);
	}
	lg_text_source_free(ts);
	lg_analysis_release(&a);
	fclose(f);
	fclose(out);
	return 0;
}
