/* ELF look-ups for uprobes, checked against what the running process itself says:
 * dlsym for which version is the default, /proc/self/maps for file offsets. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lockgraph/lib/elf_symbols.h"
#include "unit.h"

static const char *const pthread_functions[] = {
	"pthread_mutex_lock", "pthread_mutex_trylock", "pthread_mutex_unlock",
	"pthread_rwlock_rdlock", "pthread_rwlock_wrlock", "pthread_rwlock_unlock",
	"pthread_cond_wait", "pthread_cond_timedwait", "pthread_cond_clockwait",
};

/* Where addr lies in the file mapped there and that file's inode, from
 * /proc/self/maps: an answer that owes nothing to ELF parsing. */
static uint64_t mapped_file_offset(const void *addr, ino_t *ino)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long long a = (uintptr_t)addr, found = ULLONG_MAX;
	char line[4096];

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off, inode;

		if (sscanf(line, "%llx-%llx %*s %llx %*x:%*x %llu", &start, &end, &off,
			   &inode) == 4 && a >= start && a < end) {
			found = a - start + off;
			*ino = inode;
			break;
		}
	}
	fclose(f);
	ck_assert_msg(found != ULLONG_MAX, "%p is in no mapping", addr);
	return found;
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_ino;
}

/* The offset our ELF reading gives must be the one the loader mapped addr from. */
static void ck_offset_is_mapped(const char *path, const char *name, const void *addr)
{
	struct lg_error err = { "" };
	uint64_t offset = 0, expected;
	ino_t ino;
	int ret = lg_elf_function_offset(path, name, &offset, &err);

	ck_assert_msg(ret == 0, "%s: %d %s", name, ret, err.msg);
	expected = mapped_file_offset(addr, &ino);
	ck_assert_uint_eq(ino, inode_of(path));
	ck_assert_msg(offset == expected, "%s: offset 0x%llx, mapped from 0x%llx", name,
		      (unsigned long long)offset, (unsigned long long)expected);
}

static void this_libc(char *path, size_t len)
{
	struct lg_error err = { "" };
	int ret = lg_elf_pthread_object("/bin/true", path, len, &err);

	ck_assert_msg(ret == 0, "%d %s", ret, err.msg);
}

START_TEST(dynamic_program_uses_the_libc_the_loader_maps)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	char path[PATH_MAX], small[8];
	struct lg_error err = { "" };
	size_t n;
	ino_t ino;

	this_libc(path, sizeof(path));
	n = strlen(path);
	ck_assert_uint_gt(n, strlen("/libc.so.6"));
	ck_assert_str_eq(path + n - strlen("/libc.so.6"), "/libc.so.6");
	ck_assert_int_eq(access(path, R_OK), 0);
	/* /bin/true and this test link the same libc: the file mapped here. */
	ck_assert_ptr_nonnull(libc);
	mapped_file_offset(dlsym(libc, "pthread_mutex_lock"), &ino);
	ck_assert_uint_eq(ino, inode_of(path));
	dlclose(libc);

	ck_assert_int_eq(lg_elf_pthread_object("/bin/true", small, sizeof(small), &err),
			 -ENAMETOOLONG);
}
END_TEST

START_TEST(pthread_offsets_are_where_the_loader_maps_them)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	char path[PATH_MAX];

	this_libc(path, sizeof(path));
	ck_assert_ptr_nonnull(libc);
	for (size_t i = 0; i < sizeof(pthread_functions) / sizeof(pthread_functions[0]); i++) {
		const char *name = pthread_functions[i];
		void *addr = dlsym(libc, name);
		Dl_info info;

		ck_assert_msg(addr, "dlsym %s: %s", name, dlerror());
		/* dlsym gave a function's first byte (maybe under an alias such
		 * as __pthread_mutex_unlock), in the libc /bin/true uses. */
		ck_assert(dladdr(addr, &info));
		ck_assert_ptr_eq(info.dli_saddr, addr);
		ck_assert_uint_eq(inode_of(info.dli_fname), inode_of(path));
		ck_offset_is_mapped(path, name, addr);
	}
	dlclose(libc);
}
END_TEST

