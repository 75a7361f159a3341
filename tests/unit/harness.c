/* The pipeline harness and the check runner for all unit suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

void direct_init(struct direct *d)
{
	d->names = lg_strtab_new();
	d->rules = lg_rules_new();
	d->graph = lg_graph_new(d->names, d->rules);
	d->replay = lg_replay_new(d->graph, d->names);
	lg_replay_begin_input(d->replay, 0);
}

void direct_free(struct direct *d)
{
	lg_replay_free(d->replay);
	lg_graph_free(d->graph);
	lg_rules_free(d->rules);
	lg_strtab_free(d->names);
}

void direct_send(struct direct *d, struct lg_event ev, const char *name)
{
	ev.comm = "t";
	ev.comm_len = 1;
	if (name)
		ev.class_name = lg_strtab_intern(d->names, name, strlen(name));
	lg_replay_event(d->replay, &ev);
}

void direct_event(struct direct *d, enum lg_event_kind kind, int pid, const char *name,
		  uint64_t addr, uint16_t flags)
{
	direct_send(d, (struct lg_event){ .kind = kind, .pid = pid, .addr = addr,
					  .flags = flags }, name);
}

int pipeline_run(struct pipeline *p, const char *trace)
{
	FILE *f = fmemopen((void *)trace, strlen(trace), "r");
	struct lg_text_source *ts;
	int ret;

	lg_analysis_init(&p->a);
	ts = lg_text_source_new(f, "test.txt", p->a.names);
	lg_analysis_begin_input(&p->a);
	ret = lg_text_source_read(ts, lg_analysis_feed, &p->a, &p->err);
	p->stats = *lg_text_source_stats(ts);
	if (!ret)
		ret = lg_analysis_end_input(&p->a, "test.txt", lg_text_source_format(ts),
					    &p->stats, NULL, NULL, &p->err);
	lg_text_source_free(ts);
	fclose(f);
	lg_analysis_detect(&p->a);
	p->graph = p->a.graph;
	p->replay = p->a.replay;
	p->findings = &p->a.findings;
	return ret;
}

void pipeline_free(struct pipeline *p)
{
	lg_analysis_release(&p->a);
}

const char *pipeline_classes(struct pipeline *p, uint32_t i)
{
	const struct lg_finding *f = &p->findings->v[i];

	p->buf[0] = '\0';
	for (uint32_t k = 0; k < f->nr; k++) {
		if (k)
			strcat(p->buf, " -> ");
		strcat(p->buf, lg_graph_class_name(p->graph, f->classes[k]));
	}
	return p->buf;
}

static const struct lg_dep *graph_dep(const struct lg_graph *g, const char *from,
				      const char *to)
{
	for (uint32_t i = 0; i < lg_graph_nr_deps(g); i++) {
		const struct lg_dep *d = lg_graph_dep(g, i);

		if (!strcmp(lg_graph_class_name(g, d->from), from) &&
		    !strcmp(lg_graph_class_name(g, d->to), to))
			return d;
	}
	return NULL;
}

const struct lg_dep *pipeline_dep(struct pipeline *p, const char *from, const char *to)
{
	return graph_dep(p->graph, from, to);
}

const struct lg_dep *direct_dep(struct direct *d, const char *from, const char *to)
{
	return graph_dep(d->graph, from, to);
}

uint32_t direct_class(struct direct *d, const char *name)
{
	return lg_graph_class(d->graph, lg_strtab_intern(d->names, name, strlen(name)));
}

int main(void)
{
	SRunner *sr = srunner_create(strtab_suite());
	int failed;

	srunner_add_suite(sr, u64map_suite());
	srunner_add_suite(sr, ftrace_text_suite());
	srunner_add_suite(sr, rules_suite());
	srunner_add_suite(sr, replay_suite());
	srunner_add_suite(sr, waits_suite());
	srunner_add_suite(sr, detect_suite());
	srunner_add_suite(sr, contention_suite());
	srunner_add_suite(sr, elf_symbols_suite());
	srunner_add_suite(sr, pthread_locks_suite());
	srunner_add_suite(sr, proc_maps_suite());
	srunner_add_suite(sr, user_symbols_suite());
	srunner_add_suite(sr, class_keys_suite());
	srunner_add_suite(sr, kernel_sites_suite());
	srunner_add_suite(sr, wait_context_suite());
	srunner_add_suite(sr, irq_usage_suite());
	srunner_add_suite(sr, contract_suite());
	srunner_add_suite(sr, input_stats_suite());
	srunner_add_suite(sr, tracedat_pages_suite());
	srunner_add_suite(sr, tasks_suite());
	srunner_add_suite(sr, primers_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
