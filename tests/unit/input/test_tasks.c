/* Task indices: dense, cached, and idle tasks forgotten least recently
 * active first, their indices reused. */
#include "lockgraph/input/tasks.h"
#include "lockgraph/lib/util.h"
#include "unit.h"

static uint32_t index_of(struct lg_tasks *t, int pid, bool *added)
{
	struct lg_event ev = { .pid = pid, .cpu = 0 };

	return lg_tasks_of(t, &ev, added);
}

START_TEST(idle_tasks_are_forgotten_least_recently_active_first)
{
	struct lg_tasks t;
	bool added;
	uint32_t a, b, c;

	lg_tasks_init(&t);
	a = index_of(&t, 10, &added);
	ck_assert(added);
	b = index_of(&t, 11, &added);
	c = index_of(&t, 12, &added);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(c, 2);
	ck_assert_uint_eq(index_of(&t, 11, &added), b);
	ck_assert(!added);
	/* a, then c, then b go idle; a is active again, still idle */
	lg_tasks_set_idle(&t, a, true);
	lg_tasks_set_idle(&t, c, true);
	lg_tasks_set_idle(&t, b, true);
	lg_tasks_set_idle(&t, a, true);
	ck_assert_uint_eq(lg_tasks_excess_idle(&t, 3), LG_NONE);
	ck_assert_uint_eq(lg_tasks_excess_idle(&t, 2), c);
	lg_tasks_forget(&t, c);
	ck_assert_uint_eq(lg_tasks_excess_idle(&t, 1), b);
	/* b holds something again: not idle, not forgotten */
	lg_tasks_set_idle(&t, b, false);
	ck_assert_uint_eq(lg_tasks_excess_idle(&t, 0), a);
	/* the forgotten task is new again, at its old index */
	ck_assert_uint_eq(index_of(&t, 12, &added), c);
	ck_assert(added);
	ck_assert_uint_eq(index_of(&t, 13, &added), 3);
	ck_assert_uint_eq(t.nr, 4);
	/* and all go idle at a loss */
	lg_tasks_set_all_idle(&t);
	ck_assert_uint_eq(t.nr_idle, 4);
	lg_tasks_release(&t);
}
END_TEST

Suite *tasks_suite(void)
{
	Suite *s = suite_create("tasks");
	TCase *tc = tcase_create("tasks");

	tcase_add_test(tc, idle_tasks_are_forgotten_least_recently_active_first);
	suite_add_tcase(s, tc);
	return s;
}
