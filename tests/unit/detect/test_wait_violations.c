/* Wait contexts: lockdep's check_wait_context() over the wait types the
 * class-key probe records, on kernels with and without raw lock nesting. */
#include "unit.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/wait_context.h"

/* enum lockdep_wait_type on a kernel without CONFIG_PROVE_RAW_LOCK_NESTING,
 * and with it (CONFIG and SLEEP one higher) */
#define SPIN 2, 2
#define MUTEX 3, 3
#define RCU 1, 4		/* rcu_read_lock(): {1:4} with raw nesting */
#define RAW_SPIN 2, 2
#define SPINLOCK_T 3, 3
#define SLEEP_RAW 4, 4

static void take(struct direct *d, int pid, enum lg_ctx ctx, const char *name, uint64_t addr,
		 uint16_t flags, uint8_t outer, uint8_t inner)
{
	direct_send(d, (struct lg_event){
		.kind = LG_EV_ACQUIRE, .pid = pid, .ctx = ctx, .addr = addr, .flags = flags,
		.wait = { .outer = outer, .inner = inner, .known = true },
	}, name);
}

static void drop(struct direct *d, int pid, enum lg_ctx ctx, uint64_t addr)
{
	direct_send(d, (struct lg_event){ .kind = LG_EV_RELEASE, .pid = pid, .ctx = ctx,
					  .addr = addr }, NULL);
}

/* "LOCK under HELD" (or "LOCK in CONTEXT") for each finding, in order. */
static const char *findings(struct direct *d, struct lg_findings *f, char *buf, size_t size)
{
	size_t len = 0;

	lg_findings_release(f);
	lg_detect_wait_context(d->graph, f);
	lg_findings_sort(f);
	buf[0] = 0;
	for (uint32_t i = 0; i < f->nr; i++) {
		const struct lg_wait_violation *v = lg_graph_wait_violation(d->graph, f->v[i].index);

		ck_assert_uint_eq(f->v[i].kind, LG_FINDING_WAIT_CONTEXT);
		len += snprintf(buf + len, size - len, "%s%s %s %s", i ? "; " : "",
				lg_graph_class_name(d->graph, v->class),
				v->held == LG_NONE ? "in" : "under",
				v->held == LG_NONE ? lg_ctx_name(v->first.ctx) :
				lg_graph_class_name(d->graph, v->held));
	}
	return buf;
}

START_TEST(a_mutex_under_a_spinlock)
{
	struct lg_findings f = { 0 };
	struct direct d;
	char buf[256];

	direct_init(&d);
	take(&d, 1, LG_CTX_PROCESS, "&fence->lock", 0x1, 0, SPIN);
	take(&d, 1, LG_CTX_PROCESS, "&job->mutex", 0x2, 0, MUTEX);
	drop(&d, 1, LG_CTX_PROCESS, 0x2);
	take(&d, 1, LG_CTX_PROCESS, "&job->mutex", 0x2, 0, MUTEX);	/* counted */
	ck_assert_str_eq(findings(&d, &f, buf, sizeof(buf)), "&job->mutex under &fence->lock");
	ck_assert_uint_eq(lg_graph_wait_violation(d.graph, 0)->count, 2);
	ck_assert_uint_eq(lg_graph_wait_violation(d.graph, 0)->first.held_nr, 1);
	/* the other way round is how it should be */
	take(&d, 2, LG_CTX_PROCESS, "&job->mutex", 0x2, 0, MUTEX);
	take(&d, 2, LG_CTX_PROCESS, "&fence->lock", 0x1, 0, SPIN);
	/* a trylock never waits; a lock of wait type 0 is not checked */
	take(&d, 3, LG_CTX_PROCESS, "&fence->lock", 0x1, 0, SPIN);
	take(&d, 3, LG_CTX_PROCESS, "&other->mutex", 0x3, LG_ACQ_TRY, MUTEX);
	take(&d, 3, LG_CTX_PROCESS, "fs_reclaim", 0x4, 0, 0, 0);
	ck_assert_uint_eq(lg_graph_nr_wait_violations(d.graph), 1);
	lg_findings_release(&f);
	direct_free(&d);
}
END_TEST

