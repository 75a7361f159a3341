/* Rules: what the analysis is told rather than what the trace shows. For now the
 * set of classes lockdep never validates (check=0 maps, novalidate classes):
 * built-in defaults, amended by rules files. */
#ifndef LOCKGRAPH_RULES_H
#define LOCKGRAPH_RULES_H

#include <stdbool.h>
#include <stdio.h>

#include "lockgraph/lib/error.h"

struct lg_rules;

/* Rules holding the built-in defaults. */
struct lg_rules *lg_rules_new(void);
void lg_rules_free(struct lg_rules *rules);

/* Apply a rules file on top of the current rules (later lines win). */
int lg_rules_load(struct lg_rules *rules, const char *path, struct lg_error *err);
/* The same from an open stream, path naming it in errors. */
int lg_rules_read(struct lg_rules *rules, FILE *f, const char *path, struct lg_error *err);

/* Does acquiring this class create no dependencies and escape all checks? */
bool lg_rules_novalidate(const struct lg_rules *rules, const char *class_name);

#endif
