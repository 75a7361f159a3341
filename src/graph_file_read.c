/*
 * Reading a graph file into an analysis, as graph_file_write.c writes one.
 * Anything else in it is an error naming the member ("dependencies[3].first.
 * held[0].class"), never a crash or a changed graph: every number is
 * range-checked and every name is re-interned here. Members a later writer
 * of the same schema adds are ignored.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/graph_file.h"
#include "lockgraph/lib/json_io.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"

struct reader {
	struct lg_json_reader j;
	const struct lg_graph_target *t;
	uint32_t nr_inputs;	/* the file's */
	uint32_t seq_base;	/* its seq s becomes seq_base + 2 * s */
	uint64_t seqs;
};

/* A site as read, with room for its held locks and stack. */
struct site_buf {
	struct lg_site_data data;
	struct lg_held_lock held[LG_MAX_DEPTH];
	uint32_t stack[LG_STACK_MAX];
};

/* A name interned: its id, LG_NONE for null (where nullable). */
static bool get_interned(struct reader *r, json_t *obj, const char *key, bool nullable,
			 uint32_t *id)
{
	char *s;

	*id = LG_NONE;
	if (!lg_json_name(&r->j, obj, key, nullable, &s))
		return false;
	if (s)
		*id = lg_strtab_intern(r->t->names, s, strlen(s));
	free(s);
	return true;
}

static bool get_class(struct reader *r, json_t *obj, const char *key, bool nullable,
		      uint32_t *class)
{
	if (!get_interned(r, obj, key, nullable, class))
		return false;
	if (*class != LG_NONE)
		lg_graph_class(r->t->graph, *class);
	return true;
}

/* A call site: a reference to its interned name (LG_SITE_UNKNOWN for null). */
static bool site_ref_value(struct reader *r, json_t *v, const char *key, bool nullable,
			   uint32_t *ref)
{
	char *s;

	if (!lg_json_name_value(&r->j, v, key, nullable, &s))
		return false;
	*ref = s ? lg_site_ref(lg_strtab_intern(r->t->names, s, strlen(s))) : LG_SITE_UNKNOWN;
	free(s);
	return true;
}

static bool get_site_ref(struct reader *r, json_t *obj, const char *key, uint32_t *ref)
{
	json_t *v = lg_json_member(&r->j, obj, key);

	return v && site_ref_value(r, v, key, true, ref);
}

/* A seq of the file, as this graph numbers it. */
static bool get_seq(struct reader *r, json_t *obj, const char *key, uint32_t *seq)
{
	uint64_t s;

	if (!r->seqs)
		return lg_json_bad(&r->j, key, "a record in a file of no seqs");
	if (!lg_json_uint(&r->j, obj, key, r->seqs - 1, &s))
		return false;
	*seq = r->seq_base + 2 * (uint32_t)s;
	return true;
}

static bool get_input(struct reader *r, json_t *obj, const char *key, uint32_t *input)
{
	uint64_t i;

	if (!r->nr_inputs)
		return lg_json_bad(&r->j, key, "a record in a file of no inputs");
	if (!lg_json_uint(&r->j, obj, key, r->nr_inputs - 1, &i))
		return false;
	*input = r->t->first_input + (uint32_t)i;
	return true;
}

static bool get_ctx(struct reader *r, json_t *obj, const char *key, uint8_t *ctx)
{
	const char *s = json_string_value(lg_json_member(&r->j, obj, key));

	for (int c = 0; s && c < LG_NR_CTX; c++)
		if (!strcmp(s, lg_ctx_name(c))) {
			*ctx = c;
			return true;
		}
	return lg_json_bad(&r->j, key, "expected process, softirq, hardirq or nmi");
}

static bool read_held(struct reader *r, json_t *v, const char *key, struct lg_held_lock *h)
{
	size_t len = lg_json_push(&r->j, ".%s", key);
	bool ok;

	*h = (struct lg_held_lock){ 0 };
	ok = (json_is_object(v) || lg_json_bad(&r->j, NULL, "expected an object")) &&
	     get_class(r, v, "class", false, &h->class) &&
	     lg_json_addr(&r->j, v, "addr", &h->addr) &&
	     get_site_ref(r, v, "site", &h->site) &&
	     LG_JSON_UINT(&r->j, v, "flags", h->flags, 0xffff) &&
	     LG_JSON_UINT(&r->j, v, "enabled", h->enabled, LG_IRQS_OFF | LG_BH_OFF);
	lg_json_pop(&r->j, len);
	return ok;
}

