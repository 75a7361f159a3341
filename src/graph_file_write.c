/* Writing a graph file: everything an analysis holds before detection,
 * names as strings (not as this run's ids), in the order the analysis found
 * them, so that a reader rebuilds the same graph. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/graph_file.h"
#include "lockgraph/lib/json_io.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"

static json_t *name_or_null(const char *s)
{
	return s && *s ? lg_json_name_new(s) : json_null();
}

static json_t *class_name(const struct lg_graph *g, uint32_t class)
{
	return lg_json_name_new(lg_graph_class_name(g, class));
}

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

/*
 * Seqs renumbered 0, 1, 2, ... in their order: a merge leaves a gap after
 * each (graph.h), which would otherwise double with each generation of
 * merged files.
 */
struct writer {
	const struct lg_graph *g;
	uint32_t *seqs;		/* every record's, sorted */
	uint32_t nr_seqs, alloc_seqs;
};

static void add_seq(struct writer *w, uint32_t seq)
{
	LG_GROW(w->seqs, w->nr_seqs, w->alloc_seqs);
	w->seqs[w->nr_seqs++] = seq;
}

static int by_value(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void collect_seqs(struct writer *w)
{
	const struct lg_graph *g = w->g;

	for (uint32_t c = 0; c < lg_graph_class_bound(g); c++)
		for (unsigned bit = 0; lg_graph_is_class(g, c) && bit < LG_NR_USAGE_BITS; bit++)
			if (lg_graph_usage_site(g, c, bit))
				add_seq(w, lg_graph_usage_seq(g, c, bit));
	for (uint32_t i = 0; i < lg_graph_nr_deps(g); i++)
		add_seq(w, lg_graph_dep(g, i)->seq);
	for (uint32_t i = 0; i < lg_graph_nr_recursions(g); i++)
		add_seq(w, lg_graph_recursion(g, i)->seq);
	for (uint32_t i = 0; i < lg_graph_nr_imbalances(g); i++)
		add_seq(w, lg_graph_imbalance(g, i)->seq);
	for (uint32_t i = 0; i < lg_graph_nr_wait_violations(g); i++)
		add_seq(w, lg_graph_wait_violation(g, i)->seq);
	for (uint32_t i = 0; i < lg_wait_graph_nr_deps(lg_graph_waits(g)); i++)
		add_seq(w, lg_wait_graph_dep(lg_graph_waits(g), i)->seq);
	if (w->nr_seqs)
		qsort(w->seqs, w->nr_seqs, sizeof(*w->seqs), by_value);
}

static json_t *seq_json(const struct writer *w, uint32_t seq)
{
	const uint32_t *at = bsearch(&seq, w->seqs, w->nr_seqs, sizeof(*w->seqs), by_value);

	return json_integer(at - w->seqs);
}

static json_t *held_json(const struct lg_graph *g, const struct lg_held_lock *h)
{
	return json_pack("{s:o, s:o, s:o, s:i, s:i}", "class", class_name(g, h->class),
			 "addr", lg_json_addr_new(h->addr),
			 "site", name_or_null(lg_graph_site_name(g, h->site)),
			 "flags", h->flags, "enabled", h->enabled);
}

static json_t *site_json(const struct lg_graph *g, const struct lg_site *s)
{
	const struct lg_held_lock *held = lg_graph_held(g, s);
	const uint32_t *stack = lg_graph_stack(g, s);
	json_t *held_arr = json_array(), *stack_arr = json_array();

	for (uint32_t i = 0; i < s->held_nr; i++)
		json_array_append_new(held_arr, held_json(g, &held[i]));
	for (uint32_t i = 0; i < s->stack_nr; i++)
		json_array_append_new(stack_arr, name_or_null(lg_graph_site_name(g, stack[i])));
	return json_pack("{s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:s, s:i, s:i, s:i, s:o, s:o, s:o}",
			 "time_ns", u64(s->time_ns), "addr", lg_json_addr_new(s->addr),
			 "input", u64(s->input),
			 "cpu", u64(s->cpu), "pid", (int)s->pid, "comm", lg_json_name_new(s->comm),
			 "at", name_or_null(lg_graph_site_name(g, s->at)),
			 "ctx", lg_ctx_name(s->ctx),
			 "flags", s->flags, "irqflags", s->irqflags, "enabling", s->enabling,
			 "inside", name_or_null(s->inside), "held", held_arr, "stack", stack_arr);
}

static json_t *usage_json(const struct writer *w, uint32_t class)
{
	const struct lg_graph *g = w->g;
	uint16_t bits = lg_graph_usage_at(g, class, LG_NONE);
	json_t *arr = json_array();

	for (unsigned bit = 0; bit < LG_NR_USAGE_BITS; bit++)
		if (bits & (1U << bit))
			json_array_append_new(arr, json_pack("{s:s, s:o, s:o}",
				"bit", lg_usage_name(bit),
				"seq", seq_json(w, lg_graph_usage_seq(g, class, bit)),
				"site", site_json(g, lg_graph_usage_site(g, class, bit))));
	return arr;
}

static json_t *class_json(const struct writer *wr, uint32_t class)
{
	const struct lg_graph *g = wr->g;
	const struct lg_wait_types *w = lg_graph_class_wait(g, class);
	json_t *instances = json_array();
	const struct lg_instance *in;
	uint8_t nr;
	bool more;

	in = lg_graph_instances(g, class, &nr, &more);
	for (uint8_t i = 0; i < nr; i++)
		json_array_append_new(instances, json_pack("{s:o, s:o, s:o, s:I}",
			"addr", lg_json_addr_new(in[i].addr), "first_ns", u64(in[i].first_ns),
			"input", u64(in[i].input), "taken", (json_int_t)in[i].taken));
	return json_pack("{s:o, s:b, s:o, s:o, s:o, s:b}", "name", class_name(g, class),
			 "novalidate", lg_graph_class_novalidate(g, class),
			 "wait", w ? json_pack("{s:i, s:i, s:i}", "outer", w->outer, "inner",
					       w->inner, "lock_type", w->lock_type) : json_null(),
			 "usage", usage_json(wr, class), "instances", instances,
			 "more_instances", more);
}

/* Classes by id, which is the order the analysis met them in. */
static json_t *classes_json(const struct writer *w)
{
	json_t *arr = json_array();

	for (uint32_t c = 0; c < lg_graph_class_bound(w->g); c++)
		if (lg_graph_is_class(w->g, c))
			json_array_append_new(arr, class_json(w, c));
	return arr;
}

static json_t *types_json(uint8_t types)
{
	json_t *arr = json_array();

	for (uint8_t bit = LG_DEP_SR; bit <= LG_DEP_EN; bit <<= 1)
		if (types & bit)
			json_array_append_new(arr, json_string(lg_dep_type_name(bit)));
	return arr;
}

/* An interned name (a primer's, a rule's "file:line"), null for LG_NONE. */
static json_t *interned_or_null(const struct lg_graph *g, uint32_t name)
{
	return name == LG_NONE ? json_null() : lg_json_name_new(lg_graph_name(g, name));
}

static json_t *deps_json(const struct writer *w)
{
	const struct lg_graph *g = w->g;
	json_t *arr = json_array();

	for (uint32_t i = 0; i < lg_graph_nr_deps(g); i++) {
		const struct lg_dep *d = lg_graph_dep(g, i);

		json_t *dep = json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o}",
			"from", class_name(g, d->from), "to", class_name(g, d->to),
			"seq", seq_json(w, d->seq), "types", types_json(d->types),
			"count", (json_int_t)d->count, "annotated", (json_int_t)d->annotated,
			"primer", interned_or_null(g, d->primer),
			"rule", interned_or_null(g, d->rule),
			"first", d->count ? site_json(g, &d->first) : json_null());

		json_array_append_new(arr, dep);
	}
	return arr;
}

