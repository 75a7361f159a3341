/* Where uprobes go: the ELF file that provides a program's pthread functions
 * (asking its dynamic loader, as ldd does) and the file offset of a function;
 * and back from an address to a file's data symbol, to name user locks. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockgraph/lib/elf_symbols.h"
#include "lockgraph/lib/util.h"

#define LIBC_SONAME "libc.so.6"
/* Bit of a .gnu.version entry marking a version other than the default one
 * (binutils' VERSYM_HIDDEN; <elf.h> does not name it). */
#define VERSYM_HIDDEN 0x8000
/* ld.so --list prints a few hundred bytes: a cap keeps a runaway loader from
 * filling memory. */
#define LOADER_OUTPUT_MAX (1 << 20)

struct elf_file {
	const char *path;
	int fd;
	Elf *elf;
	uint64_t size;
};

static int corrupt(const struct elf_file *f, const char *what, struct lg_error *err)
{
	int e = elf_errno();

	return lg_fail(err, ENOEXEC, "%s: truncated or corrupt ELF file: bad %s (%s)",
		       f->path, what, e ? elf_errmsg(e) : "values out of range");
}

static void elf_close(struct elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
}

/* Whether nr entries of entsize bytes from off lie within the file. */
static bool table_fits(uint64_t off, uint64_t nr, uint64_t entsize, uint64_t size)
{
	return off <= size && (!entsize || nr <= (size - off) / entsize);
}

/* libelf quietly shortens header tables that run past the end of a truncated
 * file, to no sections ("no symbol table") or fewer program headers (no
 * PT_INTERP: "static"). Check the counts the header claims and say "truncated". */
static int check_header_tables(const struct elf_file *f, const GElf_Ehdr *eh,
			       struct lg_error *err)
{
	const char *past = NULL;
	size_t phnum;

	if (elf_getphdrnum(f->elf, &phnum))
		return corrupt(f, "program header count", err);
	if (eh->e_phnum != PN_XNUM)	/* else the count is in section 0 */
		phnum = eh->e_phnum;
	if (!table_fits(eh->e_phoff, phnum, gelf_fsize(f->elf, ELF_T_PHDR, 1, EV_CURRENT),
			f->size))
		past = "program";
	/* e_shnum is 0 when section 0 holds the real count: it must be there. */
	else if (eh->e_shoff &&
		 !table_fits(eh->e_shoff, eh->e_shnum ? eh->e_shnum : 1,
			     gelf_fsize(f->elf, ELF_T_SHDR, 1, EV_CURRENT), f->size))
		past = "section";
	if (past)
		return lg_fail(err, ENOEXEC, "%s: truncated or corrupt ELF file: its %s headers "
			       "lie past its end (%" PRIu64 " bytes)", f->path, past, f->size);
	return 0;
}

static int elf_open(struct elf_file *f, const char *path, struct lg_error *err)
{
	GElf_Ehdr ehdr;
	struct stat st;
	int ret = 0;

	f->path = path;
	f->elf = NULL;
	f->fd = -1;
	/* Paths come from trace files too: opening a FIFO would wait for a
	 * writer, opening a device may act (a watchdog starts): look first. */
	if (stat(path, &st) < 0 ||
	    (S_ISREG(st.st_mode) &&
	     ((f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0 ||
	      fstat(f->fd, &st) < 0))) {
		int e = errno;

		ret = lg_fail(err, e, "%s: %s", path, strerror(e));
	} else if (!S_ISREG(st.st_mode)) {
		ret = lg_fail(err, EINVAL, "%s: not a regular file", path);
	} else if (elf_version(EV_CURRENT) == EV_NONE) {
		ret = lg_fail(err, EINVAL, "%s: libelf: %s", path, elf_errmsg(-1));
	} else {
		f->size = st.st_size;
		elf_errno();	/* forget errors of earlier files */
		f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
		if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
			ret = lg_fail(err, ENOEXEC, "%s: not an ELF file", path);
		else if (!gelf_getehdr(f->elf, &ehdr))
			ret = corrupt(f, "ELF header", err);
		else
			ret = check_header_tables(f, &ehdr, err);
	}
	if (ret)
		elf_close(f);
	return ret;
}

/* The file offset of addr, through the PT_LOAD segment whose file-backed part
 * holds it: that is where the kernel finds the instruction to replace. */
static int load_offset(const struct elf_file *f, uint64_t addr, uint64_t *offset,
		       struct lg_error *err)
{
	size_t nr;

	if (elf_getphdrnum(f->elf, &nr))
		return corrupt(f, "program headers", err);
	for (size_t i = 0; i < nr; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(f->elf, i, &ph))
			return corrupt(f, "program header", err);
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr ||
		    addr - ph.p_vaddr >= ph.p_filesz)
			continue;
		if (ph.p_offset > f->size || addr - ph.p_vaddr >= f->size - ph.p_offset)
			return corrupt(f, "PT_LOAD segment (beyond the end of the file)", err);
		*offset = addr - ph.p_vaddr + ph.p_offset;
		return 0;
	}
	return lg_fail(err, ENOEXEC, "%s: no PT_LOAD segment holds address 0x%" PRIx64,
		       f->path, addr);
}

