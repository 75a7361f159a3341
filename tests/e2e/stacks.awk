# The stack of each "-> #N (CLASS)...:" block of a report (lockdep's
# print_circular_bug() or lockgraph's): "#N CLASS<TAB>F1 F2 ..." with the
# functions only (no +0xOFF/0xSIZE, no [module]), lockdep's own frames at
# the top (__lock_acquire, lock_acquire, lock_sync) left out, as lockgraph
# leaves them; "sync: " before the frames of a stack that had lock_sync.
# A block without a stack prints none after the tab.
# usage: awk -f tests/e2e/stacks.awk REPORT
function flush() {
	if (head != "")
		print head "\t" frames
	head = ""
}
/^-> #[0-9]+ \(/ {
	flush()
	name = $0
	sub(/^-> #[0-9]+ \(/, "", name)
	sub(/\)(\{[^}]*\})?(-\{[0-9]+:[0-9]+\})?:$/, "", name)
	head = $2 " " name
	frames = ""
	top = 1
	sync = 0
	next
}
head != "" && /^       [A-Za-z_.][A-Za-z0-9_.]*(\+0x[0-9a-f]+\/0x[0-9a-f]+)?( \[[^]]*\])?$/ {
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
