/* From a process's address to the symbol it lies in, checked on this process:
 * its own maps as record saves them (proc_maps), a library it loaded, and
 * what the loader says about where it put both. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lockgraph/input/user_symbols.h"
#include "lockgraph/record/proc_maps.h"
#include "unit.h"

/* A lock of the test program itself, which the kernel loaded. */
static pthread_mutex_t unit_lock = PTHREAD_MUTEX_INITIALIZER;

/* This process's maps as record saves them and libtracecmd reads them back. */
struct fake_maps {
	struct {
		uint64_t start, end;
		char path[PATH_MAX];
	} v[512];
	int nr;
	uint32_t tgid;
};

static void snapshot(struct fake_maps *fm)
{
	struct lg_proc_maps pm = { 0 };
	const char *line;

	ck_assert(lg_proc_maps_read(&pm, getpid()));
	fm->nr = 0;
	fm->tgid = getpid();
	for (line = strchr(pm.text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		unsigned long long start, end;

		ck_assert_int_lt(fm->nr, 512);
		ck_assert_int_eq(sscanf(line, "%llx %llx %4095s", &start, &end,
					fm->v[fm->nr].path), 3);
		fm->v[fm->nr].start = start;
		fm->v[fm->nr++].end = end;
	}
	lg_proc_maps_release(&pm);
}

static bool mapping(void *arg, uint32_t tgid, uint64_t addr, struct lg_mapping *m)
{
	const struct fake_maps *fm = arg;

	for (int i = 0; tgid == fm->tgid && i < fm->nr; i++) {
		if (addr >= fm->v[i].start && addr < fm->v[i].end) {
			*m = (struct lg_mapping){ fm->v[i].start, fm->v[i].end, fm->v[i].path };
			return true;
		}
	}
	return false;
}

static const char locks_lib[] =
	"#include <pthread.h>\n"
	"pthread_mutex_t lg_global = PTHREAD_MUTEX_INITIALIZER;\n"
	"static pthread_mutex_t lg_bss_array[2000];\n"
	"struct lg_s { long pad[5]; pthread_mutex_t m; } lg_struct;\n"
	"void *lg_addr(int i) { return i < 0 ? (void *)&lg_struct.m : &lg_bss_array[i]; }\n";

struct fixture {
	struct fake_maps maps;
	struct lg_user_symbols us;
	void *lib;
	void *(*lg_addr)(int);
	char name[128];
};

static bool setup(struct fixture *f)
{
	write_file(in_tmp("locks.c"), locks_lib, strlen(locks_lib));
	if (!run_in_tmp("the user symbol tests", "cc -shared -fPIC -o liblocks.so locks.c"))
		return false;
	f->lib = dlopen(in_tmp("liblocks.so"), RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(f->lib, "%s", dlerror());
	f->lg_addr = (void *(*)(int))dlsym(f->lib, "lg_addr");
	ck_assert_ptr_nonnull(f->lg_addr);
	snapshot(&f->maps);
	lg_user_symbols_init(&f->us, mapping, &f->maps, sysconf(_SC_PAGESIZE), 0);
	return true;
}

static void teardown(struct fixture *f)
{
	lg_user_symbols_release(&f->us);
	dlclose(f->lib);
}

static int symbol(struct fixture *f, const void *addr)
{
	struct lg_error err = { "" };
	int ret = lg_user_symbol(&f->us, getpid(), (uintptr_t)addr, f->name, sizeof(f->name),
				 &err);

	ck_assert_msg(!ret || err.msg[0], "%d without a message", ret);
	return ret;
}

static void ck_symbol(struct fixture *f, const void *addr, const char *want)
{
	int ret = symbol(f, addr);

	ck_assert_msg(ret == 0, "%s: %d", want, ret);
	ck_assert_str_eq(f->name, want);
}

START_TEST(globals_of_a_library_and_of_the_program_are_named)
{
	struct fixture f;
	char want[64];
	void *heap;

	if (!setup(&f))
		return;
	ck_symbol(&f, dlsym(f.lib, "lg_global"), "lg_global");
	ck_symbol(&f, f.lg_addr(-1), "lg_struct+0x28");
	/* past the library's last file page: its .bss is an anonymous mapping */
	snprintf(want, sizeof(want), "lg_bss_array+0x%zx", 1999 * sizeof(pthread_mutex_t));
	ck_symbol(&f, f.lg_addr(1999), want);
	ck_symbol(&f, &unit_lock, "unit_lock");
	heap = malloc(sizeof(pthread_mutex_t));
	ck_assert_int_eq(symbol(&f, heap), -ENOENT);
	free(heap);
	/* code is in the file, but no data symbol */
	ck_assert_int_eq(symbol(&f, (void *)f.lg_addr), -ENOENT);
	teardown(&f);
}
END_TEST

/* The rest of an array found once needs the file no more; what was not found
 * before the file went has no name: the caller names it by address. */
START_TEST(a_symbol_found_names_the_rest_of_it_without_the_file)
{
	struct fixture f;
	char want[64];

	if (!setup(&f))
		return;
	ck_symbol(&f, f.lg_addr(0), "lg_bss_array");
	ck_assert_int_eq(unlink(in_tmp("liblocks.so")), 0);
	snprintf(want, sizeof(want), "lg_bss_array+0x%zx", 7 * sizeof(pthread_mutex_t));
	ck_symbol(&f, f.lg_addr(7), want);
	ck_assert_int_eq(symbol(&f, dlsym(f.lib, "lg_global")), -ENOENT);
	teardown(&f);
}
END_TEST

START_TEST(a_changed_or_misplaced_file_is_not_trusted)
{
	struct fixture f;
	Dl_info info;
	int nr = 0;

	if (!setup(&f))
		return;
	/* changed since a recording made at the epoch */
	f.us.not_after = 1;
	ck_assert_int_eq(symbol(&f, dlsym(f.lib, "lg_global")), -ESTALE);
	f.us.not_after = 0;
	/* only the library's first mapping left: its segments do not fit */
	for (int i = 0; i < f.maps.nr; i++) {
		bool lib = strstr(f.maps.v[i].path, "/liblocks.so");
		bool after_lib = nr && strstr(f.maps.v[nr - 1].path, "/liblocks.so");

		if (!lib || !after_lib)
			f.maps.v[nr++] = f.maps.v[i];
	}
	ck_assert_int_lt(nr, f.maps.nr);
	f.maps.nr = nr;
	ck_assert(dladdr(dlsym(f.lib, "lg_global"), &info));
	ck_assert_int_eq(symbol(&f, (char *)info.dli_fbase + 0x40), -ESTALE);
	ck_assert_int_eq(symbol(&f, dlsym(f.lib, "lg_global")), -ENOENT);
	teardown(&f);
}
END_TEST

/* Whatever the mapping names must not crash the reader: not ELF, a directory. */
START_TEST(garbage_where_a_file_was_is_an_error)
{
	static const char text[] = "not an ELF file\n";
	struct fixture f;

	if (!setup(&f))
		return;
	/* a new file: the mapped one must not change under this process */
	ck_assert_int_eq(unlink(in_tmp("liblocks.so")), 0);
	write_file(in_tmp("liblocks.so"), text, strlen(text));
	ck_assert_int_eq(symbol(&f, dlsym(f.lib, "lg_global")), -ENOEXEC);
	ck_assert_int_eq(unlink(in_tmp("liblocks.so")), 0);
	ck_assert_int_eq(mkdir(in_tmp("liblocks.so"), 0700), 0);
	ck_assert_int_eq(symbol(&f, dlsym(f.lib, "lg_global")), -EINVAL);
	teardown(&f);
}
END_TEST

Suite *user_symbols_suite(void)
{
	Suite *s = suite_create("user_symbols");
	TCase *tc = tcase_create("symbols");

	tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, globals_of_a_library_and_of_the_program_are_named);
	tcase_add_test(tc, a_symbol_found_names_the_rest_of_it_without_the_file);
	tcase_add_test(tc, a_changed_or_misplaced_file_is_not_trusted);
	tcase_add_test(tc, garbage_where_a_file_was_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}
