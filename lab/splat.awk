# lockdep's reports in a dmesg, one line each: "circular: C0 -> C1 -> ... -> CN"
# with the classes of the "-> #N (class)" lines from #0 up, i.e. in the order
# of the dependencies (C1 taken while C0 held, ..., C0 while CN held), as
# `lockgraph analyze --format=json` lists a cycle's classes; or
# "recursive: C", "wait-context: C" (the lock taken where it may not wait),
# "inconsistent: C (USAGE)" for an irq-safety report, "irq-order: IRQ S -> U"
# for an IRQ-safe lock S that depends on an IRQ-unsafe one U (IRQ as lockdep's
# title has it: HARDIRQ, HARDIRQ-READ, ...), "irq-inversion: forwards|backwards
# IRQ S -> U" for the same found when a usage came last (forwards: S changed
# state, and took another, IRQ-unsafe lock U; backwards: U changed state and
# was taken by another, IRQ-safe lock S), or "imbalance: C" for a bad unlock
# balance. After a circular,
# recursive, wait-context or irq-order line, "wait: C O:I" gives lockdep's wait types
# ({outer:inner}) of each lock class it named.
# Classes lose lockdep's "#N" (same name, other key) and "/N"
# (subclass) suffixes, which the lock tracepoints do not carry.
# usage: awk -f lab/splat.awk dmesg
function class_of(line) {
	sub(/^.*-> #[0-9]+ \(/, "", line)
	sub(/\)\{[^}]*\}(-\{[0-9]+:[0-9]+\})?:[ \t\r]*$/, "", line)
	sub(/(#[0-9]+)?(\/[0-9]+)?$/, "", line)
	return line
}
# the "{O:I}" of "(class){usage}-{O:I}"
function wait_of(line) {
	if (!match(line, /\}-\{[0-9]+:[0-9]+\}/))
		return ""
	return substr(line, RSTART + 3, RLENGTH - 4)
}
# the class of "ADDR (class){usage}-{O:I}, at: ..."
function held_class(line) {
	sub(/^[^(]*\(/, "", line)
	sub(/\)\{[^}]*\}(-\{[0-9]+:[0-9]+\})?,.*$/, "", line)
	sub(/(#[0-9]+)?(\/[0-9]+)?$/, "", line)
	return line
}
/WARNING: possible circular locking dependency detected/ { kind = "circular"; n = 0; next }
/WARNING: possible recursive locking detected/ { kind = "recursive"; n = 0; next }
/WARNING: inconsistent lock state/ { kind = "inconsistent"; next }
/\[ BUG: Invalid wait context \]/ { kind = "wait-context"; want = 0; next }
/WARNING: bad unlock balance detected!/ { kind = "imbalance"; next }
kind == "imbalance" && /is trying to release lock \(/ {
	line = $0
	sub(/^.*is trying to release lock \(/, "", line)
	sub(/\)( at:)?[ \t\r]*$/, "", line)
	sub(/(#[0-9]+)?(\/[0-9]+)?$/, "", line)
	print "imbalance: " line
	kind = ""
	next
}
/WARNING: possible irq lock inversion dependency detected/ { kind = "irq-inversion"; want = 0; next }
kind == "irq-inversion" && /just changed the state of lock:/ { want = 1; next }
kind == "irq-inversion" && want == 1 { changed = held_class($0); want = 0; next }
kind == "irq-inversion" && /but this lock (took|was taken by) another, [A-Z-]+-(un)?safe lock in the past:/ {
	forwards = $0 ~ /took another/
	match($0, /another, [A-Z-]+-(un)?safe/)
	irq = substr($0, RSTART + 9, RLENGTH - 9)
	sub(/-(un)?safe$/, "", irq)
	want = 2
	next
}
kind == "irq-inversion" && want == 2 {
	line = $0
	sub(/^[^(]*\(/, "", line)
	sub(/\)\{[^}]*\}(-\{[0-9]+:[0-9]+\})?[ \t\r]*$/, "", line)
	sub(/(#[0-9]+)?(\/[0-9]+)?$/, "", line)
	if (forwards)
		print "irq-inversion: forwards " irq " " changed " -> " line
	else
		print "irq-inversion: backwards " irq " " line " -> " changed
	kind = ""; want = 0
	next
}
/WARNING: [A-Z-]+-safe -> [A-Z-]+-unsafe lock order detected/ {
	kind = "irq-order"; want = ""
	match($0, /WARNING: [A-Z-]+-safe/)
	irq = substr($0, RSTART + 9, RLENGTH - 14)
	next
}
kind == "irq-order" && /connects a [A-Z-]+-irq-safe lock:/ { want = "safe"; next }
kind == "irq-order" && /to a [A-Z-]+-irq-unsafe lock:/ { want = "unsafe"; next }
kind == "irq-order" && want != "" {
	line = $0
	sub(/^[^(]*\(/, "", line)
	sub(/\)\{[^}]*\}(-\{[0-9]+:[0-9]+\})?[ \t\r]*$/, "", line)
	sub(/(#[0-9]+)?(\/[0-9]+)?$/, "", line)
	cls[want] = line
	w[want] = wait_of($0)
	if (want == "unsafe") {
		print "irq-order: " irq " " cls["safe"] " -> " cls["unsafe"]
		if (w["safe"] != "")
			print "wait: " cls["safe"] " " w["safe"]
		if (w["unsafe"] != "")
			print "wait: " cls["unsafe"] " " w["unsafe"]
		kind = ""
	}
	want = ""
	next
}
kind == "inconsistent" && /inconsistent \{.*\} usage/ {
	usage = $0
	sub(/^.*inconsistent /, "", usage)
	sub(/ usage\..*$/, "", usage)
	next
}
kind == "inconsistent" && /\)\{[^}]*\}(-\{[0-9]+:[0-9]+\})?, at:/ {
	line = $0
	sub(/^[^(]*\(/, "", line)
	sub(/\)\{[^}]*\}(-\{[0-9]+:[0-9]+\})?, at:.*$/, "", line)
	sub(/(#[0-9]+)?(\/[0-9]+)?$/, "", line)
	print "inconsistent: " line " (" usage ")"
	kind = ""
}
kind == "circular" && /-> #[0-9]+ \(/ { wait[n] = wait_of($0); chain[n++] = class_of($0); next }
kind == "circular" && /other info that might help us debug this/ {
	s = "circular: " chain[n - 1]
	for (i = n - 2; i >= 0; i--)
		s = s " -> " chain[i]
	print s
	for (i = n - 1; i >= 0; i--)
		if (wait[i] != "")
			print "wait: " chain[i] " " wait[i]
	kind = ""
}
(kind == "recursive" && /is trying to acquire lock:/) ||
(kind == "wait-context" && /is trying to lock:/) { want = 1; next }
(kind == "recursive" || kind == "wait-context") && want {
	line = held_class($0)
	print kind ": " line
	if (wait_of($0) != "")
		print "wait: " line " " wait_of($0)
	kind = ""; want = 0
}
