/* String interning: ids are dense, stable and shared by equal strings. */
#include <stdio.h>
#include <string.h>

#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"
#include "unit.h"

START_TEST(equal_strings_share_an_id)
{
	struct lg_strtab *t = lg_strtab_new();
	uint32_t a = lg_strtab_intern(t, "&mm->mmap_lock", 14);
	uint32_t b = lg_strtab_intern(t, "fs_reclaim", 10);

	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(b, 1);
	ck_assert_uint_eq(lg_strtab_intern(t, "&mm->mmap_lock and more", 14), a);
	ck_assert_str_eq(lg_strtab_str(t, a), "&mm->mmap_lock");
	ck_assert_uint_eq(lg_strtab_count(t), 2);
	lg_strtab_free(t);
}
END_TEST

START_TEST(ids_survive_growth)
{
	struct lg_strtab *t = lg_strtab_new();
	char name[32];

	for (int i = 0; i < 20000; i++) {
		int n = snprintf(name, sizeof(name), "&class%d->lock", i);

		ck_assert_uint_eq(lg_strtab_intern(t, name, n), (uint32_t)i);
	}
	for (int i = 0; i < 20000; i += 997) {
		int n = snprintf(name, sizeof(name), "&class%d->lock", i);

		ck_assert_uint_eq(lg_strtab_intern(t, name, n), (uint32_t)i);
		ck_assert_str_eq(lg_strtab_str(t, i), name);
	}
	lg_strtab_free(t);
}
END_TEST

START_TEST(empty_and_long_strings)
{
	struct lg_strtab *t = lg_strtab_new();
	static char big[100000];

	memset(big, 'x', sizeof(big) - 1);
	ck_assert_uint_eq(lg_strtab_intern(t, "", 0), 0);
	ck_assert_uint_eq(lg_strtab_intern(t, big, sizeof(big) - 1), 1);
	ck_assert_uint_eq(strlen(lg_strtab_str(t, 1)), sizeof(big) - 1);
	ck_assert_str_eq(lg_strtab_str(t, 0), "");
	lg_strtab_free(t);
}
END_TEST

START_TEST(u64map_put_get_overwrite_clear)
{
	struct lg_u64map m;

	lg_u64map_init(&m);
	for (uint64_t k = 0; k < 10000; k++)
		lg_u64map_put(&m, k * 0x1000 + 0xffff888000000000ULL, (uint32_t)k);
	for (uint64_t k = 0; k < 10000; k++)
		ck_assert_uint_eq(lg_u64map_get(&m, k * 0x1000 + 0xffff888000000000ULL), k);
	ck_assert_uint_eq(lg_u64map_get(&m, 42), LG_NONE);
	lg_u64map_put(&m, 0xffff888000000000ULL, 7);
	ck_assert_uint_eq(lg_u64map_get(&m, 0xffff888000000000ULL), 7);
	ck_assert_uint_eq(m.nr, 10000);
	lg_u64map_clear(&m);
	ck_assert_uint_eq(lg_u64map_get(&m, 0xffff888000001000ULL), LG_NONE);
	lg_u64map_release(&m);
}
END_TEST

/* Removals among long probe runs (a small map, many keys): every other key
 * stays findable, removed ones are gone, and the map can fill again. */
START_TEST(u64map_remove_keeps_the_rest_findable)
{
	static uint32_t want[4096];
	struct lg_u64map m;
	uint32_t present = 0;
	uint64_t x = 1;

	lg_u64map_init(&m);
	for (uint32_t k = 0; k < 4096; k++) {
		want[k] = LG_NONE;
		lg_u64map_put(&m, k, k);
		want[k] = k;
	}
	for (int round = 0; round < 20000; round++) {
		uint32_t k;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		k = (x >> 33) % 4096;
		if (want[k] == LG_NONE) {
			lg_u64map_put(&m, k, k + 1);
			want[k] = k + 1;
		} else {
			lg_u64map_remove(&m, k);
			want[k] = LG_NONE;
		}
	}
	for (uint32_t k = 0; k < 4096; k++) {
		ck_assert_uint_eq(lg_u64map_get(&m, k), want[k]);
		present += want[k] != LG_NONE;
	}
	ck_assert_uint_eq(m.nr, present);
	lg_u64map_remove(&m, 99999);	/* absent: nothing happens */
	lg_u64map_release(&m);
}
END_TEST

Suite *strtab_suite(void)
{
	Suite *s = suite_create("strtab");
	TCase *tc = tcase_create("intern");

	tcase_add_test(tc, equal_strings_share_an_id);
	tcase_add_test(tc, ids_survive_growth);
	tcase_add_test(tc, empty_and_long_strings);
	suite_add_tcase(s, tc);
	return s;
}

Suite *u64map_suite(void)
{
	Suite *s = suite_create("u64map");
	TCase *tc = tcase_create("map");

	tcase_add_test(tc, u64map_put_get_overwrite_clear);
	tcase_add_test(tc, u64map_remove_keeps_the_rest_findable);
	suite_add_tcase(s, tc);
	return s;
}
