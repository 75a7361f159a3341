/* lockgraph analyze: every trace on the command line into one analysis, then
 * the report in the chosen format; the exit status says whether it found any. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/analysis.h"
#include "lockgraph/commands.h"

static const char usage[] =
	"usage: lockgraph analyze [--format=text|json] [--all] [--contention] [--rules FILE]... TRACE...\n";

struct options {
	bool json, contention, all;
};

static int report(const struct lg_analysis *a, const struct options *o)
{
	struct lg_report rep = lg_analysis_report(a, o->contention);

	rep.all_cycles = o->all;
	if ((o->json ? lg_report_json(&rep, stdout) : lg_report_text(&rep, stdout)) ||
	    fflush(stdout)) {
		fprintf(stderr, "lockgraph: cannot write the report: %s\n", strerror(errno));
		return LG_EXIT_ERROR;
	}
	return a->findings.nr ? LG_EXIT_FINDINGS : LG_EXIT_CLEAN;
}

static int run(struct lg_analysis *a, char **paths, int nr_paths, const struct options *o)
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
	lg_analysis_detect(a);
	while (warned < a->nr_warnings)	/* the rules' */
		fprintf(stderr, "lockgraph: warning: %s\n", a->warnings[warned++]);
	return report(a, o);
}

#define GO_ON (-1)

/* GO_ON, or the exit status. */
static int parse_options(int argc, char **argv, struct lg_analysis *a, struct options *o)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "contention", no_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lg_error err;
	int opt;

	while ((opt = getopt_long(argc, argv, "f:r:cah", options, NULL)) != -1) {
		switch (opt) {
		case 'a':
			o->all = true;
			break;
		case 'c':
			o->contention = true;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				fprintf(stderr, "lockgraph: unknown format '%s' (text or json)\n", optarg);
				return LG_EXIT_ERROR;
			}
			o->json = !strcmp(optarg, "json");
			break;
		case 'r':
			if (lg_rules_load(a->rules, optarg, &err)) {
				fprintf(stderr, "lockgraph: %s\n", err.msg);
				return LG_EXIT_ERROR;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return LG_EXIT_CLEAN;
		default:
			fputs(usage, stderr);
			return LG_EXIT_ERROR;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "lockgraph: analyze needs at least one trace\n%s", usage);
		return LG_EXIT_ERROR;
	}
	return GO_ON;
}

int lg_cmd_analyze(int argc, char **argv)
{
	struct lg_analysis a;
	struct options o = { 0 };
	int status;

	lg_analysis_init(&a);
	status = parse_options(argc, argv, &a, &o);
	if (status == GO_ON)
		status = run(&a, argv + optind, argc - optind, &o);
	lg_analysis_release(&a);
	return status;
}
