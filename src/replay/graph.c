/* Lock classes, dependencies, recursions and unlock imbalances with their
 * first-seen provenance.
 * Classes are keyed by name for now; the held stacks of first sightings share
 * one pool so a dependency costs one small struct however often it recurs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/graph.h"
#include "lockgraph/replay/wait_graph.h"

/* A class's id is its interned name; names interned for other uses (probed
 * functions) leave ids that are not classes. */
struct class_info {
	bool known;
	bool novalidate;
	uint32_t recursion;	/* index in recursions.v or LG_NONE */
	uint32_t imbalance;	/* index in imbalances.v or LG_NONE */
	struct lg_wait_types wait;
	uint16_t usage;		/* 1 << LG_USAGE_* bits, LG_USAGE_USED* too */
	uint8_t usage_bugs;	/* irq states with a usage bug: 1 hardirq, 2 softirq */
	uint32_t usage_site[LG_NR_USAGE_BITS];	/* index in usage_sites */
	struct lg_instance instances[LG_INSTANCES];	/* the first ones taken */
	uint8_t nr_instances;
	bool more_instances;	/* than LG_INSTANCES */
};

/* Where and when (among all seqs) a class first had a usage bit. */
struct usage_site {
	uint32_t seq;
	struct lg_site site;
};

struct sightings {
	struct lg_class_sighting *v;
	uint32_t nr, alloc;
};

struct lg_graph {
	struct lg_strtab *names;
	const struct lg_rules *rules;
	struct class_info *classes;	/* indexed by class == name id */
	uint32_t bound, nr_classes, alloc_classes;	/* ids < bound; classes */
	struct lg_dep *deps;
	uint32_t nr_deps, alloc_deps;
	struct lg_u64map dep_index;	/* from << 32 | to -> deps[] */
	struct sightings recursions, imbalances;
	struct usage_site *usage_sites;
	uint32_t nr_usage_sites, alloc_usage_sites;
	struct lg_usage_bug *usage_bugs;
	uint32_t nr_usage_bugs, alloc_usage_bugs;
	struct lg_wait_violation *violations;
	uint32_t nr_violations, alloc_violations;
	struct lg_u64map violation_index[2];	/* class << 32 | held, by irq or not */
	uint8_t max_wait;
	struct lg_held_lock *held;
	uint32_t nr_held, alloc_held;
	uint32_t *frames;		/* the sites' stacks */
	uint32_t nr_frames, alloc_frames;
	uint32_t seq;
	struct lg_wait_graph *waits;
};

struct lg_graph *lg_graph_new(struct lg_strtab *names, const struct lg_rules *rules)
{
	struct lg_graph *g = lg_xcalloc(1, sizeof(*g));

	g->names = names;
	g->rules = rules;
	lg_u64map_init(&g->dep_index);
	lg_u64map_init(&g->violation_index[0]);
	lg_u64map_init(&g->violation_index[1]);
	g->waits = lg_wait_graph_new();
	return g;
}

void lg_graph_free(struct lg_graph *g)
{
	if (!g)
		return;
	free(g->classes);
	free(g->deps);
	lg_u64map_release(&g->dep_index);
	free(g->recursions.v);
	free(g->imbalances.v);
	free(g->usage_sites);
	free(g->usage_bugs);
	free(g->violations);
	lg_u64map_release(&g->violation_index[0]);
	lg_u64map_release(&g->violation_index[1]);
	free(g->held);
	free(g->frames);
	lg_wait_graph_free(g->waits);
	free(g);
}

uint32_t lg_graph_class(struct lg_graph *g, uint32_t name)
{
	if (name >= g->alloc_classes) {
		uint32_t n = g->alloc_classes ? g->alloc_classes : 256;

		while (n <= name)
			n *= 2;
		g->classes = lg_xrealloc(g->classes, n * sizeof(*g->classes));
		memset(g->classes + g->alloc_classes, 0,
		       (n - g->alloc_classes) * sizeof(*g->classes));
		g->alloc_classes = n;
	}
	if (!g->classes[name].known) {
		struct class_info *c = &g->classes[name];

		c->known = true;
		c->novalidate = lg_rules_novalidate(g->rules, lg_strtab_str(g->names, name));
		c->recursion = LG_NONE;
		c->imbalance = LG_NONE;
		g->nr_classes++;
		if (name >= g->bound)
			g->bound = name + 1;
	}
	return name;
}

