#!/usr/bin/env bash
# End-to-end tests: the real binary over fixtures/ (findings, exit status, text
# layout) and over bad input (exit 2 and a message naming file and line).
# usage: tests/e2e/run.sh LOCKGRAPH   (LG_WRAP may name a wrapper, e.g. valgrind)
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

summary() { jq -r -f tests/e2e/summary.jq "$tmp/out"; }

# --- every fixture: exact findings and provenance, exit status, text layout
for dir in fixtures/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	[ -f "$dir/expected" ] && [ -f "$dir/trace.txt" ] || continue
	want=1
	[ -s "$dir/expected" ] || want=0
	lg analyze --format=json "$dir/trace.txt"
	expect_status "$want" "$name (json)"
	if summary | diff -u "$dir/expected" - >"$tmp/diff"; then pass; else
		fail "$name: findings differ from $dir/expected"; cat "$tmp/diff"; fi
	lg analyze "$dir/trace.txt"
	expect_status "$want" "$name (text)"
	if [ -f "$dir/expected.txt" ]; then
		if diff -u "$dir/expected.txt" "$tmp/out" >"$tmp/diff"; then pass; else
			fail "$name: text report differs from $dir/expected.txt"; cat "$tmp/diff"; fi
	fi
done

# --- the kernel lab's recordings (make lab): lockgraph's findings on each
# guest's trace.dat, and among them the cycle lockdep reported in that run
canon() { awk -F' -> ' -f lab/canon.awk; }
# lockdep's report in $dir/lockdep, if any (lab/splat.awk's notation), is among
# lockgraph's (lab/report.jq's), a cycle in either framing; but for the gap
# the lab states: recursive locking of two instances needs the subclass
agrees() {
	local want
	want=$(grep -v '^wait: ' "$dir/lockdep" | head -1)
	[ -n "$want" ] || return 0
	[[ $want == recursive:* ]] && [ "$(jq -r '.inputs[0].tier' "$tmp/out")" != lockdep+args ] &&
		return 0
	jq -r -f lab/report.jq "$tmp/out" >"$tmp/mine"
	if [[ $want == circular:* ]]; then
		want="circular: $(echo "${want#circular: }" | canon)"
		sed -n 's/^circular: //p' "$tmp/mine" | canon | sed 's/^/circular: /' >"$tmp/canon"
		mv "$tmp/canon" "$tmp/mine"
	fi
	grep -qxF -- "$want" "$tmp/mine" && pass ||
		fail "$dir: lockdep's '$want' is not among lockgraph's: $(tr '\n' ';' <"$tmp/mine")"
}
# lines of lockdep's report titled $1 in $dir/dmesg that match $2, each with
# the line after it (or the $3 after it), are lines of lockgraph's text
# report (usage aside: splat.sh checks usage), call sites too where the trace
# has them (lockgraph's have no " [module]": libtraceevent does not say it)
same_lines() {
	local site='s/, at: .*//'
	lg analyze "${rules[@]}" "$dir/trace.dat"
	grep -q ', at: ' "$tmp/out" && site='s/(, at: [^ ]*) \[[^]]*\]$/\1/'
	sed -i -E 's/\)\{[^}]*\}-/)-/' "$tmp/out"
	sed -n "/$1/,/stack backtrace/p" "$dir/dmesg" |
		sed -E 's/^\[[^]]*\] //; s/\)\{[^}]*\}-/)-/'"; $site" |
		grep -A"${3:-1}" -E -- "$2" | grep -v -- '^--$' >"$tmp/theirs"
	while IFS= read -r line; do
		grep -qxF -- "$line" "$tmp/out" && pass ||
			fail "$dir: lockdep printed '$line', lockgraph did not"
	done <"$tmp/theirs"
}
# print_lock_class_header()'s lines: the class, each usage, the end
headers='^ *-> \(.*\{$|^ *[A-Z-]+ at:$|^ *INITIAL (READ )?USE at:$|^ *\}$|^ *\.\.\. acquired at:$'
for dir in fixtures/kernel*/*/; do
	[ -f "$dir/trace.dat" ] || continue
	fixture_rules "$dir"
	lg analyze "${rules[@]}" --format=json "$dir/trace.dat"
	if summary | diff -u "$dir/expected" - >"$tmp/diff"; then pass; else
		fail "$dir: findings differ from $dir/expected"; cat "$tmp/diff"; fi
	agrees
	# each class lockdep named that lockgraph's findings name too: the same
	# {outer:inner} wait types (but of those only a rule names, never taken)
	jq -r '.findings[] | [.classes, .wait_types, .usage_chars] | transpose[] |
		select(.[2]) | "wait: \(.[0]) \(.[1])"' \
		"$tmp/out" | sed -E 's/(#[0-9]+)?(\/[0-9]+)? ([0-9]+:[0-9]+|null)$/ \3/' >"$tmp/waits"
	while read -r line; do
		mine=$(grep -F "${line% *} " "$tmp/waits" | head -1)
		[ -z "$mine" ] || { [ "$mine" = "$line" ] && pass ||
			fail "$dir: lockdep printed '$line', lockgraph '$mine'"; }
	done < <(grep '^wait: ' "$dir/lockdep")
	if grep -q '^recursive: ' "$dir/lockdep" &&
		[ "$(jq -r '.inputs[0].tier' "$tmp/out")" = lockdep+args ]; then
		# the lock being acquired and the held one, each its own address,
		# and the hint
		same_lines 'possible recursive locking detected' \
			'is trying to acquire lock:|already holding lock:|nesting notation'
	fi
	if grep -q '^irq-order: ' "$dir/lockdep"; then
		# print_bad_irq_dependency()'s locks: the new dependency's, the
		# chain's ends, each section's title
		same_lines 'lock order detected' \
			'is trying to acquire:$|already holding:$|would create a new|connects a|^to a|^the dependencies between|^ and [A-Z-]+-irq-unsafe'
		same_lines 'lock order detected' "$headers" 0
	fi
	if grep -q '^irq-inversion: ' "$dir/lockdep"; then
		# print_irq_inversion_bug()'s locks, and its chain as lock class
		# headers with their usages
		same_lines 'irq lock inversion dependency' \
			'just changed the state of lock:$|^but this lock (took|was taken by) another'
		same_lines 'irq lock inversion dependency' \
			"^the shortest|$headers" 0
	fi
	if grep -q '^inconsistent: ' "$dir/lockdep"; then
		# the usage, the task's irq state, and the lock that took the usage
		same_lines 'inconsistent lock state' '^inconsistent \{|\] takes:$'
	fi
	if grep -q '^wait-context: ' "$dir/lockdep"; then
		# the text report as lockdep's: the context and the held locks,
		# addresses and wait types (call sites aside, and usage: splat.sh)
		lg analyze "${rules[@]}" "$dir/trace.dat"
		sed -i -E 's/\)\{[^}]*\}-/)-/' "$tmp/out"
		sed -n '/Invalid wait context/,/stack backtrace/p' "$dir/dmesg" |
			sed -E -n 's/^\[[^]]*\] //; s/\)\{[^}]*\}-/)-/; s/, at: .*//; /^context-|^ #/p' \
			>"$tmp/theirs"
		while IFS= read -r line; do
			grep -qF -- "$line" "$tmp/out" && pass ||
				fail "$dir: lockdep printed '$line', lockgraph did not"
		done <"$tmp/theirs"
	fi
done

# --- JSON call sites: the closing acquisition's and those of the locks then
# held, as lockdep's report of the same run printed them after "at:"; its stack
for dir in fixtures/kernel-6.12/*/; do
	[ -f "$dir/dmesg" ] && grep -q '^circular: ' "$dir/lockdep" || continue
	fixture_rules "$dir"
	lg analyze "${rules[@]}" --format=json "$dir/trace.dat"
	[ "$(jq -r '.inputs[0].tier' "$tmp/out")" = lockdep+args ] || continue
	sed -n '/circular locking dependency/,/stack backtrace/p' "$dir/dmesg" |
		sed -E 's/^\[[^]]*\] //' | awk '
		/is trying to acquire lock:$/ { getline; sub(/.*, at: /, ""); print $1 }
		/^ #[0-9]+: / && done { sub(/.*, at: /, ""); print $1 }
		/locks? held by/ { done = 1 }' >"$tmp/theirs"
	jq -r '.findings[0].dependencies[-1].first_seen | .site, .held_sites[]' "$tmp/out" \
		>"$tmp/mine"
	diff -u "$tmp/theirs" "$tmp/mine" >"$tmp/diff" && pass ||
		{ fail "$dir: JSON call sites differ from lockdep's"; cat "$tmp/diff"; }
	# and, recorded with --stacks, the closing acquisition's stack: lockdep's
	# "-> #0" block (its last), its own frames at the top left out (and a
	# lock_sync()'s caller, which the unwind from the kprobe skips)
	[ "$(jq '.findings[0].dependencies[-1].first_seen.stack' "$tmp/out")" != null ] || continue
	sed 's/^\[[^]]*\] //' "$dir/dmesg" | awk -f tests/e2e/stacks.awk | grep '^-> ' | tail -1 |
		cut -f2 | sed 's/^sync: [^ ]* //' | tr ' ' '\n' >"$tmp/theirs"
	jq -r '.findings[0].dependencies[-1].first_seen.stack[] | sub("\\+.*"; "")' "$tmp/out" \
		>"$tmp/mine"
	diff -u "$tmp/theirs" "$tmp/mine" >"$tmp/diff" && pass ||
		{ fail "$dir: the JSON stack differs from lockdep's"; cat "$tmp/diff"; }
done

# --- the kernel and trace clock each input says it was recorded with: a lab
# recording's release and version are its guest's (dmesg), its clock the one
# its BUFFER option names; a text trace says none of them
for dir in fixtures/kernel*/*/; do
	[ -f "$dir/trace.dat" ] && [ -f "$dir/dmesg" ] || continue
	release=$(sed -n 's/^\[[^]]*\] Linux version \([^ ]*\) .*/\1/p' "$dir/dmesg" | head -1)
	version=$(sed -n 's/^\[[^]]*\] Linux version .*) \(#[0-9].*\)$/\1/p' "$dir/dmesg" | head -1)
	fixture_rules "$dir"
	lg analyze "${rules[@]}" --format=json "$dir/trace.dat"
	got=$(jq -r '.inputs[0] | "\(.kernel.release) \(.kernel.version) \(.clock)"' "$tmp/out")
	if command -v trace-cmd >/dev/null; then
		clock=$(trace-cmd dump --options "$dir/trace.dat" 2>/dev/null |
			sed -n 's/^"\(.*\)" \[clock\]$/\1/p' | head -1)
		# recordings before record wrote the version into UNAME have none
		trace-cmd dump --options "$dir/trace.dat" 2>/dev/null | grep -q "^Linux .* #[0-9]" ||
			version=
		[ "$got" = "$release ${version:-null} ${clock:-null}" ] && pass ||
			fail "$dir: kernel and clock '$got', not '$release ${version:-null} ${clock:-null}'"
		[ -s "$dir/expected" ] || continue
		lg analyze "${rules[@]}" "$dir/trace.dat"
		want="$release${version:+ ${version%% *}}, trace clock ${clock:-not recorded}"
		[ "$(sed -n 4p "$tmp/out")" = "$want" ] &&
			pass || fail "$dir: the header says '$(sed -n 4p "$tmp/out")', not '$want'"
	fi
done
lg analyze --format=json fixtures/seed-001-nouveau-svm/trace.txt
got=$(jq -c '.inputs[0] | [.kernel, .clock]' "$tmp/out")
[ "$got" = "[null,null]" ] && pass || fail "a text trace's kernel and clock: $got"

# --- each input's tier: what its kernel lock events can show
lg analyze --format=json fixtures/seed-001-nouveau-svm/trace.txt fixtures/real-mmap-lock-storm/trace.dat
got=$(jq -r '[.inputs[] | "\(.tier) \(.user_locks)"] | join(", ")' "$tmp/out")
[ "$got" = "lockdep false, contention false" ] && pass || fail "input tiers: $got"
lg analyze fixtures/real-mmap-lock-storm/trace.dat
grep -q "trace.dat: tier contention: no lockdep" "$tmp/out" && pass ||
	fail "the text report does not state the tier: $(tail -3 "$tmp/out")"

# --- a fixture recorded as trace.dat: the same findings, and the same JSON as
# its text twin (trace-cmd report -t) and as its conversion to v6
same_json() { # WHAT A B   (input paths aside)
	local norm='del(.inputs, .warnings) | walk(if type == "object" then del(.input) else . end)'
	if diff -u <(jq -S "$norm" "$2") <(jq -S "$norm" "$3") >"$tmp/diff"; then
		pass; else fail "$1"; head -40 "$tmp/diff"; fi
}
for dat in fixtures/*/trace.dat; do
	[ -e "$dat" ] || continue
	dir=$(dirname "$dat")
	lg analyze --format=json "$dat"
	expect_status "$([ -s "$dir/expected" ] && echo 1 || echo 0)" "$dat"
	if summary | diff -u "$dir/expected" - >"$tmp/diff"; then pass; else
		fail "$dat: findings differ from $dir/expected"; cat "$tmp/diff"; fi
	cp "$tmp/out" "$tmp/dat.json"
	if [ -e "$dir/trace.txt" ]; then
		lg analyze --format=json "$dir/trace.txt"
		cp "$tmp/out" "$tmp/txt.json"
		same_json "$dat and $dir/trace.txt disagree" "$tmp/txt.json" "$tmp/dat.json"
	fi
	if command -v trace-cmd >/dev/null; then
		trace-cmd convert --file-version 6 -i "$dat" -o "$tmp/v6.dat" >/dev/null 2>&1
		lg analyze --format=json "$tmp/v6.dat"
		if jq -e '.inputs[0].format == "trace.dat-v6"' "$tmp/out" >/dev/null; then pass; else
			fail "$dat as v6: format $(jq -c '.inputs[0].format' "$tmp/out")"; fi
		same_json "$dat and its v6 conversion disagree" "$tmp/dat.json" "$tmp/out"
	else
		echo "SKIP: v6 conversion of $dat: trace-cmd is not installed"
	fi
done

# --- maps naming a program no machine has: the recording's locks keep their
# address names (the expected file says which), and the test means it only
# if the file does carry those maps
if command -v trace-cmd >/dev/null; then
	gone=$(trace-cmd dump --options fixtures/real-pthread-abba-maps/trace.dat 2>/dev/null |
		sed -n 's|^[0-9a-f]* [0-9a-f]* \(/tmp/lockgraph-gone\.[^/]*/pthread_abba\)$|\1|p' |
		head -1)
	[ -n "$gone" ] && [ ! -e "$gone" ] && pass ||
		fail "real-pthread-abba-maps: no maps of a program that is gone ('$gone')"
