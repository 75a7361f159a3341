#!/usr/bin/env bash
# graph.sh LOCKGRAPH: --save-graph and graph files as inputs: a fixture's saved
# graph gives its report, graphs merge as their traces do (pairs, a merged
# graph merged again, a usage bug only two runs make together), a graph on
# standard input, damaged graph files refused naming the member, and a
# graph file never left half written.
bin=$1
. "$(dirname "$0")/lib.sh"

# same_report WHAT A B: two reports that differ only in saying which inputs
# came in a graph file
same_report() {
	sed 's/ (in graph file [^)]*)//' "$2" >"$tmp/a.norm"
	sed 's/ (in graph file [^)]*)//' "$3" >"$tmp/b.norm"
	diff -u "$tmp/a.norm" "$tmp/b.norm" >"$tmp/diff" && pass || fail "$1: $(head -20 "$tmp/diff")"
}
same_json() { # WHAT A B
	jq -S 'del(.inputs[].graph)' "$2" >"$tmp/a.norm"
	jq -S 'del(.inputs[].graph)' "$3" >"$tmp/b.norm"
	diff -u "$tmp/a.norm" "$tmp/b.norm" >"$tmp/diff" && pass || fail "$1: $(head -20 "$tmp/diff")"
}

# --- every fixture: the report of its saved graph is the trace's, text and
# JSON, warnings and exit status too
for t in fixtures/*/trace.* fixtures/kernel*/*/trace.dat; do
	fixture_rules "${t%/*}"
	lg analyze "${rules[@]}" --save-graph "$tmp/g.json" "$t"
	want=$status
	cat "$tmp/out" "$tmp/err" >"$tmp/want"
	lg analyze "${rules[@]}" "$tmp/g.json"
	expect_status "$want" "$t: its graph"
	cat "$tmp/out" "$tmp/err" >"$tmp/got"
	same_report "$t: the report of its graph" "$tmp/want" "$tmp/got"
	lg analyze --format=json "${rules[@]}" "$tmp/g.json"
	cp "$tmp/out" "$tmp/got.json"
	lg analyze --format=json "${rules[@]}" "$t"
	same_json "$t: the JSON report of its graph" "$tmp/out" "$tmp/got.json"
	rm -f "$tmp/g.json"
done
jq -r '.inputs[0].graph' "$tmp/got.json" | grep -qx "$tmp/g.json" && pass ||
	fail "JSON inputs[].graph: $(jq -c '.inputs[0].graph' "$tmp/got.json")"

# --- the lab's runs merged: as graphs, as a graph and a trace, as a merged
# graph of two merged again with a third: the traces' report each time
lab=(fixtures/kernel-6.12/abba/trace.dat fixtures/kernel-6.12/amdgpu-training/trace.dat
     fixtures/kernel/nouveau-svm/trace.dat fixtures/kernel-6.12/hardirq-read-safe-dep-last/trace.dat)
for i in 0 1 2 3; do
	lg analyze --save-graph "$tmp/g$i.json" "${lab[$i]}"
done
lg analyze --format=json "${lab[@]}"
cp "$tmp/out" "$tmp/traces.json"
lg analyze --format=json "$tmp/g0.json" "$tmp/g1.json" "$tmp/g2.json" "$tmp/g3.json"
expect_status 1 "four lab graphs"
same_json "four lab graphs merged" "$tmp/traces.json" "$tmp/out"
lg analyze --format=json "$tmp/g0.json" "${lab[1]}" "$tmp/g2.json" "${lab[3]}"
same_json "graphs and traces merged" "$tmp/traces.json" "$tmp/out"
lg analyze --save-graph "$tmp/g01.json" "$tmp/g0.json" "$tmp/g1.json"
lg analyze --save-graph "$tmp/g012.json" "$tmp/g01.json" "$tmp/g2.json"
lg analyze --format=json "$tmp/g012.json" "$tmp/g3.json"
same_json "a merged graph merged again" "$tmp/traces.json" "$tmp/out"
[ "$(jq '[.findings[] | .id] | length' "$tmp/out")" -ge 3 ] && pass ||
	fail "four lab runs: $(jq -c '[.findings[] | .id]' "$tmp/out")"
