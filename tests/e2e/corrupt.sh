#!/usr/bin/env bash
# The corrupt-input corpus: each case of tests/e2e/corrupt/*.cases damages a
# copy of a fixture and states what lockgraph must answer: exit 2 and its
# message, or the fixture's own findings and a warning. Never a silent change.
# usage: tests/e2e/corrupt.sh LOCKGRAPH
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

declare -A base=(
	[v6]=fixtures/kernel-6.12/xe-notifier-insert-v6
	[v7]=fixtures/kernel-6.12/abba
	[v7stats]=fixtures/kernel-6.12/unlock-imbalance
)
declare -A sha=(
	[v6]=c2a89b7f99744e47
	[v7]=b0f85f1f3a9f41ba
	[v7stats]=988b1273f53168ed
)
for b in "${!base[@]}"; do
	got=$(sha256sum "${base[$b]}/trace.dat" | cut -c1-16)
	[ "$got" = "${sha[$b]}" ] ||
		{ echo "FAIL: ${base[$b]}/trace.dat changed: the offsets of the cases need redoing"; exit 1; }
done

put() { # FILE OFFSET HEXBYTES
	printf "$(sed 's/../\\x&/g' <<<"$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
le() { # BYTES VALUE: little-endian hex
	local hex
	hex=$(printf "%0$(($1 * 2))x" "$2")
	sed -E 's/(..)/\1 /g' <<<"$hex" | tr ' ' '\n' | tac | tr -d '\n'
}
edit() { # FILE EDIT
	local f=$1 op off arg
	IFS=: read -r op off arg <<<"$2"
	case $op in
	cut) truncate -s "$off" "$f" ;;
	zero) dd if=/dev/zero of="$f" bs=1 seek="$off" count="$arg" conv=notrunc status=none ;;
	le32) put "$f" "$off" "$(le 4 "$arg")" ;;
	le64) put "$f" "$off" "$(le 8 "$arg")" ;;
	hex) put "$f" "$off" "$arg" ;;
	*) echo "FAIL: unknown edit $2"; exit 1 ;;
	esac
}

summary() { jq -r -f tests/e2e/summary.jq "$tmp/out"; }

for cases in tests/e2e/corrupt/*.cases; do
	while IFS='|' read -r name b edits want; do
		name=$(echo $name) b=$(echo $b) want=${want# }
		[ -n "$name" ] && [[ $name != \#* ]] || continue
		f=$tmp/$name.dat
		cp "${base[$b]}/trace.dat" "$f"
		for e in $edits; do edit "$f" "$e"; done
		lg analyze --format=json "$f"
		LC_ALL=C grep -q '[^[:print:][:space:]]' "$tmp/err" && fail "$name: unprintable message"
		case ${want%%:*} in
		2)
			expect_status 2 "$name"
			grep -aF -- "lockgraph: $f: " "$tmp/err" | grep -aqF -- "${want#2:}" && pass ||
				fail "$name: no '${want#2:}' in: $(cat "$tmp/err")"
			;;
		same)
			expect_status "$([ -s "${base[$b]}/expected" ] && echo 1 || echo 0)" "$name"
			summary | diff -u "${base[$b]}/expected" - >"$tmp/diff" && pass ||
				{ fail "$name: findings differ from ${base[$b]}/expected"; cat "$tmp/diff"; }
			grep -aqF -- "warning: $f: ${want#same:}" "$tmp/err" && pass ||
				fail "$name: no warning '${want#same:}' in: $(cat "$tmp/err")"
			;;
		fewer)
			expect_status "$([ -s "${base[$b]}/expected" ] && echo 1 || echo 0)" "$name"
			# every finding's heading is among the base's
			summary | grep -v '^ ' | grep -vxFf <(grep -v '^ ' "${base[$b]}/expected") \
				>"$tmp/new" && { fail "$name: findings the base has not:"; cat "$tmp/new"; } ||
				pass
			grep -aqF -- "warning: $f: ${want#fewer:}" "$tmp/err" && pass ||
				fail "$name: no warning '${want#fewer:}' in: $(cat "$tmp/err")"
			;;
		*) fail "$name: unknown want '$want'" ;;
		esac
	done <"$cases"
done

echo "corrupt inputs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