bool lg_graph_is_class(const struct lg_graph *g, uint32_t id)
{
	return id < g->alloc_classes && g->classes[id].known;
}

bool lg_graph_class_novalidate(const struct lg_graph *g, uint32_t class)
{
	return g->classes[class].novalidate;
}

/* lockdep's class takes them from the map that registered it */
void lg_graph_class_set_wait(struct lg_graph *g, uint32_t class, const struct lg_wait_types *w)
{
	struct class_info *c = &g->classes[class];

	if (c->wait.known || !w->known)
		return;
	c->wait = *w;
	if (w->outer > g->max_wait)
		g->max_wait = w->outer;
	if (w->inner > g->max_wait)
		g->max_wait = w->inner;
}

const struct lg_wait_types *lg_graph_class_wait(const struct lg_graph *g, uint32_t class)
{
	return g->classes[class].wait.known ? &g->classes[class].wait : NULL;
}

uint8_t lg_graph_max_wait(const struct lg_graph *g)
{
	return g->max_wait;
}

const char *lg_graph_class_name(const struct lg_graph *g, uint32_t class)
{
	return lg_strtab_str(g->names, class);
}

const char *lg_graph_name(const struct lg_graph *g, uint32_t name)
{
	return lg_strtab_str(g->names, name);
}

const char *lg_graph_site_name(const struct lg_graph *g, uint32_t site)
{
	return site == LG_SITE_UNKNOWN ? NULL : lg_strtab_str(g->names, lg_site_name(site));
}

uint32_t lg_graph_nr_classes(const struct lg_graph *g)
{
	return g->nr_classes;
}

uint32_t lg_graph_class_bound(const struct lg_graph *g)
{
	return g->bound;
}

/* Copy a site, its held locks and stack into the graph's pools. */
static void store_site(struct lg_graph *g, struct lg_site *dst, const struct lg_site_data *src)
{
	uint32_t nr_held = src->site.held_nr, nr_frames = src->stack ? src->site.stack_nr : 0;

	*dst = src->site;
	dst->held_first = g->nr_held;
	while (g->nr_held + nr_held > g->alloc_held) {
		g->alloc_held = g->alloc_held ? 2 * g->alloc_held : 1024;
		g->held = lg_xrealloc(g->held, g->alloc_held * sizeof(*g->held));
	}
	if (nr_held)
		memcpy(g->held + g->nr_held, src->held, nr_held * sizeof(*src->held));
	g->nr_held += nr_held;
	dst->stack_first = g->nr_frames;
	dst->stack_nr = nr_frames;
	while (g->nr_frames + nr_frames > g->alloc_frames) {
		g->alloc_frames = g->alloc_frames ? 2 * g->alloc_frames : 1024;
		g->frames = lg_xrealloc(g->frames, g->alloc_frames * sizeof(*g->frames));
	}
	if (nr_frames)
		memcpy(g->frames + g->nr_frames, src->stack, nr_frames * sizeof(*src->stack));
	g->nr_frames += nr_frames;
}

/* The site of an acquisition, pointing at its held locks and stack. */
static struct lg_site_data site_of(const struct lg_graph *g, const struct lg_acquisition *at)
{
	const struct lg_event *ev = at->ev;
	struct lg_site_data d = { .held = at->held };
	struct lg_site *site = &d.site;
	size_t len = ev->comm_len < sizeof(site->comm) - 1 ? ev->comm_len : sizeof(site->comm) - 1;

