# The call sites of a report's lock lines, lockdep's print_lock():
# "(NAME){USAGE}-{N:N}, at: FUNC+0xOFF/0xSIZE [MODULE]", as
# "NAME<TAB>FUNC+0xOFF/0xSIZE" per line, the module left out.
# usage: awk -f tests/e2e/sites.awk REPORT
match($0, /\)\{[-.+?][-.+?][-.+?][-.+?]\}.*, at: [^ ]+/) {
	head = substr($0, 1, RSTART - 1)
	site = substr($0, RSTART, RLENGTH)
	sub(/.*, at: /, "", site)
	start = 0
	for (i = length(head) - 1; i >= 1 && !start; i--)
		if (substr(head, i, 2) == " (")
			start = i + 2
	if (!start && substr(head, 1, 1) == "(")
		start = 2
	if (start)
		print substr(head, start) "\t" site
}