static bool read_frames(struct reader *r, json_t *site, struct site_buf *b)
{
	json_t *stack = lg_json_array(&r->j, site, "stack", LG_STACK_MAX), *f;
	size_t i;

	if (!stack)
		return false;
	json_array_foreach(stack, i, f) {
		char key[32];

		snprintf(key, sizeof(key), "stack[%zu]", i);
		if (!site_ref_value(r, f, key, true, &b->stack[i]))
			return false;
	}
	b->data.site.stack_nr = json_array_size(stack);
	b->data.stack = json_array_size(stack) ? b->stack : NULL;
	return true;
}

static bool read_site(struct reader *r, json_t *obj, const char *key, struct site_buf *b)
{
	json_t *v = lg_json_member(&r->j, obj, key), *held, *h;
	struct lg_site *s = &b->data.site;
	uint64_t pid;
	size_t i, len;

	if (!v)
		return false;
	if (!json_is_object(v))
		return lg_json_bad(&r->j, key, "expected a site object");
	len = lg_json_push(&r->j, ".%s", key);
	memset(b, 0, offsetof(struct site_buf, held));
	b->data.held = b->held;
	if (!LG_JSON_UINT(&r->j, v, "time_ns", s->time_ns, INT64_MAX) ||
	    !lg_json_addr(&r->j, v, "addr", &s->addr) || !get_input(r, v, "input", &s->input) ||
	    !LG_JSON_UINT(&r->j, v, "cpu", s->cpu, UINT32_MAX) ||
	    !lg_json_uint(&r->j, v, "pid", INT32_MAX, &pid) ||
	    !lg_json_name_buf(&r->j, v, "comm", false, s->comm, sizeof(s->comm)) ||
	    !get_site_ref(r, v, "at", &s->at) || !get_ctx(r, v, "ctx", &s->ctx) ||
	    !LG_JSON_UINT(&r->j, v, "flags", s->flags, 0xffff) ||
	    !LG_JSON_UINT(&r->j, v, "irqflags", s->irqflags, LG_IRQS_OFF | LG_BH_OFF) ||
	    !LG_JSON_UINT(&r->j, v, "enabling", s->enabling, LG_IRQS_OFF | LG_BH_OFF) ||
	    !lg_json_name_buf(&r->j, v, "inside", true, s->inside, sizeof(s->inside)))
		return false;
	s->pid = (int32_t)pid;
	held = lg_json_array(&r->j, v, "held", LG_MAX_DEPTH);
	if (!held)
		return false;
	json_array_foreach(held, i, h) {
		char hkey[32];

		snprintf(hkey, sizeof(hkey), "held[%zu]", i);
		if (!read_held(r, h, hkey, &b->held[i]))
			return false;
	}
	s->held_nr = json_array_size(held);
	if (!read_frames(r, v, b))
		return false;
	lg_json_pop(&r->j, len);
	return true;
}

