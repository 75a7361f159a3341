# lockgraph: `make` builds ./lockgraph; `make setup` installs the Debian packages
# it needs and builds; `make check` runs every test under ASan+UBSan (and the
# end-to-end tests under valgrind too); `make bench` measures; `make fuzz` fuzzes.

VERSION := 0.1
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
RULESDIR ?= $(PREFIX)/share/lockgraph/rules
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

CFLAGS ?= -O2 -g
PKGS := jansson libtracecmd libtracefs libtraceevent libelf libzstd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)
LG_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -DLG_VERSION='"$(VERSION)"' \
	-DLG_RULES_DIR='"$(RULESDIR)"' $(PKG_CFLAGS)
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# src/ holds the commands; each folder under it is one stage (see README's Layout).
STAGES := lib contract input replay detect report record
SRCS := $(wildcard src/*.c $(STAGES:%=src/%/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c $(STAGES:%=tests/unit/%/*.c))
OBJS := $(SRCS:src/%.c=build/%.o)
SAN_OBJS := $(SRCS:src/%.c=build/san/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/san/%.o)
MANPAGES := $(wildcard man/*.1)
RULES := $(wildcard rules/*)

# Debian packages: build, tests (check, jq, valgrind, clang for libFuzzer,
# xmllint and junitparser as JUnit readers), benchmark peer (trace-cmd), and
# the libraries later commands build on.
DEB_PACKAGES := build-essential pkg-config libjansson-dev check jq valgrind \
	clang libclang-rt-14-dev libtraceevent-dev libtracefs-dev libtracecmd-dev \
	trace-cmd time bc libelf-dev libzstd-dev libxml2-utils python3-junitparser graphviz

all: lockgraph

lockgraph: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

build/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(LG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

build/san/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(LG_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

build/san/lockgraph: $(SAN_OBJS)
	$(CC) $(SAN_FLAGS) -o $@ $(SAN_OBJS) $(PKG_LIBS)

build/san/unit: $(SAN_LIB_OBJS) $(UNIT_SRCS) tests/unit/unit.h
	$(CC) $(LG_CFLAGS) -Itests/unit $(CHECK_CFLAGS) $(SAN_FLAGS) -o $@ $(UNIT_SRCS) \
		$(SAN_LIB_OBJS) $(PKG_LIBS) $(CHECK_LIBS)

# print_suppressions=0: a used suppression is not part of the output tests compare
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --suppressions=$(CURDIR)/tests/valgrind.supp

build/tests/%: tests/e2e/progs/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O1 -g -pthread -o $@ $<

FUZZ_HARNESSES := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

# check builds every fuzz harness too, so that one gone stale with an API
# fails here rather than after the whole suite.
check: lockgraph build/san/lockgraph build/san/unit build/tests/pthread_abba $(FUZZ_HARNESSES)
	tests/layering.sh build
	CK_FORK=no build/san/unit
	tests/e2e/run.sh build/san/lockgraph
	tests/e2e/splat.sh build/san/lockgraph
	tests/e2e/ci.sh build/san/lockgraph
	tests/e2e/dot.sh build/san/lockgraph
	tests/e2e/graph.sh build/san/lockgraph
	tests/e2e/cli.sh build/san/lockgraph
	tests/e2e/ci_recipe.sh build/san/lockgraph
	tests/e2e/corrupt.sh build/san/lockgraph
	tests/e2e/record.sh build/san/lockgraph build/tests/pthread_abba
	@if command -v valgrind >/dev/null; then \
		LG_WRAP="$(VALGRIND)" tests/e2e/run.sh ./lockgraph && \
		LG_WRAP="$(VALGRIND)" tests/e2e/record.sh ./lockgraph build/tests/pthread_abba; \
	else echo "valgrind not installed: skipping the valgrind pass (make setup installs it)"; fi

build/fuzz/fuzz_%: $(LIB_SRCS) tests/fuzz/fuzz_%.c
	@mkdir -p $(@D)
	clang $(LG_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ \
		tests/fuzz/fuzz_$*.c $(LIB_SRCS) $(PKG_LIBS)

# fuzz-tracedat also fuzzes libtracecmd, which 1.3.1 cannot survive: see
# tests/fuzz/libtracecmd-crashes/README. CI runs fuzz-text, fuzz-layout,
# fuzz-rules and fuzz-graph.
FUZZ_SECONDS ?= 60
fuzz: fuzz-text fuzz-layout fuzz-rules fuzz-graph fuzz-tracedat
fuzz-text: build/fuzz/fuzz_text
	tests/fuzz/run.sh $< $(FUZZ_SECONDS)
fuzz-layout: build/fuzz/fuzz_layout
	tests/fuzz/run.sh $< $(FUZZ_SECONDS)
fuzz-rules: build/fuzz/fuzz_rules
	tests/fuzz/run.sh $< $(FUZZ_SECONDS)
fuzz-graph: build/fuzz/fuzz_graph lockgraph
	tests/fuzz/run.sh $< $(FUZZ_SECONDS)
fuzz-tracedat: build/fuzz/fuzz_tracedat
	tests/fuzz/run.sh $< $(FUZZ_SECONDS)

# The README's picture: seed 000's cycle as the 6.12 lab recorded it, the
# dependencies lockdep's training made dashed. tests/e2e/dot.sh fails when
# it is stale.
DOC_TRACE := fixtures/kernel-6.12/amdgpu-training/trace.dat
doc: doc/seed-000-amdgpu-training.svg
doc/seed-000-amdgpu-training.svg: lockgraph $(DOC_TRACE)
	@mkdir -p $(@D)
	./lockgraph analyze --format=dot --cycles-only $(DOC_TRACE) >$@.dot; test $$? -le 1
	dot -Tsvg $@.dot >$@.tmp
	mv $@.tmp $@
	rm -f $@.dot

build/bench/gen_trace: bench/gen_trace.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -o $@ $<

build/bench/gen_cycles: bench/gen_cycles.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -o $@ $<

build/bench/mmap_storm: bench/mmap_storm.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -pthread -o $@ $<

BENCH_EVENTS ?= 10000000
BENCH_STORM ?= 360000
BENCH_CYCLE_EVENTS ?= 2000000
BENCH_RUNS ?= 3
BENCH_GRAPHS ?= 1000
bench: lockgraph build/bench/gen_trace build/bench/mmap_storm build/bench/gen_cycles
	bench/run.sh ./lockgraph build/bench/gen_trace $(BENCH_EVENTS)
	bench/tracedat.sh ./lockgraph build/bench/mmap_storm $(BENCH_STORM) $(BENCH_RUNS)
	bench/tasks.sh ./lockgraph
	bench/cycles.sh ./lockgraph build/bench/gen_trace build/bench/gen_cycles \
		$(BENCH_CYCLE_EVENTS) $(BENCH_RUNS)
	bench/graphs.sh ./lockgraph $(BENCH_GRAPHS) $(BENCH_RUNS)

setup:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)
	$(MAKE) all

install: lockgraph
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 lockgraph $(DESTDIR)$(BINDIR)/lockgraph
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(RULESDIR)
	install -m 644 $(RULES) $(DESTDIR)$(RULESDIR)/
	install -d $(DESTDIR)$(COMPLETIONDIR)
	sed 's|@RULESDIR@|$(RULESDIR)|' completion/lockgraph.bash >$(DESTDIR)$(COMPLETIONDIR)/lockgraph

clean:
	rm -rf build lockgraph

# The kernel lab (optional, root, about 10 minutes the first time): a lockdep
# kernel under QEMU runs each scenario; see lab/run.sh. LAB_CACHE holds the
# kernel build outside the repository.
lab:
	lab/run.sh

.PHONY: all check fuzz fuzz-text fuzz-layout fuzz-rules fuzz-graph fuzz-tracedat bench doc setup install clean lab
-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d)
