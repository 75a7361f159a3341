/* The dependency graph in graphviz's DOT: a node per class (its usage string,
 * irq-safe ones filled), an edge per dependency (how often, and the call
 * site of its first sighting), each cycle group in a colour of its own, the
 * dependencies only an annotation or a rule made dashed. --cycles-only: the
 * findings' classes and their neighbours. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/utf8.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/report/report.h"

static const char *const palette[] = { "#d62728", "#1f77b4", "#2ca02c", "#9467bd",
				       "#ff7f0e", "#8c564b", "#e377c2", "#17becf" };
#define NR_COLOURS (sizeof(palette) / sizeof(palette[0]))

/* Into a DOT string: escaped, '?' for what is not printable UTF-8. */
static void dot_str(FILE *out, const char *text)
{
	size_t size = strlen(text);

	for (size_t i = 0; i < size;) {
		size_t len = lg_utf8_char(text + i, size - i);

		if (!len || (unsigned char)text[i] < 0x20)
			fputc('?', out);
		else if (text[i] == '"' || text[i] == '\\')
			fprintf(out, "\\%c", text[i]);
		else
			fwrite(text + i, 1, len, out);
		i += len ? len : 1;
	}
}

/* The function of a call site: "svm_range_restore_work", not "+0x1c/0x90". */
static void dot_function(FILE *out, const char *site)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(site, "+ ("), site);
	dot_str(out, buf);
}

struct dot {
	const struct lg_report *rep;
	uint32_t *cycle_of_dep;	/* the first cycle finding through it, or LG_NONE */
	uint32_t *cycle_of_class;	/* the same by class */
	bool *shown;		/* by class */
	bool *in_finding;	/* by class */
};

static const char *colour(const struct dot *d, uint32_t cycle)
{
	return palette[d->rep->findings->v[cycle].group % NR_COLOURS];
}

/* Which classes to draw: all with a dependency, or (cycles_only) the
 * findings' and the classes one dependency away from them. */
static void choose(struct dot *d, bool cycles_only)
{
	const struct lg_graph *g = d->rep->graph;
	const struct lg_findings *fs = d->rep->findings;

	for (uint32_t i = 0; i < fs->nr; i++)
		for (uint32_t c = 0; c < fs->v[i].nr && !lg_finding_is_wait(&fs->v[i]); c++)
			d->in_finding[fs->v[i].classes[c]] = true;
	for (uint32_t i = 0; i < lg_graph_nr_deps(g); i++) {
		const struct lg_dep *dep = lg_graph_dep(g, i);

		if (!cycles_only || d->in_finding[dep->from] || d->in_finding[dep->to])
			d->shown[dep->from] = d->shown[dep->to] = true;
	}
	for (uint32_t i = 0; i < fs->nr; i++) {
		const struct lg_finding *f = &fs->v[i];

		for (uint32_t c = 0; c < f->nr && !lg_finding_is_wait(f); c++)
			d->shown[f->classes[c]] = true;
		for (uint32_t c = 0; f->kind == LG_FINDING_CIRCULAR && c < f->nr; c++) {
			if (d->cycle_of_dep[f->deps[c]] == LG_NONE)
				d->cycle_of_dep[f->deps[c]] = i;
			if (d->cycle_of_class[f->classes[c]] == LG_NONE)
				d->cycle_of_class[f->classes[c]] = i;
		}
	}
}

static void node(const struct dot *d, FILE *out, uint32_t class)
{
	const struct lg_graph *g = d->rep->graph;
	uint8_t usage = lg_graph_class_usage(g, class);
	bool hardirq = usage & (1U << 0 | 1U << LG_USAGE_READ);
	bool softirq = usage & (1U << LG_USAGE_SOFTIRQ | 1U << (LG_USAGE_SOFTIRQ | LG_USAGE_READ));
	char chars[5];

	fprintf(out, "\tc%" PRIu32 " [label=\"", class);
	dot_str(out, lg_graph_class_name(g, class));
	if (lg_report_usage_chars(d->rep, class, chars))
		fprintf(out, "\\n{%s}", chars);
	if (hardirq || softirq)
		fprintf(out, "\\n%s%s%s-safe", hardirq ? "HARDIRQ" : "",
			hardirq && softirq ? ", " : "", softirq ? "SOFTIRQ" : "");
	fputc('"', out);
	if (hardirq || softirq)
		fputs(", style=filled, fillcolor=\"#ffe4b5\"", out);
	if (d->in_finding[class])
		fputs(", penwidth=2", out);
	if (d->cycle_of_class[class] != LG_NONE)
		fprintf(out, ", color=\"%s\"", colour(d, d->cycle_of_class[class]));
	fputs("];\n", out);
}