static bool read_stats(struct reader *r, json_t *in, struct lg_input_stats *st)
{
	static const struct {
		const char *key;
		size_t offset;
	} counts[] = {
#define COUNT(f) { #f, offsetof(struct lg_input_stats, f) }
		COUNT(events), COUNT(skipped), COUNT(lost), COUNT(lost_markers),
		COUNT(uncounted_cpus), COUNT(lost_unplaced), COUNT(unplaced_cpus),
		COUNT(zeroed_pages), COUNT(zeroed_cpus), COUNT(missing), COUNT(missing_cpus),
		COUNT(unaddressed), COUNT(no_irq_info), COUNT(unpaired), COUNT(incomplete),
		COUNT(unwinder),
#undef COUNT
	};
	json_t *v = lg_json_member(&r->j, in, "stats"), *markers, *lost, *e;
	size_t i;

	if (!v || !json_is_object(v))
		return v ? lg_json_bad(&r->j, "stats", "expected an object") : false;
	lg_json_push(&r->j, ".stats");
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (!lg_json_uint(&r->j, v, counts[i].key, INT64_MAX,
				  (uint64_t *)((char *)st + counts[i].offset)))
			return false;
	markers = lg_json_array(&r->j, v, "lost_markers_by_cpu", LG_LOST_CPUS);
	lost = lg_json_array(&r->j, v, "lost_by_cpu", LG_LOST_CPUS);
	if (!markers || !lost)
		return false;
	if (json_array_size(markers) != LG_LOST_CPUS || json_array_size(lost) != LG_LOST_CPUS)
		return lg_json_bad(&r->j, "lost_by_cpu", "expected %d entries in it and "
				   "lost_markers_by_cpu", LG_LOST_CPUS);
	json_array_foreach(markers, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > UINT32_MAX)
			return lg_json_bad(&r->j, "lost_markers_by_cpu",
					   "expected integers from 0");
		st->lost_markers_by_cpu[i] = json_integer_value(e);
	}
	json_array_foreach(lost, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0)
			return lg_json_bad(&r->j, "lost_by_cpu", "expected integers from 0");
		st->lost_by_cpu[i] = json_integer_value(e);
	}
	/* unread_wait_probes: since the text reader counts them (optional) */
	if (json_object_get(v, "unread_wait_probes") &&
	    !lg_json_uint(&r->j, v, "unread_wait_probes", INT64_MAX, &st->unread_wait_probes))
		return false;
	return LG_JSON_UINT(&r->j, v, "recorded", st->recorded, 0xff) &&
	       lg_json_bool(&r->j, v, "names_dropped", &st->names_dropped) &&
	       lg_json_name_buf(&r->j, v, "release", false, st->origin.release,
				sizeof(st->origin.release)) &&
	       lg_json_name_buf(&r->j, v, "version", false, st->origin.version,
				sizeof(st->origin.version)) &&
	       lg_json_name_buf(&r->j, v, "clock", false, st->origin.clock,
				sizeof(st->origin.clock));
}

static bool get_tier(struct reader *r, json_t *obj, enum lg_tier *tier)
{
	const char *s = json_string_value(lg_json_member(&r->j, obj, "tier"));

	for (int t = LG_TIER_NONE; s && t <= LG_TIER_LOCKDEP_ARGS; t++)
		if (!strcmp(s, lg_tier_name(t))) {
			*tier = t;
			return true;
		}
	return lg_json_bad(&r->j, "tier", "expected a tier's name, as lockgraph record prints it");
}

static const char *interned(struct reader *r, const char *s)
{
	return lg_strtab_str(r->t->names, lg_strtab_intern(r->t->names, s, strlen(s)));
}

static bool read_inputs(struct reader *r, json_t *doc)
{
	json_t *inputs, *v;
	size_t i;

	lg_json_pop(&r->j, 0);
	inputs = lg_json_array(&r->j, doc, "inputs", UINT32_MAX / 4);
	if (!inputs)
		return false;
	if (!json_array_size(inputs))
		return lg_json_bad(&r->j, "inputs", "no inputs");
	r->nr_inputs = json_array_size(inputs);
	json_array_foreach(inputs, i, v) {
		struct lg_input in = { .graph = interned(r, r->j.path) };
		char *path, *format;
		bool ok;

		lg_json_pop(&r->j, 0);
		lg_json_push(&r->j, "inputs[%zu]", i);
		if (!json_is_object(v))
			return lg_json_bad(&r->j, NULL, "expected an object");
		if (!lg_json_name(&r->j, v, "path", false, &path))
			return false;
		ok = lg_json_name(&r->j, v, "format", false, &format) && get_tier(r, v, &in.tier) &&
		     lg_json_bool(&r->j, v, "user_locks", &in.user_locks) &&
		     lg_json_bool(&r->j, v, "sited", &in.sited) &&
		     read_stats(r, v, &in.stats);
		if (ok) {
			in.path = interned(r, path);
			in.format = interned(r, format);
		}
		free(path);
		free(format);
		if (!ok)
			return false;
		if (r->t->add_input(&in, r->t->arg, r->j.err)) {
			r->j.failed = true;
			return false;
		}
	}
	return true;
}

