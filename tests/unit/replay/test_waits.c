/* Waits and events: which wait/event dependencies a wait ended by an
 * observed event makes (waits.h), each rule that keeps false ones out, and
 * the cycles the detector finds through them. */
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_graph.h"
#include "unit.h"

#define FENCE 0x10000002ULL	/* context 0x1000, seqno 2, as the reader packs them */

/* An event of kind on the wait object (kind, instance) by pid at time ns. */
static void wait_ev(struct direct *d, enum lg_event_kind kind, int pid, uint64_t ns,
		    uint8_t object, uint64_t instance, uint8_t flags, const char *name)
{
	struct lg_event ev = { .kind = kind, .pid = pid, .time_ns = ns,
			       .object = { .instance = instance, .object = object, .flags = flags,
					   .name = LG_NONE } };

	if (name)
		ev.object.name = lg_strtab_intern(d->names, name, strlen(name));
	direct_send(d, ev, NULL);
}

static void lock(struct direct *d, int pid, uint64_t ns, const char *class, uint64_t addr)
{
	direct_send(d, (struct lg_event){ .kind = LG_EV_ACQUIRE, .pid = pid, .time_ns = ns,
					  .addr = addr }, class);
}

static void unlock(struct direct *d, int pid, uint64_t ns, uint64_t addr)
{
	direct_send(d, (struct lg_event){ .kind = LG_EV_RELEASE, .pid = pid, .time_ns = ns,
					  .addr = addr }, NULL);
}

/* The wait/event dependency of kind between lock and the object named, or NULL. */
static const struct lg_wait_dep *wait_dep(struct direct *d, uint8_t kind, const char *lock,
					  const char *object)
{
	const struct lg_wait_graph *wg = lg_graph_waits(d->graph);

	for (uint32_t i = 0; i < lg_wait_graph_nr_deps(wg); i++) {
		const struct lg_wait_dep *w = lg_wait_graph_dep(wg, i);

		if (w->kind == kind && !strcmp(lg_graph_class_name(d->graph, w->lock), lock) &&
		    !strcmp(lg_graph_name(d->graph, lg_wait_graph_object_name(wg, w->object)),
			    object))
			return w;
	}
	return NULL;
}

static uint32_t nr_wait_deps(struct direct *d)
{
	return lg_wait_graph_nr_deps(lg_graph_waits(d->graph));
}

/* The worker (pid 2) takes and drops A in its work item, the submitter
 * (pid 1) takes A and waits for the fence, which the worker signals while
 * it waits, or (early) before it began to. */
