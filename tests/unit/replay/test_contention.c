/* Contention statistics: nested begins, waits inside waits, LOCK_STAT pairs,
 * naming by class, symbol or address, and adding up by name. */
#include <string.h>

#include "lockgraph/replay/contention.h"
#include "unit.h"

#define BEGIN(who, flags, ts, addr, lcb) EV(who, "000", flags, ts, "contention_begin", addr " (flags=" lcb ")")
#define END(who, flags, ts, addr) EV(who, "000", flags, ts, "contention_end", addr " (ret=0)")
#define ACQ(who, ts, payload) EV(who, "000", ".....", ts, "lock_acquire", payload)

static void feed(const struct lg_event *ev, void *c)
{
	lg_contention_event(c, ev);
}

static const char *symbols(uint64_t addr, void *arg)
{
	(void)arg;
	return addr == 0xffffffff830f3100ULL ? "rtnl_mutex" : NULL;
}

/* Run text through a fresh contention table, ending the input with symbols. */
static struct lg_contention *contention_of(struct lg_strtab *names, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct lg_text_source *ts = lg_text_source_new(f, "c.txt", names);
	struct lg_contention *c = lg_contention_new(names);
	struct lg_error err;

	ck_assert_int_eq(lg_text_source_read(ts, feed, c, &err), 0);
	lg_contention_end_input(c, symbols, NULL);
	lg_text_source_free(ts);
	fclose(f);
	return c;
}

START_TEST(spin_then_sleep_is_one_wait)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		ACQ("t-1", "1.000000", "00000000000000a8 &svmm->mutex")
		BEGIN("t-1", ".....", "1.000010", "0000000000000050", "SPIN|MUTEX")
		BEGIN("t-1", ".....", "1.000020", "0000000000000050", "MUTEX")
		END("t-1", ".....", "1.000110", "0000000000000050"));
	const struct lg_lock_contention *l = lg_contention_get(c, 0);

	ck_assert_uint_eq(lg_contention_nr(c), 1);
	ck_assert_str_eq(l->name, "&svmm->mutex");
	ck_assert_int_eq(l->naming, LG_NAMED_BY_CLASS);
	ck_assert_str_eq(lg_contention_kind_name(l->kind), "mutex");
	ck_assert_uint_eq(l->contended, 1);
	ck_assert_uint_eq(l->total_ns, 100000);
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

START_TEST(wait_inside_a_wait_is_not_a_dependency_or_merged)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		BEGIN("t-1", ".....", "1.000000", "00000000000000a0", "READ")
		BEGIN("t-1", "d....", "1.000010", "ffffffff830f3100", "SPIN")
		END("t-1", "d....", "1.000015", "ffffffff830f3100")
		END("t-1", ".....", "1.000100", "00000000000000a0")
		END("t-1", ".....", "1.000200", "00000000000000ff"));

	ck_assert_uint_eq(lg_contention_nr(c), 2);
	ck_assert_str_eq(lg_contention_get(c, 0)->name, "00000000000000a0");
	ck_assert_int_eq(lg_contention_get(c, 0)->naming, LG_NAMED_BY_ADDRESS);
	ck_assert_str_eq(lg_contention_kind_name(lg_contention_get(c, 0)->kind), "rwsem:R");
	ck_assert_uint_eq(lg_contention_get(c, 0)->total_ns, 100000);
	ck_assert_str_eq(lg_contention_get(c, 1)->name, "rtnl_mutex");
	ck_assert_int_eq(lg_contention_get(c, 1)->naming, LG_NAMED_BY_SYMBOL);
	ck_assert_uint_eq(lg_contention_get(c, 1)->total_ns, 5000);
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

START_TEST(symbol_only_on_exact_match)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		BEGIN("t-1", ".....", "1.000000", "ffffffff830f3108", "SPIN")
		END("t-1", ".....", "1.000001", "ffffffff830f3108"));

	ck_assert_str_eq(lg_contention_get(c, 0)->name, "ffffffff830f3108");
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

START_TEST(lock_acquired_without_lock_contended_is_no_wait)
{
	/* found by fuzzing: a first lock_acquired at address 0 matched the
	 * zeroed "pending" state and named a wait by a class that was none */
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		EV("t-1", "000", ".....", "1.000001", "lock_acquired", "0000000000000000 ")
		ACQ("t-1", "1.000010", "0000000000000a01 &rq->__lock")
		EV("t-1", "000", ".....", "1.000011", "lock_acquired", "0000000000000a01 "));

	ck_assert_uint_eq(lg_contention_nr(c), 0);
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

