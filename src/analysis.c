/* The pipeline source -> replay (and contention) -> graph -> detectors, over any
 * number of inputs merged into one graph, as lockdep merges a whole boot. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/analysis.h"
#include "lockgraph/graph_file.h"
#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"

void lg_analysis_init(struct lg_analysis *a)
{
	*a = (struct lg_analysis){ .rules = lg_rules_new(), .names = lg_strtab_new(),
				   .threads = 1 };
	a->graph = lg_graph_new(a->names, a->rules);
	a->replay = lg_replay_new(a->graph, a->names);
	a->contention = lg_contention_new(a->names);
}

void lg_analysis_release(struct lg_analysis *a)
{
	lg_findings_release(&a->findings);
	lg_replay_free(a->replay);
	lg_contention_free(a->contention);
	lg_graph_free(a->graph);
	lg_strtab_free(a->names);
	lg_rules_free(a->rules);
	free(a->inputs);
	for (uint32_t i = 0; i < a->nr_warnings; i++)
		free(a->warnings[i]);
	free(a->warnings);
}

__attribute__((format(printf, 2, 3)))
static void warn(struct lg_analysis *a, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	LG_GROW(a->warnings, a->nr_warnings, a->alloc_warnings);
	a->warnings[a->nr_warnings++] = lg_xstrdup(buf);
}

/* "0,3,63+": the CPU slots whose bit is set in mask. */
static void cpu_list(uint64_t mask, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int c = 0; c < LG_LOST_CPUS && len < size - 16; c++)
		if (mask & (1ULL << c))
			len += snprintf(buf + len, size - len, "%s%d%s", len ? "," : "", c,
					c == LG_LOST_CPUS - 1 ? "+" : "");
}

static void warn_lost(struct lg_analysis *a, const struct lg_input *in)
{
	const struct lg_input_stats *st = &in->stats;
	uint64_t marked = 0;
	char cpus[256];

	for (int c = 0; c < LG_LOST_CPUS; c++)
		marked |= (uint64_t)!!st->lost_markers_by_cpu[c] << c;
	cpu_list(marked, cpus, sizeof(cpus));
	if (st->lost_markers)
		warn(a, "%s: events lost in %" PRIu64 " place%s (%" PRIu64 " counted) on CPU "
		     "%s: held-lock stacks of tasks there could be wrong, so all were "
		     "forgotten at each loss and dependencies across it are missed", in->path,
		     st->lost_markers, st->lost_markers == 1 ? "" : "s",
		     st->lost - st->lost_unplaced, cpus);
	cpu_list(st->unplaced_cpus, cpus, sizeof(cpus));
	if (st->lost_unplaced)
		warn(a, "%s: %" PRIu64 " events lost on CPU %s at places the file does not "
		     "mark (its ring-buffer statistics count them): held locks could not be "
		     "forgotten there, so a dependency of a task that ran there may be false",
		     in->path, st->lost_unplaced, cpus);
}

/* Damage a trace.dat's layout cannot show: zeroed pages, and fewer events
 * than its recorder read from the kernel. */
static void warn_damaged(struct lg_analysis *a, const struct lg_input *in)
{
	const struct lg_input_stats *st = &in->stats;
	char cpus[256];

	cpu_list(st->zeroed_cpus, cpus, sizeof(cpus));
	if (st->zeroed_pages)
		warn(a, "%s: %" PRIu64 " page%s of CPU %s data %s nothing but zeros (damaged "
		     "after recording): the events %s held are lost, as at any loss",
		     in->path, st->zeroed_pages, st->zeroed_pages == 1 ? "" : "s", cpus,
		     st->zeroed_pages == 1 ? "holds" : "hold",
		     st->zeroed_pages == 1 ? "it" : "they");
	cpu_list(st->missing_cpus, cpus, sizeof(cpus));
	if (st->missing)
		warn(a, "%s: %" PRIu64 " events its recorder read from the kernel on CPU %s are "
		     "not in the file (damaged, cut or split after recording?): held locks "
		     "could not be forgotten where they were lost, so a dependency of a task "
		     "that ran there may be false, and one may be missed", in->path, st->missing,
		     cpus);
}