static void fence_under_lock(struct direct *d, bool early)
{
	wait_ev(d, LG_EV_WORK_BEGIN, 2, 10, LG_WAIT_WORK, 0x100, 0, "job_run");
	lock(d, 2, 20, "A", 0xa);
	unlock(d, 2, 30, 0xa);
	lock(d, 1, 40, "A", 0xa);
	if (early)
		wait_ev(d, LG_EV_SIGNAL, 2, 45, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	wait_ev(d, LG_EV_WAIT_BEGIN, 1, 50, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	if (!early)
		wait_ev(d, LG_EV_SIGNAL, 2, 60, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	wait_ev(d, LG_EV_WAIT_END, 1, 70, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	unlock(d, 1, 80, 0xa);
}

START_TEST(wait_under_lock_ended_by_event_makes_both_dependencies)
{
	struct direct d;
	const struct lg_wait_dep *hold, *event;
	struct lg_findings f = { 0 };

	direct_init(&d);
	fence_under_lock(&d, false);
	hold = wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(dma_fence)drv tl");
	event = wait_dep(&d, LG_WAIT_DEP_EVENT, "A", "(dma_fence)drv tl");
	ck_assert_ptr_nonnull(hold);
	ck_assert_ptr_nonnull(event);
	ck_assert_int_eq(hold->wait.pid, 1);
	ck_assert_int_eq(hold->event.pid, 2);
	ck_assert_uint_eq(hold->untimed, 1);
	ck_assert_uint_eq(event->start, LG_START_WORK);
	ck_assert_str_eq(lg_graph_name(d.graph, event->start_name), "job_run");
	ck_assert_uint_eq(event->lock_at.time_ns, 20);
	ck_assert(!event->held_at_event);
	ck_assert_uint_eq(lg_wait_graph_stats(lg_graph_waits(d.graph))->ended, 1);
	lg_detect_wait_cycles(d.graph, &f);
	ck_assert_uint_eq(f.nr, 1);
	ck_assert_int_eq(f.v[0].kind, LG_FINDING_WAIT_EVENT);
	ck_assert_uint_eq(f.v[0].nr, 2);
	ck_assert(f.v[0].classes[0] & LG_WAIT_NODE);	/* the object first */
	ck_assert(!strncmp(f.v[0].id, "we-", 3));
	lg_findings_release(&f);
	direct_free(&d);
}
END_TEST

START_TEST(event_before_the_wait_ends_nothing)
{
	struct direct d;

	direct_init(&d);
	fence_under_lock(&d, true);
	ck_assert_uint_eq(nr_wait_deps(&d), 0);
	ck_assert_uint_eq(lg_wait_graph_stats(lg_graph_waits(d.graph))->unended, 1);
	direct_free(&d);
}
END_TEST

START_TEST(another_fence_of_the_timeline_ends_nothing)
{
	struct direct d;

	direct_init(&d);
	lock(&d, 2, 20, "A", 0xa);
	unlock(&d, 2, 30, 0xa);
	lock(&d, 1, 40, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 50, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	wait_ev(&d, LG_EV_SIGNAL, 2, 60, LG_WAIT_FENCE, FENCE + 1, 0, "drv tl");
	ck_assert_uint_eq(nr_wait_deps(&d), 0);
	direct_free(&d);
}
END_TEST

START_TEST(complete_ends_the_first_waiter_complete_all_every_one)
{
	struct direct d;

	direct_init(&d);
	lock(&d, 1, 10, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 11, LG_WAIT_COMPLETION, 0xc0, 0, "&done");
	lock(&d, 3, 12, "B", 0xb);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 3, 13, LG_WAIT_COMPLETION, 0xc0, 0, "&done");
	wait_ev(&d, LG_EV_SIGNAL, 2, 20, LG_WAIT_COMPLETION, 0xc0, 0, NULL);
	wait_ev(&d, LG_EV_SIGNAL, 2, 30, LG_WAIT_COMPLETION, 0xc0, LG_WAIT_ALL, NULL);
	ck_assert_uint_eq(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)&done")->event.time_ns,
			  20);
	ck_assert_uint_eq(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(completion)&done")->event.time_ns,
			  30);
	direct_free(&d);
}
END_TEST

START_TEST(a_lock_taken_before_the_signallers_last_wait_is_not_its_context)
{
	struct direct d;

	direct_init(&d);
	lock(&d, 2, 10, "A", 0xa);
	unlock(&d, 2, 11, 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 2, 12, LG_WAIT_COMPLETION, 0xd0, 0, "&other");
	wait_ev(&d, LG_EV_WAIT_END, 2, 13, LG_WAIT_COMPLETION, 0, 0, NULL);	/* a return probe */
	lock(&d, 1, 20, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 21, LG_WAIT_COMPLETION, 0xc0, 0, "&done");
	wait_ev(&d, LG_EV_SIGNAL, 2, 30, LG_WAIT_COMPLETION, 0xc0, 0, NULL);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)&done"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_EVENT, "A", "(completion)&done"));
	direct_free(&d);
}
END_TEST

START_TEST(an_event_in_an_irq_needs_only_what_the_irq_holds)
{
	struct direct d;

	direct_init(&d);
	lock(&d, 2, 10, "A", 0xa);	/* the interrupted task's, not the irq's */
	lock(&d, 1, 20, "B", 0xb);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 21, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	direct_send(&d, (struct lg_event){ .kind = LG_EV_SIGNAL, .pid = 2, .time_ns = 30,
					   .ctx = LG_CTX_HARDIRQ,
					   .object = { .instance = FENCE, .object = LG_WAIT_FENCE,
						       .name = LG_NONE } }, NULL);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(dma_fence)drv tl"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_EVENT, "A", "(dma_fence)drv tl"));
	direct_free(&d);
}
END_TEST

START_TEST(a_timed_wait_makes_a_timeout_finding)
{
	struct direct d;
	struct lg_findings f = { 0 };

	direct_init(&d);
	wait_ev(&d, LG_EV_WORK_BEGIN, 2, 10, LG_WAIT_WORK, 0x100, 0, "job_run");
	lock(&d, 2, 20, "A", 0xa);
	unlock(&d, 2, 30, 0xa);
	lock(&d, 1, 40, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 50, LG_WAIT_COMPLETION, 0xc0, LG_WAIT_TIMED, "&done");
	wait_ev(&d, LG_EV_SIGNAL, 2, 60, LG_WAIT_COMPLETION, 0xc0, 0, NULL);
	lg_detect_wait_cycles(d.graph, &f);
	ck_assert_uint_eq(f.nr, 1);
	ck_assert_int_eq(f.v[0].kind, LG_FINDING_WAIT_TIMEOUT);
	ck_assert(!strncmp(f.v[0].id, "wt-", 3));
	lg_findings_release(&f);
	direct_free(&d);
}
END_TEST

START_TEST(the_waiter_signalling_itself_ends_nothing)
{
	struct direct d;

	direct_init(&d);
	lock(&d, 1, 10, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 11, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	wait_ev(&d, LG_EV_SIGNAL, 1, 12, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	ck_assert_uint_eq(nr_wait_deps(&d), 0);
	direct_free(&d);
}
END_TEST

START_TEST(lost_events_end_every_open_wait)
{
	struct direct d;

	direct_init(&d);
	lock(&d, 1, 10, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 11, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	direct_send(&d, (struct lg_event){ .kind = LG_EV_LOST, .time_ns = 12 }, NULL);
	wait_ev(&d, LG_EV_SIGNAL, 2, 13, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	ck_assert_uint_eq(nr_wait_deps(&d), 0);
	ck_assert_uint_eq(lg_wait_graph_stats(lg_graph_waits(d.graph))->lost_resets, 1);
	direct_free(&d);
}
END_TEST

START_TEST(lockdeps_wait_maps_are_not_locks_of_the_event)
{
	struct direct d;

	direct_init(&d);
	wait_ev(&d, LG_EV_WORK_BEGIN, 2, 10, LG_WAIT_WORK, 0x100, 0, "job_run");
	lock(&d, 2, 11, "(wq_completion)events", 0xe);
	lock(&d, 2, 12, "(work_completion)(&job->work)", 0xf);
	lock(&d, 1, 20, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 21, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	wait_ev(&d, LG_EV_SIGNAL, 2, 30, LG_WAIT_FENCE, FENCE, 0, "drv tl");
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(dma_fence)drv tl"));
	ck_assert_uint_eq(nr_wait_deps(&d), 1);
	direct_free(&d);
}
END_TEST

START_TEST(a_flush_is_ended_by_its_work_item_and_named_by_its_function)
{
	struct direct d;

	direct_init(&d);
	wait_ev(&d, LG_EV_WORK_BEGIN, 2, 10, LG_WAIT_WORK, 0x100, 0, "job_run");
	lock(&d, 2, 20, "A", 0xa);
	unlock(&d, 2, 30, 0xa);
	lock(&d, 1, 40, "A", 0xa);
	wait_ev(&d, LG_EV_WAIT_BEGIN, 1, 50, LG_WAIT_WORK, 0x100, 0, NULL);
	wait_ev(&d, LG_EV_SIGNAL, 2, 60, LG_WAIT_WORK, 0x100, 0, "job_run");
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(work)job_run"));
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_EVENT, "A", "(work)job_run"));
	direct_free(&d);
}
END_TEST

/* Two tasks wait for one completion, pid 1 (with A held) first; pid 2
 * completes it once, taking the completion's own lock before it wakes. */
static void two_waiters_one_complete(struct direct *d)
{
	lock(d, 1, 10, "A", 0xa);
	wait_ev(d, LG_EV_WAIT_BEGIN, 1, 11, LG_WAIT_COMPLETION, 0xc0, 0, "&done");
	lock(d, 3, 12, "B", 0xb);
	wait_ev(d, LG_EV_WAIT_BEGIN, 3, 13, LG_WAIT_COMPLETION, 0xc0, 0, "&done");
	wait_ev(d, LG_EV_WORK_BEGIN, 2, 14, LG_WAIT_WORK, 0x100, 0, "job_run");
	lock(d, 2, 15, "C", 0xc);
	unlock(d, 2, 16, 0xc);
	wait_ev(d, LG_EV_SIGNAL, 2, 20, LG_WAIT_COMPLETION, 0xc0, 0, NULL);
	lock(d, 2, 21, "&x->wait", 0xd);
}

START_TEST(complete_ends_the_waiter_its_sched_waking_wakes)
{
	struct direct d;

	direct_init(&d);
	two_waiters_one_complete(&d);
	ck_assert_uint_eq(nr_wait_deps(&d), 0);	/* which waiter: not known yet */
	direct_send(&d, (struct lg_event){ .kind = LG_EV_WAKING, .pid = 2, .time_ns = 22,
					   .arg = 3 }, NULL);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(completion)&done"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)&done"));
	/* the context as it was at the event: C, not the lock taken since */
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_EVENT, "C", "(completion)&done"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_EVENT, "&x->wait", "(completion)&done"));
	ck_assert_uint_eq(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(completion)&done")->event.time_ns,
			  20);
	direct_free(&d);
}
END_TEST

START_TEST(complete_without_a_waking_ends_the_first_waiter)
{
	struct direct d;

	direct_init(&d);
	two_waiters_one_complete(&d);
	/* no waiter was asleep: the completer goes on, the first waiter ends */
	wait_ev(&d, LG_EV_WORK_BEGIN, 2, 30, LG_WAIT_WORK, 0x200, 0, "other_job");
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)&done"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(completion)&done"));
	direct_free(&d);

	/* the second waiter back before the completer's next event: it never
	 * slept, the complete() was its */
	direct_init(&d);
	two_waiters_one_complete(&d);
	wait_ev(&d, LG_EV_WAIT_END, 3, 22, LG_WAIT_COMPLETION, 0, 0, NULL);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(completion)&done"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)&done"));
	ck_assert_uint_eq(lg_wait_graph_stats(lg_graph_waits(d.graph))->ended, 1);
	direct_free(&d);

	/* a waking of a task that does not wait for it: the first waiter too */
	direct_init(&d);
	two_waiters_one_complete(&d);
	direct_send(&d, (struct lg_event){ .kind = LG_EV_WAKING, .pid = 2, .time_ns = 22,
					   .arg = 9 }, NULL);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)&done"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_HOLD, "B", "(completion)&done"));
	direct_free(&d);
}
END_TEST

