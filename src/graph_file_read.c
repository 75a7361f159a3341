/*
 * Reading a graph file into an analysis, as graph_file_write.c writes one.
 * Anything else in it is an error naming the member ("dependencies[3].first.
 * held[0].class"), never a crash or a changed graph: every number is
 * range-checked and every name is re-interned here. Members a later writer
 * of the same schema adds are ignored.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/graph_file.h"
#include "lockgraph/lib/util.h"

struct reader {
	const struct lg_graph_target *t;
	const char *path;
	struct lg_error *err;
	bool failed;
	uint32_t nr_inputs;	/* the file's */
	uint32_t seq_base;	/* its seq s becomes seq_base + 2 * s */
	uint64_t seqs;
	char where[256];	/* the member being read */
};

/* A site as read, with room for its held locks and stack. */
struct site_buf {
	struct lg_site_data data;
	struct lg_held_lock held[LG_MAX_DEPTH];
	uint32_t stack[LG_STACK_MAX];
};

__attribute__((format(printf, 3, 4)))
static bool bad(struct reader *r, const char *key, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (r->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	r->failed = true;
	if (!*r->where && !key)
		lg_fail(r->err, EINVAL, "%s: %s", r->path, what);
	else
		lg_fail(r->err, EINVAL, "%s: %s%s%s: %s", r->path, r->where,
			*r->where && key ? "." : "", key ? key : "", what);
	return false;
}

/* Descend into a member of the one being read ("dependencies[3]", then
 * ".first"): the length to go back to with pop(). */
__attribute__((format(printf, 2, 3)))
static size_t push(struct reader *r, const char *fmt, ...)
{
	size_t len = strlen(r->where);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->where + len, sizeof(r->where) - len, fmt + (!len && *fmt == '.'), ap);
	va_end(ap);
	return len;
}

static void pop(struct reader *r, size_t len)
{
	r->where[len] = '\0';
}

static json_t *member(struct reader *r, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		bad(r, key, "missing");
	return v;
}

static bool get_uint(struct reader *r, json_t *obj, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = member(r, obj, key);

	if (!v)
		return false;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return bad(r, key, "expected an integer from 0 to %" PRIu64, max);
	*out = json_integer_value(v);
	return true;
}

#define GET_UINT(r, obj, key, field, max)					\
	({ uint64_t v_ = 0; bool ok_ = get_uint(r, obj, key, max, &v_); (field) = v_; ok_; })

static bool get_bool(struct reader *r, json_t *obj, const char *key, bool *out)
{
	json_t *v = member(r, obj, key);

	if (v && !json_is_boolean(v))
		return bad(r, key, "expected true or false");
	*out = v && json_is_true(v);
	return v;
}

static json_t *get_array(struct reader *r, json_t *obj, const char *key, size_t max)
{
	json_t *v = member(r, obj, key);

	if (v && !json_is_array(v))
		return bad(r, key, "expected an array"), NULL;
	if (v && json_array_size(v) > max)
		return bad(r, key, "more than %zu entries", max), NULL;
	return v;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A name as written: a string, or {"hex": ...} of bytes that are not UTF-8;
 * *out is the caller's to free. NULL where v is null and may be. */
static bool name_value(struct reader *r, json_t *v, const char *key, bool nullable, char **out)
{
	json_t *hex = json_object_get(v, "hex");
	const char *h = json_string_value(hex);
	size_t len = h ? strlen(h) : 0;

	*out = NULL;
	if (json_is_null(v) && nullable)
		return true;
	if (json_is_string(v)) {
		if (strlen(json_string_value(v)) != json_string_length(v))
			return bad(r, key, "a NUL in a name");
		*out = lg_xstrdup(json_string_value(v));
		return true;
	}
	if (!json_is_object(v) || !h)
		return bad(r, key, "expected a name (a string or {\"hex\": ...})");
	if (!len || len % 2)
		return bad(r, key, "hex: expected pairs of hex digits");
	*out = lg_xmalloc(len / 2 + 1);
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hex_digit(h[2 * i]), lo = hex_digit(h[2 * i + 1]);

		if (hi < 0 || lo < 0 || !(hi | lo)) {
			free(*out);
			*out = NULL;
			return bad(r, key, "hex: expected pairs of hex digits, not 00");
		}
		(*out)[i] = hi << 4 | lo;
	}
	(*out)[len / 2] = '\0';
	return true;
}

