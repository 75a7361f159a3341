/* libFuzzer target: any bytes through the text source, replay, contention,
 * both detectors and both reporters. A crash, leak, hang or sanitizer report
 * is a bug; an error return for bad input is the expected outcome. */
#include <stdio.h>
#include <stdint.h>

#include "lockgraph/contention.h"
#include "lockgraph/detect.h"
#include "lockgraph/replay.h"
#include "lockgraph/report.h"

struct pipeline {
	struct lg_replay *replay;
	struct lg_contention *contention;
};

static void feed(const struct lg_event *ev, void *arg)
{
	struct pipeline *p = arg;

	lg_replay_event(p->replay, ev);
	lg_contention_event(p->contention, ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	FILE *out = fopen("/dev/null", "w");
	struct lg_rules *rules = lg_rules_new();
	struct lg_strtab *names = lg_strtab_new();
	struct lg_graph *graph = lg_graph_new(names, rules);
	struct pipeline p = { lg_replay_new(graph), lg_contention_new(names) };
	struct lg_text_source *ts;
	struct lg_findings findings = { 0 };
	struct lg_input input = { .path = "fuzz", .format = "ftrace" };
	struct lg_error err;

	if (!f || !out)
		return 0;
	ts = lg_text_source_new(f, "fuzz", names);
	lg_replay_begin_input(p.replay, 0);
	lg_text_source_read(ts, feed, &p, &err);
	lg_contention_end_input(p.contention, NULL, NULL);
	input.stats = *lg_text_source_stats(ts);
	lg_detect_recursion(graph, &findings);
	lg_detect_cycles(graph, &findings);
	lg_findings_sort(&findings);

	struct lg_report rep = {
		.inputs = &input, .nr_inputs = 1, .graph = graph,
		.replay = lg_replay_stats(p.replay), .findings = &findings,
		.contention = p.contention, .show_contention = true,
	};

	lg_report_text(&rep, out);
	lg_report_json(&rep, out);
	lg_findings_release(&findings);
	lg_text_source_free(ts);
	lg_replay_free(p.replay);
	lg_contention_free(p.contention);
	lg_graph_free(graph);
	lg_strtab_free(names);
	lg_rules_free(rules);
	fclose(f);
	fclose(out);
	return 0;
}
