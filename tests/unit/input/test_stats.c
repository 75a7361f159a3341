/* What an input lost: the markers in the stream, and what the recorder's own
 * buffer statistics count beyond them, lost where the input does not say. */
#include "lockgraph/input/stats.h"
#include "unit.h"

START_TEST(recorded_losses_beyond_the_markers_are_unplaced)
{
	struct lg_input_stats st = { 0 };

	/* CPU 0: two counted markers, and the recorder counted three more */
	lg_input_stats_lost(&st, 0, 4);
	lg_input_stats_lost(&st, 0, 1);
	/* CPU 1: one marker without a count stands for all it counted */
	lg_input_stats_lost(&st, 1, 0);
	/* CPU 2: no marker at all; CPU 3: the markers say it all */
	lg_input_stats_lost(&st, 3, 7);
	lg_input_stats_recorded_lost(&st, 0, 8);
	lg_input_stats_recorded_lost(&st, 1, 10);
	lg_input_stats_recorded_lost(&st, 2, 6);
	lg_input_stats_recorded_lost(&st, 3, 7);
	ck_assert_uint_eq(st.lost_markers, 4);
	ck_assert_uint_eq(st.lost, 8 + 10 + 6 + 7);
	ck_assert_uint_eq(st.lost_unplaced, 3 + 6);
	ck_assert_uint_eq(st.unplaced_cpus, 0x5);
	ck_assert_uint_eq(st.lost_by_cpu[1], 10);
}
END_TEST

/* A zeroed page is a loss of unknown size where it lies; events the
 * recorder read that the file lacks are counted apart, by CPU. */
START_TEST(zeroed_pages_are_losses_and_missing_events_are_apart)
{
	struct lg_input_stats st = { 0 };

	lg_input_stats_zeroed(&st, 2);
	lg_input_stats_zeroed(&st, 2);
	lg_input_stats_missing(&st, 1, 40);
	lg_input_stats_missing(&st, 70, 2);
	ck_assert_uint_eq(st.zeroed_pages, 2);
	ck_assert_uint_eq(st.zeroed_cpus, 1ULL << 2);
	ck_assert_uint_eq(st.lost_markers, 2);
	ck_assert_uint_eq(st.uncounted_cpus, 1ULL << 2);
	ck_assert_uint_eq(st.missing, 42);
	ck_assert_uint_eq(st.missing_cpus, (1ULL << 1) | (1ULL << 63));
	ck_assert_uint_eq(st.lost_unplaced, 0);
}
END_TEST

START_TEST(uname_gives_the_release_and_a_version_only_where_written)
{
	struct lg_input_origin o = { 0 };

	/* trace-cmd's and lockgraph record's: no version */
	lg_input_origin_uname(&o, "Linux (none) 6.12.117 x86_64");
	ck_assert_str_eq(o.release, "6.12.117");
	ck_assert_str_eq(o.version, "");
	memset(&o, 0, sizeof(o));
	lg_input_origin_uname(&o, "Linux vm 6.12.117 #3 SMP PREEMPT_DYNAMIC Sat Nov 21 x86_64");
	ck_assert_str_eq(o.release, "6.12.117");
	ck_assert_str_eq(o.version, "#3 SMP PREEMPT_DYNAMIC Sat Nov 21");
	/* too short to say: nothing */
	memset(&o, 0, sizeof(o));
	lg_input_origin_uname(&o, "Linux vm");
	lg_input_origin_uname(&o, "Linux vm 6.1");
	lg_input_origin_uname(&o, NULL);
	ck_assert_str_eq(o.release, "");
	ck_assert_str_eq(o.version, "");
}
END_TEST

Suite *input_stats_suite(void)
{
	Suite *s = suite_create("input_stats");
	TCase *tc = tcase_create("lost");

	tcase_add_test(tc, recorded_losses_beyond_the_markers_are_unplaced);
	tcase_add_test(tc, zeroed_pages_are_losses_and_missing_events_are_apart);
	tcase_add_test(tc, uname_gives_the_release_and_a_version_only_where_written);
	suite_add_tcase(s, tc);
	return s;
}