START_TEST(only_the_irq_contexts_own_locks_count)
{
	struct lg_findings f = { 0 };
	struct direct d;
	char buf[256];

	direct_init(&d);
	/* a spinlock held by the task, then a hardirq takes a spinlock: fine */
	take(&d, 1, LG_CTX_PROCESS, "&dev->mutex", 0x1, 0, MUTEX);
	take(&d, 1, LG_CTX_PROCESS, "&q->lock", 0x2, 0, SPIN);
	take(&d, 1, LG_CTX_HARDIRQ, "&irq->lock", 0x3, 0, SPIN);
	ck_assert_str_eq(findings(&d, &f, buf, sizeof(buf)), "");
	/* a mutex in the hardirq, with nothing held there: the irq forbids it */
	drop(&d, 1, LG_CTX_HARDIRQ, 0x3);
	take(&d, 1, LG_CTX_HARDIRQ, "&dev->mutex", 0x4, 0, MUTEX);
	ck_assert_str_eq(findings(&d, &f, buf, sizeof(buf)), "&dev->mutex in hardirq");
	/* lockdep does not follow NMIs */
	take(&d, 2, LG_CTX_NMI, "&nmi->mutex", 0x5, 0, MUTEX);
	ck_assert_uint_eq(lg_graph_nr_wait_violations(d.graph), 1);
	lg_findings_release(&f);
	direct_free(&d);
}
END_TEST

/*
 * With raw lock nesting, spinlock_t is {3:3} and may be taken in an irq
 * (LD_WAIT_CONFIG is 3) but not under a raw_spinlock_t. Which kernel it was
 * shows only once a {4:4} class appears, possibly late: the verdict waits.
 */
START_TEST(raw_lock_nesting_is_told_by_the_classes)
{
	struct lg_findings f = { 0 };
	struct direct d;
	char buf[256];

	direct_init(&d);
	take(&d, 1, LG_CTX_SOFTIRQ, "&sk->sk_lock.slock", 0x1, 0, SPINLOCK_T);
	/* {3:3} in a softirq is a mutex there, as far as anyone knows yet */
	ck_assert_str_eq(findings(&d, &f, buf, sizeof(buf)), "&sk->sk_lock.slock in softirq");
	take(&d, 2, LG_CTX_PROCESS, "&rq->raw_lock", 0x2, 0, RAW_SPIN);
	take(&d, 2, LG_CTX_PROCESS, "&sk->sk_lock.slock", 0x1, 0, SPINLOCK_T);
	take(&d, 3, LG_CTX_PROCESS, "&inode->i_rwsem", 0x3, 0, SLEEP_RAW);
	/* now it was: the softirq was fine, the raw nesting was not */
	ck_assert_str_eq(findings(&d, &f, buf, sizeof(buf)),
			 "&sk->sk_lock.slock under &rq->raw_lock");
	/* RCU is {1:4}: anything may be taken under it, not it under a spinlock */
	take(&d, 4, LG_CTX_PROCESS, "rcu_read_lock", 0x4, 0, RCU);
	take(&d, 4, LG_CTX_PROCESS, "&inode->i_rwsem", 0x3, 0, SLEEP_RAW);
	ck_assert_uint_eq(lg_graph_nr_wait_violations(d.graph), 2);
	lg_findings_release(&f);
	direct_free(&d);
}
END_TEST

/* An override annotation (DEFINE_WAIT_OVERRIDE_MAP, taken as a trylock) sets
 * what may be waited at, even looser. */
START_TEST(an_override_annotation_sets_the_context)
{
	struct direct d;

	direct_init(&d);
	take(&d, 1, LG_CTX_PROCESS, "&fence->lock", 0x1, 0, SPIN);
	direct_send(&d, (struct lg_event){
		.kind = LG_EV_ACQUIRE, .pid = 1, .addr = 0x2, .flags = LG_ACQ_TRY,
		.wait = { .outer = 3, .inner = 3, .lock_type = LG_LOCK_WAIT_OVERRIDE,
			  .known = true },
	}, "override_map");
	take(&d, 1, LG_CTX_PROCESS, "&job->mutex", 0x3, 0, MUTEX);
	ck_assert_uint_eq(lg_graph_nr_wait_violations(d.graph), 0);
	direct_free(&d);
}
END_TEST

/* Without the class-key probe nothing is known, nothing is judged. */
START_TEST(unknown_wait_types_are_not_judged)
{
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&fence->lock", 0x1, 0);
	direct_event(&d, LG_EV_ACQUIRE, 1, "&job->mutex", 0x2, 0);
	ck_assert_uint_eq(lg_graph_nr_wait_violations(d.graph), 0);
	ck_assert_ptr_null(lg_graph_class_wait(d.graph, lg_graph_class(d.graph,
		lg_strtab_intern(d.names, "&job->mutex", 11))));
	direct_free(&d);
}
END_TEST

Suite *wait_context_suite(void)
{
	Suite *s = suite_create("wait_context");
	TCase *tc = tcase_create("lockdep");

	tcase_add_test(tc, a_mutex_under_a_spinlock);
	tcase_add_test(tc, only_the_irq_contexts_own_locks_count);
	tcase_add_test(tc, raw_lock_nesting_is_told_by_the_classes);
	tcase_add_test(tc, an_override_annotation_sets_the_context);
	tcase_add_test(tc, unknown_wait_types_are_not_judged);
	suite_add_tcase(s, tc);
	return s;
}