fi

# --- inputs that are not regular files: a trace.dat from a pipe or a FIFO
# (read once, spooled), standard input, and a directory
dat=fixtures/kernel-6.12/abba
lg analyze --format=json <(cat "$dat/trace.dat")
expect_status 1 "a trace.dat through a pipe"
summary | diff -u "$dat/expected" - >"$tmp/diff" && pass ||
	{ fail "a trace.dat through a pipe: findings differ"; cat "$tmp/diff"; }
mkfifo "$tmp/fifo"
cat "$dat/trace.dat" >"$tmp/fifo" &
lg analyze --format=json "$tmp/fifo"
wait
expect_status 1 "a trace.dat through a FIFO"
summary | diff -u "$dat/expected" - >"$tmp/diff" && pass ||
	{ fail "a trace.dat through a FIFO: findings differ"; cat "$tmp/diff"; }
$wrap "$bin" analyze --format=json - <"$dat/trace.dat" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 1 "a trace.dat on standard input"
head -c 5000 "$dat/trace.dat" | $wrap "$bin" analyze - >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "a cut trace.dat through a pipe"
grep -q "^lockgraph: -: truncated: " "$tmp/err" && pass || fail "cut pipe: $(cat "$tmp/err")"
lg analyze fixtures
expect_status 2 "a directory"
grep -qx "lockgraph: fixtures: cannot read: Is a directory" "$tmp/err" && pass ||
	fail "directory: $(cat "$tmp/err")"