/* glibc 2.36 has pthread_cond_wait@GLIBC_2.2.5 (the old condvar ABI) and
 * pthread_cond_wait@@GLIBC_2.3.2; programs link, and dlsym finds, the latter. */
START_TEST(default_version_wins_in_dynsym)
{
	static const char *const versioned[] = { "pthread_cond_wait", "pthread_cond_timedwait" };
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	char path[PATH_MAX];

	this_libc(path, sizeof(path));
	ck_assert_ptr_nonnull(libc);
	for (int i = 0; i < 2; i++) {
		void *def = dlsym(libc, versioned[i]);
		void *old = dlvsym(libc, versioned[i], "GLIBC_2.2.5");
		struct lg_error err = { "" };
		uint64_t offset;
		ino_t ino;

		ck_assert_ptr_eq(def, dlvsym(libc, versioned[i], "GLIBC_2.3.2"));
		ck_assert_ptr_nonnull(old);
		ck_assert_ptr_ne(def, old);
		ck_offset_is_mapped(path, versioned[i], def);
		ck_assert_int_eq(lg_elf_function_offset(path, versioned[i], &offset, &err), 0);
		ck_assert_uint_ne(offset, mapped_file_offset(old, &ino));
	}
	dlclose(libc);
}
END_TEST

/* binutils >= 2.35 writes "foo@V1" and "foo@@V2" into .symtab; stripped, only
 * .dynsym and .gnu.version are left to tell them apart. */
START_TEST(default_version_wins_in_symtab_and_when_stripped)
{
	static const char lib[] =
		"int foo_old(void) { return 1; }\n"
		"int foo_new(void) { return 2; }\n"
		"int bar_old(void) { return 3; }\n"
		"__asm__(\".symver foo_old, foo@V1\");\n"
		"__asm__(\".symver foo_new, foo@@V2\");\n"
		"__asm__(\".symver bar_old, bar@V1\");\n";
	static const char map[] =
		"V1 { global: foo; bar; local: *; };\n"
		"V2 { global: foo; } V1;\n";
	char path[PATH_MAX], stripped[PATH_MAX];
	struct lg_error err = { "" };
	uint64_t offset, from_dynsym;
	ino_t ino;
	void *h;

	write_file(in_tmp("v.c"), lib, strlen(lib));
	write_file(in_tmp("v.map"), map, strlen(map));
	if (!run_in_tmp("the versioned library test",
			"cc -shared -fPIC -Wl,--version-script=v.map -o libv.so v.c && "
			"strip -o libv-stripped.so libv.so"))
		return;
	strcpy(path, in_tmp("libv.so"));
	strcpy(stripped, in_tmp("libv-stripped.so"));
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h, "%s", dlerror());
	ck_assert_ptr_eq(dlsym(h, "foo"), dlvsym(h, "foo", "V2"));
	ck_offset_is_mapped(path, "foo", dlsym(h, "foo"));
	ck_assert_int_eq(lg_elf_function_offset(path, "foo", &offset, &err), 0);
	ck_assert_uint_ne(offset, mapped_file_offset(dlvsym(h, "foo", "V1"), &ino));
	ck_assert_int_eq(lg_elf_function_offset(stripped, "foo", &from_dynsym, &err), 0);
	ck_assert_uint_eq(from_dynsym, offset);
	/* bar has only a non-default version; foo_old, local to the library, is a
	 * static function like any other: what foo@V1 runs. */
	ck_assert_int_eq(lg_elf_function_offset(path, "bar", &offset, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "non-default"));
	ck_assert_int_eq(lg_elf_function_offset(stripped, "bar", &offset, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "non-default"));
	ck_assert_int_eq(lg_elf_function_offset(path, "foo_old", &offset, &err), 0);
	ck_assert_uint_eq(offset, mapped_file_offset(dlvsym(h, "foo", "V1"), &ino));
	dlclose(h);
}
END_TEST

static void ck_not_defined(const char *path, const char *name)
{
	struct lg_error err = { "" };
	uint64_t offset;

	ck_assert_int_eq(lg_elf_function_offset(path, name, &offset, &err), -ENOENT);
	ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, name), "%s", err.msg);
}

