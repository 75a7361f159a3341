/* libFuzzer target: any bytes as a trace.dat, through libtracecmd and the
 * trace.dat reader into replay and contention. The bytes go to a memfd since
 * libtracecmd opens files by name. */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lockgraph/contention.h"
#include "lockgraph/replay.h"
#include "lockgraph/source.h"

struct pipeline {
	struct lg_replay *replay;
	struct lg_contention *contention;
};

static void feed(const struct lg_event *ev, void *arg)
{
	struct pipeline *p = arg;

	lg_replay_event(p->replay, ev);
	lg_contention_event(p->contention, ev);
}

static const char *symbol(uint64_t addr, void *src)
{
	return lg_source_symbol(src, addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", 0);
	char path[64];
	struct lg_rules *rules = lg_rules_new();
	struct lg_strtab *names = lg_strtab_new();
	struct lg_graph *graph = lg_graph_new(names, rules);
	struct pipeline p = { lg_replay_new(graph), lg_contention_new(names) };
	struct lg_source *src;
	struct lg_error err;

	if (fd >= 0 && write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!lg_source_open(&src, path, names, &err)) {
			lg_replay_begin_input(p.replay, 0);
			if (!lg_source_read(src, feed, &p, &err))
				lg_contention_end_input(p.contention, symbol, src);
			lg_source_close(src);
		}
	}
	if (fd >= 0)
		close(fd);
	lg_replay_free(p.replay);
	lg_contention_free(p.contention);
	lg_graph_free(graph);
	lg_strtab_free(names);
	lg_rules_free(rules);
	return 0;
}
