/* The lockdep-format report: the layout of kernel/locking/lockdep.c's
 * print_circular_bug() and print_deadlock_bug(), with each dependency's
 * first sighting in the trace where lockdep prints a stack trace. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_context.h"
#include "lockgraph/report/report.h"

static const char *name(const struct lg_report *rep, uint32_t class)
{
	return lg_graph_class_name(rep->graph, class);
}

/* "(name)", and lockdep's "-{outer:inner}" wait types when recorded. */
static void print_class(const struct lg_report *rep, FILE *out, uint32_t class)
{
	const struct lg_wait_types *w = lg_graph_class_wait(rep->graph, class);

	fprintf(out, "(%s)", name(rep, class));
	if (w)
		fprintf(out, "-{%u:%u}", lg_wait_needed(w), w->inner);
}

static void print_lock(const struct lg_report *rep, FILE *out, uint64_t addr, uint32_t class)
{
	fprintf(out, "%016" PRIx64 " ", addr);
	print_class(rep, out, class);
}

static void print_held(const struct lg_report *rep, FILE *out, const struct lg_site *site,
		       const char *indent)
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, site);

	for (uint32_t i = 0; i < site->held_nr; i++) {
		fprintf(out, "%s#%u: ", indent, i);
		print_lock(rep, out, held[i].addr, held[i].class);
		fprintf(out, "%s\n", held[i].flags & LG_ACQ_READ ? " [read]" :
			held[i].flags & LG_ACQ_TRY ? " [try]" : "");
	}
}

static void print_held_by(const struct lg_report *rep, FILE *out, const struct lg_site *site)
{
	if (!site->held_nr)
		fprintf(out, "no locks held by %s/%d.\n", site->comm, site->pid);
	else
		fprintf(out, "%u lock%s held by %s/%d:\n", site->held_nr,
			site->held_nr > 1 ? "s" : "", site->comm, site->pid);
	print_held(rep, out, site, " ");
}

/* The lock acquired at site, with when, where and in which input. */
static void print_lock_at(const struct lg_report *rep, FILE *out, const struct lg_site *site,
			  uint32_t class)
{
	char time[32];

	lg_format_time(site->time_ns, time, sizeof(time));
	print_lock(rep, out, site->addr, class);
	fprintf(out, ", at %s on CPU %u in %s context, %s\n", time, site->cpu,
		lg_ctx_name(site->ctx), rep->inputs[site->input].path);
}

static void print_acquirer(const struct lg_report *rep, FILE *out,
			   const struct lg_site *site, uint32_t class, const char *verb)
{
	fprintf(out, "%s/%d is trying to %s:\n", site->comm, site->pid, verb);
	print_lock_at(rep, out, site, class);
}

/* Stands where lockdep prints a stack trace: "PREFIXat TIME on CPU...". */
static void print_sighting(const struct lg_report *rep, FILE *out, const struct lg_site *site,
			   const char *prefix)
{
	char time[32];

	lg_format_time(site->time_ns, time, sizeof(time));
	fprintf(out, "       %sat %s on CPU %u in %s\n", prefix, time, site->cpu,
		rep->inputs[site->input].path);
	if (*site->inside)
		fprintf(out, "       first seen inside %s\n", site->inside);
	fprintf(out, "       by %s/%d in %s context, holding%s\n", site->comm, site->pid,
		lg_ctx_name(site->ctx), site->held_nr ? ":" : " no locks");
	print_held(rep, out, site, "        ");
}

/* Where the dependency was made, first. */
static void print_provenance(const struct lg_report *rep, FILE *out, const struct lg_dep *d)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "observed %" PRIu64 " time%s, first ", d->count,
		 d->count == 1 ? "" : "s");
	print_sighting(rep, out, &d->first, prefix);
}

/* The held entry of class nearest the top of the stack at site. */
static uint64_t held_addr(const struct lg_report *rep, const struct lg_site *site,
			  uint32_t class, bool *read)
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, site);

	for (uint32_t i = site->held_nr; i-- > 0;) {
		if (held[i].class == class) {
			*read = held[i].flags & LG_ACQ_READ;
			return held[i].addr;
		}
	}
	*read = false;
	return 0;
}