struct sym_tables {
	Elf_Scn *symtab, *dynsym, *versym;
};

static int find_tables(const struct elf_file *f, struct sym_tables *t,
		       struct lg_error *err)
{
	Elf_Scn *scn = NULL;
	size_t nr;

	memset(t, 0, sizeof(*t));
	if (elf_getshdrnum(f->elf, &nr))
		return corrupt(f, "section headers", err);
	while ((scn = elf_nextscn(f->elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return corrupt(f, "section header", err);
		if (sh.sh_type == SHT_SYMTAB && !t->symtab)
			t->symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM && !t->dynsym)
			t->dynsym = scn;
	}
	/* .gnu.version is parallel to .dynsym, which its sh_link names. */
	while (t->dynsym && (scn = elf_nextscn(f->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_GNU_versym &&
		    sh.sh_link == elf_ndxscn(t->dynsym)) {
			t->versym = scn;
			break;
		}
	}
	return 0;
}

/* LOCAL: a static function, for --probe PATH:SYMBOL; any export wins over it */
enum rank { NO_MATCH, LOCAL, HIDDEN, DEFAULT };

/* The best definitions of one name found in one symbol table. */
struct sym_match {
	enum rank rank;
	uint64_t value;
	bool clash;	/* default (or local) definitions at different addresses */
	bool ifunc;	/* an STT_GNU_IFUNC of that name: its value is the resolver */
};

/* .symtab spells versions into names (binutils >= 2.35): "name@@VER" is the
 * default, "name@VER" a hidden compatibility version. .dynsym names are bare. */
static enum rank name_rank(const char *sym, const char *name, size_t len)
{
	if (strncmp(sym, name, len))
		return NO_MATCH;
	if (!sym[len])
		return DEFAULT;
	if (sym[len] != '@')
		return NO_MATCH;
	return sym[len + 1] == '@' ? DEFAULT : HIDDEN;
}

static bool is_definition(const GElf_Sym *sym)
{
	int bind = GELF_ST_BIND(sym->st_info);
	int type = GELF_ST_TYPE(sym->st_info);

	return sym->st_shndx != SHN_UNDEF &&
	       (bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE ||
		bind == STB_LOCAL) &&
	       (type == STT_FUNC || type == STT_GNU_IFUNC);
}

static void add_match(struct sym_match *m, enum rank rank, uint64_t value)
{
	if (rank > m->rank) {
		m->rank = rank;
		m->value = value;
		m->clash = false;
	} else if (rank == m->rank && (rank == DEFAULT || rank == LOCAL) && value != m->value) {
		m->clash = true;
	}
}

static int scan_symbols(const struct elf_file *f, Elf_Scn *scn, Elf_Scn *versym_scn,
			const char *name, struct sym_match *m, struct lg_error *err)
{
	size_t len = strlen(name), entsize = gelf_fsize(f->elf, ELF_T_SYM, 1, EV_CURRENT);
	Elf_Data *data = elf_getdata(scn, NULL), *versym = NULL;
	GElf_Shdr sh;
	size_t nr;

	if (!data || !gelf_getshdr(scn, &sh) || !entsize)
		return corrupt(f, "symbol table", err);
	if (versym_scn && !(versym = elf_getdata(versym_scn, NULL)))
		return corrupt(f, ".gnu.version", err);
	nr = data->d_size / entsize;
	if (nr > INT_MAX)
		return corrupt(f, "symbol table size", err);
	for (size_t i = 0; i < nr; i++) {
		GElf_Versym vs = 0;
		GElf_Sym sym;
		const char *s;
		enum rank rank;

		if (!gelf_getsym(data, i, &sym))
			return corrupt(f, "symbol", err);
		if (!is_definition(&sym))
			continue;
		if (!(s = elf_strptr(f->elf, sh.sh_link, sym.st_name)))
			return corrupt(f, "symbol name", err);
		if (!(rank = name_rank(s, name, len)))
			continue;
		if (GELF_ST_BIND(sym.st_info) == STB_LOCAL) {
			if (!s[len])
				add_match(m, LOCAL, sym.st_value);
			continue;
		}
		if (GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC) {
			m->ifunc = true;
			continue;
		}
		if (versym && !gelf_getversym(versym, i, &vs))
			return corrupt(f, ".gnu.version (shorter than .dynsym)", err);
		if (vs & VERSYM_HIDDEN)
			rank = HIDDEN;
		add_match(m, rank, sym.st_value);
	}
	return 0;
}

static bool unique_default(const struct sym_match *m)
{
	return m->rank == DEFAULT && !m->clash;
}

static bool unique_local(const struct sym_match *m)
{
	return m->rank == LOCAL && !m->clash;
}

/* .symtab first: it also names functions a static program does not export.
 * .dynsym settles what .symtab cannot: old linkers wrote versioned duplicates
 * into .symtab under their bare name, and only .gnu.version tells them apart. */
static int find_function(const struct elf_file *f, const char *name, uint64_t *value,
			 struct lg_error *err)
{
	struct sym_match m = { 0 }, dyn = { 0 };
	struct sym_tables t;
	int ret = find_tables(f, &t, err);

	if (!ret && t.symtab)
		ret = scan_symbols(f, t.symtab, NULL, name, &m, err);
	if (!ret && t.dynsym && !unique_default(&m)) {
		ret = scan_symbols(f, t.dynsym, t.versym, name, &dyn, err);
		if (unique_default(&dyn) || dyn.rank > m.rank)
			m = dyn;
		m.ifunc |= dyn.ifunc;
	}
	if (ret)
		return ret;
	if (unique_default(&m) || unique_local(&m)) {
		*value = m.value;
		return 0;
	}
	if (!t.symtab && !t.dynsym)
		return lg_fail(err, ENOENT, "%s: no symbol table (stripped?), so no %s in it",
			       f->path, name);
	if (m.clash)
		return lg_fail(err, EINVAL, "%s: %s has several %s definitions", f->path, name,
			       m.rank == LOCAL ? "static" : "default");
	if (m.rank == HIDDEN)
		return lg_fail(err, ENOENT, "%s: %s is defined only in non-default versions "
			       "(%s@VERSION)", f->path, name, name);
	if (m.ifunc)
		return lg_fail(err, ENOENT, "%s: %s is an IFUNC, whose address is its resolver's",
			       f->path, name);
	return lg_fail(err, ENOENT, "%s: does not define the function %s", f->path, name);
}

int lg_elf_function_offset(const char *path, const char *name, uint64_t *offset,
			   struct lg_error *err)
{
	struct elf_file f;
	uint64_t value = 0;
	int ret = elf_open(&f, path, err);

	if (ret)
		return ret;
	ret = find_function(&f, name, &value, err);
	if (!ret)
		ret = load_offset(&f, value, offset, err);
	elf_close(&f);
	return ret;
}

int lg_elf_loads(const char *path, struct lg_elf_loads *loads, struct lg_error *err)
{
	struct elf_file f;
	GElf_Ehdr eh;
	size_t nr;
	int ret;

	memset(loads, 0, sizeof(*loads));
	if ((ret = elf_open(&f, path, err)))
		return ret;
	if (!gelf_getehdr(f.elf, &eh) || elf_getphdrnum(f.elf, &nr))
		ret = corrupt(&f, "program headers", err);
	else if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		ret = lg_fail(err, ENOEXEC, "%s: neither a program nor a shared library", path);
	else
		loads->dynamic = eh.e_type == ET_DYN;
	for (size_t i = 0; !ret && i < nr; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(f.elf, i, &ph))
			ret = corrupt(&f, "program header", err);
		else if (ph.p_type != PT_LOAD)
			continue;
		else if (ph.p_filesz > ph.p_memsz || ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
			ret = corrupt(&f, "PT_LOAD segment", err);
		else if (loads->nr == LG_ELF_MAX_LOADS)
			ret = lg_fail(err, ENOEXEC, "%s: more than %d PT_LOAD segments", path,
				      LG_ELF_MAX_LOADS);
		else
			loads->v[loads->nr++] = (struct lg_elf_load){
				.vaddr = ph.p_vaddr, .memsz = ph.p_memsz,
				.offset = ph.p_offset, .filesz = ph.p_filesz,
			};
	}
	if (!ret && !loads->nr)
		ret = lg_fail(err, ENOEXEC, "%s: no PT_LOAD segment", path);
	elf_close(&f);
	return ret;
}

/* The most specific data symbol covering an address: the smallest, then the
 * fewest leading underscores (glibc's internal aliases, often the strong
 * ones), then the strongest binding, then the first name in strcmp order, so
 * that aliases always give the same answer. */
struct object_match {
	const char *name;	/* in the ELF's string table; NULL: none yet */
	size_t name_len;	/* without a "@VERSION" suffix */
	uint64_t value, size;
	int strength;
};

static bool is_object(const GElf_Sym *sym)
{
	int bind = GELF_ST_BIND(sym->st_info);

	return GELF_ST_TYPE(sym->st_info) == STT_OBJECT && sym->st_size &&
	       sym->st_shndx != SHN_UNDEF && sym->st_shndx != SHN_ABS &&
	       (bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE ||
		bind == STB_LOCAL);
}

static int strength(const GElf_Sym *sym)
{
	int bind = GELF_ST_BIND(sym->st_info);

	return bind == STB_GLOBAL ? 2 : bind == STB_LOCAL ? 0 : 1;
}

static bool better(const struct object_match *m, const GElf_Sym *sym, const char *name,
		   size_t len)
{
	size_t us = strspn(name, "_"), m_us;
	int cmp;

	if (!m->name || sym->st_size != m->size)
		return !m->name || sym->st_size < m->size;
	m_us = strspn(m->name, "_");
	if (us != m_us)
		return us < m_us;
	if (strength(sym) != m->strength)
		return strength(sym) > m->strength;
	cmp = strncmp(name, m->name, len < m->name_len ? len : m->name_len);
	return cmp ? cmp < 0 : len < m->name_len;
}

static int scan_objects(const struct elf_file *f, Elf_Scn *scn, uint64_t vaddr,
			struct object_match *m, struct lg_error *err)
{
	size_t entsize = gelf_fsize(f->elf, ELF_T_SYM, 1, EV_CURRENT);
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Shdr sh;
	size_t nr;

	if (!data || !gelf_getshdr(scn, &sh) || !entsize)
		return corrupt(f, "symbol table", err);
	nr = data->d_size / entsize;
	for (size_t i = 0; i < nr; i++) {
		GElf_Sym sym;
		const char *s;
		size_t len;

		if (!gelf_getsym(data, i, &sym))
			return corrupt(f, "symbol", err);
		if (!is_object(&sym) || vaddr < sym.st_value || vaddr - sym.st_value >= sym.st_size)
			continue;
		if (!(s = elf_strptr(f->elf, sh.sh_link, sym.st_name)))
			return corrupt(f, "symbol name", err);
		len = strcspn(s, "@");
		if (len && better(m, &sym, s, len))
			*m = (struct object_match){ .name = s, .name_len = len,
						    .value = sym.st_value, .size = sym.st_size,
						    .strength = strength(&sym) };
	}
	return 0;
}

int lg_elf_object_symbol(const char *path, uint64_t vaddr, char *name, size_t len,
			 uint64_t *offset, uint64_t *size, struct lg_error *err)
{
	struct object_match m = { 0 };
	struct sym_tables t;
	struct elf_file f;
	int ret = elf_open(&f, path, err);

	if (ret)
		return ret;
	ret = find_tables(&f, &t, err);
	if (!ret && t.symtab)
		ret = scan_objects(&f, t.symtab, vaddr, &m, err);
	if (!ret && t.dynsym && !m.name)
		ret = scan_objects(&f, t.dynsym, vaddr, &m, err);
	if (!ret && !m.name)
		ret = lg_fail(err, ENOENT, "%s: no data symbol covers address 0x%" PRIx64,
			      path, vaddr);
	else if (!ret && m.name_len >= len)
		ret = lg_fail(err, ENAMETOOLONG, "%s: the symbol at 0x%" PRIx64 " has a name "
			      "longer than %zu bytes", path, vaddr, len - 1);
	if (!ret) {
		memcpy(name, m.name, m.name_len);
		name[m.name_len] = '\0';
		*offset = vaddr - m.value;
		*size = m.size;
	}
	elf_close(&f);
	return ret;
}

static int copy_path(char *path, size_t len, const char *src, size_t n,
		     struct lg_error *err)
{
	if (n >= len)
		return lg_fail(err, ENAMETOOLONG, "%.*s: path longer than %zu bytes",
			       (int)n, src, len - 1);
	memcpy(path, src, n);
	path[n] = '\0';
	return 0;
}

/* PT_INTERP of command into interp: 1 if it has one, 0 if it is static. */
static int read_interp(const char *command, char *interp, size_t len,
		       struct lg_error *err)
{
	struct elf_file f;
	size_t nr;
	int ret = elf_open(&f, command, err);

	if (ret)
		return ret;
	if (elf_getphdrnum(f.elf, &nr))
		ret = corrupt(&f, "program headers", err);
	for (size_t i = 0; !ret && i < nr; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(f.elf, i, &ph)) {
			ret = corrupt(&f, "program header", err);
		} else if (ph.p_type == PT_INTERP) {
			if (ph.p_filesz < 2 || ph.p_filesz > len ||
			    pread(f.fd, interp, ph.p_filesz, ph.p_offset) != (ssize_t)ph.p_filesz ||
			    strnlen(interp, ph.p_filesz) == ph.p_filesz || !interp[0])
				ret = corrupt(&f, "PT_INTERP", err);
			else
				ret = 1;
			break;
		}
	}
	elf_close(&f);
	return ret;
}

static int static_object(const char *command, char *path, size_t len,
			 struct lg_error *err)
{
	uint64_t offset;
	int ret = lg_elf_function_offset(command, "pthread_mutex_lock", &offset, err);

