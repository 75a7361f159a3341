/* Cycle detection: lockdep's strong-path rule for reads, shortest cycles,
 * every distinct cycle once, framed by the dependency seen last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "unit.h"

#define ACQ(who, flags, ts, payload) EV(who, "000", flags, ts, "lock_acquire", payload)
#define REL(who, flags, ts, payload) EV(who, "000", flags, ts, "lock_release", payload)

/* who takes first then second (each "[read ]NAME" at address a1, a2), then drops both. */
#define PAIR(who, flags, ts, a1, first, a2, second)		\
	ACQ(who, flags, ts "1", a1 " " first)			\
	ACQ(who, flags, ts "2", a2 " " second)			\
	REL(who, flags, ts "3", a2 " x")			\
	REL(who, flags, ts "4", a1 " x")

#define A "000000000000000a"
#define B "000000000000000b"
#define C "000000000000000c"
#define D "000000000000000d"

START_TEST(abba_is_one_cycle_closed_by_the_later_dependency)
{
	struct pipeline p = { 0 };

	pipeline_run(&p, PAIR("t-1", ".....", "1.00000", A, "&a->lock", B, "&b->lock")
			 PAIR("u-2", ".....", "2.00000", B, "&b->lock", A, "&a->lock"));
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_int_eq(p.findings->v[0].kind, LG_FINDING_CIRCULAR);
	/* u-2 completed it acquiring &a->lock while holding &b->lock */
	ck_assert_str_eq(pipeline_classes(&p, 0), "&a->lock -> &b->lock");
	const struct lg_dep *closing = lg_graph_dep(p.graph, p.findings->v[0].deps[1]);

	ck_assert_str_eq(lg_graph_class_name(p.graph, closing->from), "&b->lock");
	ck_assert_int_eq(closing->first.pid, 2);
	ck_assert_uint_eq(closing->first.time_ns, 2000002000ULL);
	pipeline_free(&p);
}
END_TEST

START_TEST(three_lock_chain_in_cycle_order)
{
	struct pipeline p = { 0 };

	pipeline_run(&p, PAIR("t-1", ".....", "1.00000", A, "A", B, "B")
			 PAIR("t-1", ".....", "2.00000", B, "B", C, "C")
			 PAIR("t-1", ".....", "3.00000", C, "C", A, "A"));
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_str_eq(pipeline_classes(&p, 0), "A -> B -> C");
	pipeline_free(&p);
}
END_TEST

START_TEST(recursive_reads_in_irq_do_not_deadlock)
{
	struct pipeline p = { 0 };

	/* read_lock() in softirq is a recursive read: -(SR)-> -(SR)-> is not strong */
	pipeline_run(&p, PAIR("t-1", "..s1.", "1.00000", A, "read &tbl->lock", B, "read &idev->lock")
			 PAIR("u-2", "..s1.", "2.00000", B, "read &idev->lock", A, "read &tbl->lock"));
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 2);
	ck_assert_uint_eq(p.findings->nr, 0);
	pipeline_free(&p);
}
END_TEST

START_TEST(non_recursive_reads_can_deadlock)
{
	struct pipeline p = { 0 };

	/* down_read() blocks behind a waiting writer: -(SN)-> -(SN)-> is strong */
	pipeline_run(&p, PAIR("t-1", ".....", "1.00000", A, "read &a->sem", B, "read &b->sem")
			 PAIR("u-2", ".....", "2.00000", B, "read &b->sem", A, "read &a->sem"));
	ck_assert_uint_eq(p.findings->nr, 1);
	pipeline_free(&p);
}
END_TEST

START_TEST(recursive_read_then_shared_holder_is_not_strong)
{
	struct pipeline p = { 0 };

	/* A -(ER)-> B -(SN)-> A: B reached by a recursive read, left as a reader */
	pipeline_run(&p, PAIR("t-1", "d.s1.", "1.00000", A, "A", B, "read B")
			 PAIR("u-2", "d....", "2.00000", B, "read B", A, "read A"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "A", "B"));
	ck_assert_uint_eq(pipeline_dep(&p, "A", "B")->types, LG_DEP_ER);
	ck_assert_uint_eq(pipeline_dep(&p, "B", "A")->types, LG_DEP_SN);
	ck_assert_uint_eq(p.findings->nr, 0);
	pipeline_free(&p);
}
END_TEST