static json_t *sighting_json(const struct writer *w, const struct lg_class_sighting *s,
			     bool recursion)
{
	const struct lg_graph *g = w->g;
	json_t *j = json_pack("{s:o, s:o, s:I, s:o}", "class", class_name(g, s->class),
			      "seq", seq_json(w, s->seq), "count", (json_int_t)s->count,
			      "first", site_json(g, &s->first));

	if (recursion)
		json_object_set_new(j, "held", held_json(g, &s->held));
	return j;
}

static json_t *sightings_json(const struct writer *w, bool recursions)
{
	const struct lg_graph *g = w->g;
	uint32_t nr = recursions ? lg_graph_nr_recursions(g) : lg_graph_nr_imbalances(g);
	json_t *arr = json_array();

	for (uint32_t i = 0; i < nr; i++)
		json_array_append_new(arr, sighting_json(w, recursions ? lg_graph_recursion(g, i) :
							 lg_graph_imbalance(g, i), recursions));
	return arr;
}

static json_t *violations_json(const struct writer *w)
{
	const struct lg_graph *g = w->g;
	json_t *arr = json_array();

	for (uint32_t i = 0; i < lg_graph_nr_wait_violations(g); i++) {
		const struct lg_wait_violation *v = lg_graph_wait_violation(g, i);

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:i, s:I, s:o}",
			"class", class_name(g, v->class),
			"held", v->held == LG_NONE ? json_null() : class_name(g, v->held),
			"seq", seq_json(w, v->seq), "verdicts", v->verdicts,
			"count", (json_int_t)v->count,
			"first", site_json(g, &v->first)));
	}
	return arr;
}

