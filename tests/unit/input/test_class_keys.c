/* Class keys from the eprobe: which class an acquisition gets, and that
 * holding it back for its key keeps each task's order. */
#include <string.h>

#include "lockgraph/input/class_keys.h"
#include "unit.h"

/* What came out, in order: "name/pid/kind" per event. */
struct out {
	struct lg_strtab *names;
	char log[1024];
};

static void record(const struct lg_event *ev, void *arg)
{
	struct out *o = arg;
	size_t len = strlen(o->log);

	snprintf(o->log + len, sizeof(o->log) - len, "%s%s/%d/%s", len ? " " : "",
		 ev->kind == LG_EV_ACQUIRE ? lg_strtab_str(o->names, ev->class_name) : "-",
		 ev->pid, ev->kind == LG_EV_ACQUIRE ? "acq" : "rel");
}

static void acquire(struct lg_class_keys *k, struct out *o, int pid, uint32_t cpu,
		    const char *name)
{
	struct lg_event ev = { .kind = LG_EV_ACQUIRE, .pid = pid, .cpu = cpu,
			       .class_name = lg_strtab_intern(o->names, name, strlen(name)) };

	lg_class_keys_event(k, &ev);
}

static void release(struct lg_class_keys *k, int pid, uint32_t cpu)
{
	struct lg_event ev = { .kind = LG_EV_RELEASE, .pid = pid, .cpu = cpu };

	lg_class_keys_event(k, &ev);
}

START_TEST(classes_sharing_a_name_are_told_apart_by_key)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;

	lg_class_keys_init(&k, o.names, true, false, record, &o);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, 0x100, NULL);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, 0x200, NULL);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, 0x100, NULL);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, 0x300, NULL);
	/* a static lock's first acquisition, before lockdep gave it a key */
	acquire(&k, &o, 1, 0, "lg_a");
	lg_class_keys_key(&k, 0, 0, NULL);
	acquire(&k, &o, 1, 0, "lg_a");
	lg_class_keys_key(&k, 0, 0xa, NULL);
	ck_assert_str_eq(o.log, "&vmm->mutex/1/acq &vmm->mutex#2/1/acq &vmm->mutex/1/acq "
			 "&vmm->mutex#3/1/acq lg_a/1/acq lg_a/1/acq");
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

START_TEST(a_held_acquisition_goes_before_its_task_s_next_event)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;

	lg_class_keys_init(&k, o.names, true, false, record, &o);
	acquire(&k, &o, 1, 0, "A");
	release(&k, 2, 1);		/* another task, another CPU: A may wait */
	release(&k, 1, 1);		/* task 1 moved to CPU 1: A first */
	acquire(&k, &o, 3, 0, "B");
	release(&k, 4, 0);		/* CPU 0 goes on without B's key: B first */
	acquire(&k, &o, 5, 2, "C");
	lg_class_keys_flush(&k);	/* the end of the input */
	ck_assert_str_eq(o.log, "-/2/rel A/1/acq -/1/rel B/3/acq -/4/rel C/5/acq");
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/* "name/flags" of each acquisition that came out, flags as lockgraph sees them */
static void record_flags(const struct lg_event *ev, void *arg)
{
	struct out *o = arg;
	size_t len = strlen(o->log);

	snprintf(o->log + len, sizeof(o->log) - len, "%s%s/%x", len ? " " : "",
		 lg_strtab_str(o->names, ev->class_name), ev->flags);
}

static void acquire_at(struct lg_class_keys *k, struct out *o, uint64_t map, const char *name)
{
	struct lg_event ev = { .kind = LG_EV_ACQUIRE, .pid = 1, .cpu = 0, .addr = map,
			       .class_name = lg_strtab_intern(o->names, name, strlen(name)) };

	lg_class_keys_event(k, &ev);
}

START_TEST(lock_acquire_arguments_give_subclass_read_kind_and_check)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	struct lg_acquire_args a = { .lock = 0x10, .subclass = 1, .read = 0, .check = 1 };

	lg_class_keys_init(&k, o.names, true, true, record_flags, &o);
	/* mutex_lock_nested(lock, 1): the arguments after the tracepoint, then the key */
	acquire_at(&k, &o, 0x10, "&obj->lock");
	lg_class_keys_args(&k, 0, &a);
	lg_class_keys_key(&k, 0, 0x500, NULL);
	/* a recursive read, its arguments before the tracepoint this time */
	a = (struct lg_acquire_args){ .lock = 0x20, .read = 2, .check = 1 };
	lg_class_keys_args(&k, 0, &a);
	acquire_at(&k, &o, 0x20, "rcu_read_lock");
	lg_class_keys_key(&k, 0, 0x600, NULL);
	/* check=0 under a nest lock */
	a = (struct lg_acquire_args){ .lock = 0x30, .check = 0, .nest = 0x40 };
	acquire_at(&k, &o, 0x30, "&obj->lock");
	lg_class_keys_key(&k, 0, 0x500, NULL);
	lg_class_keys_args(&k, 0, &a);
	ck_assert_str_eq(o.log, "&obj->lock/1/40 rcu_read_lock/4a &obj->lock/e0");
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/* An irq between a lock's arguments and its tracepoint: each keeps its own. */
START_TEST(an_irq_between_arguments_and_tracepoint_keeps_both)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	struct lg_acquire_args task = { .lock = 0x10, .subclass = 1, .check = 1 };
	struct lg_acquire_args irq = { .lock = 0x20, .read = 2, .check = 1 };
	struct lg_acquire_args lost = { .lock = 0x30, .check = 1 };

	lg_class_keys_init(&k, o.names, true, true, record_flags, &o);
	lg_class_keys_args(&k, 0, &task);
	lg_class_keys_args(&k, 0, &irq);
	acquire_at(&k, &o, 0x20, "&irq->lock");
	lg_class_keys_key(&k, 0, 0x600, NULL);
	acquire_at(&k, &o, 0x10, "&obj->lock");
	lg_class_keys_key(&k, 0, 0x500, NULL);
	/* arguments whose acquisition never came are dropped with the next one's */
	lg_class_keys_args(&k, 0, &task);
	lg_class_keys_args(&k, 0, &lost);
	acquire_at(&k, &o, 0x10, "&obj->lock");
	lg_class_keys_key(&k, 0, 0x500, NULL);
	acquire_at(&k, &o, 0x30, "&other");
	lg_class_keys_key(&k, 0, 0x700, NULL);
	lg_class_keys_flush(&k);
	ck_assert_str_eq(o.log, "&irq->lock/4a &obj->lock/1/40 &obj->lock/1/40 &other/0");
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

Suite *class_keys_suite(void)
{
	Suite *s = suite_create("class_keys");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, classes_sharing_a_name_are_told_apart_by_key);
	tcase_add_test(tc, a_held_acquisition_goes_before_its_task_s_next_event);
	tcase_add_test(tc, lock_acquire_arguments_give_subclass_read_kind_and_check);
	tcase_add_test(tc, an_irq_between_arguments_and_tracepoint_keeps_both);
	suite_add_tcase(s, tc);
	return s;
}
