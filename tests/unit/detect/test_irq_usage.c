/* Irq usage: lockdep's mark_usage() from each event's context and irqs-off
 * flags, the inconsistent lock states it reports, and irq-safe locks that
 * depend on irq-unsafe ones. Traces in text form, so that the flags column is
 * read as a real trace has it. */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#define ACQ(who, flags, ts, payload) EV(who, "000", flags, ts, "lock_acquire", payload)
#define REL(who, flags, ts, payload) EV(who, "000", flags, ts, "lock_release", payload)
/* irqs-off column: irqs on, irqs off, softirqs off; context: hardirq, softirq */
#define TASK ".N.1."
#define TASK_IRQS_OFF "dN.1."
#define TASK_BH_OFF "bN.1."
#define HARDIRQ "d.h1."
#define SOFTIRQ "..s1."
#define NMI "d.Z1."

/* "CLASS {PREV} -> {NEW}" for each inconsistent lock state, in order. */
static const char *bugs(struct pipeline *p)
{
	size_t len = 0;

	p->buf[0] = 0;
	for (uint32_t i = 0; i < p->findings->nr; i++) {
		const struct lg_finding *f = &p->findings->v[i];
		const struct lg_usage_bug *bug;

		if (f->kind != LG_FINDING_INCONSISTENT)
			continue;
		bug = lg_graph_usage_bug(p->graph, f->index);
		len += snprintf(p->buf + len, sizeof(p->buf) - len, "%s%s {%s} -> {%s}",
				len ? "; " : "", lg_graph_class_name(p->graph, bug->class),
				lg_usage_name(bug->prev), lg_usage_name(bug->usage));
	}
	return p->buf;
}

static uint32_t class_of(struct pipeline *p, const char *name)
{
	return lg_graph_class(p->graph, lg_strtab_intern(p->a.names, name, strlen(name)));
}

START_TEST(taken_with_irqs_on_then_in_the_irq)
{
	struct pipeline p = { 0 };
	const struct lg_usage_bug *bug;

	pipeline_run(&p,
		ACQ("insmod-43", TASK, "5.000001", "00000000000000a0 fence_lock")
		REL("insmod-43", TASK, "5.000002", "00000000000000a0 fence_lock")
		ACQ("insmod-43", HARDIRQ, "5.000003", "00000000000000a0 fence_lock"));
	ck_assert_str_eq(bugs(&p), "fence_lock {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}");
	bug = lg_graph_usage_bug(p.graph, 0);
	ck_assert_uint_eq(bug->first.ctx, LG_CTX_HARDIRQ);
	ck_assert_uint_eq(bug->first.time_ns, 5000003000ULL);
	ck_assert_uint_eq(lg_graph_usage_site(p.graph, bug->class, bug->prev)->time_ns,
			  5000001000ULL);
	pipeline_free(&p);
}
END_TEST

START_TEST(taken_in_the_irq_then_with_irqs_on)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 &q->lock")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &q->lock")
		ACQ("t-1", TASK_IRQS_OFF, "1.000003", "00000000000000a0 &q->lock")	/* fine */
		REL("t-1", TASK_IRQS_OFF, "1.000004", "00000000000000a0 &q->lock")
		ACQ("t-1", TASK, "1.000005", "00000000000000a0 &q->lock")
		REL("t-1", TASK, "1.000006", "00000000000000a0 &q->lock")
		ACQ("t-2", TASK, "1.000007", "00000000000000a0 &q->lock"));	/* once */
	ck_assert_str_eq(bugs(&p), "&q->lock {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}");
	pipeline_free(&p);
}
END_TEST

/*
 * spin_lock_irq(&l); ...; local_irq_enable(); ...: lockdep marks l
 * HARDIRQ-ON at mark_held_locks(). The trace has no event there, but the next
 * event of the task (or the release, which fires while l is still held) shows
 * irqs on: l is marked then, and where.
 */
