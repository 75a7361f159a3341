#!/usr/bin/env bash
# Run the text-source fuzzer for SECONDS, seeded with every fixture and bad
# input; a crash is saved under build/fuzz/ and fails the run.
# usage: tests/fuzz/run.sh FUZZER SECONDS
set -eu
fuzzer=$1
seconds=$2
cd "$(dirname "$0")/../.."
corpus=build/fuzz/corpus
mkdir -p "$corpus"
for f in fixtures/*/trace.txt; do
	[ -e "$f" ] || continue
	cp "$f" "$corpus/fixture-$(basename "$(dirname "$f")").txt"
done
cp tests/e2e/bad/*.txt "$corpus/"
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix=build/fuzz/ -print_final_stats=1 "$corpus"