static bool get_name(struct reader *r, json_t *obj, const char *key, bool nullable, char **out)
{
	json_t *v = member(r, obj, key);

	*out = NULL;
	return v && name_value(r, v, key, nullable, out);
}

/* A name interned: its id, LG_NONE for null (where nullable). */
static bool get_interned(struct reader *r, json_t *obj, const char *key, bool nullable,
			 uint32_t *id)
{
	char *s;

	*id = LG_NONE;
	if (!get_name(r, obj, key, nullable, &s))
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

	if (!name_value(r, v, key, nullable, &s))
		return false;
	*ref = s ? lg_site_ref(lg_strtab_intern(r->t->names, s, strlen(s))) : LG_SITE_UNKNOWN;
	free(s);
	return true;
}

static bool get_site_ref(struct reader *r, json_t *obj, const char *key, uint32_t *ref)
{
	json_t *v = member(r, obj, key);

	return v && site_ref_value(r, v, key, true, ref);
}

/* Into a fixed buffer: "" for null (where nullable). */
static bool get_name_buf(struct reader *r, json_t *obj, const char *key, bool nullable,
			 char *buf, size_t size)
{
	char *s;

	if (!get_name(r, obj, key, nullable, &s))
		return false;
	if (s && strlen(s) >= size) {
		free(s);
		return bad(r, key, "longer than %zu bytes", size - 1);
	}
	snprintf(buf, size, "%s", s ? s : "");
	free(s);
	return true;
}

static bool get_addr(struct reader *r, json_t *obj, const char *key, uint64_t *addr)
{
	json_t *v = member(r, obj, key);
	const char *s = json_string_value(v);
	size_t len = s ? strlen(s) : 0;

	if (!v)
		return false;
	*addr = 0;
	if (len < 3 || len > 18 || s[0] != '0' || s[1] != 'x')
		return bad(r, key, "expected an address \"0x...\"");
	for (size_t i = 2; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return bad(r, key, "expected an address \"0x...\"");
		*addr = *addr << 4 | d;
	}
	return true;
}

/* A seq of the file, as this graph numbers it. */
static bool get_seq(struct reader *r, json_t *obj, const char *key, uint32_t *seq)
{
	uint64_t s;

	if (!r->seqs)
		return bad(r, key, "a record in a file of no seqs");
	if (!get_uint(r, obj, key, r->seqs - 1, &s))
		return false;
	*seq = r->seq_base + 2 * (uint32_t)s;
	return true;
}

static bool get_input(struct reader *r, json_t *obj, const char *key, uint32_t *input)
{
	uint64_t i;

	if (!r->nr_inputs)
		return bad(r, key, "a record in a file of no inputs");
	if (!get_uint(r, obj, key, r->nr_inputs - 1, &i))
		return false;
	*input = r->t->first_input + (uint32_t)i;
	return true;
}

static bool get_ctx(struct reader *r, json_t *obj, const char *key, uint8_t *ctx)
{
	const char *s = json_string_value(member(r, obj, key));

	for (int c = 0; s && c < LG_NR_CTX; c++)
		if (!strcmp(s, lg_ctx_name(c))) {
			*ctx = c;
			return true;
		}
	return bad(r, key, "expected process, softirq, hardirq or nmi");
}

static bool read_held(struct reader *r, json_t *v, const char *key, struct lg_held_lock *h)
{
	size_t len = push(r, ".%s", key);
	bool ok;

	*h = (struct lg_held_lock){ 0 };
	ok = (json_is_object(v) || bad(r, NULL, "expected an object")) &&
	     get_class(r, v, "class", false, &h->class) && get_addr(r, v, "addr", &h->addr) &&
	     get_site_ref(r, v, "site", &h->site) && GET_UINT(r, v, "flags", h->flags, 0xffff) &&
	     GET_UINT(r, v, "enabled", h->enabled, LG_IRQS_OFF | LG_BH_OFF);
	pop(r, len);
	return ok;
}

static bool read_frames(struct reader *r, json_t *site, struct site_buf *b)
{
	json_t *stack = get_array(r, site, "stack", LG_STACK_MAX), *f;
	size_t i;

	if (!stack)
		return false;
	json_array_foreach(stack, i, f) {
		char key[32];

		snprintf(key, sizeof(key), "stack[%zu]", i);
		if (!site_ref_value(r, f, key, false, &b->stack[i]))
			return false;
	}
	b->data.site.stack_nr = json_array_size(stack);
	b->data.stack = json_array_size(stack) ? b->stack : NULL;
	return true;
}