START_TEST(held_when_irqs_come_back_on)
{
	struct pipeline p = { 0 };
	const struct lg_usage_bug *bug;

	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 &q->lock")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &q->lock")
		ACQ("t-1", TASK_IRQS_OFF, "1.000003", "00000000000000a0 &q->lock")
		ACQ("t-1", TASK_IRQS_OFF, "1.000004", "00000000000000b0 read &m->rwlock")
		ACQ("t-1", TASK_IRQS_OFF, "1.000005", "00000000000000c0 &lg_nv")
		REL("t-1", TASK, "1.000006", "00000000000000c0 &lg_nv"));
	ck_assert_str_eq(bugs(&p), "&q->lock {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}");
	bug = lg_graph_usage_bug(p.graph, 0);
	ck_assert_uint_eq(bug->first.time_ns, 1000006000ULL);
	ck_assert_uint_eq(bug->first.held_nr, 3);
	ck_assert(lg_graph_class_usage(p.graph, bug->class) & (1U << LG_USAGE_ENABLED));
	/* a read lock is marked as read; softirqs were on too (a task, no 'b') */
	ck_assert(lg_graph_usage_site(p.graph, class_of(&p, "&m->rwlock"),
				      LG_USAGE_ENABLED | LG_USAGE_READ | LG_USAGE_SOFTIRQ));
	pipeline_free(&p);
}
END_TEST

/* Bottom halves back on with the lock held: SOFTIRQ-ON, but only where
 * hardirqs are on too, and never from an irq's own events. */
START_TEST(held_when_bottom_halves_come_back_on)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("ksoftirqd/0-12", SOFTIRQ, "1.000001", "00000000000000b0 &sk->lock")
		REL("ksoftirqd/0-12", SOFTIRQ, "1.000002", "00000000000000b0 &sk->lock")
		ACQ("t-1", TASK_BH_OFF, "1.000003", "00000000000000b0 &sk->lock")
		ACQ("t-1", HARDIRQ, "1.000004", "00000000000000d0 &irq->lock")
		REL("t-1", HARDIRQ, "1.000005", "00000000000000d0 &irq->lock")
		REL("t-1", TASK_BH_OFF, "1.000006", "00000000000000b0 &sk->lock")
		ACQ("t-2", TASK_BH_OFF, "1.000007", "00000000000000b0 &sk->lock")
		ACQ("t-2", TASK, "1.000008", "00000000000000e0 &other"));
	ck_assert_str_eq(bugs(&p), "&sk->lock {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W}");
	ck_assert_uint_eq(lg_graph_usage_bug(p.graph, 0)->first.time_ns, 1000008000ULL);
	pipeline_free(&p);
}
END_TEST

START_TEST(softirqs_are_off_in_a_softirq_and_under_local_bh_disable)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("ksoftirqd/0-12", SOFTIRQ, "1.000001", "00000000000000b0 &sk->lock")
		REL("ksoftirqd/0-12", SOFTIRQ, "1.000002", "00000000000000b0 &sk->lock")
		ACQ("t-1", TASK_BH_OFF, "1.000003", "00000000000000b0 &sk->lock")	/* fine */
		REL("t-1", TASK_BH_OFF, "1.000004", "00000000000000b0 &sk->lock")
		/* a softirq taking a lock with irqs on makes it HARDIRQ-ON only */
		ACQ("ksoftirqd/0-12", SOFTIRQ, "1.000005", "00000000000000c0 &other")
		REL("ksoftirqd/0-12", SOFTIRQ, "1.000006", "00000000000000c0 &other"));
	ck_assert_str_eq(bugs(&p), "");
	pipeline_free(&p);
	pipeline_run(&p,
		ACQ("ksoftirqd/0-12", SOFTIRQ, "1.000001", "00000000000000b0 &sk->lock")
		REL("ksoftirqd/0-12", SOFTIRQ, "1.000002", "00000000000000b0 &sk->lock")
		ACQ("t-1", TASK, "1.000003", "00000000000000b0 &sk->lock"));
	ck_assert_str_eq(bugs(&p), "&sk->lock {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W}");
	pipeline_free(&p);
}
END_TEST

