/* The text report of a wait/event cycle: DEPT's summary, a context per link
 * with its [S]tart, [W]ait and [E]vent, then the chain as lockdep prints
 * one, each link with its task, time and call site. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"
#include "lockgraph/report/report.h"

static const struct lg_wait_dep *wait_dep(const struct lg_report *rep, uint32_t edge)
{
	return edge & LG_WAIT_NODE ?
	       lg_wait_graph_dep(lg_graph_waits(rep->graph), edge & ~LG_WAIT_NODE) : NULL;
}

static void print_at(const struct lg_report *rep, FILE *out, uint32_t site)
{
	const char *name = lg_graph_site_name(rep->graph, site);

	if (name)
		fprintf(out, " at: %s", name);
	fputc('\n', out);
}

static const char *when(uint64_t ns, char *buf, size_t size)
{
	lg_format_time(ns, buf, size);
	return buf;
}

/* Where the held lock of a lock dependency's first sighting was taken. */
static uint32_t held_site(const struct lg_report *rep, const struct lg_dep *d)
{
	const struct lg_held_lock *held = lg_graph_held(rep->graph, &d->first);

	for (uint32_t i = d->first.held_nr; i-- > 0;)
		if (held[i].class == d->from)
			return held[i].site;
	return LG_SITE_UNKNOWN;
}

static void print_start(const struct lg_report *rep, FILE *out, const struct lg_wait_dep *d)
{
	char t[32];

	switch (d->start) {
	case LG_START_WORK:
		fprintf(out, "    [S] work %s [%s]\n",
			d->start_name != LG_NONE ? lg_graph_name(rep->graph, d->start_name) : "?",
			when(d->started.time_ns, t, sizeof(t)));
		break;
	case LG_START_WAIT:
		fprintf(out, "    [S] back from its last wait [%s]\n",
			when(d->started.time_ns, t, sizeof(t)));
		break;
	case LG_START_SEEN:
		fprintf(out, "    [S] (unknown: before its first event [%s])\n",
			when(d->started.time_ns, t, sizeof(t)));
		break;
	default:
		fprintf(out, "    [S] (the %s irq it signalled in)\n", lg_ctx_name(d->event.ctx));
	}
}

/* One context of DEPT's summary: who, and its [S], [W] and [E]. */
static void print_context(const struct lg_report *rep, FILE *out, const struct lg_finding *f,
			  uint32_t i, char letter)
{
	const char *from = lg_report_node_name(rep, f->classes[i]);
	const char *to = lg_report_node_name(rep, f->classes[(i + 1) % f->nr]);
	const struct lg_wait_dep *w = wait_dep(rep, f->deps[i]);

	if (!w) {
		const struct lg_dep *d = lg_graph_dep(rep->graph, f->deps[i]);

		fprintf(out, "context %c: %s/%d\n    [S] lock(%s)", letter,
			d->first.comm, d->first.pid, from);
		print_at(rep, out, held_site(rep, d));
		fprintf(out, "    [W] lock(%s)", to);
		print_at(rep, out, d->first.at);
		fprintf(out, "    [E] unlock(%s)\n\n", from);
	} else if (w->kind == LG_WAIT_DEP_HOLD) {
		fprintf(out, "context %c: %s/%d\n    [S] lock(%s)", letter,
			w->wait.comm, w->wait.pid, from);
		print_at(rep, out, w->lock_at.at);
		fprintf(out, "    [W] wait(%s)%s", to, w->untimed ? "" : " with a timeout");
		print_at(rep, out, w->wait.at);
		fprintf(out, "    [E] unlock(%s)\n\n", from);
	} else {
		fprintf(out, "context %c: %s/%d\n", letter, w->event.comm,
			w->event.pid);
		print_start(rep, out, w);
		fprintf(out, "    [W] lock(%s)", to);
		print_at(rep, out, w->lock_at.at);
		fprintf(out, "    [E] event(%s)", from);
		print_at(rep, out, w->event.at);
		fputc('\n', out);
	}
}

