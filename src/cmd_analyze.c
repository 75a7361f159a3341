/* lockgraph analyze: every trace on the command line into one analysis, then
 * the report in the chosen format; the exit status says whether it found any. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockgraph/analysis.h"
#include "lockgraph/commands.h"
#include "lockgraph/graph_file.h"
#include "lockgraph/lib/cli.h"
#include "lockgraph/lib/replace_file.h"

static const char usage[] =
	"usage: lockgraph analyze [OPTION]... TRACE|GRAPH...\n";

static const char help[] =
	"\n"
	"Replay lock traces (trace.dat, ftrace text; - is standard input) and graph\n"
	"files into one lock-dependency graph and report what lockdep would.\n"
	"\n"
	"  -f, --format=FORMAT      text (lockdep's layout, the default), json, junit\n"
	"                           or dot\n"
	"  -a, --all                text: every cycle of a group in full\n"
	"  -C, --cycles-only        dot: only the findings' classes and their neighbours\n"
	"  -c, --contention         text: the contention table too\n"
	"  -r, --rules=NAME|FILE    a rules file on top of the built-in rules; NAME is\n"
	"                           a shipped one (core, amdgpu, xe, ...); repeatable\n"
	"      --fail-on=KIND,...   only findings of these kinds make the exit status 1\n"
	"      --strict             an input without lock events, below the lockdep\n"
	"                           tier or with lost events is an error\n"
	"      --baseline=REPORT.json  report only findings not in that JSON report;\n"
	"                           repeatable\n"
	"      --suppress=FILE      hide findings by id or by cycle (ID  # reason,\n"
	"                           CLASS-GLOB -> CLASS-GLOB ...  # reason); repeatable\n"
	"      --save-graph=FILE    also write the merged graph, to merge with others\n"
	"                           later instead of the traces\n"
	"  -j, --threads=N          trace.dat: decode the CPUs' data on N threads (the\n"
	"                           default: one per online CPU); any N, the same report\n"
	"  -h, --help               this text\n"
	"\n"
	"Exit status: 0 nothing found, 1 findings, 2 usage or input error.\n"
	"See lockgraph-analyze(1).\n";

static const struct format {
	const char *name;
	int (*write)(const struct lg_report *rep, FILE *out);
} formats[] = {
	{ "text", lg_report_text },
	{ "json", lg_report_json },
	{ "junit", lg_report_junit },
	{ "dot", lg_report_dot },
};

struct options {
	const struct format *format;
	bool contention, all, cycles_only, strict;
	const char *save_graph;		/* --save-graph FILE, or NULL */
	uint32_t fail_on;	/* 1 << LG_FAIL_* kind; 0: all */
	struct lg_suppressions known;	/* --baseline, --suppress */
};

static int report(struct lg_analysis *a, struct options *o)
{
	struct lg_report rep = lg_analysis_report(a, o->contention);
	uint32_t failing = 0;

	rep.all_cycles = o->all;
	rep.cycles_only = o->cycles_only;
	rep.fail_on = o->fail_on;
	if (o->known.nr) {
		lg_suppressions_apply(&o->known, a->graph, &a->findings, lg_report_describe, &rep);
		rep.suppressions = &o->known;
	}
	if (o->format->write(&rep, stdout) || fflush(stdout)) {
		fprintf(stderr, "lockgraph: cannot write the report: %s\n", strerror(errno));
		return LG_EXIT_ERROR;
	}
	for (uint32_t i = 0; i < a->findings.nr; i++)
		failing += lg_report_fails(&rep, &a->findings.v[i]);
	if (failing < a->findings.nr)
		fprintf(stderr, "lockgraph: %u of %u findings are of kinds --fail-on leaves out\n",
			a->findings.nr - failing, a->findings.nr);
	return failing ? LG_EXIT_FINDINGS : LG_EXIT_CLEAN;
}

/* "circular-dependency,annotated-cycle": the kinds, or -1 naming the bad one. */
static int parse_kinds(char *list, uint32_t *kinds)
{
	char *save, *name;

	*kinds = 0;
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		unsigned k = 0;

		while (k < LG_FAIL_KINDS && strcmp(name, lg_fail_kind_name(k)))
			k++;
		if (k == LG_FAIL_KINDS) {
			fprintf(stderr, "lockgraph: --fail-on: unknown kind '%s' (", name);
			for (k = 0; k < LG_FAIL_KINDS; k++)
				fprintf(stderr, "%s%s", k ? ", " : "", lg_fail_kind_name(k));
			fputs(")\n", stderr);
			return -1;
		}
		*kinds |= 1U << k;
	}
	return *kinds ? 0 : -1;
}

/* --strict: an input that cannot show what lockdep would: an error. */
static int strict(const struct lg_analysis *a)
{
	for (uint32_t i = 0; i < a->nr_inputs; i++) {
		const struct lg_input *in = &a->inputs[i];
		const char *why = NULL;

		if (!in->stats.events)
			why = "no lock events";
		else if (in->tier < LG_TIER_LOCKDEP && !in->user_locks)
			why = "no lockdep events (tier below lockdep: a kernel without "
			      "CONFIG_LOCKDEP, or lock:lock_acquire not recorded)";
		else if (in->stats.lost || in->stats.lost_markers || in->stats.zeroed_pages ||
			 in->stats.missing)
			why = "events were lost, so findings may be missed or false";
		if (why) {
			fprintf(stderr, "lockgraph: --strict: %s: %s\n", in->path, why);
			return LG_EXIT_ERROR;
		}
	}
	return 0;
}