# a v7 file is read in place, a compressed chunk at a time: no temporary copy
# in $TMPDIR, which may be unusable (unwrapped: valgrind itself needs one)
"$bin" analyze --format=json fixtures/real-mmap-lock-storm/trace.dat >"$tmp/in-place.json" 2>&1
mkdir "$tmp/tmpdir"
TMPDIR=$tmp/tmpdir "$bin" analyze --format=json fixtures/real-mmap-lock-storm/trace.dat \
	>"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "v7 trace.dat with its own TMPDIR"
[ -z "$(ls -A "$tmp/tmpdir")" ] && pass || fail "v7 read left $(ls -A "$tmp/tmpdir") in TMPDIR"
TMPDIR=/nonexistent "$bin" analyze --format=json fixtures/real-mmap-lock-storm/trace.dat \
	>"$tmp/out" 2>&1
status=$?
expect_status 0 "v7 trace.dat without a usable TMPDIR"
cmp -s "$tmp/out" "$tmp/in-place.json" && pass || fail "v7 report changes with TMPDIR"

# --- one cycle seen 1,000 times is one finding; its dependencies count 1,000
abba() { # FIRST-TIMESTAMP-SECOND
	cat <<-EOT
	          insmod-411     [000] .....  $1.000100: lock_acquire: 00000000aaaaaaaa &a->lock
	          insmod-411     [000] .....  $1.000110: lock_acquire: 00000000bbbbbbbb &b->lock
	          insmod-411     [000] .....  $1.000120: lock_release: 00000000bbbbbbbb &b->lock
	          insmod-411     [000] .....  $1.000130: lock_release: 00000000aaaaaaaa &a->lock
	EOT
	cat <<-EOT
	     kworker/0:1-30      [001] .....  $1.000300: lock_acquire: 00000000bbbbbbbb &b->lock
	     kworker/0:1-30      [001] .....  $1.000310: lock_acquire: 00000000aaaaaaaa &a->lock
	     kworker/0:1-30      [001] .....  $1.000320: lock_release: 00000000aaaaaaaa &a->lock
	     kworker/0:1-30      [001] .....  $1.000330: lock_release: 00000000bbbbbbbb &b->lock
	EOT
}
for i in $(seq 100 1099); do abba "$i"; done >"$tmp/repeat.txt"
lg analyze --format=json "$tmp/repeat.txt"
expect_status 1 "repeated cycle"
got=$(jq -r '[(.findings | length), (.findings[0].dependencies[] | .count)] | join(" ")' "$tmp/out")
if [ "$got" = "1 1000 1000" ]; then pass; else fail "repeated cycle: findings/counts '$got', expected '1 1000 1000'"; fi

