/* Small formatting helpers both reporters share, so text and JSON agree. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"
#include "lockgraph/report/report.h"

uint64_t lg_report_events(const struct lg_report *rep)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < rep->nr_inputs; i++)
		n += rep->inputs[i].stats.events;
	return n;
}

void lg_format_time(uint64_t ns, char *buf, size_t size)
{
	if (ns % 1000 == 0)
		snprintf(buf, size, "%" PRIu64 ".%06" PRIu64, ns / 1000000000, ns % 1000000000 / 1000);
	else
		snprintf(buf, size, "%" PRIu64 ".%09" PRIu64, ns / 1000000000, ns % 1000000000);
}

const char *lg_irq_state_name(uint8_t bit)
{
	static const char *const names[] = { "HARDIRQ", "HARDIRQ-READ", "SOFTIRQ",
					     "SOFTIRQ-READ" };

	return names[(bit & LG_USAGE_SOFTIRQ ? 2 : 0) + (bit & LG_USAGE_READ ? 1 : 0)];
}

/* The dependency of an irq chain seen last. */
static const struct lg_dep *last_dep(const struct lg_graph *g, const struct lg_finding *f)
{
	const struct lg_dep *last = lg_graph_dep(g, f->deps[0]);

	for (uint32_t i = 1; i + 1 < f->nr; i++)
		if (lg_graph_dep(g, f->deps[i])->seq > last->seq)
			last = lg_graph_dep(g, f->deps[i]);
	return last;
}

const struct lg_site *lg_report_finding_site(const struct lg_report *rep,
					     const struct lg_finding *f)
{
	const struct lg_graph *g = rep->graph;

	switch (f->kind) {
	case LG_FINDING_CIRCULAR:
		return &lg_graph_dep(g, f->deps[f->nr - 1])->first;
	case LG_FINDING_RECURSIVE:
		return &lg_graph_recursion(g, f->index)->first;
	case LG_FINDING_WAIT_CONTEXT:
		return &lg_graph_wait_violation(g, f->index)->first;
	case LG_FINDING_INCONSISTENT:
		return &lg_graph_usage_bug(g, f->index)->first;
	case LG_FINDING_UNLOCK_IMBALANCE:
		return &lg_graph_imbalance(g, f->index)->first;
	case LG_FINDING_IRQ_INVERSION:
		return lg_graph_usage_site(g, f->classes[f->index], f->usage[f->index ? 1 : 0]);
	case LG_FINDING_WAIT_EVENT:
	case LG_FINDING_WAIT_TIMEOUT:
		return NULL;	/* see lg_report_wait_of() */
	default:
		return &last_dep(g, f)->first;
	}
}

const struct lg_wait_dep *lg_report_wait_of(const struct lg_report *rep,
					    const struct lg_finding *f)
{
	return lg_wait_graph_dep(lg_graph_waits(rep->graph), f->deps[f->nr - 1] & ~LG_WAIT_NODE);
}

uint32_t lg_report_finding_input(const struct lg_report *rep, const struct lg_finding *f)
{
	const struct lg_site *site = lg_report_finding_site(rep, f);

	if (lg_finding_is_wait(f))
		return lg_report_wait_of(rep, f)->wait.input;

	/* a rule's dependency has no site; a finding ends in an observed one */
	return site && site->input < rep->nr_inputs ? site->input : 0;
}

/* get_usage_char(): '.' neither, '-' in the irq only, '+' with it enabled
 * only, '?' both. */
static char usage_char(uint16_t bits, uint8_t used_in)
{
	bool in = bits & (1U << used_in), enabled = bits & (1U << (used_in | LG_USAGE_ENABLED));

	return enabled ? (in ? '?' : '+') : in ? '-' : '.';
}

bool lg_report_usage_chars(const struct lg_report *rep, uint32_t class, char buf[5])
{
	static const uint8_t order[4] = { 0, LG_USAGE_READ, LG_USAGE_SOFTIRQ,
					  LG_USAGE_SOFTIRQ | LG_USAGE_READ };
	uint16_t used = 1U << LG_USAGE_USED | 1U << LG_USAGE_USED_READ;
	uint16_t bits;

	buf[0] = '\0';
	if (!(lg_graph_usage_at(rep->graph, class, LG_NONE) & used))
		return false;
	bits = lg_graph_usage_at(rep->graph, class, rep->finding ? rep->finding->seq : LG_NONE);
	for (int i = 0; i < 4; i++)
		buf[i] = usage_char(bits, order[i]);
	buf[4] = '\0';
	return true;
}

const char *lg_dep_type_name(uint8_t bit)
{
	switch (bit) {
	case LG_DEP_SR: return "SR";
	case LG_DEP_ER: return "ER";
	case LG_DEP_SN: return "SN";
	default: return "EN";
	}
}

