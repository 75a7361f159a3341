/* Rules: what the analysis is told rather than what the trace shows: the
 * classes lockdep never validates (check=0 maps, novalidate classes; built-in
 * defaults, amended by rules files) and the dependencies the kernel primes
 * before a recording could see them (rules files' "prime" chains). */
#ifndef LOCKGRAPH_RULES_H
#define LOCKGRAPH_RULES_H

#include <stdbool.h>
#include <stdio.h>

#include "lockgraph/lib/error.h"

struct lg_rules;

/* "prime A -> B -> C": taken in that order, each held while the next is, as
 * the kernel's priming code does; where is "file:line". */
struct lg_prime {
	char **classes;
	unsigned nr;
	char *where;
};

/* Rules holding the built-in defaults. */
struct lg_rules *lg_rules_new(void);
void lg_rules_free(struct lg_rules *rules);

/* Apply a rules file on top of the current rules (later lines win). A name
 * without a '/' that a shipped file has (rules/ beside the binary, then
 * LG_RULES_DIR) is that file; anything else is a path. */
int lg_rules_load(struct lg_rules *rules, const char *name, struct lg_error *err);
/* The same from an open stream, path naming it in errors. */
int lg_rules_read(struct lg_rules *rules, FILE *f, const char *path, struct lg_error *err);

/* Does acquiring this class create no dependencies and escape all checks? */
bool lg_rules_novalidate(const struct lg_rules *rules, const char *class_name);

/* The prime chains, in the order the files gave them. */
unsigned lg_rules_nr_primes(const struct lg_rules *rules);
const struct lg_prime *lg_rules_prime(const struct lg_rules *rules, unsigned i);

#endif