# --- cycles of one strongly connected component are one group: text prints its
# shortest in full and the others as class chains, --all each in full; JSON
# keeps every cycle with its group
xe=fixtures/kernel-6.12/xe-notifier-insert/trace.dat
lg analyze "$xe"
expect_status 1 "xe-notifier-insert (text)"
got="$(grep -c 'WARNING: possible circular locking' "$tmp/out") $(grep -c '^ cd-[0-9a-f]*: ' "$tmp/out")"
[ "$got" = "1 4" ] && pass || fail "xe-notifier-insert: splats and chain lines '$got', expected '1 4'"
grep -qxF 'lockgraph: 5 cycles in 1 group over 6 classes' "$tmp/out" && pass ||
	fail "xe-notifier-insert: no group count in $(tail -2 "$tmp/out")"
grep -q '^cycle group 1: 5 cycles over 6 classes and 10 dependencies, all closed by mmu_notifier_invalidate_range_start -> &vm->lock' "$tmp/out" &&
	pass || fail "xe-notifier-insert: group line: $(grep '^cycle group' "$tmp/out")"
# the shortest is the one in full, and no chain repeats it
shortest=$(sed -n 's/^lockgraph \(cd-[0-9a-f]*\): .*$/\1/p' "$tmp/out")
grep -q "^ $shortest:" "$tmp/out" && fail "xe-notifier-insert: the shortest cycle is also a chain" || pass
lg analyze --all "$xe"
got=$(grep -c 'WARNING: possible circular locking' "$tmp/out")
[ "$got" = 5 ] && pass || fail "xe-notifier-insert --all: $got splats, expected 5"
lg analyze --format=json "$xe"
got=$(jq -r '[(.findings | map(.group) | join(",")), (.cycle_groups[] | "\(.group) \(.cycles) \(.classes) \(.dependencies) \(.unsearched_dependencies)"), (.cycle_groups[0].shortest == ([.findings[] | select(.classes | length == 3)][0].id) | tostring)] | join(" / ")' "$tmp/out")
[ "$got" = "1,1,1,1,1 / 1 5 6 10 0 / true" ] && pass || fail "xe-notifier-insert json groups: '$got'"
# two cycles in different components are two groups
lg analyze --format=json fixtures/two-cycles/trace.txt
got=$(jq -r '[.findings[].group] | join(",")' "$tmp/out")
[ "$got" = "1,2" ] && pass || fail "two-cycles: groups '$got', expected 1,2"

# four locks held past their lost releases: thousands of cycles, one group,
# one splat and a line for each other cycle
fl=fixtures/four-locks-held/trace.txt
lg analyze "$fl"
got="$(grep -c 'WARNING: possible circular locking' "$tmp/out") $(grep -c '^ cd-[0-9a-f]*: ' "$tmp/out")"
[ "$got" = "1 2495" ] && pass || fail "four-locks-held: splats and chain lines '$got', expected '1 2495'"
grep -qxF 'lockgraph: 2496 cycles in 1 group over 294 classes' "$tmp/out" && pass ||
	fail "four-locks-held: group count: $(tail -1 "$tmp/out")"
lg analyze --all "$fl"
got=$(grep -c 'WARNING: possible circular locking' "$tmp/out")
[ "$got" = 2496 ] && pass || fail "four-locks-held --all: $got splats, expected 2496"

# a ring of 6000 classes with a chord: searching each dependency round it
# passes the cap; what it left unsearched is said, in text and JSON
awk 'function pair(i, a, b) {
	printf "  kworker/0:1-%d  [000] .....  1.000000: lock_acquire: %016x &c->lock#%d\n", 100 + i % 1000, a + 1, a
	printf "  kworker/0:1-%d  [000] .....  1.000000: lock_acquire: %016x &c->lock#%d\n", 100 + i % 1000, b + 1, b
	printf "  kworker/0:1-%d  [000] .....  1.000000: lock_release: %016x &c->lock#%d\n", 100 + i % 1000, b + 1, b
	printf "  kworker/0:1-%d  [000] .....  1.000000: lock_release: %016x &c->lock#%d\n", 100 + i % 1000, a + 1, a
} BEGIN { for (i = 0; i < 6000; i++) pair(i, i, (i + 1) % 6000); pair(6000, 0, 2); pair(6001, 1, 0) }' \
	>"$tmp/chord.txt"
lg analyze "$tmp/chord.txt"
grep -q '^lockgraph: cycle group 1 (6000 classes, 6002 dependencies): the search stopped at its cap of 16777216 steps; [0-9]* of its dependencies were checked only for a two-class cycle' "$tmp/out" &&
	pass || fail "capped search: $(tail -1 "$tmp/out")"
lg analyze --format=json "$tmp/chord.txt"
jq -e '.cycle_groups[0].unsearched_dependencies > 0 and ([.findings[] | select(.classes == ["&c->lock#0", "&c->lock#1"])] | length) == 1' \
	"$tmp/out" >/dev/null && pass || fail "capped search json: $(jq -c .cycle_groups "$tmp/out")"

# --- runs merge: AB in one trace and BA in another make the cycle together
abba 5 | head -n 4 >"$tmp/ab.txt"
abba 6 | tail -n 4 >"$tmp/ba.txt"
lg analyze --format=json "$tmp/ab.txt"
expect_status 0 "AB alone"
lg analyze --format=json "$tmp/ab.txt" "$tmp/ba.txt"
expect_status 1 "AB + BA merged"
got=$(jq -r '[.inputs[].path, (.findings[0].dependencies[].first_seen.input)] | join(" ")' "$tmp/out")
if [ "$got" = "$tmp/ab.txt $tmp/ba.txt $tmp/ab.txt $tmp/ba.txt" ]; then pass; else
	fail "merged inputs: provenance '$got'"; fi