/* Readers only contradict writers, and a writer contradicts both. */
START_TEST(reads_conflict_with_writes_only)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 read &rw")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &rw")
		ACQ("t-1", TASK, "1.000003", "00000000000000a0 read &rw")
		REL("t-1", TASK, "1.000004", "00000000000000a0 &rw"));
	ck_assert_str_eq(bugs(&p), "");
	pipeline_free(&p);
	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 read &rw")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &rw")
		ACQ("t-1", TASK, "1.000003", "00000000000000a0 &rw"));
	ck_assert_str_eq(bugs(&p), "&rw {IN-HARDIRQ-R} -> {HARDIRQ-ON-W}");
	pipeline_free(&p);
}
END_TEST

/* A trylock in an irq never waits there; NMIs are not followed by lockdep. */
START_TEST(trylocks_and_nmis_mark_no_irq_use)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 try &a")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &a")
		ACQ("t-0", NMI, "1.000003", "00000000000000b0 &b")
		REL("t-0", NMI, "1.000004", "00000000000000b0 &b")
		ACQ("t-1", TASK, "1.000005", "00000000000000a0 &a")
		REL("t-1", TASK, "1.000006", "00000000000000a0 &a")
		ACQ("t-1", TASK, "1.000007", "00000000000000b0 &b"));
	ck_assert_str_eq(bugs(&p), "");
	pipeline_free(&p);
}
END_TEST

/* "IRQ: SAFE -> ... -> UNSAFE" for each irq-order finding, in order. */
static const char *orders(struct pipeline *p)
{
	char *buf = p->buf + sizeof(p->buf) / 2;
	size_t len = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < p->findings->nr; i++) {
		const struct lg_finding *f = &p->findings->v[i];

		if (f->kind != LG_FINDING_IRQ_ORDER && f->kind != LG_FINDING_IRQ_INVERSION)
			continue;
		len += snprintf(buf + len, sizeof(p->buf) / 2 - len, "%s%s%s: %s", len ? "; " : "",
				lg_irq_state_name(f->usage[0]),
				f->kind == LG_FINDING_IRQ_ORDER ? "" :
				f->index ? " inversion, unsafe last" : " inversion, safe last",
				pipeline_classes(p, i));
	}
	return buf;
}

#define HOLD(who, flags, ts, outer, inner)				\
	ACQ(who, flags, ts "1", outer) ACQ(who, flags, ts "2", inner)	\
	REL(who, flags, ts "3", inner) REL(who, flags, ts "4", outer)

START_TEST(an_irq_safe_lock_must_not_reach_an_irq_unsafe_one)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 &fence->lock")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &fence->lock")
		HOLD("t-1", TASK_IRQS_OFF, "2.00000", "00000000000000a0 &fence->lock",
		     "00000000000000b0 &ring->lock")
		HOLD("t-1", TASK_IRQS_OFF, "3.00000", "00000000000000b0 &ring->lock",
		     "00000000000000c0 &job->lock")
		ACQ("t-2", TASK, "4.000001", "00000000000000c0 &job->lock"));
	/* the usage came last: lockdep's "possible irq lock inversion" */
	ck_assert_str_eq(orders(&p), "HARDIRQ inversion, unsafe last: &fence->lock -> "
			 "&ring->lock -> &job->lock");
	ck_assert_uint_eq(p.findings->nr, 1);
	/* it became true when job->lock became irq-unsafe, the last piece */
	ck_assert_uint_eq(p.findings->v[0].seq,
			  lg_graph_usage_seq(p.graph, p.findings->v[0].classes[2],
					     LG_USAGE_ENABLED));
	pipeline_free(&p);
	/* with job->lock only ever taken with irqs off, all is well */
	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 &fence->lock")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &fence->lock")
		HOLD("t-1", TASK_IRQS_OFF, "2.00000", "00000000000000a0 &fence->lock",
		     "00000000000000c0 &job->lock"));
	ck_assert_str_eq(orders(&p), "");
	pipeline_free(&p);
}
END_TEST

