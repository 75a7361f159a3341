/* What record and analyze agree on: the tier a recording's events give, the
 * probes' fields, and the pthread calls known by their probes' names. */
#include "lockgraph/contract/probe_names.h"
#include "lockgraph/contract/pthread_calls.h"
#include "lockgraph/contract/tier.h"
#include "unit.h"

START_TEST(the_best_recorded_events_set_the_tier)
{
	ck_assert_int_eq(lg_tier_of(0), LG_TIER_NONE);
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_MMAP_LOCK), LG_TIER_MMAP_LOCK);
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_MMAP_LOCK | LG_RECORDED_CONTENTION),
			 LG_TIER_CONTENTION);
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_CONTENTION | LG_RECORDED_LOCKDEP),
			 LG_TIER_LOCKDEP);
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_LOCKDEP | LG_RECORDED_KEYS),
			 LG_TIER_LOCKDEP_KEYS);
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_LOCKDEP | LG_RECORDED_KEYS | LG_RECORDED_ARGS),
			 LG_TIER_LOCKDEP_ARGS);
	ck_assert_str_eq(lg_tier_name(LG_TIER_LOCKDEP_ARGS), "lockdep+args");
}
END_TEST

START_TEST(probes_on_lock_acquire_need_lockdep)
{
	/* an eprobe or tracepoint probe on lock_acquire exists only with it */
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_KEYS), LG_TIER_NONE);
	ck_assert_int_eq(lg_tier_of(LG_RECORDED_ARGS | LG_RECORDED_CONTENTION),
			 LG_TIER_CONTENTION);
}
END_TEST

START_TEST(calls_are_known_by_their_entry_names)
{
	ck_assert_int_eq(lg_pthread_call("pthread_mutex_lock", 18), LG_PT_MUTEX_LOCK);
	ck_assert_int_eq(lg_pthread_call("pthread_cond_clockwait", 22), LG_PT_COND_WAIT);
	ck_assert_int_eq(lg_pthread_call("pthread_mutex_lock" LG_PROBE_RETURN_SUFFIX, 26), -1);
	ck_assert_int_eq(lg_pthread_call("pthread_mutex", 13), -1);
	ck_assert(!lg_pthread_call_returns(LG_PT_MUTEX_UNLOCK));
	ck_assert(lg_pthread_call_returns(LG_PT_MUTEX_TRYLOCK));
}
END_TEST

/* The definitions record writes to the kernel, spelled out: the offsets are
 * struct lockdep_map's, and the field names are those the reader asks for. */
START_TEST(probe_arguments_define_the_fields_read_back)
{
	ck_assert_str_eq(LG_PROBE_CLASS_KEY_ARGS, "key=+0($lockdep_addr):x64 "
			 "wo=+32($lockdep_addr):u8 wi=+33($lockdep_addr):u8 "
			 "lt=+34($lockdep_addr):u8");
	ck_assert_str_eq(LG_PROBE_ACQUIRE_ARGS_ARGS, "lock=$arg1 subclass=$arg2:u32 "
			 "trylock=$arg3:s32 read=$arg4:s32 check=$arg5:s32 nest=$arg6 "
			 "ip=$arg7:symbol");
}
END_TEST

Suite *contract_suite(void)
{
	Suite *s = suite_create("contract");
	TCase *tc = tcase_create("contract");

	tcase_add_test(tc, the_best_recorded_events_set_the_tier);
	tcase_add_test(tc, probes_on_lock_acquire_need_lockdep);
	tcase_add_test(tc, calls_are_known_by_their_entry_names);
	tcase_add_test(tc, probe_arguments_define_the_fields_read_back);
	suite_add_tcase(s, tc);
	return s;
}