/* What an input's numbers mean for the accuracy of the result. */
static int judge_input(struct lg_analysis *a, const struct lg_input *in, struct lg_error *err)
{
	const struct lg_input_stats *st = &in->stats;

	if (!st->events && st->unaddressed)
		return lg_fail(err, EINVAL, "%s: no lock event has a usable address: all %" PRIu64
			       " print it as (____ptrval____), so releases cannot be matched "
			       "(the kernel's pointer hashing was not ready: boot with "
			       "random.trust_cpu=on or start tracing later)", in->path,
			       st->unaddressed);
	if (st->unaddressed)
		warn(a, "%s: %" PRIu64 " lock events print their address as (____ptrval____) "
		     "and were skipped", in->path, st->unaddressed);
	if (!st->events && !st->unaddressed)
		warn(a, "%s: no lock events (was lock:lock_acquire recorded, on a kernel "
		     "with CONFIG_LOCKDEP?)", in->path);
	if (st->names_dropped)
		warn(a, "%s: lock events with empty names: a kernel printing raw pointers "
		     "(hash-ptr off) drops the first string of lock events, so \"try \" is "
		     "lost too and trylocks replay as blocking acquisitions; keep "
		     "hash-ptr on or convert a trace-cmd recording", in->path);
	if (st->no_irq_info)
		warn(a, "%s: no irq flags column, so interrupt handlers' locks look nested "
		     "in the interrupted task's; keep the irq-info option on, or use "
		     "'trace-cmd report -l'", in->path);
	if (in->tier >= LG_TIER_LOCKDEP && !in->sited)
		warn(a, "%s: no call sites or stacks: a dependency that lockdep's training "
		     "made (a priming function) cannot be told from one that code made at run "
		     "time, so all are said to be observed (a lockdep+args recording, or "
		     "record --stacks, tells them; --rules primes what the recording missed)",
		     in->path);
	if (st->lost_markers || st->lost_unplaced)
		warn_lost(a, in);
	if (st->zeroed_pages || st->missing)
		warn_damaged(a, in);
	if (st->unread_wait_probes)
		warn(a, "%s: %" PRIu64 " events of record --preset wait's probes are not read "
		     "from ftrace text (their callers are addresses only a trace.dat names): "
		     "waits for completions and work items are not followed, only dma_fence "
		     "waits and workqueue events; analyze the trace.dat for all of them",
		     in->path, st->unread_wait_probes);
	if (st->unpaired || st->incomplete)
		warn(a, "%s: %" PRIu64 " class-key, argument or stack events had no acquisition "
		     "in flight in their CPU and irq context and were dropped; %" PRIu64
		     " acquisitions lack theirs and are classed as the tracepoint alone "
		     "says (by name, no subclass, read kind from its flags)", in->path,
		     st->unpaired, st->incomplete);
	return 0;
}

/* The events an input has show what it was recorded with, where the file
 * does not say (ftrace text); pthread locks are apart from the kernel's tier. */
static void note_seen(struct lg_analysis *a, const struct lg_event *ev)
{
	if (ev->kind == LG_EV_CONTENTION_BEGIN)
		a->seen |= LG_RECORDED_CONTENTION;
	else if (ev->kind == LG_EV_ACQUIRE && (ev->flags & LG_ACQ_USER))
		a->user_locks = true;
	else if (ev->kind == LG_EV_ACQUIRE)
		a->seen |= ev->flags & LG_ACQ_MMAP_LOCK ? LG_RECORDED_MMAP_LOCK :
			   LG_RECORDED_LOCKDEP;
	if ((ev->kind == LG_EV_ACQUIRE && (ev->site != LG_SITE_UNKNOWN || ev->stack_nr)) ||
	    ev->kind == LG_EV_CONTEXT_ENTER)
		a->sited = true;
}

static uint32_t class_named(struct lg_analysis *a, const char *name)
{
	return lg_graph_class(a->graph, lg_strtab_intern(a->names, name, strlen(name)));
}

/* The rules' prime chains, before any input, as the kernel primes them at
 * boot: each class taken holding the one before, which is the dependency
 * lockdep adds (check_prevs_add() stops at the nearest held lock). */
static void prime(struct lg_analysis *a)
{
	for (unsigned i = 0; i < lg_rules_nr_primes(a->rules); i++) {
		const struct lg_prime *p = lg_rules_prime(a->rules, i);
		uint32_t where = lg_strtab_intern(a->names, p->where, strlen(p->where));

		for (unsigned c = 1; c < p->nr; c++)
			lg_graph_add_primed(a->graph, class_named(a, p->classes[c - 1]),
					    class_named(a, p->classes[c]), where);
	}
}

/* A prime naming a class no input took is a misspelling, or a class this
 * kernel names otherwise: its dependencies can close no cycle. */
