/* The JSON report for CI, schema "lockgraph-report/2" (documented in
 * lockgraph-analyze(1)); keys are only ever added within a schema version. */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_context.h"
#include "lockgraph/replay/wait_graph.h"
#include "lockgraph/report/report.h"

/* Traces are not guaranteed UTF-8 (comms, class names): replace what is not. */
static json_t *str(const char *s)
{
	json_t *j = json_string(s);

	if (!j) {
		size_t len = strlen(s);
		char *copy = lg_xmalloc(len + 1);

		for (size_t i = 0; i <= len; i++)
			copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
		j = json_string(copy);
		free(copy);
	}
	return j;
}

static json_t *class_name(const struct lg_report *rep, uint32_t class)
{
	return str(lg_graph_class_name(rep->graph, class));
}

static json_t *hex(uint64_t addr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%016" PRIx64, addr);
	return json_string(buf);
}

/* lockdep's "+.+." of the class as of the finding, null for one lockdep
 * never sees. */
static json_t *usage_chars(const struct lg_report *rep, uint32_t class)
{
	char usage[5];

	return lg_report_usage_chars(rep, class, usage) ? json_string(usage) : json_null();
}

/* A call site "func+0x6c/0x9f", null when not known. */
static json_t *call_site(const struct lg_report *rep, uint32_t site)
{
	const char *s = lg_graph_site_name(rep->graph, site);

	return s ? str(s) : json_null();
}

/* The acquisition's kernel stack, innermost first; null if not recorded. */
static json_t *stack_json(const struct lg_report *rep, const struct lg_site *site)
{
	const uint32_t *stack = lg_graph_stack(rep->graph, site);
	json_t *frames;

	if (!site->stack_nr)
		return json_null();
	frames = json_array();
	for (uint32_t i = 0; i < site->stack_nr; i++)
		json_array_append_new(frames, call_site(rep, stack[i]));
	return frames;
}

static json_t *site_json(const struct lg_report *rep, const struct lg_site *site)
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, site);
	json_t *names = json_array(), *usage = json_array(), *sites = json_array();
	char time[32];

	for (uint32_t i = 0; i < site->held_nr; i++) {
		json_array_append_new(names, class_name(rep, held[i].class));
		json_array_append_new(usage, usage_chars(rep, held[i].class));
		json_array_append_new(sites, call_site(rep, held[i].site));
	}
	lg_format_time(site->time_ns, time, sizeof(time));
	return json_pack("{s:o, s:s, s:I, s:i, s:i, s:o, s:s, s:b, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "input", str(rep->inputs[site->input].path),
			 "time", time,
			 "time_ns", (json_int_t)site->time_ns,
			 "cpu", (int)site->cpu,
			 "pid", (int)site->pid,
			 "comm", str(site->comm),
			 "context", lg_ctx_name(site->ctx),
			 "irqs_off", (site->irqflags & LG_IRQS_OFF) != 0,
			 "lock", hex(site->addr),
			 "read", (site->flags & LG_ACQ_READ) != 0,
			 "held", names,
			 "held_usage", usage,
			 "held_sites", sites,
			 "site", call_site(rep, site->at),
			 "stack", stack_json(rep, site),
			 "inside", *site->inside ? str(site->inside) : json_null());
}

static json_t *title_json(const struct lg_report *rep, const struct lg_finding *f)
{
	char buf[640];

	return str(lg_report_title(rep, f, buf, sizeof(buf)));
}

static const char *const origin_names[] = {
	[LG_ORIGIN_OBSERVED] = "observed",
	[LG_ORIGIN_ANNOTATION] = "annotation",
	[LG_ORIGIN_RULE] = "rule",
};

static json_t *name_or_null(const struct lg_report *rep, uint32_t name)
{
	return name == LG_NONE ? json_null() : str(lg_graph_name(rep->graph, name));
}

/* The dependency's ends taken through an instance taken nowhere else. */
static json_t *lone_instances_json(const struct lg_report *rep, const struct lg_dep *d)
{
	struct lg_lone_instance lone[2];
	unsigned nr = lg_report_lone_instances(rep, d, lone);
	json_t *v = json_array();

	for (unsigned i = 0; i < nr; i++)
		json_array_append_new(v, json_pack("{s:o, s:o, s:i, s:I, s:b}",
						   "class", class_name(rep, lone[i].class),
						   "lock", hex(lone[i].addr),
						   "other_instances", (int)lone[i].others.nr,
						   "other_taken", (json_int_t)lone[i].others.taken,
						   "more_instances", lone[i].others.more));
	return v;
}

