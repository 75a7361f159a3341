/* Cycles through wait objects: a wait/event dependency X -> L (X's event
 * needed L) and a path back from L to X through lock dependencies and the
 * locks held across waits (DEPT's circular dependency). */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"

/* The combined graph: lock classes are nodes below bound, wait object o is
 * node bound + o; an edge is a lock dependency's index or LG_WAIT_NODE | a
 * wait dependency's. */
struct walk {
	const struct lg_graph *g;
	const struct lg_wait_graph *wg;
	uint32_t bound, nr_nodes;
	uint32_t *first, *edges;	/* out-edges of node n: edges[first[n]..first[n + 1]) */
	uint32_t *via;			/* BFS: the edge a node was reached by */
	uint32_t *queue;
	struct lg_u64map seen;		/* cycle hashes already found */
	struct lg_u64map by_wait;	/* closing wait dependency -> its finding */
};

static uint32_t wait_node(const struct walk *s, uint32_t object)
{
	return s->bound + object;
}

static void edge_ends(const struct walk *s, uint32_t e, uint32_t *from, uint32_t *to)
{
	if (e & LG_WAIT_NODE) {
		const struct lg_wait_dep *d = lg_wait_graph_dep(s->wg, e & ~LG_WAIT_NODE);
		uint32_t lock = d->lock, object = wait_node(s, d->object);

		*from = d->kind == LG_WAIT_DEP_HOLD ? lock : object;
		*to = d->kind == LG_WAIT_DEP_HOLD ? object : lock;
	} else {
		const struct lg_dep *d = lg_graph_dep(s->g, e);

		*from = d->from;
		*to = d->to;
	}
}

static void build(struct walk *s)
{
	uint32_t nr_deps = lg_graph_nr_deps(s->g), nr_wait = lg_wait_graph_nr_deps(s->wg);
	uint32_t nr = nr_deps + nr_wait, *fill, from, to;

	s->nr_nodes = s->bound + lg_wait_graph_nr_objects(s->wg);
	s->first = lg_xcalloc(s->nr_nodes + 1, sizeof(*s->first));
	s->edges = lg_xmalloc((nr ? nr : 1) * sizeof(*s->edges));
	for (uint32_t i = 0; i < nr; i++) {
		edge_ends(s, i < nr_deps ? i : LG_WAIT_NODE | (i - nr_deps), &from, &to);
		s->first[from + 1]++;
	}
	for (uint32_t n = 0; n < s->nr_nodes; n++)
		s->first[n + 1] += s->first[n];
	fill = lg_xmalloc((s->nr_nodes + 1) * sizeof(*fill));
	memcpy(fill, s->first, (s->nr_nodes + 1) * sizeof(*fill));
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t e = i < nr_deps ? i : LG_WAIT_NODE | (i - nr_deps);

		edge_ends(s, e, &from, &to);
		s->edges[fill[from]++] = e;
	}
	free(fill);
	s->via = lg_xmalloc(s->nr_nodes * sizeof(*s->via));
	s->queue = lg_xmalloc(s->nr_nodes * sizeof(*s->queue));
}

/* The shortest path from node start to node goal: its edges, goal's last,
 * in path (room for nr_nodes); their number, 0 if there is none. */
static uint32_t shortest_path(struct walk *s, uint32_t start, uint32_t goal, uint32_t *path)
{
	uint32_t head = 0, tail = 0, nr = 0;

	for (uint32_t n = 0; n < s->nr_nodes; n++)
		s->via[n] = LG_NONE;
	s->queue[tail++] = start;
	s->via[start] = LG_NONE - 1;	/* reached, by no edge */
	while (head < tail && s->via[goal] == LG_NONE) {
		uint32_t n = s->queue[head++];

		for (uint32_t k = s->first[n]; k < s->first[n + 1]; k++) {
			uint32_t from, to;

			edge_ends(s, s->edges[k], &from, &to);
			if (s->via[to] != LG_NONE)
				continue;
			s->via[to] = s->edges[k];
			s->queue[tail++] = to;
		}
	}
	if (s->via[goal] == LG_NONE || goal == start)
		return 0;
	for (uint32_t n = goal; n != start;) {
		uint32_t from, to;

		path[nr++] = s->via[n];
		edge_ends(s, s->via[n], &from, &to);
		n = from;
	}
	for (uint32_t i = 0; i < nr / 2; i++) {
		uint32_t t = path[i];

		path[i] = path[nr - 1 - i];
		path[nr - 1 - i] = t;
	}
	return nr;
}

static uint32_t edge_seq(const struct walk *s, uint32_t e)
{
	return e & LG_WAIT_NODE ? lg_wait_graph_dep(s->wg, e & ~LG_WAIT_NODE)->seq :
				  lg_graph_dep(s->g, e)->seq;
}