static bool read_site(struct reader *r, json_t *obj, const char *key, struct site_buf *b)
{
	json_t *v = member(r, obj, key), *held, *h;
	struct lg_site *s = &b->data.site;
	uint64_t pid;
	size_t i, len;

	if (!v)
		return false;
	if (!json_is_object(v))
		return bad(r, key, "expected a site object");
	len = push(r, ".%s", key);
	memset(b, 0, offsetof(struct site_buf, held));
	b->data.held = b->held;
	if (!GET_UINT(r, v, "time_ns", s->time_ns, INT64_MAX) || !get_addr(r, v, "addr", &s->addr) ||
	    !get_input(r, v, "input", &s->input) || !GET_UINT(r, v, "cpu", s->cpu, UINT32_MAX) ||
	    !get_uint(r, v, "pid", INT32_MAX, &pid) ||
	    !get_name_buf(r, v, "comm", false, s->comm, sizeof(s->comm)) ||
	    !get_site_ref(r, v, "at", &s->at) || !get_ctx(r, v, "ctx", &s->ctx) ||
	    !GET_UINT(r, v, "flags", s->flags, 0xffff) ||
	    !GET_UINT(r, v, "irqflags", s->irqflags, LG_IRQS_OFF | LG_BH_OFF) ||
	    !GET_UINT(r, v, "enabling", s->enabling, LG_IRQS_OFF | LG_BH_OFF) ||
	    !get_name_buf(r, v, "inside", true, s->inside, sizeof(s->inside)))
		return false;
	s->pid = (int32_t)pid;
	held = get_array(r, v, "held", LG_MAX_DEPTH);
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
	pop(r, len);
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
	json_t *v = member(r, in, "stats"), *markers, *lost, *e;
	size_t i;

	if (!v || !json_is_object(v))
		return v ? bad(r, "stats", "expected an object") : false;
	push(r, ".stats");
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (!get_uint(r, v, counts[i].key, INT64_MAX,
			      (uint64_t *)((char *)st + counts[i].offset)))
			return false;
	markers = get_array(r, v, "lost_markers_by_cpu", LG_LOST_CPUS);
	lost = get_array(r, v, "lost_by_cpu", LG_LOST_CPUS);
	if (!markers || !lost)
		return false;
	if (json_array_size(markers) != LG_LOST_CPUS || json_array_size(lost) != LG_LOST_CPUS)
		return bad(r, "lost_by_cpu", "expected %d entries in it and lost_markers_by_cpu",
			   LG_LOST_CPUS);
	json_array_foreach(markers, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > UINT32_MAX)
			return bad(r, "lost_markers_by_cpu", "expected integers from 0");
		st->lost_markers_by_cpu[i] = json_integer_value(e);
	}
	json_array_foreach(lost, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0)
			return bad(r, "lost_by_cpu", "expected integers from 0");
		st->lost_by_cpu[i] = json_integer_value(e);
	}
	return GET_UINT(r, v, "recorded", st->recorded, 0xff) &&
	       get_bool(r, v, "names_dropped", &st->names_dropped) &&
	       get_name_buf(r, v, "release", false, st->origin.release, sizeof(st->origin.release)) &&
	       get_name_buf(r, v, "version", false, st->origin.version, sizeof(st->origin.version)) &&
	       get_name_buf(r, v, "clock", false, st->origin.clock, sizeof(st->origin.clock));
}

static bool get_tier(struct reader *r, json_t *obj, enum lg_tier *tier)
{
	const char *s = json_string_value(member(r, obj, "tier"));

	for (int t = LG_TIER_NONE; s && t <= LG_TIER_LOCKDEP_ARGS; t++)
		if (!strcmp(s, lg_tier_name(t))) {
			*tier = t;
			return true;
		}
	return bad(r, "tier", "expected a tier's name, as lockgraph record prints it");
}

static const char *interned(struct reader *r, const char *s)
{
	return lg_strtab_str(r->t->names, lg_strtab_intern(r->t->names, s, strlen(s)));
}

