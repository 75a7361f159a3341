/* Provenance: which dependencies a priming function made (annotation), which
 * code made at run time (observed), which a rules file primed (rule), and the
 * lone instance of a dummy lock; each rule of primers.c on its own. */
#include <string.h>

#include "lockgraph/contract/priming.h"
#include "lockgraph/lib/util.h"
#include "unit.h"

static uint32_t ref(struct direct *d, const char *site)
{
	return lg_site_ref(lg_strtab_intern(d->names, site, strlen(site)));
}

/* Task 1 takes name at site with the stack frames (innermost first, NULL-ended). */
static void take(struct direct *d, const char *name, uint64_t addr, const char *site,
		 const char *const *frames)
{
	uint32_t stack[LG_STACK_MAX], nr = 0;

	while (frames && frames[nr])
		stack[nr] = ref(d, frames[nr]), nr++;
	direct_send(d, (struct lg_event){ .kind = LG_EV_ACQUIRE, .pid = 1, .addr = addr,
					  .site = site ? ref(d, site) : LG_SITE_UNKNOWN,
					  .stack = nr ? stack : NULL, .stack_nr = nr }, name);
}

static void drop(struct direct *d, const char *name, uint64_t addr)
{
	direct_event(d, LG_EV_RELEASE, 1, name, addr, 0);
}

static const char *primer_of(struct direct *d, const char *from, const char *to)
{
	const struct lg_dep *dep = direct_dep(d, from, to);

	ck_assert_ptr_nonnull(dep);
	return dep->primer == LG_NONE ? "" : lg_graph_name(d->graph, dep->primer);
}

/* a call site in a function that only primes: its acquisitions are annotations */
START_TEST(site_in_a_priming_function)
{
	struct direct d;

	direct_init(&d);
	take(&d, "&amdgpu_reset_lock_key", 0x10, "amdgpu_lockdep_init+0x60/0x2d0 [amdgpu]", NULL);
	take(&d, "fs_reclaim", 0x20, "amdgpu_lockdep_init+0x6a/0x2d0 [amdgpu]", NULL);
	ck_assert_str_eq(primer_of(&d, "&amdgpu_reset_lock_key", "fs_reclaim"), "amdgpu_lockdep_init");
	ck_assert_int_eq(lg_dep_origin(direct_dep(&d, "&amdgpu_reset_lock_key", "fs_reclaim")),
			 LG_ORIGIN_ANNOTATION);
	direct_free(&d);
}
END_TEST

/* fs_reclaim_acquire()'s notifier map belongs to whoever called it */
START_TEST(helper_acquisitions_belong_to_its_caller)
{
	static const char *const primed[] = { "fs_reclaim_acquire+0x63/0x76",
		"amdgpu_lockdep_init+0x6a/0x2d0 [amdgpu]", "amdgpu_init+0x1c/0x90 [amdgpu]", NULL };
	static const char *const allocating[] = { "fs_reclaim_acquire+0x63/0x76",
		"prepare_alloc_pages.constprop.0+0x43/0x83", "__alloc_pages_noprof+0x6c/0x158",
		"pipe_write+0x26f/0x55f", NULL };
	struct direct d;

	direct_init(&d);
	take(&d, "fs_reclaim", 0x20, "amdgpu_lockdep_init+0x6a/0x2d0 [amdgpu]", NULL);
	take(&d, "mmu_notifier_invalidate_range_start", 0x30, "fs_reclaim_acquire+0x47/0x76",
	     primed);
	ck_assert_str_eq(primer_of(&d, "fs_reclaim", "mmu_notifier_invalidate_range_start"),
			 "amdgpu_lockdep_init");
	drop(&d, "mmu_notifier_invalidate_range_start", 0x30);
	drop(&d, "fs_reclaim", 0x20);
	/* an allocation's: code at run time, however often annotated elsewhere */
	take(&d, "&pipe->mutex", 0x40, "pipe_write+0x3f/0x55f", NULL);
	take(&d, "fs_reclaim", 0x20, "prepare_alloc_pages.constprop.0+0x43/0x83", NULL);
	take(&d, "mmu_notifier_invalidate_range_start", 0x30, "fs_reclaim_acquire+0x47/0x76",
	     allocating);
	ck_assert_str_eq(primer_of(&d, "&pipe->mutex", "fs_reclaim"), "");
	{
		const struct lg_dep *dep = direct_dep(&d, "fs_reclaim",
						      "mmu_notifier_invalidate_range_start");

		ck_assert_uint_eq(dep->count, 2);
		ck_assert_uint_eq(dep->annotated, 1);
		ck_assert_int_eq(lg_dep_origin(dep), LG_ORIGIN_OBSERVED);
	}
	/* a helper with no stack to say its caller: run time */
	drop(&d, "mmu_notifier_invalidate_range_start", 0x30);
	take(&d, "dma_fence_map", 0x50, "__dma_fence_might_wait+0x10/0x40", NULL);
	ck_assert_str_eq(primer_of(&d, "fs_reclaim", "dma_fence_map"), "");
	direct_free(&d);
}
END_TEST