	site->time_ns = ev->time_ns;
	site->addr = ev->addr;
	site->input = at->input;
	site->cpu = ev->cpu;
	site->pid = ev->pid;
	site->ctx = ev->ctx;
	site->flags = ev->flags;
	site->irqflags = ev->irqflags;
	site->at = ev->site;
	memcpy(site->comm, ev->comm, len);
	if (at->lock) {
		site->addr = at->lock->addr;
		site->flags = at->lock->flags;
		site->enabling = at->enabling;
	}
	if (at->inside != LG_NONE)
		snprintf(site->inside, sizeof(site->inside), "%s",
			 lg_strtab_str(g->names, at->inside));
	site->held_nr = at->nr_held;
	if (!at->lock && ev->stack_nr) {	/* a held lock's usage: not this event's stack */
		d.stack = ev->stack;
		site->stack_nr = ev->stack_nr;
	}
	return d;
}

/* The dependency from -> to; a new one has no seq (LG_NONE) yet. */
static struct lg_dep *find_or_add_dep(struct lg_graph *g, uint32_t from, uint32_t to)
{
	uint64_t key = (uint64_t)from << 32 | to;
	uint32_t i = lg_u64map_get(&g->dep_index, key);
	struct lg_dep *dep;

	if (i != LG_NONE)
		return &g->deps[i];
	LG_GROW(g->deps, g->nr_deps, g->alloc_deps);
	dep = &g->deps[g->nr_deps];
	memset(dep, 0, sizeof(*dep));
	dep->from = from;
	dep->to = to;
	dep->seq = LG_NONE;
	dep->primer = LG_NONE;
	dep->rule = LG_NONE;
	lg_u64map_put(&g->dep_index, key, g->nr_deps++);
	return dep;
}

void lg_graph_add_dep(struct lg_graph *g, uint32_t from, uint32_t to, uint8_t type,
		      const struct lg_acquisition *at, uint32_t primer)
{
	struct lg_dep *dep = find_or_add_dep(g, from, to);

	if (dep->seq == LG_NONE)
		dep->seq = g->seq++;
	if (!dep->count++) {	/* new, or primed by a rule only until now */
		struct lg_site_data first = site_of(g, at);

		store_site(g, &dep->first, &first);
	}
	dep->types |= type;
	if (primer != LG_NONE) {
		dep->annotated++;
		if (dep->primer == LG_NONE)
			dep->primer = primer;
	}
}

void lg_graph_add_primed(struct lg_graph *g, uint32_t from, uint32_t to, uint32_t where)
{
	struct lg_dep *dep = find_or_add_dep(g, from, to);

	if (dep->seq == LG_NONE)
		dep->seq = g->seq++;
	dep->types |= LG_DEP_EN;
	if (dep->rule == LG_NONE)
		dep->rule = where;
}

void lg_graph_merge_dep(struct lg_graph *g, const struct lg_dep *d,
			const struct lg_site_data *first)
{
	struct lg_dep *dep = find_or_add_dep(g, d->from, d->to);

	if (dep->seq == LG_NONE)
		dep->seq = d->seq;
	if (!dep->count && d->count)
		store_site(g, &dep->first, first);
	dep->count += d->count;
	dep->annotated += d->annotated;
	dep->types |= d->types;
	if (dep->primer == LG_NONE)
		dep->primer = d->primer;
	if (dep->rule == LG_NONE)
		dep->rule = d->rule;
}

enum lg_dep_origin lg_dep_origin(const struct lg_dep *d)
{
	if (!d->count)
		return LG_ORIGIN_RULE;
	return d->annotated == d->count ? LG_ORIGIN_ANNOTATION : LG_ORIGIN_OBSERVED;
}

void lg_graph_count_instance(struct lg_graph *g, uint32_t class, uint32_t input,
			     uint64_t addr, uint64_t time_ns)
{
	struct class_info *c = &g->classes[class];

	for (uint8_t i = 0; i < c->nr_instances; i++)
		if (c->instances[i].addr == addr && c->instances[i].input == input) {
			c->instances[i].taken++;
			return;
		}
	if (c->nr_instances == LG_INSTANCES) {
		c->more_instances = true;
		return;
	}
	c->instances[c->nr_instances++] = (struct lg_instance){ addr, time_ns, input, 1 };
}

