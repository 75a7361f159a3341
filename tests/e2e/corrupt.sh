#!/usr/bin/env bash
# The corrupt-input corpus: each case of tests/e2e/corrupt/*.cases damages a
# copy of a fixture and states what lockgraph must answer: exit 2 and its
# message, or the fixture's own findings (with a warning, where something was
# lost). Never a silent change.
# usage: tests/e2e/corrupt.sh LOCKGRAPH
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

declare -A base=(
	[v6]=fixtures/kernel-6.12/xe-notifier-insert-v6
	[v7]=fixtures/kernel-6.12-nostacks/abba
	[v7stats]=fixtures/kernel-6.12-nostacks/unlock-imbalance
	[t000]=tests/e2e/corrupt/t000
	[tneg]=fixtures/neg-trylock-inversion
	[ttwo]=fixtures/two-cycles
	[tstk]=fixtures/stacks-ftrace
	[tfence]=fixtures/wait-fence-text
)
declare -A sha=(
	[v6]=c2a89b7f99744e47
	[v7]=b0f85f1f3a9f41ba
	[v7stats]=988b1273f53168ed
	[t000]=5a1615e6aa7cff3e
	[tneg]=29401d99fad6b703
	[ttwo]=ee53f66284399858
	[tstk]=b62eb02f4d13868c
	[tfence]=8fbc5e3379f520a4
)
trace() { ls "${base[$1]}"/trace.dat "${base[$1]}"/trace.txt 2>/dev/null; }
for b in "${!base[@]}"; do
	got=$(sha256sum "$(trace "$b")" | cut -c1-16)
	[ "$got" = "${sha[$b]}" ] ||
		{ echo "FAIL: $(trace "$b") changed: the positions of the cases need redoing"; exit 1; }
done

put() { # FILE OFFSET HEXBYTES
	printf "$(sed 's/../\\x&/g' <<<"$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
le() { # BYTES VALUE: little-endian hex
	local hex
	hex=$(printf "%0$(($1 * 2))x" "$2")
	sed -E 's/(..)/\1 /g' <<<"$hex" | tr ' ' '\n' | tac | tr -d '\n'
}
text() { # FILE PERL: edit the lines of a text file, @l holding them with newlines
	perl -e 'local $/; open F, "<", $ARGV[0]; @l = split /(?<=\n)/, <F>; close F;
		eval $ARGV[1]; die $@ if $@; open F, ">", $ARGV[0]; print F @l' "$1" "$2"
}
edit() { # FILE EDIT
	local f=$1 op off arg
	IFS=: read -r op off arg <<<"$2"
	case $op in
	cut) truncate -s "$off" "$f" ;;
	# text edits: lines and columns from 1, column 0 meaning the newline
	nul) text "$f" "substr(\$l[$off - 1], ${arg:-0} ? $arg - 1 : -1, 1) = \"\\0\"" ;;
	cutat) text "$f" "splice @l, $off; \$l[-1] = substr(\$l[-1], 0, ${arg:-0} ? $arg - 1 : -1)" ;;
	cutline) text "$f" "\$l[$off - 1] = substr(\$l[$off - 1], 0, $arg - 1) . \"\\n\"" ;;
	swap) text "$f" "@l[$off - 1, $arg - 1] = @l[$arg - 1, $off - 1]" ;;
	join) text "$f" "\$l[$off - 1] =~ s/\\n\$//" ;;
	twice) text "$f" "push @l, @l" ;;
	crlf) text "$f" "s/\\n\$/\\r\\n/ for @l" ;;
	funcline) text "$f" "splice @l, $off, 0, \$l[$off - 1] =~ s/: \\w+:.*/: $arg <-do_syscall_64/r" ;;
	zero) dd if=/dev/zero of="$f" bs=1 seek="$off" count="$arg" conv=notrunc status=none ;;
	le32) put "$f" "$off" "$(le 4 "$arg")" ;;
	le64) put "$f" "$off" "$(le 8 "$arg")" ;;
	hex) put "$f" "$off" "$arg" ;;
	*) echo "FAIL: unknown edit $2"; exit 1 ;;
	esac
}

summary() { jq -r -f tests/e2e/summary.jq "$tmp/out"; }
base_status() { [ -s "${base[$1]}/expected" ] && echo 1 || echo 0; }
same_findings() { # NAME BASE
	expect_status "$(base_status "$2")" "$1"
	summary | diff -u "${base[$2]}/expected" - >"$tmp/diff" && pass ||
		{ fail "$1: findings differ from ${base[$2]}/expected"; cat "$tmp/diff"; }
}

for cases in tests/e2e/corrupt/*.cases; do
	while IFS='|' read -r name b edits want; do
		name=$(echo $name) b=$(echo $b) want=${want# }
		[ -n "$name" ] && [[ $name != \#* ]] || continue
		src=$(trace "$b")
		f=$tmp/$name.${src##*.}
		cp "$src" "$f"
		for e in $edits; do edit "$f" "$e"; done
		lg analyze --format=json "$f"
		LC_ALL=C grep -q '[^[:print:][:space:]]' "$tmp/err" && fail "$name: unprintable message"
		case ${want%%:*} in
		2)
			expect_status 2 "$name"
			grep -aF -- "lockgraph: $f:" "$tmp/err" | grep -aqF -- "${want#2:}" && pass ||
				fail "$name: no '${want#2:}' in: $(cat "$tmp/err")"
			;;
		same)
			same_findings "$name" "$b"
			grep -aqF -- "warning: $f: ${want#same:}" "$tmp/err" && pass ||
				fail "$name: no warning '${want#same:}' in: $(cat "$tmp/err")"
			;;
		ok) same_findings "$name" "$b" ;;	# a change that is no damage
		fewer)
			expect_status "$(base_status "$b")" "$name"
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