static json_t *dep_json(const struct lg_report *rep, const struct lg_dep *d)
{
	json_t *types = json_array();
	bool seen = lg_dep_origin(d) != LG_ORIGIN_RULE;

	for (uint8_t bit = LG_DEP_SR; bit <= LG_DEP_EN; bit <<= 1)
		if (d->types & bit)
			json_array_append_new(types, json_string(lg_dep_type_name(bit)));
	return json_pack("{s:o, s:o, s:s, s:o, s:I, s:o, s:o, s:I, s:o, s:o}",
			 "from", class_name(rep, d->from),
			 "to", class_name(rep, d->to),
			 "origin", origin_names[lg_dep_origin(d)],
			 "annotation", name_or_null(rep, d->primer),
			 "annotated", (json_int_t)d->annotated,
			 "rule", name_or_null(rep, d->rule),
			 "types", types,
			 "count", (json_int_t)d->count,
			 "first_seen", seen ? site_json(rep, &d->first) : json_null(),
			 "lone_instances", lone_instances_json(rep, d));
}

/* lockdep's "outer:inner" of the class, null when not recorded. */
static json_t *wait_types(const struct lg_report *rep, uint32_t class)
{
	const struct lg_wait_types *w = lg_graph_class_wait(rep->graph, class);

	return w ? json_sprintf("%u:%u", lg_wait_needed(w), w->inner) : json_null();
}

static json_t *wait_violation_json(const struct lg_report *rep, const struct lg_finding *f,
				   json_t *classes, json_t *waits, json_t *deps)
{
	const struct lg_wait_violation *v = lg_graph_wait_violation(rep->graph, f->index);
	bool raw_nesting = lg_wait_raw_nesting(lg_graph_max_wait(rep->graph));

	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:i, s:o}", "id", f->id,
			 "kind", "invalid-wait-context", "classes", classes,
			 "wait_types", waits, "dependencies", deps,
			 "count", (json_int_t)v->count,
			 "context_wait", lg_wait_context(v->first.ctx, raw_nesting),
			 "first_seen", site_json(rep, &v->first));
}

static json_t *usage_bug_json(const struct lg_report *rep, const struct lg_finding *f,
			      json_t *classes, json_t *waits, json_t *deps)
{
	const struct lg_usage_bug *bug = lg_graph_usage_bug(rep->graph, f->index);
	const struct lg_site *registered = lg_graph_usage_site(rep->graph, bug->class, bug->prev);

	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:[s, s], s:o, s:o}", "id", f->id,
			 "kind", "inconsistent-lock-state", "classes", classes,
			 "wait_types", waits, "dependencies", deps,
			 "usage", lg_usage_name(bug->prev), lg_usage_name(bug->usage),
			 "first_seen", site_json(rep, &bug->first),
			 "registered", site_json(rep, registered));
}

static json_t *irq_order_json(const struct lg_report *rep, const struct lg_finding *f,
			      json_t *classes, json_t *waits, json_t *deps)
{
	uint32_t safe = f->classes[0], unsafe = f->classes[f->nr - 1];

	bool inversion = f->kind == LG_FINDING_IRQ_INVERSION;
	json_t *doc;

	for (uint32_t i = 0; i + 1 < f->nr; i++)
		json_array_append_new(deps, dep_json(rep, lg_graph_dep(rep->graph, f->deps[i])));
	doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:[s, s], s:o, s:o}", "id", f->id,
			"kind", inversion ? "irq-lock-inversion" : "irq-safe-to-unsafe",
			"irq", f->usage[0] & LG_USAGE_SOFTIRQ ? "SOFTIRQ" : "HARDIRQ",
			"classes", classes, "wait_types", waits, "dependencies", deps,
			"usage", lg_usage_name(f->usage[0]), lg_usage_name(f->usage[1]),
			"safe_since", site_json(rep, lg_graph_usage_site(rep->graph, safe,
									  f->usage[0])),
			"unsafe_since", site_json(rep, lg_graph_usage_site(rep->graph, unsafe,
									    f->usage[1])));
	if (inversion)
		json_object_set_new(doc, "changed", json_string(f->index ? "unsafe" : "safe"));
	return doc;
}

