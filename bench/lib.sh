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

# wall milliseconds of one run of a command, its output to /dev/null (a grep
# to a file: GNU grep stops at the first match when its output is /dev/null)
run_ms() { # OUT CMD...
	local out=$1 start end
	shift
	start=$(date +%s%N)
	"$@" >"$out" 2>/dev/null
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

# the median, least and greatest of numbers: "median min max"
median() {
	tr ' ' '\n' <<<"$*" | sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR] }'
}

# peak RssAnon and RssFile (KiB) of a run, polled from /proc: "anon file"
peak_rss() { # CMD...
	local pid anon=0 file=0 a f
	"$@" >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		read -r a f < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a+0, f+0}' \
			"/proc/$pid/status" 2>/dev/null || echo "0 0")
		[ "${a:-0}" -gt "$anon" ] && anon=$a
		[ "${f:-0}" -gt "$file" ] && file=$f
		sleep 0.01
	done
	wait "$pid"
	echo "$anon $file"
}