static bool read_inputs(struct reader *r, json_t *doc)
{
	json_t *inputs, *v;
	size_t i;

	pop(r, 0);
	inputs = get_array(r, doc, "inputs", UINT32_MAX / 4);
	if (!inputs)
		return false;
	if (!json_array_size(inputs))
		return bad(r, "inputs", "no inputs");
	r->nr_inputs = json_array_size(inputs);
	json_array_foreach(inputs, i, v) {
		struct lg_input in = { .graph = interned(r, r->path) };
		char *path, *format;
		bool ok;

		pop(r, 0);
		push(r, "inputs[%zu]", i);
		if (!json_is_object(v))
			return bad(r, NULL, "expected an object");
		if (!get_name(r, v, "path", false, &path))
			return false;
		ok = get_name(r, v, "format", false, &format) && get_tier(r, v, &in.tier) &&
		     get_bool(r, v, "user_locks", &in.user_locks) && get_bool(r, v, "sited", &in.sited) &&
		     read_stats(r, v, &in.stats);
		if (ok) {
			in.path = interned(r, path);
			in.format = interned(r, format);
		}
		free(path);
		free(format);
		if (!ok)
			return false;
		if (r->t->add_input(&in, r->t->arg, r->err)) {
			r->failed = true;
			return false;
		}
	}
	return true;
}

static bool read_replay(struct reader *r, json_t *doc)
{
	json_t *v = member(r, doc, "replay");
	struct lg_replay_stats st;

	pop(r, 0);
	push(r, "replay");
	if (!v || !json_is_object(v))
		return v ? bad(r, NULL, "expected an object") : false;
	if (!get_uint(r, v, "acquires", INT64_MAX, &st.acquires) ||
	    !get_uint(r, v, "releases", INT64_MAX, &st.releases) ||
	    !get_uint(r, v, "unmatched_releases", INT64_MAX, &st.unmatched_releases) ||
	    !get_uint(r, v, "same_class_nesting", INT64_MAX, &st.same_class_nesting) ||
	    !get_uint(r, v, "unseen_set_class", INT64_MAX, &st.unseen_set_class) ||
	    !get_uint(r, v, "stack_resets", INT64_MAX, &st.stack_resets) ||
	    !get_uint(r, v, "depth_overflows", INT64_MAX, &st.depth_overflows) ||
	    !get_uint(r, v, "tasks", INT64_MAX, &st.tasks))
		return false;
	lg_replay_merge_stats(r->t->replay, &st);
	return true;
}

static bool get_usage_bit(struct reader *r, json_t *obj, uint8_t *bit)
{
	const char *s = json_string_value(member(r, obj, "bit"));

	for (unsigned b = 0; s && b < LG_NR_USAGE_BITS; b++)
		if (!strcmp(s, lg_usage_name(b))) {
			*bit = b;
			return true;
		}
	return bad(r, "bit", "expected a usage bit's name, as lockdep prints it");
}

struct usage_entry {
	json_t *v;
	size_t index;		/* in the array */
};

static int by_seq(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(((const struct usage_entry *)a)->v, "seq"));
	json_int_t y = json_integer_value(json_object_get(((const struct usage_entry *)b)->v, "seq"));

	return (x > y) - (x < y);
}

/* The class's usage bits in the order it got them, so that a contradiction
 * is found where replay would have found it. */
static bool read_usage(struct reader *r, json_t *v, uint32_t class, struct site_buf *b)
{
	json_t *usage = get_array(r, v, "usage", LG_NR_USAGE_BITS);
	struct usage_entry order[LG_NR_USAGE_BITS];
	size_t nr = json_array_size(usage);

	if (!usage)
		return false;
	for (size_t i = 0; i < nr; i++)
		order[i] = (struct usage_entry){ json_array_get(usage, i), i };
	qsort(order, nr, sizeof(*order), by_seq);
	for (size_t i = 0; i < nr; i++) {
		size_t len = push(r, ".usage[%zu]", order[i].index);
		json_t *u = order[i].v;
		uint8_t bit = 0;
		uint32_t seq = 0;

		if (!json_is_object(u))
			return bad(r, NULL, "expected an object");
		if (!get_usage_bit(r, u, &bit) || !get_seq(r, u, "seq", &seq) ||
		    !read_site(r, u, "site", b))
			return false;
		if (lg_graph_usage_site(r->t->graph, class, bit) &&
		    lg_graph_usage_seq(r->t->graph, class, bit) >= r->seq_base)
			return bad(r, "bit", "the class has it twice");
		lg_graph_merge_usage(r->t->graph, class, bit, seq, &b->data);
		pop(r, len);
	}
	return true;
}