	if (ret == -ENOENT) {
		char why[sizeof(err->msg)];

		memcpy(why, err->msg, sizeof(why));
		return lg_fail(err, ENOENT, "%s is statically linked and pthread_mutex_lock is "
			       "not found in it (%s)", command, why);
	}
	if (ret)
		return ret;
	return copy_path(path, len, command, strlen(command), err);
}

/* In the child, between fork and exec: make fd the child's target fd. */
static void redirect(int fd, int target)
{
	if (fd == target)
		fcntl(fd, F_SETFD, 0);	/* keep it across exec */
	else
		dup2(fd, target);
}

struct output {
	char *buf;
	size_t nr, alloc;
};

/* Everything until end of file, NUL-terminated; 0 or a negative errno. */
static int read_all(int fd, struct output *out)
{
	char chunk[4096];
	ssize_t n;
	int ret = 0;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (out->nr + n >= LOADER_OUTPUT_MAX)
			continue;	/* drain, so that the loader can finish */
		while (out->nr + n + 1 > out->alloc) {
			out->alloc = out->alloc ? 2 * out->alloc : sizeof(chunk) + 1;
			out->buf = lg_xrealloc(out->buf, out->alloc);
		}
		memcpy(out->buf + out->nr, chunk, n);
		out->nr += n;
	}
	if (!out->buf)
		out->buf = lg_xcalloc(1, 1);
	out->buf[out->nr] = '\0';
	return ret;
}

