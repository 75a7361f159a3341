# Shared by the end-to-end scripts: sourced after bin=LOCKGRAPH is set.
# LG_WRAP may name a wrapper for every lockgraph run, e.g. valgrind.
wrap=${LG_WRAP:-}
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
# the shipped rules files (--rules NAME), wherever the binary under test is
export LOCKGRAPH_RULES_DIR=$PWD/rules
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }

# lg ARGS...: run lockgraph, stdout to $tmp/out, stderr to $tmp/err, status in $status
lg() {
	$wrap "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 99 ]; then
		fail "valgrind reported errors: $*"
		cat "$tmp/err"
	fi
}

# fixture_rules DIR: rules=(...), the rules a lab fixture is analysed with: its own
# file, the shipped ones it names
fixture_rules() {
	rules=()
	[ -f "$1/rules" ] && rules=(--rules "$1/rules")
	if [ -f "$1/shipped-rules" ]; then
		for name in $(grep -v '^#' "$1/shipped-rules"); do rules+=(--rules "$name"); done
	fi
}

# hostile_trace FILE: an AB/BA trace whose class names and comm are not UTF-8,
# hold control characters and the quoting of XML and DOT
hostile_trace() {
	printf '%s\n' \
		"  ins<&>mod-411     [000] .....  1.000100: lock_acquire: 00000000aaaaaaaa &a->lock]]>\"\\" \
		"  ins<&>mod-411     [000] .....  1.000110: lock_acquire: 00000000bbbbbbbb &b->lock$(printf '\001\377\355\240\200')" \
		"  ins<&>mod-411     [000] .....  1.000120: lock_release: 00000000bbbbbbbb &b->lock$(printf '\001\377\355\240\200')" \
		"  ins<&>mod-411     [000] .....  1.000130: lock_release: 00000000aaaaaaaa &a->lock]]>\"\\" \
		"  kworker/0:1-30    [001] .....  1.000300: lock_acquire: 00000000bbbbbbbb &b->lock$(printf '\001\377\355\240\200')" \
		"  kworker/0:1-30    [001] .....  1.000310: lock_acquire: 00000000aaaaaaaa &a->lock]]>\"\\" \
		>"$1"
}

expect_status() { # WANT WHAT
	if [ "$status" -eq "$1" ]; then pass; else fail "$2: exit $status, expected $1"; cat "$tmp/err"; fi
}