const struct lg_instance *lg_graph_instances(const struct lg_graph *g, uint32_t class,
					     uint8_t *nr, bool *more)
{
	*nr = g->classes[class].nr_instances;
	*more = g->classes[class].more_instances;
	return g->classes[class].instances;
}

void lg_graph_merge_class(struct lg_graph *g, uint32_t class, bool novalidate,
			  const struct lg_wait_types *wait, const struct lg_instance *instances,
			  uint8_t nr, bool more)
{
	struct class_info *c = &g->classes[lg_graph_class(g, class)];

	c->novalidate |= novalidate;
	if (wait)
		lg_graph_class_set_wait(g, class, wait);
	for (uint8_t i = 0; i < nr && !c->more_instances; i++) {
		if (c->nr_instances == LG_INSTANCES)
			c->more_instances = true;
		else
			c->instances[c->nr_instances++] = instances[i];
	}
	c->more_instances |= more;
}

bool lg_graph_lone_instance(const struct lg_graph *g, uint32_t class, uint32_t input,
			    uint64_t addr, struct lg_instance_others *others)
{
	const struct class_info *c = &g->classes[class];
	const struct lg_instance *lone = NULL;
	uint64_t others_from = UINT64_MAX;

	*others = (struct lg_instance_others){ .more = c->more_instances };
	for (uint8_t i = 0; i < c->nr_instances; i++) {
		const struct lg_instance *in = &c->instances[i];

		if (in->input != input)
			continue;
		if (in->addr == addr) {
			lone = in->taken == 1 ? in : NULL;
			continue;
		}
		others->nr++;
		others->taken += in->taken;
		if (in->first_ns < others_from)
			others_from = in->first_ns;
	}
	/* a device's lock has few instances, an object's many (each taken now
	 * and then: no mark of anything) */
	return lone && !others->more && others->nr && others->taken > others->nr &&
	       lone->first_ns < others_from;
}

/* Count sightings of class in list, whose index the class keeps in *index;
 * a new one takes seq (LG_NONE: the next) and where it was first seen. */
static void add_sighting(struct lg_graph *g, struct sightings *list, uint32_t *index,
			 uint32_t class, uint32_t seq, uint64_t count,
			 const struct lg_site_data *first)
{
	struct lg_class_sighting *s;

	if (*index != LG_NONE) {
		list->v[*index].count += count;
		return;
	}
	LG_GROW(list->v, list->nr, list->alloc);
	s = &list->v[list->nr];
	s->class = class;
	s->seq = seq == LG_NONE ? g->seq++ : seq;
	s->count = count;
	s->held = (struct lg_held_lock){ 0 };
	store_site(g, &s->first, first);
	*index = list->nr++;
}

void lg_graph_add_recursion(struct lg_graph *g, uint32_t class,
			    const struct lg_held_lock *held, const struct lg_acquisition *at)
{
	struct lg_class_sighting s = { .class = class, .seq = LG_NONE, .count = 1,
				       .held = *held };
	struct lg_site_data first = site_of(g, at);

	lg_graph_merge_recursion(g, &s, &first);
}

void lg_graph_merge_recursion(struct lg_graph *g, const struct lg_class_sighting *s,
			      const struct lg_site_data *first)
{
	struct class_info *c = &g->classes[s->class];
	bool new = c->recursion == LG_NONE;

	add_sighting(g, &g->recursions, &c->recursion, s->class, s->seq, s->count, first);
	if (new)
		g->recursions.v[c->recursion].held = s->held;
}

void lg_graph_add_imbalance(struct lg_graph *g, uint32_t class,
			    const struct lg_acquisition *at)
{
	struct lg_class_sighting s = { .class = class, .seq = LG_NONE, .count = 1 };
	struct lg_site_data first = site_of(g, at);

	lg_graph_merge_imbalance(g, &s, &first);
}

void lg_graph_merge_imbalance(struct lg_graph *g, const struct lg_class_sighting *s,
			      const struct lg_site_data *first)
{
	add_sighting(g, &g->imbalances, &g->classes[s->class].imbalance, s->class, s->seq,
		     s->count, first);
}

