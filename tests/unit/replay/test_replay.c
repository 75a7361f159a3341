/* Replay: which dependencies an acquisition adds (lockdep's check_prevs_add),
 * how releases, irq contexts, trylocks, reads and lost events are treated. */
#include "unit.h"

#define ACQ(who, cpu, flags, ts, payload) EV(who, cpu, flags, ts, "lock_acquire", payload)
#define REL(who, cpu, flags, ts, payload) EV(who, cpu, flags, ts, "lock_release", payload)

START_TEST(nearest_held_lock_only)
{
	struct pipeline p = { 0 };

	ck_assert_int_eq(pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000b B")
		ACQ("t-1", "000", ".....", "1.000003", "000000000000000c C")), 0);
	ck_assert_ptr_nonnull(pipeline_dep(&p, "A", "B"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "B", "C"));
	ck_assert_ptr_null(pipeline_dep(&p, "A", "C"));
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 2);
	pipeline_free(&p);
}
END_TEST

START_TEST(trylocks_above_nearest_add_edges_but_get_none)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000b try B")
		ACQ("t-1", "000", ".....", "1.000003", "000000000000000c try C")
		ACQ("t-1", "000", ".....", "1.000004", "000000000000000d D"));
	ck_assert_ptr_null(pipeline_dep(&p, "A", "B"));	/* no edge into a trylock */
	ck_assert_ptr_null(pipeline_dep(&p, "B", "C"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "C", "D"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "B", "D"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "A", "D"));	/* nearest non-trylock */
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 3);
	pipeline_free(&p);
}
END_TEST

START_TEST(release_by_address_anywhere_in_the_stack)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000b B")
		REL("t-1", "000", ".....", "1.000003", "000000000000000a ")
		ACQ("t-1", "000", ".....", "1.000004", "000000000000000c C")
		REL("t-1", "000", ".....", "1.000005", "00000000000000ff F"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "B", "C"));
	ck_assert_ptr_null(pipeline_dep(&p, "A", "C"));
	ck_assert_uint_eq(lg_replay_stats(p.replay)->unmatched_releases, 1);
	pipeline_free(&p);
}
END_TEST

START_TEST(irq_context_has_its_own_stack)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", "d.h1.", "1.000002", "000000000000000b B")
		ACQ("t-1", "000", "d.h1.", "1.000003", "000000000000000c C")
		REL("t-1", "000", "d.h1.", "1.000004", "000000000000000c C")
		REL("t-1", "000", "d.h1.", "1.000005", "000000000000000b B")
		ACQ("t-1", "000", ".....", "1.000006", "000000000000000d D"));
	ck_assert_ptr_null(pipeline_dep(&p, "A", "B"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "B", "C"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "A", "D"));
	ck_assert_uint_eq(lg_graph_dep(p.graph, 0)->first.ctx, LG_CTX_HARDIRQ);
	pipeline_free(&p);
}
END_TEST

START_TEST(tasks_have_their_own_stacks)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("u-2", "001", ".....", "1.000002", "000000000000000b B"));
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 0);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->tasks, 2);
	pipeline_free(&p);
}
END_TEST

START_TEST(novalidate_is_transparent)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000e read rcu_read_lock")
		ACQ("t-1", "000", ".....", "1.000003", "000000000000000b B")
		ACQ("t-1", "000", ".....", "1.000004", "000000000000000e read rcu_read_lock"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "A", "B"));
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 1);
	ck_assert_uint_eq(p.findings->nr, 0);	/* nested rcu_read_lock is fine */
	/* the held stack of the first sighting still shows rcu_read_lock */
	ck_assert_uint_eq(pipeline_dep(&p, "A", "B")->first.held_nr, 2);
	pipeline_free(&p);
}
END_TEST