static bool read_replay(struct reader *r, json_t *doc)
{
	json_t *v = lg_json_member(&r->j, doc, "replay");
	struct lg_replay_stats st;

	lg_json_pop(&r->j, 0);
	lg_json_push(&r->j, "replay");
	if (!v || !json_is_object(v))
		return v ? lg_json_bad(&r->j, NULL, "expected an object") : false;
	if (!lg_json_uint(&r->j, v, "acquires", INT64_MAX, &st.acquires) ||
	    !lg_json_uint(&r->j, v, "releases", INT64_MAX, &st.releases) ||
	    !lg_json_uint(&r->j, v, "unmatched_releases", INT64_MAX, &st.unmatched_releases) ||
	    !lg_json_uint(&r->j, v, "same_class_nesting", INT64_MAX, &st.same_class_nesting) ||
	    !lg_json_uint(&r->j, v, "unseen_set_class", INT64_MAX, &st.unseen_set_class) ||
	    !lg_json_uint(&r->j, v, "stack_resets", INT64_MAX, &st.stack_resets) ||
	    !lg_json_uint(&r->j, v, "depth_overflows", INT64_MAX, &st.depth_overflows) ||
	    !lg_json_uint(&r->j, v, "tasks", INT64_MAX, &st.tasks))
		return false;
	lg_replay_merge_stats(r->t->replay, &st);
	return true;
}

static bool get_usage_bit(struct reader *r, json_t *obj, uint8_t *bit)
{
	const char *s = json_string_value(lg_json_member(&r->j, obj, "bit"));

	for (unsigned b = 0; s && b < LG_NR_USAGE_BITS; b++)
		if (!strcmp(s, lg_usage_name(b))) {
			*bit = b;
			return true;
		}
	return lg_json_bad(&r->j, "bit", "expected a usage bit's name, as lockdep prints it");
}

struct usage_entry {
	json_t *v;
	size_t index;		/* in the array */
};

static int by_seq(const void *a, const void *b)
{
	const struct usage_entry *ua = a, *ub = b;
	json_int_t x = json_integer_value(json_object_get(ua->v, "seq"));
	json_int_t y = json_integer_value(json_object_get(ub->v, "seq"));

	return (x > y) - (x < y);
}

/* The class's usage bits in the order it got them, so that a contradiction
 * is found where replay would have found it. */
static bool read_usage(struct reader *r, json_t *v, uint32_t class, struct site_buf *b)
{
	json_t *usage = lg_json_array(&r->j, v, "usage", LG_NR_USAGE_BITS);
	struct usage_entry order[LG_NR_USAGE_BITS];
	size_t nr = json_array_size(usage);

	if (!usage)
		return false;
	for (size_t i = 0; i < nr; i++)
		order[i] = (struct usage_entry){ json_array_get(usage, i), i };
	qsort(order, nr, sizeof(*order), by_seq);
	for (size_t i = 0; i < nr; i++) {
		size_t len = lg_json_push(&r->j, ".usage[%zu]", order[i].index);
		json_t *u = order[i].v;
		uint8_t bit = 0;
		uint32_t seq = 0;

		if (!json_is_object(u))
			return lg_json_bad(&r->j, NULL, "expected an object");
		if (!get_usage_bit(r, u, &bit) || !get_seq(r, u, "seq", &seq) ||
		    !read_site(r, u, "site", b))
			return false;
		if (lg_graph_usage_site(r->t->graph, class, bit) &&
		    lg_graph_usage_seq(r->t->graph, class, bit) >= r->seq_base)
			return lg_json_bad(&r->j, "bit", "the class has it twice");
		lg_graph_merge_usage(r->t->graph, class, bit, seq, &b->data);
		lg_json_pop(&r->j, len);
	}
	return true;
}

static bool read_instances(struct reader *r, json_t *v, struct lg_instance *in, uint8_t *nr)
{
	json_t *arr = lg_json_array(&r->j, v, "instances", LG_INSTANCES), *e;
	size_t i;

	if (!arr)
		return false;
	json_array_foreach(arr, i, e) {
		size_t len = lg_json_push(&r->j, ".instances[%zu]", i);

		if (!json_is_object(e))
			return lg_json_bad(&r->j, NULL, "expected an object");
		if (!lg_json_addr(&r->j, e, "addr", &in[i].addr) ||
		    !LG_JSON_UINT(&r->j, e, "first_ns", in[i].first_ns, INT64_MAX) ||
		    !get_input(r, e, "input", &in[i].input) ||
		    !LG_JSON_UINT(&r->j, e, "taken", in[i].taken, UINT32_MAX) ||
		    (!in[i].taken && !lg_json_bad(&r->j, "taken", "expected 1 or more")))
			return false;
		lg_json_pop(&r->j, len);
	}
	*nr = json_array_size(arr);
	return true;
}