void lg_graph_add_wait_violation(struct lg_graph *g, uint32_t class, uint32_t held,
				 uint8_t verdicts, const struct lg_acquisition *at)
{
	struct lg_wait_violation v = { .class = class, .held = held, .seq = LG_NONE,
				       .verdicts = verdicts, .count = 1 };
	struct lg_site_data first = site_of(g, at);

	lg_graph_merge_wait_violation(g, &v, &first);
}

void lg_graph_merge_wait_violation(struct lg_graph *g, const struct lg_wait_violation *w,
				   const struct lg_site_data *first)
{
	struct lg_u64map *index = &g->violation_index[first->site.ctx != LG_CTX_PROCESS];
	uint64_t key = (uint64_t)w->class << 32 | w->held;
	uint32_t i = lg_u64map_get(index, key);
	struct lg_wait_violation *v;

	if (i != LG_NONE) {
		g->violations[i].verdicts |= w->verdicts;
		g->violations[i].count += w->count;
		return;
	}
	LG_GROW(g->violations, g->nr_violations, g->alloc_violations);
	v = &g->violations[g->nr_violations];
	*v = *w;
	if (v->seq == LG_NONE)
		v->seq = g->seq++;
	store_site(g, &v->first, first);
	lg_u64map_put(index, key, g->nr_violations++);
}

const char *lg_usage_name(unsigned bit)
{
	static const char *const names[LG_NR_USAGE_BITS] = {
		"IN-HARDIRQ-W", "IN-HARDIRQ-R", "HARDIRQ-ON-W", "HARDIRQ-ON-R",
		"IN-SOFTIRQ-W", "IN-SOFTIRQ-R", "SOFTIRQ-ON-W", "SOFTIRQ-ON-R",
		"INITIAL USE", "INITIAL READ USE",
	};

	return names[bit % LG_NR_USAGE_BITS];
}

static void add_usage_bug(struct lg_graph *g, uint32_t class, uint8_t prev, uint8_t usage,
			  uint32_t seq, const struct lg_site_data *at)
{
	struct class_info *c = &g->classes[class];
	uint8_t state = usage & LG_USAGE_SOFTIRQ ? 2 : 1;
	struct lg_usage_bug *bug;

	if (c->usage_bugs & state)
		return;
	c->usage_bugs |= state;
	LG_GROW(g->usage_bugs, g->nr_usage_bugs, g->alloc_usage_bugs);
	bug = &g->usage_bugs[g->nr_usage_bugs++];
	bug->class = class;
	bug->prev = prev;
	bug->usage = usage;
	bug->seq = seq;
	store_site(g, &bug->first, at);
}

/*
 * Give the class a usage bit at seq, with where; false if it had it. An irq
 * usage contradicting one it had is a usage bug, at seq + 1: mark_lock_irq()'s
 * valid_state(), a usage contradicts the other direction's write usage, and
 * a write usage the other direction's read usage too. How many seqs it took.
 */
static uint32_t set_usage(struct lg_graph *g, uint32_t class, uint8_t bit, uint32_t seq,
			  const struct lg_site_data *at)
{
	struct class_info *c = &g->classes[class];
	uint8_t bad = (bit & ~LG_USAGE_READ) ^ LG_USAGE_ENABLED;

	if (c->usage & (1U << bit))
		return 0;
	c->usage |= 1U << bit;
	LG_GROW(g->usage_sites, g->nr_usage_sites, g->alloc_usage_sites);
	c->usage_site[bit] = g->nr_usage_sites;
	g->usage_sites[g->nr_usage_sites].seq = seq;
	store_site(g, &g->usage_sites[g->nr_usage_sites++].site, at);
	if (bit >= LG_NR_USAGE)
		return 1;
	if (c->usage & (1U << bad))
		add_usage_bug(g, class, bad, bit, seq + 1, at);
	else if (!(bit & LG_USAGE_READ) && (c->usage & (1U << (bad | LG_USAGE_READ))))
		add_usage_bug(g, class, bad | LG_USAGE_READ, bit, seq + 1, at);
	else
		return 1;
	return 2;
}