static json_t *wait_sighting_json(const struct lg_graph *g, const struct lg_wait_sighting *s)
{
	return json_pack("{s:o, s:o, s:o, s:i, s:o, s:s, s:o}", "time_ns", u64(s->time_ns),
			 "input", u64(s->input), "cpu", u64(s->cpu), "pid", (int)s->pid,
			 "at", name_or_null(lg_graph_site_name(g, s->at)), "ctx", lg_ctx_name(s->ctx),
			 "comm", lg_json_name_new(s->comm));
}

static json_t *wait_deps_json(const struct writer *w)
{
	const struct lg_graph *g = w->g;
	const struct lg_wait_graph *wg = lg_graph_waits(g);
	json_t *arr = json_array();

	for (uint32_t i = 0; i < lg_wait_graph_nr_deps(wg); i++) {
		const struct lg_wait_dep *d = lg_wait_graph_dep(wg, i);

		json_array_append_new(arr, json_pack("{s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:b, s:b, "
						     "s:s, s:o, s:o, s:o, s:o, s:o}",
			"kind", lg_wait_dep_kind_name(d->kind), "lock", class_name(g, d->lock),
			"object", lg_json_name_new(lg_graph_name(g, lg_wait_graph_object_name(wg,
									d->object))),
			"object_kind", lg_wait_object_name(lg_wait_graph_object_kind(wg, d->object)),
			"seq", seq_json(w, d->seq), "count", u64(d->count), "untimed", u64(d->untimed),
			"timed", d->timed, "held_at_event", d->held_at_event,
			"start", lg_context_start_name(d->start),
			"start_name", d->start_name == LG_NONE ? json_null() :
				      lg_json_name_new(lg_graph_name(g, d->start_name)),
			"wait", wait_sighting_json(g, &d->wait), "event", wait_sighting_json(g, &d->event),
			"lock_at", wait_sighting_json(g, &d->lock_at),
			"started", wait_sighting_json(g, &d->started)));
	}
	return arr;
}

static json_t *wait_stats_json(const struct lg_wait_stats *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "waits", u64(st->waits),
			 "ended", u64(st->ended), "unended", u64(st->unended),
			 "unended_timed", u64(st->unended_timed), "events", u64(st->events),
			 "context_overflows", u64(st->context_overflows),
			 "forgotten_tasks", u64(st->forgotten_tasks),
			 "lost_resets", u64(st->lost_resets));
}

static json_t *cpu_counts(const uint64_t *v32, const uint32_t *v, unsigned n)
{
	json_t *arr = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(arr, u64(v32 ? v32[i] : v[i]));
	return arr;
}