START_TEST(softirq_safe_and_unsafe)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("ksoftirqd/0-12", SOFTIRQ, "1.000001", "00000000000000a0 &sk->lock")
		REL("ksoftirqd/0-12", SOFTIRQ, "1.000002", "00000000000000a0 &sk->lock")
		HOLD("t-1", TASK_BH_OFF, "2.00000", "00000000000000a0 &sk->lock",
		     "00000000000000b0 &queue->lock")
		ACQ("t-2", TASK_BH_OFF, "3.000001", "00000000000000b0 &queue->lock"));
	ck_assert_str_eq(orders(&p), "");	/* queue->lock always under BH off */
	pipeline_free(&p);
	pipeline_run(&p,
		ACQ("ksoftirqd/0-12", SOFTIRQ, "1.000001", "00000000000000a0 &sk->lock")
		REL("ksoftirqd/0-12", SOFTIRQ, "1.000002", "00000000000000a0 &sk->lock")
		HOLD("t-1", TASK_BH_OFF, "2.00000", "00000000000000a0 &sk->lock",
		     "00000000000000b0 &queue->lock")
		ACQ("t-2", TASK, "3.000001", "00000000000000b0 &queue->lock"));
	/* HARDIRQ-ON too, but nothing is HARDIRQ-safe */
	ck_assert_str_eq(orders(&p), "SOFTIRQ inversion, unsafe last: &sk->lock -> &queue->lock");
	pipeline_free(&p);
}
END_TEST

/* Only strong paths count: not a recursive read followed by a reader. */
START_TEST(the_chain_must_be_a_strong_path)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 &a")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &a")
		/* a -(ER)-> rw: a recursive read, in a softirq with irqs off */
		HOLD("t-1", "d.s1.", "2.00000", "00000000000000a0 &a", "00000000000000b0 read &rw")
		/* rw -(SN)-> c: from a reader */
		HOLD("t-1", TASK_IRQS_OFF, "3.00000", "00000000000000b0 read &rw",
		     "00000000000000c0 &c")
		ACQ("t-2", TASK, "4.000001", "00000000000000c0 &c"));
	ck_assert_str_eq(orders(&p), "");
	pipeline_free(&p);
	pipeline_run(&p,
		ACQ("irq-0", HARDIRQ, "1.000001", "00000000000000a0 &a")
		REL("irq-0", HARDIRQ, "1.000002", "00000000000000a0 &a")
		HOLD("t-1", "d.s1.", "2.00000", "00000000000000a0 &a", "00000000000000b0 read &rw")
		/* rw -(EN)-> c: from a writer, strong */
		HOLD("t-1", TASK_IRQS_OFF, "3.00000", "00000000000000b0 &rw",
		     "00000000000000c0 &c")
		ACQ("t-2", TASK, "4.000001", "00000000000000c0 &c"));
	/* a was taken in the softirq too: softirq-safe as well; and rw, read
	 * in that softirq, is SOFTIRQ-READ-safe where a writer holds it */
	ck_assert_str_eq(orders(&p), "HARDIRQ inversion, unsafe last: &a -> &rw -> &c; "
			 "SOFTIRQ-READ inversion, unsafe last: &rw -> &c; "
			 "SOFTIRQ inversion, unsafe last: &a -> &rw -> &c");
	pipeline_free(&p);
}
END_TEST

/*
 * Read usages (usage_accumulate(), usage_match()): a lock read in an irq
 * (IN-*-R, rwlock_t read sides) is irq-safe where it was held exclusively
 * when it took the next lock; each order of the events gives the report
 * lockdep gives at the last one.
 */