/*
 * The document is written as it is made, one finding (and one dependency of a
 * cycle) at a time, so that memory does not grow with the findings: a value
 * is dumped as jansson would dump it inside the whole, indented to its depth.
 */
static void put_value(FILE *out, json_t *v, int depth)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	for (const char *p = s, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, nl + 1 - p, out);
		fprintf(out, "%*s", 2 * depth, "");
	}
	free(s);
	json_decref(v);
}

/* Before an element of an object or array at depth: the comma, the line. */
static void put_next(FILE *out, int depth, bool *first)
{
	fprintf(out, "%s\n%*s", *first ? "" : ",", 2 * depth, "");
	*first = false;
}

static void put_member(FILE *out, int depth, bool *first, const char *key, json_t *v)
{
	put_next(out, depth, first);
	fprintf(out, "\"%s\": ", key);
	put_value(out, v, depth);
}

/* Closes what put_next() opened at depth + 1; empty: "[]" or "{}". */
static void put_close(FILE *out, int depth, bool first, char close)
{
	if (!first)
		fprintf(out, "\n%*s", 2 * depth, "");
	fputc(close, out);
}

/* "key": [value of each class of f], an element at a time. */
static void put_per_class(const struct lg_report *rep, FILE *out, int depth, bool *first,
			  const char *key, const struct lg_finding *f,
			  json_t *(*value)(const struct lg_report *rep, uint32_t class))
{
	bool elem = true;

	put_next(out, depth, first);
	fprintf(out, "\"%s\": [", key);
	for (uint32_t i = 0; i < f->nr; i++) {
		put_next(out, depth + 1, &elem);
		put_value(out, value(rep, f->classes[i]), depth + 1);
	}
	put_close(out, depth, elem, ']');
}

/* The dependencies the cycle needs that no code made at run time. */
static json_t *unobserved_json(const struct lg_report *rep, const struct lg_finding *f)
{
	json_t *v = json_array();

	for (uint32_t i = 0; i < f->nr; i++) {
		const struct lg_dep *d = lg_graph_dep(rep->graph, f->deps[i]);
		enum lg_dep_origin origin = lg_dep_origin(d);

		if (origin == LG_ORIGIN_OBSERVED)
			continue;
		json_array_append_new(v, json_pack("{s:o, s:o, s:s, s:o}",
						   "from", class_name(rep, d->from),
						   "to", class_name(rep, d->to),
						   "origin", origin_names[origin],
						   "by", name_or_null(rep, origin == LG_ORIGIN_RULE ?
								      d->rule : d->primer)));
	}
	return v;
}

/* A cycle, which can run through every class: its arrays a class at a time. */
static void put_circular(const struct lg_report *rep, FILE *out, const struct lg_finding *f,
			 int depth)
{
	bool first = true, elem = true;

	fputc('{', out);
	put_member(out, depth + 1, &first, "id", json_string(f->id));
	put_member(out, depth + 1, &first, "title", title_json(rep, f));
	put_member(out, depth + 1, &first, "kind", json_string("circular-dependency"));
	put_per_class(rep, out, depth + 1, &first, "classes", f, class_name);
	put_per_class(rep, out, depth + 1, &first, "wait_types", f, wait_types);
	put_next(out, depth + 1, &first);
	fputs("\"dependencies\": [", out);
	for (uint32_t i = 0; i < f->nr; i++) {
		put_next(out, depth + 2, &elem);
		put_value(out, dep_json(rep, lg_graph_dep(rep->graph, f->deps[i])), depth + 2);
	}
	put_close(out, depth + 1, elem, ']');
	put_member(out, depth + 1, &first, "unobserved", unobserved_json(rep, f));
	put_per_class(rep, out, depth + 1, &first, "usage_chars", f, usage_chars);
	put_member(out, depth + 1, &first, "group", json_integer(f->group + 1));
	put_close(out, depth, first, '}');
}