static bool read_wait(struct reader *r, json_t *v, struct lg_wait_types *w, bool *known)
{
	json_t *wait = lg_json_member(&r->j, v, "wait");
	size_t len;
	bool ok;

	*known = wait && !json_is_null(wait);
	if (!wait || !*known)
		return wait;
	if (!json_is_object(wait))
		return lg_json_bad(&r->j, "wait", "expected an object or null");
	len = lg_json_push(&r->j, ".wait");
	w->known = true;
	ok = LG_JSON_UINT(&r->j, wait, "outer", w->outer, 0xff) &&
	     LG_JSON_UINT(&r->j, wait, "inner", w->inner, 0xff) &&
	     LG_JSON_UINT(&r->j, wait, "lock_type", w->lock_type, 0xff);
	lg_json_pop(&r->j, len);
	return ok;
}

static bool read_classes(struct reader *r, json_t *doc, struct site_buf *b)
{
	json_t *classes, *v;
	size_t i;

	lg_json_pop(&r->j, 0);
	classes = lg_json_array(&r->j, doc, "classes", UINT32_MAX / 4);
	json_array_foreach(classes, i, v) {
		struct lg_instance instances[LG_INSTANCES];
		struct lg_wait_types wait = { 0 };
		bool novalidate, more, has_wait;
		uint32_t class;
		uint8_t nr = 0;

		lg_json_pop(&r->j, 0);
		lg_json_push(&r->j, "classes[%zu]", i);
		if (!json_is_object(v))
			return lg_json_bad(&r->j, NULL, "expected an object");
		if (!get_class(r, v, "name", false, &class) ||
		    !lg_json_bool(&r->j, v, "novalidate", &novalidate) ||
		    !lg_json_bool(&r->j, v, "more_instances", &more) ||
		    !read_instances(r, v, instances, &nr) || !read_wait(r, v, &wait, &has_wait))
			return false;
		lg_graph_merge_class(r->t->graph, class, novalidate, has_wait ? &wait : NULL,
				     instances, nr, more);
		if (!read_usage(r, v, class, b))
			return false;
	}
	return classes;
}

static bool get_types(struct reader *r, json_t *obj, uint8_t *types)
{
	json_t *arr = lg_json_array(&r->j, obj, "types", 4), *e;
	size_t i;

	*types = 0;
	json_array_foreach(arr, i, e) {
		uint8_t bit = LG_DEP_SR;

		while (bit <= LG_DEP_EN && (!json_is_string(e) ||
					    strcmp(json_string_value(e), lg_dep_type_name(bit))))
			bit <<= 1;
		if (bit > LG_DEP_EN)
			return lg_json_bad(&r->j, "types", "expected SR, ER, SN or EN");
		*types |= bit;
	}
	return arr && (*types || lg_json_bad(&r->j, "types", "expected one at least"));
}

static bool read_dep(struct reader *r, json_t *v, struct site_buf *b)
{
	struct lg_dep d = { 0 };

	if (!json_is_object(v))
		return lg_json_bad(&r->j, NULL, "expected an object");
	if (!get_class(r, v, "from", false, &d.from) || !get_class(r, v, "to", false, &d.to) ||
	    !get_seq(r, v, "seq", &d.seq) || !get_types(r, v, &d.types) ||
	    !lg_json_uint(&r->j, v, "count", INT64_MAX, &d.count) ||
	    !lg_json_uint(&r->j, v, "annotated", d.count, &d.annotated) ||
	    !get_interned(r, v, "primer", true, &d.primer) ||
	    !get_interned(r, v, "rule", true, &d.rule))
		return false;
	if ((d.primer == LG_NONE) != !d.annotated)
		return lg_json_bad(&r->j, "primer",
				   "expected one exactly where annotated is not 0");
	if (!d.count && d.rule == LG_NONE)
		return lg_json_bad(&r->j, "rule",
				   "expected one where count is 0 (a rule's dependency)");
	if (d.count ? !read_site(r, v, "first", b) :
	    !json_is_null(json_object_get(v, "first")))
		return d.count ? false :
		       lg_json_bad(&r->j, "first", "expected null where count is 0");
	lg_graph_merge_dep(r->t->graph, &d, d.count ? &b->data : NULL);
	return true;
}