START_TEST(undefined_imported_or_data_symbols_are_enoent)
{
	char path[PATH_MAX];

	this_libc(path, sizeof(path));
	ck_not_defined(path, "lg_no_such_function");
	ck_not_defined(path, "pthread_mutex");		/* a prefix of real names */
	ck_not_defined(path, "environ");		/* data, not a function */
	ck_not_defined("/bin/true", "__libc_start_main");	/* imported, undefined */
}
END_TEST

static void ck_bad_file(const char *path, int errnum, const char *why)
{
	struct lg_error err = { "" };
	char object[PATH_MAX];
	uint64_t offset;

	ck_assert_int_eq(lg_elf_function_offset(path, "pthread_mutex_lock", &offset, &err),
			 -errnum);
	ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, why), "%s", err.msg);
	err.msg[0] = '\0';
	ck_assert_int_eq(lg_elf_pthread_object(path, object, sizeof(object), &err), -errnum);
	ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, why), "%s", err.msg);
}

START_TEST(garbage_files_give_errors_naming_them)
{
	static const char text[] = "#!/bin/sh\necho not ELF\n";
	char libc[PATH_MAX];
	size_t len;
	char *data;

	write_file(in_tmp("script"), text, strlen(text));
	ck_bad_file(in_tmp("script"), ENOEXEC, "not an ELF file");
	write_file(in_tmp("empty"), "", 0);
	ck_bad_file(in_tmp("empty"), ENOEXEC, "not an ELF file");
	ck_bad_file(tmpdir, EINVAL, "not a regular file");
	/* opened, a FIFO would wait for a writer that never comes */
	ck_assert_int_eq(mkfifo(in_tmp("fifo"), 0600), 0);
	ck_bad_file(in_tmp("fifo"), EINVAL, "not a regular file");
	ck_bad_file(in_tmp("missing"), ENOENT, "No such file");

	this_libc(libc, sizeof(libc));
	data = read_file(libc, &len);
	write_file(in_tmp("libc-100"), data, 100);
	ck_bad_file(in_tmp("libc-100"), ENOEXEC, "truncated or corrupt");
	free(data);
	data = read_file("/bin/true", &len);
	write_file(in_tmp("true-100"), data, 100);
	ck_bad_file(in_tmp("true-100"), ENOEXEC, "truncated or corrupt");
	/* Without section headers (as sstrip leaves programs), cut inside the
	 * program headers: libelf alone would report fewer of them, no PT_INTERP,
	 * and so a static program. */
	memset(data + offsetof(Elf64_Ehdr, e_shoff), 0, sizeof(Elf64_Off));
	memset(data + offsetof(Elf64_Ehdr, e_shnum), 0, sizeof(Elf64_Half));
	write_file(in_tmp("true-300"), data, 300);
	ck_bad_file(in_tmp("true-300"), ENOEXEC, "program headers lie past its end");
	free(data);
}
END_TEST

static void ck_survives(const char *path, const char *what, size_t at)
{
	struct lg_error err = { "" };
	struct lg_elf_loads loads;
	uint64_t offset, size;
	char name[64];
	int ret = lg_elf_function_offset(path, "lg_no_such_function", &offset, &err);

	ck_assert_msg(ret < 0, "%s at %zu: found a function that is not there", what, at);
	ck_assert_msg(strstr(err.msg, path), "%s at %zu: %s", what, at, err.msg);
	/* any answer will do, and the symbol must be a string that fits */
	if (!lg_elf_object_symbol(path, at, name, sizeof(name), &offset, &size, &err))
		ck_assert_uint_lt(strlen(name), sizeof(name));
	lg_elf_loads(path, &loads, &err);
	ck_assert_uint_le(loads.nr, LG_ELF_MAX_LOADS);
}

/* Whether byte i of a 64-bit ELF file is one the reader interprets: headers,
 * symbol tables, .gnu.version, and one byte in 8 of the string tables (the
 * rest of their bytes only change names). Not code or data. */