static bool read_instances(struct reader *r, json_t *v, struct lg_instance *in, uint8_t *nr)
{
	json_t *arr = get_array(r, v, "instances", LG_INSTANCES), *e;
	size_t i;

	if (!arr)
		return false;
	json_array_foreach(arr, i, e) {
		size_t len = push(r, ".instances[%zu]", i);

		if (!json_is_object(e))
			return bad(r, NULL, "expected an object");
		if (!get_addr(r, e, "addr", &in[i].addr) ||
		    !GET_UINT(r, e, "first_ns", in[i].first_ns, INT64_MAX) ||
		    !get_input(r, e, "input", &in[i].input) ||
		    !GET_UINT(r, e, "taken", in[i].taken, UINT32_MAX) ||
		    (!in[i].taken && !bad(r, "taken", "expected 1 or more")))
			return false;
		pop(r, len);
	}
	*nr = json_array_size(arr);
	return true;
}

static bool read_wait(struct reader *r, json_t *v, struct lg_wait_types *w, bool *known)
{
	json_t *wait = member(r, v, "wait");
	size_t len;
	bool ok;

	*known = wait && !json_is_null(wait);
	if (!wait || !*known)
		return wait;
	if (!json_is_object(wait))
		return bad(r, "wait", "expected an object or null");
	len = push(r, ".wait");
	w->known = true;
	ok = GET_UINT(r, wait, "outer", w->outer, 0xff) &&
	     GET_UINT(r, wait, "inner", w->inner, 0xff) &&
	     GET_UINT(r, wait, "lock_type", w->lock_type, 0xff);
	pop(r, len);
	return ok;
}