static void edge(const struct dot *d, FILE *out, uint32_t i)
{
	const struct lg_graph *g = d->rep->graph;
	const struct lg_dep *dep = lg_graph_dep(g, i);
	enum lg_dep_origin origin = lg_dep_origin(dep);
	const char *site = dep->count ? lg_graph_site_name(g, dep->first.at) : NULL;
	uint32_t cycle = d->cycle_of_dep[i];

	fprintf(out, "\tc%" PRIu32 " -> c%" PRIu32 " [label=\"", dep->from, dep->to);
	if (origin == LG_ORIGIN_RULE) {
		fputs("rule ", out);
		dot_str(out, lg_graph_name(g, dep->rule));
	} else {
		fprintf(out, "x%" PRIu64, dep->count);
		if (origin == LG_ORIGIN_ANNOTATION) {
			fputs("\\nannotation ", out);
			dot_str(out, lg_graph_name(g, dep->primer));
		} else if (site) {
			fputs("\\n", out);
			dot_function(out, site);
		}
	}
	fputc('"', out);
	if (origin != LG_ORIGIN_OBSERVED)
		fputs(", style=dashed", out);
	if (cycle != LG_NONE)
		fprintf(out, ", color=\"%s\", fontcolor=\"%s\", penwidth=2, tooltip=\"%s\"",
			colour(d, cycle), colour(d, cycle), d->rep->findings->v[cycle].id);
	fputs("];\n", out);
}

int lg_report_dot(const struct lg_report *rep, FILE *out)
{
	const struct lg_graph *g = rep->graph;
	uint32_t bound = lg_graph_class_bound(g), nr_deps = lg_graph_nr_deps(g);
	struct dot d = {
		.rep = rep,
		.cycle_of_dep = lg_xmalloc((nr_deps + 1) * sizeof(*d.cycle_of_dep)),
		.cycle_of_class = lg_xmalloc((bound + 1) * sizeof(*d.cycle_of_class)),
		.shown = lg_xcalloc(bound + 1, sizeof(*d.shown)),
		.in_finding = lg_xcalloc(bound + 1, sizeof(*d.in_finding)),
	};

	memset(d.cycle_of_dep, 0xff, (nr_deps + 1) * sizeof(*d.cycle_of_dep));
	memset(d.cycle_of_class, 0xff, (bound + 1) * sizeof(*d.cycle_of_class));
	choose(&d, rep->cycles_only);
	fprintf(out, "digraph lockgraph {\n"
		"\tgraph [rankdir=LR, fontname=\"monospace\", labelloc=t, label=\"lockgraph: "
		"%" PRIu32 " classes, %" PRIu32 " dependencies, %" PRIu32 " finding%s%s\"];\n"
		"\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n"
		"\tedge [fontname=\"monospace\", fontsize=9];\n",
		lg_graph_nr_classes(g), nr_deps, rep->findings->nr, rep->findings->nr == 1 ? "" : "s",
		rep->cycles_only ? " (their classes and neighbours)" : "");
	for (uint32_t c = 0; c < bound; c++)
		if (d.shown[c])
			node(&d, out, c);
	for (uint32_t i = 0; i < nr_deps; i++) {
		const struct lg_dep *dep = lg_graph_dep(g, i);

		if (d.shown[dep->from] && d.shown[dep->to] &&
		    (!rep->cycles_only || d.in_finding[dep->from] || d.in_finding[dep->to]))
			edge(&d, out, i);
	}
	fputs("}\n", out);
	free(d.cycle_of_dep);
	free(d.cycle_of_class);
	free(d.shown);
	free(d.in_finding);
	return ferror(out) ? -1 : 0;
}
