/* Class keys from the eprobe and arguments from the tracepoint probe: which
 * class an acquisition gets, that holding it back for them keeps each task's
 * order, and that each reaches its own acquisition or none. */
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

	lg_class_keys_init(&k, o.names, true, false, false, record, &o);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x100, NULL);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x200, NULL);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x100, NULL);
	acquire(&k, &o, 1, 0, "&vmm->mutex");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x300, NULL);
	/* a static lock's first acquisition, before lockdep gave it a key */
	acquire(&k, &o, 1, 0, "lg_a");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0, NULL);
	acquire(&k, &o, 1, 0, "lg_a");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0xa, NULL);
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

	lg_class_keys_init(&k, o.names, true, false, false, record, &o);
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

	len += snprintf(o->log + len, sizeof(o->log) - len, "%s%s/%x", len ? " " : "",
			ev->kind == LG_EV_ACQUIRE ? lg_strtab_str(o->names, ev->class_name) : "-",
			ev->flags);
	if (ev->site != LG_SITE_UNKNOWN)
		snprintf(o->log + len, sizeof(o->log) - len, "@%u", ev->site);
}

static void acquire_in(struct lg_class_keys *k, struct out *o, enum lg_ctx ctx, uint64_t map,
		       const char *name)
{
	struct lg_event ev = { .kind = LG_EV_ACQUIRE, .pid = 1, .cpu = 0, .addr = map,
			       .ctx = ctx,
			       .class_name = lg_strtab_intern(o->names, name, strlen(name)) };

	lg_class_keys_event(k, &ev);
}

static void acquire_at(struct lg_class_keys *k, struct out *o, uint64_t map, const char *name)
{
	acquire_in(k, o, LG_CTX_PROCESS, map, name);
}

START_TEST(lock_acquire_arguments_give_subclass_read_kind_and_check)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	struct lg_acquire_args a = { .lock = 0x10, .subclass = 1, .read = 0, .check = 1 };

	lg_class_keys_init(&k, o.names, true, true, false, record_flags, &o);
	/* mutex_lock_nested(lock, 1): the tracepoint, its key, its arguments */
	acquire_at(&k, &o, 0x10, "&obj->lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x500, NULL);
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &a);
	/* a recursive read */
	a = (struct lg_acquire_args){ .lock = 0x20, .read = 2, .check = 1 };
	acquire_at(&k, &o, 0x20, "rcu_read_lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x600, NULL);
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &a);
	/* check=0 under a nest lock */
	a = (struct lg_acquire_args){ .lock = 0x30, .check = 0, .nest = 0x40 };
	acquire_at(&k, &o, 0x30, "&obj->lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x500, NULL);
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &a);
	ck_assert_str_eq(o.log, "&obj->lock/1/240 rcu_read_lock/4a &obj->lock/e0");
	ck_assert_uint_eq(k.unpaired, 0);
	ck_assert_uint_eq(k.incomplete, 0);
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/*
 * __dentry_kill(): spin_lock_nested(&dentry->d_lock, DENTRY_D_LOCK_NESTED),
 * with an irq that takes locks of its own between the tracepoint and the
 * probes: each acquisition gets its own key and arguments (call site
 * included), the irq's first.
 */
START_TEST(an_irq_between_tracepoint_and_arguments_keeps_each_its_own)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	struct lg_acquire_args task = { .lock = 0x10, .subclass = 1, .check = 1, .site = 11 };
	struct lg_acquire_args irq = { .lock = 0x20, .read = 2, .check = 1, .site = 12 };
	struct lg_acquire_args again = { .lock = 0x10, .check = 1, .site = 13 };

	lg_class_keys_init(&k, o.names, true, true, false, record_flags, &o);
	acquire_in(&k, &o, LG_CTX_PROCESS, 0x10, "&dentry->d_lock");
	acquire_in(&k, &o, LG_CTX_HARDIRQ, 0x20, "&irq->lock");
	lg_class_keys_key(&k, 0, LG_CTX_HARDIRQ, 0x600, NULL);
	lg_class_keys_args(&k, 0, LG_CTX_HARDIRQ, &irq);
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x500, NULL);
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &task);
	/* the next acquisition of that lock has subclass 0, its own */
	acquire_in(&k, &o, LG_CTX_PROCESS, 0x10, "&dentry->d_lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x500, NULL);
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &again);
	ck_assert_str_eq(o.log, "&irq->lock/4a@12 &dentry->d_lock/1/240@11 &dentry->d_lock/40@13");
	ck_assert_uint_eq(k.unpaired, 0);
	ck_assert_uint_eq(k.incomplete, 0);
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/* What cannot be paired for certain is dropped and counted: arguments with no
 * acquisition in flight in their context (its tracepoint lost, or an irq's
 * arguments after the irq's own next event), arguments of another lock, and
 * those after lost events. */
