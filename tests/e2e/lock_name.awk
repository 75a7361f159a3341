# lock_name(head): the class name of the lock lockdep's print_lock_name()
# printed last in head, the text before its "){": after the last " (" (or a
# "(" that starts head); a name may hold parentheses ("(wq_completion)events")
# but not " (". "" if there is none.
function lock_name(head,    i) {
	for (i = length(head) - 1; i >= 1; i--)
		if (substr(head, i, 2) == " (")
			return substr(head, i + 2)
	return substr(head, 1, 1) == "(" ? substr(head, 2) : ""
}
