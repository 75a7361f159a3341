/* The novalidate list: built-in defaults, rules files adding and removing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

static char *write_rules(const char *text)
{
	char *path = strdup("/tmp/lockgraph-rules-XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(defaults_cover_unvalidated_maps)
{
	struct lg_rules *r = lg_rules_new();

	ck_assert(lg_rules_novalidate(r, "rcu_read_lock"));
	ck_assert(lg_rules_novalidate(r, "rcu_read_lock_bh"));
	ck_assert(lg_rules_novalidate(r, "rcu_read_lock_sched"));
	ck_assert(lg_rules_novalidate(r, "&dev->mutex"));
	ck_assert(!lg_rules_novalidate(r, "fs_reclaim"));
	ck_assert(!lg_rules_novalidate(r, "rcu_read"));
	lg_rules_free(r);
}
END_TEST

START_TEST(file_adds_and_overrides)
{
	char *path = write_rules("# local rules\n\n  novalidate   &ht->mutex  \nvalidate &dev->mutex\n"
				 "novalidate (wq_completion)my wq#2\n");
	struct lg_rules *r = lg_rules_new();
	struct lg_error err;

	ck_assert_int_eq(lg_rules_load(r, path, &err), 0);
	ck_assert(lg_rules_novalidate(r, "&ht->mutex"));
	ck_assert(!lg_rules_novalidate(r, "&dev->mutex"));
	ck_assert(lg_rules_novalidate(r, "(wq_completion)my wq#2"));
	ck_assert(lg_rules_novalidate(r, "rcu_read_lock"));
	lg_rules_free(r);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(bad_lines_name_file_and_line)
{
	char *path = write_rules("novalidate a\nignore b\n");
	struct lg_rules *r = lg_rules_new();
	struct lg_error err;
	char want[256];

	ck_assert_int_lt(lg_rules_load(r, path, &err), 0);
	snprintf(want, sizeof(want), "%s:2: expected \"novalidate CLASS\"", path);
	ck_assert_msg(strstr(err.msg, want), "%s", err.msg);
	ck_assert_int_lt(lg_rules_load(r, "/nonexistent/rules", &err), 0);
	ck_assert(strstr(err.msg, "/nonexistent/rules: cannot open rules"));
	lg_rules_free(r);
	unlink(path);
	free(path);
}
END_TEST

/* "novalidate a\0b" must not become "novalidate a" */
START_TEST(nul_byte_is_an_error)
{
	static const char text[] = "novalidate &x->lock\nnovalidate a\0b\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct lg_rules *r = lg_rules_new();
	struct lg_error err;

	ck_assert_int_lt(lg_rules_read(r, f, "rules", &err), 0);
	ck_assert_str_eq(err.msg, "rules:2: a NUL byte in the line");
	ck_assert(!lg_rules_novalidate(r, "a"));
	lg_rules_free(r);
	fclose(f);
}
END_TEST

Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("novalidate");

	tcase_add_test(tc, defaults_cover_unvalidated_maps);
	tcase_add_test(tc, nul_byte_is_an_error);
	tcase_add_test(tc, file_adds_and_overrides);
	tcase_add_test(tc, bad_lines_name_file_and_line);
	suite_add_tcase(s, tc);
	return s;
}