static bool interpreted(const char *data, size_t i)
{
	Elf64_Ehdr eh;

	memcpy(&eh, data, sizeof(eh));
	if (i < sizeof(eh) ||
	    (i >= eh.e_phoff && i < eh.e_phoff + (size_t)eh.e_phnum * eh.e_phentsize) ||
	    i >= eh.e_shoff)
		return true;
	for (size_t k = 0; k < eh.e_shnum; k++) {
		Elf64_Shdr sh;

		memcpy(&sh, data + eh.e_shoff + k * sizeof(sh), sizeof(sh));
		if (i < sh.sh_offset || i >= sh.sh_offset + sh.sh_size)
			continue;
		if (sh.sh_type == SHT_DYNSYM || sh.sh_type == SHT_SYMTAB ||
		    sh.sh_type == SHT_GNU_versym || (sh.sh_type == SHT_STRTAB && i % 8 == 0))
			return true;
	}
	return false;
}

/* Every truncation and every flipped byte the reader interprets, in a real
 * program: an error naming the file, never a crash (ASan and valgrind watch). */
START_TEST(truncated_and_corrupt_copies_never_crash)
{
	const char *path = in_tmp("true-broken");
	size_t len, flipped = 0;
	char *data = read_file("/bin/true", &len);
	Elf64_Ehdr eh;
	int fd;

	memcpy(&eh, data, sizeof(eh));
	ck_assert_int_eq(data[EI_CLASS], ELFCLASS64);
	ck_assert_uint_eq(eh.e_shoff + eh.e_shnum * sizeof(Elf64_Shdr), len);
	for (size_t n = 0; n < len; n += 61) {
		write_file(path, data, n);
		ck_survives(path, "truncation", n);
	}
	write_file(path, data, len);
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	for (size_t i = 0; i < len; i++) {
		char flip = data[i] ^ 0xff;

		if (!interpreted(data, i))
			continue;
		flipped++;
		ck_assert_int_eq(pwrite(fd, &flip, 1, i), 1);
		ck_survives(path, "flipped byte", i);
		ck_assert_int_eq(pwrite(fd, data + i, 1, i), 1);
	}
	close(fd);
	ck_assert_uint_gt(flipped, 2000);
	free(data);
}
END_TEST

static const char static_program[] =
	"#include <pthread.h>\n"
	"#include <stdint.h>\n"
	"#include <stdio.h>\n"
	"int main(void)\n"
	"{\n"
	"	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
	"	unsigned long long a = (uintptr_t)&pthread_mutex_lock, s, e, o;\n"
	"	FILE *f = fopen(\"/proc/self/maps\", \"r\");\n"
	"	char line[4096];\n"
	"\n"
	"	pthread_mutex_lock(&m);\n"
	"	while (f && fgets(line, sizeof(line), f))\n"
	"		if (sscanf(line, \"%llx-%llx %*s %llx\", &s, &e, &o) == 3 && a >= s && a < e)\n"
	"			printf(\"%llx\\n\", a - s + o);\n"
	"	return 0;\n"
	"}\n";

/* A static program is its own pthread object; it prints where its own
 * pthread_mutex_lock was mapped from. */
START_TEST(static_program_is_its_own_pthread_object)
{
	struct lg_error err = { "" };
	char object[PATH_MAX], prog[PATH_MAX], *out;
	unsigned long long expected;
	uint64_t offset;
	size_t len;
	int ret;

	write_file(in_tmp("static.c"), static_program, strlen(static_program));
	if (!run_in_tmp("the static program test (is libc.a installed?)",
			"cc -static -pthread -o static static.c && ./static > static.out"))
		return;
	strcpy(prog, in_tmp("static"));
	ret = lg_elf_pthread_object(prog, object, sizeof(object), &err);
	ck_assert_msg(ret == 0, "%d %s", ret, err.msg);
	ck_assert_str_eq(object, prog);
	ck_assert_int_eq(lg_elf_function_offset(prog, "pthread_mutex_lock", &offset, &err), 0);
	out = read_file(in_tmp("static.out"), &len);
	ck_assert_int_eq(sscanf(out, "%llx", &expected), 1);
	ck_assert_uint_eq(offset, expected);
	free(out);
}
END_TEST

