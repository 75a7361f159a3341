/* pthread uprobe hits into lock events: which call makes which event, and
 * what class a lock of a thread gets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/input/pthread_locks.h"
#include "unit.h"

struct fixture {
	struct lg_strtab *names;
	struct lg_pthread p;
	struct lg_event ev;
};

static void setup(struct fixture *f)
{
	f->names = lg_strtab_new();
	lg_pthread_init(&f->p, f->names);
}

static void teardown(struct fixture *f)
{
	lg_pthread_release(&f->p);
	lg_strtab_free(f->names);
}

/* The hit of a probe by thread pid: true if it made a lock event in f->ev. */
static bool hit(struct fixture *f, int pid, enum lg_pthread_call call, bool is_return,
		uint64_t lock, int ret)
{
	f->ev = (struct lg_event){ .pid = pid, .comm = "t", .comm_len = 1,
				   .ctx = LG_CTX_HARDIRQ, .irqflags = LG_IRQS_OFF };
	return lg_pthread_event(&f->p, &f->ev, call, is_return, lock, ret);
}

static const char *class(const struct fixture *f)
{
	return lg_strtab_str(f->names, f->ev.class_name);
}

START_TEST(lock_acquires_at_entry_and_an_error_return_undoes_it)
{
	struct fixture f;

	setup(&f);
	ck_assert(hit(&f, 10, LG_PT_MUTEX_LOCK, false, 0x1000, 0));
	ck_assert_int_eq(f.ev.kind, LG_EV_ACQUIRE);
	ck_assert_uint_eq(f.ev.addr, 0x1000);
	ck_assert_uint_eq(f.ev.flags, LG_ACQ_USER);
	/* a uprobe's irq flags are garbage: user space is process context */
	ck_assert_int_eq(f.ev.ctx, LG_CTX_PROCESS);
	ck_assert_uint_eq(f.ev.irqflags, 0);
	ck_assert_str_eq(class(&f), "pthread_mutex 0x1000 (tgid 10)");
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_LOCK, true, 0, 0));
	ck_assert(hit(&f, 10, LG_PT_MUTEX_LOCK, false, 0x1000, 0));
	ck_assert(hit(&f, 10, LG_PT_MUTEX_LOCK, true, 0, EDEADLK));
	ck_assert_int_eq(f.ev.kind, LG_EV_RELEASE);
	ck_assert_uint_eq(f.ev.addr, 0x1000);
	/* a robust mutex whose owner died is held all the same */
	ck_assert(hit(&f, 10, LG_PT_MUTEX_LOCK, false, 0x1000, 0));
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_LOCK, true, 0, EOWNERDEAD));
	teardown(&f);
}
END_TEST

START_TEST(trylock_acquires_on_success_only)
{
	struct fixture f;

	setup(&f);
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_TRYLOCK, false, 0x2000, 0));
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_TRYLOCK, true, 0, EBUSY));
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_TRYLOCK, false, 0x2000, 0));
	ck_assert(hit(&f, 10, LG_PT_MUTEX_TRYLOCK, true, 0, 0));
	ck_assert_int_eq(f.ev.kind, LG_EV_ACQUIRE);
	ck_assert_uint_eq(f.ev.addr, 0x2000);
	ck_assert_uint_eq(f.ev.flags, LG_ACQ_TRY | LG_ACQ_USER);
	teardown(&f);
}
END_TEST

START_TEST(a_return_without_its_entry_is_ignored)
{
	struct fixture f;

	setup(&f);
	/* the entry happened before the recording began */
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_TRYLOCK, true, 0, 0));
	/* nor does another call's return complete it */
	ck_assert(!hit(&f, 10, LG_PT_MUTEX_TRYLOCK, false, 0x2000, 0));
	ck_assert(!hit(&f, 10, LG_PT_COND_WAIT, true, 0, 0));
	teardown(&f);
}
END_TEST

START_TEST(cond_wait_releases_its_mutex_and_takes_it_again)
{
	struct fixture f;

	setup(&f);
	ck_assert(hit(&f, 10, LG_PT_COND_WAIT, false, 0x3000, 0));
	ck_assert_int_eq(f.ev.kind, LG_EV_RELEASE);
	ck_assert_uint_eq(f.ev.addr, 0x3000);
	/* a timeout still returns with the mutex held */
	ck_assert(hit(&f, 10, LG_PT_COND_WAIT, true, 0, ETIMEDOUT));
	ck_assert_int_eq(f.ev.kind, LG_EV_ACQUIRE);
	ck_assert_uint_eq(f.ev.addr, 0x3000);
	ck_assert_str_eq(class(&f), "pthread_mutex 0x3000 (tgid 10)");
	teardown(&f);
}
END_TEST

START_TEST(rwlock_reads_may_nest_and_unlock_releases)
{
	struct fixture f;

	setup(&f);
	ck_assert(hit(&f, 10, LG_PT_RWLOCK_RDLOCK, false, 0x4000, 0));
	ck_assert_int_eq(f.ev.kind, LG_EV_ACQUIRE);
	ck_assert_uint_eq(f.ev.flags, LG_ACQ_READ | LG_ACQ_RECURSIVE | LG_ACQ_USER);
	ck_assert_str_eq(class(&f), "pthread_rwlock 0x4000 (tgid 10)");
	ck_assert(hit(&f, 10, LG_PT_RWLOCK_WRLOCK, false, 0x4000, 0));
	ck_assert_uint_eq(f.ev.flags, LG_ACQ_USER);
	ck_assert(hit(&f, 10, LG_PT_RWLOCK_UNLOCK, false, 0x4000, 0));
	ck_assert_int_eq(f.ev.kind, LG_EV_RELEASE);
	teardown(&f);
}
END_TEST

