# One block per finding: the cycle, then each dependency with its provenance.
# This is the format of fixtures/*/expected.
def site: if . == null then "never seen" else
  "first \(.time) cpu\(.cpu) \(.comm)/\(.pid) \(.context)\(if .inside then " inside \(.inside)" else "" end) held: \(.held | join(", "))" end;
# who made it: "observed", "observed (2 by F)", "annotation F", "rule FILE:LINE",
# and a rule that primes an observed one too
def origin: if .origin == "annotation" then "annotation \(.annotation)"
  elif .origin == "rule" then "rule \(.rule)"
  else "observed\(if .annotated > 0 then " (\(.annotated) by \(.annotation))" else "" end)\(if .rule then " (primed by \(.rule))" else "" end)" end;
def dep: "  \(.from) -> \(.to) [\(.types | join(","))] \(origin) x\(.count) \(.first_seen | site)",
  (.lone_instances[] | "    lone instance: \(.class) \(.lock), \(.other_instances)\(if .more_instances then "+" else "" end) other(s) taken \(.other_taken)");
.findings[] |
  "\(.kind): \(.classes | join(" -> "))",
  (if .kind == "circular-dependency" then
     (.unobserved[] | "  only through the \(.origin) \(.by): \(.from) -> \(.to)"),
     (.dependencies[] | dep)
   elif .kind == "irq-safe-to-unsafe" or .kind == "irq-lock-inversion" then
     (if .changed then "  the \(.changed) lock changed state last" else empty end),
     "  {\(.usage[0])} \(.safe_since | site)",
     (.dependencies[] | dep),
     "  {\(.usage[1])} \(.unsafe_since | site)"
   elif .kind == "inconsistent-lock-state" then
     "  {\(.usage[0])} -> {\(.usage[1])} \(.first_seen | site)",
     "  registered \(.registered | site)"
   else
     "  x\(.count) \(.first_seen | site)"
   end)
