/* Circular dependencies. Only dependencies inside one strongly connected
 * component can close a cycle; for each of them a breadth-first search over
 * (class, arrived-only-by-recursive-read) states finds the shortest strong
 * cycle, as lockdep's check_noncircular() does when the dependency is added.
 * A component is one group of cycles, and its search is capped (detect.h). */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/detect/adjacency.h"
#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"

/* What the search of a component has cost, and its group once it has one. */
struct component {
	uint32_t nr_classes, nr_deps;
	uint64_t steps, cap;
	uint32_t unsearched;	/* dependencies the cap kept from a search */
	uint32_t group;		/* in lg_findings.groups, or LG_NONE */
	bool searched;		/* one search done (all a ring needs) */
};

struct search {
	const struct lg_graph *g;
	struct component *comps;
	struct component *c;	/* of the dependency being checked */
	struct lg_u64map pairs;	/* from << 32 | to -> dependency, inside components */
	uint32_t nr_classes;
	struct lg_adjacency out;
	uint32_t *first, *adj;	/* out.first, out.deps */
	uint32_t *comp;		/* class -> strongly connected component */
	uint32_t nr_comp;
	uint32_t *stamp, cur_stamp;	/* per state: visited in the current search */
	uint32_t *on_path, cur_path;	/* per class: on the path being checked */
	uint32_t *parent_dep, *parent_state, *queue;
	uint32_t *path, path_nr;	/* the last cycle found, excluding the closing dep */
	uint32_t *best, best_nr;
	struct lg_u64map seen;	/* hash of a cycle's deps -> finding */
};

static uint32_t dep_to(const struct search *s, uint32_t k)
{
	return lg_graph_dep(s->g, s->adj[k])->to;
}

