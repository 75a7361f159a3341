#!/usr/bin/env bash
# cli.sh LOCKGRAPH: the command line's conventions: help and version, every
# option --help lists accepted and every one accepted listed, "did you mean",
# one message prefix, and the bash completion (its lists the binary's own).
bin=$1
. "$(dirname "$0")/lib.sh"

expect_err() { # WHAT WANT-FIRST-LINE: exit 2 and that first line on stderr
	if [ "$status" -eq 2 ] && [ "$(head -1 "$tmp/err")" = "$2" ]; then pass; else
		fail "$1: exit $status: $(head -2 "$tmp/err")"; fi
}

# --- help and version, each way git and trace-cmd have them
for v in --version -V version; do
	lg $v
	[ "$status" -eq 0 ] && [ "$(cat "$tmp/out")" = "lockgraph 0.1" ] && pass || fail "lockgraph $v: $(cat "$tmp/out")"
done
for cmd in analyze record; do
	lg "$cmd" --help
	cp "$tmp/out" "$tmp/help-$cmd"
	[ "$status" -eq 0 ] && grep -q "^usage: lockgraph $cmd " "$tmp/out" && pass || fail "$cmd --help"
	lg help "$cmd"
	cmp -s "$tmp/out" "$tmp/help-$cmd" && pass || fail "lockgraph help $cmd is not $cmd --help"
done
lg help
[ "$status" -eq 0 ] && grep -q '^  analyze ' "$tmp/out" && pass || fail "lockgraph help: $(head -3 "$tmp/out")"

# --- every option analyze and record accept is in --help, with its short
# form, and every option --help lists is accepted
for cmd in analyze record; do
	src=src/cmd_$cmd.c
	accepted=$(sed -n 's/^\t*{ "\([a-z-]*\)", [a-z_]*argument.*/\1/p' "$src" | sort)
	listed=$(grep -o -- '--[a-z][a-z-]*' "$tmp/help-$cmd" | sed 's/^--//' | sort -u)
	[ "$accepted" = "$listed" ] && pass ||
		fail "$cmd: options accepted and listed in --help differ: $(diff <(echo "$accepted") <(echo "$listed") | grep '^[<>]' | tr '\n' ' ')"
	shorts=$(sed -n 's/.*getopt_long(argc, argv, "[+:]*\([a-zA-Z:]*\)".*/\1/p' "$src" | tr -d ':' | fold -w1)
	for s in $shorts; do
		grep -q -- "^  -$s, --" "$tmp/help-$cmd" && pass || fail "$cmd: -$s not in --help"
	done
	completed=$(sed -n "/^_lockgraph_${cmd}_opts=/,/'\$/p" completion/lockgraph.bash |
		grep -o -- '--[a-z][a-z-]*' | sed 's/^--//' | sort -u)
	[ "$completed" = "$listed" ] && pass ||
		fail "$cmd: completion's options and --help differ: $(diff <(echo "$completed") <(echo "$listed") | grep '^[<>]' | tr '\n' ' ')"
done
lg analyze -C fixtures/two-cycles/trace.txt
expect_status 1 "analyze -C (short for --cycles-only)"

# --- mistakes: said once, with the prefix every message has, and a guess
lg analyse t.dat
expect_err "lockgraph analyse" "lockgraph: 'analyse' is not a command (did you mean 'analyze'?)"
lg recrod
expect_err "lockgraph recrod" "lockgraph: 'recrod' is not a command (did you mean 'record'?)"
lg frobnicate
expect_err "lockgraph frobnicate" "lockgraph: 'frobnicate' is not a command (lockgraph --help lists them)"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && pass || fail "an unknown command: more than one line"
lg help anlyze
expect_err "lockgraph help anlyze" "lockgraph: 'anlyze' is not a command (did you mean 'analyze'?)"
lg analyze --frmat=json t.dat
expect_err "analyze --frmat" "lockgraph: analyze: unknown option '--frmat' (did you mean --format?)"
lg analyze --cycles-onyl t.dat
expect_err "analyze --cycles-onyl" "lockgraph: analyze: unknown option '--cycles-onyl' (did you mean --cycles-only?)"
lg analyze --bogus t.dat
expect_err "analyze --bogus" "lockgraph: analyze: unknown option '--bogus'"
lg analyze -x t.dat
expect_err "analyze -x" "lockgraph: analyze: unknown option '-x'"
lg analyze t.dat --format
expect_err "analyze --format at the end" "lockgraph: analyze: option '--format' needs an argument"
lg record --folow true
expect_err "record --folow" "lockgraph: record: unknown option '--folow' (did you mean --follow?)"
lg record -o
expect_err "record -o at the end" "lockgraph: record: option '-o' needs an argument"
# every message of both commands begins "lockgraph: "
bad=$(grep -ho 'stderr, "[a-zA-Z][^"]*' src/*.c src/*/*.c | sed 's/^stderr, "//' |
	grep -v '^lockgraph: ' || true)