static bool read_sighting(struct reader *r, json_t *v, bool recursion, struct site_buf *b)
{
	struct lg_class_sighting s = { 0 };

	if (!json_is_object(v))
		return lg_json_bad(&r->j, NULL, "expected an object");
	if (!get_class(r, v, "class", false, &s.class) || !get_seq(r, v, "seq", &s.seq) ||
	    !lg_json_uint(&r->j, v, "count", INT64_MAX, &s.count) ||
	    (!s.count && !lg_json_bad(&r->j, "count", "expected 1 or more")) ||
	    (recursion && !read_held(r, lg_json_member(&r->j, v, "held"), "held", &s.held)) ||
	    !read_site(r, v, "first", b))
		return false;
	if (recursion)
		lg_graph_merge_recursion(r->t->graph, &s, &b->data);
	else
		lg_graph_merge_imbalance(r->t->graph, &s, &b->data);
	return true;
}

static bool read_violation(struct reader *r, json_t *v, struct site_buf *b)
{
	struct lg_wait_violation w = { 0 };

	if (!json_is_object(v))
		return lg_json_bad(&r->j, NULL, "expected an object");
	if (!get_class(r, v, "class", false, &w.class) || !get_class(r, v, "held", true, &w.held) ||
	    !get_seq(r, v, "seq", &w.seq) || !LG_JSON_UINT(&r->j, v, "verdicts", w.verdicts, 3) ||
	    !lg_json_uint(&r->j, v, "count", INT64_MAX, &w.count) ||
	    (!w.count && !lg_json_bad(&r->j, "count", "expected 1 or more")) ||
	    !read_site(r, v, "first", b))
		return false;
	lg_graph_merge_wait_violation(r->t->graph, &w, &b->data);
	return true;
}

static bool get_wait_name(struct reader *r, json_t *obj, const char *key,
			  const char *(*name_of)(uint8_t), unsigned nr, uint8_t *out)
{
	int v = lg_wait_name_value(name_of, nr, json_string_value(lg_json_member(&r->j, obj, key)));

	if (v < 0)
		return lg_json_bad(&r->j, key, "not a name lockgraph gives it");
	*out = (uint8_t)v;
	return true;
}

static bool read_wait_sighting(struct reader *r, json_t *obj, const char *key,
			       struct lg_wait_sighting *s)
{
	json_t *v = lg_json_member(&r->j, obj, key);
	size_t len;
	uint64_t pid = 0;
	bool ok;

	if (!v)
		return false;
	if (!json_is_object(v))
		return lg_json_bad(&r->j, key, "expected an object");
	len = lg_json_push(&r->j, ".%s", key);
	memset(s, 0, sizeof(*s));
	ok = LG_JSON_UINT(&r->j, v, "time_ns", s->time_ns, INT64_MAX) &&
	     get_input(r, v, "input", &s->input) &&
	     LG_JSON_UINT(&r->j, v, "cpu", s->cpu, UINT32_MAX) &&
	     lg_json_uint(&r->j, v, "pid", INT32_MAX, &pid) &&
	     get_site_ref(r, v, "at", &s->at) && get_ctx(r, v, "ctx", &s->ctx) &&
	     lg_json_name_buf(&r->j, v, "comm", false, s->comm, sizeof(s->comm));
	s->pid = (int32_t)pid;
	if (ok)
		lg_json_pop(&r->j, len);
	return ok;
}

