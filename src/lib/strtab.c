/* String interning with an open-addressing table of ids over an arena of
 * NUL-terminated strings; strings are never freed before the table. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/strtab.h"
#include "lockgraph/lib/util.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

struct lg_strtab {
	struct arena_block *blocks;
	const char **strs;	/* id -> string */
	uint32_t *lens;		/* id -> length */
	uint32_t nr, alloc;
	uint32_t *slots;	/* hash slot -> id, LG_NONE when empty */
	uint32_t nr_slots;	/* power of two */
};

static uint64_t hash_str(const char *s, size_t len)
{
	return lg_fnv1a(LG_FNV1A_INIT, s, len);
}

static char *arena_copy(struct lg_strtab *tab, const char *s, size_t len)
{
	struct arena_block *b = tab->blocks;
	char *p;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		b = lg_xmalloc(sizeof(*b) + size);
		b->next = tab->blocks;
		b->used = 0;
		b->size = size;
		tab->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static void rehash(struct lg_strtab *tab)
{
	uint32_t n = tab->nr_slots ? tab->nr_slots * 2 : 1024;

	free(tab->slots);
	tab->slots = lg_xmalloc(n * sizeof(*tab->slots));
	memset(tab->slots, 0xff, n * sizeof(*tab->slots));
	tab->nr_slots = n;
	for (uint32_t id = 0; id < tab->nr; id++) {
		uint32_t i = hash_str(tab->strs[id], tab->lens[id]) & (n - 1);

		while (tab->slots[i] != LG_NONE)
			i = (i + 1) & (n - 1);
		tab->slots[i] = id;
	}
}

struct lg_strtab *lg_strtab_new(void)
{
	struct lg_strtab *tab = lg_xcalloc(1, sizeof(*tab));

	rehash(tab);
	return tab;
}

void lg_strtab_free(struct lg_strtab *tab)
{
	if (!tab)
		return;
	while (tab->blocks) {
		struct arena_block *next = tab->blocks->next;

		free(tab->blocks);
		tab->blocks = next;
	}
	free(tab->strs);
	free(tab->lens);
	free(tab->slots);
	free(tab);
}

uint32_t lg_strtab_intern(struct lg_strtab *tab, const char *s, size_t len)
{
	uint32_t mask = tab->nr_slots - 1;
	uint32_t i = hash_str(s, len) & mask;
	uint32_t id;

	for (; (id = tab->slots[i]) != LG_NONE; i = (i + 1) & mask)
		if (tab->lens[id] == len && !memcmp(tab->strs[id], s, len))
			return id;

	id = tab->nr;
	if (id == tab->alloc) {
		tab->alloc = tab->alloc ? 2 * tab->alloc : 256;
		tab->strs = lg_xrealloc(tab->strs, tab->alloc * sizeof(*tab->strs));
		tab->lens = lg_xrealloc(tab->lens, tab->alloc * sizeof(*tab->lens));
	}
	tab->strs[id] = arena_copy(tab, s, len);
	tab->lens[id] = len;
	tab->nr++;
	tab->slots[i] = id;
	if (tab->nr * 2 > tab->nr_slots)
		rehash(tab);
	return id;
}

const char *lg_strtab_str(const struct lg_strtab *tab, uint32_t id)
{
	return tab->strs[id];
}

uint32_t lg_strtab_count(const struct lg_strtab *tab)
{
	return tab->nr;
}