/* pid 1 waits at site for a completion with A held; the worker (pid 2),
 * running a work item queued (if queue) on lg_wq, takes A and completes it. */
static void flush_under_lock(struct direct *d, const char *site, bool queue)
{
	struct lg_event ev = { .kind = LG_EV_WAIT_BEGIN, .pid = 1, .time_ns = 50,
			       .site = lg_site_ref(lg_strtab_intern(d->names, site, strlen(site))),
			       .object = { .instance = 0xc0, .object = LG_WAIT_COMPLETION,
					   .name = LG_NONE } };

	if (queue)
		wait_ev(d, LG_EV_WORK_QUEUED, 1, 5, LG_WAIT_WORK, 0x100, 0, "lg_wq");
	wait_ev(d, LG_EV_WORK_BEGIN, 2, 10, LG_WAIT_WORK, 0x100, 0, "job_run");
	lock(d, 2, 20, "A", 0xa);
	unlock(d, 2, 30, 0xa);
	lock(d, 1, 40, "A", 0xa);
	direct_send(d, ev, NULL);
	wait_ev(d, LG_EV_SIGNAL, 2, 60, LG_WAIT_WORK, 0x100, 0, "job_run");	/* execute_end */
	wait_ev(d, LG_EV_SIGNAL, 2, 61, LG_WAIT_COMPLETION, 0xc0, 0, NULL);
}