START_TEST(recursive_read_then_exclusive_holder_is_strong)
{
	struct pipeline p = { 0 };

	/* A -(ER)-> B -(EN)-> A */
	pipeline_run(&p, PAIR("t-1", "d.s1.", "1.00000", A, "A", B, "read B")
			 PAIR("u-2", "d....", "2.00000", B, "B", A, "read A"));
	ck_assert_uint_eq(p.findings->nr, 1);
	pipeline_free(&p);
}
END_TEST

START_TEST(longer_strong_cycle_found_past_a_weak_short_one)
{
	struct pipeline p = { 0 };

	pipeline_run(&p, PAIR("t-1", "d.s1.", "1.00000", A, "A", B, "read B")	/* ER */
			 PAIR("u-2", "d....", "2.00000", B, "read B", A, "read A")	/* SN */
			 PAIR("u-2", "d....", "3.00000", B, "B", C, "C")		/* EN */
			 PAIR("u-2", "d....", "4.00000", C, "C", A, "A"));		/* EN */
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_str_eq(pipeline_classes(&p, 0), "A -> B -> C");
	pipeline_free(&p);
}
END_TEST

START_TEST(walks_through_a_class_twice_are_not_cycles)
{
	struct pipeline p = { 0 };

	/* U->V->C->D->C->U is strong only by passing C twice; C<->D is the cycle */
	pipeline_run(&p, PAIR("t-1", "d....", "1.00000", A, "U", B, "V")		/* EN */
			 PAIR("t-1", "d.s1.", "2.00000", B, "V", C, "read C")	/* ER */
			 PAIR("t-1", "d....", "3.00000", C, "read C", A, "U")	/* SN */
			 PAIR("t-1", "d....", "4.00000", C, "C", D, "D")
			 PAIR("t-1", "d....", "5.00000", D, "D", C, "C"));
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_str_eq(pipeline_classes(&p, 0), "C -> D");
	pipeline_free(&p);
}
END_TEST

START_TEST(every_distinct_cycle_once_in_firing_order)
{
	struct pipeline p = { 0 };

	pipeline_run(&p, PAIR("t-1", ".....", "1.00000", A, "A", B, "B")
			 PAIR("t-1", ".....", "2.00000", C, "C", D, "D")
			 PAIR("t-1", ".....", "3.00000", D, "D", C, "C")	/* fires first */
			 PAIR("t-1", ".....", "4.00000", B, "B", A, "A")
			 PAIR("t-1", ".....", "5.00000", B, "B", A, "A")
			 PAIR("t-1", ".....", "6.00000", D, "D", C, "C"));
	ck_assert_uint_eq(p.findings->nr, 2);
	ck_assert_str_eq(pipeline_classes(&p, 0), "C -> D");
	ck_assert_str_eq(pipeline_classes(&p, 1), "A -> B");
	ck_assert_uint_eq(pipeline_dep(&p, "B", "A")->count, 2);
	pipeline_free(&p);
}
END_TEST

START_TEST(shortest_cycle_per_dependency)
{
	struct pipeline p = { 0 };

	/* A->B, B->C, C->A and B->A: the 2-cycle and the 3-cycle are distinct */
	pipeline_run(&p, PAIR("t-1", ".....", "1.00000", A, "A", B, "B")
			 PAIR("t-1", ".....", "2.00000", B, "B", C, "C")
			 PAIR("t-1", ".....", "3.00000", C, "C", A, "A")
			 PAIR("t-1", ".....", "4.00000", B, "B", A, "A"));
	ck_assert_uint_eq(p.findings->nr, 2);
	ck_assert_str_eq(pipeline_classes(&p, 0), "A -> B -> C");
	ck_assert_str_eq(pipeline_classes(&p, 1), "A -> B");
	pipeline_free(&p);
}
END_TEST

