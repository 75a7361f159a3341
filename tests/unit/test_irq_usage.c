/* Irq usage: lockdep's mark_usage() from each event's context and irqs-off
 * flags, and the inconsistent lock states it reports. Traces in text form, so
 * that the flags column is read as a real trace has it. */
#include <stdio.h>

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

/* "CLASS {PREV} -> {NEW}" for each finding, all of them inconsistent states. */
static const char *bugs(struct pipeline *p)
{
	size_t len = 0;

	p->buf[0] = 0;
	for (uint32_t i = 0; i < p->findings->nr; i++) {
		const struct lg_finding *f = &p->findings->v[i];
		const struct lg_usage_bug *bug = lg_graph_usage_bug(p->graph, f->index);

		ck_assert_uint_eq(f->kind, LG_FINDING_INCONSISTENT);
		len += snprintf(p->buf + len, sizeof(p->buf) - len, "%s%s {%s} -> {%s}",
				i ? "; " : "", lg_graph_class_name(p->graph, bug->class),
				lg_usage_name(bug->prev), lg_usage_name(bug->usage));
	}
	return p->buf;
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

Suite *usage_bugs_suite(void)
{
	Suite *s = suite_create("usage_bugs");
	TCase *tc = tcase_create("lockdep");

	tcase_add_test(tc, taken_with_irqs_on_then_in_the_irq);
	tcase_add_test(tc, taken_in_the_irq_then_with_irqs_on);
	tcase_add_test(tc, softirqs_are_off_in_a_softirq_and_under_local_bh_disable);
	tcase_add_test(tc, reads_conflict_with_writes_only);
	tcase_add_test(tc, trylocks_and_nmis_mark_no_irq_use);
	suite_add_tcase(s, tc);
	return s;
}