START_TEST(dependency_types_follow_lockdep)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a read A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000b read B")
		ACQ("t-1", "000", "..s1.", "1.000003", "000000000000000c C")
		ACQ("t-1", "000", "..s1.", "1.000004", "000000000000000d read D")
		ACQ("t-1", "000", "b..1.", "1.000005", "000000000000000e E")
		ACQ("t-1", "000", "b..1.", "1.000006", "000000000000000f read F"));
	ck_assert_uint_eq(pipeline_dep(&p, "A", "B")->types, LG_DEP_SN);	/* process read */
	ck_assert_uint_eq(pipeline_dep(&p, "C", "D")->types, LG_DEP_ER);	/* irq read */
	ck_assert_uint_eq(pipeline_dep(&p, "E", "F")->types, LG_DEP_ER);	/* BH off */
	ck_assert_uint_eq(pipeline_dep(&p, "B", "E")->types, LG_DEP_SN);
	pipeline_free(&p);
}
END_TEST

START_TEST(recursion_same_instance_only)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", "d....", "1.000001", "000000000000000a &x->lock")
		ACQ("t-1", "000", "d....", "1.000002", "000000000000000b &x->lock")
		ACQ("t-1", "000", "..s1.", "1.000003", "000000000000000d read &t->lock")
		ACQ("t-1", "000", "..s1.", "1.000004", "000000000000000d read &t->lock")
		ACQ("t-1", "000", "b....", "1.000005", "000000000000000e read &u->lock")
		ACQ("t-1", "000", "b....", "1.000006", "000000000000000e read &u->lock")
		ACQ("t-1", "000", ".....", "1.000007", "000000000000000c read &r->sem")
		ACQ("t-1", "000", ".....", "1.000008", "000000000000000c read &r->sem")
		ACQ("t-1", "000", "d.h1.", "1.000009", "000000000000000a &x->lock")
		ACQ("t-1", "000", "d.h1.", "1.000010", "000000000000000f try &y->lock")
		ACQ("t-1", "000", "d.h1.", "1.000011", "000000000000000f try &y->lock"));
	/* read after read is fine only when recursive (in_interrupt()); a
	 * down_read() twice deadlocks behind a waiting writer. (&x->lock, taken
	 * with irqs off, held at 1.000005 with them on, then in the hardirq, is
	 * an inconsistent lock state too.) */
	ck_assert_uint_eq(p.findings->nr, 3);
	ck_assert_int_eq(p.findings->v[0].kind, LG_FINDING_RECURSIVE);
	ck_assert_str_eq(pipeline_classes(&p, 0), "&r->sem");
	ck_assert_int_eq(p.findings->v[1].kind, LG_FINDING_INCONSISTENT);
	ck_assert_int_eq(p.findings->v[2].kind, LG_FINDING_RECURSIVE);
	ck_assert_str_eq(pipeline_classes(&p, 2), "&x->lock");
	ck_assert_uint_eq(lg_graph_recursion(p.graph, 1)->first.ctx, LG_CTX_HARDIRQ);
	/* held in process context, so the hardirq stack it was seen on is empty */
	ck_assert_uint_eq(lg_graph_recursion(p.graph, 1)->first.held_nr, 0);
	ck_assert_ptr_null(lg_graph_held(p.graph, &lg_graph_recursion(p.graph, 1)->first));
	ck_assert_uint_eq(lg_replay_stats(p.replay)->same_class_nesting, 1);
	ck_assert_ptr_null(pipeline_dep(&p, "&x->lock", "&x->lock"));
	pipeline_free(&p);
}
END_TEST

START_TEST(recursive_acquisition_adds_no_dependency)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000b B")
		ACQ("t-1", "000", ".....", "1.000003", "000000000000000a A"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "A", "B"));
	ck_assert_ptr_null(pipeline_dep(&p, "B", "A"));
	ck_assert_uint_eq(p.findings->nr, 1);
	ck_assert_int_eq(p.findings->v[0].kind, LG_FINDING_RECURSIVE);
	pipeline_free(&p);
}
END_TEST

START_TEST(one_acquisition_counts_a_dependency_once)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		ACQ("t-1", "000", ".....", "1.000002", "000000000000000b try T")
		ACQ("t-1", "000", ".....", "1.000003", "000000000000000c try T")
		ACQ("t-1", "000", ".....", "1.000004", "000000000000000d D"));
	ck_assert_uint_eq(pipeline_dep(&p, "T", "D")->count, 1);
	ck_assert_uint_eq(pipeline_dep(&p, "A", "D")->count, 1);
	pipeline_free(&p);
}
END_TEST

