#!/usr/bin/env bash
# Graph files: what a fleet's merge costs. Saves the graph of every lab
# fixture (real lockdep-kernel runs), copies them round-robin into FILES
# graph files (default 1,000), and times `lockgraph analyze` merging a tenth
# of them and all of them, against jq reading the same files (the cost of
# parsing that much JSON), RUNS times (default 3), paired, medians. Fails if
# peak RSS of the whole merge is more than 1.5x that of a tenth: memory must
# follow classes and dependencies, not the number of files.
# usage: bench/graphs.sh LOCKGRAPH [FILES [RUNS]]
set -u
lockgraph=$1
files=${2:-1000}
runs=${3:-3}
cd "$(dirname "$0")/.." || exit 2
. bench/lib.sh
bench_setup graphs "$lockgraph"
command -v jq >/dev/null || { echo "$0: jq is needed (make setup installs it)" >&2; exit 2; }

lab=(fixtures/kernel*/*/trace.dat)
mkdir "$TMP/lab" "$TMP/fleet"
for i in "${!lab[@]}"; do
	"$lockgraph" analyze --save-graph "$TMP/lab/$i.json" "${lab[$i]}" >/dev/null 2>&1
	[ $? -le 1 ] || { echo "FAIL: --save-graph of ${lab[$i]}"; exit 1; }
done
for ((i = 0; i < files; i++)); do
	cp "$TMP/lab/$((i % ${#lab[@]})).json" "$TMP/fleet/$(printf '%05d' "$i").json"
done
bytes=$(du -cb "$TMP/fleet" | tail -1 | cut -f1)
printf 'machine: %s, %s CPUs; %d graph files of %d lab runs, %d MiB (%d KiB each on average)\n' \
	"$(uname -r)" "$(nproc)" "$files" "${#lab[@]}" $((bytes >> 20)) $((bytes / files >> 10))

timed() { # OUT CMD...: "wall-seconds peak-KiB" appended to OUT
	local out=$1
	shift
	$TIME -f '%e %M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err"
	[ $? -le 1 ] || { echo "FAIL: $*: $(tail -3 "$TMP/err")"; exit 1; }
	tail -n 1 "$TMP/time" >>"$out"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

all=("$TMP"/fleet/*.json)
tenth=("${all[@]:0:$((files / 10))}")
for ((r = 0; r < runs; r++)); do
	timed "$TMP/lg-all" "$lockgraph" analyze --format=json "${all[@]}"
	timed "$TMP/jq-all" jq -c length "${all[@]}"
	timed "$TMP/lg-tenth" "$lockgraph" analyze --format=json "${tenth[@]}"
done
status=0
printf '%-44s %6s %8s %10s\n' run files "wall s" "peak RSS"
for c in lg-all:${#all[@]} lg-tenth:${#tenth[@]} jq-all:${#all[@]}; do
	name=${c%%:*}
	wall=$(cut -d' ' -f1 "$TMP/$name" | median)
	rss=$(cut -d' ' -f2 "$TMP/$name" | median)
	eval "${name//-/_}_wall=$wall ${name//-/_}_rss=$rss"
	case $name in
	lg-*) what="lockgraph analyze --format=json" ;;
	*) what="jq -c length (reference)" ;;
	esac
	printf '%-44s %6d %8.2f %7.1f MiB\n' "$what" "${c#*:}" "$wall" "$(echo "$rss / 1024" | bc -l)"
done
printf 'time ratio lockgraph/jq (all files): %.2fx; %.1f ms a file\n' \
	"$(echo "$lg_all_wall / $jq_all_wall" | bc -l)" "$(echo "$lg_all_wall * 1000 / $files" | bc -l)"
printf 'memory flatness: %d KiB for %d files vs %d KiB for %d = %.2fx\n' "$lg_all_rss" "$files" \
	"$lg_tenth_rss" $((files / 10)) "$(echo "$lg_all_rss / $lg_tenth_rss" | bc -l)"
if [ $((lg_all_rss * 2)) -gt $((lg_tenth_rss * 3)) ]; then
	echo "FAIL: memory grows with the number of graph files"; status=1
fi
exit $status
