#!/bin/bash
# Benchmark of the cycle search and of the report of many cycles.
#
#   bench/cycles.sh LOCKGRAPH GEN_TRACE GEN_CYCLES [EVENTS] [RUNS]
#                                       (make bench [BENCH_CYCLE_EVENTS=N])
#
# 1. four locks held past their lost releases (gen_trace --four-locks=held,
#    fixtures/four-locks-held at 50,000 events) against the same trace with the
#    releases (--four-locks=released), EVENTS events each (default 2,000,000):
#    lockgraph's time must stay within 2x and its peak RSS within 1.5x.
# 2. one cycle through 10,000, 40,000 and 100,000 classes (gen_cycles ring),
#    and 100,000 two-class cycles through one hub (gen_cycles hub): the 100,000
#    ones in under 20 s and 400 MB.
# Every case runs as text and as JSON, RUNS times (default 3), the pairs of
# case 1 alternating; the medians are printed. Exits 1 if a check fails or
# lockgraph exits 2, 2 on a usage or setup error. See bench/README.md.
set -u -o pipefail

usage() {
	echo "usage: $0 LOCKGRAPH GEN_TRACE GEN_CYCLES [EVENTS] [RUNS]" >&2
	exit 2
}

[ $# -ge 3 ] && [ $# -le 5 ] || usage
LOCKGRAPH=$1 GEN=$2 CYC=$3 EVENTS=${4:-2000000} RUNS=${5:-3}
for n in "$EVENTS" "$RUNS"; do
	case $n in '' | *[!0-9]* | 0) echo "$0: '$n' is not a positive number" >&2; exit 2 ;; esac
done
. "$(dirname "$0")/lib.sh"
bench_setup cycles "$LOCKGRAPH" "$GEN" "$CYC"
failed=0

# run NAME FORMAT TRACE: one lockgraph run; appends "wall rss bytes" to
# $TMP/NAME.FORMAT
run() {
	local name=$1 format=$2 trace=$3 status
	"$TIME" -f '%e %M' -o "$TMP/time" "$LOCKGRAPH" analyze --format="$format" "$trace" \
		>"$TMP/out" 2>"$TMP/err"
	status=$?
	if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
		echo "FAIL: $LOCKGRAPH exited $status on $name ($format):" >&2
		sed 's/^/  /' "$TMP/err" >&2
		exit 1
	fi
	echo "$(tail -n 1 "$TMP/time") $(stat -c %s "$TMP/out")" >>"$TMP/$name.$format"
}

# median NAME FORMAT: "wall rss bytes", each the median of the runs
median() {
	local col
	for col in 1 2 3; do
		cut -d' ' -f$col "$TMP/$1.$2" | sort -n | awk '{ v[NR] = $1 }
			END { printf "%s ", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
	done
}

row() { # NAME FORMAT WHAT
	read -r wall rss bytes < <(median "$1" "$2")
	awk -v what="$3" -v f="$2" -v w="$wall" -v r="$rss" -v b="$bytes" \
		'BEGIN { printf "%-34s %-5s %8.2f %9.1f MiB %9.1f MiB\n", what, f, w, r / 1024, b / 1048576 }'
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "lockgraph cycle benchmark ($RUNS runs each, medians)"
echo "machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, $(uname -sr)"

"$GEN" 50000 1 --four-locks=held >"$TMP/fixture.txt" || exit 2
if [ -f fixtures/four-locks-held/trace.txt ] &&
   ! cmp -s "$TMP/fixture.txt" fixtures/four-locks-held/trace.txt; then
	echo "FAIL: gen_trace 50000 1 --four-locks=held is no longer fixtures/four-locks-held" >&2
	failed=1
fi
"$GEN" "$EVENTS" 1 --four-locks=held >"$TMP/held.txt" || exit 2
"$GEN" "$EVENTS" 1 --four-locks=released >"$TMP/released.txt" || exit 2
for n in 10000 40000 100000; do
	"$CYC" ring "$n" >"$TMP/ring$n.txt" || exit 2
done
"$CYC" hub 100000 >"$TMP/hub100000.txt" || exit 2

for format in text json; do
	for ((i = 0; i < RUNS; i++)); do
		run held "$format" "$TMP/held.txt"
		run released "$format" "$TMP/released.txt"
		for n in 10000 40000 100000; do
			run "ring$n" "$format" "$TMP/ring$n.txt"
		done
		run hub100000 "$format" "$TMP/hub100000.txt"
	done
done

"$LOCKGRAPH" analyze "$TMP/held.txt" 2>/dev/null | tail -n 1 | sed 's/^lockgraph: /four locks held: /'
echo
printf '%-34s %-5s %8s %13s %13s\n' run format "wall s" "peak RSS" output
for format in text json; do
	row held "$format" "four locks held ($EVENTS events)"
	row released "$format" "the same, released"
	for n in 10000 40000 100000; do
		row "ring$n" "$format" "ring of $n classes"
	done
	row hub100000 "$format" "hub of 100000 two-class cycles"
done
echo

check() { # WHAT OK
	if [ "$2" = 1 ]; then echo "check $1: PASS"; else echo "check $1: FAIL"; failed=1; fi
}
for format in text json; do
	read -r hw hr _ < <(median held "$format")
	read -r rw rr _ < <(median released "$format")
	check "four locks held, $format: time ${hw}s vs ${rw}s <= 2x" \
		"$(awk -v a="$hw" -v b="$rw" 'BEGIN { print a <= 2 * (b > 0.01 ? b : 0.01) }')"
	check "four locks held, $format: RSS ${hr} KiB vs ${rr} KiB <= 1.5x" \
		"$(awk -v a="$hr" -v b="$rr" 'BEGIN { print a <= 1.5 * b }')"
	for name in ring100000 hub100000; do
		read -r w r _ < <(median "$name" "$format")
		check "$name, $format: ${w}s < 20 s, ${r} KiB < 400 MiB" \
			"$(awk -v w="$w" -v r="$r" 'BEGIN { print w < 20 && r < 400 * 1024 }')"
	done
done
exit "$failed"