#define MMAP(who, ts, event, payload) EV(who, "000", ".....", ts, event, payload)

START_TEST(mmap_lock_tracepoints_are_a_lock)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		/* fork: dup_mmap() write-locks the old mm, then the new one nested */
		MMAP("t-1", "1.000001", "mmap_lock_start_locking", "mm=0xffff888104781f40 memcg_id=1 write=true")
		MMAP("t-1", "1.000002", "mmap_lock_acquire_returned", "mm=0xffff888104781f40 memcg_id=1 write=true success=true")
		MMAP("t-1", "1.000003", "mmap_lock_start_locking", "mm=0xffff888104782000 memcg_id=1 write=true")
		MMAP("t-1", "1.000004", "mmap_lock_acquire_returned", "mm=0xffff888104782000 memcg_id=1 write=true success=true")
		MMAP("t-1", "1.000005", "mmap_lock_released", "mm=0xffff888104782000 memcg_id=1 write=true")
		MMAP("t-1", "1.000006", "mmap_lock_released", "mm=0xffff888104781f40 memcg_id=1 write=true")
		/* a failed trylock holds nothing, so its task releases nothing */
		MMAP("u-2", "1.000011", "mmap_lock_start_locking", "mm=0xffff888104781f80 memcg_path= write=false")
		MMAP("u-2", "1.000012", "mmap_lock_acquire_returned", "mm=0xffff888104781f80 memcg_path= write=false success=false"));
	ck_assert_uint_eq(lg_replay_stats(p.replay)->acquires, 2);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->releases, 2);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->unmatched_releases, 0);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->same_class_nesting, 1);
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 0);
	ck_assert_uint_eq(p.stats.events, 7);	/* starts, acquisitions, releases */
	ck_assert_uint_eq(p.stats.skipped, 1);	/* the failed acquisition */
	pipeline_free(&p);
}
END_TEST

START_TEST(lockdep_events_supersede_mmap_lock_tracepoints)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		MMAP("t-1", "1.000001", "mmap_lock_start_locking", "mm=0xffff888104781f40 memcg_id=1 write=false")
		MMAP("t-1", "1.000002", "mmap_lock_acquire_returned", "mm=0xffff888104781f40 memcg_id=1 write=false success=true")
		ACQ("t-1", "000", ".....", "1.000003", "000000000000000a A")
		/* from here on lockdep's own events speak for mmap_lock */
		ACQ("t-1", "000", ".....", "1.000004", "0000000000000f01 try read &mm->mmap_lock")
		MMAP("t-1", "1.000005", "mmap_lock_acquire_returned", "mm=0xffff888104781f80 memcg_id=1 write=false success=true")
		ACQ("t-1", "000", ".....", "1.000006", "000000000000000b B"));
	ck_assert_ptr_null(pipeline_dep(&p, "&mm->mmap_lock", "A"));
	ck_assert_ptr_null(pipeline_dep(&p, "A", "&mm->mmap_lock"));
	ck_assert_ptr_nonnull(pipeline_dep(&p, "&mm->mmap_lock", "B"));
	ck_assert_uint_eq(lg_replay_stats(p.replay)->same_class_nesting, 0);
	pipeline_free(&p);
}
END_TEST

START_TEST(idle_tasks_are_per_cpu)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		EV("<idle>-0", "000", "d.h1.", "1.000001", "lock_acquire", "000000000000000a A")
		EV("<idle>-0", "001", "d.h1.", "1.000002", "lock_acquire", "000000000000000b B")
		EV("<idle>-0", "001", "d.h1.", "1.000003", "lock_release", "000000000000000b B")
		EV("<idle>-0", "000", "d.h1.", "1.000004", "lock_release", "000000000000000a A"));
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 0);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->tasks, 2);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->unmatched_releases, 0);
	pipeline_free(&p);
}
END_TEST

START_TEST(lost_events_forget_held_locks)
{
	struct pipeline p = { 0 };

	pipeline_run(&p,
		ACQ("t-1", "000", ".....", "1.000001", "000000000000000a A")
		"CPU:0 [LOST 3 EVENTS]\n"
		ACQ("t-1", "000", ".....", "1.000009", "000000000000000b B")
		REL("t-1", "000", ".....", "1.000010", "000000000000000a A"));
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 0);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->stack_resets, 1);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->unmatched_releases, 1);
	pipeline_free(&p);
}
END_TEST

