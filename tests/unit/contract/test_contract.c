/* What record and analyze agree on: the tier a recording's events give, the
 * probes' fields, and the pthread calls known by their probes' names. */
#include "lockgraph/contract/cpu_stats.h"
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

static void add_lost(void *arg, uint32_t cpu, const struct lg_cpu_stat *stat)
{
	uint64_t *by_cpu = arg;

	by_cpu[cpu < 4 ? cpu : 3] += stat->lost;
}

static void add_read(void *arg, uint32_t cpu, const struct lg_cpu_stat *stat)
{
	int64_t *by_cpu = arg;

	by_cpu[cpu < 4 ? cpu : 3] += stat->has_read ? (int64_t)stat->read : -1;
}

/* per_cpu/cpuN/stats as a 6.12 kernel prints them, as trace-cmd stores them
 * (CPUSTAT options, with its heading for another buffer instance) */
START_TEST(buffer_statistics_give_what_each_cpu_lost)
{
	static const char text[] =
		"CPU: 0\nentries: 3\noverrun: 6747\ncommit overrun: 2\nbytes: 0\n"
		"oldest event ts:  6093.236992\nnow ts:  6093.244454\ndropped events: 1\n"
		"read events: 49862\n"
		"CPU: 1\nentries: 0\noverrun: 0\ncommit overrun: 0\ndropped events: 0\n"
		"\nBuffer: lockgraph-42\n\n"
		"CPU: 0\noverrun: 10\n"
		"CPU: x\noverrun: 99\n"
		"CPU: 2\nnot the kernel's: 5\n";
	uint64_t by_cpu[4] = { 0 };

	ck_assert_uint_eq(lg_cpu_stats_lost("entries: 3\noverrun: 7\ncommit overrun: 1\n"
					    "dropped events: 2\nread events: 9\n"), 10);
	ck_assert_uint_eq(lg_cpu_stats_lost("entries: 3\n"), 0);
	lg_cpu_stats_each(text, add_lost, by_cpu);
	ck_assert_uint_eq(by_cpu[0], 6747 + 2 + 1 + 10);
	ck_assert_uint_eq(by_cpu[1], 0);
	ck_assert_uint_eq(by_cpu[2], 0);
	lg_cpu_stats_each("no statistics here", add_lost, by_cpu);
	ck_assert_uint_eq(by_cpu[3], 0);
}
END_TEST

/* "read events" is what the file should hold; a section without the line
 * (a kernel before 3.10) says nothing. */
START_TEST(buffer_statistics_give_what_each_cpu_read)
{
	static const char text[] =
		"CPU: 0\nentries: 3\noverrun: 6747\nread events: 49862\n"
		"CPU: 1\nentries: 0\noverrun: 0\n"
		"\nBuffer: lockgraph-42\n\n"
		"CPU: 0\nread events: 10\n";
	int64_t by_cpu[4] = { 0 };

	lg_cpu_stats_each(text, add_read, by_cpu);
	ck_assert_int_eq(by_cpu[0], 49862 + 10);
	ck_assert_int_eq(by_cpu[1], -1);
	ck_assert_int_eq(by_cpu[2], 0);
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
	tcase_add_test(tc, buffer_statistics_give_what_each_cpu_lost);
	tcase_add_test(tc, buffer_statistics_give_what_each_cpu_read);
	suite_add_tcase(s, tc);
	return s;
}
