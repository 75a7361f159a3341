#!/usr/bin/env bash
# ci_recipe.sh LOCKGRAPH: README's CI recipe, its GitLab job's script and its
# GitHub Actions step's run taken from README.md as they stand and run: the
# two the same commands, a new finding failing the job with its JUnit case
# failed and the baselined one skipped, a run of known findings passing, an
# unreadable trace failing it, and the graph it keeps giving the report.
bin=$1
. "$(dirname "$0")/lib.sh"

# the GitLab job's script: lines; the GitHub step's run: | block
gitlab=$(awk '/^```yaml$/ { y = 1; next } /^```$/ { y = s = 0 } y && /^  script:$/ { s = 1; next }
	      y && s && /^    - / { sub(/^    - /, ""); print; next } y && s { s = 0 }' README.md)
github=$(awk '/^```yaml$/ { y = 1; next } /^```$/ { y = r = 0 } y && /^        run: \|$/ { r = 1; next }
	      y && r && /^          / { sub(/^          /, ""); print; next } y && r { r = 0 }' README.md)
[ -n "$gitlab" ] && [ "$(echo "$gitlab" | wc -l)" -ge 2 ] && pass || fail "README: no GitLab script"
[ "$gitlab" = "$github" ] && pass || fail "README: the GitLab and GitHub commands differ"
baseline_cmd=$(grep -o 'lockgraph analyze --format=json runs/\*/trace.dat > ci/lockgraph-baseline.json' README.md)
[ -n "$baseline_cmd" ] && pass || fail "README: no baseline command"

# a CI job's directory: lockgraph on PATH (a wrapper, so LG_WRAP applies)
mkdir -p "$tmp/job/bin" "$tmp/job/ci"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$wrap" "$(realpath "$bin")" >"$tmp/job/bin/lockgraph"
chmod +x "$tmp/job/bin/lockgraph"
runs() { # FIXTURE...: the job's runs/
	rm -rf "$tmp/job/runs"
	for f; do mkdir -p "$tmp/job/runs/$f" && cp "fixtures/kernel-6.12/$f/trace.dat" "$tmp/job/runs/$f/"; done
}
job() { # SCRIPT: run it as the CI runner would, in the job's directory
	(cd "$tmp/job" && PATH=$tmp/job/bin:$PATH bash -e -o pipefail -c "$1") >"$tmp/out" 2>"$tmp/err"
	status=$?
}
junit_counts() { # tests failures skipped of lockgraph-junit.xml (skipped: its suites')
	xmllint --xpath 'concat(/testsuites/@tests, " ", /testsuites/@failures, " ", sum(//testsuite/@skipped))' \
		"$tmp/job/lockgraph-junit.xml"
}

# the baseline made when abba was the known finding
runs abba
job "$baseline_cmd"
expect_status 1 "the README's baseline command"
[ "$(jq '.findings | length' "$tmp/job/ci/lockgraph-baseline.json")" = 1 ] && pass ||
	fail "baseline: $(jq -c '[.findings[].id]' "$tmp/job/ci/lockgraph-baseline.json")"

# a new finding (amdgpu's training cycle) beside the known one: the job fails
runs abba amdgpu-training
for script in "$gitlab" "$github"; do
	rm -f "$tmp"/job/lockgraph-*
	job "$script"
	expect_status 1 "the recipe with a new finding"
	xmllint --noout --schema tests/e2e/junit.xsd "$tmp/job/lockgraph-junit.xml" 2>"$tmp/xmllint" && pass ||
		fail "the recipe's JUnit: $(head -3 "$tmp/xmllint")"
	[ "$(junit_counts)" = "3 1 1" ] && pass || fail "the recipe's JUnit: tests failures skipped $(junit_counts)"
	[ "$(jq -c '[.findings[].id], [.suppressed[].id]' "$tmp/job/lockgraph-report.json" | tr '\n' ' ')" = \
	  '["cd-875642f15bc9b3b2"] ["cd-c6bd91bff4f8148b"] ' ] && pass ||
		fail "the recipe's report: $(jq -c '[.findings[].id], [.suppressed[].id]' "$tmp/job/lockgraph-report.json")"
	jq -e '.schema == "lockgraph-graph/1" and (.inputs | length) == 2' "$tmp/job/lockgraph-graph.json" \
		>/dev/null && pass || fail "the recipe's graph file"
done

# only the known finding: the job passes, the case skipped
runs abba
job "$gitlab"
expect_status 0 "the recipe with known findings only"
[ "$(junit_counts)" = "2 0 1" ] && pass || fail "known only: tests failures skipped $(junit_counts)"

# a trace it cannot read fails the job with exit 2
runs abba
head -c 5000 fixtures/kernel-6.12/abba/trace.dat >"$tmp/job/runs/abba/trace.dat"
job "$gitlab"
expect_status 2 "the recipe with a cut trace"

echo "ci_recipe.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