START_TEST(runaway_stack_is_bounded)
{
	struct pipeline p = { 0 };
	static char trace[200 * 100];
	size_t off = 0;

	for (int i = 0; i < 100; i++)
		off += snprintf(trace + off, sizeof(trace) - off,
				"  t-1  [000] .....  1.%06d: lock_acquire: %016x L%d\n", i, i + 1, i);
	pipeline_run(&p, trace);
	ck_assert_uint_eq(lg_replay_stats(p.replay)->depth_overflows, 2);
	ck_assert_uint_eq(lg_graph_nr_deps(p.graph), 100 - 1 - 2);
	pipeline_free(&p);
}
END_TEST

static const char *first_inside(struct direct *d, uint32_t dep)
{
	return lg_graph_dep(d->graph, dep)->first.inside;
}

START_TEST(dependencies_say_which_probed_function_they_were_first_seen_in)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "outer_fn", 0, 0);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "inner_fn", 0, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "A", 0xa, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "B", 0xb, 0);		/* A -> B inside inner_fn */
	direct_event(&d, LG_EV_CONTEXT_EXIT, 1, "inner_fn", 0, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "C", 0xc, 0);		/* B -> C inside outer_fn */
	direct_event(&d, LG_EV_CONTEXT_EXIT, 1, "outer_fn", 0, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "D", 0xd, 0);		/* C -> D outside */
	/* another task is in no function, whatever task 1 does */
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "outer_fn", 0, 0);
	direct_event(&d, LG_EV_ACQUIRE, 2, "E", 0xe, 0);
	direct_event(&d, LG_EV_ACQUIRE, 2, "F", 0xf, 0);		/* E -> F outside */
	ck_assert_uint_eq(lg_graph_nr_deps(d.graph), 4);
	ck_assert_str_eq(first_inside(&d, 0), "inner_fn");
	ck_assert_str_eq(first_inside(&d, 1), "outer_fn");
	ck_assert_str_eq(first_inside(&d, 2), "");
	ck_assert_str_eq(first_inside(&d, 3), "");
	/* function names are not classes */
	ck_assert_uint_eq(lg_graph_nr_classes(d.graph), 6);
	direct_free(&d);
}
END_TEST

START_TEST(a_missed_return_or_lost_events_leave_no_stale_function)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "outer_fn", 0, 0);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "inner_fn", 0, 0);
	/* inner_fn's return was not seen: outer_fn's return ends both */
	direct_event(&d, LG_EV_CONTEXT_EXIT, 1, "outer_fn", 0, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "A", 0xa, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "B", 0xb, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xb, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "outer_fn", 0, 0);
	direct_event(&d, LG_EV_LOST, 1, NULL, 0, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "C", 0xc, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "D", 0xd, 0);
	ck_assert_uint_eq(lg_graph_nr_deps(d.graph), 2);
	ck_assert_str_eq(first_inside(&d, 0), "");
	ck_assert_str_eq(first_inside(&d, 1), "");
	direct_free(&d);
}
END_TEST

START_TEST(recursive_reads_nest_in_process_context_when_the_source_says_so)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_ACQUIRE, 1, "rw", 0x1, LG_ACQ_READ | LG_ACQ_RECURSIVE);
	direct_event(&d, LG_EV_ACQUIRE, 1, "rw", 0x1, LG_ACQ_READ | LG_ACQ_RECURSIVE);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 0);
	/* the same without the flag is down_read() twice: lockdep reports it */
	direct_event(&d, LG_EV_ACQUIRE, 2, "rw", 0x1, LG_ACQ_READ);
	direct_event(&d, LG_EV_ACQUIRE, 2, "rw", 0x1, LG_ACQ_READ);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 1);
	direct_free(&d);
}
END_TEST

