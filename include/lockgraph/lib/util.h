/* Allocation that never returns NULL, and growable arrays in git's ALLOC_GROW style.
 * Running out of memory is not an input error: it aborts with a message. */
#ifndef LOCKGRAPH_UTIL_H
#define LOCKGRAPH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LG_NONE UINT32_MAX	/* "no index" for uint32_t handles */

/* p, which another allocator returned, or abort as out of memory. */
void *lg_xcheck(void *p);
void *lg_xmalloc(size_t size);
void *lg_xcalloc(size_t nmemb, size_t size);
void *lg_xrealloc(void *ptr, size_t size);
char *lg_xstrdup(const char *s);
/* open_memstream(): fclose() it, then free *buf. */
FILE *lg_xmemstream(char **buf, size_t *size);

/* Make room for one more element at index nr of array ptr with alloc slots. */
#define LG_GROW(ptr, nr, alloc)						\
	do {								\
		if ((nr) >= (alloc)) {					\
			(alloc) = (alloc) ? 2 * (alloc) : 16;		\
			(ptr) = lg_xrealloc((ptr), (alloc) * sizeof(*(ptr))); \
		}							\
	} while (0)

/* Finaliser of splitmix64: a cheap, well-mixed hash of a 64-bit key. */
static inline uint64_t lg_hash64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* FNV-1a, for strings and stable identifiers. */
static inline uint64_t lg_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define LG_FNV1A_INIT 0xcbf29ce484222325ULL

#endif
