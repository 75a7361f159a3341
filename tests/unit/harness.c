/* The pipeline harness and the check runner for all unit suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int pipeline_run(struct pipeline *p, const char *trace)
{
	FILE *f = fmemopen((void *)trace, strlen(trace), "r");
	struct lg_text_source *ts;
	struct lg_event ev;
	int ret;

	if (!p->rules)
		p->rules = lg_rules_new();
	p->names = lg_strtab_new();
	p->graph = lg_graph_new(p->names, p->rules);
	p->replay = lg_replay_new(p->graph);
	ts = lg_text_source_new(f, "test.txt", p->names);
	lg_replay_begin_input(p->replay, 0);
	while ((ret = lg_text_source_next(ts, &ev, &p->err)) == 1)
		lg_replay_event(p->replay, &ev);
	p->stats = *lg_text_source_stats(ts);
	lg_text_source_free(ts);
	fclose(f);
	lg_detect_recursion(p->graph, &p->findings);
	lg_detect_cycles(p->graph, &p->findings);
	lg_findings_sort(&p->findings);
	return ret;
}

void pipeline_free(struct pipeline *p)
{
	lg_findings_release(&p->findings);
	lg_replay_free(p->replay);
	lg_graph_free(p->graph);
	lg_strtab_free(p->names);
	lg_rules_free(p->rules);
}

const char *pipeline_classes(struct pipeline *p, uint32_t i)
{
	const struct lg_finding *f = &p->findings.v[i];

	p->buf[0] = '\0';
	for (uint32_t k = 0; k < f->nr; k++) {
		if (k)
			strcat(p->buf, " -> ");
		strcat(p->buf, lg_graph_class_name(p->graph, f->classes[k]));
	}
	return p->buf;
}

const struct lg_dep *pipeline_dep(struct pipeline *p, const char *from, const char *to)
{
	for (uint32_t i = 0; i < lg_graph_nr_deps(p->graph); i++) {
		const struct lg_dep *d = lg_graph_dep(p->graph, i);

		if (!strcmp(lg_graph_class_name(p->graph, d->from), from) &&
		    !strcmp(lg_graph_class_name(p->graph, d->to), to))
			return d;
	}
	return NULL;
}

int main(void)
{
	SRunner *sr = srunner_create(strtab_suite());
	int failed;

	srunner_add_suite(sr, u64map_suite());
	srunner_add_suite(sr, source_text_suite());
	srunner_add_suite(sr, rules_suite());
	srunner_add_suite(sr, replay_suite());
	srunner_add_suite(sr, detect_suite());
	srunner_add_suite(sr, contention_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