START_TEST(with_the_subclass_known_a_second_lock_of_a_held_class_is_recursion)
{
	struct direct d;

	direct_init(&d);
	/* mutex_lock_nested(): the subclass makes another class, a dependency */
	direct_event(&d, LG_EV_ACQUIRE, 1, "&obj->lock", 0x1, LG_ACQ_EXACT);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&obj->lock/1", 0x2, LG_ACQ_EXACT);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 0);
	ck_assert_uint_eq(lg_graph_nr_deps(d.graph), 1);
	/* under a nest lock: fine too */
	direct_event(&d, LG_EV_ACQUIRE, 2, "&obj->lock", 0x1, LG_ACQ_EXACT);
	direct_event(&d, LG_EV_ACQUIRE, 2, "&obj->lock", 0x3, LG_ACQ_EXACT | LG_ACQ_NEST);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 0);
	/* without the annotation: lockdep's possible recursive locking */
	direct_event(&d, LG_EV_ACQUIRE, 3, "&obj->lock", 0x1, LG_ACQ_EXACT);
	direct_event(&d, LG_EV_ACQUIRE, 3, "&obj->lock", 0x2, LG_ACQ_EXACT);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 1);
	/* what lockdep prints under "but task is already holding lock:" */
	ck_assert_uint_eq(lg_graph_recursion(d.graph, 0)->first.addr, 0x2);
	ck_assert_uint_eq(lg_graph_recursion(d.graph, 0)->held.addr, 0x1);
	/* the tracepoint alone cannot tell: only counted */
	direct_event(&d, LG_EV_ACQUIRE, 4, "&other->lock", 0x5, 0);
	direct_event(&d, LG_EV_ACQUIRE, 4, "&other->lock", 0x6, 0);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 1);
	ck_assert_uint_eq(lg_replay_stats(d.replay)->same_class_nesting, 1);
	/* check=0 adds no dependency, and is passed over as a held lock */
	direct_event(&d, LG_EV_ACQUIRE, 5, "X", 0x7, LG_ACQ_EXACT | LG_ACQ_NOVALIDATE);
	direct_event(&d, LG_EV_ACQUIRE, 5, "Y", 0x8, LG_ACQ_EXACT);
	ck_assert_uint_eq(lg_graph_nr_deps(d.graph), 1);
	direct_free(&d);
}
END_TEST

/* double_unlock_balance(): lock_set_subclass() makes the held subclass-1 lock
 * subclass 0, so that another of its class may be taken as subclass 1. */
START_TEST(lock_set_class_gives_the_held_lock_its_new_class)
{
	struct direct d;

	const uint16_t seen = LG_ACQ_EXACT | LG_ACQ_CLASS_SEEN, sub = seen | LG_ACQ_SUBCLASSED;

	direct_init(&d);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&rq->__lock", 0xa, seen);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&rq->__lock/1", 0xb, sub);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	direct_event(&d, LG_EV_SET_CLASS, 1, "&rq->__lock", 0xb, seen);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&rq->__lock/1", 0xa, sub);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 0);
	ck_assert_ptr_nonnull(direct_dep(&d, "&rq->__lock", "&rq->__lock/1"));
	/* without the hand-over, the same acquisitions are recursive locking */
	direct_event(&d, LG_EV_ACQUIRE, 2, "&rq->__lock", 0xc, seen);
	direct_event(&d, LG_EV_ACQUIRE, 2, "&rq->__lock/1", 0xd, sub);
	direct_event(&d, LG_EV_RELEASE, 2, NULL, 0xc, 0);
	direct_event(&d, LG_EV_ACQUIRE, 2, "&rq->__lock/1", 0xc, sub);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 1);
	/* unless the recording could not see a hand-over: then only counted */
	direct_event(&d, LG_EV_ACQUIRE, 3, "&rq->__lock/1", 0xe, LG_ACQ_EXACT | LG_ACQ_SUBCLASSED);
	direct_event(&d, LG_EV_ACQUIRE, 3, "&rq->__lock/1", 0xf, LG_ACQ_EXACT | LG_ACQ_SUBCLASSED);
	ck_assert_uint_eq(lg_graph_nr_recursions(d.graph), 1);
	ck_assert_uint_eq(lg_replay_stats(d.replay)->unseen_set_class, 1);
	direct_free(&d);
}
END_TEST

/* synchronize_srcu()'s lock_sync(): a dependency from what is held to the
 * SRCU domain, which is never held itself. */
