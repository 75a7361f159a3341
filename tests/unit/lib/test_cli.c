/* "Did you mean": the nearest name within an edit or two, a transposition
 * one edit, the only name a word begins, and nothing for a word far off. */
#include "lockgraph/lib/cli.h"
#include "unit.h"

static const char *const commands[] = { "record", "analyze" };
static const char *const options[] = { "format", "all", "cycles-only", "contention", "rules",
				       "fail-on", "strict", "baseline", "suppress", "save-graph" };
#define NR(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(near_names_are_meant)
{
	ck_assert_str_eq(lg_cli_closest("analyse", commands, NR(commands)), "analyze");
	ck_assert_str_eq(lg_cli_closest("anlayze", commands, NR(commands)), "analyze");
	ck_assert_str_eq(lg_cli_closest("recrod", commands, NR(commands)), "record");
	ck_assert_str_eq(lg_cli_closest("frmat", options, NR(options)), "format");
	ck_assert_str_eq(lg_cli_closest("cycles-onyl", options, NR(options)), "cycles-only");
	ck_assert_str_eq(lg_cli_closest("stirct", options, NR(options)), "strict");
}
END_TEST

START_TEST(a_prefix_of_one_name_is_meant)
{
	ck_assert_str_eq(lg_cli_closest("sav", options, NR(options)), "save-graph");
	/* two names begin so, and neither is near: no guess */
	ck_assert_ptr_null(lg_cli_closest("c", options + 2, 2));
}
END_TEST

START_TEST(far_words_are_not_guessed)
{
	ck_assert_ptr_null(lg_cli_closest("frobnicate", commands, NR(commands)));
	ck_assert_ptr_null(lg_cli_closest("xyz", options, NR(options)));
	/* a short word allows one edit only */
	ck_assert_ptr_null(lg_cli_closest("rl", options, NR(options)));
	ck_assert_ptr_null(lg_cli_closest("", commands, NR(commands)));
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("closest");

	tcase_add_test(tc, near_names_are_meant);
	tcase_add_test(tc, a_prefix_of_one_name_is_meant);
	tcase_add_test(tc, far_words_are_not_guessed);
	suite_add_tcase(s, tc);
	return s;
}
