/* Command-line conventions shared by the commands, as git and trace-cmd keep
 * them: one message prefix, "did you mean" for a mistyped name. */
#ifndef LOCKGRAPH_CLI_H
#define LOCKGRAPH_CLI_H

#include <getopt.h>
#include <stddef.h>

/* The name among names[0..n) that word is most likely a typing mistake for:
 * the nearest within an edit or two (transpositions count one), or the only
 * one word begins; NULL if none is. */
const char *lg_cli_closest(const char *word, const char *const *names, size_t n);

/* Say what was wrong with the option getopt_long() just refused, run with
 * opterr = 0 and an optstring that starts with ':' (c is its return):
 * "lockgraph: analyze: unknown option '--frmat' (did you mean --format?)". */
void lg_cli_bad_option(const char *command, int c, char **argv,
		       const struct option *longopts);

#endif