/* What each kind of finding says beyond its classes. */
static json_t *kind_json(const struct lg_report *rep, const struct lg_finding *f,
			 json_t *classes, json_t *waits, json_t *deps)
{
	const struct lg_class_sighting *r;

	if (f->kind == LG_FINDING_WAIT_CONTEXT)
		return wait_violation_json(rep, f, classes, waits, deps);
	if (f->kind == LG_FINDING_INCONSISTENT)
		return usage_bug_json(rep, f, classes, waits, deps);
	if (f->kind == LG_FINDING_IRQ_ORDER || f->kind == LG_FINDING_IRQ_INVERSION)
		return irq_order_json(rep, f, classes, waits, deps);
	if (f->kind == LG_FINDING_RECURSIVE) {
		r = lg_graph_recursion(rep->graph, f->index);
		return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:o, s:o}", "id", f->id,
				 "kind", "recursive-locking", "classes", classes,
				 "wait_types", waits, "dependencies", deps,
				 "count", (json_int_t)r->count,
				 "first_seen", site_json(rep, &r->first),
				 "held_lock", hex(r->held.addr));
	}
	r = lg_graph_imbalance(rep->graph, f->index);
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:o}", "id", f->id,
			 "kind", "bad-unlock-balance", "classes", classes,
			 "wait_types", waits, "dependencies", deps,
			 "count", (json_int_t)r->count,
			 "first_seen", site_json(rep, &r->first));
}

static json_t *wait_sighting_json(const struct lg_report *rep, const struct lg_wait_sighting *s)
{
	char time[32];

	lg_format_time(s->time_ns, time, sizeof(time));
	return json_pack("{s:o, s:s, s:I, s:i, s:i, s:o, s:s, s:o}",
			 "input", str(rep->inputs[s->input].path), "time", time,
			 "time_ns", (json_int_t)s->time_ns, "cpu", (int)s->cpu, "pid", (int)s->pid,
			 "comm", str(s->comm), "context", lg_ctx_name(s->ctx),
			 "at", call_site(rep, s->at));
}

/* A link of a wait/event cycle: a lock dependency, a wait with a lock
 * held, or an event that needed a lock, with the tasks and times that
 * made it. */
static json_t *wait_link_json(const struct lg_report *rep, uint32_t edge)
{
	const struct lg_wait_dep *w;
	json_t *object;

	if (!(edge & LG_WAIT_NODE)) {
		json_t *d = dep_json(rep, lg_graph_dep(rep->graph, edge));

		json_object_set_new(d, "link", json_string("lock"));
		return d;
	}
	w = lg_wait_graph_dep(lg_graph_waits(rep->graph), edge & ~LG_WAIT_NODE);
	object = str(lg_report_node_name(rep, LG_WAIT_NODE | w->object));
	if (w->kind == LG_WAIT_DEP_HOLD)
		return json_pack("{s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:o}", "link", "wait",
				 "lock", class_name(rep, w->lock),
				 "object", object,
				 "count", (json_int_t)w->count, "untimed", (json_int_t)w->untimed,
				 "lock_taken", wait_sighting_json(rep, &w->lock_at),
				 "wait", wait_sighting_json(rep, &w->wait),
				 "ended_by", wait_sighting_json(rep, &w->event));
	return json_pack("{s:s, s:o, s:o, s:I, s:b, s:o, s:s, s:o, s:o, s:o}", "link", "event",
			 "object", object,
			 "lock", class_name(rep, w->lock), "count", (json_int_t)w->count,
			 "held_at_event", w->held_at_event,
			 "lock_taken", wait_sighting_json(rep, &w->lock_at),
			 "context_start", lg_context_start_name(w->start),
			 "context_start_sighting", w->start == LG_START_IRQ ? json_null() :
			 wait_sighting_json(rep, &w->started),
			 "event", wait_sighting_json(rep, &w->event),
			 "ended_wait_of", wait_sighting_json(rep, &w->wait));
}

/* A wait/event cycle: its nodes (lock classes and wait objects), which of
 * them are wait objects, and its links from the closing wait's event on. */
static json_t *wait_finding_json(const struct lg_report *rep, const struct lg_finding *f)
{
	json_t *classes = json_array(), *objects = json_array(), *links = json_array();

	for (uint32_t i = 0; i < f->nr; i++) {
		json_array_append_new(classes, str(lg_report_node_name(rep, f->classes[i])));
		json_array_append_new(objects, json_boolean(f->classes[i] & LG_WAIT_NODE));
		json_array_append_new(links, wait_link_json(rep, f->deps[i]));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:i, s:o}", "id", f->id,
			 "kind", lg_finding_kind_name(f->kind), "title", title_json(rep, f),
			 "classes", classes, "wait_objects", objects,
			 "count", (json_int_t)lg_report_wait_of(rep, f)->count,
			 "other_cycles", (int)f->index, "links", links);
}

