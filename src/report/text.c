/* The lockdep-format report: the layout of kernel/locking/lockdep.c's
 * print_circular_bug() and print_deadlock_bug(), with each dependency's
 * first sighting in the trace where lockdep prints a stack trace. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_context.h"
#include "lockgraph/replay/wait_graph.h"
#include "lockgraph/replay/waits.h"
#include "lockgraph/report/report.h"

static const char *name(const struct lg_report *rep, uint32_t class)
{
	return lg_graph_class_name(rep->graph, class);
}

/* lockdep's print_lock_name(): "(name){usage}", the usage as of the
 * finding, then the "-{outer:inner}" wait types when recorded. */
static void print_class(const struct lg_report *rep, FILE *out, uint32_t class)
{
	const struct lg_wait_types *w = lg_graph_class_wait(rep->graph, class);
	char usage[5];

	fprintf(out, "(%s)", name(rep, class));
	if (lg_report_usage_chars(rep, class, usage))
		fprintf(out, "{%s}", usage);
	if (w)
		fprintf(out, "-{%u:%u}", lg_wait_needed(w), w->inner);
}

static void print_lock(const struct lg_report *rep, FILE *out, uint64_t addr, uint32_t class)
{
	fprintf(out, "%016" PRIx64 " ", addr);
	print_class(rep, out, class);
}

/* lockdep's ", at: func+0x6c/0x9f" after a lock, when the call site is known. */
static void print_site(const struct lg_report *rep, FILE *out, uint32_t site)
{
	const char *s = lg_graph_site_name(rep->graph, site);

	if (s)
		fprintf(out, ", at: %s", s);
}

/* A held lock as lockdep's lockdep_print_held_locks() shows one. */
static void print_held_lock(const struct lg_report *rep, FILE *out,
			    const struct lg_held_lock *h)
{
	print_lock(rep, out, h->addr, h->class);
	fputs(h->flags & LG_ACQ_READ ? " [read]" : h->flags & LG_ACQ_TRY ? " [try]" : "", out);
	print_site(rep, out, h->site);
	fputc('\n', out);
}

/* The held entry of class nearest the top of the stack at site (there is
 * one where the finding came from a dependency on it). */
static const struct lg_held_lock *held_of(const struct lg_report *rep,
					  const struct lg_site *site, uint32_t class)
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, site);

	for (uint32_t i = site->held_nr; i-- > 0;)
		if (held[i].class == class)
			return &held[i];
	return NULL;
}

/* "but task is already holding lock:": the held lock of class at site,
 * with its own address and call site. */
static void print_held_of(const struct lg_report *rep, FILE *out, const struct lg_site *site,
			  uint32_t class)
{
	const struct lg_held_lock *h = held_of(rep, site, class);

	print_lock(rep, out, h ? h->addr : 0, class);
	if (h)
		print_site(rep, out, h->site);
}

