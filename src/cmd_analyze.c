/* lockgraph analyze: run the pipeline source -> replay -> graph -> detectors ->
 * reporter over every input, merged into one graph as lockdep merges a boot. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/commands.h"
#include "lockgraph/contention.h"
#include "lockgraph/detect.h"
#include "lockgraph/replay.h"
#include "lockgraph/report.h"
#include "lockgraph/rules.h"
#include "lockgraph/util.h"

struct analysis {
	struct lg_rules *rules;
	struct lg_strtab *names;
	struct lg_graph *graph;
	struct lg_replay *replay;
	struct lg_contention *contention;
	struct lg_input *inputs;
	uint32_t nr_inputs;
	struct lg_findings findings;
	char **warnings;
	uint32_t nr_warnings, alloc_warnings;
};

static const char usage[] =
	"usage: lockgraph analyze [--format=text|json] [--contention] [--rules FILE]... TRACE...\n";

__attribute__((format(printf, 2, 3)))
static void warn(struct analysis *a, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	LG_GROW(a->warnings, a->nr_warnings, a->alloc_warnings);
	a->warnings[a->nr_warnings++] = lg_xstrdup(buf);
	fprintf(stderr, "lockgraph: warning: %s\n", buf);
}

/* What an input's numbers mean for the accuracy of the result. */
static int judge_input(struct analysis *a, const struct lg_input *in, struct lg_error *err)
{
	const struct lg_input_stats *st = &in->stats;

	if (!st->events && st->unaddressed)
		return lg_fail(err, EINVAL, "%s: no lock event has a usable address: all %" PRIu64
			       " print it as (____ptrval____), so releases cannot be matched "
			       "(the kernel's pointer hashing was not ready: boot with "
			       "random.trust_cpu=on or start tracing later)", in->path,
			       st->unaddressed);
	if (st->unaddressed)
		warn(a, "%s: %" PRIu64 " lock events print their address as (____ptrval____) "
		     "and were skipped", in->path, st->unaddressed);
	if (!st->events && !st->unaddressed)
		warn(a, "%s: no lock events (was lock:lock_acquire recorded, on a kernel "
		     "with CONFIG_LOCKDEP?)", in->path);
	if (st->names_dropped)
		warn(a, "%s: lock events with empty names: a kernel printing raw pointers "
		     "(hash-ptr off) drops the first string of lock events, so \"try \" is "
		     "lost too and trylocks replay as blocking acquisitions; keep "
		     "hash-ptr on or convert a trace-cmd recording", in->path);
	if (st->no_irq_info)
		warn(a, "%s: no irq flags column, so interrupt handlers' locks look nested "
		     "in the interrupted task's; keep the irq-info option on, or use "
		     "'trace-cmd report -l'", in->path);
	if (st->lost_markers) {
		char cpus[256] = "";
		size_t len = 0;

		for (int c = 0; c < LG_LOST_CPUS && len < sizeof(cpus) - 16; c++)
			if (st->lost_markers_by_cpu[c])
				len += snprintf(cpus + len, sizeof(cpus) - len, "%s%d%s",
						len ? "," : "", c, c == LG_LOST_CPUS - 1 ? "+" : "");
		warn(a, "%s: events lost in %" PRIu64 " place%s (%" PRIu64 " counted) on "
		     "CPU %s: held-lock stacks of tasks there could be wrong, so all were "
		     "forgotten at each loss and dependencies across it are missed",
		     in->path, st->lost_markers, st->lost_markers == 1 ? "" : "s", st->lost,
		     cpus);
	}
	return 0;
}

static void analyze_event(const struct lg_event *ev, void *arg)
{
	struct analysis *a = arg;

	lg_replay_event(a->replay, ev);
	lg_contention_event(a->contention, ev);
}

static const char *input_symbol(uint64_t addr, void *src)
{
	return lg_source_symbol(src, addr);
}

static int replay_input(struct analysis *a, const char *path, struct lg_error *err)
{
	struct lg_source *src;
	struct lg_input *in;
	int ret = lg_source_open(&src, path, a->names, err);

	if (ret)
		return ret;
	lg_replay_begin_input(a->replay, a->nr_inputs);
	ret = lg_source_read(src, analyze_event, a, err);
	if (!ret) {
		lg_contention_end_input(a->contention, input_symbol, src);
		in = &a->inputs[a->nr_inputs++];
		in->path = path;
		in->format = lg_source_format(src);
		in->stats = *lg_source_stats(src);
		ret = judge_input(a, in, err);
	}
	lg_source_close(src);
	return ret;
}

static int report(struct analysis *a, bool json, bool contention)
{
	struct lg_report rep = {
		.inputs = a->inputs,
		.nr_inputs = a->nr_inputs,
		.graph = a->graph,
		.replay = lg_replay_stats(a->replay),
		.findings = &a->findings,
		.contention = a->contention,
		.show_contention = contention,
		.warnings = a->warnings,
		.nr_warnings = a->nr_warnings,
	};

	if ((json ? lg_report_json(&rep, stdout) : lg_report_text(&rep, stdout)) ||
	    fflush(stdout)) {
		fprintf(stderr, "lockgraph: cannot write the report: %s\n", strerror(errno));
		return LG_EXIT_ERROR;
	}
	return a->findings.nr ? LG_EXIT_FINDINGS : LG_EXIT_CLEAN;
}

static int run(struct analysis *a, char **paths, int nr_paths, bool json, bool contention)
{
	struct lg_error err;

	a->inputs = lg_xcalloc(nr_paths, sizeof(*a->inputs));
	for (int i = 0; i < nr_paths; i++) {
		if (replay_input(a, paths[i], &err)) {
			fprintf(stderr, "lockgraph: %s\n", err.msg);
			return LG_EXIT_ERROR;
		}
	}
	lg_detect_recursion(a->graph, &a->findings);
	lg_detect_cycles(a->graph, &a->findings);
	lg_findings_sort(&a->findings);
	return report(a, json, contention);
}

static void release(struct analysis *a)
{
	lg_findings_release(&a->findings);
	lg_replay_free(a->replay);
	lg_contention_free(a->contention);
	lg_graph_free(a->graph);
	lg_strtab_free(a->names);
	lg_rules_free(a->rules);
	free(a->inputs);
	for (uint32_t i = 0; i < a->nr_warnings; i++)
		free(a->warnings[i]);
	free(a->warnings);
}

int lg_cmd_analyze(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "contention", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct analysis a = { .rules = lg_rules_new() };
	struct lg_error err;
	bool json = false, contention = false;
	int opt, status = LG_EXIT_ERROR;

	while ((opt = getopt_long(argc, argv, "f:r:ch", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			contention = true;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				fprintf(stderr, "lockgraph: unknown format '%s' (text or json)\n", optarg);
				goto out;
			}
			json = !strcmp(optarg, "json");
			break;
		case 'r':
			if (lg_rules_load(a.rules, optarg, &err)) {
				fprintf(stderr, "lockgraph: %s\n", err.msg);
				goto out;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			status = LG_EXIT_CLEAN;
			goto out;
		default:
			fputs(usage, stderr);
			goto out;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "lockgraph: analyze needs at least one trace\n%s", usage);
		goto out;
	}
	a.names = lg_strtab_new();
	a.graph = lg_graph_new(a.names, a.rules);
	a.replay = lg_replay_new(a.graph);
	a.contention = lg_contention_new(a.names);
	status = run(&a, argv + optind, argc - optind, json, contention);
out:
	release(&a);
	return status;
}