/* `interp --list command`, stdout and stderr together, into out. */
static int run_loader(const char *interp, const char *command, struct output *out,
		      int *status, struct lg_error *err)
{
	char *arg = NULL;
	int fds[2], e, ret;
	pid_t pid;

	if (access(interp, X_OK)) {
		e = errno;
		return lg_fail(err, e, "%s: cannot run its dynamic loader %s: %s",
			       command, interp, strerror(e));
	}
	if (pipe2(fds, O_CLOEXEC)) {
		e = errno;
		return lg_fail(err, e, "%s: pipe: %s", command, strerror(e));
	}
	if (command[0] == '-') {	/* not to be taken for a loader option */
		arg = lg_xmalloc(strlen(command) + 3);
		strcpy(stpcpy(arg, "./"), command);
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)interp, "--list", arg ? arg : (char *)command, NULL };

		redirect(fds[1], STDOUT_FILENO);
		redirect(fds[1], STDERR_FILENO);
		execv(interp, argv);
		_exit(127);
	}
	e = errno;
	free(arg);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return lg_fail(err, e, "%s: fork: %s", command, strerror(e));
	}
	ret = read_all(fds[0], out);
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0) {
		if ((e = errno) != EINTR)
			return lg_fail(err, e, "%s: waitpid: %s", command, strerror(e));
	}
	if (ret)
		return lg_fail(err, -ret, "%s: reading what %s --list says: %s",
			       command, interp, strerror(-ret));
	return 0;
}