/* a function that primes among real work: only the classes it primes */
START_TEST(mixed_function_primes_only_its_classes)
{
	struct direct d;

	direct_init(&d);
	take(&d, "&obj->vma.lock", 0x10, "vma_create+0x1c0/0x400 [i915]", NULL);
	take(&d, "fs_reclaim", 0x20, "vma_create+0x210/0x400 [i915]", NULL);
	ck_assert_str_eq(primer_of(&d, "&obj->vma.lock", "fs_reclaim"), "vma_create");
	drop(&d, "fs_reclaim", 0x20);
	take(&d, "&obj->mm.lock", 0x30, "vma_create+0x250/0x400 [i915]", NULL);
	ck_assert_str_eq(primer_of(&d, "&obj->vma.lock", "&obj->mm.lock"), "");
	ck_assert(lg_priming_primes(lg_priming_find("i915_address_space_init", 23), "&vm->mutex/1"));
	ck_assert(!lg_priming_primes(lg_priming_find("i915_address_space_init", 23), "&vm->mutex#2"));
	direct_free(&d);
}
END_TEST

/* a probe on a function says so for all it does, if it does nothing but prime;
 * a stack through one too, wherever the call site is */
START_TEST(probed_or_stacked_priming_functions)
{
	static const char *const resv[] = { "__ww_mutex_lock.constprop.0+0x90/0x1000",
		"ww_mutex_lock+0x3c/0xa0", "dma_resv_lockdep+0xd0/0x2e0", "do_one_initcall+0x58/0x300",
		NULL };
	struct direct d;

	direct_init(&d);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "xe_pm_runtime_lockdep_prime", 0, 0);
	take(&d, "xe_rpm_d3cold_map", 0x10, NULL, NULL);
	take(&d, "reservation_ww_class_mutex", 0x20, NULL, NULL);
	direct_event(&d, LG_EV_CONTEXT_EXIT, 1, "xe_pm_runtime_lockdep_prime", 0, 0);
	ck_assert_str_eq(primer_of(&d, "xe_rpm_d3cold_map", "reservation_ww_class_mutex"),
			 "xe_pm_runtime_lockdep_prime");
	drop(&d, "reservation_ww_class_mutex", 0x20);
	drop(&d, "xe_rpm_d3cold_map", 0x10);
	direct_event(&d, LG_EV_CONTEXT_ENTER, 1, "vma_create", 0, 0);
	take(&d, "A", 0x30, NULL, NULL);
	take(&d, "fs_reclaim", 0x40, NULL, NULL);
	ck_assert_str_eq(primer_of(&d, "A", "fs_reclaim"), "");	/* mixed: its sites only */
	direct_event(&d, LG_EV_CONTEXT_EXIT, 1, "vma_create", 0, 0);
	drop(&d, "fs_reclaim", 0x40);
	drop(&d, "A", 0x30);
	take(&d, "reservation_ww_class_acquire", 0x50, "dma_resv_lockdep+0xb0/0x2e0", NULL);
	take(&d, "reservation_ww_class_mutex", 0x20, "ww_mutex_lock+0x3c/0xa0", resv);
	ck_assert_str_eq(primer_of(&d, "reservation_ww_class_acquire", "reservation_ww_class_mutex"),
			 "dma_resv_lockdep");
	direct_free(&d);
}
END_TEST