START_TEST(a_workqueue_flush_is_named_by_the_workqueue_of_the_work_that_ends_it)
{
	struct direct d;
	const struct lg_wait_graph *wg;
	const struct lg_wait_dep *hold;

	direct_init(&d);
	flush_under_lock(&d, "__flush_workqueue+0x17d/0x339", true);
	hold = wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(workqueue)lg_wq");
	ck_assert_ptr_nonnull(hold);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_EVENT, "A", "(workqueue)lg_wq"));
	wg = lg_graph_waits(d.graph);
	ck_assert_uint_eq(lg_wait_graph_object_kind(wg, hold->object), LG_WAIT_WORKQUEUE);
	direct_free(&d);

	/* the work item's queue unknown: a plain completion, by its waiter */
	direct_init(&d);
	flush_under_lock(&d, "__flush_workqueue+0x17d/0x339", false);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)__flush_workqueue"));
	direct_free(&d);

	/* another function's completion, completed by a work item: no flush */
	direct_init(&d);
	flush_under_lock(&d, "wait_under+0x143/0x23c [lgscen]", true);
	ck_assert_ptr_nonnull(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(completion)wait_under"));
	ck_assert_ptr_null(wait_dep(&d, LG_WAIT_DEP_HOLD, "A", "(workqueue)lg_wq"));
	direct_free(&d);
}
END_TEST

Suite *waits_suite(void)
{
	Suite *s = suite_create("waits");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, wait_under_lock_ended_by_event_makes_both_dependencies);
	tcase_add_test(tc, event_before_the_wait_ends_nothing);
	tcase_add_test(tc, another_fence_of_the_timeline_ends_nothing);
	tcase_add_test(tc, complete_ends_the_first_waiter_complete_all_every_one);
	tcase_add_test(tc, a_lock_taken_before_the_signallers_last_wait_is_not_its_context);
	tcase_add_test(tc, an_event_in_an_irq_needs_only_what_the_irq_holds);
	tcase_add_test(tc, a_timed_wait_makes_a_timeout_finding);
	tcase_add_test(tc, the_waiter_signalling_itself_ends_nothing);
	tcase_add_test(tc, lost_events_end_every_open_wait);
	tcase_add_test(tc, lockdeps_wait_maps_are_not_locks_of_the_event);
	tcase_add_test(tc, a_flush_is_ended_by_its_work_item_and_named_by_its_function);
	tcase_add_test(tc, a_workqueue_flush_is_named_by_the_workqueue_of_the_work_that_ends_it);
	tcase_add_test(tc, complete_ends_the_waiter_its_sched_waking_wakes);
	tcase_add_test(tc, complete_without_a_waking_ends_the_first_waiter);
	suite_add_tcase(s, tc);
	return s;
}
