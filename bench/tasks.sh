#!/usr/bin/env bash
# Memory per task: `lockgraph analyze` on traces of many short-lived tasks,
# each taking one lock and either keeping it to the end (live: its held stack
# is state lockgraph must keep) or releasing it (idle: it should cost
# nothing). Peak RSS for 100,000 and 1,000,000 tasks gives the bytes each
# live task costs; idle ones must not add up. Fails past LIMIT bytes a live
# task or if a million idle tasks cost more than 1.5x a hundred thousand.
# usage: bench/tasks.sh LOCKGRAPH
set -u
lockgraph=$1
LIMIT=200
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lockgraph-tasks.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

gen() { # TASKS RELEASE(0/1) > trace
	awk -v n="$1" -v rel="$2" 'BEGIN {
		print "# tracer: nop"; print "#"
		for (p = 1; p <= n; p++) {
			a = sprintf("%016x", 4294901760 + (p % 64) * 64)
			printf "  task-%d [%03d] ..... %d.%06d: lock_acquire: %s lock_%d\n",
			       p, p % 8, 1000 + int(2 * p / 1000000), (2 * p) % 1000000, a, p % 64
			if (rel)
				printf "  task-%d [%03d] ..... %d.%06d: lock_release: %s lock_%d\n",
				       p, p % 8, 1000 + int((2 * p + 1) / 1000000), (2 * p + 1) % 1000000,
				       a, p % 64
		}
	}'
}

rss() { # TRACE: peak KiB
	/usr/bin/time -f '%M' -o "$tmp/time" "$lockgraph" analyze --format=json "$1" >/dev/null \
		2>"$tmp/err" || { echo "FAIL: lockgraph on $1: $(tail -3 "$tmp/err")"; exit 1; }
	tail -n 1 "$tmp/time"
}

status=0
for kind in live idle; do
	gen 100000 $([ $kind = idle ] && echo 1 || echo 0) >"$tmp/small.txt"
	gen 1000000 $([ $kind = idle ] && echo 1 || echo 0) >"$tmp/large.txt"
	small=$(rss "$tmp/small.txt")
	large=$(rss "$tmp/large.txt")
	per=$(( (large - small) * 1024 / 900000 ))
	printf '%s tasks: 100,000 -> %d KiB, 1,000,000 -> %d KiB peak RSS: %d bytes a task\n' \
		"$kind" "$small" "$large" "$per"
	if [ $kind = live ] && [ "$per" -gt "$LIMIT" ]; then
		echo "FAIL: a live task costs more than $LIMIT bytes"; status=1
	fi
	if [ $kind = idle ] && [ $((large * 2)) -gt $((small * 3)) ]; then
		echo "FAIL: idle tasks add up (more than 1.5x for 10x the tasks)"; status=1
	fi
done
exit $status