void lg_graph_mark_used(struct lg_graph *g, uint32_t class, bool read,
			const struct lg_acquisition *at)
{
	lg_graph_mark_usage(g, class, read ? LG_USAGE_USED_READ : LG_USAGE_USED, at);
}

void lg_graph_mark_usage(struct lg_graph *g, uint32_t class, uint8_t bit,
			 const struct lg_acquisition *at)
{
	struct lg_site_data site;

	if (g->classes[class].usage & (1U << bit))
		return;
	site = site_of(g, at);
	g->seq += set_usage(g, class, bit, g->seq, &site);
}

void lg_graph_merge_usage(struct lg_graph *g, uint32_t class, uint8_t bit, uint32_t seq,
			  const struct lg_site_data *site)
{
	set_usage(g, lg_graph_class(g, class), bit, seq, site);
}

const struct lg_site *lg_graph_usage_site(const struct lg_graph *g, uint32_t class,
					  uint8_t bit)
{
	const struct class_info *c = &g->classes[class];

	return c->usage & (1U << bit) ? &g->usage_sites[c->usage_site[bit]].site : NULL;
}

uint8_t lg_graph_class_usage(const struct lg_graph *g, uint32_t class)
{
	return g->classes[class].usage & ((1U << LG_NR_USAGE) - 1);
}

uint16_t lg_graph_usage_at(const struct lg_graph *g, uint32_t class, uint32_t seq)
{
	const struct class_info *c = &g->classes[class];
	uint16_t bits = 0;

	for (unsigned bit = 0; bit < LG_NR_USAGE_BITS; bit++)
		if ((c->usage & (1U << bit)) &&
		    (seq == LG_NONE || g->usage_sites[c->usage_site[bit]].seq <= seq))
			bits |= 1U << bit;
	return bits;
}

uint32_t lg_graph_usage_seq(const struct lg_graph *g, uint32_t class, uint8_t bit)
{
	return g->usage_sites[g->classes[class].usage_site[bit]].seq;
}

uint32_t lg_graph_nr_usage_bugs(const struct lg_graph *g)
{
	return g->nr_usage_bugs;
}

const struct lg_usage_bug *lg_graph_usage_bug(const struct lg_graph *g, uint32_t i)
{
	return &g->usage_bugs[i];
}

uint32_t lg_graph_nr_deps(const struct lg_graph *g)
{
	return g->nr_deps;
}

const struct lg_dep *lg_graph_dep(const struct lg_graph *g, uint32_t i)
{
	return &g->deps[i];
}

uint32_t lg_graph_nr_recursions(const struct lg_graph *g)
{
	return g->recursions.nr;
}

const struct lg_class_sighting *lg_graph_recursion(const struct lg_graph *g, uint32_t i)
{
	return &g->recursions.v[i];
}

uint32_t lg_graph_nr_imbalances(const struct lg_graph *g)
{
	return g->imbalances.nr;
}

const struct lg_class_sighting *lg_graph_imbalance(const struct lg_graph *g, uint32_t i)
{
	return &g->imbalances.v[i];
}

uint32_t lg_graph_nr_wait_violations(const struct lg_graph *g)
{
	return g->nr_violations;
}

const struct lg_wait_violation *lg_graph_wait_violation(const struct lg_graph *g, uint32_t i)
{
	return &g->violations[i];
}

const uint32_t *lg_graph_stack(const struct lg_graph *g, const struct lg_site *site)
{
	return site->stack_nr ? g->frames + site->stack_first : NULL;
}

const struct lg_held_lock *lg_graph_held(const struct lg_graph *g, const struct lg_site *site)
{
	return site->held_nr ? g->held + site->held_first : NULL;
}

uint32_t lg_graph_next_seq(const struct lg_graph *g)
{
	return g->seq;
}

void lg_graph_set_next_seq(struct lg_graph *g, uint32_t seq)
{
	if (seq > g->seq)
		g->seq = seq;
}

struct lg_wait_graph *lg_graph_waits(const struct lg_graph *g)
{
	return g->waits;
}

uint32_t lg_graph_take_seq(struct lg_graph *g)
{
	return g->seq++;
}