START_TEST(read_in_an_irq_is_safe_where_held_exclusively)
{
	static const char *const ctx[] = { HARDIRQ, SOFTIRQ };
	static const char *const off[] = { TASK_IRQS_OFF, TASK_BH_OFF };
	static const char *const state[] = { "HARDIRQ-READ", "SOFTIRQ-READ" };
	struct pipeline p = { 0 };
	char trace[2048], want[128];

	for (int i = 0; i < 2; i++) {
		/* the usages first, the dependency last */
		snprintf(trace, sizeof(trace),
			 ACQ("irq-0", "%1$s", "1.000001", "00000000000000a0 read &fown->lock")
			 REL("irq-0", "%1$s", "1.000002", "00000000000000a0 &fown->lock")
			 ACQ("t-2", TASK, "2.000001", "00000000000000b0 &q->lock")
			 REL("t-2", TASK, "2.000002", "00000000000000b0 &q->lock")
			 ACQ("t-1", "%2$s", "3.000001", "00000000000000a0 &fown->lock")
			 ACQ("t-1", "%2$s", "3.000002", "00000000000000b0 &q->lock"), ctx[i], off[i]);
		pipeline_run(&p, trace);
		snprintf(want, sizeof(want), "%s: &fown->lock -> &q->lock", state[i]);
		ck_assert_str_eq(orders(&p), want);
		ck_assert_str_eq(lg_usage_name(p.findings->v[0].usage[1]),
				 i ? "SOFTIRQ-ON-W" : "HARDIRQ-ON-W");
		pipeline_free(&p);
		/* the dependency first, the irq's read last */
		snprintf(trace, sizeof(trace),
			 ACQ("t-1", "%2$s", "1.000001", "00000000000000a0 &fown->lock")
			 ACQ("t-1", "%2$s", "1.000002", "00000000000000b0 &q->lock")
			 ACQ("t-2", TASK, "2.000001", "00000000000000b0 &q->lock")
			 REL("t-2", TASK, "2.000002", "00000000000000b0 &q->lock")
			 ACQ("irq-0", "%1$s", "3.000001", "00000000000000a0 read &fown->lock"), ctx[i], off[i]);
		pipeline_run(&p, trace);
		snprintf(want, sizeof(want), "%s inversion, safe last: &fown->lock -> &q->lock",
			 state[i]);
		ck_assert_str_eq(orders(&p), want);
		pipeline_free(&p);
		/* held for read when it took q->lock (read_lock in a task: read=1,
		 * an -(SN)-> step): an irq's read of it waits for no one */
		snprintf(trace, sizeof(trace),
			 ACQ("irq-0", "%1$s", "1.000001", "00000000000000a0 read &fown->lock")
			 REL("irq-0", "%1$s", "1.000002", "00000000000000a0 &fown->lock")
			 ACQ("t-2", TASK, "2.000001", "00000000000000b0 &q->lock")
			 ACQ("t-1", TASK_IRQS_OFF, "3.000001", "00000000000000a0 read &fown->lock")
			 ACQ("t-1", TASK_IRQS_OFF, "3.000002", "00000000000000b0 &q->lock"), ctx[i]);
		pipeline_run(&p, trace);
		ck_assert_str_eq(orders(&p), "");
		pipeline_free(&p);
	}
}
END_TEST

/*
 * A lock read with the irq enabled (*-ON-R) is irq-unsafe where the chain
 * reached it by a non-recursive acquisition (read_lock() in a task with irqs
 * off: read=1), as send_sigurg()'s &f->f_owner.lock was in the splats of
 * "fcntl: fix potential deadlock for &fasync_struct.fa_lock".
 */