# --- standard input
abba 7 | $wrap "$bin" analyze --format=json - >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 1 "trace on standard input"

# --- a pipe that cannot seek back after the format is sniffed
lg analyze --format=json <(abba 8)
expect_status 1 "trace from a pipe"

# --- rules: a novalidate class makes no dependencies; validate undoes a default
printf '# test rules\nnovalidate &a->lock\n' >"$tmp/rules"
lg analyze --rules "$tmp/rules" "$tmp/repeat.txt"
expect_status 0 "novalidate rule"
printf 'validate rcu_read_lock\n' >"$tmp/rules"
if [ -f fixtures/neg-rcu-read-lock/trace.txt ]; then
	lg analyze --format=json --rules "$tmp/rules" fixtures/neg-rcu-read-lock/trace.txt
	expect_status 1 "validate rcu_read_lock"
	if jq -e '.findings[0].classes | index("rcu_read_lock")' "$tmp/out" >/dev/null; then pass; else
		fail "validate rcu_read_lock: cycle without rcu_read_lock"; fi
fi
printf 'novalidate\n' >"$tmp/rules"
lg analyze --rules "$tmp/rules" "$tmp/repeat.txt"
expect_status 2 "rules file without a class"
grep -q "$tmp/rules:1: expected" "$tmp/err" && pass || fail "rules error names file:line: $(cat "$tmp/err")"

# --- rules files: comments anywhere, prime chains, each malformed line an
# error naming file:line and what was expected, classes no input shows a warning
printf 'novalidate &a->lock # a comment\n' >"$tmp/rules"
lg analyze --rules "$tmp/rules" "$tmp/repeat.txt"
expect_status 0 "a rule with a comment after it"
bad_rule() { # LINE MESSAGE
	printf '# rules\n%s\n' "$1" >"$tmp/rules"
	lg analyze --rules "$tmp/rules" "$tmp/repeat.txt"
	expect_status 2 "rules line '$1'"
	grep -qxF -- "lockgraph: $tmp/rules:2: $2" "$tmp/err" && pass ||
		fail "rules line '$1': '$(cat "$tmp/err")', not '$2'"
}
chain='expected "prime CLASS -> CLASS [-> CLASS]..."'
bad_rule 'prime' "$chain: a chain of two classes at least"
bad_rule 'prime a' "$chain: a chain of two classes at least"
bad_rule 'prime a -> b ->' "$chain: the chain ends with an arrow"
bad_rule 'prime a b' 'expected "->", found another class "b"'
bad_rule 'prime a -> -> b' 'expected a class, found an arrow "->"'
bad_rule 'ignore cd-1234' "expected \"novalidate CLASS\", \"validate CLASS\" or ${chain#expected }"
abba 100 | grep -v kworker >"$tmp/ab.txt"	# &a->lock -> &b->lock only
printf 'prime &b->lock -> &a->lock\nprime &a->lock -> &no->such_lock # misspelt\n' >"$tmp/rules"
lg analyze --format=json --rules "$tmp/rules" "$tmp/ab.txt"
expect_status 1 "a prime closing a cycle"
grep -qxF "lockgraph: warning: $tmp/rules:2: prime names &no->such_lock, a class no input shows (misspelt, or named otherwise by this kernel)" \
	"$tmp/err" && pass || fail "unseen class of a prime: $(cat "$tmp/err")"
got=$(jq -r '.findings[0] | [(.dependencies[] | .origin), (.unobserved[] | .by)] | join(" ")' "$tmp/out")
[ "$got" = "rule observed $tmp/rules:1" ] && pass || fail "a primed dependency's origin: '$got'"
lg analyze --format=json "$tmp/ab.txt"
expect_status 0 "the same without the prime"
# a name without '/' is a shipped file, found beside the binary too
lg analyze --rules no-such-shipped-file "$tmp/repeat.txt"
expect_status 2 "an unknown rules name"
grep -q "no-such-shipped-file: cannot open rules" "$tmp/err" && pass ||
	fail "unknown rules name: $(cat "$tmp/err")"
mkdir -p "$tmp/inst/rules"
cp "$bin" "$tmp/inst/lockgraph"
printf 'prime &b->lock -> &a->lock\n' >"$tmp/inst/rules/mine"
LOCKGRAPH_RULES_DIR= $wrap env -u LOCKGRAPH_RULES_DIR "$tmp/inst/lockgraph" analyze --format=json \
	--rules mine "$tmp/ab.txt" >"$tmp/out" 2>"$tmp/err"
[ "$(jq -r '.findings[0].unobserved[0].by' "$tmp/out")" = "rules/mine:1" ] && pass ||
	fail "a shipped rules file beside the binary: $(cat "$tmp/err")"