static bool read_wait_dep(struct reader *r, json_t *v, struct site_buf *b)
{
	struct lg_wait_graph *wg = lg_graph_waits(r->t->graph);
	struct lg_wait_dep d = { .start_name = LG_NONE };
	uint32_t object;
	uint8_t object_kind = 0;
	bool added;

	(void)b;
	if (!json_is_object(v))
		return lg_json_bad(&r->j, NULL, "expected an object");
	if (!get_wait_name(r, v, "kind", lg_wait_dep_kind_name, 2, &d.kind) ||
	    !get_class(r, v, "lock", false, &d.lock) ||
	    !get_interned(r, v, "object", false, &object) ||
	    !get_wait_name(r, v, "object_kind", lg_wait_object_name, LG_NR_WAIT_OBJECTS,
			   &object_kind) ||
	    !get_seq(r, v, "seq", &d.seq) ||
	    !lg_json_uint(&r->j, v, "count", INT64_MAX, &d.count) ||
	    (!d.count && !lg_json_bad(&r->j, "count", "expected 1 or more")) ||
	    !lg_json_uint(&r->j, v, "untimed", d.count, &d.untimed) ||
	    !lg_json_bool(&r->j, v, "timed", &d.timed) ||
	    !lg_json_bool(&r->j, v, "held_at_event", &d.held_at_event) ||
	    !get_wait_name(r, v, "start", lg_context_start_name, LG_START_IRQ + 1, &d.start) ||
	    !get_interned(r, v, "start_name", true, &d.start_name) ||
	    !read_wait_sighting(r, v, "wait", &d.wait) ||
	    !read_wait_sighting(r, v, "event", &d.event) ||
	    !read_wait_sighting(r, v, "lock_at", &d.lock_at) ||
	    !read_wait_sighting(r, v, "started", &d.started))
		return false;
	d.object = lg_wait_graph_object(wg, object, object_kind);
	if (lg_wait_graph_object_kind(wg, d.object) != object_kind)
		return lg_json_bad(&r->j, "object_kind", "not the kind this object has");
	lg_wait_graph_add(wg, &d, d.seq, &added);
	return true;
}

/* Older graph files of the schema have no waits: none were followed. */
static bool read_wait_stats(struct reader *r, json_t *doc)
{
	json_t *v = json_object_get(doc, "wait_stats");
	struct lg_wait_stats st = { 0 };

	lg_json_pop(&r->j, 0);
	lg_json_push(&r->j, "wait_stats");
	if (!v)
		return true;
	if (!json_is_object(v))
		return lg_json_bad(&r->j, NULL, "expected an object");
	if (!lg_json_uint(&r->j, v, "waits", INT64_MAX, &st.waits) ||
	    !lg_json_uint(&r->j, v, "ended", st.waits, &st.ended) ||
	    !lg_json_uint(&r->j, v, "unended", st.waits - st.ended, &st.unended) ||
	    !lg_json_uint(&r->j, v, "unended_timed", st.waits - st.ended - st.unended,
			  &st.unended_timed) ||
	    !lg_json_uint(&r->j, v, "events", INT64_MAX, &st.events) ||
	    !lg_json_uint(&r->j, v, "context_overflows", INT64_MAX, &st.context_overflows) ||
	    !lg_json_uint(&r->j, v, "forgotten_tasks", INT64_MAX, &st.forgotten_tasks) ||
	    !lg_json_uint(&r->j, v, "lost_resets", INT64_MAX, &st.lost_resets))
		return false;
	lg_wait_graph_merge_stats(lg_graph_waits(r->t->graph), &st);
	return true;
}

/* Each record of the array key, in the order found. */
static bool read_records(struct reader *r, json_t *doc, const char *key, struct site_buf *b,
			 bool (*read)(struct reader *r, json_t *v, struct site_buf *b))
{
	json_t *arr, *v;
	size_t i;

	lg_json_pop(&r->j, 0);
	arr = lg_json_array(&r->j, doc, key, UINT32_MAX / 4);
	json_array_foreach(arr, i, v) {
		lg_json_pop(&r->j, 0);
		lg_json_push(&r->j, "%s[%zu]", key, i);
		if (!read(r, v, b))
			return false;
	}
	return arr;
}

static bool read_recursion(struct reader *r, json_t *v, struct site_buf *b)
{
	return read_sighting(r, v, true, b);
}

static bool read_imbalance(struct reader *r, json_t *v, struct site_buf *b)
{
	return read_sighting(r, v, false, b);
}

