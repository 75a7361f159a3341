/* Snapshots of /proc/PID/maps in trace-cmd's procmaps text: what is kept, how
 * it is spelled, and a real process's own maps. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockgraph/record/proc_maps.h"
#include "unit.h"

static void parse(struct lg_proc_maps *pm, const char *exe, const char *maps)
{
	FILE *f = fmemopen((void *)maps, strlen(maps), "r");

	ck_assert_ptr_nonnull(f);
	lg_proc_maps_parse(pm, 0x1234, exe, f);
	fclose(f);
	ck_assert_uint_eq(pm->size, strlen(pm->text) + 1);
}

#define PROG "/usr/bin/prog"
#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"

/* A PIE and libc as Linux 6.x shows them: relro split, .bss past the files. */
static const char maps[] =
	"55bc1a5a6000-55bc1a5a7000 r--p 00000000 fe:00 11027508                   " PROG "\n"
	"55bc1a5a7000-55bc1a5a8000 r-xp 00001000 fe:00 11027508                   " PROG "\n"
	"55bc1a5a9000-55bc1a5aa000 r--p 00002000 fe:00 11027508                   " PROG "\n"
	"55bc1a5aa000-55bc1a5ab000 rw-p 00003000 fe:00 11027508                   " PROG "\n"
	"55bc1a5ab000-55bc1a5d3000 rw-p 00000000 00:00 0 \n"
	"55bc31c86000-55bc31ca7000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f53ba5ba000-7f53ba5bd000 rw-p 00000000 00:00 0 \n"
	"7f53ba5bd000-7f53ba5e3000 r--p 00000000 fe:00 332835                     " LIBC "\n"
	"7f53ba78c000-7f53ba790000 r--p 001ce000 fe:00 332835                     " LIBC "\n"
	"7f53ba790000-7f53ba792000 rw-p 001d2000 fe:00 332835                     " LIBC "\n"
	"7f53ba792000-7f53ba79f000 rw-p 00000000 00:00 0 \n"
	"7f53ba7a0000-7f53ba7a1000 rw-p 00000000 00:00 0 \n"
	"7fffd1a2e000-7fffd1a4f000 rw-p 00000000 00:00 0                          [stack]\n"
	"7fffd1b6f000-7fffd1b71000 r-xp 00000000 00:00 0                          [vdso]\n";

START_TEST(file_mappings_and_their_bss_are_kept)
{
	struct lg_proc_maps pm = { 0 };

	parse(&pm, PROG, maps);
	ck_assert_int_eq(pm.pid, 0x1234);
	ck_assert_uint_eq(pm.nr, 9);
	/* the anonymous mappings after a file's writable one are its .bss; the
	 * one after that is not adjacent, the one after [heap] no file's */
	ck_assert_str_eq(pm.text,
		"1234 9 " PROG "\n"
		"55bc1a5a6000 55bc1a5a7000 " PROG "\n"
		"55bc1a5a7000 55bc1a5a8000 " PROG "\n"
		"55bc1a5a9000 55bc1a5aa000 " PROG "\n"
		"55bc1a5aa000 55bc1a5ab000 " PROG "\n"
		"55bc1a5ab000 55bc1a5d3000 " PROG "\n"
		"7f53ba5bd000 7f53ba5e3000 " LIBC "\n"
		"7f53ba78c000 7f53ba790000 " LIBC "\n"
		"7f53ba790000 7f53ba792000 " LIBC "\n"
		"7f53ba792000 7f53ba79f000 " LIBC "\n");
	lg_proc_maps_release(&pm);
}
END_TEST

START_TEST(what_trace_cmd_cannot_read_back_is_left_out)
{
	static const char odd[] =
		"1000-2000 rw-p 00000000 fe:00 1 /tmp/with space/lib.so\n"
		"2000-3000 rw-p 00000000 00:00 0 \n"
		"3000-4000 rw-p 00000000 fe:00 2 /tmp/gone.so (deleted)\n"
		"4000-5000 r--p 00000000 fe:00 3 /lib/ro.so\n"
		"5000-6000 rw-p 00000000 00:00 0 \n"
		"6000-7000 rw-p 00000000 fe:00 4 /lib/rw.so\n"
		"not a maps line\n"
		"7000-8000 rw-p 00000000 00:00 0 \n"
		"8000-9000 rw-p 00000000 fe:00 5 /lib/last.so";
	struct lg_proc_maps pm = { 0 };
	char *maps = malloc(16384), *line = malloc(8192);

	/* a blank in the name would end it early: only names the file */
	parse(&pm, "/usr/bin/my prog", odd);
	ck_assert_str_eq(pm.text,
		"1234 3 /usr/bin/my?prog\n"
		"4000 5000 /lib/ro.so\n"
		"6000 7000 /lib/rw.so\n"
		"8000 9000 /lib/last.so\n");
	/* a line trace-cmd would refuse, longer than 4096 bytes, drops the option */
	memset(line, 'x', 4100);
	line[0] = '/';
	line[4100] = '\0';
	snprintf(maps, 16384, "1000-2000 r--p 00000000 fe:00 1 %s\n"
		 "2000-3000 r--p 00000000 fe:00 1 /lib/short.so\n", line);
	parse(&pm, line, maps);
	ck_assert_uint_eq(pm.nr, 1);
	ck_assert_uint_le(strcspn(pm.text, "\n"), 4096);
	ck_assert_ptr_nonnull(strstr(pm.text, "\n2000 3000 /lib/short.so\n"));
	free(maps);
	free(line);
	lg_proc_maps_release(&pm);
}
END_TEST

/* This process: its program and libc are in its snapshot; a process that has
 * exited has none, and keeps the last one. */
START_TEST(a_process_is_read_from_proc)
{
	struct lg_proc_maps pm = { 0 };
	char exe[PATH_MAX], head[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	ck_assert(lg_proc_maps_read(&pm, getpid()));
	snprintf(head, sizeof(head), "%x %x %s\n", (unsigned)getpid(), pm.nr, exe);
	ck_assert_uint_gt(pm.nr, 3);
	ck_assert(!strncmp(pm.text, head, strlen(head)));
	ck_assert_ptr_nonnull(strstr(pm.text, "/libc.so.6\n"));
	ck_assert(!lg_proc_maps_read(&pm, INT_MAX));
	ck_assert(!strncmp(pm.text, head, strlen(head)));
	lg_proc_maps_release(&pm);
}
END_TEST

Suite *proc_maps_suite(void)
{
	Suite *s = suite_create("proc_maps");
	TCase *tc = tcase_create("snapshots");

	tcase_add_test(tc, file_mappings_and_their_bss_are_kept);
	tcase_add_test(tc, what_trace_cmd_cannot_read_back_is_left_out);
	tcase_add_test(tc, a_process_is_read_from_proc);
	suite_add_tcase(s, tc);
	return s;
}
