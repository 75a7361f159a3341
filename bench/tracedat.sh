#!/usr/bin/env bash
# trace.dat benchmark: record a real lock-event storm with trace-cmd (mmap_lock
# and lock:contention_* from bench/mmap_storm), as v7 (compressed, trace-cmd's
# default) and converted to v6, then time `lockgraph analyze` against
# `trace-cmd report > /dev/null` on the same files in the same run, with peak
# anonymous and file-backed RSS apart. A run at a fifth of the size checks that
# anonymous memory does not grow with the number of events.
# usage: bench/tracedat.sh LOCKGRAPH MMAP_STORM ITERATIONS_PER_THREAD
set -u
lockgraph=$1
storm=$2
iterations=$3
threads=4
tracing=/sys/kernel/tracing

skip() { echo "SKIP: trace.dat benchmark: $*"; exit 0; }
command -v trace-cmd >/dev/null || skip "trace-cmd is not installed (make setup installs it)"
[ "$(id -u)" -eq 0 ] || skip "recording needs root"
[ -e "$tracing/events/mmap_lock/mmap_lock_start_locking" ] ||
	skip "no tracefs with mmap_lock events at $tracing (mount -t tracefs nodev $tracing)"

tmp=$(mktemp -d)
was_on=$(cat "$tracing/tracing_on")
trap 'echo "$was_on" >"$tracing/tracing_on"; rm -rf "$tmp"' EXIT

# wall milliseconds of a command, unobserved, and its exit status: "ms status"
timed() {
	local start end status
	start=$(date +%s%N)
	"$@" >/dev/null 2>"$tmp/err"
	status=$?
	end=$(date +%s%N)
	echo "$(( (end - start) / 1000000 )) $status"
}

# peak RssAnon and RssFile of a second run, polled from /proc: "anon_kb file_kb"
rss() {
	local pid anon=0 file=0 a f
	"$@" >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		read -r a f < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a+0, f+0}' \
			"/proc/$pid/status" 2>/dev/null || echo "0 0")
		[ "${a:-0}" -gt "$anon" ] && anon=$a
		[ "${f:-0}" -gt "$file" ] && file=$f
		sleep 0.02
	done
	wait "$pid"
	echo "$anon $file"
}

record() { # OUTPUT ITERATIONS
	# -d --no-filter: VMs refuse the function-tracer files trace-cmd touches
	# (its status is not reliable here: it reports EPERM on those files and goes on)
	trace-cmd record -q -d --no-filter -b 20000 -e lock -e mmap_lock -o "$1" -- \
		"$storm" "$2" "$threads" >/dev/null 2>&1
	[ -s "$1" ] || { echo "FAIL: trace-cmd record wrote no $1"; exit 1; }
	trace-cmd convert --file-version 6 -i "$1" -o "${1%.dat}-v6.dat" >/dev/null 2>&1 ||
		{ echo "FAIL: trace-cmd convert"; exit 1; }
}

echo "lockgraph trace.dat benchmark"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), Linux $(uname -r)"
record "$tmp/large.dat" "$iterations"
record "$tmp/small.dat" $((iterations / 5))
echo "trace:   $threads threads x $iterations mmap/munmap (and a fifth of that), recorded by trace-cmd"
echo
printf '%-9s %-15s %9s %8s %10s %10s %11s %10s\n' file reader records "wall s" "anon KiB" "file KiB" records/s ratio
fail=0
declare -A anon
for size in large small; do
	for v in v7 v6; do
		f="$tmp/$size.dat"
		[ "$v" = v6 ] && f="$tmp/$size-v6.dat"
		read -r lg_ms lg_status < <(timed "$lockgraph" analyze --format=json "$f")
		if [ "$lg_status" -eq 2 ]; then echo "FAIL: lockgraph on $size $v: $(cat "$tmp/err")"; exit 1; fi
		read -r tc_ms _ < <(timed trace-cmd report "$f")
		read -r lg_anon lg_file < <(rss "$lockgraph" analyze --format=json "$f")
		read -r tc_anon tc_file < <(rss trace-cmd report "$f")
		records=$("$lockgraph" analyze --format=json "$f" 2>/dev/null | jq '.inputs[0].events + .inputs[0].skipped')
		anon[$size-$v]=$lg_anon
		printf '%-9s %-15s %9d %8.2f %10d %10d %11.0f %10s\n' "$size-$v" lockgraph "$records" \
			"$(echo "$lg_ms / 1000" | bc -l)" "$lg_anon" "$lg_file" \
			"$(echo "$records * 1000 / $lg_ms" | bc -l)" \
			"$(printf '%.1fx' "$(echo "$tc_ms / $lg_ms" | bc -l)")"
		printf '%-9s %-15s %9d %8.2f %10d %10d %11.0f\n' "" "trace-cmd report" "$records" \
			"$(echo "$tc_ms / 1000" | bc -l)" "$tc_anon" "$tc_file" \
			"$(echo "$records * 1000 / $tc_ms" | bc -l)"
	done
done
echo
echo "ratio: trace-cmd report's wall time over lockgraph's, same file, same run"
for v in v6 v7; do
	r=$(echo "${anon[large-$v]} / ${anon[small-$v]}" | bc -l)
	verdict=PASS
	if [ "$(echo "$r > 1.5" | bc)" -eq 1 ]; then
		verdict="FAIL (more than 1.5x)"
		fail=1
	fi
	printf 'anonymous RSS large/small %s: %.2fx  %s\n' "$v" "$r" "$verdict"
done
exit "$fail"