static void print_held(const struct lg_report *rep, FILE *out, const struct lg_site *site,
		       const char *indent)
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, site);

	for (uint32_t i = 0; i < site->held_nr; i++) {
		fprintf(out, "%s#%u: ", indent, i);
		print_held_lock(rep, out, &held[i]);
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

/* The lock acquired at site and its call site, then when ("[seconds]", as
 * dmesg prints time: lockdep's "at:" is a call site), where and in which
 * input. */
static void print_lock_at(const struct lg_report *rep, FILE *out, const struct lg_site *site,
			  uint32_t class)
{
	char time[32];

	lg_format_time(site->time_ns, time, sizeof(time));
	print_lock(rep, out, site->addr, class);
	print_site(rep, out, site->at);
	fprintf(out, "\n [%s] on CPU %u in %s context, %s\n", time, site->cpu,
		lg_ctx_name(site->ctx), rep->inputs[site->input].path);
}

static void print_acquirer(const struct lg_report *rep, FILE *out,
			   const struct lg_site *site, uint32_t class, const char *verb)
{
	fprintf(out, "%s/%d is trying to %s:\n", site->comm, site->pid, verb);
	print_lock_at(rep, out, site, class);
}

/* Where lockdep prints a stack trace: the acquisition's, if recorded, as
 * lockdep prints it, then "PREFIX[TIME] on CPU..." and the locks then held. */
static void print_sighting(const struct lg_report *rep, FILE *out, const struct lg_site *site,
			   const char *prefix)
{
	const uint32_t *stack = lg_graph_stack(rep->graph, site);
	char time[32];

	for (uint32_t i = 0; i < site->stack_nr; i++) {
		const char *frame = lg_graph_site_name(rep->graph, stack[i]);

		fprintf(out, "       %s\n", frame ? frame : "0x0");	/* %pS of a 0 */
	}
	lg_format_time(site->time_ns, time, sizeof(time));
	fprintf(out, "       %s[%s] on CPU %u in %s\n", prefix, time, site->cpu,
		rep->inputs[site->input].path);
	if (site->at != LG_SITE_UNKNOWN)
		fprintf(out, "       acquired at: %s\n", lg_graph_site_name(rep->graph, site->at));
	if (*site->inside)
		fprintf(out, "       first seen inside %s\n", site->inside);
	fprintf(out, "       by %s/%d in %s context, holding%s\n", site->comm, site->pid,
		lg_ctx_name(site->ctx), site->held_nr ? ":" : " no locks");
	print_held(rep, out, site, "        ");
}

/* Who made the dependency, after its block's heading: nothing for code at run
 * time, the priming function for an annotation, the file:line for a rule. */
static void print_origin(const struct lg_report *rep, FILE *out, const struct lg_dep *d)
{
	switch (lg_dep_origin(d)) {
	case LG_ORIGIN_ANNOTATION:
		fprintf(out, " made by %s (annotation)", lg_graph_name(rep->graph, d->primer));
		break;
	case LG_ORIGIN_RULE:
		fprintf(out, " primed by %s (rule)", lg_graph_name(rep->graph, d->rule));
		break;
	default:
		break;
	}
}

/* The instances of the dependency's classes taken once only, there. */
static void print_lone_instances(const struct lg_report *rep, FILE *out, const struct lg_dep *d)
{
	struct lg_lone_instance lone[2];
	unsigned nr = lg_report_lone_instances(rep, d, lone);

	for (unsigned i = 0; i < nr; i++) {
		const struct lg_instance_others *o = &lone[i].others;
		bool one = o->nr == 1 && !o->more;

		fprintf(out, "       %s instance %016" PRIx64 " appears only in this dependency: "
			"taken once in the trace, here, while %s%u other instance%s of the "
			"class %s taken %" PRIu64 " time%s: a dummy lock, to teach lockdep?\n",
			name(rep, lone[i].class), lone[i].addr, o->more ? "more than " : "", o->nr,
			one ? "" : "s", one ? "is" : "are", o->taken, o->taken == 1 ? "" : "s");
	}
}

/* Where the dependency was made, first; and by whom, if not all at run time. */
static void print_provenance(const struct lg_report *rep, FILE *out, const struct lg_dep *d)
{
	char prefix[160];
	int len;

	if (lg_dep_origin(d) == LG_ORIGIN_RULE) {
		fprintf(out, "       never seen in the trace: %s primes it, as the kernel "
			"did before the recording\n", lg_graph_name(rep->graph, d->rule));
		return;
	}
	len = snprintf(prefix, sizeof(prefix), "observed %" PRIu64 " time%s", d->count,
		       d->count == 1 ? "" : "s");
	if (d->annotated && d->annotated < d->count)
		len += snprintf(prefix + len, sizeof(prefix) - len, " (%" PRIu64 " by the "
				"annotation %s)", d->annotated,
				lg_graph_name(rep->graph, d->primer));
	snprintf(prefix + len, sizeof(prefix) - len, ", first ");
	print_sighting(rep, out, &d->first, prefix);
	if (d->rule != LG_NONE)
		fprintf(out, "       also primed by %s\n", lg_graph_name(rep->graph, d->rule));
	print_lone_instances(rep, out, d);
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

/* Under the banner, each dependency the cycle needs that no code made at run
 * time: a false positive of lockdep's training, or a primed order. */
static void print_unobserved(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	for (uint32_t i = 0; i < f->nr; i++) {
		const struct lg_dep *d = lg_graph_dep(rep->graph, f->deps[i]);
		enum lg_dep_origin origin = lg_dep_origin(d);

		if (origin == LG_ORIGIN_OBSERVED)
			continue;
		fprintf(out, "this cycle exists only through the %s %s: %s -> %s, never seen %s\n",
			origin == LG_ORIGIN_RULE ? "rule" : "annotation",
			lg_graph_name(rep->graph, origin == LG_ORIGIN_RULE ? d->rule : d->primer),
			name(rep, d->from), name(rep, d->to),
			origin == LG_ORIGIN_RULE ? "in the trace" : "at run time");
	}
}

static void print_circular(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_dep *closing = lg_graph_dep(rep->graph, f->deps[f->nr - 1]);
	const struct lg_site *site = &closing->first;
	uint32_t source = f->classes[0], target = f->classes[f->nr - 1];
	const struct lg_held_lock *tgt = held_of(rep, site, target);
	bool tgt_read = tgt && (tgt->flags & LG_ACQ_READ);

	lg_report_text_banner(rep, out, "WARNING: possible circular locking dependency detected", 0, f->id, 0);
	print_unobserved(rep, out, f);
	print_acquirer(rep, out, site, source, "acquire lock");
	fprintf(out, "\nbut task is already holding lock:\n");
	print_held_of(rep, out, site, target);
	fprintf(out, "\n\nwhich lock already depends on the new lock.\n\n");
	fprintf(out, "\nthe existing dependency chain (in reverse order) is:\n");
	/* #k is classes[k], reached by deps[k - 1]; #0 is the closing dependency */
	for (uint32_t k = f->nr; k-- > 0;) {
		uint32_t dep = k ? f->deps[k - 1] : f->deps[f->nr - 1];

		fprintf(out, "\n-> #%u ", k);
		print_class(rep, out, f->classes[k]);
		fprintf(out, ":");
		print_origin(rep, out, lg_graph_dep(rep->graph, dep));
		fprintf(out, "\n");
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
	struct lg_report at = *rep;	/* usage as of the shortest */
	uint32_t closing = fs->v[g->first].deps[fs->v[g->first].nr - 1];

	at.finding = &fs->v[g->shortest];
	print_circular(&at, out, at.finding);
	if (g->nr_cycles < 2)
		return;

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

/* print_deadlock_bug(): the lock being acquired, the held one it runs into
 * (lockdep's prev: its own address), and print_deadlock_scenario(). */
static void print_recursive(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_class_sighting *r = lg_graph_recursion(rep->graph, f->index);
	const char *class = name(rep, r->class);

	lg_report_text_banner(rep, out, "WARNING: possible recursive locking detected", 0, f->id, r->count);
	print_acquirer(rep, out, &r->first, r->class, "acquire lock");
	fprintf(out, "\nbut task is already holding lock:\n");
	print_lock(rep, out, r->held.addr, r->held.class);
	print_site(rep, out, r->held.site);
	fprintf(out, "\n\nother info that might help us debug this:\n");
	fprintf(out, " Possible unsafe locking scenario:\n\n");
	fprintf(out, "       CPU0\n       ----\n");
	fprintf(out, "  lock(%s);\n  lock(%s);\n", name(rep, r->held.class), class);
	fprintf(out, "\n *** DEADLOCK ***\n\n");
	fprintf(out, " May be due to missing lock nesting notation\n\n");
	print_held_by(rep, out, &r->first);
}

/* print_unlock_imbalance_bug(); where lockdep prints the release's call
 * site, when and where it was, and where the task released the lock before. */
static void print_imbalance(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_class_sighting *s = lg_graph_imbalance(rep->graph, f->index);

	lg_report_text_banner(rep, out, "WARNING: bad unlock balance detected!", 0, f->id, s->count);
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

	lg_report_text_banner(rep, out, "[ BUG: Invalid wait context ]", 0, f->id, v->count);
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

/*
 * lockdep's "[HC1[1]:SC0[0]:HE0:SE1]" of the task at site: in a hardirq and
 * hardirq_count() (1: nesting is not in a trace), in a softirq and
 * softirq_count() (serving one 1, bottom halves disabled 2 more, once),
 * hardirqs and softirqs enabled. A usage marked when hardirqs came on is
 * marked before lockdep counts them on (lockdep_hardirqs_on_prepare()).
 */
static void print_irq_state(FILE *out, const struct lg_site *site)
{
	bool hc = site->ctx == LG_CTX_HARDIRQ, sc = site->ctx == LG_CTX_SOFTIRQ;
	bool bh_off = site->irqflags & LG_BH_OFF;
	bool he = !(site->irqflags & LG_IRQS_OFF) && !(site->enabling & LG_IRQS_OFF);

	fprintf(out, "[HC%d[%d]:SC%d[%d]:HE%d:SE%d]", hc, hc, sc, sc + 2 * bh_off, he,
		!sc && !bh_off);
}

/* print_usage_bug(), with the first sighting of the usage it contradicts. */
static void print_usage_bug(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_usage_bug *bug = lg_graph_usage_bug(rep->graph, f->index);
	const struct lg_site *site = &bug->first;
	const char *class = name(rep, bug->class);

	lg_report_text_banner(rep, out, "WARNING: inconsistent lock state", 0, f->id, 0);
	fprintf(out, "inconsistent {%s} -> {%s} usage.\n", lg_usage_name(bug->prev),
		lg_usage_name(bug->usage));
	fprintf(out, "%s/%d ", site->comm, site->pid);
	print_irq_state(out, site);
	fprintf(out, " takes:\n");
	print_lock_at(rep, out, site, bug->class);
	fprintf(out, "{%s} state was registered at:\n", lg_usage_name(bug->prev));
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, bug->class, bug->prev),
		       "first ");
	fprintf(out, "\nother info that might help us debug this:\n");
	fprintf(out, " Possible unsafe locking scenario:\n\n");
	fprintf(out, "       CPU0\n       ----\n");
	fprintf(out, "  lock(%s);\n  <Interrupt>\n    lock(%s);\n", class, class);
	fprintf(out, "\n *** DEADLOCK ***\n\n");
	print_held_by(rep, out, site);
}

/* print_irq_lock_scenario(): the chain's middle lock is, as lockdep picks
 * it, the one next to the safe lock on the dependency that made the report. */
static void print_irq_scenario(const struct lg_report *rep, FILE *out,
			       const struct lg_finding *f, uint32_t middle)
{
	uint32_t safe = f->classes[0], unsafe = f->classes[f->nr - 1];

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

/* print_lock_class_header(): the class, and where it first had each usage
 * it had by the finding, where lockdep prints those stack traces; lockdep's
 * "... key at:" is not in a trace. */
static void print_class_header(const struct lg_report *rep, FILE *out, uint32_t class,
			       int depth)
{
	uint16_t bits = lg_graph_usage_at(rep->graph, class,
					  rep->finding ? rep->finding->seq : LG_NONE);

	fprintf(out, "%*s-> ", depth, "");
	print_class(rep, out, class);
	fprintf(out, " {\n");
	for (unsigned bit = 0; bit < LG_NR_USAGE_BITS; bit++) {
		if (!(bits & (1U << bit)))
			continue;
		fprintf(out, "%*s   %s at:\n", depth, "", lg_usage_name(bit));
		print_sighting(rep, out, lg_graph_usage_site(rep->graph, class, bit), "first ");
	}
	fprintf(out, "%*s }\n", depth, "");
}

/* A class of an irq chain and, after the first, the dependency into it. */
static void print_chain_entry(const struct lg_report *rep, FILE *out,
			      const struct lg_finding *f, uint32_t k, int depth, bool acquired)
{
	print_class_header(rep, out, f->classes[k], depth);
	if (!acquired)
		return;
	fprintf(out, "%*s ... acquired at:", depth, "");
	print_origin(rep, out, lg_graph_dep(rep->graph, f->deps[k - 1]));
	fprintf(out, "\n");
	print_provenance(rep, out, lg_graph_dep(rep->graph, f->deps[k - 1]));
	fprintf(out, "\n");
}

/*
 * print_bad_irq_dependency(): the dependency seen last, prev -> next, made
 * the chain; the acquisition that made it, the safe and unsafe ends and
 * where they became so, the scenario, the held locks, then the chain in two:
 * the safe lock down to prev (print_shortest_lock_dependencies_backwards()),
 * and the unsafe one back to next (print_shortest_lock_dependencies()), each
 * lock with its usage and the dependency into it.
 */
static void print_irq_order(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const char *irq = lg_irq_state_name(f->usage[0]);
	uint32_t safe = f->classes[0], unsafe = f->classes[f->nr - 1], j = 0;
	const struct lg_site *site = lg_report_finding_site(rep, f);
	uint32_t prev, next;
	char title[64];

	while (j + 2 < f->nr && &lg_graph_dep(rep->graph, f->deps[j])->first != site)
		j++;
	prev = f->classes[j];
	next = f->classes[j + 1];
	snprintf(title, sizeof(title), "WARNING: %s-safe -> %s-unsafe lock order detected",
		 irq, irq);
	lg_report_text_banner(rep, out, title, 53, f->id, 0);
	fprintf(out, "%s/%d ", site->comm, site->pid);
	print_irq_state(out, site);
	fprintf(out, " is trying to acquire:\n");
	print_lock_at(rep, out, site, next);
	fprintf(out, "\nand this task is already holding:\n");
	print_held_of(rep, out, site, prev);
	fprintf(out, "\nwhich would create a new lock dependency:\n ");
	print_class(rep, out, prev);
	fprintf(out, " -> ");
	print_class(rep, out, next);
	fprintf(out, "\n\nbut this new dependency connects a %s-irq-safe lock:\n ", irq);
	print_class(rep, out, safe);
	fprintf(out, "\n\n... which became %s-irq-safe at:\n", irq);
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, safe, f->usage[0]), "first ");
	fprintf(out, "\nto a %s-irq-unsafe lock:\n ", irq);
	print_class(rep, out, unsafe);
	fprintf(out, "\n\n... which became %s-irq-unsafe at:\n...\n", irq);
	print_sighting(rep, out, lg_graph_usage_site(rep->graph, unsafe, f->usage[1]), "first ");
	print_irq_scenario(rep, out, f, prev == safe ? next : prev);
	fprintf(out, "\n");
	print_held_by(rep, out, site);
	fprintf(out, "\nthe dependencies between %s-irq-safe lock and the holding lock:\n", irq);
	for (uint32_t k = 0; k <= j; k++)
		print_chain_entry(rep, out, f, k, (int)(j - k), k > 0);
	fprintf(out, "\nthe dependencies between the lock to be acquired\n");
	fprintf(out, " and %s-irq-unsafe lock:\n", irq);
	for (uint32_t k = f->nr - 1; k > j; k--)
		print_chain_entry(rep, out, f, k, (int)(k - j - 1), true);
}

/*
 * print_shortest_lock_dependencies() of an inversion: from the other end of
 * the chain back to the lock that changed, each lock's class header and the
 * dependency that reached it; the changed lock's, the acquisition at which
 * its usage changed (lockdep's current stack).
 */
static void print_inversion_chain(const struct lg_report *rep, FILE *out,
				  const struct lg_finding *f, bool forwards,
				  const struct lg_site *site)
{
	uint32_t last = f->nr - 1;

	for (uint32_t i = 0; i <= last; i++) {
		uint32_t k = forwards ? last - i : i;
		int depth = (int)(last - i);

		print_class_header(rep, out, f->classes[k], depth);
		const struct lg_dep *d = depth ? lg_graph_dep(rep->graph,
							      f->deps[forwards ? k - 1 : k]) : NULL;

		fprintf(out, "%*s ... acquired at:", depth, "");
		if (d)
			print_origin(rep, out, d);
		fprintf(out, "\n");
		if (d)
			print_provenance(rep, out, d);
		else
			print_sighting(rep, out, site, "first ");
		fprintf(out, "\n");
	}
}

/*
 * print_irq_inversion_bug(): the usage that came last made the chain, the
 * lock that "just changed the state", at the first such usage; forwards (the
 * lock became irq-safe) or backwards (irq-unsafe). lockdep names the irq by
 * the write usage the change conflicts with: never "-READ".
 */
static void print_irq_inversion(const struct lg_report *rep, FILE *out,
				const struct lg_finding *f)
{
	bool forwards = f->index == 0;
	uint32_t changed = f->classes[f->index];
	uint32_t other = f->classes[forwards ? f->nr - 1 : 0];
	const char *irq = lg_irq_state_name(f->usage[0] & LG_USAGE_SOFTIRQ);
	const struct lg_site *site = lg_report_finding_site(rep, f);

	lg_report_text_banner(rep, out, "WARNING: possible irq lock inversion dependency detected", 0, f->id, 0);
	fprintf(out, "%s/%d just changed the state of lock:\n", site->comm, site->pid);
	print_lock_at(rep, out, site, changed);
	if (forwards)
		fprintf(out, "but this lock took another, %s-unsafe lock in the past:\n ", irq);
	else
		fprintf(out, "but this lock was taken by another, %s-safe lock in the past:\n ", irq);
	print_class(rep, out, other);
	fprintf(out, "\n\nand interrupts could create inverse lock ordering between them.\n\n");
	print_irq_scenario(rep, out, f, f->classes[forwards ? 1 : f->nr - 2]);
	fprintf(out, "\n");
	print_held_by(rep, out, site);
	fprintf(out, "\nthe shortest dependencies between 2nd lock and 1st lock:\n");
	print_inversion_chain(rep, out, f, forwards, site);
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

/* What the waits came to: only an event seen ending a wait makes its
 * dependencies, and what a reader may miss by that is said. */
static void print_waits(const struct lg_report *rep, FILE *out)
{
	const struct lg_wait_graph *wg = lg_graph_waits(rep->graph);
	const struct lg_wait_stats *ws = lg_wait_graph_stats((struct lg_wait_graph *)wg);

	if (!ws->waits)
		return;
	fprintf(out, "lockgraph: %" PRIu64 " wait%s for fences, completions and work items: %"
		PRIu64 " ended by an event seen, %" PRIu64 " back without one (nothing to wait "
		"for, or its event not recorded), %" PRIu64 " by a timeout, %" PRIu64 " still "
		"waiting at the end; %u wait/event dependenc%s\n", ws->waits,
		ws->waits == 1 ? "" : "s", ws->ended, ws->unended, ws->unended_timed,
		ws->waits - ws->ended - ws->unended - ws->unended_timed, lg_wait_graph_nr_deps(wg),
		lg_wait_graph_nr_deps(wg) == 1 ? "y" : "ies");
	if (ws->context_overflows || ws->forgotten_tasks || ws->lost_resets)
		fprintf(out, "lockgraph: wait/event dependencies may be missing: %" PRIu64
			" locks of long event contexts forgotten (each keeps its latest %d), %"
			PRIu64 " contexts forgotten, %" PRIu64 " resets after lost events\n",
			ws->context_overflows, LG_CONTEXT_LOCKS, ws->forgotten_tasks,
			ws->lost_resets);
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
		fprintf(out, "lockgraph: %s%s%s%s: tier %s: %s%s\n", rep->inputs[i].path,
			rep->inputs[i].graph ? " (in graph file " : "",
			rep->inputs[i].graph ? rep->inputs[i].graph : "",
			rep->inputs[i].graph ? ")" : "",
			lg_tier_name(rep->inputs[i].tier), lg_tier_meaning(rep->inputs[i].tier),
			rep->inputs[i].user_locks ? "; and pthread locks, in full" : "");
	for (uint32_t i = 0; i < rep->nr_inputs; i++)
		if (rep->inputs[i].stats.unwinder)
			fprintf(out, "lockgraph: %s: %" PRIu64 " acquisitions the stack unwinder "
				"made inside others' lock_acquire() dropped, with their events "
				"(the tracing's rcu_read_lock, not the code's)\n",
				rep->inputs[i].path, rep->inputs[i].stats.unwinder);
	print_waits(rep, out);
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

static uint64_t baseline_hidden(const struct lg_suppressions *s, const char *where)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->nr; i++)
		if (s->v[i].baseline && !strcmp(s->v[i].where, where))
			n += s->v[i].hidden;
	return n;
}

/* How many findings each baseline and suppression hid (the JSON report lists
 * them), and the suppressions that hid nothing: stale, to be cleaned. */
static void print_suppressed(const struct lg_report *rep, FILE *out)
{
	const struct lg_suppressions *s = rep->suppressions;

	if (!s)
		return;
	fprintf(out, "lockgraph: %u known finding%s hidden\n", s->nr_hidden,
		s->nr_hidden == 1 ? "" : "s");
	for (uint32_t i = 0; i < s->nr; i++) {
		const struct lg_suppression *p = &s->v[i];

		if (p->baseline && (i + 1 < s->nr && s->v[i + 1].baseline &&
				    !strcmp(s->v[i + 1].where, p->where)))
			continue;	/* a baseline's ids: said once, at its last */
		if (p->baseline)
			fprintf(out, "lockgraph: %s: %" PRIu64 " hidden as in the baseline\n",
				p->where, baseline_hidden(s, p->where));
		else if (p->hidden)
			fprintf(out, "lockgraph: %s: %" PRIu64 " hidden: %s\n", p->where, p->hidden,
				p->reason);
		else
			fprintf(out, "lockgraph: %s: suppression unused, nothing matches it (%s)\n",
				p->where, p->reason);
	}
}

void lg_report_text_finding(const struct lg_report *rep, const struct lg_finding *f,
			    FILE *out)
{
	struct lg_report at = *rep;	/* usage as of the finding */

	at.finding = f;
	switch (f->kind) {
	case LG_FINDING_CIRCULAR:
		print_circular(&at, out, f);
		break;
	case LG_FINDING_RECURSIVE:
		print_recursive(&at, out, f);
		break;
	case LG_FINDING_WAIT_CONTEXT:
		print_wait_context(&at, out, f);
		break;
	case LG_FINDING_INCONSISTENT:
		print_usage_bug(&at, out, f);
		break;
	case LG_FINDING_UNLOCK_IMBALANCE:
		print_imbalance(&at, out, f);
		break;
	case LG_FINDING_IRQ_INVERSION:
		print_irq_inversion(&at, out, f);
		break;
	case LG_FINDING_WAIT_EVENT:
	case LG_FINDING_WAIT_TIMEOUT:
		lg_report_text_wait(&at, out, f);
		break;
	default:
		print_irq_order(&at, out, f);
	}
}

int lg_report_text(const struct lg_report *rep, FILE *out)
{
	uint32_t *next = group_links(rep->findings);

	for (uint32_t i = 0; i < rep->findings->nr; i++) {
		const struct lg_finding *f = &rep->findings->v[i];

		if (f->kind != LG_FINDING_CIRCULAR || rep->all_cycles)
			lg_report_text_finding(rep, f, out);
		else if (rep->findings->groups[f->group].first == i)
			print_group(rep, out, f->group, next);
		/* else printed with its group */
	}
	free(next);
	if (rep->show_contention)
		print_contention(rep, out);
	print_summary(rep, out);
	print_cycle_summary(rep, out);
	print_suppressed(rep, out);
	return ferror(out) ? -1 : 0;
}
