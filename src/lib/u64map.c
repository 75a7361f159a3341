/* Open-addressing u64 -> u32 map with linear probing, grown at half load;
 * removal shifts the entries after it back, so no tombstones pile up. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/u64map.h"
#include "lockgraph/lib/util.h"

static void alloc_slots(struct lg_u64map *map, uint32_t n)
{
	map->keys = lg_xmalloc(n * sizeof(*map->keys));
	map->vals = lg_xmalloc(n * sizeof(*map->vals));
	memset(map->vals, 0xff, n * sizeof(*map->vals));
	map->nr_slots = n;
	map->nr = 0;
}

void lg_u64map_init(struct lg_u64map *map)
{
	alloc_slots(map, 64);
}

void lg_u64map_release(struct lg_u64map *map)
{
	free(map->keys);
	free(map->vals);
	memset(map, 0, sizeof(*map));
}

void lg_u64map_clear(struct lg_u64map *map)
{
	memset(map->vals, 0xff, map->nr_slots * sizeof(*map->vals));
	map->nr = 0;
}

uint32_t lg_u64map_get(const struct lg_u64map *map, uint64_t key)
{
	uint32_t mask = map->nr_slots - 1;

	for (uint32_t i = lg_hash64(key) & mask; map->vals[i] != LG_NONE; i = (i + 1) & mask)
		if (map->keys[i] == key)
			return map->vals[i];
	return LG_NONE;
}

static void grow(struct lg_u64map *map)
{
	uint64_t *keys = map->keys;
	uint32_t *vals = map->vals;
	uint32_t n = map->nr_slots;

	alloc_slots(map, 2 * n);
	for (uint32_t i = 0; i < n; i++)
		if (vals[i] != LG_NONE)
			lg_u64map_put(map, keys[i], vals[i]);
	free(keys);
	free(vals);
}

void lg_u64map_put(struct lg_u64map *map, uint64_t key, uint32_t val)
{
	uint32_t mask = map->nr_slots - 1;
	uint32_t i = lg_hash64(key) & mask;

	for (; map->vals[i] != LG_NONE; i = (i + 1) & mask) {
		if (map->keys[i] == key) {
			map->vals[i] = val;
			return;
		}
	}
	map->keys[i] = key;
	map->vals[i] = val;
	if (++map->nr * 2 > map->nr_slots)
		grow(map);
}

/* Knuth's algorithm R (TAOCP 6.4): the entries of the probe run after the
 * emptied slot move back into it when their home slot allows. */
void lg_u64map_remove(struct lg_u64map *map, uint64_t key)
{
	uint32_t mask = map->nr_slots - 1;
	uint32_t i = lg_hash64(key) & mask;

	while (map->vals[i] != LG_NONE && map->keys[i] != key)
		i = (i + 1) & mask;
	if (map->vals[i] == LG_NONE)
		return;
	map->nr--;
	for (uint32_t j = (i + 1) & mask; map->vals[j] != LG_NONE; j = (j + 1) & mask) {
		uint32_t home = lg_hash64(map->keys[j]) & mask;

		/* j's entry may fill i unless its home lies cyclically in (i, j] */
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		map->keys[i] = map->keys[j];
		map->vals[i] = map->vals[j];
		i = j;
	}
	map->vals[i] = LG_NONE;
}