START_TEST(read_with_the_irq_enabled_is_unsafe_where_reached_non_recursively)
{
	static const char *const ctx[] = { HARDIRQ, SOFTIRQ };
	static const char *const state[] = { "HARDIRQ", "SOFTIRQ" };
	struct pipeline p = { 0 };
	char trace[2048], want[160];

	for (int i = 0; i < 2; i++) {
		/* the usages first, the dependency last */
		snprintf(trace, sizeof(trace),
			 ACQ("irq-0", "%1$s", "1.000001", "00000000000000a0 &dev->event_lock")
			 REL("irq-0", "%1$s", "1.000002", "00000000000000a0 &dev->event_lock")
			 ACQ("t-2", TASK, "2.000001", "00000000000000b0 read &f->f_owner.lock")
			 REL("t-2", TASK, "2.000002", "00000000000000b0 &f->f_owner.lock")
			 ACQ("t-1", TASK_IRQS_OFF, "3.000001", "00000000000000a0 &dev->event_lock")
			 ACQ("t-1", TASK_IRQS_OFF, "3.000002", "00000000000000b0 read &f->f_owner.lock"), ctx[i]);
		pipeline_run(&p, trace);
		snprintf(want, sizeof(want), "%s: &dev->event_lock -> &f->f_owner.lock", state[i]);
		ck_assert_str_eq(orders(&p), want);
		ck_assert_str_eq(lg_usage_name(p.findings->v[0].usage[1]),
				 i ? "SOFTIRQ-ON-R" : "HARDIRQ-ON-R");
		pipeline_free(&p);
		/* the dependency first, the read with irqs on last */
		snprintf(trace, sizeof(trace),
			 ACQ("irq-0", "%1$s", "1.000001", "00000000000000a0 &dev->event_lock")
			 REL("irq-0", "%1$s", "1.000002", "00000000000000a0 &dev->event_lock")
			 ACQ("t-1", TASK_IRQS_OFF, "2.000001", "00000000000000a0 &dev->event_lock")
			 ACQ("t-1", TASK_IRQS_OFF, "2.000002", "00000000000000b0 read &f->f_owner.lock")
			 ACQ("t-2", TASK, "3.000001", "00000000000000b0 read &f->f_owner.lock"), ctx[i]);
		pipeline_run(&p, trace);
		snprintf(want, sizeof(want), "%s inversion, unsafe last: &dev->event_lock -> "
			 "&f->f_owner.lock", state[i]);
		ck_assert_str_eq(orders(&p), want);
		pipeline_free(&p);
		/* reached by a recursive read only (read_lock() in an irq): fine */
		snprintf(trace, sizeof(trace),
			 ACQ("irq-0", "%1$s", "1.000001", "00000000000000a0 &dev->event_lock")
			 ACQ("irq-0", "%1$s", "1.000002", "00000000000000b0 read &f->f_owner.lock")
			 REL("irq-0", "%1$s", "1.000003", "00000000000000b0 &f->f_owner.lock")
			 ACQ("t-2", TASK, "2.000001", "00000000000000b0 read &f->f_owner.lock"), ctx[i]);
		pipeline_run(&p, trace);
		ck_assert_str_eq(orders(&p), "");
		pipeline_free(&p);
	}
}
END_TEST

Suite *irq_usage_suite(void)
{
	Suite *s = suite_create("irq_usage");
	TCase *tc = tcase_create("lockdep");

	tcase_add_test(tc, taken_with_irqs_on_then_in_the_irq);
	tcase_add_test(tc, taken_in_the_irq_then_with_irqs_on);
	tcase_add_test(tc, held_when_irqs_come_back_on);
	tcase_add_test(tc, held_when_bottom_halves_come_back_on);
	tcase_add_test(tc, softirqs_are_off_in_a_softirq_and_under_local_bh_disable);
	tcase_add_test(tc, reads_conflict_with_writes_only);
	tcase_add_test(tc, trylocks_and_nmis_mark_no_irq_use);
	tcase_add_test(tc, an_irq_safe_lock_must_not_reach_an_irq_unsafe_one);
	tcase_add_test(tc, softirq_safe_and_unsafe);
	tcase_add_test(tc, the_chain_must_be_a_strong_path);
	tcase_add_test(tc, read_in_an_irq_is_safe_where_held_exclusively);
	tcase_add_test(tc, read_with_the_irq_enabled_is_unsafe_where_reached_non_recursively);
	suite_add_tcase(s, tc);
	return s;
}
