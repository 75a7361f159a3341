#!/usr/bin/env bash
# ci.sh LOCKGRAPH: what a CI job reads of lockgraph: JUnit XML validated against
# the schema of Jenkins's and GitLab's readers and read back by a real reader,
# each case's text the finding's own report; hostile bytes in a trace still
# make valid XML.
bin=$1
. "$(dirname "$0")/lib.sh"
xe=fixtures/kernel-6.12/xe-notifier-insert/trace.dat

junit_ok() { # WHAT: $tmp/out validates and reads
	if xmllint --noout --schema tests/e2e/junit.xsd "$tmp/out" 2>"$tmp/xmllint"; then pass; else
		fail "$1: JUnit does not validate: $(head -5 "$tmp/xmllint")"; fi
	tests/e2e/junit_cases.py "$tmp/out" >"$tmp/cases" 2>"$tmp/reader" || fail "$1: junitparser: $(cat "$tmp/reader")"
}

# --- one suite per input, one case per finding (failed, or passing with its
# report where --fail-on leaves its kind out), skipped for a suppressed one,
# a passing case for an input without findings, warnings as system-err
lg analyze --format=json "$xe"
hide=$(jq -r '.findings[1].id' "$tmp/out")
printf '%s  # fixed in 6.13\n' "$hide" >"$tmp/known"
lg analyze --format=junit --suppress "$tmp/known" --fail-on=recursive-locking "$xe" \
	fixtures/neg-read-read/trace.txt fixtures/recursive-locking/trace.txt
expect_status 1 "JUnit, a recursion failing"
junit_ok "four inputs"
cat >"$tmp/want" <<EOT
all: tests=7 failures=1 skipped=1
suite $xe: tests=5 failures=0 skipped=1
  lockgraph.circular-dependency | cd-be7546c720e8ff16: possible circular locking dependency in vm_lock_invalidate | passed | 
  lockgraph.circular-dependency | cd-3fb3af493eb04d20: possible circular locking dependency in vm_lock_invalidate | passed | 
  lockgraph.circular-dependency | cd-d381d21a15aec45d: possible circular locking dependency in vm_lock_invalidate | passed | 
  lockgraph.circular-dependency | cd-dc7f4c842495324f: possible circular locking dependency in vm_lock_invalidate | passed | 
  lockgraph.known | $hide: possible circular locking dependency in vm_lock_invalidate | skipped | $tmp/known:1: fixed in 6.13
suite fixtures/neg-read-read/trace.txt: tests=1 failures=0 skipped=0
  lockgraph | no lock-order problems | passed | 
suite fixtures/recursive-locking/trace.txt: tests=1 failures=1 skipped=0
  lockgraph.recursive-locking | rl-62517712f295d24c: possible recursive locking involving &port_lock_key | failure | possible recursive locking involving &port_lock_key
EOT
diff -u "$tmp/want" "$tmp/cases" >"$tmp/diff" && pass || fail "JUnit cases: $(cat "$tmp/diff")"
[ "$(grep -c '<system-err>warning: fixtures/neg-read-read/trace.txt: no call sites' "$tmp/out")" = 1 ] &&
	pass || fail "JUnit: an input's warning is not in its suite"
cp "$tmp/out" "$tmp/junit.xml"
within() { /usr/bin/python3 -c 'import sys; a = open(sys.argv[1], "rb").read()
sys.exit(not a or a not in open(sys.argv[2], "rb").read())' "$1" "$2"; }
lg analyze --all --suppress "$tmp/known" "$xe" fixtures/neg-read-read/trace.txt \
	fixtures/recursive-locking/trace.txt
for case in "$xe|cd-be7546c720e8ff16: possible circular locking dependency in vm_lock_invalidate" \
	    "$xe|cd-dc7f4c842495324f: possible circular locking dependency in vm_lock_invalidate" \
	    "fixtures/recursive-locking/trace.txt|rl-62517712f295d24c: possible recursive locking involving &port_lock_key"; do
	tests/e2e/junit_cases.py "$tmp/junit.xml" --text "${case%%|*}" "${case#*|}" >"$tmp/case"
	within "$tmp/case" "$tmp/out" && grep -qF "lockgraph ${case#*|}" "$tmp/case" && pass ||
		fail "JUnit: ${case#*|}: the case's text is not its text report: $(head -3 "$tmp/case")"
done

# --- every fixture's JUnit validates and has its expected findings
for t in fixtures/*/trace.* fixtures/kernel*/*/trace.dat; do
	dir=${t%/*}
	fixture_rules "$dir"
	lg analyze --format=junit "${rules[@]}" "$t"
	junit_ok "$t"
	want=$(grep -c '^[a-z]' "$dir/expected")
	[ "$(head -1 "$tmp/cases")" = "all: tests=$((want ? want : 1)) failures=$want skipped=0" ] && pass ||
		fail "$t: JUnit '$(head -1 "$tmp/cases")', $dir/expected has $want findings"
done

# --- class names and comms that are not UTF-8, hold control characters or
# XML's own: still a valid document, the bad bytes as '?'
hostile_trace "$tmp/hostile.txt"
lg analyze --format=junit "$tmp/hostile.txt"
expect_status 1 "JUnit of hostile names"
junit_ok "hostile names"
grep -qF '  lock(&b->lock?????);' <(tests/e2e/junit_cases.py "$tmp/out" --text "$tmp/hostile.txt" \
	"$(sed -n 's/^  lockgraph.circular-dependency | \(.*\) | failure | .*/\1/p' "$tmp/cases")") &&
	pass || fail "JUnit: hostile bytes: $(grep -a 'lock(' "$tmp/out" | head -2)"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