for shipped in rules/*; do
	lg analyze --rules "$(basename "$shipped")" "$tmp/repeat.txt"
	[ "$status" -ne 2 ] && pass || fail "shipped $shipped: $(cat "$tmp/err")"
done

# --- provenance in the text report: an annotation's edge and a rule's, each
# said under the banner and after its block's heading
dir=fixtures/kernel-6.12/amdgpu-userptr
lg analyze "$dir/trace.dat"
grep -qxF 'this cycle exists only through the annotation amdgpu_lockdep_init: &amdgpu_reset_lock_key -> fs_reclaim, never seen at run time' \
	"$tmp/out" && pass || fail "$dir: no annotation line under the banner"
grep -qxF -- '-> #4 (fs_reclaim){+.+.}-{0:0}: made by amdgpu_lockdep_init (annotation)' \
	"$tmp/out" && pass || fail "$dir: no annotation after the -> #4 heading"
grep -q '^       &amdgpu_notifier_lock_key instance ff110000075769b0 appears only in this dependency: taken once in the trace, here, while 1 other instance of the class is taken 5 times' \
	"$tmp/out" && pass || fail "$dir: the dummy notifier lock is not named"
dir=fixtures/kernel-6.12/amdgpu-userptr-late
lg analyze --rules amdgpu-1d0f5838 "$dir/trace.dat"
grep -qxF -- '-> #3 (&amdgpu_reset_lock_key): primed by rules/amdgpu-1d0f5838:8 (rule)' "$tmp/out" &&
	pass || fail "$dir: no rule after the -> #3 heading"
grep -qxF -- '       never seen in the trace: rules/amdgpu-1d0f5838:8 primes it, as the kernel did before the recording' \
	"$tmp/out" && pass || fail "$dir: a rule's block does not say it was never seen"
lg analyze "$dir/trace.dat"
expect_status 0 "$dir without the rules that prime what the recording missed"
# the seed's text trace has neither sites nor stacks: said, and the rules
# mark the training's edges as primed too
lg analyze --format=json --rules amdgpu-1d0f5838 fixtures/seed-000-amdgpu-training/trace.txt
grep -q "trace.txt: no call sites or stacks: a dependency that lockdep's training made" "$tmp/err" &&
	pass || fail "seed-000: no warning that training cannot be told"
got=$(jq -r '[.findings[0].dependencies[] | .rule // "-"] | join(" ")' "$tmp/out")
want="rules/amdgpu-1d0f5838:8 rules/amdgpu-1d0f5838:8 rules/amdgpu-1d0f5838:8 rules/amdgpu-1d0f5838:8 rules/amdgpu-1d0f5838:10 -"
[ "$got" = "$want" ] && pass || fail "seed-000 with its rules: '$got'"

# --- bad input: exit 2 and "file:line: expected ..." on stderr
for input in tests/e2e/bad/*.txt; do
	lg analyze "$input"
	expect_status 2 "$input"
	want=$(cat "${input%.txt}.err")
	if grep -qF -- "$want" "$tmp/err"; then pass; else
		fail "$input: stderr '$(cat "$tmp/err")' lacks '$want'"; fi
done

# --- a trace.dat is recognised by its magic, whatever its name; a broken one is refused
printf '\027\010\104tracing6\0' >"$tmp/trace.txt"
lg analyze "$tmp/trace.txt"
expect_status 2 "truncated trace.dat"
grep -q "trace.txt: truncated: the file header needs 1 bytes at offset 12" "$tmp/err" && pass ||
	fail "trace.dat message: $(cat "$tmp/err")"
$wrap "$bin" analyze - <"$tmp/trace.txt" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "trace.dat on standard input"

# --- a corrupted compressed chunk: libtracecmd 1.3.1 crashes decompressing it
# (a first chunk, when it opens the file); lockgraph must refuse the file at
# that chunk before libtracecmd reads it
cp fixtures/real-mmap-lock-storm/trace.dat "$tmp/chunk.dat"
printf -- '-' | dd of="$tmp/chunk.dat" bs=1 seek=1022665 conv=notrunc 2>/dev/null
lg analyze "$tmp/chunk.dat"
expect_status 2 "corrupted compressed chunk"
grep -q "chunk.dat: CPU 0, chunk 0 at offset 1019908: cannot decompress it (zstd: " "$tmp/err" &&
	pass ||
	fail "corrupted chunk message: $(cat "$tmp/err")"

# --- interop with the real trace-cmd: its trace.dat (top buffer and a -B
# instance) must give the event counts of 'trace-cmd report', and the same
# JSON as lockgraph's reading of that report
tracing=/sys/kernel/tracing
interop_skip=
if ! command -v trace-cmd >/dev/null; then interop_skip="trace-cmd is not installed"
elif [ "$(id -u)" -ne 0 ]; then interop_skip="recording needs root"
elif [ ! -e "$tracing/events/lock/contention_begin/enable" ]; then
	interop_skip="no tracefs with lock:contention_begin at $tracing"
fi
if [ -n "$interop_skip" ]; then
	echo "SKIP: trace-cmd interop tests: $interop_skip"
else
	was_on=$(cat "$tracing/tracing_on")
	workload() { for i in 1 2 3 4; do ls -R /usr/lib /usr/share >/dev/null & done; wait; }
	for variant in top instance; do
		opts=()
		[ "$variant" = instance ] && opts=(-B lockgraph-e2e)
		# -d --no-filter: VMs refuse the function-tracer files trace-cmd touches
		trace-cmd record -q -d --no-filter "${opts[@]}" -e lock -e mmap_lock -e sched:sched_switch \
			-o "$tmp/rec.dat" -- bash -c "$(declare -f workload); workload" >/dev/null 2>&1
		rmdir "$tracing/instances/lockgraph-e2e" 2>/dev/null
		trace-cmd report -t "$tmp/rec.dat" >"$tmp/rec.txt" 2>/dev/null	# -t: ns, as trace.dat
		# lock events, and mmap_lock ones but failed acquisitions; the
		# rest (those, sched_switch) are skipped
		want_lock=$(grep -cE ' (lock_acquire|lock_release|lock_contended|lock_acquired|contention_begin|contention_end|mmap_lock_start_locking|mmap_lock_released): | mmap_lock_acquire_returned: .* success=true' "$tmp/rec.txt")
		want_other=$(grep -cE ' sched_switch: | mmap_lock_acquire_returned: .* success=false' "$tmp/rec.txt")
		lg analyze --format=json "$tmp/rec.dat"
		expect_status 0 "trace-cmd recording ($variant)"
		got=$(jq -r '.inputs[0] | "\(.format) \(.events) \(.skipped)"' "$tmp/out")
		if [ "$got" = "trace.dat-v7 $want_lock $want_other" ] && [ "$want_lock" -gt 0 ]; then pass; else
			fail "trace-cmd recording ($variant): got '$got', trace-cmd report has $want_lock lock and $want_other other events"; fi
		jq -S 'del(.inputs, .warnings)' "$tmp/out" >"$tmp/dat.json"
		lg analyze --format=json "$tmp/rec.txt"
		jq -S 'del(.inputs, .warnings)' "$tmp/out" >"$tmp/txt.json"
		if diff -u "$tmp/txt.json" "$tmp/dat.json" >"$tmp/diff"; then pass; else
			fail "trace-cmd recording ($variant): trace.dat and its report disagree"; head -40 "$tmp/diff"; fi
	done
	echo "$was_on" >"$tracing/tracing_on"
fi

# --- ids name the bug, not the run: two recordings of one pthread AB/BA
# program (other tgids and addresses), one lab scenario on 6.1 and on 6.12
# and recorded after the load with its rules; titles from the call site
ids() { jq -r '[.findings[] | .id] | join(" ")' "$tmp/out"; }
lg analyze --format=json fixtures/real-pthread-abba/trace.dat
a=$(ids)
lg analyze --format=json fixtures/real-pthread-abba-maps/trace.dat
[ -n "$a" ] && [ "$a" = "$(ids)" ] && pass || fail "two pthread recordings: ids '$a', '$(ids)'"
for run in kernel/amdgpu-training kernel-6.12/amdgpu-training kernel/amdgpu-userptr \
	   kernel-6.12/amdgpu-userptr "kernel-6.12/amdgpu-userptr-late --rules amdgpu-1d0f5838"; do
	read -r path extra <<<"$run"
	# shellcheck disable=SC2086
	lg analyze --format=json "fixtures/$path/trace.dat" $extra
	[ "$(ids)" = cd-875642f15bc9b3b2 ] && pass || fail "$run: id '$(ids)'"
done
[ "$(jq -r '.findings[0].title' "$tmp/out")" = "possible circular locking dependency in hmm_invalidate_gfx" ] &&
	pass || fail "a title from the call site: $(jq -r '.findings[0].title' "$tmp/out")"
lg analyze --format=json fixtures/kernel/amdgpu-training/trace.dat
[ "$(jq -r '.findings[0].title' "$tmp/out")" = "possible circular locking dependency involving &amdgpu_notifier_lock_key" ] &&
	pass || fail "a title without call sites: $(jq -r '.findings[0].title' "$tmp/out")"

# --- exit policy: --fail-on's kinds (a cycle only a rule or annotation makes
# is an annotated-cycle), --strict refusing what cannot show lockdep's verdicts
late=fixtures/kernel-6.12/amdgpu-userptr-late/trace.dat
lg analyze --fail-on=circular-dependency --rules amdgpu-1d0f5838 "$late"
expect_status 0 "--fail-on=circular-dependency, a cycle a rule makes"
grep -qxF "lockgraph: 1 of 1 findings are of kinds --fail-on leaves out" "$tmp/err" && pass ||
	fail "--fail-on: what it left out is not said: $(cat "$tmp/err")"
grep -q "WARNING: possible circular locking dependency detected" "$tmp/out" && pass ||
	fail "--fail-on hid the finding from the report"
lg analyze --fail-on=bad-unlock-balance,annotated-cycle --rules amdgpu-1d0f5838 "$late"
expect_status 1 "--fail-on=annotated-cycle"
lg analyze --fail-on=recursive-locking fixtures/seed-001-nouveau-svm/trace.txt
expect_status 0 "--fail-on of a kind not found"
lg analyze --fail-on=circular fixtures/seed-001-nouveau-svm/trace.txt
expect_status 2 "--fail-on with an unknown kind"
grep -q "unknown kind 'circular' (circular-dependency, " "$tmp/err" && pass ||
	fail "--fail-on: unknown kind message: $(cat "$tmp/err")"
lg analyze --strict fixtures/seed-001-nouveau-svm/trace.txt
expect_status 1 "--strict on a lockdep trace"
lg analyze --strict fixtures/real-mmap-lock-storm/trace.dat
expect_status 2 "--strict below the lockdep tier"
grep -qxF "lockgraph: --strict: fixtures/real-mmap-lock-storm/trace.dat: no lockdep events (tier below lockdep: a kernel without CONFIG_LOCKDEP, or lock:lock_acquire not recorded)" \
	"$tmp/err" && pass || fail "--strict, tier: $(cat "$tmp/err")"
lg analyze --strict fixtures/neg-lost-events/trace.txt
expect_status 2 "--strict with lost events"
grep -q "neg-lost-events/trace.txt: events were lost" "$tmp/err" && pass || fail "--strict, lost: $(cat "$tmp/err")"
lg analyze --strict fixtures/real-pthread-abba/trace.dat
expect_status 1 "--strict on pthread locks"

# --- known findings: a baseline (a previous JSON report) hides what it has,
# suppressions hide ids and cycles by class globs (any rotation), the unused
# ones are listed, and each is an error naming its place when malformed
lg analyze --format=json "$xe"
cp "$tmp/out" "$tmp/base.json"
lg analyze --baseline "$tmp/base.json" "$xe"
expect_status 0 "a baseline of the same run"
grep -qxF "lockgraph: 5 known findings hidden" "$tmp/out" && pass ||
	fail "baseline: hidden count: $(tail -3 "$tmp/out")"
grep -qxF "lockgraph: $tmp/base.json: 5 hidden as in the baseline" "$tmp/out" && pass ||
	fail "baseline: per-file count: $(tail -3 "$tmp/out")"
lg analyze --baseline "$tmp/base.json" fixtures/seed-001-nouveau-svm/trace.txt
expect_status 1 "a baseline of another run: its findings are new"
keep=$(jq -r '.findings[0].id' "$tmp/base.json")
{
	echo '# known'
	echo "$keep  # the first, fixed upstream"
	echo '&vm->lock -> *mmap_lock -> mm_all_locks_mutex -> * -> mmu_notifier_invalidate_range_start # a glob'
	echo 'cd-0000000000000000 # stale'
	echo 'mmu_notifier_invalidate_range_start -> &vm->lock  # matches nothing'
} >"$tmp/known"
lg analyze --format=json --suppress "$tmp/known" "$xe"
expect_status 1 "suppressions that leave three cycles"
got=$(jq -r '[(.suppressed[] | "\(.id) \(.by | sub(".*/"; "")) \(.reason)"), (.unused_suppressions[] | .where | sub(".*/"; "")), (.findings | length | tostring), (.cycle_groups[0].cycles | tostring)] | join(" / ")' "$tmp/out")
want="$keep known:2 the first, fixed upstream / $(jq -r '.suppressed[1].id' "$tmp/out") known:3 a glob / known:4 / known:5 / 3 / 3"
[ "$got" = "$want" ] && pass || fail "suppressions: '$got', not '$want'"
[ "$(jq -r '.suppressed[1].title' "$tmp/out")" = "possible circular locking dependency in vm_lock_invalidate" ] &&
	pass || fail "a suppressed finding's title: $(jq -r '.suppressed[1].title' "$tmp/out")"