/* The finding's own keys, and each class's usage as of it. */
static json_t *finding_json(const struct lg_report *rep, const struct lg_finding *f)
{
	json_t *classes = json_array(), *waits = json_array(), *deps = json_array();
	json_t *usage = json_array(), *doc;

	if (lg_finding_is_wait(f)) {
		json_decref(classes);
		json_decref(waits);
		json_decref(deps);
		json_decref(usage);
		return wait_finding_json(rep, f);
	}

	for (uint32_t i = 0; i < f->nr; i++) {
		json_array_append_new(classes, class_name(rep, f->classes[i]));
		json_array_append_new(waits, wait_types(rep, f->classes[i]));
		json_array_append_new(usage, usage_chars(rep, f->classes[i]));
	}
	doc = kind_json(rep, f, classes, waits, deps);
	json_object_set_new(doc, "usage_chars", usage);
	json_object_set_new(doc, "title", title_json(rep, f));
	return doc;
}

/* {"CPU": places events were lost there}; "63" stands for 63 and above. */
static json_t *lost_by_cpu(const struct lg_input_stats *st)
{
	json_t *obj = json_object();
	char cpu[16];

	for (int c = 0; c < LG_LOST_CPUS; c++) {
		if (!st->lost_markers_by_cpu[c])
			continue;
		snprintf(cpu, sizeof(cpu), "%d", c);
		json_object_set_new(obj, cpu, json_integer(st->lost_markers_by_cpu[c]));
	}
	return obj;
}

/* What the input says of its kernel, null where it says nothing. */
static json_t *or_null(const char *s)
{
	return *s ? str(s) : json_null();
}

static json_t *kernel_json(const struct lg_input_origin *o)
{
	if (!*o->release && !*o->version)
		return json_null();
	return json_pack("{s:o, s:o}", "release", or_null(o->release),
			 "version", or_null(o->version));
}

static json_t *inputs_json(const struct lg_report *rep)
{
	json_t *arr = json_array();

	for (uint32_t i = 0; i < rep->nr_inputs; i++) {
		const struct lg_input *in = &rep->inputs[i];

		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:I, s:I, "
						     "s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:I}",
			"path", str(in->path), "format", str(in->format),
			"graph", in->graph ? str(in->graph) : json_null(),
			"kernel", kernel_json(&in->stats.origin),
			"clock", or_null(in->stats.origin.clock),
			"tier", lg_tier_name(in->tier), "user_locks", in->user_locks,
			"events", (json_int_t)in->stats.events,
			"skipped", (json_int_t)in->stats.skipped,
			"lost", (json_int_t)in->stats.lost,
			"lost_unplaced", (json_int_t)in->stats.lost_unplaced,
			"lost_by_cpu", lost_by_cpu(&in->stats),
			"zeroed_pages", (json_int_t)in->stats.zeroed_pages,
			"missing", (json_int_t)in->stats.missing,
			"unaddressed", (json_int_t)in->stats.unaddressed,
			"unpaired", (json_int_t)in->stats.unpaired,
			"incomplete", (json_int_t)in->stats.incomplete,
			"unwinder", (json_int_t)in->stats.unwinder));
	}
	return arr;
}

static json_t *stats_json(const struct lg_report *rep)
{
	const struct lg_replay_stats *st = rep->replay;
	const struct lg_wait_graph *wg = lg_graph_waits(rep->graph);
	const struct lg_wait_stats *ws = lg_wait_graph_stats((struct lg_wait_graph *)wg);
	json_t *waits = json_pack("{s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:I, s:I, s:I}",
				  "waits", (json_int_t)ws->waits, "ended", (json_int_t)ws->ended,
				  "unended", (json_int_t)ws->unended,
				  "unended_timed", (json_int_t)ws->unended_timed,
				  "events", (json_int_t)ws->events,
				  "objects", (int)lg_wait_graph_nr_objects(wg),
				  "dependencies", (int)lg_wait_graph_nr_deps(wg),
				  "context_overflows", (json_int_t)ws->context_overflows,
				  "forgotten_tasks", (json_int_t)ws->forgotten_tasks,
				  "lost_resets", (json_int_t)ws->lost_resets);

	return json_pack("{s:I, s:I, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
			 "events", (json_int_t)lg_report_events(rep),
			 "tasks", (json_int_t)st->tasks,
			 "classes", (int)lg_graph_nr_classes(rep->graph),
			 "dependencies", (int)lg_graph_nr_deps(rep->graph),
			 "acquires", (json_int_t)st->acquires,
			 "releases", (json_int_t)st->releases,
			 "unmatched_releases", (json_int_t)st->unmatched_releases,
			 "same_class_nesting", (json_int_t)st->same_class_nesting,
			 "unseen_set_class", (json_int_t)st->unseen_set_class,
			 "stack_resets", (json_int_t)st->stack_resets,
			 "depth_overflows", (json_int_t)st->depth_overflows,
			 "waits", waits);
}

