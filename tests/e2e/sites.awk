# The call sites of a report's lock lines, lockdep's print_lock():
# "(NAME){USAGE}-{N:N}, at: FUNC+0xOFF/0xSIZE [MODULE]", as
# "NAME<TAB>FUNC+0xOFF/0xSIZE" per line, the module left out.
# usage: awk -f tests/e2e/lock_name.awk -f tests/e2e/sites.awk REPORT
match($0, /\)\{[-.+?][-.+?][-.+?][-.+?]\}.*, at: [^ ]+/) {
	name = lock_name(substr($0, 1, RSTART - 1))
	site = substr($0, RSTART, RLENGTH)
	sub(/.*, at: /, "", site)
	if (name != "")
		print name "\t" site
}