START_TEST(arguments_that_cannot_be_paired_are_dropped_and_counted)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	struct lg_acquire_args a10 = { .lock = 0x10, .subclass = 1, .check = 1 };
	struct lg_acquire_args a20 = { .lock = 0x20, .subclass = 2, .check = 1 };
	struct lg_event lost = { .kind = LG_EV_LOST, .cpu = 0 };

	lg_class_keys_init(&k, o.names, false, true, false, record_flags, &o);
	/* no acquisition in flight: never given to the next one of that lock */
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &a10);
	acquire_at(&k, &o, 0x10, "A");
	/* its own arguments are of another lock: lost; these are dropped */
	lg_class_keys_args(&k, 0, LG_CTX_PROCESS, &a20);
	/* in flight in another context only */
	acquire_in(&k, &o, LG_CTX_SOFTIRQ, 0x20, "B");
	lg_class_keys_args(&k, 0, LG_CTX_HARDIRQ, &a20);
	/* the buffer dropped events between B and its arguments */
	lg_class_keys_event(&k, &lost);
	lg_class_keys_args(&k, 0, LG_CTX_SOFTIRQ, &a20);
	lg_class_keys_flush(&k);
	ck_assert_str_eq(o.log, "A/0 B/0 -/0");
	ck_assert_uint_eq(k.unpaired, 4);
	ck_assert_uint_eq(k.incomplete, 2);
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/* "name:STACK_NR" per acquisition (its first frame's site with it), "-" per release. */
static void record_stacks(const struct lg_event *ev, void *arg)
{
	struct out *o = arg;
	size_t len = strlen(o->log);

	if (ev->kind != LG_EV_ACQUIRE) {
		snprintf(o->log + len, sizeof(o->log) - len, "%s-", len ? " " : "");
		return;
	}
	snprintf(o->log + len, sizeof(o->log) - len, "%s%s:%u@%u", len ? " " : "",
		 lg_strtab_str(o->names, ev->class_name), ev->stack_nr,
		 ev->stack_nr ? ev->stack[0] : 0);
}

static void lock_event(struct lg_class_keys *k, struct out *o, int kind, uint64_t map,
		       uint16_t flags, const char *name)
{
	struct lg_event ev = { .kind = kind, .pid = 7, .addr = map, .flags = flags,
			       .comm = "insmod", .comm_len = 6,
			       .class_name = name ? lg_strtab_intern(o->names, name, strlen(name)) : 0 };

	lg_class_keys_event(k, &ev);
}

static void args_of(struct lg_class_keys *k, uint64_t map)
{
	lg_class_keys_args(k, 0, LG_CTX_PROCESS, &(struct lg_acquire_args){ .lock = map, .check = 1 });
}

/*
 * mutex_lock(&lg_a) in a module, recorded with --stacks: the trigger's
 * unwinder takes rcu_read_lock inside lock_acquire()'s callbacks (twice
 * nested: once more inside that one's own stack walk), before lg_a's stack
 * and arguments. Each stack goes to its own acquisition, and the unwinder's
 * acquisitions and releases, the tracing's and not the module's, are dropped.
 */
START_TEST(stacks_go_to_their_own_acquisition_past_the_unwinder_s_locks)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	uint32_t first[] = { 11 }, r1[] = { 21, 22 }, a[] = { 31, 32, 33 };

	lg_class_keys_init(&k, o.names, true, true, false, record_stacks, &o);
	/* an earlier acquisition, with its stack: stacks are recorded */
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x50, 0, "&mm->mmap_lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x500, NULL);
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, first, 1);
	args_of(&k, 0x50);
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x10, 0, "lg_a");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0, NULL);
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x20, LG_ACQ_READ, "rcu_read_lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x600, NULL);
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x20, LG_ACQ_READ, "rcu_read_lock");
	lg_class_keys_key(&k, 0, LG_CTX_PROCESS, 0x600, NULL);
	args_of(&k, 0x20);		/* no stack: the unwinder nests no deeper */
	lock_event(&k, &o, LG_EV_RELEASE, 0x20, 0, NULL);
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, r1, 2);
	args_of(&k, 0x20);
	lock_event(&k, &o, LG_EV_RELEASE, 0x20, 0, NULL);
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, a, 3);
	args_of(&k, 0x10);
	/* the next acquisition, a read rcu_read_lock after lg_a's arguments */
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x20, LG_ACQ_READ, "rcu_read_lock");
	lg_class_keys_flush(&k);
	ck_assert_str_eq(o.log, "&mm->mmap_lock:1@11 lg_a:3@31 rcu_read_lock:0@0");
	ck_assert_uint_eq(k.unwinder, 2);
	ck_assert_uint_eq(k.unpaired, 0);
	ck_assert_uint_eq(k.incomplete, 1);	/* the last, flushed without key and arguments */
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/* Without arguments (a text trace) a stack completes its acquisition, and an
 * acquisition that gets none (--stacks=GLOB) waits for its context's next
 * event; a write acquisition never nests. Until the first stack nothing
 * waits for one: that first stack comes too late for its acquisition. */