static bool get_naming(struct reader *r, json_t *obj, enum lg_lock_naming *naming)
{
	const char *s = json_string_value(lg_json_member(&r->j, obj, "named_by"));

	for (int n = LG_NAMED_BY_CLASS; s && n <= LG_NAMED_BY_ADDRESS; n++)
		if (!strcmp(s, lg_contention_naming_name(n))) {
			*naming = n;
			return true;
		}
	return lg_json_bad(&r->j, "named_by", "expected class, symbol or address");
}

static bool read_contention(struct reader *r, json_t *doc)
{
	json_t *arr, *v;
	size_t i;

	lg_json_pop(&r->j, 0);
	arr = lg_json_array(&r->j, doc, "contention", UINT32_MAX / 4);
	json_array_foreach(arr, i, v) {
		struct lg_lock_contention l = { 0 };
		char *name;
		bool ok;

		lg_json_pop(&r->j, 0);
		lg_json_push(&r->j, "contention[%zu]", i);
		if (!json_is_object(v))
			return lg_json_bad(&r->j, NULL, "expected an object");
		if (!lg_json_name(&r->j, v, "name", false, &name))
			return false;
		l.name = name;
		ok = get_naming(r, v, &l.naming) &&
		     LG_JSON_UINT(&r->j, v, "kind", l.kind, UINT32_MAX) &&
		     lg_json_uint(&r->j, v, "contended", INT64_MAX, &l.contended) &&
		     (l.contended || lg_json_bad(&r->j, "contended", "expected 1 or more")) &&
		     lg_json_uint(&r->j, v, "total_ns", INT64_MAX, &l.total_ns) &&
		     lg_json_uint(&r->j, v, "max_ns", l.total_ns, &l.max_ns);
		if (ok)
			lg_contention_merge(r->t->contention, &l, 1);
		free(name);
		if (!ok)
			return false;
	}
	return arr;
}

static bool read_schema(struct reader *r, json_t *doc)
{
	const char *schema = json_string_value(json_object_get(doc, "schema"));

	if (!json_is_object(doc) || !schema)
		return lg_json_bad(&r->j, NULL, "not a graph file (no schema)");
	if (!strcmp(schema, LG_GRAPH_SCHEMA))
		return true;
	if (!strncmp(schema, "lockgraph-report/", 17))
		return lg_json_bad(&r->j, NULL, "a JSON report, not a graph file "
				   "(analyze --save-graph writes those)");
	return lg_json_bad(&r->j, "schema", "%s, not %s: written by another lockgraph", schema,
			   LG_GRAPH_SCHEMA);
}

int lg_graph_file_merge(const struct lg_graph_target *t, const char *path,
			const char *text, size_t len, struct lg_error *err)
{
	struct reader r = { .j = { .path = path, .err = err }, .t = t,
			    .seq_base = lg_graph_next_seq(t->graph) };
	struct site_buf *b = lg_xmalloc(sizeof(*b));
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	bool ok;

	if (!doc) {
		free(b);
		return lg_fail(err, EINVAL, "%s:%d:%d: not a graph file: %s", path, jerr.line,
			       jerr.column, jerr.text);
	}
	ok = read_schema(&r, doc) && lg_json_uint(&r.j, doc, "seqs", INT64_MAX, &r.seqs) &&
	     (r.seqs <= (LG_NONE - 2 - r.seq_base) / 2 ||
	      lg_json_bad(&r.j, "seqs", "more records than one analysis can number"));
	ok = ok && read_inputs(&r, doc) && read_replay(&r, doc) && read_classes(&r, doc, b) &&
	     read_records(&r, doc, "dependencies", b, read_dep) &&
	     read_records(&r, doc, "recursions", b, read_recursion) &&
	     read_records(&r, doc, "imbalances", b, read_imbalance) &&
	     read_records(&r, doc, "wait_violations", b, read_violation) &&
	     (!json_object_get(doc, "wait_dependencies") ||
	      read_records(&r, doc, "wait_dependencies", b, read_wait_dep)) &&
	     read_wait_stats(&r, doc) && read_contention(&r, doc);
	if (ok)
		lg_graph_set_next_seq(t->graph, r.seq_base + 2 * (uint32_t)r.seqs);
	json_decref(doc);
	free(b);
	return ok ? 0 : -EINVAL;
}