# seqs stay dense however often a graph is merged
[ "$(jq '.seqs' "$tmp/g012.json")" -eq "$(jq '[.classes[].usage[], .dependencies[],
     .recursions[], .imbalances[], .wait_violations[]] | length' "$tmp/g012.json")" ] && pass ||
	fail "seqs of a twice-merged graph: $(jq .seqs "$tmp/g012.json")"

# --- a class used in a hardirq in one run and with irqs on in another: the
# inconsistent lock state only the two together show, merged from graphs
line() { printf '     kworker/1:2-188     [001] %s   1.%06d: lock_%s: 000000004560f5c9 &priv->irq_lock\n' "$@"; }
{ line d.h2. 100 acquire; line d.h2. 110 release; } >"$tmp/irq.txt"
{ line ..... 200 acquire; line ..... 210 release; } >"$tmp/task.txt"
lg analyze --save-graph "$tmp/irq.json" "$tmp/irq.txt"
expect_status 0 "the hardirq run alone"
lg analyze --save-graph "$tmp/task.json" "$tmp/task.txt"
expect_status 0 "the task run alone"
lg analyze "$tmp/irq.txt" "$tmp/task.txt"
expect_status 1 "both runs' traces"
cat "$tmp/out" >"$tmp/want"
lg analyze "$tmp/irq.json" "$tmp/task.json"
expect_status 1 "both runs' graphs"
same_report "the usage bug of two graphs" "$tmp/want" "$tmp/out"
lg analyze --format=json "$tmp/irq.json" "$tmp/task.json"
[ "$(jq -c '[.findings[] | [.kind, .id, .title]]' "$tmp/out")" = \
  '[["inconsistent-lock-state","il-b707d4ff307b995e","inconsistent lock state involving &priv->irq_lock"]]' ] &&
	pass || fail "two graphs: $(jq -c '[.findings[] | [.kind, .id, .title]]' "$tmp/out")"
grep -qxF 'inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.' "$tmp/want" && pass ||
	fail "two runs: no IN-HARDIRQ-W -> HARDIRQ-ON-W: $(head -12 "$tmp/want")"

# --- a graph on standard input; names that are not UTF-8 kept as they were
hostile_trace "$tmp/hostile.txt"
lg analyze --save-graph "$tmp/hostile.json" "$tmp/hostile.txt"
cat "$tmp/out" >"$tmp/want"
$wrap "$bin" analyze - <"$tmp/hostile.json" >"$tmp/out" 2>"$tmp/err"
same_report "a hostile graph from standard input" "$tmp/want" "$tmp/out"
jq -e '[.classes[].name | objects | .hex] | length == 1' "$tmp/hostile.json" >/dev/null && pass ||
	fail "the hostile class name not kept as hex: $(jq -c '[.classes[].name]' "$tmp/hostile.json")"

# --- a stack frame at address 0 (kernel_sites.c keeps no name for it): null
# in the file, "0x0" in the text report as lockdep's %pS prints it
jq -c '.dependencies[].first.stack |= map(if . == "nest+0x1e/0x30" then null else . end)' \
	"$tmp/g0.json" >"$tmp/zero.json"
lg analyze "$tmp/zero.json"
expect_status 1 "a graph with a frame at 0"
sed -n '/^-> #1/,/^$/p' "$tmp/out" | sed -n 3p | grep -qx '       0x0' && pass ||
	fail "a frame at 0: $(sed -n '/^-> #1/,/^$/p' "$tmp/out" | head -4)"
lg analyze --save-graph "$tmp/zero2.json" "$tmp/zero.json"
jq -e '[.dependencies[].first.stack[] | select(. == null)] | length > 0' \
	"$tmp/zero2.json" >/dev/null && pass || fail "a frame at 0 saved again"