static void print_scenario(const struct lg_report *rep, FILE *out, uint32_t source,
			   uint32_t parent, uint32_t target, bool src_read, bool tgt_read)
{
	if (parent != source)
		fprintf(out, "Chain exists of:\n  %s --> %s --> %s\n\n",
			name(rep, source), name(rep, parent), name(rep, target));
	fprintf(out, " Possible unsafe locking scenario:\n\n");
	fprintf(out, "       CPU0                    CPU1\n");
	fprintf(out, "       ----                    ----\n");
	fprintf(out, "  %s(%s);\n", tgt_read ? "rlock" : "lock", name(rep, target));
	fprintf(out, "                               lock(%s);\n", name(rep, parent));
	fprintf(out, "                               lock(%s);\n", name(rep, target));
	fprintf(out, "  %s(%s);\n", src_read ? "rlock" : "lock", name(rep, source));
	fprintf(out, "\n *** DEADLOCK ***\n\n");
}

/* lockdep's banner: the title between rules of its length (width, when
 * lockdep's rules are fixed), then the finding's id and how often it was
 * seen (count 0: not counted). */
static void print_header(FILE *out, const char *title, int width, const char *id,
			 uint64_t count)
{
	static const char equals[] = "================================================"
				     "================================";
	static const char dashes[] = "------------------------------------------------"
				     "--------------------------------";
	int n = width ? width : (int)strlen(title);

	fprintf(out, "\n%.*s\n%s\nlockgraph %s", n, equals, title, id);
	if (count)
		fprintf(out, ", seen %" PRIu64 " time%s", count, count == 1 ? "" : "s");
	fprintf(out, "\n%.*s\n", n, dashes);
}

static void print_circular(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_dep *closing = lg_graph_dep(rep->graph, f->deps[f->nr - 1]);
	const struct lg_site *site = &closing->first;
	uint32_t source = f->classes[0], target = f->classes[f->nr - 1];
	bool tgt_read;
	uint64_t tgt_addr = held_addr(rep, site, target, &tgt_read);

	print_header(out, "WARNING: possible circular locking dependency detected", 0, f->id, 0);
	print_acquirer(rep, out, site, source, "acquire lock");
	fprintf(out, "\nbut task is already holding lock:\n");
	print_lock(rep, out, tgt_addr, target);
	fprintf(out, "\n\nwhich lock already depends on the new lock.\n\n");
	fprintf(out, "\nthe existing dependency chain (in reverse order) is:\n");
	/* #k is classes[k], reached by deps[k - 1]; #0 is the closing dependency */
	for (uint32_t k = f->nr; k-- > 0;) {
		uint32_t dep = k ? f->deps[k - 1] : f->deps[f->nr - 1];

		fprintf(out, "\n-> #%u ", k);
		print_class(rep, out, f->classes[k]);
		fprintf(out, ":\n");
		print_provenance(rep, out, lg_graph_dep(rep->graph, dep));
	}
	fprintf(out, "\nother info that might help us debug this:\n\n");
	print_scenario(rep, out, source, f->classes[f->nr - 2], target,
		       site->flags & LG_ACQ_READ, tgt_read);
	print_held_by(rep, out, site);
}

/* "A -> B -> C -> A": the cycle as its class chain, back to where it began. */
static void print_chain(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	fprintf(out, " %s:", f->id);
	for (uint32_t i = 0; i <= f->nr; i++)
		fprintf(out, " %s%s", i ? "-> " : "", name(rep, f->classes[i % f->nr]));
	fputc('\n', out);
}

/*
 * A group of cycles where its first would have fired: its shortest in full,
 * then the others as class chains, in the order they became true. next[i]
 * is the finding after i in its group.
 */
