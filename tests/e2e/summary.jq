# One block per finding: the cycle, then each dependency with its provenance.
# This is the format of fixtures/*/expected.
def site: "first \(.time) cpu\(.cpu) \(.comm)/\(.pid) \(.context)\(if .inside then " inside \(.inside)" else "" end) held: \(.held | join(", "))";
.findings[] |
  "\(.kind): \(.classes | join(" -> "))",
  (if .kind == "circular-dependency" then
     (.dependencies[] | "  \(.from) -> \(.to) [\(.types | join(","))] \(.origin) x\(.count) \(.first_seen | site)")
   elif .kind == "irq-safe-to-unsafe" or .kind == "irq-lock-inversion" then
     (if .changed then "  the \(.changed) lock changed state last" else empty end),
     "  {\(.usage[0])} \(.safe_since | site)",
     (.dependencies[] | "  \(.from) -> \(.to) [\(.types | join(","))] \(.origin) x\(.count) \(.first_seen | site)"),
     "  {\(.usage[1])} \(.unsafe_since | site)"
   elif .kind == "inconsistent-lock-state" then
     "  {\(.usage[0])} -> {\(.usage[1])} \(.first_seen | site)",
     "  registered \(.registered | site)"
   else
     "  x\(.count) \(.first_seen | site)"
   end)
