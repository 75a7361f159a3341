#!/usr/bin/env bash
# Recorded-trace benchmark: record a real lock-event storm with trace-cmd
# (mmap_lock and lock:contention_* from bench/mmap_storm), as v7 (compressed,
# trace-cmd's default), converted to v6, and as text (trace-cmd report -l),
# once at full size and once at a fifth; time `lockgraph analyze` against its
# peer on the same file, paired in each of RUNS runs, medians: `trace-cmd
# report > /dev/null` for a trace.dat, `grep -c lock_acquire` for the text.
# Peak anonymous and file-backed RSS apart; anonymous memory must not grow
# with the number of events.
# usage: bench/tracedat.sh LOCKGRAPH MMAP_STORM ITERATIONS_PER_THREAD [RUNS]
set -u
lockgraph=$1
storm=$2
iterations=$3
runs=${4:-3}
threads=4
tracing=/sys/kernel/tracing
. "$(dirname "$0")/lib.sh"

skip() { echo "SKIP: trace.dat benchmark: $*"; exit 0; }
command -v trace-cmd >/dev/null || skip "trace-cmd is not installed (make setup installs it)"
[ "$(id -u)" -eq 0 ] || skip "recording needs root"
[ -e "$tracing/events/mmap_lock/mmap_lock_start_locking" ] ||
	skip "no tracefs with mmap_lock events at $tracing (mount -t tracefs nodev $tracing)"

tmp=$(mktemp -d)
was_on=$(cat "$tracing/tracing_on")
trap 'echo "$was_on" >"$tracing/tracing_on"; rm -rf "$tmp"' EXIT

record() { # OUTPUT ITERATIONS
	# -d --no-filter: VMs refuse the function-tracer files trace-cmd touches
	# (its status is not reliable here: it reports EPERM on those files and goes on)
	trace-cmd record -q -d --no-filter -b 20000 -e lock -e mmap_lock -o "$1" -- \
		"$storm" "$2" "$threads" >/dev/null 2>&1
	[ -s "$1" ] || { echo "FAIL: trace-cmd record wrote no $1"; exit 1; }
	trace-cmd convert --file-version 6 -i "$1" -o "${1%.dat}-v6.dat" >/dev/null 2>&1 ||
		{ echo "FAIL: trace-cmd convert"; exit 1; }
	trace-cmd report -l "$1" >"${1%.dat}.txt" 2>/dev/null ||
		{ echo "FAIL: trace-cmd report -l"; exit 1; }
}

echo "lockgraph recorded-trace benchmark"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), Linux $(uname -r)"
record "$tmp/large.dat" "$iterations"
record "$tmp/small.dat" $((iterations / 5))
echo "trace:   $threads threads x $iterations mmap/munmap (and a fifth of that), recorded by trace-cmd"
echo "runs:    $runs, each lockgraph then its peer on the same file; medians (least-greatest)"
echo
printf '%-10s %-20s %9s %22s %9s %9s %9s %10s\n' file reader records "wall s" "anon KiB" \
	"file KiB" records/s ratio
declare -A anon
for size in large small; do
	for kind in v7 v6 text; do
		case $kind in
		v7) f=$tmp/$size.dat peer=(trace-cmd report "$f") out=/dev/null ;;
		v6) f=$tmp/$size-v6.dat peer=(trace-cmd report "$f") out=/dev/null ;;
		text) f=$tmp/$size.txt peer=(grep -c lock_acquire "$f") out=$tmp/grep.out ;;
		esac
		"$lockgraph" analyze --format=json "$f" >"$tmp/report.json" 2>"$tmp/err"
		[ $? -eq 2 ] && { echo "FAIL: lockgraph on $size $kind: $(cat "$tmp/err")"; exit 1; }
		records=$(jq '.inputs[0].events + .inputs[0].skipped' "$tmp/report.json")
		lg=() pe=()
		for _ in $(seq "$runs"); do
			lg+=("$(run_ms /dev/null "$lockgraph" analyze --format=json "$f")")
			pe+=("$(run_ms "$out" "${peer[@]}")")
		done
		read -r lg_ms lg_min lg_max < <(median "${lg[@]}")
		read -r pe_ms pe_min pe_max < <(median "${pe[@]}")
		read -r lg_anon lg_file < <(peak_rss "$lockgraph" analyze --format=json "$f")
		read -r pe_anon pe_file < <(peak_rss "${peer[@]}")
		anon[$size-$kind]=$lg_anon
		row() { # READER MS MIN MAX ANON FILE [RATIO]
			printf '%-10s %-20s %9d %8.2f (%5.2f-%5.2f) %9d %9d %9.2fM %10s\n' \
				"$label" "$1" "$records" "$(echo "$2 / 1000" | bc -l)" \
				"$(echo "$3 / 1000" | bc -l)" "$(echo "$4 / 1000" | bc -l)" "$5" "$6" \
				"$(echo "$records / 1000 / ($2 + 1)" | bc -l)" "${7:-}"
		}
		label=$size-$kind
		if [ "$kind" = text ]; then	# text: lockgraph's time over grep's
			ratio=$(printf '%.1fx grep' "$(echo "$lg_ms / ($pe_ms + 1)" | bc -l)")
		else				# trace.dat: how many times faster
			ratio=$(printf '%.1fx' "$(echo "$pe_ms / ($lg_ms + 1)" | bc -l)")
		fi
		row lockgraph "$lg_ms" "$lg_min" "$lg_max" "$lg_anon" "$lg_file" "$ratio"
		label=""
		row "${peer[0]} ${peer[1]}" "$pe_ms" "$pe_min" "$pe_max" "$pe_anon" "$pe_file"
	done
done
echo
echo "ratio (medians, same file, same runs): trace.dat, trace-cmd report's time over"
echo "lockgraph's; text, lockgraph's time over grep -c's"
fail=0
for kind in v7 v6 text; do
	r=$(echo "${anon[large-$kind]} / ${anon[small-$kind]}" | bc -l)
	verdict=PASS
	if [ "$(echo "$r > 1.5" | bc)" -eq 1 ]; then
		verdict="FAIL (more than 1.5x)"
		fail=1
	fi
	printf 'anonymous RSS large/small %s: %.2fx  %s\n' "$kind" "$r" "$verdict"
done
exit "$fail"