static void print_group(const struct lg_report *rep, FILE *out, uint32_t group,
			const uint32_t *next)
{
	const struct lg_findings *fs = rep->findings;
	const struct lg_cycle_group *g = &fs->groups[group];

	print_circular(rep, out, &fs->v[g->shortest]);
	if (g->nr_cycles < 2)
		return;
	uint32_t closing = fs->v[g->first].deps[fs->v[g->first].nr - 1];

	for (uint32_t i = g->first; i != LG_NONE && closing != LG_NONE; i = next[i])
		if (fs->v[i].deps[fs->v[i].nr - 1] != closing)
			closing = LG_NONE;
	fprintf(out, "\ncycle group %u: %u cycles over %u classes and %u dependencies, ",
		group + 1, g->nr_cycles, g->nr_classes, g->nr_deps);
	if (closing != LG_NONE)
		fprintf(out, "all closed by %s -> %s, ",
			name(rep, lg_graph_dep(rep->graph, closing)->from),
			name(rep, lg_graph_dep(rep->graph, closing)->to));
	fprintf(out, "the shortest above; the others (--all prints each in full):\n");
	for (uint32_t i = g->first; i != LG_NONE; i = next[i])
		if (i != g->shortest)
			print_chain(rep, out, &fs->v[i]);
}

/* The next cycle of each cycle's group, LG_NONE after its last. */
static uint32_t *group_links(const struct lg_findings *fs)
{
	uint32_t *next = lg_xmalloc((fs->nr + 1) * sizeof(*next));
	uint32_t *last = lg_xmalloc((fs->nr_groups + 1) * sizeof(*last));

	memset(last, 0xff, (fs->nr_groups + 1) * sizeof(*last));
	for (uint32_t i = 0; i < fs->nr; i++) {
		uint32_t g = fs->v[i].group;

		next[i] = LG_NONE;
		if (g == LG_NONE)
			continue;
		if (last[g] != LG_NONE)
			next[last[g]] = i;
		last[g] = i;
	}
	free(last);
	return next;
}

static void print_recursive(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_class_sighting *r = lg_graph_recursion(rep->graph, f->index);
	const char *class = name(rep, r->class);

	print_header(out, "WARNING: possible recursive locking detected", 0, f->id, r->count);
	print_acquirer(rep, out, &r->first, r->class, "acquire lock");
	fprintf(out, "\nbut task is already holding lock:\n");
	print_lock(rep, out, r->first.addr, r->class);
	fprintf(out, "\n\nother info that might help us debug this:\n");
	fprintf(out, " Possible unsafe locking scenario:\n\n");
	fprintf(out, "       CPU0\n       ----\n");
	fprintf(out, "  lock(%s);\n  lock(%s);\n", class, class);
	fprintf(out, "\n *** DEADLOCK ***\n\n");
	print_held_by(rep, out, &r->first);
}

/* print_unlock_imbalance_bug(); where lockdep prints the release's call
 * site, when and where it was, and where the task released the lock before. */
static void print_imbalance(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_class_sighting *s = lg_graph_imbalance(rep->graph, f->index);

	print_header(out, "WARNING: bad unlock balance detected!", 0, f->id, s->count);
	print_acquirer(rep, out, &s->first, s->class, "release lock");
	fprintf(out, "but there are no more locks to release!\n");
	fprintf(out, "\nother info that might help us debug this:\n");
	print_held_by(rep, out, &s->first);
}

/* print_lock_invalid_wait_context(), and what forbade the wait. */
static void print_wait_context(const struct lg_report *rep, FILE *out,
			       const struct lg_finding *f)
{
	const struct lg_wait_violation *v = lg_graph_wait_violation(rep->graph, f->index);
	const struct lg_wait_types *w = lg_graph_class_wait(rep->graph, v->class);
	bool raw_nesting = lg_wait_raw_nesting(lg_graph_max_wait(rep->graph));
	uint8_t context = lg_wait_context(v->first.ctx, raw_nesting);

	print_header(out, "[ BUG: Invalid wait context ]", 0, f->id, v->count);
	print_acquirer(rep, out, &v->first, v->class, "lock");
	if (*v->first.inside)
		fprintf(out, "first seen inside %s\n", v->first.inside);
	fprintf(out, "other info that might help us debug this:\n");
	fprintf(out, "context-{%u:%u}\n", context, context);
	print_held_by(rep, out, &v->first);
	fprintf(out, "\n%s waits at %u, but ", name(rep, v->class), lg_wait_needed(w));
	if (v->held == LG_NONE)
		fprintf(out, "%s context allows at most %u\n", lg_ctx_name(v->first.ctx),
			context);
	else
		fprintf(out, "%s held allows at most %u\n", name(rep, v->held),
			lg_graph_class_wait(rep->graph, v->held)->inner);
}