/* Tarjan's algorithm without recursion: lock graphs can be deep. */
static void find_components(struct search *s)
{
	uint32_t n = s->nr_classes, counter = 0, nr_comp = 0, sp = 0, fp = 0;
	uint32_t *index = lg_xmalloc((n + 1) * sizeof(*index));
	uint32_t *low = lg_xmalloc((n + 1) * sizeof(*low));
	uint32_t *stack = lg_xmalloc((n + 1) * sizeof(*stack));
	uint32_t *frame_v = lg_xmalloc((n + 1) * sizeof(*frame_v));
	uint32_t *frame_it = lg_xmalloc((n + 1) * sizeof(*frame_it));
	bool *on_stack = lg_xcalloc(n + 1, sizeof(*on_stack));

	memset(index, 0xff, (n + 1) * sizeof(*index));
	for (uint32_t root = 0; root < n; root++) {
		if (index[root] != LG_NONE)
			continue;
		index[root] = low[root] = counter++;
		stack[sp++] = root;
		on_stack[root] = true;
		frame_v[fp] = root;
		frame_it[fp++] = s->first[root];
		while (fp) {
			uint32_t v = frame_v[fp - 1];

			if (frame_it[fp - 1] < s->first[v + 1]) {
				uint32_t w = dep_to(s, frame_it[fp - 1]++);

				if (index[w] == LG_NONE) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on_stack[w] = true;
					frame_v[fp] = w;
					frame_it[fp++] = s->first[w];
				} else if (on_stack[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				uint32_t w;

				do {
					w = stack[--sp];
					on_stack[w] = false;
					s->comp[w] = nr_comp;
				} while (w != v);
				nr_comp++;
			}
			if (--fp && low[v] < low[frame_v[fp - 1]])
				low[frame_v[fp - 1]] = low[v];
		}
	}
	free(index);
	free(low);
	free(stack);
	free(frame_v);
	free(frame_it);
	free(on_stack);
	s->nr_comp = nr_comp;
}

/*
 * States let a walk pass a class twice (once reached by recursive reads only,
 * once not). Such a walk contains a shorter strong cycle that is found from
 * its own dependencies, so only simple cycles are kept.
 */
static bool path_is_simple(struct search *s, uint32_t start_class)
{
	s->cur_path++;
	s->on_path[start_class] = s->cur_path;
	for (uint32_t i = 0; i < s->path_nr; i++) {
		uint32_t c = lg_graph_dep(s->g, s->path[i])->to;

		if (s->on_path[c] == s->cur_path)
			return false;
		s->on_path[c] = s->cur_path;
	}
	return true;
}

static void keep_path(struct search *s, uint32_t state, uint32_t start)
{
	s->path_nr = 0;
	for (; state != start; state = s->parent_state[state])
		s->path[s->path_nr++] = s->parent_dep[state];
	for (uint32_t i = 0; i < s->path_nr / 2; i++) {
		uint32_t t = s->path[i];

		s->path[i] = s->path[s->path_nr - 1 - i];
		s->path[s->path_nr - 1 - i] = t;
	}
}

/*
 * Shortest strong path to->...->from given that the closing dependency
 * from->to is taken with type bit: states are class * 2 + only_xr, where
 * only_xr means the class was reached by recursive-read dependencies only,
 * so that it cannot continue with a -(S*)-> one (lockdep's __bfs()).
 */
static bool search_path(struct search *s, const struct lg_dep *closing, int bit)
{
	bool closing_recursive = (1U << bit) & LG_DEP_RECURSIVE;
	bool closing_shared = (1U << bit) & LG_DEP_SHARED;
	uint32_t u = closing->from, v = closing->to;
	uint32_t start = v * 2 + closing_recursive, head = 0, tail = 0;

	s->cur_stamp++;
	s->stamp[start] = s->cur_stamp;
	s->queue[tail++] = start;
	while (head < tail) {
		uint32_t st = s->queue[head++], c = st / 2;

		s->c->steps += s->first[c + 1] - s->first[c];
		for (uint32_t k = s->first[c]; k < s->first[c + 1]; k++) {
			const struct lg_dep *d = lg_graph_dep(s->g, s->adj[k]);
			uint8_t types = lg_strong_types(d->types, st & 1);
			uint32_t next;
			bool only_xr;

			if (s->comp[d->to] != s->comp[u] || d->to == v || !types)
				continue;
			only_xr = lg_only_xr(types);
			next = d->to * 2 + only_xr;
			if (s->stamp[next] == s->cur_stamp)
				continue;
			if (d->to == u && only_xr && closing_shared)
				continue;	/* -(*R)-> u -(S*)-> v is not strong */
			s->stamp[next] = s->cur_stamp;
			s->parent_dep[next] = s->adj[k];
			s->parent_state[next] = st;
			if (d->to == u) {
				keep_path(s, next, start);
				return path_is_simple(s, v);
			}
			s->queue[tail++] = next;
		}
	}
	return false;
}

/*
 * A dependency back, to -> from, is the shortest cycle there can be, and
 * costs no search: what the breadth-first search would find first, where the
 * strong-path rule allows it (its first step from the closing dependency's
 * type, and back into it).
 */
static bool two_class_cycle(struct search *s, const struct lg_dep *closing)
{
	uint32_t u = closing->from, v = closing->to;
	uint32_t back = lg_u64map_get(&s->pairs, (uint64_t)v << 32 | u);

	if (u == v || back == LG_NONE)
		return false;
	for (int bit = 0; bit < 4; bit++) {
		uint8_t types = lg_strong_types(lg_graph_dep(s->g, back)->types,
						(1U << bit) & LG_DEP_RECURSIVE);

		if (!(closing->types & (1U << bit)) || !types)
			continue;
		if (lg_only_xr(types) && ((1U << bit) & LG_DEP_SHARED))
			continue;
		s->best[0] = back;
		s->best_nr = 1;
		return true;
	}
	return false;
}

static bool shortest_cycle(struct search *s, const struct lg_dep *closing)
{
	s->best_nr = 0;
	if (two_class_cycle(s, closing))
		return true;
	/* a component with as many dependencies as classes is one ring: every
	 * dependency of it closes the same cycle */
	if (s->c->searched && s->c->nr_deps == s->c->nr_classes)
		return false;
	if (s->c->steps >= s->c->cap) {
		s->c->unsearched++;
		return false;
	}
	s->c->searched = true;
	for (int bit = 0; bit < 4; bit++) {
		if (!(closing->types & (1U << bit)) || !search_path(s, closing, bit))
			continue;
		if (!s->best_nr || s->path_nr < s->best_nr) {
			memcpy(s->best, s->path, s->path_nr * sizeof(*s->path));
			s->best_nr = s->path_nr;
		}
	}
	return s->best_nr > 0;
}

static const char *class_signature(uint32_t class, char *buf, size_t size, const void *g)
{
	return lg_class_signature(lg_graph_class_name(g, class), buf, size);
}

/* A hash of the cycle that does not depend on trace order: its classes'
 * signatures, starting from the rotation that sorts first. */
static void cycle_id(const struct lg_graph *g, struct lg_finding *f)
{
	uint32_t n = f->nr, best = lg_cycle_least_rotation(f, class_signature, g);
	uint64_t h = lg_fnv1a(LG_FNV1A_INIT, "circular-dependency", 20);

	for (uint32_t i = 0; i < n; i++)
		h = lg_hash_class(h, g, f->classes[(best + i) % n], true);
	lg_finding_set_id(f, "cd", h);
}

static bool same_deps(const struct lg_finding *f, const uint32_t *deps, uint32_t nr)
{
	return f->kind == LG_FINDING_CIRCULAR && f->nr == nr &&
	       !memcmp(f->deps, deps, nr * sizeof(*deps));
}

static bool already_found(struct search *s, const struct lg_findings *out,
			  const uint32_t *deps, uint32_t nr, uint64_t hash)
{
	uint32_t i = lg_u64map_get(&s->seen, hash);

	if (i == LG_NONE)
		return false;
	if (same_deps(&out->v[i], deps, nr))
		return true;
	for (i = 0; i < out->nr; i++)	/* a hash collision: look everywhere */
		if (same_deps(&out->v[i], deps, nr))
			return true;
	return false;
}

static uint32_t group_of(struct component *c, struct lg_findings *out)
{
	if (c->group == LG_NONE) {
		LG_GROW(out->groups, out->nr_groups, out->alloc_groups);
		c->group = out->nr_groups++;
		out->groups[c->group] = (struct lg_cycle_group){
			.nr_classes = c->nr_classes,
			.nr_deps = c->nr_deps,
			.first = LG_NONE,
			.shortest = LG_NONE,
		};
	}
	return c->group;
}

/* The cycle best + closing, framed as lockdep would have reported it: ending
 * with the dependency seen last, whose acquisition completed the cycle. */
static void add_finding(struct search *s, uint32_t closing, struct lg_findings *out)
{
	uint32_t nr = s->best_nr + 1, last = 0;
	uint32_t *deps = lg_xmalloc(nr * sizeof(*deps));
	uint64_t hash = LG_FNV1A_INIT;

	s->best[s->best_nr] = closing;
	for (uint32_t i = 1; i < nr; i++)
		if (lg_graph_dep(s->g, s->best[i])->seq > lg_graph_dep(s->g, s->best[last])->seq)
			last = i;
	/* rules come first: a cycle they close alone is theirs, nothing the
	 * trace did (lockdep would have said so at boot) */
	if (lg_dep_origin(lg_graph_dep(s->g, s->best[last])) == LG_ORIGIN_RULE) {
		free(deps);
		return;
	}
	for (uint32_t i = 0; i < nr; i++)
		deps[i] = s->best[(last + 1 + i) % nr];
	hash = lg_fnv1a(hash, deps, nr * sizeof(*deps));
	if (already_found(s, out, deps, nr, hash)) {
		free(deps);
		return;
	}

	struct lg_finding *f;

	f = lg_findings_add(out, LG_FINDING_CIRCULAR, nr, LG_NONE);
	f->seq = lg_graph_dep(s->g, deps[nr - 1])->seq;
	f->deps = deps;
	for (uint32_t i = 0; i < nr; i++)
		f->classes[i] = lg_graph_dep(s->g, deps[i])->from;
	cycle_id(s->g, f);
	lg_u64map_put(&s->seen, hash, out->nr - 1);
	f->group = group_of(s->c, out);
	out->groups[f->group].nr_cycles++;
}

/* Each component's size, its cap, and the dependencies inside components. */
static void size_components(struct search *s, uint32_t nr_deps)
{
	s->comps = lg_xcalloc(s->nr_comp + 1, sizeof(*s->comps));
	for (uint32_t c = 0; c < s->nr_classes; c++)
		s->comps[s->comp[c]].nr_classes++;
	lg_u64map_init(&s->pairs);
	for (uint32_t i = 0; i < nr_deps; i++) {
		const struct lg_dep *d = lg_graph_dep(s->g, i);

		if (s->comp[d->from] != s->comp[d->to])
			continue;
		s->comps[s->comp[d->from]].nr_deps++;
		lg_u64map_put(&s->pairs, (uint64_t)d->from << 32 | d->to, i);
	}
	for (uint32_t k = 0; k < s->nr_comp; k++) {
		struct component *c = &s->comps[k];

		c->cap = lg_cycle_cap(c->nr_classes, c->nr_deps);
		c->group = LG_NONE;
	}
}

void lg_detect_cycles(const struct lg_graph *g, struct lg_findings *out)
{
	struct search s = { .g = g, .nr_classes = lg_graph_class_bound(g) };
	uint32_t nr_deps = lg_graph_nr_deps(g), states = 2 * s.nr_classes + 2;

	lg_adjacency_build(&s.out, g);
	s.first = s.out.first;
	s.adj = s.out.deps;
	s.comp = lg_xmalloc((s.nr_classes + 1) * sizeof(*s.comp));
	find_components(&s);
	size_components(&s, nr_deps);
	s.stamp = lg_xcalloc(states, sizeof(*s.stamp));
	s.parent_dep = lg_xmalloc(states * sizeof(*s.parent_dep));
	s.parent_state = lg_xmalloc(states * sizeof(*s.parent_state));
	s.queue = lg_xmalloc(states * sizeof(*s.queue));
	s.path = lg_xmalloc(states * sizeof(*s.path));
	s.on_path = lg_xcalloc(s.nr_classes + 1, sizeof(*s.on_path));
	s.best = lg_xmalloc((states + 1) * sizeof(*s.best));
	lg_u64map_init(&s.seen);

	for (uint32_t i = 0; i < nr_deps; i++) {
		const struct lg_dep *d = lg_graph_dep(g, i);

		if (s.comp[d->from] != s.comp[d->to])
			continue;
		s.c = &s.comps[s.comp[d->from]];
		if (shortest_cycle(&s, d))
			add_finding(&s, i, out);
	}
	/* what the cap left unsearched is said, even where nothing was found */
	for (uint32_t k = 0; k < s.nr_comp; k++)
		if (s.comps[k].unsearched)
			out->groups[group_of(&s.comps[k], out)].unsearched = s.comps[k].unsearched;

	lg_u64map_release(&s.seen);
	lg_u64map_release(&s.pairs);
	lg_adjacency_release(&s.out);
	free(s.comps);
	free(s.comp);
	free(s.stamp);
	free(s.parent_dep);
	free(s.parent_state);
	free(s.queue);
	free(s.path);
	free(s.on_path);
	free(s.best);
}