static int run(struct lg_analysis *a, char **paths, int nr_paths, struct options *o)
{
	struct lg_error err;
	uint32_t warned = 0;

	for (int i = 0; i < nr_paths; i++) {
		int ret = lg_analysis_add_file(a, paths[i], &err);

		while (warned < a->nr_warnings)
			fprintf(stderr, "lockgraph: warning: %s\n", a->warnings[warned++]);
		if (ret) {
			fprintf(stderr, "lockgraph: %s\n", err.msg);
			return LG_EXIT_ERROR;
		}
	}
	if (o->save_graph) {
		struct lg_report rep = lg_analysis_report(a, false);

		if (lg_replace_file(o->save_graph, lg_graph_file_write, &rep, &err)) {
			fprintf(stderr, "lockgraph: --save-graph: %s\n", err.msg);
			return LG_EXIT_ERROR;
		}
	}
	lg_analysis_detect(a);
	while (warned < a->nr_warnings)	/* the rules' */
		fprintf(stderr, "lockgraph: warning: %s\n", a->warnings[warned++]);
	if (o->strict && strict(a))
		return LG_EXIT_ERROR;
	return report(a, o);
}

static int load_suppressions(struct lg_suppressions *s, const char *path, struct lg_error *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return lg_fail(err, errno, "%s: cannot open suppressions: %s", path, strerror(errno));
	ret = lg_suppressions_load(s, f, path, err);
	fclose(f);
	return ret;
}

/* The format of that name, or NULL having said which there are. */
static const struct format *format_named(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(name, formats[i].name))
			return &formats[i];
	fprintf(stderr, "lockgraph: unknown format '%s' (", name);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		fprintf(stderr, "%s%s", i ? ", " : "", formats[i].name);
	fputs(")\n", stderr);
	return NULL;
}

#define GO_ON (-1)
#define LG_MAX_THREADS 256

/* GO_ON, or the exit status. */
static int parse_options(int argc, char **argv, struct lg_analysis *a, struct options *o)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "contention", no_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ "cycles-only", no_argument, NULL, 'C' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "strict", no_argument, NULL, 'S' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "suppress", required_argument, NULL, 's' },
		{ "save-graph", required_argument, NULL, 'G' },
		{ "threads", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lg_error err;
	char *end;
	long n;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:r:j:caCh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > LG_MAX_THREADS) {
				fprintf(stderr, "lockgraph: --threads %s: expected 1 to %d\n", optarg,
					LG_MAX_THREADS);
				return LG_EXIT_ERROR;
			}
			a->threads = n;
			break;
		case 'a':
			o->all = true;
			break;
		case 'c':
			o->contention = true;
			break;
		case 'C':
			o->cycles_only = true;
			break;
		case 'F':
			if (parse_kinds(optarg, &o->fail_on))
				return LG_EXIT_ERROR;
			break;
		case 'S':
			o->strict = true;
			break;
		case 'G':
			o->save_graph = optarg;
			break;
		case 'B':
			if (lg_suppressions_baseline(&o->known, optarg, &err)) {
				fprintf(stderr, "lockgraph: %s\n", err.msg);
				return LG_EXIT_ERROR;
			}
			break;
		case 's':
			if (load_suppressions(&o->known, optarg, &err)) {
				fprintf(stderr, "lockgraph: %s\n", err.msg);
				return LG_EXIT_ERROR;
			}
			break;
		case 'f':
			o->format = format_named(optarg);
			if (!o->format)
				return LG_EXIT_ERROR;
			break;
		case 'r':
			if (lg_rules_load(a->rules, optarg, &err)) {
				fprintf(stderr, "lockgraph: %s\n", err.msg);
				return LG_EXIT_ERROR;
			}
			break;
		case 'h':
			printf("%s%s", usage, help);
			return LG_EXIT_CLEAN;
		default:
			lg_cli_bad_option("analyze", opt, argv, options);
			fputs(usage, stderr);
			return LG_EXIT_ERROR;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "lockgraph: analyze needs at least one trace or graph file\n%s",
			usage);
		return LG_EXIT_ERROR;
	}
	return GO_ON;
}

int lg_cmd_analyze(int argc, char **argv)
{
	struct lg_analysis a;
	struct options o = { .format = &formats[0] };
	int status;
	long n;

	lg_suppressions_init(&o.known);
	lg_analysis_init(&a);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	a.threads = n < 1 ? 1 : n > LG_MAX_THREADS ? LG_MAX_THREADS : n;
	status = parse_options(argc, argv, &a, &o);
	if (status == GO_ON)
		status = run(&a, argv + optind, argc - optind, &o);
	lg_analysis_release(&a);
	lg_suppressions_release(&o.known);
	return status;
}
