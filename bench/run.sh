#!/bin/bash
# Benchmark of `lockgraph analyze` on a synthetic ftrace text trace.
#
#   bench/run.sh LOCKGRAPH GEN EVENTS      (make bench [BENCH_EVENTS=N])
#
# Generates a trace of EVENTS events and one of EVENTS/5 with the same seed,
# then measures with GNU time: lockgraph on both (wall time, peak RSS) and
# `grep -c lock_acquire` on the large one as the I/O-and-scan reference.
# Exits non-zero if lockgraph fails (exit 2) or if its peak RSS on the large
# trace is more than 1.5x that on the small one (memory must not grow with
# the number of events). See bench/README.md.
set -u -o pipefail

SEED=1
RUNS=${BENCH_RUNS:-3}
RSS_LIMIT=1.5

usage() {
	echo "usage: $0 LOCKGRAPH GEN EVENTS" >&2
	exit 2
}

[ $# -eq 3 ] || usage
LOCKGRAPH=$1
GEN=$2
EVENTS=$3
case $EVENTS in
'' | *[!0-9]*) echo "$0: EVENTS must be a number, not '$EVENTS'" >&2; exit 2 ;;
esac
if [ "$EVENTS" -lt 1000 ]; then
	echo "$0: EVENTS must be at least 1000" >&2
	exit 2
fi
SMALL=$((EVENTS / 5))
. "$(dirname "$0")/lib.sh"
bench_setup bench "$LOCKGRAPH" "$GEN"

# measure NAME OUT CMD...: runs CMD under GNU time with stdout to OUT; sets
# WALL (s), RSS (KiB) and STATUS (CMD's exit status).
measure() {
	local name=$1 out=$2
	shift 2
	"$TIME" -f '%e %M' -o "$TMP/$name.time" "$@" >"$out" 2>"$TMP/$name.err"
	STATUS=$?
	# on a non-zero exit GNU time writes "Command exited with ..." first
	read -r WALL RSS < <(tail -n 1 "$TMP/$name.time")
}

fail_lockgraph() {
	echo "FAIL: $LOCKGRAPH exited with status $STATUS on the $1 trace:" >&2
	sed 's/^/  /' "$TMP/$1.err" >&2
	exit 1
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu_model" ] || cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
echo "lockgraph benchmark"
echo "machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, $(uname -sr)"

start=$(date +%s.%N)
"$GEN" "$EVENTS" "$SEED" --plant-cycle >"$TMP/trace.txt" || { echo "$0: $GEN failed" >&2; exit 2; }
end=$(date +%s.%N)
"$GEN" "$SMALL" "$SEED" --plant-cycle >"$TMP/small.txt" || { echo "$0: $GEN failed" >&2; exit 2; }
size=$(stat -c %s "$TMP/trace.txt")
awk -v n="$EVENTS" -v s="$size" -v t="$(echo "$end $start" | awk '{ print $1 - $2 }')" 'BEGIN {
	printf "trace:   %d events (seed 1, one planted ABBA cycle), %.1f MiB, generated in %.2f s\n",
	       n, s / 1048576, t }'
echo

measure large /dev/null "$LOCKGRAPH" analyze --format=json "$TMP/trace.txt"
[ "$STATUS" -eq 0 ] || [ "$STATUS" -eq 1 ] || fail_lockgraph large
lg_wall=$WALL lg_rss=$RSS lg_status=$STATUS

measure small /dev/null "$LOCKGRAPH" analyze --format=json "$TMP/small.txt"
[ "$STATUS" -eq 0 ] || [ "$STATUS" -eq 1 ] || fail_lockgraph small
sm_wall=$WALL sm_rss=$RSS sm_status=$STATUS

# to a file: GNU grep stops at the first match when its output is /dev/null
measure grep "$TMP/grep.out" grep -c lock_acquire "$TMP/trace.txt"
if [ "$STATUS" -ne 0 ]; then
	echo "$0: grep -c lock_acquire failed (status $STATUS)" >&2
	exit 2
fi
gr_wall=$WALL gr_rss=$RSS

# the times: RUNS paired runs (lockgraph, then grep), medians
lg_runs=() gr_runs=()
for _ in $(seq "$RUNS"); do
	lg_runs+=("$(run_ms /dev/null "$LOCKGRAPH" analyze --format=json "$TMP/trace.txt")")
	gr_runs+=("$(run_ms "$TMP/grep.out" grep -c lock_acquire "$TMP/trace.txt")")
done
read -r lg_med lg_min lg_max < <(median "${lg_runs[@]}")
read -r gr_med gr_min gr_max < <(median "${gr_runs[@]}")
lg_wall=$(echo "$lg_med / 1000" | bc -l) gr_wall=$(echo "$gr_med / 1000" | bc -l)
read -r lg_anon lg_file < <(peak_rss "$LOCKGRAPH" analyze --format=json "$TMP/trace.txt")

awk -v n="$EVENTS" -v sn="$SMALL" -v lw="$lg_wall" -v lr="$lg_rss" -v ls="$lg_status" \
    -v sw="$sm_wall" -v sr="$sm_rss" -v ss="$sm_status" -v gw="$gr_wall" -v gr="$gr_rss" \
    -v limit="$RSS_LIMIT" -v runs="$RUNS" -v lmin="$lg_min" -v lmax="$lg_max" -v gmin="$gr_min" \
    -v gmax="$gr_max" -v anon="$lg_anon" -v file="$lg_file" '
function rate(events, wall) { return events / (wall > 0 ? wall : 0.01) / 1e6 }
function mib(kib) { return kib / 1024 }
BEGIN {
	fmt = "%-38s %10s %8s %10s %12s %5s\n"
	printf fmt, "run", "events", "wall s", "peak RSS", "events/s", "exit"
	printf "%-38s %10d %8.2f %6.1f MiB %10.2f M %5d\n", "lockgraph analyze --format=json", n, lw, mib(lr), rate(n, lw), ls
	printf "%-38s %10d %8.2f %6.1f MiB %10.2f M %5d\n", "lockgraph analyze --format=json (1/5)", sn, sw, mib(sr), rate(sn, sw), ss
	printf "%-38s %10d %8.2f %6.1f MiB %10.2f M %5d\n", "grep -c lock_acquire (reference)", n, gw, mib(gr), rate(n, gw), 0
	print "(exit: 1 = findings reported, as expected for the planted cycle; 0 = none; 2 = error)"
	print ""
	printf "time ratio lockgraph/grep:     %.2fx (medians of %d paired runs: %.2f s, %.2f-%.2f; grep %.2f s, %.2f-%.2f)\n", lw / (gw > 0 ? gw : 0.01), runs, lw, lmin / 1000, lmax / 1000, gw, gmin / 1000, gmax / 1000
	printf "lockgraph peak RssAnon / RssFile: %d / %d KiB\n", anon, file
	ratio = lr / (sr > 0 ? sr : 1)
	verdict = ratio <= limit ? "PASS" : "FAIL"
	printf "memory flatness:               peak RSS %d KiB at %d events vs %d KiB at %d events = %.2fx\n", lr, n, sr, sn, ratio
	printf "check (RSS ratio <= %.1fx):     %s\n", limit, verdict
	exit verdict == "PASS" ? 0 : 1
}'