START_TEST(programs_without_pthreads_are_named_in_the_error)
{
	static const char start[] =
		"void _start(void) { for (;;) __asm__ volatile(\"mov $60, %eax; xor %edi, %edi; syscall\"); }\n";
	struct lg_error err = { "" };
	char object[PATH_MAX], prog[PATH_MAX];

	write_file(in_tmp("start.c"), start, strlen(start));
	if (!run_in_tmp("the libc-less program test",
			"cc -static -nostdlib -o nolibc-static start.c && "
			"cc -nostdlib -o nolibc-dynamic start.c"))
		return;
	strcpy(prog, in_tmp("nolibc-static"));
	ck_assert_int_eq(lg_elf_pthread_object(prog, object, sizeof(object), &err), -ENOENT);
	ck_assert_msg(strstr(err.msg, prog) && strstr(err.msg, "statically linked"), "%s", err.msg);
	/* Dynamic (it has PT_INTERP) yet linked against nothing: no libc is listed. */
	strcpy(prog, in_tmp("nolibc-dynamic"));
	ck_assert_int_eq(lg_elf_pthread_object(prog, object, sizeof(object), &err), -ENOENT);
	ck_assert_msg(strstr(err.msg, prog) && strstr(err.msg, "libc.so.6"), "%s", err.msg);
}
END_TEST

/* What the loader says when it cannot resolve the program reaches the user. */
START_TEST(loader_failures_are_reported_with_its_words)
{
	static const char lib[] = "int lg_gone(void) { return 0; }\n";
	static const char prog[] = "int lg_gone(void);\nint main(void) { return lg_gone(); }\n";
	struct lg_error err = { "" };
	char object[PATH_MAX], path[PATH_MAX];

	write_file(in_tmp("gone.c"), lib, strlen(lib));
	write_file(in_tmp("user.c"), prog, strlen(prog));
	if (!run_in_tmp("the missing library test",
			"cc -shared -fPIC -o libgone.so gone.c && "
			"cc -o user user.c -L. -lgone -Wl,-rpath,\"$PWD\" && rm libgone.so"))
		return;
	strcpy(path, in_tmp("user"));
	ck_assert_int_eq(lg_elf_pthread_object(path, object, sizeof(object), &err), -ENOENT);
	ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, "--list failed") &&
		      strstr(err.msg, "libgone.so"), "%s", err.msg);
}
END_TEST

/* A relative command "-x" must not reach ld.so as an option. */
START_TEST(command_named_like_an_option_is_a_path)
{
	char object[PATH_MAX], cwd[PATH_MAX], libc[PATH_MAX];
	struct lg_error err = { "" };
	size_t len;
	char *data = read_file("/bin/true", &len);
	int ret;

	this_libc(libc, sizeof(libc));
	write_file(in_tmp("-true"), data, len);
	free(data);
	ck_assert_int_eq(chmod(in_tmp("-true"), 0755), 0);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ret = lg_elf_pthread_object("-true", object, sizeof(object), &err);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_msg(ret == 0, "%d %s", ret, err.msg);
	ck_assert_str_eq(object, libc);
}
END_TEST

/* Data of every kind a lock lives in: initialised (.data), zeroed (.bss, some
 * of it past the last page the file maps), static, inside an array or a
 * struct, under two names as glibc does (the public one weak), and a function
 * that is no data. */
static const char locks_lib[] =
	"#include <pthread.h>\n"
	"pthread_mutex_t lg_global = PTHREAD_MUTEX_INITIALIZER;\n"
	"pthread_mutex_t lg_zeroed;\n"
	"static pthread_mutex_t lg_static;\n"
	"static pthread_mutex_t lg_array[1000];\n"
	"struct lg_s { long pad[5]; pthread_mutex_t m; } lg_struct;\n"
	"pthread_mutex_t __lg_strong;\n"
	"extern pthread_mutex_t lg_public __attribute__((weak, alias(\"__lg_strong\")));\n"
	"void *lg_addr(int i)\n"
	"{\n"
	"	return i == 0 ? (void *)&lg_static : i == 1 ? (void *)&lg_array[999] :\n"
	"	       (void *)&lg_struct.m;\n"
	"}\n";