/* a rule's dependency: there before the trace, never closing a cycle alone */
START_TEST(rules_prime_before_the_trace)
{
	struct direct d;
	struct lg_findings f = { 0 };
	uint32_t where;

	direct_init(&d);
	where = lg_strtab_intern(d.names, "r:1", 3);
	lg_graph_add_primed(d.graph, direct_class(&d, "A"), direct_class(&d, "B"), where);
	lg_graph_add_primed(d.graph, direct_class(&d, "B"), direct_class(&d, "A"), where);
	ck_assert_int_eq(lg_dep_origin(direct_dep(&d, "A", "B")), LG_ORIGIN_RULE);
	lg_detect_cycles(d.graph, &f);
	ck_assert_uint_eq(f.nr, 0);
	lg_findings_release(&f);
	take(&d, "B", 0xb, NULL, NULL);
	take(&d, "C", 0xc, NULL, NULL);
	drop(&d, "C", 0xc);
	drop(&d, "B", 0xb);
	take(&d, "C", 0xc, NULL, NULL);
	take(&d, "A", 0xa, NULL, NULL);		/* C -> A closes A -> B -> C */
	lg_detect_cycles(d.graph, &f);
	ck_assert_uint_eq(f.nr, 1);
	ck_assert_int_eq(lg_dep_origin(lg_graph_dep(d.graph, f.v[0].deps[0])), LG_ORIGIN_RULE);
	ck_assert_uint_eq(lg_graph_dep(d.graph, f.v[0].deps[2])->first.addr, 0xa);
	lg_findings_release(&f);
	/* seen in the trace too: observed, the rule kept */
	drop(&d, "A", 0xa);
	drop(&d, "C", 0xc);
	take(&d, "A", 0xa, NULL, NULL);
	take(&d, "B", 0xb, NULL, NULL);
	ck_assert_int_eq(lg_dep_origin(direct_dep(&d, "A", "B")), LG_ORIGIN_OBSERVED);
	ck_assert_uint_eq(direct_dep(&d, "A", "B")->rule, where);
	ck_assert_uint_eq(direct_dep(&d, "A", "B")->first.addr, 0xb);
	direct_free(&d);
}
END_TEST

static bool lone(struct direct *d, const char *name, uint64_t addr)
{
	struct lg_instance_others others;

	return lg_graph_lone_instance(d->graph, direct_class(d, name), 0, addr, &others);
}

static void take_and_drop(struct direct *d, const char *name, uint64_t addr, uint64_t t)
{
	direct_send(d, (struct lg_event){ .kind = LG_EV_ACQUIRE, .pid = 1, .addr = addr,
					  .time_ns = t }, name);
	drop(d, name, addr);
}

/* taken once, before the class's few others, one of which again and again */
START_TEST(a_dummy_lock_is_a_lone_first_instance)
{
	struct direct d;

	direct_init(&d);
	take_and_drop(&d, "L", 0x1, 10);	/* the dummy */
	take_and_drop(&d, "L", 0x2, 20);
	ck_assert(!lone(&d, "L", 0x1));		/* the other taken once only: no mark */
	take_and_drop(&d, "L", 0x2, 30);
	ck_assert(lone(&d, "L", 0x1));
	ck_assert(!lone(&d, "L", 0x2));
	take_and_drop(&d, "M", 0x3, 40);	/* taken once, but after another: no mark */
	take_and_drop(&d, "M", 0x4, 5);
	take_and_drop(&d, "M", 0x4, 50);
	ck_assert(!lone(&d, "M", 0x3));
	for (uint64_t a = 0x10; a < 0x10 + LG_INSTANCES; a++)	/* an object's lock: many */
		take_and_drop(&d, "L", a, 60 + a);
	ck_assert(!lone(&d, "L", 0x1));
	direct_free(&d);
}
END_TEST

Suite *primers_suite(void)
{
	Suite *s = suite_create("primers");
	TCase *tc = tcase_create("provenance");

	tcase_add_test(tc, site_in_a_priming_function);
	tcase_add_test(tc, helper_acquisitions_belong_to_its_caller);
	tcase_add_test(tc, mixed_function_primes_only_its_classes);
	tcase_add_test(tc, probed_or_stacked_priming_functions);
	tcase_add_test(tc, rules_prime_before_the_trace);
	tcase_add_test(tc, a_dummy_lock_is_a_lone_first_instance);
	suite_add_tcase(s, tc);
	return s;
}