/* print_usage_bug(), with the first sighting of the usage it contradicts. */
static void print_usage_bug(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_usage_bug *bug = lg_graph_usage_bug(rep->graph, f->index);
	const struct lg_site *site = &bug->first;
	const char *class = name(rep, bug->class);

	print_header(out, "WARNING: inconsistent lock state", 0, f->id, 0);
	fprintf(out, "inconsistent {%s} -> {%s} usage.\n", lg_usage_name(bug->prev),
		lg_usage_name(bug->usage));
	fprintf(out, "%s/%d [HC%d:SC%d:HE%d] takes:\n", site->comm, site->pid,
		site->ctx == LG_CTX_HARDIRQ, site->ctx == LG_CTX_SOFTIRQ,
		!(site->irqflags & LG_IRQS_OFF));
	print_lock_at(rep, out, site, bug->class);
	fprintf(out, "{%s} state was registered:\n", lg_usage_name(bug->prev));
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, bug->class, bug->prev),
		       "first ");
	fprintf(out, "\nother info that might help us debug this:\n");
	fprintf(out, " Possible unsafe locking scenario:\n\n");
	fprintf(out, "       CPU0\n       ----\n");
	fprintf(out, "  lock(%s);\n  <Interrupt>\n    lock(%s);\n", class, class);
	fprintf(out, "\n *** DEADLOCK ***\n\n");
	print_held_by(rep, out, site);
}

/* The scenario both irq reports end with, and the chain before it. */
static void print_irq_scenario(const struct lg_report *rep, FILE *out,
			       const struct lg_finding *f)
{
	uint32_t safe = f->classes[0], unsafe = f->classes[f->nr - 1];
	uint32_t middle = f->classes[1];

	fprintf(out, "\nother info that might help us debug this:\n\n");
	if (middle != unsafe)
		fprintf(out, "Chain exists of:\n  %s --> %s --> %s\n\n", name(rep, safe),
			name(rep, middle), name(rep, unsafe));
	fprintf(out, " Possible interrupt unsafe locking scenario:\n\n");
	fprintf(out, "       CPU0                    CPU1\n");
	fprintf(out, "       ----                    ----\n");
	fprintf(out, "  lock(%s);\n", name(rep, unsafe));
	fprintf(out, "                               local_irq_disable();\n");
	fprintf(out, "                               lock(%s);\n", name(rep, safe));
	fprintf(out, "                               lock(%s);\n", name(rep, middle));
	fprintf(out, "  <Interrupt>\n    lock(%s);\n", name(rep, safe));
	fprintf(out, "\n *** DEADLOCK ***\n");
}

/* Each dependency of the chain, from the safe lock to the unsafe one. */
static void print_irq_chain(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	for (uint32_t i = 0; i + 1 < f->nr; i++) {
		fprintf(out, "\n-> ");
		print_class(rep, out, f->classes[i]);
		fprintf(out, " -> ");
		print_class(rep, out, f->classes[i + 1]);
		fprintf(out, ":\n");
		print_provenance(rep, out, lg_graph_dep(rep->graph, f->deps[i]));
	}
}

/* print_bad_irq_dependency(), for the whole chain: where the safe lock
 * became safe, the unsafe one unsafe, and each dependency between them. */
static void print_irq_order(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const char *safe_state = lg_irq_state_name(f->usage[0]);
	const char *unsafe_state = lg_irq_state_name(f->usage[1]);
	uint32_t safe = f->classes[0], unsafe = f->classes[f->nr - 1];
	char title[64];

	snprintf(title, sizeof(title), "WARNING: %s-safe -> %s-unsafe lock order detected",
		 safe_state, safe_state);
	print_header(out, title, 53, f->id, 0);
	fprintf(out, "a %s-irq-safe lock:\n ", safe_state);
	print_class(rep, out, safe);
	fprintf(out, "\n... which became %s-irq-safe:\n", safe_state);
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, safe, f->usage[0]), "first ");
	fprintf(out, "\ndepends on a %s-irq-unsafe lock:\n ", unsafe_state);
	print_class(rep, out, unsafe);
	fprintf(out, "\n... which became %s-irq-unsafe:\n", unsafe_state);
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, unsafe, f->usage[1]), "first ");
	fprintf(out, "\nthe dependencies between them:\n");
	print_irq_chain(rep, out, f);
	print_irq_scenario(rep, out, f);
}

