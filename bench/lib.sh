# What bench/run.sh and bench/cycles.sh both start with: their executables,
# GNU time, and a temporary directory $TMP that is removed however they end.
# usage: . bench/lib.sh; bench_setup NAME EXECUTABLE...

TIME=/usr/bin/time

bench_setup() {
	local name=$1 f
	shift
	for f; do
		[ -x "$f" ] || { echo "$0: $f is not an executable (run make first)" >&2; exit 2; }
	done
	if ! [ -x "$TIME" ] || ! "$TIME" -f '%e %M' true >/dev/null 2>&1; then
		echo "$0: GNU time is needed at $TIME (Debian package 'time'; make setup installs it)" >&2
		exit 2
	fi
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockgraph-$name.XXXXXX") || exit 2
	trap 'rm -rf "$TMP"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
