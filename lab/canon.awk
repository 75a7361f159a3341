# A cycle "A -> B -> C" per line, rotated to start at its smallest class, so
# that lockdep's and lockgraph's framings of one cycle compare equal.
# usage: awk -F' -> ' -f lab/canon.awk
{
	n = NF; best = 1
	for (i = 2; i <= n; i++)
		if ($i < $best)
			best = i
	s = $best
	for (k = 1; k < n; k++)
		s = s " -> " $((best + k - 1) % n + 1)
	print s
}