START_TEST(ids_do_not_depend_on_trace_order)
{
	struct pipeline p = { 0 }, q = { 0 };

	pipeline_run(&p, PAIR("t-1", ".....", "1.00000", A, "A", B, "B")
			 PAIR("t-1", ".....", "2.00000", B, "B", C, "C")
			 PAIR("t-1", ".....", "3.00000", C, "C", A, "A"));
	pipeline_run(&q, PAIR("x-9", ".....", "1.00000", C, "C", A, "A")
			 PAIR("y-8", ".....", "2.00000", A, "A", B, "B")
			 PAIR("z-7", ".....", "3.00000", B, "B", C, "C"));
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_uint_eq(q.findings->nr, 1);
	ck_assert_str_eq(pipeline_classes(&q, 0), "C -> A -> B");
	ck_assert_str_eq(p.findings->v[0].id, q.findings->v[0].id);
	ck_assert_int_eq(strncmp(p.findings->v[0].id, "cd-", 3), 0);
	pipeline_free(&p);
	pipeline_free(&q);
}
END_TEST

START_TEST(deep_acyclic_graph_has_no_finding)
{
	struct pipeline p = { 0 };
	size_t size = 1000 * 80 * 80, off = 0;
	char *trace = malloc(size);

	/* 1000 classes nested in one order, 40 at a time */
	for (int i = 0; i < 1000; i++) {
		for (int k = 0; k < 40 && i + k < 1000; k++)
			off += snprintf(trace + off, size - off,
					"  t-1  [000] .....  1.000000: lock_acquire: %016x L%d\n", i + k + 1, i + k);
		for (int k = 0; k < 40 && i + k < 1000; k++)
			off += snprintf(trace + off, size - off,
					"  t-1  [000] .....  1.000000: lock_release: %016x L\n", i + k + 1);
	}
	ck_assert_uint_lt(off, size);
	pipeline_run(&p, trace);
	free(trace);
	ck_assert_uint_eq(lg_graph_nr_classes(p.graph), 1000);
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 999);
	ck_assert_uint_eq(p.findings->nr, 0);
	pipeline_free(&p);
}
END_TEST

/* A trace of pairs: for each (from, to), task t-1 takes Lfrom then Lto. */
struct pairs {
	char *trace;
	size_t size, off;
};

static void pairs_add(struct pairs *t, int from, int to)
{
	if (t->size - t->off < 512) {
		t->size = t->size * 2 + 4096;
		t->trace = realloc(t->trace, t->size);
	}
	t->off += snprintf(t->trace + t->off, t->size - t->off,
			   "  t-1  [000] .....  1.000000: lock_acquire: %016x L%d\n"
			   "  t-1  [000] .....  1.000000: lock_acquire: %016x L%d\n"
			   "  t-1  [000] .....  1.000000: lock_release: %016x L\n"
			   "  t-1  [000] .....  1.000000: lock_release: %016x L\n",
			   from + 1, from, to + 1, to, to + 1, from + 1);
}

static void pairs_run(struct pipeline *p, struct pairs *t)
{
	pipeline_run(p, t->trace);
	free(t->trace);
}

START_TEST(cycles_of_one_component_are_one_group)
{
	struct pipeline p = { 0 };
	struct pairs t = { 0 };

	/* a hub with three leaves, both ways: three two-class cycles */
	for (int i = 1; i <= 3; i++)
		pairs_add(&t, 0, i);
	for (int i = 1; i <= 3; i++)
		pairs_add(&t, i, 0);
	pairs_run(&p, &t);
	ck_assert_uint_eq(p.findings->nr, 3);
	ck_assert_uint_eq(p.findings->nr_groups, 1);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_uint_eq(p.findings->v[i].group, 0);
	const struct lg_cycle_group *g = &p.findings->groups[0];

	ck_assert_uint_eq(g->nr_cycles, 3);
	ck_assert_uint_eq(g->nr_classes, 4);
	ck_assert_uint_eq(g->nr_deps, 6);
	ck_assert_uint_eq(g->first, 0);
	ck_assert_uint_eq(g->shortest, 0);
	ck_assert_uint_eq(g->unsearched, 0);
	pipeline_free(&p);
}
END_TEST