lg analyze --suppress "$tmp/known" "$xe"
grep -qxF "lockgraph: $tmp/known:4: suppression unused, nothing matches it (stale)" "$tmp/out" &&
	pass || fail "an unused suppression is not listed: $(tail -4 "$tmp/out")"
bad_known() { # LINE MESSAGE
	printf '%s\n' "$1" >"$tmp/known"
	lg analyze --suppress "$tmp/known" "$xe"
	expect_status 2 "suppression '$1'"
	grep -qxF -- "lockgraph: $tmp/known:1: $2" "$tmp/err" && pass ||
		fail "suppression '$1': '$(cat "$tmp/err")', not '$2'"
}
syntax='expected an id (cd-0123456789abcdef) or a cycle "CLASS -> CLASS ...", then "# reason"'
bad_known 'cd-1234 # short' "$syntax"
bad_known '&a->lock # one class' "$syntax"
bad_known '&a->lock -> # dangling' "$syntax"
bad_known "$keep" "a suppression needs its reason after '#'"
bad_known "$keep #" "a suppression needs its reason after '#'"
echo 'not json' >"$tmp/base.json"
lg analyze --baseline "$tmp/base.json" "$xe"
expect_status 2 "a baseline that is not JSON"
grep -q "base.json:1:3: not a JSON report: .\[. or .{. expected near .not." "$tmp/err" && pass || fail "bad baseline: $(cat "$tmp/err")"
echo '{"findings": []}' >"$tmp/base.json"
lg analyze --baseline "$tmp/base.json" "$xe"
expect_status 2 "a baseline that is not lockgraph's"
grep -q "base.json: not a lockgraph JSON report" "$tmp/err" && pass || fail "foreign baseline: $(cat "$tmp/err")"