static const char *node_signature(uint32_t node, char *buf, size_t size, const void *walk)
{
	const struct walk *s = walk;

	if (node & LG_WAIT_NODE)
		return lg_graph_name(s->g, lg_wait_graph_object_name(s->wg, node & ~LG_WAIT_NODE));
	return lg_class_signature(lg_graph_class_name(s->g, node), buf, size);
}

/* The hash of the cycle's node names from its least rotation: one id for
 * it on every run, wherever the search entered it. */
static uint64_t cycle_hash(const struct walk *s, const struct lg_finding *f, const char *kind)
{
	uint32_t n = f->nr, best = lg_cycle_least_rotation(f, node_signature, s);
	uint64_t h = lg_fnv1a(LG_FNV1A_INIT, kind, strlen(kind) + 1);
	char a[512];

	for (uint32_t i = 0; i < n; i++) {
		const char *sig = node_signature(f->classes[(best + i) % n], a, sizeof(a), s);

		h = lg_fnv1a(h, sig, strlen(sig) + 1);
	}
	return h;
}

/* A cycle whose every wait had a timeout ends when the timeout does. */
static bool all_timed(const struct walk *s, const uint32_t *edges, uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++) {
		const struct lg_wait_dep *d;

		if (!(edges[i] & LG_WAIT_NODE))
			continue;
		d = lg_wait_graph_dep(s->wg, edges[i] & ~LG_WAIT_NODE);
		if (d->kind == LG_WAIT_DEP_HOLD && d->untimed)
			return false;
	}
	return true;
}

/*
 * One finding per closing wait (the lock held across a wait for X): the
 * shortest cycle through it, index counting the others, which go round the
 * same wait through other locks of the event's context (lockdep's workqueue
 * maps, held by a worker, say): one root cause, one entry.
 */
static void add_cycle(struct walk *s, uint32_t *edges, uint32_t nr, struct lg_findings *out)
{
	bool timed = all_timed(s, edges, nr);
	const char *kind = timed ? "wait-timeout" : "wait-event-deadlock";
	struct lg_finding c = { .kind = timed ? LG_FINDING_WAIT_TIMEOUT : LG_FINDING_WAIT_EVENT,
				.nr = nr, .deps = edges, .group = LG_NONE,
				.classes = lg_xmalloc(nr * sizeof(uint32_t)) };
	uint32_t i = lg_u64map_get(&s->by_wait, edges[nr - 1]);
	uint64_t h;

	for (uint32_t k = 0; k < nr; k++) {
		uint32_t from, to;

		edge_ends(s, edges[k], &from, &to);
		c.classes[k] = from >= s->bound ? LG_WAIT_NODE | (from - s->bound) : from;
		if (edge_seq(s, edges[k]) > c.seq)
			c.seq = edge_seq(s, edges[k]);
	}
	h = cycle_hash(s, &c, kind);
	if (lg_u64map_get(&s->seen, h) != LG_NONE || (i != LG_NONE && out->v[i].nr <= nr)) {
		if (i != LG_NONE && lg_u64map_get(&s->seen, h) == LG_NONE)
			out->v[i].index++;
		lg_u64map_put(&s->seen, h, 0);
		free(c.classes);
		free(c.deps);
		return;
	}
	lg_u64map_put(&s->seen, h, 0);
	lg_finding_set_id(&c, timed ? "wt" : "we", h);
	if (i == LG_NONE) {
		LG_GROW(out->v, out->nr, out->alloc);
		i = out->nr++;
		lg_u64map_put(&s->by_wait, edges[nr - 1], i);
	} else {
		c.index = out->v[i].index + 1;
		free(out->v[i].classes);
		free(out->v[i].deps);
	}
	out->v[i] = c;
}

void lg_detect_wait_cycles(const struct lg_graph *g, struct lg_findings *out)
{
	struct walk s = { .g = g, .wg = lg_graph_waits(g), .bound = lg_graph_class_bound(g) };
	uint32_t nr_wait = lg_wait_graph_nr_deps(s.wg);

	if (!nr_wait)
		return;
	build(&s);
	lg_u64map_init(&s.seen);
	lg_u64map_init(&s.by_wait);
	for (uint32_t i = 0; i < nr_wait; i++) {
		const struct lg_wait_dep *d = lg_wait_graph_dep(s.wg, i);
		uint32_t *edges, nr;

		if (d->kind != LG_WAIT_DEP_EVENT)
			continue;
		edges = lg_xmalloc((s.nr_nodes + 1) * sizeof(*edges));
		edges[0] = LG_WAIT_NODE | i;
		nr = shortest_path(&s, d->lock, wait_node(&s, d->object), edges + 1);
		if (nr)
			add_cycle(&s, lg_xrealloc(edges, (nr + 1) * sizeof(*edges)), nr + 1, out);
		else
			free(edges);
	}
	lg_u64map_release(&s.seen);
	lg_u64map_release(&s.by_wait);
	free(s.first);
	free(s.edges);
	free(s.via);
	free(s.queue);
}