/*
 * print_irq_inversion_bug(): the usage that came last made the chain, the
 * lock that "just changed the state", at the first such usage; forwards (the
 * lock became irq-safe) or backwards (irq-unsafe).
 */
static void print_irq_inversion(const struct lg_report *rep, FILE *out,
				const struct lg_finding *f)
{
	bool forwards = f->index == 0;
	uint32_t changed = f->classes[f->index];
	uint32_t other = f->classes[forwards ? f->nr - 1 : 0];
	const struct lg_site *site = lg_graph_usage_site(rep->graph, changed,
							 f->usage[forwards ? 0 : 1]);

	print_header(out, "WARNING: possible irq lock inversion dependency detected", 0, f->id, 0);
	fprintf(out, "%s/%d just changed the state of lock:\n", site->comm, site->pid);
	print_lock_at(rep, out, site, changed);
	if (forwards)
		fprintf(out, "but this lock took another, %s-unsafe lock in the past:\n ",
			lg_irq_state_name(f->usage[1]));
	else
		fprintf(out, "but this lock was taken by another, %s-safe lock in the past:\n ",
			lg_irq_state_name(f->usage[0]));
	print_class(rep, out, other);
	fprintf(out, "\n\nand interrupts could create inverse lock ordering between them.\n\n");
	print_irq_scenario(rep, out, f);
	fprintf(out, "\n");
	print_held_by(rep, out, site);
	fprintf(out, "\nthe shortest dependencies between 2nd lock and 1st lock:\n");
	print_irq_chain(rep, out, f);
	fprintf(out, "\n... which became %s-irq-%s:\n", lg_irq_state_name(f->usage[forwards]),
		forwards ? "unsafe" : "safe");
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, other, f->usage[forwards]),
		       "first ");
}

/* Durations as perf lock prints them. */
static void print_ns(FILE *out, uint64_t ns)
{
	if (ns < 1000)
		fprintf(out, " %10" PRIu64 " ns", ns);
	else if (ns < 1000000)
		fprintf(out, " %10.2f us", ns / 1e3);
	else if (ns < 1000000000)
		fprintf(out, " %10.2f ms", ns / 1e6);
	else
		fprintf(out, " %10.2f s ", ns / 1e9);
}

static void print_contention(const struct lg_report *rep, FILE *out)
{
	uint32_t n = lg_contention_nr(rep->contention);

	fprintf(out, "\nlock contention, by total wait (%u lock%s):\n", n, n == 1 ? "" : "s");
	fprintf(out, " %10s %13s %13s %13s  %-12s %s\n", "contended", "total wait",
		"max wait", "avg wait", "type", "name");
	for (uint32_t i = 0; i < n; i++) {
		const struct lg_lock_contention *l = lg_contention_get(rep->contention, i);

		fprintf(out, " %10" PRIu64, l->contended);
		print_ns(out, l->total_ns);
		print_ns(out, l->max_ns);
		print_ns(out, l->total_ns / l->contended);
		fprintf(out, "  %-12s %s\n", lg_contention_kind_name(l->kind), l->name);
	}
}