# --- a wait/event deadlock (the lab's wait-fence, lockdep silent): the
# text report in full, DEPT's summary and the chain; --fail-on by its kind;
# a title from where the lock held across the wait was taken
wf=fixtures/kernel-6.12/wait-fence
lg analyze "$wf/trace.dat"
expect_status 1 "wait-fence"
diff -u "$wf/report.txt" "$tmp/out" >"$tmp/diff" && pass || fail "wait-fence: $(head -20 "$tmp/diff")"
lg analyze --fail-on=circular-dependency "$wf/trace.dat"
expect_status 0 "wait-fence --fail-on=circular-dependency"
lg analyze --fail-on=wait-event-deadlock --format=json "$wf/trace.dat"
expect_status 1 "wait-fence --fail-on=wait-event-deadlock"
[ "$(jq -r '.findings[0] | "\(.title) \(.wait_objects | map(tostring) | join(",")) \(.stats // "")"' \
	"$tmp/out")" = "possible wait/event deadlock in wait_under true,false " ] && pass ||
	fail "wait-fence JSON: $(jq -c '.findings[0] | [.title, .wait_objects]' "$tmp/out")"
[ "$(jq -c '.stats.waits | [.waits, .ended, .unended, .dependencies]' "$tmp/out")" = "[4,3,1,9]" ] &&
	pass || fail "wait-fence stats.waits: $(jq -c .stats.waits "$tmp/out")"
# the same bug, one id, on 6.1 and 6.12
for s in wait-completion wait-fence wait-flush wait-flush-wq wait-drain wait-two-waiters; do
	lg analyze --format=json "fixtures/kernel/$s/trace.dat"
	a=$(jq -r '[.findings[] | select(.kind == "wait-event-deadlock") | .id] | join(" ")' "$tmp/out")
	lg analyze --format=json "fixtures/kernel-6.12/$s/trace.dat"
	b=$(jq -r '[.findings[] | select(.kind == "wait-event-deadlock") | .id] | join(" ")' "$tmp/out")
	[ -n "$a" ] && [ "$a" = "$b" ] && pass || fail "$s: ids on 6.1 '$a', on 6.12 '$b'"
done

# a flush_workqueue() and a drain_workqueue() under the lock: one bug, the
# workqueue's flush, named by the workqueue as lockdep's map is
lg analyze --format=json fixtures/kernel-6.12/wait-drain/trace.dat
[ "$(jq -c '[.findings[] | select(.kind == "wait-event-deadlock") | .classes]' "$tmp/out")" = \
	'[["(workqueue)lg_sched_wq","lg_sched_mutex"]]' ] && pass ||
	fail "wait-drain: $(jq -c '[.findings[] | .classes]' "$tmp/out")"
# the text of the same recording (trace-cmd report): the fence's waits are
# followed, its probes (completions, flush_work) are not, and it says so
if command -v trace-cmd >/dev/null; then
	trace-cmd report -l -t "$wf/trace.dat" >"$tmp/wf.txt" 2>/dev/null
	lg analyze --format=json "$tmp/wf.txt"
	expect_status 1 "wait-fence as text"
	[ "$(jq -r '[.findings[] | .id] | join(" ")' "$tmp/out")" = we-d2b4d3f6de456f4d ] && pass ||
		fail "wait-fence as text: $(jq -c '[.findings[] | .id]' "$tmp/out")"
	grep -q "wf.txt: 10 events of record --preset wait's probes are not read from ftrace text" \
		"$tmp/err" && pass || fail "wait-fence as text: no probe warning: $(cat "$tmp/err")"
else
	echo "SKIP: wait-fence as text: trace-cmd is not installed"
fi

# --- an input without lock events is a warning and an empty report
printf '# tracer: nop\n            bash-1 [000] ..... 1.000000: sched_switch: x\n' >"$tmp/none.txt"
lg analyze --format=json "$tmp/none.txt"
expect_status 0 "no lock events"
grep -q "no lock events" "$tmp/err" && pass || fail "no-lock-events warning missing"
lg analyze --strict "$tmp/none.txt"
expect_status 2 "--strict, no lock events"
grep -qxF "lockgraph: --strict: $tmp/none.txt: no lock events" "$tmp/err" && pass ||
	fail "--strict, no lock events: $(cat "$tmp/err")"

# --- usage errors
lg analyze
expect_status 2 "analyze without a trace"
lg analyze --format=xml "$tmp/repeat.txt"
expect_status 2 "unknown format"
lg analyze "$tmp/does-not-exist"
expect_status 2 "missing file"
grep -q "does-not-exist: cannot open" "$tmp/err" && pass || fail "missing file message: $(cat "$tmp/err")"
lg frobnicate
expect_status 2 "unknown command"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