static json_t *contention_json(const struct lg_report *rep)
{
	json_t *arr = json_array();

	for (uint32_t i = 0; i < lg_contention_nr(rep->contention); i++) {
		const struct lg_lock_contention *l = lg_contention_get(rep->contention, i);

		json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:I, s:I, s:I, s:I}",
			"name", str(l->name), "named_by", lg_contention_naming_name(l->naming),
			"kind", lg_contention_kind_name(l->kind),
			"contended", (json_int_t)l->contended,
			"total_wait_ns", (json_int_t)l->total_ns,
			"max_wait_ns", (json_int_t)l->max_ns,
			"avg_wait_ns", (json_int_t)(l->total_ns / l->contended)));
	}
	return arr;
}

static json_t *groups_json(const struct lg_report *rep)
{
	const struct lg_findings *fs = rep->findings;
	json_t *arr = json_array();

	for (uint32_t i = 0; i < fs->nr_groups; i++) {
		const struct lg_cycle_group *g = &fs->groups[i];

		json_array_append_new(arr, json_pack("{s:i, s:i, s:i, s:i, s:o, s:i}",
			"group", (int)i + 1, "cycles", (int)g->nr_cycles,
			"classes", (int)g->nr_classes, "dependencies", (int)g->nr_deps,
			"shortest", g->shortest == LG_NONE ? json_null() :
				json_string(fs->v[g->shortest].id),
			"unsearched_dependencies", (int)g->unsearched));
	}
	return arr;
}

static void put_findings(const struct lg_report *rep, FILE *out, bool *first)
{
	bool elem = true;

	put_next(out, 1, first);
	fputs("\"findings\": [", out);
	for (uint32_t i = 0; i < rep->findings->nr; i++) {
		const struct lg_finding *f = &rep->findings->v[i];
		struct lg_report at = *rep;	/* usage as of the finding */

		at.finding = f;
		put_next(out, 2, &elem);
		if (f->kind == LG_FINDING_CIRCULAR)
			put_circular(&at, out, f, 2);
		else
			put_value(out, finding_json(&at, f), 2);
	}
	put_close(out, 1, elem, ']');
}

/* The findings --baseline and --suppress hid, each with what hid it and
 * why; or (unused) the suppression lines that hid none. */
static json_t *suppressed_json(const struct lg_report *rep, bool unused)
{
	const struct lg_suppressions *s = rep->suppressions;
	json_t *v = json_array();

	for (uint32_t i = 0; s && !unused && i < s->nr_hidden; i++) {
		const struct lg_suppression *by = &s->v[s->hidden[i].by];

		json_array_append_new(v, json_pack("{s:s, s:o, s:o, s:o}", "id", s->hidden[i].id,
						   "title", str(s->hidden[i].title),
						   "by", str(by->where), "reason", str(by->reason)));
	}
	for (uint32_t i = 0; s && unused && i < s->nr; i++)
		if (!s->v[i].hidden && !s->v[i].baseline)
			json_array_append_new(v, json_pack("{s:o, s:o}", "where", str(s->v[i].where),
							   "reason", str(s->v[i].reason)));
	return v;
}

int lg_report_json(const struct lg_report *rep, FILE *out)
{
	json_t *warnings = json_array();
	bool first = true;

	for (uint32_t i = 0; i < rep->nr_warnings; i++)
		json_array_append_new(warnings, str(rep->warnings[i]));
	fputc('{', out);
	put_member(out, 1, &first, "schema", json_string(LG_JSON_SCHEMA));
	put_member(out, 1, &first, "inputs", inputs_json(rep));
	put_member(out, 1, &first, "stats", stats_json(rep));
	put_member(out, 1, &first, "warnings", warnings);
	put_findings(rep, out, &first);
	put_member(out, 1, &first, "cycle_groups", groups_json(rep));
	put_member(out, 1, &first, "contention", contention_json(rep));
	put_member(out, 1, &first, "suppressed", suppressed_json(rep, false));
	put_member(out, 1, &first, "unused_suppressions", suppressed_json(rep, true));
	put_close(out, 0, first, '}');
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