/* The answer for addr, a pointer into a library loaded here: the loader's own
 * bias (l_addr) turns it into an address of the file. */
static int object_at(const char *path, void *h, const void *addr, char *name, size_t len,
		     uint64_t *offset, uint64_t *size)
{
	struct lg_error err = { "" };
	struct link_map *map;
	int ret;

	ck_assert_int_eq(dlinfo(h, RTLD_DI_LINKMAP, &map), 0);
	ret = lg_elf_object_symbol(path, (uintptr_t)addr - map->l_addr, name, len, offset,
				   size, &err);
	if (ret)
		ck_assert_msg(strstr(err.msg, path), "%s", err.msg);
	return ret;
}

static void ck_object(const char *path, void *h, const void *addr, const char *want,
		      uint64_t want_offset, uint64_t want_size)
{
	char name[64];
	uint64_t offset = ~0ULL, size = 0;
	int ret = object_at(path, h, addr, name, sizeof(name), &offset, &size);

	ck_assert_msg(ret == 0, "%s: %d", want, ret);
	ck_assert_str_eq(name, want);
	ck_assert_uint_eq(offset, want_offset);
	ck_assert_uint_eq(size, want_size);
}

static void *build_locks_lib(char *path, char *stripped)
{
	void *h;

	write_file(in_tmp("locks.c"), locks_lib, strlen(locks_lib));
	if (!run_in_tmp("the data symbol test",
			"cc -shared -fPIC -o liblocks.so locks.c && "
			"strip -o liblocks-stripped.so liblocks.so"))
		return NULL;
	strcpy(path, in_tmp("liblocks.so"));
	strcpy(stripped, in_tmp("liblocks-stripped.so"));
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h, "%s", dlerror());
	return h;
}

START_TEST(data_symbols_name_the_locks_in_them)
{
	char path[PATH_MAX], stripped[PATH_MAX], name[64], small[8];
	const uint64_t lock = sizeof(pthread_mutex_t);
	void *(*lg_addr)(int);
	uint64_t offset, size;
	void *h = build_locks_lib(path, stripped);

	if (!h)
		return;
	lg_addr = (void *(*)(int))dlsym(h, "lg_addr");
	ck_assert_ptr_nonnull(lg_addr);
	ck_object(path, h, dlsym(h, "lg_global"), "lg_global", 0, lock);
	ck_object(path, h, dlsym(h, "lg_zeroed"), "lg_zeroed", 0, lock);
	ck_object(path, h, lg_addr(0), "lg_static", 0, lock);
	ck_object(path, h, lg_addr(1), "lg_array", 999 * lock, 1000 * lock);
	ck_object(path, h, lg_addr(2), "lg_struct", 5 * sizeof(long), 5 * sizeof(long) + lock);
	ck_object(path, h, dlsym(h, "__lg_strong"), "lg_public", 0, lock);
	/* a byte inside a lock is still that lock */
	ck_object(path, h, (char *)dlsym(h, "lg_global") + 3, "lg_global", 3, lock);
	/* code is no data; a name that does not fit is refused, not cut */
	ck_assert_int_eq(object_at(path, h, (void *)lg_addr, name, sizeof(name), &offset,
				   &size), -ENOENT);
	ck_assert_int_eq(object_at(path, h, dlsym(h, "lg_global"), small, sizeof(small),
				   &offset, &size), -ENAMETOOLONG);
	/* stripped, .dynsym still names the exported data, not the static */
	ck_object(stripped, h, dlsym(h, "lg_global"), "lg_global", 0, lock);
	ck_object(stripped, h, (char *)dlsym(h, "lg_struct") + 40, "lg_struct", 40,
		  5 * sizeof(long) + lock);
	ck_assert_int_eq(object_at(stripped, h, lg_addr(0), name, sizeof(name), &offset,
				   &size), -ENOENT);
	dlclose(h);
}
END_TEST

