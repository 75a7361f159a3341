#!/usr/bin/env bash
# Run a fuzzer for SECONDS, seeded with the fixtures (and bad inputs) of its
# format; a crash is saved under build/fuzz/ and fails the run.
# usage: tests/fuzz/run.sh FUZZER SECONDS
set -eu
fuzzer=$1
seconds=$2
cd "$(dirname "$0")/../.."
corpus=build/fuzz/corpus-$(basename "$fuzzer")
mkdir -p "$corpus"
max_len=65536
dict=()
case "$fuzzer" in
*tracedat | *layout)
	max_len=2097152	# a trace.dat carries kallsyms: a real one is about 1 MiB
	# the layout's own seeds include a version 6 file of 3.4 MB, whose pages
	# are what its scan reads
	[[ $fuzzer == *layout ]] && max_len=4194304
	export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan-tracedat.supp
	# the lab's recordings too: lockdep events with class keys and arguments
	for f in fixtures/*/trace.dat fixtures/kernel*/*/trace.dat; do
		name=$(dirname "$f")
		cp "$f" "$corpus/fixture-${name//\//-}.dat"
	done ;;
*rules)
	max_len=4096
	cp lab/rules/* "$corpus/"
	for f in rules/*; do cp "$f" "$corpus/shipped-$(basename "$f")"; done
	printf '# local\nnovalidate &ht->mutex\nvalidate &dev->mutex\n' >"$corpus/seed.rules"
	printf 'prime A -> B # closes the cycle of its trace\nprime B -> C\n' >"$corpus/prime.rules"
	printf 'A -> B # a cycle\ncd-0123456789abcdef # an id\n' >"$corpus/suppress" ;;
*graph)
	max_len=262144
	# graph files of the small fixtures, and of two merged
	for f in fixtures/*/trace.txt; do
		./lockgraph analyze --format=json --save-graph "$corpus/$(basename "$(dirname "$f")").json" \
			"$f" >/dev/null 2>&1 || [ $? = 1 ]
	done
	./lockgraph analyze --save-graph "$corpus/merged.json" fixtures/two-cycles/trace.txt \
		fixtures/irq-safe-to-unsafe/trace.txt >/dev/null 2>&1 || [ $? = 1 ]
	# a lab run's wait/event dependencies, without its lock graph (too big)
	./lockgraph analyze --save-graph "$corpus/wait.json" fixtures/kernel-6.12/wait-fence/trace.dat \
		>/dev/null 2>&1 || [ $? = 1 ]
	jq -c '.dependencies = [] | .classes = [] | .contention = []' "$corpus/wait.json" >"$corpus/w"
	mv "$corpus/w" "$corpus/wait.json"
	dict=(-dict=tests/fuzz/graph.dict) ;;
*)
	for f in fixtures/*/trace.txt; do
		cp "$f" "$corpus/fixture-$(basename "$(dirname "$f")").txt"
	done
	cp tests/e2e/bad/*.txt "$corpus/" ;;
esac
"$fuzzer" "${dict[@]}" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix=build/fuzz/ -print_final_stats=1 "$corpus"
