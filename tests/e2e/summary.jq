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
# a wait cycle's link: the wait with a lock held, the event that needed a
# lock (and where its context began), or a lock dependency
def who: "\(.time) cpu\(.cpu) \(.comm)/\(.pid) \(.context)\(if .at then " at \(.at)" else "" end)";
def wlink: if .link == "wait" then
    "  wait: \(.lock) -> \(.object) x\(.count) (\(.count - .untimed) timed) \(.wait | who), ended by \(.ended_by | who)"
  elif .link == "event" then
    "  event: \(.object) -> \(.lock) x\(.count) \(if .held_at_event then "held" else "taken" end) \(.lock_taken | who), context from \(.context_start), ended the wait of \(.ended_wait_of | who)"
  else dep end;
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
   elif .kind == "wait-event-deadlock" or .kind == "wait-event-timeout" then
     (if .other_cycles > 0 then "  \(.other_cycles) other cycle(s) through its closing wait" else empty end),
     (.links[] | wlink)
   elif .kind == "inconsistent-lock-state" then
     "  {\(.usage[0])} -> {\(.usage[1])} \(.first_seen | site)",
     "  registered \(.registered | site)"
   else
     "  x\(.count) \(.first_seen | site)"
   end)