static void warn_unseen_primes(struct lg_analysis *a)
{
	struct lg_u64map warned;

	lg_u64map_init(&warned);
	for (unsigned i = 0; i < lg_rules_nr_primes(a->rules); i++) {
		const struct lg_prime *p = lg_rules_prime(a->rules, i);

		for (unsigned c = 0; c < p->nr; c++) {
			uint32_t class = class_named(a, p->classes[c]);

			if (lg_graph_usage_at(a->graph, class, LG_NONE) ||
			    lg_u64map_get(&warned, class) != LG_NONE)
				continue;
			lg_u64map_put(&warned, class, i);
			warn(a, "%s: prime names %s, a class no input shows (misspelt, or "
			     "named otherwise by this kernel)", p->where, p->classes[c]);
		}
	}
	lg_u64map_release(&warned);
}

void lg_analysis_begin_input(struct lg_analysis *a)
{
	if (!a->nr_inputs)
		prime(a);
	a->seen = 0;
	a->user_locks = false;
	a->sited = false;
	lg_replay_begin_input(a->replay, a->nr_inputs);
}

void lg_analysis_feed(const struct lg_event *ev, void *analysis)
{
	struct lg_analysis *a = analysis;

	note_seen(a, ev);
	lg_replay_event(a->replay, ev);
	lg_contention_event(a->contention, ev);
}

int lg_analysis_end_input(struct lg_analysis *a, const char *path, const char *format,
			  const struct lg_input_stats *stats, lg_symbol_fn symbol,
			  void *symbol_arg, struct lg_error *err)
{
	struct lg_input in = { .path = path, .format = format, .stats = *stats,
			       .tier = lg_tier_of(stats->recorded | a->seen),
			       .user_locks = a->user_locks, .sited = a->sited };

	lg_contention_end_input(a->contention, symbol, symbol_arg);
	return lg_analysis_add_input(&in, a, err);
}

int lg_analysis_add_input(const struct lg_input *in, void *analysis, struct lg_error *err)
{
	struct lg_analysis *a = analysis;

	LG_GROW(a->inputs, a->nr_inputs, a->alloc_inputs);
	a->inputs[a->nr_inputs] = *in;
	return judge_input(a, &a->inputs[a->nr_inputs++], err);
}

static const char *source_symbol(uint64_t addr, void *src)
{
	return lg_source_symbol(src, addr);
}

/* A graph file's inputs come after those before it, as a trace's would. */
int lg_analysis_add_graph(struct lg_analysis *a, const char *path, const char *text,
			  size_t len, struct lg_error *err)
{
	struct lg_graph_target t = {
		.names = a->names, .graph = a->graph, .replay = a->replay,
		.contention = a->contention, .first_input = a->nr_inputs,
		.add_input = lg_analysis_add_input, .arg = a,
	};

	lg_analysis_begin_input(a);
	return lg_graph_file_merge(&t, path, text, len, err);
}

int lg_analysis_add_file(struct lg_analysis *a, const char *path, struct lg_error *err)
{
	struct lg_source *src;
	const char *graph;
	size_t len;
	int ret = lg_source_open(&src, path, a->names, err);

	if (ret)
		return ret;
	graph = lg_source_graph(src, &len);
	if (graph) {
		ret = lg_analysis_add_graph(a, path, graph, len, err);
		lg_source_close(src);
		return ret;
	}
	lg_analysis_begin_input(a);
	ret = lg_source_read(src, a->threads, lg_analysis_feed, a, err);
	if (!ret)
		ret = lg_analysis_end_input(a, path, lg_source_format(src), lg_source_stats(src),
					    source_symbol, src, err);
	lg_source_close(src);
	return ret;
}

void lg_analysis_detect(struct lg_analysis *a)
{
	warn_unseen_primes(a);
	lg_detect_recursion(a->graph, &a->findings);
	lg_detect_imbalance(a->graph, &a->findings);
	lg_detect_cycles(a->graph, &a->findings);
	lg_detect_wait_context(a->graph, &a->findings);
	lg_detect_usage_bugs(a->graph, &a->findings);
	lg_detect_irq_order(a->graph, &a->findings);
	lg_detect_wait_cycles(a->graph, &a->findings);
	lg_findings_sort(&a->findings);
}

struct lg_report lg_analysis_report(const struct lg_analysis *a, bool show_contention)
{
	return (struct lg_report){
		.inputs = a->inputs,
		.nr_inputs = a->nr_inputs,
		.graph = a->graph,
		.replay = lg_replay_stats(a->replay),
		.findings = &a->findings,
		.contention = a->contention,
		.show_contention = show_contention,
		.warnings = a->warnings,
		.nr_warnings = a->nr_warnings,
	};
}