static void print_summary(const struct lg_report *rep, FILE *out)
{
	const struct lg_replay_stats *st = rep->replay;
	uint64_t skipped = 0, lost = 0;

	for (uint32_t i = 0; i < rep->nr_inputs; i++) {
		skipped += rep->inputs[i].stats.skipped;
		lost += rep->inputs[i].stats.lost;
	}
	fprintf(out, "\nlockgraph: %u finding%s in %u input%s: %" PRIu64 " lock events "
		"(%" PRIu64 " other, %" PRIu64 " lost), %" PRIu64 " task%s, %u class%s, "
		"%u dependenc%s\n", rep->findings->nr, rep->findings->nr == 1 ? "" : "s",
		rep->nr_inputs, rep->nr_inputs == 1 ? "" : "s", lg_report_events(rep),
		skipped, lost, st->tasks, st->tasks == 1 ? "" : "s",
		lg_graph_nr_classes(rep->graph), lg_graph_nr_classes(rep->graph) == 1 ? "" : "es",
		lg_graph_nr_deps(rep->graph), lg_graph_nr_deps(rep->graph) == 1 ? "y" : "ies");
	for (uint32_t i = 0; i < rep->nr_inputs; i++)
		fprintf(out, "lockgraph: %s: tier %s: %s%s\n", rep->inputs[i].path,
			lg_tier_name(rep->inputs[i].tier), lg_tier_meaning(rep->inputs[i].tier),
			rep->inputs[i].user_locks ? "; and pthread locks, in full" : "");
	if (st->unmatched_releases)
		fprintf(out, "lockgraph: %" PRIu64 " releases of locks not seen acquired "
			"(the trace began inside their critical sections)\n",
			st->unmatched_releases);
	if (st->same_class_nesting)
		fprintf(out, "lockgraph: %" PRIu64 " acquisitions of a second lock of a held "
			"class, not judged: the trace has no lockdep subclass\n",
			st->same_class_nesting);
	if (st->unseen_set_class)
		fprintf(out, "lockgraph: %" PRIu64 " acquisitions of a lock under another of its "
			"class taken with a subclass, not judged: a lock_set_subclass() "
			"(double_unlock_balance()) may have changed it, unseen (record with "
			"the lock_set_class probe)\n", st->unseen_set_class);
	if (st->depth_overflows)
		fprintf(out, "lockgraph: %" PRIu64 " held-lock stacks dropped past depth %d "
			"(releases missing from the trace)\n", st->depth_overflows, LG_MAX_DEPTH);
}

/* "20293 cycles in 1 group over 400 classes", and what the cap left out. */
static void print_cycle_summary(const struct lg_report *rep, FILE *out)
{
	const struct lg_findings *fs = rep->findings;
	uint32_t cycles = 0, classes = 0;

	for (uint32_t i = 0; i < fs->nr_groups; i++) {
		cycles += fs->groups[i].nr_cycles;
		classes += fs->groups[i].nr_classes;
	}
	if (cycles)
		fprintf(out, "lockgraph: %u cycle%s in %u group%s over %u classes\n", cycles,
			cycles == 1 ? "" : "s", fs->nr_groups, fs->nr_groups == 1 ? "" : "s",
			classes);
	for (uint32_t i = 0; i < fs->nr_groups; i++) {
		const struct lg_cycle_group *g = &fs->groups[i];

		if (g->unsearched)
			fprintf(out, "lockgraph: cycle group %u (%u classes, %u dependencies): the "
				"search stopped at its cap of %" PRIu64 " steps; %u of its "
				"dependencies were checked only for a two-class cycle, so "
				"longer cycles through them may be missing\n", i + 1,
				g->nr_classes, g->nr_deps, lg_cycle_cap(g->nr_classes, g->nr_deps),
				g->unsearched);
	}
}

int lg_report_text(const struct lg_report *rep, FILE *out)
{
	uint32_t *next = group_links(rep->findings);

	for (uint32_t i = 0; i < rep->findings->nr; i++) {
		const struct lg_finding *f = &rep->findings->v[i];

		if (f->kind == LG_FINDING_CIRCULAR && rep->all_cycles)
			print_circular(rep, out, f);
		else if (f->kind == LG_FINDING_CIRCULAR && rep->findings->groups[f->group].first == i)
			print_group(rep, out, f->group, next);
		else if (f->kind == LG_FINDING_CIRCULAR)
			;	/* printed with its group */
		else if (f->kind == LG_FINDING_RECURSIVE)
			print_recursive(rep, out, f);
		else if (f->kind == LG_FINDING_WAIT_CONTEXT)
			print_wait_context(rep, out, f);
		else if (f->kind == LG_FINDING_INCONSISTENT)
			print_usage_bug(rep, out, f);
		else if (f->kind == LG_FINDING_UNLOCK_IMBALANCE)
			print_imbalance(rep, out, f);
		else if (f->kind == LG_FINDING_IRQ_INVERSION)
			print_irq_inversion(rep, out, f);
		else
			print_irq_order(rep, out, f);
	}
	free(next);
	if (rep->show_contention)
		print_contention(rep, out);
	print_summary(rep, out);
	print_cycle_summary(rep, out);
	return ferror(out) ? -1 : 0;
}
