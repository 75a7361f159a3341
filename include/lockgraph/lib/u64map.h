/* A map from 64-bit keys (pids, packed class pairs) to uint32_t indices, with
 * open addressing: entries live until lg_u64map_remove() or lg_u64map_clear(). */
#ifndef LOCKGRAPH_U64MAP_H
#define LOCKGRAPH_U64MAP_H

#include <stdint.h>

struct lg_u64map {
	uint64_t *keys;
	uint32_t *vals;		/* LG_NONE marks an empty slot */
	uint32_t nr, nr_slots;
};

void lg_u64map_init(struct lg_u64map *map);
void lg_u64map_release(struct lg_u64map *map);
void lg_u64map_clear(struct lg_u64map *map);

/* The value of key, or LG_NONE. */
uint32_t lg_u64map_get(const struct lg_u64map *map, uint64_t key);

/* Set key to val (val must not be LG_NONE). */
void lg_u64map_put(struct lg_u64map *map, uint64_t key, uint32_t val);

/* Remove key, if present. */
void lg_u64map_remove(struct lg_u64map *map, uint64_t key);

#endif