unsigned lg_report_lone_instances(const struct lg_report *rep, const struct lg_dep *d,
				  struct lg_lone_instance out[2])
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, &d->first);
	const struct lg_held_lock *from = NULL;
	unsigned nr = 0;

	/* a training's dummy lock makes its dependency once, where the class's
	 * real instances are taken again and again */
	if (lg_dep_origin(d) == LG_ORIGIN_RULE || d->count != 1)
		return 0;
	for (uint32_t i = d->first.held_nr; i-- > 0 && !from;)
		if (held[i].class == d->from)
			from = &held[i];
	if (from && lg_graph_lone_instance(rep->graph, d->from, d->first.input, from->addr,
					   &out[nr].others)) {
		out[nr].class = d->from;
		out[nr++].addr = from->addr;
	}
	if (lg_graph_lone_instance(rep->graph, d->to, d->first.input, d->first.addr,
				   &out[nr].others)) {
		out[nr].class = d->to;
		out[nr++].addr = d->first.addr;
	}
	return nr;
}

const char *lg_report_title(const struct lg_report *rep, const struct lg_finding *f,
			    char *buf, size_t size)
{
	static const char *const what[] = {
		[LG_FINDING_CIRCULAR] = "possible circular locking dependency",
		[LG_FINDING_RECURSIVE] = "possible recursive locking",
		[LG_FINDING_WAIT_CONTEXT] = "invalid wait context",
		[LG_FINDING_INCONSISTENT] = "inconsistent lock state",
		[LG_FINDING_UNLOCK_IMBALANCE] = "bad unlock balance",
		[LG_FINDING_IRQ_INVERSION] = "possible irq lock inversion dependency",
		[LG_FINDING_WAIT_EVENT] = "possible wait/event deadlock",
		[LG_FINDING_WAIT_TIMEOUT] = "wait/event cycle ended only by a timeout",
	};
	const struct lg_site *site = lg_report_finding_site(rep, f);
	uint32_t site_ref = site ? site->at : LG_SITE_UNKNOWN;
	const char *kind = what[f->kind];
	const char *at;
	char sig[512], irq[64];

	if (lg_finding_is_wait(f)) {	/* the wait's caller, else where its lock was taken */
		const struct lg_wait_dep *w = lg_report_wait_of(rep, f);

		site_ref = w->wait.at != LG_SITE_UNKNOWN ? w->wait.at : w->lock_at.at;
	}
	at = lg_graph_site_name(rep->graph, site_ref);

	if (f->kind == LG_FINDING_IRQ_ORDER) {
		snprintf(irq, sizeof(irq), "%s-safe -> %s-unsafe lock order",
			 lg_irq_state_name(f->usage[0]), lg_irq_state_name(f->usage[0]));
		kind = irq;
	}
	if (at)
		snprintf(buf, size, "%s in %.*s", kind, (int)strcspn(at, "+ ("), at);
	else
		snprintf(buf, size, "%s involving %s", kind,
			 lg_report_node_signature(rep, f->classes[0], sig, sizeof(sig)));
	return buf;
}

const char *lg_report_describe(const struct lg_finding *f, void *rep, uint32_t *input)
{
	static char buf[640];

	*input = lg_report_finding_input(rep, f);
	return lg_report_title(rep, f, buf, sizeof(buf));
}

const char *lg_finding_kind_name(enum lg_finding_kind kind)
{
	static const char *const names[] = {
		[LG_FINDING_CIRCULAR] = "circular-dependency",
		[LG_FINDING_RECURSIVE] = "recursive-locking",
		[LG_FINDING_WAIT_CONTEXT] = "invalid-wait-context",
		[LG_FINDING_INCONSISTENT] = "inconsistent-lock-state",
		[LG_FINDING_IRQ_ORDER] = "irq-safe-to-unsafe",
		[LG_FINDING_UNLOCK_IMBALANCE] = "bad-unlock-balance",
		[LG_FINDING_IRQ_INVERSION] = "irq-lock-inversion",
		[LG_FINDING_WAIT_EVENT] = "wait-event-deadlock",
		[LG_FINDING_WAIT_TIMEOUT] = "wait-event-timeout",
	};

	return names[kind];
}

const char *lg_fail_kind_name(unsigned kind)
{
	return kind == LG_FAIL_ANNOTATED_CYCLE ? "annotated-cycle" : lg_finding_kind_name(kind);
}

bool lg_report_fails(const struct lg_report *rep, const struct lg_finding *f)
{
	unsigned kind = lg_report_needs_unobserved(rep, f) ? LG_FAIL_ANNOTATED_CYCLE : f->kind;

	return !rep->fail_on || (rep->fail_on & (1U << kind));
}

bool lg_report_needs_unobserved(const struct lg_report *rep, const struct lg_finding *f)
{
	if (f->kind != LG_FINDING_CIRCULAR)
		return false;
	for (uint32_t i = 0; i < f->nr; i++)
		if (lg_dep_origin(lg_graph_dep(rep->graph, f->deps[i])) != LG_ORIGIN_OBSERVED)
			return true;
	return false;
}

const char *lg_report_node_name(const struct lg_report *rep, uint32_t node)
{
	if (node & LG_WAIT_NODE)
		return lg_graph_name(rep->graph, lg_wait_graph_object_name(lg_graph_waits(rep->graph),
									   node & ~LG_WAIT_NODE));
	return lg_graph_class_name(rep->graph, node);
}

const char *lg_report_node_signature(const struct lg_report *rep, uint32_t node, char *buf,
				     size_t size)
{
	if (node & LG_WAIT_NODE)
		return lg_report_node_name(rep, node);
	return lg_class_signature(lg_graph_class_name(rep->graph, node), buf, size);
}
