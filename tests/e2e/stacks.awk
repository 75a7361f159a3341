# The stacks of a report (lockdep's or lockgraph's), one line each,
# "HEADING<TAB>F1 F2 ...": after each "-> #N (CLASS)...:" block heading
# (HEADING "-> CLASS": which N a class gets depends on where the cycle was
# entered) and after each line ending in " at:" (HEADING that line, trimmed,
# after "CLASS: " of the "-> (CLASS){...} {" header it stands in, if any,
# and " (N)" after it for its Nth time).
# The functions only (no +0xOFF/0xSIZE, no [module]); lockdep's own frames at
# the top (__lock_acquire, lock_acquire, lock_sync) left out, as lockgraph
# leaves them, with "sync: " before the frames of a stack that had
# lock_sync. A heading without a stack prints none after the tab.
# usage: awk -f tests/e2e/stacks.awk REPORT
function flush() {
	if (head != "")
		print head "\t" frames
	head = ""
}
function start(h) {
	flush()
	head = h
	frames = ""
	top = 1
	sync = 0
}
/^-> #[0-9]+ \(/ {
	name = $0
	sub(/^-> #[0-9]+ \(/, "", name)
	sub(/\)(\{[^}]*\})?(-\{[0-9]+:[0-9]+\})?:( made by .*| primed by .*)?$/, "", name)
	start("-> " name)
	next
}
/^-> \(.*\{$/ {
	flush()
	class = $0
	sub(/^-> \(/, "", class)
	sub(/\)(\{[^}]*\})?(-\{[0-9]+:[0-9]+\})? \{$/, "", class)
	next
}
/^ *\}$/ { flush(); class = ""; next }
/ at:$/ {
	h = $0
	sub(/^ +/, "", h)
	h = (class != "" ? class ": " : "") h
	n = ++seen[h]
	start(h (n > 1 ? " (" n ")" : ""))
	next
}
head != "" && /^\.\.\.$/ { next }	# lockdep's "..." before an unsafe usage's stack
head != "" && /^ +[A-Za-z_.][A-Za-z0-9_.]*(\+0x[0-9a-f]+\/0x[0-9a-f]+)?( \[[^]]*\])?$/ {
	f = $1
	sub(/\+.*/, "", f)
	if (top && f == "lock_sync")
		sync = 1
	if (top && (f == "__lock_acquire" || f == "lock_acquire" || f == "lock_sync"))
		next
	top = 0
	frames = frames (frames == "" ? (sync ? "sync: " : "") : " ") f
	next
}
head != "" { flush() }
END { flush() }