static bool read_classes(struct reader *r, json_t *doc, struct site_buf *b)
{
	json_t *classes, *v;
	size_t i;

	pop(r, 0);
	classes = get_array(r, doc, "classes", UINT32_MAX / 4);
	json_array_foreach(classes, i, v) {
		struct lg_instance instances[LG_INSTANCES];
		struct lg_wait_types wait = { 0 };
		bool novalidate, more, has_wait;
		uint32_t class;
		uint8_t nr = 0;

		pop(r, 0);
		push(r, "classes[%zu]", i);
		if (!json_is_object(v))
			return bad(r, NULL, "expected an object");
		if (!get_class(r, v, "name", false, &class) ||
		    !get_bool(r, v, "novalidate", &novalidate) ||
		    !get_bool(r, v, "more_instances", &more) ||
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
	json_t *arr = get_array(r, obj, "types", 4), *e;
	size_t i;

	*types = 0;
	json_array_foreach(arr, i, e) {
		uint8_t bit = LG_DEP_SR;

		while (bit <= LG_DEP_EN && (!json_is_string(e) ||
					    strcmp(json_string_value(e), lg_dep_type_name(bit))))
			bit <<= 1;
		if (bit > LG_DEP_EN)
			return bad(r, "types", "expected SR, ER, SN or EN");
		*types |= bit;
	}
	return arr && (*types || bad(r, "types", "expected one at least"));
}

static bool read_dep(struct reader *r, json_t *v, struct site_buf *b)
{
	struct lg_dep d = { 0 };

	if (!json_is_object(v))
		return bad(r, NULL, "expected an object");
	if (!get_class(r, v, "from", false, &d.from) || !get_class(r, v, "to", false, &d.to) ||
	    !get_seq(r, v, "seq", &d.seq) || !get_types(r, v, &d.types) ||
	    !get_uint(r, v, "count", INT64_MAX, &d.count) ||
	    !get_uint(r, v, "annotated", d.count, &d.annotated) ||
	    !get_interned(r, v, "primer", true, &d.primer) ||
	    !get_interned(r, v, "rule", true, &d.rule))
		return false;
	if ((d.primer == LG_NONE) != !d.annotated)
		return bad(r, "primer", "expected one exactly where annotated is not 0");
	if (!d.count && d.rule == LG_NONE)
		return bad(r, "rule", "expected one where count is 0 (a rule's dependency)");
	if (d.count ? !read_site(r, v, "first", b) :
	    !json_is_null(json_object_get(v, "first")))
		return d.count ? false : bad(r, "first", "expected null where count is 0");
	lg_graph_merge_dep(r->t->graph, &d, d.count ? &b->data : NULL);
	return true;
}

static bool read_sighting(struct reader *r, json_t *v, bool recursion, struct site_buf *b)
{
	struct lg_class_sighting s = { 0 };

	if (!json_is_object(v))
		return bad(r, NULL, "expected an object");
	if (!get_class(r, v, "class", false, &s.class) || !get_seq(r, v, "seq", &s.seq) ||
	    !get_uint(r, v, "count", INT64_MAX, &s.count) ||
	    (!s.count && !bad(r, "count", "expected 1 or more")) ||
	    (recursion && !read_held(r, member(r, v, "held"), "held", &s.held)) ||
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
		return bad(r, NULL, "expected an object");
	if (!get_class(r, v, "class", false, &w.class) || !get_class(r, v, "held", true, &w.held) ||
	    !get_seq(r, v, "seq", &w.seq) || !GET_UINT(r, v, "verdicts", w.verdicts, 3) ||
	    !get_uint(r, v, "count", INT64_MAX, &w.count) ||
	    (!w.count && !bad(r, "count", "expected 1 or more")) || !read_site(r, v, "first", b))
		return false;
	lg_graph_merge_wait_violation(r->t->graph, &w, &b->data);
	return true;
}

/* Each record of the array key, in the order found. */
static bool read_records(struct reader *r, json_t *doc, const char *key, struct site_buf *b,
			 bool (*read)(struct reader *r, json_t *v, struct site_buf *b))
{
	json_t *arr, *v;
	size_t i;

	pop(r, 0);
	arr = get_array(r, doc, key, UINT32_MAX / 4);
	json_array_foreach(arr, i, v) {
		pop(r, 0);
		push(r, "%s[%zu]", key, i);
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
	const char *s = json_string_value(member(r, obj, "named_by"));

	for (int n = LG_NAMED_BY_CLASS; s && n <= LG_NAMED_BY_ADDRESS; n++)
		if (!strcmp(s, lg_contention_naming_name(n))) {
			*naming = n;
			return true;
		}
	return bad(r, "named_by", "expected class, symbol or address");
}

static bool read_contention(struct reader *r, json_t *doc)
{
	json_t *arr, *v;
	size_t i;

	pop(r, 0);
	arr = get_array(r, doc, "contention", UINT32_MAX / 4);
	json_array_foreach(arr, i, v) {
		struct lg_lock_contention l = { 0 };
		char *name;
		bool ok;

		pop(r, 0);
		push(r, "contention[%zu]", i);
		if (!json_is_object(v))
			return bad(r, NULL, "expected an object");
		if (!get_name(r, v, "name", false, &name))
			return false;
		l.name = name;
		ok = get_naming(r, v, &l.naming) && GET_UINT(r, v, "kind", l.kind, UINT32_MAX) &&
		     get_uint(r, v, "contended", INT64_MAX, &l.contended) &&
		     (l.contended || bad(r, "contended", "expected 1 or more")) &&
		     get_uint(r, v, "total_ns", INT64_MAX, &l.total_ns) &&
		     get_uint(r, v, "max_ns", l.total_ns, &l.max_ns);
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
		return bad(r, NULL, "not a graph file (no schema)");
	if (!strcmp(schema, LG_GRAPH_SCHEMA))
		return true;
	if (!strncmp(schema, "lockgraph-report/", 17))
		return bad(r, NULL, "a JSON report, not a graph file (analyze --save-graph "
			   "writes those)");
	return bad(r, "schema", "%s, not %s: written by another lockgraph", schema,
		   LG_GRAPH_SCHEMA);
}

int lg_graph_file_merge(const struct lg_graph_target *t, const char *path,
			const char *text, size_t len, struct lg_error *err)
{
	struct reader r = { .t = t, .path = path, .err = err,
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
	ok = read_schema(&r, doc) && get_uint(&r, doc, "seqs", INT64_MAX, &r.seqs) &&
	     (r.seqs <= (LG_NONE - 2 - r.seq_base) / 2 ||
	      bad(&r, "seqs", "more records than one analysis can number"));
	ok = ok && read_inputs(&r, doc) && read_replay(&r, doc) && read_classes(&r, doc, b) &&
	     read_records(&r, doc, "dependencies", b, read_dep) &&
	     read_records(&r, doc, "recursions", b, read_recursion) &&
	     read_records(&r, doc, "imbalances", b, read_imbalance) &&
	     read_records(&r, doc, "wait_violations", b, read_violation) &&
	     read_contention(&r, doc);
	if (ok)
		lg_graph_set_next_seq(t->graph, r.seq_base + 2 * (uint32_t)r.seqs);
	json_decref(doc);
	free(b);
	return ok ? 0 : -EINVAL;
}
