#!/usr/bin/env bash
# layering.sh BUILD-DIR: the include and call graph of src/ and include/ by
# pipeline stage, and whether it holds DESIGN's rule: data flows one way (no
# file of a stage reaches a later stage), record/ shares only lib/ and
# contract/ with analyze, and no files include or call each other in a loop.
#
# A module is a source file and the header of the same name (src/input/source.c
# and include/lockgraph/input/source.h are input/source). An include edge is a
# #include "lockgraph/..."; a call edge is a symbol one object file leaves
# undefined and another defines (nm), so calls without a header count too.
# Prints the figures; exits 1 if the rule is broken, naming each edge.
set -euo pipefail
build=${1:?usage: layering.sh BUILD-DIR}
cd "$(dirname "$0")/.."

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
files=$(find src include -name '*.[ch]' | sort)
# shellcheck disable=SC2086
awk 'function module(p) { sub(/^(src|include\/lockgraph)\//, "", p); sub(/\.[ch]$/, "", p); return p }
     /^#include "lockgraph\// { h = $2; gsub(/"/, "", h); sub(/^lockgraph\//, "", h)
				if (module(FILENAME) != module(h)) print "include", module(FILENAME), module(h) }' \
	$files >>"$edges"
for c in $(echo "$files" | grep '\.c$'); do
	m=${c#src/}
	m=${m%.c}
	o=$build/$m.o
	[ -f "$o" ] || { echo "layering.sh: $o: not built (make first)" >&2; exit 2; }
	nm "$o" | awk -v m="$m" 'NF == 3 && $2 ~ /^[TDRBG]$/ { print "def", m, $3 }
				 NF == 2 && $1 == "U" { print "use", m, $2 }'
done | awk '$1 == "def" { def[$3] = $2; next }
	    { use[NR] = $2 " " $3 }
	    END { for (i in use) { split(use[i], u, " ");
		  if ((u[2] in def) && def[u[2]] != u[1]) print "call", u[1], def[u[2]] } }' \
	>>"$edges"

nr_c=$(echo "$files" | grep -c '\.c$')
nr_h=$(echo "$files" | grep -c '\.h$')
sort -u "$edges" | awk -v nr_c="$nr_c" -v nr_h="$nr_h" '
function stage(m) { return index(m, "/") ? substr(m, 1, index(m, "/") - 1) : "top" }
# lib, contract, then the analyze pipeline in the order an event meets it;
# record is apart, beside input, on lib and contract only.
function rank(s,   order, i) {
	split("lib contract input replay detect report top", order, " ")
	for (i = 1; i <= 7; i++)
		if (order[i] == s)
			return i - 1
	return s == "record" ? 2 : -1
}
function allowed(a, b,   sa, sb) {
	sa = stage(a); sb = stage(b)
	if (rank(sa) < 0 || rank(sb) < 0)
		return 0
	if (sa == "top")
		return 1
	if (sa == "record" || sb == "record")
		return sa == sb || sb == "lib" || sb == "contract"
	return rank(sb) <= rank(sa)
}
function reach(a, b,   stack, sp, seen, x, i) {
	sp = 0; stack[++sp] = a
	while (sp) {
		x = stack[sp--]
		for (i = 1; i <= nout[x]; i++) {
			if (out[x, i] == b)
				return 1
			if (!seen[out[x, i]]++)
				stack[++sp] = out[x, i]
		}
	}
	return 0
}
{
	kind[$1]++
	mods[$2] = mods[$3] = 1
	if (!(($2, $3) in edge)) {
		edge[$2, $3] = 1; out[$2, ++nout[$2]] = $3; nedges++
	}
	if (!allowed($2, $3))
		bad[$2 " -> " $3 " (" $1 ")"] = 1
}
END {
	for (m in mods) {
		nmods++
		if (m in inloop)
			continue
		members = ""
		for (n in mods)
			if (n != m && reach(m, n) && reach(n, m)) {
				members = members " " n; inloop[n] = 1
			}
		if (members != "") {
			inloop[m] = 1; loops[m members] = 1; nloops++
		}
	}
	printf "%d files (%d .c, %d .h), %d modules\n", nr_c + nr_h, nr_c, nr_h, nmods
	printf "%d include edges, %d call edges, %d module pairs\n", kind["include"], \
	       kind["call"], nedges
	nbad = 0
	for (b in bad) nbad++
	printf "%d edges against the pipeline, %d loops\n", nbad, nloops
	for (b in bad) print "  against the pipeline: " b
	for (l in loops) print "  loop:" l
	exit nbad || nloops
}'
