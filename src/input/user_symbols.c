/* Back from a process's address to a file's data symbol; see user_symbols.h.
 * The file's load bias comes from its segments and the process's mappings. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lockgraph/input/user_symbols.h"
#include "lockgraph/lib/elf_symbols.h"
#include "lockgraph/lib/util.h"

/* How far back the mappings of one file are followed from the one holding an
 * address: a file's segments and their relro splits need a few; the bound
 * keeps a crafted procmaps from costing more. */
#define MAX_WALK 64
/* Longest symbol name: C++ names may be long, a lock's class name is not. */
#define SYMBOL_MAX 256

struct lg_user_symbol_range {
	uint32_t tgid;
	uint64_t start, end;	/* the symbol in the process */
	char *name;
};

/* One file as mapped in one process. */
struct file_map {
	struct lg_user_symbols *us;
	uint32_t tgid;
	const char *path;
	struct lg_elf_loads loads;
};

void lg_user_symbols_init(struct lg_user_symbols *us, lg_mapping_fn mapping, void *arg,
			  uint64_t page_size, time_t not_after)
{
	*us = (struct lg_user_symbols){ .mapping = mapping, .arg = arg, .not_after = not_after };
	/* a page is a power of two; anything else is a damaged header */
	us->page_size = page_size >= 4096 && !(page_size & (page_size - 1)) ? page_size : 4096;
}

void lg_user_symbols_release(struct lg_user_symbols *us)
{
	for (uint32_t i = 0; i < us->nr_found; i++)
		free(us->found[i].name);
	free(us->found);
	us->found = NULL;
	us->nr_found = us->alloc_found = 0;
}

static bool in_file(const struct file_map *f, uint64_t addr)
{
	struct lg_mapping m;

	return f->us->mapping(f->us->arg, f->tgid, addr, &m) && !strcmp(m.path, f->path);
}

static uint64_t page_of(const struct file_map *f, uint64_t vaddr)
{
	return vaddr & ~(f->us->page_size - 1);
}

/* Whether the file lies at bias: each segment with file content starts on a
 * mapping of the file, the first one right after something else. */
static bool loaded_at(const struct file_map *f, uint64_t bias)
{
	const struct lg_elf_loads *l = &f->loads;

	if (in_file(f, bias + page_of(f, l->v[0].vaddr) - 1))
		return false;
	for (uint32_t i = 0; i < l->nr; i++)
		if (l->v[i].filesz && !in_file(f, bias + page_of(f, l->v[i].vaddr)))
			return false;
	return true;
}

/* The lowest of the file's mappings that run without a gap up to m. */
static uint64_t run_start(const struct file_map *f, const struct lg_mapping *m)
{
	struct lg_mapping cur = *m, prev;

	for (int i = 0; i < MAX_WALK; i++) {
		if (!f->us->mapping(f->us->arg, f->tgid, cur.start - 1, &prev) ||
		    strcmp(prev.path, f->path) || prev.end != cur.start)
			break;
		cur = prev;
	}
	return cur.start;
}

/*
 * A program linked at fixed addresses lies at them. Anything else lies where
 * its mappings start: the run of mappings holding the address begins with a
 * segment (the first, unless the kernel left a hole before this one), so one
 * of the biases that put a segment there is the loader's.
 */
static int find_bias(const struct file_map *f, const struct lg_mapping *m, uint64_t *bias,
		     struct lg_error *err)
{
	uint64_t start;

	if (!f->loads.dynamic) {
		*bias = 0;
		if (loaded_at(f, 0))
			return 0;
	} else {
		start = run_start(f, m);
		for (uint32_t i = 0; i < f->loads.nr; i++) {
			uint64_t seg = page_of(f, f->loads.v[i].vaddr);

			*bias = start - seg;
			if (f->loads.v[i].filesz && start >= seg && loaded_at(f, *bias))
				return 0;
		}
	}
	return lg_fail(err, ESTALE, "%s: its segments do not fit its mappings in process %u "
		       "(another file now?)", f->path, f->tgid);
}

static bool in_segment(const struct lg_elf_loads *l, uint64_t vaddr)
{
	for (uint32_t i = 0; i < l->nr; i++)
		if (vaddr >= l->v[i].vaddr && vaddr - l->v[i].vaddr < l->v[i].memsz)
			return true;
	return false;
}

static int unchanged(const struct lg_user_symbols *us, const char *path, struct lg_error *err)
{
	struct stat st;

	if (!us->not_after || stat(path, &st))
		return 0;	/* a missing file is said by lg_elf_loads */
	if (st.st_ctime > us->not_after)
		return lg_fail(err, ESTALE, "%s: changed since the recording", path);
	return 0;
}

static const struct lg_user_symbol_range *found(const struct lg_user_symbols *us,
						uint32_t tgid, uint64_t addr)
{
	for (uint32_t i = 0; i < us->nr_found; i++) {
		const struct lg_user_symbol_range *r = &us->found[i];

		if (r->tgid == tgid && addr >= r->start && addr < r->end)
			return r;
	}
	return NULL;
}

static int name_of(const struct lg_user_symbol_range *r, uint64_t addr, char *name,
		   size_t len, struct lg_error *err)
{
	int n = addr == r->start ? snprintf(name, len, "%s", r->name) :
		snprintf(name, len, "%s+0x%" PRIx64, r->name, addr - r->start);

	if (n < 0 || (size_t)n >= len)
		return lg_fail(err, ENAMETOOLONG, "%s: name longer than %zu bytes", r->name,
			       len - 1);
	return 0;
}

/* The symbol of the file f covering addr, remembered for its whole extent. */
static int look_up(struct file_map *f, const struct lg_mapping *m, uint64_t addr,
		   const struct lg_user_symbol_range **out, struct lg_error *err)
{
	struct lg_user_symbols *us = f->us;
	char symbol[SYMBOL_MAX];
	uint64_t bias = 0, offset, size;
	int ret = unchanged(us, f->path, err);

	if (!ret)
		ret = lg_elf_loads(f->path, &f->loads, err);
	if (!ret)
		ret = find_bias(f, m, &bias, err);
	if (!ret && !in_segment(&f->loads, addr - bias))
		ret = lg_fail(err, ENOENT, "%s: 0x%" PRIx64 " of process %u is in none of its "
			      "segments", f->path, addr, f->tgid);
	if (!ret)
		ret = lg_elf_object_symbol(f->path, addr - bias, symbol, sizeof(symbol), &offset,
					   &size, err);
	if (ret)
		return ret;
	LG_GROW(us->found, us->nr_found, us->alloc_found);
	us->found[us->nr_found] = (struct lg_user_symbol_range){
		.tgid = f->tgid, .start = addr - offset, .end = addr - offset + size,
		.name = lg_xstrdup(symbol),
	};
	*out = &us->found[us->nr_found++];
	return 0;
}

int lg_user_symbol(struct lg_user_symbols *us, uint32_t tgid, uint64_t addr,
		   char *name, size_t len, struct lg_error *err)
{
	const struct lg_user_symbol_range *r = found(us, tgid, addr);
	struct file_map f = { .us = us, .tgid = tgid };
	struct lg_mapping m;
	int ret;

	if (!r) {
		if (!us->mapping(us->arg, tgid, addr, &m))
			return lg_fail(err, ENOENT, "0x%" PRIx64 " of process %u: in no file it "
				       "had mapped", addr, tgid);
		f.path = m.path;
		if ((ret = look_up(&f, &m, addr, &r, err)))
			return ret;
	}
	return name_of(r, addr, name, len, err);
}
