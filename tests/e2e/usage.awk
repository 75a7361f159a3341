# The lock usage lockdep's print_lock_name() prints, "(NAME){USAGE}", from
# every line of a report: "NAME<TAB>USAGE" per lock, in the order printed.
# usage: awk -f tests/e2e/lock_name.awk -f tests/e2e/usage.awk REPORT
{
	line = $0
	while (match(line, /\)\{[-.+?][-.+?][-.+?][-.+?]\}/)) {
		name = lock_name(substr(line, 1, RSTART - 1))
		usage = substr(line, RSTART + 2, 4)
		line = substr(line, RSTART + RLENGTH)
		if (name != "")
			print name "\t" usage
	}
}