START_TEST(groups_numbered_by_their_first_cycle_with_their_shortest)
{
	struct pipeline p = { 0 };
	struct pairs t = { 0 };

	/* component {5, 6}: a cycle at the third pair; component {0, 1, 2}: a
	 * three-class cycle at the fifth, then a two-class one */
	pairs_add(&t, 0, 1);
	pairs_add(&t, 5, 6);
	pairs_add(&t, 6, 5);
	pairs_add(&t, 1, 2);
	pairs_add(&t, 2, 0);
	pairs_add(&t, 1, 0);
	pairs_run(&p, &t);
	ck_assert_uint_eq(p.findings->nr, 3);
	ck_assert_uint_eq(p.findings->nr_groups, 2);
	ck_assert_str_eq(pipeline_classes(&p, 0), "L5 -> L6");
	ck_assert_uint_eq(p.findings->v[0].group, 0);
	ck_assert_uint_eq(p.findings->v[1].group, 1);
	ck_assert_uint_eq(p.findings->v[2].group, 1);
	const struct lg_cycle_group *g = &p.findings->groups[1];

	ck_assert_uint_eq(g->nr_cycles, 2);
	ck_assert_uint_eq(g->nr_classes, 3);
	ck_assert_uint_eq(g->first, 1);
	ck_assert_uint_eq(p.findings->v[1].nr, 3);
	ck_assert_uint_eq(g->shortest, 2);
	ck_assert_uint_eq(p.findings->v[2].nr, 2);
	pipeline_free(&p);
}
END_TEST

START_TEST(a_ring_of_many_classes_is_one_cycle)
{
	struct pipeline p = { 0 };
	struct pairs t = { 0 };

	for (int i = 0; i < 20000; i++)
		pairs_add(&t, i, (i + 1) % 20000);
	pairs_run(&p, &t);
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_uint_eq(p.findings->v[0].nr, 20000);
	/* closed by the last dependency seen, L19999 -> L0 */
	ck_assert_str_eq(lg_graph_class_name(p.graph, p.findings->v[0].classes[0]), "L0");
	ck_assert_uint_eq(p.findings->groups[0].nr_classes, 20000);
	ck_assert_uint_eq(p.findings->groups[0].unsearched, 0);
	pipeline_free(&p);
}
END_TEST

START_TEST(the_cap_stops_long_searches_not_two_class_cycles)
{
	struct pipeline p = { 0 };
	struct pairs t = { 0 };
	uint32_t two = LG_NONE;

	/* a ring of 6000 with a chord: each dependency's search goes round it,
	 * 6000^2 steps in all, past the cap; then L1 -> L0 after all of them */
	for (int i = 0; i < 6000; i++)
		pairs_add(&t, i, (i + 1) % 6000);
	pairs_add(&t, 0, 2);
	pairs_add(&t, 1, 0);
	pairs_run(&p, &t);
	ck_assert_uint_eq(p.findings->nr_groups, 1);
	ck_assert_uint_gt(p.findings->groups[0].unsearched, 0);
	ck_assert_uint_lt(p.findings->groups[0].unsearched, 6002);
	for (uint32_t i = 0; i < p.findings->nr; i++)
		if (p.findings->v[i].nr == 2)
			two = i;
	ck_assert_uint_ne(two, LG_NONE);
	ck_assert_str_eq(pipeline_classes(&p, two), "L0 -> L1");
	pipeline_free(&p);
}
END_TEST

static const char *signature(const char *name)
{
	static char buf[128];

	return lg_class_signature(name, buf, sizeof(buf));
}

