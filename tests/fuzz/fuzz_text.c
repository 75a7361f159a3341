/* libFuzzer target: any bytes through the text source, replay, both detectors
 * and both reporters. A crash, leak, hang or sanitizer report is a bug; an
 * error return for bad input is the expected outcome. */
#include <stdio.h>
#include <stdint.h>

#include "lockgraph/detect.h"
#include "lockgraph/replay.h"
#include "lockgraph/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	FILE *out = fopen("/dev/null", "w");
	struct lg_rules *rules = lg_rules_new();
	struct lg_strtab *names = lg_strtab_new();
	struct lg_graph *graph = lg_graph_new(names, rules);
	struct lg_replay *replay = lg_replay_new(graph);
	struct lg_text_source *ts;
	struct lg_findings findings = { 0 };
	struct lg_input input = { .path = "fuzz", .format = "ftrace" };
	struct lg_event ev;
	struct lg_error err;

	if (!f || !out)
		return 0;
	ts = lg_text_source_new(f, "fuzz", names);
	lg_replay_begin_input(replay, 0);
	while (lg_text_source_next(ts, &ev, &err) == 1)
		lg_replay_event(replay, &ev);
	input.stats = *lg_text_source_stats(ts);
	lg_detect_recursion(graph, &findings);
	lg_detect_cycles(graph, &findings);
	lg_findings_sort(&findings);

	struct lg_report rep = {
		.inputs = &input, .nr_inputs = 1, .graph = graph,
		.replay = lg_replay_stats(replay), .findings = &findings,
	};

	lg_report_text(&rep, out);
	lg_report_json(&rep, out);
	lg_findings_release(&findings);
	lg_text_source_free(ts);
	lg_replay_free(replay);
	lg_graph_free(graph);
	lg_strtab_free(names);
	lg_rules_free(rules);
	fclose(f);
	fclose(out);
	return 0;
}
