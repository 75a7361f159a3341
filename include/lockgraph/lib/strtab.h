/* String interning: each distinct string is stored once and named by a dense
 * uint32_t id (0, 1, 2, ...), so lock class names cost one hash look-up per event
 * and comparisons are integer compares. */
#ifndef LOCKGRAPH_STRTAB_H
#define LOCKGRAPH_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct lg_strtab;

struct lg_strtab *lg_strtab_new(void);
void lg_strtab_free(struct lg_strtab *tab);

/* The id of s[0..len), adding it if new. s need not be NUL-terminated. */
uint32_t lg_strtab_intern(struct lg_strtab *tab, const char *s, size_t len);

/* The NUL-terminated string of an id returned by lg_strtab_intern. */
const char *lg_strtab_str(const struct lg_strtab *tab, uint32_t id);

uint32_t lg_strtab_count(const struct lg_strtab *tab);

#endif