static json_t *stats_json(const struct lg_input_stats *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:o, s:o, s:o, s:o, s:o, s:i, s:b, s:o, s:o, s:o}",
		"events", u64(st->events), "skipped", u64(st->skipped), "lost", u64(st->lost),
		"lost_markers", u64(st->lost_markers),
		"lost_markers_by_cpu", cpu_counts(NULL, st->lost_markers_by_cpu, LG_LOST_CPUS),
		"lost_by_cpu", cpu_counts(st->lost_by_cpu, NULL, LG_LOST_CPUS),
		"uncounted_cpus", u64(st->uncounted_cpus), "lost_unplaced", u64(st->lost_unplaced),
		"unplaced_cpus", u64(st->unplaced_cpus), "zeroed_pages", u64(st->zeroed_pages),
		"zeroed_cpus", u64(st->zeroed_cpus), "missing", u64(st->missing),
		"missing_cpus", u64(st->missing_cpus), "unaddressed", u64(st->unaddressed),
		"no_irq_info", u64(st->no_irq_info), "unpaired", u64(st->unpaired),
		"incomplete", u64(st->incomplete), "unwinder", u64(st->unwinder),
		"unread_wait_probes", u64(st->unread_wait_probes), "recorded", st->recorded, "names_dropped", st->names_dropped,
		"release", lg_json_name_new(st->origin.release),
		"version", lg_json_name_new(st->origin.version),
		"clock", lg_json_name_new(st->origin.clock));
}

static json_t *inputs_json(const struct lg_report *rep)
{
	json_t *arr = json_array();

	for (uint32_t i = 0; i < rep->nr_inputs; i++) {
		const struct lg_input *in = &rep->inputs[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:s, s:b, s:b, s:o}",
			"path", lg_json_name_new(in->path), "format", lg_json_name_new(in->format),
			"tier", lg_tier_name(in->tier), "user_locks", in->user_locks,
			"sited", in->sited, "stats", stats_json(&in->stats)));
	}
	return arr;
}

static json_t *replay_json(const struct lg_replay_stats *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"acquires", u64(st->acquires), "releases", u64(st->releases),
		"unmatched_releases", u64(st->unmatched_releases),
		"same_class_nesting", u64(st->same_class_nesting),
		"unseen_set_class", u64(st->unseen_set_class),
		"stack_resets", u64(st->stack_resets), "depth_overflows", u64(st->depth_overflows),
		"tasks", u64(st->tasks));
}

static json_t *contention_json(const struct lg_contention *c)
{
	json_t *arr = json_array();

	for (uint32_t i = 0; i < lg_contention_nr(c); i++) {
		const struct lg_lock_contention *l = lg_contention_get(c, i);

		json_array_append_new(arr, json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}",
			"name", lg_json_name_new(l->name),
			"named_by", lg_contention_naming_name(l->naming),
			"kind", u64(l->kind), "contended", u64(l->contended),
			"total_ns", u64(l->total_ns), "max_ns", u64(l->max_ns)));
	}
	return arr;
}

int lg_graph_file_write(FILE *out, const void *report)
{
	const struct lg_report *rep = report;
	struct writer w = { .g = rep->graph };
	json_t *doc;
	int ret;

	collect_seqs(&w);
	doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"schema", LG_GRAPH_SCHEMA, "lockgraph", LG_VERSION,
		"seqs", u64(w.nr_seqs), "inputs", inputs_json(rep),
		"replay", replay_json(rep->replay), "classes", classes_json(&w),
		"dependencies", deps_json(&w), "recursions", sightings_json(&w, true),
		"imbalances", sightings_json(&w, false), "wait_violations", violations_json(&w),
		"contention", contention_json(rep->contention),
		"wait_dependencies", wait_deps_json(&w),
		"wait_stats", wait_stats_json(lg_wait_graph_stats(lg_graph_waits(rep->graph))));
	free(w.seqs);

	if (!doc) {
		errno = ENOMEM;
		return -1;
	}
	ret = json_dumpf(doc, out, JSON_COMPACT);
	json_decref(doc);
	if (!ret && fputc('\n', out) == EOF)
		ret = -1;
	return ret;
}