START_TEST(lock_stat_pairs_and_instances_add_up)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		/* a lockdep kernel's slow path: acquire, begin, contended, acquired, end */
		ACQ("t-1", "1.000000", "0000000000000a01 &rq->__lock")
		BEGIN("t-1", ".....", "1.000000", "00000000000009f0", "SPIN")
		EV("t-1", "000", ".....", "1.000001", "lock_contended", "0000000000000a01 ")
		EV("t-1", "000", ".....", "1.000031", "lock_acquired", "0000000000000a01 ")
		END("t-1", ".....", "1.000031", "00000000000009f0")
		ACQ("u-2", "1.000040", "0000000000000b01 &rq->__lock")
		EV("u-2", "000", ".....", "1.000041", "lock_acquired", "0000000000000b01 ")
		ACQ("u-2", "1.000050", "0000000000000b01 &rq->__lock")
		EV("u-2", "000", ".....", "1.000060", "lock_contended", "0000000000000b01 ")
		EV("u-2", "000", ".....", "1.000160", "lock_acquired", "0000000000000b01 "));
	const struct lg_lock_contention *l = lg_contention_get(c, 0);

	ck_assert_uint_eq(lg_contention_nr(c), 2);	/* and the spinlock's own wait */
	ck_assert_str_eq(l->name, "&rq->__lock");
	ck_assert_str_eq(lg_contention_kind_name(l->kind), "lock_stat");
	ck_assert_str_eq(lg_contention_get(c, 1)->name, "&rq->__lock");
	ck_assert_str_eq(lg_contention_kind_name(lg_contention_get(c, 1)->kind), "spinlock");
	ck_assert_uint_eq(l->contended, 2);
	ck_assert_uint_eq(l->total_ns, 130000);
	ck_assert_uint_eq(l->max_ns, 100000);
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

#define MMAP(who, ts, event, payload) EV(who, "000", ".....", ts, event, payload)

START_TEST(mmap_lock_waits_named_by_start_locking_and_split_by_kind)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		/* the rwsem inside the mm, waited for after start_locking */
		MMAP("t-1", "1.000000", "mmap_lock_start_locking", "mm=0xffff888104783840 memcg_id=1 write=true")
		BEGIN("t-1", ".....", "1.000001", "ffff8881047838f8", "WRITE")
		END("t-1", ".....", "1.000101", "ffff8881047838f8")
		MMAP("t-1", "1.000102", "mmap_lock_acquire_returned", "mm=0xffff888104783840 memcg_id=1 write=true success=true")
		/* acquire_returned comes after the wait: it names nothing after it */
		BEGIN("t-1", ".....", "1.000103", "ffff88810478390c", "SPIN")
		END("t-1", ".....", "1.000104", "ffff88810478390c")
		MMAP("u-2", "1.000200", "mmap_lock_start_locking", "mm=0xffff888104783840 memcg_id=1 write=false")
		BEGIN("u-2", ".....", "1.000201", "ffff8881047838f8", "READ")
		END("u-2", ".....", "1.000211", "ffff8881047838f8"));

	ck_assert_uint_eq(lg_contention_nr(c), 3);
	ck_assert_str_eq(lg_contention_get(c, 0)->name, "&mm->mmap_lock");
	ck_assert_str_eq(lg_contention_kind_name(lg_contention_get(c, 0)->kind), "rwsem:W");
	ck_assert_uint_eq(lg_contention_get(c, 0)->total_ns, 100000);
	ck_assert_str_eq(lg_contention_get(c, 1)->name, "&mm->mmap_lock");
	ck_assert_str_eq(lg_contention_kind_name(lg_contention_get(c, 1)->kind), "rwsem:R");
	ck_assert_str_eq(lg_contention_get(c, 2)->name, "ffff88810478390c");
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

START_TEST(lost_events_drop_open_waits)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_contention *c = contention_of(names,
		BEGIN("t-1", ".....", "1.000000", "00000000000000a0", "SPIN")
		"CPU:0 [LOST 5 EVENTS]\n"
		END("t-1", ".....", "9.000000", "00000000000000a0"));

	ck_assert_uint_eq(lg_contention_nr(c), 0);
	lg_contention_free(c);
	lg_strtab_free(names);
}
END_TEST

Suite *contention_suite(void)
{
	Suite *s = suite_create("contention");
	TCase *tc = tcase_create("waits");

	tcase_add_test(tc, spin_then_sleep_is_one_wait);
	tcase_add_test(tc, wait_inside_a_wait_is_not_a_dependency_or_merged);
	tcase_add_test(tc, symbol_only_on_exact_match);
	tcase_add_test(tc, lock_stat_pairs_and_instances_add_up);
	tcase_add_test(tc, lock_acquired_without_lock_contended_is_no_wait);
	tcase_add_test(tc, mmap_lock_waits_named_by_start_locking_and_split_by_kind);
	tcase_add_test(tc, lost_events_drop_open_waits);
	suite_add_tcase(s, tc);
	return s;
}
