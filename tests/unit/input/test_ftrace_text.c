/* The ftrace text reader over every layout the kernel and trace-cmd print. */
#include <stdio.h>
#include <string.h>

#include "unit.h"

struct parsed {
	int ret;
	struct lg_event ev;
	char comm[64];
	char class_name[128];
	struct lg_input_stats stats;
	const char *format;
	struct lg_error err;
};

/* The first event of the len bytes of text, with what it points to copied out. */
static struct parsed parse_n(const char *text, size_t len)
{
	struct parsed p = { 0 };
	struct lg_strtab *names = lg_strtab_new();
	FILE *f = fmemopen((void *)text, len, "r");
	struct lg_text_source *ts = lg_text_source_new(f, "t.txt", names);

	p.ret = lg_text_source_next(ts, &p.ev, &p.err);
	if (p.ret == 1) {
		snprintf(p.comm, sizeof(p.comm), "%.*s", (int)p.ev.comm_len, p.ev.comm);
		if (p.ev.kind == LG_EV_ACQUIRE)
			snprintf(p.class_name, sizeof(p.class_name), "%s",
				 lg_strtab_str(names, p.ev.class_name));
	}
	/* the rest is read for its counts, and for an error it holds */
	for (int ret = p.ret; ret == 1;) {
		ret = lg_text_source_next(ts, &(struct lg_event){ 0 }, &p.err);
		if (ret < 0)
			p.ret = ret;
	}
	p.stats = *lg_text_source_stats(ts);
	p.format = lg_text_source_format(ts);
	lg_text_source_free(ts);
	fclose(f);
	lg_strtab_free(names);
	return p;
}

static struct parsed parse(const char *text)
{
	return parse_n(text, strlen(text));
}