[ -z "$bad" ] && pass || fail "messages without the 'lockgraph: ' prefix: $bad"

# --- bash completion, as bash runs it
complete_words() { # WORDS...: COMPREPLY for the last word, space-separated, sorted
	bash -c 'compopt() { :; }	# only bash running a completion has it
		. completion/lockgraph.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lockgraph
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$@" 2>&1
}
check_completion() { # WANT WORDS...
	local want=$1 got
	shift
	got=$(cd "$tmp/cwd" && LOCKGRAPH_RULES_DIR=$top/rules PATH=$bindir:$PATH complete_words "$@")
	[ "$got" = "$want" ] && pass || fail "completion of '$*': '$got', expected '$want'"
}
top=$PWD
bindir=$(dirname "$(realpath "$bin")")
mkdir "$tmp/cwd"
touch "$tmp/cwd/trace.dat" "$tmp/cwd/run.json"
cp completion/lockgraph.bash "$tmp/cwd/" && mkdir -p "$tmp/cwd/completion" && mv "$tmp/cwd/lockgraph.bash" "$tmp/cwd/completion/"
check_completion 'analyze ' lockgraph an
check_completion 'record ' lockgraph help r
check_completion '--format= ' lockgraph analyze --for
check_completion 'dot json junit text ' lockgraph analyze --format ''
# --format=j as bash splits it (= is in COMP_WORDBREAKS), and whole
check_completion 'json junit ' lockgraph analyze --format = j
check_completion 'dot json junit text ' lockgraph analyze --format =
check_completion '--format=json --format=junit ' lockgraph analyze --format=j
check_completion 'circular-dependency,annotated-cycle ' lockgraph analyze --fail-on = circular-dependency,ann
check_completion 'amdgpu amdgpu-1d0f5838 ' lockgraph analyze --rules am
check_completion 'run.json ' lockgraph analyze trace.dat r
check_completion 'trace.dat ' lockgraph analyze --save-graph g.json t
check_completion 'amdgpu ' lockgraph record --preset amd
check_completion '--pthread ' lockgraph record --pth
# the completion's lists are the binary's: kinds from --fail-on's error,
# formats from --format's, rules from rules/
lg analyze --fail-on=x t.dat
kinds=$(sed -n "s/.*unknown kind 'x' (\(.*\))/\1/p" "$tmp/err" | tr -d ',' | tr ' ' '\n' | sort | tr '\n' ' ')
check_completion "$kinds" lockgraph analyze --fail-on ''
lg analyze --format=x t.dat
formats=$(sed -n "s/.*unknown format 'x' (\(.*\))/\1/p" "$tmp/err" | tr -d ',' | tr ' ' '\n' | sort | tr '\n' ' ')
check_completion "$formats" lockgraph analyze --format ''

# --- make install puts it where bash-completion looks, with the rules
# directory it installs
make -s install DESTDIR="$tmp/root" PREFIX=/usr >/dev/null 2>&1
f=$tmp/root/usr/share/bash-completion/completions/lockgraph
[ -f "$f" ] && grep -qxF '_lockgraph_rules_dir=${LOCKGRAPH_RULES_DIR:-/usr/share/lockgraph/rules}' "$f" &&
	pass || fail "make install: no completion with the rules directory in $f"

echo "cli.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