START_TEST(threads_share_their_process_s_locks)
{
	struct fixture f;

	setup(&f);
	lg_pthread_new_task(&f.p, 10, 11, 0x3d0f00);	/* pthread_create: CLONE_THREAD */
	lg_pthread_new_task(&f.p, 11, 12, 0x11);	/* fork() from the thread */
	lg_pthread_new_task(&f.p, 12, 13, 0x3d0f00);	/* a thread of the child */
	ck_assert(hit(&f, 11, LG_PT_MUTEX_UNLOCK, false, 0x1000, 0));
	ck_assert_str_eq(class(&f), "pthread_mutex 0x1000 (tgid 10)");
	ck_assert(hit(&f, 13, LG_PT_MUTEX_UNLOCK, false, 0x1000, 0));
	ck_assert_str_eq(class(&f), "pthread_mutex 0x1000 (tgid 12)");
	teardown(&f);
}
END_TEST

/* Symbols as a process's files would give them: lock_a, a table of locks,
 * and two files' static `lock`s. Counts the questions. */
static int symbol(void *arg, uint32_t tgid, uint64_t addr, char *name, size_t len)
{
	int *asked = arg;

	(void)tgid;
	(*asked)++;
	if (addr == 0x1000)
		snprintf(name, len, "lock_a");
	else if (addr == 0x2000)
		snprintf(name, len, "table");
	else if (addr > 0x2000 && addr < 0x2100)
		snprintf(name, len, "table+0x%llx", (unsigned long long)addr - 0x2000);
	else if (addr == 0x3000 || addr == 0x4000)
		snprintf(name, len, "lock");
	else
		return -ENOENT;
	return 0;
}

static const char *lock_class(struct fixture *f, int pid, uint64_t lock)
{
	ck_assert(hit(f, pid, LG_PT_MUTEX_UNLOCK, false, lock, 0));
	return class(f);
}

START_TEST(globals_are_named_after_their_symbols)
{
	struct fixture f;
	uint32_t mutex;
	int asked = 0;

	setup(&f);
	lg_pthread_set_symbols(&f.p, symbol, &asked);
	lg_pthread_new_task(&f.p, 10, 11, 0x3d0f00);
	ck_assert_str_eq(lock_class(&f, 10, 0x1000), "lock_a (tgid 10)");
	mutex = f.ev.class_name;
	ck_assert_str_eq(lock_class(&f, 10, 0x2028), "table+0x28 (tgid 10)");
	ck_assert_str_eq(lock_class(&f, 10, 0x9000), "pthread_mutex 0x9000 (tgid 10)");
	/* the same global in another process is another lock */
	ck_assert_str_eq(lock_class(&f, 20, 0x1000), "lock_a (tgid 20)");
	/* each lock is named once, whoever takes it and how often */
	ck_assert_int_eq(asked, 4);
	for (int i = 0; i < 100; i++)
		ck_assert_str_eq(lock_class(&f, 11, 0x1000), "lock_a (tgid 10)");
	ck_assert_int_eq(asked, 4);
	/* a global is one object for the whole run: taken as an rwlock, still it */
	ck_assert(hit(&f, 10, LG_PT_RWLOCK_UNLOCK, false, 0x1000, 0));
	ck_assert_uint_eq(f.ev.class_name, mutex);
	teardown(&f);
}
END_TEST

/* Two statics of one name are two locks: the second one seen is told apart by
 * its address, for good. */
START_TEST(a_symbol_name_is_one_lock_s)
{
	struct fixture f;
	int asked = 0;

	setup(&f);
	lg_pthread_set_symbols(&f.p, symbol, &asked);
	ck_assert_str_eq(lock_class(&f, 10, 0x3000), "lock (tgid 10)");
	ck_assert_str_eq(lock_class(&f, 10, 0x4000), "lock 0x4000 (tgid 10)");
	ck_assert_str_eq(lock_class(&f, 10, 0x3000), "lock (tgid 10)");
	ck_assert_str_eq(lock_class(&f, 10, 0x4000), "lock 0x4000 (tgid 10)");
	ck_assert_str_eq(lock_class(&f, 20, 0x4000), "lock (tgid 20)");
	teardown(&f);
}
END_TEST

Suite *pthread_locks_suite(void)
{
	Suite *s = suite_create("pthread_locks");
	TCase *tc = tcase_create("calls");

	tcase_add_test(tc, lock_acquires_at_entry_and_an_error_return_undoes_it);
	tcase_add_test(tc, trylock_acquires_on_success_only);
	tcase_add_test(tc, a_return_without_its_entry_is_ignored);
	tcase_add_test(tc, cond_wait_releases_its_mutex_and_takes_it_again);
	tcase_add_test(tc, rwlock_reads_may_nest_and_unlock_releases);
	tcase_add_test(tc, threads_share_their_process_s_locks);
	tcase_add_test(tc, globals_are_named_after_their_symbols);
	tcase_add_test(tc, a_symbol_name_is_one_lock_s);
	suite_add_tcase(s, tc);
	return s;
}