START_TEST(without_arguments_a_stack_completes_its_acquisition)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	uint32_t s0[] = { 31 }, s1[] = { 41 }, s2[] = { 51 };

	lg_class_keys_init(&k, o.names, false, false, false, record_stacks, &o);
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x08, 0, "&p->pi_lock");
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, s0, 1);
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x10, 0, "&vm->lock");
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, s1, 1);
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x30, 0, "&mm->mmap_lock");	/* no stack */
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x40, 0, "fs_reclaim");
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, s2, 1);
	lock_event(&k, &o, LG_EV_RELEASE, 0x40, 0, NULL);
	/* the unwinder's rcu_read_lock before fs_reclaim's stack, and its release */
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x50, 0, "&mapping->i_mmap_rwsem");
	lock_event(&k, &o, LG_EV_ACQUIRE, 0x20, LG_ACQ_READ, "rcu_read_lock");
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, s1, 1);
	lock_event(&k, &o, LG_EV_RELEASE, 0x20, 0, NULL);
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, s2, 1);
	lg_class_keys_flush(&k);
	ck_assert_str_eq(o.log, "&p->pi_lock:0@0 &vm->lock:1@41 &mm->mmap_lock:0@0 "
			 "fs_reclaim:1@51 - &mapping->i_mmap_rwsem:1@51");
	ck_assert_uint_eq(k.unwinder, 1);
	ck_assert_uint_eq(k.unpaired, 1);
	lg_class_keys_release(&k);
	lg_strtab_free(o.names);
}
END_TEST

/* "comm/pid" per acquisition */
static void record_comms(const struct lg_event *ev, void *arg)
{
	struct out *o = arg;
	size_t len = strlen(o->log);
	char comm[32] = "";

	if (ev->kind != LG_EV_ACQUIRE)
		return;
	memcpy(comm, ev->comm, ev->comm_len < sizeof(comm) ? ev->comm_len : sizeof(comm) - 1);
	snprintf(o->log + len, sizeof(o->log) - len, "%s%s/%d", len ? " " : "", comm, ev->pid);
}

/* An acquisition held for its stack keeps its task's name (a copy: the
 * reader's line is gone), also when a CPU seen later grows the slots. */
START_TEST(a_held_acquisition_keeps_its_task_name)
{
	struct out o = { .names = lg_strtab_new() };
	struct lg_class_keys k;
	uint32_t frame[] = { 41 };
	char line[] = "kworker/u8:3";
	struct lg_event ev = { .kind = LG_EV_ACQUIRE, .pid = 9, .cpu = 0, .comm = line,
			       .comm_len = strlen(line),
			       .class_name = lg_strtab_intern(o.names, "&vm->lock", 9) };

	lg_class_keys_init(&k, o.names, false, false, false, record_comms, &o);
	lg_class_keys_event(&k, &ev);
	lg_class_keys_stack(&k, 0, LG_CTX_PROCESS, frame, 1);	/* stacks from now on */
	lg_class_keys_event(&k, &ev);				/* held for its stack */
	memset(line, 'x', strlen(line));
	ev.cpu = 200;
	ev.pid = 10;
	ev.comm = "insmod";
	ev.comm_len = 6;
	lg_class_keys_event(&k, &ev);
	lg_class_keys_flush(&k);
	ck_assert_str_eq(o.log, "kworker/u8:3/9 kworker/u8:3/9 insmod/10");
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
	tcase_add_test(tc, an_irq_between_tracepoint_and_arguments_keeps_each_its_own);
	tcase_add_test(tc, arguments_that_cannot_be_paired_are_dropped_and_counted);
	tcase_add_test(tc, stacks_go_to_their_own_acquisition_past_the_unwinder_s_locks);
	tcase_add_test(tc, without_arguments_a_stack_completes_its_acquisition);
	tcase_add_test(tc, a_held_acquisition_keeps_its_task_name);
	suite_add_tcase(s, tc);
	return s;
}
