/* Reading the kernel's per-CPU ring-buffer statistics; see cpu_stats.h. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/contract/cpu_stats.h"

/* The line of [s, end) that starts with "name:", at the number, or NULL. */
static const char *find(const char *s, const char *end, const char *name)
{
	size_t len = strlen(name);

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);

		if ((size_t)(end - s) > len && !strncmp(s, name, len) && s[len] == ':')
			return s + len + 1;
		s = nl ? nl + 1 : end;
	}
	return NULL;
}

static uint64_t field(const char *s, const char *end, const char *name)
{
	const char *v = find(s, end, name);

	return v ? strtoull(v, NULL, 10) : 0;
}

static uint64_t lost_in(const char *s, const char *end)
{
	return field(s, end, "overrun") + field(s, end, "commit overrun") +
	       field(s, end, "dropped events");
}

uint64_t lg_cpu_stats_field(const char *stats, const char *name)
{
	return field(stats, stats + strlen(stats), name);
}

uint64_t lg_cpu_stats_lost(const char *stats)
{
	return lost_in(stats, stats + strlen(stats));
}

void lg_cpu_stats_each(const char *text,
		       void (*fn)(void *arg, uint32_t cpu, const struct lg_cpu_stat *stat),
		       void *arg)
{
	const char *start = strncmp(text, "CPU: ", 5) ? strstr(text, "\nCPU: ") : text;

	if (start && start != text)
		start++;
	while (start) {
		const char *next = strstr(start, "\nCPU: ");
		const char *end = next ? next : start + strlen(start);
		char *digits_end;
		unsigned long cpu = strtoul(start + 5, &digits_end, 10);

		struct lg_cpu_stat stat = {
			.lost = lost_in(start, end),
			.read = field(start, end, "read events"),
			.has_read = find(start, end, "read events"),
		};

		if (digits_end != start + 5 && cpu <= UINT32_MAX)
			fn(arg, cpu, &stat);
		start = next ? next + 1 : NULL;
	}
}
