#!/usr/bin/env bash
# dot.sh LOCKGRAPH: --format=dot: the exact graph of a small fixture, every
# fixture's graph rendered by graphviz without a complaint, hostile names
# drawn as they read, and doc/'s picture the one make doc draws today.
bin=$1
. "$(dirname "$0")/lib.sh"

svg_ok() { # WHAT: $tmp/out renders with dot -Tsvg, not a word on stderr
	if dot -Tsvg "$tmp/out" >"$tmp/svg" 2>"$tmp/dot" && [ ! -s "$tmp/dot" ]; then pass; else
		fail "$1: graphviz: $(head -3 "$tmp/dot")"; fi
}

# --- two cycle groups, each in its colour, --cycles-only: the findings'
# classes and their neighbours, the dependencies that touch a finding's class
lg analyze --format=dot --cycles-only fixtures/two-cycles/trace.txt
expect_status 1 "DOT of two cycles"
cat >"$tmp/want" <<'EOT'
digraph lockgraph {
	graph [rankdir=LR, fontname="monospace", labelloc=t, label="lockgraph: 14 classes, 13 dependencies, 2 findings (their classes and neighbours)"];
	node [shape=box, fontname="monospace", fontsize=10];
	edge [fontname="monospace", fontsize=9];
	c0 [label="cb_lock\n{.+.+}"];
	c1 [label="rtnl_mutex\n{+.+.}", penwidth=2, color="#d62728"];
	c2 [label="&rdev->wiphy.mtx\n{+.+.}", penwidth=2, color="#d62728"];
	c3 [label="fs_reclaim\n{+.+.}"];
	c7 [label="(work_completion)(&rdev->wiphy_work)\n{+.+.}"];
	c8 [label="&rdev->wiphy_work_lock\n{....}"];
	c10 [label="&mm->mmap_lock\n{.+.+}", penwidth=2, color="#1f77b4"];
	c11 [label="reservation_ww_class_acquire\n{+.+.}", penwidth=2, color="#1f77b4"];
	c12 [label="reservation_ww_class_mutex\n{+.+.}", penwidth=2, color="#1f77b4"];
	c13 [label="ptlock_ptr(ptdesc)\n{+.+.}"];
	c0 -> c1 [label="x2"];
	c1 -> c2 [label="x2", color="#d62728", fontcolor="#d62728", penwidth=2, tooltip="cd-27a58cf1941ffc1c"];
	c2 -> c3 [label="x1"];
	c7 -> c2 [label="x1"];
	c2 -> c8 [label="x1"];
	c2 -> c1 [label="x1", color="#d62728", fontcolor="#d62728", penwidth=2, tooltip="cd-27a58cf1941ffc1c"];
	c10 -> c11 [label="x1", color="#1f77b4", fontcolor="#1f77b4", penwidth=2, tooltip="cd-abbc4c6f5077d587"];
	c11 -> c12 [label="x2", color="#1f77b4", fontcolor="#1f77b4", penwidth=2, tooltip="cd-abbc4c6f5077d587"];
	c12 -> c3 [label="x1"];
	c12 -> c13 [label="x1"];
	c12 -> c10 [label="x1", color="#1f77b4", fontcolor="#1f77b4", penwidth=2, tooltip="cd-abbc4c6f5077d587"];
}
EOT
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" && pass || fail "DOT of two-cycles: $(cat "$tmp/diff")"
lg analyze --format=dot fixtures/two-cycles/trace.txt
# 12 of its 14 classes: two are only ever taken alone
[ "$(grep -c '^	c[0-9]* \[' "$tmp/out")" = 12 ] && [ "$(grep -c ' -> ' "$tmp/out")" = 13 ] && pass ||
	fail "DOT of two-cycles without --cycles-only: not every class with a dependency and every dependency"

# --- an irq-safe class filled, its usage in the label
lg analyze --format=dot --cycles-only fixtures/irq-safe-to-unsafe/trace.txt
grep -qxF '	c0 [label="&priv->irq_lock\n{-...}\nHARDIRQ-safe", style=filled, fillcolor="#ffe4b5", penwidth=2];' \
	"$tmp/out" && pass || fail "DOT: the HARDIRQ-safe class: $(grep irq_lock "$tmp/out")"

# --- what an annotation and what a rule made, dashed and named; the sites'
# functions on the rest
lg analyze --format=dot --cycles-only fixtures/kernel-6.12/amdgpu-training/trace.dat
for line in '	c1621 -> c1623 [label="x1\nannotation amdgpu_lockdep_init", style=dashed, color="#d62728", fontcolor="#d62728", penwidth=2, tooltip="cd-875642f15bc9b3b2"];' \
	    '	c140 -> c1621 [label="x1\nhmm_invalidate_gfx", color="#d62728", fontcolor="#d62728", penwidth=2, tooltip="cd-875642f15bc9b3b2"];'; do
	grep -qxF "$line" "$tmp/out" && pass || fail "DOT of amdgpu-training: no '$line'"
done
fixture_rules fixtures/kernel-6.12/amdgpu-userptr-late
lg analyze --format=dot --cycles-only "${rules[@]}" fixtures/kernel-6.12/amdgpu-userptr-late/trace.dat
[ "$(grep -c 'label="rule rules/amdgpu-1d0f5838:8", style=dashed' "$tmp/out")" = 6 ] && pass ||
	fail "DOT of amdgpu-userptr-late: the rule's six dependencies: $(grep -c rule "$tmp/out")"

# --- every fixture's graph, whole and --cycles-only, renders; one of more
# than 400 dependencies (four-locks-held's 2,829 cycles) takes dot's layout
# past half an hour, so graphviz's own parser (gvpr) reads those instead
parses_ok() { # WHAT
	if gvpr -c 'N{}' "$tmp/out" >/dev/null 2>"$tmp/dot" && [ ! -s "$tmp/dot" ]; then pass; else
		fail "$1: graphviz: $(head -3 "$tmp/dot")"; fi
}
for t in fixtures/*/trace.* fixtures/kernel*/*/trace.dat; do
	fixture_rules "${t%/*}"
	for only in "" --cycles-only; do
		lg analyze --format=dot $only "${rules[@]}" "$t"
		[ "$status" -le 1 ] && pass || fail "$t: DOT $only: exit $status: $(head -2 "$tmp/err")"
		if [ "$(grep -c ' -> ' "$tmp/out")" -le 400 ]; then svg_ok "$t $only"; else parses_ok "$t $only"; fi
	done
done

# --- quotes, a backslash, control bytes and what is not UTF-8 in a name:
# graphviz draws the name as it reads, the bad bytes as '?'
hostile_trace "$tmp/hostile.txt"
lg analyze --format=dot "$tmp/hostile.txt"
expect_status 1 "DOT of hostile names"
svg_ok "hostile names"
grep -qF '>&amp;a&#45;&gt;lock]]&gt;&quot;\</text>' "$tmp/svg" &&
	grep -qF '>&amp;b&#45;&gt;lock?????</text>' "$tmp/svg" && pass ||
	fail "DOT: hostile names drawn as $(grep -o '>&amp;[ab][^<]*<' "$tmp/svg")"

# --- the README's picture is what make doc draws from today's code
lg analyze --format=dot --cycles-only fixtures/kernel-6.12/amdgpu-training/trace.dat
dot -Tsvg "$tmp/out" | cmp -s - doc/seed-000-amdgpu-training.svg && pass ||
	fail "doc/seed-000-amdgpu-training.svg is stale: run make doc"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
