# lockgraph's findings (analyze --format=json) in lab/splat.awk's notation,
# one line each, so that the lab and the end-to-end tests hold them against
# lockdep's own report of the same run.
# usage: jq -r -f lab/report.jq REPORT.json

# lockdep's state_name() of a usage: "HARDIRQ", "SOFTIRQ-READ", ...
def state($usage):
	(if $usage | test("SOFTIRQ") then "SOFTIRQ" else "HARDIRQ" end) +
	(if $usage | endswith("-R") then "-READ" else "" end);

.findings[] |
if .kind == "circular-dependency" then "circular: \(.classes | join(" -> "))"
elif .kind == "recursive-locking" then "recursive: \(.classes[0])"
elif .kind == "invalid-wait-context" then "wait-context: \(.classes[0])"
elif .kind == "inconsistent-lock-state" then
	"inconsistent: \(.classes[0]) ({\(.usage[0])} -> {\(.usage[1])})"
elif .kind == "irq-safe-to-unsafe" then
	"irq-order: \(state(.usage[0])) \(.classes[0]) -> \(.classes[-1])"
elif .kind == "irq-lock-inversion" then
	"irq-inversion: \(if .changed == "safe" then "forwards \(state(.usage[1]))"
			  else "backwards \(state(.usage[0]))" end)" +
	" \(.classes[0]) -> \(.classes[-1])"
elif .kind == "bad-unlock-balance" then "imbalance: \(.classes[0])"
elif .kind == "wait-event-deadlock" or .kind == "wait-event-timeout" then
	"\(.kind): \(.classes | join(" -> "))"
else empty end