/* The path on the loader's line "\tlibc.so.6 => /path (0x...)", if any. */
static const char *find_libc(char *listing, size_t *n)
{
	static const char key[] = LIBC_SONAME " => ";

	for (char *line = listing, *next; *line; line = next) {
		char *end = strchrnul(line, '\n'), *addr;

		next = *end ? end + 1 : end;
		*end = '\0';
		line += strspn(line, " \t");
		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		line += sizeof(key) - 1;
		addr = strrchr(line, '(');
		*n = addr && addr > line && addr[-1] == ' ' ? (size_t)(addr - 1 - line)
							    : strlen(line);
		return line;
	}
	return NULL;
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "wait status 0x%x", status);
}

static int loader_libc(const char *interp, const char *command, char *path,
		       size_t len, struct lg_error *err)
{
	struct output out = { 0 };
	char how[64], first[200];
	const char *libc, *line;
	size_t n;
	int status, ret = run_loader(interp, command, &out, &status, err);

	if (ret)
		goto out;
	line = out.buf + strspn(out.buf, " \t");
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(line, "\n"), line);
	describe_status(status, how, sizeof(how));
	libc = find_libc(out.buf, &n);
	if (libc && n == strlen("not found") && !strncmp(libc, "not found", n))
		ret = lg_fail(err, ENOENT, "%s: its dynamic loader %s finds no " LIBC_SONAME,
			      command, interp);
	else if (libc && n > 0)
		ret = copy_path(path, len, libc, n, err);
	else if (WIFEXITED(status) && !WEXITSTATUS(status))
		ret = lg_fail(err, ENOENT, "%s: its dynamic loader %s lists no " LIBC_SONAME
			      " (%s)", command, interp, first);
	else
		ret = lg_fail(err, ENOENT, "%s: %s --list failed (%s): %s",
			      command, interp, how, first);
out:
	free(out.buf);
	return ret;
}

int lg_elf_pthread_object(const char *command, char *path, size_t len,
			  struct lg_error *err)
{
	char interp[PATH_MAX];
	int ret = read_interp(command, interp, sizeof(interp), err);

	if (ret < 0)
		return ret;
	if (!ret)
		return static_object(command, path, len, err);
	return loader_libc(interp, command, path, len, err);
}