START_TEST(lock_sync_depends_on_the_held_locks_and_is_never_held)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_ACQUIRE, 1, "lg_srcu_mutex", 0xa, LG_ACQ_EXACT);
	direct_event(&d, LG_EV_ACQUIRE, 1, "lg_srcu", 0xb, LG_ACQ_EXACT | LG_ACQ_SYNC);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&other", 0xc, LG_ACQ_EXACT);
	ck_assert_ptr_nonnull(direct_dep(&d, "lg_srcu_mutex", "lg_srcu"));
	ck_assert_ptr_nonnull(direct_dep(&d, "lg_srcu_mutex", "&other"));
	ck_assert_ptr_null(direct_dep(&d, "lg_srcu", "&other"));
	/* and it marks no irqs-enabled usage, as 6.12's mark_usage() */
	ck_assert_uint_eq(lg_graph_class_usage(d.graph, direct_class(&d, "lg_srcu")), 0);
	ck_assert(lg_graph_class_usage(d.graph, direct_class(&d, "&other")));
	direct_free(&d);
}
END_TEST

/* print_unlock_imbalance_bug(), where the trace proves it: the task was seen to
 * acquire and release the instance, and nothing was lost since. */
START_TEST(a_second_release_of_a_lock_the_task_released_is_an_imbalance)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_ACQUIRE, 1, "A", 0xa, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	ck_assert_uint_eq(lg_graph_nr_imbalances(d.graph), 1);
	ck_assert_uint_eq(lg_graph_imbalance(d.graph, 0)->count, 2);
	/* another task's release of it, and one at the start of the trace */
	direct_event(&d, LG_EV_RELEASE, 2, NULL, 0xa, 0);
	direct_event(&d, LG_EV_RELEASE, 2, NULL, 0xb, 0);
	/* a read lock (rcu_read_lock) may have been held already, outside the
	 * trace; and an irq's release proves nothing about the task's */
	direct_event(&d, LG_EV_ACQUIRE, 6, "rcu_read_lock", 0xf, LG_ACQ_READ);
	direct_event(&d, LG_EV_RELEASE, 6, NULL, 0xf, 0);
	direct_event(&d, LG_EV_RELEASE, 6, NULL, 0xf, 0);
	direct_send(&d, (struct lg_event){ .kind = LG_EV_ACQUIRE, .pid = 7, .addr = 0x10,
					   .ctx = LG_CTX_HARDIRQ }, "E");
	direct_send(&d, (struct lg_event){ .kind = LG_EV_RELEASE, .pid = 7, .addr = 0x10,
					   .ctx = LG_CTX_HARDIRQ }, NULL);
	direct_event(&d, LG_EV_RELEASE, 7, NULL, 0x10, 0);
	/* a pthread mutex unlocked twice is not lockdep's to judge */
	direct_event(&d, LG_EV_ACQUIRE, 3, "pthread_mutex 0x1 (tgid 3)", 0xc, LG_ACQ_USER);
	direct_event(&d, LG_EV_RELEASE, 3, NULL, 0xc, 0);
	direct_event(&d, LG_EV_RELEASE, 3, NULL, 0xc, 0);
	ck_assert_uint_eq(lg_graph_nr_imbalances(d.graph), 1);
	ck_assert_uint_eq(lg_replay_stats(d.replay)->unmatched_releases, 5);
	/* lost events may hide an acquisition in between */
	direct_event(&d, LG_EV_ACQUIRE, 4, "B", 0xd, 0);
	direct_event(&d, LG_EV_RELEASE, 4, NULL, 0xd, 0);
	direct_send(&d, (struct lg_event){ .kind = LG_EV_LOST }, NULL);
	direct_event(&d, LG_EV_RELEASE, 4, NULL, 0xd, 0);
	/* only the last few releases are kept as evidence */
	direct_event(&d, LG_EV_ACQUIRE, 5, "C", 0xe, 0);
	direct_event(&d, LG_EV_RELEASE, 5, NULL, 0xe, 0);
	for (uint64_t i = 0; i < 4; i++) {
		direct_event(&d, LG_EV_ACQUIRE, 5, "D", 0x100 + i, 0);
		direct_event(&d, LG_EV_RELEASE, 5, NULL, 0x100 + i, 0);
	}
	direct_event(&d, LG_EV_RELEASE, 5, NULL, 0xe, 0);
	ck_assert_uint_eq(lg_graph_nr_imbalances(d.graph), 1);
	ck_assert_uint_eq(lg_replay_stats(d.replay)->unmatched_releases, 7);
	direct_free(&d);
}
END_TEST

