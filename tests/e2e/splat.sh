#!/usr/bin/env bash
# Lockdep's lock usage ({+.+.}), call sites (", at: f+0x1/0x2") and stacks
# (of a cycle's "-> #N" blocks, of each usage's "... at:") against
# lockgraph's, on every lab recording
# whose dmesg has a lockdep report: each lock line of lockdep's report, by
# class, must carry the usage lockgraph prints for that class in its report
# of the same finding (lockdep prints a class's usage as of the report, the
# same on each of its lines; lockgraph as of the finding). Prints
# "usage: DIR MATCHED/TOTAL" per recording.
# lockdep counts usage since boot, a recording only from its start: lockdep
# may have usage bits lockgraph lacks, and that is no failure when the trace
# has no acquisition of the class of that kind (write or read) at all, as
# trace-cmd report shows; any other difference is.
# usage: tests/e2e/splat.sh LOCKGRAPH
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

canon() { awk -F' -> ' -f lab/canon.awk; }
# lockdep's first report in a dmesg (it turns itself off after one)
splat() {
	sed 's/^\[[^]]*\] //' "$1" | sed -n '/^=\{20,\}$/,/^stack backtrace:/p' |
		sed '/^stack backtrace:/q'
}
# lockgraph's finding N (1-based) of its text report in $tmp/out
finding() {
	awk -v n="$1" '/^=+$/ && !banner { k++; banner = 1 } !/^=+$/ { banner = 0 }
		k == n && !/^lockgraph: /' "$tmp/out"
}
# the line of lab/report.jq's output ($tmp/mine) that is lockdep's $want
index_of() {
	local want=$1
	if [[ $want == circular:* ]]; then
		want="circular: $(echo "${want#circular: }" | canon)"
		sed 's/^circular: //' "$tmp/mine" | canon | sed 's/^/circular: /' >"$tmp/canon"
		grep -nxF -- "$want" "$tmp/canon" | head -1 | cut -d: -f1
	else
		grep -nxF -- "$want" "$tmp/mine" | head -1 | cut -d: -f1
	fi
}
strip() { sed -E 's/(#[0-9]+)?(\/[0-9]+)?$//'; }
# "WRITES READS": lock_acquire events of class $1 in the trace $2
acquisitions() {
	trace-cmd report "$2" 2>/dev/null | awk -v c="$1" '/ lock_acquire: / {
		sub(/.* lock_acquire: [^ ]+ /, ""); sub(/^try /, ""); r = sub(/^read /, "")
		if ($0 == c) n[r]++ } END { print n[0] + 0, n[1] + 0 }'
}
# one usage character as bits: 1 used in the irq, 2 with it enabled
bits() { case $1 in .) echo 0;; -) echo 1;; +) echo 2;; '?') echo 3;; esac; }
# Whether lockdep's usage $2 of class $1, where lockgraph printed $3, is one
# the recording $4 cannot show: lockgraph's bits are lockdep's but some, and
# those are of a kind (write: characters 1 and 3, read: 2 and 4) the trace
# never acquired the class with.
before_recording() {
	local counts missing=0 i t m
	[ ${#3} -eq 4 ] || return 1
	counts=($(acquisitions "$1" "$4"))
	for i in 0 1 2 3; do
		t=$(bits "${2:i:1}") m=$(bits "${3:i:1}")
		[ $((m & ~t)) -eq 0 ] || return 1
		[ "$t" -eq "$m" ] && continue
		[ "${counts[i % 2]}" -eq 0 ] || return 1
		missing=1
	done
	[ "$missing" -eq 1 ]
}

for dir in fixtures/kernel*/*/; do
	dir=${dir%/}
	[ -f "$dir/trace.dat" ] && [ -f "$dir/dmesg" ] && [ -f "$dir/lockdep" ] || continue
	splat "$dir/dmesg" | awk -f tests/e2e/lock_name.awk -f tests/e2e/usage.awk >"$tmp/theirs"
	[ -s "$tmp/theirs" ] || continue
	want=$(grep -v '^wait: ' "$dir/lockdep" | head -1)
	lg analyze --format=json "$dir/trace.dat"
	# the gap the lab states: recursive locking of two instances needs the subclass
	if [[ $want == recursive:* ]] && [ "$(jq -r '.inputs[0].tier' "$tmp/out")" != lockdep+args ]; then
		echo "usage: $dir: skipped, lockdep's $want needs the subclass"
		continue
	fi
	fixture_rules "$dir"
	lg analyze "${rules[@]}" --format=json "$dir/trace.dat"
	jq -r -f lab/report.jq "$tmp/out" >"$tmp/mine"
	tier=$(jq -r '.inputs[0].tier' "$tmp/out")
	n=$(index_of "$want")
	if [ -z "$n" ]; then
		fail "$dir: lockdep's '$want' is not among lockgraph's findings"
		continue
	fi
	# classes a rule alone brings into the finding, never taken in the trace:
	# lockdep's usage and stacks of them are from before the recording
	primed=$(jq -r --argjson n "$n" '.findings[$n - 1].dependencies[] |
		select(.origin == "rule") | .to' "$tmp/out")
	lg analyze "${rules[@]}" --all "$dir/trace.dat"	# the text in the JSON's order
	finding "$n" | awk -f tests/e2e/lock_name.awk -f tests/e2e/usage.awk | sort -u >"$tmp/ours"
	matched=0 total=0
	while IFS=$'\t' read -r class usage; do
		total=$((total + 1))
		mine=$(awk -F'\t' -v c="$class" '$1 == c { print $2 }' "$tmp/ours")
		# a 6.1 recording has no subclass: lockgraph's class is the name alone
		[ -n "$mine" ] || mine=$(awk -F'\t' -v c="$(echo "$class" | strip)" \
			'$1 == c { print $2 }' "$tmp/ours")
		if [ "$mine" = "$usage" ]; then
			matched=$((matched + 1))
			pass
		elif [ -z "$mine" ] && grep -qxF -- "$class" <<<"$primed"; then
			echo "note: $dir: lockdep printed ($class){$usage}: only a rule primes it" \
				"here, the trace never takes it"
			total=$((total - 1))
		elif ! command -v trace-cmd >/dev/null; then
			echo "SKIP: $dir: lockdep printed ($class){$usage}, lockgraph {$mine}:" \
				"without trace-cmd, whether the trace can show it is not known"
		elif before_recording "$class" "$usage" "$mine" "$dir/trace.dat"; then
			echo "note: $dir: lockdep printed ($class){$usage}, lockgraph {$mine}:" \
				"the trace has no acquisition of it that could show the rest"
			pass
		else
			fail "$dir: lockdep printed ($class){$usage}, lockgraph" \
				"$([ -n "$mine" ] && echo "{$(echo $mine | tr ' ' ',')}" || echo "no usage for it")"
		fi
	done <"$tmp/theirs"
	echo "usage: $dir $matched/$total"
	# each lock line's call site, lockdep's against lockgraph's for that class
	if [ "$tier" != lockdep+args ]; then
		echo "sites: $dir: skipped, tier $tier has no call sites"
		continue
	fi
	splat "$dir/dmesg" | awk -f tests/e2e/lock_name.awk -f tests/e2e/sites.awk >"$tmp/theirs"
	finding "$n" | awk -f tests/e2e/lock_name.awk -f tests/e2e/sites.awk | sort -u >"$tmp/ours"
	matched=0 total=0
	while IFS=$'\t' read -r class site; do
		total=$((total + 1))
		if grep -qxF -- "$class"$'\t'"$site" "$tmp/ours" ||
			grep -qxF -- "$(echo "$class" | strip)"$'\t'"$site" "$tmp/ours"; then
			matched=$((matched + 1))
			pass
		else
			fail "$dir: lockdep printed ($class), at: $site; lockgraph" \
				"$(awk -F'\t' -v c="$class" '$1 == c { printf "at: %s ", $2 }' "$tmp/ours")"
		fi
	done <"$tmp/theirs"
	echo "sites: $dir $matched/$total"
	# each stack lockdep printed (a "-> #N" block, a usage's "... at:"), by its
	# heading: lockdep's functions, those of lockgraph's first sighting there
	splat "$dir/dmesg" | awk -f tests/e2e/stacks.awk >"$tmp/theirs"
	[ -s "$tmp/theirs" ] || continue
	finding "$n" | awk -f tests/e2e/stacks.awk >"$tmp/ours"
	if ! cut -f2 "$tmp/ours" | grep -q .; then
		echo "stacks: $dir: skipped, recorded without --stacks"
		continue
	fi
	matched=0 total=0
	while IFS=$'\t' read -r class frames; do
		total=$((total + 1))
		mine=$(awk -F'\t' -v c="$class" '$1 == c { print $2; exit }' "$tmp/ours")
		if [ -z "$frames" ]; then	# lockdep printed none (a stack it could not save)
			total=$((total - 1))
			continue
		fi
		if [ "$mine" = "$frames" ]; then
			matched=$((matched + 1))
			pass
		elif [ -z "$mine" ] && grep -qxF -- "${class#-> }" <<<"$primed"; then
			echo "note: $dir: $class: lockdep's stack is from before the recording" \
				"($frames); lockgraph's dependency into it is a rule's"
			total=$((total - 1))
		elif [[ $frames == "sync: "* ]] && [ "$mine" = "${frames#sync: * }" ]; then
			# lock_sync()'s stack, from the optimized kprobe on it, whose
			# unwind skips lock_sync()'s caller
			echo "note: $dir: $class: lockdep's stack ${frames#sync: }, lockgraph's" \
				"without its first frame (the kprobe's unwind skips it)"
			matched=$((matched + 1))
			pass
		elif [[ " $frames " == *" kernel_init "* ]]; then
			# lockdep keeps the stack of the dependency's first sighting
			# since boot: one in kernel_init() came before any recording
			echo "note: $dir: $class: lockdep's stack is from boot ($frames);" \
				"lockgraph's, the recording's first: ${mine:-none}"
			pass
		else
			fail "$dir: $class: lockdep's stack $frames, lockgraph's ${mine:-none}"
		fi
	done <"$tmp/theirs"
	echo "stacks: $dir $matched/$total"
done

echo "splat.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