/* A link of the chain: its task, time, CPU and input, and for a wait the
 * event that ended it (a wait no event ended makes no link). */
static void print_link(const struct lg_report *rep, FILE *out, const struct lg_finding *f,
		       uint32_t i)
{
	const char *from = lg_report_node_name(rep, f->classes[i]);
	const char *to = lg_report_node_name(rep, f->classes[(i + 1) % f->nr]);
	const struct lg_wait_dep *w = wait_dep(rep, f->deps[i]);
	char t[32], u[32];

	fprintf(out, "-> #%u (%s):\n", f->nr - 1 - i, to);
	if (!w) {
		const struct lg_dep *d = lg_graph_dep(rep->graph, f->deps[i]);

		fprintf(out, "       taken with %s held by %s/%d [%s] on CPU %u in %s, %" PRIu64
			" time%s\n", from, d->first.comm, d->first.pid,
			when(d->first.time_ns, t, sizeof(t)), d->first.cpu,
			rep->inputs[d->first.input].path, d->count, d->count == 1 ? "" : "s");
		return;
	}
	if (w->kind == LG_WAIT_DEP_HOLD) {
		fprintf(out, "       waited for with %s held by %s/%d [%s] on CPU %u in %s,\n",
			from, w->wait.comm, w->wait.pid, when(w->wait.time_ns, t, sizeof(t)),
			w->wait.cpu, rep->inputs[w->wait.input].path);
		fprintf(out, "       ended by the event of %s/%d [%s]; %" PRIu64 " wait%s, %" PRIu64
			" with a timeout\n", w->event.comm, w->event.pid,
			when(w->event.time_ns, u, sizeof(u)), w->count, w->count == 1 ? "" : "s",
			w->count - w->untimed);
		return;
	}
	fprintf(out, "       %s by %s/%d [%s] on CPU %u in %s,\n",
		w->held_at_event ? "held at its event" : "taken in its event context",
		w->event.comm, w->event.pid, when(w->lock_at.time_ns, t, sizeof(t)),
		w->lock_at.cpu, rep->inputs[w->lock_at.input].path);
	fprintf(out, "       before its event on %s [%s], which ended the wait of %s/%d [%s]\n",
		from, when(w->event.time_ns, u, sizeof(u)), w->wait.comm, w->wait.pid,
		when(w->wait.time_ns, t, sizeof(t)));
}

void lg_report_text_wait(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const struct lg_wait_dep *w = lg_report_wait_of(rep, f);
	bool timed = f->kind == LG_FINDING_WAIT_TIMEOUT;

	lg_report_text_banner(rep, out, timed ? "WARNING: wait/event cycle ended only by a timeout"
					      : "WARNING: possible wait/event deadlock detected",
			      0, f->id, w->count);
	fprintf(out, "%s/%d waits for %s with %s held,\n", w->wait.comm, w->wait.pid,
		lg_report_node_name(rep, f->classes[0]), lg_report_node_name(rep, f->classes[f->nr - 1]));
	fprintf(out, "and the event it waits for needs what the chain below says.\n");
	if (timed)
		fprintf(out, "Every wait of the cycle had a timeout: it stalls, then gives up.\n");
	if (f->index)
		fprintf(out, "%u other cycle%s close%s through this wait, by other locks of the "
			"event's context.\n", f->index, f->index == 1 ? "" : "s",
			f->index == 1 ? "s" : "");
	fprintf(out, "\n---------------------------------------------------\nsummary\n"
		"---------------------------------------------------\n");
	/* the closing wait first, then round the cycle from its event */
	for (uint32_t k = 0; k < f->nr; k++)
		print_context(rep, out, f, (k + f->nr - 1) % f->nr, (char)('A' + k % 26));
	fprintf(out, "[S]: start of the event context\n[W]: the wait blocked\n"
		"[E]: the event not reachable\n\n");
	fprintf(out, "the existing dependency chain (in reverse order) is:\n\n");
	for (uint32_t i = 0; i < f->nr; i++)
		print_link(rep, out, f, i);
	fprintf(out, "\n *** DEADLOCK ***\n\n");
}