START_TEST(trace_file_with_irq_info)
{
	struct parsed p = parse("# tracer: nop\n#\n"
		"            bash-2150    [001] d.h1.   169.309530: lock_acquire: 0000000081e2717a try read &mm->mmap_lock\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_int_eq(p.ev.kind, LG_EV_ACQUIRE);
	ck_assert_str_eq(p.comm, "bash");
	ck_assert_int_eq(p.ev.pid, 2150);
	ck_assert_uint_eq(p.ev.cpu, 1);
	ck_assert_int_eq(p.ev.ctx, LG_CTX_HARDIRQ);
	ck_assert_uint_eq(p.ev.irqflags, LG_IRQS_OFF);
	ck_assert_uint_eq(p.ev.time_ns, 169309530000ULL);
	ck_assert_uint_eq(p.ev.addr, 0x81e2717aULL);
	ck_assert_uint_eq(p.ev.flags, LG_ACQ_TRY | LG_ACQ_READ);
	ck_assert_str_eq(p.class_name, "&mm->mmap_lock");
	ck_assert_str_eq(p.format, "ftrace");
}
END_TEST

START_TEST(four_flag_columns_and_softirq)
{
	struct parsed p = parse("  kworker/u16:2-312   [003] ..s1    98.562973: lock_acquire: ffff888753e39a80 fs_reclaim\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_str_eq(p.comm, "kworker/u16:2");
	ck_assert_int_eq(p.ev.pid, 312);
	ck_assert_int_eq(p.ev.ctx, LG_CTX_SOFTIRQ);
	ck_assert_uint_eq(p.ev.addr, 0xffff888753e39a80ULL);
}
END_TEST

START_TEST(tgid_column_without_irq_info)
{
	struct parsed p = parse("             cat-2274    (   2274) [001]    174.232261: lock_release: 00000000a08c0870 &p->lock\n"
				"            bash-2150    (-------) [000]    174.300000: lock_release: 00000000a08c0871 &p->lock\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_int_eq(p.ev.kind, LG_EV_RELEASE);
	ck_assert_str_eq(p.comm, "cat");
	ck_assert_int_eq(p.ev.pid, 2274);
	ck_assert_int_eq(p.ev.ctx, LG_CTX_PROCESS);
	ck_assert_uint_eq(p.stats.events, 2);
	ck_assert_uint_eq(p.stats.no_irq_info, 2);
}
END_TEST

START_TEST(comm_with_spaces_and_dashes)
{
	struct parsed p = parse("     Web Content-4242    [000] .....   10.000001: lock_acquire: 0000000000000001 &a->b\n");
	struct parsed q = parse("    gnome-shell-1-7      [001] .....   10.000001: lock_acquire: 0000000000000001 &a->b\n");

	ck_assert_str_eq(p.comm, "Web Content");
	ck_assert_int_eq(p.ev.pid, 4242);
	ck_assert_str_eq(q.comm, "gnome-shell-1");
	ck_assert_int_eq(q.ev.pid, 7);
}
END_TEST

START_TEST(trace_cmd_report)
{
	struct parsed p = parse("cpus=2\n"
		"              ls-2298  [000]   176.031985: contention_begin:     0xffff888627c2ba80 (flags=SPIN|MUTEX)\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_int_eq(p.ev.kind, LG_EV_CONTENTION_BEGIN);
	ck_assert_uint_eq(p.ev.addr, 0xffff888627c2ba80ULL);
	ck_assert_uint_eq(p.ev.arg, 0x1 | 0x20);
	ck_assert_str_eq(p.format, "trace-cmd-report");
}
END_TEST

START_TEST(trace_cmd_report_instance_prefix)
{
	struct parsed p = parse("cpus=2\n"
		"lgtest:               sh-21006 [000]  2215.097479: lock_acquire:         0xffff888627c2ba80 &a->b\n"
		"lgtest: CPU:1 [EVENTS DROPPED]\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_str_eq(p.comm, "sh");
	ck_assert_int_eq(p.ev.pid, 21006);
	ck_assert_uint_eq(p.stats.lost_markers, 1);
}
END_TEST

START_TEST(trace_cmd_report_latency_format)
{
	struct parsed p = parse("      ls-2298    0dNs2.   176.032644: contention_end:       0xffff8881003c07ec (ret=-4)\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_int_eq(p.ev.kind, LG_EV_CONTENTION_END);
	ck_assert_uint_eq(p.ev.cpu, 0);
	ck_assert_int_eq(p.ev.ctx, LG_CTX_SOFTIRQ);
	ck_assert_int_eq((int32_t)p.ev.arg, -4);
}
END_TEST

START_TEST(nanosecond_timestamps)
{
	struct parsed p = parse("  a-1  [000]   5.000000007: lock_acquire: 01 x\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_uint_eq(p.ev.time_ns, 5000000007ULL);
}
END_TEST

START_TEST(lost_events_both_spellings)
{
	struct parsed k = parse("CPU:1 [LOST 37 EVENTS]\n");
	struct parsed t = parse("CPU:3 [12 EVENTS DROPPED]\n");
	struct parsed u = parse("CPU:0 [EVENTS DROPPED]\n");
	struct parsed v = parse("CPU:2 [LOST EVENTS]\n");
	struct parsed w = parse("CPU:100 [LOST 2 EVENTS]\n");

	ck_assert_int_eq(k.ev.kind, LG_EV_LOST);
	ck_assert_uint_eq(k.ev.cpu, 1);
	ck_assert_uint_eq(k.stats.lost, 37);
	ck_assert_uint_eq(t.ev.cpu, 3);
	ck_assert_uint_eq(t.stats.lost, 12);
	ck_assert_int_eq(u.ret, 1);
	ck_assert_uint_eq(u.stats.lost_markers, 1);
	ck_assert_int_eq(v.ret, 1);
	ck_assert_uint_eq(v.ev.cpu, 2);
	ck_assert_uint_eq(v.stats.lost, 0);
	ck_assert_uint_eq(k.stats.lost_markers_by_cpu[1], 1);
	ck_assert_uint_eq(t.stats.lost_markers_by_cpu[3], 1);
	ck_assert_uint_eq(w.stats.lost_markers_by_cpu[LG_LOST_CPUS - 1], 1);
}
END_TEST

START_TEST(hash_ptr_off_empty_names)
{
	struct parsed p = parse("  a-1  [000] .....  5.000001: lock_acquire: ffff888100e0a6d8 &a->lock\n"
				"  a-1  [000] .....  5.000002: lock_release: ffff888100e0a6d8 \n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert(p.stats.names_dropped);
	ck_assert_uint_eq(p.stats.events, 2);
}
END_TEST

START_TEST(ptrval_is_counted_not_delivered)
{
	struct parsed p = parse("  swapper-1  [000] .....  0.100000: lock_acquire: (____ptrval____) &a->lock\n");

	ck_assert_int_eq(p.ret, 0);
	ck_assert_uint_eq(p.stats.unaddressed, 1);
	ck_assert_uint_eq(p.stats.events, 0);
	ck_assert_uint_eq(p.stats.skipped, 0);
}
END_TEST

START_TEST(other_events_and_headers_are_skipped)
{
	struct parsed p = parse("# tracer: nop\n\n##### CPU 1 buffer started ####\nCPU 2 is empty\n"
		"  <idle>-0  [000] d..2.  1.000000: sched_switch: prev_comm=swapper/0\n"
		"  bash-5  [000] .....  1.000001: do_sys_open <-do_syscall_64\n"
		"  bash-5  [000] .....  1.000001: <stack trace>\n => __mutex_lock+0x134/0xc70\n => do_syscall_64+0x68/0x280\n"
		"  bash-5  [000] .....  1.000002: lock_acquired: 00000000deadbeef &a->lock\n");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_int_eq(p.ev.kind, LG_EV_ACQUIRED);
	ck_assert_uint_eq(p.stats.skipped, 3);
	ck_assert_uint_eq(p.stats.events, 1);
}
END_TEST

START_TEST(malformed_lines_name_file_and_line)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "# x\n  a-1  [000] .....  1.000000 lock_acquire: 01 x\n",
		  "t.txt:2: expected ':' after the timestamp" },
		{ "  a-1  [000] .....  1.000000: lock_acquire: 01\n",
		  "t.txt:1: expected a lock class name after the address" },
		{ "  a-1  [000] .....  1.000000: lock_acquire: 0x11112222333344445 x\n",
		  "t.txt:1: expected a lock address (hex pointer)" },
		{ "  a-99999999999  [000] .....  1.000000: lock_acquire: 01 x\n",
		  "t.txt:1: expected an event line" },
		{ "  a-1  [000] .....  1.0000000001: lock_acquire: 01 x\n",
		  "t.txt:1: expected a timestamp with 1 to 9 decimals" },
		{ "  a-1  (  1 [000] .....  1.000000: lock_acquire: 01 x\n",
		  "t.txt:1: expected ')' closing the TGID column" },
		{ "  a-1  [000] .....  99999999999999999999.0: lock_acquire: 01 x\n",
		  "t.txt:1: expected a timestamp" },
		{ "  a-1  [000] q....  1.000000: lock_acquire: 01 x\n",
		  "t.txt:1: expected irq flags" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p = parse(cases[i].text);

		ck_assert_int_lt(p.ret, 0);
		ck_assert_msg(strstr(p.err.msg, cases[i].msg), "case %zu: '%s' lacks '%s'",
			      i, p.err.msg, cases[i].msg);
	}
}
END_TEST

static void collect_kinds(const struct lg_event *ev, void *arg)
{
	char *kinds = arg;

	kinds[strlen(kinds)] = "ARcaBELDS"[ev->kind];
	if (ev->flags & LG_ACQ_READ)
		kinds[strlen(kinds)] = 'r';
}

START_TEST(mmap_lock_events_and_downgrade)
{
	const char *text =
		"  t-1  [000] .....  1.000001: mmap_lock_start_locking: mm=0xffff888104781f40 memcg_path=/ write=true\n"
		"  t-1  [000] .....  1.000002: mmap_lock_acquire_returned: mm=0xffff888104781f40 memcg_path=/ write=true success=true\n"
		"  t-1  [000] .....  1.000003: mmap_lock_acquire_returned: mm=0xffff888104781f40 memcg_path=/ write=false success=true\n"
		"  t-1  [000] .....  1.000004: mmap_lock_released: mm=0xffff888104781f40 memcg_path=/ write=false\n"
		"  t-1  [000] .....  1.000005: mmap_lock_start_locking: mm=0xffff888104781f40 memcg_id=3 write=false\n"
		"  t-1  [000] .....  1.000006: mmap_lock_acquire_returned: mm=0xffff888104781f40 memcg_id=3 write=false success=true\n"
		"  t-1  [000] .....  1.000007: mmap_lock_released: mm=0xffff888104781f40 memcg_id=3 write=false\n";
	struct lg_strtab *names = lg_strtab_new();
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct lg_text_source *ts = lg_text_source_new(f, "t.txt", names);
	struct lg_error err;
	char kinds[32] = "";

	ck_assert_int_eq(lg_text_source_read(ts, collect_kinds, kinds, &err), 0);
	/* write start and acquire, downgrade, read release, read start, acquire, release */
	ck_assert_str_eq(kinds, "SADrRrSrArRr");
	ck_assert_uint_eq(lg_strtab_count(names), 1);
	ck_assert_str_eq(lg_strtab_str(names, 0), "&mm->mmap_lock");
	lg_text_source_free(ts);
	fclose(f);
	lg_strtab_free(names);
}
END_TEST

/* Damage that would otherwise read as a different trace. */
START_TEST(damaged_lines_are_errors)
{
	static const struct {
		const char *text;
		size_t len;	/* 0: strlen(text) */
		const char *msg;
	} cases[] = {
		/* a cut last line could be an acquisition with half its name */
		{ "  a-1  [000] .....  1.000000: lock_acquire: 01 &x->y", 0,
		  "t.txt:1: the last line has no newline: the file ends inside an event" },
		{ "  a-1  [000] .....  1.000000: lock_acq", 0,
		  "t.txt:1: the last line has no newline" },
		/* a NUL for a newline would join two lines into one name */
		{ "  a-1  [000] .....  1.000000: lock_acquire: 01 &x->y\0"
		  "  a-1  [000] .....  1.000001: lock_release: 01 &x->y\n", 106,
		  "t.txt:1: a NUL byte at column 53" },
		{ "  a-1  [000] .....  1.000000: lock_acquire: 01 &x\0->y\n", 54,
		  "t.txt:1: a NUL byte at column 50" },
		/* a lock event's name with no ':' is not a function-tracer line */
		{ "  a-1  [000] .....  1.000000: lock_release\n", 0,
		  "t.txt:1: expected ':' after the event name (is the line cut?)" },
		{ "  a-1  [000] .....  1.000000: mmap_lock_released x\n", 0,
		  "t.txt:1: expected ':' after the event name" },
		/* a lost newline: the next event would become part of a name */
		{ "  a-1  [000] .....  1.000000: lock_acquire: 01 x  a-1  [000] .....  1.000001: "
		  "lock_release: 01 x\n", 0, "t.txt:1: expected one event a line" },
		{ "  a-1  [000] .....  1.000000: sched_switch: prev_comm=a  a-1  [000] .....  "
		  "1.000001: contention_begin: 01 (flags=SPIN)\n", 0,
		  "(two lines joined?)" },
		{ "  a-1  [001] .....  2.000000: lock_acquire: 01 x\n"
		  "  a-1  [000] .....  1.000000: lock_acquire: 02 y\n"
		  "  a-1  [001] .....  1.500000: lock_release: 01 x\n", 0,
		  "t.txt:3: time goes back on CPU 1, from 2.000000000 to 1.500000000" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p = parse_n(cases[i].text, cases[i].len ? cases[i].len :
					  strlen(cases[i].text));

		ck_assert_msg(p.ret < 0, "case %zu: accepted", i);
		ck_assert_msg(strstr(p.err.msg, cases[i].msg), "case %zu: '%s' lacks '%s'",
			      i, p.err.msg, cases[i].msg);
	}
}
END_TEST

/* The function tracer on lock_acquire itself, a task called "CPU 0/KVM", a
 * comment without a newline at the end: none is damage. */
START_TEST(lines_like_damage_that_are_not)
{
	struct parsed p = parse("  a-1  [000] .....  1.000000: lock_acquire <-down_read\n"
		"  CPU 0/KVM-7  [001] .....  1.000001: lock_acquire: 01 &kvm->lock\n"
		"  a-1  [000] .....  1.000000: lock_release: 01 x\n"
		"# end");

	ck_assert_int_eq(p.ret, 1);
	ck_assert_str_eq(p.comm, "CPU 0/KVM");
	ck_assert_str_eq(p.class_name, "&kvm->lock");
	ck_assert_uint_eq(p.stats.events, 2);
	ck_assert_uint_eq(p.stats.skipped, 1);
}
END_TEST

Suite *ftrace_text_suite(void)
{
	Suite *s = suite_create("ftrace_text");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, trace_file_with_irq_info);
	tcase_add_test(tc, four_flag_columns_and_softirq);
	tcase_add_test(tc, tgid_column_without_irq_info);
	tcase_add_test(tc, comm_with_spaces_and_dashes);
	tcase_add_test(tc, trace_cmd_report);
	tcase_add_test(tc, trace_cmd_report_instance_prefix);
	tcase_add_test(tc, trace_cmd_report_latency_format);
	tcase_add_test(tc, nanosecond_timestamps);
	tcase_add_test(tc, lost_events_both_spellings);
	tcase_add_test(tc, hash_ptr_off_empty_names);
	tcase_add_test(tc, ptrval_is_counted_not_delivered);
	tcase_add_test(tc, other_events_and_headers_are_skipped);
	tcase_add_test(tc, malformed_lines_name_file_and_line);
	tcase_add_test(tc, mmap_lock_events_and_downgrade);
	tcase_add_test(tc, damaged_lines_are_errors);
	tcase_add_test(tc, lines_like_damage_that_are_not);
	suite_add_tcase(s, tc);
	return s;
}