/* what ids hash: nothing of the run (tgid, ASLR, the order keys were met) */
START_TEST(class_signatures_leave_the_run_out)
{
	ck_assert_str_eq(signature("&amdgpu_notifier_lock_key"), "&amdgpu_notifier_lock_key");
	ck_assert_str_eq(signature("&xa->xa_lock#9"), "&xa->xa_lock");
	ck_assert_str_eq(signature("&vm->mutex#2/1"), "&vm->mutex/1");
	ck_assert_str_eq(signature("&vm->mutex/1"), "&vm->mutex/1");
	ck_assert_str_eq(signature("a#b#3"), "a#b");		/* only the trailing numbering */
	ck_assert_str_eq(signature("kn->active#x"), "kn->active#x");
	ck_assert_str_eq(signature("lock_a (tgid 32255)"), "lock_a");
	ck_assert_str_eq(signature("pthread_mutex 0x55b8bc0541a0 (tgid 23233)"), "pthread_mutex @1a0");
	ck_assert_str_eq(signature("lock_a 0x56242984f160 (tgid 469)"), "lock_a @160");
	ck_assert_str_eq(signature("(tgid 7) in a name"), "(tgid 7) in a name");
}
END_TEST

/* two runs of one AB/BA program: one id */
START_TEST(ids_of_two_runs_agree)
{
	static const char *const runs[2][2] = {
		{ "pthread_mutex 0x55b8bc0541a0 (tgid 23233)", "pthread_mutex 0x55b8bc054160 (tgid 23233)" },
		{ "pthread_mutex 0x56242984f1a0 (tgid 469)", "pthread_mutex 0x56242984f160 (tgid 469)" },
	};
	char ids[2][24];

	for (int r = 0; r < 2; r++) {
		struct direct d;
		struct lg_findings f = { 0 };

		direct_init(&d);
		direct_event(&d, LG_EV_ACQUIRE, 1, runs[r][0], 0xa, LG_ACQ_USER);
		direct_event(&d, LG_EV_ACQUIRE, 1, runs[r][1], 0xb, LG_ACQ_USER);
		direct_event(&d, LG_EV_RELEASE, 1, runs[r][1], 0xb, LG_ACQ_USER);
		direct_event(&d, LG_EV_RELEASE, 1, runs[r][0], 0xa, LG_ACQ_USER);
		direct_event(&d, LG_EV_ACQUIRE, 2, runs[r][1], 0xb, LG_ACQ_USER);
		direct_event(&d, LG_EV_ACQUIRE, 2, runs[r][0], 0xa, LG_ACQ_USER);
		lg_detect_cycles(d.graph, &f);
		ck_assert_uint_eq(f.nr, 1);
		memcpy(ids[r], f.v[0].id, sizeof(ids[r]));
		lg_findings_release(&f);
		direct_free(&d);
	}
	ck_assert_str_eq(ids[0], ids[1]);
}
END_TEST

Suite *detect_suite(void)
{
	Suite *s = suite_create("detect");
	TCase *tc = tcase_create("cycles");

	tcase_add_test(tc, abba_is_one_cycle_closed_by_the_later_dependency);
	tcase_add_test(tc, class_signatures_leave_the_run_out);
	tcase_add_test(tc, ids_of_two_runs_agree);
	tcase_add_test(tc, three_lock_chain_in_cycle_order);
	tcase_add_test(tc, recursive_reads_in_irq_do_not_deadlock);
	tcase_add_test(tc, non_recursive_reads_can_deadlock);
	tcase_add_test(tc, recursive_read_then_shared_holder_is_not_strong);
	tcase_add_test(tc, recursive_read_then_exclusive_holder_is_strong);
	tcase_add_test(tc, longer_strong_cycle_found_past_a_weak_short_one);
	tcase_add_test(tc, walks_through_a_class_twice_are_not_cycles);
	tcase_add_test(tc, every_distinct_cycle_once_in_firing_order);
	tcase_add_test(tc, shortest_cycle_per_dependency);
	tcase_add_test(tc, ids_do_not_depend_on_trace_order);
	tcase_add_test(tc, deep_acyclic_graph_has_no_finding);
	tcase_add_test(tc, cycles_of_one_component_are_one_group);
	tcase_add_test(tc, groups_numbered_by_their_first_cycle_with_their_shortest);
	tcase_add_test(tc, a_ring_of_many_classes_is_one_cycle);
	tcase_add_test(tc, the_cap_stops_long_searches_not_two_class_cycles);
	suite_add_tcase(s, tc);
	return s;
}
