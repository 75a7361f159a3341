/* Reading the kernel's per-CPU ring-buffer statistics; see cpu_stats.h. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/contract/cpu_stats.h"

/* The number after "name:" at the start of a line of [s, end), or 0. */
static uint64_t field(const char *s, const char *end, const char *name)
{
	size_t len = strlen(name);

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);

		if ((size_t)(end - s) > len && !strncmp(s, name, len) && s[len] == ':')
			return strtoull(s + len + 1, NULL, 10);
		s = nl ? nl + 1 : end;
	}
	return 0;
}

static uint64_t lost_in(const char *s, const char *end)
{
	return field(s, end, "overrun") + field(s, end, "commit overrun") +
	       field(s, end, "dropped events");
}

uint64_t lg_cpu_stats_lost(const char *stats)
{
	return lost_in(stats, stats + strlen(stats));
}

void lg_cpu_stats_each(const char *text, void (*fn)(void *arg, uint32_t cpu, uint64_t lost),
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

		if (digits_end != start + 5 && cpu <= UINT32_MAX)
			fn(arg, cpu, lost_in(start, end));
		start = next ? next + 1 : NULL;
	}
}