# --- damaged graph files: exit 2, the file and the member named
damaged() { # WANT-MESSAGE JQ-FILTER
	jq -c "$2" "$tmp/g0.json" >"$tmp/bad.json"
	lg analyze "$tmp/bad.json"
	expect_status 2 "damaged graph ($2)"
	grep -qxF "lockgraph: $tmp/bad.json: $1" "$tmp/err" && pass ||
		fail "damaged graph ($2): $(cat "$tmp/err")"
}
damaged 'dependencies[3].first.held[0].class: expected a name (a string or {"hex": ...})' \
	'.dependencies[3].first.held[0].class = 5'
damaged 'dependencies[0].first.input: expected an integer from 0 to 0' '.dependencies[0].first.input = 1'
damaged 'dependencies[2].rule: expected one where count is 0 (a rule'"'"'s dependency)' \
	'.dependencies[2].count = 0 | .dependencies[2].annotated = 0 | .dependencies[2].primer = null'
damaged 'classes[4].usage[0].bit: expected a usage bit'"'"'s name, as lockdep prints it' \
	'.classes[4].usage[0].bit = "IN-NMI-W"'
damaged 'classes[7].usage[0].seq: expected an integer from 0 to '"$(($(jq .seqs "$tmp/g0.json") - 1))" \
	'.classes[7].usage[0].seq = .seqs'
damaged 'inputs[0].stats.lost_by_cpu: expected 64 entries in it and lost_markers_by_cpu' \
	'.inputs[0].stats.lost_by_cpu = [0]'
damaged 'contention[0].contended: expected 1 or more' '.contention[0].contended = 0'
damaged 'recursions: missing' 'del(.recursions)'
damaged 'schema: lockgraph-graph/2, not lockgraph-graph/1: written by another lockgraph' \
	'.schema = "lockgraph-graph/2"'
lg analyze --format=json fixtures/two-cycles/trace.txt
cp "$tmp/out" "$tmp/report.json"
lg analyze "$tmp/report.json"
expect_status 2 "a JSON report as a graph"
grep -qxF "lockgraph: $tmp/report.json: a JSON report, not a graph file (analyze --save-graph writes those)" \
	"$tmp/err" && pass || fail "a JSON report as a graph: $(cat "$tmp/err")"
head -c 1000 "$tmp/g0.json" >"$tmp/cut.json"
lg analyze "$tmp/cut.json"
expect_status 2 "a cut graph file"
grep -q "^lockgraph: $tmp/cut.json:1:1000: not a graph file: " "$tmp/err" && pass ||
	fail "a cut graph file: $(cat "$tmp/err")"

# --- never half a file: a failed save leaves the old one and no temporary
echo keep >"$tmp/kept.json"
lg analyze --save-graph "$tmp/kept.json" tests/e2e/bad/bad-cpu.txt
expect_status 2 "--save-graph of a bad trace"
[ "$(cat "$tmp/kept.json")" = keep ] && pass || fail "--save-graph replaced a file after an error"
mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
	lg analyze --save-graph "$tmp/ro/g.json" fixtures/two-cycles/trace.txt
	expect_status 2 "--save-graph into a read-only directory"
	grep -q "^lockgraph: --save-graph: $tmp/ro/g.json: cannot create a temporary file beside it: " \
		"$tmp/err" && pass || fail "--save-graph into a read-only directory: $(cat "$tmp/err")"
fi
lg analyze --save-graph "$tmp/ro" fixtures/two-cycles/trace.txt
expect_status 2 "--save-graph onto a directory"
grep -qxF "lockgraph: --save-graph: $tmp/ro: cannot write it: Is a directory" "$tmp/err" && pass ||
	fail "--save-graph onto a directory: $(cat "$tmp/err")"
lg analyze --save-graph "$tmp/kept.json" fixtures/two-cycles/trace.txt
expect_status 1 "--save-graph over a file"
jq -e '.schema == "lockgraph-graph/1"' "$tmp/kept.json" >/dev/null && pass ||
	fail "--save-graph over a file: $(head -c 100 "$tmp/kept.json")"
[ -z "$(find "$tmp" -name '.*.json.*')" ] && pass || fail "temporaries left: $(find "$tmp" -name '.*')"

echo "graph.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
