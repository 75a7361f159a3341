/* The subcommands: each takes main()'s arguments after the command name and
 * returns the process exit status (0 nothing found, 1 findings, 2 error). */
#ifndef LOCKGRAPH_COMMANDS_H
#define LOCKGRAPH_COMMANDS_H

#define LG_EXIT_CLEAN 0
#define LG_EXIT_FINDINGS 1
#define LG_EXIT_ERROR 2

int lg_cmd_analyze(int argc, char **argv);
int lg_cmd_record(int argc, char **argv);

#endif