static int phdrs_of(struct dl_phdr_info *info, size_t size, void *data)
{
	struct lg_elf_loads *want = data;

	(void)size;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "/liblocks.so"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD)
			want->v[want->nr++] = (struct lg_elf_load){
				.vaddr = ph->p_vaddr, .memsz = ph->p_memsz,
				.offset = ph->p_offset, .filesz = ph->p_filesz,
			};
	}
	return 1;
}

/* The segments read from the file are those the loader mapped. */
START_TEST(load_segments_are_those_the_loader_maps)
{
	struct lg_elf_loads loads, want = { .dynamic = true };
	char path[PATH_MAX], stripped[PATH_MAX];
	struct lg_error err = { "" };
	void *h = build_locks_lib(path, stripped);

	if (!h)
		return;
	ck_assert_int_eq(dl_iterate_phdr(phdrs_of, &want), 1);
	ck_assert_int_eq(lg_elf_loads(path, &loads, &err), 0);
	ck_assert(loads.dynamic);
	ck_assert_uint_eq(loads.nr, want.nr);
	ck_assert_int_eq(memcmp(loads.v, want.v, want.nr * sizeof(want.v[0])), 0);
	/* the last segment's zeroed part is bigger than a page: lg_array */
	ck_assert_uint_gt(loads.v[loads.nr - 1].memsz - loads.v[loads.nr - 1].filesz, 4096);
	dlclose(h);
}
END_TEST

/* A program linked at fixed addresses (ET_EXEC) is loaded at them: the address
 * it prints is the one its file names. */
START_TEST(fixed_address_program_names_its_globals_at_their_addresses)
{
	static const char prog[] =
		"#include <pthread.h>\n"
		"#include <stdio.h>\n"
		"pthread_mutex_t lg_fixed[4];\n"
		"int main(void) { printf(\"%p\\n\", (void *)&lg_fixed[2]); return 0; }\n";
	struct lg_error err = { "" };
	struct lg_elf_loads loads;
	unsigned long long addr;
	char name[64], *out;
	uint64_t offset, size;
	size_t len;

	write_file(in_tmp("fixed.c"), prog, strlen(prog));
	if (!run_in_tmp("the fixed-address program test",
			"cc -no-pie -pthread -o fixed fixed.c && ./fixed > fixed.out"))
		return;
	ck_assert_int_eq(lg_elf_loads(in_tmp("fixed"), &loads, &err), 0);
	ck_assert(!loads.dynamic);
	out = read_file(in_tmp("fixed.out"), &len);
	ck_assert_int_eq(sscanf(out, "%llx", &addr), 1);
	free(out);
	ck_assert_int_eq(lg_elf_object_symbol(in_tmp("fixed"), addr, name, sizeof(name),
					      &offset, &size, &err), 0);
	ck_assert_str_eq(name, "lg_fixed");
	ck_assert_uint_eq(offset, 2 * sizeof(pthread_mutex_t));
	ck_assert_uint_eq(size, 4 * sizeof(pthread_mutex_t));
}
END_TEST

Suite *elf_symbols_suite(void)
{
	Suite *s = suite_create("elf_symbols");
	TCase *tc = tcase_create("elf");

	tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, dynamic_program_uses_the_libc_the_loader_maps);
	tcase_add_test(tc, pthread_offsets_are_where_the_loader_maps_them);
	tcase_add_test(tc, default_version_wins_in_dynsym);
	tcase_add_test(tc, default_version_wins_in_symtab_and_when_stripped);
	tcase_add_test(tc, undefined_imported_or_data_symbols_are_enoent);
	tcase_add_test(tc, garbage_files_give_errors_naming_them);
	tcase_add_test(tc, truncated_and_corrupt_copies_never_crash);
	tcase_add_test(tc, static_program_is_its_own_pthread_object);
	tcase_add_test(tc, programs_without_pthreads_are_named_in_the_error);
	tcase_add_test(tc, loader_failures_are_reported_with_its_words);
	tcase_add_test(tc, command_named_like_an_option_is_a_path);
	tcase_add_test(tc, data_symbols_name_the_locks_in_them);
	tcase_add_test(tc, load_segments_are_those_the_loader_maps);
	tcase_add_test(tc, fixed_address_program_names_its_globals_at_their_addresses);
	suite_add_tcase(s, tc);
	return s;
}
