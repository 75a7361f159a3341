# The lock usage lockdep's print_lock_name() prints, "(NAME){USAGE}", from
# every line of a report: "NAME<TAB>USAGE" per lock, in the order printed.
# A name may hold parentheses ("(wq_completion)events") but not " (".
# usage: awk -f tests/e2e/usage.awk REPORT
{
	line = $0
	while (match(line, /\)\{[-.+?][-.+?][-.+?][-.+?]\}/)) {
		head = substr(line, 1, RSTART - 1)
		usage = substr(line, RSTART + 2, 4)
		line = substr(line, RSTART + RLENGTH)
		start = 0
		for (i = length(head) - 1; i >= 1 && !start; i--)
			if (substr(head, i, 2) == " (")
				start = i + 2
		if (!start && substr(head, 1, 1) == "(")
			start = 2
		if (start)
			print substr(head, start) "\t" usage
	}
}
