/* Rules files: the novalidate list (built-in defaults, files adding and
 * removing), prime chains, comments, and each malformed line as an error. */
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

/* a class name keeps a '#' it holds; one after blanks starts a comment */
START_TEST(comments_after_directives)
{
	static const char text[] = "novalidate fs_reclaim # training\nnovalidate &x->lock#2\n"
				   "\t# indented comment\nprime a -> b#3 -> c\t# a chain\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct lg_rules *r = lg_rules_new();
	struct lg_error err;

	ck_assert_int_eq(lg_rules_read(r, f, "rules", &err), 0);
	ck_assert(lg_rules_novalidate(r, "fs_reclaim"));
	ck_assert(!lg_rules_novalidate(r, "fs_reclaim # training"));
	ck_assert(lg_rules_novalidate(r, "&x->lock#2"));
	ck_assert_uint_eq(lg_rules_nr_primes(r), 1);
	ck_assert_uint_eq(lg_rules_prime(r, 0)->nr, 3);
	ck_assert_str_eq(lg_rules_prime(r, 0)->classes[1], "b#3");
	ck_assert_str_eq(lg_rules_prime(r, 0)->where, "rules:4");
	lg_rules_free(r);
	fclose(f);
}
END_TEST

/* class names hold "->" (&adev->notifier_lock): only a word of its own is an arrow */
START_TEST(prime_chains_keep_order_and_place)
{
	static const char text[] = "\nprime &adev->notifier_lock -> fs_reclaim\n"
				   "prime  fs_reclaim  ->  mmu_notifier_invalidate_range_start -> &m->l\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct lg_rules *r = lg_rules_new();
	struct lg_error err;
	const struct lg_prime *p;

	ck_assert_int_eq(lg_rules_read(r, f, "x.rules", &err), 0);
	ck_assert_uint_eq(lg_rules_nr_primes(r), 2);
	p = lg_rules_prime(r, 0);
	ck_assert_uint_eq(p->nr, 2);
	ck_assert_str_eq(p->classes[0], "&adev->notifier_lock");
	ck_assert_str_eq(p->classes[1], "fs_reclaim");
	ck_assert_str_eq(p->where, "x.rules:2");
	p = lg_rules_prime(r, 1);
	ck_assert_uint_eq(p->nr, 3);
	ck_assert_str_eq(p->classes[2], "&m->l");
	ck_assert_str_eq(p->where, "x.rules:3");
	lg_rules_free(r);
	fclose(f);
}
END_TEST

static void assert_rejected(const char *line, const char *want)
{
	FILE *f = fmemopen((void *)line, strlen(line), "r");
	struct lg_rules *r = lg_rules_new();
	struct lg_error err;

	ck_assert_int_lt(lg_rules_read(r, f, "r", &err), 0);
	ck_assert_msg(!strcmp(err.msg, want), "'%s': '%s', not '%s'", line, err.msg, want);
	ck_assert_uint_eq(lg_rules_nr_primes(r), 0);
	lg_rules_free(r);
	fclose(f);
}

START_TEST(malformed_primes_say_what_was_expected)
{
	assert_rejected("prime\n", "r:1: expected \"prime CLASS -> CLASS [-> CLASS]...\": "
			"a chain of two classes at least");
	assert_rejected("prime a\n", "r:1: expected \"prime CLASS -> CLASS [-> CLASS]...\": "
			"a chain of two classes at least");
	assert_rejected("prime a ->\n", "r:1: expected \"prime CLASS -> CLASS [-> CLASS]...\": "
			"the chain ends with an arrow");
	assert_rejected("prime a b\n", "r:1: expected \"->\", found another class \"b\"");
	assert_rejected("prime -> a\n", "r:1: expected a class, found an arrow \"->\"");
	assert_rejected("prime a -> -> b\n", "r:1: expected a class, found an arrow \"->\"");
	assert_rejected("# ok\nprimes a -> b\n", "r:2: expected \"novalidate CLASS\", "
			"\"validate CLASS\" or \"prime CLASS -> CLASS [-> CLASS]...\"");
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
	tcase_add_test(tc, comments_after_directives);
	tcase_add_test(tc, prime_chains_keep_order_and_place);
	tcase_add_test(tc, malformed_primes_say_what_was_expected);
	suite_add_tcase(s, tc);
	return s;
}