/* A task holding nothing is kept, with its last releases, while fewer than
 * 65,536 others are idle since; past that it is forgotten, and a second
 * release is then only unmatched. Memory follows the tasks holding locks. */
START_TEST(idle_tasks_beyond_the_kept_ones_are_forgotten)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_ACQUIRE, 1, "A", 0xa, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	direct_event(&d, LG_EV_ACQUIRE, 2, "A", 0xb, 0);
	direct_event(&d, LG_EV_RELEASE, 2, NULL, 0xb, 0);
	direct_event(&d, LG_EV_ACQUIRE, 3, "B", 0xc, 0);	/* held throughout */
	for (int pid = 100; pid < 100 + 65535; pid++)
		direct_event(&d, LG_EV_ACQUIRE, pid, "C", 0x100 + pid, 0);
	for (int pid = 100; pid < 100 + 65535; pid++)
		direct_event(&d, LG_EV_RELEASE, pid, NULL, 0x100 + pid, 0);
	/* task 1 is the least recently active of 65,537 idle ones: forgotten;
	 * task 2 is kept, and task 3 holds B */
	direct_event(&d, LG_EV_RELEASE, 2, NULL, 0xb, 0);
	direct_event(&d, LG_EV_RELEASE, 1, NULL, 0xa, 0);
	direct_event(&d, LG_EV_ACQUIRE, 3, "D", 0xd, 0);
	ck_assert_uint_eq(lg_graph_nr_imbalances(d.graph), 1);
	ck_assert_uint_eq(lg_graph_imbalance(d.graph, 0)->count, 1);
	ck_assert_uint_eq(lg_replay_stats(d.replay)->unmatched_releases, 1);
	ck_assert_ptr_nonnull(direct_dep(&d, "B", "D"));
	direct_free(&d);
}
END_TEST

Suite *replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("lockdep");

	tcase_add_test(tc, nearest_held_lock_only);
	tcase_add_test(tc, trylocks_above_nearest_add_edges_but_get_none);
	tcase_add_test(tc, release_by_address_anywhere_in_the_stack);
	tcase_add_test(tc, irq_context_has_its_own_stack);
	tcase_add_test(tc, tasks_have_their_own_stacks);
	tcase_add_test(tc, novalidate_is_transparent);
	tcase_add_test(tc, dependency_types_follow_lockdep);
	tcase_add_test(tc, recursion_same_instance_only);
	tcase_add_test(tc, recursive_acquisition_adds_no_dependency);
	tcase_add_test(tc, one_acquisition_counts_a_dependency_once);
	tcase_add_test(tc, mmap_lock_tracepoints_are_a_lock);
	tcase_add_test(tc, lockdep_events_supersede_mmap_lock_tracepoints);
	tcase_add_test(tc, idle_tasks_are_per_cpu);
	tcase_add_test(tc, lost_events_forget_held_locks);
	tcase_add_test(tc, runaway_stack_is_bounded);
	tcase_add_test(tc, dependencies_say_which_probed_function_they_were_first_seen_in);
	tcase_add_test(tc, a_missed_return_or_lost_events_leave_no_stale_function);
	tcase_add_test(tc, recursive_reads_nest_in_process_context_when_the_source_says_so);
	tcase_add_test(tc, with_the_subclass_known_a_second_lock_of_a_held_class_is_recursion);
	tcase_add_test(tc, a_second_release_of_a_lock_the_task_released_is_an_imbalance);
	tcase_add_test(tc, idle_tasks_beyond_the_kept_ones_are_forgotten);
	tcase_add_test(tc, lock_set_class_gives_the_held_lock_its_new_class);
	tcase_add_test(tc, lock_sync_depends_on_the_held_locks_and_is_never_held);
	suite_add_tcase(s, tc);
	return s;
}
