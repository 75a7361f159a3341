/*
 * gen_cycles: ftrace text traces whose dependency graph is one worst case of
 * the cycle search, for benchmarking `lockgraph analyze`.
 *
 *   gen_cycles ring N     N classes, each taken under the one before it:
 *                         one cycle through all N (class N-1 -> class 0 last)
 *   gen_cycles hub N      one class taken with each of N others in both
 *                         orders: N two-class cycles through one hub
 *
 * Each dependency is made by its own task (pid 1000 + i % 30000) taking the
 * first lock, then the second, then releasing both, on CPU i % 8, as the
 * kernel's trace prints it (6.x, irq-info on, hashed pointers).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t ts_us = 100000000;	/* 100 s after boot */

static uint64_t addr_of(uint32_t class)
{
	/* hashed pointers look random; any fixed bijection will do */
	return 0x0000000080000000ULL ^ ((uint64_t)class * 0x9e3779b1U & 0x7fffffffU);
}

static void line(uint32_t i, const char *event, uint32_t class, const char *name)
{
	ts_us += 3;
	printf("     kworker/%u:1-%-7u [%03u] ...1. %6" PRIu64 ".%06" PRIu64 ": %s: %016" PRIx64
	       " %s\n", i % 8, 1000 + i % 30000, i % 8, ts_us / 1000000, ts_us % 1000000,
	       event, addr_of(class), name);
}

static void pair(uint32_t i, uint32_t a, const char *an, uint32_t b, const char *bn)
{
	line(i, "lock_acquire", a, an);
	line(i, "lock_acquire", b, bn);
	line(i, "lock_release", b, bn);
	line(i, "lock_release", a, an);
}

static void name(char *buf, size_t size, const char *kind, uint32_t i)
{
	snprintf(buf, size, "&%s->lock#%u", kind, i);
}

int main(int argc, char **argv)
{
	char a[64], b[64];
	uint32_t n;

	if (argc != 3 || (strcmp(argv[1], "ring") && strcmp(argv[1], "hub")) ||
	    !(n = strtoul(argv[2], NULL, 10)) || n < 2) {
		fprintf(stderr, "usage: gen_cycles ring|hub N   (N >= 2)\n");
		return 2;
	}
	printf("# tracer: nop\n#\n");
	if (!strcmp(argv[1], "ring")) {
		for (uint32_t i = 0; i < n; i++) {
			name(a, sizeof(a), "ring", i);
			name(b, sizeof(b), "ring", (i + 1) % n);
			pair(i, i, a, (i + 1) % n, b);
		}
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		name(b, sizeof(b), "leaf", i);
		pair(i, 0, "&hub->lock", i + 1, b);
	}
	for (uint32_t i = 0; i < n; i++) {
		name(b, sizeof(b), "leaf", i);
		pair(n + i, i + 1, b, 0, "&hub->lock");
	}
	return 0;
}
