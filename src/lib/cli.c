/* Messages about the command line. The distance is Damerau-Levenshtein's
 * restricted form (optimal string alignment), which git's help.c uses too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/cli.h"
#include "lockgraph/lib/util.h"

static size_t min3(size_t a, size_t b, size_t c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), w = lb + 1, d;
	size_t *m = lg_xmalloc((la + 1) * w * sizeof(*m));

	for (size_t i = 0; i <= la; i++)
		for (size_t j = 0; j <= lb; j++) {
			size_t *at = &m[i * w + j];

			if (!i || !j) {
				*at = i + j;
				continue;
			}
			*at = min3(m[(i - 1) * w + j] + 1, m[i * w + j - 1] + 1,
				   m[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    m[(i - 2) * w + j - 2] + 1 < *at)
				*at = m[(i - 2) * w + j - 2] + 1;
		}
	d = m[la * w + lb];
	free(m);
	return d;
}

const char *lg_cli_closest(const char *word, const char *const *names, size_t n)
{
	size_t len = strlen(word), best = len > 4 ? 3 : 2;
	const char *closest = NULL, *prefixed = NULL;
	size_t nr_prefixed = 0;

	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, names[i]);

		if (d < best) {
			best = d;
			closest = names[i];
		}
		if (len && !strncmp(names[i], word, len)) {
			prefixed = names[i];
			nr_prefixed++;
		}
	}
	return closest ? closest : nr_prefixed == 1 ? prefixed : NULL;
}

void lg_cli_bad_option(const char *command, int c, char **argv,
		       const struct option *longopts)
{
	const char *bad = argv[optind - 1], *closest = NULL;
	char word[64], *eq;
	const char **names;
	size_t n = 0;

	if (c == ':') {
		fprintf(stderr, "lockgraph: %s: option '%s' needs an argument\n", command, bad);
		return;
	}
	if (optopt && strncmp(bad, "--", 2)) {	/* an unknown short option */
		fprintf(stderr, "lockgraph: %s: unknown option '-%c'\n", command, optopt);
		return;
	}
	snprintf(word, sizeof(word), "%s", bad + 2);
	eq = strchr(word, '=');
	if (eq)
		*eq = '\0';
	while (longopts[n].name)
		n++;
	names = lg_xmalloc((n + 1) * sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = longopts[i].name;
	closest = lg_cli_closest(word, names, n);
	free(names);
	if (closest)
		fprintf(stderr, "lockgraph: %s: unknown option '--%s' (did you mean --%s?)\n",
			command, word, closest);
	else
		fprintf(stderr, "lockgraph: %s: unknown option '--%s'\n", command, word);
}
